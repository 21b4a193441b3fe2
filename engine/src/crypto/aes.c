/*
** aes.c — the AES block cipher (FIPS-197) and GCM (NIST SP 800-38D) with a
** 96-bit nonce and a 128-bit tag.  AES-NI does the block encryptions when
** the CPU has it; otherwise the constant-time bitsliced AES of aes_ct.c.
** GHASH multiplies with masked integer multiplies (no secret-dependent
** branches or table indexes; see "portable GHASH"), or with PCLMULQDQ when
** the CPU has it; the counter mode then runs eight AES-NI blocks at a time
** and GHASH sums eight products per reduction.  crypto_have_avx/vaes say
** which wider instruction sets the AEGIS code (aegis.c) may use.
*/
#include <string.h>

#include "crypto/crypto_int.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CRYPTO_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

/* CRYPTO_HW_*: how much of the CPU's instruction set the ciphers may use. */
static int hardware_allowed = CRYPTO_HW_BEST;

int crypto_use_hardware(int on) {
  int was = hardware_allowed;
  hardware_allowed = on;
  return was;
}

/* __builtin_cpu_supports reads what the runtime detected at start-up: no
** state of ours, so no race between threads. */
int crypto_have_aesni(void) {
#ifdef CRYPTO_X86
  return hardware_allowed && __builtin_cpu_supports("aes") && __builtin_cpu_supports("sse4.1");
#else
  return 0;
#endif
}

int crypto_have_avx(void) {
#ifdef CRYPTO_X86
  return hardware_allowed == CRYPTO_HW_BEST && crypto_have_aesni() && __builtin_cpu_supports("avx");
#else
  return 0;
#endif
}

int crypto_have_vaes(void) {
#ifdef CRYPTO_X86
  /* VAES is CPUID leaf 7's ECX bit 9, read directly: not every compiler's
  ** __builtin_cpu_supports knows the name (clang 14 rejects it). */
  unsigned a, b, c, d;
  return crypto_have_avx() && __builtin_cpu_supports("avx2") && __get_cpuid_count(7, 0, &a, &b, &c, &d) &&
         (c & (1u << 9));
#else
  return 0;
#endif
}

int crypto_have_vaes512(void) {
#ifdef CRYPTO_X86
  return crypto_have_vaes() && __builtin_cpu_supports("avx512f");
#else
  return 0;
#endif
}

#ifdef CRYPTO_X86
static int have_clmul(void) {
  return crypto_have_aesni() && __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("ssse3");
}
#endif

static uint8_t xtime(uint8_t x) { return (uint8_t)((x << 1) ^ ((x >> 7) * 0x1b)); }

void aes_round(const uint8_t in[AES_BLOCK], const uint8_t rk[AES_BLOCK], uint8_t out[AES_BLOCK]) {
  aes_ct_round(in, rk, out, 1);
}

void aes_expand(const uint8_t *key, size_t key_len, uint8_t *rk, int *rounds) {
  int nk = (int)(key_len / 4), nr = nk + 6, total = 4 * (nr + 1);
  uint8_t rcon = 1;
  memcpy(rk, key, key_len);
  for (int i = nk; i < total; i++) {
    uint8_t t[4];
    memcpy(t, rk + 4 * (i - 1), 4);
    if (i % nk == 0) {
      uint8_t first = t[0];
      t[0] = t[1];
      t[1] = t[2];
      t[2] = t[3];
      t[3] = first;
      aes_ct_sub_word(t);
      t[0] ^= rcon;
      rcon = xtime(rcon);
    } else if (nk > 6 && i % nk == 4) {
      aes_ct_sub_word(t);
    }
    for (int j = 0; j < 4; j++) rk[4 * i + j] = rk[4 * (i - nk) + j] ^ t[j];
  }
  *rounds = nr;
}

