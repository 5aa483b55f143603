#include "domain/bulletin.h"
#include "domain/bulletin_doc.h"
#include "domain/list_query.h"
#include "domain/progress.h"
#include "domain/record.h"
#include "domain/rules.h"
#include "domain/snapshot.h"
#include "domain/webhooks.h"
#include "store/audit_store.h"
#include "store/progress_store.h"
#include "store/record_store.h"
#include "store/workflow_store.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/money.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const Resource *bulletins(void) { return resource_find("bulletins"); }

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* Ranks of the previous bulletin by unit id, to show who moved. */
static json_t *previous_ranks(Db *db, int64_t campaign_id, int64_t number, HzErr *e) {
  json_t *prev = NULL, *snap = NULL, *ranks = json_object();
  if (workflow_store_previous_bulletin(db, campaign_id, number, &prev, e) || !prev) goto done;
  if (snapshot_store_get_figures(db, json_integer_value(json_object_get(prev, "snapshot_id")), &snap, e)) goto done;
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(json_object_get(snap, "ranking"), "overall"), i, r) {
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(r, "unit_id")));
    json_object_set(ranks, key, json_object_get(r, "rank"));
  }
done:
  hz_err_clear(e);
  json_decref(prev);
  json_decref(snap);
  return ranks;
}

/* The tables and highlights of a bulletin, from the board its snapshot froze. */
static int content_of(Db *db, const Board *b, int64_t campaign_id, int64_t number, const char *from, const char *to,
                      json_t **out, HzErr *e) {
  json_t *progress = board_progress_json(b), *ranking = board_ranking_json(b), *signings = NULL, *funds = NULL;
  int rc = workflow_store_period_signings(db, campaign_id, from, to, 10, &signings, e);
  if (!rc) rc = workflow_store_period_funds(db, campaign_id, from, to, 10, &funds, e);
  json_t *before = previous_ranks(db, campaign_id, number, e), *movers = json_array(), *lagging = json_array();
  json_t *time_vs_task = json_array();
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(ranking, "overall"), i, r) {
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(r, "unit_id")));
    json_t *was = json_object_get(before, key);
    int64_t delta = was ? json_integer_value(was) - json_integer_value(json_object_get(r, "rank")) : 0;
    if (delta >= 3 || delta <= -3)
      json_array_append_new(movers, json_pack("{s:O s:O s:O s:I}", "unit_id", json_object_get(r, "unit_id"), "name",
                                              json_object_get(r, "name"), "rank", json_object_get(r, "rank"),
                                              "change", (json_int_t)delta));
    const char *st = str(r, "status");
    if (!strcmp(st, "zero") || !strcmp(st, "behind")) json_array_append(lagging, r);
  }
  json_array_foreach(json_object_get(progress, "units"), i, r) {
    json_t *m = json_object_get(r, "metrics"), *targeted = json_object();
    const char *k;
    json_t *v;
    /* A unit is measured on what it was set to do: a policy-funds unit on policy funds. */
    json_object_foreach(m, k, v) if (json_integer_value(json_object_get(v, "target")) > 0) json_object_set(targeted, k, v);
    json_array_append_new(time_vs_task,
                          json_pack("{s:O s:O s:O s:O s:O s:O s:O s:o}", "unit_id", json_object_get(r, "unit_id"), "name",
                                    json_object_get(r, "name"), "category", json_object_get(r, "category"), "status",
                                    json_object_get(r, "status"), "completion", json_object_get(r, "completion"),
                                    "funds_arrived", json_object_get(m, "funds_arrived"), "signed_count",
                                    json_object_get(m, "signed_count"), "metrics", targeted));
  }
  if (!rc)
    *out = json_pack("{s:O s:O s:O s:o s:{s:o s:o s:o} s:o}", "campaign", json_object_get(progress, "campaign"),
                     "ranking", json_object_get(ranking, "overall"), "ranking_by_category",
                     json_object_get(ranking, "by_category"), "time_vs_task", time_vs_task, "highlights",
                     "new_signings", signings, "largest_funds", funds, "biggest_movers", movers, "lagging", lagging);
  else {
    json_decref(signings);
    json_decref(funds);
    json_decref(movers);
    json_decref(lagging);
    json_decref(time_vs_task);
  }
  json_decref(before);
  json_decref(progress);
  json_decref(ranking);
  return rc;
}

