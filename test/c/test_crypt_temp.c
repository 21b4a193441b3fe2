/*
** test_crypt_temp.c — nothing a connection writes for an encrypted database
** reaches the disk in the clear: not the database, not the WAL, and not any
** temporary file (statement pre-images, sorter runs, a concurrent
** transaction's page spill and change log).
**
** The test binary defines pwrite itself, so every write the engine makes
** (through the POSIX backend, forced with LODE_IO=posix) passes a scanner
** that looks for a marker every row carries and counts the bytes written per
** kind of file (by the name of the descriptor: lode-stmt-…, lode-sort-…).
** The same workload on a plaintext database must show the marker in those
** files, which proves the scanner sees them; on the encrypted one it must
** never appear, while the temporary files are still written.  A sealed file
** must also give back what was written: the workloads check their results.
*/
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lode.h"
#include "pager/pager.h"
#include "testdb.h"
#include "testlib.h"

#define MARKER "Zq7-PLAINTEXT-MARK-"
#define KEY256 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define KEY128 "000102030405060708090a0b0c0d0e0f"

enum { K_DB, K_WAL, K_STMT, K_SORT, K_SPILL, K_MVLOG, K_OTHER, K_COUNT };
static const char *const kind_names[K_COUNT] = {"db", "wal", "stmt", "sort", "spill", "mvcc-log", "other"};
static long long written[K_COUNT], hits[K_COUNT];
static int scanning;

static int kind_of(int fd) {
  char link[64], path[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n < 0) return K_OTHER;
  path[n] = 0;
  if (strstr(path, "/lode-stmt-")) return K_STMT;
  if (strstr(path, "/lode-sort-")) return K_SORT;
  if (strstr(path, "/lode-spill-")) return K_SPILL;
  if (strstr(path, "/lode-mvcc-log-")) return K_MVLOG;
  if (strstr(path, "-wal")) return K_WAL;
  if (strstr(path, ".db")) return K_DB;
  return K_OTHER;
}

/* Every pwrite of the process lands here first. */
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
  if (scanning) {
    int k = kind_of(fd);
    written[k] += (long long)n;
    if (memmem(buf, n, MARKER, sizeof MARKER - 1)) hits[k]++;
  }
  return syscall(SYS_pwrite64, fd, buf, n, off);
}

static void scan_start(void) {
  memset(written, 0, sizeof written);
  memset(hits, 0, sizeof hits);
  scanning = 1;
}

static void scan_report(const char *what) {
  scanning = 0;
  printf("  %s:", what);
  for (int k = 0; k < K_COUNT; k++)
    if (written[k]) printf(" %s %lld B (%lld marked)", kind_names[k], written[k], hits[k]);
  printf("\n");
}

static long long total_hits(void) {
  long long n = 0;
  for (int k = 0; k < K_COUNT; k++) n += hits[k];
  return n;
}

static lode *open_db(const char *path, const char *cipher, const char *key) {
  char uri[600];
  lode *db = NULL;
  if (cipher) snprintf(uri, sizeof uri, "file:%s?cipher=%s&hexkey=%s", path, cipher, key);
  else snprintf(uri, sizeof uri, "file:%s", path);
  if (lode_open_v2(uri, &db, LODE_OPEN_READWRITE | LODE_OPEN_CREATE | LODE_OPEN_URI, NULL) != LODE_OK) {
    lode_close(db);
    return NULL;
  }
  return db;
}

