/*
** where.c — WHERE analysis, access paths and join order for one query
** level (see plan.h for the contract).
**
** Terms: WHERE and the ON clauses of inner joins are split at their
** top-level ANDs into terms that filter alike; a LEFT JOIN's ON clause
** becomes terms bound to that join's item.  Each term's mask says which
** FROM items it reads; a term with a subquery reads "everything" (its
** correlations are not tracked), so it is tested in the innermost loop.
**
** Access paths: a rowid lookup, an index seek or an automatic index when
** terms whose values read only items positioned earlier allow one; else a
** scan.  An outer join's item uses only its own ON terms.
**
** Join order: the order of least estimated cost over all
** orders (up to PLAN_EXHAUSTIVE items; greedily beyond), where a scan reads
** the table's rows (sqlite_stat1's count after ANALYZE, else
** PLAN_ROWS_GUESS), an index equality leaves ANALYZE's rows per key (else
** PLAN_EQ_ROWS, one fewer per further column: eq_rows_guess) and a rowid
** lookup costs a b-tree descent and yields one row.  Only a clearly cheaper order replaces the FROM order, so that
** equal-cost joins keep the order (and the row order) the query was written
** in, as SQLite does.  The right item of a LEFT or CROSS join comes after
** the items before it in FROM; with a RIGHT or FULL join the FROM order is
** kept.  A join
** whose every item a scan, a rowid lookup or an automatic index reads takes
** the order SQLite's own search finds with its estimates (class_order).
*/
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lode.h"
#include "plan/plan.h"
#include "sql/token.h"
#include "value/value.h"

#define ALL_ITEMS (~(uint64_t)0)
/* Rows a table is assumed to have without statistics (SQLite's default guess). */
#define PLAN_ROWS_GUESS 1048576.0
/* Cost of one b-tree descent into a table of n rows: about log2 of n. */
static double seek_cost(double n) { return log2(n > 2 ? n : 2); }
/* Cost of reading a table row found through an index, relative to reading
** the next row of a scan: a descent, but through pages mostly cached, so
** that a range with one bound (a quarter of the rows) beats a scan, as in
** SQLite. */
#define PLAN_LOOKUP_COST 2.5
/* Cost of one comparison of a sort, against 1 for the next row of a scan:
** a sorter compares keys in memory, far cheaper than a step of a b-tree
** scan, and much cheaper than a row lookup, so that a seek that leaves a
** quarter of the rows to sort beats a full scan in the wanted order whose
** rows are looked up (SQLite's choice). */
#define PLAN_SORT_COMPARE 0.5
/* Cost of a full scan of a covering index per row, against 1 for the table. */
#define PLAN_COVER_SCAN 0.9
/* Rows an equality on an index's leading columns is assumed to leave
** (SQLite's guess without statistics). */
#define PLAN_EQ_ROWS 10.0
/* Longest LIKE prefix checked for the look of a number: a longer one on a
** column that may hold numbers gets no range. */
#define PLAN_LIKE_PREFIX_MAX 64
/* Orders are enumerated up to this many items. */
#define PLAN_EXHAUSTIVE 6
/* A cheaper order must win by this factor to replace the FROM order. */
#define PLAN_BETTER 0.5

static uint64_t bit(int i) { return (uint64_t)1 << i; }

/* The items e reads at this level (bind_depth 0). */
static uint64_t expr_mask(const Expr *e) {
  if (!e) return 0;
  if (e->select) {
    /* A subquery codegen found to read nothing around it is a constant. */
    if (!e->uncorrelated) return ALL_ITEMS;
    return e->kind == EXPR_IN_SELECT ? expr_mask(e->left) : 0;
  }
  if (e->kind == EXPR_COLUMN) return e->bound && e->bind_depth == 0 ? bit(e->bind_item) : 0;
  uint64_t m = expr_mask(e->left) | expr_mask(e->right) | expr_mask(e->escape);
  for (int i = 0; e->args && i < e->args->n; i++) m |= expr_mask(e->args->items[i]);
  return m;
}

typedef struct OrParts OrParts;

typedef struct TermList {
  Arena *arena;
  WhereTerm *v;
  int n, cap;
  int rc;
  OrParts **ors; /* per term: an OR term's disjuncts (note_or_parts), else NULL; nors of them (the terms added */
  int nors;      /* after note_or_parts, all implied, have none) */
  int disjunct;  /* the terms of one disjunct of an OR term, not the whole WHERE */
  PlanParams *params; /* bound parameter values for the sqlite_stat4 estimates, or NULL */
  int slicing;   /* while the pairs of a row-value equality are added: the WhereTerm.slice they get */
  int *key_rank; /* per term two ranks (note_key_ranks), or NULL: the order of automatic index keys */
} TermList;

/* The disjuncts of an OR term, each split at its ANDs into terms of its own. */
struct OrParts {
  int n;
  TermList *parts;
  const Expr **exprs; /* each disjunct as written */
  int *nown;          /* per disjunct, its own terms: parts[j].v[0..nown[j]) (the WHERE's other terms follow) */
  int *commuted;      /* per disjunct, where SQLite appends its copy turned round, or -1 (WhereLevel.or_number) */
};

/* "x IS TRUE" and "x IS FALSE" test x's truth value: TRUE and FALSE are
** names no column answers to (name resolution left them unbound), not values
** to seek. */
static int is_truth_test(const Expr *e) {
  const Expr *r = e->right;
  while (r && r->kind == EXPR_COLLATE) r = r->left;
  return r && r->kind == EXPR_COLUMN && !r->bound && !r->table && !r->quoted &&
         (util_stricmp(r->text, "true") == 0 || util_stricmp(r->text, "false") == 0);
}

/* "x IS y": an equality that a NULL y matches too (not IS NOT, nor a truth test). */
static int is_equal_is(const Expr *e) { return e->kind == EXPR_IS && !e->negated && !is_truth_test(e); }

/* "(a, b) = (x, y)" (or IS) as a condition is "a = x AND b = y" (IS): the
** pairs become terms of their own, which seeks can use.  A pair of row
** values, "(b, c) = (y, z)" in "(a, (b, c)) = (x, (y, z))", is split in
** turn (add_term): as in SQLite, such a nesting is usable only as a term of
** a WHERE or ON clause, and is "row value misused" anywhere else.  NULL if
** e is not such a comparison (or out of memory: then it stays whole). */
static Expr *row_value_pairs(Arena *arena, const Expr *e) {
  int is = e->kind == EXPR_IS && !e->negated;
  if (!(is || (e->kind == EXPR_BINARY && e->op == TK_EQ))) return NULL;
  const Expr *l = e->left, *r = e->right;
  if (l->kind != EXPR_VECTOR || r->kind != EXPR_VECTOR || l->args->n != r->args->n) return NULL;
  Expr *all = NULL;
  for (int i = 0; i < l->args->n; i++) {
    Expr *pair = arena_alloc(arena, sizeof *pair), *and = all ? arena_alloc(arena, sizeof *and) : NULL;
    if (!pair || (all && !and)) return NULL;
    pair->kind = e->kind;
    pair->op = e->op;
    pair->left = l->args->items[i];
    pair->right = r->args->items[i];
    pair->offset = e->offset;
    if (and) {
      and->kind = EXPR_BINARY;
      and->op = TK_AND;
      and->left = all;
      and->right = pair;
    }
    all = and ? and : pair;
  }
  return all;
}

/* likelihood(x, p), likely(x) or unlikely(x): the share of rows x keeps
** (SQLite's 0.9375 and 0.0625 for the last two), else -1.  A probability
** that is not a real literal in [0, 1] is left to codegen's error. */
static double hint_truth(const Expr *e) {
  if (e->kind != EXPR_FUNCTION || e->over || e->filter || !e->args || !e->text) return -1;
  if (e->args->n == 1 && util_stricmp(e->text, "likely") == 0) return 0.9375;
  if (e->args->n == 1 && util_stricmp(e->text, "unlikely") == 0) return 0.0625;
  if (e->args->n != 2 || util_stricmp(e->text, "likelihood") != 0) return -1;
  const Expr *pr = e->args->items[1];
  return pr->kind == EXPR_FLOAT && pr->rval >= 0.0 && pr->rval <= 1.0 ? pr->rval : -1;
}

static void add_term(TermList *l, const Expr *e, int on_item) {
  if (!e || l->rc != LODE_OK) return;
  /* A hint's argument is the term (its value is the argument's), with the
  ** hint's share of rows; an AND under it splits into terms without one. */
  double truth = hint_truth(e);
  if (truth >= 0) {
    const Expr *x = e->args->items[0];
    while (hint_truth(x) >= 0) x = x->args->items[0];
    if (x->kind == EXPR_BINARY && x->op == TK_AND) {
      add_term(l, x, on_item);
      return;
    }
    int first = l->n;
    add_term(l, x, on_item);
    for (int k = first; k < l->n; k++) l->v[k].truth = truth;
    return;
  }
  if (e->kind == EXPR_BINARY && e->op == TK_AND) {
    add_term(l, e->left, on_item);
    add_term(l, e->right, on_item);
    return;
  }
  const Expr *pairs = row_value_pairs(l->arena, e);
  if (pairs) {
    int outer = l->slicing;
    if (!outer) l->slicing = l->n + 1; /* a nested row value's pairs belong to the outermost one */
    add_term(l, pairs, on_item);
    l->slicing = outer;
    return;
  }
  if (l->n == l->cap) {
    int cap = l->cap ? 2 * l->cap : 8;
    WhereTerm *v = arena_alloc(l->arena, sizeof *v * (size_t)cap);
    if (!v) {
      l->rc = LODE_NOMEM;
      return;
    }
    if (l->n) memcpy(v, l->v, sizeof *v * (size_t)l->n);
    l->v = v;
    l->cap = cap;
  }
  WhereTerm *t = &l->v[l->n++];
  memset(t, 0, sizeof *t);
  t->expr = e;
  t->mask = expr_mask(e);
  t->on_item = on_item;
  t->slice = l->slicing;
  t->truth = -1;
}

/* An item whose rows can be missing (NULLs) or unmatched: its access path
** uses only its own ON terms (WHERE terms must also see its row of NULLs,
** and a RIGHT join's unmatched rows are found by a scan of all). */
static int is_outer(int join_type) {
  return join_type == JOIN_LEFT || join_type == JOIN_RIGHT || join_type == JOIN_FULL;
}

static int is_right(int join_type) { return join_type == JOIN_RIGHT || join_type == JOIN_FULL; }

/* Whether t may narrow item's access path: a WHERE (or inner ON) term, or
** for an outer join's right table only the terms of its own ON clause; and
** not an item before a RIGHT or FULL join whose result the term applies to. */
static int term_for(const PlanItem *items, const WhereTerm *t, int item) {
  if (is_outer(items[item].join_type)) return t->on_item == item;
  return t->on_item < 0 && item >= t->floor_item;
}

static int is_column_of(const Expr *e, int item, int cid) {
  return e->kind == EXPR_COLUMN && e->bound && e->bind_depth == 0 && e->bind_item == item &&
         (e->bind_col < 0 ? XN_ROWID : e->bind_col) == cid;
}

/* An expression the access path may evaluate before positioning item: it
** reads only placed items (and outer queries). */
static int usable_value(const Expr *e, uint64_t placed) {
  uint64_t m = expr_mask(e);
  return m != ALL_ITEMS && !(m & ~placed);
}

/* Rows of the item's table: ANALYZE's count when there is one. */
static double table_rows(const PlanItem *it) {
  if (it->is_subquery && it->est_rows > 0) return it->est_rows;
  if (it->is_subquery || !it->table->stat_loaded) return PLAN_ROWS_GUESS;
  return it->table->stat_nrows > 0 ? (double)it->table->stat_nrows : 1;
}

static int is_numeric_affinity(char a) { return a == AFF_NUMERIC || a == AFF_INTEGER || a == AFF_REAL; }

/* The affinity of e as a comparison operand (0: none); a column of an
** enclosing query carries its own in the binding. */
/* The affinity column cid of item compares with: a FROM subquery's
** expression column has none (0), unlike a table column of no type (BLOB). */
static char column_affinity(const PlanItem *items, int item, int cid) {
  if (cid < 0) return AFF_INTEGER;
  if (items[item].col_affs) return items[item].col_affs[cid];
  return items[item].table->cols[cid].affinity;
}

static int operand_affinity(const PlanItem *items, const Expr *e) {
  switch (e->kind) {
  case EXPR_COLUMN:
    if (!e->bound) return 0;
    if (e->bind_depth != 0) return e->bind_affinity;
    return column_affinity(items, e->bind_item, e->bind_col);
  case EXPR_CAST: return !e->text || !e->text[0] ? AFF_NUMERIC : value_affinity_of_type(e->text); /* CAST(x AS ): NUMERIC */
  case EXPR_COLLATE: return operand_affinity(items, e->left);
  case EXPR_SUBQUERY: return e->uncorrelated ? e->bind_affinity : 0;
  case EXPR_REGISTER: return e->bind_affinity;
  case EXPR_FUNCTION: /* the coalesce of USING columns */
    return e->op == FUNC_AFF_FIRST && e->args && e->args->n ? operand_affinity(items, e->args->items[0]) : 0;
  default: return 0;
  }
}

/* The collation of an operand: an explicit COLLATE, else its column's
** (an enclosing query's column carries its own); -1 none. */
static int operand_collation(const PlanItem *items, const Expr *e) {
  if (e->kind == EXPR_COLLATE) {
    int id = coll_by_name(e->text);
    return id < 0 ? COLL_BINARY : id;
  }
  if (e->kind == EXPR_COLUMN && e->bound) {
    if (e->bind_depth != 0) return e->bind_coll;
    return e->bind_col < 0 ? COLL_BINARY : items[e->bind_item].table->cols[e->bind_col].coll;
  }
  return -1;
}

static int has_collate(const Expr *e) { return ast_has_collate(e); }

/* The collation an explicit COLLATE inside e gives it (e has one): the walk
** of codegen's collation_of, through a unary + or CAST to the operand with
** a COLLATE (a LIKE's pattern first). */
static int nested_collation(const PlanItem *items, const Expr *e) {
  while (e && e->kind != EXPR_COLLATE) {
    if (e->kind == EXPR_COLUMN || e->kind == EXPR_REGISTER) return operand_collation(items, e);
    if (e->kind == EXPR_CAST || (e->kind == EXPR_UNARY && e->op == TK_PLUS)) {
      e = e->left;
      continue;
    }
    if (e->kind == EXPR_VECTOR) {
      e = e->args && e->args->n ? e->args->items[0] : NULL;
      continue;
    }
    e = ast_collate_operand(e);
  }
  return e ? operand_collation(items, e) : -1;
}

/* The collation a comparison of l with r uses: an explicit COLLATE anywhere
** in an operand (left first), else the left operand's column's, else the
** right's. */
static int comparison_collation(const PlanItem *items, const Expr *l, const Expr *r) {
  int c = has_collate(l) ? nested_collation(items, l) : has_collate(r) ? nested_collation(items, r) : -1;
  if (c >= 0) return c;
  int lc = operand_collation(items, l), rc = operand_collation(items, r);
  return lc >= 0 ? lc : rc >= 0 ? rc : COLL_BINARY;
}

/* Whether comparing the column (affinity col_aff, collation coll) with
** value, column on the left if col_left, orders like an index on the
** column does; *key_aff receives the affinity the value needs first (as
** SQLite's IndexAffinityOk rules have it). */
static int comparison_fits_affinity(const PlanItem *items, const Expr *col, char caff, const Expr *value,
                                    int col_left, int coll, char *key_aff) {
  int vaff = operand_affinity(items, value);
  int cmp_coll = comparison_collation(items, col_left ? col : value, col_left ? value : col);
  if (cmp_coll != coll) return 0;
  char comb;
  if (caff && vaff) comb = is_numeric_affinity(caff) || is_numeric_affinity((char)vaff) ? AFF_NUMERIC : 0;
  else comb = caff ? caff : (char)vaff;
  return plan_affinity_fits(caff, comb, key_aff);
}

int plan_affinity_fits(char caff, char comb, char *key_aff) {
  if (comb == AFF_NONE) comb = 0;
  if (comb == AFF_TEXT && caff != AFF_TEXT) return 0;
  if (is_numeric_affinity(comb) && !is_numeric_affinity(caff)) return 0;
  /* Numeric affinity, not the column's REAL: an integer key stays an integer
  ** and compares exactly with the stored reals, as the comparison would. */
  *key_aff = !comb ? 0 : is_numeric_affinity(caff) ? AFF_NUMERIC : caff;
  return 1;
}

static int comparison_fits(const PlanItem *items, const Expr *col, const Expr *value, int col_left, int coll,
                           char *key_aff) {
  char caff = column_affinity(items, col->bind_item, col->bind_col);
  return comparison_fits_affinity(items, col, caff, value, col_left, coll, key_aff);
}

/* Whether the query's expression q (bound to item) is the index's
** expression x (of the same table, names not resolved): the same tree. */
static int same_expr(const PlanItem *items, int item, const Expr *q, const Expr *x) {
  if (!q || !x) return q == x;
  if (q->select || x->select) return 0;
  if (x->kind == EXPR_COLUMN) {
    if (q->kind != EXPR_COLUMN || !q->bound || q->bind_depth != 0 || q->bind_item != item) return 0;
    const Table *t = items[item].table;
    int c = x->bound ? x->bind_col : table_column_index(t, x->text);
    if (c < 0 && !x->bound && (util_stricmp(x->text, "rowid") == 0 || util_stricmp(x->text, "oid") == 0 ||
                               util_stricmp(x->text, "_rowid_") == 0))
      c = -1;
    else if (c >= 0 && c == t->ipk)
      c = -1;
    return c == q->bind_col && (c >= 0 || !x->bound || x->bind_col < 0);
  }
  if (q->kind != x->kind || q->op != x->op || q->negated != x->negated || q->distinct != x->distinct ||
      q->star != x->star)
    return 0;
  if ((q->text == NULL) != (x->text == NULL)) return 0;
  if (q->text) {
    if (q->kind == EXPR_STRING || q->kind == EXPR_BLOB) {
      if (q->n != x->n || memcmp(q->text, x->text, (size_t)q->n) != 0) return 0;
    } else if (util_stricmp(q->text, x->text) != 0) {
      return 0;
    }
  }
  if ((q->args == NULL) != (x->args == NULL) || (q->args && q->args->n != x->args->n)) return 0;
  for (int i = 0; q->args && i < q->args->n; i++)
    if (!same_expr(items, item, q->args->items[i], x->args->items[i])) return 0;
  return same_expr(items, item, q->left, x->left) && same_expr(items, item, q->right, x->right) &&
         same_expr(items, item, q->escape, x->escape);
}

/* Term t read as "the index's expression x <op> value" (an expression index
** column); like term_on_column. */
static int term_on_expr(const PlanItem *items, const WhereTerm *t, int item, const Expr *x, int coll,
                        uint64_t placed, const Expr **value, char *key_aff) {
  const Expr *e = t->expr;
  if (!term_for(items, t, item) || e->kind != EXPR_BINARY) return 0;
  int op = e->op;
  if (op != TK_EQ && op != TK_LT && op != TK_LE && op != TK_GT && op != TK_GE) return 0;
  int left = same_expr(items, item, e->left, x) && usable_value(e->right, placed);
  int right = !left && same_expr(items, item, e->right, x) && usable_value(e->left, placed);
  if (!left && !right) return 0;
  const Expr *ex = left ? e->left : e->right, *v = left ? e->right : e->left;
  int xaff = operand_affinity(items, ex);
  if (!comparison_fits_affinity(items, ex, (char)xaff, v, left, coll, key_aff)) return 0;
  *value = v;
  if (left) return op;
  return op == TK_LT ? TK_GT : op == TK_LE ? TK_GE : op == TK_GT ? TK_LT : op == TK_GE ? TK_LE : op;
}

/* Whether e is NULL (so, as a WHERE term, not true) whenever x is NULL:
** e is x, or an operator that yields NULL for a NULL operand (comparison,
** arithmetic, bit, concatenation, unary, COLLATE) applied to such an e;
** IN and BETWEEN by any operand, except a NOT IN (SELECT) (an empty result
** makes it true). */
static int null_when_null(const PlanItem *items, int item, const Expr *e, const Expr *x, int under_not) {
  if (!e) return 0;
  if (same_expr(items, item, e, x)) return 1;
  switch (e->kind) {
  case EXPR_BINARY:
    switch (e->op) {
    case TK_EQ: case TK_NE: case TK_LT: case TK_LE: case TK_GT: case TK_GE: case TK_PLUS: case TK_MINUS:
    case TK_STAR: case TK_SLASH: case TK_REM: case TK_BITAND: case TK_BITOR: case TK_LSHIFT: case TK_RSHIFT:
    case TK_CONCAT:
      return null_when_null(items, item, e->left, x, 1) || null_when_null(items, item, e->right, x, 1);
    default: return 0;
    }
  case EXPR_UNARY: return null_when_null(items, item, e->left, x, under_not || e->op == TK_NOT);
  case EXPR_COLLATE: return null_when_null(items, item, e->left, x, under_not);
  case EXPR_IN_LIST: return null_when_null(items, item, e->left, x, 1);
  case EXPR_IN_SELECT:
    return !(e->negated || under_not) && null_when_null(items, item, e->left, x, 1);
  case EXPR_BETWEEN:
    return !e->negated && !under_not &&
           (null_when_null(items, item, e->left, x, 1) || null_when_null(items, item, e->args->items[0], x, 1) ||
            null_when_null(items, item, e->args->items[1], x, 1));
  default: return 0;
  }
}

static int known_value(const TermList *terms, const Expr *e, char aff, Mem *out, int *param);

/* A parameter's bit in PlanParams.used. */
static uint64_t param_bit(int i) { return i >= 64 ? (uint64_t)1 << 63 : (uint64_t)1 << (i - 1); }

/* Whether term e, "x <op> ?N" (or "?N = x"), is condition cond, "x <op>
** constant", for ?N's bound value: as SQLite, a statement compiled while
** ?N holds the partial index's constant may use the index, and binding ?N
** again compiles it again. */
static int same_by_bound_value(const PlanItem *items, int item, const TermList *terms, const Expr *e,
                               const Expr *cond) {
  if (e->kind != EXPR_BINARY || cond->kind != EXPR_BINARY || e->op != cond->op) return 0;
  const Expr *param = NULL;
  if (e->right->kind == EXPR_PARAM && same_expr(items, item, e->left, cond->left)) param = e->right;
  else if (e->op == TK_EQ && e->left->kind == EXPR_PARAM && same_expr(items, item, e->right, cond->left))
    param = e->left;
  if (!param || cond->right->kind == EXPR_PARAM) return 0;
  Mem bound, constant;
  int n = 0, none = 0;
  if (!known_value(terms, param, 0, &bound, &n) || !known_value(terms, cond->right, 0, &constant, &none)) return 0;
  if (n && terms->params) terms->params->used |= param_bit(n);
  return bound.type != MEM_NULL && bound.type == constant.type && mem_compare(&bound, &constant, COLL_BINARY) == 0;
}

/* Whether WHERE term e implies cond: it is cond, or cond is an OR that e
** implies a side of, or cond is "x IS NOT NULL" and e cannot be true while
** x is NULL. */
static int term_implies(const PlanItem *items, int item, const TermList *terms, const Expr *e, const Expr *cond) {
  if (same_expr(items, item, e, cond) || same_by_bound_value(items, item, terms, e, cond)) return 1;
  if (cond->kind == EXPR_BINARY && cond->op == TK_OR)
    return term_implies(items, item, terms, e, cond->left) || term_implies(items, item, terms, e, cond->right);
  return cond->kind == EXPR_NOTNULL && null_when_null(items, item, e, cond->left, 0);
}

/* Whether WHERE implies a partial index's condition: each of its AND terms
** is implied by a term of WHERE, as written or as constant propagation
** rewrote it. */
static int implied_by(const PlanItem *items, int item, const TermList *terms, const Expr *cond) {
  if (cond->kind == EXPR_BINARY && cond->op == TK_AND)
    return implied_by(items, item, terms, cond->left) && implied_by(items, item, terms, cond->right);
  for (int k = 0; k < terms->n; k++) {
    const WhereTerm *t = &terms->v[k];
    if (!term_for(items, t, item)) continue;
    if (term_implies(items, item, terms, t->expr, cond)) return 1;
    if (t->written && term_implies(items, item, terms, t->written, cond)) return 1;
  }
  return 0;
}

/* Whether a partial index ix of item may serve the query: the WHERE implies
** its condition, and no RIGHT or FULL JOIN adds the item's unmatched rows
** (which a walk of ix would miss). */
static int partial_usable(const PlanItem *items, int item, const TermList *terms, const Index *ix) {
  return !is_right(items[item].join_type) && implied_by(items, item, terms, ix->where);
}

/* Term t read as "column cid of item <op> value" with value usable now:
** returns the operator (TK_EQ, TK_LT, TK_LE, TK_GT, TK_GE; TK_IS for IS,
** an equality that a NULL value matches too; TK_ISNULL for IS NULL, value
** NULL) or 0. */
static int term_on_column(const PlanItem *items, const WhereTerm *t, int item, int cid, int coll, uint64_t placed,
                          const Expr **value, char *key_aff) {
  const Expr *e = t->expr;
  if (!term_for(items, t, item)) return 0;
  if (e->kind == EXPR_ISNULL && is_column_of(e->left, item, cid)) {
    *value = NULL;
    *key_aff = 0;
    return TK_ISNULL;
  }
  int is = is_equal_is(e) && e->left->kind != EXPR_VECTOR;
  if (e->kind != EXPR_BINARY && !is) return 0;
  int op = is ? TK_IS : e->op;
  if (op != TK_EQ && op != TK_IS && op != TK_LT && op != TK_LE && op != TK_GT && op != TK_GE) return 0;
  if (is_column_of(e->left, item, cid) && usable_value(e->right, placed)) {
    if (!comparison_fits(items, e->left, e->right, 1, coll, key_aff)) return 0;
    *value = e->right;
    return op;
  }
  if (is_column_of(e->right, item, cid) && usable_value(e->left, placed)) {
    if (!comparison_fits(items, e->right, e->left, 0, coll, key_aff)) return 0;
    *value = e->left;
    switch (op) { /* the column is on the right: the comparison turns round */
    case TK_LT: return TK_GT;
    case TK_LE: return TK_GE;
    case TK_GT: return TK_LT;
    case TK_GE: return TK_LE;
    default: return op;
    }
  }
  return 0;
}

