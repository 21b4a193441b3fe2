/*
** parser_expr.c — expressions, by precedence climbing over SQLite's operator
** levels (lang_expr.html "Operators"; enum Prec below), loosest first:
**   OR < AND < NOT < (= == != <> IS IN LIKE GLOB MATCH REGEXP BETWEEN ISNULL
**   NOTNULL, NOT NULL) < (< <= > >=) < (& | << >>) < (+ -) < (* / %) < || <
**   COLLATE < unary (- + ~)
** All binary levels are left-associative.  The loop in expr_binding mirrors
** how SQLite's LALR parser reduces: a finished operation becomes the left
** operand of whatever operator follows, so "x IN (1) | 2" is (x IN (1)) | 2
** and "x NOTNULL + 1" is (x NOTNULL) + 1.  A prefix NOT binds everything
** above its level ("NOT a = b" is NOT (a = b), "1 + NOT 0 = 1" is
** 1 + (NOT (0 = 1))); - + ~ bind only the term after them.
**
** Invariants: every recursive descent into a nested construct goes through
** parser_enter() (bounded stack); the height of each complete expression
** tree is checked against EXPR_MAX_HEIGHT so that later recursive passes
** (resolver, codegen) stay bounded too.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "lode.h"
#include "sql/parser_int.h"

#define HEX_DIGITS_MAX 16


Expr *parser_expr_new(Parser *p, ExprKind kind, const char *at) {
  Expr *e = parser_alloc(p, sizeof(*e));
  if (!e) return NULL;
  e->kind = kind;
  e->offset = parser_offset(p, at);
  e->src = p->sql;
  e->from_ddl = p->from_ddl;
  return e;
}

static Expr *expr_binary(Parser *p, int op, Expr *l, Expr *r, const char *at) {
  Expr *e = parser_expr_new(p, EXPR_BINARY, at);
  if (!e) return NULL;
  e->op = op;
  e->left = l;
  e->right = r;
  return e;
}

static Expr *expr_unary_node(Parser *p, ExprKind kind, int op, Expr *l, const char *at) {
  Expr *e = parser_expr_new(p, kind, at);
  if (!e) return NULL;
  e->op = op;
  e->left = l;
  return e;
}

ExprList *parser_exprlist_append(Parser *p, ExprList *list, Expr *e, const char *name, const char *span) {
  if (p->rc != LODE_OK) return list;
  if (!list) {
    list = parser_alloc(p, sizeof(*list));
    if (!list) return NULL;
  }
  list->items = parser_grow(p, list->items, list->n, sizeof(*list->items));
  list->names = parser_grow(p, list->names, list->n, sizeof(*list->names));
  list->spans = parser_grow(p, list->spans, list->n, sizeof(*list->spans));
  if (p->rc != LODE_OK) return list;
  list->items[list->n] = e;
  list->names[list->n] = name;
  list->spans[list->n] = span;
  list->n++;
  return list;
}

ExprList *parser_expr_list(Parser *p) {
  ExprList *list = NULL;
  do {
    list = parser_exprlist_append(p, list, parser_expr(p), NULL, NULL);
  } while (parser_accept(p, TK_COMMA));
  return list;
}

/* ---- literals ------------------------------------------------------------------ */

static void literal_integer(Expr *e) {
  const char *z = e->text;
  uint64_t v = 0;
  int i, overflow = 0;
  if (z[0] == '0' && (z[1] == 'x' || z[1] == 'X')) {
    for (i = 2; z[i] == '0'; i++) {
    }
    if (e->n - i > HEX_DIGITS_MAX) {
      e->too_big = 1;
      return;
    }
    for (; z[i]; i++) {
      int c = z[i];
      v = v * 16 + (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    e->ival = (int64_t)v; /* 64-bit two's complement, as SQLite reads hex */
    return;
  }
  for (i = 0; z[i]; i++) {
    if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, (uint64_t)(z[i] - '0'), &v)) overflow = 1;
  }
  if (overflow || v > (uint64_t)INT64_MAX) {
    e->kind = EXPR_FLOAT; /* too big for INTEGER: SQLite reads it as REAL */
    e->rval = util_text_to_real_prefix(z, (size_t)e->n);
  } else {
    e->ival = (int64_t)v;
  }
}

