/* Exports of lists as XLSX or CSV (see exporter.h): records mapped to rows of cells. */
#include "domain/exporter.h"
#include "domain/figure_views.h"
#include "domain/list_query.h"
#include "domain/record.h"
#include "io/csv_write.h"
#include "io/xlsx_write.h"
#include "store/record_store.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define EXPORT_COLUMNS_MAX 64
#define KEY_MAX 512          /* bytes of one natural key */
#define KEY_CACHE_MAX 20000  /* keys remembered per referenced collection before starting over */

ExportFormat exporter_format(const char *name) {
  if (name && !strcasecmp(name, "xlsx")) return EXPORT_XLSX;
  if (name && !strcasecmp(name, "csv")) return EXPORT_CSV;
  return 0;
}

const char *exporter_extension(ExportFormat f) { return f == EXPORT_CSV ? "csv" : "xlsx"; }

const char *exporter_content_type(ExportFormat f) {
  return f == EXPORT_CSV ? "text/csv; charset=utf-8"
                         : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}

int exporter_kind_known(const char *kind) {
  return kind && (!strcmp(kind, EXPORT_RANKING) || resource_find(kind));
}

/* The sheet's name and the file name's stem. */
static const char *kind_label(const char *kind) {
  if (!strcmp(kind, EXPORT_RANKING)) return "综合排名";
  const Resource *r = resource_find(kind);
  return r ? r->label : kind;
}

void exporter_filename(const char *kind, ExportFormat f, char *out, size_t n) {
  char today[DATE_LEN];
  date_format(date_today(), today);
  snprintf(out, n, "%s%s_%s.%s", kind_label(kind), strcmp(kind, EXPORT_RANKING) ? "清单" : "", today,
           exporter_extension(f));
}

size_t exporter_columns(const Resource *r, const Field **cols, size_t max) {
  size_t n = 0;
  for (const Field *f = r->fields; f->name && n < max; f++) {
    if (f->flags & (FF_SECRET | FF_VIRTUAL)) continue;
    if (f->type == FT_JSON && (f->flags & FF_READONLY)) continue; /* figures the server froze: not a list's column */
    cols[n++] = f;
  }
  return n;
}

const char *exporter_key_column(const Resource *r) {
  static const char *const keys[][2] = {{"users", "login"}, {"rules", "code"}, {"bulletins", "title"}};
  if (!r) return NULL;
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (!strcmp(r->name, keys[i][0])) return keys[i][1];
  for (const Field *f = r->fields; f->name; f++)
    if (f->type == FT_TEXT && (f->flags & FF_REQUIRED) && !(f->flags & (FF_VIRTUAL | FF_SECRET))) return f->name;
  return NULL;
}

/* ---- the file: XLSX or CSV behind one row interface ---- */

typedef struct {
  ExportFormat format;
  XlsxWriter *x;
  CsvWriter *c;
} Out;

static int out_open(Out *o, ExportFormat f, const char *path, const char *sheet, HzErr *e) {
  o->format = f;
  if (f == EXPORT_CSV) return csv_write_new_file(path, &o->c, e);
  return xlsx_write_open(path, &(XlsxWriteOpts){.sheet = sheet}, &o->x, e);
}

static int out_header(Out *o, const char *const *names, size_t n, HzErr *e) {
  return o->format == EXPORT_CSV ? csv_write_texts(o->c, names, n, e) : xlsx_write_header(o->x, names, n, e);
}

static int out_row(Out *o, const Cell *cells, size_t n, HzErr *e) {
  return o->format == EXPORT_CSV ? csv_write_row(o->c, cells, n, e) : xlsx_write_row(o->x, cells, n, e);
}

/* Closes the file; the first error wins. */
static int out_close(Out *o, int rc, HzErr *e) {
  HzErr ignored = {0};
  int r = o->format == EXPORT_CSV ? csv_write_close(o->c, rc ? &ignored : e) : xlsx_write_close(o->x, rc ? &ignored : e);
  hz_err_clear(&ignored);
  o->c = NULL;
  o->x = NULL;
  return rc ? rc : r;
}

