/*
** dml.c — INSERT, UPDATE and DELETE to bytecode.
**
** Rows are records of every column in declaration order; the INTEGER
** PRIMARY KEY column (rowid alias) is stored as NULL in the record, its
** value being the b-tree key, as SQLite does.  Constraint checks (NOT NULL,
** CHECK, STRICT types, rowid uniqueness) run before the row is written, so a failing row halts
** the statement, whose changes the VM then rolls back.
**
** UPDATE and DELETE run in two passes: first the rowids of matching rows are
** collected in a sorter, then each is visited by rowid.  This keeps the scan
** from seeing rows the statement itself moved or changed.
*/
#include <string.h>

#include "codegen/cg.h"
#include "sql/parser.h"

static int is_any_type(const Column *c) { return c->decltype_ && util_stricmp(c->decltype_, "ANY") == 0; }

/* Affinity string of a table's columns, for MakeRecord.  In a STRICT table
** a column of type ANY keeps values as they are. */
static char *affinity_string(Parse *p, const Table *t) {
  char *z = arena_alloc(&p->arena, (size_t)t->ncols + 1);
  int i;
  if (!z) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  for (i = 0; i < t->ncols; i++) z[i] = t->strict && is_any_type(&t->cols[i]) ? AFF_NONE : t->cols[i].affinity;
  z[t->ncols] = 0;
  return z;
}

/* STRICT tables: after the column affinities are applied, each value must be
** NULL or of its column's type, else the row fails with SQLite's
** "cannot store TEXT value in INTEGER column t.c". */
static void check_strict_types(Parse *p, const Table *t, int regs, const char *aff) {
  static const char *const kinds[][2] = {{"integer", "INT"}, {"real", "REAL"}, {"text", "TEXT"}, {"blob", "BLOB"}};
  int exists = 0, i, k, type = cg_reg(p), name = cg_reg(p);
  const FuncDef *type_of = func_find("typeof", 1, &exists);
  if (!type_of) return;
  cg_op4_str(p, OP_Affinity, regs, t->ncols, 0, aff);
  for (i = 0; i < t->ncols; i++) {
    const Column *c = &t->cols[i];
    const char *want = NULL;
    int ok = vdbe_make_label(p->v), addr;
    if (i == t->ipk || !c->decltype_ || is_any_type(c)) continue;
    if (util_stricmp(c->decltype_, "INT") == 0 || util_stricmp(c->decltype_, "INTEGER") == 0) want = "integer";
    else if (util_stricmp(c->decltype_, "REAL") == 0) want = "real";
    else if (util_stricmp(c->decltype_, "TEXT") == 0) want = "text";
    else if (util_stricmp(c->decltype_, "BLOB") == 0) want = "blob";
    else continue;
    addr = vdbe_add_op4(p->v, OP_Function, 0, regs + i, type, P4_FUNC, type_of, 0);
    if (addr >= 0) vdbe_set_p5(p->v, addr, 1);
    cg_op(p, OP_IsNull, regs + i, ok, 0);
    for (k = 0; k < 4; k++) {
      int next = vdbe_make_label(p->v);
      char *msg;
      cg_op4_str(p, OP_String8, (int)strlen(kinds[k][0]), name, 0, kinds[k][0]);
      cg_op(p, OP_Ne, name, next, type);
      if (strcmp(kinds[k][0], want) == 0) {
        cg_op(p, OP_Goto, 0, ok, 0);
      } else {
        msg = util_mprintf("cannot store %s value in %s column %s.%s", kinds[k][1], c->decltype_, t->name, c->name);
        if (!msg || vdbe_add_op4(p->v, OP_Halt, LODE_CONSTRAINT_DATATYPE, ONCONFLICT_ABORT, 0, P4_STRING, msg,
                                 (int)strlen(msg)) < 0)
          cg_error(p, LODE_NOMEM, "out of memory");
        util_free(msg);
      }
      vdbe_resolve_label(p->v, next);
    }
    vdbe_resolve_label(p->v, ok);
  }
}

