/*
** fts3_merge.c — incremental merges of an FTS3/FTS4 index, written as SQLite writes them so that
** either engine can go on with a merge the other began: 'merge=A,B' and the automatic merges of
** 'automerge=N' (at the end of a transaction and at savepoints, when it wrote enough leaves).
**
** A merge takes the oldest segments of one level (the least relative level holding B or more, or
** the level of an unfinished merge) and writes their merged terms to a new segment on the level
** above until about A leaves were written.  The output segment reserves its blocks when it starts:
** leaf_est leaves (twice the inputs' leaves) from start_block, then the nodes of each height h of
** its tree from start_block + h * leaf_est, and a NULL block at
** end_block = start_block + 16 * leaf_est - 1 that marks it appendable.  Its %_segdir row is
** written after each step, with a negative leaf size while the merge is unfinished.  Each input is
** then deleted when it was read to its end, or else cut in place so that it begins at its first
** term not yet merged (each node on the path to that term keeps its block); the inputs left are
** numbered 0.. again.  %_stat row 1 keeps the unfinished merges, as varint pairs (level, number of
** inputs), the last one resumed first; row 2 keeps 'automerge='.
*/
#include <string.h>

#include "ext/fts3/fts3_int.h"

#define MAX_HEIGHT 16       /* of an output segment's tree */
#define STAT_MERGE_HINT 1   /* %_stat row of the unfinished merges */
#define STAT_AUTOMERGE 2    /* %_stat row of 'automerge=' */
#define MIN_AUTOMERGE 64    /* leaves an automatic merge must be worth writing */

/* One height of the output tree: the node being filled, its block, and its last term. */
typedef struct NodeOut {
  sqlite3_int64 block;
  Buf key;
  Buf node;
} NodeOut;

typedef struct IncrWriter {
  int leaf_est;             /* leaves reserved */
  int work;                 /* leaves written by this step */
  sqlite3_int64 level;      /* of the inputs; the output is on level + 1 */
  int idx;                  /* of the output */
  sqlite3_int64 start, end; /* the reserved blocks */
  sqlite3_int64 leaf_bytes;
  int no_leaf_bytes;        /* the segment was written without its size: it stays so */
  NodeOut nodes[MAX_HEIGHT];
} IncrWriter;

static void writer_release_bufs(IncrWriter *w) {
  for (int i = 0; i < MAX_HEIGHT; i++) {
    buf_free(&w->nodes[i].key);
    buf_free(&w->nodes[i].node);
  }
}

static int common_prefix(const unsigned char *a, int na, const unsigned char *b, int nb) {
  int i = 0;
  while (i < na && i < nb && a[i] == b[i]) i++;
  return i;
}

static int term_cmp(const unsigned char *a, int na, const unsigned char *b, int nb) {
  int m = na < nb ? na : nb;
  int c = m > 0 ? memcmp(a, b, (size_t)m) : 0;
  return c ? c : na - nb;
}

static sqlite3_int64 get_int(const char **pz) {
  const char *z = *pz;
  int v = 0;
  while (*z >= '0' && *z <= '9' && v < 214748363) v = 10 * v + (*z++ - '0');
  *pz = z;
  return v;
}

/* ---- small statements ---------------------------------------------------------------------------------------- */

/* One integer from sql (bound to the arguments), dflt when there is no row or it is NULL. */
static int query_int(Fts3Table *t, const char *sql, sqlite3_int64 a, sqlite3_int64 b, int nargs, sqlite3_int64 dflt,
                     sqlite3_int64 *out) {
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v2(t->db, sql, -1, &s, NULL);
  *out = dflt;
  if (rc != SQLITE_OK) return rc;
  if (nargs > 0) sqlite3_bind_int64(s, 1, a);
  if (nargs > 1) sqlite3_bind_int64(s, 2, b);
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) *out = sqlite3_column_int64(s, 0);
  return sqlite3_finalize(s);
}

static int run_sql(Fts3Table *t, char *sql) {
  int rc = sql ? sqlite3_exec(t->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  return rc;
}

static int stat_read_blob(Fts3Table *t, int id, Buf *out) {
  int rc;
  sqlite3_stmt *s = fts3_stmt(t, ST_STAT_READ_ID, &rc);
  out->n = 0;
  if (!s) return rc;
  sqlite3_bind_int(s, 1, id);
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_blob(s, 0))
    buf_put(out, sqlite3_column_blob(s, 0), sqlite3_column_bytes(s, 0));
  rc = sqlite3_reset(s);
  return rc == SQLITE_OK && out->oom ? SQLITE_NOMEM : rc;
}

