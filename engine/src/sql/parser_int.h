/*
** parser_int.h — state shared by the parser's source files (parser.c:
** tokens, errors, names, statements; parser_expr.c: expressions;
** parser_select.c: SELECT; parser_window.c: window syntax; parser_ddl.c: CREATE/DROP/REINDEX/ALTER/PRAGMA).  Not part of
** the module interface: other modules include parser.h only.
**
** Invariants: the parser keeps exactly one token of lookahead (p->tok), as
** SQLite's LALR(1) parser does, so errors are reported at the same token
** SQLite reports them.  After the first error p->rc != LODE_OK, p->tok is
** TK_EOF (every loop stops) and later errors are ignored, so every parse
** function may simply return NULL/0 once p->rc is set.  Errors SQLite
** raises only after a successful parse are deferred (p->deferred) so that
** a later syntax error still wins, as in SQLite.
*/
#ifndef LODE_PARSER_INT_H
#define LODE_PARSER_INT_H

#include "sql/ast.h"
#include "sql/parser.h"
#include "sql/token.h"

typedef struct Token {
  int code;
  const char *z;
  int n;
} Token;

/* SQLite's parser stack holds about 100 entries; nesting costs below are
** calibrated so that the deepest nesting accepted matches sqlite3 3.40. */
#define PARSER_MAX_DEPTH 93
#define DEPTH_COST_PAREN 1
#define DEPTH_COST_FUNCTION 3
#define DEPTH_COST_SUBQUERY 4
#define EXPR_MAX_HEIGHT 1000 /* SQLITE_MAX_EXPR_DEPTH */
#define PARAM_MAX 32766      /* SQLITE_MAX_VARIABLE_NUMBER default */
#define PARSER_MAX_COLUMN 2000      /* SQLITE_MAX_COLUMN: columns, index terms, ORDER/GROUP BY terms */
#define COMPOUND_MAX 500          /* SQLITE_MAX_COMPOUND_SELECT; VALUES rows count as one term */
#define PARSER_MAX_FUNCTION_ARG 1000 /* SQLITE_MAX_FUNCTION_ARG of SQLite 3.53 */

typedef struct Parser {
  Arena *arena;
  const char *sql, *end;
  const char *next;     /* first byte after p->tok */
  Token tok;            /* the lookahead token */
  const char *last_end; /* end of the last consumed token (for spans) */
  int rc;
  char *errmsg;
  int err_offset; /* byte offset of the token the error names (-1: none) */
  char *deferred; /* first error SQLite only reports once the statement parsed (parser_defer) */
  int depth;
  int expr_level; /* parser_expr nesting; heights are checked at level 0 */
  int nparams;
  int param_cap;
  const char **param_names;
  const char *constraint_name; /* CONSTRAINT name awaiting its constraint */
  int in_trigger; /* parsing CREATE TRIGGER: RAISE() is allowed */
  int from_ddl;   /* the text comes from a persistent schema: every Expr gets from_ddl */
  int stored;     /* the text was read back from a schema: what SQLite accepts only then is taken */
  SqlLimits lim;  /* the connection's limits (SQLite's maximums by default) */
  int nselect;    /* SELECT cores numbered so far (Select.sel_id) */
} Parser;

/* Saved scanner position, for the one place that needs two tokens of
** lookahead (t.* in a result list). */
typedef struct ParserMark {
  const char *next;
  Token tok;
  const char *last_end;
} ParserMark;

