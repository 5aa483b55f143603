/* An import written in batches (docs/import.md "All or nothing"): when a row that passed
 * the check is refused while it is written (here: its lead unit renamed while the second
 * batch is written, as another user might do between two batches), the import stops as
 * "interrupted" with exactly the first batch kept, the audit chain whole and the figures
 * exact; importing the same file again finishes it without duplicates. Counts are read
 * back with raw SQL on a second connection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "domain/figures.h"
#include "domain/importer.h"
#include "domain/record.h"
#include "store/audit_store.h"
#include "temp_db.h"

#define ROWS 4500

static long long raw_int(const TempDb *t, const char *sql) {
  sqlite3 *h = NULL;
  sqlite3_stmt *st = NULL;
  if (sqlite3_open_v2(t->path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) fail_msg("open %s", t->path);
  if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) fail_msg("%s: %s", sql, sqlite3_errmsg(h));
  long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  sqlite3_close(h);
  return v;
}

static const Actor admin = {.id = 0, .role = ROLE_ADMIN, .login = "admin", .name = "管理员"};
static const char *const unit_names[] = {"甲单位", "乙单位", "丙单位"};

static void create(Db *db, const char *collection, json_t *body) {
  json_t *out = NULL;
  HzErr e = {0};
  if (record_create(db, &admin, resource_find(collection), 0, body, &out, &e)) fail_msg("%s: %s", collection, e.message);
  json_decref(out);
  json_decref(body);
}

/* Rows round-robin over the three units; lead dates inside the campaign. */
static void write_csv(const char *path) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fprintf(f, "项目名称,牵头单位,项目类别,招商方式,计划投资,信息登记日期\r\n");
  for (int i = 0; i < ROWS; i++)
    fprintf(f, "批次项目%05d,%s,工业项目,以商招商,%d,2026-09-%02d\r\n", i, unit_names[i % 3], 1000 + i, 1 + i % 28);
  fclose(f);
}

typedef struct {
  Db *db;
  int renamed;
} Meddler;

/* In the write pass (the second half of the bytes), 48 rows into its second batch: another
 * "user" renames 丙单位 on the importer's connection, so inside that batch's transaction. */
static void meddle(void *ctx, int64_t rows, uint64_t done, uint64_t total) {
  Meddler *m = ctx;
  if (m->renamed || done <= total / 2 || rows != 2048) return;
  HzErr e = {0};
  if (db_exec(m->db, "UPDATE units SET name = '丙单位（改名）' WHERE name = '丙单位'", &e)) fail_msg("%s", e.message);
  m->renamed = 1;
}

static void checks_clean(Db *db) {
  HzErr e = {0};
  int64_t n = 0;
  assert_int_equal(audit_store_verify(db, &n, &e), HZ_OK);
  json_t *diffs = NULL;
  assert_int_equal(figures_check(db, &diffs, &e), HZ_OK);
  if (json_array_size(diffs)) fail_msg("check: %s", json_string_value(json_array_get(diffs, 0)));
  json_decref(diffs);
}

static void interrupted_then_finished(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "impbatch");
  create(t.db, "campaigns", json_pack("{s:s s:s s:s}", "name", "2026年百日会战", "start_date", "2026-09-01", "end_date",
                                      "2026-12-09"));
  for (int i = 0; i < 3; i++) create(t.db, "units", json_pack("{s:s s:s}", "name", unit_names[i], "category", "services"));
  char csv[160];
  snprintf(csv, sizeof csv, "%s/projects.csv", t.dir);
  write_csv(csv);
  long long audit0 = raw_int(&t, "SELECT COUNT(*) FROM audit_log");

  Meddler md = {t.db, 0};
  ImportOpts o = {.kind = "projects", .filename = "projects.csv", .path = csv, .progress = meddle, .progress_ctx = &md};
  json_t *res = NULL;
  HzErr e = {0};
  assert_int_equal(importer_run(t.db, &admin, &o, &res, &e), HZ_OK);
  assert_true(md.renamed);
  assert_string_equal(json_string_value(json_object_get(res, "state")), "interrupted");
  assert_int_equal(json_integer_value(json_object_get(res, "rows_committed")), 2000);
  /* the counts are of what was kept, not of the batch rolled back */
  assert_int_equal(json_integer_value(json_object_get(res, "created")), 2000);
  assert_int_equal(json_array_size(json_object_get(res, "items")), 1000); /* IMPORT_ROWS_LISTED */
  /* row index 2048 (file line 2050) is 丙单位's, the first after the rename */
  json_t *err = json_array_get(json_object_get(res, "errors"), 0);
  assert_int_equal(json_integer_value(json_object_get(err, "row")), 2050);
  assert_string_equal(json_string_value(json_object_get(err, "field")), "lead_unit_id");
  assert_string_equal(json_string_value(json_object_get(err, "value")), "丙单位");
  json_decref(res);
  /* Exactly the first batch is stored and audited; the rename went with the second batch. */
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM projects"), 2000);
  assert_int_equal(raw_int(&t, "SELECT MAX(CAST(substr(name, 5) AS INTEGER)) FROM projects"), 1999);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM audit_log WHERE entity = 'projects' AND action = 'create'"), 2000);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM audit_log"), audit0 + 2000);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM units WHERE name = '丙单位'"), 1);
  assert_int_equal(raw_int(&t, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'audit_count'"), audit0 + 2000);
  /* The unit sums hold the first batch: 667 leads for 甲 (rows 0, 3, … 1998). */
  assert_int_equal(raw_int(&t, "SELECT t.reported FROM unit_totals t JOIN units u ON u.id = t.unit_id"
                               " WHERE u.name = '甲单位' AND t.metric = 'leads_count'"),
                   667);
  checks_clean(t.db);

  /* The same file again finishes it: the first 2000 rows unchanged, the rest created. */
  o.progress = NULL;
  assert_int_equal(importer_run(t.db, &admin, &o, &res, &e), HZ_OK);
  assert_string_equal(json_string_value(json_object_get(res, "state")), "committed");
  assert_int_equal(json_integer_value(json_object_get(res, "unchanged")), 2000);
  assert_int_equal(json_integer_value(json_object_get(res, "created")), ROWS - 2000);
  json_decref(res);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM projects"), ROWS);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM audit_log"), audit0 + ROWS);
  assert_int_equal(raw_int(&t, "SELECT t.reported FROM unit_totals t JOIN units u ON u.id = t.unit_id"
                               " WHERE u.name = '甲单位' AND t.metric = 'leads_count'"),
                   1500);
  assert_int_equal(raw_int(&t, "SELECT t.reported FROM unit_totals t JOIN units u ON u.id = t.unit_id"
                               " WHERE u.name = '丙单位' AND t.metric = 'leads_count'"),
                   1500);
  checks_clean(t.db);
  temp_db_close(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(interrupted_then_finished),
  };
  return cmocka_run_group_tests(tests, temp_db_setup, NULL);
}
