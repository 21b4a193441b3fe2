/*
** aegis.c — the AEGIS family (CFRG AEGIS draft): AEGIS-128L, AEGIS-128X2/X4,
** AEGIS-256, AEGIS-256X2/X4 with 128-bit tags.  aegis_impl.h holds the
** algorithm once; it is instantiated here over portable byte blocks and,
** on x86-64, over AES-NI registers, chosen at run time.  The portable
** blocks hand each update's rounds to the constant-time AES as one batch.
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
#define BLK_LOAD(p) pblk_load(p)
#define BLK_STORE(p, x) pblk_store(p, x)
#define BLK_XOR(a, b) pblk_xor(a, b)
#define BLK_AND(a, b) pblk_and(a, b)
#define BLK_ROUND(in, rk) pblk_round(in, rk)
#define BLK_ROUNDS(io, rk, n) pblk_rounds(io, rk, n)
#define AEGIS_FN(name) portable_##name
#define AEGIS_ATTR
#include "crypto/aegis_impl.h"
#undef BLK
#undef BLK_LOAD
#undef BLK_STORE
#undef BLK_XOR
#undef BLK_AND
#undef BLK_ROUND
#undef BLK_ROUNDS
#undef AEGIS_FN
#undef AEGIS_ATTR

/* ---- AES-NI blocks ---------------------------------------------------------------- */
#ifdef CRYPTO_X86
#define BLK __m128i
#define BLK_LOAD(p) _mm_loadu_si128((const __m128i *)(const void *)(p))
#define BLK_STORE(p, x) _mm_storeu_si128((__m128i *)(void *)(p), x)
#define BLK_XOR(a, b) _mm_xor_si128(a, b)
#define BLK_AND(a, b) _mm_and_si128(a, b)
#define BLK_ROUND(in, rk) _mm_aesenc_si128(in, rk)
#define AEGIS_FN(name) ni_##name
#define AEGIS_ATTR __attribute__((target("aes,sse4.1")))
#include "crypto/aegis_impl.h"
#endif

static void aead128(int d, const uint8_t *key, const uint8_t *nonce, const uint8_t *ad, size_t ad_len, uint8_t *buf,
                    size_t len, uint8_t *tag, int dec) {
#ifdef CRYPTO_X86
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
