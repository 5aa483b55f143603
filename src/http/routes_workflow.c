/* Actions of the campaign's working rhythm: weekly reports, coordination items,
 * bulletins, instructions, checkpoint evaluation and proposals, team rosters, jobs. */
#include "domain/bulletin.h"
#include "domain/coordination.h"
#include "domain/jobs.h"
#include "domain/roster.h"
#include "domain/rules.h"
#include "domain/weekly.h"
#include "http/routes.h"
#include "util/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads an optional JSON body (an empty body is an empty object). */
static int optional_body(Request *rq, json_t **body, HzErr *e) {
  if (!rq->body.len) {
    *body = json_object();
    return HZ_OK;
  }
  return request_json(rq, body, e);
}

typedef int (*BodyAction)(Db *db, const Actor *a, int64_t id, json_t *body, json_t **out, HzErr *e);

static int act(Request *rq, Response *rs, HzErr *e, BodyAction fn, int status) {
  json_t *body = NULL, *out = NULL;
  int rc = optional_body(rq, &body, e);
  if (!rc) rc = fn(rq->db, &rq->actor, rq->ids[0], body, &out, e);
  json_decref(body);
  if (!rc) response_json(rs, status, out);
  return rc;
}

static int submit(Db *db, const Actor *a, int64_t id, json_t *body, json_t **out, HzErr *e) {
  if (json_object_size(body)) return hz_fail(e, HZ_EINVAL, "body", "提交周报不需要请求体");
  return weekly_submit(db, a, id, out, e);
}
static int remind(Db *db, const Actor *a, int64_t id, json_t *body, json_t **out, HzErr *e) {
  if (json_object_size(body)) return hz_fail(e, HZ_EINVAL, "body", "催办不需要请求体");
  return coordination_remind(db, a, id, out, e);
}
static int publish(Db *db, const Actor *a, int64_t id, json_t *body, json_t **out, HzErr *e) {
  if (json_object_size(body)) return hz_fail(e, HZ_EINVAL, "body", "发布不需要请求体");
  return bulletin_publish(db, a, id, out, e);
}
static int evaluate(Db *db, const Actor *a, int64_t id, json_t *body, json_t **out, HzErr *e) {
  if (json_object_size(body)) return hz_fail(e, HZ_EINVAL, "body", "评估不需要请求体");
  return rules_evaluate_checkpoint(db, a, id, out, e);
}
static int approve(Db *db, const Actor *a, int64_t id, json_t *body, json_t **out, HzErr *e) {
  return rules_decide(db, a, id, 1, body, out, e);
}
static int dismiss(Db *db, const Actor *a, int64_t id, json_t *body, json_t **out, HzErr *e) {
  return rules_decide(db, a, id, 0, body, out, e);
}
static int report_instruct(Db *db, const Actor *a, int64_t id, json_t *body, json_t **out, HzErr *e) {
  return instruction_add(db, a, "weekly_report_id", id, body, out, e);
}
static int bulletin_instruct(Db *db, const Actor *a, int64_t id, json_t *body, json_t **out, HzErr *e) {
  return instruction_add(db, a, "bulletin_id", id, body, out, e);
}
static int generate(Db *db, const Actor *a, int64_t id, json_t *body, json_t **out, HzErr *e) {
  return bulletin_generate(db, a, id, body, out, e);
}

int route_report_submit(Request *rq, Response *rs, HzErr *e) { return act(rq, rs, e, submit, 200); }
int route_report_review(Request *rq, Response *rs, HzErr *e) { return act(rq, rs, e, weekly_review, 200); }
int route_report_instruct(Request *rq, Response *rs, HzErr *e) { return act(rq, rs, e, report_instruct, 201); }
int route_item_advance(Request *rq, Response *rs, HzErr *e) { return act(rq, rs, e, coordination_advance, 200); }
int route_item_remind(Request *rq, Response *rs, HzErr *e) { return act(rq, rs, e, remind, 200); }
int route_bulletin_generate(Request *rq, Response *rs, HzErr *e) { return act(rq, rs, e, generate, 201); }
int route_bulletin_publish(Request *rq, Response *rs, HzErr *e) { return act(rq, rs, e, publish, 200); }
int route_bulletin_instruct(Request *rq, Response *rs, HzErr *e) { return act(rq, rs, e, bulletin_instruct, 201); }
int route_checkpoint_evaluate(Request *rq, Response *rs, HzErr *e) { return act(rq, rs, e, evaluate, 200); }
int route_proposal_approve(Request *rq, Response *rs, HzErr *e) { return act(rq, rs, e, approve, 200); }
int route_proposal_dismiss(Request *rq, Response *rs, HzErr *e) { return act(rq, rs, e, dismiss, 200); }

static int no_query(Request *rq, const char *const *allowed, HzErr *e) {
  const char *k;
  json_t *v;
  json_object_foreach(rq->query, k, v) {
    int ok = 0;
    for (int i = 0; allowed && allowed[i]; i++) ok |= !strcmp(k, allowed[i]);
    if (!ok) return hz_fail(e, HZ_EINVAL, k, "不支持的查询参数“%s”", k);
  }
  return HZ_OK;
}

