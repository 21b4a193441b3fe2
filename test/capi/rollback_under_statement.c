/*
** rollback_under_statement.c — a statement run while another is active
** rolls the transaction back: when the rollback undid schema changes, the
** other statement stops with "abort due to ROLLBACK" (SQLITE_ABORT_ROLLBACK)
** as it next reads a table; a reader goes on otherwise.
*/
#include <sqlite3.h>
#include <stdio.h>

static void force_rollback(sqlite3_context *c, int n, sqlite3_value **v) {
  (void)n;
  (void)v;
  sqlite3_exec(sqlite3_context_db_handle(c), "INSERT OR ROLLBACK INTO t1 VALUES (1)", NULL, NULL, NULL);
  sqlite3_result_int(c, 7);
}

static void query(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  printf("%s\n ", sql);
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    printf(" prepare: %s\n", sqlite3_errmsg(db));
    return;
  }
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) printf(" row %s", (const char *)sqlite3_column_text(st, 0));
  printf(" -> %d (%d) %s; autocommit %d\n", rc, sqlite3_extended_errcode(db),
         rc == SQLITE_DONE ? "" : sqlite3_errmsg(db), sqlite3_get_autocommit(db));
  sqlite3_finalize(st);
}

static void exec(sqlite3 *db, const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  if (rc) printf("%s -> %d %s\n", sql, rc, err ? err : "");
  sqlite3_free(err);
}

int main(void) {
  sqlite3 *db = NULL;
  remove("rus.db");
  sqlite3_open("rus.db", &db);
  sqlite3_create_function(db, "force_rollback", 0, SQLITE_UTF8, NULL, force_rollback, NULL, NULL);
  exec(db, "CREATE TEMP TABLE t1(x UNIQUE); INSERT INTO t1 VALUES (1);"
           "CREATE TABLE t2(x, y); INSERT INTO t2 VALUES (1, 2), (3, 4);");
  exec(db, "BEGIN IMMEDIATE; CREATE TABLE xyzzy(abc);");
  query(db, "SELECT x + force_rollback(), (SELECT count(*) FROM t1) FROM t2");
  exec(db, "BEGIN IMMEDIATE; CREATE TEMP TABLE t3(w, z);");
  query(db, "SELECT x, force_rollback(), EXISTS (SELECT 1 FROM t3 WHERE w = x) FROM t2");
  exec(db, "BEGIN IMMEDIATE; INSERT INTO t2 VALUES (5, 6);");
  query(db, "SELECT x + force_rollback() FROM t2");
  query(db, "SELECT count(*) FROM t2");
  sqlite3_close(db);
  remove("rus.db");
  return 0;
}
