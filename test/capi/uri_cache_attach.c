/*
** uri_cache_attach.c — URI filenames: cache=shared and cache=private open,
** any other cache mode is refused; a database opened with mode=ro attaches
** others under the flags it was opened with (read-write here), not under
** its own narrowed mode.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

static void run(sqlite3 *db, const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  printf("%s: %d %s\n", sql, rc, rc ? err : "ok");
  sqlite3_free(err);
}

static void clean(void) {
  const char *f[] = {"uca.db", "uca.db-wal", "uca.db-shm", "uca2.db", "uca2.db-wal", "uca2.db-shm",
                     "uca3.db", "uca3.db-wal", "uca3.db-shm"};
  for (unsigned i = 0; i < sizeof f / sizeof f[0]; i++) unlink(f[i]);
}

int main(void) {
  sqlite3 *db;
  clean();
  sqlite3_open("uca.db", &db);
  run(db, "CREATE TABLE t1(a, b); INSERT INTO t1 VALUES(1, 2); ATTACH 'uca2.db' AS aux; CREATE TABLE aux.t2(a, b)");
  sqlite3_close(db);
  const char *names[] = {"file:uca.db?cache=public", "file:uca.db?cache=shared", "file:uca.db?cache=private",
                         "file:uca.db?cache="};
  for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
    int rc = sqlite3_open_v2(names[i], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, NULL);
    printf("open %s: %d %s\n", names[i], rc, sqlite3_errmsg(db));
    sqlite3_close(db);
  }
  sqlite3_open_v2("file:uca.db?mode=ro", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL);
  run(db, "ATTACH 'file:uca2.db?mode=rw' AS aux");
  run(db, "INSERT INTO t2 VALUES('c', 'd')");
  run(db, "INSERT INTO t1 VALUES(3, 4)");
  run(db, "ATTACH 'uca3.db' AS aux3");
  run(db, "CREATE TABLE aux3.x(a)");
  sqlite3_close(db);
  sqlite3_open_v2("file:uca.db", &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  run(db, "ATTACH 'file:uca2.db?mode=rw' AS aux");
  sqlite3_close(db);
  clean();
  return 0;
}
