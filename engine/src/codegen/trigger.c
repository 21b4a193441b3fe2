/*
** trigger.c — triggers: CREATE TRIGGER and DROP TRIGGER, the triggers a row
** change fires, their programs, and INSERT/UPDATE/DELETE on a view through
** its INSTEAD OF triggers.
**
** A trigger's body is compiled into a program of its own (a sub-program,
** owned by the statement's program), once per statement and conflict action:
** the statement codes an OP_Program per trigger and row, which runs the
** sub-program in a new frame (vdbe_frame.c).  Its first ops copy the OLD and
** NEW rows from the caller's register block (OP_Param) into its own
** registers, which the names old.x and new.x then read (a scope item that
** only qualified names reach).  Since a frame has registers of its own, a
** trigger may fire itself: with PRAGMA recursive_triggers off, OP_Program
** (p5) skips a trigger that is already running, as SQLite does.
**
** The register block a statement fills for each row (cg_trigger_block):
**     block + 0             OLD rowid
**     block + 1 ..          OLD columns (ncols)
**     block + ncols + 1     NEW rowid
**     block + ncols + 2 ..  NEW columns
** The order triggers fire in is SQLite's: for one event and timing, the
** newest trigger first.
*/
#include <limits.h>
#include <string.h>

#include "codegen/cg.h"
#include "sql/parser.h"

/* A trigger program compiled for this statement. */
struct TriggerProgram {
  const Trigger *trigger;
  int on_conflict;
  Vdbe *v;
  TriggerProgram *next;
};

/* What a body's statements are compiled with. */
struct TriggerBody {
  int on_conflict; /* the firing statement's OR action, or ONCONFLICT_UNSET */
};

int cg_stmt_conflict(Parse *p, int on_conflict) {
  if (p->trigger && p->trigger->on_conflict != ONCONFLICT_UNSET) return p->trigger->on_conflict;
  return on_conflict;
}

/* ---- which triggers fire ------------------------------------------------------ */

static const Stmt *parse_trigger(Parse *p, Arena *arena, const Trigger *tr) {
  Stmt *st = NULL;
  char *err = NULL;
  int rc = tr->db == CONN_DB_TEMP ? sql_parse(arena, tr->sql, -1, &st, NULL, &err)
                                  : sql_parse_schema(arena, tr->sql, -1, &st, NULL, &err);
  if (rc != LODE_OK || !st || st->kind != STMT_CREATE_TRIGGER) {
    if (rc == LODE_NOMEM) cg_error(p, LODE_NOMEM, "out of memory");
    else cg_error(p, LODE_CORRUPT, "malformed database schema (%s)%s%s", tr->name, err ? " - " : "", err ? err : "");
    util_free(err);
    return NULL;
  }
  return st;
}

/* UPDATE OF cols fires when the SET list assigns one of them (by name). */
static int update_of_matches(const TriggerDef *d, const SetClause *set, int nset) {
  if (d->ncols == 0) return 1;
  for (int i = 0; i < d->ncols; i++)
    for (int j = 0; j < nset; j++)
      if (util_stricmp(d->cols[i], set[j].column) == 0) return 1;
  return 0;
}

/* Whether the TEMP trigger d (ON [schema.]name) is on the table or view
** called name in database db: the one it was created on (SQLite binds a
** TEMP trigger to its table's schema then; after a DETACH of that database
** it is on none), else the schema it names, else the first database in
** resolution order with a table or view of that name. */
static int temp_trigger_targets(Parse *p, const TriggerDef *d, const char *name, int db) {
  int bound = conn_trigger_bound(p->db, d->name);
  if (bound != -1) return bound == db;
  if (d->table_schema) return conn_db_find(p->db, d->table_schema) == db;
  int saved = p->fix_db;
  p->fix_db = 0;
  const Table *t = cg_lookup_table(p, NULL, name);
  int vdb = -1;
  int found = t ? t->db : cg_lookup_view(p, NULL, name, &vdb) ? vdb : -1;
  p->fix_db = saved;
  return found == db;
}

/* The triggers on name (table t or a view) of database db: the TEMP
** triggers on it first, then those of its own database, each newest first,
** as SQLite lists them. */
const TriggerSet *cg_triggers_of(Parse *p, const Table *t, int db, const char *name, int event, const SetClause *set,
                                 int nset, int on_conflict) {
  TriggerSet *ts = NULL;
  Schema *own = cg_db_schema(p, db), *temp = db != CONN_DB_TEMP ? cg_db_schema(p, CONN_DB_TEMP) : NULL;
  int total = (own ? own->ntriggers : 0) + (temp ? temp->ntriggers : 0);
  for (int pass = 0; pass < 2; pass++) {
    Schema *s = pass == 0 ? temp : own;
    for (int i = s ? s->ntriggers - 1 : -1; i >= 0 && p->rc == LODE_OK; i--) {
      const Trigger *tr = s->triggers[i];
      if (util_stricmp(tr->table, name) != 0) continue;
      const Stmt *st = parse_trigger(p, &p->arena, tr);
      if (!st) return NULL;
      const TriggerDef *d = st->trigger;
      if ((pass == 0 || db == CONN_DB_TEMP) && !temp_trigger_targets(p, d, name, db)) continue;
      if (d->event != event || (event == TK_UPDATE && !update_of_matches(d, set, nset))) continue;
      if (!ts) {
        ts = arena_alloc(&p->arena, sizeof *ts);
        if (ts) {
          memset(ts, 0, sizeof *ts);
          ts->items = arena_alloc(&p->arena, sizeof(*ts->items) * (size_t)total);
          ts->defs = arena_alloc(&p->arena, sizeof(*ts->defs) * (size_t)total);
        }
        if (!ts || !ts->items || !ts->defs) {
          cg_error(p, LODE_NOMEM, "out of memory");
          return NULL;
        }
        ts->table = t;
        ts->event = event;
        ts->on_conflict = on_conflict;
      }
      ts->items[ts->n] = tr;
      ts->defs[ts->n++] = d;
      ts->timings |= 1 << d->timing;
    }
  }
  return p->rc == LODE_OK ? ts : NULL;
}

