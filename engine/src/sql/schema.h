/*
** schema.h — the in-memory schema of a connection: tables and their indexes,
** and views (later triggers) as read from sqlite_schema.
**
** The schema is rebuilt from sqlite_schema by schema_load() whenever the
** schema cookie (header offset 40) differs from the one it was built at; a
** statement compiled against an older cookie is re-prepared (SQLITE_SCHEMA
** handling happens in capi).  Each table's columns come from parsing its
** CREATE TABLE text with the same parser that compiles queries, and so do the
** indexes its PRIMARY KEY and UNIQUE constraints imply (autoindexes, whose
** sqlite_schema rows carry only a name and a root page); a CREATE INDEX row's
** text is parsed into an arena its Index owns, so its expressions live as
** long as the schema.
*/
#ifndef LODE_SCHEMA_H
#define LODE_SCHEMA_H

#include <stdint.h>

#include "lode.h"
#include "sql/ast.h"
#include "value/value.h"

typedef struct lode lode;
typedef struct Btree Btree;
typedef struct Table Table;
typedef struct Index Index;

typedef struct Column {
  char *name;
  char *decltype_;   /* declared type or NULL */
  char affinity;     /* AFF_* */
  int not_null;
  int notnull_conflict; /* NOT NULL's ON CONFLICT action (ONCONFLICT_*), ONCONFLICT_UNSET if none given */
  int primary_key;   /* part of the PRIMARY KEY */
  char *default_sql; /* DEFAULT expression source text, or NULL */
  int coll;          /* COLL_* */
  int pk_order;      /* 1-based position in the PRIMARY KEY (PRAGMA table_info's pk), 0 if not part */
  char *coll_name;   /* COLLATE name as written, or NULL (PRAGMA index_xinfo shows it as written) */
  int unique;        /* a UNIQUE column constraint (not a table's UNIQUE (…)) */
  int generated;     /* COLGEN_VIRTUAL or COLGEN_STORED (ast.h), 0 for an ordinary column */
  char *gen_sql;     /* a generated column's expression, as written */
  int hidden;        /* a virtual table's HIDDEN column: "*" leaves it out */
} Column;

/* A FOREIGN KEY of a child table (SQLite's FKey): child columns
** child_cols[0..ncols) refer to parent_cols of table parent, or to the
** parent's PRIMARY KEY when parent_cols is NULL (resolved where it is used:
** the parent may not exist yet).  Actions are FK_ACTION_* of sql/ast.h. */
typedef struct ForeignKey {
  int ncols;
  int *child_cols;    /* column indexes in the child table */
  char *parent;       /* the parent table's name as written (dequoted) */
  char **parent_cols; /* ncols names, or NULL: the parent's PRIMARY KEY */
  int on_delete, on_update;
  int deferred;       /* DEFERRABLE INITIALLY DEFERRED */
  struct ForeignKey *next;
} ForeignKey;

