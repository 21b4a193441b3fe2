/*
** parser_select.c — SELECT statements:
**   select   := core (compound core)* [ORDER BY term, ...] [LIMIT e [OFFSET e | , e]]
**   compound := UNION [ALL] | INTERSECT | EXCEPT
**   core     := SELECT [DISTINCT|ALL] column, ... [FROM from] [WHERE e]
**               [GROUP BY e, ...] [HAVING e]
**             | VALUES (e, ...), ...
**   column   := * | name.* | e [[AS] alias]
**   from     := source (join-op source [ON e])*
**   source   := [schema.]name [[AS] alias] [INDEXED BY n | NOT INDEXED]
**             | (select) [[AS] alias]
**   with     := WITH [RECURSIVE] name [(col, ...)] AS [[NOT] MATERIALIZED] (select), ...
**               before a select, attached to its first core (Select.with)
** Tree shape: cores are chained through Select.next, each holding the
** operator that joins it to the next one (compound_op); ORDER BY and LIMIT
** of a compound belong to the whole chain and are stored on its first
** Select.  VALUES rows become cores chained by UNION ALL whose first core
** names its columns column1, column2, ... as SQLite does.
*/
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lode.h"
#include "sql/parser_int.h"

#define VALUES_NAME_MAX 24 /* "column" + up to 11 digits */

int parser_starts_select(int code) { return code == TK_SELECT || code == TK_VALUES || code == TK_WITH; }

Select *parser_subselect(Parser *p) {
  Select *s;
  int level = p->expr_level;
  if (!parser_enter(p, DEPTH_COST_SUBQUERY)) return NULL;
  p->expr_level = 0;
  s = parser_select(p);
  p->expr_level = level;
  parser_leave(p, DEPTH_COST_SUBQUERY);
  return s;
}

/* ---- result columns ------------------------------------------------------------- */

/* "*" or "name.*" at the start of a result column; NULL (and the scanner
** back where it was) for anything else. */
static Expr *result_star(Parser *p) {
  ParserMark m;
  Token name = p->tok;
  Expr *e;
  if (p->tok.code == TK_STAR) {
    e = parser_expr_new(p, EXPR_STAR, p->tok.z);
    parser_advance(p);
    return e;
  }
  if (!parser_is_nm(p->tok.code)) return NULL;
  parser_mark(p, &m);
  parser_advance(p);
  if (parser_accept(p, TK_DOT) && p->tok.code == TK_STAR) {
    e = parser_expr_new(p, EXPR_STAR, name.z);
    if (e) e->table = parser_dequote(p, &name);
    parser_advance(p);
    return e;
  }
  parser_reset(p, &m);
  return NULL;
}

/* A result column's text, which names it: as in SQLite, everything from its
** first token up to the token after it, so comments after the expression
** belong to it (a block comment after "1" is part of its name), trailing
** blanks excepted. */
static const char *result_span(Parser *p, const char *start) {
  const char *end = p->tok.z;
  if (p->rc != LODE_OK) return NULL;
  if (!end || end < p->last_end) end = p->last_end;
  while (end > p->last_end && isspace((unsigned char)end[-1])) end--;
  char *r = arena_strndup(p->arena, start, (size_t)(end - start));
  if (!r) parser_nomem(p);
  return r;
}

static ExprList *result_column(Parser *p, ExprList *cols) {
  const char *start = p->tok.z, *alias = NULL, *span;
  Expr *e = result_star(p);
  if (e) return parser_exprlist_append(p, cols, e, NULL, parser_span(p, start));
  e = parser_expr(p);
  span = result_span(p, start);
  if (parser_accept(p, TK_AS)) {
    alias = parser_name(p, parser_is_nm);
  } else if (parser_is_ids(p->tok.code) && !parser_at_window_clause(p)) {
    alias = parser_dequote(p, &p->tok);
    parser_advance(p);
  }
  return parser_exprlist_append(p, cols, e, alias, span);
}

ExprList *parser_result_column(Parser *p, ExprList *cols) { return result_column(p, cols); }

/* ---- FROM ------------------------------------------------------------------------- */

