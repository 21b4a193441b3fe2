/*
** parser_ddl.c — CREATE TABLE, CREATE INDEX, DROP TABLE/INDEX, REINDEX, ANALYZE and PRAGMA:
**   create  := CREATE [TEMP|TEMPORARY] TABLE [IF NOT EXISTS] [schema.]name
**              ( (coldef | tcons) ... ) [WITHOUT ROWID | STRICT] [, ...]
**            | ... AS select
**   coldef  := name [type] ccons*
**   type    := ids+ [( signed [, signed] )]       (kept as written)
**   ccons   := [CONSTRAINT name] (PRIMARY KEY [ASC|DESC] [conflict]
**              [AUTOINCREMENT] | NOT NULL [conflict] | NULL [conflict]
**              | UNIQUE [conflict] | CHECK (e) | DEFAULT default
**              | COLLATE name | REFERENCES fk)
**   tcons   := [CONSTRAINT name] (PRIMARY KEY (terms) [conflict] | UNIQUE (terms)
**              [conflict] | CHECK (e) [conflict] | FOREIGN KEY (cols) REFERENCES fk)
**   cindex  := CREATE [UNIQUE] INDEX [IF NOT EXISTS] [schema.]name ON table
**              ( terms ) [WHERE expr]
**            | CREATE INDEX [IF NOT EXISTS] [schema.]name ON table USING method
**              ( term [WITH p | WITH (p, ...)], ... ) [WITH (p, ...)]
**              where p := name = literal (a column's p also name = word)
**   terms   := expr [COLLATE name] [ASC|DESC] [NULLS FIRST|LAST], ...
**   drop    := DROP (TABLE|INDEX) [IF EXISTS] [schema.]name
**   reindex := REINDEX [[schema.]name]
**   analyze := ANALYZE [[schema.]name]
**   alter   := ALTER TABLE [schema.]name (RENAME TO nm | RENAME [COLUMN] nm TO nm
**              | ADD [COLUMN] coldef)
**   pragma  := PRAGMA [schema.]name [= value | (value)]
** Foreign keys are kept as written (Stmt.fkeys); the ON CONFLICT clauses of PRIMARY
** KEY and UNIQUE constraints are kept (they decide how implied indexes
** merge), those of NOT NULL and CHECK are not.  A column's declared type and
** DEFAULT text are kept exactly as written (SQLite shows them so in PRAGMA
** table_info).  NULLS FIRST/LAST parse in index terms and are refused after
** the parse, as SQLite refuses them.
*/
#include <string.h>

#include "lode.h"
#include "sql/parser_int.h"

/* ---- type names ------------------------------------------------------------------- */

static void signed_number(Parser *p) {
  if (!parser_accept(p, TK_PLUS)) parser_accept(p, TK_MINUS);
  if (p->tok.code == TK_INTEGER || p->tok.code == TK_FLOAT) parser_advance(p);
  else parser_syntax_error(p);
}

/* GENERATED ALWAYS AS starts a column constraint; GENERATED and ALWAYS
** otherwise are names (so "b GENERATED AS (a)" is a column of type
** GENERATED and "c TEXT GENERATED ALWAYS" one of type TEXT, as in SQLite). */
static int at_generated_always(Parser *p) {
  ParserMark m;
  if (p->tok.code != TK_GENERATED) return 0;
  parser_mark(p, &m);
  parser_advance(p);
  int always = p->tok.code == TK_ALWAYS;
  if (always) {
    parser_advance(p);
    always = p->tok.code == TK_AS;
  }
  parser_reset(p, &m);
  return always;
}

/* A declared type, or NULL if there is none. */
const char *parser_type_name(Parser *p) {
  const char *start = p->tok.z;
  if (!parser_is_ids(p->tok.code) || at_generated_always(p)) return NULL;
  while (parser_is_ids(p->tok.code) && !at_generated_always(p)) parser_advance(p);
  if (parser_accept(p, TK_LP)) {
    signed_number(p);
    if (parser_accept(p, TK_COMMA)) signed_number(p);
    parser_expect(p, TK_RP);
  }
  return parser_span(p, start);
}

/* Drops word (case-insensitively) from the end of the n bytes of z, and the
** spaces before it; the new length, or n when z does not end with it. */
static size_t drop_last_word(const char *z, size_t n, const char *word) {
  size_t w = strlen(word);
  if (n < w || util_strnicmp(z + n - w, word, w) != 0) return n;
  n -= w;
  while (n > 0 && (z[n - 1] == ' ' || (z[n - 1] >= '\t' && z[n - 1] <= '\r'))) n--;
  return n;
}

/* A column's declared type loses a trailing "ALWAYS" (and then "GENERATED")
** when it is 16 bytes or longer, as SQLite's column definitions do: the
** words of GENERATED ALWAYS AS that a type name took in ("int generated
** always", "int    Always").  An emptied type is none. */
static const char *column_type(const char *type) {
  if (!type || strlen(type) < 16) return type;
  size_t n = strlen(type), cut = drop_last_word(type, n, "always");
  if (cut == n) return type;
  cut = drop_last_word(type, cut, "generated");
  ((char *)type)[cut] = 0; /* the parser's own copy of the span */
  return cut ? type : NULL;
}

/* ---- constraints -------------------------------------------------------------------- */

