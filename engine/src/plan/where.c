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
** Access paths: a rowid lookup when a term "rowid = key" (either side)
** exists whose key reads only items positioned earlier; otherwise a scan.
** A LEFT JOINed item is always scanned: the lookup would need a row of
** NULLs when it misses, which the scan gives by running past its end.
**
** Join order: with no LEFT JOIN, the order of least estimated cost over all
** orders (up to PLAN_EXHAUSTIVE items; greedily beyond), where a scan reads
** PLAN_ROWS_GUESS rows and a rowid lookup costs a b-tree descent and yields
** one row.  Only a clearly cheaper order replaces the FROM order, so that
** equal-cost joins keep the order (and the row order) the query was written
** in, as SQLite does.  With a LEFT JOIN the FROM order is kept.
*/
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "lode.h"
#include "plan/plan.h"
#include "sql/token.h"

#define ALL_ITEMS (~(uint64_t)0)
/* Rows a table is assumed to have without statistics (SQLite's default guess). */
#define PLAN_ROWS_GUESS 1048576.0
/* Cost of one b-tree descent: about log2 of the rows. */
#define PLAN_SEEK_COST 20.0
/* Orders are enumerated up to this many items. */
#define PLAN_EXHAUSTIVE 6
/* A cheaper order must win by this factor to replace the FROM order. */
#define PLAN_BETTER 0.5

static uint64_t bit(int i) { return (uint64_t)1 << i; }

/* The items e reads at this level (bind_depth 0). */
static uint64_t expr_mask(const Expr *e) {
  if (!e) return 0;
  if (e->select) return ALL_ITEMS;
  if (e->kind == EXPR_COLUMN) return e->bound && e->bind_depth == 0 ? bit(e->bind_item) : 0;
  uint64_t m = expr_mask(e->left) | expr_mask(e->right) | expr_mask(e->escape);
  for (int i = 0; e->args && i < e->args->n; i++) m |= expr_mask(e->args->items[i]);
  return m;
}

typedef struct TermList {
  Arena *arena;
  WhereTerm *v;
  int n, cap;
  int rc;
} TermList;

