#include "domain/figures.h"
#include "domain/stage.h"
#include "store/figures_store.h"
#include "util/timeutil.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void figures_free(Figures *f) {
  free(f->items);
  f->items = NULL;
  f->n = f->cap = 0;
}

void figures_add(Figures *f, int64_t campaign_id, int64_t unit_id, const char *metric, int day, int64_t reported,
                 int64_t certified) {
  for (size_t i = 0; i < f->n; i++) {
    Figure *x = &f->items[i];
    if (x->campaign_id == campaign_id && x->unit_id == unit_id && x->day == day && !strcmp(x->metric, metric)) {
      x->reported += reported;
      x->certified += certified;
      return;
    }
  }
  if (f->n == f->cap) {
    size_t cap = f->cap ? f->cap * 2 : 16;
    Figure *p = realloc(f->items, cap * sizeof *p);
    if (!p) return;
    f->items = p;
    f->cap = cap;
  }
  Figure *x = &f->items[f->n++];
  memset(x, 0, sizeof *x);
  x->campaign_id = campaign_id;
  x->unit_id = unit_id;
  snprintf(x->metric, sizeof x->metric, "%s", metric);
  x->day = day;
  x->reported = reported;
  x->certified = certified;
}

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }
static int day_of(const char *date) {
  int d = 0;
  return date && date_parse(date, &d) == HZ_OK ? d : 0;
}
/* The first of the dates given, as a day number. */
static int day_or(json_t *o, const char *k, const char *fallback) {
  return day_of(str(o, k) ? str(o, k) : str(o, fallback));
}

typedef struct {
  Figures *out;
  int64_t campaign, unit;
} Acc;

static void add(Acc *a, const char *metric, int day, int64_t reported, int64_t certified) {
  figures_add(a->out, a->campaign, a->unit, metric, day, reported, certified);
}

static void stage_change_figures(Acc *a, json_t *sc) {
  int from = stage_parse(str(sc, "from_stage")), to = stage_parse(str(sc, "to_stage"));
  int certified = !strcmp(str(sc, "status"), "certified");
  char metric[32];
  if (stage_move_passes(from, to, STAGE_SIGNED)) {
    int d = day_or(sc, "contract_date", "date");
    int64_t v = num(sc, "contract_value");
    add(a, "signed_count", d, 1, certified);
    add(a, "signed_value", d, v, certified ? v : 0);
  }
  if (stage_move_passes(from, to, STAGE_STARTED)) add(a, "started_count", day_or(sc, "start_date", "date"), 1, certified);
  if (stage_move_passes(from, to, STAGE_COMPLETED))
    add(a, "completed_count", day_or(sc, "completion_date", "date"), 1, certified);
  if (to == STAGE_DROPPED) {
    snprintf(metric, sizeof metric, "dropped_%s", stage_name(from));
    add(a, metric, day_of(str(sc, "date")), 1, 1);
  }
}

/* The day of a move's earliest signing, start or completion figure; INT_MAX when it has none. */
static int first_figure_day(json_t *sc) {
  int from = stage_parse(str(sc, "from_stage")), to = stage_parse(str(sc, "to_stage")), d = INT_MAX, x;
  if (stage_move_passes(from, to, STAGE_SIGNED) && (x = day_or(sc, "contract_date", "date")) < d) d = x;
  if (stage_move_passes(from, to, STAGE_STARTED) && (x = day_or(sc, "start_date", "date")) < d) d = x;
  if (stage_move_passes(from, to, STAGE_COMPLETED) && (x = day_or(sc, "completion_date", "date")) < d) d = x;
  return d;
}

/* A project reaches negotiating on the date of the move that passes it, or earlier on the day
 * of a signing, start or completion it reached then or later: a lead -> signed move recorded
 * after its contract date has negotiated by the contract date. So the funnel as of a day
 * never has more projects past negotiating than at it. */
static void reached_negotiating(Acc *a, json_t *stage_changes) {
  int later = INT_MAX;
  for (size_t i = json_array_size(stage_changes); i-- > 0;) {
    json_t *sc = json_array_get(stage_changes, i);
    if (!strcmp(str(sc, "status"), "rejected")) continue;
    int first = first_figure_day(sc), d = day_of(str(sc, "date"));
    if (first < later) later = first;
    if (stage_move_passes(stage_parse(str(sc, "from_stage")), stage_parse(str(sc, "to_stage")), STAGE_NEGOTIATING))
      add(a, "reached_negotiating", d < later ? d : later, 1, 1);
  }
}

