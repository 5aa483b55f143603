#include "http/cache.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* A key may sit in any of the WAYS slots of its set: a few hundred units' lists do not
 * evict each other by sharing a slot, as they would one slot a key. */
#define CACHE_SETS 1024
#define CACHE_WAYS 4
#define CACHE_BYTES (48u << 20) /* at most this much JSON kept (each body's plain form) */
#define GZIP_MIN 1024 /* below this the gzip header costs more than it saves */
/* From this size on, zlib's fastest level: a province's plain ranking (1.3 MB) is 236 KiB
 * at level 1 against 175 KiB at 6, but takes 6 ms of CPU instead of 18, and under a
 * trickle of writes it is compressed again after each one (bench/README.md). */
#define GZIP_FAST_FROM (512u << 10)

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
  uint64_t used; /* tick of the last get or put, to evict the least recently used */
} Slot;

static Slot slots[CACHE_SETS][CACHE_WAYS];
static size_t kept;   /* bytes of the bodies in the slots */
static uint64_t tick; /* counts gets and puts */
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
  if (deflateInit2(&z, len >= GZIP_FAST_FROM ? 1 : 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
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
  Slot *set = slots[fnv(key) % CACHE_SETS];
  CacheBody *b = NULL;
  pthread_mutex_lock(&lock);
  for (int w = 0; w < CACHE_WAYS && !b; w++)
    if (set[w].key && set[w].revision == revision && !strcmp(set[w].key, key)) {
      body_ref(b = set[w].body);
      set[w].used = ++tick;
    }
  pthread_mutex_unlock(&lock);
  return b;
}

/* Empties a slot (lock held). */
static void slot_clear(Slot *s) {
  if (s->body) kept -= s->body->len;
  free(s->key);
  cache_release(s->body);
  *s = (Slot){0};
}

/* Where a new answer for key goes in its set: the slot with that key, else an empty one,
 * else one of an older revision, else the least recently used. */
static Slot *slot_for(Slot *set, const char *key, int64_t revision) {
  Slot *pick = &set[0];
  int rank = 4; /* lower is better: 0 same key, 1 empty, 2 stale, 3 in use */
  for (int w = 0; w < CACHE_WAYS; w++) {
    Slot *s = &set[w];
    int r = !s->key ? 1 : !strcmp(s->key, key) ? 0 : s->revision != revision ? 2 : 3;
    if (r < rank || (r == rank && s->used < pick->used)) pick = s, rank = r;
  }
  return pick;
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
  pthread_mutex_lock(&lock);
  Slot *s = slot_for(slots[fnv(key) % CACHE_SETS], key, revision);
  /* The same bytes as the key's answer of an older revision (a write that did not change
   * this answer): that body, with its gzip form made once, serves the new revision too. */
  CacheBody *same = s->key && !strcmp(s->key, key) && s->body && s->body->len == len && !memcmp(s->body->data, data, len)
                      ? s->body : NULL;
  if (same) {
    body_ref(same);
    s->revision = revision;
    s->used = ++tick;
    pthread_mutex_unlock(&lock);
    pthread_mutex_destroy(&b->gz_lock);
    free(b);
    free(k);
    free(data);
    return same;
  }
  slot_clear(s);
  /* Over budget: answers of older revisions can never be served again; drop them. */
  if (kept + len > CACHE_BYTES)
    for (size_t i = 0; i < CACHE_SETS; i++)
      for (int w = 0; w < CACHE_WAYS; w++)
        if (slots[i][w].body && slots[i][w].revision != revision) slot_clear(&slots[i][w]);
  if (kept + len <= CACHE_BYTES) {
    atomic_fetch_add(&b->refs, 1); /* and the slot's */
    *s = (Slot){k, revision, b, ++tick};
    kept += len;
    k = NULL;
  }
  pthread_mutex_unlock(&lock);
  free(k);
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
