/* http/router.c: matching paths against the route table without a connection, body
 * limits per route, and capabilities derived from the table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include "http/assets.h"
#include "http/router.h"
#include "http/routes.h"

static int match(const char *method, const char *path, RouteMatch *m) { return router_match(method, path, m); }

static void test_literal_and_ids(void **state) {
  (void)state;
  RouteMatch m;
  assert_int_equal(match("GET", "/api/v1/me", &m), HZ_OK);
  assert_ptr_equal(m.route->handler, route_me);
  assert_int_equal(match("GET", "/api/v1/campaigns/7/dashboard", &m), HZ_OK);
  assert_ptr_equal(m.route->handler, route_dashboard);
  assert_int_equal(m.ids[0], 7);
  assert_int_equal(match("GET", "/api/v1/campaigns/3/ranking/42", &m), HZ_OK);
  assert_ptr_equal(m.route->handler, route_ranking_unit);
  assert_int_equal(m.ids[0], 3);
  assert_int_equal(m.ids[1], 42);
  assert_int_equal(match("GET", "/api/v1/projects/9223372036854775807", &m), HZ_OK);
  assert_ptr_equal(m.route->handler, route_record_read);
  assert_int_equal(m.ids[0], INT64_MAX);
  assert_string_equal(m.names[0], "projects");
}

static void test_generic_and_nested(void **state) {
  (void)state;
  RouteMatch m;
  assert_int_equal(match("POST", "/api/v1/projects/12/funds", &m), HZ_OK);
  assert_ptr_equal(m.route->handler, route_nested_create);
  assert_string_equal(m.names[0], "projects");
  assert_string_equal(m.names[1], "funds");
  assert_int_equal(m.ids[0], 12);
  /* certify takes only the collections that are certified; others fall to the generic route */
  assert_int_equal(match("POST", "/api/v1/funds/5/certify", &m), HZ_OK);
  assert_ptr_equal(m.route->handler, route_certify);
  assert_string_equal(m.names[0], "funds");
  assert_int_equal(match("POST", "/api/v1/projects/5/certify", &m), HZ_OK);
  assert_ptr_equal(m.route->handler, route_nested_create);
  /* the specific upload route comes before the generic nested create */
  assert_int_equal(match("POST", "/api/v1/projects/5/attachments", &m), HZ_OK);
  assert_ptr_equal(m.route->handler, route_attachment_upload);
  assert_int_equal(match("PATCH", "/api/v1/jobs/weekly-reminder", &m), HZ_OK);
  assert_ptr_equal(m.route->handler, route_job_update);
  assert_string_equal(m.names[0], "weekly-reminder");
  assert_int_equal(match("HEAD", "/api/v1/units", &m), HZ_OK);
  assert_ptr_equal(m.route->handler, route_records_list);
}

static void test_bad_ids(void **state) {
  (void)state;
  RouteMatch m;
  /* an id that overflows 64 bits, zero, negative, not a number, a sign, spaces */
  assert_int_equal(match("GET", "/api/v1/campaigns/9223372036854775808/dashboard", &m), HZ_ENOTFOUND);
  assert_int_equal(match("GET", "/api/v1/campaigns/99999999999999999999999999/dashboard", &m), HZ_ENOTFOUND);
  assert_int_equal(match("GET", "/api/v1/campaigns/0/dashboard", &m), HZ_ENOTFOUND);
  assert_int_equal(match("GET", "/api/v1/campaigns/-1/dashboard", &m), HZ_ENOTFOUND);
  assert_int_equal(match("GET", "/api/v1/campaigns/1x/dashboard", &m), HZ_ENOTFOUND);
  assert_int_equal(match("GET", "/api/v1/campaigns/ 1/dashboard", &m), HZ_ENOTFOUND);
  assert_null(m.route);
  /* GET /api/v1/projects/abc: {name}/{id} fails on the id and no other route has two segments there */
  assert_int_equal(match("GET", "/api/v1/projects/abc", &m), HZ_ENOTFOUND);
}

