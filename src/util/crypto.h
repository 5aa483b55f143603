/* Password hashing (Argon2id), random tokens and digests, all by libsodium. */
#ifndef HZ_CRYPTO_H
#define HZ_CRYPTO_H
#include <stddef.h>

#define PASSWORD_HASH_LEN 128  /* crypto_pwhash_STRBYTES */
#define TOKEN_LEN 44           /* 32 random bytes, base64url, no padding, + NUL */
#define SHA256_HEX_LEN 65

int crypto_setup(void); /* once at start; HZ_OK or HZ_EIO */
int password_hash(const char *password, char out[PASSWORD_HASH_LEN]);
/* On (1) for the calling thread only, password_hash gives the same salted hash again for
 * the password it hashed last instead of a new one; off (0) forgets it. For the demo city,
 * whose 134 accounts share one published password: one Argon2id run instead of 134 (they
 * were two thirds of `huizhan demo`). Never on for passwords people choose. */
void password_hash_reuse(int on);
int password_verify(const char *hash, const char *password); /* 1 when it matches */
void token_random(char out[TOKEN_LEN]);
void sha256_hex(const void *data, size_t n, char out[SHA256_HEX_LEN]);
int secure_equal(const char *a, const char *b); /* constant time for equal lengths */

#endif
