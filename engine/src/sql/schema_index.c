/*
** schema_index.c — the indexes of the schema: those a CREATE TABLE implies
** (autoindexes), those CREATE INDEX describes, and the order a table keeps
** them in.  What follows is SQLite's behaviour as its documentation
** (lang_createtable.html, lang_createindex.html, fileformat2.html) and the
** sqlite3 CLI show it.
**
** Autoindexes.  Each PRIMARY KEY (unless it is the rowid) and each UNIQUE
** constraint implies an index, in the order the constraints are written: the
** constraints of each column in column order, then the table constraints.
** The n-th distinct one is named sqlite_autoindex_<table>_<n>.  A constraint
** whose columns and collations (in order; directions do not count) equal an
** earlier one's implies no index of its own: the earlier index takes its
** explicit ON CONFLICT action (two different explicit actions are an error)
** and, for a PRIMARY KEY, becomes the primary key's index.  An INTEGER
** PRIMARY KEY of a WITHOUT ROWID table is no rowid alias; its index is
** implied last, after all others.
**
** Index entries.  Every index of a rowid table ends with the rowid.  In a
** WITHOUT ROWID table the PRIMARY KEY index is the table: its key is the
** PRIMARY KEY columns (a column repeated with the same collation counted
** once), followed by every other column (BINARY, ascending).  Its other
** indexes end with those PRIMARY KEY columns their key does not already hold
** with the same collation: in the key's direction for a CREATE INDEX, always
** ascending for an autoindex (as sqlite3 builds them; the order of entries
** in existing files depends on it).
*/
#include <string.h>

#include "lode.h"
#include "sql/schema_int.h"
#include "sql/token.h"
#include "util/util.h"
#include "value/value.h"

#define COLL_NAME_DEFAULT "BINARY"

int schema_collation(const char *name) {
  int id = coll_by_name(name);
  return id < 0 ? COLL_BINARY : id;
}

static Index *index_new(void) {
  Index *ix = util_zalloc(sizeof *ix);
  if (ix) arena_init(&ix->arena);
  return ix;
}

void index_free(Index *ix) {
  if (!ix) return;
  arena_free(&ix->arena);
  util_free(ix);
}

KeyInfo *index_keyinfo(const Index *ix) {
  KeyInfo *k = keyinfo_new(ix->ncols);
  if (!k) return NULL;
  /* Every field has its order: past the key, a WITHOUT ROWID table's
  ** PRIMARY KEY columns keep their collation (and, in a CREATE INDEX, their
  ** direction); a rowid compares ascending. */
  for (int j = 0; j < ix->ncols; j++) {
    k->desc[j] = (uint8_t)ix->cols[j].desc;
    k->nulls_last[j] = (uint8_t)ix->cols[j].desc; /* NULL is the smallest value, so last when descending */
    k->coll[j] = (uint8_t)ix->cols[j].coll;
  }
  return k;
}

int index_has_own_btree(const Index *ix) { return !(ix->table && ix->table->without_rowid && ix->table->pk == ix); }

static int is_literal(const Expr *e) {
  if (e->kind == EXPR_UNARY && (e->op == TK_MINUS || e->op == TK_PLUS)) e = e->left;
  return e->kind == EXPR_INTEGER || e->kind == EXPR_FLOAT || e->kind == EXPR_STRING;
}

static const Expr *where_constant(const Table *t, const Expr *cond, int col) {
  if (!cond) return NULL;
  if (cond->kind == EXPR_BINARY && cond->op == TK_AND) {
    const Expr *v = where_constant(t, cond->left, col);
    return v ? v : where_constant(t, cond->right, col);
  }
  if (cond->kind != EXPR_BINARY || cond->op != TK_EQ) return NULL;
  const Expr *c = cond->left, *v = cond->right;
  if (c->kind != EXPR_COLUMN) c = cond->right, v = cond->left;
  if (c->kind != EXPR_COLUMN || c->table || !is_literal(v) || table_column_index(t, c->text) != col) return NULL;
  return v;
}

const Expr *index_where_constant(const Index *ix, int col) {
  const Table *t = ix->table;
  if (!ix->where || !t || col < 0 || col >= t->ncols || col == t->ipk || t->cols[col].coll != COLL_BINARY) return NULL;
  char aff = t->cols[col].affinity;
  if (aff != AFF_TEXT && aff != AFF_NUMERIC && aff != AFF_INTEGER && aff != AFF_REAL) return NULL;
  return where_constant(t, ix->where, col);
}

static int is_replace(const Index *ix) { return ix->unique && ix->on_conflict == ONCONFLICT_REPLACE; }

