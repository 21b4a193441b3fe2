/*
** btree_cursor.c — cursors: opening, moving (first/last/next/prev), seeking
** by rowid or by key, reading payloads, and saving/restoring positions.
**
** A cursor is a stack of (page, index) from the root down.  On a leaf the
** index is the current cell.  On an interior level it is the child the
** cursor descended into; for index b-trees, whose interior cells are entries
** too, a cursor whose top level is interior sits on the entry with that
** index (the entry lies between child i and child i+1).
**
** Invariants:
**  - state BT_CUR_VALID: page[depth-1] cell idx[depth-1] is the current entry.
**  - state BT_CUR_SAVED: no page references are held; the position is the
**    saved key and is found again by a seek before the next use.
**  - skip records that a delete left the cursor on a neighbour: +1 means
**    the current entry already is the "next" one, -1 the "previous" one.
**  - depth never exceeds BT_MAX_DEPTH (deeper means a cycle: corrupt).
*/
#include <stddef.h>
#include <string.h>

#include "btree/btree_int.h"

static int bt_top(const BtCursor *c) { return c->depth - 1; }

void bt_cursor_release(BtCursor *c) {
  int i, n = c->depth > c->held ? c->depth : c->held;
  for (i = 0; i < n; i++) bt_page_release(&c->page[i]);
  c->depth = 0;
  c->held = 0;
  c->memo_on = 0;
}

void bt_drop_held(BtCursor *c) {
  for (int i = c->depth; i < c->held; i++) bt_page_release(&c->page[i]);
  c->held = 0;
}

/* Every field zero but the page stack, which holds nothing while depth is 0
** (zeroing its kilobyte was most of an open's cost), and the saved-key buffer. */
static void bt_cursor_clear(BtCursor *c) {
  memset(c, 0, offsetof(BtCursor, page));
  memset(&c->saved_rowid, 0, sizeof *c - offsetof(BtCursor, saved_rowid));
}

static BtCursor *bt_cursor_alloc(Btree *bt) {
  BtCursor *c = bt->spare;
  if (c) {
    bt->spare = c->next;
    bt->nspare--;
  } else {
    c = util_malloc(sizeof *c);
    if (c) {
      c->saved_key = NULL;
      c->saved_cap = 0;
    }
  }
  if (!c) return NULL;
  bt_cursor_clear(c);
  return c;
}

/* Fills in a cursor fresh from bt_cursor_alloc and links it into bt's list. */
static void bt_cursor_link(Btree *bt, BtCursor *c, uint32_t root, int writable) {
  c->bt = bt;
  c->root = root;
  c->writable = writable;
  c->state = BT_CUR_INVALID;
  for (BtCursor *o = bt->cursors; o; o = o->next) {
    if (o->root == root) {
      o->shared = 1;
      c->shared = 1;
    }
  }
  c->next = bt->cursors;
  bt->cursors = c;
}

int btree_cursor_open(Btree *bt, uint32_t root, int writable, BtCursor **out) {
  BtCursor *c;
  BtPage pg;
  int rc;
  *out = NULL;
  if (root == BTREE_SCHEMA_ROOT && !writable && pager_page_count(bt->pager) == 0) {
    /* A new database has no page 1 until its first write: its schema is empty. */
    c = bt_cursor_alloc(bt);
    if (!c) return LODE_NOMEM;
    c->intkey = 1;
    c->no_root = 1;
  } else {
    rc = bt_page_get(bt, root, &pg);
    if (rc != LODE_OK) return rc;
    c = bt_cursor_alloc(bt);
    if (!c) {
      bt_page_release(&pg);
      return LODE_NOMEM;
    }
    c->intkey = pg.intkey;
    /* Kept for the first move, which starts at the root (state stays
    ** INVALID: holding the stack is all it means). */
    c->page[0] = pg;
    c->depth = 1;
  }
  bt_cursor_link(bt, c, root, writable);
  *out = c;
  return LODE_OK;
}

int btree_cursor_open_kind(Btree *bt, uint32_t root, int writable, int intkey, BtCursor *reuse, BtCursor **out) {
  BtCursor *c = reuse;
  *out = NULL;
  if (c) bt_cursor_clear(c);
  else if (!(c = bt_cursor_alloc(bt))) return LODE_NOMEM;
  c->intkey = intkey != 0;
  /* A new database has no page 1 until its first write: its schema is empty. */
  c->no_root = root == BTREE_SCHEMA_ROOT && !writable && pager_page_count(bt->pager) == 0;
  bt_cursor_link(bt, c, root, writable);
  *out = c;
  return LODE_OK;
}

int btree_cursor_is_table(const BtCursor *c) { return c->intkey; }

Btree *btree_cursor_tree(const BtCursor *c) { return c->bt; }

void btree_cursor_pin(BtCursor *c, int on) {
  if (!c->pinned == !on) return;
  c->pinned = on != 0;
  c->bt->npinned += on ? 1 : -1;
  assert(c->bt->npinned >= 0);
}

void btree_cursor_detach(BtCursor *c) {
  BtCursor **pp;
  btree_cursor_pin(c, 0);
  bt_cursor_release(c);
  for (pp = &c->bt->cursors; *pp; pp = &(*pp)->next) {
    if (*pp == c) {
      *pp = c->next;
      break;
    }
  }
  if (c->key_buf) util_free(c->key_buf);
  c->key_buf = NULL;
  c->key_cap = 0;
}

void btree_cursor_free(BtCursor *c) {
  if (!c) return;
  util_free(c->saved_key);
  util_free(c);
}

void btree_cursor_close(BtCursor *c) {
  if (!c) return;
  Btree *bt = c->bt;
  btree_cursor_detach(c);
  if (bt->nspare < BT_SPARE_CURSORS) {
    c->next = bt->spare;
    bt->spare = c;
    bt->nspare++;
    return;
  }
  btree_cursor_free(c);
}

void btree_cursor_set_compare(BtCursor *c, BtreeRecordCompare cmp_fn, void *ctx) {
  c->rec_cmp = cmp_fn;
  c->rec_ctx = ctx;
}

static int bt_move_to_root_at(BtCursor *c, int keep) {
  int rc;
  c->skip = 0;
  if (c->depth > 0 && c->page[0].pgno == c->root) {
    /* The root is still held: no cache lookup, just a fresh look at its
    ** header (this cursor's own writes may have changed it). */
    BtPage *root = &c->page[0];
    assert(c->held == 0);
    if (keep && c->depth > 1) {
      c->held = c->depth;
      c->depth = 1;
    }
    while (c->depth > 1) bt_page_release(&c->page[--c->depth]);
    c->memo_on = 0;
    root->data = root->db->data;
    /* Its header as last read: nothing the page fields hold has changed (the
    ** bytes only change by this connection's own writes or by a rollback to
    ** an image that was read and checked before). */
    const uint8_t *h = root->data + root->hdr;
    if (h[BT_HDR_TYPE] == root->type && util_get2(h + BT_HDR_NCELL) == root->ncell) rc = LODE_OK;
    else rc = bt_page_init(c->bt, root);
  } else {
    bt_cursor_release(c);
    if (c->no_root) {
      c->state = BT_CUR_EOF;
      return LODE_DONE; /* callers report an empty tree */
    }
    rc = bt_page_get(c->bt, c->root, &c->page[0]);
    if (rc == LODE_OK) c->depth = 1;
  }
  if (rc != LODE_OK || c->page[0].intkey != c->intkey) {
    bt_cursor_release(c);
    c->state = BT_CUR_INVALID;
    return rc != LODE_OK ? rc : LODE_CORRUPT;
  }
  c->idx[0] = 0;
  c->state = BT_CUR_VALID;
  return LODE_OK;
}

int bt_move_to_root(BtCursor *c) { return bt_move_to_root_at(c, 0); }

int bt_move_to_root_keep(BtCursor *c) { return bt_move_to_root_at(c, 1); }

static int bt_move_down(BtCursor *c, uint32_t pgno, int empty_ok) {
  int d = c->depth;
  int rc;
  if (d >= BT_MAX_DEPTH) return LODE_CORRUPT;
  rc = bt_page_get(c->bt, pgno, &c->page[d]);
  if (rc != LODE_OK) return rc;
  /* Only a root may be empty: a child without cells would end a scan early
  ** (or send a seek nowhere) without a word. */
  if (c->page[d].intkey != c->intkey || (c->page[d].ncell == 0 && !empty_ok)) {
    bt_page_release(&c->page[d]);
    return LODE_CORRUPT;
  }
  c->idx[d] = 0;
  c->depth = d + 1;
  return LODE_OK;
}

int bt_move_to_child(BtCursor *c, uint32_t pgno) { return bt_move_down(c, pgno, 0); }

int bt_move_to_emptied_child(BtCursor *c, uint32_t pgno) { return bt_move_down(c, pgno, 1); }

