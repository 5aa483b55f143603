#include "store/target_store.h"

#define PARTS(cond, what)                                                                                   \
  "(SELECT " what " FROM targets p WHERE p.campaign_id = t.campaign_id AND p.scope = t.scope"              \
  " AND p.unit_id = t.unit_id AND p.metric = t.metric AND p." cond " IS NOT NULL)"

/* BIGINT: PostgreSQL's SUM of BIGINT is NUMERIC. */
#define SUM_VALUE "CAST(COALESCE(SUM(p.value), 0) AS BIGINT)"

int target_store_decomposition(Db *db, int64_t campaign_id, int64_t scope_unit, json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db,
                          "SELECT t.id, t.unit_id, t.scope, t.metric, t.value, " PARTS("section_id", SUM_VALUE)
                          ", " PARTS("section_id", "COUNT(*)") ", " PARTS("user_id", SUM_VALUE) ", "
                          PARTS("user_id", "COUNT(*)")
                          " FROM targets t WHERE t.campaign_id = ?1 AND t.section_id IS NULL AND t.user_id IS NULL"
                          " AND (CAST(?2 AS BIGINT) = 0 OR t.unit_id = ?2) ORDER BY t.unit_id, t.scope, t.metric",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_int(st, 2, scope_unit);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*out, json_pack("{s:I s:I s:s s:s s:I s:I s:I s:I s:I}", "target_id",
                                          (json_int_t)db_col_int(st, 0), "unit_id", (json_int_t)db_col_int(st, 1),
                                          "scope", db_col_text(st, 2), "metric", db_col_text(st, 3), "value",
                                          (json_int_t)db_col_int(st, 4), "sections_sum", (json_int_t)db_col_int(st, 5),
                                          "sections_count", (json_int_t)db_col_int(st, 6), "people_sum",
                                          (json_int_t)db_col_int(st, 7), "people_count", (json_int_t)db_col_int(st, 8)));
  return r < 0 ? -r : HZ_OK;
}
