/*
** test_crash.c — durability: no acknowledged commit is ever lost and no
** partial transaction ever becomes visible.
**
**  1. Kill test.  A forked child commits transactions to a file database and
**     writes each acknowledged commit's number to a pipe; the parent SIGKILLs
**     it at a random moment (seeded, many rounds).  The file is then checked
**     (a) by `sqlite3` on a copy of the database and its WAL — recovery of
**     Lode's WAL by SQLite, PRAGMA integrity_check must print "ok" — and (b)
**     by Lode itself: every acknowledged transaction is present, every
**     transaction present is complete, and the b-trees pass
**     btree_integrity_check.  The next round's child continues on the same
**     file, so recovery after a kill is exercised on every round.
**  2. I/O failure injection through the os_fault wrapper (os/os.h): the
**     k-th write / fsync / read fails, for every k a commit needs.  The
**     failing commit must report LODE_IOERR*, its changes must not be
**     visible, earlier commits must survive, and the connection (or a fresh
**     one) must work again once the fault is gone.
**  3. The kill and fault tests again on an encrypted database (every open
**     goes through a file: URI with a cipher and key; sqlite3 cannot read
**     it, so only Lode's own checks run).
**
** Transactions: transaction k of round r inserts 1 + k % 4 rows tagged
** (r, k) into log (some with overflow payloads), one row (r, k) into txns,
** and every fifth one deletes an older acknowledged transaction's log rows,
** recording it in tomb.  Invariant: for each txns row, log holds exactly
** 1 + k % 4 rows of it unless tomb names it (then none); log holds no rows
** without a txns row.
*/
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conn/conn.h"
#include "lode.h"
#include "os/os.h"
#include "testdb.h"
#include "testlib.h"
#include "util/util.h"

#define KILL_ROUNDS 40
#define MAX_ACKS 100000
#define SQLITE3_CLI "/usr/bin/sqlite3"

static char tmpdir[256];

/* Set for the encrypted rounds: every lode_open below opens with this cipher and key. */
static const char *crash_cipher;
#define CRASH_HEXKEY "5a5b5c5d5e5f606162636465666768696a6b6c6d6e6f70717273747576777879"

static int crash_open(const char *path, lode **db) {
  if (!crash_cipher) return lode_open(path, db);
  char uri[800];
  snprintf(uri, sizeof uri, "file:%s?cipher=%s&hexkey=" CRASH_HEXKEY, path, crash_cipher);
  return lode_open_v2(uri, db, LODE_OPEN_READWRITE | LODE_OPEN_CREATE | LODE_OPEN_URI, NULL);
}
#define lode_open crash_open

/* sqlite3 checks the files too, unless they are encrypted. */
static int sqlite3_can_check(void) { return !crash_cipher && access(SQLITE3_CLI, X_OK) == 0; }





/* Runs a shell command and returns its first output line (without '\n'). */
static void cli_line(const char *cmd, char *out, size_t n) {
  FILE *p = popen(cmd, "r");
  out[0] = 0;
  if (!p) return;
  if (!fgets(out, (int)n, p)) out[0] = 0;
  while (fgetc(p) != EOF) {
  }
  pclose(p);
  size_t len = strlen(out);
  if (len && out[len - 1] == '\n') out[len - 1] = 0;
}


static const char *const schema_sql =
    "CREATE TABLE IF NOT EXISTS log(id INTEGER PRIMARY KEY, r INTEGER, k INTEGER, pad BLOB);"
    "CREATE TABLE IF NOT EXISTS txns(r INTEGER, k INTEGER);"
    "CREATE TABLE IF NOT EXISTS tomb(r INTEGER, k INTEGER);";

/* One transaction (r, k).  Returns the COMMIT's result. */
static int run_txn(lode *db, Rng *rng, int r, int k, int victim_r, int victim_k) {
  char sql[512];
  int rc = lode_exec(db, "BEGIN", NULL);
  for (int i = 0; rc == LODE_OK && i < 1 + k % 4; i++) {
    int size = rng_int(rng, 10) == 0 ? 5000 + rng_int(rng, 9000) : rng_int(rng, 400);
    snprintf(sql, sizeof sql, "INSERT INTO log(r, k, pad) VALUES (%d, %d, randomblob(%d))", r, k, size);
    rc = lode_exec(db, sql, NULL);
  }
  if (rc == LODE_OK) {
    snprintf(sql, sizeof sql, "INSERT INTO txns VALUES (%d, %d)", r, k);
    rc = lode_exec(db, sql, NULL);
  }
  if (rc == LODE_OK && victim_r >= 0) {
    snprintf(sql, sizeof sql, "DELETE FROM log WHERE r = %d AND k = %d; INSERT INTO tomb VALUES (%d, %d)", victim_r,
             victim_k, victim_r, victim_k);
    rc = lode_exec(db, sql, NULL);
  }
  if (rc != LODE_OK) {
    lode_exec(db, "ROLLBACK", NULL);
    return rc;
  }
  rc = lode_exec(db, "COMMIT", NULL);
  /* A COMMIT that fails on an I/O error ends the transaction, as in SQLite. */
  if (rc != LODE_OK && !lode_get_autocommit(db)) {
    printf("  COMMIT failed (rc=%d) and left the transaction open\n", rc);
    lode_exec(db, "ROLLBACK", NULL);
    return LODE_INTERNAL;
  }
  return rc;
}

