/*
** fts5_index.c — the FTS5 index in SQLite's format (the layouts are in
** fts5_int.h): changes not yet written, segments written, read and merged,
** the structure and averages records.
**
** Row changes are first kept as a log of (rowid, insert or delete, column
** tokens as the tokenizer gave them when the row was logged), so that
** ROLLBACK TO a savepoint only has to cut the log back.
** Replaying the log builds sorted terms and cuts them into one segment at
** each point where SQLite writes its in-memory hash: a smaller rowid, an
** insertion after an insertion of the same rowid, a savepoint, pending
** bytes past hashsize (SQLite's count emulated), so that the same changes
** give the same segments.  A query inside a transaction reads the replayed
** terms as the newest segments; xSync writes them.
**
** After each segment SQLite's merge policy runs: small segments are promoted
** to lower levels; each 64 leaves written buy 64 leaves of merge work per
** level (automerge), merges stop between terms, trim their inputs and go on
** later; a level of crisismerge segments is merged whole.
**
** With 'secure-delete' on, a flush does not write a deleted row's entries:
** each is cut out of the leaf of the newest segment holding it (sd_delete),
** as SQLite edits its leaves, and a term left with no entries is not written.
**
** Reading walks a segment's leaves from the page %_idx names for a term;
** doclists that continue over pages are followed page by page.  A page that
** does not parse fails the query with SQLITE_CORRUPT_VTAB.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "ext/fts/fts.h"
#include "ext/fts/shadow.h"
#include "ext/fts5/fts5_int.h"

/* ---- buffers and varints ------------------------------------------------------------------------------------- */

/* Room for n more bytes in b (0 when it has none: b->oom is set); a buffer
** that must grow is first made `first` times its size, then doubled until
** the bytes fit. */
static int buf_reserve_grow(F5Buf *b, int n, int first) {
  if (b->oom) return 0;
  if (b->n + n > b->cap) {
    int cap = b->cap ? b->cap * first : 64;
    while (cap < b->n + n) cap *= 2;
    unsigned char *g = sqlite3_realloc(b->p, cap);
    if (!g) {
      b->oom = 1;
      return 0;
    }
    b->p = g;
    b->cap = cap;
  }
  return 1;
}

static int buf_reserve(F5Buf *b, int n) { return buf_reserve_grow(b, n, 1); }

void f5_put_grow(F5Buf *b, const void *p, int n) {
  if (n <= 0 || !buf_reserve(b, n)) return;
  memcpy(b->p + b->n, p, (size_t)n);
  b->n += n;
}

int f5_varint_len(sqlite3_uint64 v) {
  int n = 1;
  if (v > 0x00FFFFFFFFFFFFFFULL) return 9;
  while (v > 0x7F) {
    v >>= 7;
    n++;
  }
  return n;
}

/* SQLite's varint: big-endian groups of 7 bits, the high bit set on all
** but the last; a ninth byte carries 8 bits. */
void f5_varint_grow(F5Buf *b, sqlite3_uint64 v) {
  int n = f5_varint_len(v);
  if (!buf_reserve(b, n)) return;
  unsigned char *d = b->p + b->n;
  b->n += n;
  if (n == 9) {
    d[8] = (unsigned char)v;
    v >>= 8;
    n = 8;
  } else {
    d[--n] = (unsigned char)(v & 0x7F);
    v >>= 7;
  }
  while (n > 0) {
    d[--n] = (unsigned char)((v & 0x7F) | 0x80);
    v >>= 7;
  }
}

int f5_get_varint(const unsigned char *p, const unsigned char *end, sqlite3_uint64 *v) {
  sqlite3_uint64 x = 0;
  for (int i = 0; i < 9; i++) {
    if (p + i >= end) return 0;
    if (i == 8) {
      *v = (x << 8) | p[i];
      return 9;
    }
    x = (x << 7) | (p[i] & 0x7F);
    if (!(p[i] & 0x80)) {
      *v = x;
      return i + 1;
    }
  }
  return 0;
}

int f5_grow(void *pp, int *cap, int need, size_t elem) {
  if (need <= *cap) return SQLITE_OK;
  int ncap = *cap ? *cap : 16;
  while (ncap < need) ncap *= 2;
  void *g = sqlite3_realloc64(*(void **)pp, elem * (sqlite3_uint64)ncap);
  if (!g) return SQLITE_NOMEM;
  *(void **)pp = g;
  *cap = ncap;
  return SQLITE_OK;
}

void f5_free(F5Buf *b) {
  sqlite3_free(b->p);
  memset(b, 0, sizeof *b);
}

static void put_u16(unsigned char *p, int v) {
  p[0] = (unsigned char)(v >> 8);
  p[1] = (unsigned char)v;
}

static int get_u16(const unsigned char *p) { return p[0] << 8 | p[1]; }

/* ---- doclists in memory --------------------------------------------------------------------------------------- */

void f5_doclist_free(F5Doclist *d) {
  sqlite3_free(d->rowid);
  sqlite3_free(d->start);
  sqlite3_free(d->hit);
  sqlite3_free(d->pl);
  memset(d, 0, sizeof *d);
}

/* Room in d's rowid and start arrays for one more row. */
static int doclist_room(F5Doclist *d) {
  if (d->n + 2 <= d->cap) return SQLITE_OK;
  int cap = d->cap ? d->cap * 2 : 16;
  sqlite3_int64 *r = sqlite3_realloc64(d->rowid, sizeof(sqlite3_int64) * (sqlite3_uint64)cap);
  if (r) d->rowid = r;
  int *s = sqlite3_realloc64(d->start, sizeof(int) * (sqlite3_uint64)(cap + 1));
  if (s) d->start = s;
  if (!r || !s) return d->oom = 1, SQLITE_NOMEM;
  d->cap = cap;
  return SQLITE_OK;
}

/* Appends a row to a raw doclist: its poslist's bytes. */
static int doclist_add_raw(F5Doclist *d, sqlite3_int64 rowid, const unsigned char *pl, int n) {
  if (doclist_room(d) != SQLITE_OK) return SQLITE_NOMEM;
  if (d->nhit + n > d->hcap) {
    int cap = d->hcap ? d->hcap : 256;
    while (cap < d->nhit + n) cap *= 2;
    unsigned char *h = sqlite3_realloc64(d->pl, (sqlite3_uint64)cap);
    if (!h) return d->oom = 1, SQLITE_NOMEM;
    d->pl = h;
    d->hcap = cap;
  }
  if (d->n == 0) d->start[0] = 0;
  d->rowid[d->n] = rowid;
  if (n) memcpy(d->pl + d->nhit, pl, (size_t)n);
  d->nhit += n;
  d->start[++d->n] = d->nhit;
  return SQLITE_OK;
}

int f5_doclist_add(F5Doclist *d, sqlite3_int64 rowid, const sqlite3_int64 *hits, int nhits) {
  if (doclist_room(d) != SQLITE_OK) return SQLITE_NOMEM;
  if (d->nhit + nhits > d->hcap) {
    int cap = d->hcap ? d->hcap : 64;
    while (cap < d->nhit + nhits) cap *= 2;
    sqlite3_int64 *h = sqlite3_realloc64(d->hit, sizeof(sqlite3_int64) * (sqlite3_uint64)cap);
    if (!h) return d->oom = 1, SQLITE_NOMEM;
    d->hit = h;
    d->hcap = cap;
  }
  if (d->n == 0) d->start[0] = 0;
  d->rowid[d->n] = rowid;
  if (nhits) memcpy(d->hit + d->nhit, hits, sizeof(sqlite3_int64) * (size_t)nhits);
  d->nhit += nhits;
  d->start[++d->n] = d->nhit;
  return SQLITE_OK;
}

/* Decodes a poslist into hits (col << 32 | off); detail=column lists columns.
** A column the table does not have is corruption.  Every hit takes at least
** a byte, so room for n hits is made once and the hits are stored in place;
** most values are one-byte varints, read inline. */
static int poslist_hits(const Fts5Table *t, const unsigned char *p, int n, F5Buf *out) {
  int detail = t->detail, ncol = t->ncol;
  if (n <= 0) return out->oom ? SQLITE_NOMEM : SQLITE_OK;
  if (!buf_reserve(out, n * (int)sizeof(sqlite3_int64))) return SQLITE_NOMEM;
  assert(out->n % (int)sizeof(sqlite3_int64) == 0);
  sqlite3_int64 *h = (sqlite3_int64 *)(void *)(out->p + out->n), *h0 = h;
  const unsigned char *end = p + n;
  sqlite3_int64 col = 0, prev = 0;
  while (p < end) {
    sqlite3_uint64 v;
    if (*p < 0x80) {
      v = *p++;
    } else {
      int k = f5_get_varint(p, end, &v);
      if (!k) return SQLITE_CORRUPT_VTAB;
      p += k;
    }
    if (v == 1 && detail == F5_DETAIL_FULL) {
      int k = p < end ? f5_get_varint(p, end, &v) : 0;
      if (!k || v >= (sqlite3_uint64)ncol) return SQLITE_CORRUPT_VTAB;
      p += k;
      col = (sqlite3_int64)v;
      prev = 0;
      continue;
    }
    if (v < 2 || v > 0x80000001u) return SQLITE_CORRUPT_VTAB;
    prev += (sqlite3_int64)v - 2;
    if (prev > 0x7FFFFFFF || (detail == F5_DETAIL_COLUMN && prev >= ncol)) return SQLITE_CORRUPT_VTAB;
    *h++ = detail == F5_DETAIL_FULL ? (col << 32 | prev) : (prev << 32);
  }
  out->n += (int)(h - h0) * (int)sizeof(sqlite3_int64);
  return SQLITE_OK;
}

int f5_doclist_cook(const Fts5Table *t, F5Doclist *d) {
  if (!d->raw) return SQLITE_OK;
  F5Buf hits = {0};
  int rc = SQLITE_OK;
  for (int i = 0; i < d->n && rc == SQLITE_OK; i++) {
    int from = d->start[i], to = d->start[i + 1];
    d->start[i] = hits.n / (int)sizeof(sqlite3_int64);
    rc = poslist_hits(t, d->pl + from, to - from, &hits);
  }
  if (rc == SQLITE_OK && hits.oom) rc = SQLITE_NOMEM;
  if (rc != SQLITE_OK) {
    /* the starts are half rewritten: the doclist is no longer readable */
    f5_free(&hits);
    f5_doclist_free(d);
    return rc;
  }
  d->start[d->n] = hits.n / (int)sizeof(sqlite3_int64);
  sqlite3_free(d->pl);
  d->pl = NULL;
  d->raw = 0;
  d->hit = (sqlite3_int64 *)(void *)hits.p;
  d->nhit = d->start[d->n];
  d->hcap = hits.cap / (int)sizeof(sqlite3_int64);
  return SQLITE_OK;
}

/* ---- the change log ------------------------------------------------------------------------------------------ */

static int flush_log(Fts5Table *t, int final);

/* An operation in the log: u8 del, i64 rowid, then per column i32 length (-1: NULL), i32 token count and
** that many bytes: the column's tokens as the tokenizer gave them, each a varint (bytes * 2 + colocated)
** and its bytes (so a replay, which may run more than once, does not tokenize again);
** or LOG_BOUNDARY and a rowid of 0: where SQLite would have written its pending terms;
** or LOG_TOMB, the rowid and an i64 origin: a contentless delete, already in
** the tombstone hashes (origin 0: the row was not there), which still
** decides where segments end and counts toward the next merge work. */
#define LOG_BOUNDARY 2
#define LOG_TOMB 3
static int log_begin(Fts5Table *t, sqlite3_int64 rowid, int del) {
  if (t->nops + 1 >= t->opcap) {
    int cap = t->opcap ? t->opcap * 2 : 64;
    int *g = sqlite3_realloc64(t->opat, sizeof(int) * (sqlite3_uint64)cap);
    if (!g) return SQLITE_NOMEM;
    t->opat = g;
    t->opcap = cap;
  }
  t->opat[t->nops] = t->log.n;
  unsigned char d = (unsigned char)del;
  f5_put(&t->log, &d, 1);
  f5_put(&t->log, &rowid, (int)sizeof rowid);
  return SQLITE_OK;
}

static void pending_free(Fts5Table *t);
typedef struct Pending Pending;
static int pending_get(Fts5Table *t, Pending **out);

static int log_end(Fts5Table *t) {
  pending_free(t);
  if (t->log.oom) return SQLITE_NOMEM;
  t->nops++;
  t->opat[t->nops] = t->log.n;
  /* a long log is written up to SQLite's last flush point, which bounds its memory */
  if (t->log.n - t->opat[t->written] > 4 * (sqlite3_int64)t->hashsize + 65536) return flush_log(t, 0);
  return SQLITE_OK;
}

/* Copies n (< 64) bytes: words of 8, then the last 8 overlapping; under 8, two overlapping words of 4, or the
** first, middle and last byte.  A token's few bytes without a loop per byte or a call to memcpy. */
static inline void copy_short(unsigned char *d, const char *s, int n) {
  if (n >= 8) {
    for (int i = 0; i < n - 8; i += 8) memcpy(d + i, s + i, 8);
    memcpy(d + n - 8, s + n - 8, 8);
  } else if (n >= 4) {
    memcpy(d, s, 4);
    memcpy(d + n - 4, s + n - 4, 4);
  } else if (n > 0) {
    d[0] = (unsigned char)s[0];
    d[n / 2] = (unsigned char)s[n / 2];
    d[n - 1] = (unsigned char)s[n - 1];
  }
}

typedef struct LogTokens {
  F5Buf *log;
  int count;
} LogTokens;

static int log_token(void *vc, int tflags, const char *tok, int n, int start, int end) {
  LogTokens *lt = vc;
  (void)start;
  (void)end;
  int coloc = (tflags & FTS5_TOKEN_COLOCATED) != 0;
  if (n < 0) n = 0;
  lt->count += !coloc;
  F5Buf *b = lt->log;
  if (n < 64 && b->n + 1 + n <= b->cap && !b->oom) {
    /* the usual token: its one-byte head and its bytes into room the log has, copied inline (a few bytes) */
    unsigned char *d = b->p + b->n;
    d[0] = (unsigned char)(n * 2 + coloc);
    copy_short(d + 1, tok, n);
    b->n += 1 + n;
    return SQLITE_OK;
  }
  f5_varint(b, (sqlite3_uint64)n * 2 + (sqlite3_uint64)coloc);
  f5_put(b, tok, n);
  return b->oom ? SQLITE_NOMEM : SQLITE_OK;
}

int fts5_log_row(Fts5Table *t, sqlite3_int64 rowid, int del, sqlite3_value **vals, int *counts) {
  int rc = log_begin(t, rowid, del);
  for (int i = 0; rc == SQLITE_OK && i < t->ncol; i++) {
    int n = -1;
    const unsigned char *z = NULL;
    if (!t->unindexed[i] && vals[i] && sqlite3_value_type(vals[i]) != SQLITE_NULL) {
      z = sqlite3_value_text(vals[i]);
      n = sqlite3_value_bytes(vals[i]);
      if (!z) n = -1;
    }
    int at = t->log.n, zero = 0;
    f5_put(&t->log, &n, (int)sizeof n);
    f5_put(&t->log, &zero, (int)sizeof zero);
    LogTokens lt = {&t->log, 0};
    if (n > 0) rc = fts5_tokenize(t, FTS5_TOKENIZE_DOCUMENT, (const char *)z, n, &lt, log_token);
    if (rc == SQLITE_OK && t->log.oom) rc = SQLITE_NOMEM;
    if (rc == SQLITE_OK && n >= 0) {
      int len = t->log.n - at - (int)(sizeof n + sizeof lt.count);
      memcpy(t->log.p + at, &len, sizeof len);
      memcpy(t->log.p + at + sizeof n, &lt.count, sizeof lt.count);
    }
    if (counts) counts[i] = lt.count;
  }
  if (rc != SQLITE_OK) {
    /* the operation never was */
    pending_free(t);
    t->log.n = t->opat[t->nops];
    t->log.oom = 0;
    return rc;
  }
  return log_end(t);
}

static int tomb_apply(Fts5Table *t, sqlite3_int64 rowid, sqlite3_uint64 origin);

/* A contentless delete.  SQLite adds it to the tombstone hashes at once,
** after writing its pending terms if the delete makes it (a rowid not
** above the last written, or hashsize reached): so the log is written up
** to its last such point first (which also gives the rows written there
** their origins), then the row's origin is read and the tombstone added. */
int fts5_log_tombstone(Fts5Table *t, sqlite3_int64 rowid) {
  int rc = log_begin(t, rowid, LOG_TOMB);
  sqlite3_int64 origin = 0;
  f5_put(&t->log, &origin, (int)sizeof origin);
  if (rc == SQLITE_OK) rc = log_end(t);
  if (rc == SQLITE_OK) rc = flush_log(t, 0);
  if (rc != SQLITE_OK) return rc;
  sqlite3_stmt *s = fts5_stmt(t, F5ST_DOCSIZE_ORIGIN, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, rowid);
  if (sqlite3_step(s) == SQLITE_ROW) origin = sqlite3_column_int64(s, 0);
  rc = sqlite3_reset(s);
  if (rc != SQLITE_OK) return rc;
  memcpy(t->log.p + t->opat[t->nops - 1] + 1 + sizeof rowid, &origin, sizeof origin);
  pending_free(t);
  return origin > 0 ? tomb_apply(t, rowid, (sqlite3_uint64)origin) : SQLITE_OK;
}

int fts5_log_boundary(Fts5Table *t) {
  if (t->nops == t->written || t->log.p[t->opat[t->nops - 1]] == LOG_BOUNDARY) return SQLITE_OK;
  pending_free(t);
  int rc = log_begin(t, 0, LOG_BOUNDARY);
  if (rc != SQLITE_OK) return rc;
  if (t->log.oom) return SQLITE_NOMEM;
  t->nops++;
  t->opat[t->nops] = t->log.n;
  return SQLITE_OK;
}

void fts5_log_truncate(Fts5Table *t, int nops) {
  if (nops < 0 || nops >= t->nops) return;
  pending_free(t);
  t->nops = nops;
  t->log.n = t->opat[nops];
  if (t->written > nops) t->written = nops;
}

/* The log is empty: written or dropped.  Savepoints taken before now mark its start. */
void fts5_log_clear(Fts5Table *t) {
  pending_free(t);
  t->nops = 0;
  t->log.n = 0;
  t->written = 0;
  for (int i = 0; i < t->savepoints; i++) t->spmark[i] = t->spwritten[i] = 0;
}

/* ---- the term hash of one flush ----------------------------------------------------------------------------- */

typedef struct HEntry {
  unsigned hv; /* term_hv of the term */
  int nterm;
  sqlite3_uint64 head; /* the token's first 8 bytes (after the index byte), zero-padded: most tokens whole */
  /* per row: varint rowid (the first absolute, then the difference from the row before, as a segment's
  ** doclist has them), varint(size: bytes*2 + del, detail=none: inserted*2 + del), bytes */
  F5Buf dl;
  sqlite3_int64 rowid;
  int open; /* a row is being added */
  int del, ins;
  int col, pos; /* the last hit's, for the poslist's differences */
  int anyhit;
  int used;  /* a row has been added */
  int sz_at; /* the open row's size in dl: one byte kept for it (moved on when it needs more), its poslist after */
  char term[]; /* nterm bytes and a 0, allocated with the entry */
} HEntry;

/* The bytes of the open row's poslist. */
static int pl_len(const HEntry *e) { return e->open ? e->dl.n - e->sz_at - 1 : 0; }

/* SQLite's hash entry header: what each term costs its pending-data count beyond its bytes. */
#define HASH_ENTRY_OVERHEAD 48

typedef struct Hash {
  HEntry **slot;
  int nslot, n;
  int oom;
  sqlite3_int64 est; /* SQLite's count of pending bytes for the same terms, which decides its flushes */
} Hash;

static unsigned hash_key(const char *z, int n) {
  unsigned h = 2166136261u;
  for (int i = 0; i < n; i++) h = (h ^ (unsigned char)z[i]) * 16777619u;
  return h;
}

/* A token's first 8 bytes as one integer, zero-padded (the bytes in memory order).  When lim says that 8 bytes
** may be read from z (z lies in a buffer that goes on to lim), one load and a mask: most tokens are shorter. */
static inline sqlite3_uint64 token_head(const char *z, int n, const char *lim) {
  sqlite3_uint64 w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (lim && lim - z >= 8) {
    memcpy(&w, z, 8);
    return n >= 8 ? w : w & ((1ULL << (8 * n)) - 1);
  }
#else
  (void)lim;
#endif
  memcpy(&w, z, (size_t)(n < 8 ? n : 8));
  return w;
}

/* The hash of the term idx followed by z[0..n) whose first 8 bytes are head (token_head): the bytes past 8
** mixed in one at a time, then the whole folded so that every byte reaches the low bits a slot takes. */
static inline unsigned term_hv(char idx, sqlite3_uint64 head, const char *z, int n) {
  sqlite3_uint64 x = head;
  for (int i = 8; i < n; i++) x = (x ^ (unsigned char)z[i]) * 1099511628211ULL;
  x = (x ^ ((sqlite3_uint64)(unsigned char)idx << 40 | (sqlite3_uint64)n)) * 0x9E3779B97F4A7C15ULL;
  return (unsigned)(x >> 32);
}

/* term_hv of a whole term (its index byte first). */
static unsigned term_hv_whole(const char *term, int n) {
  if (n <= 0) return 0;
  return term_hv(term[0], token_head(term + 1, n - 1, NULL), term + 1, n - 1);
}