/* [ON CONFLICT action]: the ONCONFLICT_* action, or ONCONFLICT_UNSET. */
static int conflict_clause(Parser *p) {
  if (!parser_accept(p, TK_ON)) return ONCONFLICT_UNSET;
  parser_expect(p, TK_CONFLICT);
  return parser_conflict_action(p);
}

/* One index term: expr [COLLATE name] [ASC|DESC] [NULLS FIRST|LAST].  The
** COLLATE clauses at the top of the expression are the term's collation
** (the outermost one wins), as in SQLite. */
static void indexed_term(Parser *p, IndexedColumn *ic) {
  Expr *e = parser_expr(p);
  if (e && e->kind == EXPR_COLLATE) ic->collation = e->text;
  while (e && e->kind == EXPR_COLLATE) e = e->left;
  ic->expr = e;
  if (e && ((e->kind == EXPR_COLUMN && !e->table) || e->kind == EXPR_STRING)) ic->name = e->text;
  if (parser_accept(p, TK_DESC)) ic->desc = 1;
  else parser_accept(p, TK_ASC);
  if (parser_accept(p, TK_NULLS)) {
    if (parser_accept(p, TK_FIRST)) parser_defer(p, "unsupported use of NULLS FIRST");
    else if (parser_expect(p, TK_LAST)) parser_defer(p, "unsupported use of NULLS LAST");
  }
}

/* ( term, ... ): the number of terms, in *terms. */
static int indexed_terms(Parser *p, IndexedColumn **terms) {
  int n = 0;
  parser_expect(p, TK_LP);
  do {
    *terms = parser_grow(p, *terms, n, sizeof(**terms));
    if (!*terms) return 0;
    indexed_term(p, &(*terms)[n++]);
  } while (parser_accept(p, TK_COMMA));
  return n;
}

int parser_indexed_terms(Parser *p, IndexedColumn **terms) { return indexed_terms(p, terms); }

/* PRIMARY KEY (...) / UNIQUE (...): index terms of which SQLite accepts only
** column names (a 'string' counts as a name). */
static void constraint_terms(Parser *p, TableConstraint *t) {
  int i;
  t->ncols = indexed_terms(p, &t->terms);
  /* The constraint's index takes the terms as written, repeats included. */
  if (t->ncols > p->lim.column) parser_defer(p, "too many columns in index");
  t->cols = p->rc == LODE_OK ? parser_alloc(p, sizeof(*t->cols) * (size_t)(t->ncols ? t->ncols : 1)) : NULL;
  for (i = 0; t->cols && i < t->ncols; i++) {
    t->cols[i] = t->terms[i].name;
    if (!t->terms[i].name) parser_defer(p, "expressions prohibited in PRIMARY KEY and UNIQUE constraints");
  }
}

/* SET NULL|SET DEFAULT|CASCADE|RESTRICT|NO ACTION */
static int fk_action(Parser *p) {
  if (parser_accept(p, TK_SET)) {
    if (parser_accept(p, TK_NULL)) return FK_ACTION_SET_NULL;
    parser_expect(p, TK_DEFAULT);
    return FK_ACTION_SET_DEFAULT;
  }
  if (parser_accept(p, TK_NO)) {
    parser_expect(p, TK_ACTION);
    return FK_ACTION_NONE;
  }
  if (parser_accept(p, TK_CASCADE)) return FK_ACTION_CASCADE;
  parser_expect(p, TK_RESTRICT);
  return FK_ACTION_RESTRICT;
}

/* (name [COLLATE x] [ASC|DESC], ...) into a list of names. */
static const char **fk_name_list(Parser *p, int *n) {
  const char **names = NULL;
  *n = 0;
  parser_expect(p, TK_LP);
  do {
    const char *name = parser_list_column(p); /* COLLATE or ASC/DESC: a syntax error */
    names = parser_grow(p, names, *n, sizeof *names);
    if (!names) return NULL;
    names[(*n)++] = name;
  } while (p->rc == LODE_OK && parser_accept(p, TK_COMMA));
  parser_expect(p, TK_RP);
  return names;
}

/* [NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE] at the lookahead: sets
** *deferred (only DEFERRABLE INITIALLY DEFERRED defers) and returns 1; 0,
** consuming nothing, when the lookahead starts no such clause (NOT NULL). */
static int defer_clause(Parser *p, int *deferred) {
  ParserMark m;
  parser_mark(p, &m);
  if (parser_accept(p, TK_NOT) && p->tok.code != TK_DEFERRABLE) {
    parser_reset(p, &m);
    return 0;
  }
  if (!parser_accept(p, TK_DEFERRABLE)) return 0;
  *deferred = 0;
  if (parser_accept(p, TK_INITIALLY)) {
    if (parser_accept(p, TK_DEFERRED)) *deferred = m.tok.code != TK_NOT;
    else parser_expect(p, TK_IMMEDIATE);
  }
  return 1;
}

