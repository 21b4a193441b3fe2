/*
** aegis_impl.h — the AEGIS-128X and AEGIS-256X algorithms of the CFRG AEGIS
** draft over an abstract 128-bit block, included by aegis.c once per block
** implementation (portable bytes; AES-NI registers).  The includer defines:
**   BLK                the block type
**   BLK_LOAD(p) BLK_STORE(p, b) BLK_XOR(a, b) BLK_AND(a, b)
**   BLK_ROUND(in, rk)  AESRound: one AES round of in, then XOR rk
**   BLK_ROUNDS(io, rk, n)  optional: AESRound of n blocks at once (io[i]
**                      with rk[i], in place), for implementations that are
**                      faster on a batch (the bitsliced portable AES)
**   AEGIS_FN(name)     the name of a function of this implementation
**   AEGIS_ATTR         attributes of those functions (target features)
**   BLK_BYTES          the block's size: 16, or 32 or 64 for a block that
**                      holds two or four lanes side by side (VAES), lane 0
**                      first
**   BLK_BCAST(p)       the 16 bytes at p in every lane of a block
**   BLK_CTX(i, n)      the context block of block i among n lanes in all:
**                      byte 0 the lane's index, byte 1 n - 1, zeros
**   BLK_STORE_FOLD(p, b)  stores the XOR of b's lanes (16 bytes)
** d counts blocks, not lanes, below: a lane count of n is n * 16 / BLK_BYTES
** blocks, and the lanes of a chunk's words sit contiguously, so a block
** loads the words of its lanes in one go.
** Every step is inlined into one function per lane count and direction
** (aead128_lanes, aead256_lanes switch to it), so the lane loops unroll, the
** state can live in registers and no branch on the direction is left in the
** loop over the message.
** A lane count of 1 gives AEGIS-128L and AEGIS-256 themselves.
*/

#ifndef AEGIS_MAX_LANES
#define AEGIS_MAX_LANES 4
#endif
#define AEGIS_LANES(d) ((d) * (BLK_BYTES / 16))

/* ---- AEGIS-128X: 8 blocks per lane, 2 message blocks per lane per update ---- */

AEGIS_ATTR AEGIS_INLINE void AEGIS_FN(u128)(BLK s[8][AEGIS_MAX_LANES], int d, const BLK *m0, const BLK *m1) {
#ifdef BLK_ROUNDS
  BLK in[8 * AEGIS_MAX_LANES], rk[8 * AEGIS_MAX_LANES];
  for (int i = 0; i < d; i++) {
    for (int j = 0; j < 8; j++) {
      in[8 * i + j] = s[(j + 7) & 7][i];
      rk[8 * i + j] = s[j][i];
    }
    rk[8 * i] = BLK_XOR(rk[8 * i], m0[i]);
    rk[8 * i + 4] = BLK_XOR(rk[8 * i + 4], m1[i]);
  }
  BLK_ROUNDS(in, rk, 8 * d);
  for (int i = 0; i < d; i++)
    for (int j = 0; j < 8; j++) s[j][i] = in[8 * i + j];
  return;
#endif
  for (int i = 0; i < d; i++) {
    BLK t = s[7][i];
    s[7][i] = BLK_ROUND(s[6][i], s[7][i]);
    s[6][i] = BLK_ROUND(s[5][i], s[6][i]);
    s[5][i] = BLK_ROUND(s[4][i], s[5][i]);
    s[4][i] = BLK_ROUND(s[3][i], BLK_XOR(s[4][i], m1[i]));
    s[3][i] = BLK_ROUND(s[2][i], s[3][i]);
    s[2][i] = BLK_ROUND(s[1][i], s[2][i]);
    s[1][i] = BLK_ROUND(s[0][i], s[1][i]);
    s[0][i] = BLK_ROUND(t, BLK_XOR(s[0][i], m0[i]));
  }
}

