/* io/table (XLSX) and io/xlsx_write: workbooks built by hand from XML (shared and inline
 * strings, rich text, numbers, booleans, formulas with cached values, dates in built-in and
 * custom formats, both date systems, sparse rows and cells), every broken-file case, and
 * write-then-read round trips of what xlsx_write makes. */
#define _GNU_SOURCE /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>
#include "io/cell.h"
#include "io/table.h"
#include "io/xlsx_write.h"
#include "util/buf.h"
#include "table_dump.h"

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char *ROOT_RELS =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char *WB_RELS =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" REL "worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" REL "sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"" REL "styles\" Target=\"styles.xml\"/></Relationships>";
static const char *WORKBOOK =
    "<workbook " NS "><workbookPr/><sheets><sheet name=\"项目\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"第二页\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
static const char *SST =
    "<sst " NS " count=\"5\" uniqueCount=\"5\"><si><t>名称</t></si><si><t>日期</t></si><si><t>是否</t></si>"
    "<si><r><t>公</t></r><r><rPr><b/></rPr><t>式</t></r></si><si><t>项目甲</t></si></sst>";
/* cellStyleXfs must not count; 164 is a Chinese date, 165 a number with colour and escapes */
static const char *STYLES =
    "<styleSheet " NS "><numFmts count=\"2\">"
    "<numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0.00_);[Red]\\(0.00\\)\"/></numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"22\"/><xf numFmtId=\"20\"/><xf numFmtId=\"165\"/></cellXfs>"
    "<dxfs count=\"1\"><dxf><numFmt numFmtId=\"166\" formatCode=\"yyyy\"/></dxf></dxfs></styleSheet>";
static const char *SHEET1 =
    "<worksheet " NS "><dimension ref=\"A1:E8\"/><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
    "<c r=\"C1\" t=\"inlineStr\"><is><t>金额</t></is></c><c r=\"D1\" t=\"s\"><v>2</v></c><c r=\"E1\" t=\"s\"><v>3</v></c></row>"
    "<row r=\"2\" spans=\"1:5\"><c r=\"A2\" t=\"s\"><v>4</v></c><c r=\"B2\" s=\"1\"><v>46027</v></c>"
    "<c r=\"C2\"><v>0.30000000000000004</v></c><c r=\"D2\" t=\"b\"><v>1</v></c>"
    "<c r=\"E2\"><f>C2*2</f><v>0.6</v></c></row>"
    "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><r><t>富</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">文本 </t></r>"
    "<rPh sb=\"0\" eb=\"1\"><t>フ</t></rPh></is></c><c r=\"C4\" s=\"5\"><v>-1234.5</v></c>"
    "<c r=\"E4\" t=\"str\"><f>A4&amp;\"x\"</f><v>富文本 x</v></c></row>"
    "<row r=\"5\"><c r=\"A5\" s=\"3\"><v>46027.5</v></c><c r=\"B5\" s=\"2\"><v>45292</v></c>"
    "<c r=\"C5\" s=\"4\"><v>0.75</v></c><c r=\"D5\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c><c r=\"E5\"><v>12345678901234</v></c></row>"
    "<row r=\"6\"><c r=\"A6\" s=\"1\"/><c r=\"B6\" t=\"s\"/></row>"
    "<row r=\"7\"><c r=\"E7\" t=\"inlineStr\"><is><t>a_x000D_b_x005F_x0041_</t></is></c></row>"
    "<row><c t=\"inlineStr\"><is><t>无引用</t></is></c><c><v>7</v></c></row>"
    "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A7:B7\"/></mergeCells></worksheet>";
static const char *SHEET2 =
    "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><x:sheetData>"
    "<x:row r=\"3\"><x:c r=\"B3\" t=\"inlineStr\"><x:is><x:t>第二页</x:t></x:is></x:c></x:row>"
    "</x:sheetData></x:worksheet>";

static char g_dir[64];

/* Writes a zip at path from name/content pairs ending in NULL. */
static void zip_build(const char *path, const char *const *parts) {
  int err;
  zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
  assert_non_null(za);
  for (size_t i = 0; parts[i]; i += 2) {
    zip_source_t *s = zip_source_buffer(za, parts[i + 1], strlen(parts[i + 1]), 0);
    assert_non_null(s);
    assert_true(zip_file_add(za, parts[i], s, ZIP_FL_ENC_UTF_8) >= 0);
  }
  assert_int_equal(zip_close(za), 0);
}

