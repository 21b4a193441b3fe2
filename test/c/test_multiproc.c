/*
** test_multiproc.c — several processes on one database file: Lode processes
** and sqlite3 (Debian's CLI) writing and reading at the same time through
** the shared -shm wal-index never lose a commit, never see a half commit
** and never corrupt the file.  The WAL write lock another process holds
** makes a writer wait for busy_timeout, then fail with SQLITE_BUSY; readers
** are never kept out; a change made by another process is seen by the
** next transaction.
**
** LODE_MULTIPROC_ROUNDS (or LODE_MULTIPROC_TXNS) sets the transactions per
** writer (default 300).
*/
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lode.h"
#include "os/os.h"
#include "testdb.h"
#include "testlib.h"

static char tmpdir[256];

/* A path in the test's directory, in the caller's buffer. */
#define TPATH(var, name)                                                                                               \
  char var[400];                                                                                                       \
  snprintf(var, sizeof var, "%s/%s", tmpdir, name)


/* Runs sqlite3 on db with the script on its standard input; its output
** (errors included) goes to out.  Returns the exit status. */
static int sqlite3_script(const char *db, const char *script, char *out, size_t outn) {
  TPATH(in, "script.sql");
  return sqlite3_cli(in, db, script, out, outn);
}

static int txns_per_writer(void) {
  const char *e = getenv("LODE_MULTIPROC_ROUNDS");
  if (!e) e = getenv("LODE_MULTIPROC_TXNS");
  int n = e ? atoi(e) : 0;
  return n > 0 ? n : 300;
}

static char self_exe[512];

/* Runs sql on path in a fresh process (this binary, re-executed: a forked
** copy would inherit this process's open connections) and returns the
** result code of lode_exec, or -1 when the process failed otherwise. */
static int lode_in_other_process(const char *path, const char *sql, int busy_ms) {
  char busy[32];
  snprintf(busy, sizeof busy, "%d", busy_ms);
  pid_t pid = fork();
  if (pid == 0) {
    execl(self_exe, self_exe, "exec", path, sql, busy, (char *)NULL);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) < 100 ? WEXITSTATUS(status) : -1;
}

static lode *open_db(const char *path, int busy_ms) {
  lode *db = NULL;
  if (lode_open(path, &db) != LODE_OK) {
    lode_close(db);
    return NULL;
  }
  lode_busy_timeout(db, busy_ms);
  return db;
}

/* The re-executed side of lode_in_other_process. */
static int child_exec(const char *path, const char *sql, int busy_ms) {
  lode *db = open_db(path, busy_ms);
  if (!db) return 99;
  int rc = lode_exec(db, sql, NULL);
  return lode_close(db) == LODE_OK ? rc : 98;
}

/* The invariant every snapshot must show: one row of t per increment of
** the counter (each transaction does both). */
#define INVARIANT_SQL "SELECT (SELECT count(*) FROM t) - (SELECT n FROM c)"

