/* Refreshing the figures of many projects at once, for bulk writes (importers): the same
 * result as figures_refresh_project on each of them, with the unit sums touched once per
 * key instead of once per project and figure. */
#ifndef HZ_FIGURES_BATCH_H
#define HZ_FIGURES_BATCH_H
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"

/* Recomputes each project of ids (n of them, any order, repeats allowed; the array is
 * sorted in place) from its raw records, stores its figures and last activity date, and
 * adds the net difference of all of them to the unit sums, one statement per distinct
 * (campaign, unit, metric, stay, day). Inside the caller's transaction. */
int figures_batch_refresh(Db *db, int64_t *ids, size_t n, HzErr *e);

#endif
