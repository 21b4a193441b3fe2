/*
** bench/crypt_cipher.c — raw cipher speed on 4 KiB pages: every cipher,
** hardware AES (AES-NI) and the portable constant-time code, encryption and
** decryption in MB/s of CPU time (wall time in wasm).  A benchmark, not a test (make bench-crypt; the wasm
** build runs the same code: sh bench/crypt_cipher_wasm.sh).
*/
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crypto/crypto.h"

static double now(void) {
  struct timespec ts;
#ifdef __EMSCRIPTEN__
  clock_gettime(CLOCK_MONOTONIC, &ts); /* emscripten has no process CPU clock */
#else
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine may be shared */
#endif
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define PAGE 4096

/* MB/s of encrypting (dec = 0) or decrypting one page over and over for about 0.3 s. */
static double speed(CryptoKey *k, int dec) {
  static uint8_t page[PAGE];
  uint8_t nonce[CRYPTO_MAX_NONCE] = {1}, tag[CRYPTO_TAG_SIZE];
  long n = 0;
  double t0 = now(), t;
  crypto_encrypt(k, nonce, NULL, 0, page, PAGE, tag);
  do {
    for (int i = 0; i < 16; i++, n++) {
      if (dec) {
        crypto_encrypt(k, nonce, NULL, 0, page, PAGE, tag);
        if (crypto_decrypt(k, nonce, NULL, 0, page, PAGE, tag) != 0) return -1;
      } else {
        crypto_encrypt(k, nonce, NULL, 0, page, PAGE, tag);
      }
    }
    t = now() - t0;
  } while (t < 0.3);
  return (double)n * PAGE / t / 1e6 * (dec ? 2 : 1);
}

/* MB/s of GHASH alone on the portable path: a page given as associated data
** with nothing to encrypt costs the hash and two AES blocks. */
static double ghash_speed(CryptoKey *k) {
  static uint8_t page[PAGE];
  uint8_t nonce[CRYPTO_MAX_NONCE] = {1}, tag[CRYPTO_TAG_SIZE];
  long n = 0;
  double t0 = now(), t;
  do {
    for (int i = 0; i < 16; i++, n++) crypto_encrypt(k, nonce, page, PAGE, page, 0, tag);
    t = now() - t0;
  } while (t < 0.3);
  return (double)n * PAGE / t / 1e6;
}

int main(void) {
  uint8_t key[32];
  for (int i = 0; i < 32; i++) key[i] = (uint8_t)(i * 7 + 1);
  printf("| cipher | hardware encrypt MB/s | hardware encrypt+decrypt MB/s | AES-NI without AVX: encrypt / "
         "encrypt+decrypt MB/s | portable encrypt MB/s | portable encrypt+decrypt MB/s |\n");
  printf("|---|---:|---:|---:|---:|---:|\n");
  for (int c = CIPHER_AES128GCM; c < CIPHER_COUNT; c++) {
    CryptoKey *k = crypto_key_new(c, key, crypto_key_size(c));
    crypto_use_hardware(CRYPTO_HW_BEST);
    double hw = speed(k, 0), hwd = speed(k, 1);
    crypto_use_hardware(CRYPTO_HW_SSE);
    double se = speed(k, 0), sd = speed(k, 1);
    crypto_use_hardware(CRYPTO_HW_NONE);
    double pe = speed(k, 0), pd = speed(k, 1);
    crypto_use_hardware(CRYPTO_HW_BEST);
    printf("| %s | %.0f | %.0f | %.0f / %.0f | %.1f | %.1f |\n", crypto_cipher_name(c), hw, hwd, se, sd, pe, pd);
    crypto_key_free(k);
  }
  crypto_use_hardware(CRYPTO_HW_NONE);
  for (int c = CIPHER_AES128GCM; c <= CIPHER_AES256GCM; c++) {
    CryptoKey *k = crypto_key_new(c, key, crypto_key_size(c));
    printf("portable GHASH alone (%s key): %.1f MB/s\n", crypto_cipher_name(c), ghash_speed(k));
    crypto_key_free(k);
  }
  crypto_use_hardware(CRYPTO_HW_BEST);
  return 0;
}
