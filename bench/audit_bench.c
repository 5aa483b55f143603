/* audit_bench: what keying the audit chain costs a write (docs/security.md, "Tamper
 * evidence"). CPU time of the same work with no key (plain SHA-256, as before keyed
 * audit) and with a key (HMAC-SHA-256 and the end's seal), interleaved, median of REPS:
 *
 *   build/audit_bench [ENTRIES] [REPS] [plain|keyed]   (default 20000 entries, 5 reps, both)
 *
 * With plain or keyed it runs that side only: for instruction counts under callgrind
 * (`valgrind --tool=callgrind build/audit_bench 2000 1 keyed`), steady on a loaded machine.
 * prints one line per measure: name, plain, keyed (per entry), and keyed/plain:
 *   hash_ns        audit_entry_hash of a typical entry
 *   append_us      audit_store_append, one entry per transaction (the API's writes)
 *   batch_us       audit_store_append in batch mode, ENTRIES in one transaction (imports)
 * Writes a temporary SQLite file (synchronous=FULL as served: the fsync is wall time,
 * not CPU time, and the same for both). Not a test: it prints numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include "bench_stats.h"
#include "db/db.h"
#include "domain/audit.h"
#include "store/audit_store.h"
#include "util/log.h"

static double cpu(void) { return bench_clock(CLOCK_PROCESS_CPUTIME_ID); }

/* A project's update as the engine logs it (~600 bytes before and after). */
static json_t *record(int i) {
  return json_pack("{s:i s:s s:s s:i s:s s:s s:i s:s s:s}", "id", i, "name", "新能源汽车零部件产业园项目（二期）", "stage",
                   "negotiating", "planned_investment", 1200000000 + i, "industry", "高端装备制造", "contact",
                   "张经理 13800000000", "lead_unit_id", 7, "lead_date", "2026-08-01", "notes",
                   "对方已完成尽职调查，拟于下月签约；需协调用地指标和环评批复，市发改委牵头，每周调度一次。");
}

static double hash_run(int n) {
  AuditEntry a = {.id = 100, .at = "2026-10-01T08:00:00Z", .user_id = 7, .action = "update", .entity = "projects",
                  .entity_id = 42, .prev_hash = "92309a292af7548416a37c34454fb5e099cd66c39bca31d4ecbef8b222feb047"};
  json_t *r = record(1);
  char *text = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS), out[SHA256_HEX_LEN];
  a.before = a.after = text;
  double t = cpu();
  for (int i = 0; i < n; i++) {
    a.id = 100 + i;
    audit_entry_hash(&a, out);
  }
  t = cpu() - t;
  free(text);
  json_decref(r);
  return t / n * 1e9;
}

static double append_run(Db *db, int n, int batched) {
  HzErr e = {0};
  json_t *before = record(1), *after = record(2);
  int rc = HZ_OK;
  double t = cpu();
  if (batched) {
    rc = db_begin(db, &e);
    if (!rc) rc = audit_store_batch_begin(db, &e);
  }
  for (int i = 0; !rc && i < n; i++) {
    if (!batched) rc = db_begin(db, &e);
    if (!rc) rc = audit_store_append(db, NULL, "update", "projects", i + 1, before, after, &e);
    if (!batched && !rc) rc = db_commit(db, &e);
  }
  if (batched && !rc) rc = audit_store_batch_end(db, &e);
  if (batched && !rc) rc = db_commit(db, &e);
  t = cpu() - t;
  if (rc) {
    fprintf(stderr, "audit_bench: %s\n", e.message);
    exit(1);
  }
  json_decref(before);
  json_decref(after);
  return t / n * 1e6;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 20000, reps = argc > 2 ? atoi(argv[2]) : 5;
  int only = argc > 3 ? (!strcmp(argv[3], "keyed") ? 1 : !strcmp(argv[3], "plain") ? 0 : -2) : -1;
  if (only == -2) n = 0;
  if (n < 100 || reps < 1 || reps > 50 || sodium_init() < 0) {
    fprintf(stderr, "usage: audit_bench [ENTRIES>=100] [REPS 1-50] [plain|keyed]\n");
    return 2;
  }
  log_set_verbose(0);
  char dir[] = "/tmp/hz-audit-bench-XXXXXX", path[64];
  if (!mkdtemp(dir)) return 1;
  snprintf(path, sizeof path, "%s/a.db", dir);
  HzErr e = {0};
  Db *db = NULL;
  if (db_open(path, 1, &db, &e) || db_migrate(db, &e)) {
    fprintf(stderr, "audit_bench: %s\n", e.message);
    return 1;
  }
  unsigned char key[AUDIT_KEY_BYTES];
  randombytes_buf(key, sizeof key);
  double m[3][2][50];
  for (int r = 0; r < reps; r++)
    for (int k = 0; k < 2; k++) { /* interleaved: plain, keyed, plain, keyed … */
      m[0][k][r] = m[1][k][r] = m[2][k][r] = 1;
      if (only >= 0 && only != k) continue;
      audit_key_set(k ? key : NULL, 1);
      m[0][k][r] = hash_run(n * 10);
      m[1][k][r] = append_run(db, n / 10, 0);
      m[2][k][r] = append_run(db, n, 1);
    }
  static const char *const names[] = {"hash_ns", "append_us", "batch_us"};
  printf("%-10s %10s %10s %8s\n", "measure", "plain", "keyed", "ratio");
  for (int i = 0; i < 3; i++) {
    double p = bench_median(m[i][0], reps), k = bench_median(m[i][1], reps);
    printf("%-10s %10.3f %10.3f %8.3f\n", names[i], p, k, k / p);
  }
  db_close(db);
  static const char *const suffixes[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    char f[96];
    snprintf(f, sizeof f, "%s%s", path, suffixes[i]);
    unlink(f);
  }
  rmdir(dir);
  return 0;
}
