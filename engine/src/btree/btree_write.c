/*
** btree_write.c — inserts, deletes and balancing.
**
** Balance works on images: the full would-be content of one page (BtImage:
** cells pointing into one copy of each page they come from).  When an image
** does not fit its page, or a non-root page would be left without cells (or
** a leaf three-quarters empty after a delete), the page and up to two
** neighbours are gathered together with the parent's dividers between them
** into one ordered list and redistributed over as many pages as needed
** (reusing the old page numbers, allocating or freeing the difference).  The
** parent then trades its old dividers for the new ones in place when they
** fit and it keeps a cell; otherwise its new content is again an image,
** balanced the same way, up to the root.  The root never moves: when its image does not fit, its content goes
** to a fresh child and the root becomes an interior page above it; when it
** is left with no cells and one child, the child is pulled up into it.
**
** Dividers: in a table b-tree the divider of a left page is a copy of its
** largest rowid (leaves) or the lifted interior cell's rowid; in an index
** b-tree the divider is a real entry lifted out of the list (its left child
** becomes the right child of the page to its left).
**
** A leaf that overflows below the root is redistributed in place instead
** (bt_balance_leaf, SQLite's editPage idea): group boundaries start at the
** siblings' own and move one cell at a time, with byte totals from each
** page's free-space count, so only the cells that cross a boundary are
** referenced and sized; each sibling frees the cells that leave it and
** writes those that arrive, the cells it keeps staying where they are.
**
** Appends (the new cell is the last of the rightmost leaf) pack pages full
** from the left, so sequential rowids fill leaves completely.
**
** Invariants: every non-root page keeps at least one cell; all leaves stay
** at the same depth; a cell's bytes travel unchanged except for its 4-byte
** child pointer (rewritten, or added/dropped when an index entry moves
** between a leaf and an interior page).
*/
#include "btree/btree_int.h"

#define BT_MAX_SIBLINGS 3
/* Pages one redistribution may produce: greedy packing leaves any two
** neighbouring pages more than full together, so 4 pages of content (3
** siblings + a new cell) need at most 9. */
#define BT_MAX_GROUPS 12
#define BT_CELL_BUF_EXTRA 32 /* header varints + overflow pointer */
/* A non-root leaf with more than (DIV-1)/DIV of its space free after a
** delete is merged with its neighbours. */
#define BT_UNDERFULL_DIV 4
/* Ranges of touching cells a leaf edit gathers before freeing them. */
#define BT_FREE_RUNS 8

/* A page of the redistribution: cells [first, end) of the gathered list;
** for interior pages right is the right child. */
typedef struct BtGroup {
  int first;
  int end;
  uint32_t right;
} BtGroup;

static uint16_t bt_hdr_size(uint8_t type) {
  return (type & BT_FLAG_LEAF) ? BT_LEAF_HEADER_SIZE : BT_INTERIOR_HEADER_SIZE;
}

static int bt_type_intkey(uint8_t type) { return type == BT_PAGE_TABLE_LEAF || type == BT_PAGE_TABLE_INTERIOR; }

/* Bytes an index cell really spans (no padding), from its payload header;
** the bytes were validated when they were read from their page. */
static uint16_t bt_index_cell_len(Btree *bt, const uint8_t *p, int interior) {
  uint64_t payload;
  uint32_t local, n = interior ? BT_CHILD_PTR_SIZE : 0;
  n += (uint32_t)util_varint_get(p + n, &payload);
  local = bt_local_size(bt, 0, (uint32_t)payload);
  n += local;
  if (local < payload) n += BT_OVERFLOW_PTR_SIZE;
  return (uint16_t)n;
}

/* Adds bytes p[0..n) as a cell, padded to the minimum cell size. */
static int bt_image_add_padded(BtImage *img, const uint8_t *p, uint16_t n) {
  uint8_t tmp[BT_MIN_CELL] = {0};
  if (n >= BT_MIN_CELL) return bt_image_add(img, p, n);
  memcpy(tmp, p, n);
  return bt_image_add(img, tmp, BT_MIN_CELL);
}

/* Interior cell src (n bytes) with its child pointer replaced by child. */
static int bt_image_add_with_child(BtImage *img, uint32_t child, const uint8_t *src, uint16_t n) {
  uint8_t stackbuf[512];
  uint8_t *buf = stackbuf;
  int rc;
  if (n > (int)sizeof(stackbuf)) {
    buf = util_malloc(n);
    if (!buf) return LODE_NOMEM;
  }
  util_put4(buf, child);
  memcpy(buf + BT_CHILD_PTR_SIZE, src + BT_CHILD_PTR_SIZE, n - BT_CHILD_PTR_SIZE);
  rc = bt_image_add_padded(img, buf, n);
  if (buf != stackbuf) util_free(buf);
  return rc;
}

/* Appends to all the divider between siblings (parent cell d) as the list
** entry it becomes: nothing for table leaves, an interior cell whose child
** is the left sibling's right child, or the entry itself for index leaves. */
static int bt_add_divider(Btree *bt, BtImage *all, const BtPage *parent, int d, uint32_t left_right) {
  BtCell cell;
  const uint8_t *p;
  int rc = bt_cell_parse(bt, parent, d, &cell);
  if (rc != LODE_OK) return rc;
  p = parent->data + cell.offset;
  if (all->type == BT_PAGE_TABLE_LEAF) return LODE_OK;
  if (all->type == BT_PAGE_INDEX_LEAF) {
    uint16_t len = bt_index_cell_len(bt, p, 1);
    return bt_image_add_padded(all, p + BT_CHILD_PTR_SIZE, (uint16_t)(len - BT_CHILD_PTR_SIZE));
  }
  return bt_image_add_with_child(all, left_right, p, cell.size);
}

