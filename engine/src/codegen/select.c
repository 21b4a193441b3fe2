/*
** select.c — SELECT to bytecode.
**
** Shape of the program (one table; joins nest one loop per table):
**
**     OpenRead c0 ...                  FROM tables
**     [LIMIT/OFFSET into registers]
**     Rewind c0 → done
**   loop:
**     [WHERE false → next]
**     plain:      [OFFSET skip] result regs; ResultRow; [DecrJumpZero limit → done]
**     ORDER BY:   MakeRecord(keys…, results…); SorterInsert
**     aggregate:  AggStep per aggregate call; copy bare columns
**   next:
**     Next c0 → loop
**   done:
**     ORDER BY:   SorterSort; each row: Column from the pseudo cursor; output
**     aggregate:  AggFinal; [HAVING]; output one row (or one per group)
**
** GROUP BY: the scan puts (group keys, aggregate arguments, bare columns)
** records into a grouping sorter; walking it sorted, the aggregates are
** stepped and a row is emitted each time the keys change.  HAVING filters
** the aggregate rows; ORDER BY sorts them afterwards.
**
** DISTINCT: each output row's record is looked up in a set (OP_DistinctRow)
** just before OFFSET/LIMIT, so duplicates neither show nor count.
**
** Subqueries: in FROM they are materialised into a sorter first; in
** expressions (scalar, EXISTS, IN) they are coded inline with a destination
** that stores the answer and leaves the inner scan early.
**
** Compound selects (UNION [ALL], INTERSECT, EXCEPT) are materialised into a
** sorter and then scanned like a FROM subquery, so ORDER BY and LIMIT apply
** to the whole; UNION, INTERSECT and EXCEPT sort both sides together and
** keep one row per run of equal rows, so their output comes sorted as in
** SQLite.
**
** Joins nest one loop per table, in the order the planner chose (loops.c).
**
** EXPLAIN QUERY PLAN: where a loop, a temporary sort or a subquery is coded,
** cg_explain_step adds an Explain op describing it in SQLite's words ("SCAN t",
** "USE TEMP B-TREE FOR ORDER BY"), only when compiling for EXPLAIN QUERY PLAN.
*/
#include <limits.h>
#include <stdio.h>
#include <ctype.h>
#include <string.h>

#include "codegen/cg.h"
#include "sql/parser.h"

/* A result column after * expansion. */
typedef struct ResultCol {
  const Expr *expr;
  const char *name;
  const char *decltype_;
  /* The name a bare ORDER BY term matches it by, as SQLite matches terms
  ** before it resolves them as expressions: an AS alias, or the column's
  ** name for a column of "*" or "t.*" (NULL: none). */
  const char *order_name;
} ResultCol;

typedef struct SelectPlan {
  int nresult;
  ResultCol *results;
  int norder;
  const Expr **order_exprs;
  int *order_result; /* the result column each ORDER BY term takes its value from, or -1 (fix_order_results) */
  int sorter;        /* cursor, or -1 */
  int sorter_bounded; /* the sorter keeps LIMIT (+ OFFSET) rows only (bound_sorter) */
  int sorter_limit_at; /* and the address of its SorterLimit */
  int sorter_open_at;  /* the addresses of its SorterOpen and of run_have's Integer (drop_sorter) */
  int run_have_at;
  int run_keys;      /* the loops deliver the first run_keys ORDER BY terms in order: the sorter sorts
                     ** each run of rows equal on them, sent on when the next starts (0: all rows) */
  int run_prev, run_have, run_ret, run_flush; /* the last row's first keys, whether there was one, the
                                               ** return register and label of the subroutine that
                                               ** sends a run on */
  int limit_reg;     /* 0 if no LIMIT */
  int offset_reg;    /* 0 if no OFFSET */
  int done_label;    /* end of the scan */
  int end_label;     /* after all output: where LIMIT goes */
  AggInfo agg;
  int is_agg;
  int group_width;   /* GROUP BY: columns of the grouping sorter's records */
  int distinct_set;  /* SELECT DISTINCT: register holding the rows seen, or 0 */
  int distinct_prev; /* SELECT DISTINCT over rows in the result's order: the previous row's registers, or 0 */
  int distinct_have; /* and the register that says there was one */
  int reposition;    /* aggregate output with subqueries: table cursors return to the group's row */
  int explain_distinct_later; /* EXPLAIN QUERY PLAN: the DISTINCT's step comes after the GROUP BY's */
} SelectPlan;

static Expr *make_column_expr(Parse *p, const char *table, const char *name) {
  Expr *e = arena_alloc(&p->arena, sizeof(Expr));
  if (!e) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  e->kind = EXPR_COLUMN;
  e->table = table;
  e->text = name;
  e->n = (int)strlen(name);
  return e;
}

static int add_result(Parse *p, SelectPlan *sp, int *cap, const Expr *e, const char *name, const char *decl) {
  if (sp->nresult == *cap) {
    int ncap = *cap ? *cap * 2 : 8;
    ResultCol *r = arena_alloc(&p->arena, sizeof(ResultCol) * (size_t)ncap);
    if (!r) return cg_error(p, LODE_NOMEM, "out of memory");
    if (sp->nresult) memcpy(r, sp->results, sizeof(ResultCol) * (size_t)sp->nresult);
    sp->results = r;
    *cap = ncap;
  }
  sp->results[sp->nresult].expr = e;
  sp->results[sp->nresult].name = name;
  sp->results[sp->nresult].decltype_ = decl;
  sp->results[sp->nresult].order_name = NULL;
  sp->nresult++;
  return LODE_OK;
}

/* Column name of an unaliased result: a column's declared name, else the
** expression's source text. */
static void describe_result(Parse *p, const Expr *e, const char *span, const char **name, const char **decl) {
  int cursor, col;
  Table *t;
  *name = span;
  *decl = NULL;
  if (e->kind == EXPR_COLUMN && cg_try_resolve_column(p, e, &cursor, &col, &t)) {
    if (col >= 0) {
      *name = t->cols[col].name;
      *decl = t->cols[col].decltype_;
    } else if (t->ipk >= 0) { /* the rowid, by any of its names, is named after its alias column */
      *name = t->cols[t->ipk].name;
      *decl = t->cols[t->ipk].decltype_;
    } else {
      *name = "rowid";
    }
  }
}

/* The schema SQLite qualifies a "*" column of FROM item i with: a table's or
** view's database, "*" for a subquery or CTE. */
static const char *star_schema(Parse *p, const SrcList *from, const ScopeItem *it, int i) {
  const SrcItem *src = from && i < from->n ? &from->items[i] : NULL;
  if (!src || src->subquery) return "*";
  if (it->sorter < 0) return cg_db_name(p, it->table->db);
  View *v = cg_find_view_first(p, src->schema, src->name);
  return v ? cg_db_name(p, v->db) : "*";
}

/* "*" stands for schema.item.column references, one per column, resolved as
** SQLite resolves them: among the FROM items of that name and schema, those
** with a column of that name that their USING does not name, and the
** columns of FROM ( join ) items that came from a table of that name.  Two are
** ambiguous (-1, error set); the one there is, if not item i itself, is the
** item the reference reads (a right side's USING column read from the left
** side); else i.  *ref_col: the column in the item returned. */
static int star_ref_item(Parse *p, const SrcList *from, int i, int j, int *ref_col) {
  const Scope *s = p->scope;
  const ScopeItem *it = &s->items[i];
  const char *schema = NULL, *col = it->table->cols[j].name, *tab = it->name;
  int matches = 0, found = i;
  *ref_col = j;
  /* A column of FROM ( join ) is read through the join's own name, which
  ** nothing else answers to. */
  if (it->nested_tab) return i;
  for (int k = 0; k < s->n && tab; k++) {
    const ScopeItem *o = &s->items[k];
    int c, u;
    for (u = 0; u < o->nusing && util_stricmp(o->using_cols[u], col) != 0; u++) {
    }
    if (u < o->nusing) continue;
    if (o->nested_tab) { /* every column of a FROM ( join ) answers to its table's name, USING's too */
      for (c = 0; c < o->table->ncols; c++) { /* a table's reference may name one of them */
        if (!o->nested_tab[c] || util_stricmp(o->nested_tab[c], tab) != 0 || util_stricmp(o->nested_col[c], col) != 0)
          continue;
        if (!schema) schema = star_schema(p, from, it, i);
        const char *db = o->nested_db && o->nested_db[c] >= 0 ? cg_db_name(p, o->nested_db[c]) : "*";
        if (strcmp(schema, db) != 0) continue;
        if (matches++ == 0) found = k, *ref_col = c;
      }
      continue;
    }
    if (!o->name || util_stricmp(o->name, tab) != 0) continue;
    for (c = 0; c < o->table->ncols && util_stricmp(o->table->cols[c].name, col) != 0; c++) {
    }
    if (c == o->table->ncols) continue;
    if (k != i) {
      if (!schema) schema = star_schema(p, from, it, i);
      if (strcmp(schema, star_schema(p, from, o, k)) != 0) continue;
    }
    if (matches++ == 0) {
      found = k;
      *ref_col = c;
    }
  }
  if (matches < 2) {
    if (matches == 0) *ref_col = j, found = i;
    return found;
  }
  cg_error(p, LODE_ERROR, "ambiguous column name: %s.%s.%s", schema ? schema : star_schema(p, from, it, i), tab, col);
  return -1;
}

/* Whether column j of FROM ( join ) item it shares its name with another of
** its columns that "*" shows: SQLite reads the sole item's "*" as the bare
** names, which are then ambiguous. */
static int nested_name_repeats(const ScopeItem *it, int j) {
  if (!it->nested_col || !it->nested_col[j]) return 0;
  for (int c = 0; c < it->table->ncols; c++)
    if (c != j && it->nested_col[c] && !it->nested_hidden[c] && util_stricmp(it->nested_col[c], it->nested_col[j]) == 0)
      return 1;
  return 0;
}

static void expand_star(Parse *p, SelectPlan *sp, int *cap, const Expr *star, int nested, const SrcList *from,
                        int long_names) {
  int i, j, matched = 0;
  Scope *s = p->scope;
  if (!s || s->n == 0) {
    /* t.* names a table there is not (so do new.* and old.* in a trigger). */
    if (star->table) cg_error(p, LODE_ERROR, "no such table: %s", star->table);
    else cg_error(p, LODE_ERROR, "no tables specified");
    return;
  }
  for (i = 0; i < s->n; i++) {
    ScopeItem *it = &s->items[i];
    /* t.* of a table inside FROM ( join ): its columns there (the join's own
    ** name is no table's there, as in SQLite) */
    int inside = star->table && it->nested_tab;
    if (star->table && util_stricmp(star->table, it->name) != 0 && !inside) continue;
    const char *const *terms = NULL;
    int nterms = nested && !star->table ? cg_nested_using_terms(s, i, &terms) : 0;
    for (j = 0; j < nterms; j++) {
      Expr *e = cg_using_value(p, s, terms[j]);
      if (!e || add_result(p, sp, cap, e, terms[j], NULL) != LODE_OK) return;
    }
    for (j = 0; j < it->table->ncols; j++) {
      if (inside && (!it->nested_tab[j] || util_stricmp(it->nested_tab[j], star->table) != 0)) continue;
      matched = 1;
      int how = cg_star_column(s, i, j, star->table != NULL, nested);
      if (how == STAR_SKIP) continue;
      int ref = i, ref_col = j;
      if (!nested && s->n > 1 && (ref = star_ref_item(p, from, i, j, &ref_col)) < 0) return;
      if (!nested && s->n == 1 && !star->table && nested_name_repeats(it, j)) {
        cg_error(p, LODE_ERROR, "ambiguous column name: %s", it->nested_col[j]);
        return;
      }
      Expr *e = how == STAR_NAME ? cg_using_value(p, s, it->table->cols[j].name)
                                 : make_column_expr(p, it->name, it->table->cols[j].name);
      if (!e) return;
      if (how == STAR_BOUND) { /* by position: a subquery's columns, or two items, may share a name */
        e->bound_column = ref_col + 1;
        cg_bind_to(e, s, ref, ref_col);
        if (p->auth) cg_auth_read(p, e, &s->items[ref], e->bind_col); /* a reference like any other */
      }
      const char *name = it->table->cols[j].name;
      if (long_names && it->name) { /* "item.column", the item named as FROM names it */
        char *z = arena_alloc(&p->arena, strlen(it->name) + strlen(name) + 2);
        if (!z) return (void)cg_error(p, LODE_NOMEM, "out of memory");
        sprintf(z, "%s.%s", it->name, name);
        name = z;
      }
      if (add_result(p, sp, cap, e, name, it->table->cols[j].decltype_) != LODE_OK) return;
      /* SQLite names a column of * over a nested join, or one named
      ** "item.column", otherwise: no ORDER BY term matches it by name. */
      if (!nested && !long_names) sp->results[sp->nresult - 1].order_name = name;
    }
  }
  if (!matched) cg_error(p, LODE_ERROR, "no such table: %s", star->table);
}

/* Whether the FROM of s has a view, CTE or aliased subquery named name
** that the statement wrote (not one that codegen made for window passes). */
static int names_own_item(const Select *s, const char *name) {
  for (int i = 0; s->from && i < s->from->n; i++) {
    const SrcItem *it = &s->from->items[i];
    const char *n = it->alias ? it->alias : it->name;
    if (n && !it->window_plan && util_stricmp(n, name) == 0) return 1;
  }
  return 0;
}

/* The name a statement's result column without AS gets under PRAGMA
** short_column_names / full_column_names (SQLite's rules): a column of a
** table is "table.column" with full_column_names, its own name with
** short_column_names (the default), and with both off, like any other
** expression, the text as written.  A column of a view, CTE or aliased
** subquery of the statement's FROM counts as a table's, named by the view,
** CTE or alias; one of the subqueries codegen makes itself (window passes)
** does not. */
static const char *output_column_name(Parse *p, const Select *s, const Expr *e, const char *span, const char *name) {
  int full = p->db->settings[CONN_SET_FULL_COLUMN_NAMES] != 0;
  int src = full || p->db->settings[CONN_SET_SHORT_COLUMN_NAMES] != 0;
  int cursor, col;
  Table *t;
  /* "a COLLATE x" is no column reference to SQLite here: it is named as written. */
  if (e->kind == EXPR_COLLATE) return span;
  if (e->kind != EXPR_COLUMN || !cg_try_resolve_column(p, e, &cursor, &col, &t)) return name;
  if (t->root == 0 && !t->vtab_module && !(t->name && names_own_item(s, t->name))) return name;
  if (!src) return span;
  if (!full) return name;
  char *z = arena_alloc(&p->arena, strlen(t->name) + strlen(name) + 2);
  if (!z) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return name;
  }
  sprintf(z, "%s.%s", t->name, name);
  return z;
}

static void expand_results(Parse *p, const Select *s, SelectPlan *sp, SelectDest *dest) {
  int i, cap = 0;
  dest->item_first = arena_alloc(&p->arena, sizeof(int) * (size_t)(s->columns->n + 1));
  for (i = 0; i < s->columns->n && p->rc == LODE_OK; i++) {
    const Expr *e = s->columns->items[i];
    if (dest->item_first) dest->item_first[i] = sp->nresult;
    const char *name = s->columns->names ? s->columns->names[i] : NULL;
    const char *decl = NULL;
    if (e->kind == EXPR_STAR) {
      /* With no FROM every "*" fails, and SQLite reports the last one's error. */
      for (int k = i + 1; (!p->scope || p->scope->n == 0) && k < s->columns->n; k++)
        if (s->columns->items[k]->kind == EXPR_STAR) e = s->columns->items[k];
      /* A statement's "*" columns are "item.column" only with full_column_names
      ** on and short_column_names off, as in SQLite. */
      expand_star(p, sp, &cap, e, s->nested_from, s->from,
                  dest->kind == DEST_RESULT && p->db->settings[CONN_SET_FULL_COLUMN_NAMES] &&
                      !p->db->settings[CONN_SET_SHORT_COLUMN_NAMES]);
      continue;
    }
    if (p->auth) cg_auth_early(p, e); /* the authorizer's questions, before the names bind */
    if (!name) {
      const char *span = s->columns->spans ? s->columns->spans[i] : "?";
      describe_result(p, e, span, &name, &decl);
      const Expr *base = e;
      while (base->kind == EXPR_COLLATE) base = base->left;
      if (dest->kind == DEST_RESULT) {
        name = output_column_name(p, s, e, span, name);
      } else if (dest->result_names && e->kind == EXPR_COLLATE) {
        name = span; /* as output_column_name names it */
      } else if (dest->written_names && base->kind == EXPR_COLUMN && base->text && !base->bound_column) {
        /* "SELECT Name, t.rowid FROM t" in FROM names its columns Name and
        ** rowid (references codegen made keep the names they read). */
        name = base->text;
      } else if (base != e && base->kind == EXPR_COLUMN) {
        /* A subquery's, view's or new table's column "a COLLATE x" is named a. */
        describe_result(p, base, name, &name, &(const char *){NULL});
      }
    } else {
      describe_result(p, e, name, &(const char *){NULL}, &decl);
    }
    if (add_result(p, sp, &cap, e, name, decl) == LODE_OK && s->columns->names)
      sp->results[sp->nresult - 1].order_name = s->columns->names[i];
  }
  if (p->rc == LODE_OK && sp->nresult > p->db->limits[LODE_LIMIT_COLUMN])
    cg_error(p, LODE_ERROR, "too many columns in result set");
}

/* A subquery's column names are made unique as SQLite makes them: a name
** already taken loses a ":digits" ending it has and gets ":N" appended, with
** the smallest N that is free. */
static const char *unique_name(Parse *p, Column *cols, int j, const char *name) {
  size_t base = strlen(cols[j].name);
  size_t k = base;
  while (k > 1 && isdigit((unsigned char)cols[j].name[k - 1])) k--;
  if (k > 1 && k < base && cols[j].name[k - 1] == ':') base = k - 1;
  for (int n = 1;; n++) {
    int taken = 0;
    for (int i = 0; i < j && !taken; i++) taken = util_stricmp(cols[i].name, name) == 0;
    if (!taken) return name;
    char *alt = arena_alloc(&p->arena, base + 24);
    if (!alt) return NULL;
    snprintf(alt, base + 24, "%.*s:%d", (int)base, cols[j].name, n);
    name = alt;
  }
}

int cg_subquery_table(Parse *p, const SelectDest *dest, const char *name, ScopeItem *item, int sorter) {
  Table *t = arena_alloc(&p->arena, sizeof(Table));
  int j;
  if (!t || !(t->cols = arena_alloc(&p->arena, sizeof(Column) * (size_t)(dest->ncols ? dest->ncols : 1))))
    return cg_error(p, LODE_NOMEM, "out of memory"), 0;
  t->name = (char *)name;
  t->ncols = dest->ncols;
  t->ipk = -1;
  t->readonly = 1;
  for (j = 0; j < dest->ncols; j++) {
    t->cols[j].name = (char *)(dest->names && dest->names[j] ? dest->names[j] : "");
    t->cols[j].name = (char *)unique_name(p, t->cols, j, t->cols[j].name);
    if (!t->cols[j].name) return cg_error(p, LODE_NOMEM, "out of memory"), 0;
    t->cols[j].decltype_ = dest->decls ? (char *)dest->decls[j] : NULL;
    t->cols[j].affinity = dest->affs && dest->affs[j] ? dest->affs[j] : AFF_NONE;
    if (dest->colls && dest->colls[j] >= 0) t->cols[j].coll = dest->colls[j];
  }
  item->col_affs = dest->affs;
  item->col_origins = dest->origins;
  item->name = t->name;
  item->table = t;
  item->sorter = sorter;
  item->cursor = cg_cursor(p);
  item->co_yield = dest->co_yield;
  item->prune = dest->prune ? *dest->prune : NULL;
  if (dest->co_yield) { /* no row coded (none has columns): registers that stay NULL */
    if (!*dest->co_row) *dest->co_row = cg_regs(p, dest->ncols);
    item->co_row = *dest->co_row;
  }
  item->rec_reg = cg_reg(p);
  cg_op(p, OP_OpenPseudo, item->cursor, item->rec_reg, dest->ncols);
  return 1;
}

/* A subquery in FROM is run first into a sorter (keeping its row order);
** the outer query then scans the sorter through a pseudo cursor, with a
** synthetic Table naming the subquery's columns. */
int cg_sorter_dest(Parse *p, SelectDest *dest) {
  KeyInfo *k = keyinfo_new(0);
  int sorter = cg_cursor(p), at;
  if (!k || (at = vdbe_add_op4(p->v, OP_SorterOpen, sorter, 0, 0, P4_KEYINFO, k, 0)) < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return -1;
  }
  memset(dest, 0, sizeof *dest);
  dest->kind = DEST_SORTER;
  dest->cursor = sorter;
  dest->open_at = at;
  return sorter;
}

/* The rows of a plain VALUES list (its row count, as SQLite estimates a
** subquery of one by its rows), else 0. */
static int values_list_rows(const Select *s) {
  int n = 0;
  if (s->norder || s->limit) return 0;
  for (const Select *c = s; c; c = c->next, n++)
    if (!c->values_row) return 0;
  return n;
}

int cg_open_subquery_select(Parse *p, const Select *sub, const char *name, const char *label, ScopeItem *item,
                            int written_names) {
  SelectDest dest;
  int parent, sorter, init = -1, once = -1;
  int coroutine = p->explain_coroutine;
  /* The outermost loop of a FROM that reads the subquery once takes its rows
  ** as they are made (a co-routine: no copy of them, and no more of them
  ** made than the reader wants); else they are kept in a sorter first. */
  int run_as_coroutine = coroutine && p->coroutine_ok;
  p->explain_coroutine = 0;
  p->coroutine_ok = 0;
  if (run_as_coroutine) {
    memset(&dest, 0, sizeof dest);
    dest.kind = DEST_SORTER;
    dest.cursor = sorter = cg_cursor(p); /* never opened: the item reads as a subquery's */
    dest.co_yield = cg_reg(p);
    dest.co_row = arena_alloc(&p->arena, sizeof(int));
    if (!dest.co_row) return cg_error(p, LODE_NOMEM, "out of memory"), 0;
    init = cg_op(p, OP_InitCoroutine, dest.co_yield, 0, vdbe_current_addr(p->v) + 1);
  } else {
    /* Filled once per run when it reads no enclosing query (patched below
    ** into a Once): inside a correlated subquery or an outer loop the rows
    ** are kept, not made again each time, as SQLite materializes once. */
    once = cg_op(p, OP_Noop, 0, 0, 0);
    if ((sorter = cg_sorter_dest(p, &dest)) < 0) return 0;
  }
  dest.written_names = written_names;
  if (!(dest.prune = arena_alloc(&p->arena, sizeof(PruneSpot *)))) return cg_error(p, LODE_NOMEM, "out of memory"), 0;
  /* A FROM subquery sees the queries around its own (it is coded, and so
  ** run, inside their loops), not the other tables of its FROM clause,
  ** whose scope is not installed yet. */
  parent = p->explain_parent;
  p->explain_parent = cg_explain_step(p, "%s %s", coroutine ? "CO-ROUTINE" : "MATERIALIZE", label ? label : name);
  if (init >= 0) vdbe_op_at(p->v, init)->p3 = vdbe_current_addr(p->v);
  int before = p->min_ref_level, base = cg_scope_level(p->scope);
  p->min_ref_level = INT_MAX;
  cg_select(p, sub, &dest);
  if (once >= 0 && p->min_ref_level > base && !p->rerun_subqueries && p->rc == LODE_OK && !vdbe_oom(p->v)) {
    VdbeOp *op = vdbe_op_at(p->v, once);
    op->opcode = OP_Once;
    op->p2 = vdbe_current_addr(p->v);
  }
  if (before < p->min_ref_level) p->min_ref_level = before;
  p->explain_parent = parent;
  if (init >= 0) {
    cg_op(p, OP_EndCoroutine, dest.co_yield, 0, 0);
    vdbe_op_at(p->v, init)->p2 = vdbe_current_addr(p->v);
  }
  if (p->rc != LODE_OK || !cg_subquery_table(p, &dest, name, item, sorter)) return 0;
  item->est_rows = values_list_rows(sub);
  /* A compound SELECT's own result keeps its first arm's names as they are
  ** ("SELECT 1 AS a, 2 AS a UNION ..." names both columns a): only a real
  ** subquery's columns are made unique.  Its ORDER BY names columns by
  ** number, so the repeated names resolve nothing here. */
  if (sub->compound_body)
    for (int j = 0; j < dest.ncols; j++)
      if (dest.names && dest.names[j]) item->table->cols[j].name = (char *)dest.names[j];
  cg_nested_from_names(p, sub, &dest, item);
  return 1;
}

/* A query that returns its FROM item's rows as they come, up to a LIMIT. */
static int passes_rows_on(Parse *p, const Select *s) {
  if (!s->limit || s->where || s->group_by || s->having || s->distinct || s->norder || s->next) return 0;
  for (int i = 0; i < s->columns->n; i++)
    if (cg_expr_has_aggregate(p, s->columns->items[i])) return 0;
  return 1;
}

/* A plain integer literal's value (no sign, no overflow): *v; else 0. */
static int literal_count(const Expr *e, int64_t *v) {
  if (!e || e->kind != EXPR_INTEGER || e->too_big || e->ival < 0) return 0;
  *v = e->ival;
  return 1;
}

/* The FROM subquery of a query that hands its rows on up to a LIMIT (both
** written as literals) needs no more of them than LIMIT + OFFSET: a copy of
** it bounded so, when it has no LIMIT of its own (a sorted subquery then
** keeps only its first rows in its sorter, as SQLite's flattened query
** does).  Else sub itself. */
static const Select *bound_by_outer_limit(Parse *p, const Select *s, const Select *sub) {
  int64_t limit, offset = 0;
  if (sub->limit || sub->compound_body || s->from->n != 1 || !passes_rows_on(p, s) || s->nwindows || cg_select_has_window(s) ||
      !literal_count(s->limit, &limit) || (s->offset && !literal_count(s->offset, &offset)) ||
      limit > INT64_MAX - offset)
    return sub;
  Select *copy = arena_alloc(&p->arena, sizeof *copy);
  Expr *bound = arena_alloc(&p->arena, sizeof *bound);
  char *text = arena_alloc(&p->arena, 24);
  if (!copy || !bound || !text) return cg_error(p, LODE_NOMEM, "out of memory"), sub;
  *copy = *sub;
  *bound = *s->limit;
  bound->ival = limit + offset;
  bound->n = snprintf(text, 24, "%lld", (long long)bound->ival);
  bound->text = text;
  copy->limit = bound;
  copy->offset = NULL;
  return copy;
}

