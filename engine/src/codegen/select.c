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
**     aggregate:  AggFinal; [HAVING]; output one row
**
** GROUP BY, DISTINCT, compound selects, LEFT JOIN and subqueries are
** reported as not supported yet.
*/
#include <string.h>

#include "codegen/cg.h"

/* A result column after * expansion. */
typedef struct ResultCol {
  const Expr *expr;
  const char *name;
  const char *decltype_;
} ResultCol;

typedef struct SelectPlan {
  int nresult;
  ResultCol *results;
  int norder;
  const Expr **order_exprs;
  int sorter;        /* cursor, or -1 */
  int limit_reg;     /* 0 if no LIMIT */
  int offset_reg;    /* 0 if no OFFSET */
  int done_label;    /* end of the scan */
  int end_label;     /* after all output: where LIMIT goes */
  AggInfo agg;
  int is_agg;
} SelectPlan;

Table *cg_find_table(Parse *p, const char *name) {
  Table *t = schema_find_table(p->db->schema, name);
  if (!t) cg_error(p, LODE_ERROR, "no such table: %s", name);
  return t;
}

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

static void expand_star(Parse *p, SelectPlan *sp, int *cap, const Expr *star) {
  int i, j, matched = 0;
  Scope *s = p->scope;
  if (!s || s->n == 0) {
    cg_error(p, LODE_ERROR, "no tables specified");
    return;
  }
  for (i = 0; i < s->n; i++) {
    ScopeItem *it = &s->items[i];
    if (star->table && util_stricmp(star->table, it->name) != 0) continue;
    matched = 1;
    for (j = 0; j < it->table->ncols; j++) {
      Expr *e = make_column_expr(p, it->name, it->table->cols[j].name);
      if (!e || add_result(p, sp, cap, e, it->table->cols[j].name, it->table->cols[j].decltype_) != LODE_OK)
        return;
    }
  }
  if (!matched) cg_error(p, LODE_ERROR, "no such table: %s", star->table);
}

static void expand_results(Parse *p, const Select *s, SelectPlan *sp) {
  int i, cap = 0;
  for (i = 0; i < s->columns->n && p->rc == LODE_OK; i++) {
    const Expr *e = s->columns->items[i];
    const char *name = s->columns->names ? s->columns->names[i] : NULL;
    const char *decl = NULL;
    if (e->kind == EXPR_STAR) {
      expand_star(p, sp, &cap, e);
      continue;
    }
    if (!name) describe_result(p, e, s->columns->spans ? s->columns->spans[i] : "?", &name, &decl);
    else describe_result(p, e, name, &(const char *){NULL}, &decl);
    add_result(p, sp, &cap, e, name, decl);
  }
}

