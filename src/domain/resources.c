/* Every collection of the JSON API (SPEC §2, §8) as data, with the few rules that are
 * particular to one collection in its prepare/after hooks. */
#include "domain/resource.h"
#include "domain/resource_defs.h"
#include "domain/resources_workflow.h"
#include "domain/webhooks.h"
#include "domain/record.h"
#include "domain/security.h"
#include "domain/stage.h"
#include "store/auth_store.h"
#include "store/project_store.h"
#include "store/record_store.h"
#include "store/workflow_store.h"
#include "util/crypto.h"
#include "util/money.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <string.h>

/* ---- choices: each code with its zh-CN label (SPEC §2) ---- */
static const Choice unit_categories[] = {{"industry", "工业"}, {"agriculture", "农业"}, {"services", "服务业"},
                                         {"policy_funds", "政策资金"}, {"mass_org", "群团"}, {"other", "其他"}, {0}};
static const Choice roles[] = {{"admin", "系统管理员"}, {"office", "会战办公室"}, {"leader", "市领导"},
                               {"unit_head", "单位负责人"}, {"unit_staff", "单位工作人员"},
                               {"security_admin", "安全管理员"}, {"auditor", "安全审计员"}, {0}};
static const Choice campaign_statuses[] = {{"draft", "筹备"}, {"active", "进行中"}, {"closed", "已结束"}, {0}};
static const Choice checkpoint_kinds[] = {{"month_end", "月底"}, {"midpoint", "过半"}, {"fair", "经贸洽谈会"},
                                          {"final", "会战结束"}, {"other", "其他"}, {0}};
static const Choice target_scopes[] = {{"campaign", "会战目标"}, {"annual", "全年目标"}, {0}};
static const Choice metrics[] = {{"funds_arrived", "到账资金"}, {"signed_count", "签约项目数"},
                                 {"signed_value", "签约额"}, {"started_count", "开工项目数"},
                                 {"completed_count", "竣工项目数"}, {"policy_funds", "争取上级政策资金"},
                                 {"leads_count", "项目信息条数"}, {0}};
static const Choice investor_kinds[] = {{"enterprise", "企业"}, {"person", "个人"}, {0}};
static const Choice origins[] = {{"local", "本市"}, {"in_province", "市外省内"}, {"out_of_province", "省外"},
                                 {"overseas", "境外"}, {0}};
static const Choice project_categories[] = {{"industrial", "工业项目"}, {"restructuring", "重组项目"},
                                            {"agri_industrialization", "农业产业化项目"}, {"services", "服务业项目"},
                                            {"policy_funds", "上级政策资金"}, {"other", "其他"}, {0}};
static const Choice methods[] = {{"industry", "行业招商"}, {"joint", "联合招商"}, {"relationship", "以情招商"},
                                 {"borrowed_ship", "借船招商"}, {"business_led", "以商招商"}, {"fair", "展会招商"},
                                 {"other", "其他"}, {0}};
static const Choice follow_up_kinds[] = {{"outbound_visit", "外出拜访"}, {"investor_visit", "客商来访"},
                                         {"call", "电话沟通"}, {"meeting", "会谈"}, {"fair", "展会洽谈"}, {0}};
static const Choice fund_kinds[] = {{"out_of_city", "市外资金"}, {"out_of_province", "省外资金"},
                                    {"foreign", "境外资金"}, {"policy", "上级政策资金"}, {0}};
static const Choice cert_statuses[] = {{"reported", "已填报"}, {"certified", "已认定"}, {"rejected", "已退回"}, {0}};

/* ---- shorthands for field rows ---- */


/* ---- helpers for hooks ---- */
/* A reference (e.g. section_id) must belong to the record's unit. */
static int same_unit(RecordCtx *c, const char *field, const char *collection, int64_t unit_id) {
  json_t *v = val(c, field);
  if (!json_is_integer(v)) return HZ_OK;
  json_t *ref = NULL;
  if (load(c, collection, json_integer_value(v), &ref)) {
    hz_err_clear(c->err);
    return field_fail(c, HZ_EINVAL, field, "引用的记录不存在");
  }
  int ok = json_integer_value(json_object_get(ref, "unit_id")) == unit_id;
  json_decref(ref);
  return ok ? HZ_OK : field_fail(c, HZ_EINVAL, field, "不属于该单位");
}
static int date_order(RecordCtx *c, const char *from, const char *to) {
  const char *a = sval(c, from), *b = sval(c, to);
  if (a && b && strcmp(b, a) < 0) return hz_fail_more(c->err, HZ_EINVAL, to, "结束日期不能早于开始日期");
  return HZ_OK;
}
/* Fills campaign_id and unit_id of a project's child record from the project. */
static int from_project(RecordCtx *c, json_t **project) {
  int rc = load(c, "projects", ival(c, "project_id"), project);
  if (rc) return rc;
  if (c->op == OP_CREATE) {
    set_server(c, "campaign_id", json_integer(json_integer_value(json_object_get(*project, "campaign_id"))));
    set_server(c, "unit_id", json_integer(json_integer_value(json_object_get(*project, "lead_unit_id"))));
    if (c->actor->id) set_server(c, "created_by", json_integer(c->actor->id));
  }
  return HZ_OK;
}
/* Certified or rejected records are settled: only the office's certify/reject changes them. */
static int only_while_reported(RecordCtx *c) {
  if (c->op != OP_CREATE && strcmp(json_string_value(json_object_get(c->before, "status")), "reported") != 0)
    return hz_fail(c->err, HZ_ERULE, "status", "已认定或已退回的记录不能修改或删除");
  return HZ_OK;
}

