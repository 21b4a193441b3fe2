/*
** fts3_query.c — MATCH expressions in SQLite's enhanced query syntax (the one
** its builds with FTS3 parentheses use): phrases are barewords (each token a
** phrase of its own), "quoted phrases", a '*' after a token for a prefix,
** "col:" before a phrase for one column, '^' right before a token (also
** inside quotes) for the first token of a column (fts4 only);
** operators by precedence NEAR[/n] (default 10 tokens), NOT, AND (or none
** between two operands), OR; parentheses group.  Anything else is
** "malformed MATCH expression: [query]".
**
** Evaluation reads each token's documents and hits once (fts3_term_hits),
** and combines the document sets along the tree; NEAR looks at the positions.
** Tokens SQLite would defer (a long doclist in a query whose other tokens
** match few rows) are not read: the sets are then supersets, and each of
** their rows is tokenized to test the query exactly.
*/
#include <stdlib.h>
#include <string.h>

#include "ext/fts3/fts3_int.h"

typedef struct Parser {
  Fts3Table *t;
  const char *z;
  int n, at;
  int col;            /* the default column, -1 all */
  Query *q;
  int depth;          /* open parentheses */
  int err;
  int nomem;
} Parser;

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static int is_stop(char c) { return is_space(c) || c == '(' || c == ')' || c == '"'; }

/* ---- phrases ----------------------------------------------------------------------------------------------- */

typedef struct TokCollect {
  Phrase *ph;
  const char *src;
  int nsrc;
  int limit_one;      /* a bareword: only its first token */
  int end;            /* input bytes consumed by that token */
  int fts4;           /* '^' marks a column's first token */
  int rc;
} TokCollect;

static int collect_token(void *vctx, const char *tok, int n, int start, int end, int pos) {
  TokCollect *c = vctx;
  (void)pos;
  Phrase *ph = c->ph;
  char **tk = sqlite3_realloc64(ph->tok, sizeof(char *) * (sqlite3_uint64)(ph->ntok + 1));
  if (tk) ph->tok = tk;
  int *tl = tk ? sqlite3_realloc64(ph->tlen, sizeof(int) * (sqlite3_uint64)(ph->ntok + 1)) : NULL;
  if (tl) ph->tlen = tl;
  unsigned char *pf = tl ? sqlite3_realloc64(ph->prefix, (sqlite3_uint64)(ph->ntok + 1)) : NULL;
  if (pf) ph->prefix = pf;
  unsigned char *fi = pf ? sqlite3_realloc64(ph->first, (sqlite3_uint64)(ph->ntok + 1)) : NULL;
  if (fi) ph->first = fi;
  char *copy = fi ? sqlite3_malloc(n + 1) : NULL;
  if (!copy) return SQLITE_NOMEM;
  memcpy(copy, tok, (size_t)n);
  copy[n] = 0;
  ph->tok[ph->ntok] = copy;
  ph->tlen[ph->ntok] = n;
  ph->prefix[ph->ntok] = end < c->nsrc && c->src[end] == '*';
  /* '^' right before a token (fts4 only): it must be its column's first */
  ph->first[ph->ntok] = c->fts4 && start > 0 && c->src[start - 1] == '^';
  ph->ntok++;
  c->end = end + (end < c->nsrc && c->src[end] == '*');
  return c->limit_one ? SQLITE_DONE : SQLITE_OK;
}

static void phrase_free(Phrase *ph) {
  if (!ph) return;
  for (int i = 0; i < ph->ntok; i++) sqlite3_free(ph->tok[i]);
  sqlite3_free(ph->tok);
  sqlite3_free(ph->tlen);
  sqlite3_free(ph->prefix);
  sqlite3_free(ph->first);
  dochits_free(&ph->hits);
  dochits_free(&ph->near_hits);
  dochits_free(&ph->exact);
  for (int i = 0; ph->tokhits && i < ph->ntok; i++) dochits_free(&ph->tokhits[i]);
  sqlite3_free(ph->tokhits);
  for (int i = 0; ph->dhit && i < ph->ntok; i++) sqlite3_free(ph->dhit[i]);
  sqlite3_free(ph->dhit);
  sqlite3_free(ph->ndhit);
  sqlite3_free(ph->dcap);
  sqlite3_free(ph->deferred);
  sqlite3_free(ph->row);
  sqlite3_free(ph);
}

static QNode *node_new(Parser *p, int type) {
  QNode *n = sqlite3_malloc((int)sizeof *n);
  if (!n) {
    p->nomem = 1;
    return NULL;
  }
  memset(n, 0, sizeof *n);
  n->type = type;
  return n;
}

static void node_free(QNode *n) {
  if (!n) return;
  node_free(n->l);
  node_free(n->r);
  sqlite3_free(n);
}

/* Makes a phrase node of the tokens of src[0..nsrc); NULL when it has none. */
static QNode *phrase_node(Parser *p, const char *src, int nsrc, int bare, int col, int *consumed) {
  Phrase *ph = sqlite3_malloc((int)sizeof *ph);
  if (!ph) {
    p->nomem = 1;
    return NULL;
  }
  memset(ph, 0, sizeof *ph);
  ph->col = col;
  TokCollect c = {ph, src, nsrc, bare, nsrc, p->t->is_fts4, SQLITE_OK};
  int rc = fts3_tokenize(&p->t->tok, src, nsrc, collect_token, &c);
  if (rc == SQLITE_NOMEM) p->nomem = 1;
  if (consumed) *consumed = ph->ntok ? c.end : nsrc;
  if (ph->ntok == 0 || p->nomem) {
    phrase_free(ph);
    return NULL;
  }
  Phrase **all = sqlite3_realloc64(p->q->phrase, sizeof(Phrase *) * (sqlite3_uint64)(p->q->nphrase + 1));
  QNode *n = all ? node_new(p, QN_PHRASE) : NULL;
  if (all) p->q->phrase = all;
  if (!n) {
    p->nomem = 1;
    phrase_free(ph);
    return NULL;
  }
  ph->term0 = p->q->nterms;
  ph->matchable = 1;
  p->q->nterms += ph->ntok;
  p->q->phrase[p->q->nphrase++] = ph;
  n->ph = ph;
  return n;
}

/* ---- the lexer --------------------------------------------------------------------------------------------- */

