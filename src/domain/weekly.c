#include "domain/weekly.h"
#include "domain/record.h"
#include "store/figures_store.h"
#include "store/record_store.h"
#include "store/workflow_store.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <string.h>

int weekly_weeks_in(int start, int end) { return end < start ? 0 : (end - start) / 7 + 1; }

int weekly_week_of(int start, int day) { return day < start ? 0 : (day - start) / 7 + 1; }

/* Week N ends on start + 7N - 1, so before `day` the weeks ended are (day - start) / 7,
 * and all of them once the campaign is over. */
int weekly_weeks_ended(int start, int end, int day) {
  if (day <= start) return 0;
  return day > end ? weekly_weeks_in(start, end) : (day - start) / 7;
}

void weekly_bounds(int start, int end, int week, int *from, int *to) {
  *from = start + 7 * (week - 1);
  *to = *from + 6;
  if (*to > end) *to = end;
}

static const char *const reported_metrics[] = {"leads_count", "follow_ups", "visits_out", "visits_in", "signed_count",
                                               "signed_value", "started_count", "completed_count", "funds_arrived",
                                               "policy_funds", NULL};

/* Every reported metric, present even when 0, so a report always shows the same rows. */
static json_t *complete(json_t *sums) {
  json_t *out = json_object();
  for (int i = 0; reported_metrics[i]; i++) {
    json_t *m = json_object_get(sums, reported_metrics[i]);
    json_object_set_new(out, reported_metrics[i],
                        m ? json_incref(m) : json_pack("{s:i s:i}", "reported", 0, "certified", 0));
  }
  json_decref(sums);
  return out;
}

int weekly_figures(Db *db, int64_t campaign_id, int64_t unit_id, int from, int to, int start, json_t **out, HzErr *e) {
  *out = NULL;
  json_t *week = NULL, *last = NULL, *to_date = NULL;
  int rc = figures_store_unit_range(db, campaign_id, unit_id, from, to, &week, e);
  if (!rc) rc = figures_store_unit_range(db, campaign_id, unit_id, from - 7, from - 1, &last, e);
  if (!rc) rc = figures_store_unit_range(db, campaign_id, unit_id, start, to, &to_date, e);
  if (rc) {
    json_decref(week);
    json_decref(last);
    json_decref(to_date);
    return rc;
  }
  week = complete(week);
  last = complete(last);
  json_t *change = json_object();
  for (int i = 0; reported_metrics[i]; i++) {
    const char *m = reported_metrics[i];
    json_object_set_new(change, m,
                        json_integer(json_integer_value(json_object_get(json_object_get(week, m), "reported")) -
                                     json_integer_value(json_object_get(json_object_get(last, m), "reported"))));
  }
  *out = json_pack("{s:o s:o s:o s:o}", "this_week", week, "last_week", last, "change", change, "to_date",
                   complete(to_date));
  return HZ_OK;
}

static const Resource *reports(void) { return resource_find("weekly-reports"); }

/* Loads a report the actor can see and checks it is at `status` and the actor's own. */
static int load_own(Db *db, const Actor *a, int64_t id, const char *status, json_t **rep, HzErr *e) {
  int rc = record_read(db, a, reports(), id, rep, e);
  if (rc) return rc;
  if (!actor_is_unit(a) && a->role != ROLE_ADMIN) rc = hz_fail(e, HZ_EFORBIDDEN, NULL, "只有本单位可以提交或审阅周报");
  else if (strcmp(json_string_value(json_object_get(*rep, "status")), status))
    rc = hz_fail(e, HZ_ERULE, "status", "周报当前状态为“%s”，不能执行此操作",
                 json_string_value(json_object_get(*rep, "status")));
  return rc;
}

static int change(Db *db, const Actor *a, json_t *before, const char *action, json_t *values, json_t **out, HzErr *e) {
  int64_t id = json_integer_value(json_object_get(before, "id"));
  int rc = db_begin(db, e);
  if (!rc) rc = record_store_update(db, reports(), id, json_integer_value(json_object_get(before, "version")), values, e);
  if (!rc) rc = record_store_get(db, reports(), id, 0, out, e);
  if (!rc) rc = record_audit(db, a, action, reports(), id, before, *out, e);
  if (!rc) rc = db_commit(db, e);
  if (rc) {
    db_rollback(db);
    json_decref(*out);
    *out = NULL;
  }
  return rc;
}

