/*
** outer_join.c — outer joins that the WHERE clause makes inner.
**
** A LEFT JOIN's row that found no match on its right has NULL in every column
** of the right item.  When a term of WHERE cannot be true on such a row
** ("a LEFT JOIN b ON a.x = b.x WHERE b.y = 5"), those rows never reach the
** result: the join is an inner one, which the planner may reorder (b first,
** through an index on b.y).  Likewise a term that needs a row of an item left
** of a RIGHT JOIN drops the RIGHT JOIN's rows of NULLs on the left, and a
** FULL JOIN loses one side or the other.  SQLite 3.53 rewrites such joins
** before it plans; so does cg_simplify_joins, on the syntax tree before the
** FROM is opened, so that what follows sees the joins as SQLite's planner
** does: a FROM subquery or view on the right of a join made inner may be
** flattened or take pushed-down terms, and a first FROM subquery is
** materialised rather than run as a co-routine.
**
** The rule is SQLite's, found by comparing plans with it
** (test/diff53/left_join_simplify.sql):
**   - WHERE and the clauses of the joins are read as one chain of ANDs: the
**     WHERE, then each join's ON clause (or each equality its USING or
**     NATURAL stands for) in FROM order.  An outer join's clause counts for
**     nothing while that join is still outer; when the item checked lies
**     left of a RIGHT or FULL join, no inner join's clause counts either;
**   - the first term of the chain, and the left side of each AND met going
**     down the right side of a term, are looked at whole: "x IS NOT NULL"
**     needs a row of the items x needs, and likely(), unlikely(),
**     likelihood() and COLLATE are looked through; every other term is
**     looked at as an expression (below);
**   - an expression needs a row of item i when one of its column references
**     names i, not counting those inside IS, IS NOT, IS [NOT] NULL, CASE,
**     a function call (LIKE, GLOB, coalesce(), ifnull() among them), a row
**     value or a subquery; an IN list counts only its left side (an empty
**     list nothing), BETWEEN its left side or both bounds, AND and OR only
**     when both sides need the row; a comparison with a virtual table's
**     column on either side counts nothing (a virtual table may take x = NULL
**     as a constraint of its own);
**   - an AND with a literal 0 on either side was folded to 0 by SQLite's
**     parser: it needs nothing;
**   - the items are taken in FROM order, each once, with what the joins
**     before it became: a LEFT JOIN becomes inner (a FULL JOIN a RIGHT one),
**     and an item left of a RIGHT or FULL join makes every such join after it
**     inner (a FULL JOIN a LEFT one).
**
** Names are resolved here as name resolution later will, or not at all (a
** term then needs nothing, which keeps the join outer: a plan SQLite may not
** make, never a lost row): a qualified name names the one FROM item so
** named; an unqualified one the one table of a FROM of plain tables (no
** view, subquery or virtual table, no USING or NATURAL) that has the column,
** or else a result column's alias, whose expression then stands in its
** place.  A query with USING or NATURAL and a RIGHT or FULL join is left
** alone: its unqualified USING columns name the coalesce of both sides, and
** what they name must not change.
*/
#include <string.h>

#include "codegen/cg.h"
#include "plan/plan.h"
#include "sql/parser.h"

#define ITEM_TABLE 1 /* a plain table: its columns are known */
#define ITEM_VTAB 2  /* a virtual table or table-valued function (or a name not known here) */
#define ITEM_OTHER 3 /* a view, CTE or FROM subquery */

/* One AND of the chain: a WHERE term, an ON clause, or one equality of a
** USING (left_item's and owner's column of that name; left_item -1 when the
** item that has it is not known here). */
typedef struct Link {
  const Expr *e;
  int owner;     /* the item whose clause it is, -1 for WHERE */
  int is_using;
  int left_item;
} Link;

typedef struct Simp {
  Parse *p;
  const Select *s;
  int n;
  int kind[PLAN_MAX_ITEMS];
  Table *tab[PLAN_MAX_ITEMS];
  int join[PLAN_MAX_ITEMS]; /* the join types, as they become */
  int tables_known;         /* every item a plain table: which one has a column is known */
  int unqualified_ok;       /* and no USING or NATURAL: an unqualified name names the one that has it */
  int vtab_near;            /* this query or an enclosing one reads a virtual table */
  Link *links;
  int nlinks;
} Simp;

