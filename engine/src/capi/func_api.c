/*
** func_api.c — application-defined functions and collations of the sqlite3
** API, and the sqlite3_value_* / sqlite3_result_* calls they use.
**
** A user function is an entry of the connection's FuncRegistry (func.h)
** whose user_data is a UserFunc holding the program's callbacks; the
** registry's scalar/step/final slots point at the trampolines below, which
** hand the FuncContext (sqlite3_context) and the argument Mems
** (sqlite3_value) to the program unchanged.  An aggregate's state in the VM
** is one pointer (AggBox): sqlite3_aggregate_context allocates the
** program's block at the first call that asks for bytes, and the final
** trampoline frees it after xFinal.
*/
#include <stdlib.h>
#include <string.h>

#include "capi/api.h"
#include "util/util.h"

typedef struct UserFunc {
  void (*xFunc)(sqlite3_context *, int, sqlite3_value **);
  void (*xStep)(sqlite3_context *, int, sqlite3_value **);
  void (*xFinal)(sqlite3_context *);
  void (*xValue)(sqlite3_context *);
  void (*xInverse)(sqlite3_context *, int, sqlite3_value **);
  void *app;
  void (*xDestroy)(void *);
} UserFunc;

typedef struct AggBox {
  void *block; /* the program's aggregate context, NULL until asked for */
} AggBox;

static void call_scalar(FuncContext *ctx, int argc, Mem **argv) {
  UserFunc *u = ctx->user_data;
  u->xFunc(ctx, argc, argv);
}

static void call_step(FuncContext *ctx, int argc, Mem **argv) {
  UserFunc *u = ctx->user_data;
  u->xStep(ctx, argc, argv);
}

static void call_final(FuncContext *ctx) {
  UserFunc *u = ctx->user_data;
  AggBox *box = ctx->agg;
  u->xFinal(ctx);
  if (box) {
    sqlite3_free(box->block);
    box->block = NULL;
  }
}

/* A window function's value and inverse, through the aggregate's same context. */
static void call_value(FuncContext *ctx) {
  UserFunc *u = ctx->user_data;
  u->xValue(ctx);
}

static void call_inverse(FuncContext *ctx, int argc, Mem **argv) {
  UserFunc *u = ctx->user_data;
  u->xInverse(ctx, argc, argv);
}

static const FuncWindowOps user_window_ops = {call_value, call_inverse, 0};

static void user_func_destroy(void *p) {
  UserFunc *u = p;
  if (u->xDestroy) u->xDestroy(u->app);
  util_free(u);
}

