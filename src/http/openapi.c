/* The OpenAPI 3 document, built from the route table (http/router.c) and the resource
 * descriptions that drive the API, so it cannot drift from what the server answers. */
#include "domain/figure_views.h"
#include "domain/list_query.h"
#include "domain/resource.h"
#include "http/openapi.h"
#include "http/router.h"
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
  /* A derived field (resource.h): no column, read from other records with each page. */
  if ((f->flags & (FF_VIRTUAL | FF_READONLY | FF_SECRET)) == (FF_VIRTUAL | FF_READONLY))
    json_object_set_new(s, "description",
                        json_sprintf("%s（由服务器从其他记录得出，列表与单条读取都给出；没有时为 null%s）", f->label,
                                     f->flags & FF_WRITERS ? "；只给可修改本集合的角色，其他角色的应答中没有此字段" : ""));
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
    json_t *param = json_pack("{s:s s:s s:o}", "name", f->name, "in", "query", "schema", schema);
    /* Given several times it means any of them (domain/resource.c); other parameters are refused when repeated. */
    if (resource_filter_repeatable(r, f->name))
      json_object_set_new(param, "description", json_sprintf("可重复给出，表示其中任一值（最多 %d 个），如 ?%s=a&%s=b",
                                                               LIST_ANY_OF_MAX, f->name, f->name));
    json_array_append_new(ps, param);
    if (f->type != FT_DATE) continue; /* dates also filter by range, both ends included */
    json_array_append_new(ps, json_pack("{s:o s:s s:s s:o}", "name", json_sprintf("%s_from", f->name), "in", "query",
                                        "description", "from (>=)", "schema", field_schema(f)));
    json_array_append_new(ps, json_pack("{s:o s:s s:s s:o}", "name", json_sprintf("%s_to", f->name), "in", "query",
                                        "description", "to (<=)", "schema", field_schema(f)));
  }
  return ps;
}