/* bt_move_to_child for a seek's descent: the page the last descent left at
** this level, when it is the one wanted (an interior page nearly always, the
** leaf when seeks come close together), is taken over instead of given back
** and fetched again.  Kept out of the seeks' loops, whose registers it would
** crowd. */
__attribute__((noinline)) static int bt_seek_child(BtCursor *c, uint32_t pgno) {
  int d = c->depth, rc;
  if (d >= BT_MAX_DEPTH) return LODE_CORRUPT;
  BtPage *pg = &c->page[d];
  if (d < c->held && pg->pgno == pgno) {
    rc = bt_page_recheck(c->bt, pg);
    if (rc != LODE_OK) bt_page_release(pg);
  } else {
    if (d < c->held) bt_page_release(pg);
    rc = bt_page_get(c->bt, pgno, pg);
  }
  if (rc != LODE_OK) return rc;
  if (pg->intkey != c->intkey || pg->ncell == 0) {
    bt_page_release(pg);
    return LODE_CORRUPT;
  }
  c->idx[d] = 0;
  c->depth = d + 1;
  return LODE_OK;
}

static void bt_pop(BtCursor *c) {
  assert(c->depth > 1);
  c->depth--;
  bt_page_release(&c->page[c->depth]);
}

static int bt_descend_leftmost(BtCursor *c) {
  int rc;
  while (!c->page[bt_top(c)].leaf) {
    c->idx[bt_top(c)] = 0;
    rc = bt_move_to_child(c, bt_child(&c->page[bt_top(c)], 0));
    if (rc != LODE_OK) return rc;
  }
  c->idx[bt_top(c)] = 0;
  return LODE_OK;
}

int bt_descend_rightmost(BtCursor *c) {
  int rc;
  while (!c->page[bt_top(c)].leaf) {
    BtPage *pg = &c->page[bt_top(c)];
    c->idx[bt_top(c)] = pg->ncell;
    rc = bt_move_to_child(c, bt_child(pg, pg->ncell));
    if (rc != LODE_OK) return rc;
  }
  c->idx[bt_top(c)] = c->page[bt_top(c)].ncell - 1;
  return LODE_OK;
}

static void bt_set_eof(BtCursor *c, int *eof) {
  bt_cursor_release(c);
  c->state = BT_CUR_EOF;
  *eof = 1;
}

/* A scan that steps from one table leaf to the next asks the cache to start
** loading the leaf this many siblings past the one it leaves (two past the
** one it enters): rows that fill a page each (embeddings, documents)
** otherwise wait on memory at every page, the hardware prefetcher stopping
** at page boundaries.  Measured on a scan of 3 KB rows out of cache: twice
** the rows a second at 3, less at 2, no more at 4 or 6. */
#define BT_PREFETCH_AHEAD 3

/* Moves forward from a leaf position that may be past its last cell to the
** next entry in key order. */
static int bt_settle_forward(BtCursor *c, int *eof) {
  int rc;
  for (;;) {
    BtPage *pg = &c->page[bt_top(c)];
    if (pg->leaf && c->idx[bt_top(c)] < pg->ncell) break;
    for (;;) {
      int i;
      if (c->depth == 1) {
        bt_set_eof(c, eof);
        return LODE_OK;
      }
      bt_pop(c);
      pg = &c->page[bt_top(c)];
      i = c->idx[bt_top(c)];
      if (i < pg->ncell && !c->intkey) goto found;
      if (i < pg->ncell) {
        c->idx[bt_top(c)] = i + 1;
        if (i + BT_PREFETCH_AHEAD <= pg->ncell) pager_prefetch(c->bt->pager, bt_child(pg, i + BT_PREFETCH_AHEAD), 0);
        rc = bt_move_to_child(c, bt_child(pg, i + 1));
        if (rc == LODE_OK) rc = bt_descend_leftmost(c);
        if (rc != LODE_OK) return rc;
        break;
      }
    }
  }
found:
  c->state = BT_CUR_VALID;
  *eof = 0;
  return LODE_OK;
}

static int bt_settle_backward(BtCursor *c, int *eof) {
  int rc;
  for (;;) {
    BtPage *pg = &c->page[bt_top(c)];
    if (pg->leaf && c->idx[bt_top(c)] >= 0 && c->idx[bt_top(c)] < pg->ncell) break;
    for (;;) {
      int i;
      if (c->depth == 1) {
        bt_set_eof(c, eof);
        return LODE_OK;
      }
      bt_pop(c);
      pg = &c->page[bt_top(c)];
      i = c->idx[bt_top(c)];
      if (i > 0 && !c->intkey) {
        c->idx[bt_top(c)] = i - 1;
        goto found;
      }
      if (i > 0) {
        c->idx[bt_top(c)] = i - 1;
        if (i >= BT_PREFETCH_AHEAD) pager_prefetch(c->bt->pager, bt_child(pg, i - BT_PREFETCH_AHEAD), 0);
        rc = bt_move_to_child(c, bt_child(pg, i - 1));
        if (rc == LODE_OK) rc = bt_descend_rightmost(c);
        if (rc != LODE_OK) return rc;
        break;
      }
    }
  }
found:
  c->state = BT_CUR_VALID;
  *eof = 0;
  return LODE_OK;
}

int btree_first(BtCursor *c, int *eof) {
  int rc = bt_move_to_root(c);
  *eof = 1;
  if (rc == LODE_DONE) return LODE_OK;
  if (rc == LODE_OK) rc = bt_descend_leftmost(c);
  if (rc == LODE_OK) rc = bt_settle_forward(c, eof);
  return rc;
}

int btree_last(BtCursor *c, int *eof) {
  int rc = bt_move_to_root(c);
  *eof = 1;
  if (rc == LODE_DONE) return LODE_OK;
  if (rc == LODE_OK) rc = bt_descend_rightmost(c);
  if (rc == LODE_OK) rc = bt_settle_backward(c, eof);
  return rc;
}

/* The leaf step's move from the leaf at depth t to its sibling pgno under
** the same parent: bt_move_to_child's fetch and checks, at a depth known to
** be in range; the cursor ends on the sibling's first cell. */
static inline int bt_leaf_sibling(BtCursor *c, int t, uint32_t pgno) {
  BtPage *leaf = &c->page[t];
  bt_page_release(leaf);
  c->depth = t;
  int rc = bt_page_get(c->bt, pgno, leaf);
  if (rc != LODE_OK) return rc;
  if (leaf->intkey != c->intkey || leaf->ncell == 0) {
    bt_page_release(leaf);
    return LODE_CORRUPT;
  }
  c->idx[t] = 0;
  c->depth = t + 1;
  return LODE_OK;
}

/* btree_next from the last cell of a table leaf whose parent has a child
** after it: the parent keeps its place and the next child's number is read
** there, instead of bt_settle_forward's pop and descent from the parent (the
** same pages fetched and released, the same prefetch, the same checks), so
** that a scan of rows that fill a leaf each pays little more than the fetch.
** Anything else (the parent's last child, an index b-tree, whose parent
** entries come between leaves, a child that is not a leaf) goes the general
** way, from the state the general path would have reached. */
__attribute__((noinline)) static int bt_next_leaf(BtCursor *c, int *eof) {
  int t = bt_top(c), i = c->idx[t - 1], rc;
  BtPage *parent = &c->page[t - 1], *leaf = &c->page[t];
  assert(c->intkey && t >= 1 && leaf->leaf && c->idx[t] + 1 >= leaf->ncell);
  *eof = 1;
  if (i >= parent->ncell) {
    c->idx[t]++;
    return bt_settle_forward(c, eof);
  }
  c->idx[t - 1] = i + 1;
  /* Siblings of a scanned table tend to be filled alike: the cell content
  ** of the one ahead is asked for from where this one's starts (with rows
  ** of 3 KB on 4 KB pages, the free gap's lines are skipped: 3-5% faster
  ** out of cache); a fuller sibling's first cells are then left to the
  ** hardware's own prefetch. */
  if (i + BT_PREFETCH_AHEAD <= parent->ncell)
    pager_prefetch(c->bt->pager, bt_child(parent, i + BT_PREFETCH_AHEAD),
                   util_get2(leaf->data + leaf->hdr + BT_HDR_CONTENT));
  if ((rc = bt_leaf_sibling(c, t, bt_child(parent, i + 1))) != LODE_OK) return rc;
  if (!leaf->leaf) {
    rc = bt_descend_leftmost(c);
    if (rc != LODE_OK) return rc;
    return bt_settle_forward(c, eof);
  }
  *eof = 0;
  return LODE_OK;
}

/* btree_next off its fast path (a cursor to restore or with a step to skip,
** an index cursor leaving its leaf): out of line, so that the fast path
** saves no registers. */
__attribute__((noinline)) static int bt_next_slow(BtCursor *c, int *eof) {
  BtPage *pg;
  int rc = bt_cursor_restore(c);
  *eof = 1;
  if (rc != LODE_OK) return rc;
  if (c->state != BT_CUR_VALID) return LODE_OK;
  if (c->skip > 0) {
    c->skip = 0;
    *eof = 0;
    return LODE_OK;
  }
  c->skip = 0;
  pg = &c->page[bt_top(c)];
  if (pg->leaf) {
    c->idx[bt_top(c)]++;
  } else {
    int i = ++c->idx[bt_top(c)];
    rc = bt_move_to_child(c, bt_child(pg, i));
    if (rc == LODE_OK) rc = bt_descend_leftmost(c);
    if (rc != LODE_OK) return rc;
  }
  return bt_settle_forward(c, eof);
}

