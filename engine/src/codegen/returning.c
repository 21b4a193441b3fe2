/*
** returning.c — INSERT / UPDATE / DELETE … RETURNING.
**
** The result columns are computed right after each row is changed — over
** the new row (INSERT, UPDATE, an upsert's DO UPDATE) or the old one
** (DELETE, read before the delete), in registers with the column affinities
** — and kept in a sorter without key columns (it keeps them in insertion
** order).  After the last change the statement returns them, as
** SQLite does: a statement that fails returns nothing, and what a row's
** RETURNING reads (a subquery, say) is the database as it was just after
** that row changed.  That is SQLite 3.53's behaviour; the 3.40 CLI computed
** an uncorrelated subquery once, at the first row, and repeated its value.
** Names resolve to the table only (not to an AS alias, as in SQLite); `*`
** is every column; `t.*`, and aggregates, are errors.
** Column names follow SELECT's: the alias, else a column's name, else the
** expression's text.
*/
#include <string.h>

#include "codegen/cg.h"

/* Name of an unaliased result: a column's (the rowid by its alias column),
** else the expression's source text. */
static const char *result_name(const Table *t, const Expr *e, const char *span) {
  if (e->kind != EXPR_COLUMN || (e->table && util_stricmp(e->table, t->name) != 0)) return span;
  int c = table_column_index(t, e->text);
  if (c >= 0) return t->cols[c].name;
  if (cg_is_rowid_name(e->text) && !t->without_rowid) return t->ipk >= 0 ? t->cols[t->ipk].name : "rowid";
  return span;
}

static int add_column(Parse *p, Returning *r, int *cap, const Expr *e, const char *name) {
  if (r->n == *cap) {
    int ncap = *cap ? *cap * 2 : 8;
    const Expr **exprs = arena_alloc(&p->arena, sizeof(*exprs) * (size_t)ncap);
    const char **names = arena_alloc(&p->arena, sizeof(*names) * (size_t)ncap);
    if (!exprs || !names) return cg_error(p, LODE_NOMEM, "out of memory");
    if (r->n) {
      memcpy(exprs, r->exprs, sizeof(*exprs) * (size_t)r->n);
      memcpy(names, r->names, sizeof(*names) * (size_t)r->n);
    }
    r->exprs = exprs;
    r->names = names;
    *cap = ncap;
  }
  r->exprs[r->n] = e;
  r->names[r->n] = name;
  r->n++;
  return LODE_OK;
}

/* `*`: every column of the table, by position. */
static void add_star(Parse *p, Returning *r, int *cap, const Table *t) {
  for (int j = 0; j < t->ncols && p->rc == LODE_OK; j++) {
    Expr *e = arena_alloc(&p->arena, sizeof(Expr));
    if (!e) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    e->kind = EXPR_COLUMN;
    e->text = t->cols[j].name;
    e->n = (int)strlen(e->text);
    e->bound_column = j + 1;
    add_column(p, r, cap, e, t->cols[j].name);
  }
}

Returning *cg_returning_begin(Parse *p, const Stmt *st, const Table *t) {
  const ExprList *list = st->returning;
  if (!list) return NULL;
  Returning *r = arena_alloc(&p->arena, sizeof *r);
  int cap = 0;
  if (!r) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  memset(r, 0, sizeof *r);
  r->table = t;
  for (int i = 0; i < list->n && p->rc == LODE_OK; i++) {
    const Expr *e = list->items[i];
    if (e->kind == EXPR_STAR) {
      if (e->table) cg_error(p, LODE_ERROR, "RETURNING may not use \"TABLE.*\" wildcards");
      else add_star(p, r, &cap, t);
      continue;
    }
    const char *alias = list->names ? list->names[i] : NULL;
    add_column(p, r, &cap, e, alias ? alias : result_name(t, e, list->spans ? list->spans[i] : "?"));
  }
  if (p->rc != LODE_OK) return NULL;
  KeyInfo *k = keyinfo_new(0);
  r->sorter = cg_cursor(p);
  if (!k || vdbe_add_op4(p->v, OP_SorterOpen, r->sorter, 0, 0, P4_KEYINFO, k, 0) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  if (vdbe_set_num_cols(p->v, r->n) != LODE_OK) cg_error(p, LODE_NOMEM, "out of memory");
  for (int i = 0; i < r->n; i++)
    if (vdbe_set_col_name(p->v, i, r->names[i], NULL) != LODE_OK) cg_error(p, LODE_NOMEM, "out of memory");
  return r;
}

/* A result that names a column of the table reports it as its origin and
** declared type (sqlite3_column_table_name, _origin_name, _decltype), as a
** SELECT's does; other expressions have none.  Resolved in the row's scope,
** after the expressions are coded (each row-coding site sets the same). */
static void set_origins(Parse *p, const Returning *r) {
  for (int i = 0; i < r->n && p->rc == LODE_OK; i++) {
    ColumnOrigin o;
    if (!cg_column_origin(p, r->exprs[i], &o)) continue;
    if (vdbe_set_col_name(p->v, i, r->names[i], o.decltype_) != LODE_OK ||
        vdbe_set_col_origin(p->v, i, o.database, o.table, o.column) != LODE_OK)
      cg_error(p, LODE_NOMEM, "out of memory");
  }
}

void cg_returning_row(Parse *p, const Returning *r, int cursor, int regs, int rowid_reg) {
  ScopeItem item;
  Scope scope;
  RowSource row = {r->table, regs ? -1 : cursor, regs, rowid_reg};
  Scope *saved = cg_row_scope_push(p, &row, &scope, &item);
  item.no_rowid = rowid_reg < 0;
  item.no_schema = 1;
  int vals = cg_regs(p, r->n), rec = cg_reg(p);
  /* An aggregate fails here with SQLite's "misuse of aggregate function".
  ** A subquery, even one that reads nothing of the row, runs again for
  ** every row: it sees the database as that row's change left it. */
  p->rerun_subqueries++;
  for (int i = 0; i < r->n; i++) cg_expr(p, r->exprs[i], vals + i);
  p->rerun_subqueries--;
  set_origins(p, r);
  cg_op(p, OP_MakeRecord, vals, r->n, rec);
  cg_op(p, OP_SorterInsert, r->sorter, rec, 0);
  p->scope = saved;
}

void cg_returning_end(Parse *p, const Returning *r) {
  if (!r) return;
  int pseudo = cg_cursor(p), rec = cg_reg(p), vals = cg_regs(p, r->n), end = vdbe_make_label(p->v);
  cg_op(p, OP_OpenPseudo, pseudo, rec, r->n);
  cg_op(p, OP_SorterSort, r->sorter, end, 0);
  int top = cg_op(p, OP_SorterData, r->sorter, rec, 0);
  for (int i = 0; i < r->n; i++) cg_op(p, OP_Column, pseudo, i, vals + i);
  cg_op(p, OP_ResultRow, vals, r->n, 0);
  cg_op(p, OP_SorterNext, r->sorter, top, 0);
  vdbe_resolve_label(p->v, end);
}
