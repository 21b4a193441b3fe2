/*
** auth.c — the authorizer (sqlite3_set_authorizer), consulted when a
** statement is compiled (and compiled again).
**
** What a statement reads, calls and changes row by row is asked about by
** codegen as it resolves names and codes (codegen/auth.c), through the
** connection's auth upcall (api_auth_upcall).  Asked here, from the syntax
** tree, are the statement's own action when it is not a row change (SELECT
** before the statement is compiled; CREATE, DROP, PRAGMA, transactions,
** ATTACH, ALTER TABLE, ... after), and for DDL the questions SQLite's own
** statements on the schema table ask (it changes sqlite_master through SQL
** statements of its own, each asked about like the application's): those are
** listed here as SQLite asks them.  SQLITE_DENY fails the prepare with
** SQLITE_AUTH; SQLITE_IGNORE of the statement's own action makes it do
** nothing (SQLite codes nothing for it).
*/
#include <stdio.h>
#include <string.h>

#include "capi/api.h"
#include "sql/token.h"
#include "util/util.h"

int api_auth_upcall(lode *db, int action, const char *a, const char *b, const char *zdb, const char *ctx) {
  ConnApi *api = db->api;
  if (!api || !api->auth) return SQLITE_OK;
  return api->auth(api->auth_arg, action, a, b, zdb, ctx);
}

/* zdb: the database the action is on, NULL for those on none (SELECT,
** transactions, functions), as SQLite passes it. */
static int ask(lode *db, int action, const char *a, const char *b, const char *zdb, int *ignore) {
  int rc = api_auth_upcall(db, action, a, b, zdb, NULL);
  if (ignore) *ignore = rc == SQLITE_IGNORE;
  if (rc == SQLITE_OK || rc == SQLITE_IGNORE) return SQLITE_OK;
  if (rc == SQLITE_DENY) {
    if (action == SQLITE_READ && zdb && (db->ndb > 2 || util_stricmp(zdb, "main") != 0))
      return conn_error(db, SQLITE_AUTH, "access to %s.%s.%s is prohibited", zdb, a, b);
    if (action == SQLITE_READ && zdb) return conn_error(db, SQLITE_AUTH, "access to %s.%s is prohibited", a, b);
    if (action == SQLITE_FUNCTION) return conn_error(db, SQLITE_ERROR, "not authorized to use function: %s", b);
    return conn_error(db, SQLITE_AUTH, "not authorized");
  }
  return conn_error(db, SQLITE_ERROR, "authorizer malfunction");
}

/* The database an existing object named name resolves to (the schema
** given, else temp, main, the attached ones), "main" when none has it. */
static const char *object_db(lode *db, const char *schema, const char *name) {
  if (schema) {
    int i = conn_db_find(db, schema);
    return i >= 0 ? db->dbs[i].name : schema;
  }
  for (int k = 0; name && k < db->ndb; k++) {
    int i = k == 0 ? CONN_DB_TEMP : k == 1 ? CONN_DB_MAIN : k;
    const Schema *s = db->dbs[i].schema;
    if (s && (schema_find_table((Schema *)s, name) || schema_find_view((Schema *)s, name) ||
              schema_find_index((Schema *)s, name)))
      return db->dbs[i].name;
  }
  return "main";
}

static Schema *schema_of(lode *db, const char *zdb) {
  int i = conn_db_find(db, zdb);
  return i >= 0 ? db->dbs[i].schema : NULL;
}

/* The database a CREATE makes its object in. */
static const char *new_object_db(lode *db, const Stmt *st) {
  if (st->temp) return "temp";
  return st->schema ? object_db(db, st->schema, NULL) : "main";
}

static int is_temp(const char *zdb) { return zdb && util_stricmp(zdb, "temp") == 0; }

/* The schema table of database zdb, by the name SQLite gives the authorizer. */
static const char *schema_table_of(const char *zdb) { return is_temp(zdb) ? "sqlite_temp_master" : "sqlite_master"; }

/* The database of trigger name (the schema given, else temp, main, the
** attached ones), "main" when none has it. */
static const char *trigger_db(lode *db, const char *schema, const char *name) {
  if (schema) return object_db(db, schema, NULL);
  for (int k = 0; name && k < db->ndb; k++) {
    int i = k == 0 ? CONN_DB_TEMP : k == 1 ? CONN_DB_MAIN : k;
    Schema *sc = db->dbs[i].schema;
    if (sc && schema_find_trigger(sc, name)) return db->dbs[i].name;
  }
  return "main";
}

