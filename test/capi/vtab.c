/*
** vtab.c — virtual-table modules the program registers: an in-memory
** table module ("arr": CREATE VIRTUAL TABLE t USING arr(col, ...), rows in
** rowid order, xBestIndex using rowid and column equalities and ORDER BY
** rowid, xUpdate with on-conflict handling, transaction methods) and an
** eponymous series module ("upto": start/stop hidden arguments).  Every
** method call the engine makes is logged, so the order and arguments of
** the calls are compared with SQLite's, as are results and errors.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXROWS 64
#define MAXCOLS 8

static int quiet = 0; /* no logging of scans (joins: SQLite may plan them differently) */
#define LOG(...)                   \
  do {                             \
    if (!quiet) printf(__VA_ARGS__); \
  } while (0)

/* ---- arr: the rows live in the module's aux data, by table name ---------- */

typedef struct Row {
  sqlite3_int64 rowid;
  sqlite3_value *v[MAXCOLS];
} Row;

typedef struct Store {
  char name[32];
  int ncols;
  int nrows;
  Row rows[MAXROWS];
  int used;
} Store;

static Store stores[4];

typedef struct ArrTab {
  sqlite3_vtab base;
  Store *s;
  sqlite3 *db;
} ArrTab;

typedef struct ArrCur {
  sqlite3_vtab_cursor base;
  int i;     /* current row index */
  int stop;  /* one past the last row to visit */
  sqlite3_int64 want; /* idxNum 2: column 0 equals this */
  sqlite3_value *eq;
} ArrCur;

static Store *store_named(const char *name, int make) {
  for (int i = 0; i < 4; i++)
    if (stores[i].used && strcmp(stores[i].name, name) == 0) return &stores[i];
  if (!make) return NULL;
  for (int i = 0; i < 4; i++)
    if (!stores[i].used) {
      memset(&stores[i], 0, sizeof stores[i]);
      stores[i].used = 1;
      snprintf(stores[i].name, sizeof stores[i].name, "%s", name);
      return &stores[i];
    }
  return NULL;
}

static int arr_init(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err,
                    int create) {
  char sql[256] = "CREATE TABLE x(";
  (void)aux;
  LOG("  %s argc=%d", create ? "xCreate" : "xConnect", argc);
  for (int i = 0; i < argc; i++) LOG(" [%s]", argv[i]);
  LOG("\n");
  if (argc < 4) {
    *err = sqlite3_mprintf("arr needs columns");
    return SQLITE_ERROR;
  }
  if (strcmp(argv[3], "fail") == 0) return SQLITE_ERROR;
  for (int i = 3; i < argc; i++) {
    strcat(sql, argv[i]);
    strcat(sql, i + 1 < argc ? ", " : ")");
  }
  int rc = sqlite3_declare_vtab(db, sql);
  if (rc != SQLITE_OK) {
    *err = sqlite3_mprintf("declare: %s", sqlite3_errmsg(db));
    return rc;
  }
  sqlite3_vtab_config(db, SQLITE_VTAB_CONSTRAINT_SUPPORT, 1);
  ArrTab *t = sqlite3_malloc(sizeof *t);
  memset(t, 0, sizeof *t);
  t->s = store_named(argv[2], create);
  t->db = db;
  if (t->s && create) t->s->ncols = argc - 3;
  *out = &t->base;
  return SQLITE_OK;
}
static int arr_create(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  return arr_init(db, aux, argc, argv, out, err, 1);
}
static int arr_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  return arr_init(db, aux, argc, argv, out, err, 0);
}

