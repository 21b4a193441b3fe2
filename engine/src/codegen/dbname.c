/*
** dbname.c — which database a name belongs to, as SQLite resolves names.
**
** A qualified name (schema.name) is looked up in that database only; an
** unqualified one in the database a non-TEMP view or trigger being coded
** belongs to (Parse.fix_db), else in temp, then main, then the attached
** databases in ATTACH order, so that TEMP objects shadow the others.  The
** schema table answers to sqlite_master/sqlite_schema in main (and, named
** with its database, in any database) and to sqlite_temp_master/
** sqlite_temp_schema in temp.
*/
#include <string.h>

#include "codegen/cg.h"

int cg_db_named(Parse *p, const char *zdb) {
  int i = conn_db_find(p->db, zdb);
  if (i < 0) cg_error(p, LODE_ERROR, "unknown database %s", zdb);
  return i;
}

Schema *cg_db_schema(Parse *p, int i) { return i >= 0 && i < p->db->ndb ? p->db->dbs[i].schema : NULL; }

const char *cg_insert_target_label(Parse *p, const Stmt *st) {
  if (st->alias) return st->alias;
  if (!st->schema) return st->table;
  size_t ns = strlen(st->schema), nt = strlen(st->table);
  char *z = arena_alloc(&p->arena, ns + nt + 2);
  if (!z) return st->table;
  memcpy(z, st->schema, ns);
  z[ns] = '.';
  memcpy(z + ns + 1, st->table, nt + 1);
  return z;
}

const char *cg_db_name(Parse *p, int i) { return i >= 0 && i < p->db->ndb ? p->db->dbs[i].name : "main"; }

/* The temp database's schema table exists once the database does: naming
** it opens the database, as in SQLite. */
static void open_temp_for(Parse *p, const char *name) {
  if (p->db->dbs[CONN_DB_TEMP].bt) return;
  if (util_stricmp(name, "sqlite_temp_master") != 0 && util_stricmp(name, "sqlite_temp_schema") != 0 &&
      util_stricmp(name, "sqlite_master") != 0 && util_stricmp(name, "sqlite_schema") != 0)
    return;
  if (conn_db_open_temp(p->db) != LODE_OK) cg_error(p, LODE_NOMEM, "out of memory");
}

int cg_name_reserved(Parse *p, const char *name) {
  return util_strnicmp(name, "sqlite_", 7) == 0 && !p->db->settings[CONN_SET_WRITABLE_SCHEMA];
}

static int is_main_schema_table(const char *name) {
  return util_stricmp(name, "sqlite_master") == 0 || util_stricmp(name, "sqlite_schema") == 0;
}

/* Fills order[] with the databases to search for a name, in search order
** (only zdb's when one is named); returns how many. */
static int search_range(Parse *p, const char *zdb, int order[CONN_MAX_DB]) {
  int n = 0;
  if (zdb) {
    int i = conn_db_find(p->db, zdb);
    if (i >= 0) order[n++] = i;
    return n;
  }
  if (p->fix_db > 0) { /* a view or trigger of an attached database or main */
    order[n++] = p->fix_db - 1;
    return n;
  }
  order[n++] = CONN_DB_TEMP;
  order[n++] = CONN_DB_MAIN;
  for (int i = 2; i < p->db->ndb; i++) order[n++] = i;
  return n;
}

Table *cg_lookup_table(Parse *p, const char *zdb, const char *name) {
  int order[CONN_MAX_DB];
  if (!name) return NULL;
  if (zdb && util_stricmp(zdb, "temp") == 0) open_temp_for(p, name);
  else if (!zdb && util_strnicmp(name, "sqlite_temp_", 12) == 0) open_temp_for(p, name);
  int n = search_range(p, zdb, order);
  for (int k = 0; k < n; k++) {
    int i = order[k];
    if (!zdb && i != CONN_DB_MAIN && p->fix_db == 0 && is_main_schema_table(name)) continue;
    Schema *s = p->db->dbs[i].schema;
    Table *t = s ? schema_find_table(s, name) : NULL;
    if (t) return t;
  }
  return NULL;
}

