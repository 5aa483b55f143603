/* Dates as day numbers (days since 1970-01-01), ISO 8601 text, and "today".
 * HUIZHAN_TODAY=YYYY-MM-DD makes the whole program take that date as today. */
#ifndef HZ_TIMEUTIL_H
#define HZ_TIMEUTIL_H
#include <stdint.h>

#define DATE_LEN 11 /* "YYYY-MM-DD" + NUL */
#define TIMESTAMP_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

/* Strict YYYY-MM-DD with a real calendar day (no 2026-02-30); HZ_OK or HZ_EINVAL. */
int date_parse(const char *s, int *days);
void date_format(int days, char out[DATE_LEN]);
int date_from_ymd(int y, int m, int d);
void date_to_ymd(int days, int *y, int *m, int *d);
/* Today in the campaign zone (Asia/Shanghai, UTC+8, no DST) or HUIZHAN_TODAY. */
int date_today(void);
/* Makes the program take `day` as today, before HUIZHAN_TODAY, until called again with
 * DATE_REAL; for a single-threaded command replaying the past (huizhan demo). */
#define DATE_REAL (-1000000)
void date_pretend_today(int day);
/* Current UTC timestamp; with HUIZHAN_TODAY the date part is that day. */
void time_now_iso(char out[TIMESTAMP_LEN]);
int64_t time_now_unix(void);
/* The wall clock, never the pretended day (HUIZHAN_TODAY): sessions, login records and
 * password ages are about real time. */
int64_t time_real_unix(void);
/* t (Unix seconds) as "YYYY-MM-DDTHH:MM:SSZ". */
void time_iso_of(int64_t t, char out[TIMESTAMP_LEN]);
/* Seconds since an arbitrary point, for measuring durations. */
double time_monotonic(void);

#endif
