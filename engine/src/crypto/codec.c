/*
** codec.c — the cipher table, keys, nonces and the page codec (the page
** format is described in crypto.h).
*/
#include <assert.h>
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#ifndef __EMSCRIPTEN__
#include <pthread.h>
#include <sys/random.h>
#endif
#include <unistd.h>

#include "crypto/crypto_int.h"
#include "util/util.h"

typedef struct CipherInfo {
  const char *name;
  size_t key_size, nonce_size;
  int lanes; /* AEGIS lanes; 0 for AES-GCM */
} CipherInfo;

static const CipherInfo ciphers[CIPHER_COUNT] = {
    [CIPHER_AES128GCM] = {"aes128gcm", 16, 12, 0},  [CIPHER_AES256GCM] = {"aes256gcm", 32, 12, 0},
    [CIPHER_AEGIS256] = {"aegis256", 32, 32, 1},    [CIPHER_AEGIS256X2] = {"aegis256x2", 32, 32, 2},
    [CIPHER_AEGIS256X4] = {"aegis256x4", 32, 32, 4}, [CIPHER_AEGIS128L] = {"aegis128l", 16, 16, 1},
    [CIPHER_AEGIS128X2] = {"aegis128x2", 16, 16, 2}, [CIPHER_AEGIS128X4] = {"aegis128x4", 16, 16, 4},
};

static int valid_cipher(int c) { return c > CIPHER_NONE && c < CIPHER_COUNT; }

