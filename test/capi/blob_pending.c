/*
** blob_pending.c — an open incremental-blob handle is a statement in
** progress, as in SQLite: a writable one keeps SAVEPOINT, RELEASE and COMMIT
** from running ("… - SQL statements in progress"), any one keeps VACUUM from
** running and sqlite3_close from closing (SQLITE_BUSY); sqlite3_close_v2
** leaves the connection to close when the last handle closes.  With
** foreign keys on, a foreign key's column (child or parent key) cannot be
** opened for writing.
*/
#include <sqlite3.h>
#include <stdio.h>

static void exec(sqlite3 *db, const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  printf("%-24s -> %d %s\n", sql, rc, err ? err : "");
  sqlite3_free(err);
}

int main(void) {
  sqlite3 *db;
  sqlite3_blob *b, *r;
  sqlite3_open(":memory:", &db);
  exec(db, "CREATE TABLE blobs(x)");
  exec(db, "INSERT INTO blobs VALUES ('a twentyeight character blob')");
  printf("open: %d\n", sqlite3_blob_open(db, "main", "blobs", "x", 1, 1, &b));
  printf("write: %d\n", sqlite3_blob_write(b, "hello", 5, 0));
  exec(db, "SAVEPOINT abc");
  printf("close: %d\n", sqlite3_blob_close(b));
  exec(db, "SAVEPOINT abc");
  exec(db, "RELEASE abc");
  exec(db, "RELEASE abc");
  exec(db, "SAVEPOINT def");
  printf("open: %d\n", sqlite3_blob_open(db, "main", "blobs", "x", 1, 1, &b));
  exec(db, "RELEASE def");
  printf("close: %d\n", sqlite3_blob_close(b));
  exec(db, "RELEASE def");
  exec(db, "BEGIN");
  printf("open: %d\n", sqlite3_blob_open(db, "main", "blobs", "x", 1, 1, &b));
  exec(db, "COMMIT");
  printf("close: %d\n", sqlite3_blob_close(b));
  exec(db, "COMMIT");
  printf("open read-only: %d\n", sqlite3_blob_open(db, "main", "blobs", "x", 1, 0, &r));
  exec(db, "SAVEPOINT ghi");
  exec(db, "RELEASE ghi");
  exec(db, "VACUUM");
  printf("close: %d\n", sqlite3_blob_close(r));
  exec(db, "VACUUM");
  exec(db, "SELECT x FROM blobs");
  exec(db, "PRAGMA foreign_keys = ON");
  exec(db, "CREATE TABLE p(a PRIMARY KEY, b); CREATE TABLE c(k, r REFERENCES p(a), s)");
  exec(db, "INSERT INTO p VALUES ('hello', 'world'); INSERT INTO c VALUES (1, 'hello', 'x')");
  int rc = sqlite3_blob_open(db, "main", "c", "r", 1, 1, &b);
  printf("child column: %d %s\n", rc, sqlite3_errmsg(db));
  printf("child column read-only: %d\n", sqlite3_blob_open(db, "main", "c", "r", 1, 0, &r));
  sqlite3_blob_close(r);
  printf("other column: %d\n", sqlite3_blob_open(db, "main", "c", "s", 1, 1, &b));
  sqlite3_blob_close(b);
  exec(db, "PRAGMA foreign_keys = OFF");
  printf("child column, keys off: %d\n", sqlite3_blob_open(db, "main", "c", "r", 1, 1, &b));
  sqlite3_blob_close(b);
  printf("open read-only: %d\n", sqlite3_blob_open(db, "main", "blobs", "x", 1, 0, &r));
  printf("sqlite3_close: %d\n", sqlite3_close(db));
  printf("sqlite3_close_v2: %d\n", sqlite3_close_v2(db));
  char buf[6] = {0};
  printf("read after close_v2: %d %s\n", sqlite3_blob_read(r, buf, 5, 0), buf);
  printf("close: %d\n", sqlite3_blob_close(r));
  return 0;
}
