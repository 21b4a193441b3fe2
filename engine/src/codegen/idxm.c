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
#include "util/util.h"

const lode_index_method *cg_idxm_method(Parse *p, const char *name) {
  const lode_index_method *m = conn_index_method(p->db, name);
  return m ? m : idxm_builtin(name);
}

/* Attaches mi's method; NULL after cg_error. */
static lode_index_attachment *attach(Parse *p, const MethodIndex *mi) {
  const Table *t = mi->table;
  const lode_index_method *m = cg_idxm_method(p, mi->method);
  char *err = NULL;
  if (!m) {
    cg_error(p, LODE_ERROR, "no such index method: %s", mi->method);
    return NULL;
  }
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
  return a;
}

char *cg_idxm_store_name(const char *index, const char *suffix) { return util_mprintf("%s_%s", index, suffix); }

VdbeIdxm *cg_idxm_bind(Parse *p, const MethodIndex *mi, int with_roots) {
  VdbeIdxm *x = util_zalloc(sizeof *x);
  if (!x) {
    cg_error(p, LODE_NOMEM, "out of memory");
    return NULL;
  }
  if (!(x->att = attach(p, mi))) goto fail;
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

void cg_idxm_entries(Parse *p, const Table *t, int first_cursor, const RowSource *src, int insert) {
  int c = first_cursor;
  for (const MethodIndex *mi = t->method_indexes; mi; mi = mi->next) {
    if (mi->backing) continue;
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
  cg_schema_delete(p, 1, mi->name);
  for (const MethodIndex *s = mi->table->method_indexes; s; s = s->next)
    if (s->backing && store_owner(s) == mi) cg_schema_delete(p, 1, s->name);
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
