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
                       const Figures *stored, HzErr *e) {
  (void)stored;
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
  if (!rc) rc = figures_store_each_project(db, 0, rebuild_one, &r, e);
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

/* ---- huizhan check: one ordered pass, recomputing every figure and every sum ---- */

/* Fresh sums of the recomputed figures per (campaign, unit, metric, day); day TOTAL for
 * the sum over all days. An open-addressing hash: a province has millions of keys, and
 * a query per key would not finish in time. Metric names are interned to small ids. */
#define TOTAL INT_MIN
typedef struct {
  int64_t campaign, unit, reported, certified;
  int32_t metric, day; /* metric -1: empty slot */
  int seen;            /* matched by a stored row */
} Sum;
typedef struct {
  Sum *slots;
  size_t cap, n;
  char (*names)[32]; /* metric id -> name */
  size_t nnames, capnames;
  int32_t *index; /* open-addressing table of metric ids by name; -1 empty */
  size_t capindex;
  int oom;
} Sums;

static uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}
static uint64_t name_hash(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  while (*s) h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
  return h;
}
static int sums_reindex(Sums *m, size_t cap) {
  int32_t *ix = malloc(cap * sizeof *ix);
  if (!ix) return -1;
  for (size_t i = 0; i < cap; i++) ix[i] = -1;
  for (size_t k = 0; k < m->nnames; k++) {
    size_t i = name_hash(m->names[k]) & (cap - 1);
    while (ix[i] >= 0) i = (i + 1) & (cap - 1);
    ix[i] = (int32_t)k;
  }
  free(m->index);
  m->index = ix;
  m->capindex = cap;
  return 0;
}
/* The id of a metric name, added when new; -1 when out of memory. */
static int32_t sums_metric(Sums *m, const char *name) {
  if (m->capindex) {
    for (size_t i = name_hash(name) & (m->capindex - 1); m->index[i] >= 0; i = (i + 1) & (m->capindex - 1))
      if (!strcmp(m->names[m->index[i]], name)) return m->index[i];
  }
  if (m->nnames == m->capnames) {
    size_t cap = m->capnames ? m->capnames * 2 : 64;
    char(*p)[32] = realloc(m->names, cap * sizeof *p);
    if (!p) return -1;
    m->names = p;
    m->capnames = cap;
  }
  snprintf(m->names[m->nnames], sizeof m->names[0], "%s", name);
  int32_t id = (int32_t)m->nnames++;
  if (m->nnames * 2 > m->capindex) return sums_reindex(m, m->capindex ? m->capindex * 2 : 128) ? -1 : id;
  size_t i = name_hash(name) & (m->capindex - 1);
  while (m->index[i] >= 0) i = (i + 1) & (m->capindex - 1);
  m->index[i] = id;
  return id;
}
static size_t sums_slot(const Sums *m, int64_t campaign, int64_t unit, int32_t metric, int32_t day) {
  uint64_t h = mix((uint64_t)campaign * 0x9e3779b97f4a7c15ULL ^ (uint64_t)unit * 0xbf58476d1ce4e5b9ULL ^
                   (uint64_t)(uint32_t)metric << 32 ^ (uint32_t)day);
  size_t i = h & (m->cap - 1);
  while (m->slots[i].metric >= 0) {
    const Sum *x = &m->slots[i];
    if (x->campaign == campaign && x->unit == unit && x->metric == metric && x->day == day) break;
    i = (i + 1) & (m->cap - 1);
  }
  return i;
}
static int sums_grow(Sums *m) {
  size_t cap = m->cap ? m->cap * 2 : 1 << 16;
  Sum *old = m->slots, *slots = malloc(cap * sizeof *slots);
  if (!slots) return -1;
  for (size_t i = 0; i < cap; i++) slots[i].metric = -1;
  size_t oldcap = m->cap;
  m->slots = slots;
  m->cap = cap;
  for (size_t i = 0; i < oldcap; i++)
    if (old[i].metric >= 0) m->slots[sums_slot(m, old[i].campaign, old[i].unit, old[i].metric, old[i].day)] = old[i];
  free(old);
  return 0;
}
/* The entry of a key, created (zero) when absent; NULL when out of memory. */
static Sum *sums_get(Sums *m, int64_t campaign, int64_t unit, const char *metric, int day) {
  int32_t id = sums_metric(m, metric);
  if (id < 0 || ((m->n + 1) * 10 > m->cap * 7 && sums_grow(m))) {
    m->oom = 1;
    return NULL;
  }
  Sum *x = &m->slots[sums_slot(m, campaign, unit, id, day)];
  if (x->metric < 0) {
    *x = (Sum){campaign, unit, 0, 0, id, day, 0};
    m->n++;
  }
  return x;
}
static void sums_free(Sums *m) {
  free(m->slots);
  free(m->names);
  free(m->index);
}

