/*
** vdbe_exec.c — the interpreter: one switch over the opcodes of vdbe.h in
** vdbe_exec(), which runs from v->pc until a row is ready (LODE_ROW), the
** program halts (LODE_DONE) or an error stops it.
**
** Records read by Column are SQLite records (see value.h: varint header
** size, serial types, bodies).  A cursor keeps its current row's parsed
** header (VdbeCursor.hdr) so that reading several columns of one row parses
** it once; small rows are read in place on the page (btree_payload_fetch),
** rows with overflow pages are copied once into the cursor's buffer.
**
** Invariants:
**  - vdbe_finish has checked every register, cursor and jump operand, so the
**    loop indexes them without checks (asserts only).
**  - Registers written here never keep a pointer into a b-tree page: text and
**    blob columns are copied into the register's own buffer, which is reused
**    from row to row when it is large enough.
**  - Any error ends the run through vdbe_txn_end before returning.
*/
#include <limits.h>
#include <string.h>

#include "vdbe/vdbe_internal.h"

#define NEWROWID_RANDOM_TRIES 100
#define SHIFT_BITS 64

/* ---- registers ------------------------------------------------------------------ */

/* Every register write goes through here or reg_set_bytes: a value's
** subtype (the JSON flag) never outlives the value. */
static inline void reg_prepare(Vdbe *v, Mem *m) {
  /* An aggregate's state is always owned (agg_start): the owner test covers it. */
  assert(m->type != MEM_AGG || m->owner == MEM_DYN);
  if (m->owner == MEM_DYN || m->ztext) vdbe_reg_clear(v, m);
  m->subtype = 0;
}

static inline void reg_set_null(Vdbe *v, Mem *m) {
  reg_prepare(v, m);
  m->type = MEM_NULL;
  m->z = NULL;
  m->n = 0;
  m->owner = MEM_STATIC;
}

static inline void reg_set_int(Vdbe *v, Mem *m, int64_t i) {
  reg_prepare(v, m);
  m->type = MEM_INT;
  m->u.i = i;
  m->owner = MEM_STATIC;
  m->z = NULL;
}

static inline void reg_set_real(Vdbe *v, Mem *m, double r) {
  reg_prepare(v, m);
  m->type = MEM_REAL;
  m->u.r = r;
  m->owner = MEM_STATIC;
  m->z = NULL;
}

/* dst takes src's value and ownership; src becomes NULL. */
static void reg_move(Vdbe *v, Mem *dst, Mem *src) {
  if (dst == src) return;
  reg_prepare(v, dst);
  *dst = *src;
  mem_init(src);
}

/* A borrowed view of src (the caller must not outlive src with it). */
static void reg_shallow(Vdbe *v, Mem *dst, const Mem *src) {
  if (dst == src) return;
  reg_prepare(v, dst);
  if (src->type == MEM_AGG) {
    mem_init(dst);
    return;
  }
  *dst = *src;
  if (dst->owner == MEM_DYN) dst->owner = MEM_EPHEM;
  dst->ztext = NULL;
}

/* A buffer of at least need bytes: one kept from an earlier run when one
** is big enough (vdbe_release_registers keeps them), else a new one. */
static char *reg_spare_or_new(Vdbe *v, uint32_t need) {
  int k = v->nspare_buf - 1;
  while (k >= 0 && v->spare_cap[k] < need) k--;
  if (k < 0) return util_malloc(need);
  char *z = v->spare_buf[k];
  v->spare_buf[k] = v->spare_buf[--v->nspare_buf];
  v->spare_cap[k] = v->spare_cap[v->nspare_buf];
  return z;
}

/* An owned buffer of n+1 bytes in m for text or blob bytes about to be
** written there (reg_bytes_done finishes m), m's own buffer when it is big
** enough; NULL when out of memory. */
static char *reg_bytes_buffer(Vdbe *v, Mem *m, uint32_t n) {
  int need = (int)n + 1;
  if (m->ztext || m->type == MEM_AGG) vdbe_reg_clear(v, m);
  if (m->owner == MEM_DYN && (m->type == MEM_TEXT || m->type == MEM_BLOB) && m->z) {
    /* An owned text buffer holds n+1 bytes; an owned blob at least n. */
    int have = m->type == MEM_TEXT ? m->n + 1 : m->n;
    if (have < need && util_alloc_usable(m->z) < (size_t)need) {
      char *z = util_realloc(m->z, (size_t)need);
      if (!z) return NULL;
      m->z = z;
    }
  } else {
    reg_prepare(v, m);
    m->z = reg_spare_or_new(v, (uint32_t)need);
    if (!m->z) {
      m->type = MEM_NULL;
      m->owner = MEM_STATIC;
      return NULL;
    }
    m->owner = MEM_DYN;
  }
  return m->z;
}

static inline void reg_bytes_done(Mem *m, int type, uint32_t n) {
  m->z[n] = 0;
  m->n = (int)n;
  m->type = (uint8_t)type;
  m->subtype = 0;
}

/* Text or blob bytes copied into m, reusing m's buffer when it is big enough. */
static int reg_set_bytes(Vdbe *v, Mem *m, int type, const uint8_t *p, uint32_t n) {
  char *z = reg_bytes_buffer(v, m, n);
  if (!z) return LODE_NOMEM;
  if (n) memcpy(z, p, n);
  reg_bytes_done(m, type, n);
  return LODE_OK;
}

/* ---- cursors and rows ------------------------------------------------------------- */

static VdbeCursor *cursor_new(Vdbe *v, int i, int kind) {
  VdbeCursor *c;
  vdbe_cursor_recycle(v, v->cursors[i]);
  v->cursors[i] = NULL;
  c = vdbe_cursor_alloc(v);
  if (!c) return NULL;
  c->kind = kind;
  c->gen = 1;
  c->eof = 1;
  v->cursors[i] = c;
  return c;
}

/* cursor_new for a b-tree cursor: the one parked for number i at the end
** of the last run when there is one, its detached b-tree cursor in *reuse. */
static VdbeCursor *cursor_new_btree(Vdbe *v, int i, BtCursor **reuse) {
  VdbeCursor *c;
  vdbe_cursor_recycle(v, v->cursors[i]);
  v->cursors[i] = NULL;
  c = vdbe_cursor_unpark(v, i, reuse);
  if (!c && !(c = vdbe_cursor_alloc(v))) return NULL;
  c->kind = VDBE_CURSOR_BTREE;
  c->gen = 1;
  c->eof = 1;
  v->cursors[i] = c;
  return c;
}

/* The b-tree cursor c[i] or NULL (not open, or not a b-tree cursor). */
static VdbeCursor *bt_cursor(Vdbe *v, int i) {
  VdbeCursor *c = v->cursors[i];
  return c && c->kind == VDBE_CURSOR_BTREE ? c : NULL;
}

/* Reads the current row of a b-tree cursor and parses its header. */
/* Copies the whole payload of the cursor's row into c->buf (rows with
** overflow pages, once a column beyond the on-page part is wanted). */
static int load_full_payload(VdbeCursor *c) {
  uint32_t size = c->rec_size;
  int rc;
  if (c->buf_cap < size || !c->buf) {
    uint8_t *b = util_realloc(c->buf, size ? size : 1);
    if (!b) return LODE_NOMEM;
    c->buf = b;
    c->buf_cap = size;
  }
  rc = btree_payload(c->bt, 0, size, c->buf);
  if (rc != LODE_OK) return rc;
  c->rec = c->buf;
  c->rec_avail = size;
  return LODE_OK;
}

/* Parses the header of the record at p (size bytes, all at hand) as far as
** field h->want, for the shape nearly every record has: a header size of one
** byte and serial types of one byte each (the parse stops before the first
** longer one; op_column goes on from there).  0, with h unchanged in what it
** describes, for any other shape or a bound that does not hold: the general
** parse (record_header_start) then starts over. */
static inline __attribute__((always_inline)) int header_parse_short(RecordHeader *h, const uint8_t *p,
                                                                    uint32_t size) {
  uint32_t hs;
  if (size == 0 || (hs = p[0]) - 2u >= 0x7eu || hs > size || (int)hs - 1 > h->cap) return 0;
  uint64_t *types = h->types;
  uint32_t *offsets = h->offsets;
  uint64_t body = hs;
  const uint8_t *q = p + 1;
  size_t n = 0, stop = (int)hs - 1 <= h->want ? hs - 1 : (size_t)h->want + 1;
  for (; n < stop && q[n] < 0x80; n++) {
    uint64_t t = q[n];
    types[n] = t;
    offsets[n] = (uint32_t)body;
    body += record_small_len[t];
  }
  /* The bounds record_header_extend keeps: a complete header's fields fill the record exactly. */
  if (n + 1 == hs ? body != size : body > size) return 0;
  h->ncol = (int)n;
  h->header_size = hs;
  h->next = (uint32_t)n + 1;
  h->body = body;
  return 1;
}

/* Starts the lazy parse of the header of the record at c->rec (its first
** c->rec_avail bytes are there, c->rec_size in all). */
static int cursor_header_begin(VdbeCursor *c) {
  uint32_t avail = c->rec_avail < c->rec_size ? c->rec_avail : c->rec_size;
  uint64_t hs;
  int k;
  c->hdr_memo_size = 0;
  if (avail == c->rec_size && header_parse_short(&c->hdr, c->rec, avail)) return LODE_OK;
  k = util_varint_get_bounded(c->rec, c->rec + avail, &hs);
  if (k == 0 || hs < (uint64_t)k || hs > avail) {
    c->hdr.ncol = 0;
    c->hdr.next = c->hdr.header_size = 0;
    return LODE_CORRUPT;
  }
  return record_header_start(&c->hdr, hs, k, c->rec_size);
}

/* Reads the current row of a b-tree cursor and starts parsing its header, in
** place on the page when the header is there (columns stored on the page are
** then read without copying the rest of an overflowing row). */
static inline __attribute__((always_inline)) int load_btree_row(VdbeCursor *c) {
  uint32_t size = 0, avail = 0;
  const uint8_t *p = btree_payload_view(c->bt, &avail, &size);
  uint64_t hs = 0;
  int k, rc;
  if (!p && btree_cursor_moved(c->bt)) return LODE_DONE; /* the caller finds its place (row_gone) */
  c->rec_size = size;
  if (p && avail > size) avail = size;
  if (p && (k = util_varint_get_bounded(p, p + avail, &hs)) > 0 && hs <= avail && hs >= (uint64_t)k) {
    c->rec = p;
    c->rec_avail = avail;
    return record_header_start(&c->hdr, hs, k, size);
  }
  if ((rc = load_full_payload(c)) != LODE_OK) return rc;
  return cursor_header_begin(c);
}

/* A b-tree cursor whose place a write may have changed (btree_cursor_moved)
** finds it again; *gone = 1 when its row was deleted, by this statement or
** another: the cursor then reads as on no row (columns NULL), as SQLite's
** does, until it moves on. */
__attribute__((noinline)) static int row_gone(VdbeCursor *c, int *gone) {
  c->cache_gen = 0;
  return btree_cursor_restore_row(c->bt, gone);
}

/* column_load_btree's answer for a cursor on no row (its row deleted): the
** columns read NULL.  Never a LODE_ code. */
#define COLUMN_NOROW (-1)

static int column_load_btree(Vdbe *v, VdbeCursor *c, int col, const uint8_t *p, uint32_t size);

/* cursor_row for a pseudo or sorter cursor. */
static int cursor_row_record(Vdbe *v, VdbeCursor *c, int *norow) {
  int rc = LODE_OK;
  *norow = 0;
  if (c->kind == VDBE_CURSOR_PSEUDO) {
    const Mem *r = &v->mem[c->pseudo_reg];
    if (r->type != MEM_BLOB || r->n <= 0) return *norow = 1, LODE_OK;
    if (c->cache_gen == v->record_gen && c->cache_z == r->z && c->rec_size == (uint32_t)r->n) return LODE_OK;
    c->rec = (const uint8_t *)r->z;
    c->rec_size = c->rec_avail = (uint32_t)r->n;
    c->cache_z = r->z;
    rc = cursor_header_begin(c);
    if (rc == LODE_OK) c->cache_gen = v->record_gen;
    else c->cache_gen = 0;
    return rc;
  }
  const uint8_t *rec;
  uint32_t n;
  if (c->eof || sorter_current(c->sorter, &rec, &n) != LODE_OK) return *norow = 1, LODE_OK;
  if (c->cache_gen == c->gen) return LODE_OK;
  c->rec = rec;
  c->rec_size = c->rec_avail = n;
  rc = cursor_header_begin(c);
  if (rc == LODE_OK) {
    c->cache_gen = c->gen;
    c->cache_wgen = v->write_gen;
    c->cache_twgen = v->db->table_writes;
  } else {
    c->cache_gen = 0;
  }
  return rc;
}

/* Makes c->rec/c->hdr describe the cursor's current row.  *norow = 1 when
** there is no row (end of table, empty pseudo register): columns read NULL.
** The header is parsed lazily: c->hdr.ncol fields are known, and
** record_header_extend parses more (Column asks for the fields up to the
** one it reads; a row read for its first columns never parses the rest).
** A b-tree cursor's test is inline: an index range scan asks at every entry. */
static inline __attribute__((always_inline)) int cursor_row(Vdbe *v, VdbeCursor *c, int *norow) {
  if (c->kind != VDBE_CURSOR_BTREE) return cursor_row_record(v, c, norow);
  *norow = 0;
  if (c->eof) return *norow = 1, LODE_OK;
  if (c->cache_gen == c->gen && c->cache_wgen == v->write_gen && c->cache_twgen == v->db->table_writes)
    return LODE_OK;
  /* As far as the columns read of this cursor's rows (an index entry
  ** compared, then read by Column). */
  BtreeLocalPayload pl = btree_payload_local(c->bt);
  int rc = column_load_btree(v, c, 0, pl.p, pl.size);
  if (rc == COLUMN_NOROW) return *norow = 1, LODE_OK;
  return rc;
}

/* Fields a row's parse reaches past the one asked for once a reader has
** gone beyond the parsed ones: columns are usually read in order, and
** SELECT * of a fresh cursor (want still 0) then extends the parse once or
** twice rather than at every column. */
#define COLUMN_PARSE_AHEAD 4

/* Header fields up to col parsed (or the whole header): out of line, so
** that op_column's common path keeps its values in registers.  The parse
** runs a few fields ahead, but the next rows parse only as far as the
** columns read so far (hdr.want): a scan that reads the first columns of a
** wide row does not pay for the rest at every row. */
__attribute__((noinline)) static int column_parse_to(VdbeCursor *c, int col) {
  if (col > c->hdr.want) c->hdr.want = col;
  return record_header_extend(&c->hdr, c->rec, c->rec_size, col + COLUMN_PARSE_AHEAD);
}

static int column_load_btree_slow(Vdbe *v, VdbeCursor *c, int col);

/* The cursor's cache stamped as describing its current row, whose record is
** the size bytes at p (all at hand). */
static inline __attribute__((always_inline)) void column_cache_stamp(Vdbe *v, VdbeCursor *c, const uint8_t *p,
                                                                    uint32_t size) {
  c->rec = p;
  c->rec_size = c->rec_avail = size;
  c->cache_gen = c->gen;
  c->cache_wgen = v->write_gen;
  c->cache_twgen = v->db->table_writes;
}

/* column_load_btree where the short parse stopped before field col at a
** longer serial type (a text or blob of more than 57 bytes): the general
** parse goes on from there, and a header of at most eight bytes is kept as
** the memo (hdr_memo) for the rows after. */
__attribute__((noinline)) static int column_load_longer(VdbeCursor *c, const uint8_t *p, uint32_t size) {
  uint64_t head;
  int rc = record_header_extend(&c->hdr, p, size, c->hdr.want);
  /* Kept only where the short parse did not finish: rows of small fields
  ** parse about as fast as the memo is checked, and where their headers
  ** change from row to row (integers of several sizes) a memo that
  ** sometimes matches costs more in mispredicted branches than it saves. */
  if (rc == LODE_OK && c->hdr.header_size <= sizeof head && size >= sizeof head) {
    uint8_t mask[sizeof head] = {0};
    memset(mask, 0xff, c->hdr.header_size);
    memcpy(&c->hdr_memo_mask, mask, sizeof mask);
    memcpy(&head, p, sizeof head);
    c->hdr_memo = head & c->hdr_memo_mask;
    c->hdr_memo_size = size;
  }
  return rc;
}

/* column_load_btree's short parse of the row at p, with no memo to check. */
static inline __attribute__((always_inline)) int column_load_short(Vdbe *v, VdbeCursor *c, int col,
                                                                   const uint8_t *p, uint32_t size) {
  /* Stamped first, so that v is not live across the parse; a row the short
  ** parse refuses goes to column_load_btree_slow, which stamps or clears the
  ** cache again on every path. */
  column_cache_stamp(v, c, p, size);
  if (!header_parse_short(&c->hdr, p, size)) return column_load_btree_slow(v, c, col);
  if (col >= c->hdr.ncol && c->hdr.next < c->hdr.header_size) return column_load_longer(c, p, size);
  return LODE_OK;
}

/* column_load_btree for a cursor holding a memo (hdr_memo): a row whose
** header and size read the same takes the parsed header as is. */
__attribute__((noinline)) static int column_load_memo(Vdbe *v, VdbeCursor *c, int col, const uint8_t *p,
                                                      uint32_t size) {
  uint64_t head;
  /* A memo's size is at least eight: the load stays inside the record (and
  ** no memo, size 0, never matches, not even an empty record of a corrupt file). */
  if (size == c->hdr_memo_size && (memcpy(&head, p, sizeof head), (head & c->hdr_memo_mask) == c->hdr_memo)) {
    column_cache_stamp(v, c, p, size);
    if (col >= c->hdr.ncol && c->hdr.next < c->hdr.header_size)
      return record_header_extend(&c->hdr, p, size, c->hdr.want);
    return LODE_OK;
  }
  c->hdr_memo_size = 0;
  return column_load_short(v, c, col, p, size);
}

