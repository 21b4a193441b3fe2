/*
** auth.c — the authorizer's questions that come from compiling a statement
** (sqlite3_set_authorizer; the questions about the statement's own action
** and about DDL are capi/auth.c's).
**
** SQLite asks while it resolves names and while it codes, and an answer
** changes the code: SQLITE_IGNORE makes a column reference or a function
** call read as NULL, SQLITE_DENY fails the prepare.  So the questions are
** asked here, through the connection's auth upcall, when:
**   - a column reference of an expression is bound to a column of a table,
**     view or virtual table, or to a trigger's OLD/NEW row (SQLITE_READ with
**     the table and the column, the rowid as "ROWID" or its INTEGER PRIMARY
**     KEY's name): once per reference (Expr.auth_done), in SQLite's order
**     of resolution for a query's clauses (cg_auth_early: LIMIT, results,
**     HAVING, WHERE, ON, ORDER BY, GROUP BY);
**   - a function call is met (SQLITE_FUNCTION), before its arguments;
**   - a row change starts, the statement's or a trigger step's (SQLITE_INSERT,
**     SQLITE_DELETE; SQLITE_UPDATE per SET column, after that value's reads);
**   - a foreign key is checked (the parent or child key's columns);
**   - REINDEX rebuilds an index, ANALYZE reads a table.
** The fourth argument names the trigger, view or CTE whose text is being
** coded (Parse.auth_ctx).
**
** SQLite asks SQLITE_SELECT for each query as it codes it, after the
** statement's names are resolved, and then SQLITE_READ with an empty
** column for each table of the query whose columns no expression names.
** Those questions are kept as AuthPending records in the order the queries
** start and asked once the statement is compiled (cg_auth_flush), or before
** a trigger program is compiled for what is complete by then; the records
** of code compiled on trial and dropped are dropped with it.  The
** statement's own SELECT (asked by capi before compiling) and the selects
** SQLite codes as statements of their own (INSERT's, a trigger's SELECT
** step: Parse.auth_live) are asked about as they start.
**
** With an authorizer, codegen leaves views and subqueries unflattened and
** pushes no WHERE terms into them, so that what is asked follows the query
** as written (SQLite asks before it rewrites anything).
*/
#include <string.h>

#include "codegen/cg.h"

typedef struct AuthPending {
  struct AuthPending *next;
  int action;        /* CONN_AUTH_SELECT, CONN_AUTH_RECURSIVE, or 0: none of its own */
  const char *ctx;
  int finished;      /* its query is coded: the tables it read nothing of are known */
  int asked;         /* its questions were asked */
  int nunread;
  const char **unread; /* the tables (their authorizer names) it read no column of */
} AuthPending;

int cg_auth_active(const Parse *p) {
  return p->auth && !p->auth_off && !p->pure_place && !p->in_generated && !p->in_default && !p->code_never_runs &&
         !p->rename;
}

/* The table name the authorizer hears for t: the schema table by its legacy
** name, as SQLite names it. */
static const char *table_name(const Table *t) {
  return t->root == BTREE_SCHEMA_ROOT ? cg_schema_table_name(t) : t->name;
}

int cg_auth_ask(Parse *p, int action, const char *a, const char *b, const char *zdb) {
  if (p->rc != LODE_OK) return p->rc;
  const ConnUpcalls *up = p->db->up;
  int answer = up && up->auth ? up->auth(p->db, action, a, b, zdb, p->auth_ctx) : CONN_AUTH_OK;
  if (answer == CONN_AUTH_OK) return LODE_OK;
  if (answer == CONN_AUTH_IGNORE) return CG_AUTH_IGNORE;
  if (answer != CONN_AUTH_DENY) return cg_error(p, LODE_ERROR, "authorizer malfunction");
  if (action == CONN_AUTH_READ && zdb) { /* (no database: a table none of whose columns is read) */
    /* The database is named once another is attached, or when it is not main. */
    if (p->db->ndb > 2 || util_stricmp(zdb, "main") != 0)
      return cg_error(p, LODE_AUTH, "access to %s.%s.%s is prohibited", zdb, a, b);
    return cg_error(p, LODE_AUTH, "access to %s.%s is prohibited", a, b);
  }
  if (action == CONN_AUTH_FUNCTION) return cg_error(p, LODE_ERROR, "not authorized to use function: %s", b);
  return cg_error(p, LODE_AUTH, "not authorized");
}

/* Makes e a NULL literal, in place (an answer of SQLITE_IGNORE). */
static void make_null(Expr *e) {
  e->kind = EXPR_NULL;
  e->bound = 0;
  e->args = NULL;
  e->left = e->right = e->escape = e->filter = NULL;
  e->over = NULL;
  e->agg_order = NULL;
  e->select = NULL;
}