static void halt_with(Parse *p, int rc, const char *msg) {
  int addr = vdbe_add_op4(p->v, OP_Halt, rc, ONCONFLICT_ABORT, 0, P4_STRING, msg, (int)strlen(msg));
  if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
}

/* NOT NULL checks for the record in regs (rowid column skipped). */
static void check_not_null(Parse *p, const Table *t, int regs, int on_conflict, int skip_row) {
  int i;
  for (i = 0; i < t->ncols; i++) {
    char *msg;
    if (!t->cols[i].not_null || i == t->ipk) continue;
    if (on_conflict == ONCONFLICT_IGNORE) {
      cg_op(p, OP_IsNull, regs + i, skip_row, 0);
      continue;
    }
    msg = util_mprintf("NOT NULL constraint failed: %s.%s", t->name, t->cols[i].name);
    if (!msg) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    if (vdbe_add_op4(p->v, OP_HaltIfNull, LODE_CONSTRAINT_NOTNULL, ONCONFLICT_ABORT, regs + i, P4_STRING, msg,
                     (int)strlen(msg)) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
    util_free(msg);
  }
}

/* CHECK constraints of the table, evaluated on the new row (after column
** affinity, as SQLite does): a false result fails the row with
** "CHECK constraint failed: <name or expression>"; NULL passes. */
static void check_constraints(Parse *p, const Table *t, int regs, int rowid_reg, int on_conflict, int skip_row) {
  Stmt *create = NULL;
  char *err = NULL;
  Scope scope, *saved = p->scope;
  ScopeItem item;
  char *aff;
  int i;
  if (!t->has_checks) return;
  if (sql_parse(&p->arena, t->sql, -1, &create, NULL, &err) != LODE_OK || !create) {
    cg_error(p, LODE_CORRUPT, "malformed database schema (%s)", t->name);
    util_free(err);
    return;
  }
  aff = affinity_string(p, t);
  if (!aff) return;
  cg_op4_str(p, OP_Affinity, regs, t->ncols, 0, aff);
  memset(&item, 0, sizeof item);
  item.name = t->name;
  item.table = (Table *)t;
  item.cursor = cg_cursor(p); /* never opened: names resolve to the registers */
  item.sorter = -1;
  item.row_regs = regs;
  item.rowid_reg = rowid_reg;
  scope.n = 1;
  scope.items = &item;
  scope.outer = NULL;
  p->scope = &scope;
  for (i = 0; i < create->nconstraints && p->rc == LODE_OK; i++) {
    const TableConstraint *c = &create->constraints[i];
    int ok = vdbe_make_label(p->v), r;
    char *msg;
    if (c->kind != TC_CHECK || !c->check) continue;
    r = cg_expr_reg(p, c->check);
    cg_op(p, OP_If, r, ok, 1); /* true, or NULL */
    if (on_conflict == ONCONFLICT_IGNORE) {
      cg_op(p, OP_Goto, 0, skip_row, 0);
    } else {
      msg = util_mprintf("CHECK constraint failed: %s", c->name ? c->name : c->span ? c->span : "");
      if (!msg) cg_error(p, LODE_NOMEM, "out of memory");
      else halt_with(p, LODE_CONSTRAINT_CHECK, msg);
      util_free(msg);
    }
    vdbe_resolve_label(p->v, ok);
  }
  p->scope = saved;
}

/* Fails (or skips/replaces per on_conflict) when rowid already exists. */
static void check_rowid_unique(Parse *p, const Table *t, int cursor, int rowid_reg, int on_conflict, int skip_row) {
  int ok = vdbe_make_label(p->v);
  char *msg;
  if (on_conflict == ONCONFLICT_REPLACE) return; /* the insert overwrites the row */
  cg_op(p, OP_NotExists, cursor, ok, rowid_reg);
  if (on_conflict == ONCONFLICT_IGNORE) {
    cg_op(p, OP_Goto, 0, skip_row, 0);
  } else {
    msg = util_mprintf("UNIQUE constraint failed: %s.%s", t->name, t->ipk >= 0 ? t->cols[t->ipk].name : "rowid");
    if (!msg) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    halt_with(p, LODE_CONSTRAINT_PRIMARYKEY, msg);
    util_free(msg);
  }
  vdbe_resolve_label(p->v, ok);
}

static void write_row(Parse *p, const Table *t, int cursor, int regs, int rowid_reg, int flags) {
  int rec = cg_reg(p);
  char *aff = affinity_string(p, t);
  int addr;
  if (!aff) return;
  if (t->ipk >= 0) cg_op(p, OP_Null, 0, regs + t->ipk, 0);
  if (t->strict) check_strict_types(p, t, regs, aff);
  addr = vdbe_add_op4(p->v, OP_MakeRecord, regs, t->ncols, rec, P4_STRING, aff, t->ncols);
  if (addr < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  addr = cg_op(p, OP_Insert, cursor, rec, rowid_reg);
  if (addr >= 0) vdbe_set_p5(p->v, addr, (uint16_t)flags);
}

/* Rowid for a new row: the INTEGER PRIMARY KEY value if given and not NULL,
** else a fresh one. */
static void code_new_rowid(Parse *p, const Table *t, int cursor, int regs, int rowid_reg, int have_ipk_value) {
  if (have_ipk_value) {
    int fresh = vdbe_make_label(p->v), done = vdbe_make_label(p->v);
    cg_op(p, OP_IsNull, regs + t->ipk, fresh, 0);
    cg_op(p, OP_SCopy, regs + t->ipk, rowid_reg, 0);
    cg_op(p, OP_MustBeInt, rowid_reg, 0, 0);
    cg_op(p, OP_Goto, 0, done, 0);
    vdbe_resolve_label(p->v, fresh);
    cg_op(p, OP_NewRowid, cursor, 0, rowid_reg);
    vdbe_resolve_label(p->v, done);
  } else {
    cg_op(p, OP_NewRowid, cursor, 0, rowid_reg);
  }
}

static int is_rowid_name(const char *z) {
  return util_stricmp(z, "rowid") == 0 || util_stricmp(z, "oid") == 0 || util_stricmp(z, "_rowid_") == 0;
}

/* Maps each table column to its position in the INSERT column list (-1). */
static int *insert_column_map(Parse *p, const Stmt *st, const Table *t, int nvalues) {
  int *map = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ncols ? t->ncols : 1));
  int i, j;
  if (!map) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  if (!st->columns) {
    if (nvalues != t->ncols) {
      cg_error(p, LODE_ERROR, "table %s has %d columns but %d values were supplied", t->name, t->ncols, nvalues);
      return NULL;
    }
    for (i = 0; i < t->ncols; i++) map[i] = i;
    return map;
  }
  if (nvalues != st->ncolumns) {
    cg_error(p, LODE_ERROR, "%d values for %d columns", nvalues, st->ncolumns);
    return NULL;
  }
  for (i = 0; i < t->ncols; i++) map[i] = -1;
  for (j = 0; j < st->ncolumns; j++) {
    int c = table_column_index(t, st->columns[j]);
    if (c < 0 && t->ipk >= 0 && is_rowid_name(st->columns[j])) c = t->ipk;
    if (c < 0) {
      cg_error(p, LODE_ERROR, "table %s has no column named %s", t->name, st->columns[j]);
      return NULL;
    }
    map[c] = j;
  }
  return map;
}

