/*
** join.c — what USING and NATURAL mean, and how they shape names.
**
** "a JOIN b USING (x)" stands for the ON clause "a.x = b.x", and
** "NATURAL JOIN b" for USING every column of b that an item before it has.
** The equalities are made here, once the FROM items are in the scope, as
** expressions bound already (Expr.bound), into SrcItem.using_on: the loops
** and the planner treat them as the item's ON clause.
**
** The left side of an equality is the column of the leftmost item before
** the join that has it.  In a query with a RIGHT or FULL join several items
** on the left may have it (only if each of those after the first joined on
** it with USING too): the left side is then their coalesce, as in SQLite.
**
** Names: an unqualified reference to a USING column names one value (see
** scope_lookup in expr.c), and "*" shows it once, as the left item's column;
** in a query with RIGHT or FULL joins a left item's column that a later
** USING names shows by its unqualified name instead, so that it reads the
** value of the whole join (the right side's, or the coalesce of both).
*/
#include <stdio.h>
#include <string.h>

#include "codegen/cg.h"

/* The scope item's column named name, -1 if none (the INTEGER PRIMARY KEY
** is the rowid: bind_col -1 is never returned for it, see bound_column). */
static int column_of(const ScopeItem *it, const char *name) { return table_column_index(it->table, name); }

/* A NATURAL join sees no hidden column (a table-valued function's
** arguments), on either side, as in SQLite: -1 for one. */
static int visible_column_of(const ScopeItem *it, const char *name) {
  int c = column_of(it, name);
  return c >= 0 && !it->table->cols[c].hidden ? c : -1;
}

/* The column name of the item a USING (natural: a NATURAL join's) looks at. */
static int join_column_of(const ScopeItem *it, const char *name, int natural) {
  return natural ? visible_column_of(it, name) : column_of(it, name);
}

static int in_using(const ScopeItem *it, const char *name) {
  for (int k = 0; k < it->nusing; k++)
    if (util_stricmp(it->using_cols[k], name) == 0) return 1;
  return 0;
}

Expr *cg_bound_column(Parse *p, const Scope *scope, int i, int col) {
  const ScopeItem *it = &scope->items[i];
  Expr *e = arena_alloc(&p->arena, sizeof *e);
  if (!e) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  e->kind = EXPR_COLUMN;
  e->table = it->name;
  e->text = it->table->cols[col].name;
  e->n = (int)strlen(e->text);
  cg_bind_to(e, scope, i, col);
  return e;
}

void cg_bind_to(Expr *e, const Scope *scope, int i, int col) {
  const ScopeItem *it = &scope->items[i];
  e->bound = 1;
  e->bind_item = i;
  e->bind_col = col == it->table->ipk ? -1 : col;
  e->bind_affinity = e->bind_col < 0 ? AFF_INTEGER : it->table->cols[col].affinity;
  e->bind_coll = e->bind_col < 0 ? COLL_BINARY : it->table->cols[col].coll;
}

static Expr *new_node(Parse *p, ExprKind kind, int op, Expr *l, Expr *r) {
  Expr *e = arena_alloc(&p->arena, sizeof *e);
  if (!e) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  e->kind = kind;
  e->op = op;
  e->left = l;
  e->right = r;
  return e;
}

/* The left side of "USING (name)" for item i: the leftmost item's column,
** or with RIGHT/FULL joins the coalesce of every left item's. */
/* SQLite goes on after an ambiguous USING reference: the first ambiguity
** is reported once the joins are all seen, unless a column missing from a
** USING is found on the way (that error wins). */
typedef struct JoinErrors {
  char ambiguous[200];
} JoinErrors;

static Expr *using_left(Parse *p, const Scope *scope, int i, const char *name, int has_right, int natural,
                        JoinErrors *je) {
  int k = 0;
  while (k < i && join_column_of(&scope->items[k], name, natural) < 0) k++;
  if (k == i) return NULL;
  Expr *left = cg_bound_column(p, scope, k, join_column_of(&scope->items[k], name, natural));
  if (!has_right || !left) return left;
  ExprList *args = arena_alloc(&p->arena, sizeof *args);
  if (!args || !(args->items = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)(i - k)))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  args->items[args->n++] = left;
  for (int m = k + 1; m < i; m++) {
    int col = join_column_of(&scope->items[m], name, natural);
    if (col < 0) continue;
    if (!in_using(&scope->items[m], name)) {
      if (!je->ambiguous[0])
        snprintf(je->ambiguous, sizeof je->ambiguous, "ambiguous reference to %s in USING()", name);
      break;
    }
    if (!(args->items[args->n++] = cg_bound_column(p, scope, m, col))) return NULL;
  }
  if (args->n == 1) return left;
  Expr *call = new_node(p, EXPR_FUNCTION, 0, NULL, NULL);
  if (!call) return NULL;
  call->text = "coalesce";
  call->n = 8;
  call->op = FUNC_AFF_FIRST;
  call->args = args;
  return call;
}