enum { T_END, T_LP, T_RP, T_AND, T_OR, T_NOT, T_NEAR, T_PHRASE, T_EMPTY };

/* The keyword at the parser's position, if one is there and ends where keywords end. */
static int keyword(Parser *p, int *near, int *len) {
  static const struct {
    const char *w;
    int type;
  } kw[] = {{"AND", T_AND}, {"OR", T_OR}, {"NOT", T_NOT}, {"NEAR", T_NEAR}};
  const char *z = p->z + p->at;
  int left = p->n - p->at;
  for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++) {
    int l = (int)strlen(kw[i].w);
    if (left < l || memcmp(z, kw[i].w, (size_t)l) != 0) continue;
    if (kw[i].type == T_NEAR && l < left && z[l] == '/') {
      int k = l + 1, v = 0;
      while (k < left && z[k] >= '0' && z[k] <= '9' && v < 1000000) v = v * 10 + (z[k++] - '0');
      if (k == l + 1 || (k < left && !is_stop(z[k]))) return -1;
      *near = v;
      *len = k;
      return T_NEAR;
    }
    if (l < left && !is_stop(z[l])) continue;
    *near = FTS3_NEAR_DEFAULT;
    *len = l;
    return kw[i].type;
  }
  return -1;
}

/* The next token; a phrase's node in *out (NULL for a phrase of no tokens: T_EMPTY). */
static int next_tok(Parser *p, QNode **out, int *near) {
  *out = NULL;
  while (p->at < p->n && is_space(p->z[p->at])) p->at++;
  if (p->at >= p->n) return T_END;
  char c = p->z[p->at];
  if (c == '(') {
    p->at++;
    return T_LP;
  }
  if (c == ')') {
    p->at++;
    return T_RP;
  }
  int len = 0;
  int kt = keyword(p, near, &len);
  if (kt >= 0) {
    p->at += len;
    return kt;
  }
  int col = p->col;
  /* "col:" names one of the table's columns. */
  for (int i = 0; i < p->t->ncol; i++) {
    int l = (int)strlen(p->t->colname[i]);
    if (p->at + l < p->n && p->z[p->at + l] == ':' && sqlite3_strnicmp(p->z + p->at, p->t->colname[i], l) == 0) {
      col = i;
      p->at += l + 1;
      while (p->at < p->n && is_space(p->z[p->at])) p->at++;
      break;
    }
  }
  if (p->at < p->n && p->z[p->at] == '"') {
    int e = p->at + 1;
    while (e < p->n && p->z[e] != '"') e++;
    if (e >= p->n) {
      p->err = 1;
      return T_END;
    }
    *out = phrase_node(p, p->z + p->at + 1, e - p->at - 1, 0, col, NULL);
    p->at = e + 1;
    /* A quoted phrase without tokens is still an operand: one that matches nothing. */
    return p->nomem ? T_EMPTY : T_PHRASE;
  }
  int e = p->at;
  while (e < p->n && !is_stop(p->z[e])) e++;
  if (e == p->at) return T_EMPTY;
  int used = 0;
  *out = phrase_node(p, p->z + p->at, e - p->at, 1, col, &used);
  p->at += used > 0 ? used : e - p->at;
  return *out ? T_PHRASE : T_EMPTY;
}

/* ---- the grammar ------------------------------------------------------------------------------------------- */

typedef struct Look {
  int type;
  QNode *node;
  int near;
} Look;

static void advance(Parser *p, Look *lk) {
  do {
    lk->type = next_tok(p, &lk->node, &lk->near);
  } while (lk->type == T_EMPTY && !p->err && !p->nomem);
}

static QNode *parse_or(Parser *p, Look *lk);
static int balanced_depth(const QNode *n);

static QNode *combine(Parser *p, int type, QNode *l, QNode *r, int near) {
  if (!l) return r;
  if (!r) return l;
  QNode *n = node_new(p, type);
  if (!n) {
    node_free(l);
    node_free(r);
    return NULL;
  }
  n->l = l;
  n->r = r;
  n->near = near;
  return n;
}

/* A phrase or a parenthesized group; *any set when something stood there. */
static QNode *parse_primary(Parser *p, Look *lk, int *any) {
  *any = 0;
  if (lk->type == T_PHRASE) {
    QNode *n = lk->node;
    lk->node = NULL;
    *any = 1;
    advance(p, lk);
    return n;
  }
  if (lk->type == T_LP) {
    *any = 1;
    if (++p->depth > FTS3_MAX_PAREN_DEPTH) {
      p->err = 1;
      return NULL;
    }
    advance(p, lk);
    if (lk->type == T_RP) { /* "()" matches nothing */
      advance(p, lk);
      return NULL;
    }
    QNode *n = parse_or(p, lk);
    if (lk->type != T_RP) p->err = 1;
    else advance(p, lk);
    p->depth--;
    return n;
  }
  return NULL;
}

static QNode *parse_near(Parser *p, Look *lk, int *any) {
  QNode *l = parse_primary(p, lk, any);
  while (*any && !p->err && lk->type == T_NEAR) {
    int near = lk->near;
    if (!l || l->type == QN_AND || l->type == QN_OR || l->type == QN_NOT) p->err = 1;
    advance(p, lk);
    int any2;
    QNode *r = parse_primary(p, lk, &any2);
    if (!any2 || !r || r->type != QN_PHRASE) p->err = 1;
    l = combine(p, QN_NEAR, l, r, near);
  }
  return l;
}

/* The phrases right of a NOT never match a row the query returns. */
static void unmatchable(QNode *n) {
  if (!n) return;
  if (n->ph) n->ph->matchable = 0;
  unmatchable(n->l);
  unmatchable(n->r);
}

static QNode *parse_not(Parser *p, Look *lk, int *any) {
  QNode *l = parse_near(p, lk, any);
  while (*any && !p->err && lk->type == T_NOT) {
    advance(p, lk);
    int any2;
    QNode *r = parse_near(p, lk, &any2);
    unmatchable(r);
    if (!any2) p->err = 1;
    if (!l) {
      node_free(r);
      continue;
    }
    l = combine(p, QN_NOT, l, r, 0);
  }
  return l;
}

