/*
** pager_crypt.c — the encryption side of the pager: the codec an open asks
** for (PagerOptions), PRAGMA cipher/hexkey on a new database, and rekeying.
** The codec itself (crypto/) is applied where pages are read and written
** (page_encode/page_decode in pager_int.h); this file only chooses it.
**
** Invariants: a database gets a codec only while it is empty (no page in
** the file or the WAL, no other connection), so no page is ever stored in
** two forms; a rekey switches keys at its commit frame.
*/
#include <string.h>

#include "pager/pager_int.h"
#include "util/util.h"

/* The codec of the options: LODE_OK with *out NULL when there is none. */
int pager_codec_from_options(const PagerOptions *opts, CryptoKey **out, const char **why) {
  *out = NULL;
  if (!opts || (!opts->cipher && !opts->hexkey)) return LODE_OK;
  int cipher = crypto_cipher_by_name(opts->cipher);
  uint8_t key[CRYPTO_MAX_KEY];
  int n = opts->hexkey ? crypto_parse_hex(opts->hexkey, key) : -1;
  if (!opts->cipher || !cipher) {
    *why = opts->cipher ? "unknown cipher" : "a hexkey needs a cipher";
    return LODE_ERROR;
  }
  if (n < 0 || (size_t)n != crypto_key_size(cipher)) {
    *why = "invalid hexkey for the cipher";
    return LODE_ERROR;
  }
  *out = crypto_key_new(cipher, key, (size_t)n);
  memset(key, 0, sizeof key);
  return *out ? LODE_OK : LODE_NOMEM;
}

static int pager_set_encryption_locked(Pager *p, const char *cipher, const char *hexkey, const char **why) {
  PagerShared *sh = p->sh;
  if (cipher) {
    int id = crypto_cipher_by_name(cipher);
    if (!id) {
      *why = "unknown cipher";
      return LODE_ERROR;
    }
    p->want_cipher = id;
  }
  if (hexkey) {
    int n = crypto_parse_hex(hexkey, p->want_key);
    if (n < 0) {
      *why = "invalid hexkey: expected 32 or 64 hex digits";
      return LODE_ERROR;
    }
    p->want_key_len = n;
  }
  if (!p->want_cipher || !p->want_key_len) return LODE_OK;
  if ((size_t)p->want_key_len != crypto_key_size(p->want_cipher)) {
    *why = crypto_key_size(p->want_cipher) == 16 ? "invalid hexkey: the cipher needs a 128-bit key (32 hex digits)"
                                                  : "invalid hexkey: the cipher needs a 256-bit key (64 hex digits)";
    p->want_key_len = 0;
    return LODE_ERROR;
  }
  CryptoKey *k = crypto_key_new(p->want_cipher, p->want_key, (size_t)p->want_key_len);
  memset(p->want_key, 0, sizeof p->want_key);
  p->want_key_len = 0;
  p->want_cipher = 0;
  if (!k) return LODE_NOMEM;
  if (sh->codec) {
    int same = crypto_key_equal(sh->codec, k);
    crypto_key_free(k);
    if (same) return LODE_OK;
    *why = "the database is encrypted with another cipher or key";
    return LODE_ERROR;
  }
  int64_t size = 0;
  int rc = os_size(sh->db, &size);
  if (rc == LODE_OK && (size > 0 || sh->db_npages > 0 || p->npages > 0 || wal_snap_frames(&p->snap) > 0 ||
                        sh->nref > 1 || p->txn == PAGER_TXN_WRITE)) {
    *why = "cannot encrypt a database that already has data";
    rc = LODE_ERROR;
  }
  if (rc == LODE_OK) {
    pcache_drop_unreferenced(p);
    if (p->ncached > 0) rc = LODE_ERROR;
  }
  if (rc != LODE_OK) {
    crypto_key_free(k);
    if (!*why) *why = "cannot encrypt the database now";
    return rc;
  }
  shared_set_codec(sh, k);
  sh->reserved = (uint32_t)codec_reserved(crypto_key_cipher(k));
  return LODE_OK;
}

int pager_set_encryption(Pager *p, const char *cipher, const char *hexkey, const char **why) {
  *why = NULL;
  shared_lock(p->sh);
  int rc = pager_set_encryption_locked(p, cipher, hexkey, why);
  shared_unlock(p->sh);
  return rc;
}

