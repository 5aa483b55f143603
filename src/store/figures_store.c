#include "store/figures_store.h"
#include "util/buf.h"
#include <stdio.h>
#include <string.h>

/* Rows of sql (bound to id) as objects with the given keys; columns are typed by the
 * key's first letter being in `ints` (an integer column) or not (text). */
static int rows(Db *db, const char *sql, int64_t id, const char *const *keys, const char *ints, json_t **out,
                HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e->rc;
  db_bind_int(st, 1, id);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW) {
    json_t *o = json_object();
    for (int c = 0; keys[c]; c++) {
      json_t *v;
      if (db_col_is_null(st, c)) v = json_null();
      else if (ints[c] == 'i') v = json_integer(db_col_int(st, c));
      else if (ints[c] == 'b') v = json_boolean(db_col_int(st, c));
      else v = json_string(db_col_text(st, c));
      json_object_set_new(o, keys[c], v);
    }
    json_array_append_new(*out, o);
  }
  return r < 0 ? -r : HZ_OK;
}

int figures_store_inputs(Db *db, int64_t project_id, json_t **project, json_t **stage_changes, json_t **funds,
                         json_t **follow_ups, HzErr *e) {
  static const char *const pk[] = {"campaign_id", "lead_unit_id", "stage", "lead_date", "planned_investment",
                                   "contract_value", "duplicate_of", NULL};
  static const char *const sk[] = {"from_stage", "to_stage", "date", "contract_date", "contract_value",
                                   "start_date", "completion_date", "status", NULL};
  static const char *const fk[] = {"amount", "date", "kind", "status", NULL};
  static const char *const uk[] = {"date", "kind", "with_leader", NULL};
  json_t *p = NULL;
  *project = *stage_changes = *funds = *follow_ups = NULL;
  int rc = rows(db,
                "SELECT campaign_id, lead_unit_id, stage, lead_date, planned_investment, contract_value, duplicate_of"
                " FROM projects WHERE id = ?",
                project_id, pk, "iisssiii", &p, e);
  if (!rc) rc = rows(db,
                     "SELECT from_stage, to_stage, date, contract_date, contract_value, start_date, completion_date,"
                     " status FROM stage_changes WHERE project_id = ? ORDER BY id",
                     project_id, sk, "ssssisss", stage_changes, e);
  if (!rc) rc = rows(db, "SELECT amount, date, kind, status FROM funds WHERE project_id = ? ORDER BY id", project_id,
                     fk, "isss", funds, e);
  if (!rc) rc = rows(db, "SELECT date, kind, with_leader FROM follow_ups WHERE project_id = ? ORDER BY id",
                     project_id, uk, "ssb", follow_ups, e);
  if (!rc && json_array_size(p)) *project = json_incref(json_array_get(p, 0));
  json_decref(p);
  return rc;
}

int figures_store_project(Db *db, int64_t project_id, Figures *out, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT campaign_id, unit_id, metric, day, reported, certified FROM project_figures"
                          " WHERE project_id = ? ORDER BY metric, day",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, project_id);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    figures_add(out, db_col_int(st, 0), db_col_int(st, 1), db_col_text(st, 2), (int)db_col_int(st, 3),
                db_col_int(st, 4), db_col_int(st, 5));
  return r < 0 ? -r : HZ_OK;
}

static int add_to_sums(Db *db, const Figure *f, int64_t reported, int64_t certified, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO unit_figures (campaign_id, unit_id, metric, day, reported, certified)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (campaign_id, unit_id, metric, day) DO UPDATE"
                          " SET reported = reported + excluded.reported, certified = certified + excluded.certified",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, f->campaign_id);
  db_bind_int(st, 2, f->unit_id);
  db_bind_text(st, 3, f->metric);
  db_bind_int(st, 4, f->day);
  db_bind_int(st, 5, reported);
  db_bind_int(st, 6, certified);
  int rc = db_run(db, st, e);
  if (rc) return rc;
  st = db_prepare(db,
                  "INSERT INTO unit_totals (campaign_id, unit_id, metric, reported, certified)"
                  " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (campaign_id, unit_id, metric) DO UPDATE"
                  " SET reported = reported + excluded.reported, certified = certified + excluded.certified",
                  e);
  if (!st) return e->rc;
  db_bind_int(st, 1, f->campaign_id);
  db_bind_int(st, 2, f->unit_id);
  db_bind_text(st, 3, f->metric);
  db_bind_int(st, 4, reported);
  db_bind_int(st, 5, certified);
  return db_run(db, st, e);
}

