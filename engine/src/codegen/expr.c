/*
** expr.c — expressions to bytecode: values into registers, conditions into
** jumps, name resolution of column references, affinity and collation of
** comparisons (SQLite's rules from "Datatypes In SQLite", section 4.2).
*/
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codegen/cg.h"
#include "sql/parser.h"

/* ---- small helpers ---------------------------------------------------------- */

static int cg_verror(Parse *p, const Expr *e, int rc, const char *fmt, va_list ap) {
  if (p->rc == LODE_OK) {
    char buf[600];
    vsnprintf(buf, sizeof buf, fmt, ap);
    p->rc = rc;
    p->errmsg = util_strdup(buf);
    p->err_at = e && p->view_depth == 0 && !p->trigger ? e->offset + 1 : 0;
  }
  return rc;
}

int cg_error(Parse *p, int rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cg_verror(p, NULL, rc, fmt, ap);
  va_end(ap);
  return rc;
}

int cg_error_at(Parse *p, const Expr *e, int rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cg_verror(p, e, rc, fmt, ap);
  va_end(ap);
  return rc;
}

int cg_reg(Parse *p) { return ++p->nmem; }

int cg_regs(Parse *p, int n) {
  int first = p->nmem + 1;
  p->nmem += n > 0 ? n : 1;
  return first;
}

int cg_cursor(Parse *p) { return p->ncursor++; }

int cg_op(Parse *p, int opcode, int p1, int p2, int p3) {
  int addr = vdbe_add_op(p->v, opcode, p1, p2, p3);
  if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
  return addr;
}

int cg_op4_str(Parse *p, int opcode, int p1, int p2, int p3, const char *z) {
  int addr = vdbe_add_op4(p->v, opcode, p1, p2, p3, P4_STRING, z, (int)strlen(z));
  if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
  return addr;
}

int cg_is_rowid_name(const char *name) {
  return util_stricmp(name, "rowid") == 0 || util_stricmp(name, "oid") == 0 || util_stricmp(name, "_rowid_") == 0;
}

static const ScopeItem *scope_item_of(Parse *p, int cursor);

/* ---- names ----------------------------------------------------------------- */

/* A column of the schema table (not aliased) may also be qualified by its
** newer name: sqlite_schema, or sqlite_temp_schema in temp, where
** temp.sqlite_master and temp.sqlite_schema name it too. */
static int names_schema_table(const ScopeItem *it, const Expr *e) {
  if (it->aliased || it->sorter >= 0 || it->vtab || !it->table || it->table->root != BTREE_SCHEMA_ROOT) return 0;
  if (it->table->db != CONN_DB_TEMP) return util_stricmp(e->table, "sqlite_schema") == 0;
  return util_stricmp(e->table, "sqlite_temp_schema") == 0 ||
         (e->schema && (util_stricmp(e->table, "sqlite_master") == 0 || util_stricmp(e->table, "sqlite_schema") == 0));
}

/* Column of item it that e names, -1 for the rowid, -2 for none, -3 for
** two (ambiguous).  An item of FROM ( join ) shows its columns also by their
** tables' names.  columns_only: a rowid name matches a column of that name
** only, not the rowid itself. */
static int item_column(const ScopeItem *it, const Expr *e, int want_db, int columns_only) {
  int c;
  /* schema.table.column: a table of that database only (an eponymous
  ** virtual table is main's) */
  if (e->schema && !it->nested_col) {
    if (it->no_schema) return -2;
    /* A FROM subquery or CTE belongs to no database; a view to its own. */
    int db = it->view_db ? it->view_db - 1 : it->sorter >= 0 ? -1 : it->vtab ? CONN_DB_MAIN : it->table->db;
    if (want_db < 0 || db != want_db) return -2;
  }
  if (it->nested_col && !e->bound_column) {
    int found = -2, alias = !e->schema && e->table && util_stricmp(e->table, it->name) == 0;
    for (c = 0; c < it->table->ncols; c++) {
      const char *tab = it->nested_tab[c], *name = it->nested_col[c];
      int match;
      if (alias) match = util_stricmp(it->table->cols[c].name, e->text) == 0;
      else match = name && util_stricmp(name, e->text) == 0 && (!e->table || (tab && util_stricmp(tab, e->table) == 0));
      /* schema.t.c: the column of t in that database */
      if (match && e->schema) match = want_db >= 0 && it->nested_db && it->nested_db[c] == want_db;
      if (match && !e->table && it->nested_hidden && it->nested_hidden[c]) match = 0; /* the USING column once */
      if (!match) continue;
      if (found >= 0) return -3;
      found = c;
    }
    return found;
  }
  if (e->table && util_stricmp(e->table, it->name) != 0 && !names_schema_table(it, e)) return -2;
  c = e->bound_column ? e->bound_column - 1 : table_column_index(it->table, e->text);
  /* An unqualified rowid names the rowid of the one FROM item that has one
  ** (a table's, not a subquery's); with two such items it is ambiguous, as
  ** in SQLite 3.53 (3.40 found no such column once FROM had two items). */
  if (c < 0 && !columns_only && cg_is_rowid_name(e->text) && !it->table->without_rowid && it->sorter < 0 &&
      !it->no_rowid)
    return -1;
  if (c < 0) return -2;
  return c == it->table->ipk ? -1 : c;
}

static int names_using(const ScopeItem *it, const char *name) {
  for (int k = 0; k < it->nusing; k++)
    if (util_stricmp(it->using_cols[k], name) == 0) return 1;
  return 0;
}

/* Finds the column e names in the scope chain, innermost query first:
** LOOKUP_FOUND with its binding, LOOKUP_NONE, or LOOKUP_AMBIGUOUS when two
** items of one query have it.  An unqualified rowid name is a column of
** that name if a FROM item of the query has one, else a rowid.  Two items may have an unqualified name when
** the later joins the earlier USING it: the name then reads the earlier
** one's column, or after a RIGHT join the later one's, or after a FULL join
** the coalesce of both: their items and columns into fj[] (*nfj of them;
** cg_join_prepare makes those of a query's own references beforehand). */
enum { LOOKUP_NONE, LOOKUP_FOUND, LOOKUP_AMBIGUOUS, LOOKUP_REWRITTEN };
static int scope_lookup(const Parse *p, const Scope *scope, const Expr *e, int want_db, int *depth, int *item, int *col,
                        int fj[][2], int *nfj) {
  int d = 0, found = 0;
  *nfj = 0;
  int rowid_name = !e->table && !e->bound_column && cg_is_rowid_name(e->text);
  for (const Scope *s = scope; s && !found; s = s->outer, d++) {
    /* A joined EXISTS subquery's table, seen from inside that subquery's
    ** WHERE: the subquery's own FROM, searched before the query's. */
    const ExistsReveal *r = p->exists_reveal;
    while (r && r->scope != s) r = r->next;
    for (int pass = !rowid_name; r && pass < 2 && !found; pass++) {
      int c = item_column(&s->items[r->item], e, want_db, pass == 0);
      if (c == -3) return LOOKUP_AMBIGUOUS;
      if (c == -2) continue;
      found = 1;
      *depth = d;
      *item = r->item;
      *col = c;
    }
    for (int pass = !rowid_name; pass < 2 && !found; pass++) {
      for (int i = 0; i < s->n; i++) {
        const ScopeItem *it = &s->items[i];
        if (!e->table && it->qualified_only) continue; /* a trigger's OLD/NEW row: old.x / new.x only */
        int c = item_column(it, e, want_db, pass == 0);
        if (c == -2) continue;
        if (found) {
          /* Two items with the column: one USING joins it to the other (even
          ** as t.a, with both items named t), else the name is ambiguous. */
          if (e->bound_column || !names_using(it, e->text)) return LOOKUP_AMBIGUOUS;
          if (it->join_type != JOIN_RIGHT && it->join_type != JOIN_FULL) continue;
        }
        if (c == -3) return LOOKUP_AMBIGUOUS;
        if (found && it->join_type == JOIN_FULL) {
          if (*nfj == 0) fj[(*nfj)++][0] = *item, fj[0][1] = *col;
          fj[*nfj][0] = i;
          fj[(*nfj)++][1] = c;
          continue;
        }
        *nfj = 0; /* a RIGHT join's column replaces them */
        found = 1;
        *depth = d;
        *item = i;
        *col = c;
      }
    }
  }
  return found ? LOOKUP_FOUND : LOOKUP_NONE;
}

/* A reference from a subquery to a column a FULL join USING made: the node
** becomes the coalesce of the sides' columns (bound), in place. */
static int full_join_value(Parse *p, const Expr *e, int depth, int fj[][2], int nfj) {
  const Scope *s = p->scope;
  for (int d = 0; d < depth; d++) s = s->outer;
  ExprList *args = arena_alloc(&p->arena, sizeof *args);
  if (!args || !(args->items = arena_alloc(&p->arena, sizeof(Expr *) * (size_t)nfj))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return LOOKUP_NONE;
  }
  for (int k = 0; k < nfj; k++) {
    Expr *a = arena_alloc(&p->arena, sizeof *a);
    if (!a) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return LOOKUP_NONE;
    }
    const ScopeItem *it = &s->items[fj[k][0]];
    int col = fj[k][1];
    a->kind = EXPR_COLUMN;
    a->table = it->name;
    a->text = e->text;
    a->n = e->n;
    a->bound = 1;
    a->bind_depth = depth;
    a->bind_item = fj[k][0];
    a->bind_col = col;
    a->bind_affinity = col < 0 ? AFF_INTEGER : it->table->cols[col].affinity;
    a->bind_coll = col < 0 ? COLL_BINARY : it->table->cols[col].coll;
    args->items[args->n++] = a;
  }
  Expr *w = (Expr *)e;
  w->kind = EXPR_FUNCTION;
  w->text = "coalesce";
  w->n = 8;
  w->op = FUNC_AFF_FIRST;
  w->table = NULL;
  w->args = args;
  return LOOKUP_REWRITTEN;
}

static int bind_column(Parse *p, const Expr *e);

/* Binds every column of a copied alias expression in scope s, depth levels
** out: 0 when one of them is not found there. */
static int bind_at_depth(Parse *p, const Scope *s, int depth, const Expr *e) {
  if (!e) return 1;
  if (e->kind == EXPR_COLUMN) {
    const Scope *saved = p->scope;
    p->scope = (Scope *)s;
    int r = bind_column(p, e);
    p->scope = (Scope *)saved;
    if (r != LOOKUP_FOUND || !e->bound) return 0;
    ((Expr *)e)->bind_depth += depth;
    return 1;
  }
  if (!bind_at_depth(p, s, depth, e->left) || !bind_at_depth(p, s, depth, e->right) ||
      !bind_at_depth(p, s, depth, e->escape) || !bind_at_depth(p, s, depth, e->filter))
    return 0;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (!bind_at_depth(p, s, depth, e->args->items[i])) return 0;
  return 1;
}

static int plain_alias_expr(Parse *p, const Expr *e) {
  if (!e) return 1;
  if (e->select || e->over || (e->kind == EXPR_FUNCTION && cg_expr_has_aggregate(p, e))) return 0;
  if (!plain_alias_expr(p, e->left) || !plain_alias_expr(p, e->right) || !plain_alias_expr(p, e->escape))
    return 0;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (!plain_alias_expr(p, e->args->items[i])) return 0;
  return 1;
}

