/*
** btree_free.c — page allocation, the freelist and overflow chains.
**
** Freelist (database header offset 32: first trunk page, 36: total number of
** free pages, trunks and leaves together).  A trunk page holds:
**   +0 4  next trunk page (0 = last)
**   +4 4  number of leaf page numbers that follow (at most usable/4 - 8)
**   +8    4-byte leaf page numbers
** Leaf pages carry no data.  New pages come from the freelist before the file
** grows: first a leaf of the first trunk, else the trunk itself.
**
** Overflow page: +0 4-byte next overflow page (0 = last), +4 usable-4 bytes
** of payload.
**
** Invariants: header field 36 always equals the number of pages reachable
** from field 32; every page number read from disk is checked against the
** page count before use, and chain walks are bounded so a loop on disk is
** reported as LODE_CORRUPT instead of spinning.
*/
#include "btree/btree_int.h"

static uint32_t bt_pending_page(Btree *bt) { return BT_PENDING_BYTE / bt->page_size + 1; }

static int bt_pgno_ok(Btree *bt, uint32_t pgno) {
  return pgno >= 2 && pgno <= pager_page_count(bt->pager) && pgno != bt_pending_page(bt);
}

/* Takes a page off the freelist into *pgno (0 if the freelist is empty). */
static int bt_freelist_take(Btree *bt, uint32_t *pgno) {
  DbPage *p1 = NULL, *trunk = NULL;
  uint32_t first, count, nleaf;
  int rc = pager_get(bt->pager, 1, &p1);
  *pgno = 0;
  if (rc != LODE_OK) return rc;
  first = util_get4(p1->data + BT_HDR_FREELIST_TRUNK);
  count = util_get4(p1->data + BT_HDR_FREELIST_COUNT);
  if (count == 0 || first == 0) goto done;
  if (!bt_pgno_ok(bt, first)) goto corrupt;
  rc = pager_get(bt->pager, first, &trunk);
  if (rc != LODE_OK) goto done;
  nleaf = util_get4(trunk->data + BT_TRUNK_COUNT);
  if (nleaf > bt->usable / 4 - 2 || nleaf >= count) goto corrupt;
  if ((rc = pager_write(p1)) != LODE_OK || (rc = pager_write(trunk)) != LODE_OK) goto done;
  if (nleaf > 0) {
    uint32_t leaf = util_get4(trunk->data + BT_TRUNK_LEAVES + 4 * (nleaf - 1));
    if (!bt_pgno_ok(bt, leaf)) goto corrupt;
    util_put4(trunk->data + BT_TRUNK_COUNT, nleaf - 1);
    *pgno = leaf;
  } else {
    util_put4(p1->data + BT_HDR_FREELIST_TRUNK, util_get4(trunk->data + BT_TRUNK_NEXT));
    *pgno = first;
  }
  util_put4(p1->data + BT_HDR_FREELIST_COUNT, count - 1);
  goto done;
corrupt:
  rc = LODE_CORRUPT;
done:
  if (trunk) pager_unref(trunk);
  pager_unref(p1);
  return rc;
}

int bt_page_alloc(Btree *bt, BtPage *out, uint8_t type) {
  uint32_t pgno;
  int rc = bt_freelist_take(bt, &pgno);
  memset(out, 0, sizeof(*out));
  if (rc != LODE_OK) return rc;
  if (pgno == 0) {
    pgno = pager_page_count(bt->pager) + 1;
    if (pgno == bt_pending_page(bt)) {
      DbPage *skip;
      rc = pager_get(bt->pager, pgno, &skip);
      if (rc != LODE_OK) return rc;
      pager_unref(skip);
      pgno++;
    }
  }
  rc = pager_get(bt->pager, pgno, &out->db);
  if (rc != LODE_OK) return rc;
  out->pgno = pgno;
  rc = bt_page_write(out);
  if (rc != LODE_OK) {
    bt_page_release(out);
    return rc;
  }
  memset(out->data, 0, bt->page_size);
  if (type != 0) bt_page_format(bt, out, type);
  return LODE_OK;
}

