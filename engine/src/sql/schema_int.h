/*
** schema_int.h — what schema.c (tables, loading) and schema_index.c
** (indexes) share.  Not part of the module interface: other modules include
** schema.h only.
*/
#ifndef LODE_SCHEMA_INT_H
#define LODE_SCHEMA_INT_H

#include "sql/schema.h"

/* COLL_* of a collation name; BINARY for NULL and names Lode does not know. */
int schema_collation(const char *name);

/* Builds t->autoindexes, t->indexes and t->pk from the CREATE TABLE c, once
** t's columns are set.  alias: the column whose PRIMARY KEY is the rowid (for
** a WITHOUT ROWID table: would be), or -1.  LODE_ERROR with *errmsg (SQLite's
** message), or LODE_NOMEM. */
int table_build_autoindexes(Table *t, const Stmt *c, int alias, char **errmsg);

/* The ON CONFLICT action of a single-column PRIMARY KEY on column cid, from
** the column's own constraint or the table's PRIMARY KEY(...), or
** ONCONFLICT_UNSET. */
int schema_pk_conflict(const Stmt *c, int cid);

/* schema_trigger.c: a trigger row of sqlite_schema into s->triggers;
** forgetting them all. */
int schema_load_trigger_row(Schema *s, const char *name, const char *tbl, const char *sql, char **errmsg);
void schema_clear_triggers(Schema *s);

/* The message for term j of PRIMARY KEY (...) or UNIQUE (...) tc, which
** names no column of the table (schema_index.c).  A "double-quoted" term is
** a string to SQLite then (it reads double-quoted strings in a schema's
** text), so an expression: "expressions prohibited in PRIMARY KEY and UNIQUE
** constraints"; any other "no such column: x".  NULL when out of memory. */
char *schema_constraint_term_error(const TableConstraint *tc, int j);

#endif /* LODE_SCHEMA_INT_H */
