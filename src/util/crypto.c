#include "util/crypto.h"
#include "util/err.h"
#include <sodium.h>
#include <string.h>

int crypto_setup(void) { return sodium_init() < 0 ? HZ_EIO : HZ_OK; }

int password_hash(const char *password, char out[PASSWORD_HASH_LEN]) {
  _Static_assert(PASSWORD_HASH_LEN == crypto_pwhash_STRBYTES, "hash length");
  if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return HZ_ENOMEM;
  return HZ_OK;
}

int password_verify(const char *hash, const char *password) {
  if (!hash || !password) return 0;
  return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void token_random(char out[TOKEN_LEN]) {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2base64(out, TOKEN_LEN, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void sha256_hex(const void *data, size_t n, char out[SHA256_HEX_LEN]) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, data, n);
  sodium_bin2hex(out, SHA256_HEX_LEN, h, sizeof h);
}

int secure_equal(const char *a, const char *b) {
  if (!a || !b) return 0;
  size_t n = strlen(a);
  if (n != strlen(b)) return 0;
  return sodium_memcmp(a, b, n) == 0;
}