/* Term t read as "column cid of item IN (values)" with every value usable
** now and the comparison ordering like an index of collation coll (an IN
** list compares with its left operand's affinity and collation). */
static int term_in_list(const PlanItem *items, const WhereTerm *t, int item, int cid, int coll, uint64_t placed,
                        char *key_aff, int *key_coll) {
  const Expr *e = t->in_equiv ? t->in_equiv : t->expr;
  if ((e->kind != EXPR_IN_LIST && e->kind != EXPR_IN_SELECT) || !term_for(items, t, item) || e->negated ||
      !is_column_of(e->left, item, cid))
    return 0;
  char caff = column_affinity(items, item, cid);
  int ccoll = cid < 0 ? COLL_BINARY : items[item].table->cols[cid].coll;
  if (e->kind == EXPR_IN_SELECT) {
    /* A subquery codegen found reads nothing around it (uncorrelated), with
    ** the affinity and collation of its comparison. */
    if (!e->uncorrelated || e->bind_coll != coll) return 0;
    *key_coll = coll;
    return plan_affinity_fits(caff, e->bind_affinity, key_aff);
  }
  if (e->kind != EXPR_IN_LIST || !e->args || e->args->n == 0) return 0;
  for (int i = 0; i < e->args->n; i++)
    if (!usable_value(e->args->items[i], placed)) return 0;
  if (ccoll != coll) return 0;
  *key_aff = is_numeric_affinity(caff) ? AFF_NUMERIC : caff == AFF_TEXT ? AFF_TEXT : 0;
  *key_coll = ccoll;
  return 1;
}

/* The values an IN list feeds a lookup: its length, or for a subquery
** SQLite's guess of 25 rows. */
static double in_values(const Expr *in) { return in->kind == EXPR_IN_SELECT ? 25 : in->args->n; }


/* The pattern text a LIKE/GLOB range may be read from: a string literal (under
** any COLLATE, which changes nothing of what LIKE matches) or a parameter
** bound to text.  A parameter's bind compiles the statement again whatever its
** value, as the range depends on its text. */
static const char *like_pattern_text(const TermList *terms, const Expr *e, int *n) {
  while (e->kind == EXPR_COLLATE) e = e->left;
  if (e->kind == EXPR_STRING) {
    *n = e->text ? e->n : 0;
    return e->text ? e->text : "";
  }
  PlanParams *pp = terms->params;
  if (e->kind != EXPR_PARAM || !pp || e->param_index < 1) return NULL;
  pp->used |= param_bit(e->param_index);
  const Mem *v = pp->value ? pp->value(pp->ctx, e->param_index) : NULL;
  if (!v || v->type != MEM_TEXT) return NULL;
  *n = v->n;
  return v->z ? v->z : "";
}

/* The length of a pattern's literal prefix: the bytes before its first
** wildcard, an escaped ASCII character counting with its escape, a
** multi-byte character whole; the prefix ends before a byte 0xff or a
** character that is not valid UTF-8 (its end could not be raised). */
static int like_prefix_length(const unsigned char *z, int n, int glob, int esc) {
  int k = 0;
  while (k < n && z[k] && (glob ? !strchr("*?[", z[k]) : z[k] != '%' && z[k] != '_')) {
    unsigned c = z[k++];
    if (esc && c == (unsigned)esc && k < n && z[k] > 0 && z[k] < 0x80) {
      k++;
    } else if (c >= 0x80) {
      const unsigned char *p = z + k - 1;
      if (c == 0xff || util_utf8_read(&p, z + n) == 0xfffd) return k - 1;
      k = (int)(p - z);
    }
  }
  return k;
}

/* The range of a LIKE/GLOB term with a literal prefix: 'abc%' lies between
** 'abc' and 'abd' (a pattern without wildcards too; escapes removed).  Made
** once per term, before any access path is costed.  An ESCAPE must be a
** one-byte literal other than a wildcard. */
static void note_like_prefixes(Arena *arena, TermList *terms, int opts) {
  for (int k = 0; k < terms->n; k++) {
    WhereTerm *t = &terms->v[k];
    const Expr *e = t->expr;
    if (e->kind != EXPR_LIKE || e->negated) continue;
    int glob = e->op == TK_GLOB, exact = glob || (opts & PLAN_LIKE_CASE), esc = 0;
    /* An application's like() or glob() may match anything: no range. */
    if (!(opts & (glob ? PLAN_GLOB_BUILTIN : PLAN_LIKE_BUILTIN))) continue;
    if (e->escape) {
      if (glob || e->escape->kind != EXPR_STRING || e->escape->n != 1) continue;
      esc = (unsigned char)e->escape->text[0];
      if (esc == '%' || esc == '_') continue;
    }
    int len = 0;
    const unsigned char *z = (const unsigned char *)like_pattern_text(terms, e->right, &len);
    if (!z) continue;
    int n = like_prefix_length(z, len, glob, esc);
    if (!(n > 1 || (n > 0 && z[0] != esc)) || z[n - 1] == 0xff) continue;
    Expr *l = arena_alloc(arena, sizeof *l), *h = arena_alloc(arena, sizeof *h);
    char *lz = arena_alloc(arena, (size_t)n + 1), *hz = arena_alloc(arena, (size_t)n + 1);
    if (!l || !h || !lz || !hz) return;
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (esc && z[i] == esc && ++i == n) break; /* an escape that ends the pattern escapes nothing */
      lz[m++] = (char)z[i];
    }
    if (m == 0) continue;
    memcpy(hz, lz, (size_t)m);
    lz[m] = hz[m] = 0;
    /* LIKE's range is in a NOCASE index, which folds letters to lower case:
    ** 'aZ%' ends before 'a{', not 'a[' (which sorts before 'az'). */
    if (!exact && hz[m - 1] >= 'A' && hz[m - 1] <= 'Z') hz[m - 1] += 'a' - 'A';
    hz[m - 1]++;
    l->kind = h->kind = EXPR_STRING;
    l->text = lz;
    h->text = hz;
    l->n = h->n = m;
    t->like_lo = l;
    t->like_hi = h;
    t->like_exact = exact;
  }
}

/* "x LIKE 'abc%'" (or GLOB 'abc*') on an index column of TEXT affinity:
** the rows lie between 'abc' and 'abd', in the collation the operator
** compares with (LIKE ignores ASCII case, so it needs a NOCASE index; GLOB a
** BINARY one).  The LIKE term itself stays tested.  0 when the term does
** not qualify. */
/* A column that is not of TEXT affinity may hold numbers, which an index
** keeps before all text: a prefix that reads as a number (or does with its
** last character raised, the range's end) could match numbers the range
** misses, so it gets no range there (SQLite's rule). */
static int like_prefix_numeric(const char *z, int n) {
  char buf[PLAN_LIKE_PREFIX_MAX];
  int64_t i;
  double r;
  if (n == 1 && z[0] == '-') return 1;
  if (n <= 0 || n > (int)sizeof buf || util_parse_number(z, (size_t)n, &i, &r)) return 1;
  memcpy(buf, z, (size_t)n);
  buf[n - 1]++;
  return util_parse_number(buf, (size_t)n, &i, &r) != 0;
}

static int like_range(const PlanItem *items, const WhereTerm *t, int item, const IndexColumn *col, WhereBound *lo,
                      WhereBound *hi) {
  const Expr *e = t->expr;
  if (!t->like_lo || !term_for(items, t, item) || col->cid < 0 || !is_column_of(e->left, item, col->cid)) return 0;
  if (column_affinity(items, item, col->cid) != AFF_TEXT && like_prefix_numeric(t->like_lo->text, t->like_lo->n))
    return 0;
  if (col->coll != (t->like_exact ? COLL_BINARY : COLL_NOCASE)) return 0;
  *lo = (WhereBound){t->like_lo, 0, 0, -1, 0, 0, NULL, 0};
  *hi = (WhereBound){t->like_hi, 1, 0, -1, 0, 0, NULL, 0};
  return 1;
}

/* "(c, …) > (x, …)" (or <, <=, >=) holds only where c >= x (c <= x): a
** bound that narrows the seek on the index's column c, while the term
** itself stays tested (its other pairs and NULLs decide the rest). */
static int row_value_bound(const PlanItem *items, const WhereTerm *t, int item, const IndexColumn *cols, int ncols,
                           uint64_t placed, WhereBound *lo, WhereBound *hi) {
  const IndexColumn *col = &cols[0];
  const Expr *e = t->expr;
  if (e->kind != EXPR_BINARY || col->cid == XN_EXPR || !term_for(items, t, item)) return 0;
  int op = e->op;
  if (op != TK_LT && op != TK_LE && op != TK_GT && op != TK_GE) return 0;
  if (e->left->kind != EXPR_VECTOR || e->right->kind != EXPR_VECTOR || e->left->args->n != e->right->args->n)
    return 0;
  const Expr *l = e->left->args->items[0], *r = e->right->args->items[0];
  int col_left = is_column_of(l, item, col->cid);
  if (!col_left && !is_column_of(r, item, col->cid)) return 0;
  const Expr *c = col_left ? l : r, *v = col_left ? r : l;
  char aff;
  if (!usable_value(v, placed) || v->kind == EXPR_VECTOR || !comparison_fits(items, c, v, col_left, col->coll, &aff))
    return 0;
  int greater = (op == TK_GT || op == TK_GE) == col_left; /* c is greater than the value */
  WhereBound *b = greater ? lo : hi;
  if (b->value) return 0;
  *b = (WhereBound){v, 0, aff, -1, 1, 0, NULL, 0};
  /* SQLite describes the bound by the index columns the row value runs over. */
  const ExprList *side = col_left ? e->left->args : e->right->args;
  while (b->width < ncols && b->width < side->n && cols[b->width].cid != XN_EXPR &&
         is_column_of(side->items[b->width], item, cols[b->width].cid))
    b->width++;
  b->row = col_left ? e->right->args : e->left->args;
  b->row_strict = op == TK_LT || op == TK_GT;
  return 1;
}

/* "(c, …) BETWEEN (x, …) AND (y, …)": the bounds of "(c, …) >= (x, …)" and
** "(c, …) <= (y, …)", as SQLite splits it, the term itself staying tested. */
static int row_value_between(const PlanItem *items, const WhereTerm *t, int item, const IndexColumn *cols, int ncols,
                             uint64_t placed, WhereBound *lo, WhereBound *hi) {
  const Expr *e = t->expr;
  if (e->kind != EXPR_BETWEEN || e->negated || e->left->kind != EXPR_VECTOR || !e->args || e->args->n != 2 ||
      lo->value || hi->value)
    return 0;
  for (int i = 0; i < 2; i++)
    if (e->args->items[i]->kind != EXPR_VECTOR || e->args->items[i]->args->n != e->left->args->n) return 0;
  WhereTerm part = *t;
  Expr cmp[2];
  WhereBound l, h;
  memset(&l, 0, sizeof l);
  memset(&h, 0, sizeof h);
  for (int i = 0; i < 2; i++) {
    cmp[i] = (Expr){.kind = EXPR_BINARY, .op = i ? TK_LE : TK_GE, .left = e->left, .right = e->args->items[i]};
    part.expr = &cmp[i];
    if (!row_value_bound(items, &part, item, cols, ncols, placed, &l, &h)) return 0;
  }
  *lo = l;
  *hi = h;
  return 1;
}

/* The value of the bound "x > NULL" (WhereBound.past_null). */
static const Expr null_value = {.kind = EXPR_NULL};

/* The lower bound "x > NULL" that the term k "x IS NOT NULL" makes. */
static WhereBound past_null_bound(int k) { return (WhereBound){&null_value, 1, 0, k, 0, 1, NULL, 0}; }

/* The term "x IS NOT NULL" on column cid of item that may bound a range as
** "x > NULL", or -1: as SQLite 3.53 (built with STAT4) reads it, not on the
** rowid, not in an outer join's ON clause, and not where the column is
** declared NOT NULL (no NULLs to skip). */
static int not_null_term(const PlanItem *items, const TermList *terms, int item, int cid) {
  if (cid < 0 || items[item].col_affs || items[item].table->cols[cid].not_null) return -1;
  for (int k = 0; k < terms->n; k++) {
    const WhereTerm *t = &terms->v[k];
    if (t->expr->kind == EXPR_NOTNULL && t->on_item < 0 && term_for(items, t, item) &&
        is_column_of(t->expr->left, item, cid))
      return k;
  }
  return -1;
}

/* Bounds on column cid from the terms (the first of each side). */
/* Index column j of ix as the terms name it: an index that names the
** INTEGER PRIMARY KEY holds the rowid there, which terms read as XN_ROWID. */
static int ix_cid(const Index *ix, int j) {
  int cid = ix->cols[j].cid;
  return cid >= 0 && cid == ix->table->ipk ? XN_ROWID : cid;
}

/* ix's columns j.. (n of them, at most PLAN_MAX_KEY) into out, as the terms name them (ix_cid). */
static const IndexColumn *ix_cols(const Index *ix, int j, int n, IndexColumn *out) {
  for (int i = 0; i < n && i < PLAN_MAX_KEY; i++) {
    out[i] = ix->cols[j + i];
    out[i].cid = ix_cid(ix, j + i);
  }
  return out;
}

static void find_range(const PlanItem *items, const TermList *terms, int item, const IndexColumn *cols, int ncols,
                       uint64_t placed, WhereBound *lo, WhereBound *hi) {
  const IndexColumn *col = &cols[0];
  memset(lo, 0, sizeof *lo);
  memset(hi, 0, sizeof *hi);
  for (int k = 0; k < terms->n; k++) {
    if (like_range(items, &terms->v[k], item, col, lo, hi)) return;
  }
  for (int k = 0; k < terms->n; k++) {
    const Expr *v;
    char aff;
    int op = col->cid == XN_EXPR ? term_on_expr(items, &terms->v[k], item, col->expr, col->coll, placed, &v, &aff)
                                 : term_on_column(items, &terms->v[k], item, col->cid, col->coll, placed, &v, &aff);
    WhereBound *b = op == TK_GT || op == TK_GE ? lo : op == TK_LT || op == TK_LE ? hi : NULL;
    if (b && !b->value) {
      b->value = v;
      b->strict = op == TK_GT || op == TK_LT;
      b->affinity = aff;
      b->term = k;
    }
    if (row_value_bound(items, &terms->v[k], item, cols, ncols, placed, lo, hi)) continue;
    if (row_value_between(items, &terms->v[k], item, cols, ncols, placed, lo, hi)) continue;
    /* x BETWEEN a AND b: x >= a AND x <= b */
    const WhereTerm *t = &terms->v[k];
    const Expr *e = t->expr;
    if (!term_for(items, t, item) || e->kind != EXPR_BETWEEN || e->negated || col->cid == XN_EXPR) continue;
    if (!is_column_of(e->left, item, col->cid) || !e->args || e->args->n != 2) continue;
    const Expr *bl = e->args->items[0], *bh = e->args->items[1];
    char al, ah;
    if (!usable_value(bl, placed) || !usable_value(bh, placed)) continue;
    if (!comparison_fits(items, e->left, bl, 1, col->coll, &al) || !comparison_fits(items, e->left, bh, 1, col->coll, &ah))
      continue;
    if (!lo->value) *lo = (WhereBound){bl, 0, al, k, 0, 0, NULL, 0};
    if (!hi->value) *hi = (WhereBound){bh, 0, ah, k, 0, 0, NULL, 0};
  }
  /* "x IS NOT NULL" (NOTNULL, NOT NULL) is the range "x > NULL": the entries
  ** after the NULLs, which sort first.  A bound with a value is better. */
  int k = not_null_term(items, terms, item, col->cid);
  if (k >= 0 && !lo->value) *lo = past_null_bound(k);
}

/* A candidate access path of one item. */
typedef struct Access Access;
struct Access {
  int kind;
  double cost, rows;
  int rowid_term;
  const Index *index;
  int neq;
  int nskip; /* skip-scan: the first column takes each of its values (eq[0] is NULL) */
  const Expr *eq[PLAN_MAX_KEY];
  char eq_affinity[PLAN_MAX_KEY];
  char eq_is[PLAN_MAX_KEY];
  WhereBound lo, hi;
  int covering;
  const Expr *in_list;
  int in_col, in_coll;
  char in_affinity;
  int eq_term[PLAN_MAX_KEY]; /* the term behind each equality */
  int in_term;               /* the IN (or OR) term */
  int autoindex;             /* an automatic index on the columns auto_cid[0..neq) (index is NULL), */
  int auto_cid[PLAN_MAX_KEY];
  int auto_coll[PLAN_MAX_KEY]; /* each in this collation (its comparison's) */
  int or_term;               /* WLOOP_MULTI_OR: the OR term */
  int nor;                   /* and one access per disjunct */
  struct Access *or_sub;
};

/* A bound keeps a quarter of the rows, and two bounds a quarter of that
** again (a 64th: SQLite's guess that a closed range is narrow); "x > NULL"
** (x IS NOT NULL) all but the NULLs, which SQLite's estimate does not count
** (the 15 in 16 that any term left to test keeps, so that the seek beats
** testing the term). */
static double range_rows(double rows, const WhereBound *lo, const WhereBound *hi) {
  if (lo->value) rows = lo->past_null ? rows * 15 / 16 : rows / 4;
  if (hi->value) rows /= 4;
  if (lo->value && hi->value) rows /= 4;
  return rows;
}

/* A WITHOUT ROWID table's PRIMARY KEY: its b-tree is the table's. */
static int is_table_pk(const Index *ix) { return !index_has_own_btree(ix); }

/* Whether ix holds every column the query reads of the item (the rowid is
** in every entry), so that the table need not be read at all. */
/* SQLite's estimate of a column's stored size, in units of an integer's:
** 1 for numeric and untyped columns, (N/4)+1 for CHAR(N)-like types and
** BLOB(N), 5 for TEXT, CLOB and BLOB. */
static int column_size_est(const Column *c) {
  const char *type = c->decltype_;
  int v = 0;
  if (!type || !type[0]) return 1;
  char aff = c->affinity; /* value_affinity_of_type(type), kept with the column */
  if (aff == AFF_TEXT || aff == AFF_NONE) {
    const char *digits = NULL;
    for (const char *z = type; *z; z++) {
      if (util_strnicmp(z, "char", 4) == 0) {
        digits = z;
        break;
      }
      if (util_strnicmp(z, "blob", 4) == 0 && z[4] == '(') digits = z + 4;
    }
    if (digits) {
      while (*digits && !(*digits >= '0' && *digits <= '9')) digits++;
      while (*digits >= '0' && *digits <= '9' && v < 100000) v = v * 10 + (*digits++ - '0');
    } else {
      v = 16;
    }
  }
  v = v / 4 + 1;
  return v > 255 ? 255 : v;
}

static int row_width_est(const Table *t) {
  int w = t->ipk < 0 ? 1 : 0;
  for (int i = 0; i < t->ncols; i++) w += column_size_est(&t->cols[i]);
  return w;
}

static int index_width_est(const Table *t, const Index *ix) {
  int w = 0;
  for (int k = 0; k < ix->ncols; k++)
    w += ix->cols[k].cid >= 0 && ix->cols[k].cid < t->ncols ? column_size_est(&t->cols[ix->cols[k].cid]) : 1;
  return w;
}

/* SQLite's LogEst: about 10*log2(x), in whole steps, so that nearby widths
** compare equal as they do there. */
static int log_est(uint64_t x) {
  static const int a[] = {0, 2, 3, 5, 6, 7, 8, 9};
  int y = 40;
  if (x < 2) return 0;
  while (x < 8) {
    y -= 10;
    x <<= 1;
  }
  while (x > 255) {
    y += 40;
    x >>= 4;
  }
  while (x > 15) {
    y += 10;
    x >>= 1;
  }
  return a[x & 7] + y - 10;
}

/* SQLite's cost (LogEst) of stepping to the next entry of index ix of t:
** one, and fifteen scaled by the entry's estimated width against the table
** row's (which counts a rowid). */
static int index_step(const Table *t, const Index *ix) {
  int wt = log_est((uint64_t)row_width_est(t) * 4);
  if (!ix || wt <= 0) return 16;
  return 1 + 15 * log_est((uint64_t)index_width_est(t, ix) * 4) / wt;
}

/* A WITHOUT ROWID table is scanned as its PRIMARY KEY index, which SQLite
** costs as a covering index scan: one step a row plus fifteen scaled by the
** entry's estimated width against the table row's (which counts a rowid the
** table does not have), so that it comes out a little cheaper. */
static int pk_scan_step(const Table *t) {
  const Index *pk = t->indexes;
  while (pk && !is_table_pk(pk)) pk = pk->next;
  return index_step(t, pk);
}

static int index_covers(const PlanItem *it, const Index *ix) {
  if (is_table_pk(ix)) return 1; /* the table itself */
  /* A RIGHT join's second pass reads the item's rows from the table, in its order, as SQLite does. */
  if (!it->cols_known || is_right(it->join_type) || (it->cols_used >> 63)) return 0;
  uint64_t have = 0;
  for (int k = 0; k < ix->ncols; k++)
    if (ix->cols[k].cid >= 0 && ix->cols[k].cid < 63) have |= bit(ix->cols[k].cid);
  for (int c = 0; ix->where && c < it->table->ncols && c < 63; c++)
    if ((it->cols_used & ~have & bit(c)) && index_where_constant(ix, c)) have |= bit(c);
  return (it->cols_used & ~have) == 0;
}

/* An IN list (or IN subquery) term on index column j of ix, made a's IN
** column: 1 when there is one. */
static int in_list_on_column(const PlanItem *items, int item, const TermList *terms, uint64_t placed,
                             const Index *ix, int j, Access *a) {
  int cid = ix_cid(ix, j);
  for (int k = 0; k < terms->n; k++) {
    int coll;
    char aff;
    if (!term_in_list(items, &terms->v[k], item, cid, ix->cols[j].coll, placed, &aff, &coll)) continue;
    a->in_list = terms->v[k].in_equiv ? terms->v[k].in_equiv : terms->v[k].expr;
    a->in_term = k;
    a->in_col = j;
    a->in_affinity = aff;
    a->in_coll = coll;
    a->eq[j] = NULL;
    return 1;
  }
  return 0;
}

static int access_uses(const Access *a, int k);

/* The columns of item that e reads; bit 63 as well for a subquery (unknown). */
static uint64_t item_columns(const Expr *e, int item) {
  if (!e) return 0;
  if (e->select) return (uint64_t)1 << 63;
  if (e->kind == EXPR_COLUMN)
    return e->bound && e->bind_depth == 0 && e->bind_item == item && e->bind_col >= 0
               ? bit(e->bind_col < 63 ? e->bind_col : 63)
               : 0;
  uint64_t m = item_columns(e->left, item) | item_columns(e->right, item) | item_columns(e->escape, item);
  for (int i = 0; e->args && i < e->args->n; i++) m |= item_columns(e->args->items[i], item);
  return m;
}

/* An index of expressions only covers the query when the columns it reads
** outside the terms the index seek decides are in the index (none, for
** "count(*) ... WHERE b + c = ?"): as in SQLite, where an indexed
** expression counts as held by the index, the seek's terms need no table row. */
static int expr_index_covers(const PlanItem *items, int item, const TermList *terms, const Index *ix, const Access *a) {
  const PlanItem *it = &items[item];
  if (terms->disjunct || !it->cols_known || !it->cols_beyond_known || is_right(it->join_type) ||
      it->join_type == JOIN_LEFT || (it->cols_used >> 63))
    return 0;
  uint64_t have = 0;
  int exprs = 0;
  for (int k = 0; k < ix->ncols; k++) {
    exprs |= ix->cols[k].cid == XN_EXPR;
    if (ix->cols[k].cid >= 0 && ix->cols[k].cid < 63) have |= bit(ix->cols[k].cid);
  }
  if (!exprs || ix->where) return 0;
  uint64_t need = it->cols_beyond_where;
  for (int k = 0; k < terms->n; k++) {
    const WhereTerm *t = &terms->v[k];
    /* Only a comparison is decided by the seek alone: a BETWEEN that gave
    ** one bound, a LIKE prefix, a row value or an IN that only narrows stay
    ** tested, and need their columns. */
    const Expr *e = t->expr;
    int decided = e->kind == EXPR_IS || e->kind == EXPR_ISNULL ||
                  (e->kind == EXPR_BINARY && e->left->kind != EXPR_VECTOR && e->right->kind != EXPR_VECTOR);
    if (!(t->mask & bit(item)) || (decided && access_uses(a, k))) continue;
    need |= item_columns(t->expr, item);
  }
  return (need & ~have) == 0;
}

/* ---- estimates from sqlite_stat4 samples ----------------------------------------
**
** With samples loaded (Index.samples), the rows of an equality on leading
** index columns and of a range on the next are estimated as SQLite 3.53's
** planner does when every value they compare with is known at planning time
** (a literal, or a bound parameter the statement was compiled again with):
** the samples around the key give the rows before it and the rows equal to
** it, or, between two samples, a third (two thirds for an upper bound) of
** the gap and the average rows of a value no sample holds. */

#define STAT4_BOUND_FACTOR 0.933 /* SQLite's nOut-- per bound the samples decide: one LogEst step */

/* The value e stands for when the planner can know it — a literal (a signed
** number, text, a blob, NULL) or a bound parameter (*param: its index, else
** 0) — with affinity aff applied, into out (release it with mem_release); 0
** when it cannot. */
static int known_value(const TermList *terms, const Expr *e, char aff, Mem *out, int *param) {
  mem_init(out);
  *param = 0;
  while (e && (e->kind == EXPR_COLLATE || (e->kind == EXPR_UNARY && e->op == TK_PLUS))) e = e->left;
  if (!e) {
    mem_set_null(out); /* IS NULL */
    return 1;
  }
  int neg = 0;
  if (e->kind == EXPR_UNARY && e->op == TK_MINUS && e->left &&
      (e->left->kind == EXPR_INTEGER || e->left->kind == EXPR_FLOAT)) {
    neg = 1;
    e = e->left;
  }
  if (neg && e->kind == EXPR_FLOAT && e->text && util_is_int64_min_digits(e->text)) {
    mem_set_int(out, INT64_MIN); /* -9223372036854775808: the one negative integer whose digits overflow */
    return 1;
  }
  switch (e->kind) {
  case EXPR_NULL: break;
  case EXPR_INTEGER:
    if (e->too_big || (neg && e->ival == INT64_MIN)) return 0;
    mem_set_int(out, neg ? -e->ival : e->ival);
    break;
  case EXPR_FLOAT: mem_set_real(out, neg ? -e->rval : e->rval); break;
  case EXPR_STRING:
    if (mem_set_text(out, e->text ? e->text : "", e->text ? e->n : 0, MEM_STATIC) != LODE_OK) return 0;
    break;
  case EXPR_PARAM: {
    PlanParams *pp = terms->params;
    if (!pp || e->param_index < 1) return 0;
    const Mem *v = pp->value ? pp->value(pp->ctx, e->param_index) : NULL;
    if (!v || v->type > MEM_BLOB) {
      pp->used |= param_bit(e->param_index); /* a bind may change the plan, whatever the value */
      return 0;
    }
    *param = e->param_index;
    *out = *v; /* borrowed: the statement keeps its bound value while it is compiled */
    out->owner = MEM_STATIC;
    out->ztext = NULL;
    break;
  }
  default: return 0;
  }
  if (aff && aff != AFF_NONE && out->type != MEM_NULL && mem_apply_affinity(out, aff) != LODE_OK) {
    mem_release(out);
    return 0;
  }
  return 1;
}

/* The affinity a value compared with index column j of ix takes (SQLite's
** IndexColumnAffinity, for what the samples can be compared with). */
static char index_column_affinity(const Index *ix, int j) {
  int cid = ix->cols[j].cid;
  if (cid == XN_ROWID || (cid >= 0 && cid == ix->table->ipk)) return AFF_INTEGER;
  return cid >= 0 && cid < ix->table->ncols ? ix->table->cols[cid].affinity : AFF_NONE;
}