/* nexists: room for that many EXISTS tables after the FROM items (exists.c). */
static void open_from(Parse *p, const Select *s, Scope *scope, int nexists) {
  int i, nfrom = s->from ? s->from->n : 0;
  scope->n = 0;
  scope->items = NULL;
  scope->outer = p->scope;
  scope->nexists = 0;
  if (nfrom + nexists == 0) return;
  scope->items = arena_alloc(&p->arena, sizeof(ScopeItem) * (size_t)(nfrom + nexists));
  if (!scope->items) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  if (nfrom == 0) return;
  for (i = 0; i < s->from->n; i++) {
    const SrcItem *src = &s->from->items[i];
    Table *t;
    /* SQLite runs the first FROM subquery as a co-routine when nothing
    ** joins it or the next join is an outer or CROSS one; the others it
    ** materialises (EXPLAIN QUERY PLAN tells them apart). */
    int next_join = i + 1 < s->from->n ? s->from->items[i + 1].join_type : 0;
    p->explain_coroutine = i == 0 && (s->from->n == 1 || next_join == JOIN_LEFT || next_join == JOIN_CROSS ||
                                      next_join == JOIN_RIGHT || next_join == JOIN_FULL);
    /* It is the outermost loop then (a LEFT or CROSS join keeps the FROM
    ** order) and read once: it runs as one. */
    int coroutine_ok = i == 0 && (s->from->n == 1 || next_join == JOIN_LEFT || next_join == JOIN_CROSS);
    if (src->subquery) {
      const char *name = src->alias;
      if (!name) { /* SQLite's name for it: its last core's number */
        const Select *last = src->subquery;
        while (last->next) last = last->next;
        char buf[32];
        int n = snprintf(buf, sizeof buf, "(subquery-%d)", last->sel_id);
        name = last->sel_id > 0 ? arena_strndup(&p->arena, buf, (size_t)n) : "subquery";
        if (!name) return (void)cg_error(p, LODE_NOMEM, "out of memory");
      }
      const Select *sub =
          src->window_plan ? NULL : bound_by_outer_limit(p, s, cg_push_down(p, s, i, src->subquery, src->alias, NULL, 0));
      p->coroutine_ok = coroutine_ok && !src->window_plan;
      int opened = src->window_plan ? cg_window_open_source(p, src, &scope->items[i])
                                    : cg_open_subquery_select(p, sub, name, NULL, &scope->items[i], 1);
      p->coroutine_ok = 0;
      if (!opened) return;
      scope->n = i + 1;
      continue;
    }
    if (src->is_call) { /* a table-valued function */
      if (!cg_open_call(p, src, &scope->items[i])) return;
      scope->n = i + 1;
      continue;
    }
    p->limit_hint = s->from->n == 1 && passes_rows_on(p, s) ? s : NULL;
    p->push_outer = s;
    p->push_item = i;
    p->coroutine_ok = coroutine_ok;
    int named = cg_open_named_subquery(p, src, &scope->items[i]);
    p->coroutine_ok = 0;
    p->push_outer = NULL;
    p->limit_hint = NULL;
    if (named) { /* a CTE or a view */
      if (p->rc != LODE_OK) return;
      scope->n = i + 1;
      continue;
    }
    /* An eponymous module, whatever schema names it (as in SQLite 3.53) */
    if (!cg_lookup_table(p, src->schema, src->name)) {
      const VtabModule *m = cg_find_module(p, src->name);
      if (p->rc != LODE_OK) return;
      if (m) {
        if (!cg_open_vtab(p, src, m, &scope->items[i])) return;
        scope->n = i + 1;
        continue;
      }
    }
    t = cg_find_table_in(p, src->schema, src->name); /* a qualified name is named as written */
    if (!t) return;
    if (p->rename) cg_rename_note_source(p, src, t);
    scope->items[i].explain_name = cg_explain_name(p, src);
    if (t->vtab_module) { /* an application's virtual table */
      const VtabModule *m = cg_table_module(p, t);
      if (!m || !cg_open_vtab(p, src, m, &scope->items[i])) return;
      scope->n = i + 1;
      continue;
    }
    /* The schema table is named sqlite_master (sqlite_temp_master in temp)
    ** in FROM, whichever of its names the statement used, as in SQLite. */
    scope->items[i].name = src->alias ? src->alias : t->root == BTREE_SCHEMA_ROOT ? cg_schema_table_name(t) : t->name;
    scope->items[i].aliased = src->alias != NULL;
    scope->items[i].table = t;
    scope->items[i].cursor = cg_cursor(p);
    scope->items[i].sorter = -1;
    scope->items[i].not_indexed = src->not_indexed;
    if (src->indexed_by && !(scope->items[i].indexed_by = cg_find_index_of(p, t, src->indexed_by))) return;
    scope->n = i + 1;
    cg_open_table(p, t, scope->items[i].cursor, OP_OpenRead);
  }
  cg_join_prepare(p, s, scope);
}

/* LIMIT and OFFSET are evaluated once, before the scan. */
static void code_limit(Parse *p, const Select *s, SelectPlan *sp) {
  if (!s->limit) return;
  /* They name no columns, not even those of queries around (SQLite
  ** resolves them with no tables in scope). */
  Scope *scope = p->scope;
  p->scope = NULL;
  sp->limit_reg = cg_expr_reg(p, s->limit);
  cg_op(p, OP_MustBeInt, sp->limit_reg, 0, 0);
  if (s->offset) {
    sp->offset_reg = cg_expr_reg(p, s->offset);
    cg_op(p, OP_MustBeInt, sp->offset_reg, 0, 0);
  }
  p->scope = scope;
  /* LIMIT 0 returns nothing; a negative LIMIT means no limit. */
  cg_op(p, OP_IfNot, sp->limit_reg, sp->end_label, 0);
}

/* The rows of a LIMIT written as a positive integer, else 0. */
static int64_t constant_limit(const Select *s) {
  return s->limit && s->limit->kind == EXPR_INTEGER && !s->limit->too_big && s->limit->ival > 0 ? s->limit->ival : 0;
}

/* ORDER BY … LIMIT: the sorter need keep only LIMIT+OFFSET rows.  (Not
** with DISTINCT, which drops rows after sorting.) */
static void bound_sorter(Parse *p, SelectPlan *sp) {
  int budget = sp->limit_reg;
  if (sp->offset_reg) {
    budget = cg_reg(p);
    cg_op(p, OP_OffsetLimit, sp->limit_reg, budget, sp->offset_reg);
  }
  sp->sorter_limit_at = cg_op(p, OP_SorterLimit, sp->sorter, budget, 0);
  sp->sorter_bounded = 1;
}

const char *cg_ordinal_suffix(int n) {
  static const char *const suffix[] = {"th", "st", "nd", "rd"};
  return (n % 100 >= 11 && n % 100 <= 13) || n % 10 > 3 ? "th" : suffix[n % 10];
}

/* "2nd ORDER BY term out of range - should be between 1 and 3" */
static void term_out_of_range(Parse *p, const char *clause, int n, int nresult) {
  cg_error(p, LODE_ERROR, "%d%s %s BY term out of range - should be between 1 and %d", n, cg_ordinal_suffix(n), clause,
           nresult);
}

/* Whether an ORDER BY / GROUP BY term is an integer constant (a result
** column number, signs allowed, any number of them as in SQLite's reading:
** "- - 2" is 2); its value in *v.  Only a literal that fits a 32-bit int
** counts, as in SQLite: a larger one is an ordinary constant expression
** (sorting by nothing in a simple SELECT, matching no column of a compound). */
int cg_term_number(const Expr *e, int64_t *v) {
  if (e->kind == EXPR_INTEGER && !e->quoted && e->ival >= 0 && e->ival <= INT32_MAX) return *v = e->ival, 1;
  if (e->kind == EXPR_UNARY && (e->op == TK_MINUS || e->op == TK_PLUS) && e->left && cg_term_number(e->left, v)) {
    if (e->op == TK_MINUS) *v = -*v;
    return 1;
  }
  return 0;
}

/* A term "n COLLATE x" or "alias COLLATE x" sorts the result column it
** names in collation x. */
static const Expr *keep_collate(Parse *p, const Expr *term, const Expr *resolved) {
  if (term->kind != EXPR_COLLATE) return resolved;
  Expr *c = arena_alloc(&p->arena, sizeof(Expr));
  if (!c) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  *c = *term;
  c->left = (Expr *)resolved;
  return c;
}

static const Expr *resolve_order_term(Parse *p, SelectPlan *sp, const Expr *e, int idx) {
  int i;
  int64_t v;
  const Expr *base = e->kind == EXPR_COLLATE ? e->left : e;
  if (cg_term_number(base, &v)) {
    if (v < 1 || v > sp->nresult) {
      term_out_of_range(p, "ORDER", idx + 1, sp->nresult);
      return NULL;
    }
    return keep_collate(p, e, sp->results[v - 1].expr);
  }
  /* The first result column of that name, an alias or a column of "*": the
  ** term is that column's expression (so a rename does not see the term as
  ** naming a table's column, as SQLite's does not). */
  if (base->kind == EXPR_COLUMN && !base->table) {
    for (i = 0; i < sp->nresult; i++) {
      const char *name = sp->results[i].order_name;
      if (name && util_stricmp(name, base->text) == 0) return keep_collate(p, e, sp->results[i].expr);
    }
  }
  return e;
}

static KeyInfo *make_keyinfo(Parse *p, const Select *s, SelectPlan *sp) {
  int i, n = s->norder;
  KeyInfo *k = keyinfo_new(n);
  if (!k) return NULL;
  for (i = 0; i < n; i++) {
    const OrderTerm *o = &s->order_by[i];
    k->desc[i] = (uint8_t)o->desc;
    k->coll[i] = (uint8_t)cg_expr_collation(p, sp->order_exprs[i]);
    k->nulls_last[i] = (uint8_t)(o->nulls == 2 || (o->nulls == 0 && o->desc));
  }
  return k;
}

static int has_nested_scope(const Expr *e);
static void fix_order_results(Parse *p, SelectPlan *sp, int names_next);

static void setup_order_by(Parse *p, const Select *s, SelectPlan *sp) {
  int i;
  KeyInfo *k;
  sp->sorter = -1;
  if (s->norder == 0) return;
  if (sp->is_agg && !s->group_by) { /* one aggregate row needs no sorting, yet its terms must resolve */
    for (i = 0; i < s->norder && p->rc == LODE_OK; i++) {
      const Expr *e = resolve_order_term(p, sp, s->order_by[i].expr, i);
      if (e && !has_nested_scope(e)) cg_check_names(p, e);
    }
    return;
  }
  sp->norder = s->norder;
  sp->order_exprs = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)s->norder);
  if (!sp->order_exprs) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (i = 0; i < s->norder; i++) {
    sp->order_exprs[i] = resolve_order_term(p, sp, s->order_by[i].expr, i);
    if (!sp->order_exprs[i]) return;
  }
  fix_order_results(p, sp, !s->having); /* HAVING's names come before ORDER BY's */
  k = make_keyinfo(p, s, sp);
  if (!k) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  sp->sorter = cg_cursor(p);
  sp->sorter_open_at = vdbe_add_op4(p->v, OP_SorterOpen, sp->sorter, s->norder, 0, P4_KEYINFO, k, 0);
  if (sp->sorter_open_at < 0) cg_error(p, LODE_NOMEM, "out of memory");
  /* No run of rows yet, should the loops sort by runs (each run of this query, too) */
  sp->run_have = cg_reg(p);
  sp->run_have_at = cg_op(p, OP_Integer, 0, sp->run_have, 0);
}

/* The rows come in the ORDER BY's order: the sorter opened before the loops
** were planned is not used, and opening it (and bounding it) each run would
** cost an allocation for nothing. */
static void drop_sorter(Parse *p, SelectPlan *sp) {
  if (sp->sorter < 0) return;
  vdbe_change_to_noop(p->v, sp->sorter_open_at);
  vdbe_change_to_noop(p->v, sp->run_have_at);
  if (sp->sorter_bounded) vdbe_change_to_noop(p->v, sp->sorter_limit_at);
  sp->sorter_bounded = 0;
  sp->sorter = -1;
}

/* Jumps to skip when registers cur[0..n) equal prev[0..n) (NULLs equal to
** NULLs, column i in collation colls[i]) and have says prev holds a row;
** else they become prev.  Rows (or values) that come in order are told
** apart from the one before them so. */
static void skip_repeat(Parse *p, int cur, int prev, int have, int n, const int *colls, int skip) {
  int fresh = vdbe_make_label(p->v);
  cg_op(p, OP_IfNot, have, fresh, 0);
  for (int i = 0; i < n; i++) {
    int addr = vdbe_add_op4_int(p->v, OP_Ne, prev + i, fresh, cur + i, colls[i]);
    if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_NULLEQ);
  }
  cg_op(p, OP_Goto, 0, skip, 0);
  vdbe_resolve_label(p->v, fresh);
  cg_op(p, OP_Copy, cur, prev, n - 1);
  cg_op(p, OP_Integer, 1, have, 0);
}

/* SELECT DISTINCT: jumps to skip_label when the row in regs[0..nresult) was
** seen before (the set looks at the registers), rows told apart in each
** result column's collation. */
static void skip_seen_row(Parse *p, const SelectPlan *sp, int regs, int skip_label) {
  KeyInfo *k = keyinfo_new(sp->nresult);
  if (!k) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (int i = 0; i < sp->nresult; i++) k->coll[i] = (uint8_t)cg_expr_collation(p, sp->results[i].expr);
  int at = vdbe_add_op4(p->v, OP_DistinctRow, sp->distinct_set, skip_label, regs, P4_KEYINFO, k, 0);
  if (at < 0) cg_error(p, LODE_NOMEM, "out of memory");
  else vdbe_set_p5(p->v, at, (uint16_t)sp->nresult);
}

/* Sends the row in regs[0..n) to its destination, honouring OFFSET/LIMIT. */
static void emit_row(Parse *p, SelectPlan *sp, SelectDest *dest, int regs, int skip_label) {
  if (sp->distinct_prev) { /* rows in order: a duplicate equals the row before it */
    int *colls = arena_alloc(&p->arena, sizeof(int) * (size_t)sp->nresult);
    if (!colls) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    for (int i = 0; i < sp->nresult; i++) colls[i] = cg_expr_collation(p, sp->results[i].expr);
    skip_repeat(p, regs, sp->distinct_prev, sp->distinct_have, sp->nresult, colls, skip_label);
  } else if (sp->distinct_set) {
    skip_seen_row(p, sp, regs, skip_label);
  }
  if (sp->offset_reg) cg_op(p, OP_IfPos, sp->offset_reg, skip_label, 1);
  switch (dest->kind) {
  case DEST_RESULT: cg_op(p, OP_ResultRow, regs, sp->nresult, 0); break;
  case DEST_SCALAR: /* column `column`, or `width` columns from there (a row value) */
    if (dest->column + (dest->width > 1 ? dest->width : 1) <= sp->nresult)
      cg_op(p, OP_Copy, regs + dest->column, dest->reg, dest->width > 1 ? dest->width - 1 : 0);
    cg_op(p, OP_Goto, 0, sp->end_label, 0);
    return;
  case DEST_EXISTS:
    cg_op(p, OP_Integer, 1, dest->reg, 0);
    cg_op(p, OP_Goto, 0, sp->end_label, 0);
    return;
  case DEST_QUEUE: {
    const char **names = arena_alloc(&p->arena, sizeof(char *) * (size_t)(sp->nresult ? sp->nresult : 1));
    for (int i = 0; names && i < sp->nresult; i++) names[i] = sp->results[i].name;
    cg_queue_row(p, dest, regs, sp->nresult, names, skip_label);
    break;
  }
  case DEST_IN: {
    int not_null = vdbe_make_label(p->v);
    const Expr *r = sp->results[0].expr;
    char aff = cg_combine_affinity(dest->affinity, cg_expr_affinity(p, r));
    /* The collation of "x = y": a COLLATE in x, else in y (anywhere in
    ** either), else x's column's, else y's. */
    int coll = dest->left_collate || (!cg_has_collate(r) && dest->left_coll >= 0) ? dest->left_coll
                                                                                  : cg_expr_collation(p, r);
    dest->in_coll = coll;
    dest->in_aff = aff;
    int addr = vdbe_add_op4_int(p->v, OP_Eq, regs, dest->label, dest->reg, coll);
    if (addr >= 0) vdbe_set_p5(p->v, addr, (uint16_t)(aff ? aff - 'A' + 1 : 0));
    cg_op(p, OP_Integer, 1, dest->any_reg, 0);
    cg_op(p, OP_NotNull, regs, not_null, 0);
    cg_op(p, OP_Integer, 1, dest->null_reg, 0);
    vdbe_resolve_label(p->v, not_null);
    break;
  }
  case DEST_GOSUB:
    /* Every place that emits rows hands them over in the same registers.
    ** Shallow copies: the subroutine (an INSERT's row, dml.c) is done with
    ** them before anything here runs again, and writes no b-tree the
    ** SELECT reads while it streams (otherwise it only encodes them for its
    ** sorter). */
    if (!dest->row_reg) dest->row_reg = cg_regs(p, sp->nresult ? sp->nresult : 1);
    for (int i = 0; i < sp->nresult; i++) cg_op(p, OP_SCopy, regs + i, dest->row_reg + i, 0);
    cg_op(p, OP_Gosub, dest->reg, dest->label, 0);
    break;
  case DEST_UPFROM: {
    int n = sp->nresult, row = cg_regs(p, n + 1), rec = cg_reg(p), one = cg_reg(p);
    cg_op(p, OP_IsNull, regs, skip_label, 0); /* no target row: a RIGHT join's unmatched row */
    cg_op(p, OP_Integer, 1, one, 0);
    cg_op(p, OP_Add, one, dest->reg, dest->reg);
    cg_op(p, OP_Copy, regs, row, dest->width - 1);
    cg_op(p, OP_SCopy, dest->reg, row + dest->width, 0);
    if (n > dest->width) cg_op(p, OP_Copy, regs + dest->width, row + dest->width + 1, n - dest->width - 1);
    cg_op(p, OP_MakeRecord, row, n + 1, rec);
    cg_op(p, OP_SorterInsert, dest->cursor, rec, 0);
    break;
  }
  case DEST_ROWSET:
    for (int i = 0; dest->row_colls && i < sp->nresult; i++) {
      dest->row_colls[i] = cg_result_collation(p, sp->results[i].expr);
      if (dest->row_collate) dest->row_collate[i] = cg_has_collate(sp->results[i].expr);
    }
    cg_rowset_row(p, dest, regs, sp->nresult);
    break;
  case DEST_INSET: { /* a value of a set IN probes: NULLs only noted */
    int null = vdbe_make_label(p->v), added = vdbe_make_label(p->v), v = cg_reg(p), rec = cg_reg(p);
    cg_op(p, OP_Integer, 1, dest->any_reg, 0);
    cg_op(p, OP_IsNull, regs, null, 0);
    cg_op(p, OP_SCopy, regs, v, 0);
    if (dest->in_aff) {
      char a[2] = {dest->in_aff, 0};
      cg_op4_str(p, OP_Affinity, v, 1, 0, a);
    }
    if (dest->filter_reg) {
      KeyInfo *k = keyinfo_new(1);
      if (!k) {
        cg_error(p, LODE_NOMEM, "out of memory");
        return;
      }
      k->coll[0] = (uint8_t)dest->filter_coll;
      if (vdbe_add_op4(p->v, OP_FilterAdd, dest->filter_reg, 0, v, P4_KEYINFO, k, 0) < 0)
        cg_error(p, LODE_NOMEM, "out of memory");
      if (!dest->filter_explained) cg_explain_step(p, "CREATE BLOOM FILTER");
      dest->filter_explained = 1;
    }
    cg_op(p, OP_MakeRecord, v, 1, rec);
    cg_op(p, OP_IdxInsert, dest->cursor, rec, 0);
    cg_op(p, OP_Goto, 0, added, 0);
    vdbe_resolve_label(p->v, null);
    cg_op(p, OP_Integer, 1, dest->null_reg, 0);
    vdbe_resolve_label(p->v, added);
    break;
  }
  default: {
    if (dest->co_yield) { /* the reader takes the columns from registers that are the same for every row */
      if (!*dest->co_row) *dest->co_row = cg_regs(p, sp->nresult);
      if (sp->nresult) {
        int at = cg_op(p, OP_Copy, regs, *dest->co_row, sp->nresult - 1);
        vdbe_set_p5(p->v, at, COPY_NO_SUBTYPE); /* as the row read back from a table would have none */
      }
      cg_op(p, OP_Yield, dest->co_yield, 0, 0);
      break;
    }
    int rec = cg_reg(p);
    if (dest->tag_reg) { /* one more column: which side of a set operation the row came from */
      int tagged = cg_regs(p, sp->nresult + 1);
      cg_op(p, OP_Copy, regs, tagged, sp->nresult - 1);
      cg_op(p, OP_SCopy, dest->tag_reg, tagged + sp->nresult, 0);
      cg_op(p, OP_MakeRecord, tagged, sp->nresult + 1, rec);
    } else {
      cg_op(p, OP_MakeRecord, regs, sp->nresult, rec);
    }
    cg_op(p, OP_SorterInsert, dest->cursor, rec, 0);
    break;
  }
  }
  if (sp->limit_reg) cg_op(p, OP_DecrJumpZero, sp->limit_reg, sp->end_label, 0);
}

/* The result columns into n registers from regs: their subqueries do not see
** this query's aliases. */
/* Result column i into reg; the select's own aliases are out of sight there. */
static void code_result_expr(Parse *p, const SelectPlan *sp, int i, int reg) {
  AliasFrame *f = p->aliases && p->aliases->scope == p->scope ? p->aliases : NULL;
  if (f) f->hidden = 1;
  cg_expr(p, sp->results[i].expr, reg);
  if (f) f->hidden = 0;
}

static void code_result_exprs(Parse *p, SelectPlan *sp, int regs) {
  for (int i = 0; i < sp->nresult; i++) code_result_expr(p, sp, i, regs + i);
}

static int code_results(Parse *p, SelectPlan *sp) {
  int regs = cg_regs(p, sp->nresult);
  code_result_exprs(p, sp, regs);
  return regs;
}

/* ---- aggregates ----------------------------------------------------------------- */

/* The register holding column col (-1: rowid) of cursor's row as the
** aggregate's output sees it (a bare column), added if new. */
static int add_bare_column(Parse *p, AggInfo *agg, int cursor, int col) {
  for (int i = 0; i < agg->nbare; i++)
    if (agg->bare[i].cursor == cursor && agg->bare[i].col == col) return agg->bare[i].reg;
  BareColumn *bare = arena_alloc(&p->arena, sizeof(BareColumn) * (size_t)(agg->nbare + 1));
  if (!bare) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return 0;
  }
  if (agg->nbare) memcpy(bare, agg->bare, sizeof(BareColumn) * (size_t)agg->nbare);
  bare[agg->nbare].cursor = cursor;
  bare[agg->nbare].col = col;
  bare[agg->nbare].reg = cg_reg(p);
  agg->bare = bare;
  agg->nbare++;
  return bare[agg->nbare - 1].reg;
}

static void collect_aggregates(Parse *p, AggInfo *agg, const Expr *e, int inside);

/* Adds aggregate call e (of function f) to the query's calls. */
static void add_call(Parse *p, AggInfo *agg, const Expr *e, const FuncDef *f) {
  /* An ORDER BY term naming a result column is that column's own call. */
  for (int i = 0; i < agg->ncalls; i++)
    if (cg_same_agg_call(agg->calls[i].expr, e)) return;
  AggCall *calls = arena_alloc(&p->arena, sizeof(AggCall) * (size_t)(agg->ncalls + 1));
  if (!calls) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  if (agg->ncalls) memcpy(calls, agg->calls, sizeof(AggCall) * (size_t)agg->ncalls);
  calls[agg->ncalls].expr = e;
  calls[agg->ncalls].func = f;
  calls[agg->ncalls].accum = cg_reg(p);
  calls[agg->ncalls].ob_sorter = e->agg_order ? cg_cursor(p) : -1;
  calls[agg->ncalls].ob_seq = e->agg_order ? cg_regs(p, 2) : 0; /* the number, and 1 */
  calls[agg->ncalls].ob_replaces = e->agg_order && e->distinct && e->agg_order->n == 1 && e->args &&
                                   e->args->n == 1 && cg_same_tree(e->agg_order->items[0], e->args->items[0]);
  calls[agg->ncalls].ob_distinct = e->agg_order && e->distinct && !calls[agg->ncalls].ob_replaces ? cg_reg(p) : 0;
  agg->calls = calls;
  agg->ncalls++;
  for (int i = 0; e->args && i < e->args->n; i++) collect_aggregates(p, agg, e->args->items[i], 1);
  collect_aggregates(p, agg, e->filter, 1);
  for (int i = 0; e->agg_order && i < e->agg_order->n; i++) collect_aggregates(p, agg, e->agg_order->items[i], 1);
}

static int agg_norder(const AggCall *c) { return c->expr->agg_order ? c->expr->agg_order->n : 0; }

/* Record column of an ordered call's first argument: after its ORDER BY
** terms and the arrival number. */
static int order_args_at(const AggCall *c) { return agg_norder(c) + 1; }