#ifdef CRYPTO_X86
__attribute__((target("aes,sse4.1"))) static void aes_encrypt_block_ni(const uint8_t *rk, int rounds,
                                                                        const uint8_t *in, uint8_t *out) {
  __m128i s = _mm_xor_si128(_mm_loadu_si128((const __m128i *)in), _mm_loadu_si128((const __m128i *)rk));
  for (int r = 1; r < rounds; r++) s = _mm_aesenc_si128(s, _mm_loadu_si128((const __m128i *)(rk + 16 * r)));
  s = _mm_aesenclast_si128(s, _mm_loadu_si128((const __m128i *)(rk + 16 * rounds)));
  _mm_storeu_si128((__m128i *)out, s);
}
#endif

void aes_encrypt_block(const uint8_t *rk, int rounds, const uint8_t in[AES_BLOCK], uint8_t out[AES_BLOCK]) {
#ifdef CRYPTO_X86
  if (crypto_have_aesni()) {
    aes_encrypt_block_ni(rk, rounds, in, out);
    return;
  }
#endif
  aes_ct_encrypt(rk, rounds, in, out, 1);
}

/* ---- GCM ---------------------------------------------------------------------- */

static uint64_t get_be64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
  return v;
}

static void put_be64(uint8_t *p, uint64_t v) {
  for (int i = 7; i >= 0; i--) {
    p[i] = (uint8_t)v;
    v >>= 8;
  }
}

/* ---- portable GHASH ----------------------------------------------------------
**
** Carry-less multiplication with the CPU's integer multiplier, which runs in
** constant time on the targets we build for (x86-64, arm64, wasm's i64.mul
** on 64-bit hosts).  bmul64 keeps one bit in four of each operand (four
** masked parts of x and of y): the integer product of two such parts has
** its set bits only at positions of one residue class mod 4, and each of
** those "digits" counts at most 16 bit pairs, so below bit 60 a digit never
** reaches 16 and no carry crosses into the next digit of the class; the
** parity of a digit, its lowest bit, is the carry-less sum we want.  The
** four classes are masked out of the XOR of the matching products.  (The
** top digits may carry, but only past bit 63.)  That gives the low 64 bits
** of the 128-bit product; the high ones are the low bits of the product of
** the bit-reversed operands, reversed back.
**
** GCM's blocks are loaded big-endian, which makes them the bit-reflection
** of the polynomials they stand for (the first bit is x^0).  The product of
** two reflected 128-bit values is the reflection of the true product, one
** bit short: shifted left by one, its high half is the reflected low half
** of the true product and its low half the reflected high half.  Reducing
** modulo g = x^128 + x^7 + x^2 + x + 1 folds the high half H back:
** H * (1 + x + x^2 + x^7), whose few bits past x^127 are folded once more;
** in reflected form a multiplication by x^k is a right shift by k and the
** bits it pushes past x^127 are H's low bits shifted left by 128 - k.
**
** Four blocks share one reduction (Y ^ X1)·H^4 ^ X2·H^3 ^ X3·H^2 ^ X4·H:
** the unreduced products are added first, since reduction is linear. */

typedef struct Gf128 {
  uint64_t hi, lo;   /* big-endian halves, as loaded */
  uint64_t rhi, rlo; /* the halves bit-reversed */
} Gf128;

static uint64_t bmul64(uint64_t x, uint64_t y) {
  const uint64_t m0 = 0x1111111111111111ull, m1 = m0 << 1, m2 = m0 << 2, m3 = m0 << 3;
  uint64_t x0 = x & m0, x1 = x & m1, x2 = x & m2, x3 = x & m3;
  uint64_t y0 = y & m0, y1 = y & m1, y2 = y & m2, y3 = y & m3;
  uint64_t z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
  uint64_t z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
  uint64_t z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
  uint64_t z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
  return (z0 & m0) | (z1 & m1) | (z2 & m2) | (z3 & m3);
}

