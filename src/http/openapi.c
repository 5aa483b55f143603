/* The OpenAPI 3 document, built from the same resource descriptions that drive the API,
 * so it cannot drift from what the server really accepts. */
#include "domain/resource.h"
#include "http/openapi.h"
#include <stdio.h>
#include <string.h>

static json_t *field_schema(const Field *f) {
  json_t *s = json_object();
  switch (f->type) {
  case FT_INT:
    json_object_set_new(s, "type", json_string("integer"));
    break;
  case FT_MONEY:
    json_object_set_new(s, "type", json_string("integer"));
    json_object_set_new(s, "minimum", json_integer(0));
    json_object_set_new(s, "description", json_string("元 (yuan)"));
    break;
  case FT_REF:
    json_object_set_new(s, "type", json_string("integer"));
    json_object_set_new(s, "description", f->ref ? json_sprintf("id in /api/v1/%s", f->ref) : json_string(f->label));
    break;
  case FT_BOOL:
    json_object_set_new(s, "type", json_string("boolean"));
    break;
  case FT_DATE:
    json_object_set_new(s, "type", json_string("string"));
    json_object_set_new(s, "format", json_string("date"));
    break;
  case FT_TIMESTAMP:
    json_object_set_new(s, "type", json_string("string"));
    json_object_set_new(s, "format", json_string("date-time"));
    break;
  case FT_ENUM: {
    /* x-enum-labels: each code's zh-CN label, from the same table the server validates with. */
    json_t *vals = json_array(), *labels = json_object();
    for (const Choice *c = f->choices; c->code; c++) {
      json_array_append_new(vals, json_string(c->code));
      json_object_set_new(labels, c->code, json_string(c->label));
    }
    json_object_set_new(s, "type", json_string("string"));
    json_object_set_new(s, "enum", vals);
    json_object_set_new(s, "x-enum-labels", labels);
    break;
  }
  case FT_TEXT:
    json_object_set_new(s, "type", json_string("string"));
    json_object_set_new(s, "maxLength", json_integer(f->max ? f->max : 500));
    break;
  case FT_JSON:
    json_object_set_new(s, "type", json_string("object"));
    break;
  case FT_LINKS:
    json_object_set_new(s, "type", json_string("array"));
    json_object_set_new(s, "items", json_pack("{s:s}", "type", "integer"));
    break;
  }
  if (!json_object_get(s, "description")) json_object_set_new(s, "description", json_string(f->label));
  if (f->flags & FF_NULLABLE) json_object_set_new(s, "nullable", json_true());
  if (f->flags & FF_READONLY) json_object_set_new(s, "readOnly", json_true());
  if (f->flags & FF_SECRET) json_object_set_new(s, "writeOnly", json_true());
  return s;
}

static json_t *resource_schema(const Resource *r) {
  json_t *props = json_object(), *required = json_array();
  json_object_set_new(props, "id", json_pack("{s:s s:b}", "type", "integer", "readOnly", 1));
  json_object_set_new(props, "version", json_pack("{s:s s:s}", "type", "integer", "description",
                                                  "必须在 PATCH 中回传；记录已变时返回 409"));
  json_object_set_new(props, "created_at", json_pack("{s:s s:s s:b}", "type", "string", "format", "date-time", "readOnly", 1));
  json_object_set_new(props, "updated_at", json_pack("{s:s s:s s:b}", "type", "string", "format", "date-time", "readOnly", 1));
  for (const Field *f = r->fields; f->name; f++) {
    if ((f->flags & FF_SECRET) && (f->flags & FF_READONLY)) continue;
    json_object_set_new(props, f->name, field_schema(f));
    if (f->flags & FF_REQUIRED) json_array_append_new(required, json_string(f->name));
  }
  return json_pack("{s:s s:s s:o s:o}", "type", "object", "description", r->label, "properties", props, "required",
                   required);
}

static json_t *ref(const char *name) { return json_pack("{s:s}", "$ref", name); }