static void open_from(Parse *p, const Select *s, Scope *scope) {
  int i;
  scope->n = 0;
  scope->items = NULL;
  if (!s->from || s->from->n == 0) return;
  scope->items = arena_alloc(&p->arena, sizeof(ScopeItem) * (size_t)s->from->n);
  if (!scope->items) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (i = 0; i < s->from->n; i++) {
    const SrcItem *src = &s->from->items[i];
    Table *t;
    if (src->subquery) {
      cg_error(p, LODE_ERROR, "subqueries in FROM are not supported yet");
      return;
    }
    if (src->join_type == JOIN_LEFT) {
      cg_error(p, LODE_ERROR, "LEFT JOIN is not supported yet");
      return;
    }
    t = cg_find_table(p, src->name);
    if (!t) return;
    if (t->without_rowid) {
      cg_error(p, LODE_ERROR, "WITHOUT ROWID tables are not supported yet: %s", t->name);
      return;
    }
    scope->items[i].name = src->alias ? src->alias : t->name;
    scope->items[i].table = t;
    scope->items[i].cursor = cg_cursor(p);
    scope->n = i + 1;
    if (vdbe_add_op4_int(p->v, OP_OpenRead, scope->items[i].cursor, (int)t->root, 0, t->ncols) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
  }
}

/* LIMIT and OFFSET are evaluated once, before the scan. */
static void code_limit(Parse *p, const Select *s, SelectPlan *sp) {
  if (!s->limit) return;
  sp->limit_reg = cg_expr_reg(p, s->limit);
  cg_op(p, OP_MustBeInt, sp->limit_reg, 0, 0);
  if (s->offset) {
    sp->offset_reg = cg_expr_reg(p, s->offset);
    cg_op(p, OP_MustBeInt, sp->offset_reg, 0, 0);
  }
  /* LIMIT 0 returns nothing; a negative LIMIT means no limit. */
  cg_op(p, OP_IfNot, sp->limit_reg, sp->end_label, 0);
}

static const Expr *resolve_order_term(Parse *p, const Select *s, SelectPlan *sp, const Expr *e, int idx) {
  int i;
  const Expr *base = e->kind == EXPR_COLLATE ? e->left : e;
  if (base->kind == EXPR_INTEGER) {
    if (base->ival < 1 || base->ival > sp->nresult) {
      static const char *const suffix[] = {"th", "st", "nd", "rd"};
      int n = idx + 1;
      const char *sfx = (n % 100 >= 11 && n % 100 <= 13) || n % 10 > 3 ? "th" : suffix[n % 10];
      cg_error(p, LODE_ERROR, "%d%s ORDER BY term out of range - should be between 1 and %d", n, sfx, sp->nresult);
      return NULL;
    }
    return sp->results[base->ival - 1].expr;
  }
  if (base->kind == EXPR_COLUMN && !base->table && s->columns->names) {
    for (i = 0; i < s->columns->n; i++) {
      if (s->columns->names[i] && util_stricmp(s->columns->names[i], base->text) == 0)
        return s->columns->items[i];
    }
  }
  return e;
}

static KeyInfo *make_keyinfo(Parse *p, const Select *s, SelectPlan *sp) {
  KeyInfo *k = util_zalloc(sizeof *k);
  int i, n = s->norder;
  if (!k) return NULL;
  k->nkey = n;
  k->desc = util_zalloc((size_t)n);
  k->coll = util_zalloc((size_t)n);
  k->nulls_last = util_zalloc((size_t)n);
  if (!k->desc || !k->coll || !k->nulls_last) {
    util_free(k->desc);
    util_free(k->coll);
    util_free(k->nulls_last);
    util_free(k);
    return NULL;
  }
  for (i = 0; i < n; i++) {
    const OrderTerm *o = &s->order_by[i];
    k->desc[i] = (uint8_t)o->desc;
    k->coll[i] = (uint8_t)cg_expr_collation(p, sp->order_exprs[i]);
    k->nulls_last[i] = (uint8_t)(o->nulls == 2 || (o->nulls == 0 && o->desc));
  }
  return k;
}

static void setup_order_by(Parse *p, const Select *s, SelectPlan *sp) {
  int i;
  KeyInfo *k;
  sp->sorter = -1;
  if (s->norder == 0 || sp->is_agg) return;
  sp->norder = s->norder;
  sp->order_exprs = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)s->norder);
  if (!sp->order_exprs) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (i = 0; i < s->norder; i++) {
    sp->order_exprs[i] = resolve_order_term(p, s, sp, s->order_by[i].expr, i);
    if (!sp->order_exprs[i]) return;
  }
  k = make_keyinfo(p, s, sp);
  if (!k) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  sp->sorter = cg_cursor(p);
  if (vdbe_add_op4(p->v, OP_SorterOpen, sp->sorter, s->norder, 0, P4_KEYINFO, k, 0) < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
  }
}

/* Sends the row in regs[0..n) to its destination, honouring OFFSET/LIMIT. */
static void emit_row(Parse *p, SelectPlan *sp, SelectDest *dest, int regs, int skip_label) {
  if (sp->offset_reg) cg_op(p, OP_IfPos, sp->offset_reg, skip_label, 1);
  if (dest->kind == DEST_RESULT) {
    cg_op(p, OP_ResultRow, regs, sp->nresult, 0);
  } else {
    int rec = cg_reg(p);
    cg_op(p, OP_MakeRecord, regs, sp->nresult, rec);
    cg_op(p, OP_SorterInsert, dest->cursor, rec, 0);
  }
  if (sp->limit_reg) cg_op(p, OP_DecrJumpZero, sp->limit_reg, sp->end_label, 0);
}

static int code_results(Parse *p, SelectPlan *sp) {
  int i, regs = cg_regs(p, sp->nresult);
  for (i = 0; i < sp->nresult; i++) cg_expr(p, sp->results[i].expr, regs + i);
  return regs;
}

