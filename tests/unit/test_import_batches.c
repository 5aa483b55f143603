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

static void create(Db *db, const char *collection, json_t *body) { temp_db_create(db, &admin, collection, 0, body); }

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

static void city(TempDb *t) {
  create(t->db, "campaigns", json_pack("{s:s s:s s:s}", "name", "2026年百日会战", "start_date", "2026-09-01", "end_date",
                                       "2026-12-09"));
  for (int i = 0; i < 3; i++) create(t->db, "units", json_pack("{s:s s:s}", "name", unit_names[i], "category", "services"));
}

static void interrupted_then_finished(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "impbatch");
  city(&t);
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

  /* The connection checkpoints its WAL as often as before the import (db_long_writes). */
  int64_t every = 0;
  assert_int_equal(db_query_int(t.db, "PRAGMA wal_autocheckpoint", &every, &e), HZ_OK);
  assert_int_equal(every, 1000);

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
  /* Whatever the batches were (after the first they are sized by time), the unit sums are
   * the raw records' sums: per unit, the count of its projects and the sum of their
   * planned investment (all still leads), and the file's own sum, 1000 + i over the rows. */
  static const char mismatched[] =
      "SELECT COUNT(*) FROM (SELECT lead_unit_id, COUNT(*) AS n, SUM(planned_investment) AS v FROM projects"
      " GROUP BY lead_unit_id) p"
      " LEFT JOIN unit_totals c ON c.unit_id = p.lead_unit_id AND c.metric = 'leads_count'"
      " LEFT JOIN unit_totals s ON s.unit_id = p.lead_unit_id AND s.metric = 'pipeline_value_lead'"
      " WHERE c.reported IS NOT p.n OR s.reported IS NOT p.v";
  assert_int_equal(raw_int(&t, mismatched), 0);
  assert_int_equal(raw_int(&t, "SELECT SUM(reported) FROM unit_totals WHERE metric = 'pipeline_value_lead'"),
                   1000LL * ROWS + (long long)ROWS * (ROWS - 1) / 2);
  /* one audit entry per project, each holding the project as stored */
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM projects p JOIN audit_log a ON a.entity = 'projects'"
                               " AND a.entity_id = p.id AND a.action = 'create'"
                               " AND json_extract(a.after, '$.planned_investment') = p.planned_investment"
                               " AND json_extract(a.after, '$.name') = p.name"),
                   ROWS);
  checks_clean(t.db);
  temp_db_close(&t);
}

/* A bad enumeration deep in a file of several batches (the check in C, which the rows now
 * rely on before the database's cheaper CHECK): the file is rejected naming the row, the
 * column, the value and the choices, and nothing of it is stored or audited, not even the
 * check's first batch (written for real in case the file had ended within it). */