struct Table {
  char *name;
  int db;           /* the connection's database it belongs to (Schema.db), 0 = main */
  char *sql;        /* CREATE statement as stored in sqlite_schema */
  uint32_t root;
  int ncols;
  Column *cols;
  int ipk;          /* column index of the INTEGER PRIMARY KEY (rowid alias), or -1 */
  int ipk_conflict; /* the INTEGER PRIMARY KEY's ON CONFLICT action, ONCONFLICT_UNSET if none (or no ipk) */
  int has_checks;   /* CHECK constraints, which Lode does not enforce yet */
  int without_rowid;
  int pk_row;       /* WITHOUT ROWID: an autoindex row of sqlite_schema names its primary key (a corrupt schema
                    ** SQLite loads): REINDEX of the table reports the file malformed, as SQLite's does */
  int strict;       /* STRICT table (PRAGMA table_list) */
  int readonly;     /* sqlite_schema itself, or a table Lode cannot write safely */
  int autoinc;      /* INTEGER PRIMARY KEY AUTOINCREMENT: new rowids follow its sqlite_sequence row */
  int ngenerated;   /* generated columns (VIRTUAL and STORED) */
  int nvirtual;     /* VIRTUAL ones: their values are not in the records (see table_column_pos) */
  /* Every index of the table, in SQLite's order (PRAGMA index_list): an index
  ** joins at the front of the list, except that indexes whose constraint says
  ** ON CONFLICT REPLACE stay behind all others (SQLite checks constraints in
  ** this order, and a REPLACE must come after the checks that only fail).
  ** The table owns them. */
  Index *indexes;
  /* The implied indexes (PRIMARY KEY and UNIQUE constraints) in the order the
  ** CREATE TABLE implies them: autoindexes[i] is sqlite_autoindex_<table>_<i+1>. */
  int nautoindexes;
  Index **autoindexes;
  /* The PRIMARY KEY's index; NULL when there is none or the key is the
  ** rowid.  In a WITHOUT ROWID table it is the table's own b-tree (same root),
  ** with the key columns first and the other columns after them. */
  Index *pk;
  /* Foreign keys of the table as a child, in SQLite's order: the last one
  ** declared first (PRAGMA foreign_key_list's id 0).  The table owns them. */
  ForeignKey *fkeys;
  /* Statistics from sqlite_stat1 (see Index.stat_rows), loaded with the
  ** schema.  stat_nrows is the table's row count as ANALYZE measured it:
  ** the row whose idx is NULL (tables without a full index), or the count of
  ** a full (non-partial) index, the last such row in sqlite_stat1 winning as
  ** in SQLite.  Only meaningful when stat_loaded is 1; 0 means no statistic,
  ** and the planner keeps its defaults. */
  int stat_loaded;
  int64_t stat_nrows;
  /* A virtual table (CREATE VIRTUAL TABLE, root 0): the module's name.  Its
  ** columns are unknown (ncols 0) until the module declares them when the
  ** connection first connects the table (table_copy_columns). */
  char *vtab_module;
  /* The indexes made with CREATE INDEX … USING method, and the backing
  ** b-trees (method backing_btree) such indexes keep their data in, in
  ** sqlite_schema order.  The table owns them.  They are not in indexes:
  ** the row-change path hands their values to the method instead. */
  struct MethodIndex *method_indexes;
  unsigned added; /* Schema.nadded when it joined the schema: tables and views in the order they came */
  /* The columns' strings when they were made together (table_from_ast):
  ** one block of nstrs bytes.  A column string outside it is an allocation
  ** of its own, which table_free frees. */
  char *strs;
  size_t nstrs;
};

/* Index columns that are not a column of the table (IndexColumn.cid). */
#define XN_ROWID (-1) /* the rowid, appended to every entry of a rowid table's index */
#define XN_EXPR (-2)  /* an expression (CREATE INDEX … ON t(expr)) */

/* Where an index comes from: PRAGMA index_list's origin "c", "u", "pk". */
typedef enum IndexOrigin {
  INDEX_ORIGIN_CREATE, /* CREATE [UNIQUE] INDEX */
  INDEX_ORIGIN_UNIQUE, /* a UNIQUE constraint */
  INDEX_ORIGIN_PK,     /* the PRIMARY KEY (also when a UNIQUE on the same columns came first) */
} IndexOrigin;

typedef struct IndexColumn {
  int cid;               /* column of the table, XN_ROWID or XN_EXPR */
  const Expr *expr;      /* XN_EXPR: the expression, without its COLLATE clause; else NULL */
  int coll;              /* COLL_* */
  const char *coll_name; /* collation as written ("nocase"); "BINARY" when none was named */
  int desc;              /* 1: descending */
} IndexColumn;