/* The sorter of an aggregate's ORDER BY: its terms as written, then the
** arrival number, which keeps ties in the order the rows came. */
static void open_order_sorter(Parse *p, const AggCall *c) {
  const ExprList *o = c->expr->agg_order;
  int nkey = o->n + 1;
  KeyInfo *k = keyinfo_new(nkey);
  if (!k) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (int i = 0; i < o->n; i++) {
    uint8_t fl = c->expr->agg_order_flags[i];
    k->desc[i] = (uint8_t)(fl & AGG_ORDER_DESC);
    k->coll[i] = (uint8_t)cg_expr_collation(p, o->items[i]);
    k->nulls_last[i] = (uint8_t)((fl & AGG_ORDER_NULLS_LAST) || ((fl & AGG_ORDER_DESC) && !(fl & AGG_ORDER_NULLS_FIRST)));
  }
  if (c->ob_replaces) k->desc[o->n] = 1; /* the last to come first: the step's DISTINCT keeps it */
  if (vdbe_add_op4(p->v, OP_SorterOpen, c->ob_sorter, nkey, 0, P4_KEYINFO, k, 0) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  cg_op(p, OP_Integer, 0, c->ob_seq, 0);
  cg_op(p, OP_Integer, 1, c->ob_seq + 1, 0);
  if (c->ob_distinct) cg_op(p, OP_Null, 0, c->ob_distinct, 0);
}

/* A call of a subquery that this query computes (agg_owner.c). */
static void add_owned_call(Parse *p, AggInfo *agg, const Expr *e) {
  int exists = 0;
  int nargs = e->star ? 0 : (e->args ? e->args->n : 0);
  const FuncDef *f = func_lookup(p->db->funcs, e->text, nargs, &exists);
  if (!f) return;
  if (e->distinct && nargs != 1) {
    cg_error(p, LODE_ERROR, "DISTINCT aggregates must have exactly one argument");
    return;
  }
  add_call(p, agg, e, f);
}

static void collect_aggregates(Parse *p, AggInfo *agg, const Expr *e, int inside) {
  int i;
  if (!e || p->rc != LODE_OK) return;
  if (cg_is_outer_owned(p, e)) return; /* an enclosing query's value */
  if (e->kind == EXPR_FUNCTION) {
    int exists = 0;
    int nargs = e->star ? 0 : (e->args ? e->args->n : 0);
    const FuncDef *f = func_lookup(p->db->funcs, e->text, nargs, &exists);
    if (f && (f->flags & FUNC_AGGREGATE)) {
      if (cg_func_unsafe(p, e, f)) return;
      if (e->distinct && nargs != 1) {
        cg_error(p, LODE_ERROR, "DISTINCT aggregates must have exactly one argument");
        return;
      }
      if (inside) {
        cg_error_at(p, e, LODE_ERROR, e->over ? "misuse of window function %s()" : "misuse of aggregate function %s()",
                    e->text);
        return;
      }
      add_call(p, agg, e, f);
      return;
    }
  }
  if (e->kind == EXPR_COLUMN && !inside) {
    int cursor, col;
    Table *t;
    if (cg_column_is_literal(p, e)) return;
    if (cg_resolve_column(p, e, &cursor, &col, &t) != LODE_OK) return;
    if (e->kind != EXPR_COLUMN) { /* a FULL join's coalesce (cg_resolve_column) */
      collect_aggregates(p, agg, e, inside);
      return;
    }
    add_bare_column(p, agg, cursor, col);
    return;
  }
  /* Calls are numbered in SQLite's walk order, which decides among min() and
  ** max() calls whose row the bare columns show: a CASE's ELSE comes after
  ** its WHEN and THEN terms, and LIKE (a function of its pattern first) walks
  ** the pattern, the string, then the escape. */
  if (e->kind == EXPR_LIKE) {
    collect_aggregates(p, agg, e->right, inside);
    collect_aggregates(p, agg, e->left, inside);
    collect_aggregates(p, agg, e->escape, inside);
    return;
  }
  collect_aggregates(p, agg, e->left, inside);
  if (e->kind != EXPR_CASE) collect_aggregates(p, agg, e->right, inside);
  for (i = 0; e->args && i < e->args->n; i++) collect_aggregates(p, agg, e->args->items[i], inside);
  if (e->kind == EXPR_CASE) collect_aggregates(p, agg, e->right, inside);
}

/* A min(x) or max(x) call: bare columns follow its extreme row. */
/* min(x) or max(x), the aggregate: one argument, DISTINCT or not. */
static int min_or_max_call(const Expr *e) {
  return e->args && e->args->n == 1 && (util_stricmp(e->text, "max") == 0 || util_stricmp(e->text, "min") == 0);
}

/* The registers bare_row_test keeps per aggregate call. */
#define EXTREME_REGS 4

/* Registers of the aggregate state are cleared at the start and, with GROUP
** BY, again after each group has been output. */
static void reset_aggregates(Parse *p, AggInfo *agg) {
  int i;
  for (i = 0; i < agg->ncalls; i++) {
    cg_op(p, OP_Null, 0, agg->calls[i].accum, 0);
    if (agg->calls[i].ob_sorter >= 0) open_order_sorter(p, &agg->calls[i]); /* a new, empty one */
  }
  for (i = 0; i < agg->nbare; i++) cg_op(p, OP_Null, 0, agg->bare[i].reg, 0);
  if (agg->nbare) {
    cg_op(p, OP_Integer, 0, agg->bare_taken, 0);
    for (i = 0; i < agg->ncalls; i++)
      if (min_or_max_call(agg->calls[i].expr)) {
        cg_op(p, OP_Integer, 0, agg->extreme + EXTREME_REGS * i + 1, 0);
        if (agg->calls[i].expr->distinct) cg_op(p, OP_Null, 0, agg->extreme + EXTREME_REGS * i + 2, 0);
      }
  }
}

static void init_aggregates(Parse *p, AggInfo *agg) {
  agg->pseudo = -1;
  if (agg->nbare) {
    agg->bare_taken = cg_reg(p);
    agg->extreme = cg_regs(p, EXTREME_REGS * (agg->ncalls > 0 ? agg->ncalls : 1));
  }
  reset_aggregates(p, agg);
}

static int agg_nargs(const AggCall *c) { return c->expr->star ? 0 : (c->expr->args ? c->expr->args->n : 0); }

/* Whether a call's arguments carry their subtypes through a sorter's
** record: for the aggregates that read them, and for an application's,
** which may. */
static int keeps_subtypes(const AggCall *c) {
  int exists = 0;
  return (c->func->flags & FUNC_SUBTYPE_ARGS) || func_find(c->func->name, c->func->nargs, &exists) != c->func;
}

/* Record columns of a call's arguments: each, then (keeps_subtypes) each one's subtype. */
static int agg_arg_width(const AggCall *c) { return agg_nargs(c) * (keeps_subtypes(c) ? 2 : 1); }

/* Stores argument j's subtype (from register reg) in the record column
** reg + nargs, or gives the register read back from column col of cursor
** its subtype again. */
static void store_subtype(Parse *p, const AggCall *c, int reg) {
  if (keeps_subtypes(c)) cg_op(p, OP_GetSubtype, reg, reg + agg_nargs(c), 0);
}

static void restore_subtype(Parse *p, const AggCall *c, int cursor, int col, int target) {
  if (!keeps_subtypes(c)) return;
  int st = cg_reg(p);
  cg_op(p, OP_Column, cursor, col + agg_nargs(c), st);
  cg_op(p, OP_SetSubtype, st, target, 0);
}

/* An aggregate argument: computed from the current row, or (GROUP BY) read
** back from the grouping sorter's record where the scan stored it. */
static void load_arg(Parse *p, AggInfo *agg, int call, int j, int target) {
  if (agg->pseudo >= 0) {
    cg_op(p, OP_Column, agg->pseudo, agg->arg_col[call] + j, target);
    restore_subtype(p, &agg->calls[call], agg->pseudo, agg->arg_col[call] + j, target);
  } else cg_expr(p, agg->calls[call].expr->args->items[j], target);
}

/* Term j of a call's ORDER BY, as load_arg loads an argument; the grouping
** record holds the terms after the arguments and the FILTER. */
static void load_order_term(Parse *p, AggInfo *agg, int call, int j, int target) {
  const AggCall *c = &agg->calls[call];
  if (agg->pseudo >= 0)
    cg_op(p, OP_Column, agg->pseudo, agg->arg_col[call] + agg_arg_width(c) + (c->expr->filter != NULL) + j, target);
  else cg_expr(p, c->expr->agg_order->items[j], target);
}

/* An ordered aggregate's step: the row's record goes into its sorter.
** With DISTINCT, as in SQLite, a value is queued only the first time it
** comes (2 and 2.0 are one value: the one that came first stays). */
static void queue_ordered_step(Parse *p, AggInfo *agg, int call) {
  const AggCall *c = &agg->calls[call];
  int nargs = agg_nargs(c), norder = agg_norder(c);
  int width = agg_arg_width(c), regs = cg_regs(p, norder + 1 + width), rec = cg_reg(p);
  int seen = vdbe_make_label(p->v);
  if (c->ob_distinct && nargs == 1) {
    int v = cg_reg(p), vrec = cg_reg(p);
    KeyInfo *k = keyinfo_new(1);
    if (!k) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    k->coll[0] = (uint8_t)cg_call_collation(p, c->expr);
    load_arg(p, agg, call, 0, v);
    cg_op(p, OP_MakeRecord, v, 1, vrec);
    if (vdbe_add_op4(p->v, OP_DistinctRow, c->ob_distinct, seen, vrec, P4_KEYINFO, k, 0) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
  }
  for (int j = 0; j < norder; j++) load_order_term(p, agg, call, j, regs + j);
  int at = order_args_at(c);
  cg_op(p, OP_Add, c->ob_seq + 1, c->ob_seq, c->ob_seq);
  cg_op(p, OP_Copy, c->ob_seq, regs + norder, 0);
  for (int j = 0; j < nargs; j++) {
    load_arg(p, agg, call, j, regs + at + j);
    store_subtype(p, c, regs + at + j);
  }
  cg_op(p, OP_MakeRecord, regs, at + width, rec);
  cg_op(p, OP_SorterInsert, c->ob_sorter, rec, 0);
  vdbe_resolve_label(p->v, seen);
}

/* Steps accumulator c once per queued row, in the ORDER BY's order. */
static void step_queued_rows(Parse *p, const AggCall *c) {
  int nargs = agg_nargs(c), norder = agg_norder(c);
  int rec = cg_reg(p), pseudo = cg_cursor(p), first = cg_regs(p, nargs);
  int done = vdbe_make_label(p->v), top, addr;
  int at = order_args_at(c);
  (void)norder;
  cg_op(p, OP_OpenPseudo, pseudo, rec, at + agg_arg_width(c));
  cg_op(p, OP_SorterSort, c->ob_sorter, done, 0);
  top = cg_op(p, OP_SorterData, c->ob_sorter, rec, 0);
  for (int j = 0; j < nargs; j++) {
    cg_op(p, OP_Column, pseudo, at + j, first + j);
    restore_subtype(p, c, pseudo, at + j, first + j);
  }
  int p1 = (c->expr->distinct && !c->ob_distinct ? 1 : 0) | cg_call_collation(p, c->expr) << 1;
  addr = vdbe_add_op4(p->v, OP_AggStep, p1, first, c->accum, P4_FUNC, c->func, 0);
  if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
  else vdbe_set_p5(p->v, addr, (uint16_t)nargs);
  cg_op(p, OP_SorterNext, c->ob_sorter, top, 0);
  vdbe_resolve_label(p->v, done);
}

static void copy_bare_columns(Parse *p, AggInfo *agg) {
  int i, k;
  for (i = 0; i < agg->nbare; i++) {
    const BareColumn *b = &agg->bare[i];
    if (agg->pseudo >= 0) {
      cg_op(p, OP_Column, agg->pseudo, agg->bare_src[i], b->reg);
      continue;
    }
    for (k = 0; k < p->scope->n; k++)
      if (p->scope->items[k].cursor == b->cursor) cg_code_column(p, p->scope->items[k].table, b->cursor, b->col, b->reg);
  }
}

/* Call i has a FILTER: jumps to label unless the row passes it (its value
** was put in the grouping sorter's record, or is computed here). */
static void jump_unless_filtered_in(Parse *p, AggInfo *agg, int i, int label) {
  const AggCall *c = &agg->calls[i];
  if (agg->pseudo >= 0) {
    int f = cg_reg(p);
    cg_op(p, OP_Column, agg->pseudo, agg->arg_col[i] + agg_arg_width(c), f);
    cg_op(p, OP_IfNot, f, label, 1);
  } else {
    cg_jump_if_false(p, c->expr->filter, label);
  }
}

/* Jumps to skip when the row's bare columns (columns outside any aggregate)
** are not to be taken.  SQLite's min() and max() pull them to the row of
** their extreme value: each such call, in order, looks at the row and says
** whether it is its new extreme (its first value, one strictly beyond the
** best, or a NULL while it has none), and the last call to look decides.  A
** call whose FILTER leaves the row out does not look, nor does a DISTINCT
** one whose value (NULL too) came before in the group: what was said last
** stands, from an earlier row too.  Under GROUP BY, or without it when
** every min() and max() has a FILTER, a call with a FILTER first says "not
** the extreme" unless the row is the group's first (SQLite's rule, so that
** some row is taken).  With no min() or max(), the group's first row is
** taken. */
static void bare_row_test(Parse *p, AggInfo *agg, int skip) {
  int hit = 0, all_filtered = 1;
  for (int i = 0; i < agg->ncalls; i++)
    if (min_or_max_call(agg->calls[i].expr) && !agg->calls[i].expr->filter) all_filtered = 0;
  for (int i = 0; i < agg->ncalls; i++) {
    const AggCall *c = &agg->calls[i];
    const Expr *e = c->expr;
    if (!min_or_max_call(e)) continue;
    if (!hit) hit = cg_reg(p);
    int best = agg->extreme + EXTREME_REGS * i, seen = best + 1, x = cg_reg(p);
    int next = vdbe_make_label(p->v), take = vdbe_make_label(p->v), null_value = vdbe_make_label(p->v);
    int passed = vdbe_make_label(p->v);
    if (e->filter) {
      if (all_filtered || agg->grouped) cg_op(p, OP_Copy, agg->bare_taken, hit, 0);
      jump_unless_filtered_in(p, agg, i, next);
    }
    if (e->distinct) cg_op(p, OP_IfNot, best + 3, next, 0); /* a repeated value: the step was skipped */
    cg_op(p, OP_Integer, 0, hit, 0);
    load_arg(p, agg, i, 0, x);
    cg_op(p, OP_IsNull, x, null_value, 0);
    cg_op(p, OP_IfNot, seen, take, 1);
    int addr = vdbe_add_op4_int(p->v, util_stricmp(e->text, "max") == 0 ? OP_Le : OP_Ge, best, passed, x,
                                cg_expr_collation(p, e->args->items[0]));
    if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
    vdbe_resolve_label(p->v, take);
    cg_op(p, OP_Copy, x, best, 0);
    cg_op(p, OP_Integer, 1, seen, 0);
    cg_op(p, OP_Goto, 0, next, 0);
    vdbe_resolve_label(p->v, null_value);
    cg_op(p, OP_IfNot, seen, next, 1);
    vdbe_resolve_label(p->v, passed);
    cg_op(p, OP_Integer, 1, hit, 0);
    vdbe_resolve_label(p->v, next);
  }
  cg_op(p, OP_If, hit ? hit : agg->bare_taken, skip, 0);
}

static void step_aggregates(Parse *p, AggInfo *agg) {
  int i, j;
  for (i = 0; i < agg->ncalls; i++) {
    const AggCall *c = &agg->calls[i];
    int nargs = agg_nargs(c);
    int first = cg_regs(p, nargs);
    int addr, skip = vdbe_make_label(p->v);
    int distinct = c->expr->distinct;
    /* A DISTINCT min() or max() that pulls bare columns says whether the row's value was new */
    int new_value = agg->nbare && distinct && min_or_max_call(c->expr) ? agg->extreme + EXTREME_REGS * i + 3 : 0;
    if (new_value) cg_op(p, OP_Integer, 0, new_value, 0);
    if (c->expr->filter) jump_unless_filtered_in(p, agg, i, skip); /* FILTER (WHERE e): only rows where e is true count */
    if (c->ob_sorter >= 0) {
      queue_ordered_step(p, agg, i);
      vdbe_resolve_label(p->v, skip);
      continue;
    }
    for (j = 0; j < nargs; j++) load_arg(p, agg, i, j, first + j);
    if (agg->distinct_prev && distinct) { /* values in order: a repeat equals the value before it */
      int coll = cg_call_collation(p, c->expr);
      skip_repeat(p, first, agg->distinct_prev, agg->distinct_have, 1, &coll, skip);
      distinct = 0;
    } else if (new_value) { /* the set of values seen, here rather than in the step, to be told of a repeat */
      KeyInfo *k = keyinfo_new(1);
      if (!k) return (void)cg_error(p, LODE_NOMEM, "out of memory");
      k->coll[0] = (uint8_t)cg_call_collation(p, c->expr);
      int at = vdbe_add_op4(p->v, OP_DistinctRow, new_value - 1, skip, first, P4_KEYINFO, k, 0);
      if (at < 0) return (void)cg_error(p, LODE_NOMEM, "out of memory");
      vdbe_set_p5(p->v, at, 1);
      distinct = 0;
    }
    if (new_value) cg_op(p, OP_Integer, 1, new_value, 0);
    int p1 = (distinct ? 1 : 0) | cg_call_collation(p, c->expr) << 1;
    addr = vdbe_add_op4(p->v, OP_AggStep, p1, first, c->accum, P4_FUNC, c->func, 0);
    if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
    else vdbe_set_p5(p->v, addr, (uint16_t)nargs);
    vdbe_resolve_label(p->v, skip);
  }
  if (agg->nbare) {
    int skip = vdbe_make_label(p->v);
    bare_row_test(p, agg, skip);
    cg_op(p, OP_Integer, 1, agg->bare_taken, 0);
    copy_bare_columns(p, agg);
    vdbe_resolve_label(p->v, skip);
  }
}

/* EXPLAIN QUERY PLAN: each aggregate with DISTINCT keeps a set of the
** values seen, and one with ORDER BY its queued rows, which SQLite lists
** as temporary b-trees. */
static int has_distinct_call(const AggInfo *agg) {
  for (int i = 0; i < agg->ncalls; i++)
    if (agg->calls[i].expr->distinct) return 1;
  return 0;
}

static void explain_distinct_aggregates(Parse *p, const AggInfo *agg) {
  for (int i = 0; i < agg->ncalls; i++) {
    if (agg->calls[i].expr->distinct) cg_explain_step(p, "USE TEMP B-TREE FOR %s(DISTINCT)", agg->calls[i].func->name);
    if (agg->calls[i].ob_sorter >= 0) cg_explain_step(p, "USE TEMP B-TREE FOR %s(ORDER BY)", agg->calls[i].func->name);
  }
}

static void finish_aggregates(Parse *p, AggInfo *agg) {
  int i;
  for (i = 0; i < agg->ncalls; i++) {
    const AggCall *c = &agg->calls[i];
    if (c->ob_sorter >= 0) step_queued_rows(p, c);
    if (vdbe_add_op4(p->v, OP_AggFinal, c->accum, agg_nargs(c), 0, P4_FUNC, c->func, 0) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
  }
}

/* ---- the scan ----------------------------------------------------------------- */

static int sorted_column(const SelectPlan *sp, int j);
static int sorted_width(const SelectPlan *sp);

/* Whether the ORDER BY sorter's records are the rows exactly as emit_row
** would send them to dest (DEST_SORTER.take_sorted): every row goes, and
** result column j is record column j. */
static int sorted_records_are_rows(const SelectPlan *sp, const SelectDest *dest) {
  if (dest->kind != DEST_SORTER || !dest->take_sorted || dest->co_yield || dest->tag_reg || dest->open_at < 0 ||
      sp->run_keys || sp->limit_reg || sp->offset_reg || sp->distinct_set || sp->distinct_prev ||
      sorted_width(sp) != sp->nresult)
    return 0;
  for (int j = 0; j < sp->nresult; j++)
    if (sorted_column(sp, j) != j) return 0;
  return 1;
}

static void output_sorted(Parse *p, SelectPlan *sp, SelectDest *dest) {
  int rec = cg_reg(p), pseudo = cg_cursor(p);
  int end = vdbe_make_label(p->v), next = vdbe_make_label(p->v);
  int top, i, regs;
  int last = sp->norder - sp->run_keys;
  if (!sp->run_keys) cg_explain_step(p, "USE TEMP B-TREE FOR ORDER BY");
  else if (last == 1) cg_explain_step(p, "USE TEMP B-TREE FOR LAST TERM OF ORDER BY");
  else cg_explain_step(p, "USE TEMP B-TREE FOR LAST %d TERMS OF ORDER BY", last);
  if (sorted_records_are_rows(sp, dest)) {
    /* The reader takes the sorted records where they are: one copy of the
    ** rows alive instead of two while they would be copied. */
    vdbe_set_p5(p->v, cg_op(p, OP_SorterSort, sp->sorter, vdbe_current_addr(p->v) + 1, 0), SORTER_COUNTED);
    vdbe_change_to_noop(p->v, dest->open_at);
    dest->cursor = sp->sorter;
    dest->open_at = -1;
    return;
  }
  cg_op(p, OP_OpenPseudo, pseudo, rec, sorted_width(sp));
  vdbe_set_p5(p->v, cg_op(p, OP_SorterSort, sp->sorter, end, 0), SORTER_COUNTED);
  top = cg_op(p, OP_SorterData, sp->sorter, rec, 0);
  regs = cg_regs(p, sp->nresult);
  for (i = 0; i < sp->nresult; i++) cg_op(p, OP_Column, pseudo, sorted_column(sp, i), regs + i);
  /* DISTINCT was applied before the rows went into the sorter (produce_row). */
  int seen = sp->distinct_set;
  sp->distinct_set = 0;
  emit_row(p, sp, dest, regs, next);
  sp->distinct_set = seen;
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_SorterNext, sp->sorter, top, 0);
  vdbe_resolve_label(p->v, end);
  /* Every row is out: the sorter's memory goes now, not with the statement
  ** (a window pass or an outer query may run long after it). */
  cg_op(p, OP_Close, sp->sorter, 0, 0);
}

/* Rows sorted by runs (SelectPlan.run_keys): the subroutine that sends the
** sorted run on and empties the sorter for the next, called when a run
** ends and after the last one. */
static void output_runs(Parse *p, const Select *s, SelectPlan *sp, SelectDest *dest) {
  int after = vdbe_make_label(p->v);
  cg_op(p, OP_Gosub, sp->run_ret, sp->run_flush, 0);
  cg_op(p, OP_Goto, 0, after, 0);
  vdbe_resolve_label(p->v, sp->run_flush);
  output_sorted(p, sp, dest);
  KeyInfo *k = make_keyinfo(p, s, sp);
  if (!k || vdbe_add_op4(p->v, OP_SorterOpen, sp->sorter, s->norder, 0, P4_KEYINFO, k, 0) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  cg_op(p, OP_Return, sp->run_ret, 0, 0);
  vdbe_resolve_label(p->v, after);
}

/* The statement's result columns: names, and declared types and origins
** as SQLite reports them (a column's declared type follows its origin). */
static void set_column_names(Parse *p, SelectPlan *sp, const SelectDest *dest) {
  int i;
  if (vdbe_set_num_cols(p->v, sp->nresult) != LODE_OK) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (i = 0; i < sp->nresult; i++) {
    const ColumnOrigin *o = dest->origins && dest->origins[i].column ? &dest->origins[i] : NULL;
    if (vdbe_set_col_name(p->v, i, sp->results[i].name, o ? o->decltype_ : NULL) != LODE_OK ||
        (o && vdbe_set_col_origin(p->v, i, o->database, o->table, o->column) != LODE_OK))
      cg_error(p, LODE_NOMEM, "out of memory");
  }
}

/* A scalar subquery's result column has the origin of the subquery's column
** (SQLite's rule), and comparisons with it its affinity; cg_subquery notes
** both when it codes the subquery. */
static void note_scalar_origin(Parse *p, const Expr *e, const SelectDest *dest) {
  if (dest->column >= dest->ncols) return;
  ScalarOrigin *o = arena_alloc(&p->arena, sizeof *o);
  if (!o) return; /* without it the comparison converts as with an expression */
  memset(o, 0, sizeof *o);
  o->expr = e;
  if (dest->origins && dest->origins[dest->column].column) {
    o->origin = dest->origins[dest->column];
    o->has_origin = 1;
  }
  o->affinity = dest->affs ? dest->affs[dest->column] : 0;
  o->next = p->scalar_origins;
  p->scalar_origins = o;
}

char cg_scalar_affinity(Parse *p, const Expr *e) {
  for (const ScalarOrigin *o = p->scalar_origins; o; o = o->next)
    if (o->expr == e) return o->affinity;
  return 0;
}

/* The origin of result expression e (cg_column_origin), once e's
** subqueries have been coded. */
static int result_origin(Parse *p, const Expr *e, ColumnOrigin *origin) {
  if (!e || e->kind != EXPR_SUBQUERY) return cg_column_origin(p, e, origin);
  for (const ScalarOrigin *o = p->scalar_origins; o; o = o->next) {
    if (o->expr != e) continue;
    *origin = o->origin;
    return o->has_origin;
  }
  return 0;
}

/* Each result column's origin into dest, once the query is coded (its
** scalar subqueries with it). */
static void set_origins(Parse *p, const SelectPlan *sp, SelectDest *dest) {
  dest->origins = arena_alloc(&p->arena, sizeof(ColumnOrigin) * (size_t)(sp->nresult ? sp->nresult : 1));
  for (int i = 0; dest->origins && i < sp->nresult; i++) result_origin(p, sp->results[i].expr, &dest->origins[i]);
}

static int reads_columns(const Expr *e) {
  if (!e) return 0;
  if (e->kind == EXPR_COLUMN || e->kind == EXPR_SUBQUERY || e->kind == EXPR_EXISTS || e->kind == EXPR_IN_SELECT)
    return 1;
  if (reads_columns(e->left) || reads_columns(e->right) || reads_columns(e->escape)) return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (reads_columns(e->args->items[i])) return 1;
  return 0;
}

/* The result column ORDER BY term i is, or -1: a term that is a result
** column (by number or alias, or the same expression, its columns bound to
** the same ones) takes that column's value, so that random() is called once
** for both and the sorter stores the value once (its COLLATE only changes
** the comparison).  A term naming a result column takes that one, even when
** an earlier result is the same expression. */
static int match_order_term(const SelectPlan *sp, int i) {
  const Expr *e = sp->order_exprs[i];
  while (e->kind == EXPR_COLLATE) e = e->left;
  for (int j = 0; j < sp->nresult; j++)
    if (sp->results[j].expr == e) return j;
  for (int j = 0; j < sp->nresult; j++)
    if (reads_columns(e) ? cg_same_bound_tree(sp->results[j].expr, e) : cg_same_tree(sp->results[j].expr, e))
      return j;
  return -1;
}

/* Decides once which result column each ORDER BY term takes.  Columns are
** bound as they are coded, so a match that needs bound columns could appear
** only after the results are coded: deciding again then would put a value
** in one record column while the keys and the reader expect another.  When
** the early pass bound every result's names (none holds a subquery or a
** window) and the terms' names are the next SQLite resolves (names_next: no
** HAVING waits), a term's own names are bound first, so that "ORDER BY s"
** over a result s stores s once. */
static void fix_order_results(Parse *p, SelectPlan *sp, int names_next) {
  int results_bound = names_next;
  sp->order_result = arena_alloc(&p->arena, sizeof(int) * (size_t)sp->norder);
  if (!sp->order_result) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (int j = 0; j < sp->nresult && results_bound; j++) results_bound = !has_nested_scope(sp->results[j].expr);
  for (int i = 0; i < sp->norder && p->rc == LODE_OK; i++) {
    const Expr *e = sp->order_exprs[i];
    if (results_bound && reads_columns(e) && !has_nested_scope(e)) cg_check_names(p, e);
    sp->order_result[i] = match_order_term(sp, i);
  }
}

static int order_key_result(const SelectPlan *sp, int i) {
  return sp->order_result ? sp->order_result[i] : -1;
}

/* The ORDER BY sorter's records hold the keys, then the result columns that
** no key holds already (SQLite's layout too: a sorted column is stored
** once).  The record column of result column j: */
static int sorted_column(const SelectPlan *sp, int j) {
  int col = sp->norder;
  for (int i = 0; i < sp->norder; i++)
    if (order_key_result(sp, i) == j) return i;
  for (int k = 0; k < j; k++) {
    int keyed = 0;
    for (int i = 0; i < sp->norder && !keyed; i++) keyed = order_key_result(sp, i) == k;
    col += !keyed;
  }
  return col;
}

/* Columns in a sorter record: the keys and the unkeyed results. */
static int sorted_width(const SelectPlan *sp) {
  int n = sp->norder;
  for (int j = 0; j < sp->nresult; j++) n += sorted_column(sp, j) >= sp->norder;
  return n;
}

/* Sends one finished row to the ORDER BY sorter, or straight to its
** destination (with OFFSET/LIMIT). */
static void produce_row(Parse *p, SelectPlan *sp, SelectDest *dest, int skip_label) {
  int i;
  if (sp->sorter >= 0) {
    int regs = cg_regs(p, sp->norder + sp->nresult), rec = cg_reg(p);
    /* Result column j is computed where the record holds it: in the slot
    ** of the first key that is that column, or after the keys. */
    int *slot = arena_alloc(&p->arena, sizeof(int) * (size_t)(sp->nresult + 1));
    if (!slot) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    for (int j = 0; j < sp->nresult; j++) slot[j] = regs + sorted_column(sp, j);
    if (sp->sorter_bounded) {
      /* A full bounded sorter drops a row that sorts after all it keeps:
      ** the keys are computed and tested before the rest of the row. */
      char *done = arena_alloc(&p->arena, (size_t)sp->nresult + 1);
      if (!done) {
        cg_error(p, LODE_NOMEM, "out of memory");
        return;
      }
      memset(done, 0, (size_t)sp->nresult + 1);
      for (i = 0; i < sp->norder; i++) {
        int j = order_key_result(sp, i);
        if (j < 0) {
          cg_expr(p, sp->order_exprs[i], regs + i);
          continue;
        }
        if (!done[j]) code_result_expr(p, sp, j, slot[j]);
        done[j] = 1;
        if (slot[j] != regs + i) cg_op(p, OP_SCopy, slot[j], regs + i, 0);
      }
      int addr = cg_op(p, OP_SorterDrop, sp->sorter, skip_label, regs);
      if (addr >= 0) vdbe_set_p5(p->v, addr, (uint16_t)sp->norder);
      for (int j = 0; j < sp->nresult; j++)
        if (!done[j]) code_result_expr(p, sp, j, slot[j]);
    } else {
      for (int j = 0; j < sp->nresult; j++) code_result_expr(p, sp, j, slot[j]);
      for (i = 0; i < sp->norder; i++) {
        int j = order_key_result(sp, i);
        if (j < 0) cg_expr(p, sp->order_exprs[i], regs + i);
        else if (slot[j] != regs + i) cg_op(p, OP_SCopy, slot[j], regs + i, 0);
      }
    }
    if (sp->distinct_set) {
      /* As in SQLite, DISTINCT drops a repeated row before the sort: an ORDER
      ** BY term outside the result takes its value from the first row of each
      ** set of equal rows in the scan's order. */
      int row = slot[0], contiguous = 1;
      for (int j = 1; j < sp->nresult; j++) contiguous &= slot[j] == row + j;
      if (!contiguous) {
        row = cg_regs(p, sp->nresult);
        for (int j = 0; j < sp->nresult; j++) cg_op(p, OP_SCopy, slot[j], row + j, 0);
      }
      skip_seen_row(p, sp, row, skip_label);
    }
    if (sp->run_keys) { /* a row that starts a new run sends the last one on first */
      int changed = vdbe_make_label(p->v), first = vdbe_make_label(p->v), same = vdbe_make_label(p->v);
      cg_op(p, OP_IfNot, sp->run_have, first, 0);
      for (i = 0; i < sp->run_keys; i++) {
        int coll = cg_expr_collation(p, sp->order_exprs[i]);
        int at = vdbe_add_op4_int(p->v, OP_Ne, sp->run_prev + i, changed, regs + i, coll);
        if (at >= 0) vdbe_set_p5(p->v, at, CMP_NULLEQ);
      }
      cg_op(p, OP_Goto, 0, same, 0);
      vdbe_resolve_label(p->v, changed);
      cg_op(p, OP_Gosub, sp->run_ret, sp->run_flush, 0);
      vdbe_resolve_label(p->v, first);
      cg_op(p, OP_Copy, regs, sp->run_prev, sp->run_keys - 1);
      cg_op(p, OP_Integer, 1, sp->run_have, 0);
      vdbe_resolve_label(p->v, same);
    }
    cg_op(p, OP_MakeRecord, regs, sorted_width(sp), rec);
    cg_op(p, OP_SorterInsert, sp->sorter, rec, 0);
  } else if (dest->prune && !sp->distinct_set && !sp->distinct_prev) {
    /* A FROM subquery's row: each column's code can be skipped later */
    int regs = cg_regs(p, sp->nresult);
    for (i = 0; i < sp->nresult; i++) {
      PruneSpot *spot = arena_alloc(&p->arena, sizeof *spot);
      if (!spot) return (void)cg_error(p, LODE_NOMEM, "out of memory");
      spot->col = i;
      spot->skip_at = cg_op(p, OP_Noop, 0, 0, 0);
      code_result_expr(p, sp, i, regs + i);
      spot->end = vdbe_current_addr(p->v);
      spot->next = *dest->prune;
      *dest->prune = spot;
    }
    emit_row(p, sp, dest, regs, skip_label);
  } else {
    emit_row(p, sp, dest, code_results(p, sp), skip_label);
  }
}

/* The result columns of a FROM subquery that its query, now coded, never
** read are not computed. */
static void prune_unread_columns(Parse *p, const ScopeItem *it) {
  for (const PruneSpot *s = it->prune; s; s = s->next) {
    if (s->col >= 63 || (it->cols_read >> s->col) & 1) continue;
    VdbeOp *op = vdbe_op_at(p->v, s->skip_at);
    if (!op || op->opcode != OP_Noop) continue;
    op->opcode = OP_Goto;
    op->p2 = s->end;
  }
  /* A run of skipped columns: each jump goes past the whole run. */
  for (const PruneSpot *s = it->prune; s; s = s->next) {
    VdbeOp *op = vdbe_op_at(p->v, s->skip_at);
    if (!op || op->opcode != OP_Goto || op->p2 != s->end) continue;
    VdbeOp *to;
    while ((to = vdbe_op_at(p->v, op->p2)) && to->opcode == OP_Goto && to->p2 > op->p2) op->p2 = to->p2;
  }
}

/* A correlated subquery in an aggregate's output reads the outer tables'
** cursors, not bare-column registers: before the output, each table's
** cursor goes back to the row its bare rowid names (the group's row, as
** bare columns show it), or reads NULLs when there was none. */
static void reposition_for_subqueries(Parse *p, const SelectPlan *sp) {
  for (int i = 0; i < sp->agg.nbare; i++) {
    const BareColumn *b = &sp->agg.bare[i];
    if (b->col != -1 || !sp->reposition) continue;
    int none = vdbe_make_label(p->v), done = vdbe_make_label(p->v);
    cg_op(p, OP_IsNull, b->reg, none, 0);
    cg_op(p, OP_NotExists, b->cursor, none, b->reg);
    cg_op(p, OP_Goto, 0, done, 0);
    vdbe_resolve_label(p->v, none);
    cg_op(p, OP_NullRow, b->cursor, 0, 0);
    vdbe_resolve_label(p->v, done);
  }
}

/* Output of an aggregate query, or of one group: final values, HAVING, row. */
static void emit_aggregate_row(Parse *p, const Select *s, SelectPlan *sp, SelectDest *dest) {
  int skip = vdbe_make_label(p->v);
  reposition_for_subqueries(p, sp);
  finish_aggregates(p, &sp->agg);
  sp->agg.output = 1;
  p->agg = &sp->agg;
  if (s->having) cg_jump_if_false(p, s->having, skip);
  produce_row(p, sp, dest, skip);
  p->agg = NULL;
  sp->agg.output = 0;
  vdbe_resolve_label(p->v, skip);
}

/* GROUP BY terms: a result column number, or an expression.  Numbers are
** read before result aliases are put in place (an alias of 2 is no number). */
static const Expr **number_group_terms(Parse *p, const Select *s, SelectPlan *sp) {
  const ExprList *g = s->group_by;
  const Expr **out = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)g->n);
  if (!out) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  for (int i = 0; i < g->n; i++) {
    const Expr *e = g->items[i], *base = e->kind == EXPR_COLLATE ? e->left : e;
    int64_t v;
    if (cg_term_number(base, &v)) {
      if (v < 1 || v > sp->nresult) {
        term_out_of_range(p, "GROUP", i + 1, sp->nresult);
        return NULL;
      }
      e = keep_collate(p, e, sp->results[v - 1].expr);
      if (!e) return NULL;
    }
    out[i] = e;
  }
  return out;
}

/* And no aggregate in them, once aliases are in place. */
static int check_group_terms(Parse *p, const Expr **terms, int ng) {
  for (int i = 0; terms && i < ng; i++)
    if (cg_expr_has_aggregate(p, terms[i])) {
      cg_error(p, LODE_ERROR, "aggregate functions are not allowed in the GROUP BY clause");
      return 0;
    }
  return terms != NULL;
}

static KeyInfo *group_keyinfo(Parse *p, const Expr **terms, int n) {
  KeyInfo *k = keyinfo_new(n);
  int i;
  if (!k) return NULL;
  for (i = 0; i < n; i++) k->coll[i] = (uint8_t)cg_expr_collation(p, terms[i]);
  return k;
}

/* A call whose record columns are its one argument alone (no FILTER, ORDER
** BY or subtype after it): an equal column argument of another such call
** can be read from the same record column. */
static int arg_slot_shareable(const AggCall *c) {
  return agg_nargs(c) == 1 && agg_arg_width(c) == 1 && !c->expr->filter && !agg_norder(c);
}

/* The group key a bare column can be read from: a key that is that very
** column (COLLATE aside, which does not change the value) holds the row's
** value already; -1 when there is none. */
static int bare_group_key(Parse *p, const Expr **terms, int ng, const BareColumn *b) {
  for (int k = 0; k < ng; k++) {
    const Expr *e = terms[k];
    int cursor, col;
    Table *t;
    while (e->kind == EXPR_COLLATE) e = e->left;
    if (e->kind != EXPR_COLUMN || cg_column_is_literal(p, e)) continue;
    if (cg_resolve_column(p, e, &cursor, &col, &t) != LODE_OK || e->kind != EXPR_COLUMN) continue;
    if (cursor == b->cursor && col == b->col) return k;
  }
  return -1;
}

/* Scan side of GROUP BY: each row becomes a record (group keys, aggregate
** arguments, bare columns that are no key) in the grouping sorter. */
static void group_scan_row(Parse *p, SelectPlan *sp, const Expr **terms, int ng, int gsorter) {
  AggInfo *agg = &sp->agg;
  int nargs = 0, i, j, regs, col, rec = cg_reg(p);
  for (i = 0; i < agg->ncalls; i++)
    nargs += agg_arg_width(&agg->calls[i]) + (agg->calls[i].expr->filter != NULL) + agg_norder(&agg->calls[i]);
  agg->arg_col = arena_alloc(&p->arena, sizeof(int) * (size_t)(agg->ncalls ? agg->ncalls : 1));
  if (!agg->arg_col) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  regs = cg_regs(p, ng + nargs + agg->nbare);
  for (i = 0; i < ng; i++) cg_expr(p, terms[i], regs + i);
  col = ng;
  for (i = 0; i < agg->ncalls; i++) {
    const AggCall *c = &agg->calls[i];
    int k = 0;
    /* sum(x) and avg(x): x is read and stored once */
    for (; arg_slot_shareable(c) && k < i; k++)
      if (arg_slot_shareable(&agg->calls[k]) &&
          cg_same_column(p, agg->calls[k].expr->args->items[0], c->expr->args->items[0]))
        break;
    if (arg_slot_shareable(c) && k < i) {
      agg->arg_col[i] = agg->arg_col[k];
      continue;
    }
    agg->arg_col[i] = col;
    for (j = 0; j < agg_nargs(&agg->calls[i]); j++) {
      cg_expr(p, agg->calls[i].expr->args->items[j], regs + col + j);
      store_subtype(p, &agg->calls[i], regs + col + j);
    }
    col += agg_arg_width(&agg->calls[i]);
    if (agg->calls[i].expr->filter) cg_expr(p, agg->calls[i].expr->filter, regs + col++);
    for (j = 0; j < agg_norder(&agg->calls[i]); j++) cg_expr(p, agg->calls[i].expr->agg_order->items[j], regs + col++);
  }
  agg->bare_src = arena_alloc(&p->arena, sizeof(int) * (size_t)(agg->nbare ? agg->nbare : 1));
  if (!agg->bare_src) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (i = 0; i < agg->nbare; i++) {
    const BareColumn *b = &agg->bare[i];
    int k = bare_group_key(p, terms, ng, b);
    if (k >= 0) {
      agg->bare_src[i] = k;
      continue;
    }
    for (k = 0; k < p->scope->n; k++)
      if (p->scope->items[k].cursor == b->cursor) cg_code_column(p, p->scope->items[k].table, b->cursor, b->col, regs + col);
    agg->bare_src[i] = col++;
  }
  cg_op(p, OP_MakeRecord, regs, col, rec);
  cg_op(p, OP_SorterInsert, gsorter, rec, 0);
  sp->group_width = col;
}

/* The DISTINCT's EXPLAIN QUERY PLAN step (and the Bloom filter of an IN set
** it fills before it, in SQLite's order of the lines). */
static void explain_distinct(Parse *p, SelectDest *dest) {
  if (dest->kind == DEST_INSET && dest->filter_reg && !dest->filter_explained) {
    cg_explain_step(p, "CREATE BLOOM FILTER");
    dest->filter_explained = 1;
  }
  cg_explain_step(p, "USE TEMP B-TREE FOR DISTINCT");
}

/* Output side of GROUP BY: walks the sorted records, stepping the
** aggregates and emitting a row whenever the group keys change. */
static void group_output(Parse *p, const Select *s, SelectPlan *sp, SelectDest *dest, const Expr **terms, int ng,
                         int gsorter) {
  AggInfo *agg = &sp->agg;
  int rec = cg_reg(p), pseudo = cg_cursor(p);
  int cur = cg_regs(p, ng), prev = cg_regs(p, ng), have_prev = cg_reg(p);
  int done = vdbe_make_label(p->v), changed = vdbe_make_label(p->v), start = vdbe_make_label(p->v);
  int accumulate = vdbe_make_label(p->v), none = vdbe_make_label(p->v);
  int top, i;
  cg_explain_step(p, "USE TEMP B-TREE FOR GROUP BY");
  explain_distinct_aggregates(p, &sp->agg);
  if (sp->explain_distinct_later) explain_distinct(p, dest);
  cg_op(p, OP_Integer, 0, have_prev, 0);
  cg_op(p, OP_OpenPseudo, pseudo, rec, sp->group_width);
  vdbe_set_p5(p->v, cg_op(p, OP_SorterSort, gsorter, done, 0), SORTER_COUNTED);
  top = cg_op(p, OP_SorterData, gsorter, rec, 0);
  for (i = 0; i < ng; i++) cg_op(p, OP_Column, pseudo, i, cur + i);
  cg_op(p, OP_IfNot, have_prev, start, 0);
  for (i = 0; i < ng; i++) {
    int addr = vdbe_add_op4_int(p->v, OP_Ne, prev + i, changed, cur + i, cg_expr_collation(p, terms[i]));
    if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_NULLEQ);
  }
  cg_op(p, OP_Goto, 0, accumulate, 0);
  vdbe_resolve_label(p->v, changed);
  agg->pseudo = -1; /* the group's output reads registers only */
  emit_aggregate_row(p, s, sp, dest);
  reset_aggregates(p, agg);
  vdbe_resolve_label(p->v, start);
  cg_op(p, OP_Copy, cur, prev, ng - 1);
  cg_op(p, OP_Integer, 1, have_prev, 0);
  vdbe_resolve_label(p->v, accumulate);
  agg->pseudo = pseudo;
  step_aggregates(p, agg);
  agg->pseudo = -1;
  cg_op(p, OP_SorterNext, gsorter, top, 0);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_IfNot, have_prev, none, 0);
  emit_aggregate_row(p, s, sp, dest);
  vdbe_resolve_label(p->v, none);
}

