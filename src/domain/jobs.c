#include "domain/jobs.h"
#include "domain/backup.h"
#include "domain/bulletin.h"
#include "domain/coordination.h"
#include "domain/figure_views.h"
#include "domain/list_query.h"
#include "domain/record.h"
#include "domain/rules.h"
#include "domain/webhooks.h"
#include "domain/weekly.h"
#include "store/audit_store.h"
#include "store/record_store.h"
#include "store/workflow_store.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Active campaigns (status active) as JSON records. */
static int active_campaigns(Db *db, const Actor *a, json_t **out, HzErr *e) {
  json_t *filters = json_pack("[[s s s]]", "status", "=", "active");
  int rc = record_list_all(db, a, resource_find("campaigns"), 0, filters, out, e);
  json_decref(filters);
  return rc;
}

static int notify(Db *db, int64_t campaign_id, int64_t unit_id, const char *kind, const char *text, HzErr *e) {
  return workflow_store_notify(db, campaign_id, unit_id, kind, text, e);
}

static const char *cstr(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "";
}

/* Adds items' counts per name (items[key]) to groups [{name, count}] in the order first
 * met; index maps a name to its group (so a province's thousands of units cost no scan). */
static void count_into(json_t *groups, json_t *index, json_t *items, const char *key) {
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    const char *name = cstr(it, key);
    json_t *found = json_object_get(index, name);
    if (found) json_object_set_new(found, "count", json_integer(json_integer_value(json_object_get(found, "count")) + 1));
    else {
      json_t *g = json_pack("{s:s s:i}", "name", name, "count", 1);
      json_object_set(index, name, g);
      json_array_append_new(groups, g);
    }
  }
}

/* Counts per unit name, in the order first met: [{name, count}]. */
static json_t *count_by(json_t *items, const char *key) {
  json_t *out = json_array(), *index = json_object();
  count_into(out, index, items, key);
  json_decref(index);
  return out;
}

/* "- 单位：N 件" lines, at most 15 then "…". */
static void count_lines(Buf *b, json_t *groups, const char *unit) {
  size_t i;
  json_t *g;
  json_array_foreach(groups, i, g) {
    if (i == 15) {
      buf_printf(b, "- ……等 %zu 个单位\n", json_array_size(groups));
      break;
    }
    buf_printf(b, "- %s：%lld %s\n", cstr(g, "name"), (long long)json_integer_value(json_object_get(g, "count")), unit);
  }
}

/* Queues one group-robot message of a job (the caller's transaction holds it). */
static int job_webhook(Db *db, json_t *camp, const char *event, const char *title, Buf *b, const char *link, HzErr *e) {
  buf_printf(b, "\n查看：%s", link);
  return webhook_enqueue(db, json_integer_value(json_object_get(camp, "id")), event, title, b->data ? b->data : "", link,
                         NULL, e);
}

static int bulletin_draft(Db *db, const Actor *a, json_t *camp, json_t *done, HzErr *e) {
  int start, end, yesterday = date_today() - 1;
  date_parse(json_string_value(json_object_get(camp, "start_date")), &start);
  date_parse(json_string_value(json_object_get(camp, "end_date")), &end);
  if (yesterday < start || yesterday > end + 7) return HZ_OK;
  char to[DATE_LEN];
  date_format(yesterday < end ? yesterday : end, to);
  json_t *body = json_pack("{s:s}", "period_end", to), *out = NULL;
  int rc = bulletin_generate(db, a, json_integer_value(json_object_get(camp, "id")), body, &out, e);
  json_decref(body);
  if (rc == HZ_ERULE) { /* nothing new since the last bulletin, or a draft still waits */
    hz_err_clear(e);
    return HZ_OK;
  }
  if (!rc) json_array_append_new(done, json_pack("{s:O s:O}", "bulletin_id", json_object_get(out, "id"), "number",
                                                 json_object_get(out, "number")));
  json_decref(out);
  return rc;
}