/* cursor_row for a b-tree cursor on an entry whose row is not the one
** parsed, and the header parsed far enough for field col, in one call; p
** and size are the row's payload when btree_payload_local found it wholly
** on its page (p NULL otherwise).  Nearly every row is so, with a one-byte
** header size and one-byte serial types: that shape is parsed here,
** straight into the cursor's header, and anything else (or a bound that
** does not hold) goes to column_load_btree_slow, which starts over.  The
** rarer cases are out of line, so that this one needs no saved registers.
** COLUMN_NOROW when the cursor is on no row. */
__attribute__((noinline)) static int column_load_btree(Vdbe *v, VdbeCursor *c, int col, const uint8_t *p,
                                                       uint32_t size) {
  if (col > c->hdr.want) c->hdr.want = col;
  if (!p) return column_load_btree_slow(v, c, col);
  if (c->hdr_memo_size != 0) return column_load_memo(v, c, col, p, size);
  return column_load_short(v, c, col, p, size);
}

/* column_load_btree for any shape of row: one whose header or fields are
** off the page, a long header, a moved cursor, a malformed record. */
__attribute__((noinline)) static int column_load_btree_slow(Vdbe *v, VdbeCursor *c, int col) {
  int rc, norow = 0;
  c->hdr_memo_size = 0;
  rc = load_btree_row(c);
  if (rc == LODE_DONE) {
    if ((rc = row_gone(c, &norow)) != LODE_OK) return rc;
    if (norow) return COLUMN_NOROW;
    if ((rc = load_btree_row(c)) == LODE_DONE) return COLUMN_NOROW;
  }
  if (rc != LODE_OK) {
    c->cache_gen = 0;
    return rc;
  }
  c->cache_gen = c->gen;
  c->cache_wgen = v->write_gen;
  c->cache_twgen = v->db->table_writes;
  if (col >= c->hdr.ncol && c->hdr.next < c->hdr.header_size) {
    if (col > c->hdr.want) c->hdr.want = col;
    rc = record_header_extend(&c->hdr, c->rec, c->rec_size, c->hdr.want);
  }
  return rc;
}

/* A text or blob field at least this long that lies past the on-page part
** of an overflowing row is read from the b-tree straight into the register
** (column_read_payload). */
#define COLUMN_DIRECT_MIN 1024

/* The text or blob field at off (len bytes, serial type st) of the row of
** b-tree cursor c, read into dst from the page and its overflow chain: one
** copy, a page at a time, where loading the whole row into the cursor's
** buffer and then the field into the register would copy it twice.  Later
** fields of the row are read the same way or from a full load as before. */
__attribute__((noinline)) static int column_read_payload(Vdbe *v, VdbeCursor *c, Mem *dst, uint64_t st,
                                                         uint32_t off, uint32_t len) {
  char *z = reg_bytes_buffer(v, dst, len);
  int rc;
  if (!z) return LODE_NOMEM;
  if ((rc = btree_payload(c->bt, off, len, z)) != LODE_OK) {
    reg_set_null(v, dst);
    return rc;
  }
  reg_bytes_done(dst, (st & 1) ? MEM_TEXT : MEM_BLOB, len);
  return LODE_OK;
}

static inline __attribute__((always_inline)) int op_column(Vdbe *v, const VdbeOp *op) {
  VdbeCursor *c = v->cursors[op->p1];
  Mem *dst = &v->mem[op->p3];
  int norow, rc;
  uint64_t st;
  uint32_t off, len;
  if (!c) return LODE_INTERNAL;
  if (c->kind == VDBE_CURSOR_BTREE) {
    /* A cursor still on the row its header was parsed for (the second and
    ** later columns of a row) goes straight to the field. */
    if (c->eof) {
      reg_set_null(v, dst);
      return LODE_OK;
    }
    if (c->cache_gen != c->gen || c->cache_wgen != v->write_gen || c->cache_twgen != v->db->table_writes) {
      BtreeLocalPayload pl = btree_payload_local(c->bt);
      if ((rc = column_load_btree(v, c, op->p2, pl.p, pl.size)) != LODE_OK) {
        if (rc != COLUMN_NOROW) return rc;
        reg_set_null(v, dst);
        return LODE_OK;
      }
    }
  } else {
    /* A pseudo cursor whose register still holds the record parsed needs no
    ** call (cursor_row's test, inline). */
    int cached = 0;
    if (c->kind == VDBE_CURSOR_PSEUDO) {
      const Mem *r = &v->mem[c->pseudo_reg];
      cached = r->type == MEM_BLOB && r->n > 0 && c->cache_gen == v->record_gen && c->cache_z == r->z &&
               c->rec_size == (uint32_t)r->n;
    }
    if (!cached) {
      rc = cursor_row_record(v, c, &norow);
      if (rc != LODE_OK) return rc;
      if (norow) {
        reg_set_null(v, dst);
        return LODE_OK;
      }
    }
  }
  if (op->p2 >= c->hdr.ncol) {
    if (c->hdr.next < c->hdr.header_size && (rc = column_parse_to(c, op->p2)) != LODE_OK) return rc;
    if (op->p2 >= c->hdr.ncol) {
      if (op->p4type == P4_MEM && op->p4.mem) {
        reg_prepare(v, dst);
        mem_init(dst);
        return mem_copy(dst, op->p4.mem);
      }
      reg_set_null(v, dst);
      return LODE_OK;
    }
  }
  st = c->hdr.types[op->p2];
  off = c->hdr.offsets[op->p2];
  len = record_serial_len(st);
  /* record_header_parse guarantees the field lies inside the record: only a
  ** record partly at hand (its page's part) needs the test. */
  assert(off <= c->rec_size && len <= c->rec_size - off);
  if (c->rec_avail < c->rec_size && (len > c->rec_avail || off > c->rec_avail - len)) {
    assert(c->kind == VDBE_CURSOR_BTREE);
    if (st >= 12 && len >= COLUMN_DIRECT_MIN) return column_read_payload(v, c, dst, st, off, len);
    if ((rc = load_full_payload(c)) != LODE_OK) return rc;
  }
  if (st >= 12 && (op->p5 & COLUMN_BORROW) && c->kind == VDBE_CURSOR_BTREE && c->rec != c->buf) {
    /* Lent from the page the cursor is on (it stays there until the reader,
    ** the next op, is done): no copy of a large vector per row. */
    reg_prepare(v, dst);
    dst->type = (st & 1) ? MEM_TEXT : MEM_BLOB;
    dst->owner = MEM_EPHEM;
    dst->subtype = 0;
    dst->z = (char *)(uintptr_t)(c->rec + off);
    dst->n = (int)len;
    dst->ztext = NULL;
    return LODE_OK;
  }
  if (st >= 12) return reg_set_bytes(v, dst, (st & 1) ? MEM_TEXT : MEM_BLOB, c->rec + off, len);
  /* One jump on the serial type (a table), not a chain of tests. */
  switch (st) {
  case 1:
  case 2:
  case 3:
  case 4:
  case 5:
  case 6: reg_set_int(v, dst, record_int_body(st, c->rec + off)); break; /* big-endian two's complement */
  case 7: {
    uint64_t x = util_get8(c->rec + off);
    double r;
    memcpy(&r, &x, sizeof r);
    if (r != r) reg_set_null(v, dst); /* NaN reads back as NULL */
    else reg_set_real(v, dst, r);
    break;
  }
  case 8:
  case 9: reg_set_int(v, dst, (int64_t)st - 8); break;
  default: reg_set_null(v, dst); break; /* 0, and the reserved 10 and 11 */
  }
  return LODE_OK;
}

/* The integer rowid r[reg] names, or *ok = 0 if it cannot name one. */
static int64_t rowid_operand(const Mem *m, int *ok) {
  *ok = 1;
  if (m->type == MEM_INT) return m->u.i;
  if (m->type == MEM_TEXT || m->type == MEM_BLOB || m->type == MEM_REAL) {
    Mem tmp = *m;
    tmp.owner = MEM_EPHEM;
    tmp.ztext = NULL;
    mem_apply_affinity(&tmp, AFF_NUMERIC);
    if (tmp.type == MEM_INT) return tmp.u.i;
    if (tmp.owner == MEM_DYN || tmp.ztext) mem_release(&tmp);
  }
  *ok = 0;
  return 0;
}

static int op_seek_rowid(Vdbe *v, const VdbeOp *op, int *found) {
  VdbeCursor *c = bt_cursor(v, op->p1);
  int ok, cmp = 0, rc, stayed;
  int64_t rowid = rowid_operand(&v->mem[op->p3], &ok);
  *found = 0;
  if (!c) return LODE_INTERNAL;
  if (!ok) {
    c->gen++;
    c->eof = 1;
    return LODE_OK;
  }
  rc = btree_seek_rowid_stay(c->bt, rowid, &cmp, &stayed);
  /* A cursor that was already on that row (an UPDATE's NotExists right after
  ** the seek or step that found it) did not move: the row parsed for its
  ** columns stays parsed for the record built next. */
  if (!stayed || c->eof) c->gen++;
  if (rc != LODE_OK) return rc;
  if (stayed) { /* on that very row: found */
    c->eof = 0;
    *found = 1;
    return LODE_OK;
  }
  c->eof = btree_eof(c->bt);
  *found = !c->eof && cmp == 0;
  if (!*found) c->eof = 1;
  return LODE_OK;
}

static uint64_t next_random(Vdbe *v) {
  uint64_t x = v->rng;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  v->rng = x;
  return x;
}

static int op_new_rowid(Vdbe *v, const VdbeOp *op) {
  VdbeCursor *c = bt_cursor(v, op->p1);
  int64_t max = 0;
  int empty = 0, rc;
  if (!c) return LODE_INTERNAL;
  if (c->max_valid && c->max_wgen == v->db->table_writes) {
    max = c->max_rowid; /* bulk inserts: no descent to the last leaf per row */
  } else {
    uint64_t cgen = btree_cursor_content_gen(c->bt);
    if (v->rowid_keep.cursor == op->p1 + 1 && v->rowid_keep.root == c->root && v->rowid_keep.cgen == cgen &&
        !c->temp_db) {
      /* The last run's, and no page has changed since: the cursor goes to the
      ** end only for the Insert to append there. */
      int eof;
      max = v->rowid_keep.max;
      c->gen++;
      if ((rc = btree_last(c->bt, &eof)) != LODE_OK) return rc;
    } else {
      c->gen++;
      rc = btree_max_rowid(c->bt, &max, &empty);
      if (rc != LODE_OK) return rc;
      if (empty) max = 0;
    }
    c->max_rowid = max;
    c->max_wgen = v->db->table_writes;
    c->max_valid = 1;
    c->max_cgen = cgen;
  }
  if (op->p2) {
    /* AUTOINCREMENT never goes back to a rowid it gave once, nor searches. */
    int64_t seq = mem_as_int(&v->mem[op->p2]);
    if (seq > max) max = seq;
    if (max == INT64_MAX) return vdbe_error(v, LODE_FULL, NULL);
    reg_set_int(v, &v->mem[op->p2], max + 1);
  }
  if (max < INT64_MAX) {
    /* Running concurrent transactions never take the same new rowid. */
    reg_set_int(v, &v->mem[op->p3], conn_mvcc_new_rowid(v->db, c->db, c->root, max + 1));
    return LODE_OK;
  }
  for (int i = 0; i < NEWROWID_RANDOM_TRIES; i++) {
    int64_t cand = (int64_t)(next_random(v) >> 1);
    int cmp = 0;
    if (cand == 0) continue;
    rc = btree_seek_rowid(c->bt, cand, &cmp);
    if (rc != LODE_OK) return rc;
    if (btree_eof(c->bt) || cmp != 0) {
      reg_set_int(v, &v->mem[op->p3], cand);
      return LODE_OK;
    }
  }
  return vdbe_error(v, LODE_FULL, NULL);
}

/* The row a table cursor (or a WITHOUT ROWID table's key cursor) is on, read
** whole into pu's old record (util_malloc'd in *buf). */
static int preupdate_old_row(VdbeCursor *c, ConnPreupdate *pu, uint8_t **buf) {
  pu->old_rowid = c->keyinfo ? 0 : btree_rowid(c->bt);
  pu->old_n = btree_payload_size(c->bt);
  if (!(*buf = util_malloc(pu->old_n ? pu->old_n : 1))) return LODE_NOMEM;
  pu->old_rec = *buf;
  return btree_payload(c->bt, 0, pu->old_n, *buf);
}

/* The preupdate hook (conn.h) before a table cursor's row change: op is
** the Insert or Delete, rowid the row's key (Insert), rec its new record.
** An Insert that lands on an existing row replaces it: for an UPDATE in
** place that row is the old one, for an INSERT (OR REPLACE) it is told of
** as deleted first, as SQLite tells it, unless a Delete flagged ISNOOP
** told it already (told). */
static int preupdate(Vdbe *v, const VdbeOp *op, VdbeCursor *c, int64_t rowid, const Mem *rec, int told) {
  ConnPreupdate pu = {.dbi = c->db, .root = c->root, .depth = v->depth};
  uint8_t *old = NULL;
  int rc = LODE_OK;
  if (op->opcode == OP_Delete) {
    if (c->eof) return LODE_OK;
    pu.op = op->p5 & OPFLAG_ISUPDATE ? CONN_HOOK_UPDATE : CONN_HOOK_DELETE;
    if ((rc = preupdate_old_row(c, &pu, &old)) == LODE_OK) {
      pu.new_rowid = pu.old_rowid;
      conn_hook_preupdate(v->db, &pu);
    }
    util_free(old);
    return rc;
  }
  int cmp = 0;
  rc = btree_seek_rowid(c->bt, rowid, &cmp);
  c->gen++;
  if (rc != LODE_OK) return rc;
  if (!btree_eof(c->bt) && cmp == 0 && !told) {
    if ((rc = preupdate_old_row(c, &pu, &old)) != LODE_OK) {
      util_free(old);
      return rc;
    }
    if (!(op->p5 & OPFLAG_ISUPDATE)) {
      pu.op = CONN_HOOK_DELETE;
      pu.new_rowid = rowid;
      conn_hook_preupdate(v->db, &pu);
      util_free(old);
      old = NULL;
      pu.old_rec = NULL, pu.old_n = 0, pu.old_rowid = 0;
    }
  }
  pu.op = op->p5 & OPFLAG_ISUPDATE ? CONN_HOOK_UPDATE : CONN_HOOK_INSERT;
  pu.new_rowid = rowid;
  pu.new_rec = rec->type == MEM_BLOB || rec->type == MEM_TEXT ? (const uint8_t *)rec->z : (const uint8_t *)"";
  pu.new_n = rec->type == MEM_BLOB || rec->type == MEM_TEXT ? (uint32_t)rec->n : 0;
  conn_hook_preupdate(v->db, &pu);
  util_free(old);
  return LODE_OK;
}

/* The same before an IdxInsert that writes a WITHOUT ROWID table's row:
** an INSERT, or the second part of an UPDATE (whose old row the Delete
** before it told). */
static int preupdate_entry(Vdbe *v, const VdbeOp *op, VdbeCursor *c, const Mem *rec) {
  ConnPreupdate pu = {.dbi = c->db, .root = c->root, .depth = v->depth};
  pu.op = op->p5 & OPFLAG_ISUPDATE ? CONN_HOOK_UPDATE : CONN_HOOK_INSERT;
  pu.new_rec = (const uint8_t *)rec->z;
  pu.new_n = (uint32_t)rec->n;
  conn_hook_preupdate(v->db, &pu);
  return LODE_OK;
}

/* Delete: the entry c[p1] is on goes (ISNOOP: stays, for the Insert or
** IdxInsert after it to overwrite). */
static int op_delete(Vdbe *v, const VdbeOp *op) {
  VdbeCursor *c = bt_cursor(v, op->p1);
  int64_t rowid = 0;
  int rc;
  if (!c) return LODE_INTERNAL;
  if ((op->p5 & OPFLAG_NCHANGE) && v->db->api && !c->keyinfo) rowid = btree_rowid(c->bt);
  if ((op->p5 & OPFLAG_PREUPDATE) && v->db->preupdate_on && (rc = preupdate(v, op, c, 0, NULL, 0)) != LODE_OK)
    return rc;
  if (op->p5 & OPFLAG_ISNOOP) {
    if (!c->eof && !c->keyinfo) c->noop_told = 1, c->noop_rowid = btree_rowid(c->bt);
    if (!c->eof && c->keyinfo) c->noop_gen = c->gen, c->noop_nkey = c->found_nkey;
    return LODE_OK;
  }
  if (v->db->blob_rows && !c->keyinfo && !c->eof) conn_blob_touch(v->db, c->db, c->root, btree_rowid(c->bt), 0);
  /* A row below the largest rowid leaves it as it was: NewRowid (a REPLACE's
  ** next row) still knows it, with no descent to the last leaf. */
  int max_kept = c->max_valid && c->max_wgen == v->db->table_writes && !c->keyinfo && !c->eof &&
                 btree_rowid(c->bt) < c->max_rowid;
  rc = btree_delete(c->bt);
  v->write_gen++;
  v->db->table_writes++;
  c->gen++;
  if (rc != LODE_OK) return rc;
  if (max_kept) {
    c->max_wgen = v->db->table_writes;
    c->max_cgen = btree_cursor_content_gen(c->bt);
  }
  if (op->p5 & OPFLAG_NCHANGE) v->nchange++;
  if ((op->p5 & OPFLAG_NCHANGE) && v->db->api && !c->keyinfo)
    conn_hook_update(v->db, CONN_HOOK_DELETE, c->db, c->root, rowid);
  if (op->p5 & OPFLAG_NESTED) v->nchange_pending++;
  return LODE_OK;
}

