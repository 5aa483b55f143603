/* The route table and the checks every request passes before its handler: who is
 * calling (session cookie or bearer token), CSRF on cookie writes, and the roles the
 * route admits (router.h describes the table). */
#include "domain/auth.h"
#include "http/assets.h"
#include "http/http.h"
#include "http/json_body.h"
#include "http/router.h"
#include "http/routes.h"
#include "http/server.h"
#include "domain/resource.h"
#include "util/text.h"
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define J JSON_BODY_MAX
#define RW (ROLES_CENTRAL | ROLES_UNIT) /* everyone who records work: not the leaders */
/* Accounts and the logs: with the separation of duties on, only the security admin
 * (accounts) and the auditor (logs) keep them. */
#define ACCOUNTS (ROLE_ADMIN | ROLE_SECURITY_ADMIN | ROLES_SEPARABLE)
#define LOGS (ROLE_AUDITOR | ROLES_SEPARABLE)

static const char *const certifiable[] = {"stage-changes", "funds", NULL};

/* Specific routes come before the generic collection routes they would otherwise fall
 * into. Roles here are the whole answer to "may this role call this route": a handler
 * or domain function may narrow further only record by record (its own unit's). */
static const Route routes[] = {
  {"GET", "/", assets_serve, R_PUBLIC, 0, J, NULL, NULL, "网页界面（其余非 /api/ 的 GET 路径同样返回它，便于直接打开深层链接）"},
  {"GET", "/health", route_health, R_PUBLIC, 0, J, NULL, NULL, "健康检查"},
  {"GET", "/metrics", route_metrics, R_PUBLIC, 0, J, NULL, NULL, "Prometheus 指标"},
  {"GET", "/api/v1/openapi.json", route_openapi, R_PUBLIC, 0, J, NULL, NULL, "本文档"},
  {"GET", "/api/v1/login-info", route_login_info, R_PUBLIC, 0, J, NULL, NULL, "登录页提示：演示数据库的账号与密码"},
  {"POST", "/api/v1/session", route_session_create, R_PUBLIC | R_JSON, 0, J, NULL, NULL,
   "登录（设置 HttpOnly 会话 cookie；失败过多时 429 并带 Retry-After）"},
  {"DELETE", "/api/v1/session", route_session_delete, R_NOCAP | R_PWCHANGE, 0, J, NULL, NULL, "退出登录"},
  {"GET", "/api/v1/me", route_me, R_NOCAP | R_PWCHANGE, 0, J, NULL, NULL,
   "当前用户及其可执行的操作（capabilities）、上次登录（last_login）、是否须先修改密码（must_change_password）"},
  {"POST", "/api/v1/me/password", route_password_change, R_JSON | R_NOCAP | R_PWCHANGE, 0, J, NULL, NULL,
   "修改自己的密码 {current_password, new_password}（须符合密码策略；其他会话随之结束）"},
  {"GET", "/api/v1/enums", route_enums, R_NOCAP, 0, J, NULL, NULL, "枚举字段的取值及其中文名称"},
  {"POST", "/api/v1/notifications/seen", route_notifications_seen, R_JSON | R_NOCAP, 0, J, NULL, NULL,
   "提醒已读到哪一条 {up_to}（只进不退；GET /api/v1/me 的 notifications_seen）"},
  {"GET", "/api/v1/api-tokens", route_tokens_list, 0, ACCOUNTS, J, NULL, NULL, "API 令牌列表（不含令牌本身）"},
  {"POST", "/api/v1/api-tokens", route_token_create, R_JSON, ACCOUNTS, J, NULL, NULL,
   "新建 API 令牌 {login, name}；令牌只在此应答中出现一次"},
  {"DELETE", "/api/v1/api-tokens/{id}", route_token_revoke, 0, ACCOUNTS, J, NULL, NULL, "吊销 API 令牌"},
  {"GET", "/api/v1/security-policy", route_security_policy_get, 0, ACCOUNTS, J, NULL, NULL,
   "安全策略：会话超时、密码规则、三员分立"},
  {"PATCH", "/api/v1/security-policy", route_security_policy_update, R_JSON, ACCOUNTS, J, NULL, NULL,
   "修改安全策略（须带 version）"},
  {"GET", "/api/v1/audit", route_audit_list, 0, ROLES_CENTRAL | LOGS, J, NULL, NULL, "审计日志（哈希链，只增不改）"},
  {"GET", "/api/v1/audit/{id}", route_audit_get, 0, ROLES_CENTRAL | LOGS, J, NULL, NULL, "一条审计记录"},
  {"GET", "/api/v1/login-events", route_login_events, 0, ROLE_ADMIN | LOGS, J, NULL, NULL,
   "登录记录：每次成功与失败的时间、地址、结果（?login=&outcome=&address=&limit=&offset=）"},
  {"POST", "/api/v1/{name}/{id}/certify", route_certify, R_JSON, ROLES_CENTRAL, J, certifiable, NULL, "认定（可带 {\"reason\"}；未附合同文本的签约必须说明）"},
  {"POST", "/api/v1/{name}/{id}/reject", route_reject, R_JSON, ROLES_CENTRAL, J, certifiable, NULL, "退回"},
  {"GET", "/api/v1/campaigns/{id}/target-gaps", route_target_gaps, 0, 0, J, NULL, NULL, "目标分解缺口"},
  {"GET", "/api/v1/campaigns/{id}/dashboard", route_dashboard, 0, 0, J, NULL, NULL,
   "驾驶舱摘要：指标卡、各指标亮灯数、漏斗、预测合计、排名前后各若干名、停滞项目（各单位明细见 dashboard/ranking 与 dashboard/matrix）"},
  {"GET", "/api/v1/campaigns/{id}/dashboard/ranking", route_dashboard_ranking, 0, 0, J, NULL, NULL,
   "驾驶舱排名表：分页、排序，可按类别、状态筛选（滞后单位：status=zero&status=behind）"},
  {"GET", "/api/v1/campaigns/{id}/dashboard/matrix", route_dashboard_matrix, 0, 0, J, NULL, NULL,
   "驾驶舱亮灯矩阵：各单位各指标完成率与亮灯，分页、排序、筛选；单位用户只见本单位"},
  {"GET", "/api/v1/campaigns/{id}/progress", route_progress, 0, 0, J, NULL, NULL, "各单位各指标完成情况与时间进度"},
  {"GET", "/api/v1/campaigns/{id}/ranking", route_ranking, 0, 0, J, NULL, NULL, "综合排名（总排名与分类排名）"},
  {"GET", "/api/v1/campaigns/{id}/ranking/{unit_id}", route_ranking_unit, 0, 0, J, NULL, NULL,
   "得分反查：构成与依据记录"},
  {"GET", "/api/v1/campaigns/{id}/funnel", route_funnel, 0, 0, J, NULL, NULL, "项目漏斗"},
  {"GET", "/api/v1/campaigns/{id}/forecast", route_forecast, 0, 0, J, NULL, NULL, "期末预测"},
  {"GET", "/api/v1/campaigns/{id}/stale-projects", route_stale, 0, 0, J, NULL, NULL, "停滞项目"},
  {"GET", "/api/v1/campaigns/{id}/certification-queue", route_queue, 0, 0, J, NULL, NULL, "待认定记录"},
  {"GET", "/api/v1/campaigns/{id}/duplicates", route_duplicates, 0, ROLES_READ_ALL, J, NULL, NULL, "疑似重复申报"},
  {"GET", "/api/v1/campaigns/{id}/settings", route_settings_get, 0, 0, J, NULL, "settings read",
   "考核设置（权重、阈值、概率）"},
  {"PATCH", "/api/v1/campaigns/{id}/settings", route_settings_update, R_JSON, ROLES_CENTRAL, J, NULL,
   "settings update", "修改考核设置（须带 version）"},
  {"GET", "/api/v1/campaigns/{id}/snapshots", route_snapshots_list, 0, 0, J, NULL, "snapshots read", "数据快照列表"},
  {"POST", "/api/v1/campaigns/{id}/snapshots", route_snapshot_create, R_JSON, ROLES_CENTRAL, J, NULL,
   "snapshots create", "冻结当前数据"},
  {"GET", "/api/v1/snapshots/{id}", route_snapshot_get, 0, 0, J, NULL, NULL, "快照（含冻结数据）"},
  {"GET", "/api/v1/snapshots/{id}/diff", route_snapshot_diff, 0, ROLES_READ_ALL, J, NULL, NULL, "快照与当前数据的差异"},
  {"POST", "/api/v1/projects/{id}/settle-duplicate", route_settle_duplicate, R_JSON, ROLES_CENTRAL, J, NULL, NULL,
   "认定重复项目或排除"},
  {"POST", "/api/v1/weekly-reports/{id}/submit", route_report_submit, 0, ROLES_UNIT | ROLE_ADMIN, J, NULL, NULL,
   "提交周报（冻结系统填报数据）"},
  {"POST", "/api/v1/weekly-reports/{id}/review", route_report_review, R_JSON, ROLE_UNIT_HEAD | ROLE_ADMIN, J, NULL,
   NULL, "主要负责人听取审阅周报 {heard, comments, date}"},
  {"GET", "/api/v1/weekly-reports/{id}/instructions", route_report_instructions, 0, 0, J, NULL,
   "weekly-reports read", "周报上的领导批示"},
  {"POST", "/api/v1/weekly-reports/{id}/instructions", route_report_instruct, R_JSON, ROLE_LEADER | ROLE_ADMIN, J,
   NULL, NULL, "领导批示 {text}"},
  {"GET", "/api/v1/campaigns/{id}/report-status", route_report_status, 0, ROLES_READ_ALL, J, NULL, NULL,
   "各单位各周周报提交与听取情况（?week=）"},
  {"POST", "/api/v1/coordination-items/{id}/advance", route_item_advance, R_JSON, RW, J, NULL, NULL,
   "督办事项推进 {to, note}"},
  {"POST", "/api/v1/coordination-items/{id}/remind", route_item_remind, 0, ROLES_CENTRAL, J, NULL, NULL, "催办"},
  {"POST", "/api/v1/campaigns/{id}/bulletins", route_bulletin_generate, R_JSON, ROLES_CENTRAL, J, NULL,
   "bulletins create", "生成通报草稿（第N期，数据冻结）"},
  {"POST", "/api/v1/bulletins/{id}/publish", route_bulletin_publish, 0, ROLES_CENTRAL, J, NULL, NULL,
   "发布通报（此后不可更改）"},
  {"GET", "/api/v1/bulletins/{id}/print", route_bulletin_print, 0, 0, J, NULL, NULL, "可打印的通报（HTML）"},
  {"GET", "/api/v1/bulletins/{id}/pdf", route_bulletin_pdf, 0, 0, J, NULL, NULL, "通报 PDF（公文格式，内嵌思源字体）"},
  {"GET", "/api/v1/bulletins/{id}/xlsx", route_bulletin_xlsx, 0, 0, J, NULL, NULL, "通报中的各表格（XLSX）"},
  {"GET", "/api/v1/bulletins/{id}/instructions", route_bulletin_instructions, 0, 0, J, NULL, "bulletins read",
   "通报上的领导批示"},
  {"POST", "/api/v1/bulletins/{id}/instructions", route_bulletin_instruct, R_JSON, ROLE_LEADER | ROLE_ADMIN, J, NULL,
   NULL, "领导批示 {text}"},
  {"POST", "/api/v1/checkpoints/{id}/evaluate", route_checkpoint_evaluate, 0, ROLES_CENTRAL, J, NULL, NULL,
   "评估考核节点，生成奖惩建议（可重复执行）"},
  {"GET", "/api/v1/checkpoints/{id}/early-warning", route_checkpoint_warning, 0, 0, J, NULL, NULL,
   "预警：按今天的数据评估将产生的建议"},
  {"POST", "/api/v1/proposals/{id}/approve", route_proposal_approve, R_JSON, ROLES_CENTRAL, J, NULL, NULL,
   "批准建议 {note}"},
  {"POST", "/api/v1/proposals/{id}/dismiss", route_proposal_dismiss, R_JSON, ROLES_CENTRAL, J, NULL, NULL,
   "驳回建议 {note}"},
  {"GET", "/api/v1/teams/{id}/roster", route_team_roster, 0, 0, J, NULL, NULL, "小分队人员评估（?from=&to=）"},
  {"GET", "/api/v1/jobs", route_jobs_list, 0, ROLES_CENTRAL, J, NULL, NULL, "定时任务"},
  {"PATCH", "/api/v1/jobs/{name}", route_job_update, R_JSON, ROLES_CENTRAL, J, NULL, NULL,
   "设置定时任务 {enabled, weekday, at_time}"},
  {"POST", "/api/v1/jobs/{name}/run", route_job_run, 0, ROLES_CENTRAL, J, NULL, NULL, "立即运行定时任务"},
  {"POST", "/api/v1/webhooks/{id}/test", route_webhook_test, 0, ROLES_CENTRAL, J, NULL, NULL, "群机器人：发送测试消息"},
  {"GET", "/api/v1/campaigns/{id}/webhook-deliveries", route_webhook_deliveries, 0, ROLES_CENTRAL, J, NULL, NULL,
   "群机器人推送记录：每次尝试的时间、HTTP 状态、errcode/errmsg、下次重试（?webhook_id=）"},
  {"POST", "/api/v1/projects/{id}/attachments", route_attachment_upload, R_BINARY, RW, UPLOAD_BODY_MAX, NULL,
   "attachments create", "上传附件（请求体为文件本身：PDF、JPEG、PNG、Office 文档；最大 20 MiB）"},
  {"GET", "/api/v1/attachments/{id}/content", route_attachment_content, 0, 0, J, NULL, NULL,
   "下载附件（Content-Disposition 带原文件名）"},
  {"POST", "/api/v1/imports", route_import_start, R_BINARY, RW, IMPORT_BODY_MAX, NULL, "imports create",
   "导入 Excel/CSV（请求体为文件本身；?kind=units|users|targets|projects|follow-ups|funds&dry_run=1&filename=&campaign=&sheet=）："
   "后台任务，202 返回任务编号"},
  {"GET", "/api/v1/imports/{id}", route_import_get, 0, RW, J, NULL, "imports read",
   "导入任务：状态、进度（行数、字节）、结果或逐格错误报告"},
  {"GET", "/api/v1/imports/{id}/errors.xlsx", route_import_errors, 0, RW, J, NULL, "imports read",
   "导入错误报告（原文件各行，错误单元格标红并带批注）"},
  {"GET", "/api/v1/import-templates/{name}", route_import_template, 0, RW, J, NULL, "import-templates read",
   "导入模板 KIND.xlsx（中文列名、枚举下拉列表、“说明”工作表）"},
  /* Exports: the list's own parameters, every row, as a file (http/routes_export.c). */
  {"GET", "/api/v1/campaigns/{id}/ranking/export.xlsx", route_export, 0, 0, J, NULL, "ranking export", "导出综合排名（XLSX）"},
  {"GET", "/api/v1/campaigns/{id}/ranking/export.csv", route_export, 0, 0, J, NULL, "ranking export", "导出综合排名（CSV，UTF-8 带 BOM）"},
  {"GET", "/api/v1/{name}/export.xlsx", route_export, R_RESOURCE, 0, J, NULL, "export", "导出 XLSX（筛选、排序同列表，全部记录）"},
  {"GET", "/api/v1/{name}/export.csv", route_export, R_RESOURCE, 0, J, NULL, "export", "导出 CSV（UTF-8 带 BOM；筛选、排序同列表，全部记录）"},
  {"GET", "/api/v1/{name}/{id}/{name}/export.xlsx", route_export, R_RESOURCE, 0, J, NULL, "export", "导出 XLSX（筛选、排序同列表，全部记录）"},
  {"GET", "/api/v1/{name}/{id}/{name}/export.csv", route_export, R_RESOURCE, 0, J, NULL, "export", "导出 CSV（UTF-8 带 BOM；筛选、排序同列表，全部记录）"},
  {"GET", "/api/v1/{name}", route_records_list, R_RESOURCE, 0, J, NULL, NULL, "列表"},
  {"POST", "/api/v1/{name}", route_records_create, R_RESOURCE | R_JSON, 0, J, NULL, NULL, "新建"},
  {"GET", "/api/v1/{name}/{id}", route_record_read, R_RESOURCE, 0, J, NULL, NULL, "查看"},
  {"PATCH", "/api/v1/{name}/{id}", route_record_update, R_RESOURCE | R_JSON, 0, J, NULL, NULL, "修改（须带 version）"},
  {"DELETE", "/api/v1/{name}/{id}", route_record_delete, R_RESOURCE, 0, J, NULL, NULL, "删除"},
  {"GET", "/api/v1/{name}/{id}/{name}", route_nested_list, R_RESOURCE, 0, J, NULL, NULL, "列表"},
  {"POST", "/api/v1/{name}/{id}/{name}", route_nested_create, R_RESOURCE | R_JSON, 0, J, NULL, NULL, "新建"},
};
#define NROUTES (sizeof routes / sizeof routes[0])

