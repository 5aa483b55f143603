#include "store/auth_store.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <string.h>

#define ACTOR_COLS "u.id, u.login, u.name, u.role, COALESCE(u.unit_id, 0), u.disabled"
/* The data revision, read in the same statement as the session or token of a request
 * (db_revision_note): the caches key on it, and on PostgreSQL a read of its own is a
 * round trip of its own. */
#define REVISION_COL "(SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'revision')"
/* The security policy's text, read in the same statement: one round trip per request. */
#define POLICY_COL "(SELECT value FROM meta WHERE key = 'security_policy')"

static void actor_from_row(DbStmt *st, int col, Actor *a, int *disabled) {
  memset(a, 0, sizeof *a);
  a->id = db_col_int(st, col);
  snprintf(a->login, sizeof a->login, "%s", db_col_text(st, col + 1));
  snprintf(a->name, sizeof a->name, "%s", db_col_text(st, col + 2));
  utf8_trim_partial(a->login); /* long names are cut at a character boundary */
  utf8_trim_partial(a->name);
  a->role = role_parse(db_col_text(st, col + 3));
  a->unit_id = db_col_int(st, col + 4);
  if (disabled) *disabled = (int)db_col_int(st, col + 5);
}

static int run_id_text(Db *db, const char *sql, int64_t id, const char *text, HzErr *e) {
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e->rc;
  db_bind_int(st, 1, id);
  if (text) db_bind_text(st, 2, text);
  return db_run(db, st, e);
}

int auth_store_user_by_login(Db *db, const char *login, Actor *a, char *hash, size_t hash_n, int *disabled,
                             HzErr *e) {
  DbStmt *st = db_prepare(db, "SELECT " ACTOR_COLS ", u.password_hash FROM users u WHERE u.login = ?", e);
  if (!st) return e->rc;
  db_bind_text(st, 1, login);
  int s = db_step(db, st, e);
  if (s < 0) return -s;
  if (s == DB_DONE) return hz_fail(e, HZ_ENOTFOUND, "login", "用户不存在");
  actor_from_row(st, 0, a, disabled);
  if (hash) snprintf(hash, hash_n, "%s", db_col_text(st, 6));
  db_reset(st);
  return HZ_OK;
}

int auth_store_user_by_id(Db *db, int64_t id, Actor *a, int *disabled, HzErr *e) {
  DbStmt *st = db_prepare(db, "SELECT " ACTOR_COLS " FROM users u WHERE u.id = ?", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, id);
  int s = db_step(db, st, e);
  if (s < 0) return -s;
  if (s == DB_DONE) return hz_fail(e, HZ_ENOTFOUND, "user", "用户不存在");
  actor_from_row(st, 0, a, disabled);
  db_reset(st);
  return HZ_OK;
}

int auth_store_set_password(Db *db, int64_t user_id, const char *hash, HzErr *e) {
  return run_id_text(db, "UPDATE users SET password_hash = ?2, version = version + 1 WHERE id = ?1", user_id, hash, e);
}

int auth_store_set_disabled(Db *db, int64_t user_id, int disabled, HzErr *e) {
  return run_id_text(db, disabled ? "UPDATE users SET disabled = 1, version = version + 1 WHERE id = ?1"
                                  : "UPDATE users SET disabled = 0, version = version + 1 WHERE id = ?1",
                     user_id, NULL, e);
}

int auth_store_session_create(Db *db, int64_t user_id, const char *token_hash, const char *csrf, int64_t now,
                              int64_t expires_unix, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO sessions (token_hash, csrf_token, user_id, created_at, expires_unix, created_unix,"
                          " last_seen_unix) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          e);
  if (!st) return e->rc;
  char at[TIMESTAMP_LEN];
  time_iso_of(now, at);
  db_bind_text(st, 1, token_hash);
  db_bind_text(st, 2, csrf);
  db_bind_int(st, 3, user_id);
  db_bind_text(st, 4, at);
  db_bind_int(st, 5, expires_unix);
  db_bind_int(st, 6, now);
  db_bind_int(st, 7, now);
  return db_run(db, st, e);
}

static void policy_text(DbStmt *st, int col, char *policy, size_t policy_n) {
  const char *t = db_col_is_null(st, col) ? "" : db_col_text(st, col);
  snprintf(policy, policy_n, "%s", t ? t : "");
}

int auth_store_session_find(Db *db, const char *token_hash, int64_t now, Actor *a, char *csrf, size_t csrf_n,
                            SessionState *ss, char *policy, size_t policy_n, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT " ACTOR_COLS ", s.csrf_token, s.id, s.last_seen_unix, u.password_changed_unix,"
                          " u.must_change_password, " REVISION_COL ", s.created_unix, " POLICY_COL
                          " FROM sessions s JOIN users u ON u.id = s.user_id"
                          " WHERE s.token_hash = ? AND s.expires_unix > ?",
                          e);
  if (!st) return e->rc;
  db_bind_text(st, 1, token_hash);
  db_bind_int(st, 2, now);
  int s = db_step(db, st, e), disabled = 0;
  if (s < 0) return -s;
  if (s == DB_DONE) return hz_fail(e, HZ_EAUTH, NULL, "登录已失效，请重新登录");
  actor_from_row(st, 0, a, &disabled);
  snprintf(csrf, csrf_n, "%s", db_col_text(st, 6));
  ss->id = db_col_int(st, 7);
  ss->last_seen_unix = db_col_int(st, 8);
  ss->password_changed_unix = db_col_int(st, 9);
  ss->must_change_password = (int)db_col_int(st, 10);
  db_revision_note(db, db_col_int(st, 11));
  ss->created_unix = db_col_int(st, 12);
  policy_text(st, 13, policy, policy_n);
  db_reset(st);
  return disabled ? hz_fail(e, HZ_EAUTH, NULL, "账号已停用") : HZ_OK;
}

