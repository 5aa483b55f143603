/* Reading the audit log (R-SEC-4) for the API and the CLI: the list with its typed query,
 * one entry, the chain check and the data revision the caches key on. */
#ifndef HZ_AUDIT_LOG_H
#define HZ_AUDIT_LOG_H
#include <jansson.h>
#include "db/db.h"
#include "domain/audit.h"

/* Reads entity, entity_id, user_id, action, at_from, at_to, sort (id | -id), limit and
 * offset through list_query_read into *q (strings borrowed from query). HZ_EINVAL naming
 * a bad or unknown parameter. */
int audit_log_query(json_t *query, AuditQuery *q, HzErr *e);
/* *out = {items, total, limit, offset}; new reference. */
int audit_log_list(Db *db, const AuditQuery *q, json_t **out, HzErr *e);
/* One entry as listed; HZ_ENOTFOUND when there is none. */
int audit_log_get(Db *db, int64_t id, json_t **out, HzErr *e);
/* Walks the hash chain; see audit_store_verify. */
int audit_log_verify(Db *db, int64_t *count, HzErr *e);
/* The data revision, bumped by every audited write. */
int64_t audit_log_revision(Db *db);

#endif
