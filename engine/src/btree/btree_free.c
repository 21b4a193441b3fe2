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

/* bt_page_alloc; zero: a page off the freelist is cleared first (every
** caller but the overflow writer, which writes all of its pages). */
static int page_alloc(Btree *bt, BtPage *out, uint8_t type, int zero) {
  uint32_t pgno;
  int rc = bt_freelist_take(bt, &pgno), fresh = pgno == 0;
  memset(out, 0, sizeof(*out));
  if (rc != LODE_OK) return rc;
  /* A free page is nobody's: one still held (a cursor's page, an overflow
  ** page being read) is listed free by a corrupt freelist, and handing it
  ** out would give two structures the same page. */
  if (pgno != 0 && pager_page_refs(bt->pager, pgno) > 0) return LODE_CORRUPT;
  if (pgno == 0) {
    pgno = pager_page_count(bt->pager) + 1;
    /* The lock-byte page is never used; in an auto-vacuum database a new
    ** pointer-map page (zeroed: no entries yet) precedes the pages it maps. */
    while (pgno == bt_pending_page(bt) || (bt->autovac && bt_is_ptrmap_page(bt, pgno))) {
      DbPage *skip;
      rc = pager_get(bt->pager, pgno, &skip);
      if (rc == LODE_OK && pgno != bt_pending_page(bt)) rc = pager_write(skip);
      if (skip) pager_unref(skip);
      if (rc != LODE_OK) return rc;
      pgno++;
    }
    if (pgno > pager_max_page_count(bt->pager, 0)) return LODE_FULL; /* PRAGMA max_page_count */
    if (bt->autovac) {
      /* The entry may remain from a page a vacuum cut off: it must say
      ** nothing until the new page's user sets it. */
      DbPage *grow;
      rc = pager_get(bt->pager, pgno, &grow);
      if (rc != LODE_OK) return rc;
      pager_unref(grow);
      rc = bt_ptrmap_put(bt, pgno, 0, 0);
      if (rc != LODE_OK) return rc;
    }
  }
  rc = pager_get(bt->pager, pgno, &out->db);
  if (rc != LODE_OK) return rc;
  out->pgno = pgno;
  out->bt = bt;
  rc = bt_page_write(out);
  if (rc != LODE_OK) {
    bt_page_release(out);
    return rc;
  }
  /* A page past the end comes zeroed from the pager; one off the freelist
  ** holds what it held. */
  if (!fresh && zero) memset(out->data, 0, bt->page_size);
  if (type != 0) bt_page_format(bt, out, type);
  return LODE_OK;
}

int bt_page_alloc(Btree *bt, BtPage *out, uint8_t type) { return page_alloc(bt, out, type, 1); }

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
  if (rc == LODE_OK) rc = bt_ptrmap_put(bt, pgno, BT_PTRMAP_FREEPAGE, 0);
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
    /* Not cleared first: the page is written whole, its next-page link and
    ** payload here, and the rest zeroed (the last page's tail, the reserved
    ** bytes), as a cleared page would hold. */
    rc = page_alloc(bt, &cur, 0, 0);
    if (rc != LODE_OK) break;
    util_put4(cur.data, 0);
    memset(cur.data + BT_OVERFLOW_PTR_SIZE + take, 0, bt->page_size - BT_OVERFLOW_PTR_SIZE - take);
    /* The first page's parent is the b-tree page the cell lands on, which
    ** the pointer-map flush records; later pages follow their predecessor. */
    rc = bt_ptrmap_put(bt, cur.pgno, prev.db ? BT_PTRMAP_OVERFLOW2 : BT_PTRMAP_OVERFLOW1, prev.db ? prev.pgno : 0);
    if (rc != LODE_OK) {
      bt_page_release(&cur);
      break;
    }
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
    uint8_t link[BT_OVERFLOW_PTR_SIZE];
    uint32_t next;
    if (!bt_pgno_ok(bt, pgno)) return LODE_CORRUPT;
    /* Nothing holds the overflow page of a cell being removed: a held page
    ** is some tree's page that a corrupt chain names (freeing it would
    ** take it from under its user). */
    if (pager_page_refs(bt->pager, pgno) > 0) return LODE_CORRUPT;
    /* Only the link is read: a page not in the cache is not brought in. */
    rc = pager_read_range(bt->pager, pgno, 0, BT_OVERFLOW_PTR_SIZE, link);
    if (rc != LODE_OK) return rc;
    next = util_get4(link);
    rc = bt_page_free(bt, pgno);
    if (rc != LODE_OK) return rc;
    pgno = next;
    left--;
  }
  return LODE_OK;
}

