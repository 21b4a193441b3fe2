/*
** open.c — connections: lode_open/lode_close and the per-connection state
** readers (errors, change counters, autocommit).
**
** A connection owns its main database's Pager (the file or a private
** in-memory database), the Btree over it and its Schema, mirrored as
** dbs[0]; temp and attached databases are conn_db.c's.  Statements must be
** finalized before lode_close succeeds (LODE_BUSY otherwise), as in
** sqlite3_close.
*/
#include <pthread.h>
#include <string.h>

#include "capi/api.h"
#include "ext/fts3/fts3.h"
#include "ext/fts5/fts5.h"
#include "ext/rtree/rtree.h"
#include "ext/fts/fts.h"
#include "ext/vector/vector.h"
#include "util/util.h"

const char *lode_libversion(void) { return LODE_VERSION; }

/* The functions of the extension families built into the library, and
** load_extension() (which finds the calling connection), that every
** connection starts with (func_registry_new_on): made once per
** process instead of at every open.  Immutable once made. */
static FuncRegistry *ext_functions;
static pthread_once_t ext_functions_once = PTHREAD_ONCE_INIT;

static int add_ext_function(void *r, const char *name, int nargs,
                            void (*xFunc)(sqlite3_context *, int, sqlite3_value **)) {
  return api_base_function(r, name, nargs, xFunc);
}

static int register_ext_functions(FuncRegistry *r) {
  int rc = vector_register(r);
  if (rc == LODE_OK) rc = fts_register(r);
  if (rc == LODE_OK) rc = rtree_each_function(add_ext_function, r);
  if (rc == LODE_OK) rc = fts3_each_function(add_ext_function, r);
  /* after FTS3's: FTS5's snippet() shadows FTS3's placeholder, as when each connection registered it */
  if (rc == LODE_OK) rc = fts5_each_function(add_ext_function, r);
  if (rc == LODE_OK) rc = api_loadext_functions(r);
  return rc;
}

static void make_ext_functions(void) {
  FuncRegistry *r = func_registry_new();
  int rc = r ? register_ext_functions(r) : LODE_NOMEM;
  if (rc != LODE_OK) {
    /* Out of memory: every open then registers them in its own registry. */
    func_registry_free(r);
    return;
  }
  ext_functions = r;
}

static int is_memory_path(const char *path) { return path == NULL || path[0] == 0 || strcmp(path, ":memory:") == 0; }

/* A file that is no database opens as in SQLite, which reads the header
** only when a statement first needs it: the connection is made and every
** statement fails with "file is not a database".  An empty in-memory
** database stands in for the file meanwhile, so the file is never written. */
static int open_not_a_database(lode *db, int flags) {
  conn_db_close_main(db);
  ConnApi *a = conn_api(db);
  if (!a) return LODE_NOMEM;
  const char *why = NULL;
  int rc = conn_db_open_main(db, NULL, flags & ~LODE_OPEN_CREATE, NULL, NULL, &why);
  if (rc == LODE_OK) a->not_a_database = a->notadb_file = 1;
  return rc;
}

