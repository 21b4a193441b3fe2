/*
** vtab_api.c — virtual-table modules the application registers
** (sqlite3_create_module) and the tables they serve, adapted to the
** engine's module interface (vtab/vtab.h).
**
** A registered module is an ApiModule of the connection.  A table it serves
** (a CREATE VIRTUAL TABLE row, or the module itself used by its name when it
** is eponymous) is an ApiVtab: the application's sqlite3_vtab plus a
** VtabModule whose callbacks are the trampolines below and whose table is
** the schema the constructor declared (sqlite3_declare_vtab).  Codegen finds
** a table's VtabModule through conn_vtab_table, which connects it on first
** use; compiled programs name it, and the VM finds it again by that name
** (conn_vtab_find), so a program never holds a pointer that a DROP could
** free.
**
** Invariants: an ApiVtab stays connected until its table is dropped
** (xDestroy), its module is dropped or replaced (eponymous tables), or the
** connection closes (xDisconnect); one with open cursors is unlinked and
** freed when its last cursor closes.  A module lives while registered or
** used by a table (refs); its destructor runs when both end.  The tables
** whose xBegin ran are in ConnApi.vtxn, in that order, until the
** transaction ends.
*/
#include <stdarg.h>
#include <string.h>

#include "capi/api.h"
#include "ext/fts3/fts3.h"
#include "ext/fts5/fts5.h"
#include "ext/rtree/rtree.h"
#include "sql/parser.h"
#include "util/util.h"
#include "vtab/vtab.h"

typedef struct ApiModule {
  char *name;
  const sqlite3_module *m;
  void *aux;
  void (*destroy)(void *);
  int refs; /* 1 while registered, plus one per connected table */
  struct ApiModule *next;
} ApiModule;

typedef struct ApiVtab {
  VtabModule vm; /* vm.inst points back here */
  lode *db;
  ApiModule *mod;
  sqlite3_vtab *vt;
  char *name; /* the table's name (an eponymous table: the module's) */
  char *sql;  /* the CREATE VIRTUAL TABLE text it was made with; NULL when eponymous */
  int dbi;    /* the database whose schema holds the table (eponymous: main) */
  char *key;  /* outside main: "db.name", the name programs find it by (vm.key) */
  Table *decl;
  int kind;   /* CONN_VTAB_TABLE or CONN_VTAB_EPONYMOUS */
  int svp;    /* SQLite's iSavepoint: savepoint levels below it are the table's (xRelease, xRollbackTo) */
  int ncursors;
  int unlinked; /* no longer in the connection's list: freed at the last cursor's close */
  int constraint_support;
  struct Overload *overloads; /* the functions xFindFunction gave, kept for compiled programs */
  struct ApiVtab *next;
  struct ApiVtab *declaring_outer; /* while its constructor runs: the table whose constructor was running */
} ApiVtab;

typedef struct Overload {
  FuncDef *def;
  void (*xFunc)(sqlite3_context *, int, sqlite3_value **);
  void *app;
  struct Overload *next;
} Overload;

typedef struct ApiCursor {
  VtabCursor base;
  ApiVtab *tab;
  sqlite3_vtab_cursor *cur;
} ApiCursor;

/* best_index's sqlite3_index_info with the engine's request beside it
** (sqlite3_vtab_collation and _rhs_value read it). */
typedef struct IndexBox {
  sqlite3_index_info ii;
  const VtabIndexInfo *info;
} IndexBox;

static int db_ok(sqlite3 *db) { return db && db->magic == CONN_MAGIC_OPEN; }
static int txn_add(lode *db, struct ApiVtab *t);

/* ---- modules ------------------------------------------------------------------------------------------------ */

static void module_unref(ApiModule *m) {
  if (--m->refs > 0) return;
  if (m->destroy) m->destroy(m->aux);
  util_free(m->name);
  util_free(m);
}

static ApiModule *find_module(ConnApi *a, const char *name) {
  for (ApiModule *m = a ? a->modules : NULL; m; m = m->next)
    if (util_stricmp(m->name, name) == 0) return m;
  return NULL;
}

int api_builtin_eponymous(const char *name) {
  return util_stricmp(name, "dbstat") == 0 || util_stricmp(name, "sqlite_dbpage") == 0;
}

/* A built-in module of that name (the R-Tree, FTS3/FTS4, FTS5, fts5vocab,
** dbstat, sqlite_dbpage), or NULL. */
static const sqlite3_module *builtin_module(const char *name) {
  if (util_stricmp(name, "dbstat") == 0) return api_dbstat_module();
  if (util_stricmp(name, "sqlite_dbpage") == 0) return api_dbpage_module();
  const sqlite3_module *m = rtree_builtin_module(name);
  if (!m) m = fts3_builtin_module(name);
  return m ? m : fts5_builtin_module(name);
}

/* The module of that name, registering a built-in one (the R-Tree) the
** first time a table asks for it: every connection knows those names
** without paying for them until it uses them. */
static ApiModule *module_named(lode *db, const char *name) {
  ApiModule *m = find_module(db->api, name);
  const sqlite3_module *builtin = m ? NULL : builtin_module(name);
  if (builtin && sqlite3_create_module(db, name, builtin, fts3_builtin_aux(name)) == SQLITE_OK)
    m = find_module(db->api, name);
  return m;
}

