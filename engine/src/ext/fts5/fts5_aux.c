/*
** fts5_aux.c — the Fts5ExtensionApi a cursor's row offers to auxiliary
** functions, the SQL entry point that finds the cursor by the id in the
** table column, and the built-in functions bm25(), highlight() and
** snippet(), written against that API like a program's own would be.
**
** bm25 (as SQLite documents it): for each phrase,
**   idf * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgD)),  k1 = 1.2, b = 0.75,
** idf = ln((N - n + 0.5) / (n + 0.5)) (1e-6 when not positive), f the
** phrase's instances in the row weighted by column, D the row's tokens and
** avgD the table's mean; the result is the negated sum, so that better
** matches sort first.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ext/fts5/fts5.h"
#include "ext/fts5/fts5_int.h"

typedef struct F5AuxData {
  F5AuxFn *fn;
  void *p;
  void (*del)(void *);
  struct F5AuxData *next;
} F5AuxData;

/* The auxiliary function running (for xUserData and the auxdata slots). */
static F5AuxFn *running;

static Fts5Table *table_of(Fts5Cursor *c) { return (Fts5Table *)c->base.pVtab; }

void fts5_cursor_aux_clear(Fts5Cursor *c) {
  while (c->auxlist) {
    F5AuxData *d = c->auxlist;
    c->auxlist = d->next;
    if (d->del) d->del(d->p);
    sqlite3_free(d);
  }
}

static int load_totals(Fts5Cursor *c) {
  if (c->totals_loaded) return SQLITE_OK;
  Fts5Table *t = table_of(c);
  if (!c->coltotal) {
    c->coltotal = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)t->ncol);
    if (!c->coltotal) return SQLITE_NOMEM;
  }
  int rc = fts5_totals(t, &c->nrow_total, c->coltotal);
  c->totals_loaded = rc == SQLITE_OK;
  return rc;
}

typedef struct Counter {
  int n;
} Counter;

static int count_cb(void *ctx, int tflags, const char *tok, int n, int s, int e) {
  (void)tok;
  (void)n;
  (void)s;
  (void)e;
  if (!(tflags & FTS5_TOKEN_COLOCATED)) ((Counter *)ctx)->n++;
  return SQLITE_OK;
}

static int load_sizes(Fts5Cursor *c) {
  Fts5Table *t = table_of(c);
  if (!c->colsize) {
    c->colsize = sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)(t->ncol + 1));
    if (!c->colsize) return SQLITE_NOMEM;
    c->colsize[0] = -1;
  }
  if (c->colsize[0] >= 0) return SQLITE_OK;
  int rc = SQLITE_OK;
  if (t->columnsize) {
    rc = fts5_docsize_read(t, c->rowid, c->colsize);
  } else {
    for (int i = 0; i < t->ncol && rc == SQLITE_OK; i++) {
      c->colsize[i] = 0;
      if (t->unindexed[i]) continue;
      const char *z;
      int n;
      rc = fts5_cursor_text(c, i, &z, &n);
      Counter k = {0};
      if (rc == SQLITE_OK && z) rc = fts5_tokenize(t, FTS5_TOKENIZE_AUX, z, n, &k, count_cb);
      c->colsize[i] = k.n;
    }
  }
  if (rc == SQLITE_OK && c->colsize[0] < 0) c->colsize[0] = 0;
  return rc;
}

static int inst_cmp(const void *a, const void *b) {
  const int *x = a, *y = b;
  if (x[1] != y[1]) return x[1] - y[1];
  if (x[2] != y[2]) return x[2] - y[2];
  return x[0] - y[0];
}

/* The tokens of one column's text, for finding phrases in it. */
typedef struct TokList {
  F5Buf bytes;
  int *off, *len, n, cap;
  int rc;
} TokList;

