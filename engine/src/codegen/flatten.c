/*
** flatten.c — a FROM subquery merged into the query that reads it.
**
** A FROM subquery is otherwise coded as a query of its own whose rows the
** outer query reads from a co-routine or a materialised table: the planner
** cannot join through its tables' indexes, and every row is copied once
** more.  As SQLite's query flattener does, a subquery of plain tables is
** instead replaced by its tables: its WHERE joins the outer WHERE, and each
** reference of the outer query to one of its columns (in the result, WHERE,
** ON, GROUP BY, HAVING, ORDER BY and correlated subqueries) becomes a copy
** of the subquery's result expression.  The rewrite works on the syntax
** tree before any name is resolved, so it is done only where the names
** provably resolve alike before and after:
**   - the outer query is one core without window functions, outside any
**     other query and WITH clause, whose FROM holds that subquery and plain
**     tables only, joined by inner joins without USING or NATURAL;
**   - the subquery is one core of plain tables joined alike (or USING
**     columns, which become ON equalities: using_as_on), without
**     aggregates, DISTINCT, GROUP BY, HAVING, ORDER BY, LIMIT, window
**     functions or subqueries, whose results are columns or named by AS (or
**     a view's column list) and use no COLLATE, whose result names are
**     distinct (a copy of a
**     result is evaluated where each reference was, random() as well, as in
**     SQLite);
**   - every column name of the subquery names a column of exactly one of
**     its tables (the copies are qualified by its table), and its tables'
**     names are not names of the outer query's other tables;
**   - in the outer query, an unqualified name of the subquery's column
**     names no other table's column and no result alias, and no name
**     (unqualified in a nested subquery, or of a rowid) could reach one of
**     the subquery's tables, which the outer query did not see before.
*/
#include <string.h>

#include "codegen/cg.h"
#include "sql/parser.h"

typedef struct Flat {
  Parse *p;
  const Select *outer;
  int item;                /* the subquery's position in outer's FROM */
  const char *qname;       /* its alias, or NULL */
  const Select *sub;       /* a copy of it, its column references qualified */
  int nres;
  const char **rnames;     /* its result columns' names */
  Expr **rexprs;           /* and expressions */
  Table **tabs;            /* per item of outer's FROM, its table (NULL for the subquery) */
  Table **intabs;          /* per item of the subquery's FROM, its table */
  const char *const *vcols; /* a view's column list (CREATE VIEW v(a, b)), or NULL */
  int nvcols;
  int ok;
} Flat;

static const char *visible_name(const SrcItem *it) { return it->alias ? it->alias : it->name; }

static int same_name(const char *a, const char *b) { return a && b && util_stricmp(a, b) == 0; }

/* A plain table of the main, temp or an attached schema (no view, CTE,
** virtual table, table-valued function or table with an index method),
** joined without USING. */
static Table *plain_table(Parse *p, const SrcItem *it) {
  if (it->subquery || it->is_call || !it->name || it->natural || it->nusing || it->indexed_by ||
      (it->join_type != 0 && it->join_type != JOIN_INNER))
    return NULL;
  if (util_strnicmp(it->name, "sqlite_", 7) == 0) return NULL;
  int db;
  if (cg_lookup_view(p, it->schema, it->name, &db)) return NULL;
  Table *t = cg_lookup_table(p, it->schema, it->name);
  /* A table with an index method may have its query answered by the method,
  ** which the merged query's ORDER BY would then reach. */
  if (!t || t->vtab_module || t->method_indexes) return NULL;
  return t;
}

static int column_of(const Table *t, const char *name) {
  int j = table_column_index(t, name);
  return j >= 0 && !t->cols[j].hidden ? j : -1;
}

/* ---- the subquery ------------------------------------------------------------------------ */

