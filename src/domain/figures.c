#include "domain/figures.h"
#include "domain/settings.h"
#include "domain/stage.h"
#include "store/figures_store.h"
#include "util/timeutil.h"
#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOMEM_MSG "内存不足，无法计算进度数字"

void figures_free(Figures *f) {
  free(f->items);
  f->items = NULL;
  f->n = f->cap = 0;
}

int figures_add(Figures *f, int64_t campaign_id, int64_t unit_id, const char *metric, int stay_days, int day,
                int64_t reported, int64_t certified) {
  assert(f && metric && f->n <= f->cap);
  assert(strlen(metric) < sizeof f->items[0].metric); /* metric names are the engine's own */
  assert(stay_days >= 0);
  for (size_t i = 0; i < f->n; i++) {
    Figure *x = &f->items[i];
    if (x->campaign_id == campaign_id && x->unit_id == unit_id && x->day == day && x->stay_days == stay_days &&
        !strcmp(x->metric, metric)) {
      x->reported += reported;
      x->certified += certified;
      return HZ_OK;
    }
  }
  if (f->n == f->cap) {
    size_t cap = f->cap ? f->cap * 2 : 16;
    Figure *p = realloc(f->items, cap * sizeof *p);
    if (!p) return HZ_ENOMEM;
    f->items = p;
    f->cap = cap;
  }
  Figure *x = &f->items[f->n++];
  memset(x, 0, sizeof *x);
  x->campaign_id = campaign_id;
  x->unit_id = unit_id;
  snprintf(x->metric, sizeof x->metric, "%s", metric);
  x->stay_days = stay_days;
  x->day = day;
  x->reported = reported;
  x->certified = certified;
  return HZ_OK;
}

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }
static int is(json_t *o, const char *k, const char *v) {
  const char *s = str(o, k);
  return s && !strcmp(s, v);
}
static int day_of(const char *date) {
  int d = 0;
  return date && date_parse(date, &d) == HZ_OK ? d : 0;
}
/* The first of the dates given, as a day number. */
static int day_or(json_t *o, const char *k, const char *fallback) {
  return day_of(str(o, k) ? str(o, k) : str(o, fallback));
}

/* ---- which record feeds which metric: the one home of these rules (docs/figures.md
 * "Metrics"). figures_of_project sums what they feed into a project's figures; the score
 * drill-down (figures_unit_records) lists, per record, the metrics they feed by a day. ---- */

/* Receives one figure of a record: the metric, the stay length (days_<stage> only, else 0),
 * the day it counts on, and its reported and certified values. Returns an rc. */
typedef int (*FeedFn)(void *ctx, const char *metric, int stay_days, int day, int64_t reported, int64_t certified);

/* A project counts as one lead on its lead date (not subject to certification). */
static int feed_lead(json_t *project, FeedFn fn, void *ctx) {
  return fn(ctx, "leads_count", 0, day_of(str(project, "lead_date")), 1, 1);
}

/* A standing move: the signing, start and completion it passes, each on its own evidence
 * date (the move's date when there is none), and a drop from the stage it leaves. */
static int feed_move(json_t *sc, FeedFn fn, void *ctx) {
  int from = stage_parse(str(sc, "from_stage")), to = stage_parse(str(sc, "to_stage"));
  int certified = is(sc, "status", "certified"), rc = HZ_OK;
  assert(!is(sc, "status", "rejected"));
  if (stage_move_passes(from, to, STAGE_SIGNED)) {
    int d = day_or(sc, "contract_date", "date");
    int64_t v = num(sc, "contract_value");
    rc = fn(ctx, "signed_count", 0, d, 1, certified);
    if (!rc) rc = fn(ctx, "signed_value", 0, d, v, certified ? v : 0);
  }
  if (!rc && stage_move_passes(from, to, STAGE_STARTED))
    rc = fn(ctx, "started_count", 0, day_or(sc, "start_date", "date"), 1, certified);
  if (!rc && stage_move_passes(from, to, STAGE_COMPLETED))
    rc = fn(ctx, "completed_count", 0, day_or(sc, "completion_date", "date"), 1, certified);
  if (!rc && to == STAGE_DROPPED) {
    char metric[32];
    snprintf(metric, sizeof metric, "dropped_%s", stage_name(from));
    rc = fn(ctx, metric, 0, day_of(str(sc, "date")), 1, 1);
  }
  return rc;
}