const Route *router_routes(size_t *n) {
  *n = NROUTES;
  return routes;
}

/* Path segments as pointer + length, empty ones skipped; -1 when there are too many. */
static int split(const char *path, const char *seg[], size_t len[]) {
  int n = 0;
  for (const char *p = path; *p;) {
    while (*p == '/') p++;
    if (!*p) break;
    if (n == PATH_SEGMENTS_MAX) return -1;
    size_t k = strcspn(p, "/");
    seg[n] = p;
    len[n++] = k;
    p += k;
  }
  return n;
}

static int in_list(const char *const *list, const char *s) {
  for (; *list; list++)
    if (!strcmp(*list, s)) return 1;
  return 0;
}

/* 1 when the path's segments fit the pattern; fills m->ids and m->names. */
static int fits(const Route *r, const char *const seg[], const size_t len[], int nseg, RouteMatch *m) {
  int i = 0, nid = 0, nname = 0;
  const char *p = r->pattern;
  while (*p) {
    while (*p == '/') p++;
    if (!*p) break;
    size_t n = strcspn(p, "/");
    if (i >= nseg) return 0;
    if (n == 6 && !strncmp(p, "{name}", 6)) {
      if (nname >= 2 || len[i] >= ROUTE_NAME_MAX) return 0;
      memcpy(m->names[nname], seg[i], len[i]);
      m->names[nname][len[i]] = 0;
      if (nname == 0 && r->names && !in_list(r->names, m->names[0])) return 0;
      nname++;
    } else if (*p == '{') {
      char digits[24];
      int64_t v;
      if (nid >= 2 || len[i] >= sizeof digits) return 0;
      memcpy(digits, seg[i], len[i]);
      digits[len[i]] = 0;
      if (parse_int64(digits, &v) || v <= 0) return 0;
      m->ids[nid++] = v;
    } else if (len[i] != n || strncmp(p, seg[i], n)) {
      return 0;
    }
    i++;
    p += n;
  }
  return i == nseg;
}

