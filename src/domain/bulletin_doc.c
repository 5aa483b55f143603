/* domain/bulletin_doc: the bulletin's content assembled once, rendered as HTML, PDF and
 * XLSX (see bulletin_doc.h). The layout of the circular lives here; io/pdf draws it and
 * io/xlsx_write writes the workbook. */
#include "domain/bulletin_doc.h"
#include "domain/resource.h"
#include "io/pdf.h"
#include "io/xlsx_write.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MASTHEAD "招商引资百日会战通报"

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static long long num(json_t *o, const char *k) { return (long long)json_integer_value(json_object_get(o, k)); }

/* ---- the document's own memory ---- */

/* Adds p to the pool the document frees; on failure p is freed and the document is out
 * of memory. */
static int pool_add(BulletinDoc *d, void *p) {
  if (d->npool == d->poolcap) {
    size_t cap = d->poolcap ? d->poolcap * 2 : 256;
    char **pool = realloc(d->pool, cap * sizeof *pool);
    if (!pool) {
      free(p);
      d->oom = 1;
      return -1;
    }
    d->pool = pool;
    d->poolcap = cap;
  }
  d->pool[d->npool++] = p;
  return 0;
}

static const char *keep(BulletinDoc *d, char *s) {
  if (!s) d->oom = 1;
  return s && !pool_add(d, s) ? s : "";
}

