/* The generic collection routes: /api/v1/<collection>[/{id}] and nested
 * /api/v1/<parent>/{id}/<collection>, all served by domain/record.c. */
#include "domain/record.h"
#include "http/answer.h"
#include "http/routes.h"
#include "util/buf.h"
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

static int render_list(Request *rq, void *arg, json_t **out, HzErr *e) {
  return record_list(rq->db, &rq->actor, arg, 0, rq->query, out, e);
}

int route_records_list(Request *rq, Response *rs, HzErr *e) {
  const Resource *r;
  json_t *out = NULL;
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
    rc = answer_cached(rq, rs, key.data, render_list, (void *)r, 0, e);
    buf_free(&key);
    return rc;
  }
  rc = record_list(rq->db, &rq->actor, r, 0, rq->query, &out, e);
  return reply(rs, 200, rc, out);
}

int route_nested_list(Request *rq, Response *rs, HzErr *e) {
  const Resource *r;
  json_t *out = NULL;
  int rc = find_nested(rq, &r, e);
  if (!rc) rc = record_list(rq->db, &rq->actor, r, rq->ids[0], rq->query, &out, e);
  return reply(rs, 200, rc, out);
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

int route_record_delete(Request *rq, Response *rs, HzErr *e) {
  const Resource *r;
  int rc = find(rq->names[0], &r, e);
  if (!rc) rc = record_delete(rq->db, &rq->actor, r, rq->ids[0], e);
  if (!rc) response_take(rs, 204, "application/json; charset=utf-8", NULL, 0);
  return rc;
}
