#include "store/audit_store.h"
#include "domain/audit.h"
#include "store/meta_store.h"
#include "util/json_text.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <stdlib.h>
#include <string.h>

/* json_dumps(JSON_COMPACT | JSON_SORT_KEYS) byte for byte, a few times cheaper (every
 * audited write dumps the record as it was and as it is). */
static char *dump(json_t *j) { return j ? json_text_sorted(j, NULL) : NULL; }

static int meta_get(Db *db, const char *key, char *out, size_t n, HzErr *e) {
  DbStmt *st = db_prepare(db, "SELECT value FROM meta WHERE key = ?", e);
  if (!st) return e->rc;
  db_bind_text(st, 1, key);
  int s = db_step(db, st, e);
  if (s < 0) return -s;
  snprintf(out, n, "%s", s == DB_ROW && db_col_text(st, 0) ? db_col_text(st, 0) : "");
  db_reset(st);
  return HZ_OK;
}

/* The chain's head, length and seal in meta, in one statement (every audited write runs
 * it). The seal's row exists once the chain is keyed (audit_store_seal made it); an
 * unkeyed chain has none, and the statement then updates the other two. */
static int chain_set(Db *db, const char *head, int64_t count, HzErr *e) {
  char seal[SHA256_HEX_LEN], count_s[32];
  audit_seal(count, head, seal);
  snprintf(count_s, sizeof count_s, "%lld", (long long)count);
  DbStmt *st = db_prepare(db,
                          "UPDATE meta SET value = CASE key WHEN 'audit_head' THEN CAST(?1 AS TEXT)"
                          " WHEN 'audit_count' THEN CAST(?2 AS TEXT) ELSE CAST(?3 AS TEXT) END"
                          " WHERE key IN ('audit_head', 'audit_count', 'audit_seal')",
                          e);
  if (!st) return e->rc;
  db_bind_text(st, 1, head);
  db_bind_text(st, 2, count_s);
  db_bind_text(st, 3, seal);
  return db_run(db, st, e);
}

/* Entries appended by this thread since audit_store_appended_take last looked. */
static _Thread_local int appended;

int audit_store_appended_take(void) {
  int was = appended;
  appended = 0;
  return was;
}

int audit_store_head(Db *db, char head[SHA256_HEX_LEN], int64_t *count, HzErr *e) {
  char count_s[32];
  int rc = meta_get(db, "audit_head", head, SHA256_HEX_LEN, e);
  if (!rc) rc = meta_get(db, "audit_count", count_s, sizeof count_s, e);
  *count = rc ? 0 : strtoll(count_s, NULL, 10);
  return rc;
}

int audit_store_seal(Db *db, int64_t count, const char *head, HzErr *e) {
  char seal[SHA256_HEX_LEN];
  audit_seal(count, head, seal);
  return seal[0] ? meta_store_put(db, "audit_seal", seal, e) : HZ_OK;
}

int audit_store_accounts(Db *db, int64_t *n, HzErr *e) { return db_query_int(db, "SELECT COUNT(*) FROM users", n, e); }

/* A batch (audit_store_batch_begin): the chain's head, its length and the revision bumps
 * not yet written to meta, for the one Db a thread batches on. */
static _Thread_local struct {
  Db *db;
  char head[SHA256_HEX_LEN];
  int64_t count, bumps;
} batch;

