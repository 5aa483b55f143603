#include "domain/snapshot.h"
#include "domain/progress.h"
#include "store/audit_store.h"
#include "store/progress_store.h"
#include "util/crypto.h"
#include "util/timeutil.h"
#include <stdlib.h>
#include <string.h>

static json_t *frozen_figures(const Board *b) {
  return json_pack("{s:o s:o s:o}", "progress", board_progress_json(b), "ranking", board_ranking_json(b), "funnel",
                   board_funnel_json(b));
}

int snapshot_create_tx(Db *db, const Actor *a, int64_t campaign_id, int as_of, const char *label, json_t **out,
                       Board **board, HzErr *e) {
  *out = NULL;
  Board *b = NULL;
  int rc = board_load(db, campaign_id, as_of, &b, e);
  char *text = NULL, sha[SHA256_HEX_LEN], day[DATE_LEN];
  int64_t id = 0;
  if (!rc) {
    json_t *figures = frozen_figures(b);
    text = json_dumps(figures, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(12));
    json_decref(figures);
    sha256_hex(text, strlen(text), sha);
    date_format(as_of, day);
    rc = snapshot_store_insert(db, campaign_id, day, label, a->id, text, sha, &id, e);
  }
  if (!rc) rc = snapshot_store_get(db, id, 0, out, e);
  if (!rc) rc = audit_store_append(db, a, "create", "snapshots", id, NULL, *out, e);
  if (rc) {
    json_decref(*out);
    *out = NULL;
  }
  if (!rc && board) *board = b;
  else board_free(b);
  free(text);
  return rc;
}

int snapshot_create(Db *db, const Actor *a, int64_t campaign_id, int as_of, const char *label, json_t **out, HzErr *e) {
  *out = NULL;
  if (!(a->role & ROLES_CENTRAL)) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只有会战办公室可以冻结数据");
  int rc = db_begin(db, e); /* the figures and the snapshot of them come from one state */
  if (rc) return rc;
  rc = snapshot_create_tx(db, a, campaign_id, as_of, label, out, NULL, e);
  if (!rc) rc = db_commit(db, e);
  if (rc) {
    db_rollback(db);
    json_decref(*out);
    *out = NULL;
  }
  return rc;
}

static json_t *unit_entry(json_t *units, int64_t unit_id) {
  size_t i;
  json_t *u;
  json_array_foreach(units, i, u) if (json_integer_value(json_object_get(u, "unit_id")) == unit_id) return u;
  return NULL;
}

static json_t *or_null(json_t *x) { return x ? json_incref(x) : json_null(); }

/* A unit's standing in a set of frozen-shape figures: status and completion from the
 * progress, score and rank overall, rank within its category. New reference. */
static json_t *standing(json_t *figures, json_t *progress_unit) {
  int64_t unit_id = json_integer_value(json_object_get(progress_unit, "unit_id"));
  json_t *ranking = json_object_get(figures, "ranking");
  json_t *r = unit_entry(json_object_get(ranking, "overall"), unit_id);
  const char *cat = json_string_value(json_object_get(progress_unit, "category"));
  json_t *c = cat ? unit_entry(json_object_get(json_object_get(ranking, "by_category"), cat), unit_id) : NULL;
  return json_pack("{s:o s:o s:o s:o s:o}", "status", or_null(json_object_get(progress_unit, "status")), "completion",
                   or_null(json_object_get(progress_unit, "completion")), "score", or_null(json_object_get(r, "score")),
                   "rank", or_null(json_object_get(r, "rank")), "category_rank", or_null(json_object_get(c, "rank")));
}

int snapshot_diff(Db *db, int64_t id, json_t **out, HzErr *e) {
  *out = NULL;
  json_t *snap = NULL;
  Board *b = NULL;
  int rc = snapshot_store_get(db, id, 1, &snap, e);
  int as_of = 0;
  if (!rc) date_parse(json_string_value(json_object_get(snap, "as_of")), &as_of);
  if (!rc) rc = board_load(db, json_integer_value(json_object_get(snap, "campaign_id")), as_of, &b, e);
  if (rc) goto done;
  json_t *now = frozen_figures(b), *changes = json_array(), *standings = json_array();
  json_t *then = json_object_get(snap, "figures");
  json_t *then_units = json_object_get(json_object_get(json_object_get(snap, "figures"), "progress"), "units");
  json_t *now_units = json_object_get(json_object_get(now, "progress"), "units");
  json_t *then_rank = json_object_get(json_object_get(json_object_get(snap, "figures"), "ranking"), "overall");
  json_t *now_rank = json_object_get(json_object_get(now, "ranking"), "overall");
  size_t i;
  json_t *u;
  json_array_foreach(now_units, i, u) {
    int64_t unit_id = json_integer_value(json_object_get(u, "unit_id"));
    json_t *was = unit_entry(then_units, unit_id);
    const char *metric;
    json_t *m;
    json_object_foreach(json_object_get(u, "metrics"), metric, m) {
      json_t *old = was ? json_object_get(json_object_get(was, "metrics"), metric) : NULL;
      int64_t oc = json_integer_value(json_object_get(old, "certified")), nc = json_integer_value(json_object_get(m, "certified"));
      int64_t orp = json_integer_value(json_object_get(old, "reported")), nr = json_integer_value(json_object_get(m, "reported"));
      int64_t ot = json_integer_value(json_object_get(old, "target")), nt = json_integer_value(json_object_get(m, "target"));
      if (oc != nc || orp != nr || ot != nt)
        json_array_append_new(changes, json_pack("{s:I s:O s:s s:I s:I s:I s:I s:I s:I}", "unit_id", (json_int_t)unit_id,
                                                 "name", json_object_get(u, "name"), "metric", metric, "frozen_certified",
                                                 (json_int_t)oc, "current_certified", (json_int_t)nc, "frozen_reported",
                                                 (json_int_t)orp, "current_reported", (json_int_t)nr, "frozen_target",
                                                 (json_int_t)ot, "current_target", (json_int_t)nt));
    }
    /* What the figures made of the unit: a target changed or a record certified late
     * moves its completion, status, score and ranks too. */
    json_t *s0 = was ? standing(then, was) : json_null(), *s1 = standing(now, u);
    if (!json_equal(s0, s1))
      json_array_append_new(standings, json_pack("{s:I s:O s:o s:o}", "unit_id", (json_int_t)unit_id, "name",
                                                 json_object_get(u, "name"), "frozen", s0, "current", s1));
    else {
      json_decref(s0);
      json_decref(s1);
    }
    json_t *r0 = unit_entry(then_rank, unit_id), *r1 = unit_entry(now_rank, unit_id);
    if (json_integer_value(json_object_get(r0, "rank")) != json_integer_value(json_object_get(r1, "rank")))
      json_array_append_new(changes, json_pack("{s:I s:O s:s s:O s:O}", "unit_id", (json_int_t)unit_id, "name",
                                               json_object_get(u, "name"), "metric", "rank", "frozen_rank",
                                               r0 ? json_object_get(r0, "rank") : json_null(), "current_rank",
                                               r1 ? json_object_get(r1, "rank") : json_null()));
  }
  json_object_del(snap, "figures");
  *out = json_pack("{s:o s:b s:o s:o}", "snapshot", json_incref(snap), "changed",
                   json_array_size(changes) + json_array_size(standings) > 0, "changes", changes, "standings", standings);
  json_decref(now);
done:
  json_decref(snap);
  board_free(b);
  return rc;
}
