/*
** btree_copy.c — copying b-trees and whole databases between Btrees: the
** storage half of VACUUM.
**
** btree_copy_entries rebuilds one tree in another database in key order,
** so the copy's pages are filled as an append fills them (densely, leaves
** in order) and owe nothing to the source's page numbers.  btree_copy_pages
** makes one database a page-for-page image of another inside a write
** transaction: every page of the source written over the page of the same
** number, and the database truncated to the source's size at commit.  The
** page header fields that describe the file rather than its content (the
** file change counter and the version stamps the commit writes) stay the
** target's, so that the commit moves the counter on as for any write.
*/
#include "btree/btree_int.h"

#define HDR_CHANGE_COUNTER 24
#define HDR_VERSION_VALID_FOR 92 /* through the SQLite version number at 96 */

/* Entries are copied in key order: each sorts after everything before it. */
static int sorts_after(void *ctx, const void *key, uint32_t n) {
  (void)ctx;
  (void)key;
  (void)n;
  return -1;
}

int btree_create_like(Btree *src, uint32_t root, Btree *dst, uint32_t *new_root) {
  BtCursor *from = NULL;
  int rc = btree_cursor_open(src, root, 0, &from);
  if (rc == LODE_OK) rc = btree_create(dst, from->intkey ? BTREE_INTKEY : BTREE_BLOBKEY, new_root);
  if (from) btree_cursor_close(from);
  return rc;
}

int btree_copy_entries(Btree *src, uint32_t root, Btree *dst, uint32_t dst_root) {
  BtCursor *from = NULL, *to = NULL;
  uint8_t *buf = NULL;
  uint32_t cap = 0;
  int eof = 1, rc = btree_cursor_open(src, root, 0, &from);
  if (rc == LODE_OK) rc = btree_cursor_open(dst, dst_root, 1, &to);
  if (rc == LODE_OK && to->intkey != from->intkey) rc = LODE_MISUSE;
  if (rc == LODE_OK) rc = btree_first(from, &eof);
  while (rc == LODE_OK && !eof) {
    uint32_t n = btree_payload_size(from);
    if (n > cap) {
      uint8_t *b = util_realloc(buf, n);
      if (!b) {
        rc = LODE_NOMEM;
        break;
      }
      buf = b;
      cap = n;
    }
    rc = btree_payload(from, 0, n, buf);
    if (rc == LODE_OK && from->intkey) rc = btree_insert(to, btree_rowid(from), buf, n);
    else if (rc == LODE_OK) rc = btree_append_key(to, buf, n, sorts_after, NULL);
    if (rc == LODE_OK) rc = btree_next(from, &eof);
  }
  util_free(buf);
  if (to) btree_cursor_close(to);
  if (from) btree_cursor_close(from);
  return rc;
}

int btree_copy_pages(Btree *bt, Btree *from) {
  Pager *dst = bt->pager, *src = from->pager;
  uint32_t n = pager_page_count(src);
  int rc = LODE_OK;
  if (bt->cursors) return LODE_MISUSE; /* an open cursor would point into replaced pages */
  if ((rc = bt_log_other(bt, BTREE_LOG_STRUCTURE, 0, 0)) != LODE_OK) return rc;
  if (pager_page_size(dst) != pager_page_size(src)) return LODE_MISUSE;
  rc = bt_ptrmap_flush(from); /* the copy's pointer maps are copied as they are */
  for (uint32_t pgno = 1; rc == LODE_OK && pgno <= n; pgno++) {
    DbPage *s = NULL, *d = NULL;
    rc = pager_get(src, pgno, &s);
    if (rc == LODE_OK) rc = pager_get(dst, pgno, &d);
    if (rc == LODE_OK) rc = pager_write(d);
    if (rc == LODE_OK) {
      uint8_t keep[BT_DB_HEADER_SIZE];
      if (pgno == 1) memcpy(keep, d->data, BT_DB_HEADER_SIZE);
      memcpy(d->data, s->data, pager_page_size(dst));
      bt_free_memo_clear(d);
      if (pgno == 1) {
        memcpy(d->data + HDR_CHANGE_COUNTER, keep + HDR_CHANGE_COUNTER, 4);
        memcpy(d->data + HDR_VERSION_VALID_FOR, keep + HDR_VERSION_VALID_FOR, BT_DB_HEADER_SIZE - HDR_VERSION_VALID_FOR);
      }
    }
    if (d) pager_unref(d);
    if (s) pager_unref(s);
  }
  if (rc == LODE_OK && n < pager_page_count(dst)) rc = pager_truncate(dst, n);
  bt->append_root = 0;
  bt->autovac = from->autovac;
  bt_ptrmap_reset(bt);
  return rc;
}
