/*
** test_window.c — window functions end to end through the C API: the
** window pass over partitions, peers and frames (the differential suites
** compare many more queries with SQLite; these run under the sanitizers),
** the inverse steps of sliding frames, errors raised by the pass, and
** allocation failures inside the pass and its codegen.
*/
#include <string.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"

static lode *open_with_table(void) {
  lode *db = NULL;
  if (lode_open(":memory:", &db) != LODE_OK) return NULL;
  query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, p TEXT, v INTEGER);"
            "INSERT INTO t VALUES (1,'x',3),(2,'y',1),(3,'x',NULL),(4,'x',3),(5,'y',7),(6,'z',2)");
  return db;
}

TEST(ranking_functions_follow_partitions_and_peers) {
  lode *db = open_with_table();
  CHECK_EQ_STR(query(db, "SELECT id, row_number() OVER w, rank() OVER w, dense_rank() OVER w FROM t "
                         "WINDOW w AS (PARTITION BY p ORDER BY v) ORDER BY id"),
               "1|2|2|2\n2|1|1|1\n3|1|1|1\n4|3|2|2\n5|2|2|2\n6|1|1|1\n");
  CHECK_EQ_STR(query(db, "SELECT id, percent_rank() OVER (ORDER BY v), cume_dist() OVER (ORDER BY v), "
                         "ntile(4) OVER (ORDER BY id) FROM t ORDER BY id"),
               "1|0.6|0.83333333333333337|1\n2|0.2|0.33333333333333332|1\n3|0.0|0.16666666666666666|2\n"
               "4|0.6|0.83333333333333337|2\n5|1.0|1.0|3\n6|0.4|0.5|4\n");
  lode_close(db);
}

TEST(frames_and_offsets) {
  lode *db = open_with_table();
  CHECK_EQ_STR(query(db, "SELECT group_concat(id, '') OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING "
                         "EXCLUDE CURRENT ROW) FROM t"),
               "2\n13\n24\n35\n46\n5\n");
  CHECK_EQ_STR(query(db, "SELECT id, sum(id) OVER (ORDER BY v RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t "
                         "ORDER BY id"),
               "1|11\n2|8\n3|3\n4|11\n5|5\n6|13\n");
  CHECK_EQ_STR(query(db, "SELECT id, count(*) OVER (ORDER BY p GROUPS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) FROM t "
                         "ORDER BY id"),
               "1|3\n2|1\n3|3\n4|3\n5|1\n6|0\n");
  CHECK_EQ_STR(query(db, "SELECT id, lag(v, 2, -1) OVER (ORDER BY id), lead(v) OVER (ORDER BY id), "
                         "nth_value(id, 2) OVER (PARTITION BY p) FROM t ORDER BY id"),
               "1|-1|1|3\n2|-1||5\n3|3|3|3\n4|1|7|3\n5||2|5\n6|3||\n");
  lode_close(db);
}

/* A running and a sliding sum over many rows: every value checked against
** its closed form, so the inverse steps keep the state exact. */
TEST(sliding_sums_over_many_rows) {
  lode *db = NULL;
  CHECK(lode_open(":memory:", &db) == LODE_OK);
  query(db, "CREATE TABLE n(x INTEGER PRIMARY KEY);"
            "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20000) "
            "INSERT INTO n SELECT i FROM c");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM (SELECT x, sum(x) OVER (ORDER BY x) s, "
                         "sum(x) OVER (ORDER BY x ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) w, "
                         "avg(x) OVER (ORDER BY x ROWS 9 PRECEDING) a FROM n) "
                         "WHERE s = x * (x + 1) / 2 AND (x < 3 OR x > 19998 OR w = 5 * x) AND (x < 10 OR a = x - 4.5)"),
               "20000\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM (SELECT x, max(x % 100) OVER (ORDER BY x ROWS 5 PRECEDING) mx, "
                         "min(x) OVER (ORDER BY x ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING) mn FROM n) "
                         "WHERE mn = max(1, x - 3) "
                         "AND (x % 100 >= 5 AND mx = x % 100 OR x % 100 < 5 AND mx >= 95 OR x < 100)"),
               "20000\n");
  lode_close(db);
}

