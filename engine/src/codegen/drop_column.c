/*
** drop_column.c — ALTER TABLE t DROP [COLUMN] c.
**
** As in SQLite, the column's definition is cut out of the CREATE TABLE text
** (from the start of its name to the start of the next column's name; the
** last column from the comma before it to the end of the column list), and
** every row is rewritten without the column's value (a VIRTUAL column has
** none, and its rows stay as they are).  No column an index, view, CHECK or
** generated column needs may go: the column is refused outright when it is
** (part of) the PRIMARY KEY or has a UNIQUE constraint of its own, or when
** the table has no other column; otherwise the table's new text and every
** index and view are compiled against the table as it would be, and the
** first that fails names itself ("error in index i after drop column: no
** such column: c").  A view that already fails stops the ALTER too ("error
** in view v: …"), as sqlite3 checks the schema before changing it.  Triggers
** are checked the same way, before and after (their WHEN clauses and the
** expressions of their steps; not the columns an INSERT lists or an UPDATE
** sets, which SQLite does not check either).
**
** The rows are rewritten in two passes, the new records of every row kept
** in a sorter first, so that no scan sees a record it wrote: a rowid table's
** records are replaced under the same rowid; a WITHOUT ROWID table's
** entries are deleted and inserted again (the PRIMARY KEY columns, first in
** each entry, are unchanged).  Indexes keep their entries: none holds the
** column.
*/
#include <string.h>

#include "codegen/cg.h"
#include "sql/parser.h"
#include "sql/token.h"

#define SCHEMA_COLUMNS 5
#define SCHEMA_AFFINITY "BBBDB"
#define SCHEMA_COL_TYPE 0
#define SCHEMA_COL_NAME 1
#define SCHEMA_COL_SQL 4

/* ---- the new CREATE TABLE text ------------------------------------------------------ */

static int is_table_constraint_start(int code) {
  return code == TK_CONSTRAINT || code == TK_PRIMARY || code == TK_UNIQUE || code == TK_CHECK || code == TK_FOREIGN;
}

/* The next token of sql at *pos that is no space or comment; its start in *start. */
static int token_at(const char *sql, int *pos, int *start, int *len) {
  const char *end = sql + strlen(sql);
  int code = TK_SPACE;
  while (code == TK_SPACE && sql + *pos < end) {
    *start = *pos;
    *len = sql_token_get(sql + *pos, end, &code);
    *pos += *len;
  }
  if (code == TK_SPACE) {
    *start = *pos;
    *len = 0;
    return TK_EOF;
  }
  return code;
}

/* Where each column definition's name starts (starts[0..n)), and where the
** column list ends: the comma before the first table constraint, or the ')'
** closing the list.  Returns the number of definitions found. */
static int column_defs(const char *sql, int *starts, int max, int *list_end) {
  int pos = 0, start, len, depth = 0, n = 0, expect_def = 0, code;
  *list_end = -1;
  while ((code = token_at(sql, &pos, &start, &len)) != TK_EOF) {
    if (expect_def) {
      expect_def = 0;
      if (depth == 1 && is_table_constraint_start(code)) {
        return n;
      }
      if (n < max) starts[n] = start;
      n++;
    }
    if (code == TK_LP && ++depth == 1) expect_def = 1;
    else if (code == TK_RP && --depth == 0) {
      *list_end = start;
      return n;
    } else if (code == TK_COMMA && depth == 1) {
      *list_end = start;
      expect_def = 1;
    }
  }
  return n;
}

/* sql without column col's definition (util_malloc'd), NULL when out of
** memory or when the text does not have the table's columns. */
static char *sql_without_column(const Table *t, int col) {
  int *starts = util_malloc(sizeof(int) * (size_t)(t->ncols + 1)), end;
  char *r = NULL;
  if (!starts) return NULL;
  if (column_defs(t->sql, starts, t->ncols, &end) == t->ncols && end >= 0) {
    if (col + 1 < t->ncols) {
      r = util_mprintf("%.*s%s", starts[col], t->sql, t->sql + starts[col + 1]);
    } else {
      int from = starts[col];
      while (from > 0 && t->sql[from] != ',') from--;
      r = util_mprintf("%.*s%s", from, t->sql, t->sql + end);
    }
  }
  util_free(starts);
  return r;
}

/* ---- checks ------------------------------------------------------------------------- */

