/*
** btree_page.c — one b-tree page: header parsing and validation, cell
** parsing, the cell pointer array, free space accounting, compaction, and
** BtImage (an owned, possibly over-full copy of a page's cells).
**
** Page layout and cell formats: see btree_int.h.  Payload thresholds (U =
** usable size, P = payload size):
**   table leaf  X = U-35;  index (leaf and interior)  X = ((U-12)*64/255)-23
**   M = ((U-12)*32/255)-23;  K = M + ((P-M) % (U-4))
**   local = P if P <= X, else K if K <= X, else M; the rest goes to overflow
**   pages (4-byte next page number, then U-4 content bytes).
**
** Invariants: bt_page_init accepts a page only if its header, cell pointer
** array and content start lie inside the usable area; bt_cell_parse accepts
** a cell only if it lies wholly inside the usable area.  Nothing here reads
** outside [0, usable) of a page.
*/
#include "btree/btree_int.h"

#define BT_IMAGE_BLOCK 16384 /* bump-allocation block for image cells */
#define BT_MAX_PAYLOAD 0x7fffffffu

static int bt_type_valid(uint8_t t) {
  return t == BT_PAGE_INDEX_INTERIOR || t == BT_PAGE_TABLE_INTERIOR || t == BT_PAGE_INDEX_LEAF ||
         t == BT_PAGE_TABLE_LEAF;
}

static uint16_t bt_header_size(int leaf) { return leaf ? BT_LEAF_HEADER_SIZE : BT_INTERIOR_HEADER_SIZE; }

static uint32_t bt_content_start(const BtPage *pg) {
  uint32_t v = util_get2(pg->data + pg->hdr + BT_HDR_CONTENT);
  return v == 0 ? 65536u : v;
}

static void bt_set_content_start(BtPage *pg, uint32_t v) {
  util_put2(pg->data + pg->hdr + BT_HDR_CONTENT, v == 65536u ? 0 : v);
}

uint32_t bt_max_local(Btree *bt, int intkey_leaf) {
  uint32_t u = bt->usable;
  return intkey_leaf ? u - 35 : ((u - 12) * 64 / 255) - 23;
}

uint32_t bt_local_size_spill(Btree *bt, int intkey_leaf, uint32_t payload) {
  uint32_t u = bt->usable;
  uint32_t x = bt_max_local(bt, intkey_leaf);
  uint32_t m = ((u - 12) * 32 / 255) - 23;
  uint32_t k;
  if (payload <= x) return payload;
  k = m + ((payload - m) % (u - 4));
  return k <= x ? k : m;
}

/* Fills pg's parsed fields from the head memo when its inputs match the page
** as it reads now: 1, else 0 for the full parse. */
static inline int bt_head_memo_use(Btree *bt, BtPage *pg) {
  const uint8_t *memo = (const uint8_t *)pg->db->extra + BT_HEAD_MEMO_AT;
  const uint8_t *f = memo + offsetof(BtHeadMemo, fields);
  uint32_t pgno, usable;
  uint16_t hdr;
  uint64_t head, want;
  memcpy(&pgno, f, sizeof pgno);
  memcpy(&usable, f + (offsetof(BtPage, usable) - offsetof(BtPage, pgno)), sizeof usable);
  if (pgno != pg->pgno || usable != bt->usable) return 0;
  memcpy(&hdr, f + (offsetof(BtPage, hdr) - offsetof(BtPage, pgno)), sizeof hdr);
  memcpy(&head, pg->data + hdr, sizeof head);
  memcpy(&want, memo, sizeof want);
  if (head != want) return 0;
  memcpy(&pg->pgno, f, BT_HEAD_FIELDS);
  return 1;
}


int bt_page_init(Btree *bt, BtPage *pg) {
  const uint8_t *h;
  uint32_t ptr_end, content;
  pg->hdr = pg->pgno == 1 ? BT_DB_HEADER_SIZE : 0;
  h = pg->data + pg->hdr;
  pg->type = h[BT_HDR_TYPE];
  if (!bt_type_valid(pg->type)) return LODE_CORRUPT;
  pg->leaf = (pg->type & BT_FLAG_LEAF) != 0;
  pg->intkey = pg->type == BT_PAGE_TABLE_LEAF || pg->type == BT_PAGE_TABLE_INTERIOR;
  pg->cellptr = (uint16_t)(pg->hdr + bt_header_size(pg->leaf));
  pg->ncell = util_get2(h + BT_HDR_NCELL);
  ptr_end = pg->cellptr + 2u * pg->ncell;
  content = bt_content_start(pg);
  if (ptr_end > bt->usable || content > bt->usable) return LODE_CORRUPT;
  if (pg->ncell > 0 && content < ptr_end) return LODE_CORRUPT;
  pg->usable = bt->usable;
  assert(pg->db && pg->data == pg->db->data);
  bt_head_memo_store(pg);
  return LODE_OK;
}