int cg_trigger_is_on(Parse *p, const Trigger *tr, const char *name, int db) {
  if (util_stricmp(tr->table, name) != 0) return 0;
  if (tr->db != CONN_DB_TEMP || db == CONN_DB_TEMP) return tr->db == db;
  const Stmt *st = parse_trigger(p, &p->arena, tr);
  return st && temp_trigger_targets(p, st->trigger, name, db);
}

const TriggerSet *cg_triggers(Parse *p, const Table *t, const char *name, int event, const SetClause *set, int nset,
                              int on_conflict) {
  return cg_triggers_of(p, t, t->db, name, event, set, nset, on_conflict);
}

int cg_triggers_have(const TriggerSet *ts, int timing) { return ts && (ts->timings & (1 << timing)); }

/* ---- the register block ------------------------------------------------------- */

int cg_trigger_block(Parse *p, const Table *t) { return cg_regs(p, 2 * (t->ncols + 1)); }
int cg_trigger_old(const Table *t, int block) {
  (void)t;
  return block;
}
int cg_trigger_new(const Table *t, int block) { return block + t->ncols + 1; }

void cg_trigger_row_from_cursor(Parse *p, const Table *t, int cursor, int dst) {
  if (t->without_rowid) cg_op(p, OP_Null, 0, dst, 0);
  else cg_code_column(p, (Table *)t, cursor, -1, dst);
  for (int i = 0; i < t->ncols; i++) cg_code_column(p, (Table *)t, cursor, i, dst + 1 + i);
}

static char *column_affinities(Parse *p, const Table *t) {
  char *z = arena_alloc(&p->arena, (size_t)t->ncols + 1);
  if (!z) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  for (int i = 0; i < t->ncols; i++) z[i] = t->cols[i].affinity ? t->cols[i].affinity : AFF_NONE;
  z[t->ncols] = 0;
  return z;
}

/* UPDATE of a view: the NEW row gets the view's column affinities, as in
** SQLite (an INSERT's values are passed as they are). */
static void view_new_affinity(Parse *p, const Table *t, int nw) {
  char *aff = t->ncols ? column_affinities(p, t) : NULL;
  if (aff) cg_op4_str(p, OP_Affinity, nw + 1, t->ncols, 0, aff);
}

void cg_trigger_row_from_regs(Parse *p, const Table *t, int regs, int rowid_reg, int dst) {
  if (rowid_reg) cg_op(p, OP_Copy, rowid_reg, dst, 0);
  else cg_op(p, OP_Null, 0, dst, 0);
  if (t->ncols == 0) return;
  cg_op(p, OP_Copy, regs, dst + 1, t->ncols - 1);
  char *aff = column_affinities(p, t);
  if (aff) cg_op4_str(p, OP_Affinity, dst + 1, t->ncols, 0, aff);
}

/* ---- trigger programs ----------------------------------------------------------- */

/* The scope item of the OLD or NEW row, in registers from first (its rowid).
** A view's row has no rowid to name (SQLite 3.53: "no such column: new.rowid"). */
static void row_item(Parse *p, ScopeItem *item, const char *name, const Table *t, int first, int view) {
  memset(item, 0, sizeof *item);
  item->name = name;
  item->table = (Table *)t;
  item->sorter = -1;
  item->cursor = cg_cursor(p); /* never opened: names resolve to the registers */
  item->rowid_reg = first;
  item->row_regs = first + 1;
  item->qualified_only = 1;
  item->no_rowid = view;
}

/* A query whose rows are computed and dropped: a SELECT step. */
static void code_dropped_select(Parse *p, const Select *s) {
  SelectDest dest;
  int sorter = cg_sorter_dest(p, &dest);
  if (sorter < 0) return;
  cg_select(p, s, &dest);
  cg_op(p, OP_Close, sorter, 0, 0);
}

static void code_select_step(Parse *p, const Stmt *st) { code_dropped_select(p, st->select); }

static void code_step(Parse *p, const Stmt *st, Scope *rows) {
  p->scope = rows;
  switch (st->kind) {
  case STMT_INSERT: cg_insert(p, st); break;
  case STMT_UPDATE: cg_update(p, st); break;
  case STMT_DELETE: cg_delete(p, st); break;
  default:
    p->auth_live = st->select; /* SQLite codes the step as a statement: asked about as it starts */
    code_select_step(p, st);
    break;
  }
  p->scope = rows;
  if (st->kind != STMT_SELECT) cg_op(p, OP_ResetCount, 0, 0, 0);
  if (p->auth) cg_auth_flush(p, 0); /* the step is coded: the questions of its coding, before the next step's */
}

/* Codes the body of def into sub (a fresh Parse): the OLD/NEW rows from
** the caller's block, WHEN, the steps, Halt. */
static void code_trigger_body(Parse *sub, const TriggerSet *ts, const TriggerDef *def) {
  const Table *t = ts->table;
  int nregs = 2 * (t->ncols + 1), block = cg_regs(sub, nregs), end = vdbe_make_label(sub->v);
  Scope *rows = arena_alloc(&sub->arena, sizeof *rows);
  ScopeItem *items = arena_alloc(&sub->arena, 2 * sizeof *items);
  if (!rows || !items) {
    cg_error(sub, LODE_NOMEM, "out of memory");
    return;
  }
  for (int i = 0; i < nregs; i++) cg_op(sub, OP_Param, i, block + i, 0);
  memset(rows, 0, sizeof *rows);
  rows->items = items;
  int view = def->timing == TRIGGER_INSTEAD;
  if (def->event != TK_INSERT) row_item(sub, &items[rows->n++], "old", t, cg_trigger_old(t, block), view);
  if (def->event != TK_DELETE) row_item(sub, &items[rows->n++], "new", t, cg_trigger_new(t, block), view);
  sub->scope = rows;
  if (def->when) cg_jump_if_false(sub, def->when, end);
  for (int i = 0; i < def->nsteps && sub->rc == LODE_OK; i++) code_step(sub, def->steps[i], rows);
  vdbe_resolve_label(sub->v, end);
  cg_op(sub, OP_Halt, 0, 0, 0);
}

