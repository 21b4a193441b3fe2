/*
** schema.h — the in-memory schema of a connection: tables (and later
** indexes, views, triggers) as read from sqlite_schema.
**
** The schema is rebuilt from sqlite_schema by schema_load() whenever the
** schema cookie (header offset 40) differs from the one it was built at; a
** statement compiled against an older cookie is re-prepared (SQLITE_SCHEMA
** handling happens in capi).  Each table's columns come from parsing its
** CREATE TABLE text with the same parser that compiles queries.
*/
#ifndef LODE_SCHEMA_H
#define LODE_SCHEMA_H

#include <stdint.h>

#include "sql/ast.h"

typedef struct lode lode;
typedef struct Btree Btree;

typedef struct Column {
  char *name;
  char *decltype_;   /* declared type or NULL */
  char affinity;     /* AFF_* */
  int not_null;
  int primary_key;   /* part of the PRIMARY KEY */
  char *default_sql; /* DEFAULT expression source text, or NULL */
  int coll;          /* COLL_* */
  int pk_order;      /* 1-based position in the PRIMARY KEY (PRAGMA table_info's pk), 0 if not part */
} Column;

typedef struct Table {
  char *name;
  char *sql;        /* CREATE statement as stored in sqlite_schema */
  uint32_t root;
  int ncols;
  Column *cols;
  int ipk;          /* column index of the INTEGER PRIMARY KEY (rowid alias), or -1 */
  int has_indexes;  /* the file has indexes on it that Lode does not maintain yet */
  int has_checks;   /* CHECK constraints, which Lode does not enforce yet */
  int without_rowid;
  int strict;       /* STRICT table (PRAGMA table_list) */
  int readonly;     /* sqlite_schema itself, or a table Lode cannot write safely */
} Table;

/* An index (or UNIQUE/PRIMARY KEY autoindex) of the file: enough for
** PRAGMA integrity_check to walk its b-tree and count its entries. */
typedef struct SchemaIndex {
  char *name;
  char *table;   /* tbl_name */
  uint32_t root;
  int partial;   /* CREATE INDEX … WHERE: fewer entries than rows */
} SchemaIndex;

typedef struct Schema {
  uint32_t cookie;
  int loaded;
  int ntables;
  Table **tables;   /* includes sqlite_schema itself */
  int nother;       /* other schema objects (indexes, views, triggers) seen */
  int nindexes;
  SchemaIndex *indexes; /* every index with a b-tree, in sqlite_schema order */
} Schema;

Schema *schema_new(void);
void schema_free(Schema *s);
void schema_clear(Schema *s);
/* Loads from sqlite_schema inside the caller's read transaction. */
int schema_load(Schema *s, Btree *bt, char **errmsg);
Table *schema_find_table(Schema *s, const char *name); /* case-insensitive */
int table_column_index(const Table *t, const char *name); /* -1 if absent */
/* Builds a Table from a CREATE TABLE statement (used by schema_load and by
** codegen for CREATE TABLE).  Returns NULL with *errmsg on error. */
Table *table_from_ast(const Stmt *create, uint32_t root, const char *sql, char **errmsg);
void table_free(Table *t);

#endif /* LODE_SCHEMA_H */