/* xValue and xInverse (both or neither) make the aggregate a window
** function: the window pass calls them to report a frame's value and to
** remove the rows that leave it, as SQLite does. */
static int create_function(sqlite3 *db, const char *name, int nargs, int enc, void *app,
                           void (*xFunc)(sqlite3_context *, int, sqlite3_value **),
                           void (*xStep)(sqlite3_context *, int, sqlite3_value **),
                           void (*xFinal)(sqlite3_context *), void (*xDestroy)(void *),
                           void (*xValue)(sqlite3_context *), void (*xInverse)(sqlite3_context *, int, sqlite3_value **)) {
  int window = xValue != NULL;
  FuncDef def;
  UserFunc *u;
  int rc;
  if (!db || db->magic != CONN_MAGIC_OPEN) return SQLITE_MISUSE;
  if (!name || strlen(name) > 255 || nargs < -1 || nargs > 127 || (xFunc && (xStep || xFinal)) ||
      (!xFunc && (!xStep != !xFinal)))
    return conn_error(db, SQLITE_MISUSE, NULL);
  if (db->nactive > 0) {
    /* Only a definition the running statements may be using is protected,
    ** as in SQLite: a new name or argument count is fine (load_extension()). */
    int known = 0;
    const FuncDef *same = func_lookup(db->funcs, name, nargs, &known);
    if (same && same->nargs == nargs) {
      if (xDestroy) xDestroy(app);
      return conn_error(db, SQLITE_BUSY, "unable to delete/modify user-function due to active statements");
    }
  }
  if (!xFunc && !xStep) {
    /* Deleting a function: an entry without callbacks hides the name and
    ** count from later lookups (compiled programs keep the old entry). */
    if (xDestroy) xDestroy(app);
    FuncDef gone;
    memset(&gone, 0, sizeof gone);
    gone.name = name;
    gone.nargs = nargs;
    rc = func_registry_add(db->funcs, &gone, NULL);
    if (rc != SQLITE_OK) return conn_error(db, rc, NULL);
    db->schema_gen++;
    return SQLITE_OK;
  }
  u = util_zalloc(sizeof *u);
  if (!u) {
    if (xDestroy) xDestroy(app);
    return conn_error(db, SQLITE_NOMEM, NULL);
  }
  /* The definition replaced is gone for the program: its destructor runs
  ** now, as in SQLite (the entry itself stays for compiled programs). */
  int exists = 0;
  const FuncDef *old = func_lookup(db->funcs, name, nargs, &exists);
  if (old && old->nargs == nargs && (old->scalar == call_scalar || old->step == call_step)) {
    UserFunc *prev = old->user_data;
    if (prev->xDestroy) { /* never one of the shared built-in entries, which have none */
      prev->xDestroy(prev->app);
      prev->xDestroy = NULL;
    }
  }
  u->xFunc = xFunc;
  u->xStep = xStep;
  u->xFinal = xFinal;
  u->xValue = xValue;
  u->xInverse = xInverse;
  u->app = app;
  u->xDestroy = xDestroy;
  memset(&def, 0, sizeof def);
  def.name = name;
  def.nargs = nargs;
  def.flags = (xStep ? FUNC_AGGREGATE : 0) | ((enc & SQLITE_DETERMINISTIC) ? FUNC_DETERMINISTIC : 0) |
              ((enc & SQLITE_DIRECTONLY) ? FUNC_DIRECTONLY : 0) | ((enc & SQLITE_INNOCUOUS) ? 0 : FUNC_UNSAFE) |
              (xStep && !window ? FUNC_NOWINDOW : 0);
  def.scalar = xFunc ? call_scalar : NULL;
  def.step = xStep ? call_step : NULL;
  def.final = xStep ? call_final : NULL;
  def.agg_size = xStep ? sizeof(AggBox) : 0;
  def.user_data = u;
  if (window && xStep) {
    func_set_app_window_ops(&user_window_ops);
    def.flags |= FUNC_APP_WINDOW;
  }
  rc = func_registry_add(db->funcs, &def, user_func_destroy);
  if (rc != SQLITE_OK) return conn_error(db, rc, NULL);
  /* Compiled statements may have bound the old definition; make them
  ** re-prepare as SQLite expires them. */
  db->schema_gen++;
  return SQLITE_OK;
}

int sqlite3_create_function_v2(sqlite3 *db, const char *name, int nargs, int enc, void *app,
                               void (*xFunc)(sqlite3_context *, int, sqlite3_value **),
                               void (*xStep)(sqlite3_context *, int, sqlite3_value **),
                               void (*xFinal)(sqlite3_context *), void (*xDestroy)(void *)) {
  return create_function(db, name, nargs, enc, app, xFunc, xStep, xFinal, xDestroy, NULL, NULL);
}

int sqlite3_create_function(sqlite3 *db, const char *name, int nargs, int enc, void *app,
                            void (*xFunc)(sqlite3_context *, int, sqlite3_value **),
                            void (*xStep)(sqlite3_context *, int, sqlite3_value **),
                            void (*xFinal)(sqlite3_context *)) {
  return sqlite3_create_function_v2(db, name, nargs, enc, app, xFunc, xStep, xFinal, NULL);
}


int sqlite3_create_window_function(sqlite3 *db, const char *name, int nargs, int enc, void *app,
                                   void (*xStep)(sqlite3_context *, int, sqlite3_value **),
                                   void (*xFinal)(sqlite3_context *), void (*xValue)(sqlite3_context *),
                                   void (*xInverse)(sqlite3_context *, int, sqlite3_value **),
                                   void (*xDestroy)(void *)) {
  /* Without xValue and xInverse it is an ordinary aggregate; with only one
  ** of them it is misuse, as in SQLite. */
  if (!xValue != !xInverse || (xValue && !xStep)) {
    if (xDestroy) xDestroy(app);
    if (!db || db->magic != CONN_MAGIC_OPEN) return SQLITE_MISUSE;
    return conn_error(db, SQLITE_MISUSE, NULL);
  }
  return create_function(db, name, nargs, enc, app, NULL, xStep, xFinal, xDestroy, xValue, xInverse);
}

