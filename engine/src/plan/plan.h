/*
** plan.h — the query planner: how one query level reads its FROM items.
**
** The planner decides; codegen emits.  plan_where() takes the FROM items of
** one query level and its WHERE (with the ON clauses of its joins), whose
** column references are already bound (Expr.bound, bind_depth 0 = an item
** of this level), and returns a WherePlan:
**   - the terms: WHERE split at its top-level ANDs, each with the set of
**     items it reads and the loop level that tests it — the outermost level
**     at which every item it reads is positioned, so a term is tested once
**     per row of the tables it depends on, not once per row of the join;
**   - the levels, outermost first: per level the FROM item it loops over and
**     the access path (WhereLoop kind) that positions it — a full scan, or a
**     rowid lookup whose key only reads outer levels.
** This mirrors SQLite's split of WhereLoop (the algorithm chosen) from
** WhereLevel (its code).  See README.md in this folder for the files.
**
** Invariants: every term is tested at exactly one level (or consumed by the
** access path of its level, which then tests it by construction); a term
** of a LEFT JOIN's ON clause is tested at the level of that join's item,
** before the item counts as matched; a WHERE term reading a LEFT JOINed item
** is tested at or after that item's level, after the match bookkeeping, so
** it also sees the row of NULLs.  A RIGHT or FULL JOIN keeps the FROM
** order; a term that applies to the result of such a join (a WHERE term, an
** ON term of a later item) neither narrows an item before the join nor is
** tested before its level, since the join's rows of NULLs on the left come
** from a second pass over the right item (codegen/loops.c).  A joined EXISTS
** table (PlanItem.exists) comes after every item its terms read, so that
** all its terms are tested at or before its level: its loop ends at its
** first row that reaches the loops inside it.
*/
#ifndef LODE_PLAN_H
#define LODE_PLAN_H

#include <stdint.h>

#include "sql/ast.h"
#include "sql/schema.h"
#include "util/util.h"

#define PLAN_MAX_ITEMS 64
#define PLAN_MAX_KEY 32 /* index columns an access path can fix by equality */

/* One FROM item as the planner sees it. */
typedef struct PlanItem {
  const Table *table;  /* a real table, or the synthetic one of a subquery */
  const char *name;    /* as the query names it (alias or table name) */
  int is_subquery;     /* materialised rows, or a virtual table: scanned only */
  int est_rows;        /* a subquery's rows when known (a VALUES list: as many as it has), else 0 */
  int is_vtab;         /* a virtual table: scanned after the items its arguments (prereq) and its MATCH
                       ** query read, the others in FROM order */
  uint64_t prereq;     /* items that must be positioned before this one (bit i = FROM item i) */
  int join_type;       /* 0 for the first item, else JOIN_* */
  const Expr *on;      /* ON clause, or NULL */
  const Index *indexed_by; /* INDEXED BY: the only index the item may use (then always) */
  int not_indexed;     /* NOT INDEXED: no index (rowid lookups stay) */
  int cols_known;      /* cols_used lists every column the query reads of the item */
  uint64_t cols_used;  /* bit c: column c (bit 63: a column past 62) */
  int cols_beyond_known;       /* cols_beyond_where is known */
  uint64_t cols_beyond_where;  /* the part of cols_used read other than by WHERE */
  int no_autoindex;    /* PRAGMA automatic_index=OFF: no automatic index for this item */
  int unread_outside;  /* the rows the loops find are the query's, and none of its terms but WHERE's and ON's
                       ** reads the item: a LEFT JOIN's item that only its own ON reads, found by a lookup of one
                       ** row at most, adds nothing and has no level (plan_where leaves it out, as SQLite) */
  const char *col_affs; /* a FROM subquery's: each column's affinity in comparisons, 0 for none (NULL for a
                        ** table: its columns') */
  int exists;          /* the table of an EXISTS subquery of WHERE, joined (a semi-join, as SQLite 3.53 plans it):
                       ** on is the subquery's WHERE; its loop stops at its first row that reaches the loops
                       ** inside it; it follows the items its terms read, and after a LEFT or CROSS join that
                       ** ends the FROM, the items before that join */
} PlanItem;

