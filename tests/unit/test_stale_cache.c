/* The stale projects as of a past day answered from the state kept in memory
 * (domain/stale_cache.h) must equal the answer worked out from the records by SQL
 * (progress_store_stale) after every kind of write that can change it: follow-ups dated in
 * and after a day's quiet window, moves (reported, then rejected), funds, a new project with
 * an old lead date and its deletion, a project moved to another unit, a settled duplicate,
 * a renamed unit, a change of stale_days. Each check compares every row and the total for
 * several past days (before and after the writes' dates), for everyone and for one unit,
 * on several pages. The writes go through the engine as the API makes them; the state must
 * be brought up to date by reading only the projects written (loads stay at one), and the
 * rows a write takes out must be gone from the kept answer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include "db/db.h"
#include "domain/certify.h"
#include "domain/duplicates.h"
#include "domain/record.h"
#include "domain/resource.h"
#include "domain/settings.h"
#include "domain/stale_cache.h"
#include "gen/gen.h"
#include "store/progress_store.h"
#include "util/timeutil.h"
#include "temp_db.h"

static const Actor admin = {.id = 1, .role = ROLE_ADMIN, .login = "admin", .name = "系统管理员"};
static const Actor office = {.id = 2, .role = ROLE_OFFICE, .login = "office", .name = "会战办公室"};
static TempDb t;
static const int days_back[] = {1, 7, 10, 30};
#define DAYS (sizeof days_back / sizeof days_back[0])
#define UNIT 3

/* The campaign's stale_days: a project is listed when quiet that many days before the day. */
static int stale_days(void) {
  HzErr e = {0};
  Settings s;
  int64_t version;
  assert_int_equal(settings_load(t.db, 1, &s, &version, &e), HZ_OK);
  return s.stale_days;
}

/* The kept answer as of today - back, for unit (0: all), page (limit, offset). */
static json_t *kept(int back, int64_t unit, int64_t limit, int64_t offset, int64_t *total) {
  HzErr e = {0};
  Page p = {.limit = limit, .offset = offset, .unit_id = unit};
  json_t *items = NULL;
  int d = date_today() - back;
  if (stale_cache_page(t.db, 1, d - stale_days(), d, &p, &items, total, &e)) fail_msg("kept: %s", e.message);
  if (!items) fail_msg("the kept state could not answer");
  return items;
}

/* The same page from SQL (progress_store_stale, the path the kept state replaces). */
static json_t *fresh(int back, int64_t unit, int64_t limit, int64_t offset, int64_t *total) {
  HzErr e = {0};
  Page p = {.limit = limit, .offset = offset, .unit_id = unit};
  json_t *items = NULL;
  char since[DATE_LEN], day[DATE_LEN];
  date_format(date_today() - back - stale_days(), since);
  date_format(date_today() - back, day);
  if (progress_store_stale(t.db, 1, since, day, &p, &items, total, &e)) fail_msg("fresh: %s", e.message);
  return items;
}

/* Today's count kept in memory (stale_cache_count_now), for everyone and for one unit,
 * equals the SQL's total as things stand, for several quiet windows; and a raw count of the
 * stored columns (a unit's: led or co-owned). */
static void check_now(const char *after) {
  static const int windows[] = {0, 1, 7, 14, 30, 365};
  for (size_t k = 0; k < 2 * sizeof windows / sizeof windows[0]; k++) {
    size_t w = k / 2;
    int64_t unit = k % 2 ? UNIT : 0;
    HzErr e = {0};
    Page p = {.limit = 1, .offset = 0, .unit_id = unit};
    json_t *items = NULL;
    char since[DATE_LEN], sql[512];
    int day = date_today() - windows[w], known = 0;
    int64_t tk = -1, tf = -2, raw = -3;
    date_format(day, since);
    assert_int_equal(stale_cache_count_now(t.db, 1, unit, day, &tk, &known, &e), HZ_OK);
    if (!known) fail_msg("after %s: the kept state could not count today's quiet projects", after);
    if (progress_store_stale(t.db, 1, since, NULL, &p, &items, &tf, &e)) fail_msg("fresh: %s", e.message);
    json_decref(items);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM projects WHERE campaign_id = 1 AND stage IN ('lead', 'negotiating')"
             " AND duplicate_of IS NULL AND last_activity_date <= '%s' AND (%lld = 0 OR lead_unit_id = %lld"
             " OR id IN (SELECT project_id FROM project_units WHERE unit_id = %lld))",
             since, (long long)unit, (long long)unit, (long long)unit);
    assert_int_equal(db_query_int(t.db, sql, &raw, &e), HZ_OK);
    if (tk != tf || tk != raw)
      fail_msg("after %s, quiet since today-%d, unit %lld: kept %lld, SQL %lld, raw %lld", after, windows[w],
               (long long)unit, (long long)tk, (long long)tf, (long long)raw);
  }
}

/* Every past day, both scopes, several pages: the kept answer equals the fresh one; and
 * today's count. */