/* GROUP BY over rows that arrive grouped (the loops deliver the group
** terms' order): no sorter; each row is compared with the previous one's
** keys, and a change outputs the finished group before the new one starts.
** State lives in a GroupStream between the scan and the end. */
typedef struct GroupStream {
  int cur, prev, have_prev;
} GroupStream;

static void group_stream_row(Parse *p, const Select *s, SelectPlan *sp, SelectDest *dest, const Expr **terms, int ng,
                             GroupStream *g) {
  AggInfo *agg = &sp->agg;
  int changed = vdbe_make_label(p->v), start = vdbe_make_label(p->v), accumulate = vdbe_make_label(p->v);
  for (int i = 0; i < ng; i++) cg_expr(p, terms[i], g->cur + i);
  cg_op(p, OP_IfNot, g->have_prev, start, 0);
  for (int i = 0; i < ng; i++) {
    int addr = vdbe_add_op4_int(p->v, OP_Ne, g->prev + i, changed, g->cur + i, cg_expr_collation(p, terms[i]));
    if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_NULLEQ);
  }
  cg_op(p, OP_Goto, 0, accumulate, 0);
  vdbe_resolve_label(p->v, changed);
  emit_aggregate_row(p, s, sp, dest);
  reset_aggregates(p, agg);
  vdbe_resolve_label(p->v, start);
  cg_op(p, OP_Copy, g->cur, g->prev, ng - 1);
  cg_op(p, OP_Integer, 1, g->have_prev, 0);
  vdbe_resolve_label(p->v, accumulate);
  step_aggregates(p, agg);
}

static void group_stream_end(Parse *p, const Select *s, SelectPlan *sp, SelectDest *dest, const GroupStream *g) {
  int none = vdbe_make_label(p->v);
  cg_op(p, OP_IfNot, g->have_prev, none, 0);
  emit_aggregate_row(p, s, sp, dest);
  vdbe_resolve_label(p->v, none);
}

/* Whether ORDER BY asks for an order grouped output can have: its terms
** are the first GROUP BY terms in their collations, all ascending with
** NULLs first (0) or all descending with NULLs last (1); else -1. */
static int order_of_groups(Parse *p, const Select *s, const SelectPlan *sp, const Expr **terms, int ng) {
  int dir = 0;
  if (sp->norder > ng) return -1;
  for (int i = 0; i < sp->norder; i++) {
    const Expr *a = sp->order_exprs[i], *b = terms[i];
    int desc = s->order_by[i].desc, nulls_last = s->order_by[i].nulls == 2 || (s->order_by[i].nulls == 0 && desc);
    if (nulls_last != desc || (i > 0 && desc != dir)) return -1;
    dir = desc;
    if (cg_expr_collation(p, a) != cg_expr_collation(p, b)) return -1;
    while (a->kind == EXPR_COLLATE) a = a->left;
    while (b->kind == EXPR_COLLATE) b = b->left;
    if (a != b && !(a->kind == EXPR_COLUMN && b->kind == EXPR_COLUMN && a->bound && b->bound &&
                    a->bind_depth == b->bind_depth && a->bind_item == b->bind_item && a->bind_col == b->bind_col))
      return -1;
  }
  return dir;
}

/* The GROUP BY terms as an order the loops may deliver (equal keys then
** come together), in each term's collation: descending when the ORDER BY
** wants the groups so (dir 1), so that one ordered pass serves both;
** either direction when no ORDER BY is served by it (dir -1). */
static PlanOrder *group_order(Parse *p, const Expr **terms, int ng, int dir) {
  PlanOrder *o = arena_alloc(&p->arena, sizeof(PlanOrder) * (size_t)ng);
  if (!o) return NULL;
  for (int i = 0; i < ng; i++) {
    o[i].expr = terms[i];
    o[i].coll = cg_expr_collation(p, terms[i]);
    o[i].desc = o[i].nulls_last = dir == 1;
    o[i].any_dir = dir < 0;
  }
  return o;
}

/* Whether e reads a subquery when an aggregate query computes its output:
** a correlated one evaluated in a group's output would read the scan's
** cursors, which only the sorted path leaves alone.  A subquery inside one
** of the query's aggregate calls runs with the scan, on the scan's row, and
** an enclosing query's value is that query's: neither counts. */
static int output_subquery(Parse *p, const Expr *e) {
  if (!e) return 0;
  if (cg_is_outer_owned(p, e)) return 0;
  if (e->kind == EXPR_FUNCTION && !e->over) {
    int exists = 0;
    int nargs = e->star ? 0 : (e->args ? e->args->n : 0);
    const FuncDef *f = func_lookup(p->db->funcs, e->text, nargs, &exists);
    if (f && (f->flags & FUNC_AGGREGATE)) return 0;
  }
  if (e->select) return 1;
  if (output_subquery(p, e->left) || output_subquery(p, e->right)) return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (output_subquery(p, e->args->items[i])) return 1;
  return 0;
}

static int output_has_subquery(Parse *p, const Select *s, const SelectPlan *sp) {
  for (int i = 0; i < sp->nresult; i++)
    if (output_subquery(p, sp->results[i].expr)) return 1;
  for (int i = 0; i < sp->norder; i++)
    if (output_subquery(p, sp->order_exprs[i])) return 1;
  return output_subquery(p, s->having);
}

/* ---- compound SELECT --------------------------------------------------------- */

static int new_sorter(Parse *p) {
  KeyInfo *k = keyinfo_new(0);
  int c = cg_cursor(p);
  if (!k || vdbe_add_op4(p->v, OP_SorterOpen, c, 0, 0, P4_KEYINFO, k, 0) < 0) cg_error(p, LODE_NOMEM, "out of memory");
  return c;
}

static int code_core(Parse *p, const Select *core, SelectDest *d, int loose_colls);

/* Moves the rows of sorter `from` into sorter `to` in order; with a tag
** register, each record gets the tag appended as one more column. */
/* Hands the rows of sorter `from` in order to the reader of a co-routine. */
static void yield_rows(Parse *p, int from, const SelectDest *dest, int ncols) {
  int end = vdbe_make_label(p->v), rec = cg_reg(p), pseudo = cg_cursor(p);
  if (!*dest->co_row) *dest->co_row = cg_regs(p, ncols);
  cg_op(p, OP_OpenPseudo, pseudo, rec, ncols);
  cg_op(p, OP_SorterSort, from, end, 0);
  int top = cg_op(p, OP_SorterData, from, rec, 0);
  for (int i = 0; i < ncols; i++) cg_op(p, OP_Column, pseudo, i, *dest->co_row + i);
  cg_op(p, OP_Yield, dest->co_yield, 0, 0);
  cg_op(p, OP_SorterNext, from, top, 0);
  vdbe_resolve_label(p->v, end);
}

static void copy_rows(Parse *p, int from, int to, int ncols, int tag) {
  int rec = cg_reg(p), end = vdbe_make_label(p->v), top, i;
  int pseudo = tag ? cg_cursor(p) : -1, regs = tag ? cg_regs(p, ncols + 1) : 0, out = tag ? cg_reg(p) : rec;
  if (tag) cg_op(p, OP_OpenPseudo, pseudo, rec, ncols);
  cg_op(p, OP_SorterSort, from, end, 0);
  top = cg_op(p, OP_SorterData, from, rec, 0);
  if (tag) {
    for (i = 0; i < ncols; i++) cg_op(p, OP_Column, pseudo, i, regs + i);
    cg_op(p, OP_SCopy, tag, regs + ncols, 0);
    cg_op(p, OP_MakeRecord, regs, ncols + 1, out);
  }
  cg_op(p, OP_SorterInsert, to, out, 0);
  cg_op(p, OP_SorterNext, from, top, 0);
  vdbe_resolve_label(p->v, end);
}

/* UNION, EXCEPT and INTERSECT, SQLite's way: the rows of both sides, tagged
** 0 (left) or 1 (right), are sorted (stably) on all their columns; each run
** of equal rows then yields at most one row, in sorted order.  Which of the
** equal rows is kept shows when they differ (2 and 2.0, 'a' and 'A' under
** NOCASE): SQLite 3.53 merges the two sides, each sorted and rid of its
** repeats (the first stays), and on a tie lets the right side's row win for
** UNION.  So UNION keeps the run's first right row, or its first left row
** when it has none; EXCEPT the first left row of a run with no right row;
** INTERSECT the first left row of a run that has both.  Returns the sorter
** holding the result. */
/* The parts of a compound's set operations that compare in the result
** columns' collations; those are known only once every arm is coded, so
** the comparisons are patched at the end (code_compound_rows). */
typedef struct SetOpColls {
  int n, cap;
  KeyInfo **keys; /* each operation's sort order */
  int *ne_addrs;  /* the first of each operation's ncols OP_Ne */
} SetOpColls;

