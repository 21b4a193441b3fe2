/*
** window.c — SELECT with window functions (f(...) [FILTER (WHERE e)] OVER ...).
**
** A query core whose result columns or ORDER BY call window functions is
** coded as two queries, as SQLite rewrites it:
**
**     SELECT <results> FROM x WHERE w GROUP BY g HAVING h ORDER BY o LIMIT l
**  →  SELECT <results'> FROM (SELECT <inner columns> FROM x WHERE w GROUP BY g HAVING h) ORDER BY o' LIMIT l
**
** The inner query computes, per row, one placeholder per window call (where
** the call's value goes), each window's PARTITION BY and ORDER BY values,
** each call's arguments and FILTER value, and every part of the results and
** ORDER BY that contains no window call; then any * items (the first
** pass's key columns come first of all).  It delivers its rows in the first
** pass's order (an index may give it) into a sorter, or hands over the
** sorter of that ORDER BY itself when its records are the rows as they are,
** and one OP_Window pass per window (vdbe_window.c) sorts them stably by
** that window's key and fills in the placeholders of its calls.  The outer query
** reads the rows like a FROM subquery: window calls became references to
** their placeholders and the rest references to the inner columns.
**
** Which calls share a pass, and the order of the passes, follow SQLite, as
** they decide the order rows reach each pass (and so values over ties):
** calls over equal windows share one (the ranking and offset functions have
** fixed frames of their own for this comparison); passes run from the last
** window to the first, whose order the rows leave in.  An ORDER BY term
** that names a result column holding window calls sorts by a copy of those
** calls, which never shares the first window's pass; the column shows the
** copy's value.
**
** Checks made here with SQLite's messages and in its order: window calls
** outside the results and ORDER BY or nested in windows or aggregates,
** functions that cannot be windows, unknown or overridden named windows,
** FILTER on window-only functions, RANGE offsets without exactly one ORDER
** BY term.  Frame offsets are evaluated once before the passes and checked
** by the pass (only when there are rows).
*/
#include <stdio.h>
#include <string.h>

#include "codegen/cg.h"

/* How many arguments any_count_def tries when looking for some definition. */
#define FUNC_MAX_ARGS_PROBED 16
#include "sql/parser.h"
#include "vdbe/vdbe.h"

_Static_assert(WIN_PRECEDING == FRAME_PRECEDING && WIN_UNBOUNDED_FOLLOWING == FRAME_UNBOUNDED_FOLLOWING &&
                   WIN_EXCLUDE_TIES == EXCLUDE_TIES && WIN_CURRENT_ROW == FRAME_CURRENT_ROW,
               "window codes agree");

typedef struct WinCall {
  const Expr *call;
  int copy;          /* the ORDER BY's own copy of a result column's call (see order_copies) */
  const Window *win; /* resolved: base windows merged in */
  int kind;          /* FuncWindowKind */
  const FuncDef *func;
  int group;
  int arg_col, filter_col, result_col;
} WinCall;

typedef struct WinGroup {
  const Window *win;
  int key_col; /* npart + norder columns from here */
} WinGroup;

struct WindowPlan {
  int ncalls, ngroups;
  WinCall *calls;
  WinGroup *groups;
  int *pass;           /* groups in the order their passes run: the last one orders the output */
  int inner_sorted;    /* the inner query has the first pass's order (its ORDER BY) */
  int id;              /* the inner query's number in plan text */
  ExprList *inner;     /* the inner query's columns */
  int inner_cap;       /* room in inner */
  int nstars;
  int *star_inner;     /* per * item: its index in inner */
  int *star_outer;     /* and in the outer columns list */
  ExprList *outer;     /* the outer results (stars expanded once the inner is coded) */
  const char *alias;
};

typedef struct Rewriter {
  Parse *p;
  WindowPlan *wp;
  const char *alias;
  int copy; /* window calls read their ORDER BY copies */
} Rewriter;

static void *alloc(Parse *p, size_t n) {
  void *m = arena_alloc(&p->arena, n ? n : 1);
  if (!m) cg_error(p, LODE_NOMEM, "out of memory");
  return m;
}

/* ---- finding window calls ------------------------------------------------------------- */

static const Expr *first_window_call(const Expr *e) {
  const Expr *w;
  if (!e) return NULL;
  if (e->kind == EXPR_FUNCTION && e->over) return e;
  /* a leaf (a literal, a column) is the usual case: no calls for it */
  if (!e->left && !e->right && !e->escape && !e->args) return NULL;
  if ((w = first_window_call(e->left)) || (w = first_window_call(e->right)) || (w = first_window_call(e->escape)))
    return w;
  for (int i = 0; e->args && i < e->args->n; i++)
    if ((w = first_window_call(e->args->items[i]))) return w;
  return NULL;
}

const Expr *cg_first_window_call(const Expr *e) { return first_window_call(e); }

int cg_select_has_window(const Select *s) {
  for (int i = 0; s->columns && i < s->columns->n; i++)
    if (first_window_call(s->columns->items[i])) return 1;
  for (int i = 0; i < s->norder; i++)
    if (first_window_call(s->order_by[i].expr)) return 1;
  return 0;
}

static int misuse_in(Parse *p, const Expr *e) {
  const Expr *w = first_window_call(e);
  if (w) cg_error_at(p, w, LODE_ERROR, "misuse of window function %s()", w->text);
  return w != NULL;
}

/* ---- window definitions ------------------------------------------------------------- */

/* w with the window it names merged in (SQLite's rules: a base window
** lends its PARTITION BY and ORDER BY; the new one may add an ORDER BY when
** the base has none, and a frame when the base has no explicit one). */
/* The error messages of one window call, as SQLite would raise them while
** it resolves the call: it goes on after an error, and the last message is
** the one reported. */
typedef struct CallErr {
  char msg[160];
  const Expr *at; /* the expression the message is about, when there is one */
} CallErr;

static void call_err(CallErr *err, const char *fmt, const char *name) {
  snprintf(err->msg, sizeof err->msg, fmt, name);
  err->at = NULL;
}

static const Window *resolve_window(Parse *p, const Select *s, const Window *w, int nvisible, CallErr *err) {
  const Window *base;
  Window *m;
  int at = -1;
  if (!w->base) return w;
  /* A WINDOW definition builds on one defined before it in the list (as in
  ** SQLite, the first definition's base is not looked up at all). */
  if (w->name) {
    for (int i = 0; i < s->nwindows; i++)
      if (s->windows[i] == w) at = i;
    if (at == 0) return w;
    nvisible = at;
  }
  base = NULL;
  for (int i = nvisible - 1; i >= 0 && !base; i--)
    if (util_stricmp(s->windows[i]->name, w->base) == 0) base = s->windows[i];
  if (!base) return call_err(err, "no such window: %s", w->base), NULL;
  if (!(base = resolve_window(p, s, base, nvisible, err))) return NULL;
  if (w->is_ref) return base;
  if (w->partition) return call_err(err, "cannot override PARTITION clause of window: %s", w->base), NULL;
  if (base->norder && w->norder) return call_err(err, "cannot override ORDER BY clause of window: %s", w->base), NULL;
  if (base->frame_type) return call_err(err, "cannot override frame specification of window: %s", w->base), NULL;
  if (!(m = alloc(p, sizeof *m))) return NULL;
  *m = *w;
  m->base = NULL;
  m->partition = base->partition;
  if (!w->norder) {
    m->norder = base->norder;
    m->order_by = base->order_by;
  }
  return m;
}

static int same_list(const ExprList *a, const ExprList *b) {
  if (!a || !b) return !a && !b;
  if (a->n != b->n) return 0;
  for (int i = 0; i < a->n; i++)
    if (!cg_same_tree(a->items[i], b->items[i])) return 0;
  return 1;
}

static int same_text(const char *a, const char *b) {
  if (!a || !b) return !a && !b;
  return util_stricmp(a, b) == 0;
}

