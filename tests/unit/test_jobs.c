/* The recurring jobs' group-robot messages (domain/jobs.c): the stale-projects message of
 * the early-warning job counts every stale project per unit, not only a first page of
 * the list. The message is read back from webhook_deliveries with raw SQL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "domain/importer.h"
#include "domain/jobs.h"
#include "domain/record.h"
#include "util/timeutil.h"
#include "temp_db.h"

static const Actor admin = {.id = 0, .role = ROLE_ADMIN, .login = "admin", .name = "管理员"};

/* The first column of the first row of sql, as text (freed by the caller), or NULL. */
static char *raw_text(const TempDb *t, const char *sql) {
  sqlite3 *h = NULL;
  sqlite3_stmt *st = NULL;
  if (sqlite3_open_v2(t->path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) fail_msg("open %s", t->path);
  if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) fail_msg("%s: %s", sql, sqlite3_errmsg(h));
  char *v = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) ? strdup((const char *)sqlite3_column_text(st, 0))
                                                                          : NULL;
  sqlite3_finalize(st);
  sqlite3_close(h);
  return v;
}

static int64_t create(Db *db, const char *collection, int64_t parent, json_t *body) {
  return temp_db_create(db, &admin, collection, parent, body);
}

/* 5001 stale projects of 乙单位 (quiet since 09-01) and 2 of 甲单位 (since 09-20): the
 * list, oldest first, fills its first 5000 rows with 乙单位's alone. */
static void stale_message_counts_every_page(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "jobs");
  int64_t camp = create(t.db, "campaigns", 0,
                        json_pack("{s:s s:s s:s s:s}", "name", "2026年百日会战", "start_date", "2026-09-01", "end_date",
                                  "2026-12-09", "status", "active"));
  create(t.db, "units", 0, json_pack("{s:s s:s}", "name", "甲单位", "category", "services"));
  create(t.db, "units", 0, json_pack("{s:s s:s}", "name", "乙单位", "category", "services"));
  create(t.db, "webhooks", camp,
         json_pack("{s:s s:s s:s s:[s]}", "kind", "wecom", "name", "群", "url", "http://127.0.0.1:9/x?key=k", "events",
                   "stale_projects"));
  char csv[160];
  snprintf(csv, sizeof csv, "%s/projects.csv", t.dir);
  FILE *f = fopen(csv, "w");
  assert_non_null(f);
  fprintf(f, "项目名称,牵头单位,项目类别,招商方式,信息登记日期\n");
  for (int i = 0; i < 5001; i++) fprintf(f, "乙项目%04d,乙单位,工业项目,以商招商,2026-09-01\n", i);
  fprintf(f, "甲项目1,甲单位,工业项目,以商招商,2026-09-20\n甲项目2,甲单位,工业项目,以商招商,2026-09-20\n");
  fclose(f);
  ImportOpts o = {.kind = "projects", .filename = "projects.csv", .path = csv};
  json_t *res = NULL;
  HzErr e = {0};
  assert_int_equal(importer_run(t.db, &admin, &o, &res, &e), HZ_OK);
  assert_string_equal(json_string_value(json_object_get(res, "state")), "committed");
  json_decref(res);

  int today;
  assert_int_equal(date_parse("2026-10-15", &today), HZ_OK);
  date_pretend_today(today);
  json_t *out = NULL;
  assert_int_equal(jobs_run(t.db, &admin, "early-warning", &out, &e), HZ_OK);
  json_decref(out);
  date_pretend_today(DATE_REAL);

  char *title = raw_text(&t, "SELECT title FROM webhook_deliveries WHERE event = 'stale_projects'");
  char *text = raw_text(&t, "SELECT text FROM webhook_deliveries WHERE event = 'stale_projects'");
  assert_non_null(title);
  assert_non_null(text);
  assert_string_equal(title, "停滞项目 5003 个");
  if (!strstr(text, "涉及 2 个单位") || !strstr(text, "- 乙单位：5001 个\n- 甲单位：2 个\n")) fail_msg("%s", text);
  free(title);
  free(text);
  temp_db_close(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(stale_message_counts_every_page),
  };
  return cmocka_run_group_tests(tests, temp_db_setup, NULL);
}
