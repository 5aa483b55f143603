#include "domain/figure_views.h"
#include "domain/certify.h"
#include "domain/duplicates.h"
#include "domain/figures.h"
#include "domain/progress.h"
#include "domain/record.h"
#include "domain/settings.h"
#include "domain/snapshot.h"
#include "domain/stale_cache.h"
#include "store/progress_store.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <string.h>

/* Breakdowns by category: in a small category they would give away another unit's
 * targets and uncertified figures, so a unit user does not get them. */
static const char *const category_breakdowns[] = {"categories", "by_category", NULL};

/* The per-unit lists ("units", and "will_miss" of the forecast) keep a unit user's own
 * row only (unit 0: everyone's). */
static json_t *narrow(json_t *o, int64_t unit) {
  static const char *const lists[] = {"units", "will_miss"};
  if (!unit) return o;
  for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
    json_t *units = json_object_get(o, lists[k]), *mine;
    if (!json_is_array(units)) continue;
    mine = json_array();
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u) if (json_integer_value(json_object_get(u, "unit_id")) == unit) json_array_append(mine, u);
    json_object_set_new(o, lists[k], mine);
  }
  return o;
}

/* hide: keys a unit user does not get (NULL: none). */
static json_t *narrow_hiding(json_t *o, int64_t unit, const char *const *hide) {
  narrow(o, unit);
  for (int i = 0; unit && hide && hide[i]; i++) json_object_del(o, hide[i]);
  return o;
}

typedef json_t *(*BoardPart)(const Board *b);

static int with_board(Db *db, const Actor *a, const FigureQuery *q, BoardPart part, json_t **out, HzErr *e) {
  const Board *b = NULL;
  *out = NULL;
  int rc = board_get(db, q->campaign_id, q->as_of, &b, e);
  /* The ranking is circulated whole (R-ROLE-2); the other boards hide the breakdowns. */
  if (!rc) *out = narrow_hiding(part(b), record_scope_unit(a), part == board_ranking_json ? NULL : category_breakdowns);
  board_release(b);
  return rc;
}

int figure_views_progress(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  return with_board(db, a, q, board_progress_json, out, e);
}
int figure_views_ranking(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  return with_board(db, a, q, board_ranking_json, out, e);
}
int figure_views_funnel(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  return with_board(db, a, q, board_funnel_json, out, e);
}
int figure_views_forecast(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  return with_board(db, a, q, board_forecast_json, out, e);
}

int figure_views_days_quiet(const char *last_activity_date, int as_of) {
  int last = 0;
  date_parse(last_activity_date, &last);
  return as_of - last;
}

/* The stale list with a page of `limit` rows (0: as asked). */
static int stale_list(Db *db, const Actor *a, const FigureQuery *q, int64_t limit, json_t **out, HzErr *e) {
  Page p = {.limit = limit ? limit : q->page.limit, .offset = q->page.offset, .unit_id = q->unit_id};
  int64_t unit = record_scope_unit(a);
  if (unit) p.unit_id = unit;
  Settings s;
  int64_t version;
  int rc = settings_load(db, q->campaign_id, &s, &version, e);
  if (rc) return rc;
  char since[DATE_LEN], as_of_s[DATE_LEN];
  date_format(q->as_of - s.stale_days, since);
  date_format(q->as_of, as_of_s);
  json_t *items = NULL;
  int64_t total = 0, audit_id = 0;
  /* No record is dated after today, so from today on the stored state is the state as of the day. */
  const char *then = q->as_of < date_today() ? as_of_s : NULL;
  char key[160];
  snprintf(key, sizeof key, "%lld|%s|%s|%lld|%lld|%lld", (long long)q->campaign_id, as_of_s, since,
           (long long)p.unit_id, (long long)p.limit, (long long)p.offset);
  /* As of a past day, kept across the writes that cannot change it (domain/stale_cache.h). */
  if (then && ((rc = stale_cache_get(db, key, as_of_s, out, &audit_id, e)) || *out)) return rc;
  if ((rc = progress_store_stale(db, q->campaign_id, since, then, &p, &items, &total, e))) return rc;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it)
    json_object_set_new(it, "days_quiet",
                        json_integer(figure_views_days_quiet(json_string_value(json_object_get(it, "last_activity_date")), q->as_of)));
  *out = json_pack("{s:s s:i s:o s:I s:I s:I}", "as_of", as_of_s, "stale_days", s.stale_days, "items", items,
                   "total", (json_int_t)total, "limit", (json_int_t)p.limit, "offset", (json_int_t)p.offset);
  if (then) stale_cache_put(key, audit_id, *out);
  return HZ_OK;
}

int figure_views_stale(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  return stale_list(db, a, q, 0, out, e);
}

