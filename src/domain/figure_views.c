#include "domain/figure_views.h"
#include "domain/certify.h"
#include "domain/choice.h"
#include "domain/duplicates.h"
#include "domain/figures.h"
#include "domain/progress.h"
#include "domain/record.h"
#include "domain/resource.h"
#include "domain/settings.h"
#include "domain/snapshot.h"
#include "domain/stale_cache.h"
#include "store/progress_store.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
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

static json_t *table_page(json_t *rows, const FigureQuery *q, json_t *(*key)(json_t *row, const char *sort));
static json_t *ranking_key(json_t *row, const char *sort);
static json_t *matrix_key(json_t *row, const char *sort);

/* [from, to) of a, as a new array. */
static json_t *slice(const json_t *a, size_t from, size_t to) {
  json_t *out = json_array();
  for (size_t i = from; i < to && i < json_array_size(a); i++) json_array_append(out, json_array_get(a, i));
  return out;
}

/* A metric of a forecast row sorts by its forecast. */
static json_t *forecast_key(json_t *row, const char *sort) {
  json_t *cell = json_object_get(json_object_get(row, "metrics"), sort);
  return cell ? json_object_get(cell, "forecast") : json_object_get(row, sort);
}

/* The board answer o (changed in place) with its per-unit array `list` cut to the page q
 * asks for, sorted as the dashboard's unit tables are (table_page, one place), and the
 * page's total, limit and offset beside it; q->all keeps every row. */
static int page_units(json_t *o, const char *list, const FigureQuery *q, json_t *(*key)(json_t *, const char *), HzErr *e) {
  if (q->all) return HZ_OK;
  json_t *page = table_page(json_incref(json_object_get(o, list)), q, key);
  if (!page) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  json_object_set(o, list, json_object_get(page, "items"));
  static const char *const keep[] = {"total", "limit", "offset"};
  for (int i = 0; i < 3; i++) json_object_set(o, keep[i], json_object_get(page, keep[i]));
  json_decref(page);
  return HZ_OK;
}

const char *const figure_views_progress_sorts[] = {"name",          "completion",    "funds_arrived", "signed_count",
                                                   "signed_value",  "started_count", "completed_count", "policy_funds",
                                                   "leads_count",   NULL};
const char *const figure_views_board_ranking_sorts[] = {"rank",           "score",           "name",
                                                        "funds_certified", "funds_reported", "signed_certified",
                                                        "signed_reported", NULL};
const char *const figure_views_forecast_sorts[] = {"name",         "funds_arrived",   "signed_count", "signed_value",
                                                   "started_count", "completed_count", "policy_funds", "leads_count",
                                                   NULL};