static const char *path_of(const char *name) {
  static char p[4][128];
  static int k;
  k = (k + 1) % 4;
  snprintf(p[k], sizeof p[k], "%s/%s", g_dir, name);
  return p[k];
}

/* The standard workbook with sheet1 (and the styles, strings) replaced where given. */
static const char *book(const char *name, const char *sheet1, const char *workbook) {
  const char *parts[] = {"_rels/.rels", ROOT_RELS, "xl/workbook.xml", workbook ? workbook : WORKBOOK,
                         "xl/_rels/workbook.xml.rels", WB_RELS, "xl/sharedStrings.xml", SST,
                         "xl/styles.xml", STYLES, "xl/worksheets/sheet1.xml", sheet1 ? sheet1 : SHEET1,
                         "xl/worksheets/sheet2.xml", SHEET2, NULL};
  const char *p = path_of(name);
  zip_build(p, parts);
  return p;
}

static int dump_path(const char *path, const TableOpts *o, Buf *out, HzErr *e) {
  Table *t = NULL;
  int rc = table_open_path(path, o, &t, e);
  return rc ? rc : table_dump(t, out, e);
}

static void expect_dump(const char *path, const TableOpts *o, const char *want) {
  Buf b;
  buf_init(&b, 0);
  HzErr e = {0};
  int rc = dump_path(path, o, &b, &e);
  if (rc) fprintf(stderr, "error: %s\n", e.message);
  assert_int_equal(rc, HZ_OK);
  assert_string_equal(b.data ? b.data : "", want);
  buf_free(&b);
  hz_err_clear(&e);
}

static void expect_error(const char *path, const TableOpts *o, int rc, const char *part) {
  Buf b;
  buf_init(&b, 0);
  HzErr e = {0};
  int got = dump_path(path, o, &b, &e);
  if (got != rc || !strstr(e.message, part)) fprintf(stderr, "rc %d, message: %s\n", got, e.message);
  assert_int_equal(got, rc);
  assert_non_null(strstr(e.message, part));
  buf_free(&b);
  hz_err_clear(&e);
}

static void test_values(void **state) {
  (void)state;
  /* 46027 is 2026-01-05 (1899-12-30 + 46027 days); 45292 is 2024-01-01; 0.75 is 18:00 */
  expect_dump(book("values.xlsx", NULL, NULL), NULL,
              "1|名称|日期|金额|是否|公式\n"
              "2|项目甲|2026-01-05|0.3|TRUE|0.6\n"
              "4|富文本 ||-1234.5||富文本 x\n"
              "5|2026-01-05 12:00:00|2024-01-01|18:00:00|#DIV/0!|12345678901234\n"
              "7|||||a\rb_x0041_\n"
              "8|无引用|7|||\n");
}