/* A standing fund arrival: policy funds apart from the rest. */
static int feed_fund(json_t *x, FeedFn fn, void *ctx) {
  assert(!is(x, "status", "rejected"));
  int64_t amount = num(x, "amount");
  return fn(ctx, is(x, "kind", "policy") ? "policy_funds" : "funds_arrived", 0, day_of(str(x, "date")), amount,
            is(x, "status", "certified") ? amount : 0);
}

/* A follow-up: one more follow-up, a visit or fair by its kind, and one with the leader. */
static int feed_follow_up(json_t *x, FeedFn fn, void *ctx) {
  static const struct { const char *kind, *metric; } activity[] = {
    {"outbound_visit", "visits_out"}, {"investor_visit", "visits_in"}, {"fair", "fairs"}};
  int d = day_of(str(x, "date")), rc = fn(ctx, "follow_ups", 0, d, 1, 1);
  for (size_t k = 0; !rc && k < sizeof activity / sizeof activity[0]; k++)
    if (is(x, "kind", activity[k].kind)) rc = fn(ctx, activity[k].metric, 0, d, 1, 1);
  if (!rc && json_is_true(json_object_get(x, "with_leader"))) rc = fn(ctx, "leader_follow_ups", 0, d, 1, 1);
  return rc;
}

/* ---- a project's figures ---- */

typedef struct {
  Figures *out;
  int64_t campaign, unit;
} Acc;