static int arr_best_index(sqlite3_vtab *vt, sqlite3_index_info *ii) {
  int n = 0;
  LOG("  xBestIndex distinct=%d nConstraint=%d nOrderBy=%d colUsed=%llx\n", sqlite3_vtab_distinct(ii),
      ii->nConstraint, ii->nOrderBy, (unsigned long long)ii->colUsed);
  (void)vt;
  ii->idxNum = 0;
  for (int i = 0; i < ii->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &ii->aConstraint[i];
    sqlite3_value *rhs = NULL;
    int have = sqlite3_vtab_rhs_value(ii, i, &rhs);
    LOG("    cons col=%d op=%d usable=%d coll=%s rhs=%s\n", c->iColumn, c->op, c->usable,
        sqlite3_vtab_collation(ii, i), have == SQLITE_OK ? (const char *)sqlite3_value_text(rhs) : "-");
    if (!c->usable) continue;
    if (c->op == SQLITE_INDEX_CONSTRAINT_EQ && c->iColumn == -1 && ii->idxNum == 0) {
      ii->idxNum = 1;
      ii->aConstraintUsage[i].argvIndex = ++n;
      ii->aConstraintUsage[i].omit = 1;
    } else if (c->op == SQLITE_INDEX_CONSTRAINT_EQ && c->iColumn == 0 && ii->idxNum == 0) {
      ii->idxNum = 2;
      ii->aConstraintUsage[i].argvIndex = ++n;
    }
  }
  if (ii->idxNum == 1) {
    ii->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
    ii->estimatedRows = 1;
  }
  ii->idxStr = sqlite3_mprintf("plan%d", ii->idxNum);
  ii->needToFreeIdxStr = 1;
  ii->estimatedCost = ii->idxNum ? 10 : 1000;
  if (ii->nOrderBy == 1 && ii->aOrderBy[0].iColumn == -1 && !ii->aOrderBy[0].desc) ii->orderByConsumed = 1;
  return SQLITE_OK;
}

static int arr_disconnect(sqlite3_vtab *vt) {
  LOG("  xDisconnect\n");
  sqlite3_free(vt);
  return SQLITE_OK;
}

static void clear_row(Row *r) {
  for (int k = 0; k < MAXCOLS; k++) {
    sqlite3_value_free(r->v[k]);
    r->v[k] = NULL;
  }
}

static int arr_destroy(sqlite3_vtab *vt) {
  ArrTab *t = (ArrTab *)vt;
  printf("  xDestroy\n");
  if (t->s) {
    for (int i = 0; i < t->s->nrows; i++) clear_row(&t->s->rows[i]);
    t->s->used = 0;
  }
  sqlite3_free(vt);
  return SQLITE_OK;
}

static int arr_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  ArrCur *c = sqlite3_malloc(sizeof *c);
  (void)vt;
  memset(c, 0, sizeof *c);
  *out = &c->base;
  return SQLITE_OK;
}

static int arr_close(sqlite3_vtab_cursor *cur) {
  sqlite3_free(cur);
  return SQLITE_OK;
}

static Store *store_of(sqlite3_vtab_cursor *cur) { return ((ArrTab *)cur->pVtab)->s; }

static int matches(ArrCur *c, Store *s) {
  if (!c->eq || c->i >= s->nrows) return 1;
  sqlite3_value *v = s->rows[c->i].v[0];
  if (!v || sqlite3_value_type(v) == SQLITE_NULL || sqlite3_value_type(c->eq) == SQLITE_NULL) return 0;
  return strcmp((const char *)sqlite3_value_text(v), (const char *)sqlite3_value_text(c->eq)) == 0;
}

static int arr_filter(sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc, sqlite3_value **argv) {
  ArrCur *c = (ArrCur *)cur;
  Store *s = store_of(cur);
  LOG("  xFilter idxNum=%d idxStr=%s argc=%d", idx, idx_str ? idx_str : "(null)", argc);
  for (int i = 0; i < argc; i++) {
    const unsigned char *v = sqlite3_value_text(argv[i]);
    LOG(" [%s]", v ? (const char *)v : "NULL");
  }
  LOG("\n");
  if (!s) {
    cur->pVtab->zErrMsg = sqlite3_mprintf("no store");
    return SQLITE_ERROR;
  }
  c->i = 0;
  c->stop = s->nrows;
  c->eq = NULL;
  if (idx == 1) {
    sqlite3_int64 want = sqlite3_value_int64(argv[0]);
    c->stop = 0;
    for (int i = 0; i < s->nrows; i++)
      if (s->rows[i].rowid == want) c->i = i, c->stop = i + 1;
  } else if (idx == 2) {
    c->eq = argv[0];
    while (c->i < c->stop && !matches(c, s)) c->i++;
  }
  return SQLITE_OK;
}

static int arr_next(sqlite3_vtab_cursor *cur) {
  ArrCur *c = (ArrCur *)cur;
  Store *s = store_of(cur);
  c->i++;
  while (c->i < c->stop && !matches(c, s)) c->i++;
  return SQLITE_OK;
}

static int arr_eof(sqlite3_vtab_cursor *cur) {
  ArrCur *c = (ArrCur *)cur;
  return c->i >= c->stop;
}