static int is_outer(int jt) { return jt == JOIN_LEFT || jt == JOIN_RIGHT || jt == JOIN_FULL; }
static int is_right(int jt) { return jt == JOIN_RIGHT || jt == JOIN_FULL; }

static const char *visible_name(const SrcItem *it) { return it->alias ? it->alias : it->name; }

static int item_kind(Parse *p, const SrcItem *it, Table **t) {
  int db;
  *t = NULL;
  if (it->subquery) return ITEM_OTHER;
  if (it->is_call || !it->name) return ITEM_VTAB;
  if (!it->schema && cg_is_cte_name(p, it->name)) return ITEM_OTHER;
  if (cg_lookup_view(p, it->schema, it->name, &db)) return ITEM_OTHER;
  Table *found = cg_lookup_table(p, it->schema, it->name);
  if (!found || found->vtab_module) return ITEM_VTAB; /* an eponymous module's, or an error to come */
  *t = found;
  return ITEM_TABLE;
}

/* The FROM item column reference e names, -1 when it names none of them or
** this cannot tell. */
static int column_item(const Simp *c, const Expr *e) {
  if (e->kind != EXPR_COLUMN || e->schema || e->bound) return -1;
  const SrcList *from = c->s->from;
  int hit = -1;
  for (int i = 0; i < c->n; i++) {
    if (e->table) {
      const char *nm = visible_name(&from->items[i]);
      if (!nm || util_stricmp(nm, e->table) != 0) continue;
    } else {
      if (!c->unqualified_ok || table_column_index(c->tab[i], e->text) < 0) continue;
    }
    if (hit >= 0) return -1; /* ambiguous: an error to come */
    hit = i;
  }
  return hit;
}

/* Whether comparison operand e may be a virtual table's column. */
static int vtab_operand(const Simp *c, const Expr *e) {
  if (e->kind != EXPR_COLUMN) return 0;
  int k = column_item(c, e);
  if (k >= 0) return c->kind[k] == ITEM_VTAB;
  return c->vtab_near; /* an enclosing query's, or a name not resolved here */
}

/* SQLite's parser folds an AND with a literal 0 on either side to 0. */
static int always_false(const Expr *e) {
  if (!e) return 0;
  if (e->kind == EXPR_INTEGER) return e->ival == 0 && !e->too_big;
  return e->kind == EXPR_BINARY && e->op == TK_AND && (always_false(e->left) || always_false(e->right));
}

static int is_and(const Expr *e) { return e && e->kind == EXPR_BINARY && e->op == TK_AND && !always_false(e); }

static int is_comparison(int op) {
  return op == TK_EQ || op == TK_NE || op == TK_LT || op == TK_LE || op == TK_GT || op == TK_GE;
}

/* Whether expression e is NULL (or false) on a row of NULLs of item.
** bounds: BETWEEN's bounds count (not in the clause of an outer join made
** inner: SQLite leaves them marked as the outer join's). */
static int needs_row(const Simp *c, const Expr *e, int item, int bounds) {
  if (!e) return 0;
  switch (e->kind) {
  case EXPR_COLUMN: return column_item(c, e) == item;
  case EXPR_UNARY:
  case EXPR_CAST:
  case EXPR_COLLATE: return needs_row(c, e->left, item, bounds);
  case EXPR_IN_LIST: return e->args && e->args->n > 0 && needs_row(c, e->left, item, bounds);
  case EXPR_BETWEEN:
    return needs_row(c, e->left, item, bounds) ||
           (bounds && e->args && e->args->n == 2 && needs_row(c, e->args->items[0], item, bounds) &&
            needs_row(c, e->args->items[1], item, bounds));
  case EXPR_BINARY:
    if (e->op == TK_AND || e->op == TK_OR)
      return !always_false(e) && needs_row(c, e->left, item, bounds) && needs_row(c, e->right, item, bounds);
    if (is_comparison(e->op) && (vtab_operand(c, e->left) || vtab_operand(c, e->right))) return 0;
    return needs_row(c, e->left, item, bounds) || needs_row(c, e->right, item, bounds);
  default: return 0; /* IS, IS [NOT] NULL, CASE, calls, LIKE, row values, subqueries, literals */
  }
}

