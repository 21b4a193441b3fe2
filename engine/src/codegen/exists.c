/*
** exists.c — EXISTS subqueries of WHERE joined to the query (a semi-join),
** as SQLite 3.53 plans them.
**
** A term "EXISTS (SELECT … FROM t WHERE w)" of a query's WHERE (one of its
** top-level AND terms) would run its subquery once per row of the loops
** that test it.  Instead t becomes one more loop of the query, whose terms
** are w's, and the EXISTS a TRUE term: the planner orders that loop with the
** others (after the items w reads), and the loop stops at its first row
** that reaches the loops inside it (loops.c), so each outer row is counted
** once however many rows of t match.  EXPLAIN QUERY PLAN shows it as
** "SEARCH t EXISTS …".
**
** Which EXISTS qualify, as SQLite 3.53 chooses them (found by comparing
** plans with it, test/diff53/exists_join.sql): the query has no OFFSET,
** and fewer than 64 FROM items with the tables joined so far; the subquery is one core over one table (a virtual table
** or table-valued function too; not a view, CTE or FROM subquery), without
** aggregate, GROUP BY, HAVING, LIMIT or OFFSET.  Correlated or not; its
** result columns, DISTINCT, ORDER BY and window calls do not matter.  EXISTS under NOT, OR, a comparison or
** in an ON clause, HAVING or an UPDATE or DELETE's own WHERE stays a
** subquery.  Lode keeps the subquery too when it has a result alias, an
** aggregate call in its WHERE, a WITH clause and a subquery in its WHERE, or
** its table or the query's one table has an index method (Lode's own).
**
** Names: the subquery is first coded as it would run (and the code
** dropped), which reports whatever it would report.  Its table then joins
** the scope after the query's own items (Scope.nexists): no name of the
** query reaches it.  A copy of its WHERE is bound as inside the subquery
** (its table first, then the query's items and those around them) and then
** in the query's terms; a subquery inside that WHERE is coded later, when
** the term is, with Parse.exists_scope making the table reachable first
** again (loops.c).
*/
#include <string.h>

#include "codegen/cg.h"
#include "sql/token.h"

/* Whether e calls an aggregate function outside a window (not inside its subqueries). */
static int calls_aggregate(Parse *p, const Expr *e) {
  if (!e) return 0;
  if (e->kind == EXPR_FUNCTION && !e->over) {
    if (cg_is_outer_owned(p, e)) return 0; /* an enclosing query's, or computed nowhere */
    int exists = 0;
    const FuncDef *f = func_lookup(p->db->funcs, e->text, e->star ? 0 : (e->args ? e->args->n : 0), &exists);
    if (f && (f->flags & FUNC_AGGREGATE)) return 1;
  }
  if (calls_aggregate(p, e->left) || calls_aggregate(p, e->right) || calls_aggregate(p, e->escape) ||
      calls_aggregate(p, e->filter))
    return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (calls_aggregate(p, e->args->items[i])) return 1;
  return 0;
}

/* Whether sub is a subquery EXISTS may join: one FROM item, a table or a
** table-valued function (a virtual table). */
static int joinable(Parse *p, const Select *sub) {
  if (!sub || sub->next || sub->group_by || sub->having || sub->limit || sub->offset || !sub->columns || !sub->from ||
      sub->from->n != 1)
    return 0;
  const SrcItem *src = &sub->from->items[0];
  int db;
  if (src->subquery || !src->name || (!src->schema && cg_is_cte_name(p, src->name)) ||
      cg_lookup_view(p, src->schema, src->name, &db))
    return 0;
  /* Its own WITH clause: the table is none of its CTEs, and its WHERE (coded
  ** in the query, without them) reaches none either. */
  for (int i = 0; sub->with && i < sub->with->n; i++)
    if (!src->schema && util_stricmp(sub->with->ctes[i].name, src->name) == 0) return 0;
  if (sub->with && cg_expr_has_subquery(sub->where)) return 0;
  Table *t = cg_lookup_table(p, src->schema, src->name);
  if (t ? t->method_indexes || (src->is_call && !t->vtab_module) : !src->is_call || !cg_find_module(p, src->name))
    return 0;
  for (int i = 0; i < sub->columns->n; i++)
    if ((sub->columns->names && sub->columns->names[i]) || calls_aggregate(p, sub->columns->items[i])) return 0;
  for (int i = 0; i < sub->norder; i++)
    if (calls_aggregate(p, sub->order_by[i].expr)) return 0;
  return !calls_aggregate(p, sub->where);
}

