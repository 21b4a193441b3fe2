/*
** btree_stat.c — read-only views of single pages for space statistics
** (the dbstat virtual table): a b-tree page's kind, cells and free bytes,
** and the link of an overflow page to the next; and a page's raw bytes
** (the sqlite_dbpage virtual table).
**
** Nothing here writes a page or moves a cursor: the caller walks the trees
** itself, page by page, in a read transaction.  Every page is validated as
** a cursor would validate it, so a corrupt file gives LODE_CORRUPT.
*/
#include "btree/btree_int.h"

void btree_page_sizes(Btree *bt, uint32_t *page_size, uint32_t *usable) {
  *page_size = bt->page_size;
  *usable = bt->usable;
}

int btree_page_stat(Btree *bt, uint32_t pgno, BtreePageStat *st) {
  BtPage pg;
  int free_bytes = 0;
  memset(st, 0, sizeof *st);
  int rc = bt_page_get(bt, pgno, &pg);
  if (rc != LODE_OK) return rc;
  st->leaf = pg.leaf;
  st->intkey = pg.intkey;
  st->ncell = pg.ncell;
  rc = bt_page_free_space(bt, &pg, &free_bytes);
  if (rc != LODE_OK) goto done;
  st->unused = (uint32_t)free_bytes;
  st->content_zero = util_get2(pg.data + pg.hdr + BT_HDR_CONTENT) == 0;
  if (!pg.leaf) st->right_child = bt_child(&pg, pg.ncell);
  if (pg.ncell == 0) goto done;
  st->cells = util_zalloc(sizeof(BtreeCellStat) * pg.ncell);
  if (!st->cells) {
    rc = LODE_NOMEM;
    goto done;
  }
  for (int i = 0; i < pg.ncell; i++) {
    BtCell cell;
    BtreeCellStat *cs = &st->cells[i];
    if ((rc = bt_cell_parse(bt, &pg, i, &cell)) != LODE_OK) goto done;
    if (!pg.leaf) cs->child = cell.child;
    if (pg.intkey && !pg.leaf) continue; /* a rowid and a child: no payload */
    if (cell.local > cell.payload || (cell.local < cell.payload) != (cell.ovfl != 0)) {
      rc = LODE_CORRUPT;
      goto done;
    }
    cs->payload = cell.payload;
    cs->local = cell.local;
    cs->ovfl = cell.ovfl;
  }
done:
  bt_page_release(&pg);
  if (rc != LODE_OK) {
    util_free(st->cells);
    st->cells = NULL;
  }
  return rc;
}

int btree_overflow_next(Btree *bt, uint32_t pgno, uint32_t *next) {
  DbPage *db;
  *next = 0;
  if (pgno == 0 || pgno > pager_page_count(bt->pager)) return LODE_CORRUPT;
  int rc = pager_get(bt->pager, pgno, &db);
  if (rc != LODE_OK) return rc;
  *next = util_get4(db->data);
  pager_unref(db);
  return LODE_OK;
}

int btree_page_read(Btree *bt, uint32_t pgno, uint8_t *out) {
  DbPage *dp = NULL;
  if (pgno < 1 || pgno > pager_page_count(bt->pager)) return LODE_RANGE;
  if (pgno == bt_pending_page(bt)) {
    memset(out, 0, bt->page_size);
    return LODE_OK;
  }
  int rc = pager_get(bt->pager, pgno, &dp);
  if (rc != LODE_OK) return rc;
  memcpy(out, dp->data, bt->page_size);
  pager_unref(dp);
  return LODE_OK;
}