static int missing_reports(Db *db, const Actor *a, json_t *camp, json_t *done, HzErr *e) {
  int64_t campaign_id = json_integer_value(json_object_get(camp, "id"));
  json_t *status = NULL, *missing = json_array(), *unheard = json_array();
  int rc = weekly_status(db, campaign_id, 0, &status, e);
  json_t *items = json_object_get(status, "items");
  json_t *last = json_array_get(items, json_array_size(items) - 1);
  size_t i;
  json_t *u;
  json_array_foreach(json_object_get(last, "units"), i, u) {
    if (rc) break;
    const char *st = json_string_value(json_object_get(u, "status"));
    char text[300];
    int week = (int)json_integer_value(json_object_get(last, "week"));
    if (!strcmp(st, "missing") || !strcmp(st, "draft")) snprintf(text, sizeof text, "第%d周周报尚未提交，请尽快提交。", week);
    else if (!strcmp(st, "submitted")) snprintf(text, sizeof text, "第%d周周报尚待主要负责人听取审阅。", week);
    else continue;
    rc = notify(db, campaign_id, json_integer_value(json_object_get(u, "unit_id")), "missing_report", text, e);
    if (!rc) json_array_append_new(done, json_pack("{s:O s:i s:s}", "unit_id", json_object_get(u, "unit_id"), "week",
                                                   week, "status", st));
    json_array_append(strcmp(st, "submitted") ? missing : unheard, u);
  }
  if (!rc && (json_array_size(missing) || json_array_size(unheard))) {
    int week = (int)json_integer_value(json_object_get(last, "week"));
    Buf b;
    buf_init(&b, 8000);
    char title[100], link[100];
    snprintf(title, sizeof title, "第%d周周报未报 %zu 个单位", week, json_array_size(missing));
    snprintf(link, sizeof link, "/api/v1/campaigns/%lld/weekly-status?week=%d", (long long)campaign_id, week);
    buf_printf(&b, "### %s：第%d周周报\n- 尚未提交 %zu 个单位", cstr(camp, "name"), week, json_array_size(missing));
    if (json_array_size(missing)) buf_puts(&b, "：");
    webhook_names(&b, missing, "name", 20);
    buf_printf(&b, "\n- 已提交待主要负责人听取 %zu 个单位", json_array_size(unheard));
    if (json_array_size(unheard)) buf_puts(&b, "：");
    webhook_names(&b, unheard, "name", 20);
    buf_puts(&b, "\n");
    rc = job_webhook(db, camp, "missing_reports", title, &b, link, e);
    buf_free(&b);
  }
  json_decref(missing);
  json_decref(unheard);
  json_decref(status);
  return rc;
}

#define JOBS_STALE_PAGE 5000 /* rows of the stale list read at a time */

/* Stale projects of a campaign, per unit, to the group robots (with the daily warnings).
 * Every page of the list is counted, so the units' counts add up to the total however many
 * projects are stale (a province has hundreds of thousands). */
static int stale_webhook(Db *db, const Actor *a, json_t *camp, HzErr *e) {
  int64_t campaign_id = json_integer_value(json_object_get(camp, "id"));
  FigureQuery q = {.campaign_id = campaign_id, .as_of = date_today(), .page = {.limit = JOBS_STALE_PAGE}};
  json_t *groups = json_array(), *index = json_object();
  long long total = 0, stale_days = 0;
  int rc;
  for (;;) {
    json_t *stale = NULL;
    if ((rc = figure_views_stale(db, a, &q, &stale, e))) break;
    json_t *items = json_object_get(stale, "items");
    size_t n = json_array_size(items);
    count_into(groups, index, items, "unit_name");
    total = (long long)json_integer_value(json_object_get(stale, "total"));
    stale_days = (long long)json_integer_value(json_object_get(stale, "stale_days"));
    json_decref(stale);
    q.page.offset += (int64_t)n;
    if (n < JOBS_STALE_PAGE || q.page.offset >= total) break;
  }
  if (!rc && json_array_size(groups)) {
    Buf b;
    buf_init(&b, 8000);
    char title[100], link[100];
    snprintf(title, sizeof title, "停滞项目 %lld 个", total);
    snprintf(link, sizeof link, "/api/v1/campaigns/%lld/stale-projects", (long long)campaign_id);
    buf_printf(&b, "### %s：停滞项目 %lld 个\n超过 %lld 天没有任何进展，涉及 %zu 个单位：\n", cstr(camp, "name"), total,
               stale_days, json_array_size(groups));
    count_lines(&b, groups, "个");
    rc = job_webhook(db, camp, "stale_projects", title, &b, link, e);
    buf_free(&b);
  }
  json_decref(groups);
  json_decref(index);
  return rc;
}