/* Qualifies e's column references by the subquery's table each names;
** 0 when one does not name exactly one of them, or e holds what may not be
** copied (see the top). */
static int qualify(Flat *f, Expr *e) {
  if (!e) return 1;
  if (e->select || e->over || e->filter || e->kind == EXPR_REGISTER || e->kind == EXPR_RAISE || e->bound ||
      e->bound_column)
    return 0;
  const SrcList *from = f->sub->from;
  if (e->kind == EXPR_COLUMN) {
    if (e->schema) return 0;
    int hit = -1;
    for (int i = 0; i < from->n; i++) {
      if (e->table && !same_name(e->table, visible_name(&from->items[i]))) continue;
      if (column_of(f->intabs[i], e->text) < 0) continue;
      if (hit >= 0) return 0;
      hit = i;
    }
    if (hit < 0) return 0;
    e->table = visible_name(&from->items[hit]);
    return 1;
  }
  if (e->kind == EXPR_STAR) return 0;
  if (e->kind == EXPR_FUNCTION && cg_expr_has_aggregate(f->p, e)) return 0;
  if (!qualify(f, e->left) || !qualify(f, e->right) || !qualify(f, e->escape))
    return 0;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (!qualify(f, e->args->items[i])) return 0;
  return 1;
}

static int has_collate(const Expr *e) {
  if (!e) return 0;
  if (e->kind == EXPR_COLLATE) return 1;
  if (has_collate(e->left) || has_collate(e->right) || has_collate(e->escape)) return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (has_collate(e->args->items[i])) return 1;
  return 0;
}

static Expr *column_ref(Parse *p, const char *table, const char *name, const Expr *at) {
  Expr *x = arena_alloc(&p->arena, sizeof *x);
  if (!x) return NULL;
  x->kind = EXPR_COLUMN;
  x->table = table;
  x->text = name;
  x->n = (int)strlen(name);
  x->src = at->src;
  x->offset = at->offset;
  return x;
}

/* The subquery's inner joins USING columns become ON equalities, as SQLite
** reads USING: the column of the one table on the left that has it equal to
** the right table's own.  0 where that cannot be told here: NATURAL, a
** column not in exactly one table on the left, or a "*" result (which shows
** a USING column once). */
static int using_as_on(Parse *p, Select *sub) {
  const Expr *at = sub->columns && sub->columns->n ? sub->columns->items[0] : NULL;
  for (int k = 1; k < sub->from->n; k++) {
    SrcItem *it = &sub->from->items[k];
    if (it->natural) return 0;
    if (!it->nusing) continue;
    for (int i = 0; i < sub->columns->n; i++)
      if (sub->columns->items[i]->kind == EXPR_STAR) return 0;
    SrcItem plain = *it;
    plain.nusing = 0;
    const Table *right = plain_table(p, &plain);
    if (!right || !at) return 0;
    Expr *on = NULL;
    for (int u = 0; u < it->nusing; u++) {
      const char *c = it->using_cols[u];
      int left = -1;
      for (int m = 0; m < k; m++) {
        const Table *t = plain_table(p, &sub->from->items[m]);
        if (!t) return 0;
        if (column_of(t, c) < 0) continue;
        if (left >= 0) return 0;
        left = m;
      }
      if (left < 0 || column_of(right, c) < 0) return 0;
      Expr *eq = arena_alloc(&p->arena, sizeof *eq);
      if (!eq) return 0;
      eq->kind = EXPR_BINARY;
      eq->op = TK_EQ;
      eq->left = column_ref(p, visible_name(&sub->from->items[left]), c, at);
      eq->right = column_ref(p, visible_name(it), c, at);
      eq->src = at->src;
      eq->offset = at->offset;
      if (!eq->left || !eq->right) return 0;
      on = cg_and(p, on, eq);
    }
    it->on = cg_and(p, on, it->on);
    it->nusing = 0;
    it->using_cols = NULL;
  }
  return p->rc == LODE_OK;
}

