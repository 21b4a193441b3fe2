/*
** agg_owner.c — which query an aggregate call in a subquery belongs to.
**
** As in SQLite, an aggregate belongs to the innermost query whose FROM its
** arguments name: `SELECT a, (SELECT sum(t.b)) FROM t GROUP BY a` sums t.b over
** each group of the outer query, and the subquery only reads the result.
** These functions find, in the subqueries of an expression of a query, the
** aggregate calls whose every column reference names that query's FROM and
** none of the subqueries' between.  The check works on names alone (before
** the subquery is bound): a reference that might name a subquery's FROM item
** whose columns are not known here (a view, a FROM subquery, a table-valued
** function, a rowid alias) keeps the call in the subquery, as it was.
*/
#include <string.h>

#include "codegen/cg.h"
#include "util/util.h"

/* Whether a column reference may name an item of the FROM of s. */
static int may_name_from(Parse *p, const Select *s, const Expr *ref) {
  for (int i = 0; s->from && i < s->from->n; i++) {
    const SrcItem *it = &s->from->items[i];
    const char *name = it->alias ? it->alias : it->name;
    if (ref->table) {
      if (name && util_stricmp(name, ref->table) == 0) return 1;
      continue;
    }
    if (cg_is_rowid_name(ref->text)) return 1;
    const Table *t = it->name && !it->subquery && !it->is_call ? cg_lookup_table(p, it->schema, it->name) : NULL;
    if (!t) return 1; /* a view, a CTE: columns not known here */
    if (table_column_index(t, ref->text) >= 0) return 1;
  }
  return 0;
}

/* Whether a column reference names an item of the enclosing query's scope. */
static int names_scope(const Scope *scope, const Expr *ref) {
  for (int i = 0; scope && i < scope->n; i++) {
    const ScopeItem *it = &scope->items[i];
    if (ref->table) {
      if (it->name && util_stricmp(it->name, ref->table) == 0) return 1;
    } else if (it->table && !it->qualified_only && table_column_index(it->table, ref->text) >= 0) {
      return 1;
    }
  }
  return 0;
}

/* Which calls a walk reports: all of them, all but those in an EXISTS
** subquery's result columns, or only those. */
#define OWNED_ALL 0
#define OWNED_NOT_EXISTS_RESULT 1
#define OWNED_EXISTS_RESULT 2

typedef struct Owner {
  Parse *p;
  const Select *home; /* the query the calls belong to when its FROM is not open yet (else NULL: p->scope) */
  int home_only;      /* with home: its FROM alone, not also the scope of the queries around it */
  int mode;           /* OWNED_* */
  int in_exists_result; /* walking the result columns of a single-core EXISTS subquery */
  const Select *chain[CG_MAX_OWNER_DEPTH]; /* the subqueries from the enclosing query inwards */
  int depth;
  int in_where; /* walking the WHERE or an ON of a subquery without aggregates */
  int in_agg_args; /* walking the arguments (FILTER, ORDER BY) of an aggregate call of the subquery */
  int in_own_agg_args; /* walking the arguments of an aggregate call of the enclosing query itself */
  int in_bare_having;  /* walking the HAVING of a subquery that does not aggregate by itself */
  CgOwnedFn fn;
  void *ctx;
} Owner;

/* Checks the references of an aggregate call's arguments: 1 when all name
** the enclosing scope and none a subquery between; *refs counts them. */
static int refs_outside(Owner *o, const Expr *e, int *refs) {
  if (!e) return 1;
  if (e->select || e->over) return 0;
  if (e->kind == EXPR_COLUMN) {
    (*refs)++;
    for (int i = 0; i < o->depth; i++)
      if (o->chain[i] && may_name_from(o->p, o->chain[i], e)) return 0;
    return (o->home && may_name_from(o->p, o->home, e)) || (!o->home_only && names_scope(o->p->scope, e));
  }
  if (!refs_outside(o, e->left, refs) || !refs_outside(o, e->right, refs) || !refs_outside(o, e->escape, refs) ||
      !refs_outside(o, e->filter, refs))
    return 0;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (!refs_outside(o, e->args->items[i], refs)) return 0;
  for (int i = 0; e->agg_order && i < e->agg_order->n; i++)
    if (!refs_outside(o, e->agg_order->items[i], refs)) return 0;
  return 1;
}

static void walk_expr(Owner *o, const Expr *e);

/* A window's PARTITION BY and ORDER BY: an aggregate there that names only
** the enclosing query's FROM is the enclosing query's, as anywhere else. */
static void walk_window(Owner *o, const Window *w) {
  if (!w) return;
  for (int i = 0; w->partition && i < w->partition->n; i++) walk_expr(o, w->partition->items[i]);
  for (int i = 0; i < w->norder; i++) walk_expr(o, w->order_by[i].expr);
}