static int reply(Response *rs, int rc, json_t *out) {
  if (!rc) response_json(rs, 200, out);
  return rc;
}

int route_report_instructions(Request *rq, Response *rs, HzErr *e) {
  json_t *out = NULL;
  int rc = instruction_list(rq->db, &rq->actor, "weekly_report_id", rq->ids[0], rq->query, &out, e);
  return reply(rs, rc, out);
}

int route_bulletin_instructions(Request *rq, Response *rs, HzErr *e) {
  json_t *out = NULL;
  int rc = instruction_list(rq->db, &rq->actor, "bulletin_id", rq->ids[0], rq->query, &out, e);
  return reply(rs, rc, out);
}

int route_report_status(Request *rq, Response *rs, HzErr *e) {
  static const char *const allowed[] = {"week", NULL};
  int64_t week = 0;
  const char *w = request_query(rq, "week");
  int rc = no_query(rq, allowed, e);
  if (!rc && w && (parse_int64(w, &week) || week < 1 || week > 100)) rc = hz_fail(e, HZ_EINVAL, "week", "week 应为正整数");
  json_t *out = NULL;
  if (!rc) rc = weekly_status(rq->db, rq->ids[0], (int)week, &out, e);
  return reply(rs, rc, out);
}

int route_bulletin_print(Request *rq, Response *rs, HzErr *e) {
  char *html = NULL;
  int rc = no_query(rq, NULL, e);
  if (!rc) rc = bulletin_print(rq->db, &rq->actor, rq->ids[0], &html, e);
  if (!rc) response_take(rs, 200, "text/html; charset=utf-8", html, strlen(html));
  return rc;
}

/* Content-Disposition for a download named in Chinese: an ASCII fallback and the real
 * name as RFC 5987 filename* (UTF-8, percent-encoded), which every current browser uses. */
static void attachment(Response *rs, const char *fallback, const char *name) {
  static const char attr[] = "!#$&+-.^_`|~";
  Buf b;
  buf_init(&b, 1500);
  buf_printf(&b, "attachment; filename=\"%s\"; filename*=UTF-8''", fallback);
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr(attr, *p))
      buf_append(&b, p, 1);
    else buf_printf(&b, "%%%02X", *p);
  }
  if (b.data) response_header(rs, "Content-Disposition", b.data);
  buf_free(&b);
}

static int bulletin_document(Request *rq, Response *rs, BulletinFormat f, HzErr *e) {
  char *data = NULL, *name = NULL;
  size_t len = 0;
  int rc = no_query(rq, NULL, e);
  if (!rc) rc = bulletin_render(rq->db, &rq->actor, rq->ids[0], f, &data, &len, &name, e);
  if (!rc) {
    const char *ext = f == BULLETIN_PDF ? "pdf" : "xlsx";
    char fallback[64];
    /* The ASCII name carries the issue number too: 通报第3期（草稿）.pdf -> bulletin-3-draft.pdf */
    const char *n = strstr(name, "第");
    long long number = n ? strtoll(n + strlen("第"), NULL, 10) : 0;
    snprintf(fallback, sizeof fallback, "bulletin-%lld%s.%s", number, strstr(name, "草稿") ? "-draft" : "", ext);
    response_take(rs, 200,
                  f == BULLETIN_PDF ? "application/pdf"
                                    : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  data, len);
    attachment(rs, fallback, name);
  }
  free(name);
  return rc;
}

int route_bulletin_pdf(Request *rq, Response *rs, HzErr *e) { return bulletin_document(rq, rs, BULLETIN_PDF, e); }
int route_bulletin_xlsx(Request *rq, Response *rs, HzErr *e) { return bulletin_document(rq, rs, BULLETIN_XLSX, e); }

int route_checkpoint_warning(Request *rq, Response *rs, HzErr *e) {
  json_t *out = NULL;
  int rc = no_query(rq, NULL, e);
  if (!rc) rc = rules_early_warning(rq->db, &rq->actor, rq->ids[0], &out, e);
  return reply(rs, rc, out);
}

int route_team_roster(Request *rq, Response *rs, HzErr *e) {
  static const char *const allowed[] = {"from", "to", NULL};
  json_t *out = NULL;
  int rc = no_query(rq, allowed, e);
  if (!rc) rc = roster_review(rq->db, &rq->actor, rq->ids[0], request_query(rq, "from"), request_query(rq, "to"), &out, e);
  return reply(rs, rc, out);
}

int route_jobs_list(Request *rq, Response *rs, HzErr *e) {
  json_t *out = NULL;
  int rc = jobs_list(rq->db, rq->query, &out, e);
  return reply(rs, rc, out);
}

int route_job_update(Request *rq, Response *rs, HzErr *e) {
  json_t *body = NULL, *out = NULL;
  int rc = request_json(rq, &body, e);
  if (!rc) rc = jobs_update(rq->db, &rq->actor, rq->names[0], body, &out, e);
  json_decref(body);
  return reply(rs, rc, out);
}

int route_job_run(Request *rq, Response *rs, HzErr *e) {
  json_t *out = NULL;
  int rc = jobs_run(rq->db, &rq->actor, rq->names[0], &out, e);
  return reply(rs, rc, out);
}
