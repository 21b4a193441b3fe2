/*
** cg.h — private interface between the codegen files.
**
** A Parse carries the state of one compilation: the program being built,
** register and cursor counters, the first error, the name scope (the tables
** of the FROM clause being coded and their cursors) and, while the output of
** an aggregate query is coded, the aggregate bookkeeping.
**
** Registers are numbered from 1 and never reused within a program: simple
** and safe at the cost of a few more Mems per statement.
*/
#ifndef LODE_CG_H
#define LODE_CG_H

#include "conn/conn.h"
#include "codegen/codegen.h"
#include "func/func.h"
#include "plan/plan.h"
#include "sql/schema.h"
#include "sql/token.h"
#include "util/util.h"
#include "vtab/vtab.h"

/* The table column a result column reads, as sqlite3_column_origin_name()
** and sqlite3_column_decltype() report it; column is NULL for an
** expression (which has neither). */
typedef struct ColumnOrigin {
  const char *database, *table, *column;
  const char *decltype_; /* the column's declared type (INTEGER for a rowid), or NULL */
} ColumnOrigin;

typedef struct ScopeItem {
  const char *name; /* alias or table name, as the query names it */
  const char *explain_name; /* EXPLAIN QUERY PLAN's name when not name: "schema.table" for a table the
                            ** query names with its schema and no alias, as SQLite shows it */
  Table *table;
  int cursor;       /* b-tree cursor, or the pseudo cursor of a FROM subquery */
  int sorter;       /* FROM subquery: the sorter holding its rows (a cursor number never opened when the
                    ** subquery runs as a co-routine), else -1 */
  int co_yield;     /* FROM subquery run as a co-routine: the register its Yields swap (0: none); each Yield
                    ** of the reader puts its next row's columns into the registers from co_row */
  int co_row;
  int est_rows;     /* FROM subquery: the rows it is known to give (a VALUES list's), else 0: unknown */
  struct PruneSpot *prune; /* FROM subquery: where its result columns are computed, skipped once the query
                           ** is coded for those it never read (cols_read) */
  uint64_t cols_read;      /* FROM subquery: bit c: column c was read (bit 63: a column past 62) */
  int rec_reg;      /* FROM subquery: register the pseudo cursor reads */
  int row_regs;     /* CHECK constraints: the row's values are in registers from here (0: none) */
  int rowid_reg;    /* CHECK constraints: register holding the row's rowid */
  const Index *indexed_by; /* INDEXED BY: the index the planner must use */
  int not_indexed;  /* NOT INDEXED */
  int cols_known;   /* cols_used is complete (for covering indexes) */
  uint64_t cols_used; /* bit c: the query reads column c (bit 63: a column past 62) */
  int cols_beyond_known;      /* a SELECT's item: cols_beyond_where is known */
  uint64_t cols_beyond_where; /* the part of cols_used read other than by WHERE (results, ON, ORDER BY…) */
  int unread_outside; /* a plain SELECT's item that no result, ORDER BY, GROUP BY or HAVING term reads (not even its
                      ** rowid), nor any subquery unseen: only WHERE and ON may */
  const Index *cover; /* the loop reads the row from this index alone (covering), else NULL */
  int cover_cursor;   /* its cursor */
  int rowid_reg_only; /* the loop holds the rowid in this register and never positions the cursor (0: not so) */
  int join_type;      /* JOIN_* of its FROM item (0: the first, or no FROM) */
  int nusing;         /* its USING (or NATURAL) columns: an unqualified name of one of them names the */
  const char **using_cols; /* column of an item before (INNER/LEFT), this one (RIGHT), or their coalesce (FULL) */
  const char **nested_tab; /* FROM ( join ) without a name of its own: per column, the table it comes */
  const char **nested_col; /* from and its name there (so that t.c reaches it), else NULL */
  const char *nested_hidden; /* per column: 1 for a USING column of a join's right side ("*" and unqualified
                             ** names skip it; t.c reaches it) */
  const int *nested_db;  /* per column: the database of its table (so that schema.t.c reaches it), -1 for none */
  int qualified_only; /* a trigger's OLD or NEW row: only old.x / new.x name its columns */
  int no_rowid;       /* an INSTEAD OF trigger's OLD or NEW row (of a view), or a view's RETURNING row: no rowid */
  int no_schema;      /* a RETURNING row: schema.table.column does not name its columns (as in SQLite) */
  int view_db;        /* a view: 1 + its database (schema.view.x names its columns), else 0 */
  const char *view_name; /* a view: its name (the authorizer's table for its columns), else NULL */
  int auth_read;      /* an expression names one of its columns (not only the rowid): the authorizer heard of it */
  int aliased;        /* a table named in FROM with AS alias (ALTER TABLE RENAME leaves alias.x alone) */
  const char *col_affs; /* FROM subquery or view: each column's affinity in comparisons, 0 for an expression
                        ** column (no affinity, as SQLite compares it; its Table says BLOB), else NULL */
  const ColumnOrigin *col_origins; /* FROM subquery, view or CTE: per column its origin (SelectDest.origins), or NULL */
  const VtabModule *vtab;    /* a virtual table (table-valued function): its module, else NULL */
  const ExprList *vtab_args; /* name(args): the values of its first hidden columns, or NULL */
  const Expr *exists_where;  /* one of Scope.nexists items: its EXISTS subquery's WHERE, bound in the query's
                             ** scope (NULL: none) */
} ScopeItem;

/* Names visible to an expression: the query's own FROM tables, then those of
** the enclosing queries (correlated subqueries).  After the n items come
** nexists tables of EXISTS subqueries joined to the query (exists.c): its
** loops read them, no name of the query does (only, through Parse.exists_*,
** the subqueries inside their own WHERE). */
typedef struct Scope {
  int n;
  ScopeItem *items;
  struct Scope *outer;
  int nexists;
} Scope;

/* Item `item` of `scope` is a joined EXISTS subquery's table whose WHERE is
** being coded (Parse.exists_reveal). */
typedef struct ExistsReveal {
  const Scope *scope;
  int item;
  const struct ExistsReveal *next;
} ExistsReveal;

/* A query whose result aliases the subqueries of its WHERE, GROUP BY, HAVING
** and ORDER BY may name (select.c links one per query being coded, innermost
** first; hidden while its result columns are coded). */
typedef struct AliasFrame {
  const Scope *scope;
  const struct Select *select;
  int hidden;
  struct AliasFrame *next;
} AliasFrame;

/* An aggregate call of the query and its accumulator register. */
typedef struct AggCall {
  const Expr *expr;
  const FuncDef *func;
  int accum;
  /* f(… ORDER BY …): the rows wait in a sorter (ob_sorter, else -1) as
  ** records (order keys, arrival number ob_seq, arguments) and are stepped
  ** in that order when the group ends, ties in the order they came.  With
  ** DISTINCT, as SQLite does it: a value is queued only the first time it
  ** comes, except that a call ordered by its argument alone keeps the last
  ** of equal values (arrival numbers descending, DISTINCT at the step). */
  int ob_sorter;
  int ob_seq; /* and ob_seq + 1 holds 1 */
  int ob_distinct; /* DISTINCT with ORDER BY: the set of values queued (the first to come is kept), or 0 */
  int ob_replaces; /* DISTINCT ordered by its argument alone: of equal values the last to come is kept */
} AggCall;

/* A column read outside any aggregate in an aggregate query: it shows the
** value of the last row processed, copied into reg while looping. */
typedef struct BareColumn {
  int cursor;
  int col; /* -1: rowid */
  int reg;
} BareColumn;

typedef struct AggInfo {
  int ncalls;
  AggCall *calls;
  int nbare;
  BareColumn *bare;
  int output;       /* 1 while coding expressions evaluated after the loop */
  int extreme;      /* with bare columns: per call i, min()/max()'s best value so far at extreme + 4i,
                    ** 1 once it holds one at extreme + 4i + 1, and with DISTINCT the set of values
                    ** stepped at + 2 and 1 at + 3 when the row's value was new (select.c, bare_row_test) */
  int bare_taken;   /* 1 once the bare columns hold the (group's) first row */
  int grouped;      /* the query has GROUP BY (bare_row_test: SQLite's rule for FILTER differs) */
  int distinct_prev; /* the one call, with DISTINCT, over rows in its argument's order: the previous
                     ** argument's register (a value equal to it is not stepped), else 0 */
  int distinct_have; /* and the register that says there was one */
  int pseudo;       /* GROUP BY: cursor on the grouping sorter's record, else -1 */
  int *arg_col;     /* GROUP BY: record column of each call's first argument */
  int *bare_src;    /* GROUP BY: per bare column, the record column it is read from */
  int level;        /* scope level of its query (cg_scope_level) */
  struct AggInfo *enclosing; /* while a subquery of its output is coded: the next enclosing one */
} AggInfo;

/* The CTEs a query sees: the WITH clauses of the queries it is in, inner
** first.  A frame shows ctes[0..nvisible) of its clause (a CTE's own body
** sees all of them, itself included, as in SQLite). */
typedef struct CteFrame {
  const With *with;
  int nvisible;
  struct CteFrame *outer;
} CteFrame;

/* A recursive CTE while its recursive part is coded: references to it at
** query depth `depth` read the current row from `sorter` (one row). */
typedef struct CteRecursion {
  const Cte *cte;
  int depth;
  int sorter, cursor, rec_reg;
  Table *table;
  int nrefs; /* references in the core being coded */
  struct CteRecursion *outer;
} CteRecursion;

typedef struct TriggerProgram TriggerProgram;
typedef struct TriggerSet TriggerSet;
typedef struct TriggerBody TriggerBody;

/* A scalar subquery coded so far: the affinity of its column (a comparison
** with the subquery applies it, as with a column), and the column's origin
** if it has one (a result column that is the subquery has it too). */
typedef struct ScalarOrigin {
  const Expr *expr;
  ColumnOrigin origin;
  int has_origin;
  char affinity;
  struct ScalarOrigin *next;
} ScalarOrigin;

/* A value coded once per run: a copy of its literal or parameter expression
** (in the Parse's arena, so it outlives the tree it came from) and its register. */
typedef struct HoistedValue {
  const Expr *e;
  int reg;
} HoistedValue;

/* Parse.ddl_check: CREATE TABLE or CREATE INDEX checks its new expressions;
** ALTER TABLE checks the table's text as it will read back from the schema. */
#define DDL_CHECK_CREATE 1
#define DDL_CHECK_ALTERED 2

