/* domain/resource.c: validation of request bodies and list parameters against the real
 * resource tables of domain/resources.c (projects, funds, campaigns, users). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/resource.h"
#include "util/money.h"

static const Resource *res(const char *name) {
  const Resource *r = resource_find(name);
  if (!r) fail_msg("no resource %s", name);
  return r;
}

static json_t *parse(const char *text) {
  json_error_t je;
  json_t *j = json_loads(text, 0, &je);
  if (!j) fail_msg("bad test JSON %s: %s", text, je.text);
  return j;
}

/* Validates body; on success *values (if asked) gets the columns to write. */
static int validate_j(const char *name, json_t *body, int op, HzErr *e, json_t **values_out, json_t **extra_out) {
  json_t *values = (json_t *)1, *extra = (json_t *)1;
  int rc = resource_validate(res(name), body, op, &values, &extra, e);
  if (rc) {
    assert_null(values);
    assert_null(extra);
    assert_int_equal(e->rc, HZ_EINVAL);
    assert_true(e->message[0] != 0);
    assert_non_null(e->fields);
  } else {
    assert_non_null(values);
    assert_non_null(extra);
  }
  if (values_out) *values_out = values;
  else json_decref(values);
  if (extra_out) *extra_out = extra;
  else json_decref(extra);
  return rc;
}

static int validate(const char *name, const char *text, int op, HzErr *e) {
  json_t *body = parse(text);
  int rc = validate_j(name, body, op, e, NULL, NULL);
  json_decref(body);
  return rc;
}

static void ok(const char *name, const char *text, int op) {
  HzErr e = {0};
  int rc = validate(name, text, op, &e);
  if (rc) fail_msg("%s %s refused: %s", name, text, e.message);
  hz_err_clear(&e);
}

/* The body is refused and every listed field (NULL-terminated) is named. */
static void refused_v(const char *name, const char *text, int op, const char *const *fields) {
  HzErr e = {0};
  int rc = validate(name, text, op, &e);
  if (rc != HZ_EINVAL) fail_msg("%s %s accepted", name, text);
  for (; *fields; fields++)
    if (!json_object_get(e.fields, *fields)) {
      char *dump = json_dumps(e.fields, 0);
      fail_msg("%s %s: field %s not named in %s", name, text, *fields, dump);
      free(dump);
    }
  hz_err_clear(&e);
}
#define refused(name, text, op, ...) refused_v(name, text, op, (const char *const[]){__VA_ARGS__, NULL})

#define PROJECT "\"campaign_id\":1,\"name\":\"光伏组件项目\",\"category\":\"industrial\",\"method\":\"industry\""

static void test_project_create(void **state) {
  (void)state;
  HzErr e = {0};
  json_t *body = parse("{" PROJECT ",\"planned_investment\":500000000,\"co_unit_ids\":[2,3],"
                       "\"responsible_user_id\":null}");
  json_t *values = NULL, *extra = NULL;
  assert_int_equal(validate_j("projects", body, OP_CREATE, &e, &values, &extra), HZ_OK);
  assert_int_equal(json_object_size(values), 7);
  assert_int_equal(json_integer_value(json_object_get(values, "campaign_id")), 1);
  assert_string_equal(json_string_value(json_object_get(values, "name")), "光伏组件项目");
  assert_int_equal(json_integer_value(json_object_get(values, "planned_investment")), 500000000);
  assert_true(json_is_null(json_object_get(values, "responsible_user_id")));
  assert_int_equal(json_array_size(json_object_get(values, "co_unit_ids")), 2);
  assert_int_equal(json_object_size(extra), 0);
  assert_null(e.fields);
  json_decref(values);
  json_decref(extra);
  json_decref(body);
}

