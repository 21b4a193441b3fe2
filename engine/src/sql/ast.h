/*
** ast.h — the syntax tree the parser builds and codegen consumes.
**
** Every node, list and string of one statement lives in the statement's
** Arena (util.h): nothing is freed individually and nothing outlives the
** prepare call except what codegen copies into the program.  Identifiers are
** stored dequoted ("a b" → a b, [x] → x, `y` → y); string literals dequoted
** ('it''s' → it's); numbers and blobs keep their source text (codegen
** converts).  Each node records the byte offset of its first token in the SQL
** text for error messages.
*/
#ifndef LODE_AST_H
#define LODE_AST_H

#include <stdint.h>

#include "util/util.h"

typedef struct Expr Expr;
typedef struct Select Select;
typedef struct With With;
typedef struct Window Window;

typedef enum ExprKind {
  EXPR_NULL,        /* NULL */
  EXPR_INTEGER,     /* text: digits or 0x hex; value parsed into ival unless it overflows */
  EXPR_FLOAT,       /* text: as written; value in rval */
  EXPR_STRING,      /* text: dequoted, n bytes */
  EXPR_BLOB,        /* text: the hex digits of x'..' (even count, validated), n hex chars */
  EXPR_PARAM,       /* param_index (1-based, assigned by the parser); text: "?", "?3", ":a", "@a", "$a" */
  EXPR_COLUMN,      /* [table.]column: table (may be NULL), text = column name */
  EXPR_STAR,        /* * or table.* in a result list (table may be NULL) */
  EXPR_UNARY,       /* op: TK_MINUS, TK_PLUS, TK_NOT, TK_BITNOT; left */
  EXPR_BINARY,      /* op: a binary TK_*; left, right */
  EXPR_ISNULL,      /* left IS NULL / ISNULL */
  EXPR_NOTNULL,     /* left IS NOT NULL / NOTNULL / NOT NULL */
  EXPR_IS,          /* left IS right  (negated: IS NOT) */
  EXPR_FUNCTION,    /* text = name; args; star for count(*); distinct */
  EXPR_CAST,        /* left, text = type name */
  EXPR_COLLATE,     /* left, text = collation name */
  EXPR_BETWEEN,     /* left BETWEEN args[0] AND args[1] (negated) */
  EXPR_IN_LIST,     /* left IN (args...) (negated) */
  EXPR_IN_SELECT,   /* left IN (select) (negated) */
  EXPR_LIKE,        /* left LIKE/GLOB right [ESCAPE escape] (negated); op: TK_LIKE_KW / TK_GLOB */
  EXPR_CASE,        /* CASE [left] WHEN args[2i] THEN args[2i+1] ... [ELSE right] END */
  EXPR_SUBQUERY,    /* (select) scalar */
  EXPR_EXISTS,      /* EXISTS (select) */
  EXPR_VECTOR,      /* (e1, e2, ...): a row value; args */
  EXPR_REGISTER,    /* made by codegen: the value in register ival, read from query level n (scope
                    ** depth, for correlation); its affinity bind_affinity, collation bind_coll or -1 */
  EXPR_RAISE,       /* RAISE(IGNORE) (op = ONCONFLICT_IGNORE) or RAISE(op, left): trigger bodies only */
} ExprKind;

/* EXPR_FUNCTION's op: the call has the affinity of its first argument (the
** coalesce that stands for a USING column of several tables, as in SQLite). */
#define FUNC_AFF_FIRST 1

typedef struct ExprList {
  int n;
  Expr **items;
  const char **names; /* AS alias per item (NULL if none), result columns only */
  const char **spans; /* source text of each item (for column names), NUL-terminated */
} ExprList;

