/*
** parser.c — the entry point sql_parse(), the token stream with SQLite's
** error wording, name and parameter handling, and the short statements
** (INSERT, UPDATE, DELETE, BEGIN, COMMIT, ROLLBACK [TO], SAVEPOINT,
** RELEASE).  Expressions live in parser_expr.c, SELECT in parser_select.c,
** CREATE/DROP/REINDEX/ANALYZE/ALTER/PRAGMA in parser_ddl.c; parser_int.h is
** what they share.
**
** Grammar (recursive descent; see lang_*.html of SQLite):
**   input     := (';')* [stmt] [';' | EOF]
**   stmt      := [EXPLAIN [QUERY PLAN]] (select | insert | update | delete
**                | create | drop | reindex | analyze | alter | begin | commit | rollback
**                | savepoint | release | pragma)
** Invariants: see parser_int.h (one lookahead token, first error wins).
*/
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lode.h"
#include "sql/parser_int.h"

/* ---- token stream ---------------------------------------------------------- */

void parser_advance(Parser *p) {
  int code = TK_SPACE, len = 0;
  const char *z = p->next;
  if (p->rc != LODE_OK) return;
  p->last_end = p->tok.z + p->tok.n;
  while (code == TK_SPACE) {
    z += len;
    len = sql_token_get(z, p->end, &code);
  }
  p->tok.code = code;
  p->tok.z = z;
  p->tok.n = len;
  p->next = z + len;
  if (code == TK_ILLEGAL) parser_error_at(p, z, "unrecognized token: \"%.*s\"", len, z);
}

int parser_accept(Parser *p, int code) {
  if (p->tok.code != code) return 0;
  parser_advance(p);
  return 1;
}

int parser_expect(Parser *p, int code) {
  if (parser_accept(p, code)) return 1;
  parser_syntax_error(p);
  return 0;
}

void parser_syntax_error(Parser *p) {
  if (p->tok.code == TK_EOF) parser_error(p, "incomplete input");
  else parser_error_at(p, p->tok.z, "near \"%.*s\": syntax error", p->tok.n, p->tok.z);
}

static void parser_stop(Parser *p) {
  p->tok.code = TK_EOF;
  p->tok.n = 0;
  p->tok.z = p->end;
  p->next = p->end;
}

static char *format_message(const char *fmt, va_list ap) {
  va_list copy;
  int n;
  char *msg;
  va_copy(copy, ap);
  n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  msg = n >= 0 ? util_malloc((size_t)n + 1) : NULL;
  if (msg) vsnprintf(msg, (size_t)n + 1, fmt, ap);
  return msg;
}

static void parser_verror(Parser *p, const char *z, const char *fmt, va_list ap) {
  if (p->rc != LODE_OK) return;
  p->errmsg = format_message(fmt, ap);
  p->err_offset = z && z >= p->sql && z <= p->end ? (int)(z - p->sql) : -1;
  p->rc = p->errmsg ? LODE_ERROR : LODE_NOMEM;
  parser_stop(p);
}

void parser_error(Parser *p, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  parser_verror(p, NULL, fmt, ap);
  va_end(ap);
}

void parser_error_at(Parser *p, const char *z, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  parser_verror(p, z, fmt, ap);
  va_end(ap);
}

void parser_defer(Parser *p, const char *fmt, ...) {
  va_list ap;
  if (p->rc != LODE_OK || p->deferred) return;
  va_start(ap, fmt);
  p->deferred = format_message(fmt, ap);
  va_end(ap);
  if (!p->deferred) parser_nomem(p);
}

void parser_nomem(Parser *p) {
  if (p->rc == LODE_OK) p->rc = LODE_NOMEM;
  parser_stop(p);
}

void *parser_alloc(Parser *p, size_t n) {
  void *r;
  if (p->rc != LODE_OK) return NULL;
  r = arena_alloc(p->arena, n);
  if (!r) parser_nomem(p);
  return r;
}

/* Room for element n of an array that grows one element at a time; the
** capacity is implied by n (4, 8, 16, ...), so lists need no cap field. */
void *parser_grow(Parser *p, void *arr, int n, size_t elem) {
  void *r;
  if (n > 0 && (n < 4 || (n & (n - 1)) != 0)) return arr;
  r = parser_alloc(p, elem * (size_t)(n < 4 ? 4 : 2 * n));
  if (r && n > 0) memcpy(r, arr, elem * (size_t)n);
  return r;
}

