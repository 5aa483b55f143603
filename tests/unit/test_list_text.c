/* A list answer written straight as text (store/record_store.c record_store_list_text,
 * domain/record.c record_list_text) is byte for byte what the jansson path gives
 * (record_list, then json_text): for every collection, sort, page and scope, on rows
 * holding every awkward value (quotes, backslashes, control characters, invalid UTF-8,
 * NULLs, JSON fields, links); and, when HUIZHAN_DEMO_DB names the demo city (ctest sets
 * it), on the demo city. The escaper itself (util/json_text.h json_text_db_string) is
 * checked against hand-written expectations and against jansson's own json_string. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "domain/record.h"
#include "util/buf.h"
#include "util/json_text.h"
#include "temp_db.h"

/* ---- the escaper ---- */

/* json_text_db_string(s) is want, and is what jansson gives for json_string(s) (null when
 * jansson refuses the text). */
static void db_string(const char *s, const char *want) {
  Buf b;
  buf_init(&b, 0);
  assert_int_equal(json_text_db_string(&b, s), HZ_OK);
  assert_string_equal(b.data, want);
  json_t *j = s ? json_string(s) : NULL;
  char *theirs = json_dumps(j ? j : json_null(), JSON_COMPACT | JSON_ENCODE_ANY);
  assert_string_equal(b.data, theirs);
  free(theirs);
  json_decref(j);
  buf_free(&b);
}