static void test_required(void **state) {
  (void)state;
  refused("projects", "{}", OP_CREATE, "campaign_id", "name", "category", "method");
  refused("projects", "{\"campaign_id\":1,\"category\":\"industrial\",\"method\":\"industry\"}", OP_CREATE, "name");
  /* a required text of blanks is as good as missing */
  refused("projects", "{\"campaign_id\":1,\"name\":\"  \\t \",\"category\":\"industrial\",\"method\":\"industry\"}",
          OP_CREATE, "name");
  /* null for a field that is not nullable */
  refused("projects", "{\"campaign_id\":1,\"name\":null,\"category\":\"industrial\",\"method\":\"industry\"}",
          OP_CREATE, "name");
  refused("funds", "{\"amount\":100}", OP_CREATE, "date", "kind");
  refused("campaigns", "{\"name\":\"2026 百日会战\"}", OP_CREATE, "start_date");
  refused("users", "{\"login\":\"li\"}", OP_CREATE, "name", "role");
  /* required fields are not required on update */
  ok("projects", "{\"version\":1,\"description\":\"扩产\"}", OP_UPDATE);
}

static void test_unknown_readonly_createonly(void **state) {
  (void)state;
  refused("projects", "{" PROJECT ",\"colour\":\"red\"}", OP_CREATE, "colour");
  refused("projects", "{" PROJECT ",\"id\":5}", OP_CREATE, "id");
  refused("projects", "{" PROJECT ",\"version\":1}", OP_CREATE, "version"); /* version belongs to updates */
  refused("projects", "{" PROJECT ",\"stage\":\"signed\"}", OP_CREATE, "stage");
  refused("funds", "{\"amount\":100,\"date\":\"2026-10-01\",\"kind\":\"foreign\",\"status\":\"certified\"}", OP_CREATE,
          "status");
  refused("funds", "{\"amount\":100,\"date\":\"2026-10-01\",\"kind\":\"foreign\",\"project_id\":3}", OP_CREATE,
          "project_id");
  refused("users", "{\"login\":\"li\",\"name\":\"李\",\"role\":\"office\",\"password_hash\":\"x\"}", OP_CREATE,
          "password_hash");
  /* create-only fields: fine on create, refused on update */
  ok("projects", "{" PROJECT "}", OP_CREATE);
  refused("projects", "{\"version\":3,\"campaign_id\":2}", OP_UPDATE, "campaign_id");
  refused("users", "{\"version\":3,\"login\":\"other\"}", OP_UPDATE, "login");
  ok("users", "{\"version\":3,\"name\":\"王五\"}", OP_UPDATE);
  /* several problems at once are all named */
  refused("projects", "{\"colour\":1,\"stage\":\"lead\",\"name\":7,\"category\":\"mining\"}", OP_CREATE, "colour",
          "stage", "name", "category", "campaign_id", "method");
}

static void test_version(void **state) {
  (void)state;
  refused("projects", "{\"name\":\"新名称\"}", OP_UPDATE, "version");
  refused("projects", "{\"name\":\"新名称\",\"version\":\"2\"}", OP_UPDATE, "version");
  refused("projects", "{\"name\":\"新名称\",\"version\":0}", OP_UPDATE, "version");
  refused("projects", "{\"name\":\"新名称\",\"version\":1.0}", OP_UPDATE, "version");
  refused("projects", "{\"name\":\"新名称\",\"version\":null}", OP_UPDATE, "version");
  ok("projects", "{\"name\":\"新名称\",\"version\":2}", OP_UPDATE);
  ok("projects", "{\"version\":1}", OP_UPDATE);
  /* version is not written as a column */
  HzErr e = {0};
  json_t *body = parse("{\"name\":\"新名称\",\"version\":2}"), *values = NULL;
  assert_int_equal(validate_j("projects", body, OP_UPDATE, &e, &values, NULL), HZ_OK);
  assert_null(json_object_get(values, "version"));
  assert_int_equal(json_object_size(values), 1);
  json_decref(values);
  json_decref(body);
}