int parser_enter(Parser *p, int cost) {
  p->depth += cost;
  if (p->depth > PARSER_MAX_DEPTH) {
    parser_error(p, "parser stack overflow");
    return 0;
  }
  return 1;
}

void parser_leave(Parser *p, int cost) { p->depth -= cost; }

void parser_mark(Parser *p, ParserMark *m) {
  m->next = p->next;
  m->tok = p->tok;
  m->last_end = p->last_end;
}

void parser_reset(Parser *p, const ParserMark *m) {
  if (p->rc != LODE_OK) return;
  p->next = m->next;
  p->tok = m->tok;
  p->last_end = m->last_end;
}

/* ---- names ----------------------------------------------------------------- */

int parser_is_join_kw(int code) {
  return code == TK_CROSS || code == TK_FULL || code == TK_INNER || code == TK_LEFT ||
         code == TK_NATURAL || code == TK_OUTER || code == TK_RIGHT;
}

int parser_is_id(int code) { return code == TK_ID || code == TK_INDEXED || sql_keyword_fallback(code); }
int parser_is_nm(int code) { return parser_is_id(code) || code == TK_STRING || parser_is_join_kw(code); }
int parser_is_ids(int code) { return code == TK_ID || code == TK_STRING || sql_keyword_fallback(code); }

/* Copies a token into the arena, removing SQLite's quotes: "x", `x`, 'x'
** (doubled quote = one quote) and [x] (no escapes). */
const char *parser_dequote(Parser *p, const Token *t) {
  char q = t->n > 0 ? t->z[0] : 0;
  char *r;
  int i, j;
  if (q != '"' && q != '\'' && q != '`' && q != '[') {
    r = arena_strndup(p->arena, t->z, (size_t)t->n);
    if (!r) parser_nomem(p);
    return r;
  }
  if (q == '[') q = ']';
  r = parser_alloc(p, (size_t)t->n);
  if (!r) return NULL;
  assert(t->n >= 2 && t->z[t->n - 1] == q);
  for (i = 1, j = 0; i < t->n - 1; i++) {
    r[j++] = t->z[i];
    if (t->z[i] == q && q != ']') i++; /* the escaped quote's twin */
  }
  r[j] = 0;
  return r;
}

const char *parser_name(Parser *p, int (*ok)(int)) {
  const char *r;
  if (!ok(p->tok.code)) {
    parser_syntax_error(p);
    return NULL;
  }
  r = parser_dequote(p, &p->tok);
  parser_advance(p);
  return r;
}

const char *parser_list_column(Parser *p) {
  Token at = p->tok;
  const char *name = parser_name(p, parser_is_nm);
  int extra = 0;
  if (parser_accept(p, TK_COLLATE)) {
    parser_name(p, parser_is_ids);
    extra = 1;
  }
  if (parser_accept(p, TK_ASC) || parser_accept(p, TK_DESC)) extra = 1;
  /* Text read back from a schema is taken as it is, as SQLite does. */
  if (extra && name && !p->stored) parser_defer(p, "syntax error after column name \"%.*s\"", (int)at.n, at.z);
  return name;
}

const char *parser_span(Parser *p, const char *start) {
  char *r;
  if (p->rc != LODE_OK) return NULL;
  assert(p->last_end >= start);
  r = arena_strndup(p->arena, start, (size_t)(p->last_end - start));
  if (!r) parser_nomem(p);
  return r;
}

int parser_offset(Parser *p, const char *z) { return (int)(z - p->sql); }

/* [schema.]name */
void parser_qualified(Parser *p, const char **schema, const char **name) {
  *schema = NULL;
  *name = parser_name(p, parser_is_nm);
  if (parser_accept(p, TK_DOT)) {
    *schema = *name;
    *name = parser_name(p, parser_is_nm);
  }
}

void parser_qualified_written(Parser *p, const char **schema, const char **name, const char **written) {
  const char *at = p->tok.z;
  *schema = NULL;
  *name = parser_name(p, parser_is_nm);
  if (parser_accept(p, TK_DOT)) {
    *schema = *name;
    at = p->tok.z;
    *name = parser_name(p, parser_is_nm);
  }
  *written = parser_span(p, at);
}