/* The program of trigger tr for ts's statement: compiled at its first use
** (its text parsed anew: codegen annotates the tree it compiles), and
** registered before its body is coded, so that a body firing its own
** trigger finds it. */
static Vdbe *trigger_program(Parse *p, const TriggerSet *ts, const Trigger *tr) {
  Parse *root = p->root ? p->root : p;
  for (TriggerProgram *x = root->programs; x; x = x->next)
    if (x->trigger == tr && x->on_conflict == ts->on_conflict) return x->v;
  TriggerProgram *prog = arena_alloc(&root->arena, sizeof *prog);
  Vdbe *v = vdbe_new(p->db);
  if (!prog || !v) {
    vdbe_free(v);
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  if (vdbe_adopt(root->v, v, tr) != LODE_OK) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  prog->trigger = tr;
  prog->on_conflict = ts->on_conflict;
  prog->v = v;
  prog->next = root->programs;
  root->programs = prog;

  TriggerBody body = {ts->on_conflict};
  Parse sub;
  if (p->auth) cg_auth_flush(p, 0); /* what the statement asks while it codes comes before the trigger's */
  memset(&sub, 0, sizeof sub);
  sub.db = p->db;
  sub.auth = p->auth && cg_auth_active(p);
  sub.auth_ctx = tr->name; /* the authorizer hears of the body's questions as the trigger's */
  sub.v = v;
  arena_init(&sub.arena);
  sub.root = root;
  sub.trigger = &body;
  sub.min_ref_level = INT_MAX;
  sub.writes = 1;
  sub.view_depth = 1; /* a trigger names missing tables as main.x, as SQLite does */
  sub.fix_db = tr->db == CONN_DB_TEMP ? 0 : tr->db + 1; /* a TEMP trigger's body may name any database */
  const Stmt *st = parse_trigger(&sub, &sub.arena, tr);
  if (st) code_trigger_body(&sub, ts, st->trigger);
  if (sub.auth) cg_auth_flush(&sub, 1);
  if (sub.rc == LODE_OK && vdbe_oom(v)) cg_error(&sub, LODE_NOMEM, "out of memory");
  if (sub.rc == LODE_OK) {
    vdbe_set_counts(v, sub.nmem + 1, sub.ncursor);
    if (vdbe_finish(v) != LODE_OK)
      cg_error(&sub, LODE_INTERNAL, "%s", p->db->errmsg ? p->db->errmsg : "bad trigger program");
  }
  if (sub.rc != LODE_OK) cg_error(p, sub.rc, "%s", sub.errmsg ? sub.errmsg : "out of memory");
  util_free(sub.errmsg);
  arena_free(&sub.arena);
  return p->rc == LODE_OK ? v : NULL;
}

void cg_fire_triggers(Parse *p, const TriggerSet *ts, int timing, int block, int ignore) {
  if (!cg_triggers_have(ts, timing)) return;
  for (int i = 0; i < ts->n && p->rc == LODE_OK; i++) {
    if (ts->defs[i]->timing != timing) continue;
    Vdbe *prog = trigger_program(p, ts, ts->items[i]);
    if (!prog) return;
    int addr = vdbe_add_op4(p->v, OP_Program, block, ignore, 0, P4_SUBPROGRAM, prog, 0);
    if (addr < 0) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    vdbe_set_p5(p->v, addr, p->db->recursive_triggers ? 0 : 1);
    vdbe_set_comment(p->v, addr, "%s", ts->items[i]->name);
  }
}

/* ---- INSTEAD OF triggers: changes to a view ------------------------------------- */

/* SELECT * FROM src WHERE where ORDER BY … LIMIT … (the terms of ol); NULL
** on error. */
static Select *limited_view_rows(Parse *p, const SrcItem *src, const Expr *where, const Select *ol) {
  Select *sel = arena_alloc(&p->arena, sizeof *sel);
  SrcList *from = arena_alloc(&p->arena, sizeof *from);
  SrcItem *item = arena_alloc(&p->arena, sizeof *item);
  ExprList *cols = arena_alloc(&p->arena, sizeof *cols);
  Expr *star = arena_alloc(&p->arena, sizeof *star);
  if (!sel || !from || !item || !cols || !star ||
      !(cols->items = arena_alloc(&p->arena, sizeof(Expr *)))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  *item = *src;
  from->n = 1;
  from->items = item;
  star->kind = EXPR_STAR;
  cols->items[cols->n++] = star;
  sel->columns = cols;
  sel->from = from;
  sel->where = (Expr *)where;
  sel->norder = ol->norder;
  sel->order_by = ol->order_by;
  sel->limit = ol->limit;
  sel->offset = ol->offset;
  return sel;
}

/* The questions of where's references to the view's columns (bound to it),
** asked again. */
static void auth_view_where(Parse *p, const Expr *where, const View *v) {
  if (!where || p->rc != LODE_OK || where->kind == EXPR_SUBQUERY || where->kind == EXPR_EXISTS) return;
  if (where->kind == EXPR_COLUMN && where->bound && where->bind_depth == 0 && p->scope && p->scope->n) {
    const Table *t = p->scope->items[0].table;
    int c = where->bind_col;
    if (c >= 0 && c < t->ncols) cg_auth_ask(p, CONN_AUTH_READ, v->name, t->cols[c].name, cg_db_name(p, v->db));
    return;
  }
  auth_view_where(p, where->left, v);
  auth_view_where(p, where->right, v);
  auth_view_where(p, where->escape, v);
  for (int i = 0; where->args && i < where->args->n; i++) auth_view_where(p, where->args->items[i], v);
}

/* The view's rows that WHERE selects, each with its block filled by fill
** (OLD from the view's row; for UPDATE, NEW from the SET list), firing the
** INSTEAD OF triggers: the view is materialised first, so what the
** triggers change cannot disturb the scan. */
static void view_rows(Parse *p, const Stmt *st, View *v, const TriggerSet *ts, const int *set_of,
                      const Expr *where, const Returning *ret) {
  SrcItem src;
  memset(&src, 0, sizeof src);
  src.schema = cg_db_name(p, v->db);
  src.schema_implied = 1;
  src.name = v->name;
  src.alias = st->alias;
  Scope *scope = arena_alloc(&p->arena, sizeof *scope);
  ScopeItem *item = arena_alloc(&p->arena, sizeof *item);
  if (!scope || !item) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  memset(scope, 0, sizeof *scope);
  /* SQLite materialises the view with SELECT * FROM view WHERE …, which the
  ** authorizer hears of as the view's. */
  const char *saved_ctx = p->auth_ctx;
  int auth = p->auth && cg_auth_active(p);
  if (auth) {
    p->auth_ctx = v->name;
    if (cg_auth_ask(p, CONN_AUTH_SELECT, NULL, NULL, NULL) != LODE_OK && p->rc != LODE_OK) return;
  }
  if (st->order_limit && st->order_limit->limit) {
    /* … ORDER BY … LIMIT …: the view's rows that take part are those of
    ** SELECT * FROM view WHERE … ORDER BY … LIMIT … (an ORDER BY without
    ** LIMIT is ignored here, as SQLite ignores it for a view). */
    Select *rows = limited_view_rows(p, &src, where, st->order_limit);
    if (!rows || !cg_open_subquery_select(p, rows, src.alias ? src.alias : v->name, v->name, item, 0) || p->rc != LODE_OK)
      return;
    where = NULL;
  } else if (!cg_open_named_subquery(p, &src, item) || p->rc != LODE_OK) {
    return;
  }
  scope->n = 1;
  scope->items = item;
  scope->outer = p->scope;
  p->scope = scope;
  const Table *t = item->table;
  for (int i = 0; auth && i < t->ncols && p->rc == LODE_OK; i++) /* its "*" */
    cg_auth_ask(p, CONN_AUTH_READ, v->name, t->cols[i].name, cg_db_name(p, v->db));
  int block = cg_trigger_block(p, t), done = vdbe_make_label(p->v);
  CgLoops *loops = arena_alloc_raw(&p->arena, sizeof *loops); /* cg_loops_open clears it */
  if (!loops) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  cg_loops_open(p, NULL, where, NULL, 0, loops, done);
  if (auth) {
    /* The view's select is coded; then SQLite resolves WHERE once more,
    ** against the rows it keeps. */
    cg_auth_flush(p, 0);
    auth_view_where(p, where, v);
    p->auth_ctx = saved_ctx;
  }
  int next = loops->lv[loops->n - 1].next;
  int old = cg_trigger_old(t, block), nw = cg_trigger_new(t, block);
  cg_op(p, OP_Null, 0, old, 0);
  for (int i = 0; i < t->ncols; i++) cg_code_column(p, (Table *)t, item->cursor, i, old + 1 + i);
  cg_op(p, OP_Null, 0, nw, 0);
  for (int i = 0; set_of && i < t->ncols; i++) {
    if (set_of[i] >= 0) cg_expr(p, st->set[set_of[i]].value, nw + 1 + i);
    else cg_op(p, OP_Copy, old + 1 + i, nw + 1 + i, 0);
  }
  if (set_of) view_new_affinity(p, t, nw);
  cg_fire_triggers(p, ts, TRIGGER_INSTEAD, block, next);
  cg_count_change(p);
  if (ret) cg_returning_row(p, ret, -1, set_of ? nw + 1 : old + 1, -1);
  cg_loops_close(p, loops, done);
  vdbe_resolve_label(p->v, done);
}

/* UPDATE view … FROM: each row of the join fires the INSTEAD OF triggers
** (a view row matched twice fires them twice, as in SQLite), its view
** columns as OLD, the SET values over them as NEW. */
static void view_rows_from(Parse *p, const Stmt *st, const Table *t, const TriggerSet *ts, const int *set_of,
                           const Returning *ret) {
  int n = t->ncols, *lead = arena_alloc(&p->arena, sizeof(int) * (size_t)(n ? n : 1));
  if (!lead) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (int i = 0; i < n; i++) lead[i] = i;
  int sorter = cg_update_from_rows(p, st, t, lead, n);
  if (sorter < 0) return;
  int width = n + st->nset, pseudo = cg_cursor(p), rec = cg_reg(p);
  int end = vdbe_make_label(p->v), next = vdbe_make_label(p->v);
  int block = cg_trigger_block(p, t), old = cg_trigger_old(t, block), nw = cg_trigger_new(t, block);
  cg_op(p, OP_OpenPseudo, pseudo, rec, width);
  cg_op(p, OP_SorterSort, sorter, end, 0);
  int top = cg_op(p, OP_SorterData, sorter, rec, 0);
  cg_op(p, OP_Null, 0, old, 0);
  for (int i = 0; i < n; i++) cg_op(p, OP_Column, pseudo, i, old + 1 + i);
  cg_op(p, OP_Null, 0, nw, 0);
  for (int i = 0; i < n; i++) {
    if (set_of[i] >= 0) cg_op(p, OP_Column, pseudo, n + set_of[i], nw + 1 + i);
    else cg_op(p, OP_Copy, old + 1 + i, nw + 1 + i, 0);
  }
  view_new_affinity(p, t, nw);
  cg_fire_triggers(p, ts, TRIGGER_INSTEAD, block, next);
  cg_count_change(p);
  if (ret) cg_returning_row(p, ret, -1, nw + 1, -1);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_SorterNext, sorter, top, 0);
  vdbe_resolve_label(p->v, end);
}

/* INSERT INTO view: each row's values as NEW (the view's columns; the
** missing ones NULL). */
static void view_insert(Parse *p, const Stmt *st, const Table *t, const TriggerSet *ts, const Returning *ret) {
  int *map = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ncols ? t->ncols : 1));
  int block = cg_trigger_block(p, t), nw = cg_trigger_new(t, block);
  if (!map) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (int i = 0; i < t->ncols; i++) map[i] = st->columns ? -1 : i;
  for (int j = 0; st->columns && j < st->ncolumns; j++) {
    int c = table_column_index(t, st->columns[j]);
    if (c < 0) {
      cg_error(p, LODE_ERROR, "table %s has no column named %s", t->name, st->columns[j]);
      return;
    }
    map[c] = j;
  }
  int nvalues = st->columns ? st->ncolumns : t->ncols;
  if (st->insert_select) {
    SelectDest dest;
    int sorter = cg_sorter_dest(p, &dest), pseudo = cg_cursor(p), rec = cg_reg(p), end = vdbe_make_label(p->v);
    if (sorter < 0) return;
    cg_select(p, st->insert_select, &dest);
    if (p->rc != LODE_OK) return;
    if (dest.ncols != nvalues) {
      if (st->columns) cg_error(p, LODE_ERROR, "%d values for %d columns", dest.ncols, st->ncolumns);
      else cg_error(p, LODE_ERROR, "table %s has %d columns but %d values were supplied", cg_insert_target_label(p, st), t->ncols,
                    dest.ncols);
      return;
    }
    cg_op(p, OP_OpenPseudo, pseudo, rec, dest.ncols);
    cg_op(p, OP_SorterSort, sorter, end, 0);
    int top = cg_op(p, OP_SorterData, sorter, rec, 0), next = vdbe_make_label(p->v);
    cg_op(p, OP_Integer, -1, nw, 0); /* the rowid slot of the block: a view's row has none to name */
    for (int i = 0; i < t->ncols; i++) {
      if (map[i] >= 0) cg_op(p, OP_Column, pseudo, map[i], nw + 1 + i);
      else cg_op(p, OP_Null, 0, nw + 1 + i, 0);
    }
    cg_fire_triggers(p, ts, TRIGGER_INSTEAD, block, next);
    cg_count_change(p);
    if (ret) cg_returning_row(p, ret, -1, nw + 1, -1);
    vdbe_resolve_label(p->v, next);
    cg_op(p, OP_SorterNext, sorter, top, 0);
    vdbe_resolve_label(p->v, end);
    return;
  }
  int nrows = st->default_values ? 1 : st->nrows;
  for (int r = 0; r < nrows && p->rc == LODE_OK; r++) {
    const ExprList *row = st->default_values ? NULL : st->rows[r];
    int next = vdbe_make_label(p->v);
    if (row && row->n != nvalues) {
      if (st->columns) cg_error(p, LODE_ERROR, "%d values for %d columns", row->n, st->ncolumns);
      else cg_error(p, LODE_ERROR, "table %s has %d columns but %d values were supplied", cg_insert_target_label(p, st), t->ncols, row->n);
      return;
    }
    cg_op(p, OP_Integer, -1, nw, 0);
    for (int i = 0; i < t->ncols; i++) {
      if (row && map[i] >= 0) cg_expr(p, row->items[map[i]], nw + 1 + i);
      else cg_op(p, OP_Null, 0, nw + 1 + i, 0);
    }
    cg_fire_triggers(p, ts, TRIGGER_INSTEAD, block, next);
    cg_count_change(p);
    if (ret) cg_returning_row(p, ret, -1, nw + 1, -1);
    vdbe_resolve_label(p->v, next);
  }
}