int audit_store_append(Db *db, const Actor *actor, const char *action, const char *entity, int64_t entity_id,
                       json_t *before, json_t *after, HzErr *e) {
  char prev[SHA256_HEX_LEN], count_s[32], hash[SHA256_HEX_LEN], now[TIMESTAMP_LEN];
  int rc = HZ_OK, batched = batch.db == db;
  if (batched) {
    memcpy(prev, batch.head, sizeof prev);
    snprintf(count_s, sizeof count_s, "%lld", (long long)batch.count);
  } else {
    rc = meta_get(db, "audit_head", prev, sizeof prev, e);
    if (!rc) rc = meta_get(db, "audit_count", count_s, sizeof count_s, e);
  }
  if (rc) return rc;
  time_now_iso(now);
  char *b = dump(before), *a = dump(after);
  AuditEntry en = {.id = strtoll(count_s, NULL, 10) + 1, .at = now, .user_id = actor ? actor->id : 0,
                   .action = action, .entity = entity, .entity_id = entity_id, .before = b, .after = a,
                   .prev_hash = prev};
  audit_entry_hash(&en, hash);
  DbStmt *st = db_prepare(db,
                          "INSERT INTO audit_log (id, at, user_id, action, entity, entity_id, before, after,"
                          " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          e);
  if (!st) rc = e->rc;
  else {
    db_bind_int(st, 1, en.id);
    db_bind_text(st, 2, now);
    if (en.user_id) db_bind_int(st, 3, en.user_id);
    else db_bind_null(st, 3);
    db_bind_text(st, 4, action);
    db_bind_text(st, 5, entity);
    db_bind_int(st, 6, entity_id);
    db_bind_text(st, 7, b);
    db_bind_text(st, 8, a);
    db_bind_text(st, 9, prev);
    db_bind_text(st, 10, hash);
    rc = db_run(db, st, e);
  }
  if (!rc) appended = 1;
  if (batched) {
    if (!rc) {
      memcpy(batch.head, hash, sizeof batch.head);
      batch.count = en.id;
      batch.bumps++;
    }
    free(b);
    free(a);
    return rc;
  }
  if (!rc) rc = chain_set(db, hash, en.id, e);
  if (!rc) {
    st = db_prepare(db, "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'revision'", e);
    rc = st ? db_run(db, st, e) : e->rc;
  }
  free(b);
  free(a);
  return rc;
}

int audit_store_batch_begin(Db *db, HzErr *e) {
  char count_s[32];
  if (batch.db) return hz_fail(e, HZ_EDB, NULL, "数据库错误：审计批次已打开");
  int rc = meta_get(db, "audit_head", batch.head, sizeof batch.head, e);
  if (!rc) rc = meta_get(db, "audit_count", count_s, sizeof count_s, e);
  if (rc) return rc;
  batch.count = strtoll(count_s, NULL, 10);
  batch.bumps = 0;
  batch.db = db;
  return HZ_OK;
}

int audit_store_batch_end(Db *db, HzErr *e) {
  if (batch.db != db) return hz_fail(e, HZ_EDB, NULL, "数据库错误：没有打开的审计批次");
  int64_t bumps = batch.bumps;
  batch.db = NULL; /* from here on appends go to meta again */
  if (!bumps) return HZ_OK;
  int rc = chain_set(db, batch.head, batch.count, e);
  if (!rc) {
    DbStmt *st = db_prepare(db,
                            "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + CAST(? AS BIGINT) AS TEXT)"
                            " WHERE key = 'revision'",
                            e);
    if (st) db_bind_int(st, 1, bumps);
    rc = st ? db_run(db, st, e) : e->rc;
  }
  return rc;
}

void audit_store_batch_abort(Db *db) {
  if (batch.db == db) batch.db = NULL;
}

int audit_store_verify(Db *db, int64_t *count, HzErr *e) {
  *count = 0;
  char head[SHA256_HEX_LEN], count_s[32];
  int rc = meta_get(db, "audit_head", head, sizeof head, e);
  if (!rc) rc = meta_get(db, "audit_count", count_s, sizeof count_s, e);
  if (rc) return rc;
  DbStmt *st = db_prepare(db,
                          "SELECT id, at, user_id, action, entity, entity_id, before, after, prev_hash, hash"
                          " FROM audit_log ORDER BY id",
                          e);
  if (!st) return e->rc;
  char prev[SHA256_HEX_LEN] = "";
  int64_t expect_id = 1;
  int s;
  while ((s = db_step(db, st, e)) == DB_ROW) {
    /* Read before the columns are converted: the hash reads SQL NULL as 0, so a user_id of
     * 0 (the system is NULL) and a NULL entity_id, which append never writes, are edits. */
    int null_ids = (!db_col_is_null(st, 2) && db_col_int(st, 2) == 0) || db_col_is_null(st, 5);
    AuditEntry en = {.id = db_col_int(st, 0), .at = db_col_text(st, 1), .user_id = db_col_int(st, 2),
                     .action = db_col_text(st, 3), .entity = db_col_text(st, 4), .entity_id = db_col_int(st, 5),
                     .before = db_col_text(st, 6), .after = db_col_text(st, 7), .prev_hash = db_col_text(st, 8)};
    const char *stored = db_col_text(st, 9);
    char hash[SHA256_HEX_LEN];
    if (en.id != expect_id) {
      rc = hz_fail(e, HZ_EIO, NULL, "entry %lld: missing (deleted) before entry %lld", (long long)expect_id,
                   (long long)en.id);
      break;
    }
    if (!en.prev_hash || strcmp(en.prev_hash, prev) != 0) {
      rc = hz_fail(e, HZ_EIO, NULL, "entry %lld: link to the previous entry is broken", (long long)en.id);
      break;
    }
    audit_entry_hash(&en, hash);
    if (!stored || strcmp(hash, stored) != 0 || null_ids) {
      rc = hz_fail(e, HZ_EIO, NULL, "entry %lld: contents were changed (hash mismatch)", (long long)en.id);
      break;
    }
    snprintf(prev, sizeof prev, "%s", stored);
    expect_id++;
    (*count)++;
  }
  db_reset(st);
  if (s < 0 && !rc) rc = -s;
  if (rc) return rc;
  if (*count != strtoll(count_s, NULL, 10) || strcmp(prev, head) != 0)
    return hz_fail(e, HZ_EIO, NULL, "entry %lld: the log ends early (entries after it were deleted)",
                   (long long)*count + 1);
  char seal[SHA256_HEX_LEN], stored_seal[SHA256_HEX_LEN + 8];
  audit_seal(*count, head, seal);
  rc = seal[0] ? meta_store_get(db, "audit_seal", stored_seal, sizeof stored_seal, e) : HZ_OK;
  if (!rc && seal[0] && strcmp(seal, stored_seal))
    return hz_fail(e, HZ_EIO, NULL, "entry %lld: the log's end was moved (its seal does not match: entries after it were "
                   "deleted and the head set back, or the seal was edited)", (long long)*count);
  int64_t accounts = 0;
  if (!rc) rc = *count ? HZ_OK : audit_store_accounts(db, &accounts, e);
  if (!rc && accounts) /* every account was made by an audited write */
    rc = hz_fail(e, HZ_EIO, NULL, "entry 1: the log is empty but the database holds %lld accounts (entries were deleted)",
                 (long long)accounts);
  return rc;
}

int64_t audit_store_revision(Db *db) {
  int64_t v = 0;
  if (db_revision_noted(db, &v)) return v; /* read with the request's session or token */
  db_query_int(db, "SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'revision'", &v, NULL);
  return v;
}

int audit_store_last_id(Db *db, int64_t *id, HzErr *e) {
  *id = 0;
  return db_query_int(db, "SELECT COALESCE(MAX(id), 0) FROM audit_log", id, e);
}

int audit_store_each_since(Db *db, int64_t after_id, int64_t upto_id, AuditEntryFn fn, void *ctx, HzErr *e) {
  DbStmt *st = db_prepare(db, "SELECT action, entity, before, after FROM audit_log WHERE id > ? AND id <= ? ORDER BY id", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, after_id);
  db_bind_int(st, 2, upto_id);
  int r, rc = HZ_OK;
  while (!rc && (r = db_step(db, st, e)) == DB_ROW) rc = fn(ctx, db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3), e);
  if (rc) db_reset(st);
  return rc ? rc : r < 0 ? -r : HZ_OK;
}

