/*
** upsert.c — INSERT … ON CONFLICT [(target) [WHERE …]] DO NOTHING | DO
** UPDATE SET … [WHERE …], as SQLite 3.35+ has it.
**
** Each clause's target must name the rowid (INTEGER PRIMARY KEY) or a
** UNIQUE index (PRIMARY KEY included): the same key columns or expressions
** in any order, a COLLATE only where the index has that collation, and for
** a partial index the same WHERE.  Only the last clause may omit the target;
** it then handles every other uniqueness conflict.  NOT NULL and CHECK
** failures are not conflicts an upsert handles.
**
** cg_row_change (rowchange.c) asks, for each uniqueness check of a new row,
** which clause handles a conflict there (cg_upsert_for); that clause's code
** (cg_upsert_action) replaces the statement's conflict resolution for it,
** whatever the OR clause says.  The indexes that clauses target are checked
** first, in the clauses' order, then the others, as SQLite does.  DO UPDATE
** runs on the row in the way as an UPDATE OR ABORT would (its own conflicts
** are never resolved by the INSERT's OR clause): unqualified names are its
** columns, and excluded.x the value the INSERT would have stored.  The new
** row is then dropped and the statement goes on with the next one.
*/
#include <string.h>

#include "codegen/cg.h"

#define NO_MATCH "ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint"

/* The column a target term names (-1: none), its COLLATE set aside. */
static int term_column(const Table *t, const IndexedColumn *term) {
  const Expr *e = term->expr;
  if (!e || e->kind != EXPR_COLUMN || (e->table && util_stricmp(e->table, t->name) != 0)) return -1;
  return table_column_index(t, e->text);
}

static int targets_rowid(const Table *t, const Upsert *u) {
  if (t->without_rowid || u->ntarget != 1) return 0;
  const Expr *e = u->target[0].expr;
  int c = term_column(t, &u->target[0]);
  if (c >= 0) return c == t->ipk;
  return e && e->kind == EXPR_COLUMN && !e->table && cg_is_rowid_name(e->text);
}

/* Whether index key column k is one of the target's terms. */
static int key_in_target(const Table *t, const Index *ix, int k, const Upsert *u) {
  const IndexColumn *ic = &ix->cols[k];
  for (int j = 0; j < u->ntarget; j++) {
    const IndexedColumn *term = &u->target[j];
    if (term->collation && util_stricmp(term->collation, ic->coll_name) != 0) continue;
    if (ic->cid == XN_EXPR ? cg_same_tree(term->expr, ic->expr) : term_column(t, term) == ic->cid) return 1;
  }
  return 0;
}

static int targets_index(const Table *t, const Index *ix, const Upsert *u) {
  if (!ix->unique || ix->nkey != u->ntarget) return 0;
  if (ix->where && (!u->target_where || !cg_same_tree(u->target_where, ix->where))) return 0;
  for (int k = 0; k < ix->nkey; k++)
    if (!key_in_target(t, ix, k, u)) return 0;
  return 1;
}

/* A name in a conflict target that the table has no column for, or NULL:
** SQLite resolves the target's names before it matches the target. */
static const Expr *unknown_target_name(const Table *t, const Expr *e) {
  if (!e) return NULL;
  if (e->kind == EXPR_COLUMN) {
    if (e->table && util_stricmp(e->table, t->name) != 0) return e;
    return table_column_index(t, e->text) < 0 && !cg_is_rowid_name(e->text) ? e : NULL;
  }
  const Expr *r = unknown_target_name(t, e->left);
  if (!r) r = unknown_target_name(t, e->right);
  for (int i = 0; !r && e->args && i < e->args->n; i++) r = unknown_target_name(t, e->args->items[i]);
  return r;
}

const Expr *cg_upsert_unknown_target(const Table *t, const Upsert *u) {
  const Expr *bad = NULL;
  for (int j = 0; !bad && j < u->ntarget; j++) bad = unknown_target_name(t, u->target[j].expr);
  return bad;
}