AEGIS_ATTR AEGIS_INLINE void AEGIS_FN(init128)(BLK s[8][AEGIS_MAX_LANES], int d, const uint8_t *key, const uint8_t *nonce) {
  BLK k = BLK_BCAST(key), n = BLK_BCAST(nonce), c0 = BLK_BCAST(aegis_c0), c1 = BLK_BCAST(aegis_c1);
  BLK kv[AEGIS_MAX_LANES], nv[AEGIS_MAX_LANES], ctx[AEGIS_MAX_LANES];
  for (int i = 0; i < d; i++) {
    ctx[i] = BLK_CTX(i, AEGIS_LANES(d));
    kv[i] = k;
    nv[i] = n;
    s[0][i] = BLK_XOR(k, n);
    s[1][i] = c1;
    s[2][i] = c0;
    s[3][i] = c1;
    s[4][i] = BLK_XOR(k, n);
    s[5][i] = BLK_XOR(k, c0);
    s[6][i] = BLK_XOR(k, c1);
    s[7][i] = BLK_XOR(k, c0);
  }
  for (int r = 0; r < 10; r++) {
    for (int i = 0; i < d; i++) {
      s[3][i] = BLK_XOR(s[3][i], ctx[i]);
      s[7][i] = BLK_XOR(s[7][i], ctx[i]);
    }
    AEGIS_FN(u128)(s, d, nv, kv);
  }
}

/* Absorbs a rate-sized chunk (32*d bytes): lane i takes bytes 16i and 16(d+i). */
AEGIS_ATTR AEGIS_INLINE void AEGIS_FN(absorb128)(BLK s[8][AEGIS_MAX_LANES], int d, const uint8_t *p) {
  BLK m0[AEGIS_MAX_LANES], m1[AEGIS_MAX_LANES];
  for (int i = 0; i < d; i++) {
    m0[i] = BLK_LOAD(p + BLK_BYTES * i);
    m1[i] = BLK_LOAD(p + BLK_BYTES * (d + i));
  }
  AEGIS_FN(u128)(s, d, m0, m1);
}

/* One rate-sized chunk in place; dec selects decryption. */
AEGIS_ATTR AEGIS_INLINE void AEGIS_FN(crypt128)(BLK s[8][AEGIS_MAX_LANES], int d, uint8_t *p, int dec) {
  BLK m0[AEGIS_MAX_LANES], m1[AEGIS_MAX_LANES];
  for (int i = 0; i < d; i++) {
    BLK z0 = BLK_XOR(BLK_XOR(s[6][i], s[1][i]), BLK_AND(s[2][i], s[3][i]));
    BLK z1 = BLK_XOR(BLK_XOR(s[2][i], s[5][i]), BLK_AND(s[6][i], s[7][i]));
    BLK x0 = BLK_LOAD(p + BLK_BYTES * i), x1 = BLK_LOAD(p + BLK_BYTES * (d + i));
    BLK y0 = BLK_XOR(x0, z0), y1 = BLK_XOR(x1, z1);
    BLK_STORE(p + BLK_BYTES * i, y0);
    BLK_STORE(p + BLK_BYTES * (d + i), y1);
    m0[i] = dec ? y0 : x0;
    m1[i] = dec ? y1 : x1;
  }
  AEGIS_FN(u128)(s, d, m0, m1);
}

AEGIS_ATTR AEGIS_INLINE void AEGIS_FN(final128)(BLK s[8][AEGIS_MAX_LANES], int d, size_t ad_len, size_t len, uint8_t *tag) {
  uint8_t lens[16];
  put_le64(lens, (uint64_t)ad_len * 8);
  put_le64(lens + 8, (uint64_t)len * 8);
  BLK u = BLK_BCAST(lens), t[AEGIS_MAX_LANES];
  for (int i = 0; i < d; i++) t[i] = BLK_XOR(s[2][i], u);
  for (int r = 0; r < 7; r++) AEGIS_FN(u128)(s, d, t, t);
  BLK acc = BLK_XOR(s[0][0], s[1][0]);
  for (int i = 0; i < d; i++) {
    BLK x = BLK_XOR(BLK_XOR(BLK_XOR(s[0][i], s[1][i]), BLK_XOR(s[2][i], s[3][i])),
                    BLK_XOR(BLK_XOR(s[4][i], s[5][i]), s[6][i]));
    acc = i == 0 ? x : BLK_XOR(acc, x);
  }
  BLK_STORE_FOLD(tag, acc);
}

