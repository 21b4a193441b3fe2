/*
** window_calls.c — the order in which a user aggregate used as a window
** function is called (xStep, xInverse, xValue, xFinal) relative to the rows
** the statement returns.  A query returns each row once its frame is known
** and asks xValue for that row's value just before, so the calls of later
** rows come after earlier rows are returned, and a LIMIT stops the calls.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* sumint(x): the sum of the integers stepped in, with an inverse; every
** call is printed. */
static void w_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  sqlite3_int64 *sum = sqlite3_aggregate_context(ctx, sizeof *sum);
  (void)argc;
  if (!sum) return;
  *sum += sqlite3_value_int64(argv[0]);
  printf("  step(%lld)\n", (long long)sqlite3_value_int64(argv[0]));
}

static void w_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  sqlite3_int64 *sum = sqlite3_aggregate_context(ctx, sizeof *sum);
  (void)argc;
  if (!sum) return;
  *sum -= sqlite3_value_int64(argv[0]);
  printf("  inverse(%lld)\n", (long long)sqlite3_value_int64(argv[0]));
}

static void w_value(sqlite3_context *ctx) {
  sqlite3_int64 *sum = sqlite3_aggregate_context(ctx, sizeof *sum);
  printf("  value=%lld\n", sum ? (long long)*sum : 0LL);
  sqlite3_result_int64(ctx, sum ? *sum : 0);
}

static void w_final(sqlite3_context *ctx) {
  sqlite3_int64 *sum = sqlite3_aggregate_context(ctx, 0);
  printf("  final=%lld\n", sum ? (long long)*sum : 0LL);
  sqlite3_result_int64(ctx, sum ? *sum : 0);
}

static void run(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st;
  printf("%s\n", sql);
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    printf("  prepare: %s\n", sqlite3_errmsg(db));
    return;
  }
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    printf("  row");
    for (int i = 0; i < sqlite3_column_count(st); i++) printf(" %s", (const char *)sqlite3_column_text(st, i));
    printf("\n");
  }
  if (rc != SQLITE_DONE) printf("  error: %s\n", sqlite3_errmsg(db));
  sqlite3_finalize(st);
}

int main(void) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  sqlite3_create_window_function(db, "sumint", 1, SQLITE_UTF8, NULL, w_step, w_final, w_value, w_inverse, NULL);
  sqlite3_exec(db,
               "CREATE TABLE t(p, x);"
               "INSERT INTO t VALUES (1, 1), (1, 2), (1, 3), (2, 4), (2, 5), (2, 6);",
               NULL, NULL, NULL);
  /* A running sum: each row's value is known once it is stepped in. */
  run(db, "SELECT x, sumint(x) OVER (ORDER BY x ROWS UNBOUNDED PRECEDING) FROM t");
  /* A sliding frame that looks one row ahead and drops rows behind it. */
  run(db, "SELECT x, sumint(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t");
  /* Per partition: each partition starts with a fresh state. */
  run(db, "SELECT p, x, sumint(x) OVER (PARTITION BY p ORDER BY x ROWS UNBOUNDED PRECEDING) FROM t");
  /* A LIMIT stops the calls with the rows. */
  run(db, "SELECT x, sumint(x) OVER (ORDER BY x ROWS UNBOUNDED PRECEDING) FROM t LIMIT 2");
  run(db, "SELECT p, x, sumint(x) OVER (PARTITION BY p ORDER BY x ROWS UNBOUNDED PRECEDING) FROM t LIMIT 2");
  run(db, "SELECT x, sumint(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t LIMIT 3");
  sqlite3_close(db);
  return 0;
}
