/*
** btree_check.c — PRAGMA integrity_check for the b-tree layer.
**
** Checks, with messages modelled on SQLite's:
**  - every page of every tree given parses (header, cell pointers, cells);
**  - no byte of a page is used twice (header, pointers, cells, freeblocks)
**    and the unused bytes of the content area match the fragment count;
**  - rowids ascend within and across pages of table trees and respect the
**    parent's dividers; all leaves of a tree lie at the same depth;
**  - overflow chains have the length their payload requires;
**  - the freelist's trunk/leaf structure and its count in header field 36;
**  - every page 1..page count is used exactly once (tree, overflow, freelist);
**  - in an auto-vacuum database, each page's pointer-map entry (root, free,
**    first or later overflow page, b-tree page and its parent), that no
**    tree uses a pointer-map page, and that header field 52 is the largest
**    root.
**
** Output: one message per problem appended to a NUL-separated list.
** Invariants: the check only reads; it never follows a page number outside
** 1..page count, and its recursion is bounded by BT_MAX_DEPTH.
*/
#include "btree/btree_int.h"

typedef struct BtCheck {
  Btree *bt;
  uint32_t npage;
  uint8_t *used; /* bitmap, one bit per page: set once referenced */
  uint64_t *bytes; /* bitmap, one bit per byte of the page being checked */
  /* Per tree level, the cells of the page being checked there, (offset << 16)
  ** | size as its walk parsed them: the layout check after the walk (and after
  ** the subtrees it visits) reuses them instead of parsing every cell again. */
  uint32_t *spans[BT_MAX_DEPTH + 1];
  StrBuf errs;
  int nerr;
  int max_err;
  uint32_t root; /* tree being checked, for messages */
  int autovac;   /* pointer maps are checked */
  int nomem;
} BtCheck;