static int acc_feed(void *ctx, const char *metric, int stay_days, int day, int64_t reported, int64_t certified) {
  Acc *a = ctx;
  return figures_add(a->out, a->campaign, a->unit, metric, stay_days, day, reported, certified);
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
static int reached_negotiating(Acc *a, json_t *stage_changes) {
  int later = INT_MAX, rc = HZ_OK;
  for (size_t i = json_array_size(stage_changes); !rc && i-- > 0;) {
    json_t *sc = json_array_get(stage_changes, i);
    if (is(sc, "status", "rejected")) continue;
    int first = first_figure_day(sc), d = day_of(str(sc, "date"));
    if (first < later) later = first;
    if (stage_move_passes(stage_parse(str(sc, "from_stage")), stage_parse(str(sc, "to_stage")), STAGE_NEGOTIATING))
      rc = acc_feed(a, "reached_negotiating", 0, d < later ? d : later, 1, 1);
  }
  return rc;
}

int figures_of_project(json_t *project, json_t *stage_changes, json_t *funds, json_t *follow_ups, Figures *out) {
  if (!project || !json_is_null(json_object_get(project, "duplicate_of"))) return HZ_OK;
  Acc a = {out, num(project, "campaign_id"), num(project, "lead_unit_id")};
  char metric[40];
  size_t i;
  json_t *x;
  int rc = feed_lead(project, acc_feed, &a);
  if (!rc) rc = reached_negotiating(&a, stage_changes);

  /* Stage history: figures of each move, and how long the project stayed in each stage. */
  int cur = STAGE_LEAD, entered = day_of(str(project, "lead_date"));
  json_array_foreach(stage_changes, i, x) {
    if (rc) break;
    if (is(x, "status", "rejected")) continue;
    rc = feed_move(x, acc_feed, &a);
    int d = day_of(str(x, "date"));
    /* One stay, on the day it ended, so a funnel as of a day sees the stays ended by then. */
    snprintf(metric, sizeof metric, "days_%s", stage_name(cur));
    if (!rc) rc = acc_feed(&a, metric, d > entered ? d - entered : 0, d, 1, 1);
    cur = stage_parse(str(x, "to_stage"));
    entered = d;
  }

  int64_t arrived = 0;
  json_array_foreach(funds, i, x) {
    if (rc) break;
    if (is(x, "status", "rejected")) continue;
    rc = feed_fund(x, acc_feed, &a);
    if (!is(x, "kind", "policy")) arrived += num(x, "amount");
  }

  json_array_foreach(follow_ups, i, x) {
    if (rc) break;
    rc = feed_follow_up(x, acc_feed, &a);
  }

  /* The pipeline as it stands: what is still to be won, for the forecast. */
  int stage = stage_parse(str(project, "stage"));
  if (!rc && stage >= STAGE_LEAD && stage <= STAGE_STARTED) {
    int64_t value = num(project, "planned_investment");
    if (stage >= STAGE_SIGNED) {
      int64_t contract = num(project, "contract_value");
      value = (contract > 0 ? contract : value) - arrived;
      if (value < 0) value = 0;
    }
    snprintf(metric, sizeof metric, "pipeline_%s", stage_name(stage));
    rc = acc_feed(&a, metric, 0, 0, 1, 1);
    snprintf(metric, sizeof metric, "pipeline_value_%s", stage_name(stage));
    if (!rc) rc = acc_feed(&a, metric, 0, 0, value, value);
  }
  return rc;
}

/* ---- the records behind a unit's score (the ranking drill-down) ---- */

typedef struct {
  const char *kind; /* stage_change, fund, lead, follow_up */
  int day;          /* of its earliest figure listed */
  int64_t id, project_id;
  json_t *project;  /* borrowed: {id, name, lead_date, planned_investment} */
  json_t *detail, *amount, *metrics; /* owned */
  int64_t kind_total;
} Listed;

typedef struct {
  int until, day;
  json_t *metrics;
} Lister;

static int score_metric(const char *m) {
  for (int i = 0; i < TARGET_METRICS_N; i++)
    if (!strcmp(target_metrics[i], m)) return 1;
  for (int i = 0; i < ACTIVITY_METRICS_N; i++)
    if (!strcmp(activity_metrics[i], m)) return 1;
  return 0;
}

/* Keeps the score metrics a record feeds by the day, and the day of the earliest. */
static int list_feed(void *ctx, const char *metric, int stay_days, int day, int64_t reported, int64_t certified) {
  (void)stay_days, (void)reported, (void)certified;
  Lister *l = ctx;
  if (day > l->until || !score_metric(metric)) return HZ_OK;
  if (day < l->day) l->day = day;
  return json_array_append_new(l->metrics, json_string(metric)) ? HZ_ENOMEM : HZ_OK;
}

/* The project of id in projects (in id order); NULL when it is not the unit's. */
static json_t *project_of(json_t *projects, int64_t id) {
  size_t lo = 0, hi = json_array_size(projects);
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int64_t x = num(json_array_get(projects, mid), "id");
    if (x == id) return json_array_get(projects, mid);
    if (x < id) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

typedef struct {
  Listed *items;
  size_t n, cap;
  int until;
} Listing;

static void listing_free(Listing *l) {
  for (size_t i = 0; i < l->n; i++) {
    json_decref(l->items[i].detail);
    json_decref(l->items[i].amount);
    json_decref(l->items[i].metrics);
  }
  free(l->items);
}

/* Lists one record when it feeds a score metric by the day; feed says what it feeds. */
static int listing_add(Listing *l, const char *kind, json_t *rec, json_t *project, int (*feed)(json_t *, FeedFn, void *),
                       const char *detail_key, const char *amount_key) {
  Lister one = {l->until, INT_MAX, json_array()};
  int rc = one.metrics ? feed(rec, list_feed, &one) : HZ_ENOMEM;
  if (rc || !json_array_size(one.metrics)) {
    json_decref(one.metrics);
    return rc;
  }
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    Listed *p = realloc(l->items, cap * sizeof *p);
    if (!p) {
      json_decref(one.metrics);
      return HZ_ENOMEM;
    }
    l->items = p;
    l->cap = cap;
  }
  json_t *detail = detail_key ? json_object_get(rec, detail_key) : NULL;
  json_t *amount = amount_key ? json_object_get(rec, amount_key) : NULL;
  l->items[l->n++] = (Listed){kind, one.day, num(rec, "id"), num(project, "id"), project,
                              detail ? json_incref(detail) : json_null(), amount ? json_incref(amount) : json_null(),
                              one.metrics, 0};
  return HZ_OK;
}

static int by_kind_day_id(const void *pa, const void *pb) {
  const Listed *a = pa, *b = pb;
  int k = strcmp(a->kind, b->kind);
  if (k) return k;
  if (a->day != b->day) return a->day < b->day ? -1 : 1;
  return (a->id > b->id) - (a->id < b->id);
}
static int by_day_kind_id(const void *pa, const void *pb) {
  const Listed *a = pa, *b = pb;
  if (a->day != b->day) return a->day < b->day ? -1 : 1;
  int k = strcmp(a->kind, b->kind);
  if (k) return k;
  return (a->id > b->id) - (a->id < b->id);
}

/* Each kind's earliest FIGURES_RECORDS_MAX records in (date, kind, id) order, with kind_total. */
static int listing_json(Listing *l, json_t *out) {
  if (l->n) qsort(l->items, l->n, sizeof *l->items, by_kind_day_id); /* items is NULL when none were listed */
  Listed *keep = malloc((l->n ? l->n : 1) * sizeof *keep);
  if (!keep) return HZ_ENOMEM;
  size_t nkeep = 0;
  for (size_t i = 0, j; i < l->n; i = j) {
    for (j = i; j < l->n && !strcmp(l->items[j].kind, l->items[i].kind);) j++;
    for (size_t k = i; k < j; k++) l->items[k].kind_total = (int64_t)(j - i);
    for (size_t k = i; k < j && k - i < FIGURES_RECORDS_MAX; k++) keep[nkeep++] = l->items[k];
  }
  if (nkeep) qsort(keep, nkeep, sizeof *keep, by_day_kind_id);
  int rc = HZ_OK;
  for (size_t i = 0; i < nkeep && !rc; i++) {
    const Listed *x = &keep[i];
    char date[DATE_LEN];
    date_format(x->day, date);
    json_t *name = json_object_get(x->project, "name");
    json_t *o = json_pack("{s:s s:I s:I s:O s:s s:O s:O s:O s:I}", "kind", x->kind, "id", (json_int_t)x->id,
                          "project_id", (json_int_t)x->project_id, "project_name", name ? name : json_null(), "date",
                          date, "detail", x->detail, "amount", x->amount, "metrics", x->metrics, "kind_total",
                          (json_int_t)x->kind_total);
    if (!o || json_array_append_new(out, o)) rc = HZ_ENOMEM;
  }
  free(keep);
  return rc;
}

int figures_unit_records(Db *db, int64_t campaign_id, int64_t unit_id, const char *as_of, json_t **out, HzErr *e) {
  json_t *projects = NULL, *moves = NULL, *funds = NULL, *fu = NULL, *x;
  Listing l = {0};
  size_t i;
  int as_of_day, start, end, rc;
  *out = json_array();
  if (!as_of || date_parse(as_of, &as_of_day)) return hz_fail(e, HZ_EINVAL, "as_of", "as_of 应为 YYYY-MM-DD 日期");
  if ((rc = figures_store_campaign_days(db, campaign_id, &start, &end, e))) goto done;
  if (!start || as_of_day < start) goto done; /* no such campaign, or before its start: nothing counts yet */
  l.until = as_of_day < end ? as_of_day : end;
  if ((rc = figures_store_unit_inputs(db, campaign_id, unit_id, &projects, &moves, &funds, &fu, e))) goto done;
  json_array_foreach(projects, i, x) {
    if ((rc = listing_add(&l, "lead", x, x, feed_lead, NULL, "planned_investment"))) break;
  }
  json_array_foreach(moves, i, x) {
    if (rc) break;
    json_t *p = project_of(projects, num(x, "project_id"));
    assert(p); /* the store reads the moves of the unit's projects only */
    if (is(x, "status", "certified")) rc = listing_add(&l, "stage_change", x, p, feed_move, "to_stage", "contract_value");
  }
  json_array_foreach(funds, i, x) {
    if (rc) break;
    json_t *p = project_of(projects, num(x, "project_id"));
    assert(p);
    if (is(x, "status", "certified")) rc = listing_add(&l, "fund", x, p, feed_fund, "kind", "amount");
  }
  json_array_foreach(fu, i, x) {
    if (rc) break;
    json_t *p = project_of(projects, num(x, "project_id"));
    assert(p);
    rc = listing_add(&l, "follow_up", x, p, feed_follow_up, "kind", NULL);
  }
  if (!rc) rc = listing_json(&l, *out);
  if (rc == HZ_ENOMEM) rc = hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
done:
  listing_free(&l);
  json_decref(projects);
  json_decref(moves);
  json_decref(funds);
  json_decref(fu);
  if (rc) {
    json_decref(*out);
    *out = NULL;
  }
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

/* Loads a project and its records, and computes its figures. */
static int compute(Db *db, int64_t project_id, Figures *out, char *last_activity, HzErr *e) {
  json_t *project = NULL, *sc = NULL, *funds = NULL, *fu = NULL;
  int rc = figures_store_inputs(db, project_id, &project, &sc, &funds, &fu, e);
  if (!rc && figures_of_project(project, sc, funds, fu, out)) rc = hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
  if (!rc && project) snprintf(last_activity, DATE_LEN, "%s", last_activity_of(project, fu));
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
  assert(strlen(name) < sizeof m->names[0]);
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
    if (x->day == f->day && x->stay_days == f->stay_days && x->unit_id == f->unit_id &&
        x->campaign_id == f->campaign_id && !strcmp(x->metric, f->metric))
      return x;
  }
  return NULL;
}
/* A figure's name for people and for the check's sums: the metric, with a stay's length
 * after a colon (days_lead:12). */
#define LABEL_LEN 48
static void figure_label(const char *metric, int stay_days, char out[LABEL_LEN]) {
  if (strncmp(metric, "days_", 5)) snprintf(out, LABEL_LEN, "%s", metric);
  else snprintf(out, LABEL_LEN, "%s:%d", metric, stay_days);
}
typedef struct {
  BulkLoad *load; /* the figures and sums, written in batches */
  int64_t done;
  void (*progress)(int64_t done, void *ctx);
  void *ctx;
  json_t *moved; /* [[project_id, last activity date]] to correct after the pass */
  Sums sums;     /* the unit sums, per day and (TOTAL) over all days, as check_one adds them */
} Rebuild;

static int rebuild_one(void *ctx, int64_t project_id, json_t *project, json_t *sc, json_t *funds, json_t *fu,
                       const Figures *stored, HzErr *e) {
  (void)stored;
  Rebuild *r = ctx;
  Figures f = {0};
  int rc = figures_of_project(project, sc, funds, fu, &f) ? hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG) : HZ_OK;
  if (!rc) rc = figures_store_load_project(r->load, project_id, &f, e);
  /* The sums by day only: write_sums adds up each metric's days for its total. */
  for (size_t i = 0; i < f.n && !rc; i++) {
    char label[LABEL_LEN];
    figure_label(f.items[i].metric, f.items[i].stay_days, label);
    Sum *x = sums_get(&r->sums, f.items[i].campaign_id, f.items[i].unit_id, label, f.items[i].day);
    if (!x) break;
    x->reported += f.items[i].reported;
    x->certified += f.items[i].certified;
  }
  figures_free(&f);
  if (!rc && r->sums.oom) rc = hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
  const char *latest = last_activity_of(project, fu);
  if (!rc && (!str(project, "last_activity_date") || strcmp(latest, str(project, "last_activity_date"))) &&
      json_array_append_new(r->moved, json_pack("[I s]", (json_int_t)project_id, latest)))
    rc = hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
  if (++r->done % 10000 == 0 && r->progress) r->progress(r->done, r->ctx);
  return rc;
}

