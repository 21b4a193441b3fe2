/*
** aegis.c — the AEGIS family (CFRG AEGIS draft): AEGIS-128L, AEGIS-128X2/X4,
** AEGIS-256, AEGIS-256X2/X4 with 128-bit tags.  aegis_impl.h holds the
** algorithm once; it is instantiated here over portable byte blocks and,
** on x86-64, over AES-NI registers (SSE and AVX encodings) and VAES
** registers of two or four lanes for the X2/X4 ciphers, chosen at run time
** by what the CPU has.  The portable blocks hand each update's rounds to the
** constant-time AES as one batch.
*/
#include <string.h>

#include "crypto/crypto_int.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CRYPTO_X86 1
#include <immintrin.h>
#endif

/* The draft's constants C0 (Fibonacci numbers mod 256) and C1. */
static const uint8_t aegis_c0[16] = {0x00, 0x01, 0x01, 0x02, 0x03, 0x05, 0x08, 0x0d,
                                     0x15, 0x22, 0x37, 0x59, 0x90, 0xe9, 0x79, 0x62};
static const uint8_t aegis_c1[16] = {0xdb, 0x3d, 0x18, 0x55, 0x6d, 0xc2, 0x2f, 0xf1,
                                     0x20, 0x11, 0x31, 0x42, 0x73, 0xb5, 0x28, 0xdd};

static void put_le64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) {
    p[i] = (uint8_t)v;
    v >>= 8;
  }
}

#define AEGIS_INLINE static inline __attribute__((always_inline))

/* The context block of lane `lane` among n (the draft's ctx: the lane's
** index and n - 1 in its first two bytes). */
static inline void aegis_ctx_bytes(uint8_t c[16], int lane, int n) {
  memset(c, 0, 16);
  c[0] = (uint8_t)lane;
  c[1] = (uint8_t)(n - 1);
}

/* ---- portable blocks ------------------------------------------------------------ */
typedef struct PBlk {
  uint8_t b[16];
} PBlk;

static inline PBlk pblk_load(const uint8_t *p) {
  PBlk r;
  memcpy(r.b, p, 16);
  return r;
}
static inline void pblk_store(uint8_t *p, PBlk x) { memcpy(p, x.b, 16); }
static inline PBlk pblk_ctx(int lane, int n) {
  PBlk r;
  aegis_ctx_bytes(r.b, lane, n);
  return r;
}
static inline PBlk pblk_xor(PBlk a, PBlk b) {
  for (int i = 0; i < 16; i++) a.b[i] ^= b.b[i];
  return a;
}
static inline PBlk pblk_and(PBlk a, PBlk b) {
  for (int i = 0; i < 16; i++) a.b[i] &= b.b[i];
  return a;
}
static inline PBlk pblk_round(PBlk in, PBlk rk) {
  PBlk r;
  aes_round(in.b, rk.b, r.b);
  return r;
}
/* All of an update's rounds are independent: one bitsliced batch. */
static inline void pblk_rounds(PBlk *io, const PBlk *rk, int n) {
  aes_ct_round(io[0].b, rk[0].b, io[0].b, (size_t)n);
}

#define BLK PBlk
#define BLK_BYTES 16
#define BLK_LOAD(p) pblk_load(p)
#define BLK_BCAST(p) pblk_load(p)
#define BLK_CTX(i, n) pblk_ctx(i, n)
#define BLK_STORE(p, x) pblk_store(p, x)
#define BLK_STORE_FOLD(p, x) pblk_store(p, x)
#define BLK_XOR(a, b) pblk_xor(a, b)
#define BLK_AND(a, b) pblk_and(a, b)
#define BLK_ROUND(in, rk) pblk_round(in, rk)
#define BLK_ROUNDS(io, rk, n) pblk_rounds(io, rk, n)
#define AEGIS_FN(name) portable_##name
#define AEGIS_ATTR
#include "crypto/aegis_impl.h"
#undef BLK
#undef BLK_BYTES
#undef BLK_LOAD
#undef BLK_BCAST
#undef BLK_CTX
#undef BLK_STORE
#undef BLK_STORE_FOLD
#undef BLK_XOR
#undef BLK_AND
#undef BLK_ROUND
#undef BLK_ROUNDS
#undef AEGIS_FN
#undef AEGIS_ATTR