/* A question whose SQLITE_IGNORE makes the statement do nothing, as SQLite
** then codes nothing for it (*noop = 1; no more questions follow). */
static int ask_noop(lode *db, int action, const char *a, const char *b, const char *zdb, int *noop) {
  int ignored = 0;
  if (*noop) return SQLITE_OK;
  int rc = ask(db, action, a, b, zdb, &ignored);
  if (ignored) *noop = 1;
  return rc;
}

/* The questions of one of SQLite's own statements on the schema table of
** zdb, written as words: "r:col" SQLITE_READ of column col, "u:col"
** SQLITE_UPDATE of it, "f:name" SQLITE_FUNCTION name, "s" SQLITE_SELECT. */
static int ask_script(lode *db, const char *script, const char *zdb, int *noop) {
  const char *table = schema_table_of(zdb);
  char word[64];
  int rc = SQLITE_OK;
  for (const char *z = script; rc == SQLITE_OK && *z;) {
    size_t n = strcspn(z, " ");
    if (n > 0 && n < sizeof word) {
      memcpy(word, z, n);
      word[n] = 0;
      if (word[0] == 'r') rc = ask_noop(db, SQLITE_READ, table, word + 2, zdb, noop);
      else if (word[0] == 'u') rc = ask_noop(db, SQLITE_UPDATE, table, word + 2, zdb, noop);
      else if (word[0] == 'f') rc = ask_noop(db, SQLITE_FUNCTION, NULL, word + 2, NULL, noop);
      else if (word[0] == 's') rc = ask_noop(db, SQLITE_SELECT, NULL, NULL, NULL, noop);
    }
    z += n;
    while (*z == ' ') z++;
  }
  return rc;
}

/* SQLite's statement that fills in a new object's schema row. */
#define SCRIPT_ROW_FILLED "u:type u:name u:tbl_name u:rootpage u:sql r:ROWID"
/* ... that deletes a trigger's, and a table's or view's rows, and moves a
** dropped b-tree's root page. */
#define SCRIPT_TRIGGER_ROW "r:name r:type"
#define SCRIPT_TABLE_ROWS "r:tbl_name r:type"
#define SCRIPT_ROOT_MOVED "u:rootpage r:rootpage"

/* ALTER TABLE: the statements SQLite runs on the schema tables, per kind. */
#define SCRIPT_RENAME_TABLE                                                                                     \
  "f:sqlite_rename_table r:type r:name r:sql u:sql r:type r:tbl_name f:like r:name u:tbl_name r:type f:like " \
  "r:name r:type f:substr r:name r:name u:name r:tbl_name r:type r:type r:type"
#define SCRIPT_RENAME_TABLE_TEMP                                                                             \
  "f:sqlite_rename_table r:type r:name r:sql u:sql r:tbl_name f:sqlite_rename_test r:sql r:type r:name " \
  "r:tbl_name u:tbl_name r:type"
#define SCRIPT_RENAME_TEST "s f:like r:name f:like r:sql f:sqlite_rename_test r:sql r:type r:name"
#define SCRIPT_QUOTEFIX "f:sqlite_rename_quotefix r:sql u:sql f:like r:name f:like r:sql"
#define SCRIPT_RENAME_COLUMN "f:sqlite_rename_column r:sql r:type r:name u:sql f:like r:name r:type r:tbl_name"
#define SCRIPT_RENAME_COLUMN_TEMP "f:sqlite_rename_column r:sql r:type r:name u:sql r:type"
#define SCRIPT_DROP_COLUMN "f:sqlite_drop_column r:sql u:sql r:type r:tbl_name"
#define SCRIPT_ADD_COLUMN "f:printf r:sql f:substr r:sql f:length f:printf r:sql u:sql r:type r:name"

/* The script on zdb's schema table, then on temp's when zdb is not temp. */
static int ask_both(lode *db, const char *script, const char *temp_script, const char *zdb, int *noop) {
  int rc = ask_script(db, script, zdb, noop);
  return rc == SQLITE_OK && !is_temp(zdb) ? ask_script(db, temp_script, "temp", noop) : rc;
}