static uint64_t rev64(uint64_t x) {
  x = ((x >> 1) & 0x5555555555555555ull) | ((x & 0x5555555555555555ull) << 1);
  x = ((x >> 2) & 0x3333333333333333ull) | ((x & 0x3333333333333333ull) << 2);
  x = ((x >> 4) & 0x0f0f0f0f0f0f0f0full) | ((x & 0x0f0f0f0f0f0f0f0full) << 4);
  x = ((x >> 8) & 0x00ff00ff00ff00ffull) | ((x & 0x00ff00ff00ff00ffull) << 8);
  x = ((x >> 16) & 0x0000ffff0000ffffull) | ((x & 0x0000ffff0000ffffull) << 16);
  return (x >> 32) | (x << 32);
}

static Gf128 gf_load(uint64_t hi, uint64_t lo) {
  Gf128 g = {hi, lo, rev64(hi), rev64(lo)};
  return g;
}

/* c[0..3] (least significant word first) ^= the 255-bit carry-less
** product of a and b, by Karatsuba over 64-bit halves. */
static void gf_mul_add(uint64_t c[4], const Gf128 *a, const Gf128 *b) {
  uint64_t a2 = a->hi ^ a->lo, ra2 = a->rhi ^ a->rlo, b2 = b->hi ^ b->lo, rb2 = b->rhi ^ b->rlo;
  uint64_t l0 = bmul64(a->lo, b->lo), h0 = rev64(bmul64(a->rlo, b->rlo)) >> 1;
  uint64_t l1 = bmul64(a->hi, b->hi), h1 = rev64(bmul64(a->rhi, b->rhi)) >> 1;
  uint64_t l2 = bmul64(a2, b2) ^ l0 ^ l1, h2 = (rev64(bmul64(ra2, rb2)) >> 1) ^ h0 ^ h1;
  c[0] ^= l0;
  c[1] ^= h0 ^ l2;
  c[2] ^= l1 ^ h2;
  c[3] ^= h1;
}

/* The reduced value of an unreduced reflected product, as (hi, lo). */
static void gf_reduce(const uint64_t c[4], uint64_t *hi, uint64_t *lo) {
  /* the missing bit: the whole 256 bits one to the left */
  uint64_t w3 = c[3] << 1 | c[2] >> 63, w2 = c[2] << 1 | c[1] >> 63;
  uint64_t w1 = c[1] << 1 | c[0] >> 63, w0 = c[0] << 1;
  /* (w1:w0) is the reflected high half H; the bits of H·(x^7 + x^2) past
  ** x^127 first (H has no x^127 term, so H·x adds none) */
  w1 ^= (w0 << 62) ^ (w0 << 57);
  *hi = w3 ^ w1 ^ (w1 >> 1) ^ (w1 >> 2) ^ (w1 >> 7);
  *lo = w2 ^ w0 ^ (w0 >> 1 | w1 << 63) ^ (w0 >> 2 | w1 << 62) ^ (w0 >> 7 | w1 << 57);
}

typedef struct GhashKey {
  Gf128 pow[4]; /* H, H^2, H^3, H^4 */
} GhashKey;

static void ghash_key(const CryptoKey *k, GhashKey *g) {
  g->pow[0] = gf_load(k->h[0], k->h[1]);
  for (int i = 1; i < 4; i++) {
    uint64_t c[4] = {0, 0, 0, 0}, hi, lo;
    gf_mul_add(c, &g->pow[i - 1], &g->pow[0]);
    gf_reduce(c, &hi, &lo);
    g->pow[i] = gf_load(hi, lo);
  }
}

