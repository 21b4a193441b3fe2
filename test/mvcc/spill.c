/*
** spill.c — a concurrent transaction larger than the page cache: its pages
** spill to a temporary file of its own and its change log past 1 MiB goes to
** another, so memory stays bounded; it still commits every change, whether
** its snapshot is the latest at COMMIT (the spilled pages move to the WAL)
** or another connection committed meanwhile (the log is made again from the
** file on the newer snapshot); ROLLBACK and ROLLBACK TO after a spill
** restore what they must.
*/
#include "mvcc_test.h"

#include <malloc.h>

#define ROWS 8000 /* ~8 MB of rows: 20 times the 100-page cache, 8 times the log's memory */

/* Rows 1..ROWS inserted one statement each (an INSERT … SELECT would gather
** its rows in a sorter first, whose memory is not what this measures). */
static int big_insert(sqlite3 *db) {
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v2(db, "INSERT INTO t(a, v, pad) VALUES (?1, ?1, randomblob(900))", -1, &s, NULL);
  for (int i = 1; rc == SQLITE_OK && i <= ROWS; i++) {
    sqlite3_bind_int(s, 1, i);
    rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : sqlite3_extended_errcode(db);
    sqlite3_reset(s);
  }
  sqlite3_finalize(s);
  return rc;
}

/* Two connections on a fresh mvcc database with t and u; a 100-page cache. */
static int setup(const char *name, char *path, size_t n, sqlite3 **a, sqlite3 **b) {
  mt_path(name, path, n);
  *a = mt_open(path);
  *b = mt_open(path);
  if (!*a || !*b) return 0;
  if (!mt_mvcc_on(*a)) {
    mt_skip("no mvcc");
    return 0;
  }
  CHECK_INT(ex(*a, "CREATE TABLE t(a INTEGER PRIMARY KEY, v INTEGER, pad BLOB); CREATE INDEX t_v ON t(v);"
                   "CREATE TABLE u(x)"),
            SQLITE_OK);
  CHECK_INT(ex(*a, "PRAGMA cache_size = 100"), SQLITE_OK);
  CHECK_INT(ex(*b, "PRAGMA cache_size = 100"), SQLITE_OK);
  return 1;
}

static void finish(sqlite3 *a, sqlite3 *b) {
  sqlite3_close(a);
  sqlite3_close(b);
}

TEST(spilled_concurrent_transaction_commits_on_its_own_snapshot) {
  char path[600];
  sqlite3 *a = NULL, *b = NULL;
  if (setup("own", path, sizeof path, &a, &b)) {
    CHECK_INT(ex(a, "BEGIN CONCURRENT"), SQLITE_OK);
    CHECK_INT(big_insert(a), SQLITE_OK);
    CHECK_INT(qi(a, "SELECT count(*) FROM t WHERE v = a"), ROWS); /* its own writes, read back from the spill */
    CHECK_INT(qi(b, "SELECT count(*) FROM t"), 0);
    CHECK_INT(ex(a, "COMMIT"), SQLITE_OK);
    CHECK_INT(qi(b, "SELECT count(*) FROM t"), ROWS);
    CHECK_INT(qi(b, "SELECT sum(length(pad)) FROM t"), 900LL * ROWS);
    CHECK_STR(q(b, "PRAGMA integrity_check"), "ok");
  }
  finish(a, b);
}

TEST(spilled_concurrent_transaction_replays_on_a_newer_snapshot) {
  char path[600];
  sqlite3 *a = NULL, *b = NULL;
  if (setup("newer", path, sizeof path, &a, &b)) {
    CHECK_INT(ex(a, "BEGIN CONCURRENT"), SQLITE_OK);
    CHECK_INT(big_insert(a), SQLITE_OK);
    CHECK_INT(ex(a, "UPDATE t SET v = -v WHERE a % 2 = 0"), SQLITE_OK);
    CHECK_INT(ex(a, "DELETE FROM t WHERE a % 7 = 0"), SQLITE_OK);
    /* Another connection commits meanwhile: a's pages are stale at COMMIT. */
    CHECK_INT(ex(b, "BEGIN CONCURRENT; INSERT INTO u VALUES (1); COMMIT"), SQLITE_OK);
    CHECK_INT(ex(a, "COMMIT"), SQLITE_OK);
    long long kept = ROWS - ROWS / 7;
    CHECK_INT(qi(b, "SELECT count(*) FROM t"), kept);
    CHECK_INT(qi(b, "SELECT count(*) FROM t WHERE v < 0"), qi(b, "SELECT count(*) FROM t WHERE a % 2 = 0"));
    CHECK_INT(qi(b, "SELECT count(*) FROM t INDEXED BY t_v WHERE v < 0"), ROWS / 2 - ROWS / 14);
    CHECK_INT(qi(b, "SELECT count(*) FROM u"), 1);
    CHECK_STR(q(b, "PRAGMA integrity_check"), "ok");
  }
  finish(a, b);
}

