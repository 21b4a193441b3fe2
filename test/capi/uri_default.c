/*
** uri_default.c — "file:" names are URIs without SQLITE_OPEN_URI, as in the
** SQLite builds Lode stands in for (SQLITE_USE_URI=1): mode=ro is honoured
** at open and by ATTACH, and no file named "file:..." is made.
*/
#include <sqlite3.h>
#include <stdio.h>

int main(void) {
  sqlite3 *db;
  int rc;
  remove("u1.db");
  rc = sqlite3_open_v2("file:u1.db?mode=ro", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  printf("read-only open of a missing file: %d\n", rc);
  sqlite3_close(db);
  rc = sqlite3_open("file:u1.db", &db);
  printf("open: %d\n", rc);
  sqlite3_exec(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1)", NULL, NULL, NULL);
  rc = sqlite3_exec(db, "ATTACH 'file:u1.db?mode=ro' AS r", NULL, NULL, NULL);
  printf("attach: %d\n", rc);
  rc = sqlite3_exec(db, "INSERT INTO r.t VALUES (2)", NULL, NULL, NULL);
  printf("write through the read-only attachment: %d %s\n", rc, sqlite3_errmsg(db));
  sqlite3_close(db);
  FILE *f = fopen("file:u1.db", "r");
  printf("a file named file:u1.db: %s\n", f ? "exists" : "absent");
  if (f) fclose(f);
  f = fopen("u1.db", "r");
  printf("u1.db: %s\n", f ? "exists" : "absent");
  if (f) fclose(f);
  remove("u1.db");
  return 0;
}
