/*
** btree_ptrmap.c — auto-vacuum: pointer-map pages and moving pages.
**
** An auto-vacuum database (header field 52, the largest root page, is
** non-zero; field 64 non-zero selects incremental mode) keeps pointer-map
** pages: page 2, then one at the start of every following group of
** usable/5 + 1 pages (when that is the lock-byte page, the next page).  A
** map holds a 5-byte entry for each page of its group after itself: a type
** and, for b-tree and overflow pages, the page that points at it:
**   1 root page of a tree (parent 0)      2 free page (0)
**   3 first overflow page of a cell (the b-tree page holding the cell)
**   4 later overflow page (the overflow page before it)
**   5 other b-tree page (its parent)
** With an entry for every page, any page but a root can move: its bytes
** are copied and the one pointer to it rewritten.  Roots sit at the low
** end: every page up to field 52 that is not a map or the lock-byte page
** is a root.  A new tree's root takes the next such page (whatever lives
** there moves away), and a dropped tree's root page is refilled with the
** last root, whose old number the caller replaces in sqlite_schema.  In
** full mode every commit moves the pages at the end of the file into the
** free pages before them and truncates the file; in incremental mode
** btree_incremental_vacuum does so on request.
**
** Keeping the entries right: freeing a page, writing an overflow chain and
** creating a root set their entries at once; every b-tree page written in
** a transaction is listed (bt_page_write → bt_ptrmap_note) and, before
** commit and before anything relies on the entries, bt_ptrmap_flush sets
** the entries of the children and first overflow pages of each listed page
** that is still a b-tree page.  The list lasts the whole transaction: a
** flush handles the pages listed since the one before (a page written
** again is listed again), but after a savepoint rollback, which may undo
** entries an earlier flush set, the next flush handles them all.  A link between two pages only changes when
** the parent page is written, so afterwards the entries match the trees.
**
** Invariants: entries are written only in auto-vacuum databases; a listed
** page is judged by what it is at flush time (free, overflow, map page or
** past the end: skipped), so stale or repeated listings are harmless.
*/
#include <stdlib.h>

#include "btree/btree_int.h"

#define BT_PTRMAP_ENTRY_SIZE 5
#define BT_AV_DIRTY_MIN 64