int figure_views_progress(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  int rc = with_board(db, a, q, board_progress_json, out, e);
  return rc ? rc : page_units(*out, "units", q, matrix_key, e);
}
int figure_views_ranking(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  int rc = with_board(db, a, q, board_ranking_json, out, e);
  /* Each category's ranking is cut to the same page (its length in by_category_total). */
  json_t *cats = rc || q->all ? NULL : json_object_get(*out, "by_category"), *rows, *totals = json_object();
  const char *cat;
  json_object_foreach(cats, cat, rows) {
    json_t *page = table_page(json_incref(rows), q, ranking_key);
    if (!page) {
      rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
      break;
    }
    json_object_set(totals, cat, json_object_get(page, "total"));
    json_object_set(cats, cat, json_object_get(page, "items"));
    json_decref(page);
  }
  if (cats) json_object_set(*out, "by_category_total", totals);
  json_decref(totals);
  return rc ? rc : page_units(*out, "overall", q, ranking_key, e);
}
int figure_views_ranking_text(Db *db, const Actor *a, const FigureQuery *q, char **text, size_t *len, HzErr *e) {
  const Board *b = NULL;
  (void)a; /* the ranking is circulated whole (R-ROLE-2) */
  *text = NULL;
  int rc = board_get(db, q->campaign_id, q->as_of, &b, e);
  if (!rc && board_ranking_text(b, text, len)) rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法计算排名");
  board_release(b);
  return rc;
}
int figure_views_funnel(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  return with_board(db, a, q, board_funnel_json, out, e);
}
int figure_views_forecast(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  int rc = with_board(db, a, q, board_forecast_json, out, e);
  if (!rc && !q->all) { /* as the dashboard gives it: the first ones and how many */
    json_t *will_miss = json_object_get(*out, "will_miss");
    json_object_set_new(*out, "will_miss_total", json_integer((json_int_t)json_array_size(will_miss)));
    json_object_set_new(*out, "will_miss", slice(will_miss, 0, FIGURE_VIEWS_WILL_MISS_SHOWN));
  }
  return rc ? rc : page_units(*out, "units", q, forecast_key, e);
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
  int64_t total = 0;
  /* No record is dated after today, so from today on the stored state is the state as of the
   * day (its page read off an index; its count from the state kept in memory, as the index
   * walk costs PostgreSQL ~15 ms at a province); a past day's comes from the state kept in
   * memory (domain/stale_cache.h), or from the records when that cannot answer. */
  const char *then = q->as_of < date_today() ? as_of_s : NULL;
  int counted = 0;
  if (then && (rc = stale_cache_page(db, q->campaign_id, q->as_of - s.stale_days, q->as_of, &p, &items, &total, e)))
    return rc;
  if (!then && (rc = stale_cache_count_now(db, q->campaign_id, p.unit_id, q->as_of - s.stale_days, &total, &counted, e)))
    return rc;
  if (counted && (rc = progress_store_stale_page_now(db, q->campaign_id, since, &p, &items, e))) {
    json_decref(items);
    return rc;
  }
  if (!items && (rc = progress_store_stale(db, q->campaign_id, since, then, &p, &items, &total, e))) return rc;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it)
    json_object_set_new(it, "days_quiet",
                        json_integer(figure_views_days_quiet(json_string_value(json_object_get(it, "last_activity_date")), q->as_of)));
  *out = json_pack("{s:s s:i s:o s:I s:I s:I}", "as_of", as_of_s, "stale_days", s.stale_days, "items", items,
                   "total", (json_int_t)total, "limit", (json_int_t)p.limit, "offset", (json_int_t)p.offset);
  return HZ_OK;
}

int figure_views_stale(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  return stale_list(db, a, q, 0, out, e);
}

const char *const figure_views_statuses[] = {"zero", "behind", "on_track", "ahead", "no_target", NULL};
const char *const figure_views_ranking_sorts[] = {"rank",           "category_rank",    "score",           "name",
                                                  "funds_certified", "funds_reported", "signed_certified", "signed_reported",
                                                  NULL};
const char *const figure_views_matrix_sorts[] = {"rank",          "score",         "name",           "completion",
                                                 "funds_arrived", "signed_count",  "signed_value",   "started_count",
                                                 "completed_count", "policy_funds", "leads_count", NULL};

/* A metric's light as the dashboard shows it: completion against the time elapsed and the
 * campaign's margins (the unit status of domain/progress.c, for one metric). */
static const char *light_of(const json_t *cell, const json_t *campaign) {
  const json_t *settings = json_object_get(campaign, "settings");
  double tp = json_number_value(json_object_get(campaign, "time_progress"));
  double completion = json_number_value(json_object_get(cell, "completion"));
  if (!cell || json_number_value(json_object_get(cell, "target")) <= 0) return "no_target";
  if (completion <= 0) return "zero";
  if (completion >= tp + json_number_value(json_object_get(settings, "ahead_margin"))) return "ahead";
  if (completion >= tp - json_number_value(json_object_get(settings, "behind_margin"))) return "on_track";
  return "behind";
}