void table_add_index(Table *t, Index *ix) {
  Index **at = &t->indexes;
  ix->table = t;
  if (is_replace(ix)) {
    while (*at && !is_replace(*at)) at = &(*at)->next;
  }
  ix->next = *at;
  *at = ix;
}

static const char *index_strdup(Index *ix, const char *z) {
  return z ? arena_strndup(&ix->arena, z, strlen(z)) : NULL;
}

/* Column cid's collation as its table declares it. */
static const char *column_coll_name(const Table *t, int cid) {
  return cid >= 0 && t->cols[cid].coll_name ? t->cols[cid].coll_name : COLL_NAME_DEFAULT;
}

/* Fills one index column; the collation name is copied into the index. */
static int set_column(Index *ix, IndexColumn *c, int cid, const Expr *expr, const char *coll, int desc) {
  c->cid = cid;
  c->expr = expr;
  c->coll_name = index_strdup(ix, coll ? coll : COLL_NAME_DEFAULT);
  c->coll = schema_collation(c->coll_name);
  c->desc = desc;
  return c->coll_name ? LODE_OK : LODE_NOMEM;
}

/* 1 if cols[0..n) hold column cid with collation coll. */
static int holds_column(const IndexColumn *cols, int n, int cid, const char *coll) {
  for (int i = 0; i < n; i++)
    if (cols[i].cid == cid && util_stricmp(cols[i].coll_name, coll) == 0) return 1;
  return 0;
}

/* Appends what identifies a row to the key (Index.ncols; see the top of the
** file).  The PRIMARY KEY index of a WITHOUT ROWID table is finished first:
** the others copy its key. */
static int append_row_identity(Index *ix, const Table *t) {
  const Index *pk = t->pk;
  int extra = !t->without_rowid ? 1 : ix == pk ? t->ncols : pk ? pk->nkey : 0;
  IndexColumn *cols = arena_alloc(&ix->arena, sizeof(IndexColumn) * (size_t)(ix->nkey + extra + 1));
  int rc = LODE_OK, n = ix->nkey, i;
  if (!cols) return LODE_NOMEM;
  if (ix->nkey) memcpy(cols, ix->cols, sizeof(IndexColumn) * (size_t)ix->nkey);
  if (!t->without_rowid) {
    rc = set_column(ix, &cols[n++], XN_ROWID, NULL, NULL, 0);
  } else if (ix == pk) {
    for (i = 0; rc == LODE_OK && i < t->ncols; i++) {
      int in_key = 0;
      for (int k = 0; k < ix->nkey; k++) in_key |= cols[k].cid == i;
      if (!in_key && t->cols[i].generated != COLGEN_VIRTUAL) rc = set_column(ix, &cols[n++], i, NULL, NULL, 0);
    }
  } else if (pk) {
    for (i = 0; rc == LODE_OK && i < pk->nkey; i++) {
      /* A CREATE INDEX entry keeps the key's directions; an autoindex's
      ** are ascending (sqlite3 builds them so; files depend on it). */
      if (!holds_column(cols, ix->nkey, pk->cols[i].cid, pk->cols[i].coll_name))
        rc = set_column(ix, &cols[n++], pk->cols[i].cid, NULL, pk->cols[i].coll_name,
                        ix->autoindex ? 0 : pk->cols[i].desc);
    }
  }
  ix->cols = cols;
  ix->ncols = n;
  return rc;
}

/* ---- autoindexes ------------------------------------------------------------------- */

/* One implied index in the making: key columns only (nkey of them). */
static Index *implied_new(Table *t, IndexOrigin origin, int on_conflict, int nkey) {
  Index *ix = index_new();
  if (!ix) return NULL;
  ix->cols = arena_alloc(&ix->arena, sizeof(IndexColumn) * (size_t)(nkey ? nkey : 1));
  ix->table_name = index_strdup(ix, t->name);
  if (!ix->cols || !ix->table_name) {
    index_free(ix);
    return NULL;
  }
  ix->table = t;
  ix->nkey = nkey;
  ix->origin = origin;
  ix->unique = 1;
  ix->on_conflict = on_conflict;
  ix->autoindex = 1;
  return ix;
}

static int same_key(const Index *a, const Index *b) {
  if (a->nkey != b->nkey) return 0;
  for (int i = 0; i < a->nkey; i++) {
    if (a->cols[i].cid != b->cols[i].cid || util_stricmp(a->cols[i].coll_name, b->cols[i].coll_name) != 0) return 0;
  }
  return 1;
}

