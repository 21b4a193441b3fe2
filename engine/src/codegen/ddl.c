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

/* Past a "schema." qualifier (quoted or not, a 'string' too, which SQLite
** takes for a name there), which SQLite leaves out of the stored text. */
const char *cg_skip_main(const char *z) {
  const char *t = skip_space(z);
  if (*t == '"' || *t == '`' || *t == '[' || *t == '\'') {
    char close = *t == '[' ? ']' : *t;
    for (t++; *t; t++) {
      if (*t != close) continue;
      if (close != ']' && t[1] == close) {
        t++;
        continue;
      }
      break;
    }
    if (!*t) return z;
    t++;
  } else {
    const char *start = t;
    while (isalnum((unsigned char)*t) || *t == '_' || (unsigned char)*t >= 0x80) t++;
    if (t == start) return z;
  }
  t = skip_space(t);
  return *t == '.' ? skip_space(t + 1) : z;
}

const char *cg_skip_keyword(const char *z, const char *kw) {
  size_t n = strlen(kw);
  z = skip_space(z);
  if (util_strnicmp(z, kw, n) == 0 && !isalnum((unsigned char)z[n]) && z[n] != '_') return skip_space(z + n);
  return NULL;
}

/* "create  table if not exists x(...)" → "CREATE TABLE x(...)" */
static char *normalised_create_sql(const char *sql) {
  const char *z = cg_skip_keyword(sql, "CREATE");
  const char *t;
  if (!z) return util_strdup(sql);
  if ((t = cg_skip_keyword(z, "TEMP")) || (t = cg_skip_keyword(z, "TEMPORARY"))) z = t;
  if (!(z = cg_skip_keyword(z, "TABLE"))) return util_strdup(sql);
  if ((t = cg_skip_keyword(z, "IF")) && (t = cg_skip_keyword(t, "NOT")) && (t = cg_skip_keyword(t, "EXISTS"))) z = t;
  return util_mprintf("CREATE TABLE %s", cg_skip_main(z));
}

static int count_primary_keys(const Stmt *st) {
  int i, n = 0;
  for (i = 0; i < st->ncoldefs; i++) n += st->coldefs[i].primary_key;
  for (i = 0; i < st->nconstraints; i++) n += st->constraints[i].kind == TC_PRIMARY_KEY;
  return n;
}

static int check_new_table(Parse *p, const Stmt *st) {
  int i;
  if (count_primary_keys(st) > 1) return cg_error(p, LODE_ERROR, "table \"%s\" has more than one primary key", st->table);
  for (i = 0; i < st->ncoldefs; i++) {
    const ColumnDef *d = &st->coldefs[i];
    if (d->autoincrement && st->without_rowid)
      return cg_error(p, LODE_ERROR, "AUTOINCREMENT not allowed on WITHOUT ROWID tables");
  }
  int db = cg_create_target(p, st);
  if (db < 0) return p->rc;
  vdbe_set_db(p->v, db);
  if (cg_name_reserved(p, st->table))
    return cg_error(p, LODE_ERROR, "object name reserved for internal use: %s", st->table);
  if (cg_require_writable(p) != LODE_OK) return p->rc;
  return LODE_OK;
}

/* 1 when a table or view of the name exists: an error, or with IF NOT EXISTS
** a program that does nothing. */
static int table_exists_already(Parse *p, const Stmt *st) {
  Schema *s = cg_db_schema(p, vdbe_current_db(p->v));
  Table *existing = schema_find_table(s, st->table);
  if (!existing && !schema_find_view(s, st->table)) {
    /* IF NOT EXISTS does not cover an index of that name. */
    if (!schema_find_index(s, st->table)) return 0;
    cg_error(p, LODE_ERROR, "there is already an index named %s", st->table);
    return 1;
  }
  if (!st->if_exists) {
    cg_error(p, LODE_ERROR, "%s %s already exists", existing ? "table" : "view",
             st->name_written ? st->name_written : st->table);
  } else {
    cg_verify_schema(p, cg_db_name(p, vdbe_current_db(p->v)));
    cg_begin_program(p);
    cg_end_program(p);
  }
  return 1;
}