/* ---- AES-NI blocks ---------------------------------------------------------------- */
#ifdef CRYPTO_X86
static inline __m128i ni_ctx(int lane, int n) {
  uint8_t c[16];
  aegis_ctx_bytes(c, lane, n);
  return _mm_loadu_si128((const __m128i *)(const void *)c);
}
#define BLK __m128i
#define BLK_BYTES 16
#define BLK_LOAD(p) _mm_loadu_si128((const __m128i *)(const void *)(p))
#define BLK_BCAST(p) BLK_LOAD(p)
#define BLK_CTX(i, n) ni_ctx(i, n)
#define BLK_STORE(p, x) _mm_storeu_si128((__m128i *)(void *)(p), x)
#define BLK_STORE_FOLD(p, x) BLK_STORE(p, x)
#define BLK_XOR(a, b) _mm_xor_si128(a, b)
#define BLK_AND(a, b) _mm_and_si128(a, b)
#define BLK_ROUND(in, rk) _mm_aesenc_si128(in, rk)
#define AEGIS_FN(name) ni_##name
#define AEGIS_ATTR __attribute__((target("aes,sse4.1")))
#include "crypto/aegis_impl.h"
/* The same code again for CPUs with AVX: its three-operand encodings drop
** the register copies that AESENC's two-operand form needs to rotate the
** state, a fifth of the instructions of an update (AEGIS-256: 5.7 → 8+ GB/s
** on a 4 KiB page, bench/crypt_cipher.c). */
#undef AEGIS_FN
#undef AEGIS_ATTR
#define AEGIS_FN(name) avx_##name
#define AEGIS_ATTR __attribute__((target("aes,avx")))
#include "crypto/aegis_impl.h"
#undef BLK
#undef BLK_BYTES
#undef BLK_LOAD
#undef BLK_BCAST
#undef BLK_CTX
#undef BLK_STORE
#undef BLK_STORE_FOLD
#undef BLK_XOR
#undef BLK_AND
#undef BLK_ROUND
#undef AEGIS_FN
#undef AEGIS_ATTR

/* ---- VAES blocks: two lanes in one 256-bit register --------------------------------
** AEGIS-128X2/X4 and AEGIS-256X2/X4 were made for these: one VAESENC runs
** the round of two lanes, so X2 costs what the one-lane cipher costs per
** update and moves twice the bytes. */
#define VAES_ATTR __attribute__((target("vaes,avx2,aes")))
VAES_ATTR static inline __m256i vaes_ctx(int i, int n) {
  uint8_t c[32];
  aegis_ctx_bytes(c, 2 * i, n);
  aegis_ctx_bytes(c + 16, 2 * i + 1, n);
  return _mm256_loadu_si256((const __m256i *)(const void *)c);
}
VAES_ATTR static inline void vaes_store_fold(uint8_t *p, __m256i x) {
  _mm_storeu_si128((__m128i *)(void *)p, _mm_xor_si128(_mm256_castsi256_si128(x), _mm256_extracti128_si256(x, 1)));
}
#define BLK __m256i
#define BLK_BYTES 32
#define BLK_LOAD(p) _mm256_loadu_si256((const __m256i *)(const void *)(p))
#define BLK_BCAST(p) _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)(p)))
#define BLK_CTX(i, n) vaes_ctx(i, n)
#define BLK_STORE(p, x) _mm256_storeu_si256((__m256i *)(void *)(p), x)
#define BLK_STORE_FOLD(p, x) vaes_store_fold(p, x)
#define BLK_XOR(a, b) _mm256_xor_si256(a, b)
#define BLK_AND(a, b) _mm256_and_si256(a, b)
#define BLK_ROUND(in, rk) _mm256_aesenc_epi128(in, rk)
#define AEGIS_FN(name) vaes_##name
#define AEGIS_ATTR VAES_ATTR
#include "crypto/aegis_impl.h"
#undef BLK
#undef BLK_BYTES
#undef BLK_LOAD
#undef BLK_BCAST
#undef BLK_CTX
#undef BLK_STORE
#undef BLK_STORE_FOLD
#undef BLK_XOR
#undef BLK_AND
#undef BLK_ROUND
#undef AEGIS_FN
#undef AEGIS_ATTR

