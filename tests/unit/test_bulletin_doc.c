/* domain/bulletin_doc.c and io/pdf.c: the bulletin assembled once from a hand-made
 * bulletin (every expected value worked out by hand below), and the PDF layer's page
 * breaking and determinism. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/bulletin_doc.h"
#include "io/pdf.h"

/* Two units. U1: rank 1, score 92.004 (shown 92.00), certified funds 90,004,999 yuan
 * (9000.4999 万 -> 9000.50, rounded half away from zero), completion 91.96 (-> 92.0%),
 * targets: funds 90,000,000 of 100,000,000 yuan and 2 of 2 signings. U2: rank 2, no completion (no target), status zero. Highlights: one signing
 * of 80,000,000 yuan on 2026-09-10; no fund arrivals; one mover down 4 places. */
static const char *bulletin_json =
    "{\"id\": 7, \"number\": 3, \"status\": \"draft\", \"title\": \"某市会战工作通报（第3期）\","
    " \"issuer\": \"某市会战办公室\", \"period_start\": \"2026-10-01\", \"period_end\": \"2026-10-11\","
    " \"intro\": \"截至2026年10月11日。\", \"highlights_text\": \"亮点<b>&\", \"closing\": \"结束语。\","
    " \"content\": {\"campaign\": {\"time_progress\": 56.0},"
    "  \"ranking\": ["
    "   {\"rank\": 1, \"unit_id\": 1, \"name\": \"甲局\", \"score\": 92.004, \"funds_certified\": 90004999,"
    "    \"signed_certified\": 2, \"status\": \"ahead\", \"category\": \"industry\"},"
    "   {\"rank\": 2, \"unit_id\": 2, \"name\": \"乙局\", \"score\": 0, \"funds_certified\": 0,"
    "    \"signed_certified\": 0, \"status\": \"zero\", \"category\": \"services\"}],"
    "  \"ranking_by_category\": {\"industry\": [{\"rank\": 1, \"name\": \"甲局\", \"score\": 92.004,"
    "    \"funds_certified\": 90004999, \"signed_certified\": 2, \"status\": \"ahead\"}], \"agriculture\": []},"
    "  \"time_vs_task\": ["
    "   {\"name\": \"甲局\", \"completion\": 91.96, \"status\": \"ahead\", \"metrics\": {"
    "     \"funds_arrived\": {\"certified\": 90000000, \"target\": 100000000},"
    "     \"signed_count\": {\"certified\": 2, \"target\": 2}}},"
    "   {\"name\": \"乙局\", \"completion\": null, \"status\": \"no_target\", \"metrics\": {}}],"
    "  \"highlights\": {\"new_signings\": [{\"unit_name\": \"甲局\", \"project_name\": \"电池项目\","
    "     \"amount\": 80000000, \"date\": \"2026-09-10\"}], \"largest_funds\": [],"
    "   \"biggest_movers\": [{\"name\": \"乙局\", \"rank\": 2, \"change\": -4}]},"
    "  \"lagging\": [{\"rank\": 2, \"name\": \"乙局\", \"score\": 0, \"status\": \"zero\"}],"
    "  \"rule_outcomes\": [{\"unit_name\": \"乙局\", \"outcome_text\": \"约谈\"}]}}";

static BulletinDoc *build(void) {
  json_error_t je;
  json_t *b = json_loads(bulletin_json, 0, &je);
  if (!b) fail_msg("bad test JSON: %s", je.text);
  BulletinDoc *d = NULL;
  HzErr e = {0};
  assert_int_equal(bulletin_doc_build(b, &d, &e), HZ_OK);
  json_decref(b); /* the document keeps its own reference */
  return d;
}

static const BdBlock *find(const BulletinDoc *d, const char *sheet) {
  for (size_t i = 0; i < d->nblocks; i++)
    if (d->blocks[i].sheet && !strcmp(d->blocks[i].sheet, sheet)) return &d->blocks[i];
  fail_msg("no block for sheet %s", sheet);
  return NULL;
}

static void test_masthead_fields(void **state) {
  (void)state;
  BulletinDoc *d = build();
  assert_true(d->draft);
  assert_string_equal(d->number_text, "第3期");
  /* A draft is dated by its period end. */
  assert_string_equal(d->date, "2026年10月11日");
  char *name = bulletin_doc_filename(d, "pdf");
  assert_string_equal(name, "通报第3期（草稿）.pdf");
  free(name);
  bulletin_doc_free(d);
}

static void test_ranking_cells(void **state) {
  (void)state;
  BulletinDoc *d = build();
  const BdBlock *r = find(d, "综合排名");
  assert_int_equal(r->kind, BD_TABLE);
  assert_int_equal(r->ncols, 6);
  assert_int_equal(r->nrows, 2);
  const char *row1[] = {"1", "甲局", "92.00", "9000.50", "2", "超前"};
  const char *row2[] = {"2", "乙局", "0.00", "0.00", "0", "零进展"};
  for (int c = 0; c < 6; c++) {
    assert_string_equal(r->shown[c], row1[c]);
    assert_string_equal(r->shown[6 + c], row2[c]);
  }
  /* The workbook gets numbers: 9000.50 万元 as 900050 hundredths. */
  assert_int_equal(r->cells[0].kind, CELL_INT);
  assert_int_equal(r->cells[3].kind, CELL_DEC);
  assert_int_equal(r->cells[3].i, 900050);
  assert_int_equal(r->cells[3].scale, 2);
  assert_int_equal(r->cells[2].i, 9200);
  /* Only categories with units get a table: industry, not the empty agriculture. */
  assert_int_equal(find(d, "工业类单位")->nrows, 1);
  for (size_t i = 0; i < d->nblocks; i++)
    if (d->blocks[i].sheet) assert_string_not_equal(d->blocks[i].sheet, "农业类单位");
  bulletin_doc_free(d);
}