/* Checks the invariant of the header comment through Lode.  acked lists
** acknowledged (r, k) pairs.  Returns problems (printed). */
static int verify_db(lode *db, const int (*acked)[2], int nacked, const char *when) {
  int bad = 0;
  char msg[256];
  /* every transaction present is complete */
  int64_t partial = query_int(db,
                              "SELECT count(*) FROM (SELECT t.r, t.k, "
                              " (SELECT count(*) FROM log l WHERE l.r = t.r AND l.k = t.k) AS n, "
                              " (SELECT count(*) FROM tomb d WHERE d.r = t.r AND d.k = t.k) AS dead "
                              " FROM txns t) WHERE NOT ((dead = 0 AND n = 1 + k % 4) OR (dead = 1 AND n = 0))");
  if (partial == -1) {
    /* subqueries may not be supported yet: check row by row instead */
    lode_stmt *st = NULL;
    partial = 0;
    if (lode_prepare(db, "SELECT r, k FROM txns", -1, &st, NULL) != LODE_OK) {
      printf("  %s: txns unreadable: %s\n", when, lode_errmsg(db));
      return 1;
    }
    while (lode_step(st) == LODE_ROW) {
      char sql[200];
      int r = lode_column_int(st, 0), k = lode_column_int(st, 1);
      snprintf(sql, sizeof sql, "SELECT count(*) FROM log WHERE r = %d AND k = %d", r, k);
      int64_t n = query_int(db, sql);
      snprintf(sql, sizeof sql, "SELECT count(*) FROM tomb WHERE r = %d AND k = %d", r, k);
      int64_t dead = query_int(db, sql);
      if (!((dead == 0 && n == 1 + k % 4) || (dead == 1 && n == 0))) {
        if (partial++ < 3) printf("  %s: txn (%d,%d) has %lld rows, tomb %lld\n", when, r, k, (long long)n,
                                  (long long)dead);
      }
    }
    lode_finalize(st);
  }
  if (partial != 0) {
    printf("  %s: %lld incomplete transactions\n", when, (long long)partial);
    bad++;
  }
  /* no orphan log rows: log rows belong to committed transactions */
  int64_t logrows = query_int(db, "SELECT count(*) FROM log");
  lode_stmt *st = NULL;
  int64_t expect_rows = 0;
  if (lode_prepare(db, "SELECT k FROM txns", -1, &st, NULL) == LODE_OK) {
    while (lode_step(st) == LODE_ROW) expect_rows += 1 + lode_column_int(st, 0) % 4;
    lode_finalize(st);
  }
  int64_t dead_rows = 0;
  if (lode_prepare(db, "SELECT k FROM tomb", -1, &st, NULL) == LODE_OK) {
    while (lode_step(st) == LODE_ROW) dead_rows += 1 + lode_column_int(st, 0) % 4;
    lode_finalize(st);
  }
  if (logrows != expect_rows - dead_rows) {
    printf("  %s: log has %lld rows, transactions account for %lld\n", when, (long long)logrows,
           (long long)(expect_rows - dead_rows));
    bad++;
  }
  /* every acknowledged commit is there */
  int missing = 0;
  for (int i = 0; i < nacked; i++) {
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM txns WHERE r = %d AND k = %d", acked[i][0], acked[i][1]);
    if (query_int(db, sql) != 1 && missing++ < 3)
      printf("  %s: acknowledged commit (%d,%d) lost\n", when, acked[i][0], acked[i][1]);
  }
  if (missing) bad++;
  int nerr = check_btrees(db, msg, sizeof msg);
  if (nerr != 0) {
    printf("  %s: btree check: %d %s\n", when, nerr, msg);
    bad++;
  }
  return bad;
}

/* ---- 1. SIGKILL at random moments --------------------------------------------- */

