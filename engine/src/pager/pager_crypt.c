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
  sh->codec = k;
  sh->reserved = (uint32_t)codec_reserved(crypto_key_cipher(k));
  wal_set_codec(sh->wal, k);
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
    crypto_key_free(sh->codec);
    sh->codec = k;
    wal_set_codec(sh->wal, k);
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

