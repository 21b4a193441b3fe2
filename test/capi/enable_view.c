/*
** enable_view.c — SQLITE_DBCONFIG_ENABLE_VIEW: turned off, a FROM clause
** naming a view of main or an attached database fails ("access to view "v"
** prohibited"), also inside another view and through a statement prepared
** before the change; TEMP views are still read, and the view's columns are
** still listed.  Turned on again, views are read as before.
*/
#include <sqlite3.h>
#include <stdio.h>

static void run(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  printf("%-56s", sql);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
      for (int i = 0; i < sqlite3_column_count(st); i++) printf(" [%s]", (const char *)sqlite3_column_text(st, i));
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
  }
  if (rc != SQLITE_OK) printf(" rc=%d %s", rc, sqlite3_errmsg(db));
  printf("\n");
  sqlite3_finalize(st);
}

static void config(sqlite3 *db, int on) {
  int out = -1;
  int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, on, &out);
  printf("db_config(ENABLE_VIEW, %d): rc=%d now %d\n", on, rc, out);
}

int main(void) {
  sqlite3 *db;
  sqlite3_stmt *st = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  config(db, -1);
  run(db, "CREATE TABLE t(a, b)");
  run(db, "INSERT INTO t VALUES (1, 2), (3, 4)");
  run(db, "CREATE VIEW v AS SELECT a, b FROM t");
  run(db, "CREATE VIEW w AS SELECT a FROM v WHERE b > 2");
  run(db, "CREATE TEMP VIEW tv AS SELECT b FROM t");
  if (sqlite3_prepare_v2(db, "SELECT a FROM v ORDER BY a", -1, &st, NULL) != SQLITE_OK) return 1;
  config(db, 0);
  config(db, -1);
  int rc = sqlite3_step(st);
  printf("prepared before: rc=%d %s\n", rc, rc == SQLITE_ROW ? "row" : sqlite3_errmsg(db));
  sqlite3_finalize(st);
  run(db, "SELECT a FROM v ORDER BY a");
  run(db, "SELECT * FROM main.v");
  run(db, "SELECT a FROM w");
  run(db, "SELECT (SELECT count(*) FROM v)");
  run(db, "SELECT b FROM tv ORDER BY b");
  run(db, "SELECT a FROM t WHERE a IN (SELECT a FROM v)");
  run(db, "SELECT name FROM pragma_table_info('v')");
  config(db, 1);
  run(db, "SELECT a FROM v ORDER BY a");
  run(db, "SELECT a FROM w");
  sqlite3_close(db);
  return 0;
}
