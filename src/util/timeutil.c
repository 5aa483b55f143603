#include "util/timeutil.h"
#include "util/err.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Howard Hinnant's days_from_civil / civil_from_days. */
int date_from_ymd(int y, int m, int d) {
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2u) / 5u + (unsigned)d - 1u;
  unsigned doe = yoe * 365u + yoe / 4u - yoe / 100u + doy;
  return era * 146097 + (int)doe - 719468;
}

void date_to_ymd(int z, int *y, int *m, int *d) {
  z += 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u;
  int yy = (int)yoe + era * 400;
  unsigned doy = doe - (365u * yoe + yoe / 4u - yoe / 100u);
  unsigned mp = (5u * doy + 2u) / 153u;
  *d = (int)(doy - (153u * mp + 2u) / 5u + 1u);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yy + (*m <= 2);
}

static int days_in_month(int y, int m) {
  static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return dim[m - 1];
}

int date_parse(const char *s, int *days) {
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return HZ_EINVAL;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return HZ_EINVAL;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  int d = (s[8] - '0') * 10 + (s[9] - '0');
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return HZ_EINVAL;
  if (days) *days = date_from_ymd(y, m, d);
  return HZ_OK;
}

/* n (>= 0) as exactly `width` digits, the last ones (snprintf's "%0Nd" for what fits). */
static void digits(char *p, int n, int width) {
  while (width--) {
    p[width] = (char)('0' + n % 10);
    n /= 10;
  }
}

/* "YYYY-MM-DD" into out (no NUL): written by hand, a bulk load formats millions. */
static void ymd_text(int days, char *out) {
  int y, m, d;
  date_to_ymd(days, &y, &m, &d);
  digits(out, y % 10000, 4);
  out[4] = '-';
  digits(out + 5, m, 2);
  out[7] = '-';
  digits(out + 8, d, 2);
}

void date_format(int days, char out[DATE_LEN]) {
  ymd_text(days, out);
  out[DATE_LEN - 1] = 0;
}

static int pretended = DATE_REAL;

void date_pretend_today(int day) { pretended = day; }

static int today_override(void) {
  if (pretended != DATE_REAL) return pretended;
  const char *s = getenv("HUIZHAN_TODAY");
  int days;
  if (s && *s && date_parse(s, &days) == HZ_OK) return days;
  return DATE_REAL;
}

int date_today(void) {
  int o = today_override();
  if (o != DATE_REAL) return o;
  return (int)((time(NULL) + 8 * 3600) / 86400);
}

int64_t time_now_unix(void) {
  time_t now = time(NULL);
  int o = today_override();
  if (o == DATE_REAL) return (int64_t)now;
  return (int64_t)o * 86400 + (int64_t)(now % 86400);
}

int64_t time_real_unix(void) { return (int64_t)time(NULL); }

/* Bulk writes stamp thousands of rows a second: the text of the last second is kept per thread. */
void time_now_iso(char out[TIMESTAMP_LEN]) {
  static _Thread_local int64_t last = -1;
  static _Thread_local char text[TIMESTAMP_LEN];
  int64_t now = time_now_unix();
  if (now != last) {
    time_iso_of(now, text);
    last = now;
  }
  memcpy(out, text, TIMESTAMP_LEN);
}

void time_iso_of(int64_t t, char out[TIMESTAMP_LEN]) {
  int days = (int)(t / 86400), secs = (int)(t % 86400);
  ymd_text(days, out); /* "YYYY-MM-DDThh:mm:ssZ" */
  out[10] = 'T';
  digits(out + 11, secs / 3600, 2);
  out[13] = ':';
  digits(out + 14, (secs / 60) % 60, 2);
  out[16] = ':';
  digits(out + 17, secs % 60, 2);
  out[19] = 'Z';
  out[TIMESTAMP_LEN - 1] = 0;
}

double time_monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
