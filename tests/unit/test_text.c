/* util/text.c: UTF-8 checks, strict integers, NULL-tolerant equality. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include "util/buf.h"
#include "util/err.h"

#define SHOW(s) ((s) ? (s) : "(null)")
#include "util/text.h"

#define VALID(s) utf8_valid(s, sizeof(s) - 1)

static void test_utf8_valid(void **state) {
  (void)state;
  assert_true(VALID(""));
  assert_true(VALID("plain ascii"));
  assert_true(VALID("招商引资百日会战"));
  assert_true(VALID("\xC2\x80"));             /* U+0080, smallest 2-byte */
  assert_true(VALID("\xED\x9F\xBF"));         /* U+D7FF, just below the surrogates */
  assert_true(VALID("\xEE\x80\x80"));         /* U+E000, just above them */
  assert_true(VALID("\xF0\x9F\x98\x80"));     /* U+1F600 */
  assert_true(VALID("\xF4\x8F\xBF\xBF"));     /* U+10FFFF, the last code point */
  assert_false(VALID("\x80"));                /* lone continuation byte */
  assert_false(VALID("\xC0\xAF"));            /* overlong '/' */
  assert_false(VALID("\xC1\xBF"));            /* overlong */
  assert_false(VALID("\xE0\x80\xAF"));        /* overlong 3-byte */
  assert_false(VALID("\xF0\x80\x80\xAF"));    /* overlong 4-byte */
  assert_false(VALID("\xED\xA0\x80"));        /* U+D800, a surrogate */
  assert_false(VALID("\xED\xBF\xBF"));        /* U+DFFF */
  assert_false(VALID("\xF4\x90\x80\x80"));    /* U+110000 */
  assert_false(VALID("\xF8\x88\x80\x80\x80"));/* 5-byte form */
  assert_false(VALID("\xFF"));
  assert_false(VALID("\xE6\x8B"));            /* 招 cut short */
  assert_false(VALID("\xE6\x8B" "a"));        /* ... followed by ASCII */
  assert_false(VALID("ok\xE6"));
  /* the length given is honoured: 招 cut by n */
  assert_false(utf8_valid("\xE6\x8B\x9B", 2));
  assert_true(utf8_valid("\xE6\x8B\x9B", 3));
  /* NUL inside the range is a valid code point (U+0000); callers check NULs themselves */
  assert_true(utf8_valid("a\0b", 3));
}

static void test_utf8_sanitize(void **state) {
  (void)state;
  Buf b;
  buf_init(&b, 0);
  const char in[] = "a\xFF" "b\xE6\x8B" "c招";
  utf8_sanitize(in, sizeof in - 1, &b);
  /* each ill-formed byte becomes U+FFFD (EF BF BD); the cut 招 is two such bytes */
  assert_string_equal(b.data, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD" "c招");
  assert_true(utf8_valid(b.data, b.len));
  buf_reset(&b);
  utf8_sanitize("会战", strlen("会战"), &b);
  assert_string_equal(b.data, "会战");
  buf_free(&b);
}

static void test_utf8_length(void **state) {
  (void)state;
  assert_int_equal(utf8_length(""), 0);
  assert_int_equal(utf8_length("abc"), 3);
  assert_int_equal(utf8_length("招商引资"), 4);
  assert_int_equal(utf8_length("a招b"), 3);
  assert_int_equal(utf8_length("\xF0\x9F\x98\x80"), 1);
}

static void trimmed(const char *in, const char *want) {
  char b[32];
  snprintf(b, sizeof b, "%s", in);
  assert_string_equal(utf8_trim_partial(b), want);
  assert_true(utf8_valid(b, strlen(b)));
}

static void test_utf8_trim_partial(void **state) {
  (void)state;
  trimmed("", "");
  trimmed("abc", "abc");
  trimmed("招商", "招商");                  /* whole characters stay */
  trimmed("招\xE5\x95", "招");              /* two bytes of a three-byte character */
  trimmed("招\xE5", "招");                  /* its lead byte alone */
  trimmed("a\xF0\x9F\x98", "a");            /* three bytes of a four-byte emoji */
  trimmed("a\xF0\x9F\x98\x80", "a\xF0\x9F\x98\x80");
  trimmed("\xC3", "");
  /* 14 characters (42 bytes) cut by snprintf into 32: 10 characters and one stray byte */
  trimmed("招商引资百日会战招商引资百日", "招商引资百日会战招商");
}

static void int_ok(const char *s, int64_t want) {
  int64_t v = 0;
  if (parse_int64(s, &v) != HZ_OK || v != want) fail_msg("parse_int64(\"%s\") = %lld", SHOW(s), (long long)v);
}

static void int_bad(const char *s) {
  int64_t v = 12345;
  if (parse_int64(s, &v) != HZ_EINVAL) fail_msg("parse_int64(\"%s\") accepted: %lld", SHOW(s), (long long)v);
}

static void test_parse_int64(void **state) {
  (void)state;
  int_ok("0", 0);
  int_ok("42", 42);
  int_ok("-42", -42);
  int_ok("007", 7);
  int_ok("9223372036854775807", INT64_MAX);
  int_ok("-9223372036854775808", INT64_MIN);
  int_bad(NULL);
  int_bad("");
  int_bad("-");
  int_bad("+1");
  int_bad(" 1");
  int_bad("1 ");
  int_bad("1.0");
  int_bad("0x10");
  int_bad("1e3");
  int_bad("--1");
  int_bad("9223372036854775808");
  int_bad("-9223372036854775809");
  int_bad("99999999999999999999999");
}

static void test_str_eq(void **state) {
  (void)state;
  assert_true(str_eq("a", "a"));
  assert_false(str_eq("a", "A"));
  assert_false(str_eq("a", NULL));
  assert_false(str_eq(NULL, "a"));
  assert_true(str_eq(NULL, NULL));
  assert_true(str_eq("", ""));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_utf8_valid), cmocka_unit_test(test_utf8_sanitize), cmocka_unit_test(test_utf8_length),
    cmocka_unit_test(test_utf8_trim_partial),
    cmocka_unit_test(test_parse_int64), cmocka_unit_test(test_str_eq),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
