/*
** eval.c — evaluating a query over a posting source (fts.h): each node
** gives the documents it matches in ascending order with their scores,
** and the boolean nodes merge their clauses' lists.
**
** Scoring follows Tantivy: a term's BM25 in a field, times the field's
** weight; a term without a column filter is the sum over the fields it
** occurs in; a phrase scores as one term whose idf is the sum of its
** terms' and whose frequency is the phrase's; a prefix as the sum of the
** terms it expands to; a boolean sums its matching non-excluding clauses;
** "*" scores 1; a boost multiplies.
*/
#include <math.h>
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

/* ---- sets of hits ------------------------------------------------------------------ */

typedef struct Set {
  FtsHit *h;
  int64_t n;
} Set;

static void set_free(Set *s) {
  util_free(s->h);
  s->h = NULL;
  s->n = 0;
}

static int set_alloc(Set *s, int64_t n) {
  s->n = 0;
  s->h = util_malloc(sizeof(FtsHit) * (size_t)(n ? n : 1));
  return s->h ? LODE_OK : LODE_NOMEM;
}

/* op: 0 union (sum), 1 intersection (sum), 2 a minus b, 3 a with b's scores added where present. */
static int merge(Set *a, Set *b, int op) {
  Set out;
  if (set_alloc(&out, op == 0 ? a->n + b->n : a->n) != LODE_OK) return LODE_NOMEM;
  int64_t i = 0, j = 0;
  while (i < a->n || j < b->n) {
    int64_t da = i < a->n ? a->h[i].doc : INT64_MAX, db = j < b->n ? b->h[j].doc : INT64_MAX;
    int only_a = i < a->n && (j >= b->n || da < db), only_b = j < b->n && (i >= a->n || db < da);
    if (only_a) {
      if (op != 1) out.h[out.n++] = a->h[i];
      i++;
    } else if (only_b) {
      if (op == 0) out.h[out.n++] = b->h[j];
      j++;
    } else {
      if (op != 2) {
        out.h[out.n] = a->h[i];
        out.h[out.n++].score += b->h[j].score;
      }
      i++, j++;
    }
  }
  set_free(a);
  set_free(b);
  *a = out;
  return LODE_OK;
}

/* ---- leaves -------------------------------------------------------------------- */

typedef struct Eval {
  const FtsSource *src;
  char *errmsg;
} Eval;

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

static void free_lists(FtsPostings *lists, int n) {
  for (int i = 0; i < n; i++) fts_postings_clear(&lists[i]);
  util_free(lists);
}

/* A list's hits scored as one term of field f. */
static int score_list(Eval *e, const FtsPostings *l, int f, double idf, Set *out) {
  const FtsSource *s = e->src;
  if (set_alloc(out, l->n) != LODE_OK) return LODE_NOMEM;
  for (int64_t i = 0; i < l->n; i++) {
    out->h[i].doc = l->doc[i];
    out->h[i].score = s->weights[f] * fts_bm25(idf, l->tf[i], l->len[i], s->avglen[f]);
  }
  out->n = l->n;
  return LODE_OK;
}

static int term_in_field(Eval *e, int f, const char *term, int n, int prefix, Set *out) {
  FtsPostings *lists = NULL;
  int nlists = 0, cap = 0;
  int rc = e->src->lookup(e->src->ctx, f, term, n, prefix, 0, &lists, &nlists, &cap);
  out->h = NULL, out->n = 0;
  for (int i = 0; rc == LODE_OK && i < nlists; i++) {
    Set one;
    rc = score_list(e, &lists[i], f, fts_idf(e->src->ndocs, (double)lists[i].n), &one);
    if (rc == LODE_OK) rc = merge(out, &one, 0);
  }
  free_lists(lists, nlists);
  return rc;
}

/* How often the phrase occurs in the documents lists[i] are at: each term
** at its offset from the one before, or as near as the slop (the summed
** distances from those offsets, either way: a swap of two terms costs 2) allows. */
static int phrase_count(const FtsPostings *const *lists, const int64_t *at, const Tok *toks, int ntok, int slop) {
  const FtsPostings *l0 = lists[0];
  int count = 0;
  for (int32_t k = 0; k < l0->tf[at[0]]; k++) {
    int32_t prev = l0->pos[l0->posat[at[0]] + k];
    int extra = 0, ok = 1;
    for (int i = 1; i < ntok && ok; i++) {
      const FtsPostings *li = lists[i];
      int32_t want = prev + (toks[i].pos - toks[i - 1].pos), best = -1, dist = 0;
      for (int32_t m = 0; m < li->tf[at[i]]; m++) {
        int32_t q = li->pos[li->posat[at[i]] + m], d = q > want ? q - want : want - q;
        if (best < 0 || d < dist) best = q, dist = d;
      }
      if (best < 0 || extra + dist > slop) ok = 0;
      else extra += dist, prev = best;
    }
    count += ok;
  }
  return count;
}

