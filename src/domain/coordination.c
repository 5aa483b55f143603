#include "domain/coordination.h"
#include "domain/record.h"
#include "store/record_store.h"
#include "store/workflow_store.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <string.h>

static const struct {
  const char *from, *to, *note_field;
  unsigned roles; /* who takes this step */
} steps[] = {
  {"assigned", "signed_off", NULL, ROLES_UNIT | ROLE_ADMIN},
  {"signed_off", "handled", "handling", ROLES_UNIT | ROLE_ADMIN},
  {"handled", "feedback", "feedback", ROLES_UNIT | ROLE_ADMIN},
  {"feedback", "reviewed", "review_note", ROLES_CENTRAL},
  {"reviewed", "closed", NULL, ROLES_CENTRAL},
};

const char *coordination_light(const char *status, const char *due_date, int today) {
  int due;
  if (!strcmp(status, "closed") || date_parse(due_date, &due)) return "green";
  if (due < today) return "red";
  return due - today <= LIGHT_YELLOW_DAYS ? "yellow" : "green";
}

void coordination_decorate(json_t *item) {
  const char *status = json_string_value(json_object_get(item, "status"));
  const char *due = json_string_value(json_object_get(item, "due_date"));
  if (!status || !due) return;
  int d = 0, today = date_today();
  date_parse(due, &d);
  json_object_set_new(item, "light", json_string(coordination_light(status, due, today)));
  /* A closed item is done: no countdown, nothing overdue. */
  json_object_set_new(item, "days_left", strcmp(status, "closed") ? json_integer(d - today) : json_null());
}

static const Resource *items(void) { return resource_find("coordination-items"); }

static int update(Db *db, const Actor *a, json_t *before, const char *action, json_t *values, json_t **out, HzErr *e) {
  int64_t id = json_integer_value(json_object_get(before, "id"));
  int rc = record_store_update(db, items(), id, json_integer_value(json_object_get(before, "version")), values, e);
  if (!rc) rc = record_store_get(db, items(), id, 0, out, e);
  if (!rc) rc = record_audit(db, a, action, items(), id, before, *out, e);
  return rc;
}

int coordination_advance(Db *db, const Actor *a, int64_t id, json_t *body, json_t **out, HzErr *e) {
  *out = NULL;
  const char *to = json_string_value(json_object_get(body, "to"));
  json_t *note = json_object_get(body, "note");
  const char *k;
  json_t *v;
  json_object_foreach(body, k, v) if (strcmp(k, "to") && strcmp(k, "note")) hz_err_field(e, k, "未知字段");
  if (!to) hz_err_field(e, "to", "必填：下一状态");
  if (note && (!json_is_string(note) || utf8_length(json_string_value(note)) > 4000)) hz_err_field(e, "note", "应为不超过 4000 字的文本");
  if (e->fields && json_object_size(e->fields)) return hz_fail(e, HZ_EINVAL, NULL, "输入有误");
  json_t *before = NULL;
  int rc = record_read(db, a, items(), id, &before, e);
  if (rc) return rc;
  const char *status = json_string_value(json_object_get(before, "status"));
  int step = -1;
  for (int i = 0; i < (int)(sizeof steps / sizeof steps[0]); i++)
    if (!strcmp(steps[i].from, status)) step = i;
  if (step < 0 || strcmp(steps[step].to, to))
    rc = hz_fail(e, HZ_ERULE, "to", "当前状态为“%s”，下一步应为“%s”", status, step < 0 ? "（已办结）" : steps[step].to);
  else if (!(a->role & steps[step].roles))
    rc = hz_fail(e, HZ_EFORBIDDEN, NULL, "角色“%s”不能执行这一步", role_name(a->role));
  else if (steps[step].note_field && (!json_is_string(note) || !*json_string_value(note)))
    rc = hz_fail(e, HZ_EINVAL, "note", "这一步需要填写说明（note）");
  if (rc) {
    json_decref(before);
    return rc;
  }
  json_t *values = json_pack("{s:s}", "status", to);
  if (steps[step].note_field) json_object_set(values, steps[step].note_field, note);
  if (!strcmp(to, "closed")) {
    char today[DATE_LEN];
    date_format(date_today(), today);
    json_object_set_new(values, "closed_on", json_string(today));
  }
  rc = db_begin(db, e);
  if (!rc) rc = update(db, a, before, to, values, out, e);
  if (!rc) rc = db_commit(db, e);
  if (rc) {
    db_rollback(db);
    json_decref(*out);
    *out = NULL;
  }
  json_decref(values);
  json_decref(before);
  return rc;
}

static int remind_tx(Db *db, const Actor *a, json_t *before, json_t **out, HzErr *e) {
  char today[DATE_LEN];
  date_format(date_today(), today);
  json_t *values = json_pack("{s:I s:s}", "reminders", json_integer_value(json_object_get(before, "reminders")) + 1,
                             "last_reminded_on", today);
  int rc = update(db, a, before, "remind", values, out, e);
  json_decref(values);
  if (!rc) {
    char text[600];
    snprintf(text, sizeof text, "催办：“%s”应于 %s 前办结，请抓紧办理并反馈。", json_string_value(json_object_get(before, "title")),
             json_string_value(json_object_get(before, "due_date")));
    utf8_trim_partial(text);
    rc = workflow_store_notify(db, json_integer_value(json_object_get(before, "campaign_id")),
                               json_integer_value(json_object_get(before, "unit_id")), "overdue_reminder", text, e);
  }
  return rc;
}

static int remind_one(Db *db, const Actor *a, int64_t id, json_t **out, HzErr *e) {
  json_t *before = NULL;
  int rc = record_store_get(db, items(), id, 0, &before, e);
  if (!rc && !strcmp(json_string_value(json_object_get(before, "status")), "closed"))
    rc = hz_fail(e, HZ_ERULE, "status", "该事项已办结，无需催办");
  if (!rc && (rc = db_begin(db, e)) == HZ_OK) {
    rc = remind_tx(db, a, before, out, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) db_rollback(db);
  }
  json_decref(before);
  return rc;
}

int coordination_remind(Db *db, const Actor *a, int64_t id, json_t **out, HzErr *e) {
  *out = NULL;
  if (!(a->role & ROLES_CENTRAL)) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只有会战办公室可以催办");
  int rc = remind_one(db, a, id, out, e);
  if (rc) {
    json_decref(*out);
    *out = NULL;
  }
  return rc;
}

int coordination_remind_overdue(Db *db, const Actor *a, int *count, HzErr *e) {
  *count = 0;
  char today[DATE_LEN];
  date_format(date_today(), today);
  json_t *ids = NULL;
  int rc = workflow_store_overdue(db, today, &ids, e);
  size_t i;
  json_t *id;
  json_array_foreach(ids, i, id) {
    if (rc) break;
    json_t *out = NULL;
    rc = remind_one(db, a, json_integer_value(id), &out, e);
    json_decref(out);
    if (!rc) (*count)++;
  }
  json_decref(ids);
  return rc;
}
