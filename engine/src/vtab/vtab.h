/*
** vtab.h — virtual tables: the module interface and the registry of
** eponymous modules (table-valued functions such as json_each).
**
** A module describes its table with a CREATE TABLE text whose columns may
** be marked HIDDEN ("CREATE TABLE x(value, start HIDDEN, stop HIDDEN)"):
** hidden columns take the arguments of a FROM item "name(arg, ...)", in
** order, and "*" leaves them out.  Codegen and the planner only see this
** interface: at compile time best_index says which constraints the module
** uses (each used one becomes an argument of filter, in argv_index order)
** and what a scan costs; at run time the VM drives a cursor with
** open → filter → (eof / column / rowid / next)* → close.
**
** Invariants: a cursor belongs to one VM cursor slot and is closed exactly
** once; column() writes into a Mem the caller owns; an error of filter or
** next leaves its message in VtabCursor.errmsg (util_malloc'd), which the
** VM takes over as the statement's error.
*/
#ifndef LODE_VTAB_H
#define LODE_VTAB_H

#include <stdint.h>

#include "value/value.h"

#define VTAB_MAX_COLUMNS 32

/* Constraint operators best_index is offered. */
#define VTAB_OP_EQ 2
#define VTAB_OP_GT 4
#define VTAB_OP_LE 8
#define VTAB_OP_LT 16
#define VTAB_OP_GE 32
/* More operators, offered to application modules only (VtabModule.all_ops);
** the numbers are SQLite's. */
#define VTAB_OP_MATCH 64
#define VTAB_OP_LIKE 65
#define VTAB_OP_GLOB 66
#define VTAB_OP_REGEXP 67
#define VTAB_OP_NE 68
#define VTAB_OP_ISNOT 69
#define VTAB_OP_ISNOTNULL 70
#define VTAB_OP_ISNULL 71
#define VTAB_OP_IS 72
#define VTAB_OP_LIMIT 73  /* the query's LIMIT (column meaningless) */
#define VTAB_OP_OFFSET 74 /* its OFFSET: when omitted, the module skips the rows itself */

typedef struct VtabConstraint {
  int column;     /* column index in the module's table */
  int op;         /* VTAB_OP_* */
  int usable;     /* the value is known when the scan starts */
  int argv_index; /* out: 1-based position among filter's arguments, 0: not used */
  int omit;       /* out: the module guarantees it; the caller need not test it */
} VtabConstraint;

typedef struct VtabOrderTerm {
  int column; /* column index, -1 for the rowid */
  int desc;
} VtabOrderTerm;

typedef struct VtabIndexInfo {
  int ncons;
  VtabConstraint *cons;
  const Mem **rhs;         /* per constraint: its value when it is a constant known now, else NULL */
  const char **coll;       /* per constraint: its collation's name */
  int norder;              /* ORDER BY the scan may deliver (0: none asked) */
  const VtabOrderTerm *order;
  uint64_t cols_used;      /* bit i: column i is read (bit 63: a column past 62) */
  int distinct;            /* the order is GROUP BY's (1), DISTINCT's with ORDER BY (3), else 0 */
  /* out */
  int idx_num;
  char *idx_str;           /* util_malloc'd, the caller takes it (NULL: none) */
  int order_consumed;      /* the rows come in the ORDER BY's order */
  int idx_flags;           /* VTAB_SCAN_UNIQUE: at most one row */
  double est_cost;
  double est_rows;
  const char *errmsg;      /* out, with a failing return: the statement's error (static text) */
  char *errmsg_owned;      /* out, instead: a util_malloc'd message the caller frees */
} VtabIndexInfo;

#define VTAB_SCAN_UNIQUE 1

typedef struct VtabModule VtabModule;

/* The connection's schemas as a cursor sees them (VtabCursor.env): in the
** order unqualified names resolve (temp, main, attached), each with its
** database's name. */
#define VTAB_MAX_SCHEMAS 12

/* The rows of a statement run for a module: nrows rows of ncols Mems each,
** row after row in cells (util_malloc'd; vtab_rows_free releases them). */
typedef struct VtabRows {
  int ncols, nrows;
  Mem *cells;
} VtabRows;
void vtab_rows_free(VtabRows *r);

typedef struct VtabSchemas {
  int n;
  struct Schema *schemas[VTAB_MAX_SCHEMAS];
  const char *names[VTAB_MAX_SCHEMAS];
  /* Runs one statement of sql on the connection (db) while the calling
  ** statement runs, collecting its rows into *out: how the PRAGMA functions
  ** answer as the PRAGMA statement does.  A failure's message in *errmsg
  ** (util_malloc'd). */
  int (*run)(void *db, const char *sql, VtabRows *out, char **errmsg);
  void *db;
} VtabSchemas;