void parser_index_hint(Parser *p, const char **indexed_by, int *not_indexed) {
  if (parser_accept(p, TK_INDEXED)) {
    parser_expect(p, TK_BY);
    *indexed_by = parser_name(p, parser_is_nm);
  } else if (parser_accept(p, TK_NOT)) {
    parser_expect(p, TK_INDEXED);
    *not_indexed = 1;
  }
}

/* ---- INSERT / UPDATE / DELETE ------------------------------------------------ */

int parser_conflict_action(Parser *p) {
  int code = p->tok.code;
  int r = code == TK_ROLLBACK ? ONCONFLICT_ROLLBACK
          : code == TK_ABORT  ? ONCONFLICT_ABORT
          : code == TK_FAIL   ? ONCONFLICT_FAIL
          : code == TK_IGNORE ? ONCONFLICT_IGNORE
          : code == TK_REPLACE ? ONCONFLICT_REPLACE
                               : -1;
  if (r < 0) parser_syntax_error(p);
  else parser_advance(p);
  return r;
}

static void parse_insert_columns(Parser *p, Stmt *s) {
  do {
    s->columns = parser_grow(p, s->columns, s->ncolumns, sizeof(*s->columns));
    if (!s->columns) return;
    s->columns[s->ncolumns++] = parser_name(p, parser_is_nm);
  } while (parser_accept(p, TK_COMMA));
  parser_expect(p, TK_RP);
}

static void parse_insert_rows(Parser *p, Stmt *s) {
  do {
    ExprList *row;
    if (!parser_expect(p, TK_LP)) return;
    row = parser_expr_list(p);
    if (!parser_expect(p, TK_RP)) return;
    if (s->nrows > 0 && row && row->n != s->rows[0]->n) {
      parser_defer(p, "all VALUES must have the same number of terms");
    }
    s->rows = parser_grow(p, s->rows, s->nrows, sizeof(*s->rows));
    if (!s->rows) return;
    s->rows[s->nrows++] = row;
  } while (parser_accept(p, TK_COMMA));
}

static Expr *parse_where(Parser *p) {
  if (!parser_accept(p, TK_WHERE)) return NULL;
  return parser_expr(p);
}

/* (name, ...) = value: one SET item per name, each taking its term of the
** row value, or its column of the subquery (Expr.subquery_column). */
static void parse_set_row(Parser *p, SetClause **set, int *nset) {
  const char **names = NULL;
  int n = 0;
  do {
    names = parser_grow(p, names, n, sizeof(*names));
    if (!names) return;
    names[n++] = parser_name(p, parser_is_nm);
  } while (parser_accept(p, TK_COMMA));
  parser_expect(p, TK_RP);
  parser_expect(p, TK_EQ);
  Expr *v = parser_expr(p);
  if (!v || p->rc != LODE_OK) return;
  int nvalues = v->kind == EXPR_VECTOR ? v->args->n : 1;
  if (v->kind == EXPR_SUBQUERY && n > 1) nvalues = n; /* its width is checked where it is coded */
  if (nvalues != n) {
    parser_defer(p, "%d columns assigned %d values", n, nvalues);
    return;
  }
  for (int i = 0; i < n; i++) {
    SetClause *c;
    *set = parser_grow(p, *set, *nset, sizeof(**set));
    if (!*set) return;
    c = &(*set)[(*nset)++];
    c->column = names[i];
    if (v->kind == EXPR_VECTOR) {
      c->value = v->args->items[i];
    } else if (v->kind == EXPR_SUBQUERY && n > 1) {
      Expr *col = parser_alloc(p, sizeof(*col));
      if (!col) return;
      *col = *v;
      col->subquery_column = i + 1;
      col->ival = n;
      c->value = col;
    } else {
      c->value = v;
    }
  }
}

/* SET name = expr | (name, ...) = expr, ... (UPDATE, and an upsert's DO UPDATE). */
static void parse_set_list(Parser *p, SetClause **set, int *nset) {
  do {
    SetClause *c;
    if (parser_accept(p, TK_LP)) {
      parse_set_row(p, set, nset);
      continue;
    }
    *set = parser_grow(p, *set, *nset, sizeof(**set));
    if (!*set) return;
    c = &(*set)[(*nset)++];
    c->column = parser_name(p, parser_is_nm);
    parser_expect(p, TK_EQ);
    c->value = parser_expr(p);
  } while (p->rc == LODE_OK && parser_accept(p, TK_COMMA));
}

