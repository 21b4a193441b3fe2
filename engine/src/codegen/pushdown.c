/*
** pushdown.c — WHERE terms pushed into FROM subqueries and views.
**
** A FROM subquery (or a view) is coded as a query of its own whose rows the
** outer query then reads, so a WHERE term of the outer query that reads only
** that subquery's columns would otherwise filter rows only after the whole
** subquery ran: `SELECT * FROM v WHERE id = 5` would scan every row of v's
** table.  As SQLite's push-down optimisation does, such a term is also added
** to the subquery's own WHERE, its column references replaced by the
** subquery's result expressions, where the planner can use it (an index, a
** rowid seek).  The outer query keeps the term: pushing only removes rows the
** term would remove anyway.
**
** A term is pushed only when that cannot change the result:
**   - the subquery has no LIMIT/OFFSET, and is one core or a UNION ALL of
**     cores (the term goes into each core that can take it: the outer
**     query still tests every row);
**   - a core has no DISTINCT, window function or HAVING without GROUP BY;
**     an aggregate core takes only terms on its GROUP BY columns, and only
**     columns of BINARY collation (the term keeps or drops whole groups
**     then, as SQLite's move of such HAVING terms into WHERE does; under
**     NOCASE 'a' and 'A' make one group that GLOB would split);
**   - the subquery is not the right side of an outer join and the FROM has no
**     RIGHT or FULL join (NULL-extended rows would see the term differently);
**   - the columns it reads are result columns that are plain column
**     references (or a `*` over a single core's single table), by a name
**     that is unique among the result columns, qualified by the subquery's
**     name when the FROM has other items;
**   - it contains nothing that could differ between two evaluations or see
**     another query: no subquery, no function outside a short list of
**     deterministic built-ins, no window or aggregate call.
*/
#include <string.h>

#include "codegen/cg.h"
#include "sql/parser.h"

typedef struct PushCtx {
  Parse *p;
  const Select *sub;       /* the first core: its results name the columns */
  const Select *core;      /* the core the term goes into */
  int grouped;             /* core is an aggregate with GROUP BY */
  const char *name;        /* the FROM item's name (alias or view name), or NULL */
  int multi;               /* the FROM has other items: references must be qualified */
  const char *const *cols; /* the view's column list (CREATE VIEW v(a, b)), or NULL */
  int ncols;
  Table *star;             /* the subquery's single base table, when its results use `*` */
} PushCtx;

/* Deterministic built-ins a pushed term may call. */
static int pushable_function(const Expr *e) {
  static const char *const ok[] = {"abs", "coalesce", "ifnull", "length", "lower", "upper", "substr", "substring",
                                   "trim", "ltrim", "rtrim", "instr", "round", "typeof", "nullif", "hex", "iif"};
  if (e->over || e->filter || e->distinct || e->star || e->agg_order) return 0;
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    if (util_stricmp(e->text, ok[i]) == 0) return 1;
  return 0;
}

/* The collation of column reference e of core k's FROM (before names are
** resolved): -1 unless exactly one of its base tables has the column. */
static int from_column_collation(Parse *p, const Select *k, const Expr *e) {
  int coll = -1, hits = 0;
  for (int i = 0; i < k->from->n; i++) {
    const SrcItem *it = &k->from->items[i];
    if (it->subquery || it->is_call || !it->name || it->schema || p->with) return -1;
    const char *nm = it->alias ? it->alias : it->name;
    if (e->table && util_stricmp(e->table, nm) != 0) continue;
    Table *t = cg_lookup_table(p, NULL, it->name);
    if (!t) return -1;
    for (int j = 0; j < t->ncols; j++)
      if (util_stricmp(t->cols[j].name, e->text) == 0) hits++, coll = t->cols[j].coll;
  }
  return hits == 1 ? coll : -1;
}

/* Whether result expression e of a grouped core is one of its GROUP BY
** columns, of BINARY collation, by a name no result alias takes over. */
static int group_column(const PushCtx *c, const Expr *e) {
  const ExprList *r = c->core->columns, *g = c->core->group_by;
  for (int i = 0; i < r->n; i++)
    if (r->names && r->names[i] && util_stricmp(r->names[i], e->text) == 0 && r->items[i] != e) return 0;
  if (from_column_collation(c->p, c->core, e) != COLL_BINARY) return 0;
  for (int i = 0; g && i < g->n; i++) {
    const Expr *k = g->items[i];
    if (k->kind == EXPR_COLUMN && !k->schema && util_stricmp(k->text, e->text) == 0 &&
        (k->table == NULL) == (e->table == NULL) && (!k->table || util_stricmp(k->table, e->table) == 0))
      return 1;
  }
  return 0;
}