int bt_page_get(Btree *bt, uint32_t pgno, BtPage *out) {
  int rc;
  /* Every other field is set by bt_page_init. */
  out->bt = bt;
  out->db = NULL;
  out->data = NULL;
  out->pgno = pgno;
  out->ncell = 0;
  if (pgno == 0 || pgno > pager_page_count(bt->pager)) return LODE_CORRUPT;
  rc = pager_get(bt->pager, pgno, &out->db);
  if (rc != LODE_OK) return rc;
  out->data = out->db->data;
  if (bt_head_memo_use(bt, out)) return LODE_OK;
  rc = bt_page_init(bt, out);
  if (rc != LODE_OK) bt_page_release(out);
  return rc;
}

int bt_page_recheck(Btree *bt, BtPage *pg) {
  if (pg->pgno > pager_page_count(bt->pager)) return LODE_CORRUPT;
  pg->data = pg->db->data; /* a write may have given the page a new buffer */
  if (bt_head_memo_use(bt, pg)) return LODE_OK;
  return bt_page_init(bt, pg);
}

void bt_page_release(BtPage *pg) {
  if (pg->db) pager_unref(pg->db);
  pg->db = NULL;
  pg->data = NULL;
}

int bt_page_write(BtPage *pg) {
  int rc = pager_write(pg->db);
  pg->data = pg->db->data; /* the pager may hand out a new buffer */
  if (rc == LODE_OK && pg->bt && pg->bt->autovac) bt_ptrmap_note(pg->bt, pg->db);
  return rc;
}

void bt_page_format(Btree *bt, BtPage *pg, uint8_t type) {
  uint8_t *h;
  pg->hdr = pg->pgno == 1 ? BT_DB_HEADER_SIZE : 0;
  h = pg->data + pg->hdr;
  memset(h, 0, BT_INTERIOR_HEADER_SIZE);
  h[BT_HDR_TYPE] = type;
  pg->type = type;
  pg->leaf = (type & BT_FLAG_LEAF) != 0;
  pg->intkey = type == BT_PAGE_TABLE_LEAF || type == BT_PAGE_TABLE_INTERIOR;
  pg->cellptr = (uint16_t)(pg->hdr + bt_header_size(pg->leaf));
  pg->ncell = 0;
  pg->usable = bt->usable;
  bt_set_content_start(pg, bt->usable);
}

/* Parses the cell at byte offset off of a page of the given type held in
** data (a page or a copy of one). */
static int bt_cell_parse_raw(Btree *bt, uint8_t type, const uint8_t *data, uint32_t off, BtCell *cell) {
  const uint8_t *end = data + bt->usable;
  const uint8_t *p = data + off;
  uint64_t v;
  int n, leaf = (type & BT_FLAG_LEAF) != 0;
  int intkey = type == BT_PAGE_TABLE_LEAF || type == BT_PAGE_TABLE_INTERIOR;
  uint32_t size;
  memset(cell, 0, sizeof(*cell));
  cell->offset = (uint16_t)off;
  if (off >= bt->usable) return LODE_CORRUPT;
  if (!leaf) {
    if (p + BT_CHILD_PTR_SIZE > end) return LODE_CORRUPT;
    cell->child = util_get4(p);
    p += BT_CHILD_PTR_SIZE;
  }
  if (intkey && !leaf) {
    n = bt_varint(p, end, &v);
    if (n == 0) return LODE_CORRUPT;
    cell->key = (int64_t)v;
    size = (uint32_t)(p + n - (data + off));
    cell->size = (uint16_t)(size < BT_MIN_CELL ? BT_MIN_CELL : size);
    return LODE_OK;
  }
  n = bt_varint(p, end, &v);
  if (n == 0 || v > BT_MAX_PAYLOAD) return LODE_CORRUPT;
  cell->payload = (uint32_t)v;
  p += n;
  if (intkey) {
    n = bt_varint(p, end, &v);
    if (n == 0) return LODE_CORRUPT;
    cell->key = (int64_t)v;
    p += n;
  }
  cell->local = bt_local_size(bt, intkey, cell->payload);
  cell->pay_off = (uint16_t)(p - data);
  if ((uint32_t)(end - p) < cell->local) return LODE_CORRUPT;
  p += cell->local;
  if (cell->local < cell->payload) {
    if (end - p < BT_OVERFLOW_PTR_SIZE) return LODE_CORRUPT;
    cell->ovfl = util_get4(p);
    p += BT_OVERFLOW_PTR_SIZE;
  }
  size = (uint32_t)(p - (data + off));
  cell->size = (uint16_t)(size < BT_MIN_CELL ? BT_MIN_CELL : size);
  if (off + cell->size > bt->usable) return LODE_CORRUPT;
  return LODE_OK;
}

