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

Table *cg_module_table(Parse *p, const VtabModule *m, int *nhidden_out) {
  int nhidden = 0;
  Table *t;
  if (m->table) { /* an application's table: the columns its constructor declared */
    t = (Table *)m->table;
    for (int j = 0; j < t->ncols; j++) nhidden += t->cols[j].hidden;
  } else {
    char buf[512];
    const char *names[VTAB_MAX_COLUMNS];
    int hidden[VTAB_MAX_COLUMNS];
    int n = vtab_columns(m, buf, sizeof buf, names, hidden, VTAB_MAX_COLUMNS);
    if (n < 0) return cg_error(p, LODE_INTERNAL, "bad virtual table schema"), NULL;
    t = arena_alloc(&p->arena, sizeof(Table));
    if (!t || !(t->cols = arena_alloc(&p->arena, sizeof(Column) * (size_t)n)))
      return cg_error(p, LODE_NOMEM, "out of memory"), NULL;
    t->name = (char *)m->name;
    t->ncols = n;
    t->ipk = -1;
    t->readonly = 1;
    for (int j = 0; j < n; j++) {
      size_t len = strlen(names[j]);
      char *name = arena_alloc(&p->arena, len + 1);
      if (!name) return cg_error(p, LODE_NOMEM, "out of memory"), NULL;
      memcpy(name, names[j], len + 1);
      t->cols[j].name = name;
      t->cols[j].affinity = AFF_NONE;
      t->cols[j].hidden = hidden[j];
      nhidden += hidden[j];
    }
  }
  if (nhidden_out) *nhidden_out = nhidden;
  return t;
}

int cg_open_vtab(Parse *p, const SrcItem *src, const VtabModule *m, ScopeItem *item) {
  int nhidden = 0;
  if (cg_vtab_refused(p, src ? src->schema : NULL, src ? src->name : m->name)) return 0;
  /* A view's or trigger's SQL may read a table only as far as its module trusts such use. */
  if (src && src->from_ddl && m->risk > (p->db->settings[CONN_SET_TRUSTED_SCHEMA] != 0))
    return cg_error(p, LODE_ERROR, "unsafe use of virtual table \"%s\"", m->name), 0;
  Table *t = cg_module_table(p, m, &nhidden);
  if (!t) return 0;
  int nargs = src && src->args ? src->args->n : 0;
  if (nargs > nhidden) return cg_error(p, LODE_ERROR, "too many arguments on %s() - max %d", m->name, nhidden), 0;
  item->name = src && src->alias ? src->alias : m->name;
  item->explain_name = src ? cg_explain_name(p, src) : NULL;
  item->table = t;
  item->sorter = -1;
  item->cursor = cg_cursor(p);
  item->vtab = m;
  item->vtab_args = src ? src->args : NULL;
  cg_op4_str(p, OP_VOpen, item->cursor, 0, m->app_kind, m->key ? m->key : m->name);
  return 1;
}

/* An application's module of the name comes before a built-in one, as a
** module registered later replaces an earlier one in SQLite.  dbstat and
** sqlite_dbpage live with the application's modules (they read the
** connection's pages): the connection registers them when a statement first
** names them. */
const VtabModule *cg_find_module(Parse *p, const char *name) {
  if (!name) return NULL;
  if (p->db->api || util_stricmp(name, "dbstat") == 0 || util_stricmp(name, "sqlite_dbpage") == 0) {
    char *err = NULL;
    const VtabModule *m = conn_vtab_eponymous(p->db, name, &err);
    if (err) {
      cg_error(p, LODE_ERROR, "%s", err);
      util_free(err);
      return NULL;
    }
    if (m) return m;
  }
  return vtab_find_module(name);
}

const VtabModule *cg_table_module(Parse *p, Table *t) {
  const VtabModule *m = NULL;
  char *err = NULL;
  int rc = conn_vtab_table(p->db, t, &m, &err);
  if (rc != LODE_OK) {
    cg_error(p, rc, "%s", err ? err : "out of memory");
    util_free(err);
    return NULL;
  }
  return m;
}

