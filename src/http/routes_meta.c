/* What is served without logging in: a landing page, /health, /metrics, the OpenAPI document. */
#include "http/openapi.h"
#include "http/routes.h"
#include "http/server.h"
#include "domain/audit_log.h"
#include "util/buf.h"
#include "util/timeutil.h"

static const char landing[] =
  "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
  "<title>huizhan 会战指挥平台</title></head><body style=\"font-family:sans-serif;max-width:40em;margin:3em auto\">"
  "<h1>huizhan 会战指挥平台</h1>"
  "<p>招商引资百日会战的指挥平台：目标任务、项目推进、资金到账、考核认定与通报排名。</p>"
  "<p>这是 huizhan 的服务端。网页界面尚在建设中；现在可以通过 JSON 接口使用全部功能。</p>"
  "<ul><li><a href=\"/api/v1/openapi.json\">接口说明（OpenAPI 3）</a></li>"
  "<li><a href=\"/health\">运行状态</a></li></ul>"
  "<p>登录：<code>POST /api/v1/session</code>，请求体 <code>{\"login\":\"…\",\"password\":\"…\"}</code>。</p>"
  "</body></html>";

int route_root(Request *rq, Response *rs, HzErr *e) {
  response_static(rs, 200, "text/html; charset=utf-8", landing, sizeof landing - 1);
  return HZ_OK;
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
  size_t len = b.len;
  response_take(rs, 200, "text/plain; version=0.0.4; charset=utf-8", buf_take(&b), len);
  return HZ_OK;
}

int route_openapi(Request *rq, Response *rs, HzErr *e) {
  response_json(rs, 200, openapi_document());
  return HZ_OK;
}