/* An overloading function a virtual table's xFindFunction gave: its FuncDef,
** whose user data reads back as app (sqlite3_user_data). */
typedef struct OverloadDef {
  FuncDef def;
  UserFunc user;
  char name[];
} OverloadDef;

FuncDef *api_overload_def(const char *name, int nargs, void (*xFunc)(sqlite3_context *, int, sqlite3_value **),
                          void *app) {
  size_t n = strlen(name);
  OverloadDef *o = util_zalloc(sizeof *o + n + 1);
  if (!o) return NULL;
  memcpy(o->name, name, n + 1);
  o->user.xFunc = xFunc;
  o->user.app = app;
  o->def.name = o->name;
  o->def.nargs = nargs;
  o->def.scalar = call_scalar;
  o->def.user_data = &o->user;
  return &o->def;
}

void api_overload_free(FuncDef *def) { util_free(def); /* the OverloadDef starts with it */ }

/* sqlite3_overload_function's placeholder: a virtual table may overload it. */
static void unusable_function(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc, (void)argv;
  char *msg = util_mprintf("unable to use function %s in the requested context", (const char *)sqlite3_user_data(ctx));
  sqlite3_result_error(ctx, msg ? msg : "out of memory", -1);
  util_free(msg);
}

int sqlite3_overload_function(sqlite3 *db, const char *name, int nargs) {
  int exists = 0;
  if (!db || db->magic != CONN_MAGIC_OPEN || !name || nargs < -2) return SQLITE_MISUSE;
  if (func_lookup(db->funcs, name, nargs, &exists)) return SQLITE_OK;
  char *copy = util_strdup(name);
  if (!copy) return conn_error(db, SQLITE_NOMEM, NULL);
  return sqlite3_create_function_v2(db, name, nargs, SQLITE_UTF8, copy, unusable_function, NULL, NULL, util_free);
}

int api_base_function(FuncRegistry *r, const char *name, int nargs, void (*xFunc)(sqlite3_context *, int, sqlite3_value **)) {
  UserFunc *u = util_zalloc(sizeof *u);
  if (!u) return SQLITE_NOMEM;
  u->xFunc = xFunc ? xFunc : unusable_function;
  u->app = xFunc ? NULL : (void *)(uintptr_t)name; /* unusable_function names it */
  FuncDef def;
  memset(&def, 0, sizeof def);
  def.name = name;
  def.nargs = nargs;
  def.flags = FUNC_UNSAFE; /* not SQLITE_INNOCUOUS, as create_function marks it */
  def.scalar = call_scalar;
  def.user_data = u;
  return func_registry_add(r, &def, user_func_destroy); /* u goes with r, or now if adding fails */
}

/* ---- inside a call ------------------------------------------------------------------------------------- */

void *sqlite3_user_data(sqlite3_context *ctx) {
  UserFunc *u = ctx ? ctx->user_data : NULL;
  return u ? u->app : NULL;
}

sqlite3 *sqlite3_context_db_handle(sqlite3_context *ctx) { return ctx ? ctx->db : NULL; }

void *sqlite3_aggregate_context(sqlite3_context *ctx, int n) {
  AggBox *box = ctx ? ctx->agg : NULL;
  if (!box) return NULL;
  if (!box->block && n > 0) box->block = util_zalloc((size_t)n);
  return box->block;
}

int sqlite3_aggregate_count(sqlite3_context *ctx) { (void)ctx; return 0; }

/* Auxiliary data (func.h): kept for the later calls of the same call site
** in the same run while the argument is constant; SQLite's documentation
** allows the destructor to run before set_auxdata returns, which is what
** happens for any other argument. */
void *sqlite3_get_auxdata(sqlite3_context *ctx, int n) { return ctx ? func_get_auxdata(ctx, n) : NULL; }

void sqlite3_set_auxdata(sqlite3_context *ctx, int n, void *p, void (*d)(void *)) {
  if (!ctx) {
    if (d && p) d(p);
    return;
  }
  func_set_auxdata(ctx, n, p, d);
}

/* ---- results ------------------------------------------------------------------------------------------- */

static void result_done(const void *p, void (*d)(void *)) {
  if (d != SQLITE_STATIC && d != SQLITE_TRANSIENT && p) d((void *)p);
}

static void result_oom(sqlite3_context *ctx) {
  ctx->rc = SQLITE_NOMEM;
  util_free(ctx->errmsg);
  ctx->errmsg = NULL;
}

