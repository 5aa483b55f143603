/* SQL of the figures tables (domain/figures.h). */
#ifndef HZ_FIGURES_STORE_H
#define HZ_FIGURES_STORE_H
#include "db/db.h"
#include "domain/figures.h"
#include "store/bulk_store.h"

/* A project (NULL when it does not exist) and its stage changes, funds and follow-ups
 * (new arrays in id order), with the keys figures_of_project reads. */
int figures_store_inputs(Db *db, int64_t project_id, json_t **project, json_t **stage_changes, json_t **funds,
                         json_t **follow_ups, HzErr *e);
/* The figures stored for one project. */
int figures_store_project(Db *db, int64_t project_id, Figures *out, HzErr *e);
/* Stores `after` as the project's figures (before: what figures_store_project read in this
 * transaction; only the difference is written) and adds (after - before) to the unit sums. A
 * figure of metric days_<stage> goes to the stays tables, every other to the figures tables. */
int figures_store_replace(Db *db, int64_t project_id, const Figures *before, const Figures *after, HzErr *e);
/* figures_store_replace for batches (domain/figures_batch.h): the project's own figures
 * only (before: all that figures_store_project read for it); figures_store_add_sums then
 * adds the net differences of many projects at once. */
int figures_store_replace_own(Db *db, int64_t project_id, const Figures *before, const Figures *after, HzErr *e);
/* Adds each figure of delta (reported, certified: differences; sorted by key, as
 * figures_batch.c merges them) to the unit sums, each total once. */
int figures_store_add_sums(Db *db, const Figures *delta, HzErr *e);
int figures_store_set_last_activity(Db *db, int64_t project_id, const char *date, HzErr *e);
/* Calls fn once per project, in project id order, with the project and its records as
 * figures_store_inputs gives them for one (plus the project's last_activity_date, and each
 * record's id, campaign_id and unit_id); the JSON is only lent for the call. One ordered
 * pass over each table instead of four queries per project. with_stored: stored = the
 * figures stored for the project, and figures stored for a project that does not exist
 * come to fn too, with project NULL and empty arrays; else stored is NULL. fn may write
 * to the figures tables when !with_stored (not to the ones read). */
typedef int (*FiguresEachFn)(void *ctx, int64_t project_id, json_t *project, json_t *stage_changes, json_t *funds,
                             json_t *follow_ups, const Figures *stored, HzErr *e);
int figures_store_each_project(Db *db, int with_stored, FiguresEachFn fn, void *ctx, HzErr *e);
/* The same, with_stored, for the projects with ids in [lo, hi] (and figures stored for ids
 * in it that are no project): five range queries for a run of a batch's projects
 * (figures_batch_refresh) instead of five queries per project. fn writes nothing. */
int figures_store_each_in_range(Db *db, int64_t lo, int64_t hi, FiguresEachFn fn, void *ctx, HzErr *e);
/* Calls fn for every stored unit sum in key order: unit_figures by day, or (totals)
 * unit_totals with day 0; then the stays the same way (unit_stays, unit_stay_totals), as
 * figures of metric days_<stage> with their stay_days and reported = certified = count. */
typedef int (*UnitFigureFn)(void *ctx, int64_t campaign_id, int64_t unit_id, const char *metric, int stay_days,
                            int day, int64_t reported, int64_t certified, HzErr *e);
int figures_store_each_unit_sum(Db *db, int totals, UnitFigureFn fn, void *ctx, HzErr *e);
/* Empties the figures and stays tables. */
int figures_store_clear(Db *db, HzErr *e);
/* Bulk writes into emptied tables (figures_rebuild), through a load of store/bulk_store.h
 * that the caller flushes: a project's figures without touching the unit sums, and one
 * unit sum computed outside SQL: f's sum on its day (unit_figures, or unit_stays for a
 * stay), or over all days when total (unit_totals, unit_stay_totals; f's day not used). */
int figures_store_load_project(BulkLoad *l, int64_t project_id, const Figures *f, HzErr *e);
int figures_store_load_sum(BulkLoad *l, const Figure *f, int total, HzErr *e);
/* Calls fn for each unit and metric of a campaign with the sums over the days up to
 * as_of (all days when all_days); the stage-duration histograms are left out. */
typedef void (*UnitSumFn)(void *ctx, int64_t unit_id, const char *metric, int64_t reported, int64_t certified);
int figures_store_each_sum(Db *db, int64_t campaign_id, int as_of, int all_days, UnitSumFn fn, void *ctx, HzErr *e);

/* Every unit: [{id, name, category}] in id order. */
int figures_store_units(Db *db, json_t **out, HzErr *e);
/* Unit-level targets of a campaign: [{unit_id, scope, metric, value}]. */
int figures_store_targets(Db *db, int64_t campaign_id, json_t **out, HzErr *e);
/* Calls fn for each unit, stage and length of stay (days) with how many stays of that
 * length had ended by as_of (all days when all_days). fn returns an rc; the first that is
 * not HZ_OK stops the walk and is returned. */
typedef int (*StayFn)(void *ctx, int64_t unit_id, const char *stage, int days, int64_t count, HzErr *e);
int figures_store_each_stay(Db *db, int64_t campaign_id, int as_of, int all_days, StayFn fn, void *ctx, HzErr *e);
/* One unit's all-time sums (unit_totals) and stays (unit_stay_totals, counts > 0) of a
 * campaign, as figures_store_each_sum and figures_store_each_stay give them with all_days:
 * a board brought up to date after a write reloads the units it touched (domain/progress.c). */
int figures_store_unit_totals(Db *db, int64_t campaign_id, int64_t unit_id, UnitSumFn fn, void *ctx, HzErr *e);
int figures_store_unit_stay_totals(Db *db, int64_t campaign_id, int64_t unit_id, StayFn fn, void *ctx, HzErr *e);

/* One unit's figures summed over the days [from, to]: {metric: {reported, certified}}
 * for the dated metrics (no pipeline or duration figures). */
int figures_store_unit_range(Db *db, int64_t campaign_id, int64_t unit_id, int from, int to, json_t **out, HzErr *e);

/* The campaign's start and end as day numbers; both 0 when there is no such campaign. */
int figures_store_campaign_days(Db *db, int64_t campaign_id, int *start, int *end, HzErr *e);
/* One unit's counted projects (its lead projects not settled as duplicates) and their
 * standing records, each a new array in id order, for figures_unit_records:
 * projects [{id, name, lead_date, planned_investment}], stage_changes [{id, project_id,
 * from_stage, to_stage, date, contract_date, contract_value, start_date, completion_date,
 * status}], funds [{id, project_id, amount, date, kind, status}], follow_ups [{id,
 * project_id, date, kind, with_leader}]. Rejected records are left out. */
int figures_store_unit_inputs(Db *db, int64_t campaign_id, int64_t unit_id, json_t **projects, json_t **stage_changes,
                              json_t **funds, json_t **follow_ups, HzErr *e);

#endif
