/*
** vtab_dml.c — statements that change an application's virtual table:
** CREATE VIRTUAL TABLE, DROP TABLE of one, and INSERT, UPDATE, DELETE
** through the module's update (OP_VUpdate).
**
** A change is handed to the module as SQLite hands it to xUpdate: DELETE
** gives the old rowid alone; INSERT gives NULL, the new rowid (NULL: the
** module picks it) and every column; UPDATE gives the old rowid, the new
** one and every column: those it does not set are read from the row with
** sqlite3_vtab_nochange() true, and one the module gives no value for is
** handed over as unchanged (sqlite3_value_nochange()).  UPDATE … FROM
** hands over every column's value.  UPDATE and
** DELETE run in two passes, as for stored tables: the changes are computed
** during the scan into a sorter, and handed over after it, so that the
** module's scan never sees its own changes; an UPDATE's in scan order, a
** DELETE's rowids ascending and each once, as SQLite hands them over.  Each program that
** changes a table first enrols it in the transaction (OP_VBegin).
*/
#include <string.h>

#include "codegen/cg.h"
#include "vdbe/vdbe.h"

/* The module of t when it can take changes (NULL after an error). */
static const VtabModule *writable_module(Parse *p, Table *t) {
  const VtabModule *m = cg_table_module(p, t);
  if (!m) return NULL;
  if (!m->update) return cg_error(p, LODE_ERROR, "table %s may not be modified", t->name), NULL;
  if (cg_require_writable(p) != LODE_OK) return NULL;
  return m;
}

static void code_update(Parse *p, const VtabModule *m, int argc, int base, int on_conflict, int insert) {
  if (on_conflict == ONCONFLICT_UNSET) on_conflict = ONCONFLICT_ABORT;
  int addr = cg_op4_str(p, OP_VUpdate, m->app_kind, argc, base, m->key ? m->key : m->name);
  if (addr >= 0) vdbe_set_p5(p->v, addr, (uint16_t)(on_conflict | (insert ? VUPDATE_INSERT : 0)));
}

/* multi: the statement may change several rows (a statement level of
** savepoints inside a transaction, as SQLite's statement journal).  The
** OP_VBegin's address, whose p2 a caller may clear once the plan shows one
** row at most. */
static int begin_change(Parse *p, const VtabModule *m, int multi) {
  p->writes = 1;
  cg_begin_program(p);
  return cg_op4_str(p, OP_VBegin, m->app_kind, multi, 0, m->key ? m->key : m->name);
}

/* Each column's position among the values (-1: its default); map[ncols]:
** the rowid's (-1: none given).  Without a column list the values fill the
** columns that are not HIDDEN, in order. */
static int *column_map(Parse *p, const Stmt *st, const Table *t, int nvalues) {
  int *map = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ncols + 1));
  if (!map) return cg_error(p, LODE_NOMEM, "out of memory"), NULL;
  for (int i = 0; i <= t->ncols; i++) map[i] = -1;
  if (!st->columns) {
    int nvisible = 0;
    for (int i = 0; i < t->ncols; i++)
      if (!t->cols[i].hidden) map[i] = nvisible++;
    if (nvalues != nvisible) {
      cg_error(p, LODE_ERROR, "table %s has %d columns but %d values were supplied", cg_insert_target_label(p, st), nvisible, nvalues);
      return NULL;
    }
    return map;
  }
  for (int j = 0; j < st->ncolumns; j++) {
    int c = table_column_index(t, st->columns[j]);
    if (c < 0 && cg_is_rowid_name(st->columns[j])) c = t->ncols;
    if (c < 0) return cg_error(p, LODE_ERROR, "table %s has no column named %s", t->name, st->columns[j]), NULL;
    map[c] = j;
  }
  if (nvalues != st->ncolumns) return cg_error(p, LODE_ERROR, "%d values for %d columns", nvalues, st->ncolumns), NULL;
  return map;
}

