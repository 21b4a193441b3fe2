/*
** test_single_write.c — a single-row INSERT inside a transaction runs
** without a statement savepoint (as SQLite's runs without a statement
** journal).  Its failures must still change all or nothing: a constraint or
** type error is found before its first write and leaves the transaction as it
** was; an allocation failure after its first write rolls the whole
** transaction back.  Never half a row (a table row without its index entry).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"
#include "util/util.h"

static lode *setup(void) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c); CREATE INDEX tc ON t(c);"
                         "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 60)"
                         " INSERT INTO t SELECT i, 'b' || i, zeroblob(300) FROM r;"),
               "");
  return db;
}

TEST(single_row_insert_errors_leave_the_transaction_as_it_was) {
  lode *db = setup();
  CHECK_EQ_STR(query(db, "BEGIN; INSERT INTO t VALUES (100, 'x', 1)"), "");
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (101, 'x', 2)"), "ERROR 2067: UNIQUE constraint failed: t.b");
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (100, 'y', 2)"), "ERROR 1555: UNIQUE constraint failed: t.a");
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES ('abc', 'z', 2)"), "ERROR 20: datatype mismatch");
  CHECK_EQ_INT(lode_get_autocommit(db), 0);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t; COMMIT; PRAGMA integrity_check"), "61\nok\n");
  lode_close(db);
}

TEST(an_allocation_failure_after_the_first_write_rolls_the_transaction_back) {
  int rolled_back = 0, kept = 0, done = 0;
  for (int n = 1; n < 400 && !done; n++) {
    lode *db = setup();
    lode_stmt *st = NULL;
    CHECK_EQ_STR(query(db, "BEGIN; INSERT INTO t VALUES (100, 'x', zeroblob(300))"), "");
    CHECK_EQ_INT(lode_prepare(db, "INSERT INTO t VALUES (200, 'big', zeroblob(3000))", -1, &st, NULL), LODE_OK);
    util_fail_alloc_after(n, 0);
    int rc = lode_step(st);
    util_fail_alloc_after(0, 0);
    lode_finalize(st);
    const char *count =
        query(db, "SELECT count(*), count(b), (SELECT count(*) FROM t INDEXED BY tc WHERE c >= x'') FROM t");
    if (rc == LODE_DONE) {
      CHECK_EQ_STR(count, "62|62|62\n");
      done = 1;
    } else if (lode_get_autocommit(db)) {
      CHECK_EQ_STR(count, "60|60|60\n"); /* the whole transaction undone */
      rolled_back++;
    } else {
      CHECK_EQ_STR(count, "61|61|61\n"); /* nothing of the failed row */
      kept++;
    }
    const char *want = lode_get_autocommit(db) ? "ERROR 1: cannot commit - no transaction is active" : "";
    CHECK_EQ_STR(query(db, "COMMIT"), want);
    CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
    lode_close(db);
  }
  CHECK(done);
  CHECK(kept > 0); /* failures before the first write keep the transaction */
  printf("     (%d failures kept the transaction, %d rolled it back)\n", kept, rolled_back);
}

int main(void) {
  RUN(single_row_insert_errors_leave_the_transaction_as_it_was);
  RUN(an_allocation_failure_after_the_first_write_rolls_the_transaction_back);
  return test_summary();
}
