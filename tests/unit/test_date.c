/* util/timeutil.c: strict ISO dates, day numbers, and HUIZHAN_TODAY.
 * Day numbers count from 1970-01-01 = 0; the values below are worked out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "util/err.h"

#define SHOW(s) ((s) ? (s) : "(null)")
#include "util/timeutil.h"

static int parsed(const char *s) {
  int d = -999999;
  int rc = date_parse(s, &d);
  if (rc != HZ_OK) fail_msg("date_parse(\"%s\") refused (rc %d)", SHOW(s), rc);
  return d;
}

static void refused(const char *s) {
  int d = -999999;
  if (date_parse(s, &d) != HZ_EINVAL) fail_msg("date_parse(\"%s\") should be refused, got day %d", SHOW(s), d);
}

static void test_known_days(void **state) {
  (void)state;
  assert_int_equal(parsed("1970-01-01"), 0);
  assert_int_equal(parsed("1970-01-02"), 1);
  assert_int_equal(parsed("1969-12-31"), -1);
  /* 1970..1999: 30 years × 365 + 7 leap days (1972, 76, 80, 84, 88, 92, 96) = 10957 */
  assert_int_equal(parsed("2000-01-01"), 10957);
  /* + January 31 + February 29 (2000 is a leap year: divisible by 400) */
  assert_int_equal(parsed("2000-03-01"), 11017);
  /* 1970..2025: 56 × 365 + 14 leap days (1972 .. 2024) = 20454 */
  assert_int_equal(parsed("2026-01-01"), 20454);
  /* + Jan..Sep: 31+28+31+30+31+30+31+31+30 = 273 */
  assert_int_equal(parsed("2026-10-01"), 20727);
  assert_int_equal(parsed("2026-10-15"), 20741);
  /* 1970..2099: 130 × 365 + 32 leap days (1972 .. 2096; 2100 is not leap) = 47482, + 364 */
  assert_int_equal(parsed("2100-12-31"), 47846);
  parsed("2024-02-29");
  parsed("2000-02-29");
  parsed("2026-12-31");
  parsed("2026-04-30");
}

static void test_refused(void **state) {
  (void)state;
  refused(NULL);
  refused("");
  refused("2026-02-29"); /* 2026 is not a leap year */
  refused("2026-02-30");
  refused("2100-02-29"); /* divisible by 100, not by 400 */
  refused("1900-02-29");
  refused("2026-04-31");
  refused("2026-13-01");
  refused("2026-00-10");
  refused("2026-01-00");
  refused("2026-01-32");
  refused("2026-1-01");
  refused("2026-01-1");
  refused("26-01-01");
  refused("20261001");
  refused("2026-10-01x");
  refused("2026-10-01 ");
  refused(" 2026-10-01");
  refused("2026/10/01");
  refused("2026-10-01T00:00:00Z");
  refused("+026-10-01");
  refused("2026-1a-01");
  refused("2026--1-01");
  refused("abcd-ef-gh");
}

/* An independent calendar: walks every day from 1970-01-01 to 2100-12-31 with its own
 * month lengths and checks the day number goes up by one each day, both ways. */
static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static void test_every_day_round_trip(void **state) {
  (void)state;
  static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int expect = 0, count = 0;
  for (int y = 1970; y <= 2100; y++)
    for (int m = 1; m <= 12; m++) {
      int last = dim[m - 1] + (m == 2 && leap(y));
      for (int d = 1; d <= last; d++) {
        char s[32], back[DATE_LEN];
        snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d);
        int days = -1;
        if (date_parse(s, &days) != HZ_OK || days != expect) fail_msg("%s: got %d, want %d", s, days, expect);
        date_format(days, back);
        if (strcmp(back, s)) fail_msg("date_format(%d) = %s, want %s", days, back, s);
        assert_int_equal(date_from_ymd(y, m, d), expect);
        int yy, mm, dd;
        date_to_ymd(expect, &yy, &mm, &dd);
        if (yy != y || mm != m || dd != d) fail_msg("date_to_ymd(%d) = %d-%d-%d, want %s", expect, yy, mm, dd, s);
        /* the day after the last of a month is not a date */
        if (d == last) {
          snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d + 1);
          refused(s);
        }
        expect++;
        count++;
      }
    }
  assert_int_equal(expect - 1, 47846); /* agrees with the hand count for 2100-12-31 */
  assert_int_equal(count, 47847);
}

