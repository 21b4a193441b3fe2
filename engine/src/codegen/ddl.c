/*
** ddl.c — CREATE TABLE and DROP TABLE to bytecode.
**
** A table is a row in sqlite_schema (type, name, tbl_name, rootpage, sql)
** plus a table b-tree.  Both statements bump the schema cookie (header
** offset 40) so that other prepared statements notice, then reload the
** connection's schema (OP_ParseSchema).  As SQLite does, the stored SQL is
** the statement text with its head normalised to "CREATE TABLE " followed by
** the text from the table name on.
*/
#include <ctype.h>
#include <string.h>

#include "codegen/cg.h"

#define SCHEMA_AFFINITY "BBBDB" /* type, name, tbl_name: TEXT; rootpage: INTEGER; sql: TEXT */

/* Skips spaces and comments. */
static const char *skip_space(const char *z) {
  for (;;) {
    while (isspace((unsigned char)*z)) z++;
    if (z[0] == '-' && z[1] == '-') {
      while (*z && *z != '\n') z++;
    } else if (z[0] == '/' && z[1] == '*') {
      const char *end = strstr(z + 2, "*/");
      z = end ? end + 2 : z + strlen(z);
    } else {
      return z;
    }
  }
}

static const char *skip_keyword(const char *z, const char *kw) {
  size_t n = strlen(kw);
  z = skip_space(z);
  if (util_strnicmp(z, kw, n) == 0 && !isalnum((unsigned char)z[n]) && z[n] != '_') return skip_space(z + n);
  return NULL;
}

/* "create  table if not exists x(...)" → "CREATE TABLE x(...)" */
static char *normalised_create_sql(const char *sql) {
  const char *z = skip_keyword(sql, "CREATE");
  const char *t;
  if (!z) return util_strdup(sql);
  if ((t = skip_keyword(z, "TEMP")) || (t = skip_keyword(z, "TEMPORARY"))) z = t;
  if (!(z = skip_keyword(z, "TABLE"))) return util_strdup(sql);
  if ((t = skip_keyword(z, "IF")) && (t = skip_keyword(t, "NOT")) && (t = skip_keyword(t, "EXISTS"))) z = t;
  return util_mprintf("CREATE TABLE %s", z);
}

static void bump_schema(Parse *p) {
  cg_op(p, OP_SetCookie, 0, BTREE_META_SCHEMA_COOKIE, (int)(p->db->schema->cookie + 1));
  cg_op(p, OP_ParseSchema, 0, 0, 0);
}