int cg_auth_read(Parse *p, Expr *e, ScopeItem *it, int col) {
  const Table *t = it->table;
  if (col >= 0 && t && col != t->ipk) it->auth_read = 1; /* the rowid by any name is no column read */
  if (e->auth_done || !cg_auth_active(p) || !t) return 0;
  const char *name, *zdb;
  if (it->view_name) {
    name = it->view_name;
    zdb = cg_db_name(p, it->view_db - 1);
  } else if (it->sorter >= 0) {
    return 0; /* a FROM subquery's or CTE's column: no table of the schema */
  } else {
    name = table_name(t);
    zdb = cg_db_name(p, t->db);
  }
  e->auth_done = 1;
  if (col < 0 && t->ipk >= 0) col = t->ipk; /* the rowid goes by its INTEGER PRIMARY KEY's name */
  const char *cname = col >= 0 && col < t->ncols ? t->cols[col].name : "ROWID";
  if (cg_auth_ask(p, CONN_AUTH_READ, name, cname, zdb) != CG_AUTH_IGNORE) return 0;
  make_null(e);
  return 1;
}

/* The name the authorizer hears for call e: the function's own (as it was
** registered), whatever case the call wrote; NULL when there is no such
** function (the error comes when the call is coded). */
static const char *call_name(Parse *p, const Expr *e) {
  int nargs = e->star ? 0 : e->args ? e->args->n : 0, exists = 0;
  const FuncDef *f = func_lookup(p->db->funcs, e->text, nargs, &exists);
  if (f) return f->name;
  if (!func_window_find(e->text, nargs, &exists) && !(nargs == 2 && util_stricmp(e->text, "match") == 0)) return NULL;
  char *lower = arena_strndup(&p->arena, e->text, strlen(e->text));
  for (char *c = lower; c && *c; c++)
    if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
  return lower;
}

int cg_auth_function(Parse *p, const Expr *e) {
  if (e->kind != EXPR_FUNCTION || e->auth_done || !cg_auth_active(p)) return 0;
  const char *name = call_name(p, e);
  if (!name) return 0;
  ((Expr *)e)->auth_done = 1;
  if (cg_auth_ask(p, CONN_AUTH_FUNCTION, NULL, name, NULL) != CG_AUTH_IGNORE) return 0;
  make_null((Expr *)e);
  return 1;
}

static void early_window(Parse *p, const Window *w) {
  if (!w) return;
  for (int i = 0; w->partition && i < w->partition->n; i++) cg_auth_early(p, w->partition->items[i]);
  for (int i = 0; i < w->norder; i++) cg_auth_early(p, w->order_by[i].expr);
}

void cg_auth_early(Parse *p, const Expr *e) {
  if (!e || p->rc != LODE_OK || !cg_auth_active(p)) return;
  switch (e->kind) {
  case EXPR_COLUMN: {
    int cursor, col;
    Table *t;
    if (!e->auth_done) cg_try_resolve_column(p, e, &cursor, &col, &t); /* quietly: errors come when coded */
    return;
  }
  case EXPR_FUNCTION:
    if (cg_auth_function(p, e)) return;
    for (int i = 0; e->args && i < e->args->n; i++) cg_auth_early(p, e->args->items[i]);
    for (int i = 0; e->agg_order && i < e->agg_order->n; i++) cg_auth_early(p, e->agg_order->items[i]);
    early_window(p, e->over);
    cg_auth_early(p, e->filter);
    return;
  case EXPR_SUBQUERY:
  case EXPR_EXISTS: return; /* its names resolve in its own scope, when it is coded */
  case EXPR_IN_SELECT: cg_auth_early(p, e->left); return;
  default: break;
  }
  cg_auth_early(p, e->left);
  cg_auth_early(p, e->right);
  cg_auth_early(p, e->escape);
  for (int i = 0; e->args && i < e->args->n; i++) cg_auth_early(p, e->args->items[i]);
}

void cg_auth_calls(Parse *p, const Expr *e) {
  if (!e || p->rc != LODE_OK || !cg_auth_active(p)) return;
  if (e->kind == EXPR_SUBQUERY || e->kind == EXPR_EXISTS) return;
  if (e->kind == EXPR_FUNCTION && cg_auth_function(p, e)) return;
  cg_auth_calls(p, e->left);
  cg_auth_calls(p, e->right);
  cg_auth_calls(p, e->escape);
  cg_auth_calls(p, e->filter);
  for (int i = 0; e->args && i < e->args->n; i++) cg_auth_calls(p, e->args->items[i]);
  for (int i = 0; e->agg_order && i < e->agg_order->n; i++) cg_auth_calls(p, e->agg_order->items[i]);
}

/* Whether e is a bare name of one of s's result aliases (ORDER BY, GROUP BY
** and HAVING may name those; such a name is left to be resolved as coded). */
static int names_alias(const Select *s, const Expr *e) {
  if (!e || e->kind != EXPR_COLUMN || e->table || !s->columns || !s->columns->names) return 0;
  for (int i = 0; i < s->columns->n; i++)
    if (s->columns->names[i] && util_stricmp(s->columns->names[i], e->text) == 0) return 1;
  return 0;
}

