#include "store/import_store.h"
#include "util/timeutil.h"
#include <stdlib.h>
#include <string.h>

/* Steps st and takes the first column of its first row as the id (0 when no row). */
static int one_id(Db *db, DbStmt *st, int64_t *id, HzErr *e) {
  *id = 0;
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  if (r == DB_ROW) *id = db_col_int(st, 0);
  db_reset(st);
  return HZ_OK;
}

static int by_text(Db *db, const char *sql, const char *text, int64_t *id, HzErr *e) {
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e->rc;
  db_bind_text(st, 1, text);
  return one_id(db, st, id, e);
}

int import_store_unit(Db *db, const char *name, int64_t *id, HzErr *e) {
  return by_text(db, "SELECT id FROM units WHERE name = ?", name, id, e);
}
int import_store_user(Db *db, const char *login, int64_t *id, HzErr *e) {
  return by_text(db, "SELECT id FROM users WHERE login = ?", login, id, e);
}
int import_store_campaign(Db *db, const char *name, int64_t *id, HzErr *e) {
  return by_text(db, "SELECT id FROM campaigns WHERE name = ? ORDER BY id DESC LIMIT 1", name, id, e);
}
int import_store_investor(Db *db, const char *name, int64_t *id, HzErr *e) {
  return by_text(db, "SELECT id FROM investors WHERE name = ? ORDER BY id LIMIT 1", name, id, e);
}
int import_store_event(Db *db, const char *name, int64_t *id, HzErr *e) {
  return by_text(db, "SELECT id FROM events WHERE name = ? ORDER BY id DESC LIMIT 1", name, id, e);
}

int import_store_only_campaign(Db *db, int64_t *id, HzErr *e) {
  DbStmt *st = db_prepare(db, "SELECT CASE WHEN COUNT(*) = 1 THEN MAX(id) ELSE 0 END FROM campaigns", e);
  if (!st) return e->rc;
  return one_id(db, st, id, e);
}

int import_store_section(Db *db, int64_t unit_id, const char *name, int64_t *id, HzErr *e) {
  DbStmt *st = db_prepare(db, "SELECT id FROM sections WHERE unit_id = ? AND name = ?", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, unit_id);
  db_bind_text(st, 2, name);
  return one_id(db, st, id, e);
}

int import_store_project(Db *db, int64_t campaign_id, int64_t lead_unit_id, const char *name, int64_t *id, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT id FROM projects WHERE lead_unit_id = ? AND name = ?"
                          " AND (CAST(? AS BIGINT) = 0 OR campaign_id = ?) ORDER BY id DESC LIMIT 1",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, lead_unit_id);
  db_bind_text(st, 2, name);
  db_bind_int(st, 3, campaign_id);
  db_bind_int(st, 4, campaign_id);
  return one_id(db, st, id, e);
}

int import_store_target(Db *db, int64_t campaign_id, const char *scope, int64_t unit_id, const char *metric,
                        int64_t section_id, int64_t user_id, int64_t *id, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT id FROM targets WHERE campaign_id = ? AND scope = ? AND unit_id = ? AND metric = ? "
                          "AND COALESCE(section_id, 0) = ? AND COALESCE(user_id, 0) = ?",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_text(st, 2, scope);
  db_bind_int(st, 3, unit_id);
  db_bind_text(st, 4, metric);
  db_bind_int(st, 5, section_id);
  db_bind_int(st, 6, user_id);
  return one_id(db, st, id, e);
}

int import_store_follow_up(Db *db, int64_t project_id, const char *date, const char *kind, const char *summary,
                           int64_t nth, int64_t *id, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT id FROM follow_ups WHERE project_id = ? AND date = ? AND kind = ? AND summary = ? "
                          "ORDER BY id LIMIT 1 OFFSET ?",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, project_id);
  db_bind_text(st, 2, date);
  db_bind_text(st, 3, kind);
  db_bind_text(st, 4, summary);
  db_bind_int(st, 5, nth);
  return one_id(db, st, id, e);
}

int import_store_fund(Db *db, int64_t project_id, const char *date, int64_t amount, const char *voucher_no,
                      int64_t nth, int64_t *id, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT id FROM funds WHERE project_id = ? AND date = ? AND amount = ? "
                          "AND COALESCE(voucher_no, '') = COALESCE(?, '') ORDER BY id LIMIT 1 OFFSET ?",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, project_id);
  db_bind_text(st, 2, date);
  db_bind_int(st, 3, amount);
  db_bind_text(st, 4, voucher_no);
  db_bind_int(st, 5, nth);
  return one_id(db, st, id, e);
}

