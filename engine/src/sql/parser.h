/*
** parser.h — tokenizer + recursive-descent parser: SQL text → Stmt (ast.h).
**
** One call parses one statement.  Errors use SQLite's wording:
**   near "X": syntax error          (X = the offending token's text)
**   incomplete input                (input ended inside a statement)
**   unrecognized token: "X"
** Parameters are numbered as SQLite numbers them: "?" takes the next number
** after the largest so far, "?NNN" takes NNN (1..32766), a named parameter
** (":a", "@a", "$a") reuses the number of an earlier identical name or takes
** the next one.
*/
#ifndef LODE_PARSER_H
#define LODE_PARSER_H

#include "sql/ast.h"

/* Parses the first statement in sql[0..n) (n < 0: up to the NUL).
**   LODE_OK: *out = the statement, or NULL if the input held only spaces,
**            comments and semicolons; *tail = first byte after the statement
**            and its ';' (or the end).
**   LODE_ERROR (or LODE_NOMEM): *errmsg = util_malloc'd message.
** All nodes are allocated in arena.  Parameter names are in
** out->param_names[1..out->nparams] (NULL for "?"/"?NNN" forms... the text
** "?NNN" is kept for ?NNN). */
int sql_parse(Arena *arena, const char *sql, int n, Stmt **out, const char **tail, char **errmsg);
/* The limits a parse enforces (a connection may lower SQLite's maximums). */
typedef struct SqlLimits {
  int column;          /* columns of a table or index, ORDER BY / GROUP BY terms (2000) */
  int expr_depth;      /* depth of an expression tree (1000; 0: the maximum) */
  int compound_select; /* SELECTs of one compound (500; 0: the maximum) */
  int variable_number; /* the largest parameter number (32766) */
} SqlLimits;

/* The same under lim (NULL: the maximums); on an error *err_offset is the
** byte offset in sql of the token the message names, or -1
** (sqlite3_error_offset). */
int sql_parse_at(Arena *arena, const char *sql, int n, Stmt **out, const char **tail, char **errmsg,
                 const SqlLimits *lim, int *err_offset);

/* sql_parse of text read from a schema other than TEMP's (a view, trigger,
** CHECK, DEFAULT, generated column or index expression): every node is
** marked from_ddl, so that codegen refuses the functions such code may not
** call (SQLite's SQLITE_DIRECTONLY: "unsafe use of f()"). */
int sql_parse_schema(Arena *arena, const char *sql, int n, Stmt **out, const char **tail, char **errmsg);

/* sql_parse of a CREATE TABLE read back from a schema: what SQLite lets by
** while it loads a schema (COLLATE or ASC/DESC after a FOREIGN KEY's column
** names) is taken; the nodes are not marked. */
int sql_parse_stored(Arena *arena, const char *sql, int n, Stmt **out, const char **tail, char **errmsg);

/* "UNION ALL", "UNION", "INTERSECT" or "EXCEPT" for a Select.compound_op. */
const char *sql_compound_name(int op);

/* True if the text is one or more complete statements (for the shell). */
int sql_complete(const char *sql);

#endif /* LODE_PARSER_H */
