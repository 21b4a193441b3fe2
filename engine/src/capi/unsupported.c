/*
** unsupported.c — sqlite3.h calls for features Lode does not have
** (loadable extensions, R-Tree, file controls), which fail
** cleanly with a message;
** and the WAL calls, which map onto the pager's WAL.
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

/* ---- WAL ----------------------------------------------------------------------------------------------- */

static const char *const checkpoint_modes[] = {"PASSIVE", "FULL", "RESTART", "TRUNCATE"};

int sqlite3_wal_checkpoint_v2(sqlite3 *db, const char *zdb, int mode, int *log, int *ckpt) {
  sqlite3_stmt *s = NULL;
  int rc;
  if (log) *log = -1;
  if (ckpt) *ckpt = -1;
  if (!db_ok(db)) return SQLITE_MISUSE;
  if (mode < SQLITE_CHECKPOINT_PASSIVE || mode > SQLITE_CHECKPOINT_TRUNCATE) {
    if (mode == SQLITE_CHECKPOINT_NOOP) return SQLITE_OK;
    return conn_error(db, SQLITE_MISUSE, NULL);
  }
  int di = zdb && zdb[0] ? conn_db_find(db, zdb) : CONN_DB_MAIN;
  if (di < 0) return conn_error(db, SQLITE_ERROR, "unknown database: %s", zdb);
  StrBuf b;
  strbuf_init(&b);
  strbuf_appendz(&b, "PRAGMA \"");
  for (const char *c = db->dbs[di].name; *c; c++) {
    if (*c == '"') strbuf_appendc(&b, '"');
    strbuf_appendc(&b, *c);
  }
  strbuf_printf(&b, "\".wal_checkpoint(%s)", checkpoint_modes[mode]);
  char *text = strbuf_finish(&b);
  if (!text) return conn_error(db, SQLITE_NOMEM, NULL);
  rc = sqlite3_prepare_v2(db, text, -1, &s, NULL);
  util_free(text);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    int busy = sqlite3_column_int(s, 0);
    if (log) *log = sqlite3_column_int(s, 1);
    if (ckpt) *ckpt = sqlite3_column_int(s, 2);
    rc = busy ? SQLITE_BUSY : SQLITE_OK;
  }
  sqlite3_finalize(s);
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  if (rc == SQLITE_BUSY) conn_error(db, SQLITE_BUSY, NULL);
  return rc;
}

int sqlite3_wal_checkpoint(sqlite3 *db, const char *zdb) {
  return sqlite3_wal_checkpoint_v2(db, zdb, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

/* The same threshold as PRAGMA wal_autocheckpoint (<= 0: never). */
int sqlite3_wal_autocheckpoint(sqlite3 *db, int n) {
  if (!db_ok(db)) return SQLITE_MISUSE;
  return conn_pragma_set(db, CONN_DB_MAIN, CONN_PRAGMA_TABLE + CONN_SET_WAL_AUTOCHECKPOINT, n);
}

void *sqlite3_wal_hook(sqlite3 *db, int (*cb)(void *, sqlite3 *, const char *, int), void *arg) {
  (void)db, (void)cb, (void)arg;
  return NULL;
}
