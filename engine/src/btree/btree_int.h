/*
** btree_int.h — private declarations shared by the files of btree/.
**
** Owns the in-memory views of b-tree pages and the cursor structure.  Only
** Only the btree module includes this file; everyone else sees btree.h.
**
** B-tree page layout (SQLite 3 file format), starting at offset 100 on page 1
** and at offset 0 on every other page:
**
**   +0  1  page type: 0x02 index interior, 0x05 table interior,
**                     0x0a index leaf,     0x0d table leaf
**   +1  2  offset of the first freeblock (0 = none)
**   +3  2  number of cells
**   +5  2  start of the cell content area (0 means 65536)
**   +7  1  fragmented free bytes inside the content area
**   +8  4  right-most child page (interior pages only)
**   then a 2-byte cell offset per cell, in key order; cell contents fill the
**   page from the end of the usable area downwards.
**
** Cells:
**   table leaf:     varint payload-size, varint rowid, local payload, [4-byte overflow]
**   table interior: 4-byte left child, varint rowid (largest rowid of that child)
**   index leaf:     varint payload-size, local payload, [4-byte overflow]
**   index interior: 4-byte left child, varint payload-size, local payload, [4-byte overflow]
**
** Invariants kept by this module:
**  - Every cell this module writes occupies at least BT_MIN_CELL bytes, so
**    that any later freeblock (SQLite's or ours) fits where a cell was.
**  - A dropped cell's space becomes a freeblock, merged with its neighbours
**    (or joins the gap when it borders it), as SQLite keeps it; a page is
**    compacted when a new cell finds neither a freeblock nor room in the gap.
**  - A cursor's page stack holds one pager reference per level.
*/
#ifndef LODE_BTREE_INT_H
#define LODE_BTREE_INT_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "btree/btree.h"
#include "pager/pager.h"
#include "lode.h"
#include "util/util.h"

#define BT_PAGE_INDEX_INTERIOR 0x02
#define BT_PAGE_TABLE_INTERIOR 0x05
#define BT_PAGE_INDEX_LEAF 0x0a
#define BT_PAGE_TABLE_LEAF 0x0d
#define BT_FLAG_LEAF 0x08 /* set in both leaf page types */

#define BT_DB_HEADER_SIZE 100   /* database header in front of page 1's b-tree page */
#define BT_LEAF_HEADER_SIZE 8   /* b-tree page header of a leaf */
#define BT_INTERIOR_HEADER_SIZE 12 /* ...and of an interior page (adds the right child) */
#define BT_MIN_CELL 4           /* smallest cell footprint (a freeblock header) */
#define BT_MAX_DEPTH 20         /* deeper trees are corrupt */
#define BT_SPARE_CURSORS 8      /* closed cursors a Btree keeps for reuse (a 4-way join with its indexes opens 7) */
#define BT_MAX_FRAGMENTS 60     /* SQLite never lets fragmented bytes exceed this */
#define BT_CHILD_PTR_SIZE 4
#define BT_OVERFLOW_PTR_SIZE 4
/* Offsets inside a b-tree page header. */
#define BT_HDR_TYPE 0
#define BT_HDR_FIRST_FREEBLOCK 1
#define BT_HDR_NCELL 3
#define BT_HDR_CONTENT 5
#define BT_HDR_FRAGMENTS 7
#define BT_HDR_RIGHT_CHILD 8
/* Database header offsets the btree layer owns. */
#define BT_HDR_MAGIC 0
#define BT_HDR_PAGE_SIZE 16
#define BT_HDR_WRITE_VERSION 18
#define BT_HDR_READ_VERSION 19
#define BT_HDR_RESERVED 20
#define BT_HDR_MAX_FRACTION 21
#define BT_HDR_MIN_FRACTION 22
#define BT_HDR_LEAF_FRACTION 23
#define BT_HDR_PAGE_COUNT 28
#define BT_HDR_FREELIST_TRUNK 32
#define BT_HDR_FREELIST_COUNT 36
/* Trunk page: next trunk (4), leaf count (4), leaf page numbers. */
#define BT_TRUNK_NEXT 0
#define BT_TRUNK_COUNT 4
#define BT_TRUNK_LEAVES 8
/* SQLite writes at most usable/4 - 8 leaves per trunk so old readers cope. */
#define BT_TRUNK_SLACK 8
/* The page holding byte 2^30 is never used (SQLite's lock byte range). */
#define BT_PENDING_BYTE 0x40000000u

