#include "store/figures_store.h"
#include "util/buf.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The current row's columns from `first` on as an object with the given keys; types:
 * 'i' integer, 'b' boolean, else text. */
static json_t *row_object(DbStmt *st, int first, const char *const *keys, const char *ints) {
  json_t *o = json_object();
  for (int k = 0; keys[k]; k++) {
    int c = first + k;
    json_t *v;
    if (db_col_is_null(st, c)) v = json_null();
    else if (ints[k] == 'i') v = json_integer(db_col_int(st, c));
    else if (ints[k] == 'b') v = json_boolean(db_col_int(st, c));
    else v = json_string(db_col_text(st, c));
    json_object_set_new(o, keys[k], v);
  }
  return o;
}

/* Rows of sql (bound to id) as objects with the given keys, typed as row_object. */
static int rows(Db *db, const char *sql, int64_t id, const char *const *keys, const char *ints, json_t **out,
                HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e->rc;
  db_bind_int(st, 1, id);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW) json_array_append_new(*out, row_object(st, 0, keys, ints));
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

int figures_store_each_sum(Db *db, int64_t campaign_id, int as_of, int all_days, UnitSumFn fn, void *ctx, HzErr *e) {
  DbStmt *st = all_days
                   ? db_prepare(db,
                                "SELECT unit_id, metric, reported, certified FROM unit_totals WHERE campaign_id = ?1"
                                " AND metric NOT LIKE 'days\\_%' ESCAPE '\\'", /* the histograms are read apart */
                                e)
                   : db_prepare(db,
                                "SELECT unit_id, metric, SUM(reported), SUM(certified) FROM unit_figures"
                                " WHERE campaign_id = ?1 AND day <= ?2 AND metric NOT LIKE 'days\\_%' ESCAPE '\\'"
                                " GROUP BY unit_id, metric",
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
  return rows(db, "SELECT id, name, category FROM units WHERE ?1 = ?1 ORDER BY id", 0, keys, "iss", out, e);
}

int figures_store_targets(Db *db, int64_t campaign_id, json_t **out, HzErr *e) {
  static const char *const keys[] = {"unit_id", "scope", "metric", "value", NULL};
  return rows(db,
              "SELECT unit_id, scope, metric, value FROM targets WHERE campaign_id = ?1 AND section_id IS NULL"
              " AND user_id IS NULL",
              campaign_id, keys, "issi", out, e);
}

int figures_store_each_stay(Db *db, int64_t campaign_id, int as_of, int all_days, StayFn fn, void *ctx, HzErr *e) {
  /* metric days_<stage>:<n>, split into the stage and n. From today on every stay has ended by
   * as_of, and the totals hold the counts over all days: one row per unit, stage and n. */
#define HISTOGRAM_COLS                                                                                    \
  "SELECT unit_id, substr(metric, 1, instr(metric, ':') - 1), CAST(substr(metric, instr(metric, ':') + 1) AS INTEGER),"
  DbStmt *st = all_days ? db_prepare(db,
                                     HISTOGRAM_COLS " reported FROM unit_totals WHERE campaign_id = ?1"
                                                    " AND metric LIKE 'days\\_%:%' ESCAPE '\\' AND reported > 0",
                                     e)
                        : db_prepare(db,
                                     HISTOGRAM_COLS " SUM(reported) FROM unit_figures WHERE campaign_id = ?1"
                                                    " AND metric LIKE 'days\\_%:%' ESCAPE '\\' AND day <= ?2"
                                                    " GROUP BY unit_id, metric HAVING SUM(reported) > 0",
                                     e);
#undef HISTOGRAM_COLS
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  if (!all_days) db_bind_int(st, 2, as_of);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    fn(ctx, db_col_int(st, 0), db_col_text(st, 1), (int)db_col_int(st, 2), db_col_int(st, 3));
  return r < 0 ? -r : HZ_OK;
}

int figures_store_unit_range(Db *db, int64_t campaign_id, int64_t unit_id, int from, int to, json_t **out, HzErr *e) {
  *out = json_object();
  DbStmt *st = db_prepare(db,
                          "SELECT metric, SUM(reported), SUM(certified) FROM unit_figures WHERE campaign_id = ?1"
                          " AND unit_id = ?2 AND day BETWEEN ?3 AND ?4 AND metric NOT LIKE 'pipeline%'"
                          " AND metric NOT LIKE 'days\\_%' ESCAPE '\\' GROUP BY metric",
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

/* Appends the cursor's rows of project id to out, as objects of keys. */
static int cursor_take(Db *db, Cursor *c, int64_t id, const char *const *keys, const char *types, json_t *out,
                       HzErr *e) {
  int rc = HZ_OK;
  while (!rc && c->more && c->project <= id) {
    if (c->project == id) json_array_append_new(out, row_object(c->st, 1, keys, types));
    rc = cursor_next(db, c, e);
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
      figures_add(&f, db_col_int(c->st, 1), db_col_int(c->st, 2), db_col_text(c->st, 3), (int)db_col_int(c->st, 4),
                  db_col_int(c->st, 5), db_col_int(c->st, 6));
      rc = cursor_next(db, c, e);
    }
    if (p == id) {
      *mine = f;
      break;
    }
    json_t *none[3] = {json_array(), json_array(), json_array()};
    if (!rc) rc = fn(ctx, p, NULL, none[0], none[1], none[2], &f, e);
    for (int k = 0; k < 3; k++) json_decref(none[k]);
    figures_free(&f);
  }
  return rc;
}

int figures_store_each_project(Db *db, int with_stored, FiguresEachFn fn, void *ctx, HzErr *e) {
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
    "SELECT project_id, campaign_id, unit_id, metric, day, reported, certified FROM project_figures"
    " ORDER BY project_id",
  };
  int ncur = with_stored ? 5 : 4;
  Cursor c[5] = {{0}};
  int rc = HZ_OK;
  for (int i = 0; i < ncur && !rc; i++) {
    if (!(c[i].st = db_prepare(db, sql[i], e))) rc = e->rc;
    else rc = cursor_next(db, &c[i], e);
  }
  while (!rc && c[0].more) {
    int64_t id = c[0].project;
    json_t *project = row_object(c[0].st, 1, pk, "iissiiis");
    json_t *sc = json_array(), *funds = json_array(), *fu = json_array();
    Figures stored = {0};
    rc = cursor_take(db, &c[1], id, sk, "iiissssisss", sc, e);
    if (!rc) rc = cursor_take(db, &c[2], id, fk, "iiiisss", funds, e);
    if (!rc) rc = cursor_take(db, &c[3], id, uk, "iiissb", fu, e);
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

int figures_store_each_unit_sum(Db *db, int totals, UnitFigureFn fn, void *ctx, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          totals ? "SELECT campaign_id, unit_id, metric, 0, reported, certified FROM unit_totals"
                                   " ORDER BY campaign_id, unit_id, metric"
                                 : "SELECT campaign_id, unit_id, metric, day, reported, certified FROM unit_figures"
                                   " ORDER BY campaign_id, unit_id, metric, day",
                          e);
  if (!st) return e->rc;
  int r, rc = HZ_OK;
  while (!rc && (r = db_step(db, st, e)) == DB_ROW)
    rc = fn(ctx, db_col_int(st, 0), db_col_int(st, 1), db_col_text(st, 2), (int)db_col_int(st, 3), db_col_int(st, 4),
            db_col_int(st, 5), e);
  if (rc) db_reset(st);
  return rc ? rc : r < 0 ? -r : HZ_OK;
}

int figures_store_clear(Db *db, HzErr *e) {
  static const char *const sql[] = {"DELETE FROM project_figures", "DELETE FROM unit_figures",
                                    "DELETE FROM unit_totals"};
  int rc = HZ_OK;
  for (size_t i = 0; i < sizeof sql / sizeof sql[0] && !rc; i++) {
    DbStmt *st = db_prepare(db, sql[i], e);
    rc = st ? db_run(db, st, e) : e->rc;
  }
  return rc;
}

int figures_store_insert(Db *db, int64_t project_id, const Figures *f, HzErr *e) {
  int rc = HZ_OK;
  for (size_t i = 0; i < f->n && !rc; i++) {
    const Figure *x = &f->items[i];
    DbStmt *st = db_prepare(db,
                            "INSERT INTO project_figures (project_id, campaign_id, unit_id, metric, day, reported,"
                            " certified) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            e);
    if (!st) return e->rc;
    db_bind_int(st, 1, project_id);
    db_bind_int(st, 2, x->campaign_id);
    db_bind_int(st, 3, x->unit_id);
    db_bind_text(st, 4, x->metric);
    db_bind_int(st, 5, x->day);
    db_bind_int(st, 6, x->reported);
    db_bind_int(st, 7, x->certified);
    rc = db_run(db, st, e);
  }
  return rc;
}

int figures_store_sum_all(Db *db, HzErr *e) {
  /* Zero sums are left out, as figures_store_replace never writes them. */
  static const char *const sql[] = {
    "INSERT INTO unit_figures (campaign_id, unit_id, metric, day, reported, certified)"
    " SELECT campaign_id, unit_id, metric, day, SUM(reported), SUM(certified) FROM project_figures"
    " GROUP BY campaign_id, unit_id, metric, day HAVING SUM(reported) <> 0 OR SUM(certified) <> 0",
    "INSERT INTO unit_totals (campaign_id, unit_id, metric, reported, certified)"
    " SELECT campaign_id, unit_id, metric, SUM(reported), SUM(certified) FROM unit_figures"
    " GROUP BY campaign_id, unit_id, metric HAVING SUM(reported) <> 0 OR SUM(certified) <> 0",
  };
  int rc = HZ_OK;
  for (size_t i = 0; i < sizeof sql / sizeof sql[0] && !rc; i++) {
    DbStmt *st = db_prepare(db, sql[i], e);
    rc = st ? db_run(db, st, e) : e->rc;
  }
  return rc;
}