/* The subquery's results, `*` spelled out, with their names. */
static int sub_results(Flat *f, Select *sub) {
  const ExprList *r = sub->columns;
  int cap = 0;
  for (int i = 0; i < r->n; i++) {
    const Expr *e = r->items[i];
    if (e->kind != EXPR_STAR) {
      cap++;
      continue;
    }
    for (int k = 0; k < sub->from->n; k++)
      if (!e->table || same_name(e->table, visible_name(&sub->from->items[k]))) cap += f->intabs[k]->ncols;
  }
  f->rnames = arena_alloc(&f->p->arena, sizeof(char *) * (size_t)(cap ? cap : 1));
  f->rexprs = arena_alloc(&f->p->arena, sizeof(Expr *) * (size_t)(cap ? cap : 1));
  if (!f->rnames || !f->rexprs) return 0;
  f->nres = 0;
  for (int i = 0; i < r->n; i++) {
    Expr *e = r->items[i];
    if (e->kind == EXPR_STAR) {
      int any = 0;
      for (int k = 0; k < sub->from->n; k++) {
        const SrcItem *it = &sub->from->items[k];
        if (e->table && !same_name(e->table, visible_name(it))) continue;
        const Table *t = f->intabs[k];
        for (int j = 0; j < t->ncols; j++) {
          if (t->cols[j].hidden) continue;
          Expr *x = column_ref(f->p, visible_name(it), t->cols[j].name, e);
          if (!x) return 0;
          f->rnames[f->nres] = t->cols[j].name;
          f->rexprs[f->nres++] = x;
          any = 1;
        }
      }
      if (!any) return 0;
      continue;
    }
    /* An expression without AS is named by rules of the subquery's own
    ** ("a COLLATE x" is a); a COLLATE must name a known collation there. */
    const char *nm = r->names && r->names[i] ? r->names[i] : e->kind == EXPR_COLUMN ? e->text : NULL;
    if ((!nm && !f->vcols) || has_collate(e) || !qualify(f, e)) return 0;
    f->rnames[f->nres] = nm;
    f->rexprs[f->nres++] = e;
  }
  if (f->vcols) { /* the view's column list names its results */
    if (f->nvcols != f->nres) return 0;
    for (int i = 0; i < f->nres; i++) f->rnames[i] = f->vcols[i];
  }
  for (int i = 0; i < f->nres; i++)
    for (int j = 0; j < i; j++)
      if (same_name(f->rnames[i], f->rnames[j])) return 0;
  return f->nres > 0;
}

static int sub_flattenable(Parse *p, const Select *s) {
  return !s->next && !s->compound_op && !s->distinct && !s->group_by && !s->having && !s->limit && !s->offset &&
         !s->norder && !s->with && !s->nwindows && !s->nested_from && !s->values_row && !s->aliases_of &&
         s->columns && s->from && s->from->n > 0 && !cg_select_has_window(s) && p->rc == LODE_OK;
}

/* ---- the outer query --------------------------------------------------------------------- */

static int result_of(const Flat *f, const char *name) {
  for (int i = 0; i < f->nres; i++)
    if (same_name(f->rnames[i], name)) return i;
  return -1;
}

/* Whether name is a column (or the rowid) of one of the subquery's tables. */
static int names_inner_column(const Flat *f, const char *name) {
  if (cg_is_rowid_name(name)) return 1;
  for (int i = 0; i < f->sub->from->n; i++)
    if (column_of(f->intabs[i], name) >= 0) return 1;
  return 0;
}

static int names_inner_table(const Flat *f, const char *name) {
  for (int i = 0; i < f->sub->from->n; i++)
    if (same_name(name, visible_name(&f->sub->from->items[i]))) return 1;
  return 0;
}

static void rewrite_select(Flat *f, Select *s, int depth);

static void rewrite_window(Flat *f, Window *w, int depth);