static void bt_check_err(BtCheck *ck, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#include <stdarg.h>
#include <stdio.h>

#define BT_CHECK_MSG 256

static void bt_check_err(BtCheck *ck, const char *fmt, ...) {
  char msg[BT_CHECK_MSG];
  va_list ap;
  if (ck->nerr >= ck->max_err) return;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  strbuf_append(&ck->errs, msg, strlen(msg) + 1); /* keep the NUL as separator */
  ck->nerr++;
}

/* A bitmap keeps a corrupt header's page count of up to 2^32 affordable. */
static int page_used(const BtCheck *ck, uint32_t pgno) { return (ck->used[pgno >> 3] >> (pgno & 7)) & 1; }
static void mark_used(BtCheck *ck, uint32_t pgno) { ck->used[pgno >> 3] |= (uint8_t)(1u << (pgno & 7)); }

/* Marks pgno as used; returns 0 (after reporting) if it cannot be.
** A NULL ctx (a tree's root) reports without a prefix, as sqlite3 does. */
static int bt_check_ref(BtCheck *ck, uint32_t pgno, const char *ctx) {
  const char *sep = ctx ? ": " : "";
  if (!ctx) ctx = "";
  if (pgno < 1 || pgno > ck->npage) {
    bt_check_err(ck, "%s%sinvalid page number %u", ctx, sep, pgno);
    return 0;
  }
  if (page_used(ck, pgno)) {
    bt_check_err(ck, "%s%s2nd reference to page %u", ctx, sep, pgno);
    return 0;
  }
  mark_used(ck, pgno);
  return 1;
}

/* The pointer-map entry of page child must say (type, parent). */
static void bt_check_ptrmap(BtCheck *ck, uint32_t child, uint8_t type, uint32_t parent, const char *ctx) {
  uint8_t got_type;
  uint32_t got_parent;
  if (!ck->autovac) return;
  if (bt_ptrmap_get(ck->bt, child, &got_type, &got_parent) != LODE_OK) {
    bt_check_err(ck, "%sFailed to read ptrmap key=%u", ctx, child);
    return;
  }
  if (got_type != type || got_parent != parent)
    bt_check_err(ck, "%sBad ptr map entry key=%u expected=(%u,%u) got=(%u,%u)", ctx, child, type, parent, got_type,
                 got_parent);
}

static void bt_check_overflow(BtCheck *ck, const BtCell *cell, uint32_t pgno, int i) {
  Btree *bt = ck->bt;
  uint32_t per = bt->usable - BT_OVERFLOW_PTR_SIZE;
  uint32_t expect = (cell->payload - cell->local + per - 1) / per;
  uint32_t next = cell->ovfl, n = 0;
  char ctx[64];
  uint32_t prev = pgno;
  snprintf(ctx, sizeof ctx, "Tree %u page %u cell %d", ck->root, pgno, i);
  while (next != 0 && n < expect) {
    DbPage *pg;
    if (ck->autovac && next <= ck->npage) {
      char pfx[112];
      snprintf(pfx, sizeof pfx, "%s: ", ctx);
      bt_check_ptrmap(ck, next, n == 0 ? BT_PTRMAP_OVERFLOW1 : BT_PTRMAP_OVERFLOW2, prev, pfx);
    }
    prev = next;
    if (!bt_check_ref(ck, next, ctx)) return;
    if (pager_get(bt->pager, next, &pg) != LODE_OK) {
      bt_check_err(ck, "%s: cannot read overflow page %u", ctx, next);
      return;
    }
    next = util_get4(pg->data);
    pager_unref(pg);
    n++;
  }
  if (n != expect || next != 0)
    bt_check_err(ck, "%s: overflow list length is %u but should be %u", ctx, n + (next != 0), expect);
}

/* Marks bytes [from, to) of the page in the bitmap a word at a time: the
** first of them already marked (nothing more is marked then), or UINT32_MAX. */
static uint32_t bt_check_mark(uint64_t *bits, uint32_t from, uint32_t to) {
  while (from < to) {
    uint32_t w = from >> 6, lo = from & 63, hi = to - (from & ~63u) < 64 ? to - (from & ~63u) : 64;
    uint64_t mask = (hi == 64 ? ~(uint64_t)0 : ((uint64_t)1 << hi) - 1) & (~(uint64_t)0 << lo);
    uint64_t clash = bits[w] & mask;
    if (clash) return (w << 6) + (uint32_t)__builtin_ctzll(clash);
    bits[w] |= mask;
    from = (w + 1) << 6;
  }
  return UINT32_MAX;
}

/* Byte-level layout: no overlaps; unused content bytes == fragment count.
** spans: the page's cells as bt_check_page parsed them. */
static void bt_check_layout(BtCheck *ck, const BtPage *pg, const uint32_t *spans) {
  Btree *bt = ck->bt;
  uint32_t content = util_get2(pg->data + pg->hdr + BT_HDR_CONTENT), covered = 0, b;
  uint32_t fb = util_get2(pg->data + pg->hdr + BT_HDR_FIRST_FREEBLOCK);
  int i, guard = 0;
  if (content == 0) content = 65536;
  memset(ck->bytes, 0, (bt->usable + 63) / 64 * sizeof(uint64_t));
  for (i = 0; i < pg->ncell; i++) {
    uint32_t off = spans[i] >> 16, size = spans[i] & 0xffff, end = off + size;
    if ((b = bt_check_mark(ck->bytes, off, end < bt->usable ? end : bt->usable)) != UINT32_MAX) {
      bt_check_err(ck, "Multiple uses for byte %u of page %u", b, pg->pgno);
      return;
    }
    covered += size;
  }
  while (fb != 0 && guard++ < (int)bt->usable / 4) {
    uint32_t size, end;
    if (fb + 4 > bt->usable) break;
    size = util_get2(pg->data + fb + 2);
    end = fb + size;
    if ((b = bt_check_mark(ck->bytes, fb, end < bt->usable ? end : bt->usable)) != UINT32_MAX) {
      bt_check_err(ck, "Multiple uses for byte %u of page %u", b, pg->pgno);
      return;
    }
    covered += size;
    fb = util_get2(pg->data + fb);
  }
  if (content <= bt->usable && bt->usable - content - covered != pg->data[pg->hdr + BT_HDR_FRAGMENTS])
    bt_check_err(ck, "Fragmentation of %u bytes reported as %u on page %u", bt->usable - content - covered,
                 pg->data[pg->hdr + BT_HDR_FRAGMENTS], pg->pgno);
}

/* "Tree R page P", the prefix of a page's problems: formatted in buf (of
** PAGE_CTX_SIZE bytes, "" until then) when the first of them is reported. */
#define PAGE_CTX_SIZE 64
static const char *page_ctx(const BtCheck *ck, uint32_t pgno, char *buf) {
  if (!buf[0]) snprintf(buf, PAGE_CTX_SIZE, "Tree %u page %u", ck->root, pgno);
  return buf;
}

/* Checks the subtree at pgno; table keys must lie in (lo, hi].  Returns the
** depth of its leaves (1 for a leaf), or -1 after an error. */
static int bt_check_page(BtCheck *ck, uint32_t pgno, int depth, int intkey, int has_lo, int64_t lo, int has_hi,
                         int64_t hi) {
  Btree *bt = ck->bt;
  BtPage pg;
  int i, leaf_depth = -1, free_bytes, bad_cells = 0;
  int64_t prev = lo;
  int has_prev = has_lo;
  uint32_t *spans;
  char ctx[PAGE_CTX_SIZE];
  ctx[0] = 0;
  if (depth > BT_MAX_DEPTH) {
    bt_check_err(ck, "%s: tree too deep", page_ctx(ck, pgno, ctx));
    return -1;
  }
  if (pgno >= 1 && pgno <= ck->npage && !page_used(ck, pgno)) mark_used(ck, pgno);
  else if (!bt_check_ref(ck, pgno, depth == 0 ? NULL : page_ctx(ck, pgno, ctx))) return -1;
  if (bt_page_get(bt, pgno, &pg) != LODE_OK) {
    bt_check_err(ck, "%s: btreeInitPage() returns error code 11", page_ctx(ck, pgno, ctx));
    return -1;
  }
  if (pg.intkey != intkey) {
    bt_check_err(ck, "%s: page type mismatch", page_ctx(ck, pgno, ctx));
    goto done;
  }
  /* As SQLite's check: a page whose free space does not add up is not
  ** looked into further (its cells may overlap anything). */
  if (bt_page_free_space(bt, &pg, &free_bytes) != LODE_OK) {
    bt_check_err(ck, "%s: free space corruption", page_ctx(ck, pgno, ctx));
    goto done;
  }
  /* A valid header keeps the pointer array on the page: at most usable / 2 cells. */
  if (!ck->spans[depth] && !(ck->spans[depth] = util_malloc((bt->usable / 2 + 1) * sizeof(uint32_t)))) {
    ck->nomem = 1;
    goto done;
  }
  spans = ck->spans[depth];
  for (i = 0; i <= pg.ncell; i++) {
    BtCell cell;
    int d;
    if (i < pg.ncell) {
      if (bt_cell_parse(bt, &pg, i, &cell) != LODE_OK) {
        /* SQLite's words for the two ways a cell leaves its page; the
        ** other cells are still checked, the page's byte layout no more. */
        uint32_t off = bt_cell_offset(&pg, i), content = util_get2(pg.data + pg.hdr + BT_HDR_CONTENT);
        if (content == 0) content = 65536;
        if (off < content || off > bt->usable - 4)
          bt_check_err(ck, "%s cell %d: Offset %u out of range %u..%u", page_ctx(ck, pgno, ctx), i, off, content,
                       bt->usable - 4);
        else bt_check_err(ck, "%s cell %d: Extends off end of page", page_ctx(ck, pgno, ctx), i);
        bad_cells = 1;
        continue;
      }
      spans[i] = (uint32_t)cell.offset << 16 | cell.size;
      if (cell.ovfl || cell.local < cell.payload) bt_check_overflow(ck, &cell, pgno, i);
      if (intkey) {
        if ((has_prev && cell.key <= prev) || (has_hi && cell.key > hi))
          bt_check_err(ck, "%s cell %d: Rowid %lld out of order", page_ctx(ck, pgno, ctx), i,
                       (long long)cell.key);
      }
    }
    if (pg.leaf) {
      if (i < pg.ncell && intkey) {
        prev = cell.key;
        has_prev = 1;
      }
      continue;
    }
    if (ck->autovac) {
      char pfx[112];
      uint32_t child = i < pg.ncell ? cell.child : bt_child(&pg, pg.ncell);
      if (i < pg.ncell) snprintf(pfx, sizeof pfx, "%s cell %d: ", page_ctx(ck, pgno, ctx), i);
      else snprintf(pfx, sizeof pfx, "%s right child: ", page_ctx(ck, pgno, ctx));
      if (child >= 1 && child <= ck->npage) bt_check_ptrmap(ck, child, BT_PTRMAP_BTREE, pgno, pfx);
    }
    if (i < pg.ncell) d = bt_check_page(ck, cell.child, depth + 1, intkey, has_prev, prev, 1, cell.key);
    else d = bt_check_page(ck, bt_child(&pg, pg.ncell), depth + 1, intkey, has_prev, prev, has_hi, hi);
    if (d >= 0 && leaf_depth >= 0 && d != leaf_depth)
      bt_check_err(ck, "%s: Child page depth differs", page_ctx(ck, pgno, ctx));
    if (d >= 0) leaf_depth = d;
    if (i < pg.ncell && intkey) {
      prev = cell.key;
      has_prev = 1;
    }
  }
  if (!bad_cells) bt_check_layout(ck, &pg, spans);
done:
  bt_page_release(&pg);
  if (pg.leaf) return 1;
  return leaf_depth < 0 ? -1 : leaf_depth + 1;
}

/* Header fields 52 (largest root page: non-zero in an auto-vacuum
** database) and 64 (incremental vacuum). */
static void bt_check_header_meta(BtCheck *ck) {
  uint32_t largest_root = 0, incremental = 0;
  if (btree_get_meta(ck->bt, BTREE_META_LARGEST_ROOT, &largest_root) != LODE_OK ||
      btree_get_meta(ck->bt, BTREE_META_INCR_VACUUM, &incremental) != LODE_OK)
    return;
  ck->autovac = largest_root != 0;
  if (largest_root == 0 && incremental) bt_check_err(ck, "incremental_vacuum enabled with a max rootpage of zero");
}

static void bt_check_freelist(BtCheck *ck) {
  Btree *bt = ck->bt;
  DbPage *p1;
  uint32_t trunk, expect, n = 0;
  if (pager_get(bt->pager, 1, &p1) != LODE_OK) return;
  trunk = util_get4(p1->data + BT_HDR_FREELIST_TRUNK);
  expect = util_get4(p1->data + BT_HDR_FREELIST_COUNT);
  pager_unref(p1);
  while (trunk != 0) {
    DbPage *pg;
    uint32_t nleaf, j;
    if (ck->autovac && trunk <= ck->npage) bt_check_ptrmap(ck, trunk, BT_PTRMAP_FREEPAGE, 0, "Freelist: ");
    if (!bt_check_ref(ck, trunk, "Freelist")) break;
    if (pager_get(bt->pager, trunk, &pg) != LODE_OK) break;
    n++;
    nleaf = util_get4(pg->data + BT_TRUNK_COUNT);
    if (nleaf > bt->usable / 4 - 2) {
      bt_check_err(ck, "freelist leaf count too big on page %u", trunk);
      pager_unref(pg);
      break;
    }
    for (j = 0; j < nleaf; j++) {
      uint32_t leaf = util_get4(pg->data + BT_TRUNK_LEAVES + 4 * j);
      if (ck->autovac && leaf >= 1 && leaf <= ck->npage) bt_check_ptrmap(ck, leaf, BT_PTRMAP_FREEPAGE, 0, "Freelist: ");
      if (bt_check_ref(ck, leaf, "Freelist")) n++;
    }
    trunk = util_get4(pg->data + BT_TRUNK_NEXT);
    pager_unref(pg);
  }
  if (n != expect) bt_check_err(ck, "Freelist: size is %u but should be %u", n, expect);
}

static int integrity_check(Btree *bt, const uint32_t *roots, int nroots, int max_errors, int partial,
                           char **errors, int *nerr) {
  BtCheck ck;
  uint32_t pgno, pending = BT_PENDING_BYTE / bt->page_size + 1, max_root = 1;
  int i, rc = LODE_OK;
  *errors = NULL;
  *nerr = 0;
  memset(&ck, 0, sizeof ck);
  ck.bt = bt;
  ck.npage = pager_page_count(bt->pager);
  ck.max_err = max_errors > 0 ? max_errors : 1;
  strbuf_init(&ck.errs);
  if (ck.npage == 0) return LODE_OK;
  /* Inside a write transaction the pointer-map entries of the b-tree pages
  ** written since the last flush are still pending (btree_ptrmap.c): set
  ** them first, as a commit would, so that the maps are checked as they
  ** stand for the trees. */
  if ((rc = bt_ptrmap_flush(bt)) != LODE_OK) return rc;
  ck.used = util_zalloc((size_t)ck.npage / 8 + 1);
  ck.bytes = util_malloc((bt->usable + 63) / 64 * sizeof(uint64_t));
  if (!ck.used || !ck.bytes) {
    rc = LODE_NOMEM;
    goto done;
  }
  if (pending <= ck.npage) mark_used(&ck, pending);
  if (!partial) {
    bt_check_header_meta(&ck);
    bt_check_freelist(&ck);
  }
  for (i = 0; i < nroots; i++) {
    BtPage root;
    if (roots[i] == 0) continue;
    ck.root = roots[i];
    if (roots[i] > max_root) max_root = roots[i];
    if (ck.autovac && !partial && roots[i] > 1 && roots[i] <= ck.npage)
      bt_check_ptrmap(&ck, roots[i], BT_PTRMAP_ROOTPAGE, 0, "");
    if (bt_page_get(bt, roots[i], &root) != LODE_OK) {
      /* Worded as for any page that does not parse; the root is the tree's
      ** page all the same (not one "never used"). */
      if (roots[i] >= 1 && roots[i] <= ck.npage) mark_used(&ck, roots[i]);
      bt_check_err(&ck, "Tree %u page %u: btreeInitPage() returns error code 11", roots[i], roots[i]);
      continue;
    }
    {
      int intkey = root.intkey;
      bt_page_release(&root);
      bt_check_page(&ck, roots[i], 0, intkey, 0, 0, 0, 0);
    }
  }
  if (partial) goto done;
  if (ck.autovac) {
    uint32_t in_header = 0;
    if (btree_get_meta(bt, BTREE_META_LARGEST_ROOT, &in_header) == LODE_OK && in_header != max_root)
      bt_check_err(&ck, "max rootpage (%u) disagrees with header (%u)", max_root, in_header);
  }
  mark_used(&ck, 1); /* the header page, even if its tree was not listed */
  /* Stops once the error budget is spent: a corrupt page count may be huge. */
  for (pgno = 1; pgno <= ck.npage && ck.nerr < ck.max_err; pgno++) {
    int map = ck.autovac && bt_is_ptrmap_page(bt, pgno);
    if (!page_used(&ck, pgno) && !map) bt_check_err(&ck, "Page %u: never used", pgno);
    if (page_used(&ck, pgno) && map) bt_check_err(&ck, "Pointer map page %u is referenced", pgno);
  }
done:
  util_free(ck.used);
  util_free(ck.bytes);
  for (i = 0; i <= BT_MAX_DEPTH; i++) util_free(ck.spans[i]);
  if (ck.errs.oom || ck.nomem) rc = LODE_NOMEM;
  if (rc == LODE_OK) {
    *nerr = ck.nerr;
    *errors = ck.nerr ? strbuf_finish(&ck.errs) : NULL;
  }
  strbuf_reset(&ck.errs);
  return rc;
}

int btree_integrity_check(Btree *bt, const uint32_t *roots, int nroots, int max_errors, char **errors,
                          int *nerr) {
  return integrity_check(bt, roots, nroots, max_errors, 0, errors, nerr);
}

int btree_integrity_check_trees(Btree *bt, const uint32_t *roots, int nroots, int max_errors, char **errors,
                                int *nerr) {
  return integrity_check(bt, roots, nroots, max_errors, 1, errors, nerr);
}