/* A parsed, validated view of one b-tree page, holding a pager reference. */
typedef struct BtPage {
  Btree *bt;         /* set by bt_page_get/bt_page_alloc: writes are noted for the pointer map */
  DbPage *db;
  uint8_t *data;
  uint32_t pgno;
  uint8_t type;
  uint8_t leaf;
  uint8_t intkey;
  uint16_t hdr;      /* offset of the b-tree page header: 100 on page 1 */
  uint16_t cellptr;  /* offset of the cell pointer array */
  uint16_t ncell;
  uint32_t usable;   /* usable bytes of the page (for bounds checks) */
} BtPage;

/* The free bytes of a b-tree page outside the gap (freeblocks plus fragment
** bytes), remembered beside the page in the cache (DbPage.extra, after the
** pointer map's mark) so that an insert or delete need not walk the
** freeblock list each time, as SQLite keeps nFree in its MemPage.  It holds
** only while the page header's first eight bytes (type, first freeblock,
** cell count, content start, fragment bytes) read as they did when it was
** stored, so that checking it is one 8-byte comparison: every change to the
** freeblocks goes through btree_page.c, which stores a new memo, and the
** pager zeroes DbPage.extra whenever it replaces a page's bytes (reload,
** savepoint rollback); whole-page copies clear it.  It is stored only for a
** page with a freeblock (without one the header alone gives the sum), so a
** zeroed memo, whose first freeblock reads 0, matches no page that asks. */
typedef struct BtFreeMemo {
  uint64_t head; /* header bytes 0..7 the sum was taken for */
  uint32_t sum;  /* freeblock bytes + fragment bytes */
} BtFreeMemo;
#define BT_FREE_MEMO_AT 16 /* byte offset in DbPage.extra */
_Static_assert(BT_FREE_MEMO_AT + sizeof(BtFreeMemo) <= PAGER_EXTRA_SIZE, "free memo fits DbPage.extra");
static inline void bt_free_memo_clear(DbPage *db) { memset((uint8_t *)db->extra + BT_FREE_MEMO_AT, 0, sizeof(BtFreeMemo)); }
/* The memo's sum when pg's header reads as it did when it was stored: 1,
** else 0 (walk the freeblocks). */
static inline int bt_free_memo_get(const DbPage *db, const uint8_t *head, uint32_t *sum) {
  const uint8_t *m = (const uint8_t *)db->extra + BT_FREE_MEMO_AT;
  uint64_t want, now;
  memcpy(&want, m + offsetof(BtFreeMemo, head), sizeof want);
  memcpy(&now, head, sizeof now);
  if (want != now) return 0;
  memcpy(sum, m + offsetof(BtFreeMemo, sum), sizeof *sum);
  return 1;
}

/* What bt_page_init derives from a page (its header's place and type, the
** cell pointer array, the cell count), remembered beside the page in the
** cache (DbPage.extra, after the free memo) with the inputs it was derived
** from: the page number, the usable size and the header's first eight bytes,
** which hold every field the parse reads.  The result is a function of
** those inputs, so a memo whose inputs match the page as it reads now is
** right without any invalidation, and a descent that meets the page again
** skips the parse; a zeroed memo (page 0) matches no page.  fields is a copy
** of BtPage's bytes from pgno to usable, which are those inputs and results,
** so that storing and using the memo are a few moves. */
#define BT_HEAD_FIELDS (offsetof(BtPage, usable) + sizeof(uint32_t) - offsetof(BtPage, pgno))
typedef struct BtHeadMemo {
  uint64_t head; /* header bytes 0..7 as read when validated */
  uint8_t fields[BT_HEAD_FIELDS];
} BtHeadMemo;
#define BT_HEAD_MEMO_AT 32 /* byte offset in DbPage.extra */
_Static_assert(offsetof(BtPage, pgno) < offsetof(BtPage, type) && offsetof(BtPage, type) < offsetof(BtPage, leaf) &&
                   offsetof(BtPage, leaf) < offsetof(BtPage, intkey) &&
                   offsetof(BtPage, intkey) < offsetof(BtPage, hdr) &&
                   offsetof(BtPage, hdr) < offsetof(BtPage, cellptr) &&
                   offsetof(BtPage, cellptr) < offsetof(BtPage, ncell) &&
                   offsetof(BtPage, ncell) < offsetof(BtPage, usable),
               "BtPage's parsed fields lie between pgno and usable");
_Static_assert(BT_FREE_MEMO_AT + sizeof(BtFreeMemo) <= BT_HEAD_MEMO_AT, "the memos do not overlap");
_Static_assert(BT_HEAD_MEMO_AT + sizeof(BtHeadMemo) <= PAGER_EXTRA_SIZE, "head memo fits DbPage.extra");

