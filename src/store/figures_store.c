#include "store/figures_store.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NOMEM_MSG "内存不足，无法读取计算进度的记录"

/* The current row's columns from `first` on as an object with the given keys; types:
 * 'i' integer, 'b' boolean, else text. NULL when out of memory: a record missing from
 * what figures_of_project reads would make wrong figures, so no key may be left out. */
static json_t *row_object(DbStmt *st, int first, const char *const *keys, const char *ints) {
  json_t *o = json_object();
  for (int k = 0; o && keys[k]; k++) {
    int c = first + k;
    json_t *v;
    if (db_col_is_null(st, c)) v = json_null();
    else if (ints[k] == 'i') v = json_integer(db_col_int(st, c));
    else if (ints[k] == 'b') v = json_boolean(db_col_int(st, c));
    else v = json_string(db_col_text(st, c));
    if (!v || json_object_set_new(o, keys[k], v)) {
      json_decref(o);
      o = NULL;
    }
  }
  return o;
}

/* Appends the current row (row_object) to out; HZ_ENOMEM when it cannot. */
static int append_row(json_t *out, DbStmt *st, int first, const char *const *keys, const char *ints, HzErr *e) {
  json_t *o = row_object(st, first, keys, ints);
  if (!out || !o || json_array_append_new(out, o)) return hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
  return HZ_OK;
}

/* Rows of sql (bound to id) as objects with the given keys, typed as row_object. */
static int rows(Db *db, const char *sql, int64_t id, const char *const *keys, const char *ints, json_t **out,
                HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e->rc;
  db_bind_int(st, 1, id);
  int r, rc = HZ_OK;
  while (!rc && (r = db_step(db, st, e)) == DB_ROW) rc = append_row(*out, st, 0, keys, ints, e);
  if (rc) db_reset(st);
  return rc ? rc : r < 0 ? -r : HZ_OK;
}

/* Stays (metric days_<stage>, domain/figures.h) live in tables of their own, with the stage
 * and the length as columns: project_stays, unit_stays, unit_stay_totals. */
static int is_stay(const Figure *f) { return !strncmp(f->metric, "days_", 5); }
static const char *stay_stage(const Figure *f) {
  assert(is_stay(f));
  return f->metric + 5;
}

/* Adds the row's figure from column `first` on: (is_stay, campaign_id, unit_id, metric or
 * stage, stay_days, day, reported, certified), as the queries of both tables give it. */
static int stored_figure_add(DbStmt *st, int first, Figures *out, HzErr *e) {
  char metric[32];
  const char *name = db_col_text(st, first + 3);
  if (db_col_int(st, first)) snprintf(metric, sizeof metric, "days_%s", name);
  else snprintf(metric, sizeof metric, "%s", name);
  if (figures_add(out, db_col_int(st, first + 1), db_col_int(st, first + 2), metric, (int)db_col_int(st, first + 4),
                  (int)db_col_int(st, first + 5), db_col_int(st, first + 6), db_col_int(st, first + 7)))
    return hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法读取进度数字");
  return HZ_OK;
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
                project_id, pk, "iissiii", &p, e);
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
                          "SELECT 0, campaign_id, unit_id, metric, 0, day, reported, certified FROM project_figures"
                          " WHERE project_id = ?1 UNION ALL SELECT 1, campaign_id, unit_id, stage, days, day, stays,"
                          " stays FROM project_stays WHERE project_id = ?1",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, project_id);
  int r, rc = HZ_OK;
  while (!rc && (r = db_step(db, st, e)) == DB_ROW) rc = stored_figure_add(st, 0, out, e);
  if (rc) db_reset(st);
  return rc ? rc : r < 0 ? -r : HZ_OK;
}

/* A figure's difference added to its unit's sum for its day (unit_figures, or unit_stays
 * for a days_<stage> figure). */