/* ALTER TABLE after its own question: what SQLite's statements that rewrite
** the schema rows ask. */
static int ask_alter(lode *db, const Stmt *st, const char *zdb, int *noop) {
  int rc = SQLITE_OK;
  switch (st->alter_op) {
  case ALTER_RENAME_TABLE: {
    Schema *s = schema_of(db, zdb);
    Table *t = s ? schema_find_table(s, st->table) : NULL;
    rc = ask_script(db, SCRIPT_RENAME_TABLE, zdb, noop);
    if (rc == SQLITE_OK && t && t->autoinc) { /* its sqlite_sequence row is renamed too */
      rc = ask_noop(db, SQLITE_UPDATE, "sqlite_sequence", "name", zdb, noop);
      if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_READ, "sqlite_sequence", "name", zdb, noop);
    }
    if (rc == SQLITE_OK && !is_temp(zdb)) rc = ask_script(db, SCRIPT_RENAME_TABLE_TEMP, "temp", noop);
    return rc == SQLITE_OK ? ask_both(db, SCRIPT_RENAME_TEST, SCRIPT_RENAME_TEST, zdb, noop) : rc;
  }
  case ALTER_ADD_COLUMN: return ask_script(db, SCRIPT_ADD_COLUMN, zdb, noop);
  case ALTER_RENAME_COLUMN:
  case ALTER_DROP_COLUMN:
    rc = ask_both(db, SCRIPT_RENAME_TEST, SCRIPT_RENAME_TEST, zdb, noop);
    if (rc == SQLITE_OK) rc = ask_both(db, SCRIPT_QUOTEFIX, SCRIPT_QUOTEFIX, zdb, noop);
    if (rc == SQLITE_OK && st->alter_op == ALTER_RENAME_COLUMN)
      rc = ask_both(db, SCRIPT_RENAME_COLUMN, SCRIPT_RENAME_COLUMN_TEMP, zdb, noop);
    if (rc == SQLITE_OK && st->alter_op == ALTER_DROP_COLUMN) rc = ask_script(db, SCRIPT_DROP_COLUMN, zdb, noop);
    return rc == SQLITE_OK ? ask_both(db, SCRIPT_RENAME_TEST, SCRIPT_RENAME_TEST, zdb, noop) : rc;
  default: return SQLITE_OK;
  }
}

/* CREATE INDEX reads the columns its terms and WHERE name, and calls their
** functions: asked in the order SQLite resolves them (WHERE first). */
static int ask_index_expr(lode *db, const Table *t, const Expr *e, const char *zdb, int *noop) {
  int rc = SQLITE_OK;
  if (!e || *noop) return SQLITE_OK;
  if (e->kind == EXPR_COLUMN) {
    int c = table_column_index(t, e->text);
    if (c >= 0) return ask_noop(db, SQLITE_READ, t->name, t->cols[c].name, zdb, noop);
    return SQLITE_OK;
  }
  if (e->kind == EXPR_FUNCTION) {
    int exists = 0;
    const FuncDef *f = func_lookup(db->funcs, e->text, e->args ? e->args->n : 0, &exists);
    rc = ask_noop(db, SQLITE_FUNCTION, NULL, f ? f->name : e->text, NULL, noop);
  }
  if (rc == SQLITE_OK) rc = ask_index_expr(db, t, e->left, zdb, noop);
  if (rc == SQLITE_OK) rc = ask_index_expr(db, t, e->right, zdb, noop);
  if (rc == SQLITE_OK) rc = ask_index_expr(db, t, e->escape, zdb, noop);
  for (int i = 0; rc == SQLITE_OK && e->args && i < e->args->n; i++)
    rc = ask_index_expr(db, t, e->args->items[i], zdb, noop);
  return rc;
}