/* ---- aggregates ----------------------------------------------------------------- */

static void collect_aggregates(Parse *p, AggInfo *agg, const Expr *e, int inside) {
  int i;
  if (!e || p->rc != LODE_OK) return;
  if (e->kind == EXPR_FUNCTION) {
    int exists = 0;
    int nargs = e->star ? 0 : (e->args ? e->args->n : 0);
    const FuncDef *f = func_find(e->text, nargs, &exists);
    if (f && (f->flags & FUNC_AGGREGATE)) {
      AggCall *calls;
      if (e->distinct && nargs != 1) {
        cg_error(p, LODE_ERROR, "DISTINCT aggregates must have exactly one argument");
        return;
      }
      if (inside) {
        cg_error(p, LODE_ERROR, "misuse of aggregate function %s()", e->text);
        return;
      }
      calls = arena_alloc(&p->arena, sizeof(AggCall) * (size_t)(agg->ncalls + 1));
      if (!calls) {
        cg_error(p, LODE_NOMEM, "out of memory");
        return;
      }
      if (agg->ncalls) memcpy(calls, agg->calls, sizeof(AggCall) * (size_t)agg->ncalls);
      calls[agg->ncalls].expr = e;
      calls[agg->ncalls].func = f;
      calls[agg->ncalls].accum = cg_reg(p);
      agg->calls = calls;
      agg->ncalls++;
      for (i = 0; e->args && i < e->args->n; i++) collect_aggregates(p, agg, e->args->items[i], 1);
      return;
    }
  }
  if (e->kind == EXPR_COLUMN && !inside) {
    int cursor, col;
    Table *t;
    BareColumn *bare;
    if (cg_resolve_column(p, e, &cursor, &col, &t) != LODE_OK) return;
    for (i = 0; i < agg->nbare; i++)
      if (agg->bare[i].cursor == cursor && agg->bare[i].col == col) return;
    bare = arena_alloc(&p->arena, sizeof(BareColumn) * (size_t)(agg->nbare + 1));
    if (!bare) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    if (agg->nbare) memcpy(bare, agg->bare, sizeof(BareColumn) * (size_t)agg->nbare);
    bare[agg->nbare].cursor = cursor;
    bare[agg->nbare].col = col;
    bare[agg->nbare].reg = cg_reg(p);
    agg->bare = bare;
    agg->nbare++;
    return;
  }
  collect_aggregates(p, agg, e->left, inside);
  collect_aggregates(p, agg, e->right, inside);
  for (i = 0; e->args && i < e->args->n; i++) collect_aggregates(p, agg, e->args->items[i], inside);
}

static void init_aggregates(Parse *p, AggInfo *agg) {
  int i;
  for (i = 0; i < agg->ncalls; i++) cg_op(p, OP_Null, 0, agg->calls[i].accum, 0);
  for (i = 0; i < agg->nbare; i++) cg_op(p, OP_Null, 0, agg->bare[i].reg, 0);
  if (agg->nbare && agg->ncalls == 1) {
    agg->extreme_best = cg_reg(p);
    agg->extreme_seen = cg_reg(p);
    cg_op(p, OP_Integer, 0, agg->extreme_seen, 0);
  }
}

static void copy_bare_columns(Parse *p, AggInfo *agg);

/* With a single min(x) or max(x), SQLite shows bare columns of the row that
** holds the extreme value.  Emits code that falls through when the current
** row is a new extreme (first non-NULL x, or strictly beyond the best so
** far) and jumps to skip otherwise.  Returns 0 when the query has no such
** aggregate. */
static int track_extreme_row(Parse *p, AggInfo *agg, int skip) {
  const Expr *e;
  int is_max, best, seen, x, take, addr;
  if (agg->ncalls != 1) return 0;
  e = agg->calls[0].expr;
  if (!e->args || e->args->n != 1 || e->distinct) return 0;
  is_max = util_stricmp(e->text, "max") == 0;
  if (!is_max && util_stricmp(e->text, "min") != 0) return 0;
  if (!agg->extreme_best) {
    agg->extreme_best = cg_reg(p);
    agg->extreme_seen = cg_reg(p);
  }
  best = agg->extreme_best;
  seen = agg->extreme_seen;
  x = cg_expr_reg(p, e->args->items[0]);
  take = vdbe_make_label(p->v);
  cg_op(p, OP_IsNull, x, skip, 0);
  cg_op(p, OP_IfNot, seen, take, 1);
  addr = vdbe_add_op4_int(p->v, is_max ? OP_Le : OP_Ge, best, skip, x, cg_expr_collation(p, e->args->items[0]));
  if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
  vdbe_resolve_label(p->v, take);
  cg_op(p, OP_Copy, x, best, 0);
  cg_op(p, OP_Integer, 1, seen, 0);
  return 1;
}