static QNode *parse_and(Parser *p, Look *lk, int *any) {
  int empty = 0;
  QNode *l = parse_not(p, lk, any);
  if (*any && !l) empty = 1;
  while (*any && !p->err) {
    if (lk->type == T_AND) advance(p, lk);
    else if (lk->type != T_PHRASE && lk->type != T_LP) break;
    int any2;
    QNode *r = parse_not(p, lk, &any2);
    if (!any2) {
      p->err = 1;
      break;
    }
    if (!r) empty = 1;
    l = combine(p, QN_AND, l, r, 0);
  }
  if (empty) { /* an AND with an operand that matches nothing */
    node_free(l);
    return NULL;
  }
  return l;
}

static QNode *parse_or(Parser *p, Look *lk) {
  int any;
  QNode *l = parse_and(p, lk, &any);
  if (!any) {
    if (lk->type != T_END && lk->type != T_RP) p->err = 1;
    return l;
  }
  while (!p->err && lk->type == T_OR) {
    advance(p, lk);
    int any2;
    QNode *r = parse_and(p, lk, &any2);
    if (!any2) p->err = 1;
    l = combine(p, QN_OR, l, r, 0);
  }
  return l;
}

/* The depth of n once AND and OR chains are balanced, as SQLite measures it
** (a chain of k operands adds floor(log2 k) + 1, a NEAR chain one per NEAR). */
static int count_chain(const QNode *n, int type, int *maxsub) {
  if (n && n->type == type) return count_chain(n->l, type, maxsub) + count_chain(n->r, type, maxsub);
  int d = balanced_depth(n);
  if (d > *maxsub) *maxsub = d;
  return 1;
}

static int balanced_depth(const QNode *n) {
  if (!n || n->type == QN_PHRASE) return 0;
  if (n->type == QN_NEAR) return 1 + balanced_depth(n->l);
  if (n->type == QN_NOT) {
    int l = balanced_depth(n->l), r = balanced_depth(n->r);
    return 1 + (l > r ? l : r);
  }
  int sub = 0, k = count_chain(n, n->type, &sub), lg = 0;
  while (k >>= 1) lg++;
  return sub + lg + 1;
}

void fts3_query_free(Query *q) {
  if (!q) return;
  node_free(q->root);
  for (int i = 0; i < q->nphrase; i++) phrase_free(q->phrase[i]);
  sqlite3_free(q->phrase);
  sqlite3_free(q);
}

int fts3_query_parse(Fts3Table *t, const char *z, int col, Query **out, char **err) {
  *out = NULL;
  Query *q = sqlite3_malloc((int)sizeof *q);
  if (!q) return SQLITE_NOMEM;
  memset(q, 0, sizeof *q);
  Parser p = {t, z ? z : "", z ? (int)strlen(z) : 0, 0, col, q, 0, 0, 0};
  Look lk;
  advance(&p, &lk);
  q->root = parse_or(&p, &lk);
  if (!p.err && lk.type != T_END) p.err = 1;
  node_free(lk.node);
  if (p.nomem) {
    fts3_query_free(q);
    return SQLITE_NOMEM;
  }
  if (p.err) {
    fts3_query_free(q);
    *err = sqlite3_mprintf("malformed MATCH expression: [%s]", z ? z : "");
    return SQLITE_ERROR;
  }
  if (balanced_depth(q->root) > FTS3_MAX_EXPR_DEPTH) {
    fts3_query_free(q);
    *err = sqlite3_mprintf("FTS expression tree is too large (maximum depth %d)", FTS3_MAX_EXPR_DEPTH);
    return SQLITE_ERROR;
  }
  *out = q;
  return SQLITE_OK;
}

/* ---- evaluation -------------------------------------------------------------------------------------------- */

typedef struct DocSet {
  sqlite3_int64 *d;
  int n;
  int all;            /* every document (a phrase all of whose tokens are deferred): only an AND operand */
} DocSet;

/* Index of docid in h, or -1. */
static int hits_find(const DocHits *h, sqlite3_int64 docid) {
  int lo = 0, hi = h->ndocs;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (h->docid[mid] < docid) lo = mid + 1;
    else hi = mid;
  }
  return lo < h->ndocs && h->docid[lo] == docid ? lo : -1;
}

static int hit_in(const sqlite3_int64 *a, int n, sqlite3_int64 v) {
  int lo = 0, hi = n;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && a[lo] == v;
}

/* Appends a document and its hits to out. */
static int hits_push(DocHits *out, sqlite3_int64 docid, const sqlite3_int64 *hit, int n) {
  if (out->ndocs + 1 >= out->cap) {
    int cap = out->cap ? out->cap * 2 : 64;
    sqlite3_int64 *d = sqlite3_realloc64(out->docid, sizeof(sqlite3_int64) * (sqlite3_uint64)cap);
    if (!d) return SQLITE_NOMEM;
    out->docid = d;
    int *s = sqlite3_realloc64(out->start, sizeof(int) * (sqlite3_uint64)(cap + 1));
    if (!s) return SQLITE_NOMEM;
    out->start = s;
    out->cap = cap;
  }
  if (out->nhits + n > out->hcap) {
    int cap = out->hcap ? out->hcap : 64;
    while (cap < out->nhits + n) cap *= 2;
    sqlite3_int64 *h = sqlite3_realloc64(out->hit, sizeof(sqlite3_int64) * (sqlite3_uint64)cap);
    if (!h) return SQLITE_NOMEM;
    out->hit = h;
    out->hcap = cap;
  }
  if (n) memcpy(out->hit + out->nhits, hit, sizeof(sqlite3_int64) * (size_t)n);
  out->docid[out->ndocs] = docid;
  out->start[out->ndocs++] = out->nhits;
  out->nhits += n;
  out->start[out->ndocs] = out->nhits;
  return SQLITE_OK;
}

/* A token's hits in one document: a slice of a DocHits or of a row's tokens. */
typedef struct Slice {
  const sqlite3_int64 *h;
  int n;
} Slice;

static Slice doc_slice(const DocHits *d, int k) {
  Slice s = {NULL, 0};
  if (k >= 0) {
    s.h = d->hit + d->start[k];
    s.n = d->start[k + 1] - d->start[k];
  }
  return s;
}

