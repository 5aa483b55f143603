/* What each project contributes to the campaign's figures (R-PROG), and keeping the
 * per-unit sums of those contributions up to date in the same transaction as every
 * write (see the project_figures / unit_figures / unit_totals tables).
 *
 * Figures, all per (campaign, unit = the project's lead unit, metric, day):
 *   leads_count        1 on the lead date
 *   signed_count/value a move passing signed, on the contract date (value = contract value)
 *   started_count      a move passing started, on the start date
 *   completed_count    a move passing completed, on the completion date
 *   funds_arrived      fund arrivals other than policy funds, on their date
 *   policy_funds       policy fund arrivals (争取上级政策资金)
 *   reached_negotiating  funnel count, on the move date or an earlier signing/start/completion
 *   dropped_<stage>      funnel count, on the move date
 *   follow_ups, visits_out, visits_in, fairs, leader_follow_ups   activity, on the date
 *   pipeline_<stage>, pipeline_value_<stage>   current state (day 0)
 *   days_<stage>       a stay of stay_days days in a stage, on the day it ended (the funnel's
 *                      medians); stay_days is 0 for every other metric. Stored in the stays
 *                      tables (project_stays, ...) with the stage and length as columns
 * Every figure has a reported value (claimed: reported or certified records) and a
 * certified value (official). Rejected records and projects settled as duplicates
 * count nowhere, so no record is ever counted twice. */
#ifndef HZ_FIGURES_H
#define HZ_FIGURES_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"

typedef struct {
  int64_t campaign_id, unit_id;
  char metric[32];
  int stay_days; /* days_<stage>: the length of the stay; 0 for every other metric */
  int day;
  int64_t reported, certified;
} Figure;

typedef struct {
  Figure *items; /* owned; figures_free */
  size_t n, cap;
} Figures;

void figures_free(Figures *f);
/* Adds to the figure with the same key (campaign, unit, metric, stay_days, day), or appends
 * one. HZ_ENOMEM (and f unchanged) when it cannot grow: the caller must not store f then. */
int figures_add(Figures *f, int64_t campaign_id, int64_t unit_id, const char *metric, int stay_days, int day,
                int64_t reported, int64_t certified);
/* Pure: the figures of one project from its records (JSON objects as the API shows
 * them; the arrays in id order), added to out. project NULL: none. HZ_ENOMEM when out
 * cannot grow (out then holds part of them and must be thrown away). */
int figures_of_project(json_t *project, json_t *stage_changes, json_t *funds, json_t *follow_ups, Figures *out);
/* The records behind a unit's score as of as_of (YYYY-MM-DD), for the ranking drill-down:
 * the unit's counted projects (as leads), certified stage changes and funds, and follow-ups,
 * each with the score metrics it feeds by then, decided by the same rules as
 * figures_of_project (docs/figures.md "Score and rank"). The day is clamped to the
 * campaign: nothing before its start, the end day after its end. *out = new array
 * [{kind, id, project_id, project_name, date, detail, amount, metrics, kind_total}] in
 * (date, kind, id) order, at most FIGURES_RECORDS_MAX of each kind (the earliest by date
 * and id); kind_total counts them all. */
#define FIGURES_RECORDS_MAX 200
int figures_unit_records(Db *db, int64_t campaign_id, int64_t unit_id, const char *as_of, json_t **out, HzErr *e);
/* Recomputes one project's figures and applies the difference to the unit sums and to
 * the project's last activity date. Call inside the write's transaction. */
int figures_refresh_project(Db *db, int64_t project_id, HzErr *e);
/* Recomputes every project's figures and every unit sum from the raw records, replacing
 * what is stored, and corrects each project's last activity date: one ordered pass over
 * the records (for bulk loads such as `huizhan gen`). Call inside a transaction.
 * progress, when not NULL, is called every few thousand projects with the count done.
 * *projects (may be NULL) = projects recomputed. */
int figures_rebuild(Db *db, void (*progress)(int64_t done, void *ctx), void *ctx, int64_t *projects, HzErr *e);
/* `huizhan check` (R-PROG-12): recomputes every project's figures from the raw records in
 * one ordered pass and compares them with the stored ones (naming the metric and date),
 * each project's last_activity_date with its lead and follow-up dates, the campaign_id
 * and unit_id copied onto its stage changes, funds and follow-ups with the project's, and
 * every unit sum (by day and in total) with the sum of the recomputed figures. No query
 * per project: it must stay fast at province scale. *diffs = new array of
 * human-readable differences (empty when all agree). */
int figures_check(Db *db, json_t **diffs, HzErr *e);

#endif
