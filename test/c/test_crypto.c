/*
** test_crypto.c — the AEAD ciphers against the published test vectors
** (CFRG AEGIS draft, NIST GCM), AES-GCM cross-checked against OpenSSL when
** the build has it, and the page codec's format and tamper detection.
*/
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"
#include "testdb.h"
#include "testlib.h"
#ifdef LODE_TEST_OPENSSL
#include <openssl/evp.h>
#endif

static size_t unhex(const char *h, uint8_t *out) {
  size_t n = strlen(h) / 2;
  for (size_t i = 0; i < n; i++) {
    unsigned v;
    sscanf(h + 2 * i, "%2x", &v);
    out[i] = (uint8_t)v;
  }
  return n;
}

typedef struct Vector {
  int cipher;
  const char *key, *nonce, *ad, *msg, *ct, *tag;
} Vector;

#define K128 "10010000000000000000000000000000"
#define N128 "10000200000000000000000000000000"
#define K256 "1001000000000000000000000000000000000000000000000000000000000000"
#define N256 "1000020000000000000000000000000000000000000000000000000000000000"
#define KX128 "000102030405060708090a0b0c0d0e0f"
#define NX128 "101112131415161718191a1b1c1d1e1f"
#define KX256 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define NX256 "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
#define MX "040506070405060704050607040506070405060704050607040506070405060704050607040506070405060704050607040506070405060704050607040506070405060704050607040506070405060704050607040506070405060704050607040506070405060704050607040506070405060704050607"

static const Vector vectors[] = {
    /* AEGIS-128L */
    {CIPHER_AEGIS128L, K128, N128, "", "00000000000000000000000000000000", "c1c0e58bd913006feba00f4b3cc3594e",
     "abe0ece80c24868a226a35d16bdae37a"},
    {CIPHER_AEGIS128L, K128, N128, "", "", "", "c2b879a67def9d74e6c14f708bbcc9b4"},
    {CIPHER_AEGIS128L, K128, N128, "0001020304050607", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
     "79d94593d8c2119d7e8fd9b8fc77845c5c077a05b2528b6ac54b563aed8efe84", "cc6f3372f6aa1bb82388d695c3962d9a"},
    {CIPHER_AEGIS128L, K128, N128, "0001020304050607", "000102030405060708090a0b0c0d", "79d94593d8c2119d7e8fd9b8fc77",
     "5c04b3dba849b2701effbe32c7f0fab7"},
    {CIPHER_AEGIS128L, K128, N128, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223242526272829",
     "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
     "b31052ad1cca4e291abcf2df3502e6bdb1bfd6db36798be3607b1f94d34478aa7ede7f7a990fec10", "7542a745733014f9474417b337399507"},
    /* AEGIS-256 */
    {CIPHER_AEGIS256, K256, N256, "", "00000000000000000000000000000000", "754fc3d8c973246dcc6d741412a4b236",
     "3fe91994768b332ed7f570a19ec5896e"},
    {CIPHER_AEGIS256, K256, N256, "", "", "", "e3def978a0f054afd1e761d7553afba3"},
    {CIPHER_AEGIS256, K256, N256, "0001020304050607", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
     "f373079ed84b2709faee373584585d60accd191db310ef5d8b11833df9dec711", "8d86f91ee606e9ff26a01b64ccbdd91d"},
    {CIPHER_AEGIS256, K256, N256, "0001020304050607", "000102030405060708090a0b0c0d", "f373079ed84b2709faee37358458",
     "c60b9c2d33ceb058f96e6dd03c215652"},
    {CIPHER_AEGIS256, K256, N256, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223242526272829",
     "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
     "57754a7d09963e7c787583a2e7b859bb24fa1e04d49fd550b2511a358e3bca252a9b1b8b30cc4a67", "ab8a7d53fd0e98d727accca94925e128"},
    /* AEGIS-128X2 / X4 */
    {CIPHER_AEGIS128X2, KX128, NX128, "", "", "", "63117dc57756e402819a82e13eca8379"},
    {CIPHER_AEGIS128X2, KX128, NX128, "0102030401020304", MX,
     "5795544301997f93621b278809d6331b3bfa6f18e90db12c4aa35965b5e98c5fc6fb4e54bcb6111842c20637252eff747cb3a8f85b37de80919a589fe0f24872bc926360696739e05520647e390989e1eb5fd42f99678a0276a498f8c454761c9d6aacb647ad56be62b29c22cd4b5761b38f43d5a5ee062f",
     "1aebc200804f405cab637f2adebb6d77"},
    {CIPHER_AEGIS128X4, KX128, NX128, "", "", "", "5bef762d0947c00455b97bb3af30dfa3"},
    {CIPHER_AEGIS128X4, KX128, NX128, "0102030401020304", MX,
     "e836118562f4479c9d35c17356a833114c21f9aa39e4dda5e5c87f4152a00fce9a7c38f832eafe8b1c12f8a7cf12a81a1ad8a9c24ba9dedfbdaa586ffea67ddc801ea97d9ab4a872f42d0e352e2713dacd609f9442c17517c5a29daf3e2a3fac4ff6b1380c4e46df7b086af6ce6bc1ed594b8dd64aed2a7e",
     "0e56ab94e2e85db80f9d54010caabfb4"},
    /* AEGIS-256X2 / X4 */
    {CIPHER_AEGIS256X2, KX256, NX256, "", "", "", "62cdbab084c83dacdb945bb446f049c8"},
    {CIPHER_AEGIS256X2, KX256, NX256, "0102030401020304", MX,
     "72120c2ea8236180d67859001f4729077b7064c414384fe3a7b52f1571f4f8a7d0f01e18db4f3bc0adb150702e5d147a8d36522132761b994c1bd395589e2ccf0790dfe2a3d12d61cd666b2859827739db4037dd3124c78424459376f6cac08e1a7223a2a43e398ce6385cd654a19f481cba3b8f25910b42",
     "635d391828520bf1512763f0c8f5cdbd"},
    {CIPHER_AEGIS256X4, KX256, NX256, "", "", "", "3b7fee6cee7bf17888ad11ed2397beb4"},
    {CIPHER_AEGIS256X4, KX256, NX256, "0102030401020304", MX,
     "bfc2085b7e8017da99b0b6d646ae4d01f4ba8f2e7dfca1d759ae48a135139b9aaac6b4f5db810d426be1fdaff4e1454153a34b11da78ed7e418ee2ee9853042e95536aecbb694cea1b16a478eb0d4d1bf6509b1ce652a45af58e0e46ffccfa2d0426e702391d2ff5813808b81748a490dd656465fed61f09",
     "b63b611b13975e2f3dc3cb6c2397bfcd"},
    /* AES-GCM (the GCM specification's test cases 2 and 4) */
    {CIPHER_AES128GCM, "00000000000000000000000000000000", "000000000000000000000000", "",
     "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf"},
    {CIPHER_AES128GCM, "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
     "5bc94fbc3221a5db94fae95ae7121a47"},
};