static void test_sheets(void **state) {
  (void)state;
  const char *p = book("sheets.xlsx", NULL, NULL);
  Table *t;
  TableRow *row;
  HzErr e = {0};
  TableOpts o = {.sheet = "第二页"};
  assert_int_equal(table_open_path(p, &o, &t, &e), HZ_OK);
  assert_int_equal(table_format(t), TABLE_XLSX);
  assert_string_equal(table_sheet_name(t), "第二页");
  assert_int_equal(table_header(t, &row, &e), HZ_OK);
  assert_int_equal(row->line, 3);
  assert_int_equal(row->ncells, 2);
  assert_string_equal(row->cells[0], "");
  assert_string_equal(row->cells[1], "第二页");
  assert_int_equal(table_next(t, &row, &e), HZ_OK);
  assert_null(row);
  table_free(t);
  TableOpts missing = {.sheet = "汇总", .filename = "报表.xlsx"};
  expect_error(p, &missing, HZ_EINVAL, "报表.xlsx中没有名为“汇总”的工作表（有：“项目”、“第二页”）");
  /* the first visible sheet is read when none is named: a hidden first sheet is passed over */
  const char *hidden = "<workbook " NS "><sheets><sheet name=\"项目\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>"
                       "<sheet name=\"第二页\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
  expect_dump(book("hidden.xlsx", NULL, hidden), NULL, "3||第二页\n");
  /* 1904 date system: 44565 is 2026-01-05 counted from 1904-01-01 */
  const char *wb1904 = "<workbook " NS "><workbookPr date1904=\"1\"/><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
                       "</sheets></workbook>";
  const char *s1904 = "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>日期</t></is></c></row>"
                      "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>44565</v></c></row></sheetData></worksheet>";
  expect_dump(book("d1904.xlsx", s1904, wb1904), NULL, "1|日期\n2|2026-01-05\n");
  /* the workbook names a sheet whose XML is not in the zip */
  const char *lost[] = {"_rels/.rels", ROOT_RELS, "xl/workbook.xml", WORKBOOK, "xl/_rels/workbook.xml.rels", WB_RELS,
                        "xl/worksheets/sheet2.xml", SHEET2, NULL};
  zip_build(path_of("lost.xlsx"), lost);
  expect_error(path_of("lost.xlsx"), NULL, HZ_EMEDIA, "工作表“项目”的数据 xl/worksheets/sheet1.xml 不在文件里");
  const char *none = "<workbook " NS "><sheets/></workbook>";
  TableOpts named = {.filename = "空.xlsx"};
  expect_error(book("nosheet.xlsx", NULL, none), &named, HZ_EINVAL, "空.xlsx中没有可读取的数据工作表");
}

static void test_formula_without_value(void **state) {
  (void)state;
  const char *s = "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>合计</t></is></c></row>"
                  "<row r=\"2\"><c r=\"A2\"><f>SUM(B1:B9)</f></c></row></sheetData></worksheet>";
  TableOpts o = {.filename = "f.xlsx"};
  expect_error(book("formula.xlsx", s, NULL), &o, HZ_EINVAL, "f.xlsx的单元格 A2 是公式，但文件里没有它的计算结果");
}

/* Found by fuzz_xlsx: a row numbered below the one before it was read with that number,
 * so line numbers went back (row 4, then row 2) and could repeat in messages and reports. */
static void test_rows_out_of_order(void **state) {
  (void)state;
  TableOpts o = {.filename = "乱序.xlsx"};
  const char *back = "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>名称</t></is></c></row>"
                     "<row r=\"4\"><c r=\"A4\"><v>4</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>"
                     "</sheetData></worksheet>";
  expect_error(book("back.xlsx", back, NULL), &o, HZ_EMEDIA, "乱序.xlsx已损坏，无法作为 XLSX 读取（第 2 行出现在第 4 行之后，行号须从小到大）");
  const char *again = "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>名称</t></is></c></row>"
                      "<row r=\"3\"><c r=\"A3\"><v>3</v></c></row><row r=\"3\"><c r=\"A3\"><v>5</v></c></row>"
                      "</sheetData></worksheet>";
  expect_error(book("again.xlsx", again, NULL), &o, HZ_EMEDIA, "第 3 行出现在第 3 行之后");
  /* numbered rows, then rows without numbers (counted on), in order: read as before */
  const char *mixed = "<worksheet " NS "><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>名称</t></is></c></row>"
                      "<row r=\"3\"><c><v>3</v></c></row><row><c><v>4</v></c></row></sheetData></worksheet>";
  expect_dump(book("mixed.xlsx", mixed, NULL), &o,
              "1|名称\n3|3\n4|4\n");
}