/* ---- connected tables --------------------------------------------------------------------------------------- */

static void txn_forget(ConnApi *a, ApiVtab *t) {
  for (int i = 0; i < a->nvtxn; i++) {
    if (a->vtxn[i] != t) continue;
    memmove(&a->vtxn[i], &a->vtxn[i + 1], sizeof(ApiVtab *) * (size_t)(a->nvtxn - i - 1));
    a->nvtxn--;
    return;
  }
}

/* Frees t (xDisconnect first unless destroyed says its xDestroy ran). */
static void vtab_free(ApiVtab *t, int destroyed) {
  if (t->vt && !destroyed) {
    /* A disconnect (its statements finalized) leaves the connection's error as it was. */
    lode *db = t->db;
    int errcode = db->errcode;
    char *errmsg = db->errmsg;
    db->errmsg = NULL;
    t->mod->m->xDisconnect(t->vt);
    util_free(db->errmsg);
    db->errcode = errcode;
    db->errmsg = errmsg;
  }
  module_unref(t->mod);
  while (t->overloads) {
    Overload *o = t->overloads;
    t->overloads = o->next;
    api_overload_free(o->def);
    util_free(o);
  }
  table_free(t->decl);
  util_free(t->name);
  util_free(t->key);
  util_free(t->sql);
  util_free(t);
}

/* Takes t out of the connection's list (and transaction); frees it now, or
** at its last cursor's close. */
static void vtab_unlink(ConnApi *a, ApiVtab *t, int destroyed) {
  for (ApiVtab **pp = &a->vtabs; *pp; pp = &(*pp)->next) {
    if (*pp != t) continue;
    *pp = t->next;
    break;
  }
  txn_forget(a, t);
  t->unlinked = 1;
  if (destroyed) t->vt = NULL;
  if (t->ncursors == 0) vtab_free(t, destroyed);
}

/* dbi < 0: the first of that name in any database. */
static ApiVtab *find_vtab_in(ConnApi *a, int dbi, const char *name, int kind) {
  for (ApiVtab *t = a ? a->vtabs : NULL; t; t = t->next)
    if (t->kind == kind && (dbi < 0 || t->dbi == dbi) && util_stricmp(t->name, name) == 0) return t;
  return NULL;
}

static ApiVtab *find_vtab(ConnApi *a, const char *name, int kind) { return find_vtab_in(a, -1, name, kind); }

/* The message of a failed method: the module's zErrMsg (taken), else the
** result code's text. */
static char *take_vtab_error(sqlite3_vtab *vt, int rc) {
  char *msg;
  if (vt && vt->zErrMsg) {
    msg = util_strdup(vt->zErrMsg);
    sqlite3_free(vt->zErrMsg);
    vt->zErrMsg = NULL;
  } else {
    msg = util_strdup(sqlite3_errstr(rc));
  }
  return msg;
}

/* ---- the engine's callbacks ---------------------------------------------------------------------------------- */

static int api_best_index(const VtabModule *vm, VtabIndexInfo *info) {
  ApiVtab *t = vm->inst;
  IndexBox box;
  int n = info->ncons, rc = LODE_OK;
  memset(&box, 0, sizeof box);
  box.info = info;
  struct sqlite3_index_constraint *cons = util_zalloc(sizeof *cons * (size_t)(n ? n : 1));
  struct sqlite3_index_constraint_usage *use = util_zalloc(sizeof *use * (size_t)(n ? n : 1));
  struct sqlite3_index_orderby *order = util_zalloc(sizeof *order * (size_t)(info->norder ? info->norder : 1));
  if (!cons || !use || !order) {
    rc = LODE_NOMEM;
    goto done;
  }
  for (int i = 0; i < n; i++) {
    cons[i].iColumn = info->cons[i].column;
    cons[i].op = (unsigned char)info->cons[i].op;
    cons[i].usable = (unsigned char)(info->cons[i].usable != 0);
    cons[i].iTermOffset = i;
  }
  for (int i = 0; i < info->norder; i++) {
    order[i].iColumn = info->order[i].column;
    order[i].desc = (unsigned char)(info->order[i].desc != 0);
  }
  box.ii.nConstraint = n;
  box.ii.aConstraint = cons;
  box.ii.nOrderBy = info->norder;
  box.ii.aOrderBy = order;
  box.ii.aConstraintUsage = use;
  box.ii.estimatedCost = 5e98; /* SQLite's defaults: a scan of unknown size */
  box.ii.estimatedRows = 25;
  box.ii.colUsed = info->cols_used;
  rc = t->mod->m->xBestIndex(t->vt, &box.ii);
  if (rc == SQLITE_CONSTRAINT) {
    info->errmsg = "no query solution";
    rc = LODE_ERROR;
  } else if (rc == SQLITE_NOMEM) {
    rc = LODE_NOMEM;
  } else if (rc != SQLITE_OK) {
    info->errmsg_owned = take_vtab_error(t->vt, rc);
    rc = LODE_ERROR;
  }
  if (t->vt->zErrMsg) {
    sqlite3_free(t->vt->zErrMsg);
    t->vt->zErrMsg = NULL;
  }
  if (rc == LODE_OK) {
    /* The used constraints must be usable ones, each given one argument
    ** position, the positions 1..k without a gap. */
    int max = 0, bad = 0;
    for (int i = 0; i < n; i++) {
      int k = use[i].argvIndex;
      if (k <= 0) continue;
      if (k > n || !cons[i].usable) bad = 1;
      for (int j = 0; j < i; j++) bad |= use[j].argvIndex == k;
      if (k > max) max = k;
    }
    for (int k = 1; !bad && k <= max; k++) {
      int found = 0;
      for (int i = 0; i < n; i++) found |= use[i].argvIndex == k;
      bad = !found;
    }
    if (bad) {
      info->errmsg_owned = util_mprintf("%s.xBestIndex malfunction", t->name);
      rc = LODE_ERROR;
    }
  }
  if (rc == LODE_OK) {
    for (int i = 0; i < n; i++) {
      info->cons[i].argv_index = use[i].argvIndex > 0 ? use[i].argvIndex : 0;
      info->cons[i].omit = use[i].argvIndex > 0 && use[i].omit;
    }
    info->idx_num = box.ii.idxNum;
    info->idx_str = box.ii.idxStr ? util_strdup(box.ii.idxStr) : NULL;
    info->order_consumed = box.ii.orderByConsumed;
    info->idx_flags = box.ii.idxFlags & SQLITE_INDEX_SCAN_UNIQUE ? VTAB_SCAN_UNIQUE : 0;
    info->est_cost = box.ii.estimatedCost;
    info->est_rows = (double)box.ii.estimatedRows;
  }
  if (box.ii.needToFreeIdxStr) sqlite3_free(box.ii.idxStr);
done:
  util_free(cons);
  util_free(use);
  util_free(order);
  return rc;
}