/* A figure's day for people: "on <date>", "as it stands" for the current-state figures
 * (day 0), nothing for a total over all days. */
static void day_label(int day, char *out) {
  char d[DATE_LEN];
  if (day == TOTAL) out[0] = 0;
  else if (day == 0) snprintf(out, DATE_LEN + 16, " as it stands");
  else {
    date_format(day, d);
    snprintf(out, DATE_LEN + 16, " on %s", d);
  }
}

typedef struct {
  Sums sums;
  json_t *diffs;
} Check;

static const Figure *figure_find(const Figures *fs, const Figure *f) {
  for (size_t i = 0; i < fs->n; i++) {
    const Figure *x = &fs->items[i];
    if (x->day == f->day && x->unit_id == f->unit_id && x->campaign_id == f->campaign_id && !strcmp(x->metric, f->metric))
      return x;
  }
  return NULL;
}
static void figure_diff(json_t *diffs, int64_t project_id, const char *note, const Figure *key, const Figure *stored,
                        const Figure *fresh) {
  char day[DATE_LEN + 16];
  day_label(key->day, day);
  json_array_append_new(diffs, json_sprintf("project %lld: stored figures differ from its records%s: %s%s (unit %lld):"
                                            " stored reported %lld certified %lld, recomputed reported %lld certified %lld",
                                            (long long)project_id, note, key->metric, day, (long long)key->unit_id,
                                            (long long)(stored ? stored->reported : 0),
                                            (long long)(stored ? stored->certified : 0),
                                            (long long)(fresh ? fresh->reported : 0),
                                            (long long)(fresh ? fresh->certified : 0)));
}
/* Records carry their project's campaign and lead unit (the certification queue filters on them). */
static void child_units(json_t *diffs, int64_t project_id, json_t *project, json_t *records, const char *what) {
  int64_t campaign = num(project, "campaign_id"), unit = num(project, "lead_unit_id");
  size_t i;
  json_t *x;
  json_array_foreach(records, i, x) {
    if (num(x, "unit_id") != unit)
      json_array_append_new(diffs, json_sprintf("%s %lld of project %lld: unit_id is %lld, the project's lead unit is %lld",
                                                what, (long long)num(x, "id"), (long long)project_id,
                                                (long long)num(x, "unit_id"), (long long)unit));
    if (num(x, "campaign_id") != campaign)
      json_array_append_new(diffs, json_sprintf("%s %lld of project %lld: campaign_id is %lld, the project's is %lld",
                                                what, (long long)num(x, "id"), (long long)project_id,
                                                (long long)num(x, "campaign_id"), (long long)campaign));
  }
}

static int check_one(void *ctx, int64_t project_id, json_t *project, json_t *sc, json_t *funds, json_t *fu,
                     const Figures *stored, HzErr *e) {
  Check *k = ctx;
  Figures fresh = {0};
  figures_of_project(project, sc, funds, fu, &fresh);
  const char *note = project ? "" : " (no such project)";
  for (size_t i = 0; i < fresh.n; i++) {
    const Figure *f = &fresh.items[i], *s = figure_find(stored, f);
    if (!s || s->reported != f->reported || s->certified != f->certified) figure_diff(k->diffs, project_id, note, f, s, f);
  }
  for (size_t i = 0; i < stored->n; i++)
    if (!figure_find(&fresh, &stored->items[i])) figure_diff(k->diffs, project_id, note, &stored->items[i], &stored->items[i], NULL);
  /* The unit sums must equal the sums of what the records give, not of what is stored. */
  for (size_t i = 0; i < fresh.n; i++) {
    const Figure *f = &fresh.items[i];
    for (int total = 0; total < 2; total++) { /* one at a time: a lookup may move the table */
      Sum *x = sums_get(&k->sums, f->campaign_id, f->unit_id, f->metric, total ? TOTAL : f->day);
      if (!x) break;
      x->reported += f->reported;
      x->certified += f->certified;
    }
  }
  figures_free(&fresh);
  if (k->sums.oom) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法核对");
  if (!project) return HZ_OK;
  const char *latest = last_activity_of(project, fu), *stored_last = str(project, "last_activity_date");
  if (!stored_last || strcmp(latest, stored_last))
    json_array_append_new(k->diffs, json_sprintf("project %lld: last_activity_date is %s, its lead date and follow-ups give %s",
                                                 (long long)project_id, stored_last ? stored_last : "null", latest));
  child_units(k->diffs, project_id, project, sc, "stage change");
  child_units(k->diffs, project_id, project, funds, "fund");
  child_units(k->diffs, project_id, project, fu, "follow-up");
  return HZ_OK;
}