int router_match(const char *method, const char *path, RouteMatch *m) {
  memset(m, 0, sizeof *m);
  const char *seg[PATH_SEGMENTS_MAX];
  size_t len[PATH_SEGMENTS_MAX];
  int nseg = split(path, seg, len);
  if (nseg < 0) return HZ_ENOTFOUND;
  int head = !strcmp(method, "HEAD");
  for (size_t i = 0; i < NROUTES; i++) {
    RouteMatch t = {0};
    if (!fits(&routes[i], seg, len, nseg, &t)) continue;
    if (!strcmp(routes[i].method, method) || (head && !strcmp(routes[i].method, "GET"))) {
      t.route = &routes[i];
      t.path_found = 1;
      *m = t;
      return HZ_OK;
    }
    m->path_found = 1;
  }
  return m->path_found ? HZ_EMETHOD : HZ_ENOTFOUND;
}

size_t router_body_limit(const char *method, const char *path) {
  RouteMatch m;
  return router_match(method, path, &m) == HZ_OK ? m.route->body_max : JSON_BODY_MAX;
}

/* ---- capabilities ---- */

static void cap_add(json_t *caps, const char *collection, const char *verb) {
  json_t *set = json_object_get(caps, collection);
  if (!set) json_object_set_new(caps, collection, set = json_object());
  if (verb) json_object_set_new(set, verb, json_true());
}

