/*
** nested_statements.c — statements run by an application function while
** another statement of the connection is running and writing the same
** table: a nested INSERT that succeeds adds its rows beside the outer
** statement's (no rowid given twice, indexes whole); one that fails undoes
** its own changes only, inside BEGIN … COMMIT and in autocommit mode, and
** the outer statement and its transaction go on.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* f2(x): x, but an error for 'three'. */
static void f2(sqlite3_context *c, int n, sqlite3_value **v) {
  (void)n;
  const char *s = (const char *)sqlite3_value_text(v[0]);
  if (s && strcmp(s, "three") == 0) {
    sqlite3_result_error(c, "Three!!", -1);
    return;
  }
  sqlite3_result_value(c, v[0]);
}

/* run(doit, sql): runs sql on the connection when doit is true. */
static void run(sqlite3_context *c, int n, sqlite3_value **v) {
  (void)n;
  if (sqlite3_value_int(v[0])) {
    char *err = NULL;
    int rc = sqlite3_exec(sqlite3_context_db_handle(c), (const char *)sqlite3_value_text(v[1]), NULL, NULL, &err);
    printf("  nested: %d %s\n", rc, err ? err : "");
    sqlite3_free(err);
  }
  sqlite3_result_null(c);
}

static int print_row(void *ctx, int n, char **vals, char **names) {
  (void)ctx;
  (void)names;
  for (int i = 0; i < n; i++) printf("%s%s", i ? "|" : " ", vals[i] ? vals[i] : "NULL");
  return 0;
}

static void step(sqlite3 *db, const char *label, const char *sql) {
  char *err = NULL;
  printf("%s:", label);
  int rc = sqlite3_exec(db, sql, print_row, NULL, &err);
  printf(" [%d%s%s]\n", rc, err ? " " : "", err ? err : "");
  sqlite3_free(err);
}

static void reset(sqlite3 *db) {
  step(db, "reset", "DELETE FROM t2; INSERT INTO t2 SELECT a, b FROM t1;");
}

int main(void) {
  sqlite3 *db = NULL;
  remove("nested.db");
  if (sqlite3_open("nested.db", &db) != SQLITE_OK) return 1;
  sqlite3_create_function(db, "f2", 1, SQLITE_UTF8, NULL, f2, NULL, NULL);
  sqlite3_create_function(db, "run", 2, SQLITE_UTF8, NULL, run, NULL, NULL);
  step(db, "setup",
       "CREATE TABLE t1(a PRIMARY KEY, b);"
       "INSERT INTO t1 VALUES (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four'), (5, 'five');"
       "CREATE TABLE t2(a PRIMARY KEY, b);");
  reset(db);
  step(db, "failing nested, in a transaction",
       "BEGIN; INSERT INTO t2 SELECT a + 5, run(a = 3, 'INSERT INTO t2 SELECT a + 10, f2(b) FROM t1') FROM t1;");
  step(db, "commit", "COMMIT; SELECT group_concat(a) FROM (SELECT a FROM t2 ORDER BY a)");
  reset(db);
  step(db, "nested into the same table",
       "BEGIN; INSERT INTO t2 SELECT a + 5, run(a = 3, 'INSERT INTO t2 SELECT a + 10, b FROM t1') FROM t1; COMMIT;");
  step(db, "rows", "SELECT group_concat(a) FROM (SELECT a FROM t2 ORDER BY a); PRAGMA integrity_check;");
  reset(db);
  step(db, "failing nested, autocommit",
       "INSERT INTO t2 SELECT a + 5, run(a = 3, 'INSERT INTO t2 SELECT a + 10, f2(b) FROM t1') FROM t1;");
  step(db, "rows", "SELECT group_concat(a) FROM (SELECT a FROM t2 ORDER BY a); PRAGMA integrity_check;");
  reset(db);
  step(db, "nested, autocommit",
       "INSERT INTO t2 SELECT a + 5, run(a = 3, 'INSERT INTO t2 SELECT a + 10, b FROM t1') FROM t1;");
  step(db, "rows", "SELECT group_concat(a) FROM (SELECT a FROM t2 ORDER BY a); PRAGMA integrity_check;");
  sqlite3_close(db);
  remove("nested.db");
  return 0;
}