/*
** The starts of ph in one document, given the hits there of the tokens that `use` marks (the others
** may stand anywhere): a start is a hit of the first marked token f, less f, where every other marked
** token i stands i - f further on in the same column; the phrase's column and '^' (token 0 first in
** its column) apply.  Starts are written to out (room for tok[f].n of them).
*/
static int phrase_starts(const Phrase *ph, const Slice *tok, const unsigned char *use, sqlite3_int64 *out) {
  int f = 0, n = 0;
  while (f < ph->ntok && !use[f]) f++;
  if (f == ph->ntok) return 0;
  for (int h = 0; h < tok[f].n; h++) {
    sqlite3_int64 v = tok[f].h[h];
    if (ph->col >= 0 && (v >> 32) != ph->col) continue;
    /* Without token 0 a start may fall before the column's first token: such hits (only counted by
    ** column, in matchinfo) stand at 0. */
    sqlite3_int64 start = (v & 0xFFFFFFFF) >= f ? v - f : v & ~(sqlite3_int64)0xFFFFFFFF;
    int all = 1;
    /* '^' tokens stand first in their column */
    for (int i = f; i < ph->ntok && all; i++)
      if (use[i] && ph->first[i]) all = (v & 0xFFFFFFFF) + (i - f) == 0;
    for (int i = f + 1; i < ph->ntok && all; i++)
      if (use[i]) all = hit_in(tok[i].h, tok[i].n, v + (i - f));
    if (all) out[n++] = start;
  }
  return n;
}

/* The phrase's documents from the doclists of the tokens `use` marks (all of them loaded in tokhits). */
static int phrase_docs(Phrase *ph, const unsigned char *use, DocHits *out) {
  int f = 0, rc = SQLITE_OK;
  while (f < ph->ntok && !use[f]) f++;
  if (f == ph->ntok) return SQLITE_OK;
  Slice stack[16];
  Slice *tok = ph->ntok <= 16 ? stack : sqlite3_malloc64(sizeof(Slice) * (sqlite3_uint64)ph->ntok);
  if (!tok) return SQLITE_NOMEM;
  memset(tok, 0, sizeof(Slice) * (size_t)ph->ntok);
  sqlite3_int64 *tmp = NULL;
  int tcap = 0;
  const DocHits *first = &ph->tokhits[f];
  for (int d = 0; rc == SQLITE_OK && d < first->ndocs; d++) {
    sqlite3_int64 docid = first->docid[d];
    int ok = 1;
    for (int i = 0; i < ph->ntok && ok; i++) {
      if (!use[i]) continue;
      int k = i == f ? d : hits_find(&ph->tokhits[i], docid);
      if (k < 0) ok = 0;
      else tok[i] = doc_slice(&ph->tokhits[i], k);
    }
    if (!ok) continue;
    if (tok[f].n > tcap) {
      tcap = tok[f].n * 2;
      sqlite3_int64 *g = sqlite3_realloc64(tmp, sizeof(sqlite3_int64) * (sqlite3_uint64)tcap);
      if (!g) {
        rc = SQLITE_NOMEM;
        break;
      }
      tmp = g;
    }
    int nh = phrase_starts(ph, tok, use, tmp);
    if (nh) rc = hits_push(out, docid, tmp, nh);
  }
  sqlite3_free(tmp);
  if (tok != stack) sqlite3_free(tok);
  return rc;
}

static int token_load(Fts3Table *t, Query *q, Phrase *ph, int i) {
  if (!ph->tokhits) {
    ph->tokhits = sqlite3_malloc64(sizeof(DocHits) * (sqlite3_uint64)ph->ntok);
    if (!ph->tokhits) return SQLITE_NOMEM;
    memset(ph->tokhits, 0, sizeof(DocHits) * (size_t)ph->ntok);
  }
  if (ph->tokhits[i].docid) return SQLITE_OK;
  int rc = fts3_term_hits(t, q->langid, ph->tok[i], ph->tlen[i], ph->prefix[i], &ph->tokhits[i]);
  /* An empty result still counts as loaded. */
  if (rc == SQLITE_OK && !ph->tokhits[i].docid) {
    ph->tokhits[i].docid = sqlite3_malloc(sizeof(sqlite3_int64));
    ph->tokhits[i].start = sqlite3_malloc(sizeof(int));
    if (!ph->tokhits[i].docid || !ph->tokhits[i].start) rc = SQLITE_NOMEM;
    else ph->tokhits[i].start[0] = 0;
  }
  return rc;
}

/* Loads a phrase's documents from its tokens that are not deferred; the doclists of the tokens are
** kept when some are deferred (a row's phrase hits are then put together from them). */
static int phrase_load(Fts3Table *t, Query *q, Phrase *ph) {
  unsigned char stack[16];
  unsigned char *use = ph->ntok <= 16 ? stack : sqlite3_malloc(ph->ntok);
  if (!use) return SQLITE_NOMEM;
  int rc = SQLITE_OK;
  for (int i = 0; i < ph->ntok && rc == SQLITE_OK; i++) {
    use[i] = !(ph->deferred && ph->deferred[i]);
    if (use[i]) rc = token_load(t, q, ph, i);
  }
  if (rc == SQLITE_OK) rc = phrase_docs(ph, use, &ph->hits);
  if (use != stack) sqlite3_free(use);
  if (!ph->ndeferred && ph->tokhits) {
    for (int i = 0; i < ph->ntok; i++) dochits_free(&ph->tokhits[i]);
    sqlite3_free(ph->tokhits);
    ph->tokhits = NULL;
  }
  return rc;
}

/* ---- deferred tokens ----------------------------------------------------------------------------------------- */

/* A token of the query as SQLite weighs it: the cluster it belongs to (the phrases AND-ed or NEAR-ed
** together under the same operand of an OR, outside any NOT) and what reading it costs. */
typedef struct Weighed {
  Phrase *ph;
  int tok;
  const QNode *root;
  int cost;
  int done;
} Weighed;

typedef struct Weigh {
  Fts3Table *t;
  Query *q;
  Weighed *w;
  int n, cap;
  const QNode **roots;
  int nroots, rcap;
} Weigh;

static int weigh_root(Weigh *g, const QNode *root) {
  if (g->nroots == g->rcap) {
    const QNode **r = fts3_grow((void *)g->roots, &g->rcap, sizeof *r, 8);
    if (!r) return SQLITE_NOMEM;
    g->roots = r;
  }
  g->roots[g->nroots++] = root;
  return SQLITE_OK;
}