/* 2026-10-15 → 2026年10月15日, as official documents write dates; other text is copied. */
static void cn_date(const char *iso, char *out, size_t n) {
  int day, y, m, d;
  if (!iso || date_parse(iso, &day)) {
    snprintf(out, n, "%s", iso ? iso : "");
    return;
  }
  date_to_ymd(day, &y, &m, &d);
  snprintf(out, n, "%d年%d月%d日", y, m, d);
}

static char *default_intro(json_t *campaign) {
  Buf b;
  char as_of[40];
  cn_date(str(campaign, "as_of"), as_of, sizeof as_of);
  buf_init(&b, 0);
  buf_printf(&b, "截至%s，会战进行到第%lld天（共%lld天），时间进度%.1f%%。现将各单位目标任务完成情况通报如下。",
             as_of, (long long)json_integer_value(json_object_get(campaign, "day")),
             (long long)json_integer_value(json_object_get(campaign, "days")),
             json_number_value(json_object_get(campaign, "time_progress")));
  return buf_take(&b);
}

static int generate_tx(Db *db, const Actor *a, int64_t campaign_id, json_t *camp, int from, int to, json_t *body,
                       json_t **out, HzErr *e) {
  int64_t number = 0, id = 0;
  char from_s[DATE_LEN], to_s[DATE_LEN], label[64];
  date_format(from, from_s);
  date_format(to, to_s);
  /* One draft at a time: numbers then follow the order of publication without gaps,
   * and deleting the draft frees its number for the next one. */
  int64_t pending = 0;
  int rc = workflow_store_draft_bulletin(db, campaign_id, &pending, e);
  if (!rc && pending)
    rc = hz_fail(e, HZ_ERULE, "status", "第%lld期通报草稿尚未发布，请先发布或删除后再生成新一期", (long long)pending);
  if (!rc) rc = workflow_store_next_bulletin(db, campaign_id, &number, e);
  snprintf(label, sizeof label, "通报第%lld期", (long long)number);
  json_t *snap = NULL, *content = NULL, *proposals = NULL;
  Board *b = NULL;
  if (!rc) rc = snapshot_create_tx(db, a, campaign_id, to, label, &snap, &b, e);
  if (!rc) rc = content_of(db, b, campaign_id, number, from_s, to_s, &content, e);
  if (!rc) {
    Buf title;
    buf_init(&title, 0);
    buf_printf(&title, "%s工作通报（第%lld期）", str(camp, "name"), (long long)number);
    char *intro = default_intro(json_object_get(content, "campaign"));
    json_t *values = json_pack("{s:I s:I s:s s:s s:s s:s s:O s:O s:s}", "campaign_id", (json_int_t)campaign_id,
                               "number", (json_int_t)number, "title",
                               str(body, "title") ? str(body, "title") : title.data, "issuer",
                               str(body, "issuer") ? str(body, "issuer") : BULLETIN_ISSUER, "period_start", from_s,
                               "period_end", to_s, "snapshot_id", json_object_get(snap, "id"), "content", content,
                               "intro", intro);
    free(intro);
    buf_free(&title);
    rc = record_store_insert(db, bulletins(), values, &id, e);
    json_decref(values);
  }
  /* The bulletin rules (R-RULE-5) judge the same frozen figures. */
  if (!rc) {
    json_t *facts = board_unit_facts(b);
    rc = rules_evaluate_bulletin(db, a, campaign_id, id, facts, to, &proposals, e);
    json_decref(facts);
  }
  if (!rc) {
    json_t *change = json_pack("{s:O}", "rule_outcomes", proposals);
    json_t *stored = NULL;
    rc = record_store_get(db, bulletins(), id, 0, &stored, e);
    if (!rc) {
      json_t *c = json_deep_copy(json_object_get(stored, "content"));
      json_object_update(c, change);
      json_t *values = json_pack("{s:o}", "content", c);
      rc = record_store_update(db, bulletins(), id, json_integer_value(json_object_get(stored, "version")), values, e);
      json_decref(values);
    }
    json_decref(stored);
    json_decref(change);
  }
  if (!rc) rc = record_store_get(db, bulletins(), id, 0, out, e);
  if (!rc) rc = record_audit(db, a, "create", bulletins(), id, NULL, *out, e);
  json_decref(snap);
  json_decref(content);
  json_decref(proposals);
  board_free(b);
  return rc;
}