/* REFERENCES t [(cols)] [ON DELETE|UPDATE|INSERT action | MATCH name]*
** [[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]], for the child columns
** cols[0..ncols) (ON INSERT and MATCH are accepted and ignored, as SQLite
** does; only DEFERRABLE INITIALLY DEFERRED makes the constraint deferred). */
static void references(Parser *p, Stmt *s, const char **cols, int ncols) {
  ForeignKeyDef fk;
  memset(&fk, 0, sizeof fk);
  fk.cols = cols;
  fk.ncols = ncols;
  parser_expect(p, TK_REFERENCES);
  fk.parent = parser_name(p, parser_is_nm);
  if (p->tok.code == TK_LP) fk.parent_cols = fk_name_list(p, &fk.nparent);
  for (;;) {
    if (parser_accept(p, TK_ON)) {
      if (parser_accept(p, TK_DELETE)) fk.on_delete = fk_action(p);
      else if (parser_accept(p, TK_UPDATE)) fk.on_update = fk_action(p);
      else if (parser_expect(p, TK_INSERT)) fk_action(p);
    } else if (parser_accept(p, TK_MATCH)) {
      parser_name(p, parser_is_nm);
    } else {
      break;
    }
  }
  defer_clause(p, &fk.deferred);
  if (p->rc != LODE_OK) return;
  s->fkeys = parser_grow(p, s->fkeys, s->nfkeys, sizeof *s->fkeys);
  if (s->fkeys) s->fkeys[s->nfkeys++] = fk;
}

/* DEFAULT name: TRUE and FALSE are 1 and 0, any other name is a string. */
static Expr *default_name(Parser *p, const char *start) {
  Token t = p->tok;
  int truth = t.n == 4 && util_strnicmp(t.z, "true", 4) == 0;
  int falsity = t.n == 5 && util_strnicmp(t.z, "false", 5) == 0;
  Expr *e = parser_expr_new(p, truth || falsity ? EXPR_INTEGER : EXPR_STRING, start);
  if (e) {
    e->text = truth ? "1" : falsity ? "0" : parser_dequote(p, &t);
    e->ival = truth;
    if (e->text) e->n = (int)strlen(e->text);
  }
  parser_advance(p);
  return e;
}

/* Whether a DEFAULT (expr) has the same value for every row, as SQLite
** requires: no column (TRUE and FALSE are constants), parameter, subquery
** or window function; other functions are allowed. */
static int default_is_constant(const Expr *e) {
  if (!e) return 1;
  switch (e->kind) {
  case EXPR_COLUMN:
    return !e->table && !e->quoted && (util_stricmp(e->text, "true") == 0 || util_stricmp(e->text, "false") == 0);
  case EXPR_PARAM: case EXPR_STAR: case EXPR_SUBQUERY: case EXPR_EXISTS: case EXPR_IN_SELECT: case EXPR_REGISTER:
  case EXPR_RAISE:
    return 0;
  case EXPR_FUNCTION:
    if (e->over || e->filter) return 0;
    for (int i = 0; e->agg_order && i < e->agg_order->n; i++)
      if (!default_is_constant(e->agg_order->items[i])) return 0;
    break;
  default: break;
  }
  if (!default_is_constant(e->left) || !default_is_constant(e->right) || !default_is_constant(e->escape)) return 0;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (!default_is_constant(e->args->items[i])) return 0;
  return 1;
}

/* DEFAULT (expr) | DEFAULT [+|-] literal | DEFAULT name */
static void column_default(Parser *p, ColumnDef *c) {
  const char *start = p->tok.z;
  int code = p->tok.code;
  if (parser_accept(p, TK_LP)) {
    start = p->tok.z;
    c->default_value = parser_expr(p);
    c->default_span = parser_span(p, start);
    parser_expect(p, TK_RP);
    /* A schema read back is trusted: the check ran when it was created
    ** (and a parameter planted there by other means reads as NULL). */
    if (p->rc == LODE_OK && !p->from_ddl && !p->stored && !default_is_constant(c->default_value))
      parser_error(p, "default value of column [%s] is not constant", c->name);
    return;
  }
  if (code == TK_PLUS || code == TK_MINUS) {
    /* SQLite's grammar signs any term here, not only a number: a string, a
    ** blob, NULL or CURRENT_TIME and the like too (DEFAULT -'5' is -5). */
    parser_advance(p);
    int term = p->tok.code;
    if (term == TK_CURRENT_TIME || term == TK_CURRENT_DATE || term == TK_CURRENT_TIMESTAMP) {
      c->default_value = parser_ctime(p);
    } else if (term == TK_INTEGER || term == TK_FLOAT || term == TK_QNUMBER || term == TK_STRING || term == TK_BLOB ||
               term == TK_NULL) {
      c->default_value = parser_literal(p);
    } else {
      parser_syntax_error(p);
      return;
    }
    if (code == TK_MINUS) {
      Expr *e = parser_expr_new(p, EXPR_UNARY, start);
      if (e) {
        e->op = TK_MINUS;
        e->left = c->default_value;
      }
      c->default_value = e;
    }
  } else if (code == TK_NULL || code == TK_STRING || code == TK_INTEGER || code == TK_FLOAT || code == TK_QNUMBER ||
             code == TK_BLOB) {
    c->default_value = parser_literal(p);
  } else if (code == TK_CURRENT_TIME || code == TK_CURRENT_DATE || code == TK_CURRENT_TIMESTAMP) {
    c->default_value = parser_ctime(p);
  } else if (parser_is_id(code)) {
    c->default_value = default_name(p, start);
  } else {
    parser_syntax_error(p);
    return;
  }
  c->default_span = parser_span(p, start);
}

