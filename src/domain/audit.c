#include "domain/audit.h"
#include <inttypes.h>
#include <sodium.h>
#include <string.h>

/* The key's HMAC state after the key block, computed once: each entry then costs what a
 * plain SHA-256 of it costs plus one block (no key setup per entry). */
static crypto_auth_hmacsha256_state keyed_state;
static int keyed;
static int64_t keyed_first = 1;

void audit_key_set(const unsigned char *key, int64_t keyed_from) {
  keyed = key != NULL;
  keyed_first = keyed_from > 0 ? keyed_from : 1;
  if (keyed) crypto_auth_hmacsha256_init(&keyed_state, key, AUDIT_KEY_BYTES);
  else sodium_memzero(&keyed_state, sizeof keyed_state);
}

/* Retired keys (the key file's later lines, after a rotation): each covers the entries
 * from its `from` up to the next key's first entry. */
static struct {
  crypto_auth_hmacsha256_state state;
  int64_t from;
} retired[AUDIT_RETIRED_MAX];
static size_t nretired;

int audit_key_retire(const unsigned char *key, int64_t from) {
  if (nretired == AUDIT_RETIRED_MAX || from < 1) return -1;
  crypto_auth_hmacsha256_init(&retired[nretired].state, key, AUDIT_KEY_BYTES);
  retired[nretired++].from = from;
  return 0;
}

void audit_key_retired_clear(void) {
  sodium_memzero(retired, sizeof retired);
  nretired = 0;
}

/* The key entry id was hashed under: the current one from keyed_first on, before that the
 * retired key with the greatest `from` not after id; NULL: plain SHA-256. */
static const crypto_auth_hmacsha256_state *entry_key(int64_t id) {
  if (keyed && id >= keyed_first) return &keyed_state;
  const crypto_auth_hmacsha256_state *k = NULL;
  int64_t best = 0;
  for (size_t i = 0; i < nretired; i++)
    if (retired[i].from <= id && retired[i].from > best) {
      best = retired[i].from;
      k = &retired[i].state;
    }
  return k;
}

int audit_key_is_set(void) { return keyed; }
int64_t audit_keyed_from(void) { return keyed_first; }

/* The entry's encoding goes straight into the hash, piece by piece (no copy of the record
 * texts, no printf): "id|user_id|entity_id|" then each text field as "LEN:text|", "-|" for
 * NULL (test_audit.c has the bytes). */
static void feed(crypto_hash_sha256_state *h, const char *s, size_t n) {
  crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

static void feed_int(crypto_hash_sha256_state *h, int64_t v, char end) {
  char t[24], *p = t + sizeof t;
  uint64_t u = v < 0 ? 0ULL - (uint64_t)v : (uint64_t)v;
  *--p = end;
  do *--p = (char)('0' + u % 10);
  while (u /= 10);
  if (v < 0) *--p = '-';
  feed(h, p, (size_t)(t + sizeof t - p));
}

static void feed_field(crypto_hash_sha256_state *h, const char *s) {
  if (!s) {
    feed(h, "-|", 2);
    return;
  }
  size_t n = strlen(s);
  feed_int(h, (int64_t)n, ':');
  feed(h, s, n);
  feed(h, "|", 1);
}

void audit_entry_hash(const AuditEntry *a, char out[SHA256_HEX_LEN]) {
  const crypto_auth_hmacsha256_state *k = entry_key(a->id);
  crypto_auth_hmacsha256_state st;
  if (k) st = *k;
  else crypto_hash_sha256_init(&st.ictx);
  crypto_hash_sha256_state *h = &st.ictx;
  feed_int(h, a->id, '|');
  feed_int(h, a->user_id, '|');
  feed_int(h, a->entity_id, '|');
  feed_field(h, a->at);
  feed_field(h, a->action);
  feed_field(h, a->entity);
  feed_field(h, a->before);
  feed_field(h, a->after);
  feed_field(h, a->prev_hash);
  unsigned char mac[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(h, mac);
  if (k) { /* HMAC: the outer hash of the inner one */
    crypto_hash_sha256_update(&st.octx, mac, sizeof mac);
    crypto_hash_sha256_final(&st.octx, mac);
  }
  sodium_bin2hex(out, SHA256_HEX_LEN, mac, sizeof mac);
  sodium_memzero(&st, sizeof st);
}

void audit_seal(int64_t count, const char *head, char out[SHA256_HEX_LEN]) {
  out[0] = 0;
  if (!keyed) return;
  char msg[128];
  int n = snprintf(msg, sizeof msg, "huizhan audit seal|%lld|%s", (long long)count, head ? head : "");
  crypto_auth_hmacsha256_state st = keyed_state;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, (unsigned long long)n);
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_bin2hex(out, SHA256_HEX_LEN, mac, sizeof mac);
  sodium_memzero(&st, sizeof st);
}