int cg_view_has_triggers(Parse *p, const View *v) {
  int any = 0;
  for (int k = 0; k < 2; k++) {
    Schema *s = cg_db_schema(p, k == 0 ? v->db : CONN_DB_TEMP);
    for (int i = 0; s && i < s->ntriggers; i++) any |= util_stricmp(s->triggers[i]->table, v->name) == 0;
  }
  return any;
}

void cg_view_change(Parse *p, const Stmt *st, View *v) {
  int event = st->kind == STMT_INSERT ? TK_INSERT : st->kind == STMT_UPDATE ? TK_UPDATE : TK_DELETE;
  const TriggerSet *ts = NULL;
  int any = cg_view_has_triggers(p, v);
  cg_begin_program(p); /* the view's columns are learnt by coding its select, inside the program */
  Table *t = any ? cg_view_table(p, v) : NULL;
  if (p->rc != LODE_OK) return;
  int on_conflict = cg_stmt_conflict(p, event == TK_DELETE ? ONCONFLICT_UNSET : st->on_conflict); /* no OR in DELETE */
  if (t) ts = cg_triggers_of(p, t, v->db, v->name, event, st->set, st->nset, on_conflict);
  if (p->rc != LODE_OK) return;
  if (!cg_triggers_have(ts, TRIGGER_INSTEAD)) {
    cg_error(p, LODE_ERROR, "cannot modify %s because it is a view", v->name);
    return;
  }
  if (st->upsert) {
    cg_error(p, LODE_ERROR, "cannot UPSERT a view");
    return;
  }
  if (cg_require_writable(p) != LODE_OK) return;
  const Returning *ret = cg_returning_begin(p, st, t);
  if (p->rc != LODE_OK) return;
  p->writes = 1;
  cg_count_changes_begin(p, st, event == TK_INSERT ? "rows inserted" : event == TK_UPDATE ? "rows updated" : "rows deleted");
  if (event == TK_INSERT) {
    view_insert(p, st, t, ts, ret);
  } else {
    int *set_of = NULL;
    if (event == TK_UPDATE) {
      set_of = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ncols ? t->ncols : 1));
      if (!set_of) {
        cg_error(p, LODE_NOMEM, "out of memory");
        return;
      }
      for (int i = 0; i < t->ncols; i++) set_of[i] = -1;
      for (int j = 0; j < st->nset; j++) {
        int c = table_column_index(t, st->set[j].column);
        if (c < 0) {
          cg_error(p, LODE_ERROR, "no such column: %s", st->set[j].column);
          return;
        }
        set_of[c] = j;
      }
    }
    if (st->from) view_rows_from(p, st, t, ts, set_of, ret);
    else view_rows(p, st, v, ts, set_of, st->where, ret);
  }
  cg_returning_end(p, ret);
  cg_count_changes_end(p);
  cg_end_program(p);
}

