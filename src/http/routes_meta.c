/* What is served without logging in: /health, /metrics, the OpenAPI document, the login
 * page's demo hint. (The web app itself is in assets.c.) */
#include "http/openapi.h"
#include "http/routes.h"
#include "http/server.h"
#include "domain/audit_log.h"
#include "domain/progress.h"
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
  int64_t v = 0;
  int rc = db_query_int(rq->db, "SELECT 1", &v, e);
  if (rc || v != 1) return hz_fail(e, HZ_EBUSY, NULL, "数据库不可用");
  char today[DATE_LEN];
  date_format(date_today(), today);
  response_json(rs, 200, json_pack("{s:s s:s s:s s:i}", "status", "ok", "version", HZ_VERSION, "today", today,
                                   "schema", db_schema_version(rq->db)));
  return HZ_OK;
}

int route_metrics(Request *rq, Response *rs, HzErr *e) {
  ServerStats st;
  server_stats(&st);
  Buf b;
  buf_init(&b, 0);
  buf_puts(&b, "# HELP huizhan_http_requests_total HTTP responses sent, by status class.\n"
               "# TYPE huizhan_http_requests_total counter\n");
  for (int c = 1; c < 6; c++) buf_printf(&b, "huizhan_http_requests_total{code=\"%dxx\"} %lu\n", c, st.requests[c]);
  buf_printf(&b,
             "# HELP huizhan_http_request_seconds_total Time spent answering requests.\n"
             "# TYPE huizhan_http_request_seconds_total counter\nhuizhan_http_request_seconds_total %.6f\n"
             "# HELP huizhan_uptime_seconds Seconds since the server started.\n"
             "# TYPE huizhan_uptime_seconds gauge\nhuizhan_uptime_seconds %.3f\n"
             "# HELP huizhan_data_revision Data revision: bumped by every audited write.\n"
             "# TYPE huizhan_data_revision counter\nhuizhan_data_revision %lld\n"
             "# HELP huizhan_build_info Build information.\n"
             "# TYPE huizhan_build_info gauge\nhuizhan_build_info{version=\"%s\"} 1\n",
             st.seconds_total, time_monotonic() - st.started, (long long)audit_log_revision(rq->db), HZ_VERSION);
  int64_t loads, patches, hits;
  board_stats(&loads, &patches, &hits);
  buf_printf(&b,
             "# HELP huizhan_board_computations_total Boards asked for by the figures views: computed from"
             " the unit sums (full), brought up to date by reading again the units written since (patch),"
             " or kept and current (kept).\n"
             "# TYPE huizhan_board_computations_total counter\n"
             "huizhan_board_computations_total{how=\"full\"} %lld\n"
             "huizhan_board_computations_total{how=\"patch\"} %lld\n"
             "huizhan_board_computations_total{how=\"kept\"} %lld\n",
             (long long)loads, (long long)patches, (long long)hits);
  size_t len = b.len;
  response_take(rs, 200, "text/plain; version=0.0.4; charset=utf-8", buf_take(&b), len);
  return HZ_OK;
}

int route_openapi(Request *rq, Response *rs, HzErr *e) {
  response_json(rs, 200, openapi_document());
  return HZ_OK;
}
