#include "util/crypto.h"
#include "util/err.h"
#include <sodium.h>
#include <string.h>

int crypto_setup(void) { return sodium_init() < 0 ? HZ_EIO : HZ_OK; }

/* The calling thread's memo (password_hash_reuse): the last password hashed and its hash. */
static _Thread_local int memo_on;
static _Thread_local char memo_password[256], memo_hash[PASSWORD_HASH_LEN];

void password_hash_reuse(int on) {
  memo_on = on;
  sodium_memzero(memo_password, sizeof memo_password);
  sodium_memzero(memo_hash, sizeof memo_hash);
}

int password_hash(const char *password, char out[PASSWORD_HASH_LEN]) {
  _Static_assert(PASSWORD_HASH_LEN == crypto_pwhash_STRBYTES, "hash length");
  size_t n = strlen(password);
  if (memo_on && memo_hash[0] && strcmp(password, memo_password) == 0) {
    memcpy(out, memo_hash, PASSWORD_HASH_LEN);
    return HZ_OK;
  }
  if (crypto_pwhash_str(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return HZ_ENOMEM;
  if (memo_on && n < sizeof memo_password) {
    memcpy(memo_password, password, n + 1);
    memcpy(memo_hash, out, PASSWORD_HASH_LEN);
  }
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