static const char *crud_verb(const char *method) {
  if (!strcmp(method, "GET")) return "read";
  if (!strcmp(method, "POST")) return "create";
  if (!strcmp(method, "PATCH")) return "update";
  return "delete";
}

/* A generic collection route, for every resource: what record.c lets role do there. */
static void cap_resources(json_t *caps, const Route *r, unsigned role, int separated) {
  Actor who = {.role = (Role)role, .separated = separated};
  int nested = strstr(r->pattern, "{id}/{name}") != NULL;
  const char *verb = r->cap ? r->cap : crud_verb(r->method); /* cap: a verb of reading, e.g. export */
  for (int i = 0; resources[i]; i++) {
    const Resource *res = resources[i];
    unsigned ok;
    if (nested && !res->parent) continue; /* the nested routes serve only nested collections */
    if (!strcmp(r->method, "GET")) ok = actor_may(&who, res->read_roles);
    else if (!strcmp(verb, "create"))
      ok = (res->ops & OP_CREATE) && actor_may(&who, res->write_roles) && !nested == !res->parent;
    else ok = (res->ops & (!strcmp(verb, "update") ? OP_UPDATE : OP_DELETE)) && actor_may(&who, res->write_roles);
    cap_add(caps, res->name, ok ? verb : NULL);
  }
}