static int weigh_walk(Weigh *g, const QNode *root, const QNode *n) {
  int rc = SQLITE_OK;
  if (!n || n->type == QN_NOT) return SQLITE_OK;
  if (n->type == QN_PHRASE) {
    for (int i = 0; i < n->ph->ntok && rc == SQLITE_OK; i++) {
      if (g->n == g->cap) {
        Weighed *w = fts3_grow(g->w, &g->cap, sizeof *w, 16);
        if (!w) return SQLITE_NOMEM;
        g->w = w;
      }
      Weighed *e = &g->w[g->n++];
      memset(e, 0, sizeof *e);
      e->ph = n->ph;
      e->tok = i;
      e->root = root;
      rc = fts3_token_cost(g->t, g->q->langid, n->ph->tok[i], n->ph->tlen[i], n->ph->prefix[i], &e->cost);
    }
    return rc;
  }
  if (n->type == QN_OR) {
    if ((rc = weigh_root(g, n->l)) == SQLITE_OK) rc = weigh_walk(g, n->l, n->l);
    if (rc == SQLITE_OK && (rc = weigh_root(g, n->r)) == SQLITE_OK) rc = weigh_walk(g, n->r, n->r);
    return rc;
  }
  rc = weigh_walk(g, root, n->l);
  return rc == SQLITE_OK ? weigh_walk(g, root, n->r) : rc;
}

static int defer_token(Phrase *ph, int i) {
  if (!ph->deferred) {
    ph->deferred = sqlite3_malloc(ph->ntok);
    if (!ph->deferred) return SQLITE_NOMEM;
    memset(ph->deferred, 0, (size_t)ph->ntok);
  }
  ph->deferred[i] = 1;
  ph->ndeferred++;
  return SQLITE_OK;
}

/* Documents of ph from its tokens loaded so far. */
static int loaded_count(Phrase *ph, int *count) {
  unsigned char stack[16];
  unsigned char *use = ph->ntok <= 16 ? stack : sqlite3_malloc(ph->ntok);
  if (!use) return SQLITE_NOMEM;
  for (int i = 0; i < ph->ntok; i++) use[i] = ph->tokhits && ph->tokhits[i].docid != NULL;
  DocHits d = {0};
  int rc = phrase_docs(ph, use, &d);
  *count = d.ndocs;
  dochits_free(&d);
  if (use != stack) sqlite3_free(use);
  return rc;
}

/*
** Chooses the tokens of one cluster whose doclists are not read, as SQLite does (its results, and
** matchinfo()'s counts for such phrases, follow from the choice): tokens go cheapest first; the
** first is read; a later one is deferred when reading it would cost at least as many pages as
** reading the rows it could still reject, estimated from the fewest documents of a phrase read so
** far, divided by 4 for each token read before, times the average row's pages.  Tokens of phrases of
** several tokens are read at once (but for the last), to count their phrase's documents.
*/
static int choose_in_cluster(Weigh *g, const QNode *root, int *docpages) {
  int ntok = 0, total = 0, rc = SQLITE_OK;
  for (int i = 0; i < g->n; i++) {
    if (g->w[i].root != root) continue;
    ntok++;
    total += g->w[i].cost;
  }
  if (total == 0 || ntok < 2) return SQLITE_OK;
  if (*docpages == 0 && (rc = fts3_doc_average(g->t, &g->q->ndocs_stat, docpages)) != SQLITE_OK) return rc;
  sqlite3_int64 min_docs = 0, load4 = 1;
  for (int k = 0; k < ntok && rc == SQLITE_OK; k++) {
    Weighed *e = NULL;
    for (int i = 0; i < g->n; i++) {
      Weighed *c = &g->w[i];
      if (c->root == root && !c->done && (!e || c->cost < e->cost)) e = c;
    }
    if (!e) break;
    e->done = 1;
    sqlite3_int64 div = load4 / 4;
    if (k > 0 && e->cost >= ((min_docs + div - 1) / div) * *docpages) {
      rc = defer_token(e->ph, e->tok);
      g->q->ndeferred++;
      continue;
    }
    if (k < 12) load4 *= 4;
    if (k == 0 || (e->ph->ntok > 1 && k != ntok - 1)) {
      int count = 0;
      rc = token_load(g->t, g->q, e->ph, e->tok);
      if (rc == SQLITE_OK) rc = loaded_count(e->ph, &count);
      if (rc == SQLITE_OK && (k == 0 || count < min_docs)) min_docs = count;
    }
  }
  return rc;
}

/* Deferral is for FTS4 tables whose text is their own, in queries of two tokens or more. */
static int choose_deferred(Fts3Table *t, Query *q) {
  if (!t->is_fts4 || t->content != CONTENT_OWN || q->nterms < 2 || !q->root) return SQLITE_OK;
  Weigh g = {t, q, NULL, 0, 0, NULL, 0, 0};
  int rc = weigh_root(&g, NULL), docpages = 0;
  if (rc == SQLITE_OK) rc = weigh_walk(&g, NULL, q->root);
  for (int r = 0; r < g.nroots && rc == SQLITE_OK; r++) rc = choose_in_cluster(&g, g.roots[r], &docpages);
  sqlite3_free(g.w);
  sqlite3_free((void *)g.roots);
  return rc;
}

/* ---- a row's own tokens -------------------------------------------------------------------------------------- */

typedef struct RowScan {
  Query *q;
  int col;
  int rc;
} RowScan;

static int deferred_hit(Phrase *ph, int i, sqlite3_int64 v) {
  if (ph->ndhit[i] == ph->dcap[i]) {
    sqlite3_int64 *g = fts3_grow(ph->dhit[i], &ph->dcap[i], sizeof *g, 16);
    if (!g) return SQLITE_NOMEM;
    ph->dhit[i] = g;
  }
  ph->dhit[i][ph->ndhit[i]++] = v;
  return SQLITE_OK;
}

