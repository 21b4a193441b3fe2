/*
** crash.c — SIGKILL during MVCC commits and checkpoints, on the scheme of
** the storage crash test (test/c/test_crash.c): a forked child writes and
** reports on a pipe, the parent kills it at a random moment, then checks
** the file, and the next round's child goes on with the same file.
**
** The child interleaves three connections in one thread (BEGIN CONCURRENT
** transactions, so some conflict and abort), and between transactions runs
** checkpoints of every kind, so kills land in commits, in conflicts and in
** checkpoints.  Transaction T inserts a row T into txns, 1 + T % 3 rows
** into log (some with overflow payloads), and adds 1 to one of three hot
** counters; before its COMMIT the child reports "intent T", after it "ack T"
** or "abort T".
**
** After each kill, through Lode: every acknowledged transaction is there;
** every transaction there was acknowledged or in flight at the kill (never
** one reported aborted); each is whole (its log rows, no orphan log rows,
** the counters sum to the transactions); the mode is still mvcc; after
** PRAGMA wal_checkpoint(TRUNCATE) integrity_check is ok.  Then, once Lode
** has closed the file, the sqlite3 CLI opens a copy: integrity_check ok and
** the same transactions.
**
** wal mode (BEGIN IMMEDIATE) runs the same harness as its own validation;
** mvcc mode prints "SKIP (no mvcc)" while the engine refuses the pragma.
** LODE_MVCC_LONG=1 runs more rounds.
*/
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>

#include "mvcc_test.h"

#define SQLITE3_CLI "/usr/bin/sqlite3"
#define NCONN 3
#define MAX_TXN 2000000

enum { MSG_INTENT = 1, MSG_ACK = 2, MSG_ABORT = 3 };
enum { ST_NONE, ST_INFLIGHT, ST_ACKED, ST_ABORTED };

static unsigned char txn_state[MAX_TXN]; /* by transaction id */
static int mode_mvcc;
/* A broken child that acknowledges before COMMIT: kills between must be caught as lost commits. */
static int break_ack_early;
static int last_bad; /* problems found by the last kill_rounds */

static uint64_t rng;
static int rnd(int n) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return (int)(rng % (uint64_t)n);
}

static void send_msg(int fd, int type, int id) {
  int32_t m[2] = {type, id};
  if (write(fd, m, sizeof m) != (ssize_t)sizeof m) _exit(5);
}

/* One step of a child connection's transaction. */
typedef struct Child {
  sqlite3 *db;
  int id, step; /* step 0: not in a transaction */
} Child;

static void child_step(Child *c, int fd, int *next_id) {
  char sql[256];
  int rc = SQLITE_OK;
  if (c->step == 0) {
    rc = ex(c->db, mode_mvcc ? "BEGIN CONCURRENT" : "BEGIN IMMEDIATE");
    if ((rc & 0xff) == SQLITE_BUSY) return; /* wal: another holds the write lock */
    if (rc != SQLITE_OK) _exit(3);
    c->id = (*next_id)++;
    c->step = 1;
    return;
  }
  int nlog = 1 + c->id % 3;
  if (c->step <= nlog) {
    int size = rnd(8) == 0 ? 3000 + rnd(6000) : rnd(200);
    snprintf(sql, sizeof sql, "INSERT INTO log(txn, pad) VALUES (%d, randomblob(%d))", c->id, size);
    rc = ex(c->db, sql);
  } else if (c->step == nlog + 1) {
    snprintf(sql, sizeof sql, "INSERT INTO txns(id) VALUES (%d); UPDATE hot SET n = n + 1 WHERE id = %d", c->id,
             1 + rnd(3));
    rc = ex(c->db, sql);
  } else {
    send_msg(fd, break_ack_early ? MSG_ACK : MSG_INTENT, c->id);
    if (break_ack_early) { /* widen the window the kill must find */
      struct timespec ts = {0, 5 * 1000 * 1000};
      nanosleep(&ts, NULL);
    }
    rc = ex(c->db, "COMMIT");
    if (rc == SQLITE_OK) {
      if (!break_ack_early) send_msg(fd, MSG_ACK, c->id);
      c->step = 0;
      return;
    }
    if ((rc & 0xff) == SQLITE_BUSY && !sqlite3_get_autocommit(c->db)) return; /* retried at its next step */
  }
  if (rc == SQLITE_OK) {
    c->step++;
    return;
  }
  if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_CONSTRAINT) _exit(4);
  if (!sqlite3_get_autocommit(c->db) && ex(c->db, "ROLLBACK") != SQLITE_OK) _exit(6);
  send_msg(fd, MSG_ABORT, c->id);
  c->step = 0;
}