static int ask_create_index(lode *db, const Stmt *st, int *noop) {
  const char *idb = object_db(db, st->schema, st->table);
  Schema *s = schema_of(db, idb);
  const Table *t = s ? schema_find_table(s, st->table) : NULL;
  int rc = ask_noop(db, SQLITE_INSERT, schema_table_of(idb), NULL, idb, noop);
  if (rc == SQLITE_OK)
    rc = ask_noop(db, is_temp(idb) ? SQLITE_CREATE_TEMP_INDEX : SQLITE_CREATE_INDEX, st->index, st->table, idb, noop);
  if (rc == SQLITE_OK && t) rc = ask_index_expr(db, t, st->index_where, idb, noop);
  for (int i = 0; rc == SQLITE_OK && t && i < st->nindexed; i++) {
    const IndexedColumn *c = &st->indexed[i];
    int col = c->name ? table_column_index(t, c->name) : -1;
    if (col >= 0) rc = ask_noop(db, SQLITE_READ, t->name, t->cols[col].name, idb, noop);
    else rc = ask_index_expr(db, t, c->expr, idb, noop);
  }
  if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_INSERT, schema_table_of(idb), NULL, idb, noop);
  if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_REINDEX, st->index, NULL, idb, noop);
  return rc;
}

/* SQLite's statements deleting the statistics of table or index name
** (column "tbl" or "idx") from each statistics table database zdb has. */
static int ask_stat_delete(lode *db, const char *zdb, const char *column, int *noop) {
  static const char *const stats[] = {"sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"};
  Schema *s = schema_of(db, zdb);
  int rc = SQLITE_OK;
  for (size_t i = 0; s && rc == SQLITE_OK && i < sizeof stats / sizeof stats[0]; i++) {
    if (!schema_find_table(s, stats[i])) continue;
    rc = ask_noop(db, SQLITE_DELETE, stats[i], NULL, zdb, noop);
    if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_READ, stats[i], column, zdb, noop);
  }
  return rc;
}

/* The index a PRIMARY KEY or UNIQUE constraint of CREATE TABLE implies
** (cols[0..n) of table name): SQLite creates it as it reads the
** constraint, asking as for CREATE INDEX; the schema row of one that repeats
** an earlier index is not written. */
static int ask_autoindex(lode *db, const char *table, const char *zdb, int number, const char *const *cols, int n,
                         int repeated, int *noop) {
  char name[256];
  snprintf(name, sizeof name, "sqlite_autoindex_%s_%d", table, number);
  int rc = ask_noop(db, SQLITE_INSERT, schema_table_of(zdb), NULL, zdb, noop);
  if (rc == SQLITE_OK)
    rc = ask_noop(db, is_temp(zdb) ? SQLITE_CREATE_TEMP_INDEX : SQLITE_CREATE_INDEX, name, table, zdb, noop);
  for (int i = 0; rc == SQLITE_OK && i < n; i++) rc = ask_noop(db, SQLITE_READ, table, cols[i], zdb, noop);
  if (rc == SQLITE_OK && !repeated) rc = ask_noop(db, SQLITE_INSERT, schema_table_of(zdb), NULL, zdb, noop);
  return rc;
}

/* Whether a column declared type decl with a lone PRIMARY KEY is the rowid. */
static int is_integer_type(const char *decl) { return decl && util_stricmp(decl, "INTEGER") == 0; }

/* CREATE TABLE's implied indexes, in the order the statement writes their
** constraints: columns' PRIMARY KEY and UNIQUE, then the table's. */
static int ask_autoindexes(lode *db, const Stmt *st, const char *zdb, int *noop) {
  const char *seen[64][8];
  int nseen_cols[64], nseen = 0, number = 0, rc = SQLITE_OK;
  for (int pass = 0; pass < 2 && rc == SQLITE_OK; pass++) {
    int count = pass == 0 ? st->ncoldefs : st->nconstraints;
    for (int i = 0; rc == SQLITE_OK && i < count; i++) {
      const char *one[1], *const *cols = one;
      int n = 1, times = 1;
      if (pass == 0) {
        const ColumnDef *c = &st->coldefs[i];
        one[0] = c->name;
        int pk = c->primary_key && !(is_integer_type(c->type) && !c->pk_desc && !st->without_rowid);
        times = (pk ? 1 : 0) + c->unique;
      } else {
        const TableConstraint *k = &st->constraints[i];
        if (k->kind != TC_PRIMARY_KEY && k->kind != TC_UNIQUE) continue;
        cols = k->cols;
        n = k->ncols;
        if (k->kind == TC_PRIMARY_KEY && n == 1 && !st->without_rowid) {
          int integer = 0;
          for (int j = 0; j < st->ncoldefs; j++)
            if (util_stricmp(st->coldefs[j].name, cols[0]) == 0) integer = is_integer_type(st->coldefs[j].type);
          if (integer && !(k->terms && k->terms[0].desc)) continue;
        }
      }
      for (int t = 0; rc == SQLITE_OK && t < times; t++) {
        int repeated = 0;
        for (int j = 0; j < nseen && !repeated; j++) {
          repeated = nseen_cols[j] == n;
          for (int c = 0; repeated && c < n && c < 8; c++) repeated = util_stricmp(seen[j][c], cols[c]) == 0;
        }
        if (!repeated && nseen < 64 && n <= 8) {
          for (int c = 0; c < n; c++) seen[nseen][c] = cols[c];
          nseen_cols[nseen++] = n;
        }
        rc = ask_autoindex(db, st->table, zdb, ++number, cols, n, repeated, noop);
      }
    }
  }
  return rc;
}