TEST(rollback_and_rollback_to_after_a_spill) {
  char path[600];
  sqlite3 *a = NULL, *b = NULL;
  if (setup("undo", path, sizeof path, &a, &b)) {
    CHECK_INT(ex(a, "INSERT INTO t VALUES (100000, 1, x'01')"), SQLITE_OK);
    CHECK_INT(ex(a, "BEGIN CONCURRENT"), SQLITE_OK);
    CHECK_INT(big_insert(a), SQLITE_OK);
    CHECK_INT(ex(a, "ROLLBACK"), SQLITE_OK);
    CHECK_INT(qi(a, "SELECT count(*) FROM t"), 1);
    CHECK_INT(ex(a, "BEGIN CONCURRENT; INSERT INTO t VALUES (100001, 2, x'02'); SAVEPOINT s"), SQLITE_OK);
    CHECK_INT(big_insert(a), SQLITE_OK);
    CHECK_INT(ex(a, "ROLLBACK TO s; RELEASE s"), SQLITE_OK);
    CHECK_INT(qi(a, "SELECT count(*) FROM t"), 2);
    CHECK_INT(ex(b, "INSERT INTO u VALUES (2)"), SQLITE_OK); /* a now commits on a newer snapshot */
    CHECK_INT(ex(a, "COMMIT"), SQLITE_OK);
    CHECK_STR(q(b, "SELECT a FROM t ORDER BY a"), "100000;100001");
    CHECK_STR(q(b, "PRAGMA integrity_check"), "ok");
  }
  finish(a, b);
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
/* Peak resident set of this process in KiB (VmHWM). */
static long long peak_rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long long kib = -1;
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "VmHWM:", 6) == 0) kib = atoll(line + 6);
  fclose(f);
  return kib;
}

static int reset_peak(void) {
  malloc_trim(0);
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if (!f) return 0;
  fputs("5", f);
  fclose(f);
  return 1;
}

/* 8 MB written by one concurrent transaction (twice: committed on its own
** snapshot and on a newer one) grows the process by far less. */
TEST(a_large_concurrent_transaction_stays_in_bounded_memory) {
  char path[600];
  sqlite3 *a = NULL, *b = NULL;
  if (setup("rss", path, sizeof path, &a, &b)) {
    if (!reset_peak()) {
      mt_skip("no /proc/self/clear_refs");
    } else {
      long long base = peak_rss_kib();
      CHECK_INT(ex(a, "BEGIN CONCURRENT"), SQLITE_OK);
      CHECK_INT(big_insert(a), SQLITE_OK);
      CHECK_INT(ex(b, "INSERT INTO u VALUES (3)"), SQLITE_OK);
      CHECK_INT(ex(a, "COMMIT"), SQLITE_OK);
      CHECK_INT(ex(a, "BEGIN CONCURRENT; UPDATE t SET pad = randomblob(901); COMMIT"), SQLITE_OK);
      long long grown = peak_rss_kib() - base;
      printf("     peak RSS growth %lld KiB for %d KiB written twice\n", grown, ROWS * 900 / 1024);
      CHECK(base > 0);
      CHECK(grown < 5 * 1024);
      CHECK_INT(qi(b, "SELECT sum(length(pad)) FROM t"), 901LL * ROWS);
    }
  }
  finish(a, b);
}
#endif

int main(void) {
  mt_init("mvcc-spill");
  RUN(spilled_concurrent_transaction_commits_on_its_own_snapshot);
  RUN(spilled_concurrent_transaction_replays_on_a_newer_snapshot);
  RUN(rollback_and_rollback_to_after_a_spill);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  RUN(a_large_concurrent_transaction_stays_in_bounded_memory);
#endif
  return mt_summary();
}