struct Expr {
  ExprKind kind;
  int op;      /* token code for UNARY/BINARY/LIKE */
  int negated; /* NOT BETWEEN, NOT IN, NOT LIKE, IS NOT */
  int distinct;
  int star;    /* count(*) */
  const char *table; /* EXPR_COLUMN / EXPR_STAR qualifier */
  const char *schema; /* EXPR_COLUMN: schema.table.column's schema, else NULL */
  const char *text;
  int n;             /* bytes in text */
  int64_t ival;
  double rval;
  int param_index;
  Expr *left, *right, *escape;
  ExprList *args;
  Select *select;
  int offset; /* byte offset in the SQL */
  const char *src; /* the SQL text offset counts in (copies keep it: ALTER TABLE RENAME finds its names by it) */
  int quoted; /* EXPR_COLUMN: the name was "double-quoted" (SQLite reads an unresolvable one as a string);
              ** EXPR_INTEGER: a truth value the parser made (x IN () is 0), never a result column's number */
  int bound_column; /* EXPR_COLUMN made by codegen: column bound_column-1 of the FROM item named table (0: by name) */
  /* EXPR_COLUMN once resolved (bound = 1): the FROM item bind_item of
  ** the query bind_depth levels out (0 = the query the expression is in),
  ** column bind_col (-1 = the rowid).  Set once by name resolution; the
  ** planner reads it to know which tables a term uses. */
  int bound, bind_depth, bind_item, bind_col;
  /* And the column's affinity and collation, which the planner cannot look
  ** up for a column of an enclosing query. */
  char bind_affinity;
  int bind_coll;
  /* EXPR_IN_SELECT of one value or a scalar EXPR_SUBQUERY of a WHERE or ON
  ** term, as codegen found it before planning: 1 when the subquery reads
  ** nothing of the queries around it, so that the planner may treat it as a
  ** constant (a lookup can take the IN's rows as an IN list's values, or
  ** seek the scalar's value).  bind_affinity and bind_coll then hold the IN
  ** comparison's affinity and collation, or the scalar's affinity. */
  int uncorrelated;
  /* EXPR_FUNCTION: FILTER (WHERE filter) and OVER window (NULL when absent). */
  Expr *filter;
  Window *over;
  /* EXPR_FUNCTION: ORDER BY inside the call's parentheses (an aggregate's
  ** order of steps): the terms, and per term AGG_ORDER_* flags; NULL when absent. */
  ExprList *agg_order;
  uint8_t *agg_order_flags;
  /* EXPR_SUBQUERY of SET (a, b, ...) = (SELECT ...): 1 + the result column
  ** this SET item takes, and in ival the number of columns assigned; 0 for
  ** a scalar subquery. */
  int subquery_column;
  /* Parsed from a persistent schema's text (sql_parse_schema): a function
  ** flagged direct-only may not be called here. */
  int from_ddl;
  /* EXPR_INTEGER: a hex literal of more than 16 significant digits.  As in
  ** SQLite it is refused only where it is coded, not where it is parsed
  ** (a trigger, view or DEFAULT holding one is created). */
  int too_big;
  /* Set once the authorizer has been asked about this node (its READ, or a
  ** call's FUNCTION) or must not be (a copy codegen made of a node already
  ** asked about): the question is asked once per reference, as SQLite's
  ** resolver asks it.  Copies keep it. */
  int auth_done;
};

#define AGG_ORDER_DESC 0x01
#define AGG_ORDER_NULLS_FIRST 0x02
#define AGG_ORDER_NULLS_LAST 0x04

typedef struct OrderTerm {
  Expr *expr;
  int desc;       /* 1 for DESC */
  int nulls;      /* 0 default, 1 NULLS FIRST, 2 NULLS LAST */
} OrderTerm;

