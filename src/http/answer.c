#include "http/answer.h"
#include "http/cache.h"
#include "domain/audit_log.h"
#include "util/json_text.h"
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Answers being rendered now. Right after a write every reader of a board asks for the
 * new revision at once; the first renders it, the others wait for its answer instead of
 * each rendering the same megabytes of JSON again (and starving the other requests). */
#define FLIGHTS 16
#define FLIGHT_WAIT_S 30 /* a waiter gives up and renders on its own after this */
static struct {
  char *key; /* NULL: free */
  int64_t rev;
} flights[FLIGHTS];
static pthread_mutex_t flight_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flight_done = PTHREAD_COND_INITIALIZER;

static int flight_find(const char *key, int64_t rev) {
  for (int i = 0; i < FLIGHTS; i++)
    if (flights[i].key && flights[i].rev == rev && !strcmp(flights[i].key, key)) return i;
  return -1;
}

/* Either waits until another thread has rendered (key, rev) and returns -1, or claims the
 * rendering and returns the slot to pass to flight_land (-2: no slot free, render anyway). */
static int flight_take(const char *key, int64_t rev) {
  pthread_mutex_lock(&flight_lock);
  int i = flight_find(key, rev);
  if (i >= 0) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += FLIGHT_WAIT_S;
    while ((i = flight_find(key, rev)) >= 0)
      if (pthread_cond_timedwait(&flight_done, &flight_lock, &until)) break;
    pthread_mutex_unlock(&flight_lock);
    return -1;
  }
  for (i = 0; i < FLIGHTS && flights[i].key; i++) {}
  char *k = i < FLIGHTS ? strdup(key) : NULL;
  if (k) {
    flights[i].key = k;
    flights[i].rev = rev;
  }
  pthread_mutex_unlock(&flight_lock);
  return k ? i : -2;
}

static void flight_land(int i) {
  if (i < 0) return;
  pthread_mutex_lock(&flight_lock);
  free(flights[i].key);
  flights[i].key = NULL;
  pthread_cond_broadcast(&flight_done);
  pthread_mutex_unlock(&flight_lock);
}

/* Either render (a JSON value, written here) or render_text (the text itself) makes the answer. */
static int answer(Request *rq, Response *rs, const char *key, AnswerRender render, AnswerRenderText render_text,
                  void *arg, int trim, HzErr *e) {
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
    int flight = body ? -2 : flight_take(key, rev);
    if (!body && flight == -1) body = cache_get(key, rev); /* another thread rendered it (or gave up) */
    if (!body) {
      json_t *out = NULL;
      char *s = NULL;
      size_t len = 0;
      if (render_text ? !(rc = render_text(rq, arg, &s, &len, e)) : !(rc = render(rq, arg, &out, e))) {
        if (!render_text) s = json_text(out, &len);
        json_decref(out);
        /* A city's board is built from millions of small JSON values; give their pages
         * back to the system now rather than keep each worker's peak resident. */
        if (trim) malloc_trim(0);
        if (!s || !(body = cache_put_take(key, rev, s, len))) rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
      }
    }
    flight_land(flight);
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

int answer_cached(Request *rq, Response *rs, const char *key, AnswerRender render, void *arg, int trim, HzErr *e) {
  return answer(rq, rs, key, render, NULL, arg, trim, e);
}

int answer_cached_text(Request *rq, Response *rs, const char *key, AnswerRenderText render, void *arg, HzErr *e) {
  return answer(rq, rs, key, NULL, render, arg, 0, e);
}
