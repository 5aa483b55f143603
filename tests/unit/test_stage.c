/* domain/stage.c: the project stage machine of SPEC §2. The allowed moves and the
 * evidence each move needs are written out as tables here, from the SPEC, not derived
 * from the code under test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include "domain/stage.h"

enum { L = STAGE_LEAD, N = STAGE_NEGOTIATING, S = STAGE_SIGNED, ST = STAGE_STARTED, C = STAGE_COMPLETED,
       D = STAGE_DROPPED };

/* allowed[from][to]: forward moves (skips included) and dropping before completion. */
static const int allowed[STAGE_COUNT][STAGE_COUNT] = {
  /*            L  N  S  ST C  D */
  /* lead */  {0, 1, 1, 1, 1, 1},
  /* nego */  {0, 0, 1, 1, 1, 1},
  /* signed */{0, 0, 0, 1, 1, 1},
  /* start */ {0, 0, 0, 0, 1, 1},
  /* compl */ {0, 0, 0, 0, 0, 0},
  /* drop */  {0, 0, 0, 0, 0, 0},
};

/* Evidence every allowed forward move needs: the stages it lands on or skips over. */
static const struct {
  int from, to;
  const char *needs[5];
} needs[] = {
  {L, N, {NULL}},
  {L, S, {"contract_date", "contract_value", NULL}},
  {L, ST, {"contract_date", "contract_value", "start_date", NULL}},
  {L, C, {"contract_date", "contract_value", "start_date", "completion_date", NULL}},
  {N, S, {"contract_date", "contract_value", NULL}},
  {N, ST, {"contract_date", "contract_value", "start_date", NULL}},
  {N, C, {"contract_date", "contract_value", "start_date", "completion_date", NULL}},
  {S, ST, {"start_date", NULL}},
  {S, C, {"start_date", "completion_date", NULL}},
  {ST, C, {"completion_date", NULL}},
  {L, D, {"reason", NULL}},
  {N, D, {"reason", NULL}},
  {S, D, {"reason", NULL}},
  {ST, D, {"reason", NULL}},
};

static StageEvidence full(void) {
  StageEvidence ev = {.date = "2026-10-01",
                      .contract_date = "2026-09-01",
                      .contract_value = 12000000,
                      .start_date = "2026-09-15",
                      .completion_date = "2026-09-30",
                      .reason = "投资方撤资"};
  return ev;
}

static const char *const evidence_fields[] = {"contract_date", "contract_value", "start_date", "completion_date",
                                              "reason", NULL};

/* The move's date and exactly the evidence needs[i] lists. */
static StageEvidence only_needed(size_t i);

static void drop_field(StageEvidence *ev, const char *f) {
  if (!strcmp(f, "contract_date")) ev->contract_date = NULL;
  else if (!strcmp(f, "contract_value")) ev->contract_value = -1;
  else if (!strcmp(f, "start_date")) ev->start_date = NULL;
  else if (!strcmp(f, "completion_date")) ev->completion_date = NULL;
  else if (!strcmp(f, "reason")) ev->reason = NULL;
  else if (!strcmp(f, "date")) ev->date = NULL;
}

static int named(const HzErr *e, const char *field) { return e->fields && json_object_get(e->fields, field); }

/* Checks a move and returns its rc; when it fails, field must be the one named. */
static void expect(int from, int to, const StageEvidence *ev, int want_rc, const char *field) {
  HzErr e = {0};
  int rc = stage_check_move(from, to, ev, &e);
  if (rc != want_rc)
    fail_msg("%s -> %s: rc %d (%s), want %d", stage_name(from), stage_name(to), rc, e.message, want_rc);
  if (rc) {
    assert_int_equal(e.rc, want_rc);
    assert_true(e.message[0] != 0);
    if (field && !named(&e, field))
      fail_msg("%s -> %s: error does not name %s: %s", stage_name(from), stage_name(to), field, e.message);
  }
  hz_err_clear(&e);
}

static void test_every_move_with_its_evidence(void **state) {
  (void)state;
  StageEvidence ev = full();
  for (int from = 0; from < STAGE_COUNT; from++)
    for (int to = 0; to < STAGE_COUNT; to++)
      if (!allowed[from][to]) expect(from, to, &ev, HZ_ERULE, "to_stage");
  for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++) {
    StageEvidence mine = only_needed(i);
    expect(needs[i].from, needs[i].to, &mine, HZ_OK, NULL);
  }
}

