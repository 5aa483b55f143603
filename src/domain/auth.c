#include "domain/auth.h"
#include "store/audit_store.h"
#include "store/auth_store.h"
#include "domain/security.h"
#include "store/meta_store.h"
#include "util/counter.h"
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

static int login_tx(Db *db, const Actor *a, const char *address, const char *token, const char *csrf, int64_t now,
                    int64_t lifetime, HzErr *e) {
  char h[SHA256_HEX_LEN];
  token_hash(token, h);
  int rc = auth_store_session_create(db, a->id, h, csrf, now, now + lifetime, e);
  if (!rc) rc = auth_store_failure_clear(db, a->login, address, e);
  if (!rc) rc = auth_store_login_event_add(db, a->login, a->id, address, "ok", now, e);
  if (!rc) rc = auth_store_password_age_start(db, a->id, now, e);
  if (!rc) rc = audit_store_append(db, a, "login", "users", a->id, NULL, NULL, e);
  return rc;
}

static int failure_tx(Db *db, const char *login, int64_t user_id, const char *address, const char *outcome, HzErr *e) {
  int rc = HZ_OK;
  /* A refused attempt is not a guess: it does not count toward the limits. */
  if (strcmp(outcome, "rate_limited"))
    rc = auth_store_failure_add(db, login, address, time_now_unix(), time_now_unix() - LOGIN_WINDOW_SECONDS, e);
  if (!rc) rc = auth_store_login_event_add(db, login, user_id, address, outcome, time_real_unix(), e);
  /* The audit log keeps the guesses; the refused attempts are in login_events only. */
  json_t *who = json_pack("{s:s s:s}", "login", login, "address", address);
  if (!rc && strcmp(outcome, "rate_limited")) rc = audit_store_append(db, NULL, "login_failed", "users", 0, NULL, who, e);
  json_decref(who);
  return rc;
}

/* Records a failed attempt in its own transaction; rc is what the caller answers. */
static int login_refused(Db *db, const char *login, int64_t user_id, const char *address, const char *outcome, HzErr *e,
                         int rc, const char *message) {
  counter_add(COUNTER_LOGINS_FAILED, 1);
  int frc = db_begin(db, e);
  if (!frc) frc = failure_tx(db, login, user_id, address, outcome, e);
  if (!frc) frc = db_commit(db, e);
  if (frc) {
    db_rollback(db);
    return frc;
  }
  hz_err_clear(e);
  return hz_fail(e, rc, NULL, "%s", message);
}

static char dummy[PASSWORD_HASH_LEN];
static void dummy_init(void) { password_hash("huizhan-no-such-user", dummy); }
static const char *dummy_hash(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, dummy_init);
  return dummy;
}

