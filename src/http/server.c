#include "http/server.h"
#include "http/http.h"
#include "http/metrics.h"
#include "domain/jobs.h"
#include "domain/import_jobs.h"
#include "domain/stale_cache.h"
#include "domain/webhooks.h"
#include "util/counter.h"
#include "util/log.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <arpa/inet.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *g_db_path;
static _Thread_local Db *t_db;
static pthread_mutex_t dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static Db *dbs[64];
static int ndbs;
static atomic_ulong stat_requests[6];
static _Atomic double stat_seconds;
static double stat_started;
static atomic_int in_flight; /* requests between arrival and completion */
static atomic_int draining;  /* SIGTERM came: answers close their connection */

int server_draining(void) { return atomic_load(&draining); }

static int g_tls;            /* serving HTTPS: answers carry HSTS */
/* --trust-proxy, as binary addresses: compared whatever the spelling (::1, 0:0::1). */
#define PROXIES_MAX 16
static struct { int family; unsigned char addr[16]; } g_proxies[PROXIES_MAX];
static int g_nproxies;

static int addr_parse(const char *text, int *family, unsigned char out[16]) {
  memset(out, 0, 16);
  if (inet_pton(AF_INET, text, out) == 1) return *family = AF_INET, 0;
  if (inet_pton(AF_INET6, text, out) == 1) return *family = AF_INET6, 0;
  return -1;
}

int server_proxy_trusted(const char *addr) {
  int family;
  unsigned char a[16];
  if (!addr || addr_parse(addr, &family, a)) return 0;
  for (int i = 0; i < g_nproxies; i++)
    if (g_proxies[i].family == family && !memcmp(g_proxies[i].addr, a, 16)) return 1;
  return 0;
}

/* "ADDR[,ADDR…]" -> g_proxies; HZ_EINVAL naming trust-proxy for anything else. */
static int parse_proxies(const char *list, HzErr *e) {
  g_nproxies = 0;
  for (const char *p = list; p && *p;) {
    size_t n = strcspn(p, ",");
    char one[64];
    snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1), p);
    if (g_nproxies == PROXIES_MAX) return hz_fail(e, HZ_EINVAL, "trust-proxy", "--trust-proxy 最多 %d 个地址", PROXIES_MAX);
    if (!n || n >= sizeof one || addr_parse(one, &g_proxies[g_nproxies].family, g_proxies[g_nproxies].addr))
      return hz_fail(e, HZ_EINVAL, "trust-proxy", "--trust-proxy 应为逗号分隔的 IP 地址，“%s”不是", one);
    g_nproxies++;
    p += n;
    if (*p == ',') p++;
  }
  return HZ_OK;
}

/* A whole PEM file, NUL-terminated, in a new buffer (the caller frees). */
static char *read_pem(const char *path, const char *field, HzErr *e) {
  FILE *f = fopen(path, "rb");
  if (!f) return hz_fail(e, HZ_EINVAL, field, "无法读取 %s", path), NULL;
  Buf b;
  buf_init(&b, 1 << 20);
  char chunk[4096];
  size_t n;
  int bad = 0;
  while (!bad && (n = fread(chunk, 1, sizeof chunk, f)) > 0) bad = buf_append(&b, chunk, n) != 0;
  fclose(f);
  if (bad || !b.len || !strstr(b.data, "-----BEGIN ")) {
    buf_free(&b);
    return hz_fail(e, HZ_EINVAL, field, "%s 不是 PEM 格式的文件", path), NULL;
  }
  char *out = strndup(b.data, b.len);
  buf_free(&b);
  return out;
}