/* A bare name no FROM item has, inside a subquery of a query's WHERE, GROUP
** BY, HAVING or ORDER BY: that query's result alias of the name, as SQLite
** resolves it.  e becomes a copy of the aliased expression bound where the
** alias stands (LOOKUP_REWRITTEN), or stays (LOOKUP_NONE).  The query's own
** clauses had their aliases put in place before they were coded
** (select.c); an alias over an aggregate, a window call or a subquery is not
** reached from inside a subquery. */
static int outer_alias(Parse *p, const Expr *e) {
  if (e->table || e->schema || e->bound_column) return LOOKUP_NONE;
  int depth = 1;
  for (const Scope *s = p->scope ? p->scope->outer : NULL; s; s = s->outer, depth++) {
    const AliasFrame *f = p->aliases;
    while (f && f->scope != s) f = f->next;
    if (!f || f->hidden || !f->select->columns->names) continue;
    const Select *q = f->select;
    for (int i = 0; i < q->columns->n; i++) {
      const char *name = q->columns->names[i];
      if (!name || util_stricmp(name, e->text) != 0) continue;
      /* SQLite finds the alias, and refuses a window call's from a subquery. */
      if (cg_first_window_call(q->columns->items[i])) {
        cg_error(p, LODE_ERROR, "misuse of aliased window function %s", name);
        return LOOKUP_NONE;
      }
      if (!plain_alias_expr(p, q->columns->items[i])) return LOOKUP_NONE;
      Expr *copy = ast_copy_expr(&p->arena, q->columns->items[i]);
      if (!copy) {
        cg_error(p, LODE_NOMEM, "out of memory");
        return LOOKUP_NONE;
      }
      if (!bind_at_depth(p, s, depth, copy)) return LOOKUP_NONE;
      *(Expr *)e = *copy; /* in place: the parent keeps pointing at it */
      return LOOKUP_REWRITTEN;
    }
  }
  return LOOKUP_NONE;
}

/* The binding of e, looked up once and kept in the node (name resolution
** happens once per reference; later uses read the binding).  Returns
** LOOKUP_* without reporting anything. */
static void note_read_again(Parse *p, const Expr *e);

static int bind_column(Parse *p, const Expr *e) {
  if (e->bound) {
    if (p->auth) note_read_again(p, e);
    return LOOKUP_FOUND;
  }
  if (e->kind != EXPR_COLUMN) return LOOKUP_REWRITTEN;
  int depth = 0, item = 0, col = 0, fj[PLAN_MAX_ITEMS][2], nfj;
  int r = scope_lookup(p, p->scope, e, e->schema ? conn_db_find(p->db, e->schema) : -1, &depth, &item, &col, fj, &nfj);
  if (r == LOOKUP_NONE) return outer_alias(p, e);
  if (r == LOOKUP_FOUND && nfj > 1 && depth > 0) return full_join_value(p, e, depth, fj, nfj);
  if (r == LOOKUP_FOUND) {
    Expr *w = (Expr *)e; /* the binding is an annotation of the tree */
    w->bound = 1;
    w->bind_depth = depth;
    w->bind_item = item;
    w->bind_col = col;
    const Scope *s = p->scope;
    for (int d = 0; d < depth; d++) s = s->outer;
    const Table *t = s->items[item].table;
    w->bind_affinity = col < 0 ? AFF_INTEGER : t->cols[col].affinity;
    if (col >= 0 && s->items[item].col_affs) w->bind_affinity = s->items[item].col_affs[col];
    /* A trigger's old.x / new.x has no affinity in SQLite, its rowid INTEGER. */
    if (s->items[item].qualified_only && col >= 0) w->bind_affinity = 0;
    w->bind_coll = col < 0 ? COLL_BINARY : t->cols[col].coll;
    if (p->rename) cg_rename_note_column(p, e, &s->items[item]);
    /* The authorizer hears of each reference once; SQLITE_IGNORE makes it NULL. */
    if (p->auth && cg_auth_read(p, w, (ScopeItem *)&s->items[item], col)) return LOOKUP_REWRITTEN;
  }
  return r;
}

/* A reference bound before, met again as its query is coded again (a
** subquery's trial compilation first): its item's columns are read. */
static void note_read_again(Parse *p, const Expr *e) {
  const Scope *s = p->scope;
  for (int d = 0; d < e->bind_depth && s; d++) s = s->outer;
  if (!s || e->bind_item >= s->n) return;
  ScopeItem *it = (ScopeItem *)&s->items[e->bind_item];
  if (e->bind_col >= 0 && it->table && e->bind_col != it->table->ipk) it->auth_read = 1;
}

/* The scope item a bound column reads. */
static const ScopeItem *bound_item(Parse *p, const Expr *e) {
  const Scope *s = p->scope;
  for (int d = 0; d < e->bind_depth && s; d++) s = s->outer;
  assert(s && e->bind_item < s->n + s->nexists);
  int level = cg_scope_level(s);
  if (level < p->min_ref_level) p->min_ref_level = level; /* a subquery reading it is correlated */
  return &s->items[e->bind_item];
}

int cg_scope_level(const Scope *s) {
  int n = 0;
  for (; s; s = s->outer) n++;
  return n;
}

int cg_resolve_column(Parse *p, const Expr *e, int *cursor, int *col, Table **table) {
  int r = bind_column(p, e);
  if (r == LOOKUP_AMBIGUOUS) {
    return cg_error_at(p, e, LODE_ERROR, "ambiguous column name: %s%s%s%s%s", e->schema ? e->schema : "",
                       e->schema ? "." : "", e->table ? e->table : "", e->table ? "." : "", e->text);
  }
  if (r == LOOKUP_NONE) {
    if (e->schema) return cg_error_at(p, e, LODE_ERROR, "no such column: %s.%s.%s", e->schema, e->table, e->text);
    if (e->table) return cg_error_at(p, e, LODE_ERROR, "no such column: %s.%s", e->table, e->text);
    if (e->quoted) /* a string with the wrong quotes (the fallback is off), as SQLite suggests */
      return cg_error_at(p, e, LODE_ERROR, "no such column: \"%s\" - should this be a string literal in single-quotes?",
                         e->text);
    return cg_error_at(p, e, LODE_ERROR, "no such column: %s", e->text);
  }
  if (r == LOOKUP_REWRITTEN) { /* e is no column now: the caller looks at e again */
    *cursor = -1;
    *col = 0;
    *table = NULL;
    return LODE_OK;
  }
  const ScopeItem *it = bound_item(p, e);
  *cursor = it->cursor;
  *col = e->bind_col;
  *table = it->table;
  return LODE_OK;
}

int cg_try_resolve_column(Parse *p, const Expr *e, int *cursor, int *col, Table **table) {
  if (bind_column(p, e) != LOOKUP_FOUND) return 0;
  const ScopeItem *it = bound_item(p, e);
  *cursor = it->cursor;
  *col = e->bind_col;
  *table = it->table;
  return 1;
}

int cg_names_local_column(Parse *p, const Expr *e) {
  const Scope *s = p->scope;
  for (int i = 0; s && i < s->n; i++) {
    const ScopeItem *it = &s->items[i];
    if (!e->table && it->qualified_only) continue;
    if (item_column(it, e, -1, 0) != -2) return 1;
  }
  return 0;
}

int cg_column_origin(Parse *p, const Expr *e, ColumnOrigin *o) {
  int cursor, col;
  Table *t;
  if (!e || e->kind != EXPR_COLUMN || !cg_try_resolve_column(p, e, &cursor, &col, &t) || !t) return 0;
  const ScopeItem *it = scope_item_of(p, cursor);
  if (!it) return 0;
  if (it->sorter >= 0) { /* a subquery's column (its rowid reads NULL: none) */
    if (col < 0 || !it->col_origins || !it->col_origins[col].column) return 0;
    *o = it->col_origins[col];
    return 1;
  }
  Schema *schema = cg_db_schema(p, t->db);
  if (schema && schema_find_table(schema, t->name) == t) {
    o->database = cg_db_name(p, t->db);
  } else if (it->vtab && col >= 0) { /* an eponymous virtual table (json_each): main's, named after its module */
    o->database = cg_db_name(p, CONN_DB_MAIN);
  } else {
    return 0;
  }
  o->table = t->name;
  /* The schema table goes by its legacy name there, as in SQLite. */
  if (!it->vtab && util_stricmp(t->name, "sqlite_schema") == 0)
    o->table = t->db == CONN_DB_TEMP ? "sqlite_temp_master" : "sqlite_master";
  if (col < 0 && t->ipk >= 0) col = t->ipk; /* the rowid by any of its names is its alias column */
  o->column = col >= 0 ? t->cols[col].name : "rowid";
  o->decltype_ = col >= 0 ? t->cols[col].decltype_ : "INTEGER";
  return 1;
}

/* Whether a "double-quoted" name may fall back to a string here.  The
** expressions a CREATE TABLE or CREATE INDEX checks follow
** SQLITE_DBCONFIG_DQS_DDL; once in the schema they keep what they were
** resolved to (SQLite resolves them as it reads the schema, where the
** fallback is always on), as does ALTER's rewriting of schema text.  ALTER's
** check of a changed table takes a quoted name for a string only when it
** named no column before (SQLite has made those literals by then): the name
** of a dropped column is an error.  Under PRAGMA writable_schema (unless
** defensive) the DDL's expressions follow DQS_DML as well, as SQLite lets a
** schema be written that it would load.  Every other statement, a view's
** SELECT and a trigger's body included, follows SQLITE_DBCONFIG_DQS_DML. */
static int schema_writable(const Parse *p) {
  return p->db->settings[CONN_SET_WRITABLE_SCHEMA] && !p->db->defensive;
}

static int dqs_allowed(const Parse *p, const Expr *e) {
  if (p->ddl_check == DDL_CHECK_ALTERED) return !p->ddl_old || table_column_index(p->ddl_old, e->text) < 0;
  if (p->rename) return 1;
  if (p->ddl_check) return !p->db->no_dqs_ddl || (schema_writable(p) && !p->db->no_dqs_dml);
  if (p->in_generated || p->in_default || p->pure_place || p->fk_nested || p->code_never_runs) return 1;
  return !p->db->no_dqs_dml;
}

/* A "double-quoted" name that is no column reads as a string (SQLite's
** fallback for misused quotes). */
static int is_string_fallback(Parse *p, const Expr *e) {
  int yes = e->kind == EXPR_COLUMN && e->quoted && !e->table && dqs_allowed(p, e) && bind_column(p, e) == LOOKUP_NONE;
  if (yes && p->rename) cg_rename_note_literal(p, e);
  return yes;
}

/* TRUE and FALSE: 1 and 0, unless a column has that name (as in SQLite,
** they are names first).  Returns 1 or 0, or -1 for anything else. */
static int bool_literal(Parse *p, const Expr *e) {
  if (e->kind != EXPR_COLUMN || e->quoted || e->table) return -1;
  int is_true = util_stricmp(e->text, "true") == 0;
  if (!is_true && util_stricmp(e->text, "false") != 0) return -1;
  return bind_column(p, e) == LOOKUP_NONE ? is_true : -1;
}

/* The right operand of "x IS TRUE" / "x IS FALSE", which may carry a COLLATE
** (it changes nothing there): 1 or 0, or -1 when it is not such a literal. */
static int is_operand_bool(Parse *p, const Expr *e) {
  while (e && e->kind == EXPR_COLLATE) e = e->left;
  return e ? bool_literal(p, e) : -1;
}

int cg_column_is_literal(Parse *p, const Expr *e) {
  return e->kind == EXPR_COLUMN && (is_string_fallback(p, e) || bool_literal(p, e) >= 0);
}

void cg_bind_names(Parse *p, const Expr *e) {
  if (!e || p->rc != LODE_OK) return;
  if (e->kind == EXPR_COLUMN) {
    int cursor, col;
    Table *t;
    if (!is_string_fallback(p, e) && bool_literal(p, e) < 0) cg_resolve_column(p, e, &cursor, &col, &t);
    return;
  }
  /* Subqueries resolve against their own FROM when they are coded. */
  cg_bind_names(p, e->left);
  cg_bind_names(p, e->right);
  cg_bind_names(p, e->escape);
  for (int i = 0; e->args && i < e->args->n; i++) cg_bind_names(p, e->args->items[i]);
}

static const FuncDef *lookup_function(Parse *p, const Expr *e, int nargs);