static void step_aggregates(Parse *p, AggInfo *agg) {
  int i, j;
  for (i = 0; i < agg->ncalls; i++) {
    const AggCall *c = &agg->calls[i];
    int nargs = c->expr->star ? 0 : (c->expr->args ? c->expr->args->n : 0);
    int first = cg_regs(p, nargs);
    int addr;
    for (j = 0; j < nargs; j++) cg_expr(p, c->expr->args->items[j], first + j);
    addr = vdbe_add_op4(p->v, OP_AggStep, c->expr->distinct, first, c->accum, P4_FUNC, c->func, 0);
    if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
    else vdbe_set_p5(p->v, addr, (uint16_t)nargs);
  }
  if (agg->nbare) {
    int skip = vdbe_make_label(p->v);
    if (!track_extreme_row(p, agg, skip)) {
      /* Bare columns show the first row, as SQLite does. */
      cg_op(p, OP_Once, 0, skip, 0);
    }
    copy_bare_columns(p, agg);
    vdbe_resolve_label(p->v, skip);
  }
}

static void copy_bare_columns(Parse *p, AggInfo *agg) {
  int i;
  for (i = 0; i < agg->nbare; i++) {
    const BareColumn *b = &agg->bare[i];
    int k;
    for (k = 0; k < p->scope->n; k++) {
      if (p->scope->items[k].cursor == b->cursor) cg_code_column(p, p->scope->items[k].table, b->cursor, b->col, b->reg);
    }
  }
}

static void finish_aggregates(Parse *p, AggInfo *agg) {
  int i;
  for (i = 0; i < agg->ncalls; i++) {
    const AggCall *c = &agg->calls[i];
    int nargs = c->expr->star ? 0 : (c->expr->args ? c->expr->args->n : 0);
    if (vdbe_add_op4(p->v, OP_AggFinal, c->accum, nargs, 0, P4_FUNC, c->func, 0) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
  }
}

/* ---- the scan ----------------------------------------------------------------- */

/* Opens the nested loops; returns the label that continues with the next row
** (0 when there is no table to loop over). */
static int open_loops(Parse *p, Scope *scope, int *loop_heads, int *next_labels, int done_label) {
  int i;
  for (i = 0; i < scope->n; i++) {
    int exit_label = i == 0 ? done_label : next_labels[i - 1];
    next_labels[i] = vdbe_make_label(p->v);
    loop_heads[i] = cg_op(p, OP_Rewind, scope->items[i].cursor, exit_label, 0);
    loop_heads[i]++; /* body starts after the Rewind */
  }
  return scope->n ? next_labels[scope->n - 1] : 0; /* labels are negative */
}

static void close_loops(Parse *p, Scope *scope, int *loop_heads, int *next_labels) {
  int i;
  for (i = scope->n - 1; i >= 0; i--) {
    vdbe_resolve_label(p->v, next_labels[i]);
    cg_op(p, OP_Next, scope->items[i].cursor, loop_heads[i], 0);
  }
}

static void output_sorted(Parse *p, SelectPlan *sp, SelectDest *dest) {
  int rec = cg_reg(p), pseudo = cg_cursor(p);
  int end = vdbe_make_label(p->v), next = vdbe_make_label(p->v);
  int top, i, regs;
  cg_op(p, OP_OpenPseudo, pseudo, rec, sp->norder + sp->nresult);
  cg_op(p, OP_SorterSort, sp->sorter, end, 0);
  top = cg_op(p, OP_SorterData, sp->sorter, rec, 0);
  regs = cg_regs(p, sp->nresult);
  for (i = 0; i < sp->nresult; i++) cg_op(p, OP_Column, pseudo, sp->norder + i, regs + i);
  emit_row(p, sp, dest, regs, next);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_SorterNext, sp->sorter, top, 0);
  vdbe_resolve_label(p->v, end);
}

