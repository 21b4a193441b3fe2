/*
** test_wal_limit.c — PRAGMA journal_size_limit in WAL mode: when the WAL
** starts over after a checkpoint, its file is cut to the limit (or to what
** the restarting commit wrote, if more); without a limit it keeps its size.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"

static char tmpdir[256], path[600], wal[620];

static long long wal_size(void) {
  struct stat st;
  return stat(wal, &st) == 0 ? (long long)st.st_size : -1;
}

/* The WAL's size after a big write, a checkpoint and one small commit. */
static long long after_restart(const char *limit_pragma) {
  lode *db = NULL;
  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA wal_autocheckpoint = 0; CREATE TABLE t(a, b);"
                         "INSERT INTO t SELECT value, zeroblob(1000) FROM generate_series(1, 1000)"),
               "0\n");
  if (limit_pragma) CHECK(strncmp(query(db, limit_pragma), "ERROR", 5) != 0);
  CHECK(wal_size() > 1000000);
  const char *ck = query(db, "PRAGMA wal_checkpoint");
  CHECK(strncmp(ck, "0|", 2) == 0); /* not busy: every frame copied back */
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (0, 'small')"), "");
  long long size = wal_size();
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t; PRAGMA integrity_check"), "1001\nok\n");
  lode_close(db);
  return size;
}

TEST(journal_size_limit_cuts_the_wal_when_it_starts_over) {
  CHECK(after_restart(NULL) > 1000000);
  long long cut = after_restart("PRAGMA journal_size_limit = 20000");
  CHECK(cut >= 20000 && cut <= 20000 + 4096 + 24);
  /* Zero: only what the restarting commit wrote remains. */
  cut = after_restart("PRAGMA journal_size_limit = 0");
  CHECK(cut > 0 && cut < 20000);
}

int main(void) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode-test-wal-limit-%d", (int)getpid());
  snprintf(path, sizeof path, "%s/w.db", tmpdir);
  snprintf(wal, sizeof wal, "%s-wal", path);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "mkdir -p %s", tmpdir);
  if (system(cmd) != 0) return 1;
  RUN(journal_size_limit_cuts_the_wal_when_it_starts_over);
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  if (system(cmd) != 0) return 1;
  return test_summary();
}
