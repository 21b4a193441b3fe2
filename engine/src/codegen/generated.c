/*
** generated.c — generated columns: "name [type] [GENERATED ALWAYS] AS (expr)
** [VIRTUAL|STORED]".
**
** A generated column's value is its expression over the other columns of
** the same row, converted by the column's affinity.  A STORED column is
** computed whenever a row is written (INSERT, UPDATE, upsert, REPLACE) and
** kept in the record like any other column; a VIRTUAL one is not in the
** record at all (schema.h: table_column_pos) and is computed wherever it is
** read.  Both are computed before the row's constraints are checked and its
** index entries made, so NOT NULL, CHECK, UNIQUE and indexes see them.
**
** The expression lives in the schema only as text (Column.gen_sql); each use
** parses it into the Parse's arena, since name resolution annotates the tree
** it compiles.  Generated columns may read each other in any declaration
** order; they are computed in the order SQLite uses: passes over the
** columns, each computing those whose inputs are ready, and a column that
** never becomes ready is a loop ("generated column loop on "c"", naming the
** last such column).
*/
#include <string.h>

#include "codegen/cg.h"
#include "sql/parser.h"

/* Column col's expression parsed into p->arena; NULL (p->rc set) when its
** text does not parse, which only a damaged schema can cause. */
static const Expr *gen_expr(Parse *p, const Table *t, int col) {
  Stmt *st = NULL;
  char *err = NULL;
  char *sql = util_mprintf("SELECT (%s)", t->cols[col].gen_sql);
  if (!sql) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  int rc = t->db == CONN_DB_TEMP ? sql_parse(&p->arena, sql, -1, &st, NULL, &err)
                                 : sql_parse_schema(&p->arena, sql, -1, &st, NULL, &err);
  util_free(sql);
  util_free(err);
  if (rc != LODE_OK || !st || !st->select || !st->select->columns || st->select->columns->n != 1) {
    cg_error(p, rc == LODE_NOMEM ? LODE_NOMEM : LODE_CORRUPT, "malformed database schema (%s)", t->name);
    return NULL;
  }
  return st->select->columns->items[0];
}

/* The column of t a column reference of a generated expression names, or -1. */
static int referenced_column(const Table *t, const Expr *e) {
  if (e->table && util_stricmp(e->table, t->name) != 0) return -1;
  return table_column_index(t, e->text);
}

/* 1 when e reads a column an UPDATE may change (cg_generated_changed);
** depth bounds the walk through generated columns, which a damaged schema
** could make circular. */
static int reads_changed(Parse *p, const Table *t, const Expr *e, const int *set_of, int rowid_changed, int depth) {
  if (!e || p->rc != LODE_OK) return 0;
  if (e->kind == EXPR_COLUMN) {
    int c = referenced_column(t, e);
    if (c < 0) return 0;
    if (c == t->ipk) return rowid_changed;
    if (set_of[c] >= 0 || depth > t->ncols) return 1;
    if (!t->cols[c].generated) return 0;
    return reads_changed(p, t, gen_expr(p, t, c), set_of, rowid_changed, depth + 1);
  }
  if (reads_changed(p, t, e->left, set_of, rowid_changed, depth) ||
      reads_changed(p, t, e->right, set_of, rowid_changed, depth) ||
      reads_changed(p, t, e->escape, set_of, rowid_changed, depth))
    return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (reads_changed(p, t, e->args->items[i], set_of, rowid_changed, depth)) return 1;
  return 0;
}

int cg_generated_changed(Parse *p, const Table *t, int col, const int *set_of, int rowid_changed) {
  return reads_changed(p, t, gen_expr(p, t, col), set_of, rowid_changed, 0);
}

/* 1 when e reads a column whose entry in pending is set (a generated column not computed yet). */
static int reads_pending(const Table *t, const Expr *e, const unsigned char *pending) {
  if (!e) return 0;
  if (e->kind == EXPR_COLUMN) {
    int c = referenced_column(t, e);
    return c >= 0 && pending[c];
  }
  if (reads_pending(t, e->left, pending) || reads_pending(t, e->right, pending) ||
      reads_pending(t, e->escape, pending))
    return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (reads_pending(t, e->args->items[i], pending)) return 1;
  return 0;
}