static int same_order(const OrderTerm *a, const OrderTerm *b, int n) {
  for (int i = 0; i < n; i++) { /* NULLS FIRST/LAST compared by where NULLs go */
    int a_last = a[i].nulls ? a[i].nulls == 2 : a[i].desc, b_last = b[i].nulls ? b[i].nulls == 2 : b[i].desc;
    if (a[i].desc != b[i].desc || a_last != b_last || !cg_same_tree(a[i].expr, b[i].expr)) return 0;
  }
  return 1;
}

static int frame_type(const Window *w) { return w->frame_type ? w->frame_type : TK_RANGE; }
static int start_kind(const Window *w) { return w->frame_type ? w->start_kind : FRAME_UNBOUNDED_PRECEDING; }
static int end_kind(const Window *w) { return w->frame_type ? w->end_kind : FRAME_CURRENT_ROW; }

static int same_window(const Window *a, const Window *b) {
  return same_list(a->partition, b->partition) && a->norder == b->norder &&
         same_order(a->order_by, b->order_by, a->norder) && frame_type(a) == frame_type(b) &&
         start_kind(a) == start_kind(b) && end_kind(a) == end_kind(b) && a->exclude == b->exclude &&
         cg_same_tree(a->start, b->start) && cg_same_tree(a->end, b->end);
}

/* The ranking and offset functions ignore the frame; SQLite gives each of
** them a fixed frame of its own, which decides which calls share a pass
** (row_number() and rank() OVER the same window get two). */
static const Window *fixed_frame(Parse *p, int kind, const Window *w) {
  static const struct {
    int kind, type, start, end;
  } fixed[] = {
      {WINFN_ROW_NUMBER, TK_ROWS, FRAME_UNBOUNDED_PRECEDING, FRAME_CURRENT_ROW},
      {WINFN_DENSE_RANK, TK_RANGE, FRAME_UNBOUNDED_PRECEDING, FRAME_CURRENT_ROW},
      {WINFN_RANK, TK_RANGE, FRAME_UNBOUNDED_PRECEDING, FRAME_CURRENT_ROW},
      {WINFN_PERCENT_RANK, TK_GROUPS, FRAME_CURRENT_ROW, FRAME_UNBOUNDED_FOLLOWING},
      {WINFN_CUME_DIST, TK_GROUPS, FRAME_FOLLOWING, FRAME_UNBOUNDED_FOLLOWING},
      {WINFN_NTILE, TK_ROWS, FRAME_CURRENT_ROW, FRAME_UNBOUNDED_FOLLOWING},
      {WINFN_LEAD, TK_ROWS, FRAME_UNBOUNDED_PRECEDING, FRAME_UNBOUNDED_FOLLOWING},
      {WINFN_LAG, TK_ROWS, FRAME_UNBOUNDED_PRECEDING, FRAME_CURRENT_ROW},
  };
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
    Window *m;
    if (fixed[i].kind != kind) continue;
    if (!(m = alloc(p, sizeof *m))) return NULL;
    *m = *w;
    m->frame_type = fixed[i].type;
    m->start_kind = fixed[i].start;
    m->end_kind = fixed[i].end;
    m->start = m->end = NULL;
    m->exclude = EXCLUDE_NO_OTHERS;
    return m;
  }
  return w;
}

/* ---- the calls ----------------------------------------------------------------------- */

static void misuse_note(CallErr *err, const Expr *e) {
  const Expr *w = first_window_call(e);
  if (w) {
    call_err(err, "misuse of window function %s()", w->text);
    err->at = w;
  }
}

static void misuse_in_window(CallErr *err, const Window *w, const Expr *filter) {
  for (int i = 0; w->partition && i < w->partition->n; i++) misuse_note(err, w->partition->items[i]);
  for (int i = 0; i < w->norder; i++) misuse_note(err, w->order_by[i].expr);
  misuse_note(err, filter);
}

/* Some definition of function name, whatever its argument count (the
** variadic one first, then the fewest arguments), as SQLite's lookup of
** any count finds one; NULL if there is none. */
static const FuncDef *any_count_def(Parse *p, const char *name) {
  const FuncDef *f = func_lookup(p->db->funcs, name, -1, NULL);
  for (int n = 0; !f && n <= FUNC_MAX_ARGS_PROBED; n++) f = func_lookup(p->db->funcs, name, n, NULL);
  return f;
}

static int may_be_window(const FuncDef *f) { return (f->flags & FUNC_AGGREGATE) && !(f->flags & FUNC_NOWINDOW); }

static int add_call(Parse *p, const Select *s, WindowPlan *wp, const Expr *e, int copy) {
  WinCall *c = &wp->calls[wp->ncalls];
  int nargs = e->star ? 0 : (e->args ? e->args->n : 0), exists = 0;
  CallErr err;
  err.msg[0] = 0;
  err.at = NULL;
  memset(c, 0, sizeof *c);
  c->call = e;
  c->copy = copy;
  /* In SQLite's order: the function (an error there ends the checks), then
  ** the window (a named one must exist; a base lends its clauses; RANGE
  ** offsets; FILTER), then what the window and the arguments contain.  Of
  ** these the last error found is reported, as SQLite's goes on checking. */
  c->kind = func_window_find(e->text, nargs, &exists);
  if (!c->kind) {
    int known = 0;
    c->func = func_lookup(p->db->funcs, e->text, nargs, &known);
    if (!c->func) { /* nothing of the call is looked at further */
      /* A name known with other argument counts: a function that is never
      ** a window function says so before its count is faulted. */
      const FuncDef *other = !exists && known ? any_count_def(p, e->text) : NULL;
      if (other && !may_be_window(other))
        return cg_error_at(p, e, LODE_ERROR, "%s() may not be used as a window function", e->text);
      return cg_error_at(p, e, LODE_ERROR,
                         exists || known ? "wrong number of arguments to function %s()" : "no such function: %s",
                         e->text);
    }
    if (!may_be_window(c->func))
      return cg_error_at(p, e, LODE_ERROR, "%s() may not be used as a window function", e->text);
    if (cg_func_unsafe(p, e, c->func)) return p->rc;
  }
  c->win = e->over;
  {
    const Window *merged = resolve_window(p, s, e->over, s->nwindows, &err);
    if (p->rc != LODE_OK) return p->rc;
    if (merged) c->win = merged;
    if (merged || !e->over->is_ref) {
      const Window *w = c->win;
      if (frame_type(w) == TK_RANGE && w->norder != 1 &&
          (start_kind(w) == FRAME_PRECEDING || start_kind(w) == FRAME_FOLLOWING ||
           end_kind(w) == FRAME_PRECEDING || end_kind(w) == FRAME_FOLLOWING))
        call_err(&err, "%s", "RANGE with offset PRECEDING/FOLLOWING requires one ORDER BY expression");
      else if (c->kind && e->filter)
        call_err(&err, "%s", "FILTER clause may only be used with aggregate window functions");
    }
    misuse_in_window(&err, c->win, e->filter);
  }
  for (int i = 0; i < nargs; i++) misuse_note(&err, e->args->items[i]);
  misuse_in_window(&err, c->win, e->filter);
  if (err.msg[0]) return cg_error_at(p, err.at, LODE_ERROR, "%s", err.msg); /* at NULL: no position */
  if (c->kind && !(c->win = fixed_frame(p, c->kind, c->win))) return p->rc;
  /* Calls over equal windows share a pass; an ORDER BY copy never joins the
  ** first window's. */
  c->group = -1;
  for (int g = copy ? 1 : 0; g < wp->ngroups && c->group < 0; g++)
    if (same_window(wp->groups[g].win, c->win)) c->group = g;
  if (c->group < 0) {
    c->group = wp->ngroups;
    wp->groups[wp->ngroups++].win = c->win;
  }
  wp->ncalls++;
  return LODE_OK;
}

