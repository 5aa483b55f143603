/* Rendered responses of the figures endpoints, kept per (request key, data revision).
 * Any audited write bumps the revision, so a stale entry is never served.
 *
 * A cached body is immutable and shared: readers hold a reference while MHD sends it,
 * so a hit copies nothing. Each body also keeps its gzip form, compressed once by the
 * first client that takes gzip, because a whole city's board is megabytes of JSON that
 * shrinks seven- to eightfold. */
#ifndef HZ_CACHE_H
#define HZ_CACHE_H
#include <stddef.h>
#include <stdint.h>

typedef struct CacheBody CacheBody;

/* A reference to the body cached for (key, revision), or NULL. cache_release frees it. */
CacheBody *cache_get(const char *key, int64_t revision);
/* Stores body (taken: malloc'd, freed by the cache) for (key, revision), replacing what
 * the slot held, and returns a reference for the caller, or NULL when out of memory
 * (body is freed then too). Past the cache's budget, older revisions' answers are
 * dropped; if that is not enough the body is only the caller's. */
CacheBody *cache_put_take(const char *key, int64_t revision, char *body, size_t len);
/* The bytes of a body: its gzip form when gzip is asked for and worth it (then
 * *gzipped is 1; made on first need), else the plain JSON. Valid while the reference
 * is held. */
const char *cache_bytes(CacheBody *b, int gzip, size_t *len, int *gzipped);
/* Drops a reference; takes void * so it can be MHD's free callback. NULL is fine. */
void cache_release(void *body);
/* Strong validator for (key, revision). */
void cache_etag(const char *key, int64_t revision, char out[64]);

#endif