int auth_store_session_touch(Db *db, int64_t session_id, int64_t now, HzErr *e) {
  DbStmt *st = db_prepare(db, "UPDATE sessions SET last_seen_unix = ?2 WHERE id = ?1", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, session_id);
  db_bind_int(st, 2, now);
  return db_run_unless_busy(db, st, e); /* never waits behind a long write */
}

int auth_store_sessions_end_others(Db *db, int64_t user_id, const char *keep_hash, HzErr *e) {
  return run_id_text(db, "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2", user_id, keep_hash, e);
}

int auth_store_session_delete(Db *db, const char *token_hash, HzErr *e) {
  DbStmt *st = db_prepare(db, "DELETE FROM sessions WHERE token_hash = ?", e);
  if (!st) return e->rc;
  db_bind_text(st, 1, token_hash);
  return db_run(db, st, e);
}

int auth_store_sessions_end_user(Db *db, int64_t user_id, HzErr *e) {
  return run_id_text(db, "DELETE FROM sessions WHERE user_id = ?1", user_id, NULL, e);
}

int auth_store_token_create(Db *db, int64_t user_id, const char *name, const char *token_hash, int64_t *id,
                            HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO api_tokens (name, token_hash, user_id, created_at)"
                          " VALUES (?, ?, ?, ?) RETURNING id",
                          e);
  if (!st) return e->rc;
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  db_bind_text(st, 4, now);
  db_bind_text(st, 1, name);
  db_bind_text(st, 2, token_hash);
  db_bind_int(st, 3, user_id);
  int rc = db_run_returning(db, st, id, e);
  return rc;
}

int auth_store_token_find(Db *db, const char *token_hash, Actor *a, char *policy, size_t policy_n, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT " ACTOR_COLS ", " REVISION_COL ", " POLICY_COL
                          " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked = 0",
                          e);
  if (!st) return e->rc;
  db_bind_text(st, 1, token_hash);
  int s = db_step(db, st, e), disabled = 0;
  if (s < 0) return -s;
  if (s == DB_DONE) return hz_fail(e, HZ_EAUTH, NULL, "令牌无效或已吊销");
  actor_from_row(st, 0, a, &disabled);
  db_revision_note(db, db_col_int(st, 6));
  policy_text(st, 7, policy, policy_n);
  db_reset(st);
  return disabled ? hz_fail(e, HZ_EAUTH, NULL, "账号已停用") : HZ_OK;
}

int auth_store_token_list(Db *db, json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db,
                          "SELECT t.id, t.name, u.login, t.created_at, t.revoked FROM api_tokens t"
                          " JOIN users u ON u.id = t.user_id ORDER BY t.id",
                          e);
  if (!st) return e->rc;
  int s;
  while ((s = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*out, json_pack("{s:I s:s s:s s:s s:b}", "id", (json_int_t)db_col_int(st, 0), "name",
                                          db_col_text(st, 1), "login", db_col_text(st, 2), "created_at",
                                          db_col_text(st, 3), "revoked", (int)db_col_int(st, 4)));
  return s < 0 ? -s : HZ_OK;
}

int auth_store_token_revoke(Db *db, int64_t id, HzErr *e) {
  int rc = run_id_text(db, "UPDATE api_tokens SET revoked = 1 WHERE id = ?1 AND revoked = 0", id, NULL, e);
  if (rc || db_changes(db)) return rc;
  DbStmt *st = db_prepare(db, "SELECT 1 FROM api_tokens WHERE id = ?", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, id);
  int r = db_step(db, st, e);
  db_reset(st);
  if (r < 0) return -r;
  return r == DB_ROW ? hz_fail(e, HZ_ECONFLICT, "id", "令牌 %lld 已吊销", (long long)id)
                     : hz_fail(e, HZ_ENOTFOUND, "id", "令牌 %lld 不存在", (long long)id);
}