/* FIPS-197 appendix C: AES-128 and AES-256 on one block, the key schedule
** included (the portable run checks the constant-time code). */
TEST(aes_block_fips197) {
  static const struct {
    const char *key, *ct;
  } v[] = {{"000102030405060708090a0b0c0d0e0f", "69c4e0d86a7b0430d8cdb78070b4c55a"},
           {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "8ea2b7ca516745bfeafc49904b496089"}};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    uint8_t key[32], pt[16], want[16], got[16], rk[(AES_MAX_ROUNDS + 1) * AES_BLOCK];
    int rounds = 0;
    size_t kl = unhex(v[i].key, key);
    unhex("00112233445566778899aabbccddeeff", pt);
    unhex(v[i].ct, want);
    aes_expand(key, kl, rk, &rounds);
    CHECK_EQ_INT(rounds, kl == 16 ? 10 : 14);
    aes_encrypt_block(rk, rounds, pt, got);
    CHECK(memcmp(got, want, 16) == 0);
    /* Many blocks at once go through the same batches as counter mode. */
    uint8_t many[7 * 16];
    for (int b = 0; b < 7; b++) memcpy(many + 16 * b, pt, 16);
    aes_ct_encrypt(rk, rounds, many, many, 7);
    for (int b = 0; b < 7; b++) CHECK(memcmp(many + 16 * b, want, 16) == 0);
  }
}

/* GF(2^8) multiplication modulo x^8 + x^4 + x^3 + x + 1, bit by bit. */
static uint8_t gf_mul_ref(uint8_t a, uint8_t b) {
  uint8_t r = 0;
  for (int i = 0; i < 8; i++) {
    if (b & 1) r ^= a;
    a = (uint8_t)((a << 1) ^ (a & 0x80 ? 0x1b : 0));
    b >>= 1;
  }
  return r;
}

/* The constant-time S-box against FIPS-197 section 5.1.1 computed the slow
** way (the inverse found by search, then the affine map), all 256 bytes. */
TEST(aes_sbox_all_bytes) {
  for (int x = 0; x < 256; x++) {
    uint8_t inv = 0;
    for (int y = 1; y < 256 && x; y++)
      if (gf_mul_ref((uint8_t)x, (uint8_t)y) == 1) inv = (uint8_t)y;
    uint8_t s = 0x63;
    for (int i = 0; i < 8; i++) {
      int bit = ((inv >> i) ^ (inv >> ((i + 4) & 7)) ^ (inv >> ((i + 5) & 7)) ^ (inv >> ((i + 6) & 7)) ^
                 (inv >> ((i + 7) & 7))) & 1;
      s ^= (uint8_t)(bit << i);
    }
    uint8_t w[4] = {(uint8_t)x, (uint8_t)(x + 1), 0, (uint8_t)x};
    aes_ct_sub_word(w);
    if (w[0] != s || w[3] != s) {
      TEST_FAIL_("S-box of 0x%02x: got 0x%02x, want 0x%02x", x, w[0], s);
      break;
    }
  }
}

