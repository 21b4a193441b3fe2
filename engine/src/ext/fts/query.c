/*
** query.c — the query parser: Tantivy's query syntax (fts.h) into a tree
** of FtsQuery nodes.
**
**   query   := seq EOF
**   seq     := or*                         clauses side by side: SHOULD
**   or      := and ("OR" and)*
**   and     := unary ("AND" unary)*        AND's operands: MUST
**   unary   := "NOT" unary | "+" primary | "-" primary | primary
**   primary := [field ":"] ( "(" seq ")" | '"' words '"' ["~" N] | "*" | word ) ["^" number]
**
** A word ends at whitespace or at one of ( ) " ^ and, before the first
** ':', at ':'; a word ending in '*' is a prefix.  A boolean whose clauses
** all exclude is an error, as in Tantivy ("only excluding terms").
*/
#include <stdlib.h>
#include <string.h>

#include "ext/fts/fts.h"
#include "util/util.h"

typedef struct Parser {
  const char *z;
  int n, at;
  int nfields;
  const char *const *fields;
  int rc;
  char *errmsg;
  int depth;
} Parser;

#define MAX_DEPTH 100

void fts_query_free(FtsQuery *q) {
  if (!q) return;
  for (int i = 0; i < q->nchild; i++) fts_query_free(q->child[i]);
  util_free(q->child);
  util_free(q->occur);
  util_free(q->text);
  util_free(q);
}

static int fail(Parser *p, const char *fmt, const char *arg, int len) {
  if (p->rc == LODE_OK) {
    p->rc = LODE_ERROR;
    p->errmsg = util_mprintf(fmt, len, arg);
  }
  return 0;
}

static int syntax_error(Parser *p) { return fail(p, "fts: syntax error in query: %.*s", p->z, p->n); }

static FtsQuery *node(Parser *p, int kind) {
  FtsQuery *q = util_zalloc(sizeof *q);
  if (!q) {
    if (p->rc == LODE_OK) p->rc = LODE_NOMEM;
    return NULL;
  }
  q->kind = kind;
  q->boost = 1.0;
  q->field = -1;
  return q;
}

static int add_child(Parser *p, FtsQuery *b, FtsQuery *c, int occur) {
  if ((b->nchild & (b->nchild - 1)) == 0) {
    int cap = b->nchild ? 2 * b->nchild : 1;
    FtsQuery **ch = util_realloc(b->child, sizeof(FtsQuery *) * (size_t)cap);
    if (ch) b->child = ch;
    int *oc = ch ? util_realloc(b->occur, sizeof(int) * (size_t)cap) : NULL;
    if (oc) b->occur = oc;
    if (!ch || !oc) {
      fts_query_free(c);
      p->rc = LODE_NOMEM;
      return 0;
    }
  }
  b->child[b->nchild] = c;
  b->occur[b->nchild++] = occur;
  return 1;
}

