/*
** with.c — FROM items that name a query: common table expressions and views,
** and the CREATE VIEW / DROP VIEW statements.
**
** A CTE or a view is coded as a FROM subquery (materialised into a sorter,
** read through a pseudo cursor): a CTE's body is copied at each use (codegen
** annotates the tree it compiles), a view's text is parsed from its
** sqlite_schema row at each use.  Column lists rename the result columns.
**
** A recursive CTE (its body is "initial UNION [ALL] recursive…" where the
** recursive selects name the CTE in their FROM) runs as SQLite runs it:
**
**     initial rows → queue
**   top:
**     take the first row of the queue (ORDER BY keys, then first in first out)
**     [OFFSET: skip it] else add it to the CTE's rows; [LIMIT reached → done]
**     current := that row alone
**     each recursive select, reading `current` for the CTE → queue
**     goto top
**   done:
**
** With an ORDER BY the queue is a transient b-tree (OpenEphemeral) of
** (keys…, sequence, columns…) entries; without one it is a first-in
** first-out sorter of the rows' records (SORTER_QUEUE), read while the
** recursive selects add to it.  UNION drops rows already queued once,
** using a second transient b-tree of every row queued.  The current row is a one-row
** sorter re-opened for each row, so the recursive selects scan it as any
** FROM subquery.
*/
#include <limits.h>
#include <string.h>

#include "codegen/cg.h"
#include "sql/parser.h"

#define COMPOUND_SELECT_MAX 500 /* the parser's limit on the terms of a compound */

/* ---- CTE lookup -------------------------------------------------------------------------- */

static const Cte *find_cte(Parse *p, const char *name, const CteFrame **frame, int *index) {
  for (const CteFrame *f = p->with; f; f = f->outer) {
    for (int i = f->nvisible - 1; i >= 0; i--) {
      if (util_stricmp(f->with->ctes[i].name, name) == 0) {
        *frame = f;
        *index = i;
        return &f->with->ctes[i];
      }
    }
  }
  return NULL;
}

static int is_expanding(const Parse *p, const Cte *cte) {
  for (int i = 0; i < p->nexpanding; i++)
    if (p->expanding[i] == cte) return 1;
  return 0;
}

static int push_expanding(Parse *p, const Cte *cte) {
  const Cte **grown = arena_alloc(&p->arena, sizeof(*grown) * (size_t)(p->nexpanding + 1));
  if (!grown) return cg_error(p, LODE_NOMEM, "out of memory");
  if (p->nexpanding) memcpy(grown, p->expanding, sizeof(*grown) * (size_t)p->nexpanding);
  grown[p->nexpanding++] = cte;
  p->expanding = grown;
  return LODE_OK;
}

/* Renames the columns of a CTE's Table after its column list. */
static int apply_cte_columns(Parse *p, const Cte *cte, Table *t) {
  if (cte->ncols == 0) return 1;
  if (cte->ncols != t->ncols) {
    cg_error(p, LODE_ERROR, "table %s has %d values for %d columns", cte->name, t->ncols, cte->ncols);
    return 0;
  }
  for (int j = 0; j < t->ncols; j++) {
    t->cols[j].name = (char *)cte->cols[j];
    t->cols[j].decltype_ = NULL;
  }
  return 1;
}

/* ---- recursive CTEs ------------------------------------------------------------------------ */

/* Whether core names the CTE directly in its FROM (a recursive select). */
static int names_cte(const Select *core, const Cte *cte) {
  for (int i = 0; core->from && i < core->from->n; i++) {
    const SrcItem *it = &core->from->items[i];
    if (!it->subquery && !it->schema && util_stricmp(it->name, cte->name) == 0) return 1;
  }
  return 0;
}

/* The column that an arm from a on names `name` with AS, or -1. */
static int arm_alias(const Select *a, const char *name, int n) {
  for (; a; a = a->next)
    for (int j = 0; a->columns && a->columns->names && j < a->columns->n && j < n; j++)
      if (a->columns->names[j] && util_stricmp(a->columns->names[j], name) == 0) return j;
  return -1;
}

