/* Appending to and verifying the hash-chained audit log (domain/audit.h). */
#ifndef HZ_AUDIT_STORE_H
#define HZ_AUDIT_STORE_H
#include <jansson.h>
#include "db/db.h"
#include "domain/audit.h"
#include "domain/role.h"

/* Appends one entry inside the caller's transaction and bumps the data revision
 * (every audited change is a write the caches must see). before/after may be NULL. */
int audit_store_append(Db *db, const Actor *actor, const char *action, const char *entity, int64_t entity_id,
                       json_t *before, json_t *after, HzErr *e);
/* Batched appends, for importers writing thousands of entries in one transaction. Between
 * audit_store_batch_begin and audit_store_batch_end, audit_store_append on db (from this
 * thread) keeps the chain's head and length and the revision in memory instead of reading
 * and writing meta for every entry; batch_end writes them once. The entries and their
 * hashes are exactly those single appends would make. All three inside one transaction:
 * end the batch before the commit; after a rollback (of the transaction or of a savepoint
 * holding appends of the batch), call audit_store_batch_abort, which forgets the batch.
 * One batch per thread at a time. */
int audit_store_batch_begin(Db *db, HzErr *e);
int audit_store_batch_end(Db *db, HzErr *e);
void audit_store_batch_abort(Db *db);
/* Walks the whole chain. HZ_OK when intact; else HZ_EIO with e->message naming the first
 * broken entry (edited, deleted, reordered or truncated). *count = entries checked. With
 * a key (domain/audit.h), the seal of the end is checked too. */
int audit_store_verify(Db *db, int64_t *count, HzErr *e);
/* The chain's head (its newest hash, "" when empty) and length, as meta records them. */
int audit_store_head(Db *db, char head[SHA256_HEX_LEN], int64_t *count, HzErr *e);
/* Records the seal of the chain's end (audit_seal) in meta: every append does, and a
 * loader that writes entries itself (gen) calls it once it set head and count. */
int audit_store_seal(Db *db, int64_t count, const char *head, HzErr *e);
/* How many accounts exist (a log that is empty while they exist lost its entries). */
int audit_store_accounts(Db *db, int64_t *n, HzErr *e);
/* Whether this thread appended entries since the last call (which clears the mark):
 * the audit log file (domain/audit_file.h) copies entries after a commit that made some. */
int audit_store_appended_take(void);
/* Calls fn with every entry whose id > after_id, in id order, as its stored columns (the
 * text lent for the call; user_id 0 and has_user 0 for the system). fn's first rc that
 * is not HZ_OK stops the walk and is returned. */
typedef struct {
  int64_t id, user_id, entity_id;
  int has_user;
  const char *at, *action, *entity, *before, *after, *prev_hash, *hash;
} AuditRow;
typedef int (*AuditRowFn)(void *ctx, const AuditRow *r, HzErr *e);
int audit_store_each_row(Db *db, int64_t after_id, AuditRowFn fn, void *ctx, HzErr *e);
/* Data revision: bumped by every audited write. */
int64_t audit_store_revision(Db *db);
/* The id of the newest entry (0 when the log is empty): every audited write adds one, so
 * the entries after an id are what changed since (domain/progress.c keeps boards up to
 * date with them). */
int audit_store_last_id(Db *db, int64_t *id, HzErr *e);
/* Calls fn with the action, the entity and the before/after JSON text (NULL when absent) of every entry
 * with after_id < id <= upto_id, in id order; the text is only lent for the call. fn returns
 * an rc; the first that is not HZ_OK stops the walk and is returned. */
typedef int (*AuditEntryFn)(void *ctx, const char *action, const char *entity, const char *before, const char *after,
                            HzErr *e);
int audit_store_each_since(Db *db, int64_t after_id, int64_t upto_id, AuditEntryFn fn, void *ctx, HzErr *e);
/* The `after` of the newest entry about (entity, entity_id), of `action` when not NULL;
 * *after NULL when there is none. When last_action is not NULL it receives that entry's
 * action ("" when there is none; n bytes). */
int audit_store_latest(Db *db, const char *entity, int64_t entity_id, const char *action, json_t **after,
                       char *last_action, size_t n, HzErr *e);
/* Ids of the records of `entity` the log ever saw certified: a `certify` entry, or an
 * entry whose `after` has status certified (a record created certified). */
int audit_store_certified_ids(Db *db, const char *entity, json_t **ids, HzErr *e);
/* Ids of the records of `entity` the log has an `action` entry for. */
int audit_store_logged_ids(Db *db, const char *entity, const char *action, json_t **ids, HzErr *e);
/* Ids of the records of `table` whose status is `status`. */
int audit_store_ids(Db *db, const char *table, const char *status, json_t **ids, HzErr *e);
/* The entries q asks for (domain/audit.h): *items their page, *total how many match. */
int audit_store_list(Db *db, const AuditQuery *q, json_t **items, int64_t *total, HzErr *e);
/* One entry, as listed; HZ_ENOTFOUND when there is none. */
int audit_store_get(Db *db, int64_t id, json_t **out, HzErr *e);

#endif