static void bad_enumeration_rejects_the_file(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "impenum");
  city(&t);
  char csv[160];
  snprintf(csv, sizeof csv, "%s/projects.csv", t.dir);
  FILE *f = fopen(csv, "w");
  assert_non_null(f);
  fprintf(f, "项目名称,牵头单位,项目类别,招商方式,计划投资,信息登记日期\r\n");
  for (int i = 0; i < ROWS; i++)
    fprintf(f, "枚举项目%05d,%s,%s,%s,%d,2026-09-%02d\r\n", i, unit_names[i % 3], i == 3500 ? "工厂项目" : "工业项目",
            i == 4000 ? "industry" : "以商招商", 1000 + i, 1 + i % 28);
  fclose(f);
  long long audit0 = raw_int(&t, "SELECT COUNT(*) FROM audit_log");
  long long revision0 = raw_int(&t, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'revision'");
  ImportOpts o = {.kind = "projects", .filename = "projects.csv", .path = csv};
  json_t *res = NULL;
  HzErr e = {0};
  assert_int_equal(importer_run(t.db, &admin, &o, &res, &e), HZ_OK);
  assert_string_equal(json_string_value(json_object_get(res, "state")), "rejected");
  /* one bad cell: the English code "industry" is a choice too */
  assert_int_equal(json_integer_value(json_object_get(res, "errors_total")), 1);
  json_t *err = json_array_get(json_object_get(res, "errors"), 0);
  assert_int_equal(json_integer_value(json_object_get(err, "row")), 3502); /* header line 1, row index 3500 */
  assert_string_equal(json_string_value(json_object_get(err, "column")), "项目类别");
  assert_string_equal(json_string_value(json_object_get(err, "ref")), "C3502");
  assert_string_equal(json_string_value(json_object_get(err, "field")), "category");
  assert_string_equal(json_string_value(json_object_get(err, "value")), "工厂项目");
  assert_non_null(strstr(json_string_value(json_object_get(err, "message")), "可选：工业项目"));
  json_decref(res);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM projects"), 0);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM audit_log"), audit0);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM unit_totals"), 0);
  assert_int_equal(raw_int(&t, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'revision'"), revision0);
  checks_clean(t.db);
  temp_db_close(&t);
}

/* Runs sql (no parameters) on the engine's connection: its rc, and the field it names. */
static int raw_write(Db *db, const char *sql, char *field, size_t n) {
  HzErr e = {0};
  DbStmt *st = db_prepare(db, sql, &e);
  if (!st) fail_msg("%s: %s", sql, e.message);
  int rc = db_run(db, st, &e);
  const char *k = e.fields ? json_object_iter_key(json_object_iter(e.fields)) : NULL;
  snprintf(field, n, "%s", k ? k : "");
  hz_err_clear(&e);
  return rc;
}

/* Migration 0014 checks the enumerations as named OR chains: the database itself still
 * refuses a value outside them (a write that skipped the C check), naming the column, and
 * takes every listed value. */
static void schema_still_guards_enumerations(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "enumck");
  city(&t);
  static const char *const categories[] = {"industrial", "restructuring", "agri_industrialization", "services",
                                           "policy_funds", "other"};
  char sql[512], field[64];
  for (int i = 0; i < 6; i++) {
    snprintf(sql, sizeof sql,
             "INSERT INTO projects (id, created_at, updated_at, campaign_id, name, lead_unit_id, category, method,"
             " stage, lead_date, last_activity_date) VALUES (%d, 'x', 'x', 1, 'p%d', 1, '%s', 'fair', 'signed',"
             " '2026-09-01', '2026-09-01')",
             100 + i, i, categories[i]);
    assert_int_equal(raw_write(t.db, sql, field, sizeof field), HZ_OK);
  }
  static const struct {
    const char *column, *sql;
  } bad[] = {
    {"category", "INSERT INTO projects (id, created_at, updated_at, campaign_id, name, lead_unit_id, category, method,"
                 " lead_date, last_activity_date) VALUES (9, 'x', 'x', 1, 'q', 1, 'industria', 'fair', '2026-09-01',"
                 " '2026-09-01')"},
    {"method", "UPDATE projects SET method = 'fairs' WHERE id = 100"},
    {"stage", "UPDATE projects SET stage = 'Signed' WHERE id = 100"},
    {"to_stage", "INSERT INTO stage_changes (created_at, updated_at, project_id, campaign_id, unit_id, from_stage,"
                 " to_stage, date) VALUES ('x', 'x', 100, 1, 1, 'lead', 'lead', '2026-09-02')"},
    {"kind", "INSERT INTO follow_ups (created_at, updated_at, project_id, campaign_id, unit_id, date, kind, summary)"
             " VALUES ('x', 'x', 100, 1, 1, '2026-09-02', 'visit', 's')"},
    {"kind", "INSERT INTO funds (created_at, updated_at, project_id, campaign_id, unit_id, amount, date, kind)"
             " VALUES ('x', 'x', 100, 1, 1, 5, '2026-09-02', 'domestic')"},
    {"status", "INSERT INTO funds (created_at, updated_at, project_id, campaign_id, unit_id, amount, date, kind,"
               " status) VALUES ('x', 'x', 100, 1, 1, 5, '2026-09-02', 'policy', 'approved')"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(raw_write(t.db, bad[i].sql, field, sizeof field), HZ_EINVAL);
    assert_string_equal(field, bad[i].column);
  }
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM projects"), 6);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM stage_changes") + raw_int(&t, "SELECT COUNT(*) FROM funds") +
                       raw_int(&t, "SELECT COUNT(*) FROM follow_ups"),
                   0);
  temp_db_close(&t);
}

