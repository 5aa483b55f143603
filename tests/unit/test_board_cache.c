/* Boards kept across writes (domain/progress.h board_get): after every kind of write the
 * board brought up to date by reloading only the units the write touched must equal a
 * board computed from scratch (board_load), and both must agree with the raw records
 * summed with plain SQL on a connection of its own. The database is a small `huizhan gen`
 * city on its as-of day; the writes go through the engine as the API makes them: a
 * follow-up, a new project, stage moves, a certification and a rejection, fund arrivals,
 * deletions, a project moved to another unit, and a change to a unit itself (which must
 * reload the whole board). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include "db/db.h"
#include "domain/certify.h"
#include "domain/progress.h"
#include "domain/record.h"
#include "domain/resource.h"
#include "gen/gen.h"
#include "util/json_text.h"
#include <stdlib.h>
#include "util/timeutil.h"
#include "temp_db.h"

static const Actor admin = {.id = 1, .role = ROLE_ADMIN, .login = "admin", .name = "系统管理员"};
static const Actor office = {.id = 2, .role = ROLE_OFFICE, .login = "office", .name = "会战办公室"};

/* One integer from raw SQL on a connection of its own (committed data only). */
static long long raw_int(const TempDb *t, const char *sql) {
  sqlite3 *h = NULL;
  sqlite3_stmt *st = NULL;
  if (sqlite3_open_v2(t->path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) fail_msg("open %s", t->path);
  if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) fail_msg("%s: %s", sql, sqlite3_errmsg(h));
  long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  sqlite3_close(h);
  return v;
}

typedef json_t *(*Part)(const Board *b);
static const struct {
  const char *name;
  Part part;
} parts[] = {{"progress", board_progress_json}, {"ranking", board_ranking_json}, {"funnel", board_funnel_json},
             {"forecast", board_forecast_json}};

/* Two texts equal byte for byte, else the test fails showing where they part. */
static void same_text(const char *kept, size_t kept_len, const char *fresh, size_t fresh_len, const char *after,
                      const char *what) {
  size_t k = 0;
  while (k < kept_len && k < fresh_len && kept[k] == fresh[k]) k++;
  if (k < kept_len || k < fresh_len)
    fail_msg("after %s, the kept %s differs from a fresh one at byte %zu of %zu/%zu:\n kept  …%.200s\n fresh …%.200s",
             after, what, k, kept_len, fresh_len, kept + (k > 80 ? k - 80 : 0), fresh + (k > 80 ? k - 80 : 0));
}

/* The answers the server sends after a write, written from the kept board as the server
 * writes them (the ranking from its rows kept as text, the dashboard's summary straight
 * from the board), equal byte for byte what a fresh board gives through JSON: the ranking
 * as json_text of board_ranking_json; the summary for the office and for a unit user. */
static void check_texts(const Board *kept, const Board *fresh, const char *after) {
  char *text = NULL;
  size_t len = 0, fresh_len = 0;
  assert_int_equal(board_ranking_text(kept, &text, &len), HZ_OK);
  json_t *j = board_ranking_json(fresh);
  char *fresh_text = json_text(j, &fresh_len);
  json_decref(j);
  same_text(text, len, fresh_text, fresh_len, after, "ranking text");
  assert_true(len > 100);
  free(text);
  free(fresh_text);
  for (int64_t unit = 0; unit <= 3; unit += 3) {
    json_t *a = board_dashboard_json(kept, unit, 2, 1), *b = board_dashboard_json(fresh, unit, 2, 1);
    char *ta = json_text(a, &len), *tb = json_text(b, &fresh_len);
    same_text(ta, len, tb, fresh_len, after, unit ? "dashboard (a unit's)" : "dashboard");
    free(ta);
    free(tb);
    json_decref(a);
    json_decref(b);
  }
}

/* The kept board equals a fresh one in every view, and each unit's certified funds,
 * certified signings and leads equal the raw records' sums. */