/* TRUE (the integer 1), where term `at` was: a WHERE term that holds for every row. */
static Expr *true_literal(Parse *p, const Expr *at) {
  Expr *e = arena_alloc(&p->arena, sizeof *e);
  if (!e) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return (Expr *)at;
  }
  e->kind = EXPR_INTEGER;
  e->text = "1";
  e->n = 1;
  e->ival = 1;
  e->src = at->src;
  e->offset = at->offset;
  return e;
}

/* Notes the EXISTS terms among e's AND-ed terms that join; NULL when e is one (its place takes TRUE), else e or
** a copy of its ANDs without them. */
static Expr *take_exists(Parse *p, Expr *e, ExistsJoins *ej, int nfrom) {
  if (e->kind == EXPR_BINARY && e->op == TK_AND) {
    Expr *l = take_exists(p, e->left, ej, nfrom), *r = take_exists(p, e->right, ej, nfrom);
    if (l == e->left && r == e->right) return e;
    Expr *copy = arena_alloc(&p->arena, sizeof *copy);
    if (!copy) return e;
    *copy = *e;
    copy->left = l ? l : true_literal(p, e->left);
    copy->right = r ? r : true_literal(p, e->right);
    return copy;
  }
  if (e->kind != EXPR_EXISTS || nfrom + ej->n >= PLAN_MAX_ITEMS || !joinable(p, e->select)) return e;
  const Expr **grown = arena_alloc(&p->arena, sizeof *grown * (size_t)(ej->n + 1));
  if (!grown) return e;
  if (ej->n) memcpy(grown, ej->terms, sizeof *grown * (size_t)ej->n);
  grown[ej->n++] = e;
  ej->terms = grown;
  return NULL;
}

const Select *cg_exists_to_join(Parse *p, const Select *s, ExistsJoins *ej) {
  memset(ej, 0, sizeof *ej);
  /* ALTER TABLE RENAME finds its names through the subqueries as written, and
  ** the authorizer hears of them there (Parse.auth). */
  if (!s->where || s->offset || p->rename || p->auth || p->rc != LODE_OK) return s;
  int nfrom = s->from ? s->from->n : 0;
  /* One table with an index method: its query may be the method's (loops.c), which a join would rule out. */
  const SrcItem *only = nfrom == 1 ? &s->from->items[0] : NULL;
  const Table *t = NULL;
  if (only && only->name && !only->subquery && !only->is_call) t = cg_lookup_table(p, only->schema, only->name);
  if (t && t->method_indexes) return s;
  Expr *where = take_exists(p, s->where, ej, nfrom);
  if (ej->n == 0) return s;
  Select *copy = arena_alloc(&p->arena, sizeof *copy);
  if (!copy) {
    ej->n = 0;
    return s;
  }
  *copy = *s;
  copy->where = where ? where : true_literal(p, s->where);
  return copy;
}

/* The bindings of e (bound as inside the subquery: its table item 0 of the
** innermost scope) in terms of the query's scope, whose item `item` the
** table now is. */
static void rebind(Expr *e, int item) {
  if (!e) return;
  if (e->kind == EXPR_COLUMN && e->bound) {
    if (e->bind_depth == 0) e->bind_item = item;
    else e->bind_depth--;
  }
  rebind(e->left, item);
  rebind(e->right, item);
  rebind(e->escape, item);
  rebind(e->filter, item);
  for (int i = 0; e->args && i < e->args->n; i++) rebind(e->args->items[i], item);
}