/* An index b-tree's description.  Entries are records of cols[0..ncols): the
** key columns of the definition (cols[0..nkey)) followed by what identifies
** the row: the rowid, or for a WITHOUT ROWID table those PRIMARY KEY columns
** the key does not already hold (for its PRIMARY KEY index: every other
** column).  Everything an Index points to lives in its arena. */
struct Index {
  const char *name;
  const char *table_name; /* tbl_name */
  Table *table;
  uint32_t root;          /* 0: an autoindex whose sqlite_schema row is missing, or one not created yet */
  int nkey;               /* columns of the definition (PRAGMA index_info) */
  int ncols;              /* nkey + the row's identity (PRAGMA index_xinfo) */
  IndexColumn *cols;
  IndexOrigin origin;
  int unique;             /* entries must differ (NULLs aside): UNIQUE, PRIMARY KEY, CREATE UNIQUE INDEX */
  int on_conflict;        /* unique: ONCONFLICT_* of the constraint; ONCONFLICT_UNSET when it named
                          ** none (SQLite's OE_Default: ABORT unless the statement says otherwise) */
  const Expr *where;      /* partial index condition, or NULL */
  int autoindex;          /* implied by a constraint: sqlite_autoindex_<table>_<N>, no sql */
  const char *sql;        /* CREATE INDEX text as stored in sqlite_schema; NULL for an autoindex */
  Index *next;            /* next index of the same table (Table.indexes) */
  /* Statistics from the index's sqlite_stat1 row ("N D1 D2 … [unordered]
  ** [noskipscan]"), loaded with the schema; nstat 0 when there is no usable
  ** row, and the planner keeps its defaults.  stat_rows[0] is N, the number
  ** of entries in the index (for a partial index: rows its WHERE selects);
  ** stat_rows[i], 1 <= i <= nkey, is the average number of entries sharing
  ** one value of the first i key columns, rounded up (1 for a unique key).
  ** nstat counts the leading numbers the row gave (at most nkey + 1); the
  ** rest are unknown.  The array lives in the arena. */
  int nstat;
  int64_t *stat_rows;
  int stat_unordered;     /* "unordered": SQLite uses such an index only for equality lookups */
  int stat_noskipscan;    /* "noskipscan": SQLite never skip-scans it */
  /* Samples from the index's sqlite_stat4 rows, in the order the rows come
  ** (ANALYZE writes them in key order); nsample 0 when there are none.
  ** sample_ncol is the counts per sample: the entry's columns (a WITHOUT
  ** ROWID table's own b-tree: its key columns).  sample_avg_eq[i] is the
  ** rows a value of the first i+1 columns that no sample holds is taken to
  ** have, sample_rows the rows the estimates take the index to hold (as
  ** SQLite's initAvgEq derives them).  All in the arena. */
  int nsample;
  int sample_ncol;
  struct IndexSample *samples;
  int64_t *sample_avg_eq;
  int64_t sample_rows;
  Arena arena;
};

/* One sample of sqlite_stat4: the counts of its first i+1 columns (i <
** Index.sample_ncol; see vdbe/vdbe_stat4.c) and its decoded values. */
typedef struct IndexSample {
  int64_t *eq, *lt, *dlt;
  int nvals; /* values the sample's record held (at most sample_ncol) */
  Mem *vals;
} IndexSample;

/* The name of the method of a backing b-tree row (Turso's spelling). */
#define METHOD_BACKING_BTREE "backing_btree"

/* An index of an index method (CREATE INDEX name ON t USING method (cols)
** [WITH (params)]), stored in sqlite_schema as type "index", root 0 and its
** CREATE text; or one of the backing b-trees such an index owns, stored as
** "CREATE INDEX <index>_<suffix> ON t USING backing_btree (cols)" with its
** root page (an index b-tree of records (major, minor, value)).  The
** attachment is the bound method, made by codegen on first use and freed
** with the schema through attachment_free. */
typedef struct MethodIndex {
  char *name;
  char *method;      /* as written */
  Table *table;
  uint32_t root;     /* backing b-trees only */
  int backing;       /* method is backing_btree */
  int ncols;
  int *cols;         /* the indexed columns of table */
  int nparams;
  lode_index_param *params; /* names, texts and blobs owned */
  char *sql;
  void *attachment;
  void (*attachment_free)(void *attachment);
  struct MethodIndex *next;
} MethodIndex;

/* Builds the MethodIndex of a CREATE INDEX … USING statement on t: columns
** must be plain names of t (SQLite's "no such column: x"), parameters
** literals, no two with one name.  NULL with *errmsg on error, NULL with
** *errmsg NULL when out of memory. */
MethodIndex *method_index_from_ast(const Stmt *create, Table *t, uint32_t root, const char *sql, char **errmsg);
void method_index_free(MethodIndex *mi);
/* Appends mi to t->method_indexes; t then owns it. */
void table_add_method_index(Table *t, MethodIndex *mi);

/* A view: its sqlite_schema row.  The text is parsed where the view is used
** (codegen), so a view naming a missing table fails at use, as in SQLite. */
typedef struct View {
  char *name;
  int db;    /* Schema.db of its schema */
  char *sql; /* CREATE VIEW statement as stored in sqlite_schema */
  int expanding; /* codegen: the view's select is being compiled (a use inside it is circular) */
  unsigned added; /* Schema.nadded when it joined the schema (see Table.added) */
  int row;        /* Schema.nother when it was loaded: its place among the rows of views, triggers and indexes */
} View;