static const char *kprintf(BulletinDoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *kprintf(BulletinDoc *d, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = n < 0 ? NULL : malloc((size_t)n + 1);
  if (s) {
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  return keep(d, s);
}

static void *kalloc(BulletinDoc *d, size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) d->oom = 1;
  return p && !pool_add(d, p) ? p : NULL;
}

static BdBlock *block(BulletinDoc *d, BdKind kind, const char *text) {
  if (d->nblocks == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 32;
    BdBlock *p = realloc(d->blocks, cap * sizeof *p);
    if (!p) {
      d->oom = 1;
      return NULL;
    }
    d->blocks = p;
    d->cap = cap;
  }
  BdBlock *b = &d->blocks[d->nblocks++];
  memset(b, 0, sizeof *b);
  b->kind = kind;
  b->text = text;
  return b;
}

static void paragraph(BulletinDoc *d, const char *text) {
  if (text && *text) block(d, BD_PARAGRAPH, text);
}

/* ---- values ---- */

/* 2026-10-15 → 2026年10月15日, as official documents write dates; other text is copied. */
static const char *cn_date(BulletinDoc *d, const char *iso) {
  int day, y, m, dd;
  if (!iso || date_parse(iso, &day)) return kprintf(d, "%s", iso ? iso : "");
  date_to_ymd(day, &y, &m, &dd);
  return kprintf(d, "%d年%d月%d日", y, m, dd);
}

/* Yuan as hundredths of 万元, rounded half away from zero (as money_format_wan). */
static Cell wan(json_t *yuan) {
  int64_t v = json_integer_value(yuan);
  int64_t a = v < 0 ? -(v + 1) + 1 : v;
  int64_t c = (a + 50) / 100;
  return (Cell){.kind = CELL_DEC, .i = v < 0 ? -c : c, .scale = 2};
}

static Cell dec(double x, int scale) {
  return (Cell){.kind = CELL_DEC, .i = (int64_t)llround(x * pow(10, scale)), .scale = scale};
}
static Cell integer(long long i) { return (Cell){.kind = CELL_INT, .i = i}; }
static Cell text(const char *s) { return (Cell){.kind = CELL_TEXT, .text = s ? s : ""}; }

static const char *status_label(const char *s) {
  if (!s) return "正常";
  if (!strcmp(s, "zero")) return "零进展";
  if (!strcmp(s, "behind")) return "滞后";
  if (!strcmp(s, "ahead")) return "超前";
  if (!strcmp(s, "no_target")) return "未下达目标";
  return "正常";
}

/* The text the page shows for a cell of column col. */
static const char *shown(BulletinDoc *d, const BdColumn *col, const Cell *c) {
  char n[40];
  switch (c->kind) {
  case CELL_TEXT: return c->text;
  case CELL_INT: return kprintf(d, "%lld%s", (long long)c->i, col->suffix ? col->suffix : "");
  case CELL_DEC: cell_format_dec(c->i, c->scale, n, sizeof n); return kprintf(d, "%s%s", n, col->suffix ? col->suffix : "");
  default: return "";
  }
}

/* A table block of nrows rows; fill its rows with set_row. */
static BdBlock *table(BulletinDoc *d, BdKind kind, const char *sheet, const BdColumn *cols, size_t ncols, size_t nrows) {
  BdBlock *b = block(d, kind, NULL);
  if (!b) return NULL;
  b->sheet = sheet;
  b->cols = cols;
  b->ncols = ncols;
  b->cells = kalloc(d, nrows * ncols, sizeof *b->cells);
  b->shown = kalloc(d, nrows * ncols, sizeof *b->shown);
  if (!b->cells || !b->shown) {
    d->nblocks--;
    return NULL;
  }
  return b;
}

static void set_row(BulletinDoc *d, BdBlock *b, const Cell *cells) {
  for (size_t c = 0; c < b->ncols; c++) {
    b->cells[b->nrows * b->ncols + c] = cells[c];
    b->shown[b->nrows * b->ncols + c] = shown(d, &b->cols[c], &cells[c]);
  }
  b->nrows++;
}

/* ---- the sections ---- */

static const BdColumn ranking_cols[] = {
  {"名次", NULL, NULL, 0.8, 0},
  {"单位", NULL, NULL, 3.6, 1},
  {"综合得分", NULL, NULL, 1.2, 0},
  {"认定到账资金（万元）", NULL, NULL, 1.8, 0},
  {"认定签约项目（个）", NULL, NULL, 1.7, 0},
  {"进度", NULL, NULL, 1.0, 0},
};

static void ranking_table(BulletinDoc *d, const char *sheet, json_t *rows) {
  BdBlock *b = table(d, BD_TABLE, sheet, ranking_cols, 6, json_array_size(rows));
  size_t i;
  json_t *r;
  if (!b) return;
  json_array_foreach(rows, i, r) {
    Cell c[6] = {integer(num(r, "rank")), text(str(r, "name")), dec(json_number_value(json_object_get(r, "score")), 2),
                 wan(json_object_get(r, "funds_certified")), integer(num(r, "signed_certified")),
                 text(status_label(str(r, "status")))};
    set_row(d, b, c);
  }
}

/* Units are compared within their category (R-PROG-4), in the order of SPEC R-DATA-CAT. */
static void category_tables(BulletinDoc *d, json_t *content) {
  static const char *const cats[][2] = {{"industry", "工业类单位"},   {"agriculture", "农业类单位"},
                                        {"services", "服务业类单位"}, {"policy_funds", "争取政策资金类单位"},
                                        {"mass_org", "群团类单位"},   {"other", "其他单位"}};
  static const char *const nums[] = {"一", "二", "三", "四", "五", "六"};
  json_t *by = json_object_get(content, "ranking_by_category");
  block(d, BD_HEADING, "二、分类排名");
  int n = 0;
  for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++) {
    json_t *rows = json_object_get(by, cats[i][0]);
    if (!json_array_size(rows)) continue;
    block(d, BD_SUBHEADING, kprintf(d, "（%s）%s", nums[n++], cats[i][1]));
    ranking_table(d, cats[i][1], rows);
  }
  if (!n) paragraph(d, "无。");
}

/* What a target metric is counted in; its label comes from the targets' metric field, the
 * one table the API, the exports and the UI read (resource_choices, domain/resources.c). */
static const char *metric_unit(const char *code) {
  if (!strcmp(code, "funds_arrived") || !strcmp(code, "policy_funds") || !strcmp(code, "signed_value")) return "万元";
  return strcmp(code, "leads_count") ? "个" : "条";
}

/* Each metric with a target as "到账资金 9000.00 / 10000.00 万元", one a line; bulletins
 * drafted before content.time_vs_task[].metrics existed show funds and signings. */