/* Figures count what has happened: a record may not claim a day still to come. */
static int not_after_today(RecordCtx *c, const char *field) {
  int d;
  if (sval(c, field) && date_parse(sval(c, field), &d) == HZ_OK && d > date_today())
    return hz_fail_more(c->err, HZ_ERULE, field, "日期不能晚于今天");
  return HZ_OK;
}

/* ---- campaigns ---- */
/* Every date of a campaign is a Beijing-time (UTC+8) day: the zones that keep it. */
static const Choice campaign_zones[] = {{"Asia/Shanghai", "北京时间（上海）"}, {"Asia/Hong_Kong", "北京时间（香港）"},
                                        {"Asia/Macau", "北京时间（澳门）"}, {0}};
static int campaign_prepare(RecordCtx *c) {
  if (c->op == OP_DELETE) return workflow_store_drop_campaign_defaults(c->db, c->id, c->err);
  int start = 0;
  int have_start = date_parse(sval(c, "start_date"), &start) == HZ_OK;
  if (c->op == OP_CREATE && !val(c, "end_date") && have_start) {
    char end[DATE_LEN];
    date_format(start + 99, end); /* 100 days, both ends counted */
    set_server(c, "end_date", json_string(end));
  }
  if (c->op == OP_CREATE && !val(c, "year") && have_start) {
    int y, m, d;
    date_to_ymd(start, &y, &m, &d);
    set_server(c, "year", json_integer(y));
  }
  int rc = date_order(c, "start_date", "end_date");
  /* The campaign's year is the year it runs in: its start's, or its end's when it runs
   * over the new year. Checked even when the dates are out of order: one answer names both. */
  int end = 0, ys, ye, m, d;
  if (have_start && json_is_integer(val(c, "year")) && date_parse(sval(c, "end_date"), &end) == HZ_OK) {
    date_to_ymd(start, &ys, &m, &d);
    date_to_ymd(end, &ye, &m, &d);
    if (ival(c, "year") != ys && ival(c, "year") != ye)
      rc = ys == ye ? hz_fail_more(c->err, HZ_EINVAL, "year", "年度应为会战所在的年份 %d", ys)
                    : hz_fail_more(c->err, HZ_EINVAL, "year", "年度应为会战开始或结束日期所在的年份（%d 或 %d）", ys, ye);
  }
  return rc;
}
static const Field campaign_fields[] = {
  TEXT("name", "名称", FF_REQUIRED | RW | FF_SEARCH),
  INT("year", "年度", RW, 2000, 2100),
  DATE("start_date", "开始日期", FF_REQUIRED | RW),
  DATE("end_date", "结束日期", RW),
  ENUM("status", "状态", RW, campaign_statuses),
  ENUM("time_zone", "时区", 0, campaign_zones),
  END};
static const Resource campaigns = {
    .name = "campaigns",
    .table = "campaigns",
    .label = "会战",
    .fields = campaign_fields,
    .scope = SCOPE_PUBLIC,
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL,
    .ops = OPS_ALL,
    .prepare = campaign_prepare,
    .after = campaign_install_rules,
};

/* ---- checkpoints ---- */
static int checkpoint_prepare(RecordCtx *c) {
  if (c->op == OP_DELETE) return HZ_OK;
  json_t *camp = NULL;
  int rc = load(c, "campaigns", ival(c, "campaign_id"), &camp);
  if (rc) return rc;
  const char *d = sval(c, "date");
  if (d && (strcmp(d, json_string_value(json_object_get(camp, "start_date"))) < 0 ||
            strcmp(d, json_string_value(json_object_get(camp, "end_date"))) > 0))
    rc = field_fail(c, HZ_EINVAL, "date", "节点日期应在会战起止日期之内");
  json_decref(camp);
  return rc;
}
static const Field checkpoint_fields[] = {
  REF("campaign_id", "会战", FF_READONLY | FF_FILTER, "campaigns"),
  TEXT("name", "名称", FF_REQUIRED | RW | FF_SEARCH),
  ENUM("kind", "类型", FF_REQUIRED | RW, checkpoint_kinds),
  DATE("date", "日期", FF_REQUIRED | RW),
  END};
static const Resource checkpoints = {
    .name = "checkpoints",
    .table = "checkpoints",
    .label = "考核节点",
    .parent = "campaigns",
    .parent_field = "campaign_id",
    .fields = checkpoint_fields,
    .scope = SCOPE_PUBLIC,
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL,
    .ops = OPS_ALL,
    .prepare = checkpoint_prepare,
};

/* ---- units and sections ---- */
static const Field unit_fields[] = {
  TEXT("name", "名称", FF_REQUIRED | RW | FF_SEARCH),
  TEXT("short_name", "简称", FF_NULLABLE | FF_SEARCH),
  ENUM("category", "类别", FF_REQUIRED | RW, unit_categories),
  REF("head_user_id", "主要负责人", FF_NULLABLE, "users"),
  REF("deputy_user_id", "分管负责人", FF_NULLABLE, "users"),
  TEXT("phone", "电话", FF_NULLABLE),
  LONGTEXT("note", "备注", FF_NULLABLE),
  END};
static const Resource units = {
    .name = "units",
    .table = "units",
    .label = "单位",
    .fields = unit_fields,
    .scope = SCOPE_PUBLIC,
    .read_roles = ROLES_ALL | ROLE_SECURITY_ADMIN, /* who manages accounts picks their unit */
    .write_roles = ROLES_CENTRAL,
    .ops = OPS_ALL,
};

