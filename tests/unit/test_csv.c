/* io/table (CSV) and io/csv_write: RFC 4180 reading, GBK detection and conversion, the
 * broken-file errors, the formula-injection guard, and write-then-read round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "io/cell.h"
#include "io/csv_write.h"
#include "io/table.h"
#include "util/buf.h"
#include "table_dump.h"

/* Reads all of data into "line|cell|cell..." lines (header first), or the error. */
static int dump(const void *data, size_t len, const TableOpts *o, Buf *out, HzErr *e) {
  Table *t = NULL;
  int rc = table_open_mem(data, len, o, &t, e);
  return rc ? rc : table_dump(t, out, e);
}

#define DUMP_OK(lit, expect)                                  \
  do {                                                        \
    Buf b_;                                                   \
    buf_init(&b_, 0);                                         \
    HzErr e_ = {0};                                           \
    int rc_ = dump(lit, sizeof(lit) - 1, NULL, &b_, &e_);     \
    if (rc_) fprintf(stderr, "error: %s\n", e_.message);      \
    assert_int_equal(rc_, HZ_OK);                             \
    assert_string_equal(b_.data ? b_.data : "", expect);      \
    buf_free(&b_);                                            \
    hz_err_clear(&e_);                                        \
  } while (0)

static void expect_error(const void *data, size_t len, const char *filename, int rc, const char *part) {
  Buf b;
  buf_init(&b, 0);
  HzErr e = {0};
  TableOpts o = {.filename = filename};
  int got = dump(data, len, &o, &b, &e);
  if (got != rc || !strstr(e.message, part)) fprintf(stderr, "rc %d, message: %s\n", got, e.message);
  assert_int_equal(got, rc);
  assert_non_null(strstr(e.message, part));
  buf_free(&b);
  hz_err_clear(&e);
}

static void test_rfc4180(void **state) {
  (void)state;
  /* quotes, doubled quotes, a comma and a newline inside quotes, CRLF, LF, a lone CR */
  DUMP_OK("名称,金额,备注\r\n"
          "\"甲,乙\",100,\"他说\"\"好\"\"\"\r\n"
          "\"两\r\n行\",,x\n"
          "c,d\r"
          "e,f,g\n",
          "1|名称|金额|备注\n"
          "2|甲,乙|100|他说\"好\"\n"
          "3|两\r\n行||x\n"
          "4|c|d|\n"
          "5|e|f|g\n");
  /* a BOM is skipped; blank lines are skipped but still counted; no final newline;
   * cells past the header are kept; text after a closing quote is kept, as Excel does */
  DUMP_OK("\xEF\xBB\xBF"
          "a,b\n\n,,\n1,2,3\n\"x\"y,\"\"",
          "1|a|b\n"
          "4|1|2|3\n"
          "5|xy|\n");
  /* the delimiter comes from the header line */
  DUMP_OK("a;b;c\n1;2,5;3\n", "1|a|b|c\n2|1|2,5|3\n");
  DUMP_OK("a\tb\n1\t2\n", "1|a|b\n2|1|2\n");
  DUMP_OK("\r\n\na;b\n1;2,5\n", "3|a|b\n4|1|2,5\n");
}

static void test_refs(void **state) {
  (void)state;
  const char csv[] = "a,b,c\n\n1,2,3\n";
  Table *t;
  TableRow *row;
  HzErr e = {0};
  assert_int_equal(table_open_mem(csv, sizeof csv - 1, NULL, &t, &e), HZ_OK);
  assert_int_equal(table_format(t), TABLE_CSV);
  assert_null(table_sheet_name(t));
  assert_int_equal(table_header(t, &row, &e), HZ_OK);
  assert_int_equal(table_next(t, &row, &e), HZ_OK);
  char ref[16];
  table_ref(row, 2, ref, sizeof ref);
  assert_string_equal(ref, "C3");
  cell_ref(27, 1048576, ref, sizeof ref);
  assert_string_equal(ref, "AB1048576");
  cell_ref(16383, 1, ref, sizeof ref);
  assert_string_equal(ref, "XFD1");
  assert_int_equal(table_next(t, &row, &e), HZ_OK);
  assert_null(row);
  uint64_t done, total;
  table_progress(t, &done, &total);
  assert_int_equal(total, sizeof csv - 1);
  assert_int_equal(done, sizeof csv - 1);
  table_free(t);
}