/* ---- the names a body uses (the schema check of ALTER TABLE) ---------------------- */

/* SELECT exprs FROM [schema.]table WHERE where, in the arena.  The target's
** alias (UPDATE t AS x) is left out, as SQLite's check leaves it out: a
** body naming x.c fails the check whatever is dropped. */
static Select *probe_select(Parse *p, Expr **exprs, int n, const Stmt *target, Expr *where) {
  Select *s = arena_alloc(&p->arena, sizeof *s);
  ExprList *cols = arena_alloc(&p->arena, sizeof *cols);
  Expr **items = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)(n + 1));
  Expr *one = arena_alloc(&p->arena, sizeof *one);
  if (!s || !cols || !items || !one) return NULL;
  memset(s, 0, sizeof *s);
  memset(cols, 0, sizeof *cols);
  memset(one, 0, sizeof *one);
  one->kind = EXPR_NULL; /* a result column when there is nothing else to name */
  cols->items = items;
  for (int i = 0; i < n; i++)
    if (exprs[i]) items[cols->n++] = exprs[i];
  if (cols->n == 0) items[cols->n++] = one;
  s->columns = cols;
  s->where = where;
  if (target) {
    SrcList *from = arena_alloc(&p->arena, sizeof *from);
    SrcItem *item = arena_alloc(&p->arena, sizeof *item);
    if (!from || !item) return NULL;
    memset(item, 0, sizeof *item);
    item->schema = target->schema;
    item->name = target->table;
    from->n = 1;
    from->items = item;
    s->from = from;
  }
  return s;
}