static void emit_string(Parse *p, const char *z, int target) {
  if (vdbe_add_op4(p->v, OP_String8, (int)strlen(z), target, 0, P4_STRING, z, (int)strlen(z)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
}

static int count_primary_keys(const Stmt *st) {
  int i, n = 0;
  for (i = 0; i < st->ncoldefs; i++) n += st->coldefs[i].primary_key != 0;
  for (i = 0; i < st->nconstraints; i++) n += st->constraints[i].kind == TC_PRIMARY_KEY;
  return n;
}

static int check_new_table(Parse *p, const Stmt *st) {
  int i;
  if (count_primary_keys(st) > 1) return cg_error(p, LODE_ERROR, "table \"%s\" has more than one primary key", st->table);
  for (i = 0; i < st->ncoldefs; i++) {
    const ColumnDef *d = &st->coldefs[i];
    if (d->autoincrement && !(d->primary_key && d->type && util_stricmp(d->type, "INTEGER") == 0))
      return cg_error(p, LODE_ERROR, "AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY");
    if (d->autoincrement) return cg_error(p, LODE_ERROR, "AUTOINCREMENT is not supported yet");
  }
  if (st->schema && util_stricmp(st->schema, "main") != 0) return cg_error(p, LODE_ERROR, "unknown database %s", st->schema);
  if (st->temp) return cg_error(p, LODE_ERROR, "TEMP tables are not supported yet");
  if (st->as_select) return cg_error(p, LODE_ERROR, "CREATE TABLE ... AS SELECT is not supported yet");
  if (st->without_rowid) return cg_error(p, LODE_ERROR, "WITHOUT ROWID tables are not supported yet");
  if (util_strnicmp(st->table, "sqlite_", 7) == 0)
    return cg_error(p, LODE_ERROR, "object name reserved for internal use: %s", st->table);
  if (p->db->readonly) return cg_error(p, LODE_READONLY, "attempt to write a readonly database");
  return LODE_OK;
}

void cg_create_table(Parse *p, const Stmt *st) {
  Table *existing, *t;
  char *err = NULL, *sql;
  int root, cursor, rowid, regs, rec, addr;
  if (check_new_table(p, st) != LODE_OK) return;
  existing = schema_find_table(p->db->schema, st->table);
  if (existing) {
    if (!st->if_exists) {
      cg_error(p, LODE_ERROR, "table %s already exists", st->table);
      return;
    }
    cg_begin_program(p);
    cg_end_program(p);
    return;
  }
  t = table_from_ast(st, 0, st->sql, &err);
  if (!t) {
    cg_error(p, err ? LODE_ERROR : LODE_NOMEM, "%s", err ? err : "out of memory");
    util_free(err);
    return;
  }
  if (t->nautoindexes > 0) { /* each needs a b-tree and upkeep, which codegen does not do yet */
    table_free(t);
    cg_error(p, LODE_ERROR, "UNIQUE and non-INTEGER PRIMARY KEY constraints need indexes, which Lode does not support yet");
    return;
  }
  table_free(t);
  sql = normalised_create_sql(st->sql);
  if (!sql) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  p->writes = 1;
  cg_begin_program(p);
  root = cg_reg(p);
  cursor = cg_cursor(p);
  rowid = cg_reg(p);
  regs = cg_regs(p, 5);
  rec = cg_reg(p);
  cg_op(p, OP_CreateBtree, 0, root, BTREE_INTKEY);
  if (vdbe_add_op4_int(p->v, OP_OpenWrite, cursor, BTREE_SCHEMA_ROOT, 0, 5) < 0) cg_error(p, LODE_NOMEM, "oom");
  cg_op(p, OP_NewRowid, cursor, 0, rowid);
  emit_string(p, "table", regs);
  emit_string(p, st->table, regs + 1);
  emit_string(p, st->table, regs + 2);
  cg_op(p, OP_SCopy, root, regs + 3, 0);
  emit_string(p, sql, regs + 4);
  util_free(sql);
  addr = vdbe_add_op4(p->v, OP_MakeRecord, regs, 5, rec, P4_STRING, SCHEMA_AFFINITY, 5);
  if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
  cg_op(p, OP_Insert, cursor, rec, rowid);
  cg_op(p, OP_Close, cursor, 0, 0);
  bump_schema(p);
  cg_end_program(p);
}

void cg_drop_table(Parse *p, const Stmt *st) {
  Table *t = schema_find_table(p->db->schema, st->table);
  int cursor, name_reg, col_reg, top, next, done, addr;
  if (!t) {
    if (!st->if_exists) {
      cg_error(p, LODE_ERROR, "no such table: %s", st->table);
      return;
    }
    cg_begin_program(p);
    cg_end_program(p);
    return;
  }
  if (t->root == BTREE_SCHEMA_ROOT) {
    cg_error(p, LODE_ERROR, "table sqlite_master may not be dropped");
    return;
  }
  if (t->indexes) {
    cg_error(p, LODE_ERROR, "table %s has indexes, which Lode cannot drop yet", t->name);
    return;
  }
  if (p->db->readonly) {
    cg_error(p, LODE_READONLY, "attempt to write a readonly database");
    return;
  }
  p->writes = 1;
  cg_begin_program(p);
  cursor = cg_cursor(p);
  name_reg = cg_reg(p);
  col_reg = cg_reg(p);
  next = vdbe_make_label(p->v);
  done = vdbe_make_label(p->v);
  cg_op(p, OP_Destroy, (int)t->root, 0, 0);
  if (vdbe_add_op4_int(p->v, OP_OpenWrite, cursor, BTREE_SCHEMA_ROOT, 0, 5) < 0) cg_error(p, LODE_NOMEM, "oom");
  emit_string(p, t->name, name_reg);
  cg_op(p, OP_Rewind, cursor, done, 0);
  top = cg_op(p, OP_Column, cursor, 2, col_reg);
  addr = vdbe_add_op4_int(p->v, OP_Ne, name_reg, next, col_reg, COLL_NOCASE);
  if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
  cg_op(p, OP_Delete, cursor, 0, 0);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_Close, cursor, 0, 0);
  bump_schema(p);
  cg_end_program(p);
}

void cg_index_ddl(Parse *p, const Stmt *st) {
  const char *what = st->kind == STMT_CREATE_INDEX ? "CREATE INDEX"
                     : st->kind == STMT_DROP_INDEX  ? "DROP INDEX"
                                                    : "REINDEX";
  cg_error(p, LODE_ERROR, "%s is not supported yet", what);
}
