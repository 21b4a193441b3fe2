/*
** wal_frames.c — the frame API of replication (libSQL's WAL manipulation):
** lode_wal_frame_count / _get_frame / _insert_begin / _insert_frame /
** _insert_end / _disable_checkpoint on database "main", lode_wal_hook (the
** WAL hook of wal.c under Lode's name, which tells a shipper of each commit),
** and the libsql_
** names libSQL gives them.  The numbering of frames, what applying checks
** and why checkpoints matter: pager/pager_frames.c.
*/
#include "capi/api.h"

static int frames_db_ok(lode *db) { return db && db->magic == CONN_MAGIC_OPEN; }

/* A pager refusal as the connection's error, with the pager's message. */
static int frames_error(lode *db, int rc, const char *why) {
  if (rc == LODE_OK) return rc;
  if (why[0]) return conn_error(db, rc, "%s", why);
  return conn_error(db, rc, NULL);
}

int lode_wal_frame_count(lode *db, unsigned int *frames) {
  if (!frames_db_ok(db) || !frames) return LODE_MISUSE;
  uint32_t n = 0;
  int rc = conn_wal_frame_count(db, &n);
  *frames = n;
  return rc == LODE_OK ? rc : conn_error(db, rc, NULL);
}

int lode_wal_get_frame(lode *db, unsigned int frame, void *buf, unsigned int size) {
  if (!frames_db_ok(db) || !buf) return LODE_MISUSE;
  char why[160] = "";
  int rc = conn_wal_get_frame(db, frame, buf, size, why, sizeof why);
  return frames_error(db, rc, why);
}

int lode_wal_insert_begin(lode *db) {
  if (!frames_db_ok(db)) return LODE_MISUSE;
  if (!db->autocommit) return conn_error(db, LODE_ERROR, "cannot insert frames within a transaction");
  if (db->readonly) return conn_error(db, LODE_READONLY, NULL);
  int rc = conn_wal_insert_begin(db);
  return rc == LODE_OK ? rc : conn_error(db, rc, NULL);
}

int lode_wal_insert_frame(lode *db, unsigned int frame, const void *buf, unsigned int size, int *conflict) {
  if (conflict) *conflict = 0;
  if (!frames_db_ok(db) || !buf) return LODE_MISUSE;
  if (!db->autocommit) return conn_error(db, LODE_ERROR, "cannot insert frames within a transaction");
  char why[160] = "";
  int rc = conn_wal_insert_frame(db, frame, buf, size, conflict, why, sizeof why);
  return frames_error(db, rc, why);
}

int lode_wal_insert_end(lode *db) {
  if (!frames_db_ok(db)) return LODE_MISUSE;
  return conn_wal_insert_end(db);
}

int lode_wal_disable_checkpoint(lode *db) {
  if (!frames_db_ok(db)) return LODE_MISUSE;
  conn_wal_disable_checkpoint(db);
  return LODE_OK;
}

void *lode_wal_hook(lode *db, int (*cb)(void *, lode *, const char *, int), void *arg) {
  return sqlite3_wal_hook(db, cb, arg);
}

int libsql_wal_frame_count(sqlite3 *db, unsigned int *frames) { return lode_wal_frame_count(db, frames); }
int libsql_wal_get_frame(sqlite3 *db, unsigned int frame, void *buf, unsigned int size) {
  return lode_wal_get_frame(db, frame, buf, size);
}
int libsql_wal_insert_begin(sqlite3 *db) { return lode_wal_insert_begin(db); }
int libsql_wal_insert_frame(sqlite3 *db, unsigned int frame, const void *buf, unsigned int size, int *conflict) {
  return lode_wal_insert_frame(db, frame, buf, size, conflict);
}
int libsql_wal_insert_end(sqlite3 *db) { return lode_wal_insert_end(db); }
int libsql_wal_disable_checkpoint(sqlite3 *db) { return lode_wal_disable_checkpoint(db); }
