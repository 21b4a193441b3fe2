/*
** aes_ct.c — AES encryption and its round (FIPS-197) in constant time, for CPUs
** without AES instructions and for the wasm build.
**
** A table-driven S-box reads memory at addresses chosen by key and data
** bytes, which the cache reveals to a co-located observer.  Here no
** address and no branch depends on secret data: SubBytes is computed
** bitsliced.  64 bytes (four blocks) are loaded into eight 64-bit words
** ("planes"), plane k holding bit k of every byte, so one AND or XOR works
** on 64 bytes at once.  The S-box is then arithmetic: the inverse in
** GF(2^8) (FIPS-197 section 4; 0 maps to 0 as the standard wants),
** computed in a tower of small fields (about 150 logic operations per 64
** bytes), followed by the affine map of section 5.1.1.
**
** Plane layout: the 64 bytes are read as eight little-endian words w[0..7]
** (w[i] = bytes 8i..8i+7); an 8x8 bit transpose at every byte position
** turns them into planes, so plane k, bit 8j+i = bit k of byte 8i+j.  The
** transpose is its own inverse.  ShiftRows and MixColumns run on the
** bytes again, a block as four 32-bit columns (xtime by masks and shifts).
*/
#include <string.h>

#include "crypto/crypto_int.h"

#define CT_CHUNK 64 /* bytes per bitsliced batch: four AES blocks */

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

/* GF(2^8) inversion in a tower of fields, each a degree-2 extension of the
** one below, where every operation is a few ANDs and XORs on planes:
**   GF(4)   = GF(2)[W]  / (W^2 + W + 1)      element b1 W + b0
**   GF(16)  = GF(4)[Z]  / (Z^2 + Z + W)      element h Z + l
**   GF(256) = GF(16)[Y] / (Y^2 + Y + nu)     element h Y + l, nu = W Z
** (each polynomial is irreducible: its constant term has trace 1).  For
** a = h X + l over a field with X^2 = X + c, the inverse is
** (h X + (h + l)) / (c h^2 + h l + l^2); in GF(4) the inverse is the square.
** The AES field maps into the tower by a linear map (AES's x goes to the
** tower element 0x7a, a root of x^8 + x^4 + x^3 + x + 1 there); the way back
** is folded into the affine map of FIPS-197 5.1.1.  The matrices were
** computed by search and the S-box they give is checked against the
** standard's definition for all 256 bytes (test_crypto.c). */
typedef struct G4 {
  uint64_t b1, b0;
} G4;
typedef struct G16 {
  G4 h, l;
} G16;

static inline G4 g4_add(G4 a, G4 b) { return (G4){a.b1 ^ b.b1, a.b0 ^ b.b0}; }
/* Karatsuba: (a1 + a0)(b1 + b0) + a0 b0 and a1 b1 + a0 b0. */
static inline G4 g4_mul(G4 a, G4 b) {
  uint64_t p = (a.b1 ^ a.b0) & (b.b1 ^ b.b0), ll = a.b0 & b.b0;
  return (G4){p ^ ll, (a.b1 & b.b1) ^ ll};
}
static inline G4 g4_square(G4 a) { return (G4){a.b1, a.b1 ^ a.b0}; } /* also the inverse */
static inline G4 g4_mul_w(G4 a) { return (G4){a.b1 ^ a.b0, a.b1}; }

static inline G16 g16_add(G16 a, G16 b) { return (G16){g4_add(a.h, b.h), g4_add(a.l, b.l)}; }
static inline G16 g16_mul(G16 a, G16 b) {
  G4 hh = g4_mul(a.h, b.h), ll = g4_mul(a.l, b.l), p = g4_mul(g4_add(a.h, a.l), g4_add(b.h, b.l));
  return (G16){g4_add(p, ll), g4_add(g4_mul_w(hh), ll)};
}
static inline G16 g16_inv(G16 a) {
  G4 d = g4_add(g4_add(g4_mul_w(g4_square(a.h)), g4_mul(a.h, a.l)), g4_square(a.l));
  G4 di = g4_square(d);
  return (G16){g4_mul(a.h, di), g4_mul(g4_add(a.h, a.l), di)};
}
/* x^2 and nu x^2 in GF(16): linear maps (bits x3 x2 = h, x1 x0 = l). */
static inline G16 g16_square(G16 a) {
  return (G16){{a.h.b1, a.h.b0 ^ a.h.b1}, {a.l.b1 ^ a.h.b0, a.l.b0 ^ a.l.b1 ^ a.h.b1}};
}
static inline G16 g16_square_nu(G16 a) {
  return (G16){{a.l.b0 ^ a.h.b1, a.l.b1 ^ a.h.b0 ^ a.h.b1}, {a.h.b0 ^ a.h.b1, a.h.b0}};
}

