/*
** schema_unknown_function.c — a CHECK constraint, generated column or index
** expression that calls an application function, used by a connection that
** has not defined it: writing the table fails with "unknown function:
** name()" (the schema loads), while a new CREATE naming it fails with "no
** such function: name".
*/
#include <sqlite3.h>
#include <stdio.h>

static void lt10(sqlite3_context *c, int n, sqlite3_value **v) {
  (void)n;
  sqlite3_result_int(c, sqlite3_value_int(v[0]) < 10);
}

static void step(sqlite3 *db, const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  printf("%s -> %d %s\n", sql, rc, err ? err : "");
  sqlite3_free(err);
}

int main(void) {
  sqlite3 *db = NULL;
  remove("suf.db");
  sqlite3_open("suf.db", &db);
  sqlite3_create_function(db, "lt10", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, lt10, NULL, NULL);
  step(db, "CREATE TABLE c(a CHECK (lt10(a)))");
  step(db, "CREATE TABLE g(a, b AS (lt10(a)))");
  step(db, "CREATE TABLE x(a)");
  step(db, "CREATE INDEX xi ON x(lt10(a))");
  step(db, "INSERT INTO c VALUES (9)");
  step(db, "INSERT INTO c VALUES (11)");
  sqlite3_close(db);
  sqlite3_open("suf.db", &db);
  step(db, "SELECT * FROM c");
  step(db, "INSERT INTO c VALUES (8)");
  step(db, "INSERT INTO g VALUES (8)");
  step(db, "INSERT INTO x VALUES (8)");
  step(db, "CREATE TABLE c2(a CHECK (lt10(a)))");
  sqlite3_close(db);
  remove("suf.db");
  return 0;
}