typedef struct Parse {
  AliasFrame *aliases;
  lode *db;
  Vdbe *v;
  Arena arena; /* synthesized nodes; freed with the Parse */
  int nmem;
  int ncursor;
  int rc;
  char *errmsg;
  int err_at; /* 1 + byte offset of what the error names; 0: none */
  const Expr **outer_owned; /* aggregate calls in subqueries that an enclosing query computes (agg_owner.c) */
  const Expr **outer_copies; /* per call, the copy the enclosing query binds and computes */
  int nouter_owned;
  AggInfo *enclosing_agg;   /* the aggregate queries whose output the code being made is part of */
  Scope *scope;
  /* While terms of joined EXISTS subqueries' WHERE are coded (innermost
  ** first): their tables, which names then reach first at their scopes, as
  ** from inside the subqueries (exists.c). */
  const struct ExistsReveal *exists_reveal;
  AggInfo *agg;
  int writes;          /* program writes: Transaction p2 = 1 */
  /* Databases whose schema the program checks with a Transaction though it
  ** opens nothing in them: an IF [NOT] EXISTS that found nothing to do judged
  ** their schema, which another connection may have changed since it loaded. */
  uint32_t verify_dbs;
  int single_write;    /* ... and changes all or nothing by itself: no statement savepoint (p2 = 2) */
  int epilogue_label;  /* where Init jumps */
  /* Literals and parameters that a loop reads (compared, in arithmetic, as
  ** arguments of functions that only read them) are coded once, in the
  ** epilogue (after Transaction), into registers nothing else writes, instead
  ** of once per row; only in a program with the Init/epilogue frame
  ** (cg_operand_reg, cg_hoist_into; coded by cg_end_program). */
  int hoist_ok;
  int nhoisted, hoisted_cap;
  struct HoistedValue *hoisted;
  int explain_plan;    /* compiling for EXPLAIN QUERY PLAN: emit Explain ops */
  int explain_parent;  /* id of the plan step new steps nest under (0: top level) */
  int explain_mute;    /* > 0: plan steps are not shown (the wrapper a compound SELECT is coded in) */
  int explain_coroutine; /* the FROM subquery about to be opened is one SQLite runs as a co-routine */
  int coroutine_ok;      /* and it is the outermost loop of a FROM that reads it once: run it as one */
  const Select *push_outer; /* the query whose FROM item push_item (a view) is about to be opened (pushdown.c) */
  int push_item;
  int loose_arm_colls; /* the select about to be coded is an arm of a top-level UNION ALL chain: its
                       ** columns' collations are not looked up (an unknown one passes, as in SQLite) */
  const void **explained_ctes; /* CTEs whose plan was shown: SQLite materialises a CTE once for all its uses */
  int nexplained_ctes;
  struct ExplainArms *explain_arms; /* the plan steps of the compound SELECT being coded (select.c), or NULL */
  int nsubquery;       /* expression subqueries numbered so far (plan text) */
  int min_ref_level;   /* the outermost scope (1 = the statement's) a column read so far belongs to */
  int rerun_subqueries; /* > 0: every subquery runs where it is evaluated (RETURNING sees each row's database) */
  CteFrame *with;      /* CTEs in scope, NULL when none */
  CteRecursion *recursion; /* recursive CTEs being coded, innermost first */
  const Cte **expanding;   /* CTEs whose bodies are being coded (a use inside is circular) */
  int walk_cte;            /* ALTER TABLE RENAME opens the next CTE only to resolve its body, as SQLite walks
                           ** one: not an expansion, so a use of it inside is not circular (with.c) */
  const void **walked_ctes; /* the CTEs so walked: each once, as SQLite skips a body it has resolved */
  int nwalked_ctes;
  int nexpanding;
  int select_depth;    /* cg_select nesting */
  /* The statement's own compound SELECT is being coded: its result columns
  ** take their origins from its first arm (a compound in FROM, a view's
  ** included, from its last, as SQLite reports them). */
  int origins_first_arm;
  int *compound_first_colls; /* set by a compound's body: its first arm's result collations (-1: none) */
  ScalarOrigin *scalar_origins;
  int no_vtab;         /* root: SQLITE_PREPARE_NO_VTAB, every virtual table is refused (cg_vtab_refused) */
  int view_depth;      /* > 0 while a view's select is coded: missing tables are named main.x */
  /* How many times each view has been opened by the statement (with.c): a
  ** view nested in views that name it twice each grows the statement
  ** exponentially, and SQLite stops at 65535 references. */
  struct ViewRefs {
    const View *view;
    int n;
  } *view_refs;
  int nview_refs;
  int fix_db;          /* 1 + the database unqualified names resolve in (a non-TEMP view or trigger being
                       ** coded: its own database); 0: temp, main, attached in order (dbname.c) */
  /* The query whose only FROM item is being opened, when it just passes
  ** rows on and has a LIMIT: a recursive CTE there need produce no more
  ** rows than LIMIT + OFFSET (so an unbounded one can stop). */
  const Select *limit_hint;
  /* A query whose only FROM item is an application's virtual table, without
  ** grouping or DISTINCT, and its LIMIT/OFFSET (registers holding their
  ** values): the module is offered them as constraints, as SQLite does. */
  const Expr *vtab_limit, *vtab_offset;
  /* A query an index method may answer (one table, no aggregate, grouping,
  ** DISTINCT, window or compound): the query, its LIMIT and OFFSET. */
  const Select *idxm_select;
  const Expr *idxm_limit, *idxm_offset;
  /* Expressions of the query an index method computes: cg_expr copies
  ** register idxm_subst_reg[i] for the node idxm_subst[i] (idxm.c). */
  const Expr *idxm_subst[16];
  int idxm_subst_reg[16];
  int idxm_nsubst;
  int vtab_limit_reg, vtab_offset_reg;
  int vtab_distinct; /* the order asked of the loops (sqlite3_vtab_distinct): 1 GROUP BY, 3 DISTINCT + ORDER BY */
  int in_generated;    /* > 0 while a generated column's expression is coded (generated.c) */
  int in_default;      /* > 0 while a column's DEFAULT is coded for a row (cg_literal_default) */
  int pure_place;      /* FUNC_PLACE_INDEX or _CHECK while an index's or CHECK expression is coded */
  int nwindows; /* window subqueries made so far (their numbers in plan text) */
  int nselect;  /* SELECT cores the statement was written with (window subqueries are numbered after them) */
  struct FkState *fk;  /* foreign key actions queued by the program (fkey.c), NULL when none */
  int fk_nested;       /* > 0 while an action's row changes are coded */
  int ddl_check;       /* what checks a table's expressions: DDL_CHECK_CREATE, _ALTERED or 0 (see dqs_allowed) */
  const Table *ddl_old; /* DDL_CHECK_ALTERED: the table before the ALTER (NULL: every column is still there) */
  int fk_dropping;     /* DROP TABLE's implicit DELETE: missing parents are empty tables, mismatches ignored */
  int fk_single_row;   /* an INSERT of one row (it cannot mend an immediate violation) */
  int fk_quiet;        /* a missing parent table or key skips the foreign key without an error */
  int code_never_runs; /* coded only to validate (CREATE TABLE's CHECKs): a too-big hex literal is no error yet */
  int loops_offset;    /* the next cg_loops_open: the register of its SELECT's OFFSET when the rows it skips
                        ** may be skipped in the loop (CgLoops.early_offset), else 0 */
  int early_offset;    /* set while cg_loops_open emits its one level: lookup_row skips OFFSET's rows first */
  int loops_reverse;   /* the next cg_loops_open, of a SELECT without ORDER BY or GROUP BY under PRAGMA
                       ** reverse_unordered_selects: its scans run backwards */
  int loops_sort;      /* the next cg_loops_open: what its order is for (PLAN_SORT_*), for the planner to weigh */
  int loops_minmax;    /* the next cg_loops_open is a lone min()/max()'s: EXPLAIN QUERY PLAN says SEARCH for its
                       ** scans, as SQLite's does (WHERE_ORDERBY_MIN/MAX) */
  int pattern_opts;    /* builtin_pattern_functions' answer + 1, 0: not asked yet (root Parse only) */
  int64_t loops_limit; /* and the rows of its SELECT's constant LIMIT, 0 if none */
  struct FkExplained *fk_explained; /* EXPLAIN QUERY PLAN: the scans of child rows shown so far */
  /* Triggers (trigger.c).  A trigger's body is compiled into a program of
  ** its own, in a Parse of its own whose root is the statement's Parse. */
  struct Parse *root;         /* the statement's Parse (itself at the top) */
  const TriggerBody *trigger; /* compiling a trigger body: its conflict resolution; NULL otherwise */
  TriggerProgram *programs;   /* root: the trigger programs compiled so far (each once per conflict action) */
  /* Change data capture (cdc.c), kept on the root: the program wrote a record (so it ends with a commit
  ** record), or captures nothing (the pragma making the CDC tables); the statement's text (ALTER's record). */
  int cdc_commit;
  int cdc_off;
  const char *cdc_sql;
  struct RenameTrack *rename; /* ALTER TABLE RENAME: where a view's or trigger's names resolve (alter.c), else NULL */
  int count_reg; /* PRAGMA count_changes: the register counting the statement's own rows (and the next one holds 1),
                 ** 0 when nothing is counted (cg_count_changes_begin) */
  /* The authorizer (auth.c).  auth: the statement's questions are asked
  ** (CODEGEN_AUTH, a statement that reads or writes rows); auth_off > 0
  ** while expressions of the schema itself are coded (CHECK, DEFAULT,
  ** generated columns, indexes), which SQLite asks nothing about.  auth_ctx:
  ** the trigger, view or CTE whose text is being coded (the 4th argument).
  ** auth_top: the statement's own SELECT, asked about before compiling;
  ** auth_live: the select whose SELECT question is asked as its coding
  ** starts (INSERT's, a trigger's SELECT step); the other selects' SELECT
  ** questions and those about tables they read no column of wait in
  ** auth_pending (in the order the selects started) until the statement's
  ** names are resolved, as SQLite asks them while it codes. */
  int auth;
  int auth_off;
  const char *auth_ctx;
  const struct Select *auth_top, *auth_live;
  struct AuthPending *auth_pending;
  int auth_noop; /* the statement's own action was answered SQLITE_IGNORE: it does nothing */
} Parse;

/* The authorizer (auth.c).  cg_auth_active: questions are asked here and
** now.  cg_auth_ask: asks with Parse.auth_ctx as the 4th argument; returns
** LODE_OK, CG_AUTH_IGNORE, or the error it reported (SQLITE_DENY, or an
** answer that is none of SQLite's).  cg_auth_read: e, bound to column col
** (-1: the rowid) of item it, was bound; asks about it unless asked before,
** and returns 1 when the answer made e a NULL literal.  cg_auth_function:
** the same for the call e.  cg_auth_early: asks about e's calls and column
** references (not inside subqueries) in SQLite's order, binding them now;
** cg_auth_early_clauses: about a query's HAVING, WHERE, ON, ORDER BY and
** GROUP BY, in the order SQLite resolves them (after LIMIT and results).
** cg_auth_select_begin/_end: a query's coding starts / ends (its scope);
** cg_auth_pending: a question of the coding phase (CONN_AUTH_RECURSIVE),
** asked with the others; cg_auth_mark / cg_auth_truncate: drops the records
** made since the mark (code compiled on trial, then dropped);
** cg_auth_flush: asks the questions waiting (all: those of queries not
** finished too). */
#define CG_AUTH_IGNORE (-1)
typedef struct AuthPending AuthPending;
int cg_auth_active(const Parse *p);
int cg_auth_ask(Parse *p, int action, const char *a, const char *b, const char *zdb);
int cg_auth_read(Parse *p, Expr *e, ScopeItem *it, int col);
int cg_auth_function(Parse *p, const Expr *e);
void cg_auth_early(Parse *p, const Expr *e);
/* cg_auth_early's questions about e's calls only (LIMIT, OFFSET: no column
** is named there; a window query's results, bound in its inner query). */
void cg_auth_calls(Parse *p, const Expr *e);
void cg_auth_early_clauses(Parse *p, const Select *s);
AuthPending *cg_auth_select_begin(Parse *p, const Select *s);
void cg_auth_select_end(Parse *p, AuthPending *r, const Scope *scope);
AuthPending *cg_auth_pending(Parse *p, int action);
AuthPending *cg_auth_mark(Parse *p);
void cg_auth_truncate(Parse *p, AuthPending *mark);
void cg_auth_flush(Parse *p, int all);
/* The authorizer's question about a row change (CONN_AUTH_INSERT or _DELETE)
** of the table or view name in database zdb (NULL: found by name): 1 when
** the change is not to be coded (SQLITE_IGNORE of an INSERT: Parse.auth_noop
** for the statement's own; SQLITE_DENY: the error is set). */
int cg_auth_change(Parse *p, int action, const char *zdb, const char *name);
/* The questions of a table the statement makes (ANALYZE's statistics
** tables): as SQLite asks about its CREATE TABLE and the schema row. */
void cg_auth_new_table(Parse *p, const char *name, int db);

