/* Logging in and out (SPEC §8): POST/DELETE /api/v1/session, GET /api/v1/me. */
#include "domain/auth.h"
#include "domain/notice.h"
#include "domain/security.h"
#include "http/router.h"
#include "http/routes.h"
#include "util/text.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* must_change_password: "first_login" (a generated or reset password), "expired", or
 * false; while it is not false the API takes nothing but a password change. */
static json_t *user_json(const Actor *a) {
  return json_pack("{s:I s:s s:s s:s s:o s:o}", "id", (json_int_t)a->id, "login", a->login, "name", a->name, "role",
                   role_name(a->role), "unit_id", a->unit_id ? json_integer(a->unit_id) : json_null(),
                   "must_change_password",
                   a->must_change == 1   ? json_string("first_login")
                   : a->must_change == 2 ? json_string("expired")
                                         : json_false());
}

int route_session_create(Request *rq, Response *rs, HzErr *e) {
  json_t *body = NULL;
  int rc = request_json(rq, &body, e);
  if (rc) return rc;
  const char *login = json_string_value(json_object_get(body, "login"));
  const char *password = json_string_value(json_object_get(body, "password"));
  if (!login || !*login) hz_err_field(e, "login", "必填");
  if (!password || !*password) hz_err_field(e, "password", "必填");
  if (!login || !*login || !password || !*password) {
    json_decref(body);
    return hz_fail(e, HZ_EINVAL, NULL, "请输入登录名和密码");
  }
  Actor a;
  char token[TOKEN_LEN], csrf[TOKEN_LEN];
  int lifetime = 0;
  rc = auth_login(rq->db, login, password, request_address(rq), &a, token, csrf, &lifetime, e);
  json_decref(body);
  if (rc) return rc;
  char cookie[200];
  snprintf(cookie, sizeof cookie, "hz_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token, lifetime,
           rq->tls ? "; Secure" : "");
  response_json(rs, 200, json_pack("{s:o s:s}", "user", user_json(&a), "csrf_token", csrf));
  response_header(rs, "Set-Cookie", cookie);
  return HZ_OK;
}

