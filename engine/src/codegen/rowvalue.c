/*
** rowvalue.c — row values: (a, b, ...) compared with =, <>, <, <=, >, >=,
** IS [NOT], [NOT] BETWEEN, and [NOT] IN a list of row values or a
** subquery of as many columns.
**
** A row value is an EXPR_VECTOR, or on the other side of a comparison with
** one, a subquery returning that many columns (its first row; NULLs when it
** has none).  Each pair of terms compares with its own affinity and
** collation, as two scalars would.  Three-valued results, as in SQLite:
**   - "=" is the AND of the pairs' "=", "<>" its negation; IS / IS NOT
**     compare NULLs as equal;
**   - "<", "<=", ">", ">=" are lexicographic: the first pair that differs
**     decides (by "<" or ">"), the last pair by the operator itself; a NULL
**     in a pair reached before that makes the result NULL;
**   - "x IN (r1, r2, ...)" is the OR of "x = ri";
**   - "x IN (SELECT ...)": true when some row matches, NULL when none does
**     but some row compared NULL, false otherwise.  A subquery that reads
**     nothing around it is run once into a transient b-tree that x probes;
**     a correlated one is coded as "1 IN (SELECT x = (c1, c2, ...) FROM
**     (SELECT ...))", the scalar IN's machinery, with x's terms read from
**     registers (EXPR_REGISTER) computed before.
** Anywhere else a row value is "row value misused".
*/
#include <limits.h>
#include <string.h>

#include "codegen/cg.h"

static int is_vector(const Expr *e) { return e && e->kind == EXPR_VECTOR; }

static int select_width(Parse *p, const Select *sel);

/* A row value, or a subquery that returns more than one column (with "*"
** its width is known only once it is coded: it is, and then dropped). */
static int is_row_operand(Parse *p, const Expr *e) {
  if (is_vector(e)) return 1;
  if (!e || e->kind != EXPR_SUBQUERY || e->subquery_column || !e->select || !e->select->columns) return 0;
  const ExprList *cols = e->select->columns;
  for (int i = 0; i < cols->n; i++)
    if (cols->items[i]->kind == EXPR_STAR) return p->rc == LODE_OK && select_width(p, e->select) > 1;
  return cols->n > 1;
}

static int is_comparison(int op) {
  return op == TK_EQ || op == TK_NE || op == TK_LT || op == TK_LE || op == TK_GT || op == TK_GE;
}

int cg_is_vector_op(Parse *p, const Expr *e) {
  switch (e->kind) {
  case EXPR_BINARY: return is_comparison(e->op) && (is_row_operand(p, e->left) || is_row_operand(p, e->right));
  case EXPR_IS: return is_row_operand(p, e->left) || is_row_operand(p, e->right);
  case EXPR_BETWEEN:
    return is_row_operand(p, e->left) || is_row_operand(p, e->args->items[0]) || is_row_operand(p, e->args->items[1]);
  case EXPR_IN_SELECT: return is_row_operand(p, e->left);
  case EXPR_IN_LIST:
    if (is_vector(e->left)) return 1;
    for (int i = 0; e->args && i < e->args->n; i++)
      if (is_vector(e->args->items[i])) return 1;
    return 0;
  default: return 0;
  }
}

/* The number of columns sel returns, found by coding it where it is then
** dropped (-1 after an error). */
static int select_width(Parse *p, const Select *sel) {
  int start = vdbe_current_addr(p->v), nsub = p->nsubquery, parent = p->explain_parent;
  SelectDest d;
  memset(&d, 0, sizeof d);
  d.kind = DEST_EXISTS;
  d.reg = cg_reg(p);
  AuthPending *auth_mark = cg_auth_mark(p);
  cg_select(p, sel, &d);
  vdbe_truncate(p->v, start);
  cg_auth_truncate(p, auth_mark);
  p->nsubquery = nsub;
  p->explain_parent = parent;
  return p->rc == LODE_OK ? d.ncols : -1;
}

