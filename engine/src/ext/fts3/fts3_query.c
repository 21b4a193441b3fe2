/*
** fts3_query.c — MATCH expressions in SQLite's enhanced query syntax (the one
** its builds with FTS3 parentheses use): phrases are barewords (each token a
** phrase of its own), "quoted phrases", a '*' after a token for a prefix,
** "col:" before a phrase for one column, '^' for the first token of a column
** (fts4 only);
** operators by precedence NEAR[/n] (default 10 tokens), NOT, AND (or none
** between two operands), OR; parentheses group.  Anything else is
** "malformed MATCH expression: [query]".
**
** Evaluation reads each phrase's documents and hits once (fts3_term_hits),
** and combines the document sets along the tree; NEAR looks at the positions.
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
  int rc;
} TokCollect;

static int collect_token(void *vctx, const char *tok, int n, int start, int end, int pos) {
  TokCollect *c = vctx;
  (void)start, (void)pos;
  Phrase *ph = c->ph;
  char **tk = sqlite3_realloc64(ph->tok, sizeof(char *) * (sqlite3_uint64)(ph->ntok + 1));
  if (tk) ph->tok = tk;
  int *tl = tk ? sqlite3_realloc64(ph->tlen, sizeof(int) * (sqlite3_uint64)(ph->ntok + 1)) : NULL;
  if (tl) ph->tlen = tl;
  unsigned char *pf = tl ? sqlite3_realloc64(ph->prefix, (sqlite3_uint64)(ph->ntok + 1)) : NULL;
  if (pf) ph->prefix = pf;
  char *copy = pf ? sqlite3_malloc(n + 1) : NULL;
  if (!copy) return SQLITE_NOMEM;
  memcpy(copy, tok, (size_t)n);
  copy[n] = 0;
  ph->tok[ph->ntok] = copy;
  ph->tlen[ph->ntok] = n;
  ph->prefix[ph->ntok] = end < c->nsrc && c->src[end] == '*';
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
  dochits_free(&ph->hits);
  dochits_free(&ph->near_hits);
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
static QNode *phrase_node(Parser *p, const char *src, int nsrc, int bare, int col, int first, int *consumed) {
  Phrase *ph = sqlite3_malloc((int)sizeof *ph);
  if (!ph) {
    p->nomem = 1;
    return NULL;
  }
  memset(ph, 0, sizeof *ph);
  ph->col = col;
  ph->first = first;
  TokCollect c = {ph, src, nsrc, bare, nsrc, SQLITE_OK};
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
  int col = p->col, first = 0;
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
  if (p->at < p->n && p->z[p->at] == '^' && p->t->is_fts4) { /* fts3 tables read '^' as a separator */
    first = 1;
    p->at++;
  }
  if (p->at < p->n && p->z[p->at] == '"') {
    int e = p->at + 1;
    while (e < p->n && p->z[e] != '"') e++;
    if (e >= p->n) {
      p->err = 1;
      return T_END;
    }
    *out = phrase_node(p, p->z + p->at + 1, e - p->at - 1, 0, col, first, NULL);
    p->at = e + 1;
    return *out ? T_PHRASE : T_EMPTY;
  }
  int e = p->at;
  while (e < p->n && !is_stop(p->z[e])) e++;
  if (e == p->at) return T_EMPTY;
  int used = 0;
  *out = phrase_node(p, p->z + p->at, e - p->at, 1, col, first, &used);
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

/* Loads a phrase's documents; hits are the positions where the whole phrase starts. */
static int phrase_load(Fts3Table *t, Query *q, Phrase *ph) {
  DocHits *tok = sqlite3_malloc64(sizeof(DocHits) * (sqlite3_uint64)ph->ntok);
  if (!tok) return SQLITE_NOMEM;
  memset(tok, 0, sizeof(DocHits) * (size_t)ph->ntok);
  int rc = SQLITE_OK;
  for (int i = 0; i < ph->ntok && rc == SQLITE_OK; i++)
    rc = fts3_term_hits(t, q->langid, ph->tok[i], ph->tlen[i], ph->prefix[i], &tok[i]);
  sqlite3_int64 *tmp = NULL;
  int tcap = 0;
  for (int d = 0; rc == SQLITE_OK && d < tok[0].ndocs; d++) {
    sqlite3_int64 docid = tok[0].docid[d];
    int at[64], ok = 1;
    for (int i = 1; i < ph->ntok && ok; i++) {
      int k = hits_find(&tok[i], docid);
      if (k < 0) ok = 0;
      else if (i < 64) at[i] = k;
    }
    if (!ok) continue;
    int nh = 0;
    int n0 = tok[0].start[d + 1] - tok[0].start[d];
    if (n0 > tcap) {
      tcap = n0 * 2;
      sqlite3_int64 *g = sqlite3_realloc64(tmp, sizeof(sqlite3_int64) * (sqlite3_uint64)tcap);
      if (!g) {
        rc = SQLITE_NOMEM;
        break;
      }
      tmp = g;
    }
    for (int h = tok[0].start[d]; h < tok[0].start[d + 1]; h++) {
      sqlite3_int64 v = tok[0].hit[h];
      if (ph->col >= 0 && (v >> 32) != ph->col) continue;
      if (ph->first && (v & 0xFFFFFFFF) != 0) continue;
      int all = 1;
      for (int i = 1; i < ph->ntok && all; i++) {
        int k = i < 64 ? at[i] : hits_find(&tok[i], docid);
        all = hit_in(tok[i].hit + tok[i].start[k], tok[i].start[k + 1] - tok[i].start[k], v + i);
      }
      if (all) tmp[nh++] = v;
    }
    if (nh) rc = hits_push(&ph->hits, docid, tmp, nh);
  }
  sqlite3_free(tmp);
  for (int i = 0; i < ph->ntok; i++) dochits_free(&tok[i]);
  sqlite3_free(tok);
  return rc;
}

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