/* A Lode writer process: transaction i inserts (who, i) into t and adds
** one to the counter, in BEGIN … COMMIT, BEGIN IMMEDIATE … COMMIT (with a
** second row into u) or BEGIN with a read of its own row before COMMIT;
** every fifth one also checks the invariant in a read transaction, every
** seventh runs a checkpoint (the modes in turn).  Exits 0 when every
** transaction committed. */
static void lode_writer(const char *path, int who, int n) {
  lode *db = open_db(path, 60000);
  if (!db) _exit(10);
  char sql[600];
  for (int i = 0; i < n; i++) {
    int rc;
    switch (i % 3) {
    case 0:
      snprintf(sql, sizeof sql,
               "BEGIN; INSERT INTO t(who, i, pad) VALUES(%d, %d, randomblob(%d)); UPDATE c SET n = n + 1; COMMIT",
               who, i, 50 + i % 900);
      rc = lode_exec(db, sql, NULL);
      break;
    case 1:
      snprintf(sql, sizeof sql,
               "BEGIN IMMEDIATE; INSERT INTO t(who, i, pad) VALUES(%d, %d, zeroblob(%d)); "
               "INSERT INTO u VALUES(%d, %d); UPDATE c SET n = n + 1; COMMIT",
               who, i, 3000 + i, who, i);
      rc = lode_exec(db, sql, NULL);
      break;
    default:
      snprintf(sql, sizeof sql,
               "BEGIN; INSERT INTO t(who, i, pad) VALUES(%d, %d, NULL); INSERT INTO u VALUES(%d, %d); "
               "UPDATE c SET n = n + 1",
               who, i, who, i);
      rc = lode_exec(db, sql, NULL);
      if (rc == LODE_OK) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM u WHERE who = %d AND i = %d", who, i);
        if (query_int(db, sql) != 1) {
          fprintf(stderr, "writer %d txn %d: own row not seen: %s\n", who, i, lode_errmsg(db));
          _exit(11);
        }
        rc = lode_exec(db, "COMMIT", NULL);
      }
      break;
    }
    if (rc != LODE_OK) {
      fprintf(stderr, "writer %d txn %d: %s\n", who, i, lode_errmsg(db));
      _exit(12);
    }
    if (i % 7 == 6) {
      /* Checkpoints of every mode run among the writers and readers; a busy
      ** one is fine, an error is not. */
      static const char *const modes[] = {"PASSIVE", "FULL", "RESTART", "TRUNCATE"};
      snprintf(sql, sizeof sql, "PRAGMA wal_checkpoint(%s)", modes[(i / 7) % 4]);
      const char *res = query(db, sql);
      if (strncmp(res, "ERROR", 5) == 0) {
        fprintf(stderr, "writer %d after txn %d: %s: %s\n", who, i, sql, res);
        _exit(15);
      }
    }
    if (i % 5 == 4) {
      int64_t diff = query_int(db, INVARIANT_SQL);
      if (diff != 0) {
        fprintf(stderr, "writer %d after txn %d: snapshot shows %lld: %s\n", who, i, (long long)diff,
                lode_errmsg(db));
        _exit(14);
      }
    }
  }
  int rc = lode_close(db);
  if (rc != LODE_OK) fprintf(stderr, "writer %d: close: %d\n", who, rc);
  _exit(rc == LODE_OK ? 0 : 13);
}

static void create_schema(const char *path) {
  remove_db(path);
  lode *db = open_db(path, 0);
  CHECK(db != NULL);
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE t(id INTEGER PRIMARY KEY, who, i, pad); CREATE TABLE u(who, i); "
                         "CREATE TABLE c(id INTEGER PRIMARY KEY, n); INSERT INTO c VALUES(1, 0)",
                         NULL),
               LODE_OK);
  lode_close(db);
}

