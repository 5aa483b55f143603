/* Settings of the progress engine, per campaign, editable by the office (R-PROG-3/4/6/7).
 * Defaults (docs/figures.md explains them):
 *   behind_margin 10, ahead_margin 10   percentage points around time progress
 *   stale_days 14                       days without a follow-up before a lead goes stale
 *   weights   funds_arrived 40, signed_value 15, signed_count 10, started_count 10,
 *             completed_count 5, policy_funds 40, leads_count 5,
 *             visits_out 5, visits_in 5, fairs 5
 *   probabilities (percent chance a project at this stage turns into a signing or money
 *             by the end date) lead 10, negotiating 30, signed 70, started 90 */
#ifndef HZ_SETTINGS_H
#define HZ_SETTINGS_H
#include <jansson.h>
#include "db/db.h"
#include "domain/role.h"

#define TARGET_METRICS_N 7
#define ACTIVITY_METRICS_N 3
extern const char *const target_metrics[TARGET_METRICS_N];
extern const char *const activity_metrics[ACTIVITY_METRICS_N];

typedef struct {
  int behind_margin, ahead_margin, stale_days;
  int weights[TARGET_METRICS_N + ACTIVITY_METRICS_N]; /* target metrics, then activity metrics */
  int probabilities[4];                               /* lead, negotiating, signed, started */
} Settings;

void settings_default(Settings *s);
json_t *settings_json(const Settings *s);
/* Merges a (partial) JSON object into s; every bad key or value named in e->fields. */
int settings_apply(Settings *s, json_t *patch, HzErr *e);
/* The campaign's settings (defaults when none stored); *version 0 when none stored. */
int settings_load(Db *db, int64_t campaign_id, Settings *s, int64_t *version, HzErr *e);
/* PATCH: checks version (409 when stale), validates, stores, audits. *out = new JSON. */
int settings_update(Db *db, const Actor *a, int64_t campaign_id, json_t *body, json_t **out, HzErr *e);

#endif
