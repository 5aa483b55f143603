/* SHA-256 and HMAC-SHA-256 for the audit chain, streamed, with the x86 SHA extensions
 * when the processor has them (checked once at run time) and plain C otherwise. Same
 * digests as libsodium's crypto_hash_sha256 / crypto_auth_hmacsha256 (tests/unit/
 * test_sha256.c compares them); every audited write hashes its ~1 KB entry, where the
 * SHA instructions take a tenth of the portable code's time. Nothing to free. */
#ifndef HZ_SHA256_H
#define HZ_SHA256_H
#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32

typedef struct {
  uint32_t h[8];
  uint64_t bytes;          /* hashed so far */
  unsigned char buf[64];   /* a partial block */
  size_t fill;             /* bytes in buf */
} Sha256;

void sha256_init(Sha256 *s);
void sha256_update(Sha256 *s, const void *data, size_t n);
void sha256_final(Sha256 *s, unsigned char out[SHA256_BYTES]);

/* HMAC: init with the key once, copy the struct for each message, update .inner, final. */
typedef struct {
  Sha256 inner, outer;
} HmacSha256;

void hmac_sha256_init(HmacSha256 *h, const unsigned char *key, size_t n);
void hmac_sha256_final(HmacSha256 *h, unsigned char out[SHA256_BYTES]);

/* For tests: 1 forces the portable code, 0 goes back to the processor's best. Returns
 * whether the SHA extensions are in use now. */
int sha256_portable(int force);

#endif