/* A large transaction: savepoints whose pre-images pass the statement
** journal's memory, sorts and an index build past the sorter's memory, a
** rollback to a savepoint that must read the pre-images back. */
static void savepoints_and_sorts(lode *db) {
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c INTEGER)"), "");
  CHECK_EQ_STR(query(db, "BEGIN"), "");
  CHECK_EQ_STR(query(db, "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 6000)"
                         " INSERT INTO t SELECT i, '" MARKER "' || printf('%06d', (i * 7919) % 6000)"
                         " || hex(randomblob(20)), i % 97 FROM r"),
               "");
  CHECK_EQ_STR(query(db, "SAVEPOINT s1"), "");
  CHECK_EQ_STR(query(db, "UPDATE t SET b = b || '-changed', c = c + 1"), "");
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM (SELECT b FROM t ORDER BY b)"), 6000);
  CHECK_EQ_STR(query(db, "CREATE INDEX tb ON t(b)"), "");
  CHECK_EQ_INT(query_int(db, "SELECT count(DISTINCT b) FROM t"), 6000);
  CHECK_EQ_STR(query(db, "ROLLBACK TO s1"), "");
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t WHERE b LIKE '%-changed'"), 0);
  CHECK_EQ_INT(query_int(db, "SELECT sum(c) FROM t"), query_int(db, "SELECT sum(a % 97) FROM t"));
  CHECK_EQ_STR(query(db, "RELEASE s1"), "");
  CHECK_EQ_STR(query(db, "CREATE INDEX tb ON t(b)"), "");
  CHECK_EQ_STR(query(db, "COMMIT"), "");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t INDEXED BY tb WHERE b >= '" MARKER "'"), 6000);
}

/* A concurrent transaction larger than the cache: its pages go to its spill
** file and its change log past 1 MiB to another. */
static void concurrent_spill(lode *db) {
  const char *mode = query(db, "PRAGMA journal_mode = experimental_mvcc");
  if (strcmp(mode, "mvcc\n") != 0 && strcmp(mode, "experimental_mvcc\n") != 0) {
    printf("  (no mvcc: %s)\n", mode);
    return;
  }
  CHECK_EQ_STR(query(db, "CREATE TABLE u(a INTEGER PRIMARY KEY, b TEXT)"), "");
  CHECK_EQ_STR(query(db, "PRAGMA cache_size = 50"), "");
  CHECK_EQ_STR(query(db, "BEGIN CONCURRENT"), "");
  for (int i = 0; i < 3000; i++) {
    char sql[200];
    snprintf(sql, sizeof sql, "INSERT INTO u VALUES (%d, '" MARKER "%06d' || hex(randomblob(300)))", i, i);
    CHECK_EQ_STR(query(db, sql), "");
  }
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM u WHERE b LIKE '" MARKER "%'"), 3000);
  CHECK_EQ_STR(query(db, "COMMIT"), "");
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM u"), 3000);
}

static void run(const char *name, const char *cipher, const char *key, void (*work)(lode *), int want_leak,
                const int *must_write) {
  char path[256];
  snprintf(path, sizeof path, "/tmp/lode-test-crypt-temp-%s-%d.db", name, (int)getpid());
  remove_db(path);
  lode *db = open_db(path, cipher, key);
  CHECK(db != NULL);
  if (!db) return;
  scan_start();
  work(db);
  lode_close(db);
  scan_report(name);
  for (int i = 0; must_write[i] >= 0; i++) {
    if (written[must_write[i]] == 0) TEST_FAIL_("no %s temporary file was written", kind_names[must_write[i]]);
  }
  if (want_leak) {
    /* The scanner must see the rows where they are written in the clear. */
    for (int i = 0; must_write[i] >= 0; i++) CHECK(hits[must_write[i]] > 0);
  } else {
    CHECK_EQ_INT(total_hits(), 0);
  }
  remove_db(path);
}

static const int stmt_sort[] = {K_STMT, K_SORT, -1};
static const int spill_log[] = {K_SPILL, K_MVLOG, -1};

TEST(scanner_sees_plaintext_temporary_files) { run("plain", NULL, NULL, savepoints_and_sorts, 1, stmt_sort); }
TEST(savepoints_and_sorts_leave_no_plaintext_aegis256) {
  run("aegis256", "aegis256", KEY256, savepoints_and_sorts, 0, stmt_sort);
}
TEST(savepoints_and_sorts_leave_no_plaintext_aes128gcm) {
  run("aes128gcm", "aes128gcm", KEY128, savepoints_and_sorts, 0, stmt_sort);
}
TEST(scanner_sees_plaintext_concurrent_spill) { run("plain-mv", NULL, NULL, concurrent_spill, 1, spill_log); }
TEST(concurrent_spill_leaves_no_plaintext) {
  run("aegis128l-mv", "aegis128l", KEY128, concurrent_spill, 0, spill_log);
}