static int phrase_in_field(Eval *e, int f, const Tok *toks, int ntok, int slop, Set *out) {
  const FtsSource *s = e->src;
  FtsPostings *lists = NULL;
  int nlists = 0, cap = 0, rc = LODE_OK;
  double idf = 0;
  out->h = NULL, out->n = 0;
  for (int i = 0; i < ntok && rc == LODE_OK; i++) {
    int before = nlists;
    rc = s->lookup(s->ctx, f, toks[i].text, toks[i].n, 0, 1, &lists, &nlists, &cap);
    if (rc == LODE_OK && nlists == before) goto done; /* a term nowhere: no row */
    if (rc == LODE_OK) idf += fts_idf(s->ndocs, (double)lists[nlists - 1].n);
  }
  if (rc != LODE_OK) goto done;
  const FtsPostings *ls[FTS_MAX_FIELDS * 4];
  int64_t at[FTS_MAX_FIELDS * 4];
  if (ntok > (int)(sizeof ls / sizeof ls[0])) {
    rc = LODE_ERROR;
    e->errmsg = util_mprintf("fts: phrase too long");
    goto done;
  }
  for (int i = 0; i < ntok; i++) ls[i] = &lists[i], at[i] = 0;
  if ((rc = set_alloc(out, lists[0].n)) != LODE_OK) goto done;
  while (at[0] < ls[0]->n) {
    int64_t doc = ls[0]->doc[at[0]];
    int all = 1, end = 0;
    for (int i = 1; i < ntok; i++) {
      while (at[i] < ls[i]->n && ls[i]->doc[at[i]] < doc) at[i]++;
      if (at[i] >= ls[i]->n) end = 1;
      else if (ls[i]->doc[at[i]] != doc) all = 0;
    }
    if (end) break;
    if (all) {
      int tf = phrase_count(ls, at, toks, ntok, slop);
      if (tf > 0) {
        out->h[out->n].doc = doc;
        out->h[out->n++].score = s->weights[f] * fts_bm25(idf, tf, ls[0]->len[at[0]], s->avglen[f]);
      }
    }
    at[0]++;
  }
done:
  free_lists(lists, nlists);
  return rc;
}

static int eval_leaf(Eval *e, const FtsQuery *q, Set *out) {
  const FtsSource *s = e->src;
  int rc = LODE_OK;
  out->h = NULL, out->n = 0;
  for (int f = 0; f < s->nfields && rc == LODE_OK; f++) {
    if (q->field >= 0 && q->field != f) continue;
    Toks t = {NULL, 0, 0, LODE_OK};
    fts_tokenize(s->tokenizers[f], q->text, q->ntext, collect_token, &t);
    Set one = {NULL, 0};
    rc = t.rc;
    if (rc == LODE_OK && t.n == 1) rc = term_in_field(e, f, t.v[0].text, t.v[0].n, q->kind == FTS_Q_PREFIX, &one);
    else if (rc == LODE_OK && t.n > 1) rc = phrase_in_field(e, f, t.v, t.n, q->slop, &one);
    toks_free(&t);
    if (rc == LODE_OK) rc = merge(out, &one, 0);
    else set_free(&one);
  }
  return rc;
}

static int eval_node(Eval *e, const FtsQuery *q, Set *out);

static int eval_bool(Eval *e, const FtsQuery *q, Set *out) {
  Set must = {NULL, 0}, should = {NULL, 0}, not = {NULL, 0};
  int have_must = 0, rc = LODE_OK;
  for (int i = 0; i < q->nchild && rc == LODE_OK; i++) {
    Set c;
    if ((rc = eval_node(e, q->child[i], &c)) != LODE_OK) break;
    if (q->occur[i] == FTS_MUST) {
      if (have_must) rc = merge(&must, &c, 1);
      else must = c;
      have_must = 1;
    } else {
      rc = merge(q->occur[i] == FTS_SHOULD ? &should : &not, &c, 0);
    }
  }
  if (rc == LODE_OK && have_must) rc = merge(&must, &should, 3);
  else if (rc == LODE_OK) must = should, should.h = NULL, should.n = 0;
  if (rc == LODE_OK) rc = merge(&must, &not, 2);
  set_free(&should);
  set_free(&not);
  if (rc != LODE_OK) set_free(&must);
  *out = must;
  return rc;
}

static int eval_node(Eval *e, const FtsQuery *q, Set *out) {
  int rc;
  out->h = NULL, out->n = 0;
  switch (q->kind) {
  case FTS_Q_BOOL: rc = eval_bool(e, q, out); break;
  case FTS_Q_ALL: {
    int64_t *docs = NULL, n = 0;
    rc = e->src->all_docs(e->src->ctx, &docs, &n);
    if (rc == LODE_OK && (rc = set_alloc(out, n)) == LODE_OK) {
      for (int64_t i = 0; i < n; i++) out->h[i].doc = docs[i], out->h[i].score = 1.0;
      out->n = n;
    }
    util_free(docs);
    break;
  }
  default: rc = eval_leaf(e, q, out); break;
  }
  if (rc == LODE_OK && q->boost != 1.0)
    for (int64_t i = 0; i < out->n; i++) out->h[i].score *= q->boost;
  if (rc != LODE_OK) set_free(out);
  return rc;
}

int fts_evaluate(const FtsSource *src, const FtsQuery *q, FtsHit **hits, int64_t *nhits, char **errmsg) {
  Eval e = {src, NULL};
  Set out;
  int rc = eval_node(&e, q, &out);
  *hits = out.h;
  *nhits = out.n;
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