static const Field section_fields[] = {
  REF("unit_id", "单位", FF_READONLY | FF_FILTER, "units"),
  TEXT("name", "名称", FF_REQUIRED | RW | FF_SEARCH),
  END};
static const Resource sections = {
    .name = "sections",
    .table = "sections",
    .label = "科室",
    .parent = "units",
    .parent_field = "unit_id",
    .fields = section_fields,
    .scope = SCOPE_PUBLIC,
    .read_roles = ROLES_ALL | ROLE_SECURITY_ADMIN, /* who manages accounts picks their unit */
    .write_roles = ROLES_CENTRAL,
    .ops = OPS_ALL,
};

/* ---- users ---- */
static int user_prepare(RecordCtx *c) {
  if (c->op == OP_DELETE) {
    if (c->actor->id == json_integer_value(json_object_get(c->before, "id")))
      return hz_fail(c->err, HZ_ERULE, "id", "不能删除自己的账号");
    return HZ_OK;
  }
  json_t *pw = json_object_get(c->extra, "password");
  int rc = HZ_OK;
  /* The password and the unit rules are independent: one answer names every one broken. */
  if (c->op == OP_CREATE && !pw) rc = hz_fail_more(c->err, HZ_EINVAL, "password", "必填");
  SecurityPolicy policy;
  if (pw) {
    HzErr pe = {0};
    int prc = security_policy_load(c->db, &policy, &pe);
    if (!prc) prc = security_password_check(c->db, &policy, c->op == OP_UPDATE ? c->id : 0, json_string_value(pw),
                                            "password", &pe);
    if (prc) rc = hz_fail_more(c->err, prc, "password", "%s", pe.message);
    hz_err_clear(&pe);
  }
  Role role = role_parse(sval(c, "role"));
  int64_t unit = json_is_integer(val(c, "unit_id")) ? ival(c, "unit_id") : 0;
  if ((role & ROLES_UNIT) && !unit) rc = hz_fail_more(c->err, HZ_EINVAL, "unit_id", "单位用户必须指定所属单位");
  if (!(role & ROLES_UNIT) && unit) rc = hz_fail_more(c->err, HZ_EINVAL, "unit_id", "只有单位用户才属于某个单位");
  if (!(role & ROLES_UNIT) && json_is_integer(val(c, "section_id")))
    rc = hz_fail_more(c->err, HZ_EINVAL, "section_id", "只有单位用户才属于某个科室");
  if (rc) return rc;
  if (pw) {
    char hash[PASSWORD_HASH_LEN];
    if (password_hash(json_string_value(pw), hash)) return hz_fail(c->err, HZ_ENOMEM, NULL, "无法计算密码摘要");
    json_object_set_new(c->values, "password_hash", json_string(hash));
    /* A reset by someone else: a password another person knows, to be changed at the
     * user's next login (等保: no shared password left in use). */
    if (c->op == OP_UPDATE && c->actor->id != c->id) json_object_set_new(c->values, "must_change_password", json_true());
  }
  return same_unit(c, "section_id", "sections", unit);
}
/* A new password is remembered (history, age); on an update it, or a disabled account,
 * ends the user's open sessions, as the CLI does. */
static int user_after(RecordCtx *c) {
  json_t *hash = json_object_get(c->values, "password_hash");
  if (hash && c->op != OP_DELETE) {
    SecurityPolicy policy;
    int rc = security_policy_load(c->db, &policy, c->err);
    if (!rc) rc = security_password_stored(c->db, &policy, c->id, json_string_value(hash), c->err);
    /* stored clears the mark (the user's own new password); a reset sets it again */
    if (!rc && json_is_true(json_object_get(c->values, "must_change_password")))
      rc = auth_store_set_must_change(c->db, c->id, 1, c->err);
    if (rc) return rc;
  }
  if (c->op != OP_UPDATE) return HZ_OK;
  if (!json_object_get(c->values, "password_hash") && !json_is_true(json_object_get(c->values, "disabled")))
    return HZ_OK;
  return auth_store_sessions_end_user(c->db, c->id, c->err);
}
static const Field user_fields[] = {
  TEXT("login", "登录名", FF_REQUIRED | FF_CREATE_ONLY | RW | FF_SEARCH),
  TEXT("name", "姓名", FF_REQUIRED | RW | FF_SEARCH),
  ENUM("role", "角色", FF_REQUIRED | RW, roles),
  REF("unit_id", "单位", FF_NULLABLE | RW, "units"),
  REF("section_id", "科室", FF_NULLABLE | FF_FILTER, "sections"),
  TEXT("title", "职务", FF_NULLABLE),
  TEXT("phone", "电话", FF_NULLABLE),
  BOOL("disabled", "已停用", FF_FILTER),
  BOOL("must_change_password", "须修改密码", FF_READONLY | FF_FILTER),
  TEXT("password", "密码", FF_VIRTUAL | FF_SECRET),
  TEXT("password_hash", "密码摘要", FF_READONLY | FF_SECRET),
  /* From the login log (store/auth_store.h): the last successful login, null for never.
   * The address only to those who keep the accounts: the login log's addresses are not
   * for every reader of its unit's people. */
  TIMESTAMP("last_login_at", "上次登录时间", FF_READONLY | FF_VIRTUAL | FF_NULLABLE | FF_SORT),
  TEXT("last_login_address", "上次登录地址", FF_READONLY | FF_VIRTUAL | FF_NULLABLE | FF_WRITERS),
  END};
