/* Group-robot notifications (domain/webhooks.h): the test message and the delivery log.
 * The robots themselves are the generic collection /api/v1/campaigns/{id}/webhooks. */
#include "domain/webhooks.h"
#include "http/routes.h"

int route_webhook_test(Request *rq, Response *rs, HzErr *e) {
  json_t *out = NULL, *body = NULL;
  int rc = rq->body.len ? request_json(rq, &body, e) : HZ_OK;
  if (!rc && json_object_size(body)) rc = hz_fail(e, HZ_EINVAL, "body", "发送测试消息不需要请求体");
  json_decref(body);
  if (!rc) rc = webhook_test(rq->db, &rq->actor, rq->ids[0], &out, e);
  if (!rc) response_json(rs, 200, out);
  return rc;
}

int route_webhook_deliveries(Request *rq, Response *rs, HzErr *e) {
  json_t *out = NULL;
  int rc = webhook_deliveries(rq->db, &rq->actor, rq->ids[0], rq->query, &out, e);
  if (!rc) response_json(rs, 200, out);
  return rc;
}