static int add_to_day_sum(Db *db, const Figure *f, int64_t reported, int64_t certified, HzErr *e) {
  int stay = is_stay(f);
  assert(!stay || reported == certified); /* a stay is a fact of the history, not a claim */
  DbStmt *st = stay ? db_prepare(db,
                                 "INSERT INTO unit_stays (campaign_id, unit_id, stage, days, day, stays)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (campaign_id, unit_id, stage, days, day)"
                                 " DO UPDATE SET stays = unit_stays.stays + excluded.stays",
                                 e)
                    : db_prepare(db,
                                 "INSERT INTO unit_figures (campaign_id, unit_id, metric, day, reported, certified)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (campaign_id, unit_id, metric, day) DO UPDATE"
                                 " SET reported = unit_figures.reported + excluded.reported,"
                                 " certified = unit_figures.certified + excluded.certified",
                                 e);
  if (!st) return e->rc;
  db_bind_int(st, 1, f->campaign_id);
  db_bind_int(st, 2, f->unit_id);
  if (stay) {
    db_bind_text(st, 3, stay_stage(f));
    db_bind_int(st, 4, f->stay_days);
    db_bind_int(st, 5, f->day);
    db_bind_int(st, 6, reported);
  } else {
    db_bind_text(st, 3, f->metric);
    db_bind_int(st, 4, f->day);
    db_bind_int(st, 5, reported);
    db_bind_int(st, 6, certified);
  }
  return db_run(db, st, e);
}

/* The same difference added to the unit's total over all days (unit_totals, or
 * unit_stay_totals, whose key keeps the stay's length). */
static int add_to_total(Db *db, const Figure *f, int64_t reported, int64_t certified, HzErr *e) {
  int stay = is_stay(f);
  DbStmt *st = stay ? db_prepare(db,
                                 "INSERT INTO unit_stay_totals (campaign_id, unit_id, stage, days, stays)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (campaign_id, unit_id, stage, days)"
                                 " DO UPDATE SET stays = unit_stay_totals.stays + excluded.stays",
                                 e)
                    : db_prepare(db,
                                 "INSERT INTO unit_totals (campaign_id, unit_id, metric, reported, certified)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (campaign_id, unit_id, metric) DO UPDATE"
                                 " SET reported = unit_totals.reported + excluded.reported,"
                                 " certified = unit_totals.certified + excluded.certified",
                                 e);
  if (!st) return e->rc;
  db_bind_int(st, 1, f->campaign_id);
  db_bind_int(st, 2, f->unit_id);
  if (stay) {
    db_bind_text(st, 3, stay_stage(f));
    db_bind_int(st, 4, f->stay_days);
    db_bind_int(st, 5, reported);
  } else {
    db_bind_text(st, 3, f->metric);
    db_bind_int(st, 4, reported);
    db_bind_int(st, 5, certified);
  }
  return db_run(db, st, e);
}

static int add_to_sums(Db *db, const Figure *f, int64_t reported, int64_t certified, HzErr *e) {
  int rc = add_to_day_sum(db, f, reported, certified, e);
  return rc ? rc : add_to_total(db, f, reported, certified, e);
}

static const Figure *find(const Figures *fs, const Figure *f) {
  for (size_t i = 0; i < fs->n; i++) {
    const Figure *x = &fs->items[i];
    if (x->day == f->day && x->stay_days == f->stay_days && x->unit_id == f->unit_id &&
        x->campaign_id == f->campaign_id && !strcmp(x->metric, f->metric))
      return x;
  }
  return NULL;
}

/* One stored figure of a project, in project_figures or (a stay) project_stays. */
static int insert_figure(Db *db, int64_t project_id, const Figure *f, HzErr *e) {
  DbStmt *st;
  if (is_stay(f)) {
    assert(f->reported == f->certified);
    if (!(st = db_prepare(db,
                          "INSERT INTO project_stays (project_id, campaign_id, unit_id, stage, days, day, stays)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)",
                          e)))
      return e->rc;
    db_bind_int(st, 1, project_id);
    db_bind_int(st, 2, f->campaign_id);
    db_bind_int(st, 3, f->unit_id);
    db_bind_text(st, 4, stay_stage(f));
    db_bind_int(st, 5, f->stay_days);
    db_bind_int(st, 6, f->day);
    db_bind_int(st, 7, f->reported);
    return db_run(db, st, e);
  }
  assert(f->stay_days == 0);
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
  return db_run(db, st, e);
}

