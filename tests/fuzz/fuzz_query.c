/* libFuzzer harness for the query string of a list: http/query.c query_parse (the raw text
 * after '?', as server.c reads it) and then the collection's list parameters
 * (domain/resource.c resource_list_params over domain/list_query.c list_query_read), the
 * same path GET /api/v1/<collection>?... takes before any SQL. The first byte picks the
 * collection; a second pass reads the query against a fixed list spec with typed
 * parameters (ids, integers, dates) and fixed sort keys, like the audit log's. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "domain/list_query.h"
#include "domain/resource.h"
#include "http/query.h"
#include "util/text.h"

static size_t ncollections(void) {
  static size_t n;
  while (resources[n]) n++;
  return n;
}

static int msg_ok(const HzErr *e) { return e->message[0] && utf8_valid(e->message, strlen(e->message)); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const sorts[] = {"at", "actor", NULL};
  static const ListParam params[] = {{"user_id", LQ_ID}, {"n", LQ_INT}, {"from", LQ_DATE}, {"q", LQ_TEXT}, {0}};
  if (!size) return 0;
  const Resource *r = resources[data[0] % ncollections()];
  /* The URI of a request holds no NUL: the query ends at the first one. */
  char *raw = strndup((const char *)data + 1, size - 1);
  json_t *query = json_object();
  char bad_name[64] = "";
  int bad = query_parse(raw, query, bad_name, sizeof bad_name);
  if (bad && (bad > QUERY_BAD_ESCAPE || !bad_name[0] || !utf8_valid(bad_name, strlen(bad_name)))) __builtin_trap();
  const char *key;
  json_t *v;
  json_object_foreach(query, key, v) {
    if (!utf8_valid(key, strlen(key))) __builtin_trap();
    if (!json_is_string(v) && !(json_is_array(v) && json_array_size(v) >= 2)) __builtin_trap();
  }

  ListParams lp;
  HzErr e = {0};
  int rc = resource_list_params(r, query, &lp, &e);
  if (!rc && (lp.limit < 1 || lp.limit > LIST_LIMIT_MAX || lp.offset < 0 || lp.offset > LIST_OFFSET_MAX ||
              !json_is_array(lp.filters)))
    __builtin_trap();
  if (!rc && lp.sort && !(lp.sort->flags & FF_SORT)) __builtin_trap();
  if (rc && (rc != HZ_EINVAL || !msg_ok(&e))) __builtin_trap();
  list_params_free(&lp);
  hz_err_clear(&e);

  ListSpec spec = {.sorts = sorts, .params = params};
  ListPage page;
  rc = list_query_read(query, &spec, &page, &e);
  if (!rc && page.sort && strcmp(page.sort, "at") && strcmp(page.sort, "actor")) __builtin_trap();
  if (rc && (rc != HZ_EINVAL || !msg_ok(&e))) __builtin_trap();
  hz_err_clear(&e);
  json_decref(query);
  free(raw);
  return 0;
}