int figure_views_dashboard(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  const Board *b = NULL;
  json_t *stale = NULL;
  *out = NULL;
  int rc = board_get(db, q->campaign_id, q->as_of, &b, e);
  if (!rc) rc = stale_list(db, a, q, 10, &stale, e);
  if (!rc) {
    /* Only the parts of the ranking and the forecast the dashboard shows are computed. */
    json_t *progress = board_progress_json(b), *ranking = json_pack("{s:o}", "overall", board_ranking_overall_json(b));
    json_t *funnel = board_funnel_stages_json(b);
    json_t *forecast = json_pack("{s:o}", "will_miss", board_will_miss_json(b)), *lagging = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(ranking, "overall"), i, r) {
      const char *st = json_string_value(json_object_get(r, "status"));
      if (!strcmp(st, "zero") || !strcmp(st, "behind")) json_array_append(lagging, r);
    }
    json_t *status = json_pack("{s:i s:i s:i s:i s:i}", "zero", 0, "behind", 0, "on_track", 0, "ahead", 0, "no_target", 0);
    json_array_foreach(json_object_get(progress, "units"), i, r) {
      const char *st = json_string_value(json_object_get(r, "status"));
      json_object_set_new(status, st, json_integer(json_integer_value(json_object_get(status, st)) + 1));
    }
    *out = narrow(json_pack("{s:O s:O s:o s:O s:O s:o s:o s:O s:O}", "campaign", json_object_get(progress, "campaign"),
                            "totals", json_object_get(progress, "totals"), "status_counts", status, "ranking",
                            json_object_get(ranking, "overall"), "funnel", funnel, "lagging", lagging, "stale", stale,
                            "will_miss", json_object_get(forecast, "will_miss"), "units", json_object_get(progress, "units")),
                  record_scope_unit(a));
    stale = NULL;
    json_decref(progress);
    json_decref(ranking);
    json_decref(funnel);
    json_decref(forecast);
  }
  json_decref(stale);
  board_release(b);
  return rc;
}

int figure_views_ranking_unit(Db *db, const Actor *a, const FigureQuery *q, int64_t unit_id, json_t **out, HzErr *e) {
  int64_t unit = record_scope_unit(a);
  *out = NULL;
  if (unit && unit != unit_id) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只能查看本单位的得分明细");
  const Board *b = NULL;
  int rc = board_get(db, q->campaign_id, q->as_of, &b, e);
  if (rc) return rc;
  *out = board_explain_json(b, unit_id);
  board_release(b);
  if (!*out) return hz_fail(e, HZ_ENOTFOUND, NULL, "单位 %lld 不存在", (long long)unit_id);
  char as_of_s[DATE_LEN];
  date_format(q->as_of, as_of_s);
  json_t *records = NULL;
  if ((rc = figures_unit_records(db, q->campaign_id, unit_id, as_of_s, &records, e))) {
    json_decref(*out);
    *out = NULL;
    return rc;
  }
  json_object_set_new(*out, "records", records);
  return HZ_OK;
}

/* The campaign must exist and be readable by a. */
static int campaign_readable(Db *db, const Actor *a, int64_t campaign_id, HzErr *e) {
  json_t *campaign = NULL;
  int rc = record_read(db, a, resource_find("campaigns"), campaign_id, &campaign, e);
  json_decref(campaign);
  return rc;
}

int figure_views_queue(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  Page p = {.limit = q->page.limit, .offset = q->page.offset, .unit_id = q->unit_id};
  int64_t unit = record_scope_unit(a);
  *out = NULL;
  if (unit) p.unit_id = unit;
  if (q->kind && strcmp(q->kind, "stage_change") && strcmp(q->kind, "fund"))
    return hz_fail(e, HZ_EINVAL, "kind", "kind 应为 stage_change 或 fund");
  json_t *items = NULL;
  int64_t total = 0;
  int rc = campaign_readable(db, a, q->campaign_id, e);
  if (!rc) rc = progress_store_queue(db, q->campaign_id, q->kind, &p, &items, &total, e);
  /* Each record beside the evidence it needs (attachments, required papers). */
  if (!rc) rc = certify_queue_evidence(db, items, e);
  if (!rc) *out = list_query_answer(items, total, &q->page);
  else json_decref(items);
  return rc;
}

int figure_views_duplicates(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  *out = NULL;
  if (!(a->role & (ROLES_CENTRAL | ROLE_LEADER))) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只有会战办公室可以查看重复申报");
  json_t *all = NULL;
  int rc = campaign_readable(db, a, q->campaign_id, e);
  if (!rc) rc = duplicates_candidates(db, q->campaign_id, &all, e);
  if (!rc) *out = list_query_slice(json_incref(json_object_get(all, "items")), &q->page);
  json_decref(all);
  return rc;
}

int figure_views_snapshots(Db *db, const Actor *a, int64_t campaign_id, const ListPage *p, json_t **out, HzErr *e) {
  json_t *items = NULL;
  int64_t total = 0;
  *out = NULL;
  int rc = campaign_readable(db, a, campaign_id, e);
  if (!rc) rc = snapshot_store_list(db, campaign_id, p->limit, p->offset, &items, &total, e);
  if (!rc) *out = list_query_answer(items, total, p);
  else json_decref(items);
  return rc;
}

int figure_views_snapshot(Db *db, const Actor *a, int64_t id, json_t **out, HzErr *e) {
  int rc = snapshot_store_get(db, id, 1, out, e);
  int64_t unit = record_scope_unit(a);
  if (!rc && unit) {
    json_t *figures = json_object_get(*out, "figures");
    narrow_hiding(json_object_get(figures, "progress"), unit, category_breakdowns);
    narrow_hiding(json_object_get(figures, "funnel"), unit, category_breakdowns);
  }
  return rc;
}

int figure_views_snapshot_diff(Db *db, const Actor *a, int64_t id, json_t **out, HzErr *e) {
  *out = NULL;
  if (actor_is_unit(a)) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只有会战办公室和市领导可以比对快照");
  return snapshot_diff(db, id, out, e);
}