/* A window definition: OVER (...), OVER name, or one WINDOW name AS (...).
** base names the window this one builds on (OVER name: base is that name
** and is_ref is set).  Without a frame clause, frame_type is 0 and the
** frame is SQLite's default (RANGE UNBOUNDED PRECEDING to CURRENT ROW). */
#define FRAME_UNBOUNDED_PRECEDING 1
#define FRAME_PRECEDING 2
#define FRAME_CURRENT_ROW 3
#define FRAME_FOLLOWING 4
#define FRAME_UNBOUNDED_FOLLOWING 5
#define EXCLUDE_NO_OTHERS 0
#define EXCLUDE_CURRENT_ROW 1
#define EXCLUDE_GROUP 2
#define EXCLUDE_TIES 3
#define EXCLUDE_NO_OTHERS_WRITTEN 4 /* EXCLUDE NO OTHERS as written: the same frame, yet another window to SQLite */
struct Window {
  const char *name;    /* WINDOW name AS: the name, else NULL */
  const char *base;    /* the window named inside the parentheses (or after OVER), or NULL */
  int is_ref;          /* OVER name */
  ExprList *partition; /* NULL if none */
  int norder;
  struct OrderTerm *order_by;
  int frame_type;      /* 0 (default frame), TK_ROWS, TK_RANGE, TK_GROUPS */
  int start_kind, end_kind; /* FRAME_* */
  Expr *start, *end;   /* the offsets of PRECEDING/FOLLOWING bounds */
  int exclude;         /* EXCLUDE_* */
  int offset;
};

typedef struct SrcItem {
  const char *schema; /* main. etc., may be NULL */
  int schema_implied; /* set by codegen: schema filled in (a view's database), not written in the query */
  const char *name;   /* table name; NULL for a subquery */
  const char *alias;
  Select *subquery;
  int join_type;      /* 0 for the first item; JOIN_* for later ones */
  int join_written;   /* set by codegen when WHERE made this outer join inner or one-sided
                      ** (codegen/outer_join.c): the join as written, which the checks of ON clauses
                      ** read; else 0 */
  Expr *on;
  int natural;        /* NATURAL join: USING the columns both sides have (found by codegen) */
  int nusing;         /* JOIN ... USING (using[0..nusing)) */
  const char **using_cols;
  Expr *using_on;     /* set by codegen: the equalities USING/NATURAL stand for (pre-bound), or NULL */
  int offset;
  const char *src;    /* the SQL text offsets count in */
  int name_offset;    /* byte offset of [schema.]name */
  const char *indexed_by; /* INDEXED BY name, or NULL */
  int not_indexed;        /* NOT INDEXED */
  struct WindowPlan *window_plan; /* set by codegen: the subquery's rows go through window passes */
  int is_call;        /* name(args): a table-valued function; args bind to its hidden columns */
  ExprList *args;     /* its arguments (NULL for "name()") */
  int from_ddl;       /* parsed from a persistent schema's text, as Expr.from_ddl */
} SrcItem;

#define JOIN_INNER 1
#define JOIN_LEFT 2
#define JOIN_CROSS 3
#define JOIN_RIGHT 4 /* RIGHT [OUTER] JOIN: every row of this item, NULLs for the items before it */
#define JOIN_FULL 5  /* FULL [OUTER] JOIN: LEFT and RIGHT at once */

typedef struct SrcList {
  int n;
  SrcItem *items;
} SrcList;

struct Select {
  int distinct;
  ExprList *columns;   /* result columns; EXPR_STAR items for * */
  SrcList *from;       /* NULL if no FROM */
  Expr *where;
  ExprList *group_by;
  Expr *having;
  int norder;
  OrderTerm *order_by;
  Expr *limit;
  Expr *offset;
  /* compound: this op next */
  int compound_op;     /* 0, TK_UNION, TK_UNION_ALL, TK_INTERSECT, TK_EXCEPT */
  Select *next;
  int compound_body;   /* set by codegen: this chain is being materialised */
  With *with;          /* WITH clause before the chain (first core only), or NULL */
  int nwindows;        /* WINDOW name AS (...), ...: the named windows of this core */
  Window **windows;
  int nested_from;     /* SELECT * over a parenthesised join in FROM: its columns keep the names of
                       ** their tables (t.c reaches them from outside) */
  const Select *aliases_of; /* set by codegen: the query whose result aliases this one's WHERE, GROUP BY
                             ** and HAVING name (a window query's inner part), else NULL (its own) */
  int values_row;      /* a row of a VALUES list (EXPLAIN QUERY PLAN shows a list of them as one step) */
  int sel_id;          /* 1, 2, ... in the order SQLite numbers a statement's selects: each when it has
                       ** been parsed (EXPLAIN QUERY PLAN names an unnamed FROM subquery by its last core's) */
};