/* One new row from the values in registers vals; with RETURNING, its
** results over the values given, computed just before the module gets the
** row (as SQLite does: the module may store other values, and what the
** RETURNING expressions read is the table without the row; the rowid is -1
** unless the INSERT gave one). */
static void insert_row(Parse *p, const VtabModule *m, const Table *t, const int *map, int vals, int on_conflict,
                       const Returning *ret) {
  int argc = t->ncols + 2, base = cg_regs(p, argc);
  cg_op(p, OP_Null, 0, base, 0);
  if (map[t->ncols] >= 0) cg_op(p, OP_SCopy, vals + map[t->ncols], base + 1, 0);
  else cg_op(p, OP_Null, 0, base + 1, 0);
  for (int i = 0; i < t->ncols; i++) {
    if (map[i] >= 0) cg_op(p, OP_SCopy, vals + map[i], base + 2 + i, 0);
    else cg_literal_default(p, t, &t->cols[i], base + 2 + i);
  }
  if (ret) {
    int rowid = cg_reg(p), given = vdbe_make_label(p->v);
    cg_op(p, OP_SCopy, base + 1, rowid, 0);
    cg_op(p, OP_NotNull, rowid, given, 0);
    cg_op(p, OP_Integer, -1, rowid, 0);
    vdbe_resolve_label(p->v, given);
    cg_returning_row(p, ret, -1, base + 2, rowid);
  }
  code_update(p, m, argc, base, on_conflict, 1);
}

void cg_vtab_insert(Parse *p, const Stmt *st, Table *t) {
  const VtabModule *m = writable_module(p, t);
  if (!m) return;
  if (st->upsert) {
    cg_error(p, LODE_ERROR, "UPSERT not implemented for virtual table \"%s\"", t->name);
    return;
  }
  /* The column list is checked before the values or the SELECT, as for a table (DEFAULT VALUES gives 0 values). */
  if (st->columns && !column_map(p, st, t, st->default_values ? 0 : st->ncolumns)) return;
  int on_conflict = cg_stmt_conflict(p, st->on_conflict);
  int multi = st->insert_select || st->nrows > 1;
  begin_change(p, m, multi);
  /* One row, no RETURNING: SQLite gives such an INSERT no statement journal (it writes one row, so it is not a
  ** multi-write), and what the module wrote before an error stays, as there.  A savepoint here would have the
  ** pager copy every page the module's own statements first touch, on every row of a bulk load. */
  if (!multi && !st->returning) p->single_write = 1;
  Returning *ret = cg_returning_begin(p, st, t);
  if (p->rc != LODE_OK) return;
  if (st->insert_select) {
    /* The select runs first, into a sorter: it may read the table itself. */
    SelectDest dest;
    int sorter = cg_sorter_dest(p, &dest), pseudo = cg_cursor(p), rec = cg_reg(p);
    int end = vdbe_make_label(p->v);
    if (sorter < 0) return;
    cg_select(p, st->insert_select, &dest);
    if (p->rc != LODE_OK) return;
    int *map = column_map(p, st, t, dest.ncols);
    if (!map) return;
    cg_op(p, OP_OpenPseudo, pseudo, rec, dest.ncols);
    cg_op(p, OP_SorterSort, sorter, end, 0);
    int top = cg_op(p, OP_SorterData, sorter, rec, 0);
    int vals = cg_regs(p, dest.ncols);
    for (int i = 0; i < dest.ncols; i++) cg_op(p, OP_Column, pseudo, i, vals + i);
    insert_row(p, m, t, map, vals, on_conflict, ret);
    cg_op(p, OP_SorterNext, sorter, top, 0);
    vdbe_resolve_label(p->v, end);
  } else if (st->default_values) {
    int *map = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ncols + 1));
    if (!map) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    for (int i = 0; i <= t->ncols; i++) map[i] = -1;
    insert_row(p, m, t, map, 0, on_conflict, ret);
  } else {
    for (int r = 0; r < st->nrows && p->rc == LODE_OK; r++) {
      const ExprList *row = st->rows[r];
      if (r > 0 && row->n != st->rows[0]->n) {
        cg_error(p, LODE_ERROR, "all VALUES must have the same number of terms");
        return;
      }
      int *map = column_map(p, st, t, row->n);
      if (!map) return;
      int vals = cg_regs(p, row->n);
      for (int i = 0; i < row->n; i++) cg_expr(p, row->items[i], vals + i);
      insert_row(p, m, t, map, vals, on_conflict, ret);
    }
  }
  cg_returning_end(p, ret);
  cg_end_program(p);
}

