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
/* The page of progress_store_stale as things stand (as_of NULL) without its count: for a
 * caller that has the count already (domain/stale_cache.h, stale_cache_count_now). *items:
 * a new reference. */
int progress_store_stale_page_now(Db *db, int64_t campaign_id, const char *quiet_since, const Page *p, json_t **items,
                                  HzErr *e);
/* What the kept stale state (domain/stale_cache.h) reads, ordered by project id: a row per
 * project (campaign, lead unit, lead date, whether settled as a duplicate, stage), per
 * follow-up (its date, ascending) and per stage change not rejected (its date and
 * to_stage, in id order), every project's (a whole-table scan, chunked on PostgreSQL).
 * fn gets the values lent for the call (dup, date and stage as they apply; 0 / NULL
 * otherwise) and returns an rc; the first that is not HZ_OK stops the walk and is returned. */
typedef int (*ProgressStaleFn)(void *ctx, int64_t project_id, int64_t campaign_id, int64_t unit_id, int dup,
                               const char *date, const char *stage, HzErr *e);
int progress_store_stale_projects(Db *db, ProgressStaleFn fn, void *ctx, HzErr *e);
int progress_store_stale_follow_ups(Db *db, ProgressStaleFn fn, void *ctx, HzErr *e);
int progress_store_stale_moves(Db *db, ProgressStaleFn fn, void *ctx, HzErr *e);
/* One project's rows of the three, in one statement (one round trip on PostgreSQL): its
 * row to fns[0] (none when it is gone), then its follow-ups to fns[1], then its moves to
 * fns[2], each in the order above. */
int progress_store_stale_project(Db *db, int64_t project_id, const ProgressStaleFn fns[3], void *ctx, HzErr *e);
/* Appends to items the stale list's row of project id with the stage and last activity
 * date given (worked out from the kept state), its names and responsible person read now;
 * HZ_ENOTFOUND when the project is gone. */
int progress_store_stale_row(Db *db, int64_t id, const char *stage, const char *last_activity, json_t *items,
                             HzErr *e);
/* *ids (caller frees) = the projects unit_id co-owns, ascending; *n how many. */
int progress_store_co_owned(Db *db, int64_t unit_id, int64_t **ids, size_t *n, HzErr *e);
/* Reported stage changes (to signed/started/completed) and funds waiting for the office.
 * kind: NULL, "stage_change" or "fund". */
int progress_store_queue(Db *db, int64_t campaign_id, const char *kind, const Page *p, json_t **items, int64_t *total,
                         HzErr *e);
/* Records that the office found projects a and b not to be duplicates (the claims are
 * found by store/duplicates_store.h). */
int progress_store_dismiss(Db *db, int64_t a, int64_t b, HzErr *e);
/* Calls fn for each unit and metric of a campaign, then stay for each unit, stage and length
 * of stay, with its sums over the days up to `day`: the all-time total less the days after,
 * found by index per unit and metric (stage and length), so a board as of a campaign's end
 * day reads O(units × metrics) rows plus the few dated after it. stay returns an rc; the
 * first that is not HZ_OK stops the walk and is returned. */
typedef void (*ProgressSumFn)(void *ctx, int64_t unit_id, const char *metric, int64_t reported, int64_t certified);
typedef int (*ProgressStayFn)(void *ctx, int64_t unit_id, const char *stage, int days, int64_t count, HzErr *e);
int progress_store_each_sum_until(Db *db, int64_t campaign_id, int day, ProgressSumFn fn, ProgressStayFn stay,
                                  void *ctx, HzErr *e);

int snapshot_store_insert(Db *db, int64_t campaign_id, const char *as_of, const char *label, int64_t by,
                          const char *figures, const char *sha256, int64_t *id, HzErr *e);
/* {id, campaign_id, as_of, label, created_at, created_by, sha256[, figures]} */
int snapshot_store_get(Db *db, int64_t id, int with_figures, json_t **out, HzErr *e);
/* Only the frozen figures of a snapshot. */
int snapshot_store_get_figures(Db *db, int64_t id, json_t **figures, HzErr *e);
/* A page of a campaign's snapshots (without figures), oldest first; *total counts them all. */
int snapshot_store_list(Db *db, int64_t campaign_id, int64_t limit, int64_t offset, json_t **items, int64_t *total,
                        HzErr *e);

#endif
