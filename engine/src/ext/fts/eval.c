/*
** eval.c — evaluating a query over a posting source (fts.h), a document
** at a time: each node of the query moves through the documents it
** matches in ascending order on cursors over its terms' postings, so that
** a conjunction skips what its rarest clause rules out and nothing is
** decoded into arrays first.
**
** Scoring follows Tantivy: a term's BM25 in a field, times the field's
** weight; a term without a column filter is the sum over the fields it
** occurs in; a phrase scores as one term whose idf is the sum of its
** terms' and whose frequency is the phrase's; a prefix as the sum of the
** terms it expands to; a boolean sums its matching non-excluding clauses;
** "*" scores 1; a boost multiplies.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ext/fts/fts.h"
#include "util/util.h"

#define BM25_K1 1.2
#define BM25_B 0.75

double fts_idf(double ndocs, double df) { return log(1.0 + (ndocs - df + 0.5) / (df + 0.5)); }

double fts_bm25(double idf, double tf, double len, double avglen) {
  double norm = avglen > 0 ? len / avglen : 1.0;
  return idf * (1.0 + BM25_K1) * tf / (tf + BM25_K1 * (1.0 - BM25_B + BM25_B * norm));
}

/* ---- postings lists --------------------------------------------------------------- */

static int grow(void **p, int64_t *cap, int64_t need, size_t size) {
  if (need <= *cap) return LODE_OK;
  int64_t ncap = *cap ? *cap : 16;
  while (ncap < need) ncap *= 2;
  void *g = util_realloc(*p, size * (size_t)ncap);
  if (!g) return LODE_NOMEM;
  *p = g;
  *cap = ncap;
  return LODE_OK;
}

int fts_postings_list_add(FtsPostings **lists, int *nlists, int *cap) {
  if (*nlists == *cap) {
    int ncap = *cap ? 2 * *cap : 4;
    FtsPostings *g = util_realloc(*lists, sizeof(FtsPostings) * (size_t)ncap);
    if (!g) return LODE_NOMEM;
    *lists = g;
    *cap = ncap;
  }
  memset(&(*lists)[*nlists], 0, sizeof(FtsPostings));
  (*nlists)++;
  return LODE_OK;
}

int fts_postings_add(FtsPostings *p, int64_t doc, int32_t len, const int32_t *pos, int32_t tf) {
  if (p->n == p->cap) {
    int64_t ncap = p->cap ? 2 * p->cap : 16;
    int64_t *d = util_realloc(p->doc, sizeof(int64_t) * (size_t)ncap);
    if (d) p->doc = d;
    int32_t *t = d ? util_realloc(p->tf, sizeof(int32_t) * (size_t)ncap) : NULL;
    if (t) p->tf = t;
    int32_t *l = t ? util_realloc(p->len, sizeof(int32_t) * (size_t)ncap) : NULL;
    if (l) p->len = l;
    int64_t *a = l ? util_realloc(p->posat, sizeof(int64_t) * (size_t)ncap) : NULL;
    if (a) p->posat = a;
    if (!a) return LODE_NOMEM;
    p->cap = ncap;
  }
  p->doc[p->n] = doc;
  p->tf[p->n] = tf;
  p->len[p->n] = len;
  p->posat[p->n] = p->npos;
  if (pos) {
    if (grow((void **)&p->pos, &p->poscap, p->npos + tf, sizeof(int32_t)) != LODE_OK) return LODE_NOMEM;
    memcpy(p->pos + p->npos, pos, sizeof(int32_t) * (size_t)tf);
    p->npos += tf;
  }
  p->n++;
  return LODE_OK;
}

void fts_postings_clear(FtsPostings *p) {
  util_free(p->doc);
  util_free(p->tf);
  util_free(p->len);
  util_free(p->posat);
  util_free(p->pos);
  memset(p, 0, sizeof *p);
}

/* ---- posting cursors ---------------------------------------------------------------- */

int fts_cursor_list_add(FtsCursorList *l, FtsPostingCursor *cur) {
  if (l->n == l->cap) {
    int ncap = l->cap ? 2 * l->cap : 4;
    FtsPostingCursor **g = util_realloc(l->v, sizeof(*g) * (size_t)ncap);
    if (!g) {
      cur->close(cur);
      return LODE_NOMEM;
    }
    l->v = g;
    l->cap = ncap;
  }
  l->v[l->n++] = cur;
  return LODE_OK;
}

/* A cursor over an FtsPostings list of a source without cursors of its own. */
typedef struct ListCursor {
  FtsPostingCursor base;
  FtsPostings list;
  int64_t at;
} ListCursor;

static void list_cursor_set(ListCursor *c) {
  FtsPostings *l = &c->list;
  c->base.started = 1;
  c->base.eof = c->at >= l->n;
  if (c->base.eof) return;
  c->base.doc = l->doc[c->at];
  c->base.tf = l->tf[c->at];
  c->base.len = l->len[c->at];
}