int bt_cell_parse_at(Btree *bt, const BtPage *pg, uint32_t off, BtCell *cell) {
  return bt_cell_parse_raw(bt, pg->type, pg->data, off, cell);
}

int bt_cell_parse(Btree *bt, const BtPage *pg, int i, BtCell *cell) {
  uint32_t off;
  if (i < 0 || i >= pg->ncell) return LODE_CORRUPT;
  off = bt_cell_offset(pg, i);
  if (!bt_cell_ptr_ok(pg, off)) return LODE_CORRUPT;
  return bt_cell_parse_raw(bt, pg->type, pg->data, off, cell);
}

/* Child i (i == ncell: the right child); 0, which no page has, when the
** cell pointer is bad, so that loading it fails as corrupt. */
/* Remembers sum for the page's current header.  Without a freeblock the
** header alone gives the sum, and the memo is neither needed nor kept:
** freeblocks only come back through bt_page_drop_cell, which stores anew. */
void bt_free_memo_store(const BtPage *pg, uint32_t sum) {
  const uint8_t *h = pg->data + pg->hdr;
  BtFreeMemo m;
  if (!pg->db || util_get2(h + BT_HDR_FIRST_FREEBLOCK) == 0) return;
  memset(&m, 0, sizeof m);
  memcpy(&m.head, h, sizeof m.head);
  m.sum = sum;
  memcpy((uint8_t *)pg->db->extra + BT_FREE_MEMO_AT, &m, sizeof m);
}

/* Freeblock plus fragment bytes: from the header alone when there is no
** freeblock, from the memo when the header is the one it was taken for, else
** by walking the list (validating it), which then becomes the memo. */
static int bt_free_sum(Btree *bt, const BtPage *pg, uint32_t *sum) {
  const uint8_t *h = pg->data + pg->hdr;
  uint32_t fb = util_get2(h + BT_HDR_FIRST_FREEBLOCK), total = 0, prev_end = 0;
  int guard = 0;
  if (fb == 0) {
    *sum = h[BT_HDR_FRAGMENTS];
    return LODE_OK;
  }
  if (pg->db && bt_free_memo_get(pg->db, h, sum)) return LODE_OK;
  while (fb != 0) {
    uint32_t next, size;
    if (fb < prev_end || fb < bt_content_start(pg) || fb + 4 > bt->usable) return LODE_CORRUPT;
    next = util_get2(pg->data + fb);
    size = util_get2(pg->data + fb + 2);
    if (size < 4 || fb + size > bt->usable || (next != 0 && next <= fb + size - 1)) return LODE_CORRUPT;
    total += size;
    prev_end = fb + size;
    fb = next;
    if (++guard > (int)bt->usable / 4) return LODE_CORRUPT;
  }
  total += h[BT_HDR_FRAGMENTS];
  if (total > bt->usable) return LODE_CORRUPT;
  bt_free_memo_store(pg, total);
  *sum = total;
  return LODE_OK;
}

int bt_page_free_space(Btree *bt, const BtPage *pg, int *free_bytes) {
  uint32_t ptr_end = pg->cellptr + 2u * pg->ncell, sum = 0, total;
  int rc;
  if (bt_content_start(pg) < ptr_end) return LODE_CORRUPT;
  rc = bt_free_sum(bt, pg, &sum);
  if (rc != LODE_OK) return rc;
  total = bt_content_start(pg) - ptr_end + sum;
  if (total > bt->usable) return LODE_CORRUPT;
  *free_bytes = (int)total;
  return LODE_OK;
}

