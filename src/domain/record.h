/* The one engine behind every collection: permissions, validation, hooks, one
 * transaction per write, and an audit entry for every change. */
#ifndef HZ_RECORD_H
#define HZ_RECORD_H
#include "domain/resource.h"

/* Each returns HZ_OK and a new JSON reference in *out, or an HzRc with e set.
 * parent_id: the id from a nested URL (/campaigns/3/targets), 0 when top-level. */
int record_list(Db *db, const Actor *a, const Resource *r, int64_t parent_id, json_t *query, json_t **out,
                HzErr *e);
/* Every record of r the actor may read (under parent_id when not 0) that passes filters,
 * by id: for internal callers, which must not stop at a page. filters: [[field, "=" |
 * ">=" | "<=", typed value], …] (a bool as 0/1, a date as "YYYY-MM-DD"), borrowed, NULL
 * for none. *items: a new array the caller frees. */
int record_list_all(Db *db, const Actor *a, const Resource *r, int64_t parent_id, json_t *filters, json_t **items,
                    HzErr *e);
int record_read(Db *db, const Actor *a, const Resource *r, int64_t id, json_t **out, HzErr *e);
int record_create(Db *db, const Actor *a, const Resource *r, int64_t parent_id, json_t *body, json_t **out,
                  HzErr *e);
int record_update(Db *db, const Actor *a, const Resource *r, int64_t id, json_t *body, json_t **out, HzErr *e);
int record_delete(Db *db, const Actor *a, const Resource *r, int64_t id, HzErr *e);

/* The unit a user's view is narrowed to (0 = sees everything). */
int64_t record_scope_unit(const Actor *a);
/* Writes a change made outside the generic engine (actions, CLI) to the audit log. */
int record_audit(Db *db, const Actor *a, const char *action, const Resource *r, int64_t id, json_t *before,
                 json_t *after, HzErr *e);

#endif