int auth_store_failure_add(Db *db, const char *login, const char *address, int64_t now, int64_t forget_before,
                           HzErr *e) {
  /* Old failures no longer count: drop them so the table stays small. */
  DbStmt *st = db_prepare(db, "DELETE FROM login_failures WHERE at_unix < ?", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, forget_before);
  int rc = db_run(db, st, e);
  if (rc) return rc;
  if (!(st = db_prepare(db, "INSERT INTO login_failures (login, address, at_unix) VALUES (?, ?, ?)", e))) return e->rc;
  db_bind_text(st, 1, login);
  db_bind_text(st, 2, address);
  db_bind_int(st, 3, now);
  return db_run(db, st, e);
}

int auth_store_failure_count(Db *db, const char *login, const char *address, int64_t since, LoginFailures *n,
                             HzErr *e) {
  DbStmt *st = db_prepare(db, "SELECT (SELECT COUNT(*) FROM login_failures WHERE login = ?1 AND address = ?2 AND at_unix >= ?3),"
                              " (SELECT COUNT(*) FROM login_failures WHERE address = ?2 AND at_unix >= ?3),"
                              " (SELECT COUNT(*) FROM login_failures WHERE login = ?1 AND at_unix >= ?3)", e);
  if (!st) return e->rc;
  db_bind_text(st, 1, login);
  db_bind_text(st, 2, address);
  db_bind_int(st, 3, since);
  int s = db_step(db, st, e);
  if (s < 0) return -s;
  n->login_here = db_col_int(st, 0);
  n->address = db_col_int(st, 1);
  n->login = db_col_int(st, 2);
  db_reset(st);
  return HZ_OK;
}

int auth_store_failure_clear(Db *db, const char *login, const char *address, HzErr *e) {
  DbStmt *st = db_prepare(db, "DELETE FROM login_failures WHERE login = ? AND address = ?", e);
  if (!st) return e->rc;
  db_bind_text(st, 1, login);
  db_bind_text(st, 2, address);
  return db_run(db, st, e);
}

int auth_store_password_recorded(Db *db, int64_t user_id, const char *hash, int64_t now, int keep, HzErr *e) {
  DbStmt *st = db_prepare(db, "INSERT INTO password_history (user_id, password_hash, created_unix) VALUES (?, ?, ?)", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, user_id);
  db_bind_text(st, 2, hash);
  db_bind_int(st, 3, now);
  int rc = db_run(db, st, e);
  if (rc) return rc;
  /* Only the newest keep (at least the current one) are ever compared. */
  if (!(st = db_prepare(db, "DELETE FROM password_history WHERE user_id = ?1 AND id NOT IN"
                            " (SELECT id FROM password_history WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2)", e)))
    return e->rc;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, keep > 0 ? keep : 1);
  if ((rc = db_run(db, st, e))) return rc;
  if (!(st = db_prepare(db, "UPDATE users SET password_changed_unix = ?2, must_change_password = 0 WHERE id = ?1", e)))
    return e->rc;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, now);
  return db_run(db, st, e);
}

int auth_store_password_recent(Db *db, int64_t user_id, int n, json_t **hashes, HzErr *e) {
  *hashes = json_array();
  DbStmt *st = db_prepare(db, "SELECT password_hash FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, n);
  int s;
  while ((s = db_step(db, st, e)) == DB_ROW) json_array_append_new(*hashes, json_string(db_col_text(st, 0)));
  if (s < 0) return -s;
  /* The current password counts even when it predates the history. */
  if (!(st = db_prepare(db, "SELECT password_hash FROM users WHERE id = ?", e))) return e->rc;
  db_bind_int(st, 1, user_id);
  if ((s = db_step(db, st, e)) == DB_ROW) json_array_append_new(*hashes, json_string(db_col_text(st, 0)));
  db_reset(st);
  return s < 0 ? -s : HZ_OK;
}

int auth_store_set_must_change(Db *db, int64_t user_id, int must, HzErr *e) {
  return run_id_text(db, must ? "UPDATE users SET must_change_password = 1 WHERE id = ?1"
                              : "UPDATE users SET must_change_password = 0 WHERE id = ?1",
                     user_id, NULL, e);
}

int auth_store_password_age_start(Db *db, int64_t user_id, int64_t now, HzErr *e) {
  DbStmt *st = db_prepare(db, "UPDATE users SET password_changed_unix = ?2 WHERE id = ?1 AND password_changed_unix = 0", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, now);
  return db_run(db, st, e);
}

int auth_store_count_role(Db *db, const char *role, int64_t *n, HzErr *e) {
  DbStmt *st = db_prepare(db, "SELECT COUNT(*) FROM users WHERE role = ? AND disabled = 0", e);
  if (!st) return e->rc;
  db_bind_text(st, 1, role);
  int s = db_step(db, st, e);
  if (s < 0) return -s;
  *n = db_col_int(st, 0);
  db_reset(st);
  return HZ_OK;
}

int auth_store_login_event_add(Db *db, const char *login, int64_t user_id, const char *address, const char *outcome,
                               int64_t now, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO login_events (at, at_unix, login, user_id, address, outcome) VALUES (?, ?, ?, ?, ?, ?)",
                          e);
  if (!st) return e->rc;
  char at[TIMESTAMP_LEN];
  time_iso_of(now, at);
  db_bind_text(st, 1, at);
  db_bind_int(st, 2, now);
  db_bind_text(st, 3, login);
  if (user_id) db_bind_int(st, 4, user_id);
  else db_bind_null(st, 4);
  db_bind_text(st, 5, address);
  db_bind_text(st, 6, outcome);
  return db_run(db, st, e);
}