/* Inserts the values in vals[0..nvalues) (registers) as one row. */
static void insert_one_row(Parse *p, const Stmt *st, const Table *t, int cursor, const int *map, int vals) {
  int regs = cg_regs(p, t->ncols), rowid_reg = cg_reg(p);
  int skip = vdbe_make_label(p->v);
  int i, have_ipk = t->ipk >= 0 && map[t->ipk] >= 0;
  for (i = 0; i < t->ncols; i++) {
    if (map[i] >= 0) cg_op(p, OP_SCopy, vals + map[i], regs + i, 0);
    else if (i != t->ipk) cg_literal_default(p, &t->cols[i], regs + i);
  }
  code_new_rowid(p, t, cursor, regs, rowid_reg, have_ipk);
  check_not_null(p, t, regs, st->on_conflict, skip);
  check_constraints(p, t, regs, rowid_reg, st->on_conflict, skip);
  if (have_ipk) check_rowid_unique(p, t, cursor, rowid_reg, st->on_conflict, skip);
  write_row(p, t, cursor, regs, rowid_reg, OPFLAG_NCHANGE | OPFLAG_LASTROWID);
  vdbe_resolve_label(p->v, skip);
}

static void insert_from_select(Parse *p, const Stmt *st, const Table *t, int cursor) {
  /* Materialise the SELECT first so that it cannot see its own inserts. */
  SelectDest dest;
  KeyInfo *k = util_zalloc(sizeof *k);
  int sorter = cg_cursor(p), pseudo = cg_cursor(p), rec = cg_reg(p);
  int end = vdbe_make_label(p->v), top, vals, i;
  int *map;
  if (!k) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  if (vdbe_add_op4(p->v, OP_SorterOpen, sorter, 0, 0, P4_KEYINFO, k, 0) < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  memset(&dest, 0, sizeof dest);
  dest.kind = DEST_SORTER;
  dest.cursor = sorter;
  cg_select(p, st->insert_select, &dest);
  if (p->rc != LODE_OK) return;
  map = insert_column_map(p, st, t, dest.ncols);
  if (!map) return;
  cg_op(p, OP_OpenPseudo, pseudo, rec, dest.ncols);
  cg_op(p, OP_SorterSort, sorter, end, 0);
  top = cg_op(p, OP_SorterData, sorter, rec, 0);
  vals = cg_regs(p, dest.ncols);
  for (i = 0; i < dest.ncols; i++) cg_op(p, OP_Column, pseudo, i, vals + i);
  insert_one_row(p, st, t, cursor, map, vals);
  cg_op(p, OP_SorterNext, sorter, top, 0);
  vdbe_resolve_label(p->v, end);
}

/* OpenWrite on t's b-tree, named in the op's comment for EXPLAIN. */
static void open_table_for_writing(Parse *p, const Table *t, int cursor) {
  int addr = vdbe_add_op4_int(p->v, OP_OpenWrite, cursor, (int)t->root, 0, t->ncols);
  if (addr < 0) cg_error(p, LODE_NOMEM, "oom");
  else vdbe_set_comment(p->v, addr, "%s", t->name);
}

void cg_insert(Parse *p, const Stmt *st) {
  Table *t = cg_find_writable_table(p, st->table);
  int cursor, r, i;
  if (!t) return;
  p->writes = 1;
  cg_begin_program(p);
  cursor = cg_cursor(p);
  open_table_for_writing(p, t, cursor);
  if (st->insert_select) {
    insert_from_select(p, st, t, cursor);
  } else if (st->default_values) {
    int *map = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ncols ? t->ncols : 1));
    if (!map) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    for (i = 0; i < t->ncols; i++) map[i] = -1;
    insert_one_row(p, st, t, cursor, map, 0);
  } else {
    for (r = 0; r < st->nrows && p->rc == LODE_OK; r++) {
      const ExprList *row = st->rows[r];
      int *map = insert_column_map(p, st, t, row->n);
      int vals;
      if (!map) return;
      if (r > 0 && row->n != st->rows[0]->n) {
        cg_error(p, LODE_ERROR, "all VALUES must have the same number of terms");
        return;
      }
      vals = cg_regs(p, row->n);
      for (i = 0; i < row->n; i++) cg_expr(p, row->items[i], vals + i);
      insert_one_row(p, st, t, cursor, map, vals);
    }
  }
  cg_end_program(p);
}

