/*
** crypto.h — authenticated encryption of database pages.
**
** Owns: the AEAD ciphers (AES-GCM per NIST SP 800-38D, the AEGIS family
** per the CFRG AEGIS draft) behind one detached-tag interface, nonces from
** the operating system, hex keys, and the page codec: how one page of a
** database file or WAL frame is encrypted and authenticated, in Turso's
** on-disk format (so files are shared with Turso):
**
**   page N > 1:  [ciphertext of bytes 0..P-R) ][ tag 16 ][ nonce ]
**   page 1:      [ "Turso" 0x00 cipher-id, 9 zero bytes ][ header bytes 16..99 in the clear ]
**                [ ciphertext of bytes 100..P-R) ][ tag 16 ][ nonce ]
**
** P is the page size, R = 16 + the cipher's nonce size: the page's reserved
** bytes (header byte 20), which the plaintext page leaves zero.  Page 1's
** first 100 bytes as stored are its associated data, so the readable header
** is authenticated too; other pages have none.  The decoded page 1 gets
** "SQLite format 3\0" back.  A fresh random nonce is drawn per encryption.
**
** Invariants: a codec never stores its key anywhere but its own memory
** (zeroed when freed); a page that does not authenticate is never handed
** out decrypted (the buffer is zeroed).  Hardware AES (AES-NI) is used when
** the CPU has it; the portable code (aes_ct.c) is constant-time: no table
** index and no branch depends on the key or the data.
*/
#ifndef LODE_CRYPTO_H
#define LODE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* Cipher ids as stored at page 1 byte 6 (0 = none). */
enum {
  CIPHER_NONE = 0,
  CIPHER_AES128GCM = 1,
  CIPHER_AES256GCM = 2,
  CIPHER_AEGIS256 = 3,
  CIPHER_AEGIS256X2 = 4,
  CIPHER_AEGIS256X4 = 5,
  CIPHER_AEGIS128L = 6,
  CIPHER_AEGIS128X2 = 7,
  CIPHER_AEGIS128X4 = 8,
  CIPHER_COUNT = 9
};

#define CRYPTO_TAG_SIZE 16
#define CRYPTO_MAX_KEY 32
#define CRYPTO_MAX_NONCE 32
#define CODEC_HEADER_MAGIC "Turso"
#define CODEC_HEADER_MAGIC_SIZE 5

/* The id of a cipher name (case-insensitive; "aegis-256"/"aegis_256" spellings too), or 0. */
int crypto_cipher_by_name(const char *name);
const char *crypto_cipher_name(int cipher); /* "aegis256", ...; NULL for none */
size_t crypto_key_size(int cipher);
size_t crypto_nonce_size(int cipher);

/* A cipher with its key (and the key's expansion). */
typedef struct CryptoKey CryptoKey;
/* NULL when out of memory or the key length does not fit the cipher. */
CryptoKey *crypto_key_new(int cipher, const uint8_t *key, size_t key_len);
void crypto_key_free(CryptoKey *k);
int crypto_key_cipher(const CryptoKey *k);
/* Same cipher and key bytes. */
int crypto_key_equal(const CryptoKey *a, const CryptoKey *b);

/* In place over buf[0..len); the tag is detached.  decrypt returns 0 when
** the tag verifies, -1 (buf zeroed) when it does not. */
void crypto_encrypt(const CryptoKey *k, const uint8_t *nonce, const uint8_t *ad, size_t ad_len, uint8_t *buf,
                    size_t len, uint8_t tag[CRYPTO_TAG_SIZE]);
int crypto_decrypt(const CryptoKey *k, const uint8_t *nonce, const uint8_t *ad, size_t ad_len, uint8_t *buf,
                   size_t len, const uint8_t tag[CRYPTO_TAG_SIZE]);

/* Tests and benchmarks: CRYPTO_HW_NONE makes every cipher use its portable
** code, CRYPTO_HW_SSE keeps AES-NI but not the AVX encodings, CRYPTO_HW_BEST
** (the default) uses all the CPU has; returns the previous setting. */
enum { CRYPTO_HW_NONE = 0, CRYPTO_HW_BEST = 1, CRYPTO_HW_SSE = 2 };
int crypto_use_hardware(int on);

/* Fills buf with random bytes from the operating system; 0, or -1 on failure. */
int crypto_random(uint8_t *buf, size_t len);
/* A fresh nonce of len bytes (at most CRYPTO_MAX_NONCE) from the operating
** system's randomness, drawn in batches; 0, or -1 on failure.  No byte is
** handed out twice, in this process or a child forked from it. */
int crypto_nonce(uint8_t *buf, size_t len);

/* Hex text (an even number of hex digits, at most CRYPTO_MAX_KEY bytes) →
** bytes; returns the byte count, or -1 when the text is not such hex. */
int crypto_parse_hex(const char *hex, uint8_t out[CRYPTO_MAX_KEY]);

/* ---- the page codec ---------------------------------------------------------- */

/* Reserved bytes a cipher needs at the end of every page (tag + nonce). */
size_t codec_reserved(int cipher);
/* Encrypts page pgno (page_size bytes at in, reserved tail zero) into out
** (page_size bytes, may equal in).  Returns 0, or -1 when no nonce could
** be drawn. */
int codec_encode(const CryptoKey *k, uint32_t pgno, const uint8_t *in, uint8_t *out, uint32_t page_size);
/* Decrypts page pgno in place; 0 when it authenticates, else -1 (page zeroed). */
int codec_decode(const CryptoKey *k, uint32_t pgno, uint8_t *page, uint32_t page_size);
/* The cipher id of a stored page 1 header that carries the codec's magic,
** 0 when it carries SQLite's, -1 when it is neither valid form. */
int codec_header_cipher(const uint8_t *header);

#endif /* LODE_CRYPTO_H */
