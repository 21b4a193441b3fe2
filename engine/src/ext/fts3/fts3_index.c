/*
** fts3_index.c — the full-text index of a table (layout in fts3_int.h):
** pending terms kept in memory until a flush writes them as a new segment on
** the first level of their language and index (queries read them where they
** are); a level holding FTS3_MERGE_COUNT segments merged into one segment on
** the next before another comes; smaller segments of higher levels promoted
** under a large new one; term lookups over all segments, the newest segment's
** entry for a document winning; the merge cursor fts3_merge.c drives; the
** costs SQLite weighs tokens by; the %_docsize and %_stat rows of FTS4
** tables; the optimize, rebuild and integrity-check commands.  An order=DESC
** index keeps every doclist in descending docid order.
**
** Invariant: pending doclists have ascending docids, each document once,
** except that a deletion marker may be followed by the same document's new
** hits (an UPDATE); a deletion after an insert of the same docid flushes first.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "ext/fts3/fts3_int.h"

/* ---- buffers and varints ----------------------------------------------------------------------------------- */

static int buf_reserve(Buf *b, int more) {
  if (b->oom) return 0;
  if (b->n + more <= b->cap) return 1;
  int cap = b->cap ? b->cap : 64;
  while (cap < b->n + more) cap *= 2;
  unsigned char *p = sqlite3_realloc(b->p, cap);
  if (!p) {
    b->oom = 1;
    return 0;
  }
  b->p = p;
  b->cap = cap;
  return 1;
}

void buf_put(Buf *b, const void *p, int n) {
  if (n <= 0 || !buf_reserve(b, n)) return;
  memcpy(b->p + b->n, p, (size_t)n);
  b->n += n;
}

void buf_varint(Buf *b, sqlite3_uint64 v) {
  if (!buf_reserve(b, 10)) return;
  do {
    unsigned char c = (unsigned char)(v & 0x7F);
    v >>= 7;
    b->p[b->n++] = v ? (unsigned char)(c | 0x80) : c;
  } while (v);
}

void buf_free(Buf *b) {
  sqlite3_free(b->p);
  memset(b, 0, sizeof *b);
}

int fts3_get_varint(const unsigned char *p, const unsigned char *end, sqlite3_int64 *v) {
  sqlite3_uint64 r = 0;
  for (int i = 0; i < 10 && p + i < end; i++) {
    r |= (sqlite3_uint64)(p[i] & 0x7F) << (7 * i);
    /* the tenth byte ends a varint whatever its top bit says, as SQLite reads them */
    if (!(p[i] & 0x80) || i == 9) {
      *v = (sqlite3_int64)r;
      return i + 1;
    }
  }
  return 0;
}

int fts3_varint_len(sqlite3_uint64 v) {
  int n = 1;
  while (v >>= 7) n++;
  return n;
}

/* ---- doclists ---------------------------------------------------------------------------------------------- */

/* Walks a doclist: each document's docid and its poslist bytes (without the 0x00 that ends it). */
typedef struct DlIter {
  const unsigned char *p, *end;
  int desc;                 /* docids descend (an order=DESC index): each later one is a delta below */
  int started;
  sqlite3_int64 docid;
  const unsigned char *pl;
  int npl;
  int eof;
  int bad;
} DlIter;

static void dl_next(DlIter *it) {
  if (it->p >= it->end) {
    it->eof = 1;
    return;
  }
  sqlite3_int64 d;
  int k = fts3_get_varint(it->p, it->end, &d);
  if (!k) goto bad;
  it->p += k;
  /* The first docid is absolute; the others differ from the previous one (deltas wrap as uint64). */
  if (it->desc && it->started) it->docid = (sqlite3_int64)((sqlite3_uint64)it->docid - (sqlite3_uint64)d);
  else it->docid = (sqlite3_int64)((sqlite3_uint64)it->docid + (sqlite3_uint64)d);
  it->started = 1;
  it->pl = it->p;
  for (;;) {
    sqlite3_int64 v;
    k = fts3_get_varint(it->p, it->end, &v);
    if (!k) goto bad;
    it->p += k;
    if (v == 0) break;
    if (v == 1) {
      k = fts3_get_varint(it->p, it->end, &v);
      if (!k) goto bad;
      it->p += k;
    }
  }
  it->npl = (int)(it->p - it->pl) - 1;
  return;
bad:
  it->eof = 1;
  it->bad = 1;
}

static void dl_start(DlIter *it, const unsigned char *p, int n, int desc) {
  memset(it, 0, sizeof *it);
  it->p = p;
  it->end = p + n;
  it->desc = desc;
  dl_next(it);
}

/* Appends docid's entry to a doclist being written in t's order, after *last when *any. */
static void dl_put_docid(Buf *out, int desc, sqlite3_int64 docid, sqlite3_int64 *last, int *any) {
  sqlite3_uint64 v = (sqlite3_uint64)docid;
  if (*any) v = desc ? (sqlite3_uint64)*last - (sqlite3_uint64)docid : (sqlite3_uint64)docid - (sqlite3_uint64)*last;
  buf_varint(out, v);
  *last = docid;
  *any = 1;
}

/* Appends the hits of poslist pl[0..n) to d (column << 32 | position). */
static int poslist_decode(const unsigned char *pl, int n, DocHits *d) {
  const unsigned char *p = pl, *end = pl + n;
  sqlite3_int64 col = 0, pos = 0;
  while (p < end) {
    sqlite3_int64 v;
    int k = fts3_get_varint(p, end, &v);
    if (!k) return SQLITE_CORRUPT_VTAB;
    p += k;
    if (v == 1) {
      k = fts3_get_varint(p, end, &col);
      if (!k) return SQLITE_CORRUPT_VTAB;
      p += k;
      pos = 0;
      continue;
    }
    if (v < 2) return SQLITE_CORRUPT_VTAB;
    pos += v - 2;
    if (d->nhits == d->hcap) {
      sqlite3_int64 *h = fts3_grow(d->hit, &d->hcap, sizeof *h, 64);
      if (!h) return SQLITE_NOMEM;
      d->hit = h;
    }
    d->hit[d->nhits++] = col << 32 | pos;
  }
  return SQLITE_OK;
}

void dochits_free(DocHits *d) {
  sqlite3_free(d->docid);
  sqlite3_free(d->start);
  sqlite3_free(d->hit);
  memset(d, 0, sizeof *d);
}

/* ---- pending terms ----------------------------------------------------------------------------------------- */

struct PendingTerm {
  PendingTerm *next;
  int n;
  Buf dl;
  sqlite3_int64 docid; /* of the last entry */
  int col;
  sqlite3_int64 pos;
  int has_doc;
  char term[1];
};

static unsigned term_hash(const char *z, int n) {
  unsigned h = 2166136261u;
  for (int i = 0; i < n; i++) h = (h ^ (unsigned char)z[i]) * 16777619u;
  return h;
}

static PendingTerm *pending_get(Fts3Table *t, int index, const char *z, int n) {
  PendingHash *ph = &t->pending[index];
  if (ph->nterms >= ph->nslots / 2) {
    int slots = ph->nslots ? ph->nslots * 2 : 1024;
    PendingTerm **h = sqlite3_malloc64(sizeof(PendingTerm *) * (sqlite3_uint64)slots);
    if (!h) return NULL;
    memset(h, 0, sizeof(PendingTerm *) * (size_t)slots);
    for (int i = 0; i < ph->nslots; i++) {
      PendingTerm *p = ph->slot[i];
      while (p) {
        PendingTerm *nx = p->next;
        unsigned k = term_hash(p->term, p->n) & (unsigned)(slots - 1);
        p->next = h[k];
        h[k] = p;
        p = nx;
      }
    }
    sqlite3_free(ph->slot);
    ph->slot = h;
    ph->nslots = slots;
  }
  unsigned k = term_hash(z, n) & (unsigned)(ph->nslots - 1);
  for (PendingTerm *p = ph->slot[k]; p; p = p->next)
    if (p->n == n && memcmp(p->term, z, (size_t)n) == 0) return p;
  PendingTerm *p = sqlite3_malloc64(sizeof *p + (size_t)n);
  if (!p) return NULL;
  memset(p, 0, sizeof *p);
  memcpy(p->term, z, (size_t)n);
  p->term[n] = 0;
  p->n = n;
  p->next = ph->slot[k];
  ph->slot[k] = p;
  ph->nterms++;
  t->pending_bytes += n + FTS3_PENDING_ENTRY;
  return p;
}

/* Starts docid's entry in p's doclist unless it is the last one already. */
static void pending_doc(PendingTerm *p, sqlite3_int64 docid) {
  if (p->has_doc && p->docid == docid) return;
  if (p->has_doc) buf_put(&p->dl, "\0", 1);
  buf_varint(&p->dl, (sqlite3_uint64)(docid - (p->has_doc ? p->docid : 0)));
  p->has_doc = 1;
  p->docid = docid;
  p->col = 0;
  p->pos = 0;
}

typedef struct RowCtx {
  Fts3Table *t;
  sqlite3_int64 docid;
  int col;
  int del;
  sqlite3_int64 ntok;
  int rc;
} RowCtx;

/* Adds one hit (or, for a deletion, the document's marker) to term's pending doclist in index. */
static int pending_hit(RowCtx *r, int index, const char *tok, int n, int pos) {
  PendingTerm *p = pending_get(r->t, index, tok, n);
  if (!p) return SQLITE_NOMEM;
  int before = p->dl.n;
  pending_doc(p, r->docid);
  if (!r->del) {
    if (p->col != r->col) {
      buf_put(&p->dl, "\1", 1);
      buf_varint(&p->dl, (sqlite3_uint64)r->col);
      p->col = r->col;
      p->pos = 0;
    }
    buf_varint(&p->dl, (sqlite3_uint64)(pos - p->pos + 2));
    p->pos = pos;
  }
  if (p->dl.oom) return SQLITE_NOMEM;
  r->t->pending_bytes += p->dl.n - before;
  return SQLITE_OK;
}

static int row_token(void *vctx, const char *tok, int n, int start, int end, int pos) {
  RowCtx *r = vctx;
  (void)start, (void)end;
  r->ntok++;
  int rc = pending_hit(r, 0, tok, n, pos);
  for (int i = 1; rc == SQLITE_OK && i < r->t->nindex; i++) {
    /* prefix= counts bytes, as sqlite3 writes it (a prefix may end inside a UTF-8 character) */
    int np = r->t->prefix_chars[i];
    if (n >= np) rc = pending_hit(r, i, tok, np, pos);
  }
  return rc;
}