/* Sample s against key[0..n) in the index's order: < 0, 0 or > 0. */
static int sample_cmp(const Index *ix, const IndexSample *smp, const Mem *key, int n) {
  for (int f = 0; f < n; f++) {
    if (f >= smp->nvals) return 0; /* a short sample matches as far as it goes */
    int c = mem_compare(&smp->vals[f], &key[f], ix->cols[f].coll);
    if (c) return ix->cols[f].desc ? -c : c;
  }
  return 0;
}

/* Where key[0..nkey) falls among ix's samples (SQLite's whereKeyStats):
** stat[0] the rows before it, stat[1] the rows equal to it.  The search
** runs over the samples and their shorter prefixes; a key between two
** samples gets the rows up to the lower one plus a third of the gap (two
** thirds when round_up) and the average rows of an unsampled value.
** Returns the index of the first sample not below the key.  A key field
** that is a bound parameter's value (param[f] > 0) is noted (PlanParams). */
static int key_stats(const TermList *terms, const Index *ix, const Mem *key, const int *param, int nkey,
                     int round_up, int64_t *stat) {
  const IndexSample *smp = ix->samples;
  /* SQLite bounds the fields by the sample count here too. */
  int nfield = nkey < ix->nsample ? nkey : ix->nsample;
  int lo = 0, hi = ix->nsample * nfield, col = 0, res = 0;
  int64_t lower = 0;
  if (nfield > ix->sample_ncol) nfield = ix->sample_ncol;
  if (nfield <= 0) {
    stat[0] = 0;
    stat[1] = 1;
    return 0;
  }
  PlanParams *pp = terms->params;
  for (int f = 0; f < nfield && pp && pp->probe; f++) {
    if (param[f] > 0) {
      pp->probe(pp->ctx, ix, key, param, nfield);
      break;
    }
  }
  do {
    int test = (lo + hi) / 2, is = test / nfield, n;
    if (is > 0) {
      for (n = test % nfield + 1; n < nfield; n++)
        if (smp[is - 1].lt[n - 1] != smp[is].lt[n - 1]) break;
    } else {
      n = test + 1;
    }
    res = sample_cmp(ix, &smp[is], key, n);
    if (res < 0) {
      lower = smp[is].lt[n - 1] + smp[is].eq[n - 1];
      lo = test + 1;
    } else if (res == 0 && n < nfield) {
      lower = smp[is].lt[n - 1];
      lo = test + 1;
      res = -1;
    } else {
      hi = test;
      col = n - 1;
    }
  } while (res && lo < hi);
  int i = hi / nfield;
  if (res == 0) {
    stat[0] = smp[i].lt[col];
    stat[1] = smp[i].eq[col];
  } else {
    int64_t upper = i >= ix->nsample ? ix->sample_rows : smp[i].lt[col];
    int64_t gap = lower >= upper ? 0 : upper - lower;
    stat[0] = lower + (round_up ? gap * 2 / 3 : gap / 3);
    stat[1] = ix->sample_avg_eq[nfield - 1];
  }
  return i;
}

/* The rows of a's equalities and range on ix from the samples, when the
** values allow (see above); 0 to leave the estimate to sqlite_stat1 and the
** default guesses. */
/* The key a row-value bound b over ix's columns from neq on compares the
** samples with: its values whose columns the row value runs over (b->width
** of them), with those columns' affinities, into key[neq..); their count,
** or 0 when a value is not known, a column is descending or the samples
** hold fewer columns. */
static int row_bound_key(const TermList *terms, const Index *ix, int neq, const WhereBound *b, Mem *key,
                         int *kparam) {
  int n = b->width;
  if (!b->row || n > b->row->n || neq + n > PLAN_MAX_KEY + 1 || neq + n > ix->sample_ncol) return 0;
  for (int j = 0; j < n; j++) {
    if (ix->cols[neq + j].desc || ix->cols[neq + j].coll >= COLL_USER_FIRST ||
        !known_value(terms, b->row->items[j], index_column_affinity(ix, neq + j), &key[neq + j], &kparam[neq + j])) {
      for (int i = 0; i < j; i++) mem_release(&key[neq + i]);
      return 0;
    }
  }
  return n;
}

static int stat4_rows(const PlanItem *items, int item, const TermList *terms, const Index *ix, const Access *a,
                      double *out) {
  int has_range = a->lo.value || a->hi.value;
  if (ix->nsample <= 0 || a->in_list || a->nskip || a->neq + has_range == 0 || a->neq + has_range > PLAN_MAX_KEY)
    return 0;
  if (a->neq >= ix->sample_ncol) return 0;
  for (int j = 0; j < a->neq + has_range; j++)
    if (ix->cols[j].coll >= COLL_USER_FIRST) return 0; /* no connection's collations while planning */
  Mem key[PLAN_MAX_KEY + 1];
  int kparam[PLAN_MAX_KEY + 1], known = 0;
  while (known < a->neq &&
         known_value(terms, a->eq[known], index_column_affinity(ix, known), &key[known], &kparam[known]))
    known++;
  if (a->neq && known == 0) return 0;
  double table = table_rows(&items[item]), rows = table;
  int64_t st[2];
  if (a->neq) {
    key_stats(terms, ix, key, kparam, known, 0, st);
    if (st[1] <= 0) goto fallback;
    rows = (double)st[1] < table ? (double)st[1] : table;
    if (known < a->neq) {
      /* A value not known: the rest of the equalities narrow as sqlite_stat1 says. */
      if (ix->nstat > a->neq && ix->stat_rows[known] > 0)
        rows = rows * (double)ix->stat_rows[a->neq] / (double)ix->stat_rows[known];
      *out = range_rows(rows, &a->lo, &a->hi);
      goto done;
    }
  }
  if (has_range) {
    int64_t ilower = 0, iupper = ix->sample_rows;
    if (a->neq) {
      ilower = st[0];
      iupper = st[0] + st[1];
    }
    int desc = ix->cols[a->neq].desc, lidx = -2, uidx = -1, unknown = 0;
    const WhereBound *lb = desc ? &a->hi : &a->lo, *ub = desc ? &a->lo : &a->hi;
    char aff = index_column_affinity(ix, a->neq);
    if (lb->value && lb->width > 1) {
      int n = row_bound_key(terms, ix, a->neq, lb, key, kparam);
      if (n > 0) {
        lidx = key_stats(terms, ix, key, kparam, a->neq + n, 0, st);
        int64_t inew = st[0] + (lb->row_strict ? st[1] : 0);
        if (inew > ilower) ilower = inew;
        rows *= STAT4_BOUND_FACTOR;
        for (int j = a->neq; j < a->neq + n; j++) mem_release(&key[j]);
      } else {
        unknown++;
      }
    } else if (lb->value) {
      if (lb->width <= 1 && known_value(terms, lb->value, aff, &key[a->neq], &kparam[a->neq])) {
        lidx = key_stats(terms, ix, key, kparam, a->neq + 1, 0, st);
        /* The rows equal to the bound lie below the range for > (and, as in
        ** SQLite, for <= where a DESC column swaps the sides). */
        int64_t inew = st[0] + ((lb == &a->lo ? lb->strict : !lb->strict) ? st[1] : 0);
        if (inew > ilower) ilower = inew;
        rows *= STAT4_BOUND_FACTOR;
        mem_release(&key[a->neq]);
      } else {
        unknown++;
      }
    }
    if (ub->value && ub->width > 1) {
      int n = row_bound_key(terms, ix, a->neq, ub, key, kparam);
      if (n > 0) {
        uidx = key_stats(terms, ix, key, kparam, a->neq + n, 1, st);
        int64_t inew = st[0] + (ub->row_strict ? 0 : st[1]);
        if (inew < iupper) iupper = inew;
        rows *= STAT4_BOUND_FACTOR;
        for (int j = a->neq; j < a->neq + n; j++) mem_release(&key[j]);
      } else {
        unknown++;
      }
    } else if (ub->value) {
      if (ub->width <= 1 && known_value(terms, ub->value, aff, &key[a->neq], &kparam[a->neq])) {
        uidx = key_stats(terms, ix, key, kparam, a->neq + 1, 1, st);
        int64_t inew = st[0] + ((ub == &a->lo ? ub->strict : !ub->strict) ? st[1] : 0);
        if (inew < iupper) iupper = inew;
        rows *= STAT4_BOUND_FACTOR;
        mem_release(&key[a->neq]);
      } else {
        unknown++;
      }
    }
    double est = iupper > ilower ? (double)(iupper - ilower) / (lidx == uidx ? 4 : 1) : 2;
    if (est < rows) rows = est;
    while (unknown-- > 0) rows /= 4;
  }
  *out = rows > 1 ? rows : 1;
done:
  for (int j = 0; j < known; j++) mem_release(&key[j]);
  return 1;
fallback:
  for (int j = 0; j < known; j++) mem_release(&key[j]);
  return 0;
}

/* The rows SQLite guesses, without statistics, that equalities on the first
** neq columns of an index leave: 10, then one fewer per column down to 5
** (its default row estimates), so that a seek on more columns wins. */
static double eq_rows_guess(int neq) {
  static const double rows[] = {PLAN_EQ_ROWS, 9, 8, 7, 6};
  return neq <= (int)(sizeof rows / sizeof rows[0]) ? rows[neq - 1] : 5;
}

/* SQLite's LogEst of a hint's share of rows (log2 of it, times 10). */
static int truth_log_est(double truth) {
  uint64_t v = (uint64_t)(truth * 134217728.0);
  return log_est(v) - 270;
}

/* Rows that equalities on ix's first columns (a->neq of them) leave when a
** likelihood() is on one of them, as SQLite estimates them: column by column
** from the table's rows, a hinted equality on a column of the table keeping
** its share, each other one the share ANALYZE's averages (or the default
** guesses) give; then the range's share.  0 without such a hint. */
static int hinted_eq_rows(const PlanItem *items, int item, const TermList *terms, const Index *ix, const Access *a,
                          double *rows) {
  int hinted = 0;
  for (int j = a->nskip; j < a->neq && !hinted; j++)
    hinted = a->eq[j] && terms->v[a->eq_term[j]].truth >= 0 && ix->cols[j].cid >= 0;
  if (!hinted) return 0;
  /* In SQLite's LogEst steps, whose rounding decides between close estimates. */
  double trows = table_rows(&items[item]);
  int r = log_est((uint64_t)trows), prev = ix->nstat > 0 ? log_est((uint64_t)ix->stat_rows[0]) : r;
  for (int j = 0; j < a->neq; j++) {
    int next = log_est(ix->nstat > j + 1 ? (uint64_t)ix->stat_rows[j + 1] : (uint64_t)eq_rows_guess(j + 1));
    double truth = a->eq[j] ? terms->v[a->eq_term[j]].truth : -1;
    r += truth >= 0 && ix->cols[j].cid >= 0 ? truth_log_est(truth) : next - prev;
    prev = next;
  }
  *rows = range_rows(pow(2.0, r / 10.0), &a->lo, &a->hi);
  return 1;
}

/* The index path of ix, if it narrows anything: equality on leading
** columns, then a range on the next. */
static int index_access(const PlanItem *items, int item, const TermList *terms, uint64_t placed, const Index *ix,
                        Access *a) {
  memset(a, 0, sizeof *a);
  a->kind = WLOOP_INDEX;
  a->index = ix;
  a->rowid_term = -1;
  int isnull = 0, nnull = 0;
  for (int j = 0; j < ix->nkey && j < PLAN_MAX_KEY; j++) {
    int cid = ix_cid(ix, j), found = 0;
    for (int k = 0; k < terms->n && !found; k++) {
      const Expr *v;
      char aff;
      int op = cid == XN_EXPR
                   ? term_on_expr(items, &terms->v[k], item, ix->cols[j].expr, ix->cols[j].coll, placed, &v, &aff)
                   : term_on_column(items, &terms->v[k], item, cid, ix->cols[j].coll, placed, &v, &aff);
      if (op != TK_EQ && op != TK_ISNULL && op != TK_IS) continue;
      a->eq[j] = v;
      a->eq_affinity[j] = aff;
      a->eq_is[j] = op == TK_IS;
      a->eq_term[j] = k;
      isnull |= op == TK_ISNULL || op == TK_IS;
      nnull += op == TK_ISNULL;
      found = 1;
    }
    if (!found && !a->in_list && cid != XN_EXPR) found = in_list_on_column(items, item, terms, placed, ix, j, a);
    if (!found) break;
    a->neq++;
  }
  IndexColumn cols[PLAN_MAX_KEY];
  int nrest = ix->nkey - a->neq < PLAN_MAX_KEY ? ix->nkey - a->neq : PLAN_MAX_KEY;
  if (a->neq < ix->nkey)
    find_range(items, terms, item, ix_cols(ix, a->neq, nrest, cols), nrest, placed, &a->lo, &a->hi);
  else if (a->neq < PLAN_MAX_KEY && ix->ncols > ix->nkey && !(ix->unique && !isnull) &&
           ix->cols[ix->nkey].cid != XN_EXPR)
    /* Past the key columns the entries of equal keys go in the order of what identifies the row (the rowid, a
    ** WITHOUT ROWID table's PRIMARY KEY): a range on it narrows the walk. */
    find_range(items, terms, item, ix_cols(ix, ix->nkey, 1, cols), 1, placed, &a->lo, &a->hi);
  if (a->neq == 0 && !a->lo.value && !a->hi.value) return 0;
  if (ix->unique && a->neq == ix->nkey && !isnull) a->rows = 1;
  else if (hinted_eq_rows(items, item, terms, ix, a, &a->rows)) { /* a likelihood() on an equality */
  } else if (stat4_rows(items, item, terms, ix, a, &a->rows)) { /* sqlite_stat4: from the samples */
  } else {
    if (ix->unique && a->neq == ix->nkey) /* IS or IS NULL on every column: the NULL entries, guessed as one */
      a->rows = 1;
    else if (a->neq && ix->nstat > a->neq) /* ANALYZE: rows per distinct value of the first neq columns */
      a->rows = range_rows((double)ix->stat_rows[a->neq], &a->lo, &a->hi);
    else
      a->rows = range_rows(a->neq ? eq_rows_guess(a->neq) : table_rows(&items[item]), &a->lo, &a->hi);
    /* SQLite's guess: "c IS NULL" matches twice the rows "c = ?" does. */
    for (int i = 0; i < nnull; i++) a->rows *= 2;
  }
  if (a->in_list) a->rows *= in_values(a->in_list);
  a->covering = index_covers(&items[item], ix) || expr_index_covers(items, item, terms, ix, a);
  a->cost = seek_cost(table_rows(&items[item])) + a->rows * (a->covering ? 1 : 1 + PLAN_LOOKUP_COST);
  return 1;
}

/* A skip-scan's range on ix's column col (the one after the skipped ones),
** from the samples (SQLite's whereRangeSkipScanEst): the share of the
** samples whose value of that column lies
** between the bounds, into *frac; 0 when the samples cannot tell (no known
** bound value, or both bounds between the same two samples).  A parameter
** read here makes any bind compile the statement again. */
static int skip_range_fraction(const TermList *terms, const Index *ix, int col, const WhereBound *lo,
                               const WhereBound *hi, double *frac) {
  if (ix->nsample <= 0 || ix->sample_ncol <= col || ix->cols[col].coll >= COLL_USER_FIRST) return 0;
  char aff = index_column_affinity(ix, col);
  Mem v1, v2;
  int p1 = 0, p2 = 0, param;
  int nlower = -1, nupper = ix->nsample + 1;
  if (lo->value && lo->width <= 1) {
    p1 = known_value(terms, lo->value, aff, &v1, &param);
    if (param && terms->params) terms->params->used |= param_bit(param);
    nlower = 0;
  }
  if (hi->value && hi->width <= 1) {
    p2 = known_value(terms, hi->value, aff, &v2, &param);
    if (param && terms->params) terms->params->used |= param_bit(param);
    nupper = p2 ? 0 : ix->nsample;
  }
  int done = 0;
  if (p1 || p2) {
    for (int i = 0; i < ix->nsample; i++) {
      const IndexSample *smp = &ix->samples[i];
      if (smp->nvals <= col) continue;
      if (p1 && mem_compare(&v1, &smp->vals[col], ix->cols[col].coll) >= 0) nlower++;
      if (p2 && mem_compare(&v2, &smp->vals[col], ix->cols[col].coll) >= 0) nupper++;
    }
    int ndiff = nupper - nlower;
    if (ndiff <= 0) ndiff = 1;
    if (ndiff != 1 || !hi->value || !lo->value) {
      *frac = (double)ndiff / (double)ix->nsample;
      done = 1;
    }
  }
  if (p1) mem_release(&v1);
  if (p2) mem_release(&v2);
  return done;
}

/* Skip-scan of ix over its first nskip columns: no term on them, but
** ANALYZE says each value of the first nskip - 1 columns has 18 entries or
** more for each value of the next; equalities on the columns after them (one
** of them may be an IN list or subquery, whose values then each run the
** skip-scan) or a range on the next are then sought once per distinct value
** of the skipped columns, as SQLite's skip-scan does.  Costed against the
** other paths. */
static int skip_access_n(const PlanItem *items, int item, const TermList *terms, uint64_t placed, const Index *ix,
                         int nskip, Access *a) {
  memset(a, 0, sizeof *a);
  a->kind = WLOOP_INDEX;
  a->index = ix;
  a->rowid_term = -1;
  a->nskip = a->neq = nskip;
  int nnull = 0;
  for (int j = nskip; j < ix->nkey && j < PLAN_MAX_KEY; j++) {
    int cid = ix_cid(ix, j), found = 0;
    for (int k = 0; k < terms->n && !found && cid != XN_EXPR; k++) {
      const Expr *v;
      char aff;
      int op = term_on_column(items, &terms->v[k], item, cid, ix->cols[j].coll, placed, &v, &aff);
      if (op != TK_EQ && op != TK_ISNULL && op != TK_IS) continue;
      a->eq[j] = v;
      a->eq_affinity[j] = aff;
      a->eq_is[j] = op == TK_IS;
      a->eq_term[j] = k;
      nnull += op == TK_ISNULL;
      found = 1;
    }
    if (!found && !a->in_list && cid != XN_EXPR) found = in_list_on_column(items, item, terms, placed, ix, j, a);
    if (!found) break;
    a->neq++;
  }
  IndexColumn cols[PLAN_MAX_KEY];
  int nrest = ix->nkey - a->neq < PLAN_MAX_KEY ? ix->nkey - a->neq : PLAN_MAX_KEY;
  if (a->neq < ix->nkey)
    find_range(items, terms, item, ix_cols(ix, a->neq, nrest, cols), nrest, placed, &a->lo, &a->hi);
  if (a->neq == nskip && !a->lo.value && !a->hi.value) return 0;
  double values = (double)ix->stat_rows[0] / (double)ix->stat_rows[nskip];
  if (values < 1) values = 1;
  double per = ix->nstat > a->neq ? (double)ix->stat_rows[a->neq] : PLAN_EQ_ROWS;
  double runs = a->in_list ? in_values(a->in_list) : 1; /* the skip-scan runs once per IN value */
  double frac;
  if (a->neq == nskip && skip_range_fraction(terms, ix, nskip, &a->lo, &a->hi, &frac))
    a->rows = runs * (double)ix->stat_rows[0] * frac;
  else
    a->rows = runs * range_rows(a->neq > nskip ? values * per : (double)ix->stat_rows[0], &a->lo, &a->hi);
  /* SQLite's guess: "c IS NULL" matches twice the rows "c = ?" does. */
  for (int i = 0; i < nnull; i++) a->rows *= 2;
  a->covering = index_covers(&items[item], ix);
  a->cost = runs * values * seek_cost(table_rows(&items[item])) + a->rows * (a->covering ? 1 : 1 + PLAN_LOOKUP_COST);
  return 1;
}

/* The cheapest skip-scan of ix: its first column skipped, and each next one
** too while ANALYZE finds 18 entries or more per value of the columns before
** it and a key column remains after it. */
static int skip_access(const PlanItem *items, int item, const TermList *terms, uint64_t placed, const Index *ix,
                       Access *a) {
  if (ix->nkey < 2 || ix->nstat < 2 || ix->stat_noskipscan || ix->stat_unordered || ix->stat_rows[0] <= 0) return 0;
  int found = 0;
  for (int s = 1; s < ix->nkey && s < ix->nstat && s < PLAN_MAX_KEY; s++) {
    if (ix->cols[s - 1].cid == XN_EXPR || ix->stat_rows[s] < 18) break;
    Access c;
    if (skip_access_n(items, item, terms, placed, ix, s, &c) && (!found || c.cost < a->cost)) {
      *a = c;
      found = 1;
    }
  }
  return found;
}

/* ---- automatic indexes ---------------------------------------------------------- */

/* An equality that may give an automatic index a key column: "x = y" or
** "x IS y" between two single values. */
static int is_key_comparison(const Expr *e) {
  if (!((e->kind == EXPR_BINARY && e->op == TK_EQ) || is_equal_is(e))) return 0;
  return e->left->kind != EXPR_VECTOR && e->right->kind != EXPR_VECTOR;
}

/* Whether e, an operand of a comparison, is a column (of an item of this
** query or of an enclosing one), a COLLATE aside. */
static int is_column_operand(const Expr *e) {
  while (e->kind == EXPR_COLLATE) e = e->left;
  return e->kind == EXPR_COLUMN && e->bound;
}

/* The order in which SQLite 3.53 meets the equalities that may key an
** automatic index, which its key columns follow: first the terms as
** written; then what it appends to them while it reads them from the last
** to the first: for an equality of two columns, a copy turned round (the
** right column's index uses that), for a row-value equality its pairs (each
** followed by its own copy).  key_rank[2k] ranks term k as a key of the
** column on its left, key_rank[2k + 1] as a key of the column on its right:
** the term's own rank when its left operand is no column (SQLite turns the
** term itself round then).  Out of memory: no ranks, the term order. */
static void note_key_ranks(TermList *terms) {
  int n = terms->n, nwritten = 0, next = 0;
  int *rank = arena_alloc(terms->arena, sizeof(int) * (size_t)(2 * n + 1));
  int *written = arena_alloc(terms->arena, sizeof(int) * (size_t)(n + 1));
  if (!rank || !written) return;
  for (int k = 0; k < n; k++) {
    const WhereTerm *t = &terms->v[k];
    if (t->slice && t->slice != k + 1) continue; /* a later pair of a row value already written */
    written[nwritten++] = k;
    rank[2 * k] = rank[2 * k + 1] = next++;
  }
  for (int w = nwritten - 1; w >= 0; w--) {
    int k = written[w], end = k + 1;
    if (terms->v[k].slice)
      while (end < n && terms->v[end].slice == k + 1) end++;
    for (int j = k; j < end; j++) {
      const Expr *e = terms->v[j].expr;
      if (terms->v[j].slice) rank[2 * j] = rank[2 * j + 1] = next++;
      if (is_key_comparison(e) && is_column_operand(e->left) && is_column_operand(e->right)) rank[2 * j + 1] = next++;
    }
  }
  terms->key_rank = rank;
}

/* Term k read as a key of column cid of item for an automatic index: "cid =
** value" or "cid IS value" (either way round) with value usable now and
** the comparison's affinity fitting the column's; the index column then
** sorts in the comparison's collation (*coll).  Returns TK_EQ or TK_IS (0:
** not such a term), with the key's rank in *rank. */
static int auto_key_term(const PlanItem *items, const TermList *terms, int k, int item, int cid, uint64_t placed,
                         const Expr **value, char *key_aff, int *coll, int *rank) {
  const WhereTerm *t = &terms->v[k];
  const Expr *e = t->expr;
  if (!term_for(items, t, item) || !is_key_comparison(e)) return 0;
  for (int side = 0; side < 2; side++) {
    const Expr *c = side ? e->right : e->left, *v = side ? e->left : e->right, *col = c;
    while (col->kind == EXPR_COLLATE) col = col->left;
    if (!is_column_of(col, item, cid) || !usable_value(v, placed)) continue;
    int cmp_coll = comparison_collation(items, e->left, e->right);
    if (!comparison_fits_affinity(items, c, column_affinity(items, item, cid), v, !side, cmp_coll, key_aff)) continue;
    *value = v;
    *coll = cmp_coll;
    *rank = terms->key_rank ? terms->key_rank[2 * k + side] : k;
    return e->kind == EXPR_IS ? TK_IS : TK_EQ;
  }
  return 0;
}

/* Whether SQLite would key an automatic index on column cid of t: not when
** an index of the table starts with it (the planner would rather have that
** index, and if it cannot serve, neither would a copy), nor when ANALYZE
** found that the index columns up to it leave more than 4 rows per value. */
static int auto_key_column(const Table *t, int cid) {
  for (const Index *ix = t->indexes; ix; ix = ix->next) {
    if (is_table_pk(ix)) continue;
    for (int j = 0; j < ix->nkey; j++) {
      if (ix->cols[j].cid != cid) continue;
      if (j == 0 || (ix->nstat > j + 1 && ix->stat_rows[j + 1] > 4)) return 0;
      break;
    }
  }
  return 1;
}

/* An automatic index (built once per run of the statement, holding every
** column the query reads of the item, then the rowid) whose key columns are
** those that equalities fix to values known at this level, in SQLite's
** order (note_key_ranks), each sorting as its comparison does: the join
** columns, and those a constant fixes.  Its build (a scan, and an insert of
** each row: a descent and its share of the page splits) is paid once and
** spread over the outer rows the level runs for. */
static int auto_access(const PlanItem *items, int item, const TermList *terms, uint64_t placed, double outer,
                       Access *a) {
  const PlanItem *it = &items[item];
  const Table *t = it->table;
  int rank[PLAN_MAX_KEY];
  if (!placed || it->is_vtab || t->without_rowid || it->not_indexed || it->indexed_by || it->no_autoindex ||
      is_right(it->join_type))
    return 0;
  memset(a, 0, sizeof *a);
  a->kind = WLOOP_INDEX;
  a->rowid_term = -1;
  a->autoindex = 1;
  for (int cid = 0; cid < t->ncols; cid++) {
    const Expr *v = NULL;
    char aff = 0;
    int term = -1, coll = COLL_BINARY, op = 0, r = 0;
    if (cid == t->ipk || !auto_key_column(t, cid)) continue;
    for (int k = 0; k < terms->n; k++) { /* the term SQLite meets first */
      const Expr *v1;
      char aff1;
      int coll1, r1, op1 = auto_key_term(items, terms, k, item, cid, placed, &v1, &aff1, &coll1, &r1);
      if (!op1 || (term >= 0 && r1 >= r)) continue;
      v = v1, aff = aff1, coll = coll1, op = op1, r = r1, term = k;
    }
    if (term < 0 || (a->neq == PLAN_MAX_KEY && r >= rank[PLAN_MAX_KEY - 1])) continue;
    int j = a->neq < PLAN_MAX_KEY ? a->neq++ : PLAN_MAX_KEY - 1; /* the key columns in rank order */
    for (; j > 0 && rank[j - 1] > r; j--) {
      rank[j] = rank[j - 1];
      a->auto_cid[j] = a->auto_cid[j - 1];
      a->auto_coll[j] = a->auto_coll[j - 1];
      a->eq[j] = a->eq[j - 1];
      a->eq_affinity[j] = a->eq_affinity[j - 1];
      a->eq_is[j] = a->eq_is[j - 1];
      a->eq_term[j] = a->eq_term[j - 1];
    }
    rank[j] = r;
    a->auto_cid[j] = cid;
    a->auto_coll[j] = coll;
    a->eq[j] = v;
    a->eq_affinity[j] = aff;
    a->eq_is[j] = op == TK_IS;
    a->eq_term[j] = term;
  }
  if (a->neq == 0) return 0;
  double n = table_rows(it);
  a->rows = n < PLAN_EQ_ROWS ? n : PLAN_EQ_ROWS;
  a->covering = 1;
  a->cost = seek_cost(n) + a->rows + n * (1 + 2 * seek_cost(n)) / (outer > 1 ? outer : 1);
  return 1;
}