static int list_cursor_seek(FtsPostingCursor *cur, int64_t target) {
  ListCursor *c = (ListCursor *)cur;
  if (cur->started) c->at++;
  while (c->at < c->list.n && c->list.doc[c->at] < target) c->at++;
  list_cursor_set(c);
  return LODE_OK;
}

static int list_cursor_positions(FtsPostingCursor *cur, const int32_t **pos) {
  ListCursor *c = (ListCursor *)cur;
  *pos = c->list.pos ? c->list.pos + c->list.posat[c->at] : NULL;
  return *pos || cur->tf == 0 ? LODE_OK : LODE_MISUSE;
}

static int list_cursor_count(FtsPostingCursor *cur, int64_t *n) {
  *n = ((ListCursor *)cur)->list.n;
  return LODE_OK;
}

static void list_cursor_close(FtsPostingCursor *cur) {
  fts_postings_clear(&((ListCursor *)cur)->list);
  util_free(cur);
}

/* The cursors of lookup's lists (they move into the cursors). */
static int lookup_cursors(const FtsSource *s, int f, const char *term, int n, int prefix, int want_pos,
                          FtsCursorList *out) {
  FtsPostings *lists = NULL;
  int nlists = 0, cap = 0, i;
  int rc = s->lookup(s->ctx, f, term, n, prefix, want_pos, &lists, &nlists, &cap);
  for (i = 0; rc == LODE_OK && i < nlists; i++) {
    ListCursor *c = util_zalloc(sizeof *c);
    if (!c) {
      rc = LODE_NOMEM;
      break;
    }
    c->list = lists[i];
    memset(&lists[i], 0, sizeof lists[i]);
    c->base.seek = list_cursor_seek;
    c->base.positions = list_cursor_positions;
    c->base.count = list_cursor_count;
    c->base.close = list_cursor_close;
    rc = fts_cursor_list_add(out, &c->base);
  }
  for (i = 0; i < nlists; i++) fts_postings_clear(&lists[i]);
  util_free(lists);
  return rc;
}

/* ---- the query as a tree of document-at-a-time nodes ---------------------------------
**
** Every node walks the documents it matches in ascending order: seek(target)
** moves it to its first match at or after target.  A conjunction leapfrogs
** its clauses (each seeks to the largest document any other is on), so a
** rare clause lets a common one skip the postings between its documents;
** phrases read positions only of documents every term holds; a union keeps
** its clauses in a heap, so a prefix with many terms costs a logarithm per
** posting.  Scores are summed in the same order as the clauses are
** written, which keeps them bit-for-bit those of evaluating clause by
** clause.
*/

enum { N_EMPTY, N_TERM, N_OR, N_BOOL, N_PHRASE, N_ALL };

typedef struct Node Node;
struct Node {
  int kind, started, eof;
  int64_t doc;
  double boost;
  /* N_TERM: one list of one field. */
  FtsPostingCursor *cur;
  double idf, weight, avglen;
  /* N_OR: its clauses (owned), a heap of them by (eof, doc, index), scratch
  ** for the clauses on the current document. */
  Node **kid;
  int nkid;
  struct HeapEntry *heap;
  int *on;
  /* N_BOOL: the clauses that must occur (owned), the union of those that
  ** should and of those that must not (NULL when none). */
  Node **must;
  int nmust;
  Node *should, *not;
  int scored; /* should is kept on the current document, for its score */
  /* N_PHRASE: its terms' lists (owned), their offsets in the query. */
  FtsPostingCursor **toks;
  int *tokpos;
  int ntok, slop;
  int32_t ptf; /* the phrase's frequency in the current document */
  /* N_ALL */
  int64_t *docs, ndocs, at;
};

typedef struct Eval {
  const FtsSource *src;
  char *errmsg;
} Eval;

static void node_free(Node *n) {
  if (!n) return;
  if (n->cur) n->cur->close(n->cur);
  for (int i = 0; i < n->nkid; i++) node_free(n->kid[i]);
  util_free(n->kid);
  util_free(n->heap);
  util_free(n->on);
  for (int i = 0; i < n->nmust; i++) node_free(n->must[i]);
  util_free(n->must);
  node_free(n->should);
  node_free(n->not);
  for (int i = 0; i < n->ntok; i++) n->toks[i]->close(n->toks[i]);
  util_free(n->toks);
  util_free(n->tokpos);
  util_free(n->docs);
  util_free(n);
}

static Node *node_new(int kind) {
  Node *n = util_zalloc(sizeof *n);
  if (n) n->kind = kind, n->boost = 1.0;
  return n;
}

static int node_seek(Node *n, int64_t target);
static double node_score(Node *n);

/* A union's clause in its heap, with the clause's place copied in so that
** sifting reads one array. */
typedef struct HeapEntry {
  int64_t doc;
  int32_t eof, kid;
} HeapEntry;

static inline int heap_less(const HeapEntry *x, const HeapEntry *y) {
  if (x->eof != y->eof) return y->eof;
  if (x->doc != y->doc) return x->doc < y->doc;
  return x->kid < y->kid;
}

