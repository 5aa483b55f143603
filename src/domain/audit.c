#include "domain/audit.h"
#include "util/buf.h"
#include "util/sha256_fast.h"
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

static void put_field(Buf *b, const char *s) {
  if (!s) {
    buf_puts(b, "-|");
    return;
  }
  buf_printf(b, "%zu:", strlen(s));
  buf_puts(b, s);
  buf_puts(b, "|");
}

void audit_entry_hash(const AuditEntry *a, char out[SHA256_HEX_LEN]) {
  Buf b;
  buf_init(&b, 0);
  buf_printf(&b, "%" PRId64 "|%" PRId64 "|%" PRId64 "|", a->id, a->user_id, a->entity_id);
  put_field(&b, a->at);
  put_field(&b, a->action);
  put_field(&b, a->entity);
  put_field(&b, a->before);
  put_field(&b, a->after);
  put_field(&b, a->prev_hash);
  const crypto_auth_hmacsha256_state *k = entry_key(a->id);
  if (k) {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    sha256_fast_hmac(k, b.data ? b.data : "", b.len, mac);
    sodium_bin2hex(out, SHA256_HEX_LEN, mac, sizeof mac);
  } else {
    sha256_hex(b.data ? b.data : "", b.len, out);
  }
  buf_free(&b);
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
