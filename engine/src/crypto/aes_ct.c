/*
** aes_ct.c — the AES round function (FIPS-197) in constant time, for CPUs
** without AES instructions and for the wasm build.
**
** A table-driven S-box reads memory at addresses chosen by key and data
** bytes, which the cache reveals to a co-located observer.  Here no
** address and no branch depends on secret data: SubBytes is computed
** bitsliced.  64 bytes (four blocks) are loaded into eight 64-bit words
** ("planes"), plane k holding bit k of every byte, so one AND or XOR works
** on 64 bytes at once.  The S-box is then arithmetic in GF(2^8) modulo
** x^8 + x^4 + x^3 + x + 1 (FIPS-197 section 4): the inverse as x^254
** (four multiplications, seven squarings; 0 maps to 0 as the standard
** wants) followed by the affine map of section 5.1.1.
**
** Plane layout: the 64 bytes are read as eight little-endian words w[0..7]
** (w[i] = bytes 8i..8i+7); an 8x8 bit transpose at every byte position
** turns them into planes, so plane k, bit 8j+i = bit k of byte 8i+j.  The
** transpose is its own inverse.  ShiftRows and MixColumns run on bytes,
** MixColumns two columns per 64-bit word (xtime by masks and shifts).
*/
#include <string.h>

#include "crypto/crypto_int.h"

#define CT_CHUNK 64 /* bytes per bitsliced batch: four AES blocks */

/* The GF(2^8) loops have constant bounds: unrolled, their arrays become
** registers and the whole S-box is straight-line code. */
#if defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 8)
#define CT_UNROLL _Pragma("GCC unroll 16")
#else
#define CT_UNROLL
#endif

static uint64_t load_le64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

static void store_le64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) {
    p[i] = (uint8_t)v;
    v >>= 8;
  }
}

/* Exchanges the bits of b selected by mask with the bits of a selected by mask << n. */
static inline void swapmove(uint64_t *a, uint64_t *b, uint64_t mask, int n) {
  uint64_t t = ((*a >> n) ^ *b) & mask;
  *b ^= t;
  *a ^= t << n;
}

/* Transposes the 8x8 bit matrix (word index, bit within the byte) at each of the eight byte positions. */
static inline void transpose(uint64_t q[8]) {
  for (int i = 0; i < 8; i += 2) swapmove(&q[i], &q[i + 1], 0x5555555555555555ull, 1);
  for (int i = 0; i < 8; i += 4) {
    swapmove(&q[i], &q[i + 2], 0x3333333333333333ull, 2);
    swapmove(&q[i + 1], &q[i + 3], 0x3333333333333333ull, 2);
  }
  for (int i = 0; i < 4; i++) swapmove(&q[i], &q[i + 4], 0x0f0f0f0f0f0f0f0full, 4);
}

/* Polynomial coefficients 8..14 folded back with x^8 = x^4 + x^3 + x + 1. */
static inline void gf_reduce(uint64_t c[15], uint64_t r[8]) {
  CT_UNROLL
  for (int k = 14; k >= 8; k--) {
    c[k - 8] ^= c[k];
    c[k - 7] ^= c[k];
    c[k - 5] ^= c[k];
    c[k - 4] ^= c[k];
  }
  for (int i = 0; i < 8; i++) r[i] = c[i];
}

static inline void gf_mul(uint64_t r[8], const uint64_t a[8], const uint64_t b[8]) {
  uint64_t c[15] = {0};
  CT_UNROLL
  for (int i = 0; i < 8; i++) {
    CT_UNROLL
    for (int j = 0; j < 8; j++) c[i + j] ^= a[i] & b[j];
  }
  gf_reduce(c, r);
}

/* Squaring is linear over GF(2): coefficient i moves to 2i. */
static inline void gf_square(uint64_t r[8], const uint64_t a[8]) {
  uint64_t c[15] = {0};
  for (int i = 0; i < 8; i++) c[2 * i] = a[i];
  gf_reduce(c, r);
}

/* SubBytes on 64 bytes held as planes. */
static void sub_bytes_planes(uint64_t q[8]) {
  uint64_t x2[8], x3[8], x12[8], x15[8], t[8], inv[8];
  gf_square(x2, q);
  gf_mul(x3, x2, q);
  gf_square(t, x3);
  gf_square(x12, t);
  gf_mul(x15, x12, x3);
  gf_square(t, x15); /* x^30 */
  gf_square(t, t);   /* x^60 */
  gf_square(t, t);   /* x^120 */
  gf_square(t, t);   /* x^240 */
  gf_mul(t, t, x12); /* x^252 */
  gf_mul(inv, t, x2); /* x^254 = x^-1 */
  /* b'_i = b_i + b_(i+4) + b_(i+5) + b_(i+6) + b_(i+7) + c_i, c = 0x63 */
  for (int i = 0; i < 8; i++)
    q[i] = inv[i] ^ inv[(i + 4) & 7] ^ inv[(i + 5) & 7] ^ inv[(i + 6) & 7] ^ inv[(i + 7) & 7];
  q[0] = ~q[0];
  q[1] = ~q[1];
  q[5] = ~q[5];
  q[6] = ~q[6];
}

