/*
** idxm.c — index methods in compiled statements: binding a method index to
** its method (the connection's registered methods first, then the built-in
** ones) and its backing stores (the "<index>_<suffix>" b-trees of the
** schema), CREATE INDEX … USING (stores created, rows indexed), DROP of such
** an index, and the row-change hand-off (every row a statement writes or
** deletes goes to each method index of its table, on cursors opened with
** the table's index cursors, inside the statement's transaction).
*/
#include <string.h>

#include "codegen/cg.h"
#include "idxmethod/idxmethod.h"
#include "sql/parser.h"
#include "util/util.h"

const lode_index_method *cg_idxm_method(Parse *p, const char *name) {
  const lode_index_method *m = conn_index_method(p->db, name);
  return m ? m : idxm_builtin(name);
}

/* mi's method attached: the schema's binding when it was made with the
** method the connection has now, else a new one the schema keeps.  A
** reference for the caller; NULL after cg_error. */
static IdxmBinding *attach(Parse *p, const MethodIndex *mi) {
  const Table *t = mi->table;
  const lode_index_method *m = cg_idxm_method(p, mi->method);
  char *err = NULL;
  if (!m) {
    cg_error(p, LODE_ERROR, "no such index method: %s", mi->method);
    return NULL;
  }
  IdxmBinding *cached = mi->attachment;
  if (cached && cached->method == m) return idxm_binding_ref(cached);
  if (t->without_rowid) {
    cg_error(p, LODE_ERROR, "index method %s needs a rowid table", m->name);
    return NULL;
  }
  const char **names = util_malloc(sizeof(char *) * (size_t)(2 * mi->ncols + 1));
  if (!names) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  for (int i = 0; i < mi->ncols; i++) {
    names[i] = t->cols[mi->cols[i]].name;
    names[mi->ncols + i] = t->cols[mi->cols[i]].decltype_ ? t->cols[mi->cols[i]].decltype_ : "";
  }
  lode_index_config cfg = {mi->name, t->name, mi->ncols, names, names + mi->ncols, mi->nparams, mi->params};
  lode_index_attachment *a = NULL;
  int rc = idxm_attach(m, &cfg, &a, &err);
  util_free(names);
  if (rc != LODE_OK) {
    cg_error(p, err ? rc : LODE_NOMEM, "%s", err ? err : "out of memory");
    util_free(err);
    return NULL;
  }
  IdxmBinding *b = idxm_binding_new(a);
  if (!b) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  /* The schema keeps it for the next statement (a MethodIndex is the
  ** schema's, which codegen otherwise only reads). */
  MethodIndex *keep = (MethodIndex *)mi;
  if (keep->attachment && keep->attachment_free) keep->attachment_free(keep->attachment);
  keep->attachment = idxm_binding_ref(b);
  keep->attachment_free = idxm_binding_release;
  return b;
}

char *cg_idxm_store_name(const char *index, const char *suffix) { return util_mprintf("%s_%s", index, suffix); }

VdbeIdxm *cg_idxm_bind(Parse *p, const MethodIndex *mi, int with_roots) {
  VdbeIdxm *x = util_zalloc(sizeof *x);
  if (!x) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  if (!(x->binding = attach(p, mi))) goto fail;
  x->att = x->binding->att;
  x->nstores = x->att->nstores;
  if (!(x->roots = util_zalloc(sizeof(uint32_t) * (size_t)(x->nstores + 1)))) {
    cg_error(p, LODE_NOMEM, "out of memory");
    goto fail;
  }
  for (int i = 0; with_roots && i < x->nstores; i++) {
    char *name = cg_idxm_store_name(mi->name, x->att->store_suffixes[i]);
    const MethodIndex *s = name ? schema_find_method_index(cg_db_schema(p, mi->table->db), name) : NULL;
    if (!name) {
      cg_error(p, LODE_NOMEM, "out of memory");
    } else if (!s || !s->backing || s->table != mi->table || !s->root) {
      /* An index some other engine wrote with other stores: it cannot be kept up to date here. */
      cg_error(p, LODE_ERROR, "index %s of method %s lacks its store %s", mi->name, mi->method, name);
    } else {
      x->roots[i] = s->root;
    }
    util_free(name);
    if (p->rc != LODE_OK) goto fail;
  }
  return x;
fail:
  vdbe_idxm_free(x);
  return NULL;
}

