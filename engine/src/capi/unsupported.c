/*
** unsupported.c — sqlite3.h calls for features Lode does not have
** (loadable extensions, R-Tree, file controls), which fail
** cleanly with a message.
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

int sqlite3_load_extension(sqlite3 *db, const char *file, const char *proc, char **errmsg) {
  (void)file, (void)proc;
  int rc = not_supported(db, "loading extensions");
  if (errmsg) *errmsg = util_strdup("loading extensions is not supported by Lode");
  return rc;
}
int sqlite3_enable_load_extension(sqlite3 *db, int onoff) {
  if (!db_ok(db)) return SQLITE_MISUSE;
  return onoff ? not_supported(db, "loading extensions") : SQLITE_OK;
}
int sqlite3_auto_extension(void (*entry)(void)) { return entry ? SQLITE_ERROR : SQLITE_MISUSE; }
int sqlite3_cancel_auto_extension(void (*entry)(void)) { (void)entry; return 0; }
void sqlite3_reset_auto_extension(void) {}
/* Deprecated in SQLite; Lode's connections to one file share its pages anyway. */
int sqlite3_enable_shared_cache(int onoff) {
  (void)onoff;
  return SQLITE_OK;
}

int sqlite3_rtree_geometry_callback(sqlite3 *db, const char *name,
                                    int (*geom)(sqlite3_rtree_geometry *, int, sqlite3_rtree_dbl *, int *),
                                    void *ctx) {
  (void)name, (void)geom, (void)ctx;
  return not_supported(db, "the R-Tree module");
}

int sqlite3_rtree_query_callback(sqlite3 *db, const char *name, int (*query)(sqlite3_rtree_query_info *), void *ctx,
                                 void (*destructor)(void *)) {
  (void)name, (void)query;
  if (destructor) destructor(ctx);
  return not_supported(db, "the R-Tree module");
}

int sqlite3_file_control(sqlite3 *db, const char *name, int op, void *arg) {
  (void)name, (void)op, (void)arg;
  return db_ok(db) ? SQLITE_NOTFOUND : SQLITE_MISUSE;
}

int sqlite3_test_control(int op, ...) { (void)op; return 0; }
int sqlite3_global_recover(void) { return SQLITE_OK; }
void sqlite3_thread_cleanup(void) {}

/* URI parameters: Lode's connection keeps only the decoded path, so no
** parameter is known. */
const char *sqlite3_uri_parameter(sqlite3_filename z, const char *param) { (void)z, (void)param; return NULL; }
int sqlite3_uri_boolean(sqlite3_filename z, const char *param, int dflt) { (void)z, (void)param; return dflt != 0; }
sqlite3_int64 sqlite3_uri_int64(sqlite3_filename z, const char *param, sqlite3_int64 dflt) {
  (void)z, (void)param;
  return dflt;
}
const char *sqlite3_uri_key(sqlite3_filename z, int n) { (void)z, (void)n; return NULL; }