/* SQLite answers INSERT … RETURNING id with the rowid it inserted (no RETURNING run): the
 * id of the row, as read back; none when ON CONFLICT DO NOTHING inserted nothing. */
static void insert_returning_id(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "lastid");
  city(&t);
  HzErr e = {0};
  int64_t id = -1;
  static const char *const sql = "INSERT INTO sections (created_at, updated_at, unit_id, name) VALUES ('x', 'x', ?, ?) RETURNING id";
  for (int i = 0; i < 3; i++) {
    DbStmt *st = db_prepare(t.db, sql, &e);
    assert_non_null(st);
    db_bind_int(st, 1, 1 + i);
    db_bind_text(st, 2, "招商科");
    assert_int_equal(db_run_returning(t.db, st, &id, &e), HZ_OK);
    char q[96];
    snprintf(q, sizeof q, "SELECT id FROM sections WHERE unit_id = %d AND name = '招商科'", 1 + i);
    assert_int_equal(id, raw_int(&t, q));
  }
  assert_int_equal(id, raw_int(&t, "SELECT MAX(id) FROM sections"));
  DbStmt *st = db_prepare(t.db, "INSERT INTO sections (created_at, updated_at, unit_id, name) VALUES ('x', 'x', 1, '招商科')"
                                    " ON CONFLICT DO NOTHING RETURNING id", &e);
  assert_non_null(st);
  assert_int_equal(db_run_returning(t.db, st, &id, &e), HZ_OK);
  assert_int_equal(id, 0);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM sections"), 3);
  temp_db_close(&t);
}

static void batch_write(Db *db, int op, const char *collection, int64_t id, int64_t parent, json_t *body) {
  HzErr e = {0};
  json_t *out = NULL;
  if (record_write(db, &admin, resource_find(collection), op, id, parent, body, &out, &e))
    fail_msg("%s: %s", collection, e.message);
  json_decref(out);
  json_decref(body);
}

/* One create through record_write inside a transaction that is rolled back: its rc, and
 * the field it names. check_only: in a check-only batch, as the import's check pass. */
static int try_create(Db *db, int check_only, const char *collection, int64_t parent, const char *body_json,
                      char *field, size_t n) {
  HzErr e = {0};
  json_t *body = json_loads(body_json, 0, NULL), *out = NULL;
  if (!body) fail_msg("bad JSON in the test: %s", body_json);
  assert_int_equal(db_begin(db, &e), HZ_OK);
  if (check_only) assert_int_equal(record_batch_begin(db, 1, &e), HZ_OK);
  int rc = record_write(db, &admin, resource_find(collection), OP_CREATE, 0, parent, body, &out, &e);
  if (check_only) {
    assert_null(out); /* nothing stored, nothing read back */
    record_batch_abort(db);
  }
  db_rollback(db);
  const char *k = e.fields ? json_object_iter_key(json_object_iter(e.fields)) : NULL;
  snprintf(field, n, "%s", k ? k : "");
  hz_err_clear(&e);
  json_decref(body);
  json_decref(out);
  return rc;
}

/* The check pass does not insert a new record (record.h, check_only): every create the
 * write path refuses, the check refuses too, with the same answer, for each kind an
 * import creates, one row per rule or constraint of its table; and a good row passes
 * both. The bad rows are those the schema itself would refuse (its CHECKs, NOT NULLs,
 * foreign keys) and the rules of the prepare hooks. */