/* The number of ?NNN, or 0 if it is out of range. */
static int param_number(const Token *t, int max) {
  int i, v = 0;
  for (i = 1; i < t->n; i++) {
    v = v * 10 + (t->z[i] - '0');
    if (v > max) return 0;
  }
  return v;
}

static int param_find(Parser *p, const char *name) {
  int i;
  for (i = 1; i <= p->nparams; i++) {
    if (p->param_names[i] && strcmp(p->param_names[i], name) == 0) return i;
  }
  return 0;
}

/* Assigns e->param_index the way SQLite numbers parameters (parser.h). */
static void literal_param(Parser *p, Expr *e) {
  int idx;
  const char *name = e->text;
  if (e->n == 1) {
    idx = p->nparams + 1;
    name = NULL;
  } else if (e->text[0] == '?') {
    idx = param_number(&p->tok, p->lim.variable_number);
    if (idx < 1) {
      parser_error(p, "variable number must be between ?1 and ?%d", p->lim.variable_number);
      return;
    }
  } else {
    idx = param_find(p, name);
    if (idx == 0) idx = p->nparams + 1;
  }
  if (idx > p->lim.variable_number) {
    parser_error(p, "too many SQL variables");
    return;
  }
  if (idx >= p->param_cap) {
    int cap = p->param_cap ? p->param_cap : 8;
    const char **names;
    while (cap <= idx) cap *= 2;
    names = parser_alloc(p, sizeof(*names) * (size_t)cap);
    if (!names) return;
    if (p->param_names) memcpy(names, p->param_names, sizeof(*names) * (size_t)p->param_cap);
    p->param_names = names;
    p->param_cap = cap;
  }
  if (idx > p->nparams) p->nparams = idx;
  if (!p->param_names[idx]) p->param_names[idx] = name;
  e->param_index = idx;
}

/* Whether the '_' at z stands between two digits (hex digits if hex). */
static int separates_digits(const char *z, int hex) {
  const char *digits = hex ? "0123456789abcdefABCDEF" : "0123456789";
  return z[-1] && z[1] && strchr(digits, z[-1]) && strchr(digits, z[1]);
}

/* A TK_QNUMBER's value: its text without the '_' separators, an INTEGER
** (any hex number) or FLOAT literal, as SQLite's sqlite3DequoteNumber makes
** it.  A '_' not between two digits is "unrecognized token", the message
** naming the text as that in-place rewrite has left it when the last bad '_'
** is met (SQLite goes on after the first), with no position in the text. */
static Expr *literal_qnumber(Parser *p) {
  Token t = p->tok;
  Expr *e = parser_expr_new(p, EXPR_INTEGER, t.z);
  char *z = e ? arena_strndup(p->arena, t.z, (size_t)t.n) : NULL;
  if (!z) {
    parser_nomem(p);
    return NULL;
  }
  int hex = z[0] == '0' && (z[1] == 'x' || z[1] == 'X');
  char *in = z, *out = z, *bad = NULL;
  do {
    if (*in != '_') {
      if (*in == 'e' || *in == 'E' || *in == '.') e->kind = EXPR_FLOAT;
      *out++ = *in;
    } else if (!separates_digits(in, hex)) {
      bad = arena_strndup(p->arena, z, strlen(z));
      if (!bad) {
        parser_nomem(p);
        return NULL;
      }
    }
  } while (*in++);
  if (bad) {
    parser_error(p, "unrecognized token: \"%s\"", bad);
    return NULL;
  }
  if (hex) e->kind = EXPR_INTEGER;
  e->text = z;
  e->n = (int)strlen(z);
  if (e->kind == EXPR_INTEGER) literal_integer(e);
  else e->rval = util_text_to_real_prefix(z, (size_t)e->n);
  parser_advance(p);
  return e;
}

