/*
** test_spill.c — bounded memory: the page cache honours PRAGMA cache_size,
** and a write transaction larger than the cache spills its dirty pages to
** the WAL as frames without a commit mark.
**
** What must hold: a spilling transaction commits every change; ROLLBACK and
** ROLLBACK TO after a spill restore the right data; a failed statement after
** a spill undoes only itself; readers (other connections, other processes,
** sqlite3) never see spilled frames; a process killed while spilling leaves
** a database sqlite3 and Lode open with exactly the committed data; a full
** scan of a database 20 times the cache and an UPDATE of all of it run in
** a fixed RSS bound (measured only without sanitizers, which change RSS).
*/
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conn/conn.h"
#include "lode.h"
#include "os/os.h"
#include "testdb.h"
#include "testlib.h"

#define SQLITE3_CLI "/usr/bin/sqlite3"
#define ROWS 3000
#define KILL_ROUNDS 30

static char tmpdir[256];

static int64_t wal_size(const char *path) {
  char wal[700];
  struct stat st;
  snprintf(wal, sizeof wal, "%s-wal", path);
  return stat(wal, &st) == 0 ? (int64_t)st.st_size : 0;
}

/* A table of ROWS rows of about 400 bytes (some 300 pages), committed and
** checkpointed, so that the WAL is empty before the test. */
static lode *make_db(const char *name, char *path, size_t n) {
  lode *db = NULL;
  snprintf(path, n, "%s/%s", tmpdir, name);
  remove_db(path);
  if (lode_open(path, &db) != LODE_OK) return db;
  char sql[400];
  snprintf(sql, sizeof sql,
           "CREATE TABLE t(a INTEGER PRIMARY KEY, v INTEGER, pad BLOB);"
           "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %d) "
           "INSERT INTO t SELECT x, 0, randomblob(400) FROM c;"
           "PRAGMA wal_checkpoint(TRUNCATE);",
           ROWS);
  (void)query(db, sql);
  return db;
}

static const char *cli(const char *path, const char *sql) {
  static char out[4096];
  char script[600];
  snprintf(script, sizeof script, "%s/script.sql", tmpdir);
  if (sqlite3_cli(script, path, sql, out, sizeof out) < 0) return "(no sqlite3)";
  size_t len = strlen(out);
  while (len && out[len - 1] == '\n') out[--len] = 0;
  return out;
}