/* A name the query sees as a table: a CTE in scope, a table or a view. */
static int names_table(Parse *p, const char *name) {
  for (const CteFrame *f = p->with; f; f = f->outer)
    for (int i = 0; i < f->nvisible; i++)
      if (util_stricmp(f->with->ctes[i].name, name) == 0) return 1;
  return cg_lookup_table(p, NULL, name) || cg_lookup_view(p, NULL, name, NULL);
}

int cg_open_call(Parse *p, const SrcItem *src, ScopeItem *item) {
  if (src->is_call && names_table(p, src->name)) {
    /* A virtual table named with arguments takes them for its hidden
    ** columns, as SQLite's table-valued functions do (an FTS5 table's
    ** query: FROM ft('text')). */
    Table *t = cg_lookup_table(p, src->schema, src->name);
    if (t && t->vtab_module) {
      const VtabModule *m = cg_table_module(p, t);
      return m && cg_open_vtab(p, src, m, item);
    }
    return cg_error(p, LODE_ERROR, "'%s' is not a function", src->name), 0;
  }
  const VtabModule *m = cg_find_module(p, src->name);
  if (p->rc != LODE_OK) return 0;
  if (!m) {
    if (src->schema) return cg_error(p, LODE_ERROR, "no such table: %s.%s", src->schema, src->name), 0;
    return cg_error(p, LODE_ERROR, "no such table: %s", src->name), 0;
  }
  return cg_open_vtab(p, src, m, item);
}

static void match_unusable(FuncContext *ctx, int argc, Mem **argv) {
  (void)argc, (void)argv;
  ctx->rc = LODE_ERROR;
  util_free(ctx->errmsg);
  ctx->errmsg = util_strdup("unable to use function MATCH in the requested context");
}

const FuncDef cg_match_function = {"match", 2, 0, match_unusable, NULL, NULL, 0, NULL};

