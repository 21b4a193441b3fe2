/*
** update_from.c — UPDATE … FROM: the target table joined with other FROM
** items.
**
** Two passes.  Pass 1 runs the join as a query whose FROM list is the
** target first, then the statement's FROM items, and whose result columns
** are the target row's key (rowid, or PRIMARY KEY columns) and each SET
** value; every joined row goes into a sorter with a sequence number.  The
** sorter orders the rows by key and, within one key, latest first.  Pass 2
** walks the sorter: the first entry of each key updates that row with the
** values pass 1 computed (later entries of the same key are skipped), so a
** row whose key matched several joined rows takes the values of the last
** one the join produced, as SQLite's does (it keeps one entry per key in an
** ephemeral table, the last write winning).  With ORDER BY … LIMIT the join
** is grouped by the target's key first (as SQLite's is), so that the LIMIT
** counts rows of the target.  Rows change in key order, the order triggers
** and RETURNING see them in SQLite.
**
** A view (INSTEAD OF triggers) or virtual table as the target takes the
** join's rows in join order from cg_update_from_rows: trigger.c and
** vtab_dml.c hand each one on.
**
** The SET values and WHERE see every FROM item; RETURNING sees the target
** only, as in SQLite.
*/
#include <string.h>

#include "codegen/cg.h"

/* An item of FROM that is the target table t itself with the target's
** alias (both unaliased, or aliased alike): SQLite refuses it.  Under
** another alias, or another table (of another database) of the same name,
** it may appear. */
static int from_names_target(Parse *p, const Stmt *st, const Table *t) {
  for (int i = 0; i < st->from->n; i++) {
    const SrcItem *it = &st->from->items[i];
    if (!it->name || it->subquery || it->is_call || !it->alias != !st->alias) continue;
    if (it->alias && util_stricmp(it->alias, st->alias) != 0) continue;
    const char *name = it->alias ? it->alias : it->name;
    const Table *same = cg_lookup_table(p, it->schema, it->name);
    if (same ? same != t : util_stricmp(it->name, st->table) != 0) continue; /* a view: by its name */
    cg_error(p, LODE_ERROR, "target object/alias may not appear in FROM clause: %s", name);
    return 1;
  }
  return 0;
}

/* A column of FROM item `item` (the target), bound already: -1 is the rowid. */
static Expr *target_column(Parse *p, const Table *t, const char *name, int col, int item) {
  Expr *e = arena_alloc(&p->arena, sizeof *e);
  if (!e) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  e->kind = EXPR_COLUMN;
  e->table = name;
  e->text = col < 0 ? "rowid" : t->cols[col].name;
  e->n = (int)strlen(e->text);
  e->bound = 1;
  e->bind_item = item;
  e->bind_col = col;
  e->bind_affinity = col < 0 ? AFF_INTEGER : t->cols[col].affinity;
  e->bind_coll = col < 0 ? COLL_BINARY : t->cols[col].coll;
  return e;
}

/* Whether FROM's joins must see FROM as one unit, as SQLite joins it to
** the target: a RIGHT or FULL join (its left side would take in the
** target) or NATURAL / USING (the target's columns would count). */
static int from_is_unit(const SrcList *from) {
  for (int i = 1; i < from->n; i++) {
    const SrcItem *it = &from->items[i];
    if (it->join_type == JOIN_RIGHT || it->join_type == JOIN_FULL || it->natural || it->nusing) return 1;
  }
  return 0;
}