static const Resource users = {
    .name = "users",
    .table = "users",
    .label = "用户",
    .fields = user_fields,
    .scope = SCOPE_UNIT,
    .unit_field = "unit_id",
    .read_roles = ROLES_ALL | ROLE_SECURITY_ADMIN,
    /* Separation of duties leaves the accounts to the security admin alone. */
    .write_roles = ROLE_ADMIN | ROLE_SECURITY_ADMIN | ROLES_SEPARABLE,
    .ops = OPS_ALL,
    .prepare = user_prepare,
    .after = user_after,
};

/* ---- targets ---- */
static int target_prepare(RecordCtx *c) {
  json_t *rec = c->op == OP_DELETE ? c->before : c->merged;
  int decomposed = !json_is_null(json_object_get(rec, "section_id")) && json_object_get(rec, "section_id");
  decomposed |= !json_is_null(json_object_get(rec, "user_id")) && json_object_get(rec, "user_id") != NULL;
  /* Heads pass their unit's target down to sections and people; the unit's own target is the office's. */
  if (actor_is_unit(c->actor) && (c->actor->role != ROLE_UNIT_HEAD || !decomposed))
    return hz_fail(c->err, HZ_EFORBIDDEN, NULL, "单位只能由主要负责人把本单位目标分解到科室和个人");
  if (c->op == OP_DELETE) return HZ_OK;
  if (json_is_integer(val(c, "section_id")) && json_is_integer(val(c, "user_id")))
    return field_fail(c, HZ_EINVAL, "user_id", "目标分解到科室或个人，二者只能选一");
  int rc = same_unit(c, "section_id", "sections", ival(c, "unit_id"));
  if (!rc) rc = same_unit(c, "user_id", "users", ival(c, "unit_id"));
  return rc;
}
static const Field target_fields[] = {
  REF("campaign_id", "会战", FF_READONLY | FF_FILTER, "campaigns"),
  ENUM("scope", "范围", FF_CREATE_ONLY | FF_FILTER, target_scopes),
  REF("unit_id", "单位", FF_REQUIRED | FF_CREATE_ONLY | RW, "units"),
  REF("section_id", "科室", FF_NULLABLE | FF_CREATE_ONLY | FF_FILTER, "sections"),
  REF("user_id", "个人", FF_NULLABLE | FF_CREATE_ONLY | FF_FILTER, "users"),
  ENUM("metric", "指标", FF_REQUIRED | FF_CREATE_ONLY | RW, metrics),
  MONEY("value", "目标值", FF_REQUIRED | FF_SORT),
  END};
static const Resource targets = {
    .name = "targets",
    .table = "targets",
    .label = "目标任务",
    .parent = "campaigns",
    .parent_field = "campaign_id",
    .fields = target_fields,
    .scope = SCOPE_UNIT,
    .unit_field = "unit_id",
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL | ROLE_UNIT_HEAD,
    .ops = OPS_ALL,
    .prepare = target_prepare,
};

/* ---- investors ---- */
static int investor_prepare(RecordCtx *c) { return c->op == OP_DELETE ? HZ_OK : default_own_unit(c, "unit_id"); }
static const Field investor_fields[] = {
  TEXT("name", "名称", FF_REQUIRED | RW | FF_SEARCH),
  ENUM("kind", "类型", FF_REQUIRED | RW, investor_kinds),
  ENUM("origin", "来源地", FF_REQUIRED | RW, origins),
  TEXT("industry", "行业", FF_NULLABLE | RW),
  TEXT("contact_name", "联系人", FF_NULLABLE),
  TEXT("contact_phone", "联系电话", FF_NULLABLE),
  REF("unit_id", "登记单位", FF_CREATE_ONLY | RW, "units"),
  LONGTEXT("note", "备注", FF_NULLABLE),
  END};
static const Resource investors = {
    .name = "investors",
    .table = "investors",
    .label = "客商",
    .fields = investor_fields,
    .scope = SCOPE_UNIT,
    .unit_field = "unit_id",
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL | ROLES_UNIT,
    .ops = OPS_ALL,
    .prepare = investor_prepare,
};

/* ---- events ---- */
static int event_prepare(RecordCtx *c) { return c->op == OP_DELETE ? HZ_OK : date_order(c, "start_date", "end_date"); }
static const Field event_fields[] = {
  REF("campaign_id", "会战", FF_NULLABLE | RW, "campaigns"),
  TEXT("name", "名称", FF_REQUIRED | RW | FF_SEARCH),
  DATE("start_date", "开始日期", FF_REQUIRED | RW),
  DATE("end_date", "结束日期", FF_REQUIRED | RW),
  TEXT("place", "地点", FF_NULLABLE),
  END};
static const Resource events = {
    .name = "events",
    .table = "events",
    .label = "展会活动",
    .fields = event_fields,
    .scope = SCOPE_PUBLIC,
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL,
    .ops = OPS_ALL,
    .prepare = event_prepare,
};