/* Overdue coordination items of a campaign, per unit, to the group robots. */
static int overdue_webhook(Db *db, const Actor *a, json_t *camp, HzErr *e) {
  int64_t campaign_id = json_integer_value(json_object_get(camp, "id"));
  char yesterday[DATE_LEN];
  date_format(date_today() - 1, yesterday);
  json_t *filters = json_pack("[[s s I] [s s s] [s s [s s s s s]]]", "campaign_id", "=", (json_int_t)campaign_id,
                              "due_date", "<=", yesterday, "status", "in", "assigned", "signed_off", "handled", "feedback",
                              "reviewed");
  json_t *items = NULL;
  int rc = record_list_all(db, a, resource_find("coordination-items"), 0, filters, &items, e);
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    if (rc) break;
    json_t *unit = NULL;
    if (!(rc = record_store_get(db, resource_find("units"), json_integer_value(json_object_get(it, "unit_id")), 0, &unit, e)))
      json_object_set_new(it, "unit_name", json_string(cstr(unit, "name")));
    json_decref(unit);
  }
  if (!rc && json_array_size(items)) {
    json_t *groups = count_by(items, "unit_name");
    Buf b;
    buf_init(&b, 8000);
    char title[100], link[100];
    snprintf(title, sizeof title, "督办事项逾期 %zu 件", json_array_size(items));
    snprintf(link, sizeof link, "/api/v1/coordination-items?campaign_id=%lld&due_date_to=%s", (long long)campaign_id,
             yesterday);
    buf_printf(&b, "### %s：督办事项逾期 %zu 件\n已过办结时限仍未办结，涉及 %zu 个单位（已逐一催办）：\n", cstr(camp, "name"),
               json_array_size(items), json_array_size(groups));
    count_lines(&b, groups, "件");
    rc = job_webhook(db, camp, "overdue_items", title, &b, link, e);
    buf_free(&b);
    json_decref(groups);
  }
  json_decref(filters);
  json_decref(items);
  return rc;
}

