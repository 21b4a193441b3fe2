/*
** rtree_changes.c — what an R-Tree's changes count and when they are refused:
** each INSERT, UPDATE and DELETE of a one-node tree counts the shadow rows it
** writes in sqlite3_total_changes (the virtual row, its NAME_rowid row, the
** node), a new id given by NAME_rowid counts its row twice; a change while a
** scan of the table holds its place is SQLITE_LOCKED_VTAB, and allowed once
** the scan ends.  Built against Lode and against the system libsqlite3; both
** must print the same.
*/
#include <sqlite3.h>
#include <stdio.h>

static void run(sqlite3 *db, const char *sql) {
  long long before = sqlite3_total_changes64(db);
  int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  printf("%s\n  rc %d (%d) changes %lld total +%lld", sql, rc, sqlite3_extended_errcode(db),
         (long long)sqlite3_changes64(db), (long long)(sqlite3_total_changes64(db) - before));
  if (rc != SQLITE_OK) printf(" error: %s", sqlite3_errmsg(db));
  printf("\n");
}

static void count(sqlite3 *db, const char *sql) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) return;
  if (sqlite3_step(s) == SQLITE_ROW) printf("%s\n  %s\n", sql, (const char *)sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
}

int main(void) {
  sqlite3 *db;
  sqlite3_stmt *scan;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  run(db, "CREATE VIRTUAL TABLE r USING rtree(id, x0, x1, y0, y1);");
  run(db, "CREATE VIRTUAL TABLE a USING rtree(id, x0, x1, +note);");
  run(db, "INSERT INTO r VALUES(1, 0, 1, 0, 1);");
  run(db, "INSERT INTO r VALUES(2, 2, 3, 2, 3), (3, 4, 5, 4, 5);");
  run(db, "INSERT INTO r(x0, x1, y0, y1) VALUES(6, 7, 6, 7);");
  run(db, "INSERT INTO a VALUES(1, 0, 1, 'one');");
  run(db, "INSERT INTO a(x0, x1, note) VALUES(2, 3, 'two');");
  run(db, "UPDATE r SET x1 = 9 WHERE id = 2;");
  run(db, "UPDATE a SET note = 'uno' WHERE id = 1;");
  run(db, "REPLACE INTO r VALUES(3, 1, 1, 1, 1);");
  run(db, "INSERT OR IGNORE INTO r VALUES(3, 1, 1, 1, 1);");
  run(db, "DELETE FROM r WHERE x0 >= 1;");
  run(db, "DELETE FROM r WHERE id = 99;");
  run(db, "BEGIN; INSERT INTO r VALUES(10, 1, 2, 1, 2); INSERT INTO r VALUES(11, 1, 2, 1, 2); COMMIT;");
  if (sqlite3_prepare_v2(db, "SELECT id FROM r WHERE x0 >= 0;", -1, &scan, NULL) != SQLITE_OK) return 1;
  printf("scan step: %d\n", sqlite3_step(scan));
  run(db, "DELETE FROM r WHERE id = 10;");
  run(db, "INSERT INTO r VALUES(12, 1, 2, 1, 2);");
  printf("scan step: %d\n", sqlite3_step(scan));
  run(db, "DELETE FROM r WHERE id = 10;");
  printf("scan step: %d\n", sqlite3_step(scan));
  sqlite3_finalize(scan);
  run(db, "DELETE FROM r WHERE id = 10;");
  count(db, "SELECT group_concat(id) FROM r;");
  count(db, "SELECT rtreecheck('r') || rtreecheck('a');");
  sqlite3_close(db);
  return 0;
}