int lode_open_v2(const char *name, lode **out, int flags, const char *vfs) {
  (void)vfs;
  lode *db;
  int rc;
  UriOpen uri;
  char *err = NULL;
  const char *path;
  if (!out) return LODE_MISUSE;
  *out = NULL;
  api_initialize();
  db = conn_alloc();
  if (!db) return LODE_NOMEM;
  db->autocommit = 1;
  db->up = &api_upcalls;
  atomic_init(&db->interrupted, 0);
  rc = uri_parse(name, flags, &uri, &err);
  if (rc != LODE_OK) {
    /* Like sqlite3_open_v2, hand back a handle that can report the error. */
    if (err) conn_error_take(db, rc, err);
    else conn_error(db, rc, "%s", lode_errstr(rc));
    *out = db;
    return rc;
  }
  db->open_uri = (flags & LODE_OPEN_URI) != 0;
  db->open_flags = flags & (LODE_OPEN_READONLY | LODE_OPEN_READWRITE | LODE_OPEN_CREATE);
  flags = uri.flags;
  path = uri.memory ? ":memory:" : uri.path;
  if (flags & LODE_OPEN_READONLY) db->readonly = 1;
  db->path = uri_filename_object(is_memory_path(path) ? ":memory:" : path, &uri);
  db->schema = schema_new();
  for (int i = 0; i < CONN_SETTING_COUNT; i++) db->settings[i] = conn_setting_info[i].dflt;
  pthread_once(&ext_functions_once, make_ext_functions);
  db->funcs = ext_functions ? func_registry_new_on(ext_functions) : func_registry_new();
  if (!db->path || !db->schema || !db->funcs) {
    rc = LODE_NOMEM;
    goto fail;
  }
  /* The extension families built into the library: shared by every
  ** connection, as if each had registered them first (application-defined
  ** functions of the same name shadow them); when they could not be made
  ** once (out of memory), this connection registers its own. */
  rc = ext_functions ? LODE_OK : register_ext_functions(db->funcs);
  if (rc == LODE_OK) rc = conn_cdc_register(db);
  if (rc != LODE_OK) goto fail;
  const char *why = NULL;
  rc = conn_db_open_main(db, is_memory_path(path) ? NULL : path, flags, uri.cipher, uri.hexkey, &why);
  if (rc == LODE_NOTADB && !is_memory_path(path)) rc = open_not_a_database(db, flags);
  if (rc == LODE_ERROR && why) {
    uri_free(&uri);
    conn_error(db, rc, "%s", why);
    *out = db;
    return rc;
  }
  if (rc != LODE_OK) goto fail;
  if ((rc = fts5_register(db)) != LODE_OK) goto fail;
  uri_free(&uri);
  *out = db;
  /* Every connection has load_extension() and runs the automatic
  ** extensions (a failing one leaves the error on the handle). */
  return api_loadext_open(db);
fail:
  uri_free(&uri);
  /* Like sqlite3_open, hand back a handle that can report the error. */
  conn_db_close_main(db);
  conn_db_close_all(db);
  util_free(db->dbs[0].name);
  util_free(db->dbs[0].path);
  memset(&db->dbs[0], 0, sizeof db->dbs[0]);
  db->ndb = 0;
  conn_error(db, rc, "%s", rc == LODE_NOMEM ? "out of memory" : lode_errstr(rc));
  *out = db;
  return rc;
}

int lode_open(const char *path, lode **out) {
  return lode_open_v2(path, out, LODE_OPEN_READWRITE | LODE_OPEN_CREATE, NULL);
}

int lode_limit(lode *db, int id, int value) {
  if (!db || db->magic != CONN_MAGIC_OPEN || id < 0 || id >= LODE_NLIMITS) return -1;
  /* The worker threads are PRAGMA threads' setting: one value for both. */
  int clamped = value > conn_limit_max(id) ? conn_limit_max(id) : value;
  if (id == LODE_LIMIT_WORKER_THREADS) {
    int old = (int)db->settings[CONN_SET_THREADS];
    if (value >= 0) db->settings[CONN_SET_THREADS] = clamped;
    return old;
  }
  int old = db->limits[id];
  if (value >= 0) db->limits[id] = clamped;
  return old;
}

int lode_busy_timeout(lode *db, int ms) {
  if (!db) return LODE_MISUSE;
  return conn_pragma_set(db, CONN_DB_MAIN, CONN_PRAGMA_BUSY_TIMEOUT, ms);
}

int lode_double_quoted_strings(lode *db, int on) {
  if (!db) return LODE_MISUSE;
  int old = !db->no_dqs_dml;
  if (on >= 0) db->no_dqs_dml = db->no_dqs_ddl = !on;
  return old;
}

int lode_defensive(lode *db, int on) {
  if (!db) return LODE_MISUSE;
  int old = db->defensive != 0;
  if (on >= 0) db->defensive = on != 0;
  return old;
}

int lode_key(lode *db, const char *cipher, const char *hexkey) {
  if (!db || db->magic != CONN_MAGIC_OPEN || !cipher || !hexkey) return LODE_MISUSE;
  /* Keying the stand-in of a file that is no database would key nothing. */
  if (db->api && db->api->notadb_file) return conn_error(db, LODE_NOTADB, NULL);
  const char *why = NULL;
  int rc = conn_set_encryption(db, cipher, hexkey, &why);
  if (rc != LODE_OK) return conn_error(db, rc, "%s", why ? why : lode_errstr(rc));
  return LODE_OK;
}