/* ---- the hint of unfinished merges ------------------------------------------------------------------------- */

static void hint_push(Buf *h, sqlite3_int64 level, int ninputs) {
  buf_varint(h, (sqlite3_uint64)level);
  buf_varint(h, (sqlite3_uint64)ninputs);
}

/* Takes the last pair off the hint. */
static int hint_pop(Buf *h, sqlite3_int64 *level, int *ninputs) {
  int i = h->n - 1;
  if (i < 0 || (h->p[i] & 0x80)) return SQLITE_CORRUPT_VTAB;
  while (i > 0 && (h->p[i - 1] & 0x80)) i--;
  if (i == 0) return SQLITE_CORRUPT_VTAB;
  i--;
  while (i > 0 && (h->p[i - 1] & 0x80)) i--;
  const unsigned char *p = h->p + i, *end = h->p + h->n;
  sqlite3_int64 v = 0;
  int k = fts3_get_varint(p, end, level);
  int k2 = k ? fts3_get_varint(p + k, end, &v) : 0;
  if (!k || !k2 || p + k + k2 != end) return SQLITE_CORRUPT_VTAB;
  *ninputs = (int)v;
  h->n = i;
  return SQLITE_OK;
}

static int hint_store(Fts3Table *t, const Buf *h) {
  int rc;
  sqlite3_stmt *s = fts3_stmt(t, ST_STAT_WRITE_ID, &rc);
  if (!s) return rc;
  sqlite3_bind_int(s, 1, STAT_MERGE_HINT);
  sqlite3_bind_blob(s, 2, h->p ? (const void *)h->p : "", h->n, SQLITE_STATIC);
  sqlite3_step(s);
  rc = sqlite3_reset(s);
  sqlite3_bind_null(s, 2);
  return rc;
}

/* ---- nodes --------------------------------------------------------------------------------------------------- */

/* Walks the terms of a node: a leaf (height 0, terms with doclists) or an interior node (its
** children from `child` on: the child before the current term). */
typedef struct NodeReader {
  const unsigned char *p, *end;
  int height;
  sqlite3_int64 child;
  Buf term;
  const unsigned char *dl;
  int ndl;
  int at_end;
} NodeReader;

static int node_next(NodeReader *r) {
  int first = r->term.n == 0;
  if (r->height > 0 && !first) r->child++;
  if (r->p >= r->end) {
    r->at_end = 1;
    return SQLITE_OK;
  }
  sqlite3_int64 pre = 0, suf = 0, ndl = 0;
  int k;
  if (!first) {
    if (!(k = fts3_get_varint(r->p, r->end, &pre))) return SQLITE_CORRUPT_VTAB;
    r->p += k;
  }
  if (!(k = fts3_get_varint(r->p, r->end, &suf))) return SQLITE_CORRUPT_VTAB;
  r->p += k;
  if (pre > r->term.n || suf <= 0 || suf > r->end - r->p) return SQLITE_CORRUPT_VTAB;
  r->term.n = (int)pre;
  buf_put(&r->term, r->p, (int)suf);
  if (r->term.oom) return SQLITE_NOMEM;
  r->p += suf;
  if (r->height == 0) {
    if (!(k = fts3_get_varint(r->p, r->end, &ndl)) || ndl < 0 || ndl > r->end - r->p - k) return SQLITE_CORRUPT_VTAB;
    r->p += k;
    r->dl = r->p;
    r->ndl = (int)ndl;
    r->p += ndl;
  }
  return SQLITE_OK;
}

static int node_start(NodeReader *r, const unsigned char *p, int n) {
  memset(r, 0, sizeof *r);
  if (n < 1) return SQLITE_CORRUPT_VTAB;
  r->p = p + 1;
  r->end = p + n;
  r->height = p[0];
  if (r->height > 0) {
    int k = fts3_get_varint(r->p, r->end, &r->child);
    if (!k) return SQLITE_CORRUPT_VTAB;
    r->p += k;
  }
  return node_next(r);
}

/* Begins a node of height h (an interior one with its first child). */
static void node_begin(Buf *node, int h, sqlite3_int64 child) {
  node->n = 0;
  unsigned char c = (unsigned char)h;
  buf_put(node, &c, 1);
  if (h > 0) buf_varint(node, (sqlite3_uint64)child);
}