/* The hardware level aegis_portable_matches_hardware compares with:
** CRYPTO_HW_BEST (AVX, VAES where the CPU has them) or CRYPTO_HW_SSE. */
static int hardware_level = CRYPTO_HW_BEST;

/* The portable AEGIS (bitsliced rounds) and the AES-NI one agree on random
** keys, nonces and lengths (a page and around it one time in eight), every
** lane count; both directions. */
TEST(aegis_portable_matches_hardware) {
  static const int cs[] = {CIPHER_AEGIS128L, CIPHER_AEGIS128X2, CIPHER_AEGIS128X4,
                           CIPHER_AEGIS256,  CIPHER_AEGIS256X2, CIPHER_AEGIS256X4};
  srand(11);
  for (int iter = 0; iter < 120; iter++) {
    int c = cs[iter % 6];
    size_t kl = crypto_key_size(c), al = (size_t)(rand() % 150), ml = (size_t)(rand() % 900);
    if (iter % 8 == 7) ml = 4096 - 64 + (size_t)(rand() % 128);
    static uint8_t msg[4200], a[4200], b[4200];
    uint8_t key[32], nonce[32], ad[160], ta[16], tb[16];
    for (size_t i = 0; i < kl; i++) key[i] = (uint8_t)rand();
    for (size_t i = 0; i < 32; i++) nonce[i] = (uint8_t)rand();
    for (size_t i = 0; i < al; i++) ad[i] = (uint8_t)rand();
    for (size_t i = 0; i < ml; i++) msg[i] = (uint8_t)rand();
    CryptoKey *k = crypto_key_new(c, key, kl);
    memcpy(a, msg, ml);
    memcpy(b, msg, ml);
    int was = crypto_use_hardware(CRYPTO_HW_NONE);
    crypto_encrypt(k, nonce, ad, al, a, ml, ta);
    crypto_use_hardware(hardware_level);
    crypto_encrypt(k, nonce, ad, al, b, ml, tb);
    int same = memcmp(a, b, ml) == 0 && memcmp(ta, tb, 16) == 0;
    crypto_use_hardware(0);
    int dec = crypto_decrypt(k, nonce, ad, al, b, ml, tb);
    crypto_use_hardware(was);
    crypto_key_free(k);
    if (!same || dec != 0 || memcmp(b, msg, ml) != 0) {
      TEST_FAIL_("iteration %d (%s, ad %zu, msg %zu): portable and hardware disagree", iter, crypto_cipher_name(c), al, ml);
      break;
    }
  }
}

/* Each vector encrypts to its ciphertext and tag and decrypts back; a
** flipped bit in the ciphertext, the tag or the associated data fails. */
TEST(vectors_encrypt_decrypt) {
  for (size_t v = 0; v < sizeof vectors / sizeof vectors[0]; v++) {
    const Vector *t = &vectors[v];
    uint8_t key[32], nonce[32], ad[64], msg[256], ct[256], tag[16], got[16];
    size_t kl = unhex(t->key, key);
    unhex(t->nonce, nonce);
    size_t al = unhex(t->ad, ad), ml = unhex(t->msg, msg);
    unhex(t->ct, ct);
    unhex(t->tag, tag);
    CryptoKey *k = crypto_key_new(t->cipher, key, kl);
    CHECK(k != NULL);
    if (!k) continue;
    uint8_t buf[256];
    memcpy(buf, msg, ml);
    crypto_encrypt(k, nonce, ad, al, buf, ml, got);
    if (memcmp(buf, ct, ml) != 0) TEST_FAIL_("vector %zu (%s): ciphertext differs", v, crypto_cipher_name(t->cipher));
    if (memcmp(got, tag, 16) != 0) TEST_FAIL_("vector %zu (%s): tag differs", v, crypto_cipher_name(t->cipher));
    CHECK_EQ_INT(crypto_decrypt(k, nonce, ad, al, buf, ml, tag), 0);
    CHECK(memcmp(buf, msg, ml) == 0);
    memcpy(buf, ct, ml);
    tag[15] ^= 1;
    CHECK_EQ_INT(crypto_decrypt(k, nonce, ad, al, buf, ml, tag), -1);
    tag[15] ^= 1;
    if (ml > 0) {
      memcpy(buf, ct, ml);
      buf[ml - 1] ^= 0x80;
      CHECK_EQ_INT(crypto_decrypt(k, nonce, ad, al, buf, ml, tag), -1);
    }
    if (al > 0) {
      memcpy(buf, ct, ml);
      ad[0] ^= 1;
      CHECK_EQ_INT(crypto_decrypt(k, nonce, ad, al, buf, ml, tag), -1);
    }
    crypto_key_free(k);
  }
}

