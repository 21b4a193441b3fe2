/*
** ast_copy.c — deep copies of SELECT trees, and walks of expression trees
** that both the planner and codegen make (ast_has_collate).
**
** Codegen annotates the tree it compiles (column bindings, the compound
** flag), so a tree compiled twice must be two trees: a CTE's body is copied
** at each use.  Strings are shared, they are never changed; so is a WITH
** clause nested inside, whose bodies are in turn copied when used.
*/
#include <string.h>

#include "sql/ast.h"

typedef struct Copier {
  Arena *arena;
  int oom;
} Copier;

static void *dup_bytes(Copier *c, const void *src, size_t n) {
  void *d;
  if (!src || n == 0) return NULL;
  d = arena_alloc(c->arena, n);
  if (!d) {
    c->oom = 1;
    return NULL;
  }
  memcpy(d, src, n);
  return d;
}

static Select *copy_select(Copier *c, const Select *s);
static ExprList *copy_list(Copier *c, const ExprList *l);
static Expr *copy_expr(Copier *c, const Expr *e);

static OrderTerm *copy_order(Copier *c, const OrderTerm *o, int n) {
  OrderTerm *d = dup_bytes(c, o, sizeof(*o) * (size_t)n);
  if (d)
    for (int i = 0; i < n; i++) d[i].expr = copy_expr(c, o[i].expr);
  return d;
}

static Window *copy_window(Copier *c, const Window *w) {
  Window *d;
  if (!w) return NULL;
  d = dup_bytes(c, w, sizeof *w);
  if (!d) return NULL;
  d->partition = copy_list(c, w->partition);
  d->order_by = copy_order(c, w->order_by, w->norder);
  d->start = copy_expr(c, w->start);
  d->end = copy_expr(c, w->end);
  return d;
}

static Expr *copy_expr(Copier *c, const Expr *e) {
  Expr *d;
  if (!e) return NULL;
  d = dup_bytes(c, e, sizeof *e);
  if (!d) return NULL;
  d->bound = 0; /* the copy is bound where it is compiled */
  d->left = copy_expr(c, e->left);
  d->right = copy_expr(c, e->right);
  d->escape = copy_expr(c, e->escape);
  d->args = copy_list(c, e->args);
  d->select = copy_select(c, e->select);
  d->filter = copy_expr(c, e->filter);
  d->over = copy_window(c, e->over);
  d->agg_order = copy_list(c, e->agg_order);
  if (e->agg_order) d->agg_order_flags = dup_bytes(c, e->agg_order_flags, (size_t)e->agg_order->n);
  return d;
}

static ExprList *copy_list(Copier *c, const ExprList *l) {
  ExprList *d;
  if (!l) return NULL;
  d = dup_bytes(c, l, sizeof *l);
  if (!d) return NULL;
  d->items = dup_bytes(c, l->items, sizeof(*l->items) * (size_t)l->n);
  d->names = dup_bytes(c, l->names, sizeof(*l->names) * (size_t)l->n);
  d->spans = dup_bytes(c, l->spans, sizeof(*l->spans) * (size_t)l->n);
  if (d->items)
    for (int i = 0; i < l->n; i++) d->items[i] = copy_expr(c, l->items[i]);
  return d;
}

static SrcList *copy_from(Copier *c, const SrcList *f) {
  SrcList *d;
  if (!f) return NULL;
  d = dup_bytes(c, f, sizeof *f);
  if (!d) return NULL;
  d->items = dup_bytes(c, f->items, sizeof(*f->items) * (size_t)f->n);
  if (d->items) {
    for (int i = 0; i < f->n; i++) {
      d->items[i].subquery = copy_select(c, f->items[i].subquery);
      d->items[i].on = copy_expr(c, f->items[i].on);
      d->items[i].args = copy_list(c, f->items[i].args);
      d->items[i].using_on = NULL; /* made again where the copy is coded */
    }
  }
  return d;
}

static Select *copy_select(Copier *c, const Select *s) {
  Select *d;
  if (!s) return NULL;
  d = dup_bytes(c, s, sizeof *s);
  if (!d) return NULL;
  d->columns = copy_list(c, s->columns);
  d->from = copy_from(c, s->from);
  d->where = copy_expr(c, s->where);
  d->group_by = copy_list(c, s->group_by);
  d->having = copy_expr(c, s->having);
  d->order_by = copy_order(c, s->order_by, s->norder);
  d->windows = dup_bytes(c, s->windows, sizeof(*s->windows) * (size_t)s->nwindows);
  if (d->windows)
    for (int i = 0; i < s->nwindows; i++) d->windows[i] = copy_window(c, s->windows[i]);
  d->limit = copy_expr(c, s->limit);
  d->offset = copy_expr(c, s->offset);
  d->next = copy_select(c, s->next);
  d->compound_body = 0;
  return d;
}

Expr *ast_copy_expr(Arena *arena, const Expr *e) {
  Copier c = {arena, 0};
  Expr *d = copy_expr(&c, e);
  return c.oom ? NULL : d;
}

Select *ast_copy_select(Arena *arena, const Select *s) {
  Copier c = {arena, 0};
  Select *d = copy_select(&c, s);
  return c.oom ? NULL : d;
}

int ast_has_collate(const Expr *e) {
  if (!e) return 0;
  if (e->kind == EXPR_COLLATE) return 1;
  if (e->kind == EXPR_REGISTER) return 0;
  if (ast_has_collate(e->left) || ast_has_collate(e->right) || ast_has_collate(e->escape)) return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (ast_has_collate(e->args->items[i])) return 1;
  return 0;
}

const Expr *ast_collate_operand(const Expr *e) {
  if (e->kind == EXPR_LIKE && ast_has_collate(e->right)) return e->right;
  if (ast_has_collate(e->left)) return e->left;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (ast_has_collate(e->args->items[i])) return e->args->items[i];
  if (ast_has_collate(e->right)) return e->right;
  return ast_has_collate(e->escape) ? e->escape : NULL;
}