int pager_rekey(Pager *p, const char *hexkey, const char **why) {
  PagerShared *sh = p->sh;
  uint8_t key[CRYPTO_MAX_KEY];
  *why = NULL;
  if (!sh->codec) {
    *why = "the database is not encrypted (VACUUM INTO 'file:copy?cipher=…&hexkey=…' makes an encrypted copy)";
    return LODE_ERROR;
  }
  int cipher = crypto_key_cipher(sh->codec);
  int n = crypto_parse_hex(hexkey, key);
  if (n < 0 || (size_t)n != crypto_key_size(cipher)) {
    *why = crypto_key_size(cipher) == 16 ? "invalid hexkey: the cipher needs a 128-bit key (32 hex digits)"
                                         : "invalid hexkey: the cipher needs a 256-bit key (64 hex digits)";
    return LODE_ERROR;
  }
  if (p->txn != PAGER_TXN_NONE || sh->nref > 1 || p->readonly) {
    *why = p->readonly ? "cannot rekey a read-only database"
                       : "cannot rekey within a transaction or while other connections use the database";
    return LODE_ERROR;
  }
  CryptoKey *k = crypto_key_new(cipher, key, (size_t)n);
  memset(key, 0, sizeof key);
  if (!k) return LODE_NOMEM;
  int rc = pager_begin_write(p);
  for (uint32_t pgno = 1; rc == LODE_OK && pgno <= p->npages; pgno++) {
    DbPage *pg = NULL;
    rc = pager_get(p, pgno, &pg);
    if (rc == LODE_OK) rc = pager_write(pg);
    if (pg) pager_unref(pg);
  }
  if (rc == LODE_OK && p->ndirty == 0) {
    /* Nothing written yet: there is nothing to rewrite either. */
    shared_lock(sh);
    CryptoKey *old = sh->codec;
    shared_set_codec(sh, k);
    crypto_key_free(old);
    shared_unlock(sh);
    k = NULL;
    rc = pager_rollback(p);
  } else if (rc == LODE_OK) {
    shared_lock(sh);
    sh->rekey = k;
    shared_unlock(sh);
    k = NULL;
    rc = pager_commit(p); /* frees the key it does not keep */
  }
  crypto_key_free(k);
  if (rc != LODE_OK) {
    pager_rollback(p);
    pager_end_read(p);
    return rc;
  }
  pager_end_read(p);
  /* The old key's frames go when the WAL can be emptied (no reader now). */
  int log, done;
  (void)pager_checkpoint(p, PAGER_CKPT_TRUNCATE, &log, &done);
  return LODE_OK;
}

const char *pager_cipher(Pager *p) { return crypto_cipher_name(crypto_key_cipher(p->sh->codec)); }


/* ---- sealed temporary files ---------------------------------------------------
**
** What a connection spills to an unnamed temporary file on an encrypted
** database (statement pre-images, sorter runs, the MVCC change log) is as
** secret as the database itself.  A sealed file encrypts it with the
** database's cipher under a key of its own, drawn at random when the file is
** opened and never stored: nothing in a temporary file outlives the handle,
** so no one ever needs to open it again, and a key that belongs to one file
** cannot make any of its blocks pass for a page of the database (whose
** pages carry no page number in their authenticated data).  It also keeps
** these writes out of the database key's nonce budget.
**
** The file's bytes are cut into blocks of SEAL_BLOCK; block i is stored at
** i * (SEAL_BLOCK + R) as
**
**   [ ciphertext of SEAL_BLOCK bytes ][ tag 16 ][ nonce ]    R = 16 + nonce size
**
** with a fresh random nonce per write and the block number (8 bytes, big
** endian) as associated data, so blocks cannot be moved around either.  The
** logical size is kept in memory (a temporary file is only ever read
** through its own handle); the last block is stored whole, zero past the
** end.  One block is cached in the clear and written back when another
** block is needed, so appending small records costs one encryption per
** block, not one per record.
**
** Invariants: every block before the logical end has been stored (a write
** past the end first fills the gap with zeros); the cached block, when
** dirty, is newer than its stored copy. */
#define SEAL_BLOCK 4096

typedef struct SealedFile {
  OsFile base;
  OsFile *real;
  CryptoKey *key;
  size_t nonce_size;
  int64_t size;      /* logical size */
  int64_t cur;       /* block held in plain, -1 for none */
  int cur_dirty;
  uint8_t *block;    /* SEAL_BLOCK + CRYPTO_TAG_SIZE + nonce: the stored form, the plain bytes first */
} SealedFile;

