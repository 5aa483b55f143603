/* Answers of the stale-projects list as of a past day, kept across writes that cannot
 * change them. As of a past day the list is the costliest read of the figures (every
 * project's stage and activity on that day), while nearly every write is dated today:
 * a follow-up or a stage change dated after the day, a fund, a login. The audit entries
 * since an answer was made say which writes came (from any instance), and the answer is
 * kept while none of them could touch the day. */
#ifndef HZ_STALE_CACHE_H
#define HZ_STALE_CACHE_H
#include <jansson.h>
#include "db/db.h"

/* *audit_id = the newest audit entry now (to stamp what is put next). *out = a copy of the
 * answer kept for key (caller frees), or NULL when there is none or a write since may have
 * changed it. as_of: the past day (YYYY-MM-DD) the answer is for. */
int stale_cache_get(Db *db, const char *key, const char *as_of, json_t **out, int64_t *audit_id, HzErr *e);
/* Keeps a copy of answer for key, standing at audit entry audit_id (from stale_cache_get). */
void stale_cache_put(const char *key, int64_t audit_id, const json_t *answer);

#endif