static json_t *list_params(const Resource *r) {
  json_t *ps = json_array();
  json_array_append_new(ps, json_pack("{s:s s:s s:{s:s s:i s:i}}", "name", "limit", "in", "query", "schema", "type",
                                      "integer", "minimum", 1, "maximum", 500));
  json_array_append_new(ps, json_pack("{s:s s:s s:{s:s s:i}}", "name", "offset", "in", "query", "schema", "type",
                                      "integer", "minimum", 0));
  json_t *sorts = json_pack("[s,s]", "id", "-id");
  for (const Field *f = r->fields; f->name; f++)
    if (f->flags & FF_SORT) {
      json_array_append_new(sorts, json_string(f->name));
      json_array_append_new(sorts, json_sprintf("-%s", f->name));
    }
  json_array_append_new(ps, json_pack("{s:s s:s s:s s:{s:s s:o}}", "name", "sort", "in", "query", "description",
                                      "field (ascending) or -field (descending)", "schema", "type", "string", "enum",
                                      sorts));
  json_array_append_new(ps, json_pack("{s:s s:s s:{s:s}}", "name", "q", "in", "query", "schema", "type", "string"));
  for (const Field *f = r->fields; f->name; f++) {
    if (!(f->flags & FF_FILTER)) continue;
    /* A list of links filters by one member: ?co_unit_ids=7 finds the records linked to 7. */
    json_t *schema = f->type == FT_LINKS ? json_pack("{s:s s:s}", "type", "integer", "description", "含此编号的记录")
                                         : field_schema(f);
    json_array_append_new(ps, json_pack("{s:s s:s s:o}", "name", f->name, "in", "query", "schema", schema));
    if (f->type != FT_DATE) continue; /* dates also filter by range, both ends included */
    json_array_append_new(ps, json_pack("{s:o s:s s:s s:o}", "name", json_sprintf("%s_from", f->name), "in", "query",
                                        "description", "from (>=)", "schema", field_schema(f)));
    json_array_append_new(ps, json_pack("{s:o s:s s:s s:o}", "name", json_sprintf("%s_to", f->name), "in", "query",
                                        "description", "to (<=)", "schema", field_schema(f)));
  }
  return ps;
}

static json_t *op(const char *summary, json_t *params, json_t *body_schema, const char *status, json_t *resp_schema) {
  json_t *o = json_pack("{s:s}", "summary", summary);
  if (params) json_object_set_new(o, "parameters", params);
  if (body_schema)
    json_object_set_new(o, "requestBody", json_pack("{s:b s:{s:{s:o}}}", "required", 1, "content", "application/json",
                                                    "schema", body_schema));
  json_t *responses = json_pack("{s:{s:s}}", "default", "description", "error", "content");
  json_object_set_new(json_object_get(responses, "default"), "content",
                      json_pack("{s:{s:o}}", "application/json", "schema", ref("#/components/schemas/Error")));
  json_t *ok = json_pack("{s:s}", "description", "ok");
  if (resp_schema) json_object_set_new(ok, "content", json_pack("{s:{s:o}}", "application/json", "schema", resp_schema));
  json_object_set_new(responses, status, ok);
  json_object_set_new(o, "responses", responses);
  return o;
}

static json_t *id_param(void) {
  return json_pack("[{s:s s:s s:b s:{s:s}}]", "name", "id", "in", "path", "required", 1, "schema", "type", "integer");
}