static const char *unit_targets(BulletinDoc *d, json_t *r) {
  json_t *m = json_object_get(r, "metrics");
  if (!m) m = json_pack("{s:O s:O}", "funds_arrived", json_object_get(r, "funds_arrived"), "signed_count",
                        json_object_get(r, "signed_count"));
  else json_incref(m);
  Buf b;
  buf_init(&b, 0);
  int n = 0;
  for (const Choice *ch = resource_choices("targets", "metric"); ch && ch->code; ch++) {
    json_t *x = json_object_get(m, ch->code);
    if (!x) continue;
    const char *unit = metric_unit(ch->code);
    buf_printf(&b, "%s%s ", n++ ? "\n" : "", ch->label);
    if (!strcmp(unit, "万元")) {
      char s1[40], s2[40];
      Cell c1 = wan(json_object_get(x, "certified")), c2 = wan(json_object_get(x, "target"));
      cell_format_dec(c1.i, 2, s1, sizeof s1);
      cell_format_dec(c2.i, 2, s2, sizeof s2);
      buf_printf(&b, "%s / %s", s1, s2);
    } else {
      buf_printf(&b, "%lld / %lld", num(x, "certified"), num(x, "target"));
    }
    buf_printf(&b, " %s", unit);
  }
  if (!n) buf_puts(&b, "未下达目标任务");
  json_decref(m);
  return keep(d, buf_take(&b));
}

static const BdColumn tvt_cols[] = {
  {"单位", NULL, NULL, 2.4, 1},
  {"任务完成率", "任务完成率（%）", "%", 1.4, 0},
  {"目标任务完成情况（认定 / 目标）", NULL, NULL, 4.8, 1},
  {"状态", NULL, NULL, 1.0, 0},
};

static void time_table(BulletinDoc *d, json_t *content) {
  json_t *camp = json_object_get(content, "campaign"), *rows = json_object_get(content, "time_vs_task");
  block(d, BD_HEADING, "三、时间进度与任务进度");
  paragraph(d, kprintf(d, "时间进度 %.1f%%。", json_number_value(json_object_get(camp, "time_progress"))));
  BdBlock *b = table(d, BD_TABLE, "时间进度与任务进度", tvt_cols, 4, json_array_size(rows));
  size_t i;
  json_t *r;
  if (!b) return;
  json_array_foreach(rows, i, r) {
    json_t *c = json_object_get(r, "completion");
    Cell cells[4] = {text(str(r, "name")), json_is_number(c) ? dec(json_number_value(c), 1) : text("—"),
                     text(unit_targets(d, r)), text(status_label(str(r, "status")))};
    set_row(d, b, cells);
  }
}

static const BdColumn money_cols[] = {
  {"单位", NULL, NULL, 2, 1}, {"项目", NULL, NULL, 3, 1}, {"金额（万元）", NULL, NULL, 1.4, 0}, {"日期", NULL, NULL, 1.4, 0}};
static const BdColumn mover_cols[] = {
  {"单位", NULL, NULL, 3, 1}, {"名次", NULL, NULL, 1, 0}, {"名次变化（正为上升）", NULL, NULL, 1.6, 0}};
static const BdColumn lagging_cols[] = {
  {"名次", NULL, NULL, 1, 0}, {"单位", NULL, NULL, 3, 1}, {"综合得分", NULL, NULL, 1.2, 0}, {"进度", NULL, NULL, 1, 0}};
static const BdColumn outcome_cols[] = {{"单位", NULL, NULL, 3, 1}, {"建议", NULL, NULL, 4, 1}};

/* A numbered list with its tabular form for the workbook; "what" names a money item's
 * amount (合同金额, 到账). */
