/* SQL of the figures tables (domain/figures.h). */
#ifndef HZ_FIGURES_STORE_H
#define HZ_FIGURES_STORE_H
#include "db/db.h"
#include "domain/figures.h"

/* A project (NULL when it does not exist) and its stage changes, funds and follow-ups
 * (new arrays in id order), with the keys figures_of_project reads. */
int figures_store_inputs(Db *db, int64_t project_id, json_t **project, json_t **stage_changes, json_t **funds,
                         json_t **follow_ups, HzErr *e);
/* The figures stored for one project. */
int figures_store_project(Db *db, int64_t project_id, Figures *out, HzErr *e);
/* Stores `after` as the project's figures and adds (after - before) to the unit sums. */
int figures_store_replace(Db *db, int64_t project_id, const Figures *before, const Figures *after, HzErr *e);
int figures_store_set_last_activity(Db *db, int64_t project_id, const char *date, HzErr *e);
int figures_store_project_ids(Db *db, json_t **ids, HzErr *e);
/* Appends to diffs every unit sum that differs from the sum of the project figures. */
int figures_store_check_sums(Db *db, json_t *diffs, HzErr *e);
/* Per unit and metric of a campaign: [{unit_id, metric, reported, certified}] summed
 * over the days up to as_of (all days when all_days). */
int figures_store_unit_sums(Db *db, int64_t campaign_id, int as_of, int all_days, json_t **out, HzErr *e);

/* Every unit: [{id, name, category}] in id order. */
int figures_store_units(Db *db, json_t **out, HzErr *e);
/* Unit-level targets of a campaign: [{unit_id, scope, metric, value}]. */
int figures_store_targets(Db *db, int64_t campaign_id, json_t **out, HzErr *e);
/* Stage-duration histograms: [{unit_id, metric (days_<stage>), days, count}]. */
int figures_store_histograms(Db *db, int64_t campaign_id, json_t **out, HzErr *e);

#endif
