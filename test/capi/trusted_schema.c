/*
** trusted_schema.c — PRAGMA trusted_schema=OFF: the schema (generated
** columns, CHECK constraints, views, triggers) may call an application's
** function only when it is declared SQLITE_INNOCUOUS ("unsafe use of f()"
** otherwise); a DIRECTONLY one never.  Statements compiled before the
** pragma changed are compiled again, so the rule applies to them too.
*/
#include <sqlite3.h>
#include <stdio.h>

static void same(sqlite3_context *c, int n, sqlite3_value **v) {
  (void)n;
  sqlite3_result_value(c, v[0]);
}

static void run(sqlite3 *db, const char *sql) {
  char *err = NULL;
  printf("%s:", sql);
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  printf(" [%d%s%s]\n", rc, err ? " " : "", err ? err : "");
  sqlite3_free(err);
}

/* Steps a statement prepared once, before and after the pragma changes. */
static void step_all(sqlite3_stmt *st) {
  int rc;
  printf(" rows:");
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) printf(" %s", (const char *)sqlite3_column_text(st, 0));
  printf(" [%d %s]\n", rc, rc == SQLITE_DONE ? "done" : sqlite3_errmsg(sqlite3_db_handle(st)));
  sqlite3_reset(st);
}

int main(void) {
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  sqlite3_create_function(db, "f1", 1, SQLITE_UTF8 | SQLITE_INNOCUOUS | SQLITE_DETERMINISTIC, NULL, same, NULL, NULL);
  sqlite3_create_function(db, "f2", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, same, NULL, NULL);
  sqlite3_create_function(db, "f3", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY | SQLITE_DETERMINISTIC, NULL, same, NULL,
                          NULL);
  run(db, "CREATE TABLE t1(a, b AS (f1(a+1)), c AS (f2(a+2)))");
  run(db, "INSERT INTO t1(a) VALUES(100), (200)");
  run(db, "CREATE VIEW v1 AS SELECT f1(a) AS x FROM t1");
  run(db, "CREATE VIEW v2 AS SELECT f2(a) AS x FROM t1");
  run(db, "CREATE TABLE log(x)");
  run(db, "CREATE TRIGGER tr AFTER INSERT ON t1 BEGIN INSERT INTO log VALUES(f2(new.a)); END");
  sqlite3_prepare_v2(db, "SELECT c FROM t1", -1, &st, NULL);
  step_all(st);
  run(db, "PRAGMA trusted_schema = OFF");
  step_all(st);
  sqlite3_finalize(st);
  run(db, "SELECT a, b FROM t1");
  run(db, "SELECT x FROM v1");
  run(db, "SELECT x FROM v2");
  run(db, "SELECT f2(a) FROM t1");
  run(db, "INSERT INTO t1(a) VALUES(300)");
  run(db, "CREATE TABLE t2(a CHECK(f2(a) = a))");
  run(db, "CREATE TABLE t3(a CHECK(f1(a) = a))");
  run(db, "PRAGMA trusted_schema = ON");
  run(db, "SELECT x FROM v2");
  run(db, "CREATE TABLE t4(a CHECK(f3(a) = a))");
  run(db, "INSERT INTO t1(a) VALUES(300)");
  sqlite3_prepare_v2(db, "SELECT count(*) FROM log", -1, &st, NULL);
  step_all(st);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return 0;
}
