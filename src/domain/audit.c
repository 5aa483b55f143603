#include "domain/audit.h"
#include "util/buf.h"
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
  if (keyed && a->id >= keyed_first) {
    crypto_auth_hmacsha256_state st = keyed_state;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)(b.data ? b.data : ""), b.len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(out, SHA256_HEX_LEN, mac, sizeof mac);
    sodium_memzero(&st, sizeof st);
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
