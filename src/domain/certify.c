#include "domain/certify.h"
#include "domain/record.h"
#include "domain/figures.h"
#include "domain/stage.h"
#include "store/project_store.h"
#include "store/record_store.h"
#include "store/workflow_store.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <inttypes.h>
#include <stdio.h>
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

static int blank(const char *s) { return !s || !s[strspn(s, " \t\r\n")]; }

/* A move that passes signed (lead or negotiating → signed, started or completed) rests on
 * a contract: its scan is the evidence the office certifies the signing on. */
static int passes_signing(json_t *rec) {
  const char *from = json_string_value(json_object_get(rec, "from_stage"));
  return json_object_get(rec, "to_stage") && needs_certification(resource_find("stage-changes"), rec) && from &&
         (!strcmp(from, "lead") || !strcmp(from, "negotiating"));
}

json_t *certify_required_evidence(const char *collection, json_t *rec) {
  json_t *out = json_array();
  if (!strcmp(collection, "funds")) {
    json_array_append_new(out, json_pack("{s:s s:s}", "code", "voucher", "label", "银行到账凭证"));
    return out;
  }
  int to = stage_parse(json_string_value(json_object_get(rec, "to_stage")));
  if (passes_signing(rec)) json_array_append_new(out, json_pack("{s:s s:s}", "code", "contract", "label", "合同文本"));
  const char *from = json_string_value(json_object_get(rec, "from_stage"));
  if ((to == STAGE_STARTED || to == STAGE_COMPLETED) && from && strcmp(from, "started"))
    json_array_append_new(out, json_pack("{s:s s:s}", "code", "start", "label", "开工证明（施工许可或开工照片）"));
  if (to == STAGE_COMPLETED) json_array_append_new(out, json_pack("{s:s s:s}", "code", "completion", "label", "竣工验收材料"));
  return out;
}

/* The unit hears of a rejection, with the reason, and where to find the record. */
static int notify_rejected(Db *db, const Resource *r, json_t *rec, const char *reason, HzErr *e) {
  json_t *project = NULL;
  int rc = record_store_get(db, resource_find("projects"), json_integer_value(json_object_get(rec, "project_id")), 0,
                            &project, e);
  if (rc) return rc;
  int64_t id = json_integer_value(json_object_get(rec, "id"));
  char what[160], text[2048], link[64];
  if (!strcmp(r->name, "funds"))
    snprintf(what, sizeof what, "到账资金（%s，%" PRId64 " 元）", json_string_value(json_object_get(rec, "date")),
             (int64_t)json_integer_value(json_object_get(rec, "amount")));
  else
    snprintf(what, sizeof what, "%s阶段变更（%s）",
             stage_label_zh(stage_parse(json_string_value(json_object_get(rec, "to_stage")))),
             json_string_value(json_object_get(rec, "date")));
  snprintf(text, sizeof text, "项目“%s”的%s未通过认定，已被退回。原因：%s",
           json_string_value(json_object_get(project, "name")), what, reason);
  utf8_trim_partial(text);
  snprintf(link, sizeof link, "/api/v1/%s/%" PRId64, r->name, id);
  rc = workflow_store_notify_link(db, json_integer_value(json_object_get(rec, "campaign_id")),
                                  json_integer_value(json_object_get(rec, "unit_id")), "record_rejected", text, link, e);
  json_decref(project);
  return rc;
}