static void note_set_operation(Parse *p, SetOpColls *f, KeyInfo *k, int ne_addr) {
  if (f->n == f->cap) {
    int cap = f->cap ? 2 * f->cap : 4;
    KeyInfo **keys = arena_alloc(&p->arena, sizeof(KeyInfo *) * (size_t)cap);
    int *addrs = arena_alloc(&p->arena, sizeof(int) * (size_t)cap);
    if (!keys || !addrs) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    if (f->n) {
      memcpy(keys, f->keys, sizeof(KeyInfo *) * (size_t)f->n);
      memcpy(addrs, f->ne_addrs, sizeof(int) * (size_t)f->n);
    }
    f->keys = keys;
    f->ne_addrs = addrs;
    f->cap = cap;
  }
  f->keys[f->n] = k;
  f->ne_addrs[f->n++] = ne_addr;
}

static int code_set_operation(Parse *p, int op, int left, const Select *right_core, int ncols, SelectDest *d,
                              SetOpColls *fix) {
  int work = cg_cursor(p), result = new_sorter(p), tag = cg_reg(p);
  int rec = cg_reg(p), pseudo = cg_cursor(p);
  int cur = cg_regs(p, ncols), prev = cg_regs(p, ncols), first_right = cg_regs(p, ncols),
      first_left = cg_regs(p, ncols);
  int have_prev = cg_reg(p), has_left = cg_reg(p), has_right = cg_reg(p), row_tag = cg_reg(p), out = cg_reg(p);
  int done = vdbe_make_label(p->v), changed = vdbe_make_label(p->v), start = vdbe_make_label(p->v);
  int add = vdbe_make_label(p->v), none = vdbe_make_label(p->v), top, i, pass;
  KeyInfo *k = keyinfo_new(ncols);
  if (!k || vdbe_add_op4(p->v, OP_SorterOpen, work, ncols, 0, P4_KEYINFO, k, 0) < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return result;
  }
  cg_op(p, OP_Integer, 0, tag, 0);
  copy_rows(p, left, work, ncols, tag);
  memset(d, 0, sizeof *d);
  d->kind = DEST_SORTER;
  d->cursor = work;
  d->tag_reg = tag;
  cg_op(p, OP_Integer, 1, tag, 0);
  code_core(p, right_core, d, 0);
  if (p->rc != LODE_OK || d->ncols != ncols) return result;
  /* Walk the runs of equal rows. */
  cg_op(p, OP_Integer, 0, have_prev, 0);
  cg_op(p, OP_OpenPseudo, pseudo, rec, ncols + 1);
  cg_op(p, OP_SorterSort, work, done, 0);
  top = cg_op(p, OP_SorterData, work, rec, 0);
  for (i = 0; i < ncols; i++) cg_op(p, OP_Column, pseudo, i, cur + i);
  cg_op(p, OP_Column, pseudo, ncols, row_tag);
  cg_op(p, OP_IfNot, have_prev, start, 0);
  for (i = 0; i < ncols; i++) {
    int addr = vdbe_add_op4_int(p->v, OP_Ne, prev + i, changed, cur + i, COLL_BINARY);
    if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_NULLEQ);
    if (i == 0) note_set_operation(p, fix, k, addr);
  }
  cg_op(p, OP_Goto, 0, add, 0);
  /* The end of a run is handled twice: when the next run starts, and after the last row. */
  for (pass = 0; pass < 2; pass++) {
    int skip = vdbe_make_label(p->v);
    if (pass == 0) vdbe_resolve_label(p->v, changed);
    else {
      vdbe_resolve_label(p->v, done);
      cg_op(p, OP_IfNot, have_prev, none, 0);
    }
    if (op == TK_UNION) {
      int left_only = vdbe_make_label(p->v), made = vdbe_make_label(p->v);
      cg_op(p, OP_IfNot, has_right, left_only, 0);
      cg_op(p, OP_MakeRecord, first_right, ncols, out);
      cg_op(p, OP_Goto, 0, made, 0);
      vdbe_resolve_label(p->v, left_only);
      cg_op(p, OP_MakeRecord, first_left, ncols, out);
      vdbe_resolve_label(p->v, made);
    } else {
      cg_op(p, op == TK_EXCEPT ? OP_If : OP_IfNot, has_right, skip, 0);
      cg_op(p, OP_IfNot, has_left, skip, 0);
      cg_op(p, OP_MakeRecord, first_left, ncols, out);
    }
    cg_op(p, OP_SorterInsert, result, out, 0);
    vdbe_resolve_label(p->v, skip);
    if (pass == 0) {
      vdbe_resolve_label(p->v, start);
      cg_op(p, OP_Copy, cur, prev, ncols - 1);
      cg_op(p, OP_Integer, 1, have_prev, 0);
      cg_op(p, OP_Integer, 0, has_left, 0);
      cg_op(p, OP_Integer, 0, has_right, 0);
      vdbe_resolve_label(p->v, add);
      {
        int is_right = vdbe_make_label(p->v), next_row = vdbe_make_label(p->v);
        cg_op(p, OP_If, row_tag, is_right, 0);
        cg_op(p, OP_If, has_left, next_row, 0);
        cg_op(p, OP_Integer, 1, has_left, 0);
        cg_op(p, OP_Copy, cur, first_left, ncols - 1);
        cg_op(p, OP_Goto, 0, next_row, 0);
        vdbe_resolve_label(p->v, is_right);
        cg_op(p, OP_If, has_right, next_row, 0);
        cg_op(p, OP_Integer, 1, has_right, 0);
        cg_op(p, OP_Copy, cur, first_right, ncols - 1);
        vdbe_resolve_label(p->v, next_row);
      }
      cg_op(p, OP_SorterNext, work, top, 0);
    }
  }
  vdbe_resolve_label(p->v, none);
  return result;
}

/* EXPLAIN QUERY PLAN of a compound SELECT, in SQLite's shapes: a list of
** VALUES rows is one step "SCAN n CONSTANT ROWS"; without ORDER BY,
** "COMPOUND QUERY" over "LEFT-MOST SUBQUERY" and a step per operator; with
** one, SQLite merges the arms, each sorted on the ORDER BY (and, but for
** UNION ALL, on the other columns too): "MERGE (op)" over "LEFT" (the arms
** before, merged alike) and "RIGHT".  The wrapper a compound is coded in
** shows no step of its own. */
typedef struct ExplainArms {
  const Select *chain;
  int *parents;          /* per arm: the step its plan nests under; -1: not shown; ARM_STEP_LATER: its
                         ** operator's step, under `compound`, is written when the arm is coded (there,
                         ** as SQLite places it: after the plan of the arms before it); ARM_RIGHT_LATER:
                         ** likewise its "RIGHT" step, under its merge's step (merges[]) */
  int *merges;           /* per arm of a merge: the "MERGE" step its "RIGHT" goes under */
  int compound;
  int muted;             /* the compound's own steps were not shown */
  const OrderTerm *order; /* the compound's ORDER BY, resolved to column numbers */
  int norder;
} ExplainArms;

#define ARM_STEP_LATER (-2)
#define ARM_RIGHT_LATER (-3)

static void explain_merge(Parse *p, const Select **arms, int k, int *parents, int *merges) {
  int saved = p->explain_parent;
  int merge = p->explain_parent = cg_explain_step(p, "MERGE (%s)", sql_compound_name(arms[k - 1]->compound_op));
  p->explain_parent = cg_explain_step(p, "LEFT");
  if (k == 1) parents[0] = p->explain_parent;
  else explain_merge(p, arms, k - 1, parents, merges);
  merges[k] = merge;
  parents[k] = ARM_RIGHT_LATER; /* written after the plan of the arms on its left, as SQLite writes it */
  p->explain_parent = saved;
}

static ExplainArms *explain_compound(Parse *p, const Select *s, const OrderTerm *order) {
  int n = 0, values = 1;
  for (const Select *c = s; c; c = c->next, n++) values &= c->values_row;
  ExplainArms *ea = arena_alloc(&p->arena, sizeof *ea);
  const Select **arms = arena_alloc(&p->arena, sizeof(Select *) * (size_t)n);
  int *parents = arena_alloc(&p->arena, sizeof(int) * (size_t)n);
  int *merges = arena_alloc(&p->arena, sizeof(int) * (size_t)n);
  if (!ea || !arms || !parents || !merges) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  n = 0;
  for (const Select *c = s; c; c = c->next) arms[n++] = c;
  ea->chain = s;
  ea->parents = parents;
  ea->merges = merges;
  ea->order = order;
  ea->norder = order ? s->norder : 0;
  int saved = p->explain_parent;
  if (values && !s->norder && !s->limit) {
    cg_explain_step(p, "SCAN %d CONSTANT ROWS", n);
    for (int i = 0; i < n; i++) parents[i] = -1;
  } else if (s->norder) {
    explain_merge(p, arms, n - 1, parents, merges);
  } else {
    ea->muted = p->explain_mute;
    ea->compound = p->explain_parent = cg_explain_step(p, "COMPOUND QUERY");
    parents[0] = cg_explain_step(p, "LEFT-MOST SUBQUERY");
    for (int i = 1; i < n; i++) parents[i] = ARM_STEP_LATER;
  }
  p->explain_parent = saved;
  return ea;
}

/* The ORDER BY arm i of a merge is planned with (EXPLAIN QUERY PLAN only). */
static void explain_arm_order(Parse *p, const ExplainArms *ea, int i, const Select *arm, Select *one) {
  const Select *prev = ea->chain;
  for (int k = 1; k < i; k++) prev = prev->next;
  int op = prev->compound_op, ncols = arm->columns ? arm->columns->n : 0;
  for (int j = 0; j < ncols; j++)
    if (arm->columns->items[j]->kind == EXPR_STAR) ncols = 0;
  OrderTerm *terms = arena_alloc(&p->arena, sizeof(OrderTerm) * (size_t)(ea->norder + ncols + 1));
  if (!terms) return;
  int n = 0;
  uint64_t seen = 0;
  for (int j = 0; j < ea->norder; j++) {
    const Expr *e = ea->order[j].expr, *base = e->kind == EXPR_COLLATE ? e->left : e;
    if (base->kind != EXPR_INTEGER || base->quoted || base->ival < 1 || base->ival > 64) continue;
    seen |= (uint64_t)1 << (base->ival - 1);
    terms[n++] = ea->order[j];
  }
  for (int j = 0; op != TK_UNION_ALL && j < ncols && j < 64; j++) {
    if (seen & ((uint64_t)1 << j)) continue;
    Expr *num = arena_alloc(&p->arena, sizeof(Expr));
    if (!num) return;
    num->kind = EXPR_INTEGER;
    num->ival = j + 1;
    memset(&terms[n], 0, sizeof terms[n]);
    terms[n++].expr = num;
  }
  one->order_by = terms;
  one->norder = n;
}

static int code_core(Parse *p, const Select *core, SelectDest *d, int loose_colls) {
  Select *one = arena_alloc(&p->arena, sizeof(Select));
  if (!one) return cg_error(p, LODE_NOMEM, "out of memory");
  *one = *core;
  one->next = NULL;
  one->compound_op = 0;
  one->norder = 0;
  one->order_by = NULL;
  one->limit = one->offset = NULL;
  const ExplainArms *ea = p->explain_arms;
  p->explain_arms = NULL; /* for this compound's own arms only */
  if (ea && ea->norder) {
    int i = 0;
    for (const Select *c = ea->chain; c && c != core; c = c->next) i++;
    explain_arm_order(p, ea, i, core, one);
  }
  p->loose_arm_colls = loose_colls;
  cg_select(p, one, d);
  p->loose_arm_colls = 0;
  p->explain_arms = (ExplainArms *)ea;
  return p->rc;
}

/* Where the plan of arm i of the compound goes (EXPLAIN QUERY PLAN). */
static void explain_arm(Parse *p, const ExplainArms *ea, int i) {
  if (!ea) return;
  if (ea->parents[i] == ARM_STEP_LATER) {
    const Select *prev = ea->chain;
    for (int k = 1; k < i && prev->next; k++) prev = prev->next;
    int op = prev->compound_op;
    p->explain_mute = ea->muted;
    p->explain_parent = ea->compound;
    ea->parents[i] = op == TK_UNION_ALL ? cg_explain_step(p, "UNION ALL")
                                        : cg_explain_step(p, "%s USING TEMP B-TREE", sql_compound_name(op));
  }
  if (ea->parents[i] == ARM_RIGHT_LATER) {
    p->explain_parent = ea->merges[i];
    ea->parents[i] = cg_explain_step(p, "RIGHT");
  }
  p->explain_mute = ea->parents[i] < 0;
  p->explain_parent = ea->parents[i] < 0 ? 0 : ea->parents[i];
}

/* Materialises a compound chain, left to right, into dest's sorter:
** UNION ALL appends; the other operators go through code_set_operation. */
static void code_compound_rows(Parse *p, const Select *s, SelectDest *dest) {
  SelectDest d;
  int cur = dest->cursor, ncols;
  const Select *core;
  int first_arm = p->origins_first_arm;
  p->origins_first_arm = 0; /* it is this compound's alone, not that of those in its arms */
  /* A sorter that has been read cannot take rows again: unless the chain
  ** only appends, work in sorters of its own and copy the result at the end. */
  int appends = 1;
  for (core = s; core->next; core = core->next)
    if (core->compound_op != TK_UNION_ALL) cur = -1, appends = 0;
  /* A query's own UNION ALL chain keeps no collation: its arms look none up. */
  int loose = first_arm && appends;
  /* A co-routine's arms that only append hand their rows straight to the
  ** reader; set operations work in a sorter whose rows it then gets. */
  int co_yield = appends ? dest->co_yield : 0, *co_row = appends ? dest->co_row : NULL;
  if (cur < 0 || (dest->co_yield && !appends)) cur = new_sorter(p);
  memset(&d, 0, sizeof d);
  d.kind = DEST_SORTER;
  d.cursor = cur;
  d.co_yield = co_yield;
  d.co_row = co_row;
  d.prune = appends ? dest->prune : NULL;
  d.written_names = dest->written_names; /* the first arm names the columns */
  d.result_names = first_arm;
  const ExplainArms *ea = p->explain_arms && p->explain_arms->chain == s ? p->explain_arms : NULL;
  int saved_mute = p->explain_mute, saved_parent = p->explain_parent, arm = 0;
  explain_arm(p, ea, arm++);
  if (code_core(p, s, &d, loose) != LODE_OK) return;
  ncols = d.ncols;
  dest->ncols = d.ncols;
  dest->names = d.names;
  dest->decls = d.decls;
  dest->affs = d.affs;
  dest->origins = d.origins;
  /* A FROM subquery's columns take the first arm's collations; the set
  ** operations and the compound's ORDER BY take, per column, the first arm's
  ** that has one (SQLite's rule), in dest->colls. */
  int *colls = arena_alloc(&p->arena, sizeof(int) * (size_t)(ncols ? ncols : 1));
  if (!colls) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (int j = 0; j < ncols; j++) colls[j] = d.colls ? d.colls[j] : -1;
  int *first_colls = d.colls;
  dest->colls = colls;
  SetOpColls fix = {0, 0, NULL, NULL};
  for (core = s; core->next && p->rc == LODE_OK; core = core->next) {
    int op = core->compound_op;
    memset(&d, 0, sizeof d);
    explain_arm(p, ea, arm++);
    if (op == TK_UNION_ALL) {
      d.kind = DEST_SORTER;
      d.cursor = cur;
      d.co_yield = co_yield;
      d.co_row = co_row;
      d.prune = appends ? dest->prune : NULL;
      code_core(p, core->next, &d, loose);
    } else {
      cur = code_set_operation(p, op, cur, core->next, ncols, &d, &fix);
    }
    for (int j = 0; p->rc == LODE_OK && d.colls && j < ncols && j < d.ncols; j++)
      if (colls[j] < 0) colls[j] = d.colls[j];
    if (!first_arm) dest->origins = d.origins;
    if (p->rc == LODE_OK && d.ncols != ncols) {
      cg_error(p, LODE_ERROR, "SELECTs to the left and right of %s do not have the same number of result columns",
               sql_compound_name(op));
    }
    /* A column keeps an affinity only when every select gives it the same one. */
    for (int j = 0; p->rc == LODE_OK && dest->affs && j < ncols; j++)
      if (!d.affs || d.affs[j] != dest->affs[j]) dest->affs[j] = AFF_NONE;
  }
  p->explain_mute = saved_mute;
  p->explain_parent = saved_parent;
  for (int f = 0; p->rc == LODE_OK && f < fix.n; f++) {
    for (int j = 0; j < ncols; j++) {
      int c = colls[j] < 0 ? COLL_BINARY : colls[j];
      if (!cg_check_collation_id(p, c, NULL)) return;
      fix.keys[f]->coll[j] = (uint8_t)c;
      if (fix.ne_addrs[f] >= 0) vdbe_op_at(p->v, fix.ne_addrs[f] + j)->p4.i = c;
    }
  }
  if (dest->co_yield && !appends) yield_rows(p, cur, dest, ncols);
  else if (!dest->co_yield && cur != dest->cursor) copy_rows(p, cur, dest->cursor, ncols, 0);
  p->compound_first_colls = first_colls;
}

/* Whether the FROM of core c has an item named name. */
static int from_has_item(const Select *c, const char *name) {
  for (int i = 0; c->from && i < c->from->n; i++) {
    const SrcItem *it = &c->from->items[i];
    const char *n = it->alias ? it->alias : it->name;
    if (n && util_stricmp(n, name) == 0) return 1;
  }
  return 0;
}

#define TERM_UNKNOWN (-2)

/* The FROM item and column (-1: the rowid, which an INTEGER PRIMARY KEY
** also names) that column reference e of core c reads, found from the
** tables' declared columns.  0 when that cannot be told here (an item
** whose columns are not a table's, an unknown or ambiguous name). */
static int column_identity(Parse *p, const Select *c, const Expr *e, int *item, int *col) {
  int found = 0, nitems = c->from ? c->from->n : 0;
  for (int f = 0; f < nitems; f++) {
    const SrcItem *it = &c->from->items[f];
    const char *iname = it->alias ? it->alias : it->name;
    if (e->table && (!iname || util_stricmp(iname, e->table) != 0)) continue;
    const Table *t = it->name && !it->subquery && !it->is_call ? cg_lookup_table(p, it->schema, it->name) : NULL;
    if (!t) return 0;
    int j = table_column_index(t, e->text);
    if (j < 0) {
      /* rowid, oid, _rowid_ name the rowid of the only table there is */
      if (!cg_is_rowid_name(e->text) || t->without_rowid || (!e->table && nitems != 1)) continue;
    } else if (j == t->ipk) {
      j = -1;
    }
    if (found++) return 0;
    *item = f;
    *col = j;
  }
  return found == 1;
}

/* Whether column references a (an ORDER BY term) and b (a result column)
** of core c read the same column, though named differently ("rowid" and
** the INTEGER PRIMARY KEY column's name), as SQLite matches the terms it
** resolved against the core. */
static int same_column(Parse *p, const Select *c, const Expr *a, const Expr *b) {
  int ia, ca, ib, cb;
  return column_identity(p, c, a, &ia, &ca) && column_identity(p, c, b, &ib, &cb) && ia == ib && ca == cb;
}

/* ALTER TABLE RENAME: ORDER BY term e of a compound matched result column
** item of core c, a column reference; it is renamed with that column. */
static void rename_term(Parse *p, const Select *c, const Expr *e, const Expr *item) {
  int f, col;
  if (!p->rename || !column_identity(p, c, item, &f, &col)) return;
  const SrcItem *it = &c->from->items[f];
  cg_rename_note_term(p, e, cg_lookup_table(p, it->schema, it->name), col);
}

/* The result column (0-based) of compound core c that ORDER BY term e is,
** as SQLite matches it: a bare name by an AS alias, else a column or
** expression equal to a result expression.  -1: none; TERM_UNKNOWN: the
** core's columns cannot be told here (a * over a view or a subquery). */
static int compound_term_column(Parse *p, const Select *c, const Expr *e) {
  const ExprList *cols = c->columns;
  int is_name = e->kind == EXPR_COLUMN;
  for (int i = 0; is_name && !e->table && cols && cols->names && i < cols->n; i++)
    if (cols->names[i] && util_stricmp(cols->names[i], e->text) == 0) return i;
  int idx = 0;
  for (int i = 0; cols && i < cols->n; i++) {
    const Expr *item = cols->items[i];
    if (item->kind == EXPR_STAR && !c->from) return TERM_UNKNOWN; /* "no tables specified" is reported first */
    if (item->kind == EXPR_STAR) {
      for (int f = 0; c->from && f < c->from->n; f++) {
        const SrcItem *it = &c->from->items[f];
        const char *iname = it->alias ? it->alias : it->name;
        if (item->table && (!iname || util_stricmp(iname, item->table) != 0)) continue;
        const Table *t = it->name && !it->subquery && !it->is_call ? cg_lookup_table(p, it->schema, it->name) : NULL;
        if (!t || it->nusing || it->natural) return TERM_UNKNOWN;
        for (int j = 0; j < t->ncols; j++, idx++) {
          if (is_name && util_stricmp(t->cols[j].name, e->text) == 0 &&
              (!e->table || (iname && util_stricmp(iname, e->table) == 0)))
            return idx; /* (not renamed with the column: SQLite's rename does not see it through "*") */
        }
      }
      continue;
    }
    if (is_name && item->kind == EXPR_COLUMN && util_stricmp(item->text, e->text) == 0) {
      if (!e->table || (item->table ? util_stricmp(item->table, e->table) == 0 : from_has_item(c, e->table))) {
        rename_term(p, c, e, item);
        return idx;
      }
    } else if (is_name && item->kind == EXPR_COLUMN && same_column(p, c, e, item)) {
      rename_term(p, c, e, item);
      return idx;
    } else if (!is_name && cg_same_tree(e, item)) {
      return idx;
    }
    idx++;
  }
  return -1;
}

/* The ORDER BY of a compound names result columns: each term becomes the
** number of the column it matches in the first core that has it (its
** COLLATE kept), as SQLite resolves them; a term no core matches fails. */
static OrderTerm *resolve_compound_order(Parse *p, const Select *s) {
  OrderTerm *terms = arena_alloc(&p->arena, sizeof(OrderTerm) * (size_t)s->norder);
  if (!terms) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  for (int i = 0; i < s->norder; i++) {
    terms[i] = s->order_by[i];
    const Expr *e = terms[i].expr;
    const Expr *base = e;
    while (base->kind == EXPR_COLLATE) base = base->left; /* the outermost COLLATE is the one that counts */
    int64_t v;
    if (cg_term_number(base, &v)) {
      if (e->kind == EXPR_COLLATE && e->left != base) { /* "1 COLLATE a COLLATE b" is "1 COLLATE b" */
        Expr *coll = arena_alloc(&p->arena, sizeof(Expr));
        if (!coll) {
          cg_error(p, LODE_NOMEM, "out of memory");
          return NULL;
        }
        *coll = *e;
        coll->left = (Expr *)base;
        terms[i].expr = coll;
      }
      continue;
    }
    int col = -1, unknown = 0;
    for (const Select *c = s; c && col < 0; c = c->next) {
      int r = compound_term_column(p, c, base);
      if (r >= 0) col = r;
      else if (r == TERM_UNKNOWN) unknown = 1;
    }
    if (col < 0) {
      if (unknown) continue; /* resolved by name against the materialised rows */
      cg_error(p, LODE_ERROR, "%d%s ORDER BY term does not match any column in the result set", i + 1,
               cg_ordinal_suffix(i + 1));
      return NULL;
    }
    Expr *num = arena_alloc(&p->arena, sizeof(Expr));
    if (!num) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return NULL;
    }
    num->kind = EXPR_INTEGER;
    num->ival = col + 1;
    num->offset = base->offset;
    if (e->kind == EXPR_COLLATE) {
      Expr *coll = arena_alloc(&p->arena, sizeof(Expr));
      if (!coll) {
        cg_error(p, LODE_NOMEM, "out of memory");
        return NULL;
      }
      *coll = *e;
      coll->left = num;
      num = coll;
    }
    terms[i].expr = num;
  }
  return terms;
}

/* A compound SELECT runs as "SELECT * FROM (<the chain>) ORDER BY … LIMIT …":
** the chain is materialised like a FROM subquery, then scanned. */
/* A co-routine's compound without ORDER BY or LIMIT: its arms hand their
** rows to the reader themselves, with no query around them to copy them. */
static void code_compound_coroutine(Parse *p, const Select *s, SelectDest *dest) {
  Select *body = arena_alloc(&p->arena, sizeof(Select));
  if (!body) return (void)cg_error(p, LODE_NOMEM, "out of memory");
  *body = *s;
  body->compound_body = 1;
  body->with = NULL; /* already in scope */
  p->origins_first_arm = 0;
  p->compound_first_colls = NULL;
  ExplainArms *saved_arms = p->explain_arms;
  if (p->explain_plan) {
    ExplainArms *ea = explain_compound(p, s, NULL);
    if (ea) ea->chain = body;
    p->explain_arms = ea;
  }
  int written = dest->written_names;
  dest->written_names = 1; /* as the arms of a compound in FROM name their columns */
  code_compound_rows(p, body, dest);
  dest->written_names = written;
  p->explain_arms = saved_arms;
  for (int j = 0; p->rc == LODE_OK && dest->colls && j < dest->ncols; j++)
    dest->colls[j] = p->compound_first_colls ? p->compound_first_colls[j] : -1;
  p->compound_first_colls = NULL;
}

