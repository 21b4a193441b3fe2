/*
** commit_under_writer.c — COMMIT (or END) while a write statement of the
** connection is still stepping (an INSERT, UPDATE or DELETE … RETURNING
** after its first row) fails with SQLITE_BUSY, "cannot commit transaction -
** SQL statements in progress", and the transaction stays open; the writer
** then runs to its end and a later COMMIT succeeds.  RELEASE of the
** outermost savepoint fails the same way ("cannot release savepoint"), and
** ROLLBACK ends the transaction under it.
*/
#include <sqlite3.h>
#include <stdio.h>

static sqlite3 *db;

static void ex(const char *sql) {
  int rc = sqlite3_exec(db, sql, 0, 0, 0);
  printf("  %s: %d (%d) %s, autocommit %d\n", sql, rc, sqlite3_extended_errcode(db), rc ? sqlite3_errmsg(db) : "",
         sqlite3_get_autocommit(db));
}

int main(void) {
  const char *begins[] = {"BEGIN", "SAVEPOINT sp", 0};
  const char *ends[] = {"COMMIT", "END", "RELEASE sp", "ROLLBACK", 0};
  const char *writers[] = {"INSERT INTO t SELECT x + 10 FROM t RETURNING x", "UPDATE t SET x = x + 1 RETURNING x",
                           "DELETE FROM t WHERE x > 2 RETURNING x", 0};
  for (int b = 0; begins[b]; b++)
    for (int e = 0; ends[e]; e++)
      for (int w = 0; writers[w]; w++) {
        sqlite3_stmt *s, *c;
        int rc, n = 0;
        sqlite3_open(":memory:", &db);
        sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3), (4), (5)", 0, 0, 0);
        printf("%s; %s; %s\n", begins[b], writers[w], ends[e]);
        ex(begins[b]);
        sqlite3_prepare_v2(db, writers[w], -1, &s, 0);
        printf("  first step: %d\n", sqlite3_step(s));
        ex(ends[e]);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) n++;
        printf("  writer: %d more rows, then %d; finalize %d\n", n, rc, sqlite3_finalize(s));
        sqlite3_prepare_v2(db, "SELECT count(*), sum(x) FROM t", -1, &c, 0);
        sqlite3_step(c);
        printf("  rows %d sum %d, autocommit %d\n", sqlite3_column_int(c, 0), sqlite3_column_int(c, 1),
               sqlite3_get_autocommit(db));
        sqlite3_finalize(c);
        ex("COMMIT");
        sqlite3_close(db);
      }
  return 0;
}
