#include "store/duplicates_store.h"

int duplicates_store_claims(Db *db, int64_t campaign_id, json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db,
                          "SELECT p.id, p.name, p.lead_unit_id, p.investor_id, i.name, i.kind FROM projects p"
                          " JOIN investors i ON i.id = p.investor_id"
                          " WHERE p.campaign_id = ?1 AND p.duplicate_of IS NULL ORDER BY p.id",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*out, json_pack("{s:I s:s s:I s:I s:s s:s}", "id", (json_int_t)db_col_int(st, 0), "name",
                                          db_col_text(st, 1), "lead_unit_id", (json_int_t)db_col_int(st, 2),
                                          "investor_id", (json_int_t)db_col_int(st, 3), "investor_name",
                                          db_col_text(st, 4), "investor_kind", db_col_text(st, 5)));
  return r < 0 ? -r : HZ_OK;
}

int duplicates_store_dismissed(Db *db, int64_t campaign_id, json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db,
                          "SELECT d.project_a, d.project_b FROM duplicate_dismissals d"
                          " JOIN projects p ON p.id = d.project_a WHERE p.campaign_id = ?1"
                          " ORDER BY d.project_a, d.project_b",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*out, json_pack("[I I]", (json_int_t)db_col_int(st, 0), (json_int_t)db_col_int(st, 1)));
  return r < 0 ? -r : HZ_OK;
}