void sqlite3_result_null(sqlite3_context *ctx) {
  if (ctx) mem_set_null(ctx->out);
}
void sqlite3_result_int(sqlite3_context *ctx, int v) {
  if (ctx) mem_set_int(ctx->out, v);
}
void sqlite3_result_int64(sqlite3_context *ctx, sqlite3_int64 v) {
  if (ctx) mem_set_int(ctx->out, v);
}
void sqlite3_result_double(sqlite3_context *ctx, double v) {
  if (!ctx) return;
  if (v != v) mem_set_null(ctx->out);
  else mem_set_real(ctx->out, v);
}

void sqlite3_result_text(sqlite3_context *ctx, const char *z, int n, void (*d)(void *)) {
  if (ctx) {
    if (!z) mem_set_null(ctx->out);
    else if (mem_set_text(ctx->out, z, n < 0 ? (int)strlen(z) : n, MEM_DYN) != SQLITE_OK) result_oom(ctx);
  }
  result_done(z, d);
}

void sqlite3_result_text64(sqlite3_context *ctx, const char *z, sqlite3_uint64 n, void (*d)(void *),
                           unsigned char enc) {
  if (enc == SQLITE_UTF16 || enc == SQLITE_UTF16LE || enc == SQLITE_UTF16BE) {
    if (enc == SQLITE_UTF16BE) sqlite3_result_text16be(ctx, z, n == (sqlite3_uint64)-1 ? -1 : (int)n, d);
    else if (enc == SQLITE_UTF16LE) sqlite3_result_text16le(ctx, z, n == (sqlite3_uint64)-1 ? -1 : (int)n, d);
    else sqlite3_result_text16(ctx, z, n == (sqlite3_uint64)-1 ? -1 : (int)n, d);
    return;
  }
  if (ctx && n > (sqlite3_uint64)1000000000 && n != (sqlite3_uint64)-1) {
    result_done(z, d);
    sqlite3_result_error_toobig(ctx);
    return;
  }
  sqlite3_result_text(ctx, z, n == (sqlite3_uint64)-1 ? -1 : (int)n, d);
}

void sqlite3_result_blob(sqlite3_context *ctx, const void *p, int n, void (*d)(void *)) {
  if (ctx) {
    if (!p && n > 0) mem_set_zeroblob(ctx->out, n);
    else if (mem_set_blob(ctx->out, p ? p : "", n < 0 ? 0 : n, MEM_DYN) != SQLITE_OK) result_oom(ctx);
  }
  result_done(p, d);
}

void sqlite3_result_blob64(sqlite3_context *ctx, const void *p, sqlite3_uint64 n, void (*d)(void *)) {
  if (ctx && n > (sqlite3_uint64)1000000000) {
    result_done(p, d);
    sqlite3_result_error_toobig(ctx);
    return;
  }
  sqlite3_result_blob(ctx, p, (int)n, d);
}

void sqlite3_result_zeroblob(sqlite3_context *ctx, int n) {
  if (ctx) mem_set_zeroblob(ctx->out, n < 0 ? 0 : n);
}

int sqlite3_result_zeroblob64(sqlite3_context *ctx, sqlite3_uint64 n) {
  if (!ctx) return SQLITE_MISUSE;
  if (n > (sqlite3_uint64)1000000000) {
    sqlite3_result_error_toobig(ctx);
    return SQLITE_TOOBIG;
  }
  mem_set_zeroblob(ctx->out, (int)n);
  return SQLITE_OK;
}

void sqlite3_result_value(sqlite3_context *ctx, sqlite3_value *v) {
  if (!ctx) return;
  if (!v) mem_set_null(ctx->out);
  else if (mem_copy(ctx->out, v) != SQLITE_OK) result_oom(ctx);
}

void sqlite3_result_error(sqlite3_context *ctx, const char *msg, int n) {
  if (!ctx) return;
  ctx->rc = SQLITE_ERROR;
  util_free(ctx->errmsg);
  ctx->errmsg = msg ? (n < 0 ? util_strdup(msg) : util_strndup(msg, (size_t)n)) : NULL;
}


void sqlite3_result_error_code(sqlite3_context *ctx, int rc) {
  if (!ctx) return;
  ctx->rc = rc == SQLITE_OK ? SQLITE_ERROR : rc;
  if (!ctx->errmsg) ctx->errmsg = util_strdup(lode_errstr(ctx->rc));
}