/* ALTER TABLE RENAME: binds the names of window w's clauses (PARTITION BY,
** ORDER BY, frame offsets) by coding them, as SQLite's resolver reaches
** them (expr.c). */
void cg_code_window_names(Parse *p, const Window *w);

/* How many scopes the chain from s has (1: the statement's own query). */
int cg_scope_level(const Scope *s);
int cg_error(Parse *p, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* An error about expression e: where e starts in the statement's text is
** reported with it (sqlite3_error_offset), unless e comes from other text (a
** view's or a trigger's). */
int cg_error_at(Parse *p, const Expr *e, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
int cg_reg(Parse *p);
int cg_regs(Parse *p, int n); /* first of n consecutive registers */
int cg_cursor(Parse *p);
int cg_op(Parse *p, int opcode, int p1, int p2, int p3);
int cg_op4_str(Parse *p, int opcode, int p1, int p2, int p3, const char *z);

/* Program frame: Init …body… Halt, then the transaction epilogue. */
void cg_begin_program(Parse *p);
void cg_end_program(Parse *p);
/* The program checks the schema of the database named zdb (every open one when NULL) as it starts. */
void cg_verify_schema(Parse *p, const char *zdb);

/* Expressions. */
void cg_expr(Parse *p, const Expr *e, int target);
int cg_expr_reg(Parse *p, const Expr *e); /* codes into a new register */
/* A register holding e's value for an operand that is only read (compared):
** a parameter's run-long register, else a new one coded like cg_expr_reg. */
int cg_operand_reg(Parse *p, const Expr *e);
/* 1 when a and b are references to one column of one FROM item (bound here
** if they were not yet); 0 otherwise, errors included. */
int cg_same_column(Parse *p, const Expr *a, const Expr *b);
/* 1 when e (a literal or parameter) will be coded into reg in the epilogue
** instead of here; reg must be written by nothing else. */
int cg_hoist_into(Parse *p, const Expr *e, int reg);
void cg_jump_if_false(Parse *p, const Expr *e, int label); /* NULL counts as false */
void cg_jump_if_true(Parse *p, const Expr *e, int label);  /* NULL counts as false */
char cg_expr_affinity(Parse *p, const Expr *e);
/* The affinity of scalar subquery e's column, once e has been coded (0 before). */
char cg_scalar_affinity(Parse *p, const Expr *e);
char cg_cast_affinity(const Expr *cast);
/* The affinity a comparison applies, given each operand's (0 = none). */
char cg_combine_affinity(char a, char b);
int cg_expr_collation(Parse *p, const Expr *e);
/* e's COLLATE or column collation, or -1 when it has none. */
int cg_explicit_collation(Parse *p, const Expr *e);
/* Whether e has a COLLATE anywhere in it (SQLite's EP_Collate): such an
** operand's collation outranks a column's in a comparison. */
int cg_has_collate(const Expr *e);
/* Whether the connection has the collation of id (named name as written,
** when known): a schema may name one it lacks.  Reports the error if not. */
int cg_check_collation_id(Parse *p, int id, const char *name);
/* Reports the unknown or ambiguous column name of e that SQLite's resolver
** would report (see sqlite_order_walk); 0 then.  e has no subquery. */
int cg_check_names(Parse *p, const Expr *e);
/* The same for a result column's record (what a subquery or view hands on):
** no error yet for a collation the connection lacks, which only a use of it
** (a comparison, ORDER BY, an index) reports. */
int cg_result_collation(Parse *p, const Expr *e);
/* The collation a column of kept rows (a FROM subquery's, an IN list's)
** takes from its expression, found as SQLite finds it: a COLLATE anywhere
** outside subqueries counts; an unknown name fails. -1: none. */
int cg_kept_collation(Parse *p, const Expr *e);
/* A function call's collation (FuncContext.coll): that of its first
** argument with a column or COLLATE collation, else BINARY. */
int cg_call_collation(Parse *p, const Expr *call);
/* The collation "l = r" compares in (SQLite's rule: COLLATE on l, on r, then their columns'). */
int cg_comparison_collation(Parse *p, const Expr *l, const Expr *r);
/* Row values (rowvalue.c): whether e compares or looks up a row value (a
** comparison, IS, BETWEEN or IN with an EXPR_VECTOR operand), and its
** value (1, 0 or NULL) into target. */
int cg_is_vector_op(Parse *p, const Expr *e);
void cg_vector_expr(Parse *p, const Expr *e, int target);
/* Looks the column up in the scope: *cursor, *col (-1 = rowid), *table. */
int cg_resolve_column(Parse *p, const Expr *e, int *cursor, int *col, Table **table);
/* Like cg_resolve_column but reports nothing; returns 1 if found. */
int cg_try_resolve_column(Parse *p, const Expr *e, int *cursor, int *col, Table **table);
/* Whether some FROM item of the innermost query (p->scope, not the outer
** ones) has the column e names; binds nothing. */
int cg_names_local_column(Parse *p, const Expr *e);
/* The table column e reads, as sqlite3_column_origin_name() reports it: a
** column of a table in the schema, of an eponymous virtual table, or of a
** FROM subquery, view or CTE whose column has an origin itself.  Fills *o
** and returns 1, or returns 0 (*o untouched) for an expression. */
int cg_column_origin(Parse *p, const Expr *e, ColumnOrigin *o);
/* Resolves every column reference of e (not inside its subqueries) now,
** reporting the first unknown or ambiguous name: the planner reads the
** bindings (Expr.bind_*). */
void cg_bind_names(Parse *p, const Expr *e);
void cg_code_column(Parse *p, Table *t, int cursor, int col, int target);
/* A column as its record holds it (the default when the record is short),
** without the REAL affinity cg_code_column applies. */
void cg_code_stored_column(Parse *p, Table *t, int cursor, int col, int target);
int cg_expr_has_aggregate(Parse *p, const Expr *e);
/* Whether e holds a subquery (scalar, EXISTS or IN) anywhere. */
int cg_expr_has_subquery(const Expr *e);
/* pushdown.c: sub, or a copy of it whose WHERE also holds the terms of
** outer's WHERE that read only FROM item `item` (named name; a view's column
** list in cols), rewritten over sub's result columns, where that cannot
** change the result. */
const Select *cg_push_down(Parse *p, const Select *outer, int item, const Select *sub, const char *name,
                           const char *const *cols, int ncols);
/* outer_join.c: s, or a copy of it whose outer joins that WHERE (or an inner
** join's ON clause) makes inner, or one-sided, are so (SQLite's rule, see
** outer_join.c); SrcItem.join_written keeps what was written.  Before
** cg_flatten. */
const Select *cg_simplify_joins(Parse *p, const Select *s);
/* The join type of it as the query wrote it. */
int cg_written_join(const SrcItem *it);
/* flatten.c: s, or a copy of it with its FROM subquery's tables in the
** subquery's place and the references to its columns replaced by their
** expressions, where that cannot change the result (see flatten.c). */
const Select *cg_flatten(Parse *p, const Select *s);
/* exists.c: the EXISTS terms of a query's WHERE that join the query (a
** semi-join, as SQLite 3.53 plans them).  cg_exists_to_join, before the FROM
** is opened: s, or a copy of it whose WHERE has TRUE in place of each such
** term, listed in *ej (scope then needs room for ej->n more items).
** cg_exists_open, once the query's own names are resolved: codes each
** subquery on trial (for its errors) and opens its table as an item of
** scope past its n (Scope.nexists) with its WHERE bound (exists_where). */
typedef struct ExistsJoins {
  int n;
  const Expr **terms;
} ExistsJoins;
const Select *cg_exists_to_join(Parse *p, const Select *s, ExistsJoins *ej);
void cg_exists_open(Parse *p, const ExistsJoins *ej, Scope *scope);
/* 1 when collation name (NULL: none) is known, else 0 with "no such collation sequence" set. */
int cg_check_collation(Parse *p, const char *name);
/* a AND b (either alone when the other is NULL); a on out of memory. */
Expr *cg_and(Parse *p, const Expr *a, const Expr *b);
/* Whether two expressions are the same tree as written (names compared
** without case, no subqueries, window calls or FILTERs). */
int cg_same_tree(const Expr *a, const Expr *b);
/* Whether aggregate call e is call (the same node, or the same call written
** again over plain columns and literals: one accumulator serves both, as
** in SQLite, so that "max(b), typeof(max(b))" is one aggregate). */
int cg_same_agg_call(const Expr *call, const Expr *e);
/* Trees cg_same_tree finds alike whose every column is bound, and bound to
** the same column of the same FROM item: one evaluation serves both. */
int cg_same_bound_tree(const Expr *a, const Expr *b);
/* Whether a name is one of the rowid's: rowid, oid, _rowid_ (any case). */
int cg_is_rowid_name(const char *name);
/* A program returning rows: its n result column names. */
void cg_result_names(Parse *p, int n, const char *const *names);
/* "st", "nd", "rd" or "th" after n, as SQLite's messages number terms. */
/* Whether an ORDER BY / GROUP BY term is a result column number (an integer
** literal under any signs, as SQLite reads one); its value in *v. */
int cg_term_number(const Expr *e, int64_t *v);
const char *cg_ordinal_suffix(int n);

/* The first aggregate call in e (outside subqueries and window calls, and not
** one an enclosing query computes), or NULL. */
const Expr *cg_first_aggregate(Parse *p, const Expr *e);

/* agg_owner.c: fn is called for each aggregate call in the subqueries of e
** that belongs to the query e is part of (whose scope is p->scope); in_where:
** CG_OWNED_IN_WHERE when the call stands in a subquery's WHERE or ON, with
** CG_OWNED_IN_BARE_HAVING when it stands in the HAVING of a subquery that does
** not aggregate by itself (no GROUP BY, no aggregate in its results): SQLite
** reports that HAVING first. */
#define CG_MAX_OWNER_DEPTH 16
#define CG_OWNED_IN_WHERE 1
#define CG_OWNED_IN_BARE_HAVING 2
typedef void (*CgOwnedFn)(Parse *p, void *ctx, const Expr *call, int in_where);
void cg_outer_owned_calls(Parse *p, const Expr *e, CgOwnedFn fn, void *ctx);
/* The same for a WHERE or ON term, but for the calls in the result columns of
** an EXISTS subquery of one core: SQLite 3.53 computes those nowhere (an
** EXISTS reads no result column), nor counts them as the subquery's. */
void cg_outer_owned_calls_where(Parse *p, const Expr *e, CgOwnedFn fn, void *ctx);
/* Only those calls, of WHERE or ON term e of query s, before s's FROM is
** open: their arguments name s's FROM or an enclosing query's. */
void cg_exists_result_calls(Parse *p, const Select *s, const Expr *e, CgOwnedFn fn, void *ctx);
/* Every such call of term e of query s whose arguments name s's FROM alone,
** before that FROM is open. */
void cg_own_calls_before_from(Parse *p, const Select *s, const Expr *e, CgOwnedFn fn, void *ctx);
/* agg_owner.c: fn is called for each bare column name in the subqueries of e
** that no FROM clause of those subqueries may name (an enclosing query's
** column or result alias). */
typedef void (*CgNameFn)(Parse *p, void *ctx, const Expr *name);
void cg_subquery_outer_names(Parse *p, const Expr *e, CgNameFn fn, void *ctx);
/* Whether call was claimed by an enclosing query (Parse.outer_owned). */
int cg_is_outer_owned(const Parse *p, const Expr *call);
/* The copy of a claimed call that its query computes, or NULL. */
const Expr *cg_outer_owned_copy(const Parse *p, const Expr *call);
/* Codes a constant integer expression (LIMIT/OFFSET) into a register. */
void cg_literal_default(Parse *p, const Table *t, const Column *col, int target);
/* 1 (with p->rc "unsafe use of f()") if the call e to f may not run where it
** is: f is direct-only and e comes from a persistent schema's text. */
int cg_func_unsafe(Parse *p, const Expr *e, const FuncDef *f);
/* The same for every call in e (CREATE TABLE's CHECKs, CREATE INDEX's
** expressions, outside TEMP): p->rc. */
int cg_schema_calls_check(Parse *p, const Expr *e);

/* Positions cursor on the row whose rowid is value, else jumps to not_found. */
void cg_seek_rowid(Parse *p, int cursor, const Expr *value, int not_found);

/* The nested loops of one query level over p->scope's items (loops.c):
** planned by plan_where, emitted level by level with each WHERE term at
** the outermost level that can test it.  from gives join types and ON
** clauses (NULL: the scope's single table of an UPDATE/DELETE).  Returns
** the label that continues with the next row; the caller codes the row
** between open and close.  With order[0..norder) (ORDER BY) the loops
** deliver that order when they can: l->plan.order_satisfied. */
/* What the code of one level of the loops keeps (CgLoops.lv[level]). */
typedef struct CgLevel {
  int head;      /* first op of the loop body (-1: a rowid lookup, no loop) */
  int next;      /* label: advance this level */
  int left;      /* LEFT JOIN: register set to 1 once a row matched, else 0 */
  int nomatch;   /* LEFT JOIN: label reached when the scan ends */
  int body;      /* LEFT JOIN: address after the ON test */
  int icur;      /* WLOOP_INDEX: the index cursor the level steps */
  int in_sorter; /* an IN list's values: sorter, or a subquery's set (-1: none) */
  int in_step;   /* the opcode to its next value: OP_SorterNext, or OP_Next on a set */
  int in_top;    /* its loop head */
  int in_next;   /* label: the next value */
  int *or_icur;  /* WLOOP_MULTI_OR: per disjunct, its index (or rowid range's table) cursor, -1: none */
  int or_ret;    /* WLOOP_MULTI_OR: register of the body's return address (0: no such level) */
  int or_done;   /* WLOOP_MULTI_OR: label past its lookups */
  /* Skip-scan (WhereLevel.nskip): where the entries of one value of the
  ** index's skipped columns begin (the first op that reads that value into
  ** skip_key, skip_n registers), and the label (0: none) that seeks past
  ** that value's entries. */
  int skip_top, skip_next, skip_key, skip_n;
  /* RIGHT and FULL joins (loops.c): the level's rows that matched go into a
  ** transient b-tree; after the loops, a second pass takes the others with
  ** NULLs for the levels before and jumps into the level's body, whose end
  ** comes back to that pass while pass_flag is set. */
  int cont;      /* label: this level's row is done (next, or rj_end for a RIGHT join) */
  int after;     /* label: the loops inside this level are done with its row: cont, or for an EXISTS table's
                 ** level (a semi-join) where its loop ends */
  int rj_set;    /* RIGHT/FULL: cursor of the matched rows' keys, -1 otherwise */
  int rj_body;   /* label: the level's body (past the match bookkeeping) */
  int rj_end;    /* label: the end of the body */
  int rj_flag;   /* register: 1 during the second pass */
  int rj_back;   /* label: the second pass's next row */
  int rj_count;  /* FROM subquery: register counting its rows (their key), else 0 */
  int bloom_reg; /* WhereLevel.bloom: register of the level's Bloom filter (0: none) */
} CgLevel;

typedef struct CgLoops {
  WherePlan plan;
  int n;
  int explain_search;          /* EXPLAIN QUERY PLAN: a scan is a "SEARCH" (Parse.loops_minmax) */
  /* Per level, one for each item of the loops (at least one): allocated
  ** and cleared by cg_loops_open, for as many levels as the query has. */
  CgLevel *lv;
  int rj_start;                  /* label: the second passes, after the outermost loop (0: none) */
  int vtab_unique;               /* a virtual table level said it yields one row at most (SCAN_UNIQUE) */
  const PlanOrder *order;        /* the ORDER BY asked for (an application's virtual table may deliver it) */
  int norder;
  /* The one table read through an index method's query (idxm.c): the
  ** method (handed to OP_IdxmOpen), the pattern and its arguments. */
  VdbeIdxm *idxm;
  const char *idxm_name;
  int idxm_cursor, idxm_pattern, idxm_nargs;
  const Expr *idxm_args[8];
  int idxm_ordered; /* the rows come in the ORDER BY's order */
  /* Result columns of the pattern the query reads: column idxm_col[i] into
  ** the register that stands for the expressions substituted. */
  int idxm_ncols, idxm_col[8], idxm_col_reg[8];
  int idxm_rowid_only; /* the query reads no column of the row: the table cursor stays unpositioned */
  /* The OFFSET register when the one level skips OFFSET's rows itself, as
  ** soon as it is on them (before an index entry's row is looked up): the
  ** caller then leaves OFFSET alone.  0 otherwise. */
  int early_offset;
} CgLoops;
/* Virtual tables (vtab.c): opens FROM item src of module m into item;
** codes level lv's scan of it (best_index over its arguments and the
** WHERE terms it can use), returning the loop head. */
int cg_open_vtab(Parse *p, const SrcItem *src, const VtabModule *m, ScopeItem *item);
/* The columns of module m as a table (an application's declared one, or
** built in the statement's arena); *nhidden gets its HIDDEN columns' count.
** NULL after an error. */
Table *cg_module_table(Parse *p, const VtabModule *m, int *nhidden);
/* A FROM item name(args), or an eponymous module named alone: SQLite's
** errors for a name that is no function ("'t' is not a function", "no
** such table"), else cg_open_vtab. */
int cg_open_call(Parse *p, const SrcItem *src, ScopeItem *item);
int cg_vtab_scan(Parse *p, CgLoops *l, int lv, int exit_label);
/* A module usable by its name (built-in, or an application's eponymous
** one, connected now); NULL if none (p->rc set when connecting failed). */
const VtabModule *cg_find_module(Parse *p, const char *name);
/* DROP TABLE or DROP VIEW of a name that only an eponymous virtual table
** (a table-valued function such as json_each, dbstat) has: SQLite's
** "table … may not be dropped", even with IF EXISTS.  1 when refused (or
** after an error connecting the module). */
int cg_refuse_eponymous_drop(Parse *p, const Stmt *st);
/* Function overloading by virtual tables: the module's version of call e
** (nargs arguments) when its overloaded argument (the first; the second of
** match, regexp, like and glob, the operators' order) is a column of an application's table, else
** NULL; f is the function the name found, whose name the module is asked about.
** cg_match_function: MATCH where no table overloads it. */
const FuncDef *cg_vtab_overload(Parse *p, const Expr *e, const FuncDef *f, int nargs);
extern const FuncDef cg_match_function;
/* The module of virtual table t, connected (NULL after an error). */
const VtabModule *cg_table_module(Parse *p, Table *t);
/* INSERT, UPDATE and DELETE on a virtual table (vtab_dml.c), through the
** module's update; DROP TABLE and CREATE VIRTUAL TABLE of one. */
void cg_vtab_insert(Parse *p, const Stmt *st, Table *t);
void cg_vtab_update(Parse *p, const Stmt *st, Table *t);
void cg_vtab_delete(Parse *p, const Stmt *st, Table *t);
void cg_create_vtab(Parse *p, const Stmt *st);
void cg_drop_vtab(Parse *p, const Stmt *st, Table *t);
/* The FROM items of its level that item's arguments read (binding their names). */
uint64_t cg_vtab_prereq(Parse *p, int item);
Expr *cg_vtab_late_args(Parse *p, int item, uint64_t placed);
/* EXPLAIN QUERY PLAN: "SCAN name VIRTUAL TABLE INDEX n:" for level lv. */
void cg_vtab_explain(Parse *p, CgLoops *l, int lv, int left_join);
int cg_loops_open(Parse *p, const SrcList *from, const Expr *where, const PlanOrder *order, int norder, CgLoops *l,
                  int done_label);
void cg_loops_close(Parse *p, CgLoops *l, int done_label);

/* A row change (rowchange.c): every INSERT, UPDATE and DELETE of a row goes
** through cg_row_change, which codes the constraint checks, the table write
** and the index entries. */
#define ROW_INSERT 1
#define ROW_UPDATE 2
#define ROW_DELETE 3
typedef struct UpsertInfo UpsertInfo;
typedef struct Returning Returning;
typedef struct FkState FkState;
typedef struct FkExplained FkExplained;
typedef struct RowChange {
  int kind;            /* ROW_* */
  const Table *table;
  int cursor;          /* the table's write cursor; UPDATE/DELETE: on the old row */
  int old_key;         /* UPDATE/DELETE: the old row's key (cg_row_key_len registers: the rowid, or
                       ** a WITHOUT ROWID table's PRIMARY KEY values) */
  int regs;            /* INSERT/UPDATE: the new row's columns (table->ncols registers) */
  int new_rowid;       /* INSERT/UPDATE: register of the new row's rowid */
  int rowid_given;     /* INSERT: the rowid came from the statement; UPDATE: it may change */
  int on_conflict;     /* ONCONFLICT_* */
  int skip;            /* label that skips this row (OR IGNORE, a vanished row) */
  int flags;           /* OPFLAG_* of the table write */
  int idx_cursor;      /* the first of the table's index cursors (cg_open_indexes), -1 if none */
  const UpsertInfo *upsert; /* INSERT: its ON CONFLICT clauses, or NULL */
  const Returning *returning; /* the statement's RETURNING, or NULL */
  const struct TriggerSet *replace_triggers; /* DELETE triggers that rows REPLACE removes fire (recursive
                                              ** triggers on), or NULL */
  int replace_fired;   /* register set to 1 once a REPLACE deleted a row whose DELETE triggers or foreign
                       ** key actions may have put a conflicting row back, or 0 (rowchange.c) */
  const int *set_of;   /* UPDATE: each column's SET item or -1 (cg_update_columns), NULL: any may change */
  const char *kept;    /* UPDATE: per column, 1 when the new record takes its bytes from the old row on the
                       ** cursor (cg_update_kept_columns; its register is never loaded), or NULL */
  const Index *walk_index; /* DELETE in one pass over a walk of this index (or NULL): the walk's own
                           ** cursor, walk_cursor, is on the row's entry and deletes it there */
  int walk_cursor;
} RowChange;
void cg_row_change(Parse *p, const RowChange *rc);
/* Fails with "UNIQUE constraint failed" (or skips to skip_row for IGNORE) when t has rowid_reg already;
** on_conflict is resolved (no ONCONFLICT_UNSET); REPLACE tests nothing. */
void cg_check_rowid_unique(Parse *p, const Table *t, int cursor, int rowid_reg, int on_conflict, int skip_row);
/* Whether a uniqueness conflict of the change may delete the row in the way (REPLACE). */
int cg_row_may_replace(const RowChange *rc);
/* UPDATE of t setting set_of's columns: which columns the new record can
** copy as stored from the old row instead of reading them into registers
** and encoding them again (NULL: none).  The caller makes sure the cursor is
** on the old row when the record is made and that nothing else reads the
** registers of those columns (triggers, RETURNING, foreign keys, CDC). */
char *cg_update_kept_columns(Parse *p, const Table *t, const int *set_of);

/* Change data capture (cdc.c) of the connection's mode (CONN_CDC_*).
** cg_cdc_mode: what a change of t (NULL: the schema) records, CONN_CDC_OFF
** when nothing; cg_cdc_refuse fails a statement that would capture a
** WITHOUT ROWID table.  A row change reads the old row first
** (cg_cdc_old_row, cursor on it; an UPDATE's new values in regs as the SET
** list made them), then records a delete before the row goes
** (cg_cdc_delete) or an insert/update before the new row is written
** (cg_cdc_write, regs and new_rowid filled, rowid alias included);
** cg_cdc_replaced records the row a REPLACE deletes (cursor on it).  Schema
** rows, of tables and explicit indexes only (as Turso): an insert with its
** record, a delete of the row on a sqlite_schema cursor when it is the
** object named name, an update of a table's row (type: its type register) with the old
** (cg_cdc_schema_before, read first) and new records.  cg_cdc_commit ends a capturing program with the commit record
** (commit_stmt: COMMIT's, else the statement's in autocommit mode). */
typedef struct CdcRow {
  int mode;   /* CONN_CDC_*, OFF: nothing recorded */
  int before;  /* register: the old row's record, 0 when the mode keeps none */
  int updates; /* register: an UPDATE's record of the columns it sets (full mode), else 0 */
} CdcRow;
int cg_cdc_mode(Parse *p, const Table *t);
int cg_cdc_refuse(Parse *p, const Table *t);
void cg_cdc_old_row(Parse *p, const RowChange *rc, CdcRow *row);
void cg_cdc_delete(Parse *p, const RowChange *rc, const CdcRow *row);
void cg_cdc_write(Parse *p, const RowChange *rc, const CdcRow *row);
void cg_cdc_replaced(Parse *p, const RowChange *rc);
void cg_cdc_schema_insert(Parse *p, const char *type, const char *sql, int rowid, int rec);
void cg_cdc_schema_delete(Parse *p, int cursor, const char *name);
int cg_cdc_schema_before(Parse *p, int cursor);
void cg_cdc_schema_update(Parse *p, int type, int rowid, int before, int after, const char *stmt_sql);
void cg_cdc_commit(Parse *p, int commit_stmt);
void cg_pragma_cdc(Parse *p, const Stmt *st);

/* Foreign keys of a row change (fkey.c); nothing is coded when PRAGMA
** foreign_keys is off or the table takes part in no foreign key.
** cg_fk_old_row reads the old row (UPDATE, DELETE) into registers before
** anything changes (0: nothing to do); cg_fk_check_old counts for the row
** leaving, before it is removed; cg_fk_check_new for the row arriving,
** before it is written; cg_fk_actions, once the change is made, queues the
** ON DELETE / ON UPDATE actions and (top level) runs them.  A row that OR
** REPLACE deletes is bracketed by cg_fk_deleting and cg_fk_deleted. */
int cg_fk_involves(Parse *p, const Table *t);
/* The order of t's row keys (the rowid, or its PRIMARY KEY's collations and
** directions), for a sorter that visits rows in key order. */
KeyInfo *cg_row_keyinfo(Parse *p, const Table *t);
int cg_fk_old_row(Parse *p, const RowChange *rc);
void cg_fk_check_old(Parse *p, const RowChange *rc, int old);
void cg_fk_check_new(Parse *p, const RowChange *rc);
void cg_fk_actions(Parse *p, const RowChange *rc, int old);
int cg_fk_deleting(Parse *p, const RowChange *rc, const Index *ix); /* ix: the index in conflict, NULL: the rowid */
void cg_fk_deleted(Parse *p, const RowChange *rc, int old);
/* Program frame: the action handlers after the Halt, the queue opened in
** the epilogue. */
void cg_fk_code_actions(Parse *p);
void cg_fk_prologue(Parse *p);
/* PRAGMA foreign_keys, defer_foreign_keys, foreign_key_list and
** foreign_key_check; 0 for any other pragma. */
int cg_fk_pragma(Parse *p, const Stmt *st);
/* DROP TABLE of t: SQLite's implicit "DELETE FROM t" first, which fails the
** statement when it leaves immediate violations. */
void cg_fk_drop_table(Parse *p, Table *t);

/* UPDATE of the row the table cursor is on (dml.c): the SET list's values,
** computed in p->scope, then cg_row_change.  set_of (cg_update_columns)
** maps each column to its SET item or -1; rowid_expr sets the rowid. */
typedef struct UpdateRow {
  const Table *table;
  int cursor, idx_cursor;
  int old_key;         /* registers: the row's key */
  const SetClause *set;
  const int *set_of;
  const Expr *rowid_expr;
  int on_conflict;
  int skip;
  const Returning *returning;
  const struct TriggerSet *triggers; /* the UPDATE triggers the change fires, or NULL */
  const struct TriggerSet *replace_triggers; /* RowChange.replace_triggers */
  int set_regs; /* UPDATE … FROM: SET item i's value is in register set_regs + i (computed by the join), else 0 */
} UpdateRow;
int *cg_update_columns(Parse *p, const Table *t, const SetClause *set, int nset, const Expr **rowid_expr);
void cg_update_row(Parse *p, const UpdateRow *u);
/* PRAGMA count_changes: a top-level INSERT, UPDATE or DELETE without
** RETURNING answers one row, the rows it inserted, updated or deleted itself
** (not those of triggers, foreign key actions, REPLACE or an upsert's DO
** UPDATE), in a column named what ("rows inserted", ...).  _begin after
** cg_begin_program, cg_count_change where a row of the statement is done,
** _end before cg_end_program. */
void cg_count_changes_begin(Parse *p, const Stmt *st, const char *what);
void cg_count_change(Parse *p);
void cg_count_changes_end(Parse *p);
/* UPDATE … FROM (update_from.c): the join into a sorter, then each target
** row changed once, by u (set_regs filled in here). */
void cg_update_from(Parse *p, const Stmt *st, Table *t, UpdateRow *u);
/* UPDATE … FROM of a view or virtual table t: the rows of SELECT lead…,
** set-value… FROM target, from… WHERE where into a sorter, in join order
** (lead[k]: t's column, -1 its rowid); the sorter, or -1 after an error. */
int cg_update_from_rows(Parse *p, const Stmt *st, const Table *t, const int *lead, int nlead);

/* Upsert (upsert.c): an INSERT's ON CONFLICT clauses, each with the
** constraint its target names. */
struct UpsertInfo {
  int n;
  const Upsert **clause;
  const Index **index; /* per clause: the index its target names, NULL for the rowid or no target */
  int *rowid;          /* per clause: the target is the rowid (INTEGER PRIMARY KEY) */
  const char *alias;   /* INSERT INTO t AS alias */
};
/* NULL when the INSERT has none, or after "ON CONFLICT clause does not
** match any PRIMARY KEY or UNIQUE constraint" (p->rc). */
const UpsertInfo *cg_upsert_analyze(Parse *p, const Stmt *st, const Table *t);
/* The first name of u's conflict target (its WHERE aside) that t has no column for, or NULL. */
const Expr *cg_upsert_unknown_target(const Table *t, const Upsert *u);
/* The clause that handles a conflict on ix (NULL: on the rowid), or NULL. */
const Upsert *cg_upsert_for(const UpsertInfo *u, const Index *ix);
/* The clause's action for rc's new row, in conflict with the row whose key
** is at key..: DO NOTHING skips the row; DO UPDATE updates that row (its
** WHERE permitting), then skips. */
void cg_upsert_action(Parse *p, const RowChange *rc, const Upsert *u, int key);

/* RETURNING (returning.c): the result columns, expanded. */
struct Returning {
  const Table *table;
  int n;
  const Expr **exprs;
  const char **names;
  int sorter; /* the rows, in the order they were changed */
};
/* NULL when the statement has no RETURNING (or on an error, p->rc); else
** opens its sorter and names the statement's result columns. */
Returning *cg_returning_begin(Parse *p, const Stmt *st, const Table *t);
/* One changed row's result, once the change is made: the row (new, or for
** DELETE old) in registers (regs, rowid_reg), or with regs 0 the row
** cursor is on.  rowid_reg -1: a view's row, which has no rowid to name. */
void cg_returning_row(Parse *p, const Returning *r, int cursor, int regs, int rowid_reg);
/* After every change: the kept rows as the statement's result rows. */
void cg_returning_end(Parse *p, const Returning *r);

/* Index entries (index.c).  A row is read from registers (cursor < 0:
** regs holds the table's columns, rowid_reg its rowid) or from a table
** cursor positioned on it (rowid_reg: 0, or a register already holding that
** row's rowid, copied instead of read again). */
typedef struct RowSource {
  const Table *table;
  int cursor;
  int regs;
  int rowid_reg;
} RowSource;
KeyInfo *cg_index_keyinfo(Parse *p, const Index *ix); /* for P4_KEYINFO: the VM takes it over */
/* Makes the row of src the only name scope (index expressions, partial
** index and CHECK conditions, RETURNING name columns of their table only),
** in *scope and *item; returns the scope to restore (p->scope = it). */
Scope *cg_row_scope_push(Parse *p, const RowSource *src, Scope *scope, ScopeItem *item);
/* Readies a CHECK expression (parsed from its table's SQL) for coding in a
** row scope: database names on its columns are dropped, as SQLite ignores
** them there; a parameter or subquery is an error (p->rc). */
int cg_check_expr_prepare(Parse *p, Expr *e);
int cg_index_count(const Table *t);                   /* indexes with a b-tree of their own */
/* INDEXED BY name: t's index of that name, or NULL after "no such index: name". */
const Index *cg_find_index_of(Parse *p, const Table *t, const char *name);
/* Opens cursor (OP_OpenRead/OP_OpenWrite) on t's b-tree: a rowid table's, or
** a WITHOUT ROWID table's index-format one (KeyInfo of its PRIMARY KEY). */
void cg_open_table(Parse *p, const Table *t, int cursor, int opcode);
/* Opens a cursor (OP_OpenRead/OP_OpenWrite) on each of t's index b-trees,
** consecutive in t->indexes order; returns the first, -1 when none. */
/* Whether a new object may not take name: "sqlite_..." is SQLite's own,
** unless PRAGMA writable_schema is on (as sqlite3's shell makes its
** temp.sqlite_parameters). */
int cg_name_reserved(Parse *p, const char *name);
int cg_open_indexes(Parse *p, const Table *t, int opcode);
/* cg_open_indexes leaving closed the indexes (own b-trees, in order) whose
** unused[i] is set: their cursor numbers are still taken. */
int cg_open_indexes_but(Parse *p, const Table *t, int opcode, const char *unused);
/* The indexes an UPDATE of set_of leaves alone (as cg_open_indexes_but
** takes them), or NULL when it may write every one. */
const char *cg_update_untouched_indexes(Parse *p, const Table *t, const int *set_of, int rowid_given,
                                        int on_conflict);
/* What identifies a row (its "row key"): the rowid, or in a WITHOUT ROWID
** table its PRIMARY KEY values (cg_row_key_len registers). */
int cg_row_key_len(const Table *t);
/* The row key an entry of ix (cursor icur, positioned) names, into key.. */
void cg_row_key_of_entry(Parse *p, const Index *ix, int icur, int key);
/* The row key of the row cursor is on (read through the scope: a covering
** index if the loop reads one), into key.. */
void cg_row_key_of_row(Parse *p, const Table *t, int cursor, int key);
/* Positions the table cursor on the row whose key is in key..; jumps to
** missing when there is none. */
void cg_seek_row(Parse *p, const Table *t, int cursor, int key, int missing);
/* Jumps to same when the row keys at a.. and b.. name one row. */
void cg_jump_if_same_row(Parse *p, const Table *t, int a, int b, int same);
/* The first n values of ix's entry for the row into key.. (n <= ncols). */
void cg_index_key(Parse *p, const Index *ix, const RowSource *src, int n, int key);
/* A partial index: jumps to skip when its WHERE does not select the row. */
void cg_index_skip_unless_selected(Parse *p, const Index *ix, const RowSource *src, int skip);
/* The entries of every index of t with a b-tree of its own (cursors from
** first_cursor, in t->indexes order), except index i when keep[i] is set
** (keep may be NULL): an UPDATE leaves alone the entries it cannot change. */
/* A UNIQUE index's entry is marked OPFLAG_PROBED: the row change checked the
** index with the entry's columns just before (OP_NoConflict), and the VM uses
** that probe's place when one ran and nothing moved the cursor since. */
void cg_index_insert_entries(Parse *p, const Table *t, int first_cursor, const RowSource *src, const char *keep);
void cg_index_delete_entries(Parse *p, const Table *t, int first_cursor, const RowSource *src, const char *keep);

/* Index methods (idxm.c).  cg_idxm_method: the method of that name, the
** connection's first, else a built-in one (NULL: none).  cg_idxm_bind: the
** method bound to mi (an OP_IdxmOpen p4), with its stores' roots when
** with_roots; NULL after cg_error.  cg_idxm_open_all opens a writable
** cursor on each method index of t (after its index cursors; *first set
** if still -1); cg_idxm_entries hands src's row to each of them, from
** cursor first on (insert, or delete when insert is 0), but to those keep
** (an UPDATE's, per method index, may be NULL) says the row keeps.  cg_idxm_create and
** cg_idxm_drop code CREATE INDEX … USING and DROP INDEX of such an index. */
const lode_index_method *cg_idxm_method(Parse *p, const char *name);
VdbeIdxm *cg_idxm_bind(Parse *p, const MethodIndex *mi, int with_roots);
char *cg_idxm_store_name(const char *index, const char *suffix);
int cg_idxm_count(const Table *t);
void cg_idxm_open_all(Parse *p, const Table *t, int *first);
void cg_idxm_entries(Parse *p, const Table *t, int first_cursor, const RowSource *src, int insert, const char *keep);
void cg_idxm_create(Parse *p, const Stmt *st, Table *t);
void cg_idxm_drop(Parse *p, const MethodIndex *mi);
/* OPTIMIZE INDEX [name]: one result row per index optimized. */
void cg_idxm_optimize(Parse *p, const Stmt *st);
/* When the query of loops l (one real table, p->idxm_select set) matches a
** pattern of one of the table's method indexes, binds that method into l
** (l->idxm) and returns 1: the level reads the rowids the method yields (in
** the ORDER BY's order when l->idxm_ordered), *where becomes the WHERE
** terms left to check on each row, and the pattern's result columns the
** query holds are registered in p->idxm_subst. */
int cg_idxm_plan(Parse *p, const PlanItem *item, const PlanOrder *order, int norder, const Expr **where, CgLoops *l);
char *cg_unique_message(const Index *ix); /* util_malloc'd, NULL on oom */
/* sqlite_schema rows and the schema cookie. */
void cg_schema_insert(Parse *p, const char *type, const char *name, const char *tbl, int root_reg, const char *sql);
void cg_schema_delete(Parse *p, int col, const char *name); /* rows whose column col equals name */
void cg_schema_delete_index(Parse *p, const char *name);   /* the row of type 'index' named name */
void cg_schema_delete_but_triggers(Parse *p, const char *name); /* rows of tbl_name name but its triggers' */
void cg_bump_schema(Parse *p);
/* The same after a statement that only added rows (a CREATE): only they are
** parsed when it runs. */
void cg_bump_schema_added(Parse *p);
void cg_destroy(Parse *p, uint32_t root); /* OP_Destroy; a root moved by auto-vacuum renamed in sqlite_schema */
/* Past keyword kw (and the spaces and comments around it) at z, or NULL. */
const char *cg_skip_keyword(const char *z, const char *kw);
const char *cg_skip_main(const char *z); /* past a "main." qualifier, else z */

/* Adds an EXPLAIN QUERY PLAN step under the current parent step (loops.c).
** Only programs compiled for EXPLAIN QUERY PLAN get Explain ops, as in
** SQLite, so other programs stay as they are.  Returns the step's id (its
** address), or 0 when none was added. */
/* The number SQLite shows a subquery by (its last core's Select.sel_id), else fallback. */
int cg_explain_select_id(const Select *s, int fallback);
/* Whether e, a name, is no column but a literal: TRUE or FALSE, or a
** double-quoted string, where no column has that name. */
int cg_column_is_literal(Parse *p, const Expr *e);
int cg_explain_step(Parse *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Generated columns (generated.c). */
/* CREATE TABLE's checks of its generated columns' expressions, with SQLite's
** messages (unknown names, subqueries, non-deterministic functions, loops, a
** table of generated columns only). */
int cg_generated_check(Parse *p, const Table *t);
/* The first part of cg_generated_check: "must have at least one non-generated column". */
int cg_generated_count_check(Parse *p, const Table *t);
/* The checks SQLite makes when it reads the new text of a table that ALTER
** TABLE rewrote: its CHECK constraints compiled against it (unknown names are
** errors), then its generated columns as cg_generated_check; a table of
** generated columns only fails first; a "double-quoted" name is a string
** there only if it named no column of old, the table before the ALTER.  The
** error is left in p (drop_column.c). */
void cg_rebuilt_table_check(Parse *p, const Stmt *create, const Table *nt, const Table *old);
/* 1 if e calls a function SQLite refuses in index expressions and partial
** index conditions as not deterministic (generated.c). */
int cg_has_nondeterministic(Parse *p, const Expr *e);
/* Computes the generated columns of the row in regs (rowid in rowid_reg)
** into their registers, inputs first, after giving the other columns their
** affinities. */
void cg_generated_compute(Parse *p, const Table *t, int regs, int rowid_reg);
/* A table with VIRTUAL columns: the columns its record holds, copied from
** regs into new registers (returned), their affinities from aff into *rec_aff. */
int cg_generated_record(Parse *p, const Table *t, int regs, const char *aff, char **rec_aff);
/* A VIRTUAL column of the row cursor is on: its expression, computed. */
void cg_virtual_column(Parse *p, Table *t, int cursor, int col, int target);
/* Whether generated column col of t may change in an UPDATE that sets the
** columns set_of marks (>= 0) and, when rowid_changed, the rowid: its
** expression reads one of them, or a generated column that may change. */
int cg_generated_changed(Parse *p, const Table *t, int col, const int *set_of, int rowid_changed);

/* Joins (join.c). */
/* After the FROM items of s are in the scope: USING and NATURAL checked and
** turned into the equalities they stand for (SrcItem.using_on, bound), each
** item's join type and USING columns noted in the scope, and unqualified
** references to a column FULL joins USING made the coalesce of its sides. */
void cg_join_prepare(Parse *p, const Select *s, Scope *scope);
/* What "*" shows for a USING column by its unqualified name (STAR_NAME): the
** coalesce of the sides a FULL join, else a column reference by name. */
Expr *cg_using_value(Parse *p, const Scope *scope, const char *name);
/* How "*" (or "t.*" when qualified) shows column col of scope item i:
** STAR_SKIP (under "*", a USING column of the item on the right of the
** join), STAR_BOUND (that column), or STAR_NAME (even under "t.*": the
** unqualified name, which a RIGHT or FULL join makes the right side's column
** or the coalesce of both, as in SQLite). */
#define STAR_SKIP 0
#define STAR_BOUND 1
#define STAR_NAME 2
int cg_star_column(const Scope *scope, int i, int col, int qualified, int nested);
/* A reference to column col of scope item i, bound already (so that two
** items of one name cannot make it ambiguous). */
Expr *cg_bound_column(Parse *p, const Scope *scope, int i, int col);
void cg_bind_to(Expr *e, const Scope *scope, int i, int col); /* binds e so */
/* Whether e, a result column of a nested_from select, is a USING column of
** a join's right side (hidden from "*" outside). */
int cg_using_hidden(const Scope *scope, const Expr *e);
/* A nested_from select shows the USING columns of item i + 1 first, before
** item i's columns, by their unqualified names: their number, names into *names. */
int cg_nested_using_terms(const Scope *scope, int i, const char *const **names);

/* Statements. */
typedef struct SelectDest SelectDest;

/* Window functions (window.c): a core whose results or ORDER BY call one is
** coded by cg_window_select as an outer query over an inner one whose rows
** go through window passes; open_from opens that inner query (the FROM item
** with a window_plan) with cg_window_open_source. */
typedef struct WindowPlan WindowPlan;
int cg_select_has_window(const Select *s);
const Expr *cg_first_window_call(const Expr *e); /* the first window call in e (not in subqueries), or NULL */
void cg_window_select(Parse *p, const Select *s, SelectDest *dest);
int cg_window_open_source(Parse *p, const SrcItem *src, ScopeItem *item);
/* The SELECT cores of a statement, as SQLite numbers them in plan text. */
int cg_count_selects(const Stmt *st);
void cg_select(Parse *p, const Select *s, SelectDest *dest);
/* Makes w's CTEs visible (frame, the caller's, goes on p->with; the caller
** restores p->with after); 0 with the error set for a duplicate name. */
int cg_with_push(Parse *p, const With *w, CteFrame *frame);
/* Opens a sorter that keeps records in insertion order and makes *dest put a
** select's rows into it; returns its cursor, or -1 (error set) when out of memory. */
int cg_sorter_dest(Parse *p, SelectDest *dest);
void cg_subquery(Parse *p, const Expr *e, int target); /* EXPR_SUBQUERY, EXPR_EXISTS, EXPR_IN_SELECT */
/* Before planning, for "x IN (SELECT ...)" as a WHERE or ON term, or a
** scalar subquery operand of a comparison term: sets e->uncorrelated (and
** the comparison's affinity and collation, or the scalar's affinity) when
** the subquery reads nothing of the queries around it, so that the planner
** may seek x's index (or rowid) for each of its values or for its value. */
void cg_note_uncorrelated(Parse *p, Expr *e);
/* Codes EXISTS or scalar subquery e as it would run for each row, for what
** that reports (p->rc), then drops the code. */
void cg_subquery_trial(Parse *p, const Expr *e);
/* cg_note_uncorrelated for each such term of where and of from's ON clauses
** (loops.c; cg_loops_open does it, and a SELECT before it, to know which
** columns its WHERE reads). */
void cg_note_uncorrelated_terms(Parse *p, const SrcList *from, const Expr *where);
/* The rows of IN's subquery sel (its n-th in EXPLAIN QUERY PLAN), once per
** run of the statement, into the transient b-tree d->cursor of order k
** (taken over): d is a DEST_INSET with its null_reg, any_reg and in_aff. */
void cg_build_in_set(Parse *p, const Select *sel, int n, KeyInfo *k, SelectDest *d);
void cg_select_stmt(Parse *p, const Stmt *st);
void cg_insert(Parse *p, const Stmt *st);
void cg_update(Parse *p, const Stmt *st);
void cg_delete(Parse *p, const Stmt *st);
void cg_create_table(Parse *p, const Stmt *st);
void cg_drop_table(Parse *p, const Stmt *st);
/* CREATE INDEX, DROP INDEX, REINDEX: parsed, refused until index maintenance exists. */
void cg_index_ddl(Parse *p, const Stmt *st);
void cg_alter_table(Parse *p, const Stmt *st);
/* ALTER TABLE RENAME finds the names of a view or trigger it changes by
** compiling it: name resolution reports here each name of the stored text
** that resolves to the renamed table or column (e: a column reference, it
** bound to scope item it; src: a FROM item naming table t). */
void cg_rename_note_column(Parse *p, const Expr *e, const struct ScopeItem *it);
void cg_rename_note_literal(Parse *p, const Expr *e); /* a "double-quoted" name read as a string */
/* A compound's ORDER BY term e that names result column col (-1: the
** rowid) of table t as a core writes it: renamed with that column. */
void cg_rename_note_term(Parse *p, const Expr *e, const Table *t, int col);
void cg_rename_note_source(Parse *p, const SrcItem *src, const Table *t);
/* A tracker that notes nothing, for Parse.rename while ALTER checks that the
** schema's views and triggers still compile: with it they compile as leniently
** as under a rename (unknown functions, direct-only calls pass). */
struct RenameTrack *cg_rename_check_only(void);
/* VACUUM [schema] [INTO file] (vacuum.c). */
void cg_vacuum(Parse *p, const Stmt *st);
/* ALTER TABLE t DROP COLUMN (drop_column.c), once alter.c found t. */
void cg_alter_drop_column(Parse *p, const Stmt *st, Table *t);
void cg_analyze(Parse *p, const Stmt *st);
/* Deletes the rows of sqlite_stat1, sqlite_stat3 and sqlite_stat4 (those that
** exist) whose column col (0 = tbl, 1 = idx) is name, as DROP TABLE and DROP
** INDEX do in sqlite3. */
void cg_stat_delete(Parse *p, int col, const char *name);
/* AUTOINCREMENT's table, made with the first AUTOINCREMENT table (ddl.c). */
#define SEQUENCE_NAME "sqlite_sequence"
#define SEQUENCE_SQL "CREATE TABLE sqlite_sequence(name,seq)"
#define SEQUENCE_NCOLS 2
/* The sqlite_sequence row (if the table exists) of table name: renamed to
** new_name, or deleted when new_name is NULL (ddl.c). */
void cg_sequence_rename(Parse *p, const char *name, const char *new_name);
void cg_transaction(Parse *p, const Stmt *st);
void cg_pragma(Parse *p, const Stmt *st);
/* PRAGMA integrity_check (full) / quick_check (integrity.c): at most
** max_errors problem rows; only, when not NULL, limits the row checks to one table. */
void cg_integrity_check(Parse *p, int full, int max_errors, const Table *only);

/* A result column of a FROM subquery computed between skip_at (a Noop) and
** end: the Noop becomes a jump to end when the outer query never reads the
** column, as SQLite leaves unused subquery columns uncomputed. */
typedef struct PruneSpot {
  int col, skip_at, end;
  struct PruneSpot *next;
} PruneSpot;

/* Where a SELECT's rows go. */
#define DEST_RESULT 1 /* ResultRow */
#define DEST_SORTER 2 /* MakeRecord + SorterInsert into cursor */
#define DEST_SCALAR 3 /* first column of the first row into reg, then stop */
#define DEST_EXISTS 4 /* reg = 1 at the first row, then stop */
#define DEST_IN 5     /* compare column 0 with reg: found → label; NULL → null_reg = 1 */
#define DEST_INSET 6  /* add column 0 (affinity in_aff) to the set at cursor; NULL → null_reg = 1 */
#define DEST_QUEUE 7  /* a recursive CTE's queue (cg_queue_row): cursor, queue */
#define DEST_ROWSET 8 /* rows of a row-value IN (SELECT ...) into the set at cursor (cg_rowset_row) */
#define DEST_GOSUB 9  /* each row copied to row_reg.. (allocated at the first row), then Gosub reg, label */
#define DEST_UPFROM 10 /* UPDATE … FROM's join: width key columns, the sequence number reg (incremented), the rest
                      ** into the sorter at cursor; a row whose key is NULL is dropped */
struct SelectDest {
  int kind;
  int cursor;   /* DEST_SORTER */
  int written_names; /* DEST_SORTER: names as cg_open_subquery_select's written_names */
  int result_names;  /* DEST_SORTER: the first arm of the statement's own compound, which names its results */
  int co_yield; /* DEST_SORTER of a co-routine: each row's columns are copied into the registers from
                ** *co_row (allocated at the first row coded; shared by a compound's arms), then Yield
                ** co_yield (instead of the insert into cursor) */
  int *co_row;
  struct PruneSpot **prune; /* a FROM subquery's rows: where each row's result columns are computed (the
                            ** list is shared by a UNION ALL chain's arms), or NULL */
  int ncols;    /* set by cg_select: number of result columns */
  int reg;      /* DEST_SCALAR/EXISTS: target; DEST_IN: the left operand */
  int column;   /* DEST_SCALAR: the result column wanted (SET (a, b) = (SELECT …)) */
  int width;    /* DEST_SCALAR: > 1: that many columns into reg.. (a row value) */
  int label;    /* DEST_IN: where a match jumps; DEST_GOSUB: the subroutine */
  int row_reg;  /* DEST_GOSUB: set by cg_select: the first register of the row the subroutine reads */
  int null_reg; /* DEST_IN: set to 1 when the subquery returns a NULL */
  int any_reg;  /* DEST_IN: set to 1 when it returns any row */
  char affinity; /* DEST_IN: the left operand's affinity (0 = none) */
  int left_coll; /* DEST_IN: the left operand's COLLATE or column collation, -1 when it has none */
  int left_collate; /* DEST_IN: the left operand has a COLLATE (anywhere in it) */
  int in_coll;   /* DEST_IN: set by cg_select: the collation the comparison uses */
  char in_aff;   /* DEST_IN: set by cg_select: the affinity it applies (0: none); DEST_INSET: to apply */
  int filter_reg; /* DEST_INSET: a Bloom filter that each value goes into as well (0: none) */
  int filter_coll; /* DEST_INSET: the set's collation, which the filter hashes by */
  int filter_explained; /* DEST_INSET: its CREATE BLOOM FILTER line is written (once, where SQLite writes it) */
  const char **names; /* set by cg_select: the result column names (arena) */
  int tag_reg;  /* DEST_SORTER: append this register's value to each record (set operations) */
  int open_at;  /* DEST_SORTER: the SorterOpen of cursor (cg_sorter_dest), or -1 */
  int take_sorted; /* DEST_SORTER: when the query's ORDER BY sorter holds its rows exactly as they would be sent
                   ** (no DISTINCT, LIMIT or OFFSET, no key stored apart), that sorter is handed over unread
                   ** instead of copied: cursor becomes it (rows in ORDER BY order once sorted) */
  const char **decls; /* set by cg_select: the result columns' declared types (arena; entries may be NULL) */
  char *affs;         /* set by cg_select: the result columns' affinities (AFF_*; 0 for an expression with none,
                      ** AFF_NONE where a compound's arms disagree) */
  int *colls;         /* set by cg_select: each result column's COLLATE or column collation, -1 if none */
  int *item_first;    /* set by cg_select: the first result column of each item of the columns list */
  ColumnOrigin *origins; /* set by cg_select: per result column the table column it reads (cg_column_origin) */
  struct CteQueue *queue; /* DEST_QUEUE */
  char *row_affs;     /* DEST_ROWSET: per column, the affinity to apply (0: none) */
  int *row_colls;     /* DEST_ROWSET: set by cg_select: each column's COLLATE or column collation, -1 if none */
  int *row_collate;   /* DEST_ROWSET: set by cg_select when not NULL: whether each column has a COLLATE (anywhere) */
  const char **tabs;  /* set by cg_select for a nested_from select: the table each result column is of */
  const char **cols;  /*   and the column's name there */
  char *hidden;       /*   and whether "*" outside skips it (cg_using_hidden) */
  int *dbs;           /*   and its table's database, -1 for none */
};

/* DEST_ROWSET: the row in regs[0..n) joins the set (with dest->row_affs
** applied); any_reg = 1, and null_reg = 1 when it has a NULL. */
void cg_rowset_row(Parse *p, const SelectDest *dest, int regs, int n);
/* A FROM item of FROM ( join ): its columns' tables and names into item. */
void cg_nested_from_names(Parse *p, const Select *sub, const SelectDest *dest, ScopeItem *item);

/* Rows of a recursive CTE wait in a transient b-tree whose entries are
** (ORDER BY keys…, sequence number, columns…): the first entry is the next
** row to take, in ORDER BY order and else in the order rows were queued.
** UNION (not ALL) also keeps every row queued so far in a second b-tree. */
typedef struct CteQueue {
  const Select *head;  /* the CTE's select: its ORDER BY */
  int cursor;          /* the queue */
  int distinct;        /* UNION: the set of rows queued so far, else -1 */
  int seq_reg;         /* the next sequence number */
  int ncols;           /* 0 until the first row is coded */
  int *order_cols;     /* result column of each ORDER BY term */
  int fifo;            /* no ORDER BY: the queue is a SORTER_QUEUE sorter of the rows' records */
} CteQueue;
/* Codes the queueing of the result row in regs[0..n) (names: the columns'
** names, for the ORDER BY); skip is where a row UNION drops goes. */
void cg_queue_row(Parse *p, SelectDest *dest, int regs, int n, const char **names, int skip);

/* FROM items that are not tables (with.c): a CTE in scope or a view is
** coded as a subquery; returns 1 when src named one (item then set up, or
** p->rc set), 0 when src names neither. */
int cg_open_named_subquery(Parse *p, const SrcItem *src, ScopeItem *item);
/* Whether an unqualified FROM name would name a CTE in scope. */
int cg_is_cte_name(Parse *p, const char *name);
/* Materialises sub (a SELECT tree of this compilation) for the FROM item
** named name, as a FROM subquery (select.c): item gets the sorter, pseudo
** cursor and a Table of the result columns (names made unique as SQLite
** makes them: "a", "a:1").  written_names: a FROM subquery's or CTE's
** column that is a column reference without AS is named as the reference
** is written (SQLite names those before it resolves them); a view's is named
** after the column it reads.  Returns 1, or 0 with p->rc set. */
/* label: what EXPLAIN QUERY PLAN calls it (a CTE's or view's own name, as
** SQLite names them whatever their alias; NULL: name). */
int cg_open_subquery_select(Parse *p, const Select *sub, const char *name, const char *label, ScopeItem *item,
                            int written_names);
/* The Table (arena) of a FROM subquery whose rows are in sorter: the result
** columns' names and declared types, the pseudo cursor and its register. */
int cg_subquery_table(Parse *p, const SelectDest *dest, const char *name, ScopeItem *item, int sorter);
/* A FROM subquery's item reads a row of NULLs (an outer join's missing row). */
void cg_null_subquery_row(Parse *p, const ScopeItem *it);
/* Column names and declared types of a view, as PRAGMA table_info shows
** them (codes its select where it is never run): the Table of a FROM item. */
Table *cg_view_table(Parse *p, View *v);
/* cg_view_table, and each column's affinity as the select gives it (0: an
** expression with none, AFF_NONE: a column's BLOB affinity), or NULL. */
Table *cg_view_table_affs(Parse *p, View *v, const char **affs);
/* The select of the view FROM item src names (parsed afresh: the caller may
** change it), the view and its column list; NULL when src names no view. */
Select *cg_view_body(Parse *p, const SrcItem *src, View **view, const char *const **cols, int *ncols);
void cg_create_view(Parse *p, const Stmt *st);
void cg_drop_view(Parse *p, const Stmt *st);

/* Triggers (trigger.c).  A statement that changes rows of a table first
** asks for the triggers that the change fires (cg_triggers); for each row it
** puts the OLD and NEW rows in a block of registers (cg_trigger_block) and
** fires the triggers of each timing (cg_fire_triggers), which runs each
** trigger's program (OP_Program) with the block as its OLD and NEW. */
struct TriggerSet {
  const Table *table; /* the table (or, INSTEAD OF, the view's columns) the triggers are on */
  int event;          /* TK_INSERT, TK_UPDATE, TK_DELETE */
  int on_conflict;    /* the statement's OR action (ONCONFLICT_UNSET: none): the bodies' statements take it */
  int n;
  const struct Trigger **items;   /* the triggers that fire, in SQLite's order (newest first) */
  const TriggerDef **defs;        /* their parsed definitions */
  int timings;        /* bit 1 << TRIGGER_*: the timings present */
};
/* The triggers on name (table t or a view) of database db that fire on
** event (for UPDATE: the SET list's columns, for UPDATE OF), or NULL when
** none does (or on an error, p->rc).  cg_triggers: those of table t. */
const TriggerSet *cg_triggers_of(Parse *p, const Table *t, int db, const char *name, int event, const SetClause *set,
                                 int nset, int on_conflict);
const TriggerSet *cg_triggers(Parse *p, const Table *t, const char *name, int event, const SetClause *set, int nset,
                              int on_conflict);
int cg_triggers_have(const TriggerSet *ts, int timing);
/* Whether trigger tr is on the table or view called name of database db (a
** TEMP trigger may be on any database's: the one it was bound to or names). */
int cg_trigger_is_on(Parse *p, const Trigger *tr, const char *name, int db);
/* A block of registers for a row's OLD and NEW values: the OLD rowid, the
** OLD columns, the NEW rowid, the NEW columns. */
int cg_trigger_block(Parse *p, const Table *t);
int cg_trigger_old(const Table *t, int block); /* first register of the OLD row (its rowid) */
int cg_trigger_new(const Table *t, int block); /* first register of the NEW row (its rowid) */
/* Copies the row cursor is on into the block's OLD (or NEW) part. */
void cg_trigger_row_from_cursor(Parse *p, const Table *t, int cursor, int dst);
/* Copies registers regs (columns) and rowid_reg (0: NULL) into the block's
** part at dst, with the table's column affinities applied. */
void cg_trigger_row_from_regs(Parse *p, const Table *t, int regs, int rowid_reg, int dst);
/* Runs the triggers of ts with this timing for the row in block; a
** RAISE(IGNORE) jumps to ignore. */
void cg_fire_triggers(Parse *p, const TriggerSet *ts, int timing, int block, int ignore);
/* The conflict action a statement with OR action (ONCONFLICT_UNSET: none)
** applies: in a trigger body, the firing statement's OR action wins. */
int cg_stmt_conflict(Parse *p, int on_conflict);
/* INSERT, UPDATE, DELETE on a view: its INSTEAD OF triggers. */
/* PRAGMA function_list / module_list (pragma_func.c). */
void cg_pragma_function_list(Parse *p);
void cg_pragma_module_list(Parse *p);
void cg_view_change(Parse *p, const Stmt *st, View *v);
int cg_view_has_triggers(Parse *p, const View *v); /* any trigger (of temp or its database) is on it */
void cg_create_trigger(Parse *p, const Stmt *st);
void cg_drop_trigger(Parse *p, const Stmt *st);
/* The names trigger tr's WHEN clause and steps use, resolved against the
** schema as it stands (ALTER TABLE checks the schema it would leave): the
** first error's message (util_malloc'd), or NULL (also when out of memory,
** with p->rc set).  An INSERT's column list and the columns an UPDATE sets
** are not checked, as in SQLite. */
char *cg_trigger_check_names(Parse *p, const Trigger *tr);
/* Deletes the TEMP triggers on table or view name of database db (DROP of
** that object; its own database's triggers go with its rows). */
void cg_drop_temp_triggers_on(Parse *p, int db, const char *name);

/* Databases and names (dbname.c).  cg_db_named: the index of database
** zdb, or -1 with SQLite's "unknown database x".  The cg_lookup_* search
** zdb, or the resolution order when NULL, without an error; *db (if not
** NULL) gets where the object was found.  cg_fix_db makes unqualified names
** resolve in db only (none for temp), returning the previous setting for
** restoring p->fix_db. */
int cg_db_named(Parse *p, const char *zdb);
Schema *cg_db_schema(Parse *p, int i);
const char *cg_db_name(Parse *p, int i);
Table *cg_lookup_table(Parse *p, const char *zdb, const char *name);
View *cg_lookup_view(Parse *p, const char *zdb, const char *name, int *db);
Index *cg_lookup_index(Parse *p, const char *zdb, const char *name);
Trigger *cg_lookup_trigger(Parse *p, const char *zdb, const char *name, int *db);
int cg_fix_db(Parse *p, int db);
/* The target of an INSERT as SQLite's messages name it: its alias, else the
** name as the statement wrote it, schema-qualified when it was ("main.T"). */
const char *cg_insert_target_label(Parse *p, const Stmt *st);
/* The legacy name SQLite's messages give schema table t: sqlite_master,
** or sqlite_temp_master in temp. */
const char *cg_schema_table_name(const Table *t);
/* The name EXPLAIN QUERY PLAN shows for a table the query names without an
** alias: "[schema.]name" as written, as SQLite shows it; NULL with an alias
** (the alias is shown) or on oom. */
const char *cg_explain_name_of(Parse *p, const char *schema, const char *name, const char *alias);
/* cg_explain_name_of for a FROM item (a schema codegen filled in is not shown). */
const char *cg_explain_name(Parse *p, const SrcItem *src);
/* ATTACH and DETACH statements. */
void cg_attach(Parse *p, const Stmt *st);
/* The schema of the database a statement works on: the one names are fixed
** to (PRAGMA schema.x), else the program's current database. */
Schema *cg_target_schema(Parse *p);
/* The database CREATE TABLE/VIEW/TRIGGER st makes its object in (TEMP, the
** schema named, else main), or -1 after SQLite's error (with.c). */
int cg_create_target(Parse *p, const Stmt *st);
/* The first schema qualifier in a FROM clause (subqueries included) that
** names a database other than db, as written; NULL when none does.  A
** non-TEMP view or trigger may reference its own database only. */
const char *cg_foreign_db_in_select(Parse *p, const Select *s, int db);
const char *cg_foreign_db_in_stmt(Parse *p, const Stmt *st, int db);
/* The view name resolves to, unless a table of that name comes first. */
View *cg_find_view_first(Parse *p, const char *zdb, const char *name);

/* Lookups with SQLite's error messages. */
Table *cg_find_table(Parse *p, const char *name);
/* "no such table: name", qualified as SQLite qualifies it (zdb as written,
** or inside a view or trigger the database whose names it resolves in). */
void cg_no_such_table(Parse *p, const char *zdb, const char *name);
/* Under SQLITE_PREPARE_NO_VTAB the virtual table name (as written, zdb its
** schema or NULL) is refused as missing: returns 1 with the error set. */
int cg_vtab_refused(Parse *p, const char *zdb, const char *name);
Table *cg_find_table_in(Parse *p, const char *zdb, const char *name);
Table *cg_find_writable_table(Parse *p, const char *zdb, const char *name);
/* LODE_OK, or "attempt to write a readonly database" on a read-only connection. */
int cg_require_writable(Parse *p);
/* Whether t is the shadow table of a virtual table that ordinary SQL may
** not change (SQLITE_DBCONFIG_DEFENSIVE on, outside the module's own statements). */
int cg_readonly_shadow(Parse *p, const Table *t);
/* Whether t is a shadow table: "<vtab>_<suffix>" that its virtual table's module claims. */
int cg_is_shadow(Parse *p, const Table *t);

#endif /* LODE_CG_H */