/* ---- a collection's records ---- */

typedef struct {
  Db *db;
  const Actor *actor;
  const Resource *r;
  const Field *cols[EXPORT_COLUMNS_MAX];
  size_t ncols;
  Out out;
  json_t *keys;  /* collection -> {"id": key}: natural keys already looked up */
  Buf text;      /* the current row's texts, NUL-separated (cells point into it) */
  int oom;       /* appending to text failed */
  int64_t rows;
} RecordExport;

/* The natural key of record id of collection `ref` as the exporter's person may see it
 * ("" when hidden or gone), through a bounded cache: a list refers to few units, campaigns
 * and people, many times each. */
static int ref_key(RecordExport *x, const char *ref, int64_t id, char *out, size_t n, HzErr *e) {
  const Resource *target = resource_find(ref);
  const char *column = exporter_key_column(target);
  out[0] = 0;
  if (!column) {
    snprintf(out, n, "%lld", (long long)id);
    return HZ_OK;
  }
  json_t *cache = json_object_get(x->keys, ref);
  if (!cache) json_object_set_new(x->keys, ref, cache = json_object());
  char idtext[24];
  snprintf(idtext, sizeof idtext, "%lld", (long long)id);
  const char *known = json_string_value(json_object_get(cache, idtext));
  if (known) {
    snprintf(out, n, "%s", known);
    return HZ_OK;
  }
  /* People are named across units (a follow-up's participants from the city or a
   * co-owning unit, as the write path allows); other records only as the person may read them. */
  int64_t scope = strcmp(ref, "users") ? record_scope_unit(x->actor) : 0;
  int rc = record_store_key(x->db, target, id, column, scope, out, n, e);
  if (rc == HZ_ENOTFOUND) {
    hz_err_clear(e);
    rc = HZ_OK;
  }
  if (rc) return rc;
  if (json_object_size(cache) >= KEY_CACHE_MAX) json_object_clear(cache);
  json_object_set_new(cache, idtext, json_string(out));
  return HZ_OK;
}

/* Appends s and its NUL to the row's text; returns its offset. */
static size_t text_put(RecordExport *x, const char *s) {
  size_t at = x->text.len;
  x->oom |= buf_puts(&x->text, s) | buf_append(&x->text, "", 1);
  return at;
}

static int record_row(void *ctx, json_t *item, HzErr *e) {
  RecordExport *x = ctx;
  Cell cells[EXPORT_COLUMNS_MAX];
  size_t at[EXPORT_COLUMNS_MAX];
  char key[KEY_MAX];
  int rc = HZ_OK;
  buf_reset(&x->text);
  x->oom = 0;
  for (size_t c = 0; c < x->ncols && !rc; c++) {
    const Field *f = x->cols[c];
    json_t *v = json_object_get(item, f->name);
    cells[c] = (Cell){.kind = CELL_EMPTY};
    at[c] = (size_t)-1;
    if (!v || json_is_null(v)) continue;
    switch (f->type) {
    case FT_INT:
    case FT_MONEY:
      cells[c] = (Cell){.kind = CELL_INT, .i = json_integer_value(v)};
      break;
    case FT_DATE:
      cells[c].kind = CELL_DATE;
      at[c] = text_put(x, json_string_value(v));
      break;
    case FT_BOOL:
      cells[c].kind = CELL_TEXT;
      at[c] = text_put(x, json_is_true(v) ? "是" : "否");
      break;
    case FT_ENUM:
      cells[c].kind = CELL_TEXT;
      at[c] = text_put(x, choice_label(f->choices, json_string_value(v)));
      break;
    case FT_REF:
      if ((rc = ref_key(x, f->ref, json_integer_value(v), key, sizeof key, e))) break;
      cells[c].kind = CELL_TEXT;
      at[c] = text_put(x, key);
      break;
    case FT_LINKS: {
      size_t i, from = x->text.len;
      json_t *id;
      json_array_foreach(v, i, id) {
        if ((rc = ref_key(x, f->ref, json_integer_value(id), key, sizeof key, e))) break;
        if (!*key) continue;
        if (x->text.len > from) x->oom |= buf_puts(&x->text, EXPORT_LINK_SEP);
        x->oom |= buf_puts(&x->text, key);
      }
      x->oom |= buf_append(&x->text, "", 1);
      cells[c].kind = CELL_TEXT;
      at[c] = from;
      break;
    }
    case FT_JSON: {
      char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
      cells[c].kind = CELL_TEXT;
      at[c] = text_put(x, s ? s : "");
      free(s);
      break;
    }
    case FT_TEXT:
    case FT_TIMESTAMP:
      cells[c].kind = CELL_TEXT;
      at[c] = text_put(x, json_is_string(v) ? json_string_value(v) : "");
      break;
    }
  }
  if (rc) return rc;
  if (x->oom) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  /* The texts are in place now that the buffer no longer moves. */
  for (size_t c = 0; c < x->ncols; c++)
    if (at[c] != (size_t)-1) cells[c].text = x->text.data + at[c];
  x->rows++;
  return out_row(&x->out, cells, x->ncols, e);
}

