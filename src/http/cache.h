/* Rendered responses of the figures endpoints, kept per (request key, data revision).
 * Any audited write bumps the revision, so a stale entry is never served. */
#ifndef HZ_CACHE_H
#define HZ_CACHE_H
#include <stddef.h>
#include <stdint.h>

/* A malloc'd copy of the cached body (caller frees), or NULL. */
char *cache_get(const char *key, int64_t revision, size_t *len);
void cache_put(const char *key, int64_t revision, const char *body, size_t len);
/* Strong validator for (key, revision). */
void cache_etag(const char *key, int64_t revision, char out[64]);

#endif