/* NATURAL: the columns of item i that an item before it has (hidden ones
** left out on both sides). */
static void natural_columns(Parse *p, const Scope *scope, int i, ScopeItem *it) {
  const Table *t = it->table;
  it->using_cols = arena_alloc(&p->arena, sizeof(char *) * (size_t)(t->ncols ? t->ncols : 1));
  if (!it->using_cols) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (int c = 0; c < t->ncols; c++) {
    int found = 0;
    if (t->cols[c].hidden) continue;
    for (int k = 0; k < i && !found; k++) found = visible_column_of(&scope->items[k], t->cols[c].name) >= 0;
    if (found) it->using_cols[it->nusing++] = t->cols[c].name;
  }
}

static void join_using(Parse *p, const SrcList *from, Scope *scope) {
  int has_right = 0;
  JoinErrors je;
  je.ambiguous[0] = 0;
  if (!from) return;
  for (int i = 0; i < from->n && i < scope->n; i++) {
    scope->items[i].join_type = from->items[i].join_type;
    has_right |= from->items[i].join_type == JOIN_RIGHT || from->items[i].join_type == JOIN_FULL;
  }
  for (int i = 1; i < from->n && i < scope->n && p->rc == LODE_OK; i++) {
    SrcItem *src = &from->items[i];
    ScopeItem *it = &scope->items[i];
    src->using_on = NULL;
    if (src->natural && (src->on || src->nusing)) {
      cg_error(p, LODE_ERROR, "a NATURAL join may not have an ON or USING clause");
      return;
    }
    if (src->natural) natural_columns(p, scope, i, it);
    else {
      it->nusing = src->nusing;
      it->using_cols = src->using_cols;
    }
    for (int k = 0; k < it->nusing && p->rc == LODE_OK; k++) {
      const char *name = it->using_cols[k];
      int col = column_of(it, name);
      Expr *left = col < 0 ? NULL : using_left(p, scope, i, name, has_right, src->natural, &je);
      if (p->rc != LODE_OK) return;
      if (!left) {
        cg_error(p, LODE_ERROR, "cannot join using column %s - column not present in both tables", name);
        return;
      }
      Expr *eq = new_node(p, EXPR_BINARY, TK_EQ, left, cg_bound_column(p, scope, i, col));
      if (!eq || !eq->right) return;
      src->using_on = cg_and(p, src->using_on, eq);
    }
  }
  if (je.ambiguous[0]) cg_error(p, LODE_ERROR, "%s", je.ambiguous);
}

int cg_star_column(const Scope *scope, int i, int col, int qualified, int nested) {
  const ScopeItem *it = &scope->items[i];
  const char *name = it->table->cols[col].name;
  if (it->table->cols[col].hidden) return STAR_SKIP; /* a virtual table's argument columns */
  if (it->nested_hidden && it->nested_hidden[col] && !qualified && !nested) return STAR_SKIP;
  /* FROM ( join ) keeps them (the query around it hides them from its "*"). */
  if (!qualified && !nested && i > 0 && in_using(it, name)) return STAR_SKIP;
  if (nested) return STAR_BOUND;
  /* A column a later USING names, left of a RIGHT or FULL join: the join's value. */
  int right_after = 0;
  for (int k = i + 1; k < scope->n; k++)
    right_after |= scope->items[k].join_type == JOIN_RIGHT || scope->items[k].join_type == JOIN_FULL;
  if (!right_after) return STAR_BOUND;
  for (int k = i + 1; k < scope->n; k++)
    if (in_using(&scope->items[k], name)) return STAR_NAME;
  return STAR_BOUND;
}

void cg_nested_from_names(Parse *p, const Select *sub, const SelectDest *dest, ScopeItem *item) {
  (void)p;
  if (!sub->nested_from) return;
  item->nested_tab = dest->tabs;
  item->nested_col = dest->cols;
  item->nested_hidden = dest->hidden;
  item->nested_db = dest->dbs;
}

int cg_using_hidden(const Scope *scope, const Expr *e) {
  if (e->kind != EXPR_COLUMN || !e->bound || e->bind_depth != 0 || !e->bound_column) return 0;
  int i = e->bind_item;
  const ScopeItem *it = &scope->items[i];
  if (it->nested_hidden && it->nested_hidden[e->bound_column - 1]) return 1;
  const char *name = it->table->cols[e->bound_column - 1].name;
  if (i > 0 && in_using(it, name)) return 1;
  return i + 1 < scope->n && in_using(&scope->items[i + 1], name); /* shown once, before */
}

int cg_nested_using_terms(const Scope *scope, int i, const char *const **names) {
  if (i + 1 >= scope->n) return 0;
  *names = scope->items[i + 1].using_cols;
  return scope->items[i + 1].nusing;
}

