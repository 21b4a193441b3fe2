/*
** limits.c — a lowered SQLITE_LIMIT_FUNCTION_ARG refuses calls with more
** arguments ("too many arguments on function f"), 0 allows only calls with
** none; the default limit differs between SQLite releases, so it is not
** printed.
*/
#include <sqlite3.h>
#include <stdio.h>

static void run(sqlite3 *db, const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  printf("%s -> %d %s\n", sql, rc, err ? err : "ok");
  sqlite3_free(err);
}

int main(void) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  run(db, "SELECT max(1, 2, 3)");
  sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 1);
  printf("limit now %d\n", sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, -1));
  run(db, "SELECT abs(-1)");
  run(db, "SELECT max(1, 2)");
  run(db, "SELECT coalesce(NULL, 2)");
  sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 0);
  run(db, "SELECT random() IS NOT NULL");
  run(db, "SELECT abs(1)");
  sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 3);
  run(db, "SELECT max(1, 2, 3)");
  run(db, "SELECT max(1, 2, 3, 4)");
  sqlite3_close(db);
  return 0;
}
