/* Collections of the JSON API described as data. Each Resource names its table, its
 * fields with their types and rules, who may read and write it, and how a unit user's
 * view is narrowed to its own unit. One generic engine (domain/record.c over
 * store/record_store.c) gives every collection list, filter, sort, paging, create, read,
 * update and delete with the same validation, permissions and audit; the few rules that
 * differ live in each resource's prepare/after hooks (domain/resources.c). */
#ifndef HZ_RESOURCE_H
#define HZ_RESOURCE_H
#include <jansson.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/choice.h"
#include "domain/role.h"
#include "util/err.h"

typedef enum {
  FT_INT,       /* JSON integer within [min, max] */
  FT_MONEY,     /* JSON integer, yuan, 0 .. MONEY_MAX */
  FT_TEXT,      /* JSON string, at most max characters (default 500) */
  FT_DATE,      /* "YYYY-MM-DD", a real calendar day */
  FT_BOOL,      /* true / false, stored 0 / 1 */
  FT_ENUM,      /* one of choices */
  FT_REF,       /* id of a record in collection ref */
  FT_LINKS,     /* array of ids in collection ref, kept in link_table */
  FT_TIMESTAMP, /* server-set UTC time */
  FT_JSON,      /* a JSON object or array, stored as text */
} FieldType;

enum {
  FF_REQUIRED = 1 << 0,    /* must be given on create */
  FF_READONLY = 1 << 1,    /* set by the server only */
  FF_CREATE_ONLY = 1 << 2, /* given on create, never changed afterwards */
  FF_NULLABLE = 1 << 3,    /* may be null */
  FF_FILTER = 1 << 4,      /* list filter ?name=value (dates also name_from / name_to) */
  FF_SORT = 1 << 5,        /* list sort key */
  FF_SECRET = 1 << 6,      /* write-only, never read back */
  FF_SEARCH = 1 << 7,      /* matched by ?q= */
  FF_VIRTUAL = 1 << 8,     /* not a column; a hook handles it */
  FF_WRITERS = 1 << 9,     /* read back only to roles that may write the collection */
};
/* A field both FF_VIRTUAL and FF_READONLY (not FF_SECRET) is derived: no column of the
 * record holds it, the store reads it from other tables with each page of records (one
 * query per page, store/record_store.c) and it follows the record's columns and links. */

enum { OP_CREATE = 1 << 0, OP_UPDATE = 1 << 1, OP_DELETE = 1 << 2 };
#define OPS_ALL (OP_CREATE | OP_UPDATE | OP_DELETE)

typedef struct {
  const char *name;
  FieldType type;
  unsigned flags;
  const char *label;            /* zh-CN, for messages and the OpenAPI document */
  const Choice *choices;        /* FT_ENUM: codes with their zh-CN labels, ending with {0} */
  const char *ref;              /* FT_REF / FT_LINKS: collection referred to */
  int64_t min, max;             /* FT_INT range; FT_TEXT max characters */
  const char *link_table, *link_self, *link_other; /* FT_LINKS */
} Field;

typedef enum {
  SCOPE_PUBLIC,      /* every role reads every record */
  SCOPE_UNIT,        /* unit users see records whose unit_field is their unit */
  SCOPE_PROJECT,     /* projects: lead unit or a co-owning unit */
  SCOPE_VIA_PROJECT, /* records of a project the unit user can see */
  SCOPE_UNIT_OR_ALL, /* like SCOPE_UNIT, plus records for no unit in particular (broadcasts) */
} Scope;

typedef struct Resource Resource;
typedef struct RecordCtx RecordCtx;

struct Resource {
  const char *name;         /* URL collection, e.g. "stage-changes" */
  const char *table;
  const char *label;        /* zh-CN */
  const char *parent;       /* collection it is nested under, or NULL */
  const char *parent_field; /* column holding the parent's id */
  const Field *fields;      /* ends with {0} */
  Scope scope;
  const char *unit_field;   /* SCOPE_UNIT */
  unsigned read_roles;
  unsigned write_roles;     /* unit roles may write only inside their scope */
  unsigned ops;             /* generic operations offered */
  int (*prepare)(RecordCtx *c); /* before a write: cross-field rules, server-set values */
  int (*after)(RecordCtx *c);   /* after a write, same transaction */
  const char *figures_project;  /* field holding the project whose figures a write changes, or NULL */
  int cache_lists;              /* list answers may be kept per revision: every write to what they show is audited */
  void (*decorate)(json_t *item);   /* adds derived values to each record read (pure) */
  const char *unit_visible_when;    /* SQL condition a unit user needs besides its scope, e.g. published = 1 */
};

/* Everything a hook may look at or change while one record is written. */
struct RecordCtx {
  Db *db;
  const Actor *actor;
  const Resource *res;
  int op;          /* OP_CREATE / OP_UPDATE / OP_DELETE */
  int64_t id;      /* the record; set before `after` on create */
  json_t *before;  /* stored record before the write (update, delete) */
  json_t *values;  /* columns to write: validated input plus server-set values */
  json_t *merged;  /* before + values: the record as it will be (create, update) */
  json_t *extra;   /* virtual inputs (FF_VIRTUAL) */
  HzErr *err;
};

typedef struct {
  int64_t limit, offset;
  const Field *sort;  /* NULL: by id */
  int desc;
  json_t *filters;    /* [[field_name, op("=",">=","<=","in"), value (an array for "in")], ...], owned */
  const char *q;      /* text search, or NULL */
  int writer;         /* the reader may write the collection: FF_WRITERS fields are shown */
} ListParams;

/* Called for each record of a walk over a list (record_each), in order; item is borrowed
 * (take a reference to keep it). A non-zero rc stops the walk and is returned. */
typedef int (*RecordEachFn)(void *ctx, json_t *item, HzErr *e);

extern const Resource *const resources[];

const Resource *resource_find(const char *name);
const Field *resource_field(const Resource *r, const char *name);
/* The choices of collection.field (e.g. "funds", "kind"), or NULL when it is no
 * enumeration: what imports, exports and documents read codes and labels from. */
const Choice *resource_choices(const char *collection, const char *field);
/* Validates a request body for create (op=OP_CREATE) or update. On success *values holds
 * the columns to write (new reference) and *extra the virtual fields. Every offending
 * field is named in e->fields; HZ_EINVAL. */
int resource_validate(const Resource *r, json_t *body, int op, json_t **values, json_t **extra, HzErr *e);
/* When e names more than one field, rewrites its message to name each with its zh-CN
 * label ("有 2 处输入有误：签约日期（contract_date）：…；合同金额（contract_value）：…"), so
 * one answer tells the user everything to fix; rc and e->fields stay. */
void resource_errors_summarize(const Resource *r, HzErr *e);
/* Reads limit, offset, sort, q and field filters from query through list_query_read
 * (domain/list_query.h). Unknown parameters are refused, naming them; a filter on an
 * enum, reference or integer field given several times means any of the values. */
int resource_list_params(const Resource *r, json_t *query, ListParams *p, HzErr *e);
void list_params_free(ListParams *p);
/* Whether the list filter `key` may be given several times (any of its values). */
int resource_filter_repeatable(const Resource *r, const char *key);
/* Checks one JSON value against a field's type and rules; HZ_OK or HZ_EINVAL with message. */
int field_check(const Field *f, json_t *v, HzErr *e);

#endif