int cg_idxm_count(const Table *t) {
  int n = 0;
  for (const MethodIndex *mi = t->method_indexes; mi; mi = mi->next) n += !mi->backing;
  return n;
}

void cg_idxm_open_all(Parse *p, const Table *t, int *first) {
  for (const MethodIndex *mi = t->method_indexes; mi; mi = mi->next) {
    if (mi->backing) continue;
    VdbeIdxm *x = cg_idxm_bind(p, mi, 1);
    if (!x) return;
    int c = cg_cursor(p);
    if (*first < 0) *first = c;
    int addr = vdbe_add_op4(p->v, OP_IdxmOpen, c, 1, 0, P4_IDXM, x, 0);
    if (addr < 0) {
      cg_error(p, LODE_NOMEM, "out of memory");
      return;
    }
    vdbe_set_comment(p->v, addr, "%s", mi->name);
    vdbe_set_op_db(p->v, addr, t->db);
  }
}

/* The indexed values of src's row into regs; the rowid into rowid_reg. */
static void row_values(Parse *p, const MethodIndex *mi, const RowSource *src, int regs, int rowid_reg) {
  Table *t = (Table *)src->table;
  for (int i = 0; i < mi->ncols; i++) {
    int col = mi->cols[i];
    if (src->cursor >= 0) cg_code_column(p, t, src->cursor, col == t->ipk ? -1 : col, regs + i);
    else cg_op(p, OP_SCopy, col == t->ipk ? src->rowid_reg : src->regs + col, regs + i, 0);
  }
  if (src->cursor >= 0) cg_code_column(p, t, src->cursor, -1, rowid_reg);
  else cg_op(p, OP_SCopy, src->rowid_reg, rowid_reg, 0);
}

void cg_idxm_entries(Parse *p, const Table *t, int first_cursor, const RowSource *src, int insert, const char *keep) {
  int c = first_cursor;
  for (const MethodIndex *mi = t->method_indexes; mi; mi = mi->next) {
    if (mi->backing) continue;
    if (keep && keep[c - first_cursor]) {
      c++;
      continue;
    }
    int regs = cg_regs(p, mi->ncols), rowid = cg_reg(p);
    row_values(p, mi, src, regs, rowid);
    vdbe_add_op4_int(p->v, insert ? OP_IdxmInsert : OP_IdxmDelete, c, regs, rowid, mi->ncols);
    c++;
  }
}

static int plain_name(const char *z) {
  if (!((*z >= 'a' && *z <= 'z') || (*z >= 'A' && *z <= 'Z') || *z == '_')) return 0;
  for (; *z; z++)
    if (!((*z >= 'a' && *z <= 'z') || (*z >= 'A' && *z <= 'Z') || (*z >= '0' && *z <= '9') || *z == '_')) return 0;
  return 1;
}

static void append_name(StrBuf *b, const char *z) {
  if (plain_name(z)) {
    strbuf_appendz(b, z);
    return;
  }
  strbuf_appendz(b, "\"");
  for (; *z; z++) strbuf_printf(b, *z == '"' ? "\"\"" : "%c", *z);
  strbuf_appendz(b, "\"");
}

/* A store's sqlite_schema text, as Turso writes it:
** "CREATE INDEX <index>_<suffix> ON <table> USING backing_btree (<cols>)". */
static char *store_sql(const MethodIndex *mi, const char *store) {
  StrBuf b;
  strbuf_init(&b);
  strbuf_appendz(&b, "CREATE INDEX ");
  append_name(&b, store);
  strbuf_appendz(&b, " ON ");
  append_name(&b, mi->table->name);
  strbuf_appendz(&b, " USING " METHOD_BACKING_BTREE " (");
  for (int i = 0; i < mi->ncols; i++) {
    if (i) strbuf_appendz(&b, ", ");
    append_name(&b, mi->table->cols[mi->cols[i]].name);
  }
  strbuf_appendz(&b, ")");
  return strbuf_finish(&b);
}