void figures_of_project(json_t *project, json_t *stage_changes, json_t *funds, json_t *follow_ups, Figures *out) {
  if (!project || !json_is_null(json_object_get(project, "duplicate_of"))) return;
  Acc a = {out, num(project, "campaign_id"), num(project, "lead_unit_id")};
  char metric[40];
  size_t i;
  json_t *x;
  add(&a, "leads_count", day_of(str(project, "lead_date")), 1, 1);

  /* Stage history: figures of each move, and how long the project stayed in each stage. */
  reached_negotiating(&a, stage_changes);
  int cur = STAGE_LEAD, entered = day_of(str(project, "lead_date"));
  json_array_foreach(stage_changes, i, x) {
    if (!strcmp(str(x, "status"), "rejected")) continue;
    stage_change_figures(&a, x);
    int d = day_of(str(x, "date"));
    /* One stay of n days, on the day it ended, so a funnel as of a day sees the stays ended by then. */
    snprintf(metric, sizeof metric, "days_%s:%d", stage_name(cur), d > entered ? d - entered : 0);
    add(&a, metric, d, 1, 1);
    cur = stage_parse(str(x, "to_stage"));
    entered = d;
  }

  int64_t arrived = 0;
  json_array_foreach(funds, i, x) {
    if (!strcmp(str(x, "status"), "rejected")) continue;
    int certified = !strcmp(str(x, "status"), "certified");
    int policy = !strcmp(str(x, "kind"), "policy");
    int64_t amount = num(x, "amount");
    add(&a, policy ? "policy_funds" : "funds_arrived", day_of(str(x, "date")), amount, certified ? amount : 0);
    if (!policy) arrived += amount;
  }

  static const struct { const char *kind, *metric; } activity[] = {
    {"outbound_visit", "visits_out"}, {"investor_visit", "visits_in"}, {"fair", "fairs"}};
  json_array_foreach(follow_ups, i, x) {
    int d = day_of(str(x, "date"));
    add(&a, "follow_ups", d, 1, 1);
    for (size_t k = 0; k < sizeof activity / sizeof activity[0]; k++)
      if (!strcmp(str(x, "kind"), activity[k].kind)) add(&a, activity[k].metric, d, 1, 1);
    if (json_is_true(json_object_get(x, "with_leader"))) add(&a, "leader_follow_ups", d, 1, 1);
  }

  /* The pipeline as it stands: what is still to be won, for the forecast. */
  int stage = stage_parse(str(project, "stage"));
  if (stage >= STAGE_LEAD && stage <= STAGE_STARTED) {
    int64_t value = num(project, "planned_investment");
    if (stage >= STAGE_SIGNED) {
      int64_t contract = num(project, "contract_value");
      value = (contract > 0 ? contract : value) - arrived;
      if (value < 0) value = 0;
    }
    snprintf(metric, sizeof metric, "pipeline_%s", stage_name(stage));
    add(&a, metric, 0, 1, 1);
    snprintf(metric, sizeof metric, "pipeline_value_%s", stage_name(stage));
    add(&a, metric, 0, value, value);
  }
}

/* Loads a project and its records, and computes its figures. */
static int compute(Db *db, int64_t project_id, Figures *out, char *last_activity, HzErr *e) {
  json_t *project = NULL, *sc = NULL, *funds = NULL, *fu = NULL;
  int rc = figures_store_inputs(db, project_id, &project, &sc, &funds, &fu, e);
  if (!rc) {
    figures_of_project(project, sc, funds, fu, out);
    if (project) {
      const char *latest = str(project, "lead_date");
      size_t i;
      json_t *x;
      json_array_foreach(fu, i, x) if (strcmp(str(x, "date"), latest) > 0) latest = str(x, "date");
      snprintf(last_activity, DATE_LEN, "%s", latest);
    }
  }
  json_decref(project);
  json_decref(sc);
  json_decref(funds);
  json_decref(fu);
  return rc;
}

