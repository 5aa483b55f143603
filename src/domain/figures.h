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
 *   days_<stage>:<n>   a stay of n days in a stage, on the day it ended (the funnel's medians)
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
  int day;
  int64_t reported, certified;
} Figure;

typedef struct {
  Figure *items; /* owned; figures_free */
  size_t n, cap;
} Figures;

void figures_free(Figures *f);
/* Adds to the figure with the same key, or appends one. */
void figures_add(Figures *f, int64_t campaign_id, int64_t unit_id, const char *metric, int day, int64_t reported,
                 int64_t certified);
/* Pure: the figures of one project from its records (JSON objects as the API shows
 * them; the arrays in id order). project NULL: none. */
void figures_of_project(json_t *project, json_t *stage_changes, json_t *funds, json_t *follow_ups, Figures *out);
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
