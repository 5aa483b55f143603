/* SHA-256 (FIPS 180-4) and HMAC (RFC 2104) for the audit chain (sha256.h). */
#include "util/sha256.h"
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define HZ_SHA_X86 1
#endif

static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t ror(uint32_t x, int n) { return x >> n | x << (32 - n); }

/* n whole blocks of p into h, in plain C. */
static void blocks_c(uint32_t h[8], const unsigned char *p, size_t n) {
  for (; n--; p += 64) {
    uint32_t w[64], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 16; i++)
      w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
      uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ w[i - 15] >> 3;
      uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ w[i - 2] >> 10;
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    for (int i = 0; i < 64; i++) {
      uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
      uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
  }
}

#ifdef HZ_SHA_X86
/* The same with the SHA extensions (Intel's published sequence: the state kept as ABEF
 * and CDGH, four rounds per message group, the schedule by sha256msg1/msg2). */
__attribute__((target("sha,sse4.1,ssse3"))) static void blocks_x86(uint32_t h[8], const unsigned char *p, size_t n) {
  const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i tmp = _mm_loadu_si128((const __m128i *)&h[0]);
  __m128i st1 = _mm_loadu_si128((const __m128i *)&h[4]);
  tmp = _mm_shuffle_epi32(tmp, 0xB1);        /* CDAB */
  st1 = _mm_shuffle_epi32(st1, 0x1B);        /* EFGH */
  __m128i st0 = _mm_alignr_epi8(tmp, st1, 8); /* ABEF */
  st1 = _mm_blend_epi16(st1, tmp, 0xF0);     /* CDGH */
  for (; n--; p += 64) {
    __m128i abef = st0, cdgh = st1, w[4];
    for (int g = 0; g < 16; g++) {
      __m128i m;
      if (g < 4) {
        m = w[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), mask);
      } else {
        /* W[t..t+3] from the four groups before: w[g%4] holds W[t-16..t-13] */
        __m128i x0 = w[g & 3], x1 = w[(g + 1) & 3], x2 = w[(g + 2) & 3], x3 = w[(g + 3) & 3];
        m = _mm_add_epi32(_mm_sha256msg1_epu32(x0, x1), _mm_alignr_epi8(x3, x2, 4));
        m = w[g & 3] = _mm_sha256msg2_epu32(m, x3);
      }
      m = _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)&K[4 * g]));
      st1 = _mm_sha256rnds2_epu32(st1, st0, m);
      st0 = _mm_sha256rnds2_epu32(st0, st1, _mm_shuffle_epi32(m, 0x0E));
    }
    st0 = _mm_add_epi32(st0, abef);
    st1 = _mm_add_epi32(st1, cdgh);
  }
  tmp = _mm_shuffle_epi32(st0, 0x1B);    /* FEBA */
  st1 = _mm_shuffle_epi32(st1, 0xB1);    /* DCHG */
  st0 = _mm_blend_epi16(tmp, st1, 0xF0); /* DCBA */
  st1 = _mm_alignr_epi8(st1, tmp, 8);    /* ABEF */
  _mm_storeu_si128((__m128i *)&h[0], st0);
  _mm_storeu_si128((__m128i *)&h[4], st1);
}

static int has_sha_x86(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1)) return 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  return (b >> 29) & 1; /* SHA */
}
#endif

typedef void (*BlocksFn)(uint32_t h[8], const unsigned char *p, size_t n);
static BlocksFn blocks_fn;

static BlocksFn best(void) {
#ifdef HZ_SHA_X86
  if (has_sha_x86()) return blocks_x86;
#endif
  return blocks_c;
}

/* Chosen once; a benign race (every thread picks the same function). */
static BlocksFn blocks(void) {
  BlocksFn f = __atomic_load_n(&blocks_fn, __ATOMIC_RELAXED);
  if (!f) __atomic_store_n(&blocks_fn, f = best(), __ATOMIC_RELAXED);
  return f;
}

int sha256_portable(int force) {
  __atomic_store_n(&blocks_fn, force ? blocks_c : best(), __ATOMIC_RELAXED);
  return blocks() != blocks_c;
}

void sha256_init(Sha256 *s) {
  static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, iv, sizeof iv);
  s->bytes = 0;
  s->fill = 0;
}

void sha256_update(Sha256 *s, const void *data, size_t n) {
  const unsigned char *p = data;
  s->bytes += n;
  if (s->fill) {
    size_t take = 64 - s->fill < n ? 64 - s->fill : n;
    memcpy(s->buf + s->fill, p, take);
    s->fill += take, p += take, n -= take;
    if (s->fill < 64) return;
    blocks()(s->h, s->buf, 1);
    s->fill = 0;
  }
  if (n >= 64) {
    blocks()(s->h, p, n / 64);
    p += n / 64 * 64;
    n %= 64;
  }
  memcpy(s->buf, p, n);
  s->fill = n;
}

void sha256_final(Sha256 *s, unsigned char out[SHA256_BYTES]) {
  uint64_t bits = s->bytes * 8;
  unsigned char pad[72] = {0x80};
  size_t padn = (s->fill < 56 ? 56 : 120) - s->fill;
  for (int i = 0; i < 8; i++) pad[padn + i] = (unsigned char)(bits >> (56 - 8 * i));
  sha256_update(s, pad, padn + 8);
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 4; j++) out[4 * i + j] = (unsigned char)(s->h[i] >> (24 - 8 * j));
}

void hmac_sha256_init(HmacSha256 *h, const unsigned char *key, size_t n) {
  unsigned char k[64] = {0}, pad[64];
  if (n > 64) {
    Sha256 s;
    sha256_init(&s);
    sha256_update(&s, key, n);
    sha256_final(&s, k);
  } else if (n) {
    memcpy(k, key, n);
  }
  for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
  sha256_init(&h->inner);
  sha256_update(&h->inner, pad, 64);
  for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
  sha256_init(&h->outer);
  sha256_update(&h->outer, pad, 64);
  memset(k, 0, sizeof k);
  memset(pad, 0, sizeof pad);
}

void hmac_sha256_final(HmacSha256 *h, unsigned char out[SHA256_BYTES]) {
  unsigned char ih[SHA256_BYTES];
  sha256_final(&h->inner, ih);
  sha256_update(&h->outer, ih, sizeof ih);
  sha256_final(&h->outer, out);
}
