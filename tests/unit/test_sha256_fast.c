/* util/sha256_fast.c: SHA-256 and HMAC-SHA-256 with the CPU's SHA extensions give
 * libsodium's bytes, for every length around the block and padding boundaries, fed whole
 * and in uneven pieces, and from a keyed HMAC state as the audit chain uses it. The
 * expected values come from libsodium's own one-shot functions, and one from
 * `printf abc | sha256sum`. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>
#include "util/sha256_fast.h"

static unsigned char data[1200];

static void fill(void) {
  for (size_t i = 0; i < sizeof data; i++) data[i] = (unsigned char)(i * 131 + (i >> 3) * 7 + 1);
}

static void hex(const unsigned char *h, char out[65]) { sodium_bin2hex(out, 65, h, 32); }

/* The digest of data[0..n) fed in pieces of `step` bytes (0: whole). */
static void fast_digest(size_t n, size_t step, unsigned char out[32]) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  for (size_t at = 0; at < n;) {
    size_t k = step && n - at > step ? step : n - at;
    sha256_fast_update(&st, data + at, k);
    at += k;
  }
  sha256_fast_final(&st, out);
}

static void test_known_value(void **state) {
  (void)state;
  crypto_hash_sha256_state st;
  unsigned char h[32];
  char got[65];
  crypto_hash_sha256_init(&st);
  sha256_fast_update(&st, "abc", 3);
  sha256_fast_final(&st, h);
  hex(h, got);
  assert_string_equal(got, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_every_length(void **state) {
  (void)state;
  static const size_t steps[] = {0, 1, 7, 63, 64, 65, 200};
  for (size_t n = 0; n <= sizeof data; n += n < 200 ? 1 : 37) {
    unsigned char want[32], got[32];
    crypto_hash_sha256(want, data, n);
    for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
      fast_digest(n, steps[s], got);
      if (memcmp(want, got, 32)) fail_msg("length %zu, pieces of %zu: digests differ", n, steps[s]);
    }
  }
}

static void test_hmac(void **state) {
  (void)state;
  unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
  for (size_t i = 0; i < sizeof key; i++) key[i] = (unsigned char)(200 - i);
  crypto_auth_hmacsha256_state keyed;
  crypto_auth_hmacsha256_init(&keyed, key, sizeof key);
  for (size_t n = 0; n <= sizeof data; n += n < 130 ? 1 : 53) {
    unsigned char want[32], got[32];
    crypto_auth_hmacsha256_state st = keyed;
    crypto_auth_hmacsha256_update(&st, data, n);
    crypto_auth_hmacsha256_final(&st, want);
    sha256_fast_hmac(&keyed, data, n, got);
    if (memcmp(want, got, 32)) fail_msg("HMAC of %zu bytes differs", n);
  }
  /* the keyed state is left as it was: the next entry starts from the same key */
  unsigned char a[32], b[32];
  sha256_fast_hmac(&keyed, data, 100, a);
  sha256_fast_hmac(&keyed, data, 100, b);
  assert_memory_equal(a, b, 32);
}

/* Without the extensions (or on a CPU without them) the same answers, from libsodium. */
static void test_fallback(void **state) {
  (void)state;
  sha256_fast_enable(0);
  assert_int_equal(sha256_fast_available(), 0);
  unsigned char want[32], got[32];
  crypto_hash_sha256(want, data, 777);
  fast_digest(777, 100, got);
  sha256_fast_enable(1);
  assert_memory_equal(want, got, 32);
}

int main(void) {
  if (sodium_init() < 0) return 1;
  fill();
  /* This machine's CPU (the bench's) has them; elsewhere only the fallback is tested. */
  print_message("SHA extensions: %s\n", sha256_fast_available() ? "used" : "not available");
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_known_value),
    cmocka_unit_test(test_every_length),
    cmocka_unit_test(test_hmac),
    cmocka_unit_test(test_fallback),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
