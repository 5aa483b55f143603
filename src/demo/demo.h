/* The demo city (R-IF-5): deterministic, built through the same engine as real use. */
#ifndef HZ_DEMO_H
#define HZ_DEMO_H
#include "db/db.h"

typedef struct {
  int units, users, projects, follow_ups, funds;
} DemoSummary;

/* Fills an empty, migrated database with the demo city, every record written through
 * the engine (domain/record.h, domain/certify.h) and audited. `today` (a day number) is
 * day 60 of the 100-day campaign; it may not be later than date_today(), so a future
 * --as-of needs HUIZHAN_TODAY set too (cmd_demo does that). While it runs it makes the
 * program take each day it replays as today (date_pretend_today), and gives the real
 * today back before returning, so it is for a single-threaded command only. Every
 * account gets `password`. Same inputs, same data. On error e names the record that failed; the
 * database is then half-built and should be discarded. */
int demo_build(Db *db, const char *password, int today, DemoSummary *sum, HzErr *e);

#endif
