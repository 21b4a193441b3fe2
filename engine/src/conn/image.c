/*
** image.c — whole database images, page by page (the C API's backup and
** serialize/deserialize): pages written into an idle database in one write
** transaction, the pages of a database read out.
**
** The destination must be idle (no transaction, no statement running): its
** b-tree layer keeps no page state of its own, so pages written under it
** are simply read afresh; its schema is reloaded.  An in-memory
** destination gets a new in-memory pager first, so that it can take the
** source's page size.
*/
#include <string.h>

#include "conn/conn_int.h"
#include "util/util.h"

/* Replaces the pager of an idle in-memory database by an empty one of the
** given page size. */
static int fresh_memory_pager(lode *db, int i, uint32_t page_size) {
  ConnDb *d = &db->dbs[i];
  Pager *pager = NULL;
  Btree *bt = NULL;
  int rc = pager_open(NULL, PAGER_OPEN_CREATE, &pager);
  if (rc == LODE_OK) rc = pager_set_page_size(pager, page_size);
  if (rc == LODE_OK) rc = btree_open(pager, &bt);
  if (rc != LODE_OK) {
    if (pager) pager_close(pager);
    return rc;
  }
  btree_close(d->bt);
  pager_close(d->pager);
  d->pager = pager;
  d->bt = bt;
  if (i == CONN_DB_MAIN) {
    db->pager = pager;
    db->bt = bt;
  }
  pager_set_busy_timeout(pager, db->busy_timeout);
  if (db->no_cache_spill) pager_set_cache_spill(pager, 0);
  return LODE_OK;
}

/* Writes npages pages of page_size bytes from src into idle db, in one
** write transaction, and drops what lay beyond them.  No pages at all (a
** source that was never written) leave an empty database of one page, as
** SQLite's backup does, its schema cookie past the old one so that other
** connections read the schema again. */
int conn_image_write(lode *db, int di, const ConnPageSource *src, uint32_t npages, uint32_t page_size) {
  int rc;
  if (conn_db_readonly(db, di)) return conn_error(db, LODE_READONLY, NULL);
  if (npages > 0 && pager_page_size(db->dbs[di].pager) != page_size) {
    Pager *pg = db->dbs[di].pager;
    if (conn_db_is_memory(db, di)) rc = fresh_memory_pager(db, di, page_size);
    else rc = pager_page_count(pg) == 0 ? pager_set_page_size(pg, page_size) : LODE_READONLY;
    if (rc != LODE_OK) return conn_error(db, rc, NULL);
  }
  Pager *pager = db->dbs[di].pager;
  Btree *bt = db->dbs[di].bt;
  rc = btree_begin_read(bt);
  if (rc != LODE_OK) return conn_error(db, rc, NULL);
  rc = btree_begin_write(bt);
  if (rc != LODE_OK) {
    btree_end_read(bt);
    return conn_error(db, rc, NULL);
  }
  uint32_t old_count = pager_page_count(pager), keep = npages;
  if (npages == 0) {
    uint32_t cookie = 0;
    rc = btree_get_meta(bt, BTREE_META_SCHEMA_COOKIE, &cookie);
    if (rc == LODE_OK) rc = btree_format_empty(bt);
    if (rc == LODE_OK) rc = btree_set_meta(bt, BTREE_META_SCHEMA_COOKIE, cookie + 1);
    keep = 1;
  }
  for (uint32_t pgno = 1; rc == LODE_OK && pgno <= npages; pgno++) {
    DbPage *to = NULL;
    rc = pager_get(pager, pgno, &to);
    if (rc == LODE_OK) rc = pager_write(to);
    if (rc == LODE_OK) {
      if (src->db) {
        DbPage *from = NULL;
        rc = pager_get(src->db->pager, pgno, &from);
        if (rc == LODE_OK) memcpy(to->data, from->data, page_size);
        if (from) pager_unref(from);
      } else {
        int64_t off = (int64_t)(pgno - 1) * page_size;
        int64_t n = src->size - off < (int64_t)page_size ? src->size - off : (int64_t)page_size;
        memset(to->data, 0, page_size);
        if (n > 0) memcpy(to->data, src->buf + off, (size_t)n);
      }
      /* An encrypted destination keeps each page's nonce and tag in its
      ** reserved bytes: pages laid out for other reserved bytes cannot go in. */
      if (rc == LODE_OK && pgno == 1 && pager_cipher(db->pager) &&
          to->data[20] != page_size - pager_usable_size(db->pager))
        rc = LODE_ERROR;
    }
    if (to) pager_unref(to);
  }
  if (rc == LODE_OK && old_count > keep) rc = pager_truncate(pager, keep);
  if (rc == LODE_OK) rc = btree_commit(bt);
  else btree_rollback(bt);
  btree_end_read(bt);
  db->dbs[di].schema->loaded = 0;
  db->schema_gen++;
  return rc == LODE_OK ? LODE_OK : conn_error(db, rc, NULL);
}

uint32_t conn_db_page_count(lode *db, int di) { return pager_page_count(db->dbs[di].pager); }

uint32_t conn_db_page_size(lode *db, int di) { return pager_page_size(db->dbs[di].pager); }

unsigned char *conn_image_read(lode *db, int di, int64_t *size) {
  ConnDb *d = &db->dbs[di];
  uint32_t count = pager_page_count(d->pager), page_size = pager_page_size(d->pager);
  int64_t total = (int64_t)count * page_size;
  unsigned char *out = util_malloc(total > 0 ? (size_t)total : 1);
  for (uint32_t pgno = 1; out && pgno <= count; pgno++) {
    DbPage *pg = NULL;
    if (pager_get(d->pager, pgno, &pg) != LODE_OK) {
      util_free(out);
      return NULL;
    }
    memcpy(out + (int64_t)(pgno - 1) * page_size, pg->data, page_size);
    pager_unref(pg);
  }
  *size = total;
  return out;
}
