/* The figures of a campaign (SPEC §8): dashboard, progress, ranking (and its drill-down),
 * funnel, stale projects, forecast, the certification queue and duplicate claims; the
 * engine's settings; snapshots. Every figures answer carries an ETag derived from the
 * data revision, so an unchanged board costs a 304 and no computation. */
#include "domain/duplicates.h"
#include "domain/progress.h"
#include "domain/record.h"
#include "domain/settings.h"
#include "domain/snapshot.h"
#include "http/answer.h"
#include "http/routes.h"
#include "store/progress_store.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int64_t campaign_id;
  int as_of;
  char as_of_s[DATE_LEN];
  int64_t unit;     /* the unit a unit user is narrowed to, else 0 */
} View;

/* Builds the answer for a view: a new JSON object in *out. */
typedef int (*Render)(Request *rq, const View *v, json_t **out, HzErr *e);

/* Checks the query: only as_of and the names in `allowed` may appear. */
static int read_view(Request *rq, const char *const *allowed, View *v, HzErr *e) {
  const char *key;
  json_t *val;
  json_object_foreach(rq->query, key, val) {
    int ok = !strcmp(key, "as_of");
    for (int i = 0; allowed && allowed[i]; i++) ok |= !strcmp(key, allowed[i]);
    if (!ok) return hz_fail(e, HZ_EINVAL, key, "不支持的查询参数“%s”", key);
  }
  v->campaign_id = rq->ids[0];
  v->as_of = date_today();
  const char *s = request_query(rq, "as_of");
  if (s && date_parse(s, &v->as_of)) return hz_fail(e, HZ_EINVAL, "as_of", "as_of 应为 YYYY-MM-DD 格式的真实日期");
  date_format(v->as_of, v->as_of_s);
  v->unit = record_scope_unit(&rq->actor);
  return HZ_OK;
}

typedef struct {
  View view;
  Render render;
} FiguresArg;

static int render_view(Request *rq, void *arg, json_t **out, HzErr *e) {
  FiguresArg *f = arg;
  return f->render(rq, &f->view, out, e);
}

/* Answers from the cache or by rendering; 304 when the client's copy is current. */
static int cached(Request *rq, Response *rs, HzErr *e, const char *const *allowed, Render render) {
  FiguresArg f = {.render = render};
  int rc = read_view(rq, allowed, &f.view, e);
  if (rc) return rc;
  Buf key;
  buf_init(&key, 0);
  buf_printf(&key, "%s|%s|%lld", rq->path, f.view.as_of_s, (long long)f.view.unit);
  for (int i = 0; allowed && allowed[i]; i++) buf_printf(&key, "|%s", request_query(rq, allowed[i]) ? request_query(rq, allowed[i]) : "");
  rc = answer_cached(rq, rs, key.data, render_view, &f, 1, e);
  buf_free(&key);
  return rc;
}

/* A unit user sees every unit's standing but the detail rows of its own unit only: the
 * per-unit lists ("units", and "will_miss" of the forecast) keep its own row. */
/* Breakdowns by category: in a small category they would give away another unit's
 * targets and uncertified figures, so a unit user does not get them. */
static const char *const category_breakdowns[] = {"categories", "by_category", NULL};

static json_t *narrow(json_t *o, const View *v) {
  static const char *const lists[] = {"units", "will_miss"};
  if (!v->unit) return o;
  for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
    json_t *units = json_object_get(o, lists[k]), *mine = json_array();
    if (!json_is_array(units)) {
      json_decref(mine);
      continue;
    }
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u) if (json_integer_value(json_object_get(u, "unit_id")) == v->unit) json_array_append(mine, u);
    json_object_set_new(o, lists[k], mine);
  }
  return o;
}

typedef json_t *(*BoardPart)(const Board *b);

/* hide: keys a unit user does not get (NULL: none). */
static json_t *narrow_hiding(json_t *o, const View *v, const char *const *hide) {
  narrow(o, v);
  for (int i = 0; v->unit && hide && hide[i]; i++) json_object_del(o, hide[i]);
  return o;
}

static int with_board(const View *v, Db *db, BoardPart part, json_t **out, HzErr *e) {
  Board *b = NULL;
  int rc = board_load(db, v->campaign_id, v->as_of, &b, e);
  /* The ranking is circulated whole (R-ROLE-2); the other boards hide the breakdowns. */
  if (!rc) *out = narrow_hiding(part(b), v, part == board_ranking_json ? NULL : category_breakdowns);
  board_free(b);
  return rc;
}

static int render_progress(Request *rq, const View *v, json_t **out, HzErr *e) {
  return with_board(v, rq->db, board_progress_json, out, e);
}
static int render_ranking(Request *rq, const View *v, json_t **out, HzErr *e) {
  return with_board(v, rq->db, board_ranking_json, out, e);
}
static int render_funnel(Request *rq, const View *v, json_t **out, HzErr *e) {
  return with_board(v, rq->db, board_funnel_json, out, e);
}
static int render_forecast(Request *rq, const View *v, json_t **out, HzErr *e) {
  return with_board(v, rq->db, board_forecast_json, out, e);
}