static int api_open(const VtabModule *vm, VtabCursor **out) {
  ApiVtab *t = vm->inst;
  sqlite3_vtab_cursor *cur = NULL;
  ApiCursor *c = util_zalloc(sizeof *c);
  *out = NULL;
  if (!c) return LODE_NOMEM;
  int rc = t->mod->m->xOpen(t->vt, &cur);
  if (rc == SQLITE_OK && !cur) rc = SQLITE_ERROR; /* no cursor object to step */
  if (rc != SQLITE_OK) {
    util_free(c);
    char *msg = take_vtab_error(t->vt, rc);
    conn_error_take(t->db, rc, msg);
    return rc;
  }
  cur->pVtab = t->vt;
  c->base.module = vm;
  c->tab = t;
  c->cur = cur;
  t->ncursors++;
  *out = &c->base;
  return LODE_OK;
}

static int cursor_failed(ApiCursor *c, int rc) {
  util_free(c->base.errmsg);
  c->base.errmsg = take_vtab_error(c->tab->vt, rc);
  return rc;
}

static int api_filter(VtabCursor *vc, int idx_num, int argc, Mem **argv) {
  ApiCursor *c = (ApiCursor *)vc;
  int rc = c->tab->mod->m->xFilter(c->cur, idx_num, vc->idx_str, argc, argv);
  return rc == SQLITE_OK ? LODE_OK : cursor_failed(c, rc);
}

static int api_next(VtabCursor *vc) {
  ApiCursor *c = (ApiCursor *)vc;
  int rc = c->tab->mod->m->xNext(c->cur);
  return rc == SQLITE_OK ? LODE_OK : cursor_failed(c, rc);
}

static int api_eof(VtabCursor *vc) {
  ApiCursor *c = (ApiCursor *)vc;
  return c->tab->mod->m->xEof(c->cur) != 0;
}

static int api_column(VtabCursor *vc, int col, Mem *out) {
  ApiCursor *c = (ApiCursor *)vc;
  FuncContext ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.db = c->tab->db;
  ctx.out = out;
  int rc = c->tab->mod->m->xColumn(c->cur, &ctx, col);
  if (ctx.rc != LODE_OK) {
    /* sqlite3_result_error in xColumn fails the statement with its message. */
    util_free(vc->errmsg);
    vc->errmsg = ctx.errmsg ? ctx.errmsg : util_strdup(sqlite3_errstr(ctx.rc));
    return ctx.rc;
  }
  util_free(ctx.errmsg);
  return rc == SQLITE_OK ? LODE_OK : cursor_failed(c, rc);
}

static int api_rowid(VtabCursor *vc, int64_t *rowid) {
  ApiCursor *c = (ApiCursor *)vc;
  sqlite3_int64 r = 0;
  int rc = c->tab->mod->m->xRowid(c->cur, &r);
  *rowid = r;
  return rc == SQLITE_OK ? LODE_OK : cursor_failed(c, rc);
}