/* The authorizer's SQLITE_READ of each column the conflict target e names
** (its WHERE too), as SQLite resolves the target against the table. */
static void auth_target(Parse *p, const Table *t, const Expr *e) {
  if (!e || p->rc != LODE_OK) return;
  if (e->kind == EXPR_COLUMN) {
    int c = table_column_index(t, e->text);
    if (c < 0 && cg_is_rowid_name(e->text)) c = t->ipk;
    cg_auth_ask(p, CONN_AUTH_READ, t->name, c >= 0 ? t->cols[c].name : "ROWID", cg_db_name(p, t->db));
    return;
  }
  auth_target(p, t, e->left);
  auth_target(p, t, e->right);
  for (int i = 0; e->args && i < e->args->n; i++) auth_target(p, t, e->args->items[i]);
}

/* Whether name is a CTE the statement's WITH clauses (or w) show. */
static int cte_named(const Parse *p, const With *w, const char *name) {
  for (int i = 0; w && i < w->n; i++)
    if (util_stricmp(w->ctes[i].name, name) == 0) return 1;
  for (const CteFrame *f = p->with; f; f = f->outer)
    for (int i = 0; i < f->with->n; i++)
      if (util_stricmp(f->with->ctes[i].name, name) == 0) return 1;
  return 0;
}

static int missing_table_in_expr(Parse *p, const Expr *e);

/* Reports the first table a FROM clause of s names that does not exist
** (SQLite resolves a conflict target's subqueries before it matches the
** target); returns 1 when it did. */
static int missing_table_in_select(Parse *p, const Select *s) {
  for (; s; s = s->next) {
    for (int i = 0; s->from && i < s->from->n; i++) {
      const SrcItem *it = &s->from->items[i];
      if (it->subquery ? missing_table_in_select(p, it->subquery) : missing_table_in_expr(p, it->on)) return 1;
      if (!it->name || it->subquery || cte_named(p, s->with, it->name) || cg_find_module(p, it->name)) continue;
      if (cg_lookup_table(p, it->schema, it->name) || cg_lookup_view(p, it->schema, it->name, NULL)) continue;
      if (p->rc != LODE_OK) return 1;
      if (it->schema) cg_error(p, LODE_ERROR, "no such table: %s.%s", it->schema, it->name);
      else cg_error(p, LODE_ERROR, "no such table: %s", it->name);
      return 1;
    }
    if (missing_table_in_expr(p, s->where)) return 1;
    for (int i = 0; s->columns && i < s->columns->n; i++)
      if (missing_table_in_expr(p, s->columns->items[i])) return 1;
  }
  return 0;
}

static int missing_table_in_expr(Parse *p, const Expr *e) {
  if (!e) return 0;
  if (e->select && missing_table_in_select(p, e->select)) return 1;
  if (missing_table_in_expr(p, e->left) || missing_table_in_expr(p, e->right)) return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (missing_table_in_expr(p, e->args->items[i])) return 1;
  return 0;
}

const UpsertInfo *cg_upsert_analyze(Parse *p, const Stmt *st, const Table *t) {
  int n = 0, i = 0;
  for (const Upsert *u = st->upsert; u; u = u->next) n++;
  if (!n) return NULL;
  UpsertInfo *info = arena_alloc(&p->arena, sizeof *info);
  if (info) {
    info->clause = arena_alloc(&p->arena, sizeof(*info->clause) * (size_t)n);
    info->index = arena_alloc(&p->arena, sizeof(*info->index) * (size_t)n);
    info->rowid = arena_alloc(&p->arena, sizeof(*info->rowid) * (size_t)n);
  }
  if (!info || !info->clause || !info->index || !info->rowid) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  info->n = n;
  info->alias = st->alias;
  for (const Upsert *u = st->upsert; u; u = u->next, i++) {
    info->clause[i] = u;
    info->index[i] = NULL;
    info->rowid[i] = 0;
    if (!u->ntarget) continue;
    for (int j = 0; j <= u->ntarget; j++)
      if (missing_table_in_expr(p, j < u->ntarget ? u->target[j].expr : u->target_where)) return NULL;
    for (int j = 0; j <= u->ntarget; j++) {
      const Expr *bad = unknown_target_name(t, j < u->ntarget ? u->target[j].expr : u->target_where);
      if (bad) {
        if (bad->table) cg_error_at(p, bad, LODE_ERROR, "no such column: %s.%s", bad->table, bad->text);
        else cg_error_at(p, bad, LODE_ERROR, "no such column: %s", bad->text);
        return NULL;
      }
    }
    for (int j = 0; p->auth && cg_auth_active(p) && j <= u->ntarget; j++)
      auth_target(p, t, j < u->ntarget ? u->target[j].expr : u->target_where);
    if (p->rc != LODE_OK) return NULL;
    if (targets_rowid(t, u)) {
      info->rowid[i] = 1;
      continue;
    }
    for (const Index *ix = t->indexes; ix && !info->index[i]; ix = ix->next)
      if (targets_index(t, ix, u)) info->index[i] = ix;
    if (!info->index[i]) {
      /* With several clauses the message says which, as SQLite's does. */
      if (n > 1) cg_error(p, LODE_ERROR, "%d%s " NO_MATCH, i + 1, cg_ordinal_suffix(i + 1));
      else cg_error(p, LODE_ERROR, NO_MATCH);
      return NULL;
    }
  }
  return info;
}