const FuncDef *cg_vtab_overload(Parse *p, const Expr *e, const FuncDef *f, int nargs) {
  if (!e->args || nargs < 1) return NULL;
  /* The operators' functions take the column second: x MATCH y is match(y, x), as LIKE, GLOB and REGEXP. */
  int infix = (nargs == 2 && (util_stricmp(e->text, "match") == 0 || util_stricmp(e->text, "regexp") == 0)) ||
              ((nargs == 2 || nargs == 3) &&
               (util_stricmp(e->text, "like") == 0 || util_stricmp(e->text, "glob") == 0));
  const Expr *col = e->args->items[infix ? 1 : 0];
  if (col->kind != EXPR_COLUMN || !col->bound) return NULL; /* the rowid too */
  const Scope *s = p->scope;
  for (int d = 0; s && d < col->bind_depth; d++) s = s->outer;
  if (!s || col->bind_item >= s->n) return NULL;
  const VtabModule *m = s->items[col->bind_item].vtab;
  /* xFindFunction is given the name the function was defined with, as in
  ** SQLite ("match", however the query wrote MATCH). */
  return m && m->find_function ? m->find_function(m, nargs, f && f->name ? f->name : e->text) : NULL;
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

/* The arguments of table-valued function item that read items outside
** placed (those the plan puts after it, its scan cannot take them), as
** SQLite keeps them: the AND of "hidden column = +argument", tested where
** those items are there; NULL when there is none. */
Expr *cg_vtab_late_args(Parse *p, int item, uint64_t placed) {
  const ScopeItem *it = &p->scope->items[item];
  Expr *all = NULL;
  int h = 0, nargs = it->vtab_args ? it->vtab_args->n : 0;
  if (item < 64) placed |= (uint64_t)1 << item;
  for (int j = 0; j < it->table->ncols && h < nargs && p->rc == LODE_OK; j++) {
    if (!it->table->cols[j].hidden) continue;
    Expr *arg = it->vtab_args->items[h++];
    if ((items_read(arg) & ~placed) == 0) continue;
    Expr *plus = arena_alloc(&p->arena, sizeof *plus), *eq = arena_alloc(&p->arena, sizeof *eq);
    Expr *col = cg_bound_column(p, p->scope, item, j);
    if (!plus || !eq || !col) return cg_error(p, LODE_NOMEM, "out of memory"), NULL;
    plus->kind = EXPR_UNARY;
    plus->op = TK_PLUS;
    plus->left = arg;
    eq->kind = EXPR_BINARY;
    eq->op = TK_EQ;
    eq->left = col;
    eq->right = plus;
    all = all ? cg_and(p, all, eq) : eq;
  }
  return all;
}

static int is_item_column(const Expr *e, int item) {
  return e && e->kind == EXPR_COLUMN && e->bound && e->bind_depth == 0 && e->bind_item == item;
}

/* A column of item compared to a value: its VTAB_OP_* (0: not of that form).
** Operators past the five comparisons only when all is set; a NULL *value
** (IS NULL, IS NOT NULL) has no right-hand side. */
static int term_constraint(const Expr *e, int item, int all, int *col, const Expr **value) {
  if (!e) return 0;
  if (all && (e->kind == EXPR_ISNULL || e->kind == EXPR_NOTNULL) && is_item_column(e->left, item)) {
    *col = e->left->bind_col;
    *value = NULL;
    return e->kind == EXPR_ISNULL ? VTAB_OP_ISNULL : VTAB_OP_ISNOTNULL;
  }
  if (all && e->kind == EXPR_LIKE && !e->negated && !e->escape && is_item_column(e->left, item) &&
      !reads_item(e->right, item)) {
    *col = e->left->bind_col;
    *value = e->right;
    return e->op == TK_GLOB ? VTAB_OP_GLOB : VTAB_OP_LIKE;
  }
  if (all && e->kind == EXPR_FUNCTION && e->args && e->args->n == 2 && !e->over &&
      is_item_column(e->args->items[1], item) && !reads_item(e->args->items[0], item)) {
    /* match(x, col), the form of col MATCH x; glob, like, regexp alike */
    static const struct {
      const char *name;
      int op;
    } fns[] = {{"match", VTAB_OP_MATCH}, {"glob", VTAB_OP_GLOB}, {"like", VTAB_OP_LIKE}, {"regexp", VTAB_OP_REGEXP}};
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
      if (util_stricmp(e->text, fns[i].name) != 0) continue;
      *col = e->args->items[1]->bind_col;
      *value = e->args->items[0];
      return fns[i].op;
    }
    return 0;
  }
  int is = all && e->kind == EXPR_IS;
  if (e->kind != EXPR_BINARY && !is) return 0;
  static const struct {
    int tk, op, flipped;
  } ops[] = {{TK_EQ, VTAB_OP_EQ, VTAB_OP_EQ}, {TK_GT, VTAB_OP_GT, VTAB_OP_LT}, {TK_GE, VTAB_OP_GE, VTAB_OP_LE},
             {TK_LT, VTAB_OP_LT, VTAB_OP_GT}, {TK_LE, VTAB_OP_LE, VTAB_OP_GE}, {TK_NE, VTAB_OP_NE, VTAB_OP_NE}};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0] || is; i++) {
    int op = is ? (e->negated ? VTAB_OP_ISNOT : VTAB_OP_IS) : ops[i].op;
    int flipped = is ? op : ops[i].flipped;
    if (!is && e->op != ops[i].tk) continue;
    if (!is && op == VTAB_OP_NE && !all) return 0;
    const Expr *l = e->left, *r = e->right;
    if (is_item_column(l, item) && !reads_item(r, item)) {
      *col = l->bind_col;
      *value = r;
      return op;
    }
    if (is_item_column(r, item) && !reads_item(l, item)) {
      *col = r->bind_col;
      *value = l;
      return flipped;
    }
    return 0;
  }
  return 0;
}

/* A literal's value for sqlite3_vtab_rhs_value (NULL: not a constant). */
static const Mem *literal_value(Parse *p, const Expr *e) {
  int neg = 0;
  if (e && e->kind == EXPR_UNARY && e->op == TK_MINUS && e->left &&
      (e->left->kind == EXPR_INTEGER || e->left->kind == EXPR_FLOAT))
    neg = 1, e = e->left;
  if (!e) return NULL;
  Mem *m = arena_alloc(&p->arena, sizeof(Mem));
  if (!m) return NULL;
  mem_init(m);
  switch (e->kind) {
    case EXPR_INTEGER:
      if (e->ival == INT64_MIN && neg) return NULL;
      mem_set_int(m, neg ? -e->ival : e->ival);
      break;
    case EXPR_FLOAT: mem_set_real(m, neg ? -e->rval : e->rval); break;
    case EXPR_STRING: mem_set_text(m, e->text, e->n, MEM_STATIC); break;
    case EXPR_NULL: break;
    default: return NULL;
  }
  return m;
}