static void source_alias(Parser *p, SrcItem *item) {
  if (parser_accept(p, TK_AS)) {
    item->alias = parser_name(p, parser_is_nm);
  } else if (parser_is_ids(p->tok.code) && !parser_at_window_clause(p)) {
    item->alias = parser_dequote(p, &p->tok);
    parser_advance(p);
  }
}

static SrcList *parse_from(Parser *p);

/* ( sources ): one source in parentheses is that source; a join becomes a
** FROM subquery "SELECT * FROM sources" whose columns keep their tables'
** names (Select.nested_from), unless parse_from splices it into the FROM
** list around it. */
static void source_group(Parser *p, SrcItem *item) {
  SrcList *inner;
  int offset = item->offset, join_type = item->join_type, natural = item->natural;
  if (!parser_enter(p, DEPTH_COST_SUBQUERY)) return;
  inner = parse_from(p);
  parser_leave(p, DEPTH_COST_SUBQUERY);
  if (!inner || p->rc != LODE_OK) return;
  if (inner->n == 1) {
    *item = inner->items[0];
  } else {
    Select *s = parser_alloc(p, sizeof(*s));
    Expr *star = parser_expr_new(p, EXPR_STAR, p->tok.z);
    if (!s || !star) return;
    s->columns = parser_exprlist_append(p, NULL, star, NULL, "*");
    s->from = inner;
    s->nested_from = 1;
    s->sel_id = ++p->nselect;
    memset(item, 0, sizeof *item);
    item->subquery = s;
  }
  item->offset = offset;
  item->join_type = join_type;
  item->natural = natural;
}

static void source(Parser *p, SrcItem *item) {
  item->offset = parser_offset(p, p->tok.z);
  item->from_ddl = p->from_ddl;
  if (parser_accept(p, TK_LP)) {
    if (parser_starts_select(p->tok.code)) item->subquery = parser_subselect(p);
    else source_group(p, item);
    parser_expect(p, TK_RP);
    source_alias(p, item);
    return;
  }
  item->src = p->sql;
  item->name_offset = parser_offset(p, p->tok.z);
  parser_qualified(p, &item->schema, &item->name);
  if (parser_accept(p, TK_LP)) { /* a table-valued function */
    item->is_call = 1;
    while (p->rc == LODE_OK && p->tok.code != TK_RP) {
      item->args = parser_exprlist_append(p, item->args, parser_expr(p), NULL, NULL);
      if (!parser_accept(p, TK_COMMA)) break;
    }
    parser_expect(p, TK_RP);
  }
  source_alias(p, item);
  parser_index_hint(p, &item->indexed_by, &item->not_indexed);
}

/* Words of a join operator, as the bits SQLite gives them: LEFT is a left
** outer join, RIGHT a right one, FULL both, CROSS an inner join that keeps
** its order. */
#define JW_NATURAL 0x01
#define JW_LEFT 0x02
#define JW_OUTER 0x04
#define JW_RIGHT 0x08
#define JW_INNER 0x10
#define JW_CROSS 0x20
#define JOIN_WORDS_MAX 3

static int join_word(const Token *t) {
  static const struct {
    const char *name;
    int bits;
  } words[] = {{"natural", JW_NATURAL},
               {"left", JW_LEFT | JW_OUTER},
               {"outer", JW_OUTER},
               {"right", JW_RIGHT | JW_OUTER},
               {"full", JW_LEFT | JW_RIGHT | JW_OUTER},
               {"inner", JW_INNER},
               {"cross", JW_INNER | JW_CROSS}};
  size_t i;
  for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
    if ((size_t)t->n == strlen(words[i].name) && util_strnicmp(t->z, words[i].name, (size_t)t->n) == 0) {
      return words[i].bits;
    }
  }
  return -1;
}