TEST(cipher_names) {
  CHECK_EQ_INT(crypto_cipher_by_name("aegis256"), CIPHER_AEGIS256);
  CHECK_EQ_INT(crypto_cipher_by_name("AES-256-GCM"), CIPHER_AES256GCM);
  CHECK_EQ_INT(crypto_cipher_by_name("aegis_128x4"), CIPHER_AEGIS128X4);
  CHECK_EQ_INT(crypto_cipher_by_name("rot13"), 0);
  CHECK_EQ_INT(codec_reserved(CIPHER_AEGIS256), 48);
  CHECK_EQ_INT(codec_reserved(CIPHER_AES128GCM), 28);
  CHECK_EQ_INT(codec_reserved(CIPHER_AEGIS128L), 32);
  uint8_t key[32];
  CHECK_EQ_INT(crypto_parse_hex("00ff10", key), 3);
  CHECK_EQ_INT(key[1], 0xff);
  CHECK_EQ_INT(crypto_parse_hex("0g", key), -1);
  CHECK_EQ_INT(crypto_parse_hex("abc", key), -1);
  CHECK(crypto_key_new(CIPHER_AEGIS256, key, 16) == NULL);
}

/* Nonces come from a pooled batch of randomness: no two draws repeat, in one
** process, across threads' pools, or between a parent and a child forked
** after the pool was filled (the child must not reuse the parent's bytes). */
TEST(nonces_never_repeat) {
  enum { N = 200 };
  static uint8_t seen[N][CRYPTO_MAX_NONCE];
  for (int i = 0; i < N; i++) {
    CHECK_EQ_INT(crypto_nonce(seen[i], CRYPTO_MAX_NONCE), 0);
    for (int j = 0; j < i; j++) CHECK(memcmp(seen[i], seen[j], CRYPTO_MAX_NONCE) != 0);
  }
  int fd[2];
  CHECK_EQ_INT(pipe(fd), 0);
  pid_t pid = fork();
  if (pid == 0) {
    uint8_t n[CRYPTO_MAX_NONCE];
    int ok = crypto_nonce(n, sizeof n) == 0 && write(fd[1], n, sizeof n) == (ssize_t)sizeof n;
    _exit(ok ? 0 : 1);
  }
  CHECK(pid > 0);
  uint8_t mine[CRYPTO_MAX_NONCE], child[CRYPTO_MAX_NONCE];
  CHECK_EQ_INT(crypto_nonce(mine, sizeof mine), 0);
  CHECK(read(fd[0], child, sizeof child) == (ssize_t)sizeof child);
  int status = 0;
  CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CHECK(memcmp(mine, child, sizeof mine) != 0);
  close(fd[0]);
  close(fd[1]);
}

/* Pages round-trip for every cipher; page 1 keeps its header readable with
** the codec's magic; any changed byte makes the page fail to decode. */
TEST(codec_pages) {
  uint8_t key[32];
  for (int i = 0; i < 32; i++) key[i] = (uint8_t)(i * 7 + 1);
  for (int c = 1; c < CIPHER_COUNT; c++) {
    CryptoKey *k = crypto_key_new(c, key, crypto_key_size(c));
    uint32_t ps = 4096, r = (uint32_t)codec_reserved(c);
    uint8_t *plain = calloc(1, ps), *enc = malloc(ps), *dec = malloc(ps);
    memcpy(plain, "SQLite format 3", 16);
    plain[20] = (uint8_t)r;
    for (uint32_t i = 100; i < ps - r; i++) plain[i] = (uint8_t)(i * 31);
    for (uint32_t pgno = 1; pgno <= 2; pgno++) {
      CHECK_EQ_INT(codec_encode(k, pgno, plain, enc, ps), 0);
      if (pgno == 1) {
        CHECK(memcmp(enc, "Turso", 5) == 0);
        CHECK_EQ_INT(enc[6], c);
        CHECK_EQ_INT(codec_header_cipher(enc), c);
        CHECK(memcmp(enc + 16, plain + 16, 84) == 0);
      }
      CHECK(memcmp(enc + 200, plain + 200, 64) != 0);
      memcpy(dec, enc, ps);
      CHECK_EQ_INT(codec_decode(k, pgno, dec, ps), 0);
      CHECK(memcmp(dec, plain, ps) == 0);
      /* every 7th byte position flipped, one at a time */
      for (uint32_t pos = 0; pos < ps; pos += 7) {
        memcpy(dec, enc, ps);
        dec[pos] ^= 0x40;
        if (codec_decode(k, pgno, dec, ps) == 0) {
          TEST_FAIL_("%s page %u: flipped byte %u decoded", crypto_cipher_name(c), pgno, pos);
          break;
        }
      }
    }
    crypto_key_free(k);
    free(plain);
    free(enc);
    free(dec);
  }
}

