/*
** vtab_pragma.c — the PRAGMA table-valued functions: pragma_table_info,
** pragma_table_xinfo, pragma_index_list, pragma_index_info,
** pragma_index_xinfo and pragma_foreign_key_list, with SQLite's hidden columns arg and schema.
**
** Each reads the connection's schema (VtabCursor.env, set by the VM) when
** its scan starts and keeps the rows as Mems, so a correlated argument
** (FROM sqlite_schema m, pragma_table_info(m.name)) rescans per row.  The
** rows are those the PRAGMA statement gives (codegen/misc.c); for a view's
** columns, which need its select compiled, the scan runs that statement.
*/
#include <string.h>

#include "btree/btree.h"
#include "sql/schema.h"
#include "util/util.h"
#include "vtab/vtab.h"

#define PRAGMA_MAX_COLS 8

typedef struct PragmaCursor {
  VtabCursor base;
  int ncols; /* visible columns; arg and schema follow */
  Mem *rows; /* nrows * ncols */
  int nrows, pos;
  Mem arg, schema;
} PragmaCursor;

typedef struct PragmaDef {
  int ncols;
  int (*fill)(PragmaCursor *c, Schema *s, const char *arg);
} PragmaDef;

/* A new row of NULLs; NULL on oom. */
static Mem *add_row(PragmaCursor *c) {
  Mem *r = util_realloc(c->rows, sizeof(Mem) * (size_t)(c->nrows + 1) * (size_t)c->ncols);
  if (!r) return NULL;
  c->rows = r;
  r += (size_t)c->nrows++ * (size_t)c->ncols;
  for (int i = 0; i < c->ncols; i++) mem_init(&r[i]);
  return r;
}

static int set_text(Mem *m, const char *z) { return z ? mem_set_text(m, z, -1, MEM_DYN) : LODE_OK; }

/* A built-in eponymous module's columns (generate_series, json_each), as
** SQLite shows them: no types, the HIDDEN ones only in table_xinfo. */
static int fill_module_info(PragmaCursor *c, const VtabModule *m, int xinfo) {
  char buf[512];
  const char *names[VTAB_MAX_COLUMNS];
  int hid[VTAB_MAX_COLUMNS], shown = 0;
  int n = vtab_columns(m, buf, sizeof buf, names, hid, VTAB_MAX_COLUMNS);
  for (int i = 0; i < n; i++) {
    if (hid[i] && !xinfo) continue;
    Mem *r = add_row(c);
    if (!r) return LODE_NOMEM;
    mem_set_int(&r[0], shown++);
    if (set_text(&r[1], names[i]) || set_text(&r[2], "")) return LODE_NOMEM;
    mem_set_int(&r[3], 0);
    mem_set_int(&r[5], 0);
    if (xinfo) mem_set_int(&r[6], hid[i] != 0);
  }
  return LODE_OK;
}

static int fill_table_info(PragmaCursor *c, Schema *s, const char *name, int xinfo) {
  Table *t = schema_find_table(s, name);
  int hidden = 0;
  if (!t) {
    const VtabModule *m = vtab_find_module(name);
    return m ? fill_module_info(c, m, xinfo) : LODE_OK;
  }
  for (int i = 0; t && i < t->ncols; i++) {
    const Column *col = &t->cols[i];
    char buf[64];
    const char *type = col->decltype_ ? col->decltype_ : "";
    size_t n = strlen(type);
    if ((col->generated || col->hidden) && !xinfo) { /* table_info hides generated and hidden columns, numbering the others */
      hidden++;
      continue;
    }
    if (t->root == BTREE_SCHEMA_ROOT && n < sizeof buf) { /* sqlite_schema's types in upper case */
      for (size_t k = 0; k <= n; k++) buf[k] = (type[k] >= 'a' && type[k] <= 'z') ? (char)(type[k] - 'a' + 'A') : type[k];
      type = buf;
    }
    Mem *r = add_row(c);
    if (!r) return LODE_NOMEM;
    mem_set_int(&r[0], i - hidden);
    if (set_text(&r[1], col->name) || set_text(&r[2], type) || set_text(&r[4], col->default_sql)) return LODE_NOMEM;
    mem_set_int(&r[3], col->not_null);
    mem_set_int(&r[5], col->primary_key ? (col->pk_order ? col->pk_order : 1) : 0);
    if (xinfo) mem_set_int(&r[6], col->generated ? col->generated : col->hidden);
  }
  return LODE_OK;
}
static int fill_table_info0(PragmaCursor *c, Schema *s, const char *a) { return fill_table_info(c, s, a, 0); }
static int fill_table_xinfo(PragmaCursor *c, Schema *s, const char *a) { return fill_table_info(c, s, a, 1); }