static void test_escape(void **state) {
  (void)state;
  db_string(NULL, "null");
  db_string("", "\"\"");
  db_string("招商引资 2026", "\"招商引资 2026\"");
  db_string("say \"hi\"", "\"say \\\"hi\\\"\"");
  db_string("C:\\dir\\", "\"C:\\\\dir\\\\\"");
  db_string("a/b", "\"a/b\"");
  db_string("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
  db_string("\x01\x02\x1f\x7f", "\"\\u0001\\u0002\\u001F\x7f\"");
  db_string("\xF0\x9F\x98\x80", "\"\xF0\x9F\x98\x80\""); /* four-byte UTF-8 kept */
  /* Ill-formed UTF-8 is refused whole, as jansson refuses it: null. */
  db_string("ok\xff", "null");                   /* a byte that never starts a character */
  db_string("\x80", "null");                     /* a lone continuation byte */
  db_string("\xC0\x80", "null");                 /* an overlong NUL */
  db_string("\xE0\x80\xAF", "null");             /* an overlong '/' */
  db_string("\xED\xA0\x80", "null");             /* a surrogate */
  db_string("\xF4\x90\x80\x80", "null");         /* past U+10FFFF */
  db_string("招\xE5\x95", "null");               /* cut short */
  db_string("\xC3\xA9t\xC3\xA9", "\"\xC3\xA9t\xC3\xA9\"");
  /* Every single byte, and every byte after a valid lead byte, agrees with jansson. */
  for (int c = 1; c < 256; c++) {
    char one[2] = {(char)c, 0}, two[4] = {(char)0xE6, (char)c, (char)0x88, 0};
    const char *cases[] = {one, two};
    for (int k = 0; k < 2; k++) {
      Buf b;
      buf_init(&b, 0);
      assert_int_equal(json_text_db_string(&b, cases[k]), HZ_OK);
      json_t *j = json_string(cases[k]);
      char *theirs = json_dumps(j ? j : json_null(), JSON_COMPACT | JSON_ENCODE_ANY);
      assert_string_equal(b.data, theirs);
      free(theirs);
      json_decref(j);
      buf_free(&b);
    }
  }
}

/* ---- the lists ---- */

/* Both paths give the same bytes for r's list (under parent) as a asks with query. */
static int same_list(Db *db, const Actor *a, const Resource *r, int64_t parent, json_t *query) {
  HzErr e1 = {0}, e2 = {0};
  json_t *out = NULL;
  char *text = NULL;
  size_t len = 0;
  int rc1 = record_list(db, a, r, parent, query, &out, &e1);
  int rc2 = record_list_text(db, a, r, parent, query, &text, &len, &e2);
  assert_int_equal(rc1, rc2);
  if (!rc1) {
    size_t olen = 0;
    char *old = json_text(out, &olen);
    if (strcmp(old, text)) {
      char *q = json_dumps(query, JSON_COMPACT);
      fail_msg("%s (parent %lld, role %d) %s:\nold %s\nnew %s", r->name, (long long)parent, a->role, q, old, text);
    }
    assert_int_equal(len, olen);
    free(old);
  } else {
    assert_int_equal(e1.rc, e2.rc);
    assert_string_equal(e1.message, e2.message);
  }
  json_decref(out);
  free(text);
  hz_err_clear(&e1);
  hz_err_clear(&e2);
  return rc1;
}

/* A page anywhere in the list (read from the end when nearer it) holds the rows the whole
 * list, read from the start, has there: sort is NULL for the default order. */
static void pages_match(Db *db, const Actor *a, const Resource *r, int64_t parent, const char *sort) {
  HzErr e = {0};
  json_t *q = json_pack("{s:s}", "limit", "500"), *whole = NULL;
  if (sort) json_object_set_new(q, "sort", json_string(sort));
  int rc = record_list(db, a, r, parent, q, &whole, &e);
  hz_err_clear(&e);
  if (rc) {
    json_decref(q);
    return;
  }
  json_t *all = json_object_get(whole, "items");
  int64_t n = (int64_t)json_array_size(all);
  if (json_integer_value(json_object_get(whole, "total")) != n) n = -1000; /* longer than a page: not here */
  const int64_t pages[][2] = {{n - 1, 5}, {n - 3, 2}, {n / 2 + 1, 3}, {1, 2}, {n + 2, 5}};
  for (size_t k = 0; k < sizeof pages / sizeof pages[0]; k++) {
    if (n < 0 || pages[k][0] < 0) continue;
    char off[24], lim[24];
    snprintf(off, sizeof off, "%lld", (long long)pages[k][0]);
    snprintf(lim, sizeof lim, "%lld", (long long)pages[k][1]);
    json_object_set_new(q, "offset", json_string(off));
    json_object_set_new(q, "limit", json_string(lim));
    json_t *page = NULL, *want = json_array();
    for (int64_t i = pages[k][0]; i < n && i < pages[k][0] + pages[k][1]; i++) json_array_append(want, json_array_get(all, (size_t)i));
    assert_int_equal(record_list(db, a, r, parent, q, &page, &e), HZ_OK);
    if (!json_equal(json_object_get(page, "items"), want) || json_integer_value(json_object_get(page, "total")) != n)
      fail_msg("%s sort %s offset %s limit %s: not the slice of the whole list", r->name, sort ? sort : "id", off, lim);
    json_decref(page);
    json_decref(want);
    same_list(db, a, r, parent, q);
  }
  json_decref(whole);
  json_decref(q);
}

/* Every collection: unpaged, each sort both ways, a page further on, a search; as each
 * actor given. Returns how many answers were compared that were not refused. */
static int compare_all(Db *db, const Actor *const *actors, int64_t parent) {
  int compared = 0;
  for (int i = 0; resources[i]; i++) {
    const Resource *r = resources[i];
    json_t *queries = json_array();
    json_array_append_new(queries, json_object());
    json_array_append_new(queries, json_pack("{s:s s:s}", "limit", "2", "offset", "1"));
    json_array_append_new(queries, json_pack("{s:s s:s}", "limit", "500", "sort", "-id"));
    json_array_append_new(queries, json_pack("{s:s}", "q", "a"));
    for (const Field *f = r->fields; f->name; f++) {
      if (!(f->flags & FF_SORT)) continue;
      char desc[80];
      snprintf(desc, sizeof desc, "-%s", f->name);
      json_array_append_new(queries, json_pack("{s:s s:s}", "sort", f->name, "limit", "100"));
      json_array_append_new(queries, json_pack("{s:s s:s s:s}", "sort", desc, "limit", "7", "offset", "3"));
    }
    for (int k = 0; actors[k]; k++) {
      pages_match(db, actors[k], r, 0, NULL);
      pages_match(db, actors[k], r, 0, "-id");
      for (const Field *f = r->fields; f->name && k == 0; f++) { /* every sort as the first actor */
        if (!(f->flags & FF_SORT)) continue;
        char desc[80];
        snprintf(desc, sizeof desc, "-%s", f->name);
        pages_match(db, actors[k], r, 0, f->name);
        pages_match(db, actors[k], r, 0, desc);
        if (r->parent && parent) pages_match(db, actors[k], r, parent, desc);
      }
      size_t qi;
      json_t *q;
      json_array_foreach(queries, qi, q) {
        /* q is refused alike by both paths where the collection has no text search */
        compared += !same_list(db, actors[k], r, 0, q);
        if (r->parent && parent) compared += !same_list(db, actors[k], r, parent, q);
      }
    }
    json_decref(queries);
  }
  return compared;
}

static const Actor office = {.id = 0, .role = ROLE_OFFICE, .login = "office", .name = "办公室"};
static const Actor admin = {.id = 0, .role = ROLE_ADMIN, .login = "admin", .name = "管理员"};
static const Actor leader = {.id = 0, .role = ROLE_LEADER, .login = "leader", .name = "领导"};

static void run(Db *db, const char *sql) {
  HzErr e = {0};
  if (db_exec(db, sql, &e)) fail_msg("%s: %s", sql, e.message);
}

/* Rows with every awkward value, written with raw SQL (the engine's validation would
 * refuse some of them; a database may still hold them, e.g. from before a rule). */
static void test_awkward_rows(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "listtext");
  run(t.db, "PRAGMA foreign_keys = OFF");
  run(t.db, "INSERT INTO units (id, name, category, created_at, updated_at) VALUES"
            " (1, '招商一局 \"东\"', 'industry', '2026-09-01T00:00:00Z', '2026-09-01T00:00:00Z'),"
            " (2, 'bad ' || CAST(X'FF41' AS TEXT), 'industry', '2026-09-01T00:00:00Z', '2026-09-01T00:00:00Z')");
  run(t.db, "INSERT INTO campaigns (id, name, year, start_date, end_date, created_at, updated_at) VALUES"
            " (1, '百日会战', 2026, '2026-08-17', '2026-11-24', '2026-08-01T00:00:00Z', '2026-08-01T00:00:00Z')");
  run(t.db, "INSERT INTO projects (id, campaign_id, name, lead_unit_id, category, method, planned_investment,"
            " contract_value, stage, description, lead_date, last_activity_date, source_name, created_at, updated_at) VALUES"
            " (1, 1, 'tab' || char(9) || 'nl' || char(10) || 'bell' || char(7) || char(31), 1, 'industrial', 'industry',"
            "  5000000, 0, 'lead', 'back\\slash \"q\" /', '2026-09-01', '2026-09-01', NULL, '2026-09-01T00:00:00Z', '2026-09-01T00:00:00Z'),"
            " (2, 1, 'cut ' || CAST(X'E68B' AS TEXT), 2, 'services', 'joint', 0, 0, 'signed',"
            "  CAST(X'EDA080' AS TEXT), '2026-09-02', '2026-09-03', '外部 ' || char(1), '2026-09-02T00:00:00Z', '2026-09-02T00:00:00Z'),"
            " (3, 1, '😀 emoji', 1, 'industrial', 'fair', 5000000, 123, 'started', NULL, '2026-09-02', '2026-09-02', NULL,"
            "  '2026-09-02T00:00:00Z', CAST(X'C080' AS TEXT))");
  run(t.db, "INSERT INTO project_units (project_id, unit_id) VALUES (1, 2), (3, 2), (3, 1)");
  run(t.db, "INSERT INTO follow_ups (id, project_id, campaign_id, unit_id, date, kind, summary, with_leader, outside_participants,"
            " created_at, updated_at) VALUES (1, 1, 1, 1, '2026-09-05', 'call', 'a' || char(0) || 'b', 1, '\"', '2026-09-05T00:00:00Z', '2026-09-05T00:00:00Z'),"
            " (2, 3, 1, 1, '2026-09-06', 'call', 'summary ' || CAST(X'80' AS TEXT), 0, NULL, '2026-09-06T00:00:00Z', '2026-09-06T00:00:00Z')");
  run(t.db, "INSERT INTO follow_up_participants (follow_up_id, user_id) VALUES (1, 9), (1, 3), (2, 4)");
  /* The users' last logins (derived from login_events): 3 logged in once, then a guess
   * failed; 4 twice, last from an address that is no UTF-8; 9 never (a failure only). */
  run(t.db, "INSERT INTO users (id, created_at, updated_at, login, name, role, unit_id, password_hash) VALUES"
            " (3, '2026-09-01T00:00:00Z', '2026-09-01T00:00:00Z', 'u3', '张\"三', 'unit_staff', 1, 'x'),"
            " (4, '2026-09-01T00:00:00Z', '2026-09-01T00:00:00Z', 'u4', '李四', 'unit_head', 2, 'x'),"
            " (9, '2026-09-01T00:00:00Z', '2026-09-01T00:00:00Z', 'u9', '王五', 'office', NULL, 'x')");
  run(t.db, "INSERT INTO login_events (id, at, at_unix, login, user_id, address, outcome) VALUES"
            " (1, '2026-09-01T00:00:00Z', 0, 'u4', 4, '10.0.0.1', 'ok'),"
            " (2, '2026-09-05T01:02:03Z', 0, 'u3', 3, '10.0.0.3', 'ok'),"
            " (3, '2026-09-05T01:02:04Z', 0, 'u3', 3, '10.9.9.9', 'bad_credentials'),"
            " (4, '2026-09-06T08:00:00Z', 0, 'u4', 4, 'bad ' || CAST(X'FF' AS TEXT), 'ok'),"
            " (5, '2026-09-07T00:00:00Z', 0, 'u9', 9, '10.0.0.9', 'bad_credentials')");
  run(t.db, "INSERT INTO rules (id, campaign_id, code, name, trigger_on, outcome, outcome_text, condition, created_at, updated_at) VALUES"
            " (1, 1, 'c1', 'r1', 'other', 'other', '警示', '{\"z\":1.5,\"a\":[1,2.25,\"x\\\\u0001\"],\"m\":{\"k\":null}}', '2026-09-01T00:00:00Z', '2026-09-01T00:00:00Z'),"
            " (2, 1, 'c2', 'r2', 'other', 'other', '\\\\', 'not json', '2026-09-01T00:00:00Z', '2026-09-01T00:00:00Z')");
  const Actor unit1 = {.id = 5, .role = ROLE_UNIT_STAFF, .unit_id = 1, .login = "u1", .name = "单位一"};
  const Actor unit2 = {.id = 6, .role = ROLE_UNIT_HEAD, .unit_id = 2, .login = "u2", .name = "单位二"};
  const Actor *const actors[] = {&office, &leader, &unit1, &unit2, &admin, NULL};
  assert_true(compare_all(t.db, actors, 1) > 100);
  /* Hand-worked: the project list as unit 2 sees it, by planned investment, largest first. */
  HzErr e = {0};
  char *text = NULL;
  size_t len = 0;
  json_t *q = json_pack("{s:s s:s}", "sort", "-planned_investment", "limit", "1");
  assert_int_equal(record_list_text(t.db, &unit2, resource_find("projects"), 0, q, &text, &len, &e), HZ_OK);
  /* unit 2 leads project 2 and co-owns 1 and 3: 1 and 3 tie at 5000000, the larger id first */
  assert_non_null(strstr(text, "{\"items\":[{\"id\":3,\"version\":1,\"created_at\":\"2026-09-02T00:00:00Z\",\"campaign_id\":1,"
                               "\"name\":\"😀 emoji\""));
  assert_non_null(strstr(text, "\"co_unit_ids\":[1,2]}],\"total\":3,\"limit\":1,\"offset\":0}"));
  assert_null(strstr(text, "updated_at")); /* jansson refuses the overlong text: the key is left out */
  free(text);
  json_decref(q);
  /* Hand-worked: the users by last login, latest first, never last; the address only to
   * the admin (who may write users), null where the stored text is no UTF-8. */
  q = json_pack("{s:s}", "sort", "-last_login_at");
  assert_int_equal(record_list_text(t.db, &admin, resource_find("users"), 0, q, &text, &len, &e), HZ_OK);
  const char *u4 = strstr(text, "{\"id\":4,"), *u3 = strstr(text, "{\"id\":3,"), *u9 = strstr(text, "{\"id\":9,");
  assert_true(u4 && u3 && u9 && u4 < u3 && u3 < u9);
  assert_non_null(strstr(u4, "\"must_change_password\":false,\"last_login_at\":\"2026-09-06T08:00:00Z\","
                             "\"last_login_address\":null},{\"id\":3,"));
  assert_non_null(strstr(u3, "\"last_login_at\":\"2026-09-05T01:02:03Z\",\"last_login_address\":\"10.0.0.3\"},"));
  assert_non_null(strstr(u9, "\"last_login_at\":null,\"last_login_address\":null}],\"total\":3,"));
  free(text);
  assert_int_equal(record_list_text(t.db, &unit1, resource_find("users"), 0, q, &text, &len, &e), HZ_OK);
  assert_non_null(strstr(text, "\"last_login_at\":\"2026-09-05T01:02:03Z\"}],\"total\":1,")); /* its own unit's 3 */
  assert_null(strstr(text, "last_login_address"));
  free(text);
  json_t *one = NULL;
  assert_int_equal(record_read(t.db, &admin, resource_find("users"), 3, &one, &e), HZ_OK);
  assert_string_equal(json_string_value(json_object_get(one, "last_login_address")), "10.0.0.3");
  json_decref(one);
  assert_int_equal(record_read(t.db, &leader, resource_find("users"), 9, &one, &e), HZ_OK);
  assert_true(json_is_null(json_object_get(one, "last_login_at")));
  assert_null(json_object_get(one, "last_login_address"));
  json_decref(one);
  json_decref(q);
  temp_db_close(&t);
}