static void test_types(void **state) {
  (void)state;
  refused("projects", "{" PROJECT ",\"planned_investment\":\"100\"}", OP_CREATE, "planned_investment");
  refused("projects", "{" PROJECT ",\"planned_investment\":1.5}", OP_CREATE, "planned_investment");
  refused("projects", "{" PROJECT ",\"planned_investment\":true}", OP_CREATE, "planned_investment");
  refused("projects", "{\"campaign_id\":\"1\",\"name\":\"x\",\"category\":\"industrial\",\"method\":\"industry\"}",
          OP_CREATE, "campaign_id");
  refused("projects", "{\"campaign_id\":0,\"name\":\"x\",\"category\":\"industrial\",\"method\":\"industry\"}",
          OP_CREATE, "campaign_id");
  refused("projects", "{\"campaign_id\":1,\"name\":42,\"category\":\"industrial\",\"method\":\"industry\"}",
          OP_CREATE, "name");
  refused("projects", "{\"campaign_id\":1,\"name\":[\"x\"],\"category\":\"industrial\",\"method\":\"industry\"}",
          OP_CREATE, "name");
  refused("users", "{\"version\":1,\"disabled\":\"yes\"}", OP_UPDATE, "disabled");
  refused("users", "{\"version\":1,\"disabled\":1}", OP_UPDATE, "disabled");
  ok("users", "{\"version\":1,\"disabled\":true}", OP_UPDATE);
  refused("campaigns", "{\"name\":\"会战\",\"start_date\":\"2026-08-01\",\"year\":\"2026\"}", OP_CREATE, "year");
  /* the body itself must be an object */
  HzErr e = {0};
  json_t *arr = parse("[1,2]"), *values = (json_t *)1, *extra = (json_t *)1;
  assert_int_equal(resource_validate(res("projects"), arr, OP_CREATE, &values, &extra, &e), HZ_EINVAL);
  assert_null(values);
  assert_null(extra);
  assert_non_null(json_object_get(e.fields, "body"));
  hz_err_clear(&e);
  json_decref(arr);
}

static void test_money_fields(void **state) {
  (void)state;
  char body[256];
  refused("projects", "{" PROJECT ",\"planned_investment\":-1}", OP_CREATE, "planned_investment");
  refused("funds", "{\"amount\":-5,\"date\":\"2026-10-01\",\"kind\":\"foreign\"}", OP_CREATE, "amount");
  ok("funds", "{\"amount\":0,\"date\":\"2026-10-01\",\"kind\":\"foreign\"}", OP_CREATE); /* > 0 is a hook's rule */
  snprintf(body, sizeof body, "{" PROJECT ",\"planned_investment\":%lld}", (long long)MONEY_MAX);
  ok("projects", body, OP_CREATE);
  snprintf(body, sizeof body, "{" PROJECT ",\"planned_investment\":%lld}", (long long)MONEY_MAX + 1);
  refused("projects", body, OP_CREATE, "planned_investment");
  /* a project's contract value comes from its signing, never from the project itself */
  refused("projects", "{" PROJECT ",\"contract_value\":1000}", OP_CREATE, "contract_value");
  refused("projects", "{\"contract_value\":1000}", OP_UPDATE, "contract_value");
}

/* A JSON string of n copies of a character (as UTF-8 text). */
static char *repeat(const char *ch, size_t n) {
  size_t len = strlen(ch);
  char *s = malloc(len * n + 1);
  for (size_t i = 0; i < n; i++) memcpy(s + i * len, ch, len);
  s[len * n] = 0;
  return s;
}

static void text_len(const char *res_name, const char *field, const char *ch, size_t n, int op, int want_ok) {
  char *s = repeat(ch, n);
  json_t *body = json_pack("{s:s}", field, s);
  if (op == OP_UPDATE) json_object_set_new(body, "version", json_integer(1));
  HzErr e = {0};
  int rc = validate_j(res_name, body, op, &e, NULL, NULL);
  if (want_ok && rc) fail_msg("%s.%s of %zu × %s refused: %s", res_name, field, n, ch, e.message);
  if (!want_ok && (rc != HZ_EINVAL || !json_object_get(e.fields, field)))
    fail_msg("%s.%s of %zu × %s accepted", res_name, field, n, ch);
  hz_err_clear(&e);
  json_decref(body);
  free(s);
}

static void test_text_length(void **state) {
  (void)state;
  /* default limit 500 characters, counted as characters, not bytes (项 is 3 bytes) */
  text_len("projects", "name", "a", 500, OP_UPDATE, 1);
  text_len("projects", "name", "a", 501, OP_UPDATE, 0);
  text_len("projects", "name", "项", 500, OP_UPDATE, 1);
  text_len("projects", "name", "项", 501, OP_UPDATE, 0);
  /* long texts: 4000 characters */
  text_len("projects", "description", "述", 4000, OP_UPDATE, 1);
  text_len("projects", "description", "述", 4001, OP_UPDATE, 0);
  text_len("funds", "note", "x", 4001, OP_UPDATE, 0);
  /* an embedded NUL is refused */
  json_t *body = json_pack("{s:i s:s%}", "version", 1, "name", "a\0b", (size_t)3);
  HzErr e = {0};
  assert_int_equal(validate_j("projects", body, OP_UPDATE, &e, NULL, NULL), HZ_EINVAL);
  assert_non_null(json_object_get(e.fields, "name"));
  hz_err_clear(&e);
  json_decref(body);
}