Expr *parser_literal(Parser *p) {
  Token t = p->tok;
  Expr *e;
  static const ExprKind kinds[] = {
      [TK_STRING] = EXPR_STRING, [TK_INTEGER] = EXPR_INTEGER, [TK_FLOAT] = EXPR_FLOAT,
      [TK_BLOB] = EXPR_BLOB,     [TK_VARIABLE] = EXPR_PARAM,
  };
  /* After an error the current token is frozen wherever the error struck
  ** (parser_reset() does not rewind then): it need not be a literal, e.g.
  ** "VALUES ('x' $)" fails while peeking past the string. */
  if (p->rc != LODE_OK) return NULL;
  if (t.code == TK_NULL) {
    parser_advance(p);
    return parser_expr_new(p, EXPR_NULL, t.z);
  }
  if (t.code == TK_QNUMBER) return literal_qnumber(p);
  if (t.code < TK_STRING || t.code > TK_VARIABLE) {
    assert(!"parser_literal called on a token that is no literal");
    parser_syntax_error(p);
    return NULL;
  }
  if (t.code == TK_VARIABLE && t.z[0] == '#' && t.n > 1 && t.z[1] >= '0' && t.z[1] <= '9') {
    /* #NNN names a register in SQLite's internal parses, never a parameter */
    parser_syntax_error(p);
    return NULL;
  }
  e = parser_expr_new(p, kinds[t.code], t.z);
  if (!e) return NULL;
  if (t.code == TK_STRING) {
    e->text = parser_dequote(p, &t);
  } else if (t.code == TK_BLOB) {
    t.z += 2; /* x' ... ' → the hex digits */
    t.n -= 3;
    e->text = arena_strndup(p->arena, t.z, (size_t)t.n);
  } else {
    e->text = arena_strndup(p->arena, t.z, (size_t)t.n);
  }
  if (!e->text) {
    parser_nomem(p);
    return NULL;
  }
  e->n = (int)strlen(e->text);
  if (t.code == TK_INTEGER) literal_integer(e);
  else if (t.code == TK_FLOAT) e->rval = util_text_to_real_prefix(e->text, (size_t)e->n);
  else if (t.code == TK_VARIABLE) literal_param(p, e);
  parser_advance(p);
  return e;
}

/* ---- primaries --------------------------------------------------------------- */

static Expr *primary_function(Parser *p, Expr *f) {
  f->kind = EXPR_FUNCTION;
  parser_advance(p); /* ( */
  if (!parser_enter(p, DEPTH_COST_FUNCTION)) return NULL;
  if (parser_accept(p, TK_STAR)) {
    f->star = 1;
  } else if (p->tok.code != TK_RP) {
    if (parser_accept(p, TK_DISTINCT)) f->distinct = 1;
    else parser_accept(p, TK_ALL);
    if (p->tok.code != TK_RP && p->tok.code != TK_ORDER)
      f->args = parser_expr_list(p); /* f(DISTINCT) parses; codegen rejects it */
    if (f->args && f->args->n > PARSER_MAX_FUNCTION_ARG)
      parser_defer(p, "too many arguments on function %s", f->text ? f->text : "");
    if (parser_accept(p, TK_ORDER)) { /* an aggregate's order of steps; codegen rejects it elsewhere */
      parser_expect(p, TK_BY);
      parser_call_order_by(p, f);
    }
  }
  parser_expect(p, TK_RP);
  parser_leave(p, DEPTH_COST_FUNCTION);
  parser_window_suffix(p, f);
  return f;
}

/* name | name(args) | t.c | s.t.c */
static Expr *primary_name(Parser *p) {
  const char *at = p->tok.z;
  Expr *e = parser_expr_new(p, EXPR_COLUMN, at);
  if (!e) return NULL;
  e->quoted = p->tok.z[0] == '"';
  e->text = parser_dequote(p, &p->tok);
  e->n = e->text ? (int)strlen(e->text) : 0;
  parser_advance(p);
  if (p->tok.code == TK_LP) return primary_function(p, e);
  if (parser_accept(p, TK_DOT)) {
    e->table = e->text;
    e->quoted = p->tok.z[0] == '"';
    e->text = parser_name(p, parser_is_nm);
    if (parser_accept(p, TK_DOT)) { /* schema.table.column */
      e->schema = e->table;
      e->table = e->text;
      e->quoted = p->tok.z[0] == '"';
      e->text = parser_name(p, parser_is_nm);
    }
  }
  if (e->text) e->n = (int)strlen(e->text);
  return e;
}

static Expr *primary_cast(Parser *p) {
  Expr *e = parser_expr_new(p, EXPR_CAST, p->tok.z);
  parser_advance(p);
  parser_expect(p, TK_LP);
  if (!e || !parser_enter(p, DEPTH_COST_FUNCTION)) return NULL;
  e->left = parser_expr(p);
  parser_expect(p, TK_AS);
  e->text = parser_type_name(p);
  if (!e->text) e->text = "";
  e->n = (int)strlen(e->text);
  parser_expect(p, TK_RP);
  parser_leave(p, DEPTH_COST_FUNCTION);
  return e;
}