/* The columns of the statement's table (item 0) that e reads; *known = 0
** when a subquery may read more. */
static void note_columns(const Expr *e, uint64_t *used, int *known) {
  if (!e) return;
  if (e->select) *known = 0;
  if (e->kind == EXPR_COLUMN && e->bound && e->bind_depth == 0 && e->bind_item == 0 && e->bind_col >= 0)
    *used |= (uint64_t)1 << (e->bind_col < 63 ? e->bind_col : 63);
  note_columns(e->left, used, known);
  note_columns(e->right, used, known);
  note_columns(e->escape, used, known);
  for (int i = 0; e->args && i < e->args->n; i++) note_columns(e->args->items[i], used, known);
}

/* UPDATE (set_of non-NULL) or DELETE: pass 1 computes each matching row's
** xUpdate arguments into a sorter, pass 2 hands them over. */
static void change_rows(Parse *p, const Stmt *st, Table *t, const VtabModule *m, const int *set_of,
                        const Expr *rowid_expr) {
  int on_conflict = set_of ? cg_stmt_conflict(p, st->on_conflict) : ONCONFLICT_ABORT;
  int argc = set_of ? t->ncols + 2 : 1;
  int vbegin = begin_change(p, m, 1);
  Scope *scope = arena_alloc(&p->arena, sizeof(Scope));
  ScopeItem *item = arena_alloc(&p->arena, sizeof(ScopeItem));
  CgLoops *loops = arena_alloc_raw(&p->arena, sizeof(CgLoops)); /* cg_loops_open clears it */
  /* A DELETE hands the rowids over in ascending order, each once, as SQLite's row set does: the order of a
  ** module's changes decides what it stores (an R-Tree's nodes).  An UPDATE keeps the scan's order. */
  KeyInfo *k = keyinfo_new(set_of ? 0 : 1);
  if (!scope || !item || !loops || !k) {
    keyinfo_free(k);
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  memset(item, 0, sizeof *item);
  scope->n = 1;
  scope->items = item;
  scope->outer = p->scope;
  if (!cg_open_vtab(p, NULL, m, item)) {
    keyinfo_free(k);
    return;
  }
  if (st->alias) item->name = st->alias;
  /* an UPDATE's row also holds, per column, whether the module left it unchanged: the sorter's record drops the mark */
  int width = set_of ? argc + t->ncols : argc;
  int sorter = cg_cursor(p), rec = cg_reg(p), regs = cg_regs(p, width);
  int done = vdbe_make_label(p->v), end = vdbe_make_label(p->v);
  if (vdbe_add_op4(p->v, OP_SorterOpen, sorter, 0, 0, P4_KEYINFO, k, 0) < 0) cg_error(p, LODE_NOMEM, "oom");
  Scope *saved = p->scope;
  p->scope = scope;
  if (!set_of) { /* a DELETE reads the columns of its WHERE only */
    item->cols_known = 1;
    cg_bind_names(p, st->where);
    note_columns(st->where, &item->cols_used, &item->cols_known);
  }
  cg_loops_open(p, NULL, st->where, NULL, 0, loops, done);
  /* The module's scan yields one row at most (its xBestIndex said
  ** SQLITE_INDEX_SCAN_UNIQUE): a single-row change, no statement level, as
  ** SQLite's one-pass UPDATE/DELETE of a virtual table. */
  if (loops->vtab_unique && vbegin >= 0) vdbe_set_p2(p->v, vbegin, 0);
  cg_op(p, OP_VRowid, item->cursor, regs, 0);
  if (set_of) {
    if (rowid_expr) cg_expr(p, rowid_expr, regs + 1);
    else cg_op(p, OP_Copy, regs, regs + 1, 0);
    for (int i = 0; i < t->ncols; i++) {
      if (set_of[i] >= 0) cg_bind_names(p, st->set[set_of[i]].value); /* a call on a column may be the module's */
      if (set_of[i] >= 0) {
        cg_expr(p, st->set[set_of[i]].value, regs + 2 + i);
        cg_op(p, OP_Integer, 0, regs + argc + i, 0);
      } else {
        int a = cg_op(p, OP_VColumn, item->cursor, i, regs + 2 + i);
        if (a >= 0) vdbe_set_p5(p->v, a, OPFLAG_NOCHANGE);
        cg_op(p, OP_VNoChange, regs + 2 + i, regs + argc + i, 0);
      }
    }
  }
  cg_op(p, OP_MakeRecord, regs, width, rec);
  cg_op(p, OP_SorterInsert, sorter, rec, 0);
  cg_loops_close(p, loops, done);
  vdbe_resolve_label(p->v, done);
  p->scope = saved;
  int pseudo = cg_cursor(p), args = cg_regs(p, argc), flag = cg_reg(p), prev = set_of ? 0 : cg_reg(p);
  int next = vdbe_make_label(p->v);
  if (!set_of) cg_op(p, OP_Null, 0, prev, 0);
  cg_op(p, OP_OpenPseudo, pseudo, rec, width);
  cg_op(p, OP_SorterSort, sorter, end, 0);
  int top = cg_op(p, OP_SorterData, sorter, rec, 0);
  for (int i = 0; i < argc; i++) cg_op(p, OP_Column, pseudo, i, args + i);
  if (!set_of) {
    cg_op(p, OP_Eq, args, next, prev);
    cg_op(p, OP_Copy, args, prev, 0);
  }
  for (int i = 0; set_of && i < t->ncols; i++) {
    if (set_of[i] >= 0) continue;
    int kept = vdbe_make_label(p->v);
    cg_op(p, OP_Column, pseudo, argc + i, flag);
    cg_op(p, OP_IfNot, flag, kept, 1);
    int a = cg_op(p, OP_Null, 0, args + 2 + i, 0);
    if (a >= 0) vdbe_set_p5(p->v, a, OPFLAG_NOCHANGE);
    vdbe_resolve_label(p->v, kept);
  }
  code_update(p, m, argc, args, on_conflict, 0);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_SorterNext, sorter, top, 0);
  vdbe_resolve_label(p->v, end);
  cg_end_program(p);
}

