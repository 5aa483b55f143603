/* SQL of duplicate-claim detection (domain/duplicates.h). */
#ifndef HZ_DUPLICATES_STORE_H
#define HZ_DUPLICATES_STORE_H
#include <jansson.h>
#include "db/db.h"

/* The campaign's counted projects (not settled as duplicates) that name an investor, in id
 * order: [{id, name, lead_unit_id, investor_id, investor_name, investor_kind}]. New array. */
int duplicates_store_claims(Db *db, int64_t campaign_id, json_t **out, HzErr *e);
/* Pairs the office dismissed among the campaign's projects: [[project_a, project_b]] with
 * project_a < project_b, sorted. New array. */
int duplicates_store_dismissed(Db *db, int64_t campaign_id, json_t **out, HzErr *e);

#endif
