/* The collections of the campaign's working rhythm (SPEC §2, §4): weekly reports,
 * coordination items, inspections, bulletins, rules, proposals, admonitions and
 * notifications, described as data like those in resources.c. Their actions (submit,
 * review, advance, publish, evaluate, approve …) live in weekly.c, coordination.c,
 * bulletin.c and rules.c. */
#include "domain/coordination.h"
#include "domain/record.h"
#include "domain/resource.h"
#include "domain/resource_defs.h"
#include "domain/resources_workflow.h"
#include "domain/rules.h"
#include "domain/weekly.h"
#include "store/figures_store.h"
#include "store/record_store.h"
#include "store/workflow_store.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>



static const Choice report_statuses[] = {{"draft", "草稿"}, {"submitted", "已提交"}, {"reviewed", "已听取"}, {0}};
static const Choice item_statuses[] = {{"assigned", "已交办"}, {"signed_off", "已签收"}, {"handled", "已办理"},
                                       {"feedback", "已反馈"}, {"reviewed", "已复核"}, {"closed", "已办结"}, {0}};
static const Choice bulletin_statuses[] = {{"draft", "草稿"}, {"published", "已发布"}, {0}};
static const Choice triggers[] = {{"month_end", "月底节点"}, {"midpoint", "过半节点"}, {"fair", "经贸洽谈会"},
                                  {"final", "会战结束"}, {"other", "其他节点"}, {"any_checkpoint", "任一节点"},
                                  {"bulletin", "每期通报"}, {0}};
static const Choice outcomes[] = {{"full_time_investment", "主要负责人离职招商"}, {"leave_post", "主要负责人离岗招商"},
                                  {"accountability", "追究主要负责人责任"}, {"commendation", "表彰奖励"},
                                  {"admonition", "谈话诫勉"}, {"other", "其他"}, {0}};
static const Choice proposal_statuses[] = {{"proposed", "待审定"}, {"approved", "已批准"}, {"dismissed", "已驳回"}, {0}};

static const char *before_s(RecordCtx *c, const char *k) { return json_string_value(json_object_get(c->before, k)); }
/* Loads into *rec the record that `field` refers to, which must belong to the same
 * campaign (*rec NULL when the field names none, or a bad one). A bad reference is one
 * more bad field (hz_fail_more), so the hook's other checks still run and every bad
 * field is named at once; only a failure of the store itself is returned. */
static int load_ref(RecordCtx *c, const char *field, const char *collection, json_t **rec) {
  *rec = NULL;
  if (!json_is_integer(val(c, field))) return HZ_OK;
  HzErr le = {0};
  int rc = record_store_get(c->db, resource_find(collection), ival(c, field), 0, rec, &le);
  if (rc == HZ_ENOTFOUND) {
    hz_err_clear(&le);
    hz_fail_more(c->err, HZ_EINVAL, field, "引用的记录不存在");
    return HZ_OK;
  }
  if (rc) {
    hz_err_clear(c->err);
    *c->err = le; /* c->err takes le's fields */
    return rc;
  }
  if (json_integer_value(json_object_get(*rec, "campaign_id")) != ival(c, "campaign_id")) {
    hz_fail_more(c->err, HZ_EINVAL, field, "不属于同一场会战");
    json_decref(*rec);
    *rec = NULL;
  }
  return HZ_OK;
}
/* The hook's answer: a store failure, else the first of the bad fields collected, if any. */
static int collected(RecordCtx *c, int rc) { return rc ? rc : c->err ? c->err->rc : HZ_OK; }