/* The generated columns of t in an order in which each one's inputs come
** before it, into order[0..t->ngenerated) (arena), their parsed expressions
** into exprs[col].  NULL with p->rc set on a loop. */
static int *compute_order(Parse *p, const Table *t, const Expr **exprs) {
  int *order = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ngenerated + 1));
  unsigned char *pending = arena_alloc(&p->arena, (size_t)t->ncols + 1);
  int n = 0, progress = 1, stuck = -1;
  if (!order || !pending) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  for (int i = 0; i < t->ncols; i++) {
    if (!t->cols[i].generated) continue;
    if (!(exprs[i] = gen_expr(p, t, i))) return NULL;
    pending[i] = 1;
  }
  while (progress && n < t->ngenerated) {
    progress = 0;
    stuck = -1;
    for (int i = 0; i < t->ncols; i++) {
      if (!pending[i]) continue;
      pending[i] = 2; /* a column reading itself waits on itself */
      int blocked = reads_pending(t, exprs[i], pending);
      pending[i] = 1;
      if (blocked) {
        stuck = i;
        continue;
      }
      pending[i] = 0;
      order[n++] = i;
      progress = 1;
    }
  }
  if (n < t->ngenerated) {
    cg_error(p, LODE_ERROR, "generated column loop on \"%s\"", t->cols[stuck].name);
    return NULL;
  }
  return order;
}

/* The column's affinity on the value in reg, as its record would give it. */
static void apply_affinity(Parse *p, const Column *c, int reg) {
  char aff[2] = {c->affinity, 0};
  if (c->affinity && c->affinity != AFF_NONE) cg_op4_str(p, OP_Affinity, reg, 1, 0, aff);
}

/* ---- checks of CREATE TABLE --------------------------------------------------------- */

/* The date and time functions: SQLite accepts them in a generated column
** (only 'now' makes them depend on the moment). */
static int is_date_function(const char *name) {
  static const char *const names[] = {"date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (util_stricmp(name, names[i]) == 0) return 1;
  return 0;
}

/* Functions whose result depends on the build or the connection, which
** SQLite counts as non-deterministic too. */
static int is_varying_function(const char *name) {
  static const char *const names[] = {"sqlite_version", "sqlite_source_id", "sqlite_compileoption_used",
                                      "sqlite_compileoption_get", "last_insert_rowid", "changes", "total_changes"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (util_stricmp(name, names[i]) == 0) return 1;
  return 0;
}

/* A function that SQLite refuses in a schema expression as not deterministic
** (the date functions pass: they fail when run if they use the moment). */
static int nondeterministic_call(Parse *p, const Expr *e) {
  int exists = 0;
  const FuncDef *f = func_lookup(p->db->funcs, e->text, e->star ? 0 : e->args ? e->args->n : 0, &exists);
  return f && ((!(f->flags & FUNC_DETERMINISTIC) && !(f->flags & FUNC_AGGREGATE) && !is_date_function(e->text)) ||
               is_varying_function(e->text));
}

int cg_has_nondeterministic(Parse *p, const Expr *e) {
  if (!e) return 0;
  if (e->kind == EXPR_FUNCTION && nondeterministic_call(p, e)) return 1;
  if (cg_has_nondeterministic(p, e->left) || cg_has_nondeterministic(p, e->right) ||
      cg_has_nondeterministic(p, e->escape))
    return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (cg_has_nondeterministic(p, e->args->items[i])) return 1;
  return 0;
}

/* What SQLite refuses in a generated column's expression, found by a walk:
** names qualified by the table, the rowid, parameters, subqueries and
** functions that are not deterministic. */
static int check_walk(Parse *p, const Table *t, const Expr *e) {
  if (!e || p->rc != LODE_OK) return p->rc;
  switch (e->kind) {
  case EXPR_COLUMN:
    if (e->table && util_stricmp(e->table, t->name) == 0)
      return cg_error(p, LODE_ERROR, "the \".\" operator prohibited in generated columns");
    if (!e->table && table_column_index(t, e->text) < 0 && cg_is_rowid_name(e->text))
      return cg_error(p, LODE_ERROR, "no such column: %s", e->text);
    return LODE_OK;
  case EXPR_PARAM: return cg_error(p, LODE_ERROR, "parameters prohibited in generated columns");
  case EXPR_SUBQUERY: case EXPR_EXISTS: case EXPR_IN_SELECT:
    return cg_error(p, LODE_ERROR, "subqueries prohibited in generated columns");
  case EXPR_FUNCTION:
    if (t->db != CONN_DB_TEMP && cg_schema_calls_check(p, e) != LODE_OK) return p->rc;
    if (nondeterministic_call(p, e))
      return cg_error(p, LODE_ERROR, "non-deterministic functions prohibited in generated columns");
    break;
  default: break;
  }
  check_walk(p, t, e->left);
  check_walk(p, t, e->right);
  check_walk(p, t, e->escape);
  for (int i = 0; e->args && i < e->args->n; i++) check_walk(p, t, e->args->items[i]);
  return p->rc;
}

int cg_generated_count_check(Parse *p, const Table *t) {
  if (t->ngenerated && t->ngenerated == t->ncols)
    return cg_error(p, LODE_ERROR, "must have at least one non-generated column");
  return LODE_OK;
}

int cg_generated_check(Parse *p, const Table *t) {
  if (!t->ngenerated) return LODE_OK;
  /* SQLite reports this one before any message about the expressions. */
  if (cg_generated_count_check(p, t) != LODE_OK) return p->rc;
  /* Each expression is coded once into a program that never runs: that
  ** resolves its names and calls with the messages of any expression. */
  Vdbe *program = p->v, *scratch = vdbe_new(p->db);
  if (!scratch) return cg_error(p, LODE_NOMEM, "out of memory");
  p->v = scratch;
  int regs = cg_regs(p, t->ncols), rowid = cg_reg(p);
  for (int i = 0; i < t->ncols && p->rc == LODE_OK; i++) {
    if (!t->cols[i].generated) continue;
    const Expr *e = gen_expr(p, t, i);
    if (!e || check_walk(p, t, e) != LODE_OK) break;
    Scope scope, *saved;
    ScopeItem item;
    RowSource row = {t, -1, regs, rowid};
    saved = cg_row_scope_push(p, &row, &scope, &item);
    cg_expr(p, e, regs + i);
    p->scope = saved;
  }
  p->v = program;
  vdbe_free(scratch);
  if (p->rc != LODE_OK) return p->rc;
  const Expr **exprs = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)t->ncols);
  if (!exprs) return cg_error(p, LODE_NOMEM, "out of memory");
  compute_order(p, t, exprs);
  return p->rc;
}