/* CHECK (expr), of a column or of the table: a table constraint either way,
** named by a preceding CONSTRAINT name, with the expression's text. */
static int check_constraint(Parser *p, Stmt *s) {
  TableConstraint *t;
  const char *start;
  s->constraints = parser_grow(p, s->constraints, s->nconstraints, sizeof(*s->constraints));
  if (!s->constraints) return 0;
  t = &s->constraints[s->nconstraints++];
  t->kind = TC_CHECK;
  t->name = p->constraint_name; /* as in SQLite, a name holds for the rest of its column's constraints */
  if (!parser_expect(p, TK_LP)) return 0;
  start = p->tok.z;
  t->check = parser_expr(p);
  if (p->rc == LODE_OK && p->last_end > start) {
    t->span = arena_strndup(p->arena, start, (size_t)(p->last_end - start));
    if (!t->span) parser_nomem(p);
  }
  return parser_expect(p, TK_RP);
}

/* [GENERATED ALWAYS] AS (expr) [STORED|VIRTUAL].  As in SQLite, any name
** may follow the expression, but only those two mean something; a column
** with a DEFAULT, or generated twice, is refused. */
static void generated(Parser *p, ColumnDef *c) {
  const char *start;
  int bad = c->default_value != NULL || c->generated;
  if (parser_accept(p, TK_GENERATED)) parser_expect(p, TK_ALWAYS);
  parser_expect(p, TK_AS);
  if (!parser_expect(p, TK_LP)) return;
  start = p->tok.z;
  c->gen_expr = parser_expr(p);
  c->gen_span = parser_span(p, start);
  if (!parser_expect(p, TK_RP)) return;
  c->generated = COLGEN_VIRTUAL;
  if (parser_is_id(p->tok.code)) {
    if (p->tok.n == 6 && util_strnicmp(p->tok.z, "stored", 6) == 0) c->generated = COLGEN_STORED;
    else if (!(p->tok.n == 7 && util_strnicmp(p->tok.z, "virtual", 7) == 0)) bad = 1;
    parser_advance(p);
  }
  if (bad) parser_error(p, "error in generated column \"%s\"", c->name);
  else if (c->primary_key) parser_error(p, "generated columns cannot be part of the PRIMARY KEY");
}

/* UNIQUE [conflict] of a column.  Several UNIQUEs of one column imply one
** index, so their explicit actions must agree, as SQLite requires. */
static void column_unique(Parser *p, ColumnDef *c) {
  int action = conflict_clause(p);
  if (action == ONCONFLICT_UNSET) {
    c->unique = 1;
    return;
  }
  if (c->unique && c->unique_conflict != ONCONFLICT_UNSET && c->unique_conflict != action) {
    parser_error(p, "conflicting ON CONFLICT clauses specified");
    return;
  }
  c->unique = 1;
  c->unique_conflict = action;
}

/* One column constraint; 0 when the next token starts none. */
static int column_constraint(Parser *p, Stmt *s, ColumnDef *c) {
  switch (p->tok.code) {
  case TK_CONSTRAINT:
    parser_advance(p);
    p->constraint_name = parser_name(p, parser_is_nm);
    return 1;
  case TK_PRIMARY:
    parser_advance(p);
    parser_expect(p, TK_KEY);
    if (c->generated) parser_error(p, "generated columns cannot be part of the PRIMARY KEY");
    c->primary_key++; /* counted: a second one on the column is "more than one primary key" */
    if (parser_accept(p, TK_DESC)) c->pk_desc = 1;
    else parser_accept(p, TK_ASC);
    c->pk_conflict = conflict_clause(p);
    if (parser_accept(p, TK_AUTOINCREMENT)) c->autoincrement = 1;
    return 1;
  case TK_NOT:
  case TK_DEFERRABLE: {
    /* A deferral standing alone applies to the table's latest foreign key, as in SQLite. */
    int deferred;
    if (defer_clause(p, &deferred)) {
      if (s->nfkeys > 0) s->fkeys[s->nfkeys - 1].deferred = deferred;
      return 1;
    }
    parser_advance(p);
    parser_expect(p, TK_NULL);
    c->not_null = 1;
    c->notnull_conflict = conflict_clause(p);
    return 1;
  }
  case TK_NULL: parser_advance(p); conflict_clause(p); return 1;
  case TK_UNIQUE: parser_advance(p); column_unique(p, c); return 1;
  case TK_CHECK: parser_advance(p); return check_constraint(p, s);
  case TK_DEFAULT:
    parser_advance(p);
    column_default(p, c);
    if (c->generated) parser_error(p, "cannot use DEFAULT on a generated column");
    return 1;
  case TK_COLLATE:
    parser_advance(p);
    c->collation = parser_name(p, parser_is_ids);
    return 1;
  case TK_REFERENCES: {
    const char **col = parser_grow(p, NULL, 0, sizeof *col);
    if (!col) return 0;
    col[0] = c->name;
    references(p, s, col, 1);
    if (p->rc == LODE_OK) s->fkeys[s->nfkeys - 1].column_form = 1;
    return 1;
  }
  case TK_GENERATED: case TK_AS: generated(p, c); return 1;
  default: return 0;
  }
}