/* The child: commits transactions of round r until killed, acknowledging
** each commit with its k on the pipe. */
static void child_writer(const char *path, int r, int fd, const int (*acked)[2], int nacked) {
  lode *db = NULL;
  Rng rng;
  rng_seed(&rng, (uint64_t)r * 31 + 5);
  if (lode_open(path, &db) != LODE_OK || lode_exec(db, schema_sql, NULL) != LODE_OK) _exit(3);
  for (int k = 0;; k++) {
    int vr = -1, vk = -1;
    if (k % 5 == 4 && nacked > 0) { /* delete an older acknowledged transaction, once */
      int i = rng_int(&rng, nacked);
      if ((acked[i][1] % 5) != 1) { /* keep some (r, 1) rows forever */
        vr = acked[i][0];
        vk = acked[i][1];
      }
      char sql[160];
      snprintf(sql, sizeof sql, "SELECT count(*) FROM tomb WHERE r = %d AND k = %d", vr, vk);
      if (vr >= 0 && query_int(db, sql) != 0) vr = vk = -1;
    }
    int rc = run_txn(db, &rng, r, k, vr, vk);
    if (rc != LODE_OK) _exit(4);
    int32_t msg = k;
    if (write(fd, &msg, sizeof msg) != (ssize_t)sizeof msg) _exit(5);
  }
}

/* Checks a copy of the killed database (file + WAL) with sqlite3. */
static int sqlite_check_copy(const char *path, int round) {
  char copy[600], cmd[1600], line[256];
  int bad = 0;
  if (!sqlite3_can_check()) return 0;
  snprintf(copy, sizeof copy, "%s/copy.db", tmpdir);
  remove_db(copy);
  snprintf(cmd, sizeof cmd, "cp '%s' '%s' && (test ! -f '%s-wal' || cp '%s-wal' '%s-wal')", path, copy, path, path,
           copy);
  if (system(cmd) != 0) return 1;
  snprintf(cmd, sizeof cmd, SQLITE3_CLI " '%s' 'PRAGMA integrity_check' 2>&1", copy);
  cli_line(cmd, line, sizeof line);
  if (strcmp(line, "ok") != 0) {
    printf("  round %d: sqlite3 integrity_check: %s\n", round, line);
    bad++;
  }
  snprintf(cmd, sizeof cmd,
           SQLITE3_CLI " '%s' \"SELECT count(*) FROM txns t WHERE (SELECT count(*) FROM log l WHERE l.r = t.r AND "
                       "l.k = t.k) <> CASE WHEN EXISTS (SELECT 1 FROM tomb d WHERE d.r = t.r AND d.k = t.k) THEN 0 "
                       "ELSE 1 + t.k %% 4 END\" 2>&1",
           copy);
  cli_line(cmd, line, sizeof line);
  if (strcmp(line, "0") != 0) {
    printf("  round %d: sqlite3 sees incomplete transactions: %s\n", round, line);
    bad++;
  }
  remove_db(copy);
  return bad;
}

TEST(kill_during_commits_loses_nothing) {
  static int acked[MAX_ACKS][2];
  int nacked = 0, total_bad = 0;
  char path[600];
  Rng rng;
  rng_seed(&rng, 2026);
  snprintf(path, sizeof path, "%s/kill.db", tmpdir);
  remove_db(path);
  lode *setup = NULL;
  CHECK_EQ_INT(lode_open(path, &setup), LODE_OK);
  CHECK_EQ_INT(lode_exec(setup, schema_sql, NULL), LODE_OK);
  CHECK_EQ_INT(lode_close(setup), LODE_OK);
  for (int round = 0; round < KILL_ROUNDS && total_bad == 0; round++) {
    int fds[2];
    if (pipe(fds) != 0) {
      CHECK(0);
      return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      child_writer(path, round, fds[1], (const int (*)[2])acked, nacked);
      _exit(0);
    }
    close(fds[1]);
    /* let it commit a random number of transactions, then kill it at a
    ** random moment inside the next ones */
    int target = rng_int(&rng, 25), got = 0;
    int32_t k;
    while (got < target && read(fds[0], &k, sizeof k) == (ssize_t)sizeof k) {
      if (nacked < MAX_ACKS) {
        acked[nacked][0] = round;
        acked[nacked][1] = k;
        nacked++;
      }
      got++;
    }
    struct timespec ts = {0, (long)rng_int(&rng, 3000) * 1000L};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
      printf("  round %d: writer ended by itself (status %d)\n", round, status);
      total_bad++;
    }
    /* acknowledgements written before the kill count too */
    while (read(fds[0], &k, sizeof k) == (ssize_t)sizeof k) {
      if (nacked < MAX_ACKS) {
        acked[nacked][0] = round;
        acked[nacked][1] = k;
        nacked++;
      }
    }
    close(fds[0]);
    total_bad += sqlite_check_copy(path, round);
    lode *db = NULL;
    char when[64];
    snprintf(when, sizeof when, "after kill %d", round);
    if (lode_open(path, &db) != LODE_OK) {
      printf("  %s: reopen failed: %s\n", when, lode_errmsg(db));
      total_bad++;
    } else {
      total_bad += verify_db(db, (const int (*)[2])acked, nacked, when);
    }
    lode_close(db); /* checkpoints: the next writer starts from the database file */
  }
  CHECK_EQ_INT(total_bad, 0);
  CHECK(nacked > KILL_ROUNDS); /* the writers did commit things */
  if (sqlite3_can_check()) {
    char cmd[800], line[256];
    snprintf(cmd, sizeof cmd, SQLITE3_CLI " '%s' 'PRAGMA integrity_check' 2>&1", path);
    cli_line(cmd, line, sizeof line);
    CHECK_EQ_STR(line, "ok");
  }
}