static void check_board(TempDb *t, const char *after) {
  HzErr e = {0};
  const Board *kept = NULL;
  Board *fresh = NULL;
  int today = date_today();
  assert_int_equal(board_get(t->db, 1, today, &kept, &e), HZ_OK);
  assert_int_equal(board_load(t->db, 1, today, &fresh, &e), HZ_OK);
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    json_t *a = parts[i].part(kept), *b = parts[i].part(fresh);
    if (!json_equal(a, b)) {
      char *sa = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS), *sb = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
      size_t k = 0;
      while (sa[k] && sa[k] == sb[k]) k++;
      fail_msg("after %s, the kept %s differs from a fresh one at byte %zu:\n kept  …%.300s\n fresh …%.300s", after,
               parts[i].name, k, sa + (k > 80 ? k - 80 : 0), sb + (k > 80 ? k - 80 : 0));
    }
    json_decref(a);
    json_decref(b);
  }
  check_texts(kept, fresh, after);
  json_t *ranking = board_ranking_json(kept), *progress = board_progress_json(kept), *r;
  size_t i;
  json_array_foreach(json_object_get(ranking, "overall"), i, r) {
    long long unit = (long long)json_integer_value(json_object_get(r, "unit_id"));
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT COALESCE(SUM(f.amount), 0) FROM funds f JOIN projects p ON p.id = f.project_id"
             " WHERE f.campaign_id = 1 AND f.status = 'certified' AND p.duplicate_of IS NULL AND p.lead_unit_id = %lld",
             unit);
    assert_int_equal(json_integer_value(json_object_get(r, "funds_certified")), raw_int(t, sql));
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM stage_changes s JOIN projects p ON p.id = s.project_id WHERE s.campaign_id = 1"
             " AND s.status = 'certified' AND s.contract_date IS NOT NULL AND p.duplicate_of IS NULL"
             " AND p.lead_unit_id = %lld",
             unit);
    assert_int_equal(json_integer_value(json_object_get(r, "signed_certified")), raw_int(t, sql));
  }
  json_array_foreach(json_object_get(progress, "units"), i, r) {
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM projects WHERE campaign_id = 1 AND duplicate_of IS NULL AND lead_unit_id = %lld",
             (long long)json_integer_value(json_object_get(r, "unit_id")));
    json_t *leads = json_object_get(json_object_get(r, "metrics"), "leads_count");
    assert_int_equal(json_integer_value(json_object_get(leads, "reported")), raw_int(t, sql));
  }
  json_decref(ranking);
  json_decref(progress);
  board_release(kept);
  board_free(fresh);
}

static TempDb t;

/* Readers asking for the board at once, each on a connection of its own, as server threads. */
#define READERS 8
typedef struct {
  const char *path;
  pthread_barrier_t *start;
  const Board *got;
  int rc;
} Reader;

static void *read_board(void *arg) {
  Reader *r = arg;
  Db *db = NULL;
  HzErr e = {0};
  r->rc = db_open(r->path, 0, &db, &e);
  pthread_barrier_wait(r->start);
  if (!r->rc) r->rc = board_get(db, 1, date_today(), &r->got, &e);
  db_close(db);
  return NULL;
}

