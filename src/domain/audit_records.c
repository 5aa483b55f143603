#include "domain/audit_records.h"
#include "domain/bulletin.h"
#include "domain/resource.h"
#include "store/audit_store.h"
#include "store/progress_store.h"
#include "store/record_store.h"
#include "util/crypto.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The fields that make up a certified figure (unit_id follows the project's lead unit,
 * so it may move without changing the figure). */
static const char *const fund_fields[] = {"project_id", "amount", "date", "kind", "status", "reviewed_by", "reviewed_at", NULL};
static const char *const move_fields[] = {"project_id", "from_stage", "to_stage", "date", "contract_date", "contract_value",
                                          "start_date", "completion_date", "status", "reviewed_by", "reviewed_at", NULL};

/* Equal, an absent value counting as null (a column added after the entry was written). */
static int same(json_t *a, json_t *b) {
  if (!a || json_is_null(a)) return !b || json_is_null(b);
  return b && json_equal(a, b);
}

static int is_certified(json_t *rec) {
  const char *s = json_string_value(json_object_get(rec, "status"));
  return s && !strcmp(s, "certified");
}

/* Ids in a or b (both sorted), each once: what is certified now and what the log saw. */
static json_t *union_ids(json_t *a, json_t *b) {
  json_t *all = json_array();
  size_t i = 0, j = 0, na = json_array_size(a), nb = json_array_size(b);
  while (i < na || j < nb) {
    json_int_t x = i < na ? json_integer_value(json_array_get(a, i)) : INT64_MAX;
    json_int_t y = j < nb ? json_integer_value(json_array_get(b, j)) : INT64_MAX;
    json_array_append_new(all, json_integer(x < y ? x : y));
    if (x <= y) i++;
    if (y <= x) j++;
  }
  return all;
}

/* Every record that is certified now, or that the log ever saw certified, reads as the
 * log last recorded it: a certified record un-certified, deleted or changed by hand is
 * named by id. A record the log last saw deleted, or no longer certified (through
 * huizhan), is what it should be. */
static int check_certified(Db *db, const char *collection, const char *table, const char *const *fields,
                           json_t *problems, HzErr *e) {
  const Resource *r = resource_find(collection);
  json_t *now_ids = NULL, *logged_ids = NULL, *ids = NULL;
  int rc = audit_store_ids(db, table, "certified", &now_ids, e);
  if (!rc) rc = audit_store_certified_ids(db, collection, &logged_ids, e);
  if (!rc) ids = union_ids(now_ids, logged_ids);
  size_t i;
  json_t *id;
  json_array_foreach(ids, i, id) {
    if (rc) break;
    long long n = (long long)json_integer_value(id);
    json_t *now = NULL, *logged = NULL;
    char action[32];
    rc = audit_store_latest(db, collection, n, NULL, &logged, action, sizeof action, e);
    int certified = is_certified(logged);
    if (!rc) rc = record_store_get(db, r, n, 0, &now, e);
    if (rc == HZ_ENOTFOUND) {
      hz_err_clear(e);
      rc = HZ_OK;
      if (certified || strcmp(action, "delete"))
        json_array_append_new(problems, json_sprintf("%s %lld: certified in the audit log, but the record was deleted "
                                                     "without an audit entry", collection, n));
    } else if (!rc && !certified && logged && !is_certified(now)) {
      /* the log's last word is "not certified" and so is the record: nothing to compare */
    } else if (!rc) {
      const char *is = json_string_value(json_object_get(now, "status"));
      for (int f = 0; fields[f]; f++) {
        json_t *a = json_object_get(now, fields[f]), *b = logged ? json_object_get(logged, fields[f]) : NULL;
        if (b && json_equal(a, b)) continue;
        if (certified && !strcmp(fields[f], "status"))
          json_array_append_new(problems, json_sprintf("%s %lld: certified in the audit log, but the record is now %s "
                                                       "(un-certified without an audit entry)", collection, n, is ? is : "?"));
        else
          json_array_append_new(problems, json_sprintf("%s %lld: %s differs from the audit log (certified figures were "
                                                       "changed outside huizhan)", collection, n, fields[f]));
        break;
      }
    }
    json_decref(now);
    json_decref(logged);
  }
  json_decref(ids);
  json_decref(now_ids);
  json_decref(logged_ids);
  return rc;
}

/* Every bulletin that is published now or that the log saw published: still there,
 * still published, still hashing to the SHA-256 the log recorded, and still naming the
 * audit head it printed. */
static int check_bulletins(Db *db, json_t *problems, HzErr *e) {
  const Resource *r = resource_find("bulletins");
  json_t *now_ids = NULL, *logged_ids = NULL, *ids = NULL;
  int rc = audit_store_ids(db, "bulletins", "published", &now_ids, e);
  if (!rc) rc = audit_store_logged_ids(db, "bulletins", "publish", &logged_ids, e);
  if (!rc) ids = union_ids(now_ids, logged_ids);
  size_t i;
  json_t *id;
  json_array_foreach(ids, i, id) {
    if (rc) break;
    long long n = (long long)json_integer_value(id);
    json_t *b = NULL, *logged = NULL;
    char sha[SHA256_HEX_LEN];
    rc = audit_store_latest(db, "bulletins", n, "publish", &logged, NULL, 0, e);
    if (!rc) rc = record_store_get(db, r, n, 0, &b, e);
    const char *status = json_string_value(json_object_get(b, "status"));
    if (rc == HZ_ENOTFOUND) {
      hz_err_clear(e);
      rc = HZ_OK;
      json_array_append_new(problems, json_sprintf("bulletins %lld: published (audit log), but the bulletin was deleted", n));
    } else if (!rc && logged && status && strcmp(status, "published")) {
      json_array_append_new(problems, json_sprintf("bulletins %lld: published (audit log), but the bulletin is back to %s",
                                                   n, status));
    } else if (!rc) {
      char *text = bulletin_canonical(b);
      sha256_hex(text, strlen(text), sha);
      free(text);
      const char *stored = json_string_value(json_object_get(b, "sha256"));
      const char *published = json_string_value(json_object_get(logged, "sha256"));
      if (!stored || strcmp(sha, stored) || !published || strcmp(sha, published))
        json_array_append_new(problems, json_sprintf("bulletins %lld: the published bulletin no longer matches its SHA-256", n));
      else if (!same(json_object_get(b, "audit_head"), json_object_get(logged, "audit_head")) ||
               !same(json_object_get(b, "audit_count"), json_object_get(logged, "audit_count")))
        json_array_append_new(problems, json_sprintf("bulletins %lld: the audit head it printed differs from the audit log", n));
    }
    json_decref(b);
    json_decref(logged);
  }
  json_decref(ids);
  json_decref(now_ids);
  json_decref(logged_ids);
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
    if (!rc) rc = audit_store_latest(db, "snapshots", json_integer_value(id), "create", &logged, NULL, 0, e);
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