static char *to_gbk(const char *utf8, size_t *len) {
  iconv_t cd = iconv_open("GBK", "UTF-8");
  assert_true(cd != (iconv_t)-1);
  size_t il = strlen(utf8), ol = il * 2 + 16;
  char *out = malloc(ol), *ip = (char *)utf8, *op = out;
  assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
  iconv_close(cd);
  *len = (size_t)(op - out);
  return out;
}

static void test_gbk(void **state) {
  (void)state;
  const char *text = "单位名称,负责人,金额\r\n市发展和改革委员会,张三,100\r\n招商局,\"李四,王五\",200\r\n";
  size_t len;
  char *gbk = to_gbk(text, &len);
  /* really GBK: 单 is B5 A5 in GBK, E5 8D 95 in UTF-8 */
  assert_memory_equal(gbk, "\xB5\xA5", 2);
  Table *t;
  TableRow *row;
  HzErr e = {0};
  assert_int_equal(table_open_mem(gbk, len, NULL, &t, &e), HZ_OK);
  assert_int_equal(table_converted(t), 1);
  assert_string_equal(TABLE_GBK_NOTICE, "文件为 GBK 编码，已转换为 UTF-8");
  assert_int_equal(table_header(t, &row, &e), HZ_OK);
  assert_string_equal(row->cells[0], "单位名称");
  assert_int_equal(table_next(t, &row, &e), HZ_OK);
  assert_string_equal(row->cells[0], "市发展和改革委员会");
  assert_int_equal(table_next(t, &row, &e), HZ_OK);
  assert_string_equal(row->cells[1], "李四,王五");
  table_free(t);
  free(gbk);

  /* a UTF-8 file is not converted */
  assert_int_equal(table_open_mem(text, strlen(text), NULL, &t, &e), HZ_OK);
  assert_int_equal(table_converted(t), 0);
  table_free(t);
}

/* A GBK file bigger than the 64 KiB chunks, so characters are cut at chunk ends both in
 * the check pass and in the conversion. */
static void test_gbk_big_file(void **state) {
  (void)state;
  Buf b;
  buf_init(&b, 0);
  buf_puts(&b, "序号,名称\n");
  for (int i = 1; i <= 9000; i++) buf_printf(&b, "%d,项目%d号（开发区）\n", i, i);
  size_t len;
  char *gbk = to_gbk(b.data, &len);
  assert_true(len > 3 * 65536);
  char path[] = "/tmp/hz_csv_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, gbk, len), (ssize_t)len);
  close(fd);
  Table *t;
  TableRow *row;
  HzErr e = {0};
  assert_int_equal(table_open_path(path, NULL, &t, &e), HZ_OK);
  assert_int_equal(table_converted(t), 1);
  assert_int_equal(table_header(t, &row, &e), HZ_OK);
  int n = 0;
  char want[64];
  while (!table_next(t, &row, &e) && row) {
    n++;
    snprintf(want, sizeof want, "项目%d号（开发区）", n);
    assert_string_equal(row->cells[1], want);
    assert_int_equal(row->line, n + 1);
  }
  assert_int_equal(e.rc, HZ_OK);
  assert_int_equal(n, 9000);
  table_free(t);
  unlink(path);
  free(gbk);
  buf_free(&b);
}