static void set_column_names(Parse *p, SelectPlan *sp) {
  int i;
  if (vdbe_set_num_cols(p->v, sp->nresult) != LODE_OK) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (i = 0; i < sp->nresult; i++)
    if (vdbe_set_col_name(p->v, i, sp->results[i].name, sp->results[i].decltype_) != LODE_OK)
      cg_error(p, LODE_NOMEM, "out of memory");
}

static int check_supported(Parse *p, const Select *s) {
  if (s->next) return cg_error(p, LODE_ERROR, "compound SELECT is not supported yet");
  if (s->group_by) return cg_error(p, LODE_ERROR, "GROUP BY is not supported yet");
  if (s->distinct) return cg_error(p, LODE_ERROR, "SELECT DISTINCT is not supported yet");
  if (s->having) return cg_error(p, LODE_ERROR, "a GROUP BY clause is required before HAVING");
  return LODE_OK;
}

void cg_select(Parse *p, const Select *s, SelectDest *dest) {
  SelectPlan sp;
  Scope scope, *saved_scope = p->scope;
  int loop_heads[64], next_labels[64];
  int next, i;
  memset(&sp, 0, sizeof sp);
  if (check_supported(p, s) != LODE_OK) return;
  if (s->from && s->from->n > 64) {
    cg_error(p, LODE_ERROR, "at most 64 tables in a join");
    return;
  }
  open_from(p, s, &scope);
  p->scope = &scope;
  sp.done_label = vdbe_make_label(p->v);
  sp.end_label = vdbe_make_label(p->v);
  expand_results(p, s, &sp);
  dest->ncols = sp.nresult;
  if (dest->kind == DEST_RESULT) set_column_names(p, &sp);
  for (i = 0; i < sp.nresult; i++) sp.is_agg |= cg_expr_has_aggregate(sp.results[i].expr);
  if (s->where && cg_expr_has_aggregate(s->where)) {
    cg_error(p, LODE_ERROR, "misuse of aggregate function in WHERE");
  }
  if (sp.is_agg) {
    for (i = 0; i < sp.nresult; i++) collect_aggregates(p, &sp.agg, sp.results[i].expr, 0);
    init_aggregates(p, &sp.agg);
  }
  setup_order_by(p, s, &sp);
  code_limit(p, s, &sp);
  if (p->rc != LODE_OK) goto done;

  next = open_loops(p, &scope, loop_heads, next_labels, sp.done_label);
  if (next == 0) next = sp.done_label; /* no FROM: the body runs once */
  if (s->where) cg_jump_if_false(p, s->where, next);
  if (sp.is_agg) {
    step_aggregates(p, &sp.agg);
  } else if (sp.sorter >= 0) {
    int regs = cg_regs(p, sp.norder + sp.nresult), rec = cg_reg(p);
    for (i = 0; i < sp.norder; i++) cg_expr(p, sp.order_exprs[i], regs + i);
    for (i = 0; i < sp.nresult; i++) cg_expr(p, sp.results[i].expr, regs + sp.norder + i);
    cg_op(p, OP_MakeRecord, regs, sp.norder + sp.nresult, rec);
    cg_op(p, OP_SorterInsert, sp.sorter, rec, 0);
  } else {
    int regs = code_results(p, &sp);
    emit_row(p, &sp, dest, regs, next);
  }
  close_loops(p, &scope, loop_heads, next_labels);

  vdbe_resolve_label(p->v, sp.done_label);
  if (sp.is_agg) {
    int regs;
    finish_aggregates(p, &sp.agg);
    sp.agg.output = 1;
    p->agg = &sp.agg;
    regs = code_results(p, &sp);
    emit_row(p, &sp, dest, regs, sp.end_label);
    p->agg = NULL;
  } else if (sp.sorter >= 0) {
    output_sorted(p, &sp, dest);
  }
  vdbe_resolve_label(p->v, sp.end_label);
done:
  p->scope = saved_scope;
}

void cg_select_stmt(Parse *p, const Stmt *st) {
  SelectDest dest;
  memset(&dest, 0, sizeof dest);
  dest.kind = DEST_RESULT;
  cg_begin_program(p);
  cg_select(p, st->select, &dest);
  cg_end_program(p);
}
