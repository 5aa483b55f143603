/* http/query.c: the query string reader on its own (what server.c gives the routes), with
 * the cases fuzz_query found (a bad parameter without a name). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/query.h"

/* Parses raw; the answer as compact JSON in out, the bad parameter's name in name. */
static int parse(const char *raw, char *out, size_t n, char name[64]) {
  json_t *q = json_object();
  name[0] = 0;
  int bad = query_parse(raw, q, name, 64);
  char *s = json_dumps(q, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
  snprintf(out, n, "%s", s);
  free(s);
  json_decref(q);
  return bad;
}

static void test_good(void **state) {
  (void)state;
  char out[256], name[64];
  assert_int_equal(parse("limit=20&stage=signed&stage=started&q=a+b%20c&flag&&", out, sizeof out, name), 0);
  assert_string_equal(out, "{\"flag\":\"\",\"limit\":\"20\",\"q\":\"a b c\",\"stage\":[\"signed\",\"started\"]}");
  assert_int_equal(parse("%E6%96%B0=%e4%b8%ad&stage=a&stage=b&stage=c", out, sizeof out, name), 0);
  assert_string_equal(out, "{\"stage\":[\"a\",\"b\",\"c\"],\"\\u65B0\":\"\\u4E2D\"}");
  assert_int_equal(parse("", out, sizeof out, name), 0);
  assert_string_equal(out, "{}");
  assert_int_equal(parse(NULL, out, sizeof out, name), 0);
}

static void test_bad(void **state) {
  (void)state;
  char out[256], name[64];
  /* the first bad parameter is named; the good ones around it are still read */
  assert_int_equal(parse("a=1&stage=%zz&b=%00&c=2", out, sizeof out, name), QUERY_BAD_ESCAPE);
  assert_string_equal(name, "stage");
  assert_string_equal(out, "{\"a\":\"1\",\"c\":\"2\"}");
  assert_int_equal(parse("b=x%00y", out, sizeof out, name), QUERY_BAD_NUL);
  assert_string_equal(name, "b");
  assert_int_equal(parse("q=%ff", out, sizeof out, name), QUERY_BAD_UTF8);
  assert_string_equal(name, "q");
  assert_int_equal(parse("q=%4", out, sizeof out, name), QUERY_BAD_ESCAPE);
  assert_string_equal(name, "q");
  /* a name that is itself broken: its raw text, or "query" when that is no UTF-8 */
  assert_int_equal(parse("st%zge=1", out, sizeof out, name), QUERY_BAD_ESCAPE);
  assert_string_equal(name, "st%zge");
  assert_int_equal(parse("%ff=1", out, sizeof out, name), QUERY_BAD_UTF8);
  assert_string_equal(name, "query");
  /* found by fuzz_query: no name at all was named "" (the answer said 查询参数“”) */
  assert_int_equal(parse("=f%1", out, sizeof out, name), QUERY_BAD_ESCAPE);
  assert_string_equal(name, "query");
  assert_int_equal(parse("&&=o\xda" "Rimit=1&limit=2", out, sizeof out, name), QUERY_BAD_UTF8);
  assert_string_equal(name, "query");
  assert_string_equal(out, "{\"limit\":\"2\"}");
}

/* A long name is cut to fit, never in the middle of a character. */
static void test_long_name(void **state) {
  (void)state;
  char raw[400] = "a", out[256], name[64];
  for (int i = 0; i < 40; i++) strcat(raw, "%E6%96%B0");
  strcat(raw, "=%zz");
  assert_int_equal(parse(raw, out, sizeof out, name), QUERY_BAD_ESCAPE);
  /* 63 bytes fit: "a" and 20 characters of 3 bytes, then 2 bytes of the 21st, dropped */
  assert_int_equal(strlen(name), 61);
  assert_memory_equal(name, "a\xe6\x96\xb0", 4);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_good), cmocka_unit_test(test_bad),
                                     cmocka_unit_test(test_long_name)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