static void heap_down(HeapEntry *h, int n, int i) {
  HeapEntry e = h[i];
  for (;;) {
    int l = 2 * i + 1, m = l;
    if (l >= n) break;
    if (l + 1 < n && heap_less(&h[l + 1], &h[l])) m = l + 1;
    if (!heap_less(&h[m], &e)) break;
    h[i] = h[m];
    i = m;
  }
  h[i] = e;
}

static int or_seek(Node *n, int64_t target) {
  int rc;
  HeapEntry *h = n->heap;
  if (!n->started) {
    for (int i = 0; i < n->nkid; i++) {
      if ((rc = node_seek(n->kid[i], target)) != LODE_OK) return rc;
      h[i] = (HeapEntry){n->kid[i]->doc, n->kid[i]->eof, i};
    }
    for (int i = n->nkid / 2 - 1; i >= 0; i--) heap_down(h, n->nkid, i);
  } else {
    while (!h[0].eof && h[0].doc < target) {
      Node *top = n->kid[h[0].kid];
      if ((rc = node_seek(top, target)) != LODE_OK) return rc;
      h[0].doc = top->doc;
      h[0].eof = top->eof;
      heap_down(h, n->nkid, 0);
    }
  }
  n->eof = h[0].eof;
  n->doc = h[0].doc;
  return LODE_OK;
}

static int by_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return x < y ? -1 : x > y;
}

/* The sum of the scores of the clauses on the current document, in clause order. */
static double or_score(Node *n) {
  int non = 0, nstack = 0;
  int *stack = n->on + n->nkid; /* the scratch array's second half */
  stack[nstack++] = 0;
  while (nstack) {
    int i = stack[--nstack];
    const HeapEntry *k = &n->heap[i];
    if (k->eof || k->doc != n->doc) continue;
    n->on[non++] = k->kid;
    if (2 * i + 1 < n->nkid) stack[nstack++] = 2 * i + 1;
    if (2 * i + 2 < n->nkid) stack[nstack++] = 2 * i + 2;
  }
  if (non > 1) qsort(n->on, (size_t)non, sizeof(int), by_int);
  double s = 0;
  for (int i = 0; i < non; i++) s = i ? s + node_score(n->kid[n->on[i]]) : node_score(n->kid[n->on[i]]);
  return s;
}

/* Moves every clause of list[0..k) to one document at or after target. */
static int leapfrog(Node *const *list, int k, int64_t *target, int *eof) {
  int64_t t = *target;
  for (int agreed = 0, i = 0; agreed < k; i = (i + 1) % k) {
    int rc = node_seek(list[i], t);
    if (rc != LODE_OK) return rc;
    if (list[i]->eof) {
      *eof = 1;
      return LODE_OK;
    }
    if (list[i]->doc != t) t = list[i]->doc, agreed = 1;
    else agreed++;
  }
  *target = t;
  *eof = 0;
  return LODE_OK;
}

static int bool_seek(Node *n, int64_t target) {
  int rc;
  for (;;) {
    int eof = 0;
    if (n->nmust) {
      rc = leapfrog(n->must, n->nmust, &target, &eof);
    } else {
      rc = node_seek(n->should, target);
      eof = n->should->eof;
      target = n->should->doc;
    }
    if (rc != LODE_OK) return rc;
    if (eof) {
      n->eof = 1;
      return LODE_OK;
    }
    if (n->not) {
      if ((rc = node_seek(n->not, target)) != LODE_OK) return rc;
      if (!n->not->eof && n->not->doc == target) {
        if (target == INT64_MAX) {
          n->eof = 1;
          return LODE_OK;
        }
        target++;
        continue;
      }
    }
    n->doc = target;
    if (n->nmust && n->should && n->scored) return node_seek(n->should, target);
    return LODE_OK;
  }
}

static double bool_score(Node *n) {
  if (!n->nmust) return node_score(n->should);
  double s = 0;
  for (int i = 0; i < n->nmust; i++) s = i ? s + node_score(n->must[i]) : node_score(n->must[i]);
  if (n->should && n->should->started && !n->should->eof && n->should->doc == n->doc) s += node_score(n->should);
  return s;
}

/* How often the phrase occurs in the document its terms' lists are on:
** each term at its offset from the one before, or as near as the slop
** (the summed distances from those offsets, either way: a swap of two
** terms costs 2) allows. */
static int phrase_count(Node *n, int32_t *count) {
  const int32_t *small[16], **pos = n->ntok <= 16 ? small : util_malloc(sizeof(int32_t *) * (size_t)n->ntok);
  int rc = pos ? LODE_OK : LODE_NOMEM;
  for (int i = 0; i < n->ntok && rc == LODE_OK; i++) rc = n->toks[i]->positions(n->toks[i], &pos[i]);
  *count = 0;
  if (rc == LODE_OK) {
    const FtsPostingCursor *c0 = n->toks[0];
    for (int32_t k = 0; k < c0->tf; k++) {
      int32_t prev = pos[0][k];
      int extra = 0, ok = 1;
      for (int i = 1; i < n->ntok && ok; i++) {
        int32_t want = prev + (n->tokpos[i] - n->tokpos[i - 1]), best = -1, dist = 0;
        for (int32_t m = 0; m < n->toks[i]->tf; m++) {
          int32_t q = pos[i][m], d = q > want ? q - want : want - q;
          if (best < 0 || d < dist) best = q, dist = d;
        }
        if (best < 0 || extra + dist > n->slop) ok = 0;
        else extra += dist, prev = best;
      }
      *count += ok;
    }
  }
  if (pos != small) util_free(pos);
  return rc;
}