int fts3_index_row(Fts3Table *t, int langid, sqlite3_int64 docid, sqlite3_value **values, int del,
                   sqlite3_int64 *ntok) {
  int rc;
  /* Pending doclists take docids in ascending order, of one language; and they are written when
  ** they grow too large, counted as SQLite counts them (hash entries of 40 bytes). */
  if (t->has_pending && (docid < t->pending_last_docid || langid != t->pending_langid ||
                         (docid == t->pending_last_docid && !(t->pending_last_delete && !del)) ||
                         t->pending_bytes > FTS3_PENDING_MAX)) {
    if ((rc = fts3_pending_flush(t)) != SQLITE_OK) return rc;
  }
  t->has_pending = 1;
  t->pending_langid = langid;
  t->pending_last_docid = docid;
  t->pending_last_delete = del;
  for (int i = 0; i < t->ncol; i++) {
    RowCtx r = {t, docid, i, del, 0, SQLITE_OK};
    int indexed = values[i] && !(t->notindexed && t->notindexed[i]);
    const char *z = indexed ? (const char *)sqlite3_value_text(values[i]) : NULL;
    if (z) {
      /* Text is indexed up to a NUL, as SQLite hands it to its tokenizers. */
      rc = fts3_tokenize(&t->tok, z, (int)strlen(z), row_token, &r);
      if (rc != SQLITE_OK) return rc;
    }
    if (ntok) ntok[i] = r.ntok;
  }
  return SQLITE_OK;
}

void fts3_pending_clear(Fts3Table *t) {
  for (int x = 0; x < FTS3_MAX_INDEX; x++) {
    PendingHash *ph = &t->pending[x];
    for (int i = 0; i < ph->nslots; i++) {
      PendingTerm *p = ph->slot[i];
      while (p) {
        PendingTerm *nx = p->next;
        buf_free(&p->dl);
        sqlite3_free(p);
        p = nx;
      }
    }
    sqlite3_free(ph->slot);
    memset(ph, 0, sizeof *ph);
  }
  t->pending_bytes = 0;
  t->has_pending = 0;
  t->pending_last_docid = 0;
  t->pending_last_delete = 0;
}

/* ---- segment writer ---------------------------------------------------------------------------------------- */

typedef struct ChildRef {
  sqlite3_int64 block;
  char *sep; /* the shortest prefix of the child's first term above the previous child's last term */
  int nsep;
} ChildRef;

typedef struct SegWriter {
  Fts3Table *t;
  sqlite3_int64 first_block, next_block;
  Buf leaf;
  Buf prev;      /* the last term added */
  int leaf_terms;
  ChildRef *kids;
  int nkids, kcap;
  sqlite3_int64 leaf_bytes;
  int rc;
} SegWriter;

int fts3_block_write(Fts3Table *t, sqlite3_int64 id, const unsigned char *p, int n) {
  int rc;
  sqlite3_stmt *s = fts3_stmt(t, ST_SEGMENTS_WRITE, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, id);
  if (p) sqlite3_bind_blob(s, 2, p, n, SQLITE_STATIC);
  else sqlite3_bind_null(s, 2);
  sqlite3_step(s);
  rc = sqlite3_reset(s);
  sqlite3_bind_null(s, 2);
  return rc;
}

static int writer_start(SegWriter *w, Fts3Table *t) {
  memset(w, 0, sizeof *w);
  w->t = t;
  int rc;
  sqlite3_stmt *s = fts3_stmt(t, ST_SEGMENTS_MAX, &rc);
  if (!s) return rc;
  sqlite3_int64 mx = 0;
  if (sqlite3_step(s) == SQLITE_ROW) mx = sqlite3_column_int64(s, 0);
  rc = sqlite3_reset(s);
  w->first_block = w->next_block = mx + 1;
  return rc;
}

static int add_kid(SegWriter *w, sqlite3_int64 block, const char *sep, int nsep) {
  if (w->nkids == w->kcap) {
    ChildRef *k = fts3_grow(w->kids, &w->kcap, sizeof *k, 16);
    if (!k) return SQLITE_NOMEM;
    w->kids = k;
  }
  char *c = sqlite3_malloc(nsep + 1);
  if (!c) return SQLITE_NOMEM;
  if (nsep) memcpy(c, sep, (size_t)nsep);
  w->kids[w->nkids].block = block;
  w->kids[w->nkids].sep = c;
  w->kids[w->nkids++].nsep = nsep;
  return SQLITE_OK;
}

static int common_prefix(const unsigned char *a, int na, const unsigned char *b, int nb) {
  int i = 0;
  while (i < na && i < nb && a[i] == b[i]) i++;
  return i;
}

/* Adds term with its doclist; terms come in ascending memcmp order. */
static int writer_add(SegWriter *w, const char *term, int n, const unsigned char *dl, int ndl) {
  if (w->rc != SQLITE_OK) return w->rc;
  const unsigned char *z = (const unsigned char *)term;
  int pre = w->leaf_terms ? common_prefix(w->prev.p, w->prev.n, z, n) : 0;
  int req = w->leaf_terms ? fts3_varint_len((sqlite3_uint64)pre) + fts3_varint_len((sqlite3_uint64)(n - pre)) + n - pre
                          : fts3_varint_len((sqlite3_uint64)n) + n;
  req += fts3_varint_len((sqlite3_uint64)ndl) + ndl;
  if (w->leaf_terms && w->leaf.n + req > w->t->node_size) {
    /* The leaf is full: it goes to its block, and this term starts the next one. */
    int rc = fts3_block_write(w->t, w->next_block, w->leaf.p, w->leaf.n);
    if (rc == SQLITE_OK && w->nkids == 0) rc = add_kid(w, w->next_block, "", 0);
    if (rc != SQLITE_OK) return w->rc = rc;
    w->leaf_bytes += w->leaf.n;
    w->t->leaf_add++;
    w->next_block++;
    int nsep = common_prefix(w->prev.p, w->prev.n, z, n) + 1;
    if ((rc = add_kid(w, w->next_block, term, nsep)) != SQLITE_OK) return w->rc = rc;
    w->leaf.n = 0;
    w->leaf_terms = 0;
    pre = 0;
  }
  if (w->leaf_terms == 0) {
    buf_varint(&w->leaf, 0);
    buf_varint(&w->leaf, (sqlite3_uint64)n);
  } else {
    buf_varint(&w->leaf, (sqlite3_uint64)pre);
    buf_varint(&w->leaf, (sqlite3_uint64)(n - pre));
  }
  buf_put(&w->leaf, z + pre, n - pre);
  buf_varint(&w->leaf, (sqlite3_uint64)ndl);
  buf_put(&w->leaf, dl, ndl);
  w->leaf_terms++;
  w->prev.n = 0;
  buf_put(&w->prev, z, n);
  if (w->leaf.oom || w->prev.oom) w->rc = SQLITE_NOMEM;
  return w->rc;
}

static void writer_free(SegWriter *w) {
  buf_free(&w->leaf);
  buf_free(&w->prev);
  for (int i = 0; i < w->nkids; i++) sqlite3_free(w->kids[i].sep);
  sqlite3_free(w->kids);
}

/* Builds the interior nodes over kids[0..n) (height h); the top one in *root. */
static int build_interior(SegWriter *w, ChildRef *kids, int n, int h, Buf *root, sqlite3_int64 *end_block) {
  ChildRef *up = NULL;
  int nup = 0, ucap = 0, rc = SQLITE_OK;
  Buf node = {0};
  int i = 0;
  while (i < n && rc == SQLITE_OK) {
    /* One node: kids[i] leftmost, then as many separators as fit. */
    node.n = 0;
    buf_varint(&node, (sqlite3_uint64)h);
    buf_varint(&node, (sqlite3_uint64)kids[i].block);
    int first = i++;
    const char *prev = NULL;
    int nprev = 0;
    while (i < n) {
      const unsigned char *z = (const unsigned char *)kids[i].sep;
      int nz = kids[i].nsep;
      int pre = prev ? common_prefix((const unsigned char *)prev, nprev, z, nz) : 0;
      int req = prev ? fts3_varint_len((sqlite3_uint64)pre) + fts3_varint_len((sqlite3_uint64)(nz - pre)) + nz - pre
                     : fts3_varint_len((sqlite3_uint64)nz) + nz;
      if (prev && node.n + req > w->t->node_size) break;
      if (prev) buf_varint(&node, (sqlite3_uint64)pre);
      buf_varint(&node, (sqlite3_uint64)(nz - pre));
      buf_put(&node, z + pre, nz - pre);
      prev = kids[i].sep;
      nprev = nz;
      i++;
    }
    if (node.oom) rc = SQLITE_NOMEM;
    if (first == 0 && i == n) { /* one node for all: the root */
      buf_put(root, node.p, node.n);
      if (root->oom) rc = SQLITE_NOMEM;
      break;
    }
    if (nup == ucap) {
      ucap = ucap ? ucap * 2 : 16;
      ChildRef *u = sqlite3_realloc64(up, sizeof(ChildRef) * (sqlite3_uint64)ucap);
      if (!u) {
        rc = SQLITE_NOMEM;
        break;
      }
      up = u;
    }
    up[nup].block = w->next_block;
    up[nup].sep = kids[first].sep;
    up[nup++].nsep = kids[first].nsep;
    if (rc == SQLITE_OK) rc = fts3_block_write(w->t, w->next_block, node.p, node.n);
    *end_block = w->next_block++;
  }
  buf_free(&node);
  if (rc == SQLITE_OK && nup) rc = build_interior(w, up, nup, h + 1, root, end_block);
  sqlite3_free(up); /* the separators belong to the caller's list */
  return rc;
}

