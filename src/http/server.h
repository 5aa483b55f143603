/* The HTTP server: libmicrohttpd with an epoll thread pool, one database connection per
 * worker thread, request size limits, and a clean stop on SIGTERM / SIGINT. */
#ifndef HZ_SERVER_H
#define HZ_SERVER_H
#include "util/err.h"

typedef struct {
  const char *db_path;
  const char *listen; /* "127.0.0.1:8080" */
  unsigned threads;
  int jobs; /* run the scheduled jobs (domain/jobs.h) in-process */
  /* Comma-separated IPv4 addresses of load balancers whose X-Real-IP header names the
   * client (login-failure limits count per client address); NULL: trust none. */
  const char *trusted_proxies;
} ServerConfig;

/* Serves until SIGTERM or SIGINT; in-flight requests finish before it returns. */
int server_run(const ServerConfig *cfg, HzErr *e);

/* Whether addr (text form) is one of --trusted-proxy's addresses. */
int server_trusted_proxy(const char *addr);

/* 1 once SIGTERM came: the instance finishes what it has and stops (/health says 503). */
int server_draining(void);

/* Counters for /metrics. */
typedef struct {
  unsigned long requests[6]; /* by status class: [2] = 2xx ... [5] = 5xx */
  double seconds_total;
  double started;
} ServerStats;
void server_stats(ServerStats *out);

#endif