static int toklist_cb(void *ctx, int tflags, const char *tok, int n, int s, int e) {
  TokList *l = ctx;
  (void)s;
  (void)e;
  if (tflags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
  if (l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 64;
    int *o = sqlite3_realloc64(l->off, sizeof(int) * (sqlite3_uint64)cap);
    if (o) l->off = o;
    int *g = sqlite3_realloc64(l->len, sizeof(int) * (sqlite3_uint64)cap);
    if (g) l->len = g;
    if (!o || !g) return SQLITE_NOMEM;
    l->cap = cap;
  }
  l->off[l->n] = l->bytes.n;
  l->len[l->n++] = n;
  f5_put(&l->bytes, tok, n);
  return l->bytes.oom ? SQLITE_NOMEM : SQLITE_OK;
}

/* detail=column and detail=none keep no offsets: the instances are found by
** tokenizing the row again, in the columns the index says the phrase is in. */
static int inst_by_tokenizing(Fts5Cursor *c, int *cap) {
  Fts5Table *t = table_of(c);
  int np = fts5_expr_phrase_count(c->expr), rc = SQLITE_OK;
  for (int col = 0; col < t->ncol && rc == SQLITE_OK; col++) {
    if (t->unindexed[col]) continue;
    const char *z;
    int n;
    rc = fts5_cursor_text(c, col, &z, &n);
    if (rc != SQLITE_OK || !z) continue;
    TokList l;
    memset(&l, 0, sizeof l);
    rc = fts5_tokenize(t, FTS5_TOKENIZE_AUX, z, n, &l, toklist_cb);
    for (int p = 0; p < np && rc == SQLITE_OK; p++) {
      if (!fts5_expr_phrase_in_col(c->expr, p, c->rowid, col) || !fts5_expr_phrase_active(c->expr, p, c->rowid))
        continue;
      int nt = fts5_expr_phrase_size(c->expr, p);
      for (int pos = 0; pos + nt <= l.n && rc == SQLITE_OK; pos++) {
        if (fts5_expr_phrase_initial(c->expr, p) && pos > 0) break;
        int ok = 1;
        for (int k = 0; ok && k < nt; k++) {
          const char *term;
          int nterm, prefix;
          fts5_expr_phrase_term(c->expr, p, k, &term, &nterm, &prefix);
          int len = l.len[pos + k];
          ok = prefix ? len >= nterm && memcmp(l.bytes.p + l.off[pos + k], term, (size_t)nterm) == 0
                      : len == nterm && memcmp(l.bytes.p + l.off[pos + k], term, (size_t)nterm) == 0;
        }
        if (!ok) continue;
        if (c->ninst + 3 > *cap) {
          int nc = *cap ? *cap * 2 : 48;
          int *g = sqlite3_realloc64(c->inst, sizeof(int) * (sqlite3_uint64)nc);
          if (!g) {
            rc = SQLITE_NOMEM;
            break;
          }
          c->inst = g;
          *cap = nc;
        }
        c->inst[c->ninst++] = p;
        c->inst[c->ninst++] = col;
        c->inst[c->ninst++] = pos;
      }
    }
    f5_free(&l.bytes);
    sqlite3_free(l.off);
    sqlite3_free(l.len);
  }
  return rc;
}

static int load_inst(Fts5Cursor *c) {
  if (c->inst_loaded) return SQLITE_OK;
  int cap = 0, rc = SQLITE_OK;
  sqlite3_free(c->inst);
  c->inst = NULL;
  c->ninst = 0;
  if (c->expr && table_of(c)->detail != F5_DETAIL_FULL) {
    rc = inst_by_tokenizing(c, &cap);
  } else if (c->expr) {
    int np = fts5_expr_phrase_count(c->expr);
    for (int i = 0; i < np && rc == SQLITE_OK; i++)
      if (fts5_expr_phrase_active(c->expr, i, c->rowid))
        rc = fts5_expr_phrase_inst(c->expr, i, c->rowid, &c->inst, &c->ninst, &cap);
  }
  if (rc != SQLITE_OK) return rc;
  c->ninst /= 3;
  if (c->ninst > 1) qsort(c->inst, (size_t)c->ninst, 3 * sizeof(int), inst_cmp);
  c->inst_loaded = 1;
  return SQLITE_OK;
}

/* ---- the API --------------------------------------------------------------------------------------------------- */

static void *x_user_data(Fts5Context *ctx) {
  (void)ctx;
  return running ? running->user : NULL;
}

static int x_column_count(Fts5Context *ctx) { return table_of((Fts5Cursor *)ctx)->ncol; }

static int x_row_count(Fts5Context *ctx, sqlite3_int64 *n) {
  Fts5Cursor *c = (Fts5Cursor *)ctx;
  int rc = load_totals(c);
  *n = rc == SQLITE_OK ? c->nrow_total : 0;
  return rc;
}

static int x_column_total_size(Fts5Context *ctx, int col, sqlite3_int64 *n) {
  Fts5Cursor *c = (Fts5Cursor *)ctx;
  Fts5Table *t = table_of(c);
  *n = 0;
  int rc = load_totals(c);
  if (rc != SQLITE_OK) return rc;
  if (col >= t->ncol) return SQLITE_RANGE;
  for (int i = 0; i < t->ncol; i++)
    if (col < 0 || col == i) *n += c->coltotal[i];
  return SQLITE_OK;
}

static int x_tokenize(Fts5Context *ctx, const char *z, int n, void *user,
                      int (*fn)(void *, int, const char *, int, int, int)) {
  Fts5Cursor *c = (Fts5Cursor *)ctx;
  if (n < 0) n = 0; /* as SQLite: a negative length is no text */
  return fts5_tokenize(table_of(c), FTS5_TOKENIZE_AUX, z, n, user, fn);
}

static int x_phrase_count(Fts5Context *ctx) { return fts5_expr_phrase_count(((Fts5Cursor *)ctx)->expr); }

static int x_phrase_size(Fts5Context *ctx, int i) { return fts5_expr_phrase_size(((Fts5Cursor *)ctx)->expr, i); }

static int x_inst_count(Fts5Context *ctx, int *n) {
  Fts5Cursor *c = (Fts5Cursor *)ctx;
  int rc = load_inst(c);
  *n = rc == SQLITE_OK ? c->ninst : 0;
  return rc;
}

static int x_inst(Fts5Context *ctx, int i, int *phrase, int *col, int *off) {
  Fts5Cursor *c = (Fts5Cursor *)ctx;
  int rc = load_inst(c);
  if (rc != SQLITE_OK) return rc;
  if (i < 0 || i >= c->ninst) return SQLITE_RANGE;
  *phrase = c->inst[3 * i];
  *col = c->inst[3 * i + 1];
  *off = c->inst[3 * i + 2];
  return SQLITE_OK;
}

static sqlite3_int64 x_rowid(Fts5Context *ctx) { return ((Fts5Cursor *)ctx)->rowid; }

static int x_column_text(Fts5Context *ctx, int col, const char **z, int *n) {
  Fts5Cursor *c = (Fts5Cursor *)ctx;
  if (col < 0 || col >= table_of(c)->ncol) return SQLITE_RANGE;
  int rc = fts5_cursor_text(c, col, z, n);
  if (rc == SQLITE_OK && !*z) {
    *z = "";
    *n = 0;
  }
  return rc;
}

static int x_column_size(Fts5Context *ctx, int col, int *n) {
  Fts5Cursor *c = (Fts5Cursor *)ctx;
  Fts5Table *t = table_of(c);
  *n = 0;
  if (col >= t->ncol) return SQLITE_RANGE;
  int rc = load_sizes(c);
  if (rc != SQLITE_OK) return rc;
  for (int i = 0; i < t->ncol; i++)
    if (col < 0 || col == i) *n += c->colsize[i];
  return SQLITE_OK;
}

static int x_query_phrase(Fts5Context *ctx, int iphrase, void *user,
                          int (*cb)(const Fts5ExtensionApi *, Fts5Context *, void *)) {
  Fts5Cursor *c = (Fts5Cursor *)ctx;
  if (iphrase < 0 || iphrase >= fts5_expr_phrase_count(c->expr)) return SQLITE_RANGE;
  const sqlite3_int64 *rows;
  int n;
  int rc = fts5_expr_phrase_rows(c->expr, iphrase, &rows, &n);
  if (rc != SQLITE_OK) return rc;
  /* a cursor of its own over the phrase's rows, with the same phrases */
  Fts5Cursor sub;
  memset(&sub, 0, sizeof sub);
  sub.base.pVtab = c->base.pVtab;
  sub.mode = 2;
  sub.expr = c->expr;
  sub.id = -1;
  for (int i = 0; i < n && rc == SQLITE_OK; i++) {
    sub.rowid = rows[i];
    sub.row_loaded = 0;
    sub.inst_loaded = 0;
    if (sub.colsize) sub.colsize[0] = -1;
    rc = cb(&fts5_ext_api, (Fts5Context *)&sub, user);
  }
  sqlite3_finalize(sub.row);
  sqlite3_free(sub.colsize);
  sqlite3_free(sub.coltotal);
  sqlite3_free(sub.inst);
  fts5_cursor_aux_clear(&sub);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int x_set_auxdata(Fts5Context *ctx, void *p, void (*del)(void *)) {
  Fts5Cursor *c = (Fts5Cursor *)ctx;
  F5AuxData *d;
  for (d = c->auxlist; d && d->fn != running; d = d->next) {
  }
  if (!d) {
    d = sqlite3_malloc((int)sizeof *d);
    if (!d) {
      if (del) del(p);
      return SQLITE_NOMEM;
    }
    memset(d, 0, sizeof *d);
    d->fn = running;
    d->next = c->auxlist;
    c->auxlist = d;
  } else if (d->del) {
    d->del(d->p);
  }
  d->p = p;
  d->del = del;
  return SQLITE_OK;
}

static void *x_get_auxdata(Fts5Context *ctx, int clear) {
  Fts5Cursor *c = (Fts5Cursor *)ctx;
  for (F5AuxData *d = c->auxlist; d; d = d->next) {
    if (d->fn != running) continue;
    void *p = d->p;
    if (clear) {
      d->p = NULL;
      d->del = NULL;
    }
    return p;
  }
  return NULL;
}

/* Phrase iterators walk the row's instance triples: a at the current one, b past the last. */
static void phrase_seek(Fts5PhraseIter *it, int phrase, int *col, int *off) {
  const int *p = (const int *)it->a, *end = (const int *)it->b;
  while (p < end && p[0] != phrase) p += 3;
  if (p >= end) {
    *col = -1;
    *off = -1;
    it->a = it->b;
    return;
  }
  *col = p[1];
  *off = p[2];
  it->a = (const unsigned char *)(p + 3);
}

static int x_phrase_first(Fts5Context *ctx, int phrase, Fts5PhraseIter *it, int *col, int *off) {
  Fts5Cursor *c = (Fts5Cursor *)ctx;
  int rc = load_inst(c);
  if (rc != SQLITE_OK) return rc;
  it->a = (const unsigned char *)c->inst;
  it->b = (const unsigned char *)(c->inst + 3 * c->ninst);
  if (!c->inst) it->a = it->b = NULL;
  /* the phrase index is kept just before a: remember it in the iterator's first triple */
  phrase_seek(it, phrase, col, off);
  return SQLITE_OK;
}

static void x_phrase_next(Fts5Context *ctx, Fts5PhraseIter *it, int *col, int *off) {
  (void)ctx;
  if (!it->a || it->a >= it->b) {
    *col = -1;
    *off = -1;
    return;
  }
  const int *prev = (const int *)it->a - 3;
  phrase_seek(it, prev[0], col, off);
}

static int x_phrase_first_column(Fts5Context *ctx, int phrase, Fts5PhraseIter *it, int *col) {
  int off;
  int rc = x_phrase_first(ctx, phrase, it, col, &off);
  return rc;
}

static void x_phrase_next_column(Fts5Context *ctx, Fts5PhraseIter *it, int *col) {
  int prevcol = *col, off;
  do {
    x_phrase_next(ctx, it, col, &off);
  } while (*col >= 0 && *col == prevcol);
}

const Fts5ExtensionApi fts5_ext_api = {
    2,
    x_user_data,
    x_column_count,
    x_row_count,
    x_column_total_size,
    x_tokenize,
    x_phrase_count,
    x_phrase_size,
    x_inst_count,
    x_inst,
    x_rowid,
    x_column_text,
    x_column_size,
    x_query_phrase,
    x_set_auxdata,
    x_get_auxdata,
    x_phrase_first,
    x_phrase_next,
    x_phrase_first_column,
    x_phrase_next_column,
};

void fts5_aux_call(F5AuxFn *f, Fts5Cursor *c, sqlite3_context *ctx, int nval, sqlite3_value **vals) {
  F5AuxFn *saved = running;
  running = f;
  f->fn(&fts5_ext_api, (Fts5Context *)c, ctx, nval, vals);
  running = saved;
}

/* Runs f on the cursor of g whose id the first argument holds. */
static void dispatch(F5AuxFn *f, Fts5Global *g, sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  if (argc < 1) {
    sqlite3_result_error(ctx, "wrong number of arguments", -1);
    return;
  }
  sqlite3_int64 id = sqlite3_value_int64(argv[0]);
  Fts5Cursor *c = g && sqlite3_value_type(argv[0]) == SQLITE_INTEGER ? fts5_cursor_by_id(g, id) : NULL;
  if (!c || c->id < 0) {
    char *m = sqlite3_mprintf("no such cursor: %lld", id);
    sqlite3_result_error(ctx, m, -1);
    sqlite3_free(m);
    return;
  }
  fts5_aux_call(f, c, ctx, argc - 1, argv + 1);
}

/* The SQL function of an added auxiliary function: the first argument names
** the cursor, among those of the connection's state the function belongs to. */
void fts5_aux_dispatch(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  F5AuxFn *f = sqlite3_user_data(ctx);
  dispatch(f, f->g, ctx, argc, argv);
}

/* ---- bm25 ------------------------------------------------------------------------------------------------------ */

double fts5_bm25_score(Fts5Cursor *c, sqlite3_value **w, int nw, int *rcp) {
  const double k1 = 1.2, b = 0.75;
  Fts5Table *t = table_of(c);
  int rc = load_totals(c);
  if (rc == SQLITE_OK) rc = load_sizes(c);
  if (rc == SQLITE_OK) rc = load_inst(c);
  if (rc != SQLITE_OK) {
    *rcp = rc;
    return 0;
  }
  int np = fts5_expr_phrase_count(c->expr);
  double n_total = (double)c->nrow_total;
  sqlite3_int64 tokens = 0;
  for (int i = 0; i < t->ncol; i++) tokens += c->coltotal[i];
  double avgdl = n_total > 0 ? (double)tokens / n_total : 0;
  double dl = 0;
  for (int i = 0; i < t->ncol; i++) dl += c->colsize[i];
  double score = 0;
  for (int p = 0; p < np; p++) {
    const sqlite3_int64 *rows;
    int nrows;
    rc = fts5_expr_phrase_rows(c->expr, p, &rows, &nrows);
    if (rc != SQLITE_OK) {
      *rcp = rc;
      return 0;
    }
    double idf = log((n_total - nrows + 0.5) / (nrows + 0.5));
    if (idf <= 0.0) idf = 1e-6;
    double f = 0;
    for (int i = 0; i < c->ninst; i++) {
      if (c->inst[3 * i] != p) continue;
      int col = c->inst[3 * i + 1];
      f += col < nw ? sqlite3_value_double(w[col]) : 1.0;
    }
    score += idf * (f * (k1 + 1.0)) / (f + k1 * (1.0 - b + b * dl / avgdl));
  }
  return -1.0 * score;
}

static void bm25_fn(const Fts5ExtensionApi *api, Fts5Context *ctx, sqlite3_context *out, int nval,
                    sqlite3_value **vals) {
  (void)api;
  int rc = SQLITE_OK;
  double v = fts5_bm25_score((Fts5Cursor *)ctx, vals, nval, &rc);
  if (rc != SQLITE_OK)
    sqlite3_result_error_code(out, rc);
  else
    sqlite3_result_double(out, v);
}

/* ---- highlight and snippet -------------------------------------------------------------------------------------- */

typedef struct HiCtx {
  const Fts5ExtensionApi *api;
  Fts5Context *fts;
  const char *z;
  int n;
  int col;
  const char *open, *close;
  F5Buf out;
  int emitted;                /* bytes of z already copied */
  int pos;                    /* token index */
  int range_start, range_end; /* snippet: the tokens shown (-1: all) */
  /* the instance ranges of this column, merged */
  int *rs, *re, nr, ri;
  int in_hl;
} HiCtx;

static int hi_token(void *vc, int tflags, const char *tok, int n, int start, int end) {
  HiCtx *h = vc;
  (void)tok;
  (void)n;
  if (tflags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
  int pos = h->pos++;
  if (h->range_start >= 0) {
    if (pos < h->range_start || pos > h->range_end) return SQLITE_OK;
    if (pos == h->range_start) h->emitted = start;
  }
  while (h->ri < h->nr && h->re[h->ri] < pos && !h->in_hl) h->ri++;
  if (h->ri < h->nr && !h->in_hl && h->rs[h->ri] == pos) {
    f5_put(&h->out, h->z + h->emitted, start - h->emitted);
    f5_put(&h->out, h->open, (int)strlen(h->open));
    h->emitted = start;
    h->in_hl = 1;
  }
  if (h->in_hl && (h->re[h->ri] == pos || (h->range_end >= 0 && pos == h->range_end))) {
    f5_put(&h->out, h->z + h->emitted, end - h->emitted);
    f5_put(&h->out, h->close, (int)strlen(h->close));
    h->emitted = end;
    h->in_hl = 0;
    if (h->re[h->ri] == pos) h->ri++;
  }
  if (h->range_end >= 0 && pos == h->range_end) {
    f5_put(&h->out, h->z + h->emitted, end - h->emitted);
    h->emitted = end;
  }
  return SQLITE_OK;
}

/* Merged instance ranges (token start..end) of column col, ascending. */
static int hi_ranges(HiCtx *h) {
  int ninst, rc = h->api->xInstCount(h->fts, &ninst);
  if (rc != SQLITE_OK) return rc;
  h->rs = sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)(ninst + 1));
  h->re = sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)(ninst + 1));
  if (!h->rs || !h->re) return SQLITE_NOMEM;
  for (int i = 0; i < ninst; i++) {
    int ph, col, off;
    if ((rc = h->api->xInst(h->fts, i, &ph, &col, &off)) != SQLITE_OK) return rc;
    if (col != h->col) continue;
    int e = off + h->api->xPhraseSize(h->fts, ph) - 1;
    if (h->nr > 0 && off <= h->re[h->nr - 1]) {
      if (e > h->re[h->nr - 1]) h->re[h->nr - 1] = e;
    } else {
      h->rs[h->nr] = off;
      h->re[h->nr++] = e;
    }
  }
  return SQLITE_OK;
}