static void api_close(VtabCursor *vc) {
  ApiCursor *c = (ApiCursor *)vc;
  ApiVtab *t = c->tab;
  /* A close that finalizes the module's own statements leaves the connection's error as it was
  ** (the error of the statement being closed, as SQLite keeps it with that statement). */
  lode *db = t->db;
  int errcode = db->errcode;
  char *errmsg = db->errmsg;
  db->errmsg = NULL;
  t->mod->m->xClose(c->cur);
  util_free(db->errmsg);
  db->errcode = errcode;
  db->errmsg = errmsg;
  util_free(vc->errmsg);
  util_free(c);
  if (--t->ncursors == 0 && t->unlinked) vtab_free(t, t->vt == NULL);
}

/* ONCONFLICT_* → sqlite3_vtab_on_conflict's answer. */
static int conflict_code(int on_conflict) {
  switch (on_conflict) {
    case ONCONFLICT_ROLLBACK: return SQLITE_ROLLBACK;
    case ONCONFLICT_FAIL: return SQLITE_FAIL;
    case ONCONFLICT_IGNORE: return SQLITE_IGNORE;
    case ONCONFLICT_REPLACE: return SQLITE_REPLACE;
    default: return SQLITE_ABORT;
  }
}

static int api_update(const VtabModule *vm, int argc, Mem **argv, int64_t *rowid, int on_conflict, char **errmsg) {
  ApiVtab *t = vm->inst;
  ConnApi *a = t->db->api;
  sqlite3_int64 r = 0;
  int saved = a->vtab_conflict;
  *errmsg = NULL;
  a->vtab_conflict = conflict_code(on_conflict);
  int rc = t->mod->m->xUpdate(t->vt, argc, argv, &r);
  a->vtab_conflict = saved;
  *rowid = r;
  if (rc == SQLITE_OK) return LODE_OK;
  /* Under OR IGNORE a module that supports constraints skips the row. */
  if ((rc & 0xff) == SQLITE_CONSTRAINT && t->constraint_support && on_conflict == ONCONFLICT_IGNORE) {
    if (t->vt->zErrMsg) {
      sqlite3_free(t->vt->zErrMsg);
      t->vt->zErrMsg = NULL;
    }
    return LODE_DONE;
  }
  *errmsg = take_vtab_error(t->vt, rc);
  return rc;
}

static const FuncDef *api_find_function(const VtabModule *vm, int nargs, const char *name) {
  ApiVtab *t = vm->inst;
  void (*xFunc)(sqlite3_context *, int, sqlite3_value **) = NULL;
  void *app = NULL;
  if (!t->mod->m->xFindFunction || !t->mod->m->xFindFunction(t->vt, nargs, name, &xFunc, &app) || !xFunc) return NULL;
  for (Overload *o = t->overloads; o; o = o->next) /* the same function again: one FuncDef */
    if (o->def->nargs == nargs && util_stricmp(o->def->name, name) == 0 && o->xFunc == xFunc && o->app == app)
      return o->def;
  Overload *o = util_zalloc(sizeof *o);
  if (!o || !(o->def = api_overload_def(name, nargs, xFunc, app))) {
    util_free(o);
    return NULL;
  }
  o->xFunc = xFunc;
  o->app = app;
  o->next = t->overloads;
  t->overloads = o;
  return o->def;
}

/* ---- connecting ---------------------------------------------------------------------------------------------- */