/* The codes of the unit categories (a new array). */
static json_t *unit_category_codes(void) {
  json_t *codes = json_array();
  for (const Choice *c = resource_choices("units", "category"); c && c->code; c++) json_array_append_new(codes, json_string(c->code));
  return codes;
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

static json_t *path_param(const char *name, const char *type) {
  return json_pack("{s:s s:s s:b s:{s:s}}", "name", name, "in", "path", "required", 1, "schema", "type", type);
}

static json_t *id_param(void) { return json_pack("[o]", path_param("id", "integer")); }

/* DELETE carries the version it read, in the query or as If-Match (http/routes_records.c);
 * without either it is 428, with a stale one 409. */
static json_t *delete_params(void) {
  return json_pack("[o {s:s s:s s:s s:{s:s s:i}} {s:s s:s s:s s:{s:s}}]", path_param("id", "integer"), "name",
                   "version", "in", "query", "description", "读取到的版本；与 If-Match 二选一，两者都给时须一致", "schema",
                   "type", "integer", "minimum", 1, "name", "If-Match", "in", "header", "description",
                   "读取到的版本，如 \"3\"；与 ?version= 二选一", "schema", "type", "string");
}

static const char *lower(const char *method) {
  static const char *const m[][2] = {{"GET", "get"}, {"POST", "post"}, {"PATCH", "patch"}, {"DELETE", "delete"}};
  for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
    if (!strcmp(m[i][0], method)) return m[i][1];
  return "get";
}

/* Roles and body limit of the route, stated on its operation; steals o. The first route
 * to claim a path and method keeps it, as in the router. */
static void put(json_t *paths, const char *path, const Route *r, json_t *o) {
  json_t *item = json_object_get(paths, path);
  if (!item) json_object_set_new(paths, path, item = json_object());
  if (json_object_get(item, lower(r->method))) {
    json_decref(o);
    return;
  }
  if (r->flags & R_PUBLIC) {
    json_object_set_new(o, "security", json_array());
  } else {
    json_t *roles = json_array();
    static const Role all[] = {ROLE_ADMIN, ROLE_OFFICE, ROLE_LEADER, ROLE_UNIT_HEAD, ROLE_UNIT_STAFF};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
      if (!r->roles || (r->roles & all[i])) json_array_append_new(roles, json_string(role_name(all[i])));
    json_object_set_new(o, "x-roles", roles);
  }
  if (r->flags & (R_JSON | R_BINARY)) {
    json_object_set_new(o, "x-max-body-bytes", json_integer((json_int_t)r->body_max));
    json_t *body = json_object_get(o, "requestBody");
    if (body)
      json_object_set_new(body, "description",
                          json_sprintf("最大 %zu 字节；更大时 413", r->body_max));
  }
  json_object_set_new(item, lower(r->method), o);
}

/* A generic collection route, for every resource it serves. */
/* An export of a collection's list (/export.xlsx, /export.csv): the list's parameters but
 * limit and offset (every row), a file as the answer. */
static json_t *export_op(const Resource *r, const char *suffix, int nested) {
  json_t *ps = list_params(r), *kept = json_array(), *p;
  size_t i;
  json_array_foreach(ps, i, p) {
    const char *n = json_string_value(json_object_get(p, "name"));
    if (strcmp(n, "limit") && strcmp(n, "offset")) json_array_append(kept, p);
  }
  json_decref(ps);
  if (nested) json_array_insert_new(kept, 0, path_param("id", "integer"));
  json_t *o = op(r->label, kept, NULL, "200", NULL);
  int csv = strstr(suffix, ".csv") != NULL;
  json_t *ok = json_object_get(json_object_get(o, "responses"), "200");
  json_object_set_new(ok, "description", json_string("文件（Content-Disposition 带中文文件名）；列名为字段的中文名称，"
                                                       "枚举为中文名称，引用为被引用记录的名称（登录名等）"));
  json_object_set_new(ok, "content",
                      json_pack("{s:{s:{s:s s:s}}}",
                                csv ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                "schema", "type", "string", "format", "binary"));
  return o;
}

static void resource_ops(json_t *paths, const Route *rt) {
  int nested = strstr(rt->pattern, "{id}/{name}") != NULL, item = !nested && strstr(rt->pattern, "{id}") != NULL;
  const char *last = strrchr(rt->pattern, '/'), *suffix = strncmp(last, "/export.", 8) ? "" : last;
  for (int i = 0; resources[i]; i++) {
    const Resource *r = resources[i];
    char schema_ref[128], path[160];
    snprintf(schema_ref, sizeof schema_ref, "#/components/schemas/%s", r->name);
    json_t *o = NULL;
    if (nested) {
      if (!r->parent) continue;
      snprintf(path, sizeof path, "/api/v1/%s/{id}/%s%s", r->parent, r->name, suffix);
    } else {
      snprintf(path, sizeof path, "/api/v1/%s%s%s", r->name, item ? "/{id}" : "", suffix);
    }
    if (*suffix) {
      o = export_op(r, suffix, nested);
    } else if (!strcmp(rt->method, "GET") && !item) {
      json_t *page = json_pack("{s:s s:{s:{s:s s:o} s:{s:s} s:{s:s} s:{s:s}}}", "type", "object", "properties", "items",
                               "type", "array", "items", ref(schema_ref), "total", "type", "integer", "limit", "type",
                               "integer", "offset", "type", "integer");
      json_t *ps = list_params(r);
      if (nested) json_array_insert_new(ps, 0, path_param("id", "integer"));
      o = op(r->label, ps, NULL, "200", page);
    } else if (!strcmp(rt->method, "GET")) {
      o = op(r->label, id_param(), NULL, "200", ref(schema_ref));
    } else if (!strcmp(rt->method, "POST")) {
      if (!(r->ops & OP_CREATE) || !nested != !r->parent) continue;
      o = op(r->label, nested ? id_param() : NULL, ref(schema_ref), "201", ref(schema_ref));
    } else if (!strcmp(rt->method, "PATCH")) {
      if (!(r->ops & OP_UPDATE)) continue;
      o = op(r->label, id_param(), ref(schema_ref), "200", ref(schema_ref));
    } else {
      if (!(r->ops & OP_DELETE)) continue;
      o = op(r->label, delete_params(), NULL, "204", NULL);
      json_object_set_new(json_object_get(o, "responses"), "428",
                          json_pack("{s:s}", "description", "未给出读取到的版本（version 或 If-Match）"));
      json_object_set_new(json_object_get(o, "responses"), "409",
                          json_pack("{s:s}", "description", "记录已被他人修改：版本不符"));
    }
    json_t *summary = json_sprintf("%s：%s", rt->summary, r->label);
    json_object_set_new(o, "summary", summary);
    /* The collection's roles narrow the route's. */
    Route narrowed = *rt;
    narrowed.roles = !strcmp(rt->method, "GET") ? r->read_roles : r->write_roles;
    put(paths, path, &narrowed, o);
  }
}

/* A specific route: its path parameters read off the pattern ({name} a string, any other
 * placeholder an integer), a JSON object or the file itself as body. */
static void route_op(json_t *paths, const Route *rt, const char *name) {
  char path[256] = "";
  json_t *params = json_array();
  size_t used = 0;
  for (const char *p = rt->pattern; *p;) {
    size_t n = strcspn(p + 1, "/") + 1; /* "/segment" */
    if (name && n == 7 && !strncmp(p, "/{name}", 7)) {
      used += (size_t)snprintf(path + used, sizeof path - used, "/%s", name);
    } else {
      used += (size_t)snprintf(path + used, sizeof path - used, "%.*s", (int)n, p);
      if (p[1] == '{') {
        char pname[ROUTE_NAME_MAX];
        snprintf(pname, sizeof pname, "%.*s", (int)(n - 3), p + 2);
        json_array_append_new(params, path_param(pname, strcmp(pname, "name") ? "integer" : "string"));
      }
    }
    p += n;
  }
  json_t *body = NULL;
  if (rt->flags & R_JSON) body = json_pack("{s:s}", "type", "object");
  json_t *o = op(rt->summary, json_array_size(params) ? params : NULL, body, "200", NULL);
  if (!json_array_size(params)) json_decref(params);
  if (rt->flags & R_BINARY)
    json_object_set_new(o, "requestBody",
                        json_pack("{s:b s:{s:{s:{s:s s:s}}}}", "required", 1, "content", "application/octet-stream",
                                  "schema", "type", "string", "format", "binary"));
  put(paths, path, rt, o);
}

static json_t *operation(json_t *paths, const char *path, const char *method) {
  return json_object_get(json_object_get(paths, path), method);
}

static void set_body(json_t *o, json_t *schema, int required) {
  json_t *rb = json_object_get(o, "requestBody");
  if (!rb) json_object_set_new(o, "requestBody", rb = json_object());
  json_object_set_new(rb, "required", json_boolean(required));
  json_object_set_new(rb, "content", json_pack("{s:{s:o}}", "application/json", "schema", schema));
}

static void set_response(json_t *o, const char *status, json_t *schema) {
  json_t *responses = json_object_get(o, "responses");
  json_object_del(responses, "200");
  json_t *ok = json_pack("{s:s}", "description", "ok");
  if (schema) json_object_set_new(ok, "content", json_pack("{s:{s:o}}", "application/json", "schema", schema));
  json_object_set_new(responses, status, ok);
}

static void add_params(json_t *o, json_t *params) {
  json_t *ps = json_object_get(o, "parameters");
  if (!ps) json_object_set_new(o, "parameters", ps = json_array());
  json_array_extend(ps, params);
  json_decref(params);
}

/* What the route table cannot say: bodies and answers of the routes beside the generic
 * collections. Applied to operations the table produced; a path it lacks is skipped. */
static void details(json_t *paths) {
  json_t *o;
  json_t *login = json_pack("{s:s s:{s:{s:s} s:{s:s}} s:[s,s]}", "type", "object", "properties", "login", "type",
                            "string", "password", "type", "string", "required", "login", "password");
  json_t *user = json_pack("{s:s s:{s:{s:s} s:{s:s} s:{s:s} s:{s:s s:[s,s,s,s,s]} s:{s:s s:b}}}", "type", "object",
                           "properties", "id", "type", "integer", "login", "type", "string", "name", "type", "string",
                           "role", "type", "string", "enum", "admin", "office", "leader", "unit_head", "unit_staff",
                           "unit_id", "type", "integer", "nullable", 1);
  json_t *session = json_pack("{s:s s:{s:O s:{s:s s:s}}}", "type", "object", "properties", "user", user, "csrf_token",
                              "type", "string", "description", "cookie 会话写操作须放在请求头 X-CSRF-Token 中");
  if ((o = operation(paths, "/api/v1/session", "post"))) {
    set_body(o, login, 1);
    set_response(o, "200", session);
  } else {
    json_decref(login);
    json_decref(session);
  }
  if ((o = operation(paths, "/api/v1/session", "delete"))) set_response(o, "204", NULL);
  json_t *me = json_deep_copy(user);
  json_object_set_new(json_object_get(me, "properties"), "csrf_token",
                      json_pack("{s:s s:s}", "type", "string", "description", "cookie 会话时给出"));
  json_object_set_new(json_object_get(me, "properties"), "capabilities",
                      json_pack("{s:s s:s s:{s:s s:{s:s}}}", "type", "object", "description",
                                "集合名 → 此人可执行的操作（read/create/update/delete 及动作名，如 certify、dashboard），已排序；"
                                "不含的操作会得到 403（单位用户仍只能操作本单位的记录）",
                                "additionalProperties", "type", "array", "items", "type", "string"));
  json_object_set_new(json_object_get(me, "properties"), "notifications_seen",
                      json_pack("{s:s s:s}", "type", "integer", "description",
                                "此人已读到的最新提醒编号（POST /api/v1/notifications/seen 设置）；更大的编号为未读"));
  json_decref(user);
  if ((o = operation(paths, "/api/v1/me", "get"))) set_response(o, "200", me);
  else json_decref(me);

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
  if ((o = operation(paths, "/api/v1/audit", "get"))) {
    add_params(o, json_incref(audit_params));
    set_response(o, "200", json_pack("{s:s s:{s:{s:s s:O} s:{s:s} s:{s:s} s:{s:s}}}", "type", "object", "properties",
                                     "items", "type", "array", "items", entry, "total", "type", "integer", "limit",
                                     "type", "integer", "offset", "type", "integer"));
  }
  json_decref(audit_params);
  if ((o = operation(paths, "/api/v1/audit/{id}", "get"))) set_response(o, "200", json_incref(entry));
  json_decref(entry);

  static const char *const certifiable[] = {"stage-changes", "funds"};
  for (size_t i = 0; i < 2; i++) {
    char path[128];
    snprintf(path, sizeof path, "/api/v1/%s/{id}/certify", certifiable[i]);
    if ((o = operation(paths, path, "post")))
      set_body(o, json_pack("{s:s s:{s:{s:s}}}", "type", "object", "properties", "reason", "type", "string"), 0);
    snprintf(path, sizeof path, "/api/v1/%s/{id}/reject", certifiable[i]);
    if ((o = operation(paths, path, "post")))
      set_body(o, json_pack("{s:s s:{s:{s:s}} s:[s]}", "type", "object", "properties", "reason", "type", "string",
                            "required", "reason"), 1);
  }
  if ((o = operation(paths, "/api/v1/projects/{id}/attachments", "post"))) {
    add_params(o, json_pack("[{s:s s:s s:b s:s s:{s:s}}, {s:s s:s s:s s:{s:s}}, {s:s s:s s:s s:{s:s}}]", "name",
                            "filename", "in", "query", "required", 1, "description", "原文件名", "schema", "type",
                            "string", "name", "stage_change_id", "in", "query", "description",
                            "关联的阶段变更（与 fund_id 二选一）", "schema", "type", "integer", "name", "fund_id", "in",
                            "query", "description", "关联的到账资金", "schema", "type", "integer"));
    set_response(o, "201", ref("#/components/schemas/attachments"));
  }
  if ((o = operation(paths, "/api/v1/attachments/{id}/content", "get")))
    json_object_set_new(json_object_get(json_object_get(o, "responses"), "200"), "content",
                        json_pack("{s:{s:{s:s s:s}}}", "application/octet-stream", "schema", "type", "string", "format",
                                  "binary"));
  static const char *const figures[] = {"dashboard", "dashboard/ranking", "dashboard/matrix", "progress", "ranking", "ranking/{unit_id}", "funnel", "forecast",
                                        "stale-projects", "certification-queue", "duplicates"};
  for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
    char path[128];
    snprintf(path, sizeof path, "/api/v1/campaigns/{id}/%s", figures[i]);
    if (!(o = operation(paths, path, "get"))) continue;
    add_params(o, json_pack("[{s:s s:s s:s s:{s:s s:s}}]", "name", "as_of", "in", "query", "description",
                            "截至日期，默认今天", "schema", "type", "string", "format", "date"));
    json_object_set_new(json_object_get(json_object_get(o, "responses"), "200"), "headers",
                        json_pack("{s:{s:s s:{s:s}}}", "ETag", "description", "数据版本；带 If-None-Match 重复请求时返回 304",
                                  "schema", "type", "string"));
  }
  /* The boards with a row per unit: a page of rows, sorted, or all of them. */
  static const struct {
    const char *path;
    const char *const *sorts;
  } unit_boards[] = {{"/api/v1/campaigns/{id}/progress", figure_views_progress_sorts},
                     {"/api/v1/campaigns/{id}/ranking", figure_views_board_ranking_sorts},
                     {"/api/v1/campaigns/{id}/forecast", figure_views_forecast_sorts}};
  for (size_t i = 0; i < sizeof unit_boards / sizeof unit_boards[0]; i++) {
    if (!(o = operation(paths, unit_boards[i].path, "get"))) continue;
    json_t *sorts = json_array();
    for (int k = 0; unit_boards[i].sorts[k]; k++) {
      json_array_append_new(sorts, json_string(unit_boards[i].sorts[k]));
      json_array_append_new(sorts, json_sprintf("-%s", unit_boards[i].sorts[k]));
    }
    add_params(o, json_pack("[{s:s s:s s:{s:s s:i s:i s:i}}, {s:s s:s s:{s:s s:i s:i}}, {s:s s:s s:s s:{s:s s:o}},"
                            " {s:s s:s s:s s:{s:s}}]",
                            "name", "limit", "in", "query", "schema", "type", "integer", "minimum", 1, "maximum",
                            LIST_LIMIT_MAX, "default", LIST_LIMIT_DEFAULT, "name", "offset", "in", "query", "schema",
                            "type", "integer", "minimum", 0, "default", 0, "name", "sort", "in", "query", "description",
                            "单位行的排序键，前加 - 为倒序", "schema", "type", "string", "enum", sorts, "name", "all",
                            "in", "query", "description", "true：给出全部单位行（导出、核对用），不分页", "schema", "type",
                            "boolean"));
  }
  if ((o = operation(paths, "/api/v1/campaigns/{id}/snapshots", "post"))) {
    set_body(o, json_pack("{s:s s:{s:{s:s s:s} s:{s:s}}}", "type", "object", "properties", "as_of", "type", "string",
                          "format", "date", "label", "type", "string"), 1);
    set_response(o, "201", NULL);
  }
  /* Lists beside the collections: each takes limit and offset through the one list parser
   * (domain/list_query.c) and answers {items, total, limit, offset}. */
  static const struct {
    const char *path;
    int unit, kind;
  } pages[] = {{"/api/v1/campaigns/{id}/dashboard", 1, 0},  {"/api/v1/campaigns/{id}/stale-projects", 1, 0},
               {"/api/v1/campaigns/{id}/dashboard/ranking", 0, 2}, {"/api/v1/campaigns/{id}/dashboard/matrix", 0, 3},
               {"/api/v1/campaigns/{id}/certification-queue", 1, 1}, {"/api/v1/campaigns/{id}/duplicates", 0, 0},
               {"/api/v1/campaigns/{id}/snapshots", 0, 0},  {"/api/v1/campaigns/{id}/target-gaps", 0, 0},
               {"/api/v1/jobs", 0, 0},                        {"/api/v1/weekly-reports/{id}/instructions", 0, 0},
               {"/api/v1/bulletins/{id}/instructions", 0, 0}};
  for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
    if (!(o = operation(paths, pages[i].path, "get"))) continue;
    add_params(o, json_pack("[{s:s s:s s:{s:s s:i s:i s:i}}, {s:s s:s s:{s:s s:i s:i}}]", "name", "limit", "in", "query",
                            "schema", "type", "integer", "minimum", 1, "maximum", LIST_LIMIT_MAX, "default",
                            LIST_LIMIT_DEFAULT, "name", "offset", "in", "query", "schema", "type", "integer", "minimum",
                            0, "default", 0));
    if (pages[i].unit)
      add_params(o, json_pack("[{s:s s:s s:s s:{s:s}}]", "name", "unit_id", "in", "query", "description", "只看此单位",
                              "schema", "type", "integer"));
    if (pages[i].kind >= 2) { /* the dashboard's unit tables */
      json_t *sorts = json_array(), *statuses = json_array();
      const char *const *keys = pages[i].kind == 2 ? figure_views_ranking_sorts : figure_views_matrix_sorts;
      for (int k = 0; keys[k]; k++) {
        json_array_append_new(sorts, json_string(keys[k]));
        json_array_append_new(sorts, json_sprintf("-%s", keys[k]));
      }
      for (int k = 0; figure_views_statuses[k]; k++) json_array_append_new(statuses, json_string(figure_views_statuses[k]));
      add_params(o, json_pack("[{s:s s:s s:s s:{s:s s:o}}, {s:s s:s s:s s:{s:s s:o}}, {s:s s:s s:s s:b s:{s:s s:{s:s s:o}}}]",
                              "name", "sort", "in", "query", "description", "排序键，前加 - 为倒序；默认按名次",
                              "schema", "type", "string", "enum", sorts,
                              "name", "category", "in", "query", "description", "只看此类别的单位", "schema", "type",
                              "string", "enum", unit_category_codes(),
                              "name", "status", "in", "query", "description", "只看这些状态的单位（可给多次）", "explode", 1,
                              "schema", "type", "array", "items", "type", "string", "enum", statuses));
    } else if (pages[i].kind)
      add_params(o, json_pack("[{s:s s:s s:s s:{s:s s:[s,s]}}]", "name", "kind", "in", "query", "description",
                              "只看此类记录", "schema", "type", "string", "enum", "stage_change", "fund"));
    /* The dashboard is one object whose lists page; the others are a page themselves. */
    if (!strcmp(pages[i].path, "/api/v1/campaigns/{id}/dashboard")) continue;
    json_t *ok = json_object_get(json_object_get(o, "responses"), "200");
    json_object_set_new(ok, "content",
                        json_pack("{s:{s:{s:s s:{s:{s:s s:{s:s}} s:{s:s} s:{s:s} s:{s:s}}}}}", "application/json",
                                  "schema", "type", "object", "properties", "items", "type", "array", "items", "type",
                                  "object", "total", "type", "integer", "limit", "type", "integer", "offset", "type",
                                  "integer"));
  }
  if ((o = operation(paths, "/api/v1/import-templates/{name}", "get")))
    add_params(o, json_pack("[{s:s s:s s:s s:{s:s s:[s,s] s:s}}]", "name", "lang", "in", "query", "description",
                            "表头语言：zh 中文列名（默认），en 英文字段名", "schema", "type", "string", "enum", "zh", "en",
                            "default", "zh"));
  /* The ranking's exports take the ranking table's parameters, every row (no limit/offset). */
  json_t *table = operation(paths, "/api/v1/campaigns/{id}/dashboard/ranking", "get"), *p;
  size_t k;
  for (const char *const *x = (const char *const[]){"xlsx", "csv", NULL}; *x; x++) {
    char path[80];
    snprintf(path, sizeof path, "/api/v1/campaigns/{id}/ranking/export.%s", *x);
    if (!table || !(o = operation(paths, path, "get"))) continue;
    json_array_foreach(json_object_get(table, "parameters"), k, p) {
      const char *name = json_string_value(json_object_get(p, "name")), *in = json_string_value(json_object_get(p, "in"));
      if (!strcmp(in, "query") && strcmp(name, "limit") && strcmp(name, "offset")) add_params(o, json_pack("[O]", p));
    }
  }
  if ((o = operation(paths, "/api/v1/enums", "get")))
    set_response(o, "200",
                 json_pack("{s:s s:s s:{s:s s:{s:s s:{s:{s:s} s:{s:s}} s:[s,s]}}}", "type", "object", "description",
                           "键为 <集合>.<字段>（如 projects.stage），值为该字段的取值及中文名称，按定义顺序",
                           "additionalProperties", "type", "array", "items", "type", "object", "properties", "code",
                           "type", "string", "label", "type", "string", "required", "code", "label"));
  if ((o = operation(paths, "/api/v1/projects/{id}/settle-duplicate", "post")))
    set_body(o, json_pack("{s:s s:{s:{s:s} s:{s:s}}}", "type", "object", "properties", "duplicate_of", "type", "integer",
                          "not_duplicate_of", "type", "integer"), 1);
}