static int width_of(Parse *p, const Expr *e) {
  if (e->kind == EXPR_VECTOR) return e->args->n;
  if (e->kind == EXPR_SUBQUERY && !e->subquery_column) return select_width(p, e->select);
  return 1;
}

/* One side of a comparison of row values, its n terms in registers. */
typedef struct Side {
  int n;
  int regs;
  const Expr **terms; /* the term's expression, NULL for a subquery's column */
  char *affs;         /* a subquery column's affinity */
  int *colls;         /* a subquery column's collation (its COLLATE or its column's), -1 if none */
} Side;

static int load_side(Parse *p, const Expr *e, int n, Side *s) {
  s->n = n;
  s->regs = cg_regs(p, n);
  s->terms = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)n);
  s->affs = arena_alloc(&p->arena, (size_t)n);
  s->colls = arena_alloc(&p->arena, sizeof(int) * (size_t)n);
  if (!s->terms || !s->affs || !s->colls) return cg_error(p, LODE_NOMEM, "out of memory"), 0;
  if (e->kind == EXPR_VECTOR) {
    for (int i = 0; i < n; i++) {
      s->terms[i] = e->args->items[i];
      cg_expr(p, s->terms[i], s->regs + i);
    }
  } else if (e->kind == EXPR_SUBQUERY && n > 1) { /* its first row, run where it is evaluated */
    SelectDest d;
    int parent = p->explain_parent;
    memset(&d, 0, sizeof d);
    d.kind = DEST_SCALAR;
    d.reg = s->regs;
    d.width = n;
    for (int i = 0; i < n; i++) cg_op(p, OP_Null, 0, s->regs + i, 0);
    p->explain_parent = cg_explain_step(p, "CORRELATED SCALAR SUBQUERY %d", cg_explain_select_id(e->select, ++p->nsubquery));
    cg_select(p, e->select, &d);
    p->explain_parent = parent;
    if (p->rc == LODE_OK && d.ncols != n) cg_error(p, LODE_ERROR, "row value misused");
    for (int i = 0; i < n && p->rc == LODE_OK; i++) {
      s->affs[i] = d.affs ? d.affs[i] : 0;
      s->colls[i] = d.colls ? d.colls[i] : -1;
    }
  } else {
    s->terms[0] = e;
    cg_expr(p, e, s->regs);
  }
  return p->rc == LODE_OK;
}

static char pair_affinity(Parse *p, const Side *l, const Side *r, int i) {
  char a = l->terms[i] ? cg_expr_affinity(p, l->terms[i]) : l->affs[i];
  char b = r->terms[i] ? cg_expr_affinity(p, r->terms[i]) : r->affs[i];
  return cg_combine_affinity(a, b);
}

/* The comparison's rule (a COLLATE on the left term, else on the right,
** else the left's collation, else the right's), a subquery's column counting
** as a column. */
static int pair_collation(Parse *p, const Side *l, const Side *r, int i) {
  const Expr *lt = l->terms[i], *rt = r->terms[i];
  if (lt && rt) return cg_comparison_collation(p, lt, rt);
  if (!(lt && lt->kind == EXPR_COLLATE) && rt && rt->kind == EXPR_COLLATE) return cg_expr_collation(p, rt);
  int c = lt ? cg_explicit_collation(p, lt) : l->colls[i];
  if (c < 0) c = rt ? cg_explicit_collation(p, rt) : r->colls[i];
  return c < 0 ? COLL_BINARY : c;
}

