/* SQL of the group-robot notifications (domain/webhooks.c): the robots a message goes
 * to, the delivery queue, its attempts and the delivery log. The robots themselves are
 * a collection of the generic engine (store/record_store.c); this file reads the
 * write-only url and secret the engine never reads back. */
#ifndef HZ_WEBHOOK_STORE_H
#define HZ_WEBHOOK_STORE_H
#include <jansson.h>
#include "db/db.h"

/* [{id, name, events (JSON text)}] of the enabled robots of a campaign; new reference. */
int webhook_store_targets(Db *db, int64_t campaign_id, json_t **out, HzErr *e);
/* Queues one message due at due_ms (Unix ms); *id = the delivery. */
int webhook_store_enqueue(Db *db, int64_t campaign_id, int64_t webhook_id, const char *webhook_name, const char *event,
                          const char *title, const char *text, const char *link, int64_t due_ms, int64_t *id,
                          HzErr *e);
/* [{id, next_attempt_ms}] of pending deliveries due by now_ms, oldest first, at most limit. */
int webhook_store_due(Db *db, int64_t now_ms, int64_t limit, json_t **out, HzErr *e);
/* Takes a due delivery for this sender: moves its next attempt from was_ms to lease_ms
 * unless another sender did first. *claimed = 1 when this one has it. */
int webhook_store_claim(Db *db, int64_t id, int64_t was_ms, int64_t lease_ms, int *claimed, HzErr *e);
/* The delivery with what sending it needs: {id, campaign_id, webhook_id, event, title,
 * text, attempts, status, kind, url, secret, enabled} (kind … enabled null when the robot
 * was deleted). Holds the secret: never answer it to a client. */
int webhook_store_delivery(Db *db, int64_t id, json_t **out, HzErr *e);
/* Logs one attempt and moves the delivery on: status, attempts, next_ms (0: none), sent_at. */
int webhook_store_attempt(Db *db, int64_t delivery_id, const char *at, long http_status, int64_t errcode,
                          const char *errmsg, const char *next_retry_at, const char *status, int64_t attempts,
                          int64_t next_ms, const char *sent_at, HzErr *e);
/* One page of a campaign's deliveries (of one robot when webhook_id is not 0), newest
 * first, each with attempt_log, its attempts oldest first. */
int webhook_store_log(Db *db, int64_t campaign_id, int64_t webhook_id, int64_t limit, int64_t offset, json_t **items,
                      int64_t *total, HzErr *e);

#endif
