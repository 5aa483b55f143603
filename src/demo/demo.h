/* The demo city (R-IF-5): deterministic, built through the same engine as real use. */
#ifndef HZ_DEMO_H
#define HZ_DEMO_H
#include "db/db.h"

typedef struct {
  int units, users, projects, follow_ups, funds;
} DemoSummary;

/* Fills an empty, migrated database. `today` is the day the campaign has reached
 * (about day 60 of 100); every account gets `password`. Same inputs, same data. */
int demo_build(Db *db, const char *password, int today, DemoSummary *sum, HzErr *e);

#endif