/* Remembers pg's parsed fields for its header as it reads now: after
** bt_page_init, and after a change to the page that leaves its fields right
** for its new header (a cell inserted). */
static inline void bt_head_memo_store(const BtPage *pg) {
  uint8_t *memo = (uint8_t *)pg->db->extra + BT_HEAD_MEMO_AT;
  memcpy(memo, pg->data + pg->hdr, sizeof(uint64_t));
  memcpy(memo + offsetof(BtHeadMemo, fields), &pg->pgno, BT_HEAD_FIELDS);
}

/* A cell pointer is valid if it lies past the pointer array and leaves room
** for a minimal cell before the end of the usable area.  Pointers are
** checked when used, not when the page is loaded, to keep seeks cheap. */
static inline int bt_cell_ptr_ok(const BtPage *pg, uint32_t off) {
  return off >= pg->cellptr + 2u * pg->ncell && off + BT_MIN_CELL <= pg->usable;
}

/* util_varint_get_bounded with the one- and two-byte cases inline: almost
** every payload size and rowid on a page is that short. */
static inline int bt_varint(const uint8_t *p, const uint8_t *end, uint64_t *v) {
  if (p < end && p[0] < 0x80) {
    *v = p[0];
    return 1;
  }
  if (end - p >= 2 && p[1] < 0x80) {
    *v = ((uint64_t)(p[0] & 0x7f) << 7) | p[1];
    return 2;
  }
  if (end - p >= 3 && p[2] < 0x80) { /* rowids up to 2M: every seek's probes */
    *v = ((uint64_t)(p[0] & 0x7f) << 14) | ((uint64_t)(p[1] & 0x7f) << 7) | p[2];
    return 3;
  }
  return util_varint_get_bounded(p, end, v);
}

/* util_varint_put with the values below 2^21 written inline: every cell's
** payload size and nearly every rowid. */
static inline int bt_varint_put(uint8_t *p, uint64_t v) {
  if (v < 0x80) {
    p[0] = (uint8_t)v;
    return 1;
  }
  if (v < 0x4000) {
    p[0] = (uint8_t)(0x80 | (v >> 7));
    p[1] = (uint8_t)(v & 0x7f);
    return 2;
  }
  if (v < 0x200000) {
    p[0] = (uint8_t)(0x80 | (v >> 14));
    p[1] = (uint8_t)(0x80 | ((v >> 7) & 0x7f));
    p[2] = (uint8_t)(v & 0x7f);
    return 3;
  }
  return util_varint_put(p, v);
}

/* The bytes bt_varint_put writes for v. */
static inline int bt_varint_len(uint64_t v) {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : util_varint_len(v);
}

/* Copies a cell of n >= BT_MIN_CELL bytes between buffers that do not
** overlap.  Cells are mostly a few dozen bytes, for which a call to memcpy
** costs more than the copy: up to 32 bytes, two pairs of fixed-size moves
** (overlapping in the middle) cover n exactly. */
static inline void bt_cell_copy(uint8_t *d, const uint8_t *s, uint32_t n) {
  assert(n >= BT_MIN_CELL);
  if (n <= 8) {
    uint32_t a, b;
    memcpy(&a, s, 4);
    memcpy(&b, s + n - 4, 4);
    memcpy(d, &a, 4);
    memcpy(d + n - 4, &b, 4);
  } else if (n <= 16) {
    uint64_t a, b;
    memcpy(&a, s, 8);
    memcpy(&b, s + n - 8, 8);
    memcpy(d, &a, 8);
    memcpy(d + n - 8, &b, 8);
  } else if (n <= 32) {
    uint64_t a, b, c, e;
    memcpy(&a, s, 8);
    memcpy(&b, s + 8, 8);
    memcpy(&c, s + n - 16, 8);
    memcpy(&e, s + n - 8, 8);
    memcpy(d, &a, 8);
    memcpy(d + 8, &b, 8);
    memcpy(d + n - 16, &c, 8);
    memcpy(d + n - 8, &e, 8);
  } else {
    memcpy(d, s, n);
  }
}

/* A parsed cell.  For table interior cells only child and key are set. */
typedef struct BtCell {
  uint32_t child;    /* left child (interior), else 0 */
  int64_t key;       /* rowid (table cells) */
  uint32_t payload;  /* total payload bytes */
  uint32_t local;    /* bytes of payload stored on the page */
  uint32_t ovfl;     /* first overflow page, 0 if none */
  uint16_t offset;   /* cell start within the page */
  uint16_t size;     /* bytes the cell occupies on the page (>= BT_MIN_CELL) */
  uint16_t pay_off;  /* offset of the local payload within the page */
} BtCell;

/* An owned copy of a page's would-be content (cells + right child), used by
** balance when the content does not fit a single page. */
typedef struct BtCellRef {
  uint8_t *p;
  uint16_t n;    /* bytes the cell occupies; 0 until sized (bt_image_cell_size) */
  uint16_t room; /* bytes from p to the end of the page it was taken from (bounds for sizing) */
} BtCellRef;