void cg_idxm_create(Parse *p, const Stmt *st, Table *t) {
  char *err = NULL;
  MethodIndex *mi = method_index_from_ast(st, t, 0, st->sql, &err);
  if (!mi) {
    cg_error(p, err ? LODE_ERROR : LODE_NOMEM, "%s", err ? err : "out of memory");
    util_free(err);
    return;
  }
  Schema *s = cg_db_schema(p, t->db);
  VdbeIdxm *x = cg_idxm_bind(p, mi, 0);
  if (!x) goto done;
  for (int i = 0; i < x->nstores; i++) {
    char *name = cg_idxm_store_name(mi->name, x->att->store_suffixes[i]);
    if (!name) {
      cg_error(p, LODE_NOMEM, "out of memory");
    } else if (schema_find_table(s, name) || schema_find_index(s, name) || schema_find_method_index(s, name) ||
               schema_find_view(s, name)) {
      cg_error(p, LODE_ERROR, "index method %s: its store %s would take the name of an existing object",
               mi->method, name);
    }
    util_free(name);
    if (p->rc != LODE_OK) goto done;
  }
  p->writes = 1;
  cg_begin_program(p);
  int roots = cg_regs(p, x->nstores ? x->nstores : 1);
  /* The stores' rows first, then the index's (root 0), in Turso's order. */
  for (int i = 0; i < x->nstores; i++) {
    char *name = cg_idxm_store_name(mi->name, x->att->store_suffixes[i]);
    char *sql = name ? store_sql(mi, name) : NULL;
    if (!sql) cg_error(p, LODE_NOMEM, "out of memory");
    else {
      cg_op(p, OP_CreateBtree, 0, roots + i, BTREE_BLOBKEY);
      cg_schema_insert(p, "index", name, t->name, roots + i, sql);
    }
    util_free(name);
    util_free(sql);
  }
  int zero = cg_reg(p);
  cg_op(p, OP_Integer, 0, zero, 0);
  cg_schema_insert(p, "index", mi->name, t->name, zero, st->sql);
  /* Every row of the table goes to the method. */
  int tcur = cg_cursor(p), mcur = cg_cursor(p), done = vdbe_make_label(p->v);
  int nstores = x->nstores;
  cg_open_table(p, t, tcur, OP_OpenRead);
  if (vdbe_add_op4(p->v, OP_IdxmOpen, mcur, 1, nstores ? roots : 0, P4_IDXM, x, 0) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  x = NULL;
  cg_op(p, OP_Rewind, tcur, done, 0);
  int top = vdbe_current_addr(p->v);
  RowSource src = {t, tcur, 0, 0};
  int regs = cg_regs(p, mi->ncols), rowid = cg_reg(p);
  row_values(p, mi, &src, regs, rowid);
  vdbe_add_op4_int(p->v, OP_IdxmInsert, mcur, regs, rowid, mi->ncols);
  cg_op(p, OP_Next, tcur, top, 0);
  vdbe_resolve_label(p->v, done);
  cg_op(p, OP_Close, tcur, 0, 0);
  cg_op(p, OP_Close, mcur, 0, 0);
  cg_bump_schema(p);
  cg_end_program(p);
done:
  vdbe_idxm_free(x);
  method_index_free(mi);
}

/* The method index a backing b-tree belongs to: the one whose name,
** followed by '_', is the longest prefix of the store's name. */
static const MethodIndex *store_owner(const MethodIndex *store) {
  const MethodIndex *best = NULL;
  size_t best_len = 0;
  for (const MethodIndex *mi = store->table->method_indexes; mi; mi = mi->next) {
    size_t len = strlen(mi->name);
    if (mi->backing || len <= best_len || util_strnicmp(store->name, mi->name, len) != 0 || store->name[len] != '_')
      continue;
    best = mi;
    best_len = len;
  }
  return best;
}

void cg_idxm_drop(Parse *p, const MethodIndex *mi) {
  p->writes = 1;
  cg_begin_program(p);
  cg_schema_delete_index(p, mi->name);
  for (const MethodIndex *s = mi->table->method_indexes; s; s = s->next)
    if (s->backing && store_owner(s) == mi) cg_schema_delete_index(p, s->name);
  /* Highest root first (cg_destroy). */
  for (uint32_t done = UINT32_MAX;;) {
    uint32_t best = 0;
    for (const MethodIndex *s = mi->table->method_indexes; s; s = s->next)
      if (s->backing && store_owner(s) == mi && s->root < done && s->root > best) best = s->root;
    if (!best) break;
    cg_destroy(p, best);
    done = best;
  }
  cg_bump_schema(p);
  cg_end_program(p);
}

/* OPTIMIZE INDEX [[schema.]name]: the named method index, or every fts
** index; each reports (index, terms, chunks_before, chunks_after,
** terms_dropped) as the method counts them. */
static int optimizable(const MethodIndex *mi) { return !mi->backing && util_stricmp(mi->method, "fts") == 0; }

static void optimize_one(Parse *p, const MethodIndex *mi, int regs) {
  VdbeIdxm *x = cg_idxm_bind(p, mi, 1);
  if (!x) return;
  int c = cg_cursor(p);
  int addr = vdbe_add_op4(p->v, OP_IdxmOpen, c, 1, 0, P4_IDXM, x, 0);
  if (addr < 0) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return;
  }
  vdbe_set_op_db(p->v, addr, mi->table->db);
  cg_op(p, OP_IdxmOptimize, c, regs + 1, 0);
  if (vdbe_add_op4(p->v, OP_String8, (int)strlen(mi->name), regs, 0, P4_STRING, mi->name, (int)strlen(mi->name)) < 0)
    cg_error(p, LODE_NOMEM, "out of memory");
  cg_op(p, OP_ResultRow, regs, 5, 0);
  cg_op(p, OP_Close, c, 0, 0);
}