/* Bytes [offset, offset + n) of a payload's overflow part written from
** from.  Each page is compared first, read as pager_read_range reads it
** (not brought into the cache): one whose bytes stay as they are is not
** written (nor journaled). */
int bt_overflow_put(Btree *bt, uint32_t first, uint32_t local, uint32_t payload, uint32_t offset, uint32_t n,
                    const uint8_t *from) {
  uint32_t per = bt->usable - BT_OVERFLOW_PTR_SIZE;
  uint32_t left = bt_overflow_pages(bt, payload, local);
  uint32_t pos = local; /* payload offset of the current page's first byte */
  uint32_t pgno = first;
  uint8_t *old = util_malloc(bt->usable);
  int rc = old ? LODE_OK : LODE_NOMEM;
  assert(offset >= local && offset + n <= payload);
  while (rc == LODE_OK && n > 0) {
    uint32_t next, skip = 0, take = 0;
    if (left == 0 || !bt_pgno_ok(bt, pgno)) {
      rc = LODE_CORRUPT;
      break;
    }
    if (offset < pos + per) {
      skip = offset - pos;
      take = per - skip < n ? per - skip : n;
    }
    rc = pager_read_range(bt->pager, pgno, 0, BT_OVERFLOW_PTR_SIZE + skip + take, old);
    if (rc != LODE_OK) break;
    next = util_get4(old);
    if (take && memcmp(old + BT_OVERFLOW_PTR_SIZE + skip, from, take) != 0) {
      DbPage *pg;
      if ((rc = pager_get(bt->pager, pgno, &pg)) != LODE_OK) break;
      if ((rc = pager_write(pg)) == LODE_OK) memmove(pg->data + BT_OVERFLOW_PTR_SIZE + skip, from, take);
      pager_unref(pg);
      if (rc != LODE_OK) break;
    }
    from += take;
    offset += take;
    n -= take;
    /* A chain must end where its payload ends, and never point at itself. */
    if (next == pgno || (left == 1) != (next == 0)) {
      rc = LODE_CORRUPT;
      break;
    }
    pgno = next;
    pos += per;
    left--;
  }
  util_free(old);
  return rc;
}