/* A name token dequoted into buf ("x", [x], `x`, 'x'); doubled quotes kept. */
static void token_name(const char *z, int n, char *buf, size_t size) {
  if (n >= 2 && (z[0] == '"' || z[0] == '[' || z[0] == '`' || z[0] == '\'')) {
    z++;
    n -= 2;
  }
  if ((size_t)n >= size) n = (int)size - 1;
  memcpy(buf, z, (size_t)n);
  buf[n] = 0;
}

/* A FOREIGN KEY (…) table constraint of sql naming column name: SQLite's
** "unknown column "y" in foreign key definition". */
static int check_foreign_keys(Parse *p, const char *sql, const char *name, char **err) {
  int pos = 0, start, len, depth = 0, code, in_fk = 0;
  while ((code = token_at(sql, &pos, &start, &len)) != TK_EOF) {
    if (code == TK_LP) depth++;
    else if (code == TK_RP) {
      depth--;
      in_fk = 0;
    } else if (code == TK_FOREIGN && depth == 1) in_fk = 1;
    else if (in_fk && depth == 2 && code != TK_COMMA) {
      char buf[256];
      token_name(sql + start, len, buf, sizeof buf);
      if (util_stricmp(buf, name) == 0) {
        *err = util_mprintf("unknown column \"%s\" in foreign key definition", buf);
        return *err ? LODE_ERROR : cg_error(p, LODE_NOMEM, "out of memory");
      }
    }
  }
  return LODE_OK;
}

/* Takes the compilation's error over as a message of its own (util_malloc'd). */
static char *take_error(Parse *p) {
  char *m = p->errmsg;
  p->errmsg = NULL;
  p->rc = LODE_OK;
  return m;
}

/* While names are checked against nt, what ALTER makes of t: a "double-quoted"
** name of a column t had and nt lacks is no string there (see dqs_allowed).
** nt NULL: back to no check of that kind. */
static void set_altered_check(Parse *p, const Table *t, const Table *nt) {
  p->ddl_check = nt ? DDL_CHECK_ALTERED : 0;
  p->ddl_old = nt ? t : NULL;
}

/* The CHECK constraints are compiled into a program that never runs. */
void cg_rebuilt_table_check(Parse *p, const Stmt *create, const Table *nt, const Table *old) {
  if (cg_generated_count_check(p, nt) != LODE_OK) return;
  Vdbe *program = p->v, *scratch = vdbe_new(p->db);
  if (!scratch) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  p->v = scratch;
  int regs = cg_regs(p, nt->ncols), rowid = cg_reg(p);
  Scope scope, *saved;
  ScopeItem item;
  RowSource row = {nt, -1, regs, rowid};
  saved = cg_row_scope_push(p, &row, &scope, &item);
  set_altered_check(p, old, nt);
  for (int i = 0; i < create->nconstraints && p->rc == LODE_OK; i++)
    if (create->constraints[i].kind == TC_CHECK && create->constraints[i].check)
      cg_expr_reg(p, create->constraints[i].check);
  p->scope = saved;
  p->v = program;
  vdbe_free(scratch);
  if (p->rc == LODE_OK) cg_generated_check(p, nt);
  set_altered_check(p, NULL, NULL);
}