static void test_dates(void **state) {
  (void)state;
  ok("campaigns", "{\"name\":\"会战\",\"start_date\":\"2026-08-01\",\"end_date\":\"2026-11-08\"}", OP_CREATE);
  refused("campaigns", "{\"name\":\"会战\",\"start_date\":\"2026-1-01\"}", OP_CREATE, "start_date");
  refused("campaigns", "{\"name\":\"会战\",\"start_date\":\"2026-02-29\"}", OP_CREATE, "start_date");
  refused("campaigns", "{\"name\":\"会战\",\"start_date\":\"2026-08-01\",\"end_date\":\"2026-11-31\"}", OP_CREATE,
          "end_date");
  refused("campaigns", "{\"name\":\"会战\",\"start_date\":20260801}", OP_CREATE, "start_date");
  refused("funds", "{\"amount\":100,\"date\":\"2026-10-01T08:00:00Z\",\"kind\":\"foreign\"}", OP_CREATE, "date");
  refused("funds", "{\"version\":1,\"date\":null}", OP_UPDATE, "date");
}

static void test_ints_and_enums(void **state) {
  (void)state;
  /* campaigns.year is an integer in [2000, 2100] */
  ok("campaigns", "{\"name\":\"会战\",\"start_date\":\"2026-08-01\",\"year\":2000}", OP_CREATE);
  ok("campaigns", "{\"name\":\"会战\",\"start_date\":\"2026-08-01\",\"year\":2100}", OP_CREATE);
  refused("campaigns", "{\"name\":\"会战\",\"start_date\":\"2026-08-01\",\"year\":1999}", OP_CREATE, "year");
  refused("campaigns", "{\"name\":\"会战\",\"start_date\":\"2026-08-01\",\"year\":2101}", OP_CREATE, "year");
  refused("campaigns", "{\"name\":\"会战\",\"start_date\":\"2026-08-01\",\"status\":\"open\"}", OP_CREATE, "status");
  ok("campaigns", "{\"name\":\"会战\",\"start_date\":\"2026-08-01\",\"status\":\"active\"}", OP_CREATE);
  refused("projects", "{\"campaign_id\":1,\"name\":\"x\",\"category\":\"mining\",\"method\":\"industry\"}", OP_CREATE,
          "category");
  refused("projects", "{\"campaign_id\":1,\"name\":\"x\",\"category\":\"industrial\",\"method\":3}", OP_CREATE,
          "method");
  refused("projects", "{\"campaign_id\":1,\"name\":\"x\",\"category\":\"Industrial\",\"method\":\"industry\"}",
          OP_CREATE, "category");
  refused("funds", "{\"amount\":100,\"date\":\"2026-10-01\",\"kind\":\"cash\"}", OP_CREATE, "kind");
  refused("users", "{\"login\":\"li\",\"name\":\"李\",\"role\":\"boss\",\"password\":\"secret-123\"}", OP_CREATE,
          "role");
}

static void test_links(void **state) {
  (void)state;
  ok("projects", "{\"version\":1,\"co_unit_ids\":[2,3]}", OP_UPDATE);
  ok("projects", "{\"version\":1,\"co_unit_ids\":[]}", OP_UPDATE);
  refused("projects", "{\"version\":1,\"co_unit_ids\":[2,3,2]}", OP_UPDATE, "co_unit_ids");
  refused("projects", "{\"version\":1,\"co_unit_ids\":[0]}", OP_UPDATE, "co_unit_ids");
  refused("projects", "{\"version\":1,\"co_unit_ids\":[-4]}", OP_UPDATE, "co_unit_ids");
  refused("projects", "{\"version\":1,\"co_unit_ids\":[2,\"3\"]}", OP_UPDATE, "co_unit_ids");
  refused("projects", "{\"version\":1,\"co_unit_ids\":\"2,3\"}", OP_UPDATE, "co_unit_ids");
  refused("projects", "{\"version\":1,\"co_unit_ids\":{\"a\":1}}", OP_UPDATE, "co_unit_ids");
  json_t *body = json_pack("{s:i}", "version", 1), *ids = json_array();
  for (int i = 1; i <= 201; i++) json_array_append_new(ids, json_integer(i));
  json_object_set_new(body, "co_unit_ids", ids);
  HzErr e = {0};
  assert_int_equal(validate_j("projects", body, OP_UPDATE, &e, NULL, NULL), HZ_EINVAL);
  assert_non_null(json_object_get(e.fields, "co_unit_ids"));
  hz_err_clear(&e);
  json_decref(body);
}

