/* /metrics: the counters behind it and their Prometheus text. Each answer adds to three
 * relaxed atomics of its route (the status's count, a latency bucket, the latency sum);
 * a scrape reads them all and makes the buckets cumulative. */
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "domain/audit_log.h"
#include "domain/jobs.h"
#include "domain/progress.h"
#include "domain/stale_cache.h"
#include "util/counter.h"
#include "util/timeutil.h"
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define ROUTES_MAX 160 /* > the route table's size; route_no past it counts as unmatched */

/* The statuses huizhan answers; any other is counted under its class's first ("other"). */
static const int statuses[] = {200, 201, 202, 204, 206, 301, 302, 304, 400, 401, 403, 404, 405, 409,
                               410, 413, 414, 415, 422, 429, 431, 500, 501, 503, 0};
#define NSTATUS (sizeof statuses / sizeof statuses[0]) /* the last: other */

/* Upper bounds of the latency buckets, seconds; the last bucket is +Inf. */
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBOUNDS (sizeof bounds / sizeof bounds[0])

typedef struct {
  atomic_uint_fast64_t by_status[NSTATUS];
  atomic_uint_fast64_t buckets[NBOUNDS + 1]; /* not cumulative: each answer adds to one */
  atomic_uint_fast64_t micros;               /* the latencies' sum, µs */
} RouteStats;

static RouteStats stats[ROUTES_MAX + 1]; /* [0]: no route */

static int status_index(int status) {
  for (size_t i = 0; i + 1 < NSTATUS; i++)
    if (statuses[i] == status) return (int)i;
  return NSTATUS - 1;
}

void metrics_request(int route_no, int status, double seconds) {
  RouteStats *s = &stats[route_no > 0 && route_no <= ROUTES_MAX ? route_no : 0];
  size_t b = 0;
  while (b < NBOUNDS && seconds > bounds[b]) b++;
  atomic_fetch_add_explicit(&s->by_status[status_index(status)], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&s->buckets[b], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&s->micros, (uint64_t)(seconds * 1e6 + 0.5), memory_order_relaxed);
}

static uint64_t load(atomic_uint_fast64_t *v) { return atomic_load_explicit(v, memory_order_relaxed); }

/* The labels of route number i: method and pattern, or "other" for no route. */
static void route_labels(const Route *routes, size_t nroutes, size_t i, char *out, size_t n) {
  if (i == 0 || i > nroutes) snprintf(out, n, "method=\"\",route=\"other\"");
  else snprintf(out, n, "method=\"%s\",route=\"%s\"", routes[i - 1].method, routes[i - 1].pattern);
}

static void render_requests(Buf *b) {
  size_t nroutes;
  const Route *routes = router_routes(&nroutes);
  if (nroutes > ROUTES_MAX) nroutes = ROUTES_MAX;
  char labels[256];
  buf_puts(b, "# HELP huizhan_http_responses_total Answers sent, by route (method and pattern) and status.\n"
              "# TYPE huizhan_http_responses_total counter\n");
  for (size_t i = 0; i <= nroutes; i++) {
    route_labels(routes, nroutes, i, labels, sizeof labels);
    for (size_t k = 0; k < NSTATUS; k++) {
      uint64_t v = load(&stats[i].by_status[k]);
      if (!v) continue;
      if (statuses[k]) buf_printf(b, "huizhan_http_responses_total{%s,code=\"%d\"} %llu\n", labels, statuses[k], (unsigned long long)v);
      else buf_printf(b, "huizhan_http_responses_total{%s,code=\"other\"} %llu\n", labels, (unsigned long long)v);
    }
  }
  buf_puts(b, "# HELP huizhan_http_request_duration_seconds Time from a request's headers to its answer being queued, by route.\n"
              "# TYPE huizhan_http_request_duration_seconds histogram\n");
  for (size_t i = 0; i <= nroutes; i++) {
    uint64_t counts[NBOUNDS + 1], total = 0;
    for (size_t k = 0; k <= NBOUNDS; k++) total += counts[k] = load(&stats[i].buckets[k]);
    if (!total) continue; /* a route never asked for has no series */
    route_labels(routes, nroutes, i, labels, sizeof labels);
    uint64_t cum = 0;
    for (size_t k = 0; k < NBOUNDS; k++) {
      cum += counts[k];
      buf_printf(b, "huizhan_http_request_duration_seconds_bucket{%s,le=\"%g\"} %llu\n", labels, bounds[k], (unsigned long long)cum);
    }
    buf_printf(b, "huizhan_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n", labels, (unsigned long long)total);
    buf_printf(b, "huizhan_http_request_duration_seconds_sum{%s} %.6f\n", labels, (double)load(&stats[i].micros) / 1e6);
    buf_printf(b, "huizhan_http_request_duration_seconds_count{%s} %llu\n", labels, (unsigned long long)total);
  }
}

static void counter_line(Buf *b, const char *name, const char *help, const char *labels, Counter c) {
  if (help) buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
  buf_printf(b, "%s%s %llu\n", name, labels, (unsigned long long)counter_get(c));
}

static void gauge(Buf *b, const char *name, const char *help, long long v) {
  buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help, name, name, v);
}