/* ---- projects ---- */
static int lead_unit_changed(RecordCtx *c) {
  return c->op == OP_UPDATE && json_object_get(c->values, "lead_unit_id") &&
         ival(c, "lead_unit_id") != json_integer_value(json_object_get(c->before, "lead_unit_id"));
}
static int project_after(RecordCtx *c) {
  return lead_unit_changed(c) ? project_store_set_children_unit(c->db, c->id, ival(c, "lead_unit_id"), c->err) : HZ_OK;
}
static int project_prepare(RecordCtx *c) {
  if (c->op == OP_DELETE) {
    if (strcmp(json_string_value(json_object_get(c->before, "stage")), "lead") != 0)
      return hz_fail(c->err, HZ_ERULE, "stage", "已进入洽谈及以后阶段的项目不能删除，可终止");
    return HZ_OK;
  }
  int rc = default_own_unit(c, "lead_unit_id");
  if (rc) return rc;
  if (lead_unit_changed(c) && actor_is_unit(c->actor))
    return field_fail(c, HZ_EFORBIDDEN, "lead_unit_id", "牵头单位只能由会战办公室调整");
  /* The lead date, the co-owning units and the earlier project are independent checks:
   * one answer names every one broken. */
  if (c->op == OP_CREATE) {
    char today[DATE_LEN];
    date_format(date_today(), today);
    if (!val(c, "lead_date")) set_server(c, "lead_date", json_string(today));
    rc = not_after_today(c, "lead_date");
    set_server(c, "last_activity_date", json_string(sval(c, "lead_date")));
    /* Credit for the work (R-RULE-7): a unit's person who registers a lead brought it and
     * follows it until someone says otherwise. A body that names either (even as null, or
     * an outside source_name) is taken as it is. The office keying in a unit's paper
     * report is not the one who found the lead, so its entries get no such default. */
    if (actor_is_unit(c->actor) && c->actor->id) {
      if (!json_object_get(c->values, "source_user_id") && !json_object_get(c->values, "source_name"))
        set_server(c, "source_user_id", json_integer(c->actor->id));
      if (!json_object_get(c->values, "responsible_user_id"))
        set_server(c, "responsible_user_id", json_integer(c->actor->id));
    }
  }
  json_t *co = val(c, "co_unit_ids");
  size_t i;
  json_t *x;
  json_array_foreach(co, i, x) if (json_integer_value(x) == ival(c, "lead_unit_id")) {
    rc = hz_fail_more(c->err, HZ_EINVAL, "co_unit_ids", "牵头单位不必再列为参与单位");
    break;
  }
  if (json_is_integer(val(c, "reinvestment_of"))) {
    json_t *earlier = NULL;
    HzErr missing = {0};
    /* Read as the actor: another unit's hidden project answers like a missing one. */
    if (record_store_get(c->db, resource_find("projects"), ival(c, "reinvestment_of"), record_scope_unit(c->actor),
                         &earlier, &missing))
      rc = hz_fail_more(c->err, HZ_EINVAL, "reinvestment_of", "引用的记录不存在或无权查看");
    else if (strcmp(json_string_value(json_object_get(earlier, "stage")), "completed") != 0)
      rc = hz_fail_more(c->err, HZ_ERULE, "reinvestment_of", "只有已竣工项目的客商才有增资再投资");
    hz_err_clear(&missing);
    json_decref(earlier);
  }
  return rc;
}
/* The big lists (projects, follow-ups, funds) sort only by what a person reads and an
 * index of migration 0015 holds in that order (docs/scaling.md "Deep pages of the big
 * lists"): no sort by another table's id or by the method; the certification status
 * is filtered, not sorted (the certification queue orders it). */
static const Field project_fields[] = {
  REF("campaign_id", "会战", FF_REQUIRED | FF_CREATE_ONLY | FF_FILTER, "campaigns"),
  TEXT("name", "项目名称", FF_REQUIRED | RW | FF_SEARCH),
  REF("lead_unit_id", "牵头单位", RW, "units"),
  LINKS("co_unit_ids", "参与单位（联合招商）", FF_FILTER, "units", "project_units", "project_id", "unit_id"),
  REF("responsible_user_id", "跟踪责任人", FF_NULLABLE | FF_FILTER, "users"),
  REF("source_user_id", "信息提供人", FF_NULLABLE | FF_FILTER, "users"),
  TEXT("source_name", "信息提供人（系统外）", FF_NULLABLE),
  REF("investor_id", "客商", FF_NULLABLE | FF_FILTER, "investors"),
  ENUM("category", "项目类别", FF_REQUIRED | RW, project_categories),
  ENUM("method", "招商方式", FF_REQUIRED | FF_FILTER, methods),
  MONEY("planned_investment", "计划投资", RW),
  MONEY("contract_value", "合同金额（由签约变更记录）", FF_READONLY | RW),
  REF("event_id", "签约活动", FF_NULLABLE | FF_FILTER, "events"),
  ENUM("stage", "阶段", FF_READONLY | RW, stage_choices),
  REF("reinvestment_of", "再投资来源项目", FF_NULLABLE | FF_FILTER, "projects"),
  LONGTEXT("description", "项目简介", FF_NULLABLE | FF_SEARCH),
  DATE("lead_date", "信息登记日期", FF_CREATE_ONLY | RW),
  DATE("last_activity_date", "最近跟踪日期", FF_READONLY | RW),
  REF("duplicate_of", "重复认定为", FF_NULLABLE | FF_READONLY | FF_FILTER, "projects"),
  END};
static const Resource projects = {
    .name = "projects",
    .table = "projects",
    .label = "项目",
    .fields = project_fields,
    .scope = SCOPE_PROJECT,
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL | ROLES_UNIT,
    .ops = OPS_ALL,
    .prepare = project_prepare,
    .after = project_after,
    .figures_project = "id",
    .cache_lists = 1, /* a unit's own project screen, read far more often than written */
};

/* ---- stage changes (append-only history) ---- */
static const char *opt_text(RecordCtx *c, const char *k) { return sval(c, k); }
/* A move happens after the move before it, and none of its dates lies before the lead was
 * recorded or before the project came to the stage it leaves: history reads forward (a
 * signing dated before the lead would take the funnel's lead count below zero). */
