/* Process-wide event counters for /metrics (http/metrics.c): one relaxed atomic add each,
 * no lock, so any layer may count on its hot path. Nothing to free. */
#ifndef HZ_COUNTER_H
#define HZ_COUNTER_H
#include <stdint.h>

typedef enum {
  COUNTER_WRITES,          /* write transactions committed (db_commit of the outer level) */
  COUNTER_WRITES_ROLLED,   /* write transactions rolled back */
  COUNTER_LOGINS_OK,       /* successful logins */
  COUNTER_LOGINS_FAILED,   /* refused logins: wrong credentials, disabled, rate-limited */
  COUNTER_CACHE_HITS,      /* answers served from the per-revision cache (http/answer.c) */
  COUNTER_CACHE_MISSES,    /* answers rendered because the cache had none current */
  COUNTER_SCHEDULER_ROUNDS, /* the scheduler's checks for due jobs, each counted once its jobs have run */
  COUNTER_N
} Counter;

void counter_add(Counter c, uint64_t n);
uint64_t counter_get(Counter c);

#endif