#ifdef LODE_TEST_OPENSSL
/* Random keys, nonces, lengths: our AES-GCM and OpenSSL's agree. */
TEST(gcm_matches_openssl) {
  srand(7);
  for (int iter = 0; iter < 200; iter++) {
    int c = iter % 2 ? CIPHER_AES256GCM : CIPHER_AES128GCM;
    size_t kl = crypto_key_size(c), al = (size_t)(rand() % 120), ml = (size_t)(rand() % 700);
    if (iter % 8 == 7) ml = 4096 - 64 + (size_t)(rand() % 128); /* a page: the 8-block loops and their tails */
    static uint8_t msg[4200], ours[4200], theirs[4216];
    uint8_t key[32], nonce[12], ad[128], tag[16], tag2[16];
    for (size_t i = 0; i < kl; i++) key[i] = (uint8_t)rand();
    for (size_t i = 0; i < 12; i++) nonce[i] = (uint8_t)rand();
    for (size_t i = 0; i < al; i++) ad[i] = (uint8_t)rand();
    for (size_t i = 0; i < ml; i++) msg[i] = (uint8_t)rand();
    CryptoKey *k = crypto_key_new(c, key, kl);
    memcpy(ours, msg, ml);
    crypto_encrypt(k, nonce, ad, al, ours, ml, tag);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0, n2 = 0;
    EVP_EncryptInit_ex(ctx, c == CIPHER_AES256GCM ? EVP_aes_256_gcm() : EVP_aes_128_gcm(), NULL, key, nonce);
    if (al) EVP_EncryptUpdate(ctx, NULL, &n, ad, (int)al);
    EVP_EncryptUpdate(ctx, theirs, &n, msg, (int)ml);
    EVP_EncryptFinal_ex(ctx, theirs + n, &n2);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag2);
    EVP_CIPHER_CTX_free(ctx);
    int differs = memcmp(ours, theirs, ml) != 0 || memcmp(tag, tag2, 16) != 0;
    if (!differs) differs = crypto_decrypt(k, nonce, ad, al, ours, ml, tag) != 0 || memcmp(ours, msg, ml) != 0;
    if (differs) {
      TEST_FAIL_("iteration %d (%s, ad %zu, msg %zu) differs from OpenSSL", iter, crypto_cipher_name(c), al, ml);
      crypto_key_free(k);
      break;
    }
    crypto_key_free(k);
  }
}
#endif

/* Named once, so that forked children use their parent's file. */
static const char *named_once(char *buf, size_t n, const char *name) {
  return buf[0] ? buf : tmp_db_path(buf, n, name);
}
static char db_path_buf[96], mut_path_buf[96];
#define DB named_once(db_path_buf, sizeof db_path_buf, "crypto")
#define KEY256 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static lode *open_uri(const char *uri, int *rc) {
  lode *db = NULL;
  *rc = lode_open_v2(uri, &db, LODE_OPEN_READWRITE | LODE_OPEN_CREATE | LODE_OPEN_URI, NULL);
  return db;
}

/* The URI "file:<path><params>". */
static lode *open_at(const char *path, const char *params, int *rc) {
  char uri[400];
  snprintf(uri, sizeof uri, "file:%s%s", path, params);
  return open_uri(uri, rc);
}

/* The C API's ways in: lode_key on a new database, the URI to reopen, and
** the errors for no key, a wrong key, a wrong cipher and a bad key. */
TEST(c_api_keys) {
  remove_db(DB);
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(DB, &db), LODE_OK);
  CHECK_EQ_INT(lode_key(db, "aegis256", "abcd"), LODE_ERROR);
  CHECK(strstr(lode_errmsg(db), "hexkey") != NULL);
  CHECK_EQ_INT(lode_key(db, "aegis256", KEY256), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES ('hidden value 42');", NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA cipher"), "aegis256\n");
  CHECK_EQ_INT(lode_key(db, "aegis256", KEY256), LODE_OK); /* the same key again: accepted */
  CHECK_EQ_INT(lode_key(db, "aes256gcm", KEY256), LODE_ERROR);
  lode_close(db);

  int rc;
  db = open_at(DB, "?cipher=aegis256&hexkey=" KEY256, &rc);
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT x FROM t"), "hidden value 42\n");
  lode_close(db);

  db = open_at(DB, "?cipher=aegis256&hexkey=1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", &rc);
  CHECK_EQ_INT(lode_exec(db, "SELECT * FROM t", NULL), LODE_NOTADB);
  CHECK_EQ_STR(lode_errmsg(db), "file is not a database");
  lode_close(db);
  /* Another cipher's key, or none: the file opens, as SQLite opens any
  ** file, and is no database to what reads it; a key given then changes
  ** nothing in it. */
  db = open_at(DB, "?cipher=aegis256x2&hexkey=" KEY256, &rc);
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "SELECT * FROM t", NULL), LODE_NOTADB);
  lode_close(db);
  CHECK_EQ_INT(lode_open(DB, &db), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "SELECT * FROM t", NULL), LODE_NOTADB);
  CHECK_EQ_STR(lode_errmsg(db), "file is not a database");
  CHECK_EQ_INT(lode_key(db, "aegis256", KEY256), LODE_NOTADB);
  CHECK_EQ_INT(lode_exec(db, "CREATE TABLE u(y)", NULL), LODE_NOTADB);
  lode_close(db);
  db = open_at(DB, "?cipher=aegis256&hexkey=" KEY256, &rc);
  CHECK_EQ_STR(query(db, "SELECT x FROM t"), "hidden value 42\n");
  lode_close(db);
  db = open_at(DB, "?cipher=aegis256&hexkey=xyz", &rc);
  CHECK_EQ_INT(rc, LODE_ERROR);
  CHECK(strstr(lode_errmsg(db), "hexkey") != NULL);
  lode_close(db);

  /* A plaintext database refuses a key. */
  remove_db(DB);
  CHECK_EQ_INT(lode_open(DB, &db), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "CREATE TABLE t(x)", NULL), LODE_OK);
  CHECK_EQ_INT(lode_key(db, "aegis256", KEY256), LODE_ERROR);
  CHECK(strstr(lode_errmsg(db), "already has data") != NULL);
  lode_close(db);
  remove_db(DB);
}

