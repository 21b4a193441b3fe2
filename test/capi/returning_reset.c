/*
** returning_reset.c — a writer stopped before its end keeps what it changed,
** as in SQLite: UPDATE … RETURNING finalized after its first row (all its
** changes are made by then), sqlite3_exec with no callback running a
** RETURNING statement to completion, and a reset in and out of a transaction.
*/
#include <sqlite3.h>
#include <stdio.h>

static int row(void *u, int n, char **v, char **c) {
  (void)u;
  (void)c;
  for (int i = 0; i < n; i++) printf("%s%s", i ? "|" : "  ", v[i] ? v[i] : "NULL");
  printf("\n");
  return 0;
}

int main(void) {
  sqlite3 *db;
  sqlite3_stmt *s;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v); INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)", 0, 0, 0);
  sqlite3_prepare_v2(db, "UPDATE t SET v = v + 1 RETURNING id", -1, &s, 0);
  printf("step %d\n", sqlite3_step(s));
  printf("finalize %d autocommit %d\n", sqlite3_finalize(s), sqlite3_get_autocommit(db));
  sqlite3_exec(db, "SELECT * FROM t", row, 0, 0);
  sqlite3_exec(db, "BEGIN", 0, 0, 0);
  printf("exec without callback %d\n", sqlite3_exec(db, "UPDATE t SET v = v * 10 RETURNING id", 0, 0, 0));
  sqlite3_prepare_v2(db, "INSERT INTO t(v) VALUES (1), (2), (3) RETURNING id, v", -1, &s, 0);
  printf("step %d %d\n", sqlite3_step(s), sqlite3_column_int(s, 0));
  printf("reset %d\n", sqlite3_reset(s));
  sqlite3_finalize(s);
  sqlite3_exec(db, "COMMIT", 0, 0, 0);
  sqlite3_exec(db, "SELECT * FROM t", row, 0, 0);
  sqlite3_close(db);
  return 0;
}
