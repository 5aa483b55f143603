#include "store/progress_store.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Collects rows as objects of `keys` (type letters: i integer, s text). With `tail`, the
 * integer in the column after the keys' goes there (the last row's). */
static int collect_tail(DbStmt *st, Db *db, const char *const *keys, const char *types, json_t *out, int64_t *tail,
                        HzErr *e) {
  int r, n = 0;
  while (keys[n]) n++;
  while ((r = db_step(db, st, e)) == DB_ROW) {
    if (tail) *tail = db_col_int(st, n);
    json_t *o = json_object();
    for (int c = 0; keys[c]; c++)
      json_object_set_new(o, keys[c], db_col_is_null(st, c) ? json_null()
                                      : types[c] == 'i'     ? json_integer(db_col_int(st, c))
                                                            : json_string(db_col_text(st, c)));
    json_array_append_new(out, o);
  }
  return r < 0 ? -r : HZ_OK;
}

static int collect(DbStmt *st, Db *db, const char *const *keys, const char *types, json_t *out, HzErr *e) {
  return collect_tail(st, db, keys, types, out, NULL, e);
}

static int count(Db *db, DbStmt *st, int64_t *total, HzErr *e) {
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  *total = db_col_int(st, 0);
  db_reset(st);
  return HZ_OK;
}

#define STALE_UNIT                                                                                          \
  " AND (CAST(?3 AS BIGINT) = 0 OR p.lead_unit_id = ?3"                                                     \
  " OR p.id IN (SELECT project_id FROM project_units WHERE unit_id = ?3))"
/* As things stand (as of today or later): the stored stage and last activity date. */
#define STALE_NOW                                                                                           \
  " FROM projects p WHERE p.campaign_id = ?1 AND p.stage IN ('lead', 'negotiating')"                     \
  " AND p.duplicate_of IS NULL AND p.last_activity_date <= ?2" STALE_UNIT
/* As of an earlier day ?4 (docs/figures.md: a figure as of a day counts what happened on
 * or before that day). Quiet since ?2 means: recorded by then and no follow-up after it
 * up to the day, which the follow-ups' (project_id, date) index answers; only for those
 * is the stage of the day looked up, and not even then for a project still at lead or
 * negotiating today, which stood there on that day too (stages only move forward). */
#define STALE_THEN                                                                                          \
  " FROM (SELECT p.id, p.name, p.lead_unit_id, p.responsible_user_id,"                                    \
  " CASE WHEN p.stage IN ('lead', 'negotiating') AND NOT EXISTS (SELECT 1 FROM stage_changes s"            \
  " WHERE s.project_id = p.id AND s.status <> 'rejected' AND s.date > ?4) THEN p.stage ELSE"              \
  " COALESCE((SELECT s.to_stage FROM stage_changes s WHERE s.project_id = p.id AND s.status <> 'rejected'" \
  " AND s.date <= ?4 ORDER BY s.id DESC LIMIT 1), 'lead') END AS stage,"                                  \
  " (SELECT CASE WHEN MAX(f.date) > p.lead_date THEN MAX(f.date) ELSE p.lead_date END FROM follow_ups f"   \
  " WHERE f.project_id = p.id AND f.date <= ?2) AS last_activity_date"                                    \
  " FROM projects p WHERE p.campaign_id = ?1 AND p.duplicate_of IS NULL AND p.lead_date <= ?2" STALE_UNIT   \
  " AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.project_id = p.id AND f.date > ?2 AND f.date <= ?4)" \
  ") p WHERE p.stage IN ('lead', 'negotiating')"
#define STALE_COLS                                                                                          \
  "SELECT p.id, p.name, p.lead_unit_id, (SELECT name FROM units WHERE id = p.lead_unit_id), p.stage,"     \
  " p.last_activity_date, p.responsible_user_id,"                                                         \
  " (SELECT name FROM users WHERE id = p.responsible_user_id),"                                           \
  " (SELECT phone FROM users WHERE id = p.responsible_user_id)"
/* The page's parameters follow the others: PostgreSQL cannot type a parameter number that
 * a statement skips. */
#define STALE_ORDER(limit, offset) " ORDER BY p.last_activity_date, p.id LIMIT " limit " OFFSET " offset