/* The ORDER BY terms of a recursive CTE name result columns: by number or
** by name. */
static int resolve_queue_order(Parse *p, CteQueue *q, int n, const char **names) {
  const Select *h = q->head;
  q->order_cols = arena_alloc(&p->arena, sizeof(int) * (size_t)(h->norder ? h->norder : 1));
  if (!q->order_cols) return cg_error(p, LODE_NOMEM, "out of memory");
  for (int i = 0; i < h->norder; i++) {
    const Expr *e = h->order_by[i].expr;
    int c = -1;
    while (e->kind == EXPR_COLLATE) e = e->left; /* its collation is the key's (queue_keyinfo) */
    int64_t v;
    if (cg_term_number(e, &v)) {
      if (v < 1 || v > n)
        return cg_error(p, LODE_ERROR, "%d%s ORDER BY term out of range - should be between 1 and %d", i + 1,
                        cg_ordinal_suffix(i + 1), n);
      c = (int)v - 1;
    } else if (e->kind == EXPR_COLUMN && !e->table) {
      for (int j = 0; j < n && c < 0; j++)
        if (names[j] && util_stricmp(names[j], e->text) == 0) c = j;
      if (c < 0) c = arm_alias(h->next, e->text, n); /* as in a compound's ORDER BY: any arm's AS name */
    }
    if (c < 0)
      return cg_error(p, LODE_ERROR, "%d%s ORDER BY term does not match any column in the result set", i + 1,
                      cg_ordinal_suffix(i + 1));
    q->order_cols[i] = c;
  }
  return LODE_OK;
}

void cg_queue_row(Parse *p, SelectDest *dest, int regs, int n, const char **names, int skip) {
  CteQueue *q = dest->queue;
  int norder = q->head->norder, key, rec = cg_reg(p), one = cg_reg(p);
  if (!q->ncols) {
    q->ncols = n;
    if (resolve_queue_order(p, q, n, names) != LODE_OK) return;
  }
  if (n != q->ncols || n < 1) return; /* the caller reports the mismatch */
  if (q->distinct >= 0) vdbe_add_op4_int(p->v, OP_Found, q->distinct, skip, regs, n);
  if (q->fifo || q->distinct >= 0) cg_op(p, OP_MakeRecord, regs, n, rec);
  if (q->distinct >= 0) cg_op(p, OP_IdxInsert, q->distinct, rec, 0);
  if (q->fifo) {
    cg_op(p, OP_SorterInsert, q->cursor, rec, 0);
    return;
  }
  key = cg_regs(p, norder + 1 + n);
  for (int i = 0; i < norder; i++) cg_op(p, OP_Copy, regs + q->order_cols[i], key + i, 0);
  cg_op(p, OP_Copy, q->seq_reg, key + norder, 0);
  cg_op(p, OP_Integer, 1, one, 0);
  cg_op(p, OP_Add, one, q->seq_reg, q->seq_reg);
  cg_op(p, OP_Copy, regs, key + norder + 1, n - 1);
  cg_op(p, OP_MakeRecord, key, norder + 1 + n, rec);
  cg_op(p, OP_IdxInsert, q->cursor, rec, 0);
}

/* The first recursive select of body (a compound chain) when the CTE is
** recursive in SQLite's sense: the selects from it on all name the CTE and
** are joined to the rest by one operator, UNION or UNION ALL; else NULL. */
static Select *recursive_part(const Select *body, const Cte *cte, Select **last_initial, int *op) {
  Select *prev = NULL;
  for (Select *c = (Select *)body; c; prev = c, c = c->next) {
    if (!names_cte(c, cte)) continue;
    if (!prev) return NULL;
    *op = prev->compound_op;
    if (*op != TK_UNION && *op != TK_UNION_ALL) return NULL;
    for (Select *r = c; r->next; r = r->next)
      if (r->compound_op != *op || !names_cte(r->next, cte)) return NULL;
    *last_initial = prev;
    return c;
  }
  return NULL;
}

static int has_aggregate(Parse *p, const Select *core) {
  if (core->group_by || core->having) return 1;
  for (int i = 0; i < core->columns->n; i++)
    if (cg_expr_has_aggregate(p, core->columns->items[i])) return 1;
  return 0;
}

static KeyInfo *queue_keyinfo(Parse *p, const Select *head) {
  KeyInfo *k = keyinfo_new(head->norder + 1);
  if (!k) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  for (int i = 0; i < head->norder; i++) {
    const Expr *e = head->order_by[i].expr;
    k->desc[i] = (uint8_t)head->order_by[i].desc;
    if (head->order_by[i].nulls) k->nulls_last[i] = head->order_by[i].nulls == 2;
    /* The term's COLLATE, else that of the column's leftmost arm that has one. */
    if (e->kind == EXPR_COLLATE) {
      k->coll[i] = (uint8_t)cg_expr_collation(p, e);
    } else if (e->kind == EXPR_INTEGER && !e->quoted && e->ival >= 1) {
      for (const Select *a = head; a; a = a->next) {
        if (!a->columns || e->ival > a->columns->n) break;
        const Expr *r = a->columns->items[e->ival - 1];
        if (r->kind == EXPR_STAR) break;
        if (r->kind == EXPR_COLLATE) {
          k->coll[i] = (uint8_t)cg_expr_collation(p, r);
          break;
        }
      }
    }
  }
  return k;
}