static int phrase_seek(Node *n, int64_t target) {
  for (;;) {
    int64_t t = target;
    for (int agreed = 0, i = 0; agreed < n->ntok; i = (i + 1) % n->ntok) {
      FtsPostingCursor *c = n->toks[i];
      if (!c->started || (!c->eof && c->doc < t)) {
        int rc = c->seek(c, t);
        if (rc != LODE_OK) return rc;
      }
      if (c->eof) {
        n->eof = 1;
        return LODE_OK;
      }
      if (c->doc != t) t = c->doc, agreed = 1;
      else agreed++;
    }
    int rc = phrase_count(n, &n->ptf);
    if (rc != LODE_OK) return rc;
    if (n->ptf > 0) {
      n->doc = t;
      return LODE_OK;
    }
    if (t == INT64_MAX) {
      n->eof = 1;
      return LODE_OK;
    }
    target = t + 1;
  }
}

static int node_seek(Node *n, int64_t target) {
  if (n->eof || (n->started && n->doc >= target)) return LODE_OK;
  int rc = LODE_OK;
  switch (n->kind) {
  case N_EMPTY: n->eof = 1; break;
  case N_TERM:
    if (!n->cur->started || (!n->cur->eof && n->cur->doc < target)) rc = n->cur->seek(n->cur, target);
    n->eof = n->cur->eof;
    n->doc = n->cur->doc;
    break;
  case N_OR: rc = or_seek(n, target); break;
  case N_BOOL: rc = bool_seek(n, target); break;
  case N_PHRASE: rc = phrase_seek(n, target); break;
  case N_ALL:
    while (n->at < n->ndocs && n->docs[n->at] < target) n->at++;
    n->eof = n->at >= n->ndocs;
    if (!n->eof) n->doc = n->docs[n->at];
    break;
  }
  n->started = 1;
  return rc;
}

static double node_score(Node *n) {
  double s = 0;
  switch (n->kind) {
  case N_TERM: s = n->weight * fts_bm25(n->idf, n->cur->tf, n->cur->len, n->avglen); break;
  case N_OR: s = or_score(n); break;
  case N_BOOL: s = bool_score(n); break;
  case N_PHRASE: s = n->weight * fts_bm25(n->idf, n->ptf, n->toks[0]->len, n->avglen); break;
  case N_ALL: s = 1.0; break;
  }
  return n->boost != 1.0 ? s * n->boost : s;
}

/* ---- building the tree ---------------------------------------------------------------- */

typedef struct Tok {
  char *text;
  int n, pos;
} Tok;

typedef struct Toks {
  Tok *v;
  int n, cap, rc;
} Toks;

static int collect_token(void *ctx, const char *tok, int n, int pos, int start, int end) {
  Toks *t = ctx;
  (void)start, (void)end;
  if (t->n == t->cap) {
    int ncap = t->cap ? 2 * t->cap : 8;
    Tok *g = util_realloc(t->v, sizeof(Tok) * (size_t)ncap);
    if (!g) return t->rc = LODE_NOMEM;
    t->v = g;
    t->cap = ncap;
  }
  if (!(t->v[t->n].text = util_strndup(tok, (size_t)n))) return t->rc = LODE_NOMEM;
  t->v[t->n].n = n;
  t->v[t->n++].pos = pos;
  return 0;
}

static void toks_free(Toks *t) {
  for (int i = 0; i < t->n; i++) util_free(t->v[i].text);
  util_free(t->v);
}

static int open_cursors(Eval *e, int f, const char *term, int n, int prefix, int want_pos, FtsCursorList *out) {
  const FtsSource *s = e->src;
  if (s->open) return s->open(s->ctx, f, term, n, prefix, out);
  return lookup_cursors(s, f, term, n, prefix, want_pos, out);
}

/* The idf of a list (0 when scores are not wanted: nothing is counted). */
static int list_idf(Eval *e, FtsPostingCursor *c, double *idf) {
  int64_t df = 0;
  *idf = 0;
  if (e->src->match_only) return LODE_OK;
  int rc = c->count(c, &df);
  if (rc == LODE_OK) *idf = fts_idf(e->src->ndocs, (double)df);
  return rc;
}