int fts3_segdir_write(Fts3Table *t, sqlite3_int64 level, int idx, sqlite3_int64 start, sqlite3_int64 leaves_end,
                      sqlite3_int64 end, sqlite3_int64 leaf_bytes, const unsigned char *root, int nroot) {
  int rc;
  sqlite3_stmt *s = fts3_stmt(t, ST_SEGDIR_INSERT, &rc);
  if (!s) return rc;
  char endtext[48];
  sqlite3_snprintf((int)sizeof endtext, endtext, "%lld %lld", end, leaf_bytes);
  sqlite3_bind_int64(s, 1, level);
  sqlite3_bind_int(s, 2, idx);
  sqlite3_bind_int64(s, 3, start);
  sqlite3_bind_int64(s, 4, leaves_end);
  /* end_block is "END LEAFBYTES" as text, a plain number when the size is not known */
  if (leaf_bytes) sqlite3_bind_text(s, 5, endtext, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_int64(s, 5, end);
  sqlite3_bind_blob(s, 6, root, nroot, SQLITE_STATIC);
  sqlite3_step(s);
  rc = sqlite3_reset(s);
  sqlite3_bind_null(s, 6);
  return rc;
}

static int segdir_insert(Fts3Table *t, sqlite3_int64 level, int idx, sqlite3_int64 start, sqlite3_int64 leaves_end,
                         sqlite3_int64 end, sqlite3_int64 leaf_bytes, const Buf *root) {
  return fts3_segdir_write(t, level, idx, start, leaves_end, end, leaf_bytes, root->p, root->n);
}

/* Writes what was added as segment (level, idx), its leaf bytes in *leaf_bytes (nothing is
** written, and *leaf_bytes is 0, when no term was added). */
static int writer_finish(SegWriter *w, sqlite3_int64 level, int idx, sqlite3_int64 *leaf_bytes) {
  *leaf_bytes = 0;
  if (w->rc != SQLITE_OK) return w->rc;
  if (w->leaf_terms == 0 && w->nkids == 0) return SQLITE_OK;
  int rc;
  w->t->leaf_add++; /* a segment's last leaf (or root) counts as a leaf written, as in SQLite */
  if (w->nkids == 0) {
    *leaf_bytes = w->leaf.n;
    return segdir_insert(w->t, level, idx, 0, 0, 0, w->leaf.n, &w->leaf);
  }
  if ((rc = fts3_block_write(w->t, w->next_block, w->leaf.p, w->leaf.n)) != SQLITE_OK) return rc;
  w->leaf_bytes += w->leaf.n;
  sqlite3_int64 leaves_end = w->next_block++;
  sqlite3_int64 end_block = leaves_end;
  Buf root = {0};
  rc = build_interior(w, w->kids, w->nkids, 1, &root, &end_block);
  if (rc == SQLITE_OK)
    rc = segdir_insert(w->t, level, idx, w->first_block, leaves_end, end_block, w->leaf_bytes, &root);
  buf_free(&root);
  *leaf_bytes = w->leaf_bytes;
  return rc;
}

/* ---- segment reader ---------------------------------------------------------------------------------------- */


/* Walks the terms of one segment's leaves in order, from a given leaf. */
typedef struct SegReader {
  Fts3Table *t;
  const Segment *seg;
  sqlite3_int64 block;      /* the leaf being read (0: the root) */
  unsigned char *leaf;      /* owned unless it is the root */
  int nleaf;
  int at;
  Buf term;
  const unsigned char *dl;
  int ndl;
  int eof;
  int rc;
} SegReader;

int fts3_block_read(Fts3Table *t, sqlite3_int64 id, unsigned char **out, int *n) {
  int rc;
  sqlite3_stmt *s = fts3_stmt(t, ST_SEGMENTS_READ, &rc);
  *out = NULL;
  *n = 0;
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, id);
  if (sqlite3_step(s) == SQLITE_ROW) {
    int nb = sqlite3_column_bytes(s, 0);
    const void *b = sqlite3_column_blob(s, 0);
    *out = sqlite3_malloc(nb > 0 ? nb : 1);
    if (!*out) {
      sqlite3_reset(s);
      return SQLITE_NOMEM;
    }
    if (nb) memcpy(*out, b, (size_t)nb);
    *n = nb;
  }
  rc = sqlite3_reset(s);
  if (rc == SQLITE_OK && !*out) rc = SQLITE_CORRUPT_VTAB;
  return rc;
}

static void reader_free(SegReader *r) {
  if (r->leaf && r->leaf != r->seg->root) sqlite3_free(r->leaf);
  r->leaf = NULL;
  buf_free(&r->term);
}

/* Reads the next term of the leaf, moving to the next leaf at its end. */
static void reader_next(SegReader *r) {
  for (;;) {
    if (r->eof || r->rc) return;
    if (r->at < r->nleaf) break;
    if (r->block == 0 || r->block >= r->seg->leaves_end) {
      r->eof = 1;
      return;
    }
    if (r->leaf != r->seg->root) sqlite3_free(r->leaf);
    r->leaf = NULL;
    r->block++;
    if ((r->rc = fts3_block_read(r->t, r->block, &r->leaf, &r->nleaf)) != SQLITE_OK) return;
    r->at = 0;
    r->term.n = 0;
  }
  const unsigned char *p = r->leaf + r->at, *end = r->leaf + r->nleaf;
  sqlite3_int64 pre = 0, suf, ndl;
  int k;
  if (r->at == 0) {
    sqlite3_int64 h;
    if (!(k = fts3_get_varint(p, end, &h)) || h != 0) goto bad;
    p += k;
    if (!(k = fts3_get_varint(p, end, &suf))) goto bad;
    p += k;
  } else {
    if (!(k = fts3_get_varint(p, end, &pre))) goto bad;
    p += k;
    if (!(k = fts3_get_varint(p, end, &suf))) goto bad;
    p += k;
  }
  if (pre > r->term.n || suf < 0 || suf > end - p) goto bad;
  r->term.n = (int)pre;
  buf_put(&r->term, p, (int)suf);
  p += suf;
  if (!(k = fts3_get_varint(p, end, &ndl))) goto bad;
  p += k;
  if (ndl < 0 || ndl > end - p) goto bad;
  r->dl = p;
  r->ndl = (int)ndl;
  r->at = (int)(p + ndl - r->leaf);
  if (r->term.oom) r->rc = SQLITE_NOMEM;
  return;
bad:
  r->rc = SQLITE_CORRUPT_VTAB;
}

static int memcmp_terms(const unsigned char *a, int na, const unsigned char *b, int nb) {
  int m = na < nb ? na : nb;
  int c = m > 0 ? memcmp(a, b, (size_t)m) : 0;
  return c ? c : na - nb;
}

/* The child of interior node p[0..n) that holds the first term >= key; with last, the last child that
** may hold a term key begins. */
static int interior_child_of(const unsigned char *p, int n, const unsigned char *key, int nkey, int last,
                             sqlite3_int64 *child) {
  const unsigned char *end = p + n;
  sqlite3_int64 h, blk, pre, suf;
  int k;
  if (!(k = fts3_get_varint(p, end, &h))) return SQLITE_CORRUPT_VTAB;
  p += k;
  if (!(k = fts3_get_varint(p, end, &blk))) return SQLITE_CORRUPT_VTAB;
  p += k;
  Buf term = {0};
  int first = 1, rc = SQLITE_OK;
  *child = blk;
  while (p < end) {
    pre = 0;
    if (!first) {
      if (!(k = fts3_get_varint(p, end, &pre))) break;
      p += k;
    }
    if (!(k = fts3_get_varint(p, end, &suf))) break;
    p += k;
    if (pre > term.n || suf < 0 || suf > end - p) {
      rc = SQLITE_CORRUPT_VTAB;
      break;
    }
    term.n = (int)pre;
    buf_put(&term, p, (int)suf);
    p += suf;
    first = 0;
    blk++;
    int m = term.n < nkey ? term.n : nkey;
    if (last ? m > 0 && memcmp(key, term.p, (size_t)m) < 0
             : memcmp_terms(term.p, term.n, key, nkey) > 0)
      break;
    *child = blk;
  }
  if (term.oom) rc = SQLITE_NOMEM;
  buf_free(&term);
  return rc;
}

static int interior_child(const unsigned char *p, int n, const unsigned char *key, int nkey, sqlite3_int64 *child) {
  return interior_child_of(p, n, key, nkey, 0, child);
}

/* Positions r at the first term >= key (key NULL: the first term of all). */
static int reader_seek(SegReader *r, Fts3Table *t, const Segment *seg, const unsigned char *key, int nkey) {
  memset(r, 0, sizeof *r);
  r->t = t;
  r->seg = seg;
  if (seg->nroot == 0) {
    r->eof = 1;
    return SQLITE_OK;
  }
  sqlite3_int64 h = 0;
  fts3_get_varint(seg->root, seg->root + seg->nroot, &h);
  if (h == 0) {
    r->leaf = seg->root;
    r->nleaf = seg->nroot;
    r->block = 0;
  } else {
    const unsigned char *node = seg->root;
    int nnode = seg->nroot;
    unsigned char *owned = NULL;
    sqlite3_int64 child = seg->start;
    for (int depth = 0; depth < 64; depth++) {
      if (key) {
        int rc = interior_child(node, nnode, key, nkey, &child);
        if (rc != SQLITE_OK) {
          sqlite3_free(owned);
          return rc;
        }
      } else {
        sqlite3_int64 hh, blk;
        int k = fts3_get_varint(node, node + nnode, &hh);
        if (!k || !fts3_get_varint(node + k, node + nnode, &blk)) {
          sqlite3_free(owned);
          return SQLITE_CORRUPT_VTAB;
        }
        child = blk;
      }
      sqlite3_free(owned);
      owned = NULL;
      int rc = fts3_block_read(t, child, &owned, &nnode);
      if (rc != SQLITE_OK) return rc;
      node = owned;
      fts3_get_varint(node, node + nnode, &h);
      if (h == 0) break;
    }
    if (h != 0) {
      sqlite3_free(owned);
      return SQLITE_CORRUPT_VTAB;
    }
    r->leaf = owned;
    r->nleaf = nnode;
    r->block = child;
  }
  reader_next(r);
  while (key && !r->eof && !r->rc && memcmp_terms(r->term.p, r->term.n, key, nkey) < 0) reader_next(r);
  return r->rc;
}

void fts3_segments_free(Segment *s, int n) {
  for (int i = 0; i < n; i++) sqlite3_free(s[i].root);
  sqlite3_free(s);
}

/* The segments on levels lo..hi, newest first. */
/* The second number of an end_block value "END LEAFBYTES" (negative while an incremental merge
** writes the segment); 0 when the value is a plain number, as older writers left it. */
static sqlite3_int64 end_leaf_bytes(sqlite3_stmt *s, int col) {
  if (sqlite3_column_type(s, col) != SQLITE_TEXT) return 0;
  const char *z = (const char *)sqlite3_column_text(s, col);
  if (!z) return 0;
  while (*z == ' ') z++;
  if (*z == '-') z++;
  while (*z >= '0' && *z <= '9') z++;
  if (*z != ' ') return 0;
  while (*z == ' ') z++;
  int neg = *z == '-';
  if (neg) z++;
  sqlite3_uint64 v = 0;
  while (*z >= '0' && *z <= '9' && v < ((sqlite3_uint64)1 << 62)) v = v * 10 + (sqlite3_uint64)(*z++ - '0');
  return neg ? -(sqlite3_int64)v : (sqlite3_int64)v;
}