void sqlite3_result_error_toobig(sqlite3_context *ctx) {
  if (!ctx) return;
  ctx->rc = SQLITE_TOOBIG;
  util_free(ctx->errmsg);
  ctx->errmsg = util_strdup("string or blob too big");
}

void sqlite3_result_error_nomem(sqlite3_context *ctx) {
  if (ctx) result_oom(ctx);
}

void sqlite3_result_subtype(sqlite3_context *ctx, unsigned int t) {
  if (ctx) ctx->out->subtype = (uint8_t)t;
}

/* Pointer results are not kept: the result is NULL, as SQL sees it. */
void sqlite3_result_pointer(sqlite3_context *ctx, void *p, const char *type, void (*d)(void *)) {
  (void)type;
  if (ctx) mem_set_null(ctx->out);
  if (d && p) d(p);
}


/* ---- values -------------------------------------------------------------------------------------------- */

int sqlite3_value_type(sqlite3_value *v) {
  return v && v->type >= MEM_INT && v->type <= MEM_NULL ? v->type : SQLITE_NULL;
}
int sqlite3_value_int(sqlite3_value *v) { return v ? (int)mem_as_int(v) : 0; }
sqlite3_int64 sqlite3_value_int64(sqlite3_value *v) { return v ? mem_as_int(v) : 0; }
double sqlite3_value_double(sqlite3_value *v) { return v ? mem_as_real(v) : 0.0; }
unsigned int sqlite3_value_subtype(sqlite3_value *v) {
  return v && !sqlite3_value_nochange(v) ? v->subtype : 0;
}
int sqlite3_value_nochange(sqlite3_value *v) {
  return v && v->type == MEM_NULL && v->subtype == MEM_SUBTYPE_NOCHANGE;
}
int sqlite3_value_frombind(sqlite3_value *v) { (void)v; return 0; }
int sqlite3_value_encoding(sqlite3_value *v) { return v && (v->type == MEM_TEXT) ? SQLITE_UTF8 : 0; }
void *sqlite3_value_pointer(sqlite3_value *v, const char *type) {
  if (!v || !type || v->type != MEM_NULL || v->subtype != API_POINTER_SUBTYPE) return NULL;
  if (v->n != api_pointer_type_hash(type)) return NULL;
  return (void *)(intptr_t)v->u.i;
}

const unsigned char *sqlite3_value_text(sqlite3_value *v) {
  int oom = 0;
  if (!v || v->type == MEM_NULL || v->type > MEM_NULL) return NULL;
  return (const unsigned char *)mem_as_text(v, &oom);
}

const void *sqlite3_value_blob(sqlite3_value *v) {
  if (!v || v->type == MEM_NULL || v->type > MEM_NULL) return NULL;
  if (v->type == MEM_BLOB || v->type == MEM_TEXT) {
    if (v->n == 0) return NULL;
    if (!v->z && v->type == MEM_BLOB) {
      /* a zeroblob not materialised yet */
      char *z = util_zalloc((size_t)v->n);
      if (!z) return NULL;
      mem_take_text(v, z, v->n);
      v->type = MEM_BLOB;
    }
    return v->z;
  }
  return sqlite3_value_text(v);
}

int sqlite3_value_bytes(sqlite3_value *v) {
  if (!v || v->type == MEM_NULL || v->type > MEM_NULL) return 0;
  if (v->type == MEM_BLOB || v->type == MEM_TEXT) return v->n;
  const unsigned char *z = sqlite3_value_text(v);
  return z ? (int)strlen((const char *)z) : 0;
}

int sqlite3_value_numeric_type(sqlite3_value *v) {
  if (!v) return SQLITE_NULL;
  if (v->type == MEM_TEXT) mem_apply_affinity(v, AFF_NUMERIC);
  return sqlite3_value_type(v);
}

sqlite3_value *sqlite3_value_dup(const sqlite3_value *v) {
  Mem *copy;
  if (!v) return NULL;
  copy = util_zalloc(sizeof *copy);
  if (!copy) return NULL;
  mem_init(copy);
  if (mem_copy(copy, v) != SQLITE_OK) {
    util_free(copy);
    return NULL;
  }
  /* A program's constant text is the program's: the copy may outlive it. */
  if ((copy->type == MEM_TEXT || copy->type == MEM_BLOB) && copy->owner == MEM_STATIC && copy->n > 0) {
    char *z = util_malloc((size_t)copy->n + 1);
    if (!z) {
      util_free(copy);
      return NULL;
    }
    memcpy(z, copy->z, (size_t)copy->n);
    z[copy->n] = 0;
    copy->z = z;
    copy->owner = MEM_DYN;
  }
  copy->subtype = 0;
  return copy;
}