/* Appends a term (with its doclist on a leaf) to a node, prefix-compressed against *prev. */
static int node_append(Buf *node, Buf *prev, const unsigned char *term, int n, const unsigned char *dl, int ndl) {
  int first = prev->n == 0;
  int pre = common_prefix(prev->p, prev->n, term, n);
  if (n - pre <= 0) return SQLITE_CORRUPT_VTAB;
  if (!first) buf_varint(node, (sqlite3_uint64)pre);
  buf_varint(node, (sqlite3_uint64)(n - pre));
  buf_put(node, term + pre, n - pre);
  if (dl) {
    buf_varint(node, (sqlite3_uint64)ndl);
    buf_put(node, dl, ndl);
  }
  prev->n = 0;
  buf_put(prev, term, n);
  return node->oom || prev->oom ? SQLITE_NOMEM : SQLITE_OK;
}

/* The node p[0..n) without its terms below key (an interior node: nor its separators equal to it);
** *child the child (0 for a leaf) that holds key. */
static int node_truncate(const unsigned char *p, int n, const unsigned char *key, int nkey, Buf *out,
                         sqlite3_int64 *child) {
  NodeReader r;
  Buf prev = {0};
  int rc = node_start(&r, p, n), leaf = n > 0 && p[0] == 0;
  out->n = 0;
  for (; rc == SQLITE_OK && !r.at_end; rc = node_next(&r)) {
    if (out->n == 0) {
      int c = term_cmp(r.term.p, r.term.n, key, nkey);
      if (c < 0 || (!leaf && c == 0)) continue;
      node_begin(out, r.height, r.child);
      *child = r.child;
    }
    rc = node_append(out, &prev, r.term.p, r.term.n, leaf ? r.dl : NULL, r.ndl);
    if (rc != SQLITE_OK) break;
  }
  if (rc == SQLITE_OK && out->n == 0) {
    node_begin(out, n > 0 ? p[0] : 0, r.child);
    *child = r.child;
  }
  buf_free(&prev);
  buf_free(&r.term);
  return rc == SQLITE_OK && out->oom ? SQLITE_NOMEM : rc;
}

/* ---- the output segment -------------------------------------------------------------------------------------- */

/* Starts a new output segment: (level + 1, idx), its blocks reserved for the leaves of the inputs'. */
static int writer_new(Fts3Table *t, sqlite3_int64 level, int idx, int ninputs, IncrWriter *w) {
  sqlite3_int64 est = 0, next = 0;
  char *sql = sqlite3_mprintf("SELECT 2 * total(1 + leaves_end_block - start_block) FROM (SELECT * FROM "
                              "\"%w\".\"%w_segdir\" WHERE level = ?1 ORDER BY idx ASC LIMIT ?2)",
                              t->zdb, t->zname);
  int rc = sql ? query_int(t, sql, level, ninputs, 2, 0, &est) : SQLITE_NOMEM;
  sqlite3_free(sql);
  sql = rc == SQLITE_OK ? sqlite3_mprintf("SELECT max(blockid) FROM \"%w\".\"%w_segments\"", t->zdb, t->zname) : NULL;
  if (rc == SQLITE_OK) rc = sql ? query_int(t, sql, 0, 0, 0, 0, &next) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  w->leaf_est = (int)est;
  w->start = next + 1;
  w->end = w->start - 1 + (sqlite3_int64)w->leaf_est * MAX_HEIGHT;
  w->level = level;
  w->idx = idx;
  for (int i = 0; i < MAX_HEIGHT; i++) w->nodes[i].block = w->start + (sqlite3_int64)i * w->leaf_est;
  /* The NULL block at the end keeps the reserved range from other segments and marks it appendable. */
  return fts3_block_write(t, w->end, NULL, 0);
}

