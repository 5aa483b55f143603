/* domain/list_query.c, the one reader of list parameters, and the "any of" filters it
 * lets domain/resource.c take from a repeated parameter. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include "domain/list_query.h"
#include "domain/resource.h"

static json_t *parse(const char *text) {
  json_error_t je;
  json_t *j = json_loads(text, 0, &je);
  if (!j) fail_msg("bad test JSON %s: %s", text, je.text);
  return j;
}

static const char *const sorts[] = {"id", "at", NULL};
static const ListParam params[] = {{"day_from", LQ_DATE}, {"unit_id", LQ_ID}, {"delta", LQ_INT}, {"name", LQ_TEXT}, {0}};
static const ListSpec spec = {.sorts = sorts, .params = params};

/* Reads text with spec; HZ_OK or the rc with the field it names in *field. */
static int read_q(const char *text, const ListSpec *s, ListPage *p, char *field) {
  json_t *q = parse(text);
  HzErr e = {0};
  int rc = list_query_read(q, s, p, &e);
  field[0] = 0;
  if (rc) {
    const char *k;
    json_t *v;
    json_object_foreach(e.fields, k, v) strcpy(field, k);
    assert_int_equal(json_object_size(e.fields), 1);
  }
  hz_err_clear(&e);
  json_decref(q);
  return rc;
}

static void test_defaults_and_page(void **state) {
  (void)state;
  ListPage p;
  char f[64];
  assert_int_equal(read_q("{}", &spec, &p, f), HZ_OK);
  assert_int_equal(p.limit, 50);
  assert_int_equal(p.offset, 0);
  assert_null(p.sort);
  /* p.sort points into the query: read it while the query lives. */
  json_t *q = parse("{\"limit\":\"500\",\"offset\":\"7\",\"sort\":\"-at\"}");
  HzErr e = {0};
  assert_int_equal(list_query_read(q, &spec, &p, &e), HZ_OK);
  assert_int_equal(p.limit, 500);
  assert_int_equal(p.offset, 7);
  assert_string_equal(p.sort, "at");
  assert_int_equal(p.desc, 1);
  json_decref(q);
  assert_int_equal(read_q("{\"sort\":\"id\"}", &spec, &p, f), HZ_OK);
  assert_int_equal(p.desc, 0);
}

static void test_refusals_name_the_parameter(void **state) {
  (void)state;
  ListPage p;
  char f[64];
  static const struct { const char *q, *field; } bad[] = {
    {"{\"limit\":\"0\"}", "limit"},           {"{\"limit\":\"501\"}", "limit"},
    {"{\"limit\":\"ten\"}", "limit"},         {"{\"offset\":\"-1\"}", "offset"},
    {"{\"sort\":\"name\"}", "sort"},          {"{\"sort\":\"-\"}", "sort"},
    {"{\"colour\":\"red\"}", "colour"},       {"{\"day_from\":\"2026-02-30\"}", "day_from"},
    {"{\"unit_id\":\"0\"}", "unit_id"},       {"{\"delta\":\"1.5\"}", "delta"},
    {"{\"name\":[\"a\",\"b\"]}", "name"},     {"{\"limit\":[\"1\",\"2\"]}", "limit"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(read_q(bad[i].q, &spec, &p, f), HZ_EINVAL);
    assert_string_equal(f, bad[i].field);
  }
  /* A list without sort keys refuses sort; an unpaged answer refuses limit and offset. */
  assert_int_equal(read_q("{\"sort\":\"id\"}", NULL, &p, f), HZ_EINVAL);
  assert_string_equal(f, "sort");
  const ListSpec unpaged = {.params = params, .unpaged = 1};
  assert_int_equal(read_q("{\"offset\":\"1\"}", &unpaged, &p, f), HZ_EINVAL);
  assert_string_equal(f, "offset");
  assert_int_equal(read_q("{\"delta\":\"-3\"}", &unpaged, &p, f), HZ_OK);
}

static void test_slice(void **state) {
  (void)state;
  const ListPage p = {.limit = 2, .offset = 3};
  json_t *out = list_query_slice(parse("[0,1,2,3,4]"), &p);
  json_t *want = parse("{\"items\":[3,4],\"total\":5,\"limit\":2,\"offset\":3}");
  assert_true(json_equal(out, want));
  json_decref(out);
  json_decref(want);
  const ListPage past = {.limit = 2, .offset = 9};
  out = list_query_slice(parse("[0,1]"), &past);
  want = parse("{\"items\":[],\"total\":2,\"limit\":2,\"offset\":9}");
  assert_true(json_equal(out, want));
  json_decref(out);
  json_decref(want);
}

static void test_any_of_filters(void **state) {
  (void)state;
  const Resource *r = resource_find("projects");
  ListParams p;
  HzErr e = {0};
  json_t *q = parse("{\"stage\":[\"lead\",\"signed\"],\"lead_unit_id\":[\"3\",\"4\"],\"category\":\"industrial\"}");
  assert_int_equal(resource_list_params(r, q, &p, &e), HZ_OK);
  json_t *want = parse("[[\"stage\",\"in\",[\"lead\",\"signed\"]],[\"lead_unit_id\",\"in\",[3,4]],[\"category\",\"=\",\"industrial\"]]");
  assert_true(json_equal(p.filters, want));
  json_decref(want);
  list_params_free(&p);
  json_decref(q);
  assert_true(resource_filter_repeatable(r, "stage"));
  assert_true(resource_filter_repeatable(r, "lead_unit_id"));
  assert_false(resource_filter_repeatable(r, "name"));
  assert_false(resource_filter_repeatable(r, "lead_date_from"));
  assert_false(resource_filter_repeatable(r, "co_unit_ids"));
  assert_false(resource_filter_repeatable(r, "q"));
  /* Refused, naming the parameter: a value that is no stage, a text search or a date range given twice. */
  static const char *const bad[][2] = {
    {"{\"stage\":[\"lead\",\"moon\"]}", "stage"},
    {"{\"q\":[\"a\",\"b\"]}", "q"},
    {"{\"lead_date_from\":[\"2026-01-01\",\"2026-01-02\"]}", "lead_date_from"},
    {"{\"co_unit_ids\":[\"1\",\"2\"]}", "co_unit_ids"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    q = parse(bad[i][0]);
    assert_int_equal(resource_list_params(r, q, &p, &e), HZ_EINVAL);
    assert_non_null(json_object_get(e.fields, bad[i][1]));
    hz_err_clear(&e);
    list_params_free(&p);
    json_decref(q);
  }
  /* At most LIST_ANY_OF_MAX values. */
  q = json_pack("{s:[]}", "lead_unit_id");
  for (int i = 1; i <= LIST_ANY_OF_MAX + 1; i++) json_array_append_new(json_object_get(q, "lead_unit_id"), json_sprintf("%d", i));
  assert_int_equal(resource_list_params(r, q, &p, &e), HZ_EINVAL);
  hz_err_clear(&e);
  list_params_free(&p);
  json_array_remove(json_object_get(q, "lead_unit_id"), 0);
  assert_int_equal(resource_list_params(r, q, &p, &e), HZ_OK);
  assert_int_equal(json_array_size(json_array_get(json_array_get(p.filters, 0), 2)), LIST_ANY_OF_MAX);
  list_params_free(&p);
  json_decref(q);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_defaults_and_page),
    cmocka_unit_test(test_refusals_name_the_parameter),
    cmocka_unit_test(test_slice),
    cmocka_unit_test(test_any_of_filters),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