/* ON CONFLICT [(target) [WHERE e]] DO NOTHING | DO UPDATE SET … [WHERE e],
** repeated; a clause without a target ends the list (a further ON is then a
** syntax error, as in SQLite). */
static void parse_upsert(Parser *p, Stmt *s) {
  Upsert **tail = &s->upsert;
  while (p->rc == LODE_OK && parser_accept(p, TK_ON)) {
    Upsert *u = parser_alloc(p, sizeof(*u));
    if (!u) return;
    *tail = u;
    tail = &u->next;
    parser_expect(p, TK_CONFLICT);
    if (p->tok.code == TK_LP) {
      u->ntarget = parser_indexed_terms(p, &u->target);
      parser_expect(p, TK_RP);
      u->target_where = parse_where(p);
    }
    parser_expect(p, TK_DO);
    if (parser_accept(p, TK_UPDATE)) {
      u->do_update = 1;
      parser_expect(p, TK_SET);
      parse_set_list(p, &u->set, &u->nset);
      u->where = parse_where(p);
    } else {
      parser_expect(p, TK_NOTHING);
    }
    if (!u->ntarget) break;
  }
}

/* Whether the SELECT ends with a FROM item that could take an ON clause. */
static int ends_in_join_operand(const Select *first) {
  const Select *last = first;
  while (last && last->next) last = last->next;
  if (!last || !last->from || last->from->n == 0 || last->from->items[last->from->n - 1].on) return 0;
  return !last->where && !last->group_by && !last->having && !last->norder && !last->limit && !first->norder &&
         !first->limit;
}

/* RETURNING result-column, … (in a trigger body SQLite's grammar has none
** after UPDATE and DELETE: a syntax error there; INSERT's is refused by
** CREATE TRIGGER once the trigger's table and name have passed). */
static void parse_returning(Parser *p, Stmt *s) {
  if (p->in_trigger && s->kind != STMT_INSERT && p->tok.code == TK_RETURNING) {
    parser_syntax_error(p);
    return;
  }
  if (!parser_accept(p, TK_RETURNING)) return;
  do {
    s->returning = parser_result_column(p, s->returning);
  } while (p->rc == LODE_OK && parser_accept(p, TK_COMMA));
}

/* UPDATE / DELETE … [ORDER BY …] [LIMIT …]: SQLite built with
** SQLITE_ENABLE_UPDATE_DELETE_LIMIT (as Debian's and better-sqlite3's are)
** takes them at the end of a statement, never in a trigger body. */
static void parse_order_limit(Parser *p, Stmt *s) {
  if (p->in_trigger || (p->tok.code != TK_ORDER && p->tok.code != TK_LIMIT)) return;
  Select *sel = parser_alloc(p, sizeof(*sel));
  if (!sel) return;
  parser_order_limit(p, sel);
  s->order_limit = sel;
}

static void parse_insert(Parser *p, Stmt *s) {
  s->kind = STMT_INSERT;
  s->on_conflict = ONCONFLICT_UNSET; /* a constraint's own ON CONFLICT applies */
  if (parser_accept(p, TK_REPLACE)) {
    s->on_conflict = ONCONFLICT_REPLACE;
  } else {
    parser_expect(p, TK_INSERT);
    if (parser_accept(p, TK_OR)) s->on_conflict = parser_conflict_action(p);
  }
  parser_expect(p, TK_INTO);
  parser_qualified(p, &s->schema, &s->table);
  if (parser_accept(p, TK_AS)) s->alias = parser_name(p, parser_is_nm);
  if (parser_accept(p, TK_LP)) parse_insert_columns(p, s);
  if (p->tok.code == TK_VALUES) {
    ParserMark m;
    parser_mark(p, &m);
    parser_advance(p);
    parse_insert_rows(p, s);
    int code = p->tok.code;
    if (code == TK_UNION || code == TK_EXCEPT || code == TK_INTERSECT || code == TK_ORDER || code == TK_LIMIT) {
      /* The rows are the first operand of a compound (or are ordered or
      ** limited): the whole is a SELECT, as SQLite parses it. */
      parser_reset(p, &m);
      s->rows = NULL;
      s->nrows = 0;
      s->insert_select = parser_select(p);
    }
  } else if (parser_accept(p, TK_DEFAULT)) {
    if (parser_expect(p, TK_VALUES)) s->default_values = 1;
    parse_returning(p, s); /* no upsert after DEFAULT VALUES */
    return;
  } else if (parser_starts_select(p->tok.code)) {
    s->insert_select = parser_select(p);
    if (p->tok.code == TK_ON && ends_in_join_operand(s->insert_select)) {
      /* SQLite's parsing ambiguity: this ON is the join constraint of the
      ** last FROM item, so an upsert after such a SELECT needs a WHERE. */
      parser_advance(p);
      parser_expr(p);
      if (p->tok.code == TK_EOF || p->tok.code == TK_SEMI) parser_error(p, "a JOIN clause is required before ON");
      else parser_syntax_error(p);
      return;
    }
  } else {
    parser_syntax_error(p);
  }
  parse_upsert(p, s);
  parse_returning(p, s);
}