int fts3_segments_load(Fts3Table *t, sqlite3_int64 lo, sqlite3_int64 hi, Segment **out, int *n) {
  int rc;
  sqlite3_stmt *s = fts3_stmt(t, ST_SEGDIR_RANGE, &rc);
  *out = NULL;
  *n = 0;
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, lo);
  sqlite3_bind_int64(s, 2, hi);
  Segment *a = NULL;
  int cap = 0;
  while (sqlite3_step(s) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 8;
      Segment *g = sqlite3_realloc64(a, sizeof(Segment) * (sqlite3_uint64)cap);
      if (!g) {
        sqlite3_reset(s);
        fts3_segments_free(a, *n);
        return SQLITE_NOMEM;
      }
      a = g;
    }
    Segment *g = &a[(*n)++];
    memset(g, 0, sizeof *g);
    g->level = sqlite3_column_int64(s, 0);
    g->idx = sqlite3_column_int(s, 1);
    g->start = sqlite3_column_int64(s, 2);
    g->leaves_end = sqlite3_column_int64(s, 3);
    g->end = sqlite3_column_int64(s, 4); /* "END LEAFBYTES": its leading number */
    g->leaf_bytes = end_leaf_bytes(s, 4);
    g->nroot = sqlite3_column_bytes(s, 5);
    g->root = sqlite3_malloc(g->nroot > 0 ? g->nroot : 1);
    if (!g->root) {
      sqlite3_reset(s);
      fts3_segments_free(a, *n);
      return SQLITE_NOMEM;
    }
    if (g->nroot) memcpy(g->root, sqlite3_column_blob(s, 5), (size_t)g->nroot);
  }
  rc = sqlite3_reset(s);
  if (rc != SQLITE_OK) {
    fts3_segments_free(a, *n);
    *n = 0;
    return rc;
  }
  *out = a;
  return SQLITE_OK;
}

/* ---- merging ----------------------------------------------------------------------------------------------- */

/* Merges the doclists of one term from readers r[0..n) (newest first; only
** those whose current term is the term, flagged in on[]): per docid the
** newest entry wins; deletion markers are dropped when drop_deletes. */
static int merge_doclists(SegReader *r, const int *on, int n, int drop_deletes, int desc, Buf *out) {
  DlIter it[64];
  DlIter *its = n <= 64 ? it : sqlite3_malloc64(sizeof(DlIter) * (sqlite3_uint64)n);
  if (!its) return SQLITE_NOMEM;
  for (int i = 0; i < n; i++) {
    if (on[i]) {
      dl_start(&its[i], r[i].dl, r[i].ndl, desc);
    } else {
      memset(&its[i], 0, sizeof its[i]);
      its[i].eof = 1;
    }
  }
  sqlite3_int64 last = 0;
  int any = 0, rc = SQLITE_OK;
  for (;;) {
    int best = -1;
    for (int i = 0; i < n; i++) {
      if (its[i].bad) rc = SQLITE_CORRUPT_VTAB;
      if (its[i].eof) continue;
      if (best < 0 || (desc ? its[i].docid > its[best].docid : its[i].docid < its[best].docid)) best = i;
    }
    if (best < 0 || rc != SQLITE_OK) break;
    sqlite3_int64 d = its[best].docid;
    if (!(drop_deletes && its[best].npl == 0)) {
      dl_put_docid(out, desc, d, &last, &any);
      buf_put(out, its[best].pl, its[best].npl);
      buf_put(out, "\0", 1);
    }
    for (int i = 0; i < n; i++)
      if (!its[i].eof && its[i].docid == d) dl_next(&its[i]);
  }
  if (its != it) sqlite3_free(its);
  if (out->oom) rc = SQLITE_NOMEM;
  return rc;
}

/* Terms of several segments merged in term order (the struct is fts3_int.h's MergeCursor). */
struct MergeCursor {
  Fts3Table *t;
  SegReader *r;
  int n, opened;
  int *on;            /* readers holding the current term: they move on at the next step */
  int drop_deletes;
  Buf term, dl;
};

int fts3_merge_open(Fts3Table *t, const Segment *segs, int n, int drop_deletes, MergeCursor **out) {
  MergeCursor *m = sqlite3_malloc((int)sizeof *m);
  *out = m;
  if (!m) return SQLITE_NOMEM;
  memset(m, 0, sizeof *m);
  m->t = t;
  m->n = n;
  m->drop_deletes = drop_deletes;
  m->r = sqlite3_malloc64(sizeof(SegReader) * (sqlite3_uint64)(n ? n : 1));
  m->on = sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)(n ? n : 1));
  int rc = m->r && m->on ? SQLITE_OK : SQLITE_NOMEM;
  if (m->on) memset(m->on, 0, sizeof(int) * (size_t)(n ? n : 1));
  for (; rc == SQLITE_OK && m->opened < n; m->opened++)
    rc = reader_seek(&m->r[m->opened], t, &segs[m->opened], NULL, 0);
  return rc;
}

int fts3_merge_step(MergeCursor *m) {
  int rc = SQLITE_OK;
  for (;;) {
    for (int i = 0; i < m->n; i++) {
      if (m->on[i]) reader_next(&m->r[i]);
      m->on[i] = 0;
    }
    int best = -1;
    for (int i = 0; i < m->n; i++) {
      if (m->r[i].rc) return m->r[i].rc;
      if (m->r[i].eof) continue;
      if (best < 0 || memcmp_terms(m->r[i].term.p, m->r[i].term.n, m->r[best].term.p, m->r[best].term.n) < 0) best = i;
    }
    if (best < 0) return SQLITE_DONE;
    m->term.n = 0;
    buf_put(&m->term, m->r[best].term.p, m->r[best].term.n);
    if (m->term.oom) return SQLITE_NOMEM;
    for (int i = 0; i < m->n; i++)
      m->on[i] = !m->r[i].eof && memcmp_terms(m->r[i].term.p, m->r[i].term.n, m->term.p, m->term.n) == 0;
    m->dl.n = 0;
    if ((rc = merge_doclists(m->r, m->on, m->n, m->drop_deletes, m->t->desc, &m->dl)) != SQLITE_OK) return rc;
    if (m->dl.n > 0) return SQLITE_ROW; /* else every entry was a dropped deletion marker */
  }
}

const unsigned char *fts3_merge_term(const MergeCursor *m, int *n, const unsigned char **dl, int *ndl) {
  *n = m->term.n;
  if (dl) *dl = m->dl.p, *ndl = m->dl.n;
  return m->term.p;
}

const unsigned char *fts3_merge_reader_term(const MergeCursor *m, int i, int *n) {
  if (m->r[i].eof) return NULL;
  *n = m->r[i].term.n;
  return m->r[i].term.p;
}

void fts3_merge_close(MergeCursor *m) {
  if (!m) return;
  for (int i = 0; i < m->opened; i++) reader_free(&m->r[i]);
  sqlite3_free(m->r);
  sqlite3_free(m->on);
  buf_free(&m->term);
  buf_free(&m->dl);
  sqlite3_free(m);
}

/* Calls fn for every term of segs[0..n) (newest first) with its merged doclist, in term order. */
typedef int (*TermFn)(void *ctx, const unsigned char *term, int nterm, const unsigned char *dl, int ndl, int desc);

static int merge_segments(Fts3Table *t, const Segment *segs, int n, int drop_deletes, TermFn fn, void *ctx) {
  MergeCursor *m;
  int rc = fts3_merge_open(t, segs, n, drop_deletes, &m);
  while (rc == SQLITE_OK && (rc = fts3_merge_step(m)) == SQLITE_ROW) {
    rc = fn(ctx, m->term.p, m->term.n, m->dl.p, m->dl.n, t->desc);
  }
  fts3_merge_close(m);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int write_term(void *ctx, const unsigned char *term, int nterm, const unsigned char *dl, int ndl, int desc) {
  (void)desc;
  return writer_add(ctx, (const char *)term, nterm, dl, ndl);
}

static int segments_drop(Fts3Table *t, const Segment *segs, int n) {
  int rc = SQLITE_OK;
  for (int i = 0; i < n && rc == SQLITE_OK; i++) {
    if (segs[i].start == 0) continue;
    sqlite3_stmt *s = fts3_stmt(t, ST_SEGMENTS_DELETE_RANGE, &rc);
    if (!s) break;
    sqlite3_bind_int64(s, 1, segs[i].start);
    sqlite3_bind_int64(s, 2, segs[i].end > segs[i].leaves_end ? segs[i].end : segs[i].leaves_end);
    sqlite3_step(s);
    rc = sqlite3_reset(s);
  }
  return rc;
}

static int level_delete(Fts3Table *t, sqlite3_int64 level) {
  int rc;
  sqlite3_stmt *s = fts3_stmt(t, ST_SEGDIR_DELETE_LEVEL, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, level);
  sqlite3_step(s);
  return sqlite3_reset(s);
}

/* The highest level in use in lo..hi, or lo - 1 when none is. */
static int max_level(Fts3Table *t, sqlite3_int64 lo, sqlite3_int64 hi, sqlite3_int64 *out) {
  int rc;
  sqlite3_stmt *s = fts3_stmt(t, ST_SEGDIR_MAX_LEVEL, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, lo);
  sqlite3_bind_int64(s, 2, hi);
  *out = lo - 1;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) *out = sqlite3_column_int64(s, 0);
  return sqlite3_reset(s);
}

/* The first level of the group of levels after `level`'s (each index of each language owns 1024). */
static sqlite3_int64 group_end(sqlite3_int64 level) {
  return (level / FTS3_LEVELS_PER_INDEX + 1) * FTS3_LEVELS_PER_INDEX;
}

