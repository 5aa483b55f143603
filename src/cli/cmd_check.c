/* huizhan check: the file's integrity, and every figure recomputed from the raw records
 * and compared (R-PROG-12). */
#include "cli/cli.h"
#include "domain/figures.h"
#include <pthread.h>
#include <stdio.h>

typedef struct {
  Db *db;
  HzErr e;
  int rc;
} Integrity;

/* SQLite's integrity check reads every page and index: at province scale it takes as long
 * as the figures pass, so it runs beside it, on a connection of its own. */
static void *integrity_run(void *arg) {
  Integrity *t = arg;
  t->rc = db_integrity_check(t->db, &t->e);
  return NULL;
}

int cmd_check(const CliArgs *a) {
  HzErr e = {0};
  Db *db = NULL;
  json_t *diffs = NULL;
  Integrity t = {0};
  pthread_t thread;
  int started = 0;
  int rc = cli_open_db(a, 0, &db, &e);
  if (!rc) rc = cli_open_db(a, 0, &t.db, &e);
  if (!rc) {
    started = pthread_create(&thread, NULL, integrity_run, &t) == 0;
    if (!started) integrity_run(&t);
    rc = figures_check(db, &diffs, &e);
    if (started) pthread_join(thread, NULL);
    if (!rc && t.rc) { /* a damaged file first: its figures mean nothing */
      rc = t.rc;
      e = t.e;
    } else hz_err_clear(&t.e);
  }
  db_close(t.db);
  db_close(db);
  if (rc) {
    json_decref(diffs);
    return cli_fail(&e);
  }
  size_t i, n = json_array_size(diffs);
  json_t *d;
  json_array_foreach(diffs, i, d) fprintf(stderr, "%s\n", json_string_value(d));
  json_decref(diffs);
  if (n) {
    fprintf(stderr, "huizhan: %zu figure(s) differ from the raw records\n", n);
    return 1;
  }
  printf("ok\n");
  return 0;
}