static void best_access(const PlanItem *items, int item, const TermList *terms, uint64_t placed, double outer,
                        Access *best);

/* The LogEst of the sum of two quantities given as LogEst (SQLite's). */
static int log_est_add(int a, int b) {
  static const unsigned char x[] = {10, 10, 9, 9, 8, 8, 7, 7, 7, 6, 6, 6, 5, 5, 5, 4,
                                    4,  4,  4, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2};
  if (a < b) {
    int t = a;
    a = b;
    b = t;
  }
  if (a > b + 49) return a;
  if (a > b + 31) return a + 1;
  return a + x[a - b];
}

/* About the LogEst of log2 of the rows whose LogEst is n (SQLite's estLog). */
static int est_log(int n) { return n <= 10 ? 0 : log_est((uint64_t)n) - 33; }

/* The item's rows in LogEst: ANALYZE's count (a VALUES list's rows), else SQLite's guess of 2^20. */
static int table_log_est(const PlanItem *it) {
  int known = it->table->stat_loaded || (it->is_subquery && it->est_rows > 0);
  return log_est(known ? (uint64_t)table_rows(it) : (uint64_t)PLAN_ROWS_GUESS);
}

static int has_samples(const Table *t) {
  for (const Index *ix = t->indexes; ix; ix = ix->next)
    if (ix->nsample > 0) return 1;
  return 0;
}

/* SQLite's cost (LogEst) of one pass of access a over item, by the formulas
** of its planner: a multi-index OR is weighed by these against the item's
** other paths, as SQLite weighs it.  (Lode's own costs count a row looked up
** through an index dearer against a scan's step than SQLite's do, which would
** keep out of an OR the range disjuncts SQLite's OR takes.) */
static int sq_access_cost(const PlanItem *items, int item, const Access *a) {
  const PlanItem *it = &items[item];
  int rsize = table_log_est(it), rlog = est_log(rsize);
  int nout = log_est(a->rows > 1 ? (uint64_t)a->rows : 1);
  int nin = a->in_list ? log_est((uint64_t)in_values(a->in_list)) : 0;
  switch (a->kind) {
  case WLOOP_ROWID_EQ:
    return log_est_add(rlog + nin, 16 + nin);
  case WLOOP_ROWID_RANGE:
    return log_est_add(rlog, nout + 16);
  case WLOOP_INDEX: {
    /* A skip-scan seeks once per value of its skipped columns (nIter of them, in
    ** LogEst), each seek finding its share of the rows, and pays 1.375 times. */
    const Index *ix = a->index;
    int iter = a->nskip ? log_est((uint64_t)ix->stat_rows[0]) - log_est((uint64_t)ix->stat_rows[a->nskip]) : 0;
    if (a->nskip) nout -= iter;
    int run = log_est_add(rlog + nin, nout + index_step(it->table, a->index));
    run = a->covering ? run : log_est_add(run, nout + 16);
    return a->nskip ? run + iter + 5 : run;
  }
  default: /* a scan: three steps a row (SQLite's nudge towards lookups) */
    return it->table->without_rowid ? rsize + pk_scan_step(it->table)
                                    : rsize + 16 - (has_samples(it->table) ? 2 : 0);
  }
}

/* Whether a disjunct's path can be one lookup of a multi-index OR: a rowid
** (or a rowid IN list) or a rowid range, or an index seek that narrows (no
** skip-scan, which its loop, coded apart, does not do; no automatic index). */
static int or_lookup(const Access *a) {
  if (a->kind == WLOOP_ROWID_EQ) return 1;
  if (a->kind == WLOOP_ROWID_RANGE) return 1;
  return a->kind == WLOOP_INDEX && !a->autoindex && !a->nskip &&
         (a->neq || a->lo.value || a->hi.value || a->in_list);
}

/* The paths of OR term k's disjuncts, into sub[] when not NULL, and their
** cost to SQLite (LogEst: the sum of theirs, and one step more, as SQLite
** charges an OR so that it never ties with its dearest lookup) into *sq;
** 0 when a disjunct has no lookup. */
static int or_paths(const PlanItem *items, int item, const TermList *terms, int k, uint64_t placed, Access *sub,
                    int *sq, double *rows) {
  const OrParts *o = terms->ors[k];
  int sum = 0;
  *rows = 0;
  for (int j = 0; j < o->n; j++) {
    Access a;
    best_access(items, item, &o->parts[j], placed, 1, &a);
    if (!or_lookup(&a)) return 0;
    int c = sq_access_cost(items, item, &a);
    sum = j ? log_est_add(sum, c) : c;
    *rows += a.rows;
    if (sub) sub[j] = a;
  }
  *sq = sum + 1;
  return 1;
}

/* A multi-index OR: when every disjunct of an OR term has a lookup of its
** own, the rows are the union of the lookups' rows, gathered by rowid
** without duplicates, then read from the table, when that costs SQLite less
** than best, the item's path otherwise (the OR term whose lookups cost
** least).  The OR term itself stays to be tested on each row unless the
** lookups decide it. */
static int or_access(const PlanItem *items, int item, const TermList *terms, uint64_t placed, const Access *best,
                     Access *a) {
  const PlanItem *it = &items[item];
  if (!terms->ors || it->is_subquery || it->table->without_rowid || it->not_indexed || it->indexed_by) return 0;
  int sq_best = sq_access_cost(items, item, best), win = -1, win_sq = 0;
  double win_rows = 0;
  for (int k = 0; k < terms->n; k++) {
    /* An OR read as an IN list of this item's column is a lookup of its own (another item's may still OR). */
    const Expr *in = terms->v[k].in_equiv;
    if (k >= terms->nors || !terms->ors[k] || (in && in->left->bind_item == item) ||
        !term_for(items, &terms->v[k], item))
      continue;
    if (terms->v[k].mask & ~(placed | bit(item))) continue; /* it reads an item not placed yet */
    int sq;
    double rows;
    if (or_paths(items, item, terms, k, placed, NULL, &sq, &rows) && sq < sq_best && (win < 0 || sq < win_sq)) {
      win = k;
      win_sq = sq;
      win_rows = rows;
    }
  }
  if (win < 0) return 0;
  const OrParts *o = terms->ors[win];
  Access *sub = arena_alloc(terms->arena, sizeof(Access) * (size_t)o->n);
  int sq;
  double rows, n = table_rows(it);
  if (!sub || !or_paths(items, item, terms, win, placed, sub, &sq, &rows)) return 0;
  memset(a, 0, sizeof *a);
  a->kind = WLOOP_MULTI_OR;
  a->rowid_term = -1;
  a->or_term = win;
  a->nor = o->n;
  a->or_sub = sub;
  a->rows = win_rows < n ? win_rows : n;
  /* Below best's cost by as much as SQLite's estimates put it below. */
  a->cost = best->cost * pow(2.0, (win_sq - sq_best) / 10.0);
  return 1;
}

/* Of two index paths that cost the same, the one through the narrower index
** (SQLite counts an index entry's width in the cost of reading it). */
static int narrower_tie(const PlanItem *it, const Access *a, const Access *best) {
  if (a->cost != best->cost || !a->index) return 0;
  /* A covering index walked over as many rows as a rowid range reads narrower
  ** rows: SQLite prices a range by the width of what it walks (a rowid range
  ** at the table's), so the index wins when its rows are estimated narrower. */
  if (best->kind == WLOOP_ROWID_RANGE)
    return a->covering && !it->table->without_rowid &&
           log_est((uint64_t)index_width_est(it->table, a->index) * 4) <
               log_est((uint64_t)row_width_est(it->table) * 4);
  if (best->kind != WLOOP_INDEX || !best->index || a->covering != best->covering) return 0;
  return index_width_est(it->table, a->index) < index_width_est(it->table, best->index);
}

static int class_out(const PlanItem *items, int item, const TermList *terms, uint64_t prereq, const Access *a,
                     int nout, int rsize);

/* Whether index path a beats best, a full scan, by SQLite's own costs, which
** decide it (*weigh) once ANALYZE has counted the table's rows: an equality's
** estimate can then keep a third of the rows or more, where Lode's costs,
** which count a row looked up dearer against a scan step than SQLite's, would
** scan (SQLite seeks unless the index entries and lookups cost as much as the
** scan: about half the rows, or nearly all through a covering index). */
static int seek_weighs_scan(const PlanItem *items, int item, const TermList *terms, uint64_t placed, const Access *a,
                            const Access *best, int *weigh) {
  const PlanItem *it = &items[item];
  *weigh = best->kind == WLOOP_SCAN && it->table->stat_loaded && !it->is_subquery && !(a->nskip && a->in_list);
  if (!*weigh) return 0;
  int ca = sq_access_cost(items, item, a), cb = sq_access_cost(items, item, best);
  if (ca != cb) return ca < cb;
  /* A tie goes to the path that passes on fewer rows, as in SQLite's choice. */
  int rsize = table_log_est(it);
  return class_out(items, item, terms, placed, a, log_est(a->rows > 1 ? (uint64_t)a->rows : 1), rsize) <
         class_out(items, item, terms, placed, best, rsize, rsize);
}

/* The cheapest access path for item given the placed items, which run
** outer times. */
static void best_access(const PlanItem *items, int item, const TermList *terms, uint64_t placed, double outer,
                        Access *best) {
  const PlanItem *it = &items[item];
  memset(best, 0, sizeof *best);
  best->kind = WLOOP_SCAN;
  best->rows = table_rows(it);
  best->cost = best->rows + 1; /* the rows, and the descent to the first */
  best->rowid_term = -1;
  if (it->is_subquery) { /* a FROM subquery's rows, kept: scanned, or looked up in an automatic index */
    Access a;
    if (auto_access(items, item, terms, placed, outer, &a) && a.cost < best->cost) *best = a;
    return;
  }
  for (int k = 0; k < terms->n; k++) {
    const Expr *v;
    char aff;
    if (term_on_column(items, &terms->v[k], item, XN_ROWID, COLL_BINARY, placed, &v, &aff) == TK_EQ &&
        terms->v[k].expr->kind == EXPR_BINARY) {
      best->kind = WLOOP_ROWID_EQ;
      best->rowid_term = k;
      best->rows = 1;
      best->cost = seek_cost(table_rows(it));
      return;
    }
  }
  for (int k = 0; k < terms->n; k++) {
    int coll;
    char aff;
    if (!term_in_list(items, &terms->v[k], item, XN_ROWID, COLL_BINARY, placed, &aff, &coll)) continue;
    best->kind = WLOOP_ROWID_EQ;
    best->in_term = k;
    best->in_list = terms->v[k].in_equiv ? terms->v[k].in_equiv : terms->v[k].expr;
    best->in_affinity = aff;
    best->in_coll = coll;
    best->rows = in_values(best->in_list);
    best->cost = seek_cost(table_rows(it)) * best->rows;
    return;
  }
  WhereBound lo, hi;
  IndexColumn rowid_col;
  memset(&rowid_col, 0, sizeof rowid_col);
  rowid_col.cid = XN_ROWID;
  find_range(items, terms, item, &rowid_col, 1, placed, &lo, &hi);
  if (lo.value || hi.value) {
    best->kind = WLOOP_ROWID_RANGE;
    best->lo = lo;
    best->hi = hi;
    best->rows = range_rows(table_rows(it), &lo, &hi);
    best->cost = seek_cost(table_rows(it)) + best->rows;
  }
  if (it->not_indexed) return;
  if (it->indexed_by) {
    /* The named index, even where it narrows nothing: a scan of it. */
    Access a;
    if (!index_access(items, item, terms, placed, it->indexed_by, &a)) {
      a.rows = table_rows(it);
      a.covering = index_covers(it, it->indexed_by);
      a.cost = a.rows * (a.covering ? 1 : 1 + PLAN_LOOKUP_COST);
    }
    *best = a;
    return;
  }
  for (const Index *ix = it->table->indexes; ix; ix = ix->next) {
    /* A RIGHT join's second pass scans what the level reads: all rows. */
    if (ix->where && !partial_usable(items, item, terms, ix)) continue;
    Access a;
    int weigh = 0, found = index_access(items, item, terms, placed, ix, &a);
    if (found && (seek_weighs_scan(items, item, terms, placed, &a, best, &weigh) ||
                  (!weigh && (a.cost < best->cost || (best->kind == WLOOP_SCAN && a.cost <= best->cost) ||
                              narrower_tie(it, &a, best)))))
      *best = a;
    /* No skip-scan for a disjunct of a multi-index OR: its loop is coded apart (open_multi_or). */
    else if (!(ix->where) && !terms->disjunct && skip_access(items, item, terms, placed, ix, &a) &&
             (seek_weighs_scan(items, item, terms, placed, &a, best, &weigh) || (!weigh && a.cost < best->cost)))
      *best = a;
  }
  Access a;
  if (!best->autoindex && or_access(items, item, terms, placed, best, &a)) {
    *best = a;
    return;
  }
  if (best->kind != WLOOP_SCAN) return;
  if (auto_access(items, item, terms, placed, outer, &a) && a.cost < best->cost) {
    *best = a;
    return;
  }
  /* A covering index whose rows are estimated narrower than the table's:
  ** a scan of it instead (as SQLite chooses, by the same estimate), the
  ** narrowest one.  A WITHOUT ROWID table's indexes are always candidates. */
  const Index *narrowest = NULL;
  int table_width = row_width_est(it->table), best_width = 0;
  for (const Index *ix = it->table->indexes; ix; ix = ix->next) {
    if (is_table_pk(ix) || ix->where || !index_covers(it, ix)) continue;
    int w = index_width_est(it->table, ix);
    if (!it->table->without_rowid && log_est((uint64_t)w * 4) >= log_est((uint64_t)table_width * 4)) continue;
    if (!narrowest || w < best_width || (w == best_width && ix->ncols < narrowest->ncols)) {
      narrowest = ix;
      best_width = w;
    }
  }
  if (!narrowest) return;
  memset(best, 0, sizeof *best);
  best->kind = WLOOP_INDEX;
  best->index = narrowest;
  best->covering = 1;
  best->rowid_term = -1;
  best->rows = table_rows(it);
  best->cost = best->rows * PLAN_COVER_SCAN;
}

/* Whether access a tests term k itself. */
static int access_uses(const Access *a, int k) {
  if (a->kind == WLOOP_SCAN) return 0;
  if ((a->kind == WLOOP_ROWID_EQ && !a->in_list && a->rowid_term == k) || (a->in_list && a->in_term == k) ||
      (a->lo.value && a->lo.term == k) || (a->hi.value && a->hi.term == k))
    return 1;
  if (a->kind == WLOOP_MULTI_OR && a->or_term == k) return 1;
  for (int j = a->nskip; a->kind == WLOOP_INDEX && j < a->neq; j++)
    if (a->eq[j] && a->eq_term[j] == k) return 1;
  return 0;
}

/* The rows item's level passes on once it also tests the terms its access
** path leaves (placed: the items before it), as SQLite's output adjustment
** guesses them: each such term keeps 15 rows in 16, and an equality with a
** value caps them at a quarter of the table (a half for -1, 0 or 1), so
** that a table narrowed by a term on an unindexed column goes first. */
static double output_rows(const PlanItem *items, int item, const TermList *terms, uint64_t placed, const Access *a) {
  double rows = a->rows, cap = 0;
  uint64_t avail = placed | bit(item);
  for (int k = 0; k < terms->n; k++) {
    const WhereTerm *t = &terms->v[k];
    if (!(t->mask & bit(item)) || t->mask == ALL_ITEMS || (t->mask & ~avail) || !term_for(items, t, item) ||
        access_uses(a, k) || t->implied)
      continue;
    if (t->truth >= 0) { /* its hint's share, and no other estimate */
      rows *= t->truth;
      continue;
    }
    rows *= 15.0 / 16;
    const Expr *e = t->expr;
    if ((e->kind == EXPR_BINARY && e->op == TK_EQ) || is_equal_is(e)) {
      const Expr *v = e->right;
      int small = v && v->kind == EXPR_INTEGER && v->ival >= -1 && v->ival <= 1;
      double c = table_rows(&items[item]) / (small ? 2 : 4);
      if (cap == 0 || c < cap) cap = c;
    }
  }
  if (cap > 0 && rows > cap) rows = cap;
  return rows;
}

/* The share of item's rows that the terms with a likelihood() keep which
** the level tests without its access deciding them: the inner levels run
** that much less often. */
static double hinted_share(const PlanItem *items, int item, const TermList *terms, uint64_t placed, const Access *a) {
  double share = 1;
  uint64_t avail = placed | bit(item);
  for (int k = 0; k < terms->n; k++) {
    const WhereTerm *t = &terms->v[k];
    if (t->truth < 0 || !(t->mask & bit(item)) || t->mask == ALL_ITEMS || (t->mask & ~avail) ||
        !term_for(items, t, item) || access_uses(a, k) || t->implied)
      continue;
    share *= t->truth;
  }
  return share;
}

/* The rows a level passes on per outer row: an EXISTS subquery's table (a
** semi-join) goes on to the loops inside it once at most, with its first row
** that passes its terms. */
static double semi_join_rows(const PlanItem *it, double rows) { return it->exists && rows > 1 ? 1 : rows; }

/* The same for weighing join orders, where a LEFT join's item also passes on
** a row (of NULLs) for each outer row it finds none for. */
static double order_rows(const PlanItem *it, double rows) {
  if (it->join_type == JOIN_LEFT && rows < 1) return 1;
  return semi_join_rows(it, rows);
}

/* Estimated cost of visiting items in the given order. */
static double order_cost(const PlanItem *items, const int *order, int n, const TermList *terms) {
  double outer = 1, cost = 0;
  uint64_t placed = 0;
  for (int i = 0; i < n; i++) {
    Access a;
    best_access(items, order[i], terms, placed, outer, &a);
    /* An order that needs an automatic index counts it twice: an index the
    ** schema has serves another order better than the estimates say (no
    ** build, pages already cached), as SQLite's choices show. */
    /* An EXISTS virtual table comes last whatever the order (its module's
    ** estimate, which SQLite weighs, is not known here): its cost would only
    ** weigh the rows of the others. */
    if (!(items[order[i]].exists && items[order[i]].is_vtab)) cost += outer * a.cost * (a.autoindex ? 2 : 1);
    outer *= order_rows(&items[order[i]], output_rows(items, order[i], terms, placed, &a));
    placed |= bit(order[i]);
  }
  return cost;
}

/* ---- SQLite's costs for joins of scans, rowid lookups and automatic indexes ------- */

/* Where every item a join could place at any level reads its rows by a
** scan, a rowid lookup or range, or an automatic index, the join order is
** the one SQLite 3.53's path search finds with its own estimates, in its
** LogEst units (10 per doubling): these joins are where its choice turns on
** small differences (which table to index, which to scan) that the rough
** costs above cannot tell apart, and where a wrong one costs most. */

/* Whether e is an integer literal between -1 and 1. */
static int is_small_integer(const Expr *e) {
  int neg = e->kind == EXPR_UNARY && e->op == TK_MINUS;
  if (neg) e = e->left;
  return e->kind == EXPR_INTEGER && e->ival >= -1 && e->ival <= 1;
}

/* The characters of a LIKE or GLOB pattern string that match only
** themselves: its bytes but the wildcards, a GLOB's [...] set counting once
** (an unclosed one not at all). */
static int pattern_literals(const char *z, int n, int glob) {
  int count = 0;
  for (int i = 0; i < n; i++) {
    if (glob ? z[i] == '*' || z[i] == '?' : z[i] == '%' || z[i] == '_') continue;
    if (glob && z[i] == '[') {
      int j = i + 1;
      if (j < n && z[j] == '^') j++;
      if (j < n && z[j] == ']') j++;
      while (j < n && z[j] != ']') j++;
      if (j >= n) break;
      i = j;
    }
    count++;
  }
  return count;
}

/* SQLite's reduction (LogEst) for a LIKE or GLOB term: one step, and two
** more per literal character of the longest string in its pattern. */
static int pattern_reduction(const Expr *e, int glob) {
  if (!e || e->select) return 0;
  if (e->kind == EXPR_STRING) return 2 * pattern_literals(e->text, e->n, glob);
  int r = pattern_reduction(e->left, glob), x = pattern_reduction(e->right, glob);
  if (x > r) r = x;
  for (int i = 0; e->args && i < e->args->n; i++)
    if ((x = pattern_reduction(e->args->items[i], glob)) > r) r = x;
  return r;
}

/* SQLite's estimate of the rows a loop of item passes on (nout on entry: the
** rows its access finds, rsize the table's): each term that reads item and
** only items of prereq, and that the access does not decide, keeps 15 rows
** in 16 (one LogEst step; a LIKE or GLOB more, by its pattern), and an
** equality "column = value" among them caps the rows at a quarter of the
** table (a half for -1, 0 or 1). */
static int class_out(const PlanItem *items, int item, const TermList *terms, uint64_t prereq, const Access *a,
                     int nout, int rsize) {
  int reduce = 0;
  for (int k = 0; k < terms->n; k++) {
    const WhereTerm *t = &terms->v[k];
    if (!(t->mask & bit(item)) || t->mask == ALL_ITEMS || (t->mask & ~(prereq | bit(item))) ||
        !term_for(items, t, item) || access_uses(a, k) || t->implied)
      continue;
    if (t->truth >= 0) { /* its hint's share, and no other estimate */
      nout += truth_log_est(t->truth);
      continue;
    }
    nout--;
    if (t->expr->kind == EXPR_LIKE && !t->expr->negated)
      nout -= pattern_reduction(t->expr->right, t->expr->op == TK_GLOB);
    /* The cap is for a column compared with a value that reads other items (or none): SQLite does not count a
    ** comparison of two columns of the item as an equality. */
    const Expr *e = t->expr;
    if (!is_key_comparison(e) || (expr_mask(e->left) & expr_mask(e->right))) continue;
    if (!is_column_operand(e->left) && !is_column_operand(e->right)) continue;
    int r = is_small_integer(is_column_operand(e->left) ? e->right : e->left) ? 10 : 20;
    if (r > reduce) reduce = r;
  }
  return nout > rsize - reduce ? rsize - reduce : nout;
}

/* The rows (LogEst) SQLite expects a range to keep of rsize without statistics: a bound keeps a quarter of
** them, both a 64th, at least 10 LogEst. */
static int class_range_rows(const Access *a, int rsize) {
  int nb = (a->lo.value != NULL) + (a->hi.value != NULL), n2 = rsize - 20 * nb - (nb == 2 ? 20 : 0);
  int rows = rsize - nb;
  if (n2 < 10) n2 = 10;
  return n2 < rows ? n2 : rows;
}

/* One level of SQLite's path: the access, its one-time cost, its cost per
** outer row and the rows it passes on, all LogEst. */
typedef struct ClassLoop {
  Access a;
  int setup, run, out;
} ClassLoop;

/* The WhereLoops SQLite offers for item once placed are (their rows: nrow),
** when it reads the item by a scan, a rowid lookup or range, an automatic
** index, or a range of a covering index, in the order it makes them (an
** automatic index first); how many, into out[0..4).  0 when the item is
** read another way (another index of the schema, a subquery…): the join is
** not one of these. */
static int class_loops(const PlanItem *items, int item, const TermList *terms, uint64_t placed, int nrow,
                       ClassLoop *out) {
  const PlanItem *it = &items[item];
  Access lode;
  if (it->is_subquery || it->is_vtab || it->exists) return 0;
  best_access(items, item, terms, placed, 1, &lode);
  int rsize = table_log_est(it), rlog = est_log(rsize), n = 0;
  if (lode.kind == WLOOP_ROWID_EQ && !lode.in_list) {
    out[0].a = lode;
    out[0].setup = 0;
    out[0].run = log_est_add(rlog, 16);
    out[0].out = class_out(items, item, terms, expr_mask(terms->v[lode.rowid_term].expr) & ~bit(item), &lode, 0, rsize);
    return 1;
  }
  /* A range on a covering index's first column (what a range on the rowid ties with, Lode's path then):
  ** SQLite's loop for it too, where no sort is to be weighed (class_ordered knows the order of a rowid's
  ** loops only). */
  const PlanParams *pp = terms->params;
  int cover_range = lode.kind == WLOOP_INDEX && lode.covering && !lode.autoindex && lode.neq == 0 &&
                    !lode.in_list && !lode.nskip && (lode.lo.value || lode.hi.value) && !lode.index->where &&
                    !it->table->without_rowid && !(pp && pp->sort_kind && pp->nsort > 0);
  if (lode.kind != WLOOP_SCAN && lode.kind != WLOOP_ROWID_RANGE && !(lode.kind == WLOOP_INDEX && lode.autoindex) &&
      !cover_range)
    return 0;
  Access rowid_range = lode;
  if (cover_range) { /* the rowid range, if the terms bound the rowid too */
    IndexColumn rowid_col;
    memset(&rowid_col, 0, sizeof rowid_col);
    rowid_col.cid = XN_ROWID;
    memset(&rowid_range, 0, sizeof rowid_range);
    rowid_range.rowid_term = -1;
    find_range(items, terms, item, &rowid_col, 1, placed, &rowid_range.lo, &rowid_range.hi);
    if (rowid_range.lo.value || rowid_range.hi.value) {
      rowid_range.kind = WLOOP_ROWID_RANGE;
      rowid_range.rows = range_rows(table_rows(it), &rowid_range.lo, &rowid_range.hi);
      rowid_range.cost = seek_cost(table_rows(it)) + rowid_range.rows;
    }
  }
  ClassLoop scan, range, au, cover;
  /* A full scan: three steps a row (two and three quarters with sqlite_stat4), to favour lookups. */
  memset(&scan, 0, sizeof scan);
  scan.a.kind = WLOOP_SCAN;
  scan.a.rowid_term = -1;
  scan.a.rows = table_rows(it);
  scan.a.cost = scan.a.rows + 1;
  scan.run = rsize + 16 - (has_samples(it->table) ? 2 : 0);
  if (it->table->without_rowid) scan.run = rsize + pk_scan_step(it->table);
  scan.out = class_out(items, item, terms, 0, &scan.a, rsize, rsize);
  int have_range = rowid_range.kind == WLOOP_ROWID_RANGE;
  if (have_range) { /* a bound keeps a quarter of the rows, both a 64th, at least 10 LogEst */
    int rows = class_range_rows(&rowid_range, rsize);
    range.a = rowid_range;
    range.setup = 0;
    range.run = log_est_add(rlog, rows + 16);
    range.out = class_out(items, item, terms,
                          (expr_mask(rowid_range.lo.value) | expr_mask(rowid_range.hi.value)) & ~bit(item),
                          &rowid_range, rows, rsize);
  }
  if (cover_range) { /* its entries cost their width against the table's rows */
    int rows = class_range_rows(&lode, rsize);
    int tab = log_est((uint64_t)row_width_est(it->table) * 4);
    int idx = log_est((uint64_t)index_width_est(it->table, lode.index) * 4);
    cover.a = lode;
    cover.setup = 0;
    cover.run = log_est_add(rlog, rows + 1 + (tab > 0 ? 15 * idx / tab : 15));
    cover.out = class_out(items, item, terms, (expr_mask(lode.lo.value) | expr_mask(lode.hi.value)) & ~bit(item),
                          &lode, rows, rsize);
  }
  /* An automatic index: built at N log N times 7, then each lookup finds 20 rows;
  ** never for a level that runs fewer than 1.25 times, nor where a scan or the range
  ** costs no more per row and passes on no more rows. */
  if (nrow >= 3 && auto_access(items, item, terms, placed, 1, &au.a)) {
    au.setup = rlog + rsize + 28;
    if (au.setup < 0) au.setup = 0;
    au.run = log_est_add(rlog, 43);
    au.out = 43;
    if (!(scan.run <= au.run && scan.out <= au.out) && !(have_range && range.run <= au.run && range.out <= au.out))
      out[n++] = au;
  }
  out[n++] = scan;
  if (have_range) out[n++] = range;
  if (cover_range) out[n++] = cover;
  return n;
}