static void sum_diff(json_t *diffs, int64_t campaign, int64_t unit, const char *metric, int day, int64_t sr, int64_t sc,
                     int64_t fr, int64_t fc) {
  char label[DATE_LEN + 16];
  day_label(day, label);
  json_array_append_new(diffs, json_sprintf("%s of campaign %lld unit %lld %s%s: stored reported %lld certified %lld,"
                                            " recomputed reported %lld certified %lld",
                                            day == TOTAL ? "total" : "daily sum", (long long)campaign, (long long)unit,
                                            metric, label, (long long)sr, (long long)sc, (long long)fr, (long long)fc));
}
static int check_sum(Check *k, int64_t campaign, int64_t unit, const char *metric, int day, int64_t reported,
                     int64_t certified, HzErr *e) {
  Sum *x = sums_get(&k->sums, campaign, unit, metric, day);
  if (!x) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法核对");
  x->seen = 1;
  if (x->reported != reported || x->certified != certified)
    sum_diff(k->diffs, campaign, unit, metric, day, reported, certified, x->reported, x->certified);
  return HZ_OK;
}
static int check_daily(void *ctx, int64_t campaign, int64_t unit, const char *metric, int day, int64_t reported,
                       int64_t certified, HzErr *e) {
  return check_sum(ctx, campaign, unit, metric, day, reported, certified, e);
}
static int check_total(void *ctx, int64_t campaign, int64_t unit, const char *metric, int day, int64_t reported,
                       int64_t certified, HzErr *e) {
  (void)day;
  return check_sum(ctx, campaign, unit, metric, TOTAL, reported, certified, e);
}
static int sum_cmp(const void *a, const void *b) {
  const Sum *x = a, *y = b;
  if (x->campaign != y->campaign) return x->campaign < y->campaign ? -1 : 1;
  if (x->unit != y->unit) return x->unit < y->unit ? -1 : 1;
  if (x->metric != y->metric) return x->metric < y->metric ? -1 : 1;
  return x->day < y->day ? -1 : x->day > y->day;
}

int figures_check(Db *db, json_t **diffs, HzErr *e) {
  *diffs = json_array();
  Check k = {{0}, *diffs};
  int rc = figures_store_each_project(db, 1, check_one, &k, e);
  if (!rc) rc = figures_store_each_unit_sum(db, 0, check_daily, &k, e);
  if (!rc) rc = figures_store_each_unit_sum(db, 1, check_total, &k, e);
  /* Sums the records give that nothing stores (zero sums need no row). */
  Sum *missing = NULL;
  size_t n = 0;
  for (size_t i = 0; !rc && i < k.sums.cap; i++) {
    Sum *x = &k.sums.slots[i];
    if (x->metric < 0 || x->seen || (!x->reported && !x->certified)) continue;
    Sum *p = realloc(missing, (n + 1) * sizeof *p);
    if (!p) {
      rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法核对");
      break;
    }
    missing = p;
    missing[n++] = *x;
  }
  if (!rc && n) qsort(missing, n, sizeof *missing, sum_cmp);
  for (size_t i = 0; !rc && i < n; i++)
    sum_diff(*diffs, missing[i].campaign, missing[i].unit, k.sums.names[missing[i].metric], missing[i].day, 0, 0,
             missing[i].reported, missing[i].certified);
  free(missing);
  sums_free(&k.sums);
  return rc;
}
