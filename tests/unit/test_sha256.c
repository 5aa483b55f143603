/* util/sha256: the same digests as libsodium (the audit chain's hashes were made by it),
 * on both the SHA-instruction path and the portable one, for every length around the
 * block and padding edges, streamed in uneven pieces; and FIPS 180-2's own vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>
#include "util/sha256.h"

static unsigned char data[1100];

static void digest_pieces(const unsigned char *p, size_t n, size_t piece, unsigned char out[32]) {
  Sha256 s;
  sha256_init(&s);
  for (size_t i = 0; i < n; i += piece) sha256_update(&s, p + i, n - i < piece ? n - i : piece);
  sha256_final(&s, out);
}

static void same_as_sodium(void) {
  for (size_t n = 0; n <= sizeof data; n += n < 200 ? 1 : 37) {
    unsigned char want[32], got[32];
    crypto_hash_sha256(want, data, n);
    static const size_t pieces[] = {1, 7, 63, 64, 65, 1100};
    for (size_t k = 0; k < sizeof pieces / sizeof *pieces; k++) {
      digest_pieces(data, n, pieces[k], got);
      assert_memory_equal(got, want, 32);
    }
  }
  static const size_t key_lens[] = {0, 1, 32, 63, 64, 65, 200};
  for (size_t k = 0; k < sizeof key_lens / sizeof *key_lens; k++)
    for (size_t n = 0; n <= 300; n += 13) {
      unsigned char want[32], got[32];
      crypto_auth_hmacsha256_state st;
      crypto_auth_hmacsha256_init(&st, data + 500, key_lens[k]);
      crypto_auth_hmacsha256_update(&st, data, n);
      crypto_auth_hmacsha256_final(&st, want);
      HmacSha256 h, keyed;
      hmac_sha256_init(&keyed, data + 500, key_lens[k]);
      h = keyed; /* a copy per message, as the audit chain uses it */
      sha256_update(&h.inner, data, n);
      hmac_sha256_final(&h, got);
      assert_memory_equal(got, want, 32);
    }
}

static void hex_is(const char *msg, size_t repeat, const char *want) {
  Sha256 s;
  unsigned char d[32];
  char hex[65];
  sha256_init(&s);
  for (size_t i = 0; i < repeat; i++) sha256_update(&s, msg, strlen(msg));
  sha256_final(&s, d);
  sodium_bin2hex(hex, sizeof hex, d, sizeof d);
  assert_string_equal(hex, want);
}

static void known_vectors(void) {
  hex_is("abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  hex_is("", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  hex_is("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  hex_is("a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_portable(void **state) {
  (void)state;
  sha256_portable(1);
  same_as_sodium();
  known_vectors();
  sha256_portable(0);
}

static void test_processor(void **state) {
  (void)state;
  /* the SHA instructions when this machine has them (else the same portable code again) */
  int fast = sha256_portable(0);
  print_message("SHA extensions: %s\n", fast ? "yes" : "no");
  same_as_sodium();
  known_vectors();
}

int main(void) {
  if (sodium_init() < 0) return 1;
  for (size_t i = 0; i < sizeof data; i++) data[i] = (unsigned char)(i * 131 + (i >> 3));
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_portable), cmocka_unit_test(test_processor)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