static int open_sorter(Parse *p, int cursor, int flags) {
  KeyInfo *k = util_zalloc(sizeof *k);
  int addr = k ? vdbe_add_op4(p->v, OP_SorterOpen, cursor, 0, 0, P4_KEYINFO, k, 0) : -1;
  if (addr < 0) return cg_error(p, LODE_NOMEM, "out of memory");
  if (flags) vdbe_set_p5(p->v, addr, (uint16_t)flags);
  return LODE_OK;
}

/* Codes the recursive CTE whose body (a private copy) splits into initial
** selects before rec and recursive selects from rec on; its rows go into a
** sorter the FROM item reads.  Returns 1, or 0 with p->rc set. */
static int open_recursive(Parse *p, const Cte *cte, Select *body, Select *last_initial, Select *rec, int op,
                          const char *name, ScopeItem *item) {
  Select initial = *body, *recs[COMPOUND_SELECT_MAX];
  SelectDest d, out;
  CteQueue q;
  CteRecursion r;
  ScopeItem cur;
  int nrec = 0, out_sorter = cg_cursor(p), cur_sorter = cg_cursor(p), limit = 0, offset = 0;
  int open = vdbe_make_label(p->v), start = vdbe_make_label(p->v), top = vdbe_make_label(p->v);
  int done = vdbe_make_label(p->v), skip_out = vdbe_make_label(p->v), cols, rec_reg, top_addr = 0;
  const Select *hint = p->limit_hint;
  p->limit_hint = NULL;
  for (Select *c = rec; c && nrec < COMPOUND_SELECT_MAX; c = c->next) recs[nrec++] = c;
  for (int i = 0; i < nrec; i++) {
    if (cg_select_has_window(recs[i]))
      return cg_error(p, LODE_ERROR, "cannot use window functions in recursive queries"), 0;
    if (has_aggregate(p, recs[i])) return cg_error(p, LODE_ERROR, "recursive aggregate queries not supported"), 0;
    recs[i]->next = NULL;
    recs[i]->compound_op = 0;
  }
  /* The initial selects alone: the ORDER BY and LIMIT belong to the recursion. */
  initial.norder = 0;
  initial.order_by = NULL;
  initial.limit = initial.offset = NULL;
  initial.with = NULL;
  if (last_initial == body) {
    initial.next = NULL;
    initial.compound_op = 0;
  } else {
    last_initial->next = NULL;
    last_initial->compound_op = 0;
  }
  memset(&q, 0, sizeof q);
  q.head = body;
  q.fifo = !body->norder;
  /* Without ORDER BY rows leave the queue in the order they entered it, so
  ** the queue is a sorter of records read while the recursive selects add
  ** to it (SORTER_QUEUE), which frees what was read as it goes. */
  q.cursor = cg_cursor(p);
  q.distinct = op == TK_UNION ? cg_cursor(p) : -1;
  q.seq_reg = cg_reg(p);
  /* Made once per run when it reads no enclosing query (patched into a Once
  ** below), as SQLite materializes it: not again each time a correlated
  ** subquery around it runs. */
  int once = cg_op(p, OP_Noop, 0, 0, 0), before = p->min_ref_level, base = cg_scope_level(p->scope);
  p->min_ref_level = INT_MAX;
  cg_op(p, OP_Goto, 0, open, 0); /* the queue's b-trees are opened once the width is known */
  vdbe_resolve_label(p->v, start);
  if (open_sorter(p, out_sorter, 0) != LODE_OK) goto fail;
  if (q.fifo && open_sorter(p, q.cursor, SORTER_QUEUE) != LODE_OK) goto fail;
  if (!q.fifo) cg_op(p, OP_Integer, 0, q.seq_reg, 0);
  if (body->limit) {
    limit = cg_expr_reg(p, body->limit);
    cg_op(p, OP_MustBeInt, limit, 0, 0);
    if (body->offset) {
      offset = cg_expr_reg(p, body->offset);
      cg_op(p, OP_MustBeInt, offset, 0, 0);
    }
    cg_op(p, OP_IfNot, limit, done, 0); /* LIMIT 0: no rows; a negative LIMIT: no limit */
  } else if (hint) { /* the outer query reads at most LIMIT + OFFSET rows */
    limit = cg_expr_reg(p, hint->limit);
    cg_op(p, OP_MustBeInt, limit, 0, 0);
    cg_op(p, OP_IfNot, limit, done, 0);
    if (hint->offset) {
      int off = cg_expr_reg(p, hint->offset);
      cg_op(p, OP_MustBeInt, off, 0, 0);
      cg_op(p, OP_OffsetLimit, limit, limit, off);
    }
  }
  memset(&d, 0, sizeof d);
  d.kind = DEST_QUEUE;
  d.queue = &q;
  /* EXPLAIN QUERY PLAN: the CTE's step, its SETUP (the initial selects) and
  ** its RECURSIVE STEP, as SQLite shows them. */
  int explain_saved = p->explain_parent, explain_cte;
  int coroutine = p->explain_coroutine && cte->materialized != 1;
  p->explain_coroutine = 0;
  explain_cte = p->explain_parent = cg_explain_step(p, "%s %s", coroutine ? "CO-ROUTINE" : "MATERIALIZE", cte->name);
  p->explain_parent = cg_explain_step(p, "SETUP");
  cg_select(p, &initial, &d);
  p->explain_parent = explain_cte;
  p->explain_parent = cg_explain_step(p, "RECURSIVE STEP");
  if (p->rc != LODE_OK) goto fail;
  if (!q.ncols) q.ncols = d.ncols; /* no row was coded (cannot happen for a select with columns) */
  cols = cg_regs(p, q.ncols);
  rec_reg = cg_reg(p);
  /* The recursive selects see the CTE as a one-row subquery (named by its column list). */
  memset(&cur, 0, sizeof cur);
  if (!cg_subquery_table(p, &d, name, &cur, cur_sorter) || !apply_cte_columns(p, cte, cur.table)) goto fail;
  /* UNION's repeats are found in each column's collation: the first of the
  ** selects' that has one, as for any compound. */
  int *dcolls = arena_alloc(&p->arena, sizeof(int) * (size_t)(q.ncols ? q.ncols : 1));
  if (!dcolls) goto oom;
  for (int j = 0; j < q.ncols; j++) dcolls[j] = d.colls && j < d.ncols ? d.colls[j] : -1;
  if (q.fifo) {
    cg_op(p, OP_SorterSort, q.cursor, done, 0);
    top_addr = cg_op(p, OP_SorterData, q.cursor, rec_reg, 0);
  } else {
    vdbe_resolve_label(p->v, top);
    cg_op(p, OP_Rewind, q.cursor, done, 0);
    for (int j = 0; j < q.ncols; j++) cg_op(p, OP_Column, q.cursor, body->norder + 1 + j, cols + j);
    cg_op(p, OP_Delete, q.cursor, 0, 0);
    cg_op(p, OP_MakeRecord, cols, q.ncols, rec_reg);
  }
  if (offset) cg_op(p, OP_IfPos, offset, skip_out, 1);
  cg_op(p, OP_SorterInsert, out_sorter, rec_reg, 0);
  if (limit) cg_op(p, OP_DecrJumpZero, limit, done, 0);
  vdbe_resolve_label(p->v, skip_out);
  if (open_sorter(p, cur_sorter, 0) != LODE_OK) goto fail;
  cg_op(p, OP_SorterInsert, cur_sorter, rec_reg, 0);
  r.cte = cte;
  r.depth = p->select_depth + 1;
  r.sorter = cur_sorter;
  r.cursor = cur.cursor;
  r.rec_reg = cur.rec_reg;
  r.table = cur.table;
  r.outer = p->recursion;
  p->recursion = &r;
  for (int i = 0; i < nrec && p->rc == LODE_OK; i++) {
    SelectDest rd;
    memset(&rd, 0, sizeof rd);
    rd.kind = DEST_QUEUE;
    rd.queue = &q;
    r.nrefs = 0;
    cg_select(p, recs[i], &rd);
    for (int j = 0; p->rc == LODE_OK && rd.colls && j < q.ncols && j < rd.ncols; j++)
      if (dcolls[j] < 0) dcolls[j] = rd.colls[j];
    if (p->rc == LODE_OK && rd.ncols != q.ncols)
      cg_error(p, LODE_ERROR, "SELECTs to the left and right of %s do not have the same number of result columns",
               sql_compound_name(op));
  }
  p->recursion = r.outer;
  p->explain_parent = explain_saved;
  if (p->rc != LODE_OK) goto fail;
  if (q.fifo) {
    cg_op(p, OP_SorterNext, q.cursor, top_addr, 0);
    cg_op(p, OP_Goto, 0, done, 0);
  } else {
    cg_op(p, OP_Goto, 0, top, 0);
  }
  vdbe_resolve_label(p->v, open);
  if (!q.fifo) {
    KeyInfo *k = queue_keyinfo(p, body);
    if (!k || vdbe_add_op4(p->v, OP_OpenEphemeral, q.cursor, 0, 0, P4_KEYINFO, k, 0) < 0) goto oom;
  }
  if (q.distinct >= 0) {
    KeyInfo *dk = keyinfo_new(q.ncols);
    for (int j = 0; dk && j < q.ncols; j++)
      if (dcolls[j] >= 0) dk->coll[j] = (uint8_t)dcolls[j];
    if (!dk || vdbe_add_op4(p->v, OP_OpenEphemeral, q.distinct, 0, 0, P4_KEYINFO, dk, 0) < 0) goto oom;
  }
  cg_op(p, OP_Goto, 0, start, 0);
  vdbe_resolve_label(p->v, done);
  if (p->min_ref_level > base && !p->rerun_subqueries && p->rc == LODE_OK && !vdbe_oom(p->v)) {
    VdbeOp *once_op = vdbe_op_at(p->v, once);
    once_op->opcode = OP_Once;
    once_op->p2 = vdbe_current_addr(p->v);
  }
  if (before < p->min_ref_level) p->min_ref_level = before;
  memset(&out, 0, sizeof out);
  out.ncols = q.ncols;
  out.names = d.names;
  out.decls = d.decls;
  out.affs = d.affs;
  out.colls = d.colls;
  return cg_subquery_table(p, &out, name, item, out_sorter);
oom:
  cg_error(p, LODE_NOMEM, "out of memory");
fail:
  return 0;
}