/* target = (r[rl] op r[rr]): 1, 0, or NULL when either is NULL (unless nulleq). */
static void compare_regs(Parse *p, int opcode, int rl, int rr, char aff, int coll, int target, int nulleq) {
  int done = vdbe_make_label(p->v);
  if (!nulleq) {
    cg_op(p, OP_Null, 0, target, 0);
    cg_op(p, OP_IsNull, rl, done, 0);
    cg_op(p, OP_IsNull, rr, done, 0);
  }
  cg_op(p, OP_Integer, 1, target, 0);
  int addr = vdbe_add_op4_int(p->v, opcode, rr, done, rl, coll);
  if (addr < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  vdbe_set_p5(p->v, addr, (uint16_t)((nulleq ? CMP_NULLEQ : 0) | (aff ? (aff - 'A' + 1) : 0)));
  cg_op(p, OP_Integer, 0, target, 0);
  vdbe_resolve_label(p->v, done);
}

static void compare_pair(Parse *p, int opcode, const Side *l, const Side *r, int i, int target, int nulleq) {
  compare_regs(p, opcode, l->regs + i, r->regs + i, pair_affinity(p, l, r, i), pair_collation(p, l, r, i), target,
               nulleq);
}

/* "=" (or IS with nulleq): the AND of the pairs. */
static void code_equal(Parse *p, const Side *l, const Side *r, int target, int nulleq) {
  int t = cg_reg(p);
  cg_op(p, OP_Integer, 1, target, 0);
  for (int i = 0; i < l->n; i++) {
    compare_pair(p, OP_Eq, l, r, i, t, nulleq);
    cg_op(p, OP_And, target, t, target);
  }
}

/* "<", "<=", ">", ">=": the first pair that differs decides. */
static void code_ordered(Parse *p, int opcode, const Side *l, const Side *r, int target) {
  int done = vdbe_make_label(p->v), eq = cg_reg(p);
  int strict = opcode == OP_Lt || opcode == OP_Le ? OP_Lt : OP_Gt;
  for (int i = 0; i + 1 < l->n; i++) {
    int next = vdbe_make_label(p->v);
    compare_pair(p, OP_Eq, l, r, i, eq, 0);
    cg_op(p, OP_Null, 0, target, 0);
    cg_op(p, OP_IsNull, eq, done, 0);
    cg_op(p, OP_If, eq, next, 0);
    compare_pair(p, strict, l, r, i, target, 0);
    cg_op(p, OP_Goto, 0, done, 0);
    vdbe_resolve_label(p->v, next);
  }
  compare_pair(p, opcode, l, r, l->n - 1, target, 0);
  vdbe_resolve_label(p->v, done);
}

static int opcode_of(int tk) {
  switch (tk) {
  case TK_EQ: return OP_Eq;
  case TK_NE: return OP_Ne;
  case TK_LT: return OP_Lt;
  case TK_LE: return OP_Le;
  case TK_GT: return OP_Gt;
  default: return OP_Ge;
  }
}

/* l op r for row values of one size (op: a comparison token, or TK_IS with
** negated for IS NOT). */
/* target = (side a op r), r as wide as a. */
static void compare_side(Parse *p, int op, int negated, const Side *a, const Expr *r, int target) {
  Side b;
  if (!load_side(p, r, a->n, &b)) return;
  if (op == TK_IS || op == TK_EQ || op == TK_NE) {
    code_equal(p, a, &b, target, op == TK_IS);
    if (op == TK_NE || (op == TK_IS && negated)) cg_op(p, OP_Not, target, target, 0);
    return;
  }
  code_ordered(p, opcode_of(op), a, &b, target);
}

/* The width SQLite checks a comparison's operands for before it runs: a
** subquery's "*" is expanded before that check when the comparison is part
** of a SELECT, but not in an expression of an INSERT, UPDATE or DELETE
** itself, where "(SELECT * ...)" counts as one column there. */
static int checked_width(Parse *p, const Expr *e) {
  if (p->select_depth == 0 && e->kind == EXPR_SUBQUERY && !e->subquery_column && e->select && e->select->columns) {
    const ExprList *cols = e->select->columns;
    for (int i = 0; i < cols->n; i++)
      if (cols->items[i]->kind == EXPR_STAR) return cols->n;
  }
  return width_of(p, e);
}

/* The width both l and the others share, or -1 with the error set.  When
** only the subquery's real width differs (see checked_width), a scalar l
** takes the subquery as a scalar subquery, which has too many columns. */
static int same_width(Parse *p, const Expr *l, const Expr *r1, const Expr *r2) {
  int n = width_of(p, l);
  int w1 = n >= 0 ? width_of(p, r1) : -1, w2 = r2 && n >= 0 ? width_of(p, r2) : n;
  if (p->rc != LODE_OK) return -1;
  int c = checked_width(p, l);
  int checked = checked_width(p, r1) == c && (!r2 || checked_width(p, r2) == c);
  if (checked && n >= 0 && w1 == n && w2 == n) return n;
  if (checked && n == 1) cg_error(p, LODE_ERROR, "sub-select returns %d columns - expected 1", w1 != 1 ? w1 : w2);
  else cg_error(p, LODE_ERROR, "row value misused");
  return -1;
}

static void code_compare(Parse *p, int op, int negated, const Expr *l, const Expr *r, int target) {
  int n = same_width(p, l, r, NULL);
  Side a;
  if (n < 0 || !load_side(p, l, n, &a)) return;
  compare_side(p, op, negated, &a, r, target);
}

static Expr *node(Parse *p, ExprKind kind) {
  Expr *e = arena_alloc(&p->arena, sizeof *e);
  if (!e) cg_error(p, LODE_NOMEM, "out of memory");
  else e->kind = kind;
  return e;
}

static Expr *vector_of(Parse *p, int n);

/* An IN (SELECT ...) whose left side is a subquery of several columns: the subquery runs
** once, into registers, and the IN is coded with a row value reading them
** (each with the subquery column's affinity and collation). */
static const Expr *in_left_loaded(Parse *p, const Expr *in) {
  if (is_vector(in->left)) return in;
  int n = width_of(p, in->left);
  Side s;
  if (n < 0 || !load_side(p, in->left, n, &s)) return NULL;
  Expr *v = vector_of(p, n), *copy = node(p, in->kind);
  if (!v || !copy) return NULL;
  for (int i = 0; i < n; i++) {
    Expr *r = node(p, EXPR_REGISTER);
    if (!r) return NULL;
    r->ival = s.regs + i;
    r->n = cg_scope_level(p->scope);
    r->bind_affinity = s.affs[i];
    r->bind_coll = s.colls[i];
    v->args->items[i] = r;
  }
  *copy = *in;
  copy->left = v;
  return copy;
}

static void in_list_term_error(Parse *p, int got, int want) {
  cg_error(p, LODE_ERROR, "IN(...) element has %d term%s - expected %d", got, got == 1 ? "" : "s", want);
}

/* x IN (r1, r2, ...): the OR of x = ri.  SQLite takes no subquery of
** several columns for x there. */
static void code_in_list(Parse *p, const Expr *e, int target) {
  int n = width_of(p, e->left);
  if (n > 1 && !is_vector(e->left)) {
    if (e->args && e->args->n > 1) cg_error(p, LODE_ERROR, "sub-select returns %d columns - expected 1", n);
    else cg_error(p, LODE_ERROR, "row value misused");
    return;
  }
  if (!e->args || e->args->n == 0) {
    cg_op(p, OP_Integer, e->negated ? 1 : 0, target, 0);
    return;
  }
  for (int i = 0; i < e->args->n; i++) {
    int w = width_of(p, e->args->items[i]);
    if (p->rc != LODE_OK) return;
    if (w != n && n == 1) {
      cg_error(p, LODE_ERROR, "row value misused");
      return;
    }
    if (w != n) {
      in_list_term_error(p, w, n);
      return;
    }
  }
  Side x;
  if (!load_side(p, e->left, n, &x)) return;
  int t = cg_reg(p);
  cg_op(p, OP_Integer, 0, target, 0);
  for (int i = 0; i < e->args->n && p->rc == LODE_OK; i++) {
    Side y;
    if (!load_side(p, e->args->items[i], n, &y)) return;
    code_equal(p, &x, &y, t, 0);
    cg_op(p, OP_Or, target, t, target);
  }
  if (e->negated) cg_op(p, OP_Not, target, target, 0);
}


static Expr *vector_of(Parse *p, int n) {
  Expr *v = node(p, EXPR_VECTOR);
  if (!v) return NULL;
  if (!(v->args = arena_alloc(&p->arena, sizeof *v->args)) ||
      !(v->args->items = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)n))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  v->args->n = n;
  return v;
}