static void test_merged_header(void **state) {
  (void)state;
  TableOpts o = {.filename = "合并.xlsx"};
  /* a title merged across the top: the first row with text is the "header" and is merged */
  Buf s;
  buf_init(&s, 0);
  buf_puts(&s, "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>2026年项目表</t></is></c></row>"
               "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>名称</t></is></c></row>");
  /* enough rows that the merges lie well past the first 64 KiB chunk of the sheet */
  for (int r = 3; r < 3000; r++)
    buf_printf(&s, "<row r=\"%d\"><c r=\"A%d\" t=\"inlineStr\"><is><t>项目 %d mergeCells</t></is></c></row>", r, r, r);
  buf_puts(&s, "</sheetData><mergeCells count=\"2\"><mergeCell ref=\"A5:A6\"/><mergeCell ref=\"A1:C1\"/></mergeCells></worksheet>");
  assert_true(s.len > 3 * 65536);
  expect_error(book("merged.xlsx", s.data, NULL), &o, HZ_EINVAL, "合并.xlsx的表头（第 1 行）有合并单元格 A1:C1");
  buf_free(&s);
  /* merged cells below the header are not the header's business */
  const char *ok = "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>名称</t></is></c></row>"
                   "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>甲</t></is></c></row></sheetData>"
                   "<x:mergeCells xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                   "<x:mergeCell ref=\"A2:A3\"/></x:mergeCells></worksheet>";
  expect_dump(book("merged_ok.xlsx", ok, NULL), NULL, "1|名称\n2|甲\n");
  const char *prefixed = "<worksheet " NS "><sheetData><row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>名称</t></is></c></row>"
                         "</sheetData><x:mergeCells xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                         "<x:mergeCell ref='B2:C2'/></x:mergeCells></worksheet>";
  expect_error(book("merged_ns.xlsx", prefixed, NULL), &o, HZ_EINVAL, "有合并单元格 B2:C2");
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *d = malloc((size_t)n + 1);
  assert_int_equal(fread(d, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  *len = (size_t)n;
  return d;
}

static void expect_mem_error(const void *d, size_t len, const char *name, int rc, const char *part) {
  Table *t = NULL;
  HzErr e = {0};
  TableRow *row;
  TableOpts o = {.filename = name};
  int got = table_open_mem(d, len, &o, &t, &e);
  if (!got) got = table_header(t, &row, &e);
  while (!got && row) got = table_next(t, &row, &e);
  if (got != rc || !strstr(e.message, part)) fprintf(stderr, "rc %d, message: %s\n", got, e.message);
  assert_int_equal(got, rc);
  assert_non_null(strstr(e.message, part));
  table_free(t);
  hz_err_clear(&e);
}

static void test_broken(void **state) {
  (void)state;
  /* a long sheet, so its compressed data is big enough to damage in the middle */
  Buf s;
  buf_init(&s, 0);
  buf_puts(&s, "<worksheet " NS "><sheetData>");
  for (int r = 1; r < 4000; r++)
    buf_printf(&s, "<row r=\"%d\"><c r=\"A%d\"><v>%d</v></c><c r=\"B%d\" t=\"inlineStr\"><is><t>行%d</t></is></c></row>",
               r, r, r * 7919 % 10007, r, r);
  buf_puts(&s, "</sheetData></worksheet>");
  size_t len;
  char *d = slurp(book("good.xlsx", s.data, NULL), &len);
  buf_free(&s);
  /* whole: reads */
  expect_mem_error(d, len, "good.xlsx", HZ_OK, "");
  /* cut short (a download that stopped): no central directory */
  expect_mem_error(d, len / 2, "半截.xlsx", HZ_EMEDIA, "半截.xlsx已损坏，无法作为 XLSX 读取");
  /* bytes changed inside the sheet's compressed data */
  char *bad = malloc(len);
  memcpy(bad, d, len);
  const char *name = "xl/worksheets/sheet1.xml";
  char *at = memmem(bad, len, name, strlen(name));
  assert_non_null(at);
  for (int k = 0; k < 64; k++) at[strlen(name) + 400 + k] ^= 0x5A;
  expect_mem_error(bad, len, "坏.xlsx", HZ_EMEDIA, "坏.xlsx已损坏");
  free(bad);
  free(d);
  /* a zip that is no workbook, and an OpenDocument spreadsheet */
  const char *docx[] = {"word/document.xml", "<w/>", NULL};
  zip_build(path_of("doc.zip"), docx);
  TableOpts o = {.filename = "doc.xlsx"};
  expect_error(path_of("doc.zip"), &o, HZ_EMEDIA, "doc.xlsx是 zip 文件，但里面没有 Excel 工作簿");
  const char *ods[] = {"mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", "<x/>", NULL};
  zip_build(path_of("t.ods"), ods);
  expect_error(path_of("t.ods"), NULL, HZ_EMEDIA, "t.ods是 OpenDocument 表格（.ods）");
  /* invalid UTF-8 in the sheet and in the shared strings */
  const char *bad8 = "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>名\xFF称</t></is></c></row>"
                     "</sheetData></worksheet>";
  expect_error(book("utf8.xlsx", bad8, NULL), NULL, HZ_EMEDIA, "xl/worksheets/sheet1.xml 第 1 行第");
  expect_error(book("utf8.xlsx", bad8, NULL), NULL, HZ_EMEDIA, "含有无效的 UTF-8 字节");
  /* an empty sheet */
  const char *empty = "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" s=\"1\"/></row></sheetData></worksheet>";
  TableOpts eo = {.filename = "空表.xlsx"};
  expect_error(book("empty.xlsx", empty, NULL), &eo, HZ_EINVAL, "空表.xlsx的工作表“项目”是空的");
  /* a zero-byte .xlsx and an old .xls */
  expect_mem_error("", 0, "零.xlsx", HZ_EINVAL, "零.xlsx是空的");
  expect_mem_error("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1....", 12, "老.xls", HZ_EMEDIA, "请在 Excel/WPS 中“另存为” Excel 工作簿（.xlsx）");
  /* a DOCTYPE (entity tricks) is refused */
  const char *dt = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet " NS "><sheetData/></worksheet>";
  expect_error(book("doctype.xlsx", dt, NULL), NULL, HZ_EMEDIA, "DOCTYPE");
  /* a shared string that does not exist */
  const char *sst = "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>99</v></c></row></sheetData></worksheet>";
  expect_error(book("sst.xlsx", sst, NULL), NULL, HZ_EMEDIA, "不存在的共享字符串 99");
}

/* What xlsx_write makes, read back by table: every kind of cell, guarded text, and the
 * parts of the file that make the template and the error report (lists, marks). */
static void test_write_round_trip(void **state) {
  (void)state;
  const char *p = path_of("written.xlsx");
  XlsxWriter *w;
  HzErr e = {0};
  XlsxWriteOpts o = {.sheet = "项目清单"};
  assert_int_equal(xlsx_write_open(p, &o, &w, &e), HZ_OK);
  const char *head[] = {"项目名称", "阶段", "投资额（万元）", "数量", "所属单位"};
  assert_int_equal(xlsx_write_header(w, head, 5, &e), HZ_OK);
  const char *stages[] = {"签约", "开工", "投产"};
  assert_int_equal(xlsx_write_list(w, 1, stages, 3, &e), HZ_OK);
  /* a long list goes to the hidden sheet */
  char units[60][32];
  const char *unit_ptrs[60];
  for (int i = 0; i < 60; i++) {
    snprintf(units[i], sizeof units[i], "第%d开发区管委会", i + 1);
    unit_ptrs[i] = units[i];
  }
  assert_int_equal(xlsx_write_list(w, 4, unit_ptrs, 60, &e), HZ_OK);
  const char *texts[] = {"新能源电池项目", "=1+1", "-负", "+86", "@x", "'=x", "_x0041_", "两\n行", "含\x01控制"};
  for (int i = 0; i < 9; i++) {
    Cell r[] = {{.kind = CELL_TEXT, .text = texts[i]},
                {.kind = CELL_TEXT, .text = stages[i % 3], .note = i == 2 ? "阶段不在列表中" : NULL},
                {.kind = CELL_DEC, .i = 123456 + i, .scale = 2},
                {.kind = CELL_INT, .i = i == 8 ? INT64_C(1234567890123456789) : -i},
                {.kind = i == 4 ? CELL_EMPTY : CELL_TEXT, .text = units[i]}};
    assert_int_equal(xlsx_write_row(w, r, 5, &e), HZ_OK);
  }
  assert_int_equal(xlsx_write_close(w, &e), HZ_OK);

  for (int unguard = 0; unguard <= 1; unguard++) {
    Table *t;
    TableRow *row;
    TableOpts ro = {.unguard = unguard};
    assert_int_equal(table_open_path(p, &ro, &t, &e), HZ_OK);
    assert_string_equal(table_sheet_name(t), "项目清单");
    assert_int_equal(table_header(t, &row, &e), HZ_OK);
    assert_int_equal(row->ncells, 5);
    assert_string_equal(row->cells[2], "投资额（万元）");
    for (int i = 0; i < 9; i++) {
      assert_int_equal(table_next(t, &row, &e), HZ_OK);
      assert_non_null(row);
      assert_int_equal(row->line, i + 2);
      char g[64], want[64];
      assert_string_equal(row->cells[0], unguard ? texts[i] : cell_guard(texts[i], g, sizeof g));
      assert_string_equal(row->cells[1], stages[i % 3]);
      /* a number reads back as the number (1234.60 is 1234.6), not its display format */
      cell_format_dec(123456 + i, 2, want, sizeof want);
      size_t wl = strlen(want);
      while (want[wl - 1] == '0') want[--wl] = 0;
      if (want[wl - 1] == '.') want[--wl] = 0;
      assert_string_equal(row->cells[2], want);
      snprintf(want, sizeof want, "%lld", i == 8 ? 1234567890123456789LL : (long long)-i);
      assert_string_equal(row->cells[3], want);
      assert_string_equal(row->cells[4], i == 4 ? "" : units[i]);
    }
    assert_int_equal(table_next(t, &row, &e), HZ_OK);
    assert_null(row);
    uint64_t done, total;
    table_progress(t, &done, &total); /* the whole sheet XML was read */
    assert_true(total > 1000);
    assert_int_equal(done, total);
    table_free(t);
  }

  /* inside the file: the short list inline, the long one on the hidden sheet, the mark */
  int err;
  zip_t *za = zip_open(p, ZIP_RDONLY, &err);
  assert_non_null(za);
  Buf x;
  buf_init(&x, 0);
  const char *names[] = {"xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/comments1.xml", "xl/worksheets/sheet2.xml"};
  for (int k = 0; k < 4; k++) {
    zip_file_t *zf = zip_fopen(za, names[k], 0);
    assert_non_null(zf);
    char chunk[4096];
    zip_int64_t n;
    while ((n = zip_fread(zf, chunk, sizeof chunk)) > 0) buf_append(&x, chunk, (size_t)n);
    zip_fclose(zf);
  }
  zip_close(za);
  assert_non_null(strstr(x.data, "<formula1>\"签约,开工,投产\"</formula1>"));
  assert_non_null(strstr(x.data, "<formula1>lists!$A$1:$A$60</formula1>"));
  assert_non_null(strstr(x.data, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"));
  assert_non_null(strstr(x.data, "name=\"lists\" sheetId=\"2\" state=\"hidden\""));
  assert_non_null(strstr(x.data, "<t>阶段不在列表中</t>"));
  assert_non_null(strstr(x.data, "<t>第60开发区管委会</t>"));
  /* 项目名称 is 8 units wide, 新能源电池项目 14: its column gets 14 + 2 */
  assert_non_null(strstr(x.data, "<col min=\"1\" max=\"1\" width=\"16.7109375\" customWidth=\"1\"/>"));
  buf_free(&x);
}

static void test_writer_errors(void **state) {
  (void)state;
  XlsxWriter *w;
  HzErr e = {0};
  XlsxWriteOpts o = {.sheet = "坏[名]"};
  assert_int_equal(xlsx_write_open(path_of("x.xlsx"), &o, &w, &e), HZ_EINVAL);
  assert_null(w);
  assert_non_null(strstr(e.message, "工作表名“坏[名]”不可用"));
  hz_err_clear(&e);
  assert_int_equal(xlsx_write_open("/nonexistent-dir/x.xlsx", NULL, &w, &e), HZ_OK);
  Cell c = {.kind = CELL_TEXT, .text = "x"};
  assert_int_equal(xlsx_write_row(w, &c, 1, &e), HZ_OK);
  assert_int_equal(xlsx_write_close(w, &e), HZ_EIO);
  assert_non_null(strstr(e.message, "写入 XLSX 失败"));
  hz_err_clear(&e);
}

static int setup(void **state) {
  (void)state;
  snprintf(g_dir, sizeof g_dir, "/tmp/hz_xlsx_XXXXXX");
  return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
  return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_values),         cmocka_unit_test(test_sheets),
      cmocka_unit_test(test_formula_without_value), cmocka_unit_test(test_rows_out_of_order), cmocka_unit_test(test_merged_header),
      cmocka_unit_test(test_broken),         cmocka_unit_test(test_write_round_trip),
      cmocka_unit_test(test_writer_errors),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