static int op_insert(Vdbe *v, const VdbeOp *op) {
  VdbeCursor *c = bt_cursor(v, op->p1);
  const Mem *rec = &v->mem[op->p2];
  int64_t rowid = mem_as_int(&v->mem[op->p3]);
  int rc;
  int max_known;
  if (!c) return LODE_INTERNAL;
  max_known = c->max_valid && c->max_wgen == v->db->table_writes;
  int told = c->noop_told && c->noop_rowid == rowid;
  c->noop_told = 0;
  if ((op->p5 & OPFLAG_PREUPDATE) && v->db->preupdate_on && (rc = preupdate(v, op, c, rowid, rec, told)) != LODE_OK)
    return rc;
  if (v->db->blob_rows) conn_blob_touch(v->db, c->db, c->root, rowid, 0);
  rc = btree_insert(c->bt, rowid, rec->type == MEM_BLOB || rec->type == MEM_TEXT ? rec->z : "",
                    rec->type == MEM_BLOB || rec->type == MEM_TEXT ? (uint32_t)rec->n : 0);
  v->write_gen++;
  v->db->table_writes++;
  c->gen++;
  if (rc != LODE_OK) return rc;
  if (max_known) {
    /* Only this insert changed the table: the largest rowid is still known. */
    if (rowid > c->max_rowid) c->max_rowid = rowid;
    c->max_wgen = v->db->table_writes;
    c->max_cgen = btree_cursor_content_gen(c->bt);
  }
  c->eof = btree_eof(c->bt);
  if (op->p5 & OPFLAG_NCHANGE) v->nchange++;
  if (op->p5 & OPFLAG_NESTED) v->nchange_pending++;
  if (op->p5 & OPFLAG_LASTROWID) v->db->last_rowid = rowid;
  if ((op->p5 & OPFLAG_NCHANGE) && v->db->update_hook_on)
    conn_hook_update(v->db, op->p5 & OPFLAG_ISUPDATE ? CONN_HOOK_UPDATE : CONN_HOOK_INSERT, c->db, c->root, rowid);
  return LODE_OK;
}

/* Makes dst an owned BLOB of n bytes, reusing its buffer when that is big enough. */
static uint8_t *reg_blob_buffer(Vdbe *v, Mem *dst, uint32_t n) {
  if (dst->owner == MEM_DYN && dst->type == MEM_BLOB && dst->z && !dst->ztext &&
      ((uint32_t)dst->n >= n || util_alloc_usable(dst->z) >= n)) {
    dst->n = (int)n;
    return (uint8_t *)dst->z;
  }
  if (dst->owner == MEM_DYN && (dst->type == MEM_BLOB || dst->type == MEM_TEXT) && dst->z && !dst->ztext) {
    char *z = util_realloc(dst->z, n ? n : 1);
    if (!z) return NULL;
    dst->z = z;
  } else {
    reg_prepare(v, dst);
    if (!(dst->z = reg_spare_or_new(v, n ? n : 1))) {
      mem_init(dst);
      return NULL;
    }
    dst->owner = MEM_DYN;
  }
  dst->type = MEM_BLOB;
  dst->n = (int)n;
  return (uint8_t *)dst->z;
}

#define ENCODE_KEPT_TYPES 32
#define ENCODE_STACK_RECORD 512 /* bytes: records up to this size are made on the stack first */

/* The low n bytes of x, big-endian; n is an integer body length (0-4, 6, 8). */
static inline void put_be(uint8_t *p, uint64_t x, uint32_t n) {
  uint32_t lo;
  uint16_t hi;
  switch (n) {
    case 8: x = __builtin_bswap64(x); memcpy(p, &x, 8); return;
    case 6:
      hi = __builtin_bswap16((uint16_t)(x >> 32));
      lo = __builtin_bswap32((uint32_t)x);
      memcpy(p, &hi, 2);
      memcpy(p + 2, &lo, 4);
      return;
    case 4: lo = __builtin_bswap32((uint32_t)x); memcpy(p, &lo, 4); return;
    case 3: p[2] = (uint8_t)x; x >>= 8; /* fall through */
    case 2: p[1] = (uint8_t)x; x >>= 8; /* fall through */
    case 1: p[0] = (uint8_t)x; /* fall through */
    default: return;
  }
}

/* A field's body as a record stores it: len bytes of an integer or REAL,
** big-endian, or the text/blob bytes. */
static inline void put_field_body(uint8_t *out, const Mem *m, uint32_t len) {
  if (m->type == MEM_INT) {
    put_be(out, (uint64_t)m->u.i, len);
  } else if (m->type == MEM_REAL) {
    uint64_t bits;
    memcpy(&bits, &m->u.r, sizeof bits);
    put_be(out, bits, len);
  } else if (len) {
    memcpy(out, m->z, len);
  }
}

/* record_serial_type with the common kinds decided here, without the call. */
static inline uint32_t field_serial_type(const Mem *m, uint32_t *len) {
  if (m->type == MEM_INT) {
    int64_t i = m->u.i;
    if (i == 0 || i == 1) return *len = 0, 8 + (uint32_t)i;
    if (i >= -128 && i <= 127) return *len = 1, 1;
    if (i >= -32768 && i <= 32767) return *len = 2, 2;
    if (i >= -8388608 && i <= 8388607) return *len = 3, 3;
    if (i >= INT32_MIN && i <= INT32_MAX) return *len = 4, 4;
  } else if (m->type == MEM_REAL) {
    return *len = 8, 7;
  } else if (m->type == MEM_NULL) {
    return *len = 0, 0;
  } else if (m->type == MEM_TEXT) {
    return *len = (uint32_t)m->n, 13 + 2 * (uint32_t)m->n;
  }
  return record_serial_type(m, len);
}

/* Whether mem_apply_affinity(m, aff) would leave m as it is: the usual case of
** a value already of its column's kind, decided without the call. */
static inline int affinity_keeps(const Mem *m, char aff) {
  switch (m->type) {
    case MEM_NULL:
    case MEM_BLOB: return 1;
    case MEM_INT: return aff != AFF_TEXT && aff != AFF_REAL;
    case MEM_REAL: return (aff == AFF_REAL && m->u.r != 0.0) || aff == AFF_NONE; /* a zero drops its sign */
    case MEM_TEXT: return aff == AFF_TEXT || aff == AFF_NONE;
    default: return 0;
  }
}

/* A text or blob past the connection's SQLITE_LIMIT_LENGTH. */
static int over_length(const Vdbe *v, const Mem *m) {
  return (m->type == MEM_TEXT || m->type == MEM_BLOB) && m->n > v->db->limits[LODE_LIMIT_LENGTH] ? LODE_TOOBIG
                                                                                              : LODE_OK;
}

/* The body of a field of serial type t (below 0x80) and len bytes. */
static inline void put_typed_body(uint8_t *out, const Mem *m, uint32_t t, uint32_t len) {
  if (t - 1u < 6u) {
    put_be(out, (uint64_t)m->u.i, len);
  } else if (t == 7) {
    uint64_t bits;
    memcpy(&bits, &m->u.r, sizeof bits);
    put_be(out, bits, 8);
  } else if (len) {
    memcpy(out, m->z, len);
  }
}

/* The usual record, made in one pass on the stack: under 32 fields, every
** serial type one byte (so the header is the field count plus one, then the
** types) and the whole record short.  Each field takes its affinity letter
** from aff (NULL, or ended early by its NUL: none) on the way, in the same
** pass.  LODE_DONE, with nothing written, for any other record (the caller
** applies what affinities are left and encode_record makes it). */
static inline __attribute__((always_inline)) int encode_short_record(Vdbe *v, Mem *vals, int n, const char *aff,
                                                                     Mem *dst) {
  uint8_t tmp[ENCODE_STACK_RECORD], *hdr = tmp + 1, *bp, *out;
  const uint8_t *end = tmp + sizeof tmp;
  uint32_t total;
  int rc;
  if (n >= ENCODE_KEPT_TYPES) return LODE_DONE;
  bp = hdr + n;
  for (int i = 0; i < n; i++) {
    Mem *m = &vals[i];
    if (aff) {
      char a = aff[i];
      if (!a) aff = NULL;
      else if (!affinity_keeps(m, a) && (rc = mem_apply_affinity(m, a)) != LODE_OK) return rc;
    }
    uint32_t flen, t = field_serial_type(m, &flen);
    if (t >= 0x80 || flen > (uint32_t)(end - bp)) return LODE_DONE;
    hdr[i] = (uint8_t)t;
    put_typed_body(bp, m, t, flen);
    bp += flen;
  }
  total = (uint32_t)(bp - tmp);
  if (total > (uint32_t)v->db->limits[LODE_LIMIT_LENGTH]) return LODE_TOOBIG;
  if (!(out = reg_blob_buffer(v, dst, total))) return LODE_NOMEM;
  tmp[0] = (uint8_t)(n + 1);
  memcpy(out, tmp, total);
  return LODE_OK;
}

/* Encodes vals[0..n) as a SQLite record into dst (value.h describes the
** format), into dst's own buffer when it is large enough: no allocation per
** row once the register has grown. */
__attribute__((noinline)) static int encode_record(Vdbe *v, const Mem *vals, int n, Mem *dst) {
  /* The serial types of the first fields are kept from the sizing pass for
  ** the writing pass; nearly all are below 0x80, one header byte each. */
  uint32_t kept[ENCODE_KEPT_TYPES];
  uint64_t types = 0, body = 0, hs;
  uint32_t len, hpos, bpos;
  uint8_t *buf;
  for (int i = 0; i < n; i++) {
    uint32_t t = field_serial_type(&vals[i], &len);
    if (i < ENCODE_KEPT_TYPES) kept[i] = t;
    types += t < 0x80 ? 1 : (uint64_t)util_varint_len(t);
    body += len;
  }
  hs = types + 1; /* the header size counts its own varint (one byte below 0x80) */
  while (hs >= 0x80 && (uint64_t)util_varint_len(hs) + types != hs) hs = types + (uint64_t)util_varint_len(hs);
  if (hs + body > (uint64_t)v->db->limits[LODE_LIMIT_LENGTH]) return LODE_TOOBIG;
  if (!(buf = reg_blob_buffer(v, dst, (uint32_t)(hs + body)))) return LODE_NOMEM;
  hpos = hs < 0x80 ? (buf[0] = (uint8_t)hs, 1) : (uint32_t)util_varint_put(buf, hs);
  bpos = (uint32_t)hs;
  for (int i = 0; i < n; i++) {
    const Mem *m = &vals[i];
    uint32_t t = i < ENCODE_KEPT_TYPES ? kept[i] : record_serial_type(m, &len);
    len = record_serial_len(t);
    if (t < 0x80) buf[hpos++] = (uint8_t)t;
    else hpos += (uint32_t)util_varint_put(buf + hpos, t);
    put_field_body(buf + bpos, m, len);
    bpos += len;
  }
  assert(hpos == hs && bpos == hs + body);
  return LODE_OK;
}

/* Whether vals[0..n) decode back from their record as they are: values of
** the five storage classes (anything else was encoded as NULL). */
static int plain_values(const Mem *vals, int n) {
  for (int i = 0; i < n; i++)
    if (vals[i].type < MEM_INT || vals[i].type > MEM_NULL) return 0;
  return 1;
}

/* MakeRecord with p5 = cursor + 1: the fields whose p4 letter is
** RECORD_KEEP_FIELD are copied as stored from that cursor's current row (an
** UPDATE's columns that nothing reads: neither decoded into registers nor
** encoded again); a field the row's record lacks stays missing or is NULL,
** which codegen allows only for columns whose default is NULL.  The others
** are encoded from their registers as MakeRecord does.  The kept fields at
** the end (k on) are one run of header bytes and one of body bytes, copied
** without parsing their part of the old header. */
static int make_record_keeping(Vdbe *v, const VdbeOp *op) {
  VdbeCursor *c = bt_cursor(v, op->p5 - 1);
  Mem *first = &v->mem[op->p1], *dst = &v->mem[op->p3];
  const char *aff = op->p4.z;
  const uint8_t *rec, *q, *hend;
  uint64_t types = 0, body = 0, hs, t;
  uint32_t len, hpos, bpos, tail_h = 0, tail_b = 0, tail_at = 0;
  uint8_t *buf;
  int norow, rc, i, n = op->p2, k = n;
  if (!c || !aff) return LODE_INTERNAL;
  if ((rc = cursor_row(v, c, &norow)) != LODE_OK) return rc;
  if (norow) return LODE_INTERNAL; /* the program is on the row it rewrites */
  if (c->rec_avail < c->rec_size && (rc = load_full_payload(c)) != LODE_OK) return rc;
  while (k > 0 && aff[k - 1] == RECORD_KEEP_FIELD) k--;
  /* Fields before k: their serial types and offsets from the parsed header
  ** (the next rows' loads parse that far at once: hdr.want). */
  if (k - 1 > c->hdr.want) c->hdr.want = k - 1;
  if (k > 0 && c->hdr.ncol < k && c->hdr.next < c->hdr.header_size &&
      (rc = record_header_extend(&c->hdr, c->rec, c->rec_size, k - 1)) != LODE_OK)
    return rc;
  rec = c->rec;
  if (k < n) {
    /* Where field k's serial type starts in the old header: the header's
    ** own varints read again (record_header_extend validated them). */
    hend = rec + c->hdr.header_size;
    q = rec + util_varint_get_bounded(rec, hend, &t);
    for (i = 0; i < k && q < hend; i++) q += util_varint_get_bounded(q, hend, &t);
    if (i == k && q < hend) {
      tail_h = (uint32_t)(hend - q);
      tail_at = k < c->hdr.ncol ? c->hdr.offsets[k] : (uint32_t)c->hdr.body;
      if (tail_at > c->rec_size) return LODE_CORRUPT;
      tail_b = c->rec_size - tail_at;
    }
  }
  for (i = 0; i < k; i++) {
    if (aff[i] == RECORD_KEEP_FIELD) {
      t = i < c->hdr.ncol ? c->hdr.types[i] : 0;
      len = record_serial_len(t);
    } else {
      if (!affinity_keeps(&first[i], aff[i]) && (rc = mem_apply_affinity(&first[i], aff[i])) != LODE_OK) return rc;
      t = field_serial_type(&first[i], &len);
    }
    types += t < 0x80 ? 1 : (uint64_t)util_varint_len(t);
    body += len;
  }
  types += tail_h;
  body += tail_b;
  hs = types + 1;
  while ((uint64_t)util_varint_len(hs) + types != hs) hs = types + (uint64_t)util_varint_len(hs);
  if (hs + body > (uint64_t)v->db->limits[LODE_LIMIT_LENGTH]) return LODE_TOOBIG;
  v->record_gen++;
  if (!(buf = reg_blob_buffer(v, dst, (uint32_t)(hs + body)))) return LODE_NOMEM;
  hpos = hs < 0x80 ? (buf[0] = (uint8_t)hs, 1) : (uint32_t)util_varint_put(buf, hs);
  bpos = (uint32_t)hs;
  for (i = 0; i < k;) {
    if (aff[i] == RECORD_KEEP_FIELD && i < c->hdr.ncol) {
      /* A run of kept fields lies together in the old body: one copy. */
      uint32_t from = c->hdr.offsets[i], run = 0;
      for (; i < k && aff[i] == RECORD_KEEP_FIELD && i < c->hdr.ncol; i++) {
        t = c->hdr.types[i];
        run += record_serial_len(t);
        if (t < 0x80) buf[hpos++] = (uint8_t)t;
        else hpos += (uint32_t)util_varint_put(buf + hpos, t);
      }
      if (run) memcpy(buf + bpos, rec + from, run);
      bpos += run;
      continue;
    }
    if (aff[i] == RECORD_KEEP_FIELD) {
      t = 0; /* past the old record's fields: NULL */
      len = 0;
    } else {
      t = field_serial_type(&first[i], &len);
      put_field_body(buf + bpos, &first[i], len);
    }
    if (t < 0x80) buf[hpos++] = (uint8_t)t;
    else hpos += (uint32_t)util_varint_put(buf + hpos, t);
    bpos += len;
    i++;
  }
  if (tail_h) memcpy(buf + hpos, rec + c->hdr.header_size - tail_h, tail_h);
  if (tail_b) memcpy(buf + bpos, rec + tail_at, tail_b);
  assert(hpos + tail_h == hs && bpos + tail_b == hs + body);
  return LODE_OK;
}

/* Applies the affinity letters of aff (up to its NUL, at most n) to vals. */
__attribute__((noinline)) static int apply_affinities(Mem *vals, int n, const char *aff) {
  for (int i = 0; aff && i < n && aff[i]; i++) {
    if (affinity_keeps(&vals[i], aff[i])) continue;
    int rc = mem_apply_affinity(&vals[i], aff[i]);
    if (rc != LODE_OK) return rc;
  }
  return LODE_OK;
}

/* MakeRecord without p5 (make_record_keeping takes those).  *skip = 1 when
** the record would only feed the next op, a SorterInsert
** into a bounded sorter that would drop it (ORDER BY … LIMIT once the
** sorter is full): neither the record nor the insert is needed. */
static int op_make_record(Vdbe *v, const VdbeOp *op, int *skip) {
  Mem *first = &v->mem[op->p1], *dst = &v->mem[op->p3];
  const char *aff = op->p4type == P4_STRING ? op->p4.z : NULL;
  int rc, n = op->p2;
  *skip = 0;
  assert(!op->p5); /* make_record_keeping's */
  if (op + 1 < v->ops + v->nop && op[1].opcode == OP_SorterInsert && op[1].p2 == op->p3) {
    const VdbeCursor *c = v->cursors[op[1].p1];
    if (aff && (rc = apply_affinities(first, n, aff)) != LODE_OK) return rc;
    aff = NULL;
    if (c && c->kind == VDBE_CURSOR_SORTER && sorter_would_drop(c->sorter, first, n)) return *skip = 1, LODE_OK;
  }
  v->record_gen++;
  if (op->p3 >= op->p1 && op->p3 < op->p1 + n) {
    /* The target is also an input: encode into a fresh buffer first. */
    uint8_t *buf = NULL;
    uint32_t len = 0;
    if (aff && (rc = apply_affinities(first, n, aff)) != LODE_OK) return rc;
    if ((rc = record_encode(first, n, &buf, &len)) != LODE_OK) return rc;
    reg_prepare(v, dst);
    dst->type = MEM_BLOB;
    dst->owner = MEM_DYN;
    dst->z = (char *)buf;
    dst->n = (int)len;
    return LODE_OK;
  }
  rc = encode_short_record(v, first, n, aff, dst);
  if (rc != LODE_DONE) return rc;
  /* Affinity is the same applied twice: the fields the short pass reached keep theirs. */
  if (aff && (rc = apply_affinities(first, n, aff)) != LODE_OK) return rc;
  return encode_record(v, first, n, dst);
}

