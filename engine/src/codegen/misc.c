/*
** misc.c — transaction control statements and PRAGMAs.
**
** BEGIN/COMMIT/ROLLBACK compile to OP_AutoCommit, SAVEPOINT/RELEASE/ROLLBACK
** TO to OP_Savepoint, with no OP_Transaction in front: a deferred BEGIN (or a
** first SAVEPOINT) starts no transaction by itself, as in SQLite.
**
** PRAGMAs follow SQLite's results and column names:
**   integrity_check[(N|table)], quick_check[(N|table)]  "ok", or the
**       problems: the b-trees', then each row's (integrity.c);
**   page_count, freelist_count, page_size[=N], schema_version,
**   user_version[=N], application_id[=N], locking_mode[=NORMAL|EXCLUSIVE],
**   journal_mode[=X] ("wal": Lode writes files through a WAL, or "mvcc";
**   "delete" for a file still in rollback-journal format, "memory" for an
**   in-memory database, as SQLite; the rollback modes are refused),
**   synchronous[=level], cache_size[=N],
**   busy_timeout[=ms] (column "timeout"), encoding ("UTF-8"), foreign_keys
**   (0; setting it is accepted and ignored), table_info(t), table_xinfo(t),
**   table_list[(t)], index_list(t), index_info(i), index_xinfo(i),
**   wal_checkpoint[(PASSIVE|FULL|RESTART|TRUNCATE)].
** Settings of the connection (cache, synchronous, busy timeout, page size)
** and checkpoints run in programs without OP_Transaction: they must work
** whatever transaction state the connection is in, and a checkpoint must not
** pin a snapshot of its own.  Unknown pragmas are silent no-ops, like SQLite.
*/
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "codegen/cg.h"

#define PRAGMA_DEFAULT_MAX_ERRORS 100
#define PRAGMA_SYNC_LEVEL_MASK 0x07 /* SQLite keeps level+1 in three bits */

void cg_transaction(Parse *p, const Stmt *st) {
  cg_op(p, OP_Init, 0, 1, 0);
  switch (st->kind) {
  case STMT_BEGIN: cg_op(p, OP_AutoCommit, 0, 0, st->txn_mode); break;
  case STMT_COMMIT:
    cg_cdc_commit(p, 1);
    cg_op(p, OP_AutoCommit, 1, 0, 0);
    break;
  case STMT_SAVEPOINT: cg_op4_str(p, OP_Savepoint, SAVEPOINT_BEGIN, 0, 0, st->savepoint); break;
  case STMT_RELEASE: cg_op4_str(p, OP_Savepoint, SAVEPOINT_RELEASE, 0, 0, st->savepoint); break;
  case STMT_ROLLBACK_TO: cg_op4_str(p, OP_Savepoint, SAVEPOINT_ROLLBACK, 0, 0, st->savepoint); break;
  default: cg_op(p, OP_AutoCommit, 1, 1, 0); break;
  }
  cg_op(p, OP_Halt, 0, 0, 0);
}

/* ---- helpers ------------------------------------------------------------------- */

void cg_result_names(Parse *p, int n, const char *const *names) {
  int i;
  if (vdbe_set_num_cols(p->v, n) != LODE_OK) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (i = 0; i < n; i++)
    if (vdbe_set_col_name(p->v, i, names[i], NULL) != LODE_OK) cg_error(p, LODE_NOMEM, "out of memory");
}