typedef struct BtImage {
  uint8_t type;
  uint32_t right; /* right child for interior pages */
  BtCellRef *cells;
  int ncell;
  int cap;
  /* Owned byte blocks that the cells point into (bump allocated).  Cells
  ** taken from a page point into one copy of that page's content area
  ** (a memcpy per page, not per cell); cells added by value are copied
  ** one by one; bt_image_add_refs cells point into another image. */
  uint8_t **blocks;
  int nblock;
  uint8_t *cur;        /* next free byte of the last block */
  uint32_t block_left; /* free bytes at the end of the last block */
  const uint8_t *snap_src; /* page buffer last copied (bt_image_add_page), NULL if none */
  uint8_t *snap_copy;      /* the copy of its bytes [snap_from, usable) */
  uint32_t snap_from;
} BtImage;

#define BT_CUR_INVALID 0 /* not positioned */
#define BT_CUR_VALID 1
#define BT_CUR_EOF 2
#define BT_CUR_SAVED 3 /* position saved as a key; re-seek before use */

struct BtCursor {
  Btree *bt;
  BtCursor *next; /* in bt's list of cursors */
  uint32_t root;
  int writable;
  int no_root;  /* read cursor on sqlite_schema of a database with no pages yet: always empty */
  int intkey;
  int state;
  int skip;       /* +1: next() stays put once; -1: prev() stays put once */
  int pinned;     /* btree_cursor_pin: no other cursor may write this b-tree */
  /* Another cursor of this Btree on the same root was open when this one or
  ** that one opened (never cleared while open, as SQLite's BTCF_Multiple):
  ** only then must a write through this cursor save the others first. */
  int shared;
  int depth;      /* levels in the stack; the current page is depth-1 */
  /* During a seek's descent only (0 otherwise): levels [depth, held) still
  ** reference the pages the previous descent left there, for the descent to
  ** take over when it passes the same page again (bt_seek_child) instead
  ** of giving each back and fetching it anew; the seek gives back the rest. */
  int held;
  /* The last btree_seek_rowid or btree_seek_key that ended on a leaf, or
  ** the last index insert that fitted its leaf (as if a seek had ended just
  ** past the new entry): its rowid (tables), result and leaf position.  An
  ** insert right after a seek for the same key (a uniqueness probe) skips
  ** its own descent, as SQLite's insert reuses the probe's seek result, and
  ** so does an index insert of the next key of an ascending run.  Valid while the cursor holds its stack and
  ** nothing wrote this b-tree: a write through another cursor saves this
  ** one (releasing the stack clears memo_on), a write through this one
  ** clears it. */
  int memo_on;
  /* The memo came from a btree_seek_key of the cursor's user (not from an
  ** insert's run or the restore of a saved position): a probed insert
  ** may trust it without comparing the key's neighbours. */
  int memo_probe;
  int memo_cmp;
  int memo_idx;
  uint32_t memo_pgno;
  int64_t memo_rowid;
  /* Rowid seeks in a row whose search of the cursor's own leaf first
  ** (bt_seek_rowid_on_leaf) missed, up to BT_LEAF_MISSES_MAX: rows fetched
  ** in random order through an index miss every time, and past that count
  ** only one seek in BT_LEAF_RETRY tries the leaf first (leaf_skips counts
  ** them), so that a run of nearby rows later is still noticed. */
  unsigned leaf_misses;
  unsigned leaf_skips;
  BtPage page[BT_MAX_DEPTH];
  int idx[BT_MAX_DEPTH]; /* cell index per level (child index on interior levels) */
  /* The key the last btree_seek_key handed cmp_fn for the entry it ended on
  ** (memo_cmp > 0), read in place on the leaf, or NULL: set by every
  ** btree_seek_key and read only while memo_on, right after it
  ** (btree_seek_landed), so the cursor's allocation need not clear it. */
  const uint8_t *memo_key;
  /* The buffer of the saved index key (saved_cap bytes): kept while the
  ** cursor waits among the spares, so that statements that delete a row
  ** each do not allocate it every time. */
  uint8_t *saved_key;
  uint32_t saved_cap;
  /* Saved position (state BT_CUR_SAVED).  bt_cursor_alloc zeroes what comes
  ** before page[] and from here on: keep the stack and the buffer above
  ** between the two. */
  int64_t saved_rowid;
  uint32_t saved_n; /* bytes of saved_key that hold the key */
  int saved_skip; /* how to resolve a not-found re-seek: 1 after a delete */
  BtreeRecordCompare rec_cmp;
  void *rec_ctx;
  uint8_t *key_buf; /* scratch for assembling overflowing index keys */
  uint32_t key_cap;
};