/* A FROM item naming the CTE whose recursive part is being coded. */
static int use_recursion(Parse *p, CteRecursion *r, const SrcItem *src, ScopeItem *item) {
  /* The recursive part names the table in a subquery too (SQLite's message
  ** for a recursive table referred to again below its own level). */
  if (r->depth != p->select_depth)
    return cg_error(p, LODE_ERROR, "multiple recursive references: %s", r->cte->name), 1;
  if (r->nrefs++) return cg_error(p, LODE_ERROR, "multiple references to recursive table: %s", r->cte->name), 1;
  memset(item, 0, sizeof *item);
  item->name = src->alias ? src->alias : r->cte->name;
  item->table = r->table;
  item->cursor = r->cursor;
  item->sorter = r->sorter;
  item->rec_reg = r->rec_reg;
  return 1;
}

/* The number of result columns of core c, its "*" counted over the plain
** tables of its FROM; -1 when that cannot be told before it is coded. */
static int core_width(Parse *p, const Select *c) {
  int n = 0;
  if (!c->from) {
    /* Its "*" fail ("no tables specified"); SQLite then counts the other
    ** columns against the list, and that error, if any, is the one reported. */
    for (int i = 0; c->columns && i < c->columns->n; i++) n += c->columns->items[i]->kind != EXPR_STAR;
    return n > 0 ? n : -1;
  }
  for (int i = 0; c->columns && i < c->columns->n; i++) {
    const Expr *e = c->columns->items[i];
    if (e->kind != EXPR_STAR) {
      n++;
      continue;
    }
    for (int f = 0; c->from && f < c->from->n; f++) {
      const SrcItem *it = &c->from->items[f];
      const char *iname = it->alias ? it->alias : it->name;
      if (e->table && (!iname || util_stricmp(iname, e->table) != 0)) continue;
      const Table *t = it->name && !it->subquery && !it->is_call ? cg_lookup_table(p, it->schema, it->name) : NULL;
      if (!t || t->vtab_module || it->nusing || it->natural || find_cte(p, it->name, &(const CteFrame *){NULL}, &(int){0}))
        return -1;
      n += t->ncols;
    }
  }
  return n;
}