/* UPDATE … FROM: the probe's FROM is the target, then the statement's items. */
static Select *probe_with_from(Parse *p, Select *probe, const SrcList *from) {
  SrcList *all = arena_alloc(&p->arena, sizeof *all);
  SrcItem *items = arena_alloc(&p->arena, sizeof(SrcItem) * (size_t)(1 + from->n));
  if (!all || !items) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  items[0] = probe->from->items[0];
  memcpy(items + 1, from->items, sizeof(SrcItem) * (size_t)from->n);
  if (items[1].join_type == 0) items[1].join_type = JOIN_INNER;
  all->n = 1 + from->n;
  all->items = items;
  probe->from = all;
  return probe;
}

/* The expressions of a SET list (the columns it names are not checked). */
static Expr **set_values(Parse *p, const SetClause *set, int n) {
  Expr **v = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)(n + 1));
  if (v)
    for (int i = 0; i < n; i++) v[i] = set[i].value;
  return v;
}

/* Codes probe (NULL: out of memory) where its rows are dropped. */
static void code_probe(Parse *p, Scope *rows, const Select *probe) {
  if (!probe) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  p->scope = rows;
  code_dropped_select(p, probe);
}

/* A step's names, resolved by coding queries that hold its expressions
** (codegen resolves names as it codes): SQLite resolves the same ones in its
** check, and not the columns an INSERT lists or an UPDATE sets. */
static void check_step_names(Parse *p, const Stmt *st, Scope *rows) {
  if (st->kind == STMT_SELECT) {
    code_probe(p, rows, st->select);
  } else if (st->kind == STMT_INSERT) {
    if (st->insert_select) code_probe(p, rows, st->insert_select);
    for (int r = 0; r < st->nrows && p->rc == LODE_OK; r++)
      code_probe(p, rows, probe_select(p, st->rows[r]->items, st->rows[r]->n, NULL, NULL));
    Table *target = st->upsert ? cg_lookup_table(p, st->schema, st->table) : NULL;
    Scope excluded = {1, NULL, rows, 0};
    ScopeItem item;
    if (target) { /* DO UPDATE reads the row that was refused as excluded.x */
      row_item(p, &item, "excluded", target, cg_regs(p, target->ncols + 1), 0);
      excluded.items = &item;
    }
    for (const Upsert *u = st->upsert; u && target && p->rc == LODE_OK; u = u->next) {
      /* the target's names first, as SQLite resolves them against the table */
      const Expr *bad = cg_upsert_unknown_target(target, u);
      if (bad) {
        if (bad->table) cg_error(p, LODE_ERROR, "no such column: %s.%s", bad->table, bad->text);
        else cg_error(p, LODE_ERROR, "no such column: %s", bad->text);
        break;
      }
      Expr **v = set_values(p, u->set, u->nset);
      code_probe(p, &excluded, v ? probe_select(p, v, u->nset, st, u->where) : NULL);
      /* the target's WHERE names the table's columns (renamed with them) */
      if (u->target_where && p->rc == LODE_OK) code_probe(p, rows, probe_select(p, NULL, 0, st, u->target_where));
    }
  } else if (st->kind == STMT_UPDATE) {
    Expr **v = set_values(p, st->set, st->nset);
    Select *probe = v ? probe_select(p, v, st->nset, st, st->where) : NULL;
    if (probe && st->from && !(probe = probe_with_from(p, probe, st->from))) return;
    code_probe(p, rows, probe);
  } else if (st->kind == STMT_DELETE) {
    code_probe(p, rows, probe_select(p, NULL, 0, st, st->where));
  }
  /* The table a step writes must exist, as SQLite's check of the schema
  ** after ALTER TABLE finds (even in a trigger on another table); a view
  ** there is read as a FROM item is, its own errors reported. */
  if ((st->kind == STMT_INSERT || st->kind == STMT_UPDATE || st->kind == STMT_DELETE) && st->table &&
      p->rc == LODE_OK && !cg_lookup_table(p, st->schema, st->table)) {
    View *v = cg_lookup_view(p, st->schema, st->table, NULL);
    if (!v) cg_no_such_table(p, st->schema, st->table);
    else if (!v->expanding) cg_view_table(p, v);
  }
}

