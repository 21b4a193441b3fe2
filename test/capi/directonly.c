/*
** directonly.c — functions registered with SQLITE_DIRECTONLY: callable from
** top-level SQL (CTEs and subqueries included) but refused with "unsafe use
** of f()" from the code a persistent schema holds — views (also through a
** TEMP view), triggers, CHECK, DEFAULT, generated columns, index expressions
** and partial index conditions — while TEMP views, triggers and tables may
** call them.  (A CHECK calling one fails CREATE TABLE in SQLite 3.53 but
** only the INSERT in 3.40, the oracle here: the JS tests check it against
** 3.53.)  Aggregates and window uses are checked alike.  A function
** registered without the flag runs everywhere.
*/
#include <sqlite3.h>
#include <stdio.h>

static void fn_same(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  sqlite3_result_value(ctx, argv[0]);
}

static void agg_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  sqlite3_int64 *acc = sqlite3_aggregate_context(ctx, sizeof *acc);
  if (acc) *acc += sqlite3_value_int64(argv[0]);
}

static void agg_final(sqlite3_context *ctx) {
  sqlite3_int64 *acc = sqlite3_aggregate_context(ctx, 0);
  sqlite3_result_int64(ctx, acc ? *acc : 0);
}

static int print_row(void *arg, int n, char **vals, char **names) {
  (void)arg;
  (void)names;
  printf("  row:");
  for (int i = 0; i < n; i++) printf(" %s", vals[i] ? vals[i] : "NULL");
  printf("\n");
  return 0;
}

static void run(sqlite3 *db, const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, print_row, NULL, &err);
  printf("%s -> %d%s%s\n", sql, rc, err ? " " : "", err ? err : "");
  sqlite3_free(err);
}

int main(void) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  printf("create d: %d\n", sqlite3_create_function(db, "d", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, fn_same, NULL, NULL));
  printf("create dd: %d\n", sqlite3_create_function(db, "dd", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY | SQLITE_DETERMINISTIC,
                                                    NULL, fn_same, NULL, NULL));
  printf("create dsum: %d\n",
         sqlite3_create_function(db, "dsum", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, NULL, agg_step, agg_final));
  printf("create plain: %d\n", sqlite3_create_function(db, "plain", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                                       fn_same, NULL, NULL));
  static const char *const script[] = {
      "SELECT d(1), dd(2), (SELECT d(3))",
      "WITH c(x) AS (SELECT d(4)) SELECT x FROM c",
      "CREATE TABLE t(a INTEGER PRIMARY KEY, b)",
      "INSERT INTO t(b) VALUES (1), (2), (3)",
      "SELECT dsum(b), sum(d(b)) FROM t",
      "SELECT dsum(b) OVER (ORDER BY a) FROM t",
      "CREATE VIEW v AS SELECT d(b) AS x FROM t",
      "SELECT * FROM v",
      "CREATE VIEW va AS SELECT dsum(b) FROM t",
      "SELECT * FROM va",
      "CREATE VIEW vw AS SELECT count(*) OVER (ORDER BY d(a)) FROM t",
      "SELECT * FROM vw",
      "CREATE VIEW vp AS SELECT plain(b) FROM t",
      "SELECT * FROM vp",
      "CREATE TEMP VIEW tv AS SELECT d(b) AS x FROM t",
      "SELECT * FROM tv",
      "CREATE TEMP VIEW tv2 AS SELECT * FROM v",
      "SELECT * FROM tv2",
      "CREATE TABLE log(x)",
      "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (d(new.b)); END",
      "INSERT INTO t(b) VALUES (4)",
      "SELECT count(*) FROM t",
      "DROP TRIGGER tr",
      "CREATE TEMP TRIGGER ttr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (d(new.b)); END",
      "INSERT INTO t(b) VALUES (5)",
      "SELECT * FROM log",
      "CREATE TABLE c2(a, CHECK (plain(a) > 0))",
      "INSERT INTO c2 VALUES (1)",
      "CREATE TABLE g1(a, b AS (dd(a)))",
      "CREATE TABLE g2(a, b AS (dd(a)) STORED)",
      "CREATE TABLE df(a DEFAULT (d(7)), b)",
      "INSERT INTO df(b) VALUES (1)",
      "INSERT INTO df VALUES (2, 2)",
      "SELECT * FROM df",
      "CREATE INDEX i1 ON t(dd(b))",
      "CREATE INDEX i2 ON t(b) WHERE dd(b) > 0",
      "CREATE INDEX i3 ON t(plain(b))",
      "SELECT count(*) FROM t WHERE plain(b) > 1",
      "CREATE TEMP TABLE tt(a CHECK (d(a) > 0), b DEFAULT (d(9)), c AS (dd(a)))",
      "INSERT INTO tt(a) VALUES (3)",
      "SELECT * FROM tt",
      "CREATE INDEX temp.ti ON tt(dd(a))",
      "SELECT count(*) FROM tt WHERE dd(a) = 3",
      NULL,
  };
  for (int i = 0; script[i]; i++) run(db, script[i]);
  sqlite3_close(db);
  return 0;
}