int bt_overflow_read(Btree *bt, uint32_t first, uint32_t local, uint32_t payload, uint32_t offset, uint32_t n,
                     uint8_t *buf, uint32_t before) {
  uint32_t per = bt->usable - BT_OVERFLOW_PTR_SIZE;
  uint32_t left = bt_overflow_pages(bt, payload, local);
  uint32_t pos = local; /* payload offset of the current page's first byte */
  uint32_t pgno = first;
  uint8_t *into = buf;
  assert(offset >= local && offset + n <= payload);
  /* Pages are read with pager_read_range: one not in the cache comes
  ** straight from the file into buf, its link with it into the 4 bytes
  ** before its part (kept aside meanwhile) when buf has them. */
  while (n > 0) {
    uint8_t link[BT_OVERFLOW_PTR_SIZE], keep[BT_OVERFLOW_PTR_SIZE];
    uint32_t next;
    int rc;
    if (left == 0 || !bt_pgno_ok(bt, pgno)) return LODE_CORRUPT;
    if (offset < pos + per) {
      uint32_t skip = offset - pos;
      uint32_t take = per - skip < n ? per - skip : n;
      if (skip == 0 && (uint32_t)(into - buf) + before >= BT_OVERFLOW_PTR_SIZE) {
        memcpy(keep, into - BT_OVERFLOW_PTR_SIZE, BT_OVERFLOW_PTR_SIZE);
        rc = pager_read_range(bt->pager, pgno, 0, BT_OVERFLOW_PTR_SIZE + take, into - BT_OVERFLOW_PTR_SIZE);
        memcpy(link, into - BT_OVERFLOW_PTR_SIZE, BT_OVERFLOW_PTR_SIZE);
        memcpy(into - BT_OVERFLOW_PTR_SIZE, keep, BT_OVERFLOW_PTR_SIZE);
      } else {
        rc = pager_read_range(bt->pager, pgno, 0, BT_OVERFLOW_PTR_SIZE, link);
        if (rc == LODE_OK) rc = pager_read_range(bt->pager, pgno, BT_OVERFLOW_PTR_SIZE + skip, take, into);
      }
      into += take;
      offset += take;
      n -= take;
    } else {
      rc = pager_read_range(bt->pager, pgno, 0, BT_OVERFLOW_PTR_SIZE, link);
    }
    if (rc != LODE_OK) return rc;
    next = util_get4(link);
    /* A chain must end where its payload ends, and never point at itself. */
    if (next == pgno || (left == 1) != (next == 0)) return LODE_CORRUPT;
    pgno = next;
    pos += per;
    left--;
  }
  return LODE_OK;
}


/* Every page of the freelist (trunks and leaves), sorted, in a new array. */
int bt_freelist_pages(Btree *bt, uint32_t **out, uint32_t *n_out) {
  DbPage *p1;
  uint32_t trunk, count, n = 0, guard = 0;
  uint32_t *v;
  int rc = pager_get(bt->pager, 1, &p1);
  *out = NULL;
  *n_out = 0;
  if (rc != LODE_OK) return rc;
  trunk = util_get4(p1->data + BT_HDR_FREELIST_TRUNK);
  count = util_get4(p1->data + BT_HDR_FREELIST_COUNT);
  pager_unref(p1);
  if (count > pager_page_count(bt->pager)) return LODE_CORRUPT;
  /* Sized by what the trunks hold, not by the header's count: a corrupt
  ** header (with a page count to match) may claim billions. */
  uint32_t cap = 0;
  v = NULL;
  while (trunk != 0 && rc == LODE_OK) {
    DbPage *pg;
    uint32_t nleaf;
    if (!bt_pgno_ok(bt, trunk) || n >= count || guard++ > count) {
      rc = LODE_CORRUPT;
      break;
    }
    rc = pager_get(bt->pager, trunk, &pg);
    if (rc != LODE_OK) break;
    nleaf = util_get4(pg->data + BT_TRUNK_COUNT);
    if (nleaf > bt->usable / 4 - 2 || n + 1 + nleaf > count) rc = LODE_CORRUPT;
    if (rc == LODE_OK && n + 1 + nleaf > cap) {
      uint32_t want = cap * 2 > n + 1 + nleaf ? cap * 2 : n + 1 + nleaf;
      uint32_t *grown = util_realloc(v, sizeof *v * (size_t)want);
      if (grown) v = grown, cap = want;
      else rc = LODE_NOMEM;
    }
    if (rc == LODE_OK) v[n++] = trunk;
    for (uint32_t j = 0; rc == LODE_OK && j < nleaf; j++) v[n++] = util_get4(pg->data + BT_TRUNK_LEAVES + 4 * j);
    trunk = util_get4(pg->data + BT_TRUNK_NEXT);
    pager_unref(pg);
  }
  if (rc != LODE_OK) {
    util_free(v);
    return rc;
  }
  bt_sort_pgnos(v, n);
  *out = v;
  *n_out = n;
  return LODE_OK;
}