/* An identifier as sqlite3 writes it into a CREATE TABLE it makes: bare when
** it is a plain name that is no keyword, else in double quotes. */
static void put_ident(StrBuf *b, const char *z) {
  int plain = z[0] != 0 && !isdigit((unsigned char)z[0]);
  for (const char *c = z; plain && *c; c++) plain = isalnum((unsigned char)*c) || *c == '_';
  if (plain && sql_keyword_code(z, (int)strlen(z)) == TK_ID) {
    strbuf_appendz(b, z);
    return;
  }
  strbuf_appendc(b, '"');
  for (const char *c = z; *c; c++) {
    if (*c == '"') strbuf_appendc(b, '"');
    strbuf_appendc(b, *c);
  }
  strbuf_appendc(b, '"');
}

/* The length sqlite3 counts for an identifier: two quotes, doubled quotes inside. */
static size_t ident_width(const char *z) {
  size_t n = 2;
  for (; *z; z++) n += *z == '"' ? 2 : 1;
  return n;
}

/* CREATE TABLE t AS SELECT: the table's columns are the select's result
** columns (names made unique with ":N", as for a subquery), typed by their
** affinity as sqlite3 types them (INT, TEXT, NUM, REAL or none), and its
** text is the one sqlite3 writes; the rows go in with those affinities.  The
** select runs first, into a sorter, before the table exists. */
static void create_table_as(Parse *p, const Stmt *st) {
  p->writes = 1;
  cg_begin_program(p);
  SelectDest dest;
  int sorter = cg_sorter_dest(p, &dest), cursor = cg_cursor(p), rec = cg_reg(p);
  if (sorter < 0) return;
  cg_select(p, st->as_select, &dest);
  if (p->rc != LODE_OK) return;
  ScopeItem item;
  memset(&item, 0, sizeof item);
  if (!cg_subquery_table(p, &dest, st->table, &item, sorter)) return; /* unique names; opens a pseudo cursor */
  const Table *shape = item.table;
  char *aff = arena_alloc(&p->arena, (size_t)shape->ncols + 1);
  StrBuf b;
  strbuf_init(&b);
  /* sqlite3 lays the columns out one per line once their names (each counted
  ** with two quotes and five more) and the table's pass 50 characters. */
  size_t width = ident_width(st->table);
  for (int i = 0; i < shape->ncols; i++) width += ident_width(shape->cols[i].name) + 5;
  int long_form = width >= 50;
  strbuf_appendz(&b, "CREATE TABLE ");
  put_ident(&b, st->table);
  strbuf_appendc(&b, '(');
  for (int i = 0; i < shape->ncols; i++) {
    static const char *const types[] = {"", " TEXT", " NUM", " INT", " REAL"};
    char a = shape->cols[i].affinity;
    int ty = a == AFF_TEXT ? 1 : a == AFF_NUMERIC ? 2 : a == AFF_INTEGER ? 3 : a == AFF_REAL ? 4 : 0;
    if (long_form) strbuf_appendz(&b, i ? ",\n  " : "\n  ");
    else if (i) strbuf_appendc(&b, ',');
    put_ident(&b, shape->cols[i].name);
    strbuf_appendz(&b, types[ty]);
    if (aff) aff[i] = ty ? a : AFF_NONE;
  }
  strbuf_appendz(&b, long_form ? "\n)" : ")");
  char *sql = strbuf_finish(&b);
  if (!sql || !aff) {
    util_free(sql);
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  aff[shape->ncols] = 0;
  int root = cg_reg(p);
  cg_op(p, OP_CreateBtree, 0, root, BTREE_INTKEY);
  cg_schema_insert(p, "table", st->table, st->table, root, sql);
  util_free(sql);
  int addr = cg_op(p, OP_OpenWrite, cursor, 0, root);
  if (addr >= 0) vdbe_set_p5(p->v, addr, 1); /* the root is in register p3 */
  int end = vdbe_make_label(p->v), vals = cg_regs(p, shape->ncols), rowid = cg_reg(p);
  cg_op(p, OP_SorterSort, sorter, end, 0);
  int top = cg_op(p, OP_SorterData, sorter, item.rec_reg, 0);
  for (int i = 0; i < shape->ncols; i++) cg_op(p, OP_Column, item.cursor, i, vals + i);
  cg_op4_str(p, OP_MakeRecord, vals, shape->ncols, rec, aff);
  cg_op(p, OP_NewRowid, cursor, 0, rowid);
  cg_op(p, OP_Insert, cursor, rec, rowid);
  cg_op(p, OP_SorterNext, sorter, top, 0);
  vdbe_resolve_label(p->v, end);
  cg_bump_schema_added(p);
  cg_end_program(p);
}

/* SQLite resolves a new table's CHECK constraints when it is created: an
** unknown column or function, a wrong argument count, an aggregate or
** window call, a parameter or a subquery is an error then, not at the first
** write.  Each is coded against the row as an INSERT would, behind a jump
** that always skips it. */
static int check_constraints_valid(Parse *p, const Stmt *st, Table *t) {
  Scope scope, *saved;
  ScopeItem item;
  int skip, regs;
  if (!t->has_checks) return LODE_OK;
  regs = cg_regs(p, t->ncols + 1);
  skip = vdbe_make_label(p->v);
  cg_op(p, OP_Goto, 0, skip, 0);
  RowSource row = {t, -1, regs + 1, regs};
  saved = cg_row_scope_push(p, &row, &scope, &item);
  p->code_never_runs = 1;
  for (int i = 0; i < st->nconstraints && p->rc == LODE_OK; i++) {
    const TableConstraint *c = &st->constraints[i];
    if (c->kind != TC_CHECK || !c->check) continue;
    if (cg_check_expr_prepare(p, c->check) == LODE_OK) cg_expr_reg(p, c->check);
  }
  p->code_never_runs = 0;
  p->scope = saved;
  vdbe_resolve_label(p->v, skip);
  return p->rc;
}

void cg_create_table(Parse *p, const Stmt *st) {
  Table *t;
  char *err = NULL, *sql;
  int root;
  if (check_new_table(p, st) != LODE_OK) return;
  if (table_exists_already(p, st)) return;
  for (int i = 0; i < st->ncoldefs; i++)
    if (!cg_check_collation(p, st->coldefs[i].collation)) return;
  for (int i = 0; i < st->nconstraints; i++)
    for (int j = 0; st->constraints[i].terms && j < st->constraints[i].ncols; j++)
      if (!cg_check_collation(p, st->constraints[i].terms[j].collation)) return;
  if (st->as_select) {
    create_table_as(p, st);
    return;
  }
  t = table_from_ast(st, 0, st->sql, &err);
  if (!t) {
    cg_error(p, err ? LODE_ERROR : LODE_NOMEM, "%s", err ? err : "out of memory");
    util_free(err);
    return;
  }
  for (int i = 0; i < st->ncoldefs; i++) {
    /* Only the rowid alias can be AUTOINCREMENT (not INTEGER PRIMARY KEY DESC, which is no alias). */
    if (st->coldefs[i].autoincrement && i != t->ipk) {
      table_free(t);
      cg_error(p, LODE_ERROR, "AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY");
      return;
    }
  }
  sql = normalised_create_sql((st->without_rowid || st->strict) && st->sql_through ? st->sql_through : st->sql);
  if (!sql) {
    table_free(t);
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  t->db = vdbe_current_db(p->v);
  /* A persistent table's CHECKs may not call direct-only functions. */
  for (int i = 0; t->db != CONN_DB_TEMP && i < st->nconstraints; i++)
    if (st->constraints[i].kind == TC_CHECK) cg_schema_calls_check(p, st->constraints[i].check);
  /* SQLite's order of the messages: a table of generated columns only,
  ** then the CHECK constraints' names, then the generated columns'. */
  if (p->rc != LODE_OK || cg_generated_count_check(p, t) != LODE_OK) {
    util_free(sql);
    table_free(t);
    return;
  }
  p->writes = 1;
  cg_begin_program(p);
  p->ddl_check = DDL_CHECK_CREATE;
  int valid = check_constraints_valid(p, st, t) == LODE_OK && cg_generated_check(p, t) == LODE_OK;
  p->ddl_check = 0;
  if (!valid) {
    util_free(sql);
    table_free(t);
    return;
  }
  root = cg_reg(p);
  cg_op(p, OP_CreateBtree, 0, root, t->without_rowid ? BTREE_BLOBKEY : BTREE_INTKEY);
  cg_schema_insert(p, "table", st->table, st->table, root, sql);
  util_free(sql);
  /* The indexes its PRIMARY KEY and UNIQUE constraints imply, after the
  ** table's row and b-tree, as sqlite3 makes them. */
  for (int i = 0; i < t->nautoindexes; i++) {
    const Index *ix = t->autoindexes[i];
    if (!index_has_own_btree(ix)) continue;
    int iroot = cg_reg(p);
    cg_op(p, OP_CreateBtree, 0, iroot, BTREE_BLOBKEY);
    cg_schema_insert(p, "index", ix->name, st->table, iroot, NULL);
  }
  /* The first AUTOINCREMENT table brings sqlite_sequence, after its own rows. */
  if (t->autoinc && !schema_find_table(cg_db_schema(p, vdbe_current_db(p->v)), SEQUENCE_NAME)) {
    int sroot = cg_reg(p);
    cg_op(p, OP_CreateBtree, 0, sroot, BTREE_INTKEY);
    cg_schema_insert(p, "table", SEQUENCE_NAME, SEQUENCE_NAME, sroot, SEQUENCE_SQL);
  }
  table_free(t);
  cg_bump_schema_added(p);
  cg_end_program(p);
}

int cg_refuse_eponymous_drop(Parse *p, const Stmt *st) {
  if (st->schema && util_stricmp(st->schema, "main") != 0) return 0;
  const VtabModule *m = cg_find_module(p, st->table);
  if (!m && p->rc == LODE_OK) m = vtab_pragma_module(st->table);
  if (p->rc != LODE_OK) return 1;
  if (!m) return 0;
  cg_error(p, LODE_ERROR, "table %s may not be dropped", st->table);
  return 1;
}

void cg_drop_table(Parse *p, const Stmt *st) {
  Table *t = cg_lookup_table(p, st->schema, st->table);
  if (!t && !cg_lookup_view(p, st->schema, st->table, NULL) && cg_refuse_eponymous_drop(p, st)) return;
  if (!t && cg_lookup_view(p, st->schema, st->table, NULL)) {
    cg_error(p, LODE_ERROR, "use DROP VIEW to delete view %s", st->table);
    return;
  }
  if (!t) {
    if (!st->if_exists) {
      if (st->schema) cg_error(p, LODE_ERROR, "no such table: %s.%s", st->schema, st->table);
      else cg_error(p, LODE_ERROR, "no such table: %s", st->table);
      return;
    }
    cg_verify_schema(p, st->schema);
    cg_begin_program(p);
    cg_end_program(p);
    return;
  }
  if (t->root == BTREE_SCHEMA_ROOT) {
    cg_error(p, LODE_ERROR, "table %s may not be dropped", cg_schema_table_name(t));
    return;
  }
  /* SQLite's own tables stay, the statistics tables and the shell's
  ** parameter table excepted. */
  if ((util_strnicmp(t->name, "sqlite_", 7) == 0 && util_strnicmp(t->name + 7, "stat", 4) != 0 &&
       util_strnicmp(t->name + 7, "parameters", 10) != 0) ||
      cg_readonly_shadow(p, t)) {
    cg_error(p, LODE_ERROR, "table %s may not be dropped", t->name);
    return;
  }
  vdbe_set_db(p->v, t->db);
  if (t->vtab_module) {
    cg_drop_vtab(p, st, t);
    return;
  }
  if (cg_require_writable(p) != LODE_OK) return;
  p->writes = 1;
  cg_begin_program(p);
  cg_fk_drop_table(p, t);
  cg_stat_delete(p, 0, t->name); /* its statistics go with it */
  if (t->autoinc) cg_sequence_rename(p, t->name, NULL);
  /* The rows go first: a root moved by a drop is looked up by number. */
  if (t->db == CONN_DB_TEMP) cg_schema_delete_but_triggers(p, t->name);
  else cg_schema_delete(p, 2, t->name); /* the table's row and its indexes' rows (tbl_name) */
  {
    /* Highest root first (see cg_destroy). */
    uint32_t done = UINT32_MAX;
    for (;;) {
      uint32_t best = t->root < done ? t->root : 0;
      for (const Index *ix = t->indexes; ix; ix = ix->next)
        if (index_has_own_btree(ix) && ix->root < done && ix->root > best) best = ix->root;
      for (const MethodIndex *mi = t->method_indexes; mi; mi = mi->next) /* index methods' stores */
        if (mi->root && mi->root < done && mi->root > best) best = mi->root;
      if (best == 0) break;
      cg_destroy(p, best);
      done = best;
    }
  }
  cg_drop_temp_triggers_on(p, t->db, t->name);
  cg_bump_schema(p);
  cg_end_program(p);
}

/* The opening of a scan of sqlite_sequence (open at cursor) for the rows
** whose column at record position pos is name: returns the loop's top; a
** row of another name goes to *next, the end of the table to *done. */
static int sequence_scan_begin(Parse *p, int cursor, int pos, const char *name, int *next, int *done) {
  int name_reg = cg_reg(p), col = cg_reg(p);
  *done = vdbe_make_label(p->v);
  *next = vdbe_make_label(p->v);
  cg_op4_str(p, OP_String8, (int)strlen(name), name_reg, 0, name);
  cg_op(p, OP_Rewind, cursor, *done, 0);
  int top = vdbe_current_addr(p->v);
  cg_op(p, OP_Column, cursor, pos, col);
  int addr = vdbe_add_op4_int(p->v, OP_Ne, name_reg, *next, col, COLL_BINARY);
  if (addr >= 0) vdbe_set_p5(p->v, addr, CMP_JUMPIFNULL);
  return top;
}

/* The scan's end: the row found deleted when there is no new name (a
** rewrite has jumped to done), then the next row, and the cursor closed. */
static void sequence_scan_end(Parse *p, int cursor, int top, int next, int done, int delete_found) {
  if (delete_found) cg_op(p, OP_Delete, cursor, 0, 0);
  vdbe_resolve_label(p->v, next);
  cg_op(p, OP_Next, cursor, top, 0);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_Close, cursor, 0, 0);
}

/* cg_sequence_rename on a sqlite_sequence made WITHOUT ROWID under PRAGMA
** writable_schema: SQLite edits the table with an ordinary UPDATE or DELETE
** on its name column, so it renames (or deletes) the row whatever the
** table's shape.  The entry's key may change, so it is deleted and inserted
** anew, its PRIMARY KEY checked; a table with other indexes to keep up is
** left alone. */
static void sequence_rename_without_rowid(Parse *p, const Table *seq, const char *name, const char *new_name) {
  int name_col = table_column_index(seq, "name");
  if (name_col < 0 || seq->cols[name_col].generated || cg_index_count(seq) > 0) return;
  int pos = table_column_pos(seq, name_col), n = table_record_ncols(seq);
  int cursor = cg_cursor(p), next, done;
  int row = cg_regs(p, n), rec = cg_reg(p);
  cg_open_table(p, seq, cursor, OP_OpenWrite);
  int top = sequence_scan_begin(p, cursor, pos, name, &next, &done);
  if (new_name) {
    /* The key is unique: the one entry rewritten ends the scan. */
    for (int i = 0; i < n; i++)
      if (i != pos) cg_op(p, OP_Column, cursor, i, row + i);
    cg_op4_str(p, OP_String8, (int)strlen(new_name), row + pos, 0, new_name);
    cg_op(p, OP_Delete, cursor, 0, 0);
    /* A row of the new name already: the PRIMARY KEY fails the statement. */
    int unique = vdbe_make_label(p->v);
    vdbe_add_op4_int(p->v, OP_NoConflict, cursor, unique, row, seq->pk->nkey);
    char *msg = cg_unique_message(seq->pk);
    if (!msg || vdbe_add_op4(p->v, OP_Halt, LODE_CONSTRAINT_PRIMARYKEY, ONCONFLICT_ABORT, 0, P4_STRING, msg,
                             (int)strlen(msg)) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
    util_free(msg);
    vdbe_resolve_label(p->v, unique);
    cg_op(p, OP_MakeRecord, row, n, rec);
    cg_op(p, OP_IdxInsert, cursor, rec, 0);
    cg_op(p, OP_Goto, 0, done, 0);
  }
  sequence_scan_end(p, cursor, top, next, done, !new_name);
}

void cg_sequence_rename(Parse *p, const char *name, const char *new_name) {
  const Table *seq = schema_find_table(cg_db_schema(p, vdbe_current_db(p->v)), SEQUENCE_NAME);
  if (!seq) return;
  if (seq->without_rowid) {
    sequence_rename_without_rowid(p, seq, name, new_name);
    return;
  }
  int cursor = cg_cursor(p), next, done;
  int row = cg_regs(p, SEQUENCE_NCOLS), rowid = cg_reg(p), rec = cg_reg(p);
  if (vdbe_add_op4_int(p->v, OP_OpenWrite, cursor, (int)seq->root, 0, SEQUENCE_NCOLS) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  int top = sequence_scan_begin(p, cursor, 0, name, &next, &done);
  if (new_name) {
    /* A table has one row; rewriting it ends the scan, which a write would disturb. */
    cg_op(p, OP_Rowid, cursor, rowid, 0);
    cg_op4_str(p, OP_String8, (int)strlen(new_name), row, 0, new_name);
    cg_op(p, OP_Column, cursor, 1, row + 1);
    cg_op(p, OP_MakeRecord, row, SEQUENCE_NCOLS, rec);
    cg_op(p, OP_Insert, cursor, rec, rowid);
    cg_op(p, OP_Goto, 0, done, 0);
  }
  sequence_scan_end(p, cursor, top, next, done, !new_name);
}
