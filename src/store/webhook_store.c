#include "store/webhook_store.h"
#include "util/timeutil.h"
#include <string.h>

static json_t *text_or_null(DbStmt *st, int col) {
  return db_col_is_null(st, col) ? json_null() : json_string(db_col_text(st, col));
}
static json_t *int_or_null(DbStmt *st, int col) {
  return db_col_is_null(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

int webhook_store_targets(Db *db, int64_t campaign_id, json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db, "SELECT id, name, events FROM webhooks WHERE campaign_id = ? AND enabled = 1 ORDER BY id", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*out, json_pack("{s:I s:s s:s}", "id", (json_int_t)db_col_int(st, 0), "name",
                                          db_col_text(st, 1), "events", db_col_text(st, 2)));
  return r < 0 ? -r : HZ_OK;
}

int webhook_store_enqueue(Db *db, int64_t campaign_id, int64_t webhook_id, const char *webhook_name, const char *event,
                          const char *title, const char *text, const char *link, int64_t due_ms, int64_t *id,
                          HzErr *e) {
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  DbStmt *st = db_prepare(db,
                          "INSERT INTO webhook_deliveries (created_at, updated_at, campaign_id, webhook_id, webhook_name,"
                          " event, title, text, link, next_attempt_ms) VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                          " RETURNING id",
                          e);
  if (!st) return e->rc;
  db_bind_text(st, 1, now);
  db_bind_int(st, 2, campaign_id);
  db_bind_int(st, 3, webhook_id);
  db_bind_text(st, 4, webhook_name);
  db_bind_text(st, 5, event);
  db_bind_text(st, 6, title);
  db_bind_text(st, 7, text);
  db_bind_text(st, 8, link);
  db_bind_int(st, 9, due_ms);
  return db_run_returning(db, st, id, e);
}

int webhook_store_due(Db *db, int64_t now_ms, int64_t limit, json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db,
                          "SELECT id, next_attempt_ms FROM webhook_deliveries WHERE status = 'pending'"
                          " AND next_attempt_ms <= ? ORDER BY next_attempt_ms, id LIMIT ?",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, now_ms);
  db_bind_int(st, 2, limit);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*out, json_pack("{s:I s:I}", "id", (json_int_t)db_col_int(st, 0), "next_attempt_ms",
                                          (json_int_t)db_col_int(st, 1)));
  return r < 0 ? -r : HZ_OK;
}

int webhook_store_claim(Db *db, int64_t id, int64_t was_ms, int64_t lease_ms, int *claimed, HzErr *e) {
  *claimed = 0;
  DbStmt *st = db_prepare(db,
                          "UPDATE webhook_deliveries SET next_attempt_ms = ?3 WHERE id = ?1 AND status = 'pending'"
                          " AND next_attempt_ms = ?2",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, id);
  db_bind_int(st, 2, was_ms);
  db_bind_int(st, 3, lease_ms);
  int rc = db_run(db, st, e);
  if (!rc) *claimed = db_changes(db) == 1;
  return rc;
}

