/*
** test_single_write.c — a single-row INSERT inside a transaction runs
** without a statement savepoint (as SQLite's runs without a statement
** journal).  Its failures must still change all or nothing: a constraint or
** type error is found before its first write and leaves the transaction as it
** was; an allocation failure after its first write rolls the whole
** transaction back.  Never half a row (a table row without its index entry).
** The same holds for a multi-row UPDATE or DELETE that cannot fail half-way
** (no constraint it could violate, no function, trigger or foreign key): it
** too runs without one, as in SQLite (a statement journal only for a
** statement that writes several rows and may abort); one that can fail
** half-way keeps its savepoint and undoes only its own rows.
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

/* Runs sql (after one row more in an open transaction) with the n-th
** allocation failing, for n = 1, 2, ... until it succeeds (then the table
** holds done_rows rows): each failure leaves the table whole, either with the
** transaction rolled back (60 rows) or kept without any of the statement's
** changes (61).  Counts the two kinds in *kept and *rolled_back. */
static void fail_each_allocation(const char *sql, const char *done_rows, int tries, int *kept, int *rolled_back) {
  int done = 0;
  for (int n = 1; n < tries && !done; n++) {
    lode *db = setup();
    lode_stmt *st = NULL;
    CHECK_EQ_STR(query(db, "BEGIN; INSERT INTO t VALUES (100, 'x', zeroblob(300))"), "");
    CHECK_EQ_INT(lode_prepare(db, sql, -1, &st, NULL), LODE_OK);
    util_fail_alloc_after(n, 0);
    int rc = lode_step(st);
    util_fail_alloc_after(0, 0);
    lode_finalize(st);
    const char *count =
        query(db, "SELECT count(*), count(b), (SELECT count(*) FROM t INDEXED BY tc WHERE c >= x'') FROM t");
    if (rc == LODE_DONE) {
      CHECK_EQ_STR(count, done_rows);
      done = 1;
    } else if (lode_get_autocommit(db)) {
      CHECK_EQ_STR(count, "60|60|60\n"); /* the whole transaction undone */
      (*rolled_back)++;
    } else {
      CHECK_EQ_STR(count, "61|61|61\n"); /* nothing of the failed statement */
      (*kept)++;
    }
    const char *want = lode_get_autocommit(db) ? "ERROR 1: cannot commit - no transaction is active" : "";
    CHECK_EQ_STR(query(db, "COMMIT"), want);
    CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
    lode_close(db);
  }
  CHECK(done);
  printf("     (%d failures kept the transaction, %d rolled it back)\n", *kept, *rolled_back);
}

TEST(an_allocation_failure_after_the_first_write_rolls_the_transaction_back) {
  int kept = 0, rolled_back = 0;
  fail_each_allocation("INSERT INTO t VALUES (200, 'big', zeroblob(3000))", "62|62|62\n", 400, &kept, &rolled_back);
  CHECK(kept > 0); /* failures before the first write keep the transaction */
}

/* p2 of the program's first Transaction: 1 = with a statement savepoint,
** 2 = without. */
static int txn_p2(lode *db, const char *sql) {
  char buf[512];
  lode_stmt *st = NULL;
  int p2 = -1;
  snprintf(buf, sizeof buf, "EXPLAIN %s", sql);
  CHECK_EQ_INT(lode_prepare(db, buf, -1, &st, NULL), LODE_OK);
  while (p2 < 0 && lode_step(st) == LODE_ROW)
    if (strcmp((const char *)lode_column_text(st, 1), "Transaction") == 0) p2 = lode_column_int(st, 3);
  lode_finalize(st);
  return p2;
}