int weekly_submit(Db *db, const Actor *a, int64_t id, json_t **out, HzErr *e) {
  *out = NULL;
  json_t *rep = NULL, *campaign = NULL, *figures = NULL;
  int rc = load_own(db, a, id, "draft", &rep, e), start = 0, from = 0, to = 0;
  if (!rc) rc = record_store_get(db, resource_find("campaigns"), json_integer_value(json_object_get(rep, "campaign_id")), 0,
                                 &campaign, e);
  if (!rc) {
    date_parse(json_string_value(json_object_get(campaign, "start_date")), &start);
    date_parse(json_string_value(json_object_get(rep, "week_start")), &from);
    date_parse(json_string_value(json_object_get(rep, "week_end")), &to);
    /* The figures are filled in again at submission and frozen with the report. */
    rc = weekly_figures(db, json_integer_value(json_object_get(rep, "campaign_id")),
                        json_integer_value(json_object_get(rep, "unit_id")), from, to, start, &figures, e);
  }
  if (!rc) {
    char now[TIMESTAMP_LEN];
    time_now_iso(now);
    json_t *values = json_pack("{s:s s:s s:o s:O}", "status", "submitted", "submitted_at", now, "submitted_by",
                               a->id ? json_integer(a->id) : json_null(), "figures", figures);
    rc = change(db, a, rep, "submit", values, out, e);
    json_decref(values);
  }
  json_decref(figures);
  json_decref(rep);
  json_decref(campaign);
  return rc;
}

/* The campaign day (UTC+8) of a UTC submission timestamp, never later than today:
 * with HUIZHAN_TODAY the timestamp's date part is already that day. */
static int submission_day(const char *ts) {
  char d[DATE_LEN];
  int day = 0;
  if (!ts || strlen(ts) < 13) return 0;
  memcpy(d, ts, DATE_LEN - 1);
  d[DATE_LEN - 1] = 0;
  if (date_parse(d, &day)) return 0;
  int hour = (ts[11] - '0') * 10 + (ts[12] - '0'); /* "YYYY-MM-DDTHH…" */
  if (hour >= 16) day++;                          /* 16:00 UTC is midnight in the campaign zone */
  return day > date_today() ? date_today() : day;
}

int weekly_review(Db *db, const Actor *a, int64_t id, json_t *body, json_t **out, HzErr *e) {
  *out = NULL;
  if (a->role != ROLE_UNIT_HEAD && a->role != ROLE_ADMIN)
    return hz_fail(e, HZ_EFORBIDDEN, NULL, "只有本单位主要负责人可以听取和审阅周报");
  const char *k;
  json_t *v;
  json_object_foreach(body, k, v) if (strcmp(k, "heard") && strcmp(k, "comments") && strcmp(k, "date"))
      hz_err_field(e, k, "未知字段");
  json_t *heard = json_object_get(body, "heard"), *comments = json_object_get(body, "comments"),
         *date = json_object_get(body, "date");
  if (!json_is_true(heard)) hz_err_field(e, "heard", "须为 true：负责人已听取汇报");
  if (comments && !json_is_string(comments)) hz_err_field(e, "comments", "应为文本");
  char today[DATE_LEN];
  date_format(date_today(), today);
  int day;
  if (date && (!json_is_string(date) || date_parse(json_string_value(date), &day)))
    hz_err_field(e, "date", "日期应为 YYYY-MM-DD 格式的真实日期");
  else if (date && day > date_today()) hz_err_field(e, "date", "日期不能晚于今天");
  if (e->fields && json_object_size(e->fields)) return hz_fail(e, HZ_EINVAL, NULL, "审阅意见有误");
  json_t *rep = NULL;
  int rc = load_own(db, a, id, "submitted", &rep, e);
  /* A head hears a report once it is in: a review dated earlier would count as on time
   * (R-PROG-8) for a report nobody could have heard yet. */
  int submitted = submission_day(json_string_value(json_object_get(rep, "submitted_at")));
  if (!rc && date && day < submitted) {
    char s[DATE_LEN];
    date_format(submitted, s);
    rc = hz_fail(e, HZ_EINVAL, "date", "听取日期不能早于周报提交日期（%s）", s);
  }
  if (!rc) {
    json_t *values = json_pack("{s:s s:b s:O s:s s:o}", "status", "reviewed", "heard", 1, "review_comments",
                               comments ? comments : json_null(), "reviewed_on", date ? json_string_value(date) : today,
                               "reviewed_by", a->id ? json_integer(a->id) : json_null());
    rc = change(db, a, rep, "review", values, out, e);
    json_decref(values);
  }
  json_decref(rep);
  return rc;
}

