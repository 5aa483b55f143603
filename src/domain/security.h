/* The installation's security policy (等保2.0 level 3, issue 14): session lifetimes,
 * password rules and the separation of duties. One per installation, kept in the
 * database (meta key security_policy) so every instance serving it applies the same.
 * Defaults:
 *   session_idle_minutes 30      a session unused this long ends
 *   session_max_hours 12         and none lives longer than this
 *   password_min_length 8        characters
 *   password_min_classes 2       of lower case, upper case, digits, other characters
 *   password_history 5           a new password may not be one of the last N, the current
 *                                one included (0 or 1: only the current one)
 *   password_max_days 90         a password older than this must be changed (0: never)
 *   separation_of_duties false   三员分立: the admin gives up accounts and logs */
#ifndef HZ_SECURITY_H
#define HZ_SECURITY_H
#include <jansson.h>
#include "db/db.h"
#include "domain/role.h"

typedef struct {
  int session_idle_minutes, session_max_hours;
  int password_min_length, password_min_classes, password_history, password_max_days;
  int separation_of_duties;
  int64_t version; /* 0 until first changed */
} SecurityPolicy;

void security_policy_default(SecurityPolicy *p);
/* The stored policy (defaults for what is not stored). */
int security_policy_load(Db *db, SecurityPolicy *p, HzErr *e);
/* The policy from its stored text (meta 'security_policy'; "" or NULL: the defaults), for a
 * caller that read the text with another query (the session or token lookup). */
void security_policy_parse(const char *text, SecurityPolicy *p);
json_t *security_policy_json(const SecurityPolicy *p);
/* Merges a partial JSON object into p, naming every bad key in e->fields (HZ_EINVAL). */
int security_policy_apply(SecurityPolicy *p, json_t *patch, HzErr *e);
/* PATCH {version, …}: 409 on a stale version; turning the separation on needs an active
 * security_admin and auditor (422). Stores and audits in one transaction; *out the new
 * policy (new reference). */
int security_policy_update(Db *db, const Actor *a, json_t *body, json_t **out, HzErr *e);

/* Whether password may become user_id's (0: a new user): length and character classes,
 * and not one of the user's last password_history passwords nor the current one.
 * HZ_EINVAL naming field. */
int security_password_check(Db *db, const SecurityPolicy *p, int64_t user_id, const char *password,
                            const char *field, HzErr *e);
/* After a password was stored for user_id (inside the writer's transaction): history,
 * age, must-change mark cleared. */
int security_password_stored(Db *db, const SecurityPolicy *p, int64_t user_id, const char *hash, HzErr *e);

#endif
