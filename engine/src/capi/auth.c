/*
** auth.c — the authorizer (sqlite3_set_authorizer), consulted when a
** statement is compiled (and compiled again).
**
** Two sources of questions: the statement's own action, from its syntax
** tree (SQLITE_SELECT, SQLITE_INSERT on its table, SQLITE_UPDATE per SET
** column, SQLITE_PRAGMA, SQLITE_TRANSACTION, …), and, from the compiled
** program, every table column it reads (SQLITE_READ, once per column: the
** Column ops of cursors opened on tables and indexes of the schema) and
** every function it calls (SQLITE_FUNCTION).  SQLITE_DENY fails the
** prepare with SQLITE_AUTH; SQLITE_IGNORE on a read makes the column read
** as NULL (its Column op becomes Null), elsewhere it is taken as OK.
** DDL asks, as SQLite does, about the row it writes to the schema table
** too (SQLITE_INSERT or SQLITE_DELETE on sqlite_master, or
** sqlite_temp_master), and DROP TABLE about deleting the table's rows.
** A rowid an expression names (the INTEGER PRIMARY KEY, or "ROWID") is
** asked about at the Rowid ops codegen marks as the expression's reads.
** Known differences: no questions for the tables a view or trigger reads
** (they come from the same walk of the program, but with no source name),
** nor for a rowid named only where the program seeks it (WHERE rowid = 7).
*/
#include <stdio.h>
#include <string.h>

#include "capi/api.h"
#include "sql/token.h"
#include "util/util.h"