/* The metric ids' places in name order while write_sums sorts (qsort passes no context). */
static _Thread_local const int32_t *name_rank;
static _Thread_local const Sums *ranking;
static int name_cmp(const void *a, const void *b) {
  return strcmp(ranking->names[*(const int32_t *)a], ranking->names[*(const int32_t *)b]);
}
static int sum_key_cmp(const void *a, const void *b) {
  const Sum *x = a, *y = b;
  if (x->campaign != y->campaign) return x->campaign < y->campaign ? -1 : 1;
  if (x->unit != y->unit) return x->unit < y->unit ? -1 : 1;
  if (x->metric != y->metric) return name_rank[x->metric] < name_rank[y->metric] ? -1 : 1;
  return x->day < y->day ? -1 : x->day > y->day;
}

/* One sum of a metric's label (days_lead:12 gives back the stay's metric and length) on a
 * day, or its total over all days. */
static int put_sum(BulkLoad *l, const Sums *m, const Sum *s, int total, int64_t reported, int64_t certified,
                   HzErr *e) {
  const char *label = m->names[s->metric], *colon = strchr(label, ':');
  Figure f = {.campaign_id = s->campaign, .unit_id = s->unit, .day = total ? 0 : s->day, .reported = reported,
              .certified = certified};
  snprintf(f.metric, sizeof f.metric, "%.*s", colon ? (int)(colon - label) : (int)strlen(label), label);
  f.stay_days = colon ? (int)strtol(colon + 1, NULL, 10) : 0;
  return figures_store_load_sum(l, &f, total, e);
}

