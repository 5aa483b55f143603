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
  /* The dashboard's unit tables: one category's units (NULL: all), and the statuses to keep
   * (a string or an array of strings, borrowed; NULL: all). page.sort/desc sort them. */
  const char *category;
  json_t *status;
  /* progress, ranking, forecast: every unit's row (all=true), not a page of them */
  int all;
} FigureQuery;

/* How many of the best and of the worst units the dashboard's ranking chart gets; a
 * campaign with at most twice as many units gets them all in `top`. */
#define FIGURE_VIEWS_RANK_SHOWN 20
/* The dashboard's rows of will_miss (will_miss_total counts them all). */
#define FIGURE_VIEWS_WILL_MISS_SHOWN 20

/* The dashboard: what its cards and charts show, bounded whatever the number of units:
 * {campaign, totals, status_counts, lights {metric: {zero, behind, on_track, ahead,
 * no_target}}, funnel, forecast {metric: {certified, forecast, target}}, ranking {total,
 * top, bottom}, lagging_total, will_miss (the first FIGURE_VIEWS_WILL_MISS_SHOWN),
 * will_miss_total, stale (10 rows)}. The unit tables page on their own (below). */
int figure_views_dashboard(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e);
/* The dashboard's ranking table, a page of the overall ranking: {items, total, limit,
 * offset}, each item a ranking row with its category_rank; filtered by q->category and
 * q->status (lagging units: zero and behind), sorted by FIGURE_VIEWS_RANKING_SORTS (rank by
 * default; ties by rank). Everyone gets every unit (the ranking is circulated whole).
 * HZ_EINVAL naming category or status for a value that is not one. */
int figure_views_ranking_table(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e);
/* The dashboard's light matrix, a page of units: each {unit_id, name, category, status,
 * completion, rank, score, metrics {metric: {target, annual_target, reported, certified,
 * completion, annual_completion, light}}}, filtered and sorted like the ranking table (a
 * metric's name sorts by its completion, units without a target last). A unit user gets
 * its own unit's row only. */
int figure_views_matrix(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e);
/* The two halves of those tables, so http/ can keep every unit's rows per data revision
 * and answer each page and sort from them: the check of category and status (HZ_EINVAL
 * naming the one that is bad); every row the asker may see (matrix: 1), in rank order
 * (*rows a new array); one page of such rows (rows stolen). */
int figure_views_table_check(const FigureQuery *q, HzErr *e);
int figure_views_unit_rows(Db *db, const Actor *a, const FigureQuery *q, int matrix, json_t **rows, HzErr *e);
int figure_views_unit_page(json_t *rows, const FigureQuery *q, int matrix, json_t **out, HzErr *e);
extern const char *const figure_views_ranking_sorts[]; /* NULL-terminated */
extern const char *const figure_views_matrix_sorts[];
extern const char *const figure_views_statuses[];
/* progress, ranking and forecast send one row per unit: a page of them (q->page, sorted
 * by the keys below, like the dashboard's unit tables) with total, limit and offset beside
 * it, unless q->all. A page of the ranking cuts each category's ranking in by_category to
 * the same page (their lengths in by_category_total); a page of the forecast
 * keeps the first FIGURE_VIEWS_WILL_MISS_SHOWN of will_miss, and will_miss_total. */
extern const char *const figure_views_progress_sorts[];       /* a metric sorts by its completion */
extern const char *const figure_views_board_ranking_sorts[];
extern const char *const figure_views_forecast_sorts[];       /* a metric sorts by its forecast */
int figure_views_progress(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e);
int figure_views_ranking(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e);
/* figure_views_ranking's answer as its JSON text (the same bytes json_text gives), kept
 * per unit between writes so a write costs the rows it changed: *text malloc'd (caller
 * frees). */
int figure_views_ranking_text(Db *db, const Actor *a, const FigureQuery *q, char **text, size_t *len, HzErr *e);
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