static void hi_free(HiCtx *h) {
  sqlite3_free(h->rs);
  sqlite3_free(h->re);
  f5_free(&h->out);
}

static void highlight_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *out, int nval,
                         sqlite3_value **vals) {
  if (nval != 3) {
    sqlite3_result_error(out, "wrong number of arguments to function highlight()", -1);
    return;
  }
  HiCtx h;
  memset(&h, 0, sizeof h);
  h.api = api;
  h.fts = fts;
  h.col = sqlite3_value_int(vals[0]);
  h.open = (const char *)sqlite3_value_text(vals[1]);
  h.close = (const char *)sqlite3_value_text(vals[2]);
  if (!h.open) h.open = "";
  if (!h.close) h.close = "";
  h.range_start = h.range_end = -1;
  int rc = api->xColumnText(fts, h.col, &h.z, &h.n);
  if (rc == SQLITE_OK && h.z && ((Fts5Cursor *)fts)->row_loaded == 0 &&
      table_of((Fts5Cursor *)fts)->content == F5_CONTENT_NONE) {
    hi_free(&h);
    return;
  }
  if (rc == SQLITE_OK) rc = hi_ranges(&h);
  if (rc == SQLITE_OK) rc = api->xTokenize(fts, h.z, h.n, &h, hi_token);
  if (rc == SQLITE_OK) {
    if (h.in_hl) {
      f5_put(&h.out, h.z + h.emitted, h.n - h.emitted);
      f5_put(&h.out, h.close, (int)strlen(h.close));
      h.emitted = h.n;
    }
    f5_put(&h.out, h.z + h.emitted, h.n - h.emitted);
    if (h.out.oom) rc = SQLITE_NOMEM;
  }
  if (rc == SQLITE_OK)
    sqlite3_result_text(out, h.out.p ? (const char *)h.out.p : "", h.out.n, SQLITE_TRANSIENT);
  else
    sqlite3_result_error_code(out, rc);
  hi_free(&h);
}