/* The usual compaction: the content between the freeblocks moves up over
** them (a memmove per block) and each cell pointer moves by the sizes of
** the blocks above its cell, as SQLite's does when a page has few
** fragment bytes, instead of sizing and copying every cell.  Fragment
** bytes stay where they are (and counted): this is done only when the gap
** then holds need bytes.  Returns 0, with the page unchanged, when the page
** is not such a page (bt_page_compact then rebuilds it). */
#define BT_COMPACT_SHIFT_BLOCKS 64
#define BT_COMPACT_KEEP_FRAGS 4
#define BT_COMPACT_SCAN_BLOCKS 16 /* up to this many blocks a scan beats a binary search */
static int bt_page_compact_shift(Btree *bt, BtPage *pg, uint32_t need) {
  uint8_t *d = pg->data;
  uint32_t at[BT_COMPACT_SHIFT_BLOCKS], end[BT_COMPACT_SHIFT_BLOCKS];
  uint32_t above[BT_COMPACT_SHIFT_BLOCKS + 1]; /* above[t]: bytes of blocks t.. */
  uint32_t content = bt_content_start(pg), ptr_end = pg->cellptr + 2u * pg->ncell, last = content, total = 0;
  uint32_t fb = util_get2(d + pg->hdr + BT_HDR_FIRST_FREEBLOCK);
  uint8_t *tmp;
  int k = 0, i, t, frags;
  if (content < ptr_end || content > bt->usable) return 0;
  while (fb != 0) {
    uint32_t size;
    if (k == BT_COMPACT_SHIFT_BLOCKS || fb < last || fb + 4 > bt->usable) return 0;
    size = util_get2(d + fb + 2);
    if (size < 4 || size > bt->usable - fb) return 0;
    at[k] = fb;
    end[k] = last = fb + size;
    total += size;
    fb = util_get2(d + fb);
    k++;
  }
  frags = d[pg->hdr + BT_HDR_FRAGMENTS];
  if (k == 0 || frags > BT_COMPACT_KEEP_FRAGS || (frags != 0 && content - ptr_end + total < need)) return 0;
  above[k] = 0;
  for (t = k - 1; t >= 0; t--) above[t] = above[t + 1] + (end[t] - at[t]);
  tmp = bt_scratch(bt);
  if (!tmp) return 0;
  /* New pointers into the scratch buffer first: the page changes only once
  ** every cell is known to lie in the content area outside the blocks. */
  if (k == 1) {
    /* Nearly always one block: a comparison or two per cell (unsigned
    ** differences test both ends of a range at once). */
    const uint8_t *pp = d + pg->cellptr;
    const uint32_t span = bt->usable - content, a0 = at[0];
    for (i = 0; i < pg->ncell; i++, pp += 2) {
      uint32_t p = util_get2(pp);
      if (p - content >= span) return 0;
      if (p < a0) p += total;
      else if (p - a0 < total) return 0;
      util_put2(tmp + 2 * i, p);
    }
  } else if (k <= BT_COMPACT_SCAN_BLOCKS) {
    /* A few blocks: the first block above the cell by a scan up the list. */
    const uint8_t *pp = d + pg->cellptr;
    const uint32_t span = bt->usable - content;
    for (i = 0; i < pg->ncell; i++, pp += 2) {
      uint32_t p = util_get2(pp);
      int lo = 0;
      if (p - content >= span) return 0;
      while (lo < k && at[lo] <= p) lo++;
      if (lo > 0 && p < end[lo - 1]) return 0;
      util_put2(tmp + 2 * i, p + above[lo]);
    }
  } else {
    for (i = 0; i < pg->ncell; i++) {
      uint32_t p = bt_cell_offset(pg, i);
      int lo = 0, hi = k;
      if (p < content || p >= bt->usable) return 0;
      while (lo < hi) { /* the first block above the cell */
        int mid = (lo + hi) >> 1;
        if (at[mid] > p) hi = mid;
        else lo = mid + 1;
      }
      if (lo > 0 && p < end[lo - 1]) return 0;
      util_put2(tmp + 2 * i, p + above[lo]);
    }
  }
  uint32_t shift = 0;
  for (t = k - 1; t >= 0; t--) {
    uint32_t from = t > 0 ? end[t - 1] : content;
    shift += end[t] - at[t];
    if (at[t] > from) memmove(d + from + shift, d + from, at[t] - from);
  }
  memcpy(d + pg->cellptr, tmp, 2u * pg->ncell);
  util_put2(d + pg->hdr + BT_HDR_FIRST_FREEBLOCK, 0);
  bt_set_content_start(pg, content + total);
  return 1;
}

int bt_page_compact(Btree *bt, BtPage *pg, uint32_t need) {
  if (bt_page_compact_shift(bt, pg, need)) return LODE_OK;
  uint8_t *tmp = bt_scratch(bt);
  uint32_t content = bt->usable;
  int i, rc;
  if (!tmp) return LODE_NOMEM;
  memcpy(tmp, pg->data, bt->usable);
  for (i = 0; i < pg->ncell; i++) {
    uint16_t size;
    uint32_t off = util_get2(tmp + pg->cellptr + 2 * i);
    if (!bt_cell_ptr_ok(pg, off)) return LODE_CORRUPT;
    rc = bt_cell_span_bytes(bt, pg->type, tmp + off, bt->usable - off, &size);
    if (rc != LODE_OK) return rc;
    if (content < pg->cellptr + 2u * pg->ncell + size) return LODE_CORRUPT;
    content -= size;
    bt_cell_copy(pg->data + content, tmp + off, size);
    util_put2(pg->data + pg->cellptr + 2 * i, content);
  }
  util_put2(pg->data + pg->hdr + BT_HDR_FIRST_FREEBLOCK, 0);
  pg->data[pg->hdr + BT_HDR_FRAGMENTS] = 0;
  bt_set_content_start(pg, content);
  return LODE_OK;
}

