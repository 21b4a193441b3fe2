/*
** reprepare_sql.c — a statement compiled again after a schema change keeps
** the text sqlite3_sql returned, at the same address: applications keep that
** pointer (the Tcl binding keys its statement cache with it), and a stale key
** finds the wrong statement.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  sqlite3 *db;
  sqlite3_stmt *s;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  sqlite3_exec(db, "CREATE TABLE t(x, y); INSERT INTO t VALUES (1, 'a'), (1, 'b'), (2, 'a');"
                   "CREATE INDEX i ON t(x DESC, y)", 0, 0, 0);
  const char *q = "SELECT x || y FROM t ORDER BY x, y DESC";
  sqlite3_prepare_v2(db, q, -1, &s, 0);
  const char *before = sqlite3_sql(s);
  while (sqlite3_step(s) == SQLITE_ROW) printf(" %s", sqlite3_column_text(s, 0));
  printf("\n");
  sqlite3_reset(s);
  sqlite3_exec(db, "DROP INDEX i; CREATE INDEX i ON t(x, y DESC)", 0, 0, 0);
  while (sqlite3_step(s) == SQLITE_ROW) printf(" %s", sqlite3_column_text(s, 0));
  printf("\n");
  printf("same address %d, same text %d\n", sqlite3_sql(s) == before, strcmp(sqlite3_sql(s), q) == 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return 0;
}
