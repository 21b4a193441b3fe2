/*
** vtab.c (codegen) — virtual tables in FROM: a table-valued function
** "name(args)" or an eponymous module named alone.
**
** The item gets a synthetic Table of the module's columns (HIDDEN ones
** marked, so "*" skips them) and a VTAB cursor.  Its scan asks the module's
** best_index which constraints it uses: the arguments, each "hidden column
** = value" in order, and the WHERE terms "column = value" tested at its
** level whose value reads no column of the item.  The values of the used
** ones are coded into consecutive registers for VFilter; a term the module
** omits is not tested again.
*/
#include <string.h>

#include "codegen/cg.h"
#include "vdbe/vdbe.h"

int cg_open_vtab(Parse *p, const SrcItem *src, const VtabModule *m, ScopeItem *item) {
  char buf[512];
  const char *names[VTAB_MAX_COLUMNS];
  int hidden[VTAB_MAX_COLUMNS], nhidden = 0;
  int n = vtab_columns(m, buf, sizeof buf, names, hidden, VTAB_MAX_COLUMNS);
  if (n < 0) return cg_error(p, LODE_INTERNAL, "bad virtual table schema"), 0;
  for (int j = 0; j < n; j++) nhidden += hidden[j];
  int nargs = src->args ? src->args->n : 0;
  if (nargs > nhidden) return cg_error(p, LODE_ERROR, "too many arguments on %s() - max %d", m->name, nhidden), 0;
  Table *t = arena_alloc(&p->arena, sizeof(Table));
  if (!t || !(t->cols = arena_alloc(&p->arena, sizeof(Column) * (size_t)n)))
    return cg_error(p, LODE_NOMEM, "out of memory"), 0;
  t->name = (char *)m->name;
  t->ncols = n;
  t->ipk = -1;
  t->readonly = 1;
  for (int j = 0; j < n; j++) {
    size_t len = strlen(names[j]);
    char *name = arena_alloc(&p->arena, len + 1);
    if (!name) return cg_error(p, LODE_NOMEM, "out of memory"), 0;
    memcpy(name, names[j], len + 1);
    t->cols[j].name = name;
    t->cols[j].affinity = AFF_NONE;
    t->cols[j].hidden = hidden[j];
  }
  item->name = src->alias ? src->alias : m->name;
  item->table = t;
  item->sorter = -1;
  item->cursor = cg_cursor(p);
  item->vtab = m;
  item->vtab_args = src->args;
  cg_op4_str(p, OP_VOpen, item->cursor, 0, 0, m->name);
  return 1;
}

/* A name the query sees as a table: a CTE in scope, a table or a view. */
static int names_table(Parse *p, const char *name) {
  for (const CteFrame *f = p->with; f; f = f->outer)
    for (int i = 0; i < f->nvisible; i++)
      if (util_stricmp(f->with->ctes[i].name, name) == 0) return 1;
  return cg_lookup_table(p, NULL, name) || cg_lookup_view(p, NULL, name, NULL);
}

int cg_open_call(Parse *p, const SrcItem *src, ScopeItem *item) {
  const VtabModule *m = vtab_find_module(src->name);
  if (src->is_call && names_table(p, src->name)) return cg_error(p, LODE_ERROR, "'%s' is not a function", src->name), 0;
  if (!m) {
    if (src->schema) return cg_error(p, LODE_ERROR, "no such table: %s.%s", src->schema, src->name), 0;
    return cg_error(p, LODE_ERROR, "no such table: %s", src->name), 0;
  }
  return cg_open_vtab(p, src, m, item);
}

/* Does e read a column of item (of this query level)? */
static int reads_item(const Expr *e, int item) {
  if (!e) return 0;
  if (e->kind == EXPR_COLUMN) return e->bound && e->bind_depth == 0 && e->bind_item == item;
  if (e->select) return 1; /* cannot tell */
  if (reads_item(e->left, item) || reads_item(e->right, item) || reads_item(e->escape, item)) return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (reads_item(e->args->items[i], item)) return 1;
  return 0;
}

/* The items of this level e reads (bit i = item i). */
static uint64_t items_read(const Expr *e) {
  if (!e) return 0;
  uint64_t m = 0;
  if (e->kind == EXPR_COLUMN && e->bound && e->bind_depth == 0 && e->bind_item < 64) m |= (uint64_t)1 << e->bind_item;
  m |= items_read(e->left) | items_read(e->right) | items_read(e->escape);
  for (int i = 0; e->args && i < e->args->n; i++) m |= items_read(e->args->items[i]);
  return m;
}

uint64_t cg_vtab_prereq(Parse *p, int item) {
  const ScopeItem *it = &p->scope->items[item];
  uint64_t m = 0;
  for (int i = 0; it->vtab_args && i < it->vtab_args->n; i++) {
    cg_bind_names(p, it->vtab_args->items[i]);
    m |= items_read(it->vtab_args->items[i]);
  }
  return item < 64 ? m & ~((uint64_t)1 << item) : m;
}