/* Three Lode processes and one sqlite3 process (one connection for the
** whole run) write at the same time: every row of every writer is there,
** once, the counter equals the number of transactions, every snapshot any
** of them read showed the invariant, and both engines find the file intact. */
TEST(lode_processes_and_sqlite3_write_at_once_losing_nothing) {
  TPATH(path, "many.db");
  create_schema(path);
  int n = txns_per_writer();
  int use_sqlite3 = have_sqlite3();
  pid_t kids[4];
  int nkids = 0;
  for (int w = 1; w <= 3; w++) {
    pid_t pid = fork();
    if (pid == 0) lode_writer(path, w, n);
    kids[nkids++] = pid;
  }
  if (use_sqlite3) {
    pid_t pid = fork();
    if (pid == 0) {
      char *script = malloc(300 * (size_t)n + 100);
      if (!script) _exit(20);
      size_t len = (size_t)sprintf(script, ".timeout 60000\n");
      for (int i = 0; i < n; i++) {
        len += (size_t)sprintf(script + len,
                               "BEGIN IMMEDIATE; INSERT INTO t(who, i, pad) VALUES(4, %d, randomblob(%d)); "
                               "UPDATE c SET n = n + 1; COMMIT;\n",
                               i, i % 2000);
        if (i % 5 == 4) len += (size_t)sprintf(script + len, INVARIANT_SQL ";\n");
        if (i % 11 == 10) len += (size_t)sprintf(script + len, "PRAGMA wal_checkpoint(TRUNCATE);\n");
      }
      static char out[1 << 16];
      int st = sqlite3_script(path, script, out, sizeof out);
      /* Invariant lines must read 0; checkpoint rows have three fields. */
      for (const char *line = out; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : line + strlen(line)) {
        int nbar = 0;
        const char *q = line;
        for (; *q && *q != '\n'; q++) nbar += *q == '|';
        if (nbar == 2) continue;
        if (q - line != 1 || line[0] != '0') {
          st = -1;
          break;
        }
      }
      if (st != 0) {
        fprintf(stderr, "sqlite3: status %d: %.2000s\n", st, out);
        _exit(21);
      }
      free(script);
      _exit(0);
    }
    kids[nkids++] = pid;
  }
  for (int k = 0; k < nkids; k++) {
    int status = 0;
    waitpid(kids[k], &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fprintf(stderr, "writer %d: status %#x\n", k + 1, status);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  lode *db = open_db(path, 0);
  CHECK(db != NULL);
  if (!db) return;
  int writers = use_sqlite3 ? 4 : 3;
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), (int64_t)writers * n);
  CHECK_EQ_INT(query_int(db, "SELECT count(DISTINCT who * 1000000 + i) FROM t"), (int64_t)writers * n);
  CHECK_EQ_INT(query_int(db, "SELECT n FROM c"), (int64_t)writers * n);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM u"), (int64_t)3 * (n - (n + 2) / 3));
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
  if (use_sqlite3) {
    char out[4096];
    sqlite3_script(path, "PRAGMA integrity_check; SELECT count(*), (SELECT n FROM c) FROM t;\n", out, sizeof out);
    char want[64];
    snprintf(want, sizeof want, "ok\n%d|%d\n", writers * n, writers * n);
    CHECK_EQ_STR(out, want);
  }
}

/* Waits (bounded) until file holds text. */
static int wait_for_text(const char *file, const char *text) {
  for (int i = 0; i < 1000; i++) {
    char buf[4096] = {0};
    FILE *f = fopen(file, "r");
    if (f) {
      size_t n = fread(buf, 1, sizeof buf - 1, f);
      buf[n] = 0;
      fclose(f);
      if (strstr(buf, text)) return 1;
    }
    usleep(10000);
  }
  return 0;
}

/* sqlite3 holds a write transaction: Lode gets SQLITE_BUSY at once without a
** timeout, and with one it waits and succeeds once sqlite3 commits. */
TEST(sqlite3_writer_makes_lode_busy_until_it_commits) {
  if (!have_sqlite3()) return;
  TPATH(path, "held.db");
  create_schema(path);
  TPATH(ready, "ready.txt");
  unlink(ready);
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "sqlite3 '%s' > '%s' 2>&1", path, ready);
  FILE *s3 = popen(cmd, "w");
  CHECK(s3 != NULL);
  if (!s3) return;
  fputs("BEGIN IMMEDIATE;\nINSERT INTO t(who, i) VALUES('sqlite3', 1);\n.print ready\n", s3);
  fflush(s3);
  CHECK(wait_for_text(ready, "ready"));
  lode *db = open_db(path, 0);
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t(who, i) VALUES('lode', 1)", NULL), LODE_BUSY);
  CHECK_EQ_STR(lode_errmsg(db), "database is locked");
  /* sqlite3 commits and exits 200 ms from now; the Lode insert waits. */
  pid_t pid = fork();
  if (pid == 0) {
    usleep(200000);
    fputs("COMMIT;\n.quit\n", s3);
    fflush(s3);
    _exit(0);
  }
  lode_busy_timeout(db, 20000);
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t(who, i) VALUES('lode', 2)", NULL), LODE_OK);
  waitpid(pid, NULL, 0);
  pclose(s3);
  CHECK_EQ_STR(query(db, "SELECT who, i FROM t ORDER BY id"), "sqlite3|1\nlode|2\n");
  lode_close(db);
  char out[4096];
  sqlite3_script(path, "PRAGMA integrity_check; SELECT who, i FROM t ORDER BY id;\n", out, sizeof out);
  CHECK_EQ_STR(out, "ok\nsqlite3|1\nlode|2\n");
}

