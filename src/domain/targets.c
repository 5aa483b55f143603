#include "domain/targets.h"
#include "domain/list_query.h"
#include "domain/record.h"
#include "store/record_store.h"
#include "store/target_store.h"

int targets_gaps(Db *db, const Actor *a, int64_t campaign_id, json_t *query, json_t **out, HzErr *e) {
  *out = NULL;
  json_t *campaign = NULL, *items = NULL;
  ListPage p;
  int rc = list_query_read(query, NULL, &p, e);
  if (!rc) rc = record_store_get(db, resource_find("campaigns"), campaign_id, 0, &campaign, e);
  json_decref(campaign);
  if (!rc) rc = target_store_decomposition(db, campaign_id, record_scope_unit(a), &items, e);
  if (rc) return rc;
  size_t i, short_count = 0;
  json_t *it;
  json_array_foreach(items, i, it) {
    int64_t whole = json_integer_value(json_object_get(it, "value"));
    int sections_short = json_integer_value(json_object_get(it, "sections_sum")) < whole;
    int people_short = json_integer_value(json_object_get(it, "people_sum")) < whole;
    json_object_set_new(it, "sections_short", json_boolean(sections_short));
    json_object_set_new(it, "people_short", json_boolean(people_short));
    json_object_set_new(it, "sections_gap", json_integer(sections_short ? whole - json_integer_value(json_object_get(it, "sections_sum")) : 0));
    json_object_set_new(it, "people_gap", json_integer(people_short ? whole - json_integer_value(json_object_get(it, "people_sum")) : 0));
    short_count += sections_short || people_short;
  }
  *out = list_query_slice(items, &p);
  json_object_set_new(*out, "short_count", json_integer((json_int_t)short_count));
  return HZ_OK;
}