TEST(multi_row_writes_that_cannot_fail_half_way_take_no_statement_savepoint) {
  lode *db = setup();
  CHECK_EQ_STR(query(db, "CREATE TABLE u(x, y NOT NULL CHECK (y > 0)); CREATE TABLE v(x)"), "");
  CHECK_EQ_INT(txn_p2(db, "DELETE FROM t WHERE a > 5"), 2);
  CHECK_EQ_INT(txn_p2(db, "DELETE FROM t WHERE c IS NOT NULL"), 2);
  CHECK_EQ_INT(txn_p2(db, "UPDATE t SET c = c + 1 WHERE a BETWEEN ?1 AND ?2"), 2);
  CHECK_EQ_INT(txn_p2(db, "UPDATE v SET x = x * 2 WHERE x > 3"), 2);
  CHECK_EQ_INT(txn_p2(db, "INSERT INTO v SELECT x FROM u"), 2);
  /* Each of these can stop after its first row with an error that leaves the transaction open. */
  CHECK_EQ_INT(txn_p2(db, "UPDATE t SET b = b + 1 WHERE a > 5"), 1);        /* UNIQUE */
  CHECK_EQ_INT(txn_p2(db, "UPDATE u SET y = y - 1"), 1);                    /* NOT NULL, CHECK */
  CHECK_EQ_INT(txn_p2(db, "UPDATE t SET c = abs(c) WHERE a > 5"), 1);       /* a function */
  CHECK_EQ_INT(txn_p2(db, "DELETE FROM t WHERE length(b) > 2"), 1);         /* a function */
  CHECK_EQ_INT(txn_p2(db, "UPDATE t SET a = a + 100 WHERE a > 50"), 1);     /* the rowid */
  CHECK_EQ_INT(txn_p2(db, "INSERT INTO t(b, c) SELECT x, y FROM u"), 1);    /* UNIQUE */
  CHECK_EQ_STR(query(db, "CREATE TRIGGER tr AFTER DELETE ON v BEGIN SELECT 1; END"), "");
  CHECK_EQ_INT(txn_p2(db, "DELETE FROM v WHERE x > 1"), 1);                 /* a trigger */
  CHECK_EQ_STR(query(db, "PRAGMA foreign_keys = ON; CREATE TABLE w(x REFERENCES t(a))"), "");
  CHECK_EQ_INT(txn_p2(db, "DELETE FROM t WHERE a > 5"), 1);                 /* a foreign key */
  lode_close(db);
}

TEST(a_multi_row_update_that_fails_half_way_undoes_only_its_own_rows) {
  lode *db = setup();
  CHECK_EQ_STR(query(db, "BEGIN; INSERT INTO t VALUES (100, 'x', 1); DELETE FROM t WHERE a BETWEEN 50 AND 60"), "");
  /* Rows 1..29 are changed before row 30 meets b10's entry. */
  CHECK_EQ_STR(query(db, "UPDATE t SET b = CASE a WHEN 30 THEN 'b40' ELSE 'z' || a END, c = a"),
               "ERROR 2067: UNIQUE constraint failed: t.b");
  CHECK_EQ_INT(lode_get_autocommit(db), 0);
  CHECK_EQ_STR(query(db, "SELECT count(*), count(DISTINCT c), sum(b GLOB 'z*') FROM t"), "50|2|0\n");
  CHECK_EQ_STR(query(db, "DELETE FROM t WHERE a > 40; COMMIT; SELECT count(*) FROM t; PRAGMA integrity_check"),
               "40\nok\n");
  lode_close(db);
}

TEST(an_allocation_failure_in_a_multi_row_delete_undoes_all_or_nothing) {
  int kept = 0, rolled_back = 0;
  fail_each_allocation("DELETE FROM t WHERE a > 10", "10|10|10\n", 2000, &kept, &rolled_back);
  CHECK(rolled_back > 0);
}

int main(void) {
  RUN(single_row_insert_errors_leave_the_transaction_as_it_was);
  RUN(an_allocation_failure_after_the_first_write_rolls_the_transaction_back);
  RUN(multi_row_writes_that_cannot_fail_half_way_take_no_statement_savepoint);
  RUN(a_multi_row_update_that_fails_half_way_undoes_only_its_own_rows);
  RUN(an_allocation_failure_in_a_multi_row_delete_undoes_all_or_nothing);
  return test_summary();
}