/* DROP TRIGGER tr (of database tdb): the trigger, its schema row, and
** SQLite's statement deleting that row. */
static int ask_drop_trigger(lode *db, const char *name, const char *table, const char *tdb, int *noop) {
  int rc = ask_noop(db, is_temp(tdb) ? SQLITE_DROP_TEMP_TRIGGER : SQLITE_DROP_TRIGGER, name, table, tdb, noop);
  if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_DELETE, schema_table_of(tdb), NULL, tdb, noop);
  if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_DELETE, schema_table_of(tdb), NULL, tdb, noop);
  return rc == SQLITE_OK ? ask_script(db, SCRIPT_TRIGGER_ROW, tdb, noop) : rc;
}

/* DROP TABLE / VIEW: the schema row, the object, its rows; for a table its
** triggers (TEMP ones first), its sqlite_sequence row, SQLite's statement
** deleting the schema rows and one moving root pages per b-tree. */
static int ask_drop(lode *db, const Stmt *st, int view, const char *zdb, int *noop) {
  Schema *s = schema_of(db, zdb);
  const Table *t = view || !s ? NULL : schema_find_table(s, st->table);
  const char *name = t ? t->name : st->table;
  int action = view ? (is_temp(zdb) ? SQLITE_DROP_TEMP_VIEW : SQLITE_DROP_VIEW)
                    : t && t->vtab_module ? SQLITE_DROP_VTABLE
                    : is_temp(zdb)        ? SQLITE_DROP_TEMP_TABLE
                                          : SQLITE_DROP_TABLE;
  int rc = ask_noop(db, SQLITE_DELETE, schema_table_of(zdb), NULL, zdb, noop);
  if (rc == SQLITE_OK) rc = ask_noop(db, action, name, t && t->vtab_module ? t->vtab_module : NULL, zdb, noop);
  if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_DELETE, name, NULL, zdb, noop);
  if (rc == SQLITE_OK && t) rc = ask_stat_delete(db, zdb, "tbl", noop);
  if (t && !t->vtab_module) {
    const char *order[2] = {"temp", zdb};
    for (int k = 0; rc == SQLITE_OK && k < (is_temp(zdb) ? 1 : 2); k++) {
      Schema *ts = schema_of(db, order[k]);
      for (int i = ts ? ts->ntriggers - 1 : -1; rc == SQLITE_OK && i >= 0; i--) {
        const Trigger *tr = ts->triggers[i];
        if (util_stricmp(tr->table, t->name) != 0) continue;
        if (k == 0 && !is_temp(zdb) && (!s || schema_find_table(s, tr->table) != t)) continue;
        rc = ask_drop_trigger(db, tr->name, tr->table, order[k], noop);
      }
    }
    if (rc == SQLITE_OK && t->autoinc) {
      rc = ask_noop(db, SQLITE_DELETE, "sqlite_sequence", NULL, zdb, noop);
      if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_READ, "sqlite_sequence", "name", zdb, noop);
    }
  }
  if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_DELETE, schema_table_of(zdb), NULL, zdb, noop);
  if (rc == SQLITE_OK) rc = ask_script(db, SCRIPT_TABLE_ROWS, zdb, noop);
  if (t && !t->vtab_module) {
    int roots = t->without_rowid ? 0 : 1;
    for (const Index *ix = t->indexes; ix; ix = ix->next) roots += index_has_own_btree(ix);
    for (int i = 0; rc == SQLITE_OK && i < roots; i++) rc = ask_script(db, SCRIPT_ROOT_MOVED, zdb, noop);
  }
  return rc;
}

