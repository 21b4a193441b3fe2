/*
** data_version.c — SQLITE_FCNTL_DATA_VERSION: unchanged by ATTACH and by
** changes to other databases of the connection or by reads, changed by this
** connection's own commits and (once a read sees it) by another
** connection's; PRAGMA data_version beside it, which ignores this
** connection's commits.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

static unsigned fv(sqlite3 *db, const char *name) {
  unsigned v = 0;
  int rc = sqlite3_file_control(db, name, SQLITE_FCNTL_DATA_VERSION, &v);
  if (rc != SQLITE_OK) printf("file_control %s: %d\n", name ? name : "NULL", rc);
  return v;
}

static int pragma_dv(sqlite3 *db) {
  sqlite3_stmt *s;
  int v = -1;
  sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &s, NULL);
  if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int(s, 0);
  sqlite3_finalize(s);
  return v;
}

static void exec(sqlite3 *db, const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) printf("%s: %s\n", sql, err);
  sqlite3_free(err);
}

int main(void) {
  char path[64], side[80];
  snprintf(path, sizeof path, "/tmp/data_version_%d.db", (int)getpid());
  unlink(path);
  sqlite3 *db, *other;
  sqlite3_open(path, &db);
  exec(db, "PRAGMA journal_mode = WAL; CREATE TABLE t1(x); INSERT INTO t1 VALUES (99); SELECT * FROM t1");
  unsigned v1 = fv(db, "main"), p1 = (unsigned)pragma_dv(db);
  exec(db, "ATTACH ':memory:' AS aux1; CREATE TABLE aux1.t2(y); CREATE TEMP TABLE t3(z); SELECT * FROM t1");
  printf("after ATTACH and other databases' changes: %s\n", fv(db, "main") == v1 ? "same" : "changed");
  printf("NULL names main: %s\n", fv(db, NULL) == fv(db, "main") ? "same" : "different");
  exec(db, "UPDATE t1 SET x = x + 1");
  unsigned v2 = fv(db, "main");
  printf("after an own UPDATE: %s; pragma %s\n", v2 == v1 ? "same" : "changed", (unsigned)pragma_dv(db) == p1 ? "same" : "changed");
  exec(db, "SELECT * FROM t1");
  printf("after a read: %s\n", fv(db, "main") == v2 ? "same" : "changed");
  sqlite3_open(path, &other);
  exec(other, "UPDATE t1 SET x = x + 1");
  sqlite3_close(other);
  exec(db, "SELECT * FROM t1");
  printf("after another connection's commit and a read: %s; pragma %s\n", fv(db, "main") == v2 ? "same" : "changed",
         (unsigned)pragma_dv(db) == p1 ? "same" : "changed");
  unsigned a1 = fv(db, "aux1");
  exec(db, "INSERT INTO aux1.t2 VALUES (1)");
  printf("aux1 after its own insert: %s\n", fv(db, "aux1") == a1 ? "same" : "changed");
  printf("unknown database: %d\n", sqlite3_file_control(db, "nope", SQLITE_FCNTL_DATA_VERSION, &a1));
  sqlite3_close(db);
  unlink(path);
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);
  return 0;
}