/*
** After a segment of nbytes leaf bytes was written on `level` (by a flush, or by a merge below the
** group's highest level): when every segment on the levels above it in its group is at most half
** as large again, they are all moved down to `level`, the oldest first, so that small segments
** do not wait on high levels for merges that would take many more of them to start.
*/
int fts3_promote(Fts3Table *t, sqlite3_int64 level, sqlite3_int64 nbytes) {
  int rc;
  sqlite3_int64 last = group_end(level) - 1, limit = nbytes * 3 / 2;
  sqlite3_stmt *s = fts3_stmt(t, ST_SEGDIR_PROMOTE_RANGE, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, level + 1);
  sqlite3_bind_int64(s, 2, last);
  int ok = 0;
  while (sqlite3_step(s) == SQLITE_ROW) {
    sqlite3_int64 size = end_leaf_bytes(s, 2);
    ok = size > 0 && size <= limit;
    if (!ok) break;
  }
  if ((rc = sqlite3_reset(s)) != SQLITE_OK || !ok) return rc;
  sqlite3_stmt *out = fts3_stmt(t, ST_SEGDIR_MOVE_OUT, &rc);
  if (!out) return rc;
  /* Renumber the segments of level..last into level -1 (unused otherwise), oldest first, then move them back. */
  sqlite3_bind_int64(s, 1, level);
  int idx = 0;
  while (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    sqlite3_bind_int(out, 1, idx++);
    sqlite3_bind_int64(out, 2, sqlite3_column_int64(s, 0));
    sqlite3_bind_int(out, 3, sqlite3_column_int(s, 1));
    sqlite3_step(out);
    rc = sqlite3_reset(out);
  }
  int rc2 = sqlite3_reset(s);
  if (rc == SQLITE_OK) rc = rc2;
  sqlite3_stmt *in = rc == SQLITE_OK ? fts3_stmt(t, ST_SEGDIR_MOVE_IN, &rc) : NULL;
  if (!in) return rc;
  sqlite3_bind_int64(in, 1, level);
  sqlite3_step(in);
  return sqlite3_reset(in);
}

static int merge_level(Fts3Table *t, sqlite3_int64 level);

int fts3_next_idx(Fts3Table *t, sqlite3_int64 level, sqlite3_int64 *next) {
  int rc;
  sqlite3_stmt *q = fts3_stmt(t, ST_SEGDIR_LEVEL_MAXIDX, &rc);
  if (!q) return rc;
  sqlite3_bind_int64(q, 1, level);
  *next = 0;
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) *next = sqlite3_column_int64(q, 0) + 1;
  return sqlite3_reset(q);
}

/*
** The idx a new segment on `level` takes: the next free one, or, when the level holds
** FTS3_MERGE_COUNT segments already, 0 after they were merged into one on the level above
** (which may merge that level first, and so on up).
*/
static int alloc_idx(Fts3Table *t, sqlite3_int64 level, int *idx) {
  int rc;
  sqlite3_stmt *q = fts3_stmt(t, ST_SEGDIR_LEVEL_MAXIDX, &rc);
  if (!q) return rc;
  sqlite3_bind_int64(q, 1, level);
  int next = 0;
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) next = sqlite3_column_int(q, 0) + 1;
  if ((rc = sqlite3_reset(q)) != SQLITE_OK) return rc;
  *idx = next;
  if (next < FTS3_MERGE_COUNT) return SQLITE_OK;
  *idx = 0;
  return merge_level(t, level);
}

/* Merges the segments of `level` into one on the level above. */
static int merge_level(Fts3Table *t, sqlite3_int64 level) {
  Segment *segs;
  int n, rc = fts3_segments_load(t, level, level, &segs, &n);
  if (rc != SQLITE_OK || n == 0) {
    fts3_segments_free(segs, n);
    return rc;
  }
  sqlite3_int64 base = level - level % FTS3_LEVELS_PER_INDEX, top = 0;
  int idx = 0;
  rc = max_level(t, base, group_end(level) - 1, &top);
  /* The level above takes the output (merging its own segments first when it is full). */
  if (rc == SQLITE_OK) rc = alloc_idx(t, level + 1, &idx);
  SegWriter w;
  memset(&w, 0, sizeof w);
  if (rc == SQLITE_OK) rc = writer_start(&w, t);
  /* Deletion markers hide nothing once no older segment is left. */
  if (rc == SQLITE_OK) rc = merge_segments(t, segs, n, level + 1 > top, write_term, &w);
  if (rc == SQLITE_OK) rc = segments_drop(t, segs, n);
  if (rc == SQLITE_OK) rc = level_delete(t, level);
  sqlite3_int64 nbytes = 0;
  if (rc == SQLITE_OK) rc = writer_finish(&w, level + 1, idx, &nbytes);
  if (rc == SQLITE_OK && nbytes && level + 1 < top) rc = fts3_promote(t, level + 1, nbytes);
  writer_free(&w);
  fts3_segments_free(segs, n);
  return rc;
}

/* ---- flushing pending terms -------------------------------------------------------------------------------- */

static int cmp_pending(const void *a, const void *b) {
  const PendingTerm *x = *(PendingTerm *const *)a, *y = *(PendingTerm *const *)b;
  return memcmp_terms((const unsigned char *)x->term, x->n, (const unsigned char *)y->term, y->n);
}

/* index's pending terms in term order (NULL with *n 0 when there are none). */
static int pending_sorted(Fts3Table *t, int index, PendingTerm ***out, int *n) {
  PendingHash *ph = &t->pending[index];
  *out = NULL;
  *n = ph->nterms;
  if (*n == 0) return SQLITE_OK;
  PendingTerm **all = sqlite3_malloc64(sizeof(PendingTerm *) * (sqlite3_uint64)*n);
  if (!all) return SQLITE_NOMEM;
  int k = 0;
  for (int i = 0; i < ph->nslots; i++)
    for (PendingTerm *p = ph->slot[i]; p; p = p->next) all[k++] = p;
  assert(k == *n);
  qsort(all, (size_t)*n, sizeof *all, cmp_pending);
  *out = all;
  return SQLITE_OK;
}

/* Writes an ascending doclist dl[0..n) in descending docid order (an order=DESC index's) to out. */
static int dl_reverse(const unsigned char *dl, int n, Buf *out) {
  DlIter it;
  int count = 0, cap = 0, rc = SQLITE_OK;
  DlIter *at = NULL;
  for (dl_start(&it, dl, n, 0); !it.eof; dl_next(&it)) {
    if (count == cap) {
      DlIter *g = fts3_grow(at, &cap, sizeof *g, 16);
      if (!g) {
        rc = SQLITE_NOMEM;
        break;
      }
      at = g;
    }
    at[count++] = it;
  }
  if (rc == SQLITE_OK && it.bad) rc = SQLITE_CORRUPT_VTAB;
  sqlite3_int64 last = 0;
  int any = 0;
  for (int i = count - 1; rc == SQLITE_OK && i >= 0; i--) {
    dl_put_docid(out, 1, at[i].docid, &last, &any);
    buf_put(out, at[i].pl, at[i].npl);
    buf_put(out, "\0", 1);
  }
  sqlite3_free(at);
  return rc == SQLITE_OK && out->oom ? SQLITE_NOMEM : rc;
}

/* Writes index's pending terms as a new segment on the first level of its group. */
static int flush_index(Fts3Table *t, int index) {
  PendingTerm **all;
  int n, rc = pending_sorted(t, index, &all, &n);
  if (rc != SQLITE_OK || n == 0) return rc;
  sqlite3_int64 level = fts3_level_base(t, t->pending_langid, index);
  int idx = 0;
  rc = alloc_idx(t, level, &idx);
  SegWriter w;
  memset(&w, 0, sizeof w);
  if (rc == SQLITE_OK) rc = writer_start(&w, t);
  Buf rev = {0};
  for (int i = 0; i < n && rc == SQLITE_OK; i++) {
    buf_put(&all[i]->dl, "\0", 1);
    if (all[i]->dl.oom) {
      rc = SQLITE_NOMEM;
      break;
    }
    if (t->desc) {
      rev.n = 0;
      rc = dl_reverse(all[i]->dl.p, all[i]->dl.n, &rev);
      if (rc == SQLITE_OK) rc = writer_add(&w, all[i]->term, all[i]->n, rev.p, rev.n);
    } else {
      rc = writer_add(&w, all[i]->term, all[i]->n, all[i]->dl.p, all[i]->dl.n);
    }
    all[i]->dl.n--;
  }
  buf_free(&rev);
  sqlite3_int64 nbytes = 0;
  if (rc == SQLITE_OK) rc = writer_finish(&w, level, idx, &nbytes);
  if (rc == SQLITE_OK && nbytes) rc = fts3_promote(t, level, nbytes);
  writer_free(&w);
  sqlite3_free(all);
  return rc;
}

int fts3_pending_flush(Fts3Table *t) {
  if (!t->has_pending) return SQLITE_OK;
  /* The segment rows written here are the index's bookkeeping: the
  ** application's last_insert_rowid() stays that of its own INSERT (the
  ** flush runs at COMMIT, after the statement set it). */
  sqlite3_int64 last = sqlite3_last_insert_rowid(t->db);
  int rc = SQLITE_OK;
  for (int i = 0; i < t->nindex && rc == SQLITE_OK; i++) rc = flush_index(t, i);
  fts3_pending_clear(t);
  sqlite3_set_last_insert_rowid(t->db, last);
  return rc;
}

/* ---- lookups ----------------------------------------------------------------------------------------------- */

/* One document's entry for one term from one segment. */
typedef struct Entry {
  sqlite3_int64 docid;
  unsigned term;      /* hash of the term */
  int age;            /* 0 for the newest segment */
  int off, n;         /* its poslist in the pool */
} Entry;

typedef struct EntryList {
  Entry *e;
  int n, cap;
  Buf pool;
} EntryList;

static int entries_add(EntryList *l, const unsigned char *term, int nterm, int age, const unsigned char *dl, int ndl,
                       int desc) {
  unsigned h = term_hash((const char *)term, nterm);
  DlIter it;
  for (dl_start(&it, dl, ndl, desc); !it.eof; dl_next(&it)) {
    if (l->n == l->cap) {
      Entry *e = fts3_grow(l->e, &l->cap, sizeof *e, 64);
      if (!e) return SQLITE_NOMEM;
      l->e = e;
    }
    Entry *e = &l->e[l->n++];
    e->docid = it.docid;
    e->term = h;
    e->age = age;
    e->off = l->pool.n;
    e->n = it.npl;
    buf_put(&l->pool, it.pl, it.npl);
  }
  if (it.bad) return SQLITE_CORRUPT_VTAB;
  return l->pool.oom ? SQLITE_NOMEM : SQLITE_OK;
}

