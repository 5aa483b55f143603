/* What several instances on one database rely on in db/ and store/, with two connections
 * on one file standing for two instances: a read left open on a connection hides other
 * connections' commits until db_fresh_snapshot ends it; a scheduled job's run is claimed
 * by exactly one of them per day; db_ping fails once the file is gone. (The same over
 * HTTP with two `huizhan serve` processes: tests/api/instances.test.mjs.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include "temp_db.h"
#include "store/audit_store.h"
#include "store/workflow_store.h"

static int setup(void **state) {
  TempDb *t = calloc(1, sizeof *t);
  temp_db_open(t, "instances");
  *state = t;
  return 0;
}

static int teardown(void **state) {
  TempDb *t = *state;
  temp_db_close(t);
  free(t);
  return 0;
}

static Db *second(TempDb *t) {
  Db *b = NULL;
  HzErr e = {0};
  if (db_open(t->path, 0, &b, &e)) fail_msg("open: %s", e.message);
  return b;
}

static void bump_revision(Db *db) {
  HzErr e = {0};
  assert_int_equal(db_begin(db, &e), HZ_OK);
  assert_int_equal(db_exec(db, "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'revision'", &e),
                   HZ_OK);
  assert_int_equal(db_commit(db, &e), HZ_OK);
}

/* A statement stepped once and left there keeps connection A's snapshot: B's commit is
 * invisible to A (its revision read is stale) until db_fresh_snapshot ends the read. */
static void test_fresh_snapshot_sees_other_connections_commits(void **state) {
  TempDb *t = *state;
  Db *a = t->db, *b = second(t);
  HzErr e = {0};
  int64_t before = audit_store_revision(a);
  DbStmt *st = db_prepare(a, "SELECT key FROM meta ORDER BY key", &e);
  assert_non_null(st);
  assert_int_equal(db_step(a, st, &e), DB_ROW); /* left mid-way, as a careless caller would */
  bump_revision(b);
  assert_int_equal(audit_store_revision(b), before + 1);
  assert_int_equal(audit_store_revision(a), before); /* A still reads its old snapshot */
  assert_int_equal(db_fresh_snapshot(a), 1);
  assert_int_equal(audit_store_revision(a), before + 1);
  assert_int_equal(db_fresh_snapshot(a), 0); /* nothing left open now */
  db_close(b);
}

/* Inside a write transaction db_fresh_snapshot touches nothing (the transaction's reads
 * are its own business). */
static void test_fresh_snapshot_leaves_transactions_alone(void **state) {
  TempDb *t = *state;
  HzErr e = {0};
  assert_int_equal(db_begin(t->db, &e), HZ_OK);
  DbStmt *st = db_prepare(t->db, "SELECT key FROM meta ORDER BY key", &e);
  assert_int_equal(db_step(t->db, st, &e), DB_ROW);
  assert_int_equal(db_fresh_snapshot(t->db), 0);
  assert_int_equal(db_step(t->db, st, &e), DB_ROW); /* still iterating */
  db_reset(st);
  assert_int_equal(db_commit(t->db, &e), HZ_OK);
}

/* Two instances claim the same day's run: one gets it, the other finds it taken; a claim
 * rolled back (the job failed) leaves the run to be claimed again; the next day is new. */
static void test_job_claim_once_per_day(void **state) {
  TempDb *t = *state;
  Db *a = t->db, *b = second(t);
  HzErr e = {0};
  int claimed = -1;
  assert_int_equal(db_begin(a, &e), HZ_OK);
  assert_int_equal(workflow_store_job_claim(a, "missing-reports", "2026-08-20", &claimed, &e), HZ_OK);
  assert_int_equal(claimed, 1);
  db_rollback(a); /* the job failed: its claim goes with it */
  assert_int_equal(db_begin(a, &e), HZ_OK);
  assert_int_equal(workflow_store_job_claim(a, "missing-reports", "2026-08-20", &claimed, &e), HZ_OK);
  assert_int_equal(claimed, 1);
  assert_int_equal(db_commit(a, &e), HZ_OK);
  assert_int_equal(db_begin(b, &e), HZ_OK);
  assert_int_equal(workflow_store_job_claim(b, "missing-reports", "2026-08-20", &claimed, &e), HZ_OK);
  assert_int_equal(claimed, 0);
  /* another job the same day is its own claim */
  assert_int_equal(workflow_store_job_claim(b, "early-warning", "2026-08-20", &claimed, &e), HZ_OK);
  assert_int_equal(claimed, 1);
  assert_int_equal(workflow_store_job_claim(b, "missing-reports", "2026-08-21", &claimed, &e), HZ_OK);
  assert_int_equal(claimed, 1);
  assert_int_equal(db_commit(b, &e), HZ_OK);
  int64_t n = -1;
  assert_int_equal(db_query_int(a, "SELECT count(*) FROM jobs WHERE last_run_on IS NOT NULL", &n, &e), HZ_OK);
  assert_int_equal(n, 2);
  /* an unknown job claims nothing */
  assert_int_equal(db_begin(a, &e), HZ_OK);
  assert_int_equal(workflow_store_job_claim(a, "no-such-job", "2026-08-21", &claimed, &e), HZ_OK);
  assert_int_equal(claimed, 0);
  assert_int_equal(db_commit(a, &e), HZ_OK);
  db_close(b);
}

/* db_ping: fine while the file is there; HZ_EBUSY naming the database once it was
 * deleted under the open connection (which could otherwise go on reading it). */
static void test_ping_notices_the_file_gone(void **state) {
  TempDb *t = *state;
  HzErr e = {0};
  assert_int_equal(db_ping(t->db, &e), HZ_OK);
  char p[128];
  static const char *const suffixes[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(p, sizeof p, "%s%s", t->path, suffixes[i]);
    unlink(p);
  }
  int64_t v = 0;
  assert_int_equal(db_query_int(t->db, "SELECT count(*) FROM meta", &v, &e), HZ_OK); /* still reads */
  assert_int_equal(db_ping(t->db, &e), HZ_EBUSY);
  assert_non_null(strstr(e.message, t->path));
  hz_err_clear(&e);
}

int main(void) {
  log_set_verbose(0);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_fresh_snapshot_sees_other_connections_commits, setup, teardown),
      cmocka_unit_test_setup_teardown(test_fresh_snapshot_leaves_transactions_alone, setup, teardown),
      cmocka_unit_test_setup_teardown(test_job_claim_once_per_day, setup, teardown),
      cmocka_unit_test_setup_teardown(test_ping_notices_the_file_gone, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
