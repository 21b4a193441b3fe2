/*
** cdc.c — change data capture: PRAGMA capture_data_changes_conn and the
** records a capturing connection writes for every row change it makes.
**
** The mode is the connection's (lode.cdc_mode, CONN_CDC_*) and is compiled
** into programs: OP_Cdc CDC_SET expires every compiled statement, so a
** statement always captures as the mode it runs under says.  Records are
** rows of an ordinary table (default turso_cdc), written by the same program
** and in the same transaction as the change they describe: a statement or
** transaction that rolls back takes its records with it.
**
** The table, as Turso 0.7.2 makes it (its schema version v2, recorded in
** turso_cdc_version):
**   change_id INTEGER PRIMARY KEY AUTOINCREMENT  strictly increasing
**   change_time   unixepoch() when the record was written
**   change_txn_id the change_id of the transaction's first record
**   change_type   1 insert, 0 update (ALTER), -1 delete (DROP), 2 commit
**   table_name    the changed table; sqlite_schema for DDL; NULL (commit)
**   id            the row's rowid (DDL: the sqlite_schema row's rowid)
**   before/after  the row as a record in SQLite's format, every column in
**                 declaration order, the rowid in place of an INTEGER
**                 PRIMARY KEY (which a table record stores as NULL)
**   updates       (full mode, UPDATE) a record of 2N values: N flags, 1 for
**                 each column the SET list assigns, then N values, the new
**                 one for those columns and NULL for the others
** A commit record (type 2) ends each transaction that captured: an
** autocommit statement writes it before its Halt commits (even when it
** changed no row, with change_txn_id -1), COMMIT before it commits when the
** transaction captured anything.  Changes to the CDC table itself are not
** captured.  Rows of WITHOUT ROWID tables have no rowid to name them: a
** statement that would capture one is refused when it is prepared.
*/
#include <string.h>

#include "codegen/cg.h"
#include "sql/parser.h"

#define CDC_DEFAULT_TABLE "turso_cdc"
#define CDC_VERSION_TABLE "turso_cdc_version"
#define CDC_VERSION "v2"
#define CDC_SCHEMA_TABLE "sqlite_schema"
#define CDC_NCOLS 9
#define CDC_SCHEMA_NCOLS 5
#define CDC_SCHEMA_AFFINITY "BBBDB"

enum { CDC_INSERT = 1, CDC_UPDATE = 0, CDC_DELETE = -1, CDC_COMMIT_RECORD = 2 };

static const char *const mode_names[] = {"off", "id", "before", "after", "full"};

static int has_before(int mode) { return mode == CONN_CDC_BEFORE || mode == CONN_CDC_FULL; }
static int has_after(int mode) { return mode == CONN_CDC_AFTER || mode == CONN_CDC_FULL; }

int cg_cdc_mode(Parse *p, const Table *t) {
  lode *db = p->db;
  if (db->cdc_mode == CONN_CDC_OFF || !db->cdc_table || p->root->cdc_off) return CONN_CDC_OFF;
  /* The CDC table is main's: changes to temp and attached databases are not captured. */
  if ((t && t->db != CONN_DB_MAIN) || (!t && vdbe_current_db(p->v) != CONN_DB_MAIN)) return CONN_CDC_OFF;
  if (t && util_stricmp(t->name, db->cdc_table) == 0) return CONN_CDC_OFF;
  return db->cdc_mode;
}