char *cg_trigger_check_names(Parse *p, const Trigger *tr) {
  Parse sub;
  TriggerBody body = {ONCONFLICT_UNSET};
  char *err = NULL;
  memset(&sub, 0, sizeof sub);
  sub.db = p->db;
  sub.v = vdbe_new(p->db);
  arena_init(&sub.arena);
  sub.trigger = &body;
  sub.min_ref_level = INT_MAX;
  sub.view_depth = 1;
  sub.fix_db = tr->db == CONN_DB_TEMP ? 0 : tr->db + 1;
  sub.rename = p->rename; /* ALTER TABLE RENAME: the names it resolves are noted */
  const Stmt *st = sub.v ? parse_trigger(&sub, &sub.arena, tr) : NULL;
  if (st) {
    const TriggerDef *def = st->trigger;
    const Table *t = cg_lookup_table(&sub, def->table_schema, tr->table);
    int vdb = -1;
    View *v = t ? NULL : cg_lookup_view(&sub, def->table_schema, tr->table, &vdb);
    if (v) t = cg_view_table(&sub, v);
    Scope *rows = arena_alloc(&sub.arena, sizeof *rows);
    ScopeItem *items = arena_alloc(&sub.arena, 2 * sizeof *items);
    if (!rows || !items) cg_error(&sub, LODE_NOMEM, "out of memory");
    if (t && sub.rc == LODE_OK) {
      int block = cg_trigger_block(&sub, t), end = vdbe_make_label(sub.v);
      memset(rows, 0, sizeof *rows);
      rows->items = items;
      if (def->event != TK_INSERT) row_item(&sub, &items[rows->n++], "old", t, cg_trigger_old(t, block), v != NULL);
      if (def->event != TK_DELETE) row_item(&sub, &items[rows->n++], "new", t, cg_trigger_new(t, block), v != NULL);
      sub.scope = rows;
      if (def->when) cg_jump_if_false(&sub, def->when, end);
      for (int i = 0; i < def->nsteps && sub.rc == LODE_OK; i++) check_step_names(&sub, def->steps[i], rows);
      vdbe_resolve_label(sub.v, end);
    }
  }
  if (!sub.v || (sub.rc == LODE_OK && vdbe_oom(sub.v))) cg_error(&sub, LODE_NOMEM, "out of memory");
  if (sub.rc == LODE_NOMEM) cg_error(p, LODE_NOMEM, "out of memory");
  else if (sub.rc != LODE_OK) err = sub.errmsg, sub.errmsg = NULL;
  if (sub.rc != LODE_OK && sub.rc != LODE_NOMEM && !err) cg_error(p, LODE_NOMEM, "out of memory");
  util_free(sub.errmsg);
  arena_free(&sub.arena);
  vdbe_free(sub.v);
  return err;
}

/* ---- CREATE TRIGGER / DROP TRIGGER -------------------------------------------------- */

static int check_create(Parse *p, const Stmt *st, const TriggerDef *d, Table *t, View *v) {
  if (t && util_strnicmp(t->name, "sqlite_", 7) == 0)
    return cg_error(p, LODE_ERROR, "cannot create trigger on system table");
  if (t && t->vtab_module) return cg_error(p, LODE_ERROR, "cannot create triggers on virtual tables");
  if (v && d->timing != TRIGGER_INSTEAD)
    return cg_error(p, LODE_ERROR, "cannot create %s trigger on view: %s",
                    d->timing == TRIGGER_BEFORE ? "BEFORE" : "AFTER", st->table);
  if (t && d->timing == TRIGGER_INSTEAD)
    return cg_error(p, LODE_ERROR, "cannot create INSTEAD OF trigger on table: %s", st->table);
  return LODE_OK;
}

/* A non-TEMP trigger's body may name objects of its own database only. */
static int check_body_databases(Parse *p, const TriggerDef *d, int db) {
  const char *other = NULL;
  for (int i = 0; i < d->nsteps; i++)
    if (d->steps[i]->kind != STMT_SELECT && d->steps[i]->schema)
      return cg_error(p, LODE_ERROR,
                      "qualified table names are not allowed on INSERT, UPDATE, and DELETE statements within triggers");
  for (int i = 0; i < d->nsteps && !other; i++) other = cg_foreign_db_in_stmt(p, d->steps[i], db);
  if (!other && d->when) {
    Select probe;
    memset(&probe, 0, sizeof probe);
    probe.where = d->when;
    other = cg_foreign_db_in_select(p, &probe, db);
  }
  if (other) return cg_error(p, LODE_ERROR, "trigger %s cannot reference objects in database %s", d->name, other);
  return LODE_OK;
}