void cg_idxm_optimize(Parse *p, const Stmt *st) {
  static const char *const names[] = {"index", "terms", "chunks_before", "chunks_after", "terms_dropped"};
  int only = -1;
  if (st->schema && (only = cg_db_named(p, st->schema)) < 0) return;
  const MethodIndex *one = NULL;
  if (st->index) {
    for (int d = 0; d < p->db->ndb && !one; d++) {
      if (only >= 0 && d != only) continue;
      Schema *s = cg_db_schema(p, d);
      one = s ? schema_find_method_index(s, st->index) : NULL;
    }
    if (!one || one->backing) {
      cg_error(p, LODE_ERROR, "no such index: %s", st->index);
      return;
    }
    if (!optimizable(one)) {
      cg_error(p, LODE_ERROR, "index %s (method %s) has nothing to optimize", one->name, one->method);
      return;
    }
  }
  cg_result_names(p, 5, names);
  p->writes = 1;
  cg_begin_program(p);
  int regs = cg_regs(p, 5);
  if (one) {
    optimize_one(p, one, regs);
  } else {
    for (int d = 0; d < p->db->ndb && p->rc == LODE_OK; d++) {
      if (only >= 0 && d != only) continue;
      Schema *s = cg_db_schema(p, d);
      for (int i = 0; s && i < s->ntables && p->rc == LODE_OK; i++)
        for (const MethodIndex *mi = s->tables[i]->method_indexes; mi && p->rc == LODE_OK; mi = mi->next)
          if (optimizable(mi)) optimize_one(p, mi, regs);
    }
  }
  cg_end_program(p);
}

/* ---- planning: a query that is a superset of a method's pattern ------------------- */

/* An expression that reads no column of any table (a placeholder's value). */
static int is_constant(const Expr *e) {
  if (!e) return 1;
  switch (e->kind) {
  case EXPR_COLUMN: case EXPR_STAR: case EXPR_SUBQUERY: case EXPR_EXISTS: case EXPR_IN_SELECT: case EXPR_REGISTER:
  case EXPR_RAISE:
    return 0;
  case EXPR_FUNCTION:
    if (e->over || e->filter || e->agg_order || e->star) return 0;
    break;
  default: break;
  }
  if (!is_constant(e->left) || !is_constant(e->right) || !is_constant(e->escape)) return 0;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (!is_constant(e->args->items[i])) return 0;
  return 1;
}

typedef struct Match {
  const Table *table;
  int nargs;
  const Expr *args[8];
} Match;