int figure_views_dashboard(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  const Board *b = NULL;
  json_t *stale = NULL;
  *out = NULL;
  int rc = board_get(db, q->campaign_id, q->as_of, &b, e);
  if (!rc) rc = stale_list(db, a, q, 10, &stale, e);
  if (!rc) {
    *out = board_dashboard_json(b, record_scope_unit(a), FIGURE_VIEWS_RANK_SHOWN, FIGURE_VIEWS_WILL_MISS_SHOWN);
    json_object_set_new(*out, "stale", stale);
  } else {
    json_decref(stale);
  }
  board_release(b);
  return rc;
}

/* ---- the dashboard's unit tables ---- */

/* One row with its sort key computed once (qsort has no context). */
typedef struct {
  json_t *row;
  int has;     /* 0: no value (sorted last either way) */
  double num;  /* the key when numeric */
  const char *text; /* the key when text (NULL: numeric) */
  int64_t rank;
  size_t pos; /* the row's place in the board's order: the last tie-break */
  int dir; /* 1 ascending, -1 descending */
} SortRow;

static int sort_rows(const void *pa, const void *pb) {
  const SortRow *x = pa, *y = pb;
  if (x->has != y->has) return x->has ? -1 : 1;
  if (x->has) {
    int c = x->text ? strcmp(x->text, y->text) : (x->num > y->num) - (x->num < y->num);
    if (c) return c * x->dir;
  }
  if (x->rank != y->rank) return (x->rank > y->rank) - (x->rank < y->rank);
  return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Every value of the status filter must be a status; HZ_EINVAL naming it otherwise. */
static int status_wanted(const FigureQuery *q, const char *status, int *wanted, HzErr *e) {
  json_t *v = q->status;
  size_t i, n = json_is_array(v) ? json_array_size(v) : v ? 1 : 0;
  *wanted = !n;
  for (i = 0; i < n; i++) {
    const char *s = json_string_value(json_is_array(v) ? json_array_get(v, i) : v);
    int known = 0;
    for (int k = 0; figure_views_statuses[k]; k++) known |= s && !strcmp(s, figure_views_statuses[k]);
    if (!known) return hz_fail(e, HZ_EINVAL, "status", "status 应为 zero、behind、on_track、ahead 或 no_target");
    if (status && !strcmp(s, status)) *wanted = 1;
  }
  return HZ_OK;
}

static int check_filters(const FigureQuery *q, HzErr *e) {
  int wanted;
  int rc = status_wanted(q, NULL, &wanted, e);
  if (!rc && q->category && !choice_find(resource_choices("units", "category"), q->category))
    rc = hz_fail(e, HZ_EINVAL, "category", "没有“%s”这一单位类别", q->category);
  return rc;
}

/* Keeps the rows of rows (an array, stolen) that pass the filters, sorts them and answers
 * the page asked for. key: the sort key of a row (NULL: rank). */
static json_t *table_page(json_t *rows, const FigureQuery *q, json_t *(*key)(json_t *row, const char *sort)) {
  size_t i, n = 0;
  json_t *r;
  SortRow *keep = calloc(json_array_size(rows) + 1, sizeof *keep);
  if (!keep) {
    json_decref(rows);
    return NULL;
  }
  const char *sort = q->page.sort ? q->page.sort : "rank";
  json_array_foreach(rows, i, r) {
    int wanted;
    status_wanted(q, json_string_value(json_object_get(r, "status")), &wanted, NULL);
    if (!wanted || (q->category && strcmp(q->category, json_string_value(json_object_get(r, "category"))))) continue;
    json_t *k = key(r, sort);
    SortRow *s = &keep[n++];
    s->row = r;
    s->rank = json_integer_value(json_object_get(r, "rank"));
    s->pos = i;
    s->dir = q->page.desc ? -1 : 1;
    s->has = k && !json_is_null(k);
    s->text = json_string_value(k);
    s->num = json_number_value(k);
  }
  qsort(keep, n, sizeof *keep, sort_rows);
  json_t *items = json_array();
  for (i = (size_t)q->page.offset; i < n && i < (size_t)(q->page.offset + q->page.limit); i++)
    json_array_append(items, keep[i].row);
  free(keep);
  json_t *out = list_query_answer(items, (int64_t)n, &q->page);
  json_decref(rows);
  return out;
}

static json_t *ranking_key(json_t *row, const char *sort) { return json_object_get(row, sort); }

static json_t *matrix_key(json_t *row, const char *sort) {
  json_t *cell = json_object_get(json_object_get(row, "metrics"), sort);
  if (cell) return json_number_value(json_object_get(cell, "target")) > 0 ? json_object_get(cell, "completion") : NULL;
  return json_object_get(row, sort);
}

/* Each overall ranking row with its rank within its category (the rows of overall, changed in place). */
static void add_category_ranks(json_t *ranking, json_t *by_unit) {
  const char *cat;
  json_t *rows, *r;
  size_t i;
  json_object_foreach(json_object_get(ranking, "by_category"), cat, rows) json_array_foreach(rows, i, r) {
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(r, "unit_id")));
    json_t *o = json_object_get(by_unit, id);
    if (o) json_object_set(o, "category_rank", json_object_get(r, "rank"));
  }
}