#define BT_BAL_KEEP 4

struct Btree {
  Pager *pager;
  int owns_pager; /* btree_open_temp: closing the Btree closes its memory pager */
  uint32_t page_size;
  uint32_t usable;
  uint32_t max_local_index; /* bt_max_local(bt, 0) and bt_max_local(bt, 1), kept */
  uint32_t max_local_table; /* beside usable for cell parsing */
  BtCursor *cursors;
  /* Closed cursors kept for the next open (linked by next, at most
  ** BT_SPARE_CURSORS): a statement opens and closes its cursors at every
  ** execution, and a BtCursor is too big for malloc's fast bins. */
  BtCursor *spare;
  int nspare;
  int npinned; /* cursors pinned (btree_cursor_pin) */
  uint8_t *scratch; /* page_size bytes for compaction: bt_scratch makes it on first use */
  uint32_t scratch_size;
  uint8_t *cell_buf; /* reused cell buffer of btree_insert/btree_insert_key (no malloc per row) */
  uint32_t cell_buf_size;
  int cell_buf_busy; /* a nested insert (if any) falls back to its own allocation */
  uint32_t *prefix; /* balance: running byte totals of the gathered cells (reused) */
  uint32_t prefix_cap;
  /* Leaf balance (reused from one to the next): a copy of each sibling from
  ** its pointer array on, then the dividers and the new cell; the gathered
  ** cells' references (set only for the cells that are not a sibling's) and
  ** their sizes (0 until sized). */
  uint8_t *snap;
  uint32_t snap_size;
  BtCellRef *leaf_cells;
  uint16_t *leaf_sizes;
  uint32_t leaf_cap;
  /* Balance states (btree_write.c's BtBalance) kept for the next balance:
  ** an index filled in random order splits a leaf every ~15 inserts, and a
  ** calloc of the state each time showed in profiles.  A balance that
  ** balances its parent in turn takes a second one while the first is live. */
  void *bal_keep[BT_BAL_KEEP];
  int nbal_keep;
  /* Root of the table whose last rowid seek went past the end of a leaf
  ** (0: none): rowids inserted in increasing order make every seek do so,
  ** and btree_seek_rowid then tries the last cell of each page first
  ** instead of a binary search.  Only a hint; a miss clears it. */
  uint32_t append_root;
  /* Auto-vacuum (btree_ptrmap.c): the mode of the open write transaction's
  ** database (BTREE_AUTOVACUUM_*, from header fields 52/64), the mode asked
  ** for a database that has no page yet, and the pages written in this
  ** transaction whose children's pointer-map entries are brought up to date
  ** before commit (a page's DbPage.extra holds av_stamp and its pgno once
  ** listed, so each is listed once). */
  int autovac;
  int autovac_request; /* -1: never asked */
  uint32_t av_stamp;
  uint32_t *av_dirty;
  uint32_t av_ndirty, av_cap;
  uint32_t av_done; /* av_dirty[0..av_done) handled by the last flush */
  int av_oom; /* a page could not be listed: the flush fails */
  int fresh;  /* this write transaction made page 1 and wrote nothing else yet */
  const BtreeLog *log; /* btree_set_log */
  void *log_ctx;
  /* PRAGMA data_version (btree_data_version): the snapshot tag last seen
  ** and the count of changes by others seen so far. */
  uint64_t dv_tag;
  uint32_t data_version;
  /* SQLITE_FCNTL_DATA_VERSION (btree_file_version): the same for every
  ** change, this connection's commits included. */
  uint64_t fv_tag;
  uint32_t file_version;
  /* The schema cookie (header field 40) as last read from page 1, and the
  ** pager's header generation it was read at: every statement checks the
  ** cookie, and while the generation stays the same page 1's bytes do too
  ** (pager_header_gen changes with every write of page 1, rollback and
  ** snapshot change), so the check needs no page fetch.  0: never read. */
  uint64_t cookie_gen;
  uint32_t cookie;
};

/* The change log's hooks (btree_set_log): LODE_OK without a log. */
static inline int bt_log_other(Btree *bt, int op, uint32_t arg, uint32_t value) {
  return bt->log ? bt->log->other(bt->log_ctx, op, arg, value) : LODE_OK;
}

static inline uint32_t bt_pending_page(const Btree *bt) { return BT_PENDING_BYTE / bt->page_size + 1; }

/* btree.c */
int bt_refresh_sizes(Btree *bt);

