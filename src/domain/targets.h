/* Targets decomposed to sections and people (R-DATA-TGT). */
#ifndef HZ_TARGETS_H
#define HZ_TARGETS_H
#include "domain/resource.h"

/* For every unit-level target of the campaign: the whole, the sums of its section and
 * person parts, and whether either falls short of the whole. A unit user sees its own
 * unit only. Paged by the list parameters in query (limit, offset):
 * *out = {items, total, limit, offset, short_count (over the whole list)}. */
int targets_gaps(Db *db, const Actor *a, int64_t campaign_id, json_t *query, json_t **out, HzErr *e);

#endif