/* A union of kids[0..n) (moved into it; on failure they are freed). */
static int or_node(Node **kids, int n, Node **out) {
  Node *o = node_new(N_OR);
  if (o) {
    o->kid = kids;
    o->nkid = n;
  }
  if (!o || !(o->heap = util_malloc(sizeof(HeapEntry) * (size_t)n)) || !(o->on = util_malloc(sizeof(int) * 2 * (size_t)n))) {
    if (o) node_free(o);
    else {
      for (int i = 0; i < n; i++) node_free(kids[i]);
      util_free(kids);
    }
    return LODE_NOMEM;
  }
  *out = o;
  return LODE_OK;
}

/* Appends node k to the array *v (*n of *cap); frees k when out of memory. */
static int push_node(Node ***v, int *n, int *cap, Node *k) {
  if (*n == *cap) {
    int ncap = *cap ? 2 * *cap : 4;
    Node **g = util_realloc(*v, sizeof(Node *) * (size_t)ncap);
    if (!g) {
      node_free(k);
      return LODE_NOMEM;
    }
    *v = g;
    *cap = ncap;
  }
  (*v)[(*n)++] = k;
  return LODE_OK;
}

/* A term (prefix: each term it starts) of field f: the union of its lists. */
static int term_node(Eval *e, int f, const char *term, int n, int prefix, Node **out) {
  const FtsSource *s = e->src;
  FtsCursorList l = {0};
  Node **kids = NULL;
  int nkids = 0, cap = 0, i;
  int rc = open_cursors(e, f, term, n, prefix, 0, &l);
  for (i = 0; rc == LODE_OK && i < l.n; i++) {
    Node *k = node_new(N_TERM);
    if (!k) {
      rc = LODE_NOMEM;
      break;
    }
    k->cur = l.v[i];
    l.v[i] = NULL;
    k->weight = s->weights[f];
    k->avglen = s->avglen[f];
    rc = push_node(&kids, &nkids, &cap, k); /* its idf: tree_idf, or the list when read whole */
  }
  for (i = 0; i < l.n; i++)
    if (l.v[i]) l.v[i]->close(l.v[i]);
  util_free(l.v);
  if (rc == LODE_OK && nkids == 1) {
    *out = kids[0];
    util_free(kids);
    return LODE_OK;
  }
  if (rc == LODE_OK && nkids == 0) {
    util_free(kids);
    return (*out = node_new(N_EMPTY)) ? LODE_OK : LODE_NOMEM;
  }
  if (rc == LODE_OK) return or_node(kids, nkids, out);
  for (i = 0; i < nkids; i++) node_free(kids[i]);
  util_free(kids);
  return rc;
}

static int phrase_node(Eval *e, int f, const Tok *toks, int ntok, int slop, Node **out) {
  const FtsSource *s = e->src;
  Node *p = node_new(N_PHRASE);
  int rc = LODE_OK;
  if (!p || !(p->toks = util_zalloc(sizeof(FtsPostingCursor *) * (size_t)ntok)) ||
      !(p->tokpos = util_malloc(sizeof(int) * (size_t)ntok))) {
    node_free(p);
    return LODE_NOMEM;
  }
  p->slop = slop;
  p->weight = s->weights[f];
  p->avglen = s->avglen[f];
  for (int i = 0; i < ntok && rc == LODE_OK; i++) {
    FtsCursorList l = {0};
    rc = open_cursors(e, f, toks[i].text, toks[i].n, 0, 1, &l);
    if (rc == LODE_OK && l.n == 0) { /* a term nowhere: no row */
      util_free(l.v);
      node_free(p);
      return (*out = node_new(N_EMPTY)) ? LODE_OK : LODE_NOMEM;
    }
    if (rc == LODE_OK) {
      p->toks[p->ntok] = l.v[0];
      p->tokpos[p->ntok++] = toks[i].pos;
      l.v[0] = NULL;
      double idf;
      if ((rc = list_idf(e, p->toks[p->ntok - 1], &idf)) == LODE_OK) p->idf += idf;
    }
    for (int j = 0; j < l.n; j++)
      if (l.v[j]) l.v[j]->close(l.v[j]);
    util_free(l.v);
  }
  if (rc != LODE_OK) {
    node_free(p);
    return rc;
  }
  *out = p;
  return LODE_OK;
}

static int build_leaf(Eval *e, const FtsQuery *q, Node **out) {
  const FtsSource *s = e->src;
  Node **kids = NULL;
  int nkids = 0, cap = 0, rc = LODE_OK;
  for (int f = 0; f < s->nfields && rc == LODE_OK; f++) {
    if (q->field >= 0 && q->field != f) continue;
    Toks t = {NULL, 0, 0, LODE_OK};
    fts_tokenize(s->tokenizers[f], q->text, q->ntext, collect_token, &t);
    Node *one = NULL;
    rc = t.rc;
    if (rc == LODE_OK && t.n == 1) rc = term_node(e, f, t.v[0].text, t.v[0].n, q->kind == FTS_Q_PREFIX, &one);
    else if (rc == LODE_OK && t.n > 1) rc = phrase_node(e, f, t.v, t.n, q->slop, &one);
    toks_free(&t);
    if (rc == LODE_OK && one) rc = push_node(&kids, &nkids, &cap, one);
  }
  if (rc != LODE_OK) {
    for (int i = 0; i < nkids; i++) node_free(kids[i]);
    util_free(kids);
    return rc;
  }
  if (nkids == 0) {
    util_free(kids);
    return (*out = node_new(N_EMPTY)) ? LODE_OK : LODE_NOMEM;
  }
  return or_node(kids, nkids, out);
}