/* An ORDER BY term the loops could deliver without sorting. */
typedef struct PlanOrder {
  const Expr *expr;
  int desc;
  int coll;       /* COLL_* the term sorts by */
  int nulls_last; /* NULLs after the other values */
  int any_dir;    /* either direction will do (GROUP BY and DISTINCT without ORDER BY): the loops then
                  ** walk forward, as SQLite's do, whatever direction the index has for it */
} PlanOrder;

/* A term of WHERE (or of an ON clause). */
typedef struct WhereTerm {
  const Expr *expr;
  const Expr *written; /* the term as written when constant propagation rewrote expr, else NULL: a partial
                       ** index's condition is compared with it, as SQLite's fixed columns stay columns there */
  uint64_t mask;  /* items it reads: bit i = FROM item i (all bits when it cannot tell) */
  int on_item;    /* an outer join's (LEFT, RIGHT, FULL) ON term: that item; else -1 */
  int on_of;      /* the item whose ON clause (or USING) it comes from, -1 for WHERE */
  int floor_item; /* the outermost item it may narrow or be tested at: a RIGHT or FULL join's item when
                  ** the term applies to the result of that join (a WHERE term, a later item's ON term) */
  int level;      /* the level that tests it */
  int consumed;   /* the access path of its level tests it */
  const Expr *in_equiv; /* "c = x OR c = y …": the same as "c IN (x, y, …)" (made by the planner), or NULL */
  int in_narrow;  /* in_equiv only narrows ("(c, d) IN ((x, y), …)" holds only where c IN (x, …)): a lookup
                  ** through it leaves the term to be tested */
  const Expr *like_lo, *like_hi; /* "c LIKE 'abc%'": the strings 'abc' and 'abd' (made by the planner), or NULL */
  int like_exact;                /* and the operator tells case apart (GLOB, or a case-sensitive LIKE) */
  int slice;      /* a pair of a row-value equality split into terms ("(a, b) = (x, y)"): 1 + the index of the
                  ** first pair of that equality; 0 for a term as written */
  int implied;    /* made by the planner from an OR term that implies it ("x > A OR (x = A AND …)": x >= A): it
                  ** may narrow a lookup, and is never tested (plan_where marks it consumed) */
  double truth;   /* written as likelihood(expr, p), likely(expr) or unlikely(expr): the share of rows it keeps
                  ** (p, 0.9375, 0.0625), which replaces the planner's estimates of it as in SQLite; else -1 */
} WhereTerm;

/* Access paths. */
#define WLOOP_SCAN 1        /* every row, in b-tree order */
#define WLOOP_ROWID_EQ 2    /* the one row whose rowid equals key */
#define WLOOP_ROWID_RANGE 3 /* the rows whose rowid lies between lo and hi (either may be absent) */
#define WLOOP_INDEX 4       /* entries of index: eq[0..neq) equal its first columns, then lo/hi bound the next */
#define WLOOP_MULTI_OR 5    /* the union of the rows of or_levels[0..nor) (one lookup per disjunct of an OR
                            ** term), gathered by rowid without duplicates, then read from the table */

/* One bound of a range: the value, and whether it excludes itself (< or >). */
typedef struct WhereBound {
  const Expr *value; /* NULL: no bound on this side */
  int strict;
  char affinity;     /* to apply to the value before seeking (0: none) */
  int term;          /* the WHERE term it comes from, -1 when it only narrows (a LIKE prefix, a row value) */
  int width;         /* > 1: it comes from a row value over that many index columns (EXPLAIN QUERY PLAN) */
  int past_null;     /* "x IS NOT NULL" read as "x > NULL" (value a NULL literal): the seek key is NULL, which
                     ** here starts or ends the range at the NULLs instead of matching nothing */
  const ExprList *row; /* width > 1: the row value's values (value is the first), which the sqlite_stat4
                       ** samples are compared with whole; row_strict: its comparison is < or > */
  int row_strict;
} WhereBound;