static void test_virtual_fields(void **state) {
  (void)state;
  HzErr e = {0};
  json_t *body = parse("{\"login\":\"zhang\",\"name\":\"张三\",\"role\":\"unit_staff\",\"unit_id\":3,"
                       "\"password\":\"secret-123\"}");
  json_t *values = NULL, *extra = NULL;
  assert_int_equal(validate_j("users", body, OP_CREATE, &e, &values, &extra), HZ_OK);
  /* the password goes to the hook (extra), never straight into a column */
  assert_null(json_object_get(values, "password"));
  assert_string_equal(json_string_value(json_object_get(extra, "password")), "secret-123");
  assert_int_equal(json_object_size(values), 4);
  assert_int_equal(json_integer_value(json_object_get(values, "unit_id")), 3);
  json_decref(values);
  json_decref(extra);
  json_decref(body);
}

/* ---- list parameters ---- */

static json_t *query(const char *k1, const char *v1, const char *k2, const char *v2) {
  json_t *q = json_object();
  if (k1) json_object_set_new(q, k1, json_string(v1));
  if (k2) json_object_set_new(q, k2, json_string(v2));
  return q;
}

static int list_rc(const char *name, json_t *q, ListParams *p, HzErr *e) {
  int rc = resource_list_params(res(name), q, p, e);
  json_decref(q);
  return rc;
}

static void list_refused(const char *name, json_t *q, const char *field) {
  ListParams p;
  HzErr e = {0};
  char *dump = json_dumps(q, JSON_COMPACT);
  int rc = list_rc(name, q, &p, &e);
  if (rc != HZ_EINVAL) fail_msg("%s %s accepted", name, dump);
  if (!json_object_get(e.fields, field)) fail_msg("%s %s: %s not named (%s)", name, dump, field, e.message);
  free(dump);
  list_params_free(&p);
  hz_err_clear(&e);
}

static void test_list_defaults(void **state) {
  (void)state;
  ListParams p;
  HzErr e = {0};
  assert_int_equal(list_rc("projects", json_object(), &p, &e), HZ_OK);
  assert_int_equal(p.limit, 50);
  assert_int_equal(p.offset, 0);
  assert_null(p.sort);
  assert_int_equal(p.desc, 0);
  assert_null(p.q);
  assert_int_equal(json_array_size(p.filters), 0);
  list_params_free(&p);
}

static void test_list_paging(void **state) {
  (void)state;
  ListParams p;
  HzErr e = {0};
  assert_int_equal(list_rc("projects", query("limit", "1", "offset", "0"), &p, &e), HZ_OK);
  assert_int_equal(p.limit, 1);
  list_params_free(&p);
  assert_int_equal(list_rc("projects", query("limit", "500", "offset", "1099511627776"), &p, &e), HZ_OK);
  assert_int_equal(p.limit, 500);
  assert_true(p.offset == INT64_C(1099511627776)); /* 2^40 */
  list_params_free(&p);
  list_refused("projects", query("limit", "0", NULL, NULL), "limit");
  list_refused("projects", query("limit", "501", NULL, NULL), "limit");
  list_refused("projects", query("limit", "-1", NULL, NULL), "limit");
  list_refused("projects", query("limit", "ten", NULL, NULL), "limit");
  list_refused("projects", query("limit", "", NULL, NULL), "limit");
  list_refused("projects", query("limit", "10 ", NULL, NULL), "limit");
  list_refused("projects", query("limit", "99999999999999999999", NULL, NULL), "limit");
  list_refused("projects", query("offset", "-1", NULL, NULL), "offset");
  list_refused("projects", query("offset", "1099511627777", NULL, NULL), "offset");
  list_refused("projects", query("offset", "1.5", NULL, NULL), "offset");
}