static int build(Eval *e, const FtsQuery *q, Node **out);

static int build_bool(Eval *e, const FtsQuery *q, Node **out) {
  Node *b = node_new(N_BOOL);
  Node **should = NULL, **not = NULL;
  int nshould = 0, capshould = 0, nnot = 0, capnot = 0, capmust = 0, rc = b ? LODE_OK : LODE_NOMEM;
  if (b) b->scored = !e->src->match_only;
  for (int i = 0; i < q->nchild && rc == LODE_OK; i++) {
    Node *k = NULL;
    if ((rc = build(e, q->child[i], &k)) != LODE_OK) break;
    if (q->occur[i] == FTS_MUST) rc = push_node(&b->must, &b->nmust, &capmust, k);
    else if (q->occur[i] == FTS_SHOULD) rc = push_node(&should, &nshould, &capshould, k);
    else rc = push_node(&not, &nnot, &capnot, k);
  }
  if (rc == LODE_OK && nshould) rc = or_node(should, nshould, &b->should), should = NULL, nshould = 0;
  if (rc == LODE_OK && nnot) rc = or_node(not, nnot, &b->not), not = NULL, nnot = 0;
  for (int i = 0; i < nshould; i++) node_free(should[i]);
  for (int i = 0; i < nnot; i++) node_free(not[i]);
  util_free(should);
  util_free(not);
  if (rc == LODE_OK && !b->nmust && !b->should) b->kind = N_EMPTY; /* only exclusions: no row */
  if (rc != LODE_OK) {
    node_free(b);
    return rc;
  }
  *out = b;
  return LODE_OK;
}

static int build(Eval *e, const FtsQuery *q, Node **out) {
  int rc;
  *out = NULL;
  switch (q->kind) {
  case FTS_Q_BOOL: rc = build_bool(e, q, out); break;
  case FTS_Q_ALL:
    if (!(*out = node_new(N_ALL))) return LODE_NOMEM;
    rc = e->src->all_docs(e->src->ctx, &(*out)->docs, &(*out)->ndocs);
    break;
  default: rc = build_leaf(e, q, out); break;
  }
  if (rc != LODE_OK) {
    node_free(*out);
    *out = NULL;
    return rc;
  }
  (*out)->boost = q->boost;
  return LODE_OK;
}

/* The idf of every term node whose score can count (excluded clauses' never do). */
static int tree_idf(Eval *e, Node *n) {
  int rc = LODE_OK;
  if (!n) return LODE_OK;
  if (n->kind == N_TERM) return list_idf(e, n->cur, &n->idf);
  for (int i = 0; i < n->nkid && rc == LODE_OK; i++) rc = tree_idf(e, n->kid[i]);
  for (int i = 0; i < n->nmust && rc == LODE_OK; i++) rc = tree_idf(e, n->must[i]);
  if (rc == LODE_OK) rc = tree_idf(e, n->should);
  return rc;
}

/* ---- terms and unions of terms, read whole ------------------------------------------
**
** A query that is a term, or a union of terms (a term over several fields,
** a prefix), reads each list a block at a time straight into arrays of
** hits and merges those: no per-document call through the node tree or the
** cursors.  The scores are the nodes' to the bit: a term's list gives its
** document count for the idf, a union adds its clauses' scores in clause
** order (a heap pops equal documents by clause), then the boosts multiply
** as node_score does. */

typedef struct HitList {
  FtsHit *v;
  int64_t n, cap;
} HitList;

static int hits_reserve(HitList *l, int64_t more) {
  if (l->n + more <= l->cap) return LODE_OK;
  int64_t ncap = l->cap ? 2 * l->cap : 256;
  while (ncap < l->n + more) ncap *= 2;
  FtsHit *g = util_realloc(l->v, sizeof(FtsHit) * (size_t)ncap);
  if (!g) return LODE_NOMEM;
  l->v = g;
  l->cap = ncap;
  return LODE_OK;
}

/* Whether n is made of terms and unions only, over cursors that read in blocks. */
static int flat(const Node *n) {
  if (n->kind == N_EMPTY) return 1;
  if (n->kind == N_TERM) return n->cur->block != NULL;
  if (n->kind != N_OR) return 0;
  for (int i = 0; i < n->nkid; i++)
    if (!flat(n->kid[i])) return 0;
  return 1;
}

static int flat_hits(Eval *e, Node *n, HitList *out);