/* One common table expression: name [(cols)] AS [[NOT] MATERIALIZED] (select).
** The body is copied (ast_copy_select) at each use, since codegen annotates
** the tree it compiles. */
typedef struct Cte {
  const char *name;
  int ncols;           /* 0: no column list */
  const char **cols;
  Select *select;
  int materialized;    /* 1 MATERIALIZED, -1 NOT MATERIALIZED, 0 neither (a hint only) */
  int offset;
} Cte;

/* WITH [RECURSIVE] cte, ...: a CTE sees the ones before it in the list and,
** for recursion, itself (RECURSIVE is optional, as in SQLite). */
struct With {
  int recursive;
  int n;
  Cte *ctes;
};

/* One term of an index's column list: CREATE INDEX … (terms), and the
** PRIMARY KEY (…) / UNIQUE (…) table constraints.  SQLite reads such a term
** as expr [COLLATE name] [ASC|DESC]; the outermost COLLATE names the term's
** collation and is not part of expr. */
typedef struct IndexedColumn {
  Expr *expr;            /* the term, its top-level COLLATE clauses removed */
  const char *name;      /* the term is a bare name (column, 'string' or "quoted"): that name, else NULL */
  const char *collation; /* outermost COLLATE name (dequoted), or NULL */
  int desc;              /* 1 for DESC */
} IndexedColumn;

/* One parameter of an index method: WITH (name = value); value is a
** literal, maybe signed. */
typedef struct IndexParamDef {
  const char *name;
  Expr *value;
} IndexParamDef;

/* No ON CONFLICT clause was given for a PRIMARY KEY or UNIQUE constraint
** (SQLite's OE_Default: it counts as ABORT, but yields to an explicit clause
** when two constraints imply the same index). */
#define ONCONFLICT_UNSET (-1)

typedef struct ColumnDef {
  const char *name;
  const char *type;    /* declared type text as written, spaces normalised; NULL if none */
  int primary_key;     /* PRIMARY KEY on the column: how many times it says so */
  int pk_desc;
  int autoincrement;
  int not_null;
  int unique;
  Expr *default_value;
  const char *default_span; /* source text of the default expression */
  const char *collation;
  /* CHECK constraints of a column are listed with the table constraints. */
  int pk_conflict;     /* ON CONFLICT action of the PRIMARY KEY: ONCONFLICT_*, or ONCONFLICT_UNSET */
  int unique_conflict; /* ON CONFLICT action of the UNIQUE constraint(s): ONCONFLICT_*, or ONCONFLICT_UNSET */
  int notnull_conflict; /* ON CONFLICT action of the (last) NOT NULL: ONCONFLICT_*, or ONCONFLICT_UNSET */
  int generated;        /* AS (expr): COLGEN_VIRTUAL or COLGEN_STORED; 0 for a column the row stores as given */
  Expr *gen_expr;       /* its expression */
  const char *gen_span; /* and the expression's source text */
} ColumnDef;

/* A generated column's kind: the values are PRAGMA table_xinfo's "hidden". */
#define COLGEN_VIRTUAL 2 /* computed when read, not in the record */
#define COLGEN_STORED 3  /* computed when the row is written, stored in the record */

typedef struct TableConstraint {
  int kind; /* TC_PRIMARY_KEY, TC_UNIQUE, TC_CHECK */
  int ncols;
  const char **cols;
  Expr *check;      /* TC_CHECK, column CHECKs included */
  const char *name; /* CONSTRAINT name, or NULL */
  const char *span; /* TC_CHECK: the expression's source text (SQLite's error message) */
  IndexedColumn *terms; /* TC_PRIMARY_KEY / TC_UNIQUE: ncols terms (collation, direction); names in cols */
  int on_conflict;      /* TC_PRIMARY_KEY / TC_UNIQUE: ONCONFLICT_*, or ONCONFLICT_UNSET */
} TableConstraint;

