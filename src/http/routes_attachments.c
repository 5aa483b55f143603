/* Upload (the request body is the file itself) and download of attachments. */
#include "domain/attachment.h"
#include "http/routes.h"
#include "util/buf.h"
#include "util/text.h"
#include <stdio.h>
#include <string.h>

int route_attachment_upload(Request *rq, Response *rs, HzErr *e) {
  const char *link_field = NULL;
  int64_t link_id = 0;
  static const char *const links[] = {"stage_change_id", "fund_id"};
  const char *key;
  json_t *v;
  json_object_foreach(rq->query, key, v) {
    if (!strcmp(key, "filename")) continue;
    int known = 0;
    for (int i = 0; i < 2; i++)
      if (!strcmp(key, links[i])) {
        known = 1;
        if (link_field) return hz_fail(e, HZ_EINVAL, key, "附件只能关联一条记录");
        if (parse_int64(json_string_value(v), &link_id) || link_id <= 0)
          return hz_fail(e, HZ_EINVAL, key, "应为记录编号（正整数）");
        link_field = links[i];
      }
    if (!known) return hz_fail(e, HZ_EINVAL, key, "不支持的查询参数“%s”", key);
  }
  json_t *out = NULL;
  int rc = attachment_upload(rq->db, &rq->actor, rq->ids[0], request_query(rq, "filename"),
                             request_header(rq, "Content-Type"), rq->body.data, rq->body.len, link_field, link_id,
                             &out, e);
  if (!rc) response_json(rs, 201, out);
  return rc;
}

int route_attachment_content(Request *rq, Response *rs, HzErr *e) {
  json_t *rec = NULL;
  void *data = NULL;
  size_t n = 0;
  int rc = attachment_content(rq->db, &rq->actor, rq->ids[0], &rec, &data, &n, e);
  if (rc) return rc;
  const char *ct = attachment_type(json_string_value(json_object_get(rec, "content_type")));
  if (!ct) ct = "application/octet-stream";
  response_take(rs, 200, ct, data, n);
  response_attachment(rs, json_string_value(json_object_get(rec, "filename")));
  response_header(rs, "Cache-Control", "private, max-age=3600");
  json_decref(rec);
  return HZ_OK;
}