static void stale_bind(DbStmt *st, int64_t campaign_id, const char *quiet_since, const char *as_of, const Page *p) {
  db_bind_int(st, 1, campaign_id);
  db_bind_text(st, 2, quiet_since);
  db_bind_int(st, 3, p->unit_id);
  if (as_of) db_bind_text(st, 4, as_of);
}

static const char *const stale_keys[] = {"project_id",          "name",          "unit_id",
                                         "unit_name",           "stage",         "last_activity_date",
                                         "responsible_user_id", "responsible_name", "responsible_phone", NULL};

int progress_store_stale_page_now(Db *db, int64_t campaign_id, const char *quiet_since, const Page *p, json_t **items,
                                  HzErr *e) {
  *items = json_array();
  DbStmt *st = db_prepare(db, STALE_COLS STALE_NOW STALE_ORDER("?4", "?5"), e);
  if (!st) return e->rc;
  stale_bind(st, campaign_id, quiet_since, NULL, p);
  db_bind_int(st, 4, p->limit);
  db_bind_int(st, 5, p->offset);
  return collect(st, db, stale_keys, "isisssiss", *items, e);
}

int progress_store_stale(Db *db, int64_t campaign_id, const char *quiet_since, const char *as_of, const Page *p,
                         json_t **items, int64_t *total, HzErr *e) {
  *items = json_array();
  *total = -1;
  int rc = HZ_OK;
  if (as_of) {
    /* As of a past day every candidate is looked at once: the page and, beside each of
     * its rows, how many there are in all. */
    DbStmt *st = db_prepare(db, STALE_COLS ", COUNT(*) OVER ()" STALE_THEN STALE_ORDER("?5", "?6"), e);
    if (!st) return e->rc;
    stale_bind(st, campaign_id, quiet_since, as_of, p);
    db_bind_int(st, 5, p->limit);
    db_bind_int(st, 6, p->offset);
    if ((rc = collect_tail(st, db, stale_keys, "isisssiss", *items, total, e))) return rc;
    if (*total >= 0) return HZ_OK; /* else the page is past the end: count them on their own */
  }
  DbStmt *st = db_prepare(db, as_of ? "SELECT COUNT(*)" STALE_THEN : "SELECT COUNT(*)" STALE_NOW, e);
  if (!st) return e->rc;
  stale_bind(st, campaign_id, quiet_since, as_of, p);
  if ((rc = count(db, st, total, e)) || as_of) return rc;
  json_decref(*items);
  return progress_store_stale_page_now(db, campaign_id, quiet_since, p, items, e);
}

/* The kept stale state's reads (progress_store.h): a whole table in order, a chunk at a time
 * (a province: millions of rows). With fns, the kind of each row (column 0) picks its fn. */
static int stale_walk(Db *db, const char *sql, int64_t project_id, ProgressStaleFn fn, const ProgressStaleFn *fns,
                      void *ctx, HzErr *e) {
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e->rc;
  if (project_id) db_bind_int(st, 1, project_id);
  else db_chunked(st);
  int r, rc = HZ_OK, c = fns ? 1 : 0;
  while (!rc && (r = db_step(db, st, e)) == DB_ROW) {
    ProgressStaleFn f = fns ? fns[db_col_int(st, 0) % 3] : fn;
    rc = f(ctx, db_col_int(st, c), db_col_int(st, c + 1), db_col_int(st, c + 2), (int)db_col_int(st, c + 3),
           db_col_text(st, c + 4), db_col_text(st, c + 5), e);
  }
  if (rc) db_reset(st);
  return rc ? rc : r < 0 ? -r : HZ_OK;
}

#define STALE_PROJECTS                                                                                      \
  "SELECT id, campaign_id, lead_unit_id, CASE WHEN duplicate_of IS NULL THEN 0 ELSE 1 END, lead_date, stage" \
  " FROM projects"
