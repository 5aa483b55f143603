/* Shorthands shared by the files that describe collections (resources.c,
 * resources_workflow.c): field rows and the small helpers their hooks use. Include it
 * only there. */
#ifndef HZ_RESOURCE_DEFS_H
#define HZ_RESOURCE_DEFS_H
#include "domain/resource.h"
#include "store/record_store.h"

#define RW (FF_FILTER | FF_SORT)
#define TEXT(n, l, fl) {n, FT_TEXT, fl, l, NULL, NULL, 0, 0, NULL, NULL, NULL}
#define LONGTEXT(n, l, fl) {n, FT_TEXT, fl, l, NULL, NULL, 0, 4000, NULL, NULL, NULL}
#define DATE(n, l, fl) {n, FT_DATE, fl, l, NULL, NULL, 0, 0, NULL, NULL, NULL}
#define MONEY(n, l, fl) {n, FT_MONEY, fl, l, NULL, NULL, 0, 0, NULL, NULL, NULL}
#define INT(n, l, fl, lo, hi) {n, FT_INT, fl, l, NULL, NULL, lo, hi, NULL, NULL, NULL}
#define BOOL(n, l, fl) {n, FT_BOOL, fl, l, NULL, NULL, 0, 0, NULL, NULL, NULL}
#define ENUM(n, l, fl, c) {n, FT_ENUM, fl, l, c, NULL, 0, 0, NULL, NULL, NULL}
#define REF(n, l, fl, r) {n, FT_REF, fl, l, NULL, r, 0, 0, NULL, NULL, NULL}
#define LINKS(n, l, fl, r, t, s, o) {n, FT_LINKS, fl, l, NULL, r, 0, 0, t, s, o}
#define JSONF(n, l, fl) {n, FT_JSON, fl, l, NULL, NULL, 0, 0, NULL, NULL, NULL}
#define TIMESTAMP(n, l, fl) {n, FT_TIMESTAMP, fl, l, NULL, NULL, 0, 0, NULL, NULL, NULL}
#define END {0}

/* The record as it will be after this write. */
static inline json_t *val(RecordCtx *c, const char *k) { return json_object_get(c->merged, k); }
static inline const char *sval(RecordCtx *c, const char *k) { return json_string_value(val(c, k)); }
static inline int64_t ival(RecordCtx *c, const char *k) { return json_integer_value(val(c, k)); }
static inline void set_server(RecordCtx *c, const char *k, json_t *v) {
  json_object_set(c->values, k, v);
  json_object_set_new(c->merged, k, v);
}
static inline int field_fail(RecordCtx *c, int rc, const char *field, const char *msg) {
  return hz_fail(c->err, rc, field, "%s", msg);
}
static inline int load(RecordCtx *c, const char *collection, int64_t id, json_t **out) {
  return record_store_get(c->db, resource_find(collection), id, 0, out, c->err);
}

/* A unit user's record belongs to its own unit unless it says otherwise. */
static inline int default_own_unit(RecordCtx *c, const char *field) {
  if (c->op == OP_CREATE && !val(c, field)) {
    if (!actor_is_unit(c->actor)) return field_fail(c, HZ_EINVAL, field, "必填");
    set_server(c, field, json_integer(c->actor->unit_id));
  }
  return HZ_OK;
}

#endif
