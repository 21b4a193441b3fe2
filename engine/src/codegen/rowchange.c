/*
** rowchange.c — the one path every row change takes: INSERT, UPDATE,
** DELETE and their OR … variants call cg_row_change with the row before
** (a positioned cursor and its rowid) and after (registers), so that what
** must happen on every change — constraint checks, the table write, and the
** entries of the table's indexes — is coded in one place.
**
** Rows are records of every column in declaration order; the INTEGER
** PRIMARY KEY column (rowid alias) is stored as NULL in the record, its
** value being the b-tree key, as SQLite does.  Constraint checks (NOT NULL,
** CHECK, STRICT types, rowid uniqueness) run before the row is written, so a
** failing row halts the statement, whose changes the VM then rolls back; with
** OR IGNORE a failing row jumps to the caller's skip label instead.
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

/* UPDATE that gives the row a new rowid: the new one must be free (unless
** it is the same), the row under the old one goes, then the write. */
static void move_row(Parse *p, const RowChange *rc) {
  int same = vdbe_make_label(p->v);
  int addr = vdbe_add_op4_int(p->v, OP_Eq, rc->old_rowid, same, rc->new_rowid, COLL_BINARY);
  if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
  check_rowid_unique(p, rc->table, rc->cursor, rc->new_rowid, rc->on_conflict, rc->skip);
  cg_op(p, OP_NotExists, rc->cursor, rc->skip, rc->old_rowid);
  cg_op(p, OP_Delete, rc->cursor, 0, 0);
  vdbe_resolve_label(p->v, same);
}

void cg_row_change(Parse *p, const RowChange *rc) {
  const Table *t = rc->table;
  if (rc->kind == ROW_DELETE) {
    int addr = cg_op(p, OP_Delete, rc->cursor, 0, 0);
    if (addr >= 0) vdbe_set_p5(p->v, addr, (uint16_t)rc->flags);
    return;
  }
  check_not_null(p, t, rc->regs, rc->on_conflict, rc->skip);
  check_constraints(p, t, rc->regs, rc->new_rowid, rc->on_conflict, rc->skip);
  if (rc->kind == ROW_INSERT && rc->rowid_given)
    check_rowid_unique(p, t, rc->cursor, rc->new_rowid, rc->on_conflict, rc->skip);
  if (rc->kind == ROW_UPDATE && rc->rowid_given) move_row(p, rc);
  write_row(p, t, rc->cursor, rc->regs, rc->new_rowid, rc->flags);
}
