/* domain/exporter: the columns and natural keys an export (and an import) uses, its file
 * names and formats, and io/'s CELL_DATE read back by io/table as the same day. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "domain/exporter.h"
#include "io/csv_write.h"
#include "io/table.h"
#include "io/xlsx_write.h"
#include "util/timeutil.h"

static void test_formats(void **state) {
  (void)state;
  assert_int_equal(exporter_format("xlsx"), EXPORT_XLSX);
  assert_int_equal(exporter_format("CSV"), EXPORT_CSV);
  assert_int_equal(exporter_format("xls"), 0);
  assert_int_equal(exporter_format(""), 0);
  assert_int_equal(exporter_format(NULL), 0);
  assert_string_equal(exporter_extension(EXPORT_CSV), "csv");
  assert_string_equal(exporter_content_type(EXPORT_CSV), "text/csv; charset=utf-8");
  assert_true(exporter_kind_known("projects") && exporter_kind_known("ranking") && exporter_kind_known("follow-ups"));
  assert_false(exporter_kind_known("project") || exporter_kind_known(NULL));
}

static void test_filenames(void **state) {
  (void)state;
  date_pretend_today(date_from_ymd(2026, 10, 15));
  char name[128];
  exporter_filename("projects", EXPORT_XLSX, name, sizeof name);
  assert_string_equal(name, "项目清单_2026-10-15.xlsx");
  exporter_filename("follow-ups", EXPORT_CSV, name, sizeof name);
  assert_string_equal(name, "跟踪洽谈记录清单_2026-10-15.csv");
  exporter_filename("ranking", EXPORT_CSV, name, sizeof name);
  assert_string_equal(name, "综合排名_2026-10-15.csv");
  date_pretend_today(DATE_REAL);
}

static void test_natural_keys(void **state) {
  (void)state;
  static const char *const want[][2] = {{"units", "name"},     {"users", "login"},     {"projects", "name"},
                                        {"campaigns", "name"}, {"investors", "name"},  {"sections", "name"},
                                        {"rules", "code"},     {"bulletins", "title"}, {"coordination-items", "title"}};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const char *k = exporter_key_column(resource_find(want[i][0]));
    assert_non_null(k);
    assert_string_equal(k, want[i][1]);
  }
  /* No text names a fund or a stage change: the id is written. */
  assert_null(exporter_key_column(resource_find("funds")));
  assert_null(exporter_key_column(resource_find("stage-changes")));
  assert_null(exporter_key_column(NULL));
}

static void test_columns(void **state) {
  (void)state;
  const Field *cols[64];
  size_t n = exporter_columns(resource_find("users"), cols, 64);
  /* login, name, role, unit, section, title, phone, disabled, must change the password (a
   * reset not yet changed): never the password or its hash. */
  assert_int_equal(n, 9);
  assert_string_equal(cols[8]->name, "must_change_password");
  for (size_t i = 0; i < n; i++) assert_true(strcmp(cols[i]->name, "password") && strcmp(cols[i]->name, "password_hash"));
  assert_string_equal(cols[0]->label, "登录名");
  n = exporter_columns(resource_find("projects"), cols, 64);
  assert_int_equal(n, 19);
  assert_string_equal(cols[1]->label, "项目名称");
  /* Frozen JSON (a proposal's basis) has no column; a rule's own condition has. */
  n = exporter_columns(resource_find("proposals"), cols, 64);
  for (size_t i = 0; i < n; i++) assert_string_not_equal(cols[i]->name, "basis");
  n = exporter_columns(resource_find("rules"), cols, 64);
  int condition = 0;
  for (size_t i = 0; i < n; i++) condition |= !strcmp(cols[i]->name, "condition");
  assert_true(condition);
  assert_int_equal(exporter_columns(resource_find("projects"), cols, 3), 3);
}

/* A day written as CELL_DATE comes back from io/table as the same text, in both formats;
 * text that is no day stays text. */
static void test_date_cells(void **state) {
  (void)state;
  char dir[] = "/tmp/hz_export_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char x[64], c[64];
  snprintf(x, sizeof x, "%s/d.xlsx", dir);
  snprintf(c, sizeof c, "%s/d.csv", dir);
  HzErr e = {0};
  const char *names[] = {"日期", "说明"};
  Cell rows[][2] = {{{.kind = CELL_DATE, .text = "2026-10-15"}, {.kind = CELL_TEXT, .text = "a"}},
                    {{.kind = CELL_DATE, .text = "2026-02-29"}, {.kind = CELL_TEXT, .text = "b"}},
                    {{.kind = CELL_DATE, .text = "=1+1"}, {.kind = CELL_TEXT, .text = "c"}}};
  const char *back[] = {"2026-10-15", "2026-02-29", "=1+1"}; /* no such day: text, as given */
  XlsxWriter *w;
  assert_int_equal(xlsx_write_open(x, NULL, &w, &e), HZ_OK);
  assert_int_equal(xlsx_write_header(w, names, 2, &e), HZ_OK);
  CsvWriter *cw;
  assert_int_equal(csv_write_new_file(c, &cw, &e), HZ_OK);
  assert_int_equal(csv_write_texts(cw, names, 2, &e), HZ_OK);
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(xlsx_write_row(w, rows[i], 2, &e), HZ_OK);
    assert_int_equal(csv_write_row(cw, rows[i], 2, &e), HZ_OK);
  }
  assert_int_equal(xlsx_write_close(w, &e), HZ_OK);
  assert_int_equal(csv_write_close(cw, &e), HZ_OK);
  const char *paths[] = {x, c};
  for (size_t p = 0; p < 2; p++) {
    Table *t;
    TableRow *row;
    TableOpts o = {.unguard = 1};
    assert_int_equal(table_open_path(paths[p], &o, &t, &e), HZ_OK);
    assert_int_equal(table_header(t, &row, &e), HZ_OK);
    for (size_t i = 0; i < 3; i++) {
      assert_int_equal(table_next(t, &row, &e), HZ_OK);
      assert_non_null(row);
      assert_string_equal(row->cells[0], back[i]);
    }
    assert_int_equal(table_next(t, &row, &e), HZ_OK);
    assert_null(row);
    table_free(t);
  }
  unlink(x);
  unlink(c);
  rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_formats),     cmocka_unit_test(test_filenames), cmocka_unit_test(test_natural_keys),
      cmocka_unit_test(test_columns),     cmocka_unit_test(test_date_cells),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