static int arr_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  ArrCur *c = (ArrCur *)cur;
  Store *s = store_of(cur);
  sqlite3_value *v = s->rows[c->i].v[col];
  if (v && sqlite3_value_type(v) == SQLITE_TEXT && strcmp((const char *)sqlite3_value_text(v), "boom") == 0) {
    sqlite3_result_error(ctx, "boom in xColumn", -1);
    return SQLITE_ERROR;
  }
  if (v) sqlite3_result_value(ctx, v);
  else sqlite3_result_null(ctx);
  return SQLITE_OK;
}

static int arr_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid) {
  ArrCur *c = (ArrCur *)cur;
  *rowid = store_of(cur)->rows[c->i].rowid;
  return SQLITE_OK;
}

static int find_row(Store *s, sqlite3_int64 rowid) {
  for (int i = 0; i < s->nrows; i++)
    if (s->rows[i].rowid == rowid) return i;
  return -1;
}

/* Keeps the rows in rowid order. */
static int insert_row(Store *s, sqlite3_int64 rowid, sqlite3_value **vals) {
  int at = 0;
  if (s->nrows == MAXROWS) return -1;
  while (at < s->nrows && s->rows[at].rowid < rowid) at++;
  memmove(&s->rows[at + 1], &s->rows[at], sizeof(Row) * (size_t)(s->nrows - at));
  s->nrows++;
  s->rows[at].rowid = rowid;
  for (int k = 0; k < MAXCOLS; k++) s->rows[at].v[k] = k < s->ncols ? sqlite3_value_dup(vals[k]) : NULL;
  return at;
}

static void delete_at(Store *s, int i) {
  clear_row(&s->rows[i]);
  memmove(&s->rows[i], &s->rows[i + 1], sizeof(Row) * (size_t)(s->nrows - i - 1));
  s->nrows--;
}

static const char *conflict_name(int c) {
  switch (c) {
    case SQLITE_ROLLBACK: return "ROLLBACK";
    case SQLITE_IGNORE: return "IGNORE";
    case SQLITE_FAIL: return "FAIL";
    case SQLITE_ABORT: return "ABORT";
    case SQLITE_REPLACE: return "REPLACE";
  }
  return "?";
}

static int arr_update(sqlite3_vtab *vt, int argc, sqlite3_value **argv, sqlite3_int64 *rowid) {
  ArrTab *t = (ArrTab *)vt;
  Store *s = t->s;
  printf("  xUpdate argc=%d on_conflict=%s", argc, conflict_name(sqlite3_vtab_on_conflict(t->db)));
  for (int i = 0; i < argc; i++)
    printf(" [%s]", sqlite3_value_type(argv[i]) == SQLITE_NULL ? "NULL" : (const char *)sqlite3_value_text(argv[i]));
  printf("\n");
  if (argc == 1) {
    int i = find_row(s, sqlite3_value_int64(argv[0]));
    if (i >= 0) delete_at(s, i);
    return SQLITE_OK;
  }
  for (int k = 2; k < argc; k++) {
    if (sqlite3_value_type(argv[k]) == SQLITE_TEXT && strcmp((const char *)sqlite3_value_text(argv[k]), "bad") == 0) {
      vt->zErrMsg = sqlite3_mprintf("value 'bad' refused");
      return SQLITE_CONSTRAINT;
    }
  }
  sqlite3_int64 newid;
  if (sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    newid = s->nrows ? s->rows[s->nrows - 1].rowid + 1 : 1;
  } else {
    newid = sqlite3_value_int64(argv[1]);
  }
  int old = sqlite3_value_type(argv[0]) == SQLITE_NULL ? -1 : find_row(s, sqlite3_value_int64(argv[0]));
  int clash = find_row(s, newid);
  if (clash >= 0 && clash != old) {
    int how = sqlite3_vtab_on_conflict(t->db);
    if (how == SQLITE_REPLACE) {
      delete_at(s, clash);
      if (old > clash) old--;
    } else {
      vt->zErrMsg = sqlite3_mprintf("rowid %lld exists", (long long)newid);
      return SQLITE_CONSTRAINT;
    }
  }
  if (old >= 0) delete_at(s, old);
  insert_row(s, newid, argv + 2);
  *rowid = newid;
  return SQLITE_OK;
}

