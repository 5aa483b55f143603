#include "store/project_store.h"

int project_store_set_children_unit(Db *db, int64_t project_id, int64_t unit_id, HzErr *e) {
  static const char *const sql[] = {
    "UPDATE stage_changes SET unit_id = ?2 WHERE project_id = ?1",
    "UPDATE follow_ups SET unit_id = ?2 WHERE project_id = ?1",
    "UPDATE funds SET unit_id = ?2 WHERE project_id = ?1",
  };
  int rc = HZ_OK;
  for (size_t i = 0; i < sizeof sql / sizeof sql[0] && !rc; i++) {
    DbStmt *st = db_prepare(db, sql[i], e);
    if (!st) return e->rc;
    db_bind_int(st, 1, project_id);
    db_bind_int(st, 2, unit_id);
    rc = db_run(db, st, e);
  }
  return rc;
}

int project_store_latest_move(Db *db, int64_t project_id, int64_t *id, HzErr *e) {
  DbStmt *st = db_prepare(db, "SELECT COALESCE(MAX(id), 0) FROM stage_changes WHERE project_id = ? AND status <> 'rejected'", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, project_id);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  *id = db_col_int(st, 0);
  db_reset(st);
  return HZ_OK;
}

int project_store_standing_contract(Db *db, int64_t project_id, int64_t *value, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT COALESCE((SELECT contract_value FROM stage_changes WHERE project_id = ? AND status <> 'rejected'"
                          " AND contract_value IS NOT NULL ORDER BY id DESC LIMIT 1), 0)",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, project_id);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  *value = db_col_int(st, 0);
  db_reset(st);
  return HZ_OK;
}
