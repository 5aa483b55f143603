/* The one engine behind every collection: permissions, validation, hooks, one
 * transaction per write, and an audit entry for every change. */
#ifndef HZ_RECORD_H
#define HZ_RECORD_H
#include "domain/resource.h"

/* The write path: the one entry through which the API, the importers and the demo change a
 * record. In order: the actor's role, the operation the collection offers, the parent
 * (create) or the stored record as the actor may see it (update, delete), the body's
 * fields, the version read (update, delete), the collection's prepare hook (cross-field
 * rules, server-set values), the actor's unit scope, the references, the store, the after
 * hook, the project's running totals and the audit entry.
 *
 * It runs inside a transaction the caller opened with db_begin and never opens, commits or
 * rolls back one itself: an importer writes every row of a file between one db_begin and
 * its db_commit, or rolls the whole file back (a dry run, or a bad row). On failure part of
 * the row may have been written: the caller rolls back.
 *
 * op: OP_CREATE (parent_id: the parent record of a nested collection, 0 at the top level;
 *     id unused), OP_UPDATE or OP_DELETE (id; parent_id unused).
 * body: the fields (create, update) and "version", the version read (update, delete);
 *     a delete without one fails with HZ_EPRECOND. Borrowed.
 * An update that changes nothing is no write: HZ_OK with the stored record, same version,
 * no audit entry.
 * out: NULL, or receives a new reference to the record as stored (NULL after a delete);
 *     the caller frees it.
 * e: clear on entry (hz_err_clear between rows); on failure it names every offending
 *     field found, each with its message, and e->message lists them with their labels. */
int record_write(Db *db, const Actor *a, const Resource *r, int op, int64_t id, int64_t parent_id, json_t *body,
                 json_t **out, HzErr *e);

/* Batched writes, for importers writing thousands of rows in one transaction. Between
 * record_batch_begin and record_batch_end, record_write on db (from this thread):
 *  - defers each project's figure refresh to record_batch_end, which recomputes every
 *    project touched once and adds their net differences to the unit sums together
 *    (figures_batch_refresh); until then the unit sums and those projects' figures are
 *    stale (nothing in the write path reads them);
 *  - appends audit entries with the chain's head kept in memory (audit_store_batch_*):
 *    the same entries, hashes and revision as single writes.
 * check_only=1: for a pass that will be rolled back whole, whose only purpose is to learn
 * whether each row would be accepted: record_write checks every rule and reference, then
 * stores an update (so its constraints are checked too) but not a new record (the
 * schema's constraints on a new row all have their twins in C: resource_validate and the
 * prepare hooks), and skips figures, the audit entry and the after-image; *out is NULL
 * unless nothing changed. Never commit a check-only batch.
 * begin: inside the caller's transaction. end: before its commit (HZ_OK or an rc: roll
 * back then). After a rollback, record_batch_abort instead. One batch per thread. */
int record_batch_begin(Db *db, int check_only, HzErr *e);
int record_batch_end(Db *db, HzErr *e);
void record_batch_abort(Db *db);

/* Each returns HZ_OK and a new JSON reference in *out, or an HzRc with e set.
 * parent_id: the id from a nested URL (/campaigns/3/targets), 0 when top-level. */
int record_list(Db *db, const Actor *a, const Resource *r, int64_t parent_id, json_t *query, json_t **out,
                HzErr *e);
/* The same answer as record_list, as its JSON text (*text malloc'd, caller frees; the
 * same bytes json_text gives of record_list's answer), written without building it. */
int record_list_text(Db *db, const Actor *a, const Resource *r, int64_t parent_id, json_t *query, char **text,
                     size_t *len, HzErr *e);
/* Every record of r the actor may read (under parent_id when not 0) that passes filters,
 * by id: for internal callers, which must not stop at a page. filters: [[field, "=" |
 * ">=" | "<=", typed value], …] (a bool as 0/1, a date as "YYYY-MM-DD"), borrowed, NULL
 * for none. *items: a new array the caller frees. */
int record_list_all(Db *db, const Actor *a, const Resource *r, int64_t parent_id, json_t *filters, json_t **items,
                    HzErr *e);
/* Every record of a list as the list endpoint would give it (the same parameters: sort, q
 * and filters, read by resource_list_params, and the same scope), all pages, handed to fn
 * one at a time in order (store/record_store.h: record_store_each) so that memory does not
 * grow with the list: for exports. limit and offset are refused, naming them: the walk is
 * never a page. query: borrowed. fn may read the database but not write it. */
int record_each(Db *db, const Actor *a, const Resource *r, int64_t parent_id, json_t *query, RecordEachFn fn,
                void *ctx, HzErr *e);
int record_read(Db *db, const Actor *a, const Resource *r, int64_t id, json_t **out, HzErr *e);
int record_create(Db *db, const Actor *a, const Resource *r, int64_t parent_id, json_t *body, json_t **out,
                  HzErr *e);
int record_update(Db *db, const Actor *a, const Resource *r, int64_t id, json_t *body, json_t **out, HzErr *e);
/* create, update and delete are record_write, each in a transaction of its own.
 * version: the version the caller read; 0 = not given (HZ_EPRECOND). */
int record_delete(Db *db, const Actor *a, const Resource *r, int64_t id, int64_t version, HzErr *e);

/* The unit a user's view is narrowed to (0 = sees everything). */
int64_t record_scope_unit(const Actor *a);
/* Writes a change made outside the generic engine (actions, CLI) to the audit log. */
int record_audit(Db *db, const Actor *a, const char *action, const Resource *r, int64_t id, json_t *before,
                 json_t *after, HzErr *e);

#endif
