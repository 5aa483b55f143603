/* The write path as an importer drives it (domain/record.h record_write): rows written
 * inside the caller's own transaction, all kept or all rolled back, one audit entry per
 * row kept; the checks it makes on the way (version, no-op updates, every bad field
 * named). Every count is read back with raw SQL on a second connection, not through
 * the code under test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "db/db.h"
#include "domain/record.h"
#include "util/log.h"
#include "temp_db.h"

/* One integer from raw SQL on a connection of its own: it sees committed data only. */
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

static const Actor office = {.id = 0, .role = ROLE_OFFICE, .login = "office", .name = "会战办公室"};

static json_t *unit_body(const char *name, const char *category) {
  return json_pack("{s:s s:s}", "name", name, "category", category);
}

/* Writes the rows as one import: db_begin, record_write per row until one fails, then
 * commit (all good, commit=1) or roll back. Returns the rc of the first failing row. */
static int import_units(TempDb *t, json_t *rows, int commit, HzErr *e) {
  assert_int_equal(db_begin(t->db, e), HZ_OK);
  int rc = HZ_OK;
  size_t i;
  json_t *row;
  json_array_foreach(rows, i, row) {
    json_t *out = NULL;
    rc = record_write(t->db, &office, resource_find("units"), OP_CREATE, 0, 0, row, &out, e);
    if (!rc) {
      assert_non_null(out);
      assert_true(json_integer_value(json_object_get(out, "id")) > 0);
      assert_int_equal(json_integer_value(json_object_get(out, "version")), 1);
    } else {
      assert_null(out);
    }
    json_decref(out);
    if (rc) break;
  }
  if (!rc && commit) assert_int_equal(db_commit(t->db, e), HZ_OK);
  else db_rollback(t->db);
  return rc;
}

static void test_bad_third_row_rolls_back_everything(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "write");
  long long audit0 = raw_int(&t, "SELECT COUNT(*) FROM audit_log");
  long long rev0 = raw_int(&t, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'revision'");
  json_t *rows = json_pack("[o o o]", unit_body("商务局", "services"), unit_body("工信局", "industry"),
                           unit_body("农业局", "farming"));
  HzErr e = {0};
  assert_int_equal(import_units(&t, rows, 1, &e), HZ_EINVAL);
  assert_non_null(json_object_get(e.fields, "category"));
  assert_int_equal(json_object_size(e.fields), 1);
  /* The allowed values are named with their labels. */
  assert_non_null(strstr(e.message, "类别"));
  assert_non_null(strstr(e.message, "工业(industry)"));
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM units"), 0);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM audit_log"), audit0);
  assert_int_equal(raw_int(&t, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'revision'"), rev0);
  hz_err_clear(&e);
  json_decref(rows);
  temp_db_close(&t);
}

static void test_good_batch_commits_one_audit_entry_per_row(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "write");
  long long audit0 = raw_int(&t, "SELECT COUNT(*) FROM audit_log");
  json_t *rows = json_pack("[o o o]", unit_body("商务局", "services"), unit_body("工信局", "industry"),
                           unit_body("农业农村局", "agriculture"));
  HzErr e = {0};
  assert_int_equal(import_units(&t, rows, 1, &e), HZ_OK);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM units"), 3);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM audit_log"), audit0 + 3);
  /* Exactly one 'create' entry for each unit, none for anything else. */
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM audit_log a JOIN units u ON u.id = a.entity_id"
                               " WHERE a.entity = 'units' AND a.action = 'create'"),
                   3);
  assert_int_equal(raw_int(&t, "SELECT COUNT(DISTINCT entity_id) FROM audit_log WHERE entity = 'units'"), 3);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM units WHERE name = '农业农村局' AND category = 'agriculture'"), 1);
  json_decref(rows);
  temp_db_close(&t);
}

static void test_dry_run_leaves_nothing(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "write");
  long long audit0 = raw_int(&t, "SELECT COUNT(*) FROM audit_log");
  json_t *rows = json_pack("[o o]", unit_body("商务局", "services"), unit_body("工信局", "industry"));
  HzErr e = {0};
  assert_int_equal(import_units(&t, rows, 0, &e), HZ_OK);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM units"), 0);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM audit_log"), audit0);
  json_decref(rows);
  temp_db_close(&t);
}

/* The entry never commits on its own: until the caller commits, another connection sees nothing. */
static void test_entry_opens_no_transaction(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "write");
  HzErr e = {0};
  json_t *body = unit_body("商务局", "services"), *out = NULL;
  assert_int_equal(db_begin(t.db, &e), HZ_OK);
  assert_int_equal(record_write(t.db, &office, resource_find("units"), OP_CREATE, 0, 0, body, &out, &e), HZ_OK);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM units"), 0);
  assert_int_equal(db_commit(t.db, &e), HZ_OK);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM units"), 1);
  json_decref(out);
  json_decref(body);
  temp_db_close(&t);
}

/* One unit written through the wrappers; returns its id. */
static int64_t make_unit(TempDb *t, const char *name) {
  HzErr e = {0};
  json_t *body = unit_body(name, "services"), *out = NULL;
  if (record_create(t->db, &office, resource_find("units"), 0, body, &out, &e)) fail_msg("%s", e.message);
  int64_t id = json_integer_value(json_object_get(out, "id"));
  json_decref(out);
  json_decref(body);
  return id;
}

