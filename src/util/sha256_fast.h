/* SHA-256 on libsodium's state with the CPU's SHA extensions (x86 SHA-NI) when it has them,
 * else libsodium itself: the same bytes, 5-10 times faster. The audit chain hashes about a
 * kilobyte per entry (an import: a million entries), and libsodium's portable code spends
 * more on that than the entry's insert does. The state is libsodium's
 * (crypto_hash_sha256_state, its count in bits), so a state made by
 * crypto_auth_hmacsha256_init goes on here and back. Nothing to free. */
#ifndef HZ_SHA256_FAST_H
#define HZ_SHA256_FAST_H
#include <sodium.h>
#include <stddef.h>

/* 1 when the SHA extensions are used (tests compare both paths). */
int sha256_fast_available(void);
/* Tests only: 0 makes every call take libsodium's path. */
void sha256_fast_enable(int on);
void sha256_fast_update(crypto_hash_sha256_state *st, const void *data, size_t n);
void sha256_fast_final(crypto_hash_sha256_state *st, unsigned char out[crypto_hash_sha256_BYTES]);
/* HMAC-SHA-256 of n bytes, continuing from a keyed state (crypto_auth_hmacsha256_init);
 * *keyed is not changed. */
void sha256_fast_hmac(const crypto_auth_hmacsha256_state *keyed, const void *data, size_t n,
                      unsigned char out[crypto_auth_hmacsha256_BYTES]);
#endif