/* ---- weekly reports ---- */
static int report_prepare(RecordCtx *c) {
  if (c->op != OP_CREATE) {
    if (strcmp(before_s(c, "status"), "draft"))
      return hz_fail(c->err, HZ_ERULE, "status", "周报已提交，不能再修改或删除");
    return HZ_OK;
  }
  /* The unit and the week are checked apart, so that one answer names both. */
  (void)default_own_unit(c, "unit_id");
  json_t *camp = NULL, *figures = NULL;
  int rc = load(c, "campaigns", ival(c, "campaign_id"), &camp);
  if (rc) return rc;
  int start = 0, end = 0, from = 0, to = 0;
  date_parse(json_string_value(json_object_get(camp, "start_date")), &start);
  date_parse(json_string_value(json_object_get(camp, "end_date")), &end);
  json_decref(camp);
  int week = (int)ival(c, "week"), weeks = weekly_weeks_in(start, end);
  if (week > weeks) hz_fail_more(c->err, HZ_EINVAL, "week", "会战共 %d 周", weeks);
  else weekly_bounds(start, end, week, &from, &to);
  if (week <= weeks && from > date_today()) hz_fail_more(c->err, HZ_ERULE, "week", "第 %d 周尚未开始", week);
  if ((rc = collected(c, HZ_OK))) return rc;
  rc = weekly_figures(c->db, ival(c, "campaign_id"), ival(c, "unit_id"), from, to, start, &figures, c->err);
  if (rc) return rc;
  char fs[DATE_LEN], ts[DATE_LEN];
  date_format(from, fs);
  date_format(to, ts);
  set_server(c, "week_start", json_string(fs));
  set_server(c, "week_end", json_string(ts));
  set_server(c, "figures", figures);
  return HZ_OK;
}
static const Field report_fields[] = {
  REF("campaign_id", "会战", FF_READONLY | FF_FILTER, "campaigns"),
  REF("unit_id", "单位", FF_CREATE_ONLY | RW, "units"),
  INT("week", "周次", FF_REQUIRED | FF_CREATE_ONLY | RW, 1, 100),
  DATE("week_start", "本周开始", FF_READONLY),
  DATE("week_end", "本周结束", FF_READONLY),
  JSONF("figures", "系统填报数据", FF_READONLY),
  LONGTEXT("work_done", "本周工作", FF_NULLABLE | FF_SEARCH),
  LONGTEXT("problems", "需协调解决的问题", FF_NULLABLE | FF_SEARCH),
  LONGTEXT("next_plan", "下周计划", FF_NULLABLE),
  ENUM("status", "状态", FF_READONLY | RW, report_statuses),
  TIMESTAMP("submitted_at", "提交时间", FF_READONLY),
  REF("submitted_by", "提交人", FF_READONLY, "users"),
  BOOL("heard", "负责人已听取", FF_READONLY),
  TEXT("review_comments", "负责人意见", FF_READONLY),
  DATE("reviewed_on", "听取日期", FF_READONLY | FF_SORT),
  REF("reviewed_by", "听取人", FF_READONLY, "users"),
  END};
const Resource resource_weekly_reports = {
    .name = "weekly-reports",
    .table = "weekly_reports",
    .label = "周报",
    .parent = "campaigns",
    .parent_field = "campaign_id",
    .fields = report_fields,
    .scope = SCOPE_UNIT,
    .unit_field = "unit_id",
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_UNIT | ROLE_ADMIN,
    .ops = OPS_ALL,
    .prepare = report_prepare,
};

/* ---- coordination items ---- */
static int item_prepare(RecordCtx *c) {
  if (c->op == OP_CREATE) {
    if (c->actor->id) set_server(c, "raised_by", json_integer(c->actor->id));
    json_t *report = NULL;
    int rc = load_ref(c, "weekly_report_id", "weekly-reports", &report);
    json_decref(report);
    return collected(c, rc);
  }
  if (c->op == OP_DELETE && strcmp(before_s(c, "status"), "assigned"))
    return hz_fail(c->err, HZ_ERULE, "status", "已签收的督办事项不能删除");
  if (c->op == OP_UPDATE && !strcmp(before_s(c, "status"), "closed"))
    return hz_fail(c->err, HZ_ERULE, "status", "已办结的督办事项不能修改");
  return HZ_OK;
}
static const Field item_fields[] = {
  REF("campaign_id", "会战", FF_REQUIRED | FF_CREATE_ONLY | RW, "campaigns"),
  REF("unit_id", "责任单位", FF_REQUIRED | FF_CREATE_ONLY | RW, "units"),
  REF("weekly_report_id", "来源周报", FF_NULLABLE | FF_CREATE_ONLY | FF_FILTER, "weekly-reports"),
  TEXT("title", "事项", FF_REQUIRED | FF_SEARCH),
  LONGTEXT("description", "说明", FF_NULLABLE | FF_SEARCH),
  REF("raised_by", "交办人", FF_READONLY, "users"),
  DATE("due_date", "办结时限", FF_REQUIRED | RW),
  ENUM("status", "状态", FF_READONLY | RW, item_statuses),
  LONGTEXT("handling", "办理情况", FF_READONLY),
  LONGTEXT("feedback", "反馈", FF_READONLY),
  LONGTEXT("review_note", "复核意见", FF_READONLY),
  INT("reminders", "催办次数", FF_READONLY | FF_SORT, 0, 0),
  DATE("last_reminded_on", "最近催办", FF_READONLY),
  DATE("closed_on", "办结日期", FF_READONLY),
  END};
