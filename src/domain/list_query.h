/* The one reader of list parameters (SPEC §7): every list of the API — the generic
 * collections, the audit log, the figures' lists, snapshots, duplicates, target gaps —
 * takes limit, offset, sort and its own filters through list_query_read and answers
 * {items, total, limit, offset}. The query is an object whose values are strings, or
 * arrays of strings for a parameter given several times (http/server.c). */
#ifndef HZ_LIST_QUERY_H
#define HZ_LIST_QUERY_H
#include <jansson.h>
#include <stdint.h>
#include "util/err.h"

#define LIST_LIMIT_DEFAULT 50
#define LIST_LIMIT_MAX 500
#define LIST_OFFSET_MAX (INT64_C(1) << 40)
#define LIST_ANY_OF_MAX 20 /* values of one repeated filter */

typedef enum {
  LQ_TEXT,  /* any text */
  LQ_ID,    /* a positive integer */
  LQ_INT,   /* an integer */
  LQ_DATE,  /* YYYY-MM-DD, a real day */
  LQ_BOOL,  /* true or false */
} ListParamType;

typedef struct {
  const char *name;
  ListParamType type;
} ListParam;

/* What a list accepts besides limit and offset. */
typedef struct {
  const char *const *sorts;  /* sort keys (each also as "-key"), NULL-terminated; NULL: no sort */
  const ListParam *params;   /* further parameters, ends with {0}; NULL: none */
  /* Names not in params: 1 when the list takes `name`, with *repeat = 1 when it may be
   * given several times ("any of"). NULL: none. */
  int (*accepts)(const void *ctx, const char *name, int *repeat);
  /* Sort keys not in sorts: 1 when the list sorts by `key`. NULL: none. */
  int (*sortable)(const void *ctx, const char *key);
  const void *ctx;
  int unpaged;               /* the answer is not a list: limit and offset are refused too */
} ListSpec;

typedef struct {
  int64_t limit, offset;
  const char *sort; /* the key without its '-', or NULL; points into the query */
  int desc;         /* sort given as "-key" */
} ListPage;

/* Checks every parameter of query against spec: an unknown one, one given several times
 * where that is not allowed, a bad limit/offset/sort or a typed parameter that does not
 * parse is HZ_EINVAL naming it. Fills *p (limit 50 by default, at most 500). */
int list_query_read(json_t *query, const ListSpec *spec, ListPage *p, HzErr *e);
/* The value of a single-valued parameter, or NULL (borrowed from query). */
const char *list_query_text(json_t *query, const char *name);
/* An integer parameter already checked by list_query_read: 1 and *out when given, else 0. */
int list_query_int(json_t *query, const char *name, int64_t *out);
/* The {items, total, limit, offset} answer; steals items. */
json_t *list_query_answer(json_t *items, int64_t total, const ListPage *p);
/* The page [offset, offset + limit) of a list computed whole: steals all, answers as above. */
json_t *list_query_slice(json_t *all, const ListPage *p);

#endif