static int early_warning(Db *db, const Actor *a, json_t *camp, json_t *done, HzErr *e) {
  int64_t campaign_id = json_integer_value(json_object_get(camp, "id"));
  char today[DATE_LEN];
  date_format(date_today(), today);
  json_t *filters = json_pack("[[s s s]]", "date", ">=", today), *items = NULL, *warned = json_array();
  int rc = record_list_all(db, a, resource_find("checkpoints"), campaign_id, filters, &items, e);
  size_t i, j;
  json_t *cp, *p;
  json_array_foreach(items, i, cp) {
    if (rc) break;
    json_t *warn = NULL;
    rc = rules_early_warning(db, a, json_integer_value(json_object_get(cp, "id")), &warn, e);
    json_array_foreach(json_object_get(warn, "would_propose"), j, p) {
      if (rc) break;
      char text[600];
      snprintf(text, sizeof text, "预警：若按今天的数据评估“%s”（%s），将触发“%s”。",
               json_string_value(json_object_get(cp, "name")), json_string_value(json_object_get(cp, "date")),
               json_string_value(json_object_get(p, "outcome_text")));
      utf8_trim_partial(text);
      rc = notify(db, campaign_id, json_integer_value(json_object_get(p, "unit_id")), "early_warning", text, e);
      if (!rc) json_array_append_new(done, json_pack("{s:O s:O s:O}", "checkpoint_id", json_object_get(cp, "id"),
                                                     "unit_id", json_object_get(p, "unit_id"), "outcome",
                                                     json_object_get(p, "outcome")));
      snprintf(text, sizeof text, "%s（%s）", cstr(cp, "name"), cstr(p, "outcome_text"));
      utf8_trim_partial(text);
      json_array_append_new(warned, json_pack("{s:s s:s}", "unit", cstr(p, "unit_name"), "what", text));
    }
    json_decref(warn);
  }
  if (!rc && json_array_size(warned)) {
    Buf b;
    buf_init(&b, 8000);
    char title[100], link[100];
    snprintf(title, sizeof title, "预警：%zu 项", json_array_size(warned));
    snprintf(link, sizeof link, "/api/v1/campaigns/%lld/checkpoints", (long long)campaign_id);
    buf_printf(&b, "### %s：考核预警\n若按今天的数据评估，将有 %zu 项奖惩建议：\n", cstr(camp, "name"),
               json_array_size(warned));
    json_array_foreach(warned, i, p) {
      if (i == 20) {
        buf_puts(&b, "- ……\n");
        break;
      }
      buf_printf(&b, "- %s：%s\n", cstr(p, "unit"), cstr(p, "what"));
    }
    rc = job_webhook(db, camp, "early_warning", title, &b, link, e);
    buf_free(&b);
  }
  if (!rc) rc = stale_webhook(db, a, camp, e);
  json_decref(warned);
  json_decref(filters);
  json_decref(items);
  return rc;
}

typedef int (*PerCampaign)(Db *db, const Actor *a, json_t *camp, json_t *done, HzErr *e);

static const struct {
  const char *name;
  PerCampaign run; /* NULL: remind-overdue, which is not per campaign */
} jobs[] = {
  {"bulletin-draft", bulletin_draft},
  {"missing-reports", missing_reports},
  {"remind-overdue", NULL},
  {"early-warning", early_warning},
};

#define NJOBS (sizeof jobs / sizeof jobs[0])
#define BACKUP_JOB "backup"

/* Runs and failures per job since the start, for /metrics: [k] the job jobs[k], [NJOBS]
 * the backup. Relaxed atomics: the scheduler and request threads count at once. */
static atomic_uint_fast64_t job_runs[NJOBS + 1], job_failures[NJOBS + 1];

static void job_count(size_t k, int failed) {
  atomic_fetch_add_explicit(&job_runs[k], 1, memory_order_relaxed);
  if (failed) atomic_fetch_add_explicit(&job_failures[k], 1, memory_order_relaxed);
}

size_t jobs_count(void) { return NJOBS + 1; }

const char *jobs_stats(size_t k, uint64_t *runs, uint64_t *failures) {
  *runs = atomic_load_explicit(&job_runs[k], memory_order_relaxed);
  *failures = atomic_load_explicit(&job_failures[k], memory_order_relaxed);
  return k < NJOBS ? jobs[k].name : BACKUP_JOB;
}

static int job_index(const char *name) {
  for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++)
    if (!strcmp(jobs[i].name, name)) return (int)i;
  return -1;
}

/* The work of job i, appended to done. One transaction per campaign (a savepoint when the
 * caller holds one): its notices and group-robot messages go in together. */
static int job_work(Db *db, const Actor *a, int i, json_t *done, HzErr *e) {
  json_t *camps = NULL;
  int rc = HZ_OK;
  if (!jobs[i].run) {
    int n = 0;
    rc = coordination_remind_overdue(db, a, &n, e);
    json_array_append_new(done, json_pack("{s:i}", "reminded", n));
  }
  if (!rc) rc = active_campaigns(db, a, &camps, e);
  size_t k;
  json_t *c;
  json_array_foreach(camps, k, c) {
    if (rc) break;
    if ((rc = db_begin(db, e))) break;
    rc = jobs[i].run ? jobs[i].run(db, a, c, done, e) : overdue_webhook(db, a, c, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) db_rollback(db);
  }
  json_decref(camps);
  return rc;
}

