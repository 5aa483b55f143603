/* Users' credentials, sessions, API tokens and failed-login counts. Tokens are stored
 * only as SHA-256 hashes: a copied database does not give away live sessions. */
#ifndef HZ_AUTH_STORE_H
#define HZ_AUTH_STORE_H
#include "db/db.h"
#include "domain/role.h"

/* Fills a (and hash, when not NULL) for login; HZ_ENOTFOUND when there is no such user. */
int auth_store_user_by_login(Db *db, const char *login, Actor *a, char *hash, size_t hash_n, int *disabled,
                             HzErr *e);
int auth_store_user_by_id(Db *db, int64_t id, Actor *a, int *disabled, HzErr *e);
int auth_store_set_password(Db *db, int64_t user_id, const char *hash, HzErr *e);
int auth_store_set_disabled(Db *db, int64_t user_id, int disabled, HzErr *e);

int auth_store_session_create(Db *db, int64_t user_id, const char *token_hash, const char *csrf, int64_t now,
                              int64_t expires_unix, HzErr *e);
/* What a session lookup tells besides the actor. */
typedef struct {
  int64_t id, last_seen_unix, password_changed_unix, created_unix;
  int must_change_password;
} SessionState;
/* The session of token_hash if it is not past expires_unix at now. HZ_EAUTH when unknown,
 * ended or the user is disabled. csrf gets the session's token, policy the security
 * policy's stored text ("" when none), read in the same statement so a request costs one
 * round trip: the caller checks the policy's age and idle limits (created_unix,
 * last_seen_unix). */
int auth_store_session_find(Db *db, const char *token_hash, int64_t now, Actor *a, char *csrf, size_t csrf_n,
                            SessionState *st, char *policy, size_t policy_n, HzErr *e);
/* Marks the session used at now (idle timeout); HZ_EBUSY, nothing written, while the
 * process is writing (the caller may skip it). */
int auth_store_session_touch(Db *db, int64_t session_id, int64_t now, HzErr *e);
/* Ends every session of a user but the one of keep_hash. */
int auth_store_sessions_end_others(Db *db, int64_t user_id, const char *keep_hash, HzErr *e);

/* Password bookkeeping: a password just set is remembered (history, keeping the newest
 * keep), its time recorded and the must-change mark cleared. */
int auth_store_password_recorded(Db *db, int64_t user_id, const char *hash, int64_t now, int keep, HzErr *e);
/* The user's newest n password hashes (history, then the current one): a new array, newest first. */
int auth_store_password_recent(Db *db, int64_t user_id, int n, json_t **hashes, HzErr *e);
int auth_store_set_must_change(Db *db, int64_t user_id, int must, HzErr *e);
/* Sets password_changed_unix where it is still unknown (0). */
int auth_store_password_age_start(Db *db, int64_t user_id, int64_t now, HzErr *e);
/* Active (not disabled) users of a role. */
int auth_store_count_role(Db *db, const char *role, int64_t *n, HzErr *e);

/* Login attempts (issue 14): outcome ok, bad_credentials, disabled or rate_limited;
 * user_id 0 when the login names no user. */
int auth_store_login_event_add(Db *db, const char *login, int64_t user_id, const char *address, const char *outcome,
                               int64_t now, HzErr *e);
/* A page of attempts, newest first, filtered by login / outcome / address when not NULL:
 * *items a new array of {id, at, login, user_id, address, outcome}. */
int auth_store_login_event_list(Db *db, const char *login, const char *outcome, const char *address, int64_t limit,
                                int64_t offset, json_t **items, int64_t *total, HzErr *e);
/* The user's successful logins, newest first, skipping skip of them: *out {at, address}
 * or NULL when there is none; *failures the failed attempts on the user's login since. */
int auth_store_login_last(Db *db, int64_t user_id, int skip, json_t **out, int64_t *failures, HzErr *e);
/* The users list's last login (the users resource's derived fields, store/record_store.c),
 * as SQL text. A user's last successful login event: the user's events walked from the
 * newest through the login_events_user index, stopping at the first 'ok' (a handful of
 * rows, however long the log). `user` is the SQL of the users row's id. */
#define AUTH_STORE_LAST_LOGIN(col, user)                                                             \
  "(SELECT l." col " FROM login_events l WHERE l.user_id = " user " AND l.outcome = 'ok'"            \
  " ORDER BY l.id DESC LIMIT 1)"
/* A page of users at once: the head of a statement whose IN list (ids bound) the caller
 * closes; it gives id, at and address of each of those users who ever logged in. */
#define AUTH_STORE_LAST_LOGINS_IN                                                                    \
  "SELECT u.id, e.at, e.address FROM users u JOIN login_events e ON e.id = " AUTH_STORE_LAST_LOGIN( \
      "id", "u.id") " WHERE u.id IN ("
int auth_store_session_delete(Db *db, const char *token_hash, HzErr *e);
/* Ends every session of a user (password change, disabling). */
int auth_store_sessions_end_user(Db *db, int64_t user_id, HzErr *e);

int auth_store_token_create(Db *db, int64_t user_id, const char *name, const char *token_hash, int64_t *id,
                            HzErr *e);
/* The live token's user; policy gets the security policy's stored text ("" when none), read
 * in the same statement. HZ_EAUTH when unknown, revoked or the user is disabled. */
int auth_store_token_find(Db *db, const char *token_hash, Actor *a, char *policy, size_t policy_n, HzErr *e);
/* JSON array of {id, name, login, created_at, revoked}. */
int auth_store_token_list(Db *db, json_t **out, HzErr *e);
int auth_store_token_revoke(Db *db, int64_t id, HzErr *e);

/* Failed logins, by login name and the client's address ("" when unknown). */
int auth_store_failure_add(Db *db, const char *login, const char *address, int64_t now, int64_t forget_before,
                           HzErr *e);
/* Failures since a moment: of this login from this address, of any login from this
 * address, of this login from anywhere. */
typedef struct {
  int64_t login_here, address, login;
} LoginFailures;
int auth_store_failure_count(Db *db, const char *login, const char *address, int64_t since, LoginFailures *n,
                             HzErr *e);
int auth_store_failure_clear(Db *db, const char *login, const char *address, HzErr *e);

#endif