static int fill_index_list(PragmaCursor *c, Schema *s, const char *name) {
  Table *t = schema_find_table(s, name);
  int seq = 0;
  for (const Index *ix = t ? t->indexes : NULL; ix; ix = ix->next) {
    Mem *r = add_row(c);
    if (!r) return LODE_NOMEM;
    mem_set_int(&r[0], seq++);
    const char *origin = ix->origin == INDEX_ORIGIN_PK ? "pk" : ix->origin == INDEX_ORIGIN_UNIQUE ? "u" : "c";
    if (set_text(&r[1], ix->name) || set_text(&r[3], origin)) return LODE_NOMEM;
    mem_set_int(&r[2], ix->unique);
    mem_set_int(&r[4], ix->where != NULL);
  }
  return LODE_OK;
}

/* As in SQLite a WITHOUT ROWID table's name stands for its PRIMARY KEY index. */
static int fill_index_info(PragmaCursor *c, Schema *s, const char *name, int xinfo) {
  const Index *ix = schema_find_index(s, name);
  if (!ix) {
    const Table *t = schema_find_table(s, name);
    if (t && t->without_rowid) ix = t->pk;
  }
  int n = !ix ? 0 : xinfo ? ix->ncols : ix->nkey;
  for (int i = 0; i < n; i++) {
    const IndexColumn *col = &ix->cols[i];
    Mem *r = add_row(c);
    if (!r) return LODE_NOMEM;
    mem_set_int(&r[0], i);
    mem_set_int(&r[1], col->cid);
    if (set_text(&r[2], col->cid >= 0 ? ix->table->cols[col->cid].name : NULL)) return LODE_NOMEM;
    if (xinfo) {
      mem_set_int(&r[3], col->desc);
      if (set_text(&r[4], col->coll_name)) return LODE_NOMEM;
      mem_set_int(&r[5], i < ix->nkey);
    }
  }
  return LODE_OK;
}
static int fill_index_info0(PragmaCursor *c, Schema *s, const char *a) { return fill_index_info(c, s, a, 0); }
static int fill_index_xinfo(PragmaCursor *c, Schema *s, const char *a) { return fill_index_info(c, s, a, 1); }

static const char *action_name(int action) {
  switch (action) {
  case FK_ACTION_RESTRICT: return "RESTRICT";
  case FK_ACTION_SET_NULL: return "SET NULL";
  case FK_ACTION_SET_DEFAULT: return "SET DEFAULT";
  case FK_ACTION_CASCADE: return "CASCADE";
  default: return "NO ACTION";
  }
}

/* One row per column of each foreign key, the last declared first (id 0). */
static int fill_fk_list(PragmaCursor *c, Schema *s, const char *name) {
  Table *t = schema_find_table(s, name);
  int id = 0;
  for (const ForeignKey *fk = t ? t->fkeys : NULL; fk; fk = fk->next, id++) {
    for (int j = 0; j < fk->ncols; j++) {
      Mem *r = add_row(c);
      if (!r) return LODE_NOMEM;
      mem_set_int(&r[0], id);
      mem_set_int(&r[1], j);
      if (set_text(&r[2], fk->parent) || set_text(&r[3], t->cols[fk->child_cols[j]].name) ||
          set_text(&r[4], fk->parent_cols ? fk->parent_cols[j] : NULL) ||
          set_text(&r[5], action_name(fk->on_update)) || set_text(&r[6], action_name(fk->on_delete)) ||
          set_text(&r[7], "NONE"))
        return LODE_NOMEM;
    }
  }
  return LODE_OK;
}