void cg_auth_early_clauses(Parse *p, const Select *s) {
  if (!cg_auth_active(p)) return;
  if (!names_alias(s, s->having)) cg_auth_early(p, s->having);
  cg_auth_early(p, s->where);
  for (int i = 0; s->from && i < s->from->n; i++) cg_auth_early(p, s->from->items[i].on);
  for (int i = 0; i < s->norder; i++)
    if (!names_alias(s, s->order_by[i].expr)) cg_auth_early(p, s->order_by[i].expr);
  for (int i = 0; s->group_by && i < s->group_by->n; i++)
    if (!names_alias(s, s->group_by->items[i])) cg_auth_early(p, s->group_by->items[i]);
}

/* ---- the questions asked as queries are coded -------------------------------------------- */

AuthPending *cg_auth_pending(Parse *p, int action) {
  if (!cg_auth_active(p)) return NULL;
  AuthPending **tail = &p->auth_pending;
  while (*tail) tail = &(*tail)->next;
  AuthPending *r = arena_alloc(&p->arena, sizeof *r);
  if (!r) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  memset(r, 0, sizeof *r);
  r->action = action;
  r->ctx = p->auth_ctx;
  r->finished = action == CONN_AUTH_RECURSIVE;
  *tail = r;
  return r;
}

AuthPending *cg_auth_mark(Parse *p) {
  AuthPending *r = p->auth_pending;
  while (r && r->next) r = r->next;
  return r;
}

void cg_auth_truncate(Parse *p, AuthPending *mark) {
  if (mark) mark->next = NULL;
  else p->auth_pending = NULL;
}

AuthPending *cg_auth_select_begin(Parse *p, const Select *s) {
  if (!cg_auth_active(p)) return NULL;
  int action = CONN_AUTH_SELECT;
  if (s == p->auth_top) {
    action = 0; /* asked before the statement was compiled */
  } else if (s == p->auth_live) {
    p->auth_live = NULL;
    if (cg_auth_ask(p, CONN_AUTH_SELECT, NULL, NULL, NULL) != LODE_OK && p->rc != LODE_OK) return NULL;
    action = 0;
  }
  return cg_auth_pending(p, action);
}

void cg_auth_select_end(Parse *p, AuthPending *r, const Scope *scope) {
  if (!r || p->rc != LODE_OK) return;
  r->nunread = 0;
  r->unread = scope && scope->n ? arena_alloc(&p->arena, sizeof(char *) * (size_t)scope->n) : NULL;
  for (int i = 0; r->unread && i < scope->n; i++) {
    const ScopeItem *it = &scope->items[i];
    if (it->auth_read || it->sorter >= 0 || it->qualified_only || !it->table) continue;
    r->unread[r->nunread++] = table_name(it->table);
  }
  r->finished = 1;
}

void cg_auth_flush(Parse *p, int all) {
  const char *saved = p->auth_ctx;
  for (AuthPending *r = p->auth_pending; r && p->rc == LODE_OK; r = r->next) {
    if (r->asked) continue;
    if (!r->finished && !all) break;
    r->asked = 1;
    p->auth_ctx = r->ctx;
    if (r->action) cg_auth_ask(p, r->action, NULL, NULL, NULL);
    for (int i = 0; i < r->nunread && p->rc == LODE_OK; i++) cg_auth_ask(p, CONN_AUTH_READ, r->unread[i], "", NULL);
  }
  p->auth_ctx = saved;
}

/* ---- row changes ---------------------------------------------------------------------------- */

int cg_auth_change(Parse *p, int action, const char *zdb, const char *name) {
  if (!cg_auth_active(p)) return 0;
  View *v = cg_find_view_first(p, zdb, name);
  const Table *t = v ? NULL : cg_lookup_table(p, zdb, name);
  if (!v && !t) return 0; /* the statement's error comes next */
  int rc = cg_auth_ask(p, action, v ? v->name : table_name(t), NULL, cg_db_name(p, v ? v->db : t->db));
  if (rc == LODE_OK) return 0;
  /* SQLITE_IGNORE: an INSERT is not coded (the statement does nothing, a
  ** trigger's step is left out), as SQLite codes nothing for it; a DELETE
  ** deletes all the same, as in SQLite. */
  if (rc != CG_AUTH_IGNORE) return 1;
  if (action == CONN_AUTH_DELETE) return 0;
  if (!p->trigger) p->auth_noop = 1;
  return 1;
}

void cg_auth_new_table(Parse *p, const char *name, int db) {
  const char *zdb = cg_db_name(p, db), *schema = db == CONN_DB_TEMP ? "sqlite_temp_master" : "sqlite_master";
  static const char *const filled[] = {"type", "name", "tbl_name", "rootpage", "sql"};
  if (!cg_auth_active(p)) return;
  cg_auth_ask(p, CONN_AUTH_INSERT, schema, NULL, zdb);
  cg_auth_ask(p, db == CONN_DB_TEMP ? CONN_AUTH_CREATE_TEMP_TABLE : CONN_AUTH_CREATE_TABLE, name, NULL, zdb);
  for (size_t i = 0; i < sizeof filled / sizeof filled[0]; i++)
    cg_auth_ask(p, CONN_AUTH_UPDATE, schema, filled[i], zdb);
  cg_auth_ask(p, CONN_AUTH_READ, schema, "ROWID", zdb);
}