const Resource resource_coordination_items = {
    .name = "coordination-items",
    .table = "coordination_items",
    .label = "督办事项",
    .fields = item_fields,
    .scope = SCOPE_UNIT,
    .unit_field = "unit_id",
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL,
    .ops = OPS_ALL,
    .prepare = item_prepare,
    .decorate = coordination_decorate,
};

/* ---- inspections ---- */
/* The leadership-input figures (R-PROG-8) at the inspection date, offered as evidence. */
static int leadership_evidence(RecordCtx *c) {
  json_t *camp = NULL, *sums = NULL, *reps = NULL;
  int rc = load(c, "campaigns", ival(c, "campaign_id"), &camp), start = 0, end = 0, day = 0;
  if (!rc) {
    date_parse(json_string_value(json_object_get(camp, "start_date")), &start);
    date_parse(json_string_value(json_object_get(camp, "end_date")), &end);
    date_parse(sval(c, "date"), &day);
    rc = figures_store_unit_range(c->db, ival(c, "campaign_id"), ival(c, "unit_id"), start, day, &sums, c->err);
  }
  if (!rc) rc = workflow_store_reports(c->db, ival(c, "campaign_id"), &reps, c->err);
  if (!rc) {
    int due = 0, on_time = 0;
    size_t i;
    json_t *r;
    json_array_foreach(reps, i, r) {
      int from, to, reviewed = 0;
      if (json_integer_value(json_object_get(r, "unit_id")) != ival(c, "unit_id")) continue;
      weekly_bounds(start, end, (int)json_integer_value(json_object_get(r, "week")), &from, &to);
      if (to >= day) continue;
      if (json_is_string(json_object_get(r, "reviewed_on")) &&
          !date_parse(json_string_value(json_object_get(r, "reviewed_on")), &reviewed) && reviewed <= to + REVIEW_DAYS &&
          reviewed <= day) /* as of the inspection date: a later review was not known then */
        on_time++;
    }
    due = weekly_weeks_ended(start, end, day);
    set_server(c, "leadership_evidence",
               json_pack("{s:I s:i s:i}", "follow_ups_with_leader",
                         (json_int_t)json_integer_value(json_object_get(json_object_get(sums, "leader_follow_ups"), "reported")),
                         "reports_due", due, "reports_reviewed_on_time", on_time));
  }
  json_decref(camp);
  json_decref(sums);
  json_decref(reps);
  return rc;
}
static int inspection_prepare(RecordCtx *c) {
  if (c->op == OP_DELETE) return HZ_OK;
  int d;
  if (date_parse(sval(c, "date"), &d) == HZ_OK && d > date_today())
    return hz_fail(c->err, HZ_ERULE, "date", "督查日期不能晚于今天");
  return leadership_evidence(c);
}
static const Field inspection_fields[] = {
  REF("campaign_id", "会战", FF_READONLY | FF_FILTER, "campaigns"),
  REF("unit_id", "被督查单位", FF_REQUIRED | FF_CREATE_ONLY | RW, "units"),
  DATE("date", "督查日期", FF_REQUIRED | RW),
  TEXT("inspectors", "督查人员", FF_NULLABLE),
  INT("leadership_score", "领导精力投入", FF_REQUIRED | FF_SORT, 0, 100),
  INT("negotiation_score", "招商洽谈", FF_REQUIRED | FF_SORT, 0, 100),
  INT("funds_score", "资金到账", FF_REQUIRED | FF_SORT, 0, 100),
  INT("progress_score", "项目进展", FF_REQUIRED | FF_SORT, 0, 100),
  LONGTEXT("leadership_findings", "领导精力投入情况", FF_NULLABLE),
  LONGTEXT("negotiation_findings", "招商洽谈情况", FF_NULLABLE),
  LONGTEXT("funds_findings", "资金到账情况", FF_NULLABLE),
  LONGTEXT("progress_findings", "项目进展情况", FF_NULLABLE),
  LONGTEXT("findings", "督查结论", FF_NULLABLE | FF_SEARCH),
  JSONF("leadership_evidence", "领导精力投入数据", FF_READONLY),
  BOOL("published", "已公开", FF_FILTER),
  END};
