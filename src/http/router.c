/* The route table and the checks every request passes before its handler: who is
 * calling (session cookie or bearer token), CSRF on cookie writes, and the roles the
 * route admits. Patterns: a literal segment, {id} (a positive integer) or {name}. */
#include "domain/auth.h"
#include "http/assets.h"
#include "http/http.h"
#include "http/routes.h"
#include "util/text.h"
#include <arpa/inet.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { R_PUBLIC = 1 << 0 }; /* no login needed */

typedef struct {
  const char *method;
  const char *pattern;
  Handler handler;
  unsigned flags;
  unsigned roles; /* 0 = any logged-in role (the handler or engine checks finer rules) */
} Route;

static const Route routes[] = {
  {"GET", "/", assets_serve, R_PUBLIC, 0},
  {"GET", "/health", route_health, R_PUBLIC, 0},
  {"GET", "/metrics", route_metrics, R_PUBLIC, 0},
  {"GET", "/api/v1/openapi.json", route_openapi, R_PUBLIC, 0},
  {"GET", "/api/v1/login-info", route_login_info, R_PUBLIC, 0},
  {"POST", "/api/v1/session", route_session_create, R_PUBLIC, 0},
  {"DELETE", "/api/v1/session", route_session_delete, 0, 0},
  {"GET", "/api/v1/me", route_me, 0, 0},
  {"GET", "/api/v1/audit", route_audit_list, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"GET", "/api/v1/audit/{id}", route_audit_get, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"POST", "/api/v1/{name}/{id}/certify", route_certify, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"POST", "/api/v1/{name}/{id}/reject", route_reject, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"GET", "/api/v1/campaigns/{id}/target-gaps", route_target_gaps, 0, 0},
  {"GET", "/api/v1/campaigns/{id}/dashboard", route_dashboard, 0, 0},
  {"GET", "/api/v1/campaigns/{id}/progress", route_progress, 0, 0},
  {"GET", "/api/v1/campaigns/{id}/ranking", route_ranking, 0, 0},
  {"GET", "/api/v1/campaigns/{id}/ranking/{id}", route_ranking_unit, 0, 0},
  {"GET", "/api/v1/campaigns/{id}/funnel", route_funnel, 0, 0},
  {"GET", "/api/v1/campaigns/{id}/forecast", route_forecast, 0, 0},
  {"GET", "/api/v1/campaigns/{id}/stale-projects", route_stale, 0, 0},
  {"GET", "/api/v1/campaigns/{id}/certification-queue", route_queue, 0, 0},
  {"GET", "/api/v1/campaigns/{id}/duplicates", route_duplicates, 0, 0},
  {"GET", "/api/v1/campaigns/{id}/settings", route_settings_get, 0, 0},
  {"PATCH", "/api/v1/campaigns/{id}/settings", route_settings_update, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"GET", "/api/v1/campaigns/{id}/snapshots", route_snapshots_list, 0, 0},
  {"POST", "/api/v1/campaigns/{id}/snapshots", route_snapshot_create, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"GET", "/api/v1/snapshots/{id}", route_snapshot_get, 0, 0},
  {"GET", "/api/v1/snapshots/{id}/diff", route_snapshot_diff, 0, 0},
  {"POST", "/api/v1/projects/{id}/settle-duplicate", route_settle_duplicate, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"POST", "/api/v1/weekly-reports/{id}/submit", route_report_submit, 0, 0},
  {"POST", "/api/v1/weekly-reports/{id}/review", route_report_review, 0, 0},
  {"GET", "/api/v1/weekly-reports/{id}/instructions", route_report_instructions, 0, 0},
  {"POST", "/api/v1/weekly-reports/{id}/instructions", route_report_instruct, 0, ROLE_LEADER | ROLE_ADMIN},
  {"GET", "/api/v1/campaigns/{id}/report-status", route_report_status, 0, 0},
  {"POST", "/api/v1/coordination-items/{id}/advance", route_item_advance, 0, 0},
  {"POST", "/api/v1/coordination-items/{id}/remind", route_item_remind, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"POST", "/api/v1/campaigns/{id}/bulletins", route_bulletin_generate, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"POST", "/api/v1/bulletins/{id}/publish", route_bulletin_publish, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"GET", "/api/v1/bulletins/{id}/print", route_bulletin_print, 0, 0},
  {"GET", "/api/v1/bulletins/{id}/instructions", route_bulletin_instructions, 0, 0},
  {"POST", "/api/v1/bulletins/{id}/instructions", route_bulletin_instruct, 0, ROLE_LEADER | ROLE_ADMIN},
  {"POST", "/api/v1/checkpoints/{id}/evaluate", route_checkpoint_evaluate, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"GET", "/api/v1/checkpoints/{id}/early-warning", route_checkpoint_warning, 0, 0},
  {"POST", "/api/v1/proposals/{id}/approve", route_proposal_approve, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"POST", "/api/v1/proposals/{id}/dismiss", route_proposal_dismiss, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"GET", "/api/v1/teams/{id}/roster", route_team_roster, 0, 0},
  {"GET", "/api/v1/jobs", route_jobs_list, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"PATCH", "/api/v1/jobs/{name}", route_job_update, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"POST", "/api/v1/jobs/{name}/run", route_job_run, 0, ROLE_ADMIN | ROLE_OFFICE},
  {"POST", "/api/v1/projects/{id}/attachments", route_attachment_upload, 0, 0},
  {"GET", "/api/v1/attachments/{id}/content", route_attachment_content, 0, 0},
  {"GET", "/api/v1/{name}", route_records_list, 0, 0},
  {"POST", "/api/v1/{name}", route_records_create, 0, 0},
  {"GET", "/api/v1/{name}/{id}", route_record_read, 0, 0},
  {"PATCH", "/api/v1/{name}/{id}", route_record_update, 0, 0},
  {"DELETE", "/api/v1/{name}/{id}", route_record_delete, 0, 0},
  {"GET", "/api/v1/{name}/{id}/{name}", route_nested_list, 0, 0},
  {"POST", "/api/v1/{name}/{id}/{name}", route_nested_create, 0, 0},
};
#define NROUTES (sizeof routes / sizeof routes[0])