AEGIS_ATTR AEGIS_INLINE void AEGIS_FN(aead128)(int d, const uint8_t *key, const uint8_t *nonce, const uint8_t *ad,
                                         size_t ad_len, uint8_t *buf, size_t len, uint8_t *tag, int dec) {
  BLK s[8][AEGIS_MAX_LANES];
  size_t rate = 2 * BLK_BYTES * (size_t)d, off;
  uint8_t pad[2 * BLK_BYTES * AEGIS_MAX_LANES];
  AEGIS_FN(init128)(s, d, key, nonce);
  for (off = 0; off + rate <= ad_len; off += rate) AEGIS_FN(absorb128)(s, d, ad + off);
  if (off < ad_len) {
    memset(pad, 0, rate);
    memcpy(pad, ad + off, ad_len - off);
    AEGIS_FN(absorb128)(s, d, pad);
  }
  for (off = 0; off + rate <= len; off += rate) AEGIS_FN(crypt128)(s, d, buf + off, dec);
  if (off < len) {
    size_t n = len - off;
    memset(pad, 0, rate);
    memcpy(pad, buf + off, n);
    if (!dec) {
      AEGIS_FN(crypt128)(s, d, pad, 0);
    } else {
      /* The padding's keystream must not reach the state: decrypt, cut
      ** back to n bytes, and absorb that as plaintext. */
      uint8_t tmp[2 * BLK_BYTES * AEGIS_MAX_LANES];
      memcpy(tmp, pad, rate);
      BLK save[8][AEGIS_MAX_LANES];
      memcpy(save, s, sizeof save);
      AEGIS_FN(crypt128)(s, d, tmp, 1);
      memcpy(s, save, sizeof save);
      memset(tmp + n, 0, rate - n);
      memcpy(pad, tmp, rate);
      AEGIS_FN(absorb128)(s, d, tmp);
    }
    memcpy(buf + off, pad, n);
  }
  AEGIS_FN(final128)(s, d, ad_len, len, tag);
}

/* ---- AEGIS-256X: 6 blocks per lane, 1 message block per lane per update ---- */

AEGIS_ATTR AEGIS_INLINE void AEGIS_FN(u256)(BLK s[6][AEGIS_MAX_LANES], int d, const BLK *m) {
#ifdef BLK_ROUNDS
  BLK in[6 * AEGIS_MAX_LANES], rk[6 * AEGIS_MAX_LANES];
  for (int i = 0; i < d; i++) {
    for (int j = 0; j < 6; j++) {
      in[6 * i + j] = s[(j + 5) % 6][i];
      rk[6 * i + j] = s[j][i];
    }
    rk[6 * i] = BLK_XOR(rk[6 * i], m[i]);
  }
  BLK_ROUNDS(in, rk, 6 * d);
  for (int i = 0; i < d; i++)
    for (int j = 0; j < 6; j++) s[j][i] = in[6 * i + j];
  return;
#endif
  for (int i = 0; i < d; i++) {
    BLK t = s[5][i];
    s[5][i] = BLK_ROUND(s[4][i], s[5][i]);
    s[4][i] = BLK_ROUND(s[3][i], s[4][i]);
    s[3][i] = BLK_ROUND(s[2][i], s[3][i]);
    s[2][i] = BLK_ROUND(s[1][i], s[2][i]);
    s[1][i] = BLK_ROUND(s[0][i], s[1][i]);
    s[0][i] = BLK_ROUND(t, BLK_XOR(s[0][i], m[i]));
  }
}

