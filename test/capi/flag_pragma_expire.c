/*
** flag_pragma_expire.c — setting a flag PRAGMA expires the compiled
** statements, which re-prepare at their next step: a statement compiled
** with automatic_index off uses an automatic index once it is on (its
** counters start again with the new program), and one compiled with
** count_changes off answers with a count once it is on.
*/
#include <sqlite3.h>
#include <stdio.h>

static void exec(sqlite3 *db, const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) printf("%s: %s\n", sql, err);
  sqlite3_free(err);
}

static void run(sqlite3_stmt *st, const char *label) {
  int rows = 0, rc;
  long long sum = 0;
  sqlite3_reset(st);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    rows++;
    sum += sqlite3_column_int64(st, 0);
  }
  printf("%s: rc %d, %d rows, sum %lld, fullscan steps %d, autoindex %d, sorts %d\n", label, rc, rows, sum,
         sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0),
         sqlite3_stmt_status(st, SQLITE_STMTSTATUS_AUTOINDEX, 0), sqlite3_stmt_status(st, SQLITE_STMTSTATUS_SORT, 0));
}

int main(void) {
  sqlite3 *db;
  sqlite3_stmt *join, *ins;
  sqlite3_open(":memory:", &db);
  exec(db, "CREATE TABLE t1(a, b); CREATE TABLE t2(c, d);"
           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8)"
           "  INSERT INTO t1 SELECT i, 11 * i FROM n;"
           "INSERT INTO t2 SELECT a, 900 + b FROM t1;"
           "PRAGMA automatic_index = OFF");
  sqlite3_prepare_v2(db, "SELECT b, d FROM t1 JOIN t2 ON a = c ORDER BY b", -1, &join, NULL);
  run(join, "off");
  run(join, "off again");
  exec(db, "PRAGMA automatic_index = ON");
  run(join, "on");
  exec(db, "PRAGMA automatic_index = OFF");
  run(join, "off once more");
  sqlite3_prepare_v2(db, "INSERT INTO t2 VALUES (1, 2)", -1, &ins, NULL);
  run(ins, "insert");
  exec(db, "PRAGMA count_changes = ON");
  run(ins, "insert with count_changes");
  printf("columns now %d\n", sqlite3_column_count(ins));
  sqlite3_finalize(ins);
  sqlite3_finalize(join);
  sqlite3_close(db);
  return 0;
}
