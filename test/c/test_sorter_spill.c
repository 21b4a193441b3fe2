/*
** test_sorter_spill.c — sorts larger than the sorter's memory budget spill
** sorted runs to a temporary file and merge them: ORDER BY (with ties, which
** must keep insertion order), GROUP BY, DISTINCT, set operations, CREATE
** INDEX and a sorted subquery scanned again must all give what the same
** statements give with every record in memory (PRAGMA temp_store = MEMORY
** turns spilling off).  The budget is set small through LODE_SORTER_MEMORY
** before the first sorter exists.  An I/O error while spilling fails the
** statement with an IOERR code, and the connection stays usable.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lode.h"
#include "os/os.h"
#include "testdb.h"
#include "testlib.h"

#define SPILL_BUDGET "60000" /* bytes: a few hundred rows per run */

static const char *const queries[] = {
    "SELECT a, b FROM t ORDER BY b, c DESC",
    "SELECT a FROM t ORDER BY b % 7", /* many ties: insertion order within each */
    "SELECT b % 13, count(*), sum(a), min(c), max(c) FROM t GROUP BY 1",
    "SELECT DISTINCT b % 101 FROM t",
    "SELECT count(DISTINCT c) FROM t",
    "SELECT c FROM t UNION SELECT c || 'x' FROM t WHERE a % 3 = 0 ORDER BY 1 LIMIT 20 OFFSET 3000",
    "SELECT b FROM t EXCEPT SELECT b FROM t WHERE a % 2 = 0",
    "SELECT a FROM t INTERSECT SELECT a * 2 FROM t ORDER BY 1 DESC",
    "SELECT x.a, (SELECT count(*) FROM (SELECT c FROM t ORDER BY c) WHERE c < x.c) FROM t AS x WHERE x.a < 4",
    "SELECT group_concat(a, ',') FROM (SELECT a FROM t ORDER BY c DESC LIMIT 50)",
    /* windows: the pass reads the inner query's spilled sort, one or two passes */
    "SELECT a, sum(b) OVER (PARTITION BY b % 13 ORDER BY c), row_number() OVER (PARTITION BY b % 7) FROM t",
    "SELECT a, rank() OVER (ORDER BY b), lag(c) OVER (PARTITION BY b % 5 ORDER BY a DESC) FROM t",
};

static void fill(lode *db) {
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b, c);"
                         "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 6000)"
                         " INSERT INTO t SELECT i, (i * 7919) % 1000, printf('%05d-%s', (i * 31337) % 9973, hex(i))"
                         " FROM r;"),
               "");
}

static unsigned long long hash_bytes(unsigned long long h, const char *z) {
  for (; z && *z; z++) h = (h ^ (unsigned char)*z) * 1099511628211ull;
  return (h ^ 0xff) * 1099511628211ull; /* a separator, so that "ab|c" and "a|bc" differ */
}

/* A hash of a query's whole result (rows in order), to compare big results
** cheaply; 0 when the statement failed. */
static unsigned long long result_hash(lode *db, const char *sql) {
  lode_stmt *st = NULL;
  unsigned long long h = 1469598103934665603ull;
  int rc = lode_prepare(db, sql, -1, &st, NULL);
  if (rc == LODE_OK) {
    while ((rc = lode_step(st)) == LODE_ROW)
      for (int i = 0; i < lode_column_count(st); i++) h = hash_bytes(h, (const char *)lode_column_text(st, i));
  }
  lode_finalize(st);
  if (rc != LODE_DONE) {
    printf("     %s: %s\n", sql, lode_errmsg(db));
    return 0;
  }
  return h;
}

TEST(spilled_sorts_give_the_in_memory_results) {
  lode *spill = NULL, *mem = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &spill), LODE_OK);
  CHECK_EQ_INT(lode_open(":memory:", &mem), LODE_OK);
  CHECK_EQ_STR(query(mem, "PRAGMA temp_store = MEMORY"), "");
  fill(spill);
  fill(mem);
  for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
    unsigned long long a = result_hash(spill, queries[i]), b = result_hash(mem, queries[i]);
    if (a != b) printf("     differs: %s\n", queries[i]);
    CHECK(a != 0 && a == b);
  }
  /* An index built from a spilled sort is whole and ordered. */
  CHECK_EQ_STR(query(spill, "CREATE INDEX tc ON t(c, b); PRAGMA integrity_check"), "ok\n");
  CHECK(result_hash(spill, "SELECT c, b FROM t INDEXED BY tc WHERE c > '0' ORDER BY c, b") ==
        result_hash(mem, "SELECT c, b FROM t WHERE c > '0' ORDER BY c, b"));
  lode_close(spill);
  lode_close(mem);
}

/* The same statement, spilling or not, with a write error injected at each
** of the first spill writes: an IOERR (never a crash or a wrong row), and
** the next statement works. */
TEST(a_failed_spill_write_fails_the_statement_only) {
  lode *db = NULL;
  os_fault_enable(1);
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  fill(db);
  const char *want = "6000\n";
  int injected = 0;
  for (int after = 0; after < 6; after++) {
    os_fault_arm(OS_FAULT_WRITE, after, 0);
    const char *got = query(db, "SELECT count(*) FROM (SELECT a FROM t ORDER BY c)");
    int failed = os_fault_failed();
    os_fault_arm(0, 0, 0);
    injected += failed > 0;
    if (failed) CHECK(strncmp(got, "ERROR 778", 9) == 0 || strncmp(got, "ERROR 10", 8) == 0);
    else CHECK_EQ_STR(got, want);
    CHECK_EQ_STR(query(db, "SELECT count(*) FROM (SELECT a FROM t ORDER BY c)"), want);
  }
  CHECK(injected > 0); /* the spill did write through the fault-injecting backend */
  lode_close(db);
  os_fault_enable(0);
}

int main(void) {
  setenv("LODE_SORTER_MEMORY", SPILL_BUDGET, 1);
  RUN(spilled_sorts_give_the_in_memory_results);
  RUN(a_failed_spill_write_fails_the_statement_only);
  return test_summary();
}
