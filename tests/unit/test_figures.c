/* domain/figures.c: which record feeds which metric (docs/figures.md "Metrics"), on which
 * day, and the stays of the funnel. The projects below are written out as the API shows
 * them, and every expected figure is worked out by hand beside it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include "domain/figures.h"
#include "util/timeutil.h"

static int day(const char *date) {
  int d = 0;
  assert_int_equal(date_parse(date, &d), HZ_OK);
  return d;
}

typedef struct {
  const char *metric;
  int stay_days;
  const char *date; /* NULL: day 0, as it stands */
  int64_t reported, certified;
} Want;

/* out holds exactly the wanted figures (any order), all for campaign 7 and unit 3. */
static void expect(const Figures *out, const Want *want, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int d = want[i].date ? day(want[i].date) : 0, found = 0;
    for (size_t k = 0; k < out->n; k++) {
      const Figure *f = &out->items[k];
      if (strcmp(f->metric, want[i].metric) || f->day != d || f->stay_days != want[i].stay_days) continue;
      found++;
      assert_int_equal(f->campaign_id, 7);
      assert_int_equal(f->unit_id, 3);
      if (f->reported != want[i].reported || f->certified != want[i].certified)
        fail_msg("%s on %s: got %lld/%lld, want %lld/%lld", want[i].metric, want[i].date ? want[i].date : "-",
                 (long long)f->reported, (long long)f->certified, (long long)want[i].reported,
                 (long long)want[i].certified);
    }
    if (found != 1) fail_msg("%s (stay %d) on %s: found %d times", want[i].metric, want[i].stay_days,
                             want[i].date ? want[i].date : "-", found);
  }
  if (out->n != n) {
    for (size_t k = 0; k < out->n; k++)
      print_message("  %s:%d day %d %lld/%lld\n", out->items[k].metric, out->items[k].stay_days, out->items[k].day,
                    (long long)out->items[k].reported, (long long)out->items[k].certified);
    fail_msg("%zu figures, want %zu", out->n, n);
  }
}

static json_t *project(const char *stage, json_t *duplicate_of) {
  return json_pack("{s:i s:i s:s s:s s:I s:I s:o}", "campaign_id", 7, "lead_unit_id", 3, "stage", stage, "lead_date",
                   "2026-08-01", "planned_investment", (json_int_t)80000000, "contract_value", (json_int_t)60000000,
                   "duplicate_of", duplicate_of);
}

/* A lead → completed move passes every stage: it feeds signed_count and signed_value on the
 * contract date, started_count on the start date and completed_count on the completion date;
 * negotiating is reached on its earliest figure's day (the contract date); the lead stay runs
 * from the lead date to the move's date. A completed project has no pipeline. */
static void test_skip_feeds_every_stage_it_passes(void **state) {
  (void)state;
  json_t *p = project("completed", json_null());
  json_t *sc = json_pack("[{s:s s:s s:s s:s s:I s:s s:s s:s}]", "from_stage", "lead", "to_stage", "completed", "date",
                         "2026-09-10", "contract_date", "2026-08-20", "contract_value", (json_int_t)60000000,
                         "start_date", "2026-09-01", "completion_date", "2026-09-10", "status", "certified");
  json_t *none = json_array();
  assert_non_null(p);
  assert_non_null(sc);
  Figures out = {0};
  assert_int_equal(figures_of_project(p, sc, none, none, &out), HZ_OK);
  /* lead stay: 2026-08-01 → 2026-09-10 = 31 (Aug) − 1 + 10 = 40 days */
  const Want want[] = {
    {"leads_count", 0, "2026-08-01", 1, 1},
    {"reached_negotiating", 0, "2026-08-20", 1, 1},
    {"signed_count", 0, "2026-08-20", 1, 1},
    {"signed_value", 0, "2026-08-20", 60000000, 60000000},
    {"started_count", 0, "2026-09-01", 1, 1},
    {"completed_count", 0, "2026-09-10", 1, 1},
    {"days_lead", 40, "2026-09-10", 1, 1},
  };
  expect(&out, want, sizeof want / sizeof want[0]);
  figures_free(&out);
  json_decref(p);
  json_decref(sc);
  json_decref(none);
}

/* A reported move counts as reported only; a rejected move counts nowhere and ends no stay.
 * Funds: policy → policy_funds, the other kinds → funds_arrived; rejected ones nowhere. A
 * follow-up: follow_ups, its activity metric by kind (a meeting has none), and
 * leader_follow_ups when the leader took part. The pipeline of a signed project is its
 * contract value less the non-policy funds standing (reported or certified). */