#define ENTRY_COLS "SELECT id, at, user_id, action, entity, entity_id, before, after, hash FROM audit_log"

/* An entry as the API shows it, from a row of ENTRY_COLS. New reference. */
static json_t *entry_json(DbStmt *st) {
  json_t *before = db_col_text(st, 6) ? json_loads(db_col_text(st, 6), 0, NULL) : NULL;
  json_t *after = db_col_text(st, 7) ? json_loads(db_col_text(st, 7), 0, NULL) : NULL;
  return json_pack("{s:I s:s s:o s:s s:s s:o s:o s:o s:s}", "id", (json_int_t)db_col_int(st, 0), "at",
                   db_col_text(st, 1), "user_id", db_col_is_null(st, 2) ? json_null() : json_integer(db_col_int(st, 2)),
                   "action", db_col_text(st, 3), "entity", db_col_text(st, 4), "entity_id",
                   db_col_is_null(st, 5) ? json_null() : json_integer(db_col_int(st, 5)), "before",
                   before ? before : json_null(), "after", after ? after : json_null(), "hash", db_col_text(st, 8));
}

int audit_store_get(Db *db, int64_t id, json_t **out, HzErr *e) {
  *out = NULL;
  DbStmt *st = db_prepare(db, ENTRY_COLS " WHERE id = ?", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, id);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  if (r == DB_DONE) return hz_fail(e, HZ_ENOTFOUND, NULL, "审计记录 %lld 不存在", (long long)id);
  *out = entry_json(st);
  db_reset(st);
  return HZ_OK;
}