#define MUT_DB named_once(mut_path_buf, sizeof mut_path_buf, "crypto_mut")
#define MUT_PARAMS "?cipher=aegis256&hexkey=" KEY256

/* The rows through the table and through the index, or "ERROR <code>: ...". */
static char *mutation_read(lode *db) {
  const char *a = query(db, "SELECT id, v, length(big), substr(hex(big), 1, 16), hex(substr(big, -8)) FROM t ORDER BY id");
  size_t n = strlen(a);
  char *out = malloc(2 * n + 64);
  memcpy(out, a, n + 1);
  if (strncmp(a, "ERROR", 5) != 0) {
    const char *b = query(db, "SELECT v FROM t INDEXED BY tv ORDER BY v, id");
    if (strncmp(b, "ERROR", 5) == 0) snprintf(out, 2 * n + 64, "%s", b);
    else snprintf(out + n, n + 64, "%s", b);
  }
  return out;
}

static int primary_error(const char *text) {
  int code = 0;
  return sscanf(text, "ERROR %d", &code) == 1 ? (code & 0xff) : 0;
}

/* One changed byte anywhere in an encrypted file — on the header page, table
** and index interior and leaf pages, overflow pages, the freelist — over
** thousands of positions: reading every row through the table and the index,
** then integrity_check, reports SQLITE_CORRUPT or SQLITE_NOTADB or a failed
** check; never other rows, never a crash.  The only silent positions are in
** freelist leaf pages, whose bytes nothing ever reads. */
TEST(mutation_thousands_of_positions) {
  remove_db(MUT_DB);
  int rc;
  lode *db = open_at(MUT_DB, MUT_PARAMS, &rc);
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "PRAGMA page_size = 1024; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, big BLOB); "
                             "CREATE INDEX tv ON t(v); "
                             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) "
                             "INSERT INTO t SELECT i, printf('value-%05d-%.*c', i * 7919 % 400, i % 40, 'x'), "
                             "CASE WHEN i % 25 = 0 THEN randomblob(2500) END FROM n; "
                             "DELETE FROM t WHERE id BETWEEN 120 AND 260 OR id % 9 = 4; PRAGMA wal_checkpoint(TRUNCATE);",
                  NULL), LODE_OK);
  CHECK_EQ_INT(query_int(db, "PRAGMA freelist_count") > 2, 1);
  uint8_t leaf[4096] = {0}; /* 1 for the freelist leaf pages */
  lode_close(db);
  FILE *f = fopen(MUT_DB, "rb");
  CHECK(f != NULL);
  if (!f) return;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *good = malloc((size_t)size), *bad = malloc((size_t)size);
  CHECK_EQ_INT(fread(good, 1, (size_t)size, f), size);
  fclose(f);
  CHECK_EQ_INT(size % 1024, 0);
  CHECK(size / 1024 > 40 && size / 1024 < 4096);
  db = open_at(MUT_DB, MUT_PARAMS, &rc);
  char *want = mutation_read(db);
  CHECK(strncmp(want, "ERROR", 5) != 0);
  lode_close(db);
  /* Freelist leaf pages: the trunks (decrypted here) list them. */
  uint8_t keybytes[CRYPTO_MAX_KEY], page[1024];
  CryptoKey *k = crypto_key_new(CIPHER_AEGIS256, keybytes, (size_t)crypto_parse_hex(KEY256, keybytes));
  uint32_t trunk = ((uint32_t)good[32] << 24) | ((uint32_t)good[33] << 16) | ((uint32_t)good[34] << 8) | good[35];
  int leaves = 0;
  while (trunk > 1 && (long)trunk * 1024 <= size) {
    memcpy(page, good + (trunk - 1) * 1024, 1024);
    CHECK_EQ_INT(codec_decode(k, trunk, page, 1024), 0);
    uint32_t next = ((uint32_t)page[0] << 24) | ((uint32_t)page[1] << 16) | ((uint32_t)page[2] << 8) | page[3];
    uint32_t n = ((uint32_t)page[4] << 24) | ((uint32_t)page[5] << 16) | ((uint32_t)page[6] << 8) | page[7];
    for (uint32_t i = 0; i < n && 8 + 4 * i + 4 <= 1024; i++) {
      const uint8_t *e = page + 8 + 4 * i;
      uint32_t pg = ((uint32_t)e[0] << 24) | ((uint32_t)e[1] << 16) | ((uint32_t)e[2] << 8) | e[3];
      if (pg >= 1 && pg <= sizeof leaf) leaf[pg - 1] = 1, leaves++;
    }
    trunk = next;
  }
  crypto_key_free(k);
  CHECK(leaves > 0);
  int detected = 0, silent_free = 0, positions = 0;
  for (long pos = 0; pos < size; pos += 37) {
    memcpy(bad, good, (size_t)size);
    bad[pos] ^= (uint8_t)(1u << (pos % 8));
    f = fopen(MUT_DB, "wb");
    fwrite(bad, 1, (size_t)size, f);
    fclose(f);
    positions++;
    db = open_at(MUT_DB, MUT_PARAMS, &rc);
    char *got = NULL;
    const char *check = "";
    int code = rc != LODE_OK ? (rc & 0xff) : 0;
    if (!code) {
      got = mutation_read(db);
      code = primary_error(got);
      if (!code) {
        check = query(db, "PRAGMA integrity_check");
        code = primary_error(check);
      }
    }
    lode_close(db);
    uint32_t pgno = (uint32_t)(pos / 1024) + 1;
    if (code) {
      if (code != LODE_CORRUPT && code != LODE_NOTADB) {
        TEST_FAIL_("byte %ld (page %u): error code %d", pos, pgno, code);
        free(got);
        break;
      }
      detected++;
    } else if (strcmp(got, want) != 0) {
      TEST_FAIL_("byte %ld (page %u): different rows and no error", pos, pgno);
      free(got);
      break;
    } else if (strcmp(check, "ok\n") != 0) {
      detected++;
    } else if (pgno <= sizeof leaf && leaf[pgno - 1]) {
      silent_free++;
    } else {
      TEST_FAIL_("byte %ld (page %u): the change went unnoticed", pos, pgno);
      free(got);
      break;
    }
    free(got);
  }
  CHECK(positions > 1000);
  CHECK_EQ_INT(detected + silent_free, positions);
  if (detected <= positions / 2) TEST_FAIL_("%d of %d positions detected, %d in freelist leaves", detected, positions, silent_free);
  free(want);
  free(good);
  free(bad);
  remove_db(MUT_DB);
}

