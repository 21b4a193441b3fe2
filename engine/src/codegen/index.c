/*
** index.c — index entries and index DDL to bytecode.
**
** An entry of a rowid table's index is the record of its key columns (table
** columns or expressions, each with its collation and direction) followed by
** the rowid; entries are kept in the order of the index's KeyInfo, the
** rowid breaking ties.  A partial index holds entries only for rows its
** WHERE selects.  Index expressions and WHERE clauses are evaluated on a
** row through a one-item scope: the row's registers (a row about to be
** written) or a table cursor (a row being deleted, or a table being
** indexed).
**
** CREATE INDEX builds the b-tree in one pass: every row's entry goes into a
** sorter first, then the sorted entries are appended (a UNIQUE index checks
** each against the entries before it).  DROP INDEX frees the b-tree and the
** sqlite_schema row; REINDEX empties and rebuilds.
*/
#include <assert.h>
#include <string.h>

#include "codegen/cg.h"
#include "sql/parser.h"
#include "idxmethod/idxmethod.h"

#define SCHEMA_AFFINITY "BBBDB" /* type, name, tbl_name: TEXT; rootpage: INTEGER; sql: TEXT */

KeyInfo *cg_index_keyinfo(Parse *p, const Index *ix) {
  /* An index whose collation this connection lacks cannot be read or
  ** written: SQLite refuses the statement. */
  for (int j = 0; j < ix->ncols; j++)
    if (!cg_check_collation(p, ix->cols[j].coll_name)) return NULL;
  KeyInfo *k = index_keyinfo(ix);
  if (!k) cg_error(p, LODE_NOMEM, "out of memory");
  return k;
}

const Index *cg_find_index_of(Parse *p, const Table *t, const char *name) {
  for (const Index *ix = t->indexes; ix; ix = ix->next)
    if (util_stricmp(ix->name, name) == 0 && index_has_own_btree(ix)) return ix;
  cg_error(p, LODE_ERROR, "no such index: %s", name);
  return NULL;
}

int cg_index_count(const Table *t) {
  int n = 0;
  for (const Index *ix = t->indexes; ix; ix = ix->next) n += index_has_own_btree(ix);
  return n;
}

void cg_open_table(Parse *p, const Table *t, int cursor, int opcode) {
  int addr;
  if (t->without_rowid && t->pk) { /* an index-format b-tree, ordered by its PRIMARY KEY */
    KeyInfo *k = cg_index_keyinfo(p, t->pk);
    if (!k) return;
    addr = vdbe_add_op4(p->v, opcode, cursor, (int)t->root, 0, P4_KEYINFO, k, 0);
  } else {
    addr = vdbe_add_op4_int(p->v, opcode, cursor, (int)t->root, 0, table_record_ncols(t));
  }
  if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
  else vdbe_set_comment(p->v, addr, "%s", t->name);
  vdbe_set_op_db(p->v, addr, t->db);
}

int cg_open_indexes_but(Parse *p, const Table *t, int opcode, const char *unused) {
  int first = -1, i = 0;
  for (const Index *ix = t->indexes; ix; ix = ix->next) {
    if (!index_has_own_btree(ix)) continue;
    int c = cg_cursor(p);
    if (first < 0) first = c;
    /* The slot stays numbered so the others keep their cursors. */
    if (unused && unused[i++]) continue;
    KeyInfo *k = cg_index_keyinfo(p, ix);
    if (!k) return first;
    int addr = vdbe_add_op4(p->v, opcode, c, (int)ix->root, 0, P4_KEYINFO, k, 0);
    if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
    else vdbe_set_comment(p->v, addr, "%s", ix->name);
    vdbe_set_op_db(p->v, addr, t->db);
  }
  /* Writers hand their rows to the table's index methods too. */
  if (opcode == OP_OpenWrite && t->method_indexes) cg_idxm_open_all(p, t, &first);
  return first;
}

int cg_open_indexes(Parse *p, const Table *t, int opcode) { return cg_open_indexes_but(p, t, opcode, NULL); }

/* ---- what identifies a row -------------------------------------------------------- */

int cg_row_key_len(const Table *t) { return t->without_rowid && t->pk ? t->pk->nkey : 1; }

/* Where ix's entries hold the PRIMARY KEY column j of a WITHOUT ROWID table:
** in the key, when the index has that column with the same collation, else
** among the columns appended after it. */
static int entry_pos_of_pk_column(const Index *ix, int j) {
  const IndexColumn *pc = &ix->table->pk->cols[j];
  for (int k = 0; k < ix->ncols; k++)
    if (ix->cols[k].cid == pc->cid && util_stricmp(ix->cols[k].coll_name, pc->coll_name) == 0) return k;
  assert(0);
  return 0;
}