static void emit_str(Parse *p, const char *z, int target) {
  if (!z) {
    cg_op(p, OP_Null, 0, target, 0);
    return;
  }
  if (vdbe_add_op4(p->v, OP_String8, (int)strlen(z), target, 0, P4_STRING, z, (int)strlen(z)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
}

/* out = the next change_id: AUTOINCREMENT through the table's sqlite_sequence
** row, read and written back at each record, so that trigger programs and
** the statement share one counter. */
static void next_change_id(Parse *p, const Table *cdc, int cdc_cursor, int out) {
  const Table *seq = schema_find_table(p->db->schema, SEQUENCE_NAME);
  if (!seq || seq->without_rowid) {
    cg_op(p, OP_NewRowid, cdc_cursor, 0, out);
    return;
  }
  int cursor = cg_cursor(p), name = cg_regs(p, SEQUENCE_NCOLS), value = name + 1, rowid = cg_reg(p);
  int col = cg_reg(p), rec = cg_reg(p), done = vdbe_make_label(p->v), next = vdbe_make_label(p->v);
  int have = vdbe_make_label(p->v);
  if (vdbe_add_op4_int(p->v, OP_OpenWrite, cursor, (int)seq->root, 0, SEQUENCE_NCOLS) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  cg_op(p, OP_Integer, 0, value, 0);
  cg_op(p, OP_Null, 0, rowid, 0);
  emit_str(p, cdc->name, name);
  cg_op(p, OP_Rewind, cursor, done, 0);
  int top = cg_op(p, OP_Column, cursor, 0, col);
  int addr = vdbe_add_op4_int(p->v, OP_Ne, name, next, col, COLL_BINARY);
  if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
  cg_op(p, OP_Rowid, cursor, rowid, 0);
  cg_op(p, OP_Column, cursor, 1, value);
  cg_op(p, OP_Goto, 0, done, 0);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_NewRowid, cdc_cursor, value, out);
  cg_op(p, OP_NotNull, rowid, have, 0);
  cg_op(p, OP_NewRowid, cursor, 0, rowid);
  vdbe_resolve_label(p->v, have);
  cg_op(p, OP_MakeRecord, name, SEQUENCE_NCOLS, rec);
  cg_op(p, OP_Insert, cursor, rec, rowid);
  cg_op(p, OP_Close, cursor, 0, 0);
}

/* Writes one record.  id, before, after, updates: registers (0: NULL);
** txn: register holding change_txn_id (0: the transaction's id, set to this
** record's change_id when it is the first). */
static void emit_record(Parse *p, int type, const char *table, int id, int before, int after, int updates, int txn) {
  const Table *cdc = schema_find_table(p->db->schema, p->db->cdc_table);
  int exists = 0;
  if (!cdc) {
    cg_error(p, LODE_ERROR, "no such table: %s", p->db->cdc_table);
    return;
  }
  p->root->cdc_commit = 1;
  int cursor = cg_cursor(p), regs = cg_regs(p, CDC_NCOLS), change_id = cg_reg(p), rec = cg_reg(p);
  if (vdbe_add_op4_int(p->v, OP_OpenWrite, cursor, (int)cdc->root, 0, CDC_NCOLS) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  next_change_id(p, cdc, cursor, change_id);
  cg_op(p, OP_Null, 0, regs, 0); /* change_id: the INTEGER PRIMARY KEY, stored as the key */
  const FuncDef *now = func_find("unixepoch", 0, &exists);
  if (now) vdbe_add_op4(p->v, OP_Function, 0, regs + 1, regs + 1, P4_FUNC, now, 0);
  else cg_op(p, OP_Null, 0, regs + 1, 0);
  if (txn) cg_op(p, OP_SCopy, txn, regs + 2, 0);
  else vdbe_add_op4_int(p->v, OP_Cdc, CDC_TXN, change_id, regs + 2, 0);
  cg_op(p, OP_Integer, type, regs + 3, 0);
  emit_str(p, table, regs + 4);
  int src[4] = {id, before, after, updates};
  for (int i = 0; i < 4; i++) {
    if (src[i]) cg_op(p, OP_SCopy, src[i], regs + 5 + i, 0);
    else cg_op(p, OP_Null, 0, regs + 5 + i, 0);
  }
  cg_op(p, OP_MakeRecord, regs, CDC_NCOLS, rec);
  cg_op(p, OP_Insert, cursor, rec, change_id);
  cg_op(p, OP_Close, cursor, 0, 0);
}

/* The table's column affinities (STRICT ANY columns keep values as they are). */
static char *affinities(Parse *p, const Table *t, int lead) {
  char *z = arena_alloc(&p->arena, (size_t)(lead + t->ncols) + 1);
  if (!z) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  memset(z, AFF_NONE, (size_t)lead);
  for (int i = 0; i < t->ncols; i++) {
    const Column *c = &t->cols[i];
    int any = t->strict && c->decltype_ && util_stricmp(c->decltype_, "ANY") == 0;
    z[lead + i] = any ? AFF_NONE : c->affinity;
  }
  z[lead + t->ncols] = 0;
  return z;
}

/* The new row in regs (rowid in rowid_reg) as a record, as it will be stored. */
static int image_of_regs(Parse *p, const Table *t, int regs, int rowid_reg) {
  int n = t->ncols, copy = cg_regs(p, n), rec = cg_reg(p);
  char *aff = affinities(p, t, 0);
  cg_op(p, OP_Copy, regs, copy, n - 1);
  if (t->ipk >= 0) cg_op(p, OP_Copy, rowid_reg, copy + t->ipk, 0);
  if (aff && vdbe_add_op4(p->v, OP_MakeRecord, copy, n, rec, P4_STRING, aff, n) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  return rec;
}

/* The row cursor is on as a record. */
static int image_of_cursor(Parse *p, const Table *t, int cursor) {
  int n = t->ncols, regs = cg_regs(p, n), rec = cg_reg(p);
  for (int i = 0; i < n; i++) cg_code_column(p, (Table *)t, cursor, i == t->ipk ? -1 : i, regs + i);
  cg_op(p, OP_MakeRecord, regs, n, rec);
  return rec;
}

/* full mode: which columns an UPDATE assigns, and their new values as the
** SET list computed them (before the column's affinity, as Turso records
** them). */
static int updates_of(Parse *p, const Table *t, int regs, int rowid_reg, const int *set_of) {
  int n = t->ncols, r = cg_regs(p, 2 * n), rec = cg_reg(p);
  for (int i = 0; i < n; i++) {
    int set = !set_of || set_of[i] >= 0;
    cg_op(p, OP_Integer, set, r + i, 0);
    if (!set) cg_op(p, OP_Null, 0, r + n + i, 0);
    else cg_op(p, OP_Copy, i == t->ipk ? rowid_reg : regs + i, r + n + i, 0);
  }
  cg_op(p, OP_MakeRecord, r, 2 * n, rec);
  return rec;
}

int cg_cdc_refuse(Parse *p, const Table *t) {
  if (!cg_cdc_mode(p, t) || !t->without_rowid) return LODE_OK;
  return cg_error(p, LODE_ERROR, "change data capture does not support WITHOUT ROWID tables: %s", t->name);
}

void cg_cdc_old_row(Parse *p, const RowChange *rc, CdcRow *row) {
  int mode = cg_cdc_mode(p, rc->table);
  row->mode = mode;
  row->before = row->updates = 0;
  if (!mode || rc->kind == ROW_INSERT) return;
  if (has_before(mode)) row->before = image_of_cursor(p, rc->table, rc->cursor);
  /* Taken now, before the row change applies the column affinities to the new values. */
  if (rc->kind == ROW_UPDATE && mode == CONN_CDC_FULL)
    row->updates = updates_of(p, rc->table, rc->regs, rc->new_rowid, rc->set_of);
}

void cg_cdc_delete(Parse *p, const RowChange *rc, const CdcRow *row) {
  if (!row->mode) return;
  emit_record(p, CDC_DELETE, rc->table->name, rc->old_key, row->before, 0, 0, 0);
}

void cg_cdc_replaced(Parse *p, const RowChange *rc) {
  const Table *t = rc->table;
  int mode = cg_cdc_mode(p, t);
  if (!mode || t->without_rowid) return;
  int id = cg_reg(p), before = has_before(mode) ? image_of_cursor(p, t, rc->cursor) : 0;
  cg_op(p, OP_Rowid, rc->cursor, id, 0);
  emit_record(p, CDC_DELETE, t->name, id, before, 0, 0, 0);
}

void cg_cdc_write(Parse *p, const RowChange *rc, const CdcRow *row) {
  const Table *t = rc->table;
  int mode = row->mode;
  if (!mode) return;
  int after = has_after(mode) ? image_of_regs(p, t, rc->regs, rc->new_rowid) : 0;
  if (rc->kind == ROW_INSERT) {
    emit_record(p, CDC_INSERT, t->name, rc->new_rowid, 0, after, 0, 0);
    return;
  }
  int done = vdbe_make_label(p->v), same = vdbe_make_label(p->v);
  if (rc->rowid_given) {
    /* A row that moves to another rowid is a delete and an insert. */
    cg_op(p, OP_Eq, rc->old_key, same, rc->new_rowid);
    emit_record(p, CDC_DELETE, t->name, rc->old_key, row->before, 0, 0, 0);
    emit_record(p, CDC_INSERT, t->name, rc->new_rowid, 0, after, 0, 0);
    cg_op(p, OP_Goto, 0, done, 0);
  }
  vdbe_resolve_label(p->v, same);
  emit_record(p, CDC_UPDATE, t->name, rc->new_rowid, row->before, after, row->updates, 0);
  vdbe_resolve_label(p->v, done);
}

/* ---- schema changes ------------------------------------------------------------------ */

/* Jumps to skip unless the sqlite_schema row on cursor is a table's or an
** index's (views and triggers are not captured) and, when name is given,
** the object of that name (not one that goes with it). */
static void skip_unless_captured(Parse *p, int cursor, const char *name, int skip) {
  int col = cg_reg(p), want = cg_reg(p), ok = vdbe_make_label(p->v);
  if (name) {
    emit_str(p, name, want);
    cg_op(p, OP_Column, cursor, 1, col);
    int addr = vdbe_add_op4_int(p->v, OP_Ne, want, skip, col, COLL_NOCASE);
    if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
  }
  cg_op(p, OP_Column, cursor, 0, col);
  emit_str(p, "table", want);
  vdbe_add_op4_int(p->v, OP_Eq, want, ok, col, COLL_BINARY);
  emit_str(p, "index", want);
  vdbe_add_op4_int(p->v, OP_Ne, want, skip, col, COLL_BINARY);
  vdbe_resolve_label(p->v, ok);
}

void cg_cdc_schema_insert(Parse *p, const char *type, const char *sql, int rowid, int rec) {
  int mode = cg_cdc_mode(p, NULL);
  /* A table's own indexes (no sql) come and go with it, as do views and triggers: not captured. */
  if (!mode || !sql || (strcmp(type, "table") != 0 && strcmp(type, "index") != 0)) return;
  emit_record(p, CDC_INSERT, CDC_SCHEMA_TABLE, rowid, 0, has_after(mode) ? rec : 0, 0, 0);
}

void cg_cdc_schema_delete(Parse *p, int cursor, const char *name) {
  int mode = cg_cdc_mode(p, NULL);
  /* Dropping the CDC table itself: its b-tree is gone before its schema row. */
  if (!mode || (name && (schema_find_view(p->db->schema, name) || util_stricmp(name, p->db->cdc_table) == 0))) return;
  int rowid = cg_reg(p), before = 0, skip = vdbe_make_label(p->v);
  skip_unless_captured(p, cursor, name, skip);
  cg_op(p, OP_Rowid, cursor, rowid, 0);
  if (has_before(mode)) {
    int regs = cg_regs(p, CDC_SCHEMA_NCOLS);
    before = cg_reg(p);
    for (int i = 0; i < CDC_SCHEMA_NCOLS; i++) cg_op(p, OP_Column, cursor, i, regs + i);
    cg_op(p, OP_MakeRecord, regs, CDC_SCHEMA_NCOLS, before);
  }
  emit_record(p, CDC_DELETE, CDC_SCHEMA_TABLE, rowid, before, 0, 0, 0);
  vdbe_resolve_label(p->v, skip);
}

int cg_cdc_schema_before(Parse *p, int cursor) {
  int mode = cg_cdc_mode(p, NULL);
  if (!mode) return 0;
  int regs = cg_regs(p, CDC_SCHEMA_NCOLS), rec = cg_reg(p);
  for (int i = 0; i < CDC_SCHEMA_NCOLS; i++) cg_op(p, OP_Column, cursor, i, regs + i);
  cg_op(p, OP_MakeRecord, regs, CDC_SCHEMA_NCOLS, rec);
  return rec;
}

void cg_cdc_schema_update(Parse *p, int type, int rowid, int before, int after, const char *stmt_sql) {
  int mode = cg_cdc_mode(p, NULL);
  if (!mode) return;
  int updates = 0, skip = vdbe_make_label(p->v);
  /* Only a table's own row: its indexes' rows follow it. */
  int want = cg_reg(p);
  emit_str(p, "table", want);
  vdbe_add_op4_int(p->v, OP_Ne, want, skip, type, COLL_BINARY);
  if (mode == CONN_CDC_FULL) {
    /* Only sql changes; its new value is the ALTER statement, as Turso records it. */
    int r = cg_regs(p, 2 * CDC_SCHEMA_NCOLS);
    updates = cg_reg(p);
    for (int i = 0; i < CDC_SCHEMA_NCOLS; i++) {
      cg_op(p, OP_Integer, i == CDC_SCHEMA_NCOLS - 1, r + i, 0);
      cg_op(p, OP_Null, 0, r + CDC_SCHEMA_NCOLS + i, 0);
    }
    emit_str(p, stmt_sql, r + 2 * CDC_SCHEMA_NCOLS - 1);
    cg_op(p, OP_MakeRecord, r, 2 * CDC_SCHEMA_NCOLS, updates);
  }
  emit_record(p, CDC_UPDATE, CDC_SCHEMA_TABLE, rowid, has_before(mode) ? before : 0, has_after(mode) ? after : 0,
              updates, 0);
  vdbe_resolve_label(p->v, skip);
}

/* ---- transactions -------------------------------------------------------------------- */

void cg_cdc_commit(Parse *p, int commit_stmt) {
  if (p->trigger) return;
  if (commit_stmt ? !cg_cdc_mode(p, NULL) : !p->cdc_commit) return;
  int skip = vdbe_make_label(p->v), txn = cg_reg(p);
  if (commit_stmt) {
    /* A COMMIT that deferred foreign key violations will refuse writes no record. */
    int ok = vdbe_make_label(p->v);
    cg_op(p, OP_FkIfZero, 1, ok, 0);
    cg_op(p, OP_Goto, 0, skip, 0);
    vdbe_resolve_label(p->v, ok);
  }
  int addr = vdbe_add_op4_int(p->v, OP_Cdc, CDC_COMMIT, skip, txn, 0);
  if (addr >= 0) vdbe_set_p5(p->v, addr, (uint16_t)(commit_stmt ? 1 : 0));
  emit_record(p, CDC_COMMIT_RECORD, NULL, 0, 0, 0, 0, txn);
  vdbe_resolve_label(p->v, skip);
}

/* ---- the pragma ---------------------------------------------------------------------- */

static void report_mode(Parse *p) {
  static const char *const names[] = {"mode", "table", "version"};
  lode *db = p->db;
  int on = db->cdc_mode != CONN_CDC_OFF, r;
  cg_result_names(p, 3, names);
  cg_op(p, OP_Init, 0, 1, 0);
  r = cg_regs(p, 3);
  emit_str(p, mode_names[db->cdc_mode], r);
  emit_str(p, on ? db->cdc_table : NULL, r + 1);
  emit_str(p, on ? CDC_VERSION : NULL, r + 2);
  cg_op(p, OP_ResultRow, r, 3, 0);
  cg_op(p, OP_Halt, 0, 0, 0);
}

/* An identifier as CREATE TABLE text: quoted unless it is plain. */
static char *sql_name(const char *z) {
  int plain = (z[0] < '0' || z[0] > '9');
  for (const char *c = z; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_')) plain = 0;
  if (plain) return util_strdup(z);
  StrBuf b;
  strbuf_init(&b);
  strbuf_appendc(&b, '"');
  for (const char *c = z; *c; c++) {
    if (*c == '"') strbuf_appendc(&b, '"'); /* doubled inside the quotes */
    strbuf_appendc(&b, *c);
  }
  strbuf_appendc(&b, '"');
  return strbuf_finish(&b);
}

/* CREATE TABLE name (...) coded: a b-tree and its sqlite_schema row. */
static int create_table(Parse *p, const char *name, const char *columns) {
  char *q = sql_name(name);
  char *sql = q ? util_mprintf("CREATE TABLE %s (%s)", q, columns) : NULL;
  int root = cg_reg(p);
  util_free(q);
  if (!sql) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return root;
  }
  cg_op(p, OP_CreateBtree, 0, root, BTREE_INTKEY);
  cg_schema_insert(p, "table", name, name, root, sql);
  util_free(sql);
  return root;
}

/* The version row (table name, CDC_VERSION) in turso_cdc_version: written in
** the b-trees rooted at r[root] and r[index_root] (new ones), or in the
** table's own when it exists and has no row for the name yet. */
static void write_version_row(Parse *p, const char *name, int root, int index_root) {
  const Table *vt = root ? NULL : schema_find_table(p->db->schema, CDC_VERSION_TABLE);
  const Index *ix = vt ? vt->indexes : NULL;
  if (!root && (!vt || vt->without_rowid || !ix || !index_has_own_btree(ix) || vt->ncols < 2)) return;
  int tcur = cg_cursor(p), icur = cg_cursor(p), regs = cg_regs(p, 2), rowid = cg_reg(p), rec = cg_reg(p);
  int entry = cg_regs(p, 2), done = vdbe_make_label(p->v);
  KeyInfo *k = keyinfo_new(1);
  if (!k) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  emit_str(p, name, regs);
  emit_str(p, CDC_VERSION, regs + 1);
  if (root) {
    int addr = vdbe_add_op4_int(p->v, OP_OpenWrite, tcur, 0, root, 2);
    if (addr >= 0) vdbe_set_p5(p->v, addr, 1);
    addr = vdbe_add_op4(p->v, OP_OpenWrite, icur, 0, index_root, P4_KEYINFO, k, 0);
    if (addr >= 0) vdbe_set_p5(p->v, addr, 1);
  } else {
    if (vdbe_add_op4_int(p->v, OP_OpenWrite, tcur, (int)vt->root, 0, vt->ncols) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
    vdbe_add_op4(p->v, OP_OpenWrite, icur, (int)ix->root, 0, P4_KEYINFO, k, 0);
    vdbe_add_op4_int(p->v, OP_Found, icur, done, regs, 1);
  }
  cg_op(p, OP_NewRowid, tcur, 0, rowid);
  cg_op(p, OP_MakeRecord, regs, 2, rec);
  cg_op(p, OP_Insert, tcur, rec, rowid);
  cg_op(p, OP_SCopy, regs, entry, 0);
  cg_op(p, OP_SCopy, rowid, entry + 1, 0);
  cg_op(p, OP_MakeRecord, entry, 2, rec);
  cg_op(p, OP_IdxInsert, icur, rec, 0);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_Close, tcur, 0, 0);
  cg_op(p, OP_Close, icur, 0, 0);
}

/* Enables capture into table name: the table and turso_cdc_version made
** when missing, then the mode set. */
static void enable(Parse *p, int mode, const char *name) {
  Schema *s = p->db->schema;
  int make_table = !schema_find_table(s, name), make_version = !schema_find_table(s, CDC_VERSION_TABLE);
  int make_seq = make_table && !schema_find_table(s, SEQUENCE_NAME);
  p->root->cdc_off = 1; /* the CDC tables' own schema rows are not captured */
  p->writes = make_table || make_version;
  cg_begin_program(p);
  if (make_table) {
    create_table(p, name,
                 "change_id INTEGER PRIMARY KEY AUTOINCREMENT, change_time INTEGER, change_txn_id INTEGER, "
                 "change_type INTEGER, table_name TEXT, id, \"before\" BLOB, \"after\" BLOB, updates BLOB");
    if (make_seq) {
      int sroot = cg_reg(p);
      cg_op(p, OP_CreateBtree, 0, sroot, BTREE_INTKEY);
      cg_schema_insert(p, "table", SEQUENCE_NAME, SEQUENCE_NAME, sroot, SEQUENCE_SQL);
    }
  }
  if (make_version) {
    int vroot = create_table(p, CDC_VERSION_TABLE, "table_name TEXT PRIMARY KEY, version TEXT NOT NULL");
    int iroot = cg_reg(p);
    cg_op(p, OP_CreateBtree, 0, iroot, BTREE_BLOBKEY);
    cg_schema_insert(p, "index", "sqlite_autoindex_" CDC_VERSION_TABLE "_1", CDC_VERSION_TABLE, iroot, NULL);
    write_version_row(p, name, vroot, iroot);
  } else if (make_table) {
    write_version_row(p, name, 0, 0);
  }
  if (make_table || make_version) cg_bump_schema(p);
  if (vdbe_add_op4(p->v, OP_Cdc, CDC_SET, mode, 0, P4_STRING, name, (int)strlen(name)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  cg_end_program(p);
}

void cg_pragma_cdc(Parse *p, const Stmt *st) {
  const Expr *e = st->pragma_value;
  if (!e) {
    report_mode(p);
    return;
  }
  const char *arg = (e->kind == EXPR_STRING || e->kind == EXPR_COLUMN) ? e->text : NULL;
  const char *comma = arg ? strchr(arg, ',') : NULL;
  size_t len = arg ? (comma ? (size_t)(comma - arg) : strlen(arg)) : 0;
  int mode = -1;
  for (int i = 0; arg && i < (int)(sizeof mode_names / sizeof *mode_names); i++)
    if (strlen(mode_names[i]) == len && util_strnicmp(arg, mode_names[i], len) == 0) mode = i;
  const char *name = comma ? comma + 1 : CDC_DEFAULT_TABLE;
  while (*name == ' ') name++;
  if (mode < 0 || !*name || strchr(name, ',')) {
    cg_error(p, LODE_ERROR,
             "unexpected pragma value: expected '<mode>' or '<mode>,<cdc-table-name>' parameter where mode is one "
             "of off|id|before|after|full");
    return;
  }
  if (mode == CONN_CDC_OFF) {
    cg_op(p, OP_Init, 0, 1, 0);
    cg_op(p, OP_Cdc, CDC_SET, CONN_CDC_OFF, 0);
    cg_op(p, OP_Halt, 0, 0, 0);
    return;
  }
  if (cg_require_writable(p) != LODE_OK) return;
  enable(p, mode, name);
}