static void parse_update(Parser *p, Stmt *s) {
  s->kind = STMT_UPDATE;
  parser_expect(p, TK_UPDATE);
  s->on_conflict = ONCONFLICT_UNSET;
  if (parser_accept(p, TK_OR)) s->on_conflict = parser_conflict_action(p);
  parser_qualified(p, &s->schema, &s->table);
  if (parser_accept(p, TK_AS)) s->alias = parser_name(p, parser_is_nm);
  parser_index_hint(p, &s->indexed_by, &s->not_indexed);
  parser_expect(p, TK_SET);
  parse_set_list(p, &s->set, &s->nset);
  if (parser_accept(p, TK_FROM)) s->from = parser_from(p);
  s->where = parse_where(p);
  parse_returning(p, s);
  parse_order_limit(p, s);
}

static void parse_delete(Parser *p, Stmt *s) {
  s->kind = STMT_DELETE;
  parser_expect(p, TK_DELETE);
  parser_expect(p, TK_FROM);
  parser_qualified(p, &s->schema, &s->table);
  if (parser_accept(p, TK_AS)) s->alias = parser_name(p, parser_is_nm);
  parser_index_hint(p, &s->indexed_by, &s->not_indexed);
  s->where = parse_where(p);
  parse_returning(p, s);
  parse_order_limit(p, s);
}

/* The statements a trigger body holds (parser_trigger.c). */
void parser_insert(Parser *p, Stmt *s) { parse_insert(p, s); }
void parser_update(Parser *p, Stmt *s) { parse_update(p, s); }
void parser_delete(Parser *p, Stmt *s) { parse_delete(p, s); }

/* ---- transactions ------------------------------------------------------------ */

static void parse_txn_name(Parser *p) {
  if (parser_accept(p, TK_TRANSACTION) && parser_is_nm(p->tok.code)) parser_advance(p);
}

static void parse_begin(Parser *p, Stmt *s) {
  s->kind = STMT_BEGIN;
  parser_expect(p, TK_BEGIN);
  if (parser_accept(p, TK_DEFERRED)) s->txn_mode = TXN_DEFERRED;
  else if (parser_accept(p, TK_IMMEDIATE)) s->txn_mode = TXN_IMMEDIATE;
  else if (parser_accept(p, TK_EXCLUSIVE)) s->txn_mode = TXN_EXCLUSIVE;
  else if (p->tok.code == TK_ID && p->tok.n == 10 && util_strnicmp(p->tok.z, "concurrent", 10) == 0) {
    parser_advance(p);
    s->txn_mode = TXN_CONCURRENT;
  }
  parse_txn_name(p);
}

static void parse_commit(Parser *p, Stmt *s) {
  s->kind = STMT_COMMIT;
  if (!parser_accept(p, TK_END)) parser_expect(p, TK_COMMIT);
  parse_txn_name(p);
}

/* ROLLBACK [TRANSACTION [name]] [TO [SAVEPOINT] name] */
static void parse_rollback(Parser *p, Stmt *s) {
  s->kind = STMT_ROLLBACK;
  parser_expect(p, TK_ROLLBACK);
  parse_txn_name(p);
  if (parser_accept(p, TK_TO)) {
    s->kind = STMT_ROLLBACK_TO;
    parser_accept(p, TK_SAVEPOINT);
    s->savepoint = parser_name(p, parser_is_nm);
  }
}