/* A killed writer leaves a WAL; a second kill during recovery-then-write
** must not lose the first WAL's commits either: the child is killed while
** the WAL is still live (no clean close between rounds). */
TEST(kill_without_any_clean_close) {
  static int acked[4096][2];
  int nacked = 0, bad = 0;
  char path[600];
  snprintf(path, sizeof path, "%s/kill2.db", tmpdir);
  remove_db(path);
  for (int round = 0; round < 8; round++) {
    int fds[2];
    if (pipe(fds) != 0) return;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      child_writer(path, round, fds[1], (const int (*)[2])acked, nacked);
      _exit(0);
    }
    close(fds[1]);
    int32_t k;
    for (int got = 0; got < 3 + round && read(fds[0], &k, sizeof k) == (ssize_t)sizeof k; got++) {
      acked[nacked][0] = round;
      acked[nacked][1] = k;
      nacked++;
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    while (read(fds[0], &k, sizeof k) == (ssize_t)sizeof k && nacked < 4096) {
      acked[nacked][0] = round;
      acked[nacked][1] = k;
      nacked++;
    }
    close(fds[0]);
    char walpath[700];
    snprintf(walpath, sizeof walpath, "%s-wal", path);
    CHECK(access(walpath, F_OK) == 0); /* the WAL survives the kill */
    bad += sqlite_check_copy(path, round);
  }
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  bad += verify_db(db, (const int (*)[2])acked, nacked, "after kills without close");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  CHECK_EQ_INT(bad, 0);
}

/* Writers are killed while another process stays connected: the -shm is
** not reset between them (its dead-man switch is held), so the next writer
** and the reader meet whatever a killed writer left in it (hash entries past
** the last commit, a header it did not finish).  The reader checks the
** invariant in one snapshot (BEGIN … COMMIT) over and over: it never sees a
** partial transaction; afterwards every acknowledged commit is there. */
TEST(kill_while_another_process_reads) {
  static int acked[4096][2];
  int nacked = 0, bad = 0;
  char path[600];
  snprintf(path, sizeof path, "%s/kill3.db", tmpdir);
  remove_db(path);
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, schema_sql, NULL), LODE_OK);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  int stop[2];
  if (pipe(stop) != 0) return;
  fflush(stdout);
  pid_t reader = fork();
  if (reader == 0) {
    close(stop[1]);
    fcntl(stop[0], F_SETFL, O_NONBLOCK);
    lode *rdb = NULL;
    if (lode_open(path, &rdb) != LODE_OK) _exit(100);
    lode_busy_timeout(rdb, 5000);
    int rbad = 0, reads = 0;
    char c;
    while (read(stop[0], &c, 1) != 0 && rbad < 3) {
      if (lode_exec(rdb, "BEGIN", NULL) != LODE_OK) rbad++;
      rbad += verify_db(rdb, NULL, 0, "reader");
      if (lode_exec(rdb, "COMMIT", NULL) != LODE_OK) rbad++;
      reads++;
      usleep(1000);
    }
    lode_close(rdb);
    _exit(rbad ? 1 : reads > 0 ? 0 : 2);
  }
  close(stop[0]);
  Rng rng;
  rng_seed(&rng, 77);
  for (int round = 0; round < 12; round++) {
    int fds[2];
    if (pipe(fds) != 0) break;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      close(stop[1]);
      child_writer(path, round, fds[1], (const int (*)[2])acked, nacked);
      _exit(0);
    }
    close(fds[1]);
    int32_t k;
    int want = 2 + rng_int(&rng, 10);
    for (int got = 0; got < want && read(fds[0], &k, sizeof k) == (ssize_t)sizeof k; got++) {
      acked[nacked][0] = round;
      acked[nacked][1] = k;
      nacked++;
    }
    usleep((useconds_t)rng_int(&rng, 3000));
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    while (read(fds[0], &k, sizeof k) == (ssize_t)sizeof k && nacked < 4096) {
      acked[nacked][0] = round;
      acked[nacked][1] = k;
      nacked++;
    }
    close(fds[0]);
  }
  db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  lode_busy_timeout(db, 5000);
  bad += verify_db(db, (const int (*)[2])acked, nacked, "with the reader still connected");
  close(stop[1]);
  int status = 0;
  waitpid(reader, &status, 0);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  bad += verify_db(db, (const int (*)[2])acked, nacked, "after the last close");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  CHECK_EQ_INT(bad, 0);
  CHECK(nacked > 12);
}

