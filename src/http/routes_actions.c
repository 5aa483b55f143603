/* Actions beside plain CRUD: certification, target decomposition gaps, the audit log. */
#include "domain/certify.h"
#include "domain/record.h"
#include "domain/targets.h"
#include "http/routes.h"
#include "domain/audit_log.h"

static int settle(Request *rq, Response *rs, HzErr *e, int certify) {
  json_t *body = NULL, *out = NULL;
  const char *reason = NULL;
  int rc = HZ_OK;
  if (rq->body.len) { /* no body: a reject then fails naming the missing reason */
    if ((rc = request_json(rq, &body, e))) return rc;
    json_t *r = json_object_get(body, "reason");
    if (r && !json_is_string(r)) rc = hz_fail(e, HZ_EINVAL, "reason", "应为文本");
    reason = json_string_value(r);
  }
  if (!rc) rc = certify_record(rq->db, &rq->actor, rq->names[0], rq->ids[0], certify, reason, &out, e);
  json_decref(body);
  if (!rc) response_json(rs, 200, out);
  return rc;
}

int route_certify(Request *rq, Response *rs, HzErr *e) { return settle(rq, rs, e, 1); }
int route_reject(Request *rq, Response *rs, HzErr *e) { return settle(rq, rs, e, 0); }

int route_target_gaps(Request *rq, Response *rs, HzErr *e) {
  json_t *out = NULL;
  int rc = targets_gaps(rq->db, &rq->actor, rq->ids[0], rq->query, &out, e);
  if (!rc) response_json(rs, 200, out);
  return rc;
}

int route_audit_get(Request *rq, Response *rs, HzErr *e) {
  json_t *out = NULL;
  int rc = audit_log_get(rq->db, rq->ids[0], &out, e);
  if (!rc) response_json(rs, 200, out);
  return rc;
}

int route_audit_list(Request *rq, Response *rs, HzErr *e) {
  json_t *out = NULL;
  AuditQuery q;
  int rc = audit_log_query(rq->query, &q, e);
  if (!rc) rc = audit_log_list(rq->db, &q, &out, e);
  if (!rc) response_json(rs, 200, out);
  return rc;
}