int btree_next(BtCursor *c, int *eof) {
  if (c->state == BT_CUR_VALID && c->skip == 0) {
    /* Most steps stay on the leaf: no restore, no settling. */
    int t = bt_top(c);
    if (c->page[t].leaf) {
      if (c->idx[t] + 1 < c->page[t].ncell) {
        c->idx[t]++;
        *eof = 0;
        return LODE_OK;
      }
      if (c->intkey && t > 0) return bt_next_leaf(c, eof);
    }
  }
  return bt_next_slow(c, eof);
}

int btree_count(BtCursor *c, int64_t *n) {
  int eof, rc = btree_first(c, &eof);
  *n = 0;
  while (rc == LODE_OK && !eof) {
    int t = bt_top(c);
    const BtPage *pg = &c->page[t];
    if (pg->leaf) {
      /* The rest of the leaf at once; the next step leaves it. */
      *n += pg->ncell - c->idx[t];
      c->idx[t] = pg->ncell - 1;
    } else {
      (*n)++; /* an index's entry on an interior page */
    }
    rc = btree_next(c, &eof);
  }
  return rc;
}

/* bt_next_leaf's mirror: btree_prev from the first cell of a table leaf
** whose parent has a child before it. */
__attribute__((noinline)) static int bt_prev_leaf(BtCursor *c, int *eof) {
  int t = bt_top(c), i = c->idx[t - 1], rc;
  BtPage *parent = &c->page[t - 1], *leaf = &c->page[t];
  assert(c->intkey && t >= 1 && leaf->leaf && c->idx[t] == 0);
  *eof = 1;
  if (i <= 0) {
    c->idx[t]--;
    return bt_settle_backward(c, eof);
  }
  c->idx[t - 1] = i - 1;
  if (i >= BT_PREFETCH_AHEAD)
    pager_prefetch(c->bt->pager, bt_child(parent, i - BT_PREFETCH_AHEAD),
                   util_get2(leaf->data + leaf->hdr + BT_HDR_CONTENT));
  if ((rc = bt_leaf_sibling(c, t, bt_child(parent, i - 1))) != LODE_OK) return rc;
  if (!leaf->leaf) {
    rc = bt_descend_rightmost(c);
    if (rc != LODE_OK) return rc;
    return bt_settle_backward(c, eof);
  }
  c->idx[t] = leaf->ncell - 1;
  *eof = 0;
  return LODE_OK;
}

int btree_prev(BtCursor *c, int *eof) {
  BtPage *pg;
  int rc;
  if (c->state == BT_CUR_VALID && c->skip == 0) {
    int t = bt_top(c);
    if (c->page[t].leaf) {
      if (c->idx[t] > 0 && c->idx[t] <= c->page[t].ncell) {
        c->idx[t]--;
        *eof = 0;
        return LODE_OK;
      }
      if (c->idx[t] == 0 && c->intkey && t > 0) return bt_prev_leaf(c, eof);
    }
  }
  rc = bt_cursor_restore(c);
  *eof = 1;
  if (rc != LODE_OK) return rc;
  if (c->state != BT_CUR_VALID) return LODE_OK;
  if (c->skip < 0) {
    c->skip = 0;
    *eof = 0;
    return LODE_OK;
  }
  c->skip = 0;
  pg = &c->page[bt_top(c)];
  if (pg->leaf) {
    c->idx[bt_top(c)]--;
  } else {
    rc = bt_move_to_child(c, bt_child(pg, c->idx[bt_top(c)]));
    if (rc == LODE_OK) rc = bt_descend_rightmost(c);
    if (rc != LODE_OK) return rc;
  }
  return bt_settle_backward(c, eof);
}

int btree_eof(BtCursor *c) {
  if (c->state == BT_CUR_SAVED) return 0;
  return c->state != BT_CUR_VALID;
}

static int bt_at_rightmost(const BtCursor *c);

int btree_on_last(const BtCursor *c) {
  if (c->state != BT_CUR_VALID || c->skip != 0 || c->depth == 0) return 0;
  const BtPage *pg = &c->page[c->depth - 1];
  return pg->leaf && c->idx[c->depth - 1] == pg->ncell - 1 && bt_at_rightmost(c);
}

/* The rowid of cell i of a table page, read without parsing the payload. */
static int bt_table_key(Btree *bt, const BtPage *pg, int i, int64_t *key) {
  const uint8_t *end = pg->data + bt->usable;
  uint32_t off = bt_cell_offset(pg, i);
  const uint8_t *p = pg->data + off;
  uint64_t v;
  int n;
  if (!bt_cell_ptr_ok(pg, off)) return LODE_CORRUPT;
  if (!pg->leaf) {
    p += BT_CHILD_PTR_SIZE;
  } else {
    n = bt_varint(p, end, &v);
    if (n == 0) return LODE_CORRUPT;
    p += n;
  }
  n = bt_varint(p, end, &v);
  if (n == 0) return LODE_CORRUPT;
  *key = (int64_t)v;
  return LODE_OK;
}

/* What a binary search over one page's cells reads per probe, taken once per
** page.  A cell whose offset lies in [lo, hi] has room for its leading
** varints (after the child pointer of an interior cell) before the end of
** the usable area, so they are read without bounds checks; any other offset
** goes through the checked readers, which reject what is out of bounds. */
typedef struct BtProbe {
  const uint8_t *data;
  const uint8_t *ptrs; /* the cell pointer array */
  uint32_t lo, hi;
  uint32_t skip;      /* child pointer bytes in front of the first varint */
  uint32_t max_local; /* payloads up to this size lie wholly on the page */
  uint32_t usable;
} BtProbe;

static inline void bt_probe_init(const Btree *bt, const BtPage *pg, uint32_t nvarint, BtProbe *pr) {
  uint32_t skip = pg->leaf ? 0 : BT_CHILD_PTR_SIZE;
  uint32_t room = skip + nvarint * UTIL_VARINT_MAX;
  pr->data = pg->data;
  pr->ptrs = pg->data + pg->cellptr;
  pr->lo = pg->cellptr + 2u * pg->ncell;
  pr->hi = bt->usable > room ? bt->usable - room : 0; /* hi < lo: no probe is fast */
  pr->skip = skip;
  pr->max_local = bt->max_local_index;
  pr->usable = bt->usable;
}

/* A varint the caller knows has UTIL_VARINT_MAX readable bytes. */
static inline __attribute__((always_inline)) int bt_varint_unchecked(const uint8_t *p, uint64_t *v) {
  uint64_t x = 0;
  int i;
  /* Payload sizes and rowids up to 2M (nearly every probe) unrolled. */
  if (p[0] < 0x80) {
    *v = p[0];
    return 1;
  }
  if (p[1] < 0x80) {
    *v = ((uint64_t)(p[0] & 0x7f) << 7) | p[1];
    return 2;
  }
  if (p[2] < 0x80) {
    *v = ((uint64_t)(p[0] & 0x7f) << 14) | ((uint64_t)(p[1] & 0x7f) << 7) | p[2];
    return 3;
  }
  for (i = 0; i < UTIL_VARINT_MAX - 1; i++) {
    x = (x << 7) | (p[i] & 0x7f);
    if (p[i] < 0x80) {
      *v = x;
      return i + 1;
    }
  }
  *v = (x << 8) | p[UTIL_VARINT_MAX - 1];
  return UTIL_VARINT_MAX;
}

/* The rowid of cell i of a table page read in place: 1, or 0 when the cell
** pointer is out of bounds (bt_table_key then reports the corruption).  A
** cell far enough from the end of the page (nearly all) is read without
** per-byte checks; one near the end with its varints bounded by the page. */
static inline __attribute__((always_inline)) int bt_probe_rowid(const BtProbe *pr, int leaf, int i, int64_t *key) {
  uint32_t off = util_get2(pr->ptrs + 2 * i);
  const uint8_t *p;
  uint64_t v;
  if (off < pr->lo || off > pr->hi) {
    /* Near the end of the page (or before the content: no answer here). */
    const uint8_t *end = pr->data + pr->usable;
    int n;
    if (off < pr->lo || off + pr->skip >= pr->usable) return 0;
    p = pr->data + off + pr->skip;
    if (leaf) {
      if ((n = util_varint_get_bounded(p, end, &v)) == 0) return 0;
      p += n;
    }
    if (util_varint_get_bounded(p, end, &v) == 0) return 0;
    *key = (int64_t)v;
    return 1;
  }
  p = pr->data + off + pr->skip;
  if (leaf) { /* the payload size, only skipped */
    if (p[0] < 0x80) p++;
    else if (p[1] < 0x80) p += 2;
    else p += bt_varint_unchecked(p, &v);
  }
  if (p[0] < 0x80) {
    *key = p[0];
    return 1;
  }
  bt_varint_unchecked(p, &v);
  *key = (int64_t)v;
  return 1;
}

/* The key of cell i of an index page read in place when it lies wholly on
** the page: 1, or 0 for bt_index_key to handle (overflow, bad bounds). */
static inline int bt_probe_key(const BtProbe *pr, int i, const uint8_t **key, uint32_t *payload) {
  uint32_t off = util_get2(pr->ptrs + 2 * i);
  const uint8_t *p;
  uint64_t v;
  int n;
  if (off < pr->lo || off > pr->hi) return 0;
  p = pr->data + off + pr->skip;
  n = bt_varint_unchecked(p, &v);
  if (v > pr->max_local || v > pr->usable - (off + pr->skip + (uint32_t)n)) return 0;
  *key = p + n;
  *payload = (uint32_t)v;
  return 1;
}