/* A WAL damaged after a crash (flipped bytes in its header, frame headers,
** salts, checksums or page images; truncation): opening must not crash,
** recovery keeps a prefix of the commits, so every transaction present is
** complete; the result passes the b-tree check. */
TEST(damaged_wal_recovers_a_consistent_prefix) {
  char path[600], wal[700], copy[600], copywal[700];
  int bad = 0, opened = 0;
  snprintf(path, sizeof path, "%s/walsrc.db", tmpdir);
  snprintf(wal, sizeof wal, "%s-wal", path);
  snprintf(copy, sizeof copy, "%s/walcopy.db", tmpdir);
  snprintf(copywal, sizeof copywal, "%s-wal", copy);
  remove_db(path);
  /* a writer killed after 12 commits leaves the WAL behind */
  int fds[2];
  if (pipe(fds) != 0) return;
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    child_writer(path, 0, fds[1], NULL, 0);
    _exit(0);
  }
  close(fds[1]);
  int32_t k;
  for (int got = 0; got < 12 && read(fds[0], &k, sizeof k) == (ssize_t)sizeof k; got++) {
  }
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  close(fds[0]);
  FILE *f = fopen(wal, "rb");
  CHECK(f != NULL);
  if (!f) return;
  static uint8_t walbytes[1 << 22];
  size_t n = fread(walbytes, 1, sizeof walbytes, f);
  fclose(f);
  CHECK(n > 32);
  char cmd[1400];
  snprintf(cmd, sizeof cmd, "cp '%s' '%s'", path, copy);
  Rng rng;
  rng_seed(&rng, 11);
  for (int seed = 0; seed < 150; seed++) {
    static uint8_t buf[1 << 22];
    size_t len = n;
    memcpy(buf, walbytes, n);
    int what = rng_int(&rng, 4);
    if (what == 0) len = (size_t)rng_int(&rng, (int)n); /* torn tail */
    else {
      int flips = 1 + rng_int(&rng, 4);
      for (int i = 0; i < flips; i++) {
        size_t off;
        if (what == 1) off = (size_t)rng_int(&rng, 32);                    /* WAL header */
        else if (what == 2) off = 32 + (size_t)rng_int(&rng, 24);          /* first frame header */
        else off = (size_t)rng_int(&rng, (int)n);                          /* anywhere */
        buf[off] ^= (uint8_t)(1 + rng_int(&rng, 255));
      }
    }
    remove_db(copy);
    if (system(cmd) != 0) break;
    f = fopen(copywal, "wb");
    if (!f) break;
    fwrite(buf, 1, len, f);
    fclose(f);
    lode *db = NULL;
    char when[64];
    snprintf(when, sizeof when, "damaged WAL seed %d", seed);
    int rc = lode_open(copy, &db);
    if (rc == LODE_OK) {
      opened++;
      int64_t t = query_int(db, "SELECT count(*) FROM txns");
      if (t >= 0) bad += verify_db(db, NULL, 0, when);
    } else if ((rc & 0xff) != LODE_CORRUPT && (rc & 0xff) != LODE_NOTADB && (rc & 0xff) != LODE_IOERR) {
      printf("  %s: open rc=%d\n", when, rc);
      bad++;
    }
    lode_close(db);
    if (bad > 3) break;
  }
  CHECK(opened > 0);
  CHECK_EQ_INT(bad, 0);
}

/* ---- 2. injected I/O failures --------------------------------------------------- */