/* libmicrohttpd answers a request line or header block that overflows its per-connection
 * buffer itself, with a fixed HTML page and none of our headers (0.9.75 has no hook for
 * those pages). So its buffer is made far larger than anything we accept, and we refuse
 * first, in our JSON format: URIs over URI_MAX bytes (414) and header blocks over
 * HEADERS_MAX bytes (431). Only a request larger than CONNECTION_MEMORY still meets
 * libmicrohttpd's own page (docs/security.md). Not larger than that: libmicrohttpd zeroes
 * the whole buffer after every request (and maps it per connection): a cached answer on a
 * fresh connection took 0.665 ms of CPU at 256 KiB, 0.579 at 128 (bench/README.md). */
#define URI_MAX (16u << 10)
#define HEADERS_MAX (32u << 10)
#define CONNECTION_MEMORY ((size_t)128 << 10)

void server_stats(ServerStats *out) {
  for (int i = 0; i < 6; i++) out->requests[i] = atomic_load(&stat_requests[i]);
  out->seconds_total = atomic_load(&stat_seconds);
  out->started = stat_started;
}

/* The calling worker thread's connection, opened on first use and closed at stop. */
static Db *thread_db(void) {
  if (t_db) return t_db;
  HzErr e = {0};
  Db *db = NULL;
  if (db_open(g_db_path, 0, &db, &e)) {
    log_error("cannot open database: %s", e.message);
    hz_err_clear(&e);
    return NULL;
  }
  pthread_mutex_lock(&dbs_lock);
  if (ndbs < (int)(sizeof dbs / sizeof dbs[0])) dbs[ndbs++] = db;
  pthread_mutex_unlock(&dbs_lock);
  t_db = db;
  return db;
}

/* MHD calls this with the URI exactly as the client sent it, before it unescapes
 * anything; what it returns becomes the request's context (freed in on_completed). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn) {
  Request *rq = calloc(1, sizeof *rq);
  if (!rq) return NULL;
  const char *q = strchr(uri, '?');
  rq->raw_query = strdup(q ? q + 1 : "");
  rq->uri_len = strlen(uri);
  return rq;
}

/* The rest of the request, once its headers are in; from here on it counts as in flight. */
static void request_init(Request *rq, struct MHD_Connection *conn, const char *url, const char *method) {
  atomic_fetch_add(&in_flight, 1);
  rq->conn = conn;
  rq->method = method;
  rq->path = url;
  rq->query = json_object();
  rq->started = time_monotonic();
  rq->tls = g_tls;
  buf_init(&rq->body, router_body_limit(method, url));
  /* Split the path: "/api/v1/projects/7" -> api, v1, projects, 7. */
  const char *p = url;
  while (*p && rq->nsegs < PATH_SEGMENTS_MAX) {
    while (*p == '/') p++;
    if (!*p) break;
    const char *end = strchr(p, '/');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    rq->segs[rq->nsegs++] = strndup(p, n);
    p += n;
  }
  if (*p && *p != '/') rq->nsegs = PATH_SEGMENTS_MAX + 1; /* too deep: matches no route */
  rq->bad_query = query_parse(rq->raw_query, rq->query, rq->bad_query_name, sizeof rq->bad_query_name);
}

static enum MHD_Result header_bytes(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4; /* "k: v\r\n" */
  return MHD_YES;
}

static void request_free(Request *rq) {
  for (int i = 0; i < rq->nsegs && i < PATH_SEGMENTS_MAX; i++) free(rq->segs[i]);
  buf_free(&rq->body);
  json_decref(rq->query);
  free(rq->raw_query);
  free(rq);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  Request *rq = *con_cls;
  if (rq) {
    if (rq->conn) atomic_fetch_sub(&in_flight, 1); /* counted once its headers were in */
    request_free(rq);
  }
  *con_cls = NULL;
}