static int open_cte(Parse *p, const SrcItem *src, ScopeItem *item, const Cte *cte, const CteFrame *frame) {
  const char *name = src->alias ? src->alias : cte->name;
  /* Its body sees every CTE of its WITH clause, those after it too, as in
  ** SQLite; a cycle among them is a circular reference (is_expanding). */
  CteFrame own = {frame->with, frame->with->n, frame->outer};
  CteFrame *saved = p->with;
  int saved_n = p->nexpanding, ok, op = 0, walked = p->walk_cte;
  Select *body, *last_initial = NULL, *rec;
  p->walk_cte = 0;
  for (CteRecursion *r = p->recursion; r; r = r->outer)
    if (r->cte == cte) return use_recursion(p, r, src, item);
  if (!walked && is_expanding(p, cte)) return cg_error(p, LODE_ERROR, "circular reference: %s", cte->name), 1;
  if (cte->ncols > 0 && cte->select) {
    /* SQLite counts the first SELECT's columns against the list before it
    ** looks at the other SELECTs of a compound. */
    int n = core_width(p, cte->select);
    if (n >= 0 && n != cte->ncols)
      return cg_error(p, LODE_ERROR, "table %s has %d values for %d columns", cte->name, n, cte->ncols), 1;
  }
  if (!(body = ast_copy_select(&p->arena, cte->select))) return cg_error(p, LODE_NOMEM, "out of memory"), 1;
  if (!walked && push_expanding(p, cte) != LODE_OK) return 1;
  if (walked) p->nexpanding = 0; /* walked apart from any expansion in progress, as SQLite walks it */
  p->with = &own;
  memset(item, 0, sizeof *item);
  const char *saved_ctx = p->auth_ctx;
  p->auth_ctx = cte->name; /* the authorizer hears of the CTE's reads as the CTE's */
  rec = recursive_part(body, cte, &last_initial, &op);
  if (rec) {
    p->coroutine_ok = 0; /* its rows come from a queue, read as a sorter */
    /* SQLite asks about the compound's SELECT, then about the recursion. */
    cg_auth_select_end(p, cg_auth_pending(p, CONN_AUTH_SELECT), NULL);
    cg_auth_pending(p, CONN_AUTH_RECURSIVE);
    ok = open_recursive(p, cte, body, last_initial, rec, op, name, item);
  }
  else {
    if (cte->materialized == 1) p->explain_coroutine = 0;
    int shown = 0;
    for (int i = 0; p->explain_plan && i < p->nexplained_ctes; i++) shown |= p->explained_ctes[i] == cte;
    if (p->explain_plan && !shown) {
      const void **list = arena_alloc(&p->arena, sizeof(void *) * (size_t)(p->nexplained_ctes + 1));
      if (list) {
        if (p->nexplained_ctes) memcpy(list, p->explained_ctes, sizeof(void *) * (size_t)p->nexplained_ctes);
        list[p->nexplained_ctes++] = cte;
        p->explained_ctes = list;
      }
    }
    p->explain_mute += shown;
    ok = cg_open_subquery_select(p, body, name, cte->name, item, 1);
    p->explain_mute -= shown;
  }
  p->auth_ctx = saved_ctx;
  p->with = saved;
  p->nexpanding = saved_n;
  if (ok) apply_cte_columns(p, cte, item->table);
  return 1;
}