/* A trigger: its sqlite_schema row.  Like a view's, the text is parsed where
** it is used (codegen, for each statement that may fire it). */
typedef struct Trigger {
  char *name;
  int db;      /* Schema.db of its schema */
  char *table; /* tbl_name: the table or view it is on */
  char *sql;   /* CREATE TRIGGER statement as stored in sqlite_schema */
  int row;     /* as View.row */
} Trigger;

typedef struct Schema {
  int db;           /* which database of the connection: 0 main, 1 temp, 2.. attached (set by the owner) */
  uint32_t cookie;
  int loaded;
  int ntables;
  Table **tables;   /* includes sqlite_schema itself */
  /* tables[] by name (ASCII case-insensitive), open-addressed, at most half
  ** full: every statement looks its tables up several times, and a schema
  ** may hold hundreds.  NULL until the first table is added. */
  Table **table_slots;
  uint32_t table_slot_mask;
  int nother;       /* other schema objects (indexes, views, triggers) seen */
  int nindexes;
  Index **indexes;  /* every index row of sqlite_schema, in its order (owned by the tables) */
  int nviews;
  View **views;     /* every view row, in sqlite_schema order */
  int ntriggers;
  Trigger **triggers; /* every trigger row, in sqlite_schema order */
  unsigned nadded;    /* tables and views added so far (PRAGMA table_list lists the newest first) */
  /* A statement was compiled that writes sqlite_schema's rows directly
  ** (PRAGMA writable_schema): the objects here may no longer be what the
  ** rows say.  ALTER TABLE rewrites the stored texts, so it reloads first. */
  int edited;
  int64_t last_rowid; /* the largest sqlite_schema rowid loaded (0: none) */
} Schema;