/* Pass 1's query: SELECT lead…, set-value… FROM target, from… WHERE where
** (FROM first and the target last when from_is_unit: a cross join either way),
** where lead[k] is the target's column lead[k] (-1: its rowid), grouped by
** the lead columns under a LIMIT when group_key.  The
** statement's trees are copied (unbound): codegen annotates what it
** compiles, and a trigger's step may be compiled more than once. */
static Select *join_query(Parse *p, const Stmt *st, const Table *t, const int *lead, int nlead, int group_key) {
  ExprList values = {0};
  Expr **items = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)(st->nset ? st->nset : 1));
  if (!items) goto oom;
  for (int i = 0; i < st->nset; i++) items[i] = st->set[i].value;
  values.n = st->nset;
  values.items = items;
  Select shape = {0};
  shape.columns = &values;
  shape.from = st->from;
  shape.where = st->where;
  if (st->order_limit) {
    /* … ORDER BY … LIMIT …: the joined rows that take part, as SQLite
    ** limits the join (grouped by the target's key when group_key). */
    shape.norder = st->order_limit->norder;
    shape.order_by = st->order_limit->order_by;
    shape.limit = st->order_limit->limit;
    shape.offset = st->order_limit->offset;
  }
  Select *s = ast_copy_select(&p->arena, &shape);
  ExprList *cols = arena_alloc(&p->arena, sizeof *cols);
  SrcList *from = arena_alloc(&p->arena, sizeof *from);
  if (!s || !cols || !from) goto oom;
  cols->n = nlead + st->nset;
  cols->items = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)(cols->n ? cols->n : 1));
  from->n = 1 + st->from->n;
  from->items = arena_alloc(&p->arena, sizeof(SrcItem) * (size_t)from->n);
  if (!cols->items || !from->items) goto oom;
  const char *name = st->alias ? st->alias : st->table;
  int last = from_is_unit(st->from), at = last ? st->from->n : 0;
  for (int k = 0; k < nlead; k++)
    if (!(cols->items[k] = target_column(p, t, name, lead[k], at))) return NULL;
  for (int i = 0; i < st->nset; i++) cols->items[nlead + i] = s->columns->items[i];
  if (group_key && st->order_limit) {
    /* With a LIMIT SQLite groups the join by the target's key: each row
    ** of the target comes once (with the values of its group's row), and
    ** the LIMIT counts rows of the target. */
    ExprList *group = arena_alloc(&p->arena, sizeof *group);
    if (!group || !(group->items = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)nlead))) goto oom;
    group->n = nlead;
    for (int k = 0; k < nlead; k++)
      if (!(group->items[k] = target_column(p, t, name, lead[k], at))) return NULL;
    s->group_by = group;
  }
  memcpy(&from->items[last ? 0 : 1], s->from->items, sizeof(SrcItem) * (size_t)s->from->n);
  SrcItem *target = &from->items[at];
  memset(target, 0, sizeof(SrcItem));
  /* Named by its database, so that a CTE of the statement's WITH with the
  ** target's name does not stand in for the table being updated. */
  target->schema = st->schema;
  if (!st->schema && cg_lookup_table(p, NULL, st->table) == t) {
    target->schema = cg_db_name(p, t->db);
    target->schema_implied = 1;
  }
  target->name = st->table;
  target->alias = st->alias;
  target->indexed_by = st->indexed_by;
  target->not_indexed = st->not_indexed;
  /* "t, x" (or "x…, t") joins the target like a comma. */
  if (last) target->join_type = JOIN_INNER;
  else if (from->items[1].join_type == 0) from->items[1].join_type = JOIN_INNER;
  s->columns = cols;
  s->from = from;
  return s;
oom:
  cg_error(p, LODE_NOMEM, "out of memory");
  return NULL;
}

/* The key columns of t's rows (-1: the rowid), in arena. */
static int *key_lead(Parse *p, const Table *t) {
  int nkey = cg_row_key_len(t), *lead = arena_alloc(&p->arena, sizeof(int) * (size_t)nkey);
  if (!lead) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  for (int k = 0; k < nkey; k++) lead[k] = t->without_rowid ? t->pk->cols[k].cid : -1;
  return lead;
}

int cg_update_from_rows(Parse *p, const Stmt *st, const Table *t, const int *lead, int nlead) {
  if (from_names_target(p, st, t)) return -1;
  Select *join = join_query(p, st, t, lead, nlead, 0);
  if (!join) return -1;
  SelectDest dest;
  int sorter = cg_sorter_dest(p, &dest);
  if (sorter < 0) return -1;
  p->auth_live = join; /* asked about as it starts, as SQLite codes it as a query of its own */
  cg_select(p, join, &dest);
  return p->rc == LODE_OK ? sorter : -1;
}

