#include "http/answer.h"
#include "http/cache.h"
#include "domain/audit_log.h"
#include "util/json_text.h"
#include <malloc.h>
#include <stdio.h>
#include <string.h>

int answer_cached(Request *rq, Response *rs, const char *key, AnswerRender render, void *arg, int trim, HzErr *e) {
  int rc = HZ_OK;
  int64_t rev = audit_log_revision(rq->db);
  /* The gzip form is another representation, so it gets its own strong validator;
   * either one the client holds is current. */
  char etag[64], etag_gz[72];
  cache_etag(key, rev, etag);
  snprintf(etag_gz, sizeof etag_gz, "%.*s-gz\"", (int)strlen(etag) - 1, etag);
  /* A 304 only for an answer this view rendered (so its access was checked) and that is
   * still current; an ETag alone proves nothing, it is easy to guess. */
  const char *inm = request_header(rq, "If-None-Match");
  int gzipped = 0;
  CacheBody *body = cache_get(key, rev);
  if (body && inm && (!strcmp(inm, etag) || !strcmp(inm, etag_gz))) {
    cache_release(body);
    response_take(rs, 304, "application/json; charset=utf-8", NULL, 0);
    gzipped = !strcmp(inm, etag_gz);
  } else {
    if (!body) {
      json_t *out = NULL;
      if (!(rc = render(rq, arg, &out, e))) {
        size_t len = 0;
        char *s = json_text(out, &len);
        json_decref(out);
        /* A city's board is built from millions of small JSON values; give their pages
         * back to the system now rather than keep each worker's peak resident. */
        if (trim) malloc_trim(0);
        if (!s || !(body = cache_put_take(key, rev, s, len))) rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
      }
    }
    if (body) {
      size_t len;
      const char *bytes = cache_bytes(body, request_accepts_gzip(rq), &len, &gzipped);
      response_shared(rs, 200, "application/json; charset=utf-8", bytes, len, cache_release, body);
      if (gzipped) response_header(rs, "Content-Encoding", "gzip");
    }
  }
  if (!rc) {
    response_header(rs, "ETag", gzipped ? etag_gz : etag);
    response_header(rs, "Vary", "Accept-Encoding");
    response_header(rs, "Cache-Control", "private, no-cache");
  }
  return rc;
}