/* Base of every cursor: the module's own cursor struct starts with it. */
typedef struct VtabCursor {
  const VtabModule *module;
  void *env;    /* the connection's VtabSchemas, set by the VM after open */
  char *errmsg; /* set with a failing return of filter or next */
  const char *idx_str; /* best_index's idx_str for the coming filter (NULL: none) */
} VtabCursor;

/* Transaction steps of a writable module (VtabModule.txn). */
#define VTAB_TXN_BEGIN 1
#define VTAB_TXN_SYNC 2
#define VTAB_TXN_COMMIT 3
#define VTAB_TXN_ROLLBACK 4
#define VTAB_TXN_SAVEPOINT 5
#define VTAB_TXN_RELEASE 6
#define VTAB_TXN_ROLLBACK_TO 7

struct VtabModule {
  const char *name;
  const char *schema; /* CREATE TABLE x(...) text */
  /* LODE_OK, or LODE_ERROR with info->errmsg when no plan can serve these constraints. */
  int (*best_index)(const VtabModule *m, VtabIndexInfo *info);
  int (*open)(const VtabModule *m, VtabCursor **out);
  int (*filter)(VtabCursor *c, int idx_num, int argc, Mem **argv);
  int (*next)(VtabCursor *c);
  int (*eof)(VtabCursor *c);
  int (*column)(VtabCursor *c, int col, Mem *out);
  int (*rowid)(VtabCursor *c, int64_t *rowid);
  void (*close)(VtabCursor *c);
  /* Application modules (capi) only; the built-ins leave these zero. */
  void *inst;                /* the module's own state for this table */
  const struct Table *table; /* the declared columns (sql/schema.h), instead of the schema text */
  int all_ops;               /* offer every VTAB_OP_* and ORDER BY to best_index */
  int app_kind;              /* how the VM finds it again by name (conn/conn.h's CONN_VTAB_*) */
  int constraint_support;    /* a constraint failure of update obeys the statement's conflict action */
  const char *key;           /* that name when not the table's: "db.name" for a table outside main */
  /* A change: argc 1 deletes row argv[0]; else argv[0] the old rowid (NULL:
  ** insert), argv[1] the new one (NULL: the module picks it, *rowid), then
  ** the columns.  on_conflict is the statement's ONCONFLICT_*.  A failure
  ** leaves a util_malloc'd message in *errmsg (or NULL). */
  int (*update)(const VtabModule *m, int argc, Mem **argv, int64_t *rowid, int on_conflict, char **errmsg);
  /* The module's own version of function name(nargs args) whose overloaded
  ** argument is one of its columns (NULL: none); it lives as long as m. */
  const struct FuncDef *(*find_function)(const VtabModule *m, int nargs, const char *name);
  /* Where SQL read from a schema (a view, a trigger) may use the table, as
  ** SQLite's SQLITE_VTAB_INNOCUOUS / DIRECTONLY say: VTAB_RISK_*. */
  int risk;
};
#define VTAB_RISK_INNOCUOUS 0  /* anywhere */
#define VTAB_RISK_NORMAL 1     /* in a schema's SQL only while trusted_schema is on */
#define VTAB_RISK_DIRECTONLY 2 /* never in a schema's SQL */

/* The eponymous module of that name (case-insensitive), or NULL. */
const VtabModule *vtab_find_module(const char *name);
/* The same among the PRAGMA functions that run their PRAGMA (vtab_pragma.c). */
const VtabModule *vtab_pragma_module(const char *name);

/* The columns of a module's table, from its schema text: at most max
** names (pointers into names_buf, NUL-terminated) and hidden flags.
** Returns the column count, -1 if the text is malformed. */
int vtab_columns(const VtabModule *m, char *names_buf, int bufsize, const char **names, int *hidden, int max);

/* Sets c->errmsg to a copy of msg (for modules). */
void vtab_set_error(VtabCursor *c, const char *msg);

/* The built-in modules (vtab_series.c, vtab_json.c, vtab_pragma.c). */
extern const VtabModule vtab_generate_series;
extern const VtabModule vtab_json_each;
extern const VtabModule vtab_json_tree;
extern const VtabModule vtab_jsonb_each;
extern const VtabModule vtab_jsonb_tree;
extern const VtabModule vtab_pragma_table_info;
extern const VtabModule vtab_pragma_table_xinfo;
extern const VtabModule vtab_pragma_index_list;
extern const VtabModule vtab_pragma_index_info;
extern const VtabModule vtab_pragma_index_xinfo;
extern const VtabModule vtab_pragma_foreign_key_list;

#endif /* LODE_VTAB_H */
