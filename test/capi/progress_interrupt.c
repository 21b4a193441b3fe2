/*
** progress_interrupt.c — a progress handler that stops a statement which
** writes, inside BEGIN … COMMIT, rolls the whole transaction back (as
** sqlite3_interrupt's documentation promises); one that stops a read-only
** statement leaves the transaction alone.  The handler is called for every
** N instructions run: with N = 1, at least once per row of a scan.
*/
#include <sqlite3.h>
#include <stdio.h>

static int calls;
static int stop_now(void *arg) {
  (void)arg;
  calls++;
  return 1;
}
static int budget(void *arg) {
  (void)arg;
  return ++calls > 1000;
}
static int count_only(void *arg) {
  (void)arg;
  calls++;
  return 0;
}

static void no_update(void *arg, int op, const char *dbname, const char *table, sqlite3_int64 rowid) {
  (void)arg, (void)op, (void)dbname, (void)table, (void)rowid;
}

static void run(sqlite3 *db, const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  printf("%s: [%d%s%s]", sql, rc, err ? " " : "", err ? err : "");
  printf(" autocommit=%d\n", sqlite3_get_autocommit(db));
  sqlite3_free(err);
}

static void count(sqlite3 *db) {
  sqlite3_stmt *st = NULL;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM t1", -1, &st, NULL);
  if (sqlite3_step(st) == SQLITE_ROW) printf("rows: %d\n", sqlite3_column_int(st, 0));
  sqlite3_finalize(st);
}

int main(void) {
  sqlite3 *db = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  run(db, "CREATE TABLE t1(a); INSERT INTO t1 VALUES(1),(2),(3),(4),(5),(6),(7),(8),(9),(10)");
  run(db, "BEGIN");
  run(db, "INSERT INTO t1 VALUES(11)");
  sqlite3_progress_handler(db, 1, stop_now, NULL);
  run(db, "INSERT INTO t1 VALUES(12)");
  sqlite3_progress_handler(db, 0, NULL, NULL);
  run(db, "COMMIT");
  count(db);
  run(db, "BEGIN");
  run(db, "INSERT INTO t1 VALUES(11)");
  sqlite3_progress_handler(db, 1, stop_now, NULL);
  run(db, "SELECT * FROM t1");
  sqlite3_progress_handler(db, 0, NULL, NULL);
  run(db, "COMMIT");
  count(db);
  calls = 0;
  sqlite3_progress_handler(db, 1, count_only, NULL);
  run(db, "SELECT * FROM t1");
  sqlite3_progress_handler(db, 0, NULL, NULL);
  printf("called at least once per row: %s\n", calls >= 11 ? "yes" : "no");
  /* A recursive CTE without end is stopped too: its queue's loop checks. */
  calls = 0;
  sqlite3_progress_handler(db, 100, budget, NULL);
  run(db, "WITH RECURSIVE c(x) AS (VALUES (0) UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c");
  run(db, "WITH RECURSIVE c(x) AS (VALUES (0) UNION ALL SELECT x + 1 FROM c LIMIT 0) SELECT x FROM c, (SELECT 1) LIMIT 1");
  sqlite3_progress_handler(db, 0, NULL, NULL);
  printf("stopped by the handler: %s\n", calls > 1000 ? "yes" : "no");
  /* Removed, a handler is not called again, also while another hook is set. */
  calls = 0;
  sqlite3_update_hook(db, no_update, NULL);
  sqlite3_progress_handler(db, 1, count_only, NULL);
  sqlite3_progress_handler(db, 0, NULL, NULL);
  run(db, "SELECT * FROM t1, t1 AS b");
  printf("removed handler called: %d times\n", calls);
  sqlite3_progress_handler(db, 2, count_only, NULL);
  run(db, "SELECT * FROM t1, t1 AS b");
  printf("handler set again called: %s\n", calls > 0 ? "yes" : "no");
  sqlite3_progress_handler(db, 0, NULL, NULL);
  sqlite3_update_hook(db, NULL, NULL);
  sqlite3_close(db);
  return 0;
}