static int arr_begin(sqlite3_vtab *vt) { (void)vt; printf("  xBegin\n"); return SQLITE_OK; }
static int arr_sync(sqlite3_vtab *vt) { (void)vt; printf("  xSync\n"); return SQLITE_OK; }
static int arr_commit(sqlite3_vtab *vt) { (void)vt; printf("  xCommit\n"); return SQLITE_OK; }
static int arr_rollback(sqlite3_vtab *vt) { (void)vt; printf("  xRollback\n"); return SQLITE_OK; }
static int arr_savepoint(sqlite3_vtab *vt, int i) { (void)vt; printf("  xSavepoint %d\n", i); return SQLITE_OK; }
static int arr_release(sqlite3_vtab *vt, int i) { (void)vt; printf("  xRelease %d\n", i); return SQLITE_OK; }
static int arr_rollback_to(sqlite3_vtab *vt, int i) { (void)vt; printf("  xRollbackTo %d\n", i); return SQLITE_OK; }
/* tag(x) of a column: "tag:" and the value; b MATCH x: the same text, any case. */
static void arr_tag(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  char buf[64];
  (void)argc;
  snprintf(buf, sizeof buf, "%s:%s", (const char *)sqlite3_user_data(ctx), (const char *)sqlite3_value_text(argv[0]));
  sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}
static void arr_match(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *pattern = (const char *)sqlite3_value_text(argv[0]), *v = (const char *)sqlite3_value_text(argv[1]);
  sqlite3_result_int(ctx, pattern && v && sqlite3_stricmp(pattern, v) == 0);
}
static int arr_find_function(sqlite3_vtab *vt, int nargs, const char *name,
                             void (**fn)(sqlite3_context *, int, sqlite3_value **), void **arg) {
  (void)vt;
  printf("  xFindFunction %s/%d\n", name, nargs);
  if (strcmp(name, "tag") == 0 && nargs == 1) {
    *fn = arr_tag;
    *arg = "tag";
    return 1;
  }
  if (strcmp(name, "match") == 0 && nargs == 2) {
    *fn = arr_match;
    return 1;
  }
  return 0;
}

static int arr_rename(sqlite3_vtab *vt, const char *name) {
  ArrTab *t = (ArrTab *)vt;
  printf("  xRename %s\n", name);
  if (t->s) snprintf(t->s->name, sizeof t->s->name, "%s", name);
  return SQLITE_OK;
}

static sqlite3_module arr_module = {
    .iVersion = 1, .xCreate = arr_create, .xConnect = arr_connect, .xBestIndex = arr_best_index,
    .xDisconnect = arr_disconnect, .xDestroy = arr_destroy, .xOpen = arr_open, .xClose = arr_close,
    .xFilter = arr_filter, .xNext = arr_next, .xEof = arr_eof, .xColumn = arr_column, .xRowid = arr_rowid,
    .xUpdate = arr_update, .xBegin = arr_begin, .xSync = arr_sync, .xCommit = arr_commit,
    .xRollback = arr_rollback, .xFindFunction = arr_find_function, .xRename = arr_rename};

/* The same with savepoints (iVersion 2). */
static sqlite3_module arr2_module = {
    .iVersion = 2, .xCreate = arr_create, .xConnect = arr_connect, .xBestIndex = arr_best_index,
    .xDisconnect = arr_disconnect, .xDestroy = arr_destroy, .xOpen = arr_open, .xClose = arr_close,
    .xFilter = arr_filter, .xNext = arr_next, .xEof = arr_eof, .xColumn = arr_column, .xRowid = arr_rowid,
    .xUpdate = arr_update, .xBegin = arr_begin, .xSync = arr_sync, .xCommit = arr_commit,
    .xRollback = arr_rollback, .xRename = arr_rename, .xSavepoint = arr_savepoint, .xRelease = arr_release,
    .xRollbackTo = arr_rollback_to};

/* ---- upto: eponymous, value from start up to stop ---------------------------- */

typedef struct UptoCur {
  sqlite3_vtab_cursor base;
  sqlite3_int64 v, start, stop;
} UptoCur;

static int upto_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  (void)aux, (void)err;
  LOG("  upto xConnect argc=%d [%s] [%s] [%s]\n", argc, argv[0], argv[1], argv[2]);
  int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(value INTEGER, start hidden, stop HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  *out = sqlite3_malloc(sizeof(sqlite3_vtab));
  memset(*out, 0, sizeof(sqlite3_vtab));
  return SQLITE_OK;
}