static int row_token(void *vctx, const char *tok, int n, int start, int end, int pos) {
  RowScan *s = vctx;
  (void)start, (void)end;
  for (int p = 0; p < s->q->nphrase; p++) {
    Phrase *ph = s->q->phrase[p];
    for (int i = 0; ph->ndeferred && i < ph->ntok; i++) {
      if (!ph->deferred[i]) continue;
      int match = ph->prefix[i] ? n >= ph->tlen[i] && memcmp(tok, ph->tok[i], (size_t)ph->tlen[i]) == 0
                                : n == ph->tlen[i] && memcmp(tok, ph->tok[i], (size_t)n) == 0;
      if (match && deferred_hit(ph, i, (sqlite3_int64)s->col << 32 | pos) != SQLITE_OK) return SQLITE_NOMEM;
    }
  }
  return SQLITE_OK;
}

/* Tokenizes row docid's text for the hits of the deferred tokens (ph->dhit). */
static int row_scan(Fts3Table *t, Query *q, sqlite3_stmt *read, sqlite3_int64 docid) {
  for (int p = 0; p < q->nphrase; p++) {
    Phrase *ph = q->phrase[p];
    if (!ph->ndeferred) continue;
    if (!ph->dhit) {
      ph->dhit = sqlite3_malloc64(sizeof(sqlite3_int64 *) * (sqlite3_uint64)ph->ntok);
      ph->ndhit = sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)ph->ntok);
      ph->dcap = sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)ph->ntok);
      if (!ph->dhit || !ph->ndhit || !ph->dcap) return SQLITE_NOMEM;
      memset(ph->dhit, 0, sizeof(sqlite3_int64 *) * (size_t)ph->ntok);
      memset(ph->dcap, 0, sizeof(int) * (size_t)ph->ntok);
    }
    memset(ph->ndhit, 0, sizeof(int) * (size_t)ph->ntok);
  }
  sqlite3_reset(read);
  sqlite3_bind_int64(read, 1, docid);
  int rc = sqlite3_step(read);
  if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? SQLITE_OK : rc;
  rc = SQLITE_OK;
  RowScan s = {q, 0, SQLITE_OK};
  for (s.col = 0; s.col < t->ncol && rc == SQLITE_OK; s.col++) {
    if (t->notindexed && t->notindexed[s.col]) continue;
    const char *z = (const char *)sqlite3_column_text(read, s.col + 1);
    if (z) rc = fts3_tokenize(&t->tok, z, (int)strlen(z), row_token, &s);
  }
  sqlite3_reset(read);
  return rc;
}

/* ph->row: its exact hits in document docid (the deferred tokens' from the last row_scan). */
static int phrase_row(Phrase *ph, sqlite3_int64 docid) {
  sqlite3_free(ph->row);
  ph->row = NULL;
  ph->nrow = 0;
  if (!ph->ndeferred) {
    int k = hits_find(&ph->hits, docid);
    Slice s = doc_slice(&ph->hits, k);
    ph->row = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)(s.n ? s.n : 1));
    if (!ph->row) return SQLITE_NOMEM;
    if (s.n) memcpy(ph->row, s.h, sizeof(sqlite3_int64) * (size_t)s.n);
    ph->nrow = s.n;
    return SQLITE_OK;
  }
  Slice stack[16];
  unsigned char ustack[16];
  Slice *tok = ph->ntok <= 16 ? stack : sqlite3_malloc64(sizeof(Slice) * (sqlite3_uint64)ph->ntok);
  unsigned char *use = ph->ntok <= 16 ? ustack : sqlite3_malloc(ph->ntok);
  int rc = tok && use ? SQLITE_OK : SQLITE_NOMEM;
  int f = -1, any = 1;
  for (int i = 0; rc == SQLITE_OK && i < ph->ntok; i++) {
    use[i] = 1;
    if (ph->deferred[i]) {
      tok[i].h = ph->dhit[i];
      tok[i].n = ph->ndhit[i];
    } else {
      tok[i] = doc_slice(&ph->tokhits[i], hits_find(&ph->tokhits[i], docid));
    }
    if (tok[i].n == 0) any = 0;
    if (f < 0 || tok[i].n < tok[f].n) f = i;
  }
  if (rc == SQLITE_OK && any) {
    ph->row = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)(tok[0].n ? tok[0].n : 1));
    if (!ph->row) rc = SQLITE_NOMEM;
    else ph->nrow = phrase_starts(ph, tok, use, ph->row);
  }
  if (rc == SQLITE_OK && !ph->row && !(ph->row = sqlite3_malloc(sizeof(sqlite3_int64)))) rc = SQLITE_NOMEM;
  if (tok != stack) sqlite3_free(tok);
  if (use != ustack) sqlite3_free(use);
  return rc;
}

/* ---- NEAR ---------------------------------------------------------------------------------------------------- */

/* The phrases of a NEAR chain, left to right, and in gap[i] the distance allowed between phrase i and i + 1. */
static int near_phrases(QNode *n, Phrase **out, int *gap, int max) {
  if (n->type == QN_PHRASE) {
    if (max < 1) return 0;
    out[0] = n->ph;
    return 1;
  }
  int k = near_phrases(n->l, out, gap, max);
  if (k > 0 && k < max) gap[k - 1] = n->near;
  return k + near_phrases(n->r, out + k, gap + k, max - k);
}

/* Keeps in a (and in b) the hits within near tokens of a hit of the other. */
static void near_trim(sqlite3_int64 *a, int *na, int la, sqlite3_int64 *b, int *nb, int lb, int near) {
  unsigned char keep_a[4096], keep_b[4096];
  int ma = *na < 4096 ? *na : 4096, mb = *nb < 4096 ? *nb : 4096;
  memset(keep_a, 0, (size_t)ma);
  memset(keep_b, 0, (size_t)mb);
  for (int i = 0; i < ma; i++) {
    for (int j = 0; j < mb; j++) {
      if ((a[i] >> 32) != (b[j] >> 32)) continue;
      sqlite3_int64 pa = a[i] & 0xFFFFFFFF, pb = b[j] & 0xFFFFFFFF;
      /* The two may not share a token: one ends before the other starts, at most near tokens before. */
      int ok = pa <= pb ? pb >= pa + la && pb - (pa + la) <= near : pa >= pb + lb && pa - (pb + lb) <= near;
      if (ok) keep_a[i] = keep_b[j] = 1;
    }
  }
  int w = 0;
  for (int i = 0; i < ma; i++)
    if (keep_a[i]) a[w++] = a[i];
  *na = w;
  w = 0;
  for (int j = 0; j < mb; j++)
    if (keep_b[j]) b[w++] = b[j];
  *nb = w;
}