/* UPDATE … FROM: pass 1 is the join (target first) into a sorter, each row
** holding the target's rowid and columns and the SET values; pass 2 hands
** each joined row to the module, a row matched twice changed twice (the
** last match's values stay, as in SQLite). */
static void change_rows_from(Parse *p, const Stmt *st, Table *t, const VtabModule *m, const int *set_of,
                             const Expr *rowid_expr) {
  int on_conflict = cg_stmt_conflict(p, st->on_conflict), n = t->ncols, argc = n + 2, rowid_set = -1;
  int *lead = arena_alloc(&p->arena, sizeof(int) * (size_t)(n + 1));
  if (!lead) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  lead[0] = -1;
  for (int i = 0; i < n; i++) lead[1 + i] = i;
  for (int j = 0; j < st->nset; j++)
    if (st->set[j].value == rowid_expr) rowid_set = j;
  begin_change(p, m, 1);
  int sorter = cg_update_from_rows(p, st, t, lead, n + 1);
  if (sorter < 0) return;
  int width = 1 + n + st->nset, pseudo = cg_cursor(p), rec = cg_reg(p), regs = cg_regs(p, argc);
  int end = vdbe_make_label(p->v);
  cg_op(p, OP_OpenPseudo, pseudo, rec, width);
  cg_op(p, OP_SorterSort, sorter, end, 0);
  int top = cg_op(p, OP_SorterData, sorter, rec, 0);
  cg_op(p, OP_Column, pseudo, 0, regs);
  cg_op(p, OP_Column, pseudo, rowid_set >= 0 ? 1 + n + rowid_set : 0, regs + 1);
  for (int i = 0; i < n; i++) cg_op(p, OP_Column, pseudo, set_of[i] >= 0 ? 1 + n + set_of[i] : 1 + i, regs + 2 + i);
  code_update(p, m, argc, regs, on_conflict, 0);
  cg_op(p, OP_SorterNext, sorter, top, 0);
  vdbe_resolve_label(p->v, end);
  cg_end_program(p);
}