/* Are a[0..na) and b[0..n) the same bytes?  Terms are short: a loop costs less than a call to memcmp. */
static inline int same_bytes(const char *a, const char *b, int n, int na) {
  if (na != n) return 0;
  for (int i = 0; i < n; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

/* A new entry for the term idx followed by z[0..n), whose token_head and term_hv are head and hv (the table grown
** first when half full). */
static HEntry *hash_new(Hash *h, char idx, const char *z, int n, sqlite3_uint64 head, unsigned hv) {
  if (h->n * 2 >= h->nslot) {
    int ns = h->nslot ? h->nslot * 2 : 1024;
    HEntry **s = sqlite3_malloc64(sizeof(HEntry *) * (sqlite3_uint64)ns);
    if (!s) return h->oom = 1, NULL;
    memset(s, 0, sizeof(HEntry *) * (size_t)ns);
    for (int i = 0; i < h->nslot; i++) {
      HEntry *e = h->slot[i];
      if (!e) continue;
      unsigned k = e->hv & (unsigned)(ns - 1);
      while (s[k]) k = (k + 1) & (unsigned)(ns - 1);
      s[k] = e;
    }
    sqlite3_free(h->slot);
    h->slot = s;
    h->nslot = ns;
  }
  unsigned k = hv & (unsigned)(h->nslot - 1);
  while (h->slot[k]) k = (k + 1) & (unsigned)(h->nslot - 1);
  HEntry *e = sqlite3_malloc64(sizeof *e + (size_t)n + 2);
  if (!e) return h->oom = 1, NULL;
  memset(e, 0, sizeof *e);
  e->term[0] = idx;
  memcpy(e->term + 1, z, (size_t)n);
  e->term[n + 1] = 0;
  e->hv = hv;
  e->head = head;
  e->nterm = n + 1;
  h->slot[k] = e;
  h->n++;
  return e;
}

/* The entry of the term idx followed by z[0..n) (made when there is none): the index byte apart from the token,
** so that a token is not copied behind it first.  lim: as token_head's. */
static inline HEntry *hash_get(Hash *h, char idx, const char *z, int n, const char *lim) {
  sqlite3_uint64 head = token_head(z, n, lim);
  unsigned hv = term_hv(idx, head, z, n);
  if (h->nslot) {
    unsigned k = hv & (unsigned)(h->nslot - 1);
    HEntry *e;
    while ((e = h->slot[k]) != NULL) {
      /* a token of up to 8 bytes is all in head; a longer one compares its bytes past them */
      if (e->head == head && e->nterm == n + 1 && e->term[0] == idx &&
          (n <= 8 || same_bytes(e->term + 9, z + 8, n - 8, n - 8)))
        return e;
      k = (k + 1) & (unsigned)(h->nslot - 1);
    }
  }
  return hash_new(h, idx, z, n, head, hv);
}

/* The entry of the whole term z[0..n) (its index byte first), or NULL. */
static HEntry *hash_find(const Hash *h, const char *z, int n) {
  if (h->nslot == 0 || n <= 0) return NULL;
  unsigned hv = term_hv_whole(z, n), k = hv & (unsigned)(h->nslot - 1);
  while (h->slot[k]) {
    HEntry *e = h->slot[k];
    if (e->hv == hv && same_bytes(e->term, z, n, e->nterm)) return e;
    k = (k + 1) & (unsigned)(h->nslot - 1);
  }
  return NULL;
}

static void hash_entry_close(HEntry *e, int detail) {
  if (!e->open) return;
  int npl = pl_len(e);
  sqlite3_uint64 v = detail == F5_DETAIL_NONE ? (sqlite3_uint64)(e->ins * 2 + e->del) : (sqlite3_uint64)npl * 2 + (sqlite3_uint64)e->del;
  e->open = 0;
  if (e->dl.oom) return;
  if (v < 0x80) {
    e->dl.p[e->sz_at] = (unsigned char)v;
    return;
  }
  unsigned char tmp[16];
  F5Buf b = {tmp, 0, (int)sizeof tmp, 0};
  f5_varint(&b, v);
  if (!buf_reserve(&e->dl, b.n - 1)) return; /* room for the longer size */
  e->dl.n += b.n - 1;
  memmove(e->dl.p + e->sz_at + b.n, e->dl.p + e->sz_at + 1, (size_t)npl);
  memcpy(e->dl.p + e->sz_at, tmp, (size_t)b.n);
}

static void hash_free(Hash *h) {
  for (int i = 0; i < h->nslot; i++) {
    HEntry *e = h->slot[i];
    if (!e) continue;
    f5_free(&e->dl);
    sqlite3_free(e);
  }
  sqlite3_free(h->slot);
  memset(h, 0, sizeof *h);
}

typedef struct HashCtx {
  Fts5Table *t;
  Hash *h;
  const char *lim; /* the end of the buffer the tokens lie in (the log's room), NULL when not known */
  sqlite3_int64 rowid;
  int del, col, pos;
} HashCtx;

/* The bytes the finished row's size adds beyond the one byte SQLite reserves for it. */
static int size_extra(const HEntry *e, int detail) {
  if (detail == F5_DETAIL_NONE) return e->del ? 1 + e->ins : 0;
  return f5_varint_len((sqlite3_uint64)(pl_len(e) * 2 + e->del)) - 1;
}

/* Room for 16 more bytes in a term's doclist.  It grows four times over, not twice: a flush's frequent terms
** reach kilobytes a few bytes at a time, and each reallocation (which copies) costs more than the slack. */
static int hash_dl_room(F5Buf *dl) { return buf_reserve_grow(dl, 16, 4); }

/* Adds the current hit of the term idx followed by tok[0..ntok).  Inline in the replay's loop over a row's tokens,
** which keeps the context in registers (a call per token saved and restored them). */
static inline __attribute__((always_inline)) void hash_add(HashCtx *c, char idx, const char *tok, int ntok) {
  HEntry *e = hash_get(c->h, idx, tok, ntok, c->lim);
  if (!e) return;
  int n = ntok + 1; /* the term's bytes */
  int detail = c->t->detail, before = pl_len(e);
  if (e->open && e->rowid != c->rowid) {
    /* the last row's size, inline where it fits the byte kept for it (most poslists are under 64 bytes); the
    ** pending count takes the bytes the size adds beyond that byte */
    sqlite3_uint64 v = detail == F5_DETAIL_NONE ? (sqlite3_uint64)(e->ins * 2 + e->del)
                                                : (sqlite3_uint64)before * 2 + (sqlite3_uint64)e->del;
    if (v < 0x80 && !e->dl.oom) {
      if (detail == F5_DETAIL_NONE) c->h->est += size_extra(e, detail);
      e->dl.p[e->sz_at] = (unsigned char)v;
      e->open = 0;
    } else {
      c->h->est += size_extra(e, detail);
      hash_entry_close(e, detail);
    }
    before = 0;
  }
  if (!e->open) {
    /* the row's rowid (after the term's first row, the difference) and a byte kept for its size, with one test
    ** for room (the call only to grow) */
    sqlite3_uint64 v = (sqlite3_uint64)(e->dl.n > 0 ? c->rowid - e->rowid : c->rowid);
    if ((e->dl.oom || e->dl.n + 10 > e->dl.cap) && !hash_dl_room(&e->dl)) return;
    unsigned char *d = e->dl.p + e->dl.n;
    int k;
    if (v < 0x80) {
      d[0] = (unsigned char)v;
      k = 1;
    } else if (v < 0x4000) {
      d[0] = (unsigned char)(0x80 | v >> 7);
      d[1] = (unsigned char)(v & 0x7F);
      k = 2;
    } else if (v < 0x200000) {
      d[0] = (unsigned char)(0x80 | v >> 14);
      d[1] = (unsigned char)(0x80 | (v >> 7 & 0x7F));
      d[2] = (unsigned char)(v & 0x7F);
      k = 3;
    } else {
      f5_varint(&e->dl, v);
      k = 0;
      d = e->dl.p + e->dl.n; /* (room for 10 bytes was made: the buffer did not move) */
    }
    /* SQLite's pending count: the rowid's varint and the size byte; for the term's first row, the entry's header
    ** and its key (index byte and token, no terminator) too */
    c->h->est += (k ? k : f5_varint_len(v)) + (detail != F5_DETAIL_NONE) + (e->used ? 0 : HASH_ENTRY_OVERHEAD + n);
    e->used = 1;
    d[k] = 0;
    e->dl.n += k + 1;
    e->sz_at = e->dl.n - 1;
    e->open = 1;
    e->rowid = c->rowid;
    e->del = 0;
    e->ins = 0;
    e->col = 0;
    e->pos = 0;
    e->anyhit = 0;
  }
  if (c->del) {
    e->del = 1;
    return;
  }
  e->ins = 1;
  if (c->t->detail == F5_DETAIL_FULL) {
    if (c->col != e->col) {
      f5_put(&e->dl, "\x01", 1);
      f5_varint(&e->dl, (sqlite3_uint64)c->col);
      e->col = c->col;
      e->pos = 0;
    }
    sqlite3_uint64 v = (sqlite3_uint64)(c->pos - e->pos + 2);
    if (v < 0x80 && e->dl.n < e->dl.cap && !e->dl.oom)
      e->dl.p[e->dl.n++] = (unsigned char)v; /* most positions follow the last by less than 126 */
    else
      f5_varint(&e->dl, v);
    e->pos = c->pos;
  } else if (c->t->detail == F5_DETAIL_COLUMN) {
    if (e->anyhit && e->col == c->col) return;
    f5_varint(&e->dl, (sqlite3_uint64)(c->col - (e->anyhit ? e->col : 0) + 2));
    e->col = c->col;
  }
  e->anyhit = 1;
  c->h->est += pl_len(e) - before;
}

/* The bytes of the first nchar UTF-8 characters of z[0..n), or -1 when it has fewer. */
static int prefix_bytes(const char *z, int n, int nchar) {
  int i = 0;
  for (int k = 0; k < nchar; k++) {
    if (i >= n) return -1;
    i++;
    while (i < n && ((unsigned char)z[i] & 0xC0) == 0x80) i++;
  }
  return i;
}

static int hash_token(void *vc, int tflags, const char *tok, int n, int start, int end) {
  HashCtx *c = vc;
  (void)start;
  (void)end;
  if (tflags & FTS5_TOKEN_COLOCATED) c->pos--;
  hash_add(c, FTS5_MAIN_PREFIX, tok, n);
  for (int i = 0; i < c->t->nprefix; i++) {
    int nb = prefix_bytes(tok, n, c->t->prefix[i]);
    if (nb < 0) continue;
    hash_add(c, (char)(FTS5_MAIN_PREFIX + 1 + i), tok, nb);
  }
  c->pos++;
  return c->h->oom ? SQLITE_NOMEM : SQLITE_OK;
}

/* ---- statements of the index --------------------------------------------------------------------------------- */

/* The statement's read of a %_data row: for a row the blob handle cannot
** open (missing, or not a blob), which then tells found from corrupt. */
static int data_read_stmt(Fts5Table *t, sqlite3_int64 id, F5Buf *out, int *found) {
  int rc;
  sqlite3_stmt *s = fts5_stmt(t, F5ST_DATA_READ, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, id);
  out->n = 0;
  *found = 0;
  if (sqlite3_step(s) == SQLITE_ROW) {
    *found = 1;
    f5_put(out, sqlite3_column_blob(s, 0), sqlite3_column_bytes(s, 0));
  }
  rc = sqlite3_reset(s);
  if (rc == SQLITE_OK && out->oom) rc = SQLITE_NOMEM;
  return rc;
}

/* The last %_data rows a count of entries read during a call into the table, for the rows read again in it: a
** query counts its terms' entries (which is rarest) and then reads the same leaves for their doclists.  A ring
** of copies, kept only while nothing is written and the call's read transaction is open. */
#define PAGE_CACHE_SLOTS 24
typedef struct PageCache {
  int n, next;
  sqlite3_int64 id[PAGE_CACHE_SLOTS];
  F5Buf row[PAGE_CACHE_SLOTS];
} PageCache;

static void reads_forget(Fts5Table *t) {
  t->nseek = 0;
  t->mark_held = 0;
  if (t->idx_held) {
    /* the %_idx seek statement, held on its row between seeks (seek_leaf), lets its read go */
    sqlite3_reset(t->stmt[F5ST_IDX_SEEK]);
    t->idx_held = 0;
  }
  if (t->page_cache) ((PageCache *)t->page_cache)->n = 0;
}

static int page_cache_get(Fts5Table *t, sqlite3_int64 id, F5Buf *out) {
  PageCache *c = t->page_cache;
  if (!c) return 0;
  for (int i = 0; i < c->n; i++)
    if (c->id[i] == id) {
      if (c->row[i].n > 0 && !buf_reserve(out, c->row[i].n)) return 0;
      if (c->row[i].n > 0) memcpy(out->p, c->row[i].p, (size_t)c->row[i].n);
      out->n = c->row[i].n;
      return 1;
    }
  return 0;
}

static void page_cache_put(Fts5Table *t, sqlite3_int64 id, const F5Buf *b) {
  PageCache *c = t->page_cache;
  if (!c) {
    if (!(c = sqlite3_malloc((int)sizeof *c))) return;
    memset(c, 0, sizeof *c);
    t->page_cache = c;
  }
  int i = c->n < PAGE_CACHE_SLOTS ? c->n : c->next;
  c->row[i].n = 0;
  c->row[i].oom = 0;
  f5_put(&c->row[i], b->p, b->n);
  if (c->row[i].oom) {
    /* the slot is left out of the ring until it is filled again */
    f5_free(&c->row[i]);
    if (i < c->n) c->id[i] = 0;
    return;
  }
  c->id[i] = id;
  if (c->n < PAGE_CACHE_SLOTS) c->n++;
  else c->next = (c->next + 1) % PAGE_CACHE_SLOTS;
}

static void page_cache_free(Fts5Table *t) {
  PageCache *c = t->page_cache;
  if (!c) return;
  for (int i = 0; i < PAGE_CACHE_SLOTS; i++) f5_free(&c->row[i]);
  sqlite3_free(c);
  t->page_cache = NULL;
}

void fts5_reader_close(Fts5Table *t) {
  reads_forget(t);
  if (!t->blob) return;
  sqlite3_blob_close(t->blob);
  t->blob = NULL;
}

/* %_data rows are read through one blob handle, moved from row to row (a
** b-tree seek, where a statement's read is a run of a program); it is
** opened by the first read of a call into the table and closed before the
** call returns (fts5_reader_close), since an open handle holds a read
** transaction. */
static int data_read(Fts5Table *t, sqlite3_int64 id, F5Buf *out, int *found) {
  int rc = SQLITE_OK;
  out->n = 0;
  *found = 0;
  if (page_cache_get(t, id, out)) {
    *found = 1;
    return SQLITE_OK;
  }
  if (t->blob && (rc = sqlite3_blob_reopen(t->blob, id)) != SQLITE_OK) {
    fts5_reader_close(t);
    /* No such row (a doclist index probed for): opening a handle on it would fail the same way, and the
    ** failed open would discard the program the closed handle leaves for the next one. */
    if (rc == SQLITE_ERROR) return data_read_stmt(t, id, out, found);
  }
  if (!t->blob) {
    if (!t->zdata && !(t->zdata = sqlite3_mprintf("%s_data", t->zname))) return SQLITE_NOMEM;
    rc = sqlite3_blob_open(t->db, t->zdb, t->zdata, "block", id, 0, &t->blob);
    if (rc != SQLITE_OK) {
      t->blob = NULL;
      return rc == SQLITE_ERROR ? data_read_stmt(t, id, out, found) : rc;
    }
  }
  int n = sqlite3_blob_bytes(t->blob);
  if (n > 0 && !buf_reserve(out, n)) return SQLITE_NOMEM;
  if (n > 0 && (rc = sqlite3_blob_read(t->blob, out->p, n, 0)) != SQLITE_OK) {
    fts5_reader_close(t);
    return rc;
  }
  out->n = n;
  *found = 1;
  if (t->cache_reads) page_cache_put(t, id, out);
  return SQLITE_OK;
}

static void segs_distrust(Fts5Table *t);

/* Segments are changing: no seek or row remembered holds, nor the structure kept between calls. */
static void reads_changing(Fts5Table *t) {
  reads_forget(t);
  segs_distrust(t);
}

static int data_write(Fts5Table *t, sqlite3_int64 id, const void *p, int n) {
  reads_changing(t);
  int rc;
  sqlite3_stmt *s = fts5_stmt(t, F5ST_DATA_WRITE, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, id);
  sqlite3_bind_blob(s, 2, p, n, SQLITE_STATIC);
  sqlite3_step(s);
  rc = sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc;
}

static int data_delete_range(Fts5Table *t, sqlite3_int64 lo, sqlite3_int64 hi) {
  reads_changing(t);
  int rc;
  sqlite3_stmt *s = fts5_stmt(t, F5ST_DATA_DELETE_RANGE, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, lo);
  sqlite3_bind_int64(s, 2, hi);
  sqlite3_step(s);
  return sqlite3_reset(s);
}

static int idx_write(Fts5Table *t, int segid, const void *term, int n, sqlite3_int64 pgno) {
  reads_changing(t);
  int rc;
  sqlite3_stmt *s = fts5_stmt(t, F5ST_IDX_WRITE, &rc);
  if (!s) return rc;
  sqlite3_bind_int(s, 1, segid);
  sqlite3_bind_blob(s, 2, n ? term : "", n, SQLITE_STATIC);
  sqlite3_bind_int64(s, 3, pgno);
  sqlite3_step(s);
  rc = sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc;
}

#define FTS5_MAX_TOMB_PAGES (1 << 24) /* more is a corrupt structure record */

/* ---- the structure record ------------------------------------------------------------------------------------ */

/* A segment as the structure record lists it; the origin range and the
** tombstone counts are kept by contentless_delete tables only (a
** structure in the second format). */
typedef struct F5Seg {
  int segid, first, last;
  sqlite3_uint64 o1, o2;  /* the flushes (origins) whose rows it holds */
  int npgtomb;            /* pages of its tombstone hash */
  sqlite3_uint64 nentdel; /* rows of it deleted by tombstones */
  sqlite3_uint64 nent;    /* rows written into it */
} F5Seg;

typedef struct F5Level {
  int nmerge, nseg;
  F5Seg *seg;
} F5Level;

typedef struct F5Struct {
  unsigned cookie;
  int v2;                  /* the second format: segments carry origins and tombstone counts */
  sqlite3_uint64 norigin;  /* the origin the next flushed segment gets */
  sqlite3_uint64 nwrite;
  int nlevel;
  F5Level lvl[FTS5_MAX_LEVELS];
} F5Struct;

static void struct_free(F5Struct *s) {
  for (int i = 0; i < FTS5_MAX_LEVELS; i++) sqlite3_free(s->lvl[i].seg);
  memset(s, 0, sizeof *s);
}

static int struct_parse(const F5Buf *raw, F5Struct *s);

static int struct_read(Fts5Table *t, F5Struct *s) {
  memset(s, 0, sizeof *s);
  F5Buf b = {0};
  int found, rc = data_read(t, FTS5_STRUCTURE_ROWID, &b, &found);
  if (rc == SQLITE_OK && found) rc = struct_parse(&b, s);
  f5_free(&b);
  return rc;
}

/* Parses a structure record (s zeroed); on error s holds nothing. */
static int struct_parse(const F5Buf *raw, F5Struct *s) {
  const F5Buf b = *raw;
  int rc;
  const unsigned char *p = b.p, *end = b.p + b.n;
  sqlite3_uint64 nlevel, nseg;
  int k, v2 = 0;
  rc = SQLITE_CORRUPT_VTAB;
  if (b.n < 4) goto done;
  s->cookie = (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
  p += 4;
  if (end - p >= 4 && p[0] == 0xFF && p[1] == 0 && p[2] == 0 && p[3] == 1) {
    v2 = 1; /* a structure with segment origins (contentless_delete tables) */
    p += 4;
  }
  s->v2 = v2;
  s->norigin = 1;
  if (!(k = f5_get_varint(p, end, &nlevel))) goto done;
  p += k;
  if (!(k = f5_get_varint(p, end, &nseg))) goto done;
  p += k;
  if (!(k = f5_get_varint(p, end, &s->nwrite))) goto done;
  p += k;
  if (nlevel > FTS5_MAX_LEVELS || nseg > FTS5_MAX_SEGMENTS) goto done;
  s->nlevel = (int)nlevel;
  sqlite3_uint64 total = 0;
  for (int i = 0; i < s->nlevel; i++) {
    sqlite3_uint64 nm, ns;
    if (!(k = f5_get_varint(p, end, &nm))) goto done;
    p += k;
    if (!(k = f5_get_varint(p, end, &ns))) goto done;
    p += k;
    if (ns > nseg - total || nm > ns) goto done;
    total += ns;
    s->lvl[i].nmerge = (int)nm;
    s->lvl[i].nseg = (int)ns;
    s->lvl[i].seg = sqlite3_malloc64(sizeof(F5Seg) * (ns ? ns : 1));
    if (!s->lvl[i].seg) {
      rc = SQLITE_NOMEM;
      goto done;
    }
    for (sqlite3_uint64 j = 0; j < ns; j++) {
      sqlite3_uint64 a[3];
      for (int q = 0; q < 3; q++) {
        if (!(k = f5_get_varint(p, end, &a[q]))) goto done;
        p += k;
      }
      sqlite3_uint64 x[5] = {0, 0, 0, 0, 0};
      for (int q = 0; v2 && q < 5; q++) {
        if (!(k = f5_get_varint(p, end, &x[q]))) goto done;
        p += k;
      }
      if (x[2] > FTS5_MAX_TOMB_PAGES || x[0] > x[1]) goto done;
      s->lvl[i].seg[j].o1 = x[0];
      s->lvl[i].seg[j].o2 = x[1];
      s->lvl[i].seg[j].npgtomb = (int)x[2];
      s->lvl[i].seg[j].nentdel = x[3];
      s->lvl[i].seg[j].nent = x[4];
      if (v2 && x[1] >= s->norigin) s->norigin = x[1] + 1;
      /* a merge input used up keeps pages 0..0 until the merge ends */
      if (a[0] < 1 || a[0] > 65535 || a[2] > 0x7FFFFFFF || (a[1] < 1 && a[2] != 0) || a[1] > a[2] + 1) goto done;
      s->lvl[i].seg[j].segid = (int)a[0];
      s->lvl[i].seg[j].first = (int)a[1];
      s->lvl[i].seg[j].last = (int)a[2];
    }
  }
  if (total != nseg) goto done;
  rc = SQLITE_OK;
done:
  if (rc != SQLITE_OK) struct_free(s);
  return rc;
}

static int struct_write(Fts5Table *t, F5Struct *s) {
  F5Buf b = {0};
  unsigned char ck[4] = {(unsigned char)(s->cookie >> 24), (unsigned char)(s->cookie >> 16),
                         (unsigned char)(s->cookie >> 8), (unsigned char)s->cookie};
  int nseg = 0;
  for (int i = 0; i < s->nlevel; i++) nseg += s->lvl[i].nseg;
  f5_put(&b, ck, 4);
  if (s->v2) f5_put(&b, "\xFF\x00\x00\x01", 4);
  f5_varint(&b, (sqlite3_uint64)s->nlevel);
  f5_varint(&b, (sqlite3_uint64)nseg);
  f5_varint(&b, s->nwrite);
  for (int i = 0; i < s->nlevel; i++) {
    f5_varint(&b, (sqlite3_uint64)s->lvl[i].nmerge);
    f5_varint(&b, (sqlite3_uint64)s->lvl[i].nseg);
    for (int j = 0; j < s->lvl[i].nseg; j++) {
      f5_varint(&b, (sqlite3_uint64)s->lvl[i].seg[j].segid);
      f5_varint(&b, (sqlite3_uint64)s->lvl[i].seg[j].first);
      f5_varint(&b, (sqlite3_uint64)s->lvl[i].seg[j].last);
      if (s->v2) {
        const F5Seg *g = &s->lvl[i].seg[j];
        f5_varint(&b, g->o1);
        f5_varint(&b, g->o2);
        f5_varint(&b, (sqlite3_uint64)g->npgtomb);
        f5_varint(&b, g->nentdel);
        f5_varint(&b, g->nent);
      }
    }
  }
  int rc = b.oom ? SQLITE_NOMEM : data_write(t, FTS5_STRUCTURE_ROWID, b.p, b.n);
  f5_free(&b);
  return rc;
}

static int struct_add_seg(F5Struct *s, int level, F5Seg seg) {
  if (level >= FTS5_MAX_LEVELS) return SQLITE_CORRUPT_VTAB;
  F5Level *l = &s->lvl[level];
  F5Seg *g = sqlite3_realloc64(l->seg, sizeof(F5Seg) * (sqlite3_uint64)(l->nseg + 1));
  if (!g) return SQLITE_NOMEM;
  l->seg = g;
  l->seg[l->nseg++] = seg;
  if (level >= s->nlevel) s->nlevel = level + 1;
  return SQLITE_OK;
}

/* The smallest segment id no segment has. */
static int struct_new_segid(const F5Struct *s) {
  for (int id = 1; id <= FTS5_MAX_SEGMENTS + 1; id++) {
    int used = 0;
    for (int i = 0; i < s->nlevel && !used; i++)
      for (int j = 0; j < s->lvl[i].nseg && !used; j++) used = s->lvl[i].seg[j].segid == id;
    if (!used) return id;
  }
  return 0;
}

int fts5_bump_cookie(Fts5Table *t) {
  F5Struct s;
  int rc = struct_read(t, &s);
  if (rc == SQLITE_OK) {
    s.cookie++;
    rc = struct_write(t, &s);
  }
  struct_free(&s);
  return rc;
}

int fts5_index_init(Fts5Table *t) {
  F5Struct s;
  memset(&s, 0, sizeof s);
  s.v2 = t->contentless_delete;
  int rc = struct_write(t, &s);
  if (rc == SQLITE_OK) rc = data_write(t, FTS5_AVERAGES_ROWID, "", 0);
  return rc;
}

/* ---- averages and sizes ------------------------------------------------------------------------------------- */

int fts5_averages_read(Fts5Table *t, sqlite3_int64 *nrow, sqlite3_int64 *ntok) {
  F5Buf b = {0};
  int found, rc = data_read(t, FTS5_AVERAGES_ROWID, &b, &found);
  *nrow = 0;
  for (int i = 0; i < t->ncol; i++) ntok[i] = 0;
  if (rc == SQLITE_OK && b.n > 0) {
    const unsigned char *p = b.p, *end = b.p + b.n;
    sqlite3_uint64 v;
    int k = f5_get_varint(p, end, &v);
    if (!k)
      rc = SQLITE_CORRUPT_VTAB;
    else
      *nrow = (sqlite3_int64)v, p += k;
    for (int i = 0; rc == SQLITE_OK && i < t->ncol && p < end; i++) {
      if (!(k = f5_get_varint(p, end, &v)))
        rc = SQLITE_CORRUPT_VTAB;
      else
        ntok[i] = (sqlite3_int64)v, p += k;
    }
  }
  f5_free(&b);
  return rc;
}

static int averages_write(Fts5Table *t, sqlite3_int64 nrow, const sqlite3_int64 *ntok) {
  F5Buf b = {0};
  f5_varint(&b, (sqlite3_uint64)nrow);
  for (int i = 0; i < t->ncol; i++) f5_varint(&b, (sqlite3_uint64)ntok[i]);
  int rc = b.oom ? SQLITE_NOMEM : data_write(t, FTS5_AVERAGES_ROWID, b.p, b.n);
  f5_free(&b);
  return rc;
}

int fts5_docsize_read(Fts5Table *t, sqlite3_int64 rowid, int *sizes) {
  int rc;
  for (int i = 0; i < t->ncol; i++) sizes[i] = 0;
  sqlite3_stmt *s = fts5_stmt(t, F5ST_DOCSIZE_READ, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, rowid);
  int found = sqlite3_step(s) == SQLITE_ROW;
  if (found) {
    const unsigned char *p = sqlite3_column_blob(s, 0), *end = p + sqlite3_column_bytes(s, 0);
    for (int i = 0; p && i < t->ncol && p < end; i++) {
      sqlite3_uint64 v;
      int k = f5_get_varint(p, end, &v);
      if (!k) break;
      sizes[i] = (int)v;
      p += k;
    }
  }
  int rc2 = sqlite3_reset(s);
  /* a row the index holds has its sizes (SQLite's error otherwise) */
  return rc2 != SQLITE_OK ? rc2 : found ? SQLITE_OK : SQLITE_CORRUPT_VTAB;
}

/* ---- tombstone hashes (contentless_delete tables) ------------------------------------------------------------ */

/* A segment's deleted rowids: an open-addressing hash over npgtomb pages
** (%_data ids FTS5_TOMBSTONE_ROWID(segid, 0..)):
**   byte 0     key size, 4 or 8 (8 once a key does not fit in 32 bits)
**   byte 1     1 when rowid 0 is deleted (page 0 only; key 0 marks a free slot)
**   bytes 2-3  0
**   bytes 4-7  keys on the page (u32, big-endian)
**   then the slots, big-endian keys.
** Rowid r lives on page r % npg, from slot (r / npg) % nslot on, probing
** forward.  A page takes keys until half its slots are used; then the hash
** is built again larger: one page of four slots per key (32 at least) while
** that fits a page, else 2n+1 pages of as many slots as a page holds. */
#define TOMB_HEADER 8
#define TOMB_MIN_SLOTS 32

typedef struct Tomb {
  int npg;
  F5Buf *pg;
} Tomb;

static void tomb_free(Tomb *tb) {
  for (int i = 0; i < tb->npg; i++) f5_free(&tb->pg[i]);
  sqlite3_free(tb->pg);
  memset(tb, 0, sizeof *tb);
}

static int tomb_page_ok(const F5Buf *b) {
  return b->n >= TOMB_HEADER + 4 && (b->p[0] == 4 || b->p[0] == 8) && b->n >= TOMB_HEADER + b->p[0];
}

static int tomb_load(Fts5Table *t, const F5Seg *seg, Tomb *tb) {
  memset(tb, 0, sizeof *tb);
  if (seg->npgtomb <= 0) return SQLITE_OK;
  tb->pg = sqlite3_malloc64(sizeof(F5Buf) * (sqlite3_uint64)seg->npgtomb);
  if (!tb->pg) return SQLITE_NOMEM;
  memset(tb->pg, 0, sizeof(F5Buf) * (size_t)seg->npgtomb);
  tb->npg = seg->npgtomb;
  for (int i = 0; i < tb->npg; i++) {
    int found, rc = data_read(t, FTS5_TOMBSTONE_ROWID(seg->segid, i), &tb->pg[i], &found);
    if (rc == SQLITE_OK && (!found || !tomb_page_ok(&tb->pg[i]))) rc = SQLITE_CORRUPT_VTAB;
    if (rc != SQLITE_OK) {
      tomb_free(tb);
      return rc;
    }
  }
  return SQLITE_OK;
}

static sqlite3_uint64 tomb_key(const unsigned char *p, int ks) {
  sqlite3_uint64 v = 0;
  for (int i = 0; i < ks; i++) v = v << 8 | p[i];
  return v;
}

static void tomb_put_key(unsigned char *p, int ks, sqlite3_uint64 v) {
  for (int i = ks - 1; i >= 0; i--, v >>= 8) p[i] = (unsigned char)v;
}

static int tomb_has(const Tomb *tb, sqlite3_int64 rowid) {
  if (tb->npg == 0) return 0;
  sqlite3_uint64 r = (sqlite3_uint64)rowid;
  const F5Buf *b = &tb->pg[r % (sqlite3_uint64)tb->npg];
  if (r == 0) return b->p[1] != 0;
  int ks = b->p[0];
  sqlite3_uint64 nslot = (sqlite3_uint64)((b->n - TOMB_HEADER) / ks);
  sqlite3_uint64 at = (r / (sqlite3_uint64)tb->npg) % nslot;
  for (sqlite3_uint64 k = 0; k < nslot; k++) {
    sqlite3_uint64 v = tomb_key(b->p + TOMB_HEADER + at * (sqlite3_uint64)ks, ks);
    if (v == r) return 1;
    if (v == 0) return 0;
    at = at + 1 == nslot ? 0 : at + 1;
  }
  return 0;
}

static unsigned tomb_count(const F5Buf *b) {
  return (unsigned)b->p[4] << 24 | (unsigned)b->p[5] << 16 | (unsigned)b->p[6] << 8 | b->p[7];
}

/* Adds r to its page of a hash of npg pages: 0 done, 1 the page is half
** full (unless force), 2 the key does not fit the page's key size. */
static int tomb_page_add(F5Buf *b, int npg, sqlite3_uint64 r, int force) {
  int ks = b->p[0];
  if (ks == 4 && r > 0xFFFFFFFFULL) return 2;
  if (r == 0) {
    b->p[1] = 1;
    return 0;
  }
  sqlite3_uint64 nslot = (sqlite3_uint64)((b->n - TOMB_HEADER) / ks);
  unsigned n = tomb_count(b);
  if (!force && n >= nslot / 2) return 1;
  n++;
  b->p[4] = (unsigned char)(n >> 24);
  b->p[5] = (unsigned char)(n >> 16);
  b->p[6] = (unsigned char)(n >> 8);
  b->p[7] = (unsigned char)n;
  sqlite3_uint64 at = (r / (sqlite3_uint64)npg) % nslot;
  for (sqlite3_uint64 k = 0; k < nslot; k++) {
    unsigned char *slot = b->p + TOMB_HEADER + at * (sqlite3_uint64)ks;
    if (tomb_key(slot, ks) == 0) {
      tomb_put_key(slot, ks, r);
      return 0;
    }
    at = at + 1 == nslot ? 0 : at + 1;
  }
  return 0;
}

/* The hash of seg built again, larger, holding its keys and r. */
static int tomb_rebuild(Fts5Table *t, F5Seg *seg, Tomb *old, sqlite3_uint64 r) {
  int ks = r > 0xFFFFFFFFULL ? 8 : 4;
  for (int i = 0; i < old->npg; i++)
    if (old->pg[i].p[0] == 8) ks = 8;
  int cap = (t->pgsz - TOMB_HEADER) / ks, npg, nslot;
  if (cap < 1) cap = 1;
  if (old->npg <= 1) {
    sqlite3_int64 want = old->npg ? (sqlite3_int64)tomb_count(&old->pg[0]) * 4 : 0;
    if (want < TOMB_MIN_SLOTS) want = TOMB_MIN_SLOTS;
    npg = want > cap ? 3 : 1;
    nslot = want > cap ? cap : (int)want;
  } else {
    npg = old->npg * 2 + 1;
    nslot = cap;
  }
  Tomb nw;
  nw.npg = npg;
  nw.pg = sqlite3_malloc64(sizeof(F5Buf) * (sqlite3_uint64)npg);
  if (!nw.pg) return SQLITE_NOMEM;
  memset(nw.pg, 0, sizeof(F5Buf) * (size_t)npg);
  int rc = SQLITE_OK;
  for (int i = 0; i < npg && rc == SQLITE_OK; i++) {
    F5Buf *b = &nw.pg[i];
    int len = TOMB_HEADER + nslot * ks;
    if (f5_grow(&b->p, &b->cap, len, 1) != SQLITE_OK) {
      rc = SQLITE_NOMEM;
      break;
    }
    memset(b->p, 0, (size_t)len);
    b->p[0] = (unsigned char)ks;
    b->n = len;
  }
  for (int i = 0; i < old->npg && rc == SQLITE_OK; i++) {
    const F5Buf *b = &old->pg[i];
    int oks = b->p[0];
    if (b->p[1]) nw.pg[0].p[1] = 1;
    for (int k = TOMB_HEADER; k + oks <= b->n; k += oks) {
      sqlite3_uint64 v = tomb_key(b->p + k, oks);
      if (v) tomb_page_add(&nw.pg[v % (sqlite3_uint64)npg], npg, v, 1);
    }
  }
  if (rc == SQLITE_OK) tomb_page_add(&nw.pg[r % (sqlite3_uint64)npg], npg, r, 1);
  for (int i = 0; i < npg && rc == SQLITE_OK; i++)
    rc = data_write(t, FTS5_TOMBSTONE_ROWID(seg->segid, i), nw.pg[i].p, nw.pg[i].n);
  if (rc == SQLITE_OK) seg->npgtomb = npg;
  tomb_free(&nw);
  return rc;
}

static int tomb_add(Fts5Table *t, F5Seg *seg, sqlite3_int64 rowid) {
  Tomb tb;
  int rc = tomb_load(t, seg, &tb);
  if (rc != SQLITE_OK) return rc;
  sqlite3_uint64 r = (sqlite3_uint64)rowid;
  int res = 1;
  if (tb.npg > 0) {
    int p = (int)(r % (sqlite3_uint64)tb.npg);
    res = tomb_page_add(&tb.pg[p], tb.npg, r, 0);
    if (res == 0) rc = data_write(t, FTS5_TOMBSTONE_ROWID(seg->segid, p), tb.pg[p].p, tb.pg[p].n);
  }
  if (res != 0) rc = tomb_rebuild(t, seg, &tb, r);
  tomb_free(&tb);
  return rc;
}

/* A contentless delete: rowid goes into the tombstone hash of every
** segment whose origins cover the row's; the newest of them counts it. */
static int tomb_apply(Fts5Table *t, sqlite3_int64 rowid, sqlite3_uint64 origin) {
  F5Struct st;
  int rc = struct_read(t, &st), counted = 0;
  for (int i = st.nlevel - 1; rc == SQLITE_OK && i >= 0; i--) {
    for (int j = st.lvl[i].nseg - 1; rc == SQLITE_OK && j >= 0; j--) {
      F5Seg *g = &st.lvl[i].seg[j];
      if (g->o1 > origin || g->o2 < origin) continue;
      if (!counted) g->nentdel++;
      counted = 1;
      rc = tomb_add(t, g, rowid);
    }
  }
  if (rc == SQLITE_OK) rc = struct_write(t, &st);
  struct_free(&st);
  return rc;
}

static int tomb_drop(Fts5Table *t, int segid) {
  return data_delete_range(t, FTS5_TOMBSTONE_ROWID(segid, 0), FTS5_TOMBSTONE_ROWID(segid + 1, 0) - 1);
}

/* ---- the segment writer ------------------------------------------------------------------------------------- */

#define DLIDX_MIN_EMPTY 4 /* pages without a term a doclist must span to get a doclist index */
#define DLIDX_MAX_HEIGHT 32 /* a page holds two entries at least: 2^31 leaves need fewer levels */

/* One level of the doclist index being written for the current doclist.
** A doclist-index page (DLIDX_ROWID(segid, height, pgno)) is
**   u8 flags (0x01: not the root), varint child, varint(first rowid), then
**   one varint per following child: its first rowid minus the previous one.
** At height 0 a child is a leaf page: the first is the first leaf after the
** term's page that holds a rowid of the doclist, the following ones are the
** next leaves in order, and a leaf without any rowid has the varint 0.
** Above, a child is a page of the height below (numbered from the term's
** page), the following ones consecutive.  A page is written once it holds
** pgsz bytes or more, and the pages of every height are numbered from the
** page the term starts on, so the root is the highest page at that number. */
typedef struct DlLevel {
  F5Buf buf;           /* the page being filled (empty: none yet) */
  int pgno;            /* its number */
  sqlite3_int64 first; /* the first rowid it holds */
  sqlite3_int64 prev;  /* the last rowid it holds */
} DlLevel;

typedef struct SegWriter {
  Fts5Table *t;
  int segid, pgno;
  F5Buf page, pgidx;
  int prev_term_off;
  F5Buf term;        /* the last term written */
  int rowid_on_page; /* a rowid has been written on the page */
  int first_in_doclist;
  sqlite3_int64 prev_rowid;
  int nleaf;
  /* the %_idx row of the last page a term started on, written when the next one is known */
  F5Buf bt_term;
  int bt_page, bt_pending;
  /* the doclist index of the last doclist begun, and the leaves without a term since that page */
  DlLevel dl[DLIDX_MAX_HEIGHT];
  int dl_empty;
  int dl_page_seen; /* a rowid of the current page is in the doclist index, or a term starts on it */
  int merging;      /* written by a merge (else by a flush): the page rules differ */
  int limit;        /* a merge step stops before a term once more leaves than this are written (-1: none) */
  F5Buf stop;       /* the term it stopped before */
  F5Buf entry;      /* an entry's size and poslist, assembled to be cut over pages together */
  int rc;
} SegWriter;

static void writer_init(SegWriter *w, Fts5Table *t, int segid) {
  memset(w, 0, sizeof *w);
  w->t = t;
  w->segid = segid;
  w->pgno = 1;
  w->limit = -1;
  f5_put(&w->page, "\0\0\0\0", 4);
}

/* Adds the first rowid of a leaf to the doclist index: a full page of a
** height is written, its successor starts with the rowid, and the rowid goes
** up to the height above (which starts, as the new root, with the full page
** when there was none). */
static void dlidx_append(SegWriter *w, sqlite3_int64 rowid) {
  for (int h = 0; w->rc == SQLITE_OK; h++) {
    DlLevel *d = &w->dl[h];
    int full = d->buf.n >= w->t->pgsz;
    if (full) {
      if (h + 1 >= DLIDX_MAX_HEIGHT) {
        w->rc = SQLITE_FULL;
        return;
      }
      d->buf.p[0] = 0x01;
      w->rc = data_write(w->t, FTS5_DLIDX_ROWID(w->segid, h, d->pgno), d->buf.p, d->buf.n);
      DlLevel *up = &w->dl[h + 1];
      if (up->buf.n == 0) {
        up->pgno = d->pgno;
        f5_varint(&up->buf, 0);
        f5_varint(&up->buf, (sqlite3_uint64)d->pgno);
        f5_varint(&up->buf, (sqlite3_uint64)d->first);
        up->first = up->prev = d->first;
      }
      d->buf.n = 0;
      d->pgno++;
    }
    if (d->buf.n > 0) {
      f5_varint(&d->buf, (sqlite3_uint64)(rowid - d->prev));
    } else {
      f5_varint(&d->buf, (sqlite3_uint64)full);
      f5_varint(&d->buf, (sqlite3_uint64)(h == 0 ? w->pgno : w->dl[h - 1].pgno));
      f5_varint(&d->buf, (sqlite3_uint64)rowid);
      d->first = rowid;
    }
    d->prev = rowid;
    if (d->buf.oom) w->rc = SQLITE_NOMEM;
    if (!full) return;
  }
}

/* Ends the doclist index of the last doclist begun: written when the
** doclist spanned enough leaves without a term, else dropped.  1 when it
** was written (the flag of its page's %_idx row). */
static int dlidx_end(SegWriter *w) {
  int write = w->dl[0].buf.n > 0 && w->dl_empty >= DLIDX_MIN_EMPTY;
  for (int h = 0; h < DLIDX_MAX_HEIGHT && w->dl[h].buf.n > 0; h++) {
    if (write && w->rc == SQLITE_OK)
      w->rc = data_write(w->t, FTS5_DLIDX_ROWID(w->segid, h, w->dl[h].pgno), w->dl[h].buf.p, w->dl[h].buf.n);
    w->dl[h].buf.n = 0;
  }
  w->dl_empty = 0;
  return write;
}

static void writer_bt_flush(SegWriter *w) {
  if (!w->bt_pending || w->rc != SQLITE_OK) return;
  int flag = dlidx_end(w);
  if (w->rc == SQLITE_OK)
    w->rc = idx_write(w->t, w->segid, w->bt_term.p, w->bt_term.n, (sqlite3_int64)w->bt_page << 1 | flag);
  w->bt_pending = 0;
}

static void writer_flush_leaf(SegWriter *w) {
  if (w->rc != SQLITE_OK) return;
  if (w->pgidx.n == 0) {
    /* a leaf of the doclist without a term: the index marks one without a rowid, once it has begun */
    if (!w->rowid_on_page && w->dl[0].buf.n > 0) f5_varint(&w->dl[0].buf, 0);
    w->dl_empty++;
  }
  put_u16(w->page.p + 2, w->page.n);
  f5_put(&w->page, w->pgidx.p, w->pgidx.n);
  if (w->page.oom || w->pgidx.oom) {
    w->rc = SQLITE_NOMEM;
    return;
  }
  w->rc = data_write(w->t, FTS5_SEGMENT_ROWID(w->segid, w->pgno), w->page.p, w->page.n);
  w->nleaf++;
  w->pgno++;
  w->page.n = 0;
  f5_put(&w->page, "\0\0\0\0", 4);
  w->pgidx.n = 0;
  w->prev_term_off = 0;
  w->rowid_on_page = 0;
  w->dl_page_seen = 0;
}

static void writer_term(SegWriter *w, const unsigned char *term, int n) {
  if (w->rc != SQLITE_OK) return;
  if (w->page.n + w->pgidx.n + n + 2 >= w->t->pgsz && w->page.n > 4) writer_flush_leaf(w);
  int common = 0;
  while (common < n && common < w->term.n && w->term.p[common] == term[common]) common++;
  int off = w->page.n;
  if (w->pgidx.n == 0) {
    f5_varint(&w->pgidx, (sqlite3_uint64)off);
    if (w->pgno == 1) {
      writer_bt_flush(w);
      w->bt_term.n = 0;
    } else {
      writer_bt_flush(w);
      w->bt_term.n = 0;
      f5_put(&w->bt_term, term, common + 1 <= n ? common + 1 : n);
    }
    w->bt_page = w->pgno;
    w->bt_pending = 1;
    f5_varint(&w->page, (sqlite3_uint64)n);
    f5_put(&w->page, term, n);
  } else {
    f5_varint(&w->pgidx, (sqlite3_uint64)(off - w->prev_term_off));
    f5_varint(&w->page, (sqlite3_uint64)common);
    f5_varint(&w->page, (sqlite3_uint64)(n - common));
    f5_put(&w->page, term + common, n - common);
  }
  w->prev_term_off = off;
  w->term.n = 0;
  f5_put(&w->term, term, n);
  w->first_in_doclist = 1;
  assert(w->dl[0].buf.n == 0);
  w->dl[0].pgno = w->pgno;
  w->dl_page_seen = 1;
}

/* Writes a rowid: absolute when it is the first of its doclist or of its
** page.  A merge (w->merging) starts a new page first when this one is
** full; a flush checks after each entry instead (writer_entry). */
static void writer_rowid(SegWriter *w, sqlite3_int64 rowid) {
  if (w->rc != SQLITE_OK) return;
  if (w->merging && w->page.n + w->pgidx.n >= w->t->pgsz) writer_flush_leaf(w);
  if (!w->dl_page_seen) {
    /* the first rowid of the doclist on a page after the one its term starts on */
    dlidx_append(w, rowid);
    w->dl_page_seen = 1;
  }
  if (!w->rowid_on_page) {
    if (w->pgidx.n == 0) put_u16(w->page.p, w->page.n);
    f5_varint(&w->page, (sqlite3_uint64)rowid);
    w->rowid_on_page = 1;
  } else if (w->first_in_doclist) {
    f5_varint(&w->page, (sqlite3_uint64)rowid);
  } else {
    f5_varint(&w->page, (sqlite3_uint64)(rowid - w->prev_rowid));
  }
  w->first_in_doclist = 0;
  w->prev_rowid = rowid;
}

/* The bytes of the whole varints at p (n bytes) that fit in space; at least one. */
static int varint_prefix(const unsigned char *p, int n, int space) {
  int k = 0;
  while (k < n) {
    int j = k;
    while (j < n && (p[j] & 0x80)) j++;
    if (j + 1 > space && k > 0) break;
    k = j + 1;
    if (k >= space) break;
  }
  return k;
}

/* Appends a size varint and poslist (p, n bytes), continuing on new pages:
** a flush splits it at whole varints that fit, a merge takes varints until
** the page is full (possibly past it), as SQLite's two writers do. */
static void writer_poslist(SegWriter *w, const unsigned char *p, int n) {
  int pgsz = w->t->pgsz;
  if (w->merging) {
    while (w->rc == SQLITE_OK && w->page.n + w->pgidx.n + n >= pgsz) {
      int req = pgsz - w->page.n - w->pgidx.n, k = 0;
      while (k < req && k < n) {
        while (k < n && (p[k] & 0x80)) k++;
        k++;
      }
      if (k > n) k = n;
      f5_put(&w->page, p, k);
      p += k;
      n -= k;
      writer_flush_leaf(w);
    }
    if (n > 0) f5_put(&w->page, p, n);
    return;
  }
  if (w->page.n + w->pgidx.n + n <= pgsz) {
    f5_put(&w->page, p, n);
    return;
  }
  while (n > 0 && w->rc == SQLITE_OK) {
    int space = pgsz - w->page.n - w->pgidx.n;
    int k = n <= space ? n : varint_prefix(p, n, space);
    f5_put(&w->page, p, k);
    p += k;
    n -= k;
    if (w->page.n + w->pgidx.n >= pgsz) writer_flush_leaf(w);
  }
}

/* Most entries of a flush or a merge: after another rowid on this leaf, with a one-byte rowid difference, and
** the entry's size (nsz bytes at sz) and poslist fit on the leaf: appended as writer_rowid and writer_poslist would
** write them, without the calls.  0 for any other entry, nothing written. */
static int writer_append_short(SegWriter *w, sqlite3_int64 rowid, const unsigned char *sz, int nsz,
                               const unsigned char *pl, int npl) {
  sqlite3_uint64 delta = (sqlite3_uint64)(rowid - w->prev_rowid);
  if (!w->rowid_on_page || w->first_in_doclist || !w->dl_page_seen || delta >= 0x80 ||
      w->page.n + w->pgidx.n + 1 + nsz + npl >= w->t->pgsz)
    return 0;
  unsigned char d = (unsigned char)delta;
  f5_put(&w->page, &d, 1);
  f5_put(&w->page, sz, nsz);
  f5_put(&w->page, pl, npl);
  w->prev_rowid = rowid;
  return 1;
}

/* A run of one term's entries appended to the current leaf in place (writer_append_run for a flush,
** writer_append_walked for a merge): under the conditions writer_entry would write each one whole on this leaf
** (a rowid after another of the term here, a difference of one or two bytes, a one-byte size, room to spare),
** with the same bytes.  run_room: the bytes the leaf's data stays under, 0 when no run can start. */
static int run_room(SegWriter *w) {
  if (w->rc != SQLITE_OK || !w->rowid_on_page || w->first_in_doclist || !w->dl_page_seen) return 0;
  int room = w->t->pgsz - w->pgidx.n;
  if (w->page.n >= room || !buf_reserve(&w->page, room - w->page.n)) return 0;
  return room;
}

/* Appends one entry of a run at pg[n] (the caller checked the conditions); returns the new length. */
static int run_put(unsigned char *pg, int n, sqlite3_uint64 d, unsigned sz, const unsigned char *pl, int npl) {
  if (d >= 0x80) pg[n++] = (unsigned char)(0x80 | d >> 7);
  pg[n++] = (unsigned char)(d & 0x7F);
  pg[n++] = (unsigned char)sz;
  memcpy(pg + n, pl, (size_t)npl);
  return n + npl;
}

/* A flush's run of entries of one term (p up to end, as the hash keeps them: varint rowid difference, varint
** size, poslist), copied as they are: they are the bytes writer_rowid and writer_poslist would write.  Returns
** where it stopped: the next entry is the general path's. */
static const unsigned char *writer_append_run(SegWriter *w, const unsigned char *p, const unsigned char *end) {
  int room = run_room(w);
  if (!room) return p;
  const unsigned char *from = p;
  int n = w->page.n;
  sqlite3_int64 prev = w->prev_rowid;
  while (p < end) {
    const unsigned char *q = p;
    sqlite3_uint64 d;
    if (q[0] < 0x80) {
      d = *q++;
    } else if (q + 1 < end && q[1] < 0x80) {
      d = (sqlite3_uint64)(q[0] & 0x7F) << 7 | q[1];
      q += 2;
    } else {
      break;
    }
    if (d == 0 || q >= end || *q >= 0x80) break;
    int npl = *q++ >> 1;
    if (npl > end - q) break;
    int len = (int)(q + npl - p);
    if (n + len >= room) break;
    n += len;
    prev += (sqlite3_int64)d;
    p = q + npl;
  }
  if (p != from) memcpy(w->page.p + w->page.n, from, (size_t)(p - from));
  w->page.n = n;
  w->prev_rowid = prev;
  return p;
}

/* One doclist entry: rowid, delete flag, poslist (detail=none: ins says the row is there). */
static void writer_entry(SegWriter *w, sqlite3_int64 rowid, int del, int ins, const unsigned char *pl, int npl) {
  sqlite3_uint64 sz = (sqlite3_uint64)npl * 2 + (sqlite3_uint64)del;
  unsigned char sz1 = (unsigned char)sz;
  if (w->merging && w->rc == SQLITE_OK && w->t->detail != F5_DETAIL_NONE && sz < 0x80 &&
      writer_append_short(w, rowid, &sz1, 1, pl, npl))
    return;
  writer_rowid(w, rowid);
  if (w->t->detail == F5_DETAIL_NONE) {
    if (del) f5_put(&w->page, ins ? "\0\0" : "\0", ins ? 2 : 1);
    if (!w->merging && w->page.n + w->pgidx.n >= w->t->pgsz) writer_flush_leaf(w);
    return;
  }
  if (w->merging) {
    f5_varint(&w->page, (sqlite3_uint64)(npl * 2 + del));
    writer_poslist(w, pl, npl);
    return;
  }
  F5Buf *e = &w->entry;
  e->n = 0;
  f5_varint(e, (sqlite3_uint64)(npl * 2 + del));
  f5_put(e, pl, npl);
  if (e->oom)
    w->rc = SQLITE_NOMEM;
  else
    writer_poslist(w, e->p, e->n);
}

/* Finishes the segment: its last page, %_idx row and doclist index.  *last gets the last page. */
static int writer_finish(SegWriter *w, int *last) {
  if (w->rc == SQLITE_OK && (w->page.n > 4 || w->pgidx.n > 0)) writer_flush_leaf(w);
  writer_bt_flush(w);
  *last = w->pgno - 1;
  int rc = w->rc;
  f5_free(&w->page);
  f5_free(&w->pgidx);
  f5_free(&w->term);
  f5_free(&w->bt_term);
  for (int h = 0; h < DLIDX_MAX_HEIGHT; h++) f5_free(&w->dl[h].buf);
  f5_free(&w->stop);
  f5_free(&w->entry);
  return rc;
}

/* Is rowid in the ascending list only (n entries)?  *at is where the last
** look-up ended; rowids asked in ascending order move it forward only. */
static inline int in_filter(const sqlite3_int64 *only, int n, int *at, sqlite3_int64 rowid) {
  if (*at > 0 && only[*at - 1] > rowid) *at = 0;
  while (*at < n && only[*at] < rowid) (*at)++;
  return *at < n && only[*at] == rowid;
}

/* ---- the segment reader ------------------------------------------------------------------------------------- */

typedef struct SegReader {
  Fts5Table *t;
  int segid, pgno, last;
  F5Buf page;
  int szleaf;
  int off;             /* read position in page */
  /* the page index is decoded as the terms are read (a seek reads a leaf's terms up to its key only) */
  int ti;      /* the page's terms read */
  int next_t;  /* the offset of the page's next term, 0: no more */
  int first_t; /* the offset of the page's first term, 0: none */
  int pgidx;   /* the page index's next entry (past next_t's) */
  F5Buf term;
  int eof;         /* no more terms */
  int in_doclist;  /* reading the current term's doclist */
  int first_rowid; /* the next rowid is absolute */
  sqlite3_int64 rowid;
  int del, ins;
  F5Buf pos;              /* a wanted entry's poslist when it goes on past its page */
  const unsigned char *pl; /* a wanted entry's poslist: on the page, or in pos */
  int npl;
  /* the rows a reader is asked for (ascending; NULL: all): the others' poslists are passed over */
  const sqlite3_int64 *only;
  int nonly, at;
  int skip_pos; /* no poslist is wanted at all */
  int skip_unwanted; /* reader_next_entry passes over the entries not asked for (on the page, where it can) */
  int wanted;   /* the entry read is one asked for: pos holds its poslist */
  /* where the term and the entry read are (for secure-delete's edits): the term's page and the offset its
  ** doclist starts at; the entry's page, the offsets of its rowid and of its poslist (detail=none: past its
  ** markers), and its poslist's bytes */
  int term_pg, term_doc, ent_pg, ent_start, ent_pos, ent_npos;
  int key_pg; /* the leaf a key was sought on (0: none) */
  int rc;
} SegReader;

/* reader_next_toff's general case: the end of the page index, or an offset of more than one byte. */
static int reader_next_toff_long(SegReader *r) {
  const unsigned char *p = r->page.p;
  int at = r->pgidx, n = r->page.n, prev = r->next_t;
  if (at >= n) {
    r->next_t = 0;
    return SQLITE_OK;
  }
  sqlite3_uint64 v;
  int k = f5_get_varint(p + at, p + n, &v);
  if (!k) return r->rc = SQLITE_CORRUPT_VTAB;
  r->pgidx = at + k;
  /* offsets grow, inside the leaf's data; the first is absolute, the others differences */
  if (v >= (sqlite3_uint64)r->szleaf || prev + (int)v < 4 || prev + (int)v >= r->szleaf || (prev && v == 0))
    return r->rc = SQLITE_CORRUPT_VTAB;
  r->next_t = prev + (int)v;
  return SQLITE_OK;
}

/* Decodes the page index's next term offset into next_t (0 once the page has no more).  Most are one-byte
** differences, read here inline: a seek passes over a leaf's terms one offset at a time. */
static inline int reader_next_toff(SegReader *r) {
  int at = r->pgidx, prev = r->next_t;
  const unsigned char *p = r->page.p;
  if (at < r->page.n && p[at] < 0x80) {
    int v = p[at], next = prev + v;
    if (next < 4 || next >= r->szleaf || (prev && v == 0)) return r->rc = SQLITE_CORRUPT_VTAB;
    r->pgidx = at + 1;
    r->next_t = next;
    return SQLITE_OK;
  }
  if (at + 1 < r->page.n && p[at + 1] < 0x80) {
    /* two bytes: terms more than 127 bytes apart (a doclist between them) */
    int v = (p[at] & 0x7F) << 7 | p[at + 1], next = prev + v;
    if (next < 4 || next >= r->szleaf || (prev && v == 0)) return r->rc = SQLITE_CORRUPT_VTAB;
    r->pgidx = at + 2;
    r->next_t = next;
    return SQLITE_OK;
  }
  return reader_next_toff_long(r);
}

static int reader_load(SegReader *r, int pgno) {
  int found;
  r->rc = data_read(r->t, FTS5_SEGMENT_ROWID(r->segid, pgno), &r->page, &found);
  if (r->rc != SQLITE_OK) return r->rc;
  if (!found || r->page.n < 4) return r->rc = SQLITE_CORRUPT_VTAB;
  r->pgno = pgno;
  r->szleaf = get_u16(r->page.p + 2);
  if (r->szleaf < 4 || r->szleaf > r->page.n) return r->rc = SQLITE_CORRUPT_VTAB;
  r->ti = 0;
  r->next_t = 0;
  r->pgidx = r->szleaf;
  if (reader_next_toff(r) != SQLITE_OK) return r->rc;
  r->first_t = r->next_t;
  r->off = 4;
  return SQLITE_OK;
}

static int reader_varint_long(SegReader *r, sqlite3_uint64 *v) {
  int k = f5_get_varint(r->page.p + r->off, r->page.p + r->szleaf, v);
  if (!k) return r->rc = SQLITE_CORRUPT_VTAB;
  r->off += k;
  return SQLITE_OK;
}

/* Most varints of a doclist (rowid deltas, poslist sizes) are one byte. */
static inline int reader_varint(SegReader *r, sqlite3_uint64 *v) {
  if (r->off < r->szleaf && r->page.p[r->off] < 0x80) {
    *v = r->page.p[r->off++];
    return SQLITE_OK;
  }
  return reader_varint_long(r, v);
}

/* Reads the term starting at r->off (the page's term ti). */
static int reader_read_term(SegReader *r) {
  sqlite3_uint64 keep = 0, nnew;
  if (r->ti == 0) {
    if (reader_varint(r, &nnew)) return r->rc;
    r->term.n = 0;
  } else {
    if (reader_varint(r, &keep) || reader_varint(r, &nnew)) return r->rc;
    if (keep > (sqlite3_uint64)r->term.n) return r->rc = SQLITE_CORRUPT_VTAB;
    r->term.n = (int)keep;
  }
  if (nnew > (sqlite3_uint64)(r->szleaf - r->off)) return r->rc = SQLITE_CORRUPT_VTAB;
  f5_put(&r->term, r->page.p + r->off, (int)nnew);
  if (r->term.oom) return r->rc = SQLITE_NOMEM;
  r->off += (int)nnew;
  r->ti++;
  if (reader_next_toff(r) != SQLITE_OK) return r->rc;
  r->term_pg = r->pgno;
  r->term_doc = r->off;
  r->in_doclist = 1;
  r->first_rowid = 1;
  return SQLITE_OK;
}

/* Moves to the next term: 1 when there is one, 0 at the end, -1 on error. */
static int reader_next_term(SegReader *r) {
  for (;;) {
    if (r->rc != SQLITE_OK) return -1;
    if (r->next_t) {
      r->off = r->next_t;
      return reader_read_term(r) == SQLITE_OK ? 1 : -1;
    }
    if (r->pgno >= r->last) {
      r->eof = 1;
      return 0;
    }
    if (reader_load(r, r->pgno + 1) != SQLITE_OK) return -1;
  }
}

/* The next entry of the current term's doclist: 1, or 0 at its end, -1 on error. */
static int reader_next_entry(SegReader *r) {
  if (!r->in_doclist || r->rc != SQLITE_OK) return r->rc != SQLITE_OK ? -1 : 0;
  /* The usual entry: a one-byte rowid delta and poslist size, the poslist on
  ** this page.  Read through locals (the page's bytes may alias any field),
  ** passing over unwanted entries where the caller asked for that. */
  if (r->t->detail != F5_DETAIL_NONE) {
    const unsigned char *pg = r->page.p;
    int off = r->off, limit = r->next_t ? r->next_t : r->szleaf, first_off = get_u16(pg);
    int first = r->first_rowid, at = r->at, nonly = r->nonly, skip = r->skip_unwanted;
    const sqlite3_int64 *only = r->only;
    sqlite3_int64 rowid = r->rowid;
    if (only && skip && at < nonly) {
      /* Rowids grow along a doclist: the entries before the next row asked for are passed over with one
      ** comparison each.  That row's entry is read below; so is the entry after the last row asked for,
      ** returned unwanted, where the caller stops. */
      sqlite3_int64 want = only[at];
      while (off + 2 <= limit && pg[off] < 0x80 && pg[off + 1] < 0x80 && (pg[off + 1] >> 1) <= limit - off - 2) {
        sqlite3_int64 rid = first || off == first_off ? pg[off] : rowid + pg[off];
        if (rid >= want) {
          while (at < nonly && only[at] < rid) at++;
          if (at >= nonly || only[at] == rid) break;
          want = only[at];
        }
        rowid = rid;
        first = 0;
        off += 2 + (pg[off + 1] >> 1);
      }
    }
    while (off + 2 <= limit && pg[off] < 0x80 && pg[off + 1] < 0x80 && (pg[off + 1] >> 1) <= limit - off - 2) {
      int delta = pg[off], sz = pg[off + 1], need = sz >> 1;
      rowid = first || off == first_off ? delta : rowid + delta;
      first = 0;
      int wanted = !only || in_filter(only, nonly, &at, rowid);
      if (!wanted && skip && at < nonly) {
        off += 2 + need;
        continue;
      }
      r->at = at;
      r->ent_pg = r->pgno;
      r->ent_start = off;
      r->rowid = rowid;
      r->first_rowid = 0;
      r->pos.n = 0;
      r->del = sz & 1;
      r->ins = need > 0;
      r->ent_pos = off + 2;
      r->ent_npos = need;
      r->wanted = wanted;
      r->pl = pg + off + 2;
      r->npl = wanted && !r->skip_pos ? need : 0;
      r->off = off + 2 + need;
      return 1;
    }
    r->off = off;
    r->rowid = rowid;
    r->first_rowid = first;
    r->at = at;
  }
  int newpage = 0;
  for (;;) {
    int limit = r->next_t ? r->next_t : r->szleaf;
    if (r->off < limit) break;
    if (r->next_t || r->pgno >= r->last) {
      r->in_doclist = 0;
      return 0;
    }
    if (reader_load(r, r->pgno + 1) != SQLITE_OK) return -1;
    newpage = 1;
    if (r->first_t == 4) {
      r->in_doclist = 0;
      return 0;
    }
  }
  sqlite3_uint64 v;
  r->ent_pg = r->pgno;
  r->ent_start = r->off;
  if (reader_varint(r, &v)) return -1;
  int absolute = r->first_rowid || newpage || r->ent_start == get_u16(r->page.p);
  r->rowid = absolute ? (sqlite3_int64)v : r->rowid + (sqlite3_int64)v;
  r->first_rowid = 0;
  r->pos.n = 0;
  r->pl = NULL;
  r->npl = 0;
  r->del = 0;
  r->ins = 1;
  if (r->t->detail == F5_DETAIL_NONE) {
    r->wanted = !r->only || in_filter(r->only, r->nonly, &r->at, r->rowid);
    int limit = r->next_t ? r->next_t : r->szleaf;
    if (r->off < limit && r->page.p[r->off] == 0) {
      r->off++;
      r->del = 1;
      r->ins = 0;
      if (r->off < limit && r->page.p[r->off] == 0) {
        r->off++;
        r->ins = 1;
      }
    }
    r->ent_pos = r->off;
    r->ent_npos = 0;
    return 1;
  }
  if (reader_varint(r, &v)) return -1;
  r->del = (int)(v & 1);
  sqlite3_uint64 need = v >> 1;
  r->ent_pos = r->off;
  r->ent_npos = (int)(need > 0x7FFFFFFF ? 0x7FFFFFFF : need);
  r->wanted = !r->only || in_filter(r->only, r->nonly, &r->at, r->rowid);
  int keep = r->wanted && !r->skip_pos;
  if (need > 0x7FFFFFFF) return r->rc = SQLITE_CORRUPT_VTAB, -1;
  int limit = r->next_t ? r->next_t : r->szleaf;
  if (need <= (sqlite3_uint64)(limit - r->off)) { /* on this page: read where it lies */
    r->pl = r->page.p + r->off;
    r->npl = keep ? (int)need : 0;
    r->off += (int)need;
    r->ins = (v >> 1) > 0;
    return 1;
  }
  while (need > 0) {
    int avail = r->szleaf - r->off;
    if (r->next_t && r->next_t - r->off < avail) avail = r->next_t - r->off;
    int take = (sqlite3_uint64)avail < need ? avail : (int)need;
    if (keep) f5_put(&r->pos, r->page.p + r->off, take);
    r->off += take;
    need -= (sqlite3_uint64)take;
    if (need == 0) break;
    if (r->next_t || r->pgno >= r->last) return r->rc = SQLITE_CORRUPT_VTAB, -1;
    if (reader_load(r, r->pgno + 1) != SQLITE_OK) return -1;
  }
  if (r->pos.oom) return r->rc = SQLITE_NOMEM, -1;
  r->pl = r->pos.p;
  r->npl = r->pos.n;
  r->ins = (v >> 1) > 0;
  return 1;
}

/* Passes over up to n entries of the current doclist that lie whole on the page, with one-byte rowid deltas
** and sizes, without reading them (a count of the term's entries): how many it passed over.  The entry after
** them is read by reader_next_entry as usual. */
static int reader_skip_entries(SegReader *r, int n) {
  if (!r->in_doclist || r->rc != SQLITE_OK || r->t->detail == F5_DETAIL_NONE || n <= 0) return 0;
  const unsigned char *pg = r->page.p;
  int off = r->off, limit = r->next_t ? r->next_t : r->szleaf, first_off = get_u16(pg), k = 0;
  int first = r->first_rowid;
  sqlite3_int64 rowid = r->rowid;
  while (k < n && off + 2 <= limit && pg[off] < 0x80 && pg[off + 1] < 0x80 && (pg[off + 1] >> 1) <= limit - off - 2) {
    rowid = first || off == first_off ? pg[off] : rowid + pg[off];
    first = 0;
    off += 2 + (pg[off + 1] >> 1);
    k++;
  }
  if (k) {
    r->off = off;
    r->rowid = rowid;
    r->first_rowid = 0;
  }
  return k;
}

/* Frees what the reader holds; its page buffer and term offsets are kept for the next reader opened when the
** table has none (a query opens a reader per segment and term). */
static void reader_free(SegReader *r) {
  Fts5Table *t = r->t;
  if (t && !t->spare_page && r->page.p) {
    t->spare_page = r->page.p;
    t->spare_page_cap = r->page.cap;
    r->page.p = NULL;
  }
  if (t && !t->spare_term && r->term.p) {
    t->spare_term = r->term.p;
    t->spare_term_cap = r->term.cap;
    r->term.p = NULL;
  }
  f5_free(&r->page);
  f5_free(&r->term);
  f5_free(&r->pos);
}

/* The page a %_idx record (segid, term, pgno) names: 1 with it in *pgno for a record of the usual shape whose segid
** is segid; 0 for anything else, which the statement's own run then answers.  rec holds the first avail of its
** size bytes. */
static int idx_record_page(const unsigned char *rec, int avail, int size, int segid, sqlite3_int64 *pgno) {
  if (avail != size || size < 4) return 0;
  sqlite3_uint64 hsize, t1, t2, t3;
  int at = f5_get_varint(rec, rec + size, &hsize), k;
  if (!at || hsize > (sqlite3_uint64)size) return 0;
  const unsigned char *h = rec + at, *hend = rec + hsize;
  if (!(k = f5_get_varint(h, hend, &t1))) return 0;
  h += k;
  if (!(k = f5_get_varint(h, hend, &t2))) return 0;
  h += k;
  if (!(k = f5_get_varint(h, hend, &t3)) || h + k != hend) return 0;
  /* integers of 1..8 bytes (serial types 1..6) or the constants 0 and 1 (8, 9); the term a blob */
  static const int width[10] = {-1, 1, 2, 3, 4, 6, 8, -1, 0, 0};
  if (t1 > 9 || width[t1] < 0 || t3 > 9 || width[t3] < 0 || t2 < 12 || (t2 & 1)) return 0;
  sqlite3_uint64 n2 = (t2 - 12) / 2;
  if (hsize + (sqlite3_uint64)width[t1] + n2 + (sqlite3_uint64)width[t3] != (sqlite3_uint64)size) return 0;
  const unsigned char *b = rec + hsize;
  sqlite3_int64 v[2];
  sqlite3_uint64 types[2] = {t1, t3};
  for (int i = 0; i < 2; i++) {
    sqlite3_uint64 t = types[i];
    int w = width[t];
    sqlite3_int64 x = t >= 8 ? (sqlite3_int64)t - 8 : (signed char)b[0];
    for (int j = 1; j < w; j++) x = (sqlite3_int64)((sqlite3_uint64)x << 8 | b[j]);
    v[i] = x;
    b += w + (i == 0 ? (int)n2 : 0);
  }
  if (v[0] != segid) return 0;
  *pgno = v[1];
  return 1;
}

/* %_idx's pgno for the last (segid, term) <= (seg's, key) of seg's rows: 1 with it in *pgno, 0 when there is
** none.  The statement stays on its row between the seeks of a call into the table, the later seeks moving
** its cursor straight to their key (lode_stmt_index_seek_le); a write or the end of the call resets it. */
static int idx_seek(Fts5Table *t, const F5Seg *seg, const unsigned char *key, int nkey, sqlite3_int64 *pgno,
                    int *rc) {
  sqlite3_stmt *s = fts5_stmt(t, F5ST_IDX_SEEK, rc);
  if (!s) return 0;
  if (t->idx_held) {
    unsigned char rec[256]; /* %_idx keys are short prefixes: a longer record is read by the statement */
    int size;
    *rc = lode_stmt_index_seek_le(s, seg->segid, key, nkey, rec, (int)sizeof rec, &size);
    if (*rc == SQLITE_OK && size < 0) return 0;
    if (*rc == SQLITE_OK && idx_record_page(rec, size < (int)sizeof rec ? size : (int)sizeof rec, size, seg->segid,
                                            pgno))
      return 1;
    if (*rc != SQLITE_OK && *rc != SQLITE_ABORT) return 0;
    /* not held any more, or an entry the statement's run answers for */
    t->idx_held = 0;
    sqlite3_reset(s);
  }
  sqlite3_bind_int(s, 1, seg->segid);
  sqlite3_bind_blob(s, 2, key, nkey, SQLITE_STATIC);
  if (sqlite3_step(s) == SQLITE_ROW) {
    *pgno = sqlite3_column_int64(s, 0);
    t->idx_held = 1;
    *rc = SQLITE_OK;
    return 1;
  }
  *rc = sqlite3_reset(s);
  return 0;
}

static int idx_kept_seek(Fts5Table *t, const F5Seg *seg, const unsigned char *key, int nkey, sqlite3_int64 *pgno,
                         int *rc);

/* The leaf of seg to read key from: the last whose %_idx key is at most key (*start is the first leaf, left
** as it is when none is later).  Remembered for the rest of the call into the table. */
static int seek_leaf(Fts5Table *t, const F5Seg *seg, const unsigned char *key, int nkey, int *start) {
  for (int i = 0; i < t->nseek; i++)
    if (t->seek[i].segid == seg->segid && t->seek[i].first == seg->first && t->seek[i].last == seg->last &&
        t->seek[i].nkey == nkey && memcmp(t->seek[i].key, key, (size_t)nkey) == 0) {
      *start = t->seek[i].start;
      return SQLITE_OK;
    }
  int rc;
  sqlite3_int64 v;
  int kept = idx_kept_seek(t, seg, key, nkey, &v, &rc);
  if (kept < 0 && rc != SQLITE_OK) return rc;
  if (kept >= 0 ? kept : idx_seek(t, seg, key, nkey, &v, &rc)) {
    int pg = (int)(v >> 1);
    if (pg > *start && pg <= seg->last) *start = pg;
  }
  if (rc == SQLITE_OK && nkey <= FTS5_SEEK_KEY_MAX) {
    int i = t->nseek < FTS5_SEEK_CACHE ? t->nseek++ : t->seek_next++ % FTS5_SEEK_CACHE;
    t->seek[i].segid = seg->segid;
    t->seek[i].first = seg->first;
    t->seek[i].last = seg->last;
    t->seek[i].nkey = nkey;
    t->seek[i].start = *start;
    memcpy(t->seek[i].key, key, (size_t)nkey);
  }
  return rc;
}

/* Opens a reader on seg positioned before the first term >= key (all terms when key is NULL). */
static int reader_open(SegReader *r, Fts5Table *t, const F5Seg *seg, const unsigned char *key, int nkey) {
  memset(r, 0, sizeof *r);
  r->t = t;
  r->segid = seg->segid;
  r->last = seg->last;
  if (t->spare_page) {
    r->page.p = t->spare_page;
    r->page.cap = t->spare_page_cap;
    t->spare_page = NULL;
  }
  if (t->spare_term) {
    r->term.p = t->spare_term;
    r->term.cap = t->spare_term_cap;
    t->spare_term = NULL;
  }
  int start = seg->first;
  if (seg->first < 1 || seg->first > seg->last) {
    r->eof = 1;
    return SQLITE_OK;
  }
  if (key && seg->first < seg->last) { /* a segment of one leaf starts there whatever the key */
    int rc = seek_leaf(t, seg, key, nkey, &start);
    if (rc != SQLITE_OK) return rc;
  }
  if (key) r->key_pg = start;
  if (reader_load(r, start) != SQLITE_OK) return r->rc;
  return SQLITE_OK;
}

/* Moves the reader to the first rowid of leaf pgno, within the doclist it reads (a doclist index said
** the leaf holds one). */
static int reader_jump(SegReader *r, int pgno) {
  for (;;) {
    if (reader_load(r, pgno) != SQLITE_OK) return r->rc;
    int off = get_u16(r->page.p);
    if (off == 0) {
      /* a secure-delete took the leaf's rowids away (the doclist index still names it): the doclist goes on
      ** at the next leaf with a rowid, or ended when a term starts first */
      if (r->first_t || pgno >= r->last) {
        r->off = r->first_t ? r->first_t : r->szleaf;
        r->in_doclist = 0;
        return SQLITE_OK;
      }
      pgno++;
      continue;
    }
    if (off < 4 || off >= (r->first_t ? r->first_t : r->szleaf)) return r->rc = SQLITE_CORRUPT_VTAB;
    r->off = off;
    r->in_doclist = 1;
    r->first_rowid = 1;
    return SQLITE_OK;
  }
}

/* ---- reading a doclist index ---------------------------------------------------------------------------------- */

/* One page of a doclist index, decoded: its children and their first rowids (leaves without a rowid left out). */
typedef struct DlPage {
  int pgno; /* the page decoded, 0: none */
  int n, ccap, rcap;
  int *child;
  sqlite3_int64 *rowid;
} DlPage;

/* The doclist index of one term of one segment, read a page per height at a time. */
typedef struct DlIdx {
  Fts5Table *t;
  int segid, term_page, last; /* the term starts on leaf term_page; the segment's last leaf */
  int height;                 /* 0: the doclist has no index */
  DlPage lv[DLIDX_MAX_HEIGHT];
  F5Buf buf;
} DlIdx;

static void dlidx_free(DlIdx *x) {
  for (int h = 0; h < x->height; h++) {
    sqlite3_free(x->lv[h].child);
    sqlite3_free(x->lv[h].rowid);
  }
  f5_free(&x->buf);
}

/* Reads and decodes page pgno of height h (nothing when it is the one at hand). */
static int dlidx_load(DlIdx *x, int h, int pgno) {
  DlPage *pg = &x->lv[h];
  if (pg->pgno == pgno) return SQLITE_OK;
  pg->pgno = 0;
  pg->n = 0;
  int found, rc = data_read(x->t, FTS5_DLIDX_ROWID(x->segid, h, pgno), &x->buf, &found);
  if (rc != SQLITE_OK) return rc;
  if (!found || x->buf.n < 1 || x->buf.p[0] > 1) return SQLITE_CORRUPT_VTAB;
  const unsigned char *p = x->buf.p + 1, *end = x->buf.p + x->buf.n;
  sqlite3_uint64 child, v;
  int k = f5_get_varint(p, end, &child);
  if (!k) return SQLITE_CORRUPT_VTAB;
  p += k;
  /* a leaf's children follow the term's page; a page's children start at the term's page */
  int lo = h == 0 ? x->term_page + 1 : x->term_page, hi = h == 0 ? x->last : x->last - 1;
  sqlite3_int64 rowid = 0;
  for (int i = 0; p < end; i++, child++) {
    if (!(k = f5_get_varint(p, end, &v))) return SQLITE_CORRUPT_VTAB;
    p += k;
    if (i > 0 && v == 0) {
      if (h > 0) return SQLITE_CORRUPT_VTAB;
      continue; /* a leaf without a rowid */
    }
    if (child < (sqlite3_uint64)lo || child > (sqlite3_uint64)hi) return SQLITE_CORRUPT_VTAB;
    sqlite3_int64 next = i == 0 ? (sqlite3_int64)v : (sqlite3_int64)((sqlite3_uint64)rowid + v);
    if (i > 0 && next <= rowid) return SQLITE_CORRUPT_VTAB;
    rowid = next;
    if ((rc = f5_grow(&pg->child, &pg->ccap, pg->n + 1, sizeof(int))) != SQLITE_OK ||
        (rc = f5_grow(&pg->rowid, &pg->rcap, pg->n + 1, sizeof(sqlite3_int64))) != SQLITE_OK)
      return rc;
    pg->child[pg->n] = (int)child;
    pg->rowid[pg->n++] = rowid;
  }
  if (pg->n == 0) return SQLITE_CORRUPT_VTAB;
  pg->pgno = pgno;
  return SQLITE_OK;
}

/* Finds the doclist index of the doclist that continues off leaf term_page of a segment (the page's last
** term's): its height is how many pages are numbered term_page, the highest being the root. */
static int dlidx_open(DlIdx *x, Fts5Table *t, int segid, int term_page, int last) {
  memset(x, 0, sizeof *x);
  x->t = t;
  x->segid = segid;
  x->term_page = term_page;
  x->last = last;
  for (int h = 0; h < DLIDX_MAX_HEIGHT; h++) {
    int found, rc = data_read(t, FTS5_DLIDX_ROWID(segid, h, term_page), &x->buf, &found);
    if (rc != SQLITE_OK) return rc;
    if (!found) return h == 0 ? SQLITE_OK : SQLITE_CORRUPT_VTAB;
    if (x->buf.n < 1 || x->buf.p[0] > 1) return SQLITE_CORRUPT_VTAB;
    x->height = h + 1;
    if (x->buf.p[0] == 0) return SQLITE_OK;
  }
  return SQLITE_CORRUPT_VTAB;
}

/* The last leaf whose first rowid is at most target, 0 when target comes before the first indexed leaf:
** down from the root, the last child not past target at each height. */
static int dlidx_leaf(DlIdx *x, sqlite3_int64 target, int *leaf) {
  *leaf = 0;
  int pgno = x->term_page;
  for (int h = x->height - 1; h >= 0; h--) {
    int rc = dlidx_load(x, h, pgno);
    if (rc != SQLITE_OK) return rc;
    const DlPage *pg = &x->lv[h];
    int lo = 0, hi = pg->n; /* the first entry past target */
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if (pg->rowid[mid] <= target) lo = mid + 1;
      else hi = mid;
    }
    if (lo == 0) {
      if (h == x->height - 1) return SQLITE_OK;
      lo = 1; /* the parent said this page starts at or before target */
    }
    pgno = pg->child[lo - 1];
  }
  *leaf = pgno;
  return SQLITE_OK;
}

/* Terms are a few bytes: compared in a loop, not through a call to memcmp (most seeks' probes differ early). */
static inline int term_cmp(const unsigned char *a, int na, const unsigned char *b, int nb) {
  int n = na < nb ? na : nb;
  for (int i = 0; i < n; i++)
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  return na - nb;
}

/* ---- reading a term over all segments ---------------------------------------------------------------------- */

typedef struct Entry {
  sqlite3_int64 rowid;
  sqlite3_uint64 term; /* a hash of the term (prefix queries unite several) */
  int age;             /* higher: newer */
  int del, ins;
  int hoff, nh; /* hits in the collector */
} Entry;

static int entry_cmp(const void *a, const void *b) {
  const Entry *x = a, *y = b;
  if (x->rowid != y->rowid) return x->rowid < y->rowid ? -1 : 1;
  if (x->term != y->term) return x->term < y->term ? -1 : 1;
  return y->age - x->age;
}

/* The doclist of entries ent (ascending rowids, each once) whose hits are in
** hits, in the same order: hits is handed over (left empty), the hits of
** rows not inserted are closed over. */
static int doclist_take(F5Doclist *out, const Entry *ent, int nent, F5Buf *hits) {
  out->rowid = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)(nent ? nent : 1));
  out->start = sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)(nent + 1));
  if (!out->rowid || !out->start) return SQLITE_NOMEM;
  out->cap = nent;
  /* hits (sqlite3_int64 each) or, raw, poslist bytes */
  size_t elem = out->raw ? 1 : sizeof(sqlite3_int64);
  unsigned char *hv = hits->p;
  int m = 0, w = 0;
  out->start[0] = 0;
  for (int i = 0; i < nent; i++) {
    if (!ent[i].ins) continue;
    assert(m == 0 || ent[i].rowid > out->rowid[m - 1]);
    assert(w <= ent[i].hoff);
    if (w != ent[i].hoff && ent[i].nh) memmove(hv + w * elem, hv + ent[i].hoff * elem, elem * (size_t)ent[i].nh);
    out->rowid[m] = ent[i].rowid;
    w += ent[i].nh;
    out->start[++m] = w;
  }
  out->n = m;
  if (out->raw)
    out->pl = hv;
  else
    out->hit = (sqlite3_int64 *)(void *)hv;
  out->nhit = w;
  out->hcap = hits->cap / (int)elem;
  memset(hits, 0, sizeof *hits);
  return SQLITE_OK;
}