void cg_row_key_of_entry(Parse *p, const Index *ix, int icur, int key) {
  const Table *t = ix->table;
  if (!t->without_rowid) {
    cg_op(p, OP_IdxRowid, icur, key, 0);
    return;
  }
  for (int j = 0; j < t->pk->nkey; j++) cg_op(p, OP_Column, icur, entry_pos_of_pk_column(ix, j), key + j);
}

void cg_row_key_of_row(Parse *p, const Table *t, int cursor, int key) {
  if (!t->without_rowid) {
    cg_code_column(p, (Table *)t, cursor, -1, key);
    return;
  }
  for (int j = 0; j < t->pk->nkey; j++) cg_code_column(p, (Table *)t, cursor, t->pk->cols[j].cid, key + j);
}

void cg_seek_row(Parse *p, const Table *t, int cursor, int key, int missing) {
  if (t->without_rowid) vdbe_add_op4_int(p->v, OP_NotFound, cursor, missing, key, t->pk->nkey);
  else cg_op(p, OP_NotExists, cursor, missing, key);
}

void cg_jump_if_same_row(Parse *p, const Table *t, int a, int b, int same) {
  if (!t->without_rowid) {
    if (vdbe_add_op4_int(p->v, OP_Eq, a, same, b, COLL_BINARY) < 0) cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  int differ = vdbe_make_label(p->v);
  for (int j = 0; j < t->pk->nkey; j++)
    if (vdbe_add_op4_int(p->v, OP_Ne, a + j, differ, b + j, t->pk->cols[j].coll) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
  cg_op(p, OP_Goto, 0, same, 0);
  vdbe_resolve_label(p->v, differ);
}

/* ---- a row as expressions see it ------------------------------------------------ */

Scope *cg_row_scope_push(Parse *p, const RowSource *src, Scope *scope, ScopeItem *item) {
  Scope *saved = p->scope;
  memset(item, 0, sizeof *item);
  item->name = src->table->name;
  item->table = (Table *)src->table;
  item->sorter = -1;
  if (src->cursor >= 0) {
    item->cursor = src->cursor;
  } else {
    item->cursor = cg_cursor(p); /* never opened: names resolve to the registers */
    item->row_regs = src->regs;
    item->rowid_reg = src->rowid_reg;
  }
  scope->n = 1;
  scope->items = item;
  scope->outer = NULL;
  scope->nexists = 0;
  p->scope = scope;
  return saved;
}

void cg_index_skip_unless_selected(Parse *p, const Index *ix, const RowSource *src, int skip) {
  if (!ix->where) return;
  Scope scope;
  ScopeItem item;
  Scope *saved = cg_row_scope_push(p, src, &scope, &item);
  int place = p->pure_place;
  p->pure_place = FUNC_PLACE_INDEX;
  cg_jump_if_false(p, ix->where, skip);
  p->pure_place = place;
  p->scope = saved;
}

void cg_index_key(Parse *p, const Index *ix, const RowSource *src, int n, int key) {
  const Table *t = src->table;
  Scope scope;
  ScopeItem item;
  Scope *saved = NULL;
  int pushed = 0;
  for (int j = 0; j < n; j++) {
    const IndexColumn *c = &ix->cols[j];
    int cid = c->cid == t->ipk && c->cid >= 0 ? XN_ROWID : c->cid;
    if (cid == XN_EXPR) {
      if (!pushed) saved = cg_row_scope_push(p, src, &scope, &item);
      pushed = 1;
      int place = p->pure_place;
      p->pure_place = FUNC_PLACE_INDEX;
      cg_expr(p, c->expr, key + j);
      p->pure_place = place;
    } else if (src->cursor >= 0 && !(cid == XN_ROWID && src->rowid_reg > 0)) {
      cg_code_column(p, (Table *)t, src->cursor, cid, key + j);
    } else {
      cg_op(p, OP_SCopy, cid == XN_ROWID ? src->rowid_reg : src->regs + cid, key + j, 0);
    }
  }
  if (pushed) p->scope = saved;
}

/* The entry of ix for src, as a record in rec; returns the first register of its fields. */
static int index_entry(Parse *p, const Index *ix, const RowSource *src, int rec) {
  int key = cg_regs(p, ix->ncols);
  cg_index_key(p, ix, src, ix->ncols, key);
  cg_op(p, OP_MakeRecord, key, ix->ncols, rec);
  return key;
}

void cg_index_insert_entries(Parse *p, const Table *t, int first_cursor, const RowSource *src, const char *keep) {
  int c = first_cursor, rec = cg_reg(p);
  for (const Index *ix = t->indexes; ix; ix = ix->next) {
    if (!index_has_own_btree(ix)) continue;
    if (keep && keep[c - first_cursor]) {
      c++;
      continue;
    }
    int skip = vdbe_make_label(p->v);
    cg_index_skip_unless_selected(p, ix, src, skip);
    /* The fields stay in their registers for the insert's comparisons. */
    int key = index_entry(p, ix, src, rec);
    int addr = vdbe_add_op4_int(p->v, OP_IdxInsert, c, rec, key, ix->ncols);
    if (ix->unique && addr >= 0) vdbe_set_p5(p->v, addr, OPFLAG_PROBED);
    vdbe_resolve_label(p->v, skip);
    c++;
  }
  if (t->method_indexes) cg_idxm_entries(p, t, c, src, 1, keep ? keep + (c - first_cursor) : NULL);
}

void cg_index_delete_entries(Parse *p, const Table *t, int first_cursor, const RowSource *src, const char *keep) {
  int c = first_cursor;
  for (const Index *ix = t->indexes; ix; ix = ix->next) {
    if (!index_has_own_btree(ix)) continue;
    if (keep && keep[c - first_cursor]) {
      c++;
      continue;
    }
    /* A row a partial index does not hold has no entry: IdxDelete finds none. */
    int key = cg_regs(p, ix->ncols);
    cg_index_key(p, ix, src, ix->ncols, key);
    cg_op(p, OP_IdxDelete, c, key, ix->ncols);
    c++;
  }
  if (t->method_indexes) cg_idxm_entries(p, t, c, src, 0, keep ? keep + (c - first_cursor) : NULL);
}

/* "UNIQUE constraint failed: t.a, t.b" (or "index 'i'" for expressions). */
char *cg_unique_message(const Index *ix) {
  StrBuf b;
  strbuf_init(&b);
  strbuf_appendz(&b, "UNIQUE constraint failed: ");
  int has_expr = 0;
  for (int j = 0; j < ix->nkey; j++) has_expr |= ix->cols[j].cid == XN_EXPR;
  if (has_expr) {
    strbuf_printf(&b, "index '%s'", ix->name);
  } else {
    for (int j = 0; j < ix->nkey; j++) {
      const IndexColumn *c = &ix->cols[j];
      const char *col = c->cid >= 0 ? ix->table->cols[c->cid].name : "rowid";
      strbuf_printf(&b, "%s%s.%s", j ? ", " : "", ix->table->name, col);
    }
  }
  return strbuf_finish(&b);
}

/* ---- DDL -------------------------------------------------------------------------- */

/* "create unique index if not exists i on t(a)" → "CREATE UNIQUE INDEX i on t(a)", as SQLite stores it. */
static char *normalised_index_sql(const char *sql, int unique) {
  const char *z = cg_skip_keyword(sql, "CREATE"), *t;
  if (!z) return util_strdup(sql);
  if ((t = cg_skip_keyword(z, "UNIQUE"))) z = t;
  if (!(z = cg_skip_keyword(z, "INDEX"))) return util_strdup(sql);
  if ((t = cg_skip_keyword(z, "IF")) && (t = cg_skip_keyword(t, "NOT")) && (t = cg_skip_keyword(t, "EXISTS"))) z = t;
  return util_mprintf("CREATE %sINDEX %s", unique ? "UNIQUE " : "", cg_skip_main(z));
}

static void emit_string(Parse *p, const char *z, int target) {
  if (vdbe_add_op4(p->v, OP_String8, (int)strlen(z), target, 0, P4_STRING, z, (int)strlen(z)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
}

/* SQLite reads its new schema row back at once, and a text that does not
** parse (a table or view named IF, stored without the IF NOT EXISTS that
** let it parse) fails the statement as a malformed schema, undone: the
** program stops there instead of writing the row. */
static int schema_sql_unreadable(Parse *p, const char *name, const char *sql) {
  Arena a;
  Stmt *st = NULL;
  char *err = NULL;
  arena_init(&a);
  int rc = sql_parse_schema(&a, sql, -1, &st, NULL, &err);
  arena_free(&a);
  if (rc == LODE_OK || rc == LODE_NOMEM) {
    util_free(err);
    if (rc == LODE_NOMEM) cg_error(p, LODE_NOMEM, "out of memory");
    return rc == LODE_NOMEM;
  }
  char *msg = util_mprintf("malformed database schema (%s)%s%s", name, err ? " - " : "", err ? err : "");
  util_free(err);
  if (!msg || vdbe_add_op4(p->v, OP_Halt, LODE_CORRUPT, ONCONFLICT_ABORT, 0, P4_STRING, msg, (int)strlen(msg)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  util_free(msg);
  return 1;
}

void cg_schema_insert(Parse *p, const char *type, const char *name, const char *tbl, int root_reg, const char *sql) {
  if (sql && schema_sql_unreadable(p, name, sql)) return;
  int cursor = cg_cursor(p), rowid = cg_reg(p), regs = cg_regs(p, 5), rec = cg_reg(p);
  if (vdbe_add_op4_int(p->v, OP_OpenWrite, cursor, BTREE_SCHEMA_ROOT, 0, 5) < 0) cg_error(p, LODE_NOMEM, "oom");
  cg_op(p, OP_NewRowid, cursor, 0, rowid);
  emit_string(p, type, regs);
  emit_string(p, name, regs + 1);
  emit_string(p, tbl, regs + 2);
  cg_op(p, OP_SCopy, root_reg, regs + 3, 0);
  if (sql) emit_string(p, sql, regs + 4);
  else cg_op(p, OP_Null, 0, regs + 4, 0);
  if (vdbe_add_op4(p->v, OP_MakeRecord, regs, 5, rec, P4_STRING, SCHEMA_AFFINITY, 5) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  cg_op(p, OP_Insert, cursor, rec, rowid);
  cg_op(p, OP_Close, cursor, 0, 0);
  cg_cdc_schema_insert(p, type, sql, rowid, rec);
}

static void bump_schema(Parse *p, int added_only) {
  Schema *s = cg_db_schema(p, vdbe_current_db(p->v));
  cg_op(p, OP_SetCookie, 0, BTREE_META_SCHEMA_COOKIE, (int)((s ? s->cookie : 0) + 1));
  cg_op(p, OP_ParseSchema, 0, added_only, 0);
}

void cg_bump_schema(Parse *p) { bump_schema(p, 0); }

void cg_bump_schema_added(Parse *p) { bump_schema(p, 1); }

/* Fills the index whose (empty) b-tree root is in root_reg from every row
** of its table: entries sorted first, then appended in order. */
static void fill_index(Parse *p, const Index *ix, int root_reg) {
  const Table *t = ix->table;
  int tcur = cg_cursor(p), icur = cg_cursor(p), sorter = cg_cursor(p);
  int rec = cg_reg(p);
  int scanned = vdbe_make_label(p->v), done = vdbe_make_label(p->v);
  KeyInfo *wk = cg_index_keyinfo(p, ix), *sk = cg_index_keyinfo(p, ix);
  if (!wk || !sk) {
    keyinfo_free(wk);
    keyinfo_free(sk);
    return;
  }
  sk->nkey = ix->ncols; /* the sorter orders whole entries (the rowid last) */
  cg_open_table(p, t, tcur, OP_OpenRead);
  int addr = vdbe_add_op4(p->v, OP_OpenWrite, icur, 0, root_reg, P4_KEYINFO, wk, 0);
  if (addr >= 0) vdbe_set_p5(p->v, addr, 1);
  if (vdbe_add_op4(p->v, OP_SorterOpen, sorter, ix->ncols, 0, P4_KEYINFO, sk, 0) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  RowSource src = {t, tcur, 0, 0};
  cg_op(p, OP_Rewind, tcur, scanned, 0);
  int top = vdbe_current_addr(p->v);
  int next = vdbe_make_label(p->v);
  cg_index_skip_unless_selected(p, ix, &src, next);
  index_entry(p, ix, &src, rec);
  cg_op(p, OP_SorterInsert, sorter, rec, 0);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_Next, tcur, top, 0);
  vdbe_resolve_label(p->v, scanned);
  vdbe_set_p5(p->v, cg_op(p, OP_SorterSort, sorter, done, 0), SORTER_COUNTED);
  int pseudo = 0, key = 0, prev = 0;
  if (ix->unique) {
    /* The pseudo cursor reads whatever entry the register holds; the previous
    ** entry's key starts as NULLs, which equal nothing. */
    pseudo = cg_cursor(p);
    key = cg_regs(p, ix->nkey);
    prev = cg_regs(p, ix->nkey);
    cg_op(p, OP_OpenPseudo, pseudo, rec, ix->ncols);
    cg_op(p, OP_Null, 0, prev, prev + ix->nkey - 1);
  }
  int loop = cg_op(p, OP_SorterData, sorter, rec, 0);
  if (ix->unique) {
    /* Equal keys are neighbours now: an entry conflicts exactly when its key
    ** equals the previous entry's under the index's collations (a NULL in
    ** either never equals). */
    int ok = vdbe_make_label(p->v);
    for (int j = 0; j < ix->nkey; j++) cg_op(p, OP_Column, pseudo, j, key + j); /* all: the next entry's "prev" */
    for (int j = 0; j < ix->nkey; j++) {
      int a = vdbe_add_op4_int(p->v, OP_Ne, prev + j, ok, key + j, wk->coll[j]);
      if (a >= 0) vdbe_set_p5(p->v, a, CMP_JUMPIFNULL);
    }
    char *msg = cg_unique_message(ix);
    int h = msg ? vdbe_add_op4(p->v, OP_Halt, LODE_CONSTRAINT_UNIQUE, ONCONFLICT_ABORT, 0, P4_STRING, msg,
                               (int)strlen(msg))
                : -1;
    if (h < 0) cg_error(p, LODE_NOMEM, "out of memory");
    util_free(msg);
    vdbe_resolve_label(p->v, ok);
    cg_op(p, OP_Copy, key, prev, ix->nkey - 1);
  }
  addr = cg_op(p, OP_IdxInsert, icur, rec, 0);
  if (addr >= 0) vdbe_set_p5(p->v, addr, OPFLAG_APPEND);
  cg_op(p, OP_SorterNext, sorter, loop, 0);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_Close, tcur, 0, 0);
  cg_op(p, OP_Close, icur, 0, 0);
  cg_op(p, OP_Close, sorter, 0, 0);
}

static int check_writable_schema(Parse *p, const char *schema) {
  if (schema && cg_db_named(p, schema) < 0) return p->rc;
  return cg_require_writable(p);
}

/* IF [NOT] EXISTS found nothing to do in database zdb (any, when NULL). */
static void empty_program(Parse *p, const char *zdb) {
  cg_verify_schema(p, zdb);
  cg_begin_program(p);
  cg_end_program(p);
}

/* The index goes into its table's database: the one its name is
** qualified with, else wherever the table resolves. */
/* The first column reference of e that t has no column for, or NULL. */
static const Expr *unknown_column_in(const Table *t, const Expr *e) {
  if (!e) return NULL;
  if (e->kind == EXPR_COLUMN)
    return (e->table && util_stricmp(e->table, t->name) != 0) || table_column_index(t, e->text) < 0 ? e : NULL;
  const Expr *r = unknown_column_in(t, e->left);
  if (!r) r = unknown_column_in(t, e->right);
  if (!r) r = unknown_column_in(t, e->escape);
  for (int i = 0; !r && e->args && i < e->args->n; i++) r = unknown_column_in(t, e->args->items[i]);
  return r;
}

/* Where an index's failed name stands, for sqlite3_error_offset, in the
** order SQLite resolves them: a first term that is a bare name, the
** condition, then the terms. */
static const Expr *unknown_column_at(const Stmt *st, const Table *t) {
  const Expr *e = st->nindexed && st->indexed[0].name ? unknown_column_in(t, st->indexed[0].expr) : NULL;
  if (!e) e = unknown_column_in(t, st->index_where);
  for (int i = 0; !e && i < st->nindexed; i++) e = unknown_column_in(t, st->indexed[i].expr);
  return e;
}

static void create_index(Parse *p, const Stmt *st) {
  int db = st->schema ? cg_db_named(p, st->schema) : -1;
  if (st->schema && db < 0) return;
  /* temp.i: the table is looked up by the usual order, and must be TEMP */
  Table *t = cg_lookup_table(p, db == CONN_DB_TEMP ? NULL : st->schema, st->table);
  if (t && db == CONN_DB_TEMP && t->db != CONN_DB_TEMP) {
    cg_error(p, LODE_ERROR, "cannot create a TEMP index on non-TEMP table \"%s\"", t->name);
    return;
  }
  if (!t && cg_find_view_first(p, st->schema, st->table)) {
    cg_error(p, LODE_ERROR, "views may not be indexed");
    return;
  }
  if (!t) {
    cg_error(p, LODE_ERROR, "no such table: %s.%s", st->schema ? st->schema : "main", st->table);
    return;
  }
  Schema *s = cg_db_schema(p, t->db);
  vdbe_set_db(p->v, t->db);
  if (cg_require_writable(p) != LODE_OK) return;
  if (t->root == BTREE_SCHEMA_ROOT) {
    cg_error(p, LODE_ERROR, "table %s may not be indexed", cg_schema_table_name(t));
    return;
  }
  if (util_strnicmp(t->name, "sqlite_", 7) == 0) { /* sqlite_sequence, sqlite_stat1: SQLite's own */
    cg_error(p, LODE_ERROR, "table %s may not be indexed", t->name);
    return;
  }
  if (t->vtab_module) {
    cg_error(p, LODE_ERROR, "virtual tables may not be indexed");
    return;
  }
  if (cg_name_reserved(p, st->index)) {
    cg_error(p, LODE_ERROR, "object name reserved for internal use: %s", st->index);
    return;
  }
  if (schema_find_table(s, st->index) || schema_find_view(s, st->index)) {
    cg_error(p, LODE_ERROR, "there is already a table named %s", st->index);
    return;
  }
  if (schema_find_index(s, st->index) || schema_find_method_index(s, st->index)) {
    if (st->if_exists) empty_program(p, cg_db_name(p, t->db));
    else cg_error(p, LODE_ERROR, "index %s already exists", st->index);
    return;
  }
  /* Term by term, as SQLite reports them: an unknown column first (below), else an unknown collation. */
  for (int i = 0; i < st->nindexed; i++) {
    const char *name = st->indexed[i].name;
    int c = 0;
    while (name && c < t->ncols && util_stricmp(t->cols[c].name, name) != 0) c++;
    if (name && c == t->ncols) break;
    if (!cg_check_collation(p, st->indexed[i].collation)) return;
  }
  char *err = NULL;
  if (st->index_method) {
    cg_idxm_create(p, st, t);
    return;
  }
  Index *ix = index_from_ast(st, t, 0, st->sql, NULL, &err);
  if (!ix) {
    cg_error_at(p, err ? unknown_column_at(st, t) : NULL, err ? LODE_ERROR : LODE_NOMEM, "%s",
                err ? err : "out of memory");
    util_free(err);
    return;
  }
  if (t->db != CONN_DB_TEMP) {
    for (int i = 0; i < ix->nkey; i++) cg_schema_calls_check(p, ix->cols[i].expr);
    if (cg_schema_calls_check(p, ix->where) != LODE_OK) {
      index_free(ix);
      return;
    }
  }
  for (int i = 0; i < ix->nkey; i++) {
    if (ix->cols[i].expr && cg_has_nondeterministic(p, ix->cols[i].expr)) {
      index_free(ix);
      cg_error(p, LODE_ERROR, "non-deterministic functions prohibited in index expressions");
      return;
    }
  }
  if (ix->where && cg_has_nondeterministic(p, ix->where)) {
    index_free(ix);
    cg_error(p, LODE_ERROR, "non-deterministic functions prohibited in partial index WHERE clauses");
    return;
  }
  char *sql = normalised_index_sql(st->sql_through ? st->sql_through : st->sql, st->unique);
  if (!sql) {
    index_free(ix);
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  p->writes = 1;
  cg_begin_program(p);
  int root = cg_reg(p);
  cg_op(p, OP_CreateBtree, 0, root, BTREE_BLOBKEY);
  cg_schema_insert(p, "index", st->index, t->name, root, sql);
  fill_index(p, ix, root);
  cg_bump_schema_added(p);
  cg_end_program(p);
  util_free(sql);
  index_free(ix);
}

/* Deletes the sqlite_schema rows whose column col equals name (NOCASE):
** with a type, only the rows of that type (keep 0) or all but those (keep 1). */
static void schema_delete(Parse *p, int col, const char *name, const char *type, int keep) {
  int cursor = cg_cursor(p), name_reg = cg_reg(p), col_reg = cg_reg(p), type_reg = type ? cg_reg(p) : 0;
  int next = vdbe_make_label(p->v), done = vdbe_make_label(p->v);
  if (vdbe_add_op4_int(p->v, OP_OpenWrite, cursor, BTREE_SCHEMA_ROOT, 0, 5) < 0) cg_error(p, LODE_NOMEM, "oom");
  emit_string(p, name, name_reg);
  if (type) emit_string(p, type, type_reg);
  cg_op(p, OP_Rewind, cursor, done, 0);
  int top = cg_op(p, OP_Column, cursor, col, col_reg);
  int addr = vdbe_add_op4_int(p->v, OP_Ne, name_reg, next, col_reg, COLL_NOCASE);
  if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
  if (type) {
    cg_op(p, OP_Column, cursor, 0, col_reg);
    addr = vdbe_add_op4_int(p->v, keep ? OP_Eq : OP_Ne, type_reg, next, col_reg, COLL_BINARY);
    if (addr >= 0 && !keep) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
  }
  cg_cdc_schema_delete(p, cursor, name);
  cg_op(p, OP_Delete, cursor, 0, 0);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_Close, cursor, 0, 0);
}

/* Drops the b-tree at root.  In an auto-vacuum database the last root page
** may move into root's page: the sqlite_schema row naming it is updated.
** Several trees of one statement are dropped highest root first, so that a
** moved root is never one still to drop. */
void cg_destroy(Parse *p, uint32_t root) {
  int moved = cg_reg(p), cursor = cg_cursor(p), col = cg_reg(p), row = cg_regs(p, 5), rowid = cg_reg(p);
  int rec = cg_reg(p), next = vdbe_make_label(p->v), close = vdbe_make_label(p->v), done = vdbe_make_label(p->v);
  cg_op(p, OP_Destroy, (int)root, moved, 0);
  cg_op(p, OP_IfNot, moved, done, 0);
  if (vdbe_add_op4_int(p->v, OP_OpenWrite, cursor, BTREE_SCHEMA_ROOT, 0, 5) < 0) cg_error(p, LODE_NOMEM, "oom");
  cg_op(p, OP_Rewind, cursor, close, 0);
  int top = cg_op(p, OP_Column, cursor, 3, col);
  vdbe_add_op4_int(p->v, OP_Ne, moved, next, col, COLL_BINARY);
  for (int i = 0; i < 5; i++) cg_op(p, OP_Column, cursor, i, row + i);
  cg_op(p, OP_Integer, (int)root, row + 3, 0);
  cg_op(p, OP_Rowid, cursor, rowid, 0);
  cg_op(p, OP_MakeRecord, row, 5, rec);
  cg_op(p, OP_Insert, cursor, rec, rowid);
  cg_op(p, OP_Goto, 0, close, 0); /* one row names a root page */
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, close);
  cg_op(p, OP_Close, cursor, 0, 0);
  vdbe_resolve_label(p->v, done);
}

void cg_schema_delete(Parse *p, int col, const char *name) { schema_delete(p, col, name, NULL, 0); }

/* The index's own row: a trigger, table or view may have its name (each
** kind of object names itself apart), and its row stays. */
void cg_schema_delete_index(Parse *p, const char *name) { schema_delete(p, 1, name, "index", 0); }

/* The object's rows (tbl_name), its triggers' excepted: in temp they may be
** on a table of another database of that name (cg_drop_temp_triggers_on). */
void cg_schema_delete_but_triggers(Parse *p, const char *name) { schema_delete(p, 2, name, "trigger", 1); }

/* The method index (not a store) named name, in the databases zdb names.
** An unknown database holds none: DROP INDEX then reports no such index, as
** SQLite does. */
static MethodIndex *lookup_method_index(Parse *p, const char *zdb, const char *name) {
  for (int d = 0; d < p->db->ndb; d++) {
    Schema *s = p->db->dbs[d].schema;
    if (!s || (zdb && conn_db_find(p->db, zdb) != d)) continue;
    MethodIndex *mi = schema_find_method_index(s, name);
    if (mi && !mi->backing) return mi;
  }
  return NULL;
}

static void drop_index(Parse *p, const Stmt *st) {
  Index *ix = cg_lookup_index(p, st->schema, st->index);
  MethodIndex *mi = ix ? NULL : lookup_method_index(p, st->schema, st->index);
  if (mi) {
    vdbe_set_db(p->v, mi->table->db);
    if (cg_require_writable(p) != LODE_OK) return;
    cg_idxm_drop(p, mi);
    return;
  }
  if (!ix) {
    if (st->if_exists) empty_program(p, st->schema);
    else if (st->schema) cg_error(p, LODE_ERROR, "no such index: %s.%s", st->schema, st->index);
    else cg_error(p, LODE_ERROR, "no such index: %s", st->index);
    return;
  }
  vdbe_set_db(p->v, ix->table->db);
  if (cg_require_writable(p) != LODE_OK) return;
  if (ix->autoindex || !index_has_own_btree(ix)) {
    cg_error(p, LODE_ERROR, "index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped");
    return;
  }
  p->writes = 1;
  cg_begin_program(p);
  cg_stat_delete(p, 1, ix->name); /* its statistics go with it */
  cg_schema_delete_index(p, ix->name);
  cg_destroy(p, ix->root);
  cg_bump_schema(p);
  cg_end_program(p);
}

/* Empties the index b-tree and fills it again from its table. */
static void rebuild_index(Parse *p, const Index *ix) {
  int icur = cg_cursor(p), root = cg_reg(p), done = vdbe_make_label(p->v);
  KeyInfo *k = cg_index_keyinfo(p, ix);
  if (!k) return;
  vdbe_set_db(p->v, ix->table->db);
  if (vdbe_add_op4(p->v, OP_OpenWrite, icur, (int)ix->root, 0, P4_KEYINFO, k, 0) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  int top = cg_op(p, OP_Rewind, icur, done, 0);
  cg_op(p, OP_Delete, icur, 0, 0);
  cg_op(p, OP_Goto, 0, top, 0);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_Close, icur, 0, 0);
  cg_op(p, OP_Integer, (int)ix->root, root, 0);
  fill_index(p, ix, root);
}

static int uses_collation(const Index *ix, const char *name) {
  for (int j = 0; j < ix->nkey; j++)
    if (util_stricmp(ix->cols[j].coll_name, name) == 0) return 1;
  return 0;
}

/* A collation the connection has (built in or the application's), or one
** an index names (rebuilding it then fails for want of the collation). */
static int is_collation_name(Parse *p, const char *z) {
  if (coll_lookup(p->db->colls, z) >= 0) return 1;
  for (int d = 0; d < p->db->ndb; d++) {
    Schema *s = cg_db_schema(p, d);
    for (int i = 0; s && i < s->nindexes; i++)
      if (uses_collation(s->indexes[i], z)) return 1;
  }
  return 0;
}

/* REINDEX: every index, the indexes using a collation, of a table, or one.
** An unqualified name is a collation's before a table's or an index's. */
static void reindex(Parse *p, const Stmt *st) {
  const char *name = st->index;
  if (st->schema && cg_db_named(p, st->schema) < 0) return;
  int coll = name && !st->schema && is_collation_name(p, name);
  Table *t = name && !coll ? cg_lookup_table(p, st->schema, name) : NULL;
  Index *one = name && !coll && !t ? cg_lookup_index(p, st->schema, name) : NULL;
  if (check_writable_schema(p, st->schema) != LODE_OK) return;
  if (name && !t && !one && !coll) {
    cg_error(p, LODE_ERROR, "unable to identify the object to be reindexed");
    return;
  }
  p->writes = 1;
  cg_begin_program(p);
  /* Every database's indexes, in SQLite's order (the authorizer hears of
  ** each): its tables newest first, and each table's indexes newest first. */
  for (int d = 0; d < p->db->ndb && p->rc == LODE_OK; d++) {
    Schema *s = cg_db_schema(p, d);
    for (int k = s ? s->ntables - 1 : -1; k >= 0 && p->rc == LODE_OK; k--) {
      if (s->tables[k]->pk_row && (!name || t == s->tables[k])) {
        static const char corrupt[] = "database disk image is malformed";
        if (vdbe_add_op4(p->v, OP_Halt, LODE_CORRUPT, ONCONFLICT_ABORT, 0, P4_STRING, corrupt,
                         (int)strlen(corrupt)) < 0)
          cg_error(p, LODE_NOMEM, "out of memory");
      }
      for (int i = s->nindexes - 1; i >= 0 && p->rc == LODE_OK; i--) {
        const Index *ix = s->indexes[i];
        if (ix->table != s->tables[k] || !index_has_own_btree(ix)) continue;
        if (t && ix->table != t) continue;
        if (one && ix != one) continue;
        if (coll && !uses_collation(ix, name)) continue;
        /* SQLITE_IGNORE: the index is left as it is, as SQLite leaves it. */
        if (p->auth && cg_auth_ask(p, CONN_AUTH_REINDEX, ix->name, NULL, cg_db_name(p, d)) != LODE_OK) continue;
        rebuild_index(p, ix);
      }
    }
  }
  vdbe_set_db(p->v, CONN_DB_MAIN);
  cg_end_program(p);
}

void cg_index_ddl(Parse *p, const Stmt *st) {
  switch (st->kind) {
  case STMT_CREATE_INDEX:
    p->ddl_check = DDL_CHECK_CREATE;
    create_index(p, st);
    p->ddl_check = 0;
    break;
  case STMT_DROP_INDEX: drop_index(p, st); break;
  default: reindex(p, st); break;
  }
}