int bulletin_generate(Db *db, const Actor *a, int64_t campaign_id, json_t *body, json_t **out, HzErr *e) {
  *out = NULL;
  if (!(a->role & ROLES_CENTRAL)) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只有会战办公室可以生成通报");
  static const char *const keys[] = {"period_start", "period_end", "title", "issuer", NULL};
  const char *k;
  json_t *v;
  json_object_foreach(body, k, v) {
    int known = 0;
    for (int i = 0; keys[i]; i++) known |= !strcmp(k, keys[i]);
    if (!known) hz_err_field(e, k, "未知字段");
    else if (!json_is_string(v) || !*json_string_value(v) || utf8_length(json_string_value(v)) > 200)
      hz_err_field(e, k, "应为 1 到 200 字的文本");
  }
  json_t *camp = NULL, *prev = NULL;
  int rc = (e->fields && json_object_size(e->fields)) ? hz_fail(e, HZ_EINVAL, NULL, "输入有误") : HZ_OK;
  if (!rc) rc = record_store_get(db, resource_find("campaigns"), campaign_id, 0, &camp, e);
  if (rc) return rc;
  int start = 0, end = 0, from, to = date_today();
  date_parse(str(camp, "start_date"), &start);
  date_parse(str(camp, "end_date"), &end);
  if (to > end) to = end;
  rc = workflow_store_previous_bulletin(db, campaign_id, INT64_MAX, &prev, e);
  from = start;
  if (!rc && prev) {
    date_parse(str(prev, "period_end"), &from);
    from++;
  }
  if (!rc && str(body, "period_start") && date_parse(str(body, "period_start"), &from))
    rc = hz_fail(e, HZ_EINVAL, "period_start", "日期应为 YYYY-MM-DD 格式的真实日期");
  if (!rc && str(body, "period_end") && date_parse(str(body, "period_end"), &to))
    rc = hz_fail(e, HZ_EINVAL, "period_end", "日期应为 YYYY-MM-DD 格式的真实日期");
  if (!rc && to > date_today()) rc = hz_fail(e, HZ_ERULE, "period_end", "通报期末不能晚于今天");
  if (!rc && from > to) rc = hz_fail(e, HZ_ERULE, "period_start", "通报期初不能晚于期末");
  if (!rc && (rc = db_begin(db, e)) == HZ_OK) {
    rc = generate_tx(db, a, campaign_id, camp, from, to, body, out, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) {
      db_rollback(db);
      json_decref(*out);
      *out = NULL;
    }
  }
  json_decref(camp);
  json_decref(prev);
  return rc;
}

/* What the hash of a published bulletin covers: every part a reader sees. */
char *bulletin_canonical(json_t *b) {
  json_t *c = json_pack("{s:O s:O s:O s:O s:O s:O s:O s:O s:O s:O s:O}", "campaign_id", json_object_get(b, "campaign_id"),
                        "number", json_object_get(b, "number"), "title", json_object_get(b, "title"), "issuer",
                        json_object_get(b, "issuer"), "period_start", json_object_get(b, "period_start"), "period_end",
                        json_object_get(b, "period_end"), "content", json_object_get(b, "content"), "intro",
                        json_object_get(b, "intro"), "highlights_text", json_object_get(b, "highlights_text"), "closing",
                        json_object_get(b, "closing"), "published_on", json_object_get(b, "published_on"));
  char *s = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(12));
  json_decref(c);
  return s;
}