/* Deletes (values NULL) or sets the values of one stored figure, found by its key. */
static int change_figure(Db *db, int64_t project_id, const Figure *f, const Figure *values, HzErr *e) {
  DbStmt *st;
  int k = 1;
  if (is_stay(f)) {
    st = db_prepare(db,
                    values ? "UPDATE project_stays SET stays = ? WHERE project_id = ? AND stage = ? AND days = ? AND day = ?"
                           : "DELETE FROM project_stays WHERE project_id = ? AND stage = ? AND days = ? AND day = ?",
                    e);
    if (!st) return e->rc;
    if (values) db_bind_int(st, k++, values->reported);
    db_bind_int(st, k++, project_id);
    db_bind_text(st, k++, stay_stage(f));
    db_bind_int(st, k++, f->stay_days);
  } else {
    st = db_prepare(db,
                    values ? "UPDATE project_figures SET reported = ?, certified = ? WHERE project_id = ? AND metric = ? AND day = ?"
                           : "DELETE FROM project_figures WHERE project_id = ? AND metric = ? AND day = ?",
                    e);
    if (!st) return e->rc;
    if (values) {
      db_bind_int(st, k++, values->reported);
      db_bind_int(st, k++, values->certified);
    }
    db_bind_int(st, k++, project_id);
    db_bind_text(st, k++, f->metric);
  }
  db_bind_int(st, k, f->day);
  return db_run(db, st, e);
}