/* parser.c */
void parser_advance(Parser *p);
int parser_accept(Parser *p, int code);
int parser_expect(Parser *p, int code);
void parser_syntax_error(Parser *p);
void parser_error(Parser *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* An error about the token at z: its offset is reported with the message. */
void parser_error_at(Parser *p, const char *z, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Records an error SQLite raises after parsing (row value misused, unknown
** table option, ...): reported only if no syntax error comes first. */
void parser_defer(Parser *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void parser_nomem(Parser *p);
void *parser_alloc(Parser *p, size_t n);
void *parser_grow(Parser *p, void *arr, int n, size_t elem);
int parser_enter(Parser *p, int cost);
void parser_leave(Parser *p, int cost);
int parser_is_id(int code);   /* ID, fallback keywords, INDEXED */
int parser_is_nm(int code);   /* id, STRING, JOIN keywords */
int parser_is_ids(int code);  /* ID, fallback keywords, STRING */
int parser_is_join_kw(int code); /* CROSS FULL INNER LEFT NATURAL OUTER RIGHT */
const char *parser_dequote(Parser *p, const Token *t);
const char *parser_name(Parser *p, int (*ok)(int)); /* consumes a name or errors */
/* A name of a view's or a CTE's column list: SQLite's grammar takes COLLATE
** and ASC/DESC after it, as in an index's list, and then refuses them. */
const char *parser_list_column(Parser *p);
const char *parser_span(Parser *p, const char *start);
int parser_offset(Parser *p, const char *z);
int parser_conflict_action(Parser *p);     /* ROLLBACK|ABORT|FAIL|IGNORE|REPLACE → ONCONFLICT_* */
void parser_qualified(Parser *p, const char **schema, const char **name); /* [schema.]name */
/* The same, and the name's token as written (quotes kept), which SQLite's
** "already exists" messages show. */
void parser_qualified_written(Parser *p, const char **schema, const char **name, const char **written);
/* [INDEXED BY name | NOT INDEXED] */
void parser_index_hint(Parser *p, const char **indexed_by, int *not_indexed);
void parser_mark(Parser *p, ParserMark *m);
void parser_reset(Parser *p, const ParserMark *m);
/* INSERT / REPLACE, UPDATE, DELETE statements (the current token starts one). */
void parser_insert(Parser *p, Stmt *s);
void parser_update(Parser *p, Stmt *s);
void parser_delete(Parser *p, Stmt *s);

/* parser_expr.c */
Expr *parser_expr(Parser *p);
Expr *parser_expr_new(Parser *p, ExprKind kind, const char *at);
Expr *parser_literal(Parser *p); /* the current literal token as an Expr */
Expr *parser_ctime(Parser *p);   /* CURRENT_TIME/DATE/TIMESTAMP as a function call */
ExprList *parser_exprlist_append(Parser *p, ExprList *list, Expr *e, const char *name, const char *span);
ExprList *parser_expr_list(Parser *p); /* e, e, ... (at least one) */

/* parser_select.c */
int parser_starts_select(int code);
Select *parser_select(Parser *p);
Select *parser_subselect(Parser *p); /* a nested SELECT: own depth and height budget */
void parser_order_limit(Parser *p, Select *s); /* UPDATE / DELETE … [ORDER BY …] [LIMIT …] */
SrcList *parser_from(Parser *p);     /* a FROM clause's items, after FROM (UPDATE … FROM) */
/* One result column (expr [[AS] alias], *, t.*) appended to cols (RETURNING). */
ExprList *parser_result_column(Parser *p, ExprList *cols);
With *parser_with(Parser *p);        /* WITH [RECURSIVE] cte, ... */

/* parser_ddl.c */
int parser_create(Parser *p, Stmt *s);
int parser_drop(Parser *p, Stmt *s);
int parser_reindex(Parser *p, Stmt *s);
int parser_analyze(Parser *p, Stmt *s);
int parser_optimize(Parser *p, Stmt *s);
int parser_alter(Parser *p, Stmt *s);
int parser_vacuum(Parser *p, Stmt *s);
/* ATTACH [DATABASE] expr AS expr [KEY expr] and DETACH [DATABASE] expr. */
int parser_attach(Parser *p, Stmt *s);
int parser_pragma(Parser *p, Stmt *s);
const char *parser_type_name(Parser *p);
/* parser_window.c: FILTER/OVER after a call, the WINDOW clause, and whether
** the lookahead WINDOW starts that clause (rather than being a name). */
void parser_window_suffix(Parser *p, Expr *call);
/* The terms of ORDER BY inside a call's parentheses, into call->agg_order. */
void parser_call_order_by(Parser *p, Expr *call);
void parser_window_clause(Parser *p, Select *s);
int parser_at_window_clause(Parser *p);

/* parser_trigger.c: CREATE [TEMP] TRIGGER from the TRIGGER keyword on (s->temp set),
** DROP TRIGGER from the TRIGGER keyword on. */
void parser_create_trigger(Parser *p, Stmt *s);
void parser_drop_trigger(Parser *p, Stmt *s);
/* ( expr [COLLATE name] [ASC|DESC], ... ): the number of terms, in *terms. */
int parser_indexed_terms(Parser *p, IndexedColumn **terms);

#endif /* LODE_PARSER_INT_H */