static void check_refuses_what_a_create_refuses(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "impcheck");
  city(&t);
  create(t.db, "projects", json_pack("{s:I s:s s:I s:s s:s s:I s:s}", "campaign_id", (json_int_t)1, "name", "已签约项目",
                                     "lead_unit_id", (json_int_t)1, "category", "industrial", "method", "joint",
                                     "planned_investment", (json_int_t)500, "lead_date", "2026-09-02"));
  static const struct {
    const char *collection;
    int64_t parent;
    const char *body;
    int good;
  } rows[] = {
    {"projects", 0, "{\"campaign_id\":1,\"name\":\"好项目\",\"lead_unit_id\":2,\"category\":\"services\",\"method\":\"fair\"}", 1},
    {"projects", 0, "{\"campaign_id\":1,\"name\":\"坏类别\",\"lead_unit_id\":2,\"category\":\"factory\",\"method\":\"fair\"}", 0},
    {"projects", 0, "{\"campaign_id\":1,\"name\":\"负投资\",\"lead_unit_id\":2,\"category\":\"services\",\"method\":\"fair\",\"planned_investment\":-1}", 0},
    {"projects", 0, "{\"campaign_id\":1,\"lead_unit_id\":2,\"category\":\"services\",\"method\":\"fair\"}", 0},
    {"projects", 0, "{\"campaign_id\":1,\"name\":\"无单位\",\"lead_unit_id\":99,\"category\":\"services\",\"method\":\"fair\"}", 0},
    {"projects", 0, "{\"campaign_id\":9,\"name\":\"无会战\",\"lead_unit_id\":2,\"category\":\"services\",\"method\":\"fair\"}", 0},
    {"projects", 0, "{\"campaign_id\":1,\"name\":\"未来\",\"lead_unit_id\":2,\"category\":\"services\",\"method\":\"fair\",\"lead_date\":\"2099-01-01\"}", 0},
    {"projects", 0, "{\"campaign_id\":1,\"name\":\"参与自己\",\"lead_unit_id\":2,\"category\":\"services\",\"method\":\"joint\",\"co_unit_ids\":[3,99]}", 0},
    {"units", 0, "{\"name\":\"丁单位\",\"category\":\"services\"}", 1},
    {"units", 0, "{\"name\":\"戊单位\",\"category\":\"factory\"}", 0},
    {"units", 0, "{\"category\":\"services\"}", 0},
    {"users", 0, "{\"login\":\"ding\",\"name\":\"丁\",\"role\":\"unit_staff\",\"unit_id\":1,\"password\":\"Huizhan-2026!\"}", 1},
    {"users", 0, "{\"login\":\"wu\",\"name\":\"无单位\",\"role\":\"unit_staff\",\"password\":\"Huizhan-2026!\"}", 0},
    {"users", 0, "{\"login\":\"ban\",\"name\":\"办公室\",\"role\":\"office\",\"unit_id\":1,\"password\":\"Huizhan-2026!\"}", 0},
    {"users", 0, "{\"login\":\"nopw\",\"name\":\"无密码\",\"role\":\"office\"}", 0},
    {"users", 0, "{\"login\":\"king\",\"name\":\"国王\",\"role\":\"king\",\"password\":\"Huizhan-2026!\"}", 0},
    {"targets", 1, "{\"unit_id\":1,\"metric\":\"signed_count\",\"value\":5}", 1},
    {"targets", 1, "{\"unit_id\":1,\"metric\":\"signed_count\",\"value\":-5}", 0},
    {"targets", 1, "{\"unit_id\":1,\"metric\":\"happiness\",\"value\":5}", 0},
    {"targets", 1, "{\"unit_id\":42,\"metric\":\"signed_count\",\"value\":5}", 0},
    {"follow-ups", 1, "{\"date\":\"2026-09-05\",\"kind\":\"call\",\"summary\":\"电话沟通\"}", 1},
    {"follow-ups", 1, "{\"date\":\"2026-09-05\",\"kind\":\"dance\",\"summary\":\"跳舞\"}", 0},
    {"follow-ups", 1, "{\"date\":\"2026-09-05\",\"kind\":\"call\"}", 0},
    {"follow-ups", 1, "{\"date\":\"2026-09-05\",\"kind\":\"call\",\"summary\":\"倒序\",\"next_date\":\"2026-09-01\"}", 0},
    {"funds", 1, "{\"amount\":1000,\"date\":\"2026-09-05\",\"kind\":\"policy\"}", 1},
    {"funds", 1, "{\"amount\":0,\"date\":\"2026-09-05\",\"kind\":\"policy\"}", 0},
    {"funds", 1, "{\"amount\":1000,\"date\":\"2026-09-05\",\"kind\":\"gift\"}", 0},
    {"funds", 1, "{\"amount\":1000,\"date\":\"2026-09-05\",\"kind\":\"out_of_city\"}", 0}, /* not signed yet */
    {"funds", 1, "{\"amount\":1000,\"date\":\"2026-08-01\",\"kind\":\"policy\"}", 0},      /* before the lead */
  };
  long long projects0 = raw_int(&t, "SELECT COUNT(*) FROM projects");
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    char written[64], checked[64];
    int w = try_create(t.db, 0, rows[i].collection, rows[i].parent, rows[i].body, written, sizeof written);
    int c = try_create(t.db, 1, rows[i].collection, rows[i].parent, rows[i].body, checked, sizeof checked);
    if (rows[i].good ? w != HZ_OK : w == HZ_OK) fail_msg("row %zu (%s): the write answered %d", i, rows[i].body, w);
    if (c != w || strcmp(checked, written))
      fail_msg("row %zu (%s): the check answered %d (%s), the write %d (%s)", i, rows[i].body, c, checked, w, written);
  }
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM projects"), projects0);
  temp_db_close(&t);
}