View *cg_lookup_view(Parse *p, const char *zdb, const char *name, int *db) {
  int order[CONN_MAX_DB];
  int n = search_range(p, zdb, order);
  for (int k = 0; k < n && name; k++) {
    Schema *s = p->db->dbs[order[k]].schema;
    View *v = s ? schema_find_view(s, name) : NULL;
    if (v) {
      if (db) *db = order[k];
      return v;
    }
  }
  return NULL;
}

Index *cg_lookup_index(Parse *p, const char *zdb, const char *name) {
  int order[CONN_MAX_DB];
  int n = search_range(p, zdb, order);
  for (int k = 0; k < n && name; k++) {
    Schema *s = p->db->dbs[order[k]].schema;
    Index *ix = s ? schema_find_index(s, name) : NULL;
    if (ix) return ix;
  }
  return NULL;
}

Trigger *cg_lookup_trigger(Parse *p, const char *zdb, const char *name, int *db) {
  int order[CONN_MAX_DB];
  int n = search_range(p, zdb, order);
  for (int k = 0; k < n && name; k++) {
    Schema *s = p->db->dbs[order[k]].schema;
    Trigger *tr = s ? schema_find_trigger(s, name) : NULL;
    if (tr) {
      if (db) *db = order[k];
      return tr;
    }
  }
  return NULL;
}

void cg_no_such_table(Parse *p, const char *zdb, const char *name) {
  if (zdb) cg_error(p, LODE_ERROR, "no such table: %s.%s", zdb, name);
  /* Inside a view, SQLite names tables with the view's schema. */
  else if (p->view_depth && p->fix_db > 0) cg_error(p, LODE_ERROR, "no such table: %s.%s", cg_db_name(p, p->fix_db - 1), name);
  else cg_error(p, LODE_ERROR, "no such table: %s", name);
}

/* A virtual table's callbacks that run SQL of their own (fts3 reading and
** writing its shadow tables) prepare it so: that SQL then cannot reach a
** virtual table again, itself included, and recurse. */
int cg_vtab_refused(Parse *p, const char *zdb, const char *name) {
  if (!p->root || !p->root->no_vtab) return 0;
  cg_no_such_table(p, zdb, name);
  return 1;
}

Table *cg_find_table_in(Parse *p, const char *zdb, const char *name) {
  Table *t = cg_lookup_table(p, zdb, name);
  if (t) return t;
  cg_no_such_table(p, zdb, name);
  return NULL;
}

Table *cg_find_table(Parse *p, const char *name) { return cg_find_table_in(p, NULL, name); }

int cg_fix_db(Parse *p, int db) {
  int saved = p->fix_db;
  p->fix_db = db == CONN_DB_TEMP ? 0 : db + 1;
  return saved;
}

/* The order names resolve in: temp, main, then the attached ones. */
static int db_rank(int i) { return i == CONN_DB_TEMP ? 0 : i == CONN_DB_MAIN ? 1 : i; }

View *cg_find_view_first(Parse *p, const char *zdb, const char *name) {
  int vdb = 0;
  View *v = cg_lookup_view(p, zdb, name, &vdb);
  if (!v) return NULL;
  Table *t = cg_lookup_table(p, zdb, name);
  return t && db_rank(t->db) < db_rank(vdb) ? NULL : v;
}

/* ---- what a view or trigger of a database may name ---------------------------------- */

static const char *foreign_in_select(Parse *p, const Select *s, int db);

static const char *foreign_in_expr(Parse *p, const Expr *e, int db) {
  const char *z = NULL;
  if (!e) return NULL;
  if ((z = foreign_in_expr(p, e->left, db)) || (z = foreign_in_expr(p, e->right, db)) ||
      (z = foreign_in_expr(p, e->escape, db)) || (z = foreign_in_expr(p, e->filter, db)))
    return z;
  for (int i = 0; e->args && i < e->args->n; i++)
    if ((z = foreign_in_expr(p, e->args->items[i], db))) return z;
  for (int i = 0; e->agg_order && i < e->agg_order->n; i++)
    if ((z = foreign_in_expr(p, e->agg_order->items[i], db))) return z;
  return foreign_in_select(p, e->select, db);
}