static int op_count(Vdbe *v, const VdbeOp *op) {
  VdbeCursor *c = bt_cursor(v, op->p1);
  int64_t n = 0;
  int rc;
  if (!c) return LODE_INTERNAL;
  c->gen++;
  rc = btree_count(c->bt, &n);
  c->eof = 1;
  if (rc != LODE_OK) return rc;
  reg_set_int(v, &v->mem[op->p2], n);
  return LODE_OK;
}

/* ---- index entries ------------------------------------------------------------------ */

/* Makes c->rec the whole record of c's current entry (copied once when part
** of it is on overflow pages); *norow = 1 when the cursor is on no entry. */
static int cursor_entry(Vdbe *v, VdbeCursor *c, int *norow) {
  int rc = cursor_row(v, c, norow);
  if (rc != LODE_OK || *norow) return rc;
  if (c->rec_avail < c->rec_size) return load_full_payload(c);
  return LODE_OK;
}

/* IdxLT/LE/GE/GT: the entry's first p4.i fields against the key. */
static int op_idx_compare(Vdbe *v, const VdbeOp *op, int *jump) {
  VdbeCursor *c = bt_cursor(v, op->p1);
  int norow = 1, cmp = 0, rc;
  *jump = 0;
  if (!c || !c->keyinfo) return LODE_INTERNAL;
  if (c->seek_next == op && c->seek_gen == c->gen && op[-1].p3 == op->p3 && op[-1].p4.i == op->p4.i) {
    /* Right after the seek, with its key: the seek told how its entry compares. */
    c->seek_next = NULL;
    cmp = c->seek_cmp;
  } else {
    if ((rc = cursor_entry(v, c, &norow)) != LODE_OK) return rc;
    if (norow) return LODE_INTERNAL; /* the program seeks before it compares */
    const Mem *key = &v->mem[op->p3];
    int nkey = op->p4.i, c0;
  /* Decided by the first field, whose place the row's load has parsed
  ** (record_compare would read its header again). */
  if (nkey > 0 && c->hdr.ncol > 0 && c->keyinfo->nkey > 0 &&
      record_field_cmp_fast(c->hdr.types[0], c->rec + c->hdr.offsets[0], record_serial_len(c->hdr.types[0]), key,
                            c->keyinfo->coll[0], &c0) &&
      (c0 || nkey == 1)) {
    cmp = c->keyinfo->desc[0] ? -c0 : c0;
    } else if ((rc = record_compare(c->keyinfo, c->rec, c->rec_size, key, nkey, &cmp)) != LODE_OK) {
      return rc;
    }
  }
  switch (op->opcode) {
  case OP_IdxLT: *jump = cmp < 0; break;
  case OP_IdxLE: *jump = cmp <= 0; break;
  case OP_IdxGE: *jump = cmp >= 0; break;
  default: *jump = cmp > 0; break;
  }
  return LODE_OK;
}

/* The rowid of an index entry: its last field, an integer. */
static int entry_rowid(Vdbe *v, VdbeCursor *c, int64_t *rowid, int *norow) {
  uint64_t st;
  uint32_t off, len;
  Mem m;
  if (c->kind == VDBE_CURSOR_BTREE && !c->eof) {
    /* The last field's body ends the record, so the rowid is read from the
    ** last header byte and the record's end without a walk of the header:
    ** the usual entry has a one-byte header size, the rowid's serial type
    ** in one byte (the byte before it ends the previous varint) and lies
    ** on the page.  Anything else takes the parse below. */
    static const uint8_t width[10] = {0, 1, 2, 3, 4, 6, 8, 0, 0, 0};
    const uint8_t *p;
    uint32_t size = 0, avail = 0;
    if (c->cache_gen == c->gen && c->cache_wgen == v->write_gen && c->cache_twgen == v->db->table_writes) {
      p = c->rec;
      size = c->rec_size;
      avail = c->rec_avail;
    } else {
      p = btree_payload_view(c->bt, &avail, &size); /* NULL when moved: cursor_row below finds its place */
    }
    if (p && avail >= size && size >= 3) {
      uint32_t hs = p[0], t;
      if (hs >= 2 && hs < 0x80 && hs < size && p[hs - 2] < 0x80 && (t = p[hs - 1]) >= 1 && t <= 9 && t != 7 &&
          hs + width[t] <= size) {
        *norow = 0;
        *rowid = t >= 8 ? (int64_t)t - 8 : record_int_body(t, p + size - width[t]);
        return LODE_OK;
      }
    }
  }
  int rc = cursor_row(v, c, norow);
  if (rc != LODE_OK || *norow) return rc;
  if (c->hdr.next < c->hdr.header_size && (rc = record_header_extend(&c->hdr, c->rec, c->rec_size, INT_MAX)) != LODE_OK)
    return rc;
  if (c->hdr.ncol < 1) return LODE_CORRUPT;
  st = c->hdr.types[c->hdr.ncol - 1];
  off = c->hdr.offsets[c->hdr.ncol - 1];
  len = record_serial_len(st);
  if (st == 0 || st == 7 || st > 9) return LODE_CORRUPT;
  if (off > c->rec_size || len > c->rec_size - off) return LODE_CORRUPT;
  if ((len > c->rec_avail || off > c->rec_avail - len) && (rc = load_full_payload(c)) != LODE_OK) return rc;
  mem_init(&m);
  record_decode_value(c->rec + off, st, &m);
  *rowid = m.u.i;
  return LODE_OK;
}

/* Found/NotFound/NoConflict: *jump as the op decides. */
static int op_found(Vdbe *v, const VdbeOp *op, int *jump) {
  VdbeCursor *c = bt_cursor(v, op->p1);
  const Mem *key = &v->mem[op->p3];
  int nkey = op->p4type == P4_INT32 ? op->p4.i : 0, found = 0, rc;
  *jump = 0;
  if (!c || !c->keyinfo) return LODE_INTERNAL;
  if (nkey == 0) {
    if ((rc = vdbe_index_unpack(c, key, &nkey)) != LODE_OK) return rc;
    key = c->keybuf;
  }
  if (op->opcode == OP_NoConflict) {
    /* NULLs are distinct from each other: a key with one conflicts with nothing. */
    c->probe_gen = 0;
    for (int i = 0; i < nkey; i++)
      if (key[i].type == MEM_NULL) return *jump = 1, LODE_OK;
  }
  if ((rc = vdbe_index_find(c, key, nkey, &found)) != LODE_OK) return rc;
  if (op->opcode == OP_NoConflict && !found) c->probe_gen = c->gen;
  if (op->opcode == OP_NoConflict && found) c->found_nkey = nkey;
  *jump = op->opcode == OP_Found ? found : !found;
  return LODE_OK;
}

/* Lode has no deferred moves: the table cursor goes to the row at once. */
static int op_deferred_seek(Vdbe *v, const VdbeOp *op) {
  VdbeCursor *ic = bt_cursor(v, op->p1), *tc = bt_cursor(v, op->p3);
  int64_t rowid = 0;
  int norow = 1, cmp = 0, rc;
  if (!ic || !ic->keyinfo || !tc || tc->keyinfo) return LODE_INTERNAL;
  if ((rc = entry_rowid(v, ic, &rowid, &norow)) != LODE_OK) return rc;
  tc->gen++;
  tc->eof = 1;
  if (norow) return LODE_OK;
  if ((rc = btree_seek_rowid(tc->bt, rowid, &cmp)) != LODE_OK) return rc;
  if (btree_eof(tc->bt) || cmp != 0) return LODE_CORRUPT; /* the index names a row the table lacks */
  tc->eof = 0;
  return LODE_OK;
}

/* ---- expressions ------------------------------------------------------------------- */

static int op_arith(Vdbe *v, const VdbeOp *op) {
  static const char ops[] = {'+', '-', '*', '/', '%'};
  Mem *a = &v->mem[op->p2], *b = &v->mem[op->p1], *out = &v->mem[op->p3];
  Mem tmp;
  int rc;
  if (a->type == MEM_INT && b->type == MEM_INT && op->opcode <= OP_Multiply) {
    int64_t r;
    int overflow;
    if (op->opcode == OP_Add) overflow = __builtin_add_overflow(a->u.i, b->u.i, &r);
    else if (op->opcode == OP_Subtract) overflow = __builtin_sub_overflow(a->u.i, b->u.i, &r);
    else overflow = __builtin_mul_overflow(a->u.i, b->u.i, &r);
    if (!overflow) {
      reg_set_int(v, out, r);
      return LODE_OK;
    }
  }
  if ((a->type == MEM_REAL || a->type == MEM_INT) && (b->type == MEM_REAL || b->type == MEM_INT) &&
      op->opcode <= OP_Divide && (a->type == MEM_REAL || b->type == MEM_REAL)) {
    /* A REAL operand makes the operation REAL, as in mem_arith, without its
    ** numeric conversions of the operands. */
    double x = a->type == MEM_REAL ? a->u.r : (double)a->u.i, y = b->type == MEM_REAL ? b->u.r : (double)b->u.i, r;
    if (op->opcode == OP_Add) r = x + y;
    else if (op->opcode == OP_Subtract) r = x - y;
    else if (op->opcode == OP_Multiply) r = x * y;
    else if (y == 0.0) return reg_set_null(v, out), LODE_OK;
    else r = x / y;
    if (r != r) reg_set_null(v, out); /* NaN (inf - inf, 0 * inf) is NULL */
    else reg_set_real(v, out, r);
    return LODE_OK;
  }
  mem_init(&tmp);
  rc = mem_arith(ops[op->opcode - OP_Add], a, b, &tmp);
  if (rc != LODE_OK) return rc;
  reg_move(v, out, &tmp);
  return LODE_OK;
}

static int64_t shift_value(int64_t a, int64_t by, int left) {
  uint64_t u = (uint64_t)a;
  if (by < 0) {
    left = !left;
    by = by > -SHIFT_BITS ? -by : SHIFT_BITS;
  }
  if (by >= SHIFT_BITS) return (a >= 0 || left) ? 0 : -1;
  if (by == 0) return a;
  if (left) return (int64_t)(u << by);
  u >>= by;
  if (a < 0) u |= ~(uint64_t)0 << (SHIFT_BITS - by);
  return (int64_t)u;
}

static void op_bits(Vdbe *v, const VdbeOp *op) {
  Mem *a = &v->mem[op->p2], *b = &v->mem[op->p1], *out = &v->mem[op->p3];
  int64_t x, y, r;
  if (a->type == MEM_NULL || b->type == MEM_NULL) {
    reg_set_null(v, out);
    return;
  }
  x = mem_as_int(a);
  y = mem_as_int(b);
  switch (op->opcode) {
  case OP_BitAnd: r = x & y; break;
  case OP_BitOr: r = x | y; break;
  case OP_ShiftLeft: r = shift_value(x, y, 1); break;
  default: r = shift_value(x, y, 0); break;
  }
  reg_set_int(v, out, r);
}

/* 0 false, 1 true, 2 NULL. */
static int truth(const Mem *m) { return m->type == MEM_NULL ? 2 : mem_is_true(m) ? 1 : 0; }

static void op_logic(Vdbe *v, const VdbeOp *op) {
  int a = truth(&v->mem[op->p1]), b = truth(&v->mem[op->p2]), r;
  if (op->opcode == OP_And) r = (a == 0 || b == 0) ? 0 : (a == 2 || b == 2) ? 2 : 1;
  else r = (a == 1 || b == 1) ? 1 : (a == 2 || b == 2) ? 2 : 0;
  if (r == 2) reg_set_null(v, &v->mem[op->p3]);
  else reg_set_int(v, &v->mem[op->p3], r);
}

/* A view of m to convert for a comparison without changing the register. */
static Mem borrow(const Mem *m) {
  Mem t = *m;
  if (t.owner == MEM_DYN) t.owner = MEM_EPHEM;
  t.ztext = NULL;
  return t;
}

static void drop_borrow(Mem *t) {
  if (t->owner == MEM_DYN || t->ztext) mem_release(t);
}

static int is_numeric_type(int t) { return t == MEM_INT || t == MEM_REAL; }

/* Compares lhs with rhs under the affinity of p5 and collation p4; *res as
** memcmp.  Both operands are non-NULL. */
__attribute__((noinline)) static int compare_values(const VdbeOp *op, const Mem *lhs, const Mem *rhs, int *res) {
  int aff = op->p5 & CMP_AFF_MASK;
  int coll = op->p4type == P4_INT32 ? op->p4.i : COLL_BINARY;
  char affinity = aff ? (char)('A' + aff - 1) : 0;
  Mem a, b;
  int rc = LODE_OK;
  if (lhs->type == MEM_INT && rhs->type == MEM_INT) {
    *res = lhs->u.i < rhs->u.i ? -1 : lhs->u.i > rhs->u.i;
    return LODE_OK;
  }
  if (affinity >= AFF_NUMERIC) { /* numeric text compares as its number; the rest as it is */
    *res = mem_compare_numeric(lhs, rhs, coll);
    return LODE_OK;
  }
  a = borrow(lhs);
  b = borrow(rhs);
  if (affinity == AFF_TEXT) {
    if (is_numeric_type(a.type)) rc = mem_apply_affinity(&a, AFF_TEXT);
    if (rc == LODE_OK && is_numeric_type(b.type)) rc = mem_apply_affinity(&b, AFF_TEXT);
  }
  if (rc == LODE_OK) *res = mem_compare(&a, &b, coll);
  drop_borrow(&a);
  drop_borrow(&b);
  return rc;
}

/* The common pairs of operands a comparison op decides without converting
** either: two REALs (under every affinity but TEXT's, which would compare
** their renderings), two texts under BINARY with an affinity that leaves
** text alone.  Returns 0 for any other pair; else *res as memcmp. */
static inline int compare_fast(const VdbeOp *op, const Mem *lhs, const Mem *rhs, int *res) {
  int aff = op->p5 & CMP_AFF_MASK;
  if (lhs->type == MEM_REAL && rhs->type == MEM_REAL && aff != AFF_TEXT - 'A' + 1) {
    *res = lhs->u.r < rhs->u.r ? -1 : lhs->u.r > rhs->u.r;
    return 1;
  }
  if (lhs->type == MEM_TEXT && rhs->type == MEM_TEXT && aff < AFF_NUMERIC - 'A' + 1 &&
      (op->p4type != P4_INT32 || op->p4.i == COLL_BINARY)) {
    int n = lhs->n < rhs->n ? lhs->n : rhs->n;
    int c = n > 0 ? memcmp(lhs->z, rhs->z, (size_t)n) : 0;
    *res = c ? (c < 0 ? -1 : 1) : (lhs->n < rhs->n ? -1 : lhs->n > rhs->n);
    return 1;
  }
  return 0;
}

/* Evaluates r[p3] OP r[p1]: *outcome = 1 true, 0 false, 2 NULL. */
static int compare_op(Vdbe *v, const VdbeOp *op, int opcode, int *outcome) {
  const Mem *lhs = &v->mem[op->p3], *rhs = &v->mem[op->p1];
  int res = 0, rc;
  if (compare_fast(op, lhs, rhs, &res)) {
    /* decided without a conversion */
  } else if (lhs->type == MEM_NULL || rhs->type == MEM_NULL) {
    if (!(op->p5 & CMP_NULLEQ)) return *outcome = 2, LODE_OK;
    res = (lhs->type == MEM_NULL && rhs->type == MEM_NULL) ? 0 : 1;
  } else {
    rc = compare_values(op, lhs, rhs, &res);
    if (rc != LODE_OK) return rc;
  }
  switch (opcode) {
  case OP_Eq: *outcome = res == 0; break;
  case OP_Ne: *outcome = res != 0; break;
  case OP_Lt: *outcome = res < 0; break;
  case OP_Le: *outcome = res <= 0; break;
  case OP_Gt: *outcome = res > 0; break;
  default: *outcome = res >= 0; break;
  }
  return LODE_OK;
}

/* ---- functions and aggregates --------------------------------------------------------- */

static inline Mem **collect_args(Vdbe *v, const VdbeOp *op) {
  Mem **argv = v->argv;
  if (v->argv_op == op) return argv;
  Mem *m = &v->mem[op->p2];
  for (int i = 0; i < op->p5; i++) argv[i] = m + i;
  v->argv_op = op;
  return argv;
}

/* Reports a function's failure (taking its message). */
static int func_failed(Vdbe *v, FuncContext *ctx) {
  int rc = ctx->rc;
  if (ctx->errmsg) conn_error_take(v->db, rc, ctx->errmsg);
  else conn_error(v->db, rc, NULL);
  ctx->errmsg = NULL;
  return rc;
}