static int hit_cmp(const void *a, const void *b) {
  sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
  return x < y ? -1 : x > y;
}

/* The segments, oldest first. */
static int segs_by_age(const F5Struct *s, F5Seg **out, int *n) {
  int total = 0;
  for (int i = 0; i < s->nlevel; i++) total += s->lvl[i].nseg;
  F5Seg *a = sqlite3_malloc64(sizeof(F5Seg) * (sqlite3_uint64)(total ? total : 1));
  if (!a) return SQLITE_NOMEM;
  int k = 0;
  for (int i = s->nlevel - 1; i >= 0; i--)
    for (int j = 0; j < s->lvl[i].nseg; j++) a[k++] = s->lvl[i].seg[j];
  *out = a;
  *n = total;
  return SQLITE_OK;
}

/* The log replayed into one hash per segment it will become (newest last),
** kept until the log changes: a query inside a transaction reads them as
** the newest segments instead of writing them, as SQLite reads its hash. */
struct Pending {
  Hash *run;
  int nrun;
  sqlite3_int64 nrow; /* rows and tokens per column the log adds */
  sqlite3_int64 *ntok;
};

/* Moves a reader that has read no term of its page yet to the page's first term >= key, read as
** reader_next_term reads it: 1, or 0 when every term of the page sorts before key (none read), -1 on error.
** The terms before are passed over without being copied: m, the bytes the last term passed shares with key,
** and the bytes a term shares with the one before it tell most of them apart without looking at them. */
static int reader_seek_term(SegReader *r, const unsigned char *key, int nkey) {
  const unsigned char *pg = r->page.p;
  const int szleaf = r->szleaf, npage = r->page.n;
  /* the reader's place in the page index, kept in locals while the terms are passed (stored back at the end) */
  int m = 0, plen = 0, ti = r->ti, next = r->next_t, at = r->pgidx;
  while (next) {
    int off = next, o = off;
    sqlite3_uint64 keep = 0, nnew;
    int k;
    if (ti > 0) {
      if (pg[o] < 0x80)
        keep = pg[o++];
      else if ((k = f5_get_varint(pg + o, pg + szleaf, &keep)) != 0)
        o += k;
      else
        return r->rc = SQLITE_CORRUPT_VTAB, -1;
    }
    if (o < szleaf && pg[o] < 0x80)
      nnew = pg[o++];
    else if ((k = f5_get_varint(pg + o, pg + szleaf, &nnew)) != 0)
      o += k;
    else
      return r->rc = SQLITE_CORRUPT_VTAB, -1;
    if (keep > (sqlite3_uint64)plen || nnew > (sqlite3_uint64)(szleaf - o)) return r->rc = SQLITE_CORRUPT_VTAB, -1;
    int kp = (int)keep, nn = (int)nnew, stop = 0;
    if (kp < m) {
      stop = 1; /* it leaves the term before where that one still had key's bytes, and sorts after it */
    } else if (kp == m) {
      const unsigned char *sfx = pg + o;
      int j = 0;
      while (j < nn && m + j < nkey && sfx[j] == key[m + j]) j++;
      if (j == nn) {
        stop = m + j == nkey; /* key itself */
        m += j;
      } else if (m + j == nkey || sfx[j] > key[m + j]) {
        stop = 1;
      } else {
        m += j;
      }
    } /* kp > m: it keeps the byte where the term before sorted under key */
    if (stop) {
      /* its bytes before the suffix are key's: the reader reads it as it would have */
      r->ti = ti;
      r->next_t = next;
      r->pgidx = at;
      r->term.n = 0;
      f5_put(&r->term, key, m < kp ? kp : m);
      r->off = off;
      return reader_read_term(r) == SQLITE_OK ? 1 : -1;
    }
    plen = kp + nn;
    ti++;
    if (at < npage && pg[at] < 0x80) {
      /* the usual one-byte difference to the next term's offset, as reader_next_toff reads it */
      int v = pg[at], nx = next + v;
      if (v == 0 || nx >= szleaf) return r->rc = SQLITE_CORRUPT_VTAB, -1;
      at++;
      next = nx;
    } else {
      r->next_t = next;
      r->pgidx = at;
      if (reader_next_toff(r) != SQLITE_OK) return -1;
      next = r->next_t;
      at = r->pgidx;
    }
  }
  r->ti = ti;
  r->next_t = 0;
  r->pgidx = at;
  return 0;
}