AEGIS_ATTR AEGIS_INLINE void AEGIS_FN(init256)(BLK s[6][AEGIS_MAX_LANES], int d, const uint8_t *key, const uint8_t *nonce) {
  BLK k0 = BLK_BCAST(key), k1 = BLK_BCAST(key + 16), n0 = BLK_BCAST(nonce), n1 = BLK_BCAST(nonce + 16);
  BLK c0 = BLK_BCAST(aegis_c0), c1 = BLK_BCAST(aegis_c1);
  BLK ctx[AEGIS_MAX_LANES], msg[4][AEGIS_MAX_LANES];
  for (int i = 0; i < d; i++) {
    ctx[i] = BLK_CTX(i, AEGIS_LANES(d));
    msg[0][i] = k0;
    msg[1][i] = k1;
    msg[2][i] = BLK_XOR(k0, n0);
    msg[3][i] = BLK_XOR(k1, n1);
    s[0][i] = BLK_XOR(k0, n0);
    s[1][i] = BLK_XOR(k1, n1);
    s[2][i] = c1;
    s[3][i] = c0;
    s[4][i] = BLK_XOR(k0, c0);
    s[5][i] = BLK_XOR(k1, c1);
  }
  for (int r = 0; r < 4; r++) {
    for (int j = 0; j < 4; j++) {
      for (int i = 0; i < d; i++) {
        s[3][i] = BLK_XOR(s[3][i], ctx[i]);
        s[5][i] = BLK_XOR(s[5][i], ctx[i]);
      }
      AEGIS_FN(u256)(s, d, msg[j]);
    }
  }
}

AEGIS_ATTR AEGIS_INLINE void AEGIS_FN(absorb256)(BLK s[6][AEGIS_MAX_LANES], int d, const uint8_t *p) {
  BLK m[AEGIS_MAX_LANES];
  for (int i = 0; i < d; i++) m[i] = BLK_LOAD(p + BLK_BYTES * i);
  AEGIS_FN(u256)(s, d, m);
}

AEGIS_ATTR AEGIS_INLINE void AEGIS_FN(crypt256)(BLK s[6][AEGIS_MAX_LANES], int d, uint8_t *p, int dec) {
  BLK m[AEGIS_MAX_LANES];
  for (int i = 0; i < d; i++) {
    BLK z = BLK_XOR(BLK_XOR(s[1][i], s[4][i]), BLK_XOR(s[5][i], BLK_AND(s[2][i], s[3][i])));
    BLK x = BLK_LOAD(p + BLK_BYTES * i), y = BLK_XOR(x, z);
    BLK_STORE(p + BLK_BYTES * i, y);
    m[i] = dec ? y : x;
  }
  AEGIS_FN(u256)(s, d, m);
}

AEGIS_ATTR AEGIS_INLINE void AEGIS_FN(final256)(BLK s[6][AEGIS_MAX_LANES], int d, size_t ad_len, size_t len, uint8_t *tag) {
  uint8_t lens[16];
  put_le64(lens, (uint64_t)ad_len * 8);
  put_le64(lens + 8, (uint64_t)len * 8);
  BLK u = BLK_BCAST(lens), t[AEGIS_MAX_LANES];
  for (int i = 0; i < d; i++) t[i] = BLK_XOR(s[3][i], u);
  for (int r = 0; r < 7; r++) AEGIS_FN(u256)(s, d, t);
  BLK acc = s[0][0];
  for (int i = 0; i < d; i++) {
    BLK x = BLK_XOR(BLK_XOR(BLK_XOR(s[0][i], s[1][i]), BLK_XOR(s[2][i], s[3][i])), BLK_XOR(s[4][i], s[5][i]));
    acc = i == 0 ? x : BLK_XOR(acc, x);
  }
  BLK_STORE_FOLD(tag, acc);
}