/* Result i of the core the term goes into, if a plain column it may read.
** In a compound the column must also compare as the compound's does: in
** the collation of the first core's column. */
static const Expr *core_column(const PushCtx *c, int i) {
  const ExprList *r = c->core->columns;
  const Expr *e = i < r->n ? r->items[i] : NULL;
  if (!e || e->kind != EXPR_COLUMN) return NULL;
  if (c->grouped && !group_column(c, e)) return NULL;
  if (c->sub->next) {
    const Expr *first = c->sub->columns->items[i];
    int coll = first->kind == EXPR_COLUMN ? from_column_collation(c->p, c->sub, first) : -1;
    if (coll < 0 || from_column_collation(c->p, c->core, e) != coll) return NULL;
  }
  return e;
}

/* The result expression the subquery gives column `col`, or NULL when there
** is none, several, or one that is not a plain column. */
static const Expr *result_column(PushCtx *c, const char *col) {
  const ExprList *r = c->sub->columns;
  const Expr *found = NULL;
  int hits = 0;
  if (c->cols) { /* a view's column list names the results by position */
    for (int i = 0; i < c->ncols && i < r->n; i++) {
      if (util_stricmp(c->cols[i], col) != 0) continue;
      hits++;
      found = core_column(c, i);
    }
    return hits == 1 && c->ncols == r->n ? found : NULL;
  }
  for (int i = 0; i < r->n; i++) {
    const Expr *e = r->items[i];
    if (e->kind == EXPR_STAR) {
      if (!c->star) return NULL; /* names we cannot see */
      for (int j = 0; j < c->star->ncols; j++) {
        if (c->star->cols[j].hidden || util_stricmp(c->star->cols[j].name, col) != 0) continue;
        Expr *x = arena_alloc(&c->p->arena, sizeof *x);
        if (!x) return NULL;
        x->kind = EXPR_COLUMN;
        x->text = c->star->cols[j].name;
        x->n = (int)strlen(x->text);
        x->src = e->src;
        x->offset = e->offset;
        hits++;
        found = x;
      }
      continue;
    }
    const char *nm = r->names && r->names[i] ? r->names[i]
                   : e->kind == EXPR_COLUMN ? e->text
                   : r->spans ? r->spans[i] : NULL;
    if (!nm || util_stricmp(nm, col) != 0) continue;
    hits++;
    found = core_column(c, i);
  }
  return hits == 1 ? found : NULL;
}

/* Whether term e may be pushed (see the top); *cols counts its column references. */
static int pushable(PushCtx *c, const Expr *e, int *cols) {
  if (!e) return 1;
  switch (e->kind) {
  case EXPR_NULL:
  case EXPR_INTEGER:
  case EXPR_FLOAT:
  case EXPR_STRING:
  case EXPR_BLOB:
  case EXPR_PARAM: return 1;
  case EXPR_COLUMN:
    if (e->schema || e->bound || e->bound_column) return 0;
    if (e->table ? !c->name || util_stricmp(e->table, c->name) != 0 : c->multi) return 0;
    (*cols)++;
    return result_column(c, e->text) != NULL;
  case EXPR_FUNCTION:
    if (!pushable_function(e)) return 0;
    break;
  case EXPR_CAST:
  case EXPR_COLLATE:
  case EXPR_LIKE:
  case EXPR_CASE:
  case EXPR_UNARY:
  case EXPR_BINARY:
  case EXPR_ISNULL:
  case EXPR_NOTNULL:
  case EXPR_IS:
  case EXPR_BETWEEN:
  case EXPR_IN_LIST:
  case EXPR_VECTOR: break;
  default: return 0;
  }
  if (!pushable(c, e->left, cols) || !pushable(c, e->right, cols) || !pushable(c, e->escape, cols)) return 0;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (!pushable(c, e->args->items[i], cols)) return 0;
  return 1;
}

