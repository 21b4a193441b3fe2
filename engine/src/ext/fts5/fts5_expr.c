/*
** fts5_expr.c — FTS5's MATCH syntax and its evaluation.
**
** Grammar (as SQLite's), loosest first:
**   expr     := expr OR expr | expr AND expr | expr NOT expr      (OR < AND < NOT)
**             | '(' expr ')' | colset ':' '(' expr ')' | cnear+   (adjacent: AND)
**   cnear    := [colset ':'] near
**   near     := phrase | '^' phrase | NEAR '(' phrase+ [',' N] ')'
**   phrase   := string ['*'] ('+' string ['*'])*
**   colset   := ['-'] (column | '{' column+ '}')
** A string is a bareword (letters, digits, '_', bytes >= 0x80, 0x1A) or
** "quoted" ("" inside for one); the table's tokenizer splits it into the
** phrase's tokens.  AND, OR, NOT are keywords only as upper-case barewords.
** A phrase that tokenizes to nothing drops out of the expression.
**
** Evaluation is a set at a time: each phrase's rows and instances (column,
** offset of its first token) are computed from its terms' doclists, then
** NEAR groups keep the rows where an instance of every phrase fits the
** window, and AND/OR/NOT combine sorted rowid arrays.
*/
#include <stdlib.h>
#include <string.h>

#include "ext/fts5/fts5_int.h"

enum { N_NEAR, N_AND, N_OR, N_NOT };

typedef struct F5Phrase {
  int nterm;
  char **term;
  int *nbytes;
  unsigned char *isprefix;
  int initial;
  unsigned char *cols; /* allowed columns, NULL: all */
  F5Doclist dl;        /* rows and instance starts (col << 32 | off) */
  struct F5Phrase *same; /* an earlier phrase written the same way: its rows are these */
  int shared;          /* dl is same's (not freed here) */
  int base;            /* a later phrase's same: its rows are always all of them */
  int loaded;
  int filtered;        /* dl holds only the rows a query's other terms left possible */
  int est, est_cap;    /* its rows counted up to est_cap (est == est_cap: at least that many), est -1 before */
  F5Counter **ctr;     /* each term's count so far (NULL before the first, and once the phrase is read) */
  int group; /* its NEAR node */
} F5Phrase;

typedef struct F5Node {
  int kind;
  struct F5Node *l, *r;
  int *phr, nphr; /* N_NEAR: the phrases (indexes into F5Expr.ph) */
  int dist;
  sqlite3_int64 *rows;
  int nrows;
} F5Node;

struct F5Expr {
  Fts5Table *t;
  F5Node *root;
  F5Phrase **ph;
  int nph;
  F5Node **near; /* NEAR nodes, by group */
  int nnear;
};

/* ---- construction ---------------------------------------------------------------------------------------------- */

static void node_free(F5Node *n) {
  if (!n) return;
  node_free(n->l);
  node_free(n->r);
  sqlite3_free(n->phr);
  sqlite3_free(n->rows);
  sqlite3_free(n);
}

static void phrase_counters_free(F5Phrase *p) {
  for (int i = 0; p->ctr && i < p->nterm; i++) fts5_counter_close(p->ctr[i]);
  sqlite3_free(p->ctr);
  p->ctr = NULL;
}

static void phrase_free(F5Phrase *p) {
  if (!p) return;
  phrase_counters_free(p);
  for (int i = 0; i < p->nterm; i++) sqlite3_free(p->term[i]);
  sqlite3_free(p->term);
  sqlite3_free(p->nbytes);
  sqlite3_free(p->isprefix);
  sqlite3_free(p->cols);
  if (!p->shared) f5_doclist_free(&p->dl);
  sqlite3_free(p);
}

void fts5_expr_free(F5Expr *e) {
  if (!e) return;
  node_free(e->root);
  for (int i = 0; i < e->nph; i++) phrase_free(e->ph[i]);
  sqlite3_free(e->ph);
  sqlite3_free(e->near);
  sqlite3_free(e);
}

static F5Node *node_new(int kind, F5Node *l, F5Node *r) {
  if (!l) return kind == N_NOT ? NULL : r;
  if (!r) return l;
  F5Node *n = sqlite3_malloc((int)sizeof *n);
  if (!n) {
    node_free(l);
    node_free(r);
    return NULL;
  }
  memset(n, 0, sizeof *n);
  n->kind = kind;
  n->l = l;
  n->r = r;
  return n;
}

/* ---- the lexer ------------------------------------------------------------------------------------------------- */

enum {
  K_EOF,
  K_STRING,
  K_OR,
  K_AND,
  K_NOT,
  K_COLON,
  K_MINUS,
  K_LCP,
  K_RCP,
  K_LP,
  K_RP,
  K_CARET,
  K_COMMA,
  K_PLUS,
  K_STAR
};

typedef struct Parser {
  Fts5Table *t;
  F5Expr *e;
  const char *z;
  int i, n;
  /* the current token */
  int kind;
  const char *tz; /* its text as written */
  int tn;
  char *text; /* a string's value */
  int ntext;
  int quoted;
  char *err;
  int rc;
  int unsupported; /* detail!=full: 1 a NEAR group, 2 a phrase of several tokens or '^' */
  int depth;       /* symbols SQLite's parser would hold on its stack here */
} Parser;

/* SQLite's query parser has a stack of 100 entries; deeper nesting fails as
** there (and recursion here stays bounded). */
#define PARSER_STACK 100

/* Holds k more symbols while the caller parses what follows; 0 on overflow. */
static int push(Parser *p, int k) {
  p->depth += k;
  if (1 + p->depth + 1 < PARSER_STACK) return 1;
  if (p->rc == SQLITE_OK) {
    p->err = sqlite3_mprintf("fts5: parser stack overflow");
    p->rc = SQLITE_ERROR;
  }
  return 0;
}

/* An AND or OR of items, as a balanced tree, so that long chains recurse little. */
static F5Node *balanced(int kind, F5Node **a, int n) {
  if (n == 0) return NULL;
  if (n == 1) return a[0];
  int mid = n / 2;
  F5Node *l = balanced(kind, a, mid);
  return node_new(kind, l, balanced(kind, a + mid, n - mid));
}

typedef struct NodeList {
  F5Node **a;
  int n, cap;
} NodeList;

static int list_push(Parser *p, NodeList *l, F5Node *n) {
  if (!n) return 1;
  if (f5_grow(&l->a, &l->cap, l->n + 1, sizeof(F5Node *)) != SQLITE_OK) {
    p->rc = SQLITE_NOMEM;
    return 0;
  }
  l->a[l->n++] = n;
  return 1;
}

static F5Node *list_done(Parser *p, NodeList *l, int kind) {
  F5Node *r = NULL;
  if (p->rc == SQLITE_OK) r = balanced(kind, l->a, l->n);
  else
    for (int i = 0; i < l->n; i++) node_free(l->a[i]);
  sqlite3_free(l->a);
  return r;
}

