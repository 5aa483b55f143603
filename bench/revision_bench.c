/* revision_bench: what it costs a request to learn whether the database changed since
 * its cached answer was made (docs/scaling.md, "Several instances").
 *
 *   build/revision_bench DB TOKEN [CALLS] [REPS]     (default 20000 calls, 5 reps)
 *
 * Every request of `huizhan serve` starts by ending any read left open on its connection
 * (db_fresh_snapshot) and every cached answer reads the data revision (one row of meta
 * by its primary key). Both are timed here on the connection a worker would use, CALLS
 * times in a row, and set against the bearer-token lookup (auth_bearer: a hash and one
 * indexed read) that every authenticated request already pays, timed the same way in the
 * same run; and against `SELECT 1`, a statement that reads no table: the floor of any
 * statement through db.c. Prints the median over REPS of the microseconds per call:
 *   revision_read_us  fresh_snapshot_us  token_lookup_us  select1_us
 * Not a test: it prints numbers. Reads only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench_stats.h"
#include "db/db.h"
#include "domain/audit_log.h"
#include "domain/auth.h"

static double now(void) { return bench_clock(CLOCK_MONOTONIC); }

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s DB TOKEN [CALLS] [REPS]\n", argv[0]);
    return 2;
  }
  long calls = argc > 3 ? strtol(argv[3], NULL, 10) : 20000;
  int reps = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 5;
  if (calls < 1 || reps < 1 || reps > 100) {
    fprintf(stderr, "CALLS and REPS must be positive (REPS at most 100)\n");
    return 2;
  }
  Db *db = NULL;
  HzErr e = {0};
  if (db_open(argv[1], 0, &db, &e)) {
    fprintf(stderr, "%s\n", e.message);
    return 1;
  }
  Actor who;
  if (auth_bearer(db, argv[2], &who, &e)) {
    fprintf(stderr, "token: %s\n", e.message);
    db_close(db);
    return 1;
  }
  double rev[100], snap[100], tok[100], one[100];
  volatile int64_t sink = 0;
  for (int r = 0; r < reps; r++) {
    /* Interleaved, so a slow moment of the machine hits all three. */
    double t0 = now();
    for (long i = 0; i < calls; i++) sink += audit_log_revision(db);
    double t1 = now();
    for (long i = 0; i < calls; i++) sink += db_fresh_snapshot(db);
    double t2 = now();
    for (long i = 0; i < calls; i++) {
      sink += auth_bearer(db, argv[2], &who, &e);
    }
    double t3 = now();
    for (long i = 0; i < calls; i++) {
      int64_t v = 0;
      db_query_int(db, "SELECT 1", &v, NULL);
      sink += v;
    }
    double t4 = now();
    rev[r] = (t1 - t0) * 1e6 / (double)calls;
    snap[r] = (t2 - t1) * 1e6 / (double)calls;
    tok[r] = (t3 - t2) * 1e6 / (double)calls;
    one[r] = (t4 - t3) * 1e6 / (double)calls;
  }
  printf("%.3f %.3f %.3f %.3f\n", bench_median(rev, reps), bench_median(snap, reps), bench_median(tok, reps), bench_median(one, reps));
  db_close(db);
  return sink == -1;
}