static void code_compound(Parse *p, const Select *s, SelectDest *dest) {
  if (dest->co_yield && !s->norder && !s->limit && !s->offset) {
    code_compound_coroutine(p, s, dest);
    return;
  }
  Select *body = arena_alloc(&p->arena, sizeof(Select));
  Select *outer = arena_alloc(&p->arena, sizeof(Select));
  SrcList *from = arena_alloc(&p->arena, sizeof(SrcList));
  ExprList *cols = arena_alloc(&p->arena, sizeof(ExprList));
  Expr *star = arena_alloc(&p->arena, sizeof(Expr));
  if (!body || !outer || !from || !cols || !star || !(from->items = arena_alloc(&p->arena, sizeof(SrcItem))) ||
      !(cols->items = arena_alloc(&p->arena, sizeof(Expr *)))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  *body = *s;
  body->compound_body = 1;
  body->with = NULL; /* already in scope */
  body->norder = 0;
  body->order_by = NULL;
  body->limit = body->offset = NULL;
  star->kind = EXPR_STAR;
  cols->n = 1;
  cols->items[0] = star;
  from->n = 1;
  from->items[0].subquery = body;
  outer->columns = cols;
  outer->from = from;
  outer->norder = s->norder;
  outer->order_by = s->norder ? resolve_compound_order(p, s) : NULL;
  if (s->norder && !outer->order_by) return;
  outer->limit = s->limit;
  outer->offset = s->offset;
  /* The outer query opens body first, as its only FROM item. */
  p->origins_first_arm = dest->kind == DEST_RESULT;
  p->compound_first_colls = NULL;
  ExplainArms *saved_arms = p->explain_arms;
  if (p->explain_plan) {
    ExplainArms *ea = explain_compound(p, s, outer->order_by);
    if (ea) ea->chain = body;
    p->explain_arms = ea;
    p->explain_mute++;
  }
  cg_select(p, outer, dest);
  if (p->explain_plan) p->explain_mute--;
  p->explain_arms = saved_arms;
  p->origins_first_arm = 0;
  /* Seen from outside, the columns have the first arm's collations only. */
  for (int j = 0; p->rc == LODE_OK && dest->colls && j < dest->ncols; j++)
    dest->colls[j] = p->compound_first_colls ? p->compound_first_colls[j] : -1;
  p->compound_first_colls = NULL;
}

/* The compound's LIMIT and OFFSET, which SQLite resolves with its last arm,
** before that arm's own names: 1 after an error there. */
static int compound_limit_error(Parse *p, const Select *s) {
  Scope *own = p->scope;
  p->scope = NULL; /* they see no table */
  if (s->limit && !has_nested_scope(s->limit)) cg_check_names(p, s->limit);
  if (s->offset && !has_nested_scope(s->offset) && p->rc == LODE_OK) cg_check_names(p, s->offset);
  p->scope = own;
  return p->rc != LODE_OK;
}

/* Errors SQLite finds while it looks up the FROM items of every part of a
** statement, before it resolves any name. */
static int is_from_error(const char *msg) {
  return strncmp(msg, "no such table: ", 15) == 0 || strstr(msg, "' is not a function") != NULL;
}

/* Errors SQLite raises only as it codes the statement, after every name and
** the compound's ORDER BY are resolved: an arm's such error is no answer. */
static int is_coding_error(const char *msg) {
  return strcmp(msg, "RAISE() may only be used within a trigger-program") == 0 ||
         strncmp(msg, "no such collation sequence: ", 28) == 0;
}

typedef struct ArmErrors {
  char *first;     /* the first error found, or the first FROM item error */
  int first_at;
  int from_found;  /* first is a FROM item error: the search is over */
  int failed;      /* out of memory */
} ArmErrors;

/* Notes the error a trial compile left in p (from_only: only a FROM item
** error counts), and clears it. */
static void take_error(Parse *p, ArmErrors *ae, int from_only) {
  if (p->rc == LODE_OK) return;
  if (p->rc != LODE_ERROR || !p->errmsg) {
    ae->failed = 1;
  } else if (is_coding_error(p->errmsg)) {
    util_free(p->errmsg);
  } else if (is_from_error(p->errmsg)) {
    util_free(ae->first);
    ae->first = p->errmsg;
    ae->first_at = p->err_at;
    ae->from_found = 1;
  } else if (!ae->first && !from_only) {
    ae->first = p->errmsg;
    ae->first_at = p->err_at;
  } else {
    util_free(p->errmsg);
  }
  p->rc = LODE_OK;
  p->errmsg = NULL;
}

/* The subqueries of a compound's ORDER BY term, each compiled alone for the
** FROM item errors SQLite finds in them along with the last arm's. */
static void order_subquery_errors(Parse *p, const Expr *e, ArmErrors *ae, int start) {
  if (!e || ae->from_found || ae->failed) return;
  if (e->select) {
    Expr probe = *e;
    probe.kind = EXPR_EXISTS;
    probe.left = NULL;
    cg_subquery_trial(p, &probe);
    vdbe_truncate(p->v, start);
    take_error(p, ae, 1);
    return;
  }
  order_subquery_errors(p, e->left, ae, start);
  order_subquery_errors(p, e->right, ae, start);
  for (int i = 0; e->args && i < e->args->n; i++) order_subquery_errors(p, e->args->items[i], ae, start);
}

/* SQLite resolves a compound's arms from the last to the first, and looks
** up the FROM items of every arm before it resolves any name: of the arms'
** errors it reports the last arm's missing table (or FROM function that is
** none), else the last arm's first error.  Its LIMIT and OFFSET come before
** the arms, its ORDER BY's subqueries' FROM items with the last arm's, and
** its own checks (column counts, ORDER BY terms) after the arms, and the
** errors it finds only while coding after all of them.  Lode
** codes the arms from the first; when that failed, each arm is compiled
** again alone, the last first, to find the error SQLite reports.  Not under
** an authorizer, which would hear the arms asked about again. */
static void compound_error_order(Parse *p, const Select *s, int start) {
  if (p->rc != LODE_ERROR || p->auth || !s->next) return;
  char *kept = p->errmsg;
  int kept_at = p->err_at, narms = 0;
  ArmErrors ae = {NULL, 0, 0, 0};
  p->rc = LODE_OK;
  p->errmsg = NULL;
  if (compound_limit_error(p, s)) {
    util_free(kept);
    return;
  }
  for (const Select *c = s; c; c = c->next) narms++;
  const Select **arms = arena_alloc(&p->arena, sizeof(Select *) * (size_t)narms);
  narms = 0;
  for (const Select *c = s; arms && c; c = c->next) arms[narms++] = c;
  for (int i = narms - 1; i >= 0 && !ae.from_found && !ae.failed; i--) {
    int nsub = p->nsubquery, nowned = p->nouter_owned, parent = p->explain_parent, nctes = p->nexplained_ctes;
    SelectDest d;
    memset(&d, 0, sizeof d);
    d.kind = DEST_SORTER;
    d.cursor = new_sorter(p);
    code_core(p, arms[i], &d, 0);
    vdbe_truncate(p->v, start);
    p->nsubquery = nsub;
    p->nouter_owned = nowned;
    p->explain_parent = parent;
    p->nexplained_ctes = nctes;
    take_error(p, &ae, 0);
    for (int k = 0; i == narms - 1 && k < s->norder; k++) order_subquery_errors(p, s->order_by[k].expr, &ae, start);
  }
  p->rc = LODE_ERROR;
  if (ae.failed || !arms) {
    util_free(kept);
    util_free(ae.first);
    cg_error(p, LODE_NOMEM, "out of memory");
  } else if (ae.first) {
    util_free(kept);
    p->errmsg = ae.first;
    p->err_at = ae.first_at;
  } else {
    p->errmsg = kept;
    p->err_at = kept_at;
  }
}

static int has_nested_scope(const Expr *e) {
  if (!e) return 0;
  if (e->select || e->over || e->filter || e->agg_order) return 1;
  if (has_nested_scope(e->left) || has_nested_scope(e->right) || has_nested_scope(e->escape)) return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (has_nested_scope(e->args->items[i])) return 1;
  return 0;
}

/* Which columns of each FROM item the query reads (ScopeItem.cols_used),
** so that the planner can tell a covering index.  Names are looked up
** without reporting (the coding reports them); an expression subquery may
** read the items' columns unseen, so with one nothing counts as known,
** unless it is a WHERE or ON term's that reads nothing around it
** (cg_note_uncorrelated_terms), whose own operand alone counts. */
typedef struct ColumnUse {
  Parse *p;
  Scope *scope;
  int unknown;
  int output; /* noting the results, ORDER BY, GROUP BY, HAVING: the items read lose unread_outside */
} ColumnUse;

static void note_columns(ColumnUse *u, const Expr *e) {
  if (!e || u->unknown) return;
  if (e->select) {
    if (e->uncorrelated) note_columns(u, e->left);
    else u->unknown = 1;
    return;
  }
  if (e->kind == EXPR_COLUMN) {
    int cursor, col;
    Table *t;
    if (!cg_try_resolve_column(u->p, e, &cursor, &col, &t) || e->bind_depth != 0) return;
    if (u->output) u->scope->items[e->bind_item].unread_outside = 0;
    if (col >= 0) u->scope->items[e->bind_item].cols_used |= (uint64_t)1 << (col < 63 ? col : 63);
    return;
  }
  note_columns(u, e->left);
  note_columns(u, e->right);
  note_columns(u, e->escape);
  note_columns(u, e->filter);
  for (int i = 0; e->args && i < e->args->n; i++) note_columns(u, e->args->items[i]);
  for (int i = 0; e->agg_order && i < e->agg_order->n; i++) note_columns(u, e->agg_order->items[i]);
  if (e->over) { /* a named window's terms are not here: count its columns as unknown */
    if (e->over->base) u->unknown = 1;
    for (int i = 0; e->over->partition && i < e->over->partition->n; i++) note_columns(u, e->over->partition->items[i]);
    for (int i = 0; i < e->over->norder; i++) note_columns(u, e->over->order_by[i].expr);
  }
}

static void note_columns_used(Parse *p, const Select *s, SelectPlan *sp, Scope *scope, const Expr **group_terms,
                              int ng) {
  ColumnUse u = {p, scope, 0, 1};
  int nitems = scope->n + scope->nexists;
  /* Only a plain SELECT's rows are what its loops find (an aggregate's come from groups). */
  for (int i = 0; i < scope->n; i++) scope->items[i].unread_outside = !sp->is_agg && !ng;
  cg_note_uncorrelated_terms(p, s->from, s->where);
  for (int i = 0; i < sp->nresult; i++) note_columns(&u, sp->results[i].expr);
  for (int i = 0; i < ng; i++) note_columns(&u, group_terms[i]);
  note_columns(&u, s->having);
  for (int i = 0; i < sp->norder; i++) note_columns(&u, sp->order_exprs[i]);
  u.output = 0;
  for (int i = 0; s->from && i < s->from->n; i++) {
    note_columns(&u, s->from->items[i].on);
    note_columns(&u, s->from->items[i].using_on);
    /* a table-valued function's arguments may read the items before it */
    for (int k = 0; s->from->items[i].args && k < s->from->items[i].args->n; k++)
      note_columns(&u, s->from->items[i].args->items[k]);
  }
  for (int i = 0; i < nitems; i++) {
    scope->items[i].cols_beyond_where = scope->items[i].cols_used;
    scope->items[i].cols_beyond_known = 1;
  }
  note_columns(&u, s->where);
  for (int i = scope->n; i < nitems; i++) { /* WHERE terms too, and a table-valued function's arguments */
    note_columns(&u, scope->items[i].exists_where);
    for (int k = 0; scope->items[i].vtab_args && k < scope->items[i].vtab_args->n; k++)
      note_columns(&u, scope->items[i].vtab_args->items[k]);
  }
  for (int i = 0; i < nitems; i++) scope->items[i].cols_known = !u.unknown;
  /* A joined EXISTS table is read by its own WHERE alone (and by nothing
  ** else of the query, which cannot name it). */
  for (int i = scope->n; i < nitems; i++) {
    ColumnUse own = {p, scope, 0, 0};
    note_columns(&own, scope->items[i].exists_where);
    scope->items[i].cols_known = !own.unknown;
  }
}

/* min(x) or max(x) alone over one table, x a column or an expression: the
** rows can come in x's order (from an index, on the expression too, or the
** rowid), and the first non-NULL x is the answer (SQLite's min/max
** optimization).  Returns the ORDER BY the planner is asked for, or NULL. */
static PlanOrder *minmax_order(Parse *p, const Select *s, SelectPlan *sp, const Scope *scope, int ng) {
  /* Only the aggregate itself, over one table (WHERE tests the rows as
  ** they come): which of several equal values (1 and 1.0) is the answer
  ** then follows the index order, as in SQLite, and so does the row bare
  ** columns show (SQLite's too: the first in that order). */
  if (ng || s->distinct || scope->n != 1 || sp->agg.ncalls != 1 || scope->items[0].sorter >= 0)
    return NULL;
  const Expr *call = sp->agg.calls[0].expr;
  /* DISTINCT changes neither the answer nor the first row in order */
  if (!min_or_max_call(call) || call->filter) return NULL; /* the first value in order may not pass FILTER */
  const Expr *arg = call->args->items[0];
  int cursor, col;
  Table *t;
  if (arg->kind == EXPR_COLUMN ? !cg_try_resolve_column(p, arg, &cursor, &col, &t) || arg->bind_depth != 0
                               : arg->select != NULL)
    return NULL;
  PlanOrder *o = arena_alloc(&p->arena, sizeof *o);
  if (!o) return NULL;
  memset(o, 0, sizeof *o);
  o->expr = arg;
  o->desc = util_stricmp(call->text, "max") == 0;
  o->coll = cg_expr_collation(p, arg);
  o->nulls_last = o->desc;
  return o;
}

/* SELECT DISTINCT of plain columns of one table, with no ORDER BY: the
** order the planner is asked for, so that rows that come in it need only
** be compared with the row before them (SQLite's ordered DISTINCT), or
** NULL. */
static PlanOrder *distinct_order(Parse *p, const Select *s, const SelectPlan *sp, const Scope *scope) {
  if (!s->distinct || s->norder || sp->is_agg || s->group_by || s->next || s->nwindows || cg_select_has_window(s) ||
      scope->n != 1 || scope->items[0].sorter >= 0 || scope->items[0].vtab || !scope->items[0].table ||
      sp->nresult < 1 || sp->nresult > PLAN_MAX_KEY)
    return NULL;
  PlanOrder *o = arena_alloc(&p->arena, sizeof *o * (size_t)sp->nresult);
  if (!o) return NULL;
  for (int i = 0; i < sp->nresult; i++) {
    const Expr *e = sp->results[i].expr;
    int cursor, col;
    Table *t;
    if (!e || e->kind != EXPR_COLUMN || !cg_try_resolve_column(p, e, &cursor, &col, &t) || e->bind_depth != 0)
      return NULL;
    o[i].expr = e;
    o[i].desc = 0;
    o[i].coll = cg_expr_collation(p, e);
    o[i].nulls_last = 0;
    o[i].any_dir = 1;
  }
  return o;
}

/* After a row of an ordered DISTINCT read from an index whose first
** columns are the DISTINCT columns: when ANALYZE says a value of them has
** a dozen entries or more, the scan seeks past the entries equal to this
** row's rather than stepping over each (SQLite's skip-ahead DISTINCT). */
static void distinct_skip_ahead(Parse *p, const Scope *scope, const CgLoops *l, const SelectPlan *sp, int done_label) {
  const WhereLevel *lv = &l->plan.levels[0];
  const Index *ix = lv->index;
  int n = sp->nresult;
  if (l->n != 1 || lv->kind != WLOOP_INDEX || !ix || lv->neq != 0 || lv->in_list || lv->autoindex ||
      l->lv[0].head < 0 || l->lv[0].in_sorter >= 0 || l->idxm_cursor || n > ix->nkey || ix->nstat <= n ||
      ix->stat_rows[n] < 12)
    return;
  /* The DISTINCT columns are the index's first n, in some order. */
  for (int j = 0; j < n; j++) {
    int found = 0;
    for (int i = 0; i < n && !found; i++) {
      const Expr *e = sp->results[i].expr;
      found = e->bind_item == lv->item && (e->bind_col < 0 ? XN_ROWID : e->bind_col) == ix->cols[j].cid &&
              e->bind_col != scope->items[0].table->ipk;
    }
    if (!found) return;
  }
  int key = cg_regs(p, n);
  for (int j = 0; j < n; j++) cg_op(p, OP_Column, l->lv[0].icur, j, key + j);
  vdbe_add_op4_int(p->v, lv->reverse ? OP_SeekLT : OP_SeekGT, l->lv[0].icur, done_label, key, n);
  cg_op(p, OP_Goto, 0, l->lv[0].head, 0);
}

/* An aggregate query whose one aggregate is f(DISTINCT x), x a column of
** its one table, without GROUP BY: the order the planner is asked for, so
** that values that come in it are told apart from the one before them
** rather than kept in a set (SQLite's ordered DISTINCT aggregate), or
** NULL.  Not with bare columns: SQLite then keeps the set, and the row
** they show is the first in the scan's own order. */
static PlanOrder *distinct_agg_order(Parse *p, const SelectPlan *sp, const Scope *scope, int ng) {
  if (ng || scope->n != 1 || scope->items[0].sorter >= 0 || scope->items[0].vtab || !scope->items[0].table ||
      sp->agg.ncalls != 1 || sp->agg.nbare != 0)
    return NULL;
  const AggCall *c = &sp->agg.calls[0];
  if (!c->expr->distinct || agg_nargs(c) != 1 || c->expr->filter || c->ob_sorter >= 0 || c->expr->over) return NULL;
  const Expr *arg = c->expr->args->items[0];
  int cursor, col;
  Table *t;
  if (arg->kind != EXPR_COLUMN || !cg_try_resolve_column(p, arg, &cursor, &col, &t) || arg->bind_depth != 0)
    return NULL;
  PlanOrder *o = arena_alloc(&p->arena, sizeof *o);
  if (!o) return NULL;
  memset(o, 0, sizeof *o);
  o->expr = arg;
  o->desc = 0;
  o->coll = cg_call_collation(p, c->expr);
  o->nulls_last = 0;
  return o;
}

/* SELECT count(*) FROM t alone (no WHERE, grouping, HAVING, DISTINCT, ORDER
** BY, LIMIT or other result): the table's entries are counted by OP_Count, a
** leaf's cells at once, without a row going through the loop.  Returns 1
** when it coded the query. */
static int code_simple_count(Parse *p, const Select *s, SelectPlan *sp, const Scope *scope, SelectDest *dest, int ng) {
  if (!sp->is_agg || ng || s->where || s->having || s->distinct || s->limit || sp->sorter >= 0 || sp->nresult != 1 ||
      sp->agg.ncalls != 1 || sp->agg.nbare != 0 || sp->reposition || scope->n != 1)
    return 0;
  const ScopeItem *it = &scope->items[0];
  const Expr *call = sp->agg.calls[0].expr;
  if (sp->results[0].expr != call || util_stricmp(call->text, "count") != 0 || (call->args && call->args->n > 0) ||
      call->distinct || call->filter || call->over || it->vtab || it->sorter >= 0 || !it->table || !it->table->root ||
      it->table->method_indexes || it->nested_col)
    return 0;
  Expr *value = arena_alloc(&p->arena, sizeof *value);
  if (!value) return cg_error(p, LODE_NOMEM, "out of memory"), 1;
  memset(value, 0, sizeof *value);
  value->kind = EXPR_REGISTER;
  value->ival = cg_reg(p);
  value->n = cg_scope_level(p->scope);
  value->bind_coll = -1;
  /* The index of fewest columns has as many entries on fewer pages (a
  ** partial one may have fewer; INDEXED BY does not matter here, as in
  ** SQLite); else the table, its cursor already open. */
  const Index *best = NULL;
  for (const Index *ix = it->not_indexed ? NULL : it->table->indexes; ix; ix = ix->next)
    if (index_has_own_btree(ix) && !ix->where && (!best || ix->ncols < best->ncols)) best = ix;
  KeyInfo *k = best ? cg_index_keyinfo(p, best) : NULL;
  if (k) {
    int icur = cg_cursor(p);
    int addr = vdbe_add_op4(p->v, OP_OpenRead, icur, (int)best->root, 0, P4_KEYINFO, k, 0);
    if (addr < 0) return cg_error(p, LODE_NOMEM, "out of memory"), 1;
    vdbe_set_comment(p->v, addr, "%s", best->name);
    vdbe_set_op_db(p->v, addr, it->table->db);
    cg_explain_step(p, "SCAN %s USING COVERING INDEX %s", it->name, best->name);
    cg_op(p, OP_Count, icur, (int)value->ival, 0);
  } else {
    cg_explain_step(p, "SCAN %s", it->name);
    cg_op(p, OP_Count, it->cursor, (int)value->ival, 0); /* the FROM item's cursor, already open */
  }
  sp->results[0].expr = value;
  sp->is_agg = 0;
  produce_row(p, sp, dest, sp->done_label);
  return 1;
}

/* The ORDER BY as the planner may deliver it (a plain query: no grouping). */
static PlanOrder *order_for_planner(Parse *p, const Select *s, SelectPlan *sp) {
  PlanOrder *o = arena_alloc(&p->arena, sizeof(PlanOrder) * (size_t)sp->norder);
  if (!o) return NULL;
  memset(o, 0, sizeof(PlanOrder) * (size_t)sp->norder);
  for (int i = 0; i < sp->norder; i++) {
    const OrderTerm *t = &s->order_by[i];
    o[i].expr = sp->order_exprs[i];
    o[i].desc = t->desc;
    o[i].coll = cg_expr_collation(p, sp->order_exprs[i]);
    o[i].nulls_last = t->nulls == 2 || (t->nulls == 0 && t->desc);
  }
  return o;
}

static void select_body(Parse *p, const Select *s, SelectDest *dest);

/* SELECT * over FROM ( join ): each column's table and name there. */
static void nested_from_names(Parse *p, const SelectPlan *sp, SelectDest *dest) {
  size_t n = sizeof(char *) * (size_t)(sp->nresult ? sp->nresult : 1);
  if (!(dest->tabs = arena_alloc(&p->arena, n)) || !(dest->cols = arena_alloc(&p->arena, n)) ||
      !(dest->hidden = arena_alloc(&p->arena, n)) ||
      !(dest->dbs = arena_alloc(&p->arena, sizeof(int) * (size_t)(sp->nresult ? sp->nresult : 1)))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (int i = 0; i < sp->nresult; i++) {
    const Expr *e = sp->results[i].expr;
    dest->cols[i] = sp->results[i].name;
    dest->dbs[i] = -1;
    if (e->kind != EXPR_COLUMN) continue;
    int cursor, col;
    Table *t;
    if (cg_try_resolve_column(p, e, &cursor, &col, &t)) dest->hidden[i] = (char)cg_using_hidden(p->scope, e);
    dest->tabs[i] = e->table;
    dest->cols[i] = e->text;
    /* A column of a FROM ( join ) nested in this one keeps its own table's
    ** name, so that t.c reaches it through every level. */
    if (e->bound && e->bind_depth == 0 && p->scope && e->bind_item < p->scope->n) {
      const ScopeItem *it = &p->scope->items[e->bind_item];
      if (e->bound_column && it->nested_tab) {
        dest->tabs[i] = it->nested_tab[e->bound_column - 1];
        dest->cols[i] = it->nested_col[e->bound_column - 1];
        dest->dbs[i] = it->nested_db ? it->nested_db[e->bound_column - 1] : -1;
      } else if (it->sorter < 0 && !it->nested_col) {
        dest->dbs[i] = it->vtab ? CONN_DB_MAIN : it->table->db;
      }
    }
  }
}

/* A WITH clause makes its CTEs visible to the whole select, compound
** included, and to everything nested in it. */
int cg_with_push(Parse *p, const With *w, CteFrame *frame) {
  for (int i = 0; i < w->n; i++)
    for (int j = 0; j < i; j++)
      if (util_stricmp(w->ctes[i].name, w->ctes[j].name) == 0)
        return cg_error(p, LODE_ERROR, "duplicate WITH table name: %s", w->ctes[i].name), 0;
  frame->with = w;
  frame->nvisible = w->n;
  frame->outer = p->with;
  p->with = frame;
  return 1;
}

void cg_select(Parse *p, const Select *s, SelectDest *dest) {
  CteFrame frame, *saved = p->with;
  if (s->with && !cg_with_push(p, s->with, &frame)) return;
  p->select_depth++;
  select_body(p, s, dest);
  /* ALTER TABLE RENAME resolves every CTE's names of the text it renames,
  ** used or not, as SQLite's does (not those of the views that text reads):
  ** each is opened once more (the program never runs). */
  for (int i = 0; p->rename && p->view_depth <= 1 && s->with && i < s->with->n && p->rc == LODE_OK; i++) {
    SrcItem src;
    ScopeItem item;
    const Cte *cte = &s->with->ctes[i];
    int walked = 0;
    for (int k = 0; k < p->nwalked_ctes; k++) walked |= p->walked_ctes[k] == cte;
    if (walked) continue;
    const void **list = arena_alloc(&p->arena, sizeof(void *) * (size_t)(p->nwalked_ctes + 1));
    if (!list) {
      cg_error(p, LODE_NOMEM, "out of memory");
      break;
    }
    if (p->nwalked_ctes) memcpy(list, p->walked_ctes, sizeof(void *) * (size_t)p->nwalked_ctes);
    list[p->nwalked_ctes++] = cte;
    p->walked_ctes = list;
    memset(&src, 0, sizeof src);
    src.name = cte->name;
    p->walk_cte = 1;
    cg_open_named_subquery(p, &src, &item);
    p->walk_cte = 0;
    /* A CTE of the text's own WITH: SQLite renames what it resolved of the
    ** body and ignores its errors (those of a subquery's WITH are reported). */
    if (p->rc == LODE_ERROR && p->select_depth == 1) {
      util_free(p->errmsg);
      p->errmsg = NULL;
      p->err_at = 0;
      p->rc = LODE_OK;
    }
  }
  p->select_depth--;
  p->with = saved;
}

/* The calls this query computes for its subqueries (agg_owner.c), listed in
** Parse.outer_owned as they are found. */
typedef struct OwnedCalls {
  int first; /* index in Parse.outer_owned of this query's first */
  const Expr *misplaced; /* one found in WHERE or ON */
  int misplaced_in_where; /* and it stands in the WHERE or ON of a subquery without aggregates */
} OwnedCalls;

/* Lists call in Parse.outer_owned with the copy its query computes. */
static void add_owned(Parse *p, const Expr *call, const Expr *copy) {
  size_t n = (size_t)p->nouter_owned + 1;
  const Expr **calls = arena_alloc(&p->arena, sizeof(Expr *) * n);
  const Expr **copies = arena_alloc(&p->arena, sizeof(Expr *) * n);
  if (!calls || !copies || !copy) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  if (p->nouter_owned) {
    memcpy(calls, p->outer_owned, sizeof(Expr *) * (n - 1));
    memcpy(copies, p->outer_copies, sizeof(Expr *) * (n - 1));
  }
  calls[n - 1] = call;
  copies[n - 1] = copy;
  p->outer_owned = calls;
  p->outer_copies = copies;
  p->nouter_owned++;
}

static void claim_call(Parse *p, void *ctx, const Expr *call, int in_where) {
  (void)ctx;
  if (cg_is_outer_owned(p, call)) return;
  if (in_where & CG_OWNED_IN_WHERE) { /* SQLite allows it only where the subquery aggregates too */
    cg_error_at(p, call, LODE_ERROR, "misuse of aggregate function %s()", call->text);
    return;
  }
  add_owned(p, call, ast_copy_expr(&p->arena, call)); /* the copy is bound in this query, not in the subquery */
}

static void note_misplaced(Parse *p, void *ctx, const Expr *call, int in_where) {
  OwnedCalls *o = ctx;
  (void)p;
  if (o->misplaced) return;
  o->misplaced = call;
  o->misplaced_in_where = in_where;
}

/* Claims the aggregate calls of the subqueries in the results, HAVING and
** ORDER BY that belong to this query; returns how many. */
static int claim_outer_owned(Parse *p, const Select *s, const SelectPlan *sp, OwnedCalls *o, int first) {
  o->first = first;
  for (int i = 0; i < sp->nresult; i++) cg_outer_owned_calls(p, sp->results[i].expr, claim_call, o);
  cg_outer_owned_calls(p, s->having, claim_call, o);
  /* ORDER BY's calls are claimed only by a query that aggregates anyway: in
  ** one that does not, SQLite reports such a call as a misused aggregate, as
  ** it does an aggregate of the query's own written there. */
  int aggregates = sp->is_agg || p->nouter_owned > first;
  for (int i = 0; i < s->norder && p->rc == LODE_OK; i++) {
    if (aggregates) {
      cg_outer_owned_calls(p, s->order_by[i].expr, claim_call, o);
      continue;
    }
    OwnedCalls m = {0, NULL, 0};
    cg_outer_owned_calls(p, s->order_by[i].expr, note_misplaced, &m);
    if (m.misplaced) cg_error_at(p, m.misplaced, LODE_ERROR, "misuse of aggregate: %s()", m.misplaced->text);
  }
  return p->nouter_owned - o->first;
}

/* An aggregate call in WHERE or ON fails with SQLite's two messages: the one
** of an aggregate query, and the one of a query without aggregates. */
/* Term k of FROM item i that SQLite reads as part of WHERE: its ON term
** (k = 0), then a table-valued function's arguments; NULL past them. */
static const Expr *from_where_term(const Select *s, int i, int k) {
  const SrcItem *it = &s->from->items[i];
  if (k == 0) return it->on;
  return it->is_call && it->args && k - 1 < it->args->n ? it->args->items[k - 1] : NULL;
}

/* An aggregate call of this query in the result of an EXISTS subquery of its
** WHERE or ON, where no aggregate of this query may stand: SQLite 3.53 lets
** it be, computed nowhere (an EXISTS reads no result column) and not the
** subquery's own aggregate.  Listed as claimed, its copy a NULL that
** code_function reads. */
static void ignore_call(Parse *p, void *ctx, const Expr *call, int in_where) {
  (void)ctx;
  (void)in_where;
  if (cg_is_outer_owned(p, call)) return;
  Expr *null = arena_alloc(&p->arena, sizeof *null);
  if (null) null->kind = EXPR_NULL;
  add_owned(p, call, null);
}

static void ignore_exists_results(Parse *p, const Select *s) {
  cg_exists_result_calls(p, s, s->where, ignore_call, NULL);
  for (int i = 0; s->from && i < s->from->n; i++)
    for (int k = 0; k == 0 || from_where_term(s, i, k); k++)
      cg_exists_result_calls(p, s, from_where_term(s, i, k), ignore_call, NULL);
}

static void check_misplaced_aggregates(Parse *p, const Select *s, int is_agg) {
  const Expr *agg = cg_first_aggregate(p, s->where);
  for (int i = 0; !agg && s->from && i < s->from->n; i++)
    for (int k = 0; !agg && (k == 0 || from_where_term(s, i, k)); k++) agg = cg_first_aggregate(p, from_where_term(s, i, k));
  if (!agg) {
    OwnedCalls o = {0, NULL, 0};
    cg_outer_owned_calls_where(p, s->where, note_misplaced, &o);
    for (int i = 0; !o.misplaced && s->from && i < s->from->n; i++)
      for (int k = 0; !o.misplaced && (k == 0 || from_where_term(s, i, k)); k++)
        cg_outer_owned_calls_where(p, from_where_term(s, i, k), note_misplaced, &o);
    if (o.misplaced && (o.misplaced_in_where & CG_OWNED_IN_BARE_HAVING)) {
      /* SQLite names the subquery's HAVING first: it checks the subquery
      ** before the place of the call it holds. */
      cg_error(p, LODE_ERROR, "HAVING clause on a non-aggregate query");
      return;
    }
    if (o.misplaced) {
      cg_error_at(p, o.misplaced, LODE_ERROR,
                  (o.misplaced_in_where & CG_OWNED_IN_WHERE) ? "misuse of aggregate function %s()"
                                                              : "misuse of aggregate: %s()",
                  o.misplaced->text);
      return;
    }
  }
  if (agg) cg_error_at(p, agg, LODE_ERROR, is_agg ? "misuse of aggregate: %s()" : "misuse of aggregate function %s()",
                       agg->text);
}

/* Whether e reads nothing but the values of group keys of BINARY collation
** (whole keys: a subtree that is a GROUP BY term), literals and parameters,
** through deterministic functions: then it has one value over each group. */
static int constant_per_group(Parse *p, const Expr *e, const Expr **terms, int ng) {
  if (!e) return 1;
  for (int k = 0; k < ng; k++) {
    const Expr *g = terms[k]->kind == EXPR_COLLATE ? terms[k]->left : terms[k];
    int same = e->kind == EXPR_COLUMN && g->kind == EXPR_COLUMN ? cg_same_column(p, e, g) : cg_same_tree(e, g);
    /* A key of another collation groups values that differ (NOCASE: 'a' and 'A'). */
    if (same) return cg_expr_collation(p, terms[k]) == COLL_BINARY;
  }
  switch (e->kind) {
  case EXPR_NULL: case EXPR_INTEGER: case EXPR_FLOAT: case EXPR_STRING: case EXPR_BLOB: case EXPR_PARAM: return 1;
  case EXPR_FUNCTION:
    if (e->over || e->filter || e->agg_order || cg_first_aggregate(p, e) == e || cg_has_nondeterministic(p, e)) return 0;
    break;
  case EXPR_UNARY: case EXPR_BINARY: case EXPR_ISNULL: case EXPR_NOTNULL: case EXPR_IS: case EXPR_CAST:
  case EXPR_COLLATE: case EXPR_BETWEEN: case EXPR_IN_LIST: case EXPR_LIKE: case EXPR_CASE: case EXPR_VECTOR: break;
  default: return 0; /* a column that is no key, a subquery */
  }
  if (!constant_per_group(p, e->left, terms, ng) || !constant_per_group(p, e->right, terms, ng) ||
      !constant_per_group(p, e->escape, terms, ng))
    return 0;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (!constant_per_group(p, e->args->items[i], terms, ng)) return 0;
  return 1;
}

/* HAVING terms (of its AND) that have one value over each group go to
** WHERE, as SQLite moves them: a group they reject loses all its rows
** before grouping instead of after, and WHERE can use an index for them. */
static void having_to_where(Parse *p, Select *s, const Expr **terms, int ng) {
  const Expr *stack[64], *kept = NULL;
  int n = 0;
  stack[n++] = s->having;
  while (n > 0 && p->rc == LODE_OK) {
    const Expr *t = stack[--n];
    if (t->kind == EXPR_BINARY && t->op == TK_AND && n + 2 <= (int)(sizeof stack / sizeof stack[0])) {
      stack[n++] = t->right; /* left first: the terms keep their order */
      stack[n++] = t->left;
    } else if (constant_per_group(p, t, terms, ng) && !cg_expr_has_aggregate(p, t)) {
      s->where = cg_and(p, s->where, t);
    } else {
      kept = cg_and(p, kept, t);
    }
  }
  if (p->rc == LODE_OK) s->having = (Expr *)kept;
}

/* Result-column aliases in WHERE, GROUP BY, HAVING and inside ORDER BY terms,
** as SQLite resolves them: a bare name that no FROM item of this query has
** reads the result column of that AS name — a copy of its expression, put in
** the name's place before aggregates are collected.  The copy is not searched
** again, so an alias defined by itself stays unknown.  (A bare ORDER BY term
** is matched to an alias first, by resolve_order_term.) */
static void substitute_aliases_in(Parse *p, const Select *s, const Expr *e, int in_agg) {
  if (!e || p->rc != LODE_OK) return;
  if (e->kind == EXPR_COLUMN) {
    if (e->table || e->schema || e->bound || e->bound_column || cg_names_local_column(p, e)) return;
    for (int i = 0; i < s->columns->n; i++) {
      const char *name = s->columns->names[i];
      if (!name || util_stricmp(name, e->text) != 0) continue;
      if (cg_first_window_call(s->columns->items[i])) {
        cg_error(p, LODE_ERROR, "misuse of aliased window function %s", name);
        return;
      }
      if (in_agg && cg_expr_has_aggregate(p, s->columns->items[i])) { /* an aggregate's argument */
        cg_error(p, LODE_ERROR, "misuse of aliased aggregate %s", name);
        return;
      }
      Expr *copy = ast_copy_expr(&p->arena, s->columns->items[i]);
      if (!copy) {
        cg_error(p, LODE_NOMEM, "out of memory");
        return;
      }
      *(Expr *)e = *copy; /* in place: the parent keeps pointing at it */
      return;
    }
    return;
  }
  in_agg |= e->kind == EXPR_FUNCTION && cg_first_aggregate(p, e) == e;
  substitute_aliases_in(p, s, e->left, in_agg);
  substitute_aliases_in(p, s, e->right, in_agg);
  substitute_aliases_in(p, s, e->escape, in_agg);
  for (int i = 0; e->args && i < e->args->n; i++) substitute_aliases_in(p, s, e->args->items[i], in_agg);
  substitute_aliases_in(p, s, e->filter, in_agg);
}

static void substitute_aliases(Parse *p, const Select *s, const Expr *e) { substitute_aliases_in(p, s, e, 0); }


/* A name in a subquery that reads an alias of an aggregate of this query. */
typedef struct SubqueryAlias {
  const Select *s; /* the query whose aliases are read */
  int allowed;     /* 0 in WHERE and GROUP BY, where the aggregate is misused */
} SubqueryAlias;

static void claim_call(Parse *p, void *ctx, const Expr *call, int in_where);

/* The aggregate calls of an alias copied into a subquery are this query's. */
static void claim_copied_calls(Parse *p, const Expr *e) {
  if (!e || p->rc != LODE_OK || e->select || e->over) return;
  if (e->kind == EXPR_FUNCTION && cg_first_aggregate(p, e) == e) {
    claim_call(p, NULL, e, 0);
    return;
  }
  claim_copied_calls(p, e->left);
  claim_copied_calls(p, e->right);
  claim_copied_calls(p, e->escape);
  for (int i = 0; e->args && i < e->args->n; i++) claim_copied_calls(p, e->args->items[i]);
}

/* An alias over an aggregate is not reached by binding (expr.c outer_alias
** takes plain expressions only): here, before the aggregates are collected,
** the name becomes a copy of the aliased expression whose calls this query
** computes, as SQLite resolves it from a subquery of HAVING or ORDER BY. */
static void subquery_alias(Parse *p, void *ctx, const Expr *name) {
  const SubqueryAlias *sa = ctx;
  const Select *s = sa->s;
  if (cg_names_local_column(p, name)) return;
  for (int i = 0; i < s->columns->n; i++) {
    const char *alias = s->columns->names[i];
    const Expr *item = s->columns->items[i];
    if (!alias || util_stricmp(alias, name->text) != 0) continue;
    const Expr *agg = cg_first_aggregate(p, item);
    if (!agg || cg_first_window_call(item)) return;
    if (!sa->allowed) {
      cg_error_at(p, agg, LODE_ERROR, "misuse of aggregate: %s()", agg->text);
      return;
    }
    Expr *copy = ast_copy_expr(&p->arena, item);
    if (!copy) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    *(Expr *)name = *copy; /* in place: the parent keeps pointing at it */
    claim_copied_calls(p, name);
    return;
  }
}

static void substitute_subquery_aliases(Parse *p, const Select *a, const Expr *e, int allowed) {
  SubqueryAlias sa = {a, allowed};
  cg_subquery_outer_names(p, e, subquery_alias, &sa);
}

static void substitute_all_aliases(Parse *p, const Select *s) {
  const Select *a = s->aliases_of ? s->aliases_of : s;
  if (!a->columns->names) return;
  substitute_aliases(p, a, s->where);
  substitute_subquery_aliases(p, a, s->where, 0);
  /* SQLite reads ON terms, and a table-valued function's arguments, as part
  ** of WHERE, aliases and all. */
  for (int i = 0; s->from && i < s->from->n; i++) {
    for (int k = 0; k == 0 || from_where_term(s, i, k); k++) {
      substitute_aliases(p, a, from_where_term(s, i, k));
      substitute_subquery_aliases(p, a, from_where_term(s, i, k), 0);
    }
  }
  for (int i = 0; s->group_by && i < s->group_by->n; i++) {
    substitute_aliases(p, a, s->group_by->items[i]);
    substitute_subquery_aliases(p, a, s->group_by->items[i], 0);
  }
  substitute_aliases(p, a, s->having);
  substitute_subquery_aliases(p, a, s->having, 1);
  if (s->aliases_of) return; /* the ORDER BY is the outer part's */
  for (int i = 0; i < s->norder; i++) {
    const Expr *e = s->order_by[i].expr, *base = e->kind == EXPR_COLLATE ? e->left : e;
    if (base->kind != EXPR_COLUMN) substitute_aliases(p, s, base);
    substitute_subquery_aliases(p, s, base, 1);
  }
}

/* Whether a term of WHERE holds column col of the query's one table (cursor)
** equal to a constant, compared in collation coll or BINARY: every row the
** query reads then has that one value there, never NULL. */
static int held_equal(Parse *p, const Expr *w, int cursor, int col, int coll) {
  if (!w) return 0;
  if (w->kind == EXPR_BINARY && w->op == TK_AND)
    return held_equal(p, w->left, cursor, col, coll) || held_equal(p, w->right, cursor, col, coll);
  if (w->kind != EXPR_BINARY || w->op != TK_EQ) return 0;
  for (int side = 0; side < 2; side++) {
    const Expr *c = side ? w->right : w->left, *k = side ? w->left : w->right;
    int cur, cid;
    Table *t;
    if (c->kind != EXPR_COLUMN || !cg_try_resolve_column(p, c, &cur, &cid, &t) || cur != cursor || cid != col)
      continue;
    if (k->kind != EXPR_PARAM && k->kind != EXPR_INTEGER && k->kind != EXPR_FLOAT && k->kind != EXPR_STRING &&
        k->kind != EXPR_BLOB)
      continue;
    int cc = cg_comparison_collation(p, w->left, w->right);
    if (cc == COLL_BINARY || cc == coll) return 1;
  }
  return 0;
}

/* Whether the DISTINCT of a query over one table is a no-op, as SQLite finds
** it: its results hold the rowid, or every column of a UNIQUE index (not
** partial, of columns only), each NOT NULL and in the index's collation, or
** held equal to a constant by WHERE.  Two rows equal in their results are
** then one row, and the program is the one without DISTINCT. */
static int distinct_redundant(Parse *p, const Select *s, const SelectPlan *sp, const Scope *scope) {
  if (!s->distinct || s->group_by || sp->is_agg || scope->n != 1) return 0;
  const ScopeItem *it = &scope->items[0];
  Table *t = it->table;
  if (!t || it->sorter >= 0 || it->vtab || !t->root) return 0;
  int *held = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ncols ? t->ncols : 1));
  if (!held) return 0;
  for (int j = 0; j < t->ncols; j++) held[j] = -1;
  for (int i = 0; i < sp->nresult; i++) {
    const Expr *e = sp->results[i].expr, *base = e->kind == EXPR_COLLATE ? e->left : e;
    int cur, col;
    Table *rt;
    if (base->kind != EXPR_COLUMN || !cg_try_resolve_column(p, base, &cur, &col, &rt) || cur != it->cursor) continue;
    if (!t->without_rowid && (col < 0 || col == t->ipk)) return 1;
    if (col >= 0 && col < t->ncols) {
      int coll = cg_result_collation(p, e);
      held[col] = coll < 0 ? COLL_BINARY : coll;
    }
  }
  for (const Index *ix = t->indexes; ix; ix = ix->next) {
    if (!ix->unique || ix->where) continue;
    int k;
    for (k = 0; k < ix->nkey; k++) {
      int cid = ix->cols[k].cid;
      if (cid < 0 || cid >= t->ncols) break;
      int not_null = t->cols[cid].not_null || (t->without_rowid && ix->origin == INDEX_ORIGIN_PK);
      if (held[cid] == ix->cols[k].coll && not_null) continue;
      if (!held_equal(p, s->where, it->cursor, cid, ix->cols[k].coll)) break;
    }
    if (k == ix->nkey) return 1;
  }
  return 0;
}