/* Runs xCreate (create) or xConnect with argv module, the database's name,
** name, args…; the new table joins the connection's list. */
static int vtab_construct(lode *db, int dbi, ApiModule *mod, const char *name, const char *sql, int nargs,
                          const char *const *args, int create, int kind, ApiVtab **out, char **errmsg) {
  ConnApi *a = db->api;
  *out = NULL;
  *errmsg = NULL;
  /* A constructor that reaches its own table again (fts4 whose content
  ** table is itself) would construct it without end. */
  for (const ApiVtab *d = a->declaring; d; d = d->declaring_outer) {
    if (d->dbi == dbi && d->kind == kind && util_stricmp(d->name, name) == 0) {
      *errmsg = util_mprintf("vtable constructor called recursively: %s", name);
      return *errmsg ? LODE_LOCKED : LODE_NOMEM; /* SQLite's code for it */
    }
  }
  const char **argv = util_zalloc(sizeof(char *) * (size_t)(nargs + 3));
  ApiVtab *t = util_zalloc(sizeof *t);
  if (!argv || !t || !(t->name = util_strdup(name)) || (sql && !(t->sql = util_strdup(sql)))) {
    util_free(argv);
    if (t) util_free(t->name);
    util_free(t);
    return LODE_NOMEM;
  }
  argv[0] = mod->name;
  argv[1] = db->dbs[dbi].name;
  argv[2] = name;
  for (int i = 0; i < nargs; i++) argv[i + 3] = args[i];
  t->db = db;
  t->dbi = dbi;
  t->mod = mod;
  t->kind = kind;
  t->vm.risk = VTAB_RISK_NORMAL; /* until the constructor says otherwise (sqlite3_vtab_config) */
  mod->refs++;
  ApiVtab *outer = a->declaring;
  char *zerr = NULL;
  sqlite3_vtab *vt = NULL;
  t->declaring_outer = outer;
  a->declaring = t;
  int rc = (create ? mod->m->xCreate : mod->m->xConnect)(db, mod->aux, nargs + 3, argv, &vt, &zerr);
  a->declaring = outer;
  util_free(argv);
  if (rc == SQLITE_OK && !vt) rc = SQLITE_ERROR; /* no table object: nothing to call later */
  if (rc != SQLITE_OK) {
    *errmsg = zerr ? util_strdup(zerr) : util_mprintf("vtable constructor failed: %s", t->name);
    sqlite3_free(zerr);
    vt = NULL;
  } else {
    sqlite3_free(zerr);
    if (vt) {
      memset(vt, 0, sizeof *vt);
      vt->pModule = mod->m;
    }
    t->vt = vt;
    if (!t->decl) {
      *errmsg = util_mprintf("vtable constructor did not declare schema: %s", t->name);
      rc = SQLITE_ERROR;
    }
  }
  if (rc != SQLITE_OK) {
    vtab_free(t, 0);
    return rc;
  }
  util_free(t->decl->name);
  t->decl->name = util_strdup(t->name); /* name may be gone: the constructor may change the schema */
  t->vm.name = t->name;
  if (dbi != CONN_DB_MAIN && !(t->vm.key = t->key = util_mprintf("%s.%s", db->dbs[dbi].name, t->name))) {
    vtab_free(t, 0);
    return LODE_NOMEM;
  }
  t->vm.schema = "";
  t->vm.best_index = api_best_index;
  t->vm.open = api_open;
  t->vm.filter = api_filter;
  t->vm.next = api_next;
  t->vm.eof = api_eof;
  t->vm.column = api_column;
  t->vm.rowid = api_rowid;
  t->vm.close = api_close;
  t->vm.inst = t;
  t->vm.table = t->decl;
  t->vm.all_ops = 1;
  t->vm.app_kind = kind;
  t->vm.update = mod->m->xUpdate ? api_update : NULL;
  t->vm.find_function = mod->m->xFindFunction ? api_find_function : NULL;
  t->next = a->vtabs;
  a->vtabs = t;
  *out = t;
  return LODE_OK;
}

/* A CREATE VIRTUAL TABLE text's module name and arguments, in arena. */
static int parse_vtab_sql(Arena *arena, const char *sql, const Stmt **out) {
  Stmt *st = NULL;
  char *err = NULL;
  int rc = sql_parse(arena, sql, -1, &st, NULL, &err);
  util_free(err);
  if (rc != LODE_OK) return rc;
  if (!st || st->kind != STMT_CREATE_VTAB) return LODE_ERROR;
  *out = st;
  return LODE_OK;
}

/* Connects (create: creates) schema table t. */
static int vtab_connect_table(lode *db, const Table *t, int create, ApiVtab **out, char **errmsg) {
  Arena arena;
  const Stmt *st = NULL;
  *out = NULL;
  *errmsg = NULL;
  ApiModule *mod = module_named(db, t->vtab_module);
  if (!mod || (create && (!mod->m->xCreate || !mod->m->xDestroy))) {
    *errmsg = util_mprintf("no such module: %s", t->vtab_module);
    return LODE_ERROR;
  }
  arena_init(&arena);
  int rc = parse_vtab_sql(&arena, t->sql, &st);
  if (rc == LODE_OK)
    rc = vtab_construct(db, t->db, mod, t->name, t->sql, st->nvtab_args, st->vtab_args, create, CONN_VTAB_TABLE, out,
                        errmsg);
  else if (rc != LODE_NOMEM)
    *errmsg = util_mprintf("malformed database schema (%s)", t->name);
  arena_free(&arena);
  return rc;
}

/* The "hidden" word of a declared type marks a HIDDEN column and leaves
** the type, as SQLite reads it.  The column keeps the affinity of the type
** as written, hidden included, as in SQLite: "docid HIDDEN" (fts3/4) and
** "x HIDDEN" compare as NUMERIC columns. */
static void take_hidden(Table *t) {
  for (int i = 0; i < t->ncols; i++) {
    char *z = t->cols[i].decltype_;
    for (char *w = z; w && *w; w++) {
      if (util_strnicmp(w, "hidden", 6) != 0 || (w > z && w[-1] != ' ') || (w[6] && w[6] != ' ')) continue;
      char *from = w + 6, *to = w;
      if (*from == ' ') from++;
      else if (to > z) to--;
      memmove(to, from, strlen(from) + 1);
      t->cols[i].hidden = 1;
      if (!*z) table_column_drop_type(t, i);
      break;
    }
  }
}

/* ---- called by codegen and the VM ---------------------------------------------------------------------------- */

int api_vtab_table(lode *db, Table *t, const VtabModule **out, char **errmsg) {
  ApiVtab *v = find_vtab_in(db->api, t->db, t->name, CONN_VTAB_TABLE);
  *out = NULL;
  *errmsg = NULL;
  if (v && strcmp(v->sql, t->sql) != 0) { /* another table by that name now: the old one is gone */
    vtab_unlink(db->api, v, 0);
    v = NULL;
  }
  if (!v) {
    if (!db->api && !builtin_module(t->vtab_module)) {
      *errmsg = util_mprintf("no such module: %s", t->vtab_module);
      return LODE_ERROR;
    }
    int rc = vtab_connect_table(db, t, 0, &v, errmsg);
    if (rc != LODE_OK) return rc;
  }
  if (t->ncols == 0 && table_copy_columns(t, v->decl) != LODE_OK) return LODE_NOMEM;
  *out = &v->vm;
  return LODE_OK;
}