static void add_term(TermList *l, const Expr *e, int on_item) {
  if (!e || l->rc != LODE_OK) return;
  if (e->kind == EXPR_BINARY && e->op == TK_AND) {
    add_term(l, e->left, on_item);
    add_term(l, e->right, on_item);
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
}

static int is_rowid_of(const Expr *e, int item) {
  return e->kind == EXPR_COLUMN && e->bound && e->bind_depth == 0 && e->bind_item == item && e->bind_col < 0;
}

/* The key of a "rowid = key" term for item, usable when every item the
** key reads is in `placed`; NULL otherwise. */
static const Expr *rowid_key(const WhereTerm *t, int item, uint64_t placed) {
  const Expr *e = t->expr, *key;
  if (t->on_item >= 0 || e->kind != EXPR_BINARY || e->op != TK_EQ) return NULL;
  if (is_rowid_of(e->left, item)) key = e->right;
  else if (is_rowid_of(e->right, item)) key = e->left;
  else return NULL;
  uint64_t m = expr_mask(key);
  return m == ALL_ITEMS || (m & ~placed) ? NULL : key;
}

/* The term index of the best access path for item given the placed items:
** a rowid lookup (the term) or -1 for a scan. */
static int best_access(const PlanItem *items, int item, const TermList *terms, uint64_t placed) {
  const PlanItem *it = &items[item];
  if (it->is_subquery || it->join_type == JOIN_LEFT) return -1;
  for (int k = 0; k < terms->n; k++)
    if (rowid_key(&terms->v[k], item, placed)) return k;
  return -1;
}

/* Estimated cost of visiting items in the given order. */
static double order_cost(const PlanItem *items, const int *order, int n, const TermList *terms) {
  double outer = 1, cost = 0;
  uint64_t placed = 0;
  for (int i = 0; i < n; i++) {
    int lookup = best_access(items, order[i], terms, placed) >= 0;
    cost += outer * (lookup ? PLAN_SEEK_COST : PLAN_ROWS_GUESS);
    outer *= lookup ? 1 : PLAN_ROWS_GUESS;
    placed |= bit(order[i]);
  }
  return cost;
}

typedef struct OrderSearch {
  const PlanItem *items;
  const TermList *terms;
  int n;
  int cur[PLAN_MAX_ITEMS];
  int best[PLAN_MAX_ITEMS];
  double best_cost;
} OrderSearch;

static void search_orders(OrderSearch *s, int depth, uint64_t used) {
  if (depth == s->n) {
    double c = order_cost(s->items, s->cur, s->n, s->terms);
    if (c < s->best_cost * PLAN_BETTER) {
      s->best_cost = c;
      memcpy(s->best, s->cur, sizeof(int) * (size_t)s->n);
    }
    return;
  }
  for (int i = 0; i < s->n; i++) {
    if (used & bit(i)) continue;
    s->cur[depth] = i;
    search_orders(s, depth + 1, used | bit(i));
  }
}

/* Greedy: at each step the item with the cheapest access, FROM order on ties. */
static void greedy_order(const PlanItem *items, int n, const TermList *terms, int *order) {
  uint64_t placed = 0;
  for (int i = 0; i < n; i++) {
    int pick = -1;
    for (int j = 0; j < n && pick < 0; j++)
      if (!(placed & bit(j)) && best_access(items, j, terms, placed) >= 0) pick = j;
    for (int j = 0; j < n && pick < 0; j++)
      if (!(placed & bit(j))) pick = j;
    order[i] = pick;
    placed |= bit(pick);
  }
}

static void choose_order(const PlanItem *items, int n, const TermList *terms, int *order) {
  int has_left = 0;
  for (int i = 0; i < n; i++) {
    order[i] = i;
    has_left |= items[i].join_type == JOIN_LEFT;
  }
  if (has_left || n < 2) return;
  if (n > PLAN_EXHAUSTIVE) {
    greedy_order(items, n, terms, order);
    return;
  }
  OrderSearch s;
  s.items = items;
  s.terms = terms;
  s.n = n;
  memcpy(s.best, order, sizeof(int) * (size_t)n);
  s.best_cost = order_cost(items, order, n, terms); /* only a clearly cheaper order replaces it */
  search_orders(&s, 0, 0);
  memcpy(order, s.best, sizeof(int) * (size_t)n);
}

int plan_where(Arena *arena, const PlanItem *items, int n, const Expr *where, WherePlan *out) {
  memset(out, 0, sizeof *out);
  if (n > PLAN_MAX_ITEMS) return LODE_ERROR;
  TermList terms;
  memset(&terms, 0, sizeof terms);
  terms.arena = arena;
  terms.rc = LODE_OK;
  add_term(&terms, where, -1);
  for (int i = 0; i < n; i++) add_term(&terms, items[i].on, items[i].join_type == JOIN_LEFT ? i : -1);
  if (terms.rc != LODE_OK) return terms.rc;
  int order[PLAN_MAX_ITEMS], level_of[PLAN_MAX_ITEMS];
  choose_order(items, n, &terms, order);
  uint64_t placed = 0;
  for (int l = 0; l < n; l++) {
    WhereLevel *lv = &out->levels[l];
    lv->item = order[l];
    level_of[order[l]] = l;
    int k = best_access(items, lv->item, &terms, placed);
    if (k >= 0) {
      lv->kind = WLOOP_ROWID_EQ;
      lv->key = rowid_key(&terms.v[k], lv->item, placed);
      lv->est_rows = 1;
      terms.v[k].consumed = 1;
      terms.v[k].level = l;
    } else {
      lv->kind = WLOOP_SCAN;
      lv->est_rows = PLAN_ROWS_GUESS;
    }
    placed |= bit(lv->item);
  }
  out->nlevel = n;
  /* Each term at the outermost level where all it reads is positioned. */
  for (int k = 0; k < terms.n; k++) {
    WhereTerm *t = &terms.v[k];
    if (t->consumed) continue;
    int level = t->on_item >= 0 ? level_of[t->on_item] : 0;
    if (t->mask == ALL_ITEMS) level = n > 0 ? n - 1 : 0;
    else
      for (int i = 0; i < n; i++)
        if ((t->mask & bit(i)) && level_of[i] > level) level = level_of[i];
    t->level = level;
  }
  out->nterm = terms.n;
  out->terms = terms.v;
  return LODE_OK;
}

void plan_describe_level(const WherePlan *wp, const PlanItem *items, int level, char *buf, int size) {
  const WhereLevel *lv = &wp->levels[level];
  const char *name = items[lv->item].name;
  if (lv->kind == WLOOP_ROWID_EQ) snprintf(buf, (size_t)size, "SEARCH %s USING INTEGER PRIMARY KEY (rowid=?)", name);
  else snprintf(buf, (size_t)size, "SCAN %s%s", name, items[lv->item].join_type == JOIN_LEFT ? " LEFT-JOIN" : "");
}