static int is_bareword(unsigned char c) {
  return c >= 0x80 || c == 0x1A || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

static void perr(Parser *p, const char *fmt, const char *z, int n) {
  if (p->rc != SQLITE_OK) return;
  p->err = sqlite3_mprintf(fmt, n, z);
  p->rc = SQLITE_ERROR;
}

static void syntax(Parser *p) { perr(p, "fts5: syntax error near \"%.*s\"", p->tz, p->tn); }

static void lex(Parser *p) {
  sqlite3_free(p->text);
  p->text = NULL;
  p->ntext = 0;
  p->quoted = 0;
  while (p->i < p->n && (p->z[p->i] == ' ' || p->z[p->i] == '\t' || p->z[p->i] == '\n' || p->z[p->i] == '\r')) p->i++;
  p->tz = p->z + p->i;
  p->tn = 0;
  if (p->i >= p->n) {
    p->kind = K_EOF;
    return;
  }
  unsigned char c = (unsigned char)p->z[p->i];
  static const char singles[] = ":-{}()^,+*";
  static const int kinds[] = {K_COLON, K_MINUS, K_LCP, K_RCP, K_LP, K_RP, K_CARET, K_COMMA, K_PLUS, K_STAR};
  const char *s = c ? strchr(singles, c) : NULL;
  if (s) {
    p->kind = kinds[s - singles];
    p->tn = 1;
    p->i++;
    return;
  }
  if (c == '"') {
    int j = p->i + 1;
    char *buf = sqlite3_malloc(p->n - p->i + 1);
    if (!buf) {
      p->rc = SQLITE_NOMEM;
      p->kind = K_EOF;
      return;
    }
    int k = 0;
    for (;;) {
      if (j >= p->n) {
        sqlite3_free(buf);
        if (p->rc == SQLITE_OK) {
          p->err = sqlite3_mprintf("unterminated string");
          p->rc = SQLITE_ERROR;
        }
        p->kind = K_EOF;
        return;
      }
      if (p->z[j] == '"') {
        if (j + 1 < p->n && p->z[j + 1] == '"') {
          buf[k++] = '"';
          j += 2;
          continue;
        }
        j++;
        break;
      }
      buf[k++] = p->z[j++];
    }
    buf[k] = 0;
    p->kind = K_STRING;
    p->text = buf;
    p->ntext = k;
    p->quoted = 1;
    p->tn = j - p->i;
    p->i = j;
    return;
  }
  if (!is_bareword(c)) {
    p->tn = 1;
    p->kind = K_EOF;
    syntax(p);
    return;
  }
  int j = p->i;
  while (j < p->n && is_bareword((unsigned char)p->z[j])) j++;
  p->tn = j - p->i;
  p->i = j;
  p->kind = K_STRING;
  if (p->tn == 2 && memcmp(p->tz, "OR", 2) == 0)
    p->kind = K_OR;
  else if (p->tn == 3 && memcmp(p->tz, "AND", 3) == 0)
    p->kind = K_AND;
  else if (p->tn == 3 && memcmp(p->tz, "NOT", 3) == 0)
    p->kind = K_NOT;
  else {
    p->text = sqlite3_malloc(p->tn + 1);
    if (!p->text) {
      p->rc = SQLITE_NOMEM;
      return;
    }
    memcpy(p->text, p->tz, (size_t)p->tn);
    p->text[p->tn] = 0;
    p->ntext = p->tn;
  }
}

/* The next non-blank byte after the current token. */
static char peek(const Parser *p) {
  int j = p->i;
  while (j < p->n && (p->z[j] == ' ' || p->z[j] == '\t' || p->z[j] == '\n' || p->z[j] == '\r')) j++;
  return j < p->n ? p->z[j] : 0;
}

/* ---- phrases and column sets ----------------------------------------------------------------------------------- */

static F5Phrase *phrase_new(Parser *p) {
  F5Phrase *ph = sqlite3_malloc((int)sizeof *ph);
  if (!ph) {
    p->rc = SQLITE_NOMEM;
    return NULL;
  }
  memset(ph, 0, sizeof *ph);
  ph->est = -1;
  return ph;
}

typedef struct TokCtx {
  F5Phrase *ph;
  int rc;
} TokCtx;

static int phrase_token(void *vc, int tflags, const char *tok, int n, int start, int end) {
  TokCtx *c = vc;
  F5Phrase *ph = c->ph;
  (void)start;
  (void)end;
  if (tflags & FTS5_TOKEN_COLOCATED) return SQLITE_OK; /* synonyms: the first form is searched */
  char **t = sqlite3_realloc64(ph->term, sizeof(char *) * (sqlite3_uint64)(ph->nterm + 1));
  if (t) ph->term = t;
  int *nb = sqlite3_realloc64(ph->nbytes, sizeof(int) * (sqlite3_uint64)(ph->nterm + 1));
  if (nb) ph->nbytes = nb;
  unsigned char *ip = sqlite3_realloc64(ph->isprefix, (sqlite3_uint64)(ph->nterm + 1));
  if (ip) ph->isprefix = ip;
  char *copy = sqlite3_malloc(n + 1);
  if (!t || !nb || !ip || !copy) {
    sqlite3_free(copy);
    return SQLITE_NOMEM;
  }
  memcpy(copy, tok, (size_t)n);
  copy[n] = 0;
  ph->term[ph->nterm] = copy;
  ph->nbytes[ph->nterm] = n;
  ph->isprefix[ph->nterm++] = 0;
  return SQLITE_OK;
}

/* phrase := string ['*'] ('+' string ['*'])*, the current token a string. */
static F5Phrase *parse_phrase(Parser *p) {
  F5Phrase *ph = phrase_new(p);
  if (!ph) return NULL;
  for (;;) {
    if (p->kind != K_STRING) {
      syntax(p);
      break;
    }
    if (!push(p, 0)) break;
    int before = ph->nterm;
    char *text = p->text;
    int ntext = p->ntext;
    p->text = NULL;
    lex(p);
    int star = p->kind == K_STAR;
    TokCtx tc = {ph, SQLITE_OK};
    int rc =
        fts5_tokenize(p->t, FTS5_TOKENIZE_QUERY | (star ? FTS5_TOKENIZE_PREFIX : 0), text, ntext, &tc, phrase_token);
    sqlite3_free(text);
    if (rc != SQLITE_OK) {
      if (p->rc == SQLITE_OK) p->rc = rc;
      break;
    }
    if (star) {
      if (ph->nterm > before) ph->isprefix[ph->nterm - 1] = 1;
      lex(p);
    }
    if (p->kind != K_PLUS) break;
    lex(p);
  }
  if (p->rc != SQLITE_OK) {
    phrase_free(ph);
    return NULL;
  }
  return ph;
}

/* colset := ['-'] (column | '{' column+ '}'); the current token starts it.
** Returns the allowed columns (sqlite3_malloc'd, ncol bytes). */
static unsigned char *parse_colset(Parser *p) {
  int ncol = p->t->ncol;
  unsigned char *set = sqlite3_malloc(ncol + 1);
  if (!set) {
    p->rc = SQLITE_NOMEM;
    return NULL;
  }
  memset(set, 0, (size_t)ncol + 1);
  int neg = 0;
  if (p->kind == K_MINUS) {
    neg = 1;
    lex(p);
  }
  int brace = p->kind == K_LCP;
  if (brace) lex(p);
  do {
    if (p->kind != K_STRING) {
      syntax(p);
      break;
    }
    int found = -1;
    for (int i = 0; i < ncol && found < 0; i++)
      if (sqlite3_strnicmp(p->t->colname[i], p->text, p->ntext) == 0 && (int)strlen(p->t->colname[i]) == p->ntext)
        found = i;
    if (found < 0) {
      perr(p, "no such column: %.*s", p->text, p->ntext);
      break;
    }
    set[found] = 1;
    lex(p);
  } while (brace && p->kind != K_RCP && p->rc == SQLITE_OK);
  if (brace && p->rc == SQLITE_OK) lex(p); /* '}' */
  if (p->rc != SQLITE_OK) {
    sqlite3_free(set);
    return NULL;
  }
  if (neg)
    for (int i = 0; i < ncol; i++) set[i] = !set[i];
  return set;
}

static int add_phrase(Parser *p, F5Phrase *ph) {
  F5Phrase **g = sqlite3_realloc64(p->e->ph, sizeof(F5Phrase *) * (sqlite3_uint64)(p->e->nph + 1));
  if (!g) {
    phrase_free(ph);
    return p->rc = SQLITE_NOMEM;
  }
  p->e->ph = g;
  g[p->e->nph++] = ph;
  return SQLITE_OK;
}

static F5Node *near_node(Parser *p, F5Phrase **phs, int n, int dist) {
  /* empty phrases drop out */
  int k = 0;
  for (int i = 0; i < n; i++) {
    if (phs[i]->nterm == 0)
      phrase_free(phs[i]);
    else
      phs[k++] = phs[i];
  }
  if (k == 0) return NULL;
  F5Node *node = sqlite3_malloc((int)sizeof *node);
  int *idx = sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)k);
  if (!node || !idx) {
    sqlite3_free(node);
    sqlite3_free(idx);
    for (int i = 0; i < k; i++) phrase_free(phs[i]);
    p->rc = SQLITE_NOMEM;
    return NULL;
  }
  memset(node, 0, sizeof *node);
  node->kind = N_NEAR;
  node->dist = dist;
  node->phr = idx;
  node->nphr = k;
  for (int i = 0; i < k; i++) {
    idx[i] = p->e->nph;
    if (add_phrase(p, phs[i]) != SQLITE_OK) {
      for (int j = i + 1; j < k; j++) phrase_free(phs[j]);
      node->nphr = i;
      node_free(node);
      return NULL;
    }
  }
  if (p->t->detail != F5_DETAIL_FULL) {
    for (int i = 0; i < k; i++)
      if (p->e->ph[idx[i]]->nterm > 1 || p->e->ph[idx[i]]->initial) p->unsupported |= 2;
    if (k > 1) p->unsupported |= 1;
    if (p->unsupported)
      perr(p, "fts5: %.*s queries are not supported (detail!=full)", p->unsupported & 1 ? "NEAR" : "phrase",
           p->unsupported & 1 ? 4 : 6);
  }
  return node;
}

