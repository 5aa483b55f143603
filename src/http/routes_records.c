/* The generic collection routes: /api/v1/<collection>[/{id}] and nested
 * /api/v1/<parent>/{id}/<collection>, all served by domain/record.c. */
#include "domain/record.h"
#include "http/answer.h"
#include "http/routes.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <stdlib.h>
#include <string.h>

static int find(const char *name, const Resource **r, HzErr *e) {
  *r = resource_find(name);
  return *r ? HZ_OK : hz_fail(e, HZ_ENOTFOUND, NULL, "没有这个集合：%s", name);
}

/* The nested collection must really live under that parent. */
static int find_nested(Request *rq, const Resource **r, HzErr *e) {
  int rc = find(rq->names[1], r, e);
  if (!rc && (!(*r)->parent || strcmp((*r)->parent, rq->names[0])))
    rc = hz_fail(e, HZ_ENOTFOUND, NULL, "%s 不在 %s 之下", rq->names[1], rq->names[0]);
  return rc;
}

static int reply(Response *rs, int status, int rc, json_t *out) {
  if (!rc) response_json(rs, status, out);
  return rc;
}

static int render_list(Request *rq, void *arg, char **text, size_t *len, HzErr *e) {
  return record_list_text(rq->db, &rq->actor, arg, 0, rq->query, text, len, e);
}

/* A list answered as its text, written straight from the rows (record_list_text). */
static int list_text(Request *rq, Response *rs, const Resource *r, int64_t parent_id, HzErr *e) {
  char *text = NULL;
  size_t len = 0;
  int rc = record_list_text(rq->db, &rq->actor, r, parent_id, rq->query, &text, &len, e);
  if (!rc) response_take(rs, 200, "application/json; charset=utf-8", text, len);
  return rc;
}

int route_records_list(Request *rq, Response *rs, HzErr *e) {
  const Resource *r;
  int rc = find(rq->names[0], &r, e);
  if (rc) return rc;
  if (r->cache_lists) {
    /* The same question from the same person on the same day, at the same revision,
     * has the same answer (coordination lights, say, move with the day). */
    Buf key;
    buf_init(&key, 0);
    char today[DATE_LEN];
    date_format(date_today(), today);
    buf_printf(&key, "%s|%lld|%s|", rq->path, (long long)rq->actor.id, today);
    /* The parameters as JSON: a repeated one is an array, and the text cannot be confused. */
    char *params = json_dumps(rq->query, JSON_COMPACT | JSON_SORT_KEYS);
    buf_puts(&key, params ? params : "");
    free(params);
    rc = answer_cached_text(rq, rs, key.data, render_list, (void *)r, e);
    buf_free(&key);
    return rc;
  }
  return list_text(rq, rs, r, 0, e);
}

int route_nested_list(Request *rq, Response *rs, HzErr *e) {
  const Resource *r;
  int rc = find_nested(rq, &r, e);
  return rc ? rc : list_text(rq, rs, r, rq->ids[0], e);
}

static int create(Request *rq, Response *rs, HzErr *e, const Resource *r, int64_t parent_id) {
  json_t *body = NULL, *out = NULL;
  int rc = request_json(rq, &body, e);
  if (!rc) rc = record_create(rq->db, &rq->actor, r, parent_id, body, &out, e);
  json_decref(body);
  return reply(rs, 201, rc, out);
}

int route_records_create(Request *rq, Response *rs, HzErr *e) {
  const Resource *r;
  int rc = find(rq->names[0], &r, e);
  return rc ? rc : create(rq, rs, e, r, 0);
}

int route_nested_create(Request *rq, Response *rs, HzErr *e) {
  const Resource *r;
  int rc = find_nested(rq, &r, e);
  return rc ? rc : create(rq, rs, e, r, rq->ids[0]);
}

int route_record_read(Request *rq, Response *rs, HzErr *e) {
  const Resource *r;
  json_t *out = NULL;
  int rc = find(rq->names[0], &r, e);
  if (!rc) rc = record_read(rq->db, &rq->actor, r, rq->ids[0], &out, e);
  return reply(rs, 200, rc, out);
}

int route_record_update(Request *rq, Response *rs, HzErr *e) {
  const Resource *r;
  json_t *body = NULL, *out = NULL;
  int rc = find(rq->names[0], &r, e);
  if (!rc) rc = request_json(rq, &body, e);
  if (!rc) rc = record_update(rq->db, &rq->actor, r, rq->ids[0], body, &out, e);
  json_decref(body);
  return reply(rs, 200, rc, out);
}

/* The version a DELETE was read at, from ?version=N or If-Match: "N" (or N); 0 when
 * neither is given. Both given must agree. */
static int delete_version(Request *rq, int64_t *version, HzErr *e) {
  const char *q = request_query(rq, "version"), *m = request_header(rq, "If-Match");
  int64_t vq = 0, vm = 0;
  *version = 0;
  if (q && (parse_int64(q, &vq) || vq < 1))
    return hz_fail(e, HZ_EINVAL, "version", "查询参数 version 应为正整数（读取到的版本）");
  if (m) {
    char tag[32];
    size_t n = strlen(m);
    if (n >= 2 && m[0] == '"' && m[n - 1] == '"') {
      m++;
      n -= 2;
    }
    if (n >= sizeof tag) n = sizeof tag - 1;
    memcpy(tag, m, n);
    tag[n] = 0;
    if (parse_int64(tag, &vm) || vm < 1)
      return hz_fail(e, HZ_EINVAL, "version", "If-Match 应为读取到的版本号，如 If-Match: \"3\"");
  }
  if (vq && vm && vq != vm)
    return hz_fail(e, HZ_EINVAL, "version", "查询参数 version（%lld）与 If-Match（%lld）不一致", (long long)vq,
                   (long long)vm);
  *version = vq ? vq : vm;
  return HZ_OK;
}

int route_record_delete(Request *rq, Response *rs, HzErr *e) {
  const Resource *r;
  int64_t version = 0;
  int rc = find(rq->names[0], &r, e);
  if (!rc) rc = delete_version(rq, &version, e);
  if (!rc) rc = record_delete(rq->db, &rq->actor, r, rq->ids[0], version, e);
  if (!rc) response_take(rs, 204, "application/json; charset=utf-8", NULL, 0);
  return rc;
}

/* GET /api/v1/enums: every enumerated field's codes with their zh-CN labels, keyed
 * "<collection>.<field>", from the tables the server validates with. */
int route_enums(Request *rq, Response *rs, HzErr *e) {
  json_t *out = json_object();
  for (int i = 0; resources[i]; i++)
    for (const Field *f = resources[i]->fields; f->name; f++) {
      if (f->type != FT_ENUM) continue;
      json_t *list = json_array();
      for (const Choice *c = f->choices; c->code; c++)
        json_array_append_new(list, json_pack("{s:s s:s}", "code", c->code, "label", c->label));
      char key[128];
      snprintf(key, sizeof key, "%s.%s", resources[i]->name, f->name);
      json_object_set_new(out, key, list);
    }
  response_json(rs, 200, out);
  return HZ_OK;
}