/* A column of item compared to a value: its VTAB_OP_* (0: not of that form). */
static int term_constraint(const Expr *e, int item, int *col, const Expr **value) {
  if (!e || e->kind != EXPR_BINARY) return 0;
  static const struct {
    int tk, op, flipped;
  } ops[] = {{TK_EQ, VTAB_OP_EQ, VTAB_OP_EQ}, {TK_GT, VTAB_OP_GT, VTAB_OP_LT}, {TK_GE, VTAB_OP_GE, VTAB_OP_LE},
             {TK_LT, VTAB_OP_LT, VTAB_OP_GT}, {TK_LE, VTAB_OP_LE, VTAB_OP_GE}};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    if (e->op != ops[i].tk) continue;
    const Expr *l = e->left, *r = e->right;
    if (l->kind == EXPR_COLUMN && l->bound && l->bind_depth == 0 && l->bind_item == item && l->bind_col >= 0 &&
        !reads_item(r, item)) {
      *col = l->bind_col;
      *value = r;
      return ops[i].op;
    }
    if (r->kind == EXPR_COLUMN && r->bound && r->bind_depth == 0 && r->bind_item == item && r->bind_col >= 0 &&
        !reads_item(l, item)) {
      *col = r->bind_col;
      *value = l;
      return ops[i].flipped;
    }
  }
  return 0;
}

/* The constraints of level lv's virtual table and the module's answer;
** 0 after an error. */
typedef struct VtabPlan {
  int ncons;
  VtabConstraint *cons;
  const Expr **values;
  int *term_of;
  VtabIndexInfo info;
} VtabPlan;

static int plan_vtab(Parse *p, CgLoops *l, int lv, VtabPlan *vp) {
  const WhereLevel *level = &l->plan.levels[lv];
  const ScopeItem *it = &p->scope->items[level->item];
  const Table *t = it->table;
  int nargs = it->vtab_args ? it->vtab_args->n : 0;
  int cap = nargs + l->plan.nterm + 1;
  VtabConstraint *cons = arena_alloc(&p->arena, sizeof(VtabConstraint) * (size_t)cap);
  const Expr **values = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)cap);
  int *term_of = arena_alloc(&p->arena, sizeof(int) * (size_t)cap);
  if (!cons || !values || !term_of) return cg_error(p, LODE_NOMEM, "out of memory"), 0;
  int ncons = 0, h = 0;
  int outer = it->join_type == JOIN_LEFT || it->join_type == JOIN_FULL || it->join_type == JOIN_RIGHT;
  for (int j = 0; j < t->ncols && h < nargs; j++) { /* the arguments: hidden columns in order */
    if (!t->cols[j].hidden) continue;
    memset(&cons[ncons], 0, sizeof cons[ncons]);
    cons[ncons].column = j;
    cons[ncons].op = VTAB_OP_EQ;
    cons[ncons].usable = 1;
    values[ncons] = it->vtab_args->items[h++];
    term_of[ncons++] = -1;
  }
  for (int k = 0; k < l->plan.nterm; k++) {
    const WhereTerm *wt = &l->plan.terms[k];
    int col, op;
    const Expr *value;
    /* A RIGHT or FULL join scans the item twice (loops.c): both scans must see the same rows. */
    if (wt->consumed || wt->level != lv || it->join_type == JOIN_RIGHT || it->join_type == JOIN_FULL) continue;
    /* An outer join's item may narrow its scan by its own ON terms only: WHERE sees its NULL rows too. */
    if (outer ? wt->on_item != level->item : wt->on_item >= 0) continue;
    if (!(op = term_constraint(wt->expr, level->item, &col, &value))) continue;
    memset(&cons[ncons], 0, sizeof cons[ncons]);
    cons[ncons].column = col;
    cons[ncons].op = op;
    cons[ncons].usable = 1;
    values[ncons] = value;
    term_of[ncons++] = k;
  }
  memset(vp, 0, sizeof *vp);
  vp->ncons = ncons;
  vp->cons = cons;
  vp->values = values;
  vp->term_of = term_of;
  vp->info.ncons = ncons;
  vp->info.cons = cons;
  if (it->vtab->best_index(it->vtab, &vp->info) != LODE_OK)
    return cg_error(p, LODE_ERROR, "%s", vp->info.errmsg ? vp->info.errmsg : "no query solution"), 0;
  return 1;
}

void cg_vtab_explain(Parse *p, CgLoops *l, int lv, int left_join) {
  VtabPlan vp;
  if (!p->explain_plan || !plan_vtab(p, l, lv, &vp)) return;
  const ScopeItem *it = &p->scope->items[l->plan.levels[lv].item];
  cg_explain_step(p, "SCAN %s VIRTUAL TABLE INDEX %d:%s", it->name, vp.info.idx_num, left_join ? " LEFT-JOIN" : "");
}

int cg_vtab_scan(Parse *p, CgLoops *l, int lv, int exit_label) {
  const ScopeItem *it = &p->scope->items[l->plan.levels[lv].item];
  VtabPlan vp;
  if (!plan_vtab(p, l, lv, &vp)) return vdbe_current_addr(p->v);
  int nused = 0;
  for (int i = 0; i < vp.ncons; i++)
    if (vp.cons[i].argv_index > nused) nused = vp.cons[i].argv_index;
  int base = nused ? cg_regs(p, nused) : 0;
  for (int i = 0; i < vp.ncons; i++) {
    if (vp.cons[i].argv_index > 0) cg_expr(p, vp.values[i], base + vp.cons[i].argv_index - 1);
    if (vp.cons[i].omit && vp.term_of[i] >= 0) l->plan.terms[vp.term_of[i]].consumed = 1;
  }
  int addr = vdbe_add_op4_int(p->v, OP_VFilter, it->cursor, exit_label, base, vp.info.idx_num);
  vdbe_set_p5(p->v, addr, (uint16_t)nused);
  return addr + 1;
}