typedef struct WhereLevel {
  int item;           /* FROM item positioned by this level */
  int kind;           /* WLOOP_* */
  const Expr *key;    /* WLOOP_ROWID_EQ: the value the rowid must equal */
  const Index *index; /* WLOOP_INDEX */
  int neq;            /* WLOOP_INDEX: leading columns fixed by equality */
  int nskip;          /* WLOOP_INDEX: of those, the first nskip (0 or 1) take each of their values in turn
                      ** (skip-scan: eq[0] is NULL, the column has no term) */
  const Expr **eq;    /* WLOOP_INDEX: their values (NULL entry: IS NULL) */
  char *eq_affinity;  /* WLOOP_INDEX: affinity to apply to each (0: none) */
  char *eq_is;        /* WLOOP_INDEX: 1 for an IS term, whose NULL value seeks the NULL entries */
  WhereBound lo, hi;  /* ROWID_RANGE / INDEX: bounds of the rowid / of index column neq, in SQL terms
                      ** (lo: the column is greater, hi: it is less), whatever the column's direction */
  const Expr *in_list; /* ROWID_EQ / INDEX: an IN (…) list whose values, sorted and without
                       ** duplicates, feed the rowid (key is then NULL) or equality column in_col */
  int in_col;
  char in_affinity;   /* affinity to apply to the list's values (0: none) */
  int in_coll;        /* their collation (for the sort and the duplicates) */
  int covering;       /* WLOOP_INDEX: the index holds every column the query reads of the item */
  int autoindex;      /* WLOOP_INDEX: index is an automatic index (no b-tree yet, no name): codegen
                      ** builds it in a transient b-tree from the table before the loops */
  const int *partial; /* autoindex: the terms (indexes into WherePlan.terms) a row must pass to enter the index,
                      ** npartial of them (0: every row enters); a PARTIAL index */
  int npartial;
  int reverse;        /* visit in descending order (for ORDER BY) */
  int nor;            /* WLOOP_MULTI_OR: the disjuncts' lookups (ROWID_EQ or INDEX levels of the same item) */
  struct WhereLevel *or_levels;
  int or_number;      /* one of or_levels: SQLite's number of the part of the OR term it seeks with ("INDEX n") */
  int bloom;          /* a Bloom filter of the keys its lookup seeks (the item's rows that pass its own terms, or
                      ** its automatic index's entries) is tested before the lookup (plan_bloom_filters) */
  int bloom_at;       /* bloom: the level before whose loop its filter is built and shown, at or outside it */
  double est_rows;    /* rows this level produces per outer row (estimate) */
  double est_cost;    /* cost of the level per outer row (estimate) */
} WhereLevel;

/* Whether a comparison in affinity comb (0 or AFF_NONE: none) with a column
** of affinity caff orders like the column's index (SQLite's
** IndexAffinityOk); *key_aff receives the affinity a seek key needs. */
int plan_affinity_fits(char caff, char comb, char *key_aff);

typedef struct WherePlan {
  int nlevel;
  WhereLevel levels[PLAN_MAX_ITEMS]; /* [0, nlevel) valid; plan_clear clears only those a plan may use */
  int nterm;
  WhereTerm *terms; /* in the order of the WHERE text (ON terms after) */
  int order_satisfied; /* the rows come out in the ORDER BY order: no sort needed */
  int order_prefix;    /* else: the rows come out in the order of the first order_prefix ORDER BY terms (0:
                       ** none), so that a sort of each run of rows equal on them sorts the whole */
  /* Per item, bit k: the k-th index of its table (k < 64) is partial and the
  ** WHERE implies its condition, so a walk of it meets every row the query
  ** wants (for plan_order_by); NULL when no item has such an index. */
  const uint64_t *partial_ok;
} WherePlan;

/* Empties plan for a query of n items: the fields and levels [0, n) zeroed,
** the levels past them left as they were (never read). */
void plan_clear(WherePlan *plan, int n);