/* 1 when the function may write its result straight into r[p3], which is
** then made its NULL result to be: the register is no argument and no
** argument borrows bytes from its buffer, so clearing it first takes
** nothing from the call.  The text buffer it owns is offered to the
** function for its result (FuncContext.spare: a string function then needs
** no allocation per row).  Writing in place also spares copying a result
** built on the stack field by field into the register whole, a load the CPU
** cannot forward from those stores.  0: r[p3] is untouched. */
static inline __attribute__((always_inline)) int result_in_place(Vdbe *v, const VdbeOp *op, FuncContext *ctx) {
  Mem *dst = &v->mem[op->p3];
  if (op->p3 >= op->p2 && op->p3 < op->p2 + op->p5) return 0;
  if (dst->ztext) {
    /* Rare (a number column_text() rendered): no argument may view it. */
    for (int i = 0; i < op->p5; i++)
      if (v->mem[op->p2 + i].owner == MEM_EPHEM) return 0;
  }
  if (dst->owner == MEM_DYN && (dst->type == MEM_TEXT || dst->type == MEM_BLOB) && dst->z) {
    size_t usable = util_alloc_usable(dst->z), span = usable ? usable : (size_t)dst->n + 1;
    for (int i = 0; i < op->p5; i++) {
      const Mem *a = &v->mem[op->p2 + i];
      if (a->owner == MEM_EPHEM && a->z && a->z >= dst->z && a->z < dst->z + span) return 0;
    }
    if (usable && !dst->ztext) {
      ctx->spare = dst->z;
      ctx->spare_cap = usable;
      dst->owner = MEM_STATIC; /* the register no longer owns it */
      dst->z = NULL;
    }
  }
  if (dst->owner == MEM_DYN || dst->ztext || dst->type == MEM_AGG) vdbe_reg_clear(v, dst);
  mem_init(dst);
  return 1;
}

static inline __attribute__((always_inline)) int op_function(Vdbe *v, const VdbeOp *op) {
  Mem tmp, *dst = &v->mem[op->p3];
  FuncContext ctx;
  /* Field by field: a zeroing initializer becomes a string store whose start-up costs more than the fields. */
  ctx.db = v->db;
  ctx.agg = NULL;
  ctx.rc = LODE_OK;
  ctx.errmsg = NULL;
  ctx.spare = NULL;
  ctx.spare_cap = 0;
  ctx.coll = op->p1 & FUNCTION_P1_COLL;
  ctx.user_data = op->p4.func->user_data;
  ctx.stmt_state = &v->fstate;
  ctx.call_site = op;
  ctx.const_args = (uint32_t)op->p1 >> FUNCTION_P1_CONST_SHIFT;
  if (result_in_place(v, op, &ctx)) {
    ctx.out = dst;
  } else {
    mem_init(&tmp);
    ctx.out = &tmp;
  }
  op->p4.func->scalar(&ctx, op->p5, collect_args(v, op));
  if (ctx.spare) util_free(ctx.spare);
  if (ctx.rc != LODE_OK) {
    mem_release(ctx.out);
    return func_failed(v, &ctx);
  }
  if (ctx.errmsg) util_free(ctx.errmsg);
  if (ctx.out->owner == MEM_EPHEM && mem_make_owned(ctx.out) != LODE_OK) return LODE_NOMEM;
  if (ctx.out == &tmp) reg_move(v, dst, &tmp);
  return LODE_OK;
}

static uint64_t hash_bytes(const char *z, int n, uint64_t h) {
  for (int i = 0; i < n; i++) h = (h ^ (uint8_t)z[i]) * 0x100000001B3ull;
  return h;
}

/* Text as collation coll sees it: NOCASE folds ASCII letters and sees
** nothing past a zero byte but the length, RTRIM ignores trailing spaces. */
static uint64_t hash_text(const char *z, int n, int coll, uint64_t h) {
  if (coll >= COLL_USER_FIRST) return h; /* equal under a user collation says nothing of the bytes */
  if (coll == COLL_RTRIM)
    while (n > 0 && z[n - 1] == ' ') n--;
  if (coll != COLL_NOCASE) return hash_bytes(z, n, h);
  for (int i = 0; i < n && z[i]; i++) {
    uint8_t c = (uint8_t)z[i];
    h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * 0x100000001B3ull;
  }
  return (h ^ (uint64_t)n) * 0x100000001B3ull;
}

/* Consistent with mem_compare(.., coll) == 0: equal numbers hash alike, and
** texts equal under the collation. */
static uint64_t hash_value(const Mem *m, int coll) {
  const uint64_t basis = 0xCBF29CE484222325ull;
  switch (m->type) {
  case MEM_INT: return (uint64_t)m->u.i * 0x9E3779B97F4A7C15ull;
  case MEM_REAL: {
    double r = m->u.r;
    if (r >= -9.2e18 && r <= 9.2e18 && (double)(int64_t)r == r) return (uint64_t)(int64_t)r * 0x9E3779B97F4A7C15ull;
    uint64_t bits;
    memcpy(&bits, &r, sizeof bits);
    return bits * 0x9E3779B97F4A7C15ull + 1;
  }
  case MEM_TEXT: return hash_text(m->z, m->n, coll, basis);
  case MEM_BLOB: return hash_bytes(m->z, m->n, basis ^ 0xB10B);
  default: return 0x5EED;
  }
}

/* Rows of SELECT DISTINCT are records; two rows are the same when every
** field compares equal (so 2 and 2.0, or 0.0 and -0.0, are one row).  The
** fields are read one at a time straight from the record, with no header
** parse kept: a record that is not well formed ends early. */
typedef struct FieldWalk {
  const uint8_t *p;
  uint32_t n, hpos, hend, bpos;
} FieldWalk;

static void field_walk_start(FieldWalk *w, const Mem *rec) {
  uint64_t hs = 0;
  int k;
  w->p = (const uint8_t *)rec->z;
  w->n = rec->type == MEM_BLOB ? (uint32_t)rec->n : 0;
  k = w->n ? util_varint_get_bounded(w->p, w->p + w->n, &hs) : 0;
  if (k == 0 || hs < (uint64_t)k || hs > w->n) hs = k = 0;
  w->hpos = (uint32_t)k;
  w->hend = w->bpos = (uint32_t)hs;
}

/* The next field into m; 0 at the end. */
static int field_walk_next(FieldWalk *w, Mem *m) {
  uint64_t type;
  int k;
  if (w->hpos >= w->hend) return 0;
  k = util_varint_get_bounded(w->p + w->hpos, w->p + w->hend, &type);
  if (k == 0) return 0;
  uint32_t len = record_serial_len(type);
  if (len > w->n - w->bpos) return 0;
  w->hpos += (uint32_t)k;
  mem_init(m);
  w->bpos += record_decode_value(w->p + w->bpos, type, m);
  return 1;
}

static int field_coll(const KeyInfo *k, int i) { return k && i < k->nkey ? k->coll[i] : COLL_BINARY; }

static uint64_t hash_row(const Mem *rec, const KeyInfo *k) {
  FieldWalk w;
  Mem m;
  uint64_t hash = 0x52F0;
  field_walk_start(&w, rec);
  for (int i = 0; field_walk_next(&w, &m); i++) hash = (hash ^ hash_value(&m, field_coll(k, i))) * 0x100000001B3ull;
  return hash;
}

static int rows_equal(const Mem *a, const Mem *b, const KeyInfo *k) {
  FieldWalk wa, wb;
  Mem x, y;
  field_walk_start(&wa, a);
  field_walk_start(&wb, b);
  for (int i = 0;; i++) {
    int more_a = field_walk_next(&wa, &x), more_b = field_walk_next(&wb, &y);
    if (!more_a || !more_b) return more_a == more_b;
    if (mem_compare(&x, &y, field_coll(k, i)) != 0) return 0;
  }
}

/* hash_row of the record that vals[0..n) would make. */
static uint64_t hash_values(const Mem *vals, int n, const KeyInfo *k) {
  uint64_t hash = 0x52F0;
  for (int i = 0; i < n; i++) hash = (hash ^ hash_value(&vals[i], field_coll(k, i))) * 0x100000001B3ull;
  return hash;
}

/* rows_equal of a record and the record vals[0..n) would make. */
static int row_equals_values(const Mem *rec, const Mem *vals, int n, const KeyInfo *k) {
  FieldWalk w;
  Mem x;
  int i = 0;
  field_walk_start(&w, rec);
  for (; field_walk_next(&w, &x); i++)
    if (i >= n || mem_compare(&x, &vals[i], field_coll(k, i)) != 0) return 0;
  return i == n;
}

static uint64_t distinct_hash(const DistinctSet *s, const Mem *m) {
  return s->rows ? hash_row(m, s->keyinfo) : hash_value(m, s->coll);
}

/* Twice the slots; each entry moves by the hash it keeps. */
static int distinct_grow(DistinctSet *s) {
  uint32_t cap = s->cap ? s->cap * 2 : 16;
  Mem *slots = util_zalloc((size_t)cap * sizeof *slots);
  uint8_t *used = util_zalloc(cap);
  uint64_t *hashes = util_malloc((size_t)cap * sizeof *hashes);
  if (!slots || !used || !hashes) {
    util_free(slots);
    util_free(used);
    util_free(hashes);
    return LODE_NOMEM;
  }
  for (uint32_t i = 0; i < s->cap; i++) {
    if (!s->used[i]) continue;
    uint32_t j = (uint32_t)s->hashes[i] & (cap - 1);
    while (used[j]) j = (j + 1) & (cap - 1);
    slots[j] = s->slots[i];
    hashes[j] = s->hashes[i];
    used[j] = 1;
  }
  util_free(s->slots);
  util_free(s->used);
  util_free(s->hashes);
  s->slots = slots;
  s->used = used;
  s->hashes = hashes;
  s->cap = cap;
  return LODE_OK;
}

/* Adds m to the set; *seen = 1 if an equal value was already there. */
static int distinct_add(DistinctSet *s, const Mem *m, int *seen) {
  uint32_t j;
  *seen = 0;
  if ((s->count + 1) * 4 > s->cap * 3 && distinct_grow(s) != LODE_OK) return LODE_NOMEM;
  uint64_t hash = distinct_hash(s, m);
  j = (uint32_t)hash & (s->cap - 1);
  for (; s->used[j]; j = (j + 1) & (s->cap - 1)) {
    if (s->hashes[j] != hash) continue;
    if (s->rows ? rows_equal(&s->slots[j], m, s->keyinfo) : mem_compare(&s->slots[j], m, s->coll) == 0)
      return *seen = 1, LODE_OK;
  }
  mem_init(&s->slots[j]);
  if (mem_copy(&s->slots[j], m) != LODE_OK) return LODE_NOMEM;
  s->hashes[j] = hash;
  s->used[j] = 1;
  s->count++;
  return LODE_OK;
}

/* distinct_add of the record vals[0..n) would make (s->rows), made only
** when the row is new. */
static int distinct_add_values(DistinctSet *s, const Mem *vals, int n, int *seen) {
  uint32_t j;
  *seen = 0;
  if ((s->count + 1) * 4 > s->cap * 3 && distinct_grow(s) != LODE_OK) return LODE_NOMEM;
  uint64_t hash = hash_values(vals, n, s->keyinfo);
  j = (uint32_t)hash & (s->cap - 1);
  for (; s->used[j]; j = (j + 1) & (s->cap - 1))
    if (s->hashes[j] == hash && row_equals_values(&s->slots[j], vals, n, s->keyinfo)) return *seen = 1, LODE_OK;
  uint8_t *rec = NULL;
  uint32_t len = 0;
  int rc = record_encode(vals, n, &rec, &len);
  if (rc != LODE_OK) return rc;
  mem_init(&s->slots[j]);
  s->slots[j].type = MEM_BLOB;
  s->slots[j].owner = MEM_DYN;
  s->slots[j].z = (char *)rec;
  s->slots[j].n = (int)len;
  s->hashes[j] = hash;
  s->used[j] = 1;
  s->count++;
  return LODE_OK;
}

static int agg_start(Vdbe *v, Mem *acc, const FuncDef *f) {
  size_t size = AGG_CONTEXT_OFFSET + f->agg_size;
  AggState *st = util_zalloc(size);
  if (!st) return LODE_NOMEM;
  st->func = f;
  reg_prepare(v, acc);
  acc->type = MEM_AGG;
  acc->owner = MEM_DYN;
  acc->z = (char *)st;
  acc->n = (int)size;
  return LODE_OK;
}

/* SELECT DISTINCT: the set of result records seen so far lives in r[p1],
** held like an aggregate accumulator with no function. */
static int op_distinct_row(Vdbe *v, const VdbeOp *op, int *seen) {
  static const FuncDef no_func = {"distinct", 0, 0, NULL, NULL, NULL, 0, NULL};
  Mem *set = &v->mem[op->p1];
  AggState *st;
  int rc;
  if (set->type != MEM_AGG && (rc = agg_start(v, set, &no_func)) != LODE_OK) return rc;
  st = (AggState *)set->z;
  if (!st->distinct && !(st->distinct = util_zalloc(sizeof(DistinctSet)))) return LODE_NOMEM;
  st->distinct->rows = 1;
  st->distinct->keyinfo = op->p4type == P4_KEYINFO ? op->p4.keyinfo : NULL;
  if (op->p5) return distinct_add_values(st->distinct, &v->mem[op->p3], op->p5, seen);
  return distinct_add(st->distinct, &v->mem[op->p3], seen);
}

/* count() and sum()/total()/avg() on ordinary numbers, once the accumulator
** is started: 1 when the step is done.  Inline in the dispatch loop, as one
** runs per row per aggregate and a call with op_agg_step's frame costs more
** than the step itself. */
static inline __attribute__((always_inline)) int agg_step_inline(Vdbe *v, const VdbeOp *op) {
  const Mem *acc = &v->mem[op->p3];
  const FuncDef *f = op->p4.func;
  void *agg;
  if (acc->type != MEM_AGG || !(f->flags & (FUNC_INLINE_COUNT | FUNC_INLINE_SUM)) || ((op->p1 & 1) && op->p5 > 0))
    return 0;
  agg = acc->z + AGG_CONTEXT_OFFSET;
  if (f->flags & FUNC_INLINE_COUNT) {
    if (op->p5 == 0 || v->mem[op->p2].type != MEM_NULL) ((FuncCountState *)agg)->n++;
    return 1;
  }
  return v->mem[op->p2].type == MEM_NULL || func_sum_step_inline(agg, &v->mem[op->p2]);
}

static int op_agg_step(Vdbe *v, const VdbeOp *op) {
  Mem *acc = &v->mem[op->p3];
  const FuncDef *f = op->p4.func;
  Mem out;
  FuncContext ctx;
  AggState *st;
  int rc;
  if (acc->type != MEM_AGG) {
    if ((rc = agg_start(v, acc, f)) != LODE_OK) return rc;
    if (agg_step_inline(v, op)) return LODE_OK;
  }
  st = (AggState *)acc->z;
  if ((op->p1 & 1) && op->p5 > 0) {
    int seen;
    if (!st->distinct && !(st->distinct = util_zalloc(sizeof(DistinctSet)))) return LODE_NOMEM;
    st->distinct->coll = op->p1 >> 1;
    rc = distinct_add(st->distinct, &v->mem[op->p2], &seen);
    if (rc != LODE_OK || seen) return rc;
  }
  /* Runs once per row per aggregate: the context and the (normally unused)
  ** result slot are set up field by field, and released only when the step
  ** left something in them. */
  out.type = MEM_NULL;
  out.owner = MEM_STATIC;
  out.subtype = 0;
  out.z = NULL;
  out.n = 0;
  out.ztext = NULL;
  ctx.db = v->db;
  ctx.out = &out;
  ctx.agg = (char *)st + AGG_CONTEXT_OFFSET;
  ctx.rc = LODE_OK;
  ctx.errmsg = NULL;
  ctx.coll = op->p1 >> 1;
  ctx.user_data = f->user_data;
  ctx.stmt_state = &v->fstate;
  ctx.call_site = NULL; /* auxiliary data belongs to scalar calls */
  ctx.const_args = 0;
  ctx.spare = NULL;
  ctx.spare_cap = 0;
  f->step(&ctx, op->p5, collect_args(v, op));
  if (out.owner == MEM_DYN || out.ztext) mem_release(&out);
  if (ctx.rc != LODE_OK) return func_failed(v, &ctx);
  if (ctx.errmsg) util_free(ctx.errmsg);
  return LODE_OK;
}

static int op_agg_final(Vdbe *v, const VdbeOp *op) {
  Mem *acc = &v->mem[op->p1];
  const FuncDef *f = op->p4.func;
  Mem out;
  FuncContext ctx = {0};
  void *fresh = NULL;
  /* No row stepped the aggregate: final reads a zeroed context, on the
  ** stack when it is small (count, sum, avg, min, max...). */
  _Alignas(16) char small[64];
  mem_init(&out);
  ctx.db = v->db;
  ctx.out = &out;
  if (acc->type == MEM_AGG) {
    ctx.agg = acc->z + AGG_CONTEXT_OFFSET;
  } else if (f->agg_size <= sizeof small) {
    memset(small, 0, sizeof small);
    ctx.agg = small;
  } else {
    fresh = util_zalloc(f->agg_size);
    if (!fresh) return LODE_NOMEM;
    ctx.agg = fresh;
  }
  ctx.user_data = f->user_data;
  f->final(&ctx);
  util_free(fresh);
  if (acc->type == MEM_AGG) vdbe_agg_destroy(acc, 0);
  if (ctx.rc != LODE_OK) {
    mem_release(&out);
    return func_failed(v, &ctx);
  }
  if (ctx.errmsg) util_free(ctx.errmsg);
  if (out.owner == MEM_EPHEM && mem_make_owned(&out) != LODE_OK) return LODE_NOMEM;
  reg_move(v, acc, &out);
  return LODE_OK;
}

/* ---- schema ------------------------------------------------------------------------ */

/* The b-tree of the op's database (NULL when it is not open: an op reached
** without its OP_Transaction, or a database detached since the compile). */
static Btree *op_btree(Vdbe *v, const VdbeOp *op) {
  if (op->db < 0 || op->db >= v->db->ndb) return NULL;
  return v->db->dbs[op->db].bt;
}