const Resource resource_inspections = {
    .name = "inspections",
    .table = "inspections",
    .label = "督查",
    .parent = "campaigns",
    .parent_field = "campaign_id",
    .fields = inspection_fields,
    .scope = SCOPE_UNIT,
    .unit_field = "unit_id",
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL,
    .ops = OPS_ALL,
    .prepare = inspection_prepare,
    .unit_visible_when = "published = 1",
};

/* ---- bulletins (generated and published through domain/bulletin.c) ---- */
/* Deleting a draft takes its undecided rule proposals with it (each audited), in the
 * delete's transaction; once the office has decided one, the draft is evidence and stays. */
static int bulletin_drop_proposals(RecordCtx *c) {
  json_t *props = NULL;
  int64_t others = 0;
  int rc = workflow_store_bulletin_links(c->db, c->id, &props, &others, c->err), decided = 0;
  size_t i;
  json_t *p;
  json_array_foreach(props, i, p) decided += strcmp(json_string_value(json_object_get(p, "status")), "proposed") != 0;
  if (!rc && decided)
    rc = hz_fail(c->err, HZ_ECONFLICT, "status", "该通报草稿提出的奖惩建议已有 %d 条经会战办公室审定，不能删除", decided);
  if (!rc && others)
    rc = hz_fail(c->err, HZ_ECONFLICT, "status", "该通报草稿已有领导批示或谈话记录引用，不能删除");
  const Resource *r = resource_find("proposals");
  json_array_foreach(props, i, p) {
    if (rc) break;
    int64_t id = json_integer_value(json_object_get(p, "id"));
    json_t *before = NULL;
    if (!(rc = record_store_get(c->db, r, id, 0, &before, c->err)) && !(rc = record_store_delete(c->db, r, id, c->err)))
      rc = record_audit(c->db, c->actor, "delete", r, id, before, NULL, c->err);
    json_decref(before);
  }
  json_decref(props);
  return rc;
}
static int bulletin_prepare(RecordCtx *c) {
  if (strcmp(before_s(c, "status"), "draft"))
    return hz_fail(c->err, HZ_ECONFLICT, "status", "通报已发布，不能修改或删除");
  return c->op == OP_DELETE ? bulletin_drop_proposals(c) : HZ_OK;
}
static const Field bulletin_fields[] = {
  REF("campaign_id", "会战", FF_READONLY | FF_FILTER, "campaigns"),
  INT("number", "期号", FF_READONLY | RW, 0, 0),
  TEXT("title", "标题", FF_REQUIRED | FF_SEARCH),
  TEXT("issuer", "发文单位", FF_REQUIRED),
  DATE("period_start", "通报期初", FF_READONLY),
  DATE("period_end", "通报期末", FF_READONLY | RW),
  REF("snapshot_id", "数据快照", FF_READONLY, NULL),
  JSONF("content", "通报内容", FF_READONLY),
  LONGTEXT("intro", "导语", FF_NULLABLE),
  LONGTEXT("highlights_text", "工作亮点", FF_NULLABLE),
  LONGTEXT("closing", "下步要求", FF_NULLABLE),
  ENUM("status", "状态", FF_READONLY | RW, bulletin_statuses),
  DATE("published_on", "发布日期", FF_READONLY | FF_SORT),
  TEXT("sha256", "SHA-256", FF_READONLY),
  TEXT("audit_head", "发布时的审计链头", FF_READONLY | FF_NULLABLE),
  INT("audit_count", "发布时的审计记录数", FF_READONLY | FF_NULLABLE, 0, 0),
  END};
const Resource resource_bulletins = {
    .name = "bulletins",
    .table = "bulletins",
    .label = "通报",
    .parent = "campaigns",
    .parent_field = "campaign_id",
    .fields = bulletin_fields,
    .scope = SCOPE_PUBLIC,
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL,
    .ops = OP_UPDATE | OP_DELETE,
    .prepare = bulletin_prepare,
    .unit_visible_when = "status = 'published'",
};

/* ---- rules ---- */
static int rule_prepare(RecordCtx *c) {
  if (c->op == OP_DELETE) return HZ_OK;
  return rules_check_condition(val(c, "condition"), c->err);
}
static const Field rule_fields[] = {
  REF("campaign_id", "会战", FF_READONLY | FF_FILTER, "campaigns"),
  TEXT("code", "编号", FF_REQUIRED | FF_CREATE_ONLY | RW),
  TEXT("name", "名称", FF_REQUIRED | FF_SEARCH),
  ENUM("trigger_on", "触发时机", FF_REQUIRED | RW, triggers),
  JSONF("condition", "条件", FF_REQUIRED),
  ENUM("outcome", "结果", FF_REQUIRED | RW, outcomes),
  TEXT("outcome_text", "处理意见", FF_REQUIRED),
  BOOL("enabled", "启用", FF_FILTER),
  END};