static void test_update_that_changes_nothing(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "write");
  int64_t id = make_unit(&t, "商务局");
  long long audit0 = raw_int(&t, "SELECT COUNT(*) FROM audit_log");
  HzErr e = {0};
  const Resource *units = resource_find("units");
  json_t *out = NULL;
  /* Only the version, then the same values: the stored record comes back, version 1. */
  json_t *bodies[] = {json_pack("{s:i}", "version", 1), json_pack("{s:i s:s s:s}", "version", 1, "name", "商务局",
                                                                  "category", "services")};
  for (int i = 0; i < 2; i++) {
    assert_int_equal(record_update(t.db, &office, units, id, bodies[i], &out, &e), HZ_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "version")), 1);
    assert_string_equal(json_string_value(json_object_get(out, "name")), "商务局");
    json_decref(out);
    json_decref(bodies[i]);
  }
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT version FROM units WHERE id = %lld", (long long)id);
  assert_int_equal(raw_int(&t, sql), 1);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM audit_log"), audit0);
  /* A real change still writes: version 2, one more entry. */
  json_t *change = json_pack("{s:i s:s}", "version", 1, "phone", "0571-1234");
  assert_int_equal(record_update(t.db, &office, units, id, change, &out, &e), HZ_OK);
  json_decref(out);
  json_decref(change);
  assert_int_equal(raw_int(&t, sql), 2);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM audit_log"), audit0 + 1);
  temp_db_close(&t);
}

static void test_delete_needs_the_version_read(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "write");
  int64_t id = make_unit(&t, "商务局");
  const Resource *units = resource_find("units");
  HzErr e = {0};
  assert_int_equal(record_delete(t.db, &office, units, id, 0, &e), HZ_EPRECOND);
  assert_non_null(json_object_get(e.fields, "version"));
  hz_err_clear(&e);
  assert_int_equal(record_delete(t.db, &office, units, id, 2, &e), HZ_ECONFLICT);
  assert_non_null(json_object_get(e.fields, "version"));
  hz_err_clear(&e);
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM units WHERE id = %lld", (long long)id);
  assert_int_equal(raw_int(&t, sql), 1);
  assert_int_equal(record_delete(t.db, &office, units, id, 1, &e), HZ_OK);
  assert_int_equal(raw_int(&t, sql), 0);
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM audit_log WHERE entity = 'units' AND entity_id = %lld AND action = 'delete'",
           (long long)id);
  assert_int_equal(raw_int(&t, sql), 1);
  temp_db_close(&t);
}

/* Several bad fields: each is named, and the message names each with its label. */
static void test_every_bad_field_named(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "write");
  HzErr e = {0};
  json_t *body = json_pack("{s:i s:s s:s}", "name", 5, "category", "bank", "colour", "red"), *out = NULL;
  assert_int_equal(db_begin(t.db, &e), HZ_OK);
  assert_int_equal(record_write(t.db, &office, resource_find("units"), OP_CREATE, 0, 0, body, &out, &e), HZ_EINVAL);
  db_rollback(t.db);
  assert_null(out);
  assert_int_equal(json_object_size(e.fields), 3);
  assert_non_null(json_object_get(e.fields, "name"));
  assert_non_null(json_object_get(e.fields, "category"));
  assert_non_null(json_object_get(e.fields, "colour"));
  assert_non_null(strstr(e.message, "3 处"));
  assert_non_null(strstr(e.message, "名称（name）"));
  assert_non_null(strstr(e.message, "类别（category）"));
  assert_non_null(strstr(e.message, "colour"));
  hz_err_clear(&e);
  json_decref(body);
  temp_db_close(&t);
}

/* Imports and exports read labels from the resource tables, both ways. */
static void test_choices_lookup(void **state) {
  (void)state;
  const Choice *kinds = resource_choices("funds", "kind");
  assert_non_null(kinds);
  assert_string_equal(choice_label(kinds, "foreign"), "境外资金");
  assert_string_equal(choice_label(kinds, "nope"), "nope");
  assert_string_equal(choice_find_label(kinds, "上级政策资金")->code, "policy");
  assert_null(choice_find_label(kinds, "外资"));
  const Choice *to = resource_choices("stage-changes", "to_stage");
  assert_string_equal(to[0].code, "negotiating");
  assert_null(choice_find(to, "lead")); /* no move goes back to lead */
  assert_string_equal(choice_label(resource_choices("projects", "stage"), "signed"), "签约");
  assert_null(resource_choices("funds", "amount"));
  assert_null(resource_choices("nothing", "kind"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_bad_third_row_rolls_back_everything),
    cmocka_unit_test(test_good_batch_commits_one_audit_entry_per_row),
    cmocka_unit_test(test_dry_run_leaves_nothing),
    cmocka_unit_test(test_entry_opens_no_transaction),
    cmocka_unit_test(test_update_that_changes_nothing),
    cmocka_unit_test(test_delete_needs_the_version_read),
    cmocka_unit_test(test_every_bad_field_named),
    cmocka_unit_test(test_choices_lookup),
  };
  return cmocka_run_group_tests(tests, temp_db_setup, NULL);
}