/* The constraints of level lv's virtual table and the module's answer;
** 0 after an error. */
typedef struct VtabPlan {
  int ncons;
  VtabConstraint *cons;
  const Expr **values;
  int *term_of;
  int *regs; /* a value already in a register (LIMIT, OFFSET), else -1 */
  VtabIndexInfo info;
} VtabPlan;

/* What an application's module is told besides the constraints: their
** collations and constant values, the columns the query reads, and the
** ORDER BY when this table alone gives the rows and the terms are its plain
** columns. */
static int app_request(Parse *p, CgLoops *l, int lv, VtabPlan *vp) {
  const WhereLevel *level = &l->plan.levels[lv];
  const ScopeItem *it = &p->scope->items[level->item];
  int n = vp->ncons;
  const Mem **rhs = arena_alloc(&p->arena, sizeof(Mem *) * (size_t)(n ? n : 1));
  const char **coll = arena_alloc(&p->arena, sizeof(char *) * (size_t)(n ? n : 1));
  if (!rhs || !coll) return cg_error(p, LODE_NOMEM, "out of memory"), 0;
  for (int i = 0; i < n; i++) {
    rhs[i] = vp->values[i] ? literal_value(p, vp->values[i]) : NULL;
    int c = -1;
    if (vp->term_of[i] >= 0) {
      const Expr *e = l->plan.terms[vp->term_of[i]].expr;
      if (e->kind == EXPR_BINARY || e->kind == EXPR_IS) c = cg_expr_collation(p, e->left);
      if (c < 0 && (e->kind == EXPR_BINARY || e->kind == EXPR_IS)) c = cg_expr_collation(p, e->right);
    }
    int column = vp->cons[i].column;
    if (c < 0 && column >= 0 && column < it->table->ncols) c = it->table->cols[column].coll;
    coll[i] = coll_name_of(c < 0 ? COLL_BINARY : c);
  }
  vp->info.rhs = rhs;
  vp->info.coll = coll;
  vp->info.cols_used = it->cols_known ? it->cols_used : ~(uint64_t)0;
  if (l->n == 1 && l->norder > 0) {
    VtabOrderTerm *order = arena_alloc(&p->arena, sizeof(VtabOrderTerm) * (size_t)l->norder);
    if (!order) return cg_error(p, LODE_NOMEM, "out of memory"), 0;
    int k = 0;
    for (; k < l->norder; k++) {
      const PlanOrder *o = &l->order[k];
      if (!is_item_column(o->expr, level->item) || o->nulls_last != o->desc) break; /* NULLS in the other place */
      int col = o->expr->bind_col;
      int natural = col >= 0 && col < it->table->ncols ? it->table->cols[col].coll : COLL_BINARY;
      if (o->coll != natural) break;
      order[k].column = col;
      order[k].desc = o->desc;
    }
    if (k == l->norder) {
      vp->info.norder = k;
      vp->info.order = order;
      vp->info.distinct = p->vtab_distinct;
    }
  }
  return 1;
}

/* SQLite's conditions for offering LIMIT: every WHERE term a plain
** comparison of a column of the table, every ORDER BY term a column of it
** (NULLs in their usual place). */
static int limit_applies(Parse *p, CgLoops *l, int lv) {
  const WhereLevel *level = &l->plan.levels[lv];
  for (int k = 0; k < l->plan.nterm; k++) {
    const WhereTerm *wt = &l->plan.terms[k];
    int col;
    const Expr *value;
    if (wt->consumed) continue;
    int op = term_constraint(wt->expr, level->item, 1, &col, &value);
    if (!(op && (op <= VTAB_OP_GE || op == VTAB_OP_IS || op == VTAB_OP_ISNULL))) return 0; /* a plain comparison */
  }
  for (int k = 0; k < l->norder; k++) {
    const PlanOrder *o = &l->order[k];
    if (!is_item_column(o->expr, level->item) || o->nulls_last != o->desc) return 0;
  }
  (void)p;
  return 1;
}