int lode_rekey(lode *db, const char *hexkey) {
  if (!db || db->magic != CONN_MAGIC_OPEN || !hexkey) return LODE_MISUSE;
  if (db->txn != CONN_TXN_NONE || db->nactive > 0)
    return conn_error(db, LODE_ERROR, "cannot rekey within a transaction or while statements run");
  const char *why = NULL;
  int rc = conn_rekey(db, hexkey, &why);
  if (rc != LODE_OK) return conn_error(db, rc, "%s", why ? why : lode_errstr(rc));
  return LODE_OK;
}

const char *lode_db_filename(lode *db, const char *name) {
  /* An in-memory database's name: "", no parameters, no journal or WAL names
  ** (so that sqlite3_uri_parameter and sqlite3_filename_wal read it safely). */
  static const char no_file[4] = {0, 0, 0, 0};
  int i = name ? conn_db_find(db, name) : 0;
  if (!db || i < 0) return NULL;
  if (i == 0) return is_memory_path(db->path) ? no_file : db->path;
  return db->dbs[i].path && db->dbs[i].path[0] ? db->dbs[i].path : no_file;
}

int lode_db_readonly(lode *db, const char *name) {
  int i = name ? conn_db_find(db, name) : 0;
  if (!db || i < 0) return -1;
  return i == 0 ? db->readonly : db->dbs[i].readonly;
}

void lode_interrupt(lode *db) {
  if (db) atomic_store(&db->interrupted, 1);
}

int lode_is_interrupted(lode *db) { return db ? atomic_load(&db->interrupted) : 0; }

int lode_close(lode *db) {
  int rc = LODE_OK;
  if (!db) return LODE_OK;
  if (db->magic != CONN_MAGIC_OPEN) return LODE_MISUSE;
  /* Virtual tables not in use disconnect first, as in SQLite: a module's
  ** own prepared statements (an R-Tree's) do not keep the connection open. */
  if (db->stmts && db->api) conn_vtab_schema_reset(db);
  if (db->stmts || db->nblobs)
    return conn_error(db, LODE_BUSY, "unable to close due to unfinalized statements or unfinished backups");
  api_blob_spare_free(db);
  capi_exec_free(db);
  if (db->txn == CONN_TXN_WRITE && db->api) conn_hook_rollback(db);
  api_vtab_close(db); /* xRollback of tables in the transaction, then xDisconnect */
  conn_db_close_all(db);
  rc = conn_db_close_main(db);
  schema_free(db->schema);
  func_registry_free(db->funcs);
  conn_index_methods_free(db);
  conn_savepoints_pop(db, 0);
  util_free(db->savepoints);
  util_free(db->savepoint_fk);
  util_free(db->errmsg);
  util_free(db->path);
  util_free(db->dbs[0].name);
  util_free(db->dbs[0].path);
  memset(&db->dbs[0], 0, sizeof db->dbs[0]);
  db->ndb = 0;
  util_free(db->cdc_table);
  conn_api_free(db);
  conn_release(db);
  return rc;
}

int lode_errcode(lode *db) { return db ? db->errcode & 0xff : LODE_NOMEM; }
int lode_extended_errcode(lode *db) { return db ? db->errcode : LODE_NOMEM; }

const char *lode_errmsg(lode *db) {
  if (!db) return lode_errstr(LODE_NOMEM);
  if (db->errmsg) return db->errmsg;
  return lode_errstr(db->errcode);
}

int lode_error_offset(lode *db) { return db && db->magic == CONN_MAGIC_OPEN ? db->err_offset : -1; }

lode_int64 lode_changes(lode *db) { return db ? db->changes : 0; }
lode_int64 lode_total_changes(lode *db) { return db ? db->total_changes : 0; }
lode_int64 lode_last_insert_rowid(lode *db) { return db ? db->last_rowid : 0; }
int lode_get_autocommit(lode *db) { return db ? db->autocommit : 1; }

void lode_free(void *p) { util_free(p); }
void *lode_malloc(lode_int64 n) { return n < 0 || (uint64_t)n > SIZE_MAX ? NULL : util_malloc((size_t)n); }