static void select_body(Parse *p, const Select *s, SelectDest *dest) {
  SelectPlan sp;
  Scope scope, *saved_scope = p->scope;
  AggInfo *saved_agg = p->agg;
  CgLoops *loops = NULL;
  const Expr **group_terms = NULL;
  int ng = s->group_by ? s->group_by->n : 0, gsorter = -1;
  int next, i;
  memset(&sp, 0, sizeof sp);
  AuthPending *asked = p->auth ? cg_auth_select_begin(p, s) : NULL;
  if (s->next) {
    int start = vdbe_current_addr(p->v);
    if (s->compound_body) {
      code_compound_rows(p, s, dest);
    } else {
      code_compound(p, s, dest);
      compound_error_order(p, s, start);
    }
    cg_auth_select_end(p, asked, NULL);
    return;
  }
  int loose_colls = p->loose_arm_colls;
  p->loose_arm_colls = 0;

  if (s->from && s->from->n > PLAN_MAX_ITEMS) {
    cg_error(p, LODE_ERROR, "at most 64 tables in a join");
    return;
  }
  s = cg_simplify_joins(p, s);
  /* ALTER TABLE RENAME resolves names only: window calls are coded as
  ** stand-ins there, their windows' names bound with them. */
  if (cg_select_has_window(s) && !p->rename) {
    /* The calls first, as SQLite resolves them; the names bind in the inner query. */
    for (int k = 0; p->auth && k < s->columns->n; k++) cg_auth_calls(p, s->columns->items[k]);
    for (int k = 0; p->auth && k < s->norder; k++) cg_auth_calls(p, s->order_by[k].expr);
    cg_window_select(p, s, dest);
    cg_auth_select_end(p, asked, NULL);
    return;
  }
  s = cg_flatten(p, s);
  ignore_exists_results(p, s);
  ExistsJoins exists;
  s = cg_exists_to_join(p, s, &exists);
  open_from(p, s, &scope, exists.n);
  p->scope = &scope;
  AliasFrame frame = {&scope, s->aliases_of ? s->aliases_of : s, 0, p->aliases};
  p->aliases = &frame;
  sp.done_label = vdbe_make_label(p->v);
  sp.end_label = vdbe_make_label(p->v);
  sp.agg.level = cg_scope_level(&scope);
  if (saved_agg) { /* its values stay readable for the calls it computes for this query */
    saved_agg->enclosing = p->enclosing_agg;
    p->enclosing_agg = saved_agg;
  }
  p->agg = NULL; /* an enclosing aggregate query's state does not apply in here */
  if (p->auth) { /* SQLite resolves LIMIT and OFFSET first */
    cg_auth_calls(p, s->limit);
    cg_auth_calls(p, s->offset);
  }
  /* ... so an unknown name there is the one reported (they see no table). */
  if ((s->limit && !has_nested_scope(s->limit)) || (s->offset && !has_nested_scope(s->offset))) {
    Scope *own = p->scope;
    p->scope = NULL;
    if (s->limit && !has_nested_scope(s->limit)) cg_check_names(p, s->limit);
    if (s->offset && !has_nested_scope(s->offset) && p->rc == LODE_OK) cg_check_names(p, s->offset);
    p->scope = own;
  }
  expand_results(p, s, &sp, dest);
  dest->ncols = sp.nresult;
  dest->names = arena_alloc(&p->arena, sizeof(char *) * (size_t)(sp.nresult ? sp.nresult : 1));
  dest->decls = arena_alloc(&p->arena, sizeof(char *) * (size_t)(sp.nresult ? sp.nresult : 1));
  dest->affs = arena_alloc(&p->arena, (size_t)(sp.nresult ? sp.nresult : 1));
  dest->colls = arena_alloc(&p->arena, sizeof(int) * (size_t)(sp.nresult ? sp.nresult : 1));
  for (i = 0; dest->names && dest->decls && dest->affs && dest->colls && i < sp.nresult; i++) {
    char aff = cg_expr_affinity(p, sp.results[i].expr);
    /* Rows kept for a FROM item or compared by an IN carry their columns'
    ** collations, which must exist then; a query's own result needs none. */
    dest->colls[i] = (dest->kind == DEST_SORTER && !loose_colls) || dest->kind == DEST_IN || dest->kind == DEST_INSET
                         ? cg_kept_collation(p, sp.results[i].expr)
                         : cg_result_collation(p, sp.results[i].expr);
    dest->names[i] = sp.results[i].name;
    dest->decls[i] = sp.results[i].decltype_;
    dest->affs[i] = aff; /* an expression column has none (BLOB for storage; SQLite compares it as none) */
  }
  if (p->auth) cg_auth_early_clauses(p, s); /* after the results', in SQLite's order */
  /* SQLite resolves the result columns' names before those of WHERE and
  ** ORDER BY, so an unknown or ambiguous name there is the one reported.
  ** The early pass stops at a subquery or window function: those bind
  ** their names in scopes of their own when they are coded. */
  int early_names = 1;
  for (i = 0; i < sp.nresult && p->rc == LODE_OK && early_names; i++) {
    if (has_nested_scope(sp.results[i].expr)) early_names = 0;
    else cg_check_names(p, sp.results[i].expr);
  }
  if (s->nested_from) nested_from_names(p, &sp, dest);
  /* ALTER TABLE RENAME resolves the names of every window the query
  ** defines, used or not, as SQLite's does. */
  for (i = 0; p->rename && i < s->nwindows && p->rc == LODE_OK; i++) cg_code_window_names(p, s->windows[i]);
  if (ng) group_terms = number_group_terms(p, s, &sp);
  int first_owned = p->nouter_owned; /* aliases copied into subqueries claim calls too */
  substitute_all_aliases(p, s);
  /* Then WHERE's names, before the loops code it in their own order; its
  ** joined EXISTS subqueries' first. */
  if (p->rc == LODE_OK) cg_exists_open(p, &exists, &scope);
  if (early_names && s->where && !has_nested_scope(s->where)) cg_check_names(p, s->where);
  sp.is_agg = ng > 0;
  for (i = 0; i < sp.nresult; i++) sp.is_agg |= cg_expr_has_aggregate(p, sp.results[i].expr);
  OwnedCalls owned;
  if (claim_outer_owned(p, s, &sp, &owned, first_owned) > 0) sp.is_agg = 1;
  /* Without GROUP BY, the result columns decide whether the query
  ** aggregates; an aggregate in HAVING alone does not make it one. */
  if (s->having && !sp.is_agg && p->rc == LODE_OK) cg_error(p, LODE_ERROR, "HAVING clause on a non-aggregate query");
  check_misplaced_aggregates(p, s, sp.is_agg);
  if (ng && !check_group_terms(p, group_terms, ng)) group_terms = NULL;
  if (group_terms && s->having && p->rc == LODE_OK) having_to_where(p, (Select *)s, group_terms, ng);
  setup_order_by(p, s, &sp);
  for (i = 0; !sp.is_agg && i < sp.norder && p->rc == LODE_OK; i++) {
    const Expr *agg = cg_first_aggregate(p, sp.order_exprs[i]);
    if (agg) cg_error_at(p, agg, LODE_ERROR, "misuse of aggregate: %s()", agg->text);
  }
  if (sp.is_agg) {
    for (i = 0; i < sp.nresult; i++) collect_aggregates(p, &sp.agg, sp.results[i].expr, 0);
    collect_aggregates(p, &sp.agg, s->having, 0);
    for (i = 0; i < sp.norder; i++) collect_aggregates(p, &sp.agg, sp.order_exprs[i], 0);
    for (i = owned.first; i < p->nouter_owned; i++) add_owned_call(p, &sp.agg, p->outer_copies[i]);
    if (output_has_subquery(p, s, &sp)) { /* the rowid of each table's row, to go back to it */
      sp.reposition = 1;
      for (i = 0; i < scope.n; i++)
        if (scope.items[i].sorter < 0 && !scope.items[i].vtab && !scope.items[i].table->without_rowid)
          add_bare_column(p, &sp.agg, scope.items[i].cursor, -1);
    }
    sp.agg.grouped = ng > 0;
    init_aggregates(p, &sp.agg);
  }
  /* Groups sorted in the ORDER BY's direction come out in its order: one
  ** sort serves both (SQLite's too), should the groups come from the sorter. */
  int gsorter_dir =
      ng && group_terms && sp.sorter >= 0 && p->rc == LODE_OK ? order_of_groups(p, s, &sp, group_terms, ng) : -1;
  if (ng && p->rc == LODE_OK) {
    KeyInfo *k = group_keyinfo(p, group_terms, ng);
    for (int i = 0; k && gsorter_dir == 1 && i < sp.norder; i++) k->desc[i] = k->nulls_last[i] = 1;
    /* Grouping needs equal keys together, in either direction: when the
    ** ORDER BY has as many terms as the GROUP BY, SQLite sorts each GROUP BY
    ** term in the direction of the ORDER BY term at its position, whatever
    ** that term is, so the groups (and with them the ORDER BY's ties) come
    ** out in that order. */
    for (int i = 0; k && gsorter_dir < 0 && s->norder == ng && i < ng; i++)
      if (s->order_by[i].desc) k->desc[i] = k->nulls_last[i] = 1;
    gsorter = cg_cursor(p);
    if (!k || vdbe_add_op4(p->v, OP_SorterOpen, gsorter, ng, 0, P4_KEYINFO, k, 0) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
  }
  PlanOrder *dorder = NULL;
  Select plain;
  if (p->rc == LODE_OK && distinct_redundant(p, s, &sp, &scope)) {
    plain = *s;
    plain.distinct = 0;
    s = &plain;
  }
  if (s->distinct) {
    sp.distinct_set = cg_reg(p);
    cg_op(p, OP_Null, 0, sp.distinct_set, 0);
    if (sp.sorter < 0 && (dorder = distinct_order(p, s, &sp, &scope))) {
      sp.distinct_have = cg_reg(p);
      cg_op(p, OP_Integer, 0, sp.distinct_have, 0);
    }
  }
  code_limit(p, s, &sp);
  if (sp.sorter >= 0 && sp.limit_reg && !sp.distinct_set) bound_sorter(p, &sp);
  if (p->rc != LODE_OK) goto done;

  loops = arena_alloc_raw(&p->arena, sizeof *loops); /* cg_loops_open clears it */
  if (!loops) {
    cg_error(p, LODE_NOMEM, "out of memory");
    goto done;
  }
  if (scope.n + scope.nexists == 0) cg_explain_step(p, "SCAN CONSTANT ROW");
  int agg_explain_at = vdbe_current_addr(p->v);
  if (sp.is_agg && !ng) explain_distinct_aggregates(p, &sp.agg);
  int agg_explained = vdbe_current_addr(p->v) > agg_explain_at;
  note_columns_used(p, s, &sp, &scope, group_terms, ng);
  PlanOrder *order = NULL, *minmax = NULL, *grouping = NULL;
  int norder = 0;
  GroupStream stream = {0, 0, 0};
  if (code_simple_count(p, s, &sp, &scope, dest, ng)) goto counted;
  if (sp.sorter >= 0 && !sp.is_agg && !ng && (order = order_for_planner(p, s, &sp))) norder = sp.norder;
  else if (dorder) order = dorder, norder = sp.nresult;
  else if (sp.is_agg && (minmax = minmax_order(p, s, &sp, &scope, ng))) order = minmax, norder = 1;
  PlanOrder *aorder = sp.is_agg && !order ? distinct_agg_order(p, &sp, &scope, ng) : NULL;
  if (aorder) {
    order = aorder;
    norder = 1;
    sp.agg.distinct_have = cg_reg(p);
    cg_op(p, OP_Integer, 0, sp.agg.distinct_have, 0);
  }
  /* GROUP BY: ask for the groups' order; when the loops give it, the
  ** groups stream out without the grouping sorter. */
  int group_dir = ng ? order_of_groups(p, s, &sp, group_terms, ng) : -1;
  if (!order && ng && !output_has_subquery(p, s, &sp))
    grouping = group_order(p, group_terms, ng, sp.norder && group_dir >= 0 ? group_dir : -1);
  if (grouping) {
    order = grouping;
    norder = ng;
    stream.cur = cg_regs(p, ng);
    stream.prev = cg_regs(p, ng);
    stream.have_prev = cg_reg(p);
    cg_op(p, OP_Integer, 0, stream.have_prev, 0);
  }
  if (scope.n == 1 && !scope.nexists && scope.items[0].vtab && scope.items[0].vtab->all_ops && sp.limit_reg &&
      !sp.is_agg && !ng &&
      !s->distinct && !s->next && !s->compound_op) {
    p->vtab_limit = s->limit, p->vtab_limit_reg = sp.limit_reg;
    p->vtab_offset = s->offset, p->vtab_offset_reg = sp.offset_reg;
  }
  p->vtab_distinct = grouping ? 1 : order && !minmax && !dorder && s->distinct ? 3 : 0;
  int idxm_base = p->idxm_nsubst;
  if (scope.n == 1 && !scope.nexists && !scope.items[0].vtab && scope.items[0].sorter < 0 && scope.items[0].table &&
      scope.items[0].table->method_indexes && !minmax && !grouping && !sp.is_agg && !ng && !s->distinct && !s->next &&
      !s->compound_op && s->nwindows == 0) {
    p->idxm_select = s;
    p->idxm_limit = s->limit;
    p->idxm_offset = s->offset;
  }
  p->loops_reverse = s->norder == 0 && ng == 0 && p->db->settings[CONN_SET_REVERSE_UNORDERED_SELECTS];
  p->loops_offset = !sp.is_agg && !ng && !s->distinct && !s->nwindows && !cg_select_has_window(s) && !minmax &&
                            !grouping && scope.n == 1
                        ? sp.offset_reg
                        : 0;
  p->loops_sort = !order || order == minmax || order == aorder ? 0
                 : order == grouping                             ? PLAN_SORT_GROUP_BY
                 : order == dorder                               ? PLAN_SORT_DISTINCT
                                                                 : PLAN_SORT_ORDER_BY;
  p->loops_limit = p->loops_sort && !sp.is_agg && !ng ? constant_limit(s) : 0;
  /* A query whose one aggregate is min() or max() without FILTER has its
  ** loops worded as searches by SQLite (its WHERE_ORDERBY_MIN/MAX). */
  p->loops_minmax = sp.is_agg && !ng && !s->having && sp.agg.ncalls == 1 && min_or_max_call(sp.agg.calls[0].expr) &&
                    !sp.agg.calls[0].expr->filter;
  next = cg_loops_open(p, s->from, s->where, order, norder, loops, sp.done_label);
  p->loops_minmax = 0;
  p->loops_reverse = 0;
  p->loops_offset = 0;
  p->loops_sort = 0;
  p->loops_limit = 0;
  if (loops->early_offset) sp.offset_reg = 0; /* the loop skips OFFSET's rows */
  p->idxm_select = NULL;
  p->idxm_limit = p->idxm_offset = NULL;
  p->vtab_limit = p->vtab_offset = NULL;
  p->vtab_distinct = 0;
  if (norder && loops->plan.order_satisfied && !minmax && !grouping) drop_sorter(p, &sp); /* rows in order: no sort */
  /* Rows in the order of the first ORDER BY terms: each run of rows equal
  ** on them is sorted and sent on as the next run starts, and a LIMIT ends
  ** the scan once a run has filled it (no bound on the sorter then). */
  if (sp.sorter >= 0 && order && norder == sp.norder && !loops->plan.order_satisfied &&
      loops->plan.order_prefix > 0 && loops->plan.order_prefix < sp.norder && !sp.is_agg && !ng &&
      !s->distinct && !minmax && !grouping && !dorder && !aorder) {
    sp.run_keys = loops->plan.order_prefix;
    sp.run_prev = cg_regs(p, sp.run_keys);
    sp.run_ret = cg_reg(p);
    sp.run_flush = vdbe_make_label(p->v);
    if (sp.sorter_bounded) {
      vdbe_change_to_noop(p->v, sp.sorter_limit_at);
      sp.sorter_bounded = 0;
    }
  }
  if (minmax && !loops->plan.order_satisfied) minmax = NULL;
  if (aorder && loops->plan.order_satisfied) { /* no set of values seen: nor its line in the plan */
    sp.agg.distinct_prev = cg_reg(p);
    if (agg_explained) vdbe_change_to_noop(p->v, agg_explain_at);
  }
  if (grouping && !loops->plan.order_satisfied) grouping = NULL;
  if (ng && !grouping && gsorter_dir >= 0) drop_sorter(p, &sp); /* the grouping sorter's order */
  /* Groups that come out in the ORDER BY's order need no sort either. */
  if (grouping && group_dir >= 0) drop_sorter(p, &sp);
  if (dorder && loops->plan.order_satisfied) { /* rows in the result's order: no set of rows seen */
    sp.distinct_prev = cg_regs(p, sp.nresult);
    sp.distinct_set = 0;
  }
  /* Under a GROUP BY sorted in a temp b-tree, or with DISTINCT aggregates,
  ** SQLite words the DISTINCT after those steps. */
  sp.explain_distinct_later = s->distinct && !sp.distinct_prev && ng && (!grouping || has_distinct_call(&sp.agg));
  if (s->distinct && !sp.distinct_prev && !sp.explain_distinct_later) explain_distinct(p, dest);
  if (grouping) group_stream_row(p, s, &sp, dest, group_terms, ng, &stream);
  else if (ng) group_scan_row(p, &sp, group_terms, ng, gsorter);
  else if (sp.is_agg) step_aggregates(p, &sp.agg);
  else produce_row(p, &sp, dest, next);
  if (sp.distinct_prev) distinct_skip_ahead(p, &scope, loops, &sp, sp.done_label);
  if (minmax) { /* rows in the aggregate's order: the first non-NULL value decides */
    int v = cg_expr_reg(p, minmax->expr);
    cg_op(p, OP_NotNull, v, sp.done_label, 0);
  }
  cg_loops_close(p, loops, sp.done_label);
  p->idxm_nsubst = idxm_base;

counted:
  vdbe_resolve_label(p->v, sp.done_label);
  if (grouping) {
    explain_distinct_aggregates(p, &sp.agg);
    if (sp.explain_distinct_later) explain_distinct(p, dest);
    group_stream_end(p, s, &sp, dest, &stream);
  } else if (ng) {
    group_output(p, s, &sp, dest, group_terms, ng, gsorter);
  }
  else if (sp.is_agg) emit_aggregate_row(p, s, &sp, dest);
  if (sp.sorter >= 0 && sp.run_keys) output_runs(p, s, &sp, dest);
  else if (sp.sorter >= 0) output_sorted(p, &sp, dest);
  vdbe_resolve_label(p->v, sp.end_label);
  if (p->rc == LODE_OK) set_origins(p, &sp, dest);
  if (p->rc == LODE_OK && dest->kind == DEST_RESULT) set_column_names(p, &sp, dest);
  for (i = 0; p->rc == LODE_OK && i < scope.n; i++) prune_unread_columns(p, &scope.items[i]);
  cg_auth_select_end(p, asked, &scope);
done:
  p->scope = saved_scope;
  p->aliases = frame.next;
  p->agg = saved_agg;
  if (saved_agg) p->enclosing_agg = saved_agg->enclosing;
}

/* Expression subqueries run (again) wherever they are evaluated, so a
** correlated one sees the current row of the enclosing query.  That is why
** the plan calls every one of them CORRELATED, as SQLite calls those it runs
** again for each row. */
/* The result of x [NOT] IN (…) into target, once the code before has
** jumped to one of the labels: no match, a NULL outcome, or a match. */
static void code_in_outcome(Parse *p, int negated, int target, int is_false, int is_null, int found) {
  int done = vdbe_make_label(p->v);
  vdbe_resolve_label(p->v, is_false);
  cg_op(p, OP_Integer, negated ? 1 : 0, target, 0);
  cg_op(p, OP_Goto, 0, done, 0);
  vdbe_resolve_label(p->v, is_null);
  cg_op(p, OP_Null, 0, target, 0);
  cg_op(p, OP_Goto, 0, done, 0);
  vdbe_resolve_label(p->v, found);
  cg_op(p, OP_Integer, negated ? 0 : 1, target, 0);
  vdbe_resolve_label(p->v, done);
}

/* A subquery run where it is evaluated (every time: it may read the
** enclosing query's current row).  Fills *out with what the IN comparison
** turned out to use, and *reached with the outermost scope level the
** subquery itself read (not its IN operand). */
static void code_correlated_subquery(Parse *p, const Expr *e, int target, int n, SelectDest *out, int *reached) {
  SelectDest dest;
  int parent = p->explain_parent;
  memset(&dest, 0, sizeof dest);
  if (e->kind == EXPR_SUBQUERY || e->kind == EXPR_EXISTS) {
    dest.kind = e->kind == EXPR_SUBQUERY ? DEST_SCALAR : DEST_EXISTS;
    dest.reg = target;
    dest.column = e->subquery_column ? e->subquery_column - 1 : 0;
    cg_op(p, e->kind == EXPR_SUBQUERY ? OP_Null : OP_Integer, 0, target, 0);
    p->explain_parent = cg_explain_step(p, "CORRELATED SCALAR SUBQUERY %d", cg_explain_select_id(e->select, n));
    int before = p->min_ref_level;
    p->min_ref_level = INT_MAX;
    cg_select(p, e->select, &dest);
    if (e->kind == EXPR_SUBQUERY) note_scalar_origin(p, e, &dest);
    *reached = p->min_ref_level;
    if (before < p->min_ref_level) p->min_ref_level = before;
    p->explain_parent = parent;
    if (e->subquery_column && dest.ncols != e->ival && p->rc == LODE_OK)
      cg_error(p, LODE_ERROR, "%d columns assigned %d values", (int)e->ival, dest.ncols);
    else if (dest.kind == DEST_SCALAR && !e->subquery_column && dest.ncols != 1 && p->rc == LODE_OK && !p->rename)
      cg_error(p, LODE_ERROR, "sub-select returns %d columns - expected 1", dest.ncols); /* SQLite's codegen's */
    *out = dest;
    return;
  }
  {
    /* x [NOT] IN (SELECT ...) */
    int found = vdbe_make_label(p->v);
    int is_null = vdbe_make_label(p->v), is_false = vdbe_make_label(p->v);
    dest.kind = DEST_IN;
    dest.reg = cg_expr_reg(p, e->left);
    dest.label = found;
    dest.null_reg = cg_reg(p);
    dest.any_reg = cg_reg(p);
    dest.affinity = cg_expr_affinity(p, e->left);
    dest.left_coll = cg_explicit_collation(p, e->left);
    dest.left_collate = cg_has_collate(e->left);
    cg_op(p, OP_Integer, 0, dest.null_reg, 0);
    cg_op(p, OP_Integer, 0, dest.any_reg, 0);
    p->explain_parent = cg_explain_step(p, "CORRELATED LIST SUBQUERY %d", cg_explain_select_id(e->select, n));
    int before = p->min_ref_level;
    p->min_ref_level = INT_MAX;
    cg_select(p, e->select, &dest);
    *reached = p->min_ref_level;
    if (before < p->min_ref_level) p->min_ref_level = before;
    p->explain_parent = parent;
    if (dest.ncols != 1 && p->rc == LODE_OK && !p->rename) /* SQLite's codegen's check: no rename's */
      cg_error(p, LODE_ERROR, "sub-select returns %d columns - expected 1", dest.ncols);
    /* no match: false for an empty result, NULL if x or some row was NULL */
    cg_op(p, OP_IfNot, dest.any_reg, is_false, 0);
    cg_op(p, OP_IsNull, dest.reg, is_null, 0);
    cg_op(p, OP_If, dest.null_reg, is_null, 0);
    code_in_outcome(p, e->negated, target, is_false, is_null, found);
    *out = dest;
  }
}

/* IN (SELECT col FROM tbl), no more, with an index whose first column is
** col in the comparison's collation and an affinity its order agrees with
** (or col the rowid): the set IN probes is that index (or the table), as
** SQLite's IN-operator uses it, rather than a copy.  Only in a statement
** that writes nothing, which could change the set while it is probed.
** Returns the index (or the table's rowid: *rowid = 1), and NULL when the
** subquery is not such. */
static const Index *in_set_index(Parse *p, const Expr *e, const SelectDest *trial, Table **table, int *rowid) {
  const Select *s = e->select;
  *rowid = 0;
  if (p->writes || p->with || s->next || s->where || s->group_by || s->having || s->distinct || s->limit ||
      s->offset || s->with || s->nwindows || !s->from || s->from->n != 1 || !s->columns || s->columns->n != 1)
    return NULL;
  const SrcItem *src = &s->from->items[0];
  const Expr *c = s->columns->items[0];
  if (src->subquery || src->is_call || !src->name || src->indexed_by || src->not_indexed || c->kind != EXPR_COLUMN ||
      c->schema || (c->table && util_stricmp(c->table, src->alias ? src->alias : src->name) != 0))
    return NULL;
  Table *t = cg_lookup_table(p, src->schema, src->name);
  if (!t || !t->root || t->vtab_module) return NULL;
  int col = table_column_index(t, c->text);
  if (col < 0 && !t->without_rowid && cg_is_rowid_name(c->text)) col = t->ipk >= 0 ? t->ipk : XN_ROWID;
  if (col == XN_ROWID || (col >= 0 && col == t->ipk)) {
    *table = t;
    *rowid = 1;
    return NULL;
  }
  if (col < 0 || t->cols[col].hidden) return NULL;
  char key_aff;
  if (!plan_affinity_fits(t->cols[col].affinity, trial->in_aff, &key_aff)) return NULL;
  for (const Index *ix = t->indexes; ix; ix = ix->next)
    if (ix->root && !ix->where && ix->cols[0].cid == col && !ix->cols[0].desc && ix->cols[0].coll == trial->in_coll) {
      *table = t;
      return ix;
    }
  return NULL;
}

/* The set of in_set_index opened once per run on cursor set: any_reg says
** it has rows, null_reg that one is NULL (first in the index). */
static void open_in_set_index(Parse *p, const Index *ix, Table *t, int set, const SelectDest *d) {
  int built = vdbe_make_label(p->v), addr;
  cg_op(p, OP_Once, 0, built, 0);
  if (ix) {
    KeyInfo *k = cg_index_keyinfo(p, ix);
    if (!k) return;
    addr = vdbe_add_op4(p->v, OP_OpenRead, set, (int)ix->root, 0, P4_KEYINFO, k, 0);
    if (addr >= 0) vdbe_set_comment(p->v, addr, "%s", ix->name);
    if (addr < 0) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    vdbe_set_op_db(p->v, addr, t->db);
  } else {
    cg_open_table(p, t, set, OP_OpenRead);
  }
  cg_op(p, OP_Integer, 0, d->null_reg, 0);
  cg_op(p, OP_Integer, 0, d->any_reg, 0);
  cg_op(p, OP_Rewind, set, built, 0);
  cg_op(p, OP_Integer, 1, d->any_reg, 0);
  if (ix) {
    int v = cg_reg(p);
    cg_op(p, OP_Column, set, 0, v);
    cg_op(p, OP_NotNull, v, built, 0);
    cg_op(p, OP_Integer, 1, d->null_reg, 0);
  }
  vdbe_resolve_label(p->v, built);
  if (ix) cg_explain_step(p, "USING INDEX %s FOR IN-OPERATOR", ix->name);
  else cg_explain_step(p, "USING ROWID SEARCH ON TABLE %s FOR IN-OPERATOR", t->name);
}

void cg_build_in_set(Parse *p, const Select *sel, int n, KeyInfo *k, SelectDest *d) {
  int built = vdbe_make_label(p->v), parent = p->explain_parent;
  cg_op(p, OP_Once, 0, built, 0);
  if (vdbe_add_op4(p->v, OP_OpenEphemeral, d->cursor, 1, 0, P4_KEYINFO, k, 0) < 0) cg_error(p, LODE_NOMEM, "out of memory");
  cg_op(p, OP_Integer, 0, d->null_reg, 0);
  cg_op(p, OP_Integer, 0, d->any_reg, 0);
  if (d->filter_reg) cg_op(p, OP_FilterInit, d->filter_reg, 0, 0);
  p->explain_parent = cg_explain_step(p, "LIST SUBQUERY %d", cg_explain_select_id(sel, n));
  cg_select(p, sel, d);
  p->explain_parent = parent;
  vdbe_resolve_label(p->v, built);
}

/* A subquery that reads nothing of the enclosing query runs once per run
** of the statement, at its first use (SQLite's "SCALAR SUBQUERY" and "LIST
** SUBQUERY"): a scalar or EXISTS keeps its value in a register; an IN list
** is put in a transient b-tree (in the comparison's collation, with its
** affinity applied), then probed for each left value. */
static void code_uncorrelated_subquery(Parse *p, const Expr *e, int target, int n, const SelectDest *trial) {
  SelectDest dest;
  int parent = p->explain_parent, built = vdbe_make_label(p->v);
  memset(&dest, 0, sizeof dest);
  if (e->kind == EXPR_SUBQUERY || e->kind == EXPR_EXISTS) {
    int keep = cg_reg(p);
    cg_op(p, OP_Once, 0, built, 0);
    cg_op(p, e->kind == EXPR_SUBQUERY ? OP_Null : OP_Integer, 0, keep, 0);
    dest.kind = e->kind == EXPR_SUBQUERY ? DEST_SCALAR : DEST_EXISTS;
    dest.reg = keep;
    dest.column = e->subquery_column ? e->subquery_column - 1 : 0;
    p->explain_parent = cg_explain_step(p, "SCALAR SUBQUERY %d", cg_explain_select_id(e->select, n));
    cg_select(p, e->select, &dest);
    if (e->kind == EXPR_SUBQUERY) note_scalar_origin(p, e, &dest);
    p->explain_parent = parent;
    vdbe_resolve_label(p->v, built);
    cg_op(p, OP_Copy, keep, target, 0);
    return;
  }
  int set = cg_cursor(p), found = vdbe_make_label(p->v);
  int is_null = vdbe_make_label(p->v), is_false = vdbe_make_label(p->v);
  /* Numbers compare exactly when both sides are numeric: no REAL conversion. */
  char aff = trial->in_aff == AFF_REAL || trial->in_aff == AFF_INTEGER ? AFF_NUMERIC : trial->in_aff;
  KeyInfo *k = keyinfo_new(1);
  if (!k) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  k->coll[0] = (uint8_t)trial->in_coll;
  dest.kind = DEST_INSET;
  dest.cursor = set;
  dest.null_reg = cg_reg(p);
  dest.any_reg = cg_reg(p);
  dest.in_aff = aff;
  Table *held = NULL;
  int by_rowid = 0;
  const Index *ix = in_set_index(p, e, trial, &held, &by_rowid);
  if (ix || by_rowid) {
    keyinfo_free(k);
    open_in_set_index(p, ix, held, set, &dest);
  } else {
    /* As SQLite 3.53: the set's values go into a Bloom filter too, which
    ** each probe asks first, unless an ORDER BY sorts them (they then
    ** reach the set past the sort, which fills no filter). */
    const Select *last = e->select;
    while (last->next) last = last->next;
    if (!last->norder) {
      dest.filter_reg = cg_reg(p);
      dest.filter_coll = trial->in_coll;
    }
    cg_build_in_set(p, e->select, n, k, &dest);
  }
  int left = cg_expr_reg(p, e->left), probe = cg_reg(p), absent = vdbe_make_label(p->v);
  /* no match: false for an empty result, NULL if x or some row was NULL */
  cg_op(p, OP_IfNot, dest.any_reg, is_false, 0);
  cg_op(p, OP_IsNull, left, is_null, 0);
  cg_op(p, OP_SCopy, left, probe, 0);
  if (aff) {
    char a[2] = {aff, 0};
    cg_op4_str(p, OP_Affinity, probe, 1, 0, a);
  }
  if (by_rowid) {
    int missing = vdbe_make_label(p->v);
    cg_op(p, OP_SeekRowid, set, missing, probe);
    cg_op(p, OP_Goto, 0, found, 0);
    vdbe_resolve_label(p->v, missing);
  } else {
    if (dest.filter_reg) {
      KeyInfo *fk = keyinfo_new(1);
      if (!fk) {
        cg_error(p, LODE_NOMEM, "out of memory");
        return;
      }
      fk->coll[0] = (uint8_t)trial->in_coll;
      if (vdbe_add_op4(p->v, OP_Filter, dest.filter_reg, absent, probe, P4_KEYINFO, fk, 0) < 0)
        cg_error(p, LODE_NOMEM, "out of memory");
    }
    vdbe_add_op4_int(p->v, OP_Found, set, found, probe, 1);
  }
  vdbe_resolve_label(p->v, absent);
  cg_op(p, OP_If, dest.null_reg, is_null, 0);
  code_in_outcome(p, e->negated, target, is_false, is_null, found);
}

/* Compiled once as if correlated, which tells whether it reads an
** enclosing query; if not, that code is dropped for the run-once form.
** What the statement reads stays noted in min_ref_level either way, so an
** enclosing subquery learns whether it is correlated itself. */
void cg_subquery(Parse *p, const Expr *e, int target) {
  int start = vdbe_current_addr(p->v), nsub = p->nsubquery, nowned = p->nouter_owned;
  int n = ++p->nsubquery, base = cg_scope_level(p->scope), reached = INT_MAX;
  AuthPending *auth_mark = cg_auth_mark(p);
  SelectDest trial;
  code_correlated_subquery(p, e, target, n, &trial, &reached);
  if (reached > base && !p->rerun_subqueries && p->rc == LODE_OK && !vdbe_oom(p->v)) {
    vdbe_truncate(p->v, start);
    cg_auth_truncate(p, auth_mark);
    p->nsubquery = nsub;
    /* The queries inside claim their subqueries' aggregates again as they
    ** are compiled again: a claim left from the trial would say the call is
    ** already some query's, and the query that owns it would not count it. */
    p->nouter_owned = nowned;
    n = ++p->nsubquery;
    code_uncorrelated_subquery(p, e, target, n, &trial);
  }
}

void cg_note_uncorrelated(Parse *p, Expr *e) {
  if (e->uncorrelated || p->rerun_subqueries || p->rc != LODE_OK || !e->select) return;
  if (e->kind == EXPR_IN_SELECT ? e->negated || cg_is_vector_op(p, e) : e->kind != EXPR_SUBQUERY || e->subquery_column)
    return;
  int start = vdbe_current_addr(p->v), nsub = p->nsubquery, nowned = p->nouter_owned, parent = p->explain_parent;
  int base = cg_scope_level(p->scope), reached = INT_MAX;
  AuthPending *auth_mark = cg_auth_mark(p);
  SelectDest trial;
  code_correlated_subquery(p, e, cg_reg(p), ++p->nsubquery, &trial, &reached);
  vdbe_truncate(p->v, start);
  cg_auth_truncate(p, auth_mark);
  p->nsubquery = nsub;
  p->nouter_owned = nowned; /* the claims of the queries inside are made again where it is coded (cg_subquery) */
  p->explain_parent = parent;
  if (p->rc != LODE_OK || vdbe_oom(p->v) || reached <= base || trial.ncols != 1) return;
  e->uncorrelated = 1;
  e->bind_affinity = e->kind == EXPR_IN_SELECT ? trial.in_aff : cg_scalar_affinity(p, e);
  e->bind_coll = e->kind == EXPR_IN_SELECT ? trial.in_coll : -1;
}

void cg_subquery_trial(Parse *p, const Expr *e) {
  int start = vdbe_current_addr(p->v), nsub = p->nsubquery, nowned = p->nouter_owned, parent = p->explain_parent;
  int nctes = p->nexplained_ctes, reached = INT_MAX;
  AuthPending *auth_mark = cg_auth_mark(p);
  SelectDest trial;
  code_correlated_subquery(p, e, cg_reg(p), ++p->nsubquery, &trial, &reached);
  vdbe_truncate(p->v, start);
  cg_auth_truncate(p, auth_mark);
  p->nsubquery = nsub;
  p->nouter_owned = nowned;
  p->explain_parent = parent;
  p->nexplained_ctes = nctes; /* a CTE it showed is shown where it is coded again */
}

void cg_select_stmt(Parse *p, const Stmt *st) {
  SelectDest dest;
  memset(&dest, 0, sizeof dest);
  dest.kind = DEST_RESULT;
  p->auth_top = st->select; /* asked about before compiling */
  cg_begin_program(p);
  cg_select(p, st->select, &dest);
  cg_end_program(p);
}