static int upto_best_index(sqlite3_vtab *vt, sqlite3_index_info *ii) {
  int start = -1, stop = -1;
  (void)vt;
  for (int i = 0; i < ii->nConstraint; i++) {
    if (ii->aConstraint[i].op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!ii->aConstraint[i].usable) {
      if (ii->aConstraint[i].iColumn == 1) return SQLITE_CONSTRAINT;
      continue;
    }
    if (ii->aConstraint[i].iColumn == 1) start = i;
    if (ii->aConstraint[i].iColumn == 2) stop = i;
  }
  if (start < 0) {
    vt->zErrMsg = sqlite3_mprintf("upto needs a start");
    return SQLITE_ERROR;
  }
  ii->aConstraintUsage[start].argvIndex = 1;
  ii->aConstraintUsage[start].omit = 1;
  if (stop >= 0) {
    ii->aConstraintUsage[stop].argvIndex = 2;
    ii->aConstraintUsage[stop].omit = 1;
    ii->idxNum = 1;
  }
  /* The module skips the OFFSET rows itself. */
  for (int i = 0; i < ii->nConstraint; i++) {
    if (ii->aConstraint[i].op != SQLITE_INDEX_CONSTRAINT_OFFSET || !ii->aConstraint[i].usable) continue;
    ii->aConstraintUsage[i].argvIndex = stop >= 0 ? 3 : 2;
    ii->aConstraintUsage[i].omit = 1;
    ii->idxNum |= 2;
  }
  ii->estimatedCost = 10;
  return SQLITE_OK;
}

static int upto_disconnect(sqlite3_vtab *vt) {
  LOG("  upto xDisconnect\n");
  sqlite3_free(vt);
  return SQLITE_OK;
}
static int upto_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  (void)vt;
  UptoCur *c = sqlite3_malloc(sizeof *c);
  memset(c, 0, sizeof *c);
  *out = &c->base;
  return SQLITE_OK;
}
static int upto_close(sqlite3_vtab_cursor *cur) {
  sqlite3_free(cur);
  return SQLITE_OK;
}
static int upto_filter(sqlite3_vtab_cursor *cur, int idx, const char *s, int argc, sqlite3_value **argv) {
  UptoCur *c = (UptoCur *)cur;
  (void)s;
  c->start = c->v = sqlite3_value_int64(argv[0]);
  c->stop = idx & 1 ? sqlite3_value_int64(argv[1]) : c->start + 2;
  if (idx & 2) c->v += sqlite3_value_int64(argv[argc - 1]);
  return SQLITE_OK;
}
static int upto_next(sqlite3_vtab_cursor *cur) {
  ((UptoCur *)cur)->v++;
  return SQLITE_OK;
}
static int upto_eof(sqlite3_vtab_cursor *cur) { return ((UptoCur *)cur)->v > ((UptoCur *)cur)->stop; }
static int upto_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  UptoCur *c = (UptoCur *)cur;
  sqlite3_result_int64(ctx, col == 0 ? c->v : col == 1 ? c->start : c->stop);
  return SQLITE_OK;
}
static int upto_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid) {
  *rowid = ((UptoCur *)cur)->v;
  return SQLITE_OK;
}

/* Eponymous only: no xCreate. */
static sqlite3_module upto_module = {
    .xConnect = upto_connect, .xBestIndex = upto_best_index, .xDisconnect = upto_disconnect,
    .xDestroy = upto_disconnect, .xOpen = upto_open, .xClose = upto_close, .xFilter = upto_filter,
    .xNext = upto_next, .xEof = upto_eof, .xColumn = upto_column, .xRowid = upto_rowid};

/* A module whose xBestIndex misbehaves on request: start = 1 leaves a gap in
** the argument positions, start = 2 fails without a message, start = 3 asks
** for a constraint that is not usable. */
static int bad_best_index(sqlite3_vtab *vt, sqlite3_index_info *ii) {
  (void)vt;
  for (int i = 0; i < ii->nConstraint; i++) {
    sqlite3_value *v = NULL;
    if (sqlite3_vtab_rhs_value(ii, i, &v) != SQLITE_OK) continue;
    switch (sqlite3_value_int(v)) {
      case 1: ii->aConstraintUsage[i].argvIndex = 2; break;
      case 2: return SQLITE_ERROR;
      case 3: return SQLITE_CONSTRAINT;
      case 4: ii->aConstraintUsage[i].argvIndex = ii->nConstraint + 1; break;
    }
  }
  return SQLITE_OK;
}
static int bad_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
  (void)out;
  vt->zErrMsg = sqlite3_mprintf("cannot open a cursor");
  return SQLITE_ERROR;
}
static sqlite3_module bad_module = {
    .xConnect = upto_connect, .xBestIndex = bad_best_index, .xDisconnect = upto_disconnect,
    .xDestroy = upto_disconnect, .xOpen = upto_open, .xClose = upto_close, .xFilter = upto_filter,
    .xNext = upto_next, .xEof = upto_eof, .xColumn = upto_column, .xRowid = upto_rowid};