static size_t sealed_stride(const SealedFile *sf) { return SEAL_BLOCK + CRYPTO_TAG_SIZE + sf->nonce_size; }

static void sealed_ad(int64_t idx, uint8_t ad[8]) {
  for (int i = 7; i >= 0; i--, idx >>= 8) ad[i] = (uint8_t)idx;
}

static int sealed_flush(SealedFile *sf) {
  if (sf->cur < 0 || !sf->cur_dirty) return LODE_OK;
  uint8_t ad[8], *tag = sf->block + SEAL_BLOCK, *nonce = tag + CRYPTO_TAG_SIZE;
  if (crypto_nonce(nonce, sf->nonce_size) != 0) return LODE_IOERR;
  sealed_ad(sf->cur, ad);
  crypto_encrypt(sf->key, nonce, ad, sizeof ad, sf->block, SEAL_BLOCK, tag);
  int rc = os_write(sf->real, sf->block, sealed_stride(sf), sf->cur * (int64_t)sealed_stride(sf));
  /* The cached bytes are ciphertext now: the block must be read again. */
  sf->cur = -1;
  sf->cur_dirty = 0;
  return rc;
}

/* Makes block idx the cached one, its plain bytes in sf->block.  whole: the
** caller overwrites all of it, so its old content is not needed. */
static int sealed_load(SealedFile *sf, int64_t idx, int whole) {
  if (sf->cur == idx) return LODE_OK;
  int rc = sealed_flush(sf);
  if (rc != LODE_OK) return rc;
  int64_t start = idx * SEAL_BLOCK;
  if (whole || start >= sf->size) {
    memset(sf->block, 0, SEAL_BLOCK);
  } else {
    size_t stride = sealed_stride(sf);
    uint8_t ad[8], *tag = sf->block + SEAL_BLOCK, *nonce = tag + CRYPTO_TAG_SIZE;
    rc = os_read(sf->real, sf->block, stride, idx * (int64_t)stride);
    if (rc == LODE_IOERR_SHORT_READ) rc = LODE_CORRUPT;
    if (rc != LODE_OK) return rc;
    sealed_ad(idx, ad);
    if (crypto_decrypt(sf->key, nonce, ad, sizeof ad, sf->block, SEAL_BLOCK, tag) != 0) return LODE_CORRUPT;
    if (sf->size - start < SEAL_BLOCK) memset(sf->block + (sf->size - start), 0, (size_t)(SEAL_BLOCK - (sf->size - start)));
  }
  sf->cur = idx;
  sf->cur_dirty = 0;
  return LODE_OK;
}

static int sealed_put(SealedFile *sf, const uint8_t *p, size_t n, int64_t off) {
  while (n > 0) {
    int64_t idx = off / SEAL_BLOCK;
    size_t at = (size_t)(off % SEAL_BLOCK), take = SEAL_BLOCK - at < n ? SEAL_BLOCK - at : n;
    int rc = sealed_load(sf, idx, at == 0 && (take == SEAL_BLOCK || off + (int64_t)take >= sf->size));
    if (rc != LODE_OK) return rc;
    if (p) memcpy(sf->block + at, p, take);
    else memset(sf->block + at, 0, take);
    sf->cur_dirty = 1;
    if (off + (int64_t)take > sf->size) sf->size = off + (int64_t)take;
    if (p) p += take;
    off += (int64_t)take;
    n -= take;
  }
  return LODE_OK;
}

static int sealed_write(OsFile *f, const void *buf, size_t n, int64_t off) {
  SealedFile *sf = (SealedFile *)f;
  int rc = off > sf->size ? sealed_put(sf, NULL, (size_t)(off - sf->size), sf->size) : LODE_OK;
  return rc == LODE_OK ? sealed_put(sf, buf, n, off) : rc;
}