/* near := phrase | '^' phrase | NEAR '(' phrase+ [',' N] ')' */
static F5Node *parse_near(Parser *p) {
  if (p->kind == K_CARET) {
    lex(p);
    F5Phrase *ph = p->kind == K_STRING ? parse_phrase(p) : NULL;
    if (!ph) {
      if (p->rc == SQLITE_OK) syntax(p);
      return NULL;
    }
    ph->initial = 1;
    return near_node(p, &ph, 1, 0);
  }
  if (p->kind != K_STRING) {
    syntax(p);
    return NULL;
  }
  if (peek(p) == '(' && !p->quoted) {
    if (p->tn != 4 || memcmp(p->tz, "NEAR", 4) != 0) {
      syntax(p);
      return NULL;
    }
    lex(p); /* '(' */
    lex(p);
    F5Phrase **phs = NULL;
    int n = 0, dist = FTS5_DEFAULT_NEAR;
    while (p->rc == SQLITE_OK && p->kind == K_STRING) {
      F5Phrase *ph = parse_phrase(p);
      if (!ph) break;
      F5Phrase **g = sqlite3_realloc64(phs, sizeof(F5Phrase *) * (sqlite3_uint64)(n + 1));
      if (!g) {
        phrase_free(ph);
        p->rc = SQLITE_NOMEM;
        break;
      }
      phs = g;
      phs[n++] = ph;
    }
    if (p->rc == SQLITE_OK && n == 0) syntax(p);
    if (p->rc == SQLITE_OK && p->kind == K_COMMA) {
      lex(p);
      if (p->kind != K_STRING) {
        syntax(p);
      } else {
        int ok = p->ntext > 0 && !p->quoted;
        dist = 0;
        for (int i = 0; ok && i < p->ntext; i++) {
          ok = p->text[i] >= '0' && p->text[i] <= '9';
          if (dist < 100000000) dist = dist * 10 + (p->text[i] - '0');
        }
        if (!ok)
          perr(p, "expected integer, got \"%.*s\"", p->tz, p->tn);
        else
          lex(p);
      }
    }
    if (p->rc == SQLITE_OK && p->kind != K_RP) syntax(p);
    if (p->rc != SQLITE_OK) {
      for (int i = 0; i < n; i++) phrase_free(phs[i]);
      sqlite3_free(phs);
      return NULL;
    }
    lex(p);
    F5Node *node = near_node(p, phs, n, dist);
    sqlite3_free(phs);
    return node;
  }
  F5Phrase *ph = parse_phrase(p);
  if (!ph) return NULL;
  return near_node(p, &ph, 1, 0);
}

/* Restricts every phrase of node to set (intersected with what it has). */
static void apply_colset(Parser *p, F5Node *node, const unsigned char *set) {
  if (!node) return;
  if (p->t->detail == F5_DETAIL_NONE) {
    perr(p, "fts5: %.*s queries are not supported (detail=none)", "column", 6);
    return;
  }
  if (node->kind != N_NEAR) {
    apply_colset(p, node->l, set);
    apply_colset(p, node->r, set);
    return;
  }
  for (int i = 0; i < node->nphr; i++) {
    F5Phrase *ph = p->e->ph[node->phr[i]];
    if (!ph->cols) {
      ph->cols = sqlite3_malloc(p->t->ncol + 1);
      if (!ph->cols) {
        p->rc = SQLITE_NOMEM;
        return;
      }
      memcpy(ph->cols, set, (size_t)p->t->ncol);
    } else {
      for (int c = 0; c < p->t->ncol; c++) ph->cols[c] &= set[c];
    }
  }
}

static int starts_colset(Parser *p) {
  if (p->kind == K_MINUS || p->kind == K_LCP) return 1;
  return p->kind == K_STRING && !p->quoted && peek(p) == ':';
}

static F5Node *parse_or(Parser *p);

