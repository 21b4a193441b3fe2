/*
** codegen.h — turns a parsed statement (ast.h) into a VM program (vdbe.h).
**
** Name resolution happens here too: table and column names are looked up in
** the connection's schema (sql/schema.h) while the program is generated, so
** every "no such table/column" error is reported at prepare time, as SQLite
** does.  The generated program checks the schema cookie it was compiled
** against at OP_Transaction; a mismatch makes capi re-prepare the statement.
*/
#ifndef LODE_CODEGEN_H
#define LODE_CODEGEN_H

#include "sql/ast.h"
#include "vdbe/vdbe.h"

typedef struct lode lode;

/* codegen_compile's flags. */
#define CODEGEN_NO_VTAB 0x01 /* SQLITE_PREPARE_NO_VTAB: a virtual table is "no such table" */
#define CODEGEN_AUTH 0x02    /* an authorizer is set: ask it (codegen/auth.c) */

/* Fills v with the program for stmt (flags: CODEGEN_*).  On error returns a
** LODE_* code and sets *errmsg (util_malloc'd). */
int codegen_compile(lode *db, const Stmt *stmt, unsigned flags, Vdbe *v, char **errmsg, int *err_offset);

#endif /* LODE_CODEGEN_H */
