/* util/timeutil's dates and timestamps, written by hand (no snprintf), equal what
 * "%04d-%02d-%02dT%02d:%02d:%02dZ" prints, for every day from 1970 to 2100 and times
 * across a day; the kept text of time_now_iso follows the pretended day. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "util/timeutil.h"

static void test_formats(void **state) {
  (void)state;
  for (int day = 0; day < 47482; day++) { /* 1970-01-01 .. 2099-12-31 */
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    char want[64], got[DATE_LEN], stamp[TIMESTAMP_LEN];
    snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
    date_format(day, got);
    assert_string_equal(got, want);
    int secs = (day * 7919) % 86400;
    snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, secs / 3600, secs / 60 % 60, secs % 60);
    time_iso_of((int64_t)day * 86400 + secs, stamp);
    assert_string_equal(stamp, want);
  }
  char s[TIMESTAMP_LEN];
  time_iso_of(0, s);
  assert_string_equal(s, "1970-01-01T00:00:00Z");
  time_iso_of(1796255999, s); /* date -u -d @1796255999 */
  assert_string_equal(s, "2026-12-02T23:59:59Z");
}

static void test_now_follows_pretended_day(void **state) {
  (void)state;
  char a[TIMESTAMP_LEN], b[TIMESTAMP_LEN];
  int day;
  assert_int_equal(date_parse("2026-10-15", &day), 0);
  date_pretend_today(day);
  time_now_iso(a);
  assert_memory_equal(a, "2026-10-15T", 11);
  date_pretend_today(day + 1);
  time_now_iso(b); /* the same second, another day: not the kept text */
  assert_memory_equal(b, "2026-10-16T", 11);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_formats), cmocka_unit_test(test_now_follows_pretended_day)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