static F5Node *parse_primary(Parser *p) {
  int depth = p->depth;
  if (p->kind == K_LP) {
    if (!push(p, 1)) return NULL;
    lex(p);
    F5Node *n = parse_or(p);
    if (p->rc == SQLITE_OK && p->kind != K_RP) syntax(p);
    p->depth = depth;
    if (p->rc != SQLITE_OK) {
      node_free(n);
      return NULL;
    }
    lex(p);
    return n;
  }
  NodeList list = {NULL, 0, 0};
  int first = 1;
  while (p->rc == SQLITE_OK) {
    if (!first && !(p->kind == K_STRING || p->kind == K_CARET || p->kind == K_MINUS || p->kind == K_LCP)) break;
    /* after the first item the list waits on the stack */
    if (!first && !push(p, first == 0 && p->depth == depth ? 1 : 0)) break;
    unsigned char *set = NULL;
    if (starts_colset(p)) {
      set = parse_colset(p);
      if (!set) break;
      if (p->kind != K_COLON) {
        sqlite3_free(set);
        syntax(p);
        break;
      }
      lex(p);
      if (first && p->kind == K_LP) {
        if (!push(p, 3)) {
          sqlite3_free(set);
          break;
        }
        lex(p);
        F5Node *n = parse_or(p);
        if (p->rc == SQLITE_OK && p->kind != K_RP) syntax(p);
        if (p->rc == SQLITE_OK) lex(p);
        apply_colset(p, n, set);
        sqlite3_free(set);
        p->depth = depth;
        if (p->rc != SQLITE_OK) {
          node_free(n);
          return NULL;
        }
        return n;
      }
    }
    F5Node *n = parse_near(p);
    if (p->rc != SQLITE_OK) {
      sqlite3_free(set);
      node_free(n);
      break;
    }
    if (set && n) apply_colset(p, n, set);
    sqlite3_free(set);
    if (!list_push(p, &list, n)) {
      node_free(n);
      break;
    }
    first = 0;
  }
  p->depth = depth;
  return list_done(p, &list, N_AND);
}

/* left NOT r1 NOT r2 ...: the left's rows without any right's (a left-deep
** chain in SQLite's grammar; the same rows, kept shallow here). */
static F5Node *parse_not(Parser *p) {
  int depth = p->depth;
  F5Node *l = parse_primary(p);
  NodeList rights = {NULL, 0, 0};
  while (p->rc == SQLITE_OK && p->kind == K_NOT) {
    if (!push(p, p->depth == depth ? 2 : 0)) break;
    lex(p);
    F5Node *r = parse_primary(p);
    if (p->rc != SQLITE_OK || !list_push(p, &rights, r)) {
      node_free(r);
      break;
    }
  }
  p->depth = depth;
  F5Node *r = list_done(p, &rights, N_OR);
  if (p->rc != SQLITE_OK) {
    node_free(l);
    node_free(r);
    return NULL;
  }
  if (!l) {
    node_free(r);
    return NULL;
  }
  return node_new(N_NOT, l, r);
}

static F5Node *parse_chain(Parser *p, int op, int kind, F5Node *(*operand)(Parser *)) {
  int depth = p->depth;
  NodeList items = {NULL, 0, 0};
  F5Node *n = operand(p);
  if (!list_push(p, &items, n)) node_free(n);
  while (p->rc == SQLITE_OK && p->kind == op) {
    if (!push(p, p->depth == depth ? 2 : 0)) break;
    lex(p);
    n = operand(p);
    if (!list_push(p, &items, n)) node_free(n);
  }
  p->depth = depth;
  return list_done(p, &items, kind);
}

static F5Node *parse_and(Parser *p) { return parse_chain(p, K_AND, N_AND, parse_not); }

static F5Node *parse_or(Parser *p) { return parse_chain(p, K_OR, N_OR, parse_and); }

static void collect_near(F5Expr *e, F5Node *n, int *rc) {
  if (!n || *rc != SQLITE_OK) return;
  if (n->kind != N_NEAR) {
    collect_near(e, n->l, rc);
    collect_near(e, n->r, rc);
    return;
  }
  F5Node **g = sqlite3_realloc64(e->near, sizeof(F5Node *) * (sqlite3_uint64)(e->nnear + 1));
  if (!g) {
    *rc = SQLITE_NOMEM;
    return;
  }
  e->near = g;
  for (int i = 0; i < n->nphr; i++) e->ph[n->phr[i]]->group = e->nnear;
  e->near[e->nnear++] = n;
}

static int phrase_same(const F5Phrase *a, const F5Phrase *b, int ncol) {
  if (a->nterm != b->nterm || a->initial != b->initial || !a->cols != !b->cols) return 0;
  if (a->cols && memcmp(a->cols, b->cols, (size_t)ncol) != 0) return 0;
  for (int i = 0; i < a->nterm; i++)
    if (a->nbytes[i] != b->nbytes[i] || a->isprefix[i] != b->isprefix[i] ||
        memcmp(a->term[i], b->term[i], (size_t)a->nbytes[i]) != 0)
      return 0;
  return 1;
}

/* A query that repeats a phrase reads its rows once. */
static int link_same_phrases(F5Expr *e) {
  int nslot = 16;
  while (nslot < 2 * e->nph) nslot *= 2;
  int *slot = sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)nslot);
  if (!slot) return SQLITE_NOMEM;
  for (int i = 0; i < nslot; i++) slot[i] = -1;
  for (int i = 0; i < e->nph; i++) {
    F5Phrase *ph = e->ph[i];
    unsigned h = 2166136261u;
    for (int k = 0; k < ph->nterm; k++)
      for (int b = 0; b < ph->nbytes[k]; b++) h = (h ^ (unsigned char)ph->term[k][b]) * 16777619u;
    unsigned at = (h ^ (unsigned)ph->nterm) & (unsigned)(nslot - 1);
    while (slot[at] >= 0 && !phrase_same(e->ph[slot[at]], ph, e->t->ncol)) at = (at + 1) & (unsigned)(nslot - 1);
    if (slot[at] >= 0) {
      ph->same = e->ph[slot[at]];
      ph->same->base = 1;
    } else {
      slot[at] = i;
    }
  }
  sqlite3_free(slot);
  return SQLITE_OK;
}

int fts5_expr_parse(Fts5Table *t, const char *z, int col, F5Expr **out, char **err) {
  *out = NULL;
  *err = NULL;
  F5Expr *e = sqlite3_malloc((int)sizeof *e);
  if (!e) return SQLITE_NOMEM;
  memset(e, 0, sizeof *e);
  e->t = t;
  Parser p;
  memset(&p, 0, sizeof p);
  p.t = t;
  p.e = e;
  p.z = z ? z : "";
  p.n = (int)strlen(p.z);
  while (p.i < p.n && p.z[p.i] == ' ') p.i++;
  if (p.i < p.n && p.z[p.i] == '*') {
    *err = sqlite3_mprintf("unknown special query: %.*s", 0, "");
    fts5_expr_free(e);
    return SQLITE_ERROR;
  }
  lex(&p);
  F5Node *root = p.rc == SQLITE_OK ? parse_or(&p) : NULL;
  if (p.rc == SQLITE_OK && p.kind != K_EOF) syntax(&p);
  sqlite3_free(p.text);
  if (p.rc == SQLITE_OK && col >= 0 && col < t->ncol) {
    unsigned char *set = sqlite3_malloc(t->ncol + 1);
    if (!set)
      p.rc = SQLITE_NOMEM;
    else {
      memset(set, 0, (size_t)t->ncol + 1);
      set[col] = 1;
      apply_colset(&p, root, set);
      sqlite3_free(set);
    }
  }
  if (p.rc == SQLITE_OK && t->detail == F5_DETAIL_NONE) {
    for (int i = 0; i < e->nph && p.rc == SQLITE_OK; i++)
      if (e->ph[i]->cols) perr(&p, "fts5: %.*s queries are not supported (detail=none)", "column", 6);
  }
  e->root = root;
  if (p.rc == SQLITE_OK) collect_near(e, root, &p.rc);
  if (p.rc == SQLITE_OK) p.rc = link_same_phrases(e);
  if (p.rc != SQLITE_OK) {
    *err = p.err;
    fts5_expr_free(e);
    return p.rc;
  }
  *out = e;
  return SQLITE_OK;
}