void cg_vtab_update(Parse *p, const Stmt *st, Table *t) {
  const VtabModule *m = writable_module(p, t);
  if (!m) return;
  if (st->returning) {
    cg_error(p, LODE_ERROR, "UPDATE RETURNING is not available on virtual tables");
    return;
  }
  const Expr *rowid_expr = NULL;
  const int *set_of = cg_update_columns(p, t, st->set, st->nset, &rowid_expr);
  if (!set_of) return;
  if (st->from) change_rows_from(p, st, t, m, set_of, rowid_expr);
  else change_rows(p, st, t, m, set_of, rowid_expr);
}

void cg_vtab_delete(Parse *p, const Stmt *st, Table *t) {
  const VtabModule *m = writable_module(p, t);
  if (!m) return;
  if (st->returning) {
    cg_error(p, LODE_ERROR, "DELETE RETURNING is not available on virtual tables");
    return;
  }
  change_rows(p, st, t, m, NULL, NULL);
}

/* "create virtual table if not exists main.t using m(x)" is stored as
** "CREATE VIRTUAL TABLE t using m(x)", as sqlite3 stores it. */
static char *stored_sql(const char *sql) {
  const char *z = cg_skip_keyword(sql, "CREATE"), *t;
  if (z) z = cg_skip_keyword(z, "VIRTUAL");
  if (z) z = cg_skip_keyword(z, "TABLE");
  if (!z) return util_strdup(sql);
  if ((t = cg_skip_keyword(z, "IF")) && (t = cg_skip_keyword(t, "NOT")) && (t = cg_skip_keyword(t, "EXISTS"))) z = t;
  return util_mprintf("CREATE VIRTUAL TABLE %s", cg_skip_main(z));
}

/* In the database the name is qualified with (temp, an attached one), else main. */
void cg_create_vtab(Parse *p, const Stmt *st) {
  int db = st->schema ? cg_db_named(p, st->schema) : CONN_DB_MAIN;
  if (db < 0) return;
  if (cg_name_reserved(p, st->table)) {
    cg_error(p, LODE_ERROR, "object name reserved for internal use: %s", st->table);
    return;
  }
  Schema *s = cg_db_schema(p, db);
  Table *existing = s ? schema_find_table(s, st->table) : NULL;
  if (existing || (s && schema_find_view(s, st->table))) {
    if (!st->if_exists) {
      cg_error(p, LODE_ERROR, "%s %s already exists", existing ? "table" : "view",
               st->name_written ? st->name_written : st->table);
      return;
    }
    cg_verify_schema(p, cg_db_name(p, db));
    cg_begin_program(p);
    cg_end_program(p);
    return;
  }
  if (cg_require_writable(p) != LODE_OK) return;
  char *sql = stored_sql(st->sql);
  if (!sql) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  p->writes = 1;
  vdbe_set_db(p->v, db);
  cg_begin_program(p);
  int root = cg_reg(p);
  cg_op(p, OP_Integer, 0, root, 0);
  cg_schema_insert(p, "table", st->table, st->table, root, sql);
  util_free(sql);
  cg_bump_schema(p);
  cg_op4_str(p, OP_VCreate, 0, 0, 0, st->table);
  cg_end_program(p);
}

void cg_drop_vtab(Parse *p, const Stmt *st, Table *t) {
  (void)st;
  if (!cg_table_module(p, t)) return; /* "no such module", as SQLite refuses it */
  if (cg_require_writable(p) != LODE_OK) return;
  p->writes = 1;
  cg_begin_program(p);
  cg_stat_delete(p, 0, t->name);
  cg_schema_delete(p, 2, t->name);
  cg_op4_str(p, OP_VDestroy, 0, 0, 0, t->name);
  cg_bump_schema(p);
  cg_end_program(p);
}