/* Sets w up to go on writing segment (level + 1, idx), whose merge is unfinished, when it can be
** appended to (its end block is the NULL marker) with terms from key on; else leaves w empty. */
static int writer_load(Fts3Table *t, sqlite3_int64 level, int idx, const unsigned char *key, int nkey,
                       IncrWriter *w) {
  Segment *segs;
  int n, rc = fts3_segments_load(t, level + 1, level + 1, &segs, &n);
  Segment *seg = NULL;
  for (int i = 0; rc == SQLITE_OK && i < n; i++)
    if (segs[i].idx == idx) seg = &segs[i];
  if (rc != SQLITE_OK || !seg) {
    fts3_segments_free(segs, n);
    return rc;
  }
  w->leaf_bytes = seg->leaf_bytes < 0 ? -seg->leaf_bytes : seg->leaf_bytes;
  w->no_leaf_bytes = w->leaf_bytes == 0;
  if (seg->nroot == 0) rc = SQLITE_CORRUPT_VTAB;
  sqlite3_int64 appendable = 0;
  char *sql = rc == SQLITE_OK ? sqlite3_mprintf("SELECT 1 FROM \"%w\".\"%w_segments\" WHERE blockid=?1 AND "
                                                "block IS NULL", t->zdb, t->zname)
                              : NULL;
  if (rc == SQLITE_OK) rc = sql ? query_int(t, sql, seg->end, 0, 1, 0, &appendable) : SQLITE_NOMEM;
  sqlite3_free(sql);
  /* It is appended to only with terms above its last. */
  if (rc == SQLITE_OK && appendable) {
    unsigned char *leaf = NULL;
    int nleaf = 0;
    rc = fts3_block_read(t, seg->leaves_end, &leaf, &nleaf);
    NodeReader r;
    memset(&r, 0, sizeof r);
    if (rc == SQLITE_OK) rc = node_start(&r, leaf, nleaf);
    while (rc == SQLITE_OK && !r.at_end) rc = node_next(&r);
    if (rc == SQLITE_OK && term_cmp(key, nkey, r.term.p, r.term.n) <= 0) appendable = 0;
    buf_free(&r.term);
    sqlite3_free(leaf);
  }
  int height = seg->nroot > 0 ? seg->root[0] : 0;
  if (rc == SQLITE_OK && appendable && (height < 1 || height >= MAX_HEIGHT)) rc = SQLITE_CORRUPT_VTAB;
  if (rc == SQLITE_OK && appendable) {
    w->leaf_est = (int)((seg->end - seg->start + 1) / MAX_HEIGHT);
    w->start = seg->start;
    w->end = seg->end;
    w->level = level;
    w->idx = idx;
    for (int i = height + 1; i < MAX_HEIGHT; i++) w->nodes[i].block = w->start + (sqlite3_int64)i * w->leaf_est;
    NodeOut *top = &w->nodes[height];
    top->block = w->start + (sqlite3_int64)w->leaf_est * height;
    buf_put(&top->node, seg->root, seg->nroot);
    /* Down the right edge: each height's last node, its last term the key. */
    for (int i = height; i >= 0 && rc == SQLITE_OK; i--) {
      NodeOut *nd = &w->nodes[i];
      NodeReader r;
      rc = node_start(&r, nd->node.p, nd->node.n);
      while (rc == SQLITE_OK && !r.at_end) rc = node_next(&r);
      if (rc == SQLITE_OK) {
        nd->key.n = 0;
        buf_put(&nd->key, r.term.p, r.term.n);
      }
      if (rc == SQLITE_OK && i > 0) {
        unsigned char *blk = NULL;
        int nblk = 0;
        w->nodes[i - 1].block = r.child;
        rc = fts3_block_read(t, r.child, &blk, &nblk);
        if (rc == SQLITE_OK) buf_put(&w->nodes[i - 1].node, blk, nblk);
        sqlite3_free(blk);
      }
      buf_free(&r.term);
      if (rc == SQLITE_OK && (nd->key.oom || nd->node.oom)) rc = SQLITE_NOMEM;
    }
  }
  fts3_segments_free(segs, n);
  return rc;
}

/* Adds a separator (the first nterm bytes of term) for the leaf that begins now to the nodes above. */
static int writer_push(Fts3Table *t, IncrWriter *w, const unsigned char *term, int nterm) {
  sqlite3_int64 ptr = w->nodes[0].block;
  for (int h = 1; h < MAX_HEIGHT; h++) {
    NodeOut *nd = &w->nodes[h];
    int pre = common_prefix(nd->key.p, nd->key.n, term, nterm);
    if (nterm - pre <= 0) return SQLITE_CORRUPT_VTAB;
    int space = fts3_varint_len((sqlite3_uint64)pre) + fts3_varint_len((sqlite3_uint64)(nterm - pre)) + nterm - pre;
    if (nd->key.n == 0 || nd->node.n + space <= t->node_size) {
      if (nd->node.n == 0) node_begin(&nd->node, h, ptr);
      int rc = node_append(&nd->node, &nd->key, term, nterm, NULL, 0);
      return rc;
    }
    /* The node is full: it is written, its sibling begins with the new leaf's branch, and the
    ** separator goes up a height. */
    int rc = fts3_block_write(t, nd->block, nd->node.p, nd->node.n);
    if (rc != SQLITE_OK) return rc;
    node_begin(&nd->node, h, ptr + 1);
    if (nd->node.oom) return SQLITE_NOMEM;
    ptr = nd->block++;
    nd->key.n = 0;
  }
  return SQLITE_CORRUPT_VTAB;
}