/* Counts the operations of `kinds` one transaction needs. */
static int ops_of_one_txn(lode *db, int kinds, int r, int k) {
  Rng rng;
  rng_seed(&rng, 99);
  os_fault_arm(kinds, 1 << 30, 0);
  int rc = run_txn(db, &rng, r, k, -1, -1);
  int n = os_fault_seen();
  os_fault_arm(0, 0, 0);
  return rc == LODE_OK ? n : -1;
}

static int is_ioerr(int rc) { return (rc & 0xff) == LODE_IOERR; }

/* For each k: the k-th operation of `kinds` in a commit fails (and, with
** repeat, all after it).  The commit reports an I/O error or succeeds
** (when k is past its last operation); then the database still works and,
** reopened, holds exactly the acknowledged transactions. */
static void fault_sweep(int kinds, int repeat, const char *name) {
  static int acked[2048][2];
  int nacked = 0, r = 0, failures = 0, bad = 0;
  char path[600];
  snprintf(path, sizeof path, "%s/fault_%s_%d.db", tmpdir, name, repeat);
  remove_db(path);
  os_fault_enable(1);
  lode *db = NULL;
  int rc = lode_open(path, &db);
  if (rc == LODE_OK) rc = lode_exec(db, schema_sql, NULL);
  CHECK_EQ_INT(rc, LODE_OK);
  Rng rng;
  rng_seed(&rng, 7);
  for (int k = 0; k < 3; k++) {
    CHECK_EQ_INT(run_txn(db, &rng, r, k, -1, -1), LODE_OK);
    acked[nacked][0] = r;
    acked[nacked][1] = k;
    nacked++;
  }
  int nops = ops_of_one_txn(db, kinds, r, 3);
  acked[nacked][0] = r;
  acked[nacked][1] = 3;
  nacked++;
  CHECK(nops > 0);
  for (int after = 0; after <= nops && nacked < 2000; after++) {
    r++;
    os_fault_arm(kinds, after, repeat);
    rc = run_txn(db, &rng, r, 0, -1, -1);
    int injected = os_fault_failed();
    os_fault_arm(0, 0, 0);
    if (rc == LODE_OK) {
      acked[nacked][0] = r;
      acked[nacked][1] = 0;
      nacked++;
    } else {
      failures++;
      if (!is_ioerr(rc)) {
        printf("  %s after %d: commit failed with rc=%d (%s), not an I/O error\n", name, after, rc,
               lode_errmsg(db));
        bad++;
      }
      if (!injected) {
        printf("  %s after %d: rc=%d without an injected fault\n", name, after, rc);
        bad++;
      }
    }
    /* the connection works on once the fault is gone */
    char when[96];
    snprintf(when, sizeof when, "%s fault after %d ops (rc %d)", name, after, rc);
    if (!lode_get_autocommit(db)) lode_exec(db, "ROLLBACK", NULL);
    rc = run_txn(db, &rng, r, 1, -1, -1);
    if (rc != LODE_OK) {
      printf("  %s: next commit failed: rc=%d %s\n", when, rc, lode_errmsg(db));
      bad++;
      /* a fresh connection must recover */
      lode_close(db);
      db = NULL;
      if (lode_open(path, &db) != LODE_OK) {
        printf("  %s: reopen failed\n", when);
        bad++;
        break;
      }
    } else {
      acked[nacked][0] = r;
      acked[nacked][1] = 1;
      nacked++;
    }
    bad += verify_db(db, (const int (*)[2])acked, nacked, when);
    if (bad > 3) break;
  }
  CHECK(failures > 0);
  /* a close whose checkpoint fails keeps the WAL; the data survives */
  os_fault_arm(kinds, 0, 1);
  rc = lode_close(db);
  os_fault_arm(0, 0, 0);
  CHECK(rc == LODE_OK || is_ioerr(rc));
  if (rc != LODE_OK) db = NULL; /* the handle is gone either way */
  os_fault_enable(0);
  db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  bad += verify_db(db, (const int (*)[2])acked, nacked, "reopened after faults");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  if (sqlite3_can_check()) {
    char cmd[800], line[256];
    snprintf(cmd, sizeof cmd, SQLITE3_CLI " '%s' 'PRAGMA integrity_check' 2>&1", path);
    cli_line(cmd, line, sizeof line);
    CHECK_EQ_STR(line, "ok");
  }
  CHECK_EQ_INT(bad, 0);
}