static int op_parse_schema(Vdbe *v, const VdbeOp *op) {
  lode *db = v->db;
  char *err = NULL;
  int rc;
  Btree *bt = op_btree(v, op);
  if (!bt) return LODE_SCHEMA;
  Schema *schema = db->dbs[op->db].schema;
  if (op->p1) {
    uint32_t cookie = 0;
    rc = btree_get_meta(bt, BTREE_META_SCHEMA_COOKIE, &cookie);
    if (rc == LODE_OK) rc = btree_set_meta(bt, BTREE_META_SCHEMA_COOKIE, cookie + 1);
    if (rc != LODE_OK) return rc;
    v->write_gen++;
  }
  /* Objects of temp or an attached database can change what statements of
  ** other databases do (TEMP triggers on main tables, names that now
  ** resolve elsewhere), and those check only their own cookies. */
  if (op->db != CONN_DB_MAIN) db->schema_gen++;
  int skip_bad = db->settings[CONN_SET_WRITABLE_SCHEMA] != 0;
  uint32_t now = 0;
  /* p2: the statement only added rows, and bumped the cookie of the schema
  ** it was compiled against once: only the new rows need parsing. */
  if (op->p2 && btree_get_meta(bt, BTREE_META_SCHEMA_COOKIE, &now) == LODE_OK && schema->loaded &&
      now == schema->cookie + 1) {
    rc = schema_load_added(schema, bt, skip_bad, &err);
  } else {
    schema_clear(schema);
    rc = schema_load(schema, bt, skip_bad, &err);
  }
  if (rc != LODE_OK) {
    if (err) conn_error_take(db, rc, err);
    else conn_error(db, rc, NULL);
  } else {
    util_free(err);
  }
  return rc;
}

static void op_drop_schema(Vdbe *v, const VdbeOp *op) {
  Schema *s = op->db >= 0 && op->db < v->db->ndb ? v->db->dbs[op->db].schema : NULL;
  Table *t = s ? schema_find_table(s, op->p4.z) : NULL;
  if (!t) return;
  schema_remove_table(s, t);
  table_free(t);
}

/* ---- ATTACH / DETACH --------------------------------------------------------------- */

/* Names are read as text, NULL as the empty name, as SQLite reads them. */
static char *attach_arg(Mem *m, int *oom) {
  if (m->type == MEM_NULL) return util_strdup("");
  const char *z = mem_as_text(m, oom);
  return z ? util_strdup(z) : NULL;
}

static int op_attach(Vdbe *v, const VdbeOp *op) {
  int oom = 0, rc;
  char *first = attach_arg(&v->mem[op->p1], &oom);
  char *name = op->opcode == OP_Attach ? attach_arg(&v->mem[op->p2], &oom) : NULL;
  if (!first || (op->opcode == OP_Attach && !name)) rc = LODE_NOMEM;
  else if (op->opcode == OP_Attach) rc = conn_db_attach(v->db, first, name);
  else rc = conn_db_detach(v->db, first);
  util_free(first);
  util_free(name);
  return rc;
}

/* ---- pragmas ----------------------------------------------------------------------- */

/* The NUL-separated messages of btree_integrity_check joined by newlines,
** the way SQLite reports the problems of one database in one value. */
static int op_integrity_check(Vdbe *v, const VdbeOp *op) {
  Mem *out = &v->mem[op->p3];
  uint32_t *roots = util_malloc(sizeof(uint32_t) * (size_t)(op->p2 > 0 ? op->p2 : 1));
  char *errs = NULL;
  int nerr = 0, rc, i;
  size_t len = 0;
  if (!roots) return LODE_NOMEM;
  for (i = 0; i < op->p2; i++) {
    int64_t root = mem_as_int(&v->mem[op->p1 + i]);
    roots[i] = root > 0 && root <= UINT32_MAX ? (uint32_t)root : 0;
  }
  Btree *bt = op_btree(v, op);
  if (!bt) {
    util_free(roots);
    return LODE_SCHEMA;
  }
  rc = op->p5 ? btree_integrity_check_trees(bt, roots, op->p2, op->p4.i, &errs, &nerr)
              : btree_integrity_check(bt, roots, op->p2, op->p4.i, &errs, &nerr);
  util_free(roots);
  if (rc != LODE_OK) return rc;
  if (nerr == 0) {
    util_free(errs);
    reg_set_null(v, out);
    return LODE_OK;
  }
  for (i = 0; i < nerr; i++) {
    size_t n = strlen(errs + len);
    if (i < nerr - 1) errs[len + n] = '\n';
    len += n + 1;
  }
  reg_prepare(v, out);
  mem_take_text(out, errs, (int)(len - 1));
  return LODE_OK;
}

/* busy, log, checkpointed as SQLite reports them: -1, -1 when the database
** has no WAL file (memory), busy = 1 when a reader or writer held it back.
** Inside BEGIN…COMMIT SQLite refuses with SQLITE_LOCKED; so does Lode. */
static int op_checkpoint(Vdbe *v, const VdbeOp *op) {
  int busy = 0, log = -1, done = -1;
  if (!v->db->autocommit) return conn_error(v->db, LODE_LOCKED, "database table is locked");
  int rc = conn_checkpoint(v->db, op->db, op->p1, &busy, &log, &done);
  if (rc != LODE_OK) return rc;
  reg_set_int(v, &v->mem[op->p2], busy);
  reg_set_int(v, &v->mem[op->p2 + 1], log);
  reg_set_int(v, &v->mem[op->p2 + 2], done);
  return LODE_OK;
}

/* OP_Clear: empties b-tree p1, counting its rows into *n.  Under MVCC the
** entries go one by one, so that the change conflicts only with changes of
** the same rows (a whole-tree clear conflicts with every change of the tree). */
static int clear_btree(Vdbe *v, const VdbeOp *op, int64_t *n) {
  Btree *bt = op_btree(v, op);
  if (!conn_mvcc_logging(v->db, op->db)) return btree_clear(bt, (uint32_t)op->p1, n);
  BtCursor *c = NULL;
  int eof = 0, rc = btree_cursor_open(bt, (uint32_t)op->p1, 1, &c);
  while (rc == LODE_OK && (rc = btree_first(c, &eof)) == LODE_OK && !eof) {
    rc = btree_delete(c);
    (*n)++;
  }
  if (c) btree_cursor_close(c);
  return rc;
}

/* OP_CopyTree: INSERT INTO t SELECT * FROM s between alike tables, into an
** empty t (codegen decides when the records of s are t's as they are).  The
** copy runs a tree at a time (btree_copy_entries: leaf cells appended as
** they are), with no other cursor open on the target tree, so that no
** append has cursors to save; what a row-by-row insert tells as it goes
** (changes, the last rowid, the update hook) is told after it, from t. */
static int op_copy_tree(Vdbe *v, const VdbeOp *op) {
  VdbeCursor *from = bt_cursor(v, op->p1);
  Btree *dst = op_btree(v, op);
  if (!from || from->db < 0 || from->db >= v->db->ndb) return LODE_INTERNAL;
  Btree *src = v->db->dbs[from->db].bt;
  if (!src || !dst) return LODE_SCHEMA;
  int rc = btree_copy_entries(src, from->root, dst, (uint32_t)op->p2, op->p3 && !from->keyinfo);
  v->write_gen++;
  v->db->table_writes++;
  from->gen++;
  from->eof = 1;
  if (rc != LODE_OK || !(op->p5 & (OPFLAG_NCHANGE | OPFLAG_LASTROWID))) return rc;
  BtCursor *to = NULL;
  int64_t n = 0, last = 0;
  int eof = 0;
  if ((rc = btree_cursor_open(dst, (uint32_t)op->p2, 0, &to)) == LODE_OK) rc = btree_count(to, &n);
  if (rc == LODE_OK && (op->p5 & OPFLAG_NCHANGE)) v->nchange += n;
  if (rc == LODE_OK && n > 0 && !from->keyinfo) {
    if ((op->p5 & OPFLAG_LASTROWID) && (rc = btree_max_rowid(to, &last, &eof)) == LODE_OK && !eof)
      v->db->last_rowid = last;
    if ((op->p5 & OPFLAG_NCHANGE) && v->db->api)
      for (rc = btree_first(to, &eof); rc == LODE_OK && !eof; rc = btree_next(to, &eof))
        conn_hook_update(v->db, CONN_HOOK_INSERT, op->db, (uint32_t)op->p2, btree_rowid(to));
  }
  if (to) btree_cursor_close(to);
  return rc;
}

/* OP_RowData: the entry a b-tree cursor is on, copied whole into a blob
** register (the record INSERT INTO t SELECT * FROM s writes into t as it is). */
static int op_row_data(Vdbe *v, const VdbeOp *op) {
  VdbeCursor *c = bt_cursor(v, op->p1);
  if (!c || c->eof) return LODE_INTERNAL;
  uint32_t n = btree_payload_size(c->bt);
  uint8_t *buf = reg_blob_buffer(v, &v->mem[op->p2], n);
  if (!buf) return LODE_NOMEM;
  return n ? btree_payload(c->bt, 0, n, buf) : LODE_OK;
}

/* ---- the loop ----------------------------------------------------------------------- */

/* Dispatch.  With GCC or clang each op jumps to its handler through a table
** of label addresses (computed goto), which saves the switch's bounds check
** and the extra indirection of its jump table on every op; the handlers are
** the switch's cases either way, and other compilers use the switch (as does
** wasm, where an indirect jump is lowered back into a switch). */
#if defined(__GNUC__) && !defined(__wasm__) && !defined(LODE_NO_COMPUTED_GOTO)
#define VDBE_COMPUTED_GOTO 1
#define CASE(name) \
  case OP_##name:  \
  L_##name
#else
#define CASE(name) case OP_##name
#endif

/* Ends the run with rc (an error, or LODE_OK from Halt) and returns what
** vdbe_step reports. */
static int halt(Vdbe *v, int rc, int quiet) {
  /* An error in a trigger program ends the statement: its frames go first,
  ** and the statement fails with the action the failing op gave. */
  while (v->parent) {
    int action = v->error_action;
    v = vdbe_frame_pop(v);
    v->error_action = action;
  }
  rc = vdbe_txn_end(v, rc, quiet);
  vdbe_release_registers(v);
  v->state = VDBE_STATE_HALT;
  v->rc = rc;
  return rc == LODE_OK ? LODE_DONE : rc;
}

/* Records rc from a lower layer on the connection unless an op already did. */
static int fail(Vdbe *v, int rc) {
  if (v->db->errcode != rc || rc == LODE_INTERNAL) {
    if (rc == LODE_INTERNAL) conn_error(v->db, rc, "internal error: cursor not open or of the wrong kind");
    else conn_error(v->db, rc, NULL);
  }
  return rc;
}

/* lode_interrupt was called, or the progress handler asks to stop: loops
** stop at their next jump back (Goto, Next, Prev), so a long scan or join
** ends within one row's work.  *seen: the statement's op count at the last
** check (the handler is due once per N ops since). */
static inline int interrupted(const Vdbe *v, const uint32_t *status, uint32_t steps, uint32_t *seen) {
  if (atomic_load_explicit(&v->db->interrupted, memory_order_relaxed)) return 1;
  uint32_t now = status[VDBE_STATUS_VM_STEP] + steps, before = *seen;
  *seen = now;
  return v->db->progress_on && now != before && conn_hook_progress(v->db, before, now);
}

