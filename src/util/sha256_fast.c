/* SHA-256 with x86 SHA-NI on libsodium's state (sha256_fast.h). The block function is
 * the well-known SHA-NI sequence (Intel's white paper "New Instructions Supporting the
 * Secure Hash Algorithm on Intel Architecture Processors", 2013). */
#include "util/sha256_fast.h"
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_SHANI_CODE 1

static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/* Compresses n 64-byte blocks into state[8]. */
__attribute__((target("sha,sse4.1,ssse3"))) static void blocks_ni(uint32_t state[8], const uint8_t *p, size_t n) {
  const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);
  __m128i s1 = _mm_loadu_si128((const __m128i *)&state[4]);
  tmp = _mm_shuffle_epi32(tmp, 0xB1);         /* CDAB */
  s1 = _mm_shuffle_epi32(s1, 0x1B);           /* EFGH */
  __m128i s0 = _mm_alignr_epi8(tmp, s1, 8);   /* ABEF */
  s1 = _mm_blend_epi16(s1, tmp, 0xF0);        /* CDGH */
  while (n--) {
    __m128i abef = s0, cdgh = s1, msg, m[4];
    for (int i = 0; i < 4; i++) m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), mask);
    for (int r = 0; r < 16; r++) {
      __m128i w = m[r & 3];
      msg = _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)&K[4 * r]));
      s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
      if (r < 12) {
        /* the schedule: the word 4 groups on, from this group and the three after */
        __m128i next = m[(r + 1) & 3], x3 = m[(r + 3) & 3];
        __m128i t = _mm_sha256msg1_epu32(w, next);
        t = _mm_add_epi32(t, _mm_alignr_epi8(x3, m[(r + 2) & 3], 4));
        m[r & 3] = _mm_sha256msg2_epu32(t, x3);
      }
      msg = _mm_shuffle_epi32(msg, 0x0E);
      s0 = _mm_sha256rnds2_epu32(s0, s1, msg);
    }
    s0 = _mm_add_epi32(s0, abef);
    s1 = _mm_add_epi32(s1, cdgh);
    p += 64;
  }
  tmp = _mm_shuffle_epi32(s0, 0x1B);          /* FEBA */
  s1 = _mm_shuffle_epi32(s1, 0xB1);           /* DCHG */
  s0 = _mm_blend_epi16(tmp, s1, 0xF0);        /* DCBA */
  s1 = _mm_alignr_epi8(s1, tmp, 8);           /* ABEF */
  _mm_storeu_si128((__m128i *)&state[0], s0);
  _mm_storeu_si128((__m128i *)&state[4], s1);
}
#endif

static int enabled = 1;

int sha256_fast_available(void) {
#ifdef HAVE_SHANI_CODE
  static int have = -1;
  if (have < 0) {
    __builtin_cpu_init();
    have = __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("ssse3");
  }
  return have && enabled;
#else
  return 0;
#endif
}

void sha256_fast_enable(int on) { enabled = on; }

void sha256_fast_update(crypto_hash_sha256_state *st, const void *data, size_t n) {
#ifdef HAVE_SHANI_CODE
  if (sha256_fast_available()) {
    const uint8_t *p = data;
    size_t have = (size_t)(st->count >> 3) & 63;
    st->count += (uint64_t)n << 3;
    if (have) {
      size_t take = 64 - have < n ? 64 - have : n;
      memcpy(st->buf + have, p, take);
      p += take, n -= take, have += take;
      if (have < 64) return;
      blocks_ni(st->state, st->buf, 1);
    }
    if (n >= 64) {
      blocks_ni(st->state, p, n / 64);
      p += n & ~(size_t)63;
      n &= 63;
    }
    if (n) memcpy(st->buf, p, n);
    return;
  }
#endif
  crypto_hash_sha256_update(st, data, n);
}

void sha256_fast_final(crypto_hash_sha256_state *st, unsigned char out[crypto_hash_sha256_BYTES]) {
#ifdef HAVE_SHANI_CODE
  if (sha256_fast_available()) {
    uint64_t bits = st->count;
    uint8_t pad[72] = {0x80}, len[8];
    size_t have = (size_t)(bits >> 3) & 63, padn = have < 56 ? 56 - have : 120 - have;
    for (int i = 0; i < 8; i++) len[i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_fast_update(st, pad, padn);
    sha256_fast_update(st, len, 8);
    for (int i = 0; i < 8; i++) {
      out[4 * i] = (unsigned char)(st->state[i] >> 24);
      out[4 * i + 1] = (unsigned char)(st->state[i] >> 16);
      out[4 * i + 2] = (unsigned char)(st->state[i] >> 8);
      out[4 * i + 3] = (unsigned char)st->state[i];
    }
    sodium_memzero(st, sizeof *st);
    return;
  }
#endif
  crypto_hash_sha256_final(st, out);
}

void sha256_fast_hmac(const crypto_auth_hmacsha256_state *keyed, const void *data, size_t n,
                      unsigned char out[crypto_auth_hmacsha256_BYTES]) {
  crypto_auth_hmacsha256_state st = *keyed;
  unsigned char inner[crypto_hash_sha256_BYTES];
  sha256_fast_update(&st.ictx, data, n);
  sha256_fast_final(&st.ictx, inner);
  sha256_fast_update(&st.octx, inner, sizeof inner);
  sha256_fast_final(&st.octx, out);
  sodium_memzero(&st, sizeof st);
  sodium_memzero(inner, sizeof inner);
}
