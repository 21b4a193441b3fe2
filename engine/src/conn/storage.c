/*
** storage.c — what the layers above ask of a database's storage that is no
** transaction: its kind and modes (memory, locking and journal mode), its
** encryption (PRAGMA cipher/hexkey/rekey, lode_key/lode_rekey), the WAL's
** frame count, and databases of their own beside the connection's (the
** copies VACUUM builds).  The VM and codegen reach the pager only here.
*/
#include <assert.h>
#include <string.h>

#include "conn/conn_int.h"
#include "util/util.h"

int conn_db_is_memory(lode *db, int dbi) { return pager_is_memory(conn_db_pager(db, dbi)); }

int conn_db_locking_mode(lode *db, int dbi, int mode) { return pager_locking_mode(conn_db_pager(db, dbi), mode); }

int conn_journal_mode(lode *db, int dbi, int *mode) {
  ConnDb *d = &db->dbs[dbi];
  int mvcc = 0, wal = 1;
  *mode = CONN_JOURNAL_WAL;
  if (!d->bt) return LODE_OK;
  int rc = conn_mvcc_mode(db, dbi, &mvcc);
  if (rc != LODE_OK) return rc;
  if (mvcc) {
    *mode = CONN_JOURNAL_MVCC;
    return LODE_OK;
  }
  int idle = d->txn == CONN_TXN_NONE;
  if (idle) rc = btree_begin_read(d->bt);
  if (rc == LODE_OK) rc = pager_wal_mode(d->pager, &wal);
  if (idle) btree_end_read(d->bt);
  if (rc == LODE_OK && !wal) *mode = CONN_JOURNAL_DELETE;
  return rc;
}

int conn_set_journal_mode(lode *db, int dbi, int mode) {
  assert(mode == CONN_JOURNAL_WAL || mode == CONN_JOURNAL_MVCC);
  int now, rc = conn_mvcc_set_mode(db, dbi, mode == CONN_JOURNAL_MVCC);
  if (rc != LODE_OK || mode != CONN_JOURNAL_WAL) return rc;
  if ((rc = conn_journal_mode(db, dbi, &now)) != LODE_OK) return conn_error(db, rc, NULL);
  if (now == CONN_JOURNAL_WAL) return LODE_OK;
  if (conn_db_readonly(db, dbi)) return conn_error(db, LODE_READONLY, NULL);
  if (!db->autocommit) return conn_error(db, LODE_ERROR, "cannot change into wal mode from within a transaction");
  pager_choose_wal(db->dbs[dbi].pager);
  return LODE_OK;
}

uint32_t conn_db_wal_frames(lode *db, int dbi) {
  uint32_t n = 0;
  return pager_wal_frame_count(conn_db_pager(db, dbi), &n) == LODE_OK ? n : 0;
}

/* The frame API of replication on the main database (pager/pager_frames.c
** numbers the frames and checks what is applied). */
int conn_wal_frame_count(lode *db, uint32_t *n) { return pager_wal_frame_count(db->pager, n); }

int conn_wal_get_frame(lode *db, unsigned frame, void *buf, unsigned size, char *why, size_t nwhy) {
  return pager_wal_get_frame(db->pager, frame, buf, size, why, nwhy);
}

int conn_wal_insert_begin(lode *db) { return pager_wal_insert_begin(db->pager); }

int conn_wal_insert_frame(lode *db, unsigned frame, const void *buf, unsigned size, int *conflict, char *why,
                          size_t nwhy) {
  return pager_wal_insert_frame(db->pager, frame, buf, size, conflict, why, nwhy);
}

int conn_wal_insert_end(lode *db) { return pager_wal_insert_end(db->pager); }

void conn_wal_disable_checkpoint(lode *db) { pager_set_checkpoint_disabled(db->pager, 1); }

const char *conn_cipher(lode *db) { return pager_cipher(db->pager); }

int conn_set_encryption(lode *db, const char *cipher, const char *hexkey, const char **why) {
  return pager_set_encryption(db->pager, cipher, hexkey, why);
}

int conn_rekey(lode *db, const char *hexkey, const char **why) { return pager_rekey(db->pager, hexkey, why); }

int conn_copy_open(lode *db, int dbi, const char *path, uint32_t page_size, const char *cipher, const char *hexkey,
                   const char **why, int *exists, Btree **out) {
  ConnDb *d = &db->dbs[dbi];
  Pager *pager = NULL;
  uint32_t reserved = pager_page_size(d->pager) - pager_usable_size(d->pager);
  if (!page_size) page_size = pager_page_size(d->pager);
  PagerOptions opts = {cipher, hexkey, why};
  *out = NULL;
  *exists = 0;
  int rc = pager_open_v2(path, PAGER_OPEN_CREATE, &opts, &pager);
  if (rc == LODE_OK && path) {
    rc = pager_begin_read(pager);
    if (rc == LODE_OK) {
      *exists = pager_page_count(pager) > 0;
      pager_end_read(pager);
    }
  }
  if (rc == LODE_NOTADB) *exists = 1;
  if (rc == LODE_OK && *exists) rc = LODE_ERROR;
  if (rc == LODE_OK) rc = pager_set_page_size(pager, page_size);
  /* A plaintext copy keeps the source's reserved bytes, as SQLite's does
  ** (in place, an encrypted database keeps each page's nonce and tag
  ** there); an encrypted one has its cipher's (it is copied entry by
  ** entry). */
  if (rc == LODE_OK && !cipher) rc = pager_set_reserved(pager, reserved);
  Btree *bt = NULL;
  if (rc == LODE_OK) rc = btree_open(pager, &bt);
  if (rc != LODE_OK) {
    if (pager) pager_close(pager);
    return rc;
  }
  *out = bt;
  return LODE_OK;
}

int conn_copy_close(Btree *bt) {
  Pager *pager = btree_pager(bt);
  btree_close(bt);
  return pager_close(pager);
}
