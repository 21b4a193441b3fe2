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

/* The copy's cursors and where it stands.  renumber: a rowid table whose
** entries get the rowids 1, 2, 3, ... in key order instead of their own
** (next is the one the next entry gets); otherwise last/any track the
** highest rowid copied so far, which a raw append must stay above. */
typedef struct CopyState {
  BtCursor *from, *to;
  int renumber;
  int64_t next;
  int64_t last;
  int any;
  uint8_t *buf; /* scratch for payloads and rebuilt cells */
  uint32_t cap;
} CopyState;

static int copy_reserve(CopyState *cs, uint32_t n) {
  if (n <= cs->cap) return LODE_OK;
  uint8_t *b = util_realloc(cs->buf, n);
  if (!b) return LODE_NOMEM;
  cs->buf = b;
  cs->cap = n;
  return LODE_OK;
}

/* Copies the entry the source cursor is on as its raw leaf cell: 1 when
** done (or failed, *rc set), 0 when the entry must take the general path (an
** interior entry of an index, an overflow chain, or a rowid not above the
** last one copied).  With equal usable sizes a cell means the same bytes in
** both databases, and the tree receives it as an append.  A renumbered
** entry's cell is rebuilt around its payload with the new rowid. */
static int copy_cell_raw(CopyState *cs, int *rc) {
  BtCursor *from = cs->from;
  const BtPage *pg = &from->page[from->depth - 1];
  BtCell cell;
  if (!pg->leaf) return 0;
  if ((*rc = bt_cell_parse(from->bt, pg, from->idx[from->depth - 1], &cell)) != LODE_OK) return 1;
  if (cell.ovfl || cell.local != cell.payload) return 0;
  if (cs->renumber) {
    uint32_t n = (uint32_t)bt_varint_len(cell.payload) + (uint32_t)bt_varint_len((uint64_t)cs->next) + cell.payload;
    if (n < BT_MIN_CELL) n = BT_MIN_CELL;
    if ((*rc = copy_reserve(cs, n)) != LODE_OK) return 1;
    memset(cs->buf, 0, n);
    uint32_t h = (uint32_t)bt_varint_put(cs->buf, cell.payload);
    h += (uint32_t)bt_varint_put(cs->buf + h, (uint64_t)cs->next);
    memcpy(cs->buf + h, pg->data + cell.pay_off, cell.payload);
    cs->next++;
    *rc = bt_append_cell(cs->to, cs->buf, (uint16_t)n);
    return 1;
  }
  if (from->intkey) {
    if (cs->any && cell.key <= cs->last) return 0;
    cs->last = cell.key;
    cs->any = 1;
  }
  *rc = bt_append_cell(cs->to, pg->data + cell.offset, cell.size);
  return 1;
}

/* Copies the entry the source cursor is on through the general insert. */
static int copy_entry(CopyState *cs) {
  BtCursor *from = cs->from;
  uint32_t n = btree_payload_size(from);
  int rc = copy_reserve(cs, n);
  if (rc == LODE_OK) rc = btree_payload(from, 0, n, cs->buf);
  if (rc != LODE_OK) return rc;
  if (!from->intkey) return btree_append_key(cs->to, cs->buf, n, sorts_after, NULL);
  int64_t rowid = cs->renumber ? cs->next++ : btree_rowid(from);
  rc = btree_insert(cs->to, rowid, cs->buf, n);
  if (!cs->any || rowid > cs->last) cs->last = rowid;
  cs->any = 1;
  return rc;
}

int btree_copy_entries(Btree *src, uint32_t root, Btree *dst, uint32_t dst_root, int renumber) {
  CopyState cs = {.renumber = renumber, .next = 1};
  int raw = 0;
  int eof = 1, rc = btree_cursor_open(src, root, 0, &cs.from);
  if (rc == LODE_OK) rc = btree_cursor_open(dst, dst_root, 1, &cs.to);
  if (rc == LODE_OK && cs.to->intkey != cs.from->intkey) rc = LODE_MISUSE;
  if (rc == LODE_OK && !cs.from->intkey) cs.renumber = 0;
  /* Raw cells need the same cell format (usable size) and an empty target;
  ** a change log wants each row through the general insert. */
  if (rc == LODE_OK && src->usable == dst->usable && !dst->log) {
    rc = bt_move_to_root(cs.to);
    raw = rc == LODE_OK && cs.to->depth == 1 && cs.to->page[0].leaf && cs.to->page[0].ncell == 0;
  }
  if (rc == LODE_OK) rc = btree_first(cs.from, &eof);
  while (rc == LODE_OK && !eof) {
    if (!(raw && copy_cell_raw(&cs, &rc))) rc = copy_entry(&cs);
    if (rc == LODE_OK) rc = btree_next(cs.from, &eof);
  }
  util_free(cs.buf);
  if (cs.to) btree_cursor_close(cs.to);
  if (cs.from) btree_cursor_close(cs.from);
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