static sqlite3_module noopen_module = {
    .xConnect = upto_connect, .xBestIndex = upto_best_index, .xDisconnect = upto_disconnect,
    .xDestroy = upto_disconnect, .xOpen = bad_open, .xClose = upto_close, .xFilter = upto_filter,
    .xNext = upto_next, .xEof = upto_eof, .xColumn = upto_column, .xRowid = upto_rowid};

/* ---- running SQL ----------------------------------------------------------- */

static int cb(void *arg, int n, char **vals, char **names) {
  (void)arg, (void)names;
  printf("  |");
  for (int i = 0; i < n; i++) printf(" %s", vals[i] ? vals[i] : "NULL");
  printf("\n");
  return 0;
}

static void run(sqlite3 *db, const char *sql) {
  char *err = NULL;
  printf("%s\n", sql);
  int rc = sqlite3_exec(db, sql, cb, NULL, &err);
  if (rc != SQLITE_OK) printf("  error %d: %s\n", rc, err ? err : "(none)");
  sqlite3_free(err);
}

static int destroyed = 0;
static void on_destroy(void *p) {
  (void)p;
  destroyed++;
}

int main(void) {
  sqlite3 *db;
  char path[96];
  snprintf(path, sizeof path, "/tmp/lode-capi-vtab-%d.db", (int)getpid());
  remove(path);
  sqlite3_open(path, &db);
  printf("create_module: %d\n", sqlite3_create_module_v2(db, "arr", &arr_module, NULL, on_destroy));
  printf("create_module upto: %d\n", sqlite3_create_module(db, "upto", &upto_module, NULL));
  printf("declare outside a constructor: %d\n", sqlite3_declare_vtab(db, "CREATE TABLE x(a)"));

  run(db, "CREATE VIRTUAL TABLE nosuch_t USING nosuch(a)");
  run(db, "CREATE VIRTUAL TABLE t USING arr(a, b TEXT, c INTEGER HIDDEN)");
  run(db, "CREATE VIRTUAL TABLE IF NOT EXISTS t USING arr(x)");
  run(db, "CREATE VIRTUAL TABLE t USING arr(x)");
  run(db, "CREATE VIRTUAL TABLE bad USING arr(fail)");
  run(db, "CREATE VIRTUAL TABLE bad USING arr()");
  run(db, "CREATE VIRTUAL TABLE bad2 USING upto");
  run(db, "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema");
  run(db, "INSERT INTO t VALUES ('x', 'one')");
  printf("last_insert_rowid %lld changes %d\n", (long long)sqlite3_last_insert_rowid(db), sqlite3_changes(db));
  run(db, "INSERT INTO t(a, b, c) VALUES ('y', 'two', 7), ('z', 'three', 8)");
  run(db, "INSERT INTO t(rowid, a, b) VALUES (10, 'w', 'ten')");
  printf("last_insert_rowid %lld changes %d\n", (long long)sqlite3_last_insert_rowid(db), sqlite3_changes(db));
  run(db, "INSERT INTO t VALUES (1)");
  run(db, "SELECT rowid, * FROM t");
  run(db, "SELECT a, c FROM t WHERE rowid = 2");
  run(db, "SELECT b FROM t WHERE a = 'z' AND b > 'a'");
  run(db, "SELECT rowid, b FROM t WHERE a <> 'x' AND b LIKE '%e' AND c IS NULL ORDER BY rowid");
  run(db, "SELECT rowid, b FROM t WHERE b GLOB '*e' AND a IS 'z' ORDER BY a");
  run(db, "SELECT rowid FROM t ORDER BY rowid DESC");
  run(db, "SELECT count(*) FROM t WHERE a IS NOT NULL");
  run(db, "SELECT a, count(*) FROM t GROUP BY a");
  run(db, "SELECT DISTINCT a FROM t ORDER BY a");
  run(db, "SELECT a FROM t ORDER BY a DESC, b");
  run(db, "SELECT rowid FROM t LIMIT 2");
  run(db, "SELECT rowid FROM t WHERE a > 'a' LIMIT 2 OFFSET 1");
  run(db, "SELECT rowid FROM t WHERE a > 'a' AND b <> 'x' ORDER BY rowid LIMIT 1");
  run(db, "SELECT rowid FROM t WHERE a > 'a' ORDER BY b LIMIT 1 OFFSET 1");
  run(db, "SELECT rowid FROM t WHERE abs(rowid) > 1 LIMIT 1");
  run(db, "SELECT tag(1)");
  printf("overload_function: %d\n", sqlite3_overload_function(db, "tag", 1));
  run(db, "SELECT tag(a), tag(rowid), upper(a) FROM t WHERE rowid = 1");
  run(db, "SELECT tag('x')");
  run(db, "SELECT rowid FROM t WHERE b MATCH 'TWO'");
  run(db, "SELECT rowid FROM t WHERE b MATCH 'two' AND rowid > 0");
  run(db, "SELECT 'a' MATCH 'b'");
  run(db, "CREATE INDEX ti ON t(a)");
  run(db, "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END");
  run(db, "PRAGMA table_info(t)");
  run(db, "PRAGMA table_xinfo(t)");
  run(db, "UPDATE t SET b = upper(b) WHERE a = 'y'");
  printf("changes %d\n", sqlite3_changes(db));
  run(db, "UPDATE t SET rowid = rowid + 100 WHERE rowid = 10");
  run(db, "INSERT INTO t(rowid, a) VALUES (1, 'clash')");
  run(db, "INSERT OR REPLACE INTO t(rowid, a, b) VALUES (1, 'replaced', 'r')");
  run(db, "INSERT OR IGNORE INTO t(a) VALUES ('bad')");
  run(db, "INSERT INTO t(a) VALUES ('bad')");
  run(db, "DELETE FROM t WHERE b = 'three'");
  printf("changes %d\n", sqlite3_changes(db));
  run(db, "SELECT rowid, a, b FROM t");
  run(db, "BEGIN");
  run(db, "INSERT INTO t(a) VALUES ('in txn')");
  run(db, "DELETE FROM t WHERE a = 'in txn'");
  run(db, "COMMIT");
  run(db, "BEGIN");
  run(db, "UPDATE t SET b = 'rolled' WHERE rowid = 1");
  run(db, "ROLLBACK");
  run(db, "INSERT INTO t(a) VALUES ('boom')");
  run(db, "SELECT a FROM t");
  run(db, "DELETE FROM t WHERE a = 'boom'");
  run(db, "DELETE FROM t WHERE rowid = 111");

  /* eponymous */
  run(db, "SELECT value FROM upto(3, 6)");
  run(db, "SELECT value, start, stop FROM upto WHERE start = 10");
  run(db, "SELECT * FROM upto(1)");
  run(db, "SELECT value FROM upto(1, 10) LIMIT 3 OFFSET 2");
  run(db, "SELECT value FROM upto(1, 10) WHERE value > 4 LIMIT 2 OFFSET 1");
  run(db, "SELECT * FROM upto");
  run(db, "SELECT a.value, b.value FROM upto(1, 2) AS a, upto(a.value, 3) AS b");
  run(db, "SELECT count(*) FROM upto(1, 3) AS a JOIN upto AS b ON b.start = a.value");
  run(db, "INSERT INTO upto VALUES (1)");
  sqlite3_create_module(db, "bad", &bad_module, NULL);
  sqlite3_create_module(db, "noopen", &noopen_module, NULL);
  run(db, "SELECT * FROM bad WHERE start = 1");
  run(db, "SELECT * FROM bad WHERE start = 2");
  run(db, "SELECT * FROM bad WHERE start = 3");
  run(db, "SELECT * FROM bad WHERE start = 4");
  run(db, "SELECT * FROM noopen(1)");
  quiet = 1;
  run(db, "SELECT t.a, u.value FROM t, upto(t.rowid, t.rowid + 1) AS u ORDER BY 1, 2");
  quiet = 0;

  /* tables in TEMP and attached schemas: the module is told the schema's
  ** name; a name may be in several schemas */
  run(db, "CREATE VIRTUAL TABLE temp.t USING arr(a, b)");
  run(db, "ATTACH ':memory:' AS aux");
  run(db, "CREATE VIRTUAL TABLE aux.t USING arr(x)");
  run(db, "CREATE VIRTUAL TABLE nosuchdb.t USING arr(x)");
  run(db, "SELECT type, name, sql FROM temp.sqlite_schema");
  run(db, "SELECT type, name, sql FROM aux.sqlite_schema");
  quiet = 1;
  run(db, "INSERT INTO temp.t VALUES ('temp', 1)");
  run(db, "INSERT INTO aux.t VALUES ('aux')");
  run(db, "SELECT a, b FROM temp.t");
  run(db, "SELECT * FROM aux.t");
  run(db, "SELECT count(*) FROM main.t");
  run(db, "SELECT a FROM t");
  run(db, "UPDATE temp.t SET b = x.x FROM aux.t AS x");
  run(db, "SELECT a, b FROM temp.t");
  quiet = 0;
  run(db, "DROP TABLE temp.t");
  run(db, "DROP TABLE aux.t");
  run(db, "SELECT name FROM temp.sqlite_schema UNION ALL SELECT name FROM aux.sqlite_schema");
  run(db, "DETACH aux");

  /* a failing best index, a prepared statement outliving its module */
  run(db, "DROP TABLE nosuch_t");
  run(db, "DROP TABLE t");
  printf("destroyed %d\n", destroyed);
  run(db, "SELECT name FROM sqlite_schema");
  run(db, "CREATE VIRTUAL TABLE keep USING arr(k, v)");
  run(db, "INSERT INTO keep VALUES ('k1', 'v1'), ('k2', 'v2')");
  sqlite3_close(db);
  printf("after close: destroyed %d\n", destroyed);

  /* the table is connected again in a new connection */
  sqlite3_open(path, &db);
  run(db, "SELECT * FROM keep");
  run(db, "DROP TABLE keep");
  run(db, "INSERT INTO keep VALUES (1, 2)");
  run(db, "PRAGMA table_info(keep)");
  sqlite3_create_module_v2(db, "arr", &arr_module, NULL, on_destroy);
  run(db, "SELECT * FROM keep WHERE k = 'k2'");
  run(db, "ALTER TABLE keep ADD COLUMN z");
  run(db, "ALTER TABLE keep RENAME TO kept");
  run(db, "SELECT * FROM kept");
  run(db, "CREATE TABLE log(x)");
  run(db, "CREATE TRIGGER tg AFTER INSERT ON log BEGIN INSERT INTO kept(k, v) VALUES (new.x, 'trig'); "
          "UPDATE kept SET v = v || '!' WHERE k = 'k1'; DELETE FROM kept WHERE k = 'k2'; END");
  run(db, "INSERT INTO log VALUES ('via trigger')");
  run(db, "SELECT * FROM kept");
  quiet = 1; /* SQLite plans these differently (the view flattened, the join ordered by cost) */
  run(db, "CREATE VIEW kv AS SELECT k, upper(v) AS v FROM kept");
  run(db, "SELECT * FROM kv ORDER BY k");
  run(db, "WITH c AS (SELECT k FROM kept) SELECT count(*) FROM c, kept AS x WHERE x.k = c.k");
  run(db, "DROP VIEW kv");
  quiet = 0;
  /* savepoints */
  sqlite3_create_module(db, "arr2", &arr2_module, NULL);
  run(db, "CREATE VIRTUAL TABLE sp USING arr2(x)");
  run(db, "BEGIN");
  run(db, "INSERT INTO sp VALUES (1)");
  run(db, "SAVEPOINT a");
  run(db, "INSERT INTO sp VALUES (2)");
  run(db, "SAVEPOINT b");
  run(db, "INSERT INTO sp VALUES ('bad')");
  run(db, "ROLLBACK TO b");
  run(db, "RELEASE a");
  run(db, "COMMIT");
  run(db, "SAVEPOINT outer_sp");
  run(db, "DELETE FROM sp");
  run(db, "RELEASE outer_sp");
  run(db, "BEGIN");
  run(db, "SAVEPOINT a");
  run(db, "INSERT INTO sp VALUES (3), (4)");
  run(db, "INSERT INTO sp VALUES (5), ('bad')");
  run(db, "UPDATE sp SET x = x + 1");
  run(db, "ROLLBACK TO a");
  run(db, "ROLLBACK");
  run(db, "DROP TABLE sp");
  printf("drop_modules: %d\n", sqlite3_drop_modules(db, NULL));
  run(db, "SELECT * FROM upto(1, 2)");
  sqlite3_close(db);
  printf("after close: destroyed %d\n", destroyed);
  remove(path);
  return 0;
}
