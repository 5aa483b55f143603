#include "domain/auth.h"
#include "store/audit_store.h"
#include "store/auth_store.h"
#include "store/meta_store.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <pthread.h>
#include <string.h>

static void token_hash(const char *token, char out[SHA256_HEX_LEN]) { sha256_hex(token, strlen(token), out); }

/* Runs fn's writes and an audit entry in one transaction. */
#define IN_TX(db, e, body)               \
  do {                                   \
    int rc_ = db_begin(db, e);           \
    if (rc_) return rc_;                 \
    rc_ = (body);                        \
    if (!rc_) rc_ = db_commit(db, e);    \
    if (rc_) db_rollback(db);            \
    return rc_;                          \
  } while (0)

static int login_tx(Db *db, const Actor *a, const char *address, const char *token, const char *csrf, HzErr *e) {
  char h[SHA256_HEX_LEN];
  token_hash(token, h);
  int rc = auth_store_session_create(db, a->id, h, csrf, time_now_unix() + SESSION_SECONDS, e);
  if (!rc) rc = auth_store_failure_clear(db, a->login, address, e);
  if (!rc) rc = audit_store_append(db, a, "login", "users", a->id, NULL, NULL, e);
  return rc;
}

static int failure_tx(Db *db, const char *login, const char *address, HzErr *e) {
  int rc = auth_store_failure_add(db, login, address, time_now_unix(), time_now_unix() - LOGIN_WINDOW_SECONDS, e);
  json_t *who = json_pack("{s:s s:s}", "login", login, "address", address);
  if (!rc) rc = audit_store_append(db, NULL, "login_failed", "users", 0, NULL, who, e);
  json_decref(who);
  return rc;
}

static char dummy[PASSWORD_HASH_LEN];
static void dummy_init(void) { password_hash("huizhan-no-such-user", dummy); }
static const char *dummy_hash(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, dummy_init);
  return dummy;
}

int auth_login(Db *db, const char *login, const char *password, const char *address, Actor *a,
               char token[TOKEN_LEN], char csrf[TOKEN_LEN], HzErr *e) {
  LoginFailures n = {0};
  if (!address) address = "";
  int rc = auth_store_failure_count(db, login, address, time_now_unix() - LOGIN_WINDOW_SECONDS, &n, e);
  if (rc) return rc;
  if (n.login_here >= LOGIN_MAX_FAILURES || n.address >= LOGIN_MAX_FAILURES_PER_ADDRESS ||
      n.login >= LOGIN_MAX_FAILURES_PER_LOGIN)
    return hz_fail(e, HZ_ERATE, NULL, "登录失败次数过多，请 15 分钟后再试");
  char hash[PASSWORD_HASH_LEN] = "";
  int disabled = 0;
  HzErr ignore = {0};
  int found = auth_store_user_by_login(db, login, a, hash, sizeof hash, &disabled, &ignore) == HZ_OK;
  hz_err_clear(&ignore);
  /* Unknown users cost as much as known ones, so timing does not reveal which logins exist. */
  int ok = found ? password_verify(hash, password) : (password_verify(dummy_hash(), password), 0);
  if (!ok || disabled) {
    int frc = db_begin(db, e);
    if (!frc) frc = failure_tx(db, login, address, e);
    if (!frc) frc = db_commit(db, e);
    if (frc) {
      db_rollback(db);
      return frc;
    }
    hz_err_clear(e);
    return hz_fail(e, HZ_EAUTH, NULL, disabled && ok ? "账号已停用" : "登录名或密码错误");
  }
  token_random(token);
  token_random(csrf);
  IN_TX(db, e, login_tx(db, a, address, token, csrf, e));
}

static int logout_tx(Db *db, const Actor *a, const char *h, HzErr *e) {
  int rc = auth_store_session_delete(db, h, e);
  if (!rc) rc = audit_store_append(db, a, "logout", "users", a->id, NULL, NULL, e);
  return rc;
}

int auth_logout(Db *db, const Actor *a, const char *token, HzErr *e) {
  char h[SHA256_HEX_LEN];
  token_hash(token, h);
  IN_TX(db, e, logout_tx(db, a, h, e));
}

int auth_session(Db *db, const char *token, Actor *a, char csrf[TOKEN_LEN], HzErr *e) {
  char h[SHA256_HEX_LEN];
  token_hash(token, h);
  return auth_store_session_find(db, h, time_now_unix(), a, csrf, TOKEN_LEN, e);
}

