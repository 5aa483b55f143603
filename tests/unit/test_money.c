/* util/money.c: what people type as an amount, and 万元 as people read it.
 * Every expected value below is worked out by hand (1万 = 10^4 yuan, 1亿 = 10^8 yuan). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include "util/err.h"

#define SHOW(s) ((s) ? (s) : "(null)")
#include "util/money.h"

static void accepts(const char *s, int64_t want) {
  int64_t got = -12345;
  int rc = money_parse(s, &got);
  if (rc != HZ_OK || got != want)
    fail_msg("money_parse(\"%s\"): rc %d value %lld, want HZ_OK %lld", SHOW(s), rc, (long long)got, (long long)want);
}

static void refuses(const char *s) {
  int64_t got = -12345;
  int rc = money_parse(s, &got);
  if (rc != HZ_EINVAL) fail_msg("money_parse(\"%s\") should be refused: rc %d value %lld", SHOW(s), rc, (long long)got);
}

static void test_plain_yuan(void **state) {
  (void)state;
  accepts("1234567", 1234567);
  accepts("0", 0);
  accepts("1,234,567", 1234567);
  accepts("1234567元", 1234567);
  accepts("1,234,567元", 1234567);
  accepts(" 12万 ", 120000);
  accepts("\t7\t", 7);
  accepts("007", 7);
}

static void test_wan_and_yi(void **state) {
  (void)state;
  accepts("123.45万", 1234500);   /* 123.45 × 10^4 */
  accepts("123.45万元", 1234500);
  accepts("12万", 120000);
  accepts("1万", 10000);
  accepts("0.0001万", 1);         /* the smallest whole yuan written in 万 */
  accepts("1,234.5万", 12345000); /* 1234.5 × 10^4 */
  accepts("2.5亿", 250000000);    /* 2.5 × 10^8 */
  accepts("2.5亿元", 250000000);
  accepts("1.23456789亿", 123456789); /* eight decimals of 亿 are still whole yuan */
  accepts("3亿", 300000000);
}

static void test_limits(void **state) {
  (void)state;
  /* MONEY_MAX = 10^15 yuan = 10^11 万 = 10^7 亿. */
  accepts("1000000000000000", MONEY_MAX);
  accepts("100000000000万", MONEY_MAX);
  accepts("10000000亿", MONEY_MAX);
  refuses("1000000000000001");
  refuses("100000000001万");  /* 10^15 + 10^4 */
  refuses("10000001亿");
  refuses("10000000.00000001亿"); /* 10^15 + 1 */
  refuses("99999999999999999999999999"); /* far beyond int64 */
  refuses("9223372036854775808");
}

static void test_refused(void **state) {
  (void)state;
  refuses(NULL);
  refuses("");
  refuses("   ");
  refuses("-5");
  refuses("+5");
  refuses("1.5");          /* 1.5 yuan: fractions of a yuan are refused */
  refuses("0.5元");
  refuses("1.23456万");    /* 12345.6 yuan */
  refuses("0.00001万");    /* 0.1 yuan */
  refuses("1.234567891亿"); /* nine decimals */
  refuses("12abc");
  refuses("abc");
  refuses("万");
  refuses("元");
  refuses("万元");
  refuses("1..2");
  refuses("1.2.3");
  refuses(".");
  refuses("1e6");
  refuses("12万万");
  refuses("12元万");
  refuses("1万5");
  refuses(",123");
  refuses("12 34");
}

/* A comma groups thousands; "1,5万" is how some people write 1.5万, so taking it as
 * 15万 would silently multiply the amount by ten. Commas must sit every three digits. */
static void test_grouping(void **state) {
  (void)state;
  accepts("12,345", 12345);
  accepts("123,456,789", 123456789);
  refuses("1,5万");
  refuses("1,2");
  refuses("1,2345");
  refuses("1234,567");
  refuses("1,,234");
  refuses("1,234,56");
  refuses("1,234,");
  refuses("1,23.5万");
}

static void wan(int64_t yuan, const char *want) {
  char out[64];
  memset(out, 'x', sizeof out);
  money_format_wan(yuan, out, sizeof out);
  if (strcmp(out, want)) fail_msg("money_format_wan(%lld) = \"%s\", want \"%s\"", (long long)yuan, out, want);
}

static void test_format_wan(void **state) {
  (void)state;
  wan(1234567, "123.46"); /* 123.4567万 rounds up */
  wan(1234549, "123.45"); /* 123.4549万 rounds down */
  wan(1234550, "123.46"); /* exactly half: away from zero */
  wan(49, "0.00");        /* 0.0049万 */
  wan(50, "0.01");        /* 0.0050万 */
  wan(149, "0.01");
  wan(150, "0.02");
  wan(0, "0.00");
  wan(10000, "1.00");
  wan(9995, "1.00");      /* 0.9995万 -> 1.00 */
  wan(120000, "12.00");
  wan(250000000, "25000.00");
  wan(MONEY_MAX, "100000000000.00");
  wan(-1234567, "-123.46");
  wan(-50, "-0.01");
  wan(-49, "0.00");       /* rounds to zero: no "-0.00" */
  /* INT64_MIN = -9223372036854775808 yuan = -922337203685477.5808万 */
  wan(INT64_MIN, "-922337203685477.58");
}

static void test_format_truncates(void **state) {
  (void)state;
  char out[4];
  money_format_wan(1234567, out, sizeof out);
  assert_string_equal(out, "123");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_plain_yuan),   cmocka_unit_test(test_wan_and_yi), cmocka_unit_test(test_limits),
    cmocka_unit_test(test_refused),      cmocka_unit_test(test_grouping),   cmocka_unit_test(test_format_wan),
    cmocka_unit_test(test_format_truncates),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
