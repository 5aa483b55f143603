/* http/json_body.c: the JSON request body parser on its own. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include "http/json_body.h"

#define CT "application/json"

/* Parses a string literal (its bytes, NUL included when written \0); returns rc and the
 * field named, the parsed object in *out. */
static int parse_n(const char *s, size_t n, const char *ct, json_t **out, char *field, size_t fsize) {
  HzErr e = {0};
  int rc = json_body_parse(s, n, ct, out, &e);
  const char *name = "";
  void *it = e.fields ? json_object_iter(e.fields) : NULL;
  if (it) name = json_object_iter_key(it);
  snprintf(field, fsize, "%s", name);
  if (rc) {
    assert_null(*out);
    assert_int_equal(json_object_size(e.fields), 1); /* exactly one field named */
  } else {
    assert_null(e.fields);
  }
  hz_err_clear(&e);
  return rc;
}
#define PARSE(lit, ct, out, field) parse_n(lit, sizeof(lit) - 1, ct, out, field, sizeof field)

static void test_good(void **state) {
  (void)state;
  json_t *j = NULL;
  char f[64];
  assert_int_equal(PARSE("{\"name\":\"招商\",\"amount\":9223372036854775807}", CT, &j, f), HZ_OK);
  assert_string_equal(json_string_value(json_object_get(j, "name")), "招商");
  assert_int_equal(json_integer_value(json_object_get(j, "amount")), INT64_MAX);
  json_decref(j);
  assert_int_equal(PARSE("{}", "application/json; charset=utf-8", &j, f), HZ_OK);
  assert_int_equal(json_object_size(j), 0);
  json_decref(j);
  assert_int_equal(PARSE(" {\"a\":[1,{\"b\":null}]} ", "Application/JSON", &j, f), HZ_OK);
  json_decref(j);
  /* not NUL-terminated: only len bytes count */
  const char buf[] = {'{', '}', 'x', 'x'};
  HzErr e = {0};
  assert_int_equal(json_body_parse(buf, 2, CT, &j, &e), HZ_OK);
  json_decref(j);
}

static void test_media_and_empty(void **state) {
  (void)state;
  json_t *j = (json_t *)1;
  char f[64];
  assert_int_equal(PARSE("{}", NULL, &j, f), HZ_EMEDIA);
  assert_string_equal(f, "Content-Type");
  assert_int_equal(PARSE("{}", "text/plain", &j, f), HZ_EMEDIA);
  assert_int_equal(PARSE("{}", "application/jsonx", &j, f), HZ_EMEDIA);
  assert_int_equal(PARSE("", CT, &j, f), HZ_EMALFORMED);
  assert_string_equal(f, "body");
  HzErr e = {0};
  assert_int_equal(json_body_parse(NULL, 0, CT, &j, &e), HZ_EMALFORMED);
  assert_null(j);
  hz_err_clear(&e);
}

static void test_not_objects(void **state) {
  (void)state;
  json_t *j;
  char f[64];
  static const char *const bodies[] = {"[]", "[1,2]", "\"text\"", "42", "null", "true", NULL};
  for (int i = 0; bodies[i]; i++) {
    assert_int_equal(parse_n(bodies[i], strlen(bodies[i]), CT, &j, f, sizeof f), HZ_EMALFORMED);
    assert_string_equal(f, "body");
  }
  assert_int_equal(PARSE("{\"a\":1", CT, &j, f), HZ_EMALFORMED);
  assert_int_equal(PARSE("{\"a\":1}{}", CT, &j, f), HZ_EMALFORMED);
  assert_int_equal(PARSE("{'a':1}", CT, &j, f), HZ_EMALFORMED);
  assert_int_equal(PARSE("{\"a\":1,\"a\":2}", CT, &j, f), HZ_EMALFORMED); /* duplicate key */
}

static void test_utf8_nul_numbers(void **state) {
  (void)state;
  json_t *j;
  char f[64];
  /* an ill-formed byte in a value names the field holding it */
  assert_int_equal(PARSE("{\"ok\":\"x\",\"name\":\"ab\xC0\xAF\"}", CT, &j, f), HZ_EMALFORMED);
  assert_string_equal(f, "name");
  assert_int_equal(PARSE("{\"n\xFF\":1}", CT, &j, f), HZ_EMALFORMED);
  assert_string_equal(f, "n\xEF\xBF\xBD");
  assert_int_equal(PARSE("\xFE{}", CT, &j, f), HZ_EMALFORMED);
  assert_string_equal(f, "body");
  /* a raw NUL byte is not JSON; an escaped one names its field */
  assert_int_equal(PARSE("{\"a\":\"x\0y\"}", CT, &j, f), HZ_EMALFORMED);
  assert_int_equal(PARSE("{\"note\":\"x\\u0000y\"}", CT, &j, f), HZ_EINVAL);
  assert_string_equal(f, "note");
  assert_int_equal(PARSE("{\"deep\":{\"k\":[\"\\u0000\"]}}", CT, &j, f), HZ_EINVAL);
  assert_string_equal(f, "deep");
  /* integers beyond 64 bits */
  assert_int_equal(PARSE("{\"a\":1,\"amount\":9223372036854775808}", CT, &j, f), HZ_EINVAL);
  assert_string_equal(f, "amount");
  assert_int_equal(PARSE("{\"amount\":-99999999999999999999}", CT, &j, f), HZ_EINVAL);
  assert_string_equal(f, "amount");
}

static void test_depth(void **state) {
  (void)state;
  json_t *j;
  char f[64];
  char body[4096];
  /* {"a":[[...]]} with the object as level 1 */
  for (int levels = JSON_BODY_DEPTH_MAX; levels <= JSON_BODY_DEPTH_MAX + 1; levels++) {
    size_t n = 0;
    n += (size_t)snprintf(body + n, sizeof body - n, "{\"a\":");
    for (int i = 1; i < levels; i++) body[n++] = '[';
    for (int i = 1; i < levels; i++) body[n++] = ']';
    body[n++] = '}';
    int rc = parse_n(body, n, CT, &j, f, sizeof f);
    if (levels <= JSON_BODY_DEPTH_MAX) {
      assert_int_equal(rc, HZ_OK);
      json_decref(j);
    } else {
      assert_int_equal(rc, HZ_EMALFORMED);
      assert_string_equal(f, "body");
    }
  }
  /* brackets inside strings (escaped quotes too) are text, not nesting */
  size_t n = 0;
  n += (size_t)snprintf(body, sizeof body, "{\"t\":\"\\\"");
  for (int i = 0; i < 100; i++) body[n++] = '[';
  body[n++] = '"';
  body[n++] = '}';
  assert_int_equal(parse_n(body, n, CT, &j, f, sizeof f), HZ_OK);
  assert_int_equal(json_string_length(json_object_get(j, "t")), 101);
  json_decref(j);
  /* a megabyte of '[' is refused without recursion */
  size_t big = 1 << 20;
  char *deep = malloc(big);
  memset(deep, '[', big);
  assert_int_equal(parse_n(deep, big, CT, &j, f, sizeof f), HZ_EMALFORMED);
  free(deep);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_good),           cmocka_unit_test(test_media_and_empty), cmocka_unit_test(test_not_objects),
    cmocka_unit_test(test_utf8_nul_numbers), cmocka_unit_test(test_depth),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
