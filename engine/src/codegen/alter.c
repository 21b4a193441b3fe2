/*
** alter.c — ALTER TABLE (RENAME TO, ADD COLUMN, RENAME COLUMN) of rowid
** tables to bytecode.
**
** None of the three touches the table's b-tree: each rewrites the table's
** row of sqlite_schema (type, name, tbl_name, rootpage, sql) in place (same
** rowid), bumps the schema cookie (header offset 40) and reloads the schema.
** The new CREATE TABLE text is computed here, at compile time, by editing
** the stored text token by token the way SQLite does:
**   - RENAME TO replaces the name token with the new name, always quoted;
**   - ADD COLUMN inserts ", <coldef as written>" before the ')' that closes
**     the column list;
**   - RENAME COLUMN replaces the column's name token and the references to
**     it in table constraints, CHECK and generated-column expressions
**     (a qualified reference "t.a" is left alone).
** Rows already stored are not rewritten: a record shorter than the table
** reads the trailing columns' DEFAULT (OP_Column's p4, see expr.c), which
** is why ADD COLUMN refuses a non-constant default or a NOT NULL column
** without one on a table that has rows, as SQLite does.
** Not yet: tables with indexes or WITHOUT ROWID, renames in a schema with
** views or triggers (their text would need rewriting too), foreign keys of
** other tables naming the renamed table/column, and CHECK in ADD COLUMN.
*/
#include <string.h>

#include "codegen/cg.h"
#include "sql/token.h"

#define SCHEMA_COLUMNS 5
#define SCHEMA_AFFINITY "BBBDB" /* type, name, tbl_name: TEXT; rootpage: INTEGER; sql: TEXT */
#define SCHEMA_COL_NAME 1
#define SCHEMA_COL_ROOT 3
#define MAX_NAME 1000 /* longer identifiers never match (compared dequoted through a buffer) */