int figures_store_replace(Db *db, int64_t project_id, const Figures *before, const Figures *after, HzErr *e) {
  int rc = HZ_OK;
  /* before is what is stored (read in this transaction): only the figures that differ are
   * written, so a follow-up costs a statement or two instead of one per figure (each a
   * round trip to PostgreSQL, under the write lock). Deletes first: a figure that moved
   * to another unit keeps its key. */
  for (size_t i = 0; i < before->n && !rc; i++)
    if (!find(after, &before->items[i])) rc = change_figure(db, project_id, &before->items[i], NULL, e);
  for (size_t i = 0; i < after->n && !rc; i++) {
    const Figure *f = &after->items[i], *old = find(before, f);
    if (!old) rc = insert_figure(db, project_id, f, e);
    else if (old->reported != f->reported || old->certified != f->certified) rc = change_figure(db, project_id, old, f, e);
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

int figures_store_each_sum(Db *db, int64_t campaign_id, int as_of, int all_days, UnitSumFn fn, void *ctx, HzErr *e) {
  DbStmt *st = all_days
                   ? db_prepare(db,
                                "SELECT unit_id, metric, reported, certified FROM unit_totals WHERE campaign_id = ?1"
                                " ORDER BY unit_id, metric",
                                e)
                   : db_prepare(db,
                                "SELECT unit_id, metric, CAST(SUM(reported) AS BIGINT), CAST(SUM(certified) AS BIGINT)"
                                " FROM unit_figures WHERE campaign_id = ?1 AND day <= ?2 GROUP BY unit_id, metric"
                                " ORDER BY unit_id, metric",
                                e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  if (!all_days) db_bind_int(st, 2, as_of);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    fn(ctx, db_col_int(st, 0), db_col_text(st, 1), db_col_int(st, 2), db_col_int(st, 3));
  return r < 0 ? -r : HZ_OK;
}

int figures_store_units(Db *db, json_t **out, HzErr *e) {
  static const char *const keys[] = {"id", "name", "category", NULL};
  /* Every unit: ids start at 1. (?1 = ?1 would leave PostgreSQL without a type for ?1.) */
  return rows(db, "SELECT id, name, category FROM units WHERE id > ?1 ORDER BY id", 0, keys, "iss", out, e);
}

int figures_store_targets(Db *db, int64_t campaign_id, json_t **out, HzErr *e) {
  static const char *const keys[] = {"unit_id", "scope", "metric", "value", NULL};
  return rows(db,
              "SELECT unit_id, scope, metric, value FROM targets WHERE campaign_id = ?1 AND section_id IS NULL"
              " AND user_id IS NULL ORDER BY unit_id, scope, metric",
              campaign_id, keys, "issi", out, e);
}

int figures_store_each_stay(Db *db, int64_t campaign_id, int as_of, int all_days, StayFn fn, void *ctx, HzErr *e) {
  /* From today on every stay has ended by as_of, and the totals hold the counts over all
   * days: one row per unit, stage and length. */
  DbStmt *st = all_days ? db_prepare(db,
                                     "SELECT unit_id, stage, days, stays FROM unit_stay_totals WHERE campaign_id = ?1"
                                     " AND stays > 0 ORDER BY unit_id, stage, days",
                                     e)
                        : db_prepare(db,
                                     "SELECT unit_id, stage, days, CAST(SUM(stays) AS BIGINT) FROM unit_stays"
                                     " WHERE campaign_id = ?1"
                                     " AND day <= ?2 GROUP BY unit_id, stage, days HAVING SUM(stays) > 0"
                                     " ORDER BY unit_id, stage, days",
                                     e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  if (!all_days) db_bind_int(st, 2, as_of);
  int r, rc = HZ_OK;
  while (!rc && (r = db_step(db, st, e)) == DB_ROW)
    rc = fn(ctx, db_col_int(st, 0), db_col_text(st, 1), (int)db_col_int(st, 2), db_col_int(st, 3), e);
  if (rc) db_reset(st);
  return rc ? rc : r < 0 ? -r : HZ_OK;
}

int figures_store_unit_totals(Db *db, int64_t campaign_id, int64_t unit_id, UnitSumFn fn, void *ctx, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT unit_id, metric, reported, certified FROM unit_totals WHERE campaign_id = ?1"
                          " AND unit_id = ?2",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_int(st, 2, unit_id);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    fn(ctx, db_col_int(st, 0), db_col_text(st, 1), db_col_int(st, 2), db_col_int(st, 3));
  return r < 0 ? -r : HZ_OK;
}

int figures_store_unit_stay_totals(Db *db, int64_t campaign_id, int64_t unit_id, StayFn fn, void *ctx, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT unit_id, stage, days, stays FROM unit_stay_totals WHERE campaign_id = ?1"
                          " AND unit_id = ?2 AND stays > 0",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_int(st, 2, unit_id);
  int r, rc = HZ_OK;
  while (!rc && (r = db_step(db, st, e)) == DB_ROW)
    rc = fn(ctx, db_col_int(st, 0), db_col_text(st, 1), (int)db_col_int(st, 2), db_col_int(st, 3), e);
  if (rc) db_reset(st);
  return rc ? rc : r < 0 ? -r : HZ_OK;
}

int figures_store_unit_range(Db *db, int64_t campaign_id, int64_t unit_id, int from, int to, json_t **out, HzErr *e) {
  *out = json_object();
  DbStmt *st = db_prepare(db,
                          "SELECT metric, CAST(SUM(reported) AS BIGINT), CAST(SUM(certified) AS BIGINT) FROM unit_figures"
                          " WHERE campaign_id = ?1"
                          " AND unit_id = ?2 AND day BETWEEN ?3 AND ?4 AND metric NOT LIKE 'pipeline%'"
                          " GROUP BY metric ORDER BY metric",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_int(st, 2, unit_id);
  db_bind_int(st, 3, from);
  db_bind_int(st, 4, to);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_object_set_new(*out, db_col_text(st, 0), json_pack("{s:I s:I}", "reported", (json_int_t)db_col_int(st, 1),
                                                             "certified", (json_int_t)db_col_int(st, 2)));
  return r < 0 ? -r : HZ_OK;
}

/* ---- bulk recomputation (figures_rebuild) ---- */

/* One ordered cursor of the merge in figures_store_each_project: rows of
 * (project_id, columns...) sorted by project_id. */
typedef struct {
  DbStmt *st;
  int more;        /* 1 while the cursor is on a row */
  int64_t project; /* project_id of that row */
} Cursor;

static int cursor_next(Db *db, Cursor *c, HzErr *e) {
  int r = db_step(db, c->st, e);
  if (r < 0) return -r;
  c->more = r == DB_ROW;
  c->project = c->more ? db_col_int(c->st, 0) : 0;
  return HZ_OK;
}

/* Appends the cursor's rows of project id to out, as objects of keys (columns from first on). */
static int cursor_take(Db *db, Cursor *c, int64_t id, int first, const char *const *keys, const char *types,
                       json_t *out, HzErr *e) {
  int rc = HZ_OK;
  while (!rc && c->more && c->project <= id) {
    if (c->project == id) rc = append_row(out, c->st, first, keys, types, e);
    if (!rc) rc = cursor_next(db, c, e);
  }
  return rc;
}

/* Moves the stored-figures cursor past project id: rows of projects before it that do not
 * exist go to fn as orphans (project NULL); the rows of id itself go to *mine. */
static int stored_take(Db *db, Cursor *c, int64_t id, FiguresEachFn fn, void *ctx, Figures *mine, HzErr *e) {
  int rc = HZ_OK;
  while (!rc && c->more && c->project <= id) {
    int64_t p = c->project;
    Figures f = {0};
    while (!rc && c->more && c->project == p) {
      rc = stored_figure_add(c->st, 1, &f, e);
      if (!rc) rc = cursor_next(db, c, e);
    }
    if (p == id) {
      *mine = f;
      break;
    }
    json_t *none[3] = {json_array(), json_array(), json_array()};
    if (!rc && (!none[0] || !none[1] || !none[2])) rc = hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
    if (!rc) rc = fn(ctx, p, NULL, none[0], none[1], none[2], &f, e);
    for (int k = 0; k < 3; k++) json_decref(none[k]);
    figures_free(&f);
  }
  return rc;
}

/* Every project (ranged 0), or those with ids in [lo, hi] (ranged 1: each query narrowed
 * by the same index it walks). */
static int each_project(Db *db, int with_stored, int ranged, int64_t lo, int64_t hi, FiguresEachFn fn, void *ctx,
                        HzErr *e) {
  static const char *const pk[] = {"campaign_id", "lead_unit_id", "stage", "lead_date", "planned_investment",
                                   "contract_value", "duplicate_of", "last_activity_date", NULL};
  static const char *const sk[] = {"id", "campaign_id", "unit_id", "from_stage", "to_stage", "date", "contract_date",
                                   "contract_value", "start_date", "completion_date", "status", NULL};
  static const char *const fk[] = {"id", "campaign_id", "unit_id", "amount", "date", "kind", "status", NULL};
  static const char *const uk[] = {"id", "campaign_id", "unit_id", "date", "kind", "with_leader", NULL};
  /* Each query walks an index on project_id (rowid order within a project), so the
   * merge reads every table once, in order, without sorting. Follow-ups need no order
   * within a project: their figures are sums. */
  static const char *const sql[5] = {
    "SELECT id, campaign_id, lead_unit_id, stage, lead_date, planned_investment, contract_value, duplicate_of,"
    " last_activity_date FROM projects ORDER BY id",
    "SELECT project_id, id, campaign_id, unit_id, from_stage, to_stage, date, contract_date, contract_value,"
    " start_date, completion_date, status FROM stage_changes ORDER BY project_id, id",
    "SELECT project_id, id, campaign_id, unit_id, amount, date, kind, status FROM funds ORDER BY project_id, id",
    "SELECT project_id, id, campaign_id, unit_id, date, kind, with_leader FROM follow_ups ORDER BY project_id",
    /* both tables by their primary key, merged: no sort */
    "SELECT project_id, 0, campaign_id, unit_id, metric, 0, day, reported, certified FROM project_figures"
    " UNION ALL SELECT project_id, 1, campaign_id, unit_id, stage, days, day, stays, stays FROM project_stays"
    " ORDER BY project_id",
  };
  static const char *const range_sql[5] = {
    "SELECT id, campaign_id, lead_unit_id, stage, lead_date, planned_investment, contract_value, duplicate_of,"
    " last_activity_date FROM projects WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
    "SELECT project_id, id, campaign_id, unit_id, from_stage, to_stage, date, contract_date, contract_value,"
    " start_date, completion_date, status FROM stage_changes WHERE project_id BETWEEN ?1 AND ?2"
    " ORDER BY project_id, id",
    "SELECT project_id, id, campaign_id, unit_id, amount, date, kind, status FROM funds"
    " WHERE project_id BETWEEN ?1 AND ?2 ORDER BY project_id, id",
    "SELECT project_id, id, campaign_id, unit_id, date, kind, with_leader FROM follow_ups"
    " WHERE project_id BETWEEN ?1 AND ?2 ORDER BY project_id",
    "SELECT project_id, 0, campaign_id, unit_id, metric, 0, day, reported, certified FROM project_figures"
    " WHERE project_id BETWEEN ?1 AND ?2 UNION ALL SELECT project_id, 1, campaign_id, unit_id, stage, days, day,"
    " stays, stays FROM project_stays WHERE project_id BETWEEN ?1 AND ?2 ORDER BY project_id",
  };
  int ncur = with_stored ? 5 : 4;
  Cursor c[5] = {{0}};
  int rc = HZ_OK;
  for (int i = 0; i < ncur && !rc; i++) {
    if (!(c[i].st = db_prepare(db, ranged ? range_sql[i] : sql[i], e))) rc = e->rc;
    else {
      if (ranged) {
        db_bind_int(c[i].st, 1, lo);
        db_bind_int(c[i].st, 2, hi);
      } else {
        db_chunked(c[i].st); /* whole tables: a chunk at a time, never all rows at once */
      }
      rc = cursor_next(db, &c[i], e);
    }
  }
  while (!rc && c[0].more) {
    int64_t id = c[0].project;
    json_t *project = row_object(c[0].st, 1, pk, "iissiiis");
    json_t *sc = json_array(), *funds = json_array(), *fu = json_array();
    Figures stored = {0};
    if (!project) rc = hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
    /* Without the stored figures (figures_rebuild), the records' own ids and copied
     * campaign and unit are left out: figures_of_project reads none of them, and only the
     * check compares them (`huizhan check` after `huizhan gen` would name a figure that
     * came to depend on them). A third less to build at province scale. */
    int skip = with_stored ? 0 : 3;
    if (!rc) rc = cursor_take(db, &c[1], id, 1 + skip, sk + skip, "iiissssisss" + skip, sc, e);
    if (!rc) rc = cursor_take(db, &c[2], id, 1 + skip, fk + skip, "iiiisss" + skip, funds, e);
    if (!rc) rc = cursor_take(db, &c[3], id, 1 + skip, uk + skip, "iiissb" + skip, fu, e);
    if (!rc && with_stored) rc = stored_take(db, &c[4], id, fn, ctx, &stored, e);
    if (!rc) rc = fn(ctx, id, project, sc, funds, fu, with_stored ? &stored : NULL, e);
    figures_free(&stored);
    json_decref(project);
    json_decref(sc);
    json_decref(funds);
    json_decref(fu);
    if (!rc) rc = cursor_next(db, &c[0], e);
  }
  /* Figures stored beyond the last project belong to none. */
  if (!rc && with_stored) rc = stored_take(db, &c[4], INT64_MAX, fn, ctx, &(Figures){0}, e);
  for (int i = 0; i < ncur; i++)
    if (c[i].st) db_reset(c[i].st);
  return rc;
}

int figures_store_each_project(Db *db, int with_stored, FiguresEachFn fn, void *ctx, HzErr *e) {
  return each_project(db, with_stored, 0, 0, 0, fn, ctx, e);
}

int figures_store_each_in_range(Db *db, int64_t lo, int64_t hi, FiguresEachFn fn, void *ctx, HzErr *e) {
  return each_project(db, 1, 1, lo, hi, fn, ctx, e);
}

int figures_store_each_unit_sum(Db *db, int totals, UnitFigureFn fn, void *ctx, HzErr *e) {
  static const char *const sql[2][2] = {
    {"SELECT campaign_id, unit_id, metric, 0, day, reported, certified FROM unit_figures"
     " ORDER BY campaign_id, unit_id, metric, day",
     "SELECT campaign_id, unit_id, stage, days, day, stays, stays FROM unit_stays"
     " ORDER BY campaign_id, unit_id, stage, days, day"},
    {"SELECT campaign_id, unit_id, metric, 0, 0, reported, certified FROM unit_totals"
     " ORDER BY campaign_id, unit_id, metric",
     "SELECT campaign_id, unit_id, stage, days, 0, stays, stays FROM unit_stay_totals"
     " ORDER BY campaign_id, unit_id, stage, days"}};
  int r = DB_DONE, rc = HZ_OK;
  for (int stays = 0; stays < 2 && !rc; stays++) {
    DbStmt *st = db_prepare(db, sql[!!totals][stays], e);
    if (!st) return e->rc;
    db_chunked(st); /* a province's sums by day: millions of rows */
    char metric[32];
    while (!rc && (r = db_step(db, st, e)) == DB_ROW) {
      snprintf(metric, sizeof metric, "%s%s", stays ? "days_" : "", db_col_text(st, 2));
      rc = fn(ctx, db_col_int(st, 0), db_col_int(st, 1), metric, (int)db_col_int(st, 3), (int)db_col_int(st, 4),
              db_col_int(st, 5), db_col_int(st, 6), e);
    }
    if (rc) db_reset(st);
    else if (r < 0) rc = -r;
  }
  return rc;
}

int figures_store_clear(Db *db, HzErr *e) {
  static const char *const sql[] = {"DELETE FROM project_figures", "DELETE FROM unit_figures",
                                    "DELETE FROM unit_totals",     "DELETE FROM project_stays",
                                    "DELETE FROM unit_stays",      "DELETE FROM unit_stay_totals"};
  int rc = HZ_OK;
  for (size_t i = 0; i < sizeof sql / sizeof sql[0] && !rc; i++) {
    DbStmt *st = db_prepare(db, sql[i], e);
    rc = st ? db_run(db, st, e) : e->rc;
  }
  return rc;
}

int figures_store_load_project(BulkLoad *l, int64_t project_id, const Figures *f, HzErr *e) {
  int rc = HZ_OK;
  BulkRow r;
  for (size_t i = 0; i < f->n && !rc; i++) {
    const Figure *x = &f->items[i];
    int stay = is_stay(x);
    assert(stay ? x->reported == x->certified : x->stay_days == 0);
    bulk_row_reset(&r);
    bulk_row_int(&r, project_id);
    bulk_row_int(&r, x->campaign_id);
    bulk_row_int(&r, x->unit_id);
    if (stay) {
      bulk_row_text(&r, stay_stage(x));
      bulk_row_int(&r, x->stay_days);
      bulk_row_int(&r, x->day);
      bulk_row_int(&r, x->reported);
    } else {
      bulk_row_text(&r, x->metric);
      bulk_row_int(&r, x->day);
      bulk_row_int(&r, x->reported);
      bulk_row_int(&r, x->certified);
    }
    rc = bulk_load_add(l, stay ? BULK_PROJECT_STAYS : BULK_PROJECT_FIGURES, &r, e);
  }
  return rc;
}

int figures_store_load_sum(BulkLoad *l, const Figure *f, int total, HzErr *e) {
  static const BulkTable tables[2][2] = {{BULK_UNIT_FIGURES, BULK_UNIT_TOTALS}, {BULK_UNIT_STAYS, BULK_UNIT_STAY_TOTALS}};
  int stay = is_stay(f);
  BulkRow r;
  bulk_row_reset(&r);
  bulk_row_int(&r, f->campaign_id);
  bulk_row_int(&r, f->unit_id);
  bulk_row_text(&r, stay ? stay_stage(f) : f->metric);
  if (stay) bulk_row_int(&r, f->stay_days);
  if (!total) bulk_row_int(&r, f->day);
  bulk_row_int(&r, f->reported);
  if (!stay) bulk_row_int(&r, f->certified);
  return bulk_load_add(l, tables[stay][total ? 1 : 0], &r, e);
}

int figures_store_campaign_days(Db *db, int64_t campaign_id, int *start, int *end, HzErr *e) {
  *start = *end = 0;
  DbStmt *st = db_prepare(db, "SELECT start_date, end_date FROM campaigns WHERE id = ?", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  if (r == DB_ROW) {
    if (date_parse(db_col_text(st, 0), start) || date_parse(db_col_text(st, 1), end)) *start = *end = 0;
    db_reset(st);
  }
  return HZ_OK;
}

/* Rows of one unit's counted projects (campaign ?1, lead unit ?2), typed as row_object: the
 * projects by the projects_list_lead_unit index, each record table by its project_id. */
static int unit_rows(Db *db, const char *sql, int64_t campaign_id, int64_t unit_id, const char *const *keys,
                     const char *types, json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_int(st, 2, unit_id);
  int r, rc = HZ_OK;
  while (!rc && (r = db_step(db, st, e)) == DB_ROW) rc = append_row(*out, st, 0, keys, types, e);
  if (rc) db_reset(st);
  return rc ? rc : r < 0 ? -r : HZ_OK;
}

#define UNIT_OWN " ON x.project_id = p.id WHERE p.campaign_id = ?1 AND p.lead_unit_id = ?2 AND p.duplicate_of IS NULL"

int figures_store_unit_inputs(Db *db, int64_t campaign_id, int64_t unit_id, json_t **projects, json_t **stage_changes,
                              json_t **funds, json_t **follow_ups, HzErr *e) {
  static const char *const pk[] = {"id", "name", "lead_date", "planned_investment", NULL};
  static const char *const sk[] = {"id", "project_id", "from_stage", "to_stage", "date", "contract_date",
                                   "contract_value", "start_date", "completion_date", "status", NULL};
  static const char *const fk[] = {"id", "project_id", "amount", "date", "kind", "status", NULL};
  static const char *const uk[] = {"id", "project_id", "date", "kind", "with_leader", NULL};
  *projects = *stage_changes = *funds = *follow_ups = NULL;
  int rc = unit_rows(db,
                     "SELECT p.id, p.name, p.lead_date, p.planned_investment FROM projects p WHERE p.campaign_id = ?1"
                     " AND p.lead_unit_id = ?2 AND p.duplicate_of IS NULL ORDER BY p.id",
                     campaign_id, unit_id, pk, "issi", projects, e);
  if (!rc)
    rc = unit_rows(db,
                   "SELECT x.id, x.project_id, x.from_stage, x.to_stage, x.date, x.contract_date, x.contract_value,"
                   " x.start_date, x.completion_date, x.status FROM projects p JOIN stage_changes x" UNIT_OWN
                   " AND x.status <> 'rejected' ORDER BY x.id",
                   campaign_id, unit_id, sk, "iissssisss", stage_changes, e);
  if (!rc)
    rc = unit_rows(db,
                   "SELECT x.id, x.project_id, x.amount, x.date, x.kind, x.status FROM projects p JOIN funds x" UNIT_OWN
                   " AND x.status <> 'rejected' ORDER BY x.id",
                   campaign_id, unit_id, fk, "iiisss", funds, e);
  if (!rc)
    rc = unit_rows(db,
                   "SELECT x.id, x.project_id, x.date, x.kind, x.with_leader FROM projects p JOIN follow_ups x" UNIT_OWN
                   " ORDER BY x.id",
                   campaign_id, unit_id, uk, "iissb", follow_ups, e);
  return rc;
}

/* ---- batches of projects (domain/figures_batch.h) ---- */

int figures_store_replace_own(Db *db, int64_t project_id, const Figures *before, const Figures *after, HzErr *e) {
  static const char *const del[] = {"DELETE FROM project_figures WHERE project_id = ?",
                                    "DELETE FROM project_stays WHERE project_id = ?"};
  int rc = HZ_OK;
  /* before is all that is stored for the project: nothing to delete when it is empty */
  for (int k = 0; k < 2 && !rc && before->n; k++) {
    DbStmt *st = db_prepare(db, del[k], e);
    if (!st) return e->rc;
    db_bind_int(st, 1, project_id);
    rc = db_run(db, st, e);
  }
  for (size_t i = 0; i < after->n && !rc; i++) rc = insert_figure(db, project_id, &after->items[i], e);
  return rc;
}

/* Two figures that add to the same total: the same key but for the day. */
static int same_total(const Figure *a, const Figure *b) {
  return a->campaign_id == b->campaign_id && a->unit_id == b->unit_id && a->stay_days == b->stay_days &&
         !strcmp(a->metric, b->metric);
}

int figures_store_add_sums(Db *db, const Figures *delta, HzErr *e) {
  int rc = HZ_OK;
  for (size_t i = 0, j; i < delta->n && !rc; i = j) {
    /* delta is sorted by key: a total's figures (one per day) are next to each other */
    Figure total = delta->items[i];
    total.reported = total.certified = 0;
    for (j = i; j < delta->n && same_total(&total, &delta->items[j]) && !rc; j++) {
      const Figure *f = &delta->items[j];
      if (f->reported || f->certified) rc = add_to_day_sum(db, f, f->reported, f->certified, e);
      total.reported += f->reported;
      total.certified += f->certified;
    }
    if (!rc && (total.reported || total.certified)) rc = add_to_total(db, &total, total.reported, total.certified, e);
  }
  return rc;
}