const VtabModule *api_vtab_eponymous(lode *db, const char *name, char **errmsg) {
  ApiVtab *v = find_vtab(db->api, name, CONN_VTAB_EPONYMOUS);
  *errmsg = NULL;
  if (v) return &v->vm;
  /* dbstat and sqlite_dbpage are the built-in modules that are eponymous: registered at their first use. */
  ApiModule *mod = api_builtin_eponymous(name) ? module_named(db, name) : find_module(db->api, name);
  /* Eponymous: no constructor for CREATE VIRTUAL TABLE, or the same for both. */
  if (!mod || (mod->m->xCreate && mod->m->xCreate != mod->m->xConnect) || !mod->m->xConnect) return NULL;
  if (vtab_construct(db, CONN_DB_MAIN, mod, mod->name, NULL, 0, NULL, 0, CONN_VTAB_EPONYMOUS, &v, errmsg) != LODE_OK)
    return NULL;
  return &v->vm;
}

int api_vtab_shadow(lode *db, const char *module, const char *suffix) {
  ApiModule *mod = module_named(db, module);
  return mod && mod->m->iVersion >= 3 && mod->m->xShadowName && mod->m->xShadowName(suffix);
}

const VtabModule *api_vtab_find(lode *db, const char *name, int kind) {
  for (ApiVtab *t = db->api ? db->api->vtabs : NULL; t; t = t->next)
    if (t->kind == kind && util_stricmp(t->key ? t->key : t->name, name) == 0) return &t->vm;
  return NULL;
}

int api_vtab_create(lode *db, int dbi, const char *name) {
  const Table *t = db->dbs[dbi].schema ? schema_find_table(db->dbs[dbi].schema, name) : NULL;
  ApiVtab *v = NULL;
  char *err = NULL;
  if (!t || !t->vtab_module) return conn_error(db, LODE_INTERNAL, NULL);
  if (!db->api && !builtin_module(t->vtab_module))
    return conn_error(db, LODE_ERROR, "no such module: %s", t->vtab_module);
  ApiVtab *old = find_vtab_in(db->api, dbi, name, CONN_VTAB_TABLE);
  if (old) vtab_unlink(db->api, old, 0);
  int rc = vtab_connect_table(db, t, 1, &v, &err);
  if (rc != LODE_OK) return err ? conn_error_take(db, rc, err) : conn_error(db, rc, NULL);
  /* The new table takes part in the transaction (xSync, xCommit) without an xBegin, as in SQLite. */
  return txn_add(db, v);
}

int api_vtab_destroy(lode *db, int dbi, const char *name) {
  ApiVtab *v = find_vtab_in(db->api, dbi, name, CONN_VTAB_TABLE);
  if (!v) return LODE_OK;
  if (v->ncursors > 0) return conn_error(db, SQLITE_LOCKED, NULL); /* a running statement reads it */
  int rc = v->mod->m->xDestroy(v->vt);
  if (rc != SQLITE_OK) return conn_error_take(db, rc, take_vtab_error(v->vt, rc));
  vtab_unlink(db->api, v, 1);
  return LODE_OK;
}

static int in_txn(ConnApi *a, ApiVtab *t) {
  for (int i = 0; i < a->nvtxn; i++)
    if (a->vtxn[i] == t) return 1;
  return 0;
}

static int txn_add(lode *db, ApiVtab *t) {
  ConnApi *a = db->api;
  if (in_txn(a, t)) return LODE_OK;
  if (a->nvtxn == a->vtxn_cap) {
    int cap = a->vtxn_cap ? 2 * a->vtxn_cap : 4;
    ApiVtab **grown = util_realloc(a->vtxn, sizeof(ApiVtab *) * (size_t)cap);
    if (!grown) return conn_error(db, LODE_NOMEM, NULL);
    a->vtxn = grown;
    a->vtxn_cap = cap;
  }
  a->vtxn[a->nvtxn++] = t;
  return LODE_OK;
}

int api_vtab_begin(lode *db, const VtabModule *m, int level) {
  ApiVtab *t = m->inst;
  ConnApi *a = db->api;
  if (!t || !t->mod->m->xBegin || in_txn(a, t)) return LODE_OK;
  if (txn_add(db, t) != LODE_OK) return LODE_NOMEM;
  int rc = t->mod->m->xBegin(t->vt);
  if (rc != SQLITE_OK) {
    a->nvtxn--;
    return conn_error_take(db, rc, take_vtab_error(t->vt, rc));
  }
  /* Savepoints (and the statement's) open when the table joined: it starts at the newest. */
  if (level > 0 && t->mod->m->iVersion >= 2 && t->mod->m->xSavepoint) {
    t->svp = level;
    rc = t->mod->m->xSavepoint(t->vt, level - 1);
    if (rc != SQLITE_OK) return conn_error_take(db, rc, take_vtab_error(t->vt, rc));
  }
  return LODE_OK;
}

