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

/* Copies the entry the source cursor is on as its raw leaf cell: 1 when
** done (or failed, *rc set), 0 when the entry must take the general path (an
** interior entry of an index, an overflow chain, or a rowid not above the
** last one copied).  With equal usable sizes a cell means the same bytes in
** both databases, and the tree receives it as an append. */
static int copy_cell_raw(BtCursor *from, BtCursor *to, int64_t *last, int *any, int *rc) {
  const BtPage *pg = &from->page[from->depth - 1];
  BtCell cell;
  if (!pg->leaf) return 0;
  if ((*rc = bt_cell_parse(from->bt, pg, from->idx[from->depth - 1], &cell)) != LODE_OK) return 1;
  if (cell.ovfl || cell.local != cell.payload) return 0;
  if (from->intkey) {
    if (*any && cell.key <= *last) return 0;
    *last = cell.key;
    *any = 1;
  }
  *rc = bt_append_cell(to, pg->data + cell.offset, cell.size);
  return 1;
}

int btree_copy_entries(Btree *src, uint32_t root, Btree *dst, uint32_t dst_root) {
  BtCursor *from = NULL, *to = NULL;
  uint8_t *buf = NULL;
  uint32_t cap = 0;
  int64_t last = 0;
  int any = 0, raw = 0;
  int eof = 1, rc = btree_cursor_open(src, root, 0, &from);
  if (rc == LODE_OK) rc = btree_cursor_open(dst, dst_root, 1, &to);
  if (rc == LODE_OK && to->intkey != from->intkey) rc = LODE_MISUSE;
  /* Raw cells need the same cell format (usable size) and an empty target;
  ** a change log wants each row through the general insert. */
  if (rc == LODE_OK && src->usable == dst->usable && !dst->log) {
    rc = bt_move_to_root(to);
    raw = rc == LODE_OK && to->depth == 1 && to->page[0].leaf && to->page[0].ncell == 0;
  }
  if (rc == LODE_OK) rc = btree_first(from, &eof);
  while (rc == LODE_OK && !eof) {
    if (raw && copy_cell_raw(from, to, &last, &any, &rc)) {
      if (rc == LODE_OK) rc = btree_next(from, &eof);
      continue;
    }
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
    if (rc == LODE_OK && from->intkey) {
      int64_t rowid = btree_rowid(from);
      rc = btree_insert(to, rowid, buf, n);
      if (!any || rowid > last) last = rowid;
      any = 1;
    } else if (rc == LODE_OK) {
      rc = btree_append_key(to, buf, n, sorts_after, NULL);
    }
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