static int aggregates_in_results(Parse *p, const Select *s) {
  for (int i = 0; s->columns && i < s->columns->n; i++)
    if (cg_first_aggregate(p, s->columns->items[i])) return 1;
  return 0;
}

/* Whether s is an aggregate query by its own calls. */
static int is_aggregate(Parse *p, const Select *s) {
  return s->group_by || s->having || aggregates_in_results(p, s);
}

/* exists_result: s is the subquery of an EXISTS, of one core. */
static void walk_select(Owner *o, const Select *s, int exists_result) {
  for (; s; s = s->next) {
    if (o->depth == CG_MAX_OWNER_DEPTH) return;
    o->chain[o->depth++] = s;
    int saved = o->in_where, saved_args = o->in_agg_args, saved_exists = o->in_exists_result;
    o->in_where = 0;
    o->in_agg_args = 0;
    o->in_exists_result |= exists_result;
    for (int i = 0; s->columns && i < s->columns->n; i++) walk_expr(o, s->columns->items[i]);
    o->in_exists_result = saved_exists;
    for (int i = 0; s->group_by && i < s->group_by->n; i++) walk_expr(o, s->group_by->items[i]);
    for (int i = 0; i < s->nwindows; i++) walk_window(o, s->windows[i]);
    int saved_having = o->in_bare_having;
    o->in_bare_having = s->having && !s->group_by && !aggregates_in_results(o->p, s);
    walk_expr(o, s->having);
    o->in_bare_having = saved_having;
    for (int i = 0; i < s->norder; i++) walk_expr(o, s->order_by[i].expr);
    o->in_where = !is_aggregate(o->p, s);
    walk_expr(o, s->where);
    for (int i = 0; s->from && i < s->from->n; i++) walk_expr(o, s->from->items[i].on);
    o->in_where = saved;
    /* A FROM subquery sees past the query whose FROM it is in, not into it. */
    for (int i = 0; s->from && i < s->from->n; i++) {
      if (!s->from->items[i].subquery) continue;
      o->chain[o->depth - 1] = NULL;
      walk_select(o, s->from->items[i].subquery, 0);
      o->chain[o->depth - 1] = s;
    }
    o->in_agg_args = saved_args;
    o->depth--;
  }
}

static void walk_expr(Owner *o, const Expr *e) {
  if (!e || o->p->rc != LODE_OK) return;
  if (o->depth > 0 && e->kind == EXPR_FUNCTION && !e->over) {
    const Expr *agg = cg_first_aggregate(o->p, e);
    if (agg == e) {
      int refs = 0;
      /* an aggregate inside its arguments keeps both where they are */
      int nested = 0;
      for (int i = 0; e->args && i < e->args->n; i++) nested |= cg_first_aggregate(o->p, e->args->items[i]) != NULL;
      for (int i = 0; e->agg_order && i < e->agg_order->n; i++)
        nested |= cg_first_aggregate(o->p, e->agg_order->items[i]) != NULL;
      if (!nested && refs_outside(o, e, &refs) && refs > 0) {
        if (o->mode == OWNED_NOT_EXISTS_RESULT && o->in_exists_result) return;
        if (o->mode == OWNED_EXISTS_RESULT) {
          if (o->in_exists_result) o->fn(o->p, o->ctx, e, o->in_where ? CG_OWNED_IN_WHERE : 0);
          return;
        }
        /* SQLite allows no aggregate inside another's arguments, even one
        ** of an enclosing query. */
        if (o->in_agg_args) cg_error_at(o->p, e, LODE_ERROR, "misuse of aggregate function %s()", e->text);
        /* The enclosing query's aggregate inside one of its own aggregates' arguments. */
        else if (o->in_own_agg_args) cg_error_at(o->p, e, LODE_ERROR, "misuse of aggregate: %s()", e->text);
        else
          o->fn(o->p, o->ctx, e,
                (o->in_where ? CG_OWNED_IN_WHERE : 0) | (o->in_bare_having ? CG_OWNED_IN_BARE_HAVING : 0));
        return;
      }
      int saved = o->in_agg_args;
      o->in_agg_args = 1;
      walk_expr(o, e->filter);
      for (int i = 0; e->args && i < e->args->n; i++) walk_expr(o, e->args->items[i]);
      for (int i = 0; e->agg_order && i < e->agg_order->n; i++) walk_expr(o, e->agg_order->items[i]);
      o->in_agg_args = saved;
      return;
    }
  }
  int saved_own = o->in_own_agg_args;
  if (o->depth == 0 && e->kind == EXPR_FUNCTION && !e->over && cg_first_aggregate(o->p, e) == e)
    o->in_own_agg_args = 1;
  if (e->select) walk_select(o, e->select, o->mode != OWNED_ALL && e->kind == EXPR_EXISTS && !e->select->next);
  walk_expr(o, e->left);
  walk_expr(o, e->right);
  walk_expr(o, e->escape);
  walk_expr(o, e->filter);
  for (int i = 0; e->args && i < e->args->n; i++) walk_expr(o, e->args->items[i]);
  for (int i = 0; e->agg_order && i < e->agg_order->n; i++) walk_expr(o, e->agg_order->items[i]);
  /* (A window query's own windows may hold its aggregates: SQLite computes
  ** those before the windows.) */
  if (!(o->home_only && o->depth == 0)) walk_window(o, e->over);
  o->in_own_agg_args = saved_own;
}