static int plan_vtab(Parse *p, CgLoops *l, int lv, VtabPlan *vp) {
  const WhereLevel *level = &l->plan.levels[lv];
  const ScopeItem *it = &p->scope->items[level->item];
  const Table *t = it->table;
  int nargs = it->vtab_args ? it->vtab_args->n : 0;
  int cap = nargs + l->plan.nterm + 3;
  VtabConstraint *cons = arena_alloc(&p->arena, sizeof(VtabConstraint) * (size_t)cap);
  const Expr **values = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)cap);
  int *term_of = arena_alloc(&p->arena, sizeof(int) * (size_t)cap);
  int *regs = arena_alloc(&p->arena, sizeof(int) * (size_t)cap);
  if (!cons || !values || !term_of || !regs) return cg_error(p, LODE_NOMEM, "out of memory"), 0;
  for (int i = 0; i < cap; i++) regs[i] = -1;
  int ncons = 0, h = 0;
  int outer = it->join_type == JOIN_LEFT || it->join_type == JOIN_FULL || it->join_type == JOIN_RIGHT;
  /* An argument is usable only when the items it reads are positioned
  ** before this level (a join order fixed by LEFT or CROSS JOIN, or the item
  ** itself, may not allow it): the module then decides, as in SQLite. */
  uint64_t placed = 0;
  for (int k = 0; k < lv; k++)
    if (l->plan.levels[k].item < 64) placed |= (uint64_t)1 << l->plan.levels[k].item;
  int all = it->vtab->all_ops;
  /* An application's module sees them in SQLite's order: the WHERE terms of
  ** the plain operators, the arguments, then the other operators' terms
  ** from the last to the first.  A built-in sees the arguments first. */
  for (int pass = all ? 0 : 1; pass < 3; pass++) {
    if (pass == 1) {
      for (int j = 0; j < t->ncols && h < nargs; j++) { /* the arguments: hidden columns in order */
        if (!t->cols[j].hidden) continue;
        memset(&cons[ncons], 0, sizeof cons[ncons]);
        cons[ncons].column = j;
        cons[ncons].op = VTAB_OP_EQ;
        cons[ncons].usable = (items_read(it->vtab_args->items[h]) & ~placed) == 0;
        values[ncons] = it->vtab_args->items[h++];
        term_of[ncons++] = -1;
      }
      continue;
    }
    for (int i = 0; i < l->plan.nterm; i++) {
      int k = pass == 2 && all ? l->plan.nterm - 1 - i : i;
      const WhereTerm *wt = &l->plan.terms[k];
      int col, op;
      const Expr *value;
      /* A RIGHT or FULL join scans the item twice (loops.c): both scans must see the same rows. */
      if (wt->consumed || wt->level != lv || it->join_type == JOIN_RIGHT || it->join_type == JOIN_FULL) continue;
      /* An outer join's item may narrow its scan by its own ON terms only: WHERE sees its NULL rows too. */
      if (outer ? wt->on_item != level->item : wt->on_item >= 0) continue;
      if (!(op = term_constraint(wt->expr, level->item, all, &col, &value))) continue;
      int plain = op <= VTAB_OP_GE || op == VTAB_OP_IS || op == VTAB_OP_ISNULL;
      if (all && plain != (pass == 0)) continue;
      memset(&cons[ncons], 0, sizeof cons[ncons]);
      cons[ncons].column = col;
      cons[ncons].op = op;
      cons[ncons].usable = 1;
      values[ncons] = value;
      term_of[ncons++] = k;
    }
  }
  /* LIMIT and OFFSET, when the module sees every WHERE term and the ORDER BY is its columns. */
  if (all && p->vtab_limit && l->n == 1 && limit_applies(p, l, lv)) {
    for (int k = 0; k < 2; k++) {
      const Expr *e = k ? p->vtab_offset : p->vtab_limit;
      if (!e) continue;
      memset(&cons[ncons], 0, sizeof cons[ncons]);
      cons[ncons].op = k ? VTAB_OP_OFFSET : VTAB_OP_LIMIT;
      cons[ncons].usable = 1;
      values[ncons] = e;
      regs[ncons] = k ? p->vtab_offset_reg : p->vtab_limit_reg;
      term_of[ncons++] = -1;
    }
  }
  memset(vp, 0, sizeof *vp);
  vp->regs = regs;
  vp->ncons = ncons;
  vp->cons = cons;
  vp->values = values;
  vp->term_of = term_of;
  vp->info.ncons = ncons;
  vp->info.cons = cons;
  if (it->vtab->all_ops && !app_request(p, l, lv, vp)) return 0;
  int rc = it->vtab->best_index(it->vtab, &vp->info);
  for (int i = 0; vp->info.rhs && i < ncons; i++) /* text the module read them as */
    if (vp->info.rhs[i]) mem_release((Mem *)vp->info.rhs[i]);
  char *idx_str = vp->info.idx_str;
  vp->info.idx_str = NULL;
  if (idx_str) { /* the program keeps it as a string operand */
    vp->info.idx_str = arena_strndup(&p->arena, idx_str, strlen(idx_str));
    util_free(idx_str);
  }
  if (rc != LODE_OK) {
    if (rc == LODE_NOMEM) cg_error(p, LODE_NOMEM, "out of memory");
    else cg_error(p, LODE_ERROR, "%s", vp->info.errmsg_owned ? vp->info.errmsg_owned
                                       : vp->info.errmsg       ? vp->info.errmsg
                                                               : "no query solution");
    util_free(vp->info.errmsg_owned);
    return 0;
  }
  return 1;
}