static const char *const security_headers[][2] = {
  {"X-Content-Type-Options", "nosniff"},
  {"X-Frame-Options", "DENY"},
  {"Referrer-Policy", "same-origin"},
  /* Element Plus sets inline styles; no script is ever inline (the Vite build emits none). */
  {"Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                              "img-src 'self' data: blob:; frame-ancestors 'none'"},
};

static enum MHD_Result send_response(Request *rq, Response *rs) {
  struct MHD_Response *r;
  if (rs->file) {
    r = MHD_create_response_from_fd64(rs->file_size, rs->file_fd);
    if (r) rs->file = 0; /* MHD closes the file once sent */
  } else if (rs->release) {
    r = MHD_create_response_from_buffer_with_free_callback_cls(rs->len, rs->body, rs->release, rs->owner);
    if (r) rs->release = NULL, rs->owner = NULL, rs->body = NULL; /* MHD releases it now */
  } else
    r = MHD_create_response_from_buffer(rs->len, rs->body ? rs->body : "", MHD_RESPMEM_PERSISTENT);
  if (!r) return MHD_NO;
  MHD_add_response_header(r, "Content-Type", rs->content_type ? rs->content_type : "text/plain; charset=utf-8");
  for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
    MHD_add_response_header(r, security_headers[i][0], security_headers[i][1]);
  int has_cache = 0;
  for (int i = 0; i < rs->nextra; i++) {
    char name[128];
    const char *colon = strchr(rs->extra_headers[i], ':');
    if (!colon) continue;
    snprintf(name, sizeof name, "%.*s", (int)(colon - rs->extra_headers[i]), rs->extra_headers[i]);
    if (!strcasecmp(name, "Cache-Control")) has_cache = 1;
    MHD_add_response_header(r, name, colon + 2);
  }
  if (!has_cache) MHD_add_response_header(r, "Cache-Control", "no-store");
  /* While draining, a keep-alive client (nginx) is told not to send this connection another
   * request: the next one opens a connection elsewhere. */
  if (atomic_load(&draining)) MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
  if (g_tls) MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
  enum MHD_Result ret = MHD_queue_response(rq->conn, (unsigned)rs->status, r);
  MHD_destroy_response(r);
  int cls = rs->status / 100;
  if (cls >= 0 && cls < 6) atomic_fetch_add(&stat_requests[cls], 1);
  double took = time_monotonic() - rq->started, cur = atomic_load(&stat_seconds);
  while (!atomic_compare_exchange_weak(&stat_seconds, &cur, cur + took)) {}
  metrics_request(rq->route_no, rs->status, took);
  return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size,
                                  void **con_cls) {
  Request *rq = *con_cls;
  if (!rq || !rq->conn) {
    if (!rq || !rq->raw_query) return MHD_NO; /* out of memory in on_uri: close the connection */
    request_init(rq, conn, url, method);
    *con_cls = rq;
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    int64_t n;
    if (cl && parse_int64(cl, &n) == 0 && (uint64_t)n > rq->body.max) rq->body_too_big = 1;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, header_bytes, &rq->header_len);
    return MHD_YES;
  }
  if (*upload_size) {
    if (!rq->body_too_big && buf_append(&rq->body, upload_data, *upload_size)) rq->body_too_big = 1;
    *upload_size = 0;
    return MHD_YES;
  }
  Response rs = {0};
  rq->db = thread_db();
  if (rq->uri_len > URI_MAX || rq->header_len > HEADERS_MAX) {
    HzErr e = {0};
    if (rq->uri_len > URI_MAX) hz_fail(&e, HZ_EURI, "uri", "请求地址过长（上限 %u 字节）", URI_MAX);
    else hz_fail(&e, HZ_EHEADERS, "headers", "请求头过大（上限 %u 字节）", HEADERS_MAX);
    response_error(&rs, &e);
    hz_err_clear(&e);
  } else if (!rq->db) {
    HzErr e = {0};
    hz_fail(&e, HZ_EBUSY, NULL, "数据库暂时不可用");
    response_error(&rs, &e);
    hz_err_clear(&e);
  } else if (rq->body_too_big) {
    HzErr e = {0};
    hz_fail(&e, HZ_ETOOBIG, "body", "请求体过大（上限 %zu 字节）", rq->body.max);
    response_error(&rs, &e);
    hz_err_clear(&e);
  } else {
    /* Each request reads the database as it is now (the revision its caches key on
     * included), whatever another instance committed since this connection's last read. */
    int stale = db_fresh_snapshot(rq->db);
    if (stale) log_error("%d statement(s) left open by an earlier request on this connection", stale);
    router_dispatch(rq, &rs);
  }
  enum MHD_Result ret = send_response(rq, &rs);
  response_free(&rs);
  return ret;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, HzErr *e) {
  char host[64];
  const char *colon = strrchr(listen, ':');
  int64_t port;
  if (!colon || (size_t)(colon - listen) >= sizeof host || parse_int64(colon + 1, &port) || port < 1 || port > 65535)
    return hz_fail(e, HZ_EINVAL, "listen", "--listen 应为 地址:端口，例如 127.0.0.1:8080");
  snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) != 1)
    return hz_fail(e, HZ_EINVAL, "listen", "无法识别的监听地址 %s", host);
  return HZ_OK;
}