TEST(failing_write_reports_ioerr_keeps_commits) { fault_sweep(OS_FAULT_WRITE, 0, "write"); }
TEST(failing_writes_from_then_on) { fault_sweep(OS_FAULT_WRITE, 1, "write"); }
TEST(failing_fsync_reports_ioerr_keeps_commits) { fault_sweep(OS_FAULT_SYNC, 0, "fsync"); }
TEST(failing_write_or_fsync_repeatedly) { fault_sweep(OS_FAULT_WRITE | OS_FAULT_SYNC, 1, "both"); }

/* Reads failing at every point of open + queries: an error code, never a
** crash, and the file is untouched. */
TEST(failing_reads_give_ioerr) {
  char path[600];
  snprintf(path, sizeof path, "%s/reads.db", tmpdir);
  remove_db(path);
  lode *db = NULL;
  Rng rng;
  rng_seed(&rng, 3);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, schema_sql, NULL), LODE_OK);
  for (int k = 0; k < 6; k++) CHECK_EQ_INT(run_txn(db, &rng, 0, k, -1, -1), LODE_OK);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  os_fault_enable(1);
  int bad = 0, worked = 0;
  for (int after = 0; after < 400 && !worked; after++) {
    os_fault_arm(OS_FAULT_READ, after, rng_int(&rng, 2));
    db = NULL;
    int rc = lode_open(path, &db);
    int64_t n = -1;
    if (rc == LODE_OK) {
      lode_stmt *st = NULL;
      rc = lode_prepare(db, "SELECT count(*), sum(length(pad)) FROM log", -1, &st, NULL);
      if (rc == LODE_OK) {
        rc = lode_step(st);
        if (rc == LODE_ROW) n = lode_column_int64(st, 0);
        else if (rc == LODE_DONE) rc = LODE_ERROR;
        lode_finalize(st);
      }
      if (rc != LODE_ROW && !is_ioerr(lode_extended_errcode(db)) && (rc & 0xff) != LODE_IOERR) {
        printf("  read fault after %d: rc=%d (%s)\n", after, rc, lode_errmsg(db));
        bad++;
      }
    } else if (!is_ioerr(rc) && rc != LODE_CANTOPEN) {
      printf("  read fault after %d: open rc=%d\n", after, rc);
      bad++;
    }
    if (!os_fault_failed()) worked = 1;
    os_fault_arm(0, 0, 0);
    if (worked) CHECK_EQ_INT(n, 1 + 2 + 3 + 4 + 1 + 2);
    lode_close(db);
  }
  os_fault_enable(0);
  CHECK(worked);
  CHECK_EQ_INT(bad, 0);
  db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM txns"), 6);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* A file lock that cannot be had (injected: another process holds it) makes
** reads and writes fail with SQLITE_BUSY, changes nothing, and the
** connection works once the lock is free again. */
TEST(failing_lock_gives_busy_changes_nothing) {
  char path[600];
  snprintf(path, sizeof path, "%s/lock.db", tmpdir);
  remove_db(path);
  os_fault_enable(1);
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1)", NULL), LODE_OK);
  os_fault_arm(OS_FAULT_LOCK, 0, 1);
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t VALUES(2)", NULL), LODE_BUSY);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), -1);
  CHECK_EQ_INT(lode_extended_errcode(db), LODE_BUSY);
  /* With a busy timeout the lock is retried, and still refused. */
  lode_busy_timeout(db, 30);
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t VALUES(3)", NULL), LODE_BUSY);
  CHECK(os_fault_seen() > 3);
  os_fault_arm(0, 0, 0);
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t VALUES(4)", NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT x FROM t"), "1\n4\n");
  os_fault_enable(0);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* The -shm cannot be mapped (injected): opening or the first statement
** reports an I/O error; a commit that needs a new wal-index region fails
** before writing anything; once mapping works, nothing is lost or half there. */
TEST(failing_shm_map_gives_ioerr_changes_nothing) {
  char path[600];
  snprintf(path, sizeof path, "%s/shm.db", tmpdir);
  remove_db(path);
  os_fault_enable(1);
  lode *db = NULL, *keep = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1)", NULL), LODE_OK);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  os_fault_arm(OS_FAULT_SHM, 0, 1);
  db = NULL;
  int rc = lode_open(path, &db);
  if (rc == LODE_OK) rc = lode_exec(db, "INSERT INTO t VALUES(2)", NULL);
  CHECK(is_ioerr(rc));
  CHECK(os_fault_failed() > 0);
  lode_close(db);
  os_fault_arm(0, 0, 0);
  /* A reader keeps the WAL from being checkpointed, so that a big commit
  ** needs a second wal-index region: mapping it fails before any frame. */
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_INT(lode_open(path, &keep), LODE_OK);
  CHECK_EQ_INT(lode_exec(keep, "BEGIN; SELECT count(*) FROM t", NULL), LODE_OK);
  os_fault_arm(OS_FAULT_SHM, 0, 1);
  CHECK(is_ioerr(lode_exec(db, "INSERT INTO t VALUES(zeroblob(20000000))", NULL)));
  os_fault_arm(0, 0, 0);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 1);
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t VALUES(zeroblob(20000000))", NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(keep, "COMMIT", NULL), LODE_OK);
  CHECK_EQ_INT(query_int(keep, "SELECT count(*) FROM t"), 2);
  CHECK_EQ_INT(lode_close(keep), LODE_OK);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  os_fault_enable(0);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 2);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