static void check_all(const char *after) {
  static const int64_t pages[][2] = {{7, 5}, {1000, 0}, {5, 100000}};
  for (size_t d = 0; d < DAYS; d++)
    for (int64_t unit = 0; unit <= UNIT; unit += UNIT)
      for (size_t g = 0; g < sizeof pages / sizeof pages[0]; g++) {
        int64_t tk = -1, tf = -2;
        json_t *a = kept(days_back[d], unit, pages[g][0], pages[g][1], &tk);
        json_t *b = fresh(days_back[d], unit, pages[g][0], pages[g][1], &tf);
        if (tk != tf || !json_equal(a, b)) {
          char *sa = json_dumps(a, JSON_COMPACT), *sb = json_dumps(b, JSON_COMPACT);
          size_t k = 0;
          while (sa[k] && sa[k] == sb[k]) k++;
          fail_msg("after %s, as of today-%d, unit %lld, page %lld+%lld: kept total %lld, fresh %lld; rows part at "
                   "byte %zu:\n kept  …%.300s\n fresh …%.300s",
                   after, days_back[d], (long long)unit, (long long)pages[g][1], (long long)pages[g][0],
                   (long long)tk, (long long)tf, k, sa + (k > 80 ? k - 80 : 0), sb + (k > 80 ? k - 80 : 0));
        }
        json_decref(a);
        json_decref(b);
      }
  check_now(after);
}

/* Whether project id is in the kept list as of today - back (everyone's, whole). */
static int listed_kept(int back, int64_t id) {
  int64_t total = 0;
  json_t *items = kept(back, 0, 100000, 0, &total), *it;
  size_t i;
  int found = 0;
  json_array_foreach(items, i, it) found |= json_integer_value(json_object_get(it, "project_id")) == id;
  json_decref(items);
  return found;
}

/* The n-th project (oldest activity first) of the kept list as of today - back with no
 * moves at all, so that a move of its own decides its stage on the days around. */
static int64_t listed_without_moves(int back, int n) {
  int64_t total = 0;
  json_t *items = kept(back, 0, 100000, 0, &total), *it;
  size_t i;
  int64_t id = 0;
  json_array_foreach(items, i, it) {
    HzErr e = {0};
    char sql[128];
    int64_t pid = json_integer_value(json_object_get(it, "project_id")), moves = -1;
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM stage_changes WHERE project_id = %lld", (long long)pid);
    assert_int_equal(db_query_int(t.db, sql, &moves, &e), HZ_OK);
    if (!moves && !strcmp(json_string_value(json_object_get(it, "stage")), "lead") && n-- == 0) {
      id = pid;
      break;
    }
  }
  json_decref(items);
  if (!id) fail_msg("no listed project without moves as of today-%d", back);
  return id;
}

static void day_back(int back, char out[DATE_LEN]) { date_format(date_today() - back, out); }