void cg_vtab_explain(Parse *p, CgLoops *l, int lv, int left_join) {
  VtabPlan vp;
  if (!p->explain_plan || !plan_vtab(p, l, lv, &vp)) return;
  int item = l->plan.levels[lv].item;
  const ScopeItem *it = &p->scope->items[item];
  cg_explain_step(p, "SCAN %s%s VIRTUAL TABLE INDEX %d:%s%s", it->explain_name ? it->explain_name : it->name, item >= p->scope->n ? " EXISTS" : "",
                  vp.info.idx_num, vp.info.idx_str ? vp.info.idx_str : "", left_join ? " LEFT-JOIN" : "");
}

int cg_vtab_scan(Parse *p, CgLoops *l, int lv, int exit_label) {
  const ScopeItem *it = &p->scope->items[l->plan.levels[lv].item];
  VtabPlan vp;
  if (!plan_vtab(p, l, lv, &vp)) return vdbe_current_addr(p->v);
  int nused = 0;
  for (int i = 0; i < vp.ncons; i++)
    if (vp.cons[i].argv_index > nused) nused = vp.cons[i].argv_index;
  /* The arguments, then (application modules) the idx_str in the register after them. */
  int base = cg_regs(p, nused + 1);
  for (int i = 0; i < vp.ncons; i++) {
    if (vp.cons[i].argv_index > 0) {
      int r = base + vp.cons[i].argv_index - 1;
      if (vp.regs[i] >= 0) cg_op(p, OP_SCopy, vp.regs[i], r, 0);
      else if (vp.values[i]) cg_expr(p, vp.values[i], r);
      else cg_op(p, OP_Null, 0, r, 0);
    }
    if (vp.cons[i].omit && vp.term_of[i] >= 0) l->plan.terms[vp.term_of[i]].consumed = 1;
  }
  for (int i = 0; i < vp.ncons; i++) /* the module skips the OFFSET rows itself */
    if (vp.cons[i].op == VTAB_OP_OFFSET && vp.cons[i].omit && vp.regs[i] >= 0) cg_op(p, OP_Integer, 0, vp.regs[i], 0);
  if (vp.info.idx_str) cg_op4_str(p, OP_String8, (int)strlen(vp.info.idx_str), base + nused, 0, vp.info.idx_str);
  else cg_op(p, OP_Null, 0, base + nused, 0);
  if (vp.info.order_consumed && vp.info.norder > 0) l->plan.order_satisfied = 1;
  if (vp.info.idx_flags & VTAB_SCAN_UNIQUE) l->vtab_unique = 1;
  int addr = vdbe_add_op4_int(p->v, OP_VFilter, it->cursor, exit_label, base, vp.info.idx_num);
  vdbe_set_p5(p->v, addr, (uint16_t)nused);
  return addr + 1;
}