static void test_backward_and_same_refused(void **state) {
  (void)state;
  StageEvidence ev = full();
  expect(N, L, &ev, HZ_ERULE, "to_stage");
  expect(S, N, &ev, HZ_ERULE, "to_stage");
  expect(ST, S, &ev, HZ_ERULE, "to_stage");
  expect(ST, L, &ev, HZ_ERULE, "to_stage");
  for (int s = 0; s < STAGE_COUNT; s++) expect(s, s, &ev, HZ_ERULE, "to_stage");
  /* nothing after completed or dropped, not even dropping a completed project */
  for (int to = 0; to < STAGE_COUNT; to++) {
    expect(C, to, &ev, HZ_ERULE, "to_stage");
    expect(D, to, &ev, HZ_ERULE, "to_stage");
  }
}

static StageEvidence only_needed(size_t i) {
  StageEvidence ev = {.date = "2026-10-01", .contract_value = -1}, all = full();
  for (int k = 0; needs[i].needs[k]; k++) {
    const char *f = needs[i].needs[k];
    if (!strcmp(f, "contract_date")) ev.contract_date = all.contract_date;
    if (!strcmp(f, "contract_value")) ev.contract_value = all.contract_value;
    if (!strcmp(f, "start_date")) ev.start_date = all.start_date;
    if (!strcmp(f, "completion_date")) ev.completion_date = all.completion_date;
    if (!strcmp(f, "reason")) ev.reason = all.reason;
  }
  return ev;
}

static void add_field(StageEvidence *ev, const char *f) {
  StageEvidence all = full();
  if (!strcmp(f, "contract_date")) ev->contract_date = all.contract_date;
  else if (!strcmp(f, "contract_value")) ev->contract_value = 0; /* zero is a value given too */
  else if (!strcmp(f, "start_date")) ev->start_date = all.start_date;
  else if (!strcmp(f, "completion_date")) ev->completion_date = all.completion_date;
  else if (!strcmp(f, "reason")) ev->reason = all.reason;
}

static void test_evidence_required(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++) {
    int from = needs[i].from, to = needs[i].to;
    for (const char *const *f = evidence_fields; *f; f++) {
      int needed = 0;
      for (int k = 0; needs[i].needs[k]; k++) needed |= !strcmp(needs[i].needs[k], *f);
      StageEvidence ev = only_needed(i);
      if (needed) {
        /* without a needed field the move is refused naming it */
        drop_field(&ev, *f);
        expect(from, to, &ev, HZ_ERULE, *f);
      } else {
        /* with evidence of a stage it does not reach, too, naming that field */
        add_field(&ev, *f);
        expect(from, to, &ev, HZ_ERULE, *f);
      }
    }
    /* and every move needs its own date */
    StageEvidence ev = only_needed(i);
    ev.date = NULL;
    expect(from, to, &ev, HZ_ERULE, "date");
  }
}

static void test_skips_named_examples(void **state) {
  (void)state;
  /* lead -> started with only a start date: the skipped signing's contract is missing */
  StageEvidence ev = {.date = "2026-10-01", .contract_value = -1, .start_date = "2026-09-15"};
  expect(L, ST, &ev, HZ_ERULE, "contract_date");
  ev.contract_date = "2026-09-01";
  expect(L, ST, &ev, HZ_ERULE, "contract_value");
  ev.contract_value = 0; /* a zero contract value is still a value given */
  expect(L, ST, &ev, HZ_OK, NULL);
  /* negotiating -> completed needs signing, start and completion evidence */
  StageEvidence nc = {.date = "2026-10-01", .contract_value = -1};
  expect(N, C, &nc, HZ_ERULE, "contract_date");
  nc.contract_date = "2026-09-01";
  nc.contract_value = 500000000;
  expect(N, C, &nc, HZ_ERULE, "start_date");
  nc.start_date = "2026-09-02";
  expect(N, C, &nc, HZ_ERULE, "completion_date");
  nc.completion_date = "2026-09-03";
  expect(N, C, &nc, HZ_OK, NULL);
}

static void test_dropped_needs_reason(void **state) {
  (void)state;
  StageEvidence ev = {.date = "2026-10-01", .contract_value = -1};
  for (int from = L; from <= ST; from++) {
    ev.reason = NULL;
    expect(from, D, &ev, HZ_ERULE, "reason");
    ev.reason = "";
    expect(from, D, &ev, HZ_ERULE, "reason");
    ev.reason = "客商转投外地";
    expect(from, D, &ev, HZ_OK, NULL);
  }
}

/* The evidence of move from -> to, as the needs table lists it. */
static StageEvidence for_move(int from, int to) {
  for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++)
    if (needs[i].from == from && needs[i].to == to) return only_needed(i);
  fail_msg("no move %d -> %d in the table", from, to);
  return full();
}