/* ---- VAES blocks of four lanes (AVX-512) ----------------------------------------
** X4 in 256-bit blocks is two blocks per state word, 16 registers for
** AEGIS-128X4's state alone: they spill.  AVX-512 holds a word in one
** register (and has 32). */
#define VAES512_ATTR __attribute__((target("vaes,avx512f,avx2,aes")))
VAES512_ATTR static inline __m512i vaes512_ctx(int i, int n) {
  uint8_t c[64];
  for (int j = 0; j < 4; j++) aegis_ctx_bytes(c + 16 * j, 4 * i + j, n);
  return _mm512_loadu_si512((const void *)c);
}
VAES512_ATTR static inline void vaes512_store_fold(uint8_t *p, __m512i x) {
  __m256i h = _mm256_xor_si256(_mm512_castsi512_si256(x), _mm512_extracti64x4_epi64(x, 1));
  _mm_storeu_si128((__m128i *)(void *)p, _mm_xor_si128(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1)));
}
#define BLK __m512i
#define BLK_BYTES 64
#define BLK_LOAD(p) _mm512_loadu_si512((const void *)(p))
#define BLK_BCAST(p) _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(const void *)(p)))
#define BLK_CTX(i, n) vaes512_ctx(i, n)
#define BLK_STORE(p, x) _mm512_storeu_si512((void *)(p), x)
#define BLK_STORE_FOLD(p, x) vaes512_store_fold(p, x)
#define BLK_XOR(a, b) _mm512_xor_si512(a, b)
#define BLK_AND(a, b) _mm512_and_si512(a, b)
#define BLK_ROUND(in, rk) _mm512_aesenc_epi128(in, rk)
#define AEGIS_FN(name) vaes512_##name
#define AEGIS_ATTR VAES512_ATTR
#include "crypto/aegis_impl.h"
#endif

static void aead128(int d, const uint8_t *key, const uint8_t *nonce, const uint8_t *ad, size_t ad_len, uint8_t *buf,
                    size_t len, uint8_t *tag, int dec) {
#ifdef CRYPTO_X86
  if (d == 4 && crypto_have_vaes512()) {
    vaes512_aead128_lanes(d, key, nonce, ad, ad_len, buf, len, tag, dec);
    return;
  }
  if (d > 1 && crypto_have_vaes()) {
    vaes_aead128_lanes(d, key, nonce, ad, ad_len, buf, len, tag, dec);
    return;
  }
  if (crypto_have_avx()) {
    avx_aead128_lanes(d, key, nonce, ad, ad_len, buf, len, tag, dec);
    return;
  }
  if (crypto_have_aesni()) {
    ni_aead128_lanes(d, key, nonce, ad, ad_len, buf, len, tag, dec);
    return;
  }
#endif
  portable_aead128_lanes(d, key, nonce, ad, ad_len, buf, len, tag, dec);
}

static void aead256(int d, const uint8_t *key, const uint8_t *nonce, const uint8_t *ad, size_t ad_len, uint8_t *buf,
                    size_t len, uint8_t *tag, int dec) {
#ifdef CRYPTO_X86
  if (d == 4 && crypto_have_vaes512()) {
    vaes512_aead256_lanes(d, key, nonce, ad, ad_len, buf, len, tag, dec);
    return;
  }
  if (d > 1 && crypto_have_vaes()) {
    vaes_aead256_lanes(d, key, nonce, ad, ad_len, buf, len, tag, dec);
    return;
  }
  if (crypto_have_avx()) {
    avx_aead256_lanes(d, key, nonce, ad, ad_len, buf, len, tag, dec);
    return;
  }
  if (crypto_have_aesni()) {
    ni_aead256_lanes(d, key, nonce, ad, ad_len, buf, len, tag, dec);
    return;
  }
#endif
  portable_aead256_lanes(d, key, nonce, ad, ad_len, buf, len, tag, dec);
}

void aegis128x_encrypt(int lanes, const uint8_t *key, const uint8_t *nonce, const uint8_t *ad, size_t ad_len,
                       uint8_t *buf, size_t len, uint8_t tag[CRYPTO_TAG_SIZE]) {
  aead128(lanes, key, nonce, ad, ad_len, buf, len, tag, 0);
}
void aegis128x_decrypt(int lanes, const uint8_t *key, const uint8_t *nonce, const uint8_t *ad, size_t ad_len,
                       uint8_t *buf, size_t len, uint8_t tag_out[CRYPTO_TAG_SIZE]) {
  aead128(lanes, key, nonce, ad, ad_len, buf, len, tag_out, 1);
}
void aegis256x_encrypt(int lanes, const uint8_t *key, const uint8_t *nonce, const uint8_t *ad, size_t ad_len,
                       uint8_t *buf, size_t len, uint8_t tag[CRYPTO_TAG_SIZE]) {
  aead256(lanes, key, nonce, ad, ad_len, buf, len, tag, 0);
}
void aegis256x_decrypt(int lanes, const uint8_t *key, const uint8_t *nonce, const uint8_t *ad, size_t ad_len,
                       uint8_t *buf, size_t len, uint8_t tag_out[CRYPTO_TAG_SIZE]) {
  aead256(lanes, key, nonce, ad, ad_len, buf, len, tag_out, 1);
}