/* Adds the index a constraint implies, or merges it into an earlier equal
** one (freeing ix).  LODE_ERROR with *errmsg, or LODE_NOMEM. */
static int add_implied(Table *t, Index *ix, char **errmsg) {
  Index **grown;
  for (int i = 0; i < t->nautoindexes; i++) {
    Index *old = t->autoindexes[i];
    if (!same_key(old, ix)) continue;
    if (old->on_conflict != ix->on_conflict && old->on_conflict != ONCONFLICT_UNSET &&
        ix->on_conflict != ONCONFLICT_UNSET) {
      index_free(ix);
      *errmsg = util_strdup("conflicting ON CONFLICT clauses specified");
      return *errmsg ? LODE_ERROR : LODE_NOMEM;
    }
    if (old->on_conflict == ONCONFLICT_UNSET && ix->on_conflict != ONCONFLICT_UNSET) {
      old->on_conflict = ix->on_conflict;
      /* Now REPLACE: it moves behind the others, whose checks go first. */
      if (is_replace(old)) {
        Index **at = &t->indexes;
        while (*at != old) at = &(*at)->next;
        *at = old->next;
        table_add_index(t, old);
      }
    }
    if (ix->origin == INDEX_ORIGIN_PK) old->origin = INDEX_ORIGIN_PK;
    index_free(ix);
    return LODE_OK;
  }
  char *name = util_mprintf("sqlite_autoindex_%s_%d", t->name, t->nautoindexes + 1);
  ix->name = name ? index_strdup(ix, name) : NULL;
  util_free(name);
  grown = ix->name ? util_realloc(t->autoindexes, sizeof(Index *) * (size_t)(t->nautoindexes + 1)) : NULL;
  if (!grown) {
    index_free(ix);
    return LODE_NOMEM;
  }
  t->autoindexes = grown;
  t->autoindexes[t->nautoindexes++] = ix;
  table_add_index(t, ix);
  return LODE_OK;
}

/* The index of a column's own PRIMARY KEY / UNIQUE constraints: one, since
** they all name the same column with the column's collation. */
static int column_implied(Table *t, const ColumnDef *d, int cid, int with_pk, char **errmsg) {
  int on_conflict = d->unique ? d->unique_conflict : ONCONFLICT_UNSET;
  Index *ix;
  if (with_pk && d->unique && on_conflict != ONCONFLICT_UNSET && d->pk_conflict != ONCONFLICT_UNSET &&
      d->pk_conflict != on_conflict) {
    *errmsg = util_strdup("conflicting ON CONFLICT clauses specified");
    return *errmsg ? LODE_ERROR : LODE_NOMEM;
  }
  if (with_pk && on_conflict == ONCONFLICT_UNSET) on_conflict = d->pk_conflict;
  ix = implied_new(t, with_pk ? INDEX_ORIGIN_PK : INDEX_ORIGIN_UNIQUE, on_conflict, 1);
  if (!ix) return LODE_NOMEM;
  if (set_column(ix, &ix->cols[0], cid, NULL, column_coll_name(t, cid), with_pk && d->pk_desc) != LODE_OK) {
    index_free(ix);
    return LODE_NOMEM;
  }
  return add_implied(t, ix, errmsg);
}

char *schema_constraint_term_error(const TableConstraint *tc, int j) {
  const Expr *e = tc->terms ? tc->terms[j].expr : NULL;
  if (e && e->kind == EXPR_COLUMN && e->quoted)
    return util_strdup("expressions prohibited in PRIMARY KEY and UNIQUE constraints");
  return util_mprintf("no such column: %s", tc->cols[j]);
}

static int constraint_implied(Table *t, const TableConstraint *tc, char **errmsg) {
  IndexOrigin origin = tc->kind == TC_PRIMARY_KEY ? INDEX_ORIGIN_PK : INDEX_ORIGIN_UNIQUE;
  Index *ix = implied_new(t, origin, tc->on_conflict, tc->ncols);
  if (!ix) return LODE_NOMEM;
  for (int j = 0; j < tc->ncols; j++) {
    const IndexedColumn *term = &tc->terms[j];
    int cid = table_column_index(t, tc->cols[j]);
    if (cid < 0) {
      index_free(ix);
      *errmsg = schema_constraint_term_error(tc, j);
      return *errmsg ? LODE_ERROR : LODE_NOMEM;
    }
    const char *coll = term->collation ? term->collation : column_coll_name(t, cid);
    if (set_column(ix, &ix->cols[j], cid, NULL, coll, term->desc) != LODE_OK) {
      index_free(ix);
      return LODE_NOMEM;
    }
  }
  return add_implied(t, ix, errmsg);
}