/* Moves r on to its next term that is key (with prefix: that starts with
** it): 1 on one, 0 once past them or at the end (*rc the reader's error). */
static int reader_next_match(SegReader *r, const unsigned char *key, int nkey, int prefix, int *rc) {
  if (r->key_pg && r->pgno == r->key_pg && r->ti == 0 && !r->in_doclist && r->rc == SQLITE_OK) {
    int f = reader_seek_term(r, key, nkey);
    if (f < 0) {
      *rc = r->rc;
      return 0;
    }
    if (f > 0) {
      int c = term_cmp(r->term.p, r->term.n, key, nkey);
      *rc = SQLITE_OK;
      return c == 0 || (prefix && r->term.n >= nkey && memcmp(r->term.p, key, (size_t)nkey) == 0);
    }
  }
  for (;;) {
    /* A whole term starts on the leaf its key was sought on, if anywhere: a later leaf's first term sorts at
    ** or after that leaf's %_idx key, which sorts after key.  Its terms passed, the later leaves (often the
    ** rest of a long doclist) are not read. */
    if (!prefix && r->key_pg && r->pgno == r->key_pg && !r->next_t) {
      *rc = r->rc;
      return 0;
    }
    int m = reader_next_term(r);
    if (m <= 0) {
      *rc = m < 0 ? r->rc : SQLITE_OK;
      return 0;
    }
    int c = term_cmp(r->term.p, r->term.n, key, nkey);
    if (c < 0) continue;
    return c == 0 || (prefix && r->term.n >= nkey && memcmp(r->term.p, key, (size_t)nkey) == 0);
  }
}