/* First fit in the freeblock list for n bytes: the offset where they go, or
** 0 when no freeblock will do.  A block that fits is shrunk from its front
** end (its header stays), or taken whole when less than a freeblock header
** would be left, the rest counting as fragment bytes. */
uint32_t bt_take_freeblock(Btree *bt, BtPage *pg, uint32_t n) {
  uint8_t *d = pg->data;
  const uint32_t usable = bt->usable, low = pg->cellptr + 2u * (pg->ncell + 1u);
  uint32_t link = pg->hdr + BT_HDR_FIRST_FREEBLOCK, fb = util_get2(d + link);
  /* The list goes up the page (the format requires it): a link that does
  ** not, like a block that runs past the page or lies over the cell
  ** pointers, is corruption, and no cell goes there (the gap, or a rebuilt
  ** page, takes it).  Going up also bounds the walk. */
  while (fb >= low && fb <= usable - 4) {
    uint32_t size = util_get2(d + fb + 2), next;
    if (size > usable - fb) return 0;
    if (size >= n) {
      uint32_t rest = size - n;
      if (rest >= BT_MIN_CELL) {
        util_put2(d + fb + 2, rest);
        return fb + rest;
      }
      if (d[pg->hdr + BT_HDR_FRAGMENTS] + rest > BT_MAX_FRAGMENTS) return 0;
      util_put2(d + link, util_get2(d + fb));
      d[pg->hdr + BT_HDR_FRAGMENTS] = (uint8_t)(d[pg->hdr + BT_HDR_FRAGMENTS] + rest);
      return fb;
    }
    next = util_get2(d + fb);
    if (next <= fb) return 0;
    link = fb;
    fb = next;
  }
  return 0;
}

int bt_page_insert_cell(Btree *bt, BtPage *pg, int i, const uint8_t *cell, uint16_t n) {
  uint32_t at;
  int rc = bt_page_cell_room(bt, pg, i, n, &at);
  if (rc == LODE_OK) bt_cell_copy(pg->data + at, cell, n);
  return rc;
}

int bt_page_cell_room(Btree *bt, BtPage *pg, int i, uint16_t n, uint32_t *at_out) {
  int rc;
  uint32_t gap, content, at = 0, sum, free_bytes;
  uint8_t *ptrs = pg->data + pg->cellptr;
  const uint8_t *h = pg->data + pg->hdr;
  const uint32_t fb = util_get2(h + BT_HDR_FIRST_FREEBLOCK);
  assert(n >= BT_MIN_CELL && i >= 0 && i <= pg->ncell);
  /* bt_page_free_space, with the page without freeblocks (its fragment
  ** count is all of its free bytes outside the gap) decided here. */
  content = bt_content_start(pg);
  if (content < pg->cellptr + 2u * pg->ncell) return LODE_CORRUPT;
  gap = content - (pg->cellptr + 2u * pg->ncell);
  if (fb == 0) {
    sum = h[BT_HDR_FRAGMENTS];
  } else if (!pg->db || !bt_free_memo_get(pg->db, h, &sum)) {
    int all;
    if ((rc = bt_page_free_space(bt, pg, &all)) != LODE_OK) return rc;
    sum = (uint32_t)all - gap; /* all counts the gap too */
  }
  free_bytes = gap + sum;
  if (free_bytes > bt->usable) return LODE_CORRUPT;
  if (free_bytes < n + 2u) return LODE_FULL;
  /* The cell goes into a freeblock when one fits (and the pointer array can
  ** still grow), else into the gap, after defragmenting the page if the gap
  ** alone is too small, as SQLite places cells. */
  if (fb != 0 && gap >= 2) at = bt_take_freeblock(bt, pg, n);
  /* Free bytes outside the gap after the insert: n fewer when a freeblock took the cell. */
  if (at) sum -= n;
  if (!at) {
    if (gap < n + 2u) {
      rc = bt_page_compact(bt, pg, n + 2u);
      if (pg->db) bt_free_memo_clear(pg->db);
      if (rc != LODE_OK) return rc;
      content = bt_content_start(pg);
      sum = pg->data[pg->hdr + BT_HDR_FRAGMENTS]; /* a shift keeps the fragment bytes */
      if (content - (pg->cellptr + 2u * pg->ncell) < n + 2u) return LODE_CORRUPT; /* the free bytes were counted */
    }
    content -= n;
    bt_set_content_start(pg, content);
    at = content;
  }
  if (i < pg->ncell) memmove(ptrs + 2 * (i + 1), ptrs + 2 * i, 2u * (pg->ncell - i));
  util_put2(ptrs + 2 * i, at);
  pg->ncell++;
  util_put2(pg->data + pg->hdr + BT_HDR_NCELL, pg->ncell);
  if (util_get2(pg->data + pg->hdr + BT_HDR_FIRST_FREEBLOCK) != 0) bt_free_memo_store(pg, sum);
  *at_out = at;
  return LODE_OK;
}

