/* Group-robot notifications (webhooks.h): the collection, the queue and the sender. */
#include "domain/webhooks.h"
#include "domain/list_query.h"
#include "domain/record.h"
#include "domain/resource_defs.h"
#include "notify/notify.h"
#include "store/audit_store.h"
#include "store/webhook_store.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const Choice kinds[] = {{"wecom", "企业微信群机器人"}, {"dingtalk", "钉钉群机器人"}, {0}};
static const char *const events[] = {"bulletin_published", "missing_reports", "stale_projects", "overdue_items",
                                     "early_warning", NULL};

static int known_event(const char *s) {
  for (int i = 0; s && events[i]; i++)
    if (!strcmp(events[i], s)) return 1;
  return 0;
}

/* url and secret are write-only (FF_SECRET): the engine never reads them back, so
 * neither answers nor the audit log's before/after hold them; their masked forms do. */
static int webhook_prepare(RecordCtx *c) {
  if (c->op == OP_DELETE) return HZ_OK;
  json_t *url = json_object_get(c->values, "url"), *secret = json_object_get(c->values, "secret");
  json_t *ev = json_object_get(c->values, "events");
  if (url) {
    if (!notify_url_ok(json_string_value(url))) {
      hz_err_field(c->err, "url", "应为以 http:// 或 https:// 开头的完整地址，不含空格");
    } else {
      char *m = notify_mask_url(json_string_value(url));
      if (!m) return hz_fail(c->err, HZ_ENOMEM, NULL, "内存不足");
      set_server(c, "url_masked", json_string(m));
      free(m);
    }
  }
  if (secret) {
    const char *s = json_string_value(secret);
    if (s && !*s) { /* an empty secret clears it, as null does */
      set_server(c, "secret", json_null());
      s = NULL;
    }
    if (s && strcmp(sval(c, "kind"), "dingtalk")) {
      hz_err_field(c->err, "secret", "只有钉钉机器人使用加签密钥");
    } else if (s && strlen(s) > 200) {
      hz_err_field(c->err, "secret", "密钥过长（至多 200 个字符）");
    } else {
      char m[NOTIFY_MASK_LEN];
      notify_mask(s, m);
      set_server(c, "secret_masked", s ? json_string(m) : json_null());
    }
  }
  if (ev) {
    size_t i, j;
    json_t *x;
    if (!json_is_array(ev)) hz_err_field(c->err, "events", "应为事件代码的数组");
    else json_array_foreach(ev, i, x) {
      int dup = 0;
      for (j = 0; j < i; j++) dup |= json_equal(json_array_get(ev, j), x);
      if (!known_event(json_string_value(x)) || dup) {
        hz_err_field(c->err, "events",
                     dup ? "事件重复"
                         : "未知事件；可选 bulletin_published、missing_reports、stale_projects、overdue_items、early_warning");
        break;
      }
    }
  } else if (c->op == OP_CREATE) {
    json_t *all = json_array();
    for (int i = 0; events[i]; i++) json_array_append_new(all, json_string(events[i]));
    set_server(c, "events", all);
  }
  if (c->err->fields && json_object_size(c->err->fields)) return hz_fail(c->err, HZ_EINVAL, NULL, "输入有误");
  return HZ_OK;
}

static const Field webhook_fields[] = {
  REF("campaign_id", "会战", FF_READONLY | FF_FILTER, "campaigns"),
  ENUM("kind", "机器人类型", FF_REQUIRED | RW, kinds),
  TEXT("name", "名称", FF_REQUIRED | FF_SEARCH),
  TEXT("url", "Webhook 地址", FF_REQUIRED | FF_SECRET),
  TEXT("url_masked", "Webhook 地址（遮蔽）", FF_READONLY),
  TEXT("secret", "加签密钥", FF_NULLABLE | FF_SECRET),
  TEXT("secret_masked", "加签密钥（遮蔽）", FF_READONLY),
  BOOL("enabled", "启用", FF_FILTER),
  JSONF("events", "推送事件", 0),
  END};
const Resource resource_webhooks = {
    .name = "webhooks",
    .table = "webhooks",
    .label = "群机器人",
    .parent = "campaigns",
    .parent_field = "campaign_id",
    .fields = webhook_fields,
    .scope = SCOPE_PUBLIC,
    .read_roles = ROLES_CENTRAL,
    .write_roles = ROLES_CENTRAL,
    .ops = OPS_ALL,
    .prepare = webhook_prepare,
};

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* UTC ISO 8601 with milliseconds: retries may be seconds apart. */
static void iso_ms(int64_t ms, char out[32]) {
  int64_t s = ms / 1000;
  int y, m, d, secs = (int)(s % 86400);
  date_to_ymd((int)(s / 86400), &y, &m, &d);
  snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y % 10000, m, d, secs / 3600, (secs / 60) % 60, secs % 60,
           (int)(ms % 1000));
}

