/* What is served without logging in: /health, /metrics, the OpenAPI document, the login
 * page's demo hint. (The web app itself is in assets.c.) */
#include "http/metrics.h"
#include "http/openapi.h"
#include "http/routes.h"
#include "http/server.h"
#include "domain/audit_log.h"
#include "domain/auth.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include <string.h>

/* The login page's hint: on a database made by `huizhan demo`, its password and a few of
 * its accounts; elsewhere {"demo": false}. */
int route_login_info(Request *rq, Response *rs, HzErr *e) {
  json_t *j = NULL;
  int rc = auth_login_info(rq->db, &j, e);
  if (!rc) response_json(rs, 200, j);
  return rc;
}

int route_health(Request *rq, Response *rs, HzErr *e) {
  /* A keep-alive health check still reaches a draining instance: it is to be taken out. */
  if (server_draining()) return hz_fail(e, HZ_EBUSY, NULL, "正在停止服务");
  HzErr why = {0};
  if (db_ping(rq->db, &why)) {
    /* 503 and the reason, so a load balancer takes this instance out and a person sees why. */
    int rc = hz_fail(e, HZ_EBUSY, "db", "数据库不可用：%s", why.message);
    hz_err_clear(&why);
    return rc;
  }
  char today[DATE_LEN];
  date_format(date_today(), today);
  response_json(rs, 200, json_pack("{s:s s:s s:s s:s s:i}", "status", "ok", "db", "ok", "version", HZ_VERSION, "today",
                                   today, "schema", db_schema_version(rq->db)));
  return HZ_OK;
}

int route_metrics(Request *rq, Response *rs, HzErr *e) {
  Buf b;
  buf_init(&b, 0);
  int rc = metrics_render(rq->db, &b, e);
  if (rc) {
    buf_free(&b);
    return rc;
  }
  size_t len = b.len;
  response_take(rs, 200, "text/plain; version=0.0.4; charset=utf-8", buf_take(&b), len);
  return HZ_OK;
}

int route_openapi(Request *rq, Response *rs, HzErr *e) {
  response_json(rs, 200, openapi_document());
  return HZ_OK;
}