int progress_store_stale_projects(Db *db, ProgressStaleFn fn, void *ctx, HzErr *e) {
  return stale_walk(db, STALE_PROJECTS " ORDER BY id", 0, fn, NULL, ctx, e);
}
/* Read off the (project_id, date) index alone. */
#define STALE_FOLLOW_UPS "SELECT project_id, 0, 0, 0, date, NULL FROM follow_ups"
int progress_store_stale_follow_ups(Db *db, ProgressStaleFn fn, void *ctx, HzErr *e) {
  return stale_walk(db, STALE_FOLLOW_UPS " ORDER BY project_id, date", 0, fn, NULL, ctx, e);
}
#define STALE_MOVES "SELECT project_id, 0, 0, 0, date, to_stage FROM stage_changes WHERE status <> 'rejected'"
int progress_store_stale_moves(Db *db, ProgressStaleFn fn, void *ctx, HzErr *e) {
  return stale_walk(db, STALE_MOVES " ORDER BY project_id, id", 0, fn, NULL, ctx, e);
}
/* The three for one project in one round trip: kind, the walk's columns, then the key
 * each kind is ordered by (a follow-up's date, a move's id). */
int progress_store_stale_project(Db *db, int64_t project_id, const ProgressStaleFn fns[3], void *ctx, HzErr *e) {
  return stale_walk(db,
                    "SELECT 0, id, campaign_id, lead_unit_id, CASE WHEN duplicate_of IS NULL THEN 0 ELSE 1 END,"
                    " lead_date, stage, 0 FROM projects WHERE id = ?1"
                    " UNION ALL SELECT 1, project_id, 0, 0, 0, date, NULL, 0 FROM follow_ups WHERE project_id = ?1"
                    " UNION ALL SELECT 2, project_id, 0, 0, 0, date, to_stage, id FROM stage_changes"
                    " WHERE status <> 'rejected' AND project_id = ?1 ORDER BY 1, 8, 6",
                    project_id, NULL, fns, ctx, e);
}

int progress_store_stale_row(Db *db, int64_t id, const char *stage, const char *last_activity, json_t *items,
                             HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT p.name, p.lead_unit_id, (SELECT name FROM units WHERE id = p.lead_unit_id),"
                          " p.responsible_user_id, (SELECT name FROM users WHERE id = p.responsible_user_id),"
                          " (SELECT phone FROM users WHERE id = p.responsible_user_id) FROM projects p WHERE p.id = ?",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, id);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  if (r == DB_DONE) return hz_fail(e, HZ_ENOTFOUND, NULL, "项目 %lld 不存在", (long long)id);
#define TEXT_OR_NULL(c) (db_col_is_null(st, c) ? json_null() : json_string(db_col_text(st, c)))
  /* The keys in the order of the SQL path's rows (progress_store_stale), so both write the same bytes. */
  json_t *o = json_object();
  json_object_set_new(o, "project_id", json_integer(id));
  json_object_set_new(o, "name", TEXT_OR_NULL(0));
  json_object_set_new(o, "unit_id", json_integer(db_col_int(st, 1)));
  json_object_set_new(o, "unit_name", TEXT_OR_NULL(2));
  json_object_set_new(o, "stage", json_string(stage));
  json_object_set_new(o, "last_activity_date", json_string(last_activity));
  json_object_set_new(o, "responsible_user_id", db_col_is_null(st, 3) ? json_null() : json_integer(db_col_int(st, 3)));
  json_object_set_new(o, "responsible_name", TEXT_OR_NULL(4));
  json_object_set_new(o, "responsible_phone", TEXT_OR_NULL(5));
#undef TEXT_OR_NULL
  db_reset(st);
  return json_array_append_new(items, o) ? hz_fail(e, HZ_ENOMEM, NULL, "内存不足") : HZ_OK;
}

int progress_store_co_owned(Db *db, int64_t unit_id, int64_t **ids, size_t *n, HzErr *e) {
  *ids = NULL;
  *n = 0;
  DbStmt *st = db_prepare(db, "SELECT project_id FROM project_units WHERE unit_id = ? ORDER BY project_id", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, unit_id);
  size_t cap = 0;
  int r, rc = HZ_OK;
  while (!rc && (r = db_step(db, st, e)) == DB_ROW) {
    if (*n == cap) {
      int64_t *more = realloc(*ids, (cap = cap ? cap * 2 : 64) * sizeof *more);
      if (!more) {
        rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
        break;
      }
      *ids = more;
    }
    (*ids)[(*n)++] = db_col_int(st, 0);
  }
  if (rc) db_reset(st);
  else if (r < 0) rc = -r;
  if (rc) {
    free(*ids);
    *ids = NULL;
    *n = 0;
  }
  return rc;
}

