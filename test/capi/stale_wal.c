/*
** stale_wal.c — a WAL left beside a deleted database: a process writes a
** WAL database and exits without closing it, the database file alone is
** deleted, and a new database of the same name starts empty (the old WAL's
** frames are not replayed into it).
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  char path[64], wal[80], shm[80];
  snprintf(path, sizeof path, "/tmp/stale_wal_%d.db", (int)getpid());
  snprintf(wal, sizeof wal, "%s-wal", path);
  snprintf(shm, sizeof shm, "%s-shm", path);
  unlink(path);
  unlink(wal);
  unlink(shm);
  pid_t pid = fork();
  if (pid == 0) {
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)", 0, 0, 0);
    _exit(0); /* exits without closing: the WAL stays */
  }
  waitpid(pid, NULL, 0);
  printf("WAL left behind: %d\n", access(wal, F_OK) == 0);
  unlink(path);
  sqlite3 *db;
  sqlite3_open(path, &db);
  char *err = NULL;
  int rc = sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (3)", 0, 0, &err);
  printf("create in the new database: %d %s\n", rc, err ? err : "");
  sqlite3_free(err);
  sqlite3_stmt *s;
  sqlite3_prepare_v2(db, "SELECT group_concat(x) FROM t", -1, &s, 0);
  sqlite3_step(s);
  printf("rows: %s\n", (const char *)sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  printf("close: %d\n", sqlite3_close(db));
  unlink(path);
  unlink(wal);
  unlink(shm);
  return 0;
}
