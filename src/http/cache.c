#include "http/cache.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 128

typedef struct {
  char *key;
  int64_t revision;
  char *body;
  size_t len;
} Slot;

static Slot slots[CACHE_SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t fnv(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

char *cache_get(const char *key, int64_t revision, size_t *len) {
  Slot *s = &slots[fnv(key) % CACHE_SLOTS];
  char *copy = NULL;
  pthread_mutex_lock(&lock);
  if (s->key && s->revision == revision && !strcmp(s->key, key) && (copy = malloc(s->len + 1))) {
    memcpy(copy, s->body, s->len + 1);
    *len = s->len;
  }
  pthread_mutex_unlock(&lock);
  return copy;
}

void cache_put(const char *key, int64_t revision, const char *body, size_t len) {
  char *k = strdup(key), *b = malloc(len + 1);
  if (!k || !b) {
    free(k);
    free(b);
    return;
  }
  memcpy(b, body, len);
  b[len] = 0;
  Slot *s = &slots[fnv(key) % CACHE_SLOTS];
  pthread_mutex_lock(&lock);
  free(s->key);
  free(s->body);
  *s = (Slot){k, revision, b, len};
  pthread_mutex_unlock(&lock);
}

void cache_etag(const char *key, int64_t revision, char out[64]) {
  snprintf(out, 64, "\"r%lld-%016llx\"", (long long)revision, (unsigned long long)fnv(key));
}