/* Queues the group-robot message of a publication (sent after the commit). */
static int publish_webhook(Db *db, json_t *bul, HzErr *e) {
  int64_t campaign_id = json_integer_value(json_object_get(bul, "campaign_id")), id = json_integer_value(json_object_get(bul, "id"));
  json_t *camp = NULL, *content = json_object_get(bul, "content");
  int rc = record_store_get(db, resource_find("campaigns"), campaign_id, 0, &camp, e);
  if (rc) return rc;
  Buf b;
  buf_init(&b, 8000);
  char link[64], title[200];
  snprintf(link, sizeof link, "/api/v1/bulletins/%lld/print", (long long)id);
  snprintf(title, sizeof title, "通报已发布：第%lld期", (long long)json_integer_value(json_object_get(bul, "number")));
  json_t *ranking = json_object_get(content, "ranking"), *lagging = json_object_get(content, "lagging");
  buf_printf(&b, "### %s\n**%s**（第%lld期，%s 至 %s）已发布。\n\n", str(camp, "name"), str(bul, "title"),
             (long long)json_integer_value(json_object_get(bul, "number")), str(bul, "period_start"), str(bul, "period_end"));
  buf_puts(&b, "- 综合排名前列：");
  webhook_names(&b, ranking, "name", 3);
  if (!json_array_size(ranking)) buf_puts(&b, "无");
  buf_printf(&b, "\n- 滞后及零进展单位 %zu 个", json_array_size(lagging));
  if (json_array_size(lagging)) buf_puts(&b, "：");
  webhook_names(&b, lagging, "name", 10);
  buf_printf(&b, "\n\n查看：%s", link);
  rc = webhook_enqueue(db, campaign_id, "bulletin_published", title, b.data ? b.data : "", link, NULL, e);
  buf_free(&b);
  json_decref(camp);
  return rc;
}

int bulletin_publish(Db *db, const Actor *a, int64_t id, json_t **out, HzErr *e) {
  *out = NULL;
  if (!(a->role & ROLES_CENTRAL)) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只有会战办公室可以发布通报");
  json_t *before = NULL;
  int rc = record_store_get(db, bulletins(), id, 0, &before, e);
  if (!rc && strcmp(str(before, "status"), "draft")) rc = hz_fail(e, HZ_ECONFLICT, "status", "通报已发布，不能再次发布");
  if (rc) {
    json_decref(before);
    return rc;
  }
  char today[DATE_LEN], sha[SHA256_HEX_LEN];
  date_format(date_today(), today);
  json_t *will = json_deep_copy(before);
  json_object_set_new(will, "published_on", json_string(today));
  char *text = bulletin_canonical(will);
  sha256_hex(text, strlen(text), sha);
  free(text);
  json_decref(will);
  char head[SHA256_HEX_LEN];
  int64_t count = 0;
  rc = db_begin(db, e);
  /* The chain as it stands before the publication's own entry: printed on the bulletin,
   * so that the paper copy witnesses the history up to that day (R-SEC-4). */
  if (!rc) rc = audit_store_head(db, head, &count, e);
  if (!rc) {
    json_t *values = json_pack("{s:s s:s s:s s:s s:I}", "status", "published", "published_on", today, "sha256", sha,
                               "audit_head", head, "audit_count", (json_int_t)count);
    rc = record_store_update(db, bulletins(), id, json_integer_value(json_object_get(before, "version")), values, e);
    json_decref(values);
  }
  if (!rc) rc = record_store_get(db, bulletins(), id, 0, out, e);
  if (!rc) rc = record_audit(db, a, "publish", bulletins(), id, before, *out, e);
  if (!rc) {
    char msg[400];
    snprintf(msg, sizeof msg, "已发布：%s", str(before, "title"));
    utf8_trim_partial(msg);
    rc = workflow_store_notify(db, json_integer_value(json_object_get(before, "campaign_id")), 0, "bulletin_published", msg, e);
  }
  if (!rc) rc = publish_webhook(db, *out, e);
  if (!rc) rc = db_commit(db, e);
  if (rc) {
    db_rollback(db);
    json_decref(*out);
    *out = NULL;
  }
  json_decref(before);
  return rc;
}

/* ---- the documents (R-OUT-2): one assembled structure, three renderers ---- */