static int collect_calls(Parse *p, const Select *s, WindowPlan *wp, const Expr *e, int copy) {
  if (!e || p->rc != LODE_OK) return p->rc;
  if (e->kind == EXPR_FUNCTION && e->over) return add_call(p, s, wp, e, copy);
  if (e->kind == EXPR_FUNCTION) {
    /* An aggregate's arguments are taken row by row, before any window. */
    int exists = 0;
    const FuncDef *f = func_lookup(p->db->funcs, e->text, e->star ? 0 : (e->args ? e->args->n : 0), &exists);
    if (f && (f->flags & FUNC_AGGREGATE))
      for (int i = 0; e->args && i < e->args->n; i++)
        if (misuse_in(p, e->args->items[i])) return p->rc;
  }
  collect_calls(p, s, wp, e->left, copy);
  collect_calls(p, s, wp, e->right, copy);
  collect_calls(p, s, wp, e->escape, copy);
  for (int i = 0; e->args && i < e->args->n; i++) collect_calls(p, s, wp, e->args->items[i], copy);
  return p->rc;
}

static int count_nodes(const Expr *e) {
  int n = 1;
  if (!e) return 0;
  n += count_nodes(e->left) + count_nodes(e->right) + count_nodes(e->escape) + count_nodes(e->filter);
  for (int i = 0; e->args && i < e->args->n; i++) n += count_nodes(e->args->items[i]);
  for (int i = 0; e->agg_order && i < e->agg_order->n; i++) n += count_nodes(e->agg_order->items[i]);
  if (e->over) {
    for (int i = 0; e->over->partition && i < e->over->partition->n; i++)
      n += count_nodes(e->over->partition->items[i]);
    for (int i = 0; i < e->over->norder; i++) n += count_nodes(e->over->order_by[i].expr);
  }
  return n;
}

static int count_calls(const Expr *e) {
  int n = 0;
  if (!e) return 0;
  if (e->kind == EXPR_FUNCTION && e->over) return 1;
  n = count_calls(e->left) + count_calls(e->right) + count_calls(e->escape);
  for (int i = 0; e->args && i < e->args->n; i++) n += count_calls(e->args->items[i]);
  return n;
}

/* ---- building the two queries --------------------------------------------------------- */

/* Appends e to the inner columns, or finds an equal one there: equal
** aggregates must be one call (a single max() decides which row bare
** columns show). */
static int inner_add(Parse *p, WindowPlan *wp, const Expr *e, const char *span, int reuse) {
  ExprList *l = wp->inner;
  if (p->rc != LODE_OK) return 0;
  if (reuse && e->kind != EXPR_NULL && e->kind != EXPR_STAR)
    for (int i = 0; i < l->n; i++)
      if (cg_same_tree(l->items[i], e)) return i;
  if (l->n == wp->inner_cap) {
    cg_error(p, LODE_ERROR, "too many window terms");
    return 0;
  }
  l->items[l->n] = (Expr *)e;
  l->names[l->n] = NULL;
  l->spans[l->n] = span ? span : "";
  return l->n++;
}

static Expr *column_ref(Rewriter *r, int col) {
  Expr *e = alloc(r->p, sizeof *e);
  if (!e) return NULL;
  e->kind = EXPR_COLUMN;
  e->table = r->alias;
  e->text = "?";
  e->n = 1;
  e->bound_column = col + 1;
  return e;
}

static int call_index(const WindowPlan *wp, const Expr *e, int copy) {
  for (int i = 0; i < wp->ncalls; i++)
    if (wp->calls[i].call == e && wp->calls[i].copy == copy) return i;
  return -1;
}

/* Whether e is a call whose result is always JSON text with the JSON
** subtype.  An aggregate window call's arguments wait in the window's rows,
** which keep no subtype: such an argument gets it back when it is stepped,
** so json_group_array(json(x)) OVER (...) nests x as SQLite does. */
static int makes_json(const Expr *e) {
  static const char *const names[] = {"json",       "json_object",  "json_array",      "json_patch",
                                      "json_set",   "json_insert",  "json_replace",    "json_remove",
                                      "json_quote", "json_group_array", "json_group_object", "->"};
  if (e->kind == EXPR_NULL) return 1; /* has no subtype to lose: a CASE branch may be NULL */
  if (e->kind == EXPR_CASE) {
    for (int i = 1; e->args && i < e->args->n; i += 2)
      if (!makes_json(e->args->items[i])) return 0;
    return !e->right || makes_json(e->right);
  }
  if (e->kind != EXPR_FUNCTION || e->over) return 0;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (util_stricmp(e->text, names[i]) == 0) return 1;
  return 0;
}

/* A value's JSON subtype does not survive the sorter: the result of a
** window call that makes JSON text is marked as JSON again (json() of its
** own canonical text), so json_array(json_group_array(x) OVER ()) nests it
** as SQLite does. */
static Expr *json_again(Rewriter *r, const Expr *call, Expr *ref) {
  Expr *f;
  ExprList *args;
  if (!ref || (util_stricmp(call->text, "json_group_array") != 0 && util_stricmp(call->text, "json_group_object") != 0))
    return ref;
  if (!(f = alloc(r->p, sizeof *f)) || !(args = alloc(r->p, sizeof *args)) ||
      !(args->items = alloc(r->p, sizeof(Expr *))))
    return NULL;
  args->n = 1;
  args->items[0] = ref;
  f->kind = EXPR_FUNCTION;
  f->text = "json";
  f->n = 4;
  f->args = args;
  return f;
}

/* e with each window call replaced by its placeholder column and each
** part without one moved into the inner query. */
static Expr *rewrite(Rewriter *r, const Expr *e, const char *span) {
  Expr *d;
  if (!e || r->p->rc != LODE_OK) return NULL;
  if (e->kind == EXPR_FUNCTION && e->over) {
    int col = r->wp->calls[call_index(r->wp, e, r->copy)].result_col;
    if (span) r->wp->inner->spans[col] = span; /* a result that is just the call is named after it */
    return json_again(r, e, column_ref(r, col));
  }
  if (span && e->kind == EXPR_COLLATE && e->left && e->left->kind == EXPR_COLUMN && !first_window_call(e)) {
    /* A result "a COLLATE x" stays one in the outer query, which names it
    ** as SQLite does: by its text, or as the column a in a FROM subquery. */
    if (!(d = alloc(r->p, sizeof *d))) return NULL;
    *d = *e;
    d->left = rewrite(r, e->left, NULL);
    return d;
  }
  if (!first_window_call(e)) return column_ref(r, inner_add(r->p, r->wp, e, span, 1));
  if (!(d = alloc(r->p, sizeof *d))) return NULL;
  *d = *e;
  d->left = rewrite(r, e->left, NULL);
  d->right = rewrite(r, e->right, NULL);
  d->escape = rewrite(r, e->escape, NULL);
  if (e->args) {
    ExprList *l = alloc(r->p, sizeof *l);
    if (!l) return NULL;
    *l = *e->args;
    l->items = alloc(r->p, sizeof(Expr *) * (size_t)e->args->n);
    if (!l->items) return NULL;
    for (int i = 0; i < e->args->n; i++) l->items[i] = rewrite(r, e->args->items[i], NULL);
    d->args = l;
  }
  return d;
}

/* An ORDER BY term that names a result column (a number, or an alias) stays
** as it is: the outer query resolves it against its own results. */
static int names_result(const Select *s, const Expr *e) {
  if (e->kind == EXPR_INTEGER) return 1;
  if (e->kind == EXPR_UNARY && e->left && e->left->kind == EXPR_INTEGER) return 1;
  if (e->kind != EXPR_COLUMN || e->table) return 0;
  for (int i = 0; s->columns->names && i < s->columns->n; i++)
    if (s->columns->names[i] && util_stricmp(s->columns->names[i], e->text) == 0) return 1;
  return 0;
}