static void ghash_blocks(const GhashKey *g, uint64_t y[2], const uint8_t *p, size_t nblocks) {
  for (; nblocks >= 4; nblocks -= 4, p += 4 * AES_BLOCK) {
    uint64_t c[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; i++) {
      uint64_t hi = get_be64(p + AES_BLOCK * i), lo = get_be64(p + AES_BLOCK * i + 8);
      if (i == 0) hi ^= y[0], lo ^= y[1];
      Gf128 x = gf_load(hi, lo);
      gf_mul_add(c, &x, &g->pow[3 - i]);
    }
    gf_reduce(c, &y[0], &y[1]);
  }
  for (; nblocks > 0; nblocks--, p += AES_BLOCK) {
    uint64_t c[4] = {0, 0, 0, 0};
    Gf128 x = gf_load(y[0] ^ get_be64(p), y[1] ^ get_be64(p + 8));
    gf_mul_add(c, &x, &g->pow[0]);
    gf_reduce(c, &y[0], &y[1]);
  }
}

/* Whole blocks in place, then the last partial one padded with zeros. */
static void ghash_update(const GhashKey *g, uint64_t y[2], const uint8_t *p, size_t len) {
  ghash_blocks(g, y, p, len / AES_BLOCK);
  if (len % AES_BLOCK) {
    uint8_t block[AES_BLOCK] = {0};
    memcpy(block, p + len - len % AES_BLOCK, len % AES_BLOCK);
    ghash_blocks(g, y, block, 1);
  }
}

#define GCM_CT_BLOCKS 16 /* counter blocks the constant-time AES encrypts per call */

/* The counter-mode pass from counter block inc32(J0) (portable). */
static void gcm_ctr(const CryptoKey *k, const uint8_t *j0, uint8_t *buf, size_t len) {
  uint8_t cb[GCM_CT_BLOCKS * AES_BLOCK];
  uint32_t ctr = ((uint32_t)j0[12] << 24) | ((uint32_t)j0[13] << 16) | ((uint32_t)j0[14] << 8) | j0[15];
  for (size_t off = 0; off < len; off += sizeof cb) {
    size_t chunk = len - off < sizeof cb ? len - off : sizeof cb, nb = (chunk + AES_BLOCK - 1) / AES_BLOCK;
    for (size_t b = 0; b < nb; b++) {
      uint8_t *c = cb + AES_BLOCK * b;
      ctr++;
      memcpy(c, j0, 12);
      c[12] = (uint8_t)(ctr >> 24);
      c[13] = (uint8_t)(ctr >> 16);
      c[14] = (uint8_t)(ctr >> 8);
      c[15] = (uint8_t)ctr;
    }
    aes_ct_encrypt(k->rk, k->rounds, cb, cb, nb);
    for (size_t i = 0; i < chunk; i++) buf[off + i] ^= cb[i];
  }
}

static void gcm_tag(const CryptoKey *k, const uint8_t *j0, const uint8_t *ad, size_t ad_len, const uint8_t *ct,
                    size_t len, uint8_t tag[CRYPTO_TAG_SIZE]) {
  uint64_t y[2] = {0, 0};
  uint8_t lens[AES_BLOCK];
  GhashKey g;
  ghash_key(k, &g);
  ghash_update(&g, y, ad, ad_len);
  ghash_update(&g, y, ct, len);
  put_be64(lens, (uint64_t)ad_len * 8);
  put_be64(lens + 8, (uint64_t)len * 8);
  ghash_blocks(&g, y, lens, 1);
  uint8_t s[AES_BLOCK], e[AES_BLOCK];
  put_be64(s, y[0]);
  put_be64(s + 8, y[1]);
  aes_encrypt_block(k->rk, k->rounds, j0, e);
  for (int i = 0; i < CRYPTO_TAG_SIZE; i++) tag[i] = s[i] ^ e[i];
}

#ifdef CRYPTO_X86
#define GCM_NI __attribute__((target("aes,pclmul,ssse3,sse4.1")))
/* The loops over the blocks in flight must unroll, or their blocks live in
** memory and every round waits on a store and a load. */
#define GCM_UNROLL _Pragma("GCC unroll 8")