/* ---- views --------------------------------------------------------------------------------- */

/* The view's CREATE VIEW statement, parsed into the compilation's arena. */
static const Stmt *parse_view(Parse *p, const View *v) {
  Stmt *st = NULL;
  char *err = NULL;
  int rc = v->db == CONN_DB_TEMP ? sql_parse(&p->arena, v->sql, -1, &st, NULL, &err)
                                 : sql_parse_schema(&p->arena, v->sql, -1, &st, NULL, &err);
  if (rc != LODE_OK || !st || st->kind != STMT_CREATE_VIEW || !st->as_select) {
    if (rc == LODE_NOMEM) cg_error(p, LODE_NOMEM, "out of memory");
    else cg_error(p, LODE_CORRUPT, "malformed database schema (%s)%s%s", v->name, err ? " - " : "", err ? err : "");
    util_free(err);
    return NULL;
  }
  return st;
}

/* SQLite's limit on the references of one table or view in a statement. */
#define MAX_VIEW_REFS 65535

/* Counts one more opening of v by the statement; 0 (with the error set) past
** SQLite's limit. */
static int note_view_ref(Parse *p, const View *v) {
  int i;
  for (i = 0; i < p->nview_refs && p->view_refs[i].view != v; i++) {
  }
  if (i == p->nview_refs) {
    struct ViewRefs *grown = arena_alloc(&p->arena, sizeof(*grown) * (size_t)(i + 1));
    if (!grown) return cg_error(p, LODE_NOMEM, "out of memory"), 0;
    if (i) memcpy(grown, p->view_refs, sizeof(*grown) * (size_t)i);
    grown[i].view = v;
    p->view_refs = grown;
    p->nview_refs++;
  }
  if (++p->view_refs[i].n < MAX_VIEW_REFS) return 1;
  cg_error(p, LODE_ERROR, "too many references to \"%s\": max %d", v->name, MAX_VIEW_REFS);
  return 0;
}