static void column_def(Parser *p, Stmt *s) {
  ColumnDef *c;
  s->coldefs = parser_grow(p, s->coldefs, s->ncoldefs, sizeof(*s->coldefs));
  if (!s->coldefs) return;
  c = &s->coldefs[s->ncoldefs++];
  c->pk_conflict = ONCONFLICT_UNSET;
  c->unique_conflict = ONCONFLICT_UNSET;
  c->notnull_conflict = ONCONFLICT_UNSET;
  c->name = parser_name(p, parser_is_nm);
  c->type = column_type(parser_type_name(p));
  while (p->rc == LODE_OK && column_constraint(p, s, c)) {
    c = &s->coldefs[s->ncoldefs - 1]; /* a CHECK may have grown another array, never this one */
  }
  p->constraint_name = NULL;
}

static int starts_table_constraint(int code) {
  return code == TK_CONSTRAINT || code == TK_PRIMARY || code == TK_UNIQUE || code == TK_CHECK ||
         code == TK_FOREIGN;
}

/* PRIMARY KEY (a AUTOINCREMENT) marks column a, as the column form would. */
static void mark_autoincrement(Stmt *s, const char *col) {
  int i;
  for (i = 0; col && i < s->ncoldefs; i++) {
    if (s->coldefs[i].name && util_stricmp(s->coldefs[i].name, col) == 0) s->coldefs[i].autoincrement = 1;
  }
}

/* One table constraint.  As in SQLite, CONSTRAINT name may also stand
** alone (naming nothing, or the constraint that follows without a comma),
** and the last of several names wins. */
static void table_constraint(Parser *p, Stmt *s) {
  TableConstraint *t;
  const char *name = NULL;
  while (p->rc == LODE_OK && parser_accept(p, TK_CONSTRAINT)) name = parser_name(p, parser_is_nm);
  if (name && (p->tok.code == TK_RP || p->tok.code == TK_COMMA)) return;
  if (parser_accept(p, TK_CHECK)) {
    p->constraint_name = name;
    check_constraint(p, s);
    p->constraint_name = NULL;
    conflict_clause(p);
    return;
  }
  if (parser_accept(p, TK_FOREIGN)) {
    int ncols = 0;
    parser_expect(p, TK_KEY);
    const char **cols = fk_name_list(p, &ncols);
    if (p->rc == LODE_OK) references(p, s, cols, ncols);
    return;
  }
  s->constraints = parser_grow(p, s->constraints, s->nconstraints, sizeof(*s->constraints));
  if (!s->constraints) return;
  t = &s->constraints[s->nconstraints++];
  t->name = name;
  if (parser_accept(p, TK_UNIQUE)) {
    t->kind = TC_UNIQUE;
    constraint_terms(p, t);
    parser_expect(p, TK_RP);
  } else if (parser_expect(p, TK_PRIMARY) && parser_expect(p, TK_KEY)) {
    t->kind = TC_PRIMARY_KEY;
    constraint_terms(p, t);
    for (int i = 0; t->cols && i < t->ncols; i++)
      for (int j = 0; t->cols[i] && j < s->ncoldefs; j++)
        if (s->coldefs[j].generated && util_stricmp(s->coldefs[j].name, t->cols[i]) == 0)
          parser_error(p, "generated columns cannot be part of the PRIMARY KEY");
    /* On a key of several columns it marks the last one, which then is no
    ** rowid alias: CREATE TABLE refuses it, as SQLite does. */
    if (parser_accept(p, TK_AUTOINCREMENT) && t->ncols >= 1) mark_autoincrement(s, t->cols[t->ncols - 1]);
    parser_expect(p, TK_RP);
  }
  t->on_conflict = conflict_clause(p);
}

/* WITHOUT ROWID, STRICT, separated by commas; after a comma an option
** must follow. */
static void table_options(Parser *p, Stmt *s) {
  int need = parser_accept(p, TK_COMMA);
  for (;;) {
    Token t;
    int without = parser_accept(p, TK_WITHOUT);
    t = p->tok;
    if (!without && !parser_is_id(t.code)) {
      if (need) parser_syntax_error(p);
      return;
    }
    if (without && t.n == 5 && util_strnicmp(t.z, "rowid", 5) == 0) s->without_rowid = 1;
    else if (!without && t.n == 6 && util_strnicmp(t.z, "strict", 6) == 0) s->strict = 1;
    else if (parser_is_nm(t.code)) parser_defer(p, "unknown table option: %.*s", t.n, t.z);
    else parser_syntax_error(p);
    parser_advance(p);
    if (!parser_accept(p, TK_COMMA)) return;
    need = 1;
  }
}

static void create_body(Parser *p, Stmt *s) {
  parser_expect(p, TK_LP);
  for (;;) {
    if (starts_table_constraint(p->tok.code) && s->ncoldefs > 0) {
      while (p->tok.code != TK_RP && p->rc == LODE_OK) {
        table_constraint(p, s);
        parser_accept(p, TK_COMMA);
      }
      break;
    }
    column_def(p, s);
    if (!parser_accept(p, TK_COMMA)) break;
  }
  if (s->ncoldefs > p->lim.column) parser_defer(p, "too many columns on %s", s->table ? s->table : "");
  parser_expect(p, TK_RP);
  table_options(p, s);
}