/* Appends a term and its doclist to the output's leaves. */
static int writer_append(Fts3Table *t, IncrWriter *w, const unsigned char *term, int n, const unsigned char *dl,
                         int ndl) {
  NodeOut *leaf = &w->nodes[0];
  int pre = common_prefix(leaf->key.p, leaf->key.n, term, n);
  if (n - pre <= 0) return SQLITE_CORRUPT_VTAB;
  int space = fts3_varint_len((sqlite3_uint64)pre) + fts3_varint_len((sqlite3_uint64)(n - pre)) + n - pre +
              fts3_varint_len((sqlite3_uint64)ndl) + ndl;
  /* A full leaf goes to its block while reserved blocks remain (else it grows). */
  if (leaf->node.n > 0 && leaf->node.n + space > t->node_size && leaf->block < w->start + w->leaf_est) {
    int rc = fts3_block_write(t, leaf->block, leaf->node.p, leaf->node.n);
    w->work++;
    if (rc == SQLITE_OK) rc = writer_push(t, w, term, pre + 1);
    if (rc != SQLITE_OK) return rc;
    leaf->block++;
    leaf->key.n = 0;
    leaf->node.n = 0;
    space = 1 + fts3_varint_len((sqlite3_uint64)n) + n + fts3_varint_len((sqlite3_uint64)ndl) + ndl;
  }
  w->leaf_bytes += space;
  if (leaf->node.n == 0) node_begin(&leaf->node, 0, 0);
  return node_append(&leaf->node, &leaf->key, term, n, dl, ndl);
}

/* Writes the nodes in progress and the output's %_segdir row (nothing when nothing was written). */
static int writer_finish(Fts3Table *t, IncrWriter *w) {
  int root = MAX_HEIGHT - 1;
  while (root >= 0 && w->nodes[root].node.n == 0) root--;
  if (root < 0) return SQLITE_OK;
  if (root == 0) {
    /* One leaf: it keeps its reserved block, and a root above it points there (a segment with its
    ** start_block set is not read from its root alone). */
    node_begin(&w->nodes[1].node, 1, w->nodes[0].block);
    if (w->nodes[1].node.oom) return SQLITE_NOMEM;
    root = 1;
  }
  int rc = SQLITE_OK;
  for (int i = 0; i < root && rc == SQLITE_OK; i++)
    if (w->nodes[i].node.n > 0) rc = fts3_block_write(t, w->nodes[i].block, w->nodes[i].node.p, w->nodes[i].node.n);
  if (rc == SQLITE_OK)
    rc = fts3_segdir_write(t, w->level + 1, w->idx, w->start, w->nodes[0].block, w->end,
                           w->no_leaf_bytes ? 0 : w->leaf_bytes, w->nodes[root].node.p, w->nodes[root].node.n);
  return rc;
}

/* ---- the inputs ---------------------------------------------------------------------------------------------- */

/* Cuts segment (level, idx) so that it begins at key: each node on the way to key rewritten in its
** block, the leaves before it deleted. */
static int truncate_segment(Fts3Table *t, sqlite3_int64 level, int idx, const unsigned char *key, int nkey) {
  Segment *segs;
  int n, rc = fts3_segments_load(t, level, level, &segs, &n);
  Segment *seg = NULL;
  for (int i = 0; rc == SQLITE_OK && i < n; i++)
    if (segs[i].idx == idx) seg = &segs[i];
  Buf root = {0}, node = {0};
  sqlite3_int64 child = 0, start = 0, old_start = seg ? seg->start : 0;
  if (rc == SQLITE_OK && seg) rc = node_truncate(seg->root, seg->nroot, key, nkey, &root, &child);
  while (rc == SQLITE_OK && seg && child) {
    unsigned char *blk = NULL;
    int nblk = 0;
    start = child;
    rc = fts3_block_read(t, child, &blk, &nblk);
    if (rc == SQLITE_OK) rc = node_truncate(blk, nblk, key, nkey, &node, &child);
    if (rc == SQLITE_OK) rc = fts3_block_write(t, start, node.p, node.n);
    sqlite3_free(blk);
  }
  if (rc == SQLITE_OK && seg && start)
    rc = run_sql(t, sqlite3_mprintf("DELETE FROM \"%w\".\"%w_segments\" WHERE blockid BETWEEN %lld AND %lld", t->zdb,
                                    t->zname, old_start, start - 1));
  if (rc == SQLITE_OK && seg) {
    sqlite3_stmt *s = NULL;
    char *sql = sqlite3_mprintf("UPDATE \"%w\".\"%w_segdir\" SET start_block = ?1, root = ?2 "
                                "WHERE level = ?3 AND idx = ?4", t->zdb, t->zname);
    rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc == SQLITE_OK) {
      sqlite3_bind_int64(s, 1, start);
      sqlite3_bind_blob(s, 2, root.p ? (const void *)root.p : "", root.n, SQLITE_STATIC);
      sqlite3_bind_int64(s, 3, level);
      sqlite3_bind_int(s, 4, idx);
      sqlite3_step(s);
      rc = sqlite3_finalize(s);
    }
  }
  buf_free(&root);
  buf_free(&node);
  fts3_segments_free(segs, n);
  return rc;
}

