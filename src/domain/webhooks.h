/* Group-robot notifications (R-OUT-5): the office's WeCom / DingTalk robots of a
 * campaign (the `webhooks` collection), the queue of messages to them and the sender.
 * A message is queued (webhook_enqueue) inside the transaction of what it reports and
 * sent afterwards, never inside a write transaction, by webhook_deliver_due: the
 * scheduler thread of `huizhan serve` (every second) and `huizhan job deliver-webhooks`.
 * A failed attempt is retried after base×1, ×4, ×20, ×120 (base 30 s, or
 * HUIZHAN_WEBHOOK_BACKOFF_MS), at most WEBHOOK_ATTEMPTS_MAX attempts in all. */
#ifndef HZ_WEBHOOKS_H
#define HZ_WEBHOOKS_H
#include <jansson.h>
#include "db/db.h"
#include "domain/resource.h"
#include "domain/role.h"

#define WEBHOOK_ATTEMPTS_MAX 5
#define WEBHOOK_TIMEOUT_MS 5000

extern const Resource resource_webhooks;

/* Queues a markdown message about `event` (bulletin_published, missing_reports,
 * stale_projects, overdue_items, early_warning) to every enabled robot of the campaign
 * that wants it. Call inside the caller's transaction; *queued (may be NULL) = how many. */
int webhook_enqueue(Db *db, int64_t campaign_id, const char *event, const char *title, const char *text,
                    const char *link, int *queued, HzErr *e);
/* Sends every due delivery (outside any transaction). *out = {sent, failed, retrying}; new reference. */
int webhook_deliver_due(Db *db, json_t **out, HzErr *e);
/* POST /api/v1/webhooks/{id}/test: sends a test message now and answers what the robot
 * said: {ok, delivery_id, http_status, errcode, errmsg}. Logged and audited; not retried. */
int webhook_test(Db *db, const Actor *a, int64_t id, json_t **out, HzErr *e);
/* GET /api/v1/campaigns/{id}/webhook-deliveries: {items, total, limit, offset}, newest
 * first, each with attempt_log [{at, http_status, errcode, errmsg, next_retry_at}];
 * ?webhook_id= narrows to one robot. */
int webhook_deliveries(Db *db, const Actor *a, int64_t campaign_id, json_t *query, json_t **out, HzErr *e);
/* Appends "A、B、C" naming up to max items by their `key` (a unit name), then "等 N 个"
 * when there are more: what a message says about the units concerned. */
struct Buf;
void webhook_names(struct Buf *b, json_t *items, const char *key, size_t max);
/* Milliseconds to wait after the n-th failed attempt (n >= 1). */
int64_t webhook_backoff_ms(int n);

#endif
