/*
** exec_txn_statements.c — sqlite3_exec of "BEGIN" / "COMMIT" / "ROLLBACK"
** run many times behaves as a fresh compile each time would: across schema
** changes, with errors (the message each time), with the authorizer and the
** statement trace hearing of every run, under a lowered SQL length limit, and
** without leaving a statement that sqlite3_next_stmt shows or that keeps
** sqlite3_close from closing.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static int auth_calls, trace_calls;

static int count_transactions(void *arg, int action, const char *a, const char *b, const char *c, const char *d) {
  (void)arg, (void)a, (void)b, (void)c, (void)d;
  if (action == SQLITE_TRANSACTION) auth_calls++;
  return SQLITE_OK;
}

static int count_traces(unsigned mask, void *arg, void *p, void *x) {
  (void)arg, (void)p;
  if (mask == SQLITE_TRACE_STMT && strncmp((const char *)x, "BEGIN", 5) == 0) trace_calls++;
  return 0;
}

static void ex(sqlite3 *db, const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  printf("%-40s rc=%d autocommit=%d%s%s\n", sql, rc, sqlite3_get_autocommit(db), err ? " " : "", err ? err : "");
  sqlite3_free(err);
}

static void count(sqlite3 *db) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db, "SELECT count(*), coalesce(sum(x), 0) FROM t", -1, &s, NULL) != SQLITE_OK) {
    printf("count: %s\n", sqlite3_errmsg(db));
    return;
  }
  if (sqlite3_step(s) == SQLITE_ROW) printf("rows %d sum %d\n", sqlite3_column_int(s, 0), sqlite3_column_int(s, 1));
  sqlite3_finalize(s);
}

int main(void) {
  sqlite3 *db;
  if (sqlite3_open("exec_txn.db", &db) != SQLITE_OK) return 1;
  ex(db, "CREATE TABLE t(x)");
  /* the same texts again and again, with the schema changing between runs */
  for (int i = 0; i < 3; i++) {
    ex(db, "BEGIN");
    ex(db, "INSERT INTO t VALUES (1)");
    ex(db, "COMMIT");
    ex(db, "BEGIN IMMEDIATE");
    ex(db, "INSERT INTO t VALUES (10)");
    ex(db, "ROLLBACK");
    if (i == 0) ex(db, "CREATE INDEX tx ON t(x)");
    if (i == 1) ex(db, "ALTER TABLE t ADD COLUMN y");
  }
  count(db);
  /* errors, each run */
  ex(db, "COMMIT");
  ex(db, "COMMIT");
  ex(db, "BEGIN");
  ex(db, "BEGIN");
  ex(db, "ROLLBACK");
  ex(db, "ROLLBACK");
  /* nothing left behind between runs */
  ex(db, "BEGIN");
  printf("next_stmt inside: %s\n", sqlite3_next_stmt(db, NULL) ? "a statement" : "none");
  ex(db, "COMMIT");
  printf("next_stmt after: %s\n", sqlite3_next_stmt(db, NULL) ? "a statement" : "none");
  /* the authorizer and the trace hear of every run */
  sqlite3_set_authorizer(db, count_transactions, NULL);
  for (int i = 0; i < 3; i++) {
    ex(db, "BEGIN");
    ex(db, "COMMIT");
  }
  sqlite3_set_authorizer(db, NULL, NULL);
  printf("authorizer SQLITE_TRANSACTION calls: %d\n", auth_calls);
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT, count_traces, NULL);
  for (int i = 0; i < 3; i++) {
    ex(db, "BEGIN");
    ex(db, "COMMIT");
  }
  sqlite3_trace_v2(db, 0, NULL, NULL);
  printf("traced BEGIN runs: %d\n", trace_calls);
  /* a lowered length limit refuses a text it let through before */
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 3);
  ex(db, "BEGIN");
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1000000);
  ex(db, "BEGIN");
  ex(db, "COMMIT");
  /* the table the programs were compiled against goes away */
  ex(db, "DROP TABLE t");
  ex(db, "BEGIN");
  ex(db, "CREATE TABLE t(x)");
  ex(db, "INSERT INTO t VALUES (5)");
  ex(db, "COMMIT");
  count(db);
  printf("close: %d\n", sqlite3_close(db));
  return 0;
}