/* Every job, also one never run (0), so a rate or an alert has its series from the start. */
static void render_jobs(Buf *b) {
  static const char *const family[2][2] = {
      {"huizhan_job_runs_total", "Scheduled job runs (by the scheduler or on request), by job."},
      {"huizhan_job_failures_total", "Scheduled job runs that failed (rolled back; retried at the next tick), by job."}};
  for (int f = 0; f < 2; f++) {
    buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n", family[f][0], family[f][1], family[f][0]);
    for (size_t k = 0; k < jobs_count(); k++) {
      uint64_t runs, failures;
      const char *name = jobs_stats(k, &runs, &failures);
      buf_printf(b, "%s{job=\"%s\"} %llu\n", family[f][0], name, (unsigned long long)(f ? failures : runs));
    }
  }
}

int metrics_render(Db *db, Buf *b, HzErr *e) {
  ServerStats st;
  server_stats(&st);
  buf_puts(b, "# HELP huizhan_http_requests_total HTTP responses sent, by status class.\n"
              "# TYPE huizhan_http_requests_total counter\n");
  for (int c = 1; c < 6; c++) buf_printf(b, "huizhan_http_requests_total{code=\"%dxx\"} %lu\n", c, st.requests[c]);
  buf_printf(b,
             "# HELP huizhan_http_request_seconds_total Time spent answering requests.\n"
             "# TYPE huizhan_http_request_seconds_total counter\nhuizhan_http_request_seconds_total %.6f\n"
             "# HELP huizhan_uptime_seconds Seconds since the server started.\n"
             "# TYPE huizhan_uptime_seconds gauge\nhuizhan_uptime_seconds %.3f\n"
             "# HELP huizhan_data_revision Data revision: bumped by every audited write.\n"
             "# TYPE huizhan_data_revision counter\nhuizhan_data_revision %lld\n"
             "# HELP huizhan_build_info Build information.\n"
             "# TYPE huizhan_build_info gauge\nhuizhan_build_info{version=\"%s\"} 1\n",
             st.seconds_total, time_monotonic() - st.started, (long long)audit_log_revision(db), HZ_VERSION);
  render_requests(b);
  counter_line(b, "huizhan_cache_requests_total",
               "Cached answers (figures views, lists) asked for: served from the cache kept per data revision (hit) or rendered (miss).",
               "{result=\"hit\"}", COUNTER_CACHE_HITS);
  counter_line(b, "huizhan_cache_requests_total", NULL, "{result=\"miss\"}", COUNTER_CACHE_MISSES);
  counter_line(b, "huizhan_db_write_transactions_total", "Write transactions, by outcome (committed or rolled back).",
               "{outcome=\"committed\"}", COUNTER_WRITES);
  counter_line(b, "huizhan_db_write_transactions_total", NULL, "{outcome=\"rolled_back\"}", COUNTER_WRITES_ROLLED);
  counter_line(b, "huizhan_logins_total", "Login attempts, by outcome (ok, or failed: wrong credentials, disabled, too many failures).",
               "{outcome=\"ok\"}", COUNTER_LOGINS_OK);
  counter_line(b, "huizhan_logins_total", NULL, "{outcome=\"failed\"}", COUNTER_LOGINS_FAILED);
  render_jobs(b);
  counter_line(b, "huizhan_scheduler_rounds_total",
               "The scheduler's checks for due jobs (with --jobs on: one at start, then every 30 s), each counted"
               " once the jobs it found due have run.",
               "", COUNTER_SCHEDULER_ROUNDS);
  int64_t loads, patches, hits;
  board_stats(&loads, &patches, &hits);
  buf_printf(b,
             "# HELP huizhan_board_computations_total Boards asked for by the figures views: computed from"
             " the unit sums (full), brought up to date by reading again the units written since (patch),"
             " or kept and current (kept).\n"
             "# TYPE huizhan_board_computations_total counter\n"
             "huizhan_board_computations_total{how=\"full\"} %lld\n"
             "huizhan_board_computations_total{how=\"patch\"} %lld\n"
             "huizhan_board_computations_total{how=\"kept\"} %lld\n",
             (long long)loads, (long long)patches, (long long)hits);
  stale_cache_stats(&loads, &patches);
  buf_printf(b,
             "# HELP huizhan_stale_state_updates_total The state kept for the stale projects as of a past day:"
             " loaded whole (full; once at start, and after a write it cannot place) or brought up to date"
             " by reading again the projects written since (patch).\n"
             "# TYPE huizhan_stale_state_updates_total counter\n"
             "huizhan_stale_state_updates_total{how=\"full\"} %lld\n"
             "huizhan_stale_state_updates_total{how=\"patch\"} %lld\n",
             (long long)loads, (long long)patches);
  int64_t main_bytes = -1, wal_bytes = -1;
  int rc = db_disk_size(db, &main_bytes, &wal_bytes, e);
  if (rc) return rc;
  if (main_bytes >= 0) gauge(b, "huizhan_db_size_bytes", "The database's size: the SQLite file, or PostgreSQL's pg_database_size.", main_bytes);
  if (wal_bytes >= 0) gauge(b, "huizhan_db_wal_size_bytes", "The SQLite write-ahead log's size (it shrinks back at checkpoints).", wal_bytes);
  return HZ_OK;
}