int api_vtab_sync(lode *db) {
  ConnApi *a = db->api;
  for (int i = 0; i < a->nvtxn; i++) {
    ApiVtab *t = a->vtxn[i];
    if (!t->mod->m->xSync) continue;
    int rc = t->mod->m->xSync(t->vt);
    if (rc != SQLITE_OK) return conn_error_take(db, rc, take_vtab_error(t->vt, rc));
  }
  return LODE_OK;
}

void api_vtab_end(lode *db, int commit) {
  ConnApi *a = db->api;
  /* A method may not start another transaction step: take the list first. */
  ApiVtab **list = a->vtxn;
  int n = a->nvtxn;
  a->vtxn = NULL;
  a->nvtxn = a->vtxn_cap = 0;
  for (int i = 0; i < n; i++) {
    ApiVtab *t = list[i];
    int (*step)(sqlite3_vtab *) = commit ? t->mod->m->xCommit : t->mod->m->xRollback;
    if (step) step(t->vt);
  }
  util_free(list);
}

int api_vtab_savepoint(lode *db, int op, int i) {
  ConnApi *a = db->api;
  for (int k = 0; k < a->nvtxn; k++) {
    ApiVtab *t = a->vtxn[k];
    const sqlite3_module *m = t->mod->m;
    if (m->iVersion < 2) continue;
    int (*step)(sqlite3_vtab *, int) = op == VTAB_TXN_SAVEPOINT ? m->xSavepoint
                                       : op == VTAB_TXN_RELEASE ? m->xRelease
                                                                : m->xRollbackTo;
    if (op == VTAB_TXN_SAVEPOINT) t->svp = i + 1;
    if (!step || t->svp <= i) continue;
    int rc = step(t->vt, i);
    if (rc != SQLITE_OK) return conn_error_take(db, rc, take_vtab_error(t->vt, rc));
  }
  return LODE_OK;
}

int api_vtab_rename(lode *db, int dbi, const char *name, const char *new_name) {
  ApiVtab *v = find_vtab_in(db->api, dbi, name, CONN_VTAB_TABLE);
  if (!v || !v->mod->m->xRename) return LODE_OK;
  int rc = v->mod->m->xRename(v->vt, new_name);
  if (rc != SQLITE_OK) return conn_error_take(db, rc, take_vtab_error(v->vt, rc));
  vtab_unlink(db->api, v, 0); /* connected again under its new name */
  return LODE_OK;
}

void api_vtab_schema_reset(lode *db) {
  ConnApi *a = db->api;
  for (ApiVtab *t = a->vtabs, *next; t; t = next) {
    next = t->next;
    if (t->kind == CONN_VTAB_TABLE && !in_txn(a, t)) vtab_unlink(a, t, 0);
  }
}

void api_vtab_close(lode *db) {
  ConnApi *a = db->api;
  if (!a) return;
  if (a->nvtxn) conn_vtab_end(db, 0);
  while (a->vtabs) vtab_unlink(a, a->vtabs, 0);
  while (a->modules) {
    ApiModule *m = a->modules;
    a->modules = m->next;
    module_unref(m);
  }
  util_free(a->vtxn);
  a->vtxn = NULL;
  a->nvtxn = a->vtxn_cap = 0;
}

/* ---- sqlite3.h ----------------------------------------------------------------------------------------------- */

/* Disconnects the eponymous table of module m (replaced or dropped). */
static void drop_eponymous(ConnApi *a, ApiModule *m) {
  for (ApiVtab *t = a->vtabs, *next; t; t = next) {
    next = t->next;
    if (t->mod == m && t->kind == CONN_VTAB_EPONYMOUS) vtab_unlink(a, t, 0);
  }
}

static void unregister(lode *db, ApiModule **pp) {
  ApiModule *m = *pp;
  *pp = m->next;
  drop_eponymous(db->api, m);
  db->schema_gen++; /* statements compiled with the module re-prepare */
  module_unref(m);
}

int sqlite3_create_module_v2(sqlite3 *db, const char *name, const sqlite3_module *p, void *aux,
                             void (*destroy)(void *)) {
  if (!db_ok(db) || !name) return SQLITE_MISUSE;
  ConnApi *a = conn_api(db);
  ApiModule *m = a ? util_zalloc(sizeof *m) : NULL;
  if (!m || !(m->name = util_strdup(name))) {
    util_free(m);
    if (destroy) destroy(aux);
    return conn_error(db, SQLITE_NOMEM, NULL);
  }
  for (ApiModule **pp = &a->modules; *pp; pp = &(*pp)->next) {
    if (util_stricmp((*pp)->name, name) != 0) continue;
    unregister(db, pp);
    break;
  }
  if (!p) { /* a NULL module only takes the name away */
    util_free(m->name);
    util_free(m);
    if (destroy) destroy(aux);
    return SQLITE_OK;
  }
  m->m = p;
  m->aux = aux;
  m->destroy = destroy;
  m->refs = 1;
  m->next = a->modules;
  a->modules = m;
  return SQLITE_OK;
}