/* The reverse: while Lode holds BEGIN IMMEDIATE with an insert, sqlite3's
** insert fails with "database is locked" (nothing of it is written); with a
** timeout it waits until Lode commits, then writes, and both rows are there
** for both engines. */
TEST(lode_writer_makes_sqlite3_busy_and_nothing_is_lost) {
  if (!have_sqlite3()) return;
  TPATH(path, "held2.db");
  create_schema(path);
  lode *db = open_db(path, 0);
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db, "BEGIN IMMEDIATE; INSERT INTO t(who, i) VALUES('lode', 1)", NULL), LODE_OK);
  char out[4096];
  int st = sqlite3_script(path, "INSERT INTO t(who, i) VALUES('sqlite3', 1);\n", out, sizeof out);
  CHECK(st != 0);
  CHECK(strstr(out, "database is locked") != NULL);
  /* With a timeout sqlite3 waits; Lode commits 200 ms later and sqlite3's
  ** insert goes through after it. */
  TPATH(in, "wait.sql");
  FILE *f = fopen(in, "w");
  CHECK(f != NULL);
  if (!f) return;
  fputs(".timeout 20000\nINSERT INTO t(who, i) VALUES('sqlite3', 2);\n", f);
  fclose(f);
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "sqlite3 '%s' < '%s' 2>&1", path, in);
  FILE *s3 = popen(cmd, "r");
  CHECK(s3 != NULL);
  if (!s3) return;
  usleep(200000);
  CHECK_EQ_STR(query(db, "SELECT who, i FROM t ORDER BY id"), "lode|1\n"); /* sqlite3 is still waiting */
  CHECK_EQ_INT(lode_exec(db, "COMMIT", NULL), LODE_OK);
  size_t n = fread(out, 1, sizeof out - 1, s3);
  out[n] = 0;
  CHECK_EQ_INT(pclose(s3), 0);
  CHECK_EQ_STR(out, "");
  CHECK_EQ_STR(query(db, "SELECT who, i FROM t ORDER BY id"), "lode|1\nsqlite3|2\n");
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t(who, i) VALUES('lode', 3)", NULL), LODE_OK);
  lode_close(db);
  sqlite3_script(path, "PRAGMA integrity_check; SELECT who, i FROM t ORDER BY id;\n", out, sizeof out);
  CHECK_EQ_STR(out, "ok\nlode|1\nsqlite3|2\nlode|3\n");
}