/* The query's qe has the shape of the pattern's pe: the same function
** calls, the same columns of the table, a constant where pe has "?". */
static int match_expr(const Expr *pe, const Expr *qe, Match *m) {
  if (!pe || !qe) return 0;
  switch (pe->kind) {
  case EXPR_PARAM:
    if (!is_constant(qe) || m->nargs >= 8) return 0;
    m->args[m->nargs++] = qe;
    return 1;
  case EXPR_COLUMN: {
    int col = table_column_index(m->table, pe->text);
    return col >= 0 && qe->kind == EXPR_COLUMN && qe->bound && qe->bind_depth == 0 && qe->bind_item == 0 &&
           qe->bind_col == (col == m->table->ipk ? -1 : col);
  }
  case EXPR_UNARY:
  case EXPR_BINARY:
    if (qe->kind != pe->kind || qe->op != pe->op) return 0;
    return match_expr(pe->left, qe->left, m) && (pe->kind == EXPR_UNARY || match_expr(pe->right, qe->right, m));
  case EXPR_FUNCTION:
    if (qe->kind != EXPR_FUNCTION || util_stricmp(pe->text, qe->text) != 0 || qe->distinct || qe->filter ||
        qe->over || qe->star || !pe->args || !qe->args || pe->args->n != qe->args->n)
      return 0;
    for (int i = 0; i < pe->args->n; i++)
      if (!match_expr(pe->args->items[i], qe->args->items[i], m)) return 0;
    return 1;
  default: return 0;
  }
}

/* match_expr that leaves m as it was when it fails. */
static int try_match(const Expr *pe, const Expr *qe, Match *m) {
  int n = m->nargs;
  if (match_expr(pe, qe, m)) return 1;
  m->nargs = n;
  return 0;
}

/* Two constants that certainly have the same value: the same literal or
** the same parameter. */
static int same_constant(const Expr *a, const Expr *b) {
  if (a == b) return 1;
  if (!a || !b || a->kind != b->kind) return 0;
  switch (a->kind) {
  case EXPR_PARAM: return a->param_index == b->param_index;
  case EXPR_INTEGER: return a->ival == b->ival && a->n == b->n && memcmp(a->text, b->text, (size_t)a->n) == 0;
  case EXPR_STRING:
  case EXPR_FLOAT: return a->n == b->n && memcmp(a->text, b->text, (size_t)a->n) == 0;
  case EXPR_NULL: return 1;
  default: return 0;
  }
}

/* What a query takes from a pattern. */
typedef struct Plan {
  Match m;
  const Expr *where;     /* the query's WHERE terms left to check */
  int ordered;           /* the pattern delivers the query's ORDER BY */
  int ncols;             /* pattern result columns the query reads */
  int col[8];            /* their numbers */
  int nsubst;            /* query expressions computed by the method */
  const Expr *subst[16];
  int subst_col[16];     /* index into col[] */
} Plan;

/* The conjuncts of e (a tree of ANDs), in order. */
static int conjuncts(const Expr *e, const Expr **out, int n, int max) {
  if (!e || n < 0) return n;
  if (e->kind == EXPR_BINARY && e->op == TK_AND) return conjuncts(e->right, out, conjuncts(e->left, out, n, max), max);
  if (n >= max) return -1;
  out[n] = e;
  return n + 1;
}

/* The AND of the conjuncts but skip, NULL for none; NULL and p->rc set on oom. */
static const Expr *and_of(Parse *p, const Expr *const *terms, int n, int skip) {
  const Expr *acc = NULL;
  for (int i = 0; i < n; i++)
    if (i != skip) acc = cg_and(p, acc, terms[i]);
  return p->rc == LODE_OK ? acc : NULL;
}

/* Notes query expression qe as result column col of the pattern. */
static int add_subst(Plan *pl, const Expr *qe, int col) {
  int k;
  for (k = 0; k < pl->ncols && pl->col[k] != col; k++) {
  }
  if (k == pl->ncols) {
    if (pl->ncols >= 8) return 0;
    pl->col[pl->ncols++] = col;
  }
  for (int i = 0; i < pl->nsubst; i++)
    if (pl->subst[i] == qe) return 1;
  if (pl->nsubst >= 16) return 0;
  pl->subst[pl->nsubst] = qe;
  pl->subst_col[pl->nsubst++] = k;
  return 1;
}

/* Every other result column of the query that is pattern column pe with
** the same constants as args[from, to): read from the method too. */
static void add_copies(Plan *pl, const Select *q, const Expr *pe, int from, int to, int col) {
  for (int j = 0; q->columns && j < q->columns->n; j++) {
    Match t = pl->m;
    t.nargs = 0;
    if (!match_expr(pe, q->columns->items[j], &t) || t.nargs != to - from) continue;
    int same = 1;
    for (int a = 0; a < t.nargs && same; a++) same = same_constant(t.args[a], pl->m.args[from + a]);
    if (same) add_subst(pl, q->columns->items[j], col);
  }
}