const Resource resource_rules = {
    .name = "rules",
    .table = "rules",
    .label = "奖惩规则",
    .parent = "campaigns",
    .parent_field = "campaign_id",
    .fields = rule_fields,
    .scope = SCOPE_PUBLIC,
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL,
    .ops = OPS_ALL,
    .prepare = rule_prepare,
};

/* Every new campaign starts with the rules of the speech (R-RULE-1 … R-RULE-5). */
int campaign_install_rules(RecordCtx *c) {
  if (c->op != OP_CREATE) return HZ_OK;
  json_t *defaults = rules_defaults();
  int rc = HZ_OK;
  size_t i;
  json_t *r;
  json_array_foreach(defaults, i, r) {
    int64_t id = 0;
    json_t *rec = NULL;
    json_object_set_new(r, "campaign_id", json_integer(c->id));
    if (!(rc = record_store_insert(c->db, &resource_rules, r, &id, c->err)) &&
        !(rc = record_store_get(c->db, &resource_rules, id, 0, &rec, c->err)))
      rc = record_audit(c->db, c->actor, "create", &resource_rules, id, NULL, rec, c->err);
    json_decref(rec);
    if (rc) break;
  }
  json_decref(defaults);
  return rc;
}

/* ---- proposals (made by evaluation, decided through rules_decide) ---- */
static const Field proposal_fields[] = {
  REF("campaign_id", "会战", FF_READONLY | FF_FILTER, "campaigns"),
  REF("rule_id", "规则", FF_READONLY | FF_FILTER, "rules"),
  REF("checkpoint_id", "考核节点", FF_READONLY | FF_FILTER, "checkpoints"),
  REF("bulletin_id", "通报", FF_READONLY | FF_FILTER, "bulletins"),
  REF("unit_id", "单位", FF_READONLY | RW, "units"),
  ENUM("outcome", "结果", FF_READONLY | RW, outcomes),
  TEXT("outcome_text", "处理意见", FF_READONLY),
  JSONF("basis", "依据", FF_READONLY),
  ENUM("status", "状态", FF_READONLY | RW, proposal_statuses),
  REF("decided_by", "审定人", FF_READONLY, "users"),
  DATE("decided_on", "审定日期", FF_READONLY),
  TEXT("note", "审定意见", FF_READONLY),
  END};
const Resource resource_proposals = {
    .name = "proposals",
    .table = "proposals",
    .label = "奖惩建议",
    .parent = "campaigns",
    .parent_field = "campaign_id",
    .fields = proposal_fields,
    .scope = SCOPE_UNIT,
    .unit_field = "unit_id",
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL,
    .ops = 0,
    .unit_visible_when = "status = 'approved'",
};

/* ---- admonitions ---- */
/* Whether a bulletin's rule outcomes proposed an admonition for the unit. */
static int bulletin_admonished(json_t *bulletin, int64_t unit_id) {
  size_t i;
  json_t *p;
  json_array_foreach(json_object_get(json_object_get(bulletin, "content"), "rule_outcomes"), i, p) {
    const char *outcome = json_string_value(json_object_get(p, "outcome"));
    if (json_integer_value(json_object_get(p, "unit_id")) == unit_id && outcome && !strcmp(outcome, "admonition"))
      return 1;
  }
  return 0;
}

/* A talk is held because a rule asked for it: it names the approved admonition
 * proposal for the unit, or the published bulletin that proposed one, or both (then
 * the two agree). */
