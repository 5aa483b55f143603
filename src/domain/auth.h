/* Logging in and out, and recognising the caller of a request (R-SEC-1). */
#ifndef HZ_AUTH_H
#define HZ_AUTH_H
#include <jansson.h>
#include "db/db.h"
#include "domain/role.h"
#include "util/crypto.h"

/* Within LOGIN_WINDOW_SECONDS, then 429: failures of one login from one address (so a
 * stranger failing on purpose cannot lock an account for everyone else), and failures
 * of any login from one address (so guessing across many logins is held back too). */
#define LOGIN_MAX_FAILURES 5
#define LOGIN_MAX_FAILURES_PER_ADDRESS 50
/* …and failures of one login from all addresses together, so guessing one account's
 * password from many addresses is held back as well. */
#define LOGIN_MAX_FAILURES_PER_LOGIN 50
#define LOGIN_WINDOW_SECONDS (15 * 60)

/* Checks the password and opens a session: token (for the cookie) and csrf are filled,
 * *lifetime is the session's longest life in seconds (security policy), a->must_change
 * says the password must be changed first. address is the client's (NULL: unknown).
 * HZ_EAUTH on bad credentials (the same answer for unknown users), HZ_ERATE when this
 * login, or this address, failed too often lately. Every attempt is kept in
 * login_events with its time and address; the login and each failure are audited. */
int auth_login(Db *db, const char *login, const char *password, const char *address, Actor *a,
               char token[TOKEN_LEN], char csrf[TOKEN_LEN], int *lifetime, HzErr *e);
int auth_logout(Db *db, const Actor *a, const char *token, HzErr *e);
/* The actor behind a session cookie (csrf gets the session's CSRF token) or a bearer
 * token. A session ends after the policy's idle time or lifetime; its use is recorded.
 * a->separated and (sessions) a->must_change are filled from the policy. */
int auth_session(Db *db, const char *token, Actor *a, char csrf[TOKEN_LEN], HzErr *e);
int auth_bearer(Db *db, const char *token, Actor *a, HzErr *e);
/* Creates an API token for a user; the clear token is shown once and never stored. */
int auth_token_create(Db *db, const Actor *by, const char *login, const char *name, char token[TOKEN_LEN],
                      int64_t *id, HzErr *e);
/* Every API token: [{id, login, name, created_at, revoked}]; new reference. */
int auth_token_list(Db *db, json_t **out, HzErr *e);
int auth_token_revoke(Db *db, const Actor *by, int64_t id, HzErr *e);
/* An administrator's reset: a new password under the password policy, which the user must
 * change at the next login; ends the user's sessions; audited with must_change_password. */
int auth_set_password(Db *db, const Actor *by, const char *login, const char *password, HzErr *e);
/* The actor changes its own password: current must be right (HZ_EINVAL current_password),
 * password must pass the policy (new_password). Ends the user's other sessions, keeps the
 * one of session_token (NULL: none kept), clears the must-change mark; audited. */
int auth_change_own_password(Db *db, const Actor *a, const char *session_token, const char *current,
                             const char *password, HzErr *e);
/* The user must change the password at the next login (init's generated one); audited. */
int auth_require_password_change(Db *db, const Actor *by, const char *login, HzErr *e);
/* A page of login attempts, newest first (filters NULL = any): *out {items, total, limit,
 * offset}, new reference. */
int auth_login_events(Db *db, const char *login, const char *outcome, const char *address, int64_t limit,
                      int64_t offset, json_t **out, HzErr *e);
/* The actor's previous successful login (before the current session when
 * current_session): *out {at, address, failures_since} or JSON null; new reference. */
int auth_last_login(Db *db, const Actor *a, int current_session, json_t **out, HzErr *e);
int auth_set_disabled(Db *db, const Actor *by, const char *login, int disabled, HzErr *e);

/* What the login page may show before anyone logs in: on a database made by `huizhan
 * demo`, {"demo": true, "demo_password", "logins": [a few accounts]}; elsewhere
 * {"demo": false}. *out is a new reference. */
int auth_login_info(Db *db, json_t **out, HzErr *e);

#endif