/* Pattern text against the query (p->idxm_select): its select list, its
** WHERE (one term, which the query's WHERE must hold as a conjunct), its
** ORDER BY and LIMIT.  The "?" take the query's constants in the order
** select list, WHERE, ORDER BY (unless it names a select item), LIMIT.
** A pattern with ORDER BY … LIMIT answers the query exactly (its WHERE the
** whole of the query's); one without yields the rows its WHERE term holds
** for, which the query then filters, sorts and limits as usual. */
static int match_pattern(Parse *p, const char *pattern, const PlanOrder *order, int norder, const Expr *where,
                         Plan *pl) {
  Stmt *ast = NULL;
  char *err = NULL;
  const Select *q = p->idxm_select;
  if (sql_parse(&p->arena, pattern, -1, &ast, NULL, &err) != LODE_OK || !ast || !ast->select) {
    util_free(err);
    return 0;
  }
  const Select *s = ast->select;
  if (s->group_by || s->having || s->distinct || s->next || s->offset || !s->from || s->from->n != 1 ||
      s->norder > 1 || (s->norder == 1) != (s->limit != NULL) || (s->limit && s->limit->kind != EXPR_PARAM))
    return 0;
  /* The pattern's ORDER BY key, and the select item it names (-1: none). */
  const Expr *key = s->norder ? s->order_by[0].expr : NULL;
  int key_item = -1;
  if (key && key->kind == EXPR_COLUMN && !key->table) {
    for (int i = 0; s->columns && i < s->columns->n; i++)
      if (s->columns->names && s->columns->names[i] && util_stricmp(s->columns->names[i], key->text) == 0) {
        key = s->columns->items[i];
        key_item = i;
      }
  }
  if (key) {
    int nulls_last = s->order_by[0].nulls == 2 || (s->order_by[0].nulls == 0 && s->order_by[0].desc);
    if (norder != 1 || p->idxm_offset || !p->idxm_limit || !is_constant(p->idxm_limit) ||
        order[0].desc != s->order_by[0].desc || order[0].nulls_last != nulls_last)
      return 0;
  }
  pl->m.nargs = 0;
  /* The select list: each item the query holds (the ORDER BY key, or a result column). */
  for (int i = 0; s->columns && i < s->columns->n; i++) {
    const Expr *pe = s->columns->items[i];
    if (pe->kind == EXPR_STAR) continue;
    int from = pl->m.nargs, found = 0;
    if (i == key_item) {
      if (!try_match(pe, order[0].expr, &pl->m) || !add_subst(pl, order[0].expr, i)) return 0;
      found = 1;
    }
    for (int j = 0; !found && q->columns && j < q->columns->n; j++)
      if (try_match(pe, q->columns->items[j], &pl->m)) {
        if (!add_subst(pl, q->columns->items[j], i)) return 0;
        found = 1;
      }
    if (!found) return 0;
    add_copies(pl, q, pe, from, pl->m.nargs, i);
  }
  /* The WHERE: one conjunct of the query's; the rest stay to be checked. */
  pl->where = where;
  if (s->where) {
    const Expr *terms[64];
    int n = conjuncts(where, terms, 0, 64), hit = -1;
    for (int i = 0; i < n && hit < 0; i++)
      if (try_match(s->where, terms[i], &pl->m)) hit = i;
    if (hit < 0 || (key && n > 1)) return 0;
    pl->where = and_of(p, terms, n, hit);
    if (p->rc != LODE_OK) return 0;
  } else if (where) {
    return 0;
  }
  if (key) {
    if (key_item < 0 && !try_match(key, order[0].expr, &pl->m)) return 0;
    if (pl->m.nargs >= 8) return 0;
    pl->m.args[pl->m.nargs++] = p->idxm_limit;
    pl->ordered = 1;
  }
  return 1;
}