/* Sentence starts of a text: the first token and each token after ". " or ": ". */
typedef struct Sentences {
  const char *z;
  int pos;
  int *first, n, cap;
  int oom;
} Sentences;

static int sentence_token(void *vc, int tflags, const char *tok, int n, int start, int end) {
  Sentences *s = vc;
  (void)tok;
  (void)n;
  (void)end;
  if (tflags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
  int pos = s->pos++;
  int is_first = pos == 0;
  if (!is_first) {
    int i = start - 1;
    while (i >= 0 && (s->z[i] == ' ' || s->z[i] == '\t' || s->z[i] == '\n' || s->z[i] == '\r')) i--;
    is_first = i != start - 1 && i >= 0 && (s->z[i] == '.' || s->z[i] == ':');
  }
  if (!is_first) return SQLITE_OK;
  if (s->n == s->cap) {
    int cap = s->cap ? s->cap * 2 : 16;
    int *g = sqlite3_realloc64(s->first, sizeof(int) * (sqlite3_uint64)cap);
    if (!g) return SQLITE_NOMEM;
    s->first = g;
    s->cap = cap;
  }
  s->first[s->n++] = pos;
  return SQLITE_OK;
}

/* The score of the window [pos, pos + ntok) of column col; *adj the start
** that centres the phrases it holds. */
static int snippet_score(const Fts5ExtensionApi *api, Fts5Context *fts, int docsize, unsigned char *seen, int col,
                         int pos, int ntok, int *score, int *adj) {
  int ninst, rc = api->xInstCount(fts, &ninst);
  if (rc != SQLITE_OK) return rc;
  int s = 0, first = -1, last = 0;
  for (int i = 0; i < ninst; i++) {
    int ph, ic, io;
    if ((rc = api->xInst(fts, i, &ph, &ic, &io)) != SQLITE_OK) return rc;
    if (ic != col || io < pos || io >= pos + ntok) continue;
    s += seen[ph] ? 1 : 1000;
    seen[ph] = 1;
    if (first < 0) first = io;
    last = io + api->xPhraseSize(fts, ph) - 1;
  }
  *score = s;
  if (adj) {
    int a = first - (ntok - (last - first + 1)) / 2;
    if (a + ntok > docsize) a = docsize - ntok;
    if (a < 0) a = 0;
    *adj = a;
  }
  return SQLITE_OK;
}

static void snippet_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *out, int nval,
                       sqlite3_value **vals) {
  if (nval != 5) {
    sqlite3_result_error(out, "wrong number of arguments to function snippet()", -1);
    return;
  }
  int icol = sqlite3_value_int(vals[0]);
  const char *open = (const char *)sqlite3_value_text(vals[1]);
  const char *close = (const char *)sqlite3_value_text(vals[2]);
  const char *ellips = (const char *)sqlite3_value_text(vals[3]);
  int ntok = sqlite3_value_int(vals[4]);
  if (!open) open = "";
  if (!close) close = "";
  if (!ellips) ellips = "";
  if (ntok > 64) ntok = 64;
  if (ntok < 1) ntok = 1;
  int ncol = api->xColumnCount(fts), nphrase = api->xPhraseCount(fts), ninst;
  unsigned char *seen = sqlite3_malloc(nphrase + 1);
  int rc = seen ? api->xInstCount(fts, &ninst) : SQLITE_NOMEM;
  int best_score = 0, best_col = icol >= 0 ? icol : 0, best_start = 0, colsize = -1;
  for (int i = 0; rc == SQLITE_OK && i < ncol; i++) {
    if (icol >= 0 && icol != i) continue;
    int docsize;
    if ((rc = api->xColumnSize(fts, i, &docsize)) != SQLITE_OK) break;
    Sentences sf;
    memset(&sf, 0, sizeof sf);
    const char *z;
    int n;
    rc = api->xColumnText(fts, i, &z, &n);
    sf.z = z;
    if (rc == SQLITE_OK) rc = api->xTokenize(fts, z, n, &sf, sentence_token);
    for (int k = 0; rc == SQLITE_OK && k < ninst; k++) {
      int ph, ic, io, score, adj;
      if ((rc = api->xInst(fts, k, &ph, &ic, &io)) != SQLITE_OK) break;
      if (ic != i) continue;
      if (io > docsize) {
        rc = SQLITE_CORRUPT_VTAB;
        break;
      }
      memset(seen, 0, (size_t)nphrase + 1);
      rc = snippet_score(api, fts, docsize, seen, i, io, ntok, &score, &adj);
      if (rc == SQLITE_OK && score > best_score) {
        best_score = score;
        best_col = i;
        best_start = adj;
        colsize = docsize;
      }
      if (rc == SQLITE_OK && sf.n > 0 && docsize > ntok) {
        int jj;
        for (jj = 0; jj < sf.n - 1; jj++)
          if (sf.first[jj + 1] > io) break;
        if (sf.first[jj] < io) {
          memset(seen, 0, (size_t)nphrase + 1);
          rc = snippet_score(api, fts, docsize, seen, i, sf.first[jj], ntok, &score, NULL);
          score += sf.first[jj] == 0 ? 120 : 100;
          if (rc == SQLITE_OK && score > best_score) {
            best_score = score;
            best_col = i;
            best_start = sf.first[jj];
            colsize = docsize;
          }
        }
      }
    }
    sqlite3_free(sf.first);
  }
  if (rc == SQLITE_OK && colsize < 0) rc = api->xColumnSize(fts, best_col, &colsize);
  HiCtx h;
  memset(&h, 0, sizeof h);
  if (rc == SQLITE_OK) {
    h.api = api;
    h.fts = fts;
    h.col = best_col;
    h.open = open;
    h.close = close;
    h.range_start = best_start;
    h.range_end = best_start + ntok - 1;
    rc = api->xColumnText(fts, best_col, &h.z, &h.n);
  }
  if (rc == SQLITE_OK) rc = hi_ranges(&h);
  if (rc == SQLITE_OK && best_start > 0) f5_put(&h.out, ellips, (int)strlen(ellips));
  if (rc == SQLITE_OK) rc = api->xTokenize(fts, h.z, h.n, &h, hi_token);
  if (rc == SQLITE_OK) {
    if (h.in_hl) f5_put(&h.out, close, (int)strlen(close));
    if (best_start + ntok < colsize)
      f5_put(&h.out, ellips, (int)strlen(ellips));
    else
      f5_put(&h.out, h.z + h.emitted, h.n - h.emitted);
    if (h.out.oom) rc = SQLITE_NOMEM;
  }
  if (rc == SQLITE_OK)
    sqlite3_result_text(out, h.out.p ? (const char *)h.out.p : "", h.out.n, SQLITE_TRANSIENT);
  else
    sqlite3_result_error_code(out, rc);
  hi_free(&h);
  sqlite3_free(seen);
}