static int open_view(Parse *p, const SrcItem *src, ScopeItem *item, View *v, const Select *outer, int outer_item) {
  const char *name = src->alias ? src->alias : v->name;
  Scope *saved_scope = p->scope;
  CteFrame *saved_with = p->with;
  CteRecursion *saved_rec = p->recursion;
  const Stmt *st;
  int ok;
  if (v->expanding) return cg_error(p, LODE_ERROR, "view %s is circularly defined", v->name), 1;
  if (!note_view_ref(p, v) || !(st = parse_view(p, v))) return 1;
  /* The view's select sees only the schema, not the tables or CTEs around its use. */
  p->scope = NULL;
  p->with = NULL;
  p->recursion = NULL;
  p->view_depth++;
  int saved_fix = cg_fix_db(p, v->db);
  /* The text ALTER TABLE RENAME checks is read as SQLite parses it, apart
  ** from the view itself: a use of the view inside it opens the view, whose
  ** own use inside that is circular. */
  int top_of_rename = p->rename && p->view_depth == 1;
  if (!top_of_rename) v->expanding = 1;
  memset(item, 0, sizeof *item);
  const Select *sel = outer ? cg_push_down(p, outer, outer_item, st->as_select, name, st->columns, st->ncolumns)
                            : st->as_select;
  const char *saved_ctx = p->auth_ctx;
  p->auth_ctx = v->name; /* the authorizer hears of the view's reads as the view's */
  ok = cg_open_subquery_select(p, sel, name, v->name, item, 0);
  p->auth_ctx = saved_ctx;
  item->view_db = v->db + 1;
  item->view_name = v->name;
  v->expanding = 0;
  p->fix_db = saved_fix;
  p->view_depth--;
  p->scope = saved_scope;
  p->with = saved_with;
  p->recursion = saved_rec;
  if (!ok || !st->ncolumns) return 1;
  if (st->ncolumns != item->table->ncols) {
    cg_error(p, LODE_ERROR, "expected %d columns for '%s' but got %d", st->ncolumns, v->name, item->table->ncols);
    return 1;
  }
  for (int j = 0; j < st->ncolumns; j++) item->table->cols[j].name = (char *)st->columns[j];
  return 1;
}

int cg_open_named_subquery(Parse *p, const SrcItem *src, ScopeItem *item) {
  const CteFrame *frame;
  int index;
  View *v;
  const Select *outer = p->push_outer; /* for this view only, not for what its select opens */
  p->push_outer = NULL;
  const Cte *cte = src->schema ? NULL : find_cte(p, src->name, &frame, &index);
  if (cte) return open_cte(p, src, item, cte, frame);
  if (!(v = cg_find_view_first(p, src->schema, src->name))) return 0;
  if (src->indexed_by) return cg_error(p, LODE_ERROR, "no such index: %s", src->indexed_by), 1;
  int ok = open_view(p, src, item, v, outer, p->push_item);
  /* Refused after its select is read, as SQLite learns a view's columns
  ** first: a view it names is the one reported. */
  if (p->db->views_off && v->db != CONN_DB_TEMP && p->rc == LODE_OK)
    cg_error(p, LODE_ERROR, "access to view \"%s\" prohibited", v->name);
  return ok;
}

int cg_is_cte_name(Parse *p, const char *name) {
  const CteFrame *frame;
  int index;
  return find_cte(p, name, &frame, &index) != NULL;
}

Select *cg_view_body(Parse *p, const SrcItem *src, View **view, const char *const **cols, int *ncols) {
  const CteFrame *frame;
  int index;
  if (src->subquery || src->is_call || !src->name || src->indexed_by) return NULL;
  if (!src->schema && find_cte(p, src->name, &frame, &index)) return NULL;
  View *v = cg_find_view_first(p, src->schema, src->name);
  if (!v || v->expanding || p->rc != LODE_OK || (p->db->views_off && v->db != CONN_DB_TEMP)) return NULL;
  const Stmt *st = parse_view(p, v);
  if (!st) return NULL;
  *view = v;
  *cols = st->columns;
  *ncols = st->ncolumns;
  return st->as_select;
}

Table *cg_view_table(Parse *p, View *v) { return cg_view_table_affs(p, v, NULL); }

Table *cg_view_table_affs(Parse *p, View *v, const char **affs) {
  SrcItem src;
  ScopeItem item;
  int over = vdbe_make_label(p->v);
  memset(&src, 0, sizeof src);
  src.schema = cg_db_name(p, v->db);
  src.schema_implied = 1;
  src.name = v->name;
  /* The select is coded only to learn its columns: it never runs, and the
  ** authorizer hears nothing of it, as from SQLite. */
  cg_op(p, OP_Goto, 0, over, 0);
  p->auth_off++;
  AuthPending *auth_mark = cg_auth_mark(p);
  open_view(p, &src, &item, v, NULL, 0);
  cg_auth_truncate(p, auth_mark);
  p->auth_off--;
  vdbe_resolve_label(p->v, over);
  if (affs) *affs = item.col_affs;
  return p->rc == LODE_OK ? item.table : NULL;
}

/* ---- CREATE VIEW / DROP VIEW ---------------------------------------------------------------- */

