/* The figures of a campaign (SPEC §8): dashboard, progress, ranking (and its drill-down),
 * funnel, stale projects, forecast, the certification queue and duplicate claims; the
 * engine's settings; snapshots. Every figures answer carries an ETag derived from the
 * data revision, so an unchanged board costs a 304 and no computation. */
#include "domain/duplicates.h"
#include "domain/figure_views.h"
#include "domain/list_query.h"
#include "domain/record.h"
#include "domain/settings.h"
#include "domain/snapshot.h"
#include "http/answer.h"
#include "http/routes.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Builds the answer for a view (domain/figure_views.h). */
typedef int (*View)(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e);

typedef struct {
  FigureQuery q;
  View view;
  int64_t of_unit; /* the ranking drill-down's unit */
} FiguresArg;

static int render_view(Request *rq, void *arg, json_t **out, HzErr *e) {
  FiguresArg *f = arg;
  if (f->of_unit) return figure_views_ranking_unit(rq->db, &rq->actor, &f->q, f->of_unit, out, e);
  return f->view(rq->db, &rq->actor, &f->q, out, e);
}

static const ListParam as_of_only[] = {{"as_of", LQ_DATE}, {0}};
static const ListParam paged[] = {{"as_of", LQ_DATE}, {"unit_id", LQ_ID}, {0}};
static const ListParam queue_params[] = {{"as_of", LQ_DATE}, {"unit_id", LQ_ID}, {"kind", LQ_TEXT}, {0}};

/* Reads the query through the list parser (params: what the view takes besides limit and
 * offset; unpaged views take neither), then answers from the cache or by rendering, 304
 * when the client's copy is current. The cache key holds the day, the unit the asker is
 * narrowed to and every parameter. */
static int cached_spec(Request *rq, Response *rs, HzErr *e, const ListSpec *spec_in, View view, int64_t of_unit) {
  FiguresArg f = {.view = view, .of_unit = of_unit};
  const ListSpec spec = *spec_in;
  const ListParam *params = spec.params;
  int unpaged = spec.unpaged;
  int rc = list_query_read(rq->query, &spec, &f.q.page, e);
  if (rc) return rc;
  f.q.campaign_id = rq->ids[0];
  f.q.as_of = date_today();
  const char *s = list_query_text(rq->query, "as_of");
  if (s) date_parse(s, &f.q.as_of);
  list_query_int(rq->query, "unit_id", &f.q.unit_id);
  f.q.kind = list_query_text(rq->query, "kind");
  f.q.category = list_query_text(rq->query, "category");
  f.q.status = json_object_get(rq->query, "status");
  char as_of_s[DATE_LEN];
  date_format(f.q.as_of, as_of_s);
  Buf key;
  buf_init(&key, 0);
  buf_printf(&key, "%s|%s|%lld", rq->path, as_of_s, (long long)record_scope_unit(&rq->actor));
  for (const ListParam *p = params; p->name; p++)
    if (strcmp(p->name, "as_of")) buf_printf(&key, "|%s", list_query_text(rq->query, p->name) ? list_query_text(rq->query, p->name) : "");
  if (!unpaged) buf_printf(&key, "|%lld|%lld", (long long)f.q.page.limit, (long long)f.q.page.offset);
  if (spec.sorts) buf_printf(&key, "|%s%s", f.q.page.desc ? "-" : "", f.q.page.sort ? f.q.page.sort : "");
  if (f.q.status) { /* one value or several */
    char *st = json_dumps(f.q.status, JSON_COMPACT | JSON_ENCODE_ANY);
    buf_printf(&key, "|%s", st ? st : "");
    free(st);
  }
  rc = answer_cached(rq, rs, key.data, render_view, &f, 1, e);
  buf_free(&key);
  return rc;
}

static int cached(Request *rq, Response *rs, HzErr *e, const ListParam *params, int unpaged, View view, int64_t of_unit) {
  const ListSpec spec = {.params = params, .unpaged = unpaged};
  return cached_spec(rq, rs, e, &spec, view, of_unit);
}

/* The dashboard's unit tables take status several times ("any of"). */
static int takes_status(const void *ctx, const char *name, int *repeat) {
  (void)ctx;
  *repeat = 1;
  return !strcmp(name, "status");
}
static const ListParam table_params[] = {{"as_of", LQ_DATE}, {"category", LQ_TEXT}, {0}};

int route_dashboard_ranking(Request *rq, Response *rs, HzErr *e) {
  const ListSpec spec = {.params = table_params, .sorts = figure_views_ranking_sorts, .accepts = takes_status};
  return cached_spec(rq, rs, e, &spec, figure_views_ranking_table, 0);
}
int route_dashboard_matrix(Request *rq, Response *rs, HzErr *e) {
  const ListSpec spec = {.params = table_params, .sorts = figure_views_matrix_sorts, .accepts = takes_status};
  return cached_spec(rq, rs, e, &spec, figure_views_matrix, 0);
}

int route_dashboard(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, paged, 0, figure_views_dashboard, 0); }
int route_progress(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, as_of_only, 1, figure_views_progress, 0); }
int route_ranking(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, as_of_only, 1, figure_views_ranking, 0); }
int route_ranking_unit(Request *rq, Response *rs, HzErr *e) {
  return cached(rq, rs, e, as_of_only, 1, NULL, rq->ids[1]);
}
int route_funnel(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, as_of_only, 1, figure_views_funnel, 0); }
int route_forecast(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, as_of_only, 1, figure_views_forecast, 0); }
int route_stale(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, paged, 0, figure_views_stale, 0); }
int route_queue(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, queue_params, 0, figure_views_queue, 0); }
int route_duplicates(Request *rq, Response *rs, HzErr *e) {
  return cached(rq, rs, e, as_of_only, 0, figure_views_duplicates, 0);
}

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
  json_t *out = NULL;
  ListPage p;
  int rc = list_query_read(rq->query, NULL, &p, e);
  if (!rc) rc = figure_views_snapshots(rq->db, &rq->actor, rq->ids[0], &p, &out, e);
  if (!rc) response_json(rs, 200, out);
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
  int rc = figure_views_snapshot(rq->db, &rq->actor, rq->ids[0], &out, e);
  if (!rc) response_json(rs, 200, out);
  return rc;
}

int route_snapshot_diff(Request *rq, Response *rs, HzErr *e) {
  json_t *out = NULL;
  int rc = figure_views_snapshot_diff(rq->db, &rq->actor, rq->ids[0], &out, e);
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