/* The new table's text as CREATE TABLE would take it; *nt gets its Table.
** NULL, or "error in table t after drop column: …" in *err. */
static void check_new_table(Parse *p, const Table *t, const char *sql, const char *name, Table **nt, char **err) {
  Stmt *create = NULL;
  *nt = NULL;
  int rc = sql_parse(&p->arena, sql, -1, &create, NULL, err);
  if (rc == LODE_NOMEM || (rc == LODE_OK && !create)) {
    util_free(*err);
    *err = NULL;
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  if (rc != LODE_OK) return;
  if (check_foreign_keys(p, sql, name, err) != LODE_OK) return;
  *nt = table_from_ast(create, t->root, sql, err);
  if (!*nt) {
    if (!*err) cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  cg_rebuilt_table_check(p, create, *nt, t);
  if (p->rc == LODE_ERROR) *err = take_error(p);
}

/* A "double-quoted" name in e that named a column of t and names none of
** nt: the dropped column.  CREATE INDEX takes such a name for a string, but
** the schema check after an ALTER does not (SQLite's), so an index that named
** the dropped column that way fails.  A quoted name that named no column of
** t was a string before the ALTER and stays one (SQLite makes it a literal
** first). */
static const Expr *unresolved_quoted_name(const Table *t, const Table *nt, const Expr *e) {
  if (!e) return NULL;
  if (e->kind == EXPR_COLUMN && e->quoted && !e->table && table_column_index(t, e->text) >= 0 &&
      table_column_index(nt, e->text) < 0)
    return e;
  const Expr *r = unresolved_quoted_name(t, nt, e->left);
  if (!r) r = unresolved_quoted_name(t, nt, e->right);
  if (!r) r = unresolved_quoted_name(t, nt, e->escape);
  for (int i = 0; !r && e->args && i < e->args->n; i++) r = unresolved_quoted_name(t, nt, e->args->items[i]);
  return r;
}

/* A key term that is a "double-quoted" name alone names a column, never a
** string, there: one that named no column of t either fails with the plain
** message (the dropped column's name with the other, as SQLite 3.53 words it). */
static char *quoted_name_error(const Stmt *create, const Table *t, const Table *nt) {
  const Expr *e = unresolved_quoted_name(t, nt, create->index_where);
  for (int i = 0; !e && i < create->nindexed; i++) {
    const Expr *k = create->indexed[i].expr;
    if (k && k->kind == EXPR_COLUMN && k->quoted && !k->table && table_column_index(t, k->text) < 0) {
      if (table_column_index(nt, k->text) < 0 && !cg_is_rowid_name(k->text))
        return util_mprintf("no such column: %s", k->text);
      continue;
    }
    e = unresolved_quoted_name(t, nt, k);
  }
  return e ? util_mprintf("no such column: \"%s\" - should this be a string literal in single-quotes?", e->text)
           : NULL;
}

/* Each index of t, its definition resolved against nt. */
static char *check_indexes(Parse *p, const Table *t, Table *nt, const char **what) {
  Schema *s = cg_target_schema(p);
  for (int i = 0; i < s->nindexes; i++) {
    const Index *ix = s->indexes[i];
    Stmt *create = NULL;
    char *err = NULL;
    if (ix->table != t || !ix->sql) continue;
    int rc = sql_parse(&p->arena, ix->sql, -1, &create, NULL, &err);
    if (rc == LODE_OK && create && (err = quoted_name_error(create, t, nt)) != NULL) {
      *what = ix->name;
      return err;
    }
    Index *nix = rc == LODE_OK && create ? index_from_ast(create, nt, 0, NULL, NULL, &err) : NULL;
    if (!nix && !err) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return NULL;
    }
    index_free(nix);
    if (err) {
      *what = ix->name;
      return err;
    }
  }
  return NULL;
}

/* Each view compiled (into a program that never runs) with t standing in
** the schema as nt (nt NULL: as it is), as leniently as ALTER's rename
** compiles them.  The first failing view's message. */
static char *check_views(Parse *p, Table *t, Table *nt, const char **what) {
  Schema *s = cg_target_schema(p);
  int k = 0;
  char *err = NULL;
  while (k < s->ntables && s->tables[k] != t) k++;
  if (k == s->ntables) return NULL;
  Vdbe *program = p->v, *scratch = vdbe_new(p->db);
  if (!scratch) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  p->v = scratch;
  p->rename = cg_rename_check_only();
  set_altered_check(p, t, nt);
  if (nt) schema_set_table(s, k, nt);
  for (int i = 0; i < s->nviews && !err && p->rc == LODE_OK; i++) {
    cg_view_table(p, s->views[i]);
    if (p->rc == LODE_ERROR) {
      *what = s->views[i]->name;
      err = take_error(p);
    }
  }
  schema_set_table(s, k, t);
  p->rename = NULL;
  set_altered_check(p, NULL, NULL);
  p->v = program;
  vdbe_free(scratch);
  return err;
}

/* Each trigger of t's database, and each TEMP trigger, its names resolved
** with t standing in the schema as nt (nt NULL: as it is), as leniently as
** ALTER's rename resolves them.  The first
** failing trigger's message. */
static char *check_triggers(Parse *p, Table *t, Table *nt, const char **what) {
  Schema *s = cg_target_schema(p), *temp = cg_db_schema(p, CONN_DB_TEMP);
  int k = 0;
  char *err = NULL;
  while (k < s->ntables && s->tables[k] != t) k++;
  if (k == s->ntables) return NULL;
  if (nt) schema_set_table(s, k, nt);
  p->rename = cg_rename_check_only();
  set_altered_check(p, t, nt);
  for (int pass = 0; pass < 2 && !err && p->rc == LODE_OK; pass++) {
    Schema *in = pass == 0 ? s : temp != s ? temp : NULL;
    for (int i = 0; in && i < in->ntriggers && !err && p->rc == LODE_OK; i++) {
      err = cg_trigger_check_names(p, in->triggers[i]);
      if (err) *what = in->triggers[i]->name;
    }
  }
  p->rename = NULL;
  set_altered_check(p, NULL, NULL);
  schema_set_table(s, k, t);
  return err;
}

/* The column may go: SQLite's refusals, in its order.  NULL with p->rc set
** when it may not; else the new CREATE TABLE text. */
static char *check_drop(Parse *p, Table *t, int col, const char *name) {
  const Column *c = &t->cols[col];
  const char *what = NULL;
  char *err, *sql;
  Table *nt = NULL;
  if (c->primary_key || c->unique) {
    cg_error(p, LODE_ERROR, "cannot drop %s column: \"%s\"", c->primary_key ? "PRIMARY KEY" : "UNIQUE", name);
    return NULL;
  }
  if (t->ncols <= 1) {
    cg_error(p, LODE_ERROR, "cannot drop column \"%s\": no other columns exist", name);
    return NULL;
  }
  const char *kind = "view";
  err = check_views(p, t, NULL, &what);
  if (!err && p->rc == LODE_OK) {
    kind = "trigger";
    err = check_triggers(p, t, NULL, &what);
  }
  if (err) {
    cg_error(p, LODE_ERROR, "error in %s %s: %s", kind, what, err);
    util_free(err);
  }
  if (p->rc != LODE_OK) return NULL;
  if (!(sql = sql_without_column(t, col))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  err = NULL;
  check_new_table(p, t, sql, c->name, &nt, &err);
  if (err) cg_error(p, LODE_ERROR, "error in table %s after drop column: %s", t->name, err);
  else if (p->rc == LODE_OK && !nt) cg_error(p, LODE_NOMEM, "out of memory");
  else if (p->rc == LODE_OK && (err = check_indexes(p, t, nt, &what)))
    cg_error(p, LODE_ERROR, "error in index %s after drop column: %s", what, err);
  else if (p->rc == LODE_OK && (err = check_views(p, t, nt, &what)))
    cg_error(p, LODE_ERROR, "error in view %s after drop column: %s", what, err);
  else if (p->rc == LODE_OK && (err = check_triggers(p, t, nt, &what)))
    cg_error(p, LODE_ERROR, "error in trigger %s after drop column: %s", what, err);
  util_free(err);
  table_free(nt);
  if (p->rc != LODE_OK) {
    util_free(sql);
    return NULL;
  }
  return sql;
}

/* ---- the program -------------------------------------------------------------------- */

/* The record positions of t's stored columns but col, as cids, into cids;
** returns how many. */
static int kept_columns(const Table *t, int col, int *cids) {
  int n = 0;
  if (t->without_rowid) {
    for (int k = 0; k < t->pk->ncols; k++)
      if (t->pk->cols[k].cid != col) cids[n++] = t->pk->cols[k].cid;
    return n;
  }
  for (int i = 0; i < t->ncols; i++)
    if (i != col && t->cols[i].generated != COLGEN_VIRTUAL) cids[n++] = i;
  return n;
}

static void rewrite_rows(Parse *p, const Table *t, int col) {
  int *cids = arena_alloc(&p->arena, sizeof(int) * (size_t)t->ncols);
  KeyInfo *k = keyinfo_new(0);
  if (!cids || !k) {
    keyinfo_free(k);
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  int n = kept_columns(t, col, cids), rowid = t->without_rowid ? 0 : 1;
  int cursor = cg_cursor(p), sorter = cg_cursor(p), pseudo = cg_cursor(p);
  int regs = cg_regs(p, n + 1), rec = cg_reg(p), out = cg_reg(p);
  int scanned = vdbe_make_label(p->v), done = vdbe_make_label(p->v);
  cg_open_table(p, t, cursor, OP_OpenWrite);
  if (vdbe_add_op4(p->v, OP_SorterOpen, sorter, 0, 0, P4_KEYINFO, k, 0) < 0) cg_error(p, LODE_NOMEM, "out of memory");
  /* Pass 1: every row's new record (after its rowid) into the sorter. */
  cg_op(p, OP_Rewind, cursor, scanned, 0);
  int top = vdbe_current_addr(p->v);
  if (rowid) cg_op(p, OP_Rowid, cursor, regs, 0);
  for (int j = 0; j < n; j++) cg_code_stored_column(p, (Table *)t, cursor, cids[j], regs + rowid + j);
  cg_op(p, OP_MakeRecord, regs, n + rowid, rec);
  cg_op(p, OP_SorterInsert, sorter, rec, 0);
  cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, scanned);
  /* Pass 2: each row replaced. */
  cg_op(p, OP_OpenPseudo, pseudo, rec, n + rowid);
  cg_op(p, OP_SorterSort, sorter, done, 0);
  int loop = cg_op(p, OP_SorterData, sorter, rec, 0);
  int next = vdbe_make_label(p->v);
  for (int j = 0; j < n + rowid; j++) cg_op(p, OP_Column, pseudo, j, regs + j);
  cg_op(p, OP_MakeRecord, regs + rowid, n, out);
  if (rowid) {
    cg_op(p, OP_Insert, cursor, out, regs);
  } else {
    vdbe_add_op4_int(p->v, OP_NotFound, cursor, next, regs, t->pk->nkey);
    cg_op(p, OP_Delete, cursor, 0, 0);
    cg_op(p, OP_IdxInsert, cursor, out, 0);
  }
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_SorterNext, sorter, loop, 0);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_Close, cursor, 0, 0);
}