/* SQLite's grammar takes JOIN_KW [name [name]] JOIN and judges the words
** afterwards ("unknown join type: LEFT O"). */
static int join_type_of(Parser *p, const Token *w, int n, int *natural) {
  int i, bits = 0, bad = 0;
  for (i = 0; i < n; i++) {
    int b = join_word(&w[i]);
    bad |= b < 0;
    bits |= b < 0 ? 0 : b;
  }
  if ((bits & JW_INNER) && (bits & JW_OUTER)) bad = 1;
  if ((bits & JW_OUTER) && !(bits & (JW_LEFT | JW_RIGHT))) bad = 1;
  if (bad) {
    const char *end = w[n - 1].z + w[n - 1].n;
    parser_defer(p, "unknown join type: %.*s", (int)(end - w[0].z), w[0].z);
  }
  *natural = (bits & JW_NATURAL) != 0;
  if ((bits & JW_LEFT) && (bits & JW_RIGHT)) return JOIN_FULL;
  if (bits & JW_LEFT) return JOIN_LEFT;
  if (bits & JW_RIGHT) return JOIN_RIGHT;
  return (bits & JW_CROSS) ? JOIN_CROSS : JOIN_INNER;
}

/* The join operator before the next source: JOIN_*, or 0 at the end. */
static int join_op(Parser *p, int *natural) {
  Token words[JOIN_WORDS_MAX];
  int n = 0;
  *natural = 0;
  if (parser_accept(p, TK_COMMA) || parser_accept(p, TK_JOIN)) return JOIN_INNER;
  if (!parser_is_join_kw(p->tok.code)) return 0;
  while (n < JOIN_WORDS_MAX && (n == 0 || parser_is_nm(p->tok.code))) {
    words[n++] = p->tok;
    parser_advance(p);
  }
  if (!parser_expect(p, TK_JOIN)) return 0;
  return join_type_of(p, words, n, natural);
}

/* USING ( name, ... ) */
static void using_list(Parser *p, SrcItem *item) {
  parser_expect(p, TK_LP);
  do {
    item->using_cols = parser_grow(p, item->using_cols, item->nusing, sizeof(*item->using_cols));
    if (!item->using_cols) return;
    item->using_cols[item->nusing++] = parser_name(p, parser_is_nm);
  } while (parser_accept(p, TK_COMMA));
  parser_expect(p, TK_RP);
}

static SrcList *parse_from(Parser *p) {
  SrcList *from = parser_alloc(p, sizeof(*from));
  int type = 0, natural = 0;
  if (!from) return NULL;
  do {
    SrcItem *item;
    from->items = parser_grow(p, from->items, from->n, sizeof(*from->items));
    if (!from->items) return NULL;
    item = &from->items[from->n++];
    item->join_type = type;
    item->natural = natural;
    source(p, item);
    /* As in SQLite's grammar every item may have ON (an INSERT … SELECT's
    ** upsert then needs a WHERE before it); the first one's is an error. */
    if (parser_accept(p, TK_ON)) {
      if (type == 0) parser_defer(p, "a JOIN clause is required before ON");
      item->on = parser_expr(p);
    } else if (parser_accept(p, TK_USING)) {
      if (type == 0) parser_defer(p, "a JOIN clause is required before USING");
      using_list(p, item);
    }
    /* A parenthesised join first in FROM, with nothing after its ")", is
    ** the FROM list itself (SQLite's parser does the same). */
    if (from->n == 1 && item->subquery && item->subquery->nested_from && !item->alias && !item->on &&
        !item->nusing) {
      SrcList *inner = item->subquery->from;
      from->items = inner->items;
      from->n = inner->n;
    }
    type = join_op(p, &natural);
  } while (type != 0 && p->rc == LODE_OK);
  return from;
}

SrcList *parser_from(Parser *p) { return parse_from(p); }

/* ---- cores ------------------------------------------------------------------------ */

/* VALUES (...), (...): one core per row, chained by UNION ALL. */
static Select *values_core(Parser *p) {
  Select *first = NULL, *last = NULL;
  int i;
  parser_advance(p);
  do {
    Select *s = parser_alloc(p, sizeof(*s));
    if (!parser_expect(p, TK_LP) || !s) return NULL;
    s->values_row = 1;
    s->columns = parser_expr_list(p);
    parser_expect(p, TK_RP);
    s->sel_id = ++p->nselect;
    if (p->rc != LODE_OK) return NULL;
    if (first && s->columns->n != first->columns->n) {
      parser_defer(p, "all VALUES must have the same number of terms");
    }
    if (last) {
      last->compound_op = TK_UNION_ALL;
      last->next = s;
    } else {
      first = s;
    }
    last = s;
  } while (parser_accept(p, TK_COMMA));
  for (i = 0; i < first->columns->n; i++) {
    char name[VALUES_NAME_MAX];
    int n = snprintf(name, sizeof(name), "column%d", i + 1);
    first->columns->names[i] = first->columns->spans[i] = arena_strndup(p->arena, name, (size_t)n);
    if (!first->columns->names[i]) parser_nomem(p);
  }
  return first;
}