/* Pass 1 of UPDATE/DELETE: rowids of the rows matching WHERE into a sorter.
** Returns the sorter cursor. */
static int collect_rowids(Parse *p, const Table *t, int cursor, const Expr *where) {
  KeyInfo *k = util_zalloc(sizeof *k);
  int sorter = cg_cursor(p), rowid = cg_reg(p), rec = cg_reg(p);
  int next = vdbe_make_label(p->v), done = vdbe_make_label(p->v), top;
  (void)t;
  if (!k) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return sorter;
  }
  const Expr *key = cg_find_rowid_eq(p, where, p->scope, 0);
  if (vdbe_add_op4(p->v, OP_SorterOpen, sorter, 0, 0, P4_KEYINFO, k, 0) < 0) cg_error(p, LODE_NOMEM, "oom");
  if (key) cg_seek_rowid(p, cursor, key, done);
  else cg_op(p, OP_Rewind, cursor, done, 0);
  top = vdbe_current_addr(p->v);
  if (where) cg_jump_if_false(p, where, next);
  cg_op(p, OP_Rowid, cursor, rowid, 0);
  cg_op(p, OP_MakeRecord, rowid, 1, rec);
  cg_op(p, OP_SorterInsert, sorter, rec, 0);
  vdbe_resolve_label(p->v, next);
  if (!key) cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, done);
  return sorter;
}