int route_session_delete(Request *rq, Response *rs, HzErr *e) {
  int rc = HZ_OK;
  if (rq->via_cookie) rc = auth_logout(rq->db, &rq->actor, rq->session_token, e);
  if (rc) return rc;
  response_take(rs, 204, "application/json; charset=utf-8", NULL, 0);
  response_header(rs, "Set-Cookie", "hz_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  return HZ_OK;
}

int route_me(Request *rq, Response *rs, HzErr *e) {
  json_t *u = user_json(&rq->actor);
  if (rq->via_cookie) json_object_set_new(u, "csrf_token", json_string(rq->csrf));
  json_object_set_new(u, "capabilities", router_capabilities(rq->actor.role, rq->actor.separated));
  json_object_set_new(u, "separation_of_duties", json_boolean(rq->actor.separated));
  int64_t seen = 0;
  json_t *last = NULL;
  int rc = notice_seen_get(rq->db, &rq->actor, &seen, e);
  if (!rc) rc = auth_last_login(rq->db, &rq->actor, rq->via_cookie, &last, e);
  if (rc) {
    json_decref(u);
    return rc;
  }
  json_object_set_new(u, "last_login", last);
  json_object_set_new(u, "notifications_seen", json_integer(seen));
  response_json(rs, 200, u);
  return HZ_OK;
}

/* API tokens (admin): the list never holds a token; the clear token is in the create
 * answer only, once. */
int route_tokens_list(Request *rq, Response *rs, HzErr *e) {
  json_t *items = NULL;
  int rc = auth_token_list(rq->db, &items, e);
  if (rc) return rc;
  size_t n = json_array_size(items);
  response_json(rs, 200, json_pack("{s:o s:I s:I s:I}", "items", items, "total", (json_int_t)n, "limit",
                                   (json_int_t)n, "offset", (json_int_t)0));
  return HZ_OK;
}

int route_token_create(Request *rq, Response *rs, HzErr *e) {
  json_t *body = NULL;
  int rc = request_json(rq, &body, e);
  if (rc) return rc;
  const char *login = json_string_value(json_object_get(body, "login"));
  const char *name = json_string_value(json_object_get(body, "name"));
  if (!login || !*login) hz_err_field(e, "login", "必填");
  if (!name || !*name) hz_err_field(e, "name", "必填");
  else if (strlen(name) > 200) hz_err_field(e, "name", "不超过 200 字节");
  if (!login || !*login || !name || !*name || strlen(name) > 200) {
    rc = hz_fail(e, HZ_EINVAL, NULL, "请填写令牌用户和名称");
    goto done;
  }
  char token[TOKEN_LEN];
  int64_t id = 0;
  rc = auth_token_create(rq->db, &rq->actor, login, name, token, &id, e);
  if (rc == HZ_ENOTFOUND) rc = hz_fail(e, HZ_EINVAL, "login", "用户 %s 不存在", login);
  if (!rc)
    response_json(rs, 201, json_pack("{s:I s:s s:s s:s}", "id", (json_int_t)id, "name", name, "login", login, "token",
                                     token));
done:
  json_decref(body);
  return rc;
}

int route_token_revoke(Request *rq, Response *rs, HzErr *e) {
  int rc = auth_token_revoke(rq->db, &rq->actor, rq->ids[0], e);
  if (!rc) response_take(rs, 204, "application/json; charset=utf-8", NULL, 0);
  return rc;
}

int route_notifications_seen(Request *rq, Response *rs, HzErr *e) {
  json_t *body = NULL, *out = NULL;
  int rc = request_json(rq, &body, e);
  if (!rc) rc = notice_seen_set(rq->db, &rq->actor, body, &out, e);
  json_decref(body);
  if (!rc) response_json(rs, 200, out);
  return rc;
}

int route_password_change(Request *rq, Response *rs, HzErr *e) {
  json_t *body = NULL;
  int rc = request_json(rq, &body, e);
  if (rc) return rc;
  json_t *cur = json_object_get(body, "current_password"), *pw = json_object_get(body, "new_password");
  if (cur && !json_is_string(cur)) rc = hz_fail_more(e, HZ_EINVAL, "current_password", "应为文本");
  if (pw && !json_is_string(pw)) rc = hz_fail_more(e, HZ_EINVAL, "new_password", "应为文本");
  if (!rc)
    rc = auth_change_own_password(rq->db, &rq->actor, rq->via_cookie ? rq->session_token : NULL,
                                  json_string_value(cur), json_string_value(pw), e);
  json_decref(body);
  if (!rc) response_take(rs, 204, "application/json; charset=utf-8", NULL, 0);
  return rc;
}

/* A bounded integer query parameter: absent -> def; HZ_EINVAL naming it otherwise. */
static int query_int(Request *rq, const char *name, int64_t def, int64_t min, int64_t max, int64_t *out, HzErr *e) {
  const char *v = request_query(rq, name);
  *out = def;
  if (!v) return HZ_OK;
  if (parse_int64(v, out) || *out < min || *out > max)
    return hz_fail(e, HZ_EINVAL, name, "%s 应为 %lld 到 %lld 之间的整数", name, (long long)min, (long long)max);
  return HZ_OK;
}

int route_login_events(Request *rq, Response *rs, HzErr *e) {
  static const char *const outcomes[] = {"ok", "bad_credentials", "disabled", "rate_limited", NULL};
  int64_t limit, offset;
  int rc = query_int(rq, "limit", 50, 1, 500, &limit, e);
  if (!rc) rc = query_int(rq, "offset", 0, 0, INT64_MAX, &offset, e);
  if (rc) return rc;
  const char *outcome = request_query(rq, "outcome");
  if (outcome) {
    int known = 0;
    for (int i = 0; outcomes[i]; i++) known |= !strcmp(outcomes[i], outcome);
    if (!known) return hz_fail(e, HZ_EINVAL, "outcome", "outcome 应为 ok、bad_credentials、disabled 或 rate_limited");
  }
  const char *key;
  json_t *v;
  json_object_foreach(rq->query, key, v) if (strcmp(key, "limit") && strcmp(key, "offset") && strcmp(key, "outcome") &&
                                             strcmp(key, "login") && strcmp(key, "address"))
      return hz_fail(e, HZ_EINVAL, key, "未知的查询参数“%s”（可用 login、outcome、address、limit、offset）", key);
  json_t *out = NULL;
  rc = auth_login_events(rq->db, request_query(rq, "login"), outcome, request_query(rq, "address"), limit, offset, &out, e);
  if (!rc) response_json(rs, 200, out);
  return rc;
}

int route_security_policy_get(Request *rq, Response *rs, HzErr *e) {
  SecurityPolicy p;
  int rc = security_policy_load(rq->db, &p, e);
  if (!rc) response_json(rs, 200, security_policy_json(&p));
  return rc;
}

int route_security_policy_update(Request *rq, Response *rs, HzErr *e) {
  json_t *body = NULL, *out = NULL;
  int rc = request_json(rq, &body, e);
  if (!rc) rc = security_policy_update(rq->db, &rq->actor, body, &out, e);
  json_decref(body);
  if (!rc) response_json(rs, 200, out);
  return rc;
}