/* 1 when the request path fits the pattern; fills rq->ids / rq->names. */
static int match(const char *pattern, Request *rq) {
  int seg = 0, nid = 0, nname = 0;
  const char *p = pattern;
  while (*p) {
    while (*p == '/') p++;
    if (!*p) break;
    const char *end = strchr(p, '/');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (seg >= rq->nsegs || rq->nsegs > PATH_SEGMENTS_MAX) return 0;
    const char *s = rq->segs[seg];
    if (n == 4 && !strncmp(p, "{id}", 4)) {
      int64_t v;
      if (parse_int64(s, &v) || v <= 0 || nid >= 2) return 0;
      rq->ids[nid++] = v;
    } else if (n == 6 && !strncmp(p, "{name}", 6)) {
      if (nname >= 2) return 0;
      rq->names[nname++] = s;
    } else if (strlen(s) != n || strncmp(p, s, n)) {
      return 0;
    }
    seg++;
    p += n;
  }
  return seg == rq->nsegs;
}

size_t router_body_limit(const char *method, const char *path) {
  size_t n = strlen(path);
  if (!strcmp(method, "POST") && n > 12 && !strcmp(path + n - 12, "/attachments")) return UPLOAD_BODY_MAX;
  return JSON_BODY_MAX;
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

void router_dispatch(Request *rq, Response *rs) {
  HzErr e = {0};
  int rc = HZ_OK, path_found = 0;
  const Route *route = NULL;
  for (size_t i = 0; i < NROUTES && !route; i++) {
    if (!match(routes[i].pattern, rq)) continue;
    path_found = 1;
    if (!strcmp(routes[i].method, rq->method) || (!strcmp(rq->method, "HEAD") && !strcmp(routes[i].method, "GET")))
      route = &routes[i];
  }
  /* Any other GET outside /api/ is the web app's: a file of the build or, for a route
   * of the app (/projects/123), index.html so deep links load. */
  if (!route && !path_found && (!strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD")) &&
      strcmp(rq->path, "/api") && strncmp(rq->path, "/api/", 5)) {
    rc = assets_serve(rq, rs, &e);
    goto done;
  }
  if (!route) {
    rc = path_found ? hz_fail(&e, HZ_EMETHOD, NULL, "不支持的请求方法 %s", rq->method)
                    : hz_fail(&e, HZ_ENOTFOUND, NULL, "没有这个地址：%s", rq->path);
    goto done;
  }
  if (rq->bad_query) {
    rc = hz_fail(&e, HZ_EMALFORMED, rq->bad_query_name, "查询参数“%s”不是合法的 UTF-8", rq->bad_query_name);
    goto done;
  }
  if (!(route->flags & R_PUBLIC)) {
    if ((rc = authenticate(rq, &e))) goto done;
    if (route->roles && !(route->roles & rq->actor.role)) {
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

const char *request_address(Request *rq) {
  if (rq->address[0]) return rq->address;
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  const struct sockaddr *sa = ci ? ci->client_addr : NULL;
  if (sa && sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, rq->address, sizeof rq->address);
  else if (sa && sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, rq->address, sizeof rq->address);
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

/* Names the field whose text holds the ill-formed bytes: parse a copy with them replaced
 * by U+FFFD and find the key (or the string value) that now carries one. */
static int invalid_utf8(Request *rq, HzErr *e) {
  Buf clean;
  buf_init(&clean, 0);
  utf8_sanitize(rq->body.data, rq->body.len, &clean);
  json_t *j = json_loadb(clean.data ? clean.data : "", clean.len, 0, NULL);
  const char *field = "body", *key;
  json_t *v;
  json_object_foreach(j, key, v) {
    if (strstr(key, "\xEF\xBF\xBD") || (json_is_string(v) && strstr(json_string_value(v), "\xEF\xBF\xBD"))) {
      field = key;
      break;
    }
  }
  hz_fail(e, HZ_EMALFORMED, field, "“%s”不是合法的 UTF-8 文本", field);
  json_decref(j);
  buf_free(&clean);
  return HZ_EMALFORMED;
}

/* True when a string anywhere in v holds a NUL character ("\u0000"). */
static int has_nul(json_t *v) {
  const char *key;
  json_t *x;
  size_t i;
  if (json_is_string(v)) return strlen(json_string_value(v)) != json_string_length(v);
  json_object_foreach(v, key, x) if (has_nul(x)) return 1;
  json_array_foreach(v, i, x) if (has_nul(x)) return 1;
  return 0;
}

/* Names the field whose number does not fit in 64 bits: parse again with integers read
 * as reals and find the one out of range. */
static int too_big_number(Request *rq, HzErr *e) {
  json_t *j = json_loadb(rq->body.data, rq->body.len, JSON_DECODE_INT_AS_REAL | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
  if (!json_is_object(j)) {
    json_decref(j);
    return hz_fail(e, HZ_EMALFORMED, "body", "请求体中的数值超出范围");
  }
  const char *key, *field = "body";
  json_t *v;
  json_object_foreach(j, key, v) if (json_is_real(v) && fabs(json_real_value(v)) >= 9223372036854775808.0) {
    field = key;
    break;
  }
  int rc = hz_fail(e, HZ_EINVAL, field, "“%s”的数值超出范围", field);
  json_decref(j);
  return rc;
}

int request_json(Request *rq, json_t **out, HzErr *e) {
  *out = NULL;
  const char *ct = request_header(rq, "Content-Type");
  if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' '))
    return hz_fail(e, HZ_EMEDIA, "Content-Type", "请求体须为 JSON（Content-Type: application/json）");
  if (!rq->body.len) return hz_fail(e, HZ_EMALFORMED, "body", "缺少请求体");
  if (!utf8_valid(rq->body.data, rq->body.len)) return invalid_utf8(rq, e);
  json_error_t jerr;
  /* NUL is accepted by the parser only to name the field that holds it. */
  json_t *j = json_loadb(rq->body.data, rq->body.len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
  if (!j && json_error_code(&jerr) == json_error_numeric_overflow) return too_big_number(rq, e);
  if (!j) return hz_fail(e, HZ_EMALFORMED, "body", "请求体不是合法的 JSON（第 %d 行第 %d 列：%s）", jerr.line, jerr.column, jerr.text);
  if (!json_is_object(j)) {
    json_decref(j);
    return hz_fail(e, HZ_EMALFORMED, "body", "请求体应为 JSON 对象");
  }
  const char *key;
  json_t *v;
  json_object_foreach(j, key, v) if (has_nul(v)) {
    hz_fail(e, HZ_EINVAL, key, "“%s”不能包含 NUL 字符", key);
    json_decref(j);
    return HZ_EINVAL;
  }
  *out = j;
  return HZ_OK;
}