Schema *schema_new(void);
/* Puts t at tables[k] in place of what was there (code that stands a new
** version of a table in for a check, and back), keeping the name index. */
void schema_set_table(Schema *s, int k, Table *t);
/* Takes t out of tables[] (not freed). */
void schema_remove_table(Schema *s, Table *t);
void schema_free(Schema *s);
void schema_clear(Schema *s);
/* Loads from sqlite_schema inside the caller's read transaction.  Rows are
** taken in order, as SQLite does: an index row must follow its table's row,
** an autoindex row (NULL sql) must name an index its table's CREATE TABLE
** implies.  A bad row fails the load with LODE_CORRUPT and SQLite's
** "malformed database schema (name)[ - reason]", unless skip_bad_rows
** (PRAGMA writable_schema=ON, which SQLite also lets load a damaged schema so
** that it can be repaired): then such a row is left out and the rest load. */
int schema_load(Schema *s, Btree *bt, int skip_bad_rows, char **errmsg);
/* schema_load without skipping rows; when a row fails it, *bad names the row
** as SQLite's ALTER TABLE names a stored text it cannot take ("index x1i",
** util_malloc'd) and *why gives the reason ("" for a text that is no CREATE
** statement), both left NULL for a row ALTER TABLE does not look at (a
** sqlite_ name, no text, a virtual table). */
int schema_load_explained(Schema *s, Btree *bt, char **errmsg, char **bad, char **why);
/* After a statement that only added rows to sqlite_schema (CREATE TABLE,
** INDEX, VIEW, TRIGGER): loads the rows past the last one loaded, leaving
** the objects already loaded as they are, as SQLite parses only the new
** entries.  Statistics are not read again (SQLite reads them at a whole
** load or ANALYZE).  Falls back to schema_load when the schema may not
** match the rows before them. */
int schema_load_added(Schema *s, Btree *bt, int skip_bad_rows, char **errmsg);
/* The statistics of sqlite_stat1, when the schema has that table, into
** Table.stat_* and Index.stat_*, then the samples of sqlite_stat4 into
** Index.samples (schema_load calls it last).  Rows naming no known table
** or index, or whose stat does not start with a number, are skipped, as
** SQLite skips them; so is a sqlite_stat4 row whose sample is no record
** (or past the bounds the loader keeps to).  Fails only on I/O errors or
** LODE_NOMEM. */
int schema_load_stats(Schema *s, Btree *bt);
/* Case-insensitive; the schema table answers to sqlite_schema and
** sqlite_master (in the temp schema also sqlite_temp_schema and
** sqlite_temp_master). */
Table *schema_find_table(Schema *s, const char *name);
Index *schema_find_index(Schema *s, const char *name); /* any table's index, autoindexes included */
/* Any table's method index or backing b-tree, case-insensitive. */
MethodIndex *schema_find_method_index(Schema *s, const char *name);
View *schema_find_view(Schema *s, const char *name);   /* case-insensitive */
Trigger *schema_find_trigger(Schema *s, const char *name); /* case-insensitive */
int table_column_index(const Table *t, const char *name); /* -1 if absent */
/* Where column col sits in the table's records: in a rowid table its place
** among the columns a record holds (every column in declaration order,
** VIRTUAL generated columns left out); in a WITHOUT ROWID table its place in
** the PRIMARY KEY index's entries (key columns first, then the others in
** declaration order, again without VIRTUAL ones).  col must not be VIRTUAL. */
int table_column_pos(const Table *t, int col);
/* How many columns a row's record holds: ncols - nvirtual. */
int table_record_ncols(const Table *t);
/* Builds a Table from a CREATE TABLE statement (used by schema_load and by
** codegen for CREATE TABLE), with the autoindexes it implies (root 0; see
** Table.autoindexes) and its PRIMARY KEY index.  Returns NULL with *errmsg on
** error (SQLite's message: "no such column: x", "conflicting ON CONFLICT
** clauses specified", "PRIMARY KEY missing on table t", ...), NULL with
** *errmsg NULL when out of memory. */
Table *table_from_ast(const Stmt *create, uint32_t root, const char *sql, char **errmsg);
void table_free(Table *t);
/* Column i of t is left without a declared type (its string freed as t owns it). */
void table_column_drop_type(Table *t, int i);
/* A virtual table's row: the Table of "CREATE VIRTUAL TABLE name USING m(...)"
** (create->kind STMT_CREATE_VTAB), without columns. */
Table *table_from_vtab_ast(const Stmt *create, const char *sql);
/* Gives dst (a virtual table without columns) copies of src's columns. */
int table_copy_columns(Table *dst, const Table *src);
/* Builds t->fkeys from the CREATE TABLE's FOREIGN KEY clauses (schema_fkey.c).
** LODE_ERROR with *errmsg (SQLite's message for a clause CREATE TABLE
** refuses), or LODE_NOMEM. */
int table_build_fkeys(Table *t, const Stmt *create, char **errmsg);
void fkey_free_list(ForeignKey *fk);
/* The parent key of fk in parent, as SQLite finds it: the rowid (*ix =
** NULL) when the key is parent's INTEGER PRIMARY KEY, else the UNIQUE
** non-partial index whose key is exactly the parent columns (any order,
** each with its column's collation; the PRIMARY KEY when fk names none).
** map[i] (fk->ncols entries) is the foreign key position of the key's i-th
** column.  Returns 0, or -1 when there is no such key (SQLite's "foreign key
** mismatch"). */
int fkey_locate(const ForeignKey *fk, const Table *parent, const Index **ix, int *map);

/* Builds the Index of a CREATE INDEX statement on table t: names resolved
** against t (SQLite's messages: "no such column: x", subqueries and
** parameters prohibited, ...), the row's identity appended.  The index is not
** linked into t (table_add_index does that).  Its expressions stay in the
** arena holding create: when ast is non-NULL the Index takes that arena over
** (it is left empty), otherwise it must outlive the Index.  NULL with
** *errmsg on error, NULL with *errmsg NULL when out of memory. */
Index *index_from_ast(const Stmt *create, Table *t, uint32_t root, const char *sql, Arena *ast, char **errmsg);
void index_free(Index *ix);
/* Links ix into t->indexes in SQLite's order; t then owns it. */
void table_add_index(Table *t, Index *ix);
/* 0 for a WITHOUT ROWID table's PRIMARY KEY index, which is the table's own
** b-tree and has no sqlite_schema row; 1 for every other index. */
int index_has_own_btree(const Index *ix);
/* A partial index whose condition has the AND term "column col = constant"
** (a literal, either side, compared in BINARY) on a column of TEXT or
** numeric affinity: every entry's row holds that value, so the index
** supplies column col too (SQLite does the same).  The constant, or NULL. */
const Expr *index_where_constant(const Index *ix, int col);
/* The order of the index's entries (value.h's KeyInfo, keyinfo_free'd by
** the caller; NULL on oom): each column's direction and collation, NULLs
** first ascending and last descending; a rowid past them ascending. */
struct KeyInfo *index_keyinfo(const Index *ix);

#endif /* LODE_SCHEMA_H */