/* Plans one query level.  items[0..n) in FROM order; where may be NULL;
** opts: PLAN_* below.  Allocates from arena.  LODE_OK, LODE_NOMEM, or
** LODE_ERROR for more than PLAN_MAX_ITEMS items (or an INDEXED BY index that
** cannot serve, or virtual tables whose arguments read one another in a
** cycle, which SQLite also refuses: "no query solution"). */
#define PLAN_LIKE_BUILTIN 1 /* like(x, y) is the built-in: a LIKE prefix may narrow an index range */
#define PLAN_GLOB_BUILTIN 2 /* glob(x, y) likewise for GLOB */
#define PLAN_LIKE_CASE 4    /* the built-in like() tells case apart (PRAGMA case_sensitive_like): its range is in a
                            ** BINARY index, as GLOB's */
/* The values of bound parameters the estimates from sqlite_stat4 samples may
** read (SQLite 3.53 plans with them when it compiles a statement again after
** a bind): value(ctx, i) is parameter i's, or NULL when none is known.  The
** planner sets bit i-1 of used (bit 63 for 64 and beyond) for each parameter
** an estimate wanted and did not know: binding it should compile the
** statement again. */
typedef struct PlanParams {
  const Mem *(*value)(void *ctx, int i);
  /* An estimate compared key[0..nfield) (with the affinities of ix's
  ** columns applied) with the first nfield fields of ix's samples, field n
  ** being parameter param[n]'s known value when param[n] > 0: binding it
  ** should compile the statement again if the new value compares otherwise
  ** with some sample.  May be NULL. */
  void (*probe)(void *ctx, const Index *ix, const Mem *key, const int *param, int nfield);
  void *ctx;
  uint64_t used;
  /* Whether e calls a function that may answer otherwise from one call to
  ** the next (random(), changes()…): such a term cannot choose the rows of
  ** an automatic index.  With no callback every call may. */
  int (*varies)(void *varies_ctx, const Expr *e);
  void *varies_ctx;
  /* The sort the loops may spare, which SQLite 3.53's join search weighs
  ** (README.md): what it is for (PLAN_SORT_*, 0: none), the terms the
  ** caller then asks plan_order_by for (nsort of them), and the rows of the
  ** query's constant LIMIT (0: none). */
  int sort_kind;
  const PlanOrder *sort;
  int nsort;
  int64_t sort_limit;
} PlanParams;
#define PLAN_SORT_ORDER_BY 1
#define PLAN_SORT_GROUP_BY 2
#define PLAN_SORT_DISTINCT 3
/* params may be NULL: no parameter value is known, none is noted. */
int plan_where(Arena *arena, const PlanItem *items, int n, const Expr *where, int opts, PlanParams *params,
               WherePlan *out);
/* After plan_where: makes the outermost loop deliver rows in the order of
** order[0..norder) when its access path can (a rowid or index order, or a
** scan of an index chosen for it), setting out->order_satisfied. */
void plan_order_by(const PlanItem *items, const PlanOrder *order, int norder, WherePlan *out);
/* An index level that finds at most one row (a UNIQUE index whose every key
** column an equality fixes): its loop needs no step to a next entry. */
int plan_level_one_row(const WhereLevel *lv);

/* After plan_where and plan_order_by: marks the levels whose lookups a
** Bloom filter guards (WhereLevel.bloom), as SQLite 3.53 chooses them
** (README.md); such a level that is not an automatic index stops covering
** (the filter is built from the table's rows). */
void plan_bloom_filters(const PlanItem *items, WherePlan *wp);
/* "BLOOM FILTER ON t (b=? AND c=?)": the EXPLAIN QUERY PLAN line of level's filter. */
void plan_describe_bloom(const WherePlan *wp, const PlanItem *items, int level, char *buf, int size);

/* The EXPLAIN QUERY PLAN line of a level in SQLite's words ("SCAN t",
** "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)", "SEARCH t USING INDEX i
** (a=? AND b>?)"), into buf (NUL-terminated, truncated to size). */
void plan_describe_level(const WherePlan *wp, const PlanItem *items, int level, char *buf, int size);
/* The same for one access path of item it (a multi-index OR's disjuncts,
** which SQLite lists under "MULTI-INDEX OR" as "INDEX 1", "INDEX 2"…). */
void plan_describe_access(const WhereLevel *lv, const PlanItem *it, char *buf, int size);

#endif /* LODE_PLAN_H */
