/*
** wal.c — the WAL calls of the sqlite3 API over the pager's WAL: checkpoints,
** the automatic checkpoint threshold, the WAL hook, libSQL's frame count.
**
** SQLite's automatic checkpoint is a WAL hook (the default one) that
** sqlite3_wal_autocheckpoint installs; an application's sqlite3_wal_hook
** replaces it.  Lode's pagers checkpoint by themselves after a commit that
** leaves the WAL at the threshold, so installing a hook sets their threshold
** to 0 (PRAGMA wal_autocheckpoint then reads 0, as in SQLite), and setting a
** threshold again (the call or the pragma) drops the hook.
**
** The hook runs when a statement finishes (SQLITE_DONE) outside an explicit
** transaction, once per database whose WAL grew during the step, with the
** frames the WAL holds; when it returns a code other than SQLITE_OK the step
** fails with SQLITE_ERROR and the reset or finalize reports that code (as
** SQLite does).
*/
#include <string.h>

#include "capi/api.h"
#include "util/util.h"

static int db_ok(sqlite3 *db) { return db && db->magic == CONN_MAGIC_OPEN; }

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

static void set_threshold(sqlite3 *db, int n) {
  conn_pragma_set(db, CONN_DB_MAIN, CONN_PRAGMA_TABLE + CONN_SET_WAL_AUTOCHECKPOINT, n);
}

/* The same threshold as PRAGMA wal_autocheckpoint (<= 0: never). */
int sqlite3_wal_autocheckpoint(sqlite3 *db, int n) {
  if (!db_ok(db)) return SQLITE_MISUSE;
  if (db->api) {
    db->api->wal_hook = NULL;
    db->api->wal_arg = NULL;
  }
  set_threshold(db, n > 0 ? n : 0);
  return SQLITE_OK;
}

void *sqlite3_wal_hook(sqlite3 *db, int (*cb)(void *, sqlite3 *, const char *, int), void *arg) {
  if (!db_ok(db)) return NULL;
  ConnApi *a = conn_api(db);
  if (!a) return NULL;
  void *old = a->wal_hook ? a->wal_arg : (void *)(intptr_t)db->settings[CONN_SET_WAL_AUTOCHECKPOINT];
  a->wal_hook = cb;
  a->wal_arg = arg;
  set_threshold(db, 0);
  return old;
}

static int wal_hook_active(lode *db) {
  ConnApi *a = db->api;
  if (!a->wal_hook) return 0;
  if (db->settings[CONN_SET_WAL_AUTOCHECKPOINT] > 0) { /* PRAGMA wal_autocheckpoint installed the default */
    a->wal_hook = NULL;
    a->wal_arg = NULL;
    return 0;
  }
  return 1;
}

void api_wal_before_step(lode *db) {
  if (!wal_hook_active(db)) return;
  for (int i = 0; i < db->ndb && i < CONN_MAX_DB; i++)
    db->api->wal_frames[i] = db->dbs[i].pager ? conn_db_wal_frames(db, i) : 0;
}

int api_wal_after_step(lode *db, int rc) {
  if (rc != LODE_DONE || !db->autocommit || !wal_hook_active(db)) return rc;
  ConnApi *a = db->api;
  for (int i = 0; i < db->ndb && i < CONN_MAX_DB; i++) {
    if (!db->dbs[i].pager) continue;
    uint32_t n = conn_db_wal_frames(db, i);
    if (n == 0 || n == a->wal_frames[i]) continue;
    a->wal_frames[i] = n;
    int hrc = a->wal_hook(a->wal_arg, db, db->dbs[i].name, n > INT32_MAX ? INT32_MAX : (int)n);
    if (hrc != SQLITE_OK) return hrc;
    if (!db->api || !db->api->wal_hook) break; /* the hook dropped itself */
  }
  return rc;
}