/* The columns of t (named name in the subquery) that e names: bit c for
** column c (63: past 62); all of them for a `*` or a subquery inside. */
static uint64_t columns_named(const Table *t, const char *name, const Expr *e) {
  if (!e) return 0;
  if (e->select || (e->kind == EXPR_STAR && (!e->table || util_stricmp(e->table, name) == 0))) return ~(uint64_t)0;
  if (e->kind == EXPR_COLUMN && !e->schema && (!e->table || util_stricmp(e->table, name) == 0)) {
    int c = table_column_index(t, e->text);
    return c >= 0 ? (uint64_t)1 << (c < 63 ? c : 63) : 0;
  }
  uint64_t m = columns_named(t, name, e->left) | columns_named(t, name, e->right) | columns_named(t, name, e->escape) |
               columns_named(t, name, e->filter);
  for (int i = 0; e->args && i < e->args->n; i++) m |= columns_named(t, name, e->args->items[i]);
  for (int i = 0; e->over && e->over->partition && i < e->over->partition->n; i++)
    m |= columns_named(t, name, e->over->partition->items[i]);
  for (int i = 0; e->over && i < e->over->norder; i++) m |= columns_named(t, name, e->over->order_by[i].expr);
  return m;
}

/* Unbound copies of a table-valued function's arguments (the trial bound its own ones inside the subquery). */
static ExprList *copy_args(Parse *p, const ExprList *args) {
  ExprList *l = args ? arena_alloc(&p->arena, sizeof *l) : NULL;
  if (l) l->items = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)(args->n ? args->n : 1));
  if (!l || !l->items) {
    if (args) cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  for (l->n = 0; l->n < args->n; l->n++) {
    if (!(l->items[l->n] = ast_copy_expr(&p->arena, args->items[l->n]))) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return NULL;
    }
  }
  return l;
}

/* Opens the table of EXISTS term e as the next joined item of scope. */
static void open_exists(Parse *p, const Expr *e, Scope *scope) {
  const Select *sub = e->select;
  const SrcItem *src = &sub->from->items[0];
  cg_subquery_trial(p, e);
  if (p->rc != LODE_OK) return;
  int item = scope->n + scope->nexists;
  ScopeItem *it = &scope->items[item];
  memset(it, 0, sizeof *it);
  Table *t = src->is_call ? NULL : cg_find_table_in(p, src->schema, src->name);
  if (t) it->explain_name = cg_explain_name(p, src);
  if (src->is_call) { /* a table-valued function: its arguments bound as in the subquery, below */
    if (!cg_open_call(p, src, it)) return;
    it->vtab_args = copy_args(p, src->args);
    if (src->args && !it->vtab_args) return;
  } else if (!t) {
    return;
  } else if (t->vtab_module) {
    const VtabModule *m = cg_table_module(p, t);
    if (!m || !cg_open_vtab(p, src, m, it)) return;
  } else {
    it->name = src->alias ? src->alias : t->root == BTREE_SCHEMA_ROOT ? cg_schema_table_name(t) : t->name;
    it->aliased = src->alias != NULL;
    it->table = t;
    it->cursor = cg_cursor(p);
    it->sorter = -1;
    it->not_indexed = src->not_indexed;
    if (src->indexed_by && !(it->indexed_by = cg_find_index_of(p, t, src->indexed_by))) return;
    cg_open_table(p, t, it->cursor, OP_OpenRead);
    /* The columns its result and ORDER BY name count as read, as in SQLite,
    ** whose names were resolved before the subquery joined. */
    for (int i = 0; i < sub->columns->n; i++) it->cols_used |= columns_named(t, it->name, sub->columns->items[i]);
    for (int i = 0; i < sub->norder; i++) it->cols_used |= columns_named(t, it->name, sub->order_by[i].expr);
  }
  Expr *w = sub->where ? ast_copy_expr(&p->arena, sub->where) : NULL;
  if (sub->where && !w) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  /* Its WHERE and its arguments see its own columns first (an argument that
  ** names one reads it before the table is positioned, as in SQLite). */
  Scope own = {1, it, scope, 0};
  Scope *saved = p->scope;
  p->scope = &own;
  cg_bind_names(p, w);
  for (int i = 0; it->vtab_args && i < it->vtab_args->n; i++) cg_bind_names(p, it->vtab_args->items[i]);
  p->scope = saved;
  rebind(w, item);
  for (int i = 0; it->vtab_args && i < it->vtab_args->n; i++) rebind(it->vtab_args->items[i], item);
  it->exists_where = w;
  scope->nexists++;
}

void cg_exists_open(Parse *p, const ExistsJoins *ej, Scope *scope) {
  for (int i = 0; i < ej->n && p->rc == LODE_OK; i++) open_exists(p, ej->terms[i], scope);
}