/* The table's sqlite_schema row gets the new text (same rowid: the rows
** keep their order, which the schema loader relies on). */
static void update_schema_row(Parse *p, const Table *t, const char *sql) {
  int cursor = cg_cursor(p), name = cg_reg(p), type = cg_reg(p), got = cg_reg(p), rowid = cg_reg(p);
  int regs = cg_regs(p, SCHEMA_COLUMNS), rec = cg_reg(p);
  int done = vdbe_make_label(p->v), next = vdbe_make_label(p->v);
  if (vdbe_add_op4_int(p->v, OP_OpenWrite, cursor, BTREE_SCHEMA_ROOT, 0, SCHEMA_COLUMNS) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  cg_op4_str(p, OP_String8, (int)strlen(t->name), name, 0, t->name);
  cg_op4_str(p, OP_String8, 5, type, 0, "table");
  cg_op(p, OP_Rewind, cursor, done, 0);
  int top = cg_op(p, OP_Column, cursor, SCHEMA_COL_NAME, got);
  int addr = vdbe_add_op4_int(p->v, OP_Ne, name, next, got, COLL_NOCASE);
  if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
  cg_op(p, OP_Column, cursor, SCHEMA_COL_TYPE, got);
  addr = vdbe_add_op4_int(p->v, OP_Ne, type, next, got, COLL_BINARY);
  if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
  cg_op(p, OP_Rowid, cursor, rowid, 0);
  int before = cg_cdc_schema_before(p, cursor);
  for (int c = 0; c < SCHEMA_COLUMNS; c++) cg_op(p, OP_Column, cursor, c, regs + c);
  cg_op4_str(p, OP_String8, (int)strlen(sql), regs + SCHEMA_COL_SQL, 0, sql);
  if (vdbe_add_op4(p->v, OP_MakeRecord, regs, SCHEMA_COLUMNS, rec, P4_STRING, SCHEMA_AFFINITY, SCHEMA_COLUMNS) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  cg_op(p, OP_Insert, cursor, rec, rowid);
  cg_cdc_schema_update(p, regs, rowid, before, rec, p->root->cdc_sql);
  cg_op(p, OP_Goto, 0, done, 0);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_Close, cursor, 0, 0);
}

void cg_alter_drop_column(Parse *p, const Stmt *st, Table *t) {
  int col = table_column_index(t, st->alter_old);
  if (col < 0) {
    cg_error(p, LODE_ERROR, "no such column: \"%s\"", st->alter_old);
    return;
  }
  char *sql = check_drop(p, t, col, st->alter_old);
  if (!sql) return;
  p->writes = 1;
  cg_begin_program(p);
  if (t->cols[col].generated != COLGEN_VIRTUAL) rewrite_rows(p, t, col);
  update_schema_row(p, t, sql);
  util_free(sql);
  cg_bump_schema(p);
  cg_end_program(p);
}