/* SubBytes on 64 bytes held as planes. */
static void sub_bytes_planes(uint64_t q[8]) {
  /* Into the tower: bits 7..4 are Y's coefficient, 3..0 the constant. */
  G16 h = {{q[5] ^ q[7], q[1] ^ q[2] ^ q[3] ^ q[4] ^ q[5] ^ q[6]}, {q[1] ^ q[4] ^ q[5] ^ q[6], q[1] ^ q[5] ^ q[7]}};
  G16 l = {{q[1] ^ q[3] ^ q[6] ^ q[7], q[2] ^ q[5]}, {q[1] ^ q[6] ^ q[7], q[0] ^ q[2]}};
  G16 d = g16_add(g16_add(g16_square_nu(h), g16_mul(h, l)), g16_square(l));
  G16 di = g16_inv(d);
  G16 ih = g16_mul(h, di), il = g16_mul(g16_add(h, l), di);
  uint64_t u0 = il.l.b0, u1 = il.l.b1, u2 = il.h.b0, u3 = il.h.b1;
  uint64_t u4 = ih.l.b0, u5 = ih.l.b1, u6 = ih.h.b0, u7 = ih.h.b1;
  /* Back to AES's basis and through the affine map, + 0x63. */
  uint64_t u45 = u4 ^ u5, u01 = u0 ^ u1;
  q[0] = ~(u0 ^ u2 ^ u45);
  q[1] = ~(u01 ^ u2);
  q[2] = u01;
  q[3] = u0 ^ u2 ^ u45 ^ u6;
  q[4] = u0 ^ u3 ^ u45;
  q[5] = ~(u2 ^ u3 ^ u45);
  q[6] = ~(u4 ^ u6 ^ u7);
  q[7] = u2 ^ u4 ^ u6;
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

static inline uint32_t load_le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ShiftRows, then (unless last) MixColumns, then AddRoundKey of one
** column-major block in place.  Column c is the little-endian word w_c, row
** r its byte r; ShiftRows takes row r of column c from column c + r. */
static void shift_mix_key(uint8_t s[AES_BLOCK], const uint8_t rk[AES_BLOCK], int last) {
  const uint32_t r0 = 0xff, r1 = 0xff00, r2 = 0xff0000, r3 = 0xff000000u;
  uint32_t w0 = load_le32(s), w1 = load_le32(s + 4), w2 = load_le32(s + 8), w3 = load_le32(s + 12);
  uint64_t x[2] = {(uint64_t)((w0 & r0) | (w1 & r1) | (w2 & r2) | (w3 & r3)) |
                       (uint64_t)((w1 & r0) | (w2 & r1) | (w3 & r2) | (w0 & r3)) << 32,
                   (uint64_t)((w2 & r0) | (w3 & r1) | (w0 & r2) | (w1 & r3)) |
                       (uint64_t)((w3 & r0) | (w0 & r1) | (w1 & r2) | (w2 & r3)) << 32};
  for (int h = 0; h < 2; h++) {
    uint64_t v = x[h];
    if (!last) {
      /* Two columns, one per 32-bit half:
      ** out_r = 2a_r + 3a_(r+1) + a_(r+2) + a_(r+3) = a_r + sum + 2(a_r + a_(r+1)). */
      uint64_t rot1 = ((v >> 8) & 0x00ffffff00ffffffull) | ((v << 24) & 0xff000000ff000000ull);
      uint64_t d = v ^ rot1;
      uint64_t sum = d ^ (((d >> 16) & 0x0000ffff0000ffffull) | ((d << 16) & 0xffff0000ffff0000ull));
      v ^= sum ^ xtime64(d);
    }
    store_le64(s + 8 * h, v ^ load_le64(rk + 8 * h));
  }
}

void aes_ct_round(const uint8_t *in, const uint8_t *rk, uint8_t *out, size_t nblocks) {
  uint8_t buf[CT_CHUNK];
  for (size_t b = 0; b < nblocks; b += 4) {
    size_t n = nblocks - b < 4 ? nblocks - b : 4;
    memset(buf, 0, sizeof buf);
    memcpy(buf, in + AES_BLOCK * b, AES_BLOCK * n);
    sub_bytes64(buf);
    for (size_t i = 0; i < n; i++) shift_mix_key(buf + AES_BLOCK * i, rk + AES_BLOCK * (b + i), 0);
    memcpy(out + AES_BLOCK * b, buf, AES_BLOCK * n);
  }
}

void aes_ct_encrypt(const uint8_t *rk, int rounds, const uint8_t *in, uint8_t *out, size_t nblocks) {
  uint8_t buf[CT_CHUNK];
  for (size_t b = 0; b < nblocks; b += 4) {
    size_t n = nblocks - b < 4 ? nblocks - b : 4;
    memset(buf, 0, sizeof buf);
    memcpy(buf, in + AES_BLOCK * b, AES_BLOCK * n);
    for (size_t i = 0; i < AES_BLOCK * n; i++) buf[i] ^= rk[i % AES_BLOCK];
    for (int r = 1; r <= rounds; r++) {
      sub_bytes64(buf);
      for (size_t i = 0; i < n; i++) shift_mix_key(buf + AES_BLOCK * i, rk + AES_BLOCK * r, r == rounds);
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