static void emit_string(Parse *p, const char *z, int target) {
  if (vdbe_add_op4(p->v, OP_String8, (int)strlen(z), target, 0, P4_STRING, z, (int)strlen(z)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
}

/* "x" with embedded quotes doubled: SQLite writes renamed names so. */
static char *quoted_name(const char *name) {
  StrBuf b;
  strbuf_init(&b);
  strbuf_appendc(&b, '"');
  for (; *name; name++) {
    if (*name == '"') strbuf_appendc(&b, '"');
    strbuf_appendc(&b, *name);
  }
  strbuf_appendc(&b, '"');
  return strbuf_finish(&b);
}

/* 1 if the name token z[0..n) (possibly quoted) is name, ignoring case. */
static int token_is_name(const char *z, int n, const char *name) {
  char buf[MAX_NAME];
  int i, k = 0;
  if (n >= 2 && (z[0] == '"' || z[0] == '`' || z[0] == '[')) {
    char close = z[0] == '[' ? ']' : z[0];
    for (i = 1; i < n - 1 && k < MAX_NAME - 1; i++) {
      buf[k++] = z[i];
      if (z[i] == close && close != ']' && i + 1 < n - 1 && z[i + 1] == close) i++;
    }
  } else {
    for (i = 0; i < n && k < MAX_NAME - 1; i++) buf[k++] = z[i];
  }
  buf[k] = 0;
  return util_stricmp(buf, name) == 0;
}

static int is_name_token(int code) { return code == TK_ID || sql_keyword_fallback(code); }

/* The next non-space token of sql at *pos: its code, start and length. */
static int next_token(const char *sql, const char *end, int *pos, int *start) {
  int code = TK_SPACE, n;
  while (sql + *pos < end) {
    n = sql_token_get(sql + *pos, end, &code);
    *start = *pos;
    *pos += n;
    if (code != TK_SPACE) return code;
  }
  *start = *pos;
  return TK_SEMI;
}

/* Offset of the table name token of a stored "CREATE TABLE name..." (its length in *len), or -1. */
static int table_name_offset(const char *sql, int *len) {
  const char *end = sql + strlen(sql);
  int pos = 0, start, code, i;
  for (i = 0; i < 2; i++) next_token(sql, end, &pos, &start); /* CREATE TABLE */
  code = next_token(sql, end, &pos, &start);
  if (code != TK_ID && code != TK_STRING && !sql_keyword_fallback(code)) return -1;
  *len = pos - start;
  return start;
}

/* Keywords that start a table constraint (not a column definition). */
static int starts_table_constraint(int code) {
  return code == TK_CONSTRAINT || code == TK_PRIMARY || code == TK_UNIQUE || code == TK_CHECK || code == TK_FOREIGN;
}

/* Offset where SQLite inserts an added column: the comma before the first
** table constraint, else the ')' closing the column list; -1 if neither. */
static int column_list_end(const char *sql) {
  const char *end = sql + strlen(sql);
  int pos = 0, start, depth = 0, code;
  while (sql + pos < end) {
    code = next_token(sql, end, &pos, &start);
    if (code == TK_LP) depth++;
    if (code == TK_RP && --depth == 0) return start;
    if (code == TK_COMMA && depth == 1) {
      int after = pos, s2;
      if (starts_table_constraint(next_token(sql, end, &after, &s2))) return start;
    }
  }
  return -1;
}

static char *sql_rename_table(const char *sql, const char *new_name) {
  int len, off = table_name_offset(sql, &len);
  char *q, *r;
  if (off < 0) return NULL;
  q = quoted_name(new_name);
  if (!q) return NULL;
  r = util_mprintf("%.*s%s%s", off, sql, q, sql + off + len);
  util_free(q);
  return r;
}

static char *sql_add_column(const char *sql, const char *coldef) {
  int off = column_list_end(sql);
  if (off < 0) return NULL;
  return util_mprintf("%.*s, %s%s", off, sql, coldef, sql + off);
}

/* Rewrites the column's name token and its unqualified references, see the header. */
static char *sql_rename_column(const char *sql, const char *old, const char *repl_plain, const char *repl_quoted) {
  const char *end = sql + strlen(sql);
  StrBuf b;
  int pos = 0, start, depth = 0, code, prev = TK_SPACE, copied = 0;
  int elem_first = 0, in_refs = 0, skip_next = 0;
  strbuf_init(&b);
  while (sql + pos < end) {
    code = next_token(sql, end, &pos, &start);
    if (sql + start >= end) break;
    if (code == TK_LP) depth++;
    else if (code == TK_RP) depth--;
    if (depth == 1 && (code == TK_LP || code == TK_COMMA)) {
      elem_first = 1;
      in_refs = 0;
      prev = code;
      continue;
    }
    if (code == TK_REFERENCES) in_refs = 1;
    else if (code == TK_CHECK || code == TK_AS || code == TK_CONSTRAINT || code == TK_DEFAULT) in_refs = 0;
    if (is_name_token(code) && token_is_name(sql + start, pos - start, old) && !skip_next && prev != TK_DOT &&
        ((depth == 1 && elem_first) || (depth >= 2 && !in_refs))) {
      int after = pos, s2;
      int next = next_token(sql, end, &after, &s2);
      if (depth == 1 || next != TK_LP) {
        strbuf_append(&b, sql + copied, (size_t)(start - copied));
        strbuf_appendz(&b, sql[start] == '"' || sql[start] == '`' || sql[start] == '[' ? repl_quoted : repl_plain);
        copied = pos;
      }
    }
    skip_next = code == TK_COLLATE;
    if (depth == 1 && elem_first && starts_table_constraint(code)) elem_first = 0;
    else if (depth == 1) elem_first = 0;
    prev = code;
  }
  strbuf_appendz(&b, sql + copied);
  return strbuf_finish(&b);
}

/* Halts with msg if table t has a row (SQLite's "if not empty" ALTER errors). */
static void halt_if_not_empty(Parse *p, const Table *t, const char *msg) {
  int cursor = cg_cursor(p), empty = vdbe_make_label(p->v);
  if (vdbe_add_op4_int(p->v, OP_OpenRead, cursor, (int)t->root, 0, t->ncols) < 0) cg_error(p, LODE_NOMEM, "oom");
  cg_op(p, OP_Rewind, cursor, empty, 0);
  if (vdbe_add_op4(p->v, OP_Halt, LODE_ERROR, ONCONFLICT_ABORT, 0, P4_STRING, msg, (int)strlen(msg)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  vdbe_resolve_label(p->v, empty);
  cg_op(p, OP_Close, cursor, 0, 0);
}

/* Rewrites t's row of sqlite_schema with name new_name and text sql. */
static void emit_schema_update(Parse *p, const Table *t, const char *new_name, const char *sql, const char *guard) {
  int cursor, name_reg, col_reg, rowid, regs, rec, top, next, done, addr;
  p->writes = 1;
  cg_begin_program(p);
  if (guard) halt_if_not_empty(p, t, guard);
  cursor = cg_cursor(p);
  name_reg = cg_reg(p);
  col_reg = cg_reg(p);
  rowid = cg_reg(p);
  regs = cg_regs(p, SCHEMA_COLUMNS);
  rec = cg_reg(p);
  next = vdbe_make_label(p->v);
  done = vdbe_make_label(p->v);
  if (vdbe_add_op4_int(p->v, OP_OpenWrite, cursor, BTREE_SCHEMA_ROOT, 0, SCHEMA_COLUMNS) < 0)
    cg_error(p, LODE_NOMEM, "oom");
  emit_string(p, t->name, name_reg);
  cg_op(p, OP_Rewind, cursor, done, 0);
  top = cg_op(p, OP_Column, cursor, SCHEMA_COL_NAME, col_reg);
  addr = vdbe_add_op4_int(p->v, OP_Ne, name_reg, next, col_reg, COLL_NOCASE);
  if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
  cg_op(p, OP_Rowid, cursor, rowid, 0);
  emit_string(p, "table", regs);
  emit_string(p, new_name, regs + 1);
  emit_string(p, new_name, regs + 2);
  cg_op(p, OP_Column, cursor, SCHEMA_COL_ROOT, regs + 3);
  emit_string(p, sql, regs + 4);
  if (vdbe_add_op4(p->v, OP_MakeRecord, regs, SCHEMA_COLUMNS, rec, P4_STRING, SCHEMA_AFFINITY, SCHEMA_COLUMNS) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  cg_op(p, OP_Insert, cursor, rec, rowid);
  cg_op(p, OP_Goto, 0, done, 0);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_Close, cursor, 0, 0);
  cg_op(p, OP_SetCookie, 0, BTREE_META_SCHEMA_COOKIE, (int)(p->db->schema->cookie + 1));
  cg_op(p, OP_ParseSchema, 0, 0, 0);
  cg_end_program(p);
}

/* A default SQLite can evaluate without running code: a literal, optionally signed. */
static int is_constant_default(const Expr *e) {
  if (!e) return 1;
  if (e->kind == EXPR_UNARY && (e->op == TK_MINUS || e->op == TK_PLUS)) e = e->left;
  return e && (e->kind == EXPR_NULL || e->kind == EXPR_INTEGER || e->kind == EXPR_FLOAT || e->kind == EXPR_STRING ||
               e->kind == EXPR_BLOB);
}

static void alter_add_column(Parse *p, const Stmt *st, const Table *t) {
  const ColumnDef *d = &st->coldefs[0];
  const Expr *dflt = d->default_value;
  const char *guard = NULL;
  char *sql;
  int i;
  if (d->primary_key) {
    cg_error(p, LODE_ERROR, "Cannot add a PRIMARY KEY column");
    return;
  }
  if (d->unique) {
    cg_error(p, LODE_ERROR, "Cannot add a UNIQUE column");
    return;
  }
  if (table_column_index(t, d->name) >= 0) {
    cg_error(p, LODE_ERROR, "duplicate column name: %s", d->name);
    return;
  }
  for (i = 0; i < st->nconstraints; i++) {
    if (st->constraints[i].kind == TC_CHECK) {
      cg_error(p, LODE_ERROR, "ADD COLUMN with a CHECK constraint is not supported yet");
      return;
    }
  }
  if (!is_constant_default(dflt)) guard = "Cannot add a column with non-constant default";
  else if (d->not_null && (!dflt || dflt->kind == EXPR_NULL)) guard = "Cannot add a NOT NULL column with default value NULL";
  sql = sql_add_column(t->sql, st->alter_coldef);
  if (!sql) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  emit_schema_update(p, t, t->name, sql, guard);
  util_free(sql);
}

static void alter_rename_table(Parse *p, const Stmt *st, const Table *t) {
  char *sql;
  if (schema_find_table(p->db->schema, st->alter_new) || schema_find_index(p->db->schema, st->alter_new)) {
    cg_error(p, LODE_ERROR, "there is already another table or index with this name: %s", st->alter_new);
    return;
  }
  if (util_strnicmp(st->alter_new, "sqlite_", 7) == 0) {
    cg_error(p, LODE_ERROR, "object name reserved for internal use: %s", st->alter_new);
    return;
  }
  sql = sql_rename_table(t->sql, st->alter_new);
  if (!sql) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  emit_schema_update(p, t, st->alter_new, sql, NULL);
  util_free(sql);
}

static void alter_rename_column(Parse *p, const Stmt *st, const Table *t) {
  char *sql, *quoted;
  const char *raw = st->alter_new_raw;
  int quoted_new = raw && (raw[0] == '"' || raw[0] == '`' || raw[0] == '[' || raw[0] == '\'');
  int col = table_column_index(t, st->alter_old), clash = table_column_index(t, st->alter_new);
  if (col < 0) {
    cg_error(p, LODE_ERROR, "no such column: \"%s\"", st->alter_old);
    return;
  }
  if (clash >= 0 && clash != col) { /* "a" TO "A" only changes the spelling */
    cg_error(p, LODE_ERROR, "error in table %s after rename: duplicate column name: %s", t->name, st->alter_new);
    return;
  }
  quoted = quoted_name(st->alter_new);
  if (!quoted) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  sql = sql_rename_column(t->sql, st->alter_old, quoted_new ? quoted : st->alter_new, quoted);
  util_free(quoted);
  if (!sql) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  emit_schema_update(p, t, t->name, sql, NULL);
  util_free(sql);
}

void cg_alter_table(Parse *p, const Stmt *st) {
  Table *t;
  if (st->schema && util_stricmp(st->schema, "main") != 0) {
    cg_error(p, LODE_ERROR, "unknown database %s", st->schema);
    return;
  }
  t = schema_find_table(p->db->schema, st->table);
  if (!t) {
    cg_error(p, LODE_ERROR, "no such table: %s", st->table);
    return;
  }
  if (t->root == BTREE_SCHEMA_ROOT || util_strnicmp(t->name, "sqlite_", 7) == 0) {
    cg_error(p, LODE_ERROR, "table %s may not be altered", t->root == BTREE_SCHEMA_ROOT ? "sqlite_master" : t->name);
    return;
  }
  if (t->without_rowid || t->indexes || !t->sql) {
    cg_error(p, LODE_ERROR, "ALTER TABLE of %s is not supported yet (indexes or WITHOUT ROWID)", t->name);
    return;
  }
  if (p->db->readonly) {
    cg_error(p, LODE_READONLY, "attempt to write a readonly database");
    return;
  }
  if (st->alter_op != ALTER_ADD_COLUMN && p->db->schema->nother > p->db->schema->nindexes) {
    /* views and triggers may name the table or column; their text is not rewritten yet */
    cg_error(p, LODE_ERROR, "ALTER TABLE RENAME is not supported yet in a schema with views or triggers");
    return;
  }
  switch (st->alter_op) {
  case ALTER_ADD_COLUMN: alter_add_column(p, st, t); break;
  case ALTER_RENAME_TABLE: alter_rename_table(p, st, t); break;
  case ALTER_RENAME_COLUMN: alter_rename_column(p, st, t); break;
  default: cg_error(p, LODE_ERROR, "unsupported ALTER TABLE"); break;
  }
}
