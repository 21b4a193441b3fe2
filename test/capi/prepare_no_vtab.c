/*
** prepare_no_vtab.c — sqlite3_prepare_v3 with SQLITE_PREPARE_NO_VTAB: every
** virtual table (a created one, an eponymous table-valued function, one read
** through a view or reached by a trigger) is "no such table" at prepare,
** while plain tables (an fts4 table's shadow tables among them) still work;
** and an fts4 table whose content table is itself fails instead of
** recursing (its content reads are prepared so).
*/
#include <sqlite3.h>
#include <stdio.h>

static void try(sqlite3 *db, const char *sql) {
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_NO_VTAB, &s, NULL);
  printf("%-44s prepare=%d %s", sql, rc, rc ? sqlite3_errmsg(db) : "");
  if (s) {
    rc = sqlite3_step(s);
    printf(" step=%d", rc);
    sqlite3_finalize(s);
  }
  printf("\n");
}

int main(void) {
  sqlite3 *db;
  sqlite3_open(":memory:", &db);
  sqlite3_exec(db,
               "CREATE VIRTUAL TABLE doc USING fts4(body);"
               "CREATE TABLE t(x); CREATE TABLE u(y);"
               "CREATE VIEW v AS SELECT * FROM doc;"
               "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO doc VALUES (new.x); END;"
               "CREATE TRIGGER u_ins AFTER INSERT ON u BEGIN SELECT * FROM pragma_table_info('t'); END;",
               NULL, NULL, NULL);
  try(db, "SELECT * FROM doc");
  try(db, "SELECT * FROM main.doc");
  try(db, "SELECT * FROM doc_content");
  try(db, "SELECT * FROM pragma_table_info('t')");
  try(db, "SELECT * FROM v");
  try(db, "INSERT INTO t VALUES (1)");
  try(db, "INSERT INTO u VALUES (1)");
  try(db, "INSERT INTO doc VALUES ('x')");
  try(db, "DELETE FROM doc");
  try(db, "UPDATE doc SET body = 'y'");
  try(db, "SELECT (SELECT count(*) FROM doc)");
  try(db, "SELECT count(*) FROM t");

  /* The UTF-16 entry point takes the flag too. */
  static const unsigned short sel16[] = {'S', 'E', 'L', 'E', 'C', 'T', ' ', '*', ' ', 'F', 'R', 'O', 'M', ' ',
                                         'd', 'o', 'c', 0};
  sqlite3_stmt *s16 = NULL;
  int rc16 = sqlite3_prepare16_v3(db, sel16, -1, SQLITE_PREPARE_NO_VTAB, &s16, NULL);
  printf("prepare16_v3 no_vtab: %d %s\n", rc16, sqlite3_errmsg(db));
  sqlite3_finalize(s16);

  /* Without the flag the same statements run. */
  sqlite3_stmt *s;
  int rc = sqlite3_prepare_v2(db, "INSERT INTO t VALUES (2)", -1, &s, NULL);
  printf("without the flag: prepare=%d step=%d\n", rc, sqlite3_step(s));
  sqlite3_finalize(s);

  sqlite3_exec(db,
               "CREATE VIRTUAL TABLE selfish USING fts4(a, content=selfish);"
               "INSERT INTO selfish(rowid, a) VALUES (1, 'abc');",
               NULL, NULL, NULL);
  printf("fts4 over itself: %s\n",
         sqlite3_exec(db, "SELECT * FROM selfish", NULL, NULL, NULL) == SQLITE_OK ? "ran" : "failed");
  printf("close: %d\n", sqlite3_close(db));
  return 0;
}