/* Replaces the references to the subquery's columns in e (depth: how many
** nested queries in from the outer one) by copies of their expressions. */
static void rewrite(Flat *f, Expr *e, int depth) {
  if (!e || !f->ok) return;
  if (e->bound || e->bound_column || e->kind == EXPR_REGISTER) {
    f->ok = 0;
    return;
  }
  if (e->kind == EXPR_COLUMN) {
    int r = -1;
    if (e->schema) {
      f->ok = 0;
    } else if (e->table) {
      if (f->qname && same_name(e->table, f->qname)) r = result_of(f, e->text);
      else if (names_inner_table(f, e->table)) f->ok = 0;
      if (f->qname && same_name(e->table, f->qname) && r < 0) f->ok = 0;
    } else if (depth > 0) {
      if (result_of(f, e->text) >= 0 || names_inner_column(f, e->text)) f->ok = 0;
    } else if ((r = result_of(f, e->text)) >= 0) {
      for (int i = 0; i < f->outer->from->n; i++)
        if (f->tabs[i] && column_of(f->tabs[i], e->text) >= 0) f->ok = 0;
    } else if (names_inner_column(f, e->text)) {
      f->ok = 0;
    }
    if (r < 0 || !f->ok) return;
    Expr *x = ast_copy_expr(&f->p->arena, f->rexprs[r]);
    if (!x) {
      f->ok = 0;
      return;
    }
    *e = *x;
    return;
  }
  if (e->kind == EXPR_STAR) return; /* the outer query's own are spelled out by outer_results */
  rewrite(f, e->left, depth);
  rewrite(f, e->right, depth);
  rewrite(f, e->escape, depth);
  rewrite(f, e->filter, depth);
  for (int i = 0; e->args && i < e->args->n; i++) rewrite(f, e->args->items[i], depth);
  for (int i = 0; e->agg_order && i < e->agg_order->n; i++) rewrite(f, e->agg_order->items[i], depth);
  if (e->over) rewrite_window(f, e->over, depth);
  if (e->select) rewrite_select(f, e->select, depth + 1);
}

static void rewrite_window(Flat *f, Window *w, int depth) {
  for (int i = 0; w->partition && i < w->partition->n; i++) rewrite(f, w->partition->items[i], depth);
  for (int i = 0; i < w->norder; i++) rewrite(f, w->order_by[i].expr, depth);
  rewrite(f, w->start, depth);
  rewrite(f, w->end, depth);
}

/* A query nested in the outer one: its names must not hide the subquery's. */
static void rewrite_select(Flat *f, Select *s, int depth) {
  for (; s && f->ok; s = s->next) {
    for (int i = 0; s->from && i < s->from->n; i++) {
      SrcItem *it = &s->from->items[i];
      const char *nm = visible_name(it);
      if (nm && ((f->qname && same_name(nm, f->qname)) || names_inner_table(f, nm))) f->ok = 0;
      rewrite(f, it->on, depth);
      for (int k = 0; it->args && k < it->args->n; k++) rewrite(f, it->args->items[k], depth);
      if (it->subquery) rewrite_select(f, it->subquery, depth + 1);
    }
    if (s->with) f->ok = 0;
    for (int i = 0; s->columns && i < s->columns->n; i++) rewrite(f, s->columns->items[i], depth);
    rewrite(f, s->where, depth);
    for (int i = 0; s->group_by && i < s->group_by->n; i++) rewrite(f, s->group_by->items[i], depth);
    rewrite(f, s->having, depth);
    for (int i = 0; i < s->norder; i++) rewrite(f, s->order_by[i].expr, depth);
    for (int i = 0; i < s->nwindows; i++) rewrite_window(f, s->windows[i], depth);
    rewrite(f, s->limit, depth);
    rewrite(f, s->offset, depth);
  }
}