/* Products in GF(2^128) on blocks held byte-reversed (bit 127 = the first
** bit of the block as GCM reads it), in two steps so that a sum of products
** is reduced once: clmul_wide adds the 256-bit carry-less product x * h
** (four 64-bit multiplies) into (*hi:*lo); clmul_reduce shifts the sum left one
** bit (GCM's reflected bit order) and reduces it modulo
** x^128 + x^7 + x^2 + x + 1 by shifts (Intel's white paper on carry-less
** multiplication for GCM).  Both steps are linear, so reducing a sum equals
** summing the reduced products. */
GCM_NI static inline void clmul_wide(__m128i x, __m128i h, __m128i *lo, __m128i *hi) {
  __m128i mid = _mm_xor_si128(_mm_clmulepi64_si128(x, h, 0x10), _mm_clmulepi64_si128(x, h, 0x01));
  *lo = _mm_xor_si128(*lo, _mm_xor_si128(_mm_clmulepi64_si128(x, h, 0x00), _mm_slli_si128(mid, 8)));
  *hi = _mm_xor_si128(*hi, _mm_xor_si128(_mm_clmulepi64_si128(x, h, 0x11), _mm_srli_si128(mid, 8)));
}

GCM_NI static inline __m128i clmul_reduce(__m128i lo, __m128i hi) {
  /* (hi:lo) <<= 1 across the 256 bits */
  __m128i lo_carry = _mm_srli_epi32(lo, 31), hi_carry = _mm_srli_epi32(hi, 31);
  lo = _mm_slli_epi32(lo, 1);
  hi = _mm_slli_epi32(hi, 1);
  hi = _mm_or_si128(hi, _mm_srli_si128(lo_carry, 12));
  hi = _mm_or_si128(hi, _mm_slli_si128(hi_carry, 4));
  lo = _mm_or_si128(lo, _mm_slli_si128(lo_carry, 4));
  /* reduction, first phase: the low half times x^63 + x^62 + x^57 */
  __m128i a = _mm_xor_si128(_mm_xor_si128(_mm_slli_epi32(lo, 31), _mm_slli_epi32(lo, 30)), _mm_slli_epi32(lo, 25));
  __m128i spill = _mm_srli_si128(a, 4);
  lo = _mm_xor_si128(lo, _mm_slli_si128(a, 12));
  /* second phase */
  __m128i b = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi32(lo, 1), _mm_srli_epi32(lo, 2)), _mm_srli_epi32(lo, 7));
  b = _mm_xor_si128(b, spill);
  lo = _mm_xor_si128(lo, b);
  return _mm_xor_si128(hi, lo);
}

GCM_NI static __m128i clmul_gf(__m128i x, __m128i h) {
  __m128i lo = _mm_setzero_si128(), hi = _mm_setzero_si128();
  clmul_wide(x, h, &lo, &hi);
  return clmul_reduce(lo, hi);
}