static Select *select_core(Parser *p) {
  Select *s;
  if (p->tok.code == TK_VALUES) return values_core(p);
  if (!parser_expect(p, TK_SELECT)) return NULL;
  s = parser_alloc(p, sizeof(*s));
  if (!s) return NULL;
  if (parser_accept(p, TK_DISTINCT)) s->distinct = 1;
  else parser_accept(p, TK_ALL);
  do {
    s->columns = result_column(p, s->columns);
  } while (parser_accept(p, TK_COMMA));
  if (parser_accept(p, TK_FROM)) s->from = parse_from(p);
  if (parser_accept(p, TK_WHERE)) s->where = parser_expr(p);
  if (parser_accept(p, TK_GROUP)) {
    parser_expect(p, TK_BY);
    s->group_by = parser_expr_list(p);
    if (s->group_by && s->group_by->n > p->lim.column) parser_defer(p, "too many terms in GROUP BY clause");
  }
  if (parser_accept(p, TK_HAVING)) s->having = parser_expr(p);
  if (parser_at_window_clause(p)) parser_window_clause(p, s);
  s->sel_id = ++p->nselect;
  return s;
}

/* ---- compound, ORDER BY, LIMIT ------------------------------------------------------ */

static int compound_op(Parser *p) {
  int op = p->tok.code;
  if (op != TK_UNION && op != TK_INTERSECT && op != TK_EXCEPT) return 0;
  parser_advance(p);
  if (op == TK_UNION && parser_accept(p, TK_ALL)) op = TK_UNION_ALL;
  return op;
}

static void order_by(Parser *p, Select *s) {
  do {
    OrderTerm *t;
    s->order_by = parser_grow(p, s->order_by, s->norder, sizeof(*s->order_by));
    if (!s->order_by) return;
    t = &s->order_by[s->norder++];
    t->expr = parser_expr(p);
    if (parser_accept(p, TK_DESC)) t->desc = 1;
    else parser_accept(p, TK_ASC);
    if (parser_accept(p, TK_NULLS)) {
      if (parser_accept(p, TK_FIRST)) t->nulls = 1;
      else if (parser_expect(p, TK_LAST)) t->nulls = 2;
    }
  } while (parser_accept(p, TK_COMMA));
  if (s->norder > p->lim.column) parser_defer(p, "too many terms in ORDER BY clause");
}

static void limit_clause(Parser *p, Select *s) {
  s->limit = parser_expr(p);
  if (parser_accept(p, TK_OFFSET)) {
    s->offset = parser_expr(p);
  } else if (parser_accept(p, TK_COMMA)) { /* LIMIT a, b is OFFSET a LIMIT b */
    s->offset = s->limit;
    s->limit = parser_expr(p);
  }
}

/* [ORDER BY terms] [LIMIT …] of UPDATE and DELETE, into s. */
void parser_order_limit(Parser *p, Select *s) {
  if (parser_accept(p, TK_ORDER)) {
    parser_expect(p, TK_BY);
    order_by(p, s);
  }
  if (parser_accept(p, TK_LIMIT)) limit_clause(p, s);
}

const char *sql_compound_name(int op) {
  switch (op) {
  case TK_UNION_ALL: return "UNION ALL";
  case TK_INTERSECT: return "INTERSECT";
  case TK_EXCEPT: return "EXCEPT";
  default: return "UNION";
  }
}

