/*
** rowchange.c — the one path every row change takes: INSERT, UPDATE,
** DELETE and their OR … variants call cg_row_change with the row before
** (a positioned cursor and its key) and after (registers), so that what
** must happen on every change — constraint checks, the table write, and the
** entries of the table's indexes — is coded in one place.
**
** Rows of a rowid table are records of every column in declaration order
** (VIRTUAL generated columns left out: generated.c computes them);
** the INTEGER PRIMARY KEY column (rowid alias) is stored as NULL in the
** record, its value being the b-tree key, as SQLite does.  A WITHOUT ROWID
** table's row is an entry of its PRIMARY KEY's index-format b-tree (key
** columns first); an UPDATE deletes the old entry and inserts the new one.
** Constraint checks (NOT NULL, CHECK, STRICT types, rowid or PRIMARY KEY and
** UNIQUE uniqueness) run before the row is written, so a failing row halts
** the statement with the conflict action that applies (the statement's OR
** clause, else the constraint's ON CONFLICT, else ABORT), which tells the VM
** what to undo: the statement (ABORT, and always for STRICT types), nothing
** (FAIL) or the transaction (ROLLBACK).  With IGNORE a failing row jumps to
** the caller's skip label instead.  Foreign keys (fkey.c, the cg_fk_*
** hooks) are counted for the row leaving and the row arriving, and their
** ON DELETE / ON UPDATE actions run once the change is made.  With change
** data capture on (cdc.c), each row written or deleted — a REPLACE's victims
** included — is recorded just before the b-tree write.
*/
#include <assert.h>
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

/* Halts with a constraint error; mode (ABORT, FAIL or ROLLBACK) tells the VM
** what to undo. */
static void halt_with(Parse *p, int rc, const char *msg, int mode) {
  int addr = vdbe_add_op4(p->v, OP_Halt, rc, mode, 0, P4_STRING, msg, (int)strlen(msg));
  if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
}

/* The conflict resolution that applies: the statement's OR clause, else
** the constraint's own ON CONFLICT, else ABORT. */
static int conflict_mode(int stmt, int constraint) {
  if (stmt != ONCONFLICT_UNSET) return stmt;
  return constraint == ONCONFLICT_UNSET ? ONCONFLICT_ABORT : constraint;
}

/* NOT NULL checks for the record in regs (rowid column skipped), each under
** its conflict mode: IGNORE skips the row; REPLACE puts the column's default
** in place of the NULL (with the column's affinity, which keys were computed
** with), and fails as ABORT when there is none or it is NULL too.
** generated: the generated columns' checks (made once they are computed,
** from the other columns as REPLACE left them), else the others'. */
static void check_not_null(Parse *p, const Table *t, int regs, int on_conflict, int skip_row, const char *aff,
                           int generated) {
  int i;
  for (i = 0; i < t->ncols; i++) {
    const Column *c = &t->cols[i];
    char *msg;
    if (!c->not_null || i == t->ipk || (c->generated != 0) != generated) continue;
    int mode = conflict_mode(on_conflict, c->notnull_conflict);
    if (mode == ONCONFLICT_IGNORE) {
      cg_op(p, OP_IsNull, regs + i, skip_row, 0);
      continue;
    }
    if (mode == ONCONFLICT_REPLACE) {
      if (c->default_sql && aff) {
        int present = vdbe_make_label(p->v);
        cg_op(p, OP_NotNull, regs + i, present, 0);
        cg_literal_default(p, t, c, regs + i);
        cg_op4_str(p, OP_Affinity, regs + i, 1, 0, aff + i);
        vdbe_resolve_label(p->v, present);
      }
      mode = ONCONFLICT_ABORT;
    }
    msg = util_mprintf("NOT NULL constraint failed: %s.%s", t->name, c->name);
    if (!msg) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    if (vdbe_add_op4(p->v, OP_HaltIfNull, LODE_CONSTRAINT_NOTNULL, mode, regs + i, P4_STRING, msg, (int)strlen(msg)) <
        0)
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
  Scope scope, *saved;
  ScopeItem item;
  char *aff;
  int i;
  if (!t->has_checks || p->db->settings[CONN_SET_IGNORE_CHECK_CONSTRAINTS]) return;
  int rc = t->db == CONN_DB_TEMP ? sql_parse(&p->arena, t->sql, -1, &create, NULL, &err)
                                 : sql_parse_schema(&p->arena, t->sql, -1, &create, NULL, &err);
  if (rc != LODE_OK || !create) {
    cg_error(p, LODE_CORRUPT, "malformed database schema (%s)", t->name);
    util_free(err);
    return;
  }
  aff = affinity_string(p, t);
  if (!aff) return;
  cg_op4_str(p, OP_Affinity, regs, t->ncols, 0, aff);
  RowSource row = {t, -1, regs, rowid_reg};
  saved = cg_row_scope_push(p, &row, &scope, &item);
  for (i = 0; i < create->nconstraints && p->rc == LODE_OK; i++) {
    const TableConstraint *c = &create->constraints[i];
    int ok = vdbe_make_label(p->v), r;
    char *msg;
    if (c->kind != TC_CHECK || !c->check) continue;
    if (cg_check_expr_prepare(p, c->check) != LODE_OK) break;
    int place = p->pure_place;
    p->pure_place = FUNC_PLACE_CHECK;
    r = cg_expr_reg(p, c->check);
    p->pure_place = place;
    cg_op(p, OP_If, r, ok, 1); /* true, or NULL */
    if (on_conflict == ONCONFLICT_IGNORE) {
      cg_op(p, OP_Goto, 0, skip_row, 0);
    } else {
      int mode = conflict_mode(on_conflict, ONCONFLICT_UNSET);
      msg = util_mprintf("CHECK constraint failed: %s", c->name ? c->name : c->span ? c->span : "");
      if (!msg) cg_error(p, LODE_NOMEM, "out of memory");
      else halt_with(p, LODE_CONSTRAINT_CHECK, msg, mode == ONCONFLICT_REPLACE ? ONCONFLICT_ABORT : mode);
      util_free(msg);
    }
    vdbe_resolve_label(p->v, ok);
  }
  p->scope = saved;
}

/* Fails (or skips/replaces per on_conflict) when rowid already exists. */
void cg_check_rowid_unique(Parse *p, const Table *t, int cursor, int rowid_reg, int on_conflict, int skip_row) {
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
    halt_with(p, LODE_CONSTRAINT_PRIMARYKEY, msg, on_conflict);
    util_free(msg);
  }
  vdbe_resolve_label(p->v, ok);
}