static int in_history_order(RecordCtx *c, json_t *project, const StageEvidence *ev) {
  int64_t latest = 0;
  json_t *prev = NULL;
  int rc = project_store_latest_move(c->db, json_integer_value(json_object_get(project, "id")), &latest, c->err);
  if (!rc && latest) rc = load(c, "stage-changes", latest, &prev);
  const char *prev_date = json_string_value(json_object_get(prev, "date"));
  if (!rc && prev_date && strcmp(sval(c, "date"), prev_date) < 0)
    rc = hz_fail(c->err, HZ_ERULE, "date", "日期不能早于上一次阶段变更（%s）", prev_date);
  const char *lead = json_string_value(json_object_get(project, "lead_date"));
  if (!rc && lead && strcmp(sval(c, "date"), lead) < 0)
    rc = hz_fail(c->err, HZ_ERULE, "date", "日期不能早于项目信息登记日期（%s）", lead);
  if (!rc) rc = stage_check_since(ev, json_string_value(json_object_get(project, "lead_date")), "项目信息登记日期", c->err);
  if (!rc && prev) {
    StageEvidence was = {.date = prev_date, .contract_date = json_string_value(json_object_get(prev, "contract_date")),
                         .start_date = json_string_value(json_object_get(prev, "start_date")),
                         .completion_date = json_string_value(json_object_get(prev, "completion_date"))};
    int stage = stage_parse(json_string_value(json_object_get(prev, "to_stage")));
    char what[64];
    snprintf(what, sizeof what, "项目进入%s阶段的日期", stage_label_zh(stage));
    rc = stage_check_since(ev, stage_entry_date(stage, &was), what, c->err);
  }
  json_decref(prev);
  return rc;
}

static int stage_prepare(RecordCtx *c) {
  json_t *project = NULL;
  int rc = from_project(c, &project);
  if (rc) return rc;
  int from = stage_parse(json_string_value(json_object_get(project, "stage")));
  int to = stage_parse(sval(c, "to_stage"));
  StageEvidence ev = {.date = opt_text(c, "date"), .contract_date = opt_text(c, "contract_date"),
                      .contract_value = json_is_integer(val(c, "contract_value")) ? ival(c, "contract_value") : -1,
                      .start_date = opt_text(c, "start_date"), .completion_date = opt_text(c, "completion_date"),
                      .reason = opt_text(c, "reason")};
  rc = stage_check_move(from, to, &ev, c->err);
  /* Dates still to come are named with the missing evidence, unless the move itself is refused. */
  static const char *const dated[] = {"date", "contract_date", "start_date", "completion_date"};
  int refused = c->err->fields && json_object_get(c->err->fields, "to_stage");
  for (size_t i = 0; i < sizeof dated / sizeof dated[0] && !refused; i++) {
    int r = not_after_today(c, dated[i]);
    if (r) rc = r;
  }
  if (!rc) rc = in_history_order(c, project, &ev);
  if (!rc) set_server(c, "from_stage", json_string(stage_name(from)));
  json_decref(project);
  return rc;
}
static int stage_after(RecordCtx *c) {
  json_t *project = NULL;
  int rc = load(c, "projects", ival(c, "project_id"), &project);
  if (rc) return rc;
  json_t *change = json_pack("{s:s}", "stage", sval(c, "to_stage"));
  if (json_is_integer(val(c, "contract_value"))) json_object_set(change, "contract_value", val(c, "contract_value"));
  const Resource *pr = resource_find("projects");
  rc = record_store_update(c->db, pr, ival(c, "project_id"), json_integer_value(json_object_get(project, "version")),
                           change, c->err);
  /* The project changed too: its own audit entry shows the stage before and after. */
  json_t *now = NULL;
  if (!rc) rc = record_store_get(c->db, pr, ival(c, "project_id"), 0, &now, c->err);
  if (!rc) rc = record_audit(c->db, c->actor, "update", pr, ival(c, "project_id"), project, now, c->err);
  json_decref(now);
  json_decref(change);
  json_decref(project);
  return rc;
}
#define CERT_FIELDS                                                              \
  REF("created_by", "填报人", FF_READONLY, "users"),                             \
  ENUM("status", "认定状态", FF_READONLY | FF_FILTER, cert_statuses),                   \
  REF("reviewed_by", "认定人", FF_READONLY, "users"),                             \
  TIMESTAMP("reviewed_at", "认定时间", FF_READONLY),                              \
  TEXT("reject_reason", "退回原因", FF_READONLY),                                 \
  TEXT("certify_reason", "认定说明（缺少应附材料时）", FF_READONLY)
static const Field stage_change_fields[] = {
  REF("project_id", "项目", FF_READONLY | FF_FILTER, "projects"),
  REF("campaign_id", "会战", FF_READONLY | FF_FILTER, "campaigns"),
  REF("unit_id", "单位", FF_READONLY | FF_FILTER, "units"),
  ENUM("from_stage", "原阶段", FF_READONLY | FF_FILTER, stage_choices),
  ENUM("to_stage", "新阶段", FF_REQUIRED | RW, stage_choices + 1), /* any stage after lead */
  DATE("date", "变更日期", FF_REQUIRED | RW),
  DATE("contract_date", "签约日期", FF_NULLABLE),
  MONEY("contract_value", "合同金额", FF_NULLABLE),
  DATE("start_date", "开工日期", FF_NULLABLE),
  DATE("completion_date", "竣工日期", FF_NULLABLE),
  TEXT("reason", "终止原因", FF_NULLABLE),
  LONGTEXT("note", "说明", FF_NULLABLE),
  CERT_FIELDS,
  END};