int jobs_run(Db *db, const Actor *a, const char *name, json_t **out, HzErr *e) {
  *out = NULL;
  int i = job_index(name), backup = !strcmp(name, BACKUP_JOB);
  if (i < 0 && !backup) return hz_fail(e, HZ_ENOTFOUND, "name", "没有这个定时任务：%s", name);
  json_t *done = backup ? NULL : json_array();
  int rc = backup ? backup_job_run(db, a, &done, e) : job_work(db, a, i, done, e);
  char today[DATE_LEN];
  date_format(date_today(), today);
  if (!rc) rc = workflow_store_job_ran(db, name, today, e);
  job_count(backup ? NJOBS : (size_t)i, rc != HZ_OK);
  if (rc) json_decref(done);
  else *out = json_pack("{s:s s:s s:o}", "job", name, "ran_on", today, "done", done);
  return rc;
}

/* Today's run of job i, claimed and done in one write transaction: of several instances
 * that find it due at once, the first claims it and the others find it taken; a run that
 * fails (or an instance that dies in it) leaves it unclaimed, to be tried again. *ran = 1
 * when this call ran it. */
static int job_run_once(Db *db, const Actor *a, int i, const char *today, int *ran, HzErr *e) {
  *ran = 0;
  int rc = db_begin(db, e), claimed = 0;
  if (rc) return rc;
  json_t *done = json_array();
  rc = workflow_store_job_claim(db, jobs[i].name, today, &claimed, e);
  if (!rc && claimed) rc = job_work(db, a, i, done, e);
  if (!rc) rc = db_commit(db, e);
  if (rc) db_rollback(db);
  if (claimed || rc) job_count((size_t)i, rc != HZ_OK);
  if (!rc && claimed) {
    char *what = json_dumps(done, JSON_COMPACT);
    log_info("scheduled job %s ran for %s: %s", jobs[i].name, today, what ? what : "");
    free(what);
    *ran = 1;
  }
  json_decref(done);
  return rc;
}

/* Today's backup: claimed in a transaction of its own (the copy must not hold the write
 * lock, or every writer would wait for it), then made. A copy that fails gives the claim
 * back (last_run_on as it was), so the next look, here or on another instance, tries
 * again; an instance that dies during the copy loses that day's run (its partial file is
 * removed by the next run). */
static int backup_run_once(Db *db, const Actor *a, const char *today, json_t *last, HzErr *e) {
  int rc = db_begin(db, e), claimed = 0;
  if (rc) return rc;
  rc = workflow_store_job_claim(db, BACKUP_JOB, today, &claimed, e);
  if (!rc) rc = db_commit(db, e);
  if (rc) db_rollback(db);
  if (rc || !claimed) return rc;
  json_t *out = NULL;
  rc = backup_job_run(db, a, &out, e);
  job_count(NJOBS, rc != HZ_OK);
  if (rc) {
    log_error("scheduled job backup failed: %s", e->message);
    HzErr undo = {0};
    if (!db_begin(db, &undo)) {
      if (workflow_store_job_ran(db, BACKUP_JOB, json_string_value(last), &undo) || db_commit(db, &undo)) db_rollback(db);
    }
    hz_err_clear(&undo);
    return rc;
  }
  char *what = json_dumps(out, JSON_COMPACT);
  log_info("scheduled job backup ran for %s: %s", today, what ? what : "");
  free(what);
  json_decref(out);
  return HZ_OK;
}