/* First index in (lo, hi] whose running total reaches want (hi if none);
** pre is non-decreasing. */
static int bt_prefix_reach(const uint32_t *pre, int lo, int hi, uint64_t want) {
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (pre[mid] >= want) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/* Splits all into groups that each fit a non-root page.  Greedy packing
** fills pages from the left; otherwise groups are evened out to about
** target bytes each.  pre[i] is the bytes (cell + pointer) of cells [0, i).
** Group boundaries are found by binary search over pre, not cell by cell.
** Returns the number of groups, 0 if impossible. */
static int bt_partition(Btree *bt, const BtImage *all, const uint32_t *pre, uint32_t target, BtGroup *g,
                        int maxg) {
  int lifted = all->type != BT_PAGE_TABLE_LEAF;
  uint32_t hs = bt_hdr_size(all->type);
  int a = 0, k = 0, m = all->ncell;
  while (a < m) {
    int b, fit;
    /* Cells are taken while the page holds them and, but for the first,
    ** while the group is still below target: the group ends at the first
    ** cell past the last that fits, or right after the one reaching target. */
    fit = bt_prefix_reach(pre, a, m, (uint64_t)pre[a] + bt->usable - hs + 1);
    if (fit > a && pre[fit] > pre[a] + bt->usable - hs) fit--;
    b = target == UINT32_MAX || target <= hs ? m : bt_prefix_reach(pre, a + 1, m, (uint64_t)pre[a] + target - hs);
    if (target <= hs) b = a + 1;
    if (b > fit) b = fit;
    if (b == a || k == maxg) return 0;
    g[k].first = a;
    g[k].end = b;
    k++;
    if (b == m) break;
    if (lifted) {
      if (b + 1 == m) {
        /* Nothing would follow the separator: shorten this group by one. */
        if (b - a < 2) return 0;
        g[k - 1].end = b - 1;
        b = b - 1;
      }
      a = b + 1;
    } else {
      a = b;
    }
  }
  return k;
}

static int bt_distribute(Btree *bt, const BtImage *all, int append, BtGroup *g, int maxg) {
  uint32_t *pre;
  int i, k;
  if (bt->prefix_cap < (uint32_t)all->ncell + 1) {
    uint32_t cap = (uint32_t)all->ncell + 1 + 256;
    pre = util_realloc(bt->prefix, sizeof(*pre) * cap);
    if (!pre) return -1;
    bt->prefix = pre;
    bt->prefix_cap = cap;
  }
  pre = bt->prefix;
  pre[0] = 0;
  for (i = 0; i < all->ncell; i++) pre[i + 1] = pre[i] + 2u + all->cells[i].n;
  k = bt_partition(bt, all, pre, UINT32_MAX, g, maxg);
  if (k <= 1 || append) return k;
  {
    BtGroup even[BT_MAX_GROUPS];
    uint32_t target = bt_hdr_size(all->type) + pre[all->ncell] / (uint32_t)k;
    int k2 = bt_partition(bt, all, pre, target, even, maxg);
    if (k2 == k) memcpy(g, even, sizeof(BtGroup) * (size_t)k);
  }
  return k;
}

/* The key of the last cell of group g, a table leaf's: its divider's key. */
static uint64_t bt_group_last_key(const BtImage *all, const BtGroup *g) {
  const uint8_t *p = all->cells[g->end - 1].p;
  uint64_t payload, key;
  util_varint_get(p + util_varint_get(p, &payload), &key);
  return key;
}

/* The bytes of the parent cell that points at page pgno, whose last list
** cell is cell end-1 (table leaf) or whose separator is cell end, padded to
** the minimum cell size (the parent's room is known before any divider is
** built). */
static uint32_t bt_divider_size(Btree *bt, const BtImage *all, const BtGroup *g) {
  uint32_t n;
  if (all->type == BT_PAGE_TABLE_LEAF) {
    n = BT_CHILD_PTR_SIZE + (uint32_t)util_varint_len(bt_group_last_key(all, g));
  } else if (!(all->type & BT_FLAG_LEAF)) {
    n = all->cells[g->end].n;
  } else {
    const BtCellRef *sep = &all->cells[g->end];
    n = BT_CHILD_PTR_SIZE + (all->type == BT_PAGE_INDEX_LEAF ? bt_index_cell_len(bt, sep->p, 0) : sep->n);
  }
  return n < BT_MIN_CELL ? BT_MIN_CELL : n;
}

/* Writes that cell to out (room for bt_divider_size bytes); returns its size. */
static uint16_t bt_divider_write(Btree *bt, const BtImage *all, const BtGroup *g, uint32_t pgno, uint8_t *out) {
  uint32_t n;
  util_put4(out, pgno);
  if (all->type == BT_PAGE_TABLE_LEAF) {
    n = BT_CHILD_PTR_SIZE + (uint32_t)util_varint_put(out + BT_CHILD_PTR_SIZE, bt_group_last_key(all, g));
  } else {
    const BtCellRef *sep = &all->cells[g->end];
    if (!(all->type & BT_FLAG_LEAF)) { /* an interior cell: a new child pointer */
      n = sep->n;
      memcpy(out + BT_CHILD_PTR_SIZE, sep->p + BT_CHILD_PTR_SIZE, n - BT_CHILD_PTR_SIZE);
    } else {
      uint32_t body = all->type == BT_PAGE_INDEX_LEAF ? bt_index_cell_len(bt, sep->p, 0) : sep->n;
      memcpy(out + BT_CHILD_PTR_SIZE, sep->p, body);
      n = BT_CHILD_PTR_SIZE + body;
    }
  }
  while (n < BT_MIN_CELL) out[n++] = 0;
  return (uint16_t)n;
}

/* Adds that cell to the parent's image, built on the stack when it is short. */
static int bt_make_divider(Btree *bt, BtImage *pimg, const BtImage *all, const BtGroup *g, uint32_t pgno) {
  uint8_t stackbuf[256], *buf = stackbuf;
  uint32_t n = bt_divider_size(bt, all, g);
  int rc;
  if (n > sizeof stackbuf && !(buf = util_malloc(n))) return LODE_NOMEM;
  rc = bt_image_add(pimg, buf, bt_divider_write(bt, all, g, pgno, buf));
  if (buf != stackbuf) util_free(buf);
  return rc;
}

static int bt_balance_root(BtCursor *c, BtImage *img, int append);

/* State of one redistribution (bt_balance_siblings and its helpers). */
typedef struct BtBalance {
  BtCursor *c;
  int level;             /* level of the page being balanced */
  BtPage *parent;
  int first, nsib;       /* siblings are the parent's children first..first+nsib-1 */
  BtPage sib[BT_MAX_SIBLINGS];
  BtPage *sp[BT_MAX_SIBLINGS]; /* each sibling's page (the cursor's own for the balanced one) */
  BtPage extra[BT_MAX_GROUPS]; /* newly allocated pages */
  int nextra;
  BtGroup grp[BT_MAX_GROUPS];
  int k;                 /* groups = pages after the redistribution */
  uint32_t last_right;   /* right child of the last sibling */
  BtImage all;           /* siblings' cells and dividers, in key order */
  BtImage pimg;          /* the parent's new content */
  /* Leaf redistribution in place (bt_balance_leaf): sibling s's cells are
  ** all.cells[ob[s], oe[s]), which holds the new cell at index ins (-1:
  ** none) when s is the page that overflowed. */
  int ob[BT_MAX_SIBLINGS], oe[BT_MAX_SIBLINGS];
  int ins;
  /* Where the sibling's cells among the gathered ones are read, from a copy
  ** of each sibling (its bytes from the pointer array on) made before any
  ** page changes: range r is gathered cells [rb[r], re[r]), whose pointers
  ** follow each other in a copy from rptr[r] on; a pointer's offset o names
  ** the cell at rcopy[r] + (o - rcellptr[r]), valid from rlim[r] (the end
  ** of that page's pointer array) on.  The cells outside every range (the
  ** new cell, the dividers) have their reference in all.cells. */
  int nrange, rlast; /* rlast: the range last looked up */
  int rb[BT_MAX_SIBLINGS + 1], re[BT_MAX_SIBLINGS + 1];
  const uint8_t *rptr[BT_MAX_SIBLINGS + 1], *rcopy[BT_MAX_SIBLINGS + 1];
  uint32_t rcellptr[BT_MAX_SIBLINGS + 1], rlim[BT_MAX_SIBLINGS + 1];
  uint16_t *sz; /* size of each gathered cell, 0 until sized (Btree.leaf_sizes) */
  uint32_t usable;
} BtBalance;

static void bt_choose_siblings(BtBalance *b, int pi, int append) {
  int last;
  if (append || b->parent->ncell == 0) {
    b->first = pi;
    b->nsib = 1;
    return;
  }
  b->first = pi > 0 ? pi - 1 : 0;
  last = b->first + BT_MAX_SIBLINGS - 1 > b->parent->ncell ? b->parent->ncell : b->first + BT_MAX_SIBLINGS - 1;
  b->first = last - (BT_MAX_SIBLINGS - 1) > 0 ? last - (BT_MAX_SIBLINGS - 1) : 0;
  b->nsib = last - b->first + 1;
}

/* Collects the siblings' cells (img for the balanced page) and the
** dividers between them into b->all. */
static int bt_gather(BtBalance *b, const BtImage *img, int pi) {
  Btree *bt = b->c->bt;
  int s, rc = LODE_OK;
  for (s = 0; s < b->nsib; s++) {
    uint32_t right;
    BtPage *sib = &b->sib[s];
    if (b->first + s == pi) {
      b->sp[s] = &b->c->page[b->level];
      rc = bt_image_add_refs(&b->all, img);
      right = img->right;
    } else {
      b->sp[s] = sib;
      rc = bt_page_get(bt, bt_child(b->parent, b->first + s), sib);
      if (rc == LODE_OK && sib->type != img->type) rc = LODE_CORRUPT;
      if (rc == LODE_OK) rc = bt_image_add_page(bt, &b->all, sib, 0, sib->ncell);
      right = sib->leaf || rc != LODE_OK ? 0 : bt_child(sib, sib->ncell);
    }
    if (rc != LODE_OK) return rc;
    if (s < b->nsib - 1) rc = bt_add_divider(bt, &b->all, b->parent, b->first + s, right);
    else b->last_right = right;
    if (rc != LODE_OK) return rc;
  }
  return LODE_OK;
}

/* Writes each group to a page: the siblings' pages in order, then new ones;
** frees siblings left over.  Afterwards grp[g].right is group g's page. */
static int bt_write_groups(BtBalance *b) {
  Btree *bt = b->c->bt;
  uint8_t type = b->all.type;
  int g, s, rc;
  for (g = 0; g < b->k; g++) {
    if (type & BT_FLAG_LEAF) b->grp[g].right = 0;
    else b->grp[g].right = g < b->k - 1 ? util_get4(b->all.cells[b->grp[g].end].p) : b->last_right;
  }
  for (g = 0; g < b->k; g++) {
    BtPage *pg;
    BtImage part;
    if (g < b->nsib) {
      pg = b->sp[g];
      rc = bt_page_write(pg);
    } else {
      pg = &b->extra[b->nextra];
      rc = bt_page_alloc(bt, pg, type);
      if (rc == LODE_OK) b->nextra++;
    }
    if (rc != LODE_OK) return rc;
    part = b->all;
    part.cells = b->all.cells + b->grp[g].first;
    part.ncell = b->grp[g].end - b->grp[g].first;
    part.right = b->grp[g].right;
    bt_image_assemble(bt, pg, &part);
    b->grp[g].right = pg->pgno;
  }
  for (s = b->k; s < b->nsib; s++) {
    rc = bt_page_free(bt, b->sp[s]->pgno);
    if (rc != LODE_OK) return rc;
  }
  return LODE_OK;
}

/* The parent's new content: its cells before the siblings, one divider per
** group but the last, its cells after; the last group takes the slot that
** pointed at the last sibling. */
static int bt_build_parent(BtBalance *b) {
  Btree *bt = b->c->bt;
  BtPage *parent = b->parent;
  int g, rc;
  b->pimg.right = bt_child(parent, parent->ncell);
  rc = bt_image_add_page(bt, &b->pimg, parent, 0, b->first);
  for (g = 0; g < b->k - 1 && rc == LODE_OK; g++)
    rc = bt_make_divider(bt, &b->pimg, &b->all, &b->grp[g], b->grp[g].right);
  if (rc != LODE_OK) return rc;
  if (b->first + b->nsib - 1 < parent->ncell) {
    rc = bt_image_add_page(bt, &b->pimg, parent, b->first + b->nsib - 1, parent->ncell);
    if (rc != LODE_OK) return rc;
    util_put4(b->pimg.cells[b->first + b->k - 1].p, b->grp[b->k - 1].right);
  } else {
    b->pimg.right = b->grp[b->k - 1].right;
  }
  return LODE_OK;
}

/* The parent changed in place, as SQLite does, when its new content fits
** and keeps a cell: the dividers between the siblings are dropped and the
** groups' dividers inserted, the last group taking the last sibling's slot.
** Each divider is written just before it goes in, into a buffer on the
** stack when it is short.  Returns LODE_FULL, with nothing changed, when
** that does not apply. */
static int bt_parent_in_place(BtBalance *b) {
  Btree *bt = b->c->bt;
  BtPage *parent = b->parent;
  uint8_t stackbuf[256], *buf = stackbuf;
  uint16_t sizes[BT_MAX_SIBLINGS];
  uint32_t need = 0, gain = 0, biggest = 0;
  int ndrop = b->nsib - 1, g, i, slot, free_bytes, rc;
  if (parent->ncell - ndrop + (b->k - 1) < 1) return LODE_FULL;
  for (g = 0; g < b->k - 1; g++) {
    uint32_t n = bt_divider_size(bt, &b->all, &b->grp[g]);
    need += 2u + n;
    if (n > biggest) biggest = n;
  }
  for (i = 0; i < ndrop; i++) {
    BtCell cell;
    rc = bt_cell_parse(bt, parent, b->first + i, &cell);
    if (rc != LODE_OK) return rc;
    sizes[i] = cell.size;
    gain += 2u + cell.size;
  }
  rc = bt_page_free_space(bt, parent, &free_bytes);
  if (rc != LODE_OK) return rc;
  if ((uint32_t)free_bytes + gain < need) return LODE_FULL;
  if (biggest > sizeof stackbuf && !(buf = util_malloc(biggest))) return LODE_NOMEM;
  rc = bt_page_write(parent);
  for (i = ndrop - 1; i >= 0 && rc == LODE_OK; i--) rc = bt_page_drop_cell(bt, parent, b->first + i, sizes[i]);
  for (g = 0; g < b->k - 1 && rc == LODE_OK; g++) {
    uint16_t n = bt_divider_write(bt, &b->all, &b->grp[g], b->grp[g].right, buf);
    rc = bt_page_insert_cell(bt, parent, b->first + g, buf, n);
  }
  if (buf != stackbuf) util_free(buf);
  if (rc != LODE_OK) return rc == LODE_FULL ? LODE_CORRUPT : rc; /* the space was counted: cannot be full */
  slot = b->first + b->k - 1;
  if (slot < parent->ncell) util_put4(parent->data + bt_cell_offset(parent, slot), b->grp[b->k - 1].right);
  else util_put4(parent->data + parent->hdr + BT_HDR_RIGHT_CHILD, b->grp[b->k - 1].right);
  return LODE_OK;
}

/* A zeroed balance state: a kept one when there is one, else a new one. */
static BtBalance *bt_balance_take(Btree *bt) {
  BtBalance *b;
  if (bt->nbal_keep == 0) return util_zalloc(sizeof(BtBalance));
  b = bt->bal_keep[--bt->nbal_keep];
  memset(b, 0, sizeof(*b));
  return b;
}

static void bt_balance_give(Btree *bt, BtBalance *b) {
  if (bt->nbal_keep < BT_BAL_KEEP) bt->bal_keep[bt->nbal_keep++] = b;
  else util_free(b);
}

static void bt_balance_release(BtBalance *b) {
  int s;
  for (s = 0; s < b->nsib; s++) bt_page_release(&b->sib[s]);
  while (b->nextra > 0) bt_page_release(&b->extra[--b->nextra]);
}

/* Gives the parent its new dividers, in place when they fit, else as an
** image in b->pimg (*in_place says which). */
static int bt_update_parent(BtBalance *b, int *in_place) {
  int rc = bt_parent_in_place(b);
  if (rc == LODE_OK) *in_place = 1;
  else if (rc == LODE_FULL) rc = bt_build_parent(b);
  return rc;
}

/* Ends a redistribution: releases the siblings and, when the parent was
** rebuilt as an image rather than edited in place, balances it in turn. */
static int bt_balance_finish(BtCursor *c, int level, BtBalance *b, int rc, int in_place) {
  bt_balance_release(b);
  if (rc == LODE_OK && !in_place) {
    while (c->depth > level) bt_page_release(&c->page[--c->depth]);
    rc = level - 1 == 0 ? bt_balance_root(c, &b->pimg, 0) : bt_balance(c, level - 1, &b->pimg, 0);
  }
  bt_image_free(&b->all);
  bt_image_free(&b->pimg);
  bt_balance_give(c->bt, b);
  return rc;
}

/* Redistributes the page at level (whose content is img) with its
** neighbours, then balances the parent. */
static int bt_balance_siblings(BtCursor *c, int level, BtImage *img, int append) {
  BtBalance *b = bt_balance_take(c->bt);
  int rc, in_place = 0;
  if (!b) return LODE_NOMEM;
  b->c = c;
  b->level = level;
  b->parent = &c->page[level - 1];
  bt_image_init(&b->all, img->type);
  bt_image_init(&b->pimg, b->parent->type);
  bt_choose_siblings(b, c->idx[level - 1], append);
  rc = bt_gather(b, img, c->idx[level - 1]);
  if (rc == LODE_OK && b->all.ncell == 0) {
    /* A bare root's only child has no cells left (only legal there).  An
    ** empty leaf: the root becomes an empty leaf.  An interior page with
    ** just a right child: that child moves up under the root, which
    ** shortens every path by one, so depth stays uniform. */
    if (level - 1 != 0 || b->parent->ncell != 0) rc = LODE_CORRUPT;
    else rc = bt_page_free(c->bt, b->sp[0]->pgno);
    if (img->type & BT_FLAG_LEAF) b->pimg.type = bt_type_intkey(img->type) ? BT_PAGE_TABLE_LEAF : BT_PAGE_INDEX_LEAF;
    else b->pimg.right = b->last_right;
  } else if (rc == LODE_OK) {
    b->k = bt_distribute(c->bt, &b->all, append, b->grp, BT_MAX_GROUPS);
    rc = b->k < 0 ? LODE_NOMEM : b->k == 0 ? LODE_CORRUPT : bt_write_groups(b);
    if (rc == LODE_OK) rc = bt_update_parent(b, &in_place);
  }
  return bt_balance_finish(c, level, b, rc, in_place);
}

/* ---- leaf redistribution in place ------------------------------------------------ */

/* Where gathered cell j starts and the bytes from there to the end of its
** page (its own size for a cell held alone); a cell pointer outside its
** page's content area is corruption. */
static inline int bt_all_locate(BtBalance *b, int j, const uint8_t **p, uint32_t *room) {
  int r = b->rlast;
  uint32_t off;
  if (j < b->rb[r] || j >= b->re[r]) {
    r = 0;
    while (r < b->nrange && j >= b->re[r]) r++;
    if (r == b->nrange || j < b->rb[r]) {
      *p = b->all.cells[j].p;
      *room = b->all.cells[j].room;
      return LODE_OK;
    }
    b->rlast = r; /* regrouping asks for neighbouring cells in turn */
  }
  off = util_get2(b->rptr[r] + 2 * (j - b->rb[r]));
  if (off < b->rlim[r] || off + BT_MIN_CELL > b->usable) return LODE_CORRUPT; /* bt_cell_ptr_ok */
  *p = b->rcopy[r] + (off - b->rcellptr[r]);
  *room = b->usable - off;
  return LODE_OK;
}

__attribute__((noinline)) static int bt_all_size_first(BtBalance *b, int j, uint16_t *n) {
  const uint8_t *p;
  uint32_t room;
  int rc = bt_all_locate(b, j, &p, &room);
  if (rc == LODE_OK) rc = bt_cell_span_bytes(b->c->bt, b->all.type, p, room, &b->sz[j]);
  *n = b->sz[j];
  return rc;
}

/* The size of gathered cell j, sized on first use (regrouping asks for the
** same cells again and again). */
static inline int bt_all_size(BtBalance *b, int j, uint16_t *n) {
  if (b->sz[j] != 0) {
    *n = b->sz[j];
    return LODE_OK;
  }
  return bt_all_size_first(b, j, n);
}

/* Bytes gathered cell j takes on a page with its pointer (inline: regrouping
** asks for it per cell it moves, and nearly always for a sized cell). */
static inline int bt_all_cost(BtBalance *b, int j, uint32_t *cost) {
  uint16_t n = 0;
  int rc = bt_all_size(b, j, &n);
  *cost = 2u + n;
  return rc;
}

/* Gathered cell j's bytes and size. */
static inline int bt_all_cell(BtBalance *b, int j, const uint8_t **p, uint16_t *n) {
  uint32_t room;
  int rc = bt_all_locate(b, j, p, &room);
  if (rc != LODE_OK) return rc;
  if (b->sz[j] != 0) {
    *n = b->sz[j];
    return LODE_OK;
  }
  rc = bt_cell_span_bytes(b->c->bt, b->all.type, *p, room, &b->sz[j]);
  *n = b->sz[j];
  return rc;
}

/* Makes gathered cell j's reference in all.cells, sized (bt_make_divider
** reads a group's separator or last cell from there). */
static int bt_all_fill(BtBalance *b, int j) {
  BtCellRef *r = &b->all.cells[j];
  const uint8_t *p;
  uint32_t room;
  uint16_t n;
  int rc = bt_all_locate(b, j, &p, &room);
  if (rc == LODE_OK) rc = bt_all_size(b, j, &n);
  if (rc != LODE_OK) return rc;
  r->p = (uint8_t *)p;
  r->n = n;
  r->room = (uint16_t)room;
  return LODE_OK;
}

/* Adds the page's cells [from, to) as a range of gathered cells read from
** copy (the page's bytes from its pointer array on). */
static void bt_leaf_range(BtBalance *b, const BtPage *pg, const uint8_t *copy, int from, int to) {
  int r = b->nrange;
  if (from >= to) return;
  b->rb[r] = b->all.ncell;
  b->re[r] = b->all.ncell + (to - from);
  b->rptr[r] = copy + 2 * from;
  b->rcopy[r] = copy;
  b->rcellptr[r] = pg->cellptr;
  b->rlim[r] = pg->cellptr + 2u * pg->ncell;
  b->all.ncell += to - from;
  b->nrange++;
}

/* Adds n bytes at p, copied to *spare (padded to a minimal cell), as the
** next gathered cell. */
static void bt_leaf_lone(BtBalance *b, const uint8_t *p, uint16_t n, uint8_t **spare) {
  BtCellRef *r = &b->all.cells[b->all.ncell];
  uint16_t size = n < BT_MIN_CELL ? BT_MIN_CELL : n;
  memcpy(*spare, p, n);
  if (n < size) memset(*spare + n, 0, size - n);
  r->p = *spare;
  r->n = size;
  r->room = size;
  b->sz[b->all.ncell] = size;
  b->all.ncell++;
  *spare += size;
}

/* Collects the leaf siblings' cells (references made when needed, from a
** copy of each sibling), with the new cell (if any) at index i of the
** cursor's page, and the dividers between them (index trees); used[s] is
** the bytes sibling s's cells take, from its free space. */
static int bt_gather_leaf(BtBalance *b, int pi, int i, const uint8_t *cell, uint16_t len, uint32_t *used) {
  Btree *bt = b->c->bt;
  BtPage *own = &b->c->page[b->level];
  /* The copies, then room for the dividers and the new cell (each less than a page). */
  const uint32_t snap_need = 2u * BT_MAX_SIBLINGS * bt->usable;
  uint8_t *spare;
  int s, free_bytes, total = 1, rc = LODE_OK;
  b->ins = -1;
  if (bt->snap_size < snap_need) {
    uint8_t *p = util_realloc(bt->snap, snap_need);
    if (!p) return LODE_NOMEM;
    bt->snap = p;
    bt->snap_size = snap_need;
  }
  for (s = 0; s < b->nsib; s++) {
    BtPage *pg = own;
    if (b->first + s != pi) {
      pg = &b->sib[s];
      rc = bt_page_get(bt, bt_child(b->parent, b->first + s), pg);
      if (rc == LODE_OK && pg->type != own->type) rc = LODE_CORRUPT;
      if (rc != LODE_OK) return rc;
    }
    b->sp[s] = pg;
    total += pg->ncell + 1;
  }
  if (bt->leaf_cap < (uint32_t)total) {
    uint32_t cap = (uint32_t)total + 256;
    BtCellRef *cells = util_realloc(bt->leaf_cells, sizeof(*cells) * cap);
    if (cells) bt->leaf_cells = cells;
    uint16_t *sizes = cells ? util_realloc(bt->leaf_sizes, sizeof(*sizes) * cap) : NULL;
    if (!sizes) return LODE_NOMEM;
    bt->leaf_sizes = sizes;
    bt->leaf_cap = cap;
  }
  /* all borrows the Btree's array: bt_balance_leaf takes it back before the image is freed. */
  b->all.cells = bt->leaf_cells;
  b->all.cap = (int)bt->leaf_cap;
  b->all.ncell = 0;
  b->sz = bt->leaf_sizes;
  memset(b->sz, 0, sizeof(*b->sz) * (size_t)total);
  b->usable = bt->usable;
  spare = bt->snap + (size_t)BT_MAX_SIBLINGS * bt->usable;
  for (s = 0; s < b->nsib; s++) {
    BtPage *pg = b->sp[s];
    uint8_t *copy = bt->snap + (size_t)s * bt->usable;
    rc = bt_page_free_space(bt, pg, &free_bytes);
    if (rc == LODE_OK && (uint32_t)free_bytes > bt->usable - pg->cellptr) rc = LODE_CORRUPT;
    if (rc != LODE_OK) return rc;
    used[s] = bt->usable - pg->cellptr - (uint32_t)free_bytes;
    memcpy(copy, pg->data + pg->cellptr, bt->usable - pg->cellptr);
    b->ob[s] = b->all.ncell;
    if (pg == own && cell) {
      bt_leaf_range(b, pg, copy, 0, i);
      b->ins = b->all.ncell;
      /* Copied too: the caller's buffer might be a page this balance rewrites. */
      bt_leaf_lone(b, cell, len, &spare);
      bt_leaf_range(b, pg, copy, i, pg->ncell);
      used[s] += 2u + len;
    } else {
      bt_leaf_range(b, pg, copy, 0, pg->ncell);
    }
    b->oe[s] = b->all.ncell;
    if (s < b->nsib - 1 && b->all.type == BT_PAGE_INDEX_LEAF) {
      /* The divider comes down as an entry: the parent's cell without its child pointer. */
      BtCell dc;
      rc = bt_cell_parse(bt, b->parent, b->first + s, &dc);
      if (rc != LODE_OK) return rc;
      if (dc.size < BT_CHILD_PTR_SIZE + 1) return LODE_CORRUPT;
      bt_leaf_lone(b, b->parent->data + dc.offset + BT_CHILD_PTR_SIZE, (uint16_t)(dc.size - BT_CHILD_PTR_SIZE),
                   &spare);
    }
  }
  b->last_right = 0;
  return LODE_OK;
}

/* Moves group boundaries, starting from the siblings' own, until every
** group fits a page: an over-full group passes its last cells to the next
** (or to a new group after the last), then each group takes whole groups
** and single cells from its right while they fit (so the pages are as few
** as greedy packing gives); unless appending, neighbours are then evened
** out from the right.  Only cells that cross a boundary are sized.  Group g
** is cells [start, e[g]) where start is 0 or e[g-1] (+1 when dividers are
** lifted: the cell at e[g-1] then separates the two groups). */
static int bt_regroup(BtBalance *b, const uint32_t *used, int append) {
  const int lift = b->all.type != BT_PAGE_TABLE_LEAF, n = b->all.ncell;
  const int64_t room = (int64_t)b->c->bt->usable - bt_hdr_size(b->all.type);
  int e[BT_MAX_GROUPS] = {0};
  int64_t sz[BT_MAX_GROUPS] = {0};
  uint32_t in, out;
  int k = b->nsib, g, j, rc;
#define BT_GROUP_START(g) ((g) > 0 ? e[(g) - 1] + lift : 0)
  for (g = 0; g < k; g++) {
    e[g] = b->oe[g];
    sz[g] = used[g];
  }
  if (e[k - 1] != n) return LODE_CORRUPT;
  for (g = 0; g < k; g++) {
    int pushed = 0;
    while (sz[g] > room || (pushed && lift && g + 1 < k && BT_GROUP_START(g + 1) >= e[g + 1])) {
      /* A lifted divider leaves a group created here empty until one more
      ** cell follows it: hence the second condition. */
      if (e[g] - 1 <= BT_GROUP_START(g)) return LODE_CORRUPT;
      if (g + 1 == k) {
        if (k == BT_MAX_GROUPS) return LODE_CORRUPT;
        e[k] = n;
        sz[k] = 0;
        k++;
      }
      rc = bt_all_cost(b, e[g] - 1, &out);
      in = out;
      if (rc == LODE_OK && lift) {
        in = 0;
        if (e[g] < n) rc = bt_all_cost(b, e[g], &in);
      }
      if (rc != LODE_OK) return rc;
      sz[g] -= out;
      sz[g + 1] += in;
      e[g]--;
      pushed = 1;
    }
    while (g + 1 < k) {
      in = 0;
      if (lift && (rc = bt_all_cost(b, e[g], &in)) != LODE_OK) return rc;
      if (sz[g] + in + sz[g + 1] > room) break;
      sz[g] += in + sz[g + 1];
      e[g] = e[g + 1];
      for (j = g + 1; j < k - 1; j++) {
        e[j] = e[j + 1];
        sz[j] = sz[j + 1];
      }
      k--;
    }
    /* Single cells while the next group keeps one. */
    while (g + 1 < k && e[g + 1] - BT_GROUP_START(g + 1) >= 2) {
      if ((rc = bt_all_cost(b, e[g], &in)) != LODE_OK) return rc;
      if (sz[g] + in > room) break;
      out = in;
      if (lift && (rc = bt_all_cost(b, e[g] + 1, &out)) != LODE_OK) return rc;
      sz[g] += in;
      sz[g + 1] -= out;
      e[g]++;
    }
  }
  for (g = k - 1; g > 0 && !append; g--) {
    while (e[g - 1] - 1 > BT_GROUP_START(g - 1)) {
      if ((rc = bt_all_cost(b, e[g - 1] - 1, &out)) != LODE_OK) return rc;
      in = out;
      if (lift && (rc = bt_all_cost(b, e[g - 1], &in)) != LODE_OK) return rc;
      if (sz[g] + in > sz[g - 1] - out) break;
      sz[g] += in;
      sz[g - 1] -= out;
      e[g - 1]--;
    }
  }
  for (g = 0; g < k; g++) {
    b->grp[g].first = BT_GROUP_START(g);
    b->grp[g].end = e[g];
    b->grp[g].right = 0;
    if (b->grp[g].first >= b->grp[g].end || sz[g] > room) return LODE_CORRUPT;
    /* bt_make_divider copies the separator by its size, or reads the
    ** rowid of a table group's last cell. */
    if (g < k - 1 && (rc = bt_all_fill(b, lift ? e[g] : e[g] - 1)) != LODE_OK) return rc;
  }
#undef BT_GROUP_START
  b->k = k;
  return LODE_OK;
}

/* Writes gathered cells [from, to) to pg as its whole content, each run of
** one sibling's cells read straight from that sibling's copy. */
static int bt_rebuild_group(BtBalance *b, BtPage *pg, int from, int to) {
  Btree *bt = b->c->bt;
  const uint32_t usable = b->usable;
  const uint8_t type = b->all.type;
  uint16_t *sz = b->sz;
  uint8_t *data, *ptrs;
  uint32_t content = usable, limit;
  int j = from, r = 0, rc;
  bt_page_format(bt, pg, type);
  data = pg->data;
  ptrs = data + pg->cellptr;
  limit = pg->cellptr + 2u * (uint32_t)(to - from);
  if (limit > usable) return LODE_CORRUPT; /* the page totals were wrong */
  while (j < to) {
    while (r < b->nrange && j >= b->re[r]) r++;
    if (r < b->nrange && j >= b->rb[r]) {
      const int end = b->re[r] < to ? b->re[r] : to;
      const uint8_t *pp = b->rptr[r] + 2 * (j - b->rb[r]), *copy = b->rcopy[r];
      const uint32_t lim = b->rlim[r], base = b->rcellptr[r];
      for (; j < end; j++, pp += 2) {
        uint32_t off = util_get2(pp);
        uint16_t n = sz[j];
        if (off < lim || off + BT_MIN_CELL > usable) return LODE_CORRUPT; /* bt_cell_ptr_ok */
        if (n == 0 && (rc = bt_cell_span_bytes(bt, type, copy + (off - base), usable - off, &sz[j])) != LODE_OK)
          return rc;
        n = sz[j];
        if (content < limit + n) return LODE_CORRUPT;
        content -= n;
        bt_cell_copy(data + content, copy + (off - base), n);
        util_put2(ptrs + 2 * (j - from), content);
      }
    } else {
      const BtCellRef *c = &b->all.cells[j];
      if (content < limit + c->n) return LODE_CORRUPT;
      content -= c->n;
      bt_cell_copy(data + content, c->p, c->n);
      util_put2(ptrs + 2 * (j - from), content);
      j++;
    }
  }
  pg->ncell = (uint16_t)(to - from);
  util_put2(data + pg->hdr + BT_HDR_NCELL, pg->ncell);
  util_put2(data + pg->hdr + BT_HDR_CONTENT, content == 65536u ? 0 : content);
  return LODE_OK;
}

/* Sibling s becomes group [from, to), edited as SQLite's editPage does:
** the cells it keeps stay where they are, those that leave are freed, those
** that arrive are written into the gap and the pointer array is rewritten.
** Written whole instead when it keeps no cell or the gap is too small. */
static int bt_edit_group(BtBalance *b, int s, int from, int to) {
  Btree *bt = b->c->bt;
  BtPage *pg = b->sp[s];
  uint8_t *ptrs = bt_scratch(bt);
  const int ob = b->ob[s], oe = b->oe[s];
  const int ins = b->ins >= ob && b->ins < oe ? b->ins : -1;
  const int lo = from > ob ? from : ob, hi = to < oe ? to : oe;
  int j, free_bytes, nnew = 0, rc = bt_page_write(pg);
  uint32_t total, need = 0, content, ptr_end;
  uint16_t n;
  const uint8_t *src;
#define BT_PAGE_INDEX(j) ((j) - ob - (ins >= 0 && (j) > ins))
  if (rc != LODE_OK) return rc;
  if (!ptrs) return LODE_NOMEM;
  /* Editing costs per cell that moves, writing whole per cell the page
  ** ends with: a page that keeps fewer cells than move is written whole. */
  if (lo >= hi || (oe - ob) + (to - from) - 2 * (hi - lo) > hi - lo) return bt_rebuild_group(b, pg, from, to);
  rc = bt_page_free_space(bt, pg, &free_bytes);
  if (rc != LODE_OK) return rc;
  total = (uint32_t)free_bytes;
  bt_free_memo_clear(pg->db);
  /* Leaving cells that touch (they arrived together, or the page was written
  ** whole) are freed as one range: a walk of the freeblock list per run. */
  uint32_t run_at[BT_FREE_RUNS], run_end[BT_FREE_RUNS];
  int nrun = 0, r;
  for (j = ob; j <= oe; j++) {
    uint32_t off;
    if (j == lo) j = hi; /* the kept cells */
    if (j == ins) continue;
    if (j >= oe) {
      for (r = 0; r < nrun && rc == LODE_OK; r++) rc = bt_free_range(bt, pg, run_at[r], run_end[r] - run_at[r]);
      if (rc != LODE_OK) return rc;
      break;
    }
    rc = bt_all_size(b, j, &n);
    if (rc != LODE_OK) return rc;
    total += 2u + n;
    off = bt_cell_offset(pg, BT_PAGE_INDEX(j));
    for (r = 0; r < nrun; r++) {
      if (run_end[r] == off) {
        run_end[r] = off + n;
        break;
      }
      if (run_at[r] == off + n) {
        run_at[r] = off;
        break;
      }
    }
    if (r < nrun) continue;
    if (nrun == BT_FREE_RUNS) {
      for (r = 0; r < nrun && rc == LODE_OK; r++) rc = bt_free_range(bt, pg, run_at[r], run_end[r] - run_at[r]);
      if (rc != LODE_OK) return rc;
      nrun = 0;
    }
    run_at[nrun] = off;
    run_end[nrun] = off + n;
    nrun++;
  }
  /* The kept cells' pointers, read before arriving cells may cover the old array. */
  if (ins >= lo && ins < hi) {
    memcpy(ptrs + 2 * (lo - from), pg->data + pg->cellptr + 2 * BT_PAGE_INDEX(lo), 2u * (uint32_t)(ins - lo));
    memcpy(ptrs + 2 * (ins + 1 - from), pg->data + pg->cellptr + 2 * BT_PAGE_INDEX(ins + 1),
           2u * (uint32_t)(hi - ins - 1));
  } else {
    memcpy(ptrs + 2 * (lo - from), pg->data + pg->cellptr + 2 * BT_PAGE_INDEX(lo), 2u * (uint32_t)(hi - lo));
  }
  for (j = from; j < to; j++) {
    if (j == lo) j = hi;
    if (j >= to) break;
    if ((rc = bt_all_size(b, j, &n)) != LODE_OK) return rc;
    need += n;
    nnew++;
  }
  if (ins >= lo && ins < hi) {
    need += b->sz[ins];
    nnew++;
  }
  content = util_get2(pg->data + pg->hdr + BT_HDR_CONTENT);
  if (content == 0) content = 65536;
  ptr_end = pg->cellptr + 2u * (uint32_t)(to - from);
  if (content > bt->usable || content < ptr_end || total < need + 2u * (uint32_t)nnew)
    return bt_rebuild_group(b, pg, from, to);
  /* Arriving cells take a freeblock that fits, else room in the gap. */
  for (j = from; j < to; j++) {
    uint32_t at;
    if (j == lo) j = ins >= lo && ins < hi ? ins : hi;
    else if (j > lo && j < hi) j = hi;
    if (j >= to) break;
    if ((rc = bt_all_cell(b, j, &src, &n)) != LODE_OK) return rc;
    at = bt_take_freeblock(bt, pg, n);
    if (!at) {
      if (content - ptr_end < n) return bt_rebuild_group(b, pg, from, to);
      content -= n;
      at = content;
    }
    bt_cell_copy(pg->data + at, src, n);
    util_put2(ptrs + 2 * (j - from), at);
  }
#undef BT_PAGE_INDEX
  memcpy(pg->data + pg->cellptr, ptrs, 2u * (uint32_t)(to - from));
  pg->ncell = (uint16_t)(to - from);
  util_put2(pg->data + pg->hdr + BT_HDR_NCELL, pg->ncell);
  util_put2(pg->data + pg->hdr + BT_HDR_CONTENT, content);
  need += 2u * (uint32_t)nnew;
  if (total >= need && total - need >= content - ptr_end && total - need <= bt->usable)
    bt_free_memo_store(pg, total - need - (content - ptr_end));
  return LODE_OK;
}

/* Writes the groups of a leaf redistribution: sibling pages edited in
** place, new pages written whole, siblings left over freed. */
static int bt_write_leaf_groups(BtBalance *b) {
  Btree *bt = b->c->bt;
  int g, s, rc = LODE_OK;
  for (g = 0; g < b->k && rc == LODE_OK; g++) {
    BtPage *pg;
    if (g < b->nsib) {
      pg = b->sp[g];
      rc = bt_edit_group(b, g, b->grp[g].first, b->grp[g].end);
    } else {
      pg = &b->extra[b->nextra];
      rc = bt_page_alloc(bt, pg, b->all.type);
      if (rc != LODE_OK) break;
      b->nextra++;
      rc = bt_rebuild_group(b, pg, b->grp[g].first, b->grp[g].end);
    }
    b->grp[g].right = pg->pgno;
  }
  for (s = b->k; s < b->nsib && rc == LODE_OK; s++) rc = bt_page_free(bt, b->sp[s]->pgno);
  return rc;
}

/* Balances the non-root leaf at level when cell (len bytes) does not fit at
** index i, or, with cell NULL, when it is under-full: as bt_balance_siblings,
** but sizing only the cells that move and editing the siblings in place. */
static int bt_balance_leaf(BtCursor *c, int level, int i, const uint8_t *cell, uint16_t len, int append) {
  BtBalance *b = bt_balance_take(c->bt);
  uint32_t used[BT_MAX_SIBLINGS];
  int rc, in_place = 0;
  if (!b) return LODE_NOMEM;
  assert(level > 0 && c->page[level].leaf);
  b->c = c;
  b->level = level;
  b->parent = &c->page[level - 1];
  bt_image_init(&b->all, c->page[level].type);
  bt_image_init(&b->pimg, b->parent->type);
  bt_choose_siblings(b, c->idx[level - 1], append);
  rc = bt_gather_leaf(b, c->idx[level - 1], i, cell, len, used);
  if (rc == LODE_OK) rc = bt_regroup(b, used, append);
  if (rc == LODE_OK) rc = bt_write_leaf_groups(b);
  if (rc == LODE_OK) rc = bt_update_parent(b, &in_place);
  /* The cells array is the Btree's, kept for the next balance. */
  b->all.cells = NULL;
  b->all.ncell = b->all.cap = 0;
  return bt_balance_finish(c, level, b, rc, in_place);
}

/* A root with no cells and a single child takes over the child's content
** when it fits, making the tree one level shallower. */
static int bt_root_pull_up(BtCursor *c, BtImage *img) {
  Btree *bt = c->bt;
  BtPage *root = &c->page[0];
  BtPage child;
  BtImage cimg;
  int rc = bt_page_get(bt, img->right, &child);
  if (rc != LODE_OK) return rc;
  bt_image_init(&cimg, child.type);
  cimg.right = child.leaf ? 0 : bt_child(&child, child.ncell);
  rc = bt_image_add_page(bt, &cimg, &child, 0, child.ncell);
  if (rc == LODE_OK && bt_image_fits(bt, &cimg, root->hdr)) {
    bt_image_assemble(bt, root, &cimg);
    bt_page_release(&child);
    rc = bt_page_free(bt, img->right);
  } else if (rc == LODE_OK) {
    bt_image_assemble(bt, root, img);
  }
  bt_page_release(&child);
  bt_image_free(&cimg);
  return rc;
}

static int bt_balance_root(BtCursor *c, BtImage *img, int append) {
  Btree *bt = c->bt;
  BtPage *root = &c->page[0];
  BtPage child;
  int rc = bt_page_write(root);
  if (rc != LODE_OK) return rc;
  if (bt_image_fits(bt, img, root->hdr)) {
    if (!(img->type & BT_FLAG_LEAF) && img->ncell == 0) return bt_root_pull_up(c, img);
    bt_image_assemble(bt, root, img);
    return LODE_OK;
  }
  /* Root split: the content moves to a new child below the root. */
  rc = bt_page_alloc(bt, &child, img->type);
  if (rc != LODE_OK) return rc;
  bt_page_format(bt, root, bt_type_intkey(img->type) ? BT_PAGE_TABLE_INTERIOR : BT_PAGE_INDEX_INTERIOR);
  util_put4(root->data + root->hdr + BT_HDR_RIGHT_CHILD, child.pgno);
  util_put2(root->data + root->hdr + BT_HDR_NCELL, 0);
  while (c->depth > 1) bt_page_release(&c->page[--c->depth]);
  c->page[1] = child;
  c->idx[0] = 0;
  c->depth = 2;
  return bt_balance_siblings(c, 1, img, append);
}

int bt_balance(BtCursor *c, int level, BtImage *img, int append) {
  BtPage *pg = &c->page[level];
  int rc;
  if (level == 0) return bt_balance_root(c, img, append);
  if (img->ncell > 0 && bt_image_fits(c->bt, img, pg->hdr)) {
    rc = bt_page_write(pg);
    if (rc == LODE_OK) bt_image_assemble(c->bt, pg, img);
    return rc;
  }
  return bt_balance_siblings(c, level, img, append);
}

/* ---- insert -------------------------------------------------------------------- */

/* Inline: every write starts with it. */
static inline __attribute__((always_inline)) int bt_write_checks(BtCursor *c) {
  if (!c->writable) return LODE_READONLY;
  if (!pager_in_write(c->bt->pager)) return LODE_MISUSE;
  if (c->bt->npinned) {
    for (const BtCursor *o = c->bt->cursors; o; o = o->next)
      if (o != c && o->pinned && o->root == c->root) return LODE_CONSTRAINT_PINNED;
  }
  return LODE_OK;
}

/* Builds a leaf cell for payload into buf: [varint size][varint rowid]
** local part [overflow page].  Writes the overflow chain. */
static int bt_build_cell(Btree *bt, int intkey, int64_t rowid, const uint8_t *payload, uint32_t n, uint8_t *buf,
                         uint16_t *len) {
  uint32_t local = bt_local_size(bt, intkey, n);
  uint32_t off = (uint32_t)bt_varint_put(buf, n);
  if (intkey) off += (uint32_t)bt_varint_put(buf + off, (uint64_t)rowid);
  if (local) memcpy(buf + off, payload, local);
  off += local;
  if (local < n) {
    uint32_t first;
    int rc = bt_overflow_write(bt, payload + local, n - local, &first);
    if (rc != LODE_OK) return rc;
    util_put4(buf + off, first);
    off += BT_OVERFLOW_PTR_SIZE;
  }
  while (off < BT_MIN_CELL) buf[off++] = 0;
  *len = (uint16_t)off;
  return LODE_OK;
}

static int bt_is_rightmost_path(const BtCursor *c) {
  int l;
  for (l = 0; l < c->depth - 1; l++)
    if (c->idx[l] != c->page[l].ncell) return 0;
  return 1;
}

/* A table's rows arriving in rowid order fill the rightmost leaf; when it
** is full, the new cell goes alone to a new leaf to its right and the
** parent gains one divider (the full leaf's largest rowid) in place, as
** SQLite's balance_quick does: nothing else is copied.  The same applies
** anywhere in the tree to a cell that fills more than half a page by itself
** (an FTS5 %_data row, a page each, written into the middle of the table)
** and goes after the last cell of a full leaf or, left = 1, before its
** first: the new leaf is then as full as a balance would leave it, and the
** leaf it borders keeps what it had.  To the left the divider is the new
** cell's own rowid, and the parent's pointer to the full leaf stays where it
** is.  The cursor ends on the new cell.  LODE_FULL, with nothing changed,
** when the parent has no room for the divider (the general balance then
** splits it too). */
static int bt_balance_quick(BtCursor *c, const uint8_t *cell, uint16_t len, int left) {
  Btree *bt = c->bt;
  int top = c->depth - 1, free_bytes, n, rc, at = c->idx[top - 1];
  BtPage *leaf = &c->page[top], *parent = &c->page[top - 1];
  BtPage fresh;
  uint8_t div[BT_CHILD_PTR_SIZE + UTIL_VARINT_MAX];
  int64_t key;
  if (left) {
    uint64_t v;
    int k = bt_varint(cell, cell + len, &v); /* the payload size, then the rowid */
    if (k == 0 || bt_varint(cell + k, cell + len, &v) == 0) return LODE_CORRUPT;
    key = (int64_t)v;
  } else {
    BtCell last;
    rc = bt_cell_parse(bt, leaf, leaf->ncell - 1, &last);
    if (rc != LODE_OK) return rc;
    key = last.key;
  }
  rc = bt_page_free_space(bt, parent, &free_bytes);
  if (rc != LODE_OK) return rc;
  n = BT_CHILD_PTR_SIZE + util_varint_put(div + BT_CHILD_PTR_SIZE, (uint64_t)key);
  if (free_bytes < n + 2) return LODE_FULL;
  rc = bt_page_alloc(bt, &fresh, BT_PAGE_TABLE_LEAF);
  if (rc != LODE_OK) return rc;
  util_put4(div, left ? fresh.pgno : leaf->pgno);
  rc = bt_page_insert_cell(bt, &fresh, 0, cell, len);
  if (rc == LODE_OK) rc = bt_page_write(parent); /* after the allocation, which may have written page 1 */
  /* The divider goes where the parent's pointer to the leaf was, which moves one slot on; to the right that
  ** pointer becomes the new leaf's. */
  if (rc == LODE_OK) rc = bt_page_insert_cell(bt, parent, at, div, (uint16_t)n);
  if (rc != LODE_OK) {
    bt_page_release(&fresh);
    return rc == LODE_FULL ? LODE_CORRUPT : rc; /* the room was counted */
  }
  if (!left) {
    if (at + 1 < parent->ncell) util_put4(parent->data + bt_cell_offset(parent, at + 1), fresh.pgno);
    else util_put4(parent->data + parent->hdr + BT_HDR_RIGHT_CHILD, fresh.pgno);
    c->idx[top - 1] = at + 1;
  }
  bt_page_release(leaf);
  *leaf = fresh;
  c->idx[top] = 0;
  c->state = BT_CUR_VALID;
  c->skip = 0;
  return LODE_OK;
}

/* bt_place_cell's replace: the cell that was at index i has been dropped
** already (btree_insert's resize of a row found no room for the new cell),
** which is placed as the replacing one would be. */
#define BT_PLACE_DROPPED 2

/* Puts cell at index i of the cursor's top page (replacing the cell there
** first when replace is 1), balancing if it does not fit.  On return the
** cursor is either on the new cell or saved (key set by the caller). */
static int bt_place_cell(BtCursor *c, int i, const uint8_t *cell, uint16_t len, int replace, int *balanced) {
  Btree *bt = c->bt;
  int top = c->depth - 1;
  BtPage *pg = &c->page[top];
  int rc = bt_page_write(pg);
  *balanced = 0;
  c->memo_on = 0; /* the seek that found i no longer describes where the cursor stands */
  if (rc != LODE_OK) return rc;
  if (replace == 1) {
    BtCell old;
    rc = bt_cell_parse(bt, pg, i, &old);
    if (rc == LODE_OK && old.ovfl) rc = bt_overflow_free(bt, old.ovfl, old.payload, old.local);
    if (rc == LODE_OK && !pg->leaf) util_put4((uint8_t *)cell, old.child);
    if (rc != LODE_OK) return rc;
    if (old.size == len) {
      /* The usual UPDATE of fixed-width columns: the new cell takes the old
      ** one's bytes, and the page's free space, cell order and free-space
      ** memo stay as they are. */
      memcpy(pg->data + old.offset, cell, len);
      c->idx[top] = i;
      c->state = BT_CUR_VALID;
      c->skip = 0;
      return LODE_OK;
    }
    rc = bt_page_drop_cell(bt, pg, i, old.size);
    if (rc != LODE_OK) return rc;
  }
  rc = bt_page_insert_cell(bt, pg, i, cell, len);
  if (rc == LODE_FULL) {
    BtImage img;
    int append = pg->leaf && i == pg->ncell && bt_is_rightmost_path(c);
    int big = pg->leaf && len > bt->usable / 2 && (i == pg->ncell || i == 0);
    if ((append || big) && pg->intkey && top > 0 && pg->ncell > 0 && !replace) {
      rc = bt_balance_quick(c, cell, len, !append && i == 0);
      if (rc != LODE_FULL) return rc;
    }
    if (pg->leaf && top > 0) {
      rc = bt_balance_leaf(c, top, i, cell, len, append);
    } else {
      bt_image_init(&img, pg->type);
      img.right = pg->leaf ? 0 : bt_child(pg, pg->ncell);
      rc = bt_image_add_page(bt, &img, pg, 0, i);
      if (rc == LODE_OK) rc = bt_image_add(&img, cell, len);
      if (rc == LODE_OK) rc = bt_image_add_page(bt, &img, pg, i, pg->ncell);
      if (rc == LODE_OK) rc = bt_balance(c, top, &img, append);
      bt_image_free(&img);
    }
    bt_cursor_release(c);
    *balanced = 1;
    return rc;
  }
  if (rc != LODE_OK) return rc;
  /* The page's header memo, stale after the insert, is made again from the
  ** fields the insert kept right: the next seek's fetch of this leaf (the
  ** next row's NewRowid, an index's next probe of a leaf it fills) then
  ** skips the header parse. */
  bt_head_memo_store(pg);
  c->idx[top] = i;
  c->state = BT_CUR_VALID;
  c->skip = 0;
  return LODE_OK;
}

/* Room for a cell of len bytes after the last entry of the rightmost leaf,
** taken: when the cursor stands on that leaf (as the previous append left
** it), the leaf has no freeblock and its gap holds the cell and its
** pointer, the page is made writable, the new cell pointer and header are
** written and *at points where the cell's len bytes go (the caller writes
** them before anything else reads the page); the cursor ends on the new
** entry.  These are the bytes bt_page_insert_cell would write for the same
** cell (a page without freeblocks takes a cell from the top of its gap)
** without its free-space count, freeblock walk and pointer shift.  *at is
** NULL, with nothing changed, when the general path must place the cell. */
static int bt_append_slot(BtCursor *c, uint32_t len, uint8_t **at) {
  BtPage *pg;
  uint8_t *h;
  uint32_t content, ptr_end;
  int top, rc;
  *at = NULL;
  if (c->state != BT_CUR_VALID || c->depth == 0) return LODE_OK;
  top = c->depth - 1;
  pg = &c->page[top];
  if (!pg->leaf || !bt_is_rightmost_path(c)) return LODE_OK;
  h = pg->data + pg->hdr;
  if (util_get2(h + BT_HDR_FIRST_FREEBLOCK) != 0) return LODE_OK;
  content = util_get2(h + BT_HDR_CONTENT);
  if (content == 0) content = 65536u;
  ptr_end = pg->cellptr + 2u * pg->ncell;
  if (content > pg->usable || content < ptr_end || content - ptr_end < len + 2u) return LODE_OK;
  rc = bt_save_others(c);
  if (rc == LODE_OK) rc = bt_page_write(pg);
  if (rc != LODE_OK) return rc;
  h = pg->data + pg->hdr; /* the pager may have handed out a new buffer */
  content -= len;
  util_put2(pg->data + ptr_end, content);
  util_put2(h + BT_HDR_CONTENT, content); /* content < 65536 now */
  pg->ncell++;
  util_put2(h + BT_HDR_NCELL, pg->ncell);
  c->idx[top] = pg->ncell - 1;
  c->memo_on = 0;
  c->skip = 0;
  *at = pg->data + content;
  return LODE_OK;
}

/* A buffer for one cell under construction: the Btree's reusable one
** (inserts run row after row, a malloc each would show in profiles), or a
** fresh one if that is already in use. */
static uint8_t *bt_cell_buf_take(Btree *bt) {
  uint32_t need = bt->usable + BT_CELL_BUF_EXTRA;
  if (bt->cell_buf_busy) return util_malloc(need);
  if (bt->cell_buf_size < need) {
    uint8_t *p = util_realloc(bt->cell_buf, need);
    if (!p) return NULL;
    bt->cell_buf = p;
    bt->cell_buf_size = need;
  }
  bt->cell_buf_busy = 1;
  return bt->cell_buf;
}

static void bt_cell_buf_give(Btree *bt, uint8_t *buf) {
  if (buf == bt->cell_buf) bt->cell_buf_busy = 0;
  else util_free(buf);
}

/* The offset of the leaf cell the cursor is on when it holds rowid with a
** payload wholly on the page, and its size in *old_size, else 0: an UPDATE
** writing back the row its loop is on, which then needs no seek, cell
** buffer or cell parse (a new payload of the same cell size replaces it
** byte for byte). */
static uint32_t bt_local_row_cell(const BtCursor *c, int64_t rowid, uint32_t *old_size) {
  const Btree *bt = c->bt;
  const BtPage *pg;
  const uint8_t *p, *end;
  uint64_t old_n, key;
  uint32_t off, size;
  int i, k1, k2;
  if (c->state != BT_CUR_VALID || c->skip != 0 || c->depth == 0) return 0;
  pg = &c->page[c->depth - 1];
  i = c->idx[c->depth - 1];
  if (!pg->leaf || !pg->intkey || i < 0 || i >= pg->ncell) return 0;
  off = bt_cell_offset(pg, i);
  if (!bt_cell_ptr_ok(pg, off)) return 0;
  p = pg->data + off;
  end = pg->data + bt->usable;
  if ((k1 = bt_varint(p, end, &old_n)) == 0 || (k2 = bt_varint(p + k1, end, &key)) == 0) return 0;
  if ((int64_t)key != rowid || old_n > bt->max_local_table) return 0;
  size = (uint32_t)(k1 + k2) + (uint32_t)old_n;
  if (size < BT_MIN_CELL) size = BT_MIN_CELL;
  if (off + size > bt->usable) return 0;
  *old_size = size;
  return off;
}

/* A row that overflows its page and keeps its length (an UPDATE setting a
** value as long as the old one) is written over its old cell and overflow
** chain, only the pages whose bytes change: no chain built, none freed, as
** SQLite overwrites such a row.  *done = 0 when the cursor is not on that
** row, or the row's length differs. */
static int bt_overwrite_overflowing(BtCursor *c, int64_t rowid, const uint8_t *payload, uint32_t n, int *done) {
  BtCell cell;
  BtPage *pg;
  int rc;
  *done = 0;
  if (c->state != BT_CUR_VALID || c->skip != 0 || c->depth == 0) return LODE_OK;
  pg = &c->page[c->depth - 1];
  if (!pg->leaf || !pg->intkey || bt_cursor_cell(c, &cell) != LODE_OK) return LODE_OK;
  if (cell.key != rowid || cell.payload != n || cell.local >= n || cell.ovfl == 0) return LODE_OK;
  if (memcmp(pg->data + cell.pay_off, payload, cell.local) != 0) {
    if ((rc = bt_page_write(pg)) != LODE_OK) return rc;
    memmove(pg->data + cell.pay_off, payload, cell.local);
  }
  c->memo_on = 0;
  *done = 1;
  return bt_overflow_put(c->bt, cell.ovfl, cell.local, n, cell.local, n - cell.local, payload + cell.local);
}

/* Whether the cursor stands on the last row of its table (the last cell of
** the rightmost leaf, as NewRowid's btree_last or the previous append left
** it) and that row's rowid is below rowid: the new row then goes right
** after it, with no seek. */
static int bt_rowid_appends(const BtCursor *c, int64_t rowid) {
  const BtPage *pg;
  const uint8_t *p, *end;
  uint64_t v;
  uint32_t off;
  int k;
  if (c->state != BT_CUR_VALID || c->skip != 0 || c->depth == 0) return 0;
  pg = &c->page[c->depth - 1];
  if (!pg->leaf || pg->ncell == 0 || c->idx[c->depth - 1] != pg->ncell - 1) return 0;
  off = bt_cell_offset(pg, pg->ncell - 1);
  if (!bt_cell_ptr_ok(pg, off)) return 0;
  p = pg->data + off;
  end = pg->data + pg->usable;
  if ((k = bt_varint(p, end, &v)) == 0 || bt_varint(p + k, end, &v) == 0) return 0;
  return (int64_t)v < rowid && bt_is_rightmost_path(c);
}

int btree_insert(BtCursor *c, int64_t rowid, const void *payload, uint32_t n) {
  Btree *bt = c->bt;
  uint8_t *buf = NULL;
  uint16_t len;
  int cmp, i, balanced, rc, dropped = 0;
  int sought = bt_seek_memo(c, rowid, &cmp);
  uint32_t same, old_size;
  rc = bt_write_checks(c);
  if (rc != LODE_OK) return rc;
  if (!c->intkey) return LODE_MISUSE;
  if (bt->log && (rc = bt->log->row(bt->log_ctx, c->root, BTREE_LOG_INSERT, 1, rowid, payload, n)) != LODE_OK)
    return rc;
  if (!sought && bt_rowid_appends(c, rowid)) {
    if (n <= bt->max_local_table) {
      /* A row wholly on the page is written straight into the leaf's gap. */
      uint32_t k = (uint32_t)bt_varint_len(n), size = k + (uint32_t)bt_varint_len((uint64_t)rowid) + n;
      uint8_t *at;
      rc = bt_append_slot(c, size < BT_MIN_CELL ? BT_MIN_CELL : size, &at);
      if (rc != LODE_OK) return rc;
      if (at) {
        k += (uint32_t)bt_varint_put(at + k, (uint64_t)rowid);
        bt_varint_put(at, n);
        if (n) memcpy(at + k, payload, n);
        for (k += n; k < BT_MIN_CELL; k++) at[k] = 0;
        /* The next statement's NewRowid fetches this leaf again: with the
        ** header memo made anew that fetch skips the header parse. */
        bt_head_memo_store(&c->page[c->depth - 1]);
        return LODE_OK;
      }
    }
    sought = 1;
    cmp = -1;
  }
  rc = bt_save_others(c);
  /* A seek that found no such row (an INSERT's probe) rules the overwrite out. */
  if (rc == LODE_OK && (!sought || cmp == 0) && n <= bt->max_local_table &&
      (same = bt_local_row_cell(c, rowid, &old_size)) != 0) {
    BtPage *pg = &c->page[c->depth - 1];
    uint32_t k = (uint32_t)bt_varint_len(n), size = k + (uint32_t)bt_varint_len((uint64_t)rowid) + n;
    if (size < BT_MIN_CELL) size = BT_MIN_CELL;
    rc = bt_page_write(pg);
    if (rc != LODE_OK) return rc;
    c->memo_on = 0;
    if (size != old_size && n > 0 && (const uint8_t *)payload + n > pg->data &&
        (const uint8_t *)payload < pg->data + bt->usable) {
      /* The new payload is on this very page (a row copied from a neighbour):
      ** making room may move it, so it goes through the cell buffer, replacing
      ** the row the cursor stands on. */
      cmp = 0;
      goto general;
    }
    if (size != old_size) {
      /* Another size (a row made before ADD COLUMN gaining its field): the
      ** old cell goes and the new one is written straight into the room the
      ** leaf makes for it, as the general path would place it; a leaf
      ** without that room leaves the new cell to the general path's balance. */
      i = c->idx[c->depth - 1];
      rc = bt_page_drop_cell(bt, pg, i, (uint16_t)old_size);
      if (rc == LODE_OK) rc = bt_page_cell_room(bt, pg, i, (uint16_t)size, &same);
      if (rc == LODE_FULL) {
        dropped = 1;
        goto general;
      }
      if (rc != LODE_OK) {
        bt_cursor_release(c);
        c->state = BT_CUR_INVALID;
        return rc;
      }
      bt_head_memo_store(pg); /* as bt_place_cell keeps it */
    }
    uint8_t *p = pg->data + same;
    k += (uint32_t)bt_varint_put(p + k, (uint64_t)rowid);
    bt_varint_put(p, n);
    if (n) memmove(p + k, payload, n);
    for (k += n; k < BT_MIN_CELL; k++) p[k] = 0;
    return LODE_OK;
  }
  if (rc == LODE_OK && (!sought || cmp == 0) && n > bt->max_local_table) {
    int done;
    rc = bt_overwrite_overflowing(c, rowid, payload, n, &done);
    if (rc != LODE_OK || done) return rc;
  }
  if (rc == LODE_OK && !sought) rc = btree_seek_rowid(c, rowid, &cmp);
  if (rc != LODE_OK) return rc;
  if (!(cmp == 0 && c->state == BT_CUR_VALID) && c->depth > 0 && c->page[c->depth - 1].leaf &&
      n <= bt->max_local_table) {
    /* A new row wholly on the page: its cell is written straight into the
    ** room the leaf makes for it; a leaf without room leaves it to the
    ** general path and its balance. */
    BtPage *pg = &c->page[c->depth - 1];
    uint32_t k = (uint32_t)bt_varint_len(n), size = k + (uint32_t)bt_varint_len((uint64_t)rowid) + n, at;
    i = c->state == BT_CUR_EOF ? 0 : c->idx[c->depth - 1] + (cmp < 0);
    c->memo_on = 0;
    rc = bt_page_write(pg);
    if (rc == LODE_OK) rc = bt_page_cell_room(bt, pg, i, (uint16_t)(size < BT_MIN_CELL ? BT_MIN_CELL : size), &at);
    if (rc == LODE_OK) {
      uint8_t *p = pg->data + at;
      k += (uint32_t)bt_varint_put(p + k, (uint64_t)rowid);
      bt_varint_put(p, n);
      if (n) memcpy(p + k, payload, n);
      for (k += n; k < BT_MIN_CELL; k++) p[k] = 0;
      bt_head_memo_store(pg); /* as bt_place_cell keeps it */
      c->idx[c->depth - 1] = i;
      c->state = BT_CUR_VALID;
      c->skip = 0;
      return LODE_OK;
    }
    if (rc != LODE_FULL) {
      bt_cursor_release(c);
      c->state = BT_CUR_INVALID;
      return rc;
    }
  }
general:
  buf = bt_cell_buf_take(bt);
  if (!buf) return LODE_NOMEM;
  rc = bt_build_cell(bt, 1, rowid, payload, n, buf, &len);
  if (rc == LODE_OK) {
    i = c->idx[c->depth - 1];
    if (dropped) cmp = 0; /* the old cell is gone: the new one takes its index */
    else if (c->state == BT_CUR_EOF) i = 0;
    else if (cmp < 0) i++;
    rc = bt_place_cell(c, i, buf, len, dropped ? BT_PLACE_DROPPED : cmp == 0 && c->state == BT_CUR_VALID,
                       &balanced);
    if (rc == LODE_OK && balanced) {
      c->state = BT_CUR_SAVED;
      c->saved_rowid = rowid;
    }
  }
  bt_cell_buf_give(bt, buf);
  if (rc != LODE_OK) {
    bt_cursor_release(c);
    c->state = BT_CUR_INVALID;
  }
  return rc;
}

/* Builds the cell of index key and puts it at index i of the cursor's top
** page, replacing the entry there when found (an equal key); run: i came
** from the cursor's memo. */
static int bt_put_key(BtCursor *c, int i, int found, int run, const void *key, uint32_t n) {
  Btree *bt = c->bt;
  int balanced, rc;
  if (bt->log && (rc = bt->log->row(bt->log_ctx, c->root, BTREE_LOG_INSERT, 0, 0, key, n)) != LODE_OK) return rc;
  if (!found && c->page[c->depth - 1].leaf && n <= bt->max_local_index) {
    /* A new leaf entry wholly on the page: its cell is written straight
    ** into the room the page makes for it, with no cell buffer.  A page
    ** without that room leaves it to the general path and its balance. */
    BtPage *pg = &c->page[c->depth - 1];
    uint32_t k = (uint32_t)bt_varint_len(n), size = k + n, at;
    c->memo_on = 0;
    rc = bt_page_write(pg);
    if (rc == LODE_OK) rc = bt_page_cell_room(bt, pg, i, (uint16_t)(size < BT_MIN_CELL ? BT_MIN_CELL : size), &at);
    if (rc == LODE_OK) {
      uint8_t *p = pg->data + at;
      bt_varint_put(p, n);
      memcpy(p + k, key, n);
      while (size < BT_MIN_CELL) p[size++] = 0;
      bt_head_memo_store(pg); /* as bt_place_cell keeps it */
      c->idx[c->depth - 1] = i;
      c->state = BT_CUR_VALID;
      c->skip = 0;
      if (run || i == pg->ncell - 1) {
        /* See below: the next key of an ascending run. */
        c->memo_on = 1;
        c->memo_probe = 0;
        c->memo_cmp = -1;
        c->memo_idx = i;
        c->memo_pgno = pg->pgno;
      }
      return LODE_OK;
    }
    if (rc != LODE_FULL) {
      bt_cursor_release(c);
      c->state = BT_CUR_INVALID;
      return rc;
    }
  }
  uint8_t *buf = bt_cell_buf_take(bt);
  uint16_t len;
  if (!buf) return LODE_NOMEM;
  /* Interior cells carry a child pointer in front; bt_place_cell fills it. */
  {
    int interior = found && !c->page[c->depth - 1].leaf;
    uint8_t *cell = buf + (interior ? BT_CHILD_PTR_SIZE : 0);
    rc = bt_build_cell(bt, 0, 0, key, n, cell, &len);
    if (interior) {
      len = (uint16_t)(bt_index_cell_len(bt, cell, 0) + BT_CHILD_PTR_SIZE);
      if (len < BT_MIN_CELL) len = BT_MIN_CELL;
    }
  }
  if (rc == LODE_OK) {
    rc = bt_place_cell(c, i, buf, len, found, &balanced);
    if (rc == LODE_OK && !balanced && !found && c->page[c->depth - 1].leaf &&
        (run || i == c->page[c->depth - 1].ncell - 1)) {
      /* The next key of an ascending run goes right after this one: the
      ** memo lets that insert check its neighbours instead of descending.
      ** Only a key that ended its leaf, or came through the memo itself,
      ** starts or continues a run: after a random key the check would
      ** nearly always fail and cost its comparisons for nothing. */
      c->memo_on = 1;
      c->memo_probe = 0;
      c->memo_cmp = -1;
      c->memo_idx = i;
      c->memo_pgno = c->page[c->depth - 1].pgno;
    }
    if (rc == LODE_OK && balanced) {
      c->saved_n = 0;
      rc = bt_saved_key_reserve(c, n);
      if (rc == LODE_OK) {
        memcpy(c->saved_key, key, n);
        c->saved_n = n;
        c->state = BT_CUR_SAVED;
      }
    }
  }
  bt_cell_buf_give(bt, buf);
  if (rc != LODE_OK) {
    bt_cursor_release(c);
    c->state = BT_CUR_INVALID;
  }
  return rc;
}

/* Whether the cursor still stands where the caller's last btree_seek_key
** left it on a leaf, having found no equal entry: *pos is then where that
** key, and any key extending it, belongs. */
static int bt_probe_place(const BtCursor *c, int *pos) {
  const BtPage *pg;
  if (!c->memo_on || !c->memo_probe || c->state != BT_CUR_VALID || c->skip != 0 || c->depth == 0) return 0;
  pg = &c->page[c->depth - 1];
  if (c->memo_pgno != pg->pgno || !pg->leaf || c->memo_cmp == 0 || c->memo_idx != c->idx[c->depth - 1]) return 0;
  *pos = c->memo_idx + (c->memo_cmp < 0);
  assert(*pos >= 0 && *pos <= pg->ncell);
  return 1;
}

/* Inlined into its two entry points: one call fewer per index insert. */
static inline __attribute__((always_inline)) int bt_insert_key(BtCursor *c, const void *key, uint32_t n,
                                                               BtreeKeyCompare cmp_fn, void *ctx,
                                                               const BtreeKeyFirst *first, int probed) {
  int cmp, i, rc = bt_write_checks(c);
  if (rc != LODE_OK) return rc;
  if (c->intkey) return LODE_MISUSE;
  rc = bt_save_others(c);
  if (rc == LODE_OK && probed && bt_probe_place(c, &i)) return bt_put_key(c, i, 0, 0, key, n);
  if (rc == LODE_OK && !cmp_fn) return LODE_DONE;
  if (rc == LODE_OK && bt_key_memo(c, cmp_fn, ctx, &i)) return bt_put_key(c, i, 0, 1, key, n);
  if (rc == LODE_OK) rc = btree_seek_key_first(c, cmp_fn, ctx, first, &cmp);
  if (rc != LODE_OK) return rc;
  i = c->idx[c->depth - 1];
  if (c->state == BT_CUR_EOF) i = 0;
  else if (cmp < 0) i++;
  return bt_put_key(c, i, cmp == 0 && c->state == BT_CUR_VALID, 0, key, n);
}

int btree_insert_key(BtCursor *c, const void *key, uint32_t n, BtreeKeyCompare cmp_fn, void *ctx) {
  return bt_insert_key(c, key, n, cmp_fn, ctx, NULL, 0);
}

int btree_insert_key_first(BtCursor *c, const void *key, uint32_t n, BtreeKeyCompare cmp_fn, void *ctx,
                           const BtreeKeyFirst *first, int probed) {
  return bt_insert_key(c, key, n, cmp_fn, ctx, first, probed);
}

int btree_overwrite_key(BtCursor *c, const void *key, uint32_t n) {
  int rc = bt_write_checks(c);
  if (rc != LODE_OK) return rc;
  if (c->intkey) return LODE_MISUSE;
  if (c->state != BT_CUR_VALID || c->skip != 0 || c->depth == 0) return LODE_DONE;
  const BtPage *pg = &c->page[c->depth - 1];
  if (c->idx[c->depth - 1] < 0 || c->idx[c->depth - 1] >= pg->ncell) return LODE_DONE;
  if ((rc = bt_save_others(c)) != LODE_OK) return rc;
  return bt_put_key(c, c->idx[c->depth - 1], 1, 0, key, n);
}

int btree_append_key(BtCursor *c, const void *key, uint32_t n, BtreeKeyCompare cmp_fn, void *ctx) {
  const BtPage *pg;
  BtCell cell;
  const uint8_t *last;
  int top, rc = bt_write_checks(c);
  if (rc != LODE_OK) return rc;
  if (c->intkey) return LODE_MISUSE;
  rc = bt_save_others(c);
  if (rc != LODE_OK) return rc;
  top = c->depth - 1;
  /* After an append that did not split a page the cursor is still on the
  ** last entry: its stack is the rightmost path, no descent needed. */
  if (!(c->state == BT_CUR_VALID && c->page[top].leaf && c->idx[top] == c->page[top].ncell - 1 &&
        bt_is_rightmost_path(c))) {
    rc = bt_move_to_root(c);
    if (rc == LODE_DONE) return btree_insert_key(c, key, n, cmp_fn, ctx);
    if (rc == LODE_OK) rc = bt_descend_rightmost(c);
    if (rc != LODE_OK) return rc;
    top = c->depth - 1;
  }
  pg = &c->page[top];
  if (pg->ncell == 0) return btree_insert_key(c, key, n, cmp_fn, ctx);
  rc = bt_cell_parse(c->bt, pg, pg->ncell - 1, &cell);
  if (rc == LODE_OK) rc = bt_cell_key(c, pg, &cell, &last);
  if (rc != LODE_OK) return rc;
  /* The last entry must sort before the key; otherwise an ordinary insert. */
  if (cmp_fn(ctx, last, cell.payload) >= 0) return btree_insert_key(c, key, n, cmp_fn, ctx);
  c->state = BT_CUR_VALID;
  return bt_put_key(c, pg->ncell, 0, 0, key, n);
}

/* Appends a leaf cell, already in this tree's format (its overflow chain, if
** any, in this database), after the last entry of the cursor's tree: the
** caller knows it sorts after all of them (VACUUM's copy of a tree in key
** order, an index built from a sorter).
** No seek and no cell build: the cursor stays on the rightmost leaf between
** calls and descends again only after a balance. */
int bt_append_cell(BtCursor *c, const uint8_t *cell, uint16_t len) {
  uint8_t *at;
  int balanced, rc = bt_write_checks(c);
  if (rc == LODE_OK) rc = bt_append_slot(c, len, &at);
  if (rc != LODE_OK) return rc;
  if (at) {
    bt_cell_copy(at, cell, len);
    return LODE_OK;
  }
  rc = bt_save_others(c);
  if (rc != LODE_OK) return rc;
  if (!(c->state == BT_CUR_VALID && c->depth > 0 && c->page[c->depth - 1].leaf && bt_is_rightmost_path(c))) {
    rc = bt_move_to_root(c);
    if (rc == LODE_OK) rc = bt_descend_rightmost(c);
    if (rc != LODE_OK) return rc;
  }
  rc = bt_place_cell(c, c->page[c->depth - 1].ncell, cell, len, 0, &balanced);
  if (rc != LODE_OK || balanced) {
    bt_cursor_release(c);
    c->state = BT_CUR_INVALID;
  }
  return rc;
}

int btree_append_sorted_key(BtCursor *c, const void *key, uint32_t n) {
  Btree *bt = c->bt;
  uint16_t len;
  int rc = bt_write_checks(c);
  if (rc != LODE_OK) return rc;
  if (c->intkey) return LODE_MISUSE;
  if (bt->log && (rc = bt->log->row(bt->log_ctx, c->root, BTREE_LOG_INSERT, 0, 0, key, n)) != LODE_OK) return rc;
  if (n <= bt->max_local_index) {
    /* A key wholly on the page is written straight into the leaf. */
    uint32_t k = (uint32_t)bt_varint_len(n), size = k + n;
    uint8_t *at;
    rc = bt_append_slot(c, size < BT_MIN_CELL ? BT_MIN_CELL : size, &at);
    if (rc != LODE_OK) return rc;
    if (at) {
      bt_varint_put(at, n);
      memcpy(at + k, key, n);
      while (size < BT_MIN_CELL) at[size++] = 0;
      return LODE_OK;
    }
  }
  uint8_t *buf = bt_cell_buf_take(bt);
  if (!buf) return LODE_NOMEM;
  rc = bt_build_cell(bt, 0, 0, key, n, buf, &len);
  if (rc == LODE_OK) rc = bt_append_cell(c, buf, len);
  bt_cell_buf_give(bt, buf);
  return rc;
}

/* ---- delete -------------------------------------------------------------------- */

/* Balances the (now empty) non-root leaf on top of the cursor stack. */
static int bt_remove_empty_leaf(BtCursor *c) {
  BtImage img;
  int rc;
  bt_image_init(&img, c->page[c->depth - 1].type);
  rc = bt_balance(c, c->depth - 1, &img, 0);
  bt_image_free(&img);
  bt_cursor_release(c);
  return rc;
}

/* Deletes the entry in leaf cell i.  The cursor must find its place again by
** key (saved_key) only when the delete rebalances the tree: the leaf empties,
** or is left mostly empty (underfull).  Both are known before the drop (the
** page gains the cell's bytes and its pointer), so the key is copied only
** then; have_key says btree_delete already holds it. */
static int bt_delete_leaf_entry(BtCursor *c, int have_key) {
  int top = c->depth - 1, i = c->idx[top];
  BtPage *pg = &c->page[top];
  Btree *bt = c->bt;
  BtCell cell;
  int rc = LODE_OK, merge = 0, free_before = -1;
  cell.ovfl = 0;
  if (!bt_leaf_cell_local_size(bt, pg, i, &cell.size, &rc)) rc = bt_cell_parse(bt, pg, i, &cell);
  if (rc != LODE_OK) return rc;
  if (pg->ncell > 1) {
    /* Counted once, for the underfull test and for the drop's free-space memo. */
    if ((rc = bt_page_free_space(bt, pg, &free_before)) != LODE_OK) {
      if (top > 0) return rc;
      free_before = -1;
    }
    merge = top > 0 && (uint32_t)free_before + 2u + cell.size > bt->usable / BT_UNDERFULL_DIV * (BT_UNDERFULL_DIV - 1);
  }
  if (!have_key && top > 0 && (merge || pg->ncell == 1) && (rc = bt_cursor_remember_key(c)) != LODE_OK) return rc;
  rc = bt_page_write(pg);
  if (rc == LODE_OK && cell.ovfl) rc = bt_overflow_free(bt, cell.ovfl, cell.payload, cell.local);
  if (rc == LODE_OK) rc = bt_page_drop_cell_known(bt, pg, i, cell.size, pg->ncell > 1 ? free_before : -1);
  if (rc != LODE_OK) return rc;
  if (pg->ncell == 0 && top > 0) {
    rc = bt_remove_empty_leaf(c);
    if (rc == LODE_OK) c->state = BT_CUR_SAVED;
    return rc;
  }
  if (merge) {
    /* Mostly empty: merge with the neighbours to keep the tree compact.
    ** Nearly every cell moves in a merge, so the pages are written whole
    ** (editing in place pays only when most cells stay). */
    BtImage img;
    bt_image_init(&img, pg->type);
    rc = bt_image_add_page(bt, &img, pg, 0, pg->ncell);
    if (rc == LODE_OK) rc = bt_balance_siblings(c, top, &img, 0);
    bt_image_free(&img);
    bt_cursor_release(c);
    if (rc == LODE_OK) c->state = BT_CUR_SAVED;
    return rc;
  }
  if (pg->ncell == 0) {
    bt_cursor_release(c);
    c->state = BT_CUR_EOF;
  } else if (i < pg->ncell) {
    c->skip = 1;
  } else {
    c->idx[top] = i - 1;
    c->skip = -1;
  }
  return LODE_OK;
}

typedef struct BtFindKey {
  BtCursor *c;
  const uint8_t *key;
  uint32_t n;
} BtFindKey;

static int bt_find_key_cmp(void *ctx, const void *key, uint32_t n) {
  BtFindKey *f = ctx;
  return f->c->rec_cmp(f->c->rec_ctx, key, n, f->key, f->n);
}

/* The rare end of an interior delete: the predecessor's leaf is empty and
** its replacement cell does not fit the interior page (level li, which now
** lacks cell i).  Balance that level with the cell in place, then find the
** empty leaf again (rightmost leaf left of the predecessor pkey) and remove
** it.  Needs the cursor's record comparator. */
static int bt_replace_then_find_leaf(BtCursor *c, int li, int i, const uint8_t *cell, uint16_t len,
                                     const uint8_t *pkey, uint32_t pn) {
  Btree *bt = c->bt;
  BtPage *ipg = &c->page[li];
  BtImage img;
  BtFindKey fk;
  int rc, cmp;
  if (!pkey) return LODE_INTERNAL;
  while (c->depth > li + 1) bt_page_release(&c->page[--c->depth]);
  bt_image_init(&img, ipg->type);
  img.right = bt_child(ipg, ipg->ncell);
  rc = bt_image_add_page(bt, &img, ipg, 0, i);
  if (rc == LODE_OK) rc = bt_image_add(&img, cell, len);
  if (rc == LODE_OK) rc = bt_image_add_page(bt, &img, ipg, i, ipg->ncell);
  if (rc == LODE_OK) rc = bt_balance(c, li, &img, 0);
  bt_image_free(&img);
  bt_cursor_release(c);
  if (rc != LODE_OK) return rc;
  fk.c = c;
  fk.key = pkey;
  fk.n = pn;
  rc = btree_seek_key(c, bt_find_key_cmp, &fk, &cmp);
  if (rc == LODE_OK && (cmp != 0 || c->page[c->depth - 1].leaf)) rc = LODE_CORRUPT;
  if (rc == LODE_OK) rc = bt_move_to_emptied_child(c, bt_child(&c->page[c->depth - 1], c->idx[c->depth - 1]));
  while (rc == LODE_OK && !c->page[c->depth - 1].leaf) {
    BtPage *pg = &c->page[c->depth - 1];
    c->idx[c->depth - 1] = pg->ncell;
    rc = bt_move_to_emptied_child(c, bt_child(pg, pg->ncell));
  }
  if (rc == LODE_OK) c->idx[c->depth - 1] = -1;
  if (rc == LODE_OK && c->page[c->depth - 1].ncell != 0) rc = LODE_CORRUPT;
  if (rc == LODE_OK) rc = bt_remove_empty_leaf(c);
  if (rc == LODE_OK) c->state = BT_CUR_SAVED;
  return rc;
}

/* Deletes the entry in interior cell i of an index page: the largest entry
** of its left subtree (a leaf cell) takes its place. */
static int bt_delete_interior_entry(BtCursor *c) {
  Btree *bt = c->bt;
  int li = c->depth - 1, i = c->idx[li];
  BtPage *ipg = &c->page[li];
  BtCell old, pred;
  uint8_t *buf = NULL, *pkey = NULL;
  uint32_t pn = 0;
  uint16_t len;
  int rc, leaf_empty, balanced;
  rc = bt_cell_parse(bt, ipg, i, &old);
  if (rc != LODE_OK) return rc;
  rc = bt_move_to_child(c, old.child);
  if (rc == LODE_OK) rc = bt_descend_rightmost(c);
  if (rc == LODE_OK && c->idx[c->depth - 1] < 0) rc = LODE_CORRUPT;
  if (rc == LODE_OK) rc = bt_cell_parse(bt, &c->page[c->depth - 1], c->idx[c->depth - 1], &pred);
  if (rc != LODE_OK) return rc;
  buf = util_malloc((size_t)pred.size + BT_CHILD_PTR_SIZE + BT_MIN_CELL);
  if (!buf) return LODE_NOMEM;
  util_put4(buf, old.child);
  len = bt_index_cell_len(bt, c->page[c->depth - 1].data + pred.offset, 0);
  memcpy(buf + BT_CHILD_PTR_SIZE, c->page[c->depth - 1].data + pred.offset, len);
  len = (uint16_t)(len + BT_CHILD_PTR_SIZE);
  /* The predecessor leaves its leaf without freeing its overflow chain:
  ** the chain moves up with the cell. */
  {
    BtPage *lpg = &c->page[c->depth - 1];
    rc = LODE_OK;
    if (lpg->ncell == 1 && c->rec_cmp) rc = bt_cursor_key_copy(c, &pkey, &pn);
    if (rc == LODE_OK) rc = bt_page_write(lpg);
    if (rc == LODE_OK) rc = bt_page_drop_cell(bt, lpg, c->idx[c->depth - 1], pred.size);
    leaf_empty = lpg->ncell == 0;
  }
  if (rc != LODE_OK) goto done;
  if (leaf_empty) {
    /* Replace first in place if possible so the path to the leaf stays. */
    rc = bt_page_write(ipg);
    if (rc == LODE_OK && old.ovfl) rc = bt_overflow_free(bt, old.ovfl, old.payload, old.local);
    if (rc == LODE_OK) rc = bt_page_drop_cell(bt, ipg, i, old.size);
    if (rc == LODE_OK) rc = bt_page_insert_cell(bt, ipg, i, buf, len);
    if (rc == LODE_OK) {
      rc = bt_remove_empty_leaf(c);
      if (rc == LODE_OK) c->state = BT_CUR_SAVED;
      goto done;
    }
    if (rc != LODE_FULL) goto done;
    rc = bt_replace_then_find_leaf(c, li, i, buf, len, pkey, pn);
    goto done;
  }
  while (c->depth > li + 1) bt_page_release(&c->page[--c->depth]);
  c->idx[li] = i;
  rc = bt_place_cell(c, i, buf, len, 1, &balanced);
  if (rc == LODE_OK && !balanced) c->skip = -1;
  else if (rc == LODE_OK) c->state = BT_CUR_SAVED;
done:
  util_free(buf);
  util_free(pkey);
  return rc;
}

int btree_delete(BtCursor *c) {
  int rc = bt_write_checks(c);
  if (rc != LODE_OK) return rc;
  rc = bt_cursor_restore(c);
  if (rc != LODE_OK) return rc;
  if (c->state != BT_CUR_VALID) return LODE_MISUSE;
  c->skip = 0;
  rc = bt_save_others(c);
  if (rc != LODE_OK) return rc;
  Btree *bt = c->bt;
  /* The change log gets the deleted key, and an interior delete (rare) may
  ** rebalance: they take the key now; a leaf delete takes it only when it
  ** rebalances. */
  int leaf = c->page[c->depth - 1].leaf, have_key = bt->log != NULL || !leaf;
  if (have_key && (rc = bt_cursor_remember_key(c)) != LODE_OK) return rc;
  if (bt->log && (rc = bt->log->row(bt->log_ctx, c->root, BTREE_LOG_DELETE, c->intkey, c->saved_rowid,
                                    c->intkey ? NULL : c->saved_key, c->intkey ? 0 : c->saved_n)) != LODE_OK)
    return rc;
  c->memo_on = 0;
  if (leaf) rc = bt_delete_leaf_entry(c, have_key);
  else rc = bt_delete_interior_entry(c);
  if (rc != LODE_OK) {
    bt_cursor_release(c);
    c->state = BT_CUR_INVALID;
  }
  return rc;
}

/* ---- in-place payload writes --------------------------------------------------- */

int btree_put_payload(BtCursor *c, uint32_t offset, uint32_t n, const void *buf) {
  Btree *bt = c->bt;
  const uint8_t *in = buf;
  BtCell cell;
  int rc = bt_write_checks(c);
  if (rc != LODE_OK) return rc;
  if (!c->intkey) return LODE_MISUSE;
  if ((rc = bt_cursor_cell(c, &cell)) != LODE_OK) return rc;
  if (offset > cell.payload || n > cell.payload - offset) return LODE_CORRUPT;
  if (bt->log) {
    /* The log makes changes again by key: it gets the row as it will be. */
    uint8_t *rec = util_malloc(cell.payload ? cell.payload : 1);
    if (!rec) return LODE_NOMEM;
    rc = btree_payload(c, 0, cell.payload, rec);
    if (rc == LODE_OK) {
      if (n) memcpy(rec + offset, in, n);
      rc = bt->log->row(bt->log_ctx, c->root, BTREE_LOG_INSERT, 1, btree_rowid(c), rec, cell.payload);
    }
    util_free(rec);
    if (rc != LODE_OK) return rc;
  }
  if ((rc = bt_save_cursors(bt, c->root, c)) != LODE_OK) return rc;
  if (offset < cell.local) {
    BtPage *pg = &c->page[c->depth - 1];
    uint32_t take = cell.local - offset < n ? cell.local - offset : n;
    if ((rc = bt_page_write(pg)) != LODE_OK) return rc;
    memcpy(pg->data + cell.pay_off + offset, in, take);
    in += take;
    offset += take;
    n -= take;
  }
  c->memo_on = 0;
  return n ? bt_overflow_put(bt, cell.ovfl, cell.local, cell.payload, offset, n, in) : LODE_OK;
}