/* SubBytes on 64 bytes in place. */
static void sub_bytes64(uint8_t buf[CT_CHUNK]) {
  uint64_t q[8];
  for (int i = 0; i < 8; i++) q[i] = load_le64(buf + 8 * i);
  transpose(q);
  sub_bytes_planes(q);
  transpose(q);
  for (int i = 0; i < 8; i++) store_le64(buf + 8 * i, q[i]);
}

static inline uint64_t xtime64(uint64_t x) {
  return ((x & 0x7f7f7f7f7f7f7f7full) << 1) ^ (((x >> 7) & 0x0101010101010101ull) * 0x1b);
}

/* ShiftRows then (unless last) MixColumns of one column-major block, in place. */
static void shift_mix(uint8_t s[AES_BLOCK], int last) {
  uint8_t t[AES_BLOCK];
  for (int c = 0; c < 4; c++)
    for (int r = 0; r < 4; r++) t[r + 4 * c] = s[r + 4 * ((c + r) & 3)];
  if (last) {
    memcpy(s, t, AES_BLOCK);
    return;
  }
  for (int h = 0; h < 2; h++) {
    /* Two columns, one per 32-bit half; row r is byte r of its half.
    ** out_r = 2a_r + 3a_(r+1) + a_(r+2) + a_(r+3) = a_r + sum + 2(a_r + a_(r+1)). */
    uint64_t x = load_le64(t + 8 * h);
    uint64_t rot1 = ((x >> 8) & 0x00ffffff00ffffffull) | ((x << 24) & 0xff000000ff000000ull);
    uint64_t d = x ^ rot1;
    uint64_t sum = d ^ (((d >> 16) & 0x0000ffff0000ffffull) | ((d << 16) & 0xffff0000ffff0000ull));
    store_le64(s + 8 * h, x ^ sum ^ xtime64(d));
  }
}

static void xor_block(uint8_t *dst, const uint8_t *k) {
  for (int i = 0; i < AES_BLOCK; i++) dst[i] ^= k[i];
}

void aes_ct_round(const uint8_t *in, const uint8_t *rk, uint8_t *out, size_t nblocks) {
  uint8_t buf[CT_CHUNK];
  for (size_t b = 0; b < nblocks; b += 4) {
    size_t n = nblocks - b < 4 ? nblocks - b : 4;
    memset(buf, 0, sizeof buf);
    memcpy(buf, in + AES_BLOCK * b, AES_BLOCK * n);
    sub_bytes64(buf);
    for (size_t i = 0; i < n; i++) {
      shift_mix(buf + AES_BLOCK * i, 0);
      xor_block(buf + AES_BLOCK * i, rk + AES_BLOCK * (b + i));
    }
    memcpy(out + AES_BLOCK * b, buf, AES_BLOCK * n);
  }
}

void aes_ct_encrypt(const uint8_t *rk, int rounds, const uint8_t *in, uint8_t *out, size_t nblocks) {
  uint8_t buf[CT_CHUNK];
  for (size_t b = 0; b < nblocks; b += 4) {
    size_t n = nblocks - b < 4 ? nblocks - b : 4;
    memset(buf, 0, sizeof buf);
    memcpy(buf, in + AES_BLOCK * b, AES_BLOCK * n);
    for (size_t i = 0; i < n; i++) xor_block(buf + AES_BLOCK * i, rk);
    for (int r = 1; r <= rounds; r++) {
      sub_bytes64(buf);
      for (size_t i = 0; i < n; i++) {
        shift_mix(buf + AES_BLOCK * i, r == rounds);
        xor_block(buf + AES_BLOCK * i, rk + AES_BLOCK * r);
      }
    }
    memcpy(out + AES_BLOCK * b, buf, AES_BLOCK * n);
  }
}

void aes_ct_sub_word(uint8_t w[4]) {
  uint8_t buf[CT_CHUNK] = {0};
  memcpy(buf, w, 4);
  sub_bytes64(buf);
  memcpy(w, buf, 4);
}