/* figures_batch_refresh reads the batch's projects as id ranges (a run of ids close
 * together, then a gap of more than 16: another range), passing over the projects in
 * between: the figures, sums and last activity dates it leaves are those `huizhan check`
 * recomputes from the records, and two of them worked by hand. */
static void batch_refresh_reads_ranges(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "imprange");
  city(&t);
  for (int i = 1; i <= 60; i++) {
    char name[32];
    snprintf(name, sizeof name, "范围项目%02d", i);
    create(t.db, "projects", json_pack("{s:I s:s s:I s:s s:s s:I s:s}", "campaign_id", (json_int_t)1, "name", name,
                                       "lead_unit_id", (json_int_t)(1 + i % 3), "category", "industrial", "method",
                                       "joint", "planned_investment", (json_int_t)(100 * i), "lead_date", "2026-09-02"));
  }
  HzErr e = {0};
  assert_int_equal(db_begin(t.db, &e), HZ_OK);
  assert_int_equal(record_batch_begin(t.db, 0, &e), HZ_OK);
  static const int64_t touched[] = {2, 3, 5, 31, 59}; /* ranges 2..5, 31, 59 */
  for (size_t i = 0; i < sizeof touched / sizeof *touched; i++)
    batch_write(t.db, OP_CREATE, "follow-ups", 0, touched[i],
                json_pack("{s:s s:s s:s}", "date", "2026-09-20", "kind", "call", "summary", "电话沟通"));
  /* a repeat, an update (its pipeline value) and a project in a range of its own */
  batch_write(t.db, OP_CREATE, "follow-ups", 0, 3, json_pack("{s:s s:s s:s}", "date", "2026-09-25", "kind", "meeting",
                                                              "summary", "会谈"));
  batch_write(t.db, OP_UPDATE, "projects", 4, 0, json_pack("{s:I s:I}", "version", (json_int_t)1,
                                                             "planned_investment", (json_int_t)7777));
  assert_int_equal(record_batch_end(t.db, &e), HZ_OK);
  assert_int_equal(db_commit(t.db, &e), HZ_OK);
  checks_clean(t.db);
  assert_int_equal(raw_int(&t, "SELECT last_activity_date = '2026-09-25' FROM projects WHERE id = 3"), 1);
  assert_int_equal(raw_int(&t, "SELECT last_activity_date = '2026-09-20' FROM projects WHERE id = 31"), 1);
  assert_int_equal(raw_int(&t, "SELECT last_activity_date = '2026-09-02' FROM projects WHERE id = 30"), 1);
  /* unit 2 leads projects 1, 4, 7, … 58 (i % 3 == 1): 100 × (1 + 4 + … + 58) − 400 + 7777 */
  long long want = 0;
  for (int i = 1; i <= 60; i++)
    if (1 + i % 3 == 2) want += i == 4 ? 7777 : 100 * i;
  assert_int_equal(raw_int(&t, "SELECT reported FROM unit_totals WHERE unit_id = 2 AND metric = 'pipeline_value_lead'"),
                   want);
  temp_db_close(&t);
}