static int sealed_read(OsFile *f, void *buf, size_t n, int64_t off) {
  SealedFile *sf = (SealedFile *)f;
  uint8_t *p = buf;
  size_t have = off >= sf->size ? 0 : (size_t)(sf->size - off) < n ? (size_t)(sf->size - off) : n;
  memset(p + have, 0, n - have);
  while (have > 0) {
    int64_t idx = off / SEAL_BLOCK;
    size_t at = (size_t)(off % SEAL_BLOCK), take = SEAL_BLOCK - at < have ? SEAL_BLOCK - at : have;
    int rc = sealed_load(sf, idx, 0);
    if (rc != LODE_OK) return rc;
    memcpy(p, sf->block + at, take);
    p += take;
    off += (int64_t)take;
    have -= take;
  }
  return p == (uint8_t *)buf + n ? LODE_OK : LODE_IOERR_SHORT_READ;
}

static int sealed_truncate(OsFile *f, int64_t size) {
  SealedFile *sf = (SealedFile *)f;
  if (size >= sf->size) return size > sf->size ? sealed_put(sf, NULL, (size_t)(size - sf->size), sf->size) : LODE_OK;
  int64_t blocks = (size + SEAL_BLOCK - 1) / SEAL_BLOCK;
  if (sf->cur >= blocks) {
    sf->cur = -1;
    sf->cur_dirty = 0;
  } else if (sf->cur == blocks - 1 && size % SEAL_BLOCK) {
    memset(sf->block + size % SEAL_BLOCK, 0, (size_t)(SEAL_BLOCK - size % SEAL_BLOCK));
  }
  sf->size = size;
  return os_truncate(sf->real, blocks * (int64_t)sealed_stride(sf));
}

static int sealed_sync(OsFile *f) {
  SealedFile *sf = (SealedFile *)f;
  int rc = sealed_flush(sf);
  return rc == LODE_OK ? os_sync(sf->real) : rc;
}

static int sealed_size(OsFile *f, int64_t *size) {
  *size = ((SealedFile *)f)->size;
  return LODE_OK;
}

static int sealed_close(OsFile *f) {
  SealedFile *sf = (SealedFile *)f;
  int rc = os_close(sf->real);
  crypto_key_free(sf->key);
  if (sf->block) {
    memset(sf->block, 0, sealed_stride(sf));
    util_free(sf->block);
  }
  util_free(sf);
  return rc;
}

/* A temporary file is never locked nor shared. */
static int sealed_lock(OsFile *f, int level) {
  (void)f;
  return level == OS_LOCK_NONE ? LODE_OK : LODE_IOERR_LOCK;
}
static int sealed_shm_map(OsFile *f, int region, int extend, void **out) {
  (void)f, (void)region, (void)extend;
  *out = NULL;
  return LODE_IOERR_SHMMAP;
}
static int sealed_shm_lock(OsFile *f, int slot, int n, int flags) {
  (void)f, (void)slot, (void)n, (void)flags;
  return LODE_IOERR_SHMLOCK;
}
static int sealed_shm_unmap(OsFile *f, int remove) {
  (void)f, (void)remove;
  return LODE_OK;
}

static const OsFileMethods sealed_methods = {
    sealed_read,  sealed_write, sealed_truncate, sealed_sync,    sealed_size,         os_write_batch_loop,
    sealed_close, sealed_lock,  sealed_shm_map,  sealed_shm_lock, os_shm_barrier_full, sealed_shm_unmap, NULL,
};

static int sealed_open(int cipher, const char *what, OsFile **out) {
  uint8_t key[CRYPTO_MAX_KEY];
  size_t key_size = crypto_key_size(cipher);
  *out = NULL;
  if (crypto_random(key, key_size) != 0) return LODE_IOERR;
  SealedFile *sf = util_zalloc(sizeof *sf);
  if (sf) {
    sf->nonce_size = crypto_nonce_size(cipher);
    sf->key = crypto_key_new(cipher, key, key_size);
    sf->block = util_malloc(sealed_stride(sf));
  }
  memset(key, 0, sizeof key);
  int rc = !sf || !sf->key || !sf->block ? LODE_NOMEM : os_open_temp(what, &sf->real);
  if (rc != LODE_OK) {
    if (sf) {
      crypto_key_free(sf->key);
      util_free(sf->block);
      util_free(sf);
    }
    return rc;
  }
  sf->base.methods = &sealed_methods;
  sf->cur = -1;
  *out = &sf->base;
  return LODE_OK;
}

int pager_open_temp(Pager *p, const char *what, OsFile **out) {
  int cipher = p && p->sh->codec ? crypto_key_cipher(p->sh->codec) : CIPHER_NONE;
  return cipher != CIPHER_NONE ? sealed_open(cipher, what, out) : os_open_temp(what, out);
}