static void test_list_sort(void **state) {
  (void)state;
  ListParams p;
  HzErr e = {0};
  assert_int_equal(list_rc("projects", query("sort", "name", NULL, NULL), &p, &e), HZ_OK);
  assert_non_null(p.sort);
  assert_string_equal(p.sort->name, "name");
  assert_int_equal(p.desc, 0);
  list_params_free(&p);
  assert_int_equal(list_rc("projects", query("sort", "-planned_investment", NULL, NULL), &p, &e), HZ_OK);
  assert_string_equal(p.sort->name, "planned_investment");
  assert_int_equal(p.desc, 1);
  list_params_free(&p);
  assert_int_equal(list_rc("projects", query("sort", "-id", NULL, NULL), &p, &e), HZ_OK);
  assert_null(p.sort);
  assert_int_equal(p.desc, 1);
  list_params_free(&p);
  assert_int_equal(list_rc("funds", query("sort", "amount", NULL, NULL), &p, &e), HZ_OK);
  assert_string_equal(p.sort->name, "amount");
  list_params_free(&p);
  list_refused("projects", query("sort", "source_name", NULL, NULL), "sort"); /* a field, not sortable */
  list_refused("projects", query("sort", "-description", NULL, NULL), "sort");
  list_refused("projects", query("sort", "colour", NULL, NULL), "sort");
  list_refused("projects", query("sort", "", NULL, NULL), "sort");
  list_refused("projects", query("sort", "-", NULL, NULL), "sort");
  list_refused("projects", query("sort", "--name", NULL, NULL), "sort");
  list_refused("users", query("sort", "password_hash", NULL, NULL), "sort");
}

/* The filter on field name, or NULL. */
static json_t *filter(const ListParams *p, const char *name, const char *op) {
  size_t i;
  json_t *f;
  json_array_foreach(p->filters, i, f) if (!strcmp(json_string_value(json_array_get(f, 0)), name) &&
                                           !strcmp(json_string_value(json_array_get(f, 1)), op)) return
      json_array_get(f, 2);
  return NULL;
}

static void test_list_filters(void **state) {
  (void)state;
  ListParams p;
  HzErr e = {0};
  assert_int_equal(list_rc("projects", query("stage", "signed", "lead_unit_id", "3"), &p, &e), HZ_OK);
  assert_int_equal(json_array_size(p.filters), 2);
  assert_string_equal(json_string_value(filter(&p, "stage", "=")), "signed");
  assert_true(json_is_integer(filter(&p, "lead_unit_id", "=")));
  assert_int_equal(json_integer_value(filter(&p, "lead_unit_id", "=")), 3);
  list_params_free(&p);

  assert_int_equal(list_rc("funds", query("date_from", "2026-09-01", "date_to", "2026-09-30"), &p, &e), HZ_OK);
  assert_int_equal(json_array_size(p.filters), 2);
  assert_string_equal(json_string_value(filter(&p, "date", ">=")), "2026-09-01");
  assert_string_equal(json_string_value(filter(&p, "date", "<=")), "2026-09-30");
  list_params_free(&p);

  assert_int_equal(list_rc("funds", query("date", "2026-09-01", "status", "certified"), &p, &e), HZ_OK);
  assert_string_equal(json_string_value(filter(&p, "date", "=")), "2026-09-01");
  assert_string_equal(json_string_value(filter(&p, "status", "=")), "certified");
  list_params_free(&p);

  assert_int_equal(list_rc("users", query("disabled", "true", "role", "office"), &p, &e), HZ_OK);
  assert_int_equal(json_integer_value(filter(&p, "disabled", "=")), 1);
  list_params_free(&p);
  assert_int_equal(list_rc("users", query("disabled", "0", NULL, NULL), &p, &e), HZ_OK);
  assert_int_equal(json_integer_value(filter(&p, "disabled", "=")), 0);
  list_params_free(&p);

  /* p.q borrows from the query: checked while the query is alive */
  json_t *q = query("q", "光伏", "co_unit_ids", "4");
  assert_int_equal(resource_list_params(res("projects"), q, &p, &e), HZ_OK);
  assert_string_equal(p.q, "光伏");
  assert_int_equal(json_integer_value(filter(&p, "co_unit_ids", "=")), 4);
  list_params_free(&p);
  json_decref(q);

  assert_int_equal(list_rc("campaigns", query("start_date_from", "2026-01-01", "start_date_to", "2026-12-31"), &p, &e),
                   HZ_OK);
  assert_string_equal(json_string_value(filter(&p, "start_date", ">=")), "2026-01-01");
  assert_string_equal(json_string_value(filter(&p, "start_date", "<=")), "2026-12-31");
  list_params_free(&p);
}

