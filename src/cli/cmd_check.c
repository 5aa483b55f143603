/* huizhan check: recompute every figure from the raw records and compare (R-PROG-12). */
#include "cli/cli.h"
#include "domain/figures.h"
#include <stdio.h>

int cmd_check(const CliArgs *a) {
  HzErr e = {0};
  Db *db = NULL;
  json_t *diffs = NULL;
  int rc = cli_open_db(a, 0, &db, &e);
  if (!rc) rc = db_integrity_check(db, &e);
  if (!rc) rc = figures_check(db, &diffs, &e);
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