/* The PRIMARY KEY of a WITHOUT ROWID table that would have been the rowid:
** its index comes after every other implied one. */
int schema_pk_conflict(const Stmt *c, int cid) {
  int on_conflict = c->coldefs[cid].pk_conflict;
  for (int i = 0; i < c->nconstraints; i++)
    if (c->constraints[i].kind == TC_PRIMARY_KEY) on_conflict = c->constraints[i].on_conflict;
  return on_conflict;
}

static int late_primary_key(Table *t, const Stmt *c, int cid, char **errmsg) {
  int desc = 0;
  Index *ix;
  for (int i = 0; i < c->nconstraints; i++) {
    if (c->constraints[i].kind != TC_PRIMARY_KEY) continue;
    desc = c->constraints[i].ncols == 1 && c->constraints[i].terms[0].desc;
  }
  ix = implied_new(t, INDEX_ORIGIN_PK, schema_pk_conflict(c, cid), 1);
  if (!ix) return LODE_NOMEM;
  if (set_column(ix, &ix->cols[0], cid, NULL, column_coll_name(t, cid), desc) != LODE_OK) {
    index_free(ix);
    return LODE_NOMEM;
  }
  return add_implied(t, ix, errmsg);
}

/* A WITHOUT ROWID table's PRIMARY KEY names a column once per collation. */
static void drop_repeated_pk_columns(Index *pk) {
  int n = 0;
  for (int i = 0; i < pk->nkey; i++) {
    if (!holds_column(pk->cols, n, pk->cols[i].cid, pk->cols[i].coll_name)) pk->cols[n++] = pk->cols[i];
  }
  pk->nkey = n;
}

/* Builds t->autoindexes, t->indexes and t->pk from the CREATE TABLE.
** alias: the column whose PRIMARY KEY makes it the rowid (in a WITHOUT ROWID
** table: would have), or -1. */
int table_build_autoindexes(Table *t, const Stmt *c, int alias, char **errmsg) {
  int rc = LODE_OK, i, has_pk = 0;
  for (i = 0; rc == LODE_OK && i < c->ncoldefs; i++) {
    const ColumnDef *d = &c->coldefs[i];
    int with_pk = d->primary_key && i != alias;
    has_pk |= d->primary_key;
    if (with_pk || d->unique) rc = column_implied(t, d, i, with_pk, errmsg);
  }
  for (i = 0; rc == LODE_OK && i < c->nconstraints; i++) {
    const TableConstraint *tc = &c->constraints[i];
    if (tc->kind != TC_PRIMARY_KEY && tc->kind != TC_UNIQUE) continue;
    if (tc->kind == TC_PRIMARY_KEY) has_pk = 1;
    if (tc->kind == TC_PRIMARY_KEY && alias >= 0) continue;
    rc = constraint_implied(t, tc, errmsg);
  }
  if (rc == LODE_OK && t->without_rowid && !has_pk) {
    *errmsg = util_mprintf("PRIMARY KEY missing on table %s", t->name);
    rc = *errmsg ? LODE_ERROR : LODE_NOMEM;
  }
  if (rc == LODE_OK && t->without_rowid && alias >= 0) rc = late_primary_key(t, c, alias, errmsg);
  for (i = 0; rc == LODE_OK && i < t->nautoindexes; i++) {
    if (t->autoindexes[i]->origin == INDEX_ORIGIN_PK) t->pk = t->autoindexes[i];
  }
  if (rc == LODE_OK && t->pk && t->without_rowid) {
    t->pk->root = t->root;
    drop_repeated_pk_columns(t->pk);
    rc = append_row_identity(t->pk, t);
  }
  for (i = 0; rc == LODE_OK && i < t->nautoindexes; i++) {
    if (t->autoindexes[i] != t->pk || !t->without_rowid) rc = append_row_identity(t->autoindexes[i], t);
  }
  return rc;
}

/* ---- CREATE INDEX ---------------------------------------------------------------- */

/* An unquoted, unqualified TRUE or FALSE that names no column: the boolean
** constant, as SQLite reads it ("WHERE deleted IS NOT TRUE"). */
static int is_bool_name(const Expr *e) {
  return !e->table && !e->quoted && (util_stricmp(e->text, "true") == 0 || util_stricmp(e->text, "false") == 0);
}