static int settle(Db *db, const Actor *a, const Resource *r, int64_t id, int certify, const char *reason,
                  json_t **out, HzErr *e) {
  json_t *before = NULL, *files = NULL;
  int rc = record_store_get(db, r, id, 0, &before, e);
  if (rc) return rc;
  if (!needs_certification(r, before)) rc = hz_fail(e, HZ_ERULE, "to_stage", "该阶段变更无需认定");
  else if (strcmp(json_string_value(json_object_get(before, "status")), "reported") != 0)
    rc = hz_fail(e, HZ_ERULE, "status", "该记录已%s，不能重复处理",
                 !strcmp(json_string_value(json_object_get(before, "status")), "certified") ? "认定" : "退回");
  /* Maker-checker (R-PROG-13): whoever entered a record does not settle it; another
   * office user does. The system itself (id 0: demo, imports) is nobody's checker. */
  else if (a->id && json_integer_value(json_object_get(before, "created_by")) == a->id)
    rc = hz_fail(e, HZ_EFORBIDDEN, "created_by", "不能%s本人填报的记录：填报与认定须由不同的人办理，请由会战办公室其他人员%s",
                 certify ? "认定" : "退回", certify ? "认定" : "退回");
  /* A signing is certified on its contract: without one attached, the office says why. */
  if (!rc && certify && !strcmp(r->name, "stage-changes") && passes_signing(before)) {
    rc = workflow_store_record_attachments(db, "stage_change_id", id, &files, e);
    if (!rc && !json_array_size(files) && blank(reason))
      rc = hz_fail(e, HZ_ERULE, "reason", "该签约未附合同文本，认定时须在 reason 中说明认定依据");
  }
  if (!rc) {
    char now[TIMESTAMP_LEN];
    time_now_iso(now);
    json_t *change = json_pack("{s:s s:I s:s s:s?}", "status", certify ? "certified" : "rejected", "reviewed_by",
                               (json_int_t)a->id, "reviewed_at", now, "reject_reason", certify ? NULL : reason);
    if (certify && !blank(reason)) json_object_set_new(change, "certify_reason", json_string(reason));
    if (!a->id) json_object_set_new(change, "reviewed_by", json_null());
    rc = record_store_update(db, r, id, json_integer_value(json_object_get(before, "version")), change, e);
    json_decref(change);
  }
  json_decref(files);
  if (!rc && !certify) rc = notify_rejected(db, r, before, reason, e);
  if (!rc && !certify && !strcmp(r->name, "stage-changes")) rc = undo_move(db, a, before, e);
  if (!rc) rc = figures_refresh_project(db, json_integer_value(json_object_get(before, "project_id")), e);
  if (!rc) rc = record_store_get(db, r, id, 0, out, e);
  if (!rc) rc = record_audit(db, a, certify ? "certify" : "reject", r, id, before, *out, e);
  json_decref(before);
  return rc;
}

int certify_queue_evidence(Db *db, json_t *items, HzErr *e) {
  int rc = HZ_OK;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    int fund = !strcmp(json_string_value(json_object_get(it, "kind")), "fund");
    const char *collection = fund ? "funds" : "stage-changes";
    int64_t id = json_integer_value(json_object_get(it, "id"));
    json_t *rec = NULL, *files = NULL;
    rc = record_store_get(db, resource_find(collection), id, 0, &rec, e);
    if (!rc) rc = workflow_store_record_attachments(db, fund ? "fund_id" : "stage_change_id", id, &files, e);
    if (!rc) {
      json_t *from = json_object_get(rec, "from_stage"), *maker = json_object_get(rec, "created_by");
      if (from) json_object_set(it, "from_stage", from);
      json_object_set(it, "created_by", maker ? maker : json_null());
      json_object_set_new(it, "required_evidence", certify_required_evidence(collection, rec));
      json_object_set_new(it, "needs_reason", json_boolean(!fund && passes_signing(rec) && !json_array_size(files)));
      json_object_set(it, "attachments", files);
    }
    json_decref(files);
    json_decref(rec);
    if (rc) break;
  }
  return rc;
}

int certify_record(Db *db, const Actor *a, const char *collection, int64_t id, int certify, const char *reason,
                   json_t **out, HzErr *e) {
  *out = NULL;
  const Resource *r = resource_find(collection);
  if (!r || (strcmp(collection, "stage-changes") && strcmp(collection, "funds")))
    return hz_fail(e, HZ_ENOTFOUND, NULL, "只有阶段变更和到账资金需要认定");
  if (!(a->role & ROLES_CENTRAL)) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只有会战办公室可以认定");
  if (!certify && blank(reason))
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
