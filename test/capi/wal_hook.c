/*
** wal_hook.c — sqlite3_wal_hook: called after each commit with the
** database's name and the frames its WAL holds, not inside an explicit
** transaction until COMMIT, not for a read; it replaces the automatic
** checkpoint (PRAGMA wal_autocheckpoint reads 0) and sqlite3_wal_autocheckpoint
** or the pragma replace it in turn; a hook's error is the step's result.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static int calls, fail_with, last_frames;

/* The frame counts themselves depend on the pages each engine writes per
** commit; that the WAL grew from one call to the next does not. */
static int hook(void *arg, sqlite3 *db, const char *name, int frames) {
  (void)db;
  calls++;
  printf("  hook(%s) %s frames>0=%d grew=%d\n", (const char *)arg, name, frames > 0, frames > last_frames);
  last_frames = frames;
  return fail_with;
}

static void exec(sqlite3 *db, const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  printf("%s -> %d%s%s\n", sql, rc, err ? " " : "", err ? err : "");
  sqlite3_free(err);
}

static void show_pragma(sqlite3 *db) {
  sqlite3_stmt *s;
  sqlite3_prepare_v2(db, "PRAGMA wal_autocheckpoint", -1, &s, NULL);
  if (sqlite3_step(s) == SQLITE_ROW) printf("wal_autocheckpoint = %d\n", sqlite3_column_int(s, 0));
  sqlite3_finalize(s);
}

int main(void) {
  sqlite3 *db;
  remove("walhook.db");
  remove("walhook.db-wal");
  remove("walhook.db-shm");
  sqlite3_open("walhook.db", &db);
  exec(db, "PRAGMA journal_mode = WAL");
  exec(db, "CREATE TABLE t(x)");
  printf("previous hook arg is the threshold: %d\n", (int)(sqlite3_int64)sqlite3_wal_hook(db, hook, "A") == 1000);
  show_pragma(db);
  exec(db, "INSERT INTO t VALUES (1)");
  exec(db, "INSERT INTO t VALUES (2)");
  exec(db, "SELECT * FROM t");
  exec(db, "BEGIN");
  exec(db, "INSERT INTO t VALUES (3)");
  exec(db, "INSERT INTO t VALUES (4)");
  exec(db, "COMMIT");
  printf("previous hook arg: %s\n", (const char *)sqlite3_wal_hook(db, hook, "B"));
  exec(db, "INSERT INTO t VALUES (5)");

  /* A hook's error code becomes the statement's result; the change stays. */
  fail_with = SQLITE_IOERR;
  sqlite3_stmt *s;
  sqlite3_prepare_v2(db, "INSERT INTO t VALUES (6)", -1, &s, NULL);
  printf("step with failing hook -> %d\n", sqlite3_step(s));
  printf("errcode %d %s\n", sqlite3_errcode(db), sqlite3_errmsg(db));
  printf("finalize -> %d\n", sqlite3_finalize(s));
  fail_with = SQLITE_OK;
  exec(db, "SELECT count(*) FROM t");

  /* The automatic checkpoint replaces the hook. */
  calls = 0;
  sqlite3_wal_autocheckpoint(db, 100);
  show_pragma(db);
  exec(db, "INSERT INTO t VALUES (7)");
  printf("calls after wal_autocheckpoint: %d\n", calls);
  sqlite3_wal_hook(db, hook, "C");
  exec(db, "PRAGMA wal_autocheckpoint = 50");
  exec(db, "INSERT INTO t VALUES (8)");
  printf("calls after the pragma: %d\n", calls);
  sqlite3_wal_hook(db, hook, "D");
  exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  last_frames = 0;
  exec(db, "INSERT INTO t VALUES (9)");
  sqlite3_wal_hook(db, NULL, NULL);
  exec(db, "INSERT INTO t VALUES (10)");
  printf("calls: %d\n", calls);
  sqlite3_close(db);
  remove("walhook.db");
  return 0;
}