/* The scheduler: every second, sends the due group-robot messages; every 30 s, with
 * --jobs on, runs the jobs whose time has come (campaign zone, UTC+8). */
static atomic_int scheduler_stop;
static int g_jobs; /* --jobs on: run the scheduled jobs, not only the webhook sender */
/* The scheduler's second between runs is a timed wait that scheduler_wake ends at once:
 * a SIGTERM stops the server without waiting out the second (every test server, every
 * restart). */
static pthread_mutex_t scheduler_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t scheduler_cond = PTHREAD_COND_INITIALIZER;

static void scheduler_pause(void) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 1;
  pthread_mutex_lock(&scheduler_lock);
  while (!atomic_load(&scheduler_stop) && pthread_cond_timedwait(&scheduler_cond, &scheduler_lock, &until) == 0) {
  }
  pthread_mutex_unlock(&scheduler_lock);
}

static void scheduler_wake(void) {
  pthread_mutex_lock(&scheduler_lock);
  atomic_store(&scheduler_stop, 1);
  pthread_cond_broadcast(&scheduler_cond);
  pthread_mutex_unlock(&scheduler_lock);
}

static void *scheduler_main(void *arg) {
  Db *db = NULL;
  HzErr e = {0};
  if (db_open(g_db_path, 0, &db, &e)) {
    log_error("scheduler: %s", e.message);
    hz_err_clear(&e);
    return NULL;
  }
  /* The stale lists of past days are answered from a state kept in memory: loaded here, at
   * the start, so the first such list does not wait for it (domain/stale_cache.h). */
  if (stale_cache_warm(db, &e)) log_error("stale projects: %s", e.message);
  hz_err_clear(&e);
  malloc_trim(0); /* what loading it built and freed goes back to the system, not kept idle */
  for (int tick = 0; !atomic_load(&scheduler_stop); tick++) {
    json_t *sent = NULL;
    if (webhook_deliver_due(db, &sent, &e)) log_error("webhook delivery failed: %s", e.message);
    json_decref(sent);
    hz_err_clear(&e);
    if (g_jobs && tick % 30 == 0) {
      int minutes = (int)(((time_now_unix() + 8 * 3600) % 86400) / 60);
      if (jobs_run_due(db, &actor_system, minutes, &e)) log_error("scheduled job failed: %s", e.message);
      hz_err_clear(&e);
      malloc_trim(0); /* a job may have built a board: its pages back to the system */
      counter_add(COUNTER_SCHEDULER_ROUNDS, 1);
    }
    scheduler_pause();
  }
  db_close(db);
  return NULL;
}