/* Checks the names an index expression or partial-index condition uses, with
** SQLite's messages; what is "where" in them. */
static int check_expr(const Table *t, const Expr *e, const char *what, int index_expr, char **errmsg) {
  int rc = LODE_OK;
  if (!e) return LODE_OK;
  switch (e->kind) {
  case EXPR_COLUMN:
    if (e->table && util_stricmp(e->table, t->name) != 0) {
      *errmsg = util_mprintf("no such column: %s.%s", e->table, e->text);
    } else if (e->table && index_expr) {
      *errmsg = util_strdup("the \".\" operator prohibited in index expressions");
    } else if (table_column_index(t, e->text) < 0 && !(e->quoted && !e->table) && !is_bool_name(e)) {
      *errmsg = e->table ? util_mprintf("no such column: %s.%s", e->table, e->text)
                         : util_mprintf("no such column: %s", e->text);
    } else {
      return LODE_OK;
    }
    return *errmsg ? LODE_ERROR : LODE_NOMEM;
  case EXPR_PARAM:
    *errmsg = util_mprintf("parameters prohibited in %s", what);
    return *errmsg ? LODE_ERROR : LODE_NOMEM;
  case EXPR_SUBQUERY: case EXPR_EXISTS: case EXPR_IN_SELECT:
    *errmsg = util_mprintf("subqueries prohibited in %s", what);
    return *errmsg ? LODE_ERROR : LODE_NOMEM;
  default: break;
  }
  rc = check_expr(t, e->left, what, index_expr, errmsg);
  if (rc == LODE_OK) rc = check_expr(t, e->right, what, index_expr, errmsg);
  if (rc == LODE_OK) rc = check_expr(t, e->escape, what, index_expr, errmsg);
  for (int i = 0; rc == LODE_OK && e->args && i < e->args->n; i++)
    rc = check_expr(t, e->args->items[i], what, index_expr, errmsg);
  return rc;
}

/* One term of CREATE INDEX: a column when it is a bare name of one (a
** 'string' must be one), else an expression. */
static int index_term(Index *ix, const Table *t, const IndexedColumn *term, IndexColumn *col, char **errmsg) {
  int cid = term->name ? table_column_index(t, term->name) : -1;
  if (cid >= 0) return set_column(ix, col, cid, NULL, term->collation ? term->collation : column_coll_name(t, cid),
                                  term->desc);
  if (term->name && !(term->expr->kind == EXPR_COLUMN && term->expr->quoted)) {
    *errmsg = util_mprintf("no such column: %s", term->name);
    return *errmsg ? LODE_ERROR : LODE_NOMEM;
  }
  int rc = check_expr(t, term->expr, "index expressions", 1, errmsg);
  if (rc != LODE_OK) return rc;
  return set_column(ix, col, XN_EXPR, term->expr, term->collation, term->desc);
}

Index *index_from_ast(const Stmt *c, Table *t, uint32_t root, const char *sql, Arena *ast, char **errmsg) {
  Index *ix = index_new();
  int rc = LODE_NOMEM;
  *errmsg = NULL;
  if (!ix) return NULL;
  if (ast) {
    ix->arena = *ast; /* the blocks move with the struct: nothing points at the Arena itself */
    arena_init(ast);
  }
  ix->table = t;
  ix->root = root;
  ix->origin = INDEX_ORIGIN_CREATE;
  ix->unique = c->unique;
  ix->on_conflict = c->unique ? ONCONFLICT_ABORT : ONCONFLICT_UNSET;
  ix->name = index_strdup(ix, c->index);
  ix->table_name = index_strdup(ix, t->name);
  ix->sql = sql ? index_strdup(ix, sql) : NULL;
  ix->nkey = c->nindexed;
  ix->cols = arena_alloc(&ix->arena, sizeof(IndexColumn) * (size_t)(c->nindexed ? c->nindexed : 1));
  if (!ix->name || !ix->table_name || (sql && !ix->sql) || !ix->cols) goto fail;
  /* SQLite reports a first term that names no column, then the condition,
  ** then the other terms. */
  rc = LODE_OK;
  const IndexedColumn *first = c->nindexed ? &c->indexed[0] : NULL;
  if (first && first->name && table_column_index(t, first->name) < 0 &&
      !(first->expr->kind == EXPR_COLUMN && first->expr->quoted))
    rc = index_term(ix, t, first, &ix->cols[0], errmsg);
  if (rc == LODE_OK) rc = check_expr(t, c->index_where, "partial index WHERE clauses", 0, errmsg);
  ix->where = c->index_where;
  for (int i = 0; rc == LODE_OK && i < c->nindexed; i++) rc = index_term(ix, t, &c->indexed[i], &ix->cols[i], errmsg);
  if (rc == LODE_OK) rc = append_row_identity(ix, t);
  if (rc == LODE_OK) return ix;
fail:
  if (rc == LODE_NOMEM) {
    util_free(*errmsg);
    *errmsg = NULL;
  }
  index_free(ix);
  return NULL;
}