/* The demo city (built by the API suite's fixture), every collection as several people. */
static void test_demo_city(void **state) {
  (void)state;
  const char *src = getenv("HUIZHAN_DEMO_DB");
  if (!src || !*src) fail_msg("HUIZHAN_DEMO_DB is not set (ctest sets it to the demo city fixture)");
  char dir[] = "/tmp/hz-test-listdemo-XXXXXX", path[96], cmd[400];
  if (!mkdtemp(dir)) fail_msg("mkdtemp failed");
  snprintf(path, sizeof path, "%s/demo.db", dir);
  snprintf(cmd, sizeof cmd, "cp '%s' '%s'", src, path);
  if (system(cmd)) fail_msg("cannot copy %s", src);
  Db *db = NULL;
  HzErr e = {0};
  if (db_open(path, 0, &db, &e)) fail_msg("%s", e.message);
  const Actor staff = {.id = 0, .role = ROLE_UNIT_STAFF, .unit_id = 3, .login = "staff", .name = "单位"};
  const Actor *const actors[] = {&office, &staff, NULL};
  assert_true(compare_all(db, actors, 1) > 250);
  db_close(db);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd)) fail_msg("cannot remove %s", dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_escape),
      cmocka_unit_test(test_awkward_rows),
      cmocka_unit_test(test_demo_city),
  };
  return cmocka_run_group_tests(tests, temp_db_setup, NULL);
}