/* Gives bytes [off, off + size) back as a freeblock, merged with a freeblock
** (and the fragment bytes) right before or after it; a block that then
** starts the content area joins the gap instead.  The list stays sorted
** with at least 4 bytes between blocks, as SQLite requires. */
static int bt_free_range_at(Btree *bt, BtPage *pg, uint32_t off, uint32_t size) {
  uint8_t *d = pg->data;
  uint32_t link = pg->hdr + BT_HDR_FIRST_FREEBLOCK, next = util_get2(d + link), prev = 0;
  uint32_t end = off + size, frags = d[pg->hdr + BT_HDR_FRAGMENTS];
  assert(size >= BT_MIN_CELL);
  /* The list must go up the page: that alone bounds the walk. */
  while (next != 0 && next < off) {
    if (next <= prev) return LODE_CORRUPT;
    prev = next;
    link = next;
    next = util_get2(d + next);
  }
  if (next != 0) {
    if (next < end || next + 4 > bt->usable) return LODE_CORRUPT;
    if (next - end <= 3) { /* absorb the block after, with the bytes between */
      if (next - end > frags) return LODE_CORRUPT;
      frags -= next - end;
      end = next + util_get2(d + next + 2);
      if (end > bt->usable) return LODE_CORRUPT;
      next = util_get2(d + next);
    }
  }
  uint32_t start = off;
  if (prev != 0) {
    uint32_t prev_end = prev + util_get2(d + prev + 2);
    if (prev_end > off) return LODE_CORRUPT;
    if (off - prev_end <= 3) { /* grow the block before instead */
      if (off - prev_end > frags) return LODE_CORRUPT;
      frags -= off - prev_end;
      start = prev;
    }
  }
  d[pg->hdr + BT_HDR_FRAGMENTS] = (uint8_t)frags;
  if (start == bt_content_start(pg)) {
    /* Only the first block can start the content area: it becomes gap. */
    if (start == off ? prev != 0 : util_get2(d + pg->hdr + BT_HDR_FIRST_FREEBLOCK) != prev) return LODE_CORRUPT;
    util_put2(d + pg->hdr + BT_HDR_FIRST_FREEBLOCK, next);
    bt_set_content_start(pg, end);
    return LODE_OK;
  }
  util_put2(d + start, next);
  util_put2(d + start + 2, end - start);
  if (start == off) util_put2(d + link, off);
  return LODE_OK;
}

int bt_free_range(Btree *bt, BtPage *pg, uint32_t off, uint32_t size) {
  return bt_free_range_at(bt, pg, off, size);
}

/* The page gains the cell's bytes and its pointer whatever freeblocks they
** merge with; knowing its free space before (free_before, -1: not known)
** lets the memo follow.  pg's parsed fields stay right for the new header
** (only the cell count changed), so the head memo follows too: the next
** descent through the page (a run of deletes meets it again at once) skips
** the parse. */
__attribute__((always_inline)) static inline int drop_cell(Btree *bt, BtPage *pg, int i, uint16_t size,
                                                           int free_before) {
  uint8_t *ptrs = pg->data + pg->cellptr;
  uint32_t off = bt_cell_offset(pg, i);
  int rc;
  if (pg->db) bt_free_memo_clear(pg->db);
  memmove(ptrs + 2 * i, ptrs + 2 * (i + 1), 2u * (pg->ncell - i - 1));
  pg->ncell--;
  util_put2(pg->data + pg->hdr + BT_HDR_NCELL, pg->ncell);
  if (pg->ncell == 0) {
    util_put2(pg->data + pg->hdr + BT_HDR_FIRST_FREEBLOCK, 0);
    pg->data[pg->hdr + BT_HDR_FRAGMENTS] = 0;
    bt_set_content_start(pg, bt->usable);
    if (pg->db) bt_head_memo_store(pg);
    return LODE_OK;
  }
  rc = bt_free_range_at(bt, pg, off, size);
  if (rc != LODE_OK) return rc;
  if (free_before >= 0) {
    uint32_t gap = bt_content_start(pg) - (pg->cellptr + 2u * pg->ncell);
    uint32_t after = (uint32_t)free_before + 2u + size;
    if (after >= gap && after <= bt->usable) bt_free_memo_store(pg, after - gap);
  }
  if (pg->db) bt_head_memo_store(pg);
  return LODE_OK;
}