static const PragmaDef fk_list_def = {8, fill_fk_list};
static const PragmaDef table_info_def = {6, fill_table_info0};
static const PragmaDef table_xinfo_def = {7, fill_table_xinfo};
static const PragmaDef index_list_def = {5, fill_index_list};
static const PragmaDef index_info_def = {3, fill_index_info0};
static const PragmaDef index_xinfo_def = {6, fill_index_xinfo};

static const PragmaDef *def_of(const VtabModule *m) {
  if (m == &vtab_pragma_table_info) return &table_info_def;
  if (m == &vtab_pragma_table_xinfo) return &table_xinfo_def;
  if (m == &vtab_pragma_index_list) return &index_list_def;
  if (m == &vtab_pragma_index_info) return &index_info_def;
  if (m == &vtab_pragma_foreign_key_list) return &fk_list_def;
  return &index_xinfo_def;
}

static int pragma_best_index(const VtabModule *m, VtabIndexInfo *info) {
  int ncols = def_of(m)->ncols, slot[2] = {-1, -1};
  for (int i = 0; i < info->ncons; i++) {
    const VtabConstraint *c = &info->cons[i];
    if (c->column < ncols || c->op != VTAB_OP_EQ || !c->usable) continue;
    if (slot[c->column - ncols] < 0) slot[c->column - ncols] = i;
  }
  /* SQLite numbers every plan 0: filter tells them apart by argc (the
  ** argument, then the schema; the schema alone is not used). */
  int argc = 0;
  for (int k = 0; k < 2 && slot[0] >= 0; k++) {
    if (slot[k] < 0) continue;
    info->cons[slot[k]].argv_index = ++argc;
    info->cons[slot[k]].omit = 1;
  }
  info->idx_num = 0;
  info->est_rows = slot[0] >= 0 ? 20 : 1e9;
  info->est_cost = info->est_rows;
  return LODE_OK;
}

static void clear_rows(PragmaCursor *c) {
  for (int i = 0; i < c->nrows * c->ncols; i++) mem_release(&c->rows[i]);
  util_free(c->rows);
  c->rows = NULL;
  c->nrows = c->pos = 0;
  mem_release(&c->arg);
  mem_release(&c->schema);
}

static int pragma_open(const VtabModule *m, VtabCursor **out) {
  PragmaCursor *c = util_zalloc(sizeof *c);
  if (!c) return LODE_NOMEM;
  c->base.module = m;
  c->ncols = def_of(m)->ncols;
  mem_init(&c->arg);
  mem_init(&c->schema);
  *out = &c->base;
  return LODE_OK;
}

static void append_quoted(StrBuf *b, const char *z);

/* A view's columns come from compiling its select, and a virtual table's
** from its module, which only the layers above can reach: the PRAGMA
** statement runs on the connection for them. */
static int fill_view_info(PragmaCursor *c, const VtabSchemas *env, const char *db, const char *name) {
  if (!env->run) return LODE_OK;
  StrBuf sql;
  strbuf_init(&sql);
  strbuf_appendz(&sql, "PRAGMA ");
  append_quoted(&sql, db);
  strbuf_appendz(&sql, c->base.module == &vtab_pragma_table_xinfo ? ".table_xinfo=" : ".table_info=");
  append_quoted(&sql, name);
  char *text = strbuf_finish(&sql), *err = NULL;
  if (!text) return LODE_NOMEM;
  VtabRows rows = {0, 0, NULL};
  int rc = env->run(env->db, text, &rows, &err);
  util_free(text);
  if (rc != LODE_OK) {
    util_free(c->base.errmsg);
    c->base.errmsg = err;
    return rc;
  }
  util_free(err);
  if (rows.nrows > 0 && rows.ncols != c->ncols) {
    vtab_rows_free(&rows);
    return LODE_INTERNAL;
  }
  c->rows = rows.cells; /* the same layout: nrows rows of ncols Mems */
  c->nrows = rows.nrows;
  return LODE_OK;
}