/* btree_ptrmap.c: pointer-map entry types (SQLite's numbers). */
#define BT_PTRMAP_ROOTPAGE 1
#define BT_PTRMAP_FREEPAGE 2
#define BT_PTRMAP_OVERFLOW1 3
#define BT_PTRMAP_OVERFLOW2 4
#define BT_PTRMAP_BTREE 5
void bt_sort_pgnos(uint32_t *v, uint32_t n);
int bt_is_ptrmap_page(const Btree *bt, uint32_t pgno);
int bt_ptrmap_get(Btree *bt, uint32_t pgno, uint8_t *type, uint32_t *parent);
int bt_ptrmap_put(Btree *bt, uint32_t pgno, uint8_t type, uint32_t parent); /* no-op unless auto-vacuum */
void bt_ptrmap_note(Btree *bt, DbPage *db);
int bt_ptrmap_flush(Btree *bt);
void bt_ptrmap_undone(Btree *bt); /* a savepoint rolled back: the next flush redoes every listed page */
void bt_ptrmap_reset(Btree *bt);
int bt_autovac_create(Btree *bt, uint8_t type, uint32_t *root_out);
int bt_autovac_drop(Btree *bt, uint32_t root, uint32_t *moved);
int bt_autovac_commit(Btree *bt);

/* btree_page.c */
int bt_page_get(Btree *bt, uint32_t pgno, BtPage *out);
void bt_page_release(BtPage *pg);
/* The Btree's page-sized scratch buffer, made on first use (a connection
** that never compacts or rebalances a page never allocates it); NULL on oom. */
uint8_t *bt_scratch(Btree *bt);
int bt_page_init(Btree *bt, BtPage *pg); /* parse and validate pg->data */
/* pg, referenced since an earlier bt_page_get, parsed again as its page
** reads now (a fetch without the cache lookup); on failure the caller
** releases it. */
int bt_page_recheck(Btree *bt, BtPage *pg);
int bt_page_write(BtPage *pg);
void bt_page_format(Btree *bt, BtPage *pg, uint8_t type);
static inline uint16_t bt_cell_offset(const BtPage *pg, int i) {
  assert(i >= 0 && i < pg->ncell);
  return util_get2(pg->data + pg->cellptr + 2 * i);
}
int bt_cell_parse(Btree *bt, const BtPage *pg, int i, BtCell *cell);
int bt_cell_parse_at(Btree *bt, const BtPage *pg, uint32_t off, BtCell *cell);
/* Child i (i == ncell: the right child); 0 (never a valid page) for a cell
** pointer outside the page.  Inline: every level of a descent reads one. */
static inline uint32_t bt_child(const BtPage *pg, int i) {
  uint32_t off;
  assert(!pg->leaf && i >= 0 && i <= pg->ncell);
  if (i == pg->ncell) return util_get4(pg->data + pg->hdr + BT_HDR_RIGHT_CHILD);
  off = bt_cell_offset(pg, i);
  return bt_cell_ptr_ok(pg, off) ? util_get4(pg->data + off) : 0;
}
int bt_page_free_space(Btree *bt, const BtPage *pg, int *free_bytes);
/* cell (not inside pg) goes in at index i if it fits (LODE_OK), else LODE_FULL. */
int bt_page_insert_cell(Btree *bt, BtPage *pg, int i, const uint8_t *cell, uint16_t n);
/* bt_page_insert_cell without the copy: the room for a cell of n bytes at
** index i is taken (pointer, header and free-space memo written) and *at is
** its offset, for the caller to write the cell's bytes there before the page
** is read again; LODE_FULL, nothing changed, when it does not fit. */
int bt_page_cell_room(Btree *bt, BtPage *pg, int i, uint16_t n, uint32_t *at);
/* btree_write.c: a leaf cell appended after the last entry of c's tree (caller keeps the order) */
int bt_append_cell(BtCursor *c, const uint8_t *cell, uint16_t len);
int bt_page_drop_cell(Btree *bt, BtPage *pg, int i, uint16_t size);
/* bt_page_drop_cell for a caller that knows the page's free bytes before the
** drop (bt_page_free_space; -1: not known, the free-space memo is dropped). */
int bt_page_drop_cell_known(Btree *bt, BtPage *pg, int i, uint16_t size, int free_before);
/* Defragments pg so that its gap holds at least need bytes (all its free
** bytes when it has to rewrite the cells). */
int bt_page_compact(Btree *bt, BtPage *pg, uint32_t need);
/* Gives [off, off + size) of pg back as free space (freeblock list or gap);
** the cell pointer array and ncell are the caller's to update. */
int bt_free_range(Btree *bt, BtPage *pg, uint32_t off, uint32_t size);
/* Remembers sum (freeblock + fragment bytes) for pg's current header. */
void bt_free_memo_store(const BtPage *pg, uint32_t sum);
/* Where n bytes go in pg's freeblock list (first fit), or 0; the header's
** fragment count absorbs a remainder too small for a freeblock. */
uint32_t bt_take_freeblock(Btree *bt, BtPage *pg, uint32_t n);
int bt_image_fits(Btree *bt, const BtImage *img, uint16_t hdr);
void bt_image_assemble(Btree *bt, BtPage *pg, const BtImage *img);
uint32_t bt_max_local(Btree *bt, int intkey_leaf);
uint32_t bt_local_size_spill(Btree *bt, int intkey_leaf, uint32_t payload);
/* Payload bytes stored on the page itself (the rest goes to overflow pages). */
static inline uint32_t bt_local_size(Btree *bt, int intkey_leaf, uint32_t payload) {
  if (payload <= (intkey_leaf ? bt->max_local_table : bt->max_local_index)) return payload;
  return bt_local_size_spill(bt, intkey_leaf, payload);
}