/* ---- the order SQLite's paths give ---- */

/* Whether order term o is a column of item that an = or IS (or IS NULL)
** fixes to a value the placed items (or none) give, compared in o's
** collation: SQLite counts it given at item's level. */
static int order_term_fixed(const PlanItem *items, const TermList *terms, const PlanOrder *o, int item,
                            uint64_t placed) {
  const Expr *c = o->expr;
  while (c->kind == EXPR_COLLATE) c = c->left;
  if (c->kind != EXPR_COLUMN || !c->bound || c->bind_depth != 0 || c->bind_item != item) return 0;
  int cid = c->bind_col < 0 || c->bind_col == items[item].table->ipk ? XN_ROWID : c->bind_col;
  for (int k = 0; k < terms->n; k++) {
    const Expr *e = terms->v[k].expr;
    if (!term_for(items, &terms->v[k], item)) continue;
    if (e->kind == EXPR_ISNULL && is_column_of(e->left, item, cid)) return 1;
    if (!is_key_comparison(e)) continue;
    for (int side = 0; side < 2; side++) {
      const Expr *col = side ? e->right : e->left, *v = side ? e->left : e->right;
      while (col->kind == EXPR_COLLATE) col = col->left;
      if (!is_column_of(col, item, cid) || !usable_value(v, placed)) continue;
      if (cid == XN_ROWID || comparison_collation(items, e->left, e->right) == o->coll) return 1;
    }
  }
  return 0;
}

/* Whether order term o is item's rowid (its INTEGER PRIMARY KEY), with its
** NULLs where an index puts them (first ascending, last descending). */
static int order_term_rowid(const PlanItem *items, const PlanOrder *o, int item) {
  const Expr *c = o->expr;
  while (c->kind == EXPR_COLLATE) c = c->left;
  if (c->kind != EXPR_COLUMN || !c->bound || c->bind_depth != 0 || c->bind_item != item) return 0;
  return o->nulls_last == o->desc && (c->bind_col < 0 || c->bind_col == items[item].table->ipk);
}

/* How much of the sort a path saves once loop cl of item extends it (the
** items before: placed; *given: the sort terms its levels give so far), as
** SQLite reckons it for these accesses: a term on a column an equality
** fixes is given; a scan or rowid range gives the rowid order, so when the
** first term not yet given is the rowid (for GROUP BY or DISTINCT, any) the
** level gives each row once in order, as a lookup of one row does, and then
** every term on such levels is given; a path through an automatic index
** gives no order at all.  Returns nsort when all terms
** are given, -1 while each level so far gives each row once in order (a
** later one may give the rest), else the count of leading terms given. */
static int class_ordered(const PlanItem *items, const TermList *terms, const PlanParams *pp, uint64_t placed,
                         int item, const ClassLoop *cl, uint64_t *given) {
  int n = pp->nsort, once = 1, i;
  if (cl->a.autoindex) return 0; /* SQLite knows no order of an index it has not built */
  for (i = 0; i < n; i++)
    if (!(*given & bit(i)) && order_term_fixed(items, terms, &pp->sort[i], item, placed)) *given |= bit(i);
  if (cl->a.kind == WLOOP_SCAN || cl->a.kind == WLOOP_ROWID_RANGE) {
    /* An ORDER BY needs the rowid to be its next term; a GROUP BY or DISTINCT takes it as any of its terms. */
    once = 0;
    for (i = 0; i < n && !once; i++) {
      if (*given & bit(i)) continue;
      if (order_term_rowid(items, &pp->sort[i], item)) {
        *given |= bit(i);
        once = 1;
      }
      if (pp->sort_kind == PLAN_SORT_ORDER_BY) break;
    }
    for (i = 0; i < n && (*given & bit(i)); i++) {}
    if (i == n) once = 1;
  }
  for (int j = 0; once && j < n; j++) {
    uint64_t m = expr_mask(pp->sort[j].expr);
    if (m != ALL_ITEMS && !(m & ~(placed | bit(item)))) *given |= bit(j);
  }
  for (i = 0; i < n && (*given & bit(i)); i++) {}
  return i == n ? n : once ? -1 : i;
}

/* SQLite's cost of sorting nrow rows (LogEst) when the loops give the
** first nsorted sort terms: the rows, times 2 for the columns, times their
** log (of the LIMIT if fewer; half the rows for DISTINCT), the share of the
** terms left to sort, twice more with a LIMIT. */
static int class_sort_cost(const PlanParams *pp, int nrow, int nsorted) {
  int cost = nrow + 10;
  if (nsorted > 0) cost += log_est((uint64_t)((pp->nsort - nsorted) * 100 / pp->nsort)) - 66;
  if (pp->sort_limit > 0) {
    int limit = log_est((uint64_t)pp->sort_limit);
    cost += nsorted ? 16 : 10;
    if (limit < nrow) nrow = limit;
  } else if (pp->sort_kind == PLAN_SORT_DISTINCT && nrow > 10) {
    nrow -= 10;
  }
  return cost + est_log(nrow);
}

/* A path of SQLite's search: the items placed, in order; its cost, the
** cost it passes on to the next level (2 less for each level that needs no
** sort: SQLite's nudge towards plans without one) and its rows, LogEst; the
** sort terms its levels give and how much of the sort it saves (as
** class_ordered returns it). */
typedef struct ClassPath {
  uint64_t set;
  int order[PLAN_EXHAUSTIVE];
  int cost, unsorted, nrow;
  uint64_t given;
  int ordered;
  char loop[PLAN_EXHAUSTIVE]; /* per level, which of class_loops' loops */
} ClassPath;

#define CLASS_MAX_PATHS 10 /* SQLite keeps the 10 best paths of each length (5 for two items) */

/* Path from extended (step: its length) by loop cl of item, with SQLite's
** costs: whether it pays for a sort (of sort_rows rows, sort_cost[k] the
** cost when its levels give the first k terms, -1 until known) as pp says. */
static void class_extend(const PlanItem *items, const TermList *terms, const PlanParams *pp, int sort_rows,
                         int *sort_cost, const ClassPath *from, int step, int item, const ClassLoop *cl, int li,
                         ClassPath *to) {
  int here = cl->setup ? log_est_add(cl->setup, cl->run + from->nrow) : cl->run + from->nrow;
  *to = *from;
  to->set |= bit(item);
  to->order[step] = item;
  to->loop[step] = (char)li;
  to->nrow = from->nrow + cl->out;
  to->unsorted = to->cost = log_est_add(here, from->unsorted);
  if (pp && to->ordered < 0) to->ordered = class_ordered(items, terms, pp, from->set, item, cl, &to->given);
  if (pp && to->ordered >= 0 && to->ordered < pp->nsort) {
    if (sort_cost[to->ordered] < 0) sort_cost[to->ordered] = class_sort_cost(pp, sort_rows, to->ordered);
    to->cost = log_est_add(to->unsorted, sort_cost[to->ordered]) + 3;
  } else {
    to->unsorted -= 2;
  }
}

/* Keeps path c among to[0..*nto) as SQLite keeps its best paths: in place
** of a path to the same items (alike undecided or not about the order)
** when it is better (cost, then rows, then cost passed on); else as a new
** one, or in place of the costliest when there are mx already. */
static void class_keep(ClassPath *to, int *nto, int mx, const ClassPath *c) {
  int j, worst = 0;
  for (j = 0; j < *nto && (to[j].set != c->set || (to[j].ordered < 0) != (c->ordered < 0)); j++) {}
  if (j < *nto) {
    const ClassPath *q = &to[j];
    if (q->cost < c->cost || (q->cost == c->cost && (q->nrow < c->nrow || (q->nrow == c->nrow &&
                                                                             q->unsorted <= c->unsorted))))
      return;
  } else if (*nto == mx) {
    for (int w = 1; w < *nto; w++)
      if (to[w].cost > to[worst].cost || (to[w].cost == to[worst].cost && to[w].unsorted > to[worst].unsorted))
        worst = w;
    if (c->cost > to[worst].cost || (c->cost == to[worst].cost && c->unsorted >= to[worst].unsorted)) return;
    j = worst;
  } else {
    j = (*nto)++;
  }
  to[j] = *c;
}

/* One search of class_order: the best path, or 0 when some item is read
** otherwise.  With sort, paths that do not give the order pay for a sort of
** sort_rows rows (LogEst). */
static int class_search(const PlanItem *items, int n, const TermList *terms, int sort, int sort_rows,
                        ClassPath *best) {
  ClassPath from[CLASS_MAX_PATHS], to[CLASS_MAX_PATHS], c;
  const PlanParams *pp = sort ? terms->params : NULL;
  int nfrom = 1, mx = n == 2 ? 5 : CLASS_MAX_PATHS, sort_cost[64];
  for (int k = 0; k < 64; k++) sort_cost[k] = -1;
  memset(&from[0], 0, sizeof from[0]);
  from[0].ordered = pp ? -1 : 0;
  for (int step = 0; step < n; step++) {
    int nto = 0;
    for (int f = 0; f < nfrom; f++) {
      for (int i = 0; i < n; i++) {
        ClassLoop loops[4];
        if (from[f].set & bit(i)) continue;
        int nloop = class_loops(items, i, terms, from[f].set, from[f].nrow, loops);
        if (!nloop) return 0;
        for (int li = 0; li < nloop; li++) {
          class_extend(items, terms, pp, sort_rows, sort_cost, &from[f], step, i, &loops[li], li, &c);
          class_keep(to, &nto, mx, &c);
        }
      }
    }
    memcpy(from, to, sizeof(ClassPath) * (size_t)nto);
    nfrom = nto;
  }
  if (nfrom < 1) return 0;
  *best = from[0];
  for (int f = 1; f < nfrom; f++)
    if (from[f].cost < best->cost) *best = from[f];
  return 1;
}

/* SQLite's join order for items[0..n) when every item is read as
** class_loops allows, wherever it is placed: its search keeps, for each
** length, the best path to each set of items (at most CLASS_MAX_PATHS
** paths, the costliest dropped), extended one item at a time in FROM
** order; of two ways to the same items that cost the same, the one with
** fewer rows, then the one found first.  With a sort to spare, it searches
** again, paths that do not give the order paying for a sort of the rows the
** first search found.  Returns 1 with order[] set and loop[] the loop of
** class_loops each level takes, 0 when some item is read otherwise. */
static int class_order(const PlanItem *items, int n, const TermList *terms, int *order, char *loop) {
  ClassPath best;
  const PlanParams *pp = terms->params;
  if (n < 2 || n > PLAN_EXHAUSTIVE || !class_search(items, n, terms, 0, 0, &best)) return 0;
  /* SQLite weighs no sort of an estimate of no rows at all */
  int with_sort = pp && pp->sort_kind && pp->sort && pp->nsort > 0 && pp->nsort < 64 && best.nrow + 1 != 0;
  if (with_sort && !class_search(items, n, terms, 1, best.nrow + 1, &best)) return 0;
  memcpy(order, best.order, sizeof(int) * (size_t)n);
  memcpy(loop, best.loop, (size_t)n);
  return 1;
}

typedef struct OrderSearch {
  const PlanItem *items;
  const TermList *terms;
  const uint64_t *prereq; /* per item: the items that must come before it */
  int keep_from;          /* a LEFT or CROSS join: the items other than EXISTS tables keep their FROM order */
  int n;
  int cur[PLAN_MAX_ITEMS];
  int best[PLAN_MAX_ITEMS];
  double best_cost;
} OrderSearch;

/* Whether item i may come next once the items of used are placed. */
static int placeable(const PlanItem *items, const uint64_t *prereq, int keep_from, int i, uint64_t used) {
  if (prereq[i] & ~used) return 0;
  for (int j = 0; keep_from && !items[i].exists && j < i; j++)
    if (!items[j].exists && !(used & bit(j))) return 0;
  return 1;
}

/* Whether orders a and b list the items other than EXISTS tables alike. */
static int same_plain_order(const PlanItem *items, const int *a, const int *b, int n) {
  for (int i = 0, j = 0;; i++, j++) {
    while (i < n && items[a[i]].exists) i++;
    while (j < n && items[b[j]].exists) j++;
    if (i == n || j == n) return i == n && j == n;
    if (a[i] != b[j]) return 0;
  }
}

static void search_orders(OrderSearch *s, int depth, uint64_t used) {
  if (depth == s->n) {
    double c = order_cost(s->items, s->cur, s->n, s->terms);
    /* Where the EXISTS tables go needs no clear win: SQLite has no order of
    ** its own for them to keep. */
    if (c < s->best_cost * PLAN_BETTER || (c < s->best_cost && same_plain_order(s->items, s->cur, s->best, s->n))) {
      s->best_cost = c;
      memcpy(s->best, s->cur, sizeof(int) * (size_t)s->n);
    }
    return;
  }
  for (int i = 0; i < s->n; i++) {
    if ((used & bit(i)) || !placeable(s->items, s->prereq, s->keep_from, i, used)) continue;
    s->cur[depth] = i;
    search_orders(s, depth + 1, used | bit(i));
  }
}

/* Greedy: at each step the item with the cheapest access, FROM order on ties. */
static void greedy_order(const PlanItem *items, int n, const TermList *terms, const uint64_t *prereq, int keep_from,
                         int *order) {
  uint64_t placed = 0;
  double outer = 1;
  for (int i = 0; i < n; i++) {
    int pick = -1;
    double best_cost = 0, best_rows = 1;
    for (int j = 0; j < n; j++) {
      if ((placed & bit(j)) || !placeable(items, prereq, keep_from, j, placed)) continue;
      Access a;
      best_access(items, j, terms, placed, outer, &a);
      if (pick < 0 || a.cost < best_cost * PLAN_BETTER) {
        pick = j;
        best_cost = a.cost;
        best_rows = order_rows(&items[j], output_rows(items, j, terms, placed, &a));
      }
    }
    outer *= best_rows;
    for (int j = 0; j < n && pick < 0; j++)
      if (!(placed & bit(j))) pick = j;
    order[i] = pick;
    placed |= bit(pick);
  }
}

/* The items that the equalities on item's hidden columns (a table-valued
** function's parameters) read besides item: a virtual table is scanned after
** them, so that it gets those values (a module may refuse a plan that lacks
** one, as better-sqlite3's tables do; SQLite's planner then orders the join
** so).  A value that reads item itself, or cannot tell what it reads, adds
** nothing. */
static uint64_t hidden_column_inputs(const PlanItem *items, int item, const TermList *terms) {
  uint64_t m = 0;
  for (int k = 0; k < terms->n; k++) {
    const Expr *e = terms->v[k].expr;
    if (!e || e->kind != EXPR_BINARY || e->op != TK_EQ) continue;
    for (int side = 0; side < 2; side++) {
      const Expr *c = side ? e->right : e->left, *v = side ? e->left : e->right;
      if (!(c->kind == EXPR_COLUMN && c->bound && c->bind_depth == 0 && c->bind_item == item)) continue;
      if (c->bind_col < 0 || c->bind_col >= items[item].table->ncols || !items[item].table->cols[c->bind_col].hidden)
        continue;
      uint64_t r = expr_mask(v);
      if (r != ALL_ITEMS && !(r & bit(item))) m |= r;
    }
  }
  return m;
}

/* The items a WHERE term "col MATCH query" of virtual table i reads besides
** i (ft MATCH t.q): they go first, so that the table is searched with the
** query, where a scan of it could not answer MATCH (SQLite's costs order
** them so). */
static uint64_t match_prereq(const TermList *terms, int i) {
  uint64_t m = 0;
  for (int k = 0; k < terms->n; k++) {
    const Expr *e = terms->v[k].expr;
    if (terms->v[k].on_item >= 0 || e->kind != EXPR_FUNCTION || !e->args || e->args->n != 2 || e->over ||
        util_stricmp(e->text, "match") != 0)
      continue;
    const Expr *c = e->args->items[1];
    if (c->kind == EXPR_COLUMN && c->bound && c->bind_depth == 0 && c->bind_item == i) m |= terms->v[k].mask;
  }
  return m & ~bit(i);
}

/* Returns -1 when the virtual tables' arguments read one another in a
** cycle, so that no order positions what each reads before it (SQLite
** finds no query solution then); 1 when the order is SQLite's own
** (class_order: loop[] says each level's access), else 0. */
static int choose_order(const PlanItem *items, int n, const TermList *terms, const uint64_t *prereq, int *order,
                        char *loop) {
  int has_right = 0, has_left = 0, has_vtab = 0, has_exists = 0;
  for (int i = 0; i < n; i++) {
    order[i] = i;
    has_right |= is_right(items[i].join_type);
    has_left |= items[i].join_type == JOIN_LEFT || items[i].join_type == JOIN_CROSS;
    has_vtab |= items[i].is_vtab && !items[i].exists; /* a joined one only follows all the others */
    has_exists |= items[i].exists;
  }
  /* With a RIGHT or FULL join (and with a LEFT or CROSS join beside a joined
  ** virtual table) the FROM order stays; a LEFT or CROSS join alone only
  ** keeps its right item after the items before it (prereq). */
  int keep_from = has_right || (has_left && has_vtab);
  if (has_vtab && !has_left && !has_right) {
    /* FROM order, but each virtual table after what its arguments, the
    ** equalities on its hidden columns and its MATCH query read */
    uint64_t placed = 0, need[PLAN_MAX_ITEMS];
    for (int i = 0; i < n; i++)
      need[i] = prereq[i] | (items[i].is_vtab ? hidden_column_inputs(items, i, terms) | match_prereq(terms, i) : 0);
    for (int k = 0; k < n; k++) {
      int pick = -1;
      for (int i = 0; i < n && pick < 0; i++)
        if (!(placed & bit(i)) && (need[i] & ~placed) == 0) pick = i;
      /* The equalities and MATCH queries only order; the arguments must. */
      for (int i = 0; i < n && pick < 0; i++)
        if (!(placed & bit(i)) && (prereq[i] & ~placed) == 0) pick = i;
      if (pick < 0) return -1;
      order[k] = pick;
      placed |= bit(pick);
    }
    return 0;
  }
  /* When the FROM order stays, the EXISTS tables still go where they cost
  ** least after what they need. */
  if ((keep_from && !has_exists) || has_vtab || n < 2) return 0;
  if (has_exists) { /* the FROM order to start from, each item after what it needs */
    uint64_t placed = 0;
    for (int k = 0; k < n; k++) {
      int pick = -1;
      for (int i = 0; i < n && pick < 0; i++)
        if (!(placed & bit(i)) && placeable(items, prereq, keep_from, i, placed)) pick = i;
      for (int i = 0; i < n && pick < 0; i++) /* (the prerequisites never make a cycle) */
        if (!(placed & bit(i))) pick = i;
      order[k] = pick;
      placed |= bit(pick);
    }
  }
  if (n > PLAN_EXHAUSTIVE) {
    greedy_order(items, n, terms, prereq, keep_from, order);
    return 0;
  }
  /* EXISTS tables follow what they need, and a LEFT join's item what is
  ** before it, which SQLite's own search as class_order makes it does not weigh */
  if (!has_exists && !has_left && class_order(items, n, terms, order, loop)) return 1;
  OrderSearch s;
  s.items = items;
  s.terms = terms;
  s.prereq = prereq;
  s.keep_from = keep_from;
  s.n = n;
  memcpy(s.best, order, sizeof(int) * (size_t)n);
  s.best_cost = order_cost(items, order, n, terms); /* only a clearly cheaper order replaces it */
  search_orders(&s, 0, 0);
  memcpy(order, s.best, sizeof(int) * (size_t)n);
  return 0;
}

/* The column the equalities of an OR tree all compare, with their values
** appended to vals; NULL when a leaf is anything else.  Values must have no
** affinity and the comparisons the column's collation, so that the IN list
** compares exactly as the equalities do. */
static const Expr *or_of_equalities(const PlanItem *items, const Expr *e, const Expr *col, ExprList *vals,
                                    Arena *arena) {
  if (e->kind == EXPR_BINARY && e->op == TK_OR) {
    col = or_of_equalities(items, e->left, col, vals, arena);
    return col ? or_of_equalities(items, e->right, col, vals, arena) : NULL;
  }
  if (e->kind != EXPR_BINARY || e->op != TK_EQ) return NULL;
  /* The column is either side ("x.a = y.a" is y.a's equality too), the one named before if any. */
  const Expr *c = e->left, *v = e->right;
  int lcol = c->kind == EXPR_COLUMN && c->bound && c->bind_depth == 0;
  int rcol = v->kind == EXPR_COLUMN && v->bound && v->bind_depth == 0;
  if (col ? !(lcol && c->bind_item == col->bind_item && c->bind_col == col->bind_col) : !lcol) {
    c = e->right;
    v = e->left;
    if (!rcol) return NULL;
  }
  if (col && (c->bind_item != col->bind_item || c->bind_col != col->bind_col)) return NULL;
  if (expr_mask(v) & bit(c->bind_item)) return NULL;
  /* The list compares in the column's affinity: a value of another affinity would compare otherwise. */
  char vaff = (char)operand_affinity(items, v);
  if (vaff && vaff != column_affinity(items, c->bind_item, c->bind_col)) return NULL;
  int ccoll = c->bind_col < 0 ? COLL_BINARY : items[c->bind_item].table->cols[c->bind_col].coll;
  if (comparison_collation(items, e->left, e->right) != ccoll) return NULL;
  Expr **grown = arena_alloc(arena, sizeof(Expr *) * (size_t)(vals->n + 1));
  if (!grown) return NULL;
  if (vals->n) memcpy(grown, vals->items, sizeof(Expr *) * (size_t)vals->n);
  grown[vals->n++] = (Expr *)v;
  vals->items = grown;
  return c;
}

/* OR terms that are equalities of one column become IN lists for the
** access paths (SQLite does the same); a lookup through the list then
** decides the OR as it decides an IN. */
static void note_or_as_in(Arena *arena, const PlanItem *items, TermList *terms) {
  for (int k = 0; k < terms->n; k++) {
    WhereTerm *t = &terms->v[k];
    if (t->expr->kind != EXPR_BINARY || t->expr->op != TK_OR) continue;
    ExprList *vals = arena_alloc(arena, sizeof *vals);
    Expr *in = arena_alloc(arena, sizeof *in);
    if (!vals || !in) return;
    const Expr *col = or_of_equalities(items, t->expr, NULL, vals, arena);
    /* The first part "x.a = y.a" may be y.a's equality: then the others must be y.a's. */
    const Expr *first = t->expr;
    while (first->kind == EXPR_BINARY && first->op == TK_OR) first = first->left;
    if (!col && first->kind == EXPR_BINARY && first->op == TK_EQ && first->right->kind == EXPR_COLUMN) {
      if (!(vals = arena_alloc(arena, sizeof *vals))) return;
      col = or_of_equalities(items, t->expr, first->right, vals, arena);
    }
    if (!col) continue;
    in->kind = EXPR_IN_LIST;
    in->left = (Expr *)col;
    in->args = vals;
    t->in_equiv = in;
  }
}

/* A constant: the same value for every row (a literal or a parameter). */
static int is_constant_value(const Expr *e) {
  if (e->kind == EXPR_UNARY && (e->op == TK_MINUS || e->op == TK_PLUS)) e = e->left;
  return e->kind == EXPR_INTEGER || e->kind == EXPR_FLOAT || e->kind == EXPR_STRING || e->kind == EXPR_BLOB ||
         e->kind == EXPR_NULL || e->kind == EXPR_PARAM;
}

/* "(c, d, …) IN ((x, y, …), …)" of constants holds only where c IN (x, …):
** that list narrows a lookup on c (in_narrow), the term stays tested. */
static void note_row_in(Arena *arena, TermList *terms) {
  for (int k = 0; k < terms->n; k++) {
    WhereTerm *t = &terms->v[k];
    const Expr *e = t->expr;
    if (e->kind != EXPR_IN_LIST || e->negated || !e->args || !e->args->n || e->left->kind != EXPR_VECTOR ||
        t->in_equiv)
      continue;
    int ok = 1;
    for (int i = 0; i < e->args->n && ok; i++) {
      const Expr *row = e->args->items[i];
      ok = row->kind == EXPR_VECTOR && row->args->n == e->left->args->n && is_constant_value(row->args->items[0]);
    }
    ExprList *vals = ok ? arena_alloc(arena, sizeof *vals) : NULL;
    Expr *in = ok ? arena_alloc(arena, sizeof *in) : NULL;
    if (!vals || !in || !(vals->items = arena_alloc(arena, sizeof(Expr *) * (size_t)e->args->n))) continue;
    for (int i = 0; i < e->args->n; i++) vals->items[vals->n++] = e->args->items[i]->args->items[0];
    in->kind = EXPR_IN_LIST;
    in->left = e->left->args->items[0];
    in->args = vals;
    t->in_equiv = in;
    t->in_narrow = 1;
  }
}

/* The index an automatic index access builds: the equality columns, then
** every other column the query reads of the item (all when it cannot
** tell), then the rowid.  It lives in the arena. */
static const Index *make_autoindex(Arena *arena, const PlanItem *it, const Access *a) {
  const Table *t = it->table;
  int all = !it->cols_known || (it->cols_used >> 63);
  Index *ix = arena_alloc(arena, sizeof *ix);
  IndexColumn *cols = arena_alloc(arena, sizeof(IndexColumn) * (size_t)(t->ncols + 1));
  if (!ix || !cols) return NULL;
  int n = 0;
  for (int j = 0; j < a->neq; j++) cols[n++].cid = a->auto_cid[j];
  for (int cid = 0; cid < t->ncols; cid++) {
    int in_key = 0;
    for (int j = 0; j < a->neq; j++) in_key |= a->auto_cid[j] == cid;
    if (!in_key && cid != t->ipk && (all || (it->cols_used & bit(cid)))) cols[n++].cid = cid;
  }
  cols[n++].cid = XN_ROWID;
  for (int k = 0; k < n; k++) {
    int cid = cols[k].cid;
    if (k < a->neq) { /* a key column sorts as its comparison compares */
      cols[k].coll = a->auto_coll[k];
      cols[k].coll_name = a->auto_coll[k] == t->cols[cid].coll && t->cols[cid].coll_name ? t->cols[cid].coll_name
                                                                                        : coll_name_of(a->auto_coll[k]);
      continue;
    }
    cols[k].coll = cid >= 0 ? t->cols[cid].coll : COLL_BINARY;
    cols[k].coll_name = cid >= 0 && t->cols[cid].coll_name ? t->cols[cid].coll_name : "BINARY";
  }
  ix->table = (Table *)t;
  ix->table_name = t->name;
  ix->nkey = a->neq;
  ix->ncols = n;
  ix->cols = cols;
  return ix;
}