static const Resource stage_changes = {
    .name = "stage-changes",
    .table = "stage_changes",
    .label = "阶段变更",
    .parent = "projects",
    .parent_field = "project_id",
    .fields = stage_change_fields,
    .scope = SCOPE_VIA_PROJECT,
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL | ROLES_UNIT,
    .ops = OP_CREATE,
    .prepare = stage_prepare,
    .after = stage_after,
    .figures_project = "project_id",
};

/* ---- follow-ups ---- */
/* Whether the lead unit's head or deputy took part, fixed when the follow-up is written. */
static int with_leader(RecordCtx *c, json_t *project) {
  json_t *unit = NULL;
  int rc = load(c, "units", json_integer_value(json_object_get(project, "lead_unit_id")), &unit);
  if (rc) return rc;
  int found = 0;
  size_t i;
  json_t *x;
  json_array_foreach(val(c, "participant_user_ids"), i, x) {
    int64_t id = json_integer_value(x);
    found |= id == json_integer_value(json_object_get(unit, "head_user_id")) ||
             id == json_integer_value(json_object_get(unit, "deputy_user_id"));
  }
  json_decref(unit);
  set_server(c, "with_leader", json_boolean(found));
  return HZ_OK;
}
/* Participants are people of the project's own units (lead or co-owning, 联合招商) or of
 * the city (office, leaders): a unit user cannot list another unit's people. */
static int participants_of_project(RecordCtx *c, json_t *project) {
  json_t *ids = json_object_get(c->values, "participant_user_ids");
  if (!actor_is_unit(c->actor) || !ids) return HZ_OK;
  size_t i, k;
  json_t *x, *u;
  int rc = HZ_OK;
  json_array_foreach(ids, i, x) {
    json_t *user = NULL;
    if (load(c, "users", json_integer_value(x), &user)) {
      hz_err_clear(c->err);
      return field_fail(c, HZ_EINVAL, "participant_user_ids", "引用的记录不存在或无权查看");
    }
    json_t *unit = json_object_get(user, "unit_id");
    int ok = json_is_null(unit) || json_integer_value(unit) == json_integer_value(json_object_get(project, "lead_unit_id"));
    json_array_foreach(json_object_get(project, "co_unit_ids"), k, u) ok |= json_integer_value(u) == json_integer_value(unit);
    json_decref(user);
    if (!ok) rc = field_fail(c, HZ_EINVAL, "participant_user_ids", "引用的记录不存在或无权查看");
    if (rc) break;
  }
  return rc;
}
static int follow_up_prepare(RecordCtx *c) {
  if (c->op == OP_DELETE) return HZ_OK;
  json_t *project = NULL;
  int rc = from_project(c, &project);
  if (!rc) rc = participants_of_project(c, project);
  if (!rc) {
    rc = not_after_today(c, "date");
    if (sval(c, "next_date") && strcmp(sval(c, "next_date"), sval(c, "date")) < 0)
      rc = hz_fail_more(c->err, HZ_EINVAL, "next_date", "下一步日期不能早于洽谈日期");
  }
  if (!rc) rc = with_leader(c, project);
  json_decref(project);
  return rc;
}
static const Field follow_up_fields[] = {
  REF("project_id", "项目", FF_READONLY | FF_FILTER, "projects"),
  REF("campaign_id", "会战", FF_READONLY | FF_FILTER, "campaigns"),
  REF("unit_id", "单位", FF_READONLY | FF_FILTER, "units"),
  DATE("date", "日期", FF_REQUIRED | RW),
  ENUM("kind", "方式", FF_REQUIRED | RW, follow_up_kinds),
  LINKS("participant_user_ids", "参与人员", FF_FILTER, "users", "follow_up_participants", "follow_up_id", "user_id"),
  TEXT("outside_participants", "外部人员", FF_NULLABLE),
  LONGTEXT("summary", "洽谈内容", FF_REQUIRED | FF_SEARCH),
  TEXT("next_step", "下一步", FF_NULLABLE),
  DATE("next_date", "下一步日期", FF_NULLABLE | RW),
  BOOL("with_leader", "负责人参与", FF_READONLY | FF_FILTER),
  REF("created_by", "填报人", FF_READONLY, "users"),
  END};
static const Resource follow_ups = {
    .name = "follow-ups",
    .table = "follow_ups",
    .label = "跟踪洽谈记录",
    .parent = "projects",
    .parent_field = "project_id",
    .fields = follow_up_fields,
    .scope = SCOPE_VIA_PROJECT,
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL | ROLES_UNIT,
    .ops = OPS_ALL,
    .prepare = follow_up_prepare,
    .figures_project = "project_id",
};

