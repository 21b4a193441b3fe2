/*
** test_directonly.c — LODE_DIRECTONLY functions: top-level SQL may call
** them; a persistent schema's code (views, triggers, CHECK, DEFAULT,
** generated columns, index expressions) may not ("unsafe use of f()"), TEMP
** objects may; a refused statement changes nothing.  The same function
** without the flag runs everywhere.
*/
#include <string.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"

static void same(lode_context *ctx, int argc, lode_value **argv) {
  (void)argc;
  lode_result_int64(ctx, lode_value_int64(argv[0]));
}

static void sum_step(lode_context *ctx, int argc, lode_value **argv) {
  (void)argc;
  lode_int64 *acc = lode_aggregate_context(ctx, sizeof *acc);
  if (acc) *acc += lode_value_int64(argv[0]);
}

static void sum_final(lode_context *ctx) {
  lode_int64 *acc = lode_aggregate_context(ctx, 0);
  lode_result_int64(ctx, acc ? *acc : 0);
}

static int run(lode *db, const char *sql) { return lode_exec(db, sql, NULL); }

static int refused(lode *db, const char *sql, const char *msg) {
  return run(db, sql) == LODE_ERROR && strcmp(lode_errmsg(db), msg) == 0;
}

TEST(direct_only_functions_stay_out_of_schema_code) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_INT(lode_create_function(db, "d", 1, LODE_DIRECTONLY | LODE_DETERMINISTIC, NULL, same, NULL, NULL, NULL,
                                    NULL, NULL),
               LODE_OK);
  CHECK_EQ_INT(lode_create_function(db, "ds", 1, LODE_DIRECTONLY, NULL, NULL, sum_step, sum_final, NULL, NULL, NULL),
               LODE_OK);
  CHECK_EQ_INT(run(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1), (2); CREATE TABLE log(x)"), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT d(5) + (SELECT ds(a) FROM t)"), 8);
  CHECK_EQ_INT(query_int(db, "WITH c(x) AS (SELECT d(a) FROM t) SELECT sum(x) FROM c"), 3);

  CHECK_EQ_INT(run(db, "CREATE VIEW v AS SELECT d(a) FROM t; CREATE VIEW va AS SELECT ds(a) FROM t"), LODE_OK);
  CHECK(refused(db, "SELECT * FROM v", "unsafe use of d()"));
  CHECK(refused(db, "SELECT * FROM va", "unsafe use of ds()"));
  CHECK_EQ_INT(run(db, "CREATE TEMP VIEW tv AS SELECT d(a) FROM t; CREATE TEMP VIEW tw AS SELECT * FROM v"), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM tv"), 2);
  CHECK(refused(db, "SELECT * FROM tw", "unsafe use of d()"));

  CHECK_EQ_INT(run(db, "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (d(new.a)); END"), LODE_OK);
  CHECK(refused(db, "INSERT INTO t VALUES (3)", "unsafe use of d()"));
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 2); /* the failed statement changed nothing */
  CHECK_EQ_INT(run(db, "DROP TRIGGER tr; CREATE TEMP TRIGGER tt AFTER INSERT ON t BEGIN INSERT INTO log VALUES "
                       "(d(new.a)); END; INSERT INTO t VALUES (3)"),
               LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT sum(x) FROM log"), 3);

  CHECK(refused(db, "CREATE TABLE c(a CHECK (d(a) > 0))", "unsafe use of d()"));
  CHECK(refused(db, "CREATE TABLE g(a, b AS (d(a)))", "unsafe use of d()"));
  CHECK(refused(db, "CREATE INDEX i ON t(d(a))", "unsafe use of d()"));
  CHECK(refused(db, "CREATE INDEX i ON t(a) WHERE d(a) > 0", "unsafe use of d()"));
  CHECK_EQ_INT(run(db, "CREATE TABLE df(a DEFAULT (d(7)), b)"), LODE_OK);
  CHECK(refused(db, "INSERT INTO df(b) VALUES (1)", "unsafe use of d()"));
  CHECK_EQ_INT(run(db, "INSERT INTO df VALUES (1, 1)"), LODE_OK);
  CHECK_EQ_INT(run(db, "CREATE TEMP TABLE x(a CHECK (d(a) > 0), b DEFAULT (d(9)), c AS (d(a)));"
                       "CREATE INDEX temp.xi ON x(d(a)); INSERT INTO x(a) VALUES (4)"),
               LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT b + c FROM x"), 13);

  /* Registered again without the flag, the same name runs in the schema. */
  CHECK_EQ_INT(lode_create_function(db, "d", 1, LODE_DETERMINISTIC, NULL, same, NULL, NULL, NULL, NULL, NULL), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM v"), 3);
  CHECK_EQ_INT(run(db, "CREATE INDEX i ON t(d(a))"), LODE_OK);
  lode_close(db);
}

/* ALTER compiles views and triggers only to find and check names: the
** direct-only calls they hold do not refuse it, and still refuse running. */
TEST(alter_passes_views_and_triggers_calling_direct_only_functions) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_INT(lode_create_function(db, "d", 1, LODE_DIRECTONLY, NULL, same, NULL, NULL, NULL, NULL, NULL), LODE_OK);
  CHECK_EQ_INT(run(db, "CREATE TABLE t(a, b, c); CREATE TABLE log(x); CREATE VIEW v AS SELECT d(a) AS x FROM t;"
                       "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (d(new.a)); END"),
               LODE_OK);
  CHECK_EQ_INT(run(db, "ALTER TABLE t RENAME COLUMN a TO aa"), LODE_OK);
  CHECK_EQ_INT(run(db, "ALTER TABLE t RENAME TO u"), LODE_OK);
  CHECK_EQ_INT(run(db, "ALTER TABLE u DROP COLUMN b"), LODE_OK);
  CHECK_EQ_INT(run(db, "ALTER TABLE u ADD COLUMN e"), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%d(aa)%' AND sql LIKE '%\"u\"%'"),
               1);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%d(new.aa)%'"), 1);
  CHECK(refused(db, "SELECT * FROM v", "unsafe use of d()"));
  CHECK(refused(db, "INSERT INTO u VALUES (1, 2, 3)", "unsafe use of d()"));
  lode_close(db);
}

int main(void) {
  RUN(direct_only_functions_stay_out_of_schema_code);
  RUN(alter_passes_views_and_triggers_calling_direct_only_functions);
  return test_summary();
}