/* The columns an unqualified name reads when FULL joins USING it: more than
** one (their coalesce), else 0 (the name is resolved as usual). */
static int full_join_columns(const Scope *scope, const char *name, int *items, int *cols) {
  int n = 0;
  for (int i = 0; i < scope->n; i++) {
    const ScopeItem *it = &scope->items[i];
    int col = column_of(it, name);
    if (col < 0) continue;
    if (it->nested_col) { /* two columns of FROM ( join ) by that name: ambiguous, reported when resolved */
      int same = 0;
      for (int c = 0; c < it->table->ncols; c++)
        same += it->nested_col[c] && util_stricmp(it->nested_col[c], name) == 0 && !it->nested_hidden[c];
      if (same > 1) return 0;
    }
    if (n > 0 && !in_using(it, name)) return 0; /* ambiguous: reported when it is resolved */
    if (n > 0 && it->join_type == JOIN_RIGHT) n = 0;
    else if (n > 0 && it->join_type != JOIN_FULL) continue;
    items[n] = i;
    cols[n++] = col;
  }
  return n > 1 ? n : 0;
}

static Expr *full_join_value(Parse *p, const Scope *scope, const char *name) {
  int items[PLAN_MAX_ITEMS], cols[PLAN_MAX_ITEMS];
  int n = scope->n <= PLAN_MAX_ITEMS ? full_join_columns(scope, name, items, cols) : 0;
  if (n == 0) return NULL;
  Expr *call = new_node(p, EXPR_FUNCTION, 0, NULL, NULL);
  ExprList *args = arena_alloc(&p->arena, sizeof *args);
  if (!call || !args || !(args->items = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)n))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  for (int k = 0; k < n; k++)
    if (!(args->items[args->n++] = cg_bound_column(p, scope, items[k], cols[k]))) return NULL;
  call->text = "coalesce";
  call->n = 8;
  call->op = FUNC_AFF_FIRST;
  call->args = args;
  return call;
}

Expr *cg_using_value(Parse *p, const Scope *scope, const char *name) {
  Expr *v = full_join_value(p, scope, name);
  if (v) return v;
  Expr *e = arena_alloc(&p->arena, sizeof *e);
  if (!e) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  e->kind = EXPR_COLUMN;
  e->text = name;
  e->n = (int)strlen(name);
  return e;
}

/* Unqualified references to a column FULL joins USING become the coalesce
** of the sides, in place (not inside subqueries: they are coded later). */
static void rewrite_full_join_refs(Parse *p, const Scope *scope, Expr *e) {
  if (!e || p->rc != LODE_OK) return;
  if (e->kind == EXPR_COLUMN) {
    if (e->table || e->bound || e->bound_column) return;
    Expr *v = full_join_value(p, scope, e->text);
    if (v) {
      int offset = e->offset;
      *e = *v;
      e->offset = offset;
    }
    return;
  }
  rewrite_full_join_refs(p, scope, e->left);
  rewrite_full_join_refs(p, scope, e->right);
  rewrite_full_join_refs(p, scope, e->escape);
  for (int i = 0; e->args && i < e->args->n; i++) rewrite_full_join_refs(p, scope, e->args->items[i]);
  rewrite_full_join_refs(p, scope, e->filter);
  for (int i = 0; e->agg_order && i < e->agg_order->n; i++) rewrite_full_join_refs(p, scope, e->agg_order->items[i]);
}

static int has_full_using(const Scope *scope) {
  for (int i = 0; i < scope->n; i++)
    if (scope->items[i].join_type == JOIN_FULL && scope->items[i].nusing) return 1;
  return 0;
}

static int is_result_alias(const Select *s, const char *name) {
  for (int i = 0; s->columns && s->columns->names && i < s->columns->n; i++)
    if (s->columns->names[i] && util_stricmp(s->columns->names[i], name) == 0) return 1;
  return 0;
}

void cg_join_prepare(Parse *p, const Select *s, Scope *scope) {
  join_using(p, s->from, scope);
  if (p->rc != LODE_OK || !has_full_using(scope)) return;
  for (int i = 0; s->columns && i < s->columns->n; i++) rewrite_full_join_refs(p, scope, s->columns->items[i]);
  rewrite_full_join_refs(p, scope, s->where);
  for (int i = 0; s->from && i < s->from->n; i++) rewrite_full_join_refs(p, scope, s->from->items[i].on);
  for (int i = 0; s->group_by && i < s->group_by->n; i++) rewrite_full_join_refs(p, scope, s->group_by->items[i]);
  rewrite_full_join_refs(p, scope, s->having);
  for (int i = 0; i < s->norder; i++) {
    Expr *e = s->order_by[i].expr;
    if (e->kind == EXPR_COLUMN && !e->table && is_result_alias(s, e->text)) continue;
    rewrite_full_join_refs(p, scope, e);
  }
}