/* What tells whether %_data may have changed since the structure record was read: the database's data version
** (a commit of this connection or another), the connection's change count (any INSERT, UPDATE or DELETE it
** made, a direct write to the shadow tables too) and its last statement's (0 after one that failed and was
** undone).  valid 0: no mark. */
typedef struct ReadMark {
  int valid;
  unsigned int version;
  sqlite3_int64 total, last;
} ReadMark;

/* The mark of now; none inside a write transaction, whose writes (this module's flushes, a direct write to the
** shadow tables) a failed statement or a rollback may undo without moving the counts. */
static ReadMark read_mark(Fts5Table *t) {
  ReadMark m = {0, 0, 0, 0};
  if (sqlite3_txn_state(t->db, t->zdb) == SQLITE_TXN_WRITE) return m;
  m.valid = sqlite3_file_control(t->db, t->zdb, SQLITE_FCNTL_DATA_VERSION, &m.version) == SQLITE_OK;
  m.total = sqlite3_total_changes64(t->db);
  m.last = sqlite3_changes64(t->db);
  return m;
}

/* A segment's %_idx rows kept in memory between queries, with the structure record they go with (SegCache):
** each of the point query's terms seeks every segment's %_idx once, and a statement's seek costs some thousands
** of instructions where a binary search over the kept rows costs a few hundred.  The rows are read (one scan of
** the segment's rows) once the segment has been sought often enough under one mark to pay for the scan; they
** are used only while the mark they were read under holds (nothing has written the database since), and are
** dropped with any change of mark.  A segment with rows of an unusual shape (a term that is not a blob, a pgno
** that is not an integer), or past the table's budget, is left to the statement. */
#define IDX_KEPT_BUDGET (4 << 20) /* bytes of kept rows per table */
typedef struct IdxKept {
  int segid, first, last; /* the segment */
  int seeks;              /* seeks through the statement under the mark, before the rows are read */
  int state;              /* IDX_COUNTING, IDX_KEPT or IDX_LEFT */
  int n;                  /* rows, in term order */
  int *off;               /* n + 1: row i's term is bytes[off[i] .. off[i + 1]) */
  sqlite3_int64 *pgno;
  unsigned char *bytes;
} IdxKept;
#define IDX_COUNTING 0
#define IDX_KEPT 1
#define IDX_LEFT 2

/* The segments of the structure record, oldest first (a copy the caller frees).  Each term of a query asks:
** the last record's parse is kept with its bytes and the mark of when it was read.  While the mark is the same,
** nothing can have written the record and it is not read again (SQLite's FTS5 keeps its structure while the
** data version holds); otherwise a record read again unchanged is not parsed again. */
typedef struct SegCache {
  F5Buf raw;
  F5Seg *segs;
  int nseg;
  ReadMark mark;
  IdxKept *idx; /* nseg, as segs (NULL until a segment is sought) */
  sqlite3_int64 idx_bytes;
} SegCache;

static void idx_kept_drop(SegCache *c) {
  if (!c->idx) return;
  for (int i = 0; i < c->nseg; i++) {
    sqlite3_free(c->idx[i].off);
    sqlite3_free(c->idx[i].pgno);
    sqlite3_free(c->idx[i].bytes);
  }
  sqlite3_free(c->idx);
  c->idx = NULL;
  c->idx_bytes = 0;
}

static void seg_cache_drop(Fts5Table *t) {
  SegCache *c = t->seg_cache;
  if (!c) return;
  idx_kept_drop(c);
  f5_free(&c->raw);
  sqlite3_free(c->segs);
  sqlite3_free(c);
  t->seg_cache = NULL;
}

/* What a table keeps of the index between queries. */
void fts5_seg_cache_free(Fts5Table *t) {
  page_cache_free(t);
  seg_cache_drop(t);
}

/* The kept structure is read again before its next use (its bytes still spare a parse). */
static void segs_distrust(Fts5Table *t) {
  SegCache *c = t->seg_cache;
  if (!c) return;
  c->mark.valid = 0;
  idx_kept_drop(c);
}

static int segs_copy(const SegCache *c, F5Seg **segs, int *nseg) {
  if (!(*segs = sqlite3_malloc64(sizeof(F5Seg) * (sqlite3_uint64)(c->nseg ? c->nseg : 1)))) return SQLITE_NOMEM;
  memcpy(*segs, c->segs, sizeof(F5Seg) * (size_t)c->nseg);
  *nseg = c->nseg;
  return SQLITE_OK;
}

static int segs_cached(Fts5Table *t, F5Seg **segs, int *nseg) {
  SegCache *c = t->seg_cache;
  ReadMark now = read_mark(t);
  t->mark_held = now.valid; /* (the cache is the record read under now, or is dropped, when this returns OK) */
  if (c && c->mark.valid && now.valid && c->mark.version == now.version && c->mark.total == now.total &&
      c->mark.last == now.last)
    return segs_copy(c, segs, nseg);
  F5Buf b = {0};
  int found, rc = data_read(t, FTS5_STRUCTURE_ROWID, &b, &found);
  if (rc == SQLITE_OK && found && c && c->raw.n == b.n && memcmp(c->raw.p, b.p, (size_t)b.n) == 0) {
    f5_free(&b);
    idx_kept_drop(c); /* read under the old mark */
    c->mark = now;
    return segs_copy(c, segs, nseg);
  }
  F5Struct st;
  memset(&st, 0, sizeof st);
  if (rc == SQLITE_OK && found) rc = struct_parse(&b, &st);
  if (rc == SQLITE_OK) rc = segs_by_age(&st, segs, nseg);
  struct_free(&st);
  seg_cache_drop(t);
  if (rc == SQLITE_OK && found && (c = sqlite3_malloc(sizeof *c)) != NULL) {
    c->raw = b;
    b.p = NULL;
    c->nseg = *nseg;
    c->mark = now;
    c->idx = NULL;
    c->idx_bytes = 0;
    if ((c->segs = sqlite3_malloc64(sizeof(F5Seg) * (sqlite3_uint64)(*nseg ? *nseg : 1))) != NULL) {
      memcpy(c->segs, *segs, sizeof(F5Seg) * (size_t)*nseg);
      t->seg_cache = c;
    } else {
      f5_free(&c->raw);
      sqlite3_free(c);
    }
  }
  f5_free(&b);
  return rc;
}

/* Reads seg's %_idx rows into x (state IDX_KEPT), or leaves the segment to the statement (IDX_LEFT). */
static int idx_kept_load(Fts5Table *t, SegCache *c, IdxKept *x) {
  int rc;
  x->state = IDX_LEFT;
  sqlite3_stmt *s = fts5_stmt(t, F5ST_IDX_SCAN, &rc);
  if (!s) return rc;
  sqlite3_bind_int(s, 1, x->segid);
  F5Buf bytes = {0};
  int *off = NULL, cap = 0, n = 0, ok = 1;
  sqlite3_int64 *pg = NULL;
  if (!buf_reserve(&bytes, 64)) ok = 0, rc = SQLITE_NOMEM; /* bytes.p is never NULL */
  while (ok && sqlite3_step(s) == SQLITE_ROW) {
    if (sqlite3_column_type(s, 0) != SQLITE_BLOB || sqlite3_column_type(s, 1) != SQLITE_INTEGER) {
      ok = 0;
      break;
    }
    const unsigned char *z = sqlite3_column_blob(s, 0);
    int nz = sqlite3_column_bytes(s, 0);
    if (!z) z = (const unsigned char *)""; /* an empty blob */
    if (n + 2 > cap) {
      int nc = cap ? cap * 2 : 64;
      int *o = sqlite3_realloc64(off, sizeof(int) * (sqlite3_uint64)nc);
      if (o) off = o;
      sqlite3_int64 *p = o ? sqlite3_realloc64(pg, sizeof(sqlite3_int64) * (sqlite3_uint64)nc) : NULL;
      if (p) pg = p;
      if (!o || !p) {
        rc = SQLITE_NOMEM;
        ok = 0;
        break;
      }
      cap = nc;
    }
    int at = bytes.n;
    if (n > 0 && term_cmp(bytes.p + off[n - 1], at - off[n - 1], z, nz) >= 0) {
      ok = 0; /* not in term order: the statement answers */
      break;
    }
    off[n] = at;
    pg[n] = sqlite3_column_int64(s, 1);
    f5_put(&bytes, z, nz);
    n++;
    if (bytes.oom) {
      rc = SQLITE_NOMEM;
      ok = 0;
    } else if (c->idx_bytes + bytes.n + (sqlite3_int64)n * 12 > IDX_KEPT_BUDGET) {
      ok = 0;
    }
  }
  int rc2 = sqlite3_reset(s);
  if (rc == SQLITE_OK) rc = rc2;
  if (!ok || rc != SQLITE_OK || n == 0) {
    sqlite3_free(off);
    sqlite3_free(pg);
    f5_free(&bytes);
    return rc;
  }
  off[n] = bytes.n;
  x->n = n;
  x->off = off;
  x->pgno = pg;
  x->bytes = bytes.p;
  x->state = IDX_KEPT;
  c->idx_bytes += bytes.n + (sqlite3_int64)n * 12;
  return SQLITE_OK;
}

/* seg's %_idx seek answered from its kept rows: 1 with the page in *pgno, 0 when no row is at most key; -1 when
** the kept rows cannot answer (not read yet, the mark moved, a segment not of the kept structure), the statement
** then seeks, *rc SQLITE_OK (or an error reading the rows). */
static int idx_kept_seek(Fts5Table *t, const F5Seg *seg, const unsigned char *key, int nkey, sqlite3_int64 *pgno,
                         int *rc) {
  *rc = SQLITE_OK;
  SegCache *c = t->seg_cache;
  /* the mark is read once per term (segs_cached), not per seek: it costs about as much as a kept seek */
  if (!c || !c->mark.valid || !t->mark_held) return -1;
  if (!c->idx) {
    if (!(c->idx = sqlite3_malloc64(sizeof(IdxKept) * (sqlite3_uint64)(c->nseg ? c->nseg : 1)))) return -1;
    memset(c->idx, 0, sizeof(IdxKept) * (size_t)c->nseg);
    for (int i = 0; i < c->nseg; i++) {
      c->idx[i].segid = c->segs[i].segid;
      c->idx[i].first = c->segs[i].first;
      c->idx[i].last = c->segs[i].last;
    }
  }
  IdxKept *x = NULL;
  for (int i = 0; i < c->nseg && !x; i++)
    if (c->idx[i].segid == seg->segid && c->idx[i].first == seg->first && c->idx[i].last == seg->last)
      x = &c->idx[i];
  if (!x || x->state == IDX_LEFT) return -1;
  if (x->state == IDX_COUNTING) {
    /* the scan reads about a row per leaf; a seek through the statement costs about as much as ten */
    if (++x->seeks < 4 + (x->last - x->first + 1) / 16) return -1;
    if ((*rc = idx_kept_load(t, c, x)) != SQLITE_OK || x->state != IDX_KEPT) return -1;
  }
  assert(x->state == IDX_KEPT && x->n > 0);
  /* the last row whose term is at most key */
  int lo = 0, hi = x->n;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (term_cmp(x->bytes + x->off[mid], x->off[mid + 1] - x->off[mid], key, nkey) <= 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0) return 0;
  *pgno = x->pgno[lo - 1];
  return 1;
}

/* The segments oldest first and the term's key in the main index (the
** prefix byte, then the term's n bytes: n + 1 bytes), for a term's readers;
** on error nothing is left to free. */
static int term_segments(Fts5Table *t, const char *term, int n, F5Seg **segs, int *nseg, unsigned char **key) {
  *segs = NULL;
  *nseg = 0;
  *key = NULL;
  int rc = segs_cached(t, segs, nseg);
  if (rc != SQLITE_OK) return rc;
  if (!(*key = sqlite3_malloc(n + 2))) {
    sqlite3_free(*segs);
    *segs = NULL;
    return SQLITE_NOMEM;
  }
  (*key)[0] = FTS5_MAIN_PREFIX;
  memcpy(*key + 1, term, (size_t)n);
  return SQLITE_OK;
}

/* A count of a term's entries that goes on where it stopped: segments newest first, then the changes not
** yet written (as many as the log has operations). */
struct F5Counter {
  Fts5Table *t;
  F5Seg *segs;
  unsigned char *key;
  int nkey, prefix;
  int si;      /* the segment being read, counting down */
  int open;    /* r is open on segment si */
  int in_term; /* r is in a matching term's doclist */
  int count;
  SegReader r;
};

int fts5_counter_open(Fts5Table *t, const char *term, int n, int prefix, F5Counter **out) {
  *out = NULL;
  F5Counter *c = sqlite3_malloc((int)sizeof *c);
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  int nseg;
  int rc = term_segments(t, term, n, &c->segs, &nseg, &c->key);
  if (rc != SQLITE_OK) {
    sqlite3_free(c);
    return rc;
  }
  c->t = t;
  c->nkey = n + 1;
  c->prefix = prefix;
  c->si = nseg - 1;
  *out = c;
  return SQLITE_OK;
}

int fts5_counter_run(F5Counter *c, int cap, int *count) {
  int rc = SQLITE_OK;
  c->t->cache_reads = 1;
  while (rc == SQLITE_OK && c->count < cap && c->si >= 0) {
    if (!c->open) {
      rc = reader_open(&c->r, c->t, &c->segs[c->si], c->key, c->nkey);
      c->r.skip_pos = 1;
      c->open = 1;
      c->in_term = 0;
      if (rc != SQLITE_OK) break;
    }
    if (!c->in_term && !(c->in_term = reader_next_match(&c->r, c->key, c->nkey, c->prefix, &rc))) {
      reader_free(&c->r);
      c->open = 0;
      c->si--;
      continue;
    }
    int e = 1;
    while (c->count < cap) {
      c->count += reader_skip_entries(&c->r, cap - c->count);
      if (c->count >= cap || (e = reader_next_entry(&c->r)) != 1) break;
      c->count++;
    }
    if (e < 0) rc = c->r.rc;
    if (e == 0) c->in_term = 0;
  }
  c->t->cache_reads = 0;
  *count = c->count + (c->t->nops > c->t->written ? c->t->nops - c->t->written : 0);
  return rc;
}