/* Applies the NEAR nodes under n to the phrases' row hits; 1 when every NEAR chain holds. */
static int near_apply(QNode *n) {
  if (!n) return 0;
  if (n->type == QN_PHRASE) return n->ph->nrow > 0;
  if (n->type != QN_NEAR) {
    int l = near_apply(n->l), r = near_apply(n->r);
    return n->type == QN_AND ? l && r : n->type == QN_OR ? l || r : l;
  }
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

int fts3_query_row_hits(Query *q, sqlite3_int64 docid) {
  for (int i = 0; i < q->nphrase; i++) {
    Phrase *ph = q->phrase[i];
    int k = hits_find(&ph->hits, docid);
    int n = k < 0 ? 0 : ph->hits.start[k + 1] - ph->hits.start[k];
    sqlite3_free(ph->row);
    ph->row = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)(n ? n : 1));
    if (!ph->row) return SQLITE_NOMEM;
    if (n) memcpy(ph->row, ph->hits.hit + ph->hits.start[k], sizeof(sqlite3_int64) * (size_t)n);
    ph->nrow = n;
  }
  near_apply(q->root);
  return SQLITE_OK;
}

static int set_from_hits(const DocHits *h, DocSet *out) {
  out->n = h->ndocs;
  out->d = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)(h->ndocs ? h->ndocs : 1));
  if (!out->d) return SQLITE_NOMEM;
  if (h->ndocs) memcpy(out->d, h->docid, sizeof(sqlite3_int64) * (size_t)h->ndocs);
  return SQLITE_OK;
}

/* Combines two sorted sets: 0 intersection, 1 union, 2 difference. */
static int set_combine(DocSet *a, DocSet *b, int op, DocSet *out) {
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

static int eval(Fts3Table *t, Query *q, QNode *n, DocSet *out) {
  out->d = NULL;
  out->n = 0;
  if (n->type == QN_PHRASE) return set_from_hits(&n->ph->hits, out);
  DocSet a, b;
  int rc = eval(t, q, n->l, &a);
  if (rc != SQLITE_OK) return rc;
  rc = eval(t, q, n->r, &b);
  if (rc != SQLITE_OK) {
    sqlite3_free(a.d);
    return rc;
  }
  if (n->type == QN_NEAR) {
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
    rc = set_combine(&a, &b, n->type == QN_AND ? 0 : n->type == QN_OR ? 1 : 2, out);
  }
  sqlite3_free(a.d);
  sqlite3_free(b.d);
  return rc;
}

/* For each NEAR group under n: the hits its phrases keep in every document that holds them all. */
static int near_stats(Query *q, QNode *n) {
  if (!n || n->type == QN_PHRASE) return SQLITE_OK;
  if (n->type != QN_NEAR) {
    int rc = near_stats(q, n->l);
    return rc == SQLITE_OK ? near_stats(q, n->r) : rc;
  }
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

int fts3_query_run(Fts3Table *t, Query *q, sqlite3_int64 **docs, int *ndocs) {
  *docs = NULL;
  *ndocs = 0;
  int rc = SQLITE_OK;
  for (int i = 0; i < q->nphrase && rc == SQLITE_OK; i++) rc = phrase_load(t, q, q->phrase[i]);
  if (rc != SQLITE_OK || !q->root) return rc;
  if ((rc = near_stats(q, q->root)) != SQLITE_OK) return rc;
  DocSet s;
  rc = eval(t, q, q->root, &s);
  if (rc != SQLITE_OK) return rc;
  *docs = s.d;
  *ndocs = s.n;
  return SQLITE_OK;
}