int api_authorize_before(lode *db, const Stmt *st, int *noop) {
  *noop = 0;
  switch (st->kind) {
  case STMT_SELECT: return ask_noop(db, SQLITE_SELECT, NULL, NULL, NULL, noop);
  case STMT_CREATE_TABLE:
  case STMT_CREATE_VIEW: {
    /* Asked before the statement looks for a table of that name, as in SQLite. */
    const char *ndb = new_object_db(db, st);
    int view = st->kind == STMT_CREATE_VIEW, temp = is_temp(ndb);
    int action = view ? (temp ? SQLITE_CREATE_TEMP_VIEW : SQLITE_CREATE_VIEW)
                      : (temp ? SQLITE_CREATE_TEMP_TABLE : SQLITE_CREATE_TABLE);
    int rc = ask_noop(db, SQLITE_INSERT, schema_table_of(ndb), NULL, ndb, noop);
    return rc == SQLITE_OK ? ask_noop(db, action, st->table, NULL, ndb, noop) : rc;
  }
  default: return SQLITE_OK;
  }
}

int api_authorize_after(lode *db, const Stmt *st, int *noop) {
  static const char *const savepoint_ops[] = {"BEGIN", "RELEASE", "ROLLBACK"};
  int rc = SQLITE_OK;
  const char *zdb = object_db(db, st->schema, st->table);
  switch (st->kind) {
  case STMT_CREATE_TABLE:
  case STMT_CREATE_VIEW: {
    const char *ndb = new_object_db(db, st);
    if (st->kind == STMT_CREATE_TABLE && !st->as_select) rc = ask_autoindexes(db, st, ndb, noop);
    return rc == SQLITE_OK ? ask_script(db, SCRIPT_ROW_FILLED, ndb, noop) : rc;
  }
  case STMT_CREATE_VTAB: {
    const char *ndb = new_object_db(db, st);
    rc = ask_noop(db, SQLITE_INSERT, schema_table_of(ndb), NULL, ndb, noop);
    if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_CREATE_VTABLE, st->table, st->vtab_module, ndb, noop);
    return rc == SQLITE_OK ? ask_script(db, SCRIPT_ROW_FILLED, ndb, noop) : rc;
  }
  case STMT_DROP_TABLE: return ask_drop(db, st, 0, zdb, noop);
  case STMT_DROP_VIEW: return ask_drop(db, st, 1, zdb, noop);
  case STMT_CREATE_INDEX: return ask_create_index(db, st, noop);
  case STMT_DROP_INDEX: {
    const char *name = st->index ? st->index : st->table, *idb = object_db(db, st->schema, name);
    Schema *s = schema_of(db, idb);
    const Index *ix = s ? schema_find_index(s, name) : NULL;
    rc = ask_noop(db, SQLITE_DELETE, schema_table_of(idb), NULL, idb, noop);
    if (rc == SQLITE_OK)
      rc = ask_noop(db, is_temp(idb) ? SQLITE_DROP_TEMP_INDEX : SQLITE_DROP_INDEX, name,
                    ix && ix->table ? ix->table->name : NULL, idb, noop);
    if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_DELETE, schema_table_of(idb), NULL, idb, noop);
    if (rc == SQLITE_OK) rc = ask_script(db, SCRIPT_TRIGGER_ROW, idb, noop);
    if (rc == SQLITE_OK) rc = ask_stat_delete(db, idb, "idx", noop);
    return rc == SQLITE_OK ? ask_script(db, SCRIPT_ROOT_MOVED, idb, noop) : rc;
  }
  case STMT_CREATE_TRIGGER: {
    /* The trigger first, then its schema row (SQLite's order here): the
    ** row of the database of its table, then SQLite's own insert into the
    ** trigger's database. */
    const char *on_db = object_db(db, st->trigger ? st->trigger->table_schema : NULL, st->table);
    const char *tdb = st->temp ? "temp" : on_db;
    if (!st->trigger) return SQLITE_OK;
    rc = ask_noop(db, is_temp(tdb) ? SQLITE_CREATE_TEMP_TRIGGER : SQLITE_CREATE_TRIGGER, st->trigger->name, st->table,
                  tdb, noop);
    if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_INSERT, schema_table_of(on_db), NULL, on_db, noop);
    if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_INSERT, schema_table_of(tdb), NULL, tdb, noop);
    return rc;
  }
  case STMT_DROP_TRIGGER: {
    const char *tdb = trigger_db(db, st->schema, st->table);
    Schema *s = schema_of(db, tdb);
    const Trigger *tr = s ? schema_find_trigger(s, st->table) : NULL;
    if (!tr) return SQLITE_OK; /* DROP TRIGGER IF EXISTS of none, or the error to come */
    return ask_drop_trigger(db, st->table, tr->table, tdb, noop);
  }
  case STMT_BEGIN: return ask_noop(db, SQLITE_TRANSACTION, "BEGIN", NULL, NULL, noop);
  case STMT_COMMIT: return ask_noop(db, SQLITE_TRANSACTION, "COMMIT", NULL, NULL, noop);
  case STMT_ROLLBACK: return ask_noop(db, SQLITE_TRANSACTION, "ROLLBACK", NULL, NULL, noop);
  case STMT_SAVEPOINT: return ask_noop(db, SQLITE_SAVEPOINT, savepoint_ops[0], st->savepoint, NULL, noop);
  case STMT_RELEASE: return ask_noop(db, SQLITE_SAVEPOINT, savepoint_ops[1], st->savepoint, NULL, noop);
  case STMT_ROLLBACK_TO: return ask_noop(db, SQLITE_SAVEPOINT, savepoint_ops[2], st->savepoint, NULL, noop);
  case STMT_PRAGMA: { /* the value as written (a name or string dequoted), as SQLite's zRight */
    char num[32];
    const Expr *e = st->pragma_value;
    const char *value = NULL;
    if (e && (e->kind == EXPR_STRING || e->kind == EXPR_COLUMN)) {
      value = e->text;
    } else if (e && e->kind == EXPR_INTEGER) {
      snprintf(num, sizeof num, "%lld", (long long)e->ival);
      value = num;
    } else if (e && e->kind == EXPR_UNARY && e->left && e->left->kind == EXPR_INTEGER) {
      snprintf(num, sizeof num, "%s%lld", e->op == TK_MINUS ? "-" : "", (long long)e->left->ival);
      value = num;
    }
    return ask_noop(db, SQLITE_PRAGMA, st->pragma, value, st->schema, noop);
  }
  case STMT_ALTER_TABLE: /* no database argument; DROP COLUMN passes the column there */
    rc = ask_noop(db, SQLITE_ALTER_TABLE, zdb, st->table, st->alter_op == ALTER_DROP_COLUMN ? st->alter_old : NULL,
                  noop);
    return rc == SQLITE_OK ? ask_alter(db, st, zdb, noop) : rc;
  case STMT_ATTACH: /* the file name when it is written as a literal */
    return ask_noop(db, SQLITE_ATTACH, st->attach_file->kind == EXPR_STRING ? st->attach_file->text : NULL, NULL,
                    NULL, noop);
  case STMT_DETACH:
    return ask_noop(db, SQLITE_DETACH,
                    st->attach_name->kind == EXPR_STRING || st->attach_name->kind == EXPR_COLUMN ? st->attach_name->text
                                                                                                 : NULL,
                    NULL, NULL, noop);
  default: return SQLITE_OK; /* row changes, REINDEX, ANALYZE: asked by codegen */
  }
}

int sqlite3_set_authorizer(sqlite3 *db,
                           int (*auth)(void *, int, const char *, const char *, const char *, const char *),
                           void *arg) {
  ConnApi *a;
  if (!db || db->magic != CONN_MAGIC_OPEN) return SQLITE_MISUSE;
  if (!auth && !db->api) return SQLITE_OK;
  if (!(a = conn_api(db))) return SQLITE_NOMEM;
  a->auth = auth;
  a->auth_arg = arg;
  /* statements compiled under another authorizer are compiled again */
  db->schema_gen++;
  return SQLITE_OK;
}