static int bt_cmp_pgno(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

void bt_sort_pgnos(uint32_t *v, uint32_t n) {
  if (n > 1) qsort(v, n, sizeof *v, bt_cmp_pgno);
}

static int bt_pgno_listed(const uint32_t *v, uint32_t n, uint32_t pgno) {
  return n > 0 && bsearch(&pgno, v, n, sizeof *v, bt_cmp_pgno) != NULL;
}

/* The pointer-map page whose group holds pgno (pgno >= 2). */
static uint32_t bt_ptrmap_of(const Btree *bt, uint32_t pgno) {
  uint32_t group = bt->usable / BT_PTRMAP_ENTRY_SIZE + 1;
  uint32_t map = (pgno - 2) / group * group + 2;
  if (map == bt_pending_page(bt)) map++;
  return map;
}

int bt_is_ptrmap_page(const Btree *bt, uint32_t pgno) { return pgno >= 2 && bt_ptrmap_of(bt, pgno) == pgno; }

/* Pages that hold no b-tree content: maps and the lock-byte page. */
static int bt_is_special(const Btree *bt, uint32_t pgno) {
  return pgno == bt_pending_page(bt) || bt_is_ptrmap_page(bt, pgno);
}

/* The map page and byte offset of pgno's entry. */
static int bt_ptrmap_locate(Btree *bt, uint32_t pgno, uint32_t *map, uint32_t *off) {
  if (pgno < 3 || pgno > pager_page_count(bt->pager)) return LODE_CORRUPT;
  *map = bt_ptrmap_of(bt, pgno);
  if (pgno <= *map) return LODE_CORRUPT; /* a map page or the lock-byte page */
  *off = BT_PTRMAP_ENTRY_SIZE * (pgno - *map - 1);
  return LODE_OK;
}

int bt_ptrmap_get(Btree *bt, uint32_t pgno, uint8_t *type, uint32_t *parent) {
  uint32_t map, off;
  DbPage *pg;
  int rc = bt_ptrmap_locate(bt, pgno, &map, &off);
  *type = 0;
  *parent = 0;
  if (rc != LODE_OK) return rc;
  rc = pager_get(bt->pager, map, &pg);
  if (rc != LODE_OK) return rc;
  *type = pg->data[off];
  *parent = util_get4(pg->data + off + 1);
  pager_unref(pg);
  return LODE_OK;
}

int bt_ptrmap_put(Btree *bt, uint32_t pgno, uint8_t type, uint32_t parent) {
  uint32_t map, off;
  DbPage *pg;
  int rc;
  if (!bt->autovac) return LODE_OK;
  rc = bt_ptrmap_locate(bt, pgno, &map, &off);
  if (rc != LODE_OK) return rc;
  rc = pager_get(bt->pager, map, &pg);
  if (rc != LODE_OK) return rc;
  if (pg->data[off] != type || util_get4(pg->data + off + 1) != parent) {
    rc = pager_write(pg);
    if (rc == LODE_OK) {
      pg->data[off] = type;
      util_put4(pg->data + off + 1, parent);
    }
  }
  pager_unref(pg);
  return rc;
}

/* What DbPage.extra holds once a page is listed. */
typedef struct BtNoted {
  uint32_t stamp;
  uint32_t pgno;
} BtNoted;

void bt_ptrmap_note(Btree *bt, DbPage *db) {
  BtNoted mark;
  memcpy(&mark, db->extra, sizeof mark);
  if (mark.stamp == bt->av_stamp && mark.pgno == db->pgno) return;
  if (bt->av_ndirty == bt->av_cap) {
    uint32_t cap = bt->av_cap ? bt->av_cap * 2 : BT_AV_DIRTY_MIN;
    uint32_t *v = util_realloc(bt->av_dirty, sizeof *v * cap);
    if (!v) {
      bt->av_oom = 1; /* the flush fails rather than leave entries stale */
      return;
    }
    bt->av_dirty = v;
    bt->av_cap = cap;
  }
  bt->av_dirty[bt->av_ndirty++] = db->pgno;
  mark.stamp = bt->av_stamp;
  mark.pgno = db->pgno;
  memcpy(db->extra, &mark, sizeof mark);
}
_Static_assert(sizeof(BtNoted) <= BT_FREE_MEMO_AT, "the pointer map's mark stays clear of the free memo");

void bt_ptrmap_reset(Btree *bt) {
  bt->av_ndirty = 0;
  bt->av_done = 0;
  bt->av_oom = 0;
  bt->av_stamp++;
}

/* Sets the entries of the children and first overflow pages of b-tree
** page pg. */
static int bt_ptrmap_children(Btree *bt, const BtPage *pg) {
  int rc = LODE_OK;
  for (int i = 0; rc == LODE_OK && i < pg->ncell; i++) {
    BtCell cell;
    rc = bt_cell_parse(bt, pg, i, &cell);
    if (rc == LODE_OK && cell.ovfl) rc = bt_ptrmap_put(bt, cell.ovfl, BT_PTRMAP_OVERFLOW1, pg->pgno);
    if (rc == LODE_OK && !pg->leaf) rc = bt_ptrmap_put(bt, cell.child, BT_PTRMAP_BTREE, pg->pgno);
  }
  if (rc == LODE_OK && !pg->leaf) rc = bt_ptrmap_put(bt, bt_child(pg, pg->ncell), BT_PTRMAP_BTREE, pg->pgno);
  return rc;
}

int bt_ptrmap_flush(Btree *bt) {
  uint32_t *freel = NULL, nfree = 0, npages = pager_page_count(bt->pager), from = bt->av_done;
  uint32_t n = bt->av_ndirty - from;
  int rc;
  if (!bt->autovac || n == 0) return LODE_OK;
  if (bt->av_oom) return LODE_NOMEM;
  uint32_t *v = bt->av_dirty + from; /* not before: the list is NULL while empty */
  rc = bt_freelist_pages(bt, &freel, &nfree);
  if (rc != LODE_OK) return rc;
  bt_sort_pgnos(v, n);
  for (uint32_t i = 0; rc == LODE_OK && i < n; i++) {
    uint32_t pgno = v[i];
    BtPage pg;
    if (i > 0 && pgno == v[i - 1]) continue;
    if (pgno > npages || bt_is_special(bt, pgno) || bt_pgno_listed(freel, nfree, pgno)) continue;
    if (pgno != 1) {
      uint8_t type;
      uint32_t parent;
      rc = bt_ptrmap_get(bt, pgno, &type, &parent);
      if (rc != LODE_OK) break;
      if (type == BT_PTRMAP_OVERFLOW1 || type == BT_PTRMAP_OVERFLOW2) continue;
    }
    /* A page allocated but left unformatted by a failed statement parses
    ** as nothing: it has no children. */
    if (bt_page_get(bt, pgno, &pg) != LODE_OK) continue;
    rc = bt_ptrmap_children(bt, &pg);
    bt_page_release(&pg);
  }
  util_free(freel);
  if (rc == LODE_OK) {
    /* Done up to here; a page written from now on is listed again. */
    bt->av_done = bt->av_ndirty;
    bt->av_stamp++;
  }
  return rc;
}

void bt_ptrmap_undone(Btree *bt) { bt->av_done = 0; }

/* Moves the content of page from (entry type and parent as its map entry
** says) to page to, which is free: the pointer to it and the entries of
** the pages it points to follow.  Page from is left as it was, for the
** caller to reuse, free or cut off. */
static int bt_relocate(Btree *bt, uint32_t from, uint32_t to, uint8_t type, uint32_t parent) {
  DbPage *src = NULL, *dst = NULL;
  BtPage pg;
  uint32_t npages = pager_page_count(bt->pager);
  if (from < 3 || to < 3 || from > npages || to > npages || from == to) return LODE_CORRUPT;
  int rc = pager_get(bt->pager, from, &src);
  if (rc == LODE_OK) rc = pager_get(bt->pager, to, &dst);
  if (rc == LODE_OK) rc = pager_write(dst);
  if (rc == LODE_OK) {
    memcpy(dst->data, src->data, bt->page_size);
    bt_free_memo_clear(dst);
  }
  if (dst) pager_unref(dst);
  if (src) pager_unref(src);
  if (rc != LODE_OK) return rc;
  if (type == BT_PTRMAP_ROOTPAGE || type == BT_PTRMAP_BTREE) {
    rc = bt_page_get(bt, to, &pg);
    if (rc != LODE_OK) return rc;
    rc = bt_ptrmap_children(bt, &pg);
    bt_page_release(&pg);
  } else {
    DbPage *ov;
    uint32_t next;
    rc = pager_get(bt->pager, to, &ov);
    if (rc != LODE_OK) return rc;
    next = util_get4(ov->data);
    pager_unref(ov);
    if (next != 0) rc = bt_ptrmap_put(bt, next, BT_PTRMAP_OVERFLOW2, to);
  }
  if (rc != LODE_OK) return rc;
  if (type == BT_PTRMAP_BTREE || type == BT_PTRMAP_OVERFLOW1) {
    int found = 0;
    rc = bt_page_get(bt, parent, &pg);
    if (rc != LODE_OK) return rc;
    rc = bt_page_write(&pg);
    for (int i = 0; rc == LODE_OK && !found && i <= pg.ncell; i++) {
      BtCell cell;
      if (i == pg.ncell) {
        if (type == BT_PTRMAP_BTREE && !pg.leaf && bt_child(&pg, i) == from) {
          util_put4(pg.data + pg.hdr + BT_HDR_RIGHT_CHILD, to);
          found = 1;
        }
        break;
      }
      rc = bt_cell_parse(bt, &pg, i, &cell);
      if (rc != LODE_OK) break;
      if (type == BT_PTRMAP_BTREE && !pg.leaf && cell.child == from) {
        util_put4(pg.data + cell.offset, to);
        found = 1;
      } else if (type == BT_PTRMAP_OVERFLOW1 && cell.ovfl == from) {
        util_put4(pg.data + cell.pay_off + cell.local, to);
        found = 1;
      }
    }
    bt_page_release(&pg);
    if (rc == LODE_OK && !found) rc = LODE_CORRUPT;
  } else if (type == BT_PTRMAP_OVERFLOW2) {
    DbPage *prev;
    if (parent < 2 || parent > pager_page_count(bt->pager)) return LODE_CORRUPT;
    rc = pager_get(bt->pager, parent, &prev);
    if (rc != LODE_OK) return rc;
    if (util_get4(prev->data) != from) rc = LODE_CORRUPT;
    if (rc == LODE_OK) rc = pager_write(prev);
    if (rc == LODE_OK) util_put4(prev->data, to);
    pager_unref(prev);
  } else if (type != BT_PTRMAP_ROOTPAGE) {
    rc = LODE_CORRUPT;
  }
  if (rc == LODE_OK) rc = bt_ptrmap_put(bt, to, type, parent);
  return rc;
}

/* The highest page below pgno that is not a map or the lock-byte page (1
** at least): the largest root once pgno is no root any more. */
static uint32_t bt_root_below(const Btree *bt, uint32_t pgno) {
  uint32_t r = pgno - 1;
  while (r > 1 && bt_is_special(bt, r)) r--;
  return r;
}

int bt_autovac_create(Btree *bt, uint8_t type, uint32_t *root_out) {
  uint32_t largest, root, *freel = NULL, nfree = 0;
  BtPage pg;
  int rc = bt_save_cursors(bt, 0, NULL);
  if (rc == LODE_OK) rc = bt_ptrmap_flush(bt);
  if (rc == LODE_OK) rc = btree_get_meta(bt, BTREE_META_LARGEST_ROOT, &largest);
  if (rc != LODE_OK) return rc;
  root = largest + 1;
  while (bt_is_special(bt, root)) root++;
  if (root > pager_page_count(bt->pager)) {
    /* Every page before it is a root or a map: the file grows into it. */
    rc = bt_page_alloc(bt, &pg, 0);
    if (rc != LODE_OK) return rc;
    if (pg.pgno != root) rc = LODE_CORRUPT;
    bt_page_release(&pg);
  } else {
    rc = bt_freelist_pages(bt, &freel, &nfree);
    if (rc == LODE_OK && bt_pgno_listed(freel, nfree, root)) {
      rc = bt_freelist_remove(bt, root);
    } else if (rc == LODE_OK) {
      uint8_t ptype;
      uint32_t parent;
      rc = bt_ptrmap_get(bt, root, &ptype, &parent);
      if (rc == LODE_OK && (ptype == BT_PTRMAP_ROOTPAGE || ptype == 0 || ptype == BT_PTRMAP_FREEPAGE))
        rc = LODE_CORRUPT;
      if (rc == LODE_OK) rc = bt_page_alloc(bt, &pg, 0);
      if (rc == LODE_OK) {
        uint32_t to = pg.pgno;
        bt_page_release(&pg);
        rc = bt_relocate(bt, root, to, ptype, parent);
      }
    }
    util_free(freel);
  }
  if (rc != LODE_OK) return rc;
  memset(&pg, 0, sizeof pg);
  rc = pager_get(bt->pager, root, &pg.db);
  if (rc != LODE_OK) return rc;
  pg.pgno = root;
  pg.bt = bt;
  rc = bt_page_write(&pg);
  if (rc == LODE_OK) {
    memset(pg.data, 0, bt->page_size);
    bt_page_format(bt, &pg, type);
  }
  bt_page_release(&pg);
  if (rc == LODE_OK) rc = bt_ptrmap_put(bt, root, BT_PTRMAP_ROOTPAGE, 0);
  if (rc == LODE_OK) rc = btree_set_meta(bt, BTREE_META_LARGEST_ROOT, root);
  if (rc == LODE_OK) *root_out = root;
  return rc;
}

int bt_autovac_drop(Btree *bt, uint32_t root, uint32_t *moved) {
  uint32_t largest;
  int rc = btree_get_meta(bt, BTREE_META_LARGEST_ROOT, &largest);
  if (rc != LODE_OK) return rc;
  if (root > largest) return LODE_CORRUPT;
  if (root < largest) {
    /* The last root fills the hole, so the roots stay at the low end. */
    rc = bt_save_cursors(bt, 0, NULL);
    if (rc == LODE_OK) rc = bt_ptrmap_flush(bt);
    if (rc == LODE_OK) rc = bt_relocate(bt, largest, root, BT_PTRMAP_ROOTPAGE, 0);
    if (rc == LODE_OK) rc = bt_page_free(bt, largest);
    if (rc == LODE_OK) *moved = largest;
  } else {
    rc = bt_page_free(bt, root);
  }
  if (rc == LODE_OK) rc = btree_set_meta(bt, BTREE_META_LARGEST_ROOT, bt_root_below(bt, largest));
  return rc;
}

/* Takes nfree pages off the end of the file (all free pages when nfree is
** at least the freelist's size): the b-tree and overflow pages past the
** new end move into the lowest free pages before it, the freelist keeps
** the free pages not used so, and the file is cut. */
static int bt_autovac_shrink(Btree *bt, uint32_t want) {
  uint32_t *freel = NULL, nfree = 0, npages = pager_page_count(bt->pager), nfin = npages, next = 0;
  int rc = bt_ptrmap_flush(bt);
  if (rc == LODE_OK) rc = bt_save_cursors(bt, 0, NULL);
  if (rc == LODE_OK) rc = bt_freelist_pages(bt, &freel, &nfree);
  if (rc != LODE_OK) return rc;
  if (nfree == 0 || want == 0) goto done;
  if (want > nfree) want = nfree;
  /* The new end: want pages of content (neither maps nor the lock-byte page)
  ** come off the top, and the file ends on a page of content.  Counted from
  ** the end, so that the work is the pages that go, whatever page count a
  ** corrupt header claims. */
  for (uint32_t gone = 0; gone < want && nfin > 1; nfin--)
    if (!bt_is_special(bt, nfin)) gone++;
  while (nfin > 1 && bt_is_special(bt, nfin)) nfin--;
  for (uint32_t p = npages; rc == LODE_OK && p > nfin; p--) {
    uint8_t type;
    uint32_t parent;
    if (bt_is_special(bt, p) || bt_pgno_listed(freel, nfree, p)) continue;
    rc = bt_ptrmap_get(bt, p, &type, &parent);
    if (rc != LODE_OK) break;
    if (type == BT_PTRMAP_ROOTPAGE || type == BT_PTRMAP_FREEPAGE || type == 0) {
      rc = LODE_CORRUPT;
      break;
    }
    while (next < nfree && freel[next] == 0) next++;
    if (next == nfree || freel[next] > nfin) {
      rc = LODE_CORRUPT;
      break;
    }
    rc = bt_relocate(bt, p, freel[next], type, parent);
    freel[next++] = 0; /* used */
  }
  /* The freelist is rebuilt from the free pages that remain before the end. */
  if (rc == LODE_OK) rc = bt_freelist_clear(bt);
  if (rc == LODE_OK) rc = pager_truncate(bt->pager, nfin);
  for (uint32_t i = 0; rc == LODE_OK && i < nfree; i++)
    if (freel[i] != 0 && freel[i] <= nfin) rc = bt_page_free(bt, freel[i]);
done:
  util_free(freel);
  return rc;
}

int bt_autovac_commit(Btree *bt) {
  int rc;
  if (!bt->autovac) return LODE_OK;
  /* A full auto-vacuum file ends on a page of content: one that ends on a
  ** pointer-map or the lock-byte page was cut or grown by something else,
  ** and shrinking it would move pages by maps that do not describe it. */
  uint32_t last = pager_page_count(bt->pager);
  if (bt->autovac == BTREE_AUTOVACUUM_FULL && last > 1 && bt_is_special(bt, last)) return LODE_CORRUPT;
  if (bt->autovac == BTREE_AUTOVACUUM_FULL) rc = bt_autovac_shrink(bt, UINT32_MAX);
  else rc = bt_ptrmap_flush(bt);
  return rc;
}

/* One step of an incremental vacuum, as SQLite's incrVacuumStep takes it:
** the last page of the file leaves it (a free one comes off the freelist,
** any other moves into a free page before it) and the file is cut below
** it, past any map or lock-byte page there.  Called with free pages only. */
static int bt_autovac_step(Btree *bt) {
  uint32_t last = pager_page_count(bt->pager);
  int rc = bt_ptrmap_flush(bt);
  if (rc == LODE_OK) rc = bt_save_cursors(bt, 0, NULL);
  if (rc != LODE_OK) return rc;
  if (!bt_is_special(bt, last)) {
    uint8_t type;
    uint32_t parent;
    if ((rc = bt_ptrmap_get(bt, last, &type, &parent)) != LODE_OK) return rc;
    if (type == BT_PTRMAP_ROOTPAGE || type == 0) return LODE_CORRUPT;
    if (type == BT_PTRMAP_FREEPAGE) {
      rc = bt_freelist_remove(bt, last);
    } else {
      BtPage pg;
      rc = bt_page_alloc(bt, &pg, 0);
      if (rc != LODE_OK) return rc;
      uint32_t to = pg.pgno;
      bt_page_release(&pg);
      rc = to < last ? bt_relocate(bt, last, to, type, parent) : LODE_CORRUPT;
    }
    if (rc != LODE_OK) return rc;
  }
  do last--;
  while (last > 1 && bt_is_special(bt, last));
  return pager_truncate(bt->pager, last);
}

int btree_incremental_vacuum_step(Btree *bt, int *done) {
  uint32_t nfree = 0;
  *done = 1;
  if (!pager_in_write(bt->pager)) return LODE_MISUSE;
  if (!bt->autovac) return LODE_OK;
  int rc = btree_get_meta(bt, BTREE_META_FREELIST_COUNT, &nfree);
  if (rc != LODE_OK || nfree == 0) return rc;
  if (nfree >= pager_page_count(bt->pager)) return LODE_CORRUPT;
  if ((rc = bt_log_other(bt, BTREE_LOG_STRUCTURE, 0, 0)) != LODE_OK) return rc;
  *done = 0;
  return bt_autovac_step(bt);
}