/* Whether a name may be a column of an item of s's FROM (a table's; the
** columns of a subquery or view are not looked at here). */
static int from_has_column(Parse *p, const Select *s, const char *name) {
  for (int i = 0; s->from && i < s->from->n; i++) {
    const SrcItem *it = &s->from->items[i];
    const Table *t = it->name && !it->subquery && !it->is_call ? cg_lookup_table(p, it->schema, it->name) : NULL;
    if (t && (table_column_index(t, name) >= 0 || (!t->without_rowid && cg_is_rowid_name(name)))) return 1;
  }
  return 0;
}

typedef struct AliasUse {
  const Select *s;
  const Expr *term; /* the ORDER BY term walked */
} AliasUse;

static int select_names_item(const Select *s, const char *name);

/* Whether a FROM in a subquery of e has an item called name. */
static int expr_names_item(const Expr *e, const char *name) {
  if (!e) return 0;
  if (e->select && select_names_item(e->select, name)) return 1;
  if (expr_names_item(e->left, name) || expr_names_item(e->right, name) || expr_names_item(e->escape, name) ||
      expr_names_item(e->filter, name))
    return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (expr_names_item(e->args->items[i], name)) return 1;
  return 0;
}

static int select_names_item(const Select *s, const char *name) {
  for (; s; s = s->next) {
    for (int i = 0; s->from && i < s->from->n; i++) {
      const SrcItem *it = &s->from->items[i];
      const char *v = it->alias ? it->alias : it->name;
      if ((v && util_stricmp(v, name) == 0) || (it->subquery && select_names_item(it->subquery, name)) ||
          expr_names_item(it->on, name))
        return 1;
    }
    for (int i = 0; s->columns && i < s->columns->n; i++)
      if (expr_names_item(s->columns->items[i], name)) return 1;
    for (int i = 0; s->group_by && i < s->group_by->n; i++)
      if (expr_names_item(s->group_by->items[i], name)) return 1;
    for (int i = 0; i < s->norder; i++)
      if (expr_names_item(s->order_by[i].expr, name)) return 1;
    if (expr_names_item(s->where, name) || expr_names_item(s->having, name)) return 1;
  }
  return 0;
}

/* Qualifies each column of a copied alias expression by the one item of
** s's FROM (a table) that has it, unless a FROM inside term has an item of
** that name; 0 when one cannot be so qualified, or e is not a plain
** expression of columns (a subquery, an aggregate or a window call). */
static int qualify_alias_copy(Parse *p, const Select *s, const Expr *term, Expr *e) {
  if (!e) return 1;
  if (e->select || e->over || e->kind == EXPR_STAR || (e->kind == EXPR_FUNCTION && cg_expr_has_aggregate(p, e)))
    return 0;
  if (e->kind == EXPR_COLUMN) {
    if (e->schema) return 0;
    const char *owner = NULL;
    for (int i = 0; s->from && i < s->from->n; i++) {
      const SrcItem *it = &s->from->items[i];
      const char *v = it->alias ? it->alias : it->name;
      if (e->table && (!v || util_stricmp(v, e->table) != 0)) continue;
      const Table *t = it->name && !it->subquery && !it->is_call ? cg_lookup_table(p, it->schema, it->name) : NULL;
      if (!t || (table_column_index(t, e->text) < 0 && !(!t->without_rowid && cg_is_rowid_name(e->text)))) {
        if (!t) return 0; /* a view or subquery: its columns are not known here */
        continue;
      }
      if (owner) return 0;
      owner = v;
    }
    if (!owner || expr_names_item(term, owner)) return 0;
    e->table = owner;
    return 1;
  }
  if (!qualify_alias_copy(p, s, term, e->left) || !qualify_alias_copy(p, s, term, e->right) ||
      !qualify_alias_copy(p, s, term, e->escape))
    return 0;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (!qualify_alias_copy(p, s, term, e->args->items[i])) return 0;
  return 1;
}

/* A bare name in a subquery of an ORDER BY term, which no FROM between
** has: SQLite finds it among the result aliases, and refuses one that
** holds a window call there.  The subquery is computed by the inner query,
** whose results do not see the aliases: a plain alias is put in its place
** there, its columns qualified by the tables they are read from. */
static void window_alias_in_subquery(Parse *p, void *ctx, const Expr *name) {
  const AliasUse *u = ctx;
  const Select *s = u->s;
  if (p->rc != LODE_OK || !s->columns->names || from_has_column(p, s, name->text)) return;
  for (int i = 0; i < s->columns->n; i++)
    if (s->columns->names[i] && util_stricmp(s->columns->names[i], name->text) == 0) {
      if (cg_first_window_call(s->columns->items[i])) {
        cg_error(p, LODE_ERROR, "misuse of aliased window function %s", s->columns->names[i]);
        return;
      }
      Expr *copy = ast_copy_expr(&p->arena, s->columns->items[i]);
      if (!copy) {
        cg_error(p, LODE_NOMEM, "out of memory");
        return;
      }
      if (qualify_alias_copy(p, s, u->term, copy)) *(Expr *)name = *copy; /* in place, as expr.c's outer_alias */
      return;
    }
}

/* An ORDER BY expression with the names in it that are aliases of results
** replaced by those results (the same nodes, so that window calls are the
** results' own): SQLite looks a name of an ORDER BY expression up in FROM
** first, then among the result aliases.  The inner query, which computes
** the expression, could not: a window call is no value there, and it does
** not see the outer query's aliases. */
static const Expr *window_aliases(Parse *p, const Select *s, const Expr *e) {
  if (!e || p->rc != LODE_OK) return e;
  if (e->kind == EXPR_COLUMN) {
    if (e->table || !s->columns->names || from_has_column(p, s, e->text)) return e;
    for (int i = 0; i < s->columns->n; i++)
      if (s->columns->names[i] && util_stricmp(s->columns->names[i], e->text) == 0)
        return s->columns->items[i]->kind == EXPR_STAR ? e : s->columns->items[i];
    return e;
  }
  if (e->select || e->over) return e;
  const Expr *l = window_aliases(p, s, e->left), *r = window_aliases(p, s, e->right);
  const Expr *x = window_aliases(p, s, e->escape);
  int changed = l != e->left || r != e->right || x != e->escape;
  const Expr **args = NULL;
  if (e->args && e->args->n) {
    if (!(args = alloc(p, sizeof(Expr *) * (size_t)e->args->n))) return e;
    for (int i = 0; i < e->args->n; i++) {
      args[i] = window_aliases(p, s, e->args->items[i]);
      changed |= args[i] != e->args->items[i];
    }
  }
  if (!changed) return e;
  Expr *d = alloc(p, sizeof *d);
  ExprList *list = e->args ? alloc(p, sizeof *list) : NULL;
  if (!d || (e->args && !list)) return e;
  *d = *e;
  d->left = (Expr *)l;
  d->right = (Expr *)r;
  d->escape = (Expr *)x;
  if (list) {
    *list = *e->args;
    list->items = (Expr **)args;
    d->args = list;
  }
  return d;
}

static int order_is_key_prefix(const Select *s, const Window *w) {
  int npart = w->partition ? w->partition->n : 0;
  if (s->norder > npart + w->norder) return 0;
  for (int i = 0; i < s->norder; i++) {
    const OrderTerm *o = &s->order_by[i];
    if (names_result(s, o->expr) || first_window_call(o->expr)) return 0;
    if (i < npart) {
      if (o->desc || o->nulls == 2 || !cg_same_tree(o->expr, w->partition->items[i])) return 0;
    } else {
      const OrderTerm *k = &w->order_by[i - npart];
      int nl_o = o->nulls ? o->nulls == 2 : o->desc, nl_k = k->nulls ? k->nulls == 2 : k->desc;
      if (o->desc != k->desc || nl_o != nl_k || !cg_same_tree(o->expr, k->expr)) return 0;
    }
  }
  return 1;
}