static int is_named(const Expr *e, const char *name, int nargs) {
  return e->kind == EXPR_FUNCTION && !e->over && !e->filter && e->args && e->args->n == nargs &&
         util_stricmp(e->text, name) == 0;
}

/* likely(x), unlikely(x), likelihood(x, p) and x COLLATE c: x. */
static const Expr *skip_hints(const Expr *e) {
  while (e) {
    if (e->kind == EXPR_COLLATE) e = e->left;
    else if (is_named(e, "likely", 1) || is_named(e, "unlikely", 1) || is_named(e, "likelihood", 2))
      e = e->args->items[0];
    else break;
  }
  return e;
}

/* A term looked at whole (whole) or as the right side of an AND. */
static int implies_row(const Simp *c, const Expr *e, int item, int whole, int bounds) {
  if (always_false(e)) return 0;
  if (whole) {
    e = skip_hints(e);
    if (e && e->kind == EXPR_NOTNULL) return needs_row(c, e->left, item, bounds);
  }
  for (; is_and(e); e = e->right)
    if (implies_row(c, e->left, item, 1, bounds)) return 1;
  return needs_row(c, e, item, bounds);
}

static int link_implies(const Simp *c, const Link *l, int item, int whole, int ltorj) {
  if (l->owner >= 0 && (is_outer(c->join[l->owner]) || ltorj)) return 0;
  if (!l->is_using) {
    int made_inner = l->owner >= 0 && is_outer(cg_written_join(&c->s->from->items[l->owner]));
    return implies_row(c, l->e, item, whole, !made_inner);
  }
  if (l->left_item < 0 || c->kind[l->left_item] == ITEM_VTAB || c->kind[l->owner] == ITEM_VTAB) return 0;
  return item == l->left_item || item == l->owner;
}

/* Whether the chain cannot be true on a row of NULLs of item. */
static int chain_implies(const Simp *c, int item, int ltorj) {
  for (int k = 0; k < c->nlinks; k++)
    if (link_implies(c, &c->links[k], item, k == 0, ltorj)) return 1;
  return 0;
}

/* The leftmost item before item that has column name, -1 if none or not known. */
static int using_left(const Simp *c, int item, const char *name) {
  if (!c->tables_known) return -1;
  for (int i = 0; i < item; i++)
    if (table_column_index(c->tab[i], name) >= 0) return i;
  return -1;
}

static int add_link(Simp *c, const Expr *e, int owner, int is_using, int left_item) {
  Link *l = arena_alloc(&c->p->arena, sizeof(Link) * (size_t)(c->nlinks + 1));
  if (!l) return 0;
  if (c->nlinks) memcpy(l, c->links, sizeof(Link) * (size_t)c->nlinks);
  l[c->nlinks].e = e;
  l[c->nlinks].owner = owner;
  l[c->nlinks].is_using = is_using;
  l[c->nlinks].left_item = left_item;
  c->links = l;
  c->nlinks++;
  return 1;
}

/* The chain's links: WHERE, then each join's clause in FROM order. */
static int build_chain(Simp *c, const Expr *where) {
  const SrcList *from = c->s->from;
  if (where && !add_link(c, where, -1, 0, -1)) return 0;
  for (int i = 1; i < c->n; i++) {
    const SrcItem *it = &from->items[i];
    if (it->natural) {
      /* SQLite's NATURAL join: USING each column of it that an item before it has */
      if (c->kind[i] != ITEM_TABLE) {
        if (!add_link(c, NULL, i, 1, -1)) return 0;
        continue;
      }
      for (int k = 0; k < c->tab[i]->ncols; k++) {
        if (c->tab[i]->cols[k].hidden) continue;
        int left = using_left(c, i, c->tab[i]->cols[k].name);
        if (left >= 0 && !add_link(c, NULL, i, 1, left)) return 0;
      }
    } else if (it->nusing) {
      for (int k = 0; k < it->nusing; k++)
        if (!add_link(c, NULL, i, 1, using_left(c, i, it->using_cols[k]))) return 0;
    } else if (it->on && !add_link(c, it->on, i, 0, -1)) {
      return 0;
    }
  }
  return 1;
}