/* Whether every interior level of the cursor's stack is on its right child. */
static int bt_at_rightmost(const BtCursor *c) {
  for (int l = 0; l < c->depth - 1; l++)
    if (c->idx[l] != c->page[l].ncell) return 0;
  return 1;
}

/* Whether every interior level of the cursor's stack is on its left child. */
static int bt_at_leftmost(const BtCursor *c) {
  for (int l = 0; l < c->depth - 1; l++)
    if (c->idx[l] != 0) return 0;
  return 1;
}

static void bt_seek_memo_set(BtCursor *c, const BtPage *leaf, int cmp, int64_t rowid) {
  c->memo_on = 1;
  c->memo_probe = 0;
  c->memo_cmp = cmp;
  c->memo_idx = c->idx[bt_top(c)];
  c->memo_pgno = leaf->pgno;
  c->memo_rowid = rowid;
}

static int bt_seek_rowid_descend(BtCursor *c, int64_t rowid, int *cmp, int *stayed);

/* See BtCursor.leaf_misses. */
#define BT_LEAF_MISSES_MAX 4
#define BT_LEAF_RETRY 16

/* The rowid of cell i of a table leaf.  Inline: a seek that tries the
** cursor's own leaf first reads a few keys there, and a call for each cost
** as much as the read. */
__attribute__((always_inline)) static inline int bt_leaf_rowid(Btree *bt, const BtPage *pg, const BtProbe *pr, int i,
                                                               int64_t *key) {
  if (bt_probe_rowid(pr, 1, i, key)) return LODE_OK;
  return bt_table_key(bt, pg, i, key);
}

/* A seek from a valid cursor on cell i (rowid key) of leaf pg: when the leaf's
** keys span rowid, a descent would end on this leaf (a leaf holds a contiguous
** run of the table's rowids), so only the leaf is searched, and the next or
** previous cell first (rows read in rowid order through an index on a column
** that grows with the rowid).  Returns 1 with the cursor moved and *cmp set as
** the descent would, 0 when the leaf does not span rowid, -1 on a bad cell. */
static int bt_seek_rowid_on_leaf(BtCursor *c, const BtPage *pg, int i, int64_t key, int64_t rowid, int *cmp) {
  int lo, hi, n = pg->ncell;
  int64_t k, hi_key;
  BtProbe pr;
  assert(pg->leaf && i < n && key != rowid);
  bt_probe_init(c->bt, pg, 2, &pr);
  /* The far end of the leaf first: a seek elsewhere stops after one read. */
  if (key < rowid) {
    /* In (i, n), if the last key is not below rowid. */
    if (i + 1 >= n) return 0;
    if (bt_leaf_rowid(c->bt, pg, &pr, n - 1, &hi_key) != LODE_OK) return -1;
    if (hi_key < rowid) return 0;
    lo = i + 1;
    hi = n - 1;
    if (lo < hi) {
      if (bt_leaf_rowid(c->bt, pg, &pr, lo, &k) != LODE_OK) return -1;
      if (k >= rowid) {
        hi = lo;
        hi_key = k;
      } else {
        lo++;
      }
    }
  } else {
    /* In [0, i], if the first key is not above rowid. */
    if (i == 0) return 0;
    if (bt_leaf_rowid(c->bt, pg, &pr, 0, &k) != LODE_OK) return -1;
    if (k > rowid) return 0;
    lo = 0;
    hi = i;
    hi_key = key;
    if (k == rowid) {
      hi = 0;
      hi_key = k;
    } else if (i > 1) {
      lo = 1;
      if (bt_leaf_rowid(c->bt, pg, &pr, i - 1, &k) != LODE_OK) return -1;
      if (k < rowid) {
        lo = i;
      } else {
        hi = i - 1;
        hi_key = k;
      }
    } else {
      lo = 1;
    }
  }
  /* The first cell in [lo, hi] whose key is not below rowid: cell hi's
  ** (hi_key) is not. */
  while (lo < hi) {
    int mid = (lo + hi) >> 1; /* lo, hi >= 0: no signed division */
    if (bt_leaf_rowid(c->bt, pg, &pr, mid, &k) != LODE_OK) return -1;
    if (k < rowid) {
      lo = mid + 1;
    } else {
      hi = mid;
      hi_key = k;
    }
  }
  assert(hi >= 0 && hi < n && hi_key >= rowid);
  c->idx[bt_top(c)] = hi;
  *cmp = hi_key == rowid ? 0 : 1;
  bt_seek_memo_set(c, pg, *cmp, rowid);
  return 1;
}

int btree_seek_rowid(BtCursor *c, int64_t rowid, int *cmp) {
  int stayed;
  if (c->intkey && bt_seek_memo(c, rowid, cmp) && *cmp == 0) return LODE_OK; /* see btree_seek_rowid_stay */
  int rc = bt_seek_rowid_descend(c, rowid, cmp, &stayed);
  bt_drop_held(c);
  return rc;
}

int btree_seek_rowid_stay(BtCursor *c, int64_t rowid, int *cmp, int *stayed) {
  if (c->intkey && bt_seek_memo(c, rowid, cmp) && *cmp == 0) {
    /* Where the last seek for this rowid found it (nothing held: no descent). */
    *stayed = 1;
    return LODE_OK;
  }
  int rc = bt_seek_rowid_descend(c, rowid, cmp, stayed);
  bt_drop_held(c);
  return rc;
}

/* The binary search of table page pg's cells [lo, hi) for rowid, where cell
** hi (unless hi == ncell) has rowid *hi_key above rowid: the first cell whose
** rowid is not below rowid, its rowid in *hi_key when it is a cell; rowids
** are unique, so an equal one ends the search.  -1 for a cell that cannot be
** read.  Every probe read with its bounds checked. */
__attribute__((noinline)) static int bt_rowid_search_checked(Btree *bt, const BtPage *pg, int lo, int hi,
                                                             int64_t rowid, int64_t *hi_key) {
  while (lo < hi) {
    int mid = (lo + hi) >> 1; /* lo, hi >= 0: no signed division */
    int64_t key;
    if (bt_table_key(bt, pg, mid, &key) != LODE_OK) return -1;
    if (key < rowid) {
      lo = mid + 1;
    } else {
      hi = mid;
      *hi_key = key;
      if (key == rowid) lo = mid;
    }
  }
  return lo;
}

/* bt_rowid_search_checked over [lo, ncell) with leaf constant (the page's
** kind), its probes read in place (bt_probe_rowid's fast case) until one
** lies near the end of the page, from which the checked search goes on.  No
** call inside the loop: every value stays in a register. */
__attribute__((always_inline)) static inline int bt_rowid_search_kind(Btree *bt, const BtPage *pg, int leaf, int lo,
                                                                      int64_t rowid, int64_t *hi_key) {
  int hi = pg->ncell;
  int64_t hk = 0;
  BtProbe pr;
  bt_probe_init(bt, pg, 2, &pr);
  while (lo < hi) {
    int mid = (lo + hi) >> 1; /* lo, hi >= 0: no signed division */
    uint32_t off = util_get2(pr.ptrs + 2 * mid);
    if (off < pr.lo || off > pr.hi) {
      *hi_key = hk;
      return bt_rowid_search_checked(bt, pg, lo, hi, rowid, hi_key);
    }
    const uint8_t *p = pr.data + off + pr.skip;
    uint64_t v;
    int64_t key;
    if (leaf) { /* the payload size, only skipped */
      if (p[0] < 0x80) p++;
      else if (p[1] < 0x80) p += 2;
      else p += bt_varint_unchecked(p, &v);
    }
    if (p[0] < 0x80) {
      key = p[0];
    } else {
      bt_varint_unchecked(p, &v);
      key = (int64_t)v;
    }
    if (key < rowid) {
      lo = mid + 1;
    } else {
      hi = mid;
      hk = key;
      if (key == rowid) lo = mid;
    }
  }
  *hi_key = hk;
  return lo;
}

/* bt_rowid_search_kind for either kind of page.  Out of line: inside the
** descent's loop, which keeps the cursor's state live, the search's values
** went to the stack and back at every probe. */
__attribute__((noinline)) static int bt_rowid_search(Btree *bt, const BtPage *pg, int lo, int64_t rowid,
                                                     int64_t *hi_key) {
  if (pg->leaf) return bt_rowid_search_kind(bt, pg, 1, lo, rowid, hi_key);
  return bt_rowid_search_kind(bt, pg, 0, lo, rowid, hi_key);
}