/* The sorter of pass 1: the key columns in the table's key order, then the
** sequence number descending. */
static int open_join_sorter(Parse *p, const Table *t) {
  int nkey = cg_row_key_len(t), sorter = cg_cursor(p);
  KeyInfo *row = cg_row_keyinfo(p, t), *k = row ? keyinfo_new(nkey + 1) : NULL;
  if (!k) {
    if (row) keyinfo_free(row);
    cg_error(p, LODE_NOMEM, "out of memory");
    return -1;
  }
  for (int j = 0; j < nkey; j++) {
    k->desc[j] = row->desc[j];
    k->coll[j] = row->coll[j];
    k->nulls_last[j] = row->nulls_last[j];
  }
  keyinfo_free(row);
  k->desc[nkey] = 1;
  if (vdbe_add_op4(p->v, OP_SorterOpen, sorter, nkey + 1, 0, P4_KEYINFO, k, 0) < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return -1;
  }
  return sorter;
}

/* Jumps to same when the key in key.. equals the one in prev.. (in the
** key columns' collations); prev holds NULL before the first row. */
static void code_same_key(Parse *p, const Table *t, int key, int prev, int same) {
  int nkey = cg_row_key_len(t), differ = vdbe_make_label(p->v);
  for (int k = 0; k < nkey; k++) {
    int coll = t->without_rowid ? t->pk->cols[k].coll : COLL_BINARY;
    if (k + 1 < nkey) {
      int addr = vdbe_add_op4_int(p->v, OP_Ne, key + k, differ, prev + k, coll);
      if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
    } else {
      vdbe_add_op4_int(p->v, OP_Eq, key + k, same, prev + k, coll);
    }
  }
  vdbe_resolve_label(p->v, differ);
}

void cg_update_from(Parse *p, const Stmt *st, Table *t, UpdateRow *u) {
  if (from_names_target(p, st, t)) return;
  const int *lead = key_lead(p, t);
  Select *join = lead ? join_query(p, st, t, lead, cg_row_key_len(t), 1) : NULL;
  if (!join) return;
  int nkey = cg_row_key_len(t), sorter = open_join_sorter(p, t);
  if (sorter < 0) return;
  SelectDest dest;
  memset(&dest, 0, sizeof dest);
  dest.kind = DEST_UPFROM;
  dest.cursor = sorter;
  dest.width = nkey;
  dest.reg = cg_reg(p);
  cg_op(p, OP_Integer, 0, dest.reg, 0);
  p->auth_live = join; /* asked about as it starts, as SQLite codes it as a query of its own */
  cg_select(p, join, &dest);
  if (p->rc != LODE_OK) return;

  int cursor = cg_cursor(p);
  cg_open_table(p, t, cursor, OP_OpenWrite);
  int idx = cg_open_indexes(p, t, OP_OpenWrite);
  Scope *scope = arena_alloc(&p->arena, sizeof *scope);
  if (!scope || !(scope->items = arena_alloc(&p->arena, sizeof(ScopeItem)))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  scope->n = 1;
  scope->outer = p->scope; /* in a trigger body: its OLD and NEW rows */
  scope->items[0].name = st->alias ? st->alias : t->name;
  scope->items[0].explain_name = cg_explain_name_of(p, st->schema, st->table, st->alias);
  scope->items[0].table = t;
  scope->items[0].cursor = cursor;
  scope->items[0].sorter = -1;
  p->scope = scope;

  int width = nkey + 1 + st->nset, pseudo = cg_cursor(p), rec = cg_reg(p), row = cg_regs(p, width);
  int prev = cg_regs(p, nkey), next = vdbe_make_label(p->v), end = vdbe_make_label(p->v);
  cg_op(p, OP_Null, 0, prev, prev + nkey - 1);
  cg_op(p, OP_OpenPseudo, pseudo, rec, width);
  cg_op(p, OP_SorterSort, sorter, end, 0);
  int top = cg_op(p, OP_SorterData, sorter, rec, 0);
  for (int j = 0; j < width; j++) cg_op(p, OP_Column, pseudo, j, row + j);
  code_same_key(p, t, row, prev, next);
  cg_op(p, OP_Copy, row, prev, nkey - 1);
  cg_seek_row(p, t, cursor, row, next);
  u->cursor = cursor;
  u->idx_cursor = idx;
  u->old_key = row;
  u->skip = next;
  u->set_regs = row + nkey + 1;
  cg_update_row(p, u);
  cg_count_change(p);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_SorterNext, sorter, top, 0);
  vdbe_resolve_label(p->v, end);
}