static Expr *primary_case(Parser *p) {
  Expr *e = parser_expr_new(p, EXPR_CASE, p->tok.z);
  parser_advance(p);
  if (!e || !parser_enter(p, DEPTH_COST_FUNCTION)) return NULL;
  if (p->tok.code != TK_WHEN) e->left = parser_expr(p);
  if (p->tok.code != TK_WHEN) parser_syntax_error(p);
  while (parser_accept(p, TK_WHEN)) {
    e->args = parser_exprlist_append(p, e->args, parser_expr(p), NULL, NULL);
    parser_expect(p, TK_THEN);
    e->args = parser_exprlist_append(p, e->args, parser_expr(p), NULL, NULL);
  }
  if (parser_accept(p, TK_ELSE)) e->right = parser_expr(p);
  parser_expect(p, TK_END);
  parser_leave(p, DEPTH_COST_FUNCTION);
  return e;
}

static Expr *primary_exists(Parser *p) {
  Expr *e = parser_expr_new(p, EXPR_EXISTS, p->tok.z);
  parser_advance(p);
  parser_expect(p, TK_LP);
  if (!e) return NULL;
  if (parser_starts_select(p->tok.code)) e->select = parser_subselect(p);
  else parser_syntax_error(p);
  parser_expect(p, TK_RP);
  return e;
}

/* ( expr ) | ( select ) | ( expr, expr, ... ): the last is a row value,
** whose uses codegen checks ("row value misused"). */
static Expr *primary_paren(Parser *p) {
  const char *at = p->tok.z;
  Expr *e;
  parser_advance(p);
  if (!parser_enter(p, DEPTH_COST_PAREN)) return NULL;
  if (parser_starts_select(p->tok.code)) {
    e = parser_expr_new(p, EXPR_SUBQUERY, at);
    if (e) e->select = parser_subselect(p);
  } else {
    e = parser_expr(p);
    if (p->tok.code == TK_COMMA) {
      Expr *v = parser_expr_new(p, EXPR_VECTOR, at);
      ExprList *rest;
      parser_advance(p);
      rest = parser_expr_list(p);
      if (v && rest && p->rc == LODE_OK) {
        v->args = parser_exprlist_append(p, NULL, e, NULL, NULL);
        for (int i = 0; v->args && i < rest->n; i++) v->args = parser_exprlist_append(p, v->args, rest->items[i], NULL, NULL);
      }
      e = v;
    }
  }
  parser_expect(p, TK_RP);
  parser_leave(p, DEPTH_COST_PAREN);
  return e;
}