static void child(const char *path, int round, int fd) {
  Child c[NCONN];
  int next_id = round * 5000 + 1;
  rng = 0x9E3779B97F4A7C15ull ^ (uint64_t)(round + 1) * 7919;
  for (int i = 0; i < NCONN; i++) {
    c[i] = (Child){mt_open(path), 0, 0};
    if (!c[i].db) _exit(2);
    ex(c[i].db, "PRAGMA synchronous = FULL");
  }
  static const char *const ck[] = {"PRAGMA wal_checkpoint(PASSIVE)", "PRAGMA wal_checkpoint(FULL)",
                                   "PRAGMA wal_checkpoint(RESTART)", "PRAGMA wal_checkpoint(TRUNCATE)"};
  for (;;) {
    Child *x = &c[rnd(NCONN)];
    if (x->step == 0 && rnd(12) == 0) {
      int rc = ex(x->db, ck[rnd(4)]);
      if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY) _exit(7);
      continue;
    }
    child_step(x, fd, &next_id);
  }
}

/* A problem found after a kill (silent for the broken child, whose problems are the point). */
static void note(const char *fmt, ...) {
  va_list ap;
  if (break_ack_early) return;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
}

/* The first line a shell command prints. */
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

/* The checks after a kill, through Lode; returns the problems found (printed). */
static int verify(const char *path, int round, char *ids_out, size_t ids_n) {
  int bad = 0;
  sqlite3 *db = mt_open(path);
  if (!db) return 1;
  if (mode_mvcc && strcmp(q(db, "PRAGMA journal_mode"), "mvcc") != 0) {
    note("  round %d: journal_mode is %s after the kill\n", round, q(db, "PRAGMA journal_mode"));
    bad++;
  }
  sqlite3_stmt *s = NULL;
  int present = 0, missing = 0, unexpected = 0;
  static unsigned char seen[MAX_TXN];
  memset(seen, 0, sizeof seen);
  if (sqlite3_prepare_v2(db, "SELECT id FROM txns", -1, &s, NULL) == SQLITE_OK) {
    while (sqlite3_step(s) == SQLITE_ROW) {
      int id = sqlite3_column_int(s, 0);
      present++;
      if (id <= 0 || id >= MAX_TXN || (txn_state[id] != ST_ACKED && txn_state[id] != ST_INFLIGHT)) {
        if (unexpected++ < 3) note("  round %d: transaction %d is there but was %s\n", round, id,
                                     id > 0 && id < MAX_TXN && txn_state[id] == ST_ABORTED ? "aborted" : "never committed");
        continue;
      }
      seen[id] = 1;
      if (txn_state[id] == ST_INFLIGHT) txn_state[id] = ST_ACKED; /* it committed before the kill */
    }
  }
  int rc = sqlite3_finalize(s);
  if (rc != SQLITE_OK) {
    note("  round %d: reading txns: %s\n", round, sqlite3_errmsg(db));
    bad++;
  }
  for (int id = 1; id < MAX_TXN; id++) {
    if (txn_state[id] == ST_INFLIGHT) txn_state[id] = ST_ABORTED; /* lost with the kill: never acknowledged */
    if (txn_state[id] == ST_ACKED && !seen[id] && missing++ < 3)
      note("  round %d: acknowledged transaction %d is lost\n", round, id);
  }
  bad += missing > 0;
  bad += unexpected > 0;
  const char *partial = q(db, "SELECT count(*) FROM txns t WHERE (SELECT count(*) FROM log l WHERE l.txn = t.id) "
                              "!= 1 + t.id % 3");
  const char *orphans = q(db, "SELECT count(*) FROM log WHERE txn NOT IN (SELECT id FROM txns)");
  const char *hot = q(db, "SELECT (SELECT sum(n) FROM hot) - (SELECT count(*) FROM txns)");
  if (strcmp(partial, "0") || strcmp(orphans, "0") || strcmp(hot, "0")) {
    note("  round %d: partial transactions %s, orphan log rows %s, counters minus transactions %s\n", round,
           partial, orphans, hot);
    bad++;
  }
  const char *ck = q(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  const char *ic = q(db, "PRAGMA integrity_check");
  if (strncmp(ck, "0,", 2) != 0 || strcmp(ic, "ok") != 0) {
    note("  round %d: checkpoint %s, integrity_check %s\n", round, ck, ic);
    bad++;
  }
  snprintf(ids_out, ids_n, "%s", q(db, "SELECT count(*), coalesce(sum(id), 0), coalesce(sum(id * id % 1000003), 0) FROM txns"));
  (void)present;
  if (sqlite3_close(db) != SQLITE_OK) bad++;
  return bad;
}

/* The sqlite3 CLI on a copy of the file Lode closed: integrity ok, the same transactions. */
static int sqlite3_check(const char *path, int round, const char *lode_ids) {
  char copy[700], cmd[4096], line[256];
  int bad = 0;
  if (access(SQLITE3_CLI, X_OK) != 0) return 0;
  snprintf(copy, sizeof copy, "%s-copy", path);
  mt_remove_db(copy);
  snprintf(cmd, sizeof cmd, "cp '%s' '%s' && (test ! -f '%s-wal' || cp '%s-wal' '%s-wal')", path, copy, path, path,
           copy);
  if (system(cmd) != 0) return 1;
  snprintf(cmd, sizeof cmd, SQLITE3_CLI " '%s' 'PRAGMA integrity_check' 2>&1", copy);
  cli_line(cmd, line, sizeof line);
  if (strcmp(line, "ok") != 0) {
    note("  round %d: sqlite3 integrity_check: %s\n", round, line);
    bad++;
  }
  snprintf(cmd, sizeof cmd,
           SQLITE3_CLI " -separator , '%s' 'SELECT count(*), coalesce(sum(id), 0), coalesce(sum(id * id %% 1000003), 0) FROM txns' 2>&1", copy);
  cli_line(cmd, line, sizeof line);
  if (strcmp(line, lode_ids) != 0) {
    note("  round %d: sqlite3 sees transactions %s, Lode %s\n", round, line, lode_ids);
    bad++;
  }
  mt_remove_db(copy);
  return bad;
}

static void kill_rounds(int mvcc, int rounds) {
  char path[512], ids[200];
  int bad = 0, acked = 0, aborted = 0;
  mode_mvcc = mvcc;
  memset(txn_state, 0, sizeof txn_state);
  mt_path(mvcc ? "kill-mvcc" : "kill-wal", path, sizeof path);
  sqlite3 *db = mt_open(path);
  if (!db) {
    FAIL_("open");
    return;
  }
  CHECK_INT(ex(db, "PRAGMA journal_mode = wal;"
                   "CREATE TABLE txns(id INTEGER PRIMARY KEY);"
                   "CREATE TABLE log(id INTEGER PRIMARY KEY, txn INTEGER NOT NULL, pad BLOB);"
                   "CREATE INDEX log_txn ON log(txn);"
                   "CREATE TABLE hot(id INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
                   "INSERT INTO hot VALUES (1, 0), (2, 0), (3, 0)"),
            SQLITE_OK);
  if (mvcc && !mt_mvcc_on(db)) {
    mt_skip("no mvcc");
    sqlite3_close(db);
    return;
  }
  sqlite3_close(db);
  rng = 2026;
  for (int round = 0; round < rounds && bad == 0 && !mt_cur_failed; round++) {
    int fds[2];
    if (pipe(fds) != 0) {
      FAIL_("pipe");
      return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      child(path, round, fds[1]);
      _exit(0);
    }
    close(fds[1]);
    uint64_t keep = rng;
    int target = rnd(30), got = 0;
    int32_t m[2];
    for (;;) {
      if (got >= target) {
        struct timespec ts = {0, (long)rnd(3000) * 1000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        target = 1 << 30;
      }
      if (read(fds[0], m, sizeof m) != (ssize_t)sizeof m) break; /* the pipe closes with the child */
      if (m[1] <= 0 || m[1] >= MAX_TXN) continue;
      if (m[0] == MSG_INTENT) txn_state[m[1]] = ST_INFLIGHT;
      else if (m[0] == MSG_ACK) txn_state[m[1]] = ST_ACKED, got++, acked++;
      else txn_state[m[1]] = ST_ABORTED, aborted++;
    }
    rng = keep * 6364136223846793005ull + 1442695040888963407ull;
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
      note("  round %d: the writer ended by itself (status %d)\n", round, status);
      bad++;
      break;
    }
    bad += verify(path, round, ids, sizeof ids);
    bad += sqlite3_check(path, round, ids);
  }
  last_bad = bad;
  if (break_ack_early) return;
  CHECK_INT(bad, 0);
  CHECK(acked > rounds);
  printf("     %s: %d rounds, %d commits acknowledged, %d transactions aborted\n", mvcc ? "mvcc" : "wal", rounds,
         acked, aborted);
}

TEST(wal_kill_during_commits_and_checkpoints_loses_nothing) {
  kill_rounds(0, 20);
}

TEST(checker_catches_acknowledgements_sent_before_commit) {
  break_ack_early = 1;
  kill_rounds(0, 40);
  break_ack_early = 0;
  if (last_bad == 0) FAIL_("40 kills of a child that acknowledges before COMMIT went unnoticed");
}

TEST(mvcc_kill_during_commits_and_checkpoints_loses_nothing) {
  int lng = getenv("LODE_MVCC_LONG") && atoi(getenv("LODE_MVCC_LONG")) > 0;
  kill_rounds(1, lng ? 300 : 30);
}

int main(void) {
  mt_init("mvcc-crash");
  RUN(wal_kill_during_commits_and_checkpoints_loses_nothing);
  RUN(checker_catches_acknowledgements_sent_before_commit);
  RUN(mvcc_kill_during_commits_and_checkpoints_loses_nothing);
  return mt_summary();
}