/* zdb: the database the action is on, NULL for those on none (SELECT,
** transactions, functions), as SQLite passes it. */
static int ask(lode *db, int action, const char *a, const char *b, const char *zdb, int *ignore) {
  ConnApi *api = db->api;
  int rc = api->auth(api->auth_arg, action, a, b, zdb, NULL);
  if (ignore) *ignore = rc == SQLITE_IGNORE;
  if (rc == SQLITE_OK || rc == SQLITE_IGNORE) return SQLITE_OK;
  if (rc == SQLITE_DENY) {
    /* The database is named once another is attached, or when it is not main. */
    if (action == SQLITE_READ && zdb && (db->ndb > 2 || util_stricmp(zdb, "main") != 0))
      return conn_error(db, SQLITE_AUTH, "access to %s.%s.%s is prohibited", zdb, a, b);
    if (action == SQLITE_READ) return conn_error(db, SQLITE_AUTH, "access to %s.%s is prohibited", a, b);
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

/* The database a CREATE makes its object in. */
static const char *new_object_db(lode *db, const Stmt *st) {
  if (st->temp) return "temp";
  return st->schema ? object_db(db, st->schema, NULL) : "main";
}

/* The schema table of database zdb, by the name SQLite gives the authorizer. */
static const char *schema_table_of(const char *zdb) {
  return zdb && util_stricmp(zdb, "temp") == 0 ? "sqlite_temp_master" : "sqlite_master";
}

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

/* CREATE TABLE / VIEW / INDEX: the schema row first, then the object. */
static int ask_create(lode *db, int action, const char *a, const char *b, const char *zdb, int *noop) {
  int rc = ask_noop(db, SQLITE_INSERT, schema_table_of(zdb), NULL, zdb, noop);
  return rc == SQLITE_OK ? ask_noop(db, action, a, b, zdb, noop) : rc;
}

/* DROP TABLE / VIEW: the schema row, the object, then its rows. */
static int ask_drop(lode *db, int action, int temp_action, const char *name, const char *zdb, int *noop) {
  int temp = util_stricmp(zdb, "temp") == 0;
  int rc = ask_noop(db, SQLITE_DELETE, schema_table_of(zdb), NULL, zdb, noop);
  if (rc == SQLITE_OK) rc = ask_noop(db, temp ? temp_action : action, name, NULL, zdb, noop);
  if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_DELETE, name, NULL, zdb, noop);
  return rc;
}

static int ask_statement(lode *db, const Stmt *st, int *noop) {
  static const char *const savepoint_ops[] = {"BEGIN", "RELEASE", "ROLLBACK"};
  int rc = SQLITE_OK;
  const char *zdb = object_db(db, st->schema, st->table);
  switch (st->kind) {
    case STMT_SELECT: return ask_noop(db, SQLITE_SELECT, NULL, NULL, NULL, noop);
    case STMT_INSERT: return ask_noop(db, SQLITE_INSERT, st->table, NULL, zdb, noop);
    case STMT_DELETE: return ask(db, SQLITE_DELETE, st->table, NULL, zdb, NULL); /* IGNORE: deleted all the same */
    case STMT_UPDATE: return SQLITE_OK; /* asked before the compile: api_authorize_update */
    case STMT_CREATE_TABLE: {
      const char *ndb = new_object_db(db, st);
      return ask_create(db, util_stricmp(ndb, "temp") == 0 ? SQLITE_CREATE_TEMP_TABLE : SQLITE_CREATE_TABLE, st->table,
                        NULL, ndb, noop);
    }
    case STMT_DROP_TABLE: return ask_drop(db, SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_TABLE, st->table, zdb, noop);
    case STMT_CREATE_VIEW: {
      const char *ndb = new_object_db(db, st);
      return ask_create(db, util_stricmp(ndb, "temp") == 0 ? SQLITE_CREATE_TEMP_VIEW : SQLITE_CREATE_VIEW, st->table,
                        NULL, ndb, noop);
    }
    case STMT_DROP_VIEW: return ask_drop(db, SQLITE_DROP_VIEW, SQLITE_DROP_TEMP_VIEW, st->table, zdb, noop);
    case STMT_CREATE_INDEX: {
      const char *idb = object_db(db, st->schema, st->table);
      return ask_create(db, util_stricmp(idb, "temp") == 0 ? SQLITE_CREATE_TEMP_INDEX : SQLITE_CREATE_INDEX, st->index,
                        st->table, idb, noop);
    }
    case STMT_DROP_INDEX: {
      const char *name = st->index ? st->index : st->table, *idb = object_db(db, st->schema, name);
      const Index *ix = NULL;
      int i = conn_db_find(db, idb);
      if (i >= 0 && db->dbs[i].schema) ix = schema_find_index(db->dbs[i].schema, name);
      rc = ask_noop(db, SQLITE_DELETE, schema_table_of(idb), NULL, idb, noop);
      if (rc == SQLITE_OK)
        rc = ask_noop(db, util_stricmp(idb, "temp") == 0 ? SQLITE_DROP_TEMP_INDEX : SQLITE_DROP_INDEX, name,
                 ix && ix->table ? ix->table->name : NULL, idb, noop);
      return rc;
    }
    case STMT_CREATE_TRIGGER: {
      /* The trigger first, then its schema row (SQLite's order here). */
      const char *on_db = object_db(db, st->trigger ? st->trigger->table_schema : NULL, st->table);
      const char *tdb = st->temp ? "temp" : on_db;
      if (!st->trigger) return SQLITE_OK;
      rc = ask_noop(db, util_stricmp(tdb, "temp") == 0 ? SQLITE_CREATE_TEMP_TRIGGER : SQLITE_CREATE_TRIGGER,
               st->trigger->name, st->table, tdb, noop);
      if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_INSERT, schema_table_of(on_db), NULL, on_db, noop);
      return rc;
    }
    case STMT_DROP_TRIGGER: {
      const char *tdb = trigger_db(db, st->schema, st->table);
      const Trigger *tr = NULL;
      int i = conn_db_find(db, tdb);
      if (i >= 0 && db->dbs[i].schema) tr = schema_find_trigger(db->dbs[i].schema, st->table);
      if (!tr) return SQLITE_OK; /* DROP TRIGGER IF EXISTS of none, or the error to come */
      rc = ask_noop(db, util_stricmp(tdb, "temp") == 0 ? SQLITE_DROP_TEMP_TRIGGER : SQLITE_DROP_TRIGGER, st->table,
               tr->table, tdb, noop);
      if (rc == SQLITE_OK) rc = ask_noop(db, SQLITE_DELETE, schema_table_of(tdb), NULL, tdb, noop);
      return rc;
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
      return ask_noop(db, SQLITE_ALTER_TABLE, zdb, st->table, st->alter_op == ALTER_DROP_COLUMN ? st->alter_old : NULL,
                      noop);
    case STMT_REINDEX: return ask_noop(db, SQLITE_REINDEX, st->table, NULL, zdb, noop);
    case STMT_ANALYZE: return ask_noop(db, SQLITE_ANALYZE, st->table, NULL, zdb, noop);
    case STMT_ATTACH: /* the file name when it is written as a literal */
      return ask_noop(db, SQLITE_ATTACH, st->attach_file->kind == EXPR_STRING ? st->attach_file->text : NULL, NULL, NULL,
                 noop);
    case STMT_DETACH:
      return ask_noop(db, SQLITE_DETACH,
                 st->attach_name->kind == EXPR_STRING || st->attach_name->kind == EXPR_COLUMN ? st->attach_name->text
                                                                                            : NULL,
                 NULL, NULL, noop);
    default: return SQLITE_OK;
  }
}

int api_authorize_update(lode *db, struct Stmt *st, Arena *arena) {
  const char *zdb = object_db(db, st->schema, st->table);
  int k = conn_db_find(db, zdb), rc = SQLITE_OK, kept = 0;
  /* SQLite asks once it has found the table (or view: an ignored column of
  ** a view is set all the same). */
  if (k < 0) return SQLITE_OK;
  int is_table = schema_find_table(db->dbs[k].schema, st->table) != NULL;
  if (!is_table && !schema_find_view(db->dbs[k].schema, st->table)) return SQLITE_OK;
  const SetClause *first_ignored = NULL;
  for (int i = 0; rc == SQLITE_OK && i < st->nset; i++) {
    int ignore = 0;
    SetClause item = st->set[i];
    rc = ask(db, SQLITE_UPDATE, st->table, item.column, zdb, &ignore);
    /* IGNORE: the column keeps its value (an item of SET (a, b) = (SELECT …)
    ** shares its subquery with the others and stays). */
    if (ignore && is_table && !(item.value && item.value->kind == EXPR_SUBQUERY && item.value->subquery_column > 0)) {
      if (!first_ignored) first_ignored = &st->set[i];
      continue;
    }
    st->set[kept++] = item;
  }
  if (rc != SQLITE_OK || kept == st->nset) return rc;
  if (kept == 0) {
    /* Nothing left to set: the rows are still updated (triggers fire, changes
    ** count), each column keeping its value. */
    Expr *self = arena_alloc(arena, sizeof *self);
    if (!self) return conn_error(db, SQLITE_NOMEM, NULL);
    memset(self, 0, sizeof *self);
    self->kind = EXPR_COLUMN;
    self->text = first_ignored->column;
    st->set[0].column = first_ignored->column;
    st->set[0].value = self;
    kept = 1;
  }
  st->nset = kept;
  return SQLITE_OK;
}

/* What a cursor of the program reads: a table, or an index of one. */
typedef struct CursorTarget {
  const Table *table;
  const Index *index;
  const char *db; /* its database's name */
} CursorTarget;

static void find_target(lode *db, int dbi, uint32_t root, CursorTarget *t) {
  t->table = NULL;
  t->index = NULL;
  if (dbi < 0 || dbi >= db->ndb) return;
  t->db = db->dbs[dbi].name;
  const Schema *s = db->dbs[dbi].schema;
  for (int i = 0; i < s->ntables; i++) {
    const Table *tab = s->tables[i];
    if (tab->root == root) {
      t->table = tab;
      return;
    }
    for (const Index *ix = tab->indexes; ix; ix = ix->next)
      if (ix->root == root) {
        t->table = tab;
        t->index = ix;
        return;
      }
  }
}

/* The SQLITE_READ questions asked so far whose answer was OK, as
** "table.column": each is asked once per statement. */
typedef struct Asked {
  char **names;
  int n;
} Asked;

/* Asks about reading column col (-1: the rowid) of c's table, unless asked
** already (asked NULL: asks again); *ignore: SQLITE_IGNORE was the answer. */
static int ask_read(lode *db, Asked *asked, const CursorTarget *c, int col, int *ignore) {
  /* The schema table goes by its legacy name, as in SQLite. */
  const char *tname = c->table->root == BTREE_SCHEMA_ROOT ? schema_table_of(c->db) : c->table->name;
  const char *cname = col >= 0 ? c->table->cols[col].name : "ROWID";
  size_t tl = strlen(tname);
  *ignore = 0;
  for (int i = 0; asked && i < asked->n; i++)
    if (util_strnicmp(asked->names[i], tname, tl) == 0 && asked->names[i][tl] == '.' &&
        strcmp(asked->names[i] + tl + 1, cname) == 0)
      return SQLITE_OK;
  int rc = ask(db, SQLITE_READ, tname, cname, c->db, ignore);
  if (rc != SQLITE_OK || *ignore || !asked) return rc; /* an ignored column is asked about again at its next read */
  char **grown = util_realloc(asked->names, sizeof *grown * (size_t)(asked->n + 1));
  char *entry = util_mprintf("%s.%s", tname, cname);
  if (grown) asked->names = grown;
  if (!grown || !entry) {
    util_free(entry);
    return conn_error(db, SQLITE_NOMEM, NULL);
  }
  asked->names[asked->n++] = entry;
  return SQLITE_OK;
}

/* A foreign key's lookup of its parent row (op, on cursor c) reads the
** parent key's columns: SQLite asks at each check it codes (an UPDATE of
** the child key checks the old row and the new one); an IGNORE for any of them makes the
** lookup find nothing, so that a child row with a key breaks the
** constraint, as in SQLite. */
static int ask_fk_lookup(lode *db, const CursorTarget *c, VdbeOp *op) {
  int n = op->opcode == OP_Found && c->index ? op->p4.i : 1, ignored = 0, rc = SQLITE_OK;
  for (int i = 0; i < n && rc == SQLITE_OK; i++) {
    int col = c->index ? (i < c->index->ncols ? c->index->cols[i].cid : -2) : c->table->ipk;
    if (col < -1 || col >= c->table->ncols) continue;
    int ignore = 0;
    rc = ask_read(db, NULL, c, col, &ignore);
    ignored |= ignore;
  }
  if (rc != SQLITE_OK || !ignored) return rc;
  if (op->opcode == OP_NotExists) {
    op->opcode = OP_Goto; /* straight to "no parent" */
    op->p1 = 0;
    op->p3 = 0;
  } else {
    op->opcode = OP_Noop; /* Found never jumps: no parent */
    op->p4type = P4_NONE;
    op->p1 = op->p2 = op->p3 = 0;
  }
  op->p5 = 0;
  return SQLITE_OK;
}

int api_authorize(lode *db, const Stmt *st, Vdbe *v) {
  int noop = 0;
  int rc = ask_statement(db, st, &noop);
  if (rc == SQLITE_OK && noop) {
    /* The statement does nothing (and reads nothing to ask about). */
    vdbe_truncate(v, 0);
    if (vdbe_add_op(v, OP_Halt, 0, 0, 0) < 0) rc = conn_error(db, SQLITE_NOMEM, NULL);
    return rc;
  }
  int nops = vdbe_current_addr(v), ncursor = 0;
  CursorTarget *cursors = NULL;
  Asked asked = {NULL, 0};
  for (int addr = 0; rc == SQLITE_OK && addr < nops; addr++) {
    VdbeOp *op = vdbe_op_at(v, addr);
    if ((op->opcode == OP_OpenRead || op->opcode == OP_OpenWrite) && !(op->opcode == OP_OpenWrite && op->p5 == 1)) {
      if (op->p1 >= ncursor) {
        int n = op->p1 + 8;
        CursorTarget *grown = util_realloc(cursors, sizeof *grown * (size_t)n);
        if (!grown) {
          rc = conn_error(db, SQLITE_NOMEM, NULL);
          break;
        }
        memset(grown + ncursor, 0, sizeof *grown * (size_t)(n - ncursor));
        cursors = grown;
        ncursor = n;
      }
      find_target(db, op->db, (uint32_t)op->p2, &cursors[op->p1]);
    } else if ((op->opcode == OP_Found || op->opcode == OP_NotExists) && op->p1 >= 0 && op->p1 < ncursor &&
               cursors[op->p1].table && vdbe_op_marked(v, addr, VDBE_MARK_FK_LOOKUP)) {
      rc = ask_fk_lookup(db, &cursors[op->p1], op);
    } else if (((op->opcode == OP_Column && !vdbe_op_marked(v, addr, VDBE_MARK_OWN_READ)) ||
                ((op->opcode == OP_Rowid || op->opcode == OP_IdxRowid) && vdbe_op_marked(v, addr, VDBE_MARK_EXPR_ROWID))) &&
               op->p1 >= 0 && op->p1 < ncursor && cursors[op->p1].table) {
      const CursorTarget *c = &cursors[op->p1];
      int rowid = op->opcode != OP_Column;
      int col = rowid ? -1 : op->p2;
      if (c->index && !rowid) col = col < c->index->ncols ? c->index->cols[col].cid : XN_EXPR;
      /* A rowid an expression names goes by the INTEGER PRIMARY KEY's name,
      ** else "ROWID", as SQLite asks. */
      if (rowid && c->table->ipk >= 0) col = c->table->ipk;
      if (!rowid && (col < 0 || col >= c->table->ncols)) continue;
      /* ALTER TABLE's own rewrite of the rows (DROP COLUMN) reads no column
      ** SQLite asks about. */
      if (st->kind == STMT_ALTER_TABLE && c->table->root != BTREE_SCHEMA_ROOT) continue;
      int ignore = 0;
      rc = ask_read(db, &asked, c, col, &ignore);
      if (rc == SQLITE_OK && ignore) {
        /* the column reads as NULL */
        int reg = rowid ? op->p2 : op->p3;
        op->opcode = OP_Null;
        op->p1 = 0;
        op->p2 = reg;
        op->p3 = 0;
        op->p5 = 0;
      }
    } else if ((op->opcode == OP_Function || op->opcode == OP_AggStep) && op->p4.func && op->p4.func->name) {
      int ignore = 0;
      rc = ask(db, SQLITE_FUNCTION, NULL, op->p4.func->name, NULL, &ignore);
      if (rc == SQLITE_OK && ignore && op->opcode == OP_Function) {
        /* SQLITE_IGNORE: the call is NULL, as SQLite makes it */
        int reg = op->p3;
        op->opcode = OP_Null;
        op->p1 = 0;
        op->p2 = reg;
        op->p3 = 0;
        op->p5 = 0;
      }
    }
  }
  for (int i = 0; i < asked.n; i++) util_free(asked.names[i]);
  util_free(asked.names);
  util_free(cursors);
  return rc;
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