/* The callers have tried bt_seek_memo already. */
static int bt_seek_rowid_descend(BtCursor *c, int64_t rowid, int *cmp, int *stayed) {
  *stayed = 0;
  if (c->state == BT_CUR_VALID && c->skip == 0 && c->intkey) {
    /* Already on the row (an UPDATE writing back the row its loop is on):
    ** rowids are unique, so a descent would end on this very cell. */
    const BtPage *pg = &c->page[bt_top(c)];
    int i = c->idx[bt_top(c)];
    int64_t key;
    BtProbe pr;
    int on_leaf = pg->leaf && i >= 0 && i < pg->ncell;
    if (on_leaf) bt_probe_init(c->bt, pg, 2, &pr);
    if (on_leaf && bt_leaf_rowid(c->bt, pg, &pr, i, &key) == LODE_OK) {
      if (key == rowid) {
        *cmp = 0;
        *stayed = 1;
        bt_seek_memo_set(c, pg, 0, rowid); /* the Insert that follows need not look again */
        return LODE_OK;
      }
      /* On the last row of the table (btree_last, an INSERT's new rowid)
      ** with a larger rowid wanted: a descent would end right here. */
      if (key < rowid && i == pg->ncell - 1 && bt_at_rightmost(c)) {
        *cmp = -1;
        c->bt->append_root = c->root;
        bt_seek_memo_set(c, pg, -1, rowid);
        return LODE_OK;
      }
      if (c->leaf_misses < BT_LEAF_MISSES_MAX || ++c->leaf_skips % BT_LEAF_RETRY == 0) {
        int found = bt_seek_rowid_on_leaf(c, pg, i, key, rowid, cmp);
        if (found != 0) {
          c->leaf_misses = 0;
          return found < 0 ? LODE_CORRUPT : LODE_OK;
        }
        if (c->leaf_misses < BT_LEAF_MISSES_MAX) c->leaf_misses++;
      }
    }
  }
  int rc = bt_move_to_root_keep(c);
  *cmp = -1;
  if (rc == LODE_DONE) return LODE_OK;
  if (rc != LODE_OK) return rc;
  if (!c->intkey) return LODE_MISUSE;
  for (;;) {
    BtPage *pg = &c->page[bt_top(c)];
    int lo = 0;
    int64_t key = 0, hi_key = 0;
    if (c->root && c->bt->append_root == c->root && pg->ncell > 0) {
      /* Appending: every key on the page is smaller, so the search ends at ncell. */
      rc = bt_table_key(c->bt, pg, pg->ncell - 1, &key);
      if (rc != LODE_OK) return rc;
      if (key < rowid) lo = pg->ncell;
      else c->bt->append_root = 0;
    }
    lo = bt_rowid_search(c->bt, pg, lo, rowid, &hi_key);
    if (lo < 0) return LODE_CORRUPT;
    if (!pg->leaf) {
      c->idx[bt_top(c)] = lo;
      rc = bt_seek_child(c, bt_child(pg, lo));
      if (rc != LODE_OK) return rc;
      continue;
    }
    if (pg->ncell == 0) {
      /* Empty tree (or an empty leaf): keep the stack for an insert. */
      c->idx[bt_top(c)] = 0;
      c->state = BT_CUR_EOF;
      return LODE_OK;
    }
    if (lo < pg->ncell) {
      /* lo == hi < ncell: a probe set hi, and hi_key is cell lo's rowid. */
      c->idx[bt_top(c)] = lo;
      *cmp = hi_key == rowid ? 0 : 1;
    } else {
      c->idx[bt_top(c)] = lo - 1;
      *cmp = -1;
      c->bt->append_root = c->root;
    }
    c->state = BT_CUR_VALID;
    bt_seek_memo_set(c, pg, *cmp, rowid);
    return LODE_OK;
  }
}

/* Points *key at the whole payload of cell, copying it into the cursor's
** key buffer when part of it lives on overflow pages. */
int bt_cell_key(BtCursor *c, const BtPage *pg, const BtCell *cell, const uint8_t **key) {
  int rc;
  if (cell->local == cell->payload) {
    *key = pg->data + cell->pay_off;
    return LODE_OK;
  }
  if (c->key_cap < cell->payload) {
    uint8_t *nb = util_realloc(c->key_buf, cell->payload);
    if (!nb) return LODE_NOMEM;
    c->key_buf = nb;
    c->key_cap = cell->payload;
  }
  memcpy(c->key_buf, pg->data + cell->pay_off, cell->local);
  rc = bt_overflow_read(c->bt, cell->ovfl, cell->local, cell->payload, cell->local, cell->payload - cell->local,
                        c->key_buf + cell->local, cell->local);
  if (rc != LODE_OK) return rc;
  *key = c->key_buf;
  return LODE_OK;
}

/* The key of cell i of an index page.  A key that fits on the page (nearly
** all of them) is read in place without a full cell parse; one that spills
** to overflow pages goes through bt_cell_key. */
static int bt_index_key(BtCursor *c, const BtPage *pg, int i, const uint8_t **key, uint32_t *payload) {
  Btree *bt = c->bt;
  const uint8_t *end = pg->data + bt->usable;
  uint32_t off = bt_cell_offset(pg, i);
  const uint8_t *p = pg->data + off;
  BtCell cell;
  uint64_t v;
  int n, rc;
  if (!bt_cell_ptr_ok(pg, off)) return LODE_CORRUPT;
  if (!pg->leaf) p += BT_CHILD_PTR_SIZE;
  n = bt_varint(p, end, &v);
  if (n > 0 && v <= bt->max_local_index && (uint64_t)(end - (p + n)) >= v) {
    *key = p + n;
    *payload = (uint32_t)v;
    return LODE_OK;
  }
  rc = bt_cell_parse(bt, pg, i, &cell);
  if (rc == LODE_OK) rc = bt_cell_key(c, pg, &cell, key);
  *payload = cell.payload;
  return rc;
}

/* Inlined into btree_seek_key_first, once for each kind of first field (a
** constant there): a call and a second prologue per seek cost more than the
** copies. */
__attribute__((always_inline)) static inline int bt_seek_key_descend(BtCursor *c, BtreeKeyCompare cmp_fn, void *ctx,
                                                                    int kind, int64_t val, int below, int leaf_lo,
                                                                    int leaf_hi, int *cmp);

int btree_seek_key(BtCursor *c, BtreeKeyCompare cmp_fn, void *ctx, int *cmp) {
  return btree_seek_key_first(c, cmp_fn, ctx, NULL, cmp);
}

/* cmp_fn's answer for the key of cell i of index page pg (*r). */
static int bt_leaf_key_cmp(BtCursor *c, const BtPage *pg, const BtProbe *pr, int i, BtreeKeyCompare cmp_fn,
                           void *ctx, int *r) {
  const uint8_t *key;
  uint32_t n;
  if (!bt_probe_key(pr, i, &key, &n)) {
    int rc = bt_index_key(c, pg, i, &key, &n);
    if (rc != LODE_OK) return rc;
  }
  *r = cmp_fn(ctx, key, n);
  return LODE_OK;
}

/* Bytes of the page after a key that the seek's fast path reads in place:
** bt_first_decide's loads may run that far past the key's end. */
#define BT_KEY_SLACK 8

/* What BtreeKeyFirst decides for the entry key[0..n): below or -below, or 0
** for the comparator.  Only for a key the seek's fast path read in place:
** one with BT_KEY_SLACK bytes of the page after it, so that key[0..n + 8)
** lies on the page. */
__attribute__((always_inline)) static inline int bt_first_decide(int64_t val, int below, const uint8_t *key,
                                                                uint32_t n) {
  uint32_t h = key[0], t = key[1];
  int64_t v;
  /* A header of at least 2 bytes (a record with a field); the tests of the
  ** field's end against n below keep the loads within key[0..n + 8) and also
  ** turn away a key of fewer than two bytes (h + t > n). */
  if (h - 2u >= 118u) return 0;
  /* Integers of 1..4 bytes with a 4-byte load, of 6 and 8 bytes with an
  ** 8-byte one, from the field's start, shifted down to their width with
  ** their sign (the bytes after the field, on the page, shift out). */
  if (t - 1u < 4u) {
    if (h + t > n) return 0;
    v = (int32_t)util_get4(key + h) >> (32 - 8 * t);
  } else if (t - 5u < 2u) {
    if (h + 8 - (6 - t) * 2 > n) return 0;
    v = (int64_t)util_get8(key + h) >> (6 - t) * 16;
  } else {
    return 0;
  }
  if (v == val) return 0;
  return v < val ? below : -below;
}

static int bt_seek_key_in_leaf(BtCursor *c, BtreeKeyCompare cmp_fn, void *ctx, const BtreeKeyFirst *first,
                               int *cmp);

static int bt_seek_key_leaf_miss(BtCursor *c) {
  if (c->leaf_misses < BT_LEAF_MISSES_MAX) c->leaf_misses++;
  return LODE_DONE;
}

/* cmp_fn's answer (*r) for entry j of the cursor's leaf, or BtreeKeyFirst's
** when it decides; *inplace: the key when read in place on the page (the
** pointer the comparator was given), else NULL. */
static inline __attribute__((always_inline)) int bt_on_leaf_cmp(BtCursor *c, const BtPage *pg, const BtProbe *pr,
                                                                const BtreeKeyFirst *first, BtreeKeyCompare cmp_fn,
                                                                void *ctx, int j, int *r, const uint8_t **inplace) {
  const uint8_t *key;
  uint32_t len;
  int d = 0, rc;
  *inplace = NULL;
  if (bt_probe_key(pr, j, &key, &len)) {
    *inplace = key;
    if (first && first->kind == BTREE_FIRST_INT && (uint32_t)(key - pr->data) + len + BT_KEY_SLACK <= pr->usable)
      d = bt_first_decide(first->ival, first->below, key, len);
  } else if ((rc = bt_index_key(c, pg, j, &key, &len)) != LODE_OK) {
    return rc;
  }
  *r = d ? d : cmp_fn(ctx, key, len);
  return LODE_OK;
}