static int is_rowid_name(const char *name) {
  return util_stricmp(name, "rowid") == 0 || util_stricmp(name, "oid") == 0 || util_stricmp(name, "_rowid_") == 0;
}

/* Whether some FROM table has a column named name. */
static int from_has_column(const Simp *c, const char *name) {
  for (int i = 0; i < c->n; i++)
    if (table_column_index(c->tab[i], name) >= 0) return 1;
  return 0;
}

/* A copy of e whose unqualified names of no FROM column but of a result
** column's alias are that column's expression (as SQLite's name resolution
** leaves WHERE), or e itself when it names no alias. */
static Expr *with_aliases(Simp *c, Expr *e) {
  if (!e) return NULL;
  const ExprList *r = c->s->columns;
  if (e->kind == EXPR_COLUMN) {
    if (e->table || e->schema || e->bound || e->bound_column || is_rowid_name(e->text) || from_has_column(c, e->text))
      return e;
    for (int i = 0; i < r->n; i++)
      if (r->names && r->names[i] && util_stricmp(r->names[i], e->text) == 0) return r->items[i];
    return e;
  }
  if (e->select) return e; /* a subquery's names are its own */
  Expr *l = with_aliases(c, e->left), *rt = with_aliases(c, e->right);
  ExprList *args = e->args;
  for (int i = 0; e->args && i < e->args->n; i++) {
    Expr *a = with_aliases(c, e->args->items[i]);
    if (a == e->args->items[i]) continue;
    if (args == e->args) {
      args = arena_alloc(&c->p->arena, sizeof *args);
      Expr **items = arena_alloc(&c->p->arena, sizeof(Expr *) * (size_t)e->args->n);
      if (!args || !items) return e;
      *args = *e->args;
      memcpy(items, e->args->items, sizeof(Expr *) * (size_t)e->args->n);
      args->items = items;
    }
    args->items[i] = a;
  }
  if (l == e->left && rt == e->right && args == e->args) return e;
  Expr *copy = arena_alloc(&c->p->arena, sizeof *copy);
  if (!copy) return e;
  *copy = *e;
  copy->left = l;
  copy->right = rt;
  copy->args = args;
  return copy;
}

static int has_alias(const Select *s) {
  for (int i = 0; s->columns && i < s->columns->n; i++)
    if (s->columns->names && s->columns->names[i]) return 1;
  return 0;
}

static int scope_reads_vtab(const Scope *sc) {
  for (; sc; sc = sc->outer)
    for (int i = 0; i < sc->n + sc->nexists; i++)
      if (sc->items[i].vtab) return 1;
  return 0;
}

/* Whether SQLite's query flattener merges FROM item i (a subquery or view)
** into the query once its join is known (ltorj: it lies left of a RIGHT or
** FULL join): a plain core — no compound, DISTINCT, GROUP BY, HAVING, LIMIT,
** aggregate or window — that is not the right side of a RIGHT or FULL join,
** and of one table when its join is outer or it lies left of one, in a query
** without DISTINCT then.  Only which items count as merged matters here, and
** the rule is near enough SQLite's for the subqueries and views that matter. */
static int sqlite_merges(Simp *c, int i, int ltorj) {
  const SrcItem *it = &c->s->from->items[i];
  const Select *body = it->subquery;
  View *v = NULL;
  const char *const *vcols = NULL;
  int nvcols = 0;
  if (!body && c->kind[i] == ITEM_OTHER && !(it->name && !it->schema && cg_is_cte_name(c->p, it->name)))
    body = cg_view_body(c->p, it, &v, &vcols, &nvcols);
  if (!body || c->p->rc != LODE_OK) return 0;
  if (body->next || body->compound_op || body->distinct || body->group_by || body->having || body->limit ||
      body->offset || body->with || body->values_row || body->nwindows || !body->from || body->from->n == 0 ||
      !body->columns || cg_select_has_window(body))
    return 0;
  for (int k = 0; k < body->columns->n; k++)
    if (body->columns->items[k]->kind != EXPR_STAR && cg_expr_has_aggregate(c->p, body->columns->items[k])) return 0;
  int jt = c->join[i];
  if (is_right(jt)) return 0;
  if ((jt == JOIN_LEFT || ltorj) && (body->from->n > 1 || body->from->items[0].is_call || c->s->distinct)) return 0;
  for (int k = 1; i > 0 && k < body->from->n; k++)
    if (is_right(body->from->items[k].join_type)) return 0;
  return 1;
}