/* A VALUES list of several rows on the right of a compound operator is one
** operand: "a EXCEPT VALUES (1),(2)" takes both rows away from a, so the rows'
** UNION ALL chain becomes the FROM subquery of a "SELECT *" core. */
static Select *values_operand(Parser *p, Select *rows) {
  Select *s = parser_alloc(p, sizeof(*s));
  SrcList *from = parser_alloc(p, sizeof(*from));
  Expr *star = parser_expr_new(p, EXPR_STAR, p->tok.z);
  if (!s || !from || !star) return NULL;
  from->items = parser_grow(p, NULL, 0, sizeof(*from->items));
  if (!from->items) return NULL;
  from->n = 1;
  from->items[0].subquery = rows;
  s->columns = parser_exprlist_append(p, NULL, star, NULL, "*");
  s->from = from;
  s->sel_id = ++p->nselect;
  return s;
}

/* Cores joined by compound operators, appended to the chain first..last;
** returns 1 if the last core is a VALUES list. */
static int compound_chain(Parser *p, Select **first, Select **last, int *nterms) {
  int op, values = 0;
  do {
    Select *core;
    if (++*nterms > p->lim.compound_select) {
      parser_error(p, "too many terms in compound SELECT");
      return 0;
    }
    values = p->tok.code == TK_VALUES;
    core = select_core(p);
    if (!core) return values;
    if (values && core->next && *last) core = values_operand(p, core);
    if (!core) return values;
    if (*last) (*last)->next = core;
    else *first = core;
    for (*last = core; (*last)->next; *last = (*last)->next) {
    }
    op = compound_op(p);
    (*last)->compound_op = op;
  } while (op != 0);
  return values;
}

/* ---- WITH ----------------------------------------------------------------------------- */

static void parse_cte(Parser *p, Cte *c) {
  c->offset = parser_offset(p, p->tok.z);
  c->name = parser_name(p, parser_is_nm);
  if (parser_accept(p, TK_LP)) {
    do {
      c->cols = parser_grow(p, c->cols, c->ncols, sizeof(*c->cols));
      if (!c->cols) return;
      c->cols[c->ncols++] = parser_list_column(p);
    } while (parser_accept(p, TK_COMMA));
    parser_expect(p, TK_RP);
  }
  parser_expect(p, TK_AS);
  if (parser_accept(p, TK_NOT)) {
    parser_expect(p, TK_MATERIALIZED);
    c->materialized = -1;
  } else if (parser_accept(p, TK_MATERIALIZED)) {
    c->materialized = 1;
  }
  parser_expect(p, TK_LP);
  c->select = parser_subselect(p);
  parser_expect(p, TK_RP);
}

With *parser_with(Parser *p) {
  With *w = parser_alloc(p, sizeof(*w));
  if (!w) return NULL;
  parser_expect(p, TK_WITH);
  w->recursive = parser_accept(p, TK_RECURSIVE);
  do {
    w->ctes = parser_grow(p, w->ctes, w->n, sizeof(*w->ctes));
    if (!w->ctes) return NULL;
    parse_cte(p, &w->ctes[w->n++]);
  } while (parser_accept(p, TK_COMMA) && p->rc == LODE_OK);
  return w;
}

Select *parser_select(Parser *p) {
  Select *head = NULL, *last = NULL;
  int nterms = 0;
  if (p->tok.code == TK_WITH) {
    With *w = parser_with(p);
    if (p->rc != LODE_OK) return NULL;
    if (p->tok.code == TK_WITH) {
      parser_syntax_error(p);
      return NULL;
    }
    head = parser_select(p);
    if (head) head->with = w;
    return head;
  }
  for (;;) {
    int values = compound_chain(p, &head, &last, &nterms), op;
    if (!head || p->rc != LODE_OK || values) return head; /* SQLite: ORDER BY/LIMIT follow a SELECT core */
    if (parser_accept(p, TK_ORDER)) {
      parser_expect(p, TK_BY);
      order_by(p, head);
    }
    if (parser_accept(p, TK_LIMIT)) limit_clause(p, head);
    if ((op = compound_op(p)) == 0) return head;
    /* SQLite parses on and then rejects an ORDER BY/LIMIT before a compound operator */
    parser_defer(p, "%s clause should come after %s not before", head->norder ? "ORDER BY" : "LIMIT",
                 sql_compound_name(op));
    last->compound_op = op;
  }
}
