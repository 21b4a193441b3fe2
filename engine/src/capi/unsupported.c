/*
** unsupported.c — sqlite3.h calls for features Lode does not have
** (R-Tree query callbacks, file controls, an application's VFS, …),
** which fail cleanly with a message or answer as SQLite does without them.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi/api.h"
#include "util/util.h"

static int db_ok(sqlite3 *db) { return db && db->magic == CONN_MAGIC_OPEN; }

static int not_supported(sqlite3 *db, const char *what) {
  if (!db_ok(db)) return SQLITE_MISUSE;
  return conn_error(db, SQLITE_ERROR, "%s is not supported by Lode", what);
}

/* Deprecated in SQLite; Lode's connections to one file share its pages anyway. */
int sqlite3_enable_shared_cache(int onoff) {
  (void)onoff;
  return SQLITE_OK;
}

int sqlite3_rtree_query_callback(sqlite3 *db, const char *name, int (*query)(sqlite3_rtree_query_info *), void *ctx,
                                 void (*destructor)(void *)) {
  (void)name, (void)query;
  if (destructor) destructor(ctx);
  return not_supported(db, "the R-Tree module");
}

int sqlite3_test_control(int op, ...) { (void)op; return 0; }
int sqlite3_global_recover(void) { return SQLITE_OK; }
void sqlite3_thread_cleanup(void) {}

/* Without a shared cache no connection is ever blocked by another one's
** lock in SQLite's sense: the callback runs at once, as SQLite does then. */
int sqlite3_unlock_notify(sqlite3 *db, void (*notify)(void **, int), void *arg) {
  if (!db_ok(db)) return SQLITE_MISUSE;
  if (notify) notify(&arg, 1);
  return SQLITE_OK;
}

/* Dirty pages stay in the cache until their transaction commits. */
int sqlite3_db_cacheflush(sqlite3 *db) { return db_ok(db) ? SQLITE_OK : SQLITE_MISUSE; }

int sqlite3_set_errmsg(sqlite3 *db, int code, const char *msg) {
  if (!db_ok(db)) return SQLITE_MISUSE;
  if (msg) conn_error(db, code, "%s", msg);
  else conn_error(db, code, NULL);
  return SQLITE_OK;
}

/* Lode waits for locks by retrying within busy_timeout only. */
int sqlite3_setlk_timeout(sqlite3 *db, int ms, int flags) {
  (void)flags;
  if (!db_ok(db)) return SQLITE_MISUSE;
  return ms < -1 ? SQLITE_RANGE : SQLITE_OK;
}

int sqlite3_autovacuum_pages(sqlite3 *db, unsigned int (*cb)(void *, const char *, unsigned int, unsigned int,
                                                             unsigned int),
                             void *arg, void (*destroy)(void *)) {
  (void)cb;
  if (destroy) destroy(arg);
  return not_supported(db, "sqlite3_autovacuum_pages");
}

/* No application VFS reaches Lode's files: there is no sqlite3_file to give. */
sqlite3_file *sqlite3_database_file_object(const char *z) { (void)z; return NULL; }

/* SQLite's carray extension is not built into Lode. */
int sqlite3_carray_bind_v2(sqlite3_stmt *s, int i, void *data, int n, int flags, void (*del)(void *), void *del_arg) {
  (void)i, (void)data, (void)n, (void)flags;
  if (del && del != SQLITE_STATIC && del != SQLITE_TRANSIENT) del(del_arg);
  if (!s || !s->vdbe) return SQLITE_MISUSE;
  return not_supported(s->db, "sqlite3_carray_bind");
}
int sqlite3_carray_bind(sqlite3_stmt *s, int i, void *data, int n, int flags, void (*del)(void *)) {
  return sqlite3_carray_bind_v2(s, i, data, n, flags, del, data);
}
