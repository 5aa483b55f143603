#include "domain/audit_log.h"
#include "domain/list_query.h"
#include "store/audit_store.h"
#include <string.h>

int audit_log_query(json_t *query, AuditQuery *q, HzErr *e) {
  static const char *const sorts[] = {"id", NULL};
  static const ListParam params[] = {{"entity", LQ_TEXT},  {"entity_id", LQ_INT}, {"user_id", LQ_INT},
                                     {"action", LQ_TEXT},  {"at_from", LQ_DATE},  {"at_to", LQ_DATE},
                                     {0}};
  const ListSpec spec = {.sorts = sorts, .params = params};
  ListPage p;
  memset(q, 0, sizeof *q);
  int rc = list_query_read(query, &spec, &p, e);
  if (rc) return rc;
  q->limit = p.limit;
  q->offset = p.offset;
  q->ascending = p.sort && !p.desc;
  q->entity = list_query_text(query, "entity");
  q->action = list_query_text(query, "action");
  q->has_entity_id = list_query_int(query, "entity_id", &q->entity_id);
  q->has_user_id = list_query_int(query, "user_id", &q->user_id);
  q->at_from = list_query_text(query, "at_from");
  q->at_to = list_query_text(query, "at_to");
  return HZ_OK;
}

int audit_log_list(Db *db, const AuditQuery *q, json_t **out, HzErr *e) {
  json_t *items = NULL;
  int64_t total = 0;
  *out = NULL;
  int rc = audit_store_list(db, q, &items, &total, e);
  if (!rc) {
    const ListPage p = {.limit = q->limit, .offset = q->offset};
    *out = list_query_answer(items, total, &p);
  }
  return rc;
}

int audit_log_get(Db *db, int64_t id, json_t **out, HzErr *e) { return audit_store_get(db, id, out, e); }
int audit_log_verify(Db *db, int64_t *count, HzErr *e) { return audit_store_verify(db, count, e); }
int64_t audit_log_revision(Db *db) { return audit_store_revision(db); }