/* Flattens an OR tree into its disjuncts (out NULL: only counts them). */
static int or_disjuncts(const Expr *e, const Expr **out, int n) {
  if (e->kind == EXPR_BINARY && e->op == TK_OR) return or_disjuncts(e->right, out, or_disjuncts(e->left, out, n));
  if (out) out[n] = e;
  return n + 1;
}

/* Each OR term's disjuncts as term lists of their own (for multi-index OR). */
static void note_or_parts(Arena *arena, TermList *terms, int opts) {
  for (int k = 0; k < terms->n; k++) {
    const Expr *e = terms->v[k].expr;
    if (e->kind != EXPR_BINARY || e->op != TK_OR) continue;
    int n = or_disjuncts(e, NULL, 0);
    if (!terms->ors && !(terms->ors = arena_alloc(arena, sizeof(OrParts *) * (size_t)terms->n))) return;
    terms->nors = terms->n;
    OrParts *o = arena_alloc(arena, sizeof *o);
    TermList *parts = arena_alloc(arena, sizeof(TermList) * (size_t)n);
    const Expr **d = arena_alloc(arena, sizeof(Expr *) * (size_t)n);
    int *nown = arena_alloc(arena, sizeof(int) * (size_t)n);
    if (!o || !parts || !d || !nown) return;
    or_disjuncts(e, d, 0);
    for (int j = 0; j < n; j++) {
      parts[j].arena = arena;
      parts[j].rc = LODE_OK;
      parts[j].disjunct = 1;
      parts[j].params = terms->params;
      add_term(&parts[j], d[j], terms->v[k].on_item);
      nown[j] = parts[j].n;
      /* The terms ANDed with the OR hold in each disjunct too: "x = ? AND
      ** (b = ? OR c = ?)" seeks indexes on (x, b) and (x, c), as SQLite's
      ** does.  The OR term stays tested unless every one is decided. */
      for (int k2 = 0; k2 < terms->n && parts[j].rc == LODE_OK; k2++) {
        const Expr *o2 = terms->v[k2].expr;
        if (k2 == k || terms->v[k2].on_item != terms->v[k].on_item || terms->v[k2].in_equiv || terms->v[k2].implied)
          continue;
        if (o2->kind == EXPR_BINARY && o2->op == TK_OR) continue;
        add_term(&parts[j], o2, terms->v[k].on_item);
      }
      if (parts[j].rc != LODE_OK) return;
      note_like_prefixes(arena, &parts[j], opts);
    }
    o->n = n;
    o->parts = parts;
    o->exprs = d;
    o->nown = nown;
    if (!(o->commuted = arena_alloc(arena, sizeof(int) * (size_t)n))) return;
    /* SQLite reads the parts of an OR from the last to the first and appends to them a copy turned round of
    ** each comparison of two columns, which the right column's table seeks with: that copy's place numbers
    ** its lookup ("INDEX n") and orders it among the others. */
    for (int j = n - 1, next = n; j >= 0; j--) {
      const Expr *x = d[j];
      int cmp = x->kind == EXPR_BINARY && (x->op == TK_EQ || x->op == TK_LT || x->op == TK_LE || x->op == TK_GT ||
                                           x->op == TK_GE || x->op == TK_IS);
      o->commuted[j] = cmp && is_column_operand(x->left) && is_column_operand(x->right) ? next++ : -1;
    }
    terms->ors[k] = o;
  }
}

/* Whether a and b are the same value, as SQLite compares the sides of two
** comparisons: the same column, literal or parameter, or the same operator
** over the same operands (no subquery, no function call). */
static int same_operand(const Expr *a, const Expr *b) {
  if (!a || !b) return a == b;
  if (a->kind != b->kind || a->op != b->op || a->negated != b->negated || a->select || b->select) return 0;
  switch (a->kind) {
  case EXPR_COLUMN:
    return a->bound && b->bound && a->bind_depth == b->bind_depth && a->bind_item == b->bind_item &&
           a->bind_col == b->bind_col;
  case EXPR_PARAM: return a->param_index == b->param_index;
  case EXPR_NULL: return 1;
  case EXPR_INTEGER:
  case EXPR_FLOAT:
  case EXPR_STRING:
  case EXPR_BLOB: return a->n == b->n && a->text && b->text && memcmp(a->text, b->text, (size_t)a->n) == 0;
  case EXPR_CAST:
  case EXPR_COLLATE:
    if (!a->text || !b->text || util_stricmp(a->text, b->text) != 0) return 0;
    return same_operand(a->left, b->left);
  case EXPR_UNARY: return same_operand(a->left, b->left);
  case EXPR_BINARY: return same_operand(a->left, b->left) && same_operand(a->right, b->right);
  default: return 0;
  }
}

/* The comparison e as "column op value" with the column on the left (op
** turned round when it is on the right); 0 when e is no <, <=, =, >= or >
** with a column on either side. */
static int column_comparison(const Expr *e, const Expr **col, const Expr **value, int *op) {
  if (e->kind != EXPR_BINARY || e->left->kind == EXPR_VECTOR || e->right->kind == EXPR_VECTOR) return 0;
  int o = e->op;
  if (o != TK_EQ && o != TK_LT && o != TK_LE && o != TK_GT && o != TK_GE) return 0;
  if (is_column_operand(e->left)) {
    *col = e->left;
    *value = e->right;
    *op = o;
    return 1;
  }
  if (!is_column_operand(e->right)) return 0;
  *col = e->right;
  *value = e->left;
  *op = o == TK_LT ? TK_GT : o == TK_LE ? TK_GE : o == TK_GT ? TK_LT : o == TK_GE ? TK_LE : o;
  return 1;
}

/* An OR of two parts, one of which holds "x > A" and the other "x = A"
** (ANDed with anything), implies "x >= A" (and "<" with "=" implies "<="):
** SQLite adds that term to the WHERE so that an index on x may seek it,
** the OR still tested on each row; so does this, as an implied term.  The
** keyset paging "x > :a OR (x = :a AND y > :b)" then seeks x >= :a. */
static void note_or_ranges(Arena *arena, TermList *terms) {
  for (int k = 0; k < terms->nors && terms->rc == LODE_OK; k++) {
    const OrParts *o = terms->ors[k];
    if (!o || o->n != 2 || terms->v[k].in_equiv) continue;
    for (int i = 0; i < o->nown[0]; i++) {
      for (int j = 0; j < o->nown[1]; j++) {
        const Expr *c1, *v1, *c2, *v2;
        int op1, op2;
        if (!column_comparison(o->parts[0].v[i].expr, &c1, &v1, &op1) ||
            !column_comparison(o->parts[1].v[j].expr, &c2, &v2, &op2))
          continue;
        int less = (op1 == TK_LT || op1 == TK_LE) || (op2 == TK_LT || op2 == TK_LE);
        int more = (op1 == TK_GT || op1 == TK_GE) || (op2 == TK_GT || op2 == TK_GE);
        /* A value read from another table of the query: SQLite's plans keep the OR's lookups (made no term). */
        if ((less && more) || !same_operand(c1, c2) || !same_operand(v1, v2) || expr_mask(v1)) continue;
        int op = op1 == op2 ? op1 : less ? TK_LE : TK_GE;
        Expr *e = arena_alloc(arena, sizeof *e);
        if (!e) {
          terms->rc = LODE_NOMEM;
          return;
        }
        *e = *o->parts[0].v[i].expr;
        e->op = op;
        e->left = (Expr *)c1;
        e->right = (Expr *)v1;
        add_term(terms, e, terms->v[k].on_item);
        if (terms->rc != LODE_OK) return;
        WhereTerm *t = &terms->v[terms->n - 1];
        t->implied = 1;
        t->floor_item = terms->v[k].floor_item;
        t->on_of = terms->v[k].on_of;
      }
    }
  }
}

/* Whether e may choose the rows of an automatic index of item, which is
** built once before the loops (what SQLite allows in a partial index's
** WHERE): it reads no column but item's (none of another item or of an
** enclosing query), no subquery and no value coded apart. */
static int reads_only_item(const Expr *e, int item) {
  if (!e) return 1;
  if (e->select || e->over || e->kind == EXPR_REGISTER || e->kind == EXPR_RAISE) return 0;
  if (e->kind == EXPR_COLUMN) return e->bound ? e->bind_depth == 0 && e->bind_item == item : e->quoted;
  if (!reads_only_item(e->left, item) || !reads_only_item(e->right, item) || !reads_only_item(e->escape, item))
    return 0;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (!reads_only_item(e->args->items[i], item)) return 0;
  return 1;
}

static int calls_function(const Expr *e) {
  if (!e) return 0;
  if (e->kind == EXPR_FUNCTION) return 1;
  if (calls_function(e->left) || calls_function(e->right) || calls_function(e->escape)) return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (calls_function(e->args->items[i])) return 1;
  return 0;
}

/* The terms that make level lv's automatic index PARTIAL, as SQLite 3.53
** finds them: every term that item may be narrowed by (an outer join's
** item: its own ON terms only) and that reads item alone or nothing at all
** (a constant, a bound parameter), with no subquery and no function that
** may answer otherwise from one call to the next; none when a RIGHT or FULL
** join follows the item, nor an ON term of an item that one follows.  Such
** a term keeps a row out of the index; it is still tested where it was. */
static int note_partial_terms(Arena *arena, const PlanItem *items, int n, const TermList *terms,
                              const PlanParams *params, WhereLevel *lv) {
  int item = lv->item, np = 0;
  uint64_t before_right = 0; /* the items a RIGHT or FULL join follows */
  for (int i = n - 1, right = 0; i >= 0; i--) {
    if (right && i < 64) before_right |= bit(i);
    right |= is_right(items[i].join_type);
  }
  if (item < 64 && (before_right & bit(item))) return LODE_OK;
  int *partial = arena_alloc(arena, sizeof(int) * (size_t)(terms->n + 1));
  if (!partial) return LODE_NOMEM;
  for (int k = 0; k < terms->n; k++) {
    const WhereTerm *t = &terms->v[k];
    if (!term_for(items, t, item) || (t->mask & ~bit(item)) || !reads_only_item(t->expr, item)) continue;
    if (t->on_of >= 0 && t->on_of < 64 && (before_right & bit(t->on_of))) continue;
    if (params && params->varies ? params->varies(params->varies_ctx, t->expr) : calls_function(t->expr)) continue;
    partial[np++] = k;
  }
  lv->partial = np ? partial : NULL;
  lv->npartial = np;
  return LODE_OK;
}

static void consume(TermList *terms, int k, int level) {
  if (k < 0) return;
  terms->v[k].consumed = 1;
  terms->v[k].level = level;
}

/* Fills level l (its item already set) from access path a, consuming the
** terms of a's list that the path decides exactly.  A multi-index OR's
** disjuncts become levels of their own (or_levels) from their term lists. */
static int level_from_access(Arena *arena, TermList *terms, const Access *a, int l, WhereLevel *lv) {
  lv->autoindex = a->autoindex;
  lv->kind = a->kind;
  lv->est_rows = a->rows;
  lv->est_cost = a->cost;
  lv->in_list = a->in_list;
  lv->in_col = a->in_col;
  lv->in_affinity = a->in_affinity;
  lv->in_coll = a->in_coll;
  if (a->kind == WLOOP_MULTI_OR) {
    const OrParts *o = terms->ors[a->or_term];
    lv->nor = a->nor;
    lv->or_levels = arena_alloc(arena, sizeof(WhereLevel) * (size_t)a->nor);
    if (!lv->or_levels) return LODE_NOMEM;
    int exact = 1;
    for (int j = 0; j < a->nor; j++) {
      WhereLevel *sub = &lv->or_levels[j];
      sub->item = lv->item;
      if (level_from_access(arena, &o->parts[j], &a->or_sub[j], l, sub) != LODE_OK) return LODE_NOMEM;
      for (int k = 0; k < o->parts[j].n; k++) exact &= o->parts[j].v[k].consumed;
      /* A comparison whose left column is not the item's is sought through its copy turned round. */
      const Expr *left = o->exprs[j]->left;
      while (left && left->kind == EXPR_COLLATE) left = left->left;
      int own = left && left->kind == EXPR_COLUMN && left->bound && left->bind_depth == 0 &&
                left->bind_item == lv->item;
      sub->or_number = (o->commuted[j] >= 0 && !own ? o->commuted[j] : j) + 1;
    }
    /* The lookups run in the order of their numbers (the order of the rows they find). */
    for (int j = 1; j < a->nor; j++) {
      WhereLevel x = lv->or_levels[j];
      int i = j;
      for (; i > 0 && lv->or_levels[i - 1].or_number > x.or_number; i--) lv->or_levels[i] = lv->or_levels[i - 1];
      lv->or_levels[i] = x;
    }
    /* When every disjunct's lookup decides its disjunct, a row found holds the OR term. */
    if (exact) consume(terms, a->or_term, l);
    return LODE_OK;
  }
  if (a->kind == WLOOP_ROWID_EQ && a->in_list && !terms->v[a->in_term].in_narrow) consume(terms, a->in_term, l);
  if (a->kind == WLOOP_ROWID_EQ && !a->in_list) {
    WhereTerm *t = &terms->v[a->rowid_term];
    lv->key = is_column_of(t->expr->left, lv->item, XN_ROWID) ? t->expr->right : t->expr->left;
    t->consumed = 1;
    t->level = l;
  } else if (a->kind == WLOOP_ROWID_RANGE || a->kind == WLOOP_INDEX) {
    /* The seek and its stop test decide exactly what the terms they come
    ** from would (keys with the comparison's affinity, the index in the
    ** comparison's collation, NULL keys matching nothing): those terms are
    ** not tested again.  A LIKE prefix only narrows; LIKE stays. */
    for (int j = a->nskip; j < a->neq; j++)
      if (!(a->in_list && j == a->in_col)) consume(terms, a->eq_term[j], l);
    if (a->in_list && !terms->v[a->in_term].in_narrow) consume(terms, a->in_term, l);
    int lo_term = a->lo.value ? a->lo.term : -1, hi_term = a->hi.value ? a->hi.term : -1;
    if (lo_term >= 0 && (terms->v[lo_term].expr->kind != EXPR_BETWEEN || hi_term == lo_term))
      consume(terms, lo_term, l);
    if (hi_term >= 0 && terms->v[hi_term].expr->kind != EXPR_BETWEEN) consume(terms, hi_term, l);
    lv->lo = a->lo;
    lv->hi = a->hi;
    lv->index = a->index;
    lv->neq = a->neq;
    lv->nskip = a->nskip;
    lv->covering = a->covering;
    if (a->neq) {
      lv->eq = arena_alloc(arena, sizeof(Expr *) * (size_t)a->neq);
      lv->eq_affinity = arena_alloc(arena, (size_t)a->neq);
      lv->eq_is = arena_alloc(arena, (size_t)a->neq);
      if (!lv->eq || !lv->eq_affinity || !lv->eq_is) return LODE_NOMEM;
      memcpy(lv->eq, a->eq, sizeof(Expr *) * (size_t)a->neq);
      memcpy(lv->eq_affinity, a->eq_affinity, (size_t)a->neq);
      memcpy(lv->eq_is, a->eq_is, (size_t)a->neq);
    }
  }
  return LODE_OK;
}

/* The items each item must follow: a table-valued function's arguments'
** (PlanItem.prereq); for an EXISTS table, the items its terms read (a term
** with a subquery: all but the EXISTS tables), whose rows it must see before
** its first match ends its loop, and, as SQLite 3.53 orders them, those the
** EXISTS tables before it read and, when FROM ends with a LEFT or CROSS join,
** the items before that join (with a RIGHT or FULL join, all the others); a
** virtual table, all the items but the EXISTS virtual tables. */
static void exists_prereq(const PlanItem *items, int n, const TermList *terms, uint64_t *prereq) {
  uint64_t plain = 0, tail = 0; /* tail: what the EXISTS tables so far must follow */
  int last = -1;
  for (int i = 0; i < n; i++) {
    prereq[i] = items[i].prereq;
    /* The right item of a LEFT or CROSS join after every item before it in
    ** FROM (as SQLite orders them); the inner joins around it go anywhere. */
    if (!items[i].exists && (items[i].join_type == JOIN_LEFT || items[i].join_type == JOIN_CROSS))
      prereq[i] |= plain;
    if (!items[i].exists) plain |= bit(i), last = i;
  }
  if (last > 0 && (items[last].join_type == JOIN_LEFT || items[last].join_type == JOIN_CROSS))
    tail = plain & (bit(last) - 1);
  for (int i = 0; i < n; i++) /* a RIGHT or FULL join: after all of them */
    if (is_right(items[i].join_type)) tail = plain;
  uint64_t tables = 0; /* all but the EXISTS virtual tables */
  for (int i = 0; i < n; i++)
    if (!items[i].exists || !items[i].is_vtab) tables |= bit(i);
  for (int i = 0; i < n; i++) {
    if (!items[i].exists) continue;
    for (int k = 0; k < terms->n; k++)
      if (terms->v[k].on_of == i) tail |= (terms->v[k].mask == ALL_ITEMS ? plain : terms->v[k].mask) & plain;
    prereq[i] |= tail | (items[i].is_vtab ? tables : 0);
  }
}

/* ---- constant propagation ---------------------------------------------------------- */

/* A literal or parameter (a number after a sign) that a column can be
** fixed to: "y = 7" makes y 7 wherever the other terms compare it. */
static int is_propagable_constant(const Expr *e) {
  if (e->kind == EXPR_UNARY && (e->op == TK_MINUS || e->op == TK_PLUS))
    return e->left->kind == EXPR_INTEGER || e->left->kind == EXPR_FLOAT;
  return e->kind == EXPR_INTEGER || e->kind == EXPR_FLOAT || e->kind == EXPR_STRING || e->kind == EXPR_BLOB ||
         e->kind == EXPR_PARAM;
}

/* Whether the text y holds after "y = c" (y of TEXT affinity) reads back as
** the number c is: an integer literal prints exactly, a string is y itself;
** a real's printed form may round, and a parameter may hold a real. */
static int text_round_trips(const Expr *c) {
  if (c->kind == EXPR_UNARY) c = c->left;
  return c->kind == EXPR_STRING || c->kind == EXPR_BLOB || (c->kind == EXPR_INTEGER && c->n <= 18);
}

/* Whether "x op y" and "x op c" give the same result on every row where
** "y = c" holds (c a literal or parameter, of no affinity, compared in
** BINARY).  y then holds c with y's affinity applied (a y of BLOB affinity
** or none may hold 7.0 for c = 7), and the comparison takes the affinity of
** x (ax) and y (ay): numeric when either is numeric; else, when both have
** one (BLOB counts), none; else the one there is.  "x op c" takes ax alone.
** So the rewrite keeps the result where both compare the same value in the
** same affinity:
**   ay TEXT:    ax TEXT; ax numeric where y's text reads back as the number
**               c (text_round_trips); ax BLOB where c is text or a blob;
**   ay numeric: ax numeric;
**   ay BLOB or none: ax anything but TEXT (a TEXT x would compare with the
**               text of c, "7", where y compares as it is, 7.0 or 7).
** SQLite keeps y's affinity on the constant (a column fixed to a value), so
** it also rewrites a few of the pairs refused here. */
static int propagation_keeps_affinity(char ax, char ay, const Expr *c) {
  const Expr *v = c->kind == EXPR_UNARY ? c->left : c;
  if (ay == AFF_TEXT) {
    if (ax == AFF_TEXT) return 1;
    if (is_numeric_affinity(ax)) return text_round_trips(c);
    return ax == AFF_NONE && (v->kind == EXPR_STRING || v->kind == EXPR_BLOB) && v == c;
  }
  if (is_numeric_affinity(ay)) return is_numeric_affinity(ax);
  return ax != AFF_TEXT;
}

/* A copy of constant c (a literal or parameter, after a sign). */
static Expr *copy_constant(Arena *arena, const Expr *c) {
  Expr *e = arena_alloc(arena, sizeof *e);
  if (!e) return NULL;
  *e = *c;
  if (c->kind == EXPR_UNARY && !(e->left = copy_constant(arena, c->left))) return NULL;
  return e;
}

/* Operand o with its column (under any COLLATE) replaced by a copy of c;
** NULL when out of memory. */
static Expr *operand_with_constant(Arena *arena, const Expr *o, const Expr *c) {
  if (o->kind != EXPR_COLLATE) return copy_constant(arena, c);
  Expr *e = arena_alloc(arena, sizeof *e);
  if (!e) return NULL;
  *e = *o;
  return (e->left = operand_with_constant(arena, o->left, c)) ? e : NULL;
}

typedef struct FixedColumn {
  int item, col; /* the column "y = c" fixes (col -1: the rowid) */
  const Expr *value;
  int term;      /* that term, which keeps testing it */
} FixedColumn;

static const FixedColumn *fixed_column(const FixedColumn *f, int nf, const Expr *o) {
  while (o->kind == EXPR_COLLATE) o = o->left;
  if (o->kind != EXPR_COLUMN || !o->bound || o->bind_depth != 0) return NULL;
  for (int i = 0; i < nf; i++)
    if (f[i].item == o->bind_item && f[i].col == o->bind_col) return &f[i];
  return NULL;
}

/* Whether term t takes part in constant propagation: a WHERE term, or one
** of an inner join's ON clause when no RIGHT or FULL join could give it rows
** of NULLs (as SQLite 3.53); never an outer join's ON term, whose item may
** still be a row of NULLs, nor an EXISTS subquery's WHERE made a join. */
static int propagation_term(const PlanItem *items, const WhereTerm *t, int right_join) {
  if (t->on_item >= 0 || t->slice) return 0;
  return t->on_of < 0 || (!right_join && !items[t->on_of].exists);
}

/* SQLite's constant propagation: where a top-level AND term "y = c" fixes
** column y to a constant c (a literal or parameter of no affinity, compared
** in BINARY), the other terms' comparisons of y ("x = y", "x > y", "x IS
** y") compare with c instead, so that "x = c" may seek an index on x or key
** an automatic index, and a join's other table is narrowed by the constant.
** The term is rewritten only where it then gives the same result for every
** row that passes "y = c" (its affinity and collation unchanged:
** propagation_keeps_affinity), and "y = c" itself stays, so no result
** changes.  The first of "y = 7 AND y = 8" (in SQLite's order: the last)
** fixes y; the other becomes "7 = 8". */
static void propagate_constants(Arena *arena, const PlanItem *items, int n, TermList *terms) {
  int right_join = 0, nf = 0;
  for (int i = 0; i < n; i++) right_join |= is_right(items[i].join_type);
  FixedColumn f[PLAN_MAX_KEY];
  for (int k = terms->n - 1; k >= 0 && nf < PLAN_MAX_KEY; k--) {
    const WhereTerm *t = &terms->v[k];
    const Expr *e = t->expr;
    if (!propagation_term(items, t, right_join) || e->kind != EXPR_BINARY || e->op != TK_EQ || t->truth >= 0)
      continue;
    for (int side = 0; side < 2 && nf < PLAN_MAX_KEY; side++) {
      const Expr *col = side ? e->left : e->right, *c = side ? e->right : e->left;
      while (c->kind == EXPR_COLLATE) c = c->left; /* "y = 'x' COLLATE BINARY": the collation is checked below */
      if (col->kind != EXPR_COLUMN || !col->bound || col->bind_depth != 0 || !is_propagable_constant(c)) continue;
      if (comparison_collation(items, e->left, e->right) != COLL_BINARY || fixed_column(f, nf, col)) continue;
      f[nf++] = (FixedColumn){col->bind_item, col->bind_col, c, k};
    }
  }
  for (int k = 0; k < terms->n && nf; k++) {
    WhereTerm *t = &terms->v[k];
    if (!propagation_term(items, t, right_join)) continue;
    for (int side = 0; side < 2; side++) {
      const Expr *e = t->expr;
      int cmp = (e->kind == EXPR_BINARY && (e->op == TK_EQ || e->op == TK_NE || e->op == TK_LT || e->op == TK_LE ||
                                            e->op == TK_GT || e->op == TK_GE)) ||
                (e->kind == EXPR_IS && !is_truth_test(e));
      if (!cmp || e->left->kind == EXPR_VECTOR || e->right->kind == EXPR_VECTOR) break;
      const Expr *o = side ? e->right : e->left, *x = side ? e->left : e->right;
      const FixedColumn *fc = fixed_column(f, nf, o);
      if (!fc || fc->term == k) continue;
      const Expr *col = o;
      while (col->kind == EXPR_COLLATE) col = col->left;
      char ay = (char)operand_affinity(items, col), ax = (char)operand_affinity(items, x);
      if (!propagation_keeps_affinity(ax, ay, fc->value)) continue;
      Expr *r = arena_alloc(arena, sizeof *r), *v = operand_with_constant(arena, o, fc->value);
      if (!r || !v) return; /* out of memory: the term stays as written */
      *r = *e;
      if (side) r->right = v;
      else r->left = v;
      if (comparison_collation(items, r->left, r->right) != comparison_collation(items, e->left, e->right)) continue;
      if (!t->written) t->written = t->expr;
      t->expr = r;
      t->mask = expr_mask(r);
    }
  }
}

void plan_clear(WherePlan *plan, int n) {
  /* The levels array is sized for the largest join; clearing all of it
  ** showed in the profile of every prepare. */
  memset(plan, 0, offsetof(WherePlan, levels));
  memset(&plan->nterm, 0, sizeof *plan - offsetof(WherePlan, nterm));
  if (n > PLAN_MAX_ITEMS) n = PLAN_MAX_ITEMS;
  if (n > 0) memset(plan->levels, 0, sizeof(WhereLevel) * (size_t)n);
}

static int level_is_one_row(const WhereLevel *lv);

