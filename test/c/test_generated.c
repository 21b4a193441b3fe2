/*
** test_generated.c — generated columns, ALTER TABLE DROP COLUMN and VACUUM
** end to end through the C API (so that the sanitizer build runs their code):
** values computed on write and on read, their indexes, the checks of
** CREATE TABLE, a column dropped from rows on disk, and a database rebuilt
** by VACUUM (in place and INTO a new file) that reads the same afterwards.
** The expected texts are what SQLite 3.53 answers.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"
#include "util/util.h"

TEST(virtual_and_stored_columns_are_computed) {
  lode *db = NULL;
  CHECK(lode_open(":memory:", &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a INT, b AS (c + 1), c AS (a * 2) STORED, d TEXT AS (a || 'x'));"
                         "CREATE INDEX tb ON t(b);"
                         "INSERT INTO t VALUES (1), (5), (NULL);"
                         "UPDATE t SET a = 10 WHERE a = 5;"
                         "SELECT a, b, c, d FROM t ORDER BY rowid"),
               "1|3|2|1x\n10|21|20|10x\n|||\n");
  CHECK_EQ_STR(query(db, "SELECT a FROM t WHERE b = 21"), "10\n");
  CHECK_EQ_STR(query(db, "INSERT INTO t(a, b) VALUES (1, 2)"), "ERROR 1: cannot INSERT into generated column \"b\"");
  CHECK_EQ_STR(query(db, "UPDATE t SET c = 1"), "ERROR 1: cannot UPDATE generated column \"c\"");
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (1, 2)"), "ERROR 1: table t has 1 columns but 2 values were supplied");
  CHECK_EQ_STR(query(db, "PRAGMA table_xinfo(t)"),
               "0|a|INT|0||0|0\n1|b||0||0|2\n2|c||0||0|3\n3|d|TEXT|0||0|2\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_STR(query(db, "CREATE TABLE e(a, b AS (c), c AS (b))"), "ERROR 1: generated column loop on \"c\"");
  CHECK_EQ_STR(query(db, "CREATE TABLE e(a, b AS (random()))"),
               "ERROR 1: non-deterministic functions prohibited in generated columns");
  CHECK_EQ_STR(query(db, "CREATE TABLE e(b AS (1))"), "ERROR 1: must have at least one non-generated column");
  lode_close(db);
}

TEST(drop_column_rewrites_rows) {
  char path_buf[96];
  const char *path = tmp_db_path(path_buf, sizeof path_buf, "generated_drop");
  lode *db = NULL;
  remove_db(path);
  CHECK(lode_open(path, &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b, c, g AS (c * 2));"
                         "CREATE INDEX tc ON t(c);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
                         " INSERT INTO t(a, b, c) SELECT i, randomblob(100), i FROM n;"
                         "ALTER TABLE t DROP COLUMN b;"
                         "ALTER TABLE t DROP COLUMN g;"
                         "SELECT count(*), sum(c) FROM t"),
               "500|125250\n");
  CHECK_EQ_STR(query(db, "ALTER TABLE t DROP COLUMN c"), "ERROR 1: error in index tc after drop column: no such column: c");
  CHECK_EQ_STR(query(db, "ALTER TABLE t DROP COLUMN a"), "ERROR 1: cannot drop PRIMARY KEY column: \"a\"");
  lode_close(db);
  db = NULL;
  CHECK(lode_open(path, &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT sql FROM sqlite_schema WHERE name = 't'"), "CREATE TABLE t(a INTEGER PRIMARY KEY, c)\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_STR(query(db, "SELECT * FROM t WHERE c = 250"), "250|250\n");
  lode_close(db);
  remove_db(path);
}

TEST(vacuum_rebuilds_the_database) {
  char path_buf[96];
  const char *path = tmp_db_path(path_buf, sizeof path_buf, "generated_vacuum");
  char copy_buf[96];
  const char *copy = tmp_db_path(copy_buf, sizeof copy_buf, "generated_vacuum_copy");
  lode *db = NULL;
  remove_db(path);
  remove_db(copy);
  CHECK(lode_open(path, &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b, s AS (length(b)) STORED);"
                         "CREATE INDEX ts ON t(s, a);"
                         "CREATE TABLE w(k PRIMARY KEY, v) WITHOUT ROWID;"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                         " INSERT INTO t(a, b) SELECT i, randomblob(i % 200) FROM n;"
                         "INSERT INTO w SELECT a, s FROM t WHERE a % 7 = 0;"
                         "PRAGMA user_version = 5;"
                         "DELETE FROM t WHERE a % 3 != 0;"),
               "");
  CHECK(query_int(db, "PRAGMA freelist_count") > 0);
  int64_t pages = query_int(db, "PRAGMA page_count");
  int64_t version = query_int(db, "PRAGMA schema_version");
  CHECK_EQ_STR(query(db, "VACUUM"), "");
  CHECK(query_int(db, "PRAGMA page_count") < pages);
  CHECK(query_int(db, "PRAGMA schema_version") == version + 1);
  CHECK_EQ_STR(query(db, "PRAGMA freelist_count; PRAGMA user_version; PRAGMA integrity_check;"
                         "SELECT count(*), sum(a), sum(s) FROM t; SELECT count(*), sum(v) FROM w"),
               "0\n5\nok\n666|666333|66336\n285|28486\n");
  CHECK_EQ_STR(query(db, "BEGIN; VACUUM"), "ERROR 1: cannot VACUUM from within a transaction");
  CHECK_EQ_STR(query(db, "COMMIT"), "");
  lode_stmt *reading = NULL;
  CHECK(lode_prepare(db, "SELECT a FROM t", -1, &reading, NULL) == LODE_OK);
  CHECK(lode_step(reading) == LODE_ROW);
  CHECK_EQ_STR(query(db, "VACUUM"), "ERROR 1: cannot VACUUM - SQL statements in progress");
  lode_finalize(reading);
  char sql[200];
  snprintf(sql, sizeof sql, "VACUUM INTO '%s'", copy);
  CHECK_EQ_STR(query(db, sql), "");
  CHECK_EQ_STR(query(db, sql), "ERROR 1: output file already exists");
  lode_close(db);
  db = NULL;
  CHECK(lode_open(copy, &db) == LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check; SELECT count(*), sum(a), sum(s) FROM t; PRAGMA user_version"),
               "ok\n666|666333|66336\n5\n");
  lode_close(db);
  remove_db(path);
  remove_db(copy);
}

/* Each statement, with the n-th allocation and every later one failing, for
** n = 1, 2, … until it succeeds: it fails with LODE_NOMEM and leaves the
** database as it was (integrity_check ok, the rows unchanged), never
** crashing.  The sanitizer build also finds what a failure path leaks. */
TEST(allocation_failures_change_nothing) {
  static const char *const setup =
      "CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b TEXT, v AS (a * 2), s AS (b || a) STORED, c);"
      "CREATE INDEX tv ON t(v);"
      "CREATE TABLE w(k PRIMARY KEY, x, y) WITHOUT ROWID;"
      "CREATE VIEW vw AS SELECT a, v FROM t;"
      "INSERT INTO t(a, b, c) VALUES (1, 'x', 1), (2, 'y', 2), (3, 'z', 3);"
      "INSERT INTO w VALUES (1, 2, 3), (4, 5, 6);"
      "DELETE FROM t WHERE a = 2;";
  char oom_db[96], vacuum_into[160];
  tmp_db_path(oom_db, sizeof oom_db, "generated_oom");
  snprintf(vacuum_into, sizeof vacuum_into, "VACUUM INTO '%s'", oom_db);
  const char *const statements[] = {
      "CREATE TABLE g(a, b AS (a * 2), c AS (b + 1) STORED, d AS (upper(a)))",
      "INSERT INTO t(a, b) VALUES (5, 'q'), (6, 'r')",
      "UPDATE t SET a = a + 10",
      "SELECT v, s FROM t WHERE v > 1",
      "ALTER TABLE t DROP COLUMN c",
      "ALTER TABLE w DROP COLUMN y",
      "ALTER TABLE t ADD COLUMN e AS (a + 1)",
      "VACUUM",
      vacuum_into,
  };
  const char *check = "PRAGMA integrity_check; SELECT id, a, b, v, s FROM t; SELECT * FROM w";
  for (size_t i = 0; i < sizeof statements / sizeof statements[0]; i++) {
    int rc = LODE_NOMEM, n;
    for (n = 1; n < 5000 && rc == LODE_NOMEM; n++) {
      lode *db = NULL;
      char *err = NULL;
      remove_db(oom_db);
      CHECK(lode_open(":memory:", &db) == LODE_OK);
      CHECK(lode_exec(db, setup, NULL) == LODE_OK);
      char before[2000];
      snprintf(before, sizeof before, "%s", query(db, check));
      util_fail_alloc_after(n, 1);
      rc = lode_exec(db, statements[i], &err);
      util_fail_alloc_after(0, 0);
      if (rc != LODE_OK && rc != LODE_NOMEM) TEST_FAIL_("%s: rc %d (%s) at failure %d", statements[i], rc, err, n);
      if (rc == LODE_NOMEM && strcmp(query(db, check), before) != 0)
        TEST_FAIL_("%s: failure %d changed the database", statements[i], n);
      lode_free(err);
      lode_close(db);
    }
    CHECK_EQ_INT(rc, LODE_OK);
    CHECK(n > 3); /* the statement allocates: the early failures were tried */
  }
  remove_db(oom_db);
}

int main(void) {
  RUN(virtual_and_stored_columns_are_computed);
  RUN(drop_column_rewrites_rows);
  RUN(vacuum_rebuilds_the_database);
  RUN(allocation_failures_change_nothing);
  return test_summary();
}