/* Writes the sums by day of m and each metric's total over its days (zero ones are left
 * out, as figures_store_replace never writes them), in the order of the tables' keys. */
static int write_sums(BulkLoad *l, Sums *m, HzErr *e) {
  size_t n = 0;
  Sum *all = malloc((m->n ? m->n : 1) * sizeof *all);
  int32_t *by_name = malloc((m->nnames ? m->nnames : 1) * sizeof *by_name),
          *rank = malloc((m->nnames ? m->nnames : 1) * sizeof *rank);
  if (!all || !by_name || !rank) {
    free(all);
    free(by_name);
    free(rank);
    return hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
  }
  for (size_t i = 0; i < m->cap; i++)
    if (m->slots[i].metric >= 0 && (m->slots[i].reported || m->slots[i].certified)) all[n++] = m->slots[i];
  /* metrics by name once, then ranks compared: a strcmp per comparison took half the sort */
  for (size_t k = 0; k < m->nnames; k++) by_name[k] = (int32_t)k;
  ranking = m;
  qsort(by_name, m->nnames, sizeof *by_name, name_cmp);
  for (size_t k = 0; k < m->nnames; k++) rank[by_name[k]] = (int32_t)k;
  name_rank = rank;
  qsort(all, n, sizeof *all, sum_key_cmp);
  name_rank = NULL;
  ranking = NULL;
  free(by_name);
  free(rank);
  int rc = HZ_OK;
  for (size_t i = 0; i < n && !rc;) {
    /* a metric's days lie together once sorted: their total first, as its key sorts first */
    size_t j = i;
    int64_t reported = 0, certified = 0;
    for (; j < n && all[j].campaign == all[i].campaign && all[j].unit == all[i].unit && all[j].metric == all[i].metric;
         j++) {
      reported += all[j].reported;
      certified += all[j].certified;
    }
    if (reported || certified) rc = put_sum(l, m, &all[i], 1, reported, certified, e);
    for (; i < j && !rc; i++) rc = put_sum(l, m, &all[i], 0, all[i].reported, all[i].certified, e);
  }
  free(all);
  return rc;
}