int weekly_status(Db *db, int64_t campaign_id, int week, json_t **out, HzErr *e) {
  *out = NULL;
  json_t *campaign = NULL, *units = NULL, *reps = NULL;
  int rc = record_store_get(db, resource_find("campaigns"), campaign_id, 0, &campaign, e);
  if (!rc) rc = figures_store_units(db, &units, e);
  if (!rc) rc = workflow_store_reports(db, campaign_id, &reps, e);
  if (rc) goto done;
  int start = 0, end = 0, today = date_today();
  date_parse(json_string_value(json_object_get(campaign, "start_date")), &start);
  date_parse(json_string_value(json_object_get(campaign, "end_date")), &end);
  /* A week is due once it has ended. */
  int last = weekly_weeks_ended(start, end, today);
  int weeks = weekly_weeks_in(start, end);
  if (week && (week < 1 || week > weeks)) {
    rc = hz_fail(e, HZ_EINVAL, "week", "第 %d 周不在会战期内（共 %d 周）", week, weeks);
    goto done;
  }
  /* Reports by "unit:week", so each lookup below is one hash probe. */
  json_t *by_key = json_object();
  size_t k;
  json_t *rep;
  json_array_foreach(reps, k, rep) {
    char key[48];
    snprintf(key, sizeof key, "%lld:%lld", (long long)json_integer_value(json_object_get(rep, "unit_id")),
             (long long)json_integer_value(json_object_get(rep, "week")));
    json_object_set(by_key, key, rep);
  }
  json_t *list = json_array();
  for (int w = week ? week : 1; w <= (week ? week : last); w++) {
    int from, to;
    weekly_bounds(start, end, w, &from, &to);
    char fs[DATE_LEN], ts[DATE_LEN], due[DATE_LEN];
    date_format(from, fs);
    date_format(to, ts);
    date_format(to + REVIEW_DAYS, due);
    json_t *missing = json_array(), *unreviewed = json_array(), *units_w = json_array();
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u) {
      char key[48];
      snprintf(key, sizeof key, "%lld:%d", (long long)json_integer_value(json_object_get(u, "id")), w);
      json_t *found = json_object_get(by_key, key);
      const char *status = found ? json_string_value(json_object_get(found, "status")) : "missing";
      const char *reviewed = found ? json_string_value(json_object_get(found, "reviewed_on")) : NULL;
      int on_time = reviewed && strcmp(reviewed, due) <= 0;
      if (!found || !strcmp(status, "draft")) json_array_append(missing, json_object_get(u, "id"));
      else if (!strcmp(status, "submitted")) json_array_append(unreviewed, json_object_get(u, "id"));
      json_array_append_new(units_w, json_pack("{s:O s:O s:s s:o s:b}", "unit_id", json_object_get(u, "id"), "name",
                                               json_object_get(u, "name"), "status", status, "report_id",
                                               found ? json_incref(json_object_get(found, "id")) : json_null(),
                                               "reviewed_on_time", on_time));
    }
    json_array_append_new(list, json_pack("{s:i s:s s:s s:s s:o s:o s:o}", "week", w, "from", fs, "to", ts,
                                          "review_due", due, "not_submitted", missing, "not_reviewed", unreviewed,
                                          "units", units_w));
  }
  json_decref(by_key);
  *out = json_pack("{s:I s:i s:i s:o}", "campaign_id", (json_int_t)campaign_id, "weeks", weeks, "due_weeks", last,
                   "items", list);
done:
  json_decref(campaign);
  json_decref(units);
  json_decref(reps);
  return rc;
}