/* Numbers the segments of level 0.. again, in their order. */
static int repack_level(Fts3Table *t, sqlite3_int64 level) {
  Segment *segs;
  int n, rc = fts3_segments_load(t, level, level, &segs, &n);
  /* loaded newest first: the oldest is the last */
  for (int i = 0; rc == SQLITE_OK && i < n; i++) {
    const Segment *g = &segs[n - 1 - i];
    if (g->idx != i)
      rc = run_sql(t, sqlite3_mprintf("UPDATE \"%w\".\"%w_segdir\" SET idx = %d WHERE level = %lld AND idx = %d",
                                      t->zdb, t->zname, i, level, g->idx));
  }
  fts3_segments_free(segs, n);
  return rc;
}

/* After a step: the inputs read to their end go, the others are cut; *left the number left. As in
** SQLite, input k (the k-th oldest) is taken to be the one numbered k on its level. */
static int chomp(Fts3Table *t, sqlite3_int64 level, const Segment *in, int n, MergeCursor *m, int *left) {
  int rc = SQLITE_OK, kept = 0;
  for (int k = n - 1; k >= 0 && rc == SQLITE_OK; k--) {
    int i = n - 1 - k; /* the reader of input k (the inputs are newest first) */
    int nterm = 0;
    const unsigned char *term = fts3_merge_reader_term(m, i, &nterm);
    if (!term) {
      if (in[i].start)
        rc = run_sql(t, sqlite3_mprintf("DELETE FROM \"%w\".\"%w_segments\" WHERE blockid BETWEEN %lld AND %lld",
                                        t->zdb, t->zname, in[i].start, in[i].end));
      if (rc == SQLITE_OK)
        rc = run_sql(t, sqlite3_mprintf("DELETE FROM \"%w\".\"%w_segdir\" WHERE level = %lld AND idx = %d", t->zdb,
                                        t->zname, level, k));
    } else {
      rc = truncate_segment(t, level, k, term, nterm);
      kept++;
    }
  }
  if (rc == SQLITE_OK && kept != n) rc = repack_level(t, level);
  *left = kept;
  return rc;
}

/* ---- the merge ----------------------------------------------------------------------------------------------- */

/* The level with the least relative level among those holding at least nmin segments (-1: none). */
static int find_level(Fts3Table *t, int nmin, sqlite3_int64 *level, int *nsegs) {
  sqlite3_stmt *s = NULL;
  char *sql = sqlite3_mprintf("SELECT level, count(*) AS cnt FROM \"%w\".\"%w_segdir\" GROUP BY level HAVING cnt>=?1 "
                              "ORDER BY (level %% %d) ASC, 2 DESC, 1 ASC LIMIT 1",
                              t->zdb, t->zname, FTS3_LEVELS_PER_INDEX);
  int rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  *nsegs = -1;
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_int(s, 1, nmin > 2 ? nmin : 2);
  if (sqlite3_step(s) == SQLITE_ROW) {
    *level = sqlite3_column_int64(s, 0);
    *nsegs = sqlite3_column_int(s, 1);
  }
  return sqlite3_finalize(s);
}