static int cmp_entry(const void *a, const void *b) {
  const Entry *x = a, *y = b;
  if (x->docid != y->docid) return x->docid < y->docid ? -1 : 1;
  if (x->term != y->term) return x->term < y->term ? -1 : 1;
  return x->age - y->age;
}

/* Sorts l's entries by (docid, term, age).  Each segment's entries for one term come in docid
** order already, so this merges those runs pairwise (a natural merge sort): O(n log runs). */
static int entries_sort(EntryList *l) {
  if (l->n < 2) return SQLITE_OK;
  Entry *tmp = NULL;
  for (;;) {
    int runs = 1;
    for (int i = 1; i < l->n; i++) runs += cmp_entry(&l->e[i - 1], &l->e[i]) > 0;
    if (runs == 1) break;
    if (!tmp && !(tmp = sqlite3_malloc64(sizeof(Entry) * (sqlite3_uint64)l->n))) return SQLITE_NOMEM;
    int out = 0, i = 0;
    while (i < l->n) {
      int a = i, a_end = i + 1;
      while (a_end < l->n && cmp_entry(&l->e[a_end - 1], &l->e[a_end]) <= 0) a_end++;
      int b = a_end, b_end = b < l->n ? b + 1 : b;
      while (b_end < l->n && cmp_entry(&l->e[b_end - 1], &l->e[b_end]) <= 0) b_end++;
      while (a < a_end || b < b_end)
        tmp[out++] = b >= b_end || (a < a_end && cmp_entry(&l->e[a], &l->e[b]) <= 0) ? l->e[a++] : l->e[b++];
      i = b_end;
    }
    memcpy(l->e, tmp, sizeof(Entry) * (size_t)l->n);
  }
  sqlite3_free(tmp);
  return SQLITE_OK;
}

static int cmp_i64(const void *a, const void *b) {
  sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
  return x < y ? -1 : x > y;
}

/* The entries of index 0's pending terms that are term (or, when prefix, begin with it), as the
** newest segment's. */
static int pending_entries(Fts3Table *t, const unsigned char *key, int n, int prefix, EntryList *l) {
  PendingHash *ph = &t->pending[0];
  int rc = SQLITE_OK;
  for (int i = 0; i < ph->nslots && rc == SQLITE_OK; i++) {
    for (PendingTerm *p = ph->slot[i]; p && rc == SQLITE_OK; p = p->next) {
      int match = prefix ? p->n >= n && memcmp(p->term, key, (size_t)n) == 0
                         : p->n == n && memcmp(p->term, key, (size_t)n) == 0;
      if (!match) continue;
      /* The last document's poslist is ended when the next one starts: end it for the walk. */
      buf_put(&p->dl, "\0", 1);
      rc = p->dl.oom ? SQLITE_NOMEM : entries_add(l, (const unsigned char *)p->term, p->n, 0, p->dl.p, p->dl.n, 0);
      if (!p->dl.oom) p->dl.n--;
    }
  }
  return rc;
}

int fts3_term_hits(Fts3Table *t, int langid, const char *term, int n, int prefix, DocHits *out) {
  memset(out, 0, sizeof *out);
  Segment *segs;
  int nseg, rc;
  sqlite3_int64 base = fts3_level_base(t, langid, 0);
  if ((rc = fts3_segments_load(t, base, base + FTS3_LEVELS_PER_INDEX - 1, &segs, &nseg)) != SQLITE_OK) return rc;
  EntryList l = {0};
  const unsigned char *key = (const unsigned char *)term;
  /* Terms not written yet are the newest (they are the connection's own, of one language). */
  if (t->has_pending && t->pending_langid == langid) rc = pending_entries(t, key, n, prefix, &l);
  for (int i = 0; i < nseg && rc == SQLITE_OK; i++) {
    SegReader r;
    rc = reader_seek(&r, t, &segs[i], key, n);
    while (rc == SQLITE_OK && !r.eof) {
      int match = prefix ? r.term.n >= n && (n == 0 || memcmp(r.term.p, key, (size_t)n) == 0)
                         : memcmp_terms(r.term.p, r.term.n, key, n) == 0;
      if (!match) break;
      rc = entries_add(&l, r.term.p, r.term.n, i + 1, r.dl, r.ndl, t->desc);
      if (rc == SQLITE_OK) {
        reader_next(&r);
        rc = r.rc;
      }
      if (!prefix) break;
    }
    reader_free(&r);
  }
  fts3_segments_free(segs, nseg);
  if (rc == SQLITE_OK) rc = entries_sort(&l);
  /* Per document: the newest entry of each term; the document's hits the union of theirs. */
  for (int i = 0; i < l.n && rc == SQLITE_OK;) {
    sqlite3_int64 d = l.e[i].docid;
    int h0 = out->nhits;
    while (i < l.n && l.e[i].docid == d) {
      unsigned term_h = l.e[i].term;
      rc = poslist_decode(l.pool.p + l.e[i].off, l.e[i].n, out);
      while (i < l.n && l.e[i].docid == d && l.e[i].term == term_h) i++;
      if (rc != SQLITE_OK) break;
    }
    if (rc != SQLITE_OK || out->nhits == h0) continue;
    if (out->nhits - h0 > 1) {
      qsort(out->hit + h0, (size_t)(out->nhits - h0), sizeof(sqlite3_int64), cmp_i64);
      int w = h0 + 1;
      for (int k = h0 + 1; k < out->nhits; k++)
        if (out->hit[k] != out->hit[w - 1]) out->hit[w++] = out->hit[k];
      out->nhits = w;
    }
    if (out->ndocs + 1 >= out->cap) {
      int cap = out->cap ? out->cap * 2 : 64;
      sqlite3_int64 *dd = sqlite3_realloc64(out->docid, sizeof(sqlite3_int64) * (sqlite3_uint64)cap);
      if (dd) out->docid = dd;
      int *ss = dd ? sqlite3_realloc64(out->start, sizeof(int) * (sqlite3_uint64)(cap + 1)) : NULL;
      if (ss) out->start = ss;
      if (!dd || !ss) {
        rc = SQLITE_NOMEM;
        break;
      }
      out->cap = cap;
    }
    out->docid[out->ndocs] = d;
    out->start[out->ndocs++] = h0;
    out->start[out->ndocs] = out->nhits;
  }
  sqlite3_free(l.e);
  buf_free(&l.pool);
  if (rc != SQLITE_OK) dochits_free(out);
  return rc;
}

/* ---- costs of terms ------------------------------------------------------------------------------------------ */

/* The leaf block of seg (not a root-only one) that would hold key; with last, the last leaf that may
** hold a term key begins. */
static int seg_leaf(Fts3Table *t, const Segment *seg, const unsigned char *key, int nkey, int last,
                    sqlite3_int64 *leaf) {
  const unsigned char *node = seg->root;
  int nnode = seg->nroot, rc = SQLITE_OK;
  unsigned char *owned = NULL;
  for (int depth = 0; depth < 64; depth++) {
    sqlite3_int64 h = 0, child = 0;
    if (!fts3_get_varint(node, node + nnode, &h) || h < 1) {
      rc = SQLITE_CORRUPT_VTAB;
      break;
    }
    if ((rc = interior_child_of(node, nnode, key, nkey, last, &child)) != SQLITE_OK) break;
    if (h == 1) {
      *leaf = child;
      sqlite3_free(owned);
      return SQLITE_OK;
    }
    sqlite3_free(owned);
    owned = NULL;
    if ((rc = fts3_block_read(t, child, &owned, &nnode)) != SQLITE_OK) break;
    node = owned;
    sqlite3_int64 hh = 0;
    if (!fts3_get_varint(node, node + nnode, &hh) || hh >= h) {
      rc = SQLITE_CORRUPT_VTAB;
      break;
    }
  }
  sqlite3_free(owned);
  return rc == SQLITE_OK ? SQLITE_CORRUPT_VTAB : rc;
}

static int block_size(Fts3Table *t, sqlite3_int64 id, sqlite3_int64 *n) {
  int rc;
  sqlite3_stmt *s = fts3_stmt(t, ST_SEGMENTS_SIZE, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, id);
  int found = sqlite3_step(s) == SQLITE_ROW;
  if (found) *n = sqlite3_column_int64(s, 0);
  rc = sqlite3_reset(s);
  return rc == SQLITE_OK && !found ? SQLITE_CORRUPT_VTAB : rc;
}

/* Adds to *cost the pages beyond the first of each leaf of the segments of levels lo..hi that a
** lookup of key (prefix: of the terms it begins) reads: a leaf larger than a page holds a doclist that
** spills onto overflow pages.  Leaves held in a segment's root are free. */
static int group_cost(Fts3Table *t, sqlite3_int64 lo, const unsigned char *key, int nkey, int prefix, int *cost) {
  Segment *segs;
  int n, rc = fts3_segments_load(t, lo, lo + FTS3_LEVELS_PER_INDEX - 1, &segs, &n);
  sqlite3_int64 page = t->node_size + 35;
  for (int i = 0; i < n && rc == SQLITE_OK; i++) {
    if (segs[i].start == 0) continue;
    sqlite3_int64 first = 0, last = 0;
    rc = seg_leaf(t, &segs[i], key, nkey, 0, &first);
    last = first;
    if (rc == SQLITE_OK && prefix) rc = seg_leaf(t, &segs[i], key, nkey, 1, &last);
    for (sqlite3_int64 b = first; rc == SQLITE_OK && b <= last; b++) {
      sqlite3_int64 size = 0;
      rc = block_size(t, b, &size);
      if (rc == SQLITE_OK && size + 35 > page) *cost += (int)((size + 34) / page);
    }
  }
  fts3_segments_free(segs, n);
  return rc;
}

int fts3_token_cost(Fts3Table *t, int langid, const char *tok, int n, int prefix, int *cost) {
  const unsigned char *key = (const unsigned char *)tok;
  *cost = 0;
  /* A prefix lookup reads a prefix= index of its length (exact terms), or one a byte longer (its
  ** terms that begin with it, and the exact term from the main index), else the main index. */
  for (int i = 1; prefix && i < t->nindex; i++)
    if (t->prefix_chars[i] == n) return group_cost(t, fts3_level_base(t, langid, i), key, n, 0, cost);
  for (int i = 1; prefix && i < t->nindex; i++) {
    if (t->prefix_chars[i] != n + 1) continue;
    int rc = group_cost(t, fts3_level_base(t, langid, i), key, n, 1, cost);
    return rc == SQLITE_OK ? group_cost(t, fts3_level_base(t, langid, 0), key, n, 0, cost) : rc;
  }
  return group_cost(t, fts3_level_base(t, langid, 0), key, n, prefix, cost);
}