int figures_rebuild(Db *db, void (*progress)(int64_t done, void *ctx), void *ctx, int64_t *projects, HzErr *e) {
  Rebuild r = {NULL, 0, progress, ctx, json_array(), {0}};
  int rc = r.moved ? figures_store_clear(db, e) : hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
  if (!rc) rc = bulk_load_new(db, &r.load, e);
  if (!rc) rc = figures_store_each_project(db, 0, rebuild_one, &r, e);
  /* The sums from memory: summing project_figures in SQL sorts millions of rows. */
  if (!rc) rc = write_sums(r.load, &r.sums, e);
  if (!rc) rc = bulk_load_flush(r.load, e);
  bulk_load_free(r.load);
  size_t i;
  json_t *m;
  /* Written after the pass: the projects table is not changed while it is being read. */
  json_array_foreach(r.moved, i, m) {
    if (rc) break;
    rc = figures_store_set_last_activity(db, json_integer_value(json_array_get(m, 0)),
                                         json_string_value(json_array_get(m, 1)), e);
  }
  json_decref(r.moved);
  sums_free(&r.sums);
  if (projects) *projects = r.done;
  return rc;
}

static void figure_diff(json_t *diffs, int64_t project_id, const char *note, const Figure *key, const Figure *stored,
                        const Figure *fresh) {
  char day[DATE_LEN + 16], label[LABEL_LEN];
  day_label(key->day, day);
  figure_label(key->metric, key->stay_days, label);
  json_array_append_new(diffs, json_sprintf("project %lld: stored figures differ from its records%s: %s%s (unit %lld):"
                                            " stored reported %lld certified %lld, recomputed reported %lld certified %lld",
                                            (long long)project_id, note, label, day, (long long)key->unit_id,
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
  if (figures_of_project(project, sc, funds, fu, &fresh)) {
    figures_free(&fresh);
    return hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法核对");
  }
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
    char label[LABEL_LEN];
    figure_label(f->metric, f->stay_days, label);
    for (int total = 0; total < 2; total++) { /* one at a time: a lookup may move the table */
      Sum *x = sums_get(&k->sums, f->campaign_id, f->unit_id, label, total ? TOTAL : f->day);
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
static int check_sum(Check *k, int64_t campaign, int64_t unit, const char *metric, int stay_days, int day,
                     int64_t reported, int64_t certified, HzErr *e) {
  char label[LABEL_LEN];
  figure_label(metric, stay_days, label);
  metric = label;
  Sum *x = sums_get(&k->sums, campaign, unit, metric, day);
  if (!x) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法核对");
  x->seen = 1;
  if (x->reported != reported || x->certified != certified)
    sum_diff(k->diffs, campaign, unit, metric, day, reported, certified, x->reported, x->certified);
  return HZ_OK;
}
static int check_daily(void *ctx, int64_t campaign, int64_t unit, const char *metric, int stay_days, int day,
                       int64_t reported, int64_t certified, HzErr *e) {
  return check_sum(ctx, campaign, unit, metric, stay_days, day, reported, certified, e);
}
static int check_total(void *ctx, int64_t campaign, int64_t unit, const char *metric, int stay_days, int day,
                       int64_t reported, int64_t certified, HzErr *e) {
  (void)day;
  return check_sum(ctx, campaign, unit, metric, stay_days, TOTAL, reported, certified, e);
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