static void skip_space(Parser *p) {
  while (p->at < p->n && (p->z[p->at] == ' ' || p->z[p->at] == '\t' || p->z[p->at] == '\n' || p->z[p->at] == '\r'))
    p->at++;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static int word_end(const Parser *p, int at, int stop_colon) {
  while (at < p->n) {
    char c = p->z[at];
    if (is_space(c) || c == '(' || c == ')' || c == '"' || c == '^' || (stop_colon && c == ':')) break;
    at++;
  }
  return at;
}

/* The keyword kw (AND, OR, NOT) at the cursor, followed by a separator. */
static int at_keyword(const Parser *p, const char *kw) {
  int k = (int)strlen(kw);
  if (p->at + k > p->n || memcmp(p->z + p->at, kw, (size_t)k) != 0) return 0;
  return p->at + k == p->n || is_space(p->z[p->at + k]) || p->z[p->at + k] == '(' || p->z[p->at + k] == '"';
}

static int read_number(Parser *p, double *out) {
  int start = p->at;
  while (p->at < p->n && ((p->z[p->at] >= '0' && p->z[p->at] <= '9') || p->z[p->at] == '.')) p->at++;
  if (p->at == start || p->at - start > 30) return syntax_error(p);
  char buf[32];
  memcpy(buf, p->z + start, (size_t)(p->at - start));
  buf[p->at - start] = 0;
  *out = strtod(buf, NULL);
  return 1;
}

static FtsQuery *parse_seq(Parser *p, int closing);

/* field applies to every leaf of q that names none. */
static void set_field(FtsQuery *q, int field) {
  if (q->kind == FTS_Q_BOOL) {
    for (int i = 0; i < q->nchild; i++) set_field(q->child[i], field);
  } else if (q->field < 0) {
    q->field = field;
  }
}

static FtsQuery *parse_primary(Parser *p) {
  FtsQuery *q = NULL;
  int field = -1;
  skip_space(p);
  if (p->at >= p->n) return syntax_error(p), NULL;
  /* A column filter: name ':' right before what it applies to. */
  int e = word_end(p, p->at, 1);
  if (e > p->at && e < p->n && p->z[e] == ':') {
    const char *name = p->z + p->at;
    int len = e - p->at;
    for (int i = 0; i < p->nfields; i++)
      if ((int)strlen(p->fields[i]) == len && util_strnicmp(p->fields[i], name, (size_t)len) == 0) field = i;
    if (field < 0 && p->nfields >= 0) return fail(p, "fts: no such column in the index: '%.*s'", name, len), NULL;
    p->at = e + 1;
    if (p->at >= p->n || is_space(p->z[p->at])) return syntax_error(p), NULL;
  }
  char c = p->z[p->at];
  if (c == '(') {
    p->at++;
    if (++p->depth > MAX_DEPTH) return fail(p, "fts: query nested too deeply%.*s", "", 0), NULL;
    q = parse_seq(p, 1);
    p->depth--;
    if (!q) return NULL;
    if (p->at >= p->n || p->z[p->at] != ')') {
      fts_query_free(q);
      return syntax_error(p), NULL;
    }
    p->at++;
  } else if (c == '"') {
    int start = ++p->at;
    while (p->at < p->n && p->z[p->at] != '"') p->at++;
    if (p->at >= p->n) return syntax_error(p), NULL;
    if (!(q = node(p, FTS_Q_PHRASE))) return NULL;
    q->text = util_strndup(p->z + start, (size_t)(p->at - start));
    q->ntext = p->at - start;
    p->at++;
    if (!q->text) {
      p->rc = LODE_NOMEM;
      fts_query_free(q);
      return NULL;
    }
    if (p->at < p->n && p->z[p->at] == '~') {
      double slop;
      p->at++;
      if (!read_number(p, &slop)) {
        fts_query_free(q);
        return NULL;
      }
      q->slop = slop > 1e6 ? 1000000 : (int)slop;
    }
  } else if (c == ')' || c == '^' || c == ':') {
    return syntax_error(p), NULL;
  } else {
    int end = word_end(p, p->at, 0);
    int len = end - p->at;
    if (len == 1 && c == '*') {
      q = node(p, FTS_Q_ALL);
    } else {
      int prefix = len > 1 && p->z[end - 1] == '*';
      if ((q = node(p, prefix ? FTS_Q_PREFIX : FTS_Q_TERM))) {
        q->ntext = len - prefix;
        if (!(q->text = util_strndup(p->z + p->at, (size_t)q->ntext))) {
          p->rc = LODE_NOMEM;
          fts_query_free(q);
          q = NULL;
        }
      }
    }
    p->at = end;
    if (!q) return NULL;
  }
  if (p->at < p->n && p->z[p->at] == '^') {
    double boost;
    p->at++;
    if (!read_number(p, &boost)) {
      fts_query_free(q);
      return NULL;
    }
    q->boost *= boost;
  }
  if (field >= 0) set_field(q, field);
  return q;
}

/* unary: its node and how it must occur (*occur: -1 when unmarked). */
static FtsQuery *parse_unary(Parser *p, int *occur) {
  skip_space(p);
  *occur = -1;
  if (at_keyword(p, "NOT")) {
    p->at += 3;
    int inner;
    FtsQuery *q = parse_unary(p, &inner);
    *occur = FTS_MUST_NOT;
    return q;
  }
  if (p->at < p->n && (p->z[p->at] == '+' || p->z[p->at] == '-')) {
    *occur = p->z[p->at] == '+' ? FTS_MUST : FTS_MUST_NOT;
    p->at++;
  }
  return parse_primary(p);
}

static int check_bool(Parser *p, const FtsQuery *b) {
  for (int i = 0; i < b->nchild; i++)
    if (b->occur[i] != FTS_MUST_NOT) return 1;
  return fail(p, "fts: invalid query: only excluding terms given%.*s", "", 0);
}

/* A list of (node, occur) of one operator level, folded into a BOOL (or
** the node itself when it stands alone and is not excluded). */
static FtsQuery *fold(Parser *p, FtsQuery **nodes, int *occurs, int n) {
  if (n == 1 && occurs[0] != FTS_MUST_NOT) return nodes[0];
  FtsQuery *b = node(p, FTS_Q_BOOL);
  for (int i = 0; i < n; i++) {
    if (!b || !add_child(p, b, nodes[i], occurs[i])) {
      for (int j = b ? i + 1 : i; j < n; j++) fts_query_free(nodes[j]);
      fts_query_free(b);
      return NULL;
    }
  }
  if (!check_bool(p, b)) {
    fts_query_free(b);
    return NULL;
  }
  return b;
}

#define MAX_CLAUSES 1024

typedef struct Level {
  FtsQuery *nodes[MAX_CLAUSES];
  int occurs[MAX_CLAUSES];
  int n;
} Level;

static void level_free(Level *l) {
  for (int i = 0; i < l->n; i++) fts_query_free(l->nodes[i]);
  l->n = 0;
}

static int level_add(Parser *p, Level *l, FtsQuery *q, int occur) {
  if (l->n == MAX_CLAUSES) {
    fts_query_free(q);
    return fail(p, "fts: query has too many clauses%.*s", "", 0);
  }
  l->nodes[l->n] = q;
  l->occurs[l->n++] = occur;
  return 1;
}

static FtsQuery *parse_and(Parser *p, int *occur) {
  Level *l = util_malloc(sizeof *l);
  if (!l) return p->rc = LODE_NOMEM, NULL;
  l->n = 0;
  int oc;
  FtsQuery *q = parse_unary(p, &oc);
  if (!q) goto fail;
  *occur = oc;
  skip_space(p);
  if (!at_keyword(p, "AND")) {
    util_free(l);
    return q;
  }
  if (!level_add(p, l, q, oc == FTS_MUST_NOT ? FTS_MUST_NOT : FTS_MUST)) goto fail;
  while (at_keyword(p, "AND")) {
    p->at += 3;
    if (!(q = parse_unary(p, &oc))) goto fail;
    if (!level_add(p, l, q, oc == FTS_MUST_NOT ? FTS_MUST_NOT : FTS_MUST)) goto fail;
    skip_space(p);
  }
  q = fold(p, l->nodes, l->occurs, l->n);
  l->n = 0;
  util_free(l);
  *occur = -1;
  return q;
fail:
  level_free(l);
  util_free(l);
  return NULL;
}

static FtsQuery *parse_or(Parser *p, int *occur) {
  int oc;
  FtsQuery *q = parse_and(p, &oc);
  if (!q) return NULL;
  *occur = oc;
  skip_space(p);
  if (!at_keyword(p, "OR")) return q;
  Level *l = util_malloc(sizeof *l);
  if (!l) {
    fts_query_free(q);
    return p->rc = LODE_NOMEM, NULL;
  }
  l->n = 0;
  if (!level_add(p, l, q, oc < 0 ? FTS_SHOULD : oc)) goto fail;
  while (at_keyword(p, "OR")) {
    p->at += 2;
    if (!(q = parse_and(p, &oc))) goto fail;
    if (!level_add(p, l, q, oc < 0 ? FTS_SHOULD : oc)) goto fail;
    skip_space(p);
  }
  q = fold(p, l->nodes, l->occurs, l->n);
  l->n = 0;
  util_free(l);
  *occur = -1;
  return q;
fail:
  level_free(l);
  util_free(l);
  return NULL;
}

static FtsQuery *parse_seq(Parser *p, int closing) {
  Level *l = util_malloc(sizeof *l);
  if (!l) return p->rc = LODE_NOMEM, NULL;
  l->n = 0;
  for (;;) {
    skip_space(p);
    if (p->at >= p->n || (closing && p->z[p->at] == ')')) break;
    int oc;
    FtsQuery *q = parse_or(p, &oc);
    if (!q || !level_add(p, l, q, oc < 0 ? FTS_SHOULD : oc)) goto fail;
  }
  if (l->n == 0) {
    util_free(l);
    return syntax_error(p), NULL;
  }
  FtsQuery *q = fold(p, l->nodes, l->occurs, l->n);
  l->n = 0;
  util_free(l);
  return q;
fail:
  level_free(l);
  util_free(l);
  return NULL;
}

int fts_query_parse(const char *z, int n, int nfields, const char *const *fields, FtsQuery **out, char **errmsg) {
  Parser p = {z ? z : "", z ? n : 0, 0, nfields, fields, LODE_OK, NULL, 0};
  *out = NULL;
  FtsQuery *q = parse_seq(&p, 0);
  if (q && p.at < p.n) {
    fts_query_free(q);
    q = NULL;
    syntax_error(&p);
  }
  if (!q) {
    if (p.rc == LODE_OK) p.rc = LODE_ERROR;
    if (errmsg) *errmsg = p.errmsg;
    else util_free(p.errmsg);
    return p.rc;
  }
  *out = q;
  return LODE_OK;
}
