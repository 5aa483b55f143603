/* util/json_text.c: the answer writer gives the very text of jansson's json_dumps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include "util/json_text.h"

#define FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(12))

/* writer(j) equals want, and equals json_dumps(j, flags): the text jansson would give. */
static void same_as(char *(*writer)(const json_t *, size_t *), size_t flags, json_t *j, const char *want) {
  size_t len = 0;
  char *mine = writer(j, &len), *theirs = json_dumps(j, flags);
  assert_non_null(mine);
  assert_string_equal(mine, want);
  assert_int_equal(len, strlen(want));
  assert_string_equal(mine, theirs);
  free(mine);
  free(theirs);
  json_decref(j);
}

static void same(json_t *j, const char *want) { same_as(json_text, FLAGS | JSON_ENCODE_ANY, j, want); }

static void test_scalars(void **state) {
  (void)state;
  same(json_null(), "null");
  same(json_true(), "true");
  same(json_false(), "false");
  same(json_integer(0), "0");
  same(json_integer(-9007199254740993LL), "-9007199254740993");
  same(json_integer(INT64_MAX), "9223372036854775807");
  same(json_real(61.82), "61.82");
  same(json_real(40), "40.0");     /* a whole real keeps its ".0" */
  same(json_real(-3), "-3.0");
  same(json_real(1.0 / 3), "0.333333333333");
  same(json_real(1e21), "1e21");
  same(json_real(0.000001), "1e-6");
  same(json_real(-2.5e-10), "-2.5e-10");
  same(json_real(1e100), "1e100");
}

static void test_strings(void **state) {
  (void)state;
  same(json_string(""), "\"\"");
  same(json_string("招商引资"), "\"招商引资\"");          /* UTF-8 stays as it is */
  same(json_string("a\"b\\c/d"), "\"a\\\"b\\\\c/d\""); /* '/' is not escaped */
  same(json_string("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
  same(json_string("\x01x\x1f"), "\"\\u0001x\\u001F\"");
  same(json_stringn("a\0b", 3), "\"a\\u0000b\"");
  same(json_string("\xF0\x9F\x98\x80"), "\"\xF0\x9F\x98\x80\"");
}

static void test_containers(void **state) {
  (void)state;
  same(json_object(), "{}");
  same(json_array(), "[]");
  /* keys in insertion order, nested */
  same(json_pack("{s:i s:[i,s,n] s:{s:f} s:{}}", "z", 1, "a", 2, "名", "m", "x", 0.5, "e"),
       "{\"z\":1,\"a\":[2,\"名\",null],\"m\":{\"x\":0.5},\"e\":{}}");
  same(json_pack("[[[]],{s:b}]", "k\n", 1), "[[[]],{\"k\\n\":true}]");
}

/* json_text_sorted(j) equals want, and json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS): the audit
 * chain hashes these bytes. */
static void same_sorted(json_t *j, const char *want) {
  same_as(json_text_sorted, JSON_COMPACT | JSON_SORT_KEYS, j, want);
}

static void test_sorted(void **state) {
  (void)state;
  same_sorted(json_object(), "{}");
  /* every level sorted by bytes (strcmp): "B" < "a" < "ab" < "名" */
  same_sorted(json_pack("{s:i s:[{s:n s:i}] s:{s:f s:b} s:s}", "名", 1, "ab", "z", "y", 2, "a", "x", 0.1, "c",
                        1, "B", "v\\"),
              "{\"B\":\"v\\\\\",\"a\":{\"c\":true,\"x\":0.10000000000000001},\"ab\":[{\"y\":2,\"z\":null}],\"名\":1}");
  /* a record as the audit writes it: 70 keys (more than fit on the stack) */
  json_t *big = json_object();
  for (int i = 69; i >= 0; i--) {
    char k[16];
    snprintf(k, sizeof k, "k%02d", i);
    json_object_set_new(big, k, json_integer(i));
  }
  char *text = json_text_sorted(big, NULL), *theirs = json_dumps(big, JSON_COMPACT | JSON_SORT_KEYS);
  assert_non_null(text);
  assert_memory_equal(text, "{\"k00\":0,\"k01\":1,", 17);
  assert_string_equal(text, theirs);
  free(text);
  free(theirs);
  json_decref(big);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_scalars), cmocka_unit_test(test_strings),
                                     cmocka_unit_test(test_containers), cmocka_unit_test(test_sorted)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
