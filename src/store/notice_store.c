/* The notifications' read marks (table notification_reads). */
#include "store/notice_store.h"

static int one_int(Db *db, const char *sql, int64_t id, int64_t *out, HzErr *e) {
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e->rc;
  if (id >= 0) db_bind_int(st, 1, id);
  int s = db_step(db, st, e);
  *out = s == DB_ROW ? db_col_int(st, 0) : 0;
  db_reset(st);
  return s < 0 ? -s : HZ_OK;
}

int notice_store_seen_get(Db *db, int64_t user_id, int64_t *last, HzErr *e) {
  return one_int(db, "SELECT last_seen_id FROM notification_reads WHERE user_id = ?", user_id, last, e);
}

int notice_store_seen_set(Db *db, int64_t user_id, int64_t up_to, const char *now, int64_t *stored, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO notification_reads (user_id, last_seen_id, updated_at) VALUES (?1, ?2, ?3)"
                          " ON CONFLICT(user_id) DO UPDATE SET last_seen_id = CASE WHEN excluded.last_seen_id >"
                          " notification_reads.last_seen_id THEN excluded.last_seen_id ELSE notification_reads.last_seen_id END,"
                          " updated_at = excluded.updated_at",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, up_to);
  db_bind_text(st, 3, now);
  int rc = db_run(db, st, e);
  if (!rc) rc = notice_store_seen_get(db, user_id, stored, e);
  return rc;
}

int notice_store_max_id(Db *db, int64_t *max, HzErr *e) {
  return one_int(db, "SELECT coalesce(max(id), 0) FROM notifications", -1, max, e);
}