static void list_section(BulletinDoc *d, const char *title, const char *sheet, json_t *items, const char *what) {
  block(d, BD_SUBHEADING, title);
  size_t n = json_array_size(items), i;
  const BdColumn *cols = money_cols;
  size_t ncols = 4;
  json_t *x = json_array_get(items, 0);
  if (!strcmp(sheet, "排名变化较大的单位")) cols = mover_cols, ncols = 3;
  else if (!strcmp(sheet, "进度滞后单位")) cols = lagging_cols, ncols = 4;
  else if (!strcmp(sheet, "奖惩建议")) cols = outcome_cols, ncols = 2;
  BdBlock *b = table(d, BD_LIST, sheet, cols, ncols, n);
  if (!b) return;
  b->items = kalloc(d, n, sizeof *b->items);
  if (!b->items) return;
  json_array_foreach(items, i, x) {
    const char *name = str(x, "unit_name") ? str(x, "unit_name") : str(x, "name");
    const char *item;
    Cell c[4];
    if (str(x, "project_name")) {
      Cell amount = wan(json_object_get(x, "amount"));
      char a[40];
      cell_format_dec(amount.i, 2, a, sizeof a);
      item = kprintf(d, "%s：%s，%s %s 万元（%s）", name ? name : "", str(x, "project_name"), what, a, cn_date(d, str(x, "date")));
      c[0] = text(name), c[1] = text(str(x, "project_name")), c[2] = amount, c[3] = text(str(x, "date"));
    } else if (json_object_get(x, "change")) {
      long long ch = num(x, "change");
      item = kprintf(d, "%s：第 %lld 名，%s %lld 位", name ? name : "", num(x, "rank"), ch > 0 ? "上升" : "下降", llabs(ch));
      c[0] = text(name), c[1] = integer(num(x, "rank")), c[2] = integer(ch);
    } else if (str(x, "outcome_text")) {
      item = kprintf(d, "%s：%s", name ? name : "", str(x, "outcome_text"));
      c[0] = text(name), c[1] = text(str(x, "outcome_text"));
    } else {
      item = str(x, "status") ? kprintf(d, "%s（%s）", name ? name : "", status_label(str(x, "status"))) : name;
      c[0] = integer(num(x, "rank")), c[1] = text(name), c[2] = dec(json_number_value(json_object_get(x, "score")), 2),
      c[3] = text(status_label(str(x, "status")));
    }
    b->items[b->nitems++] = item ? item : "";
    set_row(d, b, c);
  }
}

int bulletin_doc_build(json_t *bul, BulletinDoc **out, HzErr *e) {
  *out = NULL;
  BulletinDoc *d = calloc(1, sizeof *d);
  if (!d) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  d->bulletin = json_incref(bul);
  json_t *content = json_object_get(bul, "content"), *hl = json_object_get(content, "highlights");
  d->draft = !str(bul, "status") || strcmp(str(bul, "status"), "published");
  d->number = num(bul, "number");
  d->masthead = MASTHEAD;
  d->number_text = kprintf(d, "第%lld期", d->number);
  d->title = str(bul, "title") ? str(bul, "title") : "";
  d->issuer = str(bul, "issuer") ? str(bul, "issuer") : "";
  /* A draft is dated by its period end until it is published. */
  d->date_iso = str(bul, "published_on") ? str(bul, "published_on") : str(bul, "period_end");
  d->date = cn_date(d, d->date_iso);
  d->period_start = str(bul, "period_start");
  d->period_end = str(bul, "period_end");
  d->sha256 = str(bul, "sha256");
  const char *head = str(bul, "audit_head");
  if (!d->draft && head && json_is_integer(json_object_get(bul, "audit_count")))
    d->audit_witness = kprintf(d, "审计链：发布时共 %lld 条记录，链头 %.16s", num(bul, "audit_count"), head);
  paragraph(d, str(bul, "intro"));
  block(d, BD_HEADING, "一、综合排名");
  ranking_table(d, "综合排名", json_object_get(content, "ranking"));
  category_tables(d, content);
  time_table(d, content);
  block(d, BD_HEADING, "四、工作亮点");
  paragraph(d, str(bul, "highlights_text"));
  list_section(d, "（一）新签约项目", "新签约项目", json_object_get(hl, "new_signings"), "合同金额");
  list_section(d, "（二）大额资金到账", "大额资金到账", json_object_get(hl, "largest_funds"), "到账");
  list_section(d, "（三）排名变化较大的单位", "排名变化较大的单位", json_object_get(hl, "biggest_movers"), "");
  block(d, BD_HEADING, "五、进度滞后单位");
  list_section(d, "滞后及零进展单位", "进度滞后单位", json_object_get(content, "lagging"), "");
  block(d, BD_HEADING, "六、奖惩建议");
  list_section(d, "依据会战规则提出的建议（待会战办公室审定）", "奖惩建议", json_object_get(content, "rule_outcomes"), "");
  paragraph(d, str(bul, "closing"));
  if (d->oom) {
    bulletin_doc_free(d);
    return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  }
  *out = d;
  return HZ_OK;
}

void bulletin_doc_free(BulletinDoc *d) {
  if (!d) return;
  for (size_t i = 0; i < d->npool; i++) free(d->pool[i]);
  free(d->pool);
  free(d->blocks);
  json_decref(d->bulletin);
  free(d);
}

