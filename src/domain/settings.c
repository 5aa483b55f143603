#include "domain/settings.h"
#include "domain/resource.h"
#include "store/audit_store.h"
#include "store/record_store.h"
#include "store/settings_store.h"
#include "util/text.h"
#include <stdlib.h>
#include <string.h>

const char *const target_metrics[TARGET_METRICS_N] = {"funds_arrived", "signed_count", "signed_value", "started_count",
                                                      "completed_count", "policy_funds", "leads_count"};
const char *const activity_metrics[ACTIVITY_METRICS_N] = {"visits_out", "visits_in", "fairs"};
static const char *const prob_stages[4] = {"lead", "negotiating", "signed", "started"};

void settings_default(Settings *s) {
  static const int weights[] = {40, 10, 15, 10, 5, 40, 5, 5, 5, 5};
  static const int probs[] = {10, 30, 70, 90};
  s->behind_margin = 10;
  s->ahead_margin = 10;
  s->stale_days = 14;
  memcpy(s->weights, weights, sizeof s->weights);
  memcpy(s->probabilities, probs, sizeof s->probabilities);
}

json_t *settings_json(const Settings *s) {
  json_t *w = json_object(), *p = json_object();
  for (int i = 0; i < TARGET_METRICS_N; i++) json_object_set_new(w, target_metrics[i], json_integer(s->weights[i]));
  for (int i = 0; i < ACTIVITY_METRICS_N; i++)
    json_object_set_new(w, activity_metrics[i], json_integer(s->weights[TARGET_METRICS_N + i]));
  for (int i = 0; i < 4; i++) json_object_set_new(p, prob_stages[i], json_integer(s->probabilities[i]));
  return json_pack("{s:i s:i s:i s:o s:o}", "behind_margin", s->behind_margin, "ahead_margin", s->ahead_margin,
                   "stale_days", s->stale_days, "weights", w, "probabilities", p);
}

static void int_in(json_t *v, const char *name, int lo, int hi, int *dst, HzErr *e) {
  if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
    char msg[96];
    snprintf(msg, sizeof msg, "应为 %d 到 %d 之间的整数", lo, hi);
    hz_err_field(e, name, msg);
    return;
  }
  *dst = (int)json_integer_value(v);
}

/* A {name: integer} object onto dst[i] for names[i]. */
static void table_in(json_t *obj, const char *field, const char *const *names, int n, int lo, int hi, int *dst,
                     HzErr *e) {
  if (!json_is_object(obj)) {
    hz_err_field(e, field, "应为对象");
    return;
  }
  const char *k;
  json_t *v;
  json_object_foreach(obj, k, v) {
    char name[96];
    snprintf(name, sizeof name, "%s.%s", field, k);
    utf8_trim_partial(name);
    int i = 0;
    while (i < n && strcmp(names[i], k)) i++;
    if (i == n) hz_err_field(e, name, "未知项");
    else int_in(v, name, lo, hi, &dst[i], e);
  }
}

int settings_apply(Settings *s, json_t *patch, HzErr *e) {
  const char *k;
  json_t *v;
  const char *weights[TARGET_METRICS_N + ACTIVITY_METRICS_N];
  for (int i = 0; i < TARGET_METRICS_N; i++) weights[i] = target_metrics[i];
  for (int i = 0; i < ACTIVITY_METRICS_N; i++) weights[TARGET_METRICS_N + i] = activity_metrics[i];
  json_object_foreach(patch, k, v) {
    if (!strcmp(k, "version")) continue;
    if (!strcmp(k, "behind_margin")) int_in(v, k, 0, 100, &s->behind_margin, e);
    else if (!strcmp(k, "ahead_margin")) int_in(v, k, 0, 100, &s->ahead_margin, e);
    else if (!strcmp(k, "stale_days")) int_in(v, k, 1, 365, &s->stale_days, e);
    else if (!strcmp(k, "weights")) table_in(v, k, weights, TARGET_METRICS_N + ACTIVITY_METRICS_N, 0, 1000, s->weights, e);
    else if (!strcmp(k, "probabilities")) table_in(v, k, prob_stages, 4, 0, 100, s->probabilities, e);
    else hz_err_field(e, k, "未知字段");
  }
  if (e->fields && json_object_size(e->fields)) return hz_fail(e, HZ_EINVAL, NULL, "设置有误");
  return HZ_OK;
}

int settings_load(Db *db, int64_t campaign_id, Settings *s, int64_t *version, HzErr *e) {
  settings_default(s);
  json_t *stored = NULL;
  int rc = settings_store_get(db, campaign_id, &stored, version, e);
  if (!rc && stored) {
    HzErr ignore = {0};
    settings_apply(s, stored, &ignore); /* stored settings were validated when written */
    hz_err_clear(&ignore);
  }
  json_decref(stored);
  return rc;
}

int settings_update(Db *db, const Actor *a, int64_t campaign_id, json_t *body, json_t **out, HzErr *e) {
  *out = NULL;
  if (!(a->role & ROLES_CENTRAL)) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只有会战办公室可以修改考核设置");
  json_t *campaign = NULL;
  int rc = record_store_get(db, resource_find("campaigns"), campaign_id, 0, &campaign, e);
  json_decref(campaign);
  if (rc) return rc;
  Settings s;
  int64_t version = 0;
  if ((rc = settings_load(db, campaign_id, &s, &version, e))) return rc;
  json_t *sent = json_object_get(body, "version");
  if (!json_is_integer(sent)) return hz_fail(e, HZ_EINVAL, "version", "修改时必须提供读取到的 version");
  if (json_integer_value(sent) != version)
    return hz_fail(e, HZ_ECONFLICT, "version", "考核设置已被他人修改，请刷新后重试");
  json_t *before = settings_json(&s);
  if ((rc = settings_apply(&s, body, e))) {
    json_decref(before);
    return rc;
  }
  json_t *after = settings_json(&s);
  rc = db_begin(db, e);
  if (!rc) rc = settings_store_put(db, campaign_id, after, version, e);
  if (!rc) rc = audit_store_append(db, a, "update", "campaign-settings", campaign_id, before, after, e);
  if (!rc) rc = db_commit(db, e);
  if (rc) db_rollback(db);
  json_decref(before);
  if (!rc) {
    json_object_set_new(after, "version", json_integer(version + 1));
    *out = after;
  } else json_decref(after);
  return rc;
}
