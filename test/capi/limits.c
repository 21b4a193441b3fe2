/*
** limits.c — lowered run-time limits: SQLITE_LIMIT_FUNCTION_ARG refuses calls
** with more arguments ("too many arguments on function f", 0 allows only calls
** with none; the default differs between SQLite releases, so it is not
** printed); COLUMN, EXPR_DEPTH, COMPOUND_SELECT, LIKE_PATTERN_LENGTH,
** TRIGGER_DEPTH, LENGTH, SQL_LENGTH and VARIABLE_NUMBER each with SQLite's error.
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

  sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 5); /* sqlite_schema has 5 columns */
  printf("column limit %d\n", sqlite3_limit(db, SQLITE_LIMIT_COLUMN, -1));
  run(db, "CREATE TABLE c5(a, b, c, d, e)");
  run(db, "CREATE TABLE c6(a, b, c, d, e, f)");
  run(db, "SELECT 1, 2, 3, 4, 5");
  run(db, "SELECT 1, 2, 3, 4, 5, 6");
  run(db, "SELECT * FROM c5, c5 AS x");
  run(db, "SELECT a FROM c5 ORDER BY a, b, c, d, e, a");
  run(db, "SELECT a FROM c5 GROUP BY a, b, c, d, e, a");
  run(db, "CREATE INDEX i6 ON c5(a, b, c, d, e, a)");
  run(db, "ALTER TABLE c5 ADD COLUMN f");
  sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 2000);

  sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 5);
  run(db, "SELECT 1+1+1+1");
  run(db, "SELECT 1+1+1+1+1+1+1+1");
  run(db, "SELECT ((((((1))))))");
  sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 1000);

  sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 3);
  run(db, "SELECT 1 UNION SELECT 2 UNION SELECT 3");
  run(db, "SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4");
  run(db, "VALUES(1),(2),(3),(4),(5)");
  sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 500);

  sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 4);
  run(db, "SELECT 'abcd' LIKE 'a%d'");
  run(db, "SELECT 'abcde' LIKE 'a%cde'");
  run(db, "SELECT 'abcde' GLOB 'a*cde'");
  sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 50000);

  run(db, "CREATE TABLE r(n); CREATE TRIGGER rt AFTER INSERT ON r WHEN new.n < 50 BEGIN INSERT INTO r VALUES(new.n + 1); END; PRAGMA recursive_triggers = 1");
  sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 10);
  run(db, "INSERT INTO r VALUES(45)");
  run(db, "INSERT INTO r VALUES(30)");
  sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 1000);
  run(db, "SELECT count(*) FROM r");

  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 10);
  /* (aliases: sqlite3 also holds result column names to the limit) */
  run(db, "SELECT length('0123456789') n");
  run(db, "SELECT length('01234567890') n");
  run(db, "SELECT '012345678' || 'x' n");
  run(db, "SELECT '0123456789' || 'x' n");
  run(db, "SELECT upper('01234567890') n");
  run(db, "SELECT zeroblob(10) n");
  run(db, "CREATE TABLE big(x); INSERT INTO big VALUES('abcdefgh')");
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1000000000);

  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 20);
  run(db, "SELECT 1");
  run(db, "SELECT 1 + 2 + 3 + 4 + 5 + 6");
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1000000000);
  sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, 2);
  run(db, "SELECT ?, ?");
  run(db, "SELECT ?, ?, ?");
  run(db, "SELECT ?5");
  printf("bogus id: %d\n", sqlite3_limit(db, 99, 1));
  sqlite3_close(db);
  return 0;
}