/* One step on level: merges its nseg oldest segments into the output until the work is done or they
** end; *work the leaves it wrote, *nseg the inputs left (0: the merge is complete). */
static int merge_step(Fts3Table *t, sqlite3_int64 level, int *nseg, int use_hint, int remaining, int *work,
                      int *did) {
  *did = 0;
  sqlite3_int64 next_idx = 0, higher = 0;
  int rc = fts3_next_idx(t, level + 1, &next_idx);
  int idx = (int)next_idx;
  /* Deletion markers are dropped when no segment above the output's level is left. */
  int drop = 0;
  if (rc == SQLITE_OK && (idx == 0 || (use_hint && idx == 1))) {
    sqlite3_int64 group_end = ((level + 1) / FTS3_LEVELS_PER_INDEX + 1) * FTS3_LEVELS_PER_INDEX;
    char *sql = sqlite3_mprintf("SELECT max(level) FROM \"%w\".\"%w_segdir\" WHERE level BETWEEN ?1 AND ?2", t->zdb,
                                t->zname);
    rc = sql ? query_int(t, sql, level + 2, group_end, 2, -1, &higher) : SQLITE_NOMEM;
    sqlite3_free(sql);
    drop = higher < 0;
  }
  Segment *segs = NULL;
  int n = 0;
  if (rc == SQLITE_OK) rc = fts3_segments_load(t, level, level, &segs, &n);
  /* the nseg oldest (the last ones loaded); a level that has fewer is left alone */
  if (rc != SQLITE_OK || n < *nseg) {
    fts3_segments_free(segs, n);
    return rc;
  }
  const Segment *in = segs + (n - *nseg);
  MergeCursor *m = NULL;
  IncrWriter w;
  memset(&w, 0, sizeof w);
  rc = fts3_merge_open(t, in, *nseg, drop, &m);
  int step = rc == SQLITE_OK ? fts3_merge_step(m) : rc;
  int empty = step == SQLITE_DONE;
  if (step != SQLITE_ROW && step != SQLITE_DONE) rc = step;
  if (rc == SQLITE_OK) {
    int nterm = 0;
    const unsigned char *term = empty ? (const unsigned char *)"" : fts3_merge_term(m, &nterm, NULL, NULL);
    if (use_hint && idx > 0) rc = writer_load(t, level, idx - 1, term, nterm, &w);
    else rc = writer_new(t, level, idx, *nseg, &w);
  }
  if (rc == SQLITE_OK && w.leaf_est) {
    *did = 1;
    while (!empty && rc == SQLITE_OK) {
      int nterm = 0, ndl = 0;
      const unsigned char *dl = NULL;
      const unsigned char *term = fts3_merge_term(m, &nterm, &dl, &ndl);
      rc = writer_append(t, &w, term, nterm, dl, ndl);
      if (rc != SQLITE_OK) break;
      step = fts3_merge_step(m);
      if (step == SQLITE_DONE) break;
      if (step != SQLITE_ROW) rc = step;
      else if (w.work >= remaining) break;
    }
    if (rc == SQLITE_OK) {
      *work = w.work;
      rc = chomp(t, level, in, *nseg, m, nseg);
    }
  }
  if (*nseg != 0) w.leaf_bytes = -w.leaf_bytes; /* unfinished */
  if (rc == SQLITE_OK) rc = writer_finish(t, &w);
  if (rc == SQLITE_OK && *did && *nseg == 0 && !w.no_leaf_bytes) rc = fts3_promote(t, level + 1, w.leaf_bytes);
  writer_release_bufs(&w);
  fts3_merge_close(m);
  fts3_segments_free(segs, n);
  return rc;
}

int fts3_incrmerge(Fts3Table *t, int nmerge, int nmin) {
  Buf hint = {0};
  int rc = stat_read_blob(t, STAT_MERGE_HINT, &hint), dirty = 0, remaining = nmerge;
  sqlite3_int64 mod = (sqlite3_int64)FTS3_LEVELS_PER_INDEX * t->nindex;
  while (rc == SQLITE_OK && remaining > 0) {
    sqlite3_int64 level = 0;
    int nseg = -1, use_hint = 0;
    rc = find_level(t, nmin, &level, &nseg);
    /* An unfinished merge on a level no higher than that goes on first. */
    if (rc == SQLITE_OK && hint.n) {
      int saved = hint.n, hint_n = 0;
      sqlite3_int64 hint_level = 0;
      rc = hint_pop(&hint, &hint_level, &hint_n);
      if (rc == SQLITE_OK && (nseg < 0 || level % mod >= hint_level % mod)) {
        int want = nmin > nseg ? nmin : nseg;
        level = hint_level;
        nseg = want < hint_n ? want : hint_n;
        use_hint = 1;
        dirty = 1;
      } else {
        hint.n = saved;
      }
    }
    if (rc != SQLITE_OK || nseg <= 0) break;
    if (level < 0 || level > (mod << 32)) {
      rc = SQLITE_CORRUPT_VTAB;
      break;
    }
    int work = 0, did = 0, left = nseg;
    rc = merge_step(t, level, &left, use_hint, remaining, &work, &did);
    if (rc == SQLITE_OK && did) {
      remaining -= 1 + work;
      if (left != 0) {
        dirty = 1;
        hint_push(&hint, level, left);
      }
    }
  }
  if (rc == SQLITE_OK && dirty) rc = hint.oom ? SQLITE_NOMEM : hint_store(t, &hint);
  buf_free(&hint);
  return rc;
}