static int admonition_prepare(RecordCtx *c) {
  if (c->op == OP_DELETE) return HZ_OK;
  /* The basis, the proposal, the bulletin and the date are checked apart: one answer names
   * every bad field (hz_fail_more keeps the first message and adds the others' fields). */
  int has_p = json_is_integer(val(c, "proposal_id")), has_b = json_is_integer(val(c, "bulletin_id"));
  if (!has_p && !has_b)
    hz_fail_more(c->err, HZ_EINVAL, "proposal_id", "须注明谈话依据：所依据的谈话诫勉建议（proposal_id）或通报（bulletin_id）");
  json_t *p = NULL, *b = NULL;
  int rc = load_ref(c, "proposal_id", "proposals", &p);
  if (!rc) rc = load_ref(c, "bulletin_id", "bulletins", &b);
  if (!rc && p) {
    const char *status = json_string_value(json_object_get(p, "status"));
    if (json_integer_value(json_object_get(p, "unit_id")) != ival(c, "unit_id") ||
        strcmp(json_string_value(json_object_get(p, "outcome")), "admonition"))
      hz_fail_more(c->err, HZ_EINVAL, "proposal_id", "所引建议不是针对该单位的谈话诫勉建议");
    else if (strcmp(status, "approved"))
      hz_fail_more(c->err, HZ_ERULE, "proposal_id", "所引建议%s，只有经会战办公室批准的建议才能据以谈话",
                   !strcmp(status, "dismissed") ? "已被驳回" : "尚未审定");
    else if (has_b && json_integer_value(json_object_get(p, "bulletin_id")) != ival(c, "bulletin_id"))
      hz_fail_more(c->err, HZ_EINVAL, "bulletin_id", "所引通报与所引建议的来源通报不一致");
  }
  if (!rc && b) {
    if (strcmp(json_string_value(json_object_get(b, "status")), "published"))
      hz_fail_more(c->err, HZ_ERULE, "bulletin_id", "所引通报尚未发布");
    else if (!bulletin_admonished(b, ival(c, "unit_id")))
      hz_fail_more(c->err, HZ_EINVAL, "bulletin_id", "所引通报没有对该单位提出谈话诫勉建议");
  }
  json_decref(p);
  json_decref(b);
  int d;
  if (!rc && date_parse(sval(c, "date"), &d) == HZ_OK && d > date_today())
    hz_fail_more(c->err, HZ_ERULE, "date", "谈话日期不能晚于今天");
  return collected(c, rc);
}
/* The unit hears that its head is called to a talk: when, with whom, where to read it. */
static int admonition_after(RecordCtx *c) {
  if (c->op != OP_CREATE) return HZ_OK;
  char text[1024], link[64];
  snprintf(text, sizeof text, "会战办公室已安排谈话诫勉：%s，由%s约谈%s。", sval(c, "date"), sval(c, "leader"),
           sval(c, "head_name") ? sval(c, "head_name") : "本单位主要负责人");
  utf8_trim_partial(text);
  snprintf(link, sizeof link, "/api/v1/admonitions/%" PRId64, c->id);
  return workflow_store_notify_link(c->db, ival(c, "campaign_id"), ival(c, "unit_id"), "admonition_scheduled", text,
                                    link, c->err);
}
static const Field admonition_fields[] = {
  REF("campaign_id", "会战", FF_REQUIRED | FF_CREATE_ONLY | RW, "campaigns"),
  REF("unit_id", "单位", FF_REQUIRED | FF_CREATE_ONLY | RW, "units"),
  REF("proposal_id", "依据建议", FF_NULLABLE | FF_FILTER, "proposals"),
  REF("bulletin_id", "依据通报", FF_NULLABLE | FF_FILTER, "bulletins"),
  DATE("date", "谈话日期", FF_REQUIRED | RW),
  TEXT("leader", "谈话领导", FF_REQUIRED),
  TEXT("head_name", "谈话对象", FF_NULLABLE),
  LONGTEXT("basis", "谈话依据", FF_NULLABLE),
  LONGTEXT("notes", "谈话记录", FF_NULLABLE),
  END};
const Resource resource_admonitions = {
    .name = "admonitions",
    .table = "admonitions",
    .label = "谈话诫勉",
    .fields = admonition_fields,
    .scope = SCOPE_UNIT,
    .unit_field = "unit_id",
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL,
    .ops = OPS_ALL,
    .prepare = admonition_prepare,
    .after = admonition_after,
};

/* ---- notifications (written by jobs and actions) ---- */
static const Field notification_fields[] = {
  REF("campaign_id", "会战", FF_READONLY | FF_FILTER, "campaigns"),
  REF("unit_id", "单位", FF_READONLY | FF_FILTER, "units"),
  TEXT("kind", "类型", FF_READONLY | RW),
  TEXT("text", "内容", FF_READONLY | FF_SEARCH),
  TEXT("link", "相关记录", FF_READONLY),
  END};
const Resource resource_notifications = {
    .name = "notifications",
    .table = "notifications",
    .label = "提醒",
    .fields = notification_fields,
    .scope = SCOPE_UNIT_OR_ALL,
    .unit_field = "unit_id",
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL,
    .ops = 0,
};