int auth_bearer(Db *db, const char *token, Actor *a, HzErr *e) {
  char h[SHA256_HEX_LEN];
  token_hash(token, h);
  return auth_store_token_find(db, h, a, e);
}

static int token_tx(Db *db, const Actor *by, int64_t user_id, const char *name, const char *h, int64_t *id,
                    HzErr *e) {
  int rc = auth_store_token_create(db, user_id, name, h, id, e);
  json_t *after = json_pack("{s:I s:s}", "user_id", (json_int_t)user_id, "name", name);
  if (!rc) rc = audit_store_append(db, by, "token_create", "api_tokens", *id, NULL, after, e);
  json_decref(after);
  return rc;
}

int auth_token_create(Db *db, const Actor *by, const char *login, const char *name, char token[TOKEN_LEN],
                      int64_t *id, HzErr *e) {
  Actor u;
  int disabled;
  int rc = auth_store_user_by_login(db, login, &u, NULL, 0, &disabled, e);
  if (rc) return rc;
  token_random(token);
  char h[SHA256_HEX_LEN];
  token_hash(token, h);
  IN_TX(db, e, token_tx(db, by, u.id, name, h, id, e));
}

static int revoke_tx(Db *db, const Actor *by, int64_t id, HzErr *e) {
  int rc = auth_store_token_revoke(db, id, e);
  if (!rc) rc = audit_store_append(db, by, "token_revoke", "api_tokens", id, NULL, NULL, e);
  return rc;
}

int auth_token_revoke(Db *db, const Actor *by, int64_t id, HzErr *e) {
  IN_TX(db, e, revoke_tx(db, by, id, e));
}

static int password_tx(Db *db, const Actor *by, int64_t user_id, const char *hash, HzErr *e) {
  int rc = auth_store_set_password(db, user_id, hash, e);
  if (!rc) rc = auth_store_sessions_end_user(db, user_id, e);
  if (!rc) rc = audit_store_append(db, by, "password", "users", user_id, NULL, NULL, e);
  return rc;
}

int auth_set_password(Db *db, const Actor *by, const char *login, const char *password, HzErr *e) {
  Actor u;
  int disabled;
  int rc = auth_store_user_by_login(db, login, &u, NULL, 0, &disabled, e);
  if (rc) return rc;
  if (utf8_length(password) < 8) return hz_fail(e, HZ_EINVAL, "password", "密码至少 8 个字符");
  char hash[PASSWORD_HASH_LEN];
  if (password_hash(password, hash)) return hz_fail(e, HZ_ENOMEM, NULL, "无法计算密码摘要");
  IN_TX(db, e, password_tx(db, by, u.id, hash, e));
}

int auth_set_disabled(Db *db, const Actor *by, const char *login, int disabled, HzErr *e) {
  Actor u;
  int was;
  int rc = auth_store_user_by_login(db, login, &u, NULL, 0, &was, e);
  if (rc) return rc;
  json_t *before = json_pack("{s:b}", "disabled", was), *after = json_pack("{s:b}", "disabled", disabled);
  rc = db_begin(db, e);
  if (!rc) rc = auth_store_set_disabled(db, u.id, disabled, e);
  if (!rc && disabled) rc = auth_store_sessions_end_user(db, u.id, e);
  if (!rc) rc = audit_store_append(db, by, disabled ? "disable" : "enable", "users", u.id, before, after, e);
  if (!rc) rc = db_commit(db, e);
  if (rc) db_rollback(db);
  json_decref(before);
  json_decref(after);
  return rc;
}

int auth_token_list(Db *db, json_t **out, HzErr *e) { return auth_store_token_list(db, out, e); }

int auth_login_info(Db *db, json_t **out, HzErr *e) {
  char password[128], logins[160];
  *out = NULL;
  int rc = meta_store_get(db, "demo_password", password, sizeof password, e);
  if (!rc) rc = meta_store_get(db, "demo_logins", logins, sizeof logins, e);
  if (rc) return rc;
  json_t *j = json_pack("{s:b}", "demo", password[0] != 0);
  if (password[0]) {
    json_t *list = json_array();
    for (char *save = NULL, *tok = strtok_r(logins, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
      json_array_append_new(list, json_string(tok));
    json_object_set_new(j, "demo_password", json_string(password));
    json_object_set_new(j, "logins", list);
  }
  *out = j;
  return HZ_OK;
}