/* [IF NOT EXISTS] */
static int if_not_exists(Parser *p) {
  if (!parser_accept(p, TK_IF)) return 0;
  parser_expect(p, TK_NOT);
  parser_expect(p, TK_EXISTS);
  return 1;
}

/* One parameter of an index method, name = literal: an integer, a real
** (either maybe signed), a string or a blob.  column: the parameter is that
** indexed column's (col WITH name = value), named "column.name" for the
** method, and its value may also be a bare word, read as a string
** (tokenizer=simple). */
static void index_param(Parser *p, Stmt *s, const char *column) {
  s->index_params = parser_grow(p, s->index_params, s->nindex_params, sizeof(*s->index_params));
  if (!s->index_params) return;
  IndexParamDef *d = &s->index_params[s->nindex_params++];
  d->name = parser_name(p, parser_is_nm);
  parser_expect(p, TK_EQ);
  if (p->rc != LODE_OK) return;
  if (column) {
    size_t nc = strlen(column), nn = strlen(d->name);
    char *name = parser_alloc(p, nc + nn + 2);
    if (!name) return;
    memcpy(name, column, nc);
    name[nc] = '.';
    memcpy(name + nc + 1, d->name, nn + 1);
    d->name = name;
  }
  d->value = parser_expr(p);
  if (p->rc != LODE_OK) return;
  Expr *v = d->value;
  if (column && v->kind == EXPR_COLUMN && !v->table && !v->quoted) v->kind = EXPR_STRING;
  if (v->kind == EXPR_UNARY && (v->op == TK_MINUS || v->op == TK_PLUS)) v = v->left;
  int literal = v->kind == EXPR_INTEGER || v->kind == EXPR_FLOAT;
  if (v == d->value) literal |= v->kind == EXPR_STRING || v->kind == EXPR_BLOB;
  if (!literal) parser_defer(p, "index method parameter %s must be a literal", d->name);
}

/* An index method's WITH (name = literal, ...). */
static void index_params(Parser *p, Stmt *s) {
  parser_expect(p, TK_LP);
  do index_param(p, s, NULL);
  while (p->rc == LODE_OK && parser_accept(p, TK_COMMA));
  parser_expect(p, TK_RP);
}

/* An index method's columns: ( term [WITH name = value | WITH (name = value, ...)], ... ). */
static int method_terms(Parser *p, Stmt *s) {
  int n = 0;
  parser_expect(p, TK_LP);
  do {
    s->indexed = parser_grow(p, s->indexed, n, sizeof(*s->indexed));
    if (!s->indexed) return 0;
    IndexedColumn *ic = &s->indexed[n++];
    indexed_term(p, ic);
    if (p->rc != LODE_OK || !parser_accept(p, TK_WITH)) continue;
    const char *column = ic->name ? ic->name : "?";
    if (!ic->name) parser_defer(p, "only a column named plainly takes index method parameters");
    if (parser_accept(p, TK_LP)) {
      do index_param(p, s, column);
      while (p->rc == LODE_OK && parser_accept(p, TK_COMMA));
      parser_expect(p, TK_RP);
    } else {
      index_param(p, s, column);
    }
  } while (p->rc == LODE_OK && parser_accept(p, TK_COMMA));
  return n;
}

/* After CREATE [UNIQUE] INDEX.  The table is a bare name: the index lives in
** its table's schema, so SQLite's grammar has no qualifier there. */
static void create_index(Parser *p, Stmt *s) {
  s->kind = STMT_CREATE_INDEX;
  s->if_exists = if_not_exists(p);
  parser_qualified(p, &s->schema, &s->index);
  parser_expect(p, TK_ON);
  s->table = parser_name(p, parser_is_nm);
  if (parser_accept(p, TK_USING)) s->index_method = parser_name(p, parser_is_nm);
  s->nindexed = s->index_method ? method_terms(p, s) : indexed_terms(p, &s->indexed);
  if (s->nindexed > p->lim.column) parser_defer(p, "too many columns in index");
  parser_expect(p, TK_RP);
  if (s->index_method && parser_accept(p, TK_WITH)) index_params(p, s);
  if (!s->index_method && parser_accept(p, TK_WHERE)) s->index_where = parser_expr(p);
}

/* After CREATE [TEMP] VIEW: [IF NOT EXISTS] [schema.]name [(col, ...)] AS select.
** SQLite refuses parameters in a view once the statement has parsed. */
static void create_view(Parser *p, Stmt *s) {
  int nparams = p->nparams;
  s->kind = STMT_CREATE_VIEW;
  s->if_exists = if_not_exists(p);
  parser_qualified_written(p, &s->schema, &s->table, &s->name_written);
  if (parser_accept(p, TK_LP)) {
    do {
      s->columns = parser_grow(p, s->columns, s->ncolumns, sizeof(*s->columns));
      if (!s->columns) return;
      s->columns[s->ncolumns++] = parser_list_column(p);
    } while (parser_accept(p, TK_COMMA));
    parser_expect(p, TK_RP);
  }
  parser_expect(p, TK_AS);
  s->as_select = parser_select(p);
  if (p->nparams > nparams) parser_defer(p, "parameters are not allowed in views");
}

