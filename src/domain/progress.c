#include "domain/progress.h"
#include "domain/resource.h"
#include "domain/stage.h"
#include "domain/weekly.h"
#include "store/audit_store.h"
#include "store/figures_store.h"
#include "store/progress_store.h"
#include "store/workflow_store.h"
#include "store/record_store.h"
#include "util/buf.h"
#include "util/json_text.h"
#include "util/timeutil.h"
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* The sums a board reads, by index. Target metrics first, then activity, then the rest. */
enum {
  M_FUNDS, M_SIGNED, M_SIGNED_VALUE, M_STARTED, M_COMPLETED, M_POLICY, M_LEADS, /* = target_metrics */
  M_VISITS_OUT, M_VISITS_IN, M_FAIRS,                                          /* = activity_metrics */
  M_FOLLOW_UPS, M_LEADER_FOLLOW_UPS, M_REACHED_NEGOTIATING,
  M_DROPPED_LEAD, M_DROPPED_NEGOTIATING, M_DROPPED_SIGNED, M_DROPPED_STARTED,
  M_PIPE_LEAD, M_PIPE_NEGOTIATING, M_PIPE_SIGNED, M_PIPE_STARTED,
  M_PIPE_VALUE_LEAD, M_PIPE_VALUE_NEGOTIATING, M_PIPE_VALUE_SIGNED, M_PIPE_VALUE_STARTED,
  M_COUNT
};
static const char *const metric_names[M_COUNT] = {
  "funds_arrived", "signed_count", "signed_value", "started_count", "completed_count", "policy_funds", "leads_count",
  "visits_out", "visits_in", "fairs", "follow_ups", "leader_follow_ups", "reached_negotiating",
  "dropped_lead", "dropped_negotiating", "dropped_signed", "dropped_started",
  "pipeline_lead", "pipeline_negotiating", "pipeline_signed", "pipeline_started",
  "pipeline_value_lead", "pipeline_value_negotiating", "pipeline_value_signed", "pipeline_value_started"};
#define N_WEIGHTED (TARGET_METRICS_N + ACTIVITY_METRICS_N)
#define RANK_TIE_BREAK "score desc, certified funds desc, certified signings desc, unit id asc"
#define FUNNEL_STAGES 5 /* lead .. completed */

/* Lengths of stay in one stage, as (days, count) pairs. Once loaded (stays_finish) they are
 * in days order, and cum counts the stays of at most that many days. */
typedef struct {
  struct Stay { int days; int64_t count, cum; } *items;
  size_t n, cap;
} Stays;

static int stays_add(Stays *s, int days, int64_t count) {
  assert(days >= 0 && count > 0);
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 8;
    struct Stay *p = realloc(s->items, cap * sizeof *p);
    if (!p) return HZ_ENOMEM;
    s->items = p;
    s->cap = cap;
  }
  s->items[s->n++] = (struct Stay){days, count, 0};
  return HZ_OK;
}

static int by_days(const void *pa, const void *pb) {
  const struct Stay *a = pa, *b = pb;
  return (a->days > b->days) - (a->days < b->days);
}

static void stays_finish(Stays *s) {
  if (s->n) qsort(s->items, s->n, sizeof *s->items, by_days);
  int64_t cum = 0;
  for (size_t i = 0; i < s->n; i++) s->items[i].cum = cum += s->items[i].count;
}

/* How many stays lasted at most `days` days (s finished). */
static int64_t stays_upto(const Stays *s, int days) {
  size_t lo = 0, hi = s->n; /* lo: the first stay longer than days */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->items[mid].days <= days) lo = mid + 1;
    else hi = mid;
  }
  return lo ? s->items[lo - 1].cum : 0;
}

/* A unit's stays in lead, negotiating, signed and started. A patched board shares the
 * sets of the units it did not read again with the board it was made from (board_clone),
 * so each set counts the boards holding it; a set is never changed once loaded. */
typedef struct {
  atomic_int refs;
  Stays s[4];
} StaySet;

static const Stays no_stays;

static const Stays *stays_of(const StaySet *set, int s) { return set ? &set->s[s] : &no_stays; }

static void stayset_unref(StaySet *set) {
  if (!set || atomic_fetch_sub(&set->refs, 1) != 1) return;
  for (int s = 0; s < 4; s++) free(set->s[s].items);
  free(set);
}

/* Every unit's stays in one stage by length: count[d] stays of d days, d <= max (max -1:
 * not kept, a stay too long for an array). The whole campaign's funnel medians read it
 * instead of adding up every unit's stays after each write; a patch takes out the stays
 * of the units it reads again and puts their new ones in. */
#define HIST_MAX_DAYS 100000
typedef struct {
  int64_t *count;
  int max;
  int64_t total;
} StayHist;

static int hist_add(StayHist *h, const Stays *st, int sign) {
  for (size_t k = 0; h->max >= 0 && k < st->n; k++) {
    int d = st->items[k].days;
    if (d > HIST_MAX_DAYS) { /* not worth an array: the units' own stays are searched */
      free(h->count);
      *h = (StayHist){.max = -1};
      return HZ_OK;
    }
    if (d > h->max || !h->count) {
      int cap = d > 2 * h->max ? d : 2 * h->max;
      int64_t *p = realloc(h->count, ((size_t)cap + 1) * sizeof *p);
      if (!p) return HZ_ENOMEM;
      for (int i = h->count ? h->max + 1 : 0; i <= cap; i++) p[i] = 0;
      h->count = p;
      h->max = cap;
    }
    h->count[d] += sign * st->items[k].count;
    h->total += sign * st->items[k].count;
  }
  return HZ_OK;
}

/* A unit's stays (all four stages) into the board's histograms (sign 1) or out (-1). */
static int hists_add(StayHist hist[4], const StaySet *set, int sign) {
  int rc = HZ_OK;
  for (int s = 0; set && !rc && s < 4; s++) rc = hist_add(&hist[s], &set->s[s], sign);
  return rc;
}

/* A unit's ranking row as JSON text without its rank (`"unit_id":…}`), made once and
 * shared by the boards patched since while its figures stay the same (see rank_texts). */
typedef struct {
  atomic_int refs;
  double score;       /* what it was made from, besides the figures of the unit */
  const char *status;
  size_t len;
  char text[];
} RankText;

static void rank_text_unref(RankText *t) {
  if (t && atomic_fetch_sub(&t->refs, 1) == 1) free(t);
}

typedef struct {
  int64_t id;
  const char *name, *category;   /* owned by Board.units */
  int64_t target[TARGET_METRICS_N], annual[TARGET_METRICS_N];
  int64_t reported[M_COUNT], certified[M_COUNT];
  int reviews_on_time;           /* weekly reports its head reviewed on time (R-PROG-8) */
  StaySet *stays;                /* stays ended in each stage; NULL: none (shared, see StaySet) */
  RankText *rank_text;           /* its ranking row (shared); NULL until made */
  /* computed */
  double completion;             /* weighted, capped; NAN without targets */
  double score;
  const char *status;
  int rank, category_rank;
} UnitBoard;

struct Board {
  int64_t campaign_id;
  json_t *campaign, *units_json;
  int reports_due;               /* weeks ended by as_of */
  int64_t activity_best[ACTIVITY_METRICS_N]; /* the largest count of any unit, per activity */
  Settings settings;
  int as_of, start, end, elapsed, total;
  int before_start;              /* as_of is before the campaign: no figure counts yet */
  double time_progress;
  UnitBoard *units;
  UnitBoard **order; /* units in rank order */
  size_t n;
  /* Shared boards (board_get): the audit entry the figures stand at, the day they were
   * read (which sums a board reads depends on today), and references held. */
  int64_t audit_id;
  int today;
  int refs;
  StayHist hist[4]; /* every unit's stays per stage, for the campaign's funnel */
};