const Upsert *cg_upsert_for(const UpsertInfo *info, const Index *ix) {
  for (int i = 0; info && i < info->n; i++) {
    const Upsert *u = info->clause[i];
    if (!u->ntarget) return u;
    if (ix ? info->index[i] == ix : info->rowid[i]) return u;
  }
  return NULL;
}

static void scope_item(ScopeItem *it, const char *name, const Table *t, int cursor) {
  memset(it, 0, sizeof *it);
  it->name = name;
  it->table = (Table *)t;
  it->cursor = cursor;
  it->sorter = -1;
}

void cg_upsert_action(Parse *p, const RowChange *rc, const Upsert *u, int key) {
  const Table *t = rc->table;
  if (!u->do_update) {
    cg_op(p, OP_Goto, 0, rc->skip, 0);
    return;
  }
  /* The target row is found by its key: a check before may have moved the cursor. */
  cg_seek_row(p, t, rc->cursor, key, rc->skip);
  /* excluded is the new row, in the registers it was checked from, with its
  ** column affinities (the values it would have been stored with); it is
  ** an outer scope so that unqualified names mean the row being updated. */
  ScopeItem target, excluded;
  Scope inner, outer, *saved = p->scope;
  scope_item(&target, rc->upsert->alias ? rc->upsert->alias : t->name, t, rc->cursor);
  scope_item(&excluded, "excluded", t, cg_cursor(p));
  excluded.row_regs = rc->regs;
  excluded.rowid_reg = rc->new_rowid;
  outer.n = 1;
  outer.items = &excluded;
  outer.outer = saved; /* in a trigger body: its OLD and NEW rows */
  inner.n = 1;
  inner.items = &target;
  inner.outer = &outer;
  inner.nexists = outer.nexists = 0;
  char *aff = arena_alloc(&p->arena, (size_t)t->ncols + 1);
  if (!aff) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (int i = 0; i < t->ncols; i++) aff[i] = t->cols[i].affinity;
  aff[t->ncols] = 0;
  if (t->ncols) cg_op4_str(p, OP_Affinity, rc->regs, t->ncols, 0, aff);
  p->scope = &inner;
  const Expr *rowid_expr;
  const int *set_of = cg_update_columns(p, t, u->set, u->nset, &rowid_expr);
  if (set_of) {
    /* SQLite resolves the SET values' names before the WHERE's: a wrong
    ** name in both is reported as the SET's. */
    for (int i = 0; i < u->nset && p->rc == LODE_OK; i++) cg_check_names(p, u->set[i].value);
    if (u->where && p->rc == LODE_OK) cg_jump_if_false(p, u->where, rc->skip);
    UpdateRow up = {.table = t, .cursor = rc->cursor, .idx_cursor = rc->idx_cursor, .old_key = key, .set = u->set,
                    .set_of = set_of, .rowid_expr = rowid_expr, .on_conflict = ONCONFLICT_ABORT, .skip = rc->skip,
                    .returning = rc->returning,
                    .triggers = cg_triggers(p, t, t->name, TK_UPDATE, u->set, u->nset, ONCONFLICT_ABORT)};
    if (p->rc == LODE_OK) cg_update_row(p, &up);
  }
  p->scope = saved;
  cg_op(p, OP_Goto, 0, rc->skip, 0);
}