int audit_store_list(Db *db, const AuditQuery *q, json_t **items, int64_t *total, HzErr *e) {
  /* Each filter is either bound or disabled by a NULL parameter: one fixed statement. The
   * CASTs type the parameters for PostgreSQL, which cannot tell the type of `? IS NULL`. */
  const char *where = " WHERE (CAST(?1 AS TEXT) IS NULL OR entity = ?1) AND (CAST(?2 AS BIGINT) IS NULL OR entity_id = ?2)"
                      " AND (CAST(?3 AS BIGINT) IS NULL OR user_id = ?3) AND (CAST(?4 AS TEXT) IS NULL OR action = ?4)"
                      " AND (CAST(?5 AS TEXT) IS NULL OR substr(at, 1, 10) >= ?5)"
                      " AND (CAST(?6 AS TEXT) IS NULL OR substr(at, 1, 10) <= ?6)";
  char sql[768];
  *items = json_array();
  *total = 0;
  int rc = HZ_OK;
  for (int pass = 0; pass < 2 && !rc; pass++) {
    if (pass == 0) snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM audit_log%s", where);
    else snprintf(sql, sizeof sql, ENTRY_COLS "%s ORDER BY id %s LIMIT ?7 OFFSET ?8", where, q->ascending ? "ASC" : "DESC");
    DbStmt *st = db_prepare(db, sql, e);
    if (!st) {
      rc = e->rc;
      break;
    }
    if (q->entity) db_bind_text(st, 1, q->entity);
    if (q->has_entity_id) db_bind_int(st, 2, q->entity_id);
    if (q->has_user_id) db_bind_int(st, 3, q->user_id);
    if (q->action) db_bind_text(st, 4, q->action);
    if (q->at_from) db_bind_text(st, 5, q->at_from);
    if (q->at_to) db_bind_text(st, 6, q->at_to);
    if (pass == 1) {
      db_bind_int(st, 7, q->limit);
      db_bind_int(st, 8, q->offset);
    }
    int r;
    while ((r = db_step(db, st, e)) == DB_ROW) {
      if (pass == 0) *total = db_col_int(st, 0);
      else json_array_append_new(*items, entry_json(st));
    }
    if (r < 0) rc = -r;
  }
  if (rc) {
    json_decref(*items);
    *items = NULL;
  }
  return rc;
}