static void test_shape(void **state) {
  (void)state;
  RouteMatch m;
  /* trailing and doubled slashes are empty segments and skipped */
  assert_int_equal(match("GET", "/api/v1/me/", &m), HZ_OK);
  assert_ptr_equal(m.route->handler, route_me);
  assert_int_equal(match("GET", "//api//v1//campaigns//4//funnel//", &m), HZ_OK);
  assert_ptr_equal(m.route->handler, route_funnel);
  assert_int_equal(m.ids[0], 4);
  assert_int_equal(match("GET", "/", &m), HZ_OK);
  assert_ptr_equal(m.route->handler, assets_serve);
  assert_int_equal(match("GET", "", &m), HZ_OK); /* no segments: the root */
  /* too many segments: nothing, whatever they hold */
  assert_int_equal(match("GET", "/api/v1/a/1/b/2/c/3/d", &m), HZ_ENOTFOUND);
  assert_int_equal(match("GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s", &m), HZ_ENOTFOUND);
  assert_int_equal(match("GET", "/api/v2/units", &m), HZ_ENOTFOUND);
  assert_int_equal(match("GET", "/api/v1/campaigns/4/funnel/extra", &m), HZ_ENOTFOUND);
  /* a {name} longer than any collection name does not match */
  char longname[200] = "/api/v1/";
  memset(longname + 8, 'x', 150);
  assert_int_equal(match("GET", longname, &m), HZ_ENOTFOUND);
  /* the path exists under other methods: 405 rather than 404 */
  assert_int_equal(match("PUT", "/api/v1/units/3", &m), HZ_EMETHOD);
  assert_true(m.path_found);
  assert_null(m.route);
  assert_int_equal(match("DELETE", "/api/v1/campaigns/3/dashboard", &m), HZ_EMETHOD);
  assert_int_equal(match("POST", "/api/v1/audit/3", &m), HZ_EMETHOD);
}

static void test_body_limits(void **state) {
  (void)state;
  assert_int_equal(router_body_limit("POST", "/api/v1/projects/5/attachments"), UPLOAD_BODY_MAX);
  assert_int_equal(router_body_limit("POST", "/api/v1/projects/5/funds"), JSON_BODY_MAX);
  assert_int_equal(router_body_limit("GET", "/api/v1/projects/5/attachments"), JSON_BODY_MAX);
  assert_int_equal(router_body_limit("POST", "/nowhere/attachments"), JSON_BODY_MAX);
  assert_int_equal(router_body_limit("POST", "/api/v1/imports"), IMPORT_BODY_MAX);
  /* every route declares one of the limits: a file upload, a spreadsheet import, or JSON */
  size_t n;
  const Route *r = router_routes(&n);
  assert_true(n > 50);
  for (size_t i = 0; i < n; i++) {
    size_t binary = !strcmp(r[i].pattern, "/api/v1/imports") ? IMPORT_BODY_MAX : UPLOAD_BODY_MAX;
    assert_true(r[i].body_max == (r[i].flags & R_BINARY ? binary : JSON_BODY_MAX));
  }
}

static int has(json_t *caps, const char *collection, const char *verb) {
  json_t *v, *arr = json_object_get(caps, collection);
  size_t i;
  json_array_foreach(arr, i, v) if (!strcmp(json_string_value(v), verb)) return 1;
  return 0;
}

static void test_capabilities(void **state) {
  (void)state;
  json_t *admin = router_capabilities(ROLE_ADMIN, 0), *leader = router_capabilities(ROLE_LEADER, 0),
         *head = router_capabilities(ROLE_UNIT_HEAD, 0), *staff = router_capabilities(ROLE_UNIT_STAFF, 0);
  assert_true(has(admin, "stage-changes", "certify"));
  assert_false(has(staff, "stage-changes", "certify"));
  assert_true(has(staff, "stage-changes", "create"));
  assert_false(has(admin, "stage-changes", "update")); /* append-only */
  assert_true(has(leader, "weekly-reports", "instructions"));
  assert_false(has(staff, "weekly-reports", "instructions"));
  assert_true(has(head, "weekly-reports", "review"));
  assert_false(has(staff, "weekly-reports", "review"));
  assert_true(has(staff, "weekly-reports", "submit"));
  assert_false(has(leader, "weekly-reports", "submit"));
  assert_true(has(leader, "campaigns", "duplicates"));
  assert_false(has(staff, "campaigns", "duplicates"));
  assert_true(has(staff, "campaigns", "dashboard"));
  assert_true(has(admin, "jobs", "run"));
  assert_false(has(leader, "jobs", "read"));
  assert_true(has(admin, "audit", "read"));
  assert_true(has(admin, "attachments", "create"));
  assert_false(has(leader, "attachments", "create"));
  assert_false(has(admin, "proposals", "create")); /* made by evaluation only */
  /* keys without verbs are there, empty; verbs sorted and unique */
  assert_int_equal(json_array_size(json_object_get(staff, "audit")), 0);
  const char *key;
  json_t *arr;
  json_object_foreach(admin, key, arr) {
    for (size_t i = 1; i < json_array_size(arr); i++)
      assert_true(strcmp(json_string_value(json_array_get(arr, i - 1)), json_string_value(json_array_get(arr, i))) < 0);
  }
  json_decref(admin);
  json_decref(leader);
  json_decref(head);
  json_decref(staff);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_literal_and_ids), cmocka_unit_test(test_generic_and_nested), cmocka_unit_test(test_bad_ids),
    cmocka_unit_test(test_shape),           cmocka_unit_test(test_body_limits),        cmocka_unit_test(test_capabilities),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
