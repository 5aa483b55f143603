#include "domain/certify.h"
#include "domain/record.h"
#include "domain/figures.h"
#include "store/project_store.h"
#include "store/record_store.h"
#include "util/timeutil.h"
#include <string.h>

/* Moves that count toward official figures and so wait for the office. */
static int needs_certification(const Resource *r, json_t *rec) {
  if (!strcmp(r->name, "funds")) return 1;
  const char *to = json_string_value(json_object_get(rec, "to_stage"));
  return to && (!strcmp(to, "signed") || !strcmp(to, "started") || !strcmp(to, "completed"));
}

/* A rejected move is not recognised: the project goes back to the stage it came from.
 * Only the latest standing move can be rejected, so the history stays a straight line. */
static int undo_move(Db *db, const Actor *a, json_t *change, HzErr *e) {
  int64_t project_id = json_integer_value(json_object_get(change, "project_id"));
  int64_t latest = 0;
  int rc = project_store_latest_move(db, project_id, &latest, e);
  /* The change itself is already marked rejected here, so a later standing move is one with a higher id. */
  if (!rc && latest > json_integer_value(json_object_get(change, "id")))
    rc = hz_fail(e, HZ_ERULE, "id", "该项目之后还有阶段变更，请先退回最近的一次");
  const Resource *pr = resource_find("projects");
  json_t *project = NULL, *now = NULL;
  if (!rc) rc = record_store_get(db, pr, project_id, 0, &project, e);
  /* The contract value goes back too, to that of the move still standing (0 when none). */
  int64_t contract = 0;
  if (!rc) rc = project_store_standing_contract(db, project_id, &contract, e);
  if (!rc) {
    json_t *back = json_pack("{s:O}", "stage", json_object_get(change, "from_stage"));
    if (json_is_integer(json_object_get(change, "contract_value"))) json_object_set_new(back, "contract_value", json_integer(contract));
    rc = record_store_update(db, pr, project_id, json_integer_value(json_object_get(project, "version")), back, e);
    json_decref(back);
  }
  if (!rc) rc = record_store_get(db, pr, project_id, 0, &now, e);
  if (!rc) rc = record_audit(db, a, "update", pr, project_id, project, now, e);
  json_decref(now);
  json_decref(project);
  return rc;
}

static int settle(Db *db, const Actor *a, const Resource *r, int64_t id, int certify, const char *reason,
                  json_t **out, HzErr *e) {
  json_t *before = NULL;
  int rc = record_store_get(db, r, id, 0, &before, e);
  if (rc) return rc;
  if (!needs_certification(r, before)) rc = hz_fail(e, HZ_ERULE, "to_stage", "该阶段变更无需认定");
  else if (strcmp(json_string_value(json_object_get(before, "status")), "reported") != 0)
    rc = hz_fail(e, HZ_ERULE, "status", "该记录已%s，不能重复处理",
                 !strcmp(json_string_value(json_object_get(before, "status")), "certified") ? "认定" : "退回");
  if (!rc) {
    char now[TIMESTAMP_LEN];
    time_now_iso(now);
    json_t *change = json_pack("{s:s s:I s:s s:s?}", "status", certify ? "certified" : "rejected", "reviewed_by",
                               (json_int_t)a->id, "reviewed_at", now, "reject_reason", certify ? NULL : reason);
    if (!a->id) json_object_set_new(change, "reviewed_by", json_null());
    rc = record_store_update(db, r, id, json_integer_value(json_object_get(before, "version")), change, e);
    json_decref(change);
  }
  if (!rc && !certify && !strcmp(r->name, "stage-changes")) rc = undo_move(db, a, before, e);
  if (!rc) rc = figures_refresh_project(db, json_integer_value(json_object_get(before, "project_id")), e);
  if (!rc) rc = record_store_get(db, r, id, 0, out, e);
  if (!rc) rc = record_audit(db, a, certify ? "certify" : "reject", r, id, before, *out, e);
  json_decref(before);
  return rc;
}

int certify_record(Db *db, const Actor *a, const char *collection, int64_t id, int certify, const char *reason,
                   json_t **out, HzErr *e) {
  *out = NULL;
  const Resource *r = resource_find(collection);
  if (!r || (strcmp(collection, "stage-changes") && strcmp(collection, "funds")))
    return hz_fail(e, HZ_ENOTFOUND, NULL, "只有阶段变更和到账资金需要认定");
  if (!(a->role & ROLES_CENTRAL)) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只有会战办公室可以认定");
  if (!certify && (!reason || !reason[strspn(reason, " \t\r\n")]))
    return hz_fail(e, HZ_EINVAL, "reason", "退回时必须说明原因");
  int rc = db_begin(db, e);
  if (rc) return rc;
  rc = settle(db, a, r, id, certify, reason, out, e);
  if (!rc) rc = db_commit(db, e);
  if (rc) {
    db_rollback(db);
    json_decref(*out);
    *out = NULL;
  }
  return rc;
}