static int pragma_filter(VtabCursor *vc, int idx, int argc, Mem **argv) {
  PragmaCursor *c = (PragmaCursor *)vc;
  char buf[MEM_TEXT_VIEW_BUF];
  const char *z;
  int n, a = 0;
  (void)idx;
  clear_rows(c);
  if (argc < 1) return LODE_OK; /* no argument: no rows */
  if (mem_copy(&c->arg, argv[a++]) != LODE_OK) return LODE_NOMEM;
  if (argc > 1 && mem_copy(&c->schema, argv[a]) != LODE_OK) return LODE_NOMEM;
  if (c->arg.type == MEM_NULL || !vc->env) return LODE_OK;
  mem_text_view(&c->arg, buf, &z, &n);
  char *name = util_malloc((size_t)n + 1);
  if (!name) return LODE_NOMEM;
  memcpy(name, z, (size_t)n);
  name[n] = 0;
  /* The schema argument names the database; without it the first database
  ** (in resolution order) that has an object of that name. */
  const VtabSchemas *env = vc->env;
  Schema *s = NULL;
  int db = -1;
  if (c->schema.type != MEM_NULL) {
    const char *zdb;
    int nd;
    char dbuf[MEM_TEXT_VIEW_BUF];
    mem_text_view(&c->schema, dbuf, &zdb, &nd);
    for (int i = 0; i < env->n && !s; i++)
      if ((int)strlen(env->names[i]) == nd && util_strnicmp(env->names[i], zdb, (size_t)nd) == 0)
        s = env->schemas[i], db = i;
    if (db < 0) { /* as the PRAGMA statement SQLite runs for it fails */
      util_free(name);
      char *msg = util_mprintf("unknown database '%.*s'", nd, zdb);
      if (!msg) return LODE_NOMEM;
      util_free(vc->errmsg);
      vc->errmsg = msg;
      return LODE_ERROR;
    }
  } else {
    for (int i = 0; i < env->n && !s; i++)
      if (env->schemas[i] && (schema_find_table(env->schemas[i], name) || schema_find_index(env->schemas[i], name) ||
                              schema_find_view(env->schemas[i], name)))
        s = env->schemas[i], db = i;
    if (!s && env->n > 1) s = env->schemas[1], db = 1; /* main */
  }
  int rc = LODE_OK;
  const Table *t = s ? schema_find_table(s, name) : NULL;
  /* A virtual table the connection has not used yet has no columns until
  ** its module declares them: the PRAGMA statement connects it. */
  if (s && (vc->module == &vtab_pragma_table_info || vc->module == &vtab_pragma_table_xinfo) &&
      ((!t && schema_find_view(s, name)) || (t && t->vtab_module && t->ncols == 0)))
    rc = fill_view_info(c, env, env->names[db], name);
  else if (s)
    rc = def_of(vc->module)->fill(c, s, name);
  util_free(name);
  return rc;
}

static int pragma_next(VtabCursor *vc) {
  ((PragmaCursor *)vc)->pos++;
  return LODE_OK;
}

static int pragma_eof(VtabCursor *vc) {
  const PragmaCursor *c = (const PragmaCursor *)vc;
  return c->pos >= c->nrows;
}

static int pragma_column(VtabCursor *vc, int col, Mem *out) {
  PragmaCursor *c = (PragmaCursor *)vc;
  if (col == c->ncols) return mem_copy(out, &c->arg);
  if (col == c->ncols + 1) return mem_copy(out, &c->schema);
  return mem_copy(out, &c->rows[(size_t)c->pos * (size_t)c->ncols + (size_t)col]);
}