/* CREATE VIRTUAL TABLE [IF NOT EXISTS] [schema.]name USING module [(arg, ...)]:
** an argument is any run of tokens up to a comma outside parentheses, kept
** as its text for the module's constructor. */
static void create_virtual(Parser *p, Stmt *s) {
  if (!parser_expect(p, TK_TABLE)) return;
  s->kind = STMT_CREATE_VTAB;
  s->if_exists = if_not_exists(p);
  parser_qualified_written(p, &s->schema, &s->table, &s->name_written);
  if (!parser_expect(p, TK_USING)) return;
  s->vtab_module = parser_name(p, parser_is_nm);
  if (p->rc != LODE_OK || !parser_accept(p, TK_LP)) return;
  for (;;) {
    const char *start = p->tok.z;
    int depth = 0;
    /* Any token, ";" too, until the closing parenthesis: EOF is incomplete input. */
    while (p->rc == LODE_OK && p->tok.code != TK_EOF &&
           !(depth == 0 && (p->tok.code == TK_COMMA || p->tok.code == TK_RP))) {
      if (p->tok.code == TK_LP) depth++;
      if (p->tok.code == TK_RP) depth--;
      parser_advance(p);
    }
    if (p->rc != LODE_OK) return;
    if (p->tok.code != TK_COMMA && p->tok.code != TK_RP) {
      parser_syntax_error(p);
      return;
    }
    if (p->tok.z > start) {
      const char **grown = parser_grow(p, (void *)s->vtab_args, s->nvtab_args, sizeof(char *));
      const char *arg = parser_span(p, start);
      if (!grown || !arg) return;
      s->vtab_args = grown;
      s->vtab_args[s->nvtab_args++] = arg;
    }
    if (parser_accept(p, TK_RP)) return;
    parser_advance(p);
  }
}

int parser_create(Parser *p, Stmt *s) {
  parser_expect(p, TK_CREATE);
  if (parser_accept(p, TK_VIRTUAL)) {
    create_virtual(p, s);
    return p->rc == LODE_OK;
  }
  if (parser_accept(p, TK_UNIQUE)) {
    s->unique = 1;
    if (parser_expect(p, TK_INDEX)) create_index(p, s);
    return p->rc == LODE_OK;
  }
  if (parser_accept(p, TK_INDEX)) {
    create_index(p, s);
    return p->rc == LODE_OK;
  }
  s->temp = parser_accept(p, TK_TEMP);
  if (p->tok.code == TK_TRIGGER) {
    parser_create_trigger(p, s);
    return p->rc == LODE_OK;
  }
  if (parser_accept(p, TK_VIEW)) {
    create_view(p, s);
    return p->rc == LODE_OK;
  }
  if (!parser_expect(p, TK_TABLE)) return 0;
  s->kind = STMT_CREATE_TABLE;
  s->if_exists = if_not_exists(p);
  parser_qualified_written(p, &s->schema, &s->table, &s->name_written);
  if (parser_accept(p, TK_AS)) s->as_select = parser_select(p);
  else create_body(p, s);
  return p->rc == LODE_OK;
}

int parser_drop(Parser *p, Stmt *s) {
  int index;
  parser_expect(p, TK_DROP);
  if (p->tok.code == TK_TRIGGER) {
    parser_drop_trigger(p, s);
    return p->rc == LODE_OK;
  }
  index = parser_accept(p, TK_INDEX);
  if (!index && parser_accept(p, TK_VIEW)) {
    s->kind = STMT_DROP_VIEW;
  } else {
    if (!index && !parser_expect(p, TK_TABLE)) return 0;
    s->kind = index ? STMT_DROP_INDEX : STMT_DROP_TABLE;
  }
  if (parser_accept(p, TK_IF)) {
    parser_expect(p, TK_EXISTS);
    s->if_exists = 1;
  }
  parser_qualified(p, &s->schema, index ? &s->index : &s->table);
  return p->rc == LODE_OK;
}

/* REINDEX [[schema.]name]: whether the name is a collation, a table or an
** index is for codegen to find out. */
int parser_reindex(Parser *p, Stmt *s) {
  parser_expect(p, TK_REINDEX);
  s->kind = STMT_REINDEX;
  if (p->tok.code != TK_SEMI && p->tok.code != TK_EOF) parser_qualified(p, &s->schema, &s->index);
  return p->rc == LODE_OK;
}

/* OPTIMIZE INDEX [[schema.]name] (Turso's statement for full-text indexes;
** OPTIMIZE is no keyword, so it arrives as a name). */
int parser_optimize(Parser *p, Stmt *s) {
  parser_advance(p);
  parser_expect(p, TK_INDEX);
  s->kind = STMT_OPTIMIZE_INDEX;
  if (p->rc == LODE_OK && p->tok.code != TK_SEMI && p->tok.code != TK_EOF)
    parser_qualified(p, &s->schema, &s->index);
  return p->rc == LODE_OK;
}

/* ANALYZE [[schema.]name]: whether the name is a database, a table or an
** index is decided when the statement is compiled, as for REINDEX. */
int parser_analyze(Parser *p, Stmt *s) {
  parser_expect(p, TK_ANALYZE);
  s->kind = STMT_ANALYZE;
  if (p->tok.code != TK_SEMI && p->tok.code != TK_EOF) parser_qualified(p, &s->schema, &s->index);
  return p->rc == LODE_OK;
}