/* SAVEPOINT name | RELEASE [SAVEPOINT] name.  As in SQLite, the SAVEPOINT
** after RELEASE is always the keyword, so "RELEASE savepoint" lacks a name. */
static void parse_savepoint(Parser *p, Stmt *s) {
  if (parser_accept(p, TK_SAVEPOINT)) {
    s->kind = STMT_SAVEPOINT;
  } else {
    s->kind = STMT_RELEASE;
    parser_expect(p, TK_RELEASE);
    parser_accept(p, TK_SAVEPOINT);
  }
  s->savepoint = parser_name(p, parser_is_nm);
}

/* ---- statements -------------------------------------------------------------- */

/* WITH … SELECT, WITH … INSERT … SELECT (the CTEs belong to that select);
** before UPDATE, DELETE and INSERT … VALUES the CTEs belong to the statement
** (its subqueries see them). */
static void parse_with_statement(Parser *p, Stmt *s) {
  With *w = parser_with(p);
  if (p->rc != LODE_OK) return;
  switch (p->tok.code) {
  case TK_SELECT: case TK_VALUES:
    s->kind = STMT_SELECT;
    s->select = parser_select(p);
    if (s->select) s->select->with = w;
    return;
  case TK_INSERT: case TK_REPLACE: parse_insert(p, s); break;
  case TK_UPDATE: parse_update(p, s); break;
  case TK_DELETE: parse_delete(p, s); break;
  default: parser_syntax_error(p); return;
  }
  if (s->kind == STMT_INSERT && s->insert_select && !s->insert_select->with) {
    s->insert_select->with = w;
    return;
  }
  s->with = w;
}

static void parse_statement(Parser *p, Stmt *s) {
  if (parser_accept(p, TK_EXPLAIN)) {
    s->explain = 1;
    if (parser_accept(p, TK_QUERY)) {
      parser_expect(p, TK_PLAN);
      s->explain = 2;
    }
  }
  switch (p->tok.code) {
  case TK_WITH: parse_with_statement(p, s); break;
  case TK_SELECT: case TK_VALUES:
    s->kind = STMT_SELECT;
    s->select = parser_select(p);
    break;
  case TK_INSERT: case TK_REPLACE: parse_insert(p, s); break;
  case TK_UPDATE: parse_update(p, s); break;
  case TK_DELETE: parse_delete(p, s); break;
  case TK_CREATE: parser_create(p, s); break;
  case TK_DROP: parser_drop(p, s); break;
  case TK_REINDEX: parser_reindex(p, s); break;
  case TK_ANALYZE: parser_analyze(p, s); break;
  case TK_ALTER: parser_alter(p, s); break;
  case TK_VACUUM: parser_vacuum(p, s); break;
  case TK_ATTACH: case TK_DETACH: parser_attach(p, s); break;
  case TK_BEGIN: parse_begin(p, s); break;
  case TK_COMMIT: case TK_END: parse_commit(p, s); break;
  case TK_ROLLBACK: parse_rollback(p, s); break;
  case TK_SAVEPOINT: case TK_RELEASE: parse_savepoint(p, s); break;
  case TK_PRAGMA: parser_pragma(p, s); break;
  case TK_ID:
    if (p->tok.n == 8 && util_strnicmp(p->tok.z, "optimize", 8) == 0) parser_optimize(p, s);
    else parser_syntax_error(p);
    break;
  default: parser_syntax_error(p); break;
  }
  if (p->tok.code != TK_SEMI && p->tok.code != TK_EOF) parser_syntax_error(p);
}

static void parser_init(Parser *p, Arena *arena, const char *sql, int n) {
  memset(p, 0, sizeof(*p));
  p->lim.column = PARSER_MAX_COLUMN;
  p->lim.expr_depth = EXPR_MAX_HEIGHT;
  p->lim.compound_select = COMPOUND_MAX;
  p->lim.variable_number = PARAM_MAX;
  p->arena = arena;
  p->sql = sql;
  /* Like SQLite, a NUL byte ends the input even when n says more. */
  if (n < 0) {
    p->end = sql + strlen(sql);
  } else {
    const char *nul = memchr(sql, 0, (size_t)n);
    p->end = nul ? nul : sql + n;
  }
  p->next = sql;
  p->tok.z = sql;
  p->last_end = sql;
}

