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

static int refresh_one(Db *db, int64_t id, Figures *delta, HzErr *e) {
  Figures before = {0}, after = {0};
  json_t *project = NULL, *sc = NULL, *funds = NULL, *fu = NULL;
  int rc = figures_store_project(db, id, &before, e);
  if (!rc) rc = figures_store_inputs(db, id, &project, &sc, &funds, &fu, e);
  if (!rc && figures_of_project(project, sc, funds, fu, &after)) rc = hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
  if (!rc) rc = figures_store_replace_own(db, id, &before, &after, e);
  for (size_t i = 0; i < after.n && !rc; i++)
    if (push(delta, &after.items[i], 1)) rc = hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
  for (size_t i = 0; i < before.n && !rc; i++)
    if (push(delta, &before.items[i], -1)) rc = hz_fail(e, HZ_ENOMEM, NULL, NOMEM_MSG);
  const char *last = project ? last_activity(project, fu) : NULL;
  if (!rc && last) rc = figures_store_set_last_activity(db, id, last, e);
  figures_free(&before);
  figures_free(&after);
  json_decref(project);
  json_decref(sc);
  json_decref(funds);
  json_decref(fu);
  return rc;
}

int figures_batch_refresh(Db *db, int64_t *ids, size_t n, HzErr *e) {
  Figures delta = {0};
  int rc = HZ_OK;
  if (n) qsort(ids, n, sizeof *ids, id_cmp);
  for (size_t i = 0; i < n && !rc; i++)
    if (!i || ids[i] != ids[i - 1]) rc = refresh_one(db, ids[i], &delta, e);
  if (!rc) {
    merge(&delta);
    rc = figures_store_add_sums(db, &delta, e);
  }
  figures_free(&delta);
  return rc;
}