/* Whether the query still reads a column of the table's row once the
** method computes what the pattern matched (pl): a column outside the
** substituted expressions, or what cannot be told (a subquery, "*", a
** window).  Without one the loop takes the method's rowids alone and never
** positions the table cursor, as a covering index spares the table. */
static int reads_row(Parse *p, const Expr *e, const Plan *pl) {
  if (!e) return 0;
  for (int i = 0; i < pl->nsubst; i++)
    if (pl->subst[i] == e) return 0;
  if (e->select || e->kind == EXPR_STAR || e->over) return 1;
  if (e->kind == EXPR_COLUMN) {
    int cursor, col;
    Table *t;
    return !cg_try_resolve_column(p, e, &cursor, &col, &t) || col >= 0;
  }
  if (reads_row(p, e->left, pl) || reads_row(p, e->right, pl) || reads_row(p, e->escape, pl) ||
      reads_row(p, e->filter, pl))
    return 1;
  for (int i = 0; e->args && i < e->args->n; i++)
    if (reads_row(p, e->args->items[i], pl)) return 1;
  for (int i = 0; e->agg_order && i < e->agg_order->n; i++)
    if (reads_row(p, e->agg_order->items[i], pl)) return 1;
  return 0;
}

/* An ORDER BY term that names a result column by its alias reads what
** that column reads (walked with the select list). */
static int names_result(const Select *q, const Expr *e) {
  if (e->kind != EXPR_COLUMN || e->table || !q->columns || !q->columns->names) return 0;
  for (int i = 0; i < q->columns->n; i++)
    if (q->columns->names[i] && util_stricmp(q->columns->names[i], e->text) == 0) return 1;
  return 0;
}

static int query_reads_row(Parse *p, const Plan *pl) {
  const Select *q = p->idxm_select;
  for (int i = 0; q->columns && i < q->columns->n; i++)
    if (reads_row(p, q->columns->items[i], pl)) return 1;
  for (int i = 0; i < q->norder; i++)
    if (!names_result(q, q->order_by[i].expr) && reads_row(p, q->order_by[i].expr, pl)) return 1;
  return reads_row(p, pl->where, pl) || reads_row(p, q->limit, pl) || reads_row(p, q->offset, pl);
}

int cg_idxm_plan(Parse *p, const PlanItem *item, const PlanOrder *order, int norder, const Expr **where, CgLoops *l) {
  const Table *t = item->table;
  if (!p->idxm_select || !t || !t->method_indexes || item->is_subquery || item->not_indexed || item->indexed_by ||
      t->without_rowid)
    return 0;
  for (const MethodIndex *mi = t->method_indexes; mi; mi = mi->next) {
    if (mi->backing || !cg_idxm_method(p, mi->method)) continue;
    if (p->rc != LODE_OK) return 0;
    VdbeIdxm *x = cg_idxm_bind(p, mi, 1);
    if (!x) {
      /* A method index this connection cannot read (stores of another layout) leaves the plan as it was. */
      if (p->rc != LODE_NOMEM) {
        util_free(p->errmsg);
        p->errmsg = NULL;
        p->rc = LODE_OK;
        p->err_at = 0;
      }
      continue;
    }
    for (int k = 0; k < x->att->npatterns; k++) {
      Plan pl;
      memset(&pl, 0, sizeof pl);
      pl.m.table = t;
      if (!x->att->patterns[k] || !match_pattern(p, x->att->patterns[k], order, norder, *where, &pl)) {
        if (p->rc != LODE_OK) break;
        continue;
      }
      /* Columns only a method with xColumn supplies; without, the query computes them. */
      if (!idxm_has_columns(x->att)) pl.ncols = pl.nsubst = 0;
      if (p->idxm_nsubst + pl.nsubst > (int)(sizeof p->idxm_subst / sizeof p->idxm_subst[0])) continue;
      l->idxm = x;
      l->idxm_name = x->att->method->name;
      l->idxm_pattern = k;
      l->idxm_nargs = pl.m.nargs;
      memcpy(l->idxm_args, pl.m.args, sizeof(pl.m.args));
      l->idxm_ordered = pl.ordered;
      l->idxm_ncols = pl.ncols;
      for (int i = 0; i < pl.ncols; i++) {
        l->idxm_col[i] = pl.col[i];
        l->idxm_col_reg[i] = cg_reg(p);
      }
      for (int i = 0; i < pl.nsubst; i++) {
        p->idxm_subst[p->idxm_nsubst] = pl.subst[i];
        p->idxm_subst_reg[p->idxm_nsubst++] = l->idxm_col_reg[pl.subst_col[i]];
      }
      l->idxm_rowid_only = !query_reads_row(p, &pl);
      *where = pl.where;
      return 1;
    }
    vdbe_idxm_free(x);
    if (p->rc != LODE_OK) return 0;
  }
  return 0;
}
