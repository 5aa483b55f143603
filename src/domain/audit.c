#include "domain/audit.h"
#include "util/sha256.h"
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The key's HMAC state after the key block, computed once: each entry then costs what a
 * plain SHA-256 of it costs plus one block (no key setup per entry). util/sha256 gives
 * libsodium's digests with the processor's SHA instructions. */
static HmacSha256 keyed_state;
static int keyed;
static int64_t keyed_first = 1;

void audit_key_set(const unsigned char *key, int64_t keyed_from) {
  keyed = key != NULL;
  keyed_first = keyed_from > 0 ? keyed_from : 1;
  if (keyed) hmac_sha256_init(&keyed_state, key, AUDIT_KEY_BYTES);
  else sodium_memzero(&keyed_state, sizeof keyed_state);
}

int audit_key_is_set(void) { return keyed; }
int64_t audit_keyed_from(void) { return keyed_first; }

/* The entry's fields as the hash reads them: "id|user|entity_id|" then each text as
 * "<bytes>:<text>|" ("-|" for none), streamed into the digest without a copy. */
static void put_field(Sha256 *s, const char *v) {
  if (!v) {
    sha256_update(s, "-|", 2);
    return;
  }
  char len[24];
  size_t n = strlen(v);
  int k = snprintf(len, sizeof len, "%zu:", n);
  sha256_update(s, len, (size_t)k);
  sha256_update(s, v, n);
  sha256_update(s, "|", 1);
}

void audit_entry_hash(const AuditEntry *a, char out[SHA256_HEX_LEN]) {
  int mac = keyed && a->id >= keyed_first;
  HmacSha256 h;
  if (mac) h = keyed_state;
  else sha256_init(&h.inner);
  char ids[80];
  int k = snprintf(ids, sizeof ids, "%" PRId64 "|%" PRId64 "|%" PRId64 "|", a->id, a->user_id, a->entity_id);
  sha256_update(&h.inner, ids, (size_t)k);
  put_field(&h.inner, a->at);
  put_field(&h.inner, a->action);
  put_field(&h.inner, a->entity);
  put_field(&h.inner, a->before);
  put_field(&h.inner, a->after);
  put_field(&h.inner, a->prev_hash);
  unsigned char d[SHA256_BYTES];
  if (mac) hmac_sha256_final(&h, d);
  else sha256_final(&h.inner, d);
  sodium_bin2hex(out, SHA256_HEX_LEN, d, sizeof d);
  sodium_memzero(&h, sizeof h);
}

void audit_seal(int64_t count, const char *head, char out[SHA256_HEX_LEN]) {
  out[0] = 0;
  if (!keyed) return;
  char msg[128];
  int n = snprintf(msg, sizeof msg, "huizhan audit seal|%lld|%s", (long long)count, head ? head : "");
  HmacSha256 st = keyed_state;
  unsigned char mac[SHA256_BYTES];
  sha256_update(&st.inner, msg, (size_t)n);
  hmac_sha256_final(&st, mac);
  sodium_bin2hex(out, SHA256_HEX_LEN, mac, sizeof mac);
  sodium_memzero(&st, sizeof st);
}