AEGIS_ATTR AEGIS_INLINE void AEGIS_FN(aead256)(int d, const uint8_t *key, const uint8_t *nonce, const uint8_t *ad,
                                         size_t ad_len, uint8_t *buf, size_t len, uint8_t *tag, int dec) {
  BLK s[6][AEGIS_MAX_LANES];
  size_t rate = BLK_BYTES * (size_t)d, off;
  uint8_t pad[BLK_BYTES * AEGIS_MAX_LANES];
  AEGIS_FN(init256)(s, d, key, nonce);
  for (off = 0; off + rate <= ad_len; off += rate) AEGIS_FN(absorb256)(s, d, ad + off);
  if (off < ad_len) {
    memset(pad, 0, rate);
    memcpy(pad, ad + off, ad_len - off);
    AEGIS_FN(absorb256)(s, d, pad);
  }
  for (off = 0; off + rate <= len; off += rate) AEGIS_FN(crypt256)(s, d, buf + off, dec);
  if (off < len) {
    size_t n = len - off;
    memset(pad, 0, rate);
    memcpy(pad, buf + off, n);
    if (!dec) {
      AEGIS_FN(crypt256)(s, d, pad, 0);
    } else {
      uint8_t tmp[BLK_BYTES * AEGIS_MAX_LANES];
      memcpy(tmp, pad, rate);
      BLK save[6][AEGIS_MAX_LANES];
      memcpy(save, s, sizeof save);
      AEGIS_FN(crypt256)(s, d, tmp, 1);
      memcpy(s, save, sizeof save);
      memset(tmp + n, 0, rate - n);
      memcpy(pad, tmp, rate);
      AEGIS_FN(absorb256)(s, d, tmp);
    }
    memcpy(buf + off, pad, n);
  }
  AEGIS_FN(final256)(s, d, ad_len, len, tag);
}

/* lanes: 1, 2 or 4 (the cipher's lane count); a block of two lanes takes
** 2 and 4 only, a block of four 4 only. */
AEGIS_ATTR static void AEGIS_FN(aead128_lanes)(int lanes, const uint8_t *key, const uint8_t *nonce, const uint8_t *ad,
                                               size_t ad_len, uint8_t *buf, size_t len, uint8_t *tag, int dec) {
  int d = lanes * 16 / BLK_BYTES;
  (void)d; /* a block of four lanes has one case */
#if BLK_BYTES == 16
  if (d == 4 && !dec) AEGIS_FN(aead128)(4, key, nonce, ad, ad_len, buf, len, tag, 0);
  else if (d == 4) AEGIS_FN(aead128)(4, key, nonce, ad, ad_len, buf, len, tag, 1);
  else
#endif
#if BLK_BYTES <= 32
  if (d == 2 && !dec) AEGIS_FN(aead128)(2, key, nonce, ad, ad_len, buf, len, tag, 0);
  else if (d == 2) AEGIS_FN(aead128)(2, key, nonce, ad, ad_len, buf, len, tag, 1);
  else
#endif
  if (!dec) AEGIS_FN(aead128)(1, key, nonce, ad, ad_len, buf, len, tag, 0);
  else AEGIS_FN(aead128)(1, key, nonce, ad, ad_len, buf, len, tag, 1);
}

AEGIS_ATTR static void AEGIS_FN(aead256_lanes)(int lanes, const uint8_t *key, const uint8_t *nonce, const uint8_t *ad,
                                               size_t ad_len, uint8_t *buf, size_t len, uint8_t *tag, int dec) {
  int d = lanes * 16 / BLK_BYTES;
  (void)d; /* a block of four lanes has one case */
#if BLK_BYTES == 16
  if (d == 4 && !dec) AEGIS_FN(aead256)(4, key, nonce, ad, ad_len, buf, len, tag, 0);
  else if (d == 4) AEGIS_FN(aead256)(4, key, nonce, ad, ad_len, buf, len, tag, 1);
  else
#endif
#if BLK_BYTES <= 32
  if (d == 2 && !dec) AEGIS_FN(aead256)(2, key, nonce, ad, ad_len, buf, len, tag, 0);
  else if (d == 2) AEGIS_FN(aead256)(2, key, nonce, ad, ad_len, buf, len, tag, 1);
  else
#endif
  if (!dec) AEGIS_FN(aead256)(1, key, nonce, ad, ad_len, buf, len, tag, 0);
  else AEGIS_FN(aead256)(1, key, nonce, ad, ad_len, buf, len, tag, 1);
}