int import_store_job_insert(Db *db, int64_t created_by, const char *kind, const char *filename, int dry_run,
                            int64_t bytes_total, int64_t *id, HzErr *e) {
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  DbStmt *st = db_prepare(db,
                          "INSERT INTO import_jobs (created_at, created_by, kind, filename, dry_run, bytes_total) "
                          "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                          e);
  if (!st) return e->rc;
  db_bind_text(st, 1, now);
  db_bind_int(st, 2, created_by);
  db_bind_text(st, 3, kind);
  db_bind_text(st, 4, filename);
  db_bind_int(st, 5, dry_run);
  db_bind_int(st, 6, bytes_total);
  return db_run_returning(db, st, id, e);
}

int import_store_job_finish(Db *db, int64_t id, const char *state, int64_t rows_done, const char *result,
                            const void *xlsx, size_t xlsx_len, HzErr *e) {
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  DbStmt *st = db_prepare(db,
                          "UPDATE import_jobs SET finished_at = ?, state = ?, rows_done = ?, result = ?, errors_xlsx = ? "
                          "WHERE id = ?",
                          e);
  if (!st) return e->rc;
  db_bind_text(st, 1, now);
  db_bind_text(st, 2, state);
  db_bind_int(st, 3, rows_done);
  db_bind_text(st, 4, result);
  if (xlsx) db_bind_blob(st, 5, xlsx, xlsx_len);
  else db_bind_null(st, 5);
  db_bind_int(st, 6, id);
  return db_run(db, st, e);
}

int import_store_job_get(Db *db, int64_t id, json_t **out, HzErr *e) {
  *out = NULL;
  DbStmt *st = db_prepare(db,
                          "SELECT id, created_at, finished_at, created_by, kind, filename, dry_run, state, rows_done, "
                          "bytes_total, result, CASE WHEN errors_xlsx IS NULL THEN 0 ELSE 1 END"
                          " FROM import_jobs WHERE id = ?",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, id);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  if (r == DB_DONE) return hz_fail(e, HZ_ENOTFOUND, NULL, "没有这个导入任务");
  json_t *j = json_object();
  json_object_set_new(j, "id", json_integer(db_col_int(st, 0)));
  json_object_set_new(j, "created_at", json_string(db_col_text(st, 1)));
  json_object_set_new(j, "finished_at", db_col_text(st, 2) ? json_string(db_col_text(st, 2)) : json_null());
  json_object_set_new(j, "created_by", json_integer(db_col_int(st, 3)));
  json_object_set_new(j, "kind", json_string(db_col_text(st, 4)));
  json_object_set_new(j, "filename", db_col_text(st, 5) ? json_string(db_col_text(st, 5)) : json_null());
  json_object_set_new(j, "dry_run", json_boolean(db_col_int(st, 6)));
  json_object_set_new(j, "state", json_string(db_col_text(st, 7)));
  json_object_set_new(j, "rows_done", json_integer(db_col_int(st, 8)));
  json_object_set_new(j, "bytes_total", json_integer(db_col_int(st, 9)));
  json_t *res = db_col_text(st, 10) ? json_loads(db_col_text(st, 10), 0, NULL) : NULL;
  json_object_set_new(j, "result", res ? res : json_null());
  json_object_set_new(j, "has_errors_xlsx", json_boolean(db_col_int(st, 11)));
  db_reset(st);
  *out = j;
  return HZ_OK;
}

int import_store_job_xlsx(Db *db, int64_t id, void **data, size_t *n, HzErr *e) {
  *data = NULL;
  *n = 0;
  DbStmt *st = db_prepare(db, "SELECT errors_xlsx FROM import_jobs WHERE id = ? AND errors_xlsx IS NOT NULL", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, id);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  if (r == DB_DONE) return HZ_OK;
  const void *p = db_col_blob(st, 0, n);
  *data = malloc(*n ? *n : 1);
  if (*data && *n) memcpy(*data, p, *n);
  db_reset(st);
  return *data ? HZ_OK : hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
}
