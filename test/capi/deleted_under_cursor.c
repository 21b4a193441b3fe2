/*
** deleted_under_cursor.c — a statement that deletes the row a running
** SELECT stands on, between two of its steps.  The SELECT's cursor reads
** as on no row (its columns NULL) until it moves on, then goes on with the
** row that followed: no row is returned twice, and no error.  A DELETE of
** the whole table (its b-trees cleared) leaves the cursor past the end.
*/
#include <sqlite3.h>
#include <stdio.h>

static void exec(sqlite3 *db, const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) printf("exec error: %s\n", err ? err : "?");
  sqlite3_free(err);
}

static void setup(sqlite3 *db) {
  exec(db, "DROP TABLE IF EXISTS t5; DROP TABLE IF EXISTS t6;"
           "CREATE TABLE t5(a, b); CREATE TABLE t6(c, d);"
           "INSERT INTO t5 VALUES(1, 2), (3, 4), (5, 6);"
           "INSERT INTO t6 VALUES('a', 'b'), ('c', 'd');"
           "CREATE INDEX i5 ON t5(a); CREATE INDEX i6 ON t6(c);");
}

/* Steps sql; when the first column is 2 the first time, runs del. */
static void scan(sqlite3 *db, const char *label, const char *sql, const char *del) {
  sqlite3_stmt *st = NULL;
  int rc, done = 0;
  printf("%s:", label);
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    printf(" prepare error: %s\n", sqlite3_errmsg(db));
    return;
  }
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int n = sqlite3_column_count(st);
    printf(" (");
    for (int i = 0; i < n; i++) {
      const unsigned char *z = sqlite3_column_text(st, i);
      printf("%s%s", i ? " " : "", z ? (const char *)z : "NULL");
    }
    printf(")");
    if (!done && sqlite3_column_type(st, 0) == SQLITE_INTEGER && sqlite3_column_int(st, 0) == 2) {
      done = 1;
      exec(db, del);
    }
  }
  printf(" [%d %s]\n", rc, rc == SQLITE_DONE ? "done" : sqlite3_errmsg(db));
  sqlite3_finalize(st);
}

int main(void) {
  sqlite3 *db = NULL;
  remove("deleted_under_cursor.db");
  if (sqlite3_open("deleted_under_cursor.db", &db) != SQLITE_OK) return 1;
  setup(db);
  scan(db, "whole table", "SELECT t5.rowid AS r, c, d FROM t5, t6 ORDER BY a", "DELETE FROM t5");
  setup(db);
  scan(db, "one row", "SELECT t5.rowid AS r, c, d FROM t5, t6 ORDER BY a", "DELETE FROM t5 WHERE rowid = 2");
  setup(db);
  scan(db, "columns", "SELECT t5.rowid AS r, t5.b, c FROM t5, t6 ORDER BY a", "DELETE FROM t5 WHERE rowid = 2");
  setup(db);
  scan(db, "table scan", "SELECT t5.rowid AS r, t5.a, t5.b, d FROM t5, t6", "DELETE FROM t5 WHERE rowid = 2");
  setup(db);
  scan(db, "no index", "SELECT t5.rowid AS r, +t5.a, d FROM t5 NOT INDEXED, t6 NOT INDEXED",
       "DELETE FROM t5 WHERE rowid IN (2, 3)");
  sqlite3_close(db);
  remove("deleted_under_cursor.db");
  return 0;
}