/* A specific route: the collection is the literal before the first placeholder (or
 * each of names for {name}), the verb the last literal after it, or the method's CRUD
 * verb when none follows; cap overrides both. */
static void cap_route(json_t *caps, const Route *r, int allowed) {
  char key[ROUTE_NAME_MAX] = "", verb[ROUTE_NAME_MAX] = "";
  if (r->cap) {
    if (!*r->cap) return;
    size_t k = strcspn(r->cap, " ");
    snprintf(key, sizeof key, "%.*s", (int)k, r->cap);
    snprintf(verb, sizeof verb, "%s", r->cap + k + 1);
  } else {
    const char *p = r->pattern + strlen("/api/v1/");
    int placeholder = 0;
    while (*p) {
      size_t n = strcspn(p, "/");
      if (*p == '{') placeholder = 1;
      else if (!placeholder) snprintf(key, sizeof key, "%.*s", (int)n, p);
      else snprintf(verb, sizeof verb, "%.*s", (int)n, p);
      p += n;
      while (*p == '/') p++;
    }
    if (!*verb) snprintf(verb, sizeof verb, "%s", crud_verb(r->method));
  }
  if (r->names) {
    for (const char *const *c = r->names; *c; c++) cap_add(caps, *c, allowed ? verb : NULL);
  } else if (*key) {
    cap_add(caps, key, allowed ? verb : NULL);
  }
}

