/* The campaign's figures as people read them (R-PROG-2 … R-PROG-9): completion against
 * targets, time vs task and each unit's status, the ranking with its drill-down, the
 * funnel and the forecast. Everything is computed from the per-unit sums
 * (domain/figures.h) and the targets, so a board costs O(units × metrics) whatever the
 * number of projects. */
#ifndef HZ_PROGRESS_H
#define HZ_PROGRESS_H
#include <jansson.h>
#include "db/db.h"
#include "domain/role.h"
#include "domain/settings.h"

typedef struct Board Board;

/* Loads the campaign's figures as of a day, clamped to the campaign: after its end the
 * figures are the end day's, before its start nothing counts yet (docs/figures.md).
 * *out freed by board_free. HZ_ENOTFOUND for an unknown campaign. */
int board_load(Db *db, int64_t campaign_id, int as_of, Board **out, HzErr *e);
void board_free(Board *b);
/* The same board, shared and kept: the last one of each (campaign, day) is kept, and after
 * writes brought up to date by reading again only the units they touched (see progress.c).
 * Equal to what board_load gives at the same data. *out is read-only and released with
 * board_release (NULL is fine); thread-safe. */
int board_get(Db *db, int64_t campaign_id, int as_of, const Board **out, HzErr *e);
void board_release(const Board *b);
/* How board_get answered so far in this process: full loads, boards brought up to date by
 * reloading the units written, and kept boards that were current. */
void board_stats(int64_t *loads, int64_t *patches, int64_t *hits);

/* Each returns a new JSON object. */
json_t *board_campaign_json(const Board *b);  /* dates, day N of M, time progress */
json_t *board_progress_json(const Board *b);  /* per unit and category: targets, reported, certified, status */
json_t *board_ranking_json(const Board *b);   /* overall and within each category */
json_t *board_funnel_json(const Board *b);
/* board_ranking_json's text (json_text, byte for byte), written from each unit's row kept
 * as text: *text malloc'd (caller frees), *len its length. HZ_ENOMEM. */
int board_ranking_text(const Board *b, char **text, size_t *len);
/* Parts of the above on their own: the forecast's "will_miss" list. */
json_t *board_will_miss_json(const Board *b);    /* campaign, per category, per unit */
json_t *board_funnel_stages_json(const Board *b); /* the campaign's stages only */
/* The dashboard's summary straight from the board (no per-unit JSON): {campaign, totals,
 * status_counts, lights, funnel, forecast, ranking {total, top, bottom}, lagging_total,
 * will_miss, will_miss_total} as domain/figure_views.h describes it. unit: a unit user's
 * unit, whose own forecast and will_miss are all it gets (0: every unit's); rank_shown:
 * the rows of each end of the ranking; will_miss_shown: the rows of will_miss. */
json_t *board_dashboard_json(const Board *b, int64_t unit, int rank_shown, int will_miss_shown);
/* Expected value of every target metric at the end date (certified, pending at its stage
 * probability, pipeline and pace), each unit's expected completion, and who will miss. */
json_t *board_forecast_json(const Board *b);
/* Score drill-down for one unit: every component's value, target, ratio and weight.
 * NULL when the unit is not in the campaign's board. */
json_t *board_explain_json(const Board *b, int64_t unit_id);
/* What the rules engine may test about each unit (domain/rules.h): [{unit_id, name,
 * category, status, rank, category_rank, rank_from_bottom, score, completion,
 * completion.<metric>…}] as a flat object per unit, plus campaign_targets_met,
 * annual_targets_met and all_targets_met (a scope with no target counts as met). */
json_t *board_unit_facts(const Board *b);
/* Percent with two decimals (for JSON). */
double pct2(double x);

#endif