int sqlite3_create_module(sqlite3 *db, const char *name, const sqlite3_module *p, void *aux) {
  return sqlite3_create_module_v2(db, name, p, aux, NULL);
}

int sqlite3_drop_modules(sqlite3 *db, const char **keep) {
  if (!db_ok(db)) return SQLITE_MISUSE;
  if (!db->api) return SQLITE_OK;
  for (ApiModule **pp = &db->api->modules; *pp;) {
    int kept = 0;
    for (int i = 0; keep && keep[i] && !kept; i++) kept = strcmp(keep[i], (*pp)->name) == 0;
    if (kept) pp = &(*pp)->next;
    else unregister(db, pp);
  }
  return SQLITE_OK;
}

int sqlite3_declare_vtab(sqlite3 *db, const char *sql) {
  if (!db_ok(db) || !sql) return SQLITE_MISUSE;
  ApiVtab *t = db->api ? db->api->declaring : NULL;
  if (!t || t->decl) return conn_error(db, SQLITE_MISUSE, NULL);
  Arena arena;
  Stmt *st = NULL;
  char *err = NULL;
  arena_init(&arena);
  int rc = sql_parse(&arena, sql, -1, &st, NULL, &err);
  if (rc == LODE_OK && (!st || st->kind != STMT_CREATE_TABLE || st->as_select)) {
    rc = SQLITE_ERROR;
    util_free(err);
    err = util_mprintf("vtable constructor did not declare schema: %s", t->name);
  }
  if (rc == LODE_OK) {
    t->decl = table_from_ast(st, 0, sql, &err);
    if (!t->decl) rc = err ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  arena_free(&arena);
  if (rc != LODE_OK) return err ? conn_error_take(db, rc, err) : conn_error(db, rc, NULL);
  take_hidden(t->decl);
  return SQLITE_OK;
}

int sqlite3_vtab_config(sqlite3 *db, int op, ...) {
  if (!db_ok(db)) return SQLITE_MISUSE;
  ApiVtab *t = db->api ? db->api->declaring : NULL;
  if (!t) return conn_error(db, SQLITE_MISUSE, NULL);
  va_list ap;
  va_start(ap, op);
  int rc = SQLITE_OK;
  switch (op) {
    case SQLITE_VTAB_CONSTRAINT_SUPPORT:
      t->constraint_support = va_arg(ap, int);
      t->vm.constraint_support = t->constraint_support;
      break;
    case SQLITE_VTAB_INNOCUOUS: t->vm.risk = VTAB_RISK_INNOCUOUS; break;
    case SQLITE_VTAB_DIRECTONLY: t->vm.risk = VTAB_RISK_DIRECTONLY; break;
    case SQLITE_VTAB_USES_ALL_SCHEMAS: break; /* accepted; a table's scans see every schema anyway */
    default: rc = conn_error(db, SQLITE_MISUSE, NULL);
  }
  va_end(ap);
  return rc;
}

int sqlite3_vtab_on_conflict(sqlite3 *db) {
  if (!db_ok(db) || !db->api || !db->api->vtab_conflict) return SQLITE_ABORT;
  return db->api->vtab_conflict;
}

/* In xColumn: the column is one an UPDATE does not set (OP_VColumn marked the result before the call). */
int sqlite3_vtab_nochange(sqlite3_context *ctx) {
  return ctx && ctx->out && ctx->out->type == MEM_NULL && ctx->out->subtype == MEM_SUBTYPE_NOCHANGE;
}

const char *sqlite3_vtab_collation(sqlite3_index_info *ii, int i) {
  const IndexBox *box = (const IndexBox *)ii;
  if (!ii || i < 0 || i >= ii->nConstraint) return NULL;
  return box->info->coll && box->info->coll[i] ? box->info->coll[i] : "BINARY";
}

int sqlite3_vtab_distinct(sqlite3_index_info *ii) {
  return ii ? ((const IndexBox *)ii)->info->distinct : 0;
}

/* IN constraints are not offered one by one (the engine tests IN itself). */
int sqlite3_vtab_in(sqlite3_index_info *ii, int i, int handle) {
  (void)ii, (void)i, (void)handle;
  return 0;
}

int sqlite3_vtab_in_first(sqlite3_value *v, sqlite3_value **out) {
  (void)v;
  if (out) *out = NULL;
  return SQLITE_ERROR;
}

int sqlite3_vtab_in_next(sqlite3_value *v, sqlite3_value **out) {
  (void)v;
  if (out) *out = NULL;
  return SQLITE_ERROR;
}

int sqlite3_vtab_rhs_value(sqlite3_index_info *ii, int i, sqlite3_value **out) {
  const IndexBox *box = (const IndexBox *)ii;
  if (out) *out = NULL;
  if (!ii || !out || i < 0 || i >= ii->nConstraint) return SQLITE_MISUSE;
  if (!box->info->rhs || !box->info->rhs[i]) return SQLITE_NOTFOUND;
  *out = (sqlite3_value *)box->info->rhs[i];
  return SQLITE_OK;
}