static int by_text(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* The roles a route admits before its handler runs: its own, or for a route that names
 * none, every role of the campaign's work (the duty roles only where a resource lets
 * them in), or anyone logged in for the session's own routes. */
static unsigned route_roles(const Route *r) {
  if (r->roles) return r->roles;
  if (r->flags & R_NOCAP) return ~0u & ~ROLES_SEPARABLE;
  return r->flags & R_RESOURCE ? ROLES_ALL | ROLES_DUTY : ROLES_ALL;
}

json_t *router_capabilities(unsigned role, int separated) {
  json_t *caps = json_object(), *out = json_object(), *set, *v;
  Actor who = {.role = (Role)role, .separated = separated};
  for (size_t i = 0; i < NROUTES; i++) {
    const Route *r = &routes[i];
    if (r->flags & (R_PUBLIC | R_NOCAP) || strncmp(r->pattern, "/api/v1/", 8)) continue;
    int allowed = actor_may(&who, route_roles(r));
    if (r->flags & R_RESOURCE) cap_resources(caps, r, allowed ? role : 0, separated);
    else cap_route(caps, r, allowed);
  }
  const char *key, *verb;
  json_object_foreach(caps, key, set) {
    const char *verbs[64];
    size_t n = 0;
    json_object_foreach(set, verb, v) if (n < 64) verbs[n++] = verb;
    qsort(verbs, n, sizeof verbs[0], by_text);
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++) json_array_append_new(arr, json_string(verbs[k]));
    json_object_set_new(out, key, arr);
  }
  json_decref(caps);
  return out;
}