static void test_kept_board_equals_fresh_after_every_write(void **state) {
  (void)state;
  char today[DATE_LEN];
  date_format(date_today(), today);
  temp_db_open(&t, "board");
  GenConfig cfg = {.units = 8, .projects = 400, .follow_ups = 1500, .funds = 600, .seed = 5,
                   .as_of = date_today(), .password = "test-pass-2026"};
  GenSummary sum;
  HzErr e = {0};
  assert_int_equal(gen_build(t.db, &cfg, &sum, &e), HZ_OK);
  int64_t loads0, patches0, hits0, loads, patches, hits;
  check_board(&t, "the start");
  board_stats(&loads0, &patches0, &hits0);
  json_t *out = NULL, *body;

  /* A follow-up (an outbound visit: activity, which moves the best unit's count). */
  body = json_pack("{s:s s:s s:s}", "date", today, "kind", "outbound_visit", "summary", "拜访企业");
  json_t *fu = written(record_create(t.db, &admin, resource_find("follow-ups"), 7, body, &out, &e), &out, &e, "follow-up");
  json_decref(body);
  check_board(&t, "a follow-up");

  /* An outbound visit by the unit with the most of them: the best unit's count, the basis
   * of every unit's activity score, grows, so units the write did not touch score anew. */
  long long best = raw_int(&t, "SELECT unit_id FROM unit_totals WHERE campaign_id = 1 AND metric = 'visits_out'"
                               " ORDER BY reported DESC, unit_id LIMIT 1");
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT MIN(id) FROM projects WHERE lead_unit_id = %lld AND duplicate_of IS NULL", best);
  long long visited = raw_int(&t, sql), other = best == 1 ? 2 : 1;
  const Board *before = NULL;
  assert_int_equal(board_get(t.db, 1, date_today(), &before, &e), HZ_OK);
  json_t *explain_before = board_explain_json(before, other);
  board_release(before);
  body = json_pack("{s:s s:s s:s}", "date", today, "kind", "outbound_visit", "summary", "最多拜访的单位再拜访一次");
  json_decref(written(record_create(t.db, &admin, resource_find("follow-ups"), visited, body, &out, &e), &out, &e,
                      "the best unit's visit"));
  json_decref(body);
  check_board(&t, "the best unit's visit");
  const Board *after = NULL;
  assert_int_equal(board_get(t.db, 1, date_today(), &after, &e), HZ_OK);
  json_t *explain_after = board_explain_json(after, other);
  board_release(after);
  /* The untouched unit's score did move (else this step would test nothing). */
  assert_true(json_real_value(json_object_get(explain_before, "score")) !=
              json_real_value(json_object_get(explain_after, "score")));
  json_decref(explain_before);
  json_decref(explain_after);

  /* A new project of unit 3, moved to negotiating, then signed (reported, then certified). */
  body = json_pack("{s:i s:s s:i s:s s:s s:i s:s}", "campaign_id", 1, "name", "测试新项目", "lead_unit_id", 3,
                   "category", "industrial", "method", "industry", "planned_investment", 5000000, "lead_date", today);
  json_t *p = written(record_create(t.db, &admin, resource_find("projects"), 0, body, &out, &e), &out, &e, "project");
  json_decref(body);
  check_board(&t, "a new project");
  body = json_pack("{s:s s:s}", "to_stage", "negotiating", "date", today);
  json_decref(written(record_create(t.db, &admin, resource_find("stage-changes"), id_of(p), body, &out, &e), &out, &e,
                    "move to negotiating"));
  json_decref(body);
  check_board(&t, "a move to negotiating");
  body = json_pack("{s:s s:s s:s s:i}", "to_stage", "signed", "date", today, "contract_date", today, "contract_value",
                   4000000);
  json_t *sc = written(record_create(t.db, &admin, resource_find("stage-changes"), id_of(p), body, &out, &e), &out, &e,
                     "signing");
  json_decref(body);
  check_board(&t, "a reported signing");
  json_decref(written(certify_record(t.db, &office, "stage-changes", id_of(sc), 1, "合同原件已在办公室核验", &out, &e), &out, &e, "certify"));
  check_board(&t, "a certified signing");

  /* Two fund arrivals on it: one certified, one rejected. */
  body = json_pack("{s:i s:s s:s}", "amount", 1500000, "date", today, "kind", "out_of_city");
  json_t *f1 = written(record_create(t.db, &admin, resource_find("funds"), id_of(p), body, &out, &e), &out, &e, "fund");
  json_decref(body);
  check_board(&t, "a reported fund");
  json_decref(written(certify_record(t.db, &office, "funds", id_of(f1), 1, NULL, &out, &e), &out, &e, "certify fund"));
  check_board(&t, "a certified fund");
  body = json_pack("{s:i s:s s:s}", "amount", 700000, "date", today, "kind", "policy");
  json_t *f2 = written(record_create(t.db, &admin, resource_find("funds"), id_of(p), body, &out, &e), &out, &e, "fund 2");
  json_decref(body);
  json_decref(written(certify_record(t.db, &office, "funds", id_of(f2), 0, "凭证不全", &out, &e), &out, &e, "reject fund"));
  check_board(&t, "a rejected fund");

  /* Deletions: the follow-up, and a project of its own. */
  assert_int_equal(record_delete(t.db, &admin, resource_find("follow-ups"), id_of(fu), version_of(fu), &e), HZ_OK);
  check_board(&t, "a deleted follow-up");
  body = json_pack("{s:i s:s s:i s:s s:s s:s}", "campaign_id", 1, "name", "待删除项目", "lead_unit_id", 5, "category",
                   "services", "method", "fair", "lead_date", today);
  json_t *gone = written(record_create(t.db, &admin, resource_find("projects"), 0, body, &out, &e), &out, &e, "project 2");
  json_decref(body);
  check_board(&t, "a second project");
  assert_int_equal(record_delete(t.db, &admin, resource_find("projects"), id_of(gone), version_of(gone), &e), HZ_OK);
  check_board(&t, "a deleted project");

  /* The signed project moves to unit 6: its figures leave unit 3 for unit 6. */
  json_t *now = NULL; /* the moves and the certification bumped its version */
  assert_int_equal(record_read(t.db, &admin, resource_find("projects"), id_of(p), &now, &e), HZ_OK);
  body = json_pack("{s:i s:I}", "lead_unit_id", 6, "version", (json_int_t)version_of(now));
  json_decref(now);
  json_t *moved = written(record_update(t.db, &admin, resource_find("projects"), id_of(p), body, &out, &e), &out, &e,
                        "move project");
  json_decref(body);
  check_board(&t, "a project moved to another unit");
  board_stats(&loads, &patches, &hits);
  /* Every write so far was brought in by reloading the units it named. */
  assert_int_equal(loads, loads0);
  assert_true(patches - patches0 >= 12);

  /* A unit's own record changes: the board reads units, so it is loaded whole again. */
  json_t *unit = NULL;
  assert_int_equal(record_read(t.db, &admin, resource_find("units"), 2, &unit, &e), HZ_OK);
  body = json_pack("{s:s s:I}", "name", "改名后的单位", "version", (json_int_t)version_of(unit));
  json_decref(written(record_update(t.db, &admin, resource_find("units"), 2, body, &out, &e), &out, &e, "rename unit"));
  json_decref(body);
  check_board(&t, "a renamed unit");
  board_stats(&loads, &patches, &hits);
  assert_int_equal(loads, loads0 + 1);

  /* Nothing written: the kept board is current. */
  int64_t hits1 = hits;
  check_board(&t, "no write");
  board_stats(&loads, &patches, &hits);
  assert_int_equal(hits, hits1 + 1);

  /* After a write, readers arriving together: one brings the board up to date and the
   * others wait for it rather than compute the same board again. Twelve rounds: on a small
   * city a board is patched in microseconds, so readers only sometimes overlap. */
  for (int round = 0; round < 12; round++) {
    body = json_pack("{s:s s:s s:s}", "date", today, "kind", "call", "summary", "并发读者");
    json_decref(written(record_create(t.db, &admin, resource_find("follow-ups"), 7, body, &out, &e), &out, &e,
                        "follow-up before the readers"));
    json_decref(body);
    int64_t loads1 = loads, patches1 = patches;
    hits1 = hits;
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, READERS);
    Reader readers[READERS];
    pthread_t threads[READERS];
    for (int i = 0; i < READERS; i++) {
      readers[i] = (Reader){.path = t.path, .start = &start};
      assert_int_equal(pthread_create(&threads[i], NULL, read_board, &readers[i]), 0);
    }
    for (int i = 0; i < READERS; i++) pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start);
    board_stats(&loads, &patches, &hits);
    assert_int_equal(loads + patches, loads1 + patches1 + 1);
    assert_int_equal(hits, hits1 + READERS - 1);
    for (int i = 0; i < READERS; i++) {
      assert_int_equal(readers[i].rc, HZ_OK);
      assert_ptr_equal(readers[i].got, readers[0].got);
    }
    for (int i = 0; i < READERS; i++) board_release(readers[i].got);
  }
  check_board(&t, "readers at once");

  json_decref(unit);
  json_decref(moved);
  json_decref(gone);
  json_decref(f1);
  json_decref(f2);
  json_decref(sc);
  json_decref(p);
  json_decref(fu);
  temp_db_close(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_kept_board_equals_fresh_after_every_write)};
  return cmocka_run_group_tests(tests, temp_db_setup, NULL);
}
