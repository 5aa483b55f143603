#include "http/cache.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CACHE_SLOTS 1024
#define CACHE_BYTES (48u << 20) /* at most this much JSON kept (each body's plain form) */
#define GZIP_MIN 1024 /* below this the gzip header costs more than it saves */

struct CacheBody {
  atomic_int refs;
  char *data;
  size_t len;
  pthread_mutex_t gz_lock; /* the gzip form is made by the first reader that wants it */
  int gz_made;
  unsigned char *gz;       /* NULL when not worth it */
  size_t gz_len;
};

typedef struct {
  char *key;
  int64_t revision;
  CacheBody *body;
} Slot;

static Slot slots[CACHE_SLOTS];
static size_t kept; /* bytes of the bodies in the slots */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t fnv(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

/* The gzip member of data, or NULL (too small, no memory, or no smaller). */
static unsigned char *gzip_of(const char *data, size_t len, size_t *gz_len) {
  if (len < GZIP_MIN) return NULL;
  z_stream z = {0};
  /* 15 + 16: a gzip wrapper, as Content-Encoding: gzip wants; level 6 is zlib's default. */
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
  size_t cap = deflateBound(&z, (uLong)len);
  unsigned char *out = malloc(cap);
  z.next_in = (Bytef *)data;
  z.avail_in = (uInt)len;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  int ok = out && deflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out < len;
  *gz_len = z.total_out;
  deflateEnd(&z);
  if (!ok) {
    free(out);
    return NULL;
  }
  return out;
}

static void body_ref(CacheBody *b) { atomic_fetch_add(&b->refs, 1); }

void cache_release(void *p) {
  CacheBody *b = p;
  if (!b || atomic_fetch_sub(&b->refs, 1) != 1) return;
  pthread_mutex_destroy(&b->gz_lock);
  free(b->data);
  free(b->gz);
  free(b);
}

CacheBody *cache_get(const char *key, int64_t revision) {
  Slot *s = &slots[fnv(key) % CACHE_SLOTS];
  CacheBody *b = NULL;
  pthread_mutex_lock(&lock);
  if (s->key && s->revision == revision && !strcmp(s->key, key)) body_ref(b = s->body);
  pthread_mutex_unlock(&lock);
  return b;
}

/* Empties a slot (lock held); what it held is released by the caller, outside the lock. */
static CacheBody *slot_clear(Slot *s, char **key) {
  CacheBody *b = s->body;
  *key = s->key;
  if (b) kept -= b->len;
  *s = (Slot){0};
  return b;
}

CacheBody *cache_put_take(const char *key, int64_t revision, char *data, size_t len) {
  CacheBody *b = calloc(1, sizeof *b);
  char *k = strdup(key);
  if (!b || !k) {
    free(b);
    free(k);
    free(data);
    return NULL;
  }
  atomic_init(&b->refs, 1); /* the caller's */
  pthread_mutex_init(&b->gz_lock, NULL);
  b->data = data;
  b->len = len;
  Slot *s = &slots[fnv(key) % CACHE_SLOTS];
  CacheBody *dropped[CACHE_SLOTS + 1];
  char *dropped_keys[CACHE_SLOTS + 1];
  size_t n = 0;
  pthread_mutex_lock(&lock);
  dropped[n] = slot_clear(s, &dropped_keys[n]), n++;
  /* Over budget: answers of older revisions can never be served again; drop them. */
  if (kept + len > CACHE_BYTES)
    for (size_t i = 0; i < CACHE_SLOTS; i++)
      if (slots[i].body && slots[i].revision != revision) dropped[n] = slot_clear(&slots[i], &dropped_keys[n]), n++;
  if (kept + len <= CACHE_BYTES) {
    atomic_fetch_add(&b->refs, 1); /* and the slot's */
    *s = (Slot){k, revision, b};
    kept += len;
    k = NULL;
  }
  pthread_mutex_unlock(&lock);
  free(k);
  for (size_t i = 0; i < n; i++) {
    free(dropped_keys[i]);
    cache_release(dropped[i]);
  }
  return b;
}

const char *cache_bytes(CacheBody *b, int gzip, size_t *len, int *gzipped) {
  if (gzip) {
    pthread_mutex_lock(&b->gz_lock);
    if (!b->gz_made) b->gz = gzip_of(b->data, b->len, &b->gz_len);
    b->gz_made = 1;
    pthread_mutex_unlock(&b->gz_lock);
  }
  *gzipped = gzip && b->gz;
  *len = *gzipped ? b->gz_len : b->len;
  return *gzipped ? (const char *)b->gz : b->data;
}

void cache_etag(const char *key, int64_t revision, char out[64]) {
  snprintf(out, 64, "\"r%lld-%016llx\"", (long long)revision, (unsigned long long)fnv(key));
}