static void emit_text(Parse *p, const char *z, int target) {
  if (!z) {
    cg_op(p, OP_Null, 0, target, 0);
    return;
  }
  if (vdbe_add_op4(p->v, OP_String8, (int)strlen(z), target, 0, P4_STRING, z, (int)strlen(z)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
}

static void emit_int64(Parse *p, int64_t value, int target) {
  if (value >= INT_MIN && value <= INT_MAX) cg_op(p, OP_Integer, (int)value, target, 0);
  else if (vdbe_add_op4(p->v, OP_Int64, 0, target, 0, P4_INT64, &value, 0) < 0) cg_error(p, LODE_NOMEM, "out of memory");
}

/* A frame without OP_Transaction, for settings and checkpoints. */
static void begin_plain(Parse *p) { cg_op(p, OP_Init, 0, 1, 0); }
static void end_plain(Parse *p) { cg_op(p, OP_Halt, 0, 0, 0); }

/* A pragma SQLite answers with a result column but no row. */
static void no_rows(Parse *p, const char *name) {
  cg_result_names(p, 1, &name);
  begin_plain(p);
  end_plain(p);
}

static const char *pragma_arg_text(const Expr *e) {
  if (!e) return NULL;
  if (e->kind == EXPR_STRING || e->kind == EXPR_COLUMN) return e->text;
  return NULL;
}

/* Leading [+-]digits of z as SQLite's pragmas read a number ("abc" → 0);
** *whole = 1 when nothing but the number (and spaces) was there. */
static int64_t text_to_int64(const char *z, int *whole) {
  uint64_t v = 0;
  int neg = 0, digits = 0;
  while (*z == ' ') z++;
  if (*z == '-' || *z == '+') neg = *z++ == '-';
  for (; *z >= '0' && *z <= '9'; z++, digits++)
    if (v <= (uint64_t)INT64_MAX) v = v * 10 + (uint64_t)(*z - '0');
  while (*z == ' ') z++;
  if (whole) *whole = digits > 0 && *z == 0;
  if (v > (uint64_t)INT64_MAX) return neg ? INT64_MIN : INT64_MAX;
  return neg ? -(int64_t)v : (int64_t)v;
}

/* The pragma's argument as an integer; *whole = 1 if it was exactly one. */
static int64_t pragma_arg_int64(const Expr *e, int *whole) {
  if (whole) *whole = 0;
  if (!e) return 0;
  if (e->kind == EXPR_INTEGER) {
    if (whole) *whole = 1;
    return e->ival;
  }
  if (e->kind == EXPR_FLOAT) return e->text ? text_to_int64(e->text, NULL) : (int64_t)e->rval;
  return e->text ? text_to_int64(e->text, whole) : 0;
}

/* SQLite's pragmas take 32-bit values: a number outside that range reads as 0. */
static int pragma_arg_int32(const Expr *e) {
  int64_t v = pragma_arg_int64(e, NULL);
  return v >= INT32_MIN && v <= INT32_MAX ? (int)v : 0;
}

static void single_int_row(Parse *p, const char *name, int64_t value) {
  int r;
  cg_result_names(p, 1, &name);
  cg_begin_program(p);
  r = cg_reg(p);
  emit_int64(p, value, r);
  cg_op(p, OP_ResultRow, r, 1, 0);
  cg_end_program(p);
}

static void single_text_row(Parse *p, const char *name, const char *value) {
  int r;
  cg_result_names(p, 1, &name);
  cg_begin_program(p);
  r = cg_reg(p);
  emit_text(p, value, r);
  cg_op(p, OP_ResultRow, r, 1, 0);
  cg_end_program(p);
}

static void no_op(Parse *p) {
  begin_plain(p);
  end_plain(p);
}

/* ---- table_info, table_xinfo, table_list ------------------------------------------ */

static void table_info_type(Parse *p, const Table *t, const Column *c, int target) {
  char buf[32];
  size_t i, n;
  const char *type = c->decltype_ ? c->decltype_ : "";
  /* sqlite_schema's own column types show in upper case, as in SQLite. */
  if (t->root == BTREE_SCHEMA_ROOT && (n = strlen(type)) < sizeof buf) {
    for (i = 0; i <= n; i++) buf[i] = (type[i] >= 'a' && type[i] <= 'z') ? (char)(type[i] - 'a' + 'A') : type[i];
    type = buf;
  }
  emit_text(p, type, target);
}

/* A view column's type as SQLite 3.53 reports it: the declared type of the
** column it shows when that type gives the column's affinity, else the
** affinity's name (NUM, INT, REAL, TEXT or BLOB: a table column declared with
** no type is BLOB), else nothing (an expression has no affinity). */
static const char *view_column_type(const Column *c, char aff) {
  if (c->decltype_ && aff && value_affinity_of_type(c->decltype_) == aff) return c->decltype_;
  switch (aff) {
    case AFF_NUMERIC: return "NUM";
    case AFF_INTEGER: return "INT";
    case AFF_REAL: return "REAL";
    case AFF_TEXT: return "TEXT";
    case AFF_NONE: return "BLOB";
    default: return "";
  }
}

static void pragma_table_info(Parse *p, const char *name, int xinfo) {
  static const char *const names[] = {"cid", "name", "type", "notnull", "dflt_value", "pk", "hidden"};
  int ncols = xinfo ? 7 : 6;
  Table *t = name ? cg_lookup_table(p, NULL, name) : NULL;
  View *v = name && !t ? cg_lookup_view(p, NULL, name, NULL) : NULL;
  int i, regs, hidden = 0;
  cg_result_names(p, ncols, names);
  cg_begin_program(p);
  const char *view_affs = NULL;
  if (v && !(t = cg_view_table_affs(p, v, &view_affs))) return; /* a view's columns: those of its select */
  regs = cg_regs(p, ncols);
  if (t && t->vtab_module && !cg_table_module(p, t)) return; /* a virtual table's columns are its module's */
  if (!t && !v && name) { /* an eponymous module's (generate_series, json_each), as SQLite shows them */
    const VtabModule *m = cg_find_module(p, name);
    if (p->rc) return;
    if (m && !(t = cg_module_table(p, m, NULL))) return;
  }
  for (i = 0; t && i < t->ncols; i++) {
    const Column *c = &t->cols[i];
    int not_null = c->not_null; /* WITHOUT ROWID PRIMARY KEY columns included (schema.c) */
    int hid = c->generated ? c->generated : c->hidden; /* table_xinfo's "hidden": 1 for a virtual table's HIDDEN */
    if (hid && !xinfo) { /* table_info hides generated and hidden columns and numbers the others */
      hidden++;
      continue;
    }
    cg_op(p, OP_Integer, i - hidden, regs, 0);
    emit_text(p, c->name, regs + 1);
    if (v) emit_text(p, view_column_type(c, view_affs ? view_affs[i] : 0), regs + 2);
    else table_info_type(p, t, c, regs + 2);
    cg_op(p, OP_Integer, not_null, regs + 3, 0);
    emit_text(p, c->default_sql, regs + 4);
    cg_op(p, OP_Integer, c->primary_key ? (c->pk_order ? c->pk_order : 1) : 0, regs + 5, 0);
    if (xinfo) cg_op(p, OP_Integer, hid, regs + 6, 0);
    cg_op(p, OP_ResultRow, regs, ncols, 0);
  }
  cg_end_program(p);
}

static void table_list_row(Parse *p, int regs, const char *schema, const char *name, const char *type, int ncol,
                           int wr, int strict) {
  emit_text(p, schema, regs);
  emit_text(p, name, regs + 1);
  emit_text(p, type, regs + 2);
  cg_op(p, OP_Integer, ncol, regs + 3, 0);
  cg_op(p, OP_Integer, wr, regs + 4, 0);
  cg_op(p, OP_Integer, strict, regs + 5, 0);
  cg_op(p, OP_ResultRow, regs, 6, 0);
}

/* The error of learning an object's columns is not the pragma's: SQLite
** lists a view whose select fails, or a virtual table whose module is
** missing, with the columns it knows (none). */
static void forget_error(Parse *p, int rc) {
  if (p->rc == LODE_NOMEM || rc != LODE_OK) return;
  util_free(p->errmsg);
  p->errmsg = NULL;
  p->rc = LODE_OK;
  p->err_at = 0;
}

static void table_list_table(Parse *p, int regs, const char *zdb, Table *t) {
  const char *type = "table";
  int rc = p->rc;
  if (t->vtab_module) {
    type = "virtual";
    if (!cg_table_module(p, t)) forget_error(p, rc);
  } else if (cg_is_shadow(p, t)) {
    type = "shadow";
  }
  table_list_row(p, regs, zdb, t->name, type, t->ncols, t->without_rowid, t->strict);
}

static void table_list_view(Parse *p, int regs, const char *zdb, View *v) {
  int rc = p->rc;
  Table *t = cg_view_table(p, v);
  if (!t) forget_error(p, rc);
  table_list_row(p, regs, zdb, v->name, "view", t ? t->ncols : 0, 0, 0);
}

/* Per database (the one named, else each in order; temp even before it
** exists): its tables and views, newest first, then its schema table, in the
** order SQLite lists a small schema.  As in SQLite the schema tables answer a
** filter only by their legacy names (sqlite_master, sqlite_temp_master). */
static void pragma_table_list(Parse *p, const char *filter) {
  static const char *const names[] = {"schema", "name", "type", "ncol", "wr", "strict"};
  int regs;
  cg_result_names(p, 6, names);
  cg_begin_program(p);
  regs = cg_regs(p, 6);
  for (int d = 0; d < p->db->ndb && p->rc == LODE_OK; d++) {
    if (p->fix_db > 0 && d != p->fix_db - 1) continue;
    Schema *s = cg_db_schema(p, d);
    const char *zdb = cg_db_name(p, d);
    int temp = d == CONN_DB_TEMP;
    int i = s->ntables - 1, j = s->nviews - 1;
    while (i >= 0 || j >= 0) {
      if (j < 0 || (i >= 0 && s->tables[i]->added > s->views[j]->added)) {
        Table *t = s->tables[i--];
        if (t->root == BTREE_SCHEMA_ROOT) continue;
        if (!filter || util_stricmp(filter, t->name) == 0) table_list_table(p, regs, zdb, t);
      } else {
        View *v = s->views[j--];
        if (!filter || util_stricmp(filter, v->name) == 0) table_list_view(p, regs, zdb, v);
      }
    }
    if (!filter || util_stricmp(filter, temp ? "sqlite_temp_master" : "sqlite_master") == 0)
      table_list_row(p, regs, zdb, temp ? "sqlite_temp_schema" : "sqlite_schema", "table", 5, 0, 0);
  }
  cg_end_program(p);
}

/* ---- index_list, index_info, index_xinfo --------------------------------------------- */

static const char *index_origin(IndexOrigin o) {
  return o == INDEX_ORIGIN_PK ? "pk" : o == INDEX_ORIGIN_UNIQUE ? "u" : "c";
}

/* The table's indexes in the order SQLite keeps them (Table.indexes). */
static void pragma_index_list(Parse *p, const char *name) {
  static const char *const names[] = {"seq", "name", "unique", "origin", "partial"};
  Table *t = name ? cg_lookup_table(p, NULL, name) : NULL;
  int seq = 0, regs;
  cg_result_names(p, 5, names);
  cg_begin_program(p);
  regs = cg_regs(p, 5);
  for (const Index *ix = t ? t->indexes : NULL; ix; ix = ix->next) {
    cg_op(p, OP_Integer, seq++, regs, 0);
    emit_text(p, ix->name, regs + 1);
    cg_op(p, OP_Integer, ix->unique, regs + 2, 0);
    emit_text(p, index_origin(ix->origin), regs + 3);
    cg_op(p, OP_Integer, ix->where != NULL, regs + 4, 0);
    cg_op(p, OP_ResultRow, regs, 5, 0);
  }
  cg_end_program(p);
}

/* index_info shows the key columns, index_xinfo every column of an entry.
** As in SQLite a WITHOUT ROWID table's name stands for its PRIMARY KEY index. */
static void pragma_index_info(Parse *p, const char *name, int xinfo) {
  static const char *const names[] = {"seqno", "cid", "name", "desc", "coll", "key"};
  const Index *ix = name ? cg_lookup_index(p, NULL, name) : NULL; /* the database named, or the first that has it */
  int ncols = xinfo ? 6 : 3, regs, i, n;
  if (!ix && name) {
    const Table *t = cg_lookup_table(p, NULL, name);
    if (t && t->without_rowid) ix = t->pk;
  }
  cg_result_names(p, ncols, names);
  cg_begin_program(p);
  regs = cg_regs(p, ncols);
  n = !ix ? 0 : xinfo ? ix->ncols : ix->nkey;
  for (i = 0; i < n; i++) {
    const IndexColumn *c = &ix->cols[i];
    cg_op(p, OP_Integer, i, regs, 0);
    cg_op(p, OP_Integer, c->cid, regs + 1, 0);
    emit_text(p, c->cid >= 0 ? ix->table->cols[c->cid].name : NULL, regs + 2);
    if (xinfo) {
      cg_op(p, OP_Integer, c->desc, regs + 3, 0);
      emit_text(p, c->coll_name, regs + 4);
      cg_op(p, OP_Integer, i < ix->nkey, regs + 5, 0);
    }
    cg_op(p, OP_ResultRow, regs, ncols, 0);
  }
  cg_end_program(p);
}

/* ---- integrity_check, quick_check ------------------------------------------------ */

/* The argument is N (a limit on the errors) or the name of one table. */
static int integrity_args(Parse *p, const Expr *arg, int *max_errors, const Table **only) {
  int whole = 0;
  int64_t n;
  *max_errors = PRAGMA_DEFAULT_MAX_ERRORS;
  *only = NULL;
  if (!arg) return LODE_OK;
  n = pragma_arg_int64(arg, &whole);
  /* A quoted argument names a table even when it reads as a number ('5'). */
  if ((whole && arg->kind != EXPR_STRING) || arg->kind == EXPR_FLOAT) {
    if (n > 0) *max_errors = n > INT_MAX ? INT_MAX : (int)n;
    return LODE_OK;
  }
  *only = cg_lookup_table(p, NULL, pragma_arg_text(arg));
  if (!*only) return cg_error(p, LODE_ERROR, "no such table: %s", pragma_arg_text(arg) ? pragma_arg_text(arg) : "");
  return LODE_OK;
}

/* The b-tree walk always covers the whole file (page accounting needs every
** tree), also when one table is named; only the row checks are limited. */
static void pragma_integrity_check(Parse *p, const Stmt *st, int full) {
  const Table *only;
  int max_errors;
  if (integrity_args(p, st->pragma_value, &max_errors, &only) != LODE_OK) return;
  cg_integrity_check(p, full, max_errors, only);
}

/* ---- header values and connection settings ----------------------------------------- */

static void pragma_cookie(Parse *p, const Stmt *st, int offset, const char *name) {
  int r;
  /* freelist_count and data_version are read-only: given a value, SQLite
  ** ignores it and reports the current one. */
  int read_only = offset == BTREE_META_FREELIST_COUNT || offset == BTREE_DATA_VERSION;
  if (st->pragma_value && !read_only) {
    /* schema_version in defensive mode: the statement does nothing. */
    if (offset == BTREE_META_SCHEMA_COOKIE && p->db->defensive) {
      no_op(p);
      return;
    }
    p->writes = 1;
    cg_begin_program(p);
    cg_op(p, OP_SetCookie, 0, offset, pragma_arg_int32(st->pragma_value));
    cg_end_program(p);
    return;
  }
  cg_result_names(p, 1, &name);
  cg_begin_program(p);
  r = cg_reg(p);
  cg_op(p, OP_ReadCookie, 0, r, offset);
  cg_op(p, OP_ResultRow, r, 1, 0);
  cg_end_program(p);
}

/* SQLite's reading of an auto_vacuum value: a mode name or 0..2 (any other
** number means NONE). */
static int autovacuum_mode(const Expr *e) {
  static const char *const names[] = {"none", "full", "incremental"};
  const char *z = pragma_arg_text(e);
  for (int i = 0; z && i < 3; i++)
    if (util_stricmp(z, names[i]) == 0) return i;
  int64_t v = pragma_arg_int64(e, NULL);
  return v >= 0 && v <= 2 ? (int)v : 0;
}

static void conn_setting(Parse *p, int which, const char *name, const int64_t *value, int in_txn);

/* 0 (NONE), 1 (FULL) or 2 (INCREMENTAL).  Setting FULL or INCREMENTAL
** takes a write transaction: a new database gets the mode with its first
** page, an auto-vacuum one may switch between them; otherwise the mode
** waits for the next VACUUM. */
static void pragma_auto_vacuum(Parse *p, const Stmt *st) {
  if (st->pragma_value) {
    int64_t mode = autovacuum_mode(st->pragma_value);
    /* NONE never writes (as in SQLite): it only asks, for an empty
    ** database or the next VACUUM. */
    if (mode != 0) {
      if (cg_require_writable(p) != LODE_OK) return;
      p->writes = 1;
    }
    conn_setting(p, CONN_PRAGMA_AUTO_VACUUM, NULL, &mode, 1);
    return;
  }
  conn_setting(p, CONN_PRAGMA_AUTO_VACUUM, "auto_vacuum", NULL, 1);
}

/* PRAGMA incremental_vacuum[(N)]: up to N free pages given back (all when
** N is absent or not positive), one per step, each step a row without
** columns, as SQLite's program gives them (a caller that steps once gives
** one page back); nothing in a database without auto-vacuum. */
static void pragma_incremental_vacuum(Parse *p, const Stmt *st) {
  int64_t n = st->pragma_value ? pragma_arg_int64(st->pragma_value, NULL) : 0;
  if (n <= 0 || n > INT32_MAX) n = INT32_MAX;
  if (cg_require_writable(p) != LODE_OK) return;
  p->writes = 1;
  cg_begin_program(p);
  int left = cg_reg(p), one = cg_reg(p), freeable = cg_reg(p), end = vdbe_make_label(p->v);
  emit_int64(p, n - 1, left); /* steps after the first */
  cg_op(p, OP_Integer, 1, one, 0);
  int top = cg_op(p, OP_PragmaConn, CONN_PRAGMA_INCR_VACUUM, freeable, 0);
  cg_op(p, OP_IfNot, freeable, end, 1);
  cg_op(p, OP_PragmaConn, CONN_PRAGMA_INCR_VACUUM, 0, one);
  cg_op(p, OP_ResultRow, freeable, 0, 0);
  cg_op(p, OP_IfPos, left, top, 1);
  vdbe_resolve_label(p->v, end);
  cg_end_program(p);
}

static void pragma_page_count(Parse *p) {
  static const char *const name = "page_count";
  int r;
  cg_result_names(p, 1, &name);
  cg_begin_program(p);
  r = cg_reg(p);
  cg_op(p, OP_Pagecount, 0, r, 0);
  cg_op(p, OP_ResultRow, r, 1, 0);
  cg_end_program(p);
}

/* PRAGMA max_page_count[=N]: N is clamped to [0, 4294967294]; 0 (or no
** number) only reads the limit, as in SQLite. */
static void pragma_max_page_count(Parse *p, const Stmt *st) {
  static const char *const name = "max_page_count";
  int whole = 0, r, in = 0;
  int64_t n = st->pragma_value ? pragma_arg_int64(st->pragma_value, &whole) : 0;
  if (n < 0) n = 0;
  if (n > 0xfffffffeLL) n = 0xfffffffeLL;
  cg_result_names(p, 1, &name);
  cg_begin_program(p);
  r = cg_reg(p);
  if (n > 0) {
    in = cg_reg(p);
    emit_int64(p, n, in);
  }
  cg_op(p, OP_Pagecount, 0, r, in);
  vdbe_set_p5(p->v, vdbe_current_addr(p->v) - 1, 1);
  cg_op(p, OP_ResultRow, r, 1, 0);
  cg_end_program(p);
}

/* Sets (value != NULL) and/or reads (name != NULL) a connection setting. */
static void conn_setting(Parse *p, int which, const char *name, const int64_t *value, int in_txn) {
  int out = 0, in = 0;
  if (name) cg_result_names(p, 1, &name);
  if (in_txn) cg_begin_program(p);
  else begin_plain(p);
  if (value) {
    in = cg_reg(p);
    emit_int64(p, *value, in);
  }
  if (name) out = cg_reg(p);
  cg_op(p, OP_PragmaConn, which, out, in);
  if (name) cg_op(p, OP_ResultRow, out, 1, 0);
  if (in_txn) cg_end_program(p);
  else end_plain(p);
}

static void pragma_page_size(Parse *p, const Stmt *st) {
  if (st->pragma_value) {
    int64_t size = pragma_arg_int64(st->pragma_value, NULL);
    conn_setting(p, CONN_PRAGMA_PAGE_SIZE, NULL, &size, 0);
  } else {
    conn_setting(p, CONN_PRAGMA_PAGE_SIZE, "page_size", NULL, 1); /* the file's size needs a read */
  }
}

/* SQLite's level names; anything else that is not a number means NORMAL. */
static int synchronous_level(const Expr *e) {
  static const struct {
    const char *name;
    int level;
  } levels[] = {{"off", 0}, {"no", 0}, {"false", 0}, {"normal", 1}, {"on", 1}, {"yes", 1}, {"true", 1},
                {"full", 2}, {"extra", 3}};
  const char *z = e->kind == EXPR_STRING ? e->text : NULL;
  int level = 1;
  size_t i;
  if (e->kind == EXPR_INTEGER || e->kind == EXPR_FLOAT || (z && z[0] >= '0' && z[0] <= '9')) {
    level = (int)(uint8_t)pragma_arg_int64(e, NULL);
  } else if (z) {
    for (i = 0; i < sizeof levels / sizeof levels[0]; i++)
      if (util_stricmp(z, levels[i].name) == 0) level = levels[i].level;
  }
  /* SQLite stores level+1 in three bits and turns a 0 into 1. */
  level = (level + 1) & PRAGMA_SYNC_LEVEL_MASK;
  return (level == 0 ? 1 : level) - 1;
}

static void pragma_synchronous(Parse *p, const Stmt *st) {
  if (st->pragma_value && !p->db->autocommit) {
    cg_error(p, LODE_ERROR, "Safety level may not be changed inside a transaction");
    return;
  }
  if (st->pragma_value) {
    int64_t level = synchronous_level(st->pragma_value);
    conn_setting(p, CONN_PRAGMA_SYNCHRONOUS, NULL, &level, 0);
  } else {
    conn_setting(p, CONN_PRAGMA_SYNCHRONOUS, "synchronous", NULL, 0);
  }
}

static void pragma_cache_size(Parse *p, const Stmt *st) {
  if (st->pragma_value) {
    int64_t n = pragma_arg_int32(st->pragma_value);
    conn_setting(p, CONN_PRAGMA_CACHE_SIZE, NULL, &n, 0);
  } else {
    conn_setting(p, CONN_PRAGMA_CACHE_SIZE, "cache_size", NULL, 0);
  }
}

/* cache_spill=N sets the spill size (pages, or -KiB) and turns spilling
** off for 0, on otherwise; a word turns it on or off as SQLite reads a
** boolean (a leading number counts; an unknown word means on). */
static void pragma_cache_spill(Parse *p, const Stmt *st) {
  if (!st->pragma_value) {
    conn_setting(p, CONN_PRAGMA_CACHE_SPILL, "cache_spill", NULL, 0);
    return;
  }
  const Expr *e = st->pragma_value;
  int whole = 0;
  int64_t n = pragma_arg_int64(e, &whole), on = 1;
  const char *z = pragma_arg_text(e);
  begin_plain(p);
  if (whole && n >= INT32_MIN && n <= INT32_MAX) {
    int r = cg_reg(p);
    emit_int64(p, n, r);
    cg_op(p, OP_PragmaConn, CONN_PRAGMA_SPILL_SIZE, 0, r);
    on = n != 0;
  } else if (z && (util_stricmp(z, "off") == 0 || util_stricmp(z, "no") == 0 || util_stricmp(z, "false") == 0)) {
    on = 0;
  } else if (e->kind == EXPR_FLOAT || (z && z[0] >= '0' && z[0] <= '9')) {
    on = n != 0;
  }
  int r = cg_reg(p);
  emit_int64(p, on, r);
  cg_op(p, OP_PragmaConn, CONN_PRAGMA_CACHE_SPILL, 0, r);
  end_plain(p);
}

static void pragma_shrink_memory(Parse *p) {
  int64_t zero = 0;
  conn_setting(p, CONN_PRAGMA_SHRINK_MEMORY, NULL, &zero, 0);
}

static void pragma_busy_timeout(Parse *p, const Stmt *st) {
  int64_t ms = st->pragma_value ? pragma_arg_int32(st->pragma_value) : 0;
  conn_setting(p, CONN_PRAGMA_BUSY_TIMEOUT, "timeout", st->pragma_value ? &ms : NULL, 0);
}

static void pragma_wal_checkpoint(Parse *p, const Stmt *st) {
  static const char *const names[] = {"busy", "log", "checkpointed"};
  const char *arg = pragma_arg_text(st->pragma_value);
  int mode = CONN_CKPT_PASSIVE, r;
  if (arg && util_stricmp(arg, "full") == 0) mode = CONN_CKPT_FULL;
  else if (arg && util_stricmp(arg, "restart") == 0) mode = CONN_CKPT_RESTART;
  else if (arg && util_stricmp(arg, "truncate") == 0) mode = CONN_CKPT_TRUNCATE;
  cg_result_names(p, 3, names);
  begin_plain(p); /* a snapshot of our own would hold the checkpoint back */
  r = cg_regs(p, 3);
  cg_op(p, OP_Checkpoint, mode, r, 0);
  cg_op(p, OP_ResultRow, r, 3, 0);
  end_plain(p);
}

/* A boolean setting's value as SQLite reads it: on/yes/true, off/no/false,
** else a number (nonzero is true). */
static int64_t pragma_bool(const Expr *e) {
  const char *z = e->kind == EXPR_STRING || e->kind == EXPR_COLUMN ? e->text : NULL;
  if (z && (util_stricmp(z, "on") == 0 || util_stricmp(z, "yes") == 0 || util_stricmp(z, "true") == 0)) return 1;
  if (z && (util_stricmp(z, "off") == 0 || util_stricmp(z, "no") == 0 || util_stricmp(z, "false") == 0)) return 0;
  return pragma_arg_int64(e, NULL) != 0;
}

static void pragma_recursive_triggers(Parse *p, const Stmt *st) {
  int64_t on = st->pragma_value ? pragma_bool(st->pragma_value) : 0;
  conn_setting(p, CONN_PRAGMA_RECURSIVE_TRIGGERS, st->pragma_value ? NULL : "recursive_triggers",
               st->pragma_value ? &on : NULL, 0);
}

/* ---- dispatch ------------------------------------------------------------------- */

static void read_only_value(Parse *p, const Stmt *st, const char *name, int is_text, const char *text, int64_t n) {
  if (st->pragma_value) no_op(p); /* setting is accepted and has no effect */
  else if (is_text) single_text_row(p, name, text);
  else single_int_row(p, name, n);
}

#define PRAGMA_MMAP_MAX 0x7fff0000 /* SQLite's largest mmap_size on 64-bit Unix */

/* ---- plain settings and lists ---------------------------------------------------- */

/* SQLite's boolean pragma values: on/yes/true, off/no/false, or a number. */
static int64_t pragma_arg_bool(const Expr *e) {
  const char *z = pragma_arg_text(e);
  if (z && e->kind != EXPR_INTEGER) {
    if (util_stricmp(z, "on") == 0 || util_stricmp(z, "yes") == 0 || util_stricmp(z, "true") == 0) return 1;
    if (util_stricmp(z, "off") == 0 || util_stricmp(z, "no") == 0 || util_stricmp(z, "false") == 0) return 0;
  }
  return pragma_arg_int64(e, NULL) != 0;
}

/* temp_store: DEFAULT/FILE/MEMORY or 0/1/2 (anything else: 0). */
static int64_t pragma_arg_temp_store(const Expr *e) {
  const char *z = pragma_arg_text(e);
  if (z && e->kind != EXPR_INTEGER) {
    if (util_stricmp(z, "file") == 0) return 1;
    if (util_stricmp(z, "memory") == 0) return 2;
    if (util_stricmp(z, "default") == 0) return 0;
  }
  int64_t v = pragma_arg_int64(e, NULL);
  return v >= 0 && v <= 2 ? v : 0;
}

/* A plain setting of conn/conn.h's table: read, or set (an INT setting then
** answers with the value in force, as sqlite3 does; a BOOL one with nothing). */
static void pragma_setting(Parse *p, const Stmt *st, int i) {
  const ConnSettingInfo *info = &conn_setting_info[i];
  int which = CONN_PRAGMA_TABLE + i;
  if (i == CONN_SET_MMAP_SIZE && conn_db_is_memory(p->db, CONN_DB_MAIN)) {
    no_rows(p, "mmap_size"); /* a memory database has no file to map: no row, as in SQLite */
    return;
  }
  if (!st->pragma_value) {
    conn_setting(p, which, info->name, NULL, 0);
    return;
  }
  int64_t v;
  if (info->kind == CONN_SETTING_BOOL) v = pragma_arg_bool(st->pragma_value);
  else if (i == CONN_SET_TEMP_STORE) v = pragma_arg_temp_store(st->pragma_value);
  else v = pragma_arg_int64(st->pragma_value, NULL);
  /* Worker threads (sqlite3_limit's too): a negative count changes nothing,
  ** a large one is capped (Lode sorts without helper threads either way). */
  if (i == CONN_SET_THREADS) {
    int max = conn_limit_max(LODE_LIMIT_WORKER_THREADS);
    v = v < 0 ? p->db->settings[CONN_SET_THREADS] : v > max ? max : v;
  }
  if (i == CONN_SET_JOURNAL_SIZE_LIMIT && v < -1) v = -1; /* any negative limit means none */
  /* Negative: the default (0); capped at the largest map SQLite allows. */
  if (i == CONN_SET_MMAP_SIZE) v = v < 0 ? 0 : v > PRAGMA_MMAP_MAX ? PRAGMA_MMAP_MAX : v;
  if ((i == CONN_SET_SOFT_HEAP_LIMIT || i == CONN_SET_HARD_HEAP_LIMIT || i == CONN_SET_ANALYSIS_LIMIT) && v < 0) {
    conn_setting(p, which, info->name, NULL, 0); /* a negative limit changes nothing */
    return;
  }
  /* writable_schema = RESET also reloads the schema from what sqlite_schema
  ** now holds (rows an application rewrote while it was on). */
  const char *z = pragma_arg_text(st->pragma_value);
  if (i == CONN_SET_WRITABLE_SCHEMA && z && st->pragma_value->kind != EXPR_INTEGER && util_stricmp(z, "reset") == 0) {
    cg_begin_program(p);
    int in = cg_reg(p);
    cg_op(p, OP_Integer, 0, in, 0);
    cg_op(p, OP_PragmaConn, which, 0, in);
    cg_op(p, OP_ParseSchema, 0, 0, 0);
    cg_end_program(p);
    return;
  }
  /* Defensive mode ignores writable_schema = ON (turning it off still works),
  ** so the setting stays off when the mode is lifted later, as in SQLite. */
  if (i == CONN_SET_WRITABLE_SCHEMA && v && p->db->defensive) {
    no_op(p);
    return;
  }
  conn_setting(p, which, info->kind == CONN_SETTING_INT && i != CONN_SET_TEMP_STORE ? info->name : NULL, &v, 0);
}

/* A database file's absolute name ("" in memory). */
static char *absolute_name(const char *path) {
  if (!path || strcmp(path, ":memory:") == 0 || !*path) return util_strdup("");
  if (path[0] == '/') return util_strdup(path);
  char cwd[4096];
  return getcwd(cwd, sizeof cwd) ? util_mprintf("%s/%s", cwd, path) : util_strdup(path);
}

/* database_list: every database, temp once it exists, with the file's
** absolute name. */
static void pragma_database_list(Parse *p) {
  static const char *const names[] = {"seq", "name", "file"};
  cg_result_names(p, 3, names);
  begin_plain(p);
  int r = cg_regs(p, 3);
  for (int i = 0; i < p->db->ndb; i++) {
    const ConnDb *d = &p->db->dbs[i];
    if (i == CONN_DB_TEMP && !d->bt) continue;
    char *file = absolute_name(i == CONN_DB_MAIN ? p->db->path : d->path);
    if (!file) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    cg_op(p, OP_Integer, i, r, 0);
    emit_text(p, d->name, r + 1);
    emit_text(p, file, r + 2);
    cg_op(p, OP_ResultRow, r, 3, 0);
    util_free(file);
  }
  end_plain(p);
}

/* Rows of one text column from a NULL-terminated list (with "seq" first when seq). */
static void text_list_rows(Parse *p, const char *column, const char *const *list, int seq) {
  const char *names[2] = {"seq", column};
  int n = seq ? 2 : 1;
  cg_result_names(p, n, seq ? names : names + 1);
  begin_plain(p);
  int r = cg_regs(p, 2);
  for (int i = 0; list[i]; i++) {
    if (seq) cg_op(p, OP_Integer, i, r, 0);
    emit_text(p, list[i], r + 1);
    cg_op(p, OP_ResultRow, seq ? r : r + 1, n, 0);
  }
  end_plain(p);
}

static const char *const collation_names[] = {"RTRIM", "NOCASE", "BINARY", NULL};

/* The connection's own collations (latest first, as SQLite lists them),
** then the built-in ones; a definition under a built-in name is listed
** once, with the built-ins. */
static void pragma_collation_list(Parse *p) {
  const char *names[2] = {"seq", "name"};
  int ids[COLL_MAX + 1], n = coll_set_defined(p->db->colls, ids, COLL_MAX + 1), seq = 0;
  cg_result_names(p, 2, names);
  begin_plain(p);
  int r = cg_regs(p, 2);
  for (int i = 0; i < n + 3; i++) {
    const char *z = i < n ? coll_name_of(ids[i]) : collation_names[i - n];
    if (i < n && (util_stricmp(z, "BINARY") == 0 || util_stricmp(z, "NOCASE") == 0 || util_stricmp(z, "RTRIM") == 0))
      continue;
    cg_op(p, OP_Integer, seq++, r, 0);
    emit_text(p, z, r + 1);
    cg_op(p, OP_ResultRow, r, 2, 0);
  }
  end_plain(p);
}

/* The pragmas Lode answers (the others are silent no-ops, as in sqlite3). */
static const char *const pragma_names[] = {
    "analysis_limit", "application_id", "auto_vacuum", "automatic_index", "busy_timeout", "cache_size",
    "cache_spill", "case_sensitive_like", "cell_size_check", "checkpoint_fullfsync", "collation_list", "compile_options",
    "count_changes", "data_version", "database_list", "empty_result_callbacks", "encoding", "foreign_keys", "freelist_count",
    "full_column_names", "fullfsync", "function_list", "hard_heap_limit", "ignore_check_constraints", "incremental_vacuum",
    "index_info", "index_list",
    "index_xinfo", "integrity_check", "journal_mode", "journal_size_limit", "legacy_alter_table", "max_page_count", "mmap_size", "module_list",
    "optimize", "page_count", "page_size", "pragma_list", "query_only", "quick_check", "read_uncommitted",
    "reverse_unordered_selects", "schema_version", "secure_delete", "short_column_names", "shrink_memory",
    "soft_heap_limit",
    "synchronous", "table_info", "table_list", "table_xinfo", "temp_store", "threads", "trusted_schema",
    "user_version", "wal_autocheckpoint", "wal_checkpoint", "writable_schema", NULL};

/* Lode reads and writes UTF-8 databases only: asking for UTF-8 is a no-op,
** asking for UTF-16 is refused rather than silently ignored. */
static void pragma_encoding(Parse *p, const Stmt *st) {
  const char *arg = pragma_arg_text(st->pragma_value);
  if (arg && util_stricmp(arg, "UTF-8") != 0 && util_stricmp(arg, "UTF8") != 0) {
    if (util_strnicmp(arg, "UTF-16", 6) == 0 || util_strnicmp(arg, "UTF16", 5) == 0)
      cg_error(p, LODE_ERROR, "unsupported encoding: %s (Lode databases are UTF-8)", arg);
    else cg_error(p, LODE_ERROR, "unsupported encoding: %s", arg);
    return;
  }
  read_only_value(p, st, "encoding", 1, "UTF-8", 0);
}

/* PRAGMA case_sensitive_like = bool: LIKE from then on tells (or ignores)
** ASCII case, set when the statement is prepared, as SQLite sets it (it
** replaces like() in the connection); reading it gives nothing. */
static void pragma_case_sensitive_like(Parse *p, const Stmt *st) {
  if (st->pragma_value) {
    int on = pragma_arg_bool(st->pragma_value);
    for (int nargs = 2; nargs <= 3 && p->rc == LODE_OK; nargs++)
      if (func_registry_add(p->db->funcs, func_like_def(on, nargs), NULL) != LODE_OK) cg_error(p, LODE_NOMEM, "out of memory");
    /* Statements compiled with the other like() compile again before their
    ** next run, as SQLite expires them when a function is replaced. */
    p->db->schema_gen++;
  }
  no_op(p);
}

/* As in SQLite, the mode is set when the statement is prepared. */
static void pragma_locking_mode(Parse *p, const Stmt *st) {
  const char *arg = pragma_arg_text(st->pragma_value);
  int mode = -1;
  if (arg && util_stricmp(arg, "exclusive") == 0) mode = 1;
  else if (arg && util_stricmp(arg, "normal") == 0) mode = 0;
  single_text_row(p, "locking_mode", conn_db_locking_mode(p->db, vdbe_current_db(p->v), mode) ? "exclusive" : "normal");
}

/* The journal modes of a rollback journal, which Lode does not write: asking
** for one is an error, as in Turso (docs/sql.md). */
static int legacy_journal_mode(const char *mode) {
  static const char *const legacy[] = {"delete", "truncate", "persist", "memory", "off"};
  for (size_t i = 0; i < sizeof legacy / sizeof *legacy; i++)
    if (util_stricmp(mode, legacy[i]) == 0) return 1;
  return 0;
}

/* journal_mode answers as SQLite does: "delete" for the temp database (a
** private file in SQLite) and for a file still in rollback-journal format
** (conn_journal_mode), "memory" for an in-memory one, else "wal" or "mvcc".
** The mode is read (and set) when the statement runs. */
static void pragma_journal_mode(Parse *p, const Stmt *st) {
  int db = vdbe_current_db(p->v);
  const char *arg = pragma_arg_text(st->pragma_value), *name = "journal_mode";
  if (db == CONN_DB_TEMP) {
    single_text_row(p, name, "delete");
    return;
  }
  /* An in-memory database has no journal file: SQLite reports "memory" for
  ** it whatever mode is asked for, and so does Lode (it has no WAL there
  ** either, nor MVCC). */
  if (conn_db_is_memory(p->db, db)) {
    single_text_row(p, name, "memory");
    return;
  }
  if (arg && legacy_journal_mode(arg)) {
    cg_error(p, LODE_ERROR, "journal mode %s is not supported: Lode writes through a WAL (wal or mvcc)", arg);
    return;
  }
  /* mvcc (Turso also takes experimental_mvcc) and wal switch at run time; a
  ** mode SQLite does not know is ignored, as there. */
  int want = CONN_JOURNAL_ASK;
  if (arg && (util_stricmp(arg, "mvcc") == 0 || util_stricmp(arg, "experimental_mvcc") == 0)) want = CONN_JOURNAL_MVCC;
  else if (arg && util_stricmp(arg, "wal") == 0) want = CONN_JOURNAL_WAL;
  cg_result_names(p, 1, &name);
  begin_plain(p);
  int in = cg_reg(p), out = cg_reg(p);
  emit_int64(p, want, in);
  cg_op(p, OP_PragmaConn, CONN_PRAGMA_JOURNAL_MODE, out, in);
  /* out is CONN_JOURNAL_DELETE, _WAL or _MVCC (0, 1, 2). */
  int not_delete = vdbe_make_label(p->v), mvcc = vdbe_make_label(p->v), done = vdbe_make_label(p->v);
  cg_op(p, OP_IfPos, out, not_delete, 1);
  emit_text(p, "delete", out);
  cg_op(p, OP_Goto, 0, done, 0);
  vdbe_resolve_label(p->v, not_delete);
  cg_op(p, OP_IfPos, out, mvcc, 1);
  emit_text(p, "wal", out);
  cg_op(p, OP_Goto, 0, done, 0);
  vdbe_resolve_label(p->v, mvcc);
  emit_text(p, "mvcc", out);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_ResultRow, out, 1, 0);
  end_plain(p);
}

/* PRAGMA cipher / hexkey: the encryption of a new database, applied at
** prepare time (before any page is read) once both are given; never a
** silent no-op.  Reading hexkey shows nothing: the key stays unsaid. */
static void pragma_encryption(Parse *p, const Stmt *st, int is_cipher) {
  const char *arg = pragma_arg_text(st->pragma_value);
  if (!arg) {
    const char *cipher = conn_cipher(p->db);
    if (is_cipher && cipher) single_text_row(p, "cipher", cipher);
    else no_op(p);
    return;
  }
  const char *why = NULL;
  int rc = conn_set_encryption(p->db, is_cipher ? arg : NULL, is_cipher ? NULL : arg, &why);
  if (rc == LODE_ERROR && is_cipher && why && strcmp(why, "unknown cipher") == 0) cg_error(p, rc, "unknown cipher: %s", arg);
  else if (rc != LODE_OK) cg_error(p, rc, "%s", why ? why : lode_errstr(rc));
  else no_op(p);
}

/* PRAGMA rekey = 'HEX': every page rewritten under a new key of the same
** cipher, when the statement is prepared (pager_rekey). */
static void pragma_rekey(Parse *p, const Stmt *st) {
  const char *arg = pragma_arg_text(st->pragma_value);
  if (!arg) {
    no_op(p);
    return;
  }
  const char *why = NULL;
  int rc = conn_rekey(p->db, arg, &why);
  if (rc != LODE_OK) cg_error(p, rc, "%s", why ? why : lode_errstr(rc));
  else no_op(p);
}

void cg_pragma(Parse *p, const Stmt *st) {
  const char *name = st->pragma;
  int setting;
  if (st->schema) { /* PRAGMA schema.name: that database only */
    int db = cg_db_named(p, st->schema);
    if (db < 0) return;
    if (db == CONN_DB_TEMP && conn_db_open_temp(p->db) != LODE_OK) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    p->fix_db = db + 1;
    vdbe_set_db(p->v, db);
  }
  if (util_stricmp(name, "capture_data_changes_conn") == 0 ||
      util_stricmp(name, "unstable_capture_data_changes_conn") == 0)
    cg_pragma_cdc(p, st);
  else if (util_stricmp(name, "table_info") == 0) pragma_table_info(p, pragma_arg_text(st->pragma_value), 0);
  else if (util_stricmp(name, "table_xinfo") == 0) pragma_table_info(p, pragma_arg_text(st->pragma_value), 1);
  else if (util_stricmp(name, "table_list") == 0) pragma_table_list(p, pragma_arg_text(st->pragma_value));
  else if (util_stricmp(name, "index_list") == 0) pragma_index_list(p, pragma_arg_text(st->pragma_value));
  else if (util_stricmp(name, "index_info") == 0) pragma_index_info(p, pragma_arg_text(st->pragma_value), 0);
  else if (util_stricmp(name, "index_xinfo") == 0) pragma_index_info(p, pragma_arg_text(st->pragma_value), 1);
  else if (util_stricmp(name, "integrity_check") == 0) pragma_integrity_check(p, st, 1);
  else if (util_stricmp(name, "quick_check") == 0) pragma_integrity_check(p, st, 0);
  else if (util_stricmp(name, "locking_mode") == 0) pragma_locking_mode(p, st);
  else if (util_stricmp(name, "cipher") == 0) pragma_encryption(p, st, 1);
  else if (util_stricmp(name, "hexkey") == 0) pragma_encryption(p, st, 0);
  else if (util_stricmp(name, "rekey") == 0) pragma_rekey(p, st);
  else if (util_stricmp(name, "journal_mode") == 0) pragma_journal_mode(p, st);
  else if (util_stricmp(name, "page_size") == 0) pragma_page_size(p, st);
  else if (util_stricmp(name, "page_count") == 0) pragma_page_count(p);
  else if (util_stricmp(name, "max_page_count") == 0) pragma_max_page_count(p, st);
  else if (util_stricmp(name, "freelist_count") == 0)
    pragma_cookie(p, st, BTREE_META_FREELIST_COUNT, "freelist_count");
  else if (util_stricmp(name, "schema_version") == 0)
    pragma_cookie(p, st, BTREE_META_SCHEMA_COOKIE, "schema_version");
  else if (util_stricmp(name, "data_version") == 0) pragma_cookie(p, st, BTREE_DATA_VERSION, "data_version");
  else if (util_stricmp(name, "user_version") == 0) pragma_cookie(p, st, BTREE_META_USER_VERSION, "user_version");
  else if (util_stricmp(name, "application_id") == 0)
    pragma_cookie(p, st, BTREE_META_APPLICATION_ID, "application_id");
  else if (util_stricmp(name, "synchronous") == 0) pragma_synchronous(p, st);
  else if (util_stricmp(name, "cache_size") == 0) pragma_cache_size(p, st);
  else if (util_stricmp(name, "cache_spill") == 0) pragma_cache_spill(p, st);
  else if (util_stricmp(name, "shrink_memory") == 0) pragma_shrink_memory(p);
  else if (util_stricmp(name, "busy_timeout") == 0) pragma_busy_timeout(p, st);
  else if (util_stricmp(name, "wal_checkpoint") == 0) pragma_wal_checkpoint(p, st);
  else if (util_stricmp(name, "encoding") == 0) pragma_encoding(p, st);
  else if (util_stricmp(name, "auto_vacuum") == 0) pragma_auto_vacuum(p, st);
  else if (util_stricmp(name, "incremental_vacuum") == 0) pragma_incremental_vacuum(p, st);
  else if (util_stricmp(name, "database_list") == 0) pragma_database_list(p);
  else if (util_stricmp(name, "collation_list") == 0) pragma_collation_list(p);
  else if (util_stricmp(name, "compile_options") == 0) text_list_rows(p, "compile_options", func_compile_options, 0);
  else if (util_stricmp(name, "pragma_list") == 0) text_list_rows(p, "name", pragma_names, 0);
  else if (util_stricmp(name, "case_sensitive_like") == 0) pragma_case_sensitive_like(p, st);
  else if (util_stricmp(name, "function_list") == 0) cg_pragma_function_list(p);
  else if (util_stricmp(name, "module_list") == 0) cg_pragma_module_list(p);
  else if (util_stricmp(name, "recursive_triggers") == 0) pragma_recursive_triggers(p, st);
  else if (util_stricmp(name, "optimize") == 0) no_rows(p, "optimize"); /* nothing to report: no row */
  else if (cg_fk_pragma(p, st)) return;
  else if ((setting = conn_setting_find(name)) >= 0) pragma_setting(p, st, setting);
  else no_op(p); /* unknown pragmas are no-ops */
}