void sqlite3_value_free(sqlite3_value *v) {
  if (!v) return;
  mem_release(v);
  util_free(v);
}


/* ---- collations ---------------------------------------------------------------------------------------- */

int sqlite3_create_collation_v2(sqlite3 *db, const char *name, int enc, void *arg,
                                int (*cmp)(void *, int, const void *, int, const void *), void (*destroy)(void *)) {
  if (!db || db->magic != CONN_MAGIC_OPEN) return SQLITE_MISUSE;
  if (!name) return conn_error(db, SQLITE_MISUSE, NULL);
  int base = enc & ~SQLITE_UTF16_ALIGNED;
  if (base != SQLITE_UTF8 && base != SQLITE_ANY && base != SQLITE_UTF16 && base != SQLITE_UTF16LE &&
      base != SQLITE_UTF16BE)
    return conn_error(db, SQLITE_MISUSE, NULL);
  if (base != SQLITE_UTF8 && base != SQLITE_ANY) {
    if (destroy) destroy(arg);
    return conn_error(db, SQLITE_ERROR, "UTF-16 collations are not supported");
  }
  if (db->nactive > 0) {
    if (destroy) destroy(arg);
    return conn_error(db, SQLITE_BUSY, "unable to delete/modify collation sequence due to active statements");
  }
  if (!conn_api(db) || (!db->colls && !(db->colls = coll_set_new()))) {
    if (destroy) destroy(arg);
    return conn_error(db, SQLITE_NOMEM, NULL);
  }
  if (coll_define(db->colls, name, cmp, arg, destroy) < 0) return conn_error(db, SQLITE_NOMEM, NULL);
  /* The schemas' columns and indexes name collations: read them again. */
  for (int i = 0; i < db->ndb; i++)
    if (db->dbs[i].schema && db->dbs[i].bt) db->dbs[i].schema->loaded = 0;
  db->schema_gen++;
  return SQLITE_OK;
}

int sqlite3_create_collation(sqlite3 *db, const char *name, int enc, void *arg,
                             int (*cmp)(void *, int, const void *, int, const void *)) {
  return sqlite3_create_collation_v2(db, name, enc, arg, cmp, NULL);
}

/* sqlite3_collation_needed(16): the application's callback, asked by
** coll_lookup for a name the connection lacks, with the name in UTF-8 or
** in native UTF-16 (and, as in SQLite, the database's encoding). */
static void collation_needed(void *ctx, const char *name) {
  lode *db = ctx;
  ConnApi *a = db->api;
  if (a->coll_needed) a->coll_needed(a->coll_needed_arg, db, SQLITE_UTF8, name);
  if (a->coll_needed16) {
    void *z16 = api_utf8_to_utf16(name);
    if (z16) a->coll_needed16(a->coll_needed_arg, db, SQLITE_UTF8, z16);
    util_free(z16);
  }
}

static int set_needed(sqlite3 *db, void *arg, void (*cb)(void *, sqlite3 *, int, const char *),
                      void (*cb16)(void *, sqlite3 *, int, const void *)) {
  if (!db || db->magic != CONN_MAGIC_OPEN) return SQLITE_MISUSE;
  ConnApi *a = conn_api(db);
  if (!a || (!db->colls && !(db->colls = coll_set_new()))) return conn_error(db, SQLITE_NOMEM, NULL);
  a->coll_needed = cb;
  a->coll_needed16 = cb16;
  a->coll_needed_arg = arg;
  coll_set_needed(db->colls, cb || cb16 ? collation_needed : NULL, db);
  return SQLITE_OK;
}

int sqlite3_collation_needed(sqlite3 *db, void *arg, void (*cb)(void *, sqlite3 *, int, const char *)) {
  return set_needed(db, arg, cb, NULL);
}

int sqlite3_collation_needed16(sqlite3 *db, void *arg, void (*cb)(void *, sqlite3 *, int, const void *)) {
  return set_needed(db, arg, NULL, cb);
}

void api_collations_close(lode *db) {
  coll_set_free(db->colls);
  db->colls = NULL;
}
