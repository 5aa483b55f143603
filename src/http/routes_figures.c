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
#include "domain/audit_log.h"
#include "http/answer.h"
#include "http/routes.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <pthread.h>
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

/* The dashboard's unit tables: every unit's rows are built once per data revision, day and
 * (matrix) the unit the asker is narrowed to, and kept parsed in a few slots; each page,
 * sort and filter is then cut from them instead of computing the board again. The rows
 * are never changed once kept (jansson's reference counts are atomic, so threads share
 * them); a newer revision empties the slots. */
#define ROWS_SLOTS 4
static struct {
  char key[96];
  int64_t rev;
  json_t *rows;
} rows_memo[ROWS_SLOTS];
static unsigned rows_next;
static pthread_mutex_t rows_lock = PTHREAD_MUTEX_INITIALIZER;

static json_t *rows_get(const char *key, int64_t rev) {
  json_t *rows = NULL;
  pthread_mutex_lock(&rows_lock);
  for (int i = 0; i < ROWS_SLOTS && !rows; i++)
    if (rows_memo[i].rows && rows_memo[i].rev == rev && !strcmp(rows_memo[i].key, key)) rows = json_incref(rows_memo[i].rows);
  pthread_mutex_unlock(&rows_lock);
  return rows;
}

static void rows_put(const char *key, int64_t rev, json_t *rows) {
  json_t *drop[ROWS_SLOTS + 1] = {0};
  int n = 0;
  pthread_mutex_lock(&rows_lock);
  for (int i = 0; i < ROWS_SLOTS; i++)
    if (rows_memo[i].rows && (rows_memo[i].rev < rev || !strcmp(rows_memo[i].key, key))) {
      drop[n++] = rows_memo[i].rows;
      rows_memo[i].rows = NULL;
    }
  int slot = -1;
  for (int i = 0; i < ROWS_SLOTS && slot < 0; i++)
    if (!rows_memo[i].rows) slot = i;
  if (slot < 0) {
    slot = (int)(rows_next++ % ROWS_SLOTS);
    drop[n++] = rows_memo[slot].rows;
  }
  snprintf(rows_memo[slot].key, sizeof rows_memo[slot].key, "%s", key);
  rows_memo[slot].rev = rev;
  rows_memo[slot].rows = json_incref(rows);
  pthread_mutex_unlock(&rows_lock);
  for (int i = 0; i < n; i++) json_decref(drop[i]);
}

static int render_table(Request *rq, FiguresArg *f, int matrix, json_t **out, HzErr *e) {
  int rc = figure_views_table_check(&f->q, e);
  if (rc) return rc;
  char key[96], as_of_s[DATE_LEN];
  date_format(f->q.as_of, as_of_s);
  snprintf(key, sizeof key, "%d|%lld|%s|%lld", matrix, (long long)f->q.campaign_id, as_of_s,
           matrix ? (long long)record_scope_unit(&rq->actor) : 0LL);
  int64_t rev = audit_log_revision(rq->db);
  json_t *rows = rows_get(key, rev);
  if (!rows) {
    if ((rc = figure_views_unit_rows(rq->db, &rq->actor, &f->q, matrix, &rows, e))) return rc;
    rows_put(key, rev, rows);
  }
  return figure_views_unit_page(rows, &f->q, matrix, out, e);
}

static int render_view(Request *rq, void *arg, json_t **out, HzErr *e) {
  FiguresArg *f = arg;
  if (f->view == figure_views_ranking_table || f->view == figure_views_matrix)
    return render_table(rq, f, f->view == figure_views_matrix, out, e);
  if (f->of_unit) return figure_views_ranking_unit(rq->db, &rq->actor, &f->q, f->of_unit, out, e);
  return f->view(rq->db, &rq->actor, &f->q, out, e);
}

/* The whole ranking (all=true) is written from its rows kept as text (domain/figure_views.h). */
static int render_ranking(Request *rq, void *arg, char **text, size_t *len, HzErr *e) {
  FiguresArg *f = arg;
  return figure_views_ranking_text(rq->db, &rq->actor, &f->q, text, len, e);
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
  f.q.all = str_eq(list_query_text(rq->query, "all"), "true");
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
  /* The whole ranking is written from the board's rows kept as text; a page goes through JSON. */
  rc = view == figure_views_ranking && f.q.all ? answer_cached_text(rq, rs, key.data, render_ranking, &f, e)
                                               : answer_cached(rq, rs, key.data, render_view, &f, 1, e);
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
/* The boards that send one row per unit: a page of them, or every one with all=true. */
static const ListParam board_params[] = {{"as_of", LQ_DATE}, {"all", LQ_BOOL}, {0}};
static int unit_board(Request *rq, Response *rs, HzErr *e, const char *const *sorts, View view) {
  const ListSpec spec = {.params = board_params, .sorts = sorts};
  return cached_spec(rq, rs, e, &spec, view, 0);
}
int route_progress(Request *rq, Response *rs, HzErr *e) {
  return unit_board(rq, rs, e, figure_views_progress_sorts, figure_views_progress);
}
int route_ranking(Request *rq, Response *rs, HzErr *e) {
  return unit_board(rq, rs, e, figure_views_board_ranking_sorts, figure_views_ranking);
}
int route_ranking_unit(Request *rq, Response *rs, HzErr *e) {
  return cached(rq, rs, e, as_of_only, 1, NULL, rq->ids[1]);
}
int route_funnel(Request *rq, Response *rs, HzErr *e) { return cached(rq, rs, e, as_of_only, 1, figure_views_funnel, 0); }
int route_forecast(Request *rq, Response *rs, HzErr *e) {
  return unit_board(rq, rs, e, figure_views_forecast_sorts, figure_views_forecast);
}
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