/* A connection kept open across another process's commits sees them at its
** next transaction — including updates that leave the file's size, the
** header and page 1 alone, and a sqlite3 close that checkpoints and deletes
** the WAL — and its own next write keeps them. */
TEST(open_connection_sees_other_process_changes) {
  TPATH(path, "seen.db");
  create_schema(path);
  lode *db = open_db(path, 5000);
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t(who, i, pad) VALUES('a', 1, zeroblob(5000)), ('b', 2, 'x')", NULL),
               LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT who, i FROM t ORDER BY id"), "a|1\nb|2\n");
  /* Another Lode process updates a row in place. */
  CHECK_EQ_INT(lode_in_other_process(path, "UPDATE t SET i = 20 WHERE who = 'b'", 5000), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT who, i FROM t ORDER BY id"), "a|1\nb|20\n");
  if (have_sqlite3()) {
    char out[4096];
    CHECK_EQ_INT(sqlite3_script(path, ".timeout 5000\nUPDATE t SET i = 200 WHERE who = 'b';\n", out, sizeof out), 0);
    CHECK_EQ_STR(query(db, "SELECT who, i FROM t ORDER BY id"), "a|1\nb|200\n");
  }
  CHECK_EQ_INT(lode_exec(db, "UPDATE t SET i = 10 WHERE who = 'a'", NULL), LODE_OK);
  lode_close(db);
  db = open_db(path, 0);
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_STR(query(db, "SELECT who, i FROM t ORDER BY id"), have_sqlite3() ? "a|10\nb|200\n" : "a|10\nb|20\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

/* Two Lode processes without a busy timeout: the one that finds the lock
** taken fails with SQLITE_BUSY; nothing it reported as committed is lost. */
TEST(lode_without_timeout_gets_busy_never_loses_a_commit) {
  TPATH(path, "busy.db");
  create_schema(path);
  lode *a = open_db(path, 0);
  CHECK(a != NULL);
  if (!a) return;
  CHECK_EQ_INT(lode_exec(a, "BEGIN IMMEDIATE; INSERT INTO t(who, i) VALUES('a', 1)", NULL), LODE_OK);
  CHECK_EQ_INT(lode_in_other_process(path, "INSERT INTO t(who, i) VALUES('b', 1)", 0), LODE_BUSY);
  /* A reader is not kept out by a writer: it reads the last commit. */
  CHECK_EQ_INT(lode_in_other_process(path, "SELECT count(*) FROM t", 0), LODE_OK);
  /* With a timeout it waits, and fails only when the lock stays taken. */
  CHECK_EQ_INT(lode_in_other_process(path, "PRAGMA busy_timeout = 100; INSERT INTO t(who, i) VALUES('b', 2)", 0),
               LODE_BUSY);
  CHECK_EQ_INT(lode_exec(a, "COMMIT", NULL), LODE_OK);
  CHECK_EQ_STR(query(a, "SELECT who, i FROM t"), "a|1\n");
  lode_close(a);
}

/* Opening the file again in this process (under another spelling of its
** path) while a transaction holds the lock keeps the lock: another process
** still gets SQLITE_BUSY, and both connections see one database. */
TEST(second_open_in_process_keeps_the_lock) {
  TPATH(path, "twice.db");
  TPATH(other, "../");
  create_schema(path);
  char alias[900];
  snprintf(alias, sizeof alias, "%s%s/twice.db", other, strrchr(tmpdir, '/') + 1);
  lode *a = open_db(path, 0);
  CHECK(a != NULL);
  if (!a) return;
  CHECK_EQ_INT(lode_exec(a, "BEGIN IMMEDIATE; INSERT INTO t(who, i) VALUES('a', 1)", NULL), LODE_OK);
  lode *b = open_db(alias, 0);
  CHECK(b != NULL);
  CHECK_EQ_INT(lode_in_other_process(path, "INSERT INTO t(who, i) VALUES('c', 1)", 0), LODE_BUSY);
  CHECK_EQ_INT(lode_exec(a, "COMMIT", NULL), LODE_OK);
  if (b) {
    CHECK_EQ_STR(query(b, "SELECT who FROM t"), "a\n");
    lode_close(b);
  }
  lode_close(a);
}

/* A reader of this process may share the read mark of another connection
** of it (a mark a few frames behind its snapshot): when that connection
** ends, the mark must stay locked for the one still reading, so another
** process cannot start the WAL over under it. */
TEST(shared_read_mark_stays_locked_for_the_reader_that_stays) {
  TPATH(path, "mark.db");
  create_schema(path);
  if (!have_sqlite3()) {
    printf("skip shared_read_mark_stays_locked_for_the_reader_that_stays: no sqlite3\n");
    return;
  }
  lode *a = open_db(path, 0), *b = open_db(path, 0), *c = open_db(path, 0);
  CHECK(a && b && c);
  if (!a || !b || !c) return;
  CHECK_EQ_INT(lode_exec(a, "INSERT INTO t(who, i) VALUES('a', 1)", NULL), LODE_OK);
  CHECK_EQ_STR(query(a, "BEGIN; SELECT count(*) FROM t"), "1\n");
  CHECK_EQ_INT(lode_exec(b, "INSERT INTO t(who, i) VALUES('b', 1); INSERT INTO t(who, i) VALUES('b', 2)", NULL),
               LODE_OK);
  CHECK_EQ_STR(query(c, "BEGIN; SELECT count(*) FROM t"), "3\n");
  CHECK_EQ_INT(lode_exec(a, "COMMIT", NULL), LODE_OK);
  char out[400];
  /* c still reads the WAL: a TRUNCATE checkpoint of another process is busy. */
  sqlite3_script(path, ".timeout 0\nPRAGMA wal_checkpoint(TRUNCATE);\n", out, sizeof out);
  CHECK(out[0] == '1' && out[1] == '|');
  CHECK_EQ_INT(lode_exec(b, "INSERT INTO t(who, i) VALUES('b', 3)", NULL), LODE_OK);
  CHECK_EQ_STR(query(c, "SELECT count(*), group_concat(who || i) FROM t"), "3|a1,b1,b2\n");
  CHECK_EQ_INT(lode_exec(c, "COMMIT", NULL), LODE_OK);
  sqlite3_script(path, ".timeout 0\nPRAGMA wal_checkpoint(TRUNCATE);\n", out, sizeof out);
  CHECK_EQ_STR(out, "0|0|0\n");
  CHECK_EQ_STR(query(c, "SELECT count(*) FROM t"), "4\n");
  lode_close(a);
  lode_close(b);
  lode_close(c);
}

/* A prepare reads nothing when nothing was committed since the schema was
** last found current (its own commits included); a schema change by
** another connection or another process in between is still seen by the
** next prepare, or, as in SQLite, by the statement's first step when it
** compiled against the schema in memory. */
TEST(prepare_sees_schema_changes_after_own_commits) {
  TPATH(path, "schema.db");
  create_schema(path);
  lode *a = open_db(path, 0), *b = open_db(path, 0);
  CHECK(a && b);
  if (!a || !b) return;
  CHECK_EQ_INT(lode_exec(a, "INSERT INTO t(who, i) VALUES('a', 1)", NULL), LODE_OK);
  CHECK_EQ_STR(query(a, "SELECT count(*) FROM t"), "1\n");
  CHECK_EQ_INT(lode_exec(b, "CREATE TABLE x(v); INSERT INTO x VALUES(7)", NULL), LODE_OK);
  CHECK_EQ_STR(query(a, "SELECT v FROM x"), "7\n");
  CHECK_EQ_INT(lode_exec(a, "INSERT INTO t(who, i) VALUES('a', 2)", NULL), LODE_OK);
  CHECK_EQ_INT(lode_in_other_process(path, "CREATE TABLE y(w); INSERT INTO y VALUES(8)", 5000), LODE_OK);
  CHECK_EQ_STR(query(a, "SELECT w FROM y"), "8\n");
  CHECK_EQ_INT(lode_exec(a, "INSERT INTO t(who, i) VALUES('a', 3)", NULL), LODE_OK);
  CHECK_EQ_INT(lode_in_other_process(path, "DROP TABLE x", 5000), LODE_OK);
  lode_stmt *st = NULL;
  if (lode_prepare(a, "SELECT v FROM x", -1, &st, NULL) == LODE_OK) {
    CHECK_EQ_INT(lode_step(st), LODE_ERROR);
    CHECK_EQ_STR(lode_errmsg(a), "no such table: x");
  }
  lode_finalize(st);
  lode_close(a);
  lode_close(b);
}

/* A statement run again and again reads the schema cookie at every run: a
** column added by another process, then by another connection of this one,
** between two runs of the same prepared statement is seen by the next run
** (compiled again), and a run in between that changed nothing still reads
** the old columns. */
TEST(rerun_statement_sees_schema_changes_of_others) {
  TPATH(path, "rerun.db");
  create_schema(path);
  lode *a = open_db(path, 0), *b = open_db(path, 0);
  lode_stmt *st = NULL;
  CHECK(a && b);
  if (!a || !b) return;
  CHECK_EQ_INT(lode_exec(a, "INSERT INTO t(who, i) VALUES('a', 1)", NULL), LODE_OK);
  CHECK_EQ_INT(lode_prepare(a, "SELECT * FROM t", -1, &st, NULL), LODE_OK);
  for (int run = 0; run < 3; run++) {
    CHECK_EQ_INT(lode_step(st), LODE_ROW);
    CHECK_EQ_INT(lode_column_count(st), 4);
    lode_reset(st);
  }
  CHECK_EQ_INT(lode_in_other_process(path, "ALTER TABLE t ADD COLUMN e DEFAULT 5", 5000), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_column_count(st), 5);
  CHECK_EQ_INT(lode_column_int64(st, 4), 5);
  lode_reset(st);
  CHECK_EQ_INT(lode_exec(b, "ALTER TABLE t ADD COLUMN f DEFAULT 6", NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_column_count(st), 6);
  CHECK_EQ_INT(lode_column_int64(st, 5), 6);
  lode_reset(st);
  /* Rows written by the others (no schema change) are read by the same program. */
  CHECK_EQ_INT(lode_exec(b, "UPDATE t SET f = 60", NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_column_int64(st, 5), 60);
  lode_finalize(st);
  lode_close(a);
  lode_close(b);
}

/* With the schema in memory a prepare takes no lock and reads nothing: the
** program compares the schema cookie when it runs, and a statement compiled
** against a schema another connection has changed since is compiled again
** then (or at once, when the compile failed because of it), as in SQLite. */
TEST(prepare_with_schema_in_memory_takes_no_lock) {
  TPATH(path, "lazy.db");
  create_schema(path);
  os_fault_enable(1);
  lode *a = open_db(path, 0), *b = open_db(path, 0);
  CHECK(a && b);
  if (!a || !b) {
    os_fault_enable(0);
    return;
  }
  CHECK_EQ_STR(query(a, "SELECT count(*) FROM c"), "1\n");
  lode_stmt *st = NULL;
  os_fault_arm(OS_FAULT_LOCK | OS_FAULT_READ, 1 << 30, 0);
  CHECK_EQ_INT(lode_prepare(a, "SELECT n FROM c WHERE id = 1", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(a, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -4000", NULL), LODE_OK);
  CHECK_EQ_INT(os_fault_seen(), 0);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK(os_fault_seen() > 0); /* the run's read transaction */
  CHECK_EQ_INT(lode_column_int64(st, 0), 0);
  lode_finalize(st);
  os_fault_arm(0, 0, 0);
  os_fault_enable(0);
  /* another connection changes the schema a has in memory */
  CHECK_EQ_INT(lode_exec(b, "ALTER TABLE c ADD COLUMN m DEFAULT 5; CREATE TABLE v(k); INSERT INTO v VALUES(3); "
                            "CREATE TABLE w(k)",
                         NULL),
               LODE_OK);
  CHECK_EQ_STR(query(a, "SELECT * FROM c"), "1|0|5\n"); /* compiled for two columns, run with three */
  CHECK_EQ_STR(query(a, "SELECT k FROM v"), "3\n");     /* "no such table" in the old schema */
  CHECK_EQ_INT(lode_exec(b, "DROP TABLE w; CREATE TABLE x(k)", NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(a, "CREATE TABLE w(j)", NULL), LODE_OK); /* "already exists" in the old schema */
  CHECK_EQ_INT(lode_exec(a, "CREATE TABLE IF NOT EXISTS x(z)", NULL), LODE_OK);
  CHECK_EQ_STR(query(a, "SELECT name FROM pragma_table_info('x')"), "k\n");
  CHECK_EQ_INT(lode_exec(b, "CREATE TABLE y(k)", NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(a, "DROP TABLE IF EXISTS y", NULL), LODE_OK); /* no y in the old schema */
  CHECK_EQ_STR(query(b, "SELECT count(*) FROM sqlite_schema WHERE name = 'y'"), "0\n");
  CHECK_EQ_STR(query(b, "SELECT name FROM pragma_table_info('w')"), "j\n");
  CHECK_EQ_STR(query(a, "SELECT k FROM nosuch"), "ERROR 1: no such table: nosuch");
  lode_close(a);
  lode_close(b);
}

typedef struct HandWriter {
  const char *path;
  int who, n, failed;
} HandWriter;

static void *hand_writer(void *arg) {
  HandWriter *h = arg;
  lode *db = open_db(h->path, 60000);
  if (!db) {
    h->failed = 1;
    return NULL;
  }
  char sql[200];
  for (int i = 0; i < h->n && !h->failed; i++) {
    snprintf(sql, sizeof sql,
             "BEGIN IMMEDIATE; INSERT INTO t(who, i) VALUES('w%d', %d); UPDATE c SET n = n + 1; COMMIT", h->who,
             i);
    if (lode_exec(db, sql, NULL) != LODE_OK) h->failed = 1;
  }
  lode_close(db);
  return NULL;
}

/* Writers on threads of this process hand the WAL write lock on to each
** other without the OS; once none is left waiting it is released: another
** process writes at once, without a busy timeout, while their connections
** are still open. */
TEST(write_lock_handed_on_between_threads_is_released_after) {
  TPATH(path, "hand.db");
  create_schema(path);
  enum { NTH = 4, PER = 150 };
  HandWriter w[NTH];
  pthread_t th[NTH];
  lode *idle = open_db(path, 0);
  CHECK(idle != NULL);
  for (int i = 0; i < NTH; i++) {
    w[i] = (HandWriter){path, i, PER, 0};
    pthread_create(&th[i], NULL, hand_writer, &w[i]);
  }
  for (int i = 0; i < NTH; i++) {
    pthread_join(th[i], NULL);
    CHECK_EQ_INT(w[i].failed, 0);
  }
  CHECK_EQ_INT(lode_in_other_process(path, "INSERT INTO t(who, i) VALUES('other', 1); UPDATE c SET n = n + 1", 0),
               LODE_OK);
  if (idle) {
    CHECK_EQ_STR(query(idle, "SELECT count(*), (SELECT n FROM c) FROM t"), "601|601\n");
    CHECK_EQ_INT(lode_exec(idle, "BEGIN IMMEDIATE; UPDATE c SET n = n; COMMIT", NULL), LODE_OK);
    lode_close(idle);
  }
}

int main(int argc, char **argv) {
  if (argc == 5 && strcmp(argv[1], "exec") == 0) return child_exec(argv[2], argv[3], atoi(argv[4]));
  signal(SIGPIPE, SIG_IGN);
  ssize_t n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
  if (n <= 0) return 1;
  self_exe[n] = 0;
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode_multiproc_XXXXXX");
  if (!mkdtemp(tmpdir)) return 1;
  RUN(lode_processes_and_sqlite3_write_at_once_losing_nothing);
  RUN(sqlite3_writer_makes_lode_busy_until_it_commits);
  RUN(lode_writer_makes_sqlite3_busy_and_nothing_is_lost);
  RUN(open_connection_sees_other_process_changes);
  RUN(lode_without_timeout_gets_busy_never_loses_a_commit);
  RUN(second_open_in_process_keeps_the_lock);
  RUN(shared_read_mark_stays_locked_for_the_reader_that_stays);
  RUN(write_lock_handed_on_between_threads_is_released_after);
  RUN(prepare_sees_schema_changes_after_own_commits);
  RUN(prepare_with_schema_in_memory_takes_no_lock);
  RUN(rerun_statement_sees_schema_changes_of_others);
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) printf("could not remove %s\n", tmpdir);
  return test_summary();
}