/* Replaces the column references of e (a fresh copy) by the subquery's result expressions. */
static int substitute(PushCtx *c, Expr *e) {
  if (!e) return 1;
  if (e->kind == EXPR_COLUMN) {
    const Expr *r = result_column(c, e->text);
    Expr *x = r ? ast_copy_expr(&c->p->arena, r) : NULL;
    if (!x) return 0;
    *e = *x;
    return 1;
  }
  if (!substitute(c, e->left) || !substitute(c, e->right) || !substitute(c, e->escape)) return 0;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (!substitute(c, e->args->items[i])) return 0;
  return 1;
}

static int has_window_or_aggregate(Parse *p, const Select *s) {
  for (int i = 0; i < s->columns->n; i++) {
    const Expr *e = s->columns->items[i];
    if (e->kind != EXPR_STAR && cg_expr_has_aggregate(p, e)) return 1;
  }
  return s->nwindows > 0 || cg_select_has_window(s);
}

/* Adds the pushable AND-terms of e to *where. */
static void push_terms(PushCtx *c, const Expr *e, Expr **where) {
  int cols = 0;
  if (!e || c->p->rc != LODE_OK) return;
  if (e->kind == EXPR_BINARY && e->op == TK_AND) {
    push_terms(c, e->left, where);
    push_terms(c, e->right, where);
    return;
  }
  if (!pushable(c, e, &cols) || cols == 0) return;
  Expr *t = ast_copy_expr(&c->p->arena, e);
  if (!t || !substitute(c, t)) return;
  *where = cg_and(c->p, *where, t);
}

/* Whether a term may go into core k of the subquery (see the top). */
static int core_takes_terms(Parse *p, const Select *k, const Select *first) {
  if (k->distinct || !k->columns || !k->from || k->from->n == 0 || k->values_row || k->nwindows > 0 ||
      cg_select_has_window(k) || (k->having && !k->group_by))
    return 0;
  if (k->columns->n != first->columns->n) return 0;
  if (k->group_by) return 1;
  return !has_window_or_aggregate(p, k);
}

const Select *cg_push_down(Parse *p, const Select *outer, int item, const Select *sub, const char *name,
                           const char *const *cols, int ncols) {
  PushCtx c;
  const SrcList *from = outer ? outer->from : NULL;
  /* Copies of terms would be names the authorizer hears of again (Parse.auth). */
  if (!from || item < 0 || item >= from->n || !outer->where || !sub || p->auth || p->rc != LODE_OK) return sub;
  if (sub->limit || sub->offset || !sub->columns || sub->with || sub->compound_body) return sub;
  int jt = from->items[item].join_type;
  if (jt == JOIN_LEFT || jt == JOIN_RIGHT || jt == JOIN_FULL) return sub;
  for (int i = 0; i < from->n; i++)
    if (from->items[i].join_type == JOIN_RIGHT || from->items[i].join_type == JOIN_FULL) return sub;
  for (const Select *k = sub; k; k = k->next) {
    if (k->next && k->compound_op != TK_UNION_ALL) return sub;
    /* a compound's arms are matched to its names by position */
    for (int i = 0; sub->next && k->columns && i < k->columns->n; i++)
      if (k->columns->items[i]->kind == EXPR_STAR) return sub;
  }
  memset(&c, 0, sizeof c);
  c.p = p;
  c.sub = sub;
  c.name = name;
  c.multi = from->n > 1;
  c.cols = cols;
  c.ncols = ncols;
  const SrcItem *only = !sub->next && sub->from && sub->from->n == 1 ? &sub->from->items[0] : NULL;
  /* `*` over one base table (not a CTE of that name, nor a temp table to open) */
  if (only && !only->subquery && !only->is_call && only->name && !p->with && !only->schema &&
      util_strnicmp(only->name, "sqlite_temp_", 12) != 0)
    c.star = cg_lookup_table(p, NULL, only->name);
  Select *head = NULL, **tail = &head;
  int pushed = 0;
  for (const Select *k = sub; k; k = k->next) {
    Expr *where = NULL;
    if (core_takes_terms(p, k, sub)) {
      c.core = k;
      c.grouped = k->group_by != NULL;
      push_terms(&c, outer->where, &where);
    }
    if (p->rc != LODE_OK) return sub;
    Select *copy = arena_alloc(&p->arena, sizeof *copy);
    if (!copy) return sub;
    *copy = *k;
    if (where) {
      copy->where = cg_and(p, k->where, where);
      pushed = 1;
    }
    *tail = copy;
    tail = &copy->next;
  }
  return pushed ? head : sub;
}
