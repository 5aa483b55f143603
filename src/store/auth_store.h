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

int auth_store_session_create(Db *db, int64_t user_id, const char *token_hash, const char *csrf,
                              int64_t expires_unix, HzErr *e);
/* HZ_EAUTH when unknown, expired or the user is disabled. csrf gets the session's token. */
int auth_store_session_find(Db *db, const char *token_hash, int64_t now, Actor *a, char *csrf, size_t csrf_n,
                            HzErr *e);
int auth_store_session_delete(Db *db, const char *token_hash, HzErr *e);
/* Ends every session of a user (password change, disabling). */
int auth_store_sessions_end_user(Db *db, int64_t user_id, HzErr *e);

int auth_store_token_create(Db *db, int64_t user_id, const char *name, const char *token_hash, int64_t *id,
                            HzErr *e);
int auth_store_token_find(Db *db, const char *token_hash, Actor *a, HzErr *e);
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
