/* Generic SQL for every Resource (domain/resource.h): the statements are assembled from
 * the resource's static description only; every value is a bound parameter. */
#ifndef HZ_RECORD_STORE_H
#define HZ_RECORD_STORE_H
#include "domain/resource.h"

struct Buf;

/* scope_unit: 0 = every record; else only records a user of that unit may see. */
int record_store_get(Db *db, const Resource *r, int64_t id, int64_t scope_unit, json_t **out, HzErr *e);
/* parent_id: 0 = any parent. *items is a new array; *total counts all matches. */
int record_store_list(Db *db, const Resource *r, const ListParams *p, int64_t parent_id, int64_t scope_unit,
                      json_t **items, int64_t *total, HzErr *e);
/* The same page as JSON text appended to out: the items array exactly as json_text would
 * write record_store_list's *items, built without jansson objects (faster). */
int record_store_list_text(Db *db, const Resource *r, const ListParams *p, int64_t parent_id, int64_t scope_unit,
                           struct Buf *out, int64_t *total, HzErr *e);
/* Sets the derived fields (resource.h) of every record of items (r's records, with their
 * "id"): null, then what one query for all of them finds. FF_WRITERS fields only when
 * writer (the reader may write r); p->writer does the same for the lists above. */
int record_store_derived(Db *db, const Resource *r, json_t *items, int writer, HzErr *e);
/* Every row of the list p describes (its limit and offset are not used), handed to fn one
 * by one without holding the list: memory is bounded by a batch of rows. fn may read the
 * database (other statements) but must not write it. */
int record_store_each(Db *db, const Resource *r, const ListParams *p, int64_t parent_id, int64_t scope_unit,
                      RecordEachFn fn, void *ctx, HzErr *e);
/* The text of column (a column of r's own table, from its static description) of record id
 * into out (n bytes, cut to fit; "" for NULL): a reference's natural key for an export.
 * HZ_ENOTFOUND when there is no such record or a user of unit scope_unit (0: anyone) may
 * not read it. */
int record_store_key(Db *db, const Resource *r, int64_t id, const char *column, int64_t scope_unit, char *out,
                     size_t n, HzErr *e);
/* The id a new record of a table gets: one past both the highest id in the table and the
 * highest id the audit log ever named for the entity (bound at `param`, "?" or "?N"), so the id of a
 * deleted record is never given again and a new record never inherits the deleted one's
 * history. Portable SQL, read through the audit_entity index; no migration needed, and it
 * holds for databases written before it (their deletes are in the audit log). */
#define RECORD_STORE_NEXT_ID(table, param)                                                         \
  "(SELECT COALESCE(MAX(v), 0) + 1 FROM (SELECT MAX(id) AS v FROM " table                          \
  " UNION ALL SELECT MAX(entity_id) FROM audit_log WHERE entity = " param ") AS used)"
/* values: column -> JSON value (links as arrays). Sets *id, chosen as RECORD_STORE_NEXT_ID. */
int record_store_insert(Db *db, const Resource *r, json_t *values, int64_t *id, HzErr *e);
/* Bumps version; HZ_ECONFLICT when the stored version is not `version`. */
int record_store_update(Db *db, const Resource *r, int64_t id, int64_t version, json_t *values, HzErr *e);
/* HZ_ECONFLICT when other records still refer to it. */
int record_store_delete(Db *db, const Resource *r, int64_t id, HzErr *e);
/* 1 when a record with this id exists and a user of unit scope_unit may read it
 * (scope_unit 0: any record, as for central roles). */
int record_store_exists(Db *db, const Resource *r, int64_t id, int64_t scope_unit);

#endif