static int pragma_rowid(VtabCursor *vc, int64_t *rowid) {
  *rowid = ((PragmaCursor *)vc)->pos + 1; /* SQLite numbers a pragma's rows from 1 */
  return LODE_OK;
}

static void pragma_close(VtabCursor *vc) {
  clear_rows((PragmaCursor *)vc);
  util_free(vc->errmsg);
  util_free(vc);
}

#define PRAGMA_MODULE(var, name, cols)                                                                        \
  const VtabModule var = {name, "CREATE TABLE x(" cols ", arg HIDDEN, schema HIDDEN)", pragma_best_index,     \
                          pragma_open, pragma_filter, pragma_next, pragma_eof, pragma_column, pragma_rowid, \
                          pragma_close, .inst = NULL, .risk = VTAB_RISK_NORMAL}
PRAGMA_MODULE(vtab_pragma_table_info, "pragma_table_info", "cid, name, type, notnull, dflt_value, pk");
PRAGMA_MODULE(vtab_pragma_table_xinfo, "pragma_table_xinfo", "cid, name, type, notnull, dflt_value, pk, hidden");
PRAGMA_MODULE(vtab_pragma_index_list, "pragma_index_list", "seq, name, unique, origin, partial");
PRAGMA_MODULE(vtab_pragma_index_info, "pragma_index_info", "seqno, cid, name");
PRAGMA_MODULE(vtab_pragma_index_xinfo, "pragma_index_xinfo", "seqno, cid, name, desc, coll, key");
PRAGMA_MODULE(vtab_pragma_foreign_key_list, "pragma_foreign_key_list",
              "id, seq, \"table\", \"from\", \"to\", on_update, on_delete, \"match\"");

/* ---- the PRAGMA functions that run their PRAGMA ---------------------------------
**
** Every other PRAGMA that returns rows is a table-valued function as in
** SQLite: pragma_NAME's scan runs "PRAGMA [schema.]NAME[=arg]" on the
** connection and gives its rows.  A pragma that takes an argument has the
** hidden column arg; one that names a database has schema; the function's
** arguments fill them in that order.  The hidden columns read back the
** arguments as text — and, as in SQLite, a function without arg reads its
** schema argument through arg's slot, so its schema column is NULL. */

#define PF_ARG 1
#define PF_SCHEMA 2

typedef struct PragmaFn {
  VtabModule m; /* first: a module pointer is a PragmaFn pointer */
  int ncols;    /* visible columns */
  int flags;    /* PF_* */
} PragmaFn;

typedef struct RunCursor {
  VtabCursor base;
  VtabRows rows;
  int pos;
  char *args[2]; /* the arg and schema arguments as text (NULL: none) */
} RunCursor;

static int run_best_index(const VtabModule *m, VtabIndexInfo *info) {
  const PragmaFn *f = (const PragmaFn *)m;
  int nhidden = (f->flags & PF_ARG ? 1 : 0) + (f->flags & PF_SCHEMA ? 1 : 0), slot[2] = {-1, -1};
  if (nhidden == 0) return LODE_OK;
  for (int i = 0; i < info->ncons; i++) {
    const VtabConstraint *c = &info->cons[i];
    if (c->column < f->ncols || c->op != VTAB_OP_EQ || !c->usable) continue;
    slot[c->column - f->ncols] = i;
  }
  info->est_cost = info->est_rows = 2147483647;
  if (slot[0] < 0) return LODE_OK;
  info->cons[slot[0]].argv_index = 1;
  info->cons[slot[0]].omit = 1;
  info->est_cost = info->est_rows = 1000;
  if (slot[1] < 0) return LODE_OK;
  info->cons[slot[1]].argv_index = 2;
  info->cons[slot[1]].omit = 1;
  info->est_cost = info->est_rows = 20;
  return LODE_OK;
}