/* An ORDER BY term that names a result column holding window calls (by its
** number, its alias, or as the same expression) sorts by SQLite's copy of
** those calls: the copy is resolved after the results, never shares the
** first window's pass, and the output column shows the copy's value (SQLite
** reads such a column back from the sort key); not with DISTINCT.  Returns
** the column, or -1. */
static int same_call_expr(const Expr *a, const Expr *b);

static int same_call_list(const ExprList *a, const ExprList *b) {
  if (!a || !b) return !a && !b;
  if (a->n != b->n) return 0;
  for (int i = 0; i < a->n; i++)
    if (!same_call_expr(a->items[i], b->items[i])) return 0;
  return 1;
}

static int same_window_text(const Window *a, const Window *b) {
  if (!a || !b) return !a && !b;
  return same_text(a->base, b->base) && a->is_ref == b->is_ref && same_list(a->partition, b->partition) &&
         a->norder == b->norder && same_order(a->order_by, b->order_by, a->norder) && a->frame_type == b->frame_type &&
         a->start_kind == b->start_kind && a->end_kind == b->end_kind && a->exclude == b->exclude &&
         cg_same_tree(a->start, b->start) && cg_same_tree(a->end, b->end);
}

/* same_expr, window calls included. */
static int same_call_expr(const Expr *a, const Expr *b) {
  if (!a || !b) return !a && !b;
  if (!a->over && !b->over && !first_window_call(a) && !first_window_call(b)) return cg_same_tree(a, b);
  if (a->kind != b->kind || a->op != b->op || a->negated != b->negated || a->distinct != b->distinct ||
      a->star != b->star || !same_text(a->text, b->text) || !same_text(a->table, b->table))
    return 0;
  if (a->kind == EXPR_INTEGER && a->ival != b->ival) return 0;
  if (!same_window_text(a->over, b->over) || !cg_same_tree(a->filter, b->filter)) return 0;
  return same_call_expr(a->left, b->left) && same_call_expr(a->right, b->right) &&
         same_call_expr(a->escape, b->escape) && same_call_list(a->args, b->args);
}

static int result_named(Parse *p, const Select *s, const Expr *e) {
  int64_t v = 0;
  (void)p;
  if (e->kind == EXPR_INTEGER) v = e->ival;
  else if (e->kind == EXPR_UNARY && e->left && e->left->kind == EXPR_INTEGER)
    v = e->op == TK_MINUS ? -e->left->ival : e->left->ival;
  if (v) { /* a column number counts the columns * stands for: only those before the first * are known here */
    if (v < 1 || v > s->columns->n) return -1;
    for (int i = 0; i < v; i++)
      if (s->columns->items[i]->kind == EXPR_STAR) return -1;
    return (int)v - 1;
  }
  if (e->kind == EXPR_COLUMN && !e->table)
    for (int i = 0; s->columns->names && i < s->columns->n; i++)
      if (s->columns->names[i] && util_stricmp(s->columns->names[i], e->text) == 0) return i;
  if (!first_window_call(e)) return -1;
  for (int i = 0; i < s->columns->n; i++)
    if (same_call_expr(e, s->columns->items[i])) return i;
  return -1;
}

/* The inner query delivers its rows in the first pass's order, as SQLite
** has it do: the planner may take that order from an index, and the pass
** then finds its rows sorted.  Its ORDER BY names the key columns by number,
** so that an aggregate in the key is not one more aggregate call. */
static void inner_order(Parse *p, WindowPlan *wp, Select *inner) {
  const WinGroup *g = &wp->groups[wp->pass[0]];
  const Window *w = g->win;
  int npart = w->partition ? w->partition->n : 0, n = npart + w->norder;
  OrderTerm *o;
  inner->norder = 0;
  inner->order_by = NULL;
  if (n == 0 || !(o = alloc(p, sizeof(OrderTerm) * (size_t)n))) return;
  for (int i = 0; i < n; i++) {
    Expr *num = alloc(p, sizeof *num);
    char *text = alloc(p, 16);
    if (!num || !text) return;
    if (i >= npart) o[i] = w->order_by[i - npart];
    snprintf(text, 16, "%d", g->key_col + i + 1);
    num->kind = EXPR_INTEGER;
    num->text = text;
    num->n = (int)strlen(text);
    num->ival = g->key_col + i + 1;
    o[i].expr = num;
  }
  inner->order_by = o;
  inner->norder = n;
  wp->inner_sorted = 1;
}

static int needs_sort(const Window *w);

/* A LIMIT or OFFSET written as a small non-negative integer: its value, else -1. */
static int64_t literal_count(const Expr *e) {
  if (!e || e->kind != EXPR_INTEGER || e->n > 12 || e->ival < 0) return -1;
  return e->ival;
}

/* Whether each call's value on a row depends only on that row and the rows
** before it in the partition: then the first k rows of the inner query give
** the first k result rows.  So: row_number, rank, dense_rank, lag back by a
** literal, and aggregates and first/nth/last_value over ROWS frames that end
** at the current row or before it. */
static int values_need_no_later_rows(const WindowPlan *wp) {
  for (int i = 0; i < wp->ncalls; i++) {
    const WinCall *c = &wp->calls[i];
    const Window *w = c->win;
    switch (c->kind) {
    case WINFN_ROW_NUMBER:
    case WINFN_RANK:
    case WINFN_DENSE_RANK: continue;
    case WINFN_LAG: /* a negative or computed offset looks ahead */
      if (c->call->args->n < 2 || literal_count(c->call->args->items[1]) >= 0) continue;
      return 0;
    case WINFN_AGGREGATE:
    case WINFN_FIRST_VALUE:
    case WINFN_NTH_VALUE:
    case WINFN_LAST_VALUE:
      if (frame_type(w) == TK_ROWS && (end_kind(w) == FRAME_CURRENT_ROW || end_kind(w) == FRAME_PRECEDING)) continue;
      return 0;
    default: return 0;
    }
  }
  return 1;
}

/* SELECT ... LIMIT n [OFFSET k] over windows whose values need no later
** rows, returning its rows in the order the passes leave them (no ORDER BY
** or DISTINCT of its own; one window, or several that do not sort): the
** inner query need only produce n + k rows, so a LIMIT stops it (a recursive
** CTE or a large scan) early. */
static void limit_inner(Parse *p, const WindowPlan *wp, const Select *outer, Select *inner) {
  int64_t n = literal_count(outer->limit), k = outer->offset ? literal_count(outer->offset) : 0;
  Expr *lim;
  char *text;
  if (outer->distinct || outer->norder || n < 1 || k < 0 || !values_need_no_later_rows(wp)) return;
  /* Several passes keep the inner query's order only when none sorts. */
  for (int g = 0; wp->ngroups > 1 && g < wp->ngroups; g++)
    if (needs_sort(wp->groups[g].win)) return;
  if (!(lim = alloc(p, sizeof *lim)) || !(text = alloc(p, 32))) return;
  lim->kind = EXPR_INTEGER;
  lim->ival = n + k;
  lim->n = snprintf(text, 32, "%lld", (long long)lim->ival);
  lim->text = text;
  inner->limit = lim;
}