/* A FOREIGN KEY clause (column form: one child column, the column's own). */
typedef struct ForeignKeyDef {
  int ncols;
  const char **cols;        /* child columns as written */
  const char *parent;       /* parent table (dequoted) */
  int nparent;              /* 0: the parent's PRIMARY KEY */
  const char **parent_cols;
  int on_delete, on_update; /* FK_ACTION_* */
  int deferred;             /* DEFERRABLE INITIALLY DEFERRED */
  int column_form;          /* REFERENCES on a column (not FOREIGN KEY (...)) */
} ForeignKeyDef;

/* Foreign key actions (PRAGMA foreign_key_list shows their names). */
#define FK_ACTION_NONE 0 /* NO ACTION */
#define FK_ACTION_RESTRICT 1
#define FK_ACTION_SET_NULL 2
#define FK_ACTION_SET_DEFAULT 3
#define FK_ACTION_CASCADE 4

#define TC_PRIMARY_KEY 1
#define TC_UNIQUE 2
#define TC_CHECK 3

typedef enum StmtKind {
  STMT_SELECT,
  STMT_INSERT,
  STMT_UPDATE,
  STMT_DELETE,
  STMT_CREATE_TABLE,
  STMT_DROP_TABLE,
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_PRAGMA,
  STMT_ALTER_TABLE,
  STMT_CREATE_INDEX,
  STMT_DROP_INDEX,
  STMT_REINDEX,
  STMT_ANALYZE,
  STMT_SAVEPOINT,   /* SAVEPOINT savepoint */
  STMT_RELEASE,     /* RELEASE [SAVEPOINT] savepoint */
  STMT_ROLLBACK_TO, /* ROLLBACK [TRANSACTION] TO [SAVEPOINT] savepoint */
  STMT_CREATE_VIEW, /* CREATE [TEMP] VIEW [IF NOT EXISTS] table [(columns)] AS as_select */
  STMT_DROP_VIEW,   /* DROP VIEW [IF EXISTS] table */
  STMT_VACUUM,      /* VACUUM [schema] [INTO vacuum_into] */
  STMT_CREATE_TRIGGER, /* CREATE [TEMP] TRIGGER [IF NOT EXISTS] [schema.]trigger->name ... ON table ... */
  STMT_DROP_TRIGGER,   /* DROP TRIGGER [IF EXISTS] [schema.]table (the trigger's name) */
  STMT_ATTACH,      /* ATTACH [DATABASE] attach_file AS attach_name [KEY attach_key] */
  STMT_DETACH,      /* DETACH [DATABASE] attach_name */
  STMT_CREATE_VTAB,    /* CREATE VIRTUAL TABLE [IF NOT EXISTS] [schema.]table USING vtab_module [(vtab_args)] */
  STMT_OPTIMIZE_INDEX, /* OPTIMIZE INDEX [[schema.]index] (index NULL: every index of a method that optimizes) */
} StmtKind;

/* When a trigger fires (TriggerDef.timing). */
#define TRIGGER_BEFORE 1
#define TRIGGER_AFTER 2
#define TRIGGER_INSTEAD 3

typedef struct Stmt Stmt;

/* CREATE TRIGGER's definition: [BEFORE|AFTER|INSTEAD OF] event [OF cols] ON
** table [FOR EACH ROW] [WHEN when] BEGIN steps; ... END. */
typedef struct TriggerDef {
  const char *name;
  const char *table_schema; /* ON schema.table: the schema named, or NULL */
  int timing;        /* TRIGGER_*; BEFORE when none is written */
  int event;         /* TK_INSERT, TK_UPDATE or TK_DELETE */
  int ncols;         /* UPDATE OF: the columns (0: any) */
  const char **cols;
  Expr *when;        /* NULL: always */
  int nsteps;
  Stmt **steps;      /* INSERT, UPDATE, DELETE or SELECT statements */
  const char *stored_sql; /* the text sqlite_schema keeps: "CREATE TRIGGER " and the text from the name on */
} TriggerDef;