/* CURRENT_TIME, CURRENT_DATE, CURRENT_TIMESTAMP: the functions of the same
** names without arguments. */
Expr *parser_ctime(Parser *p) {
  Expr *e = parser_expr_new(p, EXPR_FUNCTION, p->tok.z);
  char *name;
  int i;
  if (!e) return NULL;
  name = arena_strndup(p->arena, p->tok.z, (size_t)p->tok.n);
  if (!name) {
    parser_nomem(p);
    return NULL;
  }
  for (i = 0; name[i]; i++) name[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
  e->text = name;
  e->n = i;
  parser_advance(p);
  return e;
}

/* 'x' is a string, but 'x'.y names a column of table x (SQLite's nm rule). */
static Expr *string_or_name(Parser *p) {
  ParserMark m;
  int dot;
  parser_mark(p, &m);
  parser_advance(p);
  dot = p->tok.code == TK_DOT;
  parser_reset(p, &m);
  return dot ? primary_name(p) : parser_literal(p);
}

/* RAISE(IGNORE) | RAISE(ROLLBACK|ABORT|FAIL, message): trigger bodies only. */
static Expr *primary_raise(Parser *p) {
  Expr *e = parser_expr_new(p, EXPR_RAISE, p->tok.z);
  parser_advance(p);
  parser_expect(p, TK_LP);
  if (parser_accept(p, TK_IGNORE)) {
    if (e) e->op = ONCONFLICT_IGNORE;
  } else {
    int action = p->tok.code == TK_IGNORE || p->tok.code == TK_REPLACE ? -1 : parser_conflict_action(p);
    if (action < 0) parser_syntax_error(p);
    parser_expect(p, TK_COMMA);
    Expr *msg = parser_expr(p);
    if (e) {
      e->op = action;
      e->left = msg;
    }
  }
  parser_expect(p, TK_RP);
  /* Outside a trigger RAISE() fails where it is coded, as in SQLite: names
  ** and ORDER BY terms are resolved first, a CHECK or a view holding one is
  ** created, and a RAISE() that constant folding drops is no error. */
  return e;
}

static Expr *expr_primary(Parser *p) {
  switch (p->tok.code) {
  case TK_STRING:
    return string_or_name(p);
  case TK_NULL: case TK_INTEGER: case TK_FLOAT: case TK_BLOB: case TK_VARIABLE: case TK_QNUMBER:
    return parser_literal(p);
  case TK_LP: return primary_paren(p);
  case TK_CAST: return primary_cast(p);
  case TK_CASE: return primary_case(p);
  case TK_EXISTS: return primary_exists(p);
  case TK_CURRENT_TIME: case TK_CURRENT_DATE: case TK_CURRENT_TIMESTAMP: return parser_ctime(p);
  case TK_RAISE: return primary_raise(p);
  default:
    if (parser_is_id(p->tok.code) || (parser_is_nm(p->tok.code) && p->tok.code != TK_STRING)) {
      return primary_name(p);
    }
    parser_syntax_error(p);
    return NULL;
  }
}

/* ---- operators --------------------------------------------------------------- */

/* Binding strength of SQLite's operator levels (parse.y %left/%right). */
enum Prec {
  PREC_NONE,
  PREC_OR,
  PREC_AND,
  PREC_NOT,     /* prefix NOT */
  PREC_EQ,      /* = == != <> IS IN LIKE GLOB MATCH REGEXP BETWEEN ISNULL NOTNULL, NOT NULL */
  PREC_CMP,     /* < <= > >= */
  PREC_BIT,     /* & | << >> */
  PREC_ADD,     /* + - */
  PREC_MUL,     /* * / % */
  PREC_CONCAT,  /* || */
  PREC_COLLATE, /* x COLLATE name */
};

static int is_like_op(int code) {
  return code == TK_LIKE_KW || code == TK_GLOB || code == TK_REGEXP || code == TK_MATCH;
}

/* The level of a token in operator position, PREC_NONE if it is none. */
static int infix_prec(int code) {
  switch (code) {
  case TK_OR: return PREC_OR;
  case TK_AND: return PREC_AND;
  case TK_EQ: case TK_NE: case TK_IS: case TK_IN: case TK_BETWEEN: case TK_ISNULL: case TK_NOTNULL:
  case TK_NOT:
    return PREC_EQ;
  case TK_LT: case TK_LE: case TK_GT: case TK_GE: return PREC_CMP;
  case TK_BITAND: case TK_BITOR: case TK_LSHIFT: case TK_RSHIFT: return PREC_BIT;
  case TK_PLUS: case TK_MINUS: return PREC_ADD;
  case TK_STAR: case TK_SLASH: case TK_REM: return PREC_MUL;
  case TK_CONCAT: case TK_PTR: return PREC_CONCAT;
  case TK_COLLATE: return PREC_COLLATE;
  default: return is_like_op(code) ? PREC_EQ : PREC_NONE;
  }
}

static Expr *expr_binding(Parser *p, int min);

/* Prefix operators: - + ~ bind only the term after them (so -a COLLATE b
** is (-a) COLLATE b); NOT binds everything above its own level. */
static Expr *expr_prefix(Parser *p) {
  const char *at = p->tok.z;
  int op = p->tok.code;
  Expr *e;
  if (op != TK_MINUS && op != TK_PLUS && op != TK_BITNOT && op != TK_NOT) return expr_primary(p);
  parser_advance(p);
  if (!parser_enter(p, DEPTH_COST_PAREN)) return NULL;
  e = expr_unary_node(p, EXPR_UNARY, op, op == TK_NOT ? expr_binding(p, PREC_NOT) : expr_prefix(p), at);
  parser_leave(p, DEPTH_COST_PAREN);
  return e;
}

static Expr *negate(Parser *p, Expr *e, int negated, const char *at) {
  return negated ? expr_unary_node(p, EXPR_UNARY, TK_NOT, e, at) : e;
}

/* l [NOT] LIKE|GLOB|REGEXP|MATCH r [ESCAPE x] */
static Expr *expr_like(Parser *p, Expr *l, int negated, const char *at) {
  int op = p->tok.code;
  Token name = p->tok;
  Expr *e, *r;
  parser_advance(p);
  r = expr_binding(p, PREC_EQ);
  if (op == TK_REGEXP || op == TK_MATCH) {
    /* "a REGEXP b [ESCAPE c]" calls regexp(b, a[, c]), named as written
    ** (SQLite's messages show "REGEXP" or "regexp" as the query has it). */
    e = parser_expr_new(p, EXPR_FUNCTION, at);
    if (!e) return NULL;
    e->text = arena_strndup(p->arena, name.z, (size_t)name.n);
    if (!e->text) {
      parser_nomem(p);
      return NULL;
    }
    e->n = name.n;
    e->args = parser_exprlist_append(p, NULL, r, NULL, NULL);
    e->args = parser_exprlist_append(p, e->args, l, NULL, NULL);
    if (parser_accept(p, TK_ESCAPE)) e->args = parser_exprlist_append(p, e->args, expr_binding(p, PREC_EQ), NULL, NULL);
    return negate(p, e, negated, at);
  }
  e = expr_unary_node(p, EXPR_LIKE, op, l, at);
  if (!e) return NULL;
  e->right = r;
  e->negated = negated;
  if (parser_accept(p, TK_ESCAPE)) e->escape = expr_binding(p, PREC_EQ);
  return e;
}

/* l [NOT] BETWEEN lo AND hi: lo runs up to the AND, except that an OR in
** it takes the ANDs after it as its own right operand (as SQLite's
** grammar does; "x BETWEEN 1 OR 2 AND 3" is then incomplete). */
static Expr *expr_between(Parser *p, Expr *l, int negated, const char *at) {
  Expr *e = expr_unary_node(p, EXPR_BETWEEN, 0, l, at);
  Expr *lo;
  parser_advance(p);
  lo = expr_binding(p, PREC_AND);
  while (p->tok.code == TK_OR) {
    const char *or_at = p->tok.z;
    parser_advance(p);
    lo = expr_binary(p, TK_OR, lo, expr_binding(p, PREC_OR), or_at);
  }
  parser_expect(p, TK_AND);
  if (!e) return NULL;
  e->negated = negated;
  e->args = parser_exprlist_append(p, NULL, lo, NULL, NULL);
  e->args = parser_exprlist_append(p, e->args, expr_binding(p, PREC_EQ), NULL, NULL);
  return e;
}

/* x IN [schema.]table: SQLite's short form of x IN (SELECT * FROM table),
** the table also a CTE or a view. */
static Expr *expr_in_table(Parser *p, Expr *e) {
  Select *s = parser_alloc(p, sizeof(*s));
  SrcList *from = parser_alloc(p, sizeof(*from));
  SrcItem *item = parser_alloc(p, sizeof(*item));
  Expr *star = parser_expr_new(p, EXPR_STAR, p->tok.z);
  if (!s || !from || !item || !star) return NULL;
  parser_qualified(p, &item->schema, &item->name);
  item->from_ddl = p->from_ddl;
  s->columns = parser_exprlist_append(p, NULL, star, NULL, "*");
  from->n = 1;
  from->items = item;
  s->from = from;
  e->kind = EXPR_IN_SELECT;
  e->select = s;
  return e;
}

/* Whether e is constant as SQLite's parser sees it before names are
** resolved: literals, parameters, TRUE/FALSE and operators over them.  A
** function call is not (its determinism is not known here), nor a row value. */
static int expr_parse_constant(const Expr *e) {
  if (!e) return 1;
  switch (e->kind) {
  case EXPR_NULL: case EXPR_INTEGER: case EXPR_FLOAT: case EXPR_STRING: case EXPR_BLOB: case EXPR_PARAM: return 1;
  case EXPR_COLUMN:
    return !e->table && !e->quoted && e->text && (util_stricmp(e->text, "true") == 0 || util_stricmp(e->text, "false") == 0);
  case EXPR_UNARY: case EXPR_BINARY: case EXPR_ISNULL: case EXPR_NOTNULL: case EXPR_IS: case EXPR_CAST:
  case EXPR_COLLATE: case EXPR_BETWEEN: case EXPR_IN_LIST: case EXPR_LIKE: case EXPR_CASE:
    if (!expr_parse_constant(e->left) || !expr_parse_constant(e->right) || !expr_parse_constant(e->escape)) return 0;
    for (int i = 0; e->args && i < e->args->n; i++)
      if (!expr_parse_constant(e->args->items[i])) return 0;
    return 1;
  default: return 0;
  }
}

/* SQLite's parser turns a list of one element into another form: a constant
** x IN (c) becomes x = +c, so that c's explicit COLLATE counts as in any
** comparison (the unary plus keeps the IN's affinity: c's own is dropped),
** and x IN ((SELECT ...)) is x IN (SELECT ...).  A row value on the left
** keeps the list. */
static Expr *expr_in_single(Parser *p, Expr *e, const char *at) {
  Expr *c = e->args->items[0];
  if (e->left->kind == EXPR_VECTOR) return e;
  if (c->kind == EXPR_SUBQUERY && c->select) {
    e->kind = EXPR_IN_SELECT;
    e->select = c->select;
    e->args = NULL;
    return e;
  }
  if (c->kind == EXPR_VECTOR || !expr_parse_constant(c)) return e;
  Expr *eq = expr_binary(p, TK_EQ, e->left, expr_unary_node(p, EXPR_UNARY, TK_PLUS, c, at), at);
  if (!eq || !e->negated) return eq;
  return expr_unary_node(p, EXPR_UNARY, TK_NOT, eq, at);
}

static Expr *expr_in(Parser *p, Expr *l, int negated, const char *at) {
  Expr *e = expr_unary_node(p, EXPR_IN_LIST, 0, l, at);
  parser_advance(p);
  if (e && p->tok.code != TK_LP && parser_is_id(p->tok.code)) {
    e->negated = negated;
    return expr_in_table(p, e);
  }
  if (!parser_expect(p, TK_LP) || !e) return NULL;
  e->negated = negated;
  if (parser_starts_select(p->tok.code)) {
    e->kind = EXPR_IN_SELECT;
    e->select = parser_subselect(p);
  } else if (p->tok.code == TK_RP) {
    e->args = parser_alloc(p, sizeof(*e->args)); /* x IN () is valid: always false */
  } else if (parser_enter(p, DEPTH_COST_PAREN)) {
    e->args = parser_expr_list(p);
    parser_leave(p, DEPTH_COST_PAREN);
  }
  if (!parser_expect(p, TK_RP)) return e;
  if (e->kind == EXPR_IN_LIST && e->args && e->args->n == 1) return expr_in_single(p, e, at);
  if (e->kind == EXPR_IN_LIST && e->args && e->args->n == 0) {
    /* x IN () is false and x NOT IN () true whatever x is: SQLite's parser
    ** drops x (its names are never resolved, nor renamed by ALTER TABLE). */
    e->kind = EXPR_INTEGER;
    e->ival = e->negated;
    e->text = e->negated ? "1" : "0";
    e->n = 1;
    e->quoted = 1; /* a truth value, as SQLite's TRUE/FALSE: ORDER BY (x IN ()) names no column */
    e->negated = 0;
    e->left = NULL;
    e->args = NULL;
  }
  return e;
}

/* l IS [NOT] [DISTINCT FROM] r; IS NULL and IS NOT NULL get their own kinds. */
static Expr *expr_is(Parser *p, Expr *l, const char *at) {
  int negated;
  Expr *r, *e;
  parser_advance(p);
  negated = parser_accept(p, TK_NOT);
  if (parser_accept(p, TK_DISTINCT)) {
    parser_expect(p, TK_FROM);
    negated = !negated;
  }
  r = expr_binding(p, PREC_EQ);
  if (r && r->kind == EXPR_NULL) return expr_unary_node(p, negated ? EXPR_NOTNULL : EXPR_ISNULL, 0, l, at);
  e = expr_unary_node(p, EXPR_IS, 0, l, at);
  if (!e) return NULL;
  e->right = r;
  e->negated = negated;
  return e;
}

/* The operator after NOT in "x NOT NULL|LIKE|IN|BETWEEN ...". */
static Expr *expr_not_postfix(Parser *p, Expr *e, const char *at) {
  parser_advance(p);
  if (parser_accept(p, TK_NULL)) return expr_unary_node(p, EXPR_NOTNULL, 0, e, at);
  if (is_like_op(p->tok.code)) return expr_like(p, e, 1, at);
  if (p->tok.code == TK_IN) return expr_in(p, e, 1, at);
  if (p->tok.code == TK_BETWEEN) return expr_between(p, e, 1, at);
  parser_syntax_error(p);
  return NULL;
}

static Expr *expr_collate(Parser *p, Expr *l, const char *at) {
  Expr *e;
  parser_advance(p);
  e = expr_unary_node(p, EXPR_COLLATE, 0, l, at);
  if (!e) return NULL;
  e->text = parser_name(p, parser_is_ids);
  e->n = e->text ? (int)strlen(e->text) : 0;
  return e;
}

/* a -> b and a ->> b: calls of the functions "->" and "->>" (as SQLite
** implements them). */
static Expr *expr_ptr(Parser *p, Expr *l, int prec, const char *at) {
  Expr *e = parser_expr_new(p, EXPR_FUNCTION, at);
  int n = p->tok.n;
  parser_advance(p);
  if (!e) return NULL;
  e->text = n == 3 ? "->>" : "->";
  e->n = n;
  e->args = parser_exprlist_append(p, NULL, l, NULL, NULL);
  e->args = parser_exprlist_append(p, e->args, expr_binding(p, prec), NULL, NULL);
  return e;
}

/* One operator applied to the left operand e. */
static Expr *expr_infix(Parser *p, Expr *e, int prec) {
  const char *at = p->tok.z;
  int op = p->tok.code;
  switch (op) {
  case TK_IS: return expr_is(p, e, at);
  case TK_ISNULL: case TK_NOTNULL:
    parser_advance(p);
    return expr_unary_node(p, op == TK_ISNULL ? EXPR_ISNULL : EXPR_NOTNULL, 0, e, at);
  case TK_NOT: return expr_not_postfix(p, e, at);
  case TK_BETWEEN: return expr_between(p, e, 0, at);
  case TK_IN: return expr_in(p, e, 0, at);
  case TK_COLLATE: return expr_collate(p, e, at);
  case TK_PTR: return expr_ptr(p, e, prec, at);
  default:
    if (is_like_op(op)) return expr_like(p, e, 0, at);
    parser_advance(p);
    return expr_binary(p, op, e, expr_binding(p, prec), at);
  }
}

/* Operators binding tighter than min, applied left to right: the result
** of one becomes the left operand of the next, as SQLite's LALR parser
** reduces them (so "x IN (1) | 2" is (x IN (1)) | 2). */
static Expr *expr_binding(Parser *p, int min) {
  Expr *e = expr_prefix(p);
  int prec;
  while ((prec = infix_prec(p->tok.code)) > min) e = expr_infix(p, e, prec);
  return e;
}

/* ---- height check ---------------------------------------------------------------- */

/* Height of the tree, counting at most limit + 1 levels (so the walk's own
** recursion is bounded). */
static int expr_height(const Expr *e, int limit) {
  int h = 0, i;
  if (!e) return 0;
  if (limit <= 0) return 1;
  if (e->left) h = expr_height(e->left, limit - 1);
  if (e->right && h < limit) {
    int r = expr_height(e->right, limit - 1);
    if (r > h) h = r;
  }
  if (e->escape && h < limit) {
    int r = expr_height(e->escape, limit - 1);
    if (r > h) h = r;
  }
  for (i = 0; e->args && i < e->args->n && h < limit; i++) {
    int r = expr_height(e->args->items[i], limit - 1);
    if (r > h) h = r;
  }
  return h + 1;
}

Expr *parser_expr(Parser *p) {
  Expr *e;
  p->expr_level++;
  e = expr_binding(p, PREC_NONE);
  p->expr_level--;
  if (p->expr_level == 0 && p->rc == LODE_OK && expr_height(e, p->lim.expr_depth) > p->lim.expr_depth) {
    parser_error(p, "Expression tree is too large (maximum depth %d)", p->lim.expr_depth);
    return NULL;
  }
  return e;
}