static const Figure *find(const Figures *fs, const Figure *f) {
  for (size_t i = 0; i < fs->n; i++) {
    const Figure *x = &fs->items[i];
    if (x->day == f->day && x->unit_id == f->unit_id && x->campaign_id == f->campaign_id && !strcmp(x->metric, f->metric))
      return x;
  }
  return NULL;
}

int figures_store_replace(Db *db, int64_t project_id, const Figures *before, const Figures *after, HzErr *e) {
  DbStmt *st = db_prepare(db, "DELETE FROM project_figures WHERE project_id = ?", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, project_id);
  int rc = db_run(db, st, e);
  for (size_t i = 0; i < after->n && !rc; i++) {
    const Figure *f = &after->items[i];
    if (!(st = db_prepare(db,
                          "INSERT INTO project_figures (project_id, campaign_id, unit_id, metric, day, reported,"
                          " certified) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          e)))
      return e->rc;
    db_bind_int(st, 1, project_id);
    db_bind_int(st, 2, f->campaign_id);
    db_bind_int(st, 3, f->unit_id);
    db_bind_text(st, 4, f->metric);
    db_bind_int(st, 5, f->day);
    db_bind_int(st, 6, f->reported);
    db_bind_int(st, 7, f->certified);
    rc = db_run(db, st, e);
  }
  /* Only the net difference touches the sums: most writes change one or two figures. */
  for (size_t i = 0; i < after->n && !rc; i++) {
    const Figure *f = &after->items[i], *old = find(before, f);
    int64_t dr = f->reported - (old ? old->reported : 0), dc = f->certified - (old ? old->certified : 0);
    if (dr || dc) rc = add_to_sums(db, f, dr, dc, e);
  }
  for (size_t i = 0; i < before->n && !rc; i++) {
    const Figure *f = &before->items[i];
    if (!find(after, f)) rc = add_to_sums(db, f, -f->reported, -f->certified, e);
  }
  return rc;
}

int figures_store_set_last_activity(Db *db, int64_t project_id, const char *date, HzErr *e) {
  DbStmt *st = db_prepare(db, "UPDATE projects SET last_activity_date = ? WHERE id = ? AND last_activity_date <> ?", e);
  if (!st) return e->rc;
  db_bind_text(st, 1, date);
  db_bind_int(st, 2, project_id);
  db_bind_text(st, 3, date);
  return db_run(db, st, e);
}

int figures_store_project_ids(Db *db, json_t **ids, HzErr *e) {
  *ids = json_array();
  DbStmt *st = db_prepare(db, "SELECT id FROM projects UNION SELECT project_id FROM project_figures ORDER BY 1", e);
  if (!st) return e->rc;
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW) json_array_append_new(*ids, json_integer(db_col_int(st, 0)));
  return r < 0 ? -r : HZ_OK;
}

static int report(Db *db, const char *sql, const char *what, json_t *diffs, HzErr *e) {
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e->rc;
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(diffs, json_sprintf("%s: campaign %lld unit %lld %s day %lld: reported %lld certified %lld",
                                              what, (long long)db_col_int(st, 0), (long long)db_col_int(st, 1),
                                              db_col_text(st, 2), (long long)db_col_int(st, 3),
                                              (long long)db_col_int(st, 4), (long long)db_col_int(st, 5)));
  return r < 0 ? -r : HZ_OK;
}

#define FROM_PROJECTS_BY_DAY                                                                                  \
  "SELECT campaign_id, unit_id, metric, day, SUM(reported), SUM(certified) FROM project_figures"           \
  " GROUP BY campaign_id, unit_id, metric, day HAVING SUM(reported) <> 0 OR SUM(certified) <> 0"
#define UNIT_BY_DAY                                                                                           \
  "SELECT campaign_id, unit_id, metric, day, reported, certified FROM unit_figures"                        \
  " WHERE reported <> 0 OR certified <> 0"
#define FROM_PROJECTS_TOTAL                                                                                   \
  "SELECT campaign_id, unit_id, metric, -1, SUM(reported), SUM(certified) FROM project_figures"            \
  " GROUP BY campaign_id, unit_id, metric HAVING SUM(reported) <> 0 OR SUM(certified) <> 0"
#define UNIT_TOTAL                                                                                            \
  "SELECT campaign_id, unit_id, metric, -1, reported, certified FROM unit_totals"                          \
  " WHERE reported <> 0 OR certified <> 0"

int figures_store_check_sums(Db *db, json_t *diffs, HzErr *e) {
  int rc = report(db, FROM_PROJECTS_BY_DAY " EXCEPT " UNIT_BY_DAY, "daily sum should be", diffs, e);
  if (!rc) rc = report(db, UNIT_BY_DAY " EXCEPT " FROM_PROJECTS_BY_DAY, "daily sum is wrongly", diffs, e);
  if (!rc) rc = report(db, FROM_PROJECTS_TOTAL " EXCEPT " UNIT_TOTAL, "total should be", diffs, e);
  if (!rc) rc = report(db, UNIT_TOTAL " EXCEPT " FROM_PROJECTS_TOTAL, "total is wrongly", diffs, e);
  return rc;
}

int figures_store_unit_sums(Db *db, int64_t campaign_id, int as_of, int all_days, json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = all_days
                   ? db_prepare(db, "SELECT unit_id, metric, reported, certified FROM unit_totals WHERE campaign_id = ?1",
                                e)
                   : db_prepare(db,
                                "SELECT unit_id, metric, SUM(reported), SUM(certified) FROM unit_figures"
                                " WHERE campaign_id = ?1 AND day <= ?2 GROUP BY unit_id, metric",
                                e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  if (!all_days) db_bind_int(st, 2, as_of);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*out, json_pack("{s:I s:s s:I s:I}", "unit_id", (json_int_t)db_col_int(st, 0), "metric",
                                          db_col_text(st, 1), "reported", (json_int_t)db_col_int(st, 2), "certified",
                                          (json_int_t)db_col_int(st, 3)));
  return r < 0 ? -r : HZ_OK;
}

int figures_store_units(Db *db, json_t **out, HzErr *e) {
  static const char *const keys[] = {"id", "name", "category", NULL};
  return rows(db, "SELECT id, name, category FROM units WHERE ?1 = ?1 ORDER BY id", 0, keys, "iss", out, e);
}

int figures_store_targets(Db *db, int64_t campaign_id, json_t **out, HzErr *e) {
  static const char *const keys[] = {"unit_id", "scope", "metric", "value", NULL};
  return rows(db,
              "SELECT unit_id, scope, metric, value FROM targets WHERE campaign_id = ?1 AND section_id IS NULL"
              " AND user_id IS NULL",
              campaign_id, keys, "issi", out, e);
}

int figures_store_histograms(Db *db, int64_t campaign_id, json_t **out, HzErr *e) {
  static const char *const keys[] = {"unit_id", "metric", "days", "count", NULL};
  return rows(db,
              "SELECT unit_id, metric, day, reported FROM unit_figures WHERE campaign_id = ?1"
              " AND metric LIKE 'days\\_%' ESCAPE '\\' AND reported > 0 ORDER BY unit_id, metric, day",
              campaign_id, keys, "isii", out, e);
}
