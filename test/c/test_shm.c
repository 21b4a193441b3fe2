/*
** test_shm.c — the wal-index in <db>-shm is SQLite's: sqlite3 (Debian's CLI)
** uses a -shm Lode wrote without rebuilding it and Lode uses one sqlite3
** wrote; readers of either engine keep their snapshot while the other
** commits; the header bytes are where SQLite puts them; the last process to
** close removes -wal and -shm.  Tests needing sqlite3 are skipped without it.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lode.h"
#include "pager/pager.h"
#include "testdb.h"
#include "testlib.h"

static char tmpdir[256];

#define TPATH(var, name)                                                                                               \
  char var[400];                                                                                                       \
  snprintf(var, sizeof var, "%s/%s", tmpdir, name)

static int s3(const char *db, const char *sql, char *out, size_t outn) {
  TPATH(in, "script.sql");
  return sqlite3_cli(in, db, sql, out, outn);
}

static lode *open_db(const char *path) {
  lode *db = NULL;
  if (lode_open(path, &db) != LODE_OK) {
    lode_close(db);
    return NULL;
  }
  lode_busy_timeout(db, 5000);
  return db;
}

static int file_exists(const char *path) { return access(path, F_OK) == 0; }

/* The first wal-index header copy as the -shm file holds it (host order). */
typedef struct ShmHdr {
  uint32_t version, unused, change;
  uint8_t is_init, big_endian;
  uint16_t page_size;
  uint32_t mx_frame, npage;
} ShmHdr;

/* Reads the -shm's first 136 bytes in a child process: closing a descriptor
** of the file here would drop every fcntl lock this process holds on it. */
static int read_shm(const char *db, ShmHdr *h, int *copies_equal, uint32_t *backfill) {
  uint8_t b[136];
  int fds[2];
  if (pipe(fds) != 0) return 0;
  pid_t pid = fork();
  if (pid == 0) {
    char path[500];
    snprintf(path, sizeof path, "%s-shm", db);
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(b, 1, sizeof b, f) : 0;
    if (n == sizeof b && write(fds[1], b, n) == (ssize_t)n) _exit(0);
    _exit(1);
  }
  close(fds[1]);
  ssize_t n = read(fds[0], b, sizeof b);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (n != (ssize_t)sizeof b) return 0;
  memcpy(h, b, sizeof *h);
  *copies_equal = memcmp(b, b + 48, 48) == 0;
  memcpy(backfill, b + 96, 4);
  return 1;
}