#define ALTER_RENAME_TABLE 1  /* ALTER TABLE t RENAME TO alter_new */
#define ALTER_ADD_COLUMN 2    /* ALTER TABLE t ADD [COLUMN] coldefs[0] (text alter_coldef) */
#define ALTER_RENAME_COLUMN 3 /* ALTER TABLE t RENAME [COLUMN] alter_old TO alter_new */
#define ALTER_DROP_COLUMN 4   /* ALTER TABLE t DROP [COLUMN] alter_old */

#define TXN_DEFERRED 0
#define TXN_IMMEDIATE 1
#define TXN_EXCLUSIVE 2
#define TXN_CONCURRENT 3 /* BEGIN CONCURRENT (journal_mode=mvcc) */

#define ONCONFLICT_ABORT 0 /* default */
#define ONCONFLICT_ROLLBACK 1
#define ONCONFLICT_FAIL 2
#define ONCONFLICT_IGNORE 3
#define ONCONFLICT_REPLACE 4

typedef struct SetClause {
  const char *column;
  Expr *value;
} SetClause;

/* One ON CONFLICT clause of an INSERT (upsert), in a list in the order
** written; only the last may have no target. */
typedef struct Upsert {
  int ntarget;           /* conflict target terms; 0: none (any constraint) */
  IndexedColumn *target;
  Expr *target_where;    /* ON CONFLICT (…) WHERE: names a partial index */
  int do_update;         /* DO UPDATE; 0: DO NOTHING */
  int nset;
  SetClause *set;
  Expr *where;           /* DO UPDATE … WHERE */
  struct Upsert *next;
} Upsert;