/* Ends an on-leaf seek at entry j as the descent's search would: equal to
** the key (r == 0), the entry after it (r > 0; landed: its key as the
** comparator read it in place, or NULL) or before it (r < 0: the last). */
static int bt_seek_key_leaf_end(BtCursor *c, const BtPage *pg, int j, int r, const uint8_t *landed, int *cmp) {
  *cmp = r;
  c->leaf_misses = 0;
  c->idx[bt_top(c)] = j;
  c->memo_on = r != 0;
  c->memo_probe = 1;
  c->memo_cmp = r;
  c->memo_idx = j;
  c->memo_pgno = pg->pgno;
  c->memo_key = landed;
  return LODE_OK;
}

/* An index seek from a cursor valid on a leaf below the root, done on that
** leaf alone when the descent would end there; LODE_DONE, the cursor
** untouched, when the descent is needed.  The leaf's last entry first, in a
** function kept small: past it, at the end of the tree (ascending keys: the
** uniqueness probe of each, its insert), the seek ends at that one
** comparison, with no search set up.  Keys are read in place and, when
** BtreeKeyFirst decides them, compared without the comparator. */
__attribute__((noinline)) static int bt_seek_key_on_leaf(BtCursor *c, BtreeKeyCompare cmp_fn, void *ctx,
                                                         const BtreeKeyFirst *first, int *cmp) {
  const BtPage *pg = &c->page[bt_top(c)];
  const int n = pg->ncell;
  const uint8_t *at;
  int r, rc;
  BtProbe pr;
  if (n <= 0) return LODE_DONE;
  bt_probe_init(c->bt, pg, 1, &pr);
  if ((rc = bt_on_leaf_cmp(c, pg, &pr, first, cmp_fn, ctx, n - 1, &r, &at)) != LODE_OK) return rc;
  if (r > 0) return bt_seek_key_in_leaf(c, cmp_fn, ctx, first, cmp);
  if (r < 0 && !bt_at_rightmost(c)) return bt_seek_key_leaf_miss(c);
  /* On the last entry (r == 0), or past the tree's last entry. */
  return bt_seek_key_leaf_end(c, pg, n - 1, r < 0 ? -1 : 0, NULL, cmp);
}

/* bt_seek_key_on_leaf for a key before the leaf's last entry: done on the
** leaf alone when the descent would end there, as its end entries tell: a
** key that sorts after the leaf's first entry and before its last sorts after
** every entry before the leaf and before every one after it; one before the
** first entry of the tree's first leaf ends there.  LODE_DONE, the cursor
** untouched, when the descent is needed.  A miss costs at most two
** comparisons; the caller tries only after a hit or while few tries missed
** in a row (random keys nearly always miss).  The search of the leaf is the
** descent's own, inlined once more: a second way into the descent's loop
** would slow every seek. */
__attribute__((noinline)) static int bt_seek_key_in_leaf(BtCursor *c, BtreeKeyCompare cmp_fn, void *ctx,
                                                         const BtreeKeyFirst *first, int *cmp) {
  const int i = c->idx[bt_top(c)];
  const BtPage *pg = &c->page[bt_top(c)];
  int n = pg->ncell, lo = 0, hi = n - 1, r, rc;
  BtProbe pr;
  bt_probe_init(c->bt, pg, 1, &pr);
  if (c->leaf_misses == 0 && i >= 0 && i < n - 2) {
    /* The cursor inside the leaf: a key of a run (the next one of an
    ** ascending run through entries that exist, as a REPLACE makes) goes
    ** right after the entry the cursor is on; one past that entry still
    ** bounds the search below.  Tried only while the leaf's seeks hit:
    ** random keys move the cursor about. */
    const uint8_t *at, *at0;
    int r0;
    if ((rc = bt_on_leaf_cmp(c, pg, &pr, first, cmp_fn, ctx, i + 1, &r, &at)) != LODE_OK) return rc;
    if (r == 0) return bt_seek_key_leaf_end(c, pg, i + 1, 0, NULL, cmp);
    if (r < 0) {
      lo = i + 2;
    } else {
      if ((rc = bt_on_leaf_cmp(c, pg, &pr, first, cmp_fn, ctx, i, &r0, &at0)) != LODE_OK) return rc;
      if (r0 == 0) return bt_seek_key_leaf_end(c, pg, i, 0, NULL, cmp);
      if (r0 < 0) return bt_seek_key_leaf_end(c, pg, i + 1, 1, at, cmp);
    }
  }
  if (lo == 0 && n > 1) {
    if ((rc = bt_leaf_key_cmp(c, pg, &pr, 0, cmp_fn, ctx, &r)) != LODE_OK) return rc;
    if (r == 0) return bt_seek_key_leaf_end(c, pg, 0, 0, NULL, cmp);
    if (r > 0) hi = 0;
    else lo = 1;
  }
  if (hi == 0 && !bt_at_leftmost(c)) return bt_seek_key_leaf_miss(c);
  /* Cell hi sorts after the key and was compared. */
  c->leaf_misses = 0;
  c->memo_on = 0;
  /* below as a constant in each copy: the probes' decisions need no load of it. */
  if (first && first->kind == BTREE_FIRST_INT && first->below < 0)
    return bt_seek_key_descend(c, cmp_fn, ctx, BTREE_FIRST_INT, first->ival, -1, lo, hi, cmp);
  if (first && first->kind == BTREE_FIRST_INT)
    return bt_seek_key_descend(c, cmp_fn, ctx, BTREE_FIRST_INT, first->ival, 1, lo, hi, cmp);
  return bt_seek_key_descend(c, cmp_fn, ctx, 0, 0, 0, lo, hi, cmp);
}

int btree_seek_key_first(BtCursor *c, BtreeKeyCompare cmp_fn, void *ctx, const BtreeKeyFirst *first, int *cmp) {
  int rc;
  c->memo_key = NULL;
  /* The count first: random keys stop there. */
  if ((c->leaf_misses < BT_LEAF_MISSES_MAX || ++c->leaf_skips % BT_LEAF_RETRY == 0) && c->state == BT_CUR_VALID &&
      c->skip == 0 && c->depth > 1 && c->page[c->depth - 1].leaf && !c->intkey) {
    rc = bt_seek_key_on_leaf(c, cmp_fn, ctx, first, cmp);
    if (rc != LODE_DONE) return rc;
  }
  if (first && first->kind == BTREE_FIRST_INT && first->below < 0) /* below constant, as in bt_seek_key_on_leaf */
    rc = bt_seek_key_descend(c, cmp_fn, ctx, BTREE_FIRST_INT, first->ival, -1, -1, 0, cmp);
  else if (first && first->kind == BTREE_FIRST_INT)
    rc = bt_seek_key_descend(c, cmp_fn, ctx, BTREE_FIRST_INT, first->ival, 1, -1, 0, cmp);
  else
    rc = bt_seek_key_descend(c, cmp_fn, ctx, 0, 0, 0, -1, 0, cmp);
  bt_drop_held(c);
  return rc;
}

/* leaf_lo < 0 (a constant there): the descent from the root.  Otherwise
** (bt_seek_key_on_leaf) the search of the cursor's leaf in [leaf_lo, leaf_hi). */
static inline int bt_seek_key_descend(BtCursor *c, BtreeKeyCompare cmp_fn, void *ctx, int kind, int64_t val,
                                      int below, int leaf_lo, int leaf_hi, int *cmp) {
  int rc;
  *cmp = -1;
  if (leaf_lo < 0) {
    rc = bt_move_to_root_keep(c);
    if (rc == LODE_DONE) return LODE_OK;
    if (rc != LODE_OK) return rc;
    if (c->intkey) return LODE_MISUSE;
  }
  for (;;) {
    BtPage *pg = &c->page[bt_top(c)];
    int lo = 0, hi = pg->ncell, r = -1;
    if (leaf_lo >= 0) {
      lo = leaf_lo;
      hi = leaf_hi;
    }
    BtProbe pr;
    bt_probe_init(c->bt, pg, 1, &pr);
    /* The usual probe inline: a one-byte payload size (a key under 128
    ** bytes, which every page size but the smallest keeps on the page) of a
    ** cell whose key lies wholly on the page with BT_KEY_SLACK bytes of it
    ** after the key.  All else goes through bt_probe_key.  (Cells near the
    ** end of the page are common: an interior page's few cells all are.) */
    const uint8_t *base = pr.data + pr.skip, *ptrs = pr.ptrs;
    const uint32_t fast_hi = pr.usable - pr.skip - 1 - BT_KEY_SLACK; /* the last offset + payload size */
    /* Offsets below plo + far leave room for any one-byte payload size: only
    ** the cells of the last 127 bytes before fast_hi have the end of their
    ** payload checked. */
    uint32_t plo = pr.lo, span = 0, far = 0;
    if (pr.max_local >= 0x7f && pr.usable > pr.skip + 0x80 && plo <= fast_hi) span = fast_hi - plo;
    else plo = UINT32_MAX;
    if (span >= 0x7f) far = span - 0x7f + 1;
    while (lo < hi) {
      int mid = (lo + hi) >> 1;
      uint32_t off = util_get2(ptrs + 2 * mid), payload;
      const uint8_t *key;
      if ((off - plo < far || (off - plo <= span && off + base[off] <= fast_hi)) && (payload = base[off]) < 0x80) {
        key = base + off + 1;
        if (kind) {
          int d = bt_first_decide(val, below, key, payload);
          if (d < 0) {
            lo = mid + 1;
            continue;
          }
          if (d > 0) {
            hi = mid;
            continue;
          }
        }
      } else {
        /* Out of line, through their own variables: the fast path's stay
        ** in registers (their addresses are never taken). */
        const uint8_t *k2;
        uint32_t n2;
        if (!bt_probe_key(&pr, mid, &k2, &n2)) {
          rc = bt_index_key(c, pg, mid, &k2, &n2);
          if (rc != LODE_OK) return rc;
        }
        key = k2;
        payload = n2;
      }
      r = cmp_fn(ctx, key, payload);
      if (r == 0) {
        c->idx[bt_top(c)] = mid;
        c->state = BT_CUR_VALID;
        *cmp = 0;
        return LODE_OK;
      }
      if (r < 0) lo = mid + 1;
      else hi = mid;
    }
    if (!pg->leaf) {
      c->idx[bt_top(c)] = lo;
      rc = bt_seek_child(c, bt_child(pg, lo));
      if (rc != LODE_OK) return rc;
      continue;
    }
    if (pg->ncell == 0) {
      c->idx[bt_top(c)] = 0;
      c->state = BT_CUR_EOF;
      return LODE_OK;
    }
    c->state = BT_CUR_VALID;
    if (lo < pg->ncell) {
      /* A probe of cell lo set hi: its key, if the fast path read it in place. */
      uint32_t off = util_get2(ptrs + 2 * lo);
      if (off - plo <= span && base[off] < 0x80 && off + base[off] <= fast_hi) c->memo_key = base + off + 1;
      c->idx[bt_top(c)] = lo;
      *cmp = 1;
    } else {
      c->idx[bt_top(c)] = lo - 1;
      *cmp = -1;
    }
    c->memo_on = 1;
    c->memo_probe = 1;
    c->memo_cmp = *cmp;
    c->memo_idx = c->idx[bt_top(c)];
    c->memo_pgno = pg->pgno;
    return LODE_OK;
  }
}