const Select *cg_simplify_joins(Parse *p, const Select *s) {
  const SrcList *from = s->from;
  if (!from || from->n < 2 || from->n > PLAN_MAX_ITEMS || p->rename || p->rc != LODE_OK) return s;
  Simp c;
  memset(&c, 0, sizeof c);
  c.p = p;
  c.s = s;
  c.n = from->n;
  int any_outer = 0, any_right = 0, any_using = 0;
  for (int i = 0; i < c.n; i++) {
    const SrcItem *it = &from->items[i];
    c.join[i] = it->join_type;
    any_outer |= is_outer(it->join_type);
    any_right |= is_right(it->join_type);
    any_using |= it->natural || it->nusing;
  }
  if (!any_outer || (any_right && any_using)) return s;
  c.tables_known = 1;
  c.vtab_near = scope_reads_vtab(p->scope);
  for (int i = 0; i < c.n; i++) {
    c.kind[i] = item_kind(p, &from->items[i], &c.tab[i]);
    c.tables_known &= c.kind[i] == ITEM_TABLE;
    c.vtab_near |= c.kind[i] == ITEM_VTAB;
  }
  if (p->rc != LODE_OK) return s;
  c.unqualified_ok = c.tables_known && !any_using;
  const Expr *where = s->where;
  if (where && c.unqualified_ok && has_alias(s)) where = with_aliases(&c, (Expr *)where);
  if (!build_chain(&c, where)) return s;
  int changed = 0;
  uint64_t merged = 0;
  for (int i = 0; i < c.n; i++) {
    int jt = c.join[i], ltorj = 0;
    for (int k = i + 1; k < c.n; k++) ltorj |= is_right(c.join[k]);
    int left = jt == JOIN_LEFT || jt == JOIN_FULL;
    if ((left || ltorj) && chain_implies(&c, i, ltorj)) {
      changed = 1;
      if (left) c.join[i] = jt == JOIN_FULL ? JOIN_RIGHT : JOIN_INNER;
      for (int k = i + 1; ltorj && k < c.n; k++) {
        if (c.join[k] == JOIN_FULL) c.join[k] = JOIN_LEFT;
        else if (c.join[k] == JOIN_RIGHT) c.join[k] = JOIN_INNER;
      }
    }
    /* SQLite merges such an item into the query next, then looks at every
    ** item again: the clauses of joins made inner since count for those
    ** before them. */
    if (!(merged & ((uint64_t)1 << i)) && sqlite_merges(&c, i, ltorj)) {
      merged |= (uint64_t)1 << i;
      i = -1;
    }
  }
  if (!changed) return s;
  Select *copy = arena_alloc(&p->arena, sizeof *copy);
  SrcList *nf = arena_alloc(&p->arena, sizeof *nf);
  SrcItem *items = arena_alloc(&p->arena, sizeof(SrcItem) * (size_t)c.n);
  if (!copy || !nf || !items) return s;
  *copy = *s;
  *nf = *from;
  memcpy(items, from->items, sizeof(SrcItem) * (size_t)c.n);
  for (int i = 0; i < c.n; i++) {
    if (items[i].join_type == c.join[i]) continue;
    if (!items[i].join_written) items[i].join_written = items[i].join_type;
    items[i].join_type = c.join[i];
  }
  nf->items = items;
  copy->from = nf;
  return copy;
}

int cg_written_join(const SrcItem *it) { return it->join_written ? it->join_written : it->join_type; }