/* A LEFT JOIN's item that nothing reads but its own ON clause, whose level
** finds one row at most (a rowid, or a UNIQUE index's whole key), neither
** adds rows nor drops any: its level is left out, its ON terms with it, as
** SQLite leaves it out; from the innermost level out, as SQLite looks.
** level_of[] and *last_plain follow the levels that stay. */
static void omit_noop_joins(const PlanItem *items, TermList *terms, WherePlan *out, int *level_of, int *last_plain) {
  uint64_t omitted = 0; /* the ON terms of these are never tested, so read nothing */
  for (int l = out->nlevel - 1; l >= 1; l--) {
    const WhereLevel *lv = &out->levels[l];
    int item = lv->item;
    const PlanItem *it = &items[item];
    if (it->join_type != JOIN_LEFT || !it->unread_outside || it->exists || !level_is_one_row(lv)) continue;
    int read = 0;
    for (int k = 0; k < terms->n && !read; k++) {
      const WhereTerm *t = &terms->v[k];
      read = (t->mask & bit(item)) && t->on_item != item && !(t->on_item >= 0 && (omitted & bit(t->on_item)));
    }
    if (read) continue;
    omitted |= bit(item);
    for (int k = 0; k < terms->n; k++) {
      WhereTerm *t = &terms->v[k];
      if (t->on_item == item) { /* never tested: no row of the item is read */
        t->consumed = 1;
        t->level = 0;
      } else if (t->consumed && t->level > l) {
        t->level--;
      }
    }
    memmove(&out->levels[l], &out->levels[l + 1], sizeof out->levels[0] * (size_t)(out->nlevel - l - 1));
    out->nlevel--;
    level_of[item] = -1;
    for (int i = l; i < out->nlevel; i++) level_of[out->levels[i].item] = i;
  }
  *last_plain = 0;
  for (int i = 0; i < out->nlevel; i++)
    if (!items[out->levels[i].item].exists) *last_plain = i;
}

static int note_usable_partial(Arena *arena, const PlanItem *items, int n, const TermList *terms, WherePlan *out);

int plan_where(Arena *arena, const PlanItem *items, int n, const Expr *where, int opts, PlanParams *params,
               WherePlan *out) {
  plan_clear(out, n);
  if (n > PLAN_MAX_ITEMS) return LODE_ERROR;
  TermList terms;
  memset(&terms, 0, sizeof terms);
  terms.arena = arena;
  terms.params = params;
  terms.rc = LODE_OK;
  add_term(&terms, where, -1);
  int nwhere = terms.n, last_right = 0;
  for (int i = 0; i < n; i++) {
    int first = terms.n;
    add_term(&terms, items[i].on, is_outer(items[i].join_type) ? i : -1);
    for (int k = first; k < terms.n; k++) {
      terms.v[k].floor_item = last_right; /* the join before it */
      terms.v[k].on_of = i;
    }
    if (is_right(items[i].join_type)) last_right = i;
  }
  for (int k = 0; k < nwhere; k++) {
    terms.v[k].floor_item = last_right;
    terms.v[k].on_of = -1;
  }
  if (terms.rc != LODE_OK) return terms.rc;
  propagate_constants(arena, items, n, &terms);
  note_or_as_in(arena, items, &terms);
  note_row_in(arena, &terms);
  note_like_prefixes(arena, &terms, opts);
  note_or_parts(arena, &terms, opts);
  note_or_ranges(arena, &terms);
  note_key_ranks(&terms);
  /* INDEXED BY a partial index the WHERE does not imply: no plan may read
  ** it (its rows are not all the table's), and no other may stand in. */
  for (int i = 0; i < n; i++) {
    const Index *ix = items[i].indexed_by;
    if (ix && ix->where && !partial_usable(items, i, &terms, ix))
      return LODE_ERROR;
  }
  int order[PLAN_MAX_ITEMS], level_of[PLAN_MAX_ITEMS], nrow = 0;
  char loop[PLAN_EXHAUSTIVE];
  uint64_t prereq[PLAN_MAX_ITEMS];
  exists_prereq(items, n, &terms, prereq);
  int by_class = choose_order(items, n, &terms, prereq, order, loop);
  if (by_class < 0) return LODE_ERROR;
  uint64_t placed = 0;
  double outer = 1;
  int last_plain = n - 1; /* the innermost level of an item that is no EXISTS table */
  for (int l = 0; l < n; l++) {
    WhereLevel *lv = &out->levels[l];
    lv->item = order[l];
    level_of[order[l]] = l;
    Access a;
    ClassLoop loops[4];
    if (by_class && class_loops(items, lv->item, &terms, placed, nrow, loops) > loop[l]) {
      a = loops[(int)loop[l]].a;
      nrow += loops[(int)loop[l]].out;
    } else {
      best_access(items, lv->item, &terms, placed, outer, &a);
    }
    double rows = a.rows * hinted_share(items, lv->item, &terms, placed, &a);
    outer *= semi_join_rows(&items[lv->item], rows > 1 ? rows : 1);
    if (a.autoindex && !(a.index = make_autoindex(arena, &items[lv->item], &a))) return LODE_NOMEM;
    if (level_from_access(arena, &terms, &a, l, lv) != LODE_OK) return LODE_NOMEM;
    if (a.autoindex && note_partial_terms(arena, items, n, &terms, params, lv) != LODE_OK) return LODE_NOMEM;
    lv->est_rows = semi_join_rows(&items[lv->item], lv->est_rows);
    if (!items[lv->item].exists) last_plain = l;
    placed |= bit(lv->item);
  }
  out->nlevel = n;
  omit_noop_joins(items, &terms, out, level_of, &last_plain);
  /* Each term at the outermost level where all it reads is positioned.  A
  ** floor is a RIGHT join's item (FROM order kept then); 0 is none: item 0
  ** need not come first (a table-valued function placed after the items its
  ** arguments read), and the terms that do not read it need not wait for it. */
  for (int k = 0; k < terms.n; k++) {
    WhereTerm *t = &terms.v[k];
    if (t->implied) t->consumed = 1; /* its OR term is tested */
    if (t->consumed) continue;
    int level = t->on_item >= 0 ? level_of[t->on_item] : t->floor_item > 0 ? level_of[t->floor_item] : 0;
    /* A term with a subquery (it may read any item): last; with a RIGHT join (FROM order kept) an
    ** ON term at its item's level, for the rows of NULLs a later RIGHT join adds must not see it. */
    if (t->mask == ALL_ITEMS && t->on_of >= 0 && last_right > 0)
      level = level_of[t->on_of] > level ? level_of[t->on_of] : level;
    /* An EXISTS table's term at its level (its WHERE cannot see the later
    ** items); a WHERE term cannot see the EXISTS tables. */
    else if (t->mask == ALL_ITEMS && t->on_of >= 0 && items[t->on_of].exists) level = level_of[t->on_of];
    else if (t->mask == ALL_ITEMS) level = last_plain > 0 ? last_plain : 0;
    else
      for (int i = 0; i < n; i++)
        if ((t->mask & bit(i)) && level_of[i] > level) level = level_of[i];
    t->level = level;
  }
  out->nterm = terms.n;
  out->terms = terms.v;
  return note_usable_partial(arena, items, n, &terms, out);
}

/* WherePlan.partial_ok for the items of a plan. */
static int note_usable_partial(Arena *arena, const PlanItem *items, int n, const TermList *terms, WherePlan *out) {
  uint64_t *ok = NULL;
  for (int i = 0; i < n; i++) {
    if (items[i].is_subquery || !items[i].table) continue;
    int k = 0;
    for (const Index *ix = items[i].table->indexes; ix && k < 64; ix = ix->next, k++) {
      if (!ix->where || !partial_usable(items, i, terms, ix)) continue;
      if (!ok) {
        if (!(ok = arena_alloc(arena, sizeof(uint64_t) * (size_t)n))) return LODE_NOMEM;
        memset(ok, 0, sizeof(uint64_t) * (size_t)n);
      }
      ok[i] |= (uint64_t)1 << k;
    }
  }
  out->partial_ok = ok;
  return LODE_OK;
}

/* Whether a full walk of ix, an index of item's table, meets every row the
** item may yield: not a partial index, or one whose condition the WHERE
** implies. */
static int walk_usable(const PlanItem *items, const WherePlan *wp, int item, const Index *ix) {
  if (!ix->where) return 1;
  if (!wp->partial_ok) return 0;
  int k = 0;
  for (const Index *x = items[item].table->indexes; x && x != ix; x = x->next) k++;
  return k < 64 && (wp->partial_ok[item] >> k & 1);
}

/* ---- ORDER BY by the order of the outermost loop ---------------------------------- */

static const Expr *strip_collate(const Expr *e) {
  while (e && e->kind == EXPR_COLLATE) e = e->left;
  return e;
}

static int skip_order_matches(const PlanItem *items, int item, const Index *ix, int nskip, int neq, int in_col,
                              const int *cids, const PlanOrder *order, int norder, int *reverse);

/* Whether ix, an index of item's table, with its first neq columns fixed,
** visits rows in the order of the terms (columns cids[], XN_EXPR for an
** expression of the item's columns, order[].expr): terms on fixed columns
** are constant and skip; the others must follow the index's next columns
** (an expression the same as the index's), all in its direction or all
** against it (*reverse). */
static int index_order_matches(const PlanItem *items, int item, const Index *ix, int neq, int in_col, const int *cids,
                               const PlanOrder *order, int norder, int *reverse) {
  return skip_order_matches(items, item, ix, 0, neq, in_col, cids, order, norder, reverse);
}

/* The same for a skip-scan of ix: its first nskip columns take each of their
** values in the index's order, the next ones up to neq are fixed. */
static int skip_order_matches(const PlanItem *items, int item, const Index *ix, int nskip, int neq, int in_col,
                              const int *cids, const PlanOrder *order, int norder, int *reverse) {
  int rel = -1, k = nskip ? 0 : neq;
  /* Columns an IN list feeds take several values, one after the other: the
  ** columns after them are only ordered within each value. */
  if (in_col >= 0) {
    if (ix->cols[in_col].desc) return 0; /* the values come ascending */
    k = in_col;
    neq = in_col;
  }
  for (int i = 0; i < norder; i++) {
    int fixed = 0;
    for (int j = nskip; j < neq && cids[i] != XN_EXPR; j++)
      fixed |= ix_cid(ix, j) == cids[i] && ix->cols[j].coll == order[i].coll;
    if (fixed) continue;
    if (nskip && k == nskip) k = neq;
    if (k >= ix->ncols || ix_cid(ix, k) != cids[i]) return 0;
    if (cids[i] == XN_EXPR && !same_expr(items, item, strip_collate(order[i].expr), ix->cols[k].expr)) return 0;
    /* Past the key too: a WITHOUT ROWID table's PRIMARY KEY columns keep
    ** their collation and direction there (the rowid is ascending). */
    if (ix->cols[k].coll != order[i].coll && cids[i] != XN_ROWID) return 0;
    if (order[i].any_dir) {
      k++;
      continue;
    }
    int r = order[i].desc != ix->cols[k].desc;
    if (rel >= 0 && r != rel) return 0;
    rel = r;
    k++;
  }
  *reverse = rel > 0;
  return 1;
}

/* Whether WHERE holds the column of item equal to a constant under the
** collation coll: then it is the same in every row and needs no sorting
** (SQLite drops such ORDER BY terms; values equal under the comparison's
** affinity, like 1 and '1.0', keep the order the loop gives them). */
static int column_is_constant(const PlanItem *items, const WherePlan *wp, int item, int cid, int coll) {
  for (int k = 0; k < wp->nterm; k++) {
    const WhereTerm *t = &wp->terms[k];
    const Expr *e = t->expr;
    if (t->on_item >= 0) continue;
    if (e->kind == EXPR_ISNULL && is_column_of(e->left, item, cid)) return 1;
    if (!((e->kind == EXPR_BINARY && e->op == TK_EQ) || is_equal_is(e))) continue;
    const Expr *other = is_column_of(e->left, item, cid) ? e->right : is_column_of(e->right, item, cid) ? e->left : NULL;
    if (!other || expr_mask(other) != 0) continue;
    /* x IS a column of an enclosing query: not taken as a constant */
    if (e->kind == EXPR_IS && other->kind == EXPR_COLUMN) continue;
    if (comparison_collation(items, e->left, e->right) == coll) return 1;
  }
  return 0;
}

/* At most one row per outer row: a rowid lookup, or a UNIQUE index with
** every column fixed (not by IS or IS NULL: NULLs repeat). */
static int level_is_one_row(const WhereLevel *lv) {
  if (lv->in_list || lv->lo.value || lv->hi.value) return 0;
  if (lv->kind == WLOOP_ROWID_EQ) return 1;
  if (lv->kind != WLOOP_INDEX || !lv->index->unique || lv->neq != lv->index->nkey || lv->nskip) return 0;
  for (int j = 0; j < lv->neq; j++) {
    /* IS (or IS NULL) finds all the NULL entries, of which a UNIQUE index
    ** may hold many, unless the column holds none */
    int cid = lv->index->cols[j].cid;
    if ((!lv->eq[j] || lv->eq_is[j]) && !(cid >= 0 && lv->index->table->cols[cid].not_null)) return 0;
  }
  return 1;
}

int plan_level_one_row(const WhereLevel *lv) { return lv->kind == WLOOP_INDEX && level_is_one_row(lv); }

/* Whether the level, as planned, visits rows forward in the order of the
** terms (which end with the rowid, so the rows are distinct on them). */
/* Whether lv's IN list may give its values in descending order (for a walk
** backwards): a list of values, which codegen sorts either way. */
static int in_list_reversible(const WhereLevel *lv) { return lv->in_list && lv->in_list->kind == EXPR_IN_LIST; }

/* Whether index level lv's seek gives its rows in the order of the terms
** (*reverse: walked backwards); a skip-scan only forwards and without an IN
** list, which runs it again for each value. */
static int level_index_order(const PlanItem *items, const WhereLevel *lv, const int *cids, const PlanOrder *order,
                             int norder, int *reverse) {
  if (lv->nskip && lv->in_list) return 0;
  if (!skip_order_matches(items, lv->item, lv->index, lv->nskip, lv->neq, lv->in_list ? lv->in_col : -1, cids, order,
                          norder, reverse))
    return 0;
  return !lv->nskip || !*reverse;
}

/* Whether level lv's path gives its rows in the order of the terms
** cids[]: walked as it is (*reverse 0), or backwards (*reverse 1: a scan,
** a rowid range or an index seek without IN list or skip-scan, which
** codegen walks from the end). */
static int level_orders(const PlanItem *items, const WhereLevel *lv, const int *cids, const PlanOrder *order,
                        int norder, int *reverse) {
  int r = 0;
  switch (lv->kind) {
  case WLOOP_SCAN:
  case WLOOP_ROWID_RANGE:
    if (norder != 1 || cids[0] != XN_ROWID) return 0;
    r = order[0].desc && !order[0].any_dir;
    break;
  case WLOOP_INDEX:
    if (!level_index_order(items, lv, cids, order, norder, &r)) return 0;
    if (r && (lv->autoindex || (lv->in_list && !in_list_reversible(lv)))) return 0;
    break;
  default: return 0;
  }
  *reverse = r;
  return 1;
}

static void order_by_level(const PlanItem *items, const PlanOrder *order, const int *cids, int norder, WherePlan *out,
                           int level, int outermost);

/* The first fields of a path that replaces the level's (in *fresh), the terms the old path consumed freed. */
static void new_path(WherePlan *out, int level, int kind, const Index *ix, int covers, int reverse, double rows,
                     double cost, WhereLevel *fresh) {
  for (int k = 0; k < out->nterm; k++)
    if (out->terms[k].consumed && out->terms[k].level == level) out->terms[k].consumed = 0;
  memset(fresh, 0, sizeof *fresh);
  fresh->item = out->levels[level].item;
  fresh->est_rows = rows;
  fresh->est_cost = cost;
  fresh->kind = kind;
  fresh->index = ix;
  fresh->covering = covers;
  fresh->reverse = reverse;
}

/* Replaces the level's path by a full scan of ix (NULL: of the table), in
** the direction reverse says.  The replaced path's seek tested some terms:
** the scan tests them again. */
static void ordered_scan(const PlanItem *items, WherePlan *out, int level, const Index *ix, int covers, int reverse,
                         double rows, double cost) {
  WhereLevel *lv = &out->levels[level], fresh;
  new_path(out, level, ix ? WLOOP_INDEX : WLOOP_SCAN, ix, covers, reverse, rows, cost, &fresh);
  /* "x IS NOT NULL" on the index's first column: the scan starts after
  ** the NULLs (ends before them walked backwards), as SQLite's does. */
  TermList tl = {.v = out->terms, .n = out->nterm};
  int k = ix ? not_null_term(items, &tl, fresh.item, ix->cols[0].cid) : -1;
  if (k >= 0) {
    fresh.lo = past_null_bound(k);
    out->terms[k].consumed = 1;
    out->terms[k].level = level;
  }
  *lv = fresh;
}

/* Puts a walk of the range [lo, hi] (of the rowid, or of ix's first column) in place of the level's path:
** the terms its old path consumed are free again, and the walk consumes the bounds it decides. */
static void walk_range(WherePlan *out, int level, TermList *tl, int kind, const Index *ix, int covers, int reverse,
                       double rows, double cost, const WhereBound *lo, const WhereBound *hi) {
  WhereLevel *lv = &out->levels[level], fresh;
  new_path(out, level, kind, ix, covers, reverse, rows, cost, &fresh);
  fresh.lo = *lo;
  fresh.hi = *hi;
  int lo_term = lo->value ? lo->term : -1, hi_term = hi->value ? hi->term : -1;
  if (lo_term >= 0 && (out->terms[lo_term].expr->kind != EXPR_BETWEEN || hi_term == lo_term))
    consume(tl, lo_term, level);
  if (hi_term >= 0 && out->terms[hi_term].expr->kind != EXPR_BETWEEN) consume(tl, hi_term, level);
  *lv = fresh;
}

/* Replaces the level's path by a walk of the rowid range WHERE bounds (forwards, or
** backwards when reverse), when the terms bound the rowid at all: *cost is then what
** the walk costs, and 1 is returned.  The replaced path's seek tested some terms: the
** walk tests those its bounds do not decide. */
static int ordered_rowid_range(const PlanItem *items, WherePlan *out, int level, int reverse, double *cost,
                               int replace) {
  WhereLevel *lv = &out->levels[level];
  const PlanItem *it = &items[lv->item];
  uint64_t placed = 0;
  for (int i = 0; i < level; i++) placed |= bit(out->levels[i].item);
  TermList tl = {.v = out->terms, .n = out->nterm};
  IndexColumn rowid_col;
  memset(&rowid_col, 0, sizeof rowid_col);
  rowid_col.cid = XN_ROWID;
  WhereBound lo, hi;
  find_range(items, &tl, lv->item, &rowid_col, 1, placed, &lo, &hi);
  if (!lo.value && !hi.value) return 0;
  double rows = range_rows(table_rows(it), &lo, &hi);
  *cost = seek_cost(table_rows(it)) + rows;
  if (replace) walk_range(out, level, &tl, WLOOP_ROWID_RANGE, NULL, 0, reverse, rows, *cost, &lo, &hi);
  return 1;
}

/* Replaces the level's path by a walk of the range WHERE bounds on ix's first column (in the direction
** reverse says), when the terms bound it: *cost is then what the walk costs, and 1 is returned.  The
** replaced path's seek tested some terms: the walk tests those its bounds do not decide. */
static int ordered_index_range(const PlanItem *items, WherePlan *out, int level, const Index *ix, int covers,
                               int reverse, double *cost, int replace) {
  WhereLevel *lv = &out->levels[level];
  const PlanItem *it = &items[lv->item];
  if (ix_cid(ix, 0) == XN_EXPR) return 0;
  uint64_t placed = 0;
  for (int i = 0; i < level; i++) placed |= bit(out->levels[i].item);
  TermList tl = {.v = out->terms, .n = out->nterm};
  IndexColumn col;
  WhereBound lo, hi;
  find_range(items, &tl, lv->item, ix_cols(ix, 0, 1, &col), 1, placed, &lo, &hi);
  if (!lo.value && !hi.value) return 0;
  double rows = range_rows(table_rows(it), &lo, &hi);
  *cost = seek_cost(table_rows(it)) + rows * (covers ? 1 : 1 + PLAN_LOOKUP_COST);
  if (replace) walk_range(out, level, &tl, WLOOP_INDEX, ix, covers, reverse, rows, *cost, &lo, &hi);
  return 1;
}

/* How many of the first ORDER BY terms (fewer than all) the level's path
** delivers in order, setting its direction for them; 0 if none. */
static int path_order_prefix(const PlanItem *items, WhereLevel *lv, const int *cids, const PlanOrder *order,
                             int norder) {
  if (lv->kind != WLOOP_INDEX) return 0;
  for (int n = norder - 1; n > 0; n--) {
    int r = 0;
    if (level_index_order(items, lv, cids, order, n, &r) &&
        (!r || !lv->in_list)) {
      lv->reverse = r;
      return n;
    }
  }
  return 0;
}

/* No index gives the whole ORDER BY: the level keeps its path and the
** first terms it delivers (have), or a full scan of an index in the order
** of more first terms replaces it when that and the sort of each run of
** equal rows (PLAN_EQ_ROWS of them, as an equality leaves) cost less than
** the path and a sort of all its rows (with_sort). */
static void partial_order_scan(const PlanItem *items, const PlanOrder *order, const int *cids, int norder,
                               WherePlan *out, int level, double with_sort, int have) {
  WhereLevel *lv = &out->levels[level];
  const PlanItem *it = &items[lv->item];
  const Index *best = NULL;
  int best_n = 0, best_reverse = 0, best_covers = 0;
  out->order_prefix = have;
  if (it->not_indexed || (lv->kind != WLOOP_SCAN && have > 0)) return;
  for (const Index *ix = it->table->indexes; ix; ix = ix->next) {
    if (!walk_usable(items, out, lv->item, ix) || (it->indexed_by && ix != it->indexed_by)) continue;
    for (int n = norder - 1; n > best_n || (n == best_n && n > 0 && !best_covers); n--) {
      int r = 0;
      if (!index_order_matches(items, lv->item, ix, 0, -1, cids, order, n, &r)) continue;
      int covers = index_covers(it, ix);
      if (n > best_n || (covers && !best_covers)) {
        best = ix;
        best_n = n;
        best_reverse = r;
        best_covers = covers;
      }
      break;
    }
  }
  if (!best || best_n <= have) return;
  double n = table_rows(it);
  double cost = n * (best_covers ? PLAN_COVER_SCAN : 1 + PLAN_LOOKUP_COST) + n * log2(PLAN_EQ_ROWS) * PLAN_SORT_COMPARE;
  if (cost >= with_sort) return;
  ordered_scan(items, out, level, best, best_covers, best_reverse, n, cost);
  out->order_prefix = best_n;
}

/* Level f, which delivers the ORDER BY, after only EXISTS tables' levels
** (which read nothing of it) that look their rows up: it goes first, so that
** the rows come in its order (as SQLite, which counts a sort against the
** order that needs one, chooses). */
static int leading_lookups(const WherePlan *out, int f) {
  for (int i = 0; i < f; i++) {
    const WhereLevel *lv = &out->levels[i];
    if (lv->kind == WLOOP_SCAN || (lv->kind == WLOOP_INDEX && !lv->neq && !lv->lo.value && !lv->hi.value))
      return 0; /* a full scan for each of its rows would cost more than the sort */
  }
  return 1;
}

static void ordered_level_first(WherePlan *out, int f) {
  WhereLevel lv = out->levels[f];
  memmove(&out->levels[1], &out->levels[0], sizeof(WhereLevel) * (size_t)f);
  out->levels[0] = lv;
  for (int k = 0; k < out->nterm; k++) {
    WhereTerm *t = &out->terms[k];
    t->level = t->level == f ? 0 : t->level < f ? t->level + 1 : t->level;
  }
}

/* The ORDER BY terms, level by level: the terms of the outermost level's
** item first; a level that yields one row (or rows distinct on its terms,
** in their order) hands the rest on to the next level. */
/* The ORDER BY terms from start on that level lv's item gives, into cids[]
** (XN_EXPR: an expression of its columns), order[] and ends[] (the index
** past each in order_in), *norder of them: the index of the first term of
** another item (norder_in: none), or -1 when no loop can give the order. */
static int level_order_terms(const PlanItem *items, const WherePlan *out, const WhereLevel *lv,
                             const PlanOrder *order_in, int norder_in, int start, int *cids, int *ends,
                             PlanOrder *order, int *norder) {
  int j = start, rowid_seen = 0;
  *norder = 0;
  for (; j < norder_in; j++) {
    const Expr *e = order_in[j].expr;
    while (e->kind == EXPR_COLLATE) e = e->left;
    /* After the item's rowid, which no two of its rows share, terms that
    ** read nothing else cannot change the order: SQLite never evaluates them. */
    if (rowid_seen && (expr_mask(e) & ~bit(lv->item)) == 0) continue;
    int cid;
    if (e->kind == EXPR_COLUMN && e->bound && e->bind_depth == 0) {
      if (e->bind_item != lv->item) break;
      cid = e->bind_col < 0 ? XN_ROWID : e->bind_col;
    } else {
      /* An expression of one item's columns, which an index on the same
      ** expression may deliver in order (index_order_matches). */
      uint64_t m = expr_mask(e);
      if (m == 0 || (m & (m - 1)) != 0 || e->select) return -1;
      if (m != bit(lv->item)) break;
      cid = XN_EXPR;
    }
    if (cid == XN_ROWID) rowid_seen = 1;
    if (column_is_constant(items, out, lv->item, cid, order_in[j].coll)) continue;
    /* NULLS FIRST/LAST against the index's order */
    if (order_in[j].nulls_last != order_in[j].desc && !order_in[j].any_dir) return -1;
    cids[*norder] = cid;
    ends[*norder] = j + 1;
    order[(*norder)++] = order_in[j];
  }
  return j;
}

/* Whether no two rows of item share their values of the terms cids[]: the
** rowid is one of them, or every column of a UNIQUE index is (in the
** index's collation) or is fixed by WHERE, and holds no NULL (NULLs repeat
** in a UNIQUE index).  Then the levels inside may order the rows of each. */
static int rows_distinct(const PlanItem *items, const WherePlan *out, int item, const int *cids,
                         const PlanOrder *order, int norder) {
  for (int i = 0; i < norder; i++)
    if (cids[i] == XN_ROWID) return 1;
  const Table *t = items[item].table;
  for (const Index *ix = t->indexes; ix; ix = ix->next) {
    if (!ix->unique || ix->where) continue;
    int ok = 1;
    for (int j = 0; j < ix->nkey && ok; j++) {
      int cid = ix_cid(ix, j), coll = ix->cols[j].coll, fixed = 0, named = 0;
      if (cid == XN_EXPR) {
        ok = 0;
        break;
      }
      fixed = column_is_constant(items, out, item, cid, coll);
      for (int i = 0; i < norder && !named; i++) named = cids[i] == cid && order[i].coll == coll;
      ok = (fixed || named) && (fixed || cid == XN_ROWID || t->cols[cid].not_null);
    }
    if (ok) return 1;
  }
  return 0;
}

/* Whether level walks its whole table or a whole index (no seek). */
static int walks_all(const WhereLevel *lv) {
  if (lv->kind == WLOOP_SCAN) return 1;
  return lv->kind == WLOOP_INDEX && !lv->autoindex && lv->neq == 0 && !lv->in_list && !lv->lo.value && !lv->hi.value;
}