static void test_time_vs_task(void **state) {
  (void)state;
  BulletinDoc *d = build();
  const BdBlock *t = find(d, "时间进度与任务进度");
  assert_int_equal(t->nrows, 2);
  assert_string_equal(t->shown[1], "92.0%");
  assert_int_equal(t->cells[1].i, 920);
  assert_string_equal(t->shown[2], "到账资金 9000.00 / 10000.00 万元\n签约项目数 2 / 2 个");
  assert_string_equal(t->shown[4 + 1], "—");
  assert_string_equal(t->shown[4 + 2], "未下达目标任务");
  assert_string_equal(t->shown[4 + 3], "未下达目标");
  bulletin_doc_free(d);
}

static void test_lists(void **state) {
  (void)state;
  BulletinDoc *d = build();
  const BdBlock *s = find(d, "新签约项目");
  assert_int_equal(s->kind, BD_LIST);
  assert_int_equal(s->nitems, 1);
  assert_string_equal(s->items[0], "甲局：电池项目，合同金额 8000.00 万元（2026年9月10日）");
  assert_int_equal(s->cells[2].i, 800000);
  assert_int_equal(find(d, "大额资金到账")->nitems, 0);
  assert_string_equal(find(d, "排名变化较大的单位")->items[0], "乙局：第 2 名，下降 4 位");
  assert_int_equal(find(d, "排名变化较大的单位")->cells[2].i, -4);
  assert_string_equal(find(d, "进度滞后单位")->items[0], "乙局（零进展）");
  assert_string_equal(find(d, "奖惩建议")->items[0], "乙局：约谈");
  bulletin_doc_free(d);
}

static void test_html_escapes(void **state) {
  (void)state;
  BulletinDoc *d = build();
  char *html = NULL;
  HzErr e = {0};
  assert_int_equal(bulletin_doc_html(d, &html, &e), HZ_OK);
  assert_non_null(strstr(html, "<p class=\"body\">亮点&lt;b&gt;&amp;</p>"));
  assert_non_null(strstr(html, "<td class=\"l\">到账资金 9000.00 / 10000.00 万元<br>签约项目数 2 / 2 个</td>"));
  assert_non_null(strstr(html, "<h3>（二）大额资金到账</h3>\n<p class=\"body\">无。</p>"));
  assert_non_null(strstr(html, "<p class=\"draft\">（草稿，未发布）</p>"));
  free(html);
  bulletin_doc_free(d);
}

/* A table of n rows in a document of its own: its page count. */
static int pages_of(int n, char **data, size_t *len) {
  PdfDoc *p = pdf_doc_new();
  PdfColumn cols[2] = {{"名次", 1, 0}, {"单位", 3, 1}};
  const char **cells = calloc((size_t)n * 2, sizeof *cells);
  char (*num)[16] = calloc((size_t)n, sizeof *num);
  for (int i = 0; i < n; i++) {
    snprintf(num[i], sizeof num[i], "%d", i + 1);
    cells[2 * i] = num[i];
    cells[2 * i + 1] = "某某局";
  }
  pdf_doc_table(p, cols, 2, cells, (size_t)n);
  free(cells);
  free(num);
  int pages = 0;
  HzErr e = {0};
  PdfMeta m = {.title = "t", .date = "2026-10-15"};
  assert_int_equal(pdf_doc_render(p, &m, data, len, &pages, &e), HZ_OK);
  pdf_doc_free(p);
  return pages;
}

static void test_pdf_pages(void **state) {
  (void)state;
  char *a, *b;
  size_t la, lb;
  /* A row is a line of 10.5 pt Noto Sans CJK (1.448 em = 15.2 pt) plus 2 x 3.5 pt of
   * padding = 22.2 pt; the text area is 297 - 37 - 35 = 225 mm = 637.8 pt, so a page
   * holds the header and 27 rows (28 x 22.2 = 621.6; 29 x 22.2 = 643.8 is too many):
   * 27 rows fit one page, 28 need two, 200 = 7 x 27 + 11 need 8 (a header on each). */
  assert_int_equal(pages_of(27, &a, &la), 1);
  free(a);
  assert_int_equal(pages_of(28, &a, &la), 2);
  free(a);
  int p = pages_of(200, &a, &la);
  assert_int_equal(p, 8);
  assert_memory_equal(a, "%PDF-1.5", 8);
  /* Dated by the document, the same input gives the same bytes. */
  assert_int_equal(pages_of(200, &b, &lb), p);
  assert_int_equal(la, lb);
  assert_memory_equal(a, b, la);
  free(a);
  free(b);
  /* A failed allocation while building is reported at render. */
  char *x;
  size_t lx;
  HzErr e = {0};
  assert_int_equal(pdf_doc_render(NULL, NULL, &x, &lx, NULL, &e), HZ_ENOMEM);
  assert_null(x);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_masthead_fields), cmocka_unit_test(test_ranking_cells), cmocka_unit_test(test_time_vs_task),
    cmocka_unit_test(test_lists),           cmocka_unit_test(test_html_escapes),  cmocka_unit_test(test_pdf_pages),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