#define QUEUE_ROWS                                                                                             \
  "SELECT 'stage_change' AS kind, s.id AS id, s.project_id, p.name AS project_name, s.unit_id, s.date,"       \
  " s.to_stage AS detail, s.contract_value AS amount, s.created_at FROM stage_changes s"                     \
  " JOIN projects p ON p.id = s.project_id WHERE s.campaign_id = ?1 AND s.status = 'reported'"              \
  " AND s.to_stage IN ('signed', 'started', 'completed')"                                                    \
  " UNION ALL SELECT 'fund', f.id, f.project_id, p.name, f.unit_id, f.date, f.kind, f.amount, f.created_at"  \
  " FROM funds f JOIN projects p ON p.id = f.project_id WHERE f.campaign_id = ?1 AND f.status = 'reported'"
/* The derived table is named (q): PostgreSQL before 16 refuses one without a name. */
#define QUEUE_FILTER " WHERE (CAST(?2 AS TEXT) IS NULL OR kind = ?2) AND (CAST(?3 AS BIGINT) = 0 OR unit_id = ?3)"

int progress_store_queue(Db *db, int64_t campaign_id, const char *kind, const Page *p, json_t **items, int64_t *total,
                         HzErr *e) {
  static const char *const keys[] = {"kind", "id", "project_id", "project_name", "unit_id", "date", "detail",
                                     "amount", "created_at", NULL};
  *items = json_array();
  DbStmt *st = db_prepare(db, "SELECT COUNT(*) FROM (" QUEUE_ROWS ") q" QUEUE_FILTER, e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_text(st, 2, kind);
  db_bind_int(st, 3, p->unit_id);
  int rc = count(db, st, total, e);
  if (rc) return rc;
  st = db_prepare(db, "SELECT * FROM (" QUEUE_ROWS ") q" QUEUE_FILTER " ORDER BY created_at, kind, id LIMIT ?4 OFFSET ?5",
                  e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_text(st, 2, kind);
  db_bind_int(st, 3, p->unit_id);
  db_bind_int(st, 4, p->limit);
  db_bind_int(st, 5, p->offset);
  return collect(st, db, keys, "siisissis", *items, e);
}

int progress_store_dismiss(Db *db, int64_t a, int64_t b, HzErr *e) {
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  DbStmt *st = db_prepare(db,
                          "INSERT INTO duplicate_dismissals (project_a, project_b, created_at) VALUES (?, ?, ?)"
                          " ON CONFLICT DO NOTHING",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, a < b ? a : b);
  db_bind_int(st, 2, a < b ? b : a);
  db_bind_text(st, 3, now);
  return db_run(db, st, e);
}

int snapshot_store_insert(Db *db, int64_t campaign_id, const char *as_of, const char *label, int64_t by,
                          const char *figures, const char *sha256, int64_t *id, HzErr *e) {
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  DbStmt *st = db_prepare(db,
                          "INSERT INTO snapshots (campaign_id, as_of, label, created_at, created_by, figures, sha256)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_text(st, 2, as_of);
  db_bind_text(st, 3, label);
  db_bind_text(st, 4, now);
  if (by) db_bind_int(st, 5, by);
  else db_bind_null(st, 5);
  db_bind_text(st, 6, figures);
  db_bind_text(st, 7, sha256);
  int rc = db_run_returning(db, st, id, e);
  return rc;
}

static json_t *snapshot_row(DbStmt *st, int with_figures) {
  json_t *o = json_pack("{s:I s:I s:s s:s s:s s:o s:s}", "id", (json_int_t)db_col_int(st, 0), "campaign_id",
                        (json_int_t)db_col_int(st, 1), "as_of", db_col_text(st, 2), "label", db_col_text(st, 3),
                        "created_at", db_col_text(st, 4), "created_by",
                        db_col_is_null(st, 5) ? json_null() : json_integer(db_col_int(st, 5)), "sha256",
                        db_col_text(st, 6));
  if (with_figures) {
    json_t *f = json_loads(db_col_text(st, 7), 0, NULL);
    json_object_set_new(o, "figures", f ? f : json_null());
  }
  return o;
}

#define SNAPSHOT_COLS "SELECT id, campaign_id, as_of, label, created_at, created_by, sha256, figures FROM snapshots"

int snapshot_store_get(Db *db, int64_t id, int with_figures, json_t **out, HzErr *e) {
  *out = NULL;
  DbStmt *st = db_prepare(db, SNAPSHOT_COLS " WHERE id = ?", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, id);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  if (r == DB_DONE) return hz_fail(e, HZ_ENOTFOUND, NULL, "快照 %lld 不存在", (long long)id);
  *out = snapshot_row(st, with_figures);
  db_reset(st);
  return HZ_OK;
}

int snapshot_store_list(Db *db, int64_t campaign_id, int64_t limit, int64_t offset, json_t **items, int64_t *total,
                        HzErr *e) {
  *items = json_array();
  *total = 0;
  DbStmt *st = db_prepare(db, "SELECT COUNT(*) FROM snapshots WHERE campaign_id = ?", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  *total = db_col_int(st, 0);
  db_reset(st);
  if (!(st = db_prepare(db, SNAPSHOT_COLS " WHERE campaign_id = ? ORDER BY id LIMIT ? OFFSET ?", e))) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_int(st, 2, limit);
  db_bind_int(st, 3, offset);
  while ((r = db_step(db, st, e)) == DB_ROW) json_array_append_new(*items, snapshot_row(st, 0));
  return r < 0 ? -r : HZ_OK;
}

int snapshot_store_get_figures(Db *db, int64_t id, json_t **figures, HzErr *e) {
  json_t *snap = NULL;
  int rc = snapshot_store_get(db, id, 1, &snap, e);
  *figures = rc ? NULL : json_incref(json_object_get(snap, "figures"));
  json_decref(snap);
  return rc;
}

int progress_store_each_sum_until(Db *db, int64_t campaign_id, int day, ProgressSumFn fn, ProgressStayFn stay,
                                  void *ctx, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT t.unit_id, t.metric, t.reported - CAST(COALESCE(SUM(f.reported), 0) AS BIGINT),"
                          " t.certified - CAST(COALESCE(SUM(f.certified), 0) AS BIGINT) FROM unit_totals t"
                          " LEFT JOIN unit_figures f ON f.campaign_id = t.campaign_id AND f.unit_id = t.unit_id"
                          " AND f.metric = t.metric AND f.day > ?2"
                          " WHERE t.campaign_id = ?1 GROUP BY t.unit_id, t.metric, t.reported, t.certified"
                          " ORDER BY t.unit_id, t.metric",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_int(st, 2, day);
  int r, rc = HZ_OK;
  while ((r = db_step(db, st, e)) == DB_ROW)
    fn(ctx, db_col_int(st, 0), db_col_text(st, 1), db_col_int(st, 2), db_col_int(st, 3));
  if (r < 0) return -r;
  st = db_prepare(db,
                  "SELECT t.unit_id, t.stage, t.days, t.stays - CAST(COALESCE(SUM(f.stays), 0) AS BIGINT)"
                  " FROM unit_stay_totals t"
                  " LEFT JOIN unit_stays f ON f.campaign_id = t.campaign_id AND f.unit_id = t.unit_id"
                  " AND f.stage = t.stage AND f.days = t.days AND f.day > ?2"
                  " WHERE t.campaign_id = ?1 GROUP BY t.unit_id, t.stage, t.days, t.stays"
                  " ORDER BY t.unit_id, t.stage, t.days",
                  e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_int(st, 2, day);
  while (!rc && (r = db_step(db, st, e)) == DB_ROW)
    rc = stay(ctx, db_col_int(st, 0), db_col_text(st, 1), (int)db_col_int(st, 2), db_col_int(st, 3), e);
  if (rc) db_reset(st);
  return rc ? rc : r < 0 ? -r : HZ_OK;
}