/* Takes page pgno, known to be on the freelist, off it.  A leaf leaves
** its trunk's list (the last entry takes its slot); a trunk is replaced by
** its first leaf, which takes over its list, or unlinked when it has none. */
int bt_freelist_remove(Btree *bt, uint32_t pgno) {
  DbPage *p1 = NULL, *trunk = NULL, *prev = NULL;
  uint32_t cur, count, guard = 0;
  int rc = pager_get(bt->pager, 1, &p1);
  if (rc != LODE_OK) return rc;
  count = util_get4(p1->data + BT_HDR_FREELIST_COUNT);
  cur = util_get4(p1->data + BT_HDR_FREELIST_TRUNK);
  while (cur != 0) {
    uint32_t nleaf, next;
    if (!bt_pgno_ok(bt, cur) || guard++ > count) goto corrupt;
    if ((rc = pager_get(bt->pager, cur, &trunk)) != LODE_OK) goto done;
    nleaf = util_get4(trunk->data + BT_TRUNK_COUNT);
    next = util_get4(trunk->data + BT_TRUNK_NEXT);
    if (nleaf > bt->usable / 4 - 2) goto corrupt;
    if (cur == pgno) {
      uint8_t *link;
      uint32_t repl = next;
      if ((rc = pager_write(p1)) != LODE_OK) goto done;
      if (prev && (rc = pager_write(prev)) != LODE_OK) goto done;
      link = prev ? prev->data + BT_TRUNK_NEXT : p1->data + BT_HDR_FREELIST_TRUNK;
      if (nleaf > 0) {
        DbPage *leaf;
        repl = util_get4(trunk->data + BT_TRUNK_LEAVES);
        if (!bt_pgno_ok(bt, repl)) goto corrupt;
        if ((rc = pager_get(bt->pager, repl, &leaf)) != LODE_OK) goto done;
        rc = pager_write(leaf);
        if (rc == LODE_OK) {
          memset(leaf->data, 0, bt->page_size);
          util_put4(leaf->data + BT_TRUNK_NEXT, next);
          util_put4(leaf->data + BT_TRUNK_COUNT, nleaf - 1);
          memcpy(leaf->data + BT_TRUNK_LEAVES, trunk->data + BT_TRUNK_LEAVES + 4, 4 * (size_t)(nleaf - 1));
        }
        pager_unref(leaf);
        if (rc != LODE_OK) goto done;
      }
      util_put4(link, repl);
      util_put4(p1->data + BT_HDR_FREELIST_COUNT, count - 1);
      goto done;
    }
    for (uint32_t j = 0; j < nleaf; j++) {
      if (util_get4(trunk->data + BT_TRUNK_LEAVES + 4 * j) != pgno) continue;
      if ((rc = pager_write(p1)) != LODE_OK || (rc = pager_write(trunk)) != LODE_OK) goto done;
      util_put4(trunk->data + BT_TRUNK_LEAVES + 4 * j, util_get4(trunk->data + BT_TRUNK_LEAVES + 4 * (nleaf - 1)));
      util_put4(trunk->data + BT_TRUNK_COUNT, nleaf - 1);
      util_put4(p1->data + BT_HDR_FREELIST_COUNT, count - 1);
      goto done;
    }
    if (prev) pager_unref(prev);
    prev = trunk;
    trunk = NULL;
    cur = next;
  }
corrupt:
  rc = LODE_CORRUPT;
done:
  if (trunk) pager_unref(trunk);
  if (prev) pager_unref(prev);
  pager_unref(p1);
  return rc;
}

/* Empties the freelist (its pages are all past the end after a full
** auto-vacuum, or reused). */
int bt_freelist_clear(Btree *bt) {
  DbPage *p1;
  int rc = pager_get(bt->pager, 1, &p1);
  if (rc != LODE_OK) return rc;
  rc = pager_write(p1);
  if (rc == LODE_OK) {
    util_put4(p1->data + BT_HDR_FREELIST_TRUNK, 0);
    util_put4(p1->data + BT_HDR_FREELIST_COUNT, 0);
  }
  pager_unref(p1);
  return rc;
}