const void *btree_seek_landed(const BtCursor *c) { return c->memo_on ? c->memo_key : NULL; }

int bt_key_memo(BtCursor *c, BtreeKeyCompare cmp_fn, void *ctx, int *pos) {
  const BtPage *pg;
  const uint8_t *key;
  uint32_t payload;
  int i;
  if (!c->memo_on || c->state != BT_CUR_VALID || c->depth == 0) return 0;
  pg = &c->page[bt_top(c)];
  if (c->memo_pgno != pg->pgno || !pg->leaf || c->memo_cmp == 0) return 0;
  i = c->memo_idx + (c->memo_cmp < 0);
  if (i < 0 || i > pg->ncell || pg->ncell == 0) return 0;
  /* The key goes at i if it sorts between the entries around that place in
  ** key order: on the leaf, or at an end of it the divider of the nearest
  ** ancestor that the path passes on that side (none past the tree's ends). */
  const BtPage *lo_pg = pg, *hi_pg = pg;
  int lo_i = i - 1, hi_i = i;
  if (i == 0) {
    lo_pg = NULL;
    for (int l = c->depth - 2; l >= 0 && !lo_pg; l--)
      if (c->idx[l] > 0) lo_pg = &c->page[l], lo_i = c->idx[l] - 1;
  }
  if (i == pg->ncell) {
    hi_pg = NULL;
    for (int l = c->depth - 2; l >= 0 && !hi_pg; l--)
      if (c->idx[l] < c->page[l].ncell) hi_pg = &c->page[l], hi_i = c->idx[l];
  }
  if (lo_pg && (bt_index_key(c, lo_pg, lo_i, &key, &payload) != LODE_OK || cmp_fn(ctx, key, payload) >= 0)) return 0;
  if (hi_pg && (bt_index_key(c, hi_pg, hi_i, &key, &payload) != LODE_OK || cmp_fn(ctx, key, payload) <= 0))
    return 0;
  *pos = i;
  return 1;
}

int btree_cursor_moved(const BtCursor *c) { return c->state != BT_CUR_VALID || c->skip != 0; }

int btree_cursor_restore_row(BtCursor *c, int *gone) {
  int rc = bt_cursor_restore(c);
  *gone = rc != LODE_OK || c->state != BT_CUR_VALID || c->skip != 0;
  return rc;
}

int bt_cursor_cell(BtCursor *c, BtCell *cell) {
  int rc = bt_cursor_restore(c);
  if (rc != LODE_OK) return rc;
  if (c->state != BT_CUR_VALID) return LODE_MISUSE;
  return bt_cell_parse(c->bt, &c->page[bt_top(c)], c->idx[bt_top(c)], cell);
}

static __attribute__((noinline)) int rowid_get_slow(BtCursor *c, int64_t *rowid);

int btree_rowid_get(BtCursor *c, int64_t *rowid) {
  /* A cursor on a cell of a table leaf (every row of a scan): the checks of
  ** bt_seek_memo and of the read in rowid_get_slow, made once, in a
  ** function small enough to save no registers. */
  if (c->state == BT_CUR_VALID && c->skip == 0 && c->intkey) {
    const BtPage *pg = &c->page[c->depth - 1];
    int i = c->idx[c->depth - 1];
    if (pg->leaf && i >= 0 && i < pg->ncell) {
      if (c->memo_on && c->memo_cmp == 0 && c->memo_idx == i && c->memo_pgno == pg->pgno) {
        *rowid = c->memo_rowid;
        return LODE_OK;
      }
      BtProbe pr;
      bt_probe_init(c->bt, pg, 2, &pr);
      if (bt_probe_rowid(&pr, 1, i, rowid)) {
        /* As a seek for this rowid would have left the cursor: the NotExists
        ** of an UPDATE that reads each row's rowid then finds its row by the
        ** memo, and so does the Insert after it. */
        bt_seek_memo_set(c, pg, 0, *rowid);
        return LODE_OK;
      }
    }
  }
  return rowid_get_slow(c, rowid);
}

static int rowid_get_slow(BtCursor *c, int64_t *rowid) {
  BtCell cell;
  int rc;
  *rowid = 0;
  if (!c->intkey) return LODE_MISUSE;
  /* btree_rowid_get answered a leaf's cell it could read in place (and the
  ** seek memo); here an interior page's cell, a cell a delete stepped past, or
  ** a cell pointer out of bounds, which bt_table_key reports as corrupt. */
  if (c->state == BT_CUR_VALID) {
    const BtPage *pg = &c->page[bt_top(c)];
    int i = c->idx[bt_top(c)];
    if (i >= 0 && i < pg->ncell) return bt_table_key(c->bt, pg, i, rowid);
  }
  rc = bt_cursor_cell(c, &cell);
  if (rc == LODE_OK) *rowid = cell.key;
  return rc;
}

int64_t btree_rowid(BtCursor *c) {
  int64_t key;
  return btree_rowid_get(c, &key) == LODE_OK ? key : 0;
}

uint64_t btree_cursor_content_gen(const BtCursor *c) { return pager_content_gen(c->bt->pager); }

int btree_max_rowid(BtCursor *c, int64_t *rowid, int *empty) {
  int eof, rc = btree_last(c, &eof);
  *rowid = 0;
  *empty = 1;
  if (rc != LODE_OK) return rc;
  if (eof) return LODE_OK;
  *empty = 0;
  return btree_rowid_get(c, rowid);
}

uint32_t btree_payload_size(BtCursor *c) {
  BtCell cell;
  if (bt_cursor_cell(c, &cell) != LODE_OK) return 0;
  return cell.payload;
}

int btree_payload(BtCursor *c, uint32_t offset, uint32_t n, void *buf) {
  BtCell cell;
  uint8_t *out = buf;
  const BtPage *pg;
  int rc;
  if (c->state == BT_CUR_VALID && c->skip == 0) {
    /* A payload wholly on its page (nearly every row): found by the view's
    ** read of the cell's leading varints, without the full parse. */
    uint32_t avail, size;
    const uint8_t *p = btree_payload_view(c, &avail, &size);
    if (p && avail == size) {
      if (offset > size || n > size - offset) return LODE_CORRUPT;
      if (n) memcpy(out, p + offset, n); /* buf may be NULL for no bytes */
      return LODE_OK;
    }
  }
  rc = bt_cursor_cell(c, &cell);
  if (rc != LODE_OK) return rc;
  if (offset > cell.payload || n > cell.payload - offset) return LODE_CORRUPT;
  pg = &c->page[bt_top(c)];
  if (offset < cell.local) {
    uint32_t take = cell.local - offset < n ? cell.local - offset : n;
    memcpy(out, pg->data + cell.pay_off + offset, take);
    out += take;
    offset += take;
    n -= take;
  }
  if (n == 0) return LODE_OK;
  return bt_overflow_read(c->bt, cell.ovfl, cell.local, cell.payload, offset, n, out, (uint32_t)(out - (uint8_t *)buf));
}

const uint8_t *btree_payload_fetch(BtCursor *c, uint32_t *avail) {
  uint32_t size;
  return btree_payload_view(c, avail, &size);
}

