/* Lists the progress engine shows beside its figures: stale projects, the certification
 * queue, the records behind a unit's score, duplicate-claim candidates, snapshots. */
#ifndef HZ_PROGRESS_STORE_H
#define HZ_PROGRESS_STORE_H
#include <jansson.h>
#include "db/db.h"

typedef struct {
  int64_t limit, offset;
  int64_t unit_id; /* 0 = all units */
} Page;

/* Projects in lead/negotiating whose last activity is on or before `quiet_since`. as_of NULL:
 * as things stand (right for today or later); else stage and activity as of that earlier day. */
int progress_store_stale(Db *db, int64_t campaign_id, const char *quiet_since, const char *as_of, const Page *p,
                         json_t **items, int64_t *total, HzErr *e);
/* Reported stage changes (to signed/started/completed) and funds waiting for the office.
 * kind: NULL, "stage_change" or "fund". */
int progress_store_queue(Db *db, int64_t campaign_id, const char *kind, const Page *p, json_t **items, int64_t *total,
                         HzErr *e);
/* Certified stage changes and funds of a unit's counted projects up to as_of (a move from the
 * day of its earliest figure: contract, start or completion date). */
int progress_store_unit_records(Db *db, int64_t campaign_id, int64_t unit_id, const char *as_of, json_t **out,
                                HzErr *e);
/* Pairs of counted projects of different lead units with the same investor, not yet
 * dismissed: [{a:{id,name,lead_unit_id,investor_id}, b:{…}}]. */
int progress_store_same_investor(Db *db, int64_t campaign_id, json_t **out, HzErr *e);
int progress_store_dismiss(Db *db, int64_t a, int64_t b, HzErr *e);

int snapshot_store_insert(Db *db, int64_t campaign_id, const char *as_of, const char *label, int64_t by,
                          const char *figures, const char *sha256, int64_t *id, HzErr *e);
/* {id, campaign_id, as_of, label, created_at, created_by, sha256[, figures]} */
int snapshot_store_get(Db *db, int64_t id, int with_figures, json_t **out, HzErr *e);
/* Only the frozen figures of a snapshot. */
int snapshot_store_get_figures(Db *db, int64_t id, json_t **figures, HzErr *e);
int snapshot_store_list(Db *db, int64_t campaign_id, json_t **out, HzErr *e);

#endif