/* Lode writes a transaction of more frames than the first hash table
** holds (4062) while a second Lode connection keeps an old snapshot (so
** nothing is checkpointed and the frames must be found through the hash
** tables); sqlite3 then reads it through Lode's -shm without recovering it
** (the header's change counter is untouched), commits itself, and Lode
** finds sqlite3's frames without a recovery of its own.  The old snapshot
** stays unchanged throughout. */
TEST(shm_written_by_one_engine_is_used_by_the_other) {
  if (!have_sqlite3()) return;
  TPATH(path, "x.db");
  remove_db(path);
  lode *a = open_db(path), *b = open_db(path);
  CHECK(a && b);
  if (!a || !b) return;
  CHECK_EQ_INT(lode_exec(a, "CREATE TABLE t(k TEXT, v BLOB); INSERT INTO t VALUES('small', x'01')", NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(b, "BEGIN; SELECT count(*) FROM t", NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(a, "INSERT INTO t VALUES('big', randomblob(20000000))", NULL), LODE_OK);
  const char *want = query(a, "SELECT k, length(v), hex(substr(v, 19999990, 8)) FROM t ORDER BY k");
  char want_copy[256];
  snprintf(want_copy, sizeof want_copy, "%s", want);
  ShmHdr h0;
  int equal = 0;
  uint32_t backfill = 0;
  CHECK(read_shm(path, &h0, &equal, &backfill));
  CHECK_EQ_INT(h0.version, 3007000);
  CHECK_EQ_INT(h0.is_init, 1);
  CHECK_EQ_INT(h0.page_size, 4096);
  CHECK(equal);
  CHECK(h0.mx_frame > 4062);
  CHECK(backfill < h0.mx_frame); /* b's snapshot holds the checkpoint back */

  char out[4096];
  CHECK_EQ_INT(s3(path, "SELECT k, length(v), hex(substr(v, 19999990, 8)) FROM t ORDER BY k;\n", out, sizeof out), 0);
  CHECK_EQ_STR(out, want_copy);
  ShmHdr h1;
  CHECK(read_shm(path, &h1, &equal, &backfill));
  CHECK_EQ_INT(h1.change, h0.change); /* sqlite3 did not rebuild the index */
  CHECK_EQ_INT(h1.mx_frame, h0.mx_frame);

  uint64_t recoveries = pager_wal_recoveries();
  CHECK_EQ_INT(s3(path, "INSERT INTO t VALUES('sqlite3', randomblob(50000));\n", out, sizeof out), 0);
  CHECK_EQ_STR(out, "");
  CHECK_EQ_STR(query(a, "SELECT k, length(v) FROM t ORDER BY k"), "big|20000000\nsmall|1\nsqlite3|50000\n");
  CHECK_EQ_INT(pager_wal_recoveries(), recoveries);
  CHECK_EQ_STR(query(a, "PRAGMA integrity_check"), "ok\n");
  /* b still reads its snapshot from before both commits. */
  CHECK_EQ_STR(query(b, "SELECT k FROM t ORDER BY k"), "small\n");
  CHECK_EQ_INT(lode_exec(b, "COMMIT", NULL), LODE_OK);
  CHECK_EQ_STR(query(b, "SELECT k FROM t ORDER BY k"), "big\nsmall\nsqlite3\n");
  CHECK_EQ_INT(lode_close(b), LODE_OK);
  CHECK_EQ_INT(lode_close(a), LODE_OK);
  /* The last connection anywhere checkpointed and removed both files. */
  char wal[500], shm[500];
  snprintf(wal, sizeof wal, "%s-wal", path);
  snprintf(shm, sizeof shm, "%s-shm", path);
  CHECK(!file_exists(wal));
  CHECK(!file_exists(shm));
  CHECK_EQ_INT(s3(path, "PRAGMA integrity_check; SELECT count(*) FROM t;\n", out, sizeof out), 0);
  CHECK_EQ_STR(out, "ok\n3\n");
}

/* A sqlite3 session (kept open through a pipe) reads inside BEGIN while
** Lode commits twice: it keeps seeing its snapshot until it ends the read
** transaction; Lode's commits are not held up by it. */
TEST(sqlite3_reader_keeps_its_snapshot_while_lode_commits) {
  if (!have_sqlite3()) return;
  TPATH(path, "snap.db");
  TPATH(outp, "snap.out");
  remove_db(path);
  unlink(outp);
  lode *a = open_db(path);
  CHECK(a != NULL);
  if (!a) return;
  CHECK_EQ_INT(lode_exec(a, "CREATE TABLE t(x); INSERT INTO t VALUES(1)", NULL), LODE_OK);
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "sqlite3 '%s' > '%s' 2>&1", path, outp);
  FILE *p = popen(cmd, "w");
  CHECK(p != NULL);
  if (!p) return;
  fputs(".timeout 5000\nBEGIN;\nSELECT 'before', count(*) FROM t;\n", p);
  fflush(p);
  int seen = 0;
  for (int i = 0; i < 500 && !seen; i++) {
    char buf[256] = {0};
    FILE *f = fopen(outp, "r");
    if (f) {
      size_t n = fread(buf, 1, sizeof buf - 1, f);
      buf[n] = 0;
      fclose(f);
    }
    seen = strstr(buf, "before|1") != NULL;
    if (!seen) usleep(10000);
  }
  CHECK(seen);
  CHECK_EQ_INT(lode_exec(a, "INSERT INTO t VALUES(2)", NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(a, "INSERT INTO t VALUES(3)", NULL), LODE_OK);
  fputs("SELECT 'inside', count(*) FROM t;\nCOMMIT;\nSELECT 'after', count(*) FROM t;\n.quit\n", p);
  pclose(p);
  char buf[512] = {0};
  FILE *f = fopen(outp, "r");
  if (f) {
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
  }
  CHECK_EQ_STR(buf, "before|1\ninside|1\nafter|3\n");
  CHECK_EQ_INT(lode_close(a), LODE_OK);
}

static int ckpt(lode *db, const char *sql, int *busy, int *log, int *done) {
  return sscanf(query(db, sql), "%d|%d|%d", busy, log, done) == 3;
}

/* Waits (bounded) until file holds text. */
static int wait_for(const char *file, const char *text) {
  for (int i = 0; i < 500; i++) {
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

/* sqlite3 creates the database, the WAL and the -shm and stays connected:
** Lode opens afterwards, finds the -shm in use (it is not reset), reads
** sqlite3's commits through it without a recovery, and its own commit is
** seen by the sqlite3 session. */
TEST(lode_joins_a_shm_sqlite3_created) {
  if (!have_sqlite3()) return;
  TPATH(path, "join.db");
  TPATH(outp, "join.out");
  remove_db(path);
  unlink(outp);
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "sqlite3 '%s' > '%s' 2>&1", path, outp);
  FILE *p = popen(cmd, "w");
  CHECK(p != NULL);
  if (!p) return;
  fputs(".timeout 5000\nPRAGMA journal_mode=WAL;\nCREATE TABLE t(x);\n"
        "INSERT INTO t VALUES(1),(2),(3);\nINSERT INTO t VALUES(4);\nSELECT 'ready';\n",
        p);
  fflush(p);
  CHECK(wait_for(outp, "ready"));
  char shm[500];
  snprintf(shm, sizeof shm, "%s-shm", path);
  CHECK(file_exists(shm));
  uint64_t recoveries = pager_wal_recoveries();
  lode *a = open_db(path);
  CHECK(a != NULL);
  if (!a) {
    pclose(p);
    return;
  }
  CHECK_EQ_STR(query(a, "SELECT sum(x) FROM t"), "10\n");
  CHECK_EQ_INT(pager_wal_recoveries(), recoveries);
  CHECK_EQ_INT(lode_exec(a, "INSERT INTO t VALUES(100)", NULL), LODE_OK);
  fputs("SELECT 'sum', sum(x) FROM t;\n.quit\n", p);
  pclose(p);
  CHECK(wait_for(outp, "sum|110"));
  CHECK_EQ_STR(query(a, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(lode_close(a), LODE_OK);
  CHECK(!file_exists(shm)); /* sqlite3 left first: Lode was the last to close */
}

/* PRAGMA wal_checkpoint reports (busy, log, checkpointed) as SQLite does:
** PASSIVE copies what no reader needs; a reader on an old snapshot makes
** FULL report busy; TRUNCATE empties the WAL file once nobody reads. */
TEST(wal_checkpoint_pragma_respects_readers) {
  TPATH(path, "ck.db");
  remove_db(path);
  lode *a = open_db(path), *b = open_db(path);
  CHECK(a && b);
  if (!a || !b) return;
  lode_busy_timeout(a, 0);
  CHECK_EQ_INT(lode_exec(a, "CREATE TABLE t(x); INSERT INTO t VALUES(1)", NULL), LODE_OK);
  int busy, log, done;
  CHECK(ckpt(a, "PRAGMA wal_checkpoint", &busy, &log, &done));
  CHECK(busy == 0 && log > 0 && done == log);
  /* b reads the database file alone (everything was checkpointed): the
  ** next commit starts the WAL over, and b's read lock keeps a checkpoint
  ** from copying it into the file under b. */
  CHECK_EQ_INT(lode_exec(b, "BEGIN; SELECT count(*) FROM t", NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(a, "INSERT INTO t VALUES(2)", NULL), LODE_OK);
  int log2;
  CHECK(ckpt(a, "PRAGMA wal_checkpoint(PASSIVE)", &busy, &log2, &done));
  CHECK(busy == 0 && log2 > 0 && log2 < log && done == 0);
  CHECK(ckpt(a, "PRAGMA wal_checkpoint(FULL)", &busy, &log, &done));
  CHECK(busy == 1 && log == log2 && done == 0);
  CHECK_EQ_INT(lode_exec(b, "COMMIT", NULL), LODE_OK);
  CHECK(ckpt(a, "PRAGMA wal_checkpoint(FULL)", &busy, &log, &done));
  CHECK(busy == 0 && log == log2 && done == log2);
  CHECK_EQ_STR(query(a, "PRAGMA wal_checkpoint(TRUNCATE)"), "0|0|0\n");
  char wal[500];
  snprintf(wal, sizeof wal, "%s-wal", path);
  FILE *f = fopen(wal, "rb");
  long size = -1;
  if (f) {
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fclose(f);
  }
  CHECK_EQ_INT(size, 0);
  CHECK_EQ_STR(query(b, "SELECT count(*) FROM t"), "2\n");
  CHECK_EQ_INT(lode_exec(a, "INSERT INTO t VALUES(3)", NULL), LODE_OK);
  CHECK_EQ_STR(query(b, "SELECT count(*) FROM t"), "3\n");
  lode_close(b);
  lode_close(a);
}

/* PRAGMA locking_mode=EXCLUSIVE: the wal-index moves into the heap (no
** -shm file), another process cannot even read until the connection
** closes, and the mode cannot go back to NORMAL. */
TEST(exclusive_locking_mode_has_no_shm_and_keeps_others_out) {
  TPATH(path, "excl.db");
  remove_db(path);
  char shm[500];
  snprintf(shm, sizeof shm, "%s-shm", path);
  lode *a = open_db(path);
  CHECK(a != NULL);
  if (!a) return;
  CHECK_EQ_STR(query(a, "PRAGMA locking_mode"), "normal\n");
  CHECK_EQ_STR(query(a, "PRAGMA locking_mode = EXCLUSIVE"), "exclusive\n");
  CHECK_EQ_INT(lode_exec(a, "CREATE TABLE t(x); INSERT INTO t VALUES(1), (2)", NULL), LODE_OK);
  CHECK(!file_exists(shm));
  CHECK_EQ_STR(query(a, "PRAGMA locking_mode = NORMAL"), "exclusive\n");
  CHECK_EQ_STR(query(a, "SELECT sum(x) FROM t"), "3\n");
  if (have_sqlite3()) {
    char out[4096];
    s3(path, "SELECT count(*) FROM t;\n", out, sizeof out);
    CHECK(strstr(out, "database is locked") != NULL);
  }
  CHECK_EQ_INT(lode_close(a), LODE_OK);
  CHECK(!file_exists(shm));
  if (have_sqlite3()) {
    char out[4096];
    CHECK_EQ_INT(s3(path, "PRAGMA integrity_check; SELECT sum(x) FROM t;\n", out, sizeof out), 0);
    CHECK_EQ_STR(out, "ok\n3\n");
  }
}

int main(void) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode_shm_XXXXXX");
  if (!mkdtemp(tmpdir)) return 1;
  RUN(shm_written_by_one_engine_is_used_by_the_other);
  RUN(sqlite3_reader_keeps_its_snapshot_while_lode_commits);
  RUN(lode_joins_a_shm_sqlite3_created);
  RUN(wal_checkpoint_pragma_respects_readers);
  RUN(exclusive_locking_mode_has_no_shm_and_keeps_others_out);
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) printf("could not remove %s\n", tmpdir);
  return test_summary();
}