json_t *openapi_document(void) {
  json_t *paths = json_object(), *schemas = json_object();
  json_object_set_new(schemas, "Error",
                      json_pack("{s:s s:{s:{s:s s:{s:{s:s} s:{s:s} s:{s:s}}}}}", "type", "object", "properties", "error",
                                "type", "object", "properties", "code", "type", "string", "message", "type", "string",
                                "fields", "type", "object"));
  for (int i = 0; resources[i]; i++) json_object_set_new(schemas, resources[i]->name, resource_schema(resources[i]));
  size_t n;
  const Route *routes = router_routes(&n);
  for (size_t i = 0; i < n; i++) {
    const Route *r = &routes[i];
    if (r->flags & R_RESOURCE) resource_ops(paths, r);
    else if (r->names)
      for (const char *const *c = r->names; *c; c++) route_op(paths, r, *c);
    else route_op(paths, r, NULL);
  }
  details(paths);
  return json_pack("{s:s s:{s:s s:s s:s} s:o s:{s:o s:{s:{s:s s:s s:s} s:{s:s s:s}}} s:[{s:[]},{s:[]}]}", "openapi",
                   "3.0.3", "info", "title", "huizhan 会战 API", "version", HZ_VERSION, "description",
                   "招商引资百日会战指挥平台 JSON API。每个操作的 x-roles 列出可调用的角色，x-max-body-bytes 为请求体上限；"
                   "GET /api/v1/me 的 capabilities 按同一张路由表给出当前用户可执行的操作。",
                   "paths", paths, "components", "schemas", schemas, "securitySchemes", "cookie", "type", "apiKey", "in",
                   "cookie", "name", "hz_session", "bearer", "type", "http", "scheme", "bearer", "security", "cookie",
                   "bearer");
}