/* The pager's mutexes come from the VFS: when they cannot be made, opening
** fails with SQLITE_NOMEM and leaks nothing (ASan); and no path -- commits,
** failed writes, reads, busy waits on another connection's write lock --
** returns with one of them still held. */
TEST(mutexes_from_the_vfs_fail_cleanly_and_are_never_left_held) {
  char path[600];
  snprintf(path, sizeof path, "%s/mutex.db", tmpdir);
  remove_db(path);
  os_fault_enable(1);
  lode *db = NULL, *other = NULL;
  for (int after = 0; after < 3; after++) { /* the mutex, then each condition variable */
    os_fault_arm(OS_FAULT_MUTEX, after, 0);
    db = NULL;
    CHECK_EQ_INT(lode_open(path, &db), LODE_NOMEM);
    CHECK_EQ_INT(os_fault_failed(), 1);
    lode_close(db);
  }
  os_fault_arm(0, 0, 0);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_INT(os_fault_mutexes_held(), 0);
  CHECK_EQ_INT(lode_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1)", NULL), LODE_OK);
  CHECK_EQ_INT(os_fault_mutexes_held(), 0);
  os_fault_arm(OS_FAULT_WRITE, 0, 1);
  CHECK(is_ioerr(lode_exec(db, "INSERT INTO t VALUES(2)", NULL)));
  CHECK_EQ_INT(os_fault_mutexes_held(), 0);
  os_fault_arm(OS_FAULT_SYNC, 0, 1);
  CHECK(is_ioerr(lode_exec(db, "INSERT INTO t VALUES(3)", NULL)));
  CHECK_EQ_INT(os_fault_mutexes_held(), 0);
  os_fault_arm(0, 0, 0);
  CHECK_EQ_INT(lode_open(path, &other), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "BEGIN IMMEDIATE; INSERT INTO t VALUES(4)", NULL), LODE_OK);
  lode_busy_timeout(other, 20);
  CHECK_EQ_INT(lode_exec(other, "INSERT INTO t VALUES(5)", NULL), LODE_BUSY);
  CHECK_EQ_INT(os_fault_mutexes_held(), 0);
  CHECK_EQ_INT(lode_exec(db, "COMMIT", NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(other, "INSERT INTO t VALUES(5); PRAGMA wal_checkpoint(TRUNCATE)", NULL), LODE_OK);
  CHECK_EQ_INT(os_fault_mutexes_held(), 0);
  CHECK_EQ_STR(query(db, "SELECT x FROM t"), "1\n4\n5\n");
  CHECK_EQ_INT(lode_close(other), LODE_OK);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  CHECK_EQ_INT(os_fault_mutexes_held(), 0);
  os_fault_enable(0);
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode_crash_XXXXXX");
  if (!mkdtemp(tmpdir)) return 1;
  RUN(kill_during_commits_loses_nothing);
  RUN(kill_without_any_clean_close);
  RUN(kill_while_another_process_reads);
  RUN(damaged_wal_recovers_a_consistent_prefix);
  RUN(failing_write_reports_ioerr_keeps_commits);
  RUN(failing_writes_from_then_on);
  RUN(failing_fsync_reports_ioerr_keeps_commits);
  RUN(failing_write_or_fsync_repeatedly);
  RUN(failing_reads_give_ioerr);
  RUN(failing_lock_gives_busy_changes_nothing);
  RUN(failing_shm_map_gives_ioerr_changes_nothing);
  RUN(mutexes_from_the_vfs_fail_cleanly_and_are_never_left_held);
  crash_cipher = "aegis256";
  RUN(kill_during_commits_loses_nothing);
  RUN(kill_without_any_clean_close);
  RUN(failing_write_reports_ioerr_keeps_commits);
  RUN(failing_fsync_reports_ioerr_keeps_commits);
  RUN(failing_reads_give_ioerr);
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) printf("could not remove %s\n", tmpdir);
  return test_summary();
}