void cg_rowset_row(Parse *p, const SelectDest *dest, int regs, int n) {
  int vals = cg_regs(p, n), rec = cg_reg(p);
  cg_op(p, OP_Integer, 1, dest->any_reg, 0);
  for (int i = 0; i < n; i++) {
    int not_null = vdbe_make_label(p->v);
    cg_op(p, OP_SCopy, regs + i, vals + i, 0);
    if (dest->row_affs && dest->row_affs[i]) {
      char a[2] = {dest->row_affs[i], 0};
      cg_op4_str(p, OP_Affinity, vals + i, 1, 0, a);
    }
    cg_op(p, OP_NotNull, vals + i, not_null, 0);
    cg_op(p, OP_Integer, 1, dest->null_reg, 0);
    vdbe_resolve_label(p->v, not_null);
  }
  cg_op(p, OP_MakeRecord, vals, n, rec);
  cg_op(p, OP_IdxInsert, dest->cursor, rec, 0);
}

/* An IN (SELECT ...) of n columns that reads nothing of the queries around
** it: its rows go once into a transient b-tree (each column with the
** affinity of its comparison, in its collation), which each left row value
** probes.  Without a match the answer is NULL if the left side or some row
** has a NULL and some row equals it wherever neither is NULL, else false:
** then the rows are scanned.  Returns 0 (nothing coded) for a correlated
** subquery. */
/* The collation "l = y" compares in, y a subquery's column of collation
** coll (-1: none) that has a COLLATE somewhere if collate: a COLLATE in l,
** else in y, else l's column's, else y's (SQLite's
** sqlite3BinaryCompareCollSeq). */
static int in_pair_collation(Parse *p, const Expr *l, int coll, int collate) {
  int lc = cg_explicit_collation(p, l);
  if (!cg_has_collate(l) && (collate || lc < 0)) lc = coll;
  return lc < 0 ? COLL_BINARY : lc;
}

