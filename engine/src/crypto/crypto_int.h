/*
** crypto_int.h — private to engine/src/crypto: the key object and the AES
** primitives the AEAD modes share.  Nothing outside crypto/ includes this.
*/
#ifndef LODE_CRYPTO_INT_H
#define LODE_CRYPTO_INT_H

#include "crypto/crypto.h"

#define AES_BLOCK 16
#define AES_MAX_ROUNDS 14

struct CryptoKey {
  int cipher;
  size_t key_len;
  uint8_t key[CRYPTO_MAX_KEY];
  /* AES-GCM only: the expanded key and the hash subkey H = E(K, 0^128) as
  ** two big-endian 64-bit halves. */
  uint8_t rk[(AES_MAX_ROUNDS + 1) * AES_BLOCK];
  int rounds;
  uint64_t h[2];
  uint8_t h_bytes[AES_BLOCK]; /* H as bytes, for the carry-less multiply */
};

/* 1 when the CPU has AES-NI (x86-64 builds; 0 elsewhere). */
int crypto_have_aesni(void);
/* 1 when it also has AVX and crypto_use_hardware allows it: the same AES-NI
** code compiled to three-operand VEX instructions. */
int crypto_have_avx(void);
/* 1 when it also has AVX2 and VAES (AES rounds on two blocks at once) and
** crypto_use_hardware allows them. */
int crypto_have_vaes(void);
/* 1 when it also has AVX-512 (VAES on four blocks at once). */
int crypto_have_vaes512(void);

/* AES as FIPS-197 specifies it. */
void aes_expand(const uint8_t *key, size_t key_len, uint8_t *rk, int *rounds);
void aes_encrypt_block(const uint8_t *rk, int rounds, const uint8_t in[AES_BLOCK], uint8_t out[AES_BLOCK]);
/* One AES round (SubBytes, ShiftRows, MixColumns, then XOR rk): AEGIS's AESRound. */
void aes_round(const uint8_t in[AES_BLOCK], const uint8_t rk[AES_BLOCK], uint8_t out[AES_BLOCK]);

/* Constant-time portable AES (aes_ct.c): no table lookups or branches on
** secret data.  Blocks are independent; in and out may be the same buffer.
** aes_ct_encrypt: the full cipher with the expanded key rk, nblocks blocks.
** aes_ct_round: AESRound of block i with its own round key rk + 16i.
** aes_ct_sub_word: SubWord of the key schedule (4 bytes in place). */
void aes_ct_encrypt(const uint8_t *rk, int rounds, const uint8_t *in, uint8_t *out, size_t nblocks);
void aes_ct_round(const uint8_t *in, const uint8_t *rk, uint8_t *out, size_t nblocks);
void aes_ct_sub_word(uint8_t w[4]);

/* GCM with a 96-bit nonce over buf in place. */
void gcm_encrypt(const CryptoKey *k, const uint8_t *nonce, const uint8_t *ad, size_t ad_len, uint8_t *buf,
                 size_t len, uint8_t tag[CRYPTO_TAG_SIZE]);
int gcm_decrypt(const CryptoKey *k, const uint8_t *nonce, const uint8_t *ad, size_t ad_len, uint8_t *buf, size_t len,
                const uint8_t tag[CRYPTO_TAG_SIZE]);

/* AEGIS-128X (lanes 1, 2, 4; 1 = AEGIS-128L) and AEGIS-256X (1 = AEGIS-256), 128-bit tags. */
void aegis128x_encrypt(int lanes, const uint8_t *key, const uint8_t *nonce, const uint8_t *ad, size_t ad_len,
                       uint8_t *buf, size_t len, uint8_t tag[CRYPTO_TAG_SIZE]);
void aegis128x_decrypt(int lanes, const uint8_t *key, const uint8_t *nonce, const uint8_t *ad, size_t ad_len,
                       uint8_t *buf, size_t len, uint8_t tag_out[CRYPTO_TAG_SIZE]);
void aegis256x_encrypt(int lanes, const uint8_t *key, const uint8_t *nonce, const uint8_t *ad, size_t ad_len,
                       uint8_t *buf, size_t len, uint8_t tag[CRYPTO_TAG_SIZE]);
void aegis256x_decrypt(int lanes, const uint8_t *key, const uint8_t *nonce, const uint8_t *ad, size_t ad_len,
                       uint8_t *buf, size_t len, uint8_t tag_out[CRYPTO_TAG_SIZE]);

/* Constant-time comparison of n bytes: 0 when equal. */
int crypto_memdiff(const uint8_t *a, const uint8_t *b, size_t n);

#endif /* LODE_CRYPTO_INT_H */
