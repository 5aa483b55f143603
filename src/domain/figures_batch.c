/* Batched figure refreshes (figures_batch.h). */
#include "domain/figures_batch.h"
#include "domain/figures.h"
#include "store/figures_store.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOMEM_MSG "内存不足，无法计算进度数字"

static int id_cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

static int key_cmp(const void *a, const void *b) {
  const Figure *x = a, *y = b;
  if (x->campaign_id != y->campaign_id) return x->campaign_id < y->campaign_id ? -1 : 1;
  if (x->unit_id != y->unit_id) return x->unit_id < y->unit_id ? -1 : 1;
  int c = strcmp(x->metric, y->metric);
  if (c) return c;
  if (x->stay_days != y->stay_days) return x->stay_days < y->stay_days ? -1 : 1;
  return x->day < y->day ? -1 : x->day > y->day;
}

/* Appends without merging (figures_add looks for the key among all: quadratic for a
 * batch); the differences are merged by sorting at the end. */
static int push(Figures *d, const Figure *f, int sign) {
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 256;
    Figure *p = realloc(d->items, cap * sizeof *p);
    if (!p) return HZ_ENOMEM;
    d->items = p;
    d->cap = cap;
  }
  Figure *x = &d->items[d->n++];
  *x = *f;
  x->reported *= sign;
  x->certified *= sign;
  return HZ_OK;
}

/* Sorts d by key and folds equal keys into one. */
static void merge(Figures *d) {
  if (!d->n) return;
  qsort(d->items, d->n, sizeof *d->items, key_cmp);
  size_t w = 0;
  for (size_t i = 1; i < d->n; i++) {
    if (!key_cmp(&d->items[w], &d->items[i])) {
      d->items[w].reported += d->items[i].reported;
      d->items[w].certified += d->items[i].certified;
    } else {
      d->items[++w] = d->items[i];
    }
  }
  d->n = w + 1;
}

/* The latest of the lead date and the follow-up dates (as figures_refresh_project). */
static const char *last_activity(json_t *project, json_t *follow_ups) {
  const char *latest = json_string_value(json_object_get(project, "lead_date"));
  size_t i;
  json_t *x;
  json_array_foreach(follow_ups, i, x) {
    const char *d = json_string_value(json_object_get(x, "date"));
    if (d && (!latest || strcmp(d, latest) > 0)) latest = d;
  }
  return latest;
}

/* What a run of the batch's projects needs written, worked out while the range is read
 * (nothing is written to the tables being read). */
typedef struct {
  int64_t id;
  Figures before, after;
  char last[DATE_LEN]; /* the last activity date to set, or "" when it stands */
} Pending;

typedef struct {
  const int64_t *ids; /* sorted, distinct: the run's projects */
  size_t n;
  Pending *p; /* one per project of the run met in the range */
  size_t np;
  Figures *delta;
} Run;

static int in_run(const Run *r, int64_t id) {
  return bsearch(&id, r->ids, r->n, sizeof *r->ids, id_cmp) != NULL;
}

/* figures_store_each_in_range's callback: the figures of one of the run's projects (or of
 * one deleted: project NULL, its stored figures undone), their difference into delta. */
static int take(void *ctx, int64_t id, json_t *project, json_t *sc, json_t *funds, json_t *fu, const Figures *stored,
                HzErr *e) {
  Run *r = ctx;
  if (!in_run(r, id)) return HZ_OK; /* a project between two of the run's */
  Pending *x = &r->p[r->np++];
  *x = (Pending){.id = id};
  int rc = HZ_OK;
  if (stored->n) {
    x->before.items = malloc(stored->n * sizeof *stored->items);
    if (!x->before.items) return hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
    memcpy(x->before.items, stored->items, stored->n * sizeof *stored->items);
    x->before.n = x->before.cap = stored->n;
  }
  if (figures_of_project(project, sc, funds, fu, &x->after)) rc = hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
  for (size_t i = 0; i < x->after.n && !rc; i++)
    if (push(r->delta, &x->after.items[i], 1)) rc = hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
  for (size_t i = 0; i < x->before.n && !rc; i++)
    if (push(r->delta, &x->before.items[i], -1)) rc = hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
  const char *last = project ? last_activity(project, fu) : NULL;
  const char *was = project ? json_string_value(json_object_get(project, "last_activity_date")) : NULL;
  if (last && (!was || strcmp(last, was))) snprintf(x->last, sizeof x->last, "%s", last);
  return rc;
}

/* The projects ids[0..n) (sorted, distinct, close together): read as one id range, then
 * their figures and last activity dates written. */
static int refresh_run(Db *db, const int64_t *ids, size_t n, Figures *delta, HzErr *e) {
  Run r = {.ids = ids, .n = n, .p = calloc(n, sizeof(Pending)), .delta = delta};
  if (!r.p) return hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
  int rc = figures_store_each_in_range(db, ids[0], ids[n - 1], take, &r, e);
  for (size_t i = 0; i < r.np && !rc; i++) {
    Pending *x = &r.p[i];
    rc = figures_store_replace_own(db, x->id, &x->before, &x->after, e);
    if (!rc && x->last[0]) rc = figures_store_set_last_activity(db, x->id, x->last, e);
  }
  for (size_t i = 0; i < r.np; i++) {
    figures_free(&r.p[i].before);
    figures_free(&r.p[i].after);
  }
  free(r.p);
  return rc;
}

/* Ids further apart than this start a new range: the projects between two of a range are
 * read and passed over. */
#define RUN_GAP 16

int figures_batch_refresh(Db *db, int64_t *ids, size_t n, HzErr *e) {
  Figures delta = {0};
  int rc = HZ_OK;
  if (n) qsort(ids, n, sizeof *ids, id_cmp);
  size_t m = 0; /* distinct */
  for (size_t i = 0; i < n; i++)
    if (!m || ids[i] != ids[m - 1]) ids[m++] = ids[i];
  for (size_t i = 0, j; i < m && !rc; i = j) {
    for (j = i + 1; j < m && ids[j] - ids[j - 1] <= RUN_GAP; j++) {
    }
    rc = refresh_run(db, ids + i, j - i, &delta, e);
  }
  if (!rc) {
    merge(&delta);
    rc = figures_store_add_sums(db, &delta, e);
  }
  figures_free(&delta);
  return rc;
}