TEST(pass_errors_have_sqlite_messages) {
  lode *db = open_with_table();
  CHECK_EQ_STR(query(db, "SELECT ntile(v) OVER (ORDER BY id) FROM t"),
               "ERROR 1: argument of ntile must be a positive integer");
  CHECK_EQ_STR(query(db, "SELECT nth_value(v, 0) OVER () FROM t"),
               "ERROR 1: second argument to nth_value must be a positive integer");
  CHECK_EQ_STR(query(db, "SELECT sum(v) OVER (ROWS ?1 PRECEDING) FROM t"),
               "ERROR 1: frame starting offset must be a non-negative integer");
  CHECK_EQ_STR(query(db, "SELECT sum(v) OVER (ORDER BY v RANGE BETWEEN 1 PRECEDING AND -1.5 FOLLOWING) FROM t"),
               "ERROR 1: frame ending offset must be a non-negative number");
  CHECK_EQ_STR(query(db, "SELECT sum(v) OVER (ROWS -1 PRECEDING) FROM t WHERE 0"), "");
  lode_close(db);
}

static int count_of(const char *text, const char *word) {
  int n = 0;
  for (const char *at = text; (at = strstr(at, word)) != NULL; at += strlen(word)) n++;
  return n;
}

/* The inner query sorts its rows by the first pass's key; when its sorter's
** records are the rows themselves, the pass reads that sorter instead of a
** copy of it (one SorterInsert in the program, not two), with the same
** results as the rows in index order give; also when a key repeats a
** column (the inner ORDER BY names its terms by number). */
TEST(pass_reads_the_inner_sorter_in_place) {
  lode *db = open_with_table();
  static const char *sorted = "SELECT id, sum(v) OVER (PARTITION BY p ORDER BY id), rank() OVER (PARTITION BY p "
                              "ORDER BY id) FROM t";
  CHECK_EQ_INT(count_of(query(db, "EXPLAIN SELECT id, sum(v) OVER (PARTITION BY p ORDER BY id), rank() OVER "
                                  "(PARTITION BY p ORDER BY id) FROM t"),
                        "|SorterInsert|"),
               1);
  CHECK_EQ_STR(query(db, sorted), "1|3|1\n3|3|2\n4|6|3\n2|1|1\n5|8|2\n6|2|1\n");
  CHECK_EQ_INT(count_of(query(db, "EXPLAIN SELECT id, sum(v) OVER (PARTITION BY v ORDER BY v) FROM t"),
                        "|SorterInsert|"),
               1);
  CHECK_EQ_STR(query(db, "SELECT id, sum(v) OVER (PARTITION BY v ORDER BY v), count(*) OVER (PARTITION BY v "
                         "ORDER BY v) FROM t"),
               "3||1\n2|1|1\n6|2|1\n1|6|2\n4|6|2\n5|7|1\n");
  query(db, "CREATE INDEX tp ON t(p, id)");
  CHECK_EQ_STR(query(db, sorted), "1|3|1\n3|3|2\n4|6|3\n2|1|1\n5|8|2\n6|2|1\n");
  lode_close(db);
}

/* Runs sql and hashes its integer columns row by row into *sum (reading them
** allocates nothing); returns the step's final result code. */
static int run_ints(lode *db, const char *sql, uint64_t *sum) {
  lode_stmt *st = NULL;
  int rc = lode_prepare(db, sql, -1, &st, NULL);
  *sum = 0;
  if (rc != LODE_OK) return rc;
  while ((rc = lode_step(st)) == LODE_ROW)
    for (int i = 0; i < lode_column_count(st); i++) *sum = *sum * 31 + (uint64_t)lode_column_int64(st, i);
  lode_finalize(st);
  return rc;
}

/* Every allocation in turn fails: the statement fails with LODE_NOMEM or
** returns the right rows; nothing crashes or leaks (ASan). */
TEST(allocation_failures_are_clean) {
  static const char *sql = "SELECT id, sum(v) OVER (PARTITION BY p ORDER BY id ROWS 1 PRECEDING), "
                           "rank() OVER (ORDER BY v), length(group_concat(id) OVER ()), "
                           "count(*) OVER (ORDER BY v RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t ORDER BY id";
  lode *db = open_with_table();
  uint64_t want, got;
  CHECK_EQ_INT(run_ints(db, sql, &want), LODE_DONE);
  for (int k = 1; k < 400; k++) {
    util_fail_alloc_after(k, 0);
    int rc = run_ints(db, sql, &got);
    util_fail_alloc_after(0, 0);
    CHECK((rc == LODE_DONE && got == want) || rc == LODE_NOMEM);
  }
  CHECK_EQ_INT(run_ints(db, sql, &got), LODE_DONE);
  CHECK(got == want);
  lode_close(db);
}

int main(void) {
  RUN(ranking_functions_follow_partitions_and_peers);
  RUN(frames_and_offsets);
  RUN(sliding_sums_over_many_rows);
  RUN(pass_errors_have_sqlite_messages);
  RUN(pass_reads_the_inner_sorter_in_place);
  RUN(allocation_failures_are_clean);
  return test_summary();
}