static int page_of(Request *rq, Page *p, HzErr *e) {
  const char *s;
  p->limit = 50;
  p->offset = 0;
  p->unit_id = 0;
  if ((s = request_query(rq, "limit")) && (parse_int64(s, &p->limit) || p->limit < 1 || p->limit > 500))
    return hz_fail(e, HZ_EINVAL, "limit", "参数 limit 应为 1 到 500 之间的整数");
  if ((s = request_query(rq, "offset")) && (parse_int64(s, &p->offset) || p->offset < 0))
    return hz_fail(e, HZ_EINVAL, "offset", "参数 offset 应为非负整数");
  if ((s = request_query(rq, "unit_id")) && (parse_int64(s, &p->unit_id) || p->unit_id < 1))
    return hz_fail(e, HZ_EINVAL, "unit_id", "参数 unit_id 应为单位编号");
  return HZ_OK;
}

static int stale_list(Request *rq, const View *v, int64_t limit, json_t **out, HzErr *e) {
  Page p;
  int rc = page_of(rq, &p, e);
  if (rc) return rc;
  if (limit) p.limit = limit;
  if (v->unit) p.unit_id = v->unit;
  Settings s;
  int64_t version;
  if ((rc = settings_load(rq->db, v->campaign_id, &s, &version, e))) return rc;
  char since[DATE_LEN];
  date_format(v->as_of - s.stale_days, since);
  json_t *items = NULL;
  int64_t total = 0;
  /* No record is dated after today, so from today on the stored state is the state as of the day. */
  const char *then = v->as_of < date_today() ? v->as_of_s : NULL;
  if ((rc = progress_store_stale(rq->db, v->campaign_id, since, then, &p, &items, &total, e))) return rc;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    int last = 0;
    date_parse(json_string_value(json_object_get(it, "last_activity_date")), &last);
    json_object_set_new(it, "days_quiet", json_integer(v->as_of - last));
  }
  *out = json_pack("{s:s s:i s:o s:I s:I s:I}", "as_of", v->as_of_s, "stale_days", s.stale_days, "items", items,
                   "total", (json_int_t)total, "limit", (json_int_t)p.limit, "offset", (json_int_t)p.offset);
  return HZ_OK;
}

static int render_stale(Request *rq, const View *v, json_t **out, HzErr *e) { return stale_list(rq, v, 0, out, e); }

static int render_dashboard(Request *rq, const View *v, json_t **out, HzErr *e) {
  Board *b = NULL;
  json_t *stale = NULL;
  int rc = board_load(rq->db, v->campaign_id, v->as_of, &b, e);
  if (!rc) rc = stale_list(rq, v, 10, &stale, e);
  if (!rc) {
    json_t *progress = board_progress_json(b), *ranking = board_ranking_json(b), *funnel = board_funnel_stages_json(b);
    json_t *forecast = board_forecast_json(b), *lagging = json_array();
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
                            json_object_get(ranking, "overall"), "funnel", funnel, "lagging",
                            lagging, "stale", stale, "will_miss", json_object_get(forecast, "will_miss"), "units",
                            json_object_get(progress, "units")),
                  v);
    stale = NULL;
    json_decref(progress);
    json_decref(ranking);
    json_decref(funnel);
    json_decref(forecast);
  }
  json_decref(stale);
  board_free(b);
  return rc;
}

static int render_explain(Request *rq, const View *v, json_t **out, HzErr *e) {
  int64_t unit_id = rq->ids[1];
  if (v->unit && v->unit != unit_id) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只能查看本单位的得分明细");
  Board *b = NULL;
  int rc = board_load(rq->db, v->campaign_id, v->as_of, &b, e);
  if (rc) return rc;
  *out = board_explain_json(b, unit_id);
  board_free(b);
  if (!*out) return hz_fail(e, HZ_ENOTFOUND, NULL, "单位 %lld 不存在", (long long)unit_id);
  json_t *records = NULL;
  if ((rc = progress_store_unit_records(rq->db, v->campaign_id, unit_id, v->as_of_s, &records, e))) {
    json_decref(*out);
    *out = NULL;
    return rc;
  }
  json_object_set_new(*out, "records", records);
  return HZ_OK;
}

static int render_queue(Request *rq, const View *v, json_t **out, HzErr *e) {
  Page p;
  int rc = page_of(rq, &p, e);
  if (rc) return rc;
  if (v->unit) p.unit_id = v->unit;
  const char *kind = request_query(rq, "kind");
  if (kind && strcmp(kind, "stage_change") && strcmp(kind, "fund"))
    return hz_fail(e, HZ_EINVAL, "kind", "kind 应为 stage_change 或 fund");
  json_t *campaign = NULL, *items = NULL;
  if ((rc = record_read(rq->db, &rq->actor, resource_find("campaigns"), v->campaign_id, &campaign, e))) return rc;
  json_decref(campaign);
  int64_t total = 0;
  if ((rc = progress_store_queue(rq->db, v->campaign_id, kind, &p, &items, &total, e))) return rc;
  *out = json_pack("{s:o s:I s:I s:I}", "items", items, "total", (json_int_t)total, "limit", (json_int_t)p.limit,
                   "offset", (json_int_t)p.offset);
  return HZ_OK;
}