int64_t webhook_backoff_ms(int n) {
  static const int factor[] = {1, 4, 20, 120};
  int64_t base = 30000;
  const char *env = getenv("HUIZHAN_WEBHOOK_BACKOFF_MS");
  if (env && parse_int64(env, &base)) base = 30000;
  if (base < 1) base = 1;
  if (n < 1) n = 1;
  return base * factor[n > 4 ? 3 : n - 1];
}

void webhook_names(Buf *b, json_t *items, const char *key, size_t max) {
  size_t i, n = json_array_size(items);
  for (i = 0; i < n && i < max; i++)
    buf_printf(b, "%s%s", i ? "、" : "", json_string_value(json_object_get(json_array_get(items, i), key)));
  if (n > max) buf_printf(b, " 等 %zu 个", n);
}

int webhook_enqueue(Db *db, int64_t campaign_id, const char *event, const char *title, const char *text,
                    const char *link, int *queued, HzErr *e) {
  json_t *targets = NULL;
  int rc = webhook_store_targets(db, campaign_id, &targets, e), n = 0;
  int64_t due = now_ms();
  size_t i, j;
  json_t *t, *x;
  json_array_foreach(targets, i, t) {
    if (rc) break;
    json_t *wants = json_loads(json_string_value(json_object_get(t, "events")), 0, NULL);
    int match = 0;
    json_array_foreach(wants, j, x) match |= json_is_string(x) && !strcmp(json_string_value(x), event);
    json_decref(wants);
    if (!match) continue;
    int64_t id = 0;
    rc = webhook_store_enqueue(db, campaign_id, json_integer_value(json_object_get(t, "id")),
                               json_string_value(json_object_get(t, "name")), event, title, text, link, due, &id, e);
    n += !rc;
  }
  json_decref(targets);
  if (queued) *queued = n;
  return rc;
}

/* Sends one claimed delivery and logs the attempt; *result gets what happened. */
static int deliver_one(Db *db, int64_t id, NotifyResult *res, const char **status, HzErr *e) {
  json_t *d = NULL;
  int rc = webhook_store_delivery(db, id, &d, e);
  if (rc) return rc;
  memset(res, 0, sizeof *res);
  res->errcode = -1;
  const char *kind = json_string_value(json_object_get(d, "kind"));
  int is_test = !strcmp(json_string_value(json_object_get(d, "event")), "test");
  if (!kind) snprintf(res->errmsg, sizeof res->errmsg, "机器人已删除");
  else if (!is_test && !json_is_true(json_object_get(d, "enabled"))) snprintf(res->errmsg, sizeof res->errmsg, "机器人已停用");
  else
    notify_send(notify_kind(kind), json_string_value(json_object_get(d, "url")),
                json_string_value(json_object_get(d, "secret")), json_string_value(json_object_get(d, "title")),
                json_string_value(json_object_get(d, "text")), WEBHOOK_TIMEOUT_MS, res);
  int64_t attempts = json_integer_value(json_object_get(d, "attempts")) + 1, t = now_ms(), next = 0;
  char at[32], next_at[32], sent_at[32];
  iso_ms(t, at);
  iso_ms(t, sent_at);
  /* A deleted or switched-off robot, and a test message, are not retried. */
  int retry = !res->ok && kind && !is_test && json_is_true(json_object_get(d, "enabled")) && attempts < WEBHOOK_ATTEMPTS_MAX;
  if (retry) {
    next = t + webhook_backoff_ms((int)attempts);
    iso_ms(next, next_at);
  }
  *status = res->ok ? "sent" : retry ? "pending" : "failed";
  if (!(rc = db_begin(db, e))) {
    rc = webhook_store_attempt(db, id, at, res->http_status, res->errcode, res->errmsg, retry ? next_at : NULL, *status,
                               attempts, next, res->ok ? sent_at : NULL, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) db_rollback(db);
  }
  json_decref(d);
  return rc;
}

/* How long a sender holds a delivery it took: longer than a send (5 s), so a sender
 * that dies mid-send leaves it for a retry. */
#define LEASE_MS 60000

/* Takes a due delivery for this sender (another server may race for it); *claimed = 1 when taken. */
static int claim(Db *db, int64_t id, int64_t was, int *claimed, HzErr *e) {
  int rc = db_begin(db, e);
  if (!rc) rc = webhook_store_claim(db, id, was, now_ms() + LEASE_MS, claimed, e);
  if (!rc) rc = db_commit(db, e);
  if (rc) db_rollback(db);
  return rc;
}