/* The payload of cell i when it lies wholly on the page (nearly every row),
** found from the cell's leading varints alone; 0 when it spills to overflow
** pages or looks wrong, for the full parse to handle. */
static int bt_local_payload(Btree *bt, const BtPage *pg, int i, const uint8_t **pay, uint32_t *n) {
  const uint8_t *end = pg->data + bt->usable, *p;
  uint32_t off;
  uint64_t size, rowid;
  int k;
  if (i < 0 || i >= pg->ncell) return 0;
  off = bt_cell_offset(pg, i);
  if (!bt_cell_ptr_ok(pg, off)) return 0;
  p = pg->data + off;
  if (!pg->leaf) {
    if (pg->intkey) return 0; /* table interior cells carry no payload */
    p += BT_CHILD_PTR_SIZE;
  }
  k = bt_varint(p, end, &size);
  if (k == 0) return 0;
  p += k;
  if (pg->intkey) {
    if (size > bt->max_local_table) return 0;
    k = bt_varint(p, end, &rowid);
    if (k == 0) return 0;
    p += k;
  } else if (size > bt->max_local_index) {
    return 0;
  }
  if ((uint64_t)(end - p) < size) return 0;
  *pay = p;
  *n = (uint32_t)size;
  return 1;
}

/* btree_payload_view of a cell near the end of its page, one that spills,
** or a cursor that is not on a valid entry: out of line, so that the
** common path stays a leaf function. */
__attribute__((noinline)) static const uint8_t *bt_payload_view_parsed(BtCursor *c, uint32_t *avail,
                                                                       uint32_t *size) {
  BtCell cell;
  *avail = *size = 0;
  if (c->state != BT_CUR_VALID || c->skip != 0) return NULL; /* moved: the caller restores it */
  {
    const uint8_t *p;
    uint32_t n;
    if (bt_local_payload(c->bt, &c->page[bt_top(c)], c->idx[bt_top(c)], &p, &n)) {
      *avail = *size = n;
      return p;
    }
  }
  if (bt_cursor_cell(c, &cell) != LODE_OK) return NULL;
  *avail = cell.local;
  *size = cell.payload;
  return c->page[bt_top(c)].data + cell.pay_off;
}

/* The length of the varint at p, which has at least eight bytes after it:
** the first byte with its high bit clear ends it, and the ninth byte when
** none of the first eight has (found in one 8-byte load, no loop). */
static inline __attribute__((always_inline)) uint32_t bt_varint_len8(const uint8_t *p) {
  uint64_t w;
  memcpy(&w, p, sizeof w);
  w = ~w & 0x8080808080808080ull;
  if (!w) return UTIL_VARINT_MAX;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  return (uint32_t)__builtin_clzll(w) / 8u + 1;
#else
  return (uint32_t)__builtin_ctzll(w) / 8u + 1;
#endif
}

/* The payload of cell i of leaf page pg when the cell lies far enough from
** the end of the page for its two leading varints to be read unchecked,
** with a payload size of one or two bytes (every payload that fits on a
** page of up to 16K: nearly every row), and the payload's own bounds hold;
** NULL for anything else, which takes the checked path. */
static inline __attribute__((always_inline)) const uint8_t *bt_leaf_local(const Btree *bt, const BtPage *pg,
                                                                          uint32_t i, uint32_t *size) {
  uint32_t off, usable = pg->usable, n;
  const uint8_t *p;
  if (!pg->leaf || i >= pg->ncell) return NULL;
  off = bt_cell_offset(pg, (int)i);
  if (off < pg->cellptr + 2u * pg->ncell || off + 2u * UTIL_VARINT_MAX > usable) return NULL;
  p = pg->data + off;
  n = p[0];
  if (n < 0x80) {
    p++;
  } else if (p[1] < 0x80) {
    n = ((n & 0x7f) << 7) | p[1];
    p += 2;
  } else {
    return NULL;
  }
  /* The rowid is not needed here, only where it ends. */
  if (pg->intkey) p += bt_varint_len8(p);
  if (n > (pg->intkey ? bt->max_local_table : bt->max_local_index) || n > (uint32_t)(pg->data + usable - p))
    return NULL;
  *size = n;
  return p;
}

/* bt_leaf_local of the cursor's cell. */
static inline __attribute__((always_inline)) const uint8_t *bt_payload_quick(const BtCursor *c, uint32_t *size) {
  if (c->state != BT_CUR_VALID || c->skip != 0) return NULL;
  return bt_leaf_local(c->bt, &c->page[bt_top(c)], (uint32_t)c->idx[bt_top(c)], size);
}

const uint8_t *btree_payload_view(BtCursor *c, uint32_t *avail, uint32_t *size) {
  uint32_t n;
  const uint8_t *p = bt_payload_quick(c, &n);
  if (p) {
    *avail = *size = n;
    return p;
  }
  return bt_payload_view_parsed(c, avail, size);
}

BtreeLocalPayload btree_payload_local(BtCursor *c) {
  BtreeLocalPayload r;
  r.size = 0;
  r.p = bt_payload_quick(c, &r.size);
  return r;
}

const uint8_t *btree_next_local(BtCursor *c, uint32_t *size) {
  if (c->state != BT_CUR_VALID || c->skip != 0) return NULL;
  int t = bt_top(c);
  uint32_t i = (uint32_t)c->idx[t] + 1;
  const uint8_t *p = bt_leaf_local(c->bt, &c->page[t], i, size);
  if (p) c->idx[t] = (int)i;
  return p;
}

/* ---- saved positions --------------------------------------------------------- */

int bt_cursor_key_copy(BtCursor *c, uint8_t **out, uint32_t *n) {
  BtCell cell;
  uint8_t *buf;
  int rc = bt_cursor_cell(c, &cell);
  *out = NULL;
  *n = 0;
  if (rc != LODE_OK) return rc;
  buf = util_malloc(cell.payload ? cell.payload : 1);
  if (!buf) return LODE_NOMEM;
  if (cell.local == cell.payload) {
    /* Wholly on the page (bt_cell_parse checked its bounds): no payload walk. */
    memcpy(buf, c->page[bt_top(c)].data + cell.pay_off, cell.payload);
    rc = LODE_OK;
  } else {
    rc = btree_payload(c, 0, cell.payload, buf);
  }
  if (rc != LODE_OK) {
    util_free(buf);
    return rc;
  }
  *out = buf;
  *n = cell.payload;
  return LODE_OK;
}

int bt_saved_key_reserve(BtCursor *c, uint32_t n) {
  if (n > c->saved_cap || !c->saved_key) {
    uint32_t cap = n > 64 ? n : 64;
    uint8_t *p = util_realloc(c->saved_key, cap);
    if (!p) return LODE_NOMEM;
    c->saved_key = p;
    c->saved_cap = cap;
  }
  return LODE_OK;
}

int bt_cursor_remember_key(BtCursor *c) {
  BtCell cell;
  int rc;
  if (c->intkey) return btree_rowid_get(c, &c->saved_rowid);
  c->saved_n = 0;
  rc = bt_cursor_cell(c, &cell);
  if (rc == LODE_OK) rc = bt_saved_key_reserve(c, cell.payload);
  if (rc != LODE_OK) return rc;
  if (cell.local == cell.payload) {
    /* Wholly on the page (bt_cell_parse checked its bounds): no payload walk. */
    memcpy(c->saved_key, c->page[bt_top(c)].data + cell.pay_off, cell.payload);
  } else if ((rc = btree_payload(c, 0, cell.payload, c->saved_key)) != LODE_OK) {
    return rc;
  }
  c->saved_n = cell.payload;
  return LODE_OK;
}

int bt_cursor_save(BtCursor *c) {
  int rc = LODE_OK;
  if (c->state == BT_CUR_VALID) {
    rc = bt_cursor_remember_key(c);
    if (rc == LODE_OK) c->state = BT_CUR_SAVED;
    else c->state = BT_CUR_INVALID;
  }
  bt_cursor_release(c);
  return rc;
}

int bt_save_cursors(Btree *bt, uint32_t root, BtCursor *except) {
  BtCursor *c;
  int rc = LODE_OK;
  for (c = bt->cursors; c; c = c->next) {
    if (c == except || (root != 0 && c->root != root)) continue;
    if (c->state == BT_CUR_VALID || c->depth > 0) {
      int r = bt_cursor_save(c);
      if (rc == LODE_OK) rc = r;
    }
  }
  return rc;
}

typedef struct BtSavedKey {
  BtCursor *c;
} BtSavedKey;

static int bt_saved_compare(void *ctx, const void *key, uint32_t n) {
  BtCursor *c = ((BtSavedKey *)ctx)->c;
  return c->rec_cmp(c->rec_ctx, key, n, c->saved_key, c->saved_n);
}

int bt_cursor_restore(BtCursor *c) {
  int rc, cmp;
  if (c->state != BT_CUR_SAVED) return LODE_OK;
  if (c->intkey) {
    rc = btree_seek_rowid(c, c->saved_rowid, &cmp);
  } else {
    BtSavedKey sk;
    if (!c->rec_cmp) {
      c->state = BT_CUR_INVALID;
      return LODE_INTERNAL;
    }
    sk.c = c;
    rc = btree_seek_key(c, bt_saved_compare, &sk, &cmp);
    c->memo_probe = 0; /* a seek for the saved key, not for the user's */
  }
  if (rc != LODE_OK) {
    c->state = BT_CUR_INVALID;
    return rc;
  }
  if (c->state == BT_CUR_EOF) bt_cursor_release(c);
  c->skip = cmp == 0 ? 0 : (cmp > 0 ? 1 : -1);
  return LODE_OK;
}