/* The outer query's results with `*` and `q.*` spelled out, and the name a
** reference to the subquery's column gave its result kept. */
static ExprList *outer_results(Flat *f, const ExprList *r) {
  const SrcList *from = f->outer->from;
  int cap = 0;
  for (int i = 0; i < r->n; i++)
    cap += r->items[i]->kind == EXPR_STAR ? from->n + f->nres : 1;
  ExprList *d = arena_alloc(&f->p->arena, sizeof *d);
  if (!d) return NULL;
  d->items = arena_alloc(&f->p->arena, sizeof(Expr *) * (size_t)cap);
  d->names = arena_alloc(&f->p->arena, sizeof(char *) * (size_t)cap);
  d->spans = arena_alloc(&f->p->arena, sizeof(char *) * (size_t)cap);
  if (!d->items || !d->names || !d->spans) return NULL;
  for (int i = 0; i < r->n; i++) {
    Expr *e = r->items[i];
    if (e->kind != EXPR_STAR) {
      const char *nm = r->names ? r->names[i] : NULL;
      /* An alias that is also the name of one of the subquery's columns may
      ** be what GROUP BY or ORDER BY name. */
      if (nm && result_of(f, nm) >= 0 && !(e->kind == EXPR_COLUMN && same_name(e->text, nm))) return NULL;
      /* named after the subquery's column as it declares it, not as the
      ** reference spells it ("SELECT Y FROM v" names its result "y") */
      if (!nm && e->kind == EXPR_COLUMN && (!e->table || (f->qname && same_name(e->table, f->qname))) &&
          result_of(f, e->text) >= 0)
        nm = f->rnames[result_of(f, e->text)];
      d->items[d->n] = e;
      d->names[d->n] = nm;
      d->spans[d->n++] = r->spans ? r->spans[i] : NULL;
      continue;
    }
    if (e->table && !(f->qname && same_name(e->table, f->qname))) {
      if (names_inner_table(f, e->table)) return NULL;
      d->items[d->n] = e;
      d->names[d->n] = NULL;
      d->spans[d->n++] = r->spans ? r->spans[i] : NULL;
      continue;
    }
    for (int k = 0; k < from->n; k++) {
      if (k != f->item) {
        if (e->table) continue;
        Expr *x = arena_alloc(&f->p->arena, sizeof *x);
        if (!x) return NULL;
        *x = *e;
        x->table = visible_name(&from->items[k]);
        d->items[d->n] = x;
        d->names[d->n] = NULL;
        d->spans[d->n++] = NULL;
        continue;
      }
      for (int j = 0; j < f->nres; j++) {
        Expr *x = column_ref(f->p, f->qname ? f->qname : "", f->rnames[j], e);
        if (!x) return NULL;
        d->items[d->n] = x;
        d->names[d->n] = f->rnames[j];
        d->spans[d->n++] = f->rnames[j];
      }
    }
  }
  return d;
}

/* The FROM clause with the subquery's tables in its place. */
static SrcList *merged_from(Flat *f, const SrcList *outer_from) {
  const SrcList *in = f->sub->from;
  SrcList *d = arena_alloc(&f->p->arena, sizeof *d);
  if (!d) return NULL;
  d->items = arena_alloc(&f->p->arena, sizeof(SrcItem) * (size_t)(outer_from->n - 1 + in->n));
  if (!d->items) return NULL;
  for (int i = 0; i < outer_from->n; i++) {
    if (i != f->item) {
      d->items[d->n++] = outer_from->items[i];
      continue;
    }
    const SrcItem *q = &outer_from->items[i];
    for (int k = 0; k < in->n; k++) {
      SrcItem it = in->items[k];
      if (k == 0) it.join_type = q->join_type;
      if (k == in->n - 1) it.on = cg_and(f->p, it.on, q->on);
      d->items[d->n++] = it;
    }
  }
  return d;
}

/* Rewrites the outer query's references to the subquery's columns marked
** by a NULL table: they were qualified by an empty name when spelled out. */
static void rewrite_spelled(Flat *f, ExprList *r) {
  for (int i = 0; i < r->n; i++) {
    Expr *e = r->items[i];
    if (e->kind == EXPR_COLUMN && e->table && !e->table[0]) {
      int k = result_of(f, e->text);
      Expr *x = k >= 0 ? ast_copy_expr(&f->p->arena, f->rexprs[k]) : NULL;
      if (!x) {
        f->ok = 0;
        return;
      }
      *e = *x;
    } else {
      rewrite(f, e, 0);
    }
  }
}