int jobs_run_due(Db *db, const Actor *a, int now_minutes, HzErr *e) {
  json_t *list = NULL;
  int rc = workflow_store_jobs(db, &list, e), today = date_today();
  int weekday = (today + 4) % 7; /* 0 = Sunday; day 0, 1970-01-01, was a Thursday */
  char today_s[DATE_LEN];
  date_format(today, today_s);
  size_t i;
  json_t *j;
  json_array_foreach(list, i, j) {
    if (rc) break;
    const char *at = json_string_value(json_object_get(j, "at_time"));
    int minutes = (at[0] - '0') * 600 + (at[1] - '0') * 60 + (at[3] - '0') * 10 + (at[4] - '0');
    json_t *wd = json_object_get(j, "weekday"), *last = json_object_get(j, "last_run_on");
    if (!json_is_true(json_object_get(j, "enabled")) || minutes > now_minutes) continue;
    if (json_is_integer(wd) && json_integer_value(wd) != weekday) continue;
    /* Read outside the transaction, so only a hint: the claim decides. */
    if (json_is_string(last) && !strcmp(json_string_value(last), today_s)) continue;
    const char *name = json_string_value(json_object_get(j, "name"));
    int k = job_index(name), ran = 0;
    if (k >= 0) rc = job_run_once(db, a, k, today_s, &ran, e);
    /* only an instance with a backup folder claims the backup */
    else if (!strcmp(name, BACKUP_JOB) && backup_job_configured()) rc = backup_run_once(db, a, today_s, last, e);
  }
  json_decref(list);
  return rc;
}

static int valid_time(const char *s) {
  return s && strlen(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' &&
         s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9' && (s[0] - '0') * 10 + (s[1] - '0') < 24;
}

int jobs_update(Db *db, const Actor *a, const char *name, json_t *body, json_t **out, HzErr *e) {
  *out = NULL;
  json_t *list = NULL, *cur = NULL;
  int rc = workflow_store_jobs(db, &list, e);
  size_t i;
  json_t *j;
  json_array_foreach(list, i, j) if (!strcmp(json_string_value(json_object_get(j, "name")), name)) cur = j;
  if (!rc && !cur) rc = hz_fail(e, HZ_ENOTFOUND, NULL, "没有这个定时任务：%s", name);
  if (rc) {
    json_decref(list);
    return rc;
  }
  int enabled = json_is_true(json_object_get(cur, "enabled"));
  json_t *wd = json_object_get(cur, "weekday");
  int weekday = json_is_integer(wd) ? (int)json_integer_value(wd) : -1;
  const char *at = json_string_value(json_object_get(cur, "at_time"));
  const char *k;
  json_t *v;
  json_object_foreach(body, k, v) {
    if (!strcmp(k, "enabled")) {
      if (!json_is_boolean(v)) hz_err_field(e, k, "应为 true 或 false");
      else enabled = json_is_true(v);
    } else if (!strcmp(k, "weekday")) {
      if (json_is_null(v)) weekday = -1;
      else if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 6)
        hz_err_field(e, k, "应为 0（周日）到 6（周六），或 null 表示每天");
      else weekday = (int)json_integer_value(v);
    } else if (!strcmp(k, "at_time")) {
      if (!valid_time(json_string_value(v))) hz_err_field(e, k, "应为 HH:MM");
      else at = json_string_value(v);
    } else hz_err_field(e, k, "未知字段");
  }
  if (e->fields && json_object_size(e->fields)) rc = hz_fail(e, HZ_EINVAL, NULL, "输入有误");
  if (!rc && (rc = db_begin(db, e)) == HZ_OK) {
    json_t *after = json_pack("{s:s s:b s:o s:s}", "name", name, "enabled", enabled, "weekday",
                              weekday < 0 ? json_null() : json_integer(weekday), "at_time", at);
    rc = workflow_store_job_set(db, name, enabled, weekday, at, e);
    if (!rc) rc = audit_store_append(db, a, "update", "jobs", 0, cur, after, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) {
      db_rollback(db);
      json_decref(after);
    } else *out = after;
  }
  json_decref(list);
  return rc;
}

int jobs_list(Db *db, json_t *query, json_t **out, HzErr *e) {
  ListPage p;
  json_t *all = NULL;
  *out = NULL;
  int rc = list_query_read(query, NULL, &p, e);
  if (!rc) rc = workflow_store_jobs(db, &all, e);
  if (!rc) *out = list_query_slice(all, &p);
  return rc;
}