int server_run(const ServerConfig *cfg, HzErr *e) {
  struct sockaddr_in sa;
  char *cert = NULL, *key = NULL;
  int rc = parse_listen(cfg->listen, &sa, e);
  if (!rc) rc = parse_proxies(cfg->trust_proxy, e);
  if (!rc && (cfg->tls_cert || cfg->tls_key)) {
    if (!cfg->tls_cert || !cfg->tls_key)
      rc = hz_fail(e, HZ_EINVAL, cfg->tls_cert ? "tls-key" : "tls-cert", "--tls-cert 与 --tls-key 须同时给出");
    else if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
      rc = hz_fail(e, HZ_EINVAL, "tls-cert", "本机的 libmicrohttpd 不支持 TLS");
    else if (!(cert = read_pem(cfg->tls_cert, "tls-cert", e)) || !(key = read_pem(cfg->tls_key, "tls-key", e)))
      rc = e->rc;
  }
  if (rc) {
    free(cert);
    free(key);
    return rc;
  }
  g_tls = cert != NULL;
  g_db_path = cfg->db_path;
  stat_started = time_monotonic();

  /* Signals are taken synchronously by this thread; worker threads inherit the mask. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  /* Boards are built from many small allocations; capping glibc's per-thread arenas keeps
   * what each worker frees reusable by the others instead of held per thread. */
  mallopt(M_ARENA_MAX, 2);
  unsigned threads = cfg->threads ? cfg->threads : 4;
  /* TLS: the key and certificate go to MHD through the options, ahead of the rest. */
  struct MHD_OptionItem tls[] = {
    {g_tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, cert},
    {MHD_OPTION_HTTPS_MEM_KEY, 0, key},
    {MHD_OPTION_END, 0, NULL},
  };
  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | (g_tls ? MHD_USE_TLS : 0), 0, NULL, NULL,
      on_request, NULL, MHD_OPTION_ARRAY, tls,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, threads,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONNECTION_MEMORY,
      MHD_OPTION_END);
  if (!d) {
    free(cert);
    free(key);
    return hz_fail(e, HZ_EIO, "listen", g_tls ? "无法监听 %s（端口被占用，或证书与私钥不匹配？）" : "无法监听 %s（端口被占用？）",
                   cfg->listen);
  }
  const char *scheme = g_tls ? "https" : "http";
  char shown[512]; /* a PostgreSQL password stays out of the log */
  db_target_display(cfg->db_path, shown, sizeof shown);
  log_info("huizhan serving %s on %s://%s (%u threads)", shown, scheme, cfg->listen, threads);
  printf("huizhan: serving on %s://%s\n", scheme, cfg->listen);
  fflush(stdout);

  pthread_t scheduler;
  /* The scheduler thread always sends queued group-robot messages; --jobs says whether it runs the jobs too. */
  g_jobs = cfg->jobs;
  int scheduling = pthread_create(&scheduler, NULL, scheduler_main, NULL) == 0;

  int sig = 0;
  sigwait(&set, &sig);
  log_info("signal %d: draining (no new connections; finishing in-flight requests)", sig);
  /* Stop accepting first: a load balancer sends new connections to the other instances
   * (here they are refused at once), while requests already received finish (at most
   * 10 s). The scheduler ends its current run, whose transaction commits or not as a
   * whole; another instance takes any run still due. */
  atomic_store(&draining, 1);
  scheduler_wake();
  MHD_socket listener = MHD_quiesce_daemon(d);
  if (listener != MHD_INVALID_SOCKET) close(listener);
  for (int i = 0; i < 1000; i++) {
    if (atomic_load(&in_flight) == 0) break;
    usleep(10000);
  }
  if (atomic_load(&in_flight)) log_error("stopping with %d requests still running after 10 s", atomic_load(&in_flight));
  if (scheduling) pthread_join(scheduler, NULL);
  MHD_stop_daemon(d);
  free(cert); /* MHD may read them until it stops */
  free(key);
  /* A running import finishes if it can; one still running after that never committed,
   * and shows as failed at the next start. */
  import_jobs_drain(10);
  pthread_mutex_lock(&dbs_lock);
  for (int i = 0; i < ndbs; i++) db_close(dbs[i]);
  ndbs = 0;
  pthread_mutex_unlock(&dbs_lock);
  log_info("stopped");
  return HZ_OK;
}