static int term_hits(Eval *e, Node *n, HitList *out) {
  FtsPostingCursor *c = n->cur;
  int scored = !e->src->match_only, rc;
  int32_t *tf = NULL, *len = NULL;
  int64_t tcap = 0;
  for (;;) {
    const int64_t *d;
    const int32_t *t, *l;
    int k;
    if ((rc = c->block(c, &d, &t, &l, &k)) != LODE_OK || k == 0) break;
    if ((rc = hits_reserve(out, k)) != LODE_OK) break;
    if (scored && out->n + k > tcap) { /* tf and length kept until the count gives the idf */
      int64_t ncap = out->cap;
      int32_t *g = util_realloc(tf, sizeof(int32_t) * (size_t)ncap);
      if (g) tf = g;
      int32_t *h = g ? util_realloc(len, sizeof(int32_t) * (size_t)ncap) : NULL;
      if (h) len = h;
      if (!h) {
        rc = LODE_NOMEM;
        break;
      }
      tcap = ncap;
    }
    for (int i = 0; i < k; i++) out->v[out->n + i].doc = d[i];
    if (scored) {
      memcpy(tf + out->n, t, sizeof(int32_t) * (size_t)k);
      memcpy(len + out->n, l, sizeof(int32_t) * (size_t)k);
    }
    out->n += k;
  }
  if (rc == LODE_OK && scored) {
    double idf = fts_idf(e->src->ndocs, (double)out->n);
    for (int64_t i = 0; i < out->n; i++) {
      double s = n->weight * fts_bm25(idf, tf[i], len[i], n->avglen);
      out->v[i].score = n->boost != 1.0 ? s * n->boost : s;
    }
  } else {
    for (int64_t i = 0; i < out->n; i++) out->v[i].score = 0;
  }
  util_free(tf);
  util_free(len);
  return rc;
}

/* The union of many clauses whose documents lie close together (a prefix's
** terms): each clause's hits marked in a bitmap over the documents' range
** (and added to the document's score), one clause after another, so that
** the sums run in clause order; the bitmap read in order gives the union.
** LODE_DONE when the range is too wide for it (or out of memory): the heap
** merges them. */
static int dense_union(HitList *l, int k, int scored, int64_t total, HitList *out) {
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  for (int i = 0; i < k; i++) {
    if (!l[i].n) continue;
    if (l[i].v[0].doc < lo) lo = l[i].v[0].doc;
    if (l[i].v[l[i].n - 1].doc > hi) hi = l[i].v[l[i].n - 1].doc;
  }
  if (lo > hi) { /* no hit */
    out->n = 0;
    return LODE_OK;
  }
  uint64_t span = (uint64_t)hi - (uint64_t)lo; /* the range less one: the whole int64 range fits */
  if (span >= (uint64_t)total * 4 + 4096) return LODE_DONE;
  uint64_t range = span + 1;
  uint64_t *bits = util_zalloc(sizeof(uint64_t) * (size_t)((range + 63) / 64));
  double *acc = scored ? util_malloc(sizeof(double) * (size_t)range) : NULL;
  if (!bits || (scored && !acc)) {
    util_free(bits);
    util_free(acc);
    return LODE_DONE;
  }
  for (int i = 0; i < k; i++) {
    const FtsHit *v = l[i].v;
    for (int64_t j = 0; j < l[i].n; j++) {
      uint64_t d = (uint64_t)v[j].doc - (uint64_t)lo, b = (uint64_t)1 << (d & 63);
      if (scored) acc[d] = bits[d >> 6] & b ? acc[d] + v[j].score : v[j].score;
      bits[d >> 6] |= b;
    }
  }
  int64_t n = 0;
  for (uint64_t w = 0; w < (range + 63) / 64; w++) {
    for (uint64_t m = bits[w]; m; m &= m - 1) {
      uint64_t d = w * 64 + (uint64_t)__builtin_ctzll(m);
      out->v[n].doc = (int64_t)((uint64_t)lo + d);
      out->v[n++].score = scored ? acc[d] : 0;
    }
  }
  out->n = n;
  util_free(bits);
  util_free(acc);
  return LODE_OK;
}

/* The union of the clauses' hits l[0..k) (ascending each), scores summed in clause order. */
static int union_hits(HitList *l, int k, int scored, HitList *out) {
  int64_t total = 0;
  for (int i = 0; i < k; i++) total += l[i].n;
  if (hits_reserve(out, total) != LODE_OK) return LODE_NOMEM;
  FtsHit *o = out->v;
  int64_t n = 0;
  if (k == 2) {
    const FtsHit *a = l[0].v, *b = l[1].v;
    int64_t i = 0, j = 0, na = l[0].n, nb = l[1].n;
    while (i < na && j < nb) {
      if (a[i].doc < b[j].doc) o[n++] = a[i++];
      else if (b[j].doc < a[i].doc) o[n++] = b[j++];
      else o[n].doc = a[i].doc, o[n++].score = scored ? a[i].score + b[j].score : 0, i++, j++;
    }
    while (i < na) o[n++] = a[i++];
    while (j < nb) o[n++] = b[j++];
  } else if (dense_union(l, k, scored, total, out) == LODE_OK) {
    return LODE_OK;
  } else {
    HeapEntry *h = util_malloc(sizeof(HeapEntry) * (size_t)k);
    int64_t *at = util_zalloc(sizeof(int64_t) * (size_t)k);
    if (!h || !at) {
      util_free(h);
      util_free(at);
      return LODE_NOMEM;
    }
    for (int i = 0; i < k; i++) h[i] = (HeapEntry){l[i].n ? l[i].v[0].doc : 0, l[i].n == 0, i};
    for (int i = k / 2 - 1; i >= 0; i--) heap_down(h, k, i);
    while (!h[0].eof) {
      int64_t doc = h[0].doc;
      double s = 0;
      int first = 1;
      while (!h[0].eof && h[0].doc == doc) { /* equal documents pop by clause */
        int kid = h[0].kid;
        if (scored) s = first ? l[kid].v[at[kid]].score : s + l[kid].v[at[kid]].score;
        first = 0;
        if (++at[kid] < l[kid].n) h[0].doc = l[kid].v[at[kid]].doc;
        else h[0].eof = 1;
        heap_down(h, k, 0);
      }
      o[n].doc = doc;
      o[n++].score = s;
    }
    util_free(h);
    util_free(at);
  }
  out->n = n;
  return LODE_OK;
}