int fts3_doc_average(Fts3Table *t, sqlite3_int64 *ndocs, int *pages) {
  int rc;
  sqlite3_stmt *s = fts3_stmt(t, ST_STAT_READ, &rc);
  if (!s) return rc;
  sqlite3_int64 nd = 0, nbytes = 0;
  if (sqlite3_step(s) == SQLITE_ROW) {
    /* The documents, then per column the tokens, and last the bytes of text. */
    const unsigned char *p = sqlite3_column_blob(s, 0), *end = p + sqlite3_column_bytes(s, 0);
    int k = p ? fts3_get_varint(p, end, &nd) : 0;
    for (p += k; k && p < end; p += k) k = fts3_get_varint(p, end, &nbytes);
  }
  rc = sqlite3_reset(s);
  if (rc != SQLITE_OK) return rc;
  if (nd <= 0 || nbytes <= 0) return SQLITE_CORRUPT_VTAB;
  sqlite3_int64 page = t->node_size + 35;
  *ndocs = nd;
  *pages = (int)((nbytes / nd + page) / page);
  return SQLITE_OK;
}

/* ---- %_docsize and %_stat ---------------------------------------------------------------------------------- */

static int decode_varints(const unsigned char *p, int n, sqlite3_int64 *out, int count) {
  const unsigned char *end = p + n;
  for (int i = 0; i < count; i++) {
    out[i] = 0;
    if (p >= end) continue;
    int k = fts3_get_varint(p, end, &out[i]);
    if (!k) return SQLITE_CORRUPT_VTAB;
    p += k;
  }
  return SQLITE_OK;
}

int fts3_docsize_write(Fts3Table *t, sqlite3_int64 docid, const sqlite3_int64 *ntok) {
  Buf b = {0};
  for (int i = 0; i < t->ncol; i++) buf_varint(&b, (sqlite3_uint64)ntok[i]);
  if (b.oom) return SQLITE_NOMEM;
  int rc;
  sqlite3_stmt *s = fts3_stmt(t, ST_DOCSIZE_WRITE, &rc);
  if (s) {
    sqlite3_bind_int64(s, 1, docid);
    sqlite3_bind_blob(s, 2, b.p, b.n, SQLITE_STATIC);
    sqlite3_step(s);
    rc = sqlite3_reset(s);
    sqlite3_bind_null(s, 2);
  }
  buf_free(&b);
  return rc;
}

int fts3_docsize_read(Fts3Table *t, sqlite3_int64 docid, sqlite3_int64 *ntok) {
  int rc;
  memset(ntok, 0, sizeof(sqlite3_int64) * (size_t)t->ncol);
  sqlite3_stmt *s = fts3_stmt(t, ST_DOCSIZE_READ, &rc);
  if (!s) return rc;
  sqlite3_bind_int64(s, 1, docid);
  if (sqlite3_step(s) == SQLITE_ROW)
    rc = decode_varints(sqlite3_column_blob(s, 0), sqlite3_column_bytes(s, 0), ntok, t->ncol);
  int rc2 = sqlite3_reset(s);
  return rc != SQLITE_OK ? rc : rc2;
}

/* The stat row: documents, tokens per column, bytes of text. */
static int stat_read_all(Fts3Table *t, sqlite3_int64 *v) {
  int rc;
  memset(v, 0, sizeof(sqlite3_int64) * (size_t)(t->ncol + 2));
  sqlite3_stmt *s = fts3_stmt(t, ST_STAT_READ, &rc);
  if (!s) return rc;
  if (sqlite3_step(s) == SQLITE_ROW)
    rc = decode_varints(sqlite3_column_blob(s, 0), sqlite3_column_bytes(s, 0), v, t->ncol + 2);
  int rc2 = sqlite3_reset(s);
  return rc != SQLITE_OK ? rc : rc2;
}

int fts3_stat_read(Fts3Table *t, sqlite3_int64 *ndocs, sqlite3_int64 *ntok) {
  int rc;
  sqlite3_stmt *s = fts3_stmt(t, ST_STAT_READ, &rc);
  if (!s) return rc;
  /* As matchinfo() reads it in SQLite: a blob of at least the documents (more than 0) and, when the
  ** columns' counts are wanted, one varint for each. */
  int found = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_BLOB;
  const unsigned char *p = found ? sqlite3_column_blob(s, 0) : NULL, *end = p + (p ? sqlite3_column_bytes(s, 0) : 0);
  int k = p ? fts3_get_varint(p, end, ndocs) : 0;
  if (!k || *ndocs <= 0) rc = SQLITE_CORRUPT_VTAB;
  for (int i = 0; rc == SQLITE_OK && ntok && i < t->ncol; i++) {
    p += k;
    if (!(k = fts3_get_varint(p, end, &ntok[i]))) rc = SQLITE_CORRUPT_VTAB;
  }
  int rc2 = sqlite3_reset(s);
  return rc == SQLITE_OK ? rc2 : rc;
}

int fts3_stat_update(Fts3Table *t, int sign, const sqlite3_int64 *ntok, sqlite3_int64 nbytes) {
  sqlite3_int64 *v = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)(t->ncol + 2));
  if (!v) return SQLITE_NOMEM;
  int rc = stat_read_all(t, v);
  if (rc == SQLITE_OK) {
    v[0] += sign;
    for (int i = 0; i < t->ncol; i++) v[1 + i] += sign * ntok[i];
    v[t->ncol + 1] += sign * nbytes;
    Buf b = {0};
    for (int i = 0; i < t->ncol + 2; i++) buf_varint(&b, (sqlite3_uint64)(v[i] < 0 ? 0 : v[i]));
    sqlite3_stmt *s = b.oom ? NULL : fts3_stmt(t, ST_STAT_WRITE, &rc);
    if (b.oom) rc = SQLITE_NOMEM;
    if (s) {
      sqlite3_bind_blob(s, 1, b.p, b.n, SQLITE_STATIC);
      sqlite3_step(s);
      rc = sqlite3_reset(s);
      sqlite3_bind_null(s, 1);
    }
    buf_free(&b);
  }
  sqlite3_free(v);
  return rc;
}

/* ---- commands ---------------------------------------------------------------------------------------------- */

/* Merges all the segments of the level group from base into one, on its highest level in use;
** SQLITE_DONE when the group holds one segment already. */
static int optimize_group(Fts3Table *t, sqlite3_int64 base) {
  Segment *segs = NULL;
  int n = 0;
  int rc = fts3_segments_load(t, base, base + FTS3_LEVELS_PER_INDEX - 1, &segs, &n);
  if (rc != SQLITE_OK || n <= 1) {
    fts3_segments_free(segs, n);
    return rc == SQLITE_OK && n == 1 ? SQLITE_DONE : rc;
  }
  sqlite3_int64 top = base;
  for (int i = 0; i < n; i++)
    if (segs[i].level > top) top = segs[i].level;
  SegWriter w;
  rc = writer_start(&w, t);
  if (rc == SQLITE_OK) rc = merge_segments(t, segs, n, 1, write_term, &w);
  if (rc == SQLITE_OK) rc = segments_drop(t, segs, n);
  for (sqlite3_int64 lv = base; lv <= top && rc == SQLITE_OK; lv++) rc = level_delete(t, lv);
  sqlite3_int64 nbytes;
  if (rc == SQLITE_OK) rc = writer_finish(&w, top, 0, &nbytes);
  writer_free(&w);
  fts3_segments_free(segs, n);
  return rc;
}

int fts3_optimize(Fts3Table *t) {
  int rc = fts3_pending_flush(t), done = 0;
  /* Every language with segments (the levels say which), each index of it. */
  sqlite3_stmt *s = NULL;
  char *sql = sqlite3_mprintf("SELECT DISTINCT level / %d FROM \"%w\".\"%w_segdir\" ORDER BY 1",
                              FTS3_LEVELS_PER_INDEX * t->nindex, t->zdb, t->zname);
  if (rc == SQLITE_OK) rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  sqlite3_int64 *langs = NULL;
  int nlangs = 0, cap = 0;
  while (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    if (nlangs == cap) {
      sqlite3_int64 *g = fts3_grow(langs, &cap, sizeof *g, 8);
      if (!g) {
        rc = SQLITE_NOMEM;
        break;
      }
      langs = g;
    }
    langs[nlangs++] = sqlite3_column_int64(s, 0);
  }
  int rc2 = s ? sqlite3_finalize(s) : SQLITE_OK;
  if (rc == SQLITE_OK) rc = rc2;
  for (int l = 0; l < nlangs && rc == SQLITE_OK; l++) {
    for (int i = 0; i < t->nindex && rc == SQLITE_OK; i++) {
      rc = optimize_group(t, (langs[l] * t->nindex + i) * FTS3_LEVELS_PER_INDEX);
      if (rc == SQLITE_DONE) {
        done = 1;
        rc = SQLITE_OK;
      }
    }
  }
  sqlite3_free(langs);
  return rc == SQLITE_OK && done ? SQLITE_DONE : rc;
}

static int exec_fmt(Fts3Table *t, const char *fmt) {
  char *sql = sqlite3_mprintf(fmt, t->zdb, t->zname);
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_exec(t->db, sql, NULL, NULL, NULL);
  sqlite3_free(sql);
  return rc;
}

int fts3_delete_all(Fts3Table *t, int content) {
  fts3_pending_clear(t);
  int rc = content ? exec_fmt(t, "DELETE FROM \"%w\".\"%w_content\"") : SQLITE_OK;
  if (rc == SQLITE_OK) rc = exec_fmt(t, "DELETE FROM \"%w\".\"%w_segments\"");
  if (rc == SQLITE_OK) rc = exec_fmt(t, "DELETE FROM \"%w\".\"%w_segdir\"");
  if (rc == SQLITE_OK && t->has_docsize) rc = exec_fmt(t, "DELETE FROM \"%w\".\"%w_docsize\"");
  if (rc == SQLITE_OK && t->has_stat) rc = exec_fmt(t, "DELETE FROM \"%w\".\"%w_stat\"");
  return rc;
}