/* ALTER TABLE [schema.]t (RENAME TO nm | RENAME [COLUMN] nm TO nm | ADD [COLUMN] coldef | DROP [COLUMN] nm) */
int parser_alter(Parser *p, Stmt *s) {
  parser_expect(p, TK_ALTER);
  if (!parser_expect(p, TK_TABLE)) return 0;
  s->kind = STMT_ALTER_TABLE;
  parser_qualified(p, &s->schema, &s->table);
  if (parser_accept(p, TK_ADD)) {
    const char *start;
    parser_accept(p, TK_COLUMN);
    start = p->tok.z;
    s->alter_op = ALTER_ADD_COLUMN;
    column_def(p, s);
    s->alter_coldef = parser_span(p, start);
  } else if (parser_accept(p, TK_DROP)) {
    parser_accept(p, TK_COLUMN);
    s->alter_op = ALTER_DROP_COLUMN;
    s->alter_old = parser_name(p, parser_is_nm);
  } else if (parser_expect(p, TK_RENAME)) {
    if (parser_accept(p, TK_TO)) {
      s->alter_op = ALTER_RENAME_TABLE;
    } else {
      parser_accept(p, TK_COLUMN);
      s->alter_op = ALTER_RENAME_COLUMN;
      s->alter_old = parser_name(p, parser_is_nm);
      parser_expect(p, TK_TO);
    }
    if (p->rc == LODE_OK) {
      const char *start = p->tok.z;
      s->alter_new = parser_name(p, parser_is_nm);
      s->alter_new_raw = parser_span(p, start);
    }
  }
  return p->rc == LODE_OK;
}

/* VACUUM [schema] [INTO expr] */
int parser_vacuum(Parser *p, Stmt *s) {
  parser_expect(p, TK_VACUUM);
  s->kind = STMT_VACUUM;
  if (parser_is_nm(p->tok.code) && p->tok.code != TK_INTO) s->schema = parser_name(p, parser_is_nm);
  if (parser_accept(p, TK_INTO)) s->vacuum_into = parser_expr(p);
  return p->rc == LODE_OK;
}

/* ATTACH [DATABASE] expr AS expr [KEY expr] / DETACH [DATABASE] expr */
int parser_attach(Parser *p, Stmt *s) {
  int attach = p->tok.code == TK_ATTACH;
  parser_advance(p);
  parser_accept(p, TK_DATABASE);
  s->kind = attach ? STMT_ATTACH : STMT_DETACH;
  if (attach) {
    s->attach_file = parser_expr(p);
    parser_expect(p, TK_AS);
  }
  s->attach_name = parser_expr(p);
  if (attach && parser_accept(p, TK_KEY)) s->attach_key = parser_expr(p);
  return p->rc == LODE_OK;
}

/* ---- PRAGMA ----------------------------------------------------------------------- */

/* -9223372036854775808 is an INTEGER although its digits overflow. */
static void negate_number(Expr *e) {
  if (e->kind == EXPR_INTEGER && e->ival == INT64_MIN) { /* -(0x8000000000000000) */
    e->kind = EXPR_FLOAT;
    e->rval = 9223372036854775808.0;
  } else if (e->kind == EXPR_INTEGER) {
    e->ival = -e->ival;
  } else if (util_is_int64_min_digits(e->text)) {
    e->kind = EXPR_INTEGER;
    e->ival = INT64_MIN;
  } else {
    e->rval = -e->rval;
  }
}

/* [+|-] number → INTEGER/FLOAT with the sign folded in (text "-5");
** a name, ON, DELETE, DEFAULT or string → STRING. */
static Expr *pragma_value(Parser *p) {
  const char *start = p->tok.z;
  int code = p->tok.code;
  Expr *e;
  if (code == TK_PLUS || code == TK_MINUS) {
    parser_advance(p);
    if (p->tok.code != TK_INTEGER && p->tok.code != TK_FLOAT) {
      parser_syntax_error(p);
      return NULL;
    }
    e = parser_literal(p);
    if (e && code == TK_MINUS) negate_number(e);
    if (e) e->text = parser_span(p, start);
    if (e && e->text) e->n = (int)strlen(e->text);
    return e;
  }
  if (code == TK_INTEGER || code == TK_FLOAT || code == TK_STRING) return parser_literal(p);
  if (parser_is_nm(code) || code == TK_ON || code == TK_DELETE || code == TK_DEFAULT) {
    e = parser_expr_new(p, EXPR_STRING, start);
    if (!e) return NULL;
    e->text = parser_dequote(p, &p->tok);
    e->n = e->text ? (int)strlen(e->text) : 0;
    parser_advance(p);
    return e;
  }
  parser_syntax_error(p);
  return NULL;
}

int parser_pragma(Parser *p, Stmt *s) {
  parser_expect(p, TK_PRAGMA);
  s->kind = STMT_PRAGMA;
  parser_qualified(p, &s->schema, &s->pragma);
  if (parser_accept(p, TK_EQ)) {
    s->pragma_value = pragma_value(p);
  } else if (parser_accept(p, TK_LP)) {
    s->pragma_value = pragma_value(p);
    parser_expect(p, TK_RP);
  }
  return p->rc == LODE_OK;
}