static void test_broken(void **state) {
  (void)state;
  expect_error("", 0, "a.csv", HZ_EINVAL, "a.csv是空的");
  expect_error("\xEF\xBB\xBF", 3, "a.csv", HZ_EINVAL, "是空的");
  expect_error("\n,,\r\n\n", 5, "a.csv", HZ_EINVAL, "是空的：没有表头");
  /* neither UTF-8 nor GBK: 0xFF starts nothing in either */
  expect_error("a,b\n1,2\n\xFF\xFF,3\n", 14, "a.csv", HZ_EINVAL, "不是有效的 UTF-8 文本（也不是 GBK）：第 3 行");
  /* a BOM says UTF-8: then a GBK-looking byte is an error, not a conversion */
  expect_error("\xEF\xBB\xBF" "a\n\xB5\xA5\n", 8, "a.csv", HZ_EINVAL, "不是有效的 UTF-8");
  expect_error("\xFF\xFE" "a\0,\0", 6, "u.csv", HZ_EMEDIA, "UTF-16");
  expect_error("a,b\n1,\0\n", 8, "n.csv", HZ_EMEDIA, "NUL");
  static const char ole2[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest of an old workbook";
  expect_error(ole2, sizeof ole2 - 1, "旧表.xls", HZ_EMEDIA, "旧表.xls是旧版 Excel（.xls）");
  expect_error(ole2, sizeof ole2 - 1, "旧表.xls", HZ_EMEDIA, "另存为” Excel 工作簿（.xlsx）");
  /* named .xlsx but not a zip */
  expect_error("a,b\n", 4, "坏.xlsx", HZ_EMEDIA, "坏.xlsx不是有效的 XLSX 文件");
  expect_error("a,b\n1,\"open\n2,3\n", 16, "q.csv", HZ_EINVAL, "第 2 行（B2）开始的引号一直到文件末尾都没有闭合");
}

static void test_row_cap(void **state) {
  (void)state;
  Buf b;
  buf_init(&b, 0);
  buf_puts(&b, "a\n\"");
  for (int i = 0; i < 2000; i++) buf_puts(&b, "0123456789");
  HzErr e = {0};
  Table *t;
  TableRow *row;
  TableOpts o = {.max_row_bytes = 10000, .filename = "big.csv"};
  assert_int_equal(table_open_mem(b.data, b.len, &o, &t, &e), HZ_OK);
  assert_int_equal(table_header(t, &row, &e), HZ_OK);
  assert_int_equal(table_next(t, &row, &e), HZ_ETOOBIG);
  assert_non_null(strstr(e.message, "big.csv第 2 行超过 10000 字节"));
  assert_non_null(strstr(e.message, "引号没有闭合"));
  table_free(t);
  hz_err_clear(&e);
  buf_free(&b);
}

static void test_guard(void **state) {
  (void)state;
  char out[64];
  assert_string_equal(cell_guard("=1+1", out, sizeof out), "'=1+1");
  assert_string_equal(cell_guard("+86 138", out, sizeof out), "'+86 138");
  assert_string_equal(cell_guard("-5", out, sizeof out), "'-5");
  assert_string_equal(cell_guard("@SUM(A1)", out, sizeof out), "'@SUM(A1)");
  assert_string_equal(cell_guard("\tx", out, sizeof out), "'\tx");
  assert_string_equal(cell_guard("\rx", out, sizeof out), "'\rx");
  assert_string_equal(cell_guard("'=x", out, sizeof out), "''=x");
  assert_string_equal(cell_guard("a=b", out, sizeof out), "a=b");
  assert_string_equal(cell_guard("'quoted", out, sizeof out), "'quoted");
  assert_string_equal(cell_guard("", out, sizeof out), "");
  char s1[] = "'=1+1", s2[] = "''=x", s3[] = "'quoted", s4[] = "'";
  assert_string_equal(cell_unguard(s1), "=1+1");
  assert_string_equal(cell_unguard(s2), "'=x");
  assert_string_equal(cell_unguard(s3), "'quoted");
  assert_string_equal(cell_unguard(s4), "'");
  char dec[32];
  cell_format_dec(-1250, 2, dec, sizeof dec);
  assert_string_equal(dec, "-12.50");
  cell_format_dec(5, 4, dec, sizeof dec);
  assert_string_equal(dec, "0.0005");
  cell_format_dec(INT64_MIN, 0, dec, sizeof dec);
  assert_string_equal(dec, "-9223372036854775808");
  assert_int_equal(cell_display_width("abc"), 3);
  assert_int_equal(cell_display_width("招商ab"), 6);
  assert_int_equal(cell_display_width("长一点的行\nab"), 10);
}

/* The exact bytes: BOM, CRLF, quoting only when needed, guarded text, plain numbers. */
static void test_write_bytes(void **state) {
  (void)state;
  Buf b;
  buf_init(&b, 0);
  CsvWriter *w;
  HzErr e = {0};
  assert_int_equal(csv_write_new_buf(&b, &w, &e), HZ_OK);
  const char *head[] = {"名称", "金额", NULL, "备注"};
  assert_int_equal(csv_write_texts(w, head, 4, &e), HZ_OK);
  Cell row[] = {{.kind = CELL_TEXT, .text = "=HYPERLINK(\"http://x\",\"点我\")"},
                {.kind = CELL_INT, .i = -5},
                {.kind = CELL_DEC, .i = 123456, .scale = 2},
                {.kind = CELL_TEXT, .text = "两\n行,\"引\""},
                {.kind = CELL_TEXT, .text = "-5"},
                {.kind = CELL_EMPTY},
                {.kind = CELL_TEXT, .text = "@x"}};
  assert_int_equal(csv_write_row(w, row, 7, &e), HZ_OK);
  assert_int_equal(csv_write_close(w, &e), HZ_OK);
  const char *want = "\xEF\xBB\xBF名称,金额,,备注\r\n"
                     "\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",-5,1234.56,\"两\n行,\"\"引\"\"\",'-5,,'@x\r\n";
  assert_string_equal(b.data, want);
  buf_free(&b);
}

/* Written, then read back: the same text, guarded unless the reader is told to unguard. */
static void test_round_trip(void **state) {
  (void)state;
  const char *texts[] = {"普通文本", "=1+1", "+8613800000000", "-负数文本", "@提及", "\t制表", "'=已有引号",
                         "逗号,和\"引号\"", "换行\r\n两行", "  前后空格  ", "_x0041_", "😀 emoji"};
  size_t n = sizeof texts / sizeof texts[0];
  char path[] = "/tmp/hz_csvw_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  CsvWriter *w;
  HzErr e = {0};
  assert_int_equal(csv_write_new_file(path, &w, &e), HZ_OK);
  const char *head[] = {"序号", "文本", "金额"};
  csv_write_texts(w, head, 3, &e);
  for (size_t i = 0; i < n; i++) {
    Cell r[] = {{.kind = CELL_INT, .i = (int64_t)i - 3}, {.kind = CELL_TEXT, .text = texts[i]},
                {.kind = CELL_DEC, .i = (int64_t)i * 1001, .scale = 2}};
    assert_int_equal(csv_write_row(w, r, 3, &e), HZ_OK);
  }
  assert_int_equal(csv_write_close(w, &e), HZ_OK);
  for (int unguard = 0; unguard <= 1; unguard++) {
    Table *t;
    TableRow *row;
    TableOpts o = {.unguard = unguard};
    assert_int_equal(table_open_path(path, &o, &t, &e), HZ_OK);
    assert_int_equal(table_header(t, &row, &e), HZ_OK);
    assert_string_equal(row->cells[2], "金额");
    for (size_t i = 0; i < n; i++) {
      assert_int_equal(table_next(t, &row, &e), HZ_OK);
      assert_non_null(row);
      assert_int_equal(row->line, i + 2);
      char num[32], guarded[64];
      snprintf(num, sizeof num, "%d", (int)i - 3);
      assert_string_equal(row->cells[0], num); /* numbers are never guarded */
      assert_string_equal(row->cells[1], unguard ? texts[i] : cell_guard(texts[i], guarded, sizeof guarded));
      cell_format_dec((int64_t)i * 1001, 2, num, sizeof num);
      assert_string_equal(row->cells[2], num);
    }
    assert_int_equal(table_next(t, &row, &e), HZ_OK);
    assert_null(row);
    table_free(t);
  }
  unlink(path);
}

/* A big file read in chunks: memory stays flat and every row arrives. */
static void test_many_rows(void **state) {
  (void)state;
  char path[] = "/tmp/hz_csvm_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  CsvWriter *w;
  HzErr e = {0};
  assert_int_equal(csv_write_new_file(path, &w, &e), HZ_OK);
  const char *head[] = {"编号", "名称", "说明"};
  csv_write_texts(w, head, 3, &e);
  Buf big;
  buf_init(&big, 0);
  for (int i = 0; i < 20000; i++) buf_puts(&big, "长文本\"");
  for (int i = 0; i < 100000; i++) {
    char name[32];
    snprintf(name, sizeof name, "项目,%d", i);
    Cell r[] = {{.kind = CELL_INT, .i = i}, {.kind = CELL_TEXT, .text = name},
                {.kind = CELL_TEXT, .text = i == 50000 ? big.data : "短"}};
    csv_write_row(w, r, 3, &e);
  }
  assert_int_equal(csv_write_close(w, &e), HZ_OK);
  Table *t;
  TableRow *row;
  assert_int_equal(table_open_path(path, NULL, &t, &e), HZ_OK);
  assert_int_equal(table_header(t, &row, &e), HZ_OK);
  int n = 0;
  while (!table_next(t, &row, &e) && row) {
    char name[32];
    snprintf(name, sizeof name, "项目,%d", n);
    assert_string_equal(row->cells[1], name);
    if (n == 50000) assert_string_equal(row->cells[2], big.data);
    n++;
  }
  assert_int_equal(e.rc, HZ_OK);
  assert_int_equal(n, 100000);
  table_free(t);
  unlink(path);
  buf_free(&big);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rfc4180),     cmocka_unit_test(test_refs),
      cmocka_unit_test(test_gbk),         cmocka_unit_test(test_gbk_big_file),
      cmocka_unit_test(test_broken),      cmocka_unit_test(test_row_cap),
      cmocka_unit_test(test_guard),       cmocka_unit_test(test_write_bytes),
      cmocka_unit_test(test_round_trip),  cmocka_unit_test(test_many_rows),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