/* pair (n entries, when not NULL) receives each column's comparison
** collation once the subquery's columns are known, correlated or not. */
static int code_in_select_once(Parse *p, const Expr *e, int n, int target, int *pair) {
  const ExprList *left = e->left->args;
  int start = vdbe_current_addr(p->v), nsub = p->nsubquery, parent = p->explain_parent;
  int base = cg_scope_level(p->scope), before = p->min_ref_level;
  SelectDest d;
  memset(&d, 0, sizeof d);
  d.kind = DEST_ROWSET;
  d.cursor = cg_cursor(p);
  d.any_reg = cg_reg(p);
  d.null_reg = cg_reg(p);
  d.row_colls = arena_alloc(&p->arena, sizeof(int) * (size_t)n);
  d.row_collate = arena_alloc(&p->arena, sizeof(int) * (size_t)n);
  char *affs = arena_alloc(&p->arena, (size_t)n + 1);
  if (!d.row_colls || !d.row_collate || !affs) return cg_error(p, LODE_NOMEM, "out of memory"), 1;
  p->min_ref_level = INT_MAX;
  AuthPending *auth_mark = cg_auth_mark(p);
  cg_select(p, e->select, &d); /* a trial: what it reads, its columns' affinities and collations */
  int reached = p->min_ref_level;
  if (before < p->min_ref_level) p->min_ref_level = before;
  vdbe_truncate(p->v, start);
  cg_auth_truncate(p, auth_mark);
  p->nsubquery = nsub;
  p->explain_parent = parent;
  if (pair && p->rc == LODE_OK && d.ncols == n)
    for (int i = 0; i < n; i++) pair[i] = in_pair_collation(p, left->items[i], d.row_colls[i], d.row_collate[i]);
  if (p->rc != LODE_OK || reached <= base || d.ncols != n) return p->rc != LODE_OK;
  KeyInfo *k = keyinfo_new(n);
  if (!k) return cg_error(p, LODE_NOMEM, "out of memory"), 1;
  for (int i = 0; i < n; i++) {
    const Expr *l = left->items[i];
    char a = cg_combine_affinity(cg_expr_affinity(p, l), d.affs ? d.affs[i] : 0);
    affs[i] = a == AFF_REAL || a == AFF_INTEGER ? AFF_NUMERIC : a; /* numbers compare exactly */
    k->coll[i] = (uint8_t)in_pair_collation(p, l, d.row_colls[i], d.row_collate[i]);
  }
  int set = d.cursor, built = vdbe_make_label(p->v);
  cg_op(p, OP_Once, 0, built, 0);
  if (vdbe_add_op4(p->v, OP_OpenEphemeral, set, n, 0, P4_KEYINFO, k, 0) < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return 1;
  }
  cg_op(p, OP_Integer, 0, d.any_reg, 0);
  cg_op(p, OP_Integer, 0, d.null_reg, 0);
  d.row_affs = affs;
  d.row_colls = NULL;
  d.row_collate = NULL;
  p->explain_parent = cg_explain_step(p, "LIST SUBQUERY %d", cg_explain_select_id(e->select, ++p->nsubquery));
  cg_select(p, e->select, &d);
  p->explain_parent = parent;
  vdbe_resolve_label(p->v, built);

  Side x;
  if (!load_side(p, e->left, n, &x)) return 1;
  int probe = cg_regs(p, n), found = vdbe_make_label(p->v), is_null = vdbe_make_label(p->v);
  int is_false = vdbe_make_label(p->v), scan = vdbe_make_label(p->v), done = vdbe_make_label(p->v);
  cg_op(p, OP_IfNot, d.any_reg, is_false, 0);
  for (int i = 0; i < n; i++) {
    cg_op(p, OP_SCopy, x.regs + i, probe + i, 0);
    if (affs[i]) {
      char a[2] = {affs[i], 0};
      cg_op4_str(p, OP_Affinity, probe + i, 1, 0, a);
    }
  }
  for (int i = 0; i < n; i++) cg_op(p, OP_IsNull, probe + i, scan, 0);
  vdbe_add_op4_int(p->v, OP_Found, set, found, probe, n);
  cg_op(p, OP_IfNot, d.null_reg, is_false, 0);
  vdbe_resolve_label(p->v, scan); /* a row that NULLs keep from being told apart makes it NULL */
  cg_op(p, OP_Rewind, set, is_false, 0);
  int top = vdbe_current_addr(p->v), next = vdbe_make_label(p->v), col = cg_reg(p);
  for (int i = 0; i < n; i++) {
    int skip = vdbe_make_label(p->v);
    cg_op(p, OP_IsNull, probe + i, skip, 0);
    cg_op(p, OP_Column, set, i, col);
    cg_op(p, OP_IsNull, col, skip, 0);
    vdbe_add_op4_int(p->v, OP_Ne, col, next, probe + i, k->coll[i]);
    vdbe_resolve_label(p->v, skip);
  }
  cg_op(p, OP_Goto, 0, is_null, 0);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_Next, set, top, 0);
  vdbe_resolve_label(p->v, is_false);
  cg_op(p, OP_Integer, e->negated ? 1 : 0, target, 0);
  cg_op(p, OP_Goto, 0, done, 0);
  vdbe_resolve_label(p->v, is_null);
  cg_op(p, OP_Null, 0, target, 0);
  cg_op(p, OP_Goto, 0, done, 0);
  vdbe_resolve_label(p->v, found);
  cg_op(p, OP_Integer, e->negated ? 0 : 1, target, 0);
  vdbe_resolve_label(p->v, done);
  return 1;
}

