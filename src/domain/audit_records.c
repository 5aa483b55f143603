#include "domain/audit_records.h"
#include "domain/bulletin.h"
#include "domain/resource.h"
#include "store/audit_store.h"
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

int audit_check_records(Db *db, json_t **problems, HzErr *e) {
  *problems = json_array();
  int rc = check_certified(db, "funds", "funds", fund_fields, *problems, e);
  if (!rc) rc = check_certified(db, "stage-changes", "stage_changes", move_fields, *problems, e);
  if (!rc) rc = check_bulletins(db, *problems, e);
  return rc;
}