/* Trims the row hits of the phrases of NEAR chain n to those its NEARs keep; 1 when each keeps some. */
static int near_holds(QNode *n) {
  Phrase *ph[64];
  int gap[64];
  int k = near_phrases(n, ph, gap, 64);
  /* Each neighbouring pair must be near; trimming twice lets a chain's trims reach both ends. */
  for (int round = 0; round < 2; round++)
    for (int i = 0; i + 1 < k; i++) near_trim(ph[i]->row, &ph[i]->nrow, ph[i]->ntok, ph[i + 1]->row, &ph[i + 1]->nrow,
                                               ph[i + 1]->ntok, gap[i]);
  for (int i = 0; i < k; i++)
    if (ph[i]->nrow == 0) return 0;
  return 1;
}

/* Applies the NEAR nodes under n to the phrases' row hits; 1 when every NEAR chain holds. */
static int near_apply(QNode *n) {
  if (!n) return 0;
  if (n->type == QN_PHRASE) return n->ph->nrow > 0;
  if (n->type == QN_NEAR) return near_holds(n);
  int l = near_apply(n->l), r = near_apply(n->r);
  return n->type == QN_AND ? l && r : n->type == QN_OR ? l || r : l;
}

/* Whether the row whose hits the phrases hold matches n (NEAR chains trim them, every one). */
static int row_matches(QNode *n) {
  if (!n) return 0;
  if (n->type == QN_PHRASE) return n->ph->nrow > 0;
  if (n->type == QN_NEAR) return near_holds(n);
  int l = row_matches(n->l), r = row_matches(n->r);
  return n->type == QN_AND ? l && r : n->type == QN_OR ? l || r : l && !r;
}

/* Sets n->here: whether n's iterator stands on the current row, by the phrases present in it. */
static int at_row(QNode *n) {
  if (!n) return 0;
  if (n->type == QN_PHRASE) return n->here = n->ph->present;
  int l = at_row(n->l), r = at_row(n->r);
  return n->here = n->type == QN_OR ? l || r : n->type == QN_NOT ? l && !r : l && r;
}

/* Marks the phrases under n counted when n and all above it stand on the row (a NOT's right side never). */
static void mark_counted(QNode *n, int counting) {
  if (!n) return;
  counting = counting && n->here;
  if (n->type == QN_PHRASE) {
    n->ph->counted = counting;
    return;
  }
  mark_counted(n->l, counting);
  if (n->type != QN_NOT) mark_counted(n->r, counting);
}

int fts3_query_row_hits(Query *q, sqlite3_int64 docid) {
  for (int i = 0; i < q->nphrase; i++) {
    Phrase *ph = q->phrase[i];
    const DocHits *h = ph->ndeferred ? &ph->exact : &ph->hits;
    Slice s = doc_slice(h, hits_find(h, docid));
    sqlite3_free(ph->row);
    ph->row = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)(s.n ? s.n : 1));
    if (!ph->row) return SQLITE_NOMEM;
    if (s.n) memcpy(ph->row, s.h, sizeof(sqlite3_int64) * (size_t)s.n);
    ph->nrow = s.n;
    ph->present = s.n > 0;
    ph->counted = 0;
  }
  at_row(q->root);
  mark_counted(q->root, 1);
  near_apply(q->root);
  return SQLITE_OK;
}

/* ---- document sets ------------------------------------------------------------------------------------------- */

static int set_from_hits(const Phrase *ph, DocSet *out) {
  const DocHits *h = &ph->hits;
  out->all = ph->ndeferred == ph->ntok;
  out->n = out->all ? 0 : h->ndocs;
  out->d = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)(out->n ? out->n : 1));
  if (!out->d) return SQLITE_NOMEM;
  if (out->n) memcpy(out->d, h->docid, sizeof(sqlite3_int64) * (size_t)out->n);
  return SQLITE_OK;
}

/* Combines two sorted sets: 0 intersection, 1 union, 2 difference. */
static int set_combine(DocSet *a, DocSet *b, int op, DocSet *out) {
  out->all = 0;
  if (op == 0 && (a->all || b->all)) {
    /* every document AND a set: the set (both every document: nothing to go by, as no cluster is all deferred) */
    DocSet *s = a->all ? b : a;
    out->all = a->all && b->all;
    out->d = s->d;
    out->n = s->n;
    s->d = NULL;
    return SQLITE_OK;
  }
  out->d = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)(a->n + b->n + 1));
  out->n = 0;
  if (!out->d) return SQLITE_NOMEM;
  int i = 0, j = 0;
  while (i < a->n || j < b->n) {
    if (j >= b->n || (i < a->n && a->d[i] < b->d[j])) {
      if (op != 0) out->d[out->n++] = a->d[i];
      i++;
    } else if (i >= a->n || b->d[j] < a->d[i]) {
      if (op == 1) out->d[out->n++] = b->d[j];
      j++;
    } else {
      if (op != 2) out->d[out->n++] = a->d[i];
      i++;
      j++;
    }
  }
  return SQLITE_OK;
}

static int has_deferred(const QNode *n) {
  if (!n) return 0;
  if (n->type == QN_PHRASE) return n->ph->ndeferred > 0;
  return has_deferred(n->l) || has_deferred(n->r);
}

/* The documents n matches; with deferred tokens, a superset (their rows are tested one by one). */
static int eval(Fts3Table *t, Query *q, QNode *n, DocSet *out) {
  out->d = NULL;
  out->n = 0;
  out->all = 0;
  if (n->type == QN_PHRASE) return set_from_hits(n->ph, out);
  DocSet a, b;
  int rc = eval(t, q, n->l, &a);
  if (rc != SQLITE_OK) return rc;
  rc = eval(t, q, n->r, &b);
  if (rc != SQLITE_OK) {
    sqlite3_free(a.d);
    return rc;
  }
  if (n->type == QN_NEAR && !has_deferred(n)) {
    DocSet both;
    rc = set_combine(&a, &b, 0, &both);
    if (rc == SQLITE_OK) {
      /* Keep the documents whose positions satisfy this NEAR chain. */
      out->d = both.d;
      for (int i = 0; i < both.n && rc == SQLITE_OK; i++) {
        rc = fts3_query_row_hits(q, both.d[i]);
        if (rc == SQLITE_OK && near_apply(n)) out->d[out->n++] = both.d[i];
      }
    }
  } else {
    rc = set_combine(&a, &b, n->type == QN_AND || n->type == QN_NEAR ? 0 : n->type == QN_OR ? 1 : 2, out);
  }
  sqlite3_free(a.d);
  sqlite3_free(b.d);
  return rc;
}