/* hp[i] = H^(i+1), i < GHASH_WAYS; hk[i] the XOR of hp[i]'s two 64-bit
** halves (in its low half), for Karatsuba.  GHASH_WAYS blocks at a time are
** independent products, (y + x0)H^8 + x1 H^7 + ... + x7 H, each of three
** multiplies (Karatsuba: lo, hi and (x.hi + x.lo)(h.hi + h.lo) = mid + lo +
** hi), summed unreduced and reduced once: the multiplies overlap and the
** reduction, as costly as a product, is paid once per eight blocks. */
#define GHASH_WAYS 8
GCM_NI static __m128i ghash_ni(__m128i y, const __m128i hp[GHASH_WAYS], const __m128i hk[GHASH_WAYS],
                               const uint8_t *p, size_t len) {
  const __m128i rev = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m128i h = hp[0];
  for (; len >= GHASH_WAYS * AES_BLOCK; p += GHASH_WAYS * AES_BLOCK, len -= GHASH_WAYS * AES_BLOCK) {
    __m128i lo = _mm_setzero_si128(), hi = _mm_setzero_si128(), mid = _mm_setzero_si128();
    GCM_UNROLL
    for (int i = 0; i < GHASH_WAYS; i++) {
      __m128i x = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i)), rev);
      if (i == 0) x = _mm_xor_si128(x, y);
      const __m128i hh = hp[GHASH_WAYS - 1 - i];
      lo = _mm_xor_si128(lo, _mm_clmulepi64_si128(x, hh, 0x00));
      hi = _mm_xor_si128(hi, _mm_clmulepi64_si128(x, hh, 0x11));
      __m128i xk = _mm_xor_si128(x, _mm_shuffle_epi32(x, 0x4e));
      mid = _mm_xor_si128(mid, _mm_clmulepi64_si128(xk, hk[GHASH_WAYS - 1 - i], 0x00));
    }
    mid = _mm_xor_si128(mid, _mm_xor_si128(lo, hi));
    y = clmul_reduce(_mm_xor_si128(lo, _mm_slli_si128(mid, 8)), _mm_xor_si128(hi, _mm_srli_si128(mid, 8)));
  }
  while (len > 0) {
    uint8_t block[AES_BLOCK] = {0};
    size_t n = len < AES_BLOCK ? len : AES_BLOCK;
    const uint8_t *src = p;
    if (n < AES_BLOCK) {
      memcpy(block, p, n);
      src = block;
    }
    __m128i x = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)src), rev);
    y = clmul_gf(_mm_xor_si128(y, x), h);
    p += n;
    len -= n;
  }
  return y;
}

/* GCM's counter mode from inc32(J0) and its tag, AES-NI and PCLMULQDQ.
** dec: the tag is computed over buf before it is decrypted. */
GCM_NI static void gcm_ni(const CryptoKey *k, const uint8_t *j0, const uint8_t *ad, size_t ad_len, uint8_t *buf,
                          size_t len, uint8_t tag[CRYPTO_TAG_SIZE], int dec, int do_ctr, int do_tag) {
  const __m128i rev = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  __m128i rk[AES_MAX_ROUNDS + 1];
  for (int r = 0; r <= k->rounds; r++) rk[r] = _mm_loadu_si128((const __m128i *)(const void *)(k->rk + 16 * r));
  __m128i h[GHASH_WAYS], hk[GHASH_WAYS];
  h[0] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)k->h_bytes), rev);
  if (do_tag)
    for (int i = 0; i < GHASH_WAYS; i++) {
      if (i > 0) h[i] = clmul_gf(h[i - 1], h[0]);
      hk[i] = _mm_xor_si128(h[i], _mm_shuffle_epi32(h[i], 0x4e));
    }
  __m128i y = _mm_setzero_si128();
  if (do_tag) {
    y = ghash_ni(y, h, hk, ad, ad_len);
    if (dec) y = ghash_ni(y, h, hk, buf, len);
  }
  if (do_ctr) {
    uint32_t ctr = ((uint32_t)j0[12] << 24) | ((uint32_t)j0[13] << 16) | ((uint32_t)j0[14] << 8) | j0[15];
    /* The counter block as a byte-reversed integer: the 32-bit counter is
    ** its low lane, so each block's counter is an add (inc32 wraps within
    ** it).  CTR_WAYS blocks go through the rounds together: AESENC's
    ** latency is several times its issue interval, so one block at a time
    ** would leave the unit idle. */
    const __m128i base = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)j0), rev);
    const __m128i hi = _mm_andnot_si128(_mm_set_epi32(0, 0, 0, -1), base);
    enum { CTR_WAYS = 8 };
    for (size_t off = 0; off < len; off += CTR_WAYS * AES_BLOCK) {
      __m128i s[CTR_WAYS];
      GCM_UNROLL
      for (int b = 0; b < CTR_WAYS; b++)
        s[b] = _mm_xor_si128(_mm_shuffle_epi8(_mm_or_si128(hi, _mm_set_epi32(0, 0, 0, (int)(ctr + 1 + (uint32_t)b))), rev),
                             rk[0]);
      ctr += CTR_WAYS;
      for (int r = 1; r < k->rounds; r++) {
        GCM_UNROLL
        for (int b = 0; b < CTR_WAYS; b++) s[b] = _mm_aesenc_si128(s[b], rk[r]);
      }
      GCM_UNROLL
      for (int b = 0; b < CTR_WAYS; b++) s[b] = _mm_aesenclast_si128(s[b], rk[k->rounds]);
      if (len - off >= CTR_WAYS * AES_BLOCK) {
        GCM_UNROLL
        for (int b = 0; b < CTR_WAYS; b++) {
          __m128i *q = (__m128i *)(void *)(buf + off + (size_t)b * AES_BLOCK);
          _mm_storeu_si128(q, _mm_xor_si128(_mm_loadu_si128(q), s[b]));
        }
        continue;
      }
      for (int b = 0; b < CTR_WAYS; b++) {
        size_t at = off + (size_t)b * AES_BLOCK;
        if (at >= len) break;
        size_t n = len - at < AES_BLOCK ? len - at : AES_BLOCK;
        uint8_t ks[AES_BLOCK];
        _mm_storeu_si128((__m128i *)(void *)ks, s[b]);
        for (size_t i = 0; i < n; i++) buf[at + i] ^= ks[i];
      }
    }
  }
  if (!do_tag) return;
  if (!dec) y = ghash_ni(y, h, hk, buf, len);
  uint8_t lens[AES_BLOCK];
  put_be64(lens, (uint64_t)ad_len * 8);
  put_be64(lens + 8, (uint64_t)len * 8);
  y = ghash_ni(y, h, hk, lens, AES_BLOCK);
  __m128i e = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)j0), rk[0]);
  for (int r = 1; r < k->rounds; r++) e = _mm_aesenc_si128(e, rk[r]);
  e = _mm_aesenclast_si128(e, rk[k->rounds]);
  _mm_storeu_si128((__m128i *)(void *)tag, _mm_xor_si128(_mm_shuffle_epi8(y, rev), e));
}
#endif