F5Expr *fts5_expr_and(F5Expr *a, F5Expr *b) {
  if (!a) return b;
  if (!b) return a;
  F5Phrase **g = sqlite3_realloc64(a->ph, sizeof(F5Phrase *) * (sqlite3_uint64)(a->nph + b->nph + 1));
  F5Node **ng = sqlite3_realloc64(a->near, sizeof(F5Node *) * (sqlite3_uint64)(a->nnear + b->nnear + 1));
  if (g) a->ph = g;
  if (ng) a->near = ng;
  if (!g || !ng) {
    fts5_expr_free(a);
    fts5_expr_free(b);
    return NULL;
  }
  for (int i = 0; i < b->nnear; i++) {
    F5Node *n = b->near[i];
    for (int k = 0; k < n->nphr; k++) n->phr[k] += a->nph;
    a->near[a->nnear + i] = n;
  }
  for (int i = 0; i < b->nph; i++) {
    b->ph[i]->group += a->nnear;
    a->ph[a->nph + i] = b->ph[i];
  }
  a->nph += b->nph;
  a->nnear += b->nnear;
  F5Node *root = a->root && b->root ? node_new(N_AND, a->root, b->root) : NULL;
  if (!root) {
    /* a side without phrases matches nothing */
    node_free(a->root);
    node_free(b->root);
  }
  a->root = root;
  b->nph = 0;
  b->root = NULL;
  fts5_expr_free(b);
  return a;
}

/* ---- evaluation ------------------------------------------------------------------------------------------------ */

static int find_row(const F5Doclist *d, sqlite3_int64 rowid) {
  int lo = 0, hi = d->n;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (d->rowid[mid] < rowid)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < d->n && d->rowid[lo] == rowid ? lo : -1;
}

/* Counting a term's rows stops at EST_CAP: past it, it is not the rare one.  Which of several is rarest is
** asked with caps growing from EST_FIRST by EST_STEP, stopping at the first cap one of them stays under; each
** count goes on from where the cap before stopped it, so that a frequent term is counted about as far as the
** rarest, not to EST_CAP. */
#define EST_CAP 4096
#define EST_FIRST 64
#define EST_STEP 2

/* Term i's rows, at most cap, counted on from where an earlier estimate stopped. */
static int term_est(Fts5Table *t, F5Phrase *ph, int i, int cap, int *est) {
  *est = 0;
  if (!ph->ctr) {
    ph->ctr = sqlite3_malloc64(sizeof(F5Counter *) * (sqlite3_uint64)(ph->nterm ? ph->nterm : 1));
    if (!ph->ctr) return SQLITE_NOMEM;
    memset(ph->ctr, 0, sizeof(F5Counter *) * (size_t)(ph->nterm ? ph->nterm : 1));
  }
  int rc = ph->ctr[i] ? SQLITE_OK : fts5_counter_open(t, ph->term[i], ph->nbytes[i], ph->isprefix[i], &ph->ctr[i]);
  if (rc == SQLITE_OK) rc = fts5_counter_run(ph->ctr[i], cap, est);
  if (*est > cap) *est = cap;
  return rc;
}

/* How many rows the phrase may have, at most cap: its rarest term's (each later term counted only as far
** as the rarest so far). */
static int phrase_est(Fts5Table *t, F5Phrase *ph, int cap, int *est) {
  if (ph->est >= 0 && (ph->est < ph->est_cap || ph->est_cap >= cap)) {
    *est = ph->est < cap ? ph->est : cap;
    return SQLITE_OK;
  }
  int rc = SQLITE_OK, best = cap;
  for (int i = 0; i < ph->nterm && rc == SQLITE_OK && best > 0; i++) {
    int k;
    rc = term_est(t, ph, i, best, &k);
    if (k < best) best = k;
  }
  ph->est = *est = best;
  ph->est_cap = cap;
  return rc;
}

/* The estimates of the n terms of ph (terms 1) or of the phrases ph[0..n) (terms 0), with caps that grow
** until one of them is under the cap: those under it are exact, the others as large as it. */
static int staged_est(Fts5Table *t, F5Phrase *const *ph, int n, int terms, int *est) {
  int rc = SQLITE_OK;
  for (int cap = EST_FIRST;; cap *= EST_STEP) {
    if (cap > EST_CAP) cap = EST_CAP;
    int under = 0;
    for (int i = 0; i < n && rc == SQLITE_OK; i++) {
      rc = terms ? term_est(t, ph[0], i, cap, &est[i]) : phrase_est(t, ph[i], cap, &est[i]);
      under |= est[i] < cap;
    }
    if (rc != SQLITE_OK || under || cap >= EST_CAP) return rc;
  }
}

/* A filter of the rows of a list that may have none: an empty list filters everything out, where NULL
** would filter nothing. */
static const sqlite3_int64 *rows_filter(const sqlite3_int64 *rows) {
  static const sqlite3_int64 none[1] = {0};
  return rows ? rows : none;
}

/* Has every row of d a hit (detail=none: no row has any, and none needs one)?  A row without one would be left
** out of a phrase. */
static int rows_all_hit(const F5Doclist *d, int detail) {
  if (detail == F5_DETAIL_NONE) return 1;
  for (int i = 0; i < d->n; i++)
    if (d->start[i + 1] == d->start[i]) return 0;
  return 1;
}

/* A term's positions in one row, from its doclist's hits or, raw, from its poslist in place. */
typedef struct TermPos {
  F5PlIter pl;
  const sqlite3_int64 *h, *hend;
  int raw;
  int live; /* cur holds a position */
  sqlite3_int64 cur;
} TermPos;

static void tp_open(TermPos *q, const F5Doclist *d, int r, int ncol) {
  q->raw = d->raw;
  q->live = 0;
  q->cur = 0;
  if (d->raw) {
    q->pl.p = d->pl + d->start[r];
    q->pl.end = d->pl + d->start[r + 1];
    q->pl.col = q->pl.off = 0;
    q->pl.ncol = ncol;
  } else {
    q->h = d->hit ? d->hit + d->start[r] : NULL;
    q->hend = d->hit ? d->hit + d->start[r + 1] : NULL;
  }
}