char *bulletin_doc_filename(const BulletinDoc *d, const char *ext) {
  Buf b;
  buf_init(&b, 0);
  buf_printf(&b, "通报第%lld期%s.%s", d->number, d->draft ? "（草稿）" : "", ext);
  return buf_take(&b);
}

/* ---- HTML ---- */

static void esc(Buf *b, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '&': buf_puts(b, "&amp;"); break;
    case '<': buf_puts(b, "&lt;"); break;
    case '>': buf_puts(b, "&gt;"); break;
    case '"': buf_puts(b, "&quot;"); break;
    case '\'': buf_puts(b, "&#39;"); break;
    case '\n': buf_puts(b, "<br>"); break;
    default: buf_append(b, s, 1);
    }
  }
}

static const char print_css[] =
    "body{font-family:'FangSong','STFangsong','Noto Serif CJK SC',serif;max-width:210mm;margin:0 auto;padding:20mm 18mm;"
    "color:#000;font-size:16pt;line-height:1.6}"
    ".red{color:#c00;text-align:center;font-size:26pt;font-weight:bold;letter-spacing:4px;"
    "font-family:'SimSun','Noto Serif CJK SC',serif}"
    ".no{text-align:center;margin:8px 0}.rule{border-top:2px solid #c00;margin:6px 0 18px}"
    "h1{font-family:'SimHei','Noto Sans CJK SC',sans-serif;font-size:20pt;text-align:center}"
    "h2{font-family:'SimHei','Noto Sans CJK SC',sans-serif;font-size:16pt}h3{font-size:16pt}"
    ".body{text-indent:2em;margin:6px 0}table{border-collapse:collapse;width:100%;font-size:11pt;margin:8px 0}"
    "th,td{border:1px solid #000;padding:3px 5px;text-align:center}td.l{text-align:left}"
    "thead{display:table-header-group}tr{page-break-inside:avoid}"
    ".sign{text-align:right;margin-top:28px}.witness{font-size:9pt;color:#555;margin-top:24px}.draft{color:#c00;text-align:center;font-size:12pt}"
    "@media print{body{padding:0}}";

static void html_table(Buf *b, const BdBlock *t) {
  buf_puts(b, "<table><thead><tr>");
  for (size_t c = 0; c < t->ncols; c++) {
    buf_puts(b, "<th>");
    esc(b, t->cols[c].label);
    buf_puts(b, "</th>");
  }
  buf_puts(b, "</tr></thead><tbody>\n");
  for (size_t r = 0; r < t->nrows; r++) {
    buf_puts(b, "<tr>");
    for (size_t c = 0; c < t->ncols; c++) {
      buf_puts(b, t->cols[c].left ? "<td class=\"l\">" : "<td>");
      esc(b, t->shown[r * t->ncols + c]);
      buf_puts(b, "</td>");
    }
    buf_puts(b, "</tr>\n");
  }
  buf_puts(b, "</tbody></table>\n");
}