static void run_clear(RunCursor *c) {
  vtab_rows_free(&c->rows);
  c->pos = 0;
  for (int i = 0; i < 2; i++) {
    util_free(c->args[i]);
    c->args[i] = NULL;
  }
}

static int run_open(const VtabModule *m, VtabCursor **out) {
  RunCursor *c = util_zalloc(sizeof *c);
  if (!c) return LODE_NOMEM;
  c->base.module = m;
  *out = &c->base;
  return LODE_OK;
}

/* z as an SQL string literal. */
static void append_quoted(StrBuf *b, const char *z) {
  strbuf_appendc(b, '\'');
  for (; *z; z++) {
    if (*z == '\'') strbuf_appendc(b, '\'');
    strbuf_appendc(b, *z);
  }
  strbuf_appendc(b, '\'');
}

static int schema_named(const VtabSchemas *env, const char *name) {
  for (int i = 0; i < env->n; i++)
    if (util_stricmp(env->names[i], name) == 0) return 1;
  return 0;
}

static int run_filter(VtabCursor *vc, int idx, int argc, Mem **argv) {
  RunCursor *c = (RunCursor *)vc;
  const PragmaFn *f = (const PragmaFn *)vc->module;
  const VtabSchemas *env = vc->env;
  int slot = f->flags & PF_ARG ? 0 : 1;
  (void)idx;
  run_clear(c);
  for (int i = 0; i < argc && slot < 2; i++, slot++) {
    char buf[MEM_TEXT_VIEW_BUF];
    const char *z;
    int n;
    if (argv[i]->type == MEM_NULL) continue;
    mem_text_view(argv[i], buf, &z, &n);
    if (!(c->args[slot] = util_malloc((size_t)n + 1))) return LODE_NOMEM;
    memcpy(c->args[slot], z, (size_t)n);
    c->args[slot][n] = 0;
  }
  if (!env || !env->run) return LODE_OK;
  if (c->args[1] && !schema_named(env, c->args[1])) {
    /* SQLite's statement names the database as its text gives it: quoted. */
    char *msg = util_mprintf("unknown database '%s'", c->args[1]);
    if (!msg) return LODE_NOMEM;
    util_free(vc->errmsg);
    vc->errmsg = msg;
    return LODE_ERROR;
  }
  StrBuf sql;
  strbuf_init(&sql);
  strbuf_appendz(&sql, "PRAGMA ");
  if (c->args[1]) {
    append_quoted(&sql, c->args[1]);
    strbuf_appendc(&sql, '.');
  }
  strbuf_appendz(&sql, f->m.name + 7); /* after "pragma_" */
  if (c->args[0]) {
    strbuf_appendc(&sql, '=');
    append_quoted(&sql, c->args[0]);
  }
  char *text = strbuf_finish(&sql);
  if (!text) return LODE_NOMEM;
  char *err = NULL;
  int rc = env->run(env->db, text, &c->rows, &err);
  util_free(text);
  if (rc != LODE_OK) {
    util_free(vc->errmsg);
    vc->errmsg = err;
  } else {
    util_free(err);
  }
  return rc;
}

static int run_next(VtabCursor *vc) {
  ((RunCursor *)vc)->pos++;
  return LODE_OK;
}

static int run_eof(VtabCursor *vc) {
  const RunCursor *c = (const RunCursor *)vc;
  return c->pos >= c->rows.nrows;
}

static int run_column(VtabCursor *vc, int col, Mem *out) {
  const RunCursor *c = (const RunCursor *)vc;
  const PragmaFn *f = (const PragmaFn *)vc->module;
  if (col >= f->ncols) {
    const char *z = c->args[col - f->ncols];
    mem_set_null(out);
    return z ? mem_set_text(out, z, -1, MEM_DYN) : LODE_OK;
  }
  /* A PRAGMA Lode answers with fewer columns leaves the rest NULL. */
  if (col >= c->rows.ncols) {
    mem_set_null(out);
    return LODE_OK;
  }
  return mem_copy(out, &c->rows.cells[(size_t)c->pos * (size_t)c->rows.ncols + (size_t)col]);
}