void fts5_counter_close(F5Counter *c) {
  if (!c) return;
  if (c->open) reader_free(&c->r);
  sqlite3_free(c->segs);
  sqlite3_free(c->key);
  sqlite3_free(c);
}

/* A raw read (fts5_term_doclist) takes the entries of the reader's page that lie whole on it, with one- or
** two-byte rowid differences and one-byte sizes, in one loop: each wanted one into ent and its poslist's bytes
** into pl, the others passed over with one comparison.  *took: how many entries it read; the entry after them is
** reader_next_entry's.  one: it returns after each wanted entry (the doclist has an index: the caller may find
** the next wanted row's leaf further on, rather than read the rest of this one). */
static int reader_take_raw(SegReader *r, const Tomb *tb, int age, sqlite3_uint64 term_hash, Entry **ent, int *nent,
                           int *ecap, F5Buf *pl, int one, int *took) {
  *took = 0;
  if (!r->in_doclist || r->rc != SQLITE_OK) return SQLITE_OK;
  const unsigned char *pg = r->page.p;
  int off = r->off, limit = r->next_t ? r->next_t : r->szleaf, first_off = get_u16(pg);
  int first = r->first_rowid, at = r->at, nonly = r->nonly, k = 0, rc = SQLITE_OK;
  const sqlite3_int64 *only = r->only;
  sqlite3_int64 rowid = r->rowid;
  if (only && at >= nonly) return SQLITE_OK;
  /* without a filter every rowid is wanted (none is below INT64_MIN) */
  sqlite3_int64 want = only ? only[at] : INT64_MIN;
  while (off + 2 <= limit) {
    /* a rowid (difference) of one or two bytes, then a one-byte size */
    unsigned b0 = pg[off], b1 = pg[off + 1], hdr = 2;
    if (b0 >= 0x80) {
      if (b1 >= 0x80 || off + 3 > limit) break;
      b0 = (b0 & 0x7F) << 7 | b1;
      b1 = pg[off + 2];
      hdr = 3;
    }
    if (b1 >= 0x80) break;
    int need = (int)(b1 >> 1), next = off + (int)hdr + need;
    if (next > limit) break;
    sqlite3_int64 rid = first || off == first_off ? (sqlite3_int64)b0 : rowid + b0;
    if (rid < want) { /* before the next row asked for */
      rowid = rid;
      first = 0;
      off = next;
      k++;
      continue;
    }
    if (only) {
      while (at < nonly && only[at] < rid) at++;
      if (at >= nonly) break; /* the caller stops before this entry */
      want = only[at];
    }
    if (!only || want == rid) {
      if (*nent >= *ecap && (rc = f5_grow(ent, ecap, *nent + 1, sizeof(Entry))) != SQLITE_OK) break;
      Entry *x = &(*ent)[(*nent)++];
      x->rowid = rid;
      x->term = term_hash;
      x->age = age;
      x->del = (int)(b1 & 1);
      x->ins = need > 0 && !tomb_has(tb, rid);
      x->hoff = pl->n;
      x->nh = need;
      f5_put(pl, pg + off + hdr, need);
    }
    rowid = rid;
    first = 0;
    off = next;
    k++;
    if (one && want == rid) break;
  }
  r->off = off;
  r->rowid = rowid;
  r->first_rowid = first;
  r->at = at;
  *took = k;
  return rc;
}

int fts5_term_doclist(Fts5Table *t, const char *term, int n, int prefix, const sqlite3_int64 *only, int nonly,
                      int raw, int hint, F5Doclist *out) {
  memset(out, 0, sizeof *out);
  /* raw: hoff and nh below count poslist bytes, not hits */
  out->raw = raw = raw && !prefix && t->detail == F5_DETAIL_FULL;
  if (only && nonly == 0) return SQLITE_OK;
  F5Seg *segs;
  int nseg;
  unsigned char *key;
  int rc = term_segments(t, term, n, &segs, &nseg, &key);
  if (rc != SQLITE_OK) return rc;
  int nkey = n + 1;
  Entry *ent = NULL;
  int nent = 0, ecap = 0;
  F5Buf hits = {0};
  if (only && hint > nonly) hint = nonly;
  if (hint > 0 && hint < (1 << 24)) {
    /* room for the rows counted, so that the arrays are not copied as they grow (most poslists of a raw read
    ** are a few bytes, a hit is 8) */
    if (f5_grow(&ent, &ecap, hint + 1, sizeof(Entry)) != SQLITE_OK ||
        !buf_reserve(&hits, (hint + 1) * (raw ? 4 : 2 * (int)sizeof(sqlite3_int64)))) {
      sqlite3_free(ent);
      f5_free(&hits);
      sqlite3_free(key);
      sqlite3_free(segs);
      return SQLITE_NOMEM;
    }
  }
  for (int si = 0; si < nseg && rc == SQLITE_OK; si++) {
    SegReader r;
    Tomb tb;
    rc = tomb_load(t, &segs[si], &tb);
    if (rc != SQLITE_OK) break;
    rc = reader_open(&r, t, &segs[si], key, nkey);
    while (rc == SQLITE_OK) {
      if (!reader_next_match(&r, key, nkey, prefix, &rc)) break;
      sqlite3_uint64 term_hash =
          term_hv_whole((const char *)r.term.p, r.term.n) * 2654435761ULL + (sqlite3_uint64)r.term.n;
      /* Only some rows wanted: the doclist's index (of the page's last term, when its doclist goes on past
      ** the page) tells the leaf of each, and the leaves between are not read. */
      DlIdx dx;
      memset(&dx, 0, sizeof dx);
      if (only && !r.next_t && r.pgno < r.last) rc = dlidx_open(&dx, t, r.segid, r.pgno, r.last);
      int e = 0, wi = 0, read = 0, looked = -1; /* looked: the wanted row whose leaf was last looked up */
      r.only = only;
      r.nonly = nonly;
      r.at = 0;
      r.skip_unwanted = 1;
      while (rc == SQLITE_OK) {
        if (only) {
          while (read && wi < nonly && only[wi] <= r.rowid) wi++;
          if (wi == nonly) {
            /* no wanted row is left: a prefix's next term is after the doclist's last indexed leaf */
            int leaf = 0;
            if (prefix && dx.height && (rc = dlidx_leaf(&dx, INT64_MAX, &leaf)) == SQLITE_OK && leaf > r.pgno)
              rc = reader_jump(&r, leaf);
            break;
          }
          /* the leaf of the next wanted row, looked up once per row: its entries are read up to it */
          int leaf = 0;
          if (dx.height && wi != looked && (rc = dlidx_leaf(&dx, only[wi], &leaf)) == SQLITE_OK && leaf > r.pgno)
            rc = reader_jump(&r, leaf);
          looked = wi;
          if (rc != SQLITE_OK) break;
        }
        if (raw) {
          int took;
          rc = reader_take_raw(&r, &tb, si, term_hash, &ent, &nent, &ecap, &hits, only && dx.height, &took);
          if (rc != SQLITE_OK) break;
          if (took) {
            read = 1;
            continue;
          }
        }
        if ((e = reader_next_entry(&r)) != 1) break;
        read = 1;
        if (!r.wanted) continue;
        if ((rc = f5_grow(&ent, &ecap, nent + 1, sizeof(Entry))) != SQLITE_OK) break;
        Entry *x = &ent[nent++];
        x->rowid = r.rowid;
        x->term = term_hash;
        x->age = si;
        x->del = r.del;
        /* a tombstone hides the row in this segment and every older one */
        x->ins = r.ins && !tomb_has(&tb, r.rowid);
        if (raw) {
          x->hoff = hits.n;
          f5_put(&hits, r.pl, r.npl);
          x->nh = r.npl;
          continue;
        }
        x->hoff = hits.n / (int)sizeof(sqlite3_int64);
        if (t->detail != F5_DETAIL_NONE) rc = poslist_hits(t, r.pl, r.npl, &hits);
        x->nh = hits.n / (int)sizeof(sqlite3_int64) - x->hoff;
        if (rc != SQLITE_OK) break;
      }
      dlidx_free(&dx);
      if (e < 0 && rc == SQLITE_OK) rc = r.rc;
      if (!prefix) break; /* the term's one doclist in this segment is read */
    }
    reader_free(&r);
    tomb_free(&tb);
  }
  sqlite3_free(segs);
  /* the changes not yet written, newest of all */
  Pending *pd = NULL;
  if (rc == SQLITE_OK) rc = pending_get(t, &pd);
  for (int ri = 0; pd && ri < pd->nrun && rc == SQLITE_OK; ri++) {
    Hash *h = &pd->run[ri];
    for (int k = 0; k < h->nslot && rc == SQLITE_OK; k++) {
      HEntry *he = prefix ? h->slot[k] : (k == 0 ? hash_find(h, (const char *)key, nkey) : NULL);
      if (!he) continue;
      if (prefix && !(he->nterm >= nkey && memcmp(he->term, key, (size_t)nkey) == 0)) continue;
      const unsigned char *p = he->dl.p, *end = he->dl.p + he->dl.n;
      int fat = 0;
      sqlite3_uint64 last = 0;
      while (p < end && rc == SQLITE_OK) {
        sqlite3_uint64 rowid = 0, sz = 0;
        int first = p == he->dl.p;
        p += f5_get_varint(p, end, &rowid);
        if (!first) rowid += last; /* the hash keeps differences after the first rowid */
        last = rowid;
        p += f5_get_varint(p, end, &sz);
        int np = t->detail == F5_DETAIL_NONE ? 0 : (int)(sz >> 1);
        if (only && !in_filter(only, nonly, &fat, (sqlite3_int64)rowid)) {
          p += np;
          continue;
        }
        if ((rc = f5_grow(&ent, &ecap, nent + 1, sizeof(Entry))) != SQLITE_OK) break;
        Entry *x = &ent[nent++];
        x->rowid = (sqlite3_int64)rowid;
        x->term = he->hv * 2654435761ULL + (sqlite3_uint64)he->nterm;
        x->age = nseg + ri;
        x->del = (int)(sz & 1);
        x->ins = t->detail == F5_DETAIL_NONE ? (int)(sz >> 1) : np > 0;
        if (raw) {
          x->hoff = hits.n;
          f5_put(&hits, p, np);
          x->nh = np;
        } else {
          x->hoff = hits.n / (int)sizeof(sqlite3_int64);
          if (np > 0) rc = poslist_hits(t, p, np, &hits);
          x->nh = hits.n / (int)sizeof(sqlite3_int64) - x->hoff;
        }
        p += np;
      }
    }
  }
  sqlite3_free(key);
  if (rc == SQLITE_OK && hits.oom) rc = SQLITE_NOMEM;
  if (rc == SQLITE_OK) {
    /* one term's segments of later rowids than the older ones' (most) gather sorted already */
    int sorted = 1;
    for (int i = 1; sorted && i < nent; i++) sorted = entry_cmp(&ent[i - 1], &ent[i]) <= 0;
    if (!sorted) qsort(ent, (size_t)nent, sizeof(Entry), entry_cmp);
    if (sorted && !prefix) {
      /* In gathering order, so no rowid twice (a row in two segments gathers the older first): the hits
      ** gathered become the doclist's, the deleted rows' taken out in place. */
      rc = doclist_take(out, ent, nent, &hits);
      nent = 0;
    }
    const sqlite3_int64 *h = (const sqlite3_int64 *)hits.p;
    F5Buf merged = {0};
    for (int i = 0; i < nent && rc == SQLITE_OK;) {
      /* the newest entry of each (term, rowid) decides; a prefix's terms are united */
      int j = i;
      merged.n = 0;
      int present = 0;
      while (j < nent && ent[j].rowid == ent[i].rowid) {
        j++;
      }
      if (!prefix) { /* the newest entry's hits go straight in */
        if (ent[i].ins)
          rc = raw ? doclist_add_raw(out, ent[i].rowid, hits.p + ent[i].hoff, ent[i].nh)
                   : f5_doclist_add(out, ent[i].rowid, h + ent[i].hoff, ent[i].nh);
        i = j;
        continue;
      } else {
        /* per term the newest entry decides; the prefix's terms are united */
        for (int k = i; k < j; k++) {
          if (k > i && ent[k].term == ent[k - 1].term) continue;
          if (!ent[k].ins) continue;
          present = 1;
          f5_put(&merged, h + ent[k].hoff, ent[k].nh * (int)sizeof(sqlite3_int64));
        }
      }
      if (present) {
        int nh = merged.n / (int)sizeof(sqlite3_int64);
        if (prefix && nh > 1) {
          sqlite3_int64 *a = (sqlite3_int64 *)merged.p;
          qsort(a, (size_t)nh, sizeof *a, hit_cmp);
          int u = 1;
          for (int k = 1; k < nh; k++)
            if (a[k] != a[u - 1]) a[u++] = a[k];
          nh = u;
        }
        rc = merged.oom ? SQLITE_NOMEM : f5_doclist_add(out, ent[i].rowid, (sqlite3_int64 *)merged.p, nh);
      }
      i = j;
    }
    f5_free(&merged);
  }
  sqlite3_free(ent);
  f5_free(&hits);
  if (rc != SQLITE_OK) f5_doclist_free(out);
  return rc;
}

/* ---- walking segments term by term --------------------------------------------------------------------------- */

/* One term's entries gathered from the segments being walked, the newest of
** each rowid kept. */
typedef struct WalkEntry {
  sqlite3_int64 rowid;
  int age, del, ins;
  int tomb;       /* its segment's tombstones delete it (and so every older version) */
  int poff, npos; /* bytes in the walk's buffer */
} WalkEntry;

typedef int (*WalkFn)(void *ctx, const unsigned char *term, int n, const WalkEntry *e, int ne,
                      const unsigned char *pos);

static int walk_cmp(const void *a, const void *b) {
  const WalkEntry *x = a, *y = b;
  if (x->rowid != y->rowid) return x->rowid < y->rowid ? -1 : 1;
  return y->age - x->age;
}

/* Calls fn for each term of segs (oldest first) in term order, with its
** entries by rowid, the newest of each rowid only; oldest drops deletions. */
static int walk_segments(Fts5Table *t, const F5Seg *segs, int nseg, int oldest, WalkFn fn, void *ctx) {
  SegReader *r = sqlite3_malloc64(sizeof(SegReader) * (sqlite3_uint64)(nseg ? nseg : 1));
  int *live = sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)(nseg ? nseg : 1));
  Tomb *tomb = sqlite3_malloc64(sizeof(Tomb) * (sqlite3_uint64)(nseg ? nseg : 1));
  if (!r || !live || !tomb) {
    sqlite3_free(r);
    sqlite3_free(live);
    sqlite3_free(tomb);
    return SQLITE_NOMEM;
  }
  memset(tomb, 0, sizeof(Tomb) * (size_t)(nseg ? nseg : 1));
  int rc = SQLITE_OK, opened = 0;
  for (int i = 0; i < nseg && rc == SQLITE_OK; i++, opened++) {
    rc = tomb_load(t, &segs[i], &tomb[i]);
    if (rc == SQLITE_OK) rc = reader_open(&r[i], t, &segs[i], NULL, 0);
    if (rc == SQLITE_OK && !r[i].eof) {
      int m = reader_next_term(&r[i]);
      live[i] = m > 0;
      if (m < 0) rc = r[i].rc;
    } else {
      live[i] = 0;
    }
  }
  WalkEntry *e = NULL;
  int ne = 0, ecap = 0;
  F5Buf pos = {0}, term = {0};
  while (rc == SQLITE_OK) {
    int best = -1;
    for (int i = 0; i < nseg; i++)
      if (live[i] && (best < 0 || term_cmp(r[i].term.p, r[i].term.n, r[best].term.p, r[best].term.n) < 0)) best = i;
    if (best < 0) break;
    term.n = 0;
    f5_put(&term, r[best].term.p, r[best].term.n);
    ne = 0;
    pos.n = 0;
    for (int i = 0; i < nseg && rc == SQLITE_OK; i++) {
      if (!live[i] || term_cmp(r[i].term.p, r[i].term.n, term.p, term.n) != 0) continue;
      int m;
      while ((m = reader_next_entry(&r[i])) == 1) {
        if ((rc = f5_grow(&e, &ecap, ne + 1, sizeof(WalkEntry))) != SQLITE_OK) break;
        WalkEntry *x = &e[ne++];
        x->rowid = r[i].rowid;
        x->age = i;
        x->del = r[i].del;
        x->ins = r[i].ins;
        x->tomb = tomb_has(&tomb[i], r[i].rowid);
        x->poff = pos.n;
        x->npos = r[i].npl;
        f5_put(&pos, r[i].pl, r[i].npl);
      }
      if (m < 0 && rc == SQLITE_OK) rc = r[i].rc;
      if (rc == SQLITE_OK) {
        m = reader_next_term(&r[i]);
        live[i] = m > 0;
        if (m < 0) rc = r[i].rc;
      }
    }
    if (rc == SQLITE_OK && (pos.oom || term.oom)) rc = SQLITE_NOMEM;
    if (rc != SQLITE_OK) break;
    /* segments of rowids that come after the older ones' (most, in a build) gather sorted already */
    int sorted = 1;
    for (int i = 1; sorted && i < ne; i++) sorted = walk_cmp(&e[i - 1], &e[i]) <= 0;
    if (!sorted) qsort(e, (size_t)ne, sizeof *e, walk_cmp);
    /* Per rowid the newest entry stands; it replaces older versions only
    ** if the oldest entry here did (its delete flag), so a deletion that
    ** meets the row's first insertion leaves nothing, as in SQLite. */
    int k = 0;
    for (int i = 0; i < ne;) {
      int j = i + 1;
      while (j < ne && e[j].rowid == e[i].rowid) j++;
      WalkEntry x = e[i];
      x.del = oldest ? 0 : e[j - 1].del;
      i = j;
      if (x.tomb) continue;
      if (!x.ins && (oldest || !x.del)) continue;
      e[k++] = x;
    }
    if (k > 0) rc = fn(ctx, term.p, term.n, e, k, pos.p);
  }
  for (int i = 0; i < opened; i++) {
    reader_free(&r[i]);
    tomb_free(&tomb[i]);
  }
  sqlite3_free(r);
  sqlite3_free(live);
  sqlite3_free(tomb);
  sqlite3_free(e);
  f5_free(&pos);
  f5_free(&term);
  return rc;
}

/* ---- writing segments ---------------------------------------------------------------------------------------- */

/* A merge's run of entries of one term (see run_room): how many it appended. */
static int writer_append_walked(SegWriter *w, const WalkEntry *e, int ne, const unsigned char *pos) {
  int room = run_room(w);
  if (!room) return 0;
  unsigned char *pg = w->page.p;
  int n = w->page.n, k = 0;
  sqlite3_int64 prev = w->prev_rowid;
  for (; k < ne; k++) {
    sqlite3_int64 rowid = e[k].rowid;
    int npl = e[k].npos;
    sqlite3_uint64 d = (sqlite3_uint64)(rowid - prev), sz = (sqlite3_uint64)npl * 2 + (sqlite3_uint64)e[k].del;
    if (rowid <= prev || d >= 0x4000 || sz >= 0x80) break;
    if (n + (d < 0x80 ? 1 : 2) + 1 + npl >= room) break;
    n = run_put(pg, n, d, (unsigned)sz, pos + e[k].poff, npl);
    prev = rowid;
  }
  w->page.n = n;
  w->prev_rowid = prev;
  return k;
}

static int write_walked(void *ctx, const unsigned char *term, int n, const WalkEntry *e, int ne,
                        const unsigned char *pos) {
  SegWriter *w = ctx;
  if (w->limit >= 0 && w->nleaf > w->limit) {
    w->stop.n = 0;
    f5_put(&w->stop, term, n);
    return w->stop.oom ? SQLITE_NOMEM : SQLITE_DONE;
  }
  writer_term(w, term, n);
  int run = w->t->detail != F5_DETAIL_NONE;
  for (int i = 0; i < ne;) {
    int k = run ? writer_append_walked(w, e + i, ne - i, pos) : 0;
    if (k > 0) {
      i += k;
      continue;
    }
    writer_entry(w, e[i].rowid, e[i].del, e[i].ins, pos + e[i].poff, e[i].npos);
    i++;
  }
  return w->rc;
}

static int seg_drop(Fts5Table *t, int segid) {
  int rc = data_delete_range(t, FTS5_SEGMENT_ROWID(segid, 0), FTS5_SEGMENT_ROWID(segid + 1, 0) - 1);
  if (rc == SQLITE_OK) rc = tomb_drop(t, segid);
  if (rc != SQLITE_OK) return rc;
  sqlite3_stmt *s = fts5_stmt(t, F5ST_IDX_DELETE_SEG, &rc);
  if (!s) return rc;
  sqlite3_bind_int(s, 1, segid);
  sqlite3_step(s);
  return sqlite3_reset(s);
}

static int seg_size(const F5Seg *g) { return 1 + g->last - g->first; }

/* Moves segments of the levels above ip no larger than sz into level ip,
** oldest there, as SQLite does after a flush or merge. */
static int promote_to(F5Struct *st, int ip, int sz) {
  F5Level *out = &st->lvl[ip];
  if (out->nmerge) return SQLITE_OK;
  for (int il = ip + 1; il < st->nlevel; il++) {
    F5Level *l = &st->lvl[il];
    if (l->nmerge) return SQLITE_OK;
    for (int is = l->nseg - 1; is >= 0; is--) {
      if (seg_size(&l->seg[is]) > sz) return SQLITE_OK;
      F5Seg *g = sqlite3_realloc64(out->seg, sizeof(F5Seg) * (sqlite3_uint64)(out->nseg + 1));
      if (!g) return SQLITE_NOMEM;
      out->seg = g;
      memmove(&out->seg[1], &out->seg[0], sizeof(F5Seg) * (size_t)out->nseg);
      out->seg[0] = l->seg[is];
      out->nseg++;
      l->nseg--;
    }
  }
  return SQLITE_OK;
}

/* The newest segment of level lvl, and what is as small above it, move to
** the nearest lower level holding a segment at least as large, else gather
** on lvl. */
static int promote(F5Struct *st, int lvl) {
  if (lvl >= st->nlevel || st->lvl[lvl].nseg == 0) return SQLITE_OK;
  int sz = seg_size(&st->lvl[lvl].seg[st->lvl[lvl].nseg - 1]);
  int it = lvl - 1;
  while (it >= 0 && st->lvl[it].nseg == 0) it--;
  if (it >= 0) {
    int mx = 0;
    for (int i = 0; i < st->lvl[it].nseg; i++)
      if (seg_size(&st->lvl[it].seg[i]) > mx) mx = seg_size(&st->lvl[it].seg[i]);
    if (mx >= sz) return promote_to(st, it, mx);
  }
  return promote_to(st, lvl, sz);
}

/* Rewrites seg to start at its first term >= stop (a merge took what is
** before): pages before that term's page go, and that page is written again
** beginning with the term in full; a segment with no such term keeps no
** pages (0..0) until the merge ends. */
static int seg_trim(Fts5Table *t, F5Seg *seg, const unsigned char *stop, int nstop) {
  SegReader r;
  int rc = reader_open(&r, t, seg, stop, nstop);
  int m = 0;
  while (rc == SQLITE_OK) {
    m = reader_next_term(&r);
    if (m < 0) rc = r.rc;
    if (m <= 0 || term_cmp(r.term.p, r.term.n, stop, nstop) >= 0) break;
  }
  if (rc == SQLITE_OK && m == 0) {
    seg->first = seg->last = 0;
  } else if (rc == SQLITE_OK) {
    F5Buf b = {0};
    f5_put(&b, "\0\0\0\0", 4);
    f5_varint(&b, (sqlite3_uint64)r.term.n);
    f5_put(&b, r.term.p, r.term.n);
    int shift = b.n - r.off;
    f5_put(&b, r.page.p + r.off, r.szleaf - r.off);
    if (!b.oom) put_u16(b.p + 2, b.n);
    f5_varint(&b, 4);
    if (r.next_t) {
      f5_varint(&b, (sqlite3_uint64)(r.next_t + shift - 4));
      /* the differences after that entry stay as they are */
      f5_put(&b, r.page.p + r.pgidx, r.page.n - r.pgidx);
    }
    rc = b.oom ? SQLITE_NOMEM
               : data_delete_range(t, FTS5_SEGMENT_ROWID(seg->segid, 1), FTS5_SEGMENT_ROWID(seg->segid, r.pgno));
    if (rc == SQLITE_OK) rc = data_write(t, FTS5_SEGMENT_ROWID(seg->segid, r.pgno), b.p, b.n);
    seg->first = r.pgno;
    f5_free(&b);
  }
  reader_free(&r);
  return rc;
}