/* The term's next position into cur: 1, 0 at the end, -1 when the poslist is malformed. */
static inline int tp_next(TermPos *q) {
  int k;
  if (q->raw) {
    k = f5_pl_next(&q->pl, &q->cur);
  } else {
    k = q->h < q->hend;
    if (k) q->cur = *q->h++;
  }
  q->live = k > 0;
  return k;
}

/* Loads the phrase's rows; only (ascending, nonly rowids, or NULL) are the
** rows the query can still match, the others may be left out.  Its terms
** are read rarest first, each later one for the rows of those before only. */
static int phrase_load(Fts5Table *t, F5Phrase *ph, const sqlite3_int64 *only, int nonly) {
  if (ph->loaded) return SQLITE_OK;
  if (ph->base) only = NULL;
  if (ph->same) {
    int rc = phrase_load(t, ph->same, NULL, 0);
    if (rc != SQLITE_OK) return rc;
    ph->dl = ph->same->dl;
    ph->shared = 1;
    ph->loaded = 1;
    return SQLITE_OK;
  }
  F5Doclist *terms = sqlite3_malloc64(sizeof(F5Doclist) * (sqlite3_uint64)(ph->nterm ? ph->nterm : 1));
  if (!terms) return SQLITE_NOMEM;
  memset(terms, 0, sizeof(F5Doclist) * (size_t)(ph->nterm ? ph->nterm : 1));
  int rc = SQLITE_OK;
  int *order = sqlite3_malloc64(sizeof(int) * 2 * (sqlite3_uint64)(ph->nterm ? ph->nterm : 1));
  if (!order) rc = SQLITE_NOMEM;
  int *est = order ? order + ph->nterm : NULL;
  for (int i = 0; rc == SQLITE_OK && i < ph->nterm; i++) {
    order[i] = i;
    est[i] = 0;
  }
  if (rc == SQLITE_OK && ph->nterm > 1) rc = staged_est(t, &ph, ph->nterm, 1, est);
  for (int i = 1; rc == SQLITE_OK && i < ph->nterm; i++)
    for (int j = i; j > 0 && est[order[j]] < est[order[j - 1]]; j--) {
      int x = order[j];
      order[j] = order[j - 1];
      order[j - 1] = x;
    }
  for (int k = 0; k < ph->nterm && rc == SQLITE_OK; k++) {
    int i = order[k];
    const sqlite3_int64 *f = k == 0 ? only : rows_filter(terms[order[k - 1]].rowid);
    int nf = k == 0 ? nonly : terms[order[k - 1]].n;
    /* A phrase of one term whose rows are taken as they are keeps the poslists as bytes too: most queries never
    ** look at its positions (phrase_hits decodes them for the one that does). */
    int raw = ph->nterm > 1 || (!ph->cols && !ph->initial && !ph->dl.rowid);
    rc = fts5_term_doclist(t, ph->term[i], ph->nbytes[i], ph->isprefix[i], f, f ? nf : 0, raw, est[i], &terms[i]);
  }
  sqlite3_free(order);
  ph->filtered = only != NULL;
  if (rc == SQLITE_OK && ph->nterm == 1 && !ph->cols && !ph->initial && !ph->dl.rowid &&
      rows_all_hit(&terms[0], t->detail)) {
    /* one term and nothing to filter its hits by: its doclist is the phrase's as it is */
    ph->dl = terms[0];
    memset(&terms[0], 0, sizeof terms[0]);
  }
  F5Buf keep = {0};
  /* each term's position reader, then its row (the readers first: they need the stricter alignment) */
  TermPos *tp = sqlite3_malloc64((sizeof(TermPos) + sizeof(int)) * (sqlite3_uint64)(ph->nterm ? ph->nterm : 1));
  if (!tp) rc = SQLITE_NOMEM;
  int *at = tp ? (int *)(void *)(tp + ph->nterm) : NULL;
  for (int i = 0; at && i < ph->nterm; i++) at[i] = 0;
  while (rc == SQLITE_OK && ph->nterm > 0) {
    /* the next rowid every term has */
    if (at[0] >= terms[0].n) break;
    sqlite3_int64 want = terms[0].rowid[at[0]];
    int all = 1, done = 0;
    for (int i = 1; i < ph->nterm && !done; i++) {
      while (at[i] < terms[i].n && terms[i].rowid[at[i]] < want) at[i]++;
      if (at[i] >= terms[i].n)
        done = 1;
      else if (terms[i].rowid[at[i]] > want) {
        all = 0;
        while (at[0] < terms[0].n && terms[0].rowid[at[0]] < terms[i].rowid[at[i]]) at[0]++;
        break;
      }
    }
    if (done) break;
    if (!all) continue;
    /* The row's instances: each position of the first term where every later term i is at that position
    ** plus i.  The positions grow along each poslist, so each term's is read once, in step with the first's. */
    keep.n = 0;
    for (int i = 0; i < ph->nterm; i++) tp_open(&tp[i], &terms[i], at[i], t->ncol);
    int full = t->detail == F5_DETAIL_FULL, k0;
    for (int i = 1; full && i < ph->nterm && rc == SQLITE_OK; i++)
      if (tp_next(&tp[i]) < 0) rc = SQLITE_CORRUPT_VTAB;
    while (rc == SQLITE_OK && (k0 = tp_next(&tp[0])) != 0) {
      if (k0 < 0) {
        rc = SQLITE_CORRUPT_VTAB;
        break;
      }
      sqlite3_int64 h = tp[0].cur;
      int ok = 1, end = 0;
      for (int i = 1; full && ok && i < ph->nterm; i++) {
        TermPos *q = &tp[i];
        while (q->live && q->cur < h + i) {
          int k = tp_next(q);
          if (k < 0) rc = SQLITE_CORRUPT_VTAB;
        }
        if (!q->live) end = 1;
        ok = q->live && q->cur == h + i;
      }
      if (rc != SQLITE_OK || end) break;
      if (ok && ph->cols && !ph->cols[h >> 32]) ok = 0;
      if (ok && ph->initial && (h & 0xFFFFFFFF) != 0) ok = 0;
      if (ok) f5_put(&keep, &h, (int)sizeof h);
    }
    int nk = keep.n / (int)sizeof(sqlite3_int64);
    if (rc == SQLITE_OK && keep.oom)
      rc = SQLITE_NOMEM;
    else if (rc == SQLITE_OK && t->detail == F5_DETAIL_NONE)
      rc = f5_doclist_add(&ph->dl, want, NULL, 0);
    else if (rc == SQLITE_OK && nk > 0)
      rc = f5_doclist_add(&ph->dl, want, (const sqlite3_int64 *)keep.p, nk);
    at[0]++;
  }
  f5_free(&keep);
  sqlite3_free(tp);
  for (int i = 0; i < ph->nterm; i++) f5_doclist_free(&terms[i]);
  sqlite3_free(terms);
  phrase_counters_free(ph);
  ph->loaded = rc == SQLITE_OK;
  return rc;
}