int webhook_store_delivery(Db *db, int64_t id, json_t **out, HzErr *e) {
  *out = NULL;
  DbStmt *st = db_prepare(db,
                          "SELECT d.id, d.campaign_id, d.webhook_id, d.event, d.title, d.text, d.attempts, d.status,"
                          " w.kind, w.url, w.secret, w.enabled FROM webhook_deliveries d"
                          " LEFT JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, id);
  int r = db_step(db, st, e);
  if (r == DB_ROW) {
    *out = json_pack("{s:I s:I s:o s:s s:s s:s s:I s:s s:o s:o s:o s:o}", "id", (json_int_t)db_col_int(st, 0),
                     "campaign_id", (json_int_t)db_col_int(st, 1), "webhook_id", int_or_null(st, 2), "event",
                     db_col_text(st, 3), "title", db_col_text(st, 4), "text", db_col_text(st, 5), "attempts",
                     (json_int_t)db_col_int(st, 6), "status", db_col_text(st, 7), "kind", text_or_null(st, 8), "url",
                     text_or_null(st, 9), "secret", text_or_null(st, 10), "enabled",
                     db_col_is_null(st, 11) ? json_null() : json_boolean(db_col_int(st, 11)));
    db_reset(st);
    return HZ_OK;
  }
  if (r < 0) return -r;
  return hz_fail(e, HZ_ENOTFOUND, NULL, "没有这条推送记录");
}

int webhook_store_attempt(Db *db, int64_t delivery_id, const char *at, long http_status, int64_t errcode,
                          const char *errmsg, const char *next_retry_at, const char *status, int64_t attempts,
                          int64_t next_ms, const char *sent_at, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO webhook_attempts (delivery_id, at, http_status, errcode, errmsg, next_retry_at)"
                          " VALUES (?, ?, ?, ?, ?, ?)",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, delivery_id);
  db_bind_text(st, 2, at);
  if (http_status) db_bind_int(st, 3, http_status);
  if (errcode != -1) db_bind_int(st, 4, errcode);
  db_bind_text(st, 5, errmsg && *errmsg ? errmsg : NULL);
  db_bind_text(st, 6, next_retry_at);
  int rc = db_run(db, st, e);
  if (rc) return rc;
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  st = db_prepare(db,
                  "UPDATE webhook_deliveries SET updated_at = ?2, status = ?3, attempts = ?4, next_attempt_ms = ?5,"
                  " sent_at = ?6 WHERE id = ?1",
                  e);
  if (!st) return e->rc;
  db_bind_int(st, 1, delivery_id);
  db_bind_text(st, 2, now);
  db_bind_text(st, 3, status);
  db_bind_int(st, 4, attempts);
  if (next_ms) db_bind_int(st, 5, next_ms);
  db_bind_text(st, 6, sent_at);
  return db_run(db, st, e);
}

/* Fills each item's attempts, oldest first. */
static int attempts_of(Db *db, json_t *items, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT at, http_status, errcode, errmsg, next_retry_at FROM webhook_attempts"
                          " WHERE delivery_id = ? ORDER BY id",
                          e);
  if (!st) return e->rc;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    db_reset(st);
    db_bind_int(st, 1, json_integer_value(json_object_get(it, "id")));
    json_t *list = json_array();
    json_object_set_new(it, "attempt_log", list);
    int r;
    while ((r = db_step(db, st, e)) == DB_ROW)
      json_array_append_new(list, json_pack("{s:s s:o s:o s:o s:o}", "at", db_col_text(st, 0), "http_status",
                                            int_or_null(st, 1), "errcode", int_or_null(st, 2), "errmsg",
                                            text_or_null(st, 3), "next_retry_at", text_or_null(st, 4)));
    if (r < 0) return -r;
  }
  return HZ_OK;
}

#define LOG_WHERE " FROM webhook_deliveries WHERE campaign_id = ?1 AND (CAST(?2 AS BIGINT) = 0 OR webhook_id = ?2)"

int webhook_store_log(Db *db, int64_t campaign_id, int64_t webhook_id, int64_t limit, int64_t offset, json_t **items,
                      int64_t *total, HzErr *e) {
  *items = json_array();
  *total = 0;
  DbStmt *st = db_prepare(db, "SELECT COUNT(*)" LOG_WHERE, e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_int(st, 2, webhook_id);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  *total = db_col_int(st, 0);
  db_reset(st);
  st = db_prepare(db,
                  "SELECT id, created_at, webhook_id, webhook_name, event, title, text, link, status, attempts,"
                  " next_attempt_ms, sent_at" LOG_WHERE " ORDER BY id DESC LIMIT ?3 OFFSET ?4",
                  e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_int(st, 2, webhook_id);
  db_bind_int(st, 3, limit);
  db_bind_int(st, 4, offset);
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*items,
                          json_pack("{s:I s:s s:o s:s s:s s:s s:s s:o s:s s:I s:o s:o}", "id",
                                    (json_int_t)db_col_int(st, 0), "created_at", db_col_text(st, 1), "webhook_id",
                                    int_or_null(st, 2), "webhook_name", db_col_text(st, 3), "event",
                                    db_col_text(st, 4), "title", db_col_text(st, 5), "text", db_col_text(st, 6),
                                    "link", text_or_null(st, 7), "status", db_col_text(st, 8), "attempts",
                                    (json_int_t)db_col_int(st, 9), "next_attempt_ms", int_or_null(st, 10), "sent_at",
                                    text_or_null(st, 11)));
  if (r < 0) return -r;
  return attempts_of(db, *items, e);
}