static void walk(Parse *p, const Select *home, int mode, const Expr *e, CgOwnedFn fn, void *ctx) {
  Owner o;
  memset(&o, 0, sizeof o);
  o.p = p;
  o.home = home;
  o.home_only = home && mode == OWNED_ALL;
  o.mode = mode;
  o.fn = fn;
  o.ctx = ctx;
  walk_expr(&o, e);
}

void cg_outer_owned_calls(Parse *p, const Expr *e, CgOwnedFn fn, void *ctx) { walk(p, NULL, OWNED_ALL, e, fn, ctx); }

void cg_outer_owned_calls_where(Parse *p, const Expr *e, CgOwnedFn fn, void *ctx) {
  walk(p, NULL, OWNED_NOT_EXISTS_RESULT, e, fn, ctx);
}

void cg_own_calls_before_from(Parse *p, const Select *s, const Expr *e, CgOwnedFn fn, void *ctx) {
  walk(p, s, OWNED_ALL, e, fn, ctx);
}

void cg_exists_result_calls(Parse *p, const Select *s, const Expr *e, CgOwnedFn fn, void *ctx) {
  walk(p, s, OWNED_EXISTS_RESULT, e, fn, ctx);
}

/* The bare names in the subqueries of an expression that none of the FROM
** clauses between may name: SQLite looks such a name up in the enclosing
** query next, its FROM first and then its result aliases. */
typedef struct NameWalk {
  Parse *p;
  const Select *chain[CG_MAX_OWNER_DEPTH];
  int depth;
  CgNameFn fn;
  void *ctx;
} NameWalk;

static void names_in_expr(NameWalk *w, const Expr *e);

static void names_in_select(NameWalk *w, const Select *s) {
  for (; s && w->p->rc == LODE_OK; s = s->next) {
    if (w->depth == CG_MAX_OWNER_DEPTH) return;
    w->chain[w->depth++] = s;
    for (int i = 0; s->columns && i < s->columns->n; i++) names_in_expr(w, s->columns->items[i]);
    for (int i = 0; s->group_by && i < s->group_by->n; i++) names_in_expr(w, s->group_by->items[i]);
    names_in_expr(w, s->having);
    for (int i = 0; i < s->norder; i++) names_in_expr(w, s->order_by[i].expr);
    names_in_expr(w, s->where);
    for (int i = 0; s->from && i < s->from->n; i++) names_in_expr(w, s->from->items[i].on);
    w->depth--;
  }
}

static void names_in_expr(NameWalk *w, const Expr *e) {
  if (!e || w->p->rc != LODE_OK) return;
  if (w->depth > 0 && e->kind == EXPR_COLUMN) {
    if (e->table || e->schema || e->bound) return;
    for (int i = 0; i < w->depth; i++)
      if (may_name_from(w->p, w->chain[i], e)) return;
    w->fn(w->p, w->ctx, e);
    return;
  }
  if (e->select) names_in_select(w, e->select);
  names_in_expr(w, e->left);
  names_in_expr(w, e->right);
  names_in_expr(w, e->escape);
  names_in_expr(w, e->filter);
  for (int i = 0; e->args && i < e->args->n; i++) names_in_expr(w, e->args->items[i]);
  for (int i = 0; e->agg_order && i < e->agg_order->n; i++) names_in_expr(w, e->agg_order->items[i]);
}

void cg_subquery_outer_names(Parse *p, const Expr *e, CgNameFn fn, void *ctx) {
  NameWalk w;
  memset(&w, 0, sizeof w);
  w.p = p;
  w.fn = fn;
  w.ctx = ctx;
  names_in_expr(&w, e);
}

const Expr *cg_outer_owned_copy(const Parse *p, const Expr *call) {
  for (int i = 0; i < p->nouter_owned; i++)
    if (p->outer_owned[i] == call) return p->outer_copies[i];
  return NULL;
}

int cg_is_outer_owned(const Parse *p, const Expr *call) { return cg_outer_owned_copy(p, call) != NULL; }