int webhook_deliver_due(Db *db, json_t **out, HzErr *e) {
  *out = NULL;
  int sent = 0, failed = 0, retrying = 0, rc = HZ_OK;
  json_t *due = NULL;
  /* A robot may take 5 s to answer: never while this connection holds the write lock. */
  if (db_depth(db)) return hz_fail(e, HZ_EINVAL, NULL, "不能在数据库事务中发送群机器人消息");
  if ((rc = webhook_store_due(db, now_ms(), 50, &due, e))) goto done;
  size_t i;
  json_t *d;
  json_array_foreach(due, i, d) {
    int64_t id = json_integer_value(json_object_get(d, "id"));
    int claimed = 0;
    if ((rc = claim(db, id, json_integer_value(json_object_get(d, "next_attempt_ms")), &claimed, e))) break;
    if (!claimed) continue;
    NotifyResult res;
    const char *status = NULL;
    if ((rc = deliver_one(db, id, &res, &status, e))) break;
    sent += !strcmp(status, "sent");
    failed += !strcmp(status, "failed");
    retrying += !strcmp(status, "pending");
  }
  if (!rc) *out = json_pack("{s:i s:i s:i}", "sent", sent, "failed", failed, "retrying", retrying);
done:
  json_decref(due);
  return rc;
}

int webhook_test(Db *db, const Actor *a, int64_t id, json_t **out, HzErr *e) {
  *out = NULL;
  json_t *hook = NULL, *camp = NULL;
  int64_t delivery = 0;
  int rc = db_depth(db) ? hz_fail(e, HZ_EINVAL, NULL, "不能在数据库事务中发送群机器人消息") : HZ_OK;
  if (!rc) rc = record_read(db, a, &resource_webhooks, id, &hook, e);
  if (!rc) rc = record_store_get(db, resource_find("campaigns"), json_integer_value(json_object_get(hook, "campaign_id")),
                                 0, &camp, e);
  if (rc) goto done;
  char text[1200];
  snprintf(text, sizeof text, "### 测试消息\n这是招商引资百日会战管理系统发给群机器人“%s”的测试消息。\n\n会战：%s",
           json_string_value(json_object_get(hook, "name")), json_string_value(json_object_get(camp, "name")));
  utf8_trim_partial(text);
  if ((rc = db_begin(db, e))) goto done;
  rc = webhook_store_enqueue(db, json_integer_value(json_object_get(hook, "campaign_id")), id,
                             json_string_value(json_object_get(hook, "name")), "test", "测试消息", text, NULL,
                             now_ms() + LEASE_MS, &delivery, e);
  if (!rc) {
    json_t *after = json_pack("{s:I}", "delivery_id", (json_int_t)delivery);
    rc = audit_store_append(db, a, "test", resource_webhooks.name, id, NULL, after, e);
    json_decref(after);
  }
  if (!rc) rc = db_commit(db, e);
  if (rc) {
    db_rollback(db);
    goto done;
  }
  /* Queued already leased to this request, so the sender leaves it alone unless this
   * process dies before logging the answer. */
  NotifyResult res;
  const char *status = NULL;
  if ((rc = deliver_one(db, delivery, &res, &status, e))) goto done;
  *out = json_pack("{s:b s:I s:o s:o s:s}", "ok", res.ok, "delivery_id", (json_int_t)delivery, "http_status",
                   res.http_status ? json_integer(res.http_status) : json_null(), "errcode",
                   res.errcode != -1 ? json_integer(res.errcode) : json_null(), "errmsg", res.errmsg);
done:
  json_decref(hook);
  json_decref(camp);
  return rc;
}

static const ListParam log_params[] = {{"webhook_id", LQ_ID}, {0}};

int webhook_deliveries(Db *db, const Actor *a, int64_t campaign_id, json_t *query, json_t **out, HzErr *e) {
  *out = NULL;
  if (!(a->role & resource_webhooks.read_roles))
    return hz_fail(e, HZ_EFORBIDDEN, NULL, "角色“%s”无权查看群机器人推送记录", role_name(a->role));
  json_t *camp = NULL, *items = NULL;
  int rc = record_read(db, a, resource_find("campaigns"), campaign_id, &camp, e);
  json_decref(camp);
  ListSpec spec = {.params = log_params};
  ListPage p;
  int64_t hook = 0, total = 0;
  if (!rc) rc = list_query_read(query, &spec, &p, e);
  if (!rc) list_query_int(query, "webhook_id", &hook);
  if (!rc) rc = webhook_store_log(db, campaign_id, hook, p.limit, p.offset, &items, &total, e);
  if (!rc) {
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
      json_t *ms = json_object_get(it, "next_attempt_ms");
      char at[32];
      if (json_is_integer(ms) && !strcmp(json_string_value(json_object_get(it, "status")), "pending")) {
        iso_ms(json_integer_value(ms), at);
        json_object_set_new(it, "next_attempt_at", json_string(at));
      } else json_object_set_new(it, "next_attempt_at", json_null());
      json_object_del(it, "next_attempt_ms");
    }
    *out = list_query_answer(items, total, &p);
  } else json_decref(items);
  return rc;
}