/* The GROUP BY list with each result column number ("GROUP BY 1") replaced
** by the result it names: the inner query's own columns, which window keys
** and arguments come first in, are not the ones the number counts.  A number
** at or past a "*" result is left as it is (the star's columns are not known
** here); NULL after an error. */
static ExprList *group_numbers_resolved(Parse *p, const Select *s) {
  ExprList *g = s->group_by, *out = NULL;
  int first_star = s->columns->n;
  for (int i = s->columns->n - 1; i >= 0; i--)
    if (s->columns->items[i]->kind == EXPR_STAR) first_star = i;
  for (int i = 0; g && i < g->n; i++) {
    const Expr *e = g->items[i], *base = e->kind == EXPR_COLLATE ? e->left : e;
    int64_t v;
    if (!cg_term_number(base, &v)) continue;
    if (first_star < s->columns->n && (v < 1 || v > first_star)) continue; /* counted with the star's columns */
    if (v < 1 || v > s->columns->n) {
      cg_error(p, LODE_ERROR, "%d%s GROUP BY term out of range - should be between 1 and %d", i + 1,
               cg_ordinal_suffix(i + 1), s->columns->n);
      return NULL;
    }
    if (!out) {
      if (!(out = alloc(p, sizeof *out)) || !(out->items = alloc(p, sizeof(Expr *) * (size_t)g->n))) return NULL;
      *out = (ExprList){.n = g->n, .items = out->items};
      memcpy(out->items, g->items, sizeof(Expr *) * (size_t)g->n);
    }
    Expr *named = s->columns->items[v - 1];
    if (e->kind == EXPR_COLLATE) { /* "1 COLLATE x" groups the result in collation x */
      Expr *c = alloc(p, sizeof *c);
      if (!c) return NULL;
      *c = *e;
      c->left = named;
      named = c;
    }
    out->items[i] = named;
  }
  return out ? out : g;
}

/* Window group g's PARTITION BY and ORDER BY values as inner columns. */
static void add_key_columns(Parse *p, WindowPlan *wp, int g) {
  const Window *w = wp->groups[g].win;
  wp->groups[g].key_col = wp->inner->n;
  for (int i = 0; w->partition && i < w->partition->n; i++) inner_add(p, wp, w->partition->items[i], NULL, 0);
  for (int i = 0; i < w->norder; i++) inner_add(p, wp, w->order_by[i].expr, NULL, 0);
}

static void first_owned_call(Parse *p, void *ctx, const Expr *call, int in_where) {
  const Expr **first = ctx;
  (void)p;
  (void)in_where;
  if (!*first) *first = call;
}

/* An aggregate of s written in a subquery of its results or ORDER BY: a
** query with window functions has no place to compute it (SQLite's message;
** HAVING's are computed, as in any aggregate query). */
static int misplaced_own_aggregate(Parse *p, const Select *s) {
  const Expr *call = NULL;
  for (int i = 0; i < s->columns->n && !call; i++)
    cg_own_calls_before_from(p, s, s->columns->items[i], first_owned_call, &call);
  for (int i = 0; i < s->norder && !call; i++)
    cg_own_calls_before_from(p, s, s->order_by[i].expr, first_owned_call, &call);
  if (call) cg_error_at(p, call, LODE_ERROR, "misuse of aggregate: %s()", call->text);
  return call != NULL;
}

/* The first aggregate call of this query in e, looked for in window calls'
** arguments and inline window definitions too. */
static const Expr *any_aggregate(Parse *p, const Expr *e) {
  if (!e) return NULL;
  if (e->kind == EXPR_FUNCTION && !e->over && cg_first_aggregate(p, e) == e) return e;
  const Expr *found = any_aggregate(p, e->left);
  if (!found) found = any_aggregate(p, e->right);
  for (int i = 0; !found && e->args && i < e->args->n; i++) found = any_aggregate(p, e->args->items[i]);
  const Window *w = e->kind == EXPR_FUNCTION ? e->over : NULL;
  if (!w || w->is_ref) return found;
  for (int i = 0; !found && w->partition && i < w->partition->n; i++) found = any_aggregate(p, w->partition->items[i]);
  for (int i = 0; !found && i < w->norder; i++) found = any_aggregate(p, w->order_by[i].expr);
  return found;
}

/* An aggregate in the ORDER BY of a query that its results and GROUP BY do
** not make an aggregate one: SQLite's message, as without windows. */
static int misplaced_order_aggregate(Parse *p, const Select *s) {
  if (s->group_by) return 0;
  for (int i = 0; i < s->columns->n; i++)
    if (any_aggregate(p, s->columns->items[i])) return 0;
  for (int i = 0; i < s->norder; i++) {
    const Expr *call = any_aggregate(p, s->order_by[i].expr);
    if (call) {
      cg_error_at(p, call, LODE_ERROR, "misuse of aggregate: %s()", call->text);
      return 1;
    }
  }
  return 0;
}