/* ---- rows being written ------------------------------------------------------------- */

void cg_generated_compute(Parse *p, const Table *t, int regs, int rowid_reg) {
  if (!t->ngenerated) return;
  const Expr **exprs = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)t->ncols);
  char *aff = arena_alloc(&p->arena, (size_t)t->ncols + 1);
  if (!exprs || !aff) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  const int *order = compute_order(p, t, exprs);
  if (!order) return;
  /* The expressions read the other columns as the record will hold them. */
  for (int i = 0; i < t->ncols; i++) aff[i] = t->cols[i].generated ? AFF_NONE : t->cols[i].affinity;
  cg_op4_str(p, OP_Affinity, regs, t->ncols, 0, aff);
  Scope scope, *saved;
  ScopeItem item;
  RowSource row = {t, -1, regs, rowid_reg};
  saved = cg_row_scope_push(p, &row, &scope, &item);
  AggInfo *agg = p->agg;
  p->agg = NULL;
  p->in_generated++;
  for (int k = 0; k < t->ngenerated && p->rc == LODE_OK; k++) {
    int c = order[k];
    cg_expr(p, exprs[c], regs + c);
    apply_affinity(p, &t->cols[c], regs + c);
  }
  p->in_generated--;
  p->agg = agg;
  p->scope = saved;
}

int cg_generated_record(Parse *p, const Table *t, int regs, const char *aff, char **rec_aff) {
  int n = table_record_ncols(t), rec = cg_regs(p, n ? n : 1), k = 0;
  char *z = arena_alloc(&p->arena, (size_t)n + 1);
  if (!z) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return regs;
  }
  for (int i = 0; i < t->ncols; i++) {
    if (t->cols[i].generated == COLGEN_VIRTUAL) continue;
    cg_op(p, OP_SCopy, regs + i, rec + k, 0);
    z[k++] = aff ? aff[i] : AFF_NONE;
  }
  *rec_aff = z;
  return rec;
}

/* ---- rows being read ---------------------------------------------------------------- */

void cg_virtual_column(Parse *p, Table *t, int cursor, int col, int target) {
  const Expr **exprs = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)t->ncols);
  if (!exprs) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  /* The order check also keeps a loop from recursing for ever. */
  if (!compute_order(p, t, exprs)) return;
  int done = vdbe_make_label(p->v);
  if (cursor >= 0) cg_op(p, OP_IfNullRow, cursor, done, target); /* no row: NULL, as its columns are */
  Scope scope, *saved;
  ScopeItem item;
  RowSource row = {t, cursor, 0, 0};
  saved = cg_row_scope_push(p, &row, &scope, &item);
  AggInfo *agg = p->agg;
  int min_ref = p->min_ref_level; /* the read itself was counted where the column was named */
  p->agg = NULL;
  p->in_generated++;
  cg_expr(p, exprs[col], target);
  p->in_generated--;
  p->agg = agg;
  p->min_ref_level = min_ref;
  p->scope = saved;
  apply_affinity(p, &t->cols[col], target);
  vdbe_resolve_label(p->v, done);
}