/* Many commits, checkpoints, a VACUUM and reopenings of an encrypted file
** keep every row, and the b-trees stay sound. */
TEST(encrypted_workload) {
  remove_db(DB);
  int rc;
  lode *db = open_at(DB, "?cipher=aes128gcm&hexkey=00112233445566778899aabbccddeeff", &rc);
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "PRAGMA wal_autocheckpoint=20; CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT); "
                             "CREATE INDEX tb ON t(b);", NULL), LODE_OK);
  Rng r;
  rng_seed(&r, 5);
  for (int i = 0; i < 200; i++) {
    char sql[200];
    snprintf(sql, sizeof sql, "INSERT INTO t(b) VALUES ('v%d-%s'); DELETE FROM t WHERE a %% 17 = %d;", rng_int(&r, 1000),
             i % 2 ? "odd" : "even-and-somewhat-longer", rng_int(&r, 17));
    CHECK_EQ_INT(lode_exec(db, sql, NULL), LODE_OK);
  }
  int64_t n = query_int(db, "SELECT count(*) FROM t");
  CHECK_EQ_INT(lode_exec(db, "VACUUM", NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
  db = open_at(DB, "?cipher=aes128gcm&hexkey=00112233445566778899aabbccddeeff", &rc);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), n);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
  remove_db(DB);
}