int bulletin_doc_html(const BulletinDoc *d, char **html, HzErr *e) {
  Buf b;
  buf_init(&b, 0);
  buf_puts(&b, "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
  esc(&b, d->title);
  buf_printf(&b, "</title><style>%s</style></head><body>\n", print_css);
  if (d->draft) buf_puts(&b, "<p class=\"draft\">（草稿，未发布）</p>\n");
  buf_puts(&b, "<div class=\"red\">");
  esc(&b, d->masthead);
  buf_puts(&b, "</div>\n<div class=\"no\">");
  esc(&b, d->number_text);
  buf_puts(&b, "</div>\n<div class=\"no\">");
  esc(&b, d->issuer);
  buf_puts(&b, "　　");
  esc(&b, d->date);
  buf_puts(&b, "</div><div class=\"rule\"></div>\n<h1>");
  esc(&b, d->title);
  buf_puts(&b, "</h1>\n");
  for (size_t i = 0; i < d->nblocks; i++) {
    const BdBlock *x = &d->blocks[i];
    switch (x->kind) {
    case BD_HEADING: buf_puts(&b, "<h2>"); esc(&b, x->text); buf_puts(&b, "</h2>\n"); break;
    case BD_SUBHEADING: buf_puts(&b, "<h3>"); esc(&b, x->text); buf_puts(&b, "</h3>\n"); break;
    case BD_PARAGRAPH: buf_puts(&b, "<p class=\"body\">"); esc(&b, x->text); buf_puts(&b, "</p>\n"); break;
    case BD_TABLE: html_table(&b, x); break;
    case BD_LIST:
      if (!x->nitems) {
        buf_puts(&b, "<p class=\"body\">无。</p>\n");
        break;
      }
      buf_puts(&b, "<ol>\n");
      for (size_t k = 0; k < x->nitems; k++) {
        buf_puts(&b, "<li>");
        esc(&b, x->items[k]);
        buf_puts(&b, "</li>\n");
      }
      buf_puts(&b, "</ol>\n");
      break;
    }
  }
  /* The closing signature of a circular: the issuing office, the date below it. */
  buf_puts(&b, "<p class=\"sign\">");
  esc(&b, d->issuer);
  buf_puts(&b, "<br>");
  esc(&b, d->date);
  buf_puts(&b, "</p>\n");
  if (d->audit_witness) {
    buf_puts(&b, "<p class=\"witness\">");
    esc(&b, d->audit_witness);
    buf_puts(&b, "</p>\n");
  }
  buf_puts(&b, "</body></html>\n");
  if (!b.data) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  *html = buf_take(&b);
  return HZ_OK;
}

/* ---- PDF ---- */

int bulletin_doc_pdf(const BulletinDoc *d, char **data, size_t *len, HzErr *e) {
  PdfDoc *p = pdf_doc_new();
  if (!p) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  if (d->draft) pdf_doc_notice(p, "（草稿，未发布）");
  pdf_doc_masthead(p, d->masthead, d->number_text, d->issuer, d->date);
  /* A title too long for one line breaks before its kind of document (…百日会战 /
   * 工作通报（第N期）), as a circular's title does, not wherever the line happens to end. */
  const char *kind = strstr(d->title, "工作通报");
  if (!kind) kind = strstr(d->title, "通报");
  Buf t;
  buf_init(&t, 0);
  if (kind && kind != d->title) {
    buf_append(&t, d->title, (size_t)(kind - d->title));
    buf_puts(&t, "\n");
  }
  buf_puts(&t, kind && t.len ? kind : d->title);
  pdf_doc_title(p, t.data ? t.data : d->title);
  buf_free(&t);
  for (size_t i = 0; i < d->nblocks; i++) {
    const BdBlock *x = &d->blocks[i];
    switch (x->kind) {
    case BD_HEADING: pdf_doc_heading(p, 1, x->text); break;
    case BD_SUBHEADING: pdf_doc_heading(p, 2, x->text); break;
    case BD_PARAGRAPH: pdf_doc_paragraph(p, x->text); break;
    case BD_TABLE: {
      PdfColumn cols[16];
      size_t n = x->ncols < 16 ? x->ncols : 16;
      for (size_t c = 0; c < n; c++) cols[c] = (PdfColumn){x->cols[c].label, x->cols[c].share, x->cols[c].left};
      pdf_doc_table(p, cols, n, x->shown, x->nrows);
      break;
    }
    case BD_LIST:
      if (!x->nitems) pdf_doc_paragraph(p, "无。");
      for (size_t k = 0; k < x->nitems; k++) pdf_doc_item(p, (int)k + 1, x->items[k]);
      break;
    }
  }
  pdf_doc_signature(p, d->issuer, d->date);
  if (d->audit_witness) pdf_doc_paragraph(p, d->audit_witness);
  PdfMeta meta = {.title = d->title, .author = d->issuer, .date = d->date_iso, .watermark = d->draft ? "草稿" : NULL};
  int rc = pdf_doc_render(p, &meta, data, len, NULL, e);
  pdf_doc_free(p);
  return rc;
}

/* ---- XLSX ---- */

static int xlsx_table(XlsxWriter *w, const BdBlock *t, HzErr *e) {
  const char *names[16];
  Cell cells[16];
  size_t n = t->ncols < 16 ? t->ncols : 16;
  Buf line;
  buf_init(&line, 0);
  for (size_t c = 0; c < n; c++) names[c] = t->cols[c].xlsx_label ? t->cols[c].xlsx_label : t->cols[c].label;
  int rc = xlsx_write_header(w, names, n, e);
  for (size_t r = 0; !rc && r < t->nrows; r++) {
    /* A cell of several lines keeps them apart with "；" (the writer sets no wrapping). */
    for (size_t c = 0; c < n; c++) {
      cells[c] = t->cells[r * t->ncols + c];
      if (cells[c].kind == CELL_TEXT && cells[c].text && strchr(cells[c].text, '\n')) {
        size_t start = line.len;
        for (const char *s = cells[c].text; *s; s++)
          if (*s == '\n') buf_puts(&line, "；");
          else buf_append(&line, s, 1);
        buf_append(&line, "", 1);
        cells[c].text = NULL;
        cells[c].i = (int64_t)start; /* resolved below, once line stops moving */
      }
    }
    for (size_t c = 0; c < n; c++)
      if (cells[c].kind == CELL_TEXT && !cells[c].text) cells[c].text = line.data + cells[c].i;
    rc = xlsx_write_row(w, cells, n, e);
    buf_reset(&line);
  }
  buf_free(&line);
  return rc;
}

static int read_file(const char *path, char **data, size_t *len, HzErr *e) {
  FILE *f = fopen(path, "rb");
  if (!f) return hz_fail(e, HZ_EIO, NULL, "读取临时文件失败");
  Buf b;
  buf_init(&b, 0);
  char chunk[65536];
  size_t n;
  int rc = HZ_OK;
  while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0) rc = buf_append(&b, chunk, n);
  if (!rc && ferror(f)) rc = HZ_EIO;
  fclose(f);
  if (rc) {
    buf_free(&b);
    return hz_fail(e, rc, NULL, "读取临时文件失败");
  }
  *len = b.len;
  *data = buf_take(&b);
  return HZ_OK;
}