/* ---- fund arrivals ---- */
static int fund_prepare(RecordCtx *c) {
  int rc = only_while_reported(c);
  if (rc || c->op == OP_DELETE) return rc;
  json_t *project = NULL;
  if ((rc = from_project(c, &project))) return rc;
  int stage = stage_parse(json_string_value(json_object_get(project, "stage")));
  const char *lead = json_string_value(json_object_get(project, "lead_date")), *date = sval(c, "date");
  /* Policy funds (政策性资金) have no contract behind them (R-PROG-13): they need no
   * signing, and count in policy_funds only, never in the signing figures. */
  int policy = sval(c, "kind") && !strcmp(sval(c, "kind"), "policy");
  if (stage == STAGE_DROPPED) rc = field_fail(c, HZ_ERULE, "project_id", "项目已终止，不能登记到账资金");
  else if (stage < STAGE_SIGNED && !policy)
    rc = field_fail(c, HZ_ERULE, "project_id", "项目签约后才能登记到账资金（上级政策资金除外）");
  else {
    /* The amount and the date are independent: one answer names both. */
    if (json_integer_value(val(c, "amount")) <= 0) rc = hz_fail_more(c->err, HZ_EINVAL, "amount", "到账金额应大于 0");
    /* Money cannot arrive for a project before its lead was recorded (nor before the campaign). */
    if (lead && date && strcmp(date, lead) < 0)
      rc = hz_fail_more(c->err, HZ_ERULE, "date", "到账日期（%s）不能早于项目信息登记日期（%s）", date, lead);
    else if (not_after_today(c, "date")) rc = c->err->rc;
  }
  json_decref(project);
  return rc;
}
static const Field fund_fields[] = {
  REF("project_id", "项目", FF_READONLY | FF_FILTER, "projects"),
  REF("campaign_id", "会战", FF_READONLY | FF_FILTER, "campaigns"),
  REF("unit_id", "单位", FF_READONLY | FF_FILTER, "units"),
  MONEY("amount", "到账金额", FF_REQUIRED | FF_SORT),
  DATE("date", "到账日期", FF_REQUIRED | RW),
  ENUM("kind", "资金类型", FF_REQUIRED | RW, fund_kinds),
  TEXT("voucher_no", "凭证号", FF_NULLABLE | FF_SEARCH),
  LONGTEXT("note", "备注", FF_NULLABLE),
  CERT_FIELDS,
  END};
/* The office may enter a unit's funds and moves too (a paper report keyed in centrally),
 * but maker-checker (R-PROG-13, domain/certify.c) keeps it from settling what it entered:
 * docs/workflows.md "Who does what". */
static const Resource funds = {
    .name = "funds",
    .table = "funds",
    .label = "到账资金",
    .parent = "projects",
    .parent_field = "project_id",
    .fields = fund_fields,
    .scope = SCOPE_VIA_PROJECT,
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL | ROLES_UNIT,
    .ops = OPS_ALL,
    .prepare = fund_prepare,
    .figures_project = "project_id",
};

/* ---- attachments (uploaded through http/routes_attachments.c) ---- */
static const Field attachment_fields[] = {
  REF("project_id", "项目", FF_READONLY | FF_FILTER, "projects"),
  REF("stage_change_id", "阶段变更", FF_NULLABLE | FF_READONLY | FF_FILTER, "stage-changes"),
  REF("fund_id", "到账资金", FF_NULLABLE | FF_READONLY | FF_FILTER, "funds"),
  TEXT("filename", "文件名", FF_READONLY | FF_SORT | FF_SEARCH),
  TEXT("content_type", "类型", FF_READONLY | FF_FILTER),
  INT("size", "大小", FF_READONLY | FF_SORT, 0, 0),
  TEXT("sha256", "SHA-256", FF_READONLY | FF_FILTER),
  REF("created_by", "上传人", FF_READONLY, "users"),
  END};
static const Resource attachments = {
    .name = "attachments",
    .table = "attachments",
    .label = "附件",
    .parent = "projects",
    .parent_field = "project_id",
    .fields = attachment_fields,
    .scope = SCOPE_VIA_PROJECT,
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL | ROLES_UNIT,
    .ops = OP_DELETE,
};

/* ---- teams ---- */
static int team_prepare(RecordCtx *c) {
  if (c->op == OP_DELETE) return HZ_OK;
  int rc = default_own_unit(c, "unit_id");
  if (!rc) rc = same_unit(c, "leader_user_id", "users", ival(c, "unit_id"));
  /* Members are the unit's own people too, like the leader. */
  size_t i;
  json_t *x;
  json_array_foreach(json_object_get(c->values, "member_user_ids"), i, x) {
    json_t *u = NULL;
    if (rc) break;
    if (load(c, "users", json_integer_value(x), &u)) {
      hz_err_clear(c->err);
      rc = field_fail(c, HZ_EINVAL, "member_user_ids", "引用的记录不存在");
    } else if (json_integer_value(json_object_get(u, "unit_id")) != ival(c, "unit_id"))
      rc = field_fail(c, HZ_EINVAL, "member_user_ids", "队员须为本单位人员");
    json_decref(u);
  }
  return rc;
}
static const Field team_fields[] = {
  REF("unit_id", "单位", FF_CREATE_ONLY | RW, "units"),
  REF("campaign_id", "会战", FF_REQUIRED | FF_CREATE_ONLY | RW, "campaigns"),
  TEXT("name", "名称", FF_REQUIRED | RW | FF_SEARCH),
  REF("leader_user_id", "队长", FF_NULLABLE, "users"),
  LINKS("member_user_ids", "队员", FF_FILTER, "users", "team_members", "team_id", "user_id"),
  END};
static const Resource teams = {
    .name = "teams",
    .table = "teams",
    .label = "招商小分队",
    .fields = team_fields,
    .scope = SCOPE_UNIT,
    .unit_field = "unit_id",
    .read_roles = ROLES_ALL,
    .write_roles = ROLES_CENTRAL | ROLE_UNIT_HEAD,
    .ops = OPS_ALL,
    .prepare = team_prepare,
};

const Resource *const resources[] = {&campaigns, &checkpoints, &units,      &sections,      &users,
                                     &targets,   &investors,   &events,     &projects,      &stage_changes,
                                     &follow_ups, &funds,      &attachments, &teams,
                                     &resource_weekly_reports, &resource_coordination_items, &resource_inspections,
                                     &resource_bulletins, &resource_rules, &resource_proposals, &resource_admonitions,
                                     &resource_notifications, &resource_webhooks, NULL};