void cg_window_select(Parse *p, const Select *s, SelectDest *dest) {
  int ncalls = 0, cap = 0, *copied; /* ncalls: room for the calls, ORDER BY copies included */
  WindowPlan *wp;
  Rewriter r;
  Select *inner, *outer;
  for (int i = 0; i < s->columns->n; i++) ncalls += 2 * count_calls(s->columns->items[i]);
  for (int i = 0; i < s->norder; i++) ncalls += count_calls(s->order_by[i].expr);
  if (!(wp = alloc(p, sizeof *wp)) || !(wp->calls = alloc(p, sizeof(WinCall) * (size_t)ncalls)) ||
      !(wp->groups = alloc(p, sizeof(WinGroup) * (size_t)ncalls)))
    return;
  for (int i = 0; i < s->columns->n; i++) collect_calls(p, s, wp, s->columns->items[i], 0);
  /* After the results, as SQLite resolves them: window calls elsewhere. */
  if (p->rc != LODE_OK || (s->where && misuse_in(p, s->where)) || misplaced_own_aggregate(p, s)) return;
  ExprList *group_by = group_numbers_resolved(p, s);
  if (p->rc != LODE_OK) return;
  for (int i = 0; group_by && i < group_by->n; i++)
    if (misuse_in(p, group_by->items[i])) return;
  if (s->having && misuse_in(p, s->having)) return;
  if (misplaced_order_aggregate(p, s)) return;
  if (!(copied = alloc(p, sizeof(int) * (size_t)s->columns->n))) return;
  for (int i = 0; i < s->norder; i++) {
    int res = s->distinct ? -1 : result_named(p, s, s->order_by[i].expr); /* DISTINCT: SQLite makes no copy */
    if (res < 0) {
      collect_calls(p, s, wp, s->order_by[i].expr, 0);
    } else if (!copied[res] && first_window_call(s->columns->items[res])) {
      copied[res] = 1;
      collect_calls(p, s, wp, s->columns->items[res], 1);
    }
  }
  if (p->rc != LODE_OK) return;
  /* SQLite's order of passes: from the last window to the first. */
  if (!(wp->pass = alloc(p, sizeof(int) * (size_t)(wp->ngroups ? wp->ngroups : 1)))) return;
  for (int g = 0; g < wp->ngroups; g++) wp->pass[g] = wp->ngroups - 1 - g;

  /* Room for every inner column: at most one per node of the results and
  ** ORDER BY (window definitions included), and one per named window term. */
  cap = 8 + s->columns->n;
  for (int i = 0; i < s->columns->n; i++) cap += count_nodes(s->columns->items[i]);
  for (int i = 0; i < s->norder; i++) cap += count_nodes(s->order_by[i].expr);
  for (int g = 0; g < wp->ngroups; g++)
    cap += (wp->groups[g].win->partition ? wp->groups[g].win->partition->n : 0) + wp->groups[g].win->norder;
  wp->inner_cap = cap;
  {
    ExprList *l = alloc(p, sizeof *l);
    if (!l || !(l->items = alloc(p, sizeof(Expr *) * (size_t)cap)) ||
        !(l->names = alloc(p, sizeof(char *) * (size_t)cap)) || !(l->spans = alloc(p, sizeof(char *) * (size_t)cap)))
      return;
    wp->inner = l;
  }
  wp->id = p->nselect + 1 + p->nwindows; /* SQLite numbers them after the statement's own */
  p->nwindows += wp->ngroups;
  {
    char *name = alloc(p, 32);
    if (!name) return;
    snprintf(name, 32, "(subquery-%d)", wp->id);
    wp->alias = name;
  }
  r.p = p;
  r.wp = wp;
  r.alias = wp->alias;
  r.copy = 0;
  /* The first pass's key columns lead: the inner query's ORDER BY sorts by
  ** them, and when its sorter's records are then the inner rows as they
  ** are, the pass reads that sorter rather than a copy of it. */
  if (wp->ngroups) add_key_columns(p, wp, wp->pass[0]);
  for (int i = 0; i < wp->ncalls; i++) {
    Expr *null_expr = alloc(p, sizeof *null_expr); /* the placeholder: its pass fills it in */
    if (!null_expr) return;
    null_expr->kind = EXPR_NULL;
    wp->calls[i].result_col = inner_add(p, wp, null_expr, NULL, 0);
  }
  for (int g = 0; g < wp->ngroups; g++)
    if (g != wp->pass[0]) add_key_columns(p, wp, g);
  for (int i = 0; i < wp->ncalls; i++) {
    WinCall *c = &wp->calls[i];
    c->arg_col = wp->inner->n;
    for (int j = 0; !c->call->star && c->call->args && j < c->call->args->n; j++)
      inner_add(p, wp, c->call->args->items[j], NULL, 0);
    c->filter_col = c->call->filter ? inner_add(p, wp, c->call->filter, NULL, 0) : -1;
  }

  /* The outer query. */
  if (!(outer = alloc(p, sizeof *outer)) || !(inner = alloc(p, sizeof *inner))) return;
  *inner = *s;
  inner->group_by = group_by;
  inner->distinct = 0;
  inner_order(p, wp, inner);
  inner->limit = inner->offset = NULL;
  inner->with = NULL;
  inner->columns = wp->inner;
  inner->aliases_of = s;
  inner->next = NULL;
  inner->compound_op = 0;
  outer->distinct = s->distinct;
  outer->limit = s->limit;
  outer->offset = s->offset;
  {
    ExprList *cols = alloc(p, sizeof *cols);
    if (!cols || !(cols->items = alloc(p, sizeof(Expr *) * (size_t)s->columns->n)) ||
        !(cols->names = alloc(p, sizeof(char *) * (size_t)s->columns->n)) ||
        !(cols->spans = alloc(p, sizeof(char *) * (size_t)s->columns->n)) ||
        !(wp->star_inner = alloc(p, sizeof(int) * (size_t)s->columns->n)) ||
        !(wp->star_outer = alloc(p, sizeof(int) * (size_t)s->columns->n)))
      return;
    cols->n = s->columns->n;
    for (int i = 0; i < s->columns->n; i++) {
      const Expr *e = s->columns->items[i];
      cols->names[i] = s->columns->names ? s->columns->names[i] : NULL;
      cols->spans[i] = s->columns->spans ? s->columns->spans[i] : "";
      if (e->kind == EXPR_STAR) {
        cols->items[i] = (Expr *)e; /* replaced by the columns it stands for once the inner query is coded */
        wp->star_outer[wp->nstars++] = i;
        continue;
      }
      r.copy = copied[i];
      cols->items[i] = rewrite(&r, e, cols->spans[i]);
      r.copy = 0;
      /* An expression moved whole into the inner query is read back as a
      ** column of it, which an equal window key or result may have made and
      ** named: the result keeps the name its own text gives it. */
      const Expr *ref = cols->items[i];
      if (!cols->names[i] && ref && ref->kind == EXPR_COLUMN && ref->bound_column && e->kind != EXPR_COLUMN &&
          !(e->kind == EXPR_FUNCTION && e->over))
        cols->names[i] = cols->spans[i];
    }
    outer->columns = cols;
    wp->outer = cols;
  }
  if (s->norder) {
    if (!(outer->order_by = alloc(p, sizeof(OrderTerm) * (size_t)s->norder))) return;
    outer->norder = s->norder;
    for (int i = 0; i < s->norder; i++) {
      const Expr *e = s->order_by[i].expr;
      outer->order_by[i] = s->order_by[i];
      AliasUse use = {s, e};
      cg_subquery_outer_names(p, e, window_alias_in_subquery, &use);
      if (p->rc != LODE_OK) return;
      if (names_result(s, e)) continue;
      int res = s->distinct ? -1 : result_named(p, s, e);
      if (res >= 0 && copied[res]) { /* sorts by that result column, which shows the copy */
        r.copy = 1;
        outer->order_by[i].expr = rewrite(&r, s->columns->items[res], NULL);
        r.copy = 0;
        continue;
      }
      if (e->kind == EXPR_COLLATE) { /* the collation applies to the outer sort */
        Expr *c = alloc(p, sizeof *c);
        if (!c) return;
        *c = *e;
        c->left = rewrite(&r, window_aliases(p, s, e->left), NULL);
        outer->order_by[i].expr = c;
      } else {
        outer->order_by[i].expr = rewrite(&r, window_aliases(p, s, e), NULL);
      }
    }
  }
  /* Rows leave the last pass sorted by its window's key: an ORDER BY that
  ** is a prefix of that key needs no sort of its own (as in SQLite). */
  if (s->norder && order_is_key_prefix(s, wp->groups[0].win)) outer->norder = 0;
  limit_inner(p, wp, outer, inner);
  for (int k = 0; k < wp->nstars; k++)
    wp->star_inner[k] = inner_add(p, wp, s->columns->items[wp->star_outer[k]], NULL, 0);
  if (p->rc != LODE_OK) return;
  if (!(outer->from = alloc(p, sizeof(SrcList))) || !(outer->from->items = alloc(p, sizeof(SrcItem)))) return;
  outer->from->n = 1;
  outer->from->items[0].subquery = inner;
  outer->from->items[0].alias = wp->alias;
  outer->from->items[0].window_plan = wp;
  cg_select(p, outer, dest);
}

/* ---- running the passes ------------------------------------------------------------- */