static int flat_hits(Eval *e, Node *n, HitList *out) {
  if (n->kind == N_EMPTY) return LODE_OK;
  if (n->kind == N_TERM) return term_hits(e, n, out);
  int scored = !e->src->match_only, rc = LODE_OK;
  HitList *l = util_zalloc(sizeof(HitList) * (size_t)(n->nkid ? n->nkid : 1));
  if (!l) return LODE_NOMEM;
  for (int i = 0; i < n->nkid && rc == LODE_OK; i++) rc = flat_hits(e, n->kid[i], &l[i]);
  if (rc == LODE_OK && n->nkid == 1) {
    *out = l[0];
    l[0].v = NULL;
  } else if (rc == LODE_OK) {
    rc = union_hits(l, n->nkid, scored, out);
  }
  for (int i = 0; i < n->nkid; i++) util_free(l[i].v);
  util_free(l);
  if (rc == LODE_OK && scored && n->boost != 1.0)
    for (int64_t i = 0; i < out->n; i++) out->v[i].score *= n->boost;
  return rc;
}

int fts_evaluate(const FtsSource *src, const FtsQuery *q, FtsHit **hits, int64_t *nhits, char **errmsg) {
  Eval e = {src, NULL};
  Node *root = NULL;
  FtsHit *h = NULL;
  int64_t n = 0, cap = 0;
  int rc = build(&e, q, &root);
  if (rc == LODE_OK && flat(root)) {
    HitList l = {0};
    rc = flat_hits(&e, root, &l);
    h = l.v;
    n = l.n;
    goto done;
  }
  if (rc == LODE_OK) rc = tree_idf(&e, root);
  for (int64_t target = INT64_MIN; rc == LODE_OK;) {
    if ((rc = node_seek(root, target)) != LODE_OK || root->eof) break;
    if (n == cap) {
      int64_t ncap = cap ? 2 * cap : 64;
      FtsHit *g = util_realloc(h, sizeof(FtsHit) * (size_t)ncap);
      if (!g) {
        rc = LODE_NOMEM;
        break;
      }
      h = g;
      cap = ncap;
    }
    h[n].doc = root->doc;
    h[n++].score = src->match_only ? 0 : node_score(root);
    if (root->doc == INT64_MAX) break;
    target = root->doc + 1;
  }
done:
  node_free(root);
  if (rc != LODE_OK) {
    util_free(h);
    h = NULL;
    n = 0;
  }
  *hits = h;
  *nhits = n;
  if (rc != LODE_OK && errmsg && e.errmsg) {
    *errmsg = e.errmsg;
    e.errmsg = NULL;
  }
  util_free(e.errmsg);
  return rc;
}

static int has_token(void *ctx, const char *tok, int n, int pos, int start, int end) {
  const char **want = ctx;
  (void)pos, (void)start, (void)end;
  int wn = (int)(intptr_t)want[1];
  return n == wn && memcmp(tok, want[0], (size_t)n) == 0;
}

int fts_query_has_token(const FtsQuery *q, int kind, const char *tok, int n) {
  if (!q) return 0;
  if (q->kind == FTS_Q_BOOL) {
    for (int i = 0; i < q->nchild; i++)
      if (fts_query_has_token(q->child[i], kind, tok, n)) return 1;
    return 0;
  }
  if (q->kind == FTS_Q_ALL) return 0;
  if (q->kind == FTS_Q_PREFIX) {
    Toks t = {NULL, 0, 0, LODE_OK};
    fts_tokenize(kind, q->text, q->ntext, collect_token, &t);
    int hit = t.n == 1 && t.v[0].n <= n && memcmp(t.v[0].text, tok, (size_t)t.v[0].n) == 0;
    toks_free(&t);
    return hit;
  }
  const char *want[2] = {tok, (const char *)(intptr_t)n};
  return fts_tokenize(kind, q->text, q->ntext, has_token, (void *)want) != 0;
}