TEST(cache_size_and_spill_pragmas_answer_as_sqlite) {
  lode *db = NULL;
  char path[600];
  snprintf(path, sizeof path, "%s/pragmas.db", tmpdir);
  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  /* -2000 KiB of 4096-byte pages, each counted with SQLite's overhead. */
  CHECK_EQ_INT(query_int(db, "PRAGMA cache_size"), -2000);
  CHECK_EQ_INT(query_int(db, "PRAGMA cache_spill"), 483);
  CHECK_EQ_STR(query(db, "PRAGMA cache_spill = 0; PRAGMA cache_spill"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA cache_spill = 5000; PRAGMA cache_spill"), "5000\n");
  CHECK_EQ_STR(query(db, "PRAGMA cache_spill = off; PRAGMA cache_spill"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA cache_spill = on; PRAGMA cache_spill"), "5000\n");
  CHECK_EQ_STR(query(db, "PRAGMA cache_spill = -10; PRAGMA cache_size = 100; PRAGMA cache_spill"), "100\n");
  CHECK_EQ_STR(query(db, "PRAGMA mmap_size = 10000000000"), "2147418112\n");
  CHECK_EQ_STR(query(db, "PRAGMA mmap_size = -1; PRAGMA mmap_size"), "0\n0\n");
  CHECK_EQ_STR(query(db, "PRAGMA shrink_memory"), "");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  /* A memory database maps nothing: no row, as in SQLite. */
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA mmap_size = 4096; PRAGMA mmap_size"), "");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

TEST(spilled_transaction_commits_everything) {
  char path[600];
  lode *db = make_db("commit.db", path, sizeof path), *reader = NULL;
  CHECK_EQ_INT(lode_open(path, &reader), LODE_OK);
  int64_t before = query_int(reader, "SELECT sum(length(pad)) FROM t");
  CHECK_EQ_INT(before, 400 * ROWS);
  CHECK_EQ_STR(query(db, "PRAGMA cache_size = 20; BEGIN; UPDATE t SET v = v + 1, pad = randomblob(401)"), "");
  /* The dirty pages did not fit: they are in the WAL already, unpublished. */
  CHECK(wal_size(path) > 100 * 4096);
  CHECK_EQ_INT(query_int(reader, "SELECT sum(length(pad)) FROM t"), before);
  CHECK_EQ_INT(query_int(reader, "SELECT sum(v) FROM t"), 0);
  CHECK_EQ_INT(query_int(db, "SELECT sum(length(pad)) FROM t"), 401 * ROWS);
  if (access(SQLITE3_CLI, X_OK) == 0) CHECK_EQ_STR(cli(path, "SELECT sum(v), sum(length(pad)) FROM t;"), "0|1200000");
  CHECK_EQ_STR(query(db, "INSERT INTO t(v, pad) SELECT 7, zeroblob(1000) FROM t WHERE a <= 500; COMMIT"), "");
  CHECK_EQ_INT(query_int(reader, "SELECT sum(v) FROM t"), ROWS + 3500);
  CHECK_EQ_INT(query_int(reader, "SELECT count(*) FROM t"), ROWS + 500);
  CHECK_EQ_STR(query(reader, "PRAGMA integrity_check"), "ok\n");
  if (access(SQLITE3_CLI, X_OK) == 0) {
    CHECK_EQ_STR(cli(path, "SELECT sum(v), count(*) FROM t; PRAGMA integrity_check;"), "6500|3500\nok");
  }
  CHECK_EQ_INT(lode_close(reader), LODE_OK);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* A checkpoint copies the newest frame of every page: with a WAL that
** rewrote most pages several times (the checkpoint walks its frames back
** with a bitmap of the pages met) and with a few frames in a larger
** database (a map from page to frame); sqlite3 reads the same rows. */
TEST(checkpoints_copy_the_newest_frame_of_each_page) {
  char path[600];
  lode *db = make_db("ckpt.db", path, sizeof path);
  CHECK_EQ_STR(query(db, "PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = 20"), "0\n");
  for (int i = 1; i <= 3; i++) CHECK_EQ_STR(query(db, "UPDATE t SET v = v + 1, pad = randomblob(400)"), "");
  CHECK_EQ_STR(query(db, "UPDATE t SET v = v + 10 WHERE a % 7 = 0"), "");
  CHECK(wal_size(path) > 3 * 300 * 4096);
  int64_t sum = query_int(db, "SELECT sum(v) FROM t"), len = query_int(db, "SELECT sum(length(pad)) FROM t");
  CHECK_EQ_INT(sum, 3 * ROWS + 10 * (ROWS / 7));
  CHECK_EQ_STR(query(db, "PRAGMA wal_checkpoint(TRUNCATE)"), "0|0|0\n");
  CHECK_EQ_INT(wal_size(path), 0);
  /* Two frames in a database of some 300 pages. */
  CHECK_EQ_STR(query(db, "UPDATE t SET v = v + 100 WHERE a = 5; UPDATE t SET v = v + 100 WHERE a = 5"), "");
  CHECK_EQ_STR(query(db, "PRAGMA wal_checkpoint(TRUNCATE)"), "0|0|0\n");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT sum(v) FROM t"), sum + 200);
  CHECK_EQ_INT(query_int(db, "SELECT sum(length(pad)) FROM t"), len);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  if (access(SQLITE3_CLI, X_OK) == 0) {
    char expect[100];
    snprintf(expect, sizeof expect, "%lld|%lld\nok", (long long)(sum + 200), (long long)len);
    CHECK_EQ_STR(cli(path, "SELECT sum(v), sum(length(pad)) FROM t; PRAGMA integrity_check;"), expect);
  }
}

/* An allocation that fails while a transaction spills (the growth of the
** index of its spilled pages among them: until the next spill rebuilds it,
** the spilled pages are found by a search of the spilled frames) fails at
** most the statement that met it, or the whole transaction as SQLite may on
** SQLITE_NOMEM; what the transaction keeps and commits is all there. */
TEST(allocations_failing_while_spilling_lose_nothing) {
  char path[600];
  lode *db = make_db("oom.db", path, sizeof path);
  int bad = 0, saw_nomem = 0, n;
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  /* A connection of its own each time: the index of spilled pages starts
  ** small, and grows (allocates) in the middle of the statement. */
  for (n = 1; n <= 1000 && !bad; n++) {
    CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
    CHECK_EQ_STR(query(db, "PRAGMA cache_size = 20; BEGIN; UPDATE t SET v = v + 1 WHERE a <= 1500"), "");
    util_fail_alloc_after(n, 0);
    int rc = lode_exec(db, "UPDATE t SET v = v + 1", NULL);
    int fired = !util_alloc_faults_armed(); /* a failed spill is no error: the cache grows instead */
    util_fail_alloc_after(0, 0);
    if (rc != LODE_OK && (rc & 0xff) != LODE_NOMEM) bad++;
    saw_nomem |= rc != LODE_OK;
    int open_txn = !lode_get_autocommit(db);
    int64_t want = !open_txn ? 0 : rc == LODE_OK ? ROWS + 1500 : 1500;
    if (query_int(db, "SELECT sum(v) FROM t") != want) bad++;
    if (open_txn && strcmp(query(db, "COMMIT"), "") != 0) bad++;
    if (query_int(db, "SELECT sum(v) FROM t") != want || strcmp(query(db, "PRAGMA integrity_check"), "ok\n") != 0) bad++;
    if (bad) printf("  allocation %d: statement gave %d, sum %lld\n", n, rc, (long long)query_int(db, "SELECT sum(v) FROM t"));
    CHECK_EQ_STR(query(db, "UPDATE t SET v = 0"), "");
    CHECK_EQ_INT(lode_close(db), LODE_OK);
    if (!fired) break;
  }
  CHECK_EQ_INT(bad, 0);
  CHECK(saw_nomem && n > 20 && n <= 1000);
}

TEST(rollback_after_spill_restores_the_snapshot) {
  char path[600];
  lode *db = make_db("rollback.db", path, sizeof path);
  CHECK_EQ_STR(query(db, "UPDATE t SET v = a"), "");
  int64_t sum = query_int(db, "SELECT sum(v) + sum(length(pad)) FROM t");
  CHECK_EQ_STR(query(db, "PRAGMA cache_size = 15; BEGIN; UPDATE t SET v = -v, pad = NULL; DELETE FROM t WHERE a > 100"),
               "");
  CHECK(wal_size(path) > 0);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 100);
  CHECK_EQ_STR(query(db, "ROLLBACK"), "");
  CHECK_EQ_INT(query_int(db, "SELECT sum(v) + sum(length(pad)) FROM t"), sum);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), ROWS);
  /* The next writer overwrites the frames the rolled back one left. */
  CHECK_EQ_STR(query(db, "UPDATE t SET v = v + 1 WHERE a = 1"), "");
  CHECK_EQ_INT(query_int(db, "SELECT sum(v) + sum(length(pad)) FROM t"), sum + 1);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT sum(v) + sum(length(pad)) FROM t"), sum + 1);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  if (access(SQLITE3_CLI, X_OK) == 0) CHECK_EQ_STR(cli(path, "PRAGMA integrity_check;"), "ok");
}

TEST(rollback_to_and_failed_statements_after_spill) {
  char path[600];
  lode *db = make_db("savepoint.db", path, sizeof path);
  CHECK_EQ_STR(query(db, "CREATE UNIQUE INDEX tv ON t(v) WHERE v > 1000000"), "");
  CHECK_EQ_STR(query(db, "PRAGMA cache_size = 12; BEGIN; UPDATE t SET v = 1"), "");
  CHECK_EQ_STR(query(db, "SAVEPOINT s; UPDATE t SET v = 2, pad = zeroblob(500); DELETE FROM t WHERE a % 3 = 0"), "");
  CHECK(wal_size(path) > 0);
  CHECK_EQ_INT(query_int(db, "SELECT sum(v) FROM t"), 2 * (ROWS - ROWS / 3));
  CHECK_EQ_STR(query(db, "ROLLBACK TO s"), "");
  CHECK_EQ_INT(query_int(db, "SELECT sum(v) FROM t"), ROWS);
  CHECK_EQ_INT(query_int(db, "SELECT sum(length(pad)) FROM t"), 400 * ROWS);
  /* A statement that fails after spilling undoes only itself. */
  CHECK(strncmp(query(db, "UPDATE t SET v = 2000000 + iif(a = 2999, 1, a), pad = zeroblob(600)"), "ERROR 2067", 10) ==
        0);
  CHECK_EQ_INT(query_int(db, "SELECT sum(v) FROM t"), ROWS);
  CHECK_EQ_INT(query_int(db, "SELECT sum(length(pad)) FROM t"), 400 * ROWS);
  CHECK_EQ_STR(query(db, "UPDATE t SET v = v + 1 WHERE a <= 10; RELEASE s; COMMIT"), "");
  CHECK_EQ_INT(query_int(db, "SELECT sum(v) FROM t"), ROWS + 10);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  if (access(SQLITE3_CLI, X_OK) == 0) CHECK_EQ_STR(cli(path, "SELECT sum(v) FROM t; PRAGMA integrity_check;"), "3010\nok");
}

/* ---- readers and savepoints around spilled frames --------------------------- */

/* A Lode connection in another process, forked before this one opens the
** database (a fork would inherit its open connections): it runs each SQL
** text the parent sends and answers with query()'s text; an empty text
** ends it. */
typedef struct {
  pid_t pid;
  int to, from;
} Peer;

static int peer_start(Peer *pr, const char *path) {
  int to[2], from[2];
  if (pipe(to) != 0 || pipe(from) != 0) return -1;
  fflush(stdout);
  pr->pid = fork();
  if (pr->pid == 0) {
    close(to[1]);
    close(from[0]);
    lode *db = NULL;
    char sql[1000];
    uint32_t n;
    while (read(to[0], &n, sizeof n) == (ssize_t)sizeof n && n > 0 && n < sizeof sql &&
           read(to[0], sql, n) == (ssize_t)n) {
      sql[n] = 0;
      if (!db && lode_open(path, &db) != LODE_OK) _exit(3);
      const char *r = query(db, sql);
      uint32_t len = (uint32_t)strlen(r);
      if (write(from[1], &len, sizeof len) != (ssize_t)sizeof len || write(from[1], r, len) != (ssize_t)len) _exit(4);
    }
    _exit(db && lode_close(db) != LODE_OK ? 5 : 0);
  }
  close(to[0]);
  close(from[1]);
  pr->to = to[1];
  pr->from = from[0];
  return pr->pid > 0 ? 0 : -1;
}

static const char *peer_query(Peer *pr, const char *sql) {
  static char out[4096];
  uint32_t n = (uint32_t)strlen(sql), len = 0;
  if (write(pr->to, &n, sizeof n) != (ssize_t)sizeof n || write(pr->to, sql, n) != (ssize_t)n) return "(peer gone)";
  if (read(pr->from, &len, sizeof len) != (ssize_t)sizeof len || len >= sizeof out) return "(peer gone)";
  if (read(pr->from, out, len) != (ssize_t)len) return "(peer gone)";
  out[len] = 0;
  return out;
}

static int peer_stop(Peer *pr) {
  uint32_t zero = 0;
  int status = 0;
  if (write(pr->to, &zero, sizeof zero) != (ssize_t)sizeof zero) return -1;
  close(pr->to);
  close(pr->from);
  waitpid(pr->pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The writer's spilled frames sit in the wal-index hash tables beside the
** committed ones (in the same table here: the WAL holds committed frames
** already), past the published end: a connection of this process, one of
** another process and sqlite3 read every page of the snapshot before them,
** checkpoint it meanwhile (Lode, then sqlite3), and after a ROLLBACK and a later commit see
** exactly the committed rows. */
TEST(readers_see_none_of_a_spilled_transactions_pages) {
  char path[600];
  Peer peer;
  snprintf(path, sizeof path, "%s/readers.db", tmpdir);
  CHECK_EQ_INT(peer_start(&peer, path), 0);
  lode *db = make_db("readers.db", path, sizeof path), *reader = NULL;
  CHECK_EQ_STR(query(db, "UPDATE t SET v = 1 WHERE a <= 50"), "");
  int64_t committed_wal = wal_size(path);
  CHECK(committed_wal > 0);
  CHECK_EQ_INT(lode_open(path, &reader), LODE_OK);
  const char *sums = "SELECT sum(v), sum(length(pad)) FROM t";
  /* Small caches: the readers read the pages again, through the wal-index. */
  CHECK_EQ_STR(query(reader, "PRAGMA cache_size = 10"), "");
  CHECK_EQ_STR(peer_query(&peer, "PRAGMA cache_size = 10"), "");
  CHECK_EQ_STR(query(reader, sums), "50|1200000\n");
  CHECK_EQ_STR(peer_query(&peer, sums), "50|1200000\n");
  CHECK_EQ_STR(query(db, "PRAGMA cache_size = 15; BEGIN; UPDATE t SET v = v + 10, pad = randomblob(300)"), "");
  CHECK(wal_size(path) > committed_wal + 100 * 4096);
  CHECK_EQ_STR(query(db, sums), "30050|900000\n");
  for (int round = 0; round < 2; round++) {
    CHECK_EQ_STR(query(reader, sums), "50|1200000\n");
    CHECK_EQ_STR(query(reader, "PRAGMA integrity_check"), "ok\n");
    CHECK_EQ_STR(peer_query(&peer, sums), "50|1200000\n");
    CHECK_EQ_STR(peer_query(&peer, "PRAGMA integrity_check"), "ok\n");
    if (access(SQLITE3_CLI, X_OK) == 0)
      CHECK_EQ_STR(cli(path, "SELECT sum(v), sum(length(pad)) FROM t;"), "50|1200000");
    /* A checkpoint (Lode's, then sqlite3's) copies the committed frames only. */
    const char *ckpt = round == 0 || access(SQLITE3_CLI, X_OK) != 0 ? peer_query(&peer, "PRAGMA wal_checkpoint")
                                                                      : cli(path, "PRAGMA wal_checkpoint;");
    CHECK(strncmp(ckpt, "0|", 2) == 0);
    CHECK_EQ_STR(query(reader, sums), "50|1200000\n");
    /* More spilled frames, newer ones of pages spilled already among them. */
    CHECK_EQ_STR(query(db, "UPDATE t SET v = v + 1000 WHERE a > 2000"), "");
  }
  CHECK_EQ_STR(query(db, sums), "2030050|900000\n");
  CHECK_EQ_STR(query(db, "ROLLBACK"), "");
  CHECK_EQ_STR(query(db, sums), "50|1200000\n");
  CHECK_EQ_STR(peer_query(&peer, sums), "50|1200000\n");
  CHECK_EQ_STR(query(db, "BEGIN; UPDATE t SET v = v + 2; COMMIT"), "");
  CHECK_EQ_STR(query(reader, sums), "6050|1200000\n");
  CHECK_EQ_STR(peer_query(&peer, sums), "6050|1200000\n");
  CHECK_EQ_STR(peer_query(&peer, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(peer_stop(&peer), 0);
  CHECK_EQ_INT(lode_close(reader), LODE_OK);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  if (access(SQLITE3_CLI, X_OK) == 0)
    CHECK_EQ_STR(cli(path, "SELECT sum(v), sum(length(pad)) FROM t; PRAGMA integrity_check;"), "6050|1200000\nok");
}

/* A savepoint taken before anything spilled: the statements after it spill
** pages it changed before (their spilled frames hold the later bytes) and
** pages it never changed; ROLLBACK TO brings back the bytes of the
** savepoint, twice, and the commit keeps exactly those plus what followed. */
TEST(rollback_to_a_savepoint_taken_before_spilling) {
  char path[600];
  lode *db = make_db("savepoint_first.db", path, sizeof path);
  CHECK_EQ_STR(query(db, "UPDATE t SET v = a"), "");
  const char *sums = "SELECT sum(v), sum(length(pad)), count(*) FROM t";
  CHECK_EQ_STR(query(db, "PRAGMA cache_size = 12; BEGIN; UPDATE t SET v = v + 1 WHERE a <= 20 OR a > 2980"), "");
  int64_t before = wal_size(path);
  CHECK_EQ_STR(query(db, "SAVEPOINT s"), "");
  CHECK_EQ_STR(query(db, sums), "4501540|1200000|3000\n");
  CHECK_EQ_STR(query(db, "UPDATE t SET v = -v, pad = zeroblob(10); DELETE FROM t WHERE a % 7 = 0"), "");
  CHECK(wal_size(path) > before + 100 * 4096);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 3000 - 428);
  CHECK_EQ_STR(query(db, "ROLLBACK TO s"), "");
  CHECK_EQ_STR(query(db, sums), "4501540|1200000|3000\n");
  CHECK_EQ_STR(query(db, "UPDATE t SET v = 0, pad = zeroblob(500) WHERE a > 1000"), "");
  CHECK_EQ_STR(query(db, "ROLLBACK TO s"), "");
  CHECK_EQ_STR(query(db, sums), "4501540|1200000|3000\n");
  CHECK_EQ_STR(query(db, "UPDATE t SET v = v + 1 WHERE a = 1500; RELEASE s; COMMIT"), "");
  CHECK_EQ_STR(query(db, sums), "4501541|1200000|3000\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, sums), "4501541|1200000|3000\n");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  if (access(SQLITE3_CLI, X_OK) == 0)
    CHECK_EQ_STR(cli(path, "SELECT sum(v), sum(length(pad)), count(*) FROM t; PRAGMA integrity_check;"),
                 "4501541|1200000|3000\nok");
}

/* locking_mode=EXCLUSIVE keeps the wal-index in the heap: spilled frames
** go into its tables there the same way, a ROLLBACK forgets them, and a
** later spilling transaction commits exactly its rows. */
TEST(spilling_with_the_wal_index_in_the_heap) {
  char path[600];
  lode *db = make_db("exclusive.db", path, sizeof path);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  const char *sums = "SELECT sum(v), sum(length(pad)) FROM t";
  CHECK_EQ_STR(query(db, "PRAGMA locking_mode = EXCLUSIVE; UPDATE t SET v = 1 WHERE a <= 10"), "exclusive\n");
  CHECK_EQ_STR(query(db, "PRAGMA cache_size = 12; BEGIN; UPDATE t SET v = v + 5, pad = zeroblob(100)"), "");
  CHECK(wal_size(path) > 100 * 4096);
  CHECK_EQ_STR(query(db, sums), "15010|300000\n");
  CHECK_EQ_STR(query(db, "ROLLBACK"), "");
  CHECK_EQ_STR(query(db, sums), "10|1200000\n");
  CHECK_EQ_STR(query(db, "BEGIN; UPDATE t SET v = v + 2; UPDATE t SET v = v + 1 WHERE a > 1500; COMMIT"), "");
  CHECK_EQ_STR(query(db, sums), "7510|1200000\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, sums), "7510|1200000\n");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  if (access(SQLITE3_CLI, X_OK) == 0)
    CHECK_EQ_STR(cli(path, "SELECT sum(v), sum(length(pad)) FROM t; PRAGMA integrity_check;"), "7510|1200000\nok");
}

/* Rows of two large fields each, x from a and y from x: how many read back
** as they were written (fields past the on-page part come straight from
** wherever their overflow pages are: the database file, WAL frames, the
** transaction's spilled frames, a memory mapping). */
#define BIG_X(v) "printf('%%.*c', 9000 + a * 37, char(65 + (a + " v ") %% 26)) || a"
static int64_t big_rows_intact(lode *db, const char *v) {
  char sql[400];
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM big WHERE x = " BIG_X("%s") " AND y = cast(x || '|' || x AS BLOB)"
           " AND substr(y, length(x) + 2, 5) = cast(substr(x, 1, 5) AS BLOB)",
           v);
  return query_int(db, sql);
}

TEST(overflow_fields_read_from_wherever_their_pages_are) {
  char path[600], sql[400];
  lode *db = NULL, *reader = NULL;
  snprintf(path, sizeof path, "%s/bigrows.db", tmpdir);
  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  snprintf(sql, sizeof sql,
           "CREATE TABLE big(a INTEGER PRIMARY KEY, x TEXT, y BLOB);"
           "WITH RECURSIVE c(a) AS (SELECT 1 UNION ALL SELECT a + 1 FROM c WHERE a < 60) "
           "INSERT INTO big SELECT a, " BIG_X("0") ", NULL FROM c;"
           "UPDATE big SET y = cast(x || '|' || x AS BLOB);");
  CHECK_EQ_STR(query(db, sql), "");
  CHECK_EQ_INT(big_rows_intact(db, "0"), 60); /* pages in the cache */
  CHECK_EQ_INT(lode_open(path, &reader), LODE_OK);
  CHECK_EQ_INT(big_rows_intact(reader, "0"), 60); /* in WAL frames */
  CHECK_EQ_INT(lode_close(reader), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA wal_checkpoint(TRUNCATE)"), "0|0|0\n");
  CHECK_EQ_INT(big_rows_intact(db, "0"), 60); /* in the database file */
  /* A transaction bigger than the cache: its pages spill and are read back
  ** from the spilled frames, then the rollback brings the old ones back. */
  snprintf(sql, sizeof sql, "PRAGMA cache_size = 10; BEGIN; UPDATE big SET x = " BIG_X("1") ";"
                            "UPDATE big SET y = cast(x || '|' || x AS BLOB)");
  CHECK_EQ_STR(query(db, sql), "");
  CHECK(wal_size(path) > 100 * 4096);
  CHECK_EQ_INT(big_rows_intact(db, "1"), 60);
  CHECK_EQ_STR(query(db, "ROLLBACK"), "");
  CHECK_EQ_INT(big_rows_intact(db, "0"), 60);
  CHECK_EQ_STR(query(db, "PRAGMA mmap_size = 100000000"), "100000000\n");
  CHECK_EQ_INT(big_rows_intact(db, "0"), 60);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

TEST(cache_spill_off_keeps_dirty_pages_in_memory) {
  char path[600];
  lode *db = make_db("nospill.db", path, sizeof path);
  CHECK_EQ_STR(query(db, "PRAGMA cache_size = 20; PRAGMA cache_spill = off; BEGIN; UPDATE t SET v = v + 1"), "");
  CHECK_EQ_INT(wal_size(path), 0);
  CHECK_EQ_STR(query(db, "COMMIT"), "");
  CHECK_EQ_INT(query_int(db, "SELECT sum(v) FROM t"), ROWS);
  /* cache_spill = N: no spill while the cache holds fewer than N pages. */
  CHECK_EQ_STR(query(db, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA cache_spill = 100000;"
                         " BEGIN; UPDATE t SET v = v + 1"),
               "0|0|0\n");
  CHECK_EQ_INT(wal_size(path), 0);
  CHECK_EQ_STR(query(db, "ROLLBACK; PRAGMA cache_spill = 1; BEGIN; UPDATE t SET v = v + 1"), "");
  CHECK(wal_size(path) > 0);
  CHECK_EQ_STR(query(db, "COMMIT"), "");
  CHECK_EQ_INT(query_int(db, "SELECT sum(v) FROM t"), 2 * ROWS);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

static uint32_t get4(const uint8_t *b) { return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]; }

/* Whether the WAL ends in frames of this generation without a commit mark
** after them: a transaction was killed after spilling. */
static int wal_ends_uncommitted(const char *path) {
  char wal[700];
  uint8_t hdr[32], fh[24];
  snprintf(wal, sizeof wal, "%s-wal", path);
  FILE *f = fopen(wal, "rb");
  int uncommitted = 0;
  if (!f) return 0;
  if (fread(hdr, 1, sizeof hdr, f) == sizeof hdr) {
    uint32_t ps = get4(hdr + 8);
    for (long off = 32; ps >= 512 && fseek(f, off, SEEK_SET) == 0 && fread(fh, 1, sizeof fh, f) == sizeof fh;
         off += 24 + (long)ps) {
      if (memcmp(fh + 8, hdr + 16, 8) != 0) break;
      uncommitted = get4(fh + 4) == 0;
    }
  }
  fclose(f);
  return uncommitted;
}

/* ---- I/O failures while spilling --------------------------------------------------- */

static int is_ioerr(int rc) { return (rc & 0xff) == LODE_IOERR; }

/* For each k, the k-th write (and with repeat every later one) of a
** spilling UPDATE fails: a failed spill costs memory, not correctness, so
** the statement either commits whole or reports an I/O error and changes
** nothing; the connection works on.  In a transaction, the statement's
** pre-images (a temporary file past 64 KiB) fail too: the statement is
** undone, the transaction keeps its earlier changes. */
static void spill_fault_sweep(int in_txn, int repeat) {
  char path[600], name[64];
  snprintf(name, sizeof name, "fault_%d_%d.db", in_txn, repeat);
  os_fault_enable(1);
  lode *db = make_db(name, path, sizeof path);
  CHECK_EQ_STR(query(db, "PRAGMA cache_size = 10"), "");
  const char *sql = in_txn ? "BEGIN; UPDATE t SET v = v + 1 WHERE a <= 10; UPDATE t SET v = v + 1, pad = randomblob(401)"
                           : "UPDATE t SET v = v + 1, pad = randomblob(401)";
  os_fault_arm(OS_FAULT_WRITE, 1 << 30, 0);
  CHECK_EQ_INT(lode_exec(db, sql, NULL), LODE_OK);
  int nops = os_fault_seen();
  os_fault_arm(0, 0, 0);
  CHECK_EQ_STR(query(db, in_txn ? "COMMIT" : ""), "");
  CHECK(nops > 5);
  int64_t expect = query_int(db, "SELECT sum(v) FROM t");
  int failures = 0, bad = 0;
  for (int after = 0; after <= nops && bad == 0; after += 1 + nops / 40) {
    os_fault_arm(OS_FAULT_WRITE, after, repeat);
    int rc = lode_exec(db, sql, NULL);
    os_fault_arm(0, 0, 0);
    if (in_txn && !lode_get_autocommit(db)) {
      /* The statement failed alone (or not at all): the first UPDATE stays. */
      if (rc != LODE_OK) expect += 10;
      int rc2 = lode_exec(db, "COMMIT", NULL);
      if (rc == LODE_OK) rc = rc2;
      if (rc2 != LODE_OK && !lode_get_autocommit(db)) lode_exec(db, "ROLLBACK", NULL);
      if (rc2 != LODE_OK) expect -= 10;
    }
    if (rc == LODE_OK) expect += (in_txn ? 10 : 0) + ROWS;
    else failures++;
    if (rc != LODE_OK && !is_ioerr(rc)) {
      printf("  after %d: rc=%d %s\n", after, rc, lode_errmsg(db));
      bad++;
    }
    if (query_int(db, "SELECT sum(v) FROM t") != expect) {
      printf("  after %d (rc %d): sum %lld, expected %lld\n", after, rc, (long long)query_int(db, "SELECT sum(v) FROM t"),
             (long long)expect);
      bad++;
    }
  }
  CHECK(failures > 0);
  CHECK_EQ_INT(bad, 0);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  os_fault_enable(0);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT sum(v) FROM t"), expect);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  if (access(SQLITE3_CLI, X_OK) == 0) CHECK_EQ_STR(cli(path, "PRAGMA integrity_check;"), "ok");
}

TEST(failing_writes_while_spilling) { spill_fault_sweep(0, 0); }
TEST(failing_writes_from_then_on_while_spilling) { spill_fault_sweep(0, 1); }
TEST(failing_writes_in_a_transaction_while_spilling) { spill_fault_sweep(1, 0); }

/* ---- SIGKILL while spilling ------------------------------------------------------ */

/* The child: transaction k sets v = k + 1 on every row (the cache of 10
** pages spills many times) and records k in acks, acknowledging each
** commit on the pipe.  synchronous=NORMAL: a killed process loses no write
** the kernel has, and the test is about the WAL's content, not fsync. */
static void child_spiller(const char *path, int fd) {
  lode *db = NULL;
  char sql[300];
  if (lode_open(path, &db) != LODE_OK) _exit(3);
  if (lode_exec(db, "PRAGMA cache_size = 10; PRAGMA synchronous = NORMAL", NULL) != LODE_OK) _exit(3);
  /* The last commit may have landed without its acknowledgement. */
  for (int k = (int)query_int(db, "SELECT max(k) + 1 FROM acks");; k++) {
    snprintf(sql, sizeof sql,
             "BEGIN; UPDATE t SET v = %d, pad = randomblob(300 + %d %% 200); INSERT INTO acks VALUES (%d); COMMIT",
             k + 1, k, k);
    if (lode_exec(db, sql, NULL) != LODE_OK) {
      printf("  writer: %s\n", lode_errmsg(db));
      fflush(stdout);
      _exit(4);
    }
    int32_t msg = k;
    if (write(fd, &msg, sizeof msg) != (ssize_t)sizeof msg) _exit(5);
  }
}

/* The committed state: every row carries the last acknowledged-or-later
** commit's number, and acks lists each commit once. */
static int check_committed(lode *db, int last_acked, const char *when) {
  int bad = 0;
  int64_t mx = query_int(db, "SELECT max(k) FROM acks");
  int64_t n = query_int(db, "SELECT count(*) FROM acks");
  int64_t distinct_v = query_int(db, "SELECT count(DISTINCT v) FROM t");
  int64_t v = query_int(db, "SELECT min(v) FROM t");
  if (mx < last_acked) {
    printf("  %s: acknowledged commit %d lost (max %lld)\n", when, last_acked, (long long)mx);
    bad++;
  }
  if (n != mx + 2) { /* -1, then 0..mx */
    printf("  %s: %lld acks up to %lld\n", when, (long long)n, (long long)mx);
    bad++;
  }
  if (distinct_v != 1 || v != mx + 1) {
    printf("  %s: rows show %lld values, min %lld, last commit %lld\n", when, (long long)distinct_v, (long long)v,
           (long long)mx);
    bad++;
  }
  if (query_int(db, "SELECT count(*) FROM t") != ROWS) {
    printf("  %s: row count changed\n", when);
    bad++;
  }
  const char *ic = query(db, "PRAGMA integrity_check");
  if (strcmp(ic, "ok\n") != 0) {
    printf("  %s: integrity_check: %s\n", when, ic);
    bad++;
  }
  return bad;
}

TEST(kill_during_spilling_transactions_keeps_committed_data) {
  char path[600], copy[700], cmd[4000], when[64];
  lode *db = make_db("kill.db", path, sizeof path);
  CHECK_EQ_STR(query(db, "CREATE TABLE acks(k INTEGER PRIMARY KEY); INSERT INTO acks VALUES (-1); UPDATE t SET v = 0"),
               "");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  Rng rng;
  rng_seed(&rng, 77);
  /* LODE_CRASH_ROUNDS: the long mode's number of kills. */
  const char *env = getenv("LODE_CRASH_ROUNDS");
  int rounds = env && atoi(env) > 0 ? atoi(env) : KILL_ROUNDS;
  int last_acked = -1, total_bad = 0, spilled_kills = 0;
  for (int round = 0; round < rounds && total_bad == 0; round++) {
    int fds[2];
    if (pipe(fds) != 0) {
      CHECK(0);
      return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      child_spiller(path, fds[1]);
      _exit(0);
    }
    close(fds[1]);
    int target = rng_int(&rng, 3), got = 0;
    int32_t k;
    while (got < target && read(fds[0], &k, sizeof k) == (ssize_t)sizeof k) last_acked = k, got++;
    /* A transaction rewrites ~300 pages through a 10-page cache: most
    ** moments inside it have spilled frames in the WAL. */
    struct timespec ts = {0, (long)rng_int(&rng, 20000) * 1000L};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
      printf("  round %d: writer ended by itself (status %d)\n", round, status);
      total_bad++;
    }
    while (read(fds[0], &k, sizeof k) == (ssize_t)sizeof k) last_acked = k;
    close(fds[0]);
    snprintf(when, sizeof when, "after kill %d", round);
    spilled_kills += wal_ends_uncommitted(path);
    if (access(SQLITE3_CLI, X_OK) == 0) {
      snprintf(copy, sizeof copy, "%s/copy.db", tmpdir);
      remove_db(copy);
      snprintf(cmd, sizeof cmd, "cp '%s' '%s' && (test ! -f '%s-wal' || cp '%s-wal' '%s-wal')", path, copy, path,
               path, copy);
      if (system(cmd) != 0) total_bad++;
      /* One value in every row, the last commit's, which is at least the last acknowledged one. */
      char sql[300];
      snprintf(sql, sizeof sql,
               "SELECT count(DISTINCT v), min(v) - (SELECT max(k) + 1 FROM acks), (SELECT max(k) FROM acks) >= %d "
               "FROM t; PRAGMA integrity_check;",
               last_acked);
      const char *seen = cli(copy, sql);
      if (strcmp(seen, "1|0|1\nok") != 0) {
        printf("  %s: sqlite3 sees: %s\n", when, seen);
        total_bad++;
      }
      remove_db(copy);
    }
    db = NULL;
    if (lode_open(path, &db) != LODE_OK) {
      printf("  %s: reopen failed\n", when);
      total_bad++;
    } else {
      total_bad += check_committed(db, last_acked, when);
    }
    lode_close(db);
  }
  CHECK_EQ_INT(total_bad, 0);
  CHECK(last_acked >= rounds / 2); /* the writers did commit */
  CHECK(spilled_kills > 0);
  printf("  %d of %d kills left spilled frames\n", spilled_kills, rounds);
}

/* ---- RSS -------------------------------------------------------------------------- */

#if defined(__SANITIZE_ADDRESS__)
#define LODE_NO_RSS_TEST 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LODE_NO_RSS_TEST 1
#endif
#endif

#ifndef LODE_NO_RSS_TEST
/* Peak resident set of this process in KiB (VmHWM). */
static int64_t peak_rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  int64_t kib = -1;
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "VmHWM:", 6) == 0) kib = strtoll(line + 6, NULL, 10);
  fclose(f);
  return kib;
}

/* Runs sql on path in a fresh child process with a 100-page cache; returns
** the child's peak RSS in KiB (-1 on failure). */
static int64_t child_peak(const char *path, const char *sql) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    /* Measured from here: the heap the parent freed goes back to the
    ** system (else reusing it would hide growth) and the peak restarts. */
    malloc_trim(0);
    FILE *clear = fopen("/proc/self/clear_refs", "w");
    if (clear) {
      fputs("5", clear);
      fclose(clear);
    }
    lode *db = NULL;
    int64_t kib = -1;
    if (lode_open(path, &db) == LODE_OK && lode_exec(db, "PRAGMA cache_size = 100", NULL) == LODE_OK &&
        !strstr(query(db, sql), "ERROR"))
      kib = peak_rss_kib();
    lode_close(db);
    if (write(fds[1], &kib, sizeof kib) != (ssize_t)sizeof kib) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  int64_t kib = -1;
  if (read(fds[0], &kib, sizeof kib) != (ssize_t)sizeof kib) kib = -1;
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return kib;
}

/* Heap bytes in use (glibc's count: it moves only with allocations). */
static int64_t heap_in_use(void) { return (int64_t)mallinfo2().uordblks; }

/* Heap a write transaction holds once it has spilled `rows` rows' pages (4
** rows a page): measured inside it, before its ROLLBACK. */
static int64_t heap_after_spilling(lode *db, const char *path, int rows, int64_t *frames) {
  int64_t before = heap_in_use();
  char sql[200];
  snprintf(sql, sizeof sql, "BEGIN; UPDATE t SET v = v + 1 WHERE a <= %d", rows);
  const char *r = query(db, sql);
  int64_t held = heap_in_use() - before;
  *frames = wal_size(path) / (4096 + 24);
  if (*r || strcmp(query(db, "ROLLBACK"), "") != 0) return -1;
  return held;
}

/* The writer finds its spilled pages through the wal-index hash tables,
** which hold them as they hold committed frames (in the -shm, not the
** heap): a transaction spilling a large database holds no list or table of
** its own that grows with them (a table of four-byte slots over a list of
** page numbers held about 16 bytes a spilled page). */
TEST(spilled_pages_hold_almost_no_heap) {
  char path[600];
  snprintf(path, sizeof path, "%s/index.db", tmpdir);
  remove_db(path);
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, v INTEGER, pad BLOB);"
                         "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 64000) "
                         "INSERT INTO t SELECT x, 0, zeroblob(900) FROM c;"
                         "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA cache_size = 100"),
               "0|0|0\n");
  int64_t small_frames = 0, big_frames = 0;
  int64_t small = heap_after_spilling(db, path, 8000, &small_frames);
  CHECK_EQ_STR(query(db, "PRAGMA wal_checkpoint(TRUNCATE)"), "0|0|0\n");
  int64_t big = heap_after_spilling(db, path, 64000, &big_frames);
  CHECK(small >= 0 && big >= 0);
  CHECK(small_frames > 1900 && big_frames > 15000);
  double per_frame = (double)(big - small) / (double)(big_frames - small_frames);
  printf("  heap held by spilled pages: %.1f bytes each (%lld and %lld frames)\n", per_frame, (long long)small_frames,
         (long long)big_frames);
  CHECK(per_frame < 4);
  CHECK_EQ_INT(query_int(db, "SELECT sum(v) FROM t"), 0);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  remove_db(path);
}

#define RSS_BOUND_KIB (6 * 1024)

TEST(scan_and_update_of_20x_the_cache_stay_in_bounded_rss) {
  char path[600];
  snprintf(path, sizeof path, "%s/rss.db", tmpdir);
  remove_db(path);
  /* 2000 pages of 4 KiB: 20 times the children's 100-page cache.  Built in
  ** a child, so that this process's heap stays small for the others. */
  int64_t built = child_peak(path, "CREATE TABLE t(a INTEGER PRIMARY KEY, v INTEGER, pad BLOB);"
                                   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 8000) "
                                   "INSERT INTO t SELECT x, 0, randomblob(900) FROM c;");
  CHECK(built > 0);
  int64_t base = child_peak(path, "SELECT count(*) FROM sqlite_schema");
  int64_t scan = child_peak(path, "SELECT sum(length(pad)) FROM t");
  int64_t update = child_peak(path, "UPDATE t SET v = v + 1, pad = randomblob(901)");
  int64_t txn = child_peak(path, "BEGIN; UPDATE t SET v = v + 1; UPDATE t SET pad = zeroblob(800); COMMIT");
  /* INSERT … SELECT from another table streams its rows (no gathering first). */
  int64_t copy = child_peak(path, "CREATE TABLE c(a INTEGER PRIMARY KEY, pad BLOB); INSERT INTO c SELECT a, pad FROM t;"
                                  "DROP TABLE c");
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK(query_int(db, "PRAGMA page_count") >= 2000);
  CHECK_EQ_INT(query_int(db, "SELECT sum(v) FROM t"), 2 * 8000); /* the controls ran later */
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  CHECK(base > 0 && scan > 0 && update > 0 && txn > 0 && copy > 0);
  printf("  peak RSS KiB: base %lld, scan +%lld, update +%lld, transaction +%lld, insert-select +%lld (database %d KiB)\n",
         (long long)base, (long long)(scan - base), (long long)(update - base), (long long)(txn - base),
         (long long)(copy - base), 2000 * 4);
  /* The measure sees a cache that holds the whole 8 MB file. */
  int64_t big_cache = child_peak(path, "PRAGMA cache_size = 5000; SELECT sum(length(pad)) FROM t");
  int64_t no_spill = child_peak(path, "PRAGMA cache_spill = off; UPDATE t SET v = v - 1, pad = randomblob(902)");
  printf("  controls: 5000-page cache scan +%lld, update without spill +%lld\n", (long long)(big_cache - base),
         (long long)(no_spill - base));
  CHECK(big_cache - base > RSS_BOUND_KIB);
  CHECK(no_spill - base > RSS_BOUND_KIB);
  CHECK(scan - base < RSS_BOUND_KIB);
  CHECK(update - base < RSS_BOUND_KIB);
  CHECK(txn - base < RSS_BOUND_KIB);
  CHECK(copy - base < RSS_BOUND_KIB);
}
#endif

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode_spill_XXXXXX");
  if (!mkdtemp(tmpdir)) return 1;
  RUN(cache_size_and_spill_pragmas_answer_as_sqlite);
  RUN(spilled_transaction_commits_everything);
  RUN(checkpoints_copy_the_newest_frame_of_each_page);
  RUN(allocations_failing_while_spilling_lose_nothing);
  RUN(rollback_after_spill_restores_the_snapshot);
  RUN(rollback_to_and_failed_statements_after_spill);
  RUN(readers_see_none_of_a_spilled_transactions_pages);
  RUN(rollback_to_a_savepoint_taken_before_spilling);
  RUN(spilling_with_the_wal_index_in_the_heap);
  RUN(overflow_fields_read_from_wherever_their_pages_are);
  RUN(cache_spill_off_keeps_dirty_pages_in_memory);
  RUN(failing_writes_while_spilling);
  RUN(failing_writes_from_then_on_while_spilling);
  RUN(failing_writes_in_a_transaction_while_spilling);
  RUN(kill_during_spilling_transactions_keeps_committed_data);
#ifndef LODE_NO_RSS_TEST
  RUN(spilled_pages_hold_almost_no_heap);
  RUN(scan_and_update_of_20x_the_cache_stay_in_bounded_rss);
#endif
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) printf("could not remove %s\n", tmpdir);
  return test_summary();
}