static void gcm_j0(const uint8_t *nonce, uint8_t j0[AES_BLOCK]) {
  memcpy(j0, nonce, 12);
  j0[12] = j0[13] = j0[14] = 0;
  j0[15] = 1;
}

void gcm_encrypt(const CryptoKey *k, const uint8_t *nonce, const uint8_t *ad, size_t ad_len, uint8_t *buf,
                 size_t len, uint8_t tag[CRYPTO_TAG_SIZE]) {
  uint8_t j0[AES_BLOCK];
  gcm_j0(nonce, j0);
#ifdef CRYPTO_X86
  if (have_clmul()) {
    gcm_ni(k, j0, ad, ad_len, buf, len, tag, 0, 1, 1);
    return;
  }
#endif
  gcm_ctr(k, j0, buf, len);
  gcm_tag(k, j0, ad, ad_len, buf, len, tag);
}

int gcm_decrypt(const CryptoKey *k, const uint8_t *nonce, const uint8_t *ad, size_t ad_len, uint8_t *buf, size_t len,
                const uint8_t tag[CRYPTO_TAG_SIZE]) {
  uint8_t j0[AES_BLOCK], want[CRYPTO_TAG_SIZE];
  gcm_j0(nonce, j0);
#ifdef CRYPTO_X86
  int ni = have_clmul();
  if (ni) gcm_ni(k, j0, ad, ad_len, buf, len, want, 1, 0, 1);
  else
#endif
    gcm_tag(k, j0, ad, ad_len, buf, len, want);
  if (crypto_memdiff(want, tag, CRYPTO_TAG_SIZE) != 0) {
    memset(buf, 0, len);
    return -1;
  }
#ifdef CRYPTO_X86
  if (ni) {
    gcm_ni(k, j0, ad, ad_len, buf, len, want, 1, 1, 0);
    return 0;
  }
#endif
  gcm_ctr(k, j0, buf, len);
  return 0;
}