struct Stmt {
  StmtKind kind;
  int explain;        /* 1 = EXPLAIN, 2 = EXPLAIN QUERY PLAN */
  const char *sql;    /* the statement's own text (arena copy, NUL-terminated, without the trailing ';') */
  /* CREATE TABLE / INDEX: the text up to the ';' or end that follows the
  ** statement, trailing spaces and comments kept, which SQLite stores for an
  ** index and for a table with options (WITHOUT ROWID, STRICT) */
  const char *sql_through;
  /* SELECT */
  Select *select;
  /* INSERT / UPDATE / DELETE / CREATE / DROP / PRAGMA target */
  const char *schema;
  const char *table;
  int if_exists;      /* DROP ... IF EXISTS; CREATE ... IF NOT EXISTS */
  int temp;
  int on_conflict;    /* INSERT OR x / UPDATE OR x; ONCONFLICT_UNSET without an OR clause */
  /* INSERT */
  int ncolumns;
  const char **columns; /* NULL = all columns in order; CREATE VIEW: its column list */
  int nrows;          /* VALUES rows */
  ExprList **rows;
  Select *insert_select; /* INSERT ... SELECT */
  int default_values;
  Upsert *upsert;        /* ON CONFLICT clauses, NULL if none */
  ExprList *returning;   /* INSERT / UPDATE / DELETE … RETURNING: result columns (names, spans), NULL if none */
  /* UPDATE */
  int nset;
  SetClause *set;
  SrcList *from;      /* UPDATE … FROM: the items joined to the target (a row takes one match), or NULL */
  Expr *where;        /* UPDATE / DELETE */
  /* CREATE TABLE */
  int ncoldefs;
  ColumnDef *coldefs;
  int nconstraints;
  TableConstraint *constraints;
  int nfkeys;
  ForeignKeyDef *fkeys; /* in the order written */
  int without_rowid;
  int strict;
  Select *as_select;  /* CREATE TABLE ... AS SELECT; CREATE VIEW's select */
  /* CREATE VIRTUAL TABLE: the module's name and each argument's text as written (trimmed) */
  const char *vtab_module;
  int nvtab_args;
  const char **vtab_args;
  /* BEGIN */
  int txn_mode;       /* TXN_* */
  const char *savepoint; /* SAVEPOINT / RELEASE / ROLLBACK TO: the name (dequoted) */
  /* PRAGMA name [= value | (value)] */
  const char *pragma;
  Expr *pragma_value;
  const char *name_written; /* CREATE [VIRTUAL] TABLE / VIEW / TRIGGER: the name's token as written, quotes kept */
  int nparams;        /* highest parameter index used */
  const char **param_names; /* [0..nparams], entry 0 unused; NULL for "?" */
  const char *alias;  /* INSERT INTO t AS x / UPDATE t AS x / DELETE FROM t AS x: the target's alias, or NULL */
  const char *indexed_by; /* UPDATE / DELETE: INDEXED BY name, or NULL */
  int not_indexed;        /* UPDATE / DELETE: NOT INDEXED */
  /* UPDATE / DELETE … [ORDER BY terms] LIMIT n [OFFSET m] (after RETURNING, as
  ** SQLite's grammar places them): a Select holding only norder, order_by,
  ** limit and offset, or NULL.  Codegen turns it into the subquery that picks
  ** the rows to change. */
  Select *order_limit;
  /* ALTER TABLE */
  int alter_op;             /* ALTER_* */
  const char *alter_old;    /* RENAME COLUMN, DROP COLUMN: the column's current name (dequoted) */
  const char *alter_new;    /* RENAME: the new name (dequoted) */
  const char *alter_new_raw; /* RENAME: the new name as written (quotes kept) */
  const char *alter_coldef; /* ADD COLUMN: the column definition's source text */
  /* CREATE [UNIQUE] INDEX [IF NOT EXISTS] [schema.]index ON table (indexed, ...) [WHERE index_where]
  ** DROP INDEX [IF EXISTS] [schema.]index
  ** REINDEX [[schema.]index]: index is then whatever name was given (collation, table or
  ** index), NULL for a bare REINDEX.  schema, table and if_exists are the fields above.
  ** ANALYZE [[schema.]name]: likewise index is the name given (a database, table or index),
  ** NULL for a bare ANALYZE, and schema the qualifier. */
  const char *index;
  int unique;               /* CREATE UNIQUE INDEX */
  int nindexed;
  IndexedColumn *indexed;
  Expr *index_where;        /* partial index condition, or NULL */
  const char *index_method; /* CREATE INDEX … USING method (…): the method's name, else NULL */
  int nindex_params;        /* … WITH (name = literal, …) */
  struct IndexParamDef *index_params;
  Expr *vacuum_into;        /* VACUUM INTO: the file name expression, or NULL */
  Expr *attach_file;        /* ATTACH: the file name expression */
  Expr *attach_name;        /* ATTACH / DETACH: the schema name expression (a bare name reads as text) */
  Expr *attach_key;         /* ATTACH … KEY expr, or NULL */
  With *with;               /* WITH before UPDATE, DELETE or INSERT … VALUES (its CTEs serve their subqueries) */
  TriggerDef *trigger;      /* CREATE TRIGGER; table is its ON table */
};

/* A deep copy of a SELECT tree into arena (strings are shared: they are
** never changed), NULL when out of memory.  A WITH clause inside is shared
** too: its bodies are copied when used. */
Select *ast_copy_select(Arena *arena, const Select *s);
Expr *ast_copy_expr(Arena *arena, const Expr *e); /* unbound, like ast_copy_select's */
/* Whether a COLLATE stands anywhere in e (not inside a subquery, nor under a
** register codegen put in place of an expression). */
int ast_has_collate(const Expr *e);
/* The operand of e that leads to the COLLATE SQLite takes from it: a LIKE's
** pattern first, then the left operand, the arguments, the right operand and
** ESCAPE, the first that holds one; NULL when none does. */
const Expr *ast_collate_operand(const Expr *e);

#endif /* LODE_AST_H */
