/* The bell's read state, kept on the server per user: the newest notification id the
 * user has seen. Not audited: it is the person's own reading position, not campaign data. */
#ifndef HZ_NOTICE_H
#define HZ_NOTICE_H
#include "db/db.h"
#include "domain/role.h"
#include <jansson.h>

/* *last = the actor's mark (0 when never set). */
int notice_seen_get(Db *db, const Actor *a, int64_t *last, HzErr *e);
/* body {"up_to": id}: moves the actor's mark forward (never back); *out = {"up_to": mark
 * after}, a new reference. HZ_EINVAL naming up_to when it is not a notification id range
 * (an integer from 0 to the newest notification's id). */
int notice_seen_set(Db *db, const Actor *a, json_t *body, json_t **out, HzErr *e);
#endif