/* The phrase's rows with their positions as hits: a doclist kept raw (phrase_load) is decoded the first time
** they are asked for.  A phrase sharing another's rows takes that one's again (its copy may be of the raw form). */
static int phrase_hits(const Fts5Table *t, F5Phrase *ph) {
  if (ph->shared) {
    int rc = phrase_hits(t, ph->same);
    ph->dl = ph->same->dl;
    return rc;
  }
  if (!ph->dl.raw) return SQLITE_OK;
  int rc = f5_doclist_cook(t, &ph->dl);
  if (rc != SQLITE_OK) ph->loaded = 0;
  return rc;
}

/* Instances of the near group's phrase k in a row that fit its window, into
** out (hits, ascending); the phrases' hits in that row are given. */
static int near_filter(const F5Expr *e, const F5Node *n, int k, sqlite3_int64 rowid, F5Buf *out) {
  int np = n->nphr;
  const sqlite3_int64 *h[64];
  int nh[64], len[64];
  if (np > 64) np = 64;
  for (int i = 0; i < np; i++) {
    F5Phrase *ph = e->ph[n->phr[i]];
    int rc = phrase_hits(e->t, ph);
    if (rc != SQLITE_OK) return rc;
    int r = find_row(&ph->dl, rowid);
    if (r < 0) return SQLITE_OK;
    h[i] = ph->dl.hit + ph->dl.start[r];
    nh[i] = ph->dl.start[r + 1] - ph->dl.start[r];
    len[i] = ph->nterm;
  }
  if (np == 1) {
    f5_put(out, h[0], nh[0] * (int)sizeof(sqlite3_int64));
    return SQLITE_OK;
  }
  /* x is kept when some anchor A (the end of an instance) has every phrase
  ** with an instance ending at or after A and starting within A + dist. */
  for (int xi = 0; xi < nh[k]; xi++) {
    sqlite3_int64 x = h[k][xi];
    sqlite3_int64 col = x >> 32, xs = x & 0xFFFFFFFF, xe = xs + len[k];
    int kept = 0;
    for (int ai = 0; ai < np && !kept; ai++) {
      for (int aj = 0; aj < nh[ai] && !kept; aj++) {
        if ((h[ai][aj] >> 32) != col) continue;
        sqlite3_int64 A = (h[ai][aj] & 0xFFFFFFFF) + len[ai];
        if (xe < A || xs > A + n->dist) continue;
        int all = 1;
        for (int j = 0; j < np && all; j++) {
          if (j == k) continue;
          int found = 0;
          for (int q = 0; q < nh[j] && !found; q++) {
            if ((h[j][q] >> 32) != col) continue;
            sqlite3_int64 s = h[j][q] & 0xFFFFFFFF;
            found = s + len[j] >= A && s <= A + n->dist;
          }
          all = found;
        }
        kept = all;
      }
    }
    if (kept) f5_put(out, &x, (int)sizeof x);
  }
  return out->oom ? SQLITE_NOMEM : SQLITE_OK;
}

static int rows_push(sqlite3_int64 **rows, int *n, int *cap, sqlite3_int64 r) {
  if (*n == *cap) {
    int c = *cap ? *cap * 2 : 64;
    sqlite3_int64 *g = sqlite3_realloc64(*rows, sizeof(sqlite3_int64) * (sqlite3_uint64)c);
    if (!g) return SQLITE_NOMEM;
    *rows = g;
    *cap = c;
  }
  (*rows)[(*n)++] = r;
  return SQLITE_OK;
}

/* How many rows a node may have, at most cap (an AND its rarer side's). */
static int node_est(F5Expr *e, const F5Node *n, int cap, int *est) {
  int rc = SQLITE_OK, a = 0, b = 0;
  if (n->kind == N_NEAR) {
    *est = cap;
    for (int i = 0; i < n->nphr && rc == SQLITE_OK; i++) {
      rc = phrase_est(e->t, e->ph[n->phr[i]], *est, &a);
      if (a < *est) *est = a;
    }
    return rc;
  }
  if ((rc = node_est(e, n->l, cap, &a)) != SQLITE_OK) return rc;
  if (n->kind == N_NOT) {
    *est = a;
    return rc;
  }
  if (n->kind == N_AND) {
    /* the right side matters only under the left's count */
    if (a > 0 && (rc = node_est(e, n->r, a, &b)) != SQLITE_OK) return rc;
    *est = a < b ? a : b;
    return rc;
  }
  if (a < cap && (rc = node_est(e, n->r, cap - a, &b)) != SQLITE_OK) return rc;
  *est = a + b < cap ? a + b : cap;
  return rc;
}

/* The node's rows; only (ascending, nonly, or NULL) are the rows the rest of
** the query leaves possible: rows outside it may be left out.  An AND reads
** its rarer side first and the other for that side's rows only; the right
** of a NOT is read for its left's rows. */
static int node_eval(F5Expr *e, F5Node *n, const sqlite3_int64 *only, int nonly) {
  int rc = SQLITE_OK, cap = 0;
  sqlite3_free(n->rows);
  n->rows = NULL;
  n->nrows = 0;
  if (n->kind == N_NEAR) {
    /* the rarest phrase first, each other one for the rows of the one read before it */
    int *order = sqlite3_malloc64((sizeof(int) * 2 + sizeof(F5Phrase *)) * (sqlite3_uint64)n->nphr);
    if (!order) return SQLITE_NOMEM;
    int *est = order + n->nphr;
    F5Phrase **phs = (F5Phrase **)(est + n->nphr);
    for (int i = 0; i < n->nphr; i++) {
      phs[i] = e->ph[n->phr[i]];
      est[i] = 0;
    }
    if (n->nphr > 1) rc = staged_est(e->t, phs, n->nphr, 0, est);
    for (int i = 0; i < n->nphr && rc == SQLITE_OK; i++) {
      order[i] = i;
      for (int j = i; j > 0 && est[order[j]] < est[order[j - 1]]; j--) {
        int x = order[j];
        order[j] = order[j - 1];
        order[j - 1] = x;
      }
    }
    for (int k = 0; k < n->nphr && rc == SQLITE_OK; k++) {
      const F5Phrase *prev = k > 0 ? e->ph[n->phr[order[k - 1]]] : NULL;
      rc = phrase_load(e->t, e->ph[n->phr[order[k]]], prev ? rows_filter(prev->dl.rowid) : only, prev ? prev->dl.n : nonly);
    }
    sqlite3_free(order);
    if (rc != SQLITE_OK) return rc;
    F5Phrase *p0 = e->ph[n->phr[0]];
    F5Buf tmp = {0};
    for (int r = 0; r < p0->dl.n && rc == SQLITE_OK; r++) {
      sqlite3_int64 rowid = p0->dl.rowid[r];
      int all = 1;
      for (int i = 1; i < n->nphr && all; i++) all = find_row(&e->ph[n->phr[i]]->dl, rowid) >= 0;
      if (!all) continue;
      if (n->nphr > 1) {
        tmp.n = 0;
        rc = near_filter(e, n, 0, rowid, &tmp);
        if (tmp.n == 0) continue;
      }
      if (rc == SQLITE_OK) rc = rows_push(&n->rows, &n->nrows, &cap, rowid);
    }
    f5_free(&tmp);
    return rc;
  }
  if (n->kind == N_OR) {
    if ((rc = node_eval(e, n->l, only, nonly)) != SQLITE_OK || (rc = node_eval(e, n->r, only, nonly)) != SQLITE_OK)
      return rc;
  } else {
    F5Node *first = n->l, *second = n->r;
    if (n->kind == N_AND) {
      int a, b;
      for (int c = EST_FIRST;; c *= EST_STEP) {
        if (c > EST_CAP) c = EST_CAP;
        if ((rc = node_est(e, n->l, c, &a)) != SQLITE_OK || (rc = node_est(e, n->r, c, &b)) != SQLITE_OK) return rc;
        if (a < c || b < c || c >= EST_CAP) break;
      }
      if (b < a) first = n->r, second = n->l;
    }
    if ((rc = node_eval(e, first, only, nonly)) != SQLITE_OK) return rc;
    if ((rc = node_eval(e, second, rows_filter(first->rows), first->nrows)) != SQLITE_OK) return rc;
  }
  const sqlite3_int64 *a = n->l->rows, *b = n->r->rows;
  int na = n->l->nrows, nb = n->r->nrows, i = 0, j = 0;
  while (rc == SQLITE_OK && (i < na || j < nb)) {
    if (j >= nb || (i < na && a[i] < b[j])) {
      if (n->kind != N_AND) rc = rows_push(&n->rows, &n->nrows, &cap, a[i]);
      i++;
    } else if (i >= na || b[j] < a[i]) {
      if (n->kind == N_OR) rc = rows_push(&n->rows, &n->nrows, &cap, b[j]);
      j++;
    } else {
      if (n->kind != N_NOT) rc = rows_push(&n->rows, &n->nrows, &cap, a[i]);
      i++;
      j++;
    }
  }
  return rc;
}