/* Session cookie value "hz_session=..." or NULL. */
static const char *session_cookie(Request *rq) {
  return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, "hz_session");
}

static int authenticate(Request *rq, HzErr *e) {
  const char *auth = request_header(rq, "Authorization");
  if (auth && !strncasecmp(auth, "Bearer ", 7)) {
    int rc = auth_bearer(rq->db, auth + 7, &rq->actor, e);
    if (!rc) rq->authed = 1;
    return rc;
  }
  const char *cookie = session_cookie(rq);
  if (!cookie || strlen(cookie) >= TOKEN_LEN) return hz_fail(e, HZ_EAUTH, NULL, "请先登录");
  int rc = auth_session(rq->db, cookie, &rq->actor, rq->csrf, e);
  if (rc) return rc;
  rq->authed = 1;
  rq->via_cookie = 1;
  snprintf(rq->session_token, sizeof rq->session_token, "%s", cookie);
  if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD")) {
    const char *sent = request_header(rq, "X-CSRF-Token");
    if (!sent) return hz_fail(e, HZ_EFORBIDDEN, "X-CSRF-Token", "缺少 X-CSRF-Token 请求头（防跨站请求伪造）");
    if (!secure_equal(sent, rq->csrf)) return hz_fail(e, HZ_EFORBIDDEN, "X-CSRF-Token", "X-CSRF-Token 不正确");
  }
  return HZ_OK;
}

/* A parameter given several times is refused, naming it, except by the collection lists
 * and the dashboard's unit tables, whose parser (domain/list_query.c) takes some filters as
 * "any of" and refuses the rest. */
static int repeated_query(Request *rq, const Route *route, HzErr *e) {
  if (route->handler == route_records_list || route->handler == route_nested_list || route->handler == route_export ||
      route->handler == route_dashboard_ranking || route->handler == route_dashboard_matrix)
    return HZ_OK;
  const char *key;
  json_t *v;
  json_object_foreach(rq->query, key, v)
    if (json_is_array(v)) return hz_fail(e, HZ_EINVAL, key, "查询参数“%s”只能给一次", key);
  return HZ_OK;
}

