/* The audit hash chain (R-SEC-4): each entry's hash covers its own fields and the hash
 * of the entry before it, so editing or deleting any past entry breaks every hash after.
 * With a key (a secret kept outside the database, domain/audit_key.h) the hash is an
 * HMAC-SHA-256 under it, so that someone who can write the database but does not hold the
 * key cannot recompute the chain after an edit. */
#ifndef HZ_AUDIT_H
#define HZ_AUDIT_H
#include <stdint.h>
#include "util/crypto.h"

typedef struct {
  int64_t id;
  const char *at;
  int64_t user_id;      /* 0 = the system */
  const char *action;   /* create, update, delete, login, certify, ... */
  const char *entity;   /* collection name */
  int64_t entity_id;
  const char *before;   /* JSON text or NULL */
  const char *after;    /* JSON text or NULL */
  const char *prev_hash;/* "" for the first entry */
} AuditEntry;

/* A question to the audit log, built by the caller (audit_log_query reads one from a
 * query string). Strings are borrowed. */
typedef struct {
  const char *entity, *action;  /* NULL: any */
  int64_t entity_id, user_id;   /* used when has_entity_id / has_user_id */
  int has_entity_id, has_user_id;
  const char *at_from, *at_to;  /* UTC days YYYY-MM-DD, both included; NULL: open */
  int ascending;                /* oldest first (sort=id); else newest first */
  int64_t limit, offset;
} AuditQuery;

#define AUDIT_KEY_BYTES 32

/* The process's chain key: one database's chain per process (the CLI and every worker of
 * `serve` work on the same one). key NULL: no key (plain SHA-256, the chain of a database
 * from before keyed audit, and the unit tests). keyed_from: the first entry id the key
 * covers (1 for a database made keyed; after `huizhan audit rekey`, the entry after the
 * old unkeyed chain). Set before any thread appends or verifies. */
void audit_key_set(const unsigned char *key, int64_t keyed_from);
/* Keys retired by a rotation (`huizhan audit rekey` on a keyed chain): entries from `from`
 * up to the next key's first entry stay hashed under the retired key. -1 when `from` < 1
 * or AUDIT_RETIRED_MAX are set. Cleared (and wiped) by audit_key_retired_clear. */
#define AUDIT_RETIRED_MAX 32
int audit_key_retire(const unsigned char *key, int64_t from);
void audit_key_retired_clear(void);
int audit_key_is_set(void);
int64_t audit_keyed_from(void);

/* Hex over a length-prefixed encoding of every field (no ambiguity between fields):
 * HMAC-SHA-256 under the key for entries from keyed_from on, under a retired key for the
 * entries it covered, plain SHA-256 before (or with no key). */
void audit_entry_hash(const AuditEntry *a, char out[SHA256_HEX_LEN]);

/* The seal of the chain's end: HMAC under the key of its length and head, kept in meta
 * beside them, so that cutting entries off the end and setting the head back (which
 * leaves every remaining hash valid) is found without the key. "" with no key. */
void audit_seal(int64_t count, const char *head, char out[SHA256_HEX_LEN]);

#endif
