/* Queries over targets beyond plain CRUD. */
#ifndef HZ_TARGET_STORE_H
#define HZ_TARGET_STORE_H
#include <jansson.h>
#include "db/db.h"

/* Unit-level targets of a campaign with the sums and counts of their section and person
 * parts: [{unit_id, scope, metric, value, sections_sum, sections_count, people_sum,
 * people_count}], ordered by unit, scope, metric. scope_unit 0 = all units. */
int target_store_decomposition(Db *db, int64_t campaign_id, int64_t scope_unit, json_t **out, HzErr *e);

#endif