static const char *foreign_in_list(Parse *p, const ExprList *l, int db) {
  const char *z = NULL;
  for (int i = 0; l && i < l->n && !z; i++) z = foreign_in_expr(p, l->items[i], db);
  return z;
}

static const char *foreign_in_from(Parse *p, const SrcList *from, int db) {
  const char *z = NULL;
  for (int i = 0; from && i < from->n && !z; i++) {
    const SrcItem *it = &from->items[i];
    if (it->schema && conn_db_find(p->db, it->schema) != db) return it->schema;
    if (!(z = foreign_in_select(p, it->subquery, db)) && !(z = foreign_in_expr(p, it->on, db)))
      z = foreign_in_list(p, it->args, db);
  }
  return z;
}

static const char *foreign_in_select(Parse *p, const Select *s, int db) {
  const char *z = NULL;
  for (; s && !z; s = s->next) {
    if ((z = foreign_in_from(p, s->from, db)) || (z = foreign_in_list(p, s->columns, db)) || (z = foreign_in_expr(p, s->where, db)) ||
        (z = foreign_in_list(p, s->group_by, db)) || (z = foreign_in_expr(p, s->having, db)))
      return z;
    for (int i = 0; i < s->norder && !z; i++) z = foreign_in_expr(p, s->order_by[i].expr, db);
    for (int i = 0; s->with && i < s->with->n && !z; i++) z = foreign_in_select(p, s->with->ctes[i].select, db);
  }
  return z;
}

const char *cg_foreign_db_in_select(Parse *p, const Select *s, int db) { return foreign_in_select(p, s, db); }

const char *cg_foreign_db_in_stmt(Parse *p, const Stmt *st, int db) {
  const char *z = NULL;
  if ((z = foreign_in_select(p, st->select, db)) || (z = foreign_in_select(p, st->insert_select, db)) ||
      (z = foreign_in_expr(p, st->where, db)) || (z = foreign_in_list(p, st->returning, db)) ||
      (z = foreign_in_from(p, st->from, db)))
    return z;
  for (int i = 0; i < st->nset && !z; i++) z = foreign_in_expr(p, st->set[i].value, db);
  for (int i = 0; i < st->nrows && !z; i++) z = foreign_in_list(p, st->rows[i], db);
  return z;
}

Schema *cg_target_schema(Parse *p) { return cg_db_schema(p, p->fix_db > 0 ? p->fix_db - 1 : vdbe_current_db(p->v)); }

/* ---- ATTACH / DETACH ------------------------------------------------------------------ */

/* A bare name (ATTACH x AS aux) is its text, as in SQLite; anything else
** is evaluated, without any table in scope. */
static void attach_operand(Parse *p, const Expr *e, int reg) {
  if (e->kind == EXPR_COLUMN && !e->table) cg_op4_str(p, OP_String8, (int)strlen(e->text), reg, 0, e->text);
  else cg_expr(p, e, reg);
}

void cg_attach(Parse *p, const Stmt *st) {
  int r = cg_regs(p, 2);
  cg_begin_program(p);
  if (st->kind == STMT_ATTACH) {
    attach_operand(p, st->attach_file, r);
    attach_operand(p, st->attach_name, r + 1);
    cg_op(p, OP_Attach, r, r + 1, 0);
  } else {
    attach_operand(p, st->attach_name, r);
    cg_op(p, OP_Detach, r, 0, 0);
  }
  cg_end_program(p);
}

const char *cg_schema_table_name(const Table *t) { return t->db == CONN_DB_TEMP ? "sqlite_temp_master" : "sqlite_master"; }

const char *cg_explain_name_of(Parse *p, const char *schema, const char *name, const char *alias) {
  if (alias || !name) return NULL;
  size_t ns = schema ? strlen(schema) : 0, nn = strlen(name);
  char *q = arena_alloc(&p->arena, ns + nn + 2);
  if (!q) return NULL;
  if (schema) {
    memcpy(q, schema, ns);
    q[ns++] = '.';
  }
  memcpy(q + ns, name, nn + 1);
  return q;
}

const char *cg_explain_name(Parse *p, const SrcItem *src) {
  return cg_explain_name_of(p, src->schema_implied ? NULL : src->schema, src->name, src->alias);
}