static void test_kept_stale_list_equals_sql_after_every_write(void **state) {
  (void)state;
  temp_db_open(&t, "stale");
  GenConfig cfg = {.units = 8, .projects = 600, .follow_ups = 900, .funds = 200, .seed = 7, .as_of = date_today(),
                   .password = "test-pass-2026"};
  GenSummary sum;
  HzErr e = {0};
  assert_int_equal(gen_build(t.db, &cfg, &sum, &e), HZ_OK);
  int64_t loads0, patches0, loads, patches;
  check_all("the start");
  stale_cache_stats(&loads0, &patches0);
  json_t *out = NULL, *body;
  char d1[DATE_LEN], d8[DATE_LEN], d9[DATE_LEN], d30[DATE_LEN], today[DATE_LEN];
  day_back(1, d1), day_back(8, d8), day_back(9, d9), day_back(30, d30), day_back(0, today);

  /* A follow-up dated today: no past day's list changes, but the state is brought up. */
  int64_t quiet = listed_without_moves(7, 0);
  body = json_pack("{s:s s:s s:s}", "date", today, "kind", "call", "summary", "今天的电话");
  json_decref(written(record_create(t.db, &admin, resource_find("follow-ups"), quiet, body, &out, &e), &out, &e, "fu"));
  json_decref(body);
  check_all("a follow-up dated today");
  assert_true(listed_kept(7, quiet));

  /* A follow-up dated 8 days ago: inside the quiet window of 7 days ago (it leaves that
   * list), after 10 days ago (it stays in that one). */
  assert_true(listed_kept(10, quiet));
  body = json_pack("{s:s s:s s:s}", "date", d8, "kind", "meeting", "summary", "八天前的洽谈");
  json_t *fu = written(record_create(t.db, &admin, resource_find("follow-ups"), quiet, body, &out, &e), &out, &e, "fu 2");
  json_decref(body);
  check_all("a follow-up dated in the window");
  assert_false(listed_kept(7, quiet));
  assert_true(listed_kept(10, quiet));

  /* A move to signed dated 9 days ago (reported): as of 7 days ago it is signed. */
  int64_t moved = listed_without_moves(7, 1);
  assert_true(listed_kept(10, moved));
  body = json_pack("{s:s s:s s:s s:i}", "to_stage", "signed", "date", d9, "contract_date", d9, "contract_value", 3000000);
  json_t *sc = written(record_create(t.db, &admin, resource_find("stage-changes"), moved, body, &out, &e), &out, &e,
                       "signing");
  json_decref(body);
  check_all("a signing dated 9 days ago");
  assert_false(listed_kept(7, moved));
  assert_true(listed_kept(10, moved));
  /* Rejected by the office: the move no longer counts, the project is back at lead. */
  json_decref(written(certify_record(t.db, &office, "stage-changes", id_of(sc), 0, "合同未见原件", &out, &e), &out, &e,
                      "reject"));
  check_all("a rejected signing");
  assert_true(listed_kept(7, moved));

  /* A fund: changes no list (and no project of the state). */
  body = json_pack("{s:i s:s s:s}", "amount", 900000, "date", today, "kind", "policy");
  json_decref(written(record_create(t.db, &admin, resource_find("funds"), moved, body, &out, &e), &out, &e, "fund"));
  json_decref(body);
  check_all("a fund");

  /* The follow-up in the window deleted: the project is quiet again as of 7 days ago. */
  assert_int_equal(record_delete(t.db, &admin, resource_find("follow-ups"), id_of(fu), version_of(fu), &e), HZ_OK);
  check_all("a deleted follow-up");
  assert_true(listed_kept(7, quiet));

  /* A new project recorded 30 days ago, never followed up: stale as of every day after its
   * quiet window; then deleted. */
  body = json_pack("{s:i s:s s:i s:s s:s s:s}", "campaign_id", 1, "name", "三十天前登记的项目", "lead_unit_id", UNIT,
                   "category", "services", "method", "fair", "lead_date", d30);
  json_t *p = written(record_create(t.db, &admin, resource_find("projects"), 0, body, &out, &e), &out, &e, "project");
  json_decref(body);
  check_all("a new project with an old lead date");
  assert_true(listed_kept(1, id_of(p)));
  assert_false(listed_kept(30, id_of(p)));
  assert_int_equal(record_delete(t.db, &admin, resource_find("projects"), id_of(p), version_of(p), &e), HZ_OK);
  check_all("a deleted project");
  assert_false(listed_kept(1, id_of(p)));

  /* A listed project moved to unit 3: it enters that unit's list. */
  json_t *now = NULL;
  assert_int_equal(record_read(t.db, &admin, resource_find("projects"), quiet, &now, &e), HZ_OK);
  int64_t unit_before = json_integer_value(json_object_get(now, "lead_unit_id"));
  body = json_pack("{s:i s:I}", "lead_unit_id", unit_before == UNIT ? UNIT + 1 : UNIT, "version",
                   (json_int_t)version_of(now));
  json_decref(now);
  json_decref(written(record_update(t.db, &admin, resource_find("projects"), quiet, body, &out, &e), &out, &e, "move"));
  json_decref(body);
  check_all("a project moved to another unit");

  /* Settled as a duplicate of another project: it leaves every list. */
  body = json_pack("{s:I}", "duplicate_of", (json_int_t)moved);
  json_decref(written(duplicates_settle(t.db, &office, quiet, body, &out, &e), &out, &e, "settle"));
  json_decref(body);
  check_all("a settled duplicate");
  assert_false(listed_kept(7, quiet));
  assert_false(listed_kept(10, quiet));

  stale_cache_stats(&loads, &patches);
  /* Every write so far was brought in by reading the projects it named again. */
  assert_int_equal(loads, loads0);
  assert_true(patches - patches0 >= 9);

  /* A renamed unit and a shorter stale period: read when answering, nothing to reload. */
  json_t *unit = NULL;
  assert_int_equal(record_read(t.db, &admin, resource_find("units"), UNIT, &unit, &e), HZ_OK);
  body = json_pack("{s:s s:I}", "name", "改名后的单位", "version", (json_int_t)version_of(unit));
  json_decref(written(record_update(t.db, &admin, resource_find("units"), UNIT, body, &out, &e), &out, &e, "rename"));
  json_decref(body);
  json_decref(unit);
  check_all("a renamed unit");
  Settings st;
  int64_t sv = 0;
  assert_int_equal(settings_load(t.db, 1, &st, &sv, &e), HZ_OK);
  body = json_pack("{s:i s:I}", "stale_days", 5, "version", (json_int_t)sv);
  json_decref(written(settings_update(t.db, &office, 1, body, &out, &e), &out, &e, "stale_days"));
  json_decref(body);
  check_all("stale_days set to 5");
  stale_cache_stats(&loads, &patches);
  assert_int_equal(loads, loads0);
  (void)d1;

  json_decref(sc);
  json_decref(fu);
  json_decref(p);
  temp_db_close(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_kept_stale_list_equals_sql_after_every_write)};
  return cmocka_run_group_tests(tests, temp_db_setup, NULL);
}