int bt_page_drop_cell(Btree *bt, BtPage *pg, int i, uint16_t size) {
  int free_before;
  if (bt_page_free_space(bt, pg, &free_before) != LODE_OK) free_before = -1;
  return drop_cell(bt, pg, i, size, free_before);
}

int bt_page_drop_cell_known(Btree *bt, BtPage *pg, int i, uint16_t size, int free_before) {
  return drop_cell(bt, pg, i, size, free_before);
}

/* ---- BtImage ----------------------------------------------------------------- */

void bt_image_init(BtImage *img, uint8_t type) {
  memset(img, 0, sizeof(*img));
  img->type = type;
}

void bt_image_free(BtImage *img) {
  int i;
  for (i = 0; i < img->nblock; i++) util_free(img->blocks[i]);
  util_free(img->blocks);
  util_free(img->cells);
  memset(img, 0, sizeof(*img));
}

static uint8_t *bt_image_bytes(BtImage *img, uint32_t n) {
  uint8_t *p;
  if (img->nblock == 0 || img->block_left < n) {
    uint32_t size = n > BT_IMAGE_BLOCK ? n : BT_IMAGE_BLOCK;
    uint8_t **nb = util_realloc(img->blocks, sizeof(*nb) * (size_t)(img->nblock + 1));
    if (!nb) return NULL;
    img->blocks = nb;
    nb[img->nblock] = util_malloc(size);
    if (!nb[img->nblock]) return NULL;
    img->cur = nb[img->nblock];
    img->nblock++;
    img->block_left = size;
  }
  p = img->cur;
  img->cur += n;
  img->block_left -= n;
  return p;
}

static int bt_image_reserve(BtImage *img, int more) {
  if (img->ncell + more > img->cap) {
    int cap = img->cap ? img->cap * 2 : 64;
    while (cap < img->ncell + more) cap *= 2;
    BtCellRef *nc = util_realloc(img->cells, sizeof(*nc) * (size_t)cap);
    if (!nc) return LODE_NOMEM;
    img->cells = nc;
    img->cap = cap;
  }
  return LODE_OK;
}

int bt_image_add_refs(BtImage *img, const BtImage *from) {
  int rc;
  if (from->ncell == 0) return LODE_OK;
  rc = bt_image_reserve(img, from->ncell);
  if (rc != LODE_OK) return rc;
  memcpy(img->cells + img->ncell, from->cells, sizeof(*from->cells) * (size_t)from->ncell);
  img->ncell += from->ncell;
  return LODE_OK;
}

int bt_image_add_blank(BtImage *img, int n) {
  int rc = bt_image_reserve(img, n);
  if (rc != LODE_OK) return rc;
  img->ncell += n;
  return LODE_OK;
}

int bt_image_add(BtImage *img, const uint8_t *p, uint16_t n) {
  uint8_t *dst;
  int rc = bt_image_reserve(img, 1);
  if (rc != LODE_OK) return rc;
  dst = bt_image_bytes(img, n);
  if (!dst) return LODE_NOMEM;
  memcpy(dst, p, n);
  img->cells[img->ncell].p = dst;
  img->cells[img->ncell].n = n;
  img->cells[img->ncell].room = n;
  img->ncell++;
  return LODE_OK;
}