/* ---- commands and the automatic merge ------------------------------------------------------------------------ */

int fts3_check_stat(Fts3Table *t) {
  if (t->has_stat != HAS_STAT_UNKNOWN) return SQLITE_OK;
  char *name = sqlite3_mprintf("%s_stat", t->zname);
  if (!name) return SQLITE_NOMEM;
  t->has_stat = sqlite3_table_column_metadata(t->db, t->zdb, name, NULL, NULL, NULL, NULL, NULL, NULL) == SQLITE_OK;
  sqlite3_free(name);
  return SQLITE_OK;
}

int fts3_create_stat(Fts3Table *t) {
  int rc = fts3_check_stat(t);
  if (rc != SQLITE_OK || t->has_stat) return rc;
  /* In SQLite the CREATE opens a statement savepoint, which writes the pending terms first. */
  if ((rc = fts3_pending_flush(t)) != SQLITE_OK) return rc;
  rc = run_sql(t, sqlite3_mprintf("CREATE TABLE IF NOT EXISTS \"%w\".\"%w_stat\"(id INTEGER PRIMARY KEY, value BLOB);",
                                  t->zdb, t->zname));
  if (rc == SQLITE_OK) t->has_stat = 1;
  return rc;
}

int fts3_merge_command(Fts3Table *t, const char *arg) {
  const char *z = arg;
  int nmerge = (int)get_int(&z), nmin = FTS3_MERGE_COUNT / 2;
  if (z[0] == ',' && z[1] != '\0') {
    z++;
    nmin = (int)get_int(&z);
  }
  if (z[0] != '\0' || nmin < 2) return SQLITE_ERROR;
  int rc = fts3_create_stat(t);
  return rc == SQLITE_OK ? fts3_incrmerge(t, nmerge, nmin) : rc;
}

int fts3_automerge_command(Fts3Table *t, const char *arg) {
  const char *z = arg;
  t->automerge = (int)get_int(&z);
  if (t->automerge == 1 || t->automerge > FTS3_MERGE_COUNT) t->automerge = 8;
  int rc = fts3_create_stat(t);
  sqlite3_stmt *s = rc == SQLITE_OK ? fts3_stmt(t, ST_STAT_WRITE_ID, &rc) : NULL;
  if (!s) return rc;
  sqlite3_bind_int(s, 1, STAT_AUTOMERGE);
  sqlite3_bind_int(s, 2, t->automerge);
  sqlite3_step(s);
  return sqlite3_reset(s);
}

int fts3_sync(Fts3Table *t) {
  sqlite3_int64 last = sqlite3_last_insert_rowid(t->db);
  int rc = fts3_pending_flush(t);
  /* The setting is read once the index has grown, by a transaction that wrote leaves. */
  if (rc == SQLITE_OK && t->has_stat == 1 && t->automerge == AUTOMERGE_UNKNOWN && t->leaf_add > 0) {
    sqlite3_stmt *s = fts3_stmt(t, ST_STAT_READ_ID, &rc);
    if (s) {
      sqlite3_bind_int(s, 1, STAT_AUTOMERGE);
      t->automerge = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
      if (t->automerge == 1) t->automerge = 8;
      rc = sqlite3_reset(s);
    }
  }
  /* Work in proportion to the leaves written and the depth of the index, when worth it. */
  if (rc == SQLITE_OK && t->leaf_add > MIN_AUTOMERGE / 16 && t->automerge && t->automerge != AUTOMERGE_UNKNOWN) {
    sqlite3_int64 maxlevel = 0;
    char *sql = sqlite3_mprintf("SELECT max(level %% %d) FROM \"%w\".\"%w_segdir\"", FTS3_LEVELS_PER_INDEX, t->zdb,
                                t->zname);
    rc = sql ? query_int(t, sql, 0, 0, 0, 0, &maxlevel) : SQLITE_NOMEM;
    sqlite3_free(sql);
    int a = (int)(t->leaf_add * maxlevel);
    a += a / 2;
    if (rc == SQLITE_OK && a > MIN_AUTOMERGE) rc = fts3_incrmerge(t, a, t->automerge);
  }
  sqlite3_set_last_insert_rowid(t->db, last);
  return rc;
}