/* Whether the levels from level on, as they are, give the ORDER BY terms
** from start on (the loop of plan_order_by, changing nothing). */
static int rest_ordered(const PlanItem *items, const PlanOrder *order_in, int norder_in, const WherePlan *out,
                        int level, int start) {
  for (; level < out->nlevel; level++) {
    const WhereLevel *lv = &out->levels[level];
    if (items[lv->item].exists || items[lv->item].is_subquery || lv->autoindex) return 0;
    int cids[PLAN_MAX_KEY], ends[PLAN_MAX_KEY], norder;
    PlanOrder order[PLAN_MAX_KEY];
    int j = level_order_terms(items, out, lv, order_in, norder_in, start, cids, ends, order, &norder);
    if (j < 0) return 0;
    int rev, one = level_is_one_row(lv), given = norder == 0 || level_orders(items, lv, cids, order, norder, &rev);
    if (j == norder_in) return one || given;
    if (!one && !(given && norder > 0 && rows_distinct(items, out, lv->item, cids, order, norder))) return 0;
    start = j;
  }
  return 0;
}

static void ordered_scan(const PlanItem *items, WherePlan *out, int level, const Index *ix, int covers, int reverse,
                         double rows, double cost);

/* The index of item whose full walk gives the order of the terms cids[] (a
** covering one first), its direction into *reverse and whether it covers
** into *covers; NULL when none does. */
static const Index *ordering_index(const PlanItem *items, const WherePlan *wp, int item, const int *cids,
                                   const PlanOrder *order, int norder, int *reverse, int *covers) {
  const PlanItem *it = &items[item];
  const Index *best = NULL;
  *reverse = *covers = 0;
  if (it->not_indexed) return NULL;
  for (const Index *ix = it->table->indexes; ix; ix = ix->next) {
    int r;
    if (!walk_usable(items, wp, item, ix) || (it->indexed_by && ix != it->indexed_by)) continue;
    if (!index_order_matches(items, item, ix, 0, -1, cids, order, norder, &r)) continue;
    int c = index_covers(it, ix);
    if (!best || (c && !*covers)) {
      best = ix;
      *reverse = r;
      *covers = c;
    }
  }
  return best;
}

/* Replaces the scan of level by a walk of the table or of an index in the
** order of the terms cids[], when one gives it; 0 when none does. */
static int scan_in_order(const PlanItem *items, WherePlan *out, int level, const int *cids, const PlanOrder *order,
                         int *reverse, int norder) {
  const PlanItem *it = &items[out->levels[level].item];
  double rows = table_rows(it);
  if (norder == 1 && cids[0] == XN_ROWID) {
    *reverse = order[0].desc && !order[0].any_dir;
    ordered_scan(items, out, level, NULL, 0, *reverse, rows, rows);
    return 1;
  }
  int best_reverse, best_covers;
  const Index *best =
      ordering_index(items, out, out->levels[level].item, cids, order, norder, &best_reverse, &best_covers);
  if (!best) return 0;
  *reverse = best_reverse;
  ordered_scan(items, out, level, best, best_covers, best_reverse, rows,
               rows * (best_covers ? PLAN_COVER_SCAN : 1 + PLAN_LOOKUP_COST));
  return 1;
}

/* Whether ix's columns from col on, as many as the terms of order[] that
** WHERE does not fix, are those terms' columns in some order (in their
** collations); then out[] is order[] in the index's order, the fixed terms
** first. */
static int index_permutation(const PlanItem *items, const WherePlan *wp, int item, const Index *ix, int col,
                             const PlanOrder *order, const int *cids, int norder, PlanOrder *out) {
  int n = 0, used[PLAN_MAX_KEY] = {0};
  for (int i = 0; i < norder; i++)
    if (column_is_constant(items, wp, item, cids[i], order[i].coll)) {
      out[n++] = order[i];
      used[i] = 1;
    }
  for (int k = col; n < norder; k++) {
    if (k >= ix->ncols) return 0;
    int found = -1;
    for (int i = 0; i < norder && found < 0; i++)
      if (!used[i] && cids[i] == ix_cid(ix, k) && (cids[i] == XN_ROWID || order[i].coll == ix->cols[k].coll))
        found = i;
    if (found < 0) return 0;
    used[found] = 1;
    out[n++] = order[found];
  }
  return 1;
}

/* GROUP BY or DISTINCT alone (every term either direction) may come in its
** terms' columns in any order, as SQLite matches them: when they are all
** columns of the first level's item, the order of the index that level
** seeks, or of one its scan could walk, whose next columns they are, into
** out[]; 0 when none fits. */
static int any_order_terms(const PlanItem *items, const WherePlan *wp, const PlanOrder *order, int norder,
                           PlanOrder *out) {
  int cids[PLAN_MAX_KEY], first = 0;
  while (first < wp->nlevel && items[wp->levels[first].item].exists) first++;
  if (first == wp->nlevel || norder < 2) return 0;
  const WhereLevel *lv = &wp->levels[first];
  const PlanItem *it = &items[lv->item];
  if (it->is_subquery || lv->autoindex || lv->in_list || lv->nskip) return 0;
  for (int i = 0; i < norder; i++) {
    const Expr *e = order[i].expr;
    while (e->kind == EXPR_COLLATE) e = e->left;
    if (!order[i].any_dir || e->kind != EXPR_COLUMN || !e->bound || e->bind_depth != 0 || e->bind_item != lv->item)
      return 0;
    cids[i] = e->bind_col < 0 ? XN_ROWID : e->bind_col;
  }
  if (lv->kind == WLOOP_INDEX && !walks_all(lv))
    return index_permutation(items, wp, lv->item, lv->index, lv->neq, order, cids, norder, out);
  if (!walks_all(lv) || it->not_indexed) return 0;
  if (lv->kind == WLOOP_INDEX && index_permutation(items, wp, lv->item, lv->index, 0, order, cids, norder, out))
    return 1;
  for (const Index *ix = it->table->indexes; ix; ix = ix->next)
    if (walk_usable(items, wp, lv->item, ix) && (!it->indexed_by || ix == it->indexed_by) &&
        index_permutation(items, wp, lv->item, ix, 0, order, cids, norder, out))
      return 1;
  return 0;
}

static void order_by_terms(const PlanItem *items, const PlanOrder *order_in, int norder_in, WherePlan *out);

void plan_order_by(const PlanItem *items, const PlanOrder *order_in, int norder_in, WherePlan *out) {
  if (norder_in == 0 || out->nlevel == 0 || norder_in > PLAN_MAX_KEY) return;
  PlanOrder permuted[PLAN_MAX_KEY];
  if (!any_order_terms(items, out, order_in, norder_in, permuted)) {
    order_by_terms(items, order_in, norder_in, out);
    return;
  }
  order_by_terms(items, permuted, norder_in, out);
  if (!out->order_satisfied) out->order_prefix = 0; /* a prefix of the terms in another order than codegen's */
}

/* The ORDER BY puts NULLs where the level's index does not (SQLite walks
** such an index twice, for the NULLs and for the rest, and sorts nothing):
** the rows are sorted, and the index is walked in the direction the terms
** would have it, so that rows equal on them come in SQLite's order. */
static void walk_as_nulls_sort(const PlanItem *items, const PlanOrder *order_in, int norder_in, WherePlan *out,
                               int level, int start) {
  WhereLevel *lv = &out->levels[level];
  if (lv->kind != WLOOP_INDEX || lv->autoindex || norder_in > PLAN_MAX_KEY) return;
  PlanOrder usual[PLAN_MAX_KEY], order[PLAN_MAX_KEY];
  int cids[PLAN_MAX_KEY], ends[PLAN_MAX_KEY], norder, reverse = 0;
  for (int i = 0; i < norder_in; i++) {
    usual[i] = order_in[i];
    usual[i].nulls_last = usual[i].desc;
  }
  if (level_order_terms(items, out, lv, usual, norder_in, start, cids, ends, order, &norder) < 0 || norder == 0)
    return;
  if (level_index_order(items, lv, cids, order, norder, &reverse) &&
      (!reverse || !lv->in_list || in_list_reversible(lv)))
    lv->reverse = reverse;
}

static void order_by_terms(const PlanItem *items, const PlanOrder *order_in, int norder_in, WherePlan *out) {
  for (int level = 0; level < out->nlevel; level++)
    if (is_right(items[out->levels[level].item].join_type)) return; /* unmatched rows come last */
  int start = 0, outermost = -1, leading = 0, alone = 1; /* alone: the levels before yield one row each */
  for (int level = 0; level < out->nlevel; level++) {
    const WhereLevel *lv = &out->levels[level];
    /* EXISTS tables' levels before the others (no ORDER BY term reads them):
    ** the order may still come from the first other level (below). */
    if (items[lv->item].exists && outermost < 0) {
      leading |= !level_is_one_row(lv);
      continue;
    }
    if (outermost < 0) outermost = level;
    /* SQLite credits no order to an index it builds while running */
    if (items[lv->item].is_subquery || lv->autoindex) return;
    int cids[PLAN_MAX_KEY], ends[PLAN_MAX_KEY], norder;
    PlanOrder order[PLAN_MAX_KEY];
    int j = level_order_terms(items, out, lv, order_in, norder_in, start, cids, ends, order, &norder);
    if (j < 0) {
      if (level == outermost && !leading) walk_as_nulls_sort(items, order_in, norder_in, out, level, start);
      return;
    }
    int first = (level == outermost || alone) && !leading;
    if (j == norder_in) {
      /* Behind rows of EXISTS tables the order holds only if that level goes
      ** first: SQLite moves it there when those are lookups; else it sorts,
      ** the level's path chosen for the order all the same. */
      int move = leading && level == outermost;
      order_by_level(items, order, cids, norder, out, level, level == outermost || (alone && !leading));
      if (move && out->order_satisfied && leading_lookups(out, level)) ordered_level_first(out, level);
      else if (move) out->order_satisfied = out->order_prefix = 0;
      /* In terms of the ORDER BY as given (a constant term between counts as delivered). */
      out->order_prefix =
          out->order_satisfied || level != outermost || out->order_prefix <= 0 ? 0 : ends[out->order_prefix - 1];
      return;
    }
    /* The rest of the ORDER BY is the inner levels' to give: this level's
    ** rows must come in order, each distinct on its terms.  The first
    ** level's scan may walk an index instead, when the inner levels then
    ** give the rest. */
    if (!level_is_one_row(lv)) {
      int rev, given = norder > 0 && level_orders(items, lv, cids, order, norder, &rev);
      int distinct = norder > 0 && rows_distinct(items, out, lv->item, cids, order, norder);
      int rest = first && distinct && rest_ordered(items, order_in, norder_in, out, level + 1, j);
      if (rest && !given && walks_all(lv)) given = scan_in_order(items, out, level, cids, order, &rev, norder);
      if (given) out->levels[level].reverse = rev;
      if (!given || !distinct || (first && !rest)) {
        /* The first level's order alone: each run of rows equal on its terms is sorted. */
        if (given && first && !out->order_prefix) out->order_prefix = ends[norder - 1];
        return;
      }
    }
    alone &= level_is_one_row(lv);
    start = j;
  }
}

/* The terms (all of the level's item) by the level's order; the outermost
** level (but for EXISTS tables' levels before it) may change to an ordered
** scan when that beats sorting. */
static void order_by_level(const PlanItem *items, const PlanOrder *order, const int *cids, int norder, WherePlan *out,
                           int level, int outermost) {
  WhereLevel *lv = &out->levels[level];
  const PlanItem *it = &items[lv->item];
  if (norder == 0 || level_is_one_row(lv)) { /* constant terms, or one row: any order is the order */
    out->order_satisfied = 1;
    return;
  }
  if (!outermost) {
    int rev;
    if (level_orders(items, lv, cids, order, norder, &rev)) {
      lv->reverse = rev;
      out->order_satisfied = 1;
    }
    return;
  }
  int reverse = 0;
  switch (lv->kind) {
  case WLOOP_ROWID_EQ: /* one row, or the rows of an IN list in rowid order (backwards too) */
    if (!lv->in_list) out->order_satisfied = 1;
    else if (norder == 1 && cids[0] == XN_ROWID && (!order[0].desc || order[0].any_dir || in_list_reversible(lv))) {
      lv->reverse = order[0].desc && !order[0].any_dir;
      out->order_satisfied = 1;
    }
    return; /* a lookup is never traded for a sort */
  case WLOOP_ROWID_RANGE: /* walked backwards for a descending rowid */
    if (norder == 1 && cids[0] == XN_ROWID) {
      lv->reverse = order[0].desc;
      out->order_satisfied = 1;
      return;
    }
    break;
  case WLOOP_INDEX:
    if (level_index_order(items, lv, cids, order, norder, &reverse) &&
        (!reverse || !lv->in_list || in_list_reversible(lv))) {
      lv->reverse = reverse;
      out->order_satisfied = 1;
      return;
    }
    break;
  default: break;
  }
  /* The chosen path needs a sort.  A scan in the wanted order (the table's
  ** for the rowid, else an index's) replaces it when it costs less than the
  ** path plus the sort; in a join only a scan (of the table or a whole index) is replaced (the inner
  ** levels were costed against it).  Short of that, rows in the order of
  ** the first terms need only each run of rows equal on them sorted. */
  double rows = lv->est_rows > 1 ? lv->est_rows : 1;
  double with_sort = lv->est_cost + rows * log2(rows > 2 ? rows : 2) * PLAN_SORT_COMPARE;
  int have = path_order_prefix(items, lv, cids, order, norder), joins = 0;
  /* Levels that yield one row join nothing: past them the level is alone. */
  for (int i = 0; i < out->nlevel; i++)
    joins += !items[out->levels[i].item].exists && !level_is_one_row(&out->levels[i]);
  if (joins > 1 && !walks_all(lv)) {
    out->order_prefix = have;
    return;
  }
  const Index *best = NULL;
  int best_reverse = 0, best_covers = 0;
  double alt_cost = 0;
  if (norder == 1 && cids[0] == XN_ROWID) {
    alt_cost = table_rows(it);
    reverse = order[0].desc;
    /* A seek through an index chosen over a rowid range (a covering one, of narrower rows): the range, in
    ** rowid order, against that seek and a sort. */
    double range_cost;
    if (lv->kind == WLOOP_INDEX && ordered_rowid_range(items, out, level, reverse, &range_cost, 0)) {
      if (range_cost >= with_sort) {
        out->order_prefix = have;
        return;
      }
      ordered_rowid_range(items, out, level, reverse, &range_cost, 1);
      out->order_satisfied = 1;
      return;
    }
  } else {
    if (it->not_indexed) return;
    best = ordering_index(items, out, lv->item, cids, order, norder, &best_reverse, &best_covers);
    if (!best) {
      partial_order_scan(items, order, cids, norder, out, level, with_sort, have);
      return;
    }
    alt_cost = table_rows(it) * (best_covers ? PLAN_COVER_SCAN : 1 + PLAN_LOOKUP_COST);
    /* A range of that index that WHERE bounds (a rowid range chosen over it, which needs the sort):
    ** walked in order, against the path and the sort, as SQLite weighs it. */
    double range_cost;
    if (lv->kind != WLOOP_SCAN &&
        ordered_index_range(items, out, level, best, best_covers, best_reverse, &range_cost, 0) &&
        range_cost < with_sort && range_cost < alt_cost) {
      ordered_index_range(items, out, level, best, best_covers, best_reverse, &range_cost, 1);
      out->order_satisfied = 1;
      return;
    }
  }
  if (lv->kind != WLOOP_SCAN && alt_cost >= with_sort) {
    out->order_prefix = have;
    return;
  }
  ordered_scan(items, out, level, best, best_covers, best ? best_reverse : reverse, table_rows(it), alt_cost);
  out->order_satisfied = 1;
}

/* "b>?", or for a row value "(b,c)>(?,?)". */
static int describe_bound(const WhereLevel *lv, const Table *t, const WhereBound *b, char op, const char *col,
                          const char *sep, char *buf, int size) {
  if (b->width <= 1) return snprintf(buf, (size_t)size, "%s%s%c?", sep, col, op);
  int n = snprintf(buf, (size_t)size, "%s(", sep);
  for (int j = 0; j < b->width && n < size; j++)
    n += snprintf(buf + n, (size_t)(size - n), "%s%s", j ? "," : "", t->cols[lv->index->cols[lv->neq + j].cid].name);
  if (n < size) n += snprintf(buf + n, (size_t)(size - n), ")%c(", op);
  for (int j = 0; j < b->width && n < size; j++) n += snprintf(buf + n, (size_t)(size - n), "%s?", j ? "," : "");
  if (n < size) n += snprintf(buf + n, (size_t)(size - n), ")");
  return n;
}

/* "a=? AND b>? AND b<?" for the columns the level constrains. */
static int describe_constraints(const WhereLevel *lv, const Table *t, char *buf, int size) {
  int n = 0;
  for (int j = 0; j < lv->neq && n < size; j++) {
    int cid = lv->index->cols[j].cid;
    const char *name = cid >= 0 ? t->cols[cid].name : cid == XN_EXPR ? "<expr>" : "rowid";
    if (j < lv->nskip) n += snprintf(buf + n, (size_t)(size - n), "%sANY(%s)", j ? " AND " : "", name);
    else n += snprintf(buf + n, (size_t)(size - n), "%s%s=?", j ? " AND " : "", name);
  }
  const char *col = "rowid";
  if (lv->kind == WLOOP_INDEX && lv->neq < lv->index->ncols) {
    int cid = lv->index->cols[lv->neq].cid;
    col = cid >= 0 ? t->cols[cid].name : cid == XN_EXPR ? "<expr>" : "rowid";
  }
  if (lv->lo.value && n < size) n += describe_bound(lv, t, &lv->lo, '>', col, n ? " AND " : "", buf + n, size - n);
  if (lv->hi.value && n < size) n += describe_bound(lv, t, &lv->hi, '<', col, n ? " AND " : "", buf + n, size - n);
  return n;
}

static void describe_access(const WhereLevel *lv, const PlanItem *it, const char *name, char *buf, int size);

/* An EXISTS table's level says so after its name: "SEARCH t EXISTS USING …". */
void plan_describe_level(const WherePlan *wp, const PlanItem *items, int level, char *buf, int size) {
  const WhereLevel *lv = &wp->levels[level];
  const PlanItem *it = &items[lv->item];
  char name[300];
  if (it->exists) snprintf(name, sizeof name, "%s EXISTS", it->name);
  describe_access(lv, it, it->exists ? name : it->name, buf, size);
}

void plan_describe_access(const WhereLevel *lv, const PlanItem *it, char *buf, int size) {
  describe_access(lv, it, it->name, buf, size);
}

static void describe_access(const WhereLevel *lv, const PlanItem *it, const char *name, char *buf, int size) {
  const char *left = it->join_type == JOIN_LEFT || it->join_type == JOIN_FULL ? " LEFT-JOIN" : "";
  char cons[256];
  cons[0] = 0;
  switch (lv->kind) {
  case WLOOP_ROWID_EQ:
    snprintf(buf, (size_t)size, "SEARCH %s USING INTEGER PRIMARY KEY (rowid=?)%s", name, left);
    break;
  case WLOOP_ROWID_RANGE:
    describe_constraints(lv, it->table, cons, sizeof cons);
    snprintf(buf, (size_t)size, "SEARCH %s USING INTEGER PRIMARY KEY (%s)%s", name, cons, left);
    break;
  case WLOOP_INDEX: {
    const char *how = lv->covering ? "COVERING INDEX" : "INDEX";
    int ncons = describe_constraints(lv, it->table, cons, sizeof cons);
    if (lv->autoindex) {
      snprintf(buf, (size_t)size, "SEARCH %s USING AUTOMATIC %sCOVERING INDEX (%s)%s", name,
               lv->npartial ? "PARTIAL " : "", cons, left);
    } else if (is_table_pk(lv->index)) { /* the table's own order */
      if (ncons == 0) snprintf(buf, (size_t)size, "SCAN %s%s", name, left);
      else snprintf(buf, (size_t)size, "SEARCH %s USING PRIMARY KEY (%s)%s", name, cons, left);
    } else if (ncons == 0)
      snprintf(buf, (size_t)size, "SCAN %s USING %s %s%s", name, how, lv->index->name, left);
    else
      snprintf(buf, (size_t)size, "SEARCH %s USING %s %s (%s)%s", name, how, lv->index->name, cons, left);
    break;
  }
  case WLOOP_MULTI_OR: snprintf(buf, (size_t)size, "MULTI-INDEX OR"); break;
  default: snprintf(buf, (size_t)size, "SCAN %s%s", name, left); break;
  }
}

/* ---- Bloom filters ---------------------------------------------------------------- */

/* Whether term e, which reads only item, is a comparison SQLite counts for
** an outer join's item (=, <, <=, >, >=, IN with a column of the item on one
** side and no column of it on the other). */
static int is_plain_comparison(const Expr *e, int item) {
  const Expr *col = NULL, *other = NULL;
  if (e->kind == EXPR_BINARY &&
      (e->op == TK_EQ || e->op == TK_LT || e->op == TK_LE || e->op == TK_GT || e->op == TK_GE)) {
    col = e->left;
    other = e->right;
    if (!(col->kind == EXPR_COLUMN && col->bound && col->bind_depth == 0 && col->bind_item == item)) {
      col = e->right;
      other = e->left;
    }
  } else if ((e->kind == EXPR_IN_LIST || e->kind == EXPR_IN_SELECT) && !e->negated) {
    col = e->left;
  } else {
    return 0;
  }
  while (col && col->kind == EXPR_COLLATE) col = col->left;
  if (!col || col->kind != EXPR_COLUMN || !col->bound || col->bind_depth != 0 || col->bind_item != item) return 0;
  if (other && (expr_mask(other) & bit(item))) return 0;
  for (int i = 0; e->kind == EXPR_IN_LIST && e->args && i < e->args->n; i++)
    if (expr_mask(e->args->items[i]) & bit(item)) return 0;
  return 1;
}

/* The items level lv's lookup keys read: it can start only once they are placed. */
static uint64_t level_prereq(const WhereLevel *lv) {
  uint64_t m = expr_mask(lv->key) | expr_mask(lv->in_list) | expr_mask(lv->lo.value) | expr_mask(lv->hi.value);
  for (int j = 0; lv->kind == WLOOP_INDEX && j < lv->neq; j++) m |= expr_mask(lv->eq[j]);
  return m;
}

/* Whether the level looks up its rows by an equality (SQLite's WHERE_COLUMN_EQ: = or IS on a column, not only
** IN or IS NULL), an index or rowid lookup. */
static int seeks_by_equality(const WhereLevel *lv) {
  if (lv->kind == WLOOP_ROWID_EQ) return lv->in_list == NULL;
  if (lv->kind != WLOOP_INDEX || lv->nskip) return 0;
  for (int j = 0; j < lv->neq; j++)
    if (lv->eq[j] && !(lv->in_list && j == lv->in_col)) return 1;
  return 0;
}

/* SQLite's "self-culling" loop: some term reads only this item and is not the one its lookup starts with (on
** an outer join's item, or one left of a RIGHT join, only a plain comparison counts). */
static int self_culling(const PlanItem *items, int n, const WherePlan *wp, const WhereLevel *lv) {
  int item = lv->item, outer = items[item].join_type == JOIN_LEFT || is_right(items[item].join_type);
  for (int i = item + 1; i < n; i++) outer |= is_right(items[i].join_type);
  int count = 0;
  for (int k = 0; k < wp->nterm; k++) {
    const WhereTerm *t = &wp->terms[k];
    if (t->mask != bit(item)) continue;
    if (outer && !is_plain_comparison(t->expr, item)) continue;
    count++;
  }
  /* The term of the first key reads only the item too when its value is a constant (IS NULL included). */
  const Expr *first = lv->in_list && (lv->kind == WLOOP_ROWID_EQ || lv->in_col == 0) ? lv->in_list
                      : lv->kind == WLOOP_ROWID_EQ                                    ? lv->key
                                                                                      : lv->eq[0];
  int counted = !outer || (lv->kind == WLOOP_ROWID_EQ ? 1 : lv->eq[0] && !lv->eq_is[0]);
  if (count > 0 && counted && !(expr_mask(first) & ~bit(item))) count--;
  return count > 0;
}

/* An automatic index gets a filter when one of its key columns may hold numbers (SQLite hashes all text alike,
** so it keeps the filter for keys that may be numbers). */
static int autoindex_wants_filter(const PlanItem *items, const WhereLevel *lv) {
  for (int j = 0; j < lv->neq; j++) {
    int cid = lv->index->cols[j].cid;
    if (cid == XN_EXPR || column_affinity(items, lv->item, cid) != AFF_TEXT) return 1;
  }
  return 0;
}

void plan_bloom_filters(const PlanItem *items, WherePlan *wp) {
  int n = wp->nlevel, stats = 1, search = 0;
  for (int i = 0; i < n; i++) wp->levels[i].bloom = 0;
  if (n < 2) return;
  for (int i = 0; i < n; i++)
    if (is_right(items[i].join_type)) return; /* a RIGHT join's second pass: no filter */
  for (int i = 0; i < n; i++) {
    WhereLevel *lv = &wp->levels[i];
    const PlanItem *it = &items[lv->item];
    if (lv->autoindex) {
      lv->bloom = autoindex_wants_filter(items, lv);
    } else if (stats && (it->is_subquery || !it->table->stat_loaded)) {
      stats = 0; /* SQLite looks no further than the first item without sqlite_stat1 */
    } else if (stats && i >= 1 && seeks_by_equality(lv) && self_culling(items, n, wp, lv) &&
               search > log_est((uint64_t)table_rows(it))) {
      lv->bloom = 1;
      lv->covering = 0;
    }
    lv->bloom_at = i;
    search += log_est(lv->est_rows > 1 ? (uint64_t)lv->est_rows : 1);
  }
  /* A filter whose keys the levels outside an earlier one already give is
  ** built with that one's (SQLite builds them together, in one pass of the
  ** outer loops), unless its level is an outer join's or an IN list feeds it. */
  for (int i = 0; i < n; i++) {
    WhereLevel *lv = &wp->levels[i];
    if (!lv->bloom || lv->autoindex || lv->bloom_at != i) continue;
    uint64_t not_ready = 0;
    for (int j = i; j < n; j++) not_ready |= bit(wp->levels[j].item);
    for (int j = i + 1; j < n; j++) {
      WhereLevel *l2 = &wp->levels[j];
      if (items[l2->item].join_type == JOIN_LEFT || !l2->bloom || l2->autoindex || l2->in_list) continue;
      if (level_prereq(l2) & not_ready) continue;
      l2->bloom_at = i;
    }
  }
}

void plan_describe_bloom(const WherePlan *wp, const PlanItem *items, int level, char *buf, int size) {
  const WhereLevel *lv = &wp->levels[level];
  const PlanItem *it = &items[lv->item];
  const Table *t = it->table;
  char cons[256];
  int n = 0;
  cons[0] = 0;
  if (lv->kind == WLOOP_ROWID_EQ) {
    snprintf(cons, sizeof cons, "%s=?", t->ipk >= 0 ? t->cols[t->ipk].name : "rowid");
  } else {
    for (int j = 0; j < lv->neq && n < (int)sizeof cons; j++) {
      int cid = lv->index->cols[j].cid;
      const char *name = cid >= 0 ? t->cols[cid].name : cid == XN_EXPR ? "<expr>" : "rowid";
      n += snprintf(cons + n, sizeof cons - (size_t)n, "%s%s=?", j ? " AND " : "", name);
    }
  }
  snprintf(buf, (size_t)size, "BLOOM FILTER ON %s (%s)", it->name, cons);
}