/* Pass 2 frame: positions `cursor` on each collected rowid in turn.  The body
** goes between the returned setup and finish_rowid_loop. */
typedef struct RowidLoop {
  int sorter, pseudo, rec, rowid, top, next, end;
} RowidLoop;

static void begin_rowid_loop(Parse *p, RowidLoop *l, int sorter, int cursor) {
  l->sorter = sorter;
  l->pseudo = cg_cursor(p);
  l->rec = cg_reg(p);
  l->rowid = cg_reg(p);
  l->next = vdbe_make_label(p->v);
  l->end = vdbe_make_label(p->v);
  cg_op(p, OP_OpenPseudo, l->pseudo, l->rec, 1);
  cg_op(p, OP_SorterSort, sorter, l->end, 0);
  l->top = cg_op(p, OP_SorterData, sorter, l->rec, 0);
  cg_op(p, OP_Column, l->pseudo, 0, l->rowid);
  cg_op(p, OP_NotExists, cursor, l->next, l->rowid);
}

static void end_rowid_loop(Parse *p, RowidLoop *l) {
  vdbe_resolve_label(p->v, l->next);
  cg_op(p, OP_SorterNext, l->sorter, l->top, 0);
  vdbe_resolve_label(p->v, l->end);
}

static Scope *single_table_scope(Parse *p, Table *t, int cursor, const char *alias) {
  Scope *s = arena_alloc(&p->arena, sizeof(Scope));
  if (!s || !(s->items = arena_alloc(&p->arena, sizeof(ScopeItem)))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  s->n = 1;
  s->items[0].name = alias ? alias : t->name;
  s->items[0].table = t;
  s->items[0].cursor = cursor;
  s->items[0].sorter = -1;
  return s;
}

/* Opens the table for writing and positions it on each row matching WHERE
** in turn (pass 2 of UPDATE/DELETE).  Returns the cursor, or -1 on error. */
static int begin_matching_rows(Parse *p, const Stmt *st, Table *t, RowidLoop *loop) {
  int cursor = cg_cursor(p), sorter;
  open_table_for_writing(p, t, cursor);
  p->scope = single_table_scope(p, t, cursor, st->alias);
  if (!p->scope) return -1;
  sorter = collect_rowids(p, t, cursor, st->where);
  begin_rowid_loop(p, loop, sorter, cursor);
  return cursor;
}

void cg_delete(Parse *p, const Stmt *st) {
  Table *t = cg_find_writable_table(p, st->table);
  int cursor, addr;
  RowidLoop loop;
  if (!t) return;
  p->writes = 1;
  cg_begin_program(p);
  cursor = begin_matching_rows(p, st, t, &loop);
  if (cursor < 0) return;
  addr = cg_op(p, OP_Delete, cursor, 0, 0);
  if (addr >= 0) vdbe_set_p5(p->v, addr, OPFLAG_NCHANGE);
  end_rowid_loop(p, &loop);
  p->scope = NULL;
  cg_end_program(p);
}


/* Writes the updated row under a new rowid: checks that it is free, removes
** the row under the old one, inserts. */
static void move_row(Parse *p, const Stmt *st, const Table *t, int cursor, RowidLoop *loop, int regs,
                     const Expr *rowid_expr) {
  int same = vdbe_make_label(p->v), new_rowid = cg_reg(p), addr;
  cg_expr(p, rowid_expr, new_rowid);
  cg_op(p, OP_MustBeInt, new_rowid, 0, 0); /* NULL or text: "datatype mismatch", as in SQLite */
  check_not_null(p, t, regs, st->on_conflict, loop->next);
  check_constraints(p, t, regs, new_rowid, st->on_conflict, loop->next);
  addr = vdbe_add_op4_int(p->v, OP_Eq, loop->rowid, same, new_rowid, COLL_BINARY);
  if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
  check_rowid_unique(p, t, cursor, new_rowid, st->on_conflict, loop->next);
  cg_op(p, OP_NotExists, cursor, loop->next, loop->rowid);
  cg_op(p, OP_Delete, cursor, 0, 0);
  vdbe_resolve_label(p->v, same);
  write_row(p, t, cursor, regs, new_rowid, OPFLAG_NCHANGE);
}

void cg_update(Parse *p, const Stmt *st) {
  Table *t = cg_find_writable_table(p, st->table);
  int cursor, regs, i;
  int *set_of; /* column → index in st->set, or -1 */
  const Expr *rowid_expr = NULL;
  RowidLoop loop;
  if (!t) return;
  p->writes = 1;
  set_of = arena_alloc(&p->arena, sizeof(int) * (size_t)(t->ncols ? t->ncols : 1));
  if (!set_of) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (i = 0; i < t->ncols; i++) set_of[i] = -1;
  for (i = 0; i < st->nset; i++) {
    int c = table_column_index(t, st->set[i].column);
    if (c < 0 && is_rowid_name(st->set[i].column)) {
      rowid_expr = st->set[i].value;
      continue;
    }
    if (c < 0) {
      cg_error(p, LODE_ERROR, "no such column: %s", st->set[i].column);
      return;
    }
    set_of[c] = i;
    if (c == t->ipk) rowid_expr = st->set[i].value;
  }
  cg_begin_program(p);
  cursor = begin_matching_rows(p, st, t, &loop);
  if (cursor < 0) return;
  regs = cg_regs(p, t->ncols);
  /* New values are computed from the old row before anything is written. */
  for (i = 0; i < t->ncols; i++) {
    if (i == t->ipk) cg_op(p, OP_Null, 0, regs + i, 0);
    else if (set_of[i] >= 0) cg_expr(p, st->set[set_of[i]].value, regs + i);
    else cg_code_column(p, t, cursor, i, regs + i);
  }
  if (rowid_expr) {
    move_row(p, st, t, cursor, &loop, regs, rowid_expr);
  } else {
    check_not_null(p, t, regs, st->on_conflict, loop.next);
    check_constraints(p, t, regs, loop.rowid, st->on_conflict, loop.next);
    write_row(p, t, cursor, regs, loop.rowid, OPFLAG_NCHANGE);
  }
  end_rowid_loop(p, &loop);
  p->scope = NULL;
  cg_end_program(p);
}
