/* The audit hash chain (R-SEC-4): each entry's hash covers its own fields and the hash
 * of the entry before it, so editing or deleting any past entry breaks every hash after. */
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

/* SHA-256 hex over a length-prefixed encoding of every field (no ambiguity between fields). */
void audit_entry_hash(const AuditEntry *a, char out[SHA256_HEX_LEN]);

#endif