int bt_cell_span_slow(Btree *bt, uint8_t type, const uint8_t *p, uint32_t room, uint16_t *size);
/* The bytes a cell at p occupies (room: bytes from p to the end of the
** page), with the bounds checks of bt_cell_parse but none of its other
** fields.  The usual leaf cells, an index entry or a table row with a short
** payload wholly on the page, are sized here without the call; compaction
** and balance size every cell they move. */
static inline int bt_cell_span_bytes(Btree *bt, uint8_t type, const uint8_t *p, uint32_t room, uint16_t *size) {
  uint32_t n;
  if (type == BT_PAGE_TABLE_INTERIOR) {
    /* A child pointer and a rowid: the varint's length is all that is needed, not its value (large rowids, as
    ** an FTS5 %_data's, take 6 bytes and more). */
    uint32_t k = BT_CHILD_PTR_SIZE;
    while (k < room && k < BT_CHILD_PTR_SIZE + UTIL_VARINT_MAX - 1 && p[k] >= 0x80) k++;
    if (k >= room) return LODE_CORRUPT;
    /* A ninth byte is whole: it ends the varint whatever its top bit. */
    n = k + 1;
    if (n < BT_MIN_CELL) n = BT_MIN_CELL;
    if (n > room) return LODE_CORRUPT;
    *size = (uint16_t)n;
    return LODE_OK;
  }
  if (room >= 2 && p[0] < 0x80) {
    if (type == BT_PAGE_INDEX_LEAF && p[0] <= bt->max_local_index) {
      n = 1u + p[0];
    } else if (type == BT_PAGE_TABLE_LEAF && p[0] <= bt->max_local_table) {
      uint32_t k = 1; /* the rowid's varint is p[1..k] */
      while (k < room && k < UTIL_VARINT_MAX - 1 && p[k] >= 0x80) k++;
      if (k >= room || p[k] >= 0x80) return bt_cell_span_slow(bt, type, p, room, size);
      n = 1u + k + p[0];
    } else {
      return bt_cell_span_slow(bt, type, p, room, size);
    }
    if (n < BT_MIN_CELL) n = BT_MIN_CELL;
    if (n > room) return LODE_CORRUPT;
    *size = (uint16_t)n;
    return LODE_OK;
  }
  return bt_cell_span_slow(bt, type, p, room, size);
}

/* Leaf cell i of pg when its payload is wholly on the page (no overflow
** chain: the usual cell), sized into *size with the bounds bt_cell_parse
** checks (*rc: LODE_OK or LODE_CORRUPT): returns 1.  Returns 0 for any other
** cell, a bad cell pointer included, which bt_cell_parse then parses (or
** reports).  For a leaf delete, which needs the cell's size alone. */
static inline int bt_leaf_cell_local_size(Btree *bt, const BtPage *pg, int i, uint16_t *size, int *rc) {
  uint32_t off;
  const uint8_t *p;
  assert(pg->leaf);
  if (i < 0 || i >= pg->ncell || !bt_cell_ptr_ok(pg, off = bt_cell_offset(pg, i))) return 0;
  p = pg->data + off;
  if (p[0] >= 0x80 || p[0] > (pg->intkey ? bt->max_local_table : bt->max_local_index)) return 0;
  *rc = bt_cell_span_bytes(bt, pg->type, p, pg->usable - off, size);
  return 1;
}

void bt_image_init(BtImage *img, uint8_t type);
void bt_image_free(BtImage *img);
int bt_image_add(BtImage *img, const uint8_t *p, uint16_t n); /* copies */
/* Adds the cells of from by reference: from must outlive img. */
int bt_image_add_refs(BtImage *img, const BtImage *from);
/* Adds cells [from, to) of pg.  The page's bytes are copied once per image
** and page: pg must not change between two calls for the same page. */
int bt_image_add_page(Btree *bt, BtImage *img, const BtPage *pg, int from, int to);
/* The size of cell i of img, sized now when its n is 0 (a reference made
** without sizing, so that balance sizes only the cells that move). */
static inline int bt_image_cell_size(Btree *bt, BtImage *img, int i, uint16_t *size) {
  BtCellRef *r = &img->cells[i];
  if (r->n == 0) {
    int rc = bt_cell_span_bytes(bt, img->type, r->p, r->room, &r->n);
    if (rc != LODE_OK) return rc;
  }
  *size = r->n;
  return LODE_OK;
}
/* Adds n cells left unset, for the caller to fill in. */
int bt_image_add_blank(BtImage *img, int n);