#define IN_ALIAS "$in"

/* x IN (SELECT c1, c2, ...) as 1 IN (SELECT x = (c1, c2, ...) FROM (SELECT ...)). */
static void code_in_select(Parse *p, const Expr *e, int target) {
  int n = e->left->args->n, w = select_width(p, e->select);
  if (p->rc != LODE_OK) return;
  if (w != n) { /* SQLite's codegen's check: ALTER TABLE RENAME resolves names only */
    if (!p->rename) cg_error(p, LODE_ERROR, "sub-select returns %d columns - expected %d", w, n);
    return;
  }
  int *pair = arena_alloc(&p->arena, sizeof(int) * (size_t)n);
  if (!pair) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (int i = 0; i < n; i++) pair[i] = -1;
  if (!p->rerun_subqueries && code_in_select_once(p, e, n, target, pair)) return;
  Side x;
  if (!load_side(p, e->left, n, &x)) return;
  Expr *mine = vector_of(p, n), *theirs = vector_of(p, n), *eq = node(p, EXPR_BINARY), *one = node(p, EXPR_INTEGER);
  Expr *in = node(p, EXPR_IN_SELECT);
  Select *sel = arena_alloc(&p->arena, sizeof *sel);
  SrcList *from = arena_alloc(&p->arena, sizeof *from);
  ExprList *cols = arena_alloc(&p->arena, sizeof *cols);
  if (!mine || !theirs || !eq || !one || !in || !sel || !from || !cols ||
      !(from->items = arena_alloc(&p->arena, sizeof(SrcItem))) ||
      !(cols->items = arena_alloc(&p->arena, sizeof(Expr *)))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  int level = cg_scope_level(p->scope);
  for (int i = 0; i < n; i++) {
    Expr *r = node(p, EXPR_REGISTER), *c = node(p, EXPR_COLUMN);
    if (!r || !c) return;
    const Expr *t = e->left->args->items[i];
    r->ival = x.regs + i;
    r->n = level;
    r->bind_affinity = cg_expr_affinity(p, t);
    /* The comparison's collation as SQLite's IN has it, the subquery's
    ** COLLATE counting (when the trial run told it). */
    r->bind_coll = pair[i] >= 0 ? pair[i] : cg_explicit_collation(p, t);
    c->table = IN_ALIAS;
    c->text = "";
    c->bound_column = i + 1;
    mine->args->items[i] = r;
    theirs->args->items[i] = c;
  }
  eq->op = TK_EQ;
  eq->left = mine;
  eq->right = theirs;
  cols->n = 1;
  cols->items[0] = eq;
  from->n = 1;
  from->items[0].subquery = e->select;
  from->items[0].alias = IN_ALIAS;
  sel->columns = cols;
  sel->from = from;
  one->ival = 1;
  one->text = "1";
  one->n = 1;
  in->left = one;
  in->select = sel;
  in->negated = e->negated;
  cg_expr(p, in, target);
}

void cg_vector_expr(Parse *p, const Expr *e, int target) {
  switch (e->kind) {
  case EXPR_BINARY: code_compare(p, e->op, 0, e->left, e->right, target); break;
  case EXPR_IS: code_compare(p, TK_IS, e->negated, e->left, e->right, target); break;
  case EXPR_BETWEEN: { /* x >= lo AND x <= hi, x evaluated once */
    int hi = cg_reg(p), n = same_width(p, e->left, e->args->items[0], e->args->items[1]);
    Side x;
    if (n < 0 || !load_side(p, e->left, n, &x)) break;
    compare_side(p, TK_GE, 0, &x, e->args->items[0], target);
    compare_side(p, TK_LE, 0, &x, e->args->items[1], hi);
    cg_op(p, OP_And, target, hi, target);
    if (e->negated) cg_op(p, OP_Not, target, target, 0);
    break;
  }
  case EXPR_IN_LIST: code_in_list(p, e, target); break;
  case EXPR_IN_SELECT: {
    const Expr *in = in_left_loaded(p, e);
    if (in) code_in_select(p, in, target);
    break;
  }
  default: cg_error(p, LODE_ERROR, "row value misused"); break;
  }
}