static json_t *by_unit_id(json_t *rows) {
  json_t *map = json_object(), *r;
  size_t i;
  json_array_foreach(rows, i, r) {
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(r, "unit_id")));
    json_object_set(map, id, r);
  }
  return map;
}

int figure_views_table_check(const FigureQuery *q, HzErr *e) { return check_filters(q, e); }

int figure_views_unit_rows(Db *db, const Actor *a, const FigureQuery *q, int matrix, json_t **rows, HzErr *e) {
  const Board *b = NULL;
  *rows = NULL;
  int rc = board_get(db, q->campaign_id, q->as_of, &b, e);
  if (rc) return rc;
  json_t *ranking = board_ranking_json(b), *overall = json_object_get(ranking, "overall");
  json_t *ranks = by_unit_id(overall);
  add_category_ranks(ranking, ranks);
  if (matrix) {
    json_t *progress = narrow(board_progress_json(b), record_scope_unit(a)), *campaign = json_object_get(progress, "campaign");
    json_t *u;
    size_t i;
    *rows = json_incref(json_object_get(progress, "units"));
    json_array_foreach(*rows, i, u) {
      char id[24];
      snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(u, "unit_id")));
      json_t *r = json_object_get(ranks, id);
      json_object_set(u, "rank", r ? json_object_get(r, "rank") : json_null());
      json_object_set(u, "score", r ? json_object_get(r, "score") : json_null());
      json_object_del(u, "activity");
      const char *m;
      json_t *cell;
      json_object_foreach(json_object_get(u, "metrics"), m, cell) json_object_set_new(cell, "light", json_string(light_of(cell, campaign)));
    }
    json_decref(progress);
  } else {
    *rows = json_incref(overall);
  }
  json_decref(ranks);
  json_decref(ranking);
  board_release(b);
  return HZ_OK;
}

int figure_views_unit_page(json_t *rows, const FigureQuery *q, int matrix, json_t **out, HzErr *e) {
  *out = NULL;
  int rc = check_filters(q, e);
  if (rc) {
    json_decref(rows);
    return rc;
  }
  *out = table_page(rows, q, matrix ? matrix_key : ranking_key);
  return *out ? HZ_OK : hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
}

static int unit_table(Db *db, const Actor *a, const FigureQuery *q, int matrix, json_t **out, HzErr *e) {
  json_t *rows = NULL;
  *out = NULL;
  int rc = check_filters(q, e);
  if (!rc) rc = figure_views_unit_rows(db, a, q, matrix, &rows, e);
  if (!rc) rc = figure_views_unit_page(rows, q, matrix, out, e);
  return rc;
}

int figure_views_ranking_table(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  return unit_table(db, a, q, 0, out, e);
}
int figure_views_matrix(Db *db, const Actor *a, const FigureQuery *q, json_t **out, HzErr *e) {
  return unit_table(db, a, q, 1, out, e);
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