/* Whether a plain call (no window, no ALTER TABLE rename, no schema text)
** names no function taking its number of arguments. */
static int call_fails_lookup(Parse *p, const Expr *e) {
  int nargs = e->args ? e->args->n : 0, exists = 0;
  if (e->over || p->rename || p->in_default || e->from_ddl || util_stricmp(e->text, "match") == 0) return 0;
  if (nargs > p->db->limits[LODE_LIMIT_FUNCTION_ARG]) return 0;
  return !func_lookup(p->db->funcs, e->text, nargs, &exists) && !func_window_find(e->text, nargs, &exists);
}

/* SQLite's resolver walk over e, for which name it reports: operands left
** to right; a failing name ends the walk of the expression around it,
** except that a function call (a LIKE is one: pattern first) walks its own
** arguments and only that list ends; once a name has failed, any operator
** or literal met ends the walk too; "x IS name" looks its bare right-hand name
** up before x.  The last failure seen is the one reported.  Returns 1 when the enclosing walk stops. */
static int sqlite_order_walk(Parse *p, const Expr *e, const Expr **bad) {
  if (!e) return 0;
  switch (e->kind) {
  case EXPR_COLUMN: {
    if (is_string_fallback(p, e) || bool_literal(p, e) >= 0) return 0;
    int r = bind_column(p, e);
    if (r == LOOKUP_FOUND || r == LOOKUP_REWRITTEN) return 0;
    *bad = e;
    return 1;
  }
  case EXPR_FUNCTION:
    /* The call itself is looked up before its arguments: an unknown one, or
    ** one given the wrong number of them, is a failure that a bare name in
    ** its arguments still overrides. */
    if (!*bad && call_fails_lookup(p, e)) *bad = e;
    for (int i = 0; e->args && i < e->args->n; i++)
      if (sqlite_order_walk(p, e->args->items[i], bad)) break;
    return 0;
  case EXPR_LIKE:
    if (!sqlite_order_walk(p, e->right, bad) && !sqlite_order_walk(p, e->left, bad)) sqlite_order_walk(p, e->escape, bad);
    return 0;
  case EXPR_IS: {
    /* "x IS name" looks the bare name up first (it may be TRUE or FALSE). */
    const Expr *r = e->right;
    while (r && r->kind == EXPR_COLLATE) r = r->left;
    if (!*bad && r && r->kind == EXPR_COLUMN && !r->table && sqlite_order_walk(p, r, bad)) return 1;
    break;
  }
  default: break;
  }
  if (*bad) return 1;
  if (sqlite_order_walk(p, e->left, bad)) return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (sqlite_order_walk(p, e->args->items[i], bad)) return 1;
  return sqlite_order_walk(p, e->right, bad) || sqlite_order_walk(p, e->escape, bad);
}

int cg_check_names(Parse *p, const Expr *e) {
  const Expr *bad = NULL;
  if (!e || p->rc != LODE_OK) return p->rc == LODE_OK;
  sqlite_order_walk(p, e, &bad);
  if (bad && bad->kind == EXPR_FUNCTION) {
    lookup_function(p, bad, bad->args ? bad->args->n : 0); /* reports it */
  } else if (bad) {
    int cursor, col;
    Table *t;
    cg_resolve_column(p, bad, &cursor, &col, &t); /* reports it */
  }
  return p->rc == LODE_OK;
}