int audit_store_latest(Db *db, const char *entity, int64_t entity_id, const char *action, json_t **after,
                       char *last_action, size_t n, HzErr *e) {
  *after = NULL;
  if (last_action && n) last_action[0] = 0;
  DbStmt *st = db_prepare(db,
                          "SELECT after, action FROM audit_log WHERE entity = ?1 AND entity_id = ?2 AND (CAST(?3 AS TEXT) IS NULL OR action = ?3)"
                          " ORDER BY id DESC LIMIT 1",
                          e);
  if (!st) return e->rc;
  db_bind_text(st, 1, entity);
  db_bind_int(st, 2, entity_id);
  db_bind_text(st, 3, action);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  if (r == DB_ROW && db_col_text(st, 0)) *after = json_loads(db_col_text(st, 0), 0, NULL);
  if (r == DB_ROW && last_action && n) snprintf(last_action, n, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
  db_reset(st);
  return HZ_OK;
}

int audit_store_certified_ids(Db *db, const char *entity, json_t **ids, HzErr *e) {
  *ids = json_array();
  DbStmt *st = db_prepare(db, "SELECT DISTINCT entity_id FROM audit_log WHERE entity = ? AND entity_id IS NOT NULL"
                              " AND (action = 'certify' OR after LIKE '%\"status\":\"certified\"%') ORDER BY entity_id", e);
  if (!st) return e->rc;
  db_bind_text(st, 1, entity);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW) json_array_append_new(*ids, json_integer(db_col_int(st, 0)));
  return r < 0 ? -r : HZ_OK;
}

int audit_store_each_row(Db *db, int64_t after_id, AuditRowFn fn, void *ctx, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT id, at, user_id, action, entity, entity_id, before, after, prev_hash, hash"
                          " FROM audit_log WHERE id > ? ORDER BY id",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, after_id);
  int r, rc = HZ_OK;
  while (!rc && (r = db_step(db, st, e)) == DB_ROW) {
    AuditRow row = {.id = db_col_int(st, 0), .at = db_col_text(st, 1), .has_user = !db_col_is_null(st, 2),
                    .user_id = db_col_int(st, 2), .action = db_col_text(st, 3), .entity = db_col_text(st, 4),
                    .entity_id = db_col_int(st, 5), .before = db_col_text(st, 6), .after = db_col_text(st, 7),
                    .prev_hash = db_col_text(st, 8), .hash = db_col_text(st, 9)};
    rc = fn(ctx, &row, e);
  }
  if (rc) db_reset(st);
  return rc ? rc : r < 0 ? -r : HZ_OK;
}

int audit_store_logged_ids(Db *db, const char *entity, const char *action, json_t **ids, HzErr *e) {
  *ids = json_array();
  DbStmt *st = db_prepare(db, "SELECT DISTINCT entity_id FROM audit_log WHERE entity = ? AND action = ?"
                              " AND entity_id IS NOT NULL ORDER BY entity_id", e);
  if (!st) return e->rc;
  db_bind_text(st, 1, entity);
  db_bind_text(st, 2, action);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW) json_array_append_new(*ids, json_integer(db_col_int(st, 0)));
  return r < 0 ? -r : HZ_OK;
}

int audit_store_ids(Db *db, const char *table, const char *status, json_t **ids, HzErr *e) {
  *ids = json_array();
  static const char *const tables[] = {"funds", "stage_changes", "bulletins"};
  char sql[128] = "";
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) /* the table name comes from this list only */
    if (!strcmp(table, tables[i])) snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE status = ? ORDER BY id", tables[i]);
  if (!sql[0]) return hz_fail(e, HZ_EINVAL, "table", "unknown table");
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e->rc;
  db_bind_text(st, 1, status);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW) json_array_append_new(*ids, json_integer(db_col_int(st, 0)));
  return r < 0 ? -r : HZ_OK;
}
