/*
** test_wal_reopen.c — a process that opens a database while the last
** other process closes it must not keep reading the WAL that close deletes.
**
** The closing process, alone on the file, checkpoints and deletes the WAL
** and the -shm; a process that had opened its handle of the WAL before it
** held its own lock on the database would keep reading the deleted file
** while the next writer fills a new one, and report "database disk image is
** malformed" (a short read of a frame the new wal-index names).  Here four
** processes start at staggered moments, each opening the file, committing
** and closing, so that opens meet closes; every one must succeed and every
** row must be there.  LODE_OPEN_RACE_ROUNDS sets the rounds (long mode).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"

#define ROUNDS 25
#define WRITERS 4
#define ROWS_EACH 300

static char tmpdir[256];

/* Runs sql, again while it fails with a LODE_BUSY code: besides the closing
** process's exclusive lock before busy_timeout is set, a statement that
** finds the connection still in the read transaction of its schema load
** gets LODE_BUSY at once, busy_timeout or not (a gap of the transaction
** layer, not what this test is about). */
static int exec_retry(lode *db, const char *sql) {
  int rc = LODE_BUSY;
  for (int tries = 0; (rc & 0xff) == LODE_BUSY && tries < 20000; tries++) {
    if (tries) usleep(500);
    rc = lode_exec(db, sql, NULL);
  }
  return rc;
}

static void writer(const char *path, unsigned seed) {
  struct timespec ts = {0, (long)(rand_r(&seed) % 150) * 1000000L};
  nanosleep(&ts, NULL);
  lode *db = NULL;
  int rc = lode_open(path, &db);
  if (rc == LODE_OK) rc = exec_retry(db, "PRAGMA busy_timeout = 20000");
  if (rc == LODE_OK) rc = exec_retry(db, "PRAGMA synchronous = NORMAL");
  for (int i = 0; rc == LODE_OK && i < ROWS_EACH; i++) rc = exec_retry(db, "INSERT INTO w(v) VALUES (1)");
  if (rc != LODE_OK) {
    printf("  writer: %d %s\n", lode_extended_errcode(db), lode_errmsg(db));
    fflush(stdout);
    _exit(1);
  }
  lode_close(db);
  _exit(0);
}

TEST(opening_while_the_last_process_closes_reads_the_live_wal) {
  char path[600];
  snprintf(path, sizeof path, "%s/race.db", tmpdir);
  remove_db(path);
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "CREATE TABLE w(id INTEGER PRIMARY KEY, v)", NULL), LODE_OK);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  const char *env = getenv("LODE_OPEN_RACE_ROUNDS");
  int rounds = env && atoi(env) > 0 ? atoi(env) : ROUNDS, failed = 0;
  for (int r = 0; r < rounds && failed == 0; r++) {
    fflush(stdout);
    for (int k = 0; k < WRITERS; k++)
      if (fork() == 0) writer(path, (unsigned)(r * WRITERS + k) * 2654435761u);
    for (int k = 0; k < WRITERS; k++) {
      int status = 0;
      wait(&status);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failed++;
    }
  }
  CHECK_EQ_INT(failed, 0);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  if (failed == 0) CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM w"), (int64_t)rounds * WRITERS * ROWS_EACH);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

int main(void) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode_walreopen_XXXXXX");
  if (!mkdtemp(tmpdir)) return 1;
  RUN(opening_while_the_last_process_closes_reads_the_live_wal);
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) printf("could not remove %s\n", tmpdir);
  return test_summary();
}