/* "create  view if not exists main.v as …" → "CREATE VIEW v as …", as sqlite3 stores it. */
static char *normalised_view_sql(const char *sql) {
  const char *z = cg_skip_keyword(sql, "CREATE"), *t;
  if (!z) return util_strdup(sql);
  if ((t = cg_skip_keyword(z, "TEMP")) || (t = cg_skip_keyword(z, "TEMPORARY"))) z = t;
  if (!(z = cg_skip_keyword(z, "VIEW"))) return util_strdup(sql);
  if ((t = cg_skip_keyword(z, "IF")) && (t = cg_skip_keyword(t, "NOT")) && (t = cg_skip_keyword(t, "EXISTS"))) z = t;
  return util_mprintf("CREATE VIEW %s", cg_skip_main(z));
}

/* "table t already exists" / "view v already exists" (the name as written)
** / "there is already an index named i", in database db. */
static int name_taken(Parse *p, int db, const char *name, const char *written) {
  Schema *s = cg_db_schema(p, db);
  if (!written) written = name;
  if (schema_find_table(s, name)) return cg_error(p, LODE_ERROR, "table %s already exists", written);
  if (schema_find_view(s, name)) return cg_error(p, LODE_ERROR, "view %s already exists", written);
  if (schema_find_index(s, name)) return cg_error(p, LODE_ERROR, "there is already an index named %s", name);
  return LODE_OK;
}

/* The database a CREATE VIEW/TABLE/TRIGGER writes to: TEMP or temp., else
** the one named, else main; -1 after SQLite's error. */
int cg_create_target(Parse *p, const Stmt *st) {
  if (st->temp) {
    if (st->schema && util_stricmp(st->schema, "temp") != 0) {
      cg_error(p, LODE_ERROR, "temporary table name must be unqualified"); /* views too, as SQLite says */
      return -1;
    }
    return CONN_DB_TEMP;
  }
  if (!st->schema) return CONN_DB_MAIN;
  return cg_db_named(p, st->schema);
}

void cg_create_view(Parse *p, const Stmt *st) {
  char *sql;
  int root;
  int db = cg_create_target(p, st);
  if (db < 0) return;
  if (cg_name_reserved(p, st->table)) {
    cg_error(p, LODE_ERROR, "object name reserved for internal use: %s", st->table);
    return;
  }
  Schema *s = cg_db_schema(p, db);
  if (st->if_exists && (schema_find_table(s, st->table) || schema_find_view(s, st->table))) {
    cg_verify_schema(p, cg_db_name(p, db));
    cg_begin_program(p);
    cg_end_program(p);
    return;
  }
  const char *other = db == CONN_DB_TEMP ? NULL : cg_foreign_db_in_select(p, st->as_select, db);
  if (other) {
    cg_error(p, LODE_ERROR, "view %s cannot reference objects in database %s", st->table, other);
    return;
  }
  vdbe_set_db(p->v, db);
  if (name_taken(p, db, st->table, st->name_written) != LODE_OK || cg_require_writable(p) != LODE_OK) return;
  if (!(sql = normalised_view_sql(st->sql))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  p->writes = 1;
  cg_begin_program(p);
  root = cg_reg(p);
  cg_op(p, OP_Integer, 0, root, 0); /* a view has no b-tree: rootpage 0 */
  cg_schema_insert(p, "view", st->table, st->table, root, sql);
  util_free(sql);
  cg_bump_schema_added(p);
  cg_end_program(p);
}

void cg_drop_view(Parse *p, const Stmt *st) {
  int vdb = 0;
  View *v = cg_lookup_view(p, st->schema, st->table, &vdb);
  if (!v) {
    if (cg_lookup_table(p, st->schema, st->table)) {
      cg_error(p, LODE_ERROR, "use DROP TABLE to delete table %s", st->table);
    } else if (cg_refuse_eponymous_drop(p, st)) {
      return;
    } else if (!st->if_exists) {
      if (st->schema) cg_error(p, LODE_ERROR, "no such view: %s.%s", st->schema, st->table);
      else cg_error(p, LODE_ERROR, "no such view: %s", st->table);
    } else {
      cg_verify_schema(p, st->schema);
      cg_begin_program(p);
      cg_end_program(p);
    }
    return;
  }
  vdbe_set_db(p->v, vdb);
  if (cg_require_writable(p) != LODE_OK) return;
  p->writes = 1;
  cg_begin_program(p);
  if (vdb == CONN_DB_TEMP) cg_schema_delete_but_triggers(p, v->name);
  else cg_schema_delete(p, 2, v->name); /* the view's row and its triggers' rows (tbl_name) */
  cg_drop_temp_triggers_on(p, vdb, v->name);
  cg_bump_schema(p);
  cg_end_program(p);
}