static int run_rowid(VtabCursor *vc, int64_t *rowid) {
  *rowid = ((RunCursor *)vc)->pos + 1;
  return LODE_OK;
}

static void run_close(VtabCursor *vc) {
  run_clear((RunCursor *)vc);
  util_free(vc->errmsg);
  util_free(vc);
}

#define PF_HIDDEN_ARG ", arg HIDDEN"
#define PF_HIDDEN_SCHEMA ", schema HIDDEN"
#define PF(name, ncols, cols, flags, hidden)                                                                    \
  {{"pragma_" name, "CREATE TABLE x(" cols hidden ")", run_best_index, run_open, run_filter, run_next, run_eof, \
    run_column, run_rowid, run_close, .inst = NULL, .risk = VTAB_RISK_NORMAL},                                 \
   ncols, flags}
#define PF0(name) PF(#name, 1, "\"" #name "\"", 0, "")
#define PFS(name) PF(#name, 1, "\"" #name "\"", PF_SCHEMA, PF_HIDDEN_SCHEMA)

/* SQLite 3.53's list: the pragmas that return rows, less the six above. */
static const PragmaFn pragma_fns[] = {
    PF0(analysis_limit),
    PF0(application_id),
    PFS(auto_vacuum),
    PF0(automatic_index),
    PF("busy_timeout", 1, "timeout", 0, ""),
    PFS(cache_size),
    PFS(cache_spill),
    PF0(cell_size_check),
    PF0(checkpoint_fullfsync),
    PF("collation_list", 2, "seq, name", 0, ""),
    PF0(compile_options),
    PF0(count_changes),
    PF0(data_version),
    PF("database_list", 3, "seq, name, file", 0, ""),
    PF0(defer_foreign_keys),
    PF0(empty_result_callbacks),
    PF0(encoding),
    PF("foreign_key_check", 4, "\"table\", rowid, parent, fkid", PF_ARG | PF_SCHEMA, PF_HIDDEN_ARG PF_HIDDEN_SCHEMA),
    PF0(foreign_keys),
    PF0(freelist_count),
    PF0(full_column_names),
    PF0(fullfsync),
    PF("function_list", 6, "name, builtin, type, enc, narg, flags", 0, ""),
    PF0(hard_heap_limit),
    PF0(ignore_check_constraints),
    PF("integrity_check", 1, "integrity_check", PF_ARG | PF_SCHEMA, PF_HIDDEN_ARG PF_HIDDEN_SCHEMA),
    PFS(journal_mode),
    PFS(journal_size_limit),
    PF0(legacy_alter_table),
    PFS(locking_mode),
    PFS(max_page_count),
    PF("module_list", 1, "name", 0, ""),
    PF("optimize", 1, "optimize", PF_ARG, PF_HIDDEN_ARG),
    PFS(page_count),
    PFS(page_size),
    PF("pragma_list", 1, "name", 0, ""),
    PF0(query_only),
    PF("quick_check", 1, "quick_check", PF_ARG | PF_SCHEMA, PF_HIDDEN_ARG PF_HIDDEN_SCHEMA),
    PF0(read_uncommitted),
    PF0(recursive_triggers),
    PF0(reverse_unordered_selects),
    PF0(schema_version),
    PF0(secure_delete),
    PF0(short_column_names),
    PF0(soft_heap_limit),
    PFS(synchronous),
    PF("table_list", 6, "schema, name, type, ncol, wr, strict", PF_ARG, PF_HIDDEN_ARG),
    PF0(temp_store),
    PF0(threads),
    PF0(trusted_schema),
    PF0(user_version),
    PF0(writable_schema),
};

const VtabModule *vtab_pragma_module(const char *name) {
  for (size_t i = 0; i < sizeof pragma_fns / sizeof pragma_fns[0]; i++)
    if (util_stricmp(pragma_fns[i].m.name, name) == 0) return &pragma_fns[i].m;
  return NULL;
}