int bulletin_render(Db *db, const Actor *a, int64_t id, BulletinFormat format, char **data, size_t *len,
                    char **filename, HzErr *e) {
  *data = NULL;
  *len = 0;
  if (filename) *filename = NULL;
  json_t *bul = NULL;
  BulletinDoc *d = NULL;
  int rc = record_read(db, a, bulletins(), id, &bul, e);
  if (!rc) rc = bulletin_doc_build(bul, &d, e);
  if (!rc && format == BULLETIN_HTML) {
    rc = bulletin_doc_html(d, data, e);
    if (!rc) *len = strlen(*data);
  } else if (!rc && format == BULLETIN_PDF) {
    rc = bulletin_doc_pdf(d, data, len, e);
  } else if (!rc) {
    rc = bulletin_doc_xlsx(d, NULL, data, len, e);
  }
  if (!rc && filename) {
    *filename = bulletin_doc_filename(d, format == BULLETIN_HTML ? "html" : format == BULLETIN_PDF ? "pdf" : "xlsx");
    if (!*filename) rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  }
  if (rc) {
    free(*data);
    *data = NULL;
    *len = 0;
  }
  bulletin_doc_free(d);
  json_decref(bul);
  return rc;
}

int bulletin_print(Db *db, const Actor *a, int64_t id, char **html, HzErr *e) {
  size_t len;
  return bulletin_render(db, a, id, BULLETIN_HTML, html, &len, NULL, e);
}

int bulletin_format_parse(const char *s, BulletinFormat *f) {
  if (!s) return HZ_EINVAL;
  if (!strcmp(s, "html")) *f = BULLETIN_HTML;
  else if (!strcmp(s, "pdf")) *f = BULLETIN_PDF;
  else if (!strcmp(s, "xlsx")) *f = BULLETIN_XLSX;
  else return HZ_EINVAL;
  return HZ_OK;
}

/* ---- instructions (批示) ---- */

static int instruction_target(Db *db, const Actor *a, const char *field, int64_t id, HzErr *e) {
  json_t *rec = NULL;
  int rc = record_read(db, a, resource_find(!strcmp(field, "bulletin_id") ? "bulletins" : "weekly-reports"), id, &rec, e);
  json_decref(rec);
  return rc;
}

int instruction_add(Db *db, const Actor *a, const char *target_field, int64_t target_id, json_t *body, json_t **out,
                    HzErr *e) {
  *out = NULL;
  if (!(a->role & (ROLE_LEADER | ROLE_ADMIN))) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只有市领导可以作出批示");
  json_t *text = json_object_get(body, "text");
  const char *k;
  json_t *v;
  json_object_foreach(body, k, v) if (strcmp(k, "text")) hz_err_field(e, k, "未知字段");
  if (!json_is_string(text) || !*json_string_value(text) || utf8_length(json_string_value(text)) > 2000)
    hz_err_field(e, "text", "批示内容应为 1 到 2000 字的文本");
  if (e->fields && json_object_size(e->fields)) return hz_fail(e, HZ_EINVAL, NULL, "输入有误");
  int rc = instruction_target(db, a, target_field, target_id, e);
  int64_t id = 0;
  if (!rc && (rc = db_begin(db, e)) == HZ_OK) {
    rc = workflow_store_instruction_add(db, a->id, target_field, target_id, json_string_value(text), &id, e);
    json_t *after = json_pack("{s:I s:I s:O}", "id", (json_int_t)id, target_field, (json_int_t)target_id, "text", text);
    if (!rc) rc = record_audit(db, a, "instruct", resource_find(!strcmp(target_field, "bulletin_id") ? "bulletins" : "weekly-reports"),
                               target_id, NULL, after, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) db_rollback(db);
    if (!rc) *out = after;
    else json_decref(after);
  }
  return rc;
}

int instruction_list(Db *db, const Actor *a, const char *target_field, int64_t target_id, json_t *query, json_t **out,
                     HzErr *e) {
  *out = NULL;
  ListPage p;
  int rc = list_query_read(query, NULL, &p, e);
  if (!rc) rc = instruction_target(db, a, target_field, target_id, e);
  json_t *items = NULL;
  if (!rc) rc = workflow_store_instructions(db, target_field, target_id, &items, e);
  if (!rc) *out = list_query_slice(items, &p);
  return rc;
}