/* Headers as a clerk types them with an English input method, ASCII brackets and a
 * trailing ideographic space: 参与单位(联合招商) is 参与单位（联合招商）, 信息提供人(系统外) is
 * source_name (not source_user_id, which 信息提供人 alone would be), 计划投资(元) is 计划投资. */
static void headers_with_ascii_brackets(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "imphead");
  city(&t);
  char csv[160];
  snprintf(csv, sizeof csv, "%s/projects.csv", t.dir);
  FILE *f = fopen(csv, "w");
  assert_non_null(f);
  fprintf(f, "\xef\xbb\xbf项目名称\xe3\x80\x80,牵头单位,参与单位(联合招商),信息提供人(系统外),项目类别,招商方式,"
             "计划投资(元)\r\n"
             "括号项目,甲单位,乙单位、丙单位,张先生,工业项目,以商招商,3000000\r\n");
  fclose(f);
  ImportOpts o = {.kind = "projects", .filename = "projects.csv", .path = csv};
  json_t *res = NULL;
  HzErr e = {0};
  assert_int_equal(importer_run(t.db, &admin, &o, &res, &e), HZ_OK);
  assert_string_equal(json_string_value(json_object_get(res, "state")), "committed");
  assert_int_equal(json_array_size(json_object_get(res, "ignored_columns")), 0);
  /* the report names the column as the file has it */
  json_t *col = json_array_get(json_object_get(res, "columns"), 2);
  assert_string_equal(json_string_value(json_object_get(col, "header")), "参与单位(联合招商)");
  assert_string_equal(json_string_value(json_object_get(col, "field")), "co_unit_ids");
  json_decref(res);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM project_units pu JOIN projects p ON p.id = pu.project_id"
                               " JOIN units u ON u.id = pu.unit_id WHERE p.name = '括号项目'"
                               " AND u.name IN ('乙单位', '丙单位')"),
                   2);
  assert_int_equal(raw_int(&t, "SELECT COUNT(*) FROM projects WHERE name = '括号项目' AND source_name = '张先生'"
                               " AND source_user_id IS NULL AND planned_investment = 3000000"),
                   1);
  /* 万元 is not yuan: that column is left out, named in ignored_columns, not read as yuan */
  f = fopen(csv, "w");
  assert_non_null(f);
  fprintf(f, "项目名称,牵头单位,项目类别,招商方式,计划投资（万元）\n括号项目,甲单位,工业项目,以商招商,300\n");
  fclose(f);
  o.dry_run = 1;
  assert_int_equal(importer_run(t.db, &admin, &o, &res, &e), HZ_OK);
  assert_string_equal(json_string_value(json_array_get(json_object_get(res, "ignored_columns"), 0)), "计划投资（万元）");
  json_decref(res);
  temp_db_close(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(interrupted_then_finished),
    cmocka_unit_test(bad_enumeration_rejects_the_file),
    cmocka_unit_test(schema_still_guards_enumerations),
    cmocka_unit_test(insert_returning_id),
    cmocka_unit_test(batch_refresh_reads_ranges),
    cmocka_unit_test(check_refuses_what_a_create_refuses),
    cmocka_unit_test(headers_with_ascii_brackets),
  };
  return cmocka_run_group_tests(tests, temp_db_setup, NULL);
}