void router_dispatch(Request *rq, Response *rs) {
  HzErr e = {0};
  RouteMatch m;
  int rc = router_match(rq->method, rq->path, &m);
  const Route *route = m.route;
  /* Any other GET outside /api/ is the web app's: a file of the build or, for a route
   * of the app (/projects/123), index.html so deep links load. */
  if (rc == HZ_ENOTFOUND && (!strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD")) &&
      strcmp(rq->path, "/api") && strncmp(rq->path, "/api/", 5)) {
    rc = assets_serve(rq, rs, &e);
    goto done;
  }
  if (rc) {
    rc = rc == HZ_EMETHOD ? hz_fail(&e, HZ_EMETHOD, NULL, "不支持的请求方法 %s", rq->method)
                          : hz_fail(&e, HZ_ENOTFOUND, NULL, "没有这个地址：%s", rq->path);
    goto done;
  }
  rq->route_no = (int)(route - routes) + 1;
  rq->ids[0] = m.ids[0];
  rq->ids[1] = m.ids[1];
  rq->names[0] = m.names[0]; /* m outlives the handler */
  rq->names[1] = m.names[1];
  if (rq->bad_query) {
    const char *n = rq->bad_query_name;
    rc = rq->bad_query == QUERY_BAD_NUL      ? hz_fail(&e, HZ_EMALFORMED, n, "查询参数“%s”不能包含 NUL 字符（%%00）", n)
         : rq->bad_query == QUERY_BAD_ESCAPE ? hz_fail(&e, HZ_EMALFORMED, n, "查询参数“%s”含有无效的 %% 转义（应为 %% 加两位十六进制数）", n)
                                             : hz_fail(&e, HZ_EMALFORMED, n, "查询参数“%s”不是合法的 UTF-8", n);
    goto done;
  }
  if ((rc = repeated_query(rq, route, &e))) goto done;
  if (!(route->flags & R_PUBLIC)) {
    if ((rc = authenticate(rq, &e))) goto done;
    /* A generated or expired password: nothing but the password change until it is done. */
    if (rq->actor.must_change && !(route->flags & R_PWCHANGE)) {
      rc = hz_fail(&e, HZ_EPASSWORD, "new_password",
                   rq->actor.must_change == 1 ? "首次登录须先修改初始密码（POST /api/v1/me/password）"
                                              : "密码已过期，请先修改密码（POST /api/v1/me/password）");
      goto done;
    }
    if (!actor_may(&rq->actor, route_roles(route))) {
      rc = hz_fail(&e, HZ_EFORBIDDEN, NULL, "角色“%s”无权执行此操作", role_name(rq->actor.role));
      goto done;
    }
  }
  rc = route->handler(rq, rs, &e);
done:
  if (rc) response_error(rs, &e);
  hz_err_clear(&e);
}

const char *request_header(Request *rq, const char *name) {
  return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

/* The client behind a trusted proxy: X-Forwarded-For read from the right (each proxy
 * appends the address it got the request from), skipping our own trusted proxies; the
 * first other entry is the client. Nothing usable: the proxy's own address stays. */
static void forwarded_client(Request *rq) {
  const char *xff = request_header(rq, "X-Forwarded-For");
  if (!xff) return;
  size_t end = strlen(xff);
  while (end > 0) {
    size_t start = end;
    while (start > 0 && xff[start - 1] != ',') start--;
    const char *p = xff + start;
    size_t n = end - start;
    while (n && (*p == ' ' || *p == '\t')) p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
    char one[48];
    unsigned char bin[16];
    if (!n || n >= sizeof one) return;
    snprintf(one, sizeof one, "%.*s", (int)n, p);
    if (inet_pton(AF_INET, one, bin) != 1 && inet_pton(AF_INET6, one, bin) != 1) return; /* not an address: stop */
    if (!server_proxy_trusted(one)) {
      snprintf(rq->address, sizeof rq->address, "%s", one);
      return;
    }
    end = start ? start - 1 : 0;
  }
}

const char *request_address(Request *rq) {
  if (rq->address[0]) return rq->address;
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  const struct sockaddr *sa = ci ? ci->client_addr : NULL;
  if (sa && sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, rq->address, sizeof rq->address);
  else if (sa && sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, rq->address, sizeof rq->address);
  /* X-Forwarded-For is anyone's to write: believed only from a proxy named by --trust-proxy. */
  if (server_proxy_trusted(rq->address)) forwarded_client(rq);
  return rq->address;
}

int request_accepts_gzip(Request *rq) {
  const char *p = request_header(rq, "Accept-Encoding");
  while (p && *p) {
    p += strspn(p, " \t,");
    size_t n = strcspn(p, ",;"), w = n;
    while (w && (p[w - 1] == ' ' || p[w - 1] == '\t')) w--;
    const char *q = p + n, *end = q + strcspn(q, ",");
    int refused = 0; /* "gzip;q=0" (or q=0.0…) declines it */
    if (*q == ';') {
      const char *v = strstr(q, "q=");
      if (v && v < end) refused = strtod(v + 2, NULL) <= 0;
    }
    if (((w == 4 && !strncasecmp(p, "gzip", 4)) || (w == 1 && *p == '*')) && !refused) return 1;
    p = end;
  }
  return 0;
}

const char *request_query(Request *rq, const char *name) {
  return json_string_value(json_object_get(rq->query, name));
}

int request_json(Request *rq, json_t **out, HzErr *e) {
  return json_body_parse(rq->body.data, rq->body.len, request_header(rq, "Content-Type"), out, e);
}