static int export_records(Db *db, const Actor *a, const Resource *r, const ExportRequest *rq, const char *path,
                          int64_t *rows, HzErr *e) {
  RecordExport x = {.db = db, .actor = a, .r = r, .keys = json_object()};
  buf_init(&x.text, 0);
  x.ncols = exporter_columns(r, x.cols, EXPORT_COLUMNS_MAX);
  const char *names[EXPORT_COLUMNS_MAX];
  for (size_t c = 0; c < x.ncols; c++) names[c] = x.cols[c]->label;
  json_t *none = rq->query ? NULL : json_object();
  int rc = out_open(&x.out, rq->format, path, r->label, e);
  if (!rc) rc = out_header(&x.out, names, x.ncols, e);
  if (!rc) rc = record_each(db, a, r, rq->parent_id, rq->query ? rq->query : none, record_row, &x, e);
  if (x.out.x || x.out.c) rc = out_close(&x.out, rc, e);
  *rows = x.rows;
  json_decref(none);
  json_decref(x.keys);
  buf_free(&x.text);
  return rc;
}

/* ---- the ranking ---- */

static const char *status_label(const char *s) {
  if (!s) return "";
  if (!strcmp(s, "zero")) return "零进展";
  if (!strcmp(s, "behind")) return "滞后";
  if (!strcmp(s, "ahead")) return "超前";
  if (!strcmp(s, "no_target")) return "未下达目标";
  return "正常";
}

/* The ranking export takes the dashboard ranking table's parameters: status any-of. */
static int ranking_accepts(const void *ctx, const char *name, int *repeat) {
  (void)ctx;
  *repeat = 1;
  return !strcmp(name, "status");
}

/* The ranking as the dashboard's ranking table lists it (figure_views_ranking_table): the
 * same filters (category, status any-of), the same sort, every row rather than a page. */