/* The smallest first term of n segments (a merge's trimmed inputs). */
static int inputs_first_term(Fts5Table *t, const F5Seg *segs, int n, F5Buf *term) {
  int rc = SQLITE_OK;
  term->n = 0;
  int have = 0;
  for (int i = 0; i < n && rc == SQLITE_OK; i++) {
    SegReader r;
    rc = reader_open(&r, t, &segs[i], NULL, 0);
    int m = rc == SQLITE_OK && !r.eof ? reader_next_term(&r) : 0;
    if (m < 0) rc = r.rc;
    if (m > 0 && (!have || term_cmp(r.term.p, r.term.n, term->p, term->n) < 0)) {
      term->n = 0;
      f5_put(term, r.term.p, r.term.n);
      have = 1;
    }
    reader_free(&r);
  }
  return rc == SQLITE_OK && term->oom ? SQLITE_NOMEM : rc;
}

/* Merges level lvl's segments (or goes on with the merge in progress there)
** into a segment at the end of level lvl + 1; with nrem, stops before a
** term once more than *nrem leaves are written, keeping the rest of the
** inputs for the next step, and takes what it wrote from *nrem. */
static int merge_step(Fts5Table *t, F5Struct *st, int lvl, int *nrem) {
  if (lvl + 1 >= FTS5_MAX_LEVELS) return SQLITE_OK;
  if (st->nlevel < lvl + 2) st->nlevel = lvl + 2;
  F5Level *in = &st->lvl[lvl], *out = &st->lvl[lvl + 1];
  int ninput, rc = SQLITE_OK;
  SegWriter w;
  if (in->nmerge) {
    ninput = in->nmerge;
    if (out->nseg == 0) return SQLITE_CORRUPT_VTAB;
    writer_init(&w, t, out->seg[out->nseg - 1].segid);
    w.pgno = out->seg[out->nseg - 1].last + 1;
    /* SQLite resumes with the inputs' first term as the writer's last one:
    ** the next page's %_idx key is told from it */
    rc = inputs_first_term(t, in->seg, ninput, &w.term);
    if (rc != SQLITE_OK) {
      writer_finish(&w, &ninput);
      return rc;
    }
  } else {
    ninput = in->nseg;
    int segid = struct_new_segid(st);
    if (!segid) return SQLITE_FULL;
    F5Seg g = {segid, 1, 0, 0, 0, 0, 0, 0};
    if (st->v2 && in->nseg > 0) {
      g.o1 = in->seg[0].o1;
      g.o2 = in->seg[in->nseg - 1].o2;
    }
    if ((rc = struct_add_seg(st, lvl + 1, g)) != SQLITE_OK) return rc;
    in = &st->lvl[lvl];
    out = &st->lvl[lvl + 1];
    writer_init(&w, t, segid);
  }
  w.merging = 1;
  if (nrem) w.limit = *nrem;
  int oldest = out->nseg == 1 && st->nlevel == lvl + 2;
  rc = walk_segments(t, in->seg, ninput, oldest, write_walked, &w);
  int paused = rc == SQLITE_DONE;
  if (paused) rc = SQLITE_OK;
  if (rc != SQLITE_OK && w.rc == SQLITE_OK) w.rc = rc;
  int last;
  F5Buf stop = w.stop;
  memset(&w.stop, 0, sizeof w.stop);
  rc = writer_finish(&w, &last);
  int nleaf = w.nleaf; /* the last, partial leaf counts too */
  F5Seg *o = &out->seg[out->nseg - 1];
  if (last > o->last) o->last = last;
  if (rc == SQLITE_OK && paused) {
    for (int i = 0; rc == SQLITE_OK && i < ninput; i++) rc = seg_trim(t, &in->seg[i], stop.p, stop.n);
    in->nmerge = ninput;
  } else if (rc == SQLITE_OK) {
    for (int i = 0; rc == SQLITE_OK && i < ninput; i++) {
      o->nent += in->seg[i].nent - in->seg[i].nentdel;
      rc = seg_drop(t, in->seg[i].segid);
    }
    memmove(&in->seg[0], &in->seg[ninput], sizeof(F5Seg) * (size_t)(in->nseg - ninput));
    in->nseg -= ninput;
    in->nmerge = 0;
    if (o->last == 0) out->nseg--;
  }
  f5_free(&stop);
  if (nrem) *nrem -= nleaf;
  return rc;
}

/* contentless_delete: the level (up to the first with a merge in progress)
** where deleted rows are the largest share of its rows, at least
** deletemerge percent; -1 when none is. */
static int delete_merge_level(Fts5Table *t, const F5Struct *st) {
  if (!t->contentless_delete || t->deletemerge <= 0) return -1;
  int best = -1;
  sqlite3_uint64 bestpct = 0;
  for (int i = 0; i < st->nlevel; i++) {
    sqlite3_uint64 nent = 0, ndel = 0;
    for (int j = 0; j < st->lvl[i].nseg; j++) {
      nent += st->lvl[i].seg[j].nent;
      ndel += st->lvl[i].seg[j].nentdel;
    }
    if (nent > 0) {
      sqlite3_uint64 pct = ndel * 100 / nent;
      if (pct >= (sqlite3_uint64)t->deletemerge && pct > bestpct) {
        best = i;
        bestpct = pct;
      }
    }
    if (st->lvl[i].nmerge) break;
  }
  return best;
}

/* Merges up to npages leaves of work from the level with the most segments
** (at least nmin) or the one whose merge is in progress; *did says whether any ran. */
static int index_merge(Fts5Table *t, F5Struct *st, int npages, int nmin, int *did) {
  int rc = SQLITE_OK, nrem = npages;
  while (rc == SQLITE_OK && nrem > 0) {
    int best = 0, nbest = 0;
    for (int il = 0; il < st->nlevel; il++) {
      F5Level *l = &st->lvl[il];
      if (l->nmerge) {
        if (l->nmerge > nbest) {
          best = il;
          nbest = nmin;
        }
        break;
      }
      if (l->nseg > nbest) {
        nbest = l->nseg;
        best = il;
      }
    }
    if (st->nlevel > 0 && nbest < nmin && st->lvl[best].nmerge == 0) {
      int lvl = delete_merge_level(t, st);
      if (lvl >= 0) {
        best = lvl;
        nbest = nmin;
      }
    }
    if (st->nlevel == 0 || (nbest < nmin && st->lvl[best].nmerge == 0)) break;
    if (did) *did = 1;
    rc = merge_step(t, st, best, &nrem);
    if (rc == SQLITE_OK && st->lvl[best].nmerge == 0) rc = promote(st, best + 1);
  }
  return rc;
}

/* After a flush of nleaf leaves: automerge's share of work (64 leaves of
** merging per 64 written, per level), then any level holding crisismerge
** segments merged whole. */
static int merge_policy(Fts5Table *t, F5Struct *st, int nleaf) {
  int rc = SQLITE_OK;
  if (t->automerge > 0) {
    sqlite3_uint64 before = st->nwrite;
    int nwork = (int)((before + (sqlite3_uint64)nleaf) / 64 - before / 64);
    st->nwrite += (sqlite3_uint64)nleaf;
    rc = index_merge(t, st, 64 * nwork * st->nlevel, t->automerge, NULL);
  }
  for (int il = 0; rc == SQLITE_OK && il < st->nlevel && st->lvl[il].nseg >= t->crisismerge; il++) {
    rc = merge_step(t, st, il, NULL);
    if (rc == SQLITE_OK) rc = promote(st, il + 1);
  }
  return rc;
}

/* A flush's terms are sorted on their first 8 bytes as one big-endian integer (zero-padded), the rest compared
** only where those are the same: most comparisons are one of integers, inline, where qsort called a comparison
** and memcmp for each. */
typedef struct TermKey {
  sqlite3_uint64 k;
  HEntry *e;
} TermKey;

static sqlite3_uint64 term_key8(const HEntry *e) {
  sqlite3_uint64 k = 0;
  for (int i = 0; i < 8; i++) k = k << 8 | (i < e->nterm ? (unsigned char)e->term[i] : 0);
  return k;
}

static inline int term_less(const TermKey *a, const TermKey *b) {
  if (a->k != b->k) return a->k < b->k;
  return term_cmp((const unsigned char *)a->e->term, a->e->nterm, (const unsigned char *)b->e->term,
                  b->e->nterm) < 0;
}

/* Sorts a[0..n) (distinct terms) by merges, tmp holding n / 2 keys. */
static void terms_sort(TermKey *a, TermKey *tmp, int n) {
  if (n <= 12) {
    for (int i = 1; i < n; i++) {
      TermKey x = a[i];
      int j = i;
      for (; j > 0 && term_less(&x, &a[j - 1]); j--) a[j] = a[j - 1];
      a[j] = x;
    }
    return;
  }
  int h = n / 2;
  terms_sort(a, tmp, h);
  terms_sort(a + h, tmp, n - h);
  if (!term_less(&a[h], &a[h - 1])) return;
  memcpy(tmp, a, sizeof *a * (size_t)h);
  /* the left half from tmp, the right in place: the merged run never overtakes the right half's next key */
  int i = 0, j = h, k = 0;
  while (i < h && j < n) a[k++] = term_less(&a[j], &tmp[i]) ? a[j++] : tmp[i++];
  while (i < h) a[k++] = tmp[i++];
}

/* ---- secure-delete: a deleted row's entry cut out of the segment that holds it ------------------------------ */

/* Forgets the %_idx row of leaf pgno of segment segid (a secure-delete took its last term away), so that no
** trace of a term deleted everywhere is left; the first leaf's row, whose term is '', stays. */
static int idx_forget_page(Fts5Table *t, int segid, int pgno) {
  reads_changing(t);
  if (pgno == 1) return SQLITE_OK;
  char *sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_idx\" WHERE segid=?1 AND (pgno>>1)=?2", t->zdb, t->zname);
  sqlite3_stmt *s = NULL;
  int rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_int(s, 1, segid);
  sqlite3_bind_int(s, 2, pgno);
  sqlite3_step(s);
  return sqlite3_finalize(s);
}

/* Reads leaf pgno of segid: its bytes in b and its leaf size in *szleaf. */
static int sd_read_leaf(Fts5Table *t, int segid, int pgno, F5Buf *b, int *szleaf) {
  int found;
  int rc = data_read(t, FTS5_SEGMENT_ROWID(segid, pgno), b, &found);
  if (rc != SQLITE_OK) return rc;
  if (!found || b->n < 4) return SQLITE_CORRUPT_VTAB;
  *szleaf = get_u16(b->p + 2);
  if (*szleaf < 4 || *szleaf > b->n) return SQLITE_CORRUPT_VTAB;
  return SQLITE_OK;
}

/* A page footer decoded: the absolute offsets of the terms that start on the leaf. */
static int sd_footer(const F5Buf *b, int szleaf, int **keys, int *nkeys) {
  *keys = NULL;
  *nkeys = 0;
  int cap = 0;
  sqlite3_uint64 acc = 0;
  const unsigned char *p = b->p + szleaf, *end = b->p + b->n;
  while (p < end) {
    sqlite3_uint64 v;
    int k = f5_get_varint(p, end, &v);
    if (!k) return SQLITE_CORRUPT_VTAB;
    p += k;
    acc += v;
    if (acc >= (sqlite3_uint64)szleaf) return SQLITE_CORRUPT_VTAB;
    if (f5_grow(keys, &cap, *nkeys + 1, sizeof(int)) != SQLITE_OK) return SQLITE_NOMEM;
    (*keys)[(*nkeys)++] = (int)acc;
  }
  return SQLITE_OK;
}

/* The deleted entry's poslist went on past its leaf: cuts its rest from the leaves after (from pgno), each
** leaf holding nothing else left empty.  *last_in_doclist: no rowid of the doclist followed on them. */
static int sd_overflow(Fts5Table *t, int segid, int seglast, int pgno, int *last_in_doclist) {
  static const unsigned char empty[4] = {0, 0, 0, 4};
  F5Buf b = {0}, out = {0};
  int rc = SQLITE_OK;
  *last_in_doclist = 1;
  for (; pgno <= seglast && rc == SQLITE_OK; pgno++) {
    int szleaf;
    if ((rc = sd_read_leaf(t, segid, pgno, &b, &szleaf)) != SQLITE_OK) break;
    int next = get_u16(b.p);
    if (next) *last_in_doclist = 0;
    sqlite3_uint64 first = 0;
    int k = 0;
    if (!next && szleaf < b.n) {
      if (!(k = f5_get_varint(b.p + szleaf, b.p + b.n, &first))) {
        rc = SQLITE_CORRUPT_VTAB;
        break;
      }
      next = first > 0xFFFF ? 0xFFFF : (int)first;
    }
    if (!next) {
      /* nothing but the poslist's bytes: the leaf is left empty and the poslist goes on after it */
      if (t->detail != F5_DETAIL_NONE) rc = data_write(t, FTS5_SEGMENT_ROWID(segid, pgno), empty, 4);
      continue;
    }
    if (t->detail == F5_DETAIL_NONE) break;
    if (next >= szleaf || next < 4) {
      rc = SQLITE_CORRUPT_VTAB;
      break;
    }
    int shift = next - 4;
    out.n = 0;
    f5_put(&out, b.p, 4);
    f5_put(&out, b.p + 4 + shift, szleaf - 4 - shift);
    put_u16(out.p + 2, out.n);
    if (get_u16(out.p)) put_u16(out.p, 4);
    if (szleaf < b.n) {
      if (!k && !(k = f5_get_varint(b.p + szleaf, b.p + b.n, &first))) {
        rc = SQLITE_CORRUPT_VTAB;
        break;
      }
      if (first < (sqlite3_uint64)next) {
        rc = SQLITE_CORRUPT_VTAB;
        break;
      }
      f5_varint(&out, first - (sqlite3_uint64)shift);
      f5_put(&out, b.p + szleaf + k, b.n - szleaf - k);
    }
    rc = out.oom ? SQLITE_NOMEM : data_write(t, FTS5_SEGMENT_ROWID(segid, pgno), out.p, out.n);
    break;
  }
  f5_free(&b);
  f5_free(&out);
  return rc;
}

/* The deleted entry was its doclist's last and began a leaf after its term's: when every leaf between is
** empty and the term ends its own leaf, the term goes too. */
static int sd_drop_lone_term(Fts5Table *t, int segid, const SegReader *r) {
  F5Buf b = {0};
  int rc = SQLITE_OK, pg, szleaf;
  for (pg = r->ent_pg - 1; pg > r->term_pg && rc == SQLITE_OK; pg--) {
    int found;
    rc = data_read(t, FTS5_SEGMENT_ROWID(segid, pg), &b, &found);
    if (rc == SQLITE_OK && !(found && b.n == 4)) break;
  }
  if (rc == SQLITE_OK && pg == r->term_pg && (rc = sd_read_leaf(t, segid, pg, &b, &szleaf)) == SQLITE_OK &&
      szleaf == r->term_doc) {
    /* the footer without its last offset, which is the term's */
    const unsigned char *p = b.p + szleaf, *end = b.p + b.n;
    sqlite3_uint64 acc = 0;
    int keep = 0;
    while (p < end) {
      sqlite3_uint64 v;
      int k = f5_get_varint(p, end, &v);
      if (!k) return f5_free(&b), SQLITE_CORRUPT_VTAB;
      acc += v;
      if (p + k >= end) break;
      p += k;
      keep += k;
    }
    if (acc > (sqlite3_uint64)szleaf || b.n == szleaf) {
      rc = SQLITE_CORRUPT_VTAB;
    } else {
      int at = (int)acc;
      memmove(b.p + at, b.p + szleaf, (size_t)keep);
      put_u16(b.p + 2, at);
      rc = data_write(t, FTS5_SEGMENT_ROWID(segid, pg), b.p, at + keep);
      if (rc == SQLITE_OK && keep == 0) rc = idx_forget_page(t, segid, pg);
    }
  }
  f5_free(&b);
  return rc;
}

/* Cuts the entry reader r stands on out of its leaf (segment segid, last leaf seglast): the rowid that follows
** takes over its rowid delta; a doclist left empty takes its term with it, the next term on the leaf written
** in its place with the prefix it then shares.  A deleted entry (a delete marker) stays as a bare marker. */
static int sd_cut_entry(Fts5Table *t, int segid, int seglast, const SegReader *r) {
  F5Buf pg = {0}, rep = {0}, out = {0};
  int *keys = NULL, nkeys = 0, szleaf = 0;
  int rc = sd_read_leaf(t, segid, r->ent_pg, &pg, &szleaf);
  if (rc == SQLITE_OK) rc = sd_footer(&pg, szleaf, &keys, &nkeys);
  sqlite3_uint64 delta = 0;
  int S = r->ent_start;
  if (rc == SQLITE_OK && (S < 4 || S >= szleaf || !f5_get_varint(pg.p + S, pg.p + szleaf, &delta)))
    rc = SQLITE_CORRUPT_VTAB;
  if (rc != SQLITE_OK) goto done;
  sqlite3_int64 N = (sqlite3_int64)r->ent_pos + (t->detail == F5_DETAIL_NONE ? 0 : r->ent_npos);
  int last_in_doclist = 0;
  if (N >= szleaf) {
    if ((rc = sd_overflow(t, segid, seglast, r->ent_pg + 1, &last_in_doclist)) != SQLITE_OK) goto done;
    N = szleaf;
  }
  int next = (int)N;
  if (!r->del) {
    for (int i = 0; i < nkeys && next != szleaf; i++)
      if (keys[i] == next) last_in_doclist = 1;
    if (get_u16(pg.p) == S && (last_in_doclist || next == szleaf)) put_u16(pg.p, 0);
  }
  int at = S, dropkey = 0;
  if (r->del) {
    f5_varint(&rep, delta);
    f5_put(&rep, "\x01", 1);
  } else if (!last_in_doclist) {
    if (next != szleaf) {
      sqlite3_uint64 nd;
      int k = f5_get_varint(pg.p + next, pg.p + szleaf, &nd);
      if (!k) {
        rc = SQLITE_CORRUPT_VTAB;
        goto done;
      }
      next += k;
      f5_varint(&rep, delta + nd);
    }
  } else if (r->ent_pg == r->term_pg && S == r->term_doc) {
    /* the term's only entry: the term goes, the last term starting at or before the entry */
    int ki = -1;
    for (int i = 0; i < nkeys && keys[i] <= S; i++) ki = i;
    if (ki < 0) {
      rc = SQLITE_CORRUPT_VTAB;
      goto done;
    }
    at = dropkey = keys[ki];
    if (next != szleaf) {
      sqlite3_uint64 pre1 = 0, suf1 = 0, pre2 = 0, suf2 = 0;
      int k1 = 0, k2, k3, k4;
      dropkey = next;
      k2 = f5_get_varint(pg.p + next, pg.p + szleaf, &pre2);
      k3 = k2 ? f5_get_varint(pg.p + next + k2, pg.p + szleaf, &suf2) : 0;
      int koff = at;
      if (ki > 0 && !(k1 = f5_get_varint(pg.p + koff, pg.p + szleaf, &pre1))) k3 = 0;
      koff += k1;
      k4 = k3 ? f5_get_varint(pg.p + koff, pg.p + szleaf, &suf1) : 0;
      if (!k4) {
        rc = SQLITE_CORRUPT_VTAB;
        goto done;
      }
      koff += k4;
      next += k2 + k3;
      sqlite3_uint64 npre = pre1 < pre2 ? pre1 : pre2;
      sqlite3_uint64 nsuf = pre2 + suf2 - npre;
      if ((sqlite3_uint64)koff + nsuf > (sqlite3_uint64)szleaf || (sqlite3_uint64)next + suf2 > (sqlite3_uint64)szleaf ||
          pre2 > (sqlite3_uint64)r->term.n) {
        rc = SQLITE_CORRUPT_VTAB;
        goto done;
      }
      if (ki > 0) f5_varint(&rep, npre);
      f5_varint(&rep, nsuf);
      if (pre2 > npre) f5_put(&rep, r->term.p + npre, (int)(pre2 - npre));
      f5_put(&rep, pg.p + next, (int)suf2);
      next += (int)suf2;
    }
  } else if (S == 4) {
    if ((rc = sd_drop_lone_term(t, segid, r)) != SQLITE_OK) goto done;
  }
  /* the leaf: what comes before the entry, the replacement, the rest; then the footer's offsets, those past
  ** the replacement moved back */
  f5_put(&out, pg.p, at);
  f5_put(&out, rep.p, rep.n);
  int end_rep = out.n, shift = next - end_rep;
  f5_put(&out, pg.p + next, szleaf - next);
  int newsz = out.n, prev = 0;
  put_u16(out.p + 2, newsz);
  for (int i = 0; i < nkeys; i++) {
    if (keys[i] == dropkey) continue;
    int k = keys[i] > end_rep ? keys[i] - shift : keys[i];
    f5_varint(&out, (sqlite3_uint64)(k - prev));
    prev = k;
  }
  if (out.oom || rep.oom) {
    rc = SQLITE_NOMEM;
    goto done;
  }
  if (newsz == out.n && nkeys > 0) rc = idx_forget_page(t, segid, r->ent_pg);
  if (rc == SQLITE_OK) rc = data_write(t, FTS5_SEGMENT_ROWID(segid, r->ent_pg), out.p, out.n);
done:
  sqlite3_free(keys);
  f5_free(&pg);
  f5_free(&rep);
  f5_free(&out);
  return rc;
}

/* Removes the entry of (key, rowid) from the newest segment of st that has one.  The first secure-delete
** of a table sets %_config's version to 5 (older readers must not take the edited leaves for corrupt) and
** so changes the configuration cookie. */
static int sd_delete(Fts5Table *t, F5Struct *st, const unsigned char *key, int nkey, sqlite3_int64 rowid) {
  int rc = SQLITE_OK;
  if (t->version != FTS5_SECURE_DELETE_VERSION) {
    char *sql = sqlite3_mprintf("REPLACE INTO \"%w\".\"%w_config\" VALUES('version', %d)", t->zdb, t->zname,
                                FTS5_SECURE_DELETE_VERSION);
    rc = sql ? sqlite3_exec(t->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK) return rc;
    t->version = FTS5_SECURE_DELETE_VERSION;
    st->cookie++;
  }
  F5Seg *segs = NULL;
  int nseg = 0, done = 0;
  if ((rc = segs_by_age(st, &segs, &nseg)) != SQLITE_OK) return rc;
  for (int si = nseg - 1; si >= 0 && rc == SQLITE_OK && !done; si--) {
    SegReader r;
    rc = reader_open(&r, t, &segs[si], key, nkey);
    r.skip_pos = 1;
    while (rc == SQLITE_OK) {
      if (!reader_next_match(&r, key, nkey, 0, &rc)) break;
      int e;
      while ((e = reader_next_entry(&r)) == 1 && r.rowid < rowid) {
      }
      if (e < 0) rc = r.rc;
      if (e == 1 && r.rowid == rowid) {
        rc = sd_cut_entry(t, segs[si].segid, segs[si].last, &r);
        done = 1;
      }
      break;
    }
    reader_free(&r);
  }
  sqlite3_free(segs);
  return rc;
}

/* Ends a flush that wrote no segment but followed contentless deletes:
** each delete counts as a leaf written toward merge work, as in SQLite. */
static int write_deletes_only(Fts5Table *t, int ndel) {
  F5Struct st;
  int rc = struct_read(t, &st);
  if (rc == SQLITE_OK) rc = merge_policy(t, &st, ndel);
  if (rc == SQLITE_OK) rc = struct_write(t, &st);
  struct_free(&st);
  return rc;
}