int bulletin_doc_xlsx(const BulletinDoc *d, const char *tmpdir, char **data, size_t *len, HzErr *e) {
  *data = NULL;
  *len = 0;
  const char *dir = tmpdir ? tmpdir : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  char path[4096];
  snprintf(path, sizeof path, "%s/huizhan-bulletin-XXXXXX", dir);
  int fd = mkstemp(path);
  if (fd < 0) return hz_fail(e, HZ_EIO, NULL, "无法创建临时文件");
  close(fd);
  XlsxWriteOpts o = {.sheet = NULL, .tmpdir = dir};
  XlsxWriter *w = NULL;
  int rc = HZ_OK, first = 1;
  for (size_t i = 0; !rc && i < d->nblocks; i++) {
    const BdBlock *x = &d->blocks[i];
    if (!x->sheet) continue;
    if (first) {
      o.sheet = x->sheet;
      rc = xlsx_write_open(path, &o, &w, e);
      first = 0;
    } else {
      rc = xlsx_write_sheet(w, x->sheet, e);
    }
    if (!rc) rc = xlsx_table(w, x, e);
  }
  /* What the workbook is: the bulletin's title, number, office, date and period. */
  if (!rc && first) rc = xlsx_write_open(path, &(XlsxWriteOpts){.sheet = "通报信息", .tmpdir = dir}, &w, e);
  else if (!rc) rc = xlsx_write_sheet(w, "通报信息", e);
  if (!rc) {
    static const char *const head[] = {"项目", "内容"};
    const char *rows[][2] = {{"标题", d->title},
                             {"期数", d->number_text},
                             {"发文单位", d->issuer},
                             {"日期", d->date},
                             {"统计期间", NULL},
                             {"状态", d->draft ? "草稿，未发布" : "已发布"},
                             {"SHA-256", d->sha256 ? d->sha256 : ""},
                             {"审计链", d->audit_witness ? d->audit_witness : ""}};
    char period[128];
    snprintf(period, sizeof period, "%s 至 %s", d->period_start ? d->period_start : "", d->period_end ? d->period_end : "");
    rows[4][1] = period;
    rc = xlsx_write_header(w, head, 2, e);
    for (size_t i = 0; !rc && i < sizeof rows / sizeof rows[0]; i++) {
      Cell c[2] = {text(rows[i][0]), text(rows[i][1])};
      rc = xlsx_write_row(w, c, 2, e);
    }
  }
  if (w) {
    int crc = xlsx_write_close(w, rc ? NULL : e);
    if (!rc) rc = crc;
  }
  if (!rc) rc = read_file(path, data, len, e);
  unlink(path);
  return rc;
}