/* typed: a STRICT table's values were checked already (cg_row_change). */
static void write_row(Parse *p, const Table *t, int cursor, int regs, int rowid_reg, int flags, const char *kept,
                      int typed) {
  int rec = cg_reg(p);
  char *aff = affinity_string(p, t);
  int addr;
  if (!aff) return;
  if (t->ipk >= 0) cg_op(p, OP_Null, 0, regs + t->ipk, 0);
  if (t->strict && !typed) check_strict_types(p, t, regs, aff);
  if (t->nvirtual) regs = cg_generated_record(p, t, regs, aff, &aff); /* VIRTUAL columns stay out */
  int n = table_record_ncols(t);
  assert(!kept || (n == t->ncols && !t->strict));
  for (int i = 0; kept && i < n; i++)
    if (kept[i]) aff[i] = RECORD_KEEP_FIELD;
  addr = vdbe_add_op4(p->v, OP_MakeRecord, regs, n, rec, P4_STRING, aff, n);
  if (addr < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  if (kept) vdbe_set_p5(p->v, addr, (uint16_t)(cursor + 1));
  addr = cg_op(p, OP_Insert, cursor, rec, rowid_reg);
  if (addr >= 0) vdbe_set_p5(p->v, addr, (uint16_t)flags);
}

/* A WITHOUT ROWID row is an entry of its PRIMARY KEY's b-tree: the key
** columns, then the others (the affinities are already applied). */
static void write_entry(Parse *p, const Table *t, int cursor, int regs, int flags, int typed) {
  const Index *pk = t->pk;
  RowSource row = {t, -1, regs, 0};
  int rec = cg_reg(p), entry = cg_regs(p, pk->ncols);
  if (t->strict && !typed) {
    char *aff = affinity_string(p, t);
    if (!aff) return;
    check_strict_types(p, t, regs, aff);
  }
  cg_index_key(p, pk, &row, pk->ncols, entry);
  cg_op(p, OP_MakeRecord, entry, pk->ncols, rec);
  /* The fields stay in their registers for the insert's comparisons; a
  ** uniqueness probe of the key columns just before (NoConflict) left the
  ** cursor where the entry goes. */
  int addr = vdbe_add_op4_int(p->v, OP_IdxInsert, cursor, rec, entry, pk->ncols);
  if (addr >= 0)
    vdbe_set_p5(p->v, addr,
                (uint16_t)((flags & (OPFLAG_NCHANGE | OPFLAG_NESTED | OPFLAG_PREUPDATE | OPFLAG_ISUPDATE)) |
                           OPFLAG_PROBED));
}

static int index_cursor_of(const RowChange *rc, const Index *ix);

/* The keep list of cg_index_delete_entries that leaves out the entry of the
** index whose cursor is at (deleted by the caller on a cursor already on it). */
static char *keep_one_entry(Parse *p, const RowChange *rc, int at) {
  size_t n = (size_t)cg_idxm_count(rc->table);
  for (const Index *x = rc->table->indexes; x; x = x->next) n += index_has_own_btree(x);
  char *keep = arena_alloc(&p->arena, n + 1);
  if (!keep) return NULL;
  memset(keep, 0, n + 1);
  keep[at - rc->idx_cursor] = 1;
  return keep;
}

/* The row on the table cursor and its index entries deleted, with what its
** foreign keys say of the deletion (ix: the index in conflict, NULL for the
** rowid).  on_entry: ix's cursor is still on the conflicting entry, where its
** uniqueness probe left it (nothing ran in between that writes its tree), so
** that entry is deleted there instead of being sought again, as SQLite does.
** rowid: a register holding the row's rowid (the key it was sought by), or 0. */
static void delete_row_and_entries(Parse *p, const RowChange *rc, const Index *ix, int on_entry, int rowid) {
  int fk_old = cg_fk_deleting(p, rc, ix);
  cg_cdc_replaced(p, rc);
  if (rc->idx_cursor >= 0) {
    RowSource old = {rc->table, rc->cursor, 0, rc->table->without_rowid ? 0 : rowid};
    int at = on_entry && ix ? index_cursor_of(rc, ix) : -1;
    char *keep = at >= 0 ? keep_one_entry(p, rc, at) : NULL;
    cg_index_delete_entries(p, rc->table, rc->idx_cursor, &old, keep);
    if (keep) {
      /* An INSERT's REPLACE on a UNIQUE index: the new row's entry has the
      ** found entry's key (only the rowid differs), and no other entry has
      ** that key, so it belongs where the found one is.  The entry stays for
      ** the insert to overwrite there, when nothing can keep the insert
      ** from coming: REPLACE checks come last, and no upsert, trigger,
      ** foreign key or capture is involved. */
      int addr = cg_op(p, OP_Delete, at, 0, 0);
      if (addr >= 0 && rc->kind == ROW_INSERT && !rc->table->without_rowid && !(rc->upsert && rc->upsert->n) &&
          !rc->replace_triggers && !cg_cdc_mode(p, rc->table))
        vdbe_set_p5(p->v, addr, OPFLAG_ISNOOP);
    }
  }
  int addr = cg_op(p, OP_Delete, rc->cursor, 0, 0);
  if (addr >= 0) vdbe_set_p5(p->v, addr, OPFLAG_PREUPDATE);
  cg_fk_deleted(p, rc, fk_old);
  if (rc->kind == ROW_INSERT && !rc->rowid_given && !rc->table->without_rowid) {
    /* The new row's rowid is NewRowid's, past every row: with the table
    ** cursor on the last row again (a walk down the right edge) the insert
    ** appends there instead of seeking its rowid from the root, which costs
    ** more (speedtest1 290, REPLACE refill: 79.5M -> 77.7M instructions). */
    int past = vdbe_make_label(p->v);
    cg_op(p, OP_Last, rc->cursor, past, 0);
    vdbe_resolve_label(p->v, past);
  }
}

/* With recursive triggers on, the row REPLACE removes fires the table's
** DELETE triggers around its removal (trigger.c), as in SQLite; a BEFORE
** trigger may delete or move it first. */
static void delete_row_with_triggers(Parse *p, const RowChange *rc, const Index *ix) {
  const Table *t = rc->table;
  const TriggerSet *ts = rc->replace_triggers;
  int block = cg_trigger_block(p, t), old = cg_trigger_old(t, block), done = vdbe_make_label(p->v);
  int nkey = cg_row_key_len(t), key = cg_regs(p, nkey);
  cg_trigger_row_from_cursor(p, t, rc->cursor, old);
  if (t->without_rowid) {
    RowSource row = {t, -1, old + 1, 0};
    cg_index_key(p, t->pk, &row, nkey, key);
  } else {
    cg_op(p, OP_Copy, old, key, 0);
  }
  /* An UPDATE in the middle of changing its row: the triggers may not
  ** write the table (SQLite's pinned cursor, "constraint failed"), lest
  ** they change that row or its index entries under it. */
  int pin = rc->kind == ROW_UPDATE && ix;
  if (pin) cg_op(p, OP_CursorLock, rc->cursor, 0, 0);
  cg_fire_triggers(p, ts, TRIGGER_BEFORE, block, done);
  if (cg_triggers_have(ts, TRIGGER_BEFORE)) cg_seek_row(p, t, rc->cursor, key, done);
  delete_row_and_entries(p, rc, ix, 0, key);
  cg_fire_triggers(p, ts, TRIGGER_AFTER, block, done);
  vdbe_resolve_label(p->v, done);
  if (pin) cg_op(p, OP_CursorUnlock, rc->cursor, 0, 0);
}

/* Deletes the row on the table cursor with its index entries: OR REPLACE
** making room.  It does not count as a change, as in SQLite.  key: the
** registers of the row's key (for a rowid table its rowid), or 0. */
static void delete_current_row(Parse *p, const RowChange *rc, const Index *ix, int key) {
  if (rc->replace_fired) cg_op(p, OP_Integer, 1, rc->replace_fired, 0);
  if (rc->replace_triggers) delete_row_with_triggers(p, rc, ix);
  else delete_row_and_entries(p, rc, ix, !cg_fk_involves(p, rc->table), key);
}

/* Deletes the row whose key is at key.. (if any), as delete_current_row. */
static void replace_row(Parse *p, const RowChange *rc, int key, const Index *ix) {
  int absent = vdbe_make_label(p->v);
  cg_seek_row(p, rc->table, rc->cursor, key, absent);
  delete_current_row(p, rc, ix, key);
  vdbe_resolve_label(p->v, absent);
}

/* An INSERT's REPLACE of the row that holds its rowid, when only indexes
** hear of the deletion (no foreign keys, DELETE triggers or capture): the
** row loses its index entries and the insert then overwrites it in place,
** as SQLite does, which costs less than a delete and an insert.  The Delete
** left leaves the b-tree alone; it tells the preupdate hook. */
static void replace_entries_only(Parse *p, const RowChange *rc) {
  int absent = vdbe_make_label(p->v);
  RowSource old = {rc->table, rc->cursor, 0, rc->new_rowid};
  cg_seek_row(p, rc->table, rc->cursor, rc->new_rowid, absent);
  if (rc->replace_fired) cg_op(p, OP_Integer, 1, rc->replace_fired, 0);
  cg_index_delete_entries(p, rc->table, rc->idx_cursor, &old, NULL);
  int addr = cg_op(p, OP_Delete, rc->cursor, 0, 0);
  if (addr >= 0) vdbe_set_p5(p->v, addr, OPFLAG_PREUPDATE | OPFLAG_ISNOOP);
  vdbe_resolve_label(p->v, absent);
}

/* An INSERT's REPLACE of the row with the new row's PRIMARY KEY in a WITHOUT
** ROWID table, when only its indexes hear of the deletion (as
** replace_entries_only for a rowid): the row loses its other index entries
** and the insert overwrites its entry where the probe found it, as SQLite
** overwrites an equal key.  The Delete left tells the preupdate hook. */
static void replace_key_in_place(Parse *p, const RowChange *rc) {
  if (rc->replace_fired) cg_op(p, OP_Integer, 1, rc->replace_fired, 0);
  if (rc->idx_cursor >= 0) {
    RowSource old = {rc->table, rc->cursor, 0, 0};
    cg_index_delete_entries(p, rc->table, rc->idx_cursor, &old, NULL);
  }
  int addr = cg_op(p, OP_Delete, rc->cursor, 0, 0);
  if (addr >= 0) vdbe_set_p5(p->v, addr, OPFLAG_PREUPDATE | OPFLAG_ISNOOP);
}

/* A conflict found on ix: fail, skip the row, or (REPLACE) run replace,
** whose code deletes the row in the way. */
static void on_conflict(Parse *p, const RowChange *rc, const Index *ix, int mode, int replace_key) {
  if (mode == ONCONFLICT_IGNORE) {
    cg_op(p, OP_Goto, 0, rc->skip, 0);
  } else if (mode == ONCONFLICT_REPLACE) {
    if (replace_key) replace_row(p, rc, replace_key, ix);
    else delete_current_row(p, rc, ix, 0);
  } else {
    char *msg = cg_unique_message(ix);
    if (!msg) cg_error(p, LODE_NOMEM, "out of memory");
    else halt_with(p, ix->origin == INDEX_ORIGIN_PK ? LODE_CONSTRAINT_PRIMARYKEY : LODE_CONSTRAINT_UNIQUE, msg, mode);
    util_free(msg);
  }
}

/* Rowid uniqueness (under the INTEGER PRIMARY KEY's own ON CONFLICT unless
** the statement says): fails, skips, or (REPLACE) deletes the row holding it. */
static void check_rowid(Parse *p, const RowChange *rc) {
  const Upsert *u = cg_upsert_for(rc->upsert, NULL);
  if (u) {
    int ok = vdbe_make_label(p->v);
    cg_op(p, OP_NotExists, rc->cursor, ok, rc->new_rowid);
    cg_upsert_action(p, rc, u, rc->new_rowid);
    vdbe_resolve_label(p->v, ok);
    return;
  }
  int mode = conflict_mode(rc->on_conflict, rc->table->ipk_conflict);
  if (mode == ONCONFLICT_REPLACE) {
    /* The write replaces the row; its index entries (and what its foreign
    ** keys say of its deletion, DELETE triggers, its capture) must go first. */
    if (cg_fk_involves(p, rc->table) || rc->replace_triggers || cg_cdc_mode(p, rc->table) || rc->kind != ROW_INSERT)
      replace_row(p, rc, rc->new_rowid, NULL);
    else if (rc->idx_cursor >= 0)
      replace_entries_only(p, rc);
    return;
  }
  cg_check_rowid_unique(p, rc->table, rc->cursor, rc->new_rowid, mode, rc->skip);
}

/* An UPDATE checks the uniqueness of the indexes whose key it may change
** only (SQLite's rule: so a REPLACE there never runs for an index the SET
** list leaves alone): a key column it sets, an expression or partial
** condition (which may read one), or a new rowid. */
static int update_touches(const RowChange *rc, const Index *ix) {
  if (rc->kind != ROW_UPDATE || !rc->set_of || rc->rowid_given || ix->where) return 1;
  for (int k = 0; k < ix->nkey; k++) {
    int cid = ix->cols[k].cid;
    /* A generated column may change with any column it reads: touched. */
    if (cid < 0 || rc->set_of[cid] >= 0 || rc->table->cols[cid].generated) return 1;
  }
  return 0;
}

char *cg_update_kept_columns(Parse *p, const Table *t, const int *set_of) {
  RowChange probe = {.kind = ROW_UPDATE, .table = t, .set_of = set_of};
  char *kept;
  int i, any = 0;
  /* Rows whose every column is looked at (STRICT types, CHECK, generated
  ** columns) or that are not plain rowid records keep nothing. */
  if (!set_of || t->without_rowid || t->strict || t->has_checks || t->ngenerated || t->method_indexes) return NULL;
  if (!(kept = arena_alloc(&p->arena, (size_t)t->ncols + 1))) return NULL;
  /* A column with a default other than NULL could be missing from a row
  ** written before ALTER TABLE ADD COLUMN: only a register read gives it. */
  for (i = 0; i < t->ncols; i++)
    kept[i] = i != t->ipk && set_of[i] < 0 && !t->cols[i].not_null && !t->cols[i].default_sql;
  /* The entries the change rewrites are made from the registers. */
  for (const Index *ix = t->indexes; ix; ix = ix->next) {
    if (!update_touches(&probe, ix)) continue;
    if (ix->where) return NULL;
    for (int k = 0; k < ix->ncols; k++) {
      int cid = ix->cols[k].cid;
      if (cid == XN_EXPR) return NULL;
      if (cid >= 0) kept[cid] = 0;
    }
  }
  for (i = 0; i < t->ncols; i++) any |= kept[i];
  return any ? kept : NULL;
}

/* UPDATE: per index with a b-tree (in cursor order), 1 when the statement
** cannot change its entry (no column of the entry is set, as update_touches
** decides; the row keeps its rowid), so the entry stays as it is, as in
** SQLite; NULL when every entry is rewritten.  WITHOUT ROWID entries carry
** the PRIMARY KEY too: those are always rewritten. */
static const char *entries_kept(Parse *p, const RowChange *rc) {
  const Table *t = rc->table;
  if (rc->idx_cursor < 0 || t->without_rowid || !rc->set_of) return NULL;
  int n = cg_idxm_count(t);
  for (const Index *ix = t->indexes; ix; ix = ix->next) n += index_has_own_btree(ix);
  char *keep = arena_alloc(&p->arena, (size_t)n + 1);
  if (!keep) return NULL;
  int i = 0, any = 0;
  for (const Index *ix = t->indexes; ix; ix = ix->next) {
    if (!index_has_own_btree(ix)) continue;
    keep[i] = !update_touches(rc, ix);
    any |= keep[i++];
  }
  /* Then the index methods' (their cursors follow): a method hears of an
  ** UPDATE only when it sets one of the columns it indexes. */
  for (const MethodIndex *mi = t->method_indexes; mi; mi = mi->next) {
    if (mi->backing) continue;
    int touched = rc->rowid_given;
    for (int k = 0; k < mi->ncols && !touched; k++)
      touched = rc->set_of[mi->cols[k]] >= 0 || t->cols[mi->cols[k]].generated || mi->cols[k] == t->ipk;
    keep[i] = !touched;
    any |= keep[i++];
  }
  return any ? keep : NULL;
}

const char *cg_update_untouched_indexes(Parse *p, const Table *t, const int *set_of, int rowid_given,
                                        int on_conflict) {
  RowChange probe = {.kind = ROW_UPDATE, .table = t, .set_of = set_of, .rowid_given = rowid_given,
                     .on_conflict = on_conflict, .idx_cursor = 0};
  /* A REPLACE deletes another row: that row's entries go from every index. */
  if (cg_row_may_replace(&probe)) return NULL;
  return entries_kept(p, &probe);
}

/* A WITHOUT ROWID table's PRIMARY KEY: no other row may have the new
** row's key.  The table cursor is left on the row in the way, so REPLACE
** deletes it there; an UPDATE that keeps the key (under the key's
** collations) cannot conflict and skips the search. */
static void check_primary_key(Parse *p, const RowChange *rc) {
  const Index *pk = rc->table->pk;
  RowSource row = {rc->table, -1, rc->regs, 0};
  int ok = vdbe_make_label(p->v), key = cg_regs(p, pk->nkey);
  cg_index_key(p, pk, &row, pk->nkey, key);
  if (rc->kind == ROW_UPDATE) cg_jump_if_same_row(p, rc->table, rc->old_key, key, ok);
  vdbe_add_op4_int(p->v, OP_NoConflict, rc->cursor, ok, key, pk->nkey);
  const Upsert *u = cg_upsert_for(rc->upsert, pk);
  if (u) {
    int other = cg_regs(p, pk->nkey);
    cg_row_key_of_entry(p, pk, rc->cursor, other); /* the key as stored, which may differ under its collation */
    cg_upsert_action(p, rc, u, other);
  } else if (conflict_mode(rc->on_conflict, pk->on_conflict) == ONCONFLICT_REPLACE && rc->kind == ROW_INSERT &&
             !cg_fk_involves(p, rc->table) && !rc->replace_triggers && !cg_cdc_mode(p, rc->table)) {
    replace_key_in_place(p, rc);
  } else {
    on_conflict(p, rc, pk, conflict_mode(rc->on_conflict, pk->on_conflict), 0);
  }
  vdbe_resolve_label(p->v, ok);
}

/* The uniqueness check of one index (cursor: its cursor): the new row's
** key must not be in it (NULLs never conflict; the row being updated does
** not conflict with itself). */
static void check_unique_index(Parse *p, const RowChange *rc, const Index *ix, int cursor) {
  RowSource row = {rc->table, -1, rc->regs, rc->new_rowid};
  if (!update_touches(rc, ix)) return;
  if (!index_has_own_btree(ix)) {
    check_primary_key(p, rc);
    return;
  }
  if (!ix->unique) return;
  int ok = vdbe_make_label(p->v), key = cg_regs(p, ix->nkey), other = cg_regs(p, cg_row_key_len(rc->table));
  cg_index_skip_unless_selected(p, ix, &row, ok);
  cg_index_key(p, ix, &row, ix->nkey, key);
  vdbe_add_op4_int(p->v, OP_NoConflict, cursor, ok, key, ix->nkey);
  cg_row_key_of_entry(p, ix, cursor, other);
  if (rc->kind == ROW_UPDATE) cg_jump_if_same_row(p, rc->table, rc->old_key, other, ok);
  const Upsert *u = cg_upsert_for(rc->upsert, ix);
  if (u) cg_upsert_action(p, rc, u, other);
  else on_conflict(p, rc, ix, conflict_mode(rc->on_conflict, ix->on_conflict), other);
  vdbe_resolve_label(p->v, ok);
}

/* The cursor of ix among the table's index cursors (a WITHOUT ROWID
** table's PRIMARY KEY has none: -1). */
static int index_cursor_of(const RowChange *rc, const Index *ix) {
  int c = rc->idx_cursor;
  for (const Index *x = rc->table->indexes; x; x = x->next) {
    if (x == ix) return index_has_own_btree(x) ? c : -1;
    if (index_has_own_btree(x)) c++;
  }
  return -1;
}

/* The rowid check of an INSERT that gives the rowid, or of an UPDATE that
** may change it (not when it keeps it). */
static void check_new_rowid(Parse *p, const RowChange *rc) {
  int moved = vdbe_make_label(p->v);
  if (rc->kind == ROW_UPDATE) cg_jump_if_same_row(p, rc->table, rc->old_key, rc->new_rowid, moved);
  check_rowid(p, rc);
  vdbe_resolve_label(p->v, moved);
}

/* When the rowid check runs, as SQLite orders it: first; among the upsert
** clauses' indexes when the first clause does not handle rowid conflicts
** (see check_unique_indexes); or last, when the INTEGER PRIMARY KEY's own ON
** CONFLICT REPLACE applies but the other constraints keep theirs, so that a
** row an IGNORE or an upsert keeps out never costs the row holding its
** rowid. */
enum { ROWID_FIRST, ROWID_AMONG_TARGETS, ROWID_LAST };
static int rowid_check_place(const RowChange *rc) {
  const UpsertInfo *up = rc->upsert;
  if (rc->idx_cursor < 0) return ROWID_FIRST;
  if (up && up->n && cg_upsert_for(up, NULL) != up->clause[0]) return ROWID_AMONG_TARGETS;
  if (rc->on_conflict == ONCONFLICT_UNSET && rc->table->ipk_conflict == ONCONFLICT_REPLACE && !cg_upsert_for(up, NULL))
    return ROWID_LAST;
  return ROWID_FIRST;
}

/* Whether clause i of an upsert names an index an earlier clause names too. */
static int repeats_index(const UpsertInfo *up, int i) {
  for (int j = 0; j < i; j++)
    if (up->index[i] && up->index[j] == up->index[i]) return 1;
  return 0;
}

/* Each UNIQUE index, in the table's index order (a WITHOUT ROWID table's
** PRIMARY KEY at its place among them, as SQLite checks them); an upsert's
** target indexes come first, in the order of its clauses.  rowid_among:
** the rowid check runs among them where its turn comes, after the index of
** a clause when the next clause (past repeats) targets the rowid, has no
** target, or there is none — so the first clause (in order) whose conflict
** the row has is the one that handles it. */
static void check_unique_indexes(Parse *p, const RowChange *rc, int rowid_among) {
  const UpsertInfo *up = rc->upsert;
  for (int i = 0; up && i < up->n; i++) {
    if (up->index[i] && !repeats_index(up, i)) check_unique_index(p, rc, up->index[i], index_cursor_of(rc, up->index[i]));
    if (!rowid_among || !up->index[i]) continue;
    int next = i + 1;
    while (next < up->n && repeats_index(up, next)) next++;
    if (next == up->n || !up->index[next]) {
      check_new_rowid(p, rc);
      rowid_among = 0;
    }
  }
  int c = rc->idx_cursor;
  for (const Index *ix = rc->table->indexes; ix; ix = ix->next) {
    int cursor = index_has_own_btree(ix) ? c++ : -1, targeted = 0;
    for (int i = 0; up && i < up->n; i++) targeted |= up->index[i] == ix;
    if (!targeted) check_unique_index(p, rc, ix, cursor);
  }
}

/* DELETE triggers or foreign key actions (and the triggers those fire) that
** a REPLACE ran may have put a conflicting row back: when it deleted a row,
** every uniqueness check runs again, failing as ABORT, as in SQLite. */
static void recheck_after_replace_triggers(Parse *p, const RowChange *rc) {
  int ok = vdbe_make_label(p->v);
  RowChange again = *rc;
  again.on_conflict = ONCONFLICT_ABORT;
  again.upsert = NULL;
  again.replace_triggers = NULL;
  again.replace_fired = 0;
  cg_op(p, OP_IfNot, rc->replace_fired, ok, 0);
  if (!rc->table->without_rowid) check_new_rowid(p, &again); /* a trigger may have taken the new rowid */
  if (rc->idx_cursor >= 0 || rc->table->without_rowid) check_unique_indexes(p, &again, 0);
  vdbe_resolve_label(p->v, ok);
}

/* UPDATE: the old row goes (its entries, and the row itself unless the new
** one overwrites it under the same rowid).  Jumps to same when the write
** can overwrite. */
static void remove_old_row(Parse *p, const RowChange *rc, int same, const char *keep) {
  const Table *t = rc->table;
  int has_indexes = rc->idx_cursor >= 0;
  /* Back on the old row: a REPLACE above may have moved the cursor. */
  if (has_indexes || rc->rowid_given || t->without_rowid) cg_seek_row(p, t, rc->cursor, rc->old_key, rc->skip);
  if (has_indexes) {
    RowSource old = {t, rc->cursor, 0, t->without_rowid ? 0 : rc->old_key};
    cg_index_delete_entries(p, t, rc->idx_cursor, &old, keep);
  }
  if (t->without_rowid) {
    int addr = cg_op(p, OP_Delete, rc->cursor, 0, 0);
    if (addr >= 0) vdbe_set_p5(p->v, addr, OPFLAG_PREUPDATE | OPFLAG_ISUPDATE);
  } else if (rc->rowid_given) {
    cg_jump_if_same_row(p, t, rc->old_key, rc->new_rowid, same);
    int addr = cg_op(p, OP_Delete, rc->cursor, 0, 0);
    if (addr >= 0) vdbe_set_p5(p->v, addr, OPFLAG_PREUPDATE | OPFLAG_ISUPDATE);
  }
}

int cg_row_may_replace(const RowChange *rc) {
  const Table *t = rc->table;
  if (rc->on_conflict != ONCONFLICT_UNSET) return rc->on_conflict == ONCONFLICT_REPLACE;
  if (t->ipk_conflict == ONCONFLICT_REPLACE) return 1;
  for (const Index *ix = t->indexes; ix; ix = ix->next)
    if (ix->unique && ix->on_conflict == ONCONFLICT_REPLACE) return 1;
  return 0;
}

void cg_row_change(Parse *p, const RowChange *rc) {
  const Table *t = rc->table;
  int has_indexes = rc->idx_cursor >= 0;
  CdcRow cdc;
  if (cg_cdc_refuse(p, t) != LODE_OK) return;
  cg_cdc_old_row(p, rc, &cdc);
  int fk_old = cg_fk_old_row(p, rc);
  if (rc->kind == ROW_DELETE) {
    cg_fk_check_old(p, rc, fk_old);
    if (has_indexes) {
      RowSource old = {t, rc->cursor, 0, t->without_rowid ? 0 : rc->old_key};
      int at = rc->walk_index ? index_cursor_of(rc, rc->walk_index) : -1;
      char *keep = at >= 0 ? keep_one_entry(p, rc, at) : NULL;
      cg_index_delete_entries(p, t, rc->idx_cursor, &old, keep);
      if (keep) cg_op(p, OP_Delete, rc->walk_cursor, 0, 0);
    }
    /* RETURNING reads the old row, kept in registers: it is computed after
    ** the delete, so that what it reads (a subquery) no longer has the row. */
    int old_regs = 0, old_rowid = 0;
    if (rc->returning) {
      old_regs = cg_regs(p, t->ncols);
      old_rowid = cg_reg(p);
      for (int i = 0; i < t->ncols; i++) cg_code_column(p, (Table *)t, rc->cursor, i, old_regs + i);
      if (!t->without_rowid) cg_code_column(p, (Table *)t, rc->cursor, -1, old_rowid);
    }
    cg_cdc_delete(p, rc, &cdc);
    int addr = cg_op(p, OP_Delete, rc->cursor, 0, 0);
    if (addr >= 0) vdbe_set_p5(p->v, addr, (uint16_t)(rc->flags | OPFLAG_PREUPDATE));
    if (rc->returning) cg_returning_row(p, rc->returning, -1, old_regs, old_rowid);
    cg_fk_actions(p, rc, fk_old);
    return;
  }
  char *aff = affinity_string(p, t);
  check_not_null(p, t, rc->regs, rc->on_conflict, rc->skip, aff, 0);
  cg_generated_compute(p, t, rc->regs, rc->new_rowid);
  if (aff && (has_indexes || t->without_rowid)) {
    /* Keys and UNIQUE checks see the values as they will be stored.  The
    ** columns an UPDATE keeps from the old record are in no register and
    ** nothing reads them, and BLOB affinity changes nothing: only the span
    ** of the others is converted. */
    int lo = 0, hi = t->ncols;
    while (lo < hi && ((rc->kept && rc->kept[lo]) || aff[lo] == AFF_NONE)) lo++;
    while (hi > lo && ((rc->kept && rc->kept[hi - 1]) || aff[hi - 1] == AFF_NONE)) hi--;
    if (lo < hi) {
      char *span = arena_alloc(&p->arena, (size_t)(hi - lo) + 1);
      if (span) {
        memcpy(span, aff + lo, (size_t)(hi - lo));
        span[hi - lo] = 0;
        cg_op4_str(p, OP_Affinity, rc->regs + lo, hi - lo, 0, span);
      } else {
        cg_error(p, LODE_NOMEM, "out of memory");
      }
    }
  }
  if (t->ngenerated) check_not_null(p, t, rc->regs, rc->on_conflict, rc->skip, aff, 1);
  /* A STRICT table's values are checked against their types where SQLite
  ** applies the table's affinity: before the first CHECK constraint, else
  ** before the first UNIQUE index's check, else as the record is made. */
  int typed = 0;
  if (t->strict && aff && t->has_checks && !p->db->settings[CONN_SET_IGNORE_CHECK_CONSTRAINTS]) {
    check_strict_types(p, t, rc->regs, aff);
    typed = 1;
  }
  check_constraints(p, t, rc->regs, rc->new_rowid, rc->on_conflict, rc->skip);
  int same = vdbe_make_label(p->v);
  int place = rc->rowid_given ? rowid_check_place(rc) : -1;
  RowChange with_fired = *rc;
  if (rc->replace_triggers || (cg_fk_involves(p, t) && cg_row_may_replace(rc))) {
    with_fired.replace_fired = cg_reg(p);
    cg_op(p, OP_Integer, 0, with_fired.replace_fired, 0);
    rc = &with_fired;
  }
  if (place == ROWID_FIRST) check_new_rowid(p, rc);
  if (t->strict && aff && !typed && (has_indexes || t->without_rowid)) {
    check_strict_types(p, t, rc->regs, aff);
    typed = 1;
  }
  if (has_indexes || t->without_rowid) check_unique_indexes(p, rc, place == ROWID_AMONG_TARGETS);
  if (place == ROWID_LAST) check_new_rowid(p, rc);
  if (rc->replace_fired) recheck_after_replace_triggers(p, rc);
  const char *keep = rc->kind == ROW_UPDATE ? entries_kept(p, rc) : NULL;
  if (rc->kind == ROW_UPDATE) {
    cg_fk_check_old(p, rc, fk_old);
    remove_old_row(p, rc, same, keep);
  }
  vdbe_resolve_label(p->v, same);
  cg_fk_check_new(p, rc);
  cg_cdc_write(p, rc, &cdc);
  if (t->without_rowid)
    write_entry(p, t, rc->cursor, rc->regs,
                rc->flags | OPFLAG_PREUPDATE | (rc->kind == ROW_UPDATE ? OPFLAG_ISUPDATE : 0), typed);
  else
    write_row(p, t, rc->cursor, rc->regs, rc->new_rowid,
              rc->flags | OPFLAG_PREUPDATE | (rc->kind == ROW_UPDATE ? OPFLAG_ISUPDATE : 0), rc->kept, typed);
  if (has_indexes) {
    RowSource row = {t, -1, rc->regs, rc->new_rowid};
    cg_index_insert_entries(p, t, rc->idx_cursor, &row, keep);
  }
  if (rc->returning) {
    /* The row as stored: its affinities applied (the record got them, the registers may not have). */
    if (aff && !has_indexes && !t->without_rowid) cg_op4_str(p, OP_Affinity, rc->regs, t->ncols, 0, aff);
    cg_returning_row(p, rc->returning, -1, rc->regs, rc->new_rowid);
  }
  cg_fk_actions(p, rc, fk_old);
}