int fts5_expr_run(Fts5Table *t, F5Expr *e, sqlite3_int64 **rows, int *nrows) {
  (void)t;
  *rows = NULL;
  *nrows = 0;
  if (!e || !e->root) return SQLITE_OK;
  int rc = node_eval(e, e->root, NULL, 0);
  if (rc != SQLITE_OK) return rc;
  /* the root keeps its rows too, for fts5_expr_phrase_active */
  *nrows = e->root->nrows;
  *rows = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)(*nrows ? *nrows : 1));
  if (!*rows) return SQLITE_NOMEM;
  if (*nrows) memcpy(*rows, e->root->rows, sizeof(sqlite3_int64) * (size_t)*nrows);
  return SQLITE_OK;
}

int fts5_expr_phrase_count(F5Expr *e) { return e ? e->nph : 0; }

int fts5_expr_phrase_size(F5Expr *e, int i) { return e && i >= 0 && i < e->nph ? e->ph[i]->nterm : 0; }

int fts5_expr_phrase_inst(F5Expr *e, int i, sqlite3_int64 rowid, int **out, int *n, int *cap) {
  F5Phrase *ph = e->ph[i];
  int rc = phrase_load(e->t, ph, NULL, 0);
  if (rc != SQLITE_OK) return rc;
  F5Buf tmp = {0};
  F5Node *g = e->near[ph->group];
  int k = 0;
  while (k < g->nphr && g->phr[k] != i) k++;
  rc = near_filter(e, g, k, rowid, &tmp);
  const sqlite3_int64 *h = (const sqlite3_int64 *)tmp.p;
  int nh = tmp.n / (int)sizeof(sqlite3_int64);
  if (rc == SQLITE_OK && e->t->detail == F5_DETAIL_NONE && find_row(&ph->dl, rowid) >= 0) {
    /* no positions are kept: one instance in column 0 at offset 0 */
    static const sqlite3_int64 zero = 0;
    h = &zero;
    nh = 1;
  }
  for (int q = 0; rc == SQLITE_OK && q < nh; q++) {
    if (*n + 3 > *cap) {
      int c = *cap ? *cap * 2 : 48;
      int *gr = sqlite3_realloc64(*out, sizeof(int) * (sqlite3_uint64)c);
      if (!gr) {
        rc = SQLITE_NOMEM;
        break;
      }
      *out = gr;
      *cap = c;
    }
    (*out)[(*n)++] = i;
    (*out)[(*n)++] = (int)(h[q] >> 32);
    (*out)[(*n)++] = (int)(h[q] & 0xFFFFFFFF);
  }
  f5_free(&tmp);
  return rc;
}

int fts5_expr_phrase_rows(F5Expr *e, int i, const sqlite3_int64 **rows, int *n) {
  F5Phrase *ph = e->ph[i];
  int rc = SQLITE_OK;
  if (ph->loaded && ph->filtered) {
    /* the phrase's rows of the whole table are asked for: all of them now */
    f5_doclist_free(&ph->dl);
    ph->loaded = ph->filtered = 0;
  }
  rc = phrase_load(e->t, ph, NULL, 0);
  *rows = ph->dl.rowid;
  *n = ph->dl.n;
  return rc;
}

F5Expr *fts5_expr_phrase_expr(F5Expr *e, int i) {
  (void)e;
  (void)i;
  return NULL;
}

void fts5_expr_phrase_term(F5Expr *e, int i, int k, const char **z, int *n, int *prefix) {
  F5Phrase *ph = e->ph[i];
  *z = ph->term[k];
  *n = ph->nbytes[k];
  *prefix = ph->isprefix[k];
}

int fts5_expr_phrase_initial(F5Expr *e, int i) { return e->ph[i]->initial; }

int fts5_expr_phrase_in_col(F5Expr *e, int i, sqlite3_int64 rowid, int col) {
  F5Phrase *ph = e->ph[i];
  if (phrase_load(e->t, ph, NULL, 0) != SQLITE_OK) return 0;
  if (ph->cols && !ph->cols[col]) return 0;
  if (phrase_hits(e->t, ph) != SQLITE_OK) return 0;
  int r = find_row(&ph->dl, rowid);
  if (r < 0) return 0;
  if (e->t->detail == F5_DETAIL_NONE) return 1;
  for (int k = ph->dl.start[r]; k < ph->dl.start[r + 1]; k++)
    if ((ph->dl.hit[k] >> 32) == col) return 1;
  return 0;
}

static int node_has_row(const F5Node *n, sqlite3_int64 rowid) {
  int lo = 0, hi = n->nrows;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (n->rows[mid] < rowid)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n->nrows && n->rows[lo] == rowid;
}

/* Phrases under a branch that did not match the row report no instances,
** nor do those on the right of NOT, as in SQLite. */
static int node_active(const F5Node *n, int i, sqlite3_int64 rowid) {
  if (!n || !node_has_row(n, rowid)) return 0;
  if (n->kind == N_NEAR) {
    for (int k = 0; k < n->nphr; k++)
      if (n->phr[k] == i) return 1;
    return 0;
  }
  if (n->kind == N_NOT) return node_active(n->l, i, rowid);
  return node_active(n->l, i, rowid) || node_active(n->r, i, rowid);
}

int fts5_expr_phrase_active(F5Expr *e, int i, sqlite3_int64 rowid) {
  if (!e->root || !e->root->rows) return 1;
  return node_active(e->root, i, rowid);
}