/* For each NEAR group under n (without deferred tokens): the hits its phrases keep in every document
** that holds them all. */
static int near_stats(Query *q, QNode *n) {
  if (!n || n->type == QN_PHRASE) return SQLITE_OK;
  if (n->type != QN_NEAR) {
    int rc = near_stats(q, n->l);
    return rc == SQLITE_OK ? near_stats(q, n->r) : rc;
  }
  if (has_deferred(n)) return SQLITE_OK;
  Phrase *ph[64];
  int gap[64];
  int k = near_phrases(n, ph, gap, 64), rc = SQLITE_OK;
  for (int i = 0; i < k; i++) ph[i]->in_near = 1;
  const DocHits *h0 = &ph[0]->hits;
  for (int d = 0; d < h0->ndocs && rc == SQLITE_OK; d++) {
    sqlite3_int64 docid = h0->docid[d];
    int all = 1;
    for (int i = 1; i < k && all; i++) all = hits_find(&ph[i]->hits, docid) >= 0;
    if (!all) continue;
    rc = fts3_query_row_hits(q, docid);
    if (rc != SQLITE_OK || !near_apply(n)) continue;
    for (int i = 0; i < k && rc == SQLITE_OK; i++) rc = hits_push(&ph[i]->near_hits, docid, ph[i]->row, ph[i]->nrow);
  }
  return rc;
}

/* The rows that may match a NEAR group with deferred tokens: those of its phrases' read tokens. */
static int near_candidates(Fts3Table *t, Query *q, QNode *n, const DocSet *query, DocSet *out) {
  int rc = eval(t, q, n, out);
  if (rc == SQLITE_OK && out->all) {
    sqlite3_free(out->d);
    out->all = 0;
    out->n = query->n;
    out->d = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)(query->n ? query->n : 1));
    if (!out->d) return SQLITE_NOMEM;
    if (query->n) memcpy(out->d, query->d, sizeof(sqlite3_int64) * (size_t)query->n);
  }
  return rc;
}

/* near_stats for NEAR groups with deferred tokens: their rows tokenized one by one. */
static int near_stats_deferred(Fts3Table *t, Query *q, QNode *n, sqlite3_stmt *read, const DocSet *query) {
  if (!n || n->type == QN_PHRASE) return SQLITE_OK;
  if (n->type != QN_NEAR) {
    int rc = near_stats_deferred(t, q, n->l, read, query);
    return rc == SQLITE_OK ? near_stats_deferred(t, q, n->r, read, query) : rc;
  }
  if (!has_deferred(n)) return SQLITE_OK;
  Phrase *ph[64];
  int gap[64];
  int k = near_phrases(n, ph, gap, 64);
  for (int i = 0; i < k; i++) ph[i]->in_near = 1;
  DocSet cand;
  int rc = near_candidates(t, q, n, query, &cand);
  for (int d = 0; d < cand.n && rc == SQLITE_OK; d++) {
    rc = row_scan(t, q, read, cand.d[d]);
    for (int i = 0; i < k && rc == SQLITE_OK; i++) rc = phrase_row(ph[i], cand.d[d]);
    if (rc != SQLITE_OK || !near_holds(n)) continue;
    for (int i = 0; i < k && rc == SQLITE_OK; i++)
      rc = hits_push(&ph[i]->near_hits, cand.d[d], ph[i]->row, ph[i]->nrow);
  }
  sqlite3_free(cand.d);
  return rc;
}

/* Keeps the candidate rows of a query with deferred tokens that match it, each tokenized; the
** phrases with deferred tokens keep their exact hits in those rows. */
static int filter_rows(Fts3Table *t, Query *q, DocSet *s) {
  char *where = sqlite3_mprintf(" WHERE %s=?1", t->content_key);
  char *sql = where ? fts3_content_sql(t, where) : NULL;
  sqlite3_free(where);
  sqlite3_stmt *read = NULL;
  int rc = sql ? sqlite3_prepare_v3(t->db, sql, -1, SQLITE_PREPARE_NO_VTAB, &read, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  int kept = 0;
  for (int d = 0; d < s->n && rc == SQLITE_OK; d++) {
    rc = row_scan(t, q, read, s->d[d]);
    for (int p = 0; p < q->nphrase && rc == SQLITE_OK; p++) rc = phrase_row(q->phrase[p], s->d[d]);
    if (rc != SQLITE_OK || !row_matches(q->root)) continue;
    s->d[kept++] = s->d[d];
    for (int p = 0; p < q->nphrase && rc == SQLITE_OK; p++) {
      Phrase *ph = q->phrase[p];
      if (ph->ndeferred) rc = hits_push(&ph->exact, s->d[d], ph->row, ph->nrow);
    }
  }
  s->n = kept;
  if (rc == SQLITE_OK) rc = near_stats_deferred(t, q, q->root, read, s);
  sqlite3_finalize(read);
  return rc;
}

int fts3_query_run(Fts3Table *t, Query *q, sqlite3_int64 **docs, int *ndocs) {
  *docs = NULL;
  *ndocs = 0;
  int rc = choose_deferred(t, q);
  for (int i = 0; i < q->nphrase && rc == SQLITE_OK; i++) rc = phrase_load(t, q, q->phrase[i]);
  if (rc != SQLITE_OK || !q->root) return rc;
  if ((rc = near_stats(q, q->root)) != SQLITE_OK) return rc;
  DocSet s;
  rc = eval(t, q, q->root, &s);
  if (rc == SQLITE_OK && s.all) s.n = 0; /* no cluster is all deferred: not reached */
  if (rc == SQLITE_OK && q->ndeferred) rc = filter_rows(t, q, &s);
  if (rc != SQLITE_OK) {
    sqlite3_free(s.d);
    return rc;
  }
  *docs = s.d;
  *ndocs = s.n;
  return SQLITE_OK;
}