int fts3_rebuild(Fts3Table *t) {
  int rc = fts3_delete_all(t, 0);
  if (rc != SQLITE_OK) return rc;
  if (t->content == CONTENT_NONE) return SQLITE_ERROR;
  char *sql = fts3_content_sql(t, " ORDER BY 1");
  sqlite3_stmt *s = NULL;
  rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  sqlite3_int64 *ntok = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)(t->ncol + 1));
  sqlite3_value **vals = sqlite3_malloc64(sizeof(sqlite3_value *) * (sqlite3_uint64)(t->ncol + 1));
  if (rc == SQLITE_OK && (!ntok || !vals)) rc = SQLITE_NOMEM;
  while (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    sqlite3_int64 docid = sqlite3_column_int64(s, 0);
    int langid = t->langid_col ? sqlite3_column_int(s, t->ncol + 1) : 0;
    sqlite3_int64 nbytes = 0;
    for (int i = 0; i < t->ncol; i++) {
      vals[i] = sqlite3_column_value(s, i + 1);
      if (sqlite3_value_type(vals[i]) != SQLITE_NULL && !(t->notindexed && t->notindexed[i]))
        nbytes += sqlite3_value_bytes(vals[i]);
    }
    rc = fts3_index_row(t, langid, docid, vals, 0, ntok);
    if (rc == SQLITE_OK && t->has_docsize) rc = fts3_docsize_write(t, docid, ntok);
    if (rc == SQLITE_OK && t->is_fts4) rc = fts3_stat_update(t, 1, ntok, nbytes);
  }
  int rc2 = s ? sqlite3_finalize(s) : SQLITE_OK;
  if (rc == SQLITE_OK) rc = rc2;
  /* The totals row is written even when there is no row to count. */
  if (rc == SQLITE_OK && t->is_fts4) {
    memset(ntok, 0, sizeof(sqlite3_int64) * (size_t)(t->ncol + 1));
    rc = fts3_stat_update(t, 0, ntok, 0);
  }
  sqlite3_free(ntok);
  sqlite3_free(vals);
  return rc;
}

/* Integrity: a sum of a hash of every (language, term, docid, column, position), from the index and from
** the content. */
static sqlite3_uint64 hit_hash(int langid, const unsigned char *term, int n, sqlite3_int64 docid, int col,
                              sqlite3_int64 pos) {
  sqlite3_uint64 h = 1469598103934665603ull;
  h = (h ^ (sqlite3_uint64)(unsigned)langid) * 1099511628211ull;
  for (int i = 0; i < n; i++) h = (h ^ term[i]) * 1099511628211ull;
  h = (h ^ (sqlite3_uint64)docid) * 1099511628211ull;
  h = (h ^ (sqlite3_uint64)col) * 1099511628211ull;
  h = (h ^ (sqlite3_uint64)pos) * 1099511628211ull;
  return h ^ h >> 29;
}

typedef struct IndexSum {
  sqlite3_uint64 sum;
  int langid;
} IndexSum;

static int index_sum(void *ctx, const unsigned char *term, int nterm, const unsigned char *dl, int ndl, int desc) {
  IndexSum *x = ctx;
  sqlite3_uint64 *sum = &x->sum;
  DlIter it;
  for (dl_start(&it, dl, ndl, desc); !it.eof; dl_next(&it)) {
    DocHits h = {0};
    int rc = poslist_decode(it.pl, it.npl, &h);
    for (int i = 0; rc == SQLITE_OK && i < h.nhits; i++)
      *sum += hit_hash(x->langid, term, nterm, it.docid, (int)(h.hit[i] >> 32), h.hit[i] & 0xFFFFFFFF);
    dochits_free(&h);
    if (rc != SQLITE_OK) return rc;
  }
  return it.bad ? SQLITE_CORRUPT_VTAB : SQLITE_OK;
}

typedef struct SumCtx {
  sqlite3_uint64 sum;
  sqlite3_int64 docid;
  int col;
  int langid;
} SumCtx;

static int content_token(void *vctx, const char *tok, int n, int start, int end, int pos) {
  SumCtx *c = vctx;
  (void)start, (void)end;
  c->sum += hit_hash(c->langid, (const unsigned char *)tok, n, c->docid, c->col, pos);
  return SQLITE_OK;
}

/* The sum of the hashes of the hits of the main index, over every language it holds. */
static int index_checksum(Fts3Table *t, sqlite3_uint64 *sum) {
  char *sql = sqlite3_mprintf("SELECT DISTINCT level / %d FROM \"%w\".\"%w_segdir\" WHERE level %% %d < %d",
                              FTS3_LEVELS_PER_INDEX * t->nindex, t->zdb, t->zname, FTS3_LEVELS_PER_INDEX * t->nindex,
                              FTS3_LEVELS_PER_INDEX);
  sqlite3_stmt *s = NULL;
  int rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  while (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    IndexSum x = {0, sqlite3_column_int(s, 0)};
    sqlite3_int64 base = fts3_level_base(t, x.langid, 0);
    Segment *segs = NULL;
    int n = 0;
    rc = fts3_segments_load(t, base, base + FTS3_LEVELS_PER_INDEX - 1, &segs, &n);
    if (rc == SQLITE_OK) rc = merge_segments(t, segs, n, 1, index_sum, &x);
    fts3_segments_free(segs, n);
    *sum += x.sum;
  }
  int rc2 = s ? sqlite3_finalize(s) : SQLITE_OK;
  return rc == SQLITE_OK ? rc2 : rc;
}

int fts3_integrity(Fts3Table *t) {
  int rc = fts3_pending_flush(t);
  sqlite3_uint64 isum = 0;
  if (rc == SQLITE_OK) rc = index_checksum(t, &isum);
  if (rc != SQLITE_OK) return rc;
  SumCtx c = {0, 0, 0, 0};
  if (t->content == CONTENT_NONE) return SQLITE_ERROR;
  char *sql = fts3_content_sql(t, "");
  sqlite3_stmt *s = NULL;
  rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  while (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    c.docid = sqlite3_column_int64(s, 0);
    c.langid = t->langid_col ? sqlite3_column_int(s, t->ncol + 1) : 0;
    for (c.col = 0; c.col < t->ncol && rc == SQLITE_OK; c.col++) {
      if (t->notindexed && t->notindexed[c.col]) continue;
      const char *z = (const char *)sqlite3_column_text(s, c.col + 1);
      if (z) rc = fts3_tokenize(&t->tok, z, (int)strlen(z), content_token, &c);
    }
  }
  int rc2 = s ? sqlite3_finalize(s) : SQLITE_OK;
  if (rc == SQLITE_OK) rc = rc2;
  if (rc == SQLITE_OK && c.sum != isum) rc = SQLITE_CORRUPT_VTAB;
  return rc;
}

/* ---- fts4aux rows ------------------------------------------------------------------------------------------ */

typedef struct AuxCtx {
  AuxRow *rows;
  int n, cap;
} AuxCtx;

static int aux_push(AuxCtx *a, const unsigned char *term, int nterm, int col, sqlite3_int64 docs, sqlite3_int64 hits) {
  if (a->n == a->cap) {
    AuxRow *g = fts3_grow(a->rows, &a->cap, sizeof *g, 64);
    if (!g) return SQLITE_NOMEM;
    a->rows = g;
  }
  char *z = sqlite3_malloc(nterm + 1);
  if (!z) return SQLITE_NOMEM;
  memcpy(z, term, (size_t)nterm);
  z[nterm] = 0;
  a->rows[a->n++] = (AuxRow){z, nterm, col, docs, hits};
  return SQLITE_OK;
}

static int aux_term(void *ctx, const unsigned char *term, int nterm, const unsigned char *dl, int ndl, int desc) {
  AuxCtx *a = ctx;
  sqlite3_int64 docs = 0, hits = 0;
  sqlite3_int64 *cdocs = NULL, *chits = NULL;
  int ncols = 0, rc = SQLITE_OK;
  DlIter it;
  for (dl_start(&it, dl, ndl, desc); !it.eof && rc == SQLITE_OK; dl_next(&it)) {
    DocHits h = {0};
    rc = poslist_decode(it.pl, it.npl, &h);
    int last_col = -1;
    for (int i = 0; rc == SQLITE_OK && i < h.nhits; i++) {
      int col = (int)(h.hit[i] >> 32);
      if (col < 0 || col >= FTS3_MAX_COLUMNS) {
        rc = SQLITE_CORRUPT_VTAB;
        break;
      }
      if (col >= ncols) {
        sqlite3_int64 *d = sqlite3_realloc64(cdocs, sizeof(sqlite3_int64) * (sqlite3_uint64)(col + 1));
        if (d) cdocs = d;
        sqlite3_int64 *k = d ? sqlite3_realloc64(chits, sizeof(sqlite3_int64) * (sqlite3_uint64)(col + 1)) : NULL;
        if (k) chits = k;
        if (!d || !k) {
          rc = SQLITE_NOMEM;
          break;
        }
        for (int c = ncols; c <= col; c++) cdocs[c] = chits[c] = 0;
        ncols = col + 1;
      }
      chits[col]++;
      if (col != last_col) cdocs[col]++;
      last_col = col;
    }
    if (h.nhits) docs++;
    hits += h.nhits;
    dochits_free(&h);
  }
  if (rc == SQLITE_OK && it.bad) rc = SQLITE_CORRUPT_VTAB;
  if (rc == SQLITE_OK && docs) rc = aux_push(a, term, nterm, -1, docs, hits);
  for (int c = 0; rc == SQLITE_OK && c < ncols; c++)
    if (chits[c]) rc = aux_push(a, term, nterm, c, cdocs[c], chits[c]);
  sqlite3_free(cdocs);
  sqlite3_free(chits);
  return rc;
}

void fts3_aux_rows_free(AuxRow *rows, int nrows) {
  for (int i = 0; i < nrows; i++) sqlite3_free(rows[i].term);
  sqlite3_free(rows);
}

int fts3_aux_rows(Fts3Table *t, int langid, AuxRow **rows, int *nrows) {
  Segment *segs = NULL;
  int n = 0;
  AuxCtx a = {0};
  sqlite3_int64 base = fts3_level_base(t, langid, 0);
  int rc = fts3_segments_load(t, base, base + FTS3_LEVELS_PER_INDEX - 1, &segs, &n);
  if (rc == SQLITE_OK) rc = merge_segments(t, segs, n, 1, aux_term, &a);
  fts3_segments_free(segs, n);
  if (rc != SQLITE_OK) {
    fts3_aux_rows_free(a.rows, a.n);
    a.rows = NULL;
    a.n = 0;
  }
  *rows = a.rows;
  *nrows = a.n;
  return rc;
}