int bt_page_free(Btree *bt, uint32_t pgno) {
  DbPage *p1 = NULL, *trunk = NULL, *pg = NULL;
  uint32_t first, count;
  int rc;
  if (!bt_pgno_ok(bt, pgno)) return LODE_CORRUPT;
  rc = pager_get(bt->pager, 1, &p1);
  if (rc != LODE_OK) return rc;
  if ((rc = pager_write(p1)) != LODE_OK) goto done;
  first = util_get4(p1->data + BT_HDR_FREELIST_TRUNK);
  count = util_get4(p1->data + BT_HDR_FREELIST_COUNT);
  if (first != 0) {
    uint32_t nleaf;
    if (!bt_pgno_ok(bt, first)) goto corrupt;
    if ((rc = pager_get(bt->pager, first, &trunk)) != LODE_OK) goto done;
    nleaf = util_get4(trunk->data + BT_TRUNK_COUNT);
    if (nleaf > bt->usable / 4 - 2) goto corrupt;
    if (nleaf < bt->usable / 4 - BT_TRUNK_SLACK) {
      if ((rc = pager_write(trunk)) != LODE_OK) goto done;
      util_put4(trunk->data + BT_TRUNK_LEAVES + 4 * nleaf, pgno);
      util_put4(trunk->data + BT_TRUNK_COUNT, nleaf + 1);
      util_put4(p1->data + BT_HDR_FREELIST_COUNT, count + 1);
      goto done;
    }
  }
  /* The freed page becomes the new first trunk. */
  if ((rc = pager_get(bt->pager, pgno, &pg)) != LODE_OK) goto done;
  if ((rc = pager_write(pg)) != LODE_OK) goto done;
  memset(pg->data, 0, bt->page_size);
  util_put4(pg->data + BT_TRUNK_NEXT, first);
  util_put4(p1->data + BT_HDR_FREELIST_TRUNK, pgno);
  util_put4(p1->data + BT_HDR_FREELIST_COUNT, count + 1);
  goto done;
corrupt:
  rc = LODE_CORRUPT;
done:
  if (pg) pager_unref(pg);
  if (trunk) pager_unref(trunk);
  pager_unref(p1);
  return rc;
}

int bt_overflow_write(Btree *bt, const uint8_t *data, uint32_t n, uint32_t *first) {
  BtPage prev = {0}, cur;
  uint32_t per = bt->usable - BT_OVERFLOW_PTR_SIZE;
  int rc = LODE_OK;
  *first = 0;
  while (n > 0) {
    uint32_t take = n < per ? n : per;
    rc = bt_page_alloc(bt, &cur, 0);
    if (rc != LODE_OK) break;
    if (prev.db) {
      util_put4(prev.data, cur.pgno);
      bt_page_release(&prev);
    } else {
      *first = cur.pgno;
    }
    memcpy(cur.data + BT_OVERFLOW_PTR_SIZE, data, take);
    data += take;
    n -= take;
    prev = cur;
  }
  bt_page_release(&prev);
  return rc;
}

static uint32_t bt_overflow_pages(Btree *bt, uint32_t payload, uint32_t local) {
  uint32_t per = bt->usable - BT_OVERFLOW_PTR_SIZE;
  return (payload - local + per - 1) / per;
}

int bt_overflow_free(Btree *bt, uint32_t first, uint32_t payload, uint32_t local) {
  uint32_t left = bt_overflow_pages(bt, payload, local);
  uint32_t pgno = first;
  int rc;
  while (left > 0) {
    DbPage *pg;
    uint32_t next;
    if (!bt_pgno_ok(bt, pgno)) return LODE_CORRUPT;
    rc = pager_get(bt->pager, pgno, &pg);
    if (rc != LODE_OK) return rc;
    next = util_get4(pg->data);
    pager_unref(pg);
    rc = bt_page_free(bt, pgno);
    if (rc != LODE_OK) return rc;
    pgno = next;
    left--;
  }
  return LODE_OK;
}

int bt_overflow_read(Btree *bt, uint32_t first, uint32_t local, uint32_t payload, uint32_t offset, uint32_t n,
                     uint8_t *buf) {
  uint32_t per = bt->usable - BT_OVERFLOW_PTR_SIZE;
  uint32_t left = bt_overflow_pages(bt, payload, local);
  uint32_t pos = local; /* payload offset of the current page's first byte */
  uint32_t pgno = first;
  assert(offset >= local && offset + n <= payload);
  while (n > 0) {
    DbPage *pg;
    int rc;
    if (left == 0 || !bt_pgno_ok(bt, pgno)) return LODE_CORRUPT;
    rc = pager_get(bt->pager, pgno, &pg);
    if (rc != LODE_OK) return rc;
    if (offset < pos + per) {
      uint32_t skip = offset - pos;
      uint32_t take = per - skip < n ? per - skip : n;
      memcpy(buf, pg->data + BT_OVERFLOW_PTR_SIZE + skip, take);
      buf += take;
      offset += take;
      n -= take;
    }
    {
      uint32_t next = util_get4(pg->data);
      pager_unref(pg);
      /* A chain must end where its payload ends, and never point at itself. */
      if (next == pgno || (left == 1) != (next == 0)) return LODE_CORRUPT;
      pgno = next;
    }
    pos += per;
    left--;
  }
  return LODE_OK;
}