static void test_list_filters_refused(void **state) {
  (void)state;
  list_refused("projects", query("stage", "won", NULL, NULL), "stage");
  list_refused("projects", query("lead_unit_id", "three", NULL, NULL), "lead_unit_id");
  list_refused("projects", query("colour", "red", NULL, NULL), "colour");
  list_refused("projects", query("description", "x", NULL, NULL), "description"); /* not a filter */
  list_refused("projects", query("limit", "10", "nosuch", "1"), "nosuch");
  list_refused("funds", query("date_from", "2026-02-30", NULL, NULL), "date_from");
  list_refused("funds", query("date_to", "yesterday", NULL, NULL), "date_to");
  list_refused("funds", query("amount_from", "5", NULL, NULL), "amount_from"); /* ranges are for dates */
  list_refused("funds", query("kind_to", "foreign", NULL, NULL), "kind_to");
  list_refused("funds", query("_from", "2026-01-01", NULL, NULL), "_from");
  list_refused("users", query("disabled", "maybe", NULL, NULL), "disabled");
  list_refused("users", query("password_hash", "x", NULL, NULL), "password_hash");
}

/* Query parameter names come from the URL: a long one must be refused, not overflow. */
static void test_list_long_names(void **state) {
  (void)state;
  for (size_t n = 60; n <= 300; n += 7) {
    char *name = repeat("d", n);
    char key[400];
    snprintf(key, sizeof key, "%s_from", name);
    list_refused("funds", query(key, "2026-01-01", NULL, NULL), key);
    snprintf(key, sizeof key, "%s_to", name);
    list_refused("funds", query(key, "2026-01-01", NULL, NULL), key);
    list_refused("funds", query(name, "1", NULL, NULL), name);
    free(name);
  }
  /* a long name whose first 63 characters are a real field is still unknown */
  char key[200];
  snprintf(key, sizeof key, "date%0120d_from", 0);
  list_refused("funds", query(key, "2026-01-01", NULL, NULL), key);
}

static void test_field_check_direct(void **state) {
  (void)state;
  const Field *f = resource_field(res("campaigns"), "year");
  assert_non_null(f);
  HzErr e = {0};
  json_t *v = json_integer(2026);
  assert_int_equal(field_check(f, v, &e), HZ_OK);
  json_decref(v);
  v = json_integer(1999);
  assert_int_equal(field_check(f, v, &e), HZ_EINVAL);
  assert_non_null(json_object_get(e.fields, "year"));
  assert_non_null(strstr(e.message, "year"));
  json_decref(v);
  hz_err_clear(&e);
  assert_null(resource_field(res("campaigns"), "nosuch"));
  assert_null(resource_find("nosuch"));
  assert_null(resource_find(NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_project_create),   cmocka_unit_test(test_required),
    cmocka_unit_test(test_unknown_readonly_createonly), cmocka_unit_test(test_version),
    cmocka_unit_test(test_types),            cmocka_unit_test(test_money_fields),
    cmocka_unit_test(test_text_length),      cmocka_unit_test(test_dates),
    cmocka_unit_test(test_ints_and_enums),   cmocka_unit_test(test_links),
    cmocka_unit_test(test_virtual_fields),   cmocka_unit_test(test_list_defaults),
    cmocka_unit_test(test_list_paging),      cmocka_unit_test(test_list_sort),
    cmocka_unit_test(test_list_filters),     cmocka_unit_test(test_list_filters_refused),
    cmocka_unit_test(test_list_long_names),  cmocka_unit_test(test_field_check_direct),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