static void test_each_record_feeds_its_metrics(void **state) {
  (void)state;
  json_t *p = project("signed", json_null());
  json_t *sc = json_pack("[{s:s s:s s:s s:s} {s:s s:s s:s s:I s:s} {s:s s:s s:s s:I s:s}]",
                         "from_stage", "lead", "to_stage", "negotiating", "date", "2026-08-11", "status", "certified",
                         "from_stage", "negotiating", "to_stage", "signed", "date", "2026-08-21", "contract_value",
                         (json_int_t)60000000, "status", "reported",
                         "from_stage", "signed", "to_stage", "started", "date", "2026-09-05", "contract_value",
                         (json_int_t)0, "status", "rejected");
  json_t *funds = json_pack("[{s:I s:s s:s s:s} {s:I s:s s:s s:s} {s:I s:s s:s s:s} {s:I s:s s:s s:s}]",
                            "amount", (json_int_t)1000, "date", "2026-09-01", "kind", "foreign", "status", "certified",
                            "amount", (json_int_t)200, "date", "2026-09-02", "kind", "out_of_city", "status", "reported",
                            "amount", (json_int_t)30, "date", "2026-09-03", "kind", "policy", "status", "certified",
                            "amount", (json_int_t)4, "date", "2026-09-04", "kind", "foreign", "status", "rejected");
  json_t *fu = json_pack("[{s:s s:s s:b} {s:s s:s s:b} {s:s s:s s:b}]", "date", "2026-08-05", "kind", "outbound_visit",
                         "with_leader", 1, "date", "2026-08-06", "kind", "meeting", "with_leader", 0, "date",
                         "2026-08-07", "kind", "fair", "with_leader", 0);
  assert_non_null(p);
  assert_non_null(sc);
  assert_non_null(funds);
  assert_non_null(fu);
  Figures out = {0};
  assert_int_equal(figures_of_project(p, sc, funds, fu, &out), HZ_OK);
  const Want want[] = {
    {"leads_count", 0, "2026-08-01", 1, 1},
    {"reached_negotiating", 0, "2026-08-11", 1, 1},
    /* the signing, reported, on its date (no contract date given) */
    {"signed_count", 0, "2026-08-21", 1, 0},
    {"signed_value", 0, "2026-08-21", 60000000, 0},
    /* stays: lead 08-01 → 08-11 = 10; negotiating 08-11 → 08-21 = 10; the rejected start ends none */
    {"days_lead", 10, "2026-08-11", 1, 1},
    {"days_negotiating", 10, "2026-08-21", 1, 1},
    {"funds_arrived", 0, "2026-09-01", 1000, 1000},
    {"funds_arrived", 0, "2026-09-02", 200, 0},
    {"policy_funds", 0, "2026-09-03", 30, 30},
    {"follow_ups", 0, "2026-08-05", 1, 1},
    {"visits_out", 0, "2026-08-05", 1, 1},
    {"leader_follow_ups", 0, "2026-08-05", 1, 1},
    {"follow_ups", 0, "2026-08-06", 1, 1},
    {"follow_ups", 0, "2026-08-07", 1, 1},
    {"fairs", 0, "2026-08-07", 1, 1},
    /* pipeline: signed, 60,000,000 − (1,000 + 200) */
    {"pipeline_signed", 0, NULL, 1, 1},
    {"pipeline_value_signed", 0, NULL, 59998800, 59998800},
  };
  expect(&out, want, sizeof want / sizeof want[0]);
  figures_free(&out);
  json_decref(p);
  json_decref(sc);
  json_decref(funds);
  json_decref(fu);
}

/* A project settled as a duplicate, or one that does not exist, counts nowhere. */
static void test_duplicate_counts_nowhere(void **state) {
  (void)state;
  json_t *p = project("lead", json_integer(12)), *none = json_array();
  Figures out = {0};
  assert_int_equal(figures_of_project(p, none, none, none, &out), HZ_OK);
  assert_int_equal(out.n, 0);
  assert_int_equal(figures_of_project(NULL, none, none, none, &out), HZ_OK);
  assert_int_equal(out.n, 0);
  json_decref(p);
  json_decref(none);
}

/* figures_add adds to the figure of the same key, stays of different lengths apart. */
static void test_add_merges_same_key(void **state) {
  (void)state;
  Figures f = {0};
  assert_int_equal(figures_add(&f, 1, 2, "days_lead", 5, 100, 1, 1), HZ_OK);
  assert_int_equal(figures_add(&f, 1, 2, "days_lead", 6, 100, 1, 1), HZ_OK);
  assert_int_equal(figures_add(&f, 1, 2, "days_lead", 5, 100, 1, 1), HZ_OK);
  for (int i = 0; i < 40; i++) assert_int_equal(figures_add(&f, 1, 2, "follow_ups", 0, 200 + i, 1, 1), HZ_OK);
  assert_int_equal(f.n, 42);
  assert_int_equal(f.items[0].stay_days, 5);
  assert_int_equal(f.items[0].reported, 2);
  assert_int_equal(f.items[1].stay_days, 6);
  assert_int_equal(f.items[1].reported, 1);
  figures_free(&f);
  assert_null(f.items);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_skip_feeds_every_stage_it_passes),
    cmocka_unit_test(test_each_record_feeds_its_metrics),
    cmocka_unit_test(test_duplicate_counts_nowhere),
    cmocka_unit_test(test_add_merges_same_key),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