double pct2(double x) { return round(x * 100.0) / 100.0; }

static int metric_index(const char *name) {
  for (int i = 0; i < M_COUNT; i++)
    if (!strcmp(metric_names[i], name)) return i;
  return -1;
}

static int target_index(const char *name) {
  for (int i = 0; i < TARGET_METRICS_N; i++)
    if (!strcmp(target_metrics[i], name)) return i;
  return -1;
}

/* Binary search: the units are loaded in id order, and a board of thousands of units
 * looks one up for each of its hundreds of thousands of sums. */
/* Units are loaded in id order, so a binary search finds one. */
static UnitBoard *unit_of(Board *b, int64_t id) {
  size_t lo = 0, hi = b->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (b->units[mid].id == id) return &b->units[mid];
    if (b->units[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

static int64_t funds_certified(const UnitBoard *u) { return u->certified[M_FUNDS] + u->certified[M_POLICY]; }

/* Weighted completion over the metrics with a target: each capped at 150 %. */
static void unit_completion(const Board *b, UnitBoard *u) {
  double num = 0, den = 0;
  for (int m = 0; m < TARGET_METRICS_N; m++) {
    if (u->target[m] <= 0 || b->settings.weights[m] <= 0) continue;
    double c = 100.0 * (double)u->certified[m] / (double)u->target[m];
    num += b->settings.weights[m] * fmin(c, 150.0);
    den += b->settings.weights[m];
  }
  u->completion = den > 0 ? num / den : NAN;
}

static void unit_status(const Board *b, UnitBoard *u) {
  if (funds_certified(u) == 0 && u->certified[M_SIGNED] == 0) u->status = "zero";
  else if (isnan(u->completion)) u->status = "no_target";
  else if (u->completion < b->time_progress - b->settings.behind_margin) u->status = "behind";
  else if (u->completion > b->time_progress + b->settings.ahead_margin) u->status = "ahead";
  else u->status = "on_track";
}

/* One component of a score; returns 0 when it does not apply to the unit. */
static int component(const Board *b, const UnitBoard *u, int w, double *ratio, int64_t *value, int64_t *basis) {
  int weight = b->settings.weights[w];
  if (weight <= 0) return 0;
  if (w < TARGET_METRICS_N) {
    if (u->target[w] <= 0) return 0;
    *value = u->certified[w];
    *basis = u->target[w];
    *ratio = fmin((double)*value / (double)*basis, 1.5);
  } else {
    int m = M_VISITS_OUT + (w - TARGET_METRICS_N);
    *value = u->reported[m];
    *basis = b->activity_best[w - TARGET_METRICS_N]; /* the best unit scores 1 */
    if (*basis == 0) return 0;
    *ratio = (double)*value / (double)*basis;
  }
  return weight;
}

static void unit_score(const Board *b, UnitBoard *u) {
  double num = 0, den = 0, ratio = 0;
  int64_t value, basis;
  for (int w = 0; w < N_WEIGHTED; w++) {
    int weight = component(b, u, w, &ratio, &value, &basis);
    if (!weight) continue; /* ratio is not set then */
    num += weight * ratio;
    den += weight;
  }
  u->score = den > 0 ? pct2(100.0 * num / den) : 0;
}

/* Ranking order, documented in docs/figures.md: score, then certified funds, then
 * certified signings, then the unit's id. */
static int by_rank(const void *pa, const void *pb) {
  const UnitBoard *a = *(const UnitBoard *const *)pa, *b = *(const UnitBoard *const *)pb;
  if (a->score != b->score) return a->score > b->score ? -1 : 1;
  if (funds_certified(a) != funds_certified(b)) return funds_certified(a) > funds_certified(b) ? -1 : 1;
  if (a->certified[M_SIGNED] != b->certified[M_SIGNED]) return a->certified[M_SIGNED] > b->certified[M_SIGNED] ? -1 : 1;
  return a->id < b->id ? -1 : 1;
}

static int rank_units(Board *b) {
  UnitBoard **order = malloc((b->n ? b->n : 1) * sizeof *order);
  if (!order) return HZ_ENOMEM;
  for (size_t i = 0; i < b->n; i++) order[i] = &b->units[i];
  qsort(order, b->n, sizeof *order, by_rank);
  /* Walking the ranking once, each unit's place within its category is one more than
   * the units of that category seen before it. */
  const char *cats[32];
  int seen[32], ncat = 0;
  for (size_t i = 0; i < b->n; i++) {
    order[i]->rank = (int)i + 1;
    int c = 0;
    while (c < ncat && strcmp(cats[c], order[i]->category)) c++;
    if (c == ncat && ncat < 32) {
      cats[ncat] = order[i]->category;
      seen[ncat++] = 0;
    }
    order[i]->category_rank = c < 32 ? ++seen[c] : 0;
  }
  b->order = order;
  return HZ_OK;
}

static void add_sum(void *ctx, int64_t unit_id, const char *metric, int64_t reported, int64_t certified) {
  Board *b = ctx;
  UnitBoard *u = unit_of(b, unit_id);
  int m = metric_index(metric);
  if (!u || m < 0) return;
  /* Before the start nothing counts yet; the pipeline, as it stands today, still does. */
  if (b->before_start && m < M_PIPE_LEAD) return;
  u->reported[m] = reported;
  u->certified[m] = certified;
}

/* A count of stays of one length in a stage. */
static int add_stay(void *ctx, int64_t unit_id, const char *stage, int days, int64_t count, HzErr *e) {
  Board *b = ctx;
  UnitBoard *u = unit_of(b, unit_id);
  int s = stage_parse(stage);
  if (!u || s < 0 || s >= 4 || count <= 0) return HZ_OK;
  if (!u->stays) { /* the unit's first stay: its set, held by this board alone */
    if (!(u->stays = calloc(1, sizeof *u->stays))) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法计算漏斗");
    atomic_init(&u->stays->refs, 1);
  }
  return stays_add(&u->stays->s[s], days, count) ? hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法计算漏斗") : HZ_OK;
}

/* Leadership input (R-PROG-8): per unit, the reports of weeks ended by as_of that its
 * head reviewed within REVIEW_DAYS of the week's end, on or before as_of. */
static int load_reviews(Db *db, Board *b, HzErr *e) {
  json_t *reps = NULL;
  int rc = workflow_store_reports(db, b->campaign_id, &reps, e);
  b->reports_due = weekly_weeks_ended(b->start, b->end, b->as_of);
  size_t i;
  json_t *r;
  json_array_foreach(reps, i, r) {
    int from, to, reviewed;
    weekly_bounds(b->start, b->end, (int)json_integer_value(json_object_get(r, "week")), &from, &to);
    const char *on = json_string_value(json_object_get(r, "reviewed_on"));
    if (!on || date_parse(on, &reviewed) || to >= b->as_of || reviewed > to + REVIEW_DAYS || reviewed > b->as_of) continue;
    UnitBoard *u = unit_of(b, json_integer_value(json_object_get(r, "unit_id")));
    if (u) u->reviews_on_time++;
  }
  json_decref(reps);
  return rc;
}

/* The figures count the records dated up to the as-of day clamped to the campaign
 * (docs/figures.md "Dates"): after the end, up to the end day; before the start, none. */
static int load_sums(Db *db, Board *b, HzErr *e) {
  json_t *targets = NULL;
  int day = b->as_of < b->end ? b->as_of : b->end, rc;
  b->before_start = b->as_of < b->start;
  if (b->before_start || day >= date_today()) { /* every record is dated by today: the all-time sums */
    rc = figures_store_each_sum(db, b->campaign_id, day, 1, add_sum, b, e);
    if (!rc && !b->before_start) rc = figures_store_each_stay(db, b->campaign_id, day, 1, add_stay, b, e);
  } else if (day < b->as_of) { /* the campaign is over: the totals less what came after its end */
    rc = progress_store_each_sum_until(db, b->campaign_id, day, add_sum, add_stay, b, e);
  } else {
    rc = figures_store_each_sum(db, b->campaign_id, day, 0, add_sum, b, e);
    if (!rc) rc = figures_store_each_stay(db, b->campaign_id, day, 0, add_stay, b, e);
  }
  if (!rc) rc = figures_store_targets(db, b->campaign_id, &targets, e);
  size_t i;
  json_t *x;
  json_array_foreach(targets, i, x) {
    UnitBoard *u = unit_of(b, json_integer_value(json_object_get(x, "unit_id")));
    int m = target_index(json_string_value(json_object_get(x, "metric")));
    if (!u || m < 0) continue;
    int annual = !strcmp(json_string_value(json_object_get(x, "scope")), "annual");
    (annual ? u->annual : u->target)[m] = json_integer_value(json_object_get(x, "value"));
  }
  json_decref(targets);
  return rc;
}

/* The best unit's count of each activity, every unit's score, and the ranking: what any
 * unit's change may move for all. */
static RankText *rank_text_make(const UnitBoard *u);

/* Each unit's ranking row as text: kept from the board this one was patched from while
 * the unit was not read again and its score and status stayed, made anew otherwise. So
 * after one unit's write only its row (and those whose score moved with the best unit's
 * activity) is written out again. */
static int rank_texts(Board *b) {
  for (size_t i = 0; i < b->n; i++) {
    UnitBoard *u = &b->units[i];
    RankText *t = u->rank_text;
    if (t && t->score == u->score && !strcmp(t->status, u->status)) continue;
    rank_text_unref(t);
    if (!(u->rank_text = rank_text_make(u))) return HZ_ENOMEM;
  }
  return HZ_OK;
}

static int board_rank(Board *b, HzErr *e) {
  memset(b->activity_best, 0, sizeof b->activity_best);
  for (int a = 0; a < ACTIVITY_METRICS_N; a++)
    for (size_t k = 0; k < b->n; k++)
      if (b->units[k].reported[M_VISITS_OUT + a] > b->activity_best[a]) b->activity_best[a] = b->units[k].reported[M_VISITS_OUT + a];
  for (size_t i = 0; i < b->n; i++) unit_score(b, &b->units[i]);
  free(b->order);
  b->order = NULL;
  return rank_units(b) || rank_texts(b) ? hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法计算排名") : HZ_OK;
}

int board_load(Db *db, int64_t campaign_id, int as_of, Board **out, HzErr *e) {
  *out = NULL;
  Board *b = calloc(1, sizeof *b);
  if (!b) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法计算进度");
  b->campaign_id = campaign_id;
  b->as_of = as_of;
  int rc = record_store_get(db, resource_find("campaigns"), campaign_id, 0, &b->campaign, e);
  if (!rc) rc = settings_load(db, campaign_id, &b->settings, &(int64_t){0}, e);
  if (!rc) rc = figures_store_units(db, &b->units_json, e);
  if (rc) goto done;
  date_parse(json_string_value(json_object_get(b->campaign, "start_date")), &b->start);
  date_parse(json_string_value(json_object_get(b->campaign, "end_date")), &b->end);
  /* Day N of the campaign is start + N - 1; the eve of the start is day 0. */
  b->total = b->end - b->start + 1;
  b->elapsed = as_of - b->start + 1;
  if (b->elapsed < 0) b->elapsed = 0;
  if (b->elapsed > b->total) b->elapsed = b->total;
  b->time_progress = 100.0 * b->elapsed / b->total;
  b->n = json_array_size(b->units_json);
  b->units = calloc(b->n ? b->n : 1, sizeof *b->units);
  if (!b->units) {
    rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法计算进度");
    goto done;
  }
  for (size_t i = 0; i < b->n; i++) {
    json_t *u = json_array_get(b->units_json, i);
    b->units[i].id = json_integer_value(json_object_get(u, "id"));
    b->units[i].name = json_string_value(json_object_get(u, "name"));
    b->units[i].category = json_string_value(json_object_get(u, "category"));
  }
  if ((rc = load_sums(db, b, e)) || (rc = load_reviews(db, b, e))) goto done;
  for (size_t i = 0; i < b->n; i++) {
    for (int s = 0; b->units[i].stays && s < 4; s++) stays_finish(&b->units[i].stays->s[s]);
    if (hists_add(b->hist, b->units[i].stays, 1)) {
      rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法计算漏斗");
      goto done;
    }
    unit_completion(b, &b->units[i]);
    unit_status(b, &b->units[i]);
  }
  rc = board_rank(b, e);
done:
  if (rc) board_free(b);
  else *out = b;
  return rc;
}

void board_free(Board *b) {
  if (!b) return;
  for (size_t i = 0; b->units && i < b->n; i++)
    stayset_unref(b->units[i].stays), rank_text_unref(b->units[i].rank_text);
  free(b->units);
  free(b->order);
  for (int s = 0; s < 4; s++) free(b->hist[s].count);
  json_decref(b->campaign);
  json_decref(b->units_json);
  free(b);
}

/* ---- shared boards, brought up to date after writes ----
 *
 * A board is read from the unit sums in O(units × metrics) rows (288,000 stay counts and
 * 73,000 sums at 3,000 units): too slow to repeat after every write. So the last board of
 * each (campaign, day) is kept with the audit entry it stands at. Every change to data is
 * audited, so the entries after it say what changed since, also when another instance or
 * the CLI wrote it: writes of records that feed the figures name the units whose sums they
 * moved, and only those units are read again; their neighbours' ranks and the activity
 * bases are recomputed in memory. Any other write that a board reads (units, targets,
 * settings, the campaign, weekly reports), or one this code does not know, reloads the
 * whole board. Both ways give the same board as board_load (tests/unit/test_board_cache.c). */

/* Entities whose writes no board reads. */
static const char *const neutral_entities[] = {"users", "api_tokens", "attachments", "snapshots", "investors",
                                               "events", "checkpoints", "sections", "teams", "coordination-items",
                                               "inspections", "bulletins", "notifications", "webhooks", NULL};
/* Entities whose figures go through figures_refresh_project: their records name the unit
 * (unit_id copied from the project, or the project's lead_unit_id, before and after). */
static const char *const figure_entities[] = {"projects", "stage-changes", "follow-ups", "funds", NULL};
#define PATCH_MAX_ENTRIES 5000 /* beyond this many writes, a full load is as cheap */
#define BOARDS_KEPT 4 /* a province's board is ~10 MB (sums and stays of 3,000 units) */

static int listed(const char *const *list, const char *s) {
  for (int i = 0; s && list[i]; i++)
    if (!strcmp(list[i], s)) return 1;
  return 0;
}

typedef struct {
  int64_t *ids;
  size_t n, cap;
  int all; /* reload everything */
} Touched;

static void touched_add(Touched *t, json_t *v) {
  if (!json_is_integer(v)) return;
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    int64_t *p = realloc(t->ids, cap * sizeof *p);
    if (!p) {
      t->all = 1;
      return;
    }
    t->ids = p;
    t->cap = cap;
  }
  t->ids[t->n++] = json_integer_value(v);
}

/* The units a record's JSON names; 0 when it cannot be read. */
static int touched_from(Touched *t, const char *text) {
  if (!text) return 1;
  json_t *j = json_loads(text, 0, NULL);
  if (!json_is_object(j)) {
    json_decref(j);
    return 0;
  }
  touched_add(t, json_object_get(j, "unit_id"));
  touched_add(t, json_object_get(j, "lead_unit_id"));
  json_decref(j);
  return 1;
}

static int note_entry(void *ctx, const char *action, const char *entity, const char *before, const char *after,
                      HzErr *e) {
  (void)action;
  (void)e;
  Touched *t = ctx;
  if (t->all || listed(neutral_entities, entity)) return HZ_OK;
  size_t n0 = t->n;
  if (!listed(figure_entities, entity) || !touched_from(t, before) || !touched_from(t, after) || t->n == n0) t->all = 1;
  return HZ_OK;
}

static int by_id(const void *pa, const void *pb) {
  int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
  return (a > b) - (a < b);
}

/* A copy of a board that can be changed on its own (the campaign and units JSON and the
 * units' stays, never changed, are shared). NULL when out of memory. */
static Board *board_clone(const Board *a) {
  Board *b = malloc(sizeof *b);
  if (!b) return NULL;
  *b = *a;
  b->order = NULL;
  b->refs = 0;
  for (int s = 0; s < 4; s++) b->hist[s].count = NULL; /* a's; copied below */
  json_incref(b->campaign);
  json_incref(b->units_json);
  b->units = malloc((a->n ? a->n : 1) * sizeof *b->units);
  if (!b->units) {
    b->n = 0;
    board_free(b);
    return NULL;
  }
  memcpy(b->units, a->units, a->n * sizeof *b->units);
  for (int s = 0; s < 4; s++) {
    const StayHist *h = &a->hist[s];
    if (!h->count) continue;
    if (!(b->hist[s].count = malloc(((size_t)h->max + 1) * sizeof *h->count))) {
      for (size_t i = 0; i < b->n; i++) b->units[i].stays = NULL, b->units[i].rank_text = NULL;
      board_free(b);
      return NULL;
    }
    memcpy(b->hist[s].count, h->count, ((size_t)h->max + 1) * sizeof *h->count);
  }
  for (size_t i = 0; i < b->n; i++) {
    if (b->units[i].stays) atomic_fetch_add(&b->units[i].stays->refs, 1);
    if (b->units[i].rank_text) atomic_fetch_add(&b->units[i].rank_text->refs, 1);
  }
  return b;
}

/* base brought up to the audit entry upto by reloading the units written since; *out NULL
 * (and HZ_OK) when only a full load will do. */
static int board_patch(Db *db, const Board *base, int64_t upto, Board **out, HzErr *e) {
  Touched t = {0};
  *out = NULL;
  int rc = audit_store_each_since(db, base->audit_id, upto, note_entry, &t, e);
  if (rc || t.all) goto done;
  Board *b = board_clone(base);
  if (!b) {
    rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法计算进度");
    goto done;
  }
  if (t.n) qsort(t.ids, t.n, sizeof *t.ids, by_id);
  for (size_t i = 0; !rc && i < t.n; i++) {
    if (i && t.ids[i] == t.ids[i - 1]) continue;
    UnitBoard *u = unit_of(b, t.ids[i]);
    if (!u) continue; /* a unit the board does not show: nothing of it counts */
    memset(u->reported, 0, sizeof u->reported);
    memset(u->certified, 0, sizeof u->certified);
    if (hists_add(b->hist, u->stays, -1)) rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法计算漏斗");
    stayset_unref(u->stays);
    u->stays = NULL;
    rank_text_unref(u->rank_text);
    u->rank_text = NULL;
    rc = figures_store_unit_totals(db, b->campaign_id, u->id, add_sum, b, e);
    if (!rc && !b->before_start) rc = figures_store_unit_stay_totals(db, b->campaign_id, u->id, add_stay, b, e);
    for (int s = 0; u->stays && s < 4; s++) stays_finish(&u->stays->s[s]);
    if (!rc && hists_add(b->hist, u->stays, 1)) rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足，无法计算漏斗");
    unit_completion(b, u);
    unit_status(b, u);
  }
  if (!rc) rc = board_rank(b, e);
  if (rc) board_free(b);
  else {
    b->audit_id = upto;
    *out = b;
  }
done:
  free(t.ids);
  return rc;
}

static struct {
  Board *b;
  unsigned long used;
} kept[BOARDS_KEPT];
static unsigned long kept_tick;
static int64_t stat_loads, stat_patches, stat_hits; /* under kept_lock */
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
/* The boards being computed (campaign 0: a free slot). After a write every reader finds the
 * kept board behind; the first computes it and the others wait for it instead of computing
 * the same board at once (under kept_lock; built is signalled when one is done). */
static struct {
  int64_t campaign_id, upto;
  int as_of, today;
} building[BOARDS_KEPT];
static pthread_cond_t built = PTHREAD_COND_INITIALIZER;

void board_stats(int64_t *loads, int64_t *patches, int64_t *hits) {
  pthread_mutex_lock(&kept_lock);
  *loads = stat_loads;
  *patches = stat_patches;
  *hits = stat_hits;
  pthread_mutex_unlock(&kept_lock);
}

/* The kept board of (campaign, day, today), or NULL; call with kept_lock held. */
static int kept_find(int64_t campaign_id, int as_of, int today) {
  for (int i = 0; i < BOARDS_KEPT; i++)
    if (kept[i].b && kept[i].b->campaign_id == campaign_id && kept[i].b->as_of == as_of && kept[i].b->today == today)
      return i;
  return -1;
}

static void board_unref(Board *b) {
  if (!b) return;
  pthread_mutex_lock(&kept_lock);
  int last = --b->refs == 0;
  pthread_mutex_unlock(&kept_lock);
  if (last) board_free(b);
}

void board_release(const Board *b) { board_unref((Board *)b); }

/* Keeps b (one reference more) unless a board at a later entry is kept already. */
static void kept_put(Board *b) {
  Board *drop = NULL;
  pthread_mutex_lock(&kept_lock);
  int i = kept_find(b->campaign_id, b->as_of, b->today);
  if (i < 0) { /* a free slot, else the least recently used */
    i = 0;
    for (int k = 0; k < BOARDS_KEPT; k++) {
      if (!kept[k].b) {
        i = k;
        break;
      }
      if (kept[k].used < kept[i].used) i = k;
    }
  }
  if (!kept[i].b || kept[i].b->campaign_id != b->campaign_id || kept[i].b->as_of != b->as_of ||
      kept[i].b->today != b->today || kept[i].b->audit_id < b->audit_id) {
    drop = kept[i].b;
    kept[i].b = b;
    b->refs++;
  }
  kept[i].used = ++kept_tick;
  if (drop && --drop->refs > 0) drop = NULL;
  pthread_mutex_unlock(&kept_lock);
  board_free(drop);
}

/* The slot of a board of (campaign, day, today) being computed up to at least entry upto,
 * or -1; call with kept_lock held. */
static int building_find(int64_t campaign_id, int as_of, int today, int64_t upto) {
  for (int i = 0; i < BOARDS_KEPT; i++)
    if (building[i].campaign_id == campaign_id && building[i].as_of == as_of && building[i].today == today &&
        building[i].upto >= upto)
      return i;
  return -1;
}

int board_get(Db *db, int64_t campaign_id, int as_of, const Board **out, HzErr *e) {
  *out = NULL;
  int64_t now_id = 0;
  int today = date_today();
  int rc = audit_store_last_id(db, &now_id, e);
  if (rc) return rc;
  Board *base = NULL, *b = NULL;
  int slot = -1;
  pthread_mutex_lock(&kept_lock);
  for (;;) {
    int i = kept_find(campaign_id, as_of, today);
    if (i >= 0 && kept[i].b->audit_id >= now_id) { /* as new as the revision read, or newer */
      kept[i].b->refs++;
      kept[i].used = ++kept_tick;
      stat_hits++;
      *out = kept[i].b;
      pthread_mutex_unlock(&kept_lock);
      return HZ_OK;
    }
    if (building_find(campaign_id, as_of, today, now_id) < 0) {
      if (i >= 0) {
        base = kept[i].b;
        base->refs++;
        kept[i].used = ++kept_tick;
      }
      break;
    }
    pthread_cond_wait(&built, &kept_lock);
  }
  for (int k = 0; k < BOARDS_KEPT && slot < 0; k++)
    if (!building[k].campaign_id) slot = k; /* none free: computed without a slot */
  if (slot >= 0) {
    building[slot].campaign_id = campaign_id, building[slot].upto = now_id;
    building[slot].as_of = as_of, building[slot].today = today;
  }
  pthread_mutex_unlock(&kept_lock);
  /* Only the all-time sums are kept per unit; a board of a past day reads sums by day. */
  int day = base && base->as_of < base->end ? base->as_of : base ? base->end : 0;
  if (base && base->audit_id < now_id && now_id - base->audit_id <= PATCH_MAX_ENTRIES &&
      (base->before_start || day >= today))
    rc = board_patch(db, base, now_id, &b, e);
  int patched = b != NULL;
  board_unref(base);
  if (!rc && !b && !(rc = board_load(db, campaign_id, as_of, &b, e))) {
    b->audit_id = now_id;
    b->today = today;
  }
  if (!rc) {
    b->refs = 1;
    kept_put(b);
  }
  pthread_mutex_lock(&kept_lock);
  if (!rc && patched) stat_patches++;
  else if (!rc) stat_loads++;
  if (slot >= 0) building[slot].campaign_id = 0; /* waiters look again: kept, or compute */
  pthread_cond_broadcast(&built);
  pthread_mutex_unlock(&kept_lock);
  if (rc) return rc;
  *out = b;
  return HZ_OK;
}

static json_t *date_json(int day) {
  char s[DATE_LEN];
  date_format(day, s);
  return json_string(s);
}

static json_t *num_or_null(double x) { return isnan(x) ? json_null() : json_real(pct2(x)); }

json_t *board_campaign_json(const Board *b) {
  return json_pack("{s:I s:O s:O s:O s:o s:i s:i s:i s:o s:o}", "id", (json_int_t)b->campaign_id, "name",
                   json_object_get(b->campaign, "name"), "start_date", json_object_get(b->campaign, "start_date"),
                   "end_date", json_object_get(b->campaign, "end_date"), "as_of", date_json(b->as_of), "day",
                   b->elapsed, "days", b->total, "days_left", b->total - b->elapsed, "time_progress",
                   json_real(pct2(b->time_progress)), "settings", settings_json(&b->settings));
}

static json_t *metric_json(int64_t target, int64_t annual, int64_t reported, int64_t certified) {
  return json_pack("{s:I s:I s:I s:I s:o s:o}", "target", (json_int_t)target, "annual_target", (json_int_t)annual,
                   "reported", (json_int_t)reported, "certified", (json_int_t)certified, "completion",
                   target > 0 ? json_real(pct2(100.0 * certified / target)) : json_null(), "annual_completion",
                   annual > 0 ? json_real(pct2(100.0 * certified / annual)) : json_null());
}

static json_t *unit_metrics_json(const UnitBoard *u) {
  json_t *m = json_object();
  for (int i = 0; i < TARGET_METRICS_N; i++)
    json_object_set_new(m, target_metrics[i], metric_json(u->target[i], u->annual[i], u->reported[i], u->certified[i]));
  return m;
}

json_t *board_progress_json(const Board *b) {
  json_t *units = json_array(), *cats = json_object();
  int64_t tot_target[TARGET_METRICS_N] = {0}, tot_annual[TARGET_METRICS_N] = {0};
  int64_t tot_rep[TARGET_METRICS_N] = {0}, tot_cert[TARGET_METRICS_N] = {0};
  for (size_t i = 0; i < b->n; i++) {
    const UnitBoard *u = &b->units[i];
    json_array_append_new(units, json_pack("{s:I s:s s:s s:s s:o s:o s:{s:I s:I}}", "unit_id", (json_int_t)u->id, "name",
                                           u->name, "category", u->category, "status", u->status, "completion",
                                           num_or_null(u->completion), "metrics", unit_metrics_json(u), "activity",
                                           "follow_ups", (json_int_t)u->reported[M_FOLLOW_UPS],
                                           "follow_ups_with_leader", (json_int_t)u->reported[M_LEADER_FOLLOW_UPS]));
    json_t *activity = json_object_get(json_array_get(units, json_array_size(units) - 1), "activity");
    json_object_set_new(activity, "reports_due", json_integer(b->reports_due));
    json_object_set_new(activity, "reports_reviewed_on_time", json_integer(u->reviews_on_time));
    json_t *c = json_object_get(cats, u->category);
    if (!c) {
      json_object_set_new(cats, u->category, c = json_pack("{s:i s:{s:i s:i s:i s:i s:i} s:o}", "units", 0, "status",
                                                           "zero", 0, "behind", 0, "on_track", 0, "ahead", 0, "no_target",
                                                           0, "metrics", json_object()));
    }
    json_object_set_new(c, "units", json_integer(json_integer_value(json_object_get(c, "units")) + 1));
    json_t *st = json_object_get(c, "status");
    json_object_set_new(st, u->status, json_integer(json_integer_value(json_object_get(st, u->status)) + 1));
    for (int m = 0; m < TARGET_METRICS_N; m++) {
      tot_target[m] += u->target[m];
      tot_annual[m] += u->annual[m];
      tot_rep[m] += u->reported[m];
      tot_cert[m] += u->certified[m];
      json_t *cm = json_object_get(json_object_get(c, "metrics"), target_metrics[m]);
      json_t *sum = metric_json((cm ? json_integer_value(json_object_get(cm, "target")) : 0) + u->target[m],
                                (cm ? json_integer_value(json_object_get(cm, "annual_target")) : 0) + u->annual[m],
                                (cm ? json_integer_value(json_object_get(cm, "reported")) : 0) + u->reported[m],
                                (cm ? json_integer_value(json_object_get(cm, "certified")) : 0) + u->certified[m]);
      json_object_set_new(json_object_get(c, "metrics"), target_metrics[m], sum);
    }
  }
  json_t *totals = json_object();
  for (int m = 0; m < TARGET_METRICS_N; m++)
    json_object_set_new(totals, target_metrics[m], metric_json(tot_target[m], tot_annual[m], tot_rep[m], tot_cert[m]));
  return json_pack("{s:o s:o s:o s:o}", "campaign", board_campaign_json(b), "totals", totals, "categories", cats,
                   "units", units);
}

static json_t *rank_entry(const UnitBoard *u, int rank) {
  return json_pack("{s:i s:I s:s s:s s:f s:s s:I s:I s:I s:I}", "rank", rank, "unit_id", (json_int_t)u->id, "name",
                   u->name, "category", u->category, "score", u->score, "status", u->status, "funds_certified",
                   (json_int_t)funds_certified(u), "funds_reported",
                   (json_int_t)(u->reported[M_FUNDS] + u->reported[M_POLICY]), "signed_certified",
                   (json_int_t)u->certified[M_SIGNED], "signed_reported", (json_int_t)u->reported[M_SIGNED]);
}

static RankText *rank_text_make(const UnitBoard *u) {
  json_t *o = json_pack("{s:I s:s s:s s:f s:s s:I s:I s:I s:I}", "unit_id", (json_int_t)u->id, "name", u->name,
                        "category", u->category, "score", u->score, "status", u->status, "funds_certified",
                        (json_int_t)funds_certified(u), "funds_reported",
                        (json_int_t)(u->reported[M_FUNDS] + u->reported[M_POLICY]), "signed_certified",
                        (json_int_t)u->certified[M_SIGNED], "signed_reported", (json_int_t)u->reported[M_SIGNED]);
  size_t len = 0;
  char *text = o ? json_text(o, &len) : NULL;
  json_decref(o);
  RankText *t = text && len > 1 ? malloc(sizeof *t + len) : NULL;
  if (t) { /* the object's text less its opening brace */
    atomic_init(&t->refs, 1);
    t->score = u->score;
    t->status = u->status;
    t->len = len - 1;
    memcpy(t->text, text + 1, len); /* with the NUL */
  }
  free(text);
  return t;
}

/* One ranking row: {"rank":N,…} from the unit's kept text. */
static int rank_row(Buf *out, const UnitBoard *u, int rank) {
  int rc = buf_printf(out, "{\"rank\":%d,", rank);
  return rc ? rc : buf_append(out, u->rank_text->text, u->rank_text->len);
}

/* A JSON value's text appended to out (v stolen). */
static int append_json(Buf *out, json_t *v) {
  size_t len = 0;
  char *text = v ? json_text(v, &len) : NULL;
  json_decref(v);
  int rc = text ? buf_append(out, text, len) : HZ_ENOMEM;
  free(text);
  return rc;
}

int board_ranking_text(const Board *b, char **text, size_t *len) {
  Buf out;
  const char *cats[32];
  int ncat = 0, rc;
  *text = NULL;
  buf_init(&out, 0);
  rc = buf_puts(&out, "{\"campaign\":");
  if (!rc) rc = append_json(&out, board_campaign_json(b));
  if (!rc) rc = buf_puts(&out, ",\"overall\":[");
  for (size_t r = 0; !rc && r < b->n; r++) {
    const UnitBoard *u = b->order[r];
    if (r) rc = buf_puts(&out, ",");
    if (!rc) rc = rank_row(&out, u, u->rank);
    int c = 0; /* the categories in the order they first rank */
    while (c < ncat && strcmp(cats[c], u->category)) c++;
    if (c == ncat && ncat == 32) { /* more than the rows' category ranks count: the JSON way */
      buf_reset(&out);
      rc = append_json(&out, board_ranking_json(b));
      goto done;
    }
    if (c == ncat) cats[ncat++] = u->category;
  }
  if (!rc) rc = buf_puts(&out, "],\"by_category\":{");
  for (int c = 0; !rc && c < ncat; c++) {
    if (c) rc = buf_puts(&out, ",");
    if (!rc) rc = append_json(&out, json_string(cats[c]));
    if (!rc) rc = buf_puts(&out, ":[");
    int first = 1;
    for (size_t r = 0; !rc && r < b->n; r++) {
      const UnitBoard *u = b->order[r];
      if (strcmp(u->category, cats[c])) continue;
      if (!first) rc = buf_puts(&out, ",");
      if (!rc) rc = rank_row(&out, u, u->category_rank);
      first = 0;
    }
    if (!rc) rc = buf_puts(&out, "]");
  }
  if (!rc) rc = buf_puts(&out, "},\"tie_break\":\"" RANK_TIE_BREAK "\"}");
done:
  if (rc) {
    buf_free(&out);
    return HZ_ENOMEM;
  }
  *len = out.len;
  *text = buf_take(&out);
  return HZ_OK;
}

json_t *board_ranking_json(const Board *b) {
  json_t *overall = json_array(), *by_cat = json_object();
  for (size_t r = 0; r < b->n; r++) {
    const UnitBoard *u = b->order[r];
    json_array_append_new(overall, rank_entry(u, u->rank));
    json_t *list = json_object_get(by_cat, u->category);
    if (!list) json_object_set_new(by_cat, u->category, list = json_array());
    json_array_append_new(list, rank_entry(u, u->category_rank));
  }
  return json_pack("{s:o s:o s:o s:s}", "campaign", board_campaign_json(b), "overall", overall, "by_category", by_cat,
                   "tie_break", RANK_TIE_BREAK);
}

json_t *board_explain_json(const Board *b, int64_t unit_id) {
  const UnitBoard *u = NULL;
  for (size_t i = 0; i < b->n; i++)
    if (b->units[i].id == unit_id) u = &b->units[i];
  if (!u) return NULL;
  json_t *parts = json_array();
  double ratio;
  int64_t value, basis;
  int total_weight = 0;
  for (int w = 0; w < N_WEIGHTED; w++) total_weight += component(b, u, w, &ratio, &value, &basis);
  for (int w = 0; w < N_WEIGHTED; w++) {
    int weight = component(b, u, w, &ratio, &value, &basis);
    if (!weight) continue;
    const char *name = w < TARGET_METRICS_N ? target_metrics[w] : activity_metrics[w - TARGET_METRICS_N];
    /* value is what scores (certified, or the activity count); reported stands beside it. */
    int64_t reported = w < TARGET_METRICS_N ? u->reported[w] : value;
    json_array_append_new(parts, json_pack("{s:s s:s s:I s:I s:I s:f s:i s:f}", "metric", name, "basis",
                                           w < TARGET_METRICS_N ? "target" : "best_unit", "value", (json_int_t)value,
                                           "reported", (json_int_t)reported, "of", (json_int_t)basis, "ratio",
                                           pct2(ratio * 100.0) / 100.0, "weight", weight, "points",
                                           pct2(100.0 * weight * ratio / total_weight)));
  }
  return json_pack("{s:o s:I s:s s:s s:f s:i s:i s:s s:o s:o s:s}", "campaign", board_campaign_json(b), "unit_id",
                   (json_int_t)u->id, "name", u->name, "category", u->category, "score", u->score, "rank", u->rank,
                   "category_rank", u->category_rank, "status", u->status, "completion", num_or_null(u->completion),
                   "components", parts, "formula",
                   "score = 100 × Σ(weight × ratio) / Σ weight; ratio = certified / target (at most 1.5) or "
                   "activity / best unit's activity; records: certified stage changes and funds, leads and "
                   "visits (at most 200 of each kind, kind_total counts them all)");
}

/* ---- funnel ---- */

/* A funnel of one unit, one category or all units (both NULL). Its counts are added up by
 * funnel_add; its medians are read from the units' own stays, so nothing is copied. */
typedef struct {
  int64_t reached[FUNNEL_STAGES], dropped[4];
  int64_t certified[FUNNEL_STAGES]; /* reached by certified moves: signed, started, completed */
  const Board *b;
  const UnitBoard *unit;
  const char *category;
} Funnel;

static void funnel_add(Funnel *f, const UnitBoard *u) {
  f->reached[0] += u->reported[M_LEADS];
  f->reached[1] += u->reported[M_REACHED_NEGOTIATING];
  f->reached[2] += u->reported[M_SIGNED];
  f->reached[3] += u->reported[M_STARTED];
  f->reached[4] += u->reported[M_COMPLETED];
  f->certified[2] += u->certified[M_SIGNED];
  f->certified[3] += u->certified[M_STARTED];
  f->certified[4] += u->certified[M_COMPLETED];
  for (int s = 0; s < 4; s++) f->dropped[s] += u->reported[M_DROPPED_LEAD + s];
}

/* The funnel's stays in stage s of at most `days` days. */
static int64_t funnel_upto(const Funnel *f, int s, int days) {
  if (f->unit) return stays_upto(stays_of(f->unit->stays, s), days);
  int64_t n = 0;
  for (size_t i = 0; i < f->b->n; i++)
    if (!f->category || !strcmp(f->b->units[i].category, f->category)) n += stays_upto(stays_of(f->b->units[i].stays, s), days);
  return n;
}

/* The k-th shortest stay in stage s (k from 1): the fewest days d with k stays of at most d. */
static int funnel_kth(const Funnel *f, int s, int64_t k) {
  int lo = 0, hi = INT_MAX;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (funnel_upto(f, s, mid) >= k) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/* The k-th shortest stay (k from 1) of a histogram of counts by length. */
static int hist_kth(const int64_t *h, int max, int64_t k) {
  int64_t cum = 0;
  for (int d = 0; d <= max; d++)
    if ((cum += h[d]) >= k) return d;
  return max;
}

/* Median length of stay in stage s; null when there is none. Even counts average the middle two. */
static json_t *median(const Funnel *f, int s) {
  const StayHist *all = &f->b->hist[s];
  if (!f->unit && !f->category && all->max >= 0) { /* the whole campaign: its histogram */
    if (!all->total) return json_null();
    return json_real(pct2((hist_kth(all->count, all->max, (all->total + 1) / 2) +
                           hist_kth(all->count, all->max, all->total / 2 + 1)) / 2.0));
  }
  int64_t total = funnel_upto(f, s, INT_MAX);
  if (!total) return json_null();
  double a, b;
  int max = 0;
  int64_t *h = NULL;
  /* Many units: their stays in one histogram by length, rather than a search over all of
   * them for each step of a binary search. */
  if (!f->unit) {
    for (size_t i = 0; i < f->b->n; i++) {
      const Stays *st = stays_of(f->b->units[i].stays, s);
      if (st->n && st->items[st->n - 1].days > max) max = st->items[st->n - 1].days;
    }
    h = max <= 1000000 ? calloc((size_t)max + 1, sizeof *h) : NULL;
  }
  if (h) {
    for (size_t i = 0; i < f->b->n; i++) {
      if (f->category && strcmp(f->b->units[i].category, f->category)) continue;
      const Stays *st = stays_of(f->b->units[i].stays, s);
      for (size_t k = 0; k < st->n; k++) h[st->items[k].days] += st->items[k].count;
    }
    a = hist_kth(h, max, (total + 1) / 2);
    b = hist_kth(h, max, total / 2 + 1);
    free(h);
  } else {
    a = funnel_kth(f, s, (total + 1) / 2);
    b = funnel_kth(f, s, total / 2 + 1);
  }
  return json_real(pct2((a + b) / 2.0));
}

static json_t *funnel_json(const Funnel *f) {
  json_t *stages = json_array();
  for (int s = 0; s < FUNNEL_STAGES; s++) {
    int64_t at = s < 4 ? f->reached[s] - f->reached[s + 1] - f->dropped[s] : f->reached[s];
    json_t *conv = s < 4 && f->reached[s] > 0 ? json_real(pct2(100.0 * f->reached[s + 1] / f->reached[s])) : json_null();
    /* Leads and negotiations are not subject to certification: no certified count. */
    json_array_append_new(stages, json_pack("{s:s s:I s:o s:I s:I s:o s:o}", "stage", stage_name(s), "reached",
                                            (json_int_t)f->reached[s], "reached_certified",
                                            s >= 2 ? json_integer(f->certified[s]) : json_null(), "current",
                                            (json_int_t)at, "dropped", (json_int_t)(s < 4 ? f->dropped[s] : 0),
                                            "conversion_to_next", conv, "median_days",
                                            s < 4 ? median(f, s) : json_null()));
  }
  return stages;
}

json_t *board_funnel_stages_json(const Board *b) {
  Funnel all = {.b = b};
  for (size_t i = 0; i < b->n; i++) funnel_add(&all, &b->units[i]);
  return funnel_json(&all);
}

json_t *board_funnel_json(const Board *b) {
  Funnel all = {.b = b};
  json_t *units = json_array(), *cats = json_object();
  const char *seen[16];
  int ncat = 0;
  for (size_t i = 0; i < b->n; i++) {
    funnel_add(&all, &b->units[i]);
    Funnel one = {.b = b, .unit = &b->units[i]};
    funnel_add(&one, &b->units[i]);
    json_array_append_new(units, json_pack("{s:I s:s s:o}", "unit_id", (json_int_t)b->units[i].id, "name",
                                           b->units[i].name, "stages", funnel_json(&one)));
    int known = 0;
    for (int c = 0; c < ncat; c++) known |= !strcmp(seen[c], b->units[i].category);
    if (!known && ncat < 16) seen[ncat++] = b->units[i].category;
  }
  for (int c = 0; c < ncat; c++) {
    Funnel cat = {.b = b, .category = seen[c]};
    for (size_t i = 0; i < b->n; i++)
      if (!strcmp(b->units[i].category, seen[c])) funnel_add(&cat, &b->units[i]);
    json_object_set_new(cats, seen[c], funnel_json(&cat));
  }
  return json_pack("{s:o s:o s:o s:o}", "campaign", board_campaign_json(b), "stages", funnel_json(&all),
                   "by_category", cats, "units", units);
}

/* ---- forecast ---- */

/* The expected value of one target metric at the end date, in hundredths of its unit
 * (docs/figures.md "Forecast"). p: lead, negotiating, signed, started, in percent.
 * Certified counts fully; a reported record counts with the probability of the stage it
 * claims (a signing p_signed; a start, a completion or a fund p_started); the open
 * pipeline with the probability of its stage; money and leads still to come at the unit's
 * pace so far, money no more than the signed and started projects still owe. */
static double forecast_x100(const Board *b, const UnitBoard *u, int m) {
  const int *p = b->settings.probabilities;
  int left = b->total - b->elapsed, el = b->elapsed;
  int64_t cert = u->certified[m], pending = u->reported[m] - u->certified[m];
  int claim = m == M_SIGNED || m == M_SIGNED_VALUE ? p[2] : p[3];
  int64_t known = 100 * cert + (m == M_LEADS ? 0 : claim * pending); /* leads need no certification */
  double more = 0;
  if (left > 0 && el > 0) switch (m) { /* after the end nothing more can happen */
    case M_SIGNED: more = (double)(p[0] * u->reported[M_PIPE_LEAD] + p[1] * u->reported[M_PIPE_NEGOTIATING]); break;
    case M_SIGNED_VALUE:
      more = (double)(p[0] * u->reported[M_PIPE_VALUE_LEAD] + p[1] * u->reported[M_PIPE_VALUE_NEGOTIATING]);
      break;
    case M_STARTED: more = (double)(p[2] * u->reported[M_PIPE_SIGNED]); break;
    case M_COMPLETED: more = (double)(p[3] * u->reported[M_PIPE_STARTED]); break;
    case M_FUNDS: {
      double owed = (double)(p[2] * u->reported[M_PIPE_VALUE_SIGNED] + p[3] * u->reported[M_PIPE_VALUE_STARTED]);
      more = fmin((double)known * left / el, owed);
      break;
    }
    case M_POLICY: /* no contract stands behind policy funds: the pace alone */
    case M_LEADS: more = (double)known * left / el; break;
    default: break;
  }
  return (double)known + more;
}

/* A unit's expected overall completion at the end date (NAN without targets), and each
 * target metric's forecast into metrics when not NULL; *miss: the unit will miss its task. */
static double unit_forecast(const Board *b, const UnitBoard *u, json_t *metrics, int *miss) {
  double num = 0, den = 0;
  for (int m = 0; m < TARGET_METRICS_N; m++) {
    int64_t target = u->target[m], expected = llround(forecast_x100(b, u, m) / 100.0);
    /* Before the start there is no pace to go by: nothing is flagged yet. */
    int short_of = target > 0 && expected < target && b->elapsed > 0;
    if (metrics)
      json_object_set_new(metrics, metric_names[m],
                          json_pack("{s:I s:I s:I s:I s:b}", "certified", (json_int_t)u->certified[m], "reported",
                                    (json_int_t)u->reported[m], "forecast", (json_int_t)expected, "target",
                                    (json_int_t)target, "will_miss", short_of));
    if (target <= 0 || b->settings.weights[m] <= 0) continue;
    num += b->settings.weights[m] * fmin(100.0 * (double)expected / (double)target, 150.0);
    den += b->settings.weights[m];
  }
  /* The unit misses its task when its expected overall completion, weighted and capped as
   * the official one (docs/figures.md), stays below 100 %. */
  double completion = den > 0 ? pct2(num / den) : NAN;
  *miss = den > 0 && completion < 100.0 && b->elapsed > 0;
  return completion;
}

json_t *board_will_miss_json(const Board *b) {
  json_t *flagged = json_array();
  int miss;
  for (size_t i = 0; i < b->n; i++)
    if (unit_forecast(b, &b->units[i], NULL, &miss), miss)
      json_array_append_new(flagged, json_pack("{s:I s:s}", "unit_id", (json_int_t)b->units[i].id, "name", b->units[i].name));
  return flagged;
}

json_t *board_forecast_json(const Board *b) {
  json_t *units = json_array(), *flagged = json_array();
  for (size_t i = 0; i < b->n; i++) {
    const UnitBoard *u = &b->units[i];
    json_t *metrics = json_object();
    int miss;
    double completion = unit_forecast(b, u, metrics, &miss);
    json_t *entry = json_pack("{s:I s:s s:s s:o s:o s:b}", "unit_id", (json_int_t)u->id, "name", u->name, "category",
                              u->category, "metrics", metrics, "completion", num_or_null(completion), "will_miss", miss);
    if (miss) json_array_append_new(flagged, json_pack("{s:I s:s}", "unit_id", (json_int_t)u->id, "name", u->name));
    json_array_append_new(units, entry);
  }
  return json_pack("{s:o s:o s:o}", "campaign", board_campaign_json(b), "units", units, "will_miss", flagged);
}

/* ---- the dashboard's summary ---- */

/* A metric's light as the dashboard shows it, from the rounded figures the progress board
 * shows (completion and time progress with two decimals): no_target, zero, ahead, on_track
 * or behind against the campaign's margins. */
static const char *metric_light(const Board *b, const UnitBoard *u, int m) {
  if (u->target[m] <= 0) return "no_target";
  double completion = pct2(100.0 * u->certified[m] / u->target[m]), tp = pct2(b->time_progress);
  if (completion <= 0) return "zero";
  if (completion >= tp + b->settings.ahead_margin) return "ahead";
  if (completion >= tp - b->settings.behind_margin) return "on_track";
  return "behind";
}

static const char *const statuses[] = {"zero", "behind", "on_track", "ahead", "no_target"};
#define STATUSES_N 5

static int status_index(const char *s) {
  for (int i = 0; i < STATUSES_N; i++)
    if (!strcmp(statuses[i], s)) return i;
  return STATUSES_N - 1;
}

static json_t *status_counts_json(const int64_t counts[STATUSES_N]) {
  json_t *o = json_object();
  for (int i = 0; i < STATUSES_N; i++) json_object_set_new(o, statuses[i], json_integer(counts[i]));
  return o;
}

json_t *board_dashboard_json(const Board *b, int64_t unit, int rank_shown, int will_miss_shown) {
  int64_t tot[4][TARGET_METRICS_N] = {{0}}; /* target, annual, reported, certified */
  int64_t status[STATUSES_N] = {0}, lights[TARGET_METRICS_N][STATUSES_N] = {{0}}, lagging = 0, missing = 0;
  int64_t fc[3][TARGET_METRICS_N] = {{0}}; /* the forecast's certified, forecast, target */
  size_t forecast_units = 0;
  json_t *will_miss = json_array();
  for (size_t i = 0; i < b->n; i++) {
    const UnitBoard *u = &b->units[i];
    int st = status_index(u->status);
    status[st]++;
    lagging += st <= 1; /* zero, behind */
    for (int m = 0; m < TARGET_METRICS_N; m++) {
      tot[0][m] += u->target[m];
      tot[1][m] += u->annual[m];
      tot[2][m] += u->reported[m];
      tot[3][m] += u->certified[m];
      lights[m][status_index(metric_light(b, u, m))]++;
    }
    /* The forecast is a unit user's own unit's only. */
    if (unit && u->id != unit) continue;
    int miss;
    unit_forecast(b, u, NULL, &miss);
    if (miss && missing++ < will_miss_shown)
      json_array_append_new(will_miss, json_pack("{s:I s:s}", "unit_id", (json_int_t)u->id, "name", u->name));
    forecast_units++;
    for (int m = 0; m < TARGET_METRICS_N; m++) {
      fc[0][m] += u->certified[m];
      fc[1][m] += llround(forecast_x100(b, u, m) / 100.0);
      fc[2][m] += u->target[m];
    }
  }
  json_t *totals = json_object(), *light = json_object(), *forecast = json_object();
  for (int m = 0; m < TARGET_METRICS_N; m++) {
    json_object_set_new(totals, target_metrics[m], metric_json(tot[0][m], tot[1][m], tot[2][m], tot[3][m]));
    if (b->n) json_object_set_new(light, target_metrics[m], status_counts_json(lights[m]));
    if (forecast_units)
      json_object_set_new(forecast, target_metrics[m],
                          json_pack("{s:I s:I s:I}", "certified", (json_int_t)fc[0][m], "forecast", (json_int_t)fc[1][m],
                                    "target", (json_int_t)fc[2][m]));
  }
  /* The ranking by its two ends; a campaign with at most twice rank_shown units whole in top. */
  size_t n = b->n, shown = (size_t)rank_shown, top = n <= 2 * shown ? n : shown;
  json_t *best = json_array(), *worst = json_array();
  for (size_t r = 0; r < top; r++) json_array_append_new(best, rank_entry(b->order[r], b->order[r]->rank));
  for (size_t r = n <= 2 * shown ? n : n - shown; r < n; r++)
    json_array_append_new(worst, rank_entry(b->order[r], b->order[r]->rank));
  return json_pack("{s:o s:o s:o s:o s:o s:o s:{s:I s:o s:o} s:I s:o s:I}", "campaign", board_campaign_json(b), "totals",
                   totals, "status_counts", status_counts_json(status), "lights", light, "funnel",
                   board_funnel_stages_json(b), "forecast", forecast, "ranking", "total", (json_int_t)n, "top", best,
                   "bottom", worst, "lagging_total", (json_int_t)lagging, "will_miss", will_miss, "will_miss_total",
                   (json_int_t)missing);
}

json_t *board_unit_facts(const Board *b) {
  json_t *out = json_array();
  for (size_t i = 0; i < b->n; i++) {
    const UnitBoard *u = &b->units[i];
    int campaign_met = 1, annual_met = 1;
    json_t *f = json_pack("{s:I s:s s:s s:s s:i s:i s:i s:f s:o}", "unit_id", (json_int_t)u->id, "name", u->name,
                          "category", u->category, "status", u->status, "rank", u->rank, "category_rank",
                          u->category_rank, "rank_from_bottom", (int)b->n - u->rank + 1, "score", u->score,
                          "completion", num_or_null(u->completion));
    for (int m = 0; m < TARGET_METRICS_N; m++) {
      char key[64];
      snprintf(key, sizeof key, "completion.%s", target_metrics[m]);
      json_object_set_new(f, key, u->target[m] > 0 ? json_real(pct2(100.0 * u->certified[m] / u->target[m])) : json_null());
      snprintf(key, sizeof key, "certified.%s", target_metrics[m]);
      json_object_set_new(f, key, json_integer(u->certified[m]));
      snprintf(key, sizeof key, "reported.%s", target_metrics[m]);
      json_object_set_new(f, key, json_integer(u->reported[m]));
      snprintf(key, sizeof key, "target.%s", target_metrics[m]);
      json_object_set_new(f, key, json_integer(u->target[m]));
      snprintf(key, sizeof key, "annual_target.%s", target_metrics[m]);
      json_object_set_new(f, key, json_integer(u->annual[m]));
      if (u->target[m] > 0 && u->certified[m] < u->target[m]) campaign_met = 0;
      if (u->annual[m] > 0 && u->certified[m] < u->annual[m]) annual_met = 0;
    }
    json_object_set_new(f, "campaign_targets_met", json_boolean(campaign_met));
    json_object_set_new(f, "annual_targets_met", json_boolean(annual_met));
    json_object_set_new(f, "all_targets_met", json_boolean(campaign_met && annual_met));
    json_array_append_new(out, f);
  }
  return out;
}
