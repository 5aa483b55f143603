#include "domain/audit_records.h"
#include "domain/bulletin.h"
#include "domain/resource.h"
#include "store/audit_store.h"
#include "store/progress_store.h"
#include "store/record_store.h"
#include "util/crypto.h"
#include <stdlib.h>
#include <string.h>

/* The fields that make up a certified figure (unit_id follows the project's lead unit,
 * so it may move without changing the figure). */
static const char *const fund_fields[] = {"project_id", "amount", "date", "kind", "status", "reviewed_by", "reviewed_at", NULL};
static const char *const move_fields[] = {"project_id", "from_stage", "to_stage", "date", "contract_date", "contract_value",
                                          "start_date", "completion_date", "status", "reviewed_by", "reviewed_at", NULL};

static int check_certified(Db *db, const char *collection, const char *table, const char *const *fields,
                           json_t *problems, HzErr *e) {
  const Resource *r = resource_find(collection);
  json_t *ids = NULL;
  int rc = audit_store_ids(db, table, "certified", &ids, e);
  size_t i;
  json_t *id;
  json_array_foreach(ids, i, id) {
    if (rc) break;
    json_t *now = NULL, *logged = NULL;
    rc = record_store_get(db, r, json_integer_value(id), 0, &now, e);
    if (!rc) rc = audit_store_latest(db, collection, json_integer_value(id), NULL, &logged, e);
    for (int f = 0; !rc && fields[f]; f++) {
      json_t *a = json_object_get(now, fields[f]), *b = logged ? json_object_get(logged, fields[f]) : NULL;
      if (!b || !json_equal(a, b)) {
        json_array_append_new(problems, json_sprintf("%s %lld: %s differs from the audit log (certified figures were "
                                                     "changed outside huizhan)",
                                                     collection, (long long)json_integer_value(id), fields[f]));
        break;
      }
    }
    json_decref(now);
    json_decref(logged);
  }
  json_decref(ids);
  return rc;
}

static int check_bulletins(Db *db, json_t *problems, HzErr *e) {
  const Resource *r = resource_find("bulletins");
  json_t *ids = NULL;
  int rc = audit_store_ids(db, "bulletins", "published", &ids, e);
  size_t i;
  json_t *id;
  json_array_foreach(ids, i, id) {
    if (rc) break;
    json_t *b = NULL, *logged = NULL;
    char sha[SHA256_HEX_LEN];
    rc = record_store_get(db, r, json_integer_value(id), 0, &b, e);
    if (!rc) rc = audit_store_latest(db, "bulletins", json_integer_value(id), "publish", &logged, e);
    if (!rc) {
      char *text = bulletin_canonical(b);
      sha256_hex(text, strlen(text), sha);
      free(text);
      const char *stored = json_string_value(json_object_get(b, "sha256"));
      const char *published = json_string_value(json_object_get(logged, "sha256"));
      if (!stored || strcmp(sha, stored) || !published || strcmp(sha, published))
        json_array_append_new(problems, json_sprintf("bulletins %lld: the published bulletin no longer matches its SHA-256",
                                                     (long long)json_integer_value(id)));
    }
    json_decref(b);
    json_decref(logged);
  }
  json_decref(ids);
  return rc;
}

/* Every snapshot the log saw created is still there, its figures still hash to the
 * SHA-256 it was created with (the log's copy, not only the row's own). */
static int check_snapshots(Db *db, json_t *problems, HzErr *e) {
  json_t *ids = NULL;
  int rc = audit_store_logged_ids(db, "snapshots", "create", &ids, e);
  size_t i;
  json_t *id;
  json_array_foreach(ids, i, id) {
    if (rc) break;
    long long n = (long long)json_integer_value(id);
    json_t *snap = NULL, *logged = NULL;
    rc = snapshot_store_get(db, json_integer_value(id), 1, &snap, e);
    if (rc == HZ_ENOTFOUND) {
      hz_err_clear(e);
      rc = HZ_OK;
      json_array_append_new(problems, json_sprintf("snapshots %lld: the frozen figures were deleted", n));
      continue;
    }
    if (!rc) rc = audit_store_latest(db, "snapshots", json_integer_value(id), "create", &logged, e);
    if (!rc) {
      /* The text is re-made as it was made (snapshot.c): sorted keys, compact. */
      json_t *figures = json_object_get(snap, "figures");
      char *text = json_is_object(figures) ? json_dumps(figures, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(12)) : NULL;
      char sha[SHA256_HEX_LEN] = "";
      if (text) sha256_hex(text, strlen(text), sha);
      free(text);
      const char *stored = json_string_value(json_object_get(snap, "sha256"));
      const char *created = json_string_value(json_object_get(logged, "sha256"));
      /* Figures that no longer even read as JSON fail the hash like any other edit. */
      if (!sha[0] || !stored || strcmp(sha, stored) || !created || strcmp(sha, created))
        json_array_append_new(problems, json_sprintf("snapshots %lld: the frozen figures no longer match their SHA-256", n));
    }
    json_decref(snap);
    json_decref(logged);
  }
  json_decref(ids);
  return rc;
}

int audit_check_records(Db *db, json_t **problems, HzErr *e) {
  *problems = json_array();
  int rc = check_certified(db, "funds", "funds", fund_fields, *problems, e);
  if (!rc) rc = check_certified(db, "stage-changes", "stage_changes", move_fields, *problems, e);
  if (!rc) rc = check_bulletins(db, *problems, e);
  if (!rc) rc = check_snapshots(db, *problems, e);
  return rc;
}