int vdbe_exec(Vdbe *v) {
  VdbeOp *ops = v->ops;
  Mem *mem = v->mem;
  int pc = v->pc;
  int rc = LODE_OK;
  Vdbe *root = v;
  while (root->parent) root = root->parent;
  uint32_t *status = root->status; /* a trigger program's steps count as its statement's */
  uint32_t progress_seen = status[VDBE_STATUS_VM_STEP];
  /* Ops run by this call and not yet added to status[VDBE_STATUS_VM_STEP]:
  ** a local the loop keeps in a register, added at every return. */
  uint32_t steps = 0;
#define VM_RETURN(x)                                                                                                   \
  do {                                                                                                                 \
    status[VDBE_STATUS_VM_STEP] += steps;                                                                              \
    return (x);                                                                                                        \
  } while (0)
  conn_clear_error(v->db);
  /* Resumed after another statement rolled the transaction back. */
  if (v->counted && v->db->schema_undos != v->schema_undos_at && (rc = vdbe_txn_tripped(v)) != LODE_OK)
    goto abort_due_to_error;
#ifdef VDBE_COMPUTED_GOTO
  /* Indexed by opcode; a program reaches here only after vdbe_finish has
  ** checked every op, so op->opcode < OP_COUNT. */
  static const void *const dispatch[OP_COUNT] = {
#define VDBE_LABEL_ADDRESS(name) &&L_##name,
      VDBE_OPCODES(VDBE_LABEL_ADDRESS)
#undef VDBE_LABEL_ADDRESS
  };
#endif
  for (;;) {
    const VdbeOp *op = &ops[pc];
    assert(pc >= 0 && pc < v->nop);
    steps++;
#ifdef VDBE_COMPUTED_GOTO
    goto *dispatch[op->opcode];
#endif
    switch (op->opcode) {
    CASE(Init):
      /* Before the program's first op: only lode_interrupt stops it here (the
      ** progress handler first runs once ops have run, as in SQLite). */
      if (atomic_load_explicit(&v->db->interrupted, memory_order_relaxed)) goto interrupt;
      pc = op->p2;
      continue;
    CASE(Goto):
      if (interrupted(v, status, steps, &progress_seen)) goto interrupt;
      pc = op->p2;
      continue;
    CASE(Halt):
      /* Immediate foreign keys are checked when the statement ends, not a
      ** trigger program: a later row of the statement may mend them. */
      if (op->p1 == LODE_OK && !v->parent && vdbe_txn_check_fk(v) != LODE_OK) {
        v->pc = pc;
        VM_RETURN(halt(v, LODE_CONSTRAINT_FOREIGNKEY, 1));
      }
      if (op->p1 != LODE_OK) {
        if (op->p3 > 0) { /* RAISE(…, message): the message is a value */
          int oom = 0;
          const char *msg = mem_as_text(&mem[op->p3], &oom);
          if (oom) goto no_mem;
          vdbe_error(v, op->p1, msg ? msg : "");
        } else {
          vdbe_error(v, op->p1, op->p4type == P4_STRING ? op->p4.z : NULL);
        }
        v->error_action = op->p2;
      } else if (v->parent) { /* the end of a trigger program: back to its Program */
        int ignore = op->p5 == 1;
        if ((rc = vdbe_idxm_flush(v)) != LODE_OK) {
          v->pc = pc;
          VM_RETURN(halt(v, rc, 1));
        }
        v = vdbe_frame_pop(v);
        ops = v->ops;
        mem = v->mem;
        pc = ignore ? ops[v->pc].p2 : v->pc + 1;
        continue;
      }
      v->pc = pc;
      VM_RETURN(halt(v, op->p1, op->p1 != LODE_OK));
    CASE(Program): {
      /* The trigger sees the rows changed so far through index methods too. */
      if ((rc = vdbe_idxm_flush(v)) != LODE_OK) {
        v->pc = pc;
        VM_RETURN(halt(v, rc, 1));
      }
      Vdbe *f = vdbe_frame_push(v, op, &rc);
      if (rc != LODE_OK) {
        v->pc = pc;
        VM_RETURN(halt(v, rc, 1));
      }
      if (!f) break; /* the trigger is running already and may not recurse */
      v->pc = pc;
      v = f;
      ops = v->ops;
      mem = v->mem;
      pc = 0;
      continue;
    }
    CASE(Param):
      assert(v->parent && v->param_base + op->p1 <= v->parent->nmem);
      reg_prepare(v, &mem[op->p2]);
      if ((rc = mem_copy(&mem[op->p2], &v->parent->mem[v->param_base + op->p1])) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(ResetCount):
      v->db->changes = v->nchange;
      v->db->total_changes += v->nchange;
      v->nchange = 0;
      break;
    CASE(HaltIfNull):
      if (mem[op->p3].type == MEM_NULL) {
        vdbe_error(v, op->p1 ? op->p1 : LODE_CONSTRAINT, op->p4type == P4_STRING ? op->p4.z : NULL);
        v->error_action = op->p2;
        v->pc = pc;
        VM_RETURN(halt(v, op->p1 ? op->p1 : LODE_CONSTRAINT, 1));
      }
      break;
    CASE(Transaction):
      rc = vdbe_txn_begin(v, op);
      if (rc == LODE_SCHEMA) {
        if (op->db >= 0 && op->db < v->db->ndb && v->db->dbs[op->db].schema) v->db->dbs[op->db].schema->loaded = 0;
        VM_RETURN(halt(v, rc, 1));
      }
      if (rc != LODE_OK) VM_RETURN(halt(v, rc, 1)); /* vdbe_txn_begin set the message */
      break;
    CASE(AutoCommit):
      rc = vdbe_txn_autocommit(v, op);
      if (rc != LODE_OK) VM_RETURN(halt(v, rc, 1));
      break;
    CASE(Savepoint):
      rc = vdbe_txn_savepoint(v, op);
      if (rc != LODE_OK) VM_RETURN(halt(v, rc, 1));
      break;
    CASE(Integer): reg_set_int(v, &mem[op->p2], op->p1); break;
    CASE(Int64): reg_set_int(v, &mem[op->p2], op->p4.i64); break;
    CASE(Real): reg_set_real(v, &mem[op->p2], op->p4.real); break;
    CASE(String8):
    CASE(Blob): {
      Mem *m = &mem[op->p2];
      reg_prepare(v, m);
      m->type = op->opcode == OP_String8 ? MEM_TEXT : MEM_BLOB;
      m->owner = MEM_STATIC;
      m->z = op->p4.z;
      m->n = op->p1;
      if (m->n > v->db->limits[LODE_LIMIT_LENGTH]) { /* a literal longer than a lowered limit */
        rc = LODE_TOOBIG;
        goto abort_due_to_error;
      }
      break;
    }
    CASE(Null):
      for (int r = op->p2; r <= (op->p3 > 0 ? op->p3 : op->p2); r++) {
        reg_set_null(v, &mem[r]);
        if (op->p5 & OPFLAG_NOCHANGE) mem[r].subtype = MEM_SUBTYPE_NOCHANGE;
      }
      break;
    CASE(VNoChange):
      reg_set_int(v, &mem[op->p2], mem[op->p1].type == MEM_NULL && mem[op->p1].subtype == MEM_SUBTYPE_NOCHANGE);
      break;
    CASE(Variable): reg_shallow(v, &mem[op->p2], &v->params[op->p1]); break;
    CASE(Copy):
      for (int i = 0; i <= op->p3; i++) {
        Mem *dst = &mem[op->p2 + i];
        if (dst == &mem[op->p1 + i]) continue;
        const Mem *src = &mem[op->p1 + i];
        if (src->type == MEM_INT) reg_set_int(v, dst, src->u.i);
        else if (src->type == MEM_REAL) reg_set_real(v, dst, src->u.r);
        else if (src->type == MEM_NULL || src->type == MEM_AGG) reg_set_null(v, dst);
        else if (src->owner == MEM_STATIC || (src->type != MEM_TEXT && src->type != MEM_BLOB))
          reg_shallow(v, dst, src);
        else if (src->z == dst->z) {
          Mem tmp; /* src borrows dst's bytes: copy them out before dst changes */
          mem_init(&tmp);
          if ((rc = mem_copy(&tmp, src)) != LODE_OK) goto abort_due_to_error;
          reg_move(v, dst, &tmp);
        }
        else if ((rc = reg_set_bytes(v, dst, src->type, (const uint8_t *)src->z, (uint32_t)src->n)) != LODE_OK)
          goto abort_due_to_error;
        dst->subtype = op->p5 & COPY_NO_SUBTYPE ? 0 : src->subtype; /* a copy is the same value: JSON stays JSON */
      }
      break;
    CASE(SCopy): {
      /* An integer (index keys, rowids) is copied in place, without the call. */
      Mem *d = &mem[op->p2];
      const Mem *src = &mem[op->p1];
      if (src->type == MEM_INT) {
        uint8_t st = src->subtype;
        reg_set_int(v, d, src->u.i);
        d->subtype = st;
      } else {
        reg_shallow(v, d, src);
      }
      break;
    }
    CASE(GetSubtype): {
      int st = mem[op->p1].subtype;
      if (st) reg_set_int(v, &mem[op->p2], st);
      else reg_set_null(v, &mem[op->p2]);
      break;
    }
    CASE(SetSubtype):
      mem[op->p2].subtype = mem[op->p1].type == MEM_INT ? (uint8_t)mem[op->p1].u.i : 0;
      break;
    CASE(Move):
      for (int i = 0; i < op->p3; i++) reg_move(v, &mem[op->p2 + i], &mem[op->p1 + i]);
      break;
    CASE(ResultRow):
      /* The ops run since the last check count for the progress handler before
      ** the row goes out, as in SQLite; it may still stop the statement. */
      if (v->db->progress_on && status[VDBE_STATUS_VM_STEP] + steps != progress_seen &&
          conn_hook_progress(v->db, progress_seen, status[VDBE_STATUS_VM_STEP] + steps))
        goto interrupt;
      v->result_reg = op->p1;
      v->nresult = op->p2;
      v->pc = pc + 1;
      VM_RETURN(LODE_ROW);
    CASE(OpenRead):
    CASE(OpenWrite): {
      uint32_t root = (uint32_t)op->p2;
      int writable = op->opcode == OP_OpenWrite;
      VdbeCursor *c;
      if (writable && op->p5 == 1) root = (uint32_t)mem_as_int(&mem[op->p3]);
      if (root == 0) {
        rc = LODE_CORRUPT;
        goto abort_due_to_error;
      }
      c = v->cursors[op->p1];
      if (!writable && c && c->kind == VDBE_CURSOR_BTREE && c->bt && !c->writable && !c->temp_db &&
          c->root == root && c->db == op->db &&
          c->keyinfo == (op->p4type == P4_KEYINFO ? op->p4.keyinfo : NULL) &&
          btree_cursor_tree(c->bt) == op_btree(v, op)) {
        /* Opened again on the same b-tree (a correlated subquery's loop, run
        ** for each outer row): the cursor stays, only no longer on a row, as
        ** SQLite reuses it; closing and opening it cost more than its seek. */
        c->gen++;
        c->eof = 1;
        c->nullrow_gen = 0;
        c->cache_gen = 0;
        c->max_valid = 0;
        break;
      }
      Btree *bt = op_btree(v, op);
      if (!bt) {
        rc = LODE_SCHEMA;
        goto abort_due_to_error;
      }
      BtCursor *reuse;
      if (!(c = cursor_new_btree(v, op->p1, &reuse))) goto no_mem;
      c->ncol = op->p4type == P4_INT32 ? op->p4.i : 0;
      c->writable = writable;
      c->root = root;
      c->db = op->db;
      /* The root is read at the cursor's first move, which reports a schema
      ** that names an index b-tree as a table's root (or the reverse) as
      ** corrupt, as SQLite does: reading the wrong kind of cells would return
      ** garbage. */
      if ((rc = btree_cursor_open_kind(bt, root, writable, op->p4type != P4_KEYINFO, reuse, &c->bt)) != LODE_OK)
        goto abort_due_to_error;
      if (op->p4type == P4_KEYINFO) vdbe_index_cursor_init(c, op->p4.keyinfo);
      break;
    }
    CASE(OpenAutoindex):
    CASE(OpenEphemeral): {
      VdbeCursor *c;
      uint32_t root = 0;
      if (!(c = cursor_new(v, op->p1, VDBE_CURSOR_BTREE))) goto no_mem;
      if ((rc = btree_open_temp(&c->temp_db)) != LODE_OK) goto abort_due_to_error;
      if ((rc = btree_create(c->temp_db, BTREE_BLOBKEY, &root)) != LODE_OK) goto abort_due_to_error;
      if ((rc = btree_cursor_open(c->temp_db, root, 1, &c->bt)) != LODE_OK) goto abort_due_to_error;
      c->writable = 1;
      vdbe_index_cursor_init(c, op->p4.keyinfo);
      break;
    }
    CASE(OpenPseudo): {
      VdbeCursor *c = cursor_new(v, op->p1, VDBE_CURSOR_PSEUDO);
      if (!c) goto no_mem;
      c->pseudo_reg = op->p2;
      c->ncol = op->p3;
      c->eof = 0;
      break;
    }
    CASE(SorterOpen): {
      VdbeCursor *c = v->cursors[op->p1];
      if (c && c->kind == VDBE_CURSOR_SORTER && c->sorter && sorter_same_keys(c->sorter, op->p4.keyinfo) &&
          sorter_reset(c->sorter)) {
        vdbe_window_stream_free(c->win);
        c->win = NULL;
        /* Opened again (a recursive CTE's current row, a subquery filled per
        ** outer row): emptying it keeps its memory, where closing and opening
        ** cost an allocation of cursor, sorter and chunk per row. */
        c->gen++;
        c->eof = 1;
        c->nullrow_gen = 0;
        c->cache_gen = 0;
      } else {
        c = cursor_new(v, op->p1, VDBE_CURSOR_SORTER);
        if (!c || !(c->sorter = sorter_new(op->p4.keyinfo))) goto no_mem;
        sorter_set_conn(c->sorter, v->db);
      }
      if (v->db->settings[CONN_SET_TEMP_STORE] == 2) sorter_no_spill(c->sorter);
      if (op->p5 & SORTER_QUEUE) sorter_queue(c->sorter);
      break;
    }
    CASE(SorterInsert): {
      VdbeCursor *c = v->cursors[op->p1];
      const Mem *r = &mem[op->p2];
      if (!c || c->kind != VDBE_CURSOR_SORTER) goto internal;
      rc = sorter_insert(c->sorter, (const uint8_t *)(r->type == MEM_BLOB ? r->z : ""),
                         r->type == MEM_BLOB ? (uint32_t)r->n : 0);
      if (rc != LODE_OK) goto abort_due_to_error;
      break;
    }
    CASE(SorterLimit): {
      VdbeCursor *c = v->cursors[op->p1];
      const Mem *r = &mem[op->p2];
      if (!c || c->kind != VDBE_CURSOR_SORTER) goto internal;
      if (r->type == MEM_INT) {
        rc = sorter_limit(c->sorter, r->u.i);
        if (rc != LODE_OK) goto abort_due_to_error;
      }
      break;
    }
    CASE(SorterDrop): {
      VdbeCursor *c = v->cursors[op->p1];
      if (!c || c->kind != VDBE_CURSOR_SORTER) goto internal;
      int drop = sorter_cut_drops(sorter_cut(c->sorter), &mem[op->p3], op->p5);
      if (drop > 0 || (drop < 0 && sorter_would_drop(c->sorter, &mem[op->p3], op->p5))) {
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(Window):
      if ((rc = vdbe_window_pass(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(SorterSort):
    CASE(SorterNext): {
      VdbeCursor *c = v->cursors[op->p1];
      int eof = 1;
      if (!c || c->kind != VDBE_CURSOR_SORTER) goto internal;
      /* A jump back, like Next: a recursive CTE's queue loops here and only here. */
      if (op->opcode == OP_SorterNext && interrupted(v, status, steps, &progress_seen)) goto interrupt;
      if (op->opcode == OP_SorterSort && (op->p5 & SORTER_COUNTED)) status[VDBE_STATUS_SORT]++;
      if (c->win) rc = vdbe_window_stream_step(v, c, op->opcode == OP_SorterSort, &eof);
      else rc = op->opcode == OP_SorterSort ? sorter_sort(c->sorter, &eof) : sorter_next(c->sorter, &eof);
      if (rc != LODE_OK) goto abort_due_to_error;
      c->gen++;
      c->eof = eof;
      if ((op->opcode == OP_SorterSort) == (eof != 0)) {
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(SorterData): {
      VdbeCursor *c = v->cursors[op->p1];
      const uint8_t *rec;
      uint32_t n;
      Mem *m = &mem[op->p2];
      if (!c || c->kind != VDBE_CURSOR_SORTER) goto internal;
      int got = c->eof   ? LODE_DONE
                : c->win ? vdbe_window_stream_current(c, &rec, &n)
                         : sorter_current(c->sorter, &rec, &n);
      if (got != LODE_OK) {
        reg_set_null(v, m);
        break;
      }
      reg_prepare(v, m);
      m->type = MEM_BLOB;
      m->owner = MEM_EPHEM; /* valid until the cursor moves (sorter_current) */
      m->z = (char *)rec;
      m->n = (int)n;
      v->record_gen++;
      break;
    }
    CASE(NullRow): {
      /* A LEFT JOIN's row of NULLs: the cursor reads as if past its end. */
      VdbeCursor *c = v->cursors[op->p1];
      if (c && c->kind != VDBE_CURSOR_SORTER) {
        c->eof = 1;
        c->nullrow_gen = ++c->gen;
      }
      break;
    }
    CASE(IfNullRow): {
      /* A generated column of a LEFT JOIN's row of NULLs is NULL too. */
      VdbeCursor *c = v->cursors[op->p1];
      if (!c || c->eof) {
        reg_set_null(v, &mem[op->p3]);
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(CursorLock):
    CASE(CursorUnlock): {
      VdbeCursor *c = v->cursors[op->p1];
      if (c && c->bt) btree_cursor_pin(c->bt, op->opcode == OP_CursorLock);
      break;
    }
    CASE(Close):
      /* A method cursor writes what it holds back before it goes. */
      if (v->cursors[op->p1] && v->cursors[op->p1]->kind == VDBE_CURSOR_IDXM &&
          (rc = vdbe_idxm_flush_one(v, op->p1)) != LODE_OK)
        goto abort_due_to_error;
      vdbe_cursor_recycle(v, v->cursors[op->p1]);
      v->cursors[op->p1] = NULL;
      break;
    CASE(Rewind):
    CASE(Last): {
      VdbeCursor *c = bt_cursor(v, op->p1);
      int eof = 1;
      if (!c) goto internal;
      rc = op->opcode == OP_Rewind ? btree_first(c->bt, &eof) : btree_last(c->bt, &eof);
      c->gen++;
      c->eof = eof;
      if (rc != LODE_OK) goto abort_due_to_error;
      if (eof) {
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(Next):
    CASE(Prev): {
      VdbeCursor *c = bt_cursor(v, op->p1);
      int eof = 1;
      if (!c) goto internal;
      if (c->nullrow_gen == c->gen && c->eof) break; /* a row of NULLs has no next row */
      if (interrupted(v, status, steps, &progress_seen)) goto interrupt;
      rc = op->opcode == OP_Next ? btree_next(c->bt, &eof) : btree_prev(c->bt, &eof);
      c->gen++;
      c->eof = eof;
      if (rc != LODE_OK) goto abort_due_to_error;
      if (!eof) {
        assert(op->p5 < VDBE_NSTATUS);
        status[op->p5]++; /* status[0] counts nothing anyone reads */
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(Column):
      if ((rc = op_column(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(Rowid): {
      VdbeCursor *c = bt_cursor(v, op->p1);
      int gone = 0;
      if (c && !c->eof && btree_cursor_moved(c->bt) && (rc = row_gone(c, &gone)) != LODE_OK) goto abort_due_to_error;
      if (!c || c->eof || gone) {
        reg_set_null(v, &mem[op->p2]);
      } else {
        int64_t rowid;
        if ((rc = btree_rowid_get(c->bt, &rowid)) != LODE_OK) goto abort_due_to_error;
        reg_set_int(v, &mem[op->p2], rowid);
      }
      break;
    }
    CASE(SeekRowid):
    CASE(NotExists): {
      int found;
      if ((rc = op_seek_rowid(v, op, &found)) != LODE_OK) goto abort_due_to_error;
      if (!found) {
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(NewRowid):
      if ((rc = op_new_rowid(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(MakeRecord): {
      int skip = 0;
      rc = op->p5 ? make_record_keeping(v, op) : op_make_record(v, op, &skip);
      if (rc != LODE_OK) goto abort_due_to_error;
      if (skip) pc++; /* past the SorterInsert too */
      break;
    }
    CASE(Insert):
      if ((rc = op_insert(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(Delete):
      if ((rc = op_delete(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(Count):
      if ((rc = op_count(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(Add): {
      /* Two integers whose sum fits: decided here, without the call. */
      const Mem *a = &mem[op->p2], *b = &mem[op->p1];
      int64_t r;
      if (a->type == MEM_INT && b->type == MEM_INT && !__builtin_add_overflow(a->u.i, b->u.i, &r)) {
        reg_set_int(v, &mem[op->p3], r);
        break;
      }
      if ((rc = op_arith(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    }
    CASE(Subtract):
    CASE(Multiply): {
      const Mem *a = &mem[op->p2], *b = &mem[op->p1];
      int64_t r;
      if (a->type == MEM_INT && b->type == MEM_INT &&
          !(op->opcode == OP_Subtract ? __builtin_sub_overflow(a->u.i, b->u.i, &r)
                                      : __builtin_mul_overflow(a->u.i, b->u.i, &r))) {
        reg_set_int(v, &mem[op->p3], r);
        break;
      }
      if ((rc = op_arith(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    }
    CASE(Divide):
    CASE(Remainder): {
      /* Two integers, a divisor not 0 and no overflow (INT64_MIN / -1 is
      ** REAL; x % -1 is 0): decided here, as C truncates, as SQLite does. */
      const Mem *a = &mem[op->p2], *b = &mem[op->p1];
      if (a->type == MEM_INT && b->type == MEM_INT && b->u.i != 0 && b->u.i != -1) {
        reg_set_int(v, &mem[op->p3], op->opcode == OP_Divide ? a->u.i / b->u.i : a->u.i % b->u.i);
        break;
      }
      if ((rc = op_arith(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    }
    CASE(Concat): {
      Mem tmp;
      mem_init(&tmp);
      if ((rc = mem_concat(&mem[op->p2], &mem[op->p1], &tmp)) != LODE_OK) goto abort_due_to_error;
      reg_move(v, &mem[op->p3], &tmp);
      if ((rc = over_length(v, &mem[op->p3])) != LODE_OK) goto abort_due_to_error;
      break;
    }
    CASE(BitAnd):
    CASE(BitOr):
    CASE(ShiftLeft):
    CASE(ShiftRight): op_bits(v, op); break;
    CASE(BitNot):
      if (mem[op->p1].type == MEM_NULL) reg_set_null(v, &mem[op->p2]);
      else reg_set_int(v, &mem[op->p2], ~mem_as_int(&mem[op->p1]));
      break;
    CASE(Negative): {
      Mem tmp;
      mem_init(&tmp);
      if ((rc = mem_negate(&mem[op->p1], &tmp)) != LODE_OK) goto abort_due_to_error;
      reg_move(v, &mem[op->p2], &tmp);
      break;
    }
    CASE(Not):
      if (mem[op->p1].type == MEM_NULL) reg_set_null(v, &mem[op->p2]);
      else reg_set_int(v, &mem[op->p2], !mem_is_true(&mem[op->p1]));
      break;
    CASE(And):
    CASE(Or): op_logic(v, op); break;
    CASE(Eq):
    CASE(Ne):
    CASE(Lt):
    CASE(Le):
    CASE(Gt):
    CASE(Ge): {
      int outcome;
      const Mem *lhs = &mem[op->p3], *rhs = &mem[op->p1];
      if (lhs->type == MEM_INT && rhs->type == MEM_INT) {
        /* Two integers, the common case: no affinity or collation applies. */
        int64_t a = lhs->u.i, b = rhs->u.i;
        switch (op->opcode) {
        case OP_Eq: outcome = a == b; break;
        case OP_Ne: outcome = a != b; break;
        case OP_Lt: outcome = a < b; break;
        case OP_Le: outcome = a <= b; break;
        case OP_Gt: outcome = a > b; break;
        default: outcome = a >= b; break;
        }
      } else if ((rc = compare_op(v, op, op->opcode, &outcome)) != LODE_OK) {
        goto abort_due_to_error;
      }
      if (op->p5 & CMP_STOREP2) {
        if (outcome == 2) reg_set_null(v, &mem[op->p2]);
        else reg_set_int(v, &mem[op->p2], outcome);
        break;
      }
      if (outcome == 1 || (outcome == 2 && (op->p5 & CMP_JUMPIFNULL))) {
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(Compare): {
      int outcome;
      if ((rc = compare_op(v, op, OP_Eq, &outcome)) != LODE_OK) goto abort_due_to_error;
      if (outcome == 2) reg_set_null(v, &mem[op->p2]);
      else reg_set_int(v, &mem[op->p2], outcome);
      break;
    }
    CASE(If):
    CASE(IfNot): {
      const Mem *m = &mem[op->p1];
      /* An INTEGER (a comparison's or a function's 0/1) without the call. */
      int t = m->type == MEM_INT ? m->u.i != 0 : mem_is_true(m) != 0;
      int jump = m->type == MEM_NULL ? op->p3 != 0 : t == (op->opcode == OP_If);
      if (jump) {
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(IsNull):
    CASE(NotNull):
    CASE(IfType):
      if (op->opcode == OP_IfType ? (op->p3 >> mem[op->p1].type) & 1
                                  : (mem[op->p1].type == MEM_NULL) == (op->opcode == OP_IsNull)) {
        pc = op->p2;
        continue;
      }
      break;
    CASE(IsTrue): {
      const Mem *m = &mem[op->p1];
      int r = m->type == MEM_NULL ? op->p3 != 0 : mem_is_true(m) != 0;
      if (op->p4type == P4_INT32 && op->p4.i) r = !r;
      reg_set_int(v, &mem[op->p2], r);
      break;
    }
    CASE(Cast):
      if ((rc = mem_cast(&mem[op->p1], (char)op->p2)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(Affinity):
      for (int i = 0; i < op->p2 && op->p4.z[i]; i++) {
        Mem *m = &mem[op->p1 + i];
        char aff = op->p4.z[i];
        /* The usual case, a REAL column read back as a REAL, changes nothing: no
        ** call (but for a zero, whose sign REAL affinity drops, as SQLite's
        ** integer form of an integral REAL does). */
        if (m->type == MEM_NULL || (m->type == MEM_REAL && aff == AFF_REAL && m->u.r != 0.0)) continue;
        if ((rc = mem_apply_affinity(m, aff)) != LODE_OK) goto abort_due_to_error;
      }
      break;
    CASE(MustBeInt): {
      Mem *m = &mem[op->p1];
      if (m->type != MEM_INT && m->type != MEM_NULL) {
        if ((rc = mem_apply_affinity(m, AFF_NUMERIC)) != LODE_OK) goto abort_due_to_error;
      }
      if (m->type != MEM_INT) {
        if (op->p2 == 0) {
          rc = conn_error(v->db, LODE_MISMATCH, NULL);
          goto abort_due_to_error;
        }
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(Function):
      if ((rc = op_function(v, op)) != LODE_OK || (rc = over_length(v, &mem[op->p3])) != LODE_OK)
        goto abort_due_to_error;
      /* The function may have run statements that rolled schema changes
      ** back under this run. */
      if (v->db->schema_undos != v->schema_undos_at && (rc = vdbe_txn_tripped(v)) != LODE_OK)
        goto abort_due_to_error;
      break;
    CASE(AggStep):
      if (agg_step_inline(v, op)) break;
      if ((rc = op_agg_step(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(AggFinal):
      if ((rc = op_agg_final(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(StatInit):
      if ((rc = vdbe_stat4_init(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(StatScan): {
      VdbeCursor *c = bt_cursor(v, op->p3);
      int more = 0;
      if (!c) goto internal;
      if (c->eof) break;
      rc = vdbe_stat4_scan(v, op, c->bt, c->keyinfo, &more);
      c->gen++;
      c->eof = !more;
      if (rc != LODE_OK) goto abort_due_to_error;
      if (more) {
        if (interrupted(v, status, steps, &progress_seen)) goto interrupt;
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(KeyHash):
      if ((rc = vdbe_key_hash(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(IdxVerify): {
      VdbeCursor *c = bt_cursor(v, op->p1);
      int more = 0;
      if (!c || !c->keyinfo) goto internal;
      if (c->eof) break;
      rc = vdbe_idx_verify(v, op, c->bt, c->keyinfo, &more);
      c->gen++;
      c->eof = !more;
      if (rc != LODE_OK) goto abort_due_to_error;
      if (more) {
        if (interrupted(v, status, steps, &progress_seen)) goto interrupt;
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(StatText):
      if ((rc = vdbe_stat4_text(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(StatSample): {
      int done = 1;
      if ((rc = vdbe_stat4_sample(v, op, &done)) != LODE_OK) goto abort_due_to_error;
      if (done) {
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(IfPos): {
      Mem *m = &mem[op->p1];
      int64_t x = m->type == MEM_INT ? m->u.i : mem_as_int(m);
      if (x > 0) {
        reg_set_int(v, m, x - op->p3);
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(DecrJumpZero): {
      Mem *m = &mem[op->p1];
      int64_t x = m->type == MEM_INT ? m->u.i : mem_as_int(m);
      if (x > INT64_MIN) x--;
      reg_set_int(v, m, x);
      if (x == 0) {
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(OffsetLimit): {
      int64_t limit = mem_as_int(&mem[op->p1]), offset = mem_as_int(&mem[op->p3]), r;
      if (limit <= 0 || __builtin_add_overflow(limit, offset > 0 ? offset : 0, &r)) r = -1;
      reg_set_int(v, &mem[op->p2], r);
      break;
    }
    CASE(DistinctRow): {
      int seen = 0;
      if ((rc = op_distinct_row(v, op, &seen)) != LODE_OK) goto abort_due_to_error;
      if (seen) {
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(FkCounter): {
      lode *db = v->db;
      if (db->defer_fks) db->fk_deferred[1] += op->p2;
      else if (op->p1) db->fk_deferred[0] += op->p2;
      else v->fk_violations += op->p2;
      break;
    }
    CASE(FkIfZero): {
      const lode *db = v->db;
      int64_t n = op->p1 ? db->fk_deferred[0] : v->fk_violations;
      if (n == 0 && db->fk_deferred[1] == 0) {
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(FkActionsMark): reg_set_int(v, &mem[op->p1], v->nchange_pending); break;
    CASE(FkActionsDone): {
      int64_t from = op->p1 ? mem_as_int(&mem[op->p1]) : 0;
      if (from < 0 || from > v->nchange_pending) from = 0;
      v->nchange_nested += v->nchange_pending - from;
      v->nchange_pending = from;
      break;
    }
    CASE(Gosub):
      reg_set_int(v, &mem[op->p1], pc + 1);
      pc = op->p2;
      continue;
    CASE(InitCoroutine):
      reg_set_int(v, &mem[op->p1], op->p3 - 1);
      pc = op->p2;
      continue;
    CASE(Yield): {
      int64_t to = mem[op->p1].type == MEM_INT ? mem[op->p1].u.i : -1;
      if (to < 0 || to + 1 >= v->nop) goto internal;
      mem[op->p1].u.i = pc;
      pc = (int)to + 1;
      continue;
    }
    CASE(EndCoroutine): {
      /* The reader's Yield entered the co-routine: it says where the rows end. */
      int64_t from = mem[op->p1].type == MEM_INT ? mem[op->p1].u.i : -1;
      if (from < 0 || from >= v->nop || v->ops[from].opcode != OP_Yield) goto internal;
      mem[op->p1].u.i = pc - 1;
      pc = v->ops[from].p2;
      continue;
    }
    CASE(Return): {
      int64_t to = mem[op->p1].type == MEM_INT ? mem[op->p1].u.i : -1;
      if (to < 0 || to >= v->nop) goto internal;
      pc = (int)to;
      continue;
    }
    CASE(Once):
      if (v->once[pc]) {
        pc = op->p2;
        continue;
      }
      v->once[pc] = 1;
      v->once_set = 1;
      break;
    CASE(CreateBtree): {
      uint32_t root = 0;
      Btree *bt = op_btree(v, op);
      if (!bt) {
        rc = LODE_SCHEMA;
        goto abort_due_to_error;
      }
      if ((rc = btree_create(bt, op->p3, &root)) != LODE_OK) goto abort_due_to_error;
      v->write_gen++;
      reg_set_int(v, &mem[op->p2], root);
      break;
    }
    CASE(Destroy):
      /* Another statement of this connection may be reading the tree (one
      ** running a virtual table's xDestroy, which leads here, does not). */
      if (v->db->nactive > 1 + v->db->nvdestroy) {
        rc = conn_error(v->db, LODE_LOCKED, "database table is locked");
        goto abort_due_to_error;
      }
    {
      /* P2 (when set) receives the root page number that moved into the
      ** dropped tree's root page (auto-vacuum), or 0. */
      uint32_t moved = 0;
      rc = op_btree(v, op) ? btree_drop(op_btree(v, op), (uint32_t)op->p1, &moved) : LODE_SCHEMA;
      v->write_gen++;
      v->db->table_writes++;
      if (rc != LODE_OK) goto abort_due_to_error;
      if (op->p2 > 0) reg_set_int(v, &mem[op->p2], moved);
      break;
    }
    CASE(Clear): {
      int64_t n = 0;
      if (v->db->blob_rows) conn_blob_touch(v->db, op->db, (uint32_t)op->p1, 0, 1);
      rc = op_btree(v, op) ? clear_btree(v, op, &n) : LODE_SCHEMA;
      v->write_gen++;
      v->db->table_writes++;
      if (rc != LODE_OK) goto abort_due_to_error;
      if (op->p3) v->nchange += n;
      break;
    }
    CASE(RowData):
      if ((rc = op_row_data(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(CopyTree):
      if ((rc = op_copy_tree(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(ReadCookie): {
      uint32_t value = 0;
      if (!op_btree(v, op)) {
        rc = LODE_SCHEMA;
        goto abort_due_to_error;
      }
      if (op->p3 == BTREE_DATA_VERSION) value = btree_data_version(op_btree(v, op));
      else if ((rc = btree_get_meta(op_btree(v, op), op->p3, &value)) != LODE_OK) goto abort_due_to_error;
      reg_set_int(v, &mem[op->p2], (int32_t)value); /* signed, as SQLite reads them */
      break;
    }
    CASE(SetCookie):
      rc = op_btree(v, op) ? btree_set_meta(op_btree(v, op), op->p2, (uint32_t)op->p3) : LODE_SCHEMA;
      if (op->p2 == BTREE_META_SCHEMA_COOKIE) v->db->txn_schema_changed = 1;
      v->write_gen++;
      if (rc != LODE_OK) goto abort_due_to_error;
      break;
    CASE(ParseSchema):
      if ((rc = op_parse_schema(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(DropSchema): op_drop_schema(v, op); break;
    CASE(Pagecount):
      /* p5: PRAGMA max_page_count, setting it to r[p3] first when p3 names a register */
      if (op->p5) reg_set_int(v, &mem[op->p2], op_btree(v, op) ? btree_max_page_count(op_btree(v, op), op->p3 ? (uint32_t)mem[op->p3].u.i : 0) : 0);
      else reg_set_int(v, &mem[op->p2], op_btree(v, op) ? btree_page_count(op_btree(v, op)) : 0);
      break;
    CASE(IntegrityCk):
      if ((rc = op_integrity_check(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(Checkpoint):
      if ((rc = op_checkpoint(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(Vacuum):
      if ((rc = vdbe_op_vacuum(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(Attach):
    CASE(Detach):
      if ((rc = op_attach(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(Cdc): {
      lode *db = v->db;
      if (op->p1 == CDC_SET) {
        char *table = op->p4type == P4_STRING && op->p4.z ? util_strdup(op->p4.z) : NULL;
        if (op->p4type == P4_STRING && op->p4.z && !table) goto no_mem;
        util_free(db->cdc_table);
        db->cdc_table = table;
        db->cdc_mode = op->p2;
        db->schema_gen++; /* what programs capture is compiled into them */
      } else if (op->p1 == CDC_TXN) {
        if (db->cdc_txn_id == 0) db->cdc_txn_id = mem_as_int(&mem[op->p2]);
        reg_set_int(v, &mem[op->p3], db->cdc_txn_id);
      } else {
        if (op->p5 ? db->cdc_txn_id == 0 : !db->autocommit) {
          pc = op->p2;
          continue;
        }
        reg_set_int(v, &mem[op->p3], db->cdc_txn_id ? db->cdc_txn_id : -1);
      }
      break;
    }
    CASE(PragmaConn):
      if (op->p3 && (rc = conn_pragma_set(v->db, op->db, op->p1, mem_as_int(&mem[op->p3]))) != LODE_OK)
        goto abort_due_to_error;
      if (op->p2) reg_set_int(v, &mem[op->p2], conn_pragma_get(v->db, op->db, op->p1));
      break;
    CASE(SeekLT):
    CASE(SeekLE):
    CASE(SeekGE):
    CASE(SeekGT): {
      VdbeCursor *c = bt_cursor(v, op->p1);
      int eof = 1, landed = -1;
      if (!c) goto internal;
      if (c->keyinfo) rc = vdbe_index_seek(c, op->opcode, &mem[op->p3], op->p4.i, &eof, &landed);
      else rc = vdbe_table_seek(c, op->opcode, &mem[op->p3], &eof);
      if (rc != LODE_OK) goto abort_due_to_error;
      if (landed >= 0 && !eof) {
        c->seek_next = op + 1;
        c->seek_gen = c->gen;
        c->seek_cmp = landed;
      }
      if (eof) {
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(IdxLT):
    CASE(IdxLE):
    CASE(IdxGE):
    CASE(IdxGT): {
      int jump = 0;
      if ((rc = op_idx_compare(v, op, &jump)) != LODE_OK) goto abort_due_to_error;
      if (jump) {
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(IdxInsert): {
      VdbeCursor *c = bt_cursor(v, op->p1);
      const Mem *r = &mem[op->p2];
      if (!c || !c->keyinfo || r->type != MEM_BLOB) goto internal;
      if ((op->p5 & OPFLAG_PREUPDATE) && v->db->preupdate_on) preupdate_entry(v, op, c, r);
      rc = vdbe_index_insert(c, (const uint8_t *)r->z, (uint32_t)r->n, op->p5,
                             op->p3 > 0 && plain_values(&mem[op->p3], op->p4.i) ? &mem[op->p3] : NULL, op->p4.i);
      v->write_gen++;
      if (rc != LODE_OK) goto abort_due_to_error;
      if (op->p5 & OPFLAG_NCHANGE) v->nchange++;
      if (op->p5 & OPFLAG_NESTED) v->nchange_pending++;
      break;
    }
    CASE(IdxDelete): {
      VdbeCursor *c = bt_cursor(v, op->p1);
      int found = 0;
      if (!c || !c->keyinfo) goto internal;
      if ((rc = vdbe_index_find(c, &mem[op->p2], op->p3, &found)) != LODE_OK) goto abort_due_to_error;
      if (found) {
        rc = btree_delete(c->bt);
        v->write_gen++;
        c->gen++;
        if (rc != LODE_OK) goto abort_due_to_error;
        c->eof = btree_eof(c->bt);
      }
      break;
    }
    CASE(IdxRowid): {
      VdbeCursor *c = bt_cursor(v, op->p1);
      int64_t rowid = 0;
      int norow = 1;
      if (!c || !c->keyinfo) goto internal;
      if ((rc = entry_rowid(v, c, &rowid, &norow)) != LODE_OK) goto abort_due_to_error;
      if (norow) reg_set_null(v, &mem[op->p2]);
      else reg_set_int(v, &mem[op->p2], rowid);
      break;
    }
    CASE(Found):
    CASE(NotFound):
    CASE(NoConflict): {
      int jump = 0;
      if ((rc = op_found(v, op, &jump)) != LODE_OK) goto abort_due_to_error;
      if (jump) {
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(FilterInit):
      reg_prepare(v, &mem[op->p1]);
      if ((rc = vdbe_filter_init(&mem[op->p1])) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(FilterAdd):
      if ((rc = vdbe_filter_add(&mem[op->p1], &mem[op->p3], op->p4.keyinfo)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(Filter): {
      int maybe = 1;
      if ((rc = vdbe_filter_test(&mem[op->p1], &mem[op->p3], op->p4.keyinfo, &maybe)) != LODE_OK)
        goto abort_due_to_error;
      status[maybe ? VDBE_STATUS_FILTER_HIT : VDBE_STATUS_FILTER_MISS]++;
      if (!maybe) {
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(DeferredSeek):
      if ((rc = op_deferred_seek(v, op)) != LODE_OK) goto abort_due_to_error;
      break;
    CASE(Noop):
    CASE(Explain): break;
    CASE(VOpen):
    CASE(VFilter):
    CASE(VNext):
    CASE(VColumn):
    CASE(VRowid):
    CASE(VUpdate):
    CASE(VBegin):
    CASE(VCreate):
    CASE(VDestroy):
    CASE(VRename): {
      int jump = 0;
      if (op->opcode == OP_VNext && interrupted(v, status, steps, &progress_seen)) goto interrupt;
      if ((rc = vdbe_vtab_op(v, op, &jump)) != LODE_OK) goto abort_due_to_error;
      if (jump) {
        pc = op->p2;
        continue;
      }
      break;
    }
    CASE(IdxmOpen):
    CASE(IdxmInsert):
    CASE(IdxmDelete):
    CASE(IdxmQuery):
    CASE(IdxmNext):
    CASE(IdxmRowid):
    CASE(IdxmColumn):
    CASE(IdxmCheck):
    CASE(IdxmCheckRow):
    CASE(IdxmOptimize): {
      int jump = 0;
      if (op->opcode == OP_IdxmNext && interrupted(v, status, steps, &progress_seen)) goto interrupt;
      if ((rc = vdbe_idxm_op(v, op, &jump)) != LODE_OK) goto abort_due_to_error;
      if (jump) {
        pc = op->p2;
        continue;
      }
      break;
    }
    default: goto internal;
    }
    pc++;
  }
internal:
  rc = LODE_INTERNAL;
  goto abort_due_to_error;
no_mem:
  rc = LODE_NOMEM;
abort_due_to_error:
  v->pc = pc;
  fail(v, rc);
  VM_RETURN(halt(v, rc, 1));
interrupt:
  rc = LODE_INTERRUPT;
  goto abort_due_to_error;
#undef VM_RETURN
}
