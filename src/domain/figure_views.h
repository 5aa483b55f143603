/* Figure views (SPEC §8): the dashboard, progress, ranking and its drill-down, funnel,
 * forecast, stale projects, the certification queue, duplicate claims and snapshots, each
 * as the person asking may see it. A unit user gets every unit's standing but the detail
 * rows of its own unit only, and no breakdown by category (in a small category it would
 * give away other units' targets); the ranking is circulated whole (R-ROLE-2). http/ only
 * reads the query, caches and writes what these return. Each *out is a new reference. */
#ifndef HZ_FIGURE_VIEWS_H
#define HZ_FIGURE_VIEWS_H
#include <jansson.h>
#include "db/db.h"
#include "domain/list_query.h"
#include "domain/role.h"

typedef struct {
  int64_t campaign_id;
  int as_of;        /* the day the figures stand at */
  ListPage page;    /* stale projects, certification queue, duplicates */
  int64_t unit_id;  /* stale projects, queue: one unit's (0: all); a unit user always gets its own */
  const char *kind; /* queue: NULL, "stage_change" or "fund" (borrowed) */
} FigureQuery;

int figure_views_dashboard(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e);
int figure_views_progress(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e);
int figure_views_ranking(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e);
int figure_views_funnel(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e);
int figure_views_forecast(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e);
/* The score of one unit, with the records behind it; a unit user may ask for its own only. */
int figure_views_ranking_unit(Db *db, const Actor *a, const FigureQuery *q, int64_t unit_id, json_t **out, HzErr *e);
/* {as_of, stale_days, items (each with days_quiet), total, limit, offset} */
int figure_views_stale(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e);
/* {items, total, limit, offset}; HZ_EINVAL naming kind when it is neither kind. */
int figure_views_queue(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e);
/* Candidate duplicate claims, {items, total, limit, offset}; the office and leaders only. */
int figure_views_duplicates(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e);
/* A campaign's snapshots (without figures), {items, total, limit, offset}. */
int figure_views_snapshots(Db *db, const Actor *a, int64_t campaign_id, const ListPage *p, json_t **out, HzErr *e);
/* One snapshot with its frozen figures, narrowed like the live ones. */
int figure_views_snapshot(Db *db, const Actor *a, int64_t id, json_t **out, HzErr *e);
/* A snapshot against today's figures (domain/snapshot.h); the office and leaders only. */
int figure_views_snapshot_diff(Db *db, const Actor *a, int64_t id, json_t **out, HzErr *e);
/* Days since a project's last activity as of `as_of`. */
int figure_views_days_quiet(const char *last_activity_date, int as_of);

#endif