static void finish_params(Parser *p, Stmt *s) {
  s->nparams = p->nparams;
  s->param_names = p->param_names;
  if (!s->param_names && p->nparams == 0) s->param_names = parser_alloc(p, sizeof(*s->param_names));
}

int sql_parse(Arena *arena, const char *sql, int n, Stmt **out, const char **tail, char **errmsg) {
  return sql_parse_at(arena, sql, n, out, tail, errmsg, NULL, NULL);
}

/* parse_text's modes: nodes marked from_ddl; text read back from a schema. */
#define PARSE_MARK_DDL 1
#define PARSE_STORED 2

static int parse_text(Arena *arena, const char *sql, int n, Stmt **out, const char **tail, char **errmsg,
                      const SqlLimits *lim, int *err_offset, int mode);

int sql_parse_schema(Arena *arena, const char *sql, int n, Stmt **out, const char **tail, char **errmsg) {
  return parse_text(arena, sql, n, out, tail, errmsg, NULL, NULL, PARSE_MARK_DDL | PARSE_STORED);
}

int sql_parse_stored(Arena *arena, const char *sql, int n, Stmt **out, const char **tail, char **errmsg) {
  return parse_text(arena, sql, n, out, tail, errmsg, NULL, NULL, PARSE_STORED);
}

int sql_parse_at(Arena *arena, const char *sql, int n, Stmt **out, const char **tail, char **errmsg,
                 const SqlLimits *lim, int *err_offset) {
  return parse_text(arena, sql, n, out, tail, errmsg, lim, err_offset, 0);
}

static int parse_text(Arena *arena, const char *sql, int n, Stmt **out, const char **tail, char **errmsg,
                      const SqlLimits *lim, int *err_offset, int mode) {
  Parser p;
  Stmt *s = NULL;
  const char *start;
  *out = NULL;
  if (errmsg) *errmsg = NULL;
  if (!sql) {
    sql = "";
    n = 0;
  }
  parser_init(&p, arena, sql, n);
  p.from_ddl = (mode & PARSE_MARK_DDL) != 0;
  p.stored = (mode & PARSE_STORED) != 0;
  if (lim) {
    p.lim.column = lim->column < PARSER_MAX_COLUMN ? lim->column : PARSER_MAX_COLUMN;
    if (lim->expr_depth > 0 && lim->expr_depth < EXPR_MAX_HEIGHT) p.lim.expr_depth = lim->expr_depth;
    if (lim->compound_select > 0 && lim->compound_select < COMPOUND_MAX) p.lim.compound_select = lim->compound_select;
    if (lim->variable_number >= 0 && lim->variable_number < PARAM_MAX) p.lim.variable_number = lim->variable_number;
  }
  parser_advance(&p);
  while (p.tok.code == TK_SEMI) parser_advance(&p);
  start = p.tok.z;
  if (p.rc == LODE_OK && p.tok.code != TK_EOF) {
    s = parser_alloc(&p, sizeof(*s));
    if (s) parse_statement(&p, s);
    if (s) s->sql = parser_span(&p, start);
    if (s && p.rc == LODE_OK && (s->kind == STMT_CREATE_TABLE || s->kind == STMT_CREATE_INDEX) && p.tok.z >= start &&
        !(s->sql_through = arena_strndup(p.arena, start, (size_t)(p.tok.z - start))))
      parser_nomem(&p);
    if (s) finish_params(&p, s);
  }
  if (p.rc == LODE_OK && p.deferred) {
    p.rc = LODE_ERROR;
    p.errmsg = p.deferred;
    p.err_offset = -1;
    p.deferred = NULL;
  }
  util_free(p.deferred);
  if (p.rc != LODE_OK) {
    if (err_offset) *err_offset = p.errmsg ? p.err_offset : -1;
    if (errmsg) *errmsg = p.errmsg;
    else util_free(p.errmsg);
    if (tail) *tail = p.end;
    return p.rc;
  }
  if (tail) *tail = p.tok.code == TK_SEMI ? p.tok.z + p.tok.n : p.end;
  *out = s;
  return LODE_OK;
}