json_t *openapi_document(void) {
  json_t *paths = json_object(), *schemas = json_object();
  json_object_set_new(schemas, "Error",
                      json_pack("{s:s s:{s:{s:s s:{s:{s:s} s:{s:s} s:{s:s}}}}}", "type", "object", "properties", "error",
                                "type", "object", "properties", "code", "type", "string", "message", "type", "string",
                                "fields", "type", "object"));
  for (int i = 0; resources[i]; i++) {
    const Resource *r = resources[i];
    char schema_ref[128], path[160], sname[64];
    snprintf(sname, sizeof sname, "%s", r->name);
    snprintf(schema_ref, sizeof schema_ref, "#/components/schemas/%s", sname);
    json_object_set_new(schemas, sname, resource_schema(r));
    json_t *page = json_pack("{s:s s:{s:{s:s s:o} s:{s:s} s:{s:s} s:{s:s}}}", "type", "object", "properties", "items",
                             "type", "array", "items", ref(schema_ref), "total", "type", "integer", "limit", "type",
                             "integer", "offset", "type", "integer");
    json_t *coll = json_object();
    json_object_set_new(coll, "get", op(r->label, list_params(r), NULL, "200", page));
    if (r->parent) {
      snprintf(path, sizeof path, "/api/v1/%s/{id}/%s", r->parent, r->name);
      json_t *nested = json_deep_copy(coll);
      json_t *idp = id_param(); /* json_array_extend copies, it does not take the reference */
      json_array_extend(json_object_get(json_object_get(nested, "get"), "parameters"), idp);
      json_decref(idp);
      if (r->ops & OP_CREATE)
        json_object_set_new(nested, "post", op(r->label, id_param(), ref(schema_ref), "201", ref(schema_ref)));
      json_object_set_new(paths, path, nested);
    } else if (r->ops & OP_CREATE) {
      json_object_set_new(coll, "post", op(r->label, NULL, ref(schema_ref), "201", ref(schema_ref)));
    }
    snprintf(path, sizeof path, "/api/v1/%s", r->name);
    json_object_set_new(paths, path, coll);
    json_t *item = json_object();
    json_object_set_new(item, "get", op(r->label, id_param(), NULL, "200", ref(schema_ref)));
    if (r->ops & OP_UPDATE) json_object_set_new(item, "patch", op(r->label, id_param(), ref(schema_ref), "200", ref(schema_ref)));
    if (r->ops & OP_DELETE) json_object_set_new(item, "delete", op(r->label, id_param(), NULL, "204", NULL));
    snprintf(path, sizeof path, "/api/v1/%s/{id}", r->name);
    json_object_set_new(paths, path, item);
  }
  json_t *login = json_pack("{s:s s:{s:{s:s} s:{s:s}} s:[s,s]}", "type", "object", "properties", "login", "type",
                            "string", "password", "type", "string", "required", "login", "password");
  json_t *me = json_pack("{s:s s:{s:{s:s} s:{s:s} s:{s:s} s:{s:s s:[s,s,s,s,s]} s:{s:s s:b}}}", "type", "object",
                         "properties", "id", "type", "integer", "login", "type", "string", "name", "type", "string",
                         "role", "type", "string", "enum", "admin", "office", "leader", "unit_head", "unit_staff",
                         "unit_id", "type", "integer", "nullable", 1);
  json_t *session = json_pack("{s:s s:{s:O s:{s:s s:s}}}", "type", "object", "properties", "user", me, "csrf_token",
                              "type", "string", "description", "cookie 会话写操作须放在请求头 X-CSRF-Token 中");
  json_object_set_new(paths, "/api/v1/session",
                      json_pack("{s:o s:o}", "post", op("登录（设置 HttpOnly 会话 cookie；失败过多时 429 并带 Retry-After）", NULL, login, "200", session),
                                "delete", op("退出登录", NULL, NULL, "204", NULL)));
  json_object_set_new(paths, "/api/v1/me", json_pack("{s:o}", "get", op("当前用户", NULL, NULL, "200", me)));
  json_t *audit_params = json_pack(
      "[{s:s s:s s:{s:s}}, {s:s s:s s:{s:s}}, {s:s s:s s:{s:s}}, {s:s s:s s:{s:s}},"
      " {s:s s:s s:{s:s s:i s:i}}, {s:s s:s s:{s:s s:i}}, {s:s s:s s:{s:s s:[s,s]}},"
      " {s:s s:s s:s s:{s:s s:s}}, {s:s s:s s:s s:{s:s s:s}}]",
      "name", "entity", "in", "query", "schema", "type", "string", "name", "entity_id", "in", "query", "schema", "type",
      "integer", "name", "user_id", "in", "query", "schema", "type", "integer", "name", "action", "in", "query", "schema",
      "type", "string", "name", "limit", "in", "query", "schema", "type", "integer", "minimum", 1, "maximum", 500,
      "name", "offset", "in", "query", "schema", "type", "integer", "minimum", 0, "name", "sort", "in", "query",
      "schema", "type", "string", "enum", "-id", "id", "name", "at_from", "in", "query", "description",
      "从该日（UTC）起", "schema", "type", "string", "format", "date", "name", "at_to", "in", "query", "description",
      "到该日（UTC）止", "schema", "type", "string", "format", "date");
  json_t *entry = json_pack(
      "{s:s s:{s:{s:s} s:{s:s s:s} s:{s:s s:b} s:{s:s} s:{s:s} s:{s:s s:b} s:{s:s s:b} s:{s:s s:b} s:{s:s}}}", "type",
      "object", "properties", "id", "type", "integer", "at", "type", "string", "format", "date-time", "user_id", "type",
      "integer", "nullable", 1, "action", "type", "string", "entity", "type", "string", "entity_id", "type", "integer",
      "nullable", 1, "before", "type", "object", "nullable", 1, "after", "type", "object", "nullable", 1, "hash", "type",
      "string");
  json_object_set_new(paths, "/api/v1/audit",
                      json_pack("{s:o}", "get", op("审计日志（哈希链，只增不改）", audit_params, NULL, "200",
                                                   json_pack("{s:s s:{s:{s:s s:o} s:{s:s} s:{s:s} s:{s:s}}}", "type",
                                                             "object", "properties", "items", "type", "array", "items",
                                                             entry, "total", "type", "integer", "limit", "type",
                                                             "integer", "offset", "type", "integer"))));
  json_object_set_new(paths, "/api/v1/audit/{id}",
                      json_pack("{s:o}", "get", op("一条审计记录", id_param(), NULL, "200", json_incref(entry))));
  json_decref(me);
  const char *actions[] = {"stage-changes", "funds"};
  json_t *reason = json_pack("{s:s s:{s:{s:s}} s:[s]}", "type", "object", "properties", "reason", "type", "string",
                             "required", "reason");
  for (int i = 0; i < 2; i++) {
    char path[128];
    snprintf(path, sizeof path, "/api/v1/%s/{id}/certify", actions[i]);
    json_object_set_new(paths, path, json_pack("{s:o}", "post", op("认定", id_param(), NULL, "200", NULL)));
    snprintf(path, sizeof path, "/api/v1/%s/{id}/reject", actions[i]);
    json_object_set_new(paths, path, json_pack("{s:o}", "post", op("退回", id_param(), json_incref(reason), "200", NULL)));
  }
  json_decref(reason);
  json_object_set_new(paths, "/api/v1/campaigns/{id}/target-gaps",
                      json_pack("{s:o}", "get", op("目标分解缺口", id_param(), NULL, "200", NULL)));
  json_t *up_params = id_param();
  json_array_append_new(up_params, json_pack("{s:s s:s s:b s:s s:{s:s}}", "name", "filename", "in", "query", "required", 1,
                                             "description", "原文件名", "schema", "type", "string"));
  json_array_append_new(up_params, json_pack("{s:s s:s s:s s:{s:s}}", "name", "stage_change_id", "in", "query",
                                             "description", "关联的阶段变更（与 fund_id 二选一）", "schema", "type", "integer"));
  json_array_append_new(up_params, json_pack("{s:s s:s s:s s:{s:s}}", "name", "fund_id", "in", "query", "description",
                                             "关联的到账资金", "schema", "type", "integer"));
  json_t *upload = op("上传附件（请求体为文件本身：PDF、JPEG、PNG、Office 文档；最大 20 MiB）", up_params, NULL, "201",
                      ref("#/components/schemas/attachments"));
  json_object_set_new(upload, "requestBody",
                      json_pack("{s:b s:{s:{s:{s:s s:s}}}}", "required", 1, "content", "application/octet-stream",
                                "schema", "type", "string", "format", "binary"));
  json_object_set_new(json_object_get(paths, "/api/v1/projects/{id}/attachments"), "post", upload);
  json_t *download = op("下载附件（Content-Disposition 带原文件名）", id_param(), NULL, "200", NULL);
  json_object_set_new(json_object_get(json_object_get(download, "responses"), "200"), "content",
                      json_pack("{s:{s:{s:s s:s}}}", "application/octet-stream", "schema", "type", "string", "format",
                                "binary"));
  json_object_set_new(paths, "/api/v1/attachments/{id}/content", json_pack("{s:o}", "get", download));
  static const struct { const char *path, *summary; int extra_id; } figures[] = {
    {"/api/v1/campaigns/{id}/dashboard", "驾驶舱：进度、排名、漏斗、滞后单位、停滞项目、预测", 0},
    {"/api/v1/campaigns/{id}/progress", "各单位各指标完成情况与时间进度", 0},
    {"/api/v1/campaigns/{id}/ranking", "综合排名（总排名与分类排名）", 0},
    {"/api/v1/campaigns/{id}/ranking/{unit_id}", "得分反查：构成与依据记录", 1},
    {"/api/v1/campaigns/{id}/funnel", "项目漏斗", 0},
    {"/api/v1/campaigns/{id}/forecast", "期末预测", 0},
    {"/api/v1/campaigns/{id}/stale-projects", "停滞项目", 0},
    {"/api/v1/campaigns/{id}/certification-queue", "待认定记录", 0},
    {"/api/v1/campaigns/{id}/duplicates", "疑似重复申报", 0},
  };
  for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
    json_t *params = id_param();
    json_array_append_new(params, json_pack("{s:s s:s s:s s:{s:s s:s}}", "name", "as_of", "in", "query", "description",
                                            "截至日期，默认今天", "schema", "type", "string", "format", "date"));
    if (figures[i].extra_id)
      json_array_append_new(params, json_pack("{s:s s:s s:b s:{s:s}}", "name", "unit_id", "in", "path", "required", 1,
                                              "schema", "type", "integer"));
    json_t *get = op(figures[i].summary, params, NULL, "200", NULL);
    json_object_set_new(json_object_get(json_object_get(get, "responses"), "200"), "headers",
                        json_pack("{s:{s:s s:{s:s}}}", "ETag", "description", "数据版本；带 If-None-Match 重复请求时返回 304",
                                  "schema", "type", "string"));
    json_object_set_new(paths, figures[i].path, json_pack("{s:o}", "get", get));
  }
  json_object_set_new(paths, "/api/v1/campaigns/{id}/settings",
                      json_pack("{s:o s:o}", "get", op("考核设置（权重、阈值、概率）", id_param(), NULL, "200", NULL),
                                "patch", op("修改考核设置（须带 version）", id_param(), json_pack("{s:s}", "type", "object"),
                                            "200", NULL)));
  json_t *snap_body = json_pack("{s:s s:{s:{s:s s:s} s:{s:s}}}", "type", "object", "properties", "as_of", "type",
                                "string", "format", "date", "label", "type", "string");
  json_object_set_new(paths, "/api/v1/campaigns/{id}/snapshots",
                      json_pack("{s:o s:o}", "get", op("数据快照列表", id_param(), NULL, "200", NULL), "post",
                                op("冻结当前数据", id_param(), snap_body, "201", NULL)));
  json_object_set_new(paths, "/api/v1/snapshots/{id}", json_pack("{s:o}", "get", op("快照（含冻结数据）", id_param(), NULL, "200", NULL)));
  json_object_set_new(paths, "/api/v1/snapshots/{id}/diff",
                      json_pack("{s:o}", "get", op("快照与当前数据的差异", id_param(), NULL, "200", NULL)));
  json_object_set_new(paths, "/api/v1/projects/{id}/settle-duplicate",
                      json_pack("{s:o}", "post", op("认定重复项目或排除", id_param(),
                                                    json_pack("{s:s s:{s:{s:s} s:{s:s}}}", "type", "object", "properties",
                                                              "duplicate_of", "type", "integer", "not_duplicate_of",
                                                              "type", "integer"),
                                                    "200", NULL)));
  /* Actions of the working rhythm (docs/workflows.md). */
  static const struct { const char *method, *path, *summary; int body; } workflow_ops[] = {
    {"post", "/api/v1/weekly-reports/{id}/submit", "提交周报（冻结系统填报数据）", 0},
    {"post", "/api/v1/weekly-reports/{id}/review", "主要负责人听取审阅周报 {heard, comments, date}", 1},
    {"get", "/api/v1/weekly-reports/{id}/instructions", "周报上的领导批示", 0},
    {"post", "/api/v1/weekly-reports/{id}/instructions", "领导批示 {text}", 1},
    {"get", "/api/v1/campaigns/{id}/report-status", "各单位各周周报提交与听取情况（?week=）", 0},
    {"post", "/api/v1/coordination-items/{id}/advance", "督办事项推进 {to, note}", 1},
    {"post", "/api/v1/coordination-items/{id}/remind", "催办", 0},
    {"post", "/api/v1/campaigns/{id}/bulletins", "生成通报草稿（第N期，数据冻结）", 1},
    {"post", "/api/v1/bulletins/{id}/publish", "发布通报（此后不可更改）", 0},
    {"get", "/api/v1/bulletins/{id}/print", "可打印的通报（HTML）", 0},
    {"get", "/api/v1/bulletins/{id}/instructions", "通报上的领导批示", 0},
    {"post", "/api/v1/bulletins/{id}/instructions", "领导批示 {text}", 1},
    {"post", "/api/v1/checkpoints/{id}/evaluate", "评估考核节点，生成奖惩建议（可重复执行）", 0},
    {"get", "/api/v1/checkpoints/{id}/early-warning", "预警：按今天的数据评估将产生的建议", 0},
    {"post", "/api/v1/proposals/{id}/approve", "批准建议 {note}", 1},
    {"post", "/api/v1/proposals/{id}/dismiss", "驳回建议 {note}", 1},
    {"get", "/api/v1/teams/{id}/roster", "小分队人员评估（?from=&to=）", 0},
  };
  for (size_t i = 0; i < sizeof workflow_ops / sizeof workflow_ops[0]; i++) {
    json_t *item = json_object_get(paths, workflow_ops[i].path);
    if (!item) json_object_set_new(paths, workflow_ops[i].path, item = json_object());
    json_object_set_new(item, workflow_ops[i].method,
                        op(workflow_ops[i].summary, id_param(), workflow_ops[i].body ? json_pack("{s:s}", "type", "object") : NULL,
                           "200", NULL));
  }
  json_t *name_param = json_pack("[{s:s s:s s:b s:{s:s}}]", "name", "name", "in", "path", "required", 1, "schema", "type", "string");
  json_object_set_new(paths, "/api/v1/jobs", json_pack("{s:o}", "get", op("定时任务", NULL, NULL, "200", NULL)));
  json_object_set_new(paths, "/api/v1/jobs/{name}",
                      json_pack("{s:o}", "patch", op("设置定时任务 {enabled, weekday, at_time}", json_deep_copy(name_param),
                                                     json_pack("{s:s}", "type", "object"), "200", NULL)));
  json_object_set_new(paths, "/api/v1/jobs/{name}/run", json_pack("{s:o}", "post", op("立即运行定时任务", name_param, NULL, "200", NULL)));
  json_object_set_new(paths, "/health", json_pack("{s:o}", "get", op("健康检查", NULL, NULL, "200", NULL)));
  json_object_set_new(paths, "/metrics", json_pack("{s:o}", "get", op("Prometheus 指标", NULL, NULL, "200", NULL)));
  return json_pack("{s:s s:{s:s s:s s:s} s:o s:{s:o s:{s:{s:s s:s s:s} s:{s:s s:s}}} s:[{s:[]},{s:[]}]}", "openapi",
                   "3.0.3", "info", "title", "huizhan 会战 API", "version", HZ_VERSION, "description",
                   "招商引资百日会战指挥平台 JSON API", "paths", paths, "components", "schemas", schemas,
                   "securitySchemes", "cookie", "type", "apiKey", "in", "cookie", "name", "hz_session", "bearer", "type",
                   "http", "scheme", "bearer", "security", "cookie", "bearer");
}