int figures_refresh_project(Db *db, int64_t project_id, HzErr *e) {
  Figures before = {0}, after = {0};
  char last[DATE_LEN] = "";
  int rc = figures_store_project(db, project_id, &before, e);
  if (!rc) rc = compute(db, project_id, &after, last, e);
  if (!rc) rc = figures_store_replace(db, project_id, &before, &after, e);
  if (!rc && last[0]) rc = figures_store_set_last_activity(db, project_id, last, e);
  figures_free(&before);
  figures_free(&after);
  return rc;
}

/* The latest of a project's lead date and its follow-up dates (the stale check's clock). */
static const char *last_activity_of(json_t *project, json_t *follow_ups) {
  const char *latest = str(project, "lead_date");
  size_t i;
  json_t *x;
  json_array_foreach(follow_ups, i, x) if (strcmp(str(x, "date"), latest) > 0) latest = str(x, "date");
  return latest;
}

typedef struct {
  Db *db;
  int64_t done;
  void (*progress)(int64_t done, void *ctx);
  void *ctx;
  json_t *moved; /* [[project_id, last activity date]] to correct after the pass */
} Rebuild;

static int rebuild_one(void *ctx, int64_t project_id, json_t *project, json_t *sc, json_t *funds, json_t *fu,
                       HzErr *e) {
  Rebuild *r = ctx;
  Figures f = {0};
  figures_of_project(project, sc, funds, fu, &f);
  int rc = figures_store_insert(r->db, project_id, &f, e);
  figures_free(&f);
  const char *latest = last_activity_of(project, fu);
  if (!str(project, "last_activity_date") || strcmp(latest, str(project, "last_activity_date")))
    json_array_append_new(r->moved, json_pack("[I s]", (json_int_t)project_id, latest));
  if (++r->done % 10000 == 0 && r->progress) r->progress(r->done, r->ctx);
  return rc;
}

int figures_rebuild(Db *db, void (*progress)(int64_t done, void *ctx), void *ctx, int64_t *projects, HzErr *e) {
  Rebuild r = {db, 0, progress, ctx, json_array()};
  int rc = figures_store_clear(db, e);
  if (!rc) rc = figures_store_each_project(db, rebuild_one, &r, e);
  if (!rc) rc = figures_store_sum_all(db, e);
  size_t i;
  json_t *m;
  /* Written after the pass: the projects table is not changed while it is being read. */
  json_array_foreach(r.moved, i, m) {
    if (rc) break;
    rc = figures_store_set_last_activity(db, json_integer_value(json_array_get(m, 0)),
                                         json_string_value(json_array_get(m, 1)), e);
  }
  json_decref(r.moved);
  if (projects) *projects = r.done;
  return rc;
}

static int same(const Figures *a, const Figures *b) {
  if (a->n != b->n) return 0;
  for (size_t i = 0; i < a->n; i++) {
    int found = 0;
    for (size_t j = 0; j < b->n && !found; j++)
      found = a->items[i].day == b->items[j].day && !strcmp(a->items[i].metric, b->items[j].metric) &&
              a->items[i].unit_id == b->items[j].unit_id && a->items[i].campaign_id == b->items[j].campaign_id &&
              a->items[i].reported == b->items[j].reported && a->items[i].certified == b->items[j].certified;
    if (!found) return 0;
  }
  return 1;
}

int figures_check(Db *db, json_t **diffs, HzErr *e) {
  *diffs = json_array();
  json_t *ids = NULL;
  int rc = figures_store_project_ids(db, &ids, e);
  size_t i;
  json_t *id;
  json_array_foreach(ids, i, id) {
    if (rc) break;
    Figures stored = {0}, fresh = {0};
    char last[DATE_LEN];
    rc = figures_store_project(db, json_integer_value(id), &stored, e);
    if (!rc) rc = compute(db, json_integer_value(id), &fresh, last, e);
    if (!rc && !same(&stored, &fresh))
      json_array_append_new(*diffs, json_sprintf("project %lld: stored figures differ from its records",
                                                 (long long)json_integer_value(id)));
    figures_free(&stored);
    figures_free(&fresh);
  }
  json_decref(ids);
  if (!rc) rc = figures_store_check_sums(db, *diffs, e);
  return rc;
}