/* The constant DEFAULT of a column as a Mem (*ok = 0 when it has none or
** it is not a literal): a record written before ALTER TABLE ADD COLUMN is
** shorter than the table and reads the added columns' defaults. */
static int hex_digit(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

/* x'..' literal (hex digits validated by the parser) into a blob Mem. */
static int blob_from_hex(Mem *m, const char *hex, int n) {
  uint8_t *b = util_malloc((size_t)(n / 2) + 1);
  int i, rc;
  if (!b) return 0;
  for (i = 0; i + 1 < n; i += 2) b[i / 2] = (uint8_t)(hex_digit(hex[i]) << 4 | hex_digit(hex[i + 1]));
  rc = mem_set_blob(m, b, n / 2, MEM_DYN); /* copies */
  util_free(b);
  return rc == LODE_OK;
}

/* DEFAULT name (not in parentheses) is that name as a string, as SQLite
** reads it: a column's default source text that parses back to a bare name
** becomes one.  TRUE and FALSE stay the constants they are. */
static void default_name_as_string(Expr *e) {
  if (!e || e->kind != EXPR_COLUMN || e->table || !e->text) return;
  if (!e->quoted && (util_stricmp(e->text, "true") == 0 || util_stricmp(e->text, "false") == 0)) return;
  e->kind = EXPR_STRING;
  e->n = (int)strlen(e->text);
}

/* The value of a constant DEFAULT expression, as SQLite folds it for rows
** written before ADD COLUMN: a literal, TRUE/FALSE, or signs and CASTs over
** one ("-(-5)", "CAST('12' AS INTEGER)"); 0 for anything else. */
static int default_value(const Expr *e, Mem *m) {
  if (!e) return 0;
  switch (e->kind) {
  case EXPR_NULL: mem_set_null(m); return 1;
  case EXPR_INTEGER:
    if (e->too_big) return 0;
    mem_set_int(m, e->ival);
    return 1;
  case EXPR_FLOAT: mem_set_real(m, e->rval); return 1;
  case EXPR_STRING: return mem_set_text(m, e->text, e->n, MEM_DYN) == LODE_OK;
  case EXPR_BLOB: return blob_from_hex(m, e->text, e->n);
  case EXPR_COLUMN: /* TRUE or FALSE, left so by default_name_as_string */
    mem_set_int(m, util_stricmp(e->text, "true") == 0);
    return 1;
  case EXPR_CAST:
    if (!default_value(e->left, m)) return 0;
    mem_cast(m, cg_cast_affinity(e));
    return 1;
  case EXPR_UNARY: break;
  default: return 0;
  }
  if (e->op == TK_PLUS) return default_value(e->left, m);
  if (e->op != TK_MINUS) return 0;
  const Expr *x = e->left;
  if (x && x->kind == EXPR_INTEGER && !x->too_big && x->ival != INT64_MIN) {
    mem_set_int(m, -x->ival);
    return 1;
  }
  if (x && x->kind == EXPR_FLOAT && x->text && util_is_int64_min_digits(x->text)) {
    mem_set_int(m, INT64_MIN); /* the one negative integer whose digits overflow, as in SQLite */
    return 1;
  }
  Mem v;
  mem_init(&v);
  if (!default_value(x, &v)) {
    mem_release(&v);
    return 0;
  }
  Mem num;
  mem_init(&num);
  mem_numeric_value(&v, &num);
  mem_release(&v);
  if (num.type == MEM_REAL) mem_set_real(m, -num.u.r);
  else if (num.type == MEM_INT && num.u.i == INT64_MIN) mem_set_real(m, -(double)INT64_MIN);
  else if (num.type == MEM_INT) mem_set_int(m, -num.u.i);
  else mem_set_null(m);
  mem_release(&num);
  return 1;
}

static int column_default_mem(Parse *p, const Column *c, Mem *m) {
  char *sql;
  Stmt *st = NULL;
  Expr *e;
  char *err = NULL;
  int rc, ok;
  if (!c->default_sql) return 0;
  sql = util_mprintf("SELECT %s", c->default_sql);
  if (!sql) return 0;
  rc = sql_parse(&p->arena, sql, -1, &st, NULL, &err);
  util_free(err);
  e = (rc == LODE_OK && st && st->select && st->select->columns && st->select->columns->n == 1)
          ? st->select->columns->items[0] : NULL;
  default_name_as_string(e);
  ok = default_value(e, m);
  util_free(sql);
  if (ok && c->affinity) mem_apply_affinity(m, c->affinity);
  return ok;
}

void cg_code_stored_column(Parse *p, Table *t, int cursor, int col, int target) {
  Mem m;
  int pos = table_column_pos(t, col);
  mem_init(&m);
  if (column_default_mem(p, &t->cols[col], &m)) {
    if (vdbe_add_op4(p->v, OP_Column, cursor, pos, target, P4_MEM, &m, 0) < 0) cg_error(p, LODE_NOMEM, "out of memory");
  } else {
    cg_op(p, OP_Column, cursor, pos, target);
  }
  mem_release(&m);
}

void cg_code_column(Parse *p, Table *t, int cursor, int col, int target) {
  const ScopeItem *it = scope_item_of(p, cursor);
  if (it && it->sorter >= 0 && col >= 0) ((ScopeItem *)it)->cols_read |= (uint64_t)1 << (col < 63 ? col : 63);
  if (it && it->sorter >= 0 && col < 0) { /* a subquery's rowid reads NULL: it has none */
    cg_op(p, OP_Null, 0, target, 0);
    return;
  }
  if (it && it->co_yield) { /* a co-routine's row, in registers */
    if (col < 0 || col >= it->table->ncols) cg_op(p, OP_Null, 0, target, 0);
    else cg_op(p, OP_Copy, it->co_row + col, target, 0);
    return;
  }
  if (it && it->vtab) {
    if (col < 0) cg_op(p, OP_VRowid, cursor, target, 0);
    else cg_op(p, OP_VColumn, cursor, col, target);
    return;
  }
  if (it && it->rowid_reg_only) { /* an index method's loop that never positions the cursor */
    assert(col < 0);
    cg_op(p, OP_Copy, it->rowid_reg_only, target, 0);
    return;
  }
  if (it && it->cover && !index_has_own_btree(it->cover)) {
    /* A WITHOUT ROWID table's PRIMARY KEY: the row itself, read as the table is. */
    cursor = it->cover_cursor;
  } else if (it && it->cover) { /* a covering index holds the row */
    const Index *ix = it->cover;
    int k = 0;
    if (col < 0) {
      cg_op(p, OP_IdxRowid, it->cover_cursor, target, 0);
      return;
    }
    while (k < ix->ncols && ix->cols[k].cid != col) k++;
    if (k == ix->ncols) { /* a partial index's condition fixes the column's value… */
      const Expr *v = index_where_constant(ix, col);
      assert(v);
      int done = vdbe_make_label(p->v);
      cg_op(p, OP_IfNullRow, it->cover_cursor, done, target); /* …except in an outer join's row of NULLs */
      cg_expr(p, v, target);
      char aff[2] = {t->cols[col].affinity, 0};
      cg_op4_str(p, OP_Affinity, target, 1, 0, aff);
      vdbe_resolve_label(p->v, done);
      return;
    }
    cg_op(p, OP_Column, it->cover_cursor, k, target);
    if (t->cols[col].affinity == AFF_REAL) cg_op4_str(p, OP_Affinity, target, 1, 0, "E");
    return;
  }
  if (col < 0) {
    cg_op(p, OP_Rowid, cursor, target, 0);
    return;
  }
  if (t->cols[col].generated == COLGEN_VIRTUAL) {
    cg_virtual_column(p, t, cursor, col, target);
    return;
  }
  cg_code_stored_column(p, t, cursor, col, target);
  /* SQLite may store integral values of REAL columns as integers on disk. */
  if (t->cols[col].affinity == AFF_REAL) cg_op4_str(p, OP_Affinity, target, 1, 0, "E");
}

/* ---- affinity and collation --------------------------------------------------- */

char cg_expr_affinity(Parse *p, const Expr *e) {
  int cursor, col;
  Table *t;
  switch (e->kind) {
  case EXPR_COLUMN:
    if (!cg_try_resolve_column(p, e, &cursor, &col, &t)) return 0;
    if (col >= 0 && scope_item_of(p, cursor) && scope_item_of(p, cursor)->qualified_only) return 0; /* old.x/new.x */
    if (col >= 0 && scope_item_of(p, cursor) && scope_item_of(p, cursor)->col_affs)
      return scope_item_of(p, cursor)->col_affs[col]; /* a subquery's expression column: none */
    return col < 0 ? AFF_INTEGER : t->cols[col].affinity;
  case EXPR_CAST: return cg_cast_affinity(e);
  case EXPR_COLLATE: return cg_expr_affinity(p, e->left);
  case EXPR_REGISTER: return e->bind_affinity;
  case EXPR_SUBQUERY: return cg_scalar_affinity(p, e);
  case EXPR_FUNCTION:
    return e->op == FUNC_AFF_FIRST && e->args && e->args->n ? cg_expr_affinity(p, e->args->items[0]) : 0;
  default: return 0;
  }
}

static int is_numeric_affinity(char a) { return a == AFF_NUMERIC || a == AFF_INTEGER || a == AFF_REAL; }

/* CAST's target affinity: the type name's, NUMERIC for an empty one (a
** column with no type has none, but CAST(x AS ) converts as SQLite does). */
char cg_cast_affinity(const Expr *cast) {
  return !cast->text || !cast->text[0] ? AFF_NUMERIC : value_affinity_of_type(cast->text);
}

/* The affinity applied to both operands of a comparison, or 0 for none.
** When both sides have an affinity (a column of any type, a CAST), only a
** numeric one converts; when one side has none (a literal, an arithmetic
** result), the other side's affinity applies to it. */
char cg_combine_affinity(char a, char b) {
  if (a && b) return (is_numeric_affinity(a) || is_numeric_affinity(b)) ? AFF_NUMERIC : 0;
  a = a ? a : b;
  return a == AFF_NONE ? 0 : a;
}

static char comparison_affinity(Parse *p, const Expr *l, const Expr *r) {
  return cg_combine_affinity(cg_expr_affinity(p, l), cg_expr_affinity(p, r));
}

static int collation_by_name(Parse *p, const char *name) {
  /* Once the statement failed, the application's collation_needed callback is not asked again. */
  if (p->rc != LODE_OK) return COLL_BINARY;
  int id = coll_lookup(p->db->colls, name);
  if (id >= 0) return id;
  /* ALTER TABLE RENAME checks names only: a view or trigger may use a
  ** collation the connection lacks, as in SQLite. */
  if (!p->rename) cg_error(p, LODE_ERROR, "no such collation sequence: %s", name);
  return COLL_BINARY;
}

int cg_check_collation(Parse *p, const char *name) {
  if (!name) return 1;
  collation_by_name(p, name);
  return p->rc == LODE_OK;
}

int cg_check_collation_id(Parse *p, int id, const char *name) {
  if (!name && id >= COLL_USER_FIRST) name = coll_name_of(id);
  return cg_check_collation(p, name);
}

/* -1: none given explicitly or by a column.  check: a collation the schema
** names must be one this connection has (it is about to be used). */
static int has_collate(const Expr *e) { return ast_has_collate(e); }

/* SQLite's walk for an expression's collation: a column gives its own, a
** unary + or CAST is looked through, and any other expression takes the
** COLLATE clause found first down its operands (a LIKE's pattern first, as
** the operands of SQLite's like() function come). */
static int collation_of(Parse *p, const Expr *e, int check) {
  int cursor, col;
  Table *t;
  while (e) {
    switch (e->kind) {
    case EXPR_COLLATE: /* unchecked: a result column may name one the connection lacks (-1) */
      return check ? collation_by_name(p, e->text) : p->rc == LODE_OK ? coll_lookup(p->db->colls, e->text) : -1;
    case EXPR_REGISTER: return e->bind_coll;
    case EXPR_COLUMN:
      if (!cg_try_resolve_column(p, e, &cursor, &col, &t)) return -1;
      if (col < 0) return -1;
      if (check && !cg_check_collation_id(p, t->cols[col].coll, t->cols[col].coll_name)) return COLL_BINARY;
      return t->cols[col].coll;
    case EXPR_CAST: e = e->left; continue;
    case EXPR_UNARY:
      if (e->op != TK_PLUS) break;
      e = e->left;
      continue;
    case EXPR_VECTOR:
      e = e->args && e->args->n ? e->args->items[0] : NULL;
      continue;
    default: break;
    }
    if (!has_collate(e)) return -1;
    e = ast_collate_operand(e);
  }
  return -1;
}

static int explicit_collation(Parse *p, const Expr *e) { return collation_of(p, e, 1); }

int cg_explicit_collation(Parse *p, const Expr *e) { return explicit_collation(p, e); }

int cg_has_collate(const Expr *e) { return has_collate(e); }

int cg_kept_collation(Parse *p, const Expr *e) {
  int c = explicit_collation(p, e);
  if (c >= 0 || e->kind == EXPR_COLUMN || e->kind == EXPR_REGISTER) return c;
  /* SQLite follows a COLLATE up through the operators and calls above it:
  ** the left operand's first, else the right's or an argument's. */
  while (e && e->kind != EXPR_COLLATE && e->kind != EXPR_COLUMN && has_collate(e)) {
    if (has_collate(e->left)) {
      e = e->left;
      continue;
    }
    const Expr *next = has_collate(e->right) ? e->right : NULL;
    for (int i = 0; !next && e->args && i < e->args->n; i++)
      if (has_collate(e->args->items[i])) next = e->args->items[i];
    e = next;
  }
  return e && e->kind == EXPR_COLLATE ? collation_by_name(p, e->text) : -1;
}

int cg_result_collation(Parse *p, const Expr *e) { return collation_of(p, e, 0); }

int cg_expr_collation(Parse *p, const Expr *e) {
  int c = explicit_collation(p, e);
  return c < 0 ? COLL_BINARY : c;
}

int cg_call_collation(Parse *p, const Expr *call) {
  /* Only the calls that compare their arguments look the collation up (an
  ** unknown one fails them, and only them, as in SQLite): min(), max(),
  ** nullif() and DISTINCT aggregates. */
  if (!call->distinct && util_stricmp(call->text, "min") != 0 && util_stricmp(call->text, "max") != 0 &&
      util_stricmp(call->text, "nullif") != 0)
    return COLL_BINARY;
  for (int i = 0; call->args && i < call->args->n; i++) {
    int c = explicit_collation(p, call->args->items[i]);
    if (c >= 0) return c;
  }
  return COLL_BINARY;
}

/* SQLite's rule: a COLLATE clause on the left operand, else one on the
** right, else the left operand's column collation, else the right's. */
/* As SQLite's sqlite3BinaryCompareCollSeq: a COLLATE anywhere in an operand
** (not only at its top, as in x = +('a' COLLATE NOCASE)) outranks a column's
** collation, the left operand's first. */
static int comparison_collation(Parse *p, const Expr *l, const Expr *r) {
  int c;
  if (has_collate(l)) c = explicit_collation(p, l);
  else if (has_collate(r)) c = explicit_collation(p, r);
  else if ((c = explicit_collation(p, l)) < 0) c = explicit_collation(p, r);
  return c < 0 ? COLL_BINARY : c;
}

int cg_comparison_collation(Parse *p, const Expr *l, const Expr *r) { return comparison_collation(p, l, r); }

/* ---- comparisons ------------------------------------------------------------ */

static int comparison_opcode(int tk) {
  switch (tk) {
  case TK_EQ: return OP_Eq;
  case TK_NE: return OP_Ne;
  case TK_LT: return OP_Lt;
  case TK_LE: return OP_Le;
  case TK_GT: return OP_Gt;
  case TK_GE: return OP_Ge;
  default: return -1;
  }
}

static int inverse_comparison(int opcode) {
  switch (opcode) {
  case OP_Eq: return OP_Ne;
  case OP_Ne: return OP_Eq;
  case OP_Lt: return OP_Ge;
  case OP_Le: return OP_Gt;
  case OP_Gt: return OP_Le;
  default: return OP_Lt; /* OP_Ge */
  }
}

/* Whether the ops coded from addr on are exactly one Column into reg: an
** operand read straight from a table row. */
static int just_column(Parse *p, int addr, int reg) {
  const VdbeOp *op = vdbe_current_addr(p->v) == addr + 1 ? vdbe_op_at(p->v, addr) : NULL;
  return op && op->opcode == OP_Column && op->p3 == reg;
}

static void lend_column_at(Parse *p, int addr) { vdbe_set_p5(p->v, addr, COLUMN_BORROW); }

/* Emits "if r[rl] OP right goto label", r[rl] holding the value of l, with
** the given extra p5 flags.  lstart is where l's code began, or -1 when it
** is not known to end right before this: a comparison only reads its
** operands, so a column coded just for it (nothing that could move a cursor
** in between) borrows its bytes from the page instead of copying them. */
static void emit_compare_reg_jump(Parse *p, int opcode, int rl, const Expr *l, const Expr *r, int label, int flags,
                                  int lstart) {
  int rstart = vdbe_current_addr(p->v);
  int rr = cg_operand_reg(p, r);
  int rcol = just_column(p, rstart, rr);
  char aff = comparison_affinity(p, l, r);
  int coll = comparison_collation(p, l, r);
  int addr = vdbe_add_op4_int(p->v, opcode, rr, label, rl, coll);
  if (addr < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  vdbe_set_p5(p->v, addr, (uint16_t)(flags | (aff ? (aff - 'A' + 1) : 0)));
  if (rcol) lend_column_at(p, rstart);
  if (lstart >= 0 && (rcol || addr == rstart) && rstart == lstart + 1) {
    const VdbeOp *op = vdbe_op_at(p->v, lstart);
    if (op->opcode == OP_Column && op->p3 == rl) lend_column_at(p, lstart);
  }
}

/* Emits "if left OP right goto label" with the given extra p5 flags. */
static void emit_compare_jump(Parse *p, int opcode, const Expr *l, const Expr *r, int label, int flags) {
  int lstart = vdbe_current_addr(p->v);
  emit_compare_reg_jump(p, opcode, cg_operand_reg(p, l), l, r, label, flags, lstart);
}

/* "x BETWEEN a AND b" as jumps, x coded once: to label when the condition is
** false or NULL (jump_if_false), or when it is true. */
static void emit_between_jump(Parse *p, const Expr *e, int label, int jump_if_false) {
  int xstart = vdbe_current_addr(p->v);
  int x = cg_operand_reg(p, e->left);
  int xcol = just_column(p, xstart, x);
  if (jump_if_false) {
    emit_compare_reg_jump(p, OP_Lt, x, e->left, e->args->items[0], label, CMP_JUMPIFNULL, -1);
    emit_compare_reg_jump(p, OP_Gt, x, e->left, e->args->items[1], label, CMP_JUMPIFNULL, -1);
  } else {
    int is_false = vdbe_make_label(p->v);
    emit_compare_reg_jump(p, OP_Lt, x, e->left, e->args->items[0], is_false, CMP_JUMPIFNULL, -1);
    emit_compare_reg_jump(p, OP_Le, x, e->left, e->args->items[1], label, 0, -1);
    vdbe_resolve_label(p->v, is_false);
  }
  /* x's column may lend its bytes when the bounds needed no code: the two
  ** comparisons follow it directly. */
  if (xcol && vdbe_current_addr(p->v) == xstart + 3) lend_column_at(p, xstart);
}

/* Stores 1, 0 or NULL for "l OP r" into target: one comparison that stores
** its outcome (CMP_STOREP2) instead of jumping.  Its operands are only read,
** so a literal or parameter among them is coded once per run. */
static void code_comparison_value_reg(Parse *p, int opcode, int rl, const Expr *l, const Expr *r, int target,
                                      int nulleq) {
  int rr = cg_operand_reg(p, r);
  char aff = comparison_affinity(p, l, r);
  int coll = comparison_collation(p, l, r);
  int addr = vdbe_add_op4_int(p->v, opcode, rr, target, rl, coll);
  if (addr < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  vdbe_set_p5(p->v, addr, (uint16_t)(CMP_STOREP2 | (nulleq ? CMP_NULLEQ : 0) | (aff ? (aff - 'A' + 1) : 0)));
}

static void code_comparison_value(Parse *p, int opcode, const Expr *l, const Expr *r, int target, int nulleq) {
  code_comparison_value_reg(p, opcode, cg_operand_reg(p, l), l, r, target, nulleq);
}

/* ---- values -------------------------------------------------------------------- */

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

static void code_blob(Parse *p, const Expr *e, int target) {
  int n = e->n / 2, i, addr;
  uint8_t *bytes = util_malloc((size_t)n + 1);
  if (!bytes) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  for (i = 0; i < n; i++) bytes[i] = (uint8_t)(hex_value(e->text[2 * i]) << 4 | hex_value(e->text[2 * i + 1]));
  addr = vdbe_add_op4(p->v, OP_Blob, n, target, 0, P4_BLOB, bytes, n);
  if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
  util_free(bytes);
}

static void code_int64(Parse *p, int64_t v, int target) {
  if (v >= INT32_MIN && v <= INT32_MAX) cg_op(p, OP_Integer, (int)v, target, 0);
  else if (vdbe_add_op4(p->v, OP_Int64, 0, target, 0, P4_INT64, &v, 0) < 0) cg_error(p, LODE_NOMEM, "out of memory");
}

static void code_real(Parse *p, double r, int target) {
  if (vdbe_add_op4(p->v, OP_Real, 0, target, 0, P4_REAL, &r, 0) < 0) cg_error(p, LODE_NOMEM, "out of memory");
}

static void code_negation(Parse *p, const Expr *e, int target) {
  const Expr *x = e->left;
  if (x->kind == EXPR_INTEGER && ((x->too_big && !p->code_never_runs) || x->ival == INT64_MIN)) {
    /* a hex literal: 0x8000000000000000, or one too long */
    cg_error_at(p, x, LODE_ERROR, "hex literal too big: -%.*s", x->n, x->text ? x->text : "");
    return;
  }
  if (x->kind == EXPR_INTEGER) {
    code_int64(p, -x->ival, target); /* no overflow: INT64_MIN is refused above */
    return;
  }
  if (x->kind == EXPR_FLOAT && x->text && util_is_int64_min_digits(x->text)) {
    code_int64(p, INT64_MIN, target);
    return;
  }
  if (x->kind == EXPR_FLOAT) {
    code_real(p, -x->rval, target);
    return;
  }
  cg_expr(p, x, target);
  cg_op(p, OP_Negative, target, target, 0);
}

static int arith_opcode(int tk) {
  switch (tk) {
  case TK_PLUS: return OP_Add;
  case TK_MINUS: return OP_Subtract;
  case TK_STAR: return OP_Multiply;
  case TK_SLASH: return OP_Divide;
  case TK_REM: return OP_Remainder;
  case TK_CONCAT: return OP_Concat;
  case TK_BITAND: return OP_BitAnd;
  case TK_BITOR: return OP_BitOr;
  case TK_LSHIFT: return OP_ShiftLeft;
  case TK_RSHIFT: return OP_ShiftRight;
  case TK_AND: return OP_And;
  case TK_OR: return OP_Or;
  default: return -1;
  }
}

static void code_binary(Parse *p, const Expr *e, int target) {
  int cmp = comparison_opcode(e->op);
  int op, rl, rr;
  if (cmp >= 0) {
    code_comparison_value(p, cmp, e->left, e->right, target, 0);
    return;
  }
  op = arith_opcode(e->op);
  if (op < 0) {
    cg_error(p, LODE_ERROR, "unsupported operator");
    return;
  }
  /* The operand registers are only read (the result goes to target). */
  rl = cg_operand_reg(p, e->left);
  rr = cg_operand_reg(p, e->right);
  if (op == OP_And || op == OP_Or || op == OP_BitAnd || op == OP_BitOr) cg_op(p, op, rl, rr, target);
  else cg_op(p, op, rr, rl, target); /* r[p3] = r[p2] op r[p1] */
}

static AggCall *find_agg_call(Parse *p, const Expr *e) {
  int i;
  for (i = 0; p->agg && i < p->agg->ncalls; i++)
    if (cg_same_agg_call(p->agg->calls[i].expr, e)) return &p->agg->calls[i];
  return NULL;
}

static BareColumn *find_bare_column(Parse *p, int cursor, int col) {
  int i;
  for (i = 0; p->agg && i < p->agg->nbare; i++)
    if (p->agg->bare[i].cursor == cursor && p->agg->bare[i].col == col) return &p->agg->bare[i];
  return NULL;
}

static const FuncDef *lookup_function(Parse *p, const Expr *e, int nargs) {
  int exists = 0;
  if (nargs > p->db->limits[LODE_LIMIT_FUNCTION_ARG]) {
    cg_error(p, LODE_ERROR, "too many arguments on function %s", e->text);
    return NULL;
  }
  const FuncDef *f = func_lookup(p->db->funcs, e->text, nargs, &exists);
  if (!f && nargs == 2 && util_stricmp(e->text, "match") == 0) f = &cg_match_function; /* SQLite's built-in MATCH */
  /* ALTER TABLE RENAME resolves names only, as SQLite's: a window call is a
  ** stand-in wherever it is (its window's names are bound with its call). */
  if (p->rename && (e->over || (!f && func_window_find(e->text, nargs, &exists))))
    return func_lookup(p->db->funcs, "char", nargs, &exists);
  if (e->over || (!f && func_window_find(e->text, nargs, &exists))) {
    /* A window call outside the results and ORDER BY of a query.  SQLite
    ** resolves its arguments after noting the misuse, and reports the last
    ** error: a name that is no column there. */
    for (int i = 0; !e->star && e->args && i < e->args->n; i++)
      if (!cg_check_names(p, e->args->items[i])) return NULL;
    cg_error_at(p, e, LODE_ERROR, "misuse of window function %s()", e->text);
    return NULL;
  }
  /* ALTER TABLE RENAME compiles views and triggers for their names only: as
  ** in SQLite, an unknown function there is no error (a stand-in taking any
  ** number of arguments is coded, never run). */
  if (!f && p->rename) f = func_lookup(p->db->funcs, "char", nargs, &exists);
  if (!f && util_stricmp(e->text, "match") == 0) exists = 1; /* the built-in MATCH takes two */
  /* A DEFAULT is coded without SQLite's name resolution pass, whose
  ** messages are the ones below: its code generator's is this one.  So is a
  ** CHECK constraint, generated column or index expression read back from
  ** the schema, whose names SQLite resolves as it loads the schema,
  ** tolerating unknown functions there. */
  int from_schema = e->from_ddl && (p->pure_place != FUNC_PLACE_NONE || p->in_generated);
  if (!f && (p->in_default || (from_schema && !exists))) {
    cg_error(p, LODE_ERROR, "unknown function: %s()", e->text);
    return NULL;
  }
  if (!f) {
    if (exists) cg_error_at(p, e, LODE_ERROR, "wrong number of arguments to function %s()", e->text);
    else cg_error_at(p, e, LODE_ERROR, "no such function: %s", e->text);
    return NULL;
  }
  if (cg_func_unsafe(p, e, f)) return NULL;
  if (nargs == 2 && util_stricmp(e->text, "likelihood") == 0) {
    /* The probability is a planner hint, so SQLite takes only a real literal
    ** in [0, 1] there (not an integer, string or expression). */
    const Expr *pr = e->args->items[1];
    if (pr->kind != EXPR_FLOAT || !(pr->rval >= 0.0 && pr->rval <= 1.0)) {
      cg_error_at(p, e, LODE_ERROR, "second argument to likelihood() must be a constant between 0.0 and 1.0");
      return NULL;
    }
  }
  const FuncDef *own = cg_vtab_overload(p, e, f, nargs); /* a virtual table's column as the overloaded argument */
  return own ? own : f;
}

/* coalesce/ifnull and iif evaluate only the arguments they need, as in
** SQLite (so coalesce(1, <error>) is 1).  Returns 1 if it coded e. */
static int code_lazy_function(Parse *p, const Expr *e, int nargs, int target) {
  int done, i;
  if (util_stricmp(e->text, "coalesce") == 0 || util_stricmp(e->text, "ifnull") == 0) {
    done = vdbe_make_label(p->v);
    cg_expr(p, e->args->items[0], target);
    for (i = 1; i < nargs; i++) {
      cg_op(p, OP_NotNull, target, done, 0);
      cg_expr(p, e->args->items[i], target);
    }
    vdbe_resolve_label(p->v, done);
    return 1;
  }
  if ((util_stricmp(e->text, "iif") == 0 || util_stricmp(e->text, "if") == 0) && nargs >= 2) {
    /* iif(C1, V1, C2, V2, …, ELSE): a CASE WHEN C1 THEN V1 … ELSE ELSE END */
    done = vdbe_make_label(p->v);
    for (i = 0; i + 1 < nargs; i += 2) {
      int otherwise = vdbe_make_label(p->v);
      cg_jump_if_false(p, e->args->items[i], otherwise);
      cg_expr(p, e->args->items[i + 1], target);
      cg_op(p, OP_Goto, 0, done, 0);
      vdbe_resolve_label(p->v, otherwise);
    }
    if (i < nargs) cg_expr(p, e->args->items[i], target);
    else cg_op(p, OP_Null, 0, target, 0);
    vdbe_resolve_label(p->v, done);
    return 1;
  }
  return 0;
}

/* Whether e has the same value for the whole run of a statement: literals,
** parameters, and deterministic scalar functions and operators of those. */
static int is_run_constant(Parse *p, const Expr *e) {
  int i;
  switch (e->kind) {
  case EXPR_NULL: case EXPR_INTEGER: case EXPR_FLOAT: case EXPR_STRING: case EXPR_BLOB: case EXPR_PARAM: return 1;
  case EXPR_UNARY: case EXPR_CAST: return is_run_constant(p, e->left);
  case EXPR_FUNCTION: {
    int exists;
    const FuncDef *f = func_lookup(p->db->funcs, e->text, e->args ? e->args->n : 0, &exists);
    if (!f || !(f->flags & FUNC_DETERMINISTIC) || (f->flags & FUNC_AGGREGATE) || e->star || e->distinct) return 0;
    for (i = 0; e->args && i < e->args->n; i++)
      if (!is_run_constant(p, e->args->items[i])) return 0;
    return 1;
  }
  default: return 0;
  }
}

/* When the op just coded read a column into reg (an argument of a function
** that only reads its arguments during the call), lets it borrow the bytes
** from the page: the call comes before the cursor can move.  A copy of a
** register (a column of a row being written, an aggregate's value) becomes
** a shallow one alike: the arguments coded after it write only their own
** registers, so its source keeps its value until the call. */
static void lend_column(Parse *p, int reg) {
  int addr = vdbe_current_addr(p->v) - 1;
  VdbeOp *op = addr >= 0 ? vdbe_op_at(p->v, addr) : NULL;
  if (op && op->opcode == OP_Column && op->p3 == reg) vdbe_set_p5(p->v, addr, COLUMN_BORROW);
  if (op && op->opcode == OP_Copy && op->p2 == reg && op->p3 == 0) op->opcode = OP_SCopy;
}

static void code_call(Parse *p, const Expr *e, const FuncDef *f, int nargs, int target) {
  int i, first = cg_regs(p, nargs), addr;
  int place = p->in_generated ? FUNC_PLACE_GENERATED : p->pure_place;
  uint32_t const_args = 0;
  _Static_assert(FUNC_CONST_ARGS_MAX + FUNCTION_P1_CONST_SHIFT <= 31 && COLL_MAX <= FUNCTION_P1_COLL, "p1 layout");
  if (place != FUNC_PLACE_NONE) f = func_in_pure_place(f, place);
  for (i = 0; i < nargs && i < FUNC_CONST_ARGS_MAX; i++)
    if (is_run_constant(p, e->args->items[i])) const_args |= 1u << i;
  for (i = 0; i < nargs; i++) {
    /* A function that only reads its arguments leaves a literal's register
    ** as the epilogue set it. */
    if ((f->flags & FUNC_BORROWS_ARGS) && cg_hoist_into(p, e->args->items[i], first + i)) continue;
    cg_expr(p, e->args->items[i], first + i);
    if (f->flags & FUNC_BORROWS_ARGS) lend_column(p, first + i);
  }
  addr = vdbe_add_op4(p->v, OP_Function, cg_call_collation(p, e) | (int)(const_args << FUNCTION_P1_CONST_SHIFT), first,
                      target, P4_FUNC, f, 0);
  if (addr < 0) cg_error(p, LODE_NOMEM, "out of memory");
  else vdbe_set_p5(p->v, addr, (uint16_t)nargs);
}

/* ALTER TABLE RENAME: the names of a stand-in call's FILTER, ORDER BY and
** window, bound by coding them (the program never runs). */
static void code_rename_extras(Parse *p, const Expr *e) {
  const Window *w = e->over;
  if (e->filter) cg_expr_reg(p, e->filter);
  for (int i = 0; e->agg_order && i < e->agg_order->n; i++) cg_expr_reg(p, e->agg_order->items[i]);
  cg_code_window_names(p, w);
}

void cg_code_window_names(Parse *p, const Window *w) {
  for (int i = 0; w && w->partition && i < w->partition->n && p->rc == LODE_OK; i++)
    cg_expr_reg(p, w->partition->items[i]);
  for (int i = 0; w && i < w->norder && p->rc == LODE_OK; i++) cg_expr_reg(p, w->order_by[i].expr);
  if (w && w->start && p->rc == LODE_OK) cg_expr_reg(p, w->start);
  if (w && w->end && p->rc == LODE_OK) cg_expr_reg(p, w->end);
}

static void code_function(Parse *p, const Expr *e, int target) {
  if (p->auth && cg_auth_function(p, e)) { /* SQLITE_IGNORE: the call is NULL */
    cg_op(p, OP_Null, 0, target, 0);
    return;
  }
  int nargs = e->args ? e->args->n : 0;
  const FuncDef *f = lookup_function(p, e, e->star ? 0 : nargs);
  if (!f) return;
  if (p->rename && util_stricmp(f->name, e->text) != 0) { /* a stand-in (see lookup_function) */
    code_rename_extras(p, e);
    code_call(p, e, f, e->star ? 0 : nargs, target);
    return;
  }
  if ((f->flags & FUNC_AGGREGATE) && p->in_default) {
    cg_error(p, LODE_ERROR, "unknown function: %s()", e->text);
    return;
  }
  if (f->flags & FUNC_AGGREGATE) {
    AggCall *call = find_agg_call(p, e);
    const Expr *copy = call ? NULL : cg_outer_owned_copy(p, e);
    if (copy && copy->kind == EXPR_NULL) { /* in an EXISTS's result: computed nowhere (select.c ignore_call) */
      cg_op(p, OP_Null, 0, target, 0);
      return;
    }
    for (AggInfo *a = p->enclosing_agg; copy && !call && a; a = a->enclosing) {
      for (int i = 0; i < a->ncalls && !call; i++)
        if (cg_same_agg_call(a->calls[i].expr, copy) && a->output) call = &a->calls[i];
      /* the subquery reads the enclosing query's value: it is correlated */
      if (call && a->level < p->min_ref_level) p->min_ref_level = a->level;
    }
    if (call && !find_agg_call(p, e)) {
      cg_op(p, OP_Copy, call->accum, target, 0);
      return;
    }
    if (!call || !p->agg->output) {
      cg_error_at(p, e, LODE_ERROR, "misuse of aggregate function %s()", e->text);
      return;
    }
    cg_op(p, OP_Copy, call->accum, target, 0);
    return;
  }
  if (e->filter) {
    cg_error(p, LODE_ERROR, "FILTER may not be used with non-aggregate %s()", e->text);
    return;
  }
  if (e->agg_order) {
    cg_error(p, LODE_ERROR, "ORDER BY may not be used with non-aggregate %s()", e->text);
    return;
  }
  /* f(*) is f() and DISTINCT means nothing to a scalar function: SQLite
  ** accepts both. */
  if (code_lazy_function(p, e, nargs, target)) return;
  if (nargs > 0 && is_run_constant(p, e)) {
    /* Computed at its first use and kept in a register of its own for the
    ** rest of the run (as SQLite factors constant functions out of loops):
    ** vector32('[…]') against every row parses its text once. */
    int done = vdbe_make_label(p->v), kept = cg_reg(p);
    cg_op(p, OP_Once, 0, done, 0);
    code_call(p, e, f, nargs, kept);
    vdbe_resolve_label(p->v, done);
    cg_op(p, OP_SCopy, kept, target, 0);
    return;
  }
  code_call(p, e, f, nargs, target);
}

static const ScopeItem *scope_item_of(Parse *p, int cursor) {
  const Scope *s;
  int i;
  for (s = p->scope; s; s = s->outer)
    for (i = 0; i < s->n + s->nexists; i++)
      if (s->items[i].cursor == cursor) return &s->items[i];
  return NULL;
}

/* Whether cursor is of a query around the aggregate one being output: its
** row is the enclosing query's current row (HAVING b of a correlated
** subquery reads it), not a value the aggregate kept. */
static int outside_aggregate(Parse *p, int cursor) {
  for (const Scope *s = p->scope; s; s = s->outer)
    for (int i = 0; i < s->n + s->nexists; i++)
      if (s->items[i].cursor == cursor) return cg_scope_level(s) < p->agg->level;
  return 0;
}

static void code_column_ref(Parse *p, const Expr *e, int target) {
  int cursor, col;
  Table *t;
  if (is_string_fallback(p, e)) {
    if (vdbe_add_op4(p->v, OP_String8, e->n, target, 0, P4_STRING, e->text, e->n) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  int b = bool_literal(p, e);
  if (b >= 0) {
    cg_op(p, OP_Integer, b, target, 0);
    return;
  }
  if (cg_resolve_column(p, e, &cursor, &col, &t) != LODE_OK) return;
  if (e->kind != EXPR_COLUMN) { /* made the coalesce of a FULL join's columns */
    cg_expr(p, e, target);
    return;
  }
  {
    const ScopeItem *it = scope_item_of(p, cursor);
    if (it && it->row_regs) { /* a row not yet written (CHECK constraints) */
      cg_op(p, OP_Copy, col < 0 ? it->rowid_reg : it->row_regs + col, target, 0);
      return;
    }
  }
  if (p->agg && p->agg->output && !outside_aggregate(p, cursor)) {
    BareColumn *b = find_bare_column(p, cursor, col);
    if (b) cg_op(p, OP_Copy, b->reg, target, 0);
    else cg_op(p, OP_Null, 0, target, 0);
    return;
  }
  cg_code_column(p, t, cursor, col, target);
}

/* RAISE(IGNORE) ends the trigger program and skips the row change that
** fired it; RAISE(action, message) fails the statement with the message
** (SQLITE_CONSTRAINT_TRIGGER) under that action. */
static void code_raise(Parse *p, const Expr *e, int target) {
  if (!p->trigger) {
    cg_error(p, LODE_ERROR, "RAISE() may only be used within a trigger-program");
    return;
  }
  if (e->op == ONCONFLICT_IGNORE) {
    int addr = cg_op(p, OP_Halt, 0, 0, 0);
    if (addr >= 0) vdbe_set_p5(p->v, addr, 1);
  } else {
    int msg = cg_expr_reg(p, e->left);
    cg_op(p, OP_Halt, LODE_CONSTRAINT_TRIGGER, e->op, msg);
  }
  cg_op(p, OP_Null, 0, target, 0);
}

/* An IN list compares with the left operand's affinity only (SQLite). */
static char in_list_affinity(Parse *p, const Expr *left) {
  char a = cg_expr_affinity(p, left);
  if (is_numeric_affinity(a)) return AFF_NUMERIC;
  return a == AFF_TEXT ? AFF_TEXT : 0;
}

static void code_in_list(Parse *p, const Expr *e, int target) {
  if (!e->args || e->args->n == 0) { /* x IN () is false and x NOT IN () true, even for a NULL x */
    cg_op(p, OP_Integer, e->negated ? 1 : 0, target, 0);
    return;
  }
  int done = vdbe_make_label(p->v), found = vdbe_make_label(p->v);
  int rl = cg_expr_reg(p, e->left);
  int saw_null = cg_reg(p), i;
  int coll = cg_expr_collation(p, e->left);
  cg_op(p, OP_Null, 0, target, 0);
  cg_op(p, OP_IsNull, rl, done, 0);
  cg_op(p, OP_Integer, 0, saw_null, 0);
  for (i = 0; e->args && i < e->args->n; i++) {
    const Expr *item = e->args->items[i];
    int ri = cg_expr_reg(p, item);
    char aff = in_list_affinity(p, e->left);
    int skip = vdbe_make_label(p->v);
    int addr;
    addr = vdbe_add_op4_int(p->v, OP_Eq, ri, found, rl, coll);
    if (addr < 0) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    vdbe_set_p5(p->v, addr, (uint16_t)(aff ? aff - 'A' + 1 : 0));
    cg_op(p, OP_NotNull, ri, skip, 0);
    cg_op(p, OP_Integer, 1, saw_null, 0);
    vdbe_resolve_label(p->v, skip);
  }
  /* not found: NULL if some item was NULL, else false (true when negated) */
  cg_op(p, OP_If, saw_null, done, 0);
  cg_op(p, OP_Integer, e->negated ? 1 : 0, target, 0);
  cg_op(p, OP_Goto, 0, done, 0);
  vdbe_resolve_label(p->v, found);
  cg_op(p, OP_Integer, e->negated ? 0 : 1, target, 0);
  vdbe_resolve_label(p->v, done);
}

static void code_between(Parse *p, const Expr *e, int target) {
  /* x BETWEEN a AND b  ==  x >= a AND x <= b, with x evaluated once */
  int r1 = cg_reg(p), r2 = cg_reg(p);
  int x = cg_operand_reg(p, e->left);
  code_comparison_value_reg(p, OP_Ge, x, e->left, e->args->items[0], r1, 0);
  code_comparison_value_reg(p, OP_Le, x, e->left, e->args->items[1], r2, 0);
  cg_op(p, OP_And, r1, r2, target);
  if (e->negated) cg_op(p, OP_Not, target, target, 0);
}

/* CASE base WHEN …: base is a row value, or a WHEN value is, or base is a
** subquery of several columns ("CASE (SELECT a, b …) WHEN (1, 2)"). */
static int case_on_rows(Parse *p, const Expr *e) {
  if (!e->left) return 0;
  if (e->left->kind == EXPR_VECTOR) return 1;
  if (!e->args || e->args->n < 2) return 0;
  Expr eq;
  memset(&eq, 0, sizeof eq);
  eq.kind = EXPR_BINARY;
  eq.op = TK_EQ;
  eq.left = e->left;
  eq.right = e->args->items[0];
  return cg_is_vector_op(p, &eq);
}

static void code_case(Parse *p, const Expr *e, int target) {
  int end = vdbe_make_label(p->v);
  int vector = case_on_rows(p, e); /* each WHEN compares as "base = when" */
  int base = e->left && !vector ? cg_expr_reg(p, e->left) : 0;
  int i, n = e->args ? e->args->n : 0;
  for (i = 0; i + 1 < n; i += 2) {
    int next = vdbe_make_label(p->v);
    const Expr *when = e->args->items[i];
    if (vector) {
      Expr eq;
      memset(&eq, 0, sizeof eq);
      eq.kind = EXPR_BINARY;
      eq.op = TK_EQ;
      eq.left = e->left;
      eq.right = (Expr *)when;
      cg_jump_if_false(p, &eq, next);
    } else if (e->left) {
      int rw = cg_expr_reg(p, when);
      char aff = comparison_affinity(p, e->left, when);
      int addr = vdbe_add_op4_int(p->v, OP_Ne, rw, next, base, comparison_collation(p, e->left, when));
      if (addr >= 0) vdbe_set_p5(p->v, addr, (uint16_t)(CMP_JUMPIFNULL | (aff ? aff - 'A' + 1 : 0)));
    } else {
      cg_jump_if_false(p, when, next);
    }
    cg_expr(p, e->args->items[i + 1], target);
    cg_op(p, OP_Goto, 0, end, 0);
    vdbe_resolve_label(p->v, next);
  }
  if (e->right) cg_expr(p, e->right, target);
  else cg_op(p, OP_Null, 0, target, 0);
  vdbe_resolve_label(p->v, end);
}

static void code_like(Parse *p, const Expr *e, int target) {
  /* like(pattern, value [, escape]) — the argument order of SQLite's like() */
  Expr call;
  ExprList args;
  Expr *items[3];
  memset(&call, 0, sizeof call);
  call.kind = EXPR_FUNCTION;
  call.text = e->op == TK_GLOB ? "glob" : "like";
  items[0] = e->right;
  items[1] = e->left;
  items[2] = e->escape;
  args.n = e->escape ? 3 : 2;
  args.items = items;
  args.names = NULL;
  args.spans = NULL;
  call.args = &args;
  code_function(p, &call, target);
  if (e->negated) cg_op(p, OP_Not, target, target, 0);
}

void cg_expr(Parse *p, const Expr *e, int target) {
  if (p->rc != LODE_OK) return;
  for (int i = 0; i < p->idxm_nsubst; i++) { /* a value an index method computes */
    if (p->idxm_subst[i] != e) continue;
    cg_op(p, OP_SCopy, p->idxm_subst_reg[i], target, 0);
    return;
  }
  if (cg_is_vector_op(p, e)) {
    cg_vector_expr(p, e, target);
    return;
  }
  switch (e->kind) {
  case EXPR_NULL: cg_op(p, OP_Null, 0, target, 0); break;
  case EXPR_INTEGER:
    if (e->too_big && !p->code_never_runs)
      cg_error_at(p, e, LODE_ERROR, "hex literal too big: %.*s", e->n, e->text ? e->text : "");
    else code_int64(p, e->ival, target);
    break;
  case EXPR_FLOAT: code_real(p, e->rval, target); break;
  case EXPR_STRING:
    if (vdbe_add_op4(p->v, OP_String8, e->n, target, 0, P4_STRING, e->text, e->n) < 0)
      cg_error(p, LODE_NOMEM, "out of memory");
    break;
  case EXPR_BLOB: code_blob(p, e, target); break;
  case EXPR_PARAM:
    /* CREATE TRIGGER and a column's DEFAULT refuse parameters, but a
    ** schema written by other means may hold one: it reads as NULL there,
    ** as in SQLite. */
    if (p->trigger || p->in_default) cg_op(p, OP_Null, 0, target, 0);
    else cg_op(p, OP_Variable, e->param_index, target, 0);
    break;
  case EXPR_COLUMN: code_column_ref(p, e, target); break;
  case EXPR_STAR: cg_error(p, LODE_ERROR, "near \"*\": syntax error"); break;
  case EXPR_UNARY:
    switch (e->op) {
    case TK_MINUS: code_negation(p, e, target); break;
    case TK_PLUS: cg_expr(p, e->left, target); break;
    case TK_NOT:
      cg_expr(p, e->left, target);
      cg_op(p, OP_Not, target, target, 0);
      break;
    default:
      cg_expr(p, e->left, target);
      cg_op(p, OP_BitNot, target, target, 0);
      break;
    }
    break;
  case EXPR_BINARY: code_binary(p, e, target); break;
  case EXPR_ISNULL:
  case EXPR_NOTNULL: {
    int done = vdbe_make_label(p->v);
    int r = cg_expr_reg(p, e->left);
    cg_op(p, OP_Integer, 1, target, 0);
    cg_op(p, e->kind == EXPR_ISNULL ? OP_IsNull : OP_NotNull, r, done, 0);
    cg_op(p, OP_Integer, 0, target, 0);
    vdbe_resolve_label(p->v, done);
    break;
  }
  case EXPR_IS: {
    /* "x IS TRUE" and "x IS FALSE" test x's truth value (NULL is neither),
    ** not equality with 1 or 0: IsTrue's NULL result is p3, then p4 inverts. */
    int b = is_operand_bool(p, e->right);
    if (b >= 0) {
      int r = cg_expr_reg(p, e->left);
      if (vdbe_add_op4_int(p->v, OP_IsTrue, r, target, !b, b == e->negated) < 0) cg_error(p, LODE_NOMEM, "out of memory");
      break;
    }
    code_comparison_value(p, e->negated ? OP_Ne : OP_Eq, e->left, e->right, target, 1);
    break;
  }
  case EXPR_FUNCTION: code_function(p, e, target); break;
  case EXPR_CAST:
    cg_expr(p, e->left, target);
    cg_op(p, OP_Cast, target, cg_cast_affinity(e), 0);
    break;
  case EXPR_COLLATE: /* the name is looked up where a comparison uses it */
    cg_expr(p, e->left, target);
    break;
  case EXPR_BETWEEN: code_between(p, e, target); break;
  case EXPR_IN_LIST: code_in_list(p, e, target); break;
  case EXPR_LIKE: code_like(p, e, target); break;
  case EXPR_CASE: code_case(p, e, target); break;
  case EXPR_IN_SELECT:
  case EXPR_SUBQUERY:
  case EXPR_EXISTS: cg_subquery(p, e, target); break;
  case EXPR_VECTOR: cg_error(p, LODE_ERROR, "row value misused"); break;
  case EXPR_REGISTER:
    if (e->n < p->min_ref_level) p->min_ref_level = e->n; /* a subquery reading it is correlated */
    cg_op(p, OP_SCopy, (int)e->ival, target, 0);
    break;
  case EXPR_RAISE: code_raise(p, e, target); break;
  }
}

int cg_expr_reg(Parse *p, const Expr *e) {
  int r = cg_reg(p);
  cg_expr(p, e, r);
  return r;
}

int cg_same_column(Parse *p, const Expr *a, const Expr *b) {
  if (a->kind != EXPR_COLUMN || b->kind != EXPR_COLUMN) return 0;
  if (bind_column(p, a) != LOOKUP_FOUND || bind_column(p, b) != LOOKUP_FOUND) return 0;
  return a->kind == EXPR_COLUMN && b->kind == EXPR_COLUMN && a->bound && b->bound && a->bind_depth == b->bind_depth &&
         a->bind_item == b->bind_item && a->bind_col == b->bind_col;
}

/* A literal or parameter: the same value wherever and however often one run
** of the program evaluates it. */
static int is_run_invariant_leaf(const Expr *e) {
  switch (e->kind) {
  case EXPR_NULL: case EXPR_INTEGER: case EXPR_FLOAT: case EXPR_STRING: case EXPR_BLOB: case EXPR_PARAM: return 1;
  case EXPR_UNARY:
    return e->op == TK_MINUS && e->left && (e->left->kind == EXPR_INTEGER || e->left->kind == EXPR_FLOAT);
  default: return 0;
  }
}

/* a and b (run-invariant leaves) code the same value. */
static int same_leaf(const Expr *a, const Expr *b) {
  if (a->kind != b->kind || a->op != b->op) return 0;
  if (a->kind == EXPR_PARAM) return a->param_index == b->param_index;
  if (a->ival != b->ival || memcmp(&a->rval, &b->rval, sizeof a->rval) != 0 || a->n != b->n) return 0;
  if ((a->text == NULL) != (b->text == NULL) || (a->text && memcmp(a->text, b->text, (size_t)a->n) != 0)) return 0;
  if ((a->left == NULL) != (b->left == NULL)) return 0;
  return !a->left || same_leaf(a->left, b->left);
}

/* A copy of leaf e in the Parse's arena: the tree e belongs to (a view's,
** parsed for this use) may be gone when the epilogue is coded. */
static Expr *copy_leaf(Parse *p, const Expr *e) {
  Expr *c = arena_alloc(&p->arena, sizeof *c);
  if (!c) return NULL;
  *c = *e;
  if (e->text) {
    char *t = arena_alloc(&p->arena, (size_t)e->n + 1);
    if (!t) return NULL;
    memcpy(t, e->text, (size_t)e->n);
    c->text = t;
  }
  if (e->left && !(c->left = copy_leaf(p, e->left))) return NULL;
  return c;
}

static int can_hoist(const Parse *p, const Expr *e) {
  /* Not for code that never runs (a CHECK coded at CREATE TABLE to look at
  ** it): the epilogue does run, and would code there what must wait. */
  return p->hoist_ok && !p->trigger && !p->idxm_nsubst && !p->code_never_runs && p->rc == LODE_OK &&
         is_run_invariant_leaf(e);
}

static int hoist_add(Parse *p, const Expr *e, int reg) {
  Expr *c;
  if (p->nhoisted == p->hoisted_cap) {
    int cap = p->hoisted_cap ? 2 * p->hoisted_cap : 16;
    HoistedValue *h = arena_alloc(&p->arena, sizeof *h * (size_t)cap);
    if (!h) return 0;
    if (p->nhoisted) memcpy(h, p->hoisted, sizeof *h * (size_t)p->nhoisted);
    p->hoisted = h;
    p->hoisted_cap = cap;
  }
  if (!(c = copy_leaf(p, e))) return 0;
  p->hoisted[p->nhoisted].e = c;
  p->hoisted[p->nhoisted++].reg = reg;
  return 1;
}

int cg_hoist_into(Parse *p, const Expr *e, int reg) {
  return can_hoist(p, e) && hoist_add(p, e, reg);
}

/* The register an operand that an op only reads is in: a literal or
** parameter is coded once per run into a register shared by its equal uses
** (no op writes it), anything else here. */
int cg_operand_reg(Parse *p, const Expr *e) {
  int r;
  if (!can_hoist(p, e)) return cg_expr_reg(p, e);
  for (int i = 0; i < p->nhoisted; i++)
    if (same_leaf(p->hoisted[i].e, e)) return p->hoisted[i].reg;
  r = cg_reg(p);
  if (!hoist_add(p, e, r)) cg_expr(p, e, r);
  return r;
}

/* ---- conditions ---------------------------------------------------------------- */

void cg_jump_if_false(Parse *p, const Expr *e, int label) {
  int cmp, r;
  if (p->rc != LODE_OK) return;
  /* Never false (the TRUE that stands where an EXISTS joined the query, exists.c). */
  if (e->kind == EXPR_INTEGER && e->ival != 0 && !e->too_big) return;
  if (cg_is_vector_op(p, e)) {
    r = cg_expr_reg(p, e);
    cg_op(p, OP_IfNot, r, label, 1);
    return;
  }
  if (e->kind == EXPR_BINARY && e->op == TK_AND) {
    cg_jump_if_false(p, e->left, label);
    cg_jump_if_false(p, e->right, label);
    return;
  }
  if (e->kind == EXPR_BINARY && e->op == TK_OR) {
    int is_true = vdbe_make_label(p->v);
    cg_jump_if_true(p, e->left, is_true);
    cg_jump_if_false(p, e->right, label);
    vdbe_resolve_label(p->v, is_true);
    return;
  }
  if (e->kind == EXPR_BETWEEN && !e->negated && !cg_is_vector_op(p, e->left)) {
    emit_between_jump(p, e, label, 1);
    return;
  }
  cmp = e->kind == EXPR_BINARY ? comparison_opcode(e->op) : -1;
  if (cmp >= 0) {
    emit_compare_jump(p, inverse_comparison(cmp), e->left, e->right, label, CMP_JUMPIFNULL);
    return;
  }
  if (e->kind == EXPR_IS && is_operand_bool(p, e->right) < 0) {
    emit_compare_jump(p, e->negated ? OP_Eq : OP_Ne, e->left, e->right, label, CMP_NULLEQ);
    return;
  }
  if (e->kind == EXPR_ISNULL || e->kind == EXPR_NOTNULL) {
    r = cg_expr_reg(p, e->left);
    cg_op(p, e->kind == EXPR_ISNULL ? OP_NotNull : OP_IsNull, r, label, 0);
    return;
  }
  r = cg_expr_reg(p, e);
  cg_op(p, OP_IfNot, r, label, 1);
}

void cg_jump_if_true(Parse *p, const Expr *e, int label) {
  int cmp, r;
  if (p->rc != LODE_OK) return;
  if (cg_is_vector_op(p, e)) {
    r = cg_expr_reg(p, e);
    cg_op(p, OP_If, r, label, 0);
    return;
  }
  if (e->kind == EXPR_BINARY && e->op == TK_OR) {
    cg_jump_if_true(p, e->left, label);
    cg_jump_if_true(p, e->right, label);
    return;
  }
  if (e->kind == EXPR_BINARY && e->op == TK_AND) {
    int is_false = vdbe_make_label(p->v);
    cg_jump_if_false(p, e->left, is_false);
    cg_jump_if_true(p, e->right, label);
    vdbe_resolve_label(p->v, is_false);
    return;
  }
  if (e->kind == EXPR_BETWEEN && !e->negated && !cg_is_vector_op(p, e->left)) {
    emit_between_jump(p, e, label, 0);
    return;
  }
  cmp = e->kind == EXPR_BINARY ? comparison_opcode(e->op) : -1;
  if (cmp >= 0) {
    emit_compare_jump(p, cmp, e->left, e->right, label, 0);
    return;
  }
  if (e->kind == EXPR_IS && is_operand_bool(p, e->right) < 0) {
    emit_compare_jump(p, e->negated ? OP_Ne : OP_Eq, e->left, e->right, label, CMP_NULLEQ);
    return;
  }
  if (e->kind == EXPR_ISNULL || e->kind == EXPR_NOTNULL) {
    r = cg_expr_reg(p, e->left);
    cg_op(p, e->kind == EXPR_ISNULL ? OP_IsNull : OP_NotNull, r, label, 0);
    return;
  }
  r = cg_expr_reg(p, e);
  cg_op(p, OP_If, r, label, 0);
}

/* ---- aggregates ----------------------------------------------------------------- */

const Expr *cg_first_aggregate(Parse *p, const Expr *e) {
  if (!e) return NULL;
  if (e->kind == EXPR_FUNCTION) {
    int exists = 0;
    const FuncDef *f = func_lookup(p->db->funcs, e->text, e->star ? 0 : (e->args ? e->args->n : 0), &exists);
    if (e->over) return NULL; /* a window call: not an aggregate of this query */
    if (cg_is_outer_owned(p, e)) return NULL;
    if (f && (f->flags & FUNC_AGGREGATE)) return e;
  }
  const Expr *found = cg_first_aggregate(p, e->left);
  if (!found) found = cg_first_aggregate(p, e->right);
  for (int i = 0; !found && e->args && i < e->args->n; i++) found = cg_first_aggregate(p, e->args->items[i]);
  return found;
}

int cg_expr_has_aggregate(Parse *p, const Expr *e) { return cg_first_aggregate(p, e) != NULL; }

int cg_expr_has_subquery(const Expr *e) {
  if (!e) return 0;
  if (e->select) return 1;
  if (cg_expr_has_subquery(e->left) || cg_expr_has_subquery(e->right) || cg_expr_has_subquery(e->escape)) return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (cg_expr_has_subquery(e->args->items[i])) return 1;
  return 0;
}

static int same_name(const char *a, const char *b) {
  if (!a || !b) return !a && !b;
  return util_stricmp(a, b) == 0;
}

Expr *cg_and(Parse *p, const Expr *a, const Expr *b) {
  if (!a || !b) return (Expr *)(a ? a : b);
  Expr *e = arena_alloc(&p->arena, sizeof *e);
  if (!e) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return (Expr *)a;
  }
  e->kind = EXPR_BINARY;
  e->op = TK_AND;
  e->left = (Expr *)a;
  e->right = (Expr *)b;
  e->src = a->src;
  e->offset = a->offset;
  return e;
}

int cg_same_tree(const Expr *a, const Expr *b) {
  if (!a || !b) return !a && !b;
  if (a->kind != b->kind || a->op != b->op || a->negated != b->negated || a->distinct != b->distinct ||
      a->star != b->star || a->ival != b->ival || a->param_index != b->param_index || a->select || b->select ||
      a->over || b->over || a->filter || b->filter || a->agg_order || b->agg_order)
    return 0;
  if (a->kind == EXPR_FLOAT && a->rval != b->rval) return 0;
  if (a->kind == EXPR_STRING || a->kind == EXPR_BLOB) {
    if (a->n != b->n || memcmp(a->text, b->text, (size_t)a->n) != 0) return 0;
  } else if (!same_name(a->text, b->text)) {
    return 0;
  }
  if (!same_name(a->table, b->table) || !cg_same_tree(a->left, b->left) || !cg_same_tree(a->right, b->right) ||
      !cg_same_tree(a->escape, b->escape))
    return 0;
  if (!a->args || !b->args) return !a->args && !b->args;
  if (a->args->n != b->args->n) return 0;
  for (int i = 0; i < a->args->n; i++)
    if (!cg_same_tree(a->args->items[i], b->args->items[i])) return 0;
  return 1;
}

/* An argument tree of columns, literals and operators only: no call whose
** value may differ from one evaluation to the next, no subquery. */
static int plain_operand(const Expr *e) {
  if (!e) return 1;
  if (e->kind == EXPR_FUNCTION || e->select || e->kind == EXPR_PARAM) return 0;
  if (!plain_operand(e->left) || !plain_operand(e->right) || !plain_operand(e->escape)) return 0;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (!plain_operand(e->args->items[i])) return 0;
  return 1;
}

/* Whether the columns of a and b (trees cg_same_tree found alike) are bound
** alike, where both are bound. */
static int same_binding(const Expr *a, const Expr *b) {
  if (!a || !b) return 1;
  if (a->kind == EXPR_COLUMN && a->bound && b->bound &&
      (a->bind_depth != b->bind_depth || a->bind_item != b->bind_item || a->bind_col != b->bind_col))
    return 0;
  if (!same_binding(a->left, b->left) || !same_binding(a->right, b->right) || !same_binding(a->escape, b->escape))
    return 0;
  for (int i = 0; a->args && b->args && i < a->args->n && i < b->args->n; i++)
    if (!same_binding(a->args->items[i], b->args->items[i])) return 0;
  return 1;
}

/* Whether every column of e is bound. */
static int all_bound(const Expr *e) {
  if (!e) return 1;
  if (e->kind == EXPR_COLUMN && !e->bound) return 0;
  if (!all_bound(e->left) || !all_bound(e->right) || !all_bound(e->escape)) return 0;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (!all_bound(e->args->items[i])) return 0;
  return 1;
}

int cg_same_bound_tree(const Expr *a, const Expr *b) {
  return cg_same_tree(a, b) && all_bound(a) && all_bound(b) && same_binding(a, b);
}

int cg_same_agg_call(const Expr *call, const Expr *e) {
  if (call == e) return 1;
  if (!call || !e || call->filter || e->filter || call->agg_order || e->agg_order || !cg_same_tree(call, e) ||
      !same_binding(call, e))
    return 0;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (!plain_operand(e->args->items[i])) return 0;
  return 1;
}

/* ---- direct-only functions ------------------------------------------------------- */

/* SQLite's rule for a call the schema makes: never a DIRECTONLY function,
** and a function not declared INNOCUOUS only while trusted_schema is on. */
static int schema_may_call(const Parse *p, const FuncDef *f) {
  if (f->flags & FUNC_DIRECTONLY) return 0;
  return !(f->flags & FUNC_UNSAFE) || p->db->settings[CONN_SET_TRUSTED_SCHEMA] != 0;
}

/* ALTER's compiles of views and triggers (p->rename) only resolve names and
** never run what they compile, so SQLite's rename accepts calls that running
** the object would refuse. */
int cg_func_unsafe(Parse *p, const Expr *e, const FuncDef *f) {
  if (!f || !e->from_ddl || p->rename || schema_may_call(p, f)) return 0;
  cg_error(p, LODE_ERROR, "unsafe use of %s()", e->text);
  return 1;
}

int cg_schema_calls_check(Parse *p, const Expr *e) {
  if (!e || p->rc != LODE_OK) return p->rc;
  if (e->kind == EXPR_FUNCTION) {
    int exists = 0;
    const FuncDef *f = func_lookup(p->db->funcs, e->text, e->star ? 0 : e->args ? e->args->n : 0, &exists);
    if (f && !schema_may_call(p, f)) return cg_error(p, LODE_ERROR, "unsafe use of %s()", e->text);
  }
  cg_schema_calls_check(p, e->left);
  cg_schema_calls_check(p, e->right);
  cg_schema_calls_check(p, e->escape);
  for (int i = 0; e->args && i < e->args->n; i++) cg_schema_calls_check(p, e->args->items[i]);
  for (int i = 0; e->agg_order && i < e->agg_order->n; i++) cg_schema_calls_check(p, e->agg_order->items[i]);
  return p->rc;
}

int cg_check_expr_prepare(Parse *p, Expr *e) {
  if (!e || p->rc != LODE_OK) return p->rc;
  switch (e->kind) {
  case EXPR_COLUMN: e->schema = NULL; break; /* a database name is ignored there, as in SQLite */
  case EXPR_PARAM: return cg_error_at(p, e, LODE_ERROR, "parameters prohibited in CHECK constraints");
  case EXPR_IN_SELECT: return cg_error_at(p, e->left, LODE_ERROR, "subqueries prohibited in CHECK constraints");
  case EXPR_SUBQUERY: case EXPR_EXISTS: return cg_error(p, LODE_ERROR, "subqueries prohibited in CHECK constraints");
  default: break;
  }
  cg_check_expr_prepare(p, e->left);
  cg_check_expr_prepare(p, e->right);
  cg_check_expr_prepare(p, e->escape);
  for (int i = 0; e->args && i < e->args->n; i++) cg_check_expr_prepare(p, e->args->items[i]);
  for (int i = 0; e->agg_order && i < e->agg_order->n; i++) cg_check_expr_prepare(p, e->agg_order->items[i]);
  return p->rc;
}

/* ---- defaults ------------------------------------------------------------------- */

/* Codes a column's DEFAULT (parsed from its source text) or NULL. */
void cg_literal_default(Parse *p, const Table *t, const Column *col, int target) {
  char *sql;
  Stmt *st = NULL;
  char *err = NULL;
  int rc;
  if (!col->default_sql) {
    cg_op(p, OP_Null, 0, target, 0);
    return;
  }
  sql = util_mprintf("SELECT %s", col->default_sql);
  if (!sql) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  rc = t->db == CONN_DB_TEMP ? sql_parse(&p->arena, sql, -1, &st, NULL, &err)
                             : sql_parse_schema(&p->arena, sql, -1, &st, NULL, &err);
  if (rc == LODE_OK && st && st->select && st->select->columns && st->select->columns->n == 1) {
    Scope *saved = p->scope;
    p->scope = NULL; /* defaults cannot name columns */
    default_name_as_string(st->select->columns->items[0]);
    p->in_default++;
    cg_expr(p, st->select->columns->items[0], target);
    p->in_default--;
    p->scope = saved;
  } else {
    cg_error(p, LODE_ERROR, "%s", err ? err : "malformed DEFAULT");
  }
  util_free(err);
  util_free(sql);
}

/* ---- rowid lookups ---------------------------------------------------------------- */

void cg_seek_rowid(Parse *p, int cursor, const Expr *value, int not_found) {
  int r = cg_expr_reg(p, value);
  cg_op4_str(p, OP_Affinity, r, 1, 0, "C"); /* rowid = '5' finds row 5, as the comparison would */
  cg_op(p, OP_SeekRowid, cursor, not_found, r);
}