/* A sealed file against a plain buffer: random writes (gaps, block
** boundaries, overwrites), reads, truncations and size, with a check of
** the whole content after every step. */
static void sealed_file_matches_memory(const char *cipher, const char *key) {
  enum { CAP = 70000 };
  char path[256];
  snprintf(path, sizeof path, "/tmp/lode-test-crypt-temp-sealed-%d.db", (int)getpid());
  remove_db(path);
  PagerOptions opts = {cipher, key, NULL};
  Pager *p = NULL;
  OsFile *f = NULL;
  CHECK_EQ_INT(pager_open_v2(path, PAGER_OPEN_CREATE, &opts, &p), LODE_OK);
  if (!p) return;
  CHECK(pager_cipher(p) != NULL); /* else the file below would not be sealed */
  CHECK_EQ_INT(pager_open_temp(p, "stmt", &f), LODE_OK);
  static uint8_t want[CAP], got[CAP], chunk[CAP];
  int64_t size = 0;
  Rng r;
  rng_seed(&r, 7);
  memset(want, 0, sizeof want);
  for (int step = 0; f && step < 400 && !test_current_failed; step++) {
    int op = rng_int(&r, 10);
    if (op < 6) {
      int64_t off = rng_int(&r, 50000);
      size_t n = 1 + (size_t)rng_int(&r, op == 0 ? 12000 : 300);
      for (size_t i = 0; i < n; i++) chunk[i] = (uint8_t)rng_next(&r);
      CHECK_EQ_INT(os_write(f, chunk, n, off), LODE_OK);
      memcpy(want + off, chunk, n);
      if (off + (int64_t)n > size) size = off + (int64_t)n;
    } else if (op < 9) {
      int64_t off = rng_int(&r, 60000);
      size_t n = 1 + (size_t)rng_int(&r, 9000);
      int rc = os_read(f, got, n, off);
      int64_t have = off >= size ? 0 : size - off < (int64_t)n ? size - off : (int64_t)n;
      CHECK_EQ_INT(rc, have == (int64_t)n ? LODE_OK : LODE_IOERR_SHORT_READ);
      CHECK(memcmp(got, want + off, (size_t)have) == 0);
    } else {
      int64_t to = rng_int(&r, (int)size + 2000);
      CHECK_EQ_INT(os_truncate(f, to), LODE_OK);
      if (to < size) memset(want + to, 0, (size_t)(size - to));
      size = to;
    }
    int64_t at = -1;
    CHECK_EQ_INT(os_size(f, &at), LODE_OK);
    CHECK_EQ_INT(at, size);
  }
  if (f && size > 0) {
    CHECK_EQ_INT(os_read(f, got, (size_t)size, 0), LODE_OK);
    CHECK(memcmp(got, want, (size_t)size) == 0);
  }
  os_close(f);
  pager_close(p);
  remove_db(path);
}

TEST(sealed_file_reads_back_what_was_written_aegis256) { sealed_file_matches_memory("aegis256", KEY256); }
TEST(sealed_file_reads_back_what_was_written_aes128gcm) { sealed_file_matches_memory("aes128gcm", KEY128); }

int main(void) {
  setenv("LODE_IO", "posix", 1);
  setenv("LODE_SORTER_MEMORY", "60000", 1);
  RUN(sealed_file_reads_back_what_was_written_aegis256);
  RUN(sealed_file_reads_back_what_was_written_aes128gcm);
  RUN(scanner_sees_plaintext_temporary_files);
  RUN(savepoints_and_sorts_leave_no_plaintext_aegis256);
  RUN(savepoints_and_sorts_leave_no_plaintext_aes128gcm);
  RUN(scanner_sees_plaintext_concurrent_spill);
  RUN(concurrent_spill_leaves_no_plaintext);
  return test_summary();
}