/* btree_free.c */
int bt_page_alloc(Btree *bt, BtPage *out, uint8_t type);
int bt_page_free(Btree *bt, uint32_t pgno);
int bt_overflow_write(Btree *bt, const uint8_t *data, uint32_t n, uint32_t *first);
int bt_overflow_free(Btree *bt, uint32_t first, uint32_t payload, uint32_t local);
int bt_freelist_pages(Btree *bt, uint32_t **out, uint32_t *n_out);
int bt_freelist_remove(Btree *bt, uint32_t pgno);
int bt_freelist_clear(Btree *bt);
/* Reads n bytes at payload offset offset (past the local part) of the chain
** from first into buf; before: how many bytes of the caller's buffer come
** right before buf (the read borrows 4 of them for a moment, then puts them
** back). */
int bt_overflow_read(Btree *bt, uint32_t first, uint32_t local, uint32_t payload, uint32_t offset, uint32_t n,
                     uint8_t *buf, uint32_t before);
/* The same bytes overwritten in place (write transaction). */
int bt_overflow_put(Btree *bt, uint32_t first, uint32_t local, uint32_t payload, uint32_t offset, uint32_t n,
                    const uint8_t *buf);

/* btree_cursor.c */
int bt_cursor_restore(BtCursor *c);
/* Whether the cursor still stands where its last btree_seek_rowid(rowid)
** left it, with nothing written since; *cmp is that seek's result.  Inline:
** every rowid seek asks it first. */
static inline int bt_seek_memo(const BtCursor *c, int64_t rowid, int *cmp) {
  const BtPage *pg;
  if (!c->memo_on || c->state != BT_CUR_VALID || c->skip != 0 || c->depth == 0) return 0;
  pg = &c->page[c->depth - 1];
  if (c->memo_rowid != rowid || c->memo_pgno != pg->pgno || c->memo_idx != c->idx[c->depth - 1] || !pg->leaf)
    return 0;
  *cmp = c->memo_cmp;
  return 1;
}
/* Where an index key goes if the cursor's last btree_seek_key (typically a
** uniqueness probe for the same key) left it on a leaf with nothing
** written since and the key sorts strictly between the two entries of
** that leaf around the seek's position: 1 and *pos, else 0 (descend). */
int bt_key_memo(BtCursor *c, BtreeKeyCompare cmp_fn, void *ctx, int *pos);
void bt_cursor_release(BtCursor *c);
/* Copies the current entry's key (rowid or index record) into the saved
** position fields, without changing the cursor's state. */
int bt_cursor_remember_key(BtCursor *c);
/* Makes saved_key hold at least n bytes (its content is not kept). */
int bt_saved_key_reserve(BtCursor *c, uint32_t n);
int bt_cursor_save(BtCursor *c);
int bt_save_cursors(Btree *bt, uint32_t root, BtCursor *except);
/* Before a write through c: the other cursors on its b-tree saved. */
static inline int bt_save_others(BtCursor *c) { return c->shared ? bt_save_cursors(c->bt, c->root, c) : LODE_OK; }
int bt_move_to_root(BtCursor *c);
/* bt_move_to_root for a seek: the levels below the root stay held (see
** BtCursor.held) until bt_drop_held. */
int bt_move_to_root_keep(BtCursor *c);
void bt_drop_held(BtCursor *c);
int bt_move_to_child(BtCursor *c, uint32_t pgno); /* LODE_CORRUPT for a child without cells */
/* bt_move_to_child for a delete that just emptied a leaf and finds it again
** before removing it: the one descent that may meet a page without cells. */
int bt_move_to_emptied_child(BtCursor *c, uint32_t pgno);
int bt_descend_rightmost(BtCursor *c);
int bt_cursor_cell(BtCursor *c, BtCell *cell);
/* Points *key at the whole payload of an index cell of pg (assembled in the
** cursor's key buffer when it overflows). */
int bt_cell_key(BtCursor *c, const BtPage *pg, const BtCell *cell, const uint8_t **key);
int bt_cursor_key_copy(BtCursor *c, uint8_t **out, uint32_t *n);

/* btree_write.c */
int bt_balance(BtCursor *c, int level, BtImage *img, int append);

#endif /* LODE_BTREE_INT_H */