static int export_ranking(Db *db, const Actor *a, const ExportRequest *rq, const char *path, int64_t *rows,
                          HzErr *e) {
  static const ListParam nested[] = {{"as_of", LQ_DATE}, {"category", LQ_TEXT}, {0}};
  static const ListParam alone[] = {{"as_of", LQ_DATE}, {"category", LQ_TEXT}, {"campaign_id", LQ_ID}, {0}};
  json_t *none = rq->query ? NULL : json_object(), *query = rq->query ? rq->query : none, *table = NULL;
  FigureQuery q = {.campaign_id = rq->parent_id, .as_of = date_today()};
  const ListSpec spec = {.params = rq->parent_id ? nested : alone, .sorts = figure_views_ranking_sorts,
                         .accepts = ranking_accepts, .unpaged = 1};
  int rc = list_query_read(query, &spec, &q.page, e);
  if (!rc && !q.campaign_id && !list_query_int(query, "campaign_id", &q.campaign_id))
    rc = hz_fail(e, HZ_EINVAL, "campaign_id", "导出排名须指定会战（campaign_id）");
  if (!rc && list_query_text(query, "as_of")) date_parse(list_query_text(query, "as_of"), &q.as_of);
  q.category = list_query_text(query, "category");
  q.status = json_object_get(query, "status");
  q.page.offset = 0;
  q.page.limit = INT32_MAX; /* every unit that passes the filters */
  if (!rc) rc = figure_views_ranking_table(db, a, &q, &table, e);
  Out out = {0};
  static const char *const names[] = {"排名", "分类排名", "单位", "类别", "综合得分", "进度",
                                      "认定到账资金（元）", "认定到账资金（万元）", "填报到账资金（元）",
                                      "填报到账资金（万元）", "认定签约项目（个）", "填报签约项目（个）"};
  enum { N = sizeof names / sizeof names[0] };
  if (!rc) rc = out_open(&out, rq->format, path, "综合排名", e);
  if (!rc) rc = out_header(&out, names, N, e);
  const Choice *categories = resource_choices("units", "category");
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(table, "items"), i, r) {
    if (rc) break;
    int64_t funds_c = json_integer_value(json_object_get(r, "funds_certified"));
    int64_t funds_r = json_integer_value(json_object_get(r, "funds_reported"));
    Cell cells[N] = {
        {.kind = CELL_INT, .i = json_integer_value(json_object_get(r, "rank"))},
        {.kind = CELL_INT, .i = json_integer_value(json_object_get(r, "category_rank"))},
        {.kind = CELL_TEXT, .text = json_string_value(json_object_get(r, "name"))},
        {.kind = CELL_TEXT, .text = choice_label(categories, json_string_value(json_object_get(r, "category")))},
        {.kind = CELL_DEC, .i = llround(json_number_value(json_object_get(r, "score")) * 100), .scale = 2},
        {.kind = CELL_TEXT, .text = status_label(json_string_value(json_object_get(r, "status")))},
        {.kind = CELL_INT, .i = funds_c},
        {.kind = CELL_DEC, .i = (funds_c + 50) / 100, .scale = 2}, /* 万元, two decimals, rounded */
        {.kind = CELL_INT, .i = funds_r},
        {.kind = CELL_DEC, .i = (funds_r + 50) / 100, .scale = 2},
        {.kind = CELL_INT, .i = json_integer_value(json_object_get(r, "signed_certified"))},
        {.kind = CELL_INT, .i = json_integer_value(json_object_get(r, "signed_reported"))},
    };
    if (!cells[1].i) cells[1].kind = CELL_EMPTY;
    if ((rc = out_row(&out, cells, N, e))) break;
    (*rows)++;
  }
  if (out.x || out.c) rc = out_close(&out, rc, e);
  json_decref(table);
  json_decref(none);
  return rc;
}

int exporter_write(Db *db, const Actor *a, const ExportRequest *rq, const char *path, int64_t *rows, HzErr *e) {
  int64_t n = 0;
  int rc;
  const Resource *r = resource_find(rq->kind);
  if (rq->format != EXPORT_XLSX && rq->format != EXPORT_CSV)
    rc = hz_fail(e, HZ_EINVAL, "format", "导出格式应为 xlsx 或 csv");
  else if (!strcmp(rq->kind, EXPORT_RANKING)) rc = export_ranking(db, a, rq, path, &n, e);
  else if (!r) rc = hz_fail(e, HZ_ENOTFOUND, "kind", "没有可导出的“%s”", rq->kind);
  else rc = export_records(db, a, r, rq, path, &n, e);
  if (rc) unlink(path); /* never a partial file */
  if (rows) *rows = rc ? 0 : n;
  return rc;
}