/* NULL filters match everything: (?1 IS NULL OR login = ?1). */
#define LOGIN_EVENT_WHERE \
  " WHERE (CAST(?1 AS TEXT) IS NULL OR login = ?1) AND (CAST(?2 AS TEXT) IS NULL OR outcome = ?2)" \
  " AND (CAST(?3 AS TEXT) IS NULL OR address = ?3)"

static void bind_text_or_null(DbStmt *st, int i, const char *v) {
  if (v) db_bind_text(st, i, v);
  else db_bind_null(st, i);
}

int auth_store_login_event_list(Db *db, const char *login, const char *outcome, const char *address, int64_t limit,
                                int64_t offset, json_t **items, int64_t *total, HzErr *e) {
  *items = json_array();
  DbStmt *st = db_prepare(db, "SELECT COUNT(*) FROM login_events" LOGIN_EVENT_WHERE, e);
  if (!st) return e->rc;
  bind_text_or_null(st, 1, login);
  bind_text_or_null(st, 2, outcome);
  bind_text_or_null(st, 3, address);
  int s = db_step(db, st, e);
  if (s < 0) return -s;
  *total = db_col_int(st, 0);
  db_reset(st);
  if (!(st = db_prepare(db,
                        "SELECT id, at, login, user_id, address, outcome FROM login_events" LOGIN_EVENT_WHERE
                        " ORDER BY id DESC LIMIT ?4 OFFSET ?5",
                        e)))
    return e->rc;
  bind_text_or_null(st, 1, login);
  bind_text_or_null(st, 2, outcome);
  bind_text_or_null(st, 3, address);
  db_bind_int(st, 4, limit);
  db_bind_int(st, 5, offset);
  while ((s = db_step(db, st, e)) == DB_ROW) {
    int64_t uid = db_col_int(st, 3);
    json_array_append_new(*items, json_pack("{s:I s:s s:s s:o s:s s:s}", "id", (json_int_t)db_col_int(st, 0), "at",
                                            db_col_text(st, 1), "login", db_col_text(st, 2), "user_id",
                                            uid ? json_integer(uid) : json_null(), "address", db_col_text(st, 4),
                                            "outcome", db_col_text(st, 5)));
  }
  return s < 0 ? -s : HZ_OK;
}

int auth_store_login_last(Db *db, int64_t user_id, int skip, json_t **out, int64_t *failures, HzErr *e) {
  *out = NULL;
  *failures = 0;
  DbStmt *st = db_prepare(db,
                          "SELECT id, at, address, login FROM login_events WHERE user_id = ? AND outcome = 'ok'"
                          " ORDER BY id DESC LIMIT 1 OFFSET ?",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, skip);
  int s = db_step(db, st, e);
  if (s < 0) return -s;
  if (s == DB_DONE) return HZ_OK;
  int64_t id = db_col_int(st, 0);
  char login[64];
  snprintf(login, sizeof login, "%s", db_col_text(st, 3));
  *out = json_pack("{s:s s:s}", "at", db_col_text(st, 1), "address", db_col_text(st, 2));
  db_reset(st);
  if (!(st = db_prepare(db, "SELECT COUNT(*) FROM login_events WHERE login = ? AND id > ? AND outcome <> 'ok'", e)))
    return e->rc;
  db_bind_text(st, 1, login);
  db_bind_int(st, 2, id);
  if ((s = db_step(db, st, e)) < 0) return -s;
  *failures = db_col_int(st, 0);
  db_reset(st);
  return HZ_OK;
}
