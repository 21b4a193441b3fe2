/*
** incremental_vacuum_rows.c — PRAGMA incremental_vacuum returns a row (of
** no columns) for each page it gives back, as SQLite does: a loop over its
** rows (the Tcl interface's "db eval" body) runs once per page.
*/
#include <sqlite3.h>
#include <stdio.h>

static int one(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  int v = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

static void vacuum(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  int rows = 0, rc;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) rows++;
  printf("%s: %d rows of %d columns [%d]; freelist %d, pages %d\n", sql, rows, sqlite3_column_count(st), rc,
         one(db, "PRAGMA freelist_count"), one(db, "PRAGMA page_count"));
  sqlite3_finalize(st);
}

int main(void) {
  sqlite3 *db = NULL;
  remove("incremental_vacuum_rows.db");
  if (sqlite3_open("incremental_vacuum_rows.db", &db) != SQLITE_OK) return 1;
  sqlite3_exec(db,
               "PRAGMA page_size = 4096; PRAGMA auto_vacuum = incremental; CREATE TABLE t(a);"
               "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 500)"
               " INSERT INTO t SELECT zeroblob(500) FROM s;"
               "DELETE FROM t WHERE rowid > 100;",
               NULL, NULL, NULL);
  printf("freelist %d\n", one(db, "PRAGMA freelist_count"));
  vacuum(db, "PRAGMA incremental_vacuum(10)");
  vacuum(db, "PRAGMA incremental_vacuum");
  vacuum(db, "PRAGMA incremental_vacuum");
  sqlite3_close(db);
  remove("incremental_vacuum_rows.db");
  return 0;
}
