/* The stale projects as of a past day, answered from a state kept in memory. As of a past
 * day the list needs every project's stage and activity on that day: worked out from the
 * records in SQL that is a million index seeks at a province (seconds; 16 s on a cold
 * cache). So the process keeps, per project, what that needs — campaign, lead unit, lead
 * date, whether settled as a duplicate, stage, its follow-up dates and its stage moves not
 * rejected (about 40 bytes a project with its records) — and brings it up to date like the
 * boards: the audit entries since the state's stamp name the projects written since (from
 * any instance or the CLI), and only those are read again. A write it cannot place (an
 * entity it does not know, a record it cannot read) reloads the whole state. Names, units
 * and the responsible person of a page's rows are read from the database when answered.
 * tests/unit/test_stale_cache.c compares the kept answer with the SQL one after every kind
 * of write. */
#ifndef HZ_STALE_CACHE_H
#define HZ_STALE_CACHE_H
#include <jansson.h>
#include "db/db.h"
#include "store/progress_store.h"

/* The page p (p->unit_id 0: every unit) of the projects of the campaign at lead or
 * negotiating as of the day as_of and quiet since quiet_since (days; see
 * progress_store_stale), oldest activity first: *items (new reference, the rows of
 * progress_store_stale) and *total. *items NULL with HZ_OK when the kept state cannot
 * answer (a record it cannot hold): the caller asks the SQL. */
int stale_cache_page(Db *db, int64_t campaign_id, int quiet_since, int as_of, const Page *p, json_t **items,
                     int64_t *total, HzErr *e);
/* How many projects of the campaign (led or co-owned by unit_id; 0: every unit's) are at
 * lead or negotiating now, not settled as duplicates, and last active on or before day
 * quiet_since: the total of progress_store_stale as things stand (as_of NULL). Everyone's
 * is a sum of counts kept per day, a unit's one walk of the kept projects. *known 0 (HZ_OK)
 * when the state is not loaded whole (serve loads it at start; this does not wait for
 * that) or cannot answer: the caller asks the SQL. */
int stale_cache_count_now(Db *db, int64_t campaign_id, int64_t unit_id, int quiet_since, int64_t *total, int *known,
                          HzErr *e);
/* Loads the state now (serve calls it at start on a connection of its own, so the first
 * list does not wait for it). */
int stale_cache_warm(Db *db, HzErr *e);
/* How many times the state was loaded whole and brought up to date by entries. */
void stale_cache_stats(int64_t *loads, int64_t *patches);

#endif