/* A write transaction larger than the cache spills encrypted frames to the
** WAL and reads them back decrypted: before and after ROLLBACK TO, at commit,
** and after reopening. */
TEST(encrypted_spill) {
  remove_db(DB);
  int rc;
  lode *db = open_at(DB, "?cipher=aegis256&hexkey=" KEY256, &rc);
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "PRAGMA cache_size=20; CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);", NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "BEGIN; WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<3000) "
                             "INSERT INTO t SELECT i, printf('%0500d', i) FROM c; SAVEPOINT s; "
                             "UPDATE t SET b = 'changed' WHERE a % 2 = 0;", NULL), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t WHERE b = 'changed'"), 1500);
  CHECK_EQ_INT(lode_exec(db, "ROLLBACK TO s; RELEASE s;", NULL), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t WHERE b = 'changed'"), 0);
  CHECK_EQ_INT(query_int(db, "SELECT sum(length(b)) FROM t"), 3000 * 500);
  CHECK_EQ_INT(lode_exec(db, "COMMIT", NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
  db = open_at(DB, "?cipher=aegis256&hexkey=" KEY256, &rc);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 3000);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
  remove_db(DB);
}

#define KEY_A "1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a"
#define KEY_B "2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b"

/* Rows and integrity through one key, or -1 when that key does not open the file. */
static int64_t rows_with(const char *key) {
  int rc;
  char uri[300];
  snprintf(uri, sizeof uri, "file:%s?cipher=aegis256&hexkey=%s", DB, key);
  lode *db = open_uri(uri, &rc);
  int64_t n = -1;
  if (rc == LODE_OK && lode_exec(db, "SELECT 1 FROM t LIMIT 1", NULL) == LODE_OK &&
      strcmp(query(db, "PRAGMA integrity_check"), "ok\n") == 0)
    n = query_int(db, "SELECT count(*) FROM t");
  lode_close(db);
  return n;
}

/* PRAGMA rekey and lode_rekey rewrite every page; a process killed in the
** middle of one leaves a file that exactly one of the two keys opens, with
** every row. */
TEST(rekey_and_kill_during_rekey) {
  remove_db(DB);
  int rc;
  lode *db = open_at(DB, "?cipher=aegis256&hexkey=" KEY_A, &rc);
  CHECK_EQ_INT(rc, LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b); "
                             "INSERT INTO t(b) SELECT randomblob(300) FROM generate_series(1, 600);", NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "PRAGMA rekey = '" KEY_B "'", NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "PRAGMA rekey = 'abcd'", NULL), LODE_ERROR);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 600);
  lode_close(db);
  CHECK_EQ_INT(rows_with(KEY_A), -1);
  CHECK_EQ_INT(rows_with(KEY_B), 600);
  db = open_at(DB, "?cipher=aegis256&hexkey=" KEY_B, &rc);
  CHECK_EQ_INT(lode_rekey(db, KEY_A), LODE_OK);
  lode_close(db);
  CHECK_EQ_INT(rows_with(KEY_A), 600);

  Rng rng;
  rng_seed(&rng, 77);
  int seen_a = 0, seen_b = 0;
  for (int round = 0; round < 12; round++) {
    /* Every fourth round the child stops after one whole switch and says so,
    ** so that both keys are seen however slow the machine is; the other
    ** rounds kill it at a random moment, mostly inside a rekey. */
    int settle = round % 4 == 1, ready[2];
    CHECK_EQ_INT(pipe(ready), 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      /* Flips the key back and forth until killed, starting from whichever opens. */
      const char *keys[2] = {KEY_A, KEY_B};
      int cur = rows_with(KEY_A) >= 0 ? 0 : 1;
      char uri[300];
      snprintf(uri, sizeof uri, "file:%s?cipher=aegis256&hexkey=%s", DB, keys[cur]);
      int crc;
      lode *c = open_uri(uri, &crc);
      close(ready[0]);
      for (;;) {
        if (lode_rekey(c, keys[1 - cur]) != LODE_OK) _exit(3);
        cur = 1 - cur;
        if (settle) {
          if (write(ready[1], "k", 1) != 1) _exit(4);
          for (;;) pause();
        }
      }
    }
    close(ready[1]);
    if (settle) {
      char k;
      CHECK_EQ_INT((int)read(ready[0], &k, 1), 1);
    } else {
      struct timespec ts = {0, (long)(5 + rng_int(&rng, 60)) * 1000000L};
      nanosleep(&ts, NULL);
    }
    close(ready[0]);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status));
    int64_t a = rows_with(KEY_A), b = rows_with(KEY_B);
    if (!((a == 600 && b == -1) || (a == -1 && b == 600))) {
      TEST_FAIL_("round %d: key A gives %lld rows, key B %lld", round, (long long)a, (long long)b);
      break;
    }
    seen_a += a >= 0;
    seen_b += b >= 0;
  }
  CHECK(seen_a > 0 && seen_b > 0); /* the settled rounds leave each key in turn */
  remove_db(DB);
}

int main(void) {
  RUN(vectors_encrypt_decrypt);
  RUN(aes_block_fips197);
  /* The same vectors and cross-checks on the portable (constant-time) code. */
  crypto_use_hardware(0);
  RUN(vectors_encrypt_decrypt);
  RUN(aes_block_fips197);
  RUN(aes_sbox_all_bytes);
#ifdef LODE_TEST_OPENSSL
  RUN(gcm_matches_openssl);
#endif
  crypto_use_hardware(CRYPTO_HW_SSE);
  /* AES-NI without the AVX and VAES code that CRYPTO_HW_BEST picks here. */
  RUN(vectors_encrypt_decrypt);
#ifdef LODE_TEST_OPENSSL
  RUN(gcm_matches_openssl);
#endif
  hardware_level = CRYPTO_HW_SSE;
  RUN(aegis_portable_matches_hardware);
  hardware_level = CRYPTO_HW_BEST;
  crypto_use_hardware(CRYPTO_HW_BEST);
  RUN(aegis_portable_matches_hardware);
  RUN(cipher_names);
  RUN(nonces_never_repeat);
  RUN(codec_pages);
  RUN(c_api_keys);
  RUN(encrypted_workload);
  RUN(mutation_thousands_of_positions);
  RUN(encrypted_spill);
  RUN(rekey_and_kill_during_rekey);
#ifdef LODE_TEST_OPENSSL
  RUN(gcm_matches_openssl);
#endif
  return test_summary();
}