int auth_login(Db *db, const char *login, const char *password, const char *address, Actor *a,
               char token[TOKEN_LEN], char csrf[TOKEN_LEN], int *lifetime, HzErr *e) {
  LoginFailures n = {0};
  SecurityPolicy p;
  if (!address) address = "";
  int rc = security_policy_load(db, &p, e);
  if (!rc) rc = auth_store_failure_count(db, login, address, time_now_unix() - LOGIN_WINDOW_SECONDS, &n, e);
  if (rc) return rc;
  if (n.login_here >= LOGIN_MAX_FAILURES || n.address >= LOGIN_MAX_FAILURES_PER_ADDRESS ||
      n.login >= LOGIN_MAX_FAILURES_PER_LOGIN)
    return login_refused(db, login, 0, address, "rate_limited", e, HZ_ERATE, "登录失败次数过多，请 15 分钟后再试");
  char hash[PASSWORD_HASH_LEN] = "";
  int disabled = 0;
  HzErr ignore = {0};
  int found = auth_store_user_by_login(db, login, a, hash, sizeof hash, &disabled, &ignore) == HZ_OK;
  hz_err_clear(&ignore);
  /* Unknown users cost as much as known ones, so timing does not reveal which logins exist. */
  int ok = found ? password_verify(hash, password) : (password_verify(dummy_hash(), password), 0);
  if (!ok) return login_refused(db, login, found ? a->id : 0, address, "bad_credentials", e, HZ_EAUTH, "登录名或密码错误");
  if (disabled) return login_refused(db, login, a->id, address, "disabled", e, HZ_EAUTH, "账号已停用");
  token_random(token);
  token_random(csrf);
  int64_t now = time_real_unix();
  *lifetime = p.session_max_hours * 3600;
  rc = db_begin(db, e);
  if (!rc) rc = login_tx(db, a, address, token, csrf, now, *lifetime, e);
  if (!rc) rc = db_commit(db, e);
  if (rc) {
    db_rollback(db);
    return rc;
  }
  counter_add(COUNTER_LOGINS_OK, 1);
  /* Read back as any request will: must the password be changed first, are duties separated? */
  return auth_session(db, token, a, csrf, e);
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

/* A session's use is written at most this often (seconds): enough for the idle timeout,
 * not a write per request. */
#define SESSION_TOUCH_SECONDS 15

int auth_session(Db *db, const char *token, Actor *a, char csrf[TOKEN_LEN], HzErr *e) {
  char h[SHA256_HEX_LEN];
  token_hash(token, h);
  SecurityPolicy p;
  SessionState ss = {0};
  char policy[1024];
  int64_t now = time_real_unix();
  int rc = auth_store_session_find(db, h, now, a, csrf, TOKEN_LEN, &ss, policy, sizeof policy, e);
  if (rc) return rc;
  security_policy_parse(policy, &p);
  if (ss.created_unix <= now - (int64_t)p.session_max_hours * 3600 ||
      ss.last_seen_unix <= now - (int64_t)p.session_idle_minutes * 60)
    return hz_fail(e, HZ_EAUTH, NULL, "登录已失效，请重新登录");
  a->separated = p.separation_of_duties;
  if (ss.must_change_password) a->must_change = 1;
  else if (p.password_max_days && ss.password_changed_unix &&
           now - ss.password_changed_unix > (int64_t)p.password_max_days * 86400)
    a->must_change = 2;
  /* Best effort: a long write elsewhere (an import) holding the database must not turn a
   * read into a 503; the next request records the use instead. */
  if (now - ss.last_seen_unix >= SESSION_TOUCH_SECONDS) {
    HzErr ignore = {0};
    auth_store_session_touch(db, ss.id, now, &ignore);
    hz_err_clear(&ignore);
  }
  return HZ_OK;
}

int auth_bearer(Db *db, const char *token, Actor *a, HzErr *e) {
  char h[SHA256_HEX_LEN];
  token_hash(token, h);
  SecurityPolicy p;
  char policy[1024];
  int rc = auth_store_token_find(db, h, a, policy, sizeof policy, e);
  if (rc) return rc;
  security_policy_parse(policy, &p);
  a->separated = p.separation_of_duties;
  return HZ_OK;
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

/* keep_session NULL: a reset by an administrator, which the user must change at the next
 * login (recorded in the audit entry); else the user's own change from that session. */
static int password_tx(Db *db, const Actor *by, int64_t user_id, const char *hash, const SecurityPolicy *p,
                       const char *keep_session, HzErr *e) {
  int rc = auth_store_set_password(db, user_id, hash, e);
  if (!rc) rc = security_password_stored(db, p, user_id, hash, e);
  if (!rc && !keep_session) rc = auth_store_set_must_change(db, user_id, 1, e);
  if (!rc) rc = keep_session ? auth_store_sessions_end_others(db, user_id, keep_session, e)
                             : auth_store_sessions_end_user(db, user_id, e);
  json_t *after = keep_session ? NULL : json_pack("{s:b}", "must_change_password", 1);
  if (!rc) rc = audit_store_append(db, by, "password", "users", user_id, NULL, after, e);
  json_decref(after);
  return rc;
}

int auth_set_password(Db *db, const Actor *by, const char *login, const char *password, HzErr *e) {
  Actor u;
  int disabled;
  SecurityPolicy p;
  int rc = auth_store_user_by_login(db, login, &u, NULL, 0, &disabled, e);
  if (!rc) rc = security_policy_load(db, &p, e);
  if (!rc) rc = security_password_check(db, &p, u.id, password, "password", e);
  if (rc) return rc;
  char hash[PASSWORD_HASH_LEN];
  if (password_hash(password, hash)) return hz_fail(e, HZ_ENOMEM, NULL, "无法计算密码摘要");
  IN_TX(db, e, password_tx(db, by, u.id, hash, &p, NULL, e));
}

int auth_change_own_password(Db *db, const Actor *a, const char *session_token, const char *current,
                             const char *password, HzErr *e) {
  char old[PASSWORD_HASH_LEN] = "";
  Actor u;
  int disabled;
  SecurityPolicy p;
  if (!current || !*current) hz_err_field(e, "current_password", "必填");
  if (!password || !*password) hz_err_field(e, "new_password", "必填");
  if (!current || !*current || !password || !*password) return hz_fail(e, HZ_EINVAL, NULL, "请输入当前密码和新密码");
  int rc = auth_store_user_by_login(db, a->login, &u, old, sizeof old, &disabled, e);
  if (!rc) rc = security_policy_load(db, &p, e);
  if (rc) return rc;
  if (!password_verify(old, current)) return hz_fail(e, HZ_EINVAL, "current_password", "当前密码不正确");
  if ((rc = security_password_check(db, &p, u.id, password, "new_password", e))) return rc;
  char hash[PASSWORD_HASH_LEN], h[SHA256_HEX_LEN];
  if (password_hash(password, hash)) return hz_fail(e, HZ_ENOMEM, NULL, "无法计算密码摘要");
  /* The session in use stays open; the others end (someone else may hold the old password). */
  token_hash(session_token ? session_token : "", h);
  IN_TX(db, e, password_tx(db, a, u.id, hash, &p, h, e));
}

static int must_change_tx(Db *db, const Actor *by, int64_t user_id, HzErr *e) {
  json_t *after = json_pack("{s:b}", "must_change_password", 1);
  int rc = auth_store_set_must_change(db, user_id, 1, e);
  if (!rc) rc = audit_store_append(db, by, "update", "users", user_id, NULL, after, e);
  json_decref(after);
  return rc;
}

int auth_require_password_change(Db *db, const Actor *by, const char *login, HzErr *e) {
  Actor u;
  int disabled;
  int rc = auth_store_user_by_login(db, login, &u, NULL, 0, &disabled, e);
  if (rc) return rc;
  IN_TX(db, e, must_change_tx(db, by, u.id, e));
}

int auth_login_events(Db *db, const char *login, const char *outcome, const char *address, int64_t limit,
                      int64_t offset, json_t **out, HzErr *e) {
  json_t *items = NULL;
  int64_t total = 0;
  *out = NULL;
  int rc = auth_store_login_event_list(db, login, outcome, address, limit, offset, &items, &total, e);
  if (rc) {
    json_decref(items);
    return rc;
  }
  *out = json_pack("{s:o s:I s:I s:I}", "items", items, "total", (json_int_t)total, "limit", (json_int_t)limit, "offset",
                   (json_int_t)offset);
  return HZ_OK;
}

int auth_last_login(Db *db, const Actor *a, int current_session, json_t **out, HzErr *e) {
  json_t *last = NULL;
  int64_t failures = 0;
  *out = NULL;
  int rc = auth_store_login_last(db, a->id, current_session ? 1 : 0, &last, &failures, e);
  if (rc) return rc;
  if (last) json_object_set_new(last, "failures_since", json_integer(failures));
  *out = last ? last : json_null();
  return HZ_OK;
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
