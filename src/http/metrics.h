/* What /metrics exports (Prometheus text format 0.0.4): answers by route and status,
 * their latency histograms, and the process's counters (util/counter.h), the data
 * revision and the database's size on disk. Counting is a few relaxed atomic adds per
 * answer: no lock on the request path. */
#ifndef HZ_METRICS_H
#define HZ_METRICS_H
#include "db/db.h"
#include "util/buf.h"
#include "util/err.h"

/* Counts one answer: route_no is 1 + the route's index in the route table (router.h),
 * 0 when no route matched (the web app's files, 404s, refusals before routing). */
void metrics_request(int route_no, int status, double seconds);
/* Appends every metric to b (the caller frees b); reads the revision and the database's
 * size through db. */
int metrics_render(Db *db, Buf *b, HzErr *e);

#endif