/* Flattens FROM item i of s (a copy made here), a subquery or view v (its
** select view_sel, which may be changed); NULL when it may not be. */
static Select *flatten_item(Parse *p, const Select *s, int i, Select *view_sel, const View *v,
                            const char *const *vcols, int nvcols) {
  Flat f;
  memset(&f, 0, sizeof f);
  f.p = p;
  f.item = i;
  f.ok = 1;
  f.vcols = vcols;
  f.nvcols = nvcols;
  const SrcItem *q = &s->from->items[i];
  const Select *body = view_sel ? view_sel : q->subquery;
  if (!sub_flattenable(p, body) || q->natural || q->nusing || q->window_plan ||
      (q->join_type != 0 && q->join_type != JOIN_INNER))
    return NULL;
  if (s->from->n - 1 + body->from->n > PLAN_MAX_ITEMS) return NULL;
  Select *copy = ast_copy_select(&p->arena, s);
  if (!copy) return NULL;
  f.outer = copy;
  f.qname = view_sel ? visible_name(q) : q->alias;
  Select *sub = view_sel ? view_sel : copy->from->items[i].subquery;
  f.sub = sub;
  /* A view's names resolve in its own database (a TEMP view's anywhere). */
  for (int k = 0; v && v->db != CONN_DB_TEMP && k < sub->from->n; k++)
    if (!sub->from->items[k].schema) {
      sub->from->items[k].schema = cg_db_name(p, v->db);
      sub->from->items[k].schema_implied = 1;
    }
  if (!using_as_on(p, sub)) return NULL;
  f.tabs = arena_alloc(&p->arena, sizeof(Table *) * (size_t)s->from->n);
  f.intabs = arena_alloc(&p->arena, sizeof(Table *) * (size_t)sub->from->n);
  if (!f.tabs || !f.intabs) return NULL;
  for (int k = 0; k < s->from->n; k++) {
    if (k == i) continue;
    if (!(f.tabs[k] = plain_table(p, &s->from->items[k]))) return NULL;
  }
  for (int k = 0; k < sub->from->n; k++) {
    const SrcItem *it = &sub->from->items[k];
    if (!(f.intabs[k] = plain_table(p, it)) || (k == 0 && it->join_type)) return NULL;
    for (int j = 0; j < s->from->n; j++)
      if (j != i && same_name(visible_name(it), visible_name(&s->from->items[j]))) return NULL;
  }
  if (!sub_results(&f, sub)) return NULL;
  if (!qualify(&f, sub->where)) return NULL;
  for (int k = 0; k < sub->from->n; k++)
    if (!qualify(&f, sub->from->items[k].on)) return NULL;
  ExprList *cols = outer_results(&f, copy->columns);
  if (!cols) return NULL;
  copy->columns = cols;
  rewrite_spelled(&f, cols);
  for (int k = 0; k < copy->from->n; k++) {
    if (k == i) continue;
    rewrite(&f, copy->from->items[k].on, 0);
  }
  rewrite(&f, copy->from->items[i].on, 0);
  rewrite(&f, copy->where, 0);
  for (int k = 0; copy->group_by && k < copy->group_by->n; k++) rewrite(&f, copy->group_by->items[k], 0);
  rewrite(&f, copy->having, 0);
  for (int k = 0; k < copy->norder; k++) rewrite(&f, copy->order_by[k].expr, 0);
  rewrite(&f, copy->limit, 0);
  rewrite(&f, copy->offset, 0);
  if (!f.ok || p->rc != LODE_OK) return NULL;
  SrcList *from = merged_from(&f, copy->from);
  if (!from) return NULL;
  copy->from = from;
  copy->where = cg_and(p, sub->where, copy->where);
  return p->rc == LODE_OK ? copy : NULL;
}

const Select *cg_flatten(Parse *p, const Select *s) {
  /* Long column names ("v.a") name the result by the subquery it came from. */
  if (!p->db->settings[CONN_SET_SHORT_COLUMN_NAMES] || p->db->settings[CONN_SET_FULL_COLUMN_NAMES]) return s;
  /* The authorizer hears of the subquery's names where they stand (Parse.auth). */
  if (p->scope || p->with || p->rename || p->auth || !s->from || s->next || s->compound_op || s->nwindows ||
      s->aliases_of || s->nested_from || s->values_row || s->with || cg_select_has_window(s) || p->rc != LODE_OK)
    return s;
  int item = -1;
  Select *view_sel = NULL;
  View *v = NULL;
  const char *const *vcols = NULL;
  int nvcols = 0;
  for (int i = 0; i < s->from->n; i++) {
    const SrcItem *it = &s->from->items[i];
    if (!it->subquery) {
      if (it->is_call || it->indexed_by || it->not_indexed || plain_table(p, it)) continue;
      Select *body = cg_view_body(p, it, &v, &vcols, &nvcols);
      if (!body) return s;
      if (item >= 0) return s;
      item = i;
      view_sel = body;
      continue;
    }
    if (item >= 0) return s;
    item = i;
  }
  if (item < 0) return s;
  Select *flat = flatten_item(p, s, item, view_sel, v, vcols, nvcols);
  if (p->rc != LODE_OK) return s;
  return flat ? flat : s;
}