static VdbeWindow *pass_of(Parse *p, const WindowPlan *wp, int g, const SelectDest *d) {
  const Window *w = wp->groups[g].win;
  int npart = w->partition ? w->partition->n : 0, nkey = npart + w->norder, nf = 0;
  VdbeWindow *vw = util_zalloc(sizeof *vw);
  for (int i = 0; i < wp->ncalls; i++) nf += wp->calls[i].group == g;
  if (!vw || !(vw->key_col = util_zalloc(sizeof(int) * (size_t)(nkey ? nkey : 1))) ||
      !(vw->key = keyinfo_new(nkey)) || !(vw->funcs = util_zalloc(sizeof(VdbeWinFunc) * (size_t)(nf ? nf : 1)))) {
    vdbe_window_free(vw);
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  vw->ncols = d->ncols;
  vw->npart = npart;
  vw->norder = w->norder;
  for (int k = 0; k < nkey; k++) {
    int col = wp->groups[g].key_col + k, coll = d->colls ? d->colls[col] : -1;
    vw->key_col[k] = col;
    vw->key->coll[k] = (uint8_t)(coll >= 0 ? coll : COLL_BINARY);
    if (k >= npart) {
      const OrderTerm *t = &w->order_by[k - npart];
      vw->key->desc[k] = (uint8_t)t->desc;
      vw->key->nulls_last[k] = (uint8_t)(t->nulls ? t->nulls == 2 : t->desc);
    }
  }
  vw->frame_type = frame_type(w) == TK_ROWS ? WIN_ROWS : frame_type(w) == TK_GROUPS ? WIN_GROUPS : WIN_RANGE;
  vw->start_kind = start_kind(w);
  vw->end_kind = end_kind(w);
  vw->exclude = w->frame_type && w->exclude != EXCLUDE_NO_OTHERS_WRITTEN ? w->exclude : WIN_EXCLUDE_NONE;
  for (int i = 0; i < wp->ncalls; i++) {
    const WinCall *c = &wp->calls[i];
    VdbeWinFunc *f;
    if (c->group != g) continue;
    f = &vw->funcs[vw->nfunc++];
    f->kind = c->kind;
    f->func = c->func;
    f->nargs = c->call->star ? 0 : (c->call->args ? c->call->args->n : 0);
    f->arg_col = c->arg_col;
    f->filter_col = c->filter_col;
    f->result_col = c->result_col;
    f->coll = COLL_BINARY;
    if (c->func && (c->func->flags & FUNC_SUBTYPE_ARGS)) {
      f->subtype = FUNC_JSON_SUBTYPE;
      for (int j = 0; j < f->nargs && j < 32; j++)
        if (makes_json(c->call->args->items[j])) f->subtype_args |= 1u << j;
    }
    for (int j = 0; d->colls && j < f->nargs; j++)
      if (d->colls[c->arg_col + j] >= 0) {
        f->coll = d->colls[c->arg_col + j];
        break;
      }
  }
  return vw;
}

/* Plan text: the inner query and each pass but the last nest as SQLite's
** co-routines do. */
static void explain_passes(Parse *p, const WindowPlan *wp, int *parents) {
  for (int k = 0; k < wp->ngroups; k++) {
    parents[k] = p->explain_parent;
    p->explain_parent = cg_explain_step(p, "CO-ROUTINE (subquery-%d)", wp->id + k);
  }
}

/* TRUE and FALSE (and a "string" in double quotes) parse as names but are
** literals where no column has that name. */
static int names_column(Parse *p, const Expr *e) {
  if (!e) return 0;
  if (e->kind == EXPR_COLUMN) return !cg_column_is_literal(p, e);
  if (names_column(p, e->left) || names_column(p, e->right) || names_column(p, e->escape)) return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (names_column(p, e->args->items[i])) return 1;
  return 0;
}

/* A frame offset, evaluated once before the passes.  One that names a
** column has no row to read it from: it is NULL, which the pass rejects
** (when there are rows) as SQLite does. */
static int offset_reg(Parse *p, const Expr *e) {
  int r;
  if (!names_column(p, e)) return cg_expr_reg(p, e);
  r = cg_reg(p);
  cg_op(p, OP_Null, 0, r, 0);
  return r;
}

static int needs_sort(const Window *w) { return (w->partition && w->partition->n) || w->norder; }

int cg_window_open_source(Parse *p, const SrcItem *src, ScopeItem *item) {
  WindowPlan *wp = src->window_plan;
  SelectDest dest;
  int parent = p->explain_parent;
  int *parents = alloc(p, sizeof(int) * (size_t)wp->ngroups);
  if (!parents) return 0;
  int sorter = cg_sorter_dest(p, &dest);
  if (sorter < 0) return 0;
  dest.take_sorted = wp->inner_sorted;
  explain_passes(p, wp, parents);
  cg_select(p, src->subquery, &dest);
  if (p->rc != LODE_OK) return 0;
  sorter = dest.cursor; /* the inner query's ORDER BY sorter, when it handed that over */
  for (int n = 0; n < wp->ngroups; n++) {
    int g = wp->pass[n];
    const Window *w = wp->groups[g].win;
    int start = 0, end = 0;
    if (needs_sort(w) && !(n == 0 && wp->inner_sorted)) cg_explain_step(p, "USE TEMP B-TREE FOR ORDER BY");
    if (n + 1 < wp->ngroups) { /* the next pass reads this one's rows */
      p->explain_parent = parents[wp->ngroups - 1 - n];
      cg_explain_step(p, "SCAN (subquery-%d)", wp->id + wp->ngroups - 1 - n);
    }
    if (w->start) start = offset_reg(p, w->start);
    if (w->end) end = offset_reg(p, w->end);
    VdbeWindow *vw = pass_of(p, wp, g, &dest);
    if (!vw) return 0;
    int addr = vdbe_add_op4(p->v, OP_Window, sorter, start, end, P4_WINDOW, vw, 0);
    if (addr < 0) return cg_error(p, LODE_NOMEM, "out of memory"), 0;
    /* The last pass is read by the outer query; the first has the inner query's order. */
    vdbe_set_p5(p->v, addr, (n + 1 == wp->ngroups ? WINDOW_ROWS_ON_DEMAND : 0) |
                                (n == 0 && wp->inner_sorted ? WINDOW_INPUT_SORTED : 0));
  }
  p->explain_parent = parent;
  if (!cg_subquery_table(p, &dest, wp->alias, item, sorter)) return 0;
  /* Columns keep the names and collations they had inside. */
  for (int j = 0; j < dest.ncols; j++) {
    if (dest.names && dest.names[j]) item->table->cols[j].name = (char *)dest.names[j];
    if (dest.colls && dest.colls[j] >= 0) item->table->cols[j].coll = dest.colls[j];
  }
  /* Each * of the results stands for the columns its inner * gave. */
  if (wp->nstars) {
    ExprList *o = wp->outer;
    if (!dest.item_first) return cg_error(p, LODE_NOMEM, "out of memory"), 0;
    int n = o->n;
    for (int k = 0; k < wp->nstars; k++) {
      int i = wp->star_inner[k];
      n += (i + 1 < wp->inner->n ? dest.item_first[i + 1] : dest.ncols) - dest.item_first[i] - 1;
    }
    Expr **items = alloc(p, sizeof(Expr *) * (size_t)n);
    const char **names = alloc(p, sizeof(char *) * (size_t)n), **spans = alloc(p, sizeof(char *) * (size_t)n);
    if (!items || !names || !spans) return 0;
    Rewriter r = {p, wp, wp->alias, 0};
    int out = 0, star = 0;
    for (int i = 0; i < o->n; i++) {
      if (star < wp->nstars && wp->star_outer[star] == i) {
        int in = wp->star_inner[star++];
        int last = in + 1 < wp->inner->n ? dest.item_first[in + 1] : dest.ncols;
        for (int c = dest.item_first[in]; c < last; c++) {
          items[out] = column_ref(&r, c);
          names[out] = dest.names ? dest.names[c] : "";
          spans[out++] = dest.names ? dest.names[c] : "";
        }
        continue;
      }
      items[out] = o->items[i];
      names[out] = o->names[i];
      spans[out++] = o->spans[i];
    }
    o->items = items;
    o->names = names;
    o->spans = spans;
    o->n = out;
  }
  return 1;
}

/* ---- numbering for plan text -------------------------------------------------------- */

static int count_in_select(const Select *s);

static int count_in_expr(const Expr *e) {
  int n = 0;
  if (!e) return 0;
  n += count_in_expr(e->left) + count_in_expr(e->right) + count_in_expr(e->escape) + count_in_expr(e->filter);
  for (int i = 0; e->args && i < e->args->n; i++) n += count_in_expr(e->args->items[i]);
  for (int i = 0; e->agg_order && i < e->agg_order->n; i++) n += count_in_expr(e->agg_order->items[i]);
  if (e->over) {
    for (int i = 0; e->over->partition && i < e->over->partition->n; i++)
      n += count_in_expr(e->over->partition->items[i]);
    for (int i = 0; i < e->over->norder; i++) n += count_in_expr(e->over->order_by[i].expr);
  }
  return n + count_in_select(e->select);
}

static int count_in_list(const ExprList *l) {
  int n = 0;
  for (int i = 0; l && i < l->n; i++) n += count_in_expr(l->items[i]);
  return n;
}

static int count_in_select(const Select *s) {
  int n = 0;
  for (; s; s = s->next) {
    n++;
    n += count_in_list(s->columns) + count_in_expr(s->where) + count_in_list(s->group_by) + count_in_expr(s->having);
    for (int i = 0; i < s->norder; i++) n += count_in_expr(s->order_by[i].expr);
    for (int i = 0; s->from && i < s->from->n; i++)
      n += count_in_select(s->from->items[i].subquery) + count_in_expr(s->from->items[i].on);
    for (int i = 0; s->with && i < s->with->n; i++) n += count_in_select(s->with->ctes[i].select);
  }
  return n;
}

int cg_count_selects(const Stmt *st) {
  int n = count_in_select(st->select) + count_in_select(st->insert_select) + count_in_expr(st->where) +
          count_in_list(st->returning);
  for (int i = 0; i < st->nset; i++) n += count_in_expr(st->set[i].value);
  return n;
}
