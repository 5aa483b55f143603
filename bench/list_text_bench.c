/* list_text_bench: what a unit's project list costs when it is computed (after a write,
 * nothing cached), against its own SQL (issue 13: "a project list computed right after a
 * write takes <= 1.5x its own SQL").
 *
 *   build/list_text_bench DB [UNITS] [REPS]     (default 200 units, 5 reps)
 *
 * For UNITS units spread over all units, the first page of the unit's projects as its
 * unit_staff asks for it (sort=-planned_investment, limit 50), three ways, interleaved in
 * each rep, in process CPU time:
 *   sql   the statements the list runs (the count of the two halves, the page as the two
 *         halves merged in order, the page's co-owners), every column of every row read
 *         and nothing built: the floor;
 *   text  record_list_text: the answer written straight as JSON text (now);
 *   json  record_list, then json_text: a jansson object per row, then serialised (before).
 * Prints the median over REPS of the microseconds per list: sql text json. Reads only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench_stats.h"
#include "db/db.h"
#include "domain/record.h"
#include "util/json_text.h"

static double cpu_now(void) { return bench_clock(CLOCK_PROCESS_CPUTIME_ID); }


#define CO " id IN (SELECT project_id FROM project_units WHERE unit_id = ?) AND lead_unit_id <> ?"
static const char *const sqls[] = {
    "SELECT (SELECT COUNT(*) FROM projects WHERE lead_unit_id = ?) + (SELECT COUNT(*) FROM projects WHERE" CO ")",
    "SELECT * FROM projects WHERE lead_unit_id = ? UNION ALL SELECT * FROM projects WHERE" CO
    " ORDER BY planned_investment DESC, id DESC LIMIT 50",
    "SELECT project_id, unit_id FROM project_units WHERE project_id IN (SELECT id FROM projects WHERE lead_unit_id = ?"
    " ORDER BY planned_investment DESC, id DESC LIMIT 50) ORDER BY 1, 2"};
static const int nbinds[] = {3, 3, 1};

static int run_sql(Db *db, int64_t unit) {
  HzErr e = {0};
  for (int k = 0; k < 3; k++) {
    DbStmt *st = db_prepare(db, sqls[k], &e);
    if (!st) return 1;
    for (int b = 1; b <= nbinds[k]; b++) db_bind_int(st, b, unit);
    int s;
    volatile size_t sink = 0;
    while ((s = db_step(db, st, &e)) == DB_ROW)
      for (int c = 0; c < 22 && (k == 1 || c < 2); c++) {
        const char *t = db_col_text(st, c);
        sink += t ? strlen(t) : 0;
      }
    if (s < 0) return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: list_text_bench DB [UNITS] [REPS]\n");
    return 2;
  }
  int units = argc > 2 ? atoi(argv[2]) : 200, reps = argc > 3 ? atoi(argv[3]) : 5;
  Db *db = NULL;
  HzErr e = {0};
  if (db_open(argv[1], 0, &db, &e)) {
    fprintf(stderr, "list_text_bench: %s\n", e.message);
    return 1;
  }
  DbStmt *st = db_prepare(db, "SELECT COUNT(*) FROM units", &e);
  int64_t nunits = st && db_step(db, st, &e) == DB_ROW ? db_col_int(st, 0) : 0;
  if (st) db_reset(st);
  if (units > nunits) units = (int)nunits;
  const Resource *r = resource_find("projects");
  json_t *query = json_pack("{s:s s:s}", "sort", "-planned_investment", "limit", "50");
  double *t[3];
  for (int k = 0; k < 3; k++) t[k] = calloc((size_t)reps, sizeof(double));
  size_t same = 0;
  for (int rep = 0; rep < reps; rep++) {
    for (int k = 0; k < 3; k++) {
      double c0 = cpu_now();
      for (int i = 0; i < units; i++) {
        int64_t unit = 1 + (int64_t)i * nunits / units;
        Actor a = {.id = 0, .role = ROLE_UNIT_STAFF, .unit_id = unit};
        if (k == 0) {
          if (run_sql(db, unit)) return 1;
        } else if (k == 1) {
          char *text = NULL;
          size_t len = 0;
          if (record_list_text(db, &a, r, 0, query, &text, &len, &e)) return 1;
          free(text);
        } else {
          json_t *out = NULL;
          if (record_list(db, &a, r, 0, query, &out, &e)) return 1;
          size_t len = 0;
          free(json_text(out, &len));
          json_decref(out);
        }
      }
      t[k][rep] = (cpu_now() - c0) * 1e6 / units;
    }
  }
  /* the two paths answer the same bytes (checked once, outside the timing) */
  for (int i = 0; i < units; i++) {
    Actor a = {.id = 0, .role = ROLE_UNIT_STAFF, .unit_id = 1 + (int64_t)i * nunits / units};
    char *text = NULL, *old = NULL;
    size_t len = 0;
    json_t *out = NULL;
    if (record_list_text(db, &a, r, 0, query, &text, &len, &e) || record_list(db, &a, r, 0, query, &out, &e)) return 1;
    old = json_text(out, &len);
    same += !strcmp(old, text);
    free(text);
    free(old);
    json_decref(out);
  }
  if (same != (size_t)units) {
    fprintf(stderr, "list_text_bench: %zu of %d answers differ between the paths\n", units - same, units);
    return 1;
  }
  printf("%.1f %.1f %.1f\n", bench_median(t[0], reps), bench_median(t[1], reps), bench_median(t[2], reps));
  json_decref(query);
  db_close(db);
  return 0;
}