/* Checked in SQLite's order: where the trigger goes (TEMP; the database its
** name is qualified with; else main, or temp when its table is a TEMP
** table), that a non-TEMP trigger's table is in its own database, the
** table, then the name, then the rest. */
void cg_create_trigger(Parse *p, const Stmt *st) {
  const TriggerDef *d = st->trigger;
  int db;
  if (st->temp) {
    if (st->schema) {
      cg_error(p, LODE_ERROR, "temporary trigger may not have qualified name");
      return;
    }
    db = CONN_DB_TEMP;
  } else if (st->schema) {
    if ((db = cg_db_named(p, st->schema)) < 0) return;
  } else {
    Table *on = cg_lookup_table(p, d->table_schema, st->table);
    db = on && on->db == CONN_DB_TEMP ? CONN_DB_TEMP : CONN_DB_MAIN;
  }
  if (db != CONN_DB_TEMP && d->table_schema && conn_db_find(p->db, d->table_schema) != db) {
    cg_error(p, LODE_ERROR, "trigger %s cannot reference objects in database %s", d->name, d->table_schema);
    return;
  }
  const char *zdb = db == CONN_DB_TEMP ? d->table_schema : cg_db_name(p, db);
  int vdb = -1;
  Table *t = cg_lookup_table(p, zdb, st->table);
  View *v = t ? NULL : cg_lookup_view(p, zdb, st->table, &vdb);
  if (t && v == NULL && vdb < 0) vdb = t->db;
  if (!t && !v) {
    if (zdb) cg_error(p, LODE_ERROR, "no such table: %s.%s", zdb, st->table);
    else cg_error(p, LODE_ERROR, "no such table: %s", st->table);
    return;
  }
  if (schema_find_trigger(cg_db_schema(p, db), d->name)) {
    if (st->if_exists) {
      cg_verify_schema(p, cg_db_name(p, db));
      cg_begin_program(p);
      cg_end_program(p);
    } else {
      cg_error(p, LODE_ERROR, "trigger %s already exists", st->name_written ? st->name_written : d->name);
    }
    return;
  }
  if (cg_name_reserved(p, d->name)) {
    cg_error(p, LODE_ERROR, "object name reserved for internal use: %s", d->name);
    return;
  }
  if (check_create(p, st, d, t, v) != LODE_OK) return;
  for (int i = 0; i < d->nsteps; i++)
    if (d->steps[i]->returning) {
      cg_error(p, LODE_ERROR, "cannot use RETURNING in a trigger");
      return;
    }
  /* The program is stored as text and run later, where no value could be
  ** bound to a parameter. */
  if (st->nparams > 0) {
    cg_error(p, LODE_ERROR, "trigger cannot use variables");
    return;
  }
  if (db != CONN_DB_TEMP && check_body_databases(p, d, db) != LODE_OK) return;
  for (int i = 0; i < d->nsteps; i++) {
    const Stmt *step = d->steps[i];
    const Table *target = step->kind != STMT_SELECT && step->table
                              ? cg_lookup_table(p, db == CONN_DB_TEMP ? NULL : cg_db_name(p, db), step->table)
                              : NULL;
    if (target && cg_readonly_shadow(p, target)) {
      cg_error(p, LODE_ERROR, "trigger \"%s\" may not write to shadow table \"%s\"", d->name, target->name);
      return;
    }
  }
  if (db == CONN_DB_TEMP && conn_trigger_bind(p->db, d->name, t ? t->db : vdb) != LODE_OK) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  vdbe_set_db(p->v, db);
  if (cg_require_writable(p) != LODE_OK) return;
  p->writes = 1;
  cg_begin_program(p);
  int root = cg_reg(p);
  cg_op(p, OP_Integer, 0, root, 0); /* a trigger has no b-tree: rootpage 0 */
  /* tbl_name as written, as sqlite3 keeps it */
  cg_schema_insert(p, "trigger", d->name, st->table, root, d->stored_sql);
  cg_bump_schema_added(p);
  cg_end_program(p);
}

/* Deletes the sqlite_schema row of trigger name (type 'trigger': a table
** or index may have the same name). */
static void delete_trigger_row(Parse *p, const char *name) {
  int cursor = cg_cursor(p), name_reg = cg_reg(p), type_reg = cg_reg(p), col = cg_reg(p);
  int next = vdbe_make_label(p->v), done = vdbe_make_label(p->v);
  if (vdbe_add_op4_int(p->v, OP_OpenWrite, cursor, BTREE_SCHEMA_ROOT, 0, 5) < 0) cg_error(p, LODE_NOMEM, "oom");
  cg_op4_str(p, OP_String8, (int)strlen(name), name_reg, 0, name);
  cg_op4_str(p, OP_String8, 7, type_reg, 0, "trigger");
  cg_op(p, OP_Rewind, cursor, done, 0);
  int top = cg_op(p, OP_Column, cursor, 0, col);
  int addr = vdbe_add_op4_int(p->v, OP_Ne, type_reg, next, col, COLL_BINARY);
  if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
  cg_op(p, OP_Column, cursor, 1, col);
  addr = vdbe_add_op4_int(p->v, OP_Ne, name_reg, next, col, COLL_NOCASE);
  if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
  cg_op(p, OP_Delete, cursor, 0, 0);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_Close, cursor, 0, 0);
}

void cg_drop_temp_triggers_on(Parse *p, int db, const char *name) {
  Schema *temp = cg_db_schema(p, CONN_DB_TEMP);
  if (!temp || !p->db->dbs[CONN_DB_TEMP].bt) return;
  int saved = vdbe_current_db(p->v), any = 0;
  for (int i = 0; i < temp->ntriggers && p->rc == LODE_OK; i++) {
    const Trigger *tr = temp->triggers[i];
    if (util_stricmp(tr->table, name) != 0) continue;
    const Stmt *st = parse_trigger(p, &p->arena, tr);
    if (!st || !temp_trigger_targets(p, st->trigger, name, db)) continue;
    vdbe_set_db(p->v, CONN_DB_TEMP);
    delete_trigger_row(p, tr->name);
    any = 1;
  }
  if (any) cg_bump_schema(p);
  vdbe_set_db(p->v, saved);
}

void cg_drop_trigger(Parse *p, const Stmt *st) {
  int db = 0;
  Trigger *tr = cg_lookup_trigger(p, st->schema, st->table, &db);
  if (!tr) {
    if (st->if_exists) {
      cg_verify_schema(p, st->schema);
      cg_begin_program(p);
      cg_end_program(p);
    } else if (st->schema) {
      cg_error(p, LODE_ERROR, "no such trigger: %s.%s", st->schema, st->table);
    } else {
      cg_error(p, LODE_ERROR, "no such trigger: %s", st->table);
    }
    return;
  }
  vdbe_set_db(p->v, db);
  if (cg_require_writable(p) != LODE_OK) return;
  p->writes = 1;
  cg_begin_program(p);
  delete_trigger_row(p, tr->name);
  cg_bump_schema(p);
  cg_end_program(p);
}