static int render_duplicates(Request *rq, const View *v, json_t **out, HzErr *e) {
  json_t *campaign = NULL;
  int rc = record_read(rq->db, &rq->actor, resource_find("campaigns"), v->campaign_id, &campaign, e);
  json_decref(campaign);
  return rc ? rc : duplicates_candidates(rq->db, v->campaign_id, out, e);
}

static const char *const paged[] = {"limit", "offset", "unit_id", NULL};
static const char *const queue_params[] = {"limit", "offset", "unit_id", "kind", NULL};

int route_dashboard(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, paged, render_dashboard); }
int route_progress(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, NULL, render_progress); }
int route_ranking(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, NULL, render_ranking); }
int route_ranking_unit(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, NULL, render_explain); }
int route_funnel(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, NULL, render_funnel); }
int route_forecast(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, NULL, render_forecast); }
int route_stale(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, paged, render_stale); }
int route_queue(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, queue_params, render_queue); }
int route_duplicates(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, NULL, render_duplicates); }

int route_settings_get(Request *rq, Response *rs, HzErr *e) {
  json_t *campaign = NULL;
  int rc = record_read(rq->db, &rq->actor, resource_find("campaigns"), rq->ids[0], &campaign, e);
  json_decref(campaign);
  Settings s;
  int64_t version = 0;
  if (!rc) rc = settings_load(rq->db, rq->ids[0], &s, &version, e);
  if (rc) return rc;
  json_t *out = settings_json(&s);
  json_object_set_new(out, "version", json_integer(version));
  response_json(rs, 200, out);
  return HZ_OK;
}

int route_settings_update(Request *rq, Response *rs, HzErr *e) {
  json_t *body = NULL, *out = NULL;
  int rc = request_json(rq, &body, e);
  if (!rc) rc = settings_update(rq->db, &rq->actor, rq->ids[0], body, &out, e);
  json_decref(body);
  if (!rc) response_json(rs, 200, out);
  return rc;
}

int route_snapshots_list(Request *rq, Response *rs, HzErr *e) {
  json_t *campaign = NULL, *items = NULL;
  int rc = record_read(rq->db, &rq->actor, resource_find("campaigns"), rq->ids[0], &campaign, e);
  json_decref(campaign);
  if (!rc) rc = snapshot_store_list(rq->db, rq->ids[0], &items, e);
  if (!rc) response_json(rs, 200, json_pack("{s:o s:I}", "items", items, "total", (json_int_t)json_array_size(items)));
  return rc;
}

int route_snapshot_create(Request *rq, Response *rs, HzErr *e) {
  json_t *body = NULL, *out = NULL;
  int rc = request_json(rq, &body, e), as_of = date_today();
  const char *label = "快照";
  if (!rc) {
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) if (strcmp(key, "as_of") && strcmp(key, "label")) hz_err_field(e, key, "未知字段");
    json_t *a = json_object_get(body, "as_of"), *l = json_object_get(body, "label");
    if (a && (!json_is_string(a) || date_parse(json_string_value(a), &as_of)))
      hz_err_field(e, "as_of", "日期应为 YYYY-MM-DD 格式的真实日期");
    if (l && (!json_is_string(l) || !*json_string_value(l) || utf8_length(json_string_value(l)) > 200))
      hz_err_field(e, "label", "应为 1 到 200 字的文本");
    else if (l) label = json_string_value(l);
    if (e->fields && json_object_size(e->fields)) rc = hz_fail(e, HZ_EINVAL, NULL, "输入有误");
  }
  if (!rc) rc = snapshot_create(rq->db, &rq->actor, rq->ids[0], as_of, label, &out, e);
  json_decref(body);
  if (!rc) response_json(rs, 201, out);
  return rc;
}

int route_snapshot_get(Request *rq, Response *rs, HzErr *e) {
  json_t *out = NULL;
  int rc = snapshot_store_get(rq->db, rq->ids[0], 1, &out, e);
  if (!rc && actor_is_unit(&rq->actor)) {
    const View mine = {.unit = rq->actor.unit_id};
    narrow_hiding(json_object_get(json_object_get(out, "figures"), "progress"), &mine, category_breakdowns);
    narrow_hiding(json_object_get(json_object_get(out, "figures"), "funnel"), &mine, category_breakdowns);
  }
  if (!rc) response_json(rs, 200, out);
  return rc;
}

int route_snapshot_diff(Request *rq, Response *rs, HzErr *e) {
  json_t *out = NULL;
  int rc = snapshot_diff(rq->db, rq->ids[0], &out, e);
  if (!rc) response_json(rs, 200, out);
  return rc;
}

int route_settle_duplicate(Request *rq, Response *rs, HzErr *e) {
  json_t *body = NULL, *out = NULL;
  int rc = request_json(rq, &body, e);
  if (!rc) rc = duplicates_settle(rq->db, &rq->actor, rq->ids[0], body, &out, e);
  json_decref(body);
  if (!rc) response_json(rs, 200, out);
  return rc;
}