static void after(const char *from, int n, const char *want) {
  char out[DATE_LEN];
  date_format(parsed(from) + n, out);
  if (strcmp(out, want)) fail_msg("%s %+d days = %s, want %s", from, n, out, want);
}

static void test_arithmetic(void **state) {
  (void)state;
  after("2026-12-31", 1, "2027-01-01");
  after("2027-01-01", -1, "2026-12-31");
  after("2024-02-28", 1, "2024-02-29");
  after("2024-02-29", 1, "2024-03-01");
  after("2026-02-28", 1, "2026-03-01");
  /* a 100-day campaign from 2026-08-01 ends on day 99: Aug 1..31 (0..30), Sep (31..60),
   * Oct (61..91), Nov 1 = 92 .. Nov 8 = 99 */
  after("2026-08-01", 99, "2026-11-08");
  after("2024-01-01", 366, "2025-01-01");
  after("1970-01-01", 0, "1970-01-01");
  assert_int_equal(parsed("2026-11-08") - parsed("2026-08-01"), 99);
  assert_int_equal(parsed("2027-01-01") - parsed("2026-01-01"), 365);
  assert_int_equal(parsed("2025-01-01") - parsed("2024-01-01"), 366);
}

static void test_today_override(void **state) {
  (void)state;
  setenv("HUIZHAN_TODAY", "2026-10-15", 1);
  assert_int_equal(date_today(), 20741);
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  assert_int_equal(strlen(now), 20);
  assert_memory_equal(now, "2026-10-15T", 11);
  assert_int_equal(now[19], 'Z');
  assert_true(time_now_unix() / 86400 == 20741);

  setenv("HUIZHAN_TODAY", "2024-02-29", 1);
  assert_int_equal(date_today(), parsed("2024-02-29"));

  /* A malformed override is ignored: today comes from the clock (UTC+8, Asia/Shanghai). */
  setenv("HUIZHAN_TODAY", "2026-02-30", 1);
  int64_t before = ((int64_t)time(NULL) + 8 * 3600) / 86400;
  int today = date_today();
  int64_t later = ((int64_t)time(NULL) + 8 * 3600) / 86400;
  assert_true(today >= before && today <= later);

  unsetenv("HUIZHAN_TODAY");
  before = ((int64_t)time(NULL) + 8 * 3600) / 86400;
  today = date_today();
  later = ((int64_t)time(NULL) + 8 * 3600) / 86400;
  assert_true(today >= before && today <= later);
  int64_t t0 = (int64_t)time(NULL), t = time_now_unix(), t1 = (int64_t)time(NULL);
  assert_true(t >= t0 && t <= t1);
}

static void test_now_iso_shape(void **state) {
  (void)state;
  unsetenv("HUIZHAN_TODAY");
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  assert_int_equal(strlen(now), 20);
  char date[DATE_LEN];
  memcpy(date, now, 10);
  date[10] = 0;
  assert_int_equal(date_parse(date, NULL), HZ_OK);
  assert_int_equal(now[10], 'T');
  assert_int_equal(now[13], ':');
  assert_int_equal(now[16], ':');
  assert_int_equal(now[19], 'Z');
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_known_days),    cmocka_unit_test(test_refused),      cmocka_unit_test(test_every_day_round_trip),
    cmocka_unit_test(test_arithmetic),    cmocka_unit_test(test_today_override), cmocka_unit_test(test_now_iso_shape),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
