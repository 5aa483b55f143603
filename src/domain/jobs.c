#include "domain/jobs.h"
#include "domain/bulletin.h"
#include "domain/coordination.h"
#include "domain/record.h"
#include "domain/rules.h"
#include "domain/weekly.h"
#include "store/audit_store.h"
#include "store/workflow_store.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <stdio.h>
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
  json_t *status = NULL;
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
  }
  json_decref(status);
  return rc;
}

static int early_warning(Db *db, const Actor *a, json_t *camp, json_t *done, HzErr *e) {
  int64_t campaign_id = json_integer_value(json_object_get(camp, "id"));
  char today[DATE_LEN];
  date_format(date_today(), today);
  json_t *filters = json_pack("[[s s s]]", "date", ">=", today), *items = NULL;
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
    }
    json_decref(warn);
  }
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

int jobs_run(Db *db, const Actor *a, const char *name, json_t **out, HzErr *e) {
  *out = NULL;
  for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
    if (strcmp(jobs[i].name, name)) continue;
    json_t *done = json_array(), *camps = NULL;
    int rc = HZ_OK;
    if (!jobs[i].run) {
      int n = 0;
      rc = coordination_remind_overdue(db, a, &n, e);
      json_array_append_new(done, json_pack("{s:i}", "reminded", n));
    } else if (!(rc = active_campaigns(db, a, &camps, e))) {
      size_t k;
      json_t *c;
      json_array_foreach(camps, k, c) if (!rc) rc = jobs[i].run(db, a, c, done, e);
    }
    json_decref(camps);
    char today[DATE_LEN];
    date_format(date_today(), today);
    if (!rc) rc = workflow_store_job_ran(db, name, today, e);
    if (rc) json_decref(done);
    else *out = json_pack("{s:s s:s s:o}", "job", name, "ran_on", today, "done", done);
    return rc;
  }
  return hz_fail(e, HZ_ENOTFOUND, "name", "没有这个定时任务：%s", name);
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
    if (json_is_string(last) && !strcmp(json_string_value(last), today_s)) continue;
    json_t *out = NULL;
    rc = jobs_run(db, a, json_string_value(json_object_get(j, "name")), &out, e);
    json_decref(out);
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