/* Bytes a cell of a page of the given type occupies (BtCell.size), read
** from p with room bytes up to the end of the page, with the bounds checks
** of bt_cell_parse_raw but none of its other fields. */
int bt_cell_span_slow(Btree *bt, uint8_t type, const uint8_t *p, uint32_t room, uint16_t *size) {
  const uint8_t *start = p, *end = p + room;
  int leaf = (type & BT_FLAG_LEAF) != 0, intkey = type == BT_PAGE_TABLE_LEAF || type == BT_PAGE_TABLE_INTERIOR;
  uint64_t v;
  uint32_t local, n;
  int k;
  if (room < BT_MIN_CELL) return LODE_CORRUPT;
  if (leaf && !intkey && p[0] < 0x80 && p[0] <= bt->max_local_index) {
    /* The usual index entry: a one-byte size, all of it on the page. */
    n = 1u + p[0];
    if (n < BT_MIN_CELL) n = BT_MIN_CELL;
    if (n > room) return LODE_CORRUPT;
    *size = (uint16_t)n;
    return LODE_OK;
  }
  if (!leaf) p += BT_CHILD_PTR_SIZE;
  if (intkey && !leaf) {
    k = bt_varint(p, end, &v);
    if (k == 0) return LODE_CORRUPT;
    p += k;
  } else {
    uint32_t payload;
    k = bt_varint(p, end, &v);
    if (k == 0 || v > BT_MAX_PAYLOAD) return LODE_CORRUPT;
    p += k;
    payload = (uint32_t)v;
    local = bt_local_size(bt, intkey, payload);
    if (intkey) {
      k = bt_varint(p, end, &v);
      if (k == 0) return LODE_CORRUPT;
      p += k;
    }
    if ((uint32_t)(end - p) < local) return LODE_CORRUPT;
    p += local;
    if (local < payload) {
      if (end - p < BT_OVERFLOW_PTR_SIZE) return LODE_CORRUPT;
      p += BT_OVERFLOW_PTR_SIZE;
    }
  }
  n = (uint32_t)(p - start);
  if (n < BT_MIN_CELL) n = BT_MIN_CELL;
  if (n > room) return LODE_CORRUPT;
  *size = (uint16_t)n;
  return LODE_OK;
}

static int bt_cell_span(Btree *bt, const BtPage *pg, uint32_t off, uint16_t *size) {
  return bt_cell_span_bytes(bt, pg->type, pg->data + off, bt->usable - off, size);
}

int bt_image_add_page(Btree *bt, BtImage *img, const BtPage *pg, int from, int to) {
  int i, rc;
  if (from >= to) return LODE_OK;
  rc = bt_image_reserve(img, to - from);
  if (rc != LODE_OK) return rc;
  if (img->snap_src != pg->data) {
    /* One copy of the content area; balance overwrites the page itself. */
    uint32_t start = bt_content_start(pg);
    if (start >= bt->usable) return LODE_CORRUPT; /* cells but no content */
    img->snap_copy = bt_image_bytes(img, bt->usable - start);
    if (!img->snap_copy) return LODE_NOMEM;
    memcpy(img->snap_copy, pg->data + start, bt->usable - start);
    img->snap_src = pg->data;
    img->snap_from = start;
  }
  for (i = from; i < to; i++) {
    uint32_t off = bt_cell_offset(pg, i);
    uint16_t size;
    if (!bt_cell_ptr_ok(pg, off)) return LODE_CORRUPT;
    rc = bt_cell_span(bt, pg, off, &size);
    if (rc != LODE_OK) return rc;
    if (off < img->snap_from) {
      /* A cell outside the content area the header states (not written by
      ** Lode or SQLite, but readable): copied by itself. */
      rc = bt_image_add(img, pg->data + off, size);
      if (rc != LODE_OK) return rc;
      continue;
    }
    img->cells[img->ncell].p = img->snap_copy + (off - img->snap_from);
    img->cells[img->ncell].n = size;
    img->cells[img->ncell].room = (uint16_t)(bt->usable - off);
    img->ncell++;
  }
  return LODE_OK;
}

int bt_image_fits(Btree *bt, const BtImage *img, uint16_t hdr) {
  uint32_t need = hdr + bt_header_size((img->type & BT_FLAG_LEAF) != 0) + 2u * (uint32_t)img->ncell;
  int i;
  for (i = 0; i < img->ncell; i++) {
    need += img->cells[i].n;
    if (need > bt->usable) return 0;
  }
  return need <= bt->usable;
}

void bt_image_assemble(Btree *bt, BtPage *pg, const BtImage *img) {
  uint32_t content = bt->usable;
  int i;
  assert(bt_image_fits(bt, img, pg->pgno == 1 ? BT_DB_HEADER_SIZE : 0));
  bt_page_format(bt, pg, img->type);
  if (!pg->leaf) util_put4(pg->data + pg->hdr + BT_HDR_RIGHT_CHILD, img->right);
  for (i = 0; i < img->ncell; i++) {
    content -= img->cells[i].n;
    bt_cell_copy(pg->data + content, img->cells[i].p, img->cells[i].n);
    util_put2(pg->data + pg->cellptr + 2 * i, content);
  }
  pg->ncell = (uint16_t)img->ncell;
  util_put2(pg->data + pg->hdr + BT_HDR_NCELL, pg->ncell);
  bt_set_content_start(pg, content);
}