static const struct {
  const char *name;
  fts5_extension_function fn;
} builtin_aux[] = {{"bm25", bm25_fn}, {"highlight", highlight_fn}, {"snippet", snippet_fn}};
_Static_assert(sizeof builtin_aux / sizeof builtin_aux[0] == FTS5_NBUILTIN_AUX, "one slot per built-in");

void fts5_builtin_aux(Fts5Global *g) {
  for (size_t i = 0; i < FTS5_NBUILTIN_AUX; i++) {
    F5AuxFn *f = &g->builtin_aux[i];
    f->g = g;
    f->name = (char *)builtin_aux[i].name;
    f->user = g;
    f->fn = builtin_aux[i].fn;
    f->destroy = NULL;
    f->next = NULL;
  }
}

/* The SQL functions of the built-in auxiliary functions, one for every
** connection: each runs the built-in of the calling connection's state. */
static void builtin_dispatch(sqlite3_context *ctx, int argc, sqlite3_value **argv, int i) {
  Fts5Global *g = fts5_global(sqlite3_context_db_handle(ctx));
  dispatch(g ? &g->builtin_aux[i] : NULL, g, ctx, argc, argv);
}

static void bm25_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv) { builtin_dispatch(ctx, argc, argv, 0); }
static void highlight_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  builtin_dispatch(ctx, argc, argv, 1);
}
static void snippet_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv) { builtin_dispatch(ctx, argc, argv, 2); }

/* fts5_source_id(): the version string, as SQLite's. */
static void fts5_source_id_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  sqlite3_result_text(ctx, sqlite3_sourceid(), -1, SQLITE_STATIC);
}

int fts5_each_function(Fts5AddFunction add, void *ctx) {
  int rc = add(ctx, "fts5_source_id", 0, fts5_source_id_fn);
  if (rc == SQLITE_OK) rc = add(ctx, "bm25", -1, bm25_sql);
  if (rc == SQLITE_OK) rc = add(ctx, "highlight", -1, highlight_sql);
  if (rc == SQLITE_OK) rc = add(ctx, "snippet", -1, snippet_sql);
  return rc;
}