int crypto_cipher_by_name(const char *name) {
  if (!name) return 0;
  /* "aes-256-gcm" and "aes_256_gcm" name the same cipher as "aes256gcm". */
  char folded[24];
  size_t n = 0;
  for (const char *p = name; *p; p++) {
    if (*p == '-' || *p == '_') continue;
    if (n + 1 >= sizeof folded) return 0;
    char c = *p;
    folded[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  folded[n] = 0;
  for (int c = CIPHER_NONE + 1; c < CIPHER_COUNT; c++)
    if (strcmp(folded, ciphers[c].name) == 0) return c;
  return 0;
}

const char *crypto_cipher_name(int cipher) { return valid_cipher(cipher) ? ciphers[cipher].name : NULL; }
size_t crypto_key_size(int cipher) { return valid_cipher(cipher) ? ciphers[cipher].key_size : 0; }
size_t crypto_nonce_size(int cipher) { return valid_cipher(cipher) ? ciphers[cipher].nonce_size : 0; }
size_t codec_reserved(int cipher) { return valid_cipher(cipher) ? ciphers[cipher].nonce_size + CRYPTO_TAG_SIZE : 0; }

CryptoKey *crypto_key_new(int cipher, const uint8_t *key, size_t key_len) {
  if (!valid_cipher(cipher) || key_len != ciphers[cipher].key_size) return NULL;
  CryptoKey *k = util_zalloc(sizeof *k);
  if (!k) return NULL;
  k->cipher = cipher;
  k->key_len = key_len;
  memcpy(k->key, key, key_len);
  if (ciphers[cipher].lanes == 0) {
    uint8_t zero[AES_BLOCK] = {0}, h[AES_BLOCK];
    aes_expand(key, key_len, k->rk, &k->rounds);
    aes_encrypt_block(k->rk, k->rounds, zero, h);
    memcpy(k->h_bytes, h, AES_BLOCK);
    for (int i = 0; i < 8; i++) {
      k->h[0] = (k->h[0] << 8) | h[i];
      k->h[1] = (k->h[1] << 8) | h[8 + i];
    }
  }
  return k;
}

/* Overwrites through a volatile pointer so the zeroing is not optimised away. */
static void wipe(void *p, size_t n) {
  volatile uint8_t *v = p;
  while (n--) *v++ = 0;
}

void crypto_key_free(CryptoKey *k) {
  if (!k) return;
  wipe(k, sizeof *k);
  util_free(k);
}

int crypto_key_cipher(const CryptoKey *k) { return k ? k->cipher : CIPHER_NONE; }

int crypto_key_equal(const CryptoKey *a, const CryptoKey *b) {
  if (!a || !b) return a == b;
  return a->cipher == b->cipher && a->key_len == b->key_len && crypto_memdiff(a->key, b->key, a->key_len) == 0;
}

int crypto_memdiff(const uint8_t *a, const uint8_t *b, size_t n) {
  uint8_t d = 0;
  for (size_t i = 0; i < n; i++) d |= a[i] ^ b[i];
  return d != 0;
}

void crypto_encrypt(const CryptoKey *k, const uint8_t *nonce, const uint8_t *ad, size_t ad_len, uint8_t *buf,
                    size_t len, uint8_t tag[CRYPTO_TAG_SIZE]) {
  const CipherInfo *ci = &ciphers[k->cipher];
  if (ci->lanes == 0) gcm_encrypt(k, nonce, ad, ad_len, buf, len, tag);
  else if (ci->key_size == 16) aegis128x_encrypt(ci->lanes, k->key, nonce, ad, ad_len, buf, len, tag);
  else aegis256x_encrypt(ci->lanes, k->key, nonce, ad, ad_len, buf, len, tag);
}

int crypto_decrypt(const CryptoKey *k, const uint8_t *nonce, const uint8_t *ad, size_t ad_len, uint8_t *buf,
                   size_t len, const uint8_t tag[CRYPTO_TAG_SIZE]) {
  const CipherInfo *ci = &ciphers[k->cipher];
  if (ci->lanes == 0) return gcm_decrypt(k, nonce, ad, ad_len, buf, len, tag);
  uint8_t want[CRYPTO_TAG_SIZE];
  if (ci->key_size == 16) aegis128x_decrypt(ci->lanes, k->key, nonce, ad, ad_len, buf, len, want);
  else aegis256x_decrypt(ci->lanes, k->key, nonce, ad, ad_len, buf, len, want);
  if (crypto_memdiff(want, tag, CRYPTO_TAG_SIZE) != 0) {
    wipe(buf, len);
    return -1;
  }
  return 0;
}

int crypto_random(uint8_t *buf, size_t len) {
  /* getentropy serves at most 256 bytes a call; emscripten's draws from
  ** crypto.getRandomValues. */
  while (len > 0) {
    size_t n = len < 256 ? len : 256;
    if (getentropy(buf, n) != 0) return -1;
    buf += n;
    len -= n;
  }
  return 0;
}

/* Every page or block written gets a nonce of 12-32 bytes; a system call
** for each showed in commit profiles, so nonces come from a pool per thread
** filled NONCE_POOL bytes at a time (one getrandom call where there is one:
** 128 commits of a page under AEGIS-256 per call, where 256-byte getentropy
** calls into a 512-byte pool made one call every 8 commits, ~1.3 us each on
** a VM).  Nonces are public (stored beside the ciphertext), so the pool
** holds nothing secret; what matters is that no byte is used twice.  A
** forked child starts with a copy of its parent's pool: fork bumps
** nonce_forks, and a pool filled before it is dropped. */
#define NONCE_POOL 4096
static atomic_uint nonce_forks;
static _Thread_local struct {
  uint8_t bytes[NONCE_POOL];
  size_t next; /* bytes[next..] are unused */
  unsigned forks;
  int filled;
} nonce_pool;

#ifndef __EMSCRIPTEN__
static void nonce_after_fork(void) { atomic_fetch_add(&nonce_forks, 1); }
static pthread_once_t nonce_once = PTHREAD_ONCE_INIT;
static void nonce_register(void) { pthread_atfork(NULL, NULL, nonce_after_fork); }
#endif

/* The pool from the system's randomness: getrandom serves it in one call
** (more than 256 bytes may come back short if a signal arrives: go on from
** there); elsewhere getentropy, 256 bytes a call. */
static int fill_pool(uint8_t *buf, size_t len) {
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
  while (len > 0) {
    ssize_t n = getrandom(buf, len, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return crypto_random(buf, len);
    buf += n;
    len -= (size_t)n;
  }
  return 0;
#else
  return crypto_random(buf, len);
#endif
}

int crypto_nonce(uint8_t *buf, size_t len) {
  unsigned forks;
  assert(len <= CRYPTO_MAX_NONCE && CRYPTO_MAX_NONCE <= NONCE_POOL);
#ifndef __EMSCRIPTEN__
  pthread_once(&nonce_once, nonce_register);
#endif
  forks = atomic_load(&nonce_forks);
  if (!nonce_pool.filled || nonce_pool.forks != forks || NONCE_POOL - nonce_pool.next < len) {
    nonce_pool.filled = 0;
    if (fill_pool(nonce_pool.bytes, NONCE_POOL) != 0) return -1;
    nonce_pool.filled = 1;
    nonce_pool.forks = forks;
    nonce_pool.next = 0;
  }
  memcpy(buf, nonce_pool.bytes + nonce_pool.next, len);
  nonce_pool.next += len;
  return 0;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int crypto_parse_hex(const char *hex, uint8_t out[CRYPTO_MAX_KEY]) {
  if (!hex) return -1;
  size_t n = strlen(hex);
  if (n == 0 || n % 2 != 0 || n / 2 > CRYPTO_MAX_KEY) return -1;
  for (size_t i = 0; i < n; i += 2) {
    int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return -1;
    out[i / 2] = (uint8_t)(hi << 4 | lo);
  }
  return (int)(n / 2);
}

/* ---- the page codec ---------------------------------------------------------- */

#define PAGE1_HEADER 100
#define SQLITE_MAGIC "SQLite format 3"
#define MAGIC_SIZE 16
#define CODEC_VERSION 0
#define CODEC_VERSION_AT 5
#define CODEC_CIPHER_AT 6

int codec_header_cipher(const uint8_t *h) {
  if (memcmp(h, SQLITE_MAGIC, MAGIC_SIZE) == 0) return 0;
  if (memcmp(h, CODEC_HEADER_MAGIC, CODEC_HEADER_MAGIC_SIZE) != 0 || h[CODEC_VERSION_AT] != CODEC_VERSION) return -1;
  for (int i = CODEC_CIPHER_AT + 1; i < MAGIC_SIZE; i++)
    if (h[i] != 0) return -1;
  return valid_cipher(h[CODEC_CIPHER_AT]) ? h[CODEC_CIPHER_AT] : -1;
}

int codec_encode(const CryptoKey *k, uint32_t pgno, const uint8_t *in, uint8_t *out, uint32_t page_size) {
  size_t nonce_size = ciphers[k->cipher].nonce_size, reserved = nonce_size + CRYPTO_TAG_SIZE;
  size_t body_end = page_size - reserved, start = pgno == 1 ? PAGE1_HEADER : 0;
  uint8_t *tag = out + body_end, *nonce = tag + CRYPTO_TAG_SIZE;
  if (in != out) memcpy(out, in, body_end);
  if (crypto_nonce(nonce, nonce_size) != 0) return -1;
  if (pgno == 1) {
    memset(out, 0, MAGIC_SIZE);
    memcpy(out, CODEC_HEADER_MAGIC, CODEC_HEADER_MAGIC_SIZE);
    out[CODEC_VERSION_AT] = CODEC_VERSION;
    out[CODEC_CIPHER_AT] = (uint8_t)k->cipher;
  }
  crypto_encrypt(k, nonce, out, start, out + start, body_end - start, tag);
  return 0;
}

int codec_decode(const CryptoKey *k, uint32_t pgno, uint8_t *page, uint32_t page_size) {
  size_t nonce_size = ciphers[k->cipher].nonce_size, reserved = nonce_size + CRYPTO_TAG_SIZE;
  size_t body_end = page_size - reserved, start = pgno == 1 ? PAGE1_HEADER : 0;
  uint8_t tag[CRYPTO_TAG_SIZE], nonce[CRYPTO_MAX_NONCE];
  memcpy(tag, page + body_end, CRYPTO_TAG_SIZE);
  memcpy(nonce, page + body_end + CRYPTO_TAG_SIZE, nonce_size);
  int rc = pgno == 1 && codec_header_cipher(page) != k->cipher ? -1 : 0;
  if (rc == 0) rc = crypto_decrypt(k, nonce, page, start, page + start, body_end - start, tag);
  if (rc != 0) {
    wipe(page, page_size);
    return -1;
  }
  memset(page + body_end, 0, reserved);
  if (pgno == 1) memcpy(page, SQLITE_MAGIC, MAGIC_SIZE);
  return 0;
}