/* Writes the hash as a new level-0 segment holding nins rows (its origin in
** *origin), ndel contentless deletes since the last flush counting toward
** merge work. */
static int write_hash(Fts5Table *t, Hash *h, int ndel, int nins, sqlite3_uint64 *origin) {
  *origin = 0;
  if (h->n == 0) return ndel > 0 ? write_deletes_only(t, ndel) : SQLITE_OK;
  /* the keys, then room for the sort's merges */
  TermKey *a = sqlite3_malloc64(sizeof(TermKey) * ((sqlite3_uint64)h->n + (sqlite3_uint64)h->n / 2 + 1));
  if (!a) return SQLITE_NOMEM;
  int n = 0;
  for (int i = 0; i < h->nslot; i++)
    if (h->slot[i]) {
      hash_entry_close(h->slot[i], t->detail);
      a[n].e = h->slot[i];
      a[n].k = term_key8(h->slot[i]);
      n++;
    }
  terms_sort(a, a + n, n);
  F5Struct st;
  int rc = struct_read(t, &st);
  int segid = rc == SQLITE_OK ? struct_new_segid(&st) : 0;
  if (rc == SQLITE_OK && !segid) rc = SQLITE_FULL;
  if (rc == SQLITE_OK) {
    SegWriter w;
    writer_init(&w, t, segid);
    for (int i = 0; i < n && w.rc == SQLITE_OK; i++) {
      HEntry *e = a[i].e;
      if (e->dl.oom) {
        w.rc = SQLITE_NOMEM;
        break;
      }
      /* secure-delete: a term is written with its first entry kept, none when every entry was a delete */
      int termed = !t->secure_delete;
      if (termed) writer_term(&w, (const unsigned char *)e->term, e->nterm);
      const unsigned char *p = e->dl.p, *end = e->dl.p + e->dl.n;
      int run = !t->secure_delete && t->detail != F5_DETAIL_NONE;
      sqlite3_uint64 last = 0; /* the rowid before (the hash keeps differences after the first) */
      while (p < end && w.rc == SQLITE_OK) {
        if (run && p != e->dl.p) {
          const unsigned char *q = writer_append_run(&w, p, end);
          if (q != p) {
            p = q;
            last = (sqlite3_uint64)w.prev_rowid;
            continue;
          }
        }
        sqlite3_uint64 rowid = 0, sz = 0;
        int first = p == e->dl.p;
        p += f5_get_varint(p, end, &rowid);
        if (!first) rowid += last;
        last = rowid;
        const unsigned char *szp = p;
        /* most sizes are one byte */
        if (p < end && *p < 0x80)
          sz = *p++;
        else
          p += f5_get_varint(p, end, &sz);
        int del = (int)(sz & 1), np = t->detail == F5_DETAIL_NONE ? 0 : (int)(sz >> 1);
        if (!t->secure_delete && t->detail != F5_DETAIL_NONE) {
          if (writer_append_short(&w, (sqlite3_int64)rowid, szp, (int)(p - szp), p, np)) {
            p += np;
            continue;
          }
          /* the size and poslist as writer_entry would assemble them */
          writer_rowid(&w, (sqlite3_int64)rowid);
          writer_poslist(&w, szp, (int)(p - szp) + np);
          p += np;
          continue;
        }
        if (t->secure_delete && del) {
          /* the delete edits the older segments instead of being written; a row written again after it is
          ** written as new */
          if ((w.rc = sd_delete(t, &st, (const unsigned char *)e->term, e->nterm, (sqlite3_int64)rowid)) != SQLITE_OK)
            break;
          if (t->detail == F5_DETAIL_NONE) {
            /* (SQLite 3.53 ends the term's doclist after a row written again here, losing the rows after
            ** it from the index; Lode writes them, so its bytes differ from SQLite's in that case.) */
            if (!(sz >> 1)) continue;
          } else if (np == 0) {
            continue;
          }
          del = 0;
        }
        if (!termed) {
          writer_term(&w, (const unsigned char *)e->term, e->nterm);
          termed = 1;
        }
        if (t->secure_delete && (sz & 1) && t->detail != F5_DETAIL_NONE) {
          /* SQLite writes the new size first and fits only the poslist to the page */
          writer_rowid(&w, (sqlite3_int64)rowid);
          f5_varint(&w.page, (sqlite3_uint64)np * 2);
          writer_poslist(&w, p, np);
          p += np;
          continue;
        }
        writer_entry(&w, (sqlite3_int64)rowid, del, t->detail == F5_DETAIL_NONE ? (int)(sz >> 1) : np > 0, p, np);
        p += np;
      }
    }
    int last, nleaf;
    nleaf = w.nleaf;
    rc = writer_finish(&w, &last);
    nleaf = last;
    (void)nleaf;
    if (rc == SQLITE_OK && last > 0) {
      F5Seg seg = {segid, 1, last, 0, 0, 0, 0, 0};
      if (st.v2) {
        seg.o1 = seg.o2 = *origin = st.norigin++;
        seg.nent = (sqlite3_uint64)nins;
      }
      rc = struct_add_seg(&st, 0, seg);
      if (rc == SQLITE_OK) rc = promote(&st, 0);
    }
    if (rc == SQLITE_OK) rc = merge_policy(t, &st, last + ndel);
    if (rc == SQLITE_OK) rc = struct_write(t, &st);
  }
  struct_free(&st);
  sqlite3_free(a);
  return rc;
}

/* Adds a logged column's tokens (the bytes p[0..n)) to the hash. */
static int replay_tokens(HashCtx *hc, const unsigned char *p, int n) {
  const unsigned char *end = p + n;
  int rc = SQLITE_OK;
  if (hc->t->nprefix == 0) {
    /* no prefix index: each token straight to hash_add, one position after the last unless colocated */
    while (p < end && !hc->h->oom) {
      sqlite3_uint64 h = 0;
      if (p[0] < 0x80) {
        h = *p++;
      } else {
        int k = f5_get_varint(p, end, &h);
        if (!k) return SQLITE_CORRUPT_VTAB;
        p += k;
      }
      int len = (int)(h >> 1);
      hc->pos -= (int)(h & 1);
      hash_add(hc, FTS5_MAIN_PREFIX, (const char *)p, len);
      hc->pos++;
      p += len;
    }
    return hc->h->oom ? SQLITE_NOMEM : SQLITE_OK;
  }
  while (p < end && rc == SQLITE_OK) {
    sqlite3_uint64 h = 0;
    if (p[0] < 0x80) {
      h = *p++;
    } else {
      int k = f5_get_varint(p, end, &h);
      if (!k) return SQLITE_CORRUPT_VTAB; /* the log is this table's own: never */
      p += k;
    }
    int len = (int)(h >> 1);
    rc = hash_token(hc, h & 1 ? FTS5_TOKEN_COLOCATED : 0, (const char *)p, len, 0, 0);
    p += len;
  }
  return rc;
}

/* ---- replaying the log ----------------------------------------------------------------------------------------- */

/* A replay of the log: at each point where SQLite writes its hash (a
** smaller rowid, an insertion after an insertion of the same rowid, a
** savepoint mark, pending data past hashsize before a row, and the end when
** final) cut gets the hash of the operations since the last such point,
** and the rows and tokens per column they add; op is the first operation
** after the point. */
typedef struct Replay Replay;
struct Replay {
  Fts5Table *t;
  int (*cut)(Replay *r, Hash *h, int op);
  sqlite3_int64 vrow, *vtok;
  int ndel, nins; /* contentless deletes (of rows found) and insertions since the last cut */
  int run;        /* the first operation since the last cut */
  /* what the cuts keep: the runs a query reads, or the totals and the end of what is written */
  Pending *pd;
  sqlite3_int64 nrow, *ntok;
  int start, written;
};

static int replay_log(Fts5Table *t, Replay *r, int final) {
  r->vtok = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)t->ncol);
  if (!r->vtok) return SQLITE_NOMEM;
  for (int i = 0; i < t->ncol; i++) r->vtok[i] = 0;
  r->vrow = 0;
  Hash h;
  memset(&h, 0, sizeof h);
  HashCtx hc;
  memset(&hc, 0, sizeof hc);
  hc.t = t;
  hc.h = &h;
  hc.lim = (const char *)t->log.p + t->log.cap;
  sqlite3_int64 last = 0;
  int have_last = 0, last_del = 0, rc = SQLITE_OK;
  r->ndel = r->nins = 0;
  r->run = t->written;
  for (int op = t->written; op <= t->nops && rc == SQLITE_OK; op++) {
    const unsigned char *p = op < t->nops ? t->log.p + t->opat[op] : NULL;
    int kind = p ? p[0] : 0;
    int del = kind == LOG_TOMB ? 1 : kind;
    sqlite3_int64 rowid = 0;
    if (p && del != LOG_BOUNDARY) memcpy(&rowid, p + 1, sizeof rowid);
    int cut = !p ? final
                 : del == LOG_BOUNDARY || (have_last && (rowid < last || (rowid == last && !last_del))) ||
                       h.est > t->hashsize;
    if (cut) {
      rc = r->cut(r, &h, del == LOG_BOUNDARY ? op + 1 : op);
      hash_free(&h);
      r->vrow = 0;
      for (int i = 0; i < t->ncol; i++) r->vtok[i] = 0;
      r->ndel = r->nins = 0;
      r->run = del == LOG_BOUNDARY ? op + 1 : op;
    }
    if (!p || del == LOG_BOUNDARY || rc != SQLITE_OK) continue;
    p += 1 + sizeof rowid;
    have_last = 1;
    last = rowid;
    last_del = del;
    if (kind == LOG_TOMB) {
      sqlite3_int64 origin;
      memcpy(&origin, p, sizeof origin);
      if (origin) r->ndel++;
      continue;
    }
    if (!del) r->nins++;
    hc.rowid = rowid;
    hc.del = del;
    r->vrow += del ? -1 : 1;
    for (int i = 0; i < t->ncol && rc == SQLITE_OK; i++) {
      int n, count;
      memcpy(&n, p, sizeof n);
      memcpy(&count, p + sizeof n, sizeof count);
      p += sizeof n + sizeof count;
      if (n < 0) continue;
      hc.col = i;
      hc.pos = 0;
      r->vtok[i] += del ? -count : count;
      rc = replay_tokens(&hc, p, n);
      p += n;
    }
    if (rc == SQLITE_OK && h.oom) rc = SQLITE_NOMEM;
  }
  hash_free(&h);
  sqlite3_free(r->vtok);
  r->vtok = NULL;
  return rc;
}

/* ---- changes not yet written, as a query sees them --------------------------------------------------------- */

static void pending_free(Fts5Table *t) {
  Pending *pd = t->pending;
  if (!pd) return;
  for (int i = 0; i < pd->nrun; i++) hash_free(&pd->run[i]);
  sqlite3_free(pd->run);
  sqlite3_free(pd->ntok);
  sqlite3_free(pd);
  t->pending = NULL;
}

void fts5_pending_release(Fts5Table *t) { pending_free(t); }

/* Keeps the hash as one of the runs a query reads. */
static int pending_cut(Replay *r, Hash *h, int op) {
  Pending *pd = r->pd;
  (void)op;
  for (int i = 0; i < h->nslot; i++)
    if (h->slot[i]) hash_entry_close(h->slot[i], r->t->detail);
  Hash *g = sqlite3_realloc64(pd->run, sizeof(Hash) * (sqlite3_uint64)(pd->nrun + 1));
  if (!g) return SQLITE_NOMEM;
  pd->run = g;
  pd->run[pd->nrun++] = *h;
  memset(h, 0, sizeof *h);
  pd->nrow += r->vrow;
  for (int i = 0; i < r->t->ncol; i++) pd->ntok[i] += r->vtok[i];
  return SQLITE_OK;
}

static int pending_get(Fts5Table *t, Pending **out) {
  *out = t->pending;
  if (t->pending || t->nops == t->written) return SQLITE_OK;
  Pending *pd = sqlite3_malloc((int)sizeof *pd);
  if (!pd) return SQLITE_NOMEM;
  memset(pd, 0, sizeof *pd);
  pd->ntok = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)t->ncol);
  t->pending = pd;
  if (!pd->ntok) {
    pending_free(t);
    return SQLITE_NOMEM;
  }
  for (int i = 0; i < t->ncol; i++) pd->ntok[i] = 0;
  Replay r;
  memset(&r, 0, sizeof r);
  r.t = t;
  r.cut = pending_cut;
  r.pd = pd;
  int rc = replay_log(t, &r, 1);
  if (rc != SQLITE_OK) {
    pending_free(t);
    return rc;
  }
  *out = pd;
  return SQLITE_OK;
}

int fts5_totals(Fts5Table *t, sqlite3_int64 *nrow, sqlite3_int64 *ntok) {
  int rc = fts5_averages_read(t, nrow, ntok);
  Pending *pd;
  if (rc == SQLITE_OK) rc = pending_get(t, &pd);
  if (rc == SQLITE_OK && pd) {
    *nrow += pd->nrow;
    for (int i = 0; i < t->ncol; i++) ntok[i] += pd->ntok[i];
  }
  return rc;
}

/* ---- writing the log ------------------------------------------------------------------------------------------- */

/* Writes the hash as a segment and counts its rows and tokens into the totals. */
static int flush_cut(Replay *r, Hash *h, int op) {
  sqlite3_uint64 origin;
  int rc = write_hash(r->t, h, r->ndel, r->nins, &origin);
  /* contentless_delete: the rows of the segment learn its origin */
  for (int i = r->run; rc == SQLITE_OK && origin && i < op && i < r->t->nops; i++) {
    const unsigned char *p = r->t->log.p + r->t->opat[i];
    if (p[0] != 0) continue;
    sqlite3_int64 rowid;
    memcpy(&rowid, p + 1, sizeof rowid);
    sqlite3_stmt *s = fts5_stmt(r->t, F5ST_DOCSIZE_SET_ORIGIN, &rc);
    if (!s) break;
    sqlite3_bind_int64(s, 1, rowid);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)origin);
    sqlite3_step(s);
    rc = sqlite3_reset(s);
  }
  r->nrow += r->vrow;
  for (int i = 0; i < r->t->ncol; i++) r->ntok[i] += r->vtok[i];
  r->start = op;
  r->written = 1;
  return rc;
}

/* Writes the log's segments (and the totals); when final is 0 the operations
** after the last cut stay logged (the next replay goes on from there), so
** the segments do not depend on when the log is replayed. */
static int flush_log(Fts5Table *t, int final) {
  if (t->nops == t->written) return SQLITE_OK;
  Replay r;
  memset(&r, 0, sizeof r);
  r.t = t;
  r.cut = flush_cut;
  r.ntok = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)t->ncol);
  if (!r.ntok) return SQLITE_NOMEM;
  int rc = fts5_averages_read(t, &r.nrow, r.ntok);
  if (rc == SQLITE_OK) rc = replay_log(t, &r, final);
  if (rc == SQLITE_OK && r.written) rc = averages_write(t, r.nrow, r.ntok);
  sqlite3_free(r.ntok);
  if (rc != SQLITE_OK) return rc;
  pending_free(t);
  if (r.written) t->written = final ? t->nops : r.start;
  /* Written operations leave the log unless a savepoint may still undo
  ** their writing (then they are pending again: x_rollback_to). */
  if (t->savepoints > 0 || t->written == 0) return SQLITE_OK;
  if (t->written >= t->nops) {
    fts5_log_clear(t);
    return SQLITE_OK;
  }
  int start = t->written, base = t->opat[start];
  memmove(t->log.p, t->log.p + base, (size_t)(t->log.n - base));
  t->log.n -= base;
  for (int i = start; i <= t->nops; i++) t->opat[i - start] = t->opat[i] - base;
  t->nops -= start;
  t->written = 0;
  return SQLITE_OK;
}

int fts5_flush(Fts5Table *t) { return flush_log(t, 1); }

/* ---- commands ------------------------------------------------------------------------------------------------ */

int fts5_index_clear(Fts5Table *t) {
  fts5_log_clear(t);
  F5Struct st;
  int rc = struct_read(t, &st);
  unsigned cookie = st.cookie; /* the configuration it counts stays */
  for (int i = 0; rc == SQLITE_OK && i < st.nlevel; i++)
    for (int j = 0; rc == SQLITE_OK && j < st.lvl[i].nseg; j++) rc = seg_drop(t, st.lvl[i].seg[j].segid);
  struct_free(&st);
  if (rc == SQLITE_OK) rc = data_delete_range(t, 2, FTS5_STRUCTURE_ROWID - 1);
  if (rc == SQLITE_OK) rc = data_delete_range(t, FTS5_STRUCTURE_ROWID + 1, ((sqlite3_int64)1 << 62));
  if (rc == SQLITE_OK) {
    F5Struct e;
    memset(&e, 0, sizeof e);
    e.v2 = t->contentless_delete;
    e.cookie = cookie;
    rc = struct_write(t, &e);
  }
  if (rc == SQLITE_OK) rc = data_write(t, FTS5_AVERAGES_ROWID, "", 0);
  return rc;
}

/* Readies st for merging everything into one segment: 0 when there is
** nothing to merge, else 1 with *lvl the level to merge from.  When all
** segments are on one level (or all but one are that level's merge inputs)
** that level is it; otherwise every segment moves, oldest first, to a new
** level past the last. */
static int optimize_struct(F5Struct *st, int *lvl) {
  int n = 0;
  for (int i = 0; i < st->nlevel; i++) n += st->lvl[i].nseg;
  if (n == 0) return 0;
  for (int i = 0; i < st->nlevel; i++) {
    F5Level *l = &st->lvl[i];
    if (l->nseg > 0 && (l->nseg == n || (l->nseg == n - 1 && l->nmerge == l->nseg))) {
      if (n == 1) return 0;
      int k = 0;
      while (st->lvl[k].nseg == 0) k++;
      *lvl = k;
      return 1;
    }
  }
  if (st->nlevel + 1 >= FTS5_MAX_LEVELS) return 0;
  F5Seg *all = NULL;
  if (segs_by_age(st, &all, &n) != SQLITE_OK) return -1;
  for (int i = 0; i < st->nlevel; i++) st->lvl[i].nseg = st->lvl[i].nmerge = 0;
  F5Level *l = &st->lvl[st->nlevel];
  sqlite3_free(l->seg);
  l->seg = all;
  l->nseg = n;
  l->nmerge = 0;
  *lvl = st->nlevel++;
  return 1;
}

#define OPTIMIZE_WORK 1000 /* leaves per merge step of optimize */

int fts5_optimize(Fts5Table *t) {
  int rc = fts5_flush(t);
  if (rc != SQLITE_OK) return rc;
  F5Struct st;
  if ((rc = struct_read(t, &st)) != SQLITE_OK) return rc;
  int lvl = 0, go = optimize_struct(&st, &lvl);
  if (go < 0) rc = SQLITE_NOMEM;
  while (go > 0 && rc == SQLITE_OK && st.lvl[lvl].nseg > 0) {
    int nrem = OPTIMIZE_WORK;
    rc = merge_step(t, &st, lvl, &nrem);
  }
  if (go > 0 && rc == SQLITE_OK) rc = struct_write(t, &st);
  struct_free(&st);
  return rc;
}

/* 'merge', N: N leaves of merging from the fullest level with usermerge
** segments or more; a negative N first gathers every segment on one new
** level (as optimize) and merges from there, two segments being enough. */
int fts5_merge(Fts5Table *t, int npages) {
  int rc = fts5_flush(t);
  if (rc != SQLITE_OK) return rc;
  F5Struct st;
  if ((rc = struct_read(t, &st)) != SQLITE_OK) return rc;
  int nmin = t->usermerge, did = 0;
  if (npages < 0) {
    int lvl;
    if (optimize_struct(&st, &lvl) < 0) rc = SQLITE_NOMEM;
    nmin = 2;
    npages = -npages;
  }
  if (rc == SQLITE_OK && st.nlevel > 0) rc = index_merge(t, &st, npages, nmin, &did);
  if (rc == SQLITE_OK && did) rc = struct_write(t, &st);
  struct_free(&st);
  return rc;
}

/* ---- walks for fts5vocab and the integrity check ------------------------------------------------------------- */

typedef struct VocabCtx {
  Fts5Table *t;
  F5VocabFn fn;
  void *ctx;
  F5Buf hits;
} VocabCtx;

static int vocab_walked(void *vc, const unsigned char *term, int n, const WalkEntry *e, int ne,
                        const unsigned char *pos) {
  VocabCtx *v = vc;
  if (n < 1 || term[0] != FTS5_MAIN_PREFIX) return SQLITE_OK;
  for (int i = 0; i < ne; i++) {
    if (!e[i].ins) continue;
    v->hits.n = 0;
    int rc =
        v->t->detail == F5_DETAIL_NONE ? SQLITE_OK : poslist_hits(v->t, pos + e[i].poff, e[i].npos, &v->hits);
    if (rc != SQLITE_OK) return rc;
    rc = v->fn(v->ctx, (const char *)term + 1, n - 1, e[i].rowid, (const sqlite3_int64 *)v->hits.p,
               v->hits.n / (int)sizeof(sqlite3_int64));
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

/* Every segment, oldest first, once the log is written. */
static int all_segments(Fts5Table *t, F5Seg **segs, int *n) {
  int rc = fts5_flush(t);
  if (rc != SQLITE_OK) return rc;
  F5Struct st;
  if ((rc = struct_read(t, &st)) != SQLITE_OK) return rc;
  rc = segs_by_age(&st, segs, n);
  struct_free(&st);
  return rc;
}

int fts5_index_walk(Fts5Table *t, F5VocabFn fn, void *ctx) {
  F5Seg *segs = NULL;
  int n = 0;
  int rc = all_segments(t, &segs, &n);
  if (rc != SQLITE_OK) return rc;
  VocabCtx v = {t, fn, ctx, {0}};
  rc = walk_segments(t, segs, n, 1, vocab_walked, &v);
  f5_free(&v.hits);
  sqlite3_free(segs);
  return rc;
}

/* The integrity check: a checksum over (term, rowid, column, offset) of the
** index against one over the content tokenized again, and every prefix
** index against the main one. */
typedef struct CheckCtx {
  Fts5Table *t;
  sqlite3_uint64 sum[FTS5_MAX_PREFIX + 1];
  sqlite3_int64 rowid;
  int col, pos;
} CheckCtx;

static sqlite3_uint64 check_one(const char *term, int n, sqlite3_int64 rowid, sqlite3_int64 hit) {
  sqlite3_uint64 h = hash_key(term, n);
  h = h * 1099511628211ULL ^ (sqlite3_uint64)rowid;
  h = h * 1099511628211ULL ^ (sqlite3_uint64)hit;
  return h * 0x9E3779B97F4A7C15ULL;
}

static int check_walked(void *vc, const unsigned char *term, int n, const WalkEntry *e, int ne,
                        const unsigned char *pos) {
  CheckCtx *c = vc;
  int idx = term[0] - FTS5_MAIN_PREFIX;
  if (idx < 0 || idx > c->t->nprefix) return SQLITE_CORRUPT_VTAB;
  F5Buf hits = {0};
  int rc = SQLITE_OK;
  for (int i = 0; i < ne && rc == SQLITE_OK; i++) {
    if (!e[i].ins) continue;
    hits.n = 0;
    if (c->t->detail == F5_DETAIL_NONE) {
      c->sum[idx] += check_one((const char *)term + 1, n - 1, e[i].rowid, 0);
      continue;
    }
    rc = poslist_hits(c->t, pos + e[i].poff, e[i].npos, &hits);
    for (int k = 0; rc == SQLITE_OK && k < hits.n / (int)sizeof(sqlite3_int64); k++)
      c->sum[idx] += check_one((const char *)term + 1, n - 1, e[i].rowid, ((sqlite3_int64 *)hits.p)[k]);
  }
  f5_free(&hits);
  return rc;
}

int fts5_integrity(Fts5Table *t) {
  F5Seg *segs = NULL;
  int n = 0;
  int rc = all_segments(t, &segs, &n);
  if (rc != SQLITE_OK) return rc;
  CheckCtx c;
  memset(&c, 0, sizeof c);
  c.t = t;
  rc = walk_segments(t, segs, n, 1, check_walked, &c);
  sqlite3_free(segs);
  if (rc != SQLITE_OK) return rc;
  if (t->content == F5_CONTENT_NONE) return SQLITE_OK;
  /* the content, tokenized again */
  sqlite3_uint64 want[FTS5_MAX_PREFIX + 1];
  memset(want, 0, sizeof want);
  char *sql = fts5_content_select(t, "");
  sqlite3_stmt *s = NULL;
  rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  int ncols = sqlite3_column_count(s);
  while (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    sqlite3_int64 rowid = sqlite3_column_int64(s, 0);
    /* terms of this row: gathered per (term, hit), de-duplicated for detail=column/none */
    Hash h;
    memset(&h, 0, sizeof h);
    HashCtx hc;
    memset(&hc, 0, sizeof hc);
    hc.t = t;
    hc.h = &h;
    hc.rowid = rowid;
    for (int i = 0; i < t->ncol && rc == SQLITE_OK; i++) {
      int ci = i + 1;
      if (t->unindexed[i] || ci >= ncols || sqlite3_column_type(s, ci) == SQLITE_NULL) continue;
      const char *z = (const char *)sqlite3_column_text(s, ci);
      hc.col = i;
      hc.pos = 0;
      rc = fts5_tokenize(t, FTS5_TOKENIZE_DOCUMENT, z, sqlite3_column_bytes(s, ci), &hc, hash_token);
    }
    F5Buf hits = {0};
    for (int k = 0; rc == SQLITE_OK && k < h.nslot; k++) {
      HEntry *e = h.slot[k];
      if (!e) continue;
      hash_entry_close(e, t->detail);
      int idx = e->term[0] - FTS5_MAIN_PREFIX;
      const unsigned char *p = e->dl.p, *end = e->dl.p + e->dl.n;
      sqlite3_uint64 rid = 0, sz = 0;
      p += f5_get_varint(p, end, &rid);
      p += f5_get_varint(p, end, &sz);
      if (t->detail == F5_DETAIL_NONE) {
        want[idx] += check_one(e->term + 1, e->nterm - 1, rowid, 0);
        continue;
      }
      hits.n = 0;
      rc = poslist_hits(t, p, (int)(sz >> 1), &hits);
      for (int q = 0; rc == SQLITE_OK && q < hits.n / (int)sizeof(sqlite3_int64); q++)
        want[idx] += check_one(e->term + 1, e->nterm - 1, rowid, ((sqlite3_int64 *)hits.p)[q]);
    }
    f5_free(&hits);
    hash_free(&h);
  }
  int rc2 = sqlite3_finalize(s);
  if (rc == SQLITE_OK) rc = rc2;
  if (rc != SQLITE_OK) return rc;
  for (int i = 0; i <= t->nprefix; i++)
    if (want[i] != c.sum[i]) return SQLITE_CORRUPT_VTAB;
  return SQLITE_OK;
}