static void test_bad_dates(void **state) {
  (void)state;
  StageEvidence ev = for_move(L, S);
  ev.contract_date = "2026-02-30";
  expect(L, S, &ev, HZ_EINVAL, "contract_date");
  ev = for_move(S, ST);
  ev.start_date = "2026-9-15";
  expect(S, ST, &ev, HZ_EINVAL, "start_date");
  ev = for_move(ST, C);
  ev.completion_date = "tomorrow";
  expect(ST, C, &ev, HZ_EINVAL, "completion_date");
  ev = for_move(L, N);
  ev.date = "2026-13-01";
  expect(L, N, &ev, HZ_EINVAL, "date");
}

static void test_date_order(void **state) {
  (void)state;
  StageEvidence ev = for_move(L, ST);
  ev.contract_date = "2026-09-16"; /* after the start date 2026-09-15 */
  expect(L, ST, &ev, HZ_ERULE, "start_date");
  ev = for_move(S, C);
  ev.completion_date = "2026-09-14"; /* before the start date 2026-09-15 */
  expect(S, C, &ev, HZ_ERULE, "completion_date");
  ev = full();
  ev.reason = NULL;
  ev.completion_date = "2026-09-14";
  expect(L, C, &ev, HZ_ERULE, "completion_date");
  /* equal dates are in order */
  ev = for_move(L, C);
  ev.contract_date = ev.start_date = ev.completion_date = "2026-09-15";
  expect(L, C, &ev, HZ_OK, NULL);
  /* order across a year end is by date, not by text length */
  ev = for_move(L, C);
  ev.contract_date = "2026-12-31";
  ev.start_date = "2027-01-01";
  ev.completion_date = "2027-01-02";
  expect(L, C, &ev, HZ_OK, NULL);
}

static void test_unknown_stage(void **state) {
  (void)state;
  StageEvidence ev = full();
  expect(-1, N, &ev, HZ_EINVAL, "to_stage");
  expect(L, STAGE_COUNT, &ev, HZ_EINVAL, "to_stage");
  expect(L, -1, &ev, HZ_EINVAL, "to_stage");
}

static void test_move_passes(void **state) {
  (void)state;
  assert_true(stage_move_passes(L, ST, S));
  assert_true(stage_move_passes(L, ST, ST));
  assert_true(stage_move_passes(L, ST, N));
  assert_false(stage_move_passes(L, ST, L)); /* the stage it leaves is not passed */
  assert_false(stage_move_passes(L, ST, C));
  assert_true(stage_move_passes(L, N, N));
  assert_false(stage_move_passes(L, N, S));
  assert_false(stage_move_passes(S, C, S));
  assert_true(stage_move_passes(S, C, ST));
  assert_true(stage_move_passes(S, C, C));
  assert_true(stage_move_passes(N, D, D));
  assert_false(stage_move_passes(N, D, S));
  assert_false(stage_move_passes(L, D, N));
  assert_false(stage_move_passes(L, C, D));
}

static void test_names(void **state) {
  (void)state;
  static const char *const names[] = {"lead", "negotiating", "signed", "started", "completed", "dropped"};
  static const char *const zh[] = {"信息", "洽谈", "签约", "开工", "竣工", "终止"};
  for (int s = 0; s < STAGE_COUNT; s++) {
    assert_int_equal(stage_parse(names[s]), s);
    assert_string_equal(stage_name(s), names[s]);
    assert_string_equal(stage_label_zh(s), zh[s]);
  }
  assert_int_equal(stage_parse("LEAD"), -1);
  assert_int_equal(stage_parse(""), -1);
  assert_int_equal(stage_parse(NULL), -1);
  assert_int_equal(stage_parse("signed "), -1);
  assert_string_equal(stage_name(-1), "?");
  assert_string_equal(stage_name(STAGE_COUNT), "?");
  assert_string_equal(stage_label_zh(99), "?");
}

static void test_null_err(void **state) {
  (void)state;
  StageEvidence ev = {.date = "2026-10-01", .contract_value = -1};
  assert_int_equal(stage_check_move(L, S, &ev, NULL), HZ_ERULE);
  assert_int_equal(stage_check_move(L, N, &ev, NULL), HZ_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_move_with_its_evidence),
    cmocka_unit_test(test_backward_and_same_refused),
    cmocka_unit_test(test_evidence_required),
    cmocka_unit_test(test_skips_named_examples),
    cmocka_unit_test(test_dropped_needs_reason),
    cmocka_unit_test(test_bad_dates),
    cmocka_unit_test(test_date_order),
    cmocka_unit_test(test_unknown_stage),
    cmocka_unit_test(test_move_passes),
    cmocka_unit_test(test_names),
    cmocka_unit_test(test_null_err),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
