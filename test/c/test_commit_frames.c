/*
** test_commit_frames.c — what a commit writes to the WAL: only the pages it
** changed, page 1 only when its bytes must change (the transaction changed
** it, or the database size in the header would be wrong), as SQLite's WAL
** mode does.  Frame counts per statement are compared with the sqlite3 CLI
** on the same starting file, and the header every commit leaves is checked
** for what sqlite3 relies on (size valid for the change counter, WAL format).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lode.h"
#include "pager/pager.h"
#include "testdb.h"
#include "testlib.h"

#define PAGE_SIZE 4096
#define FRAME_SIZE (24 + PAGE_SIZE)

static char tmpdir[256];
static uint8_t frame[FRAME_SIZE];

static const char *db_path(const char *name) {
  static char paths[4][600];
  static int next;
  char *p = paths[next++ % 4];
  snprintf(p, 600, "%s/%s", tmpdir, name);
  remove_db(p);
  return p;
}

static lode *open_db(const char *path) {
  lode *db = NULL;
  if (lode_open(path, &db) != LODE_OK) return NULL;
  return db;
}

static unsigned frames(lode *db) {
  unsigned n = 0;
  return lode_wal_frame_count(db, &n) == LODE_OK ? n : 0;
}

/* Frames the statement adds to the WAL (no checkpoint runs meanwhile). */
static int frames_of(lode *db, const char *sql) {
  unsigned before = frames(db);
  if (lode_exec(db, sql, NULL) != LODE_OK) return -1;
  return (int)(frames(db) - before);
}

/* The page number of WAL frame n. */
static uint32_t frame_pgno(lode *db, unsigned n) {
  if (lode_wal_get_frame(db, n, frame, sizeof frame) != LODE_OK) return 0;
  return util_get4(frame);
}

/* The newest frame of page 1 in the WAL, or 0. */
static unsigned newest_page1(lode *db) {
  for (unsigned n = frames(db); n > 0; n--)
    if (frame_pgno(db, n) == 1) return n;
  return 0;
}

static lode *fresh_table(const char *path) {
  lode *db = open_db(path);
  if (!db) return NULL;
  lode_exec(db, "PRAGMA wal_autocheckpoint=0; CREATE TABLE t(a INTEGER PRIMARY KEY, b)", NULL);
  return db;
}

TEST(a_one_row_commit_of_a_small_table_is_one_frame_without_page_1) {
  lode *db = fresh_table(db_path("one.db"));
  CHECK(db != NULL);
  if (!db) return;
  for (int i = 0; i < 5; i++) {
    CHECK_EQ_INT(frames_of(db, "INSERT INTO t(b) VALUES ('row')"), 1);
    CHECK_EQ_INT(frame_pgno(db, frames(db)), 2);
  }
  CHECK_EQ_INT(frames_of(db, "UPDATE t SET b = 'changed' WHERE a = 3"), 1);
  CHECK_EQ_INT(frames_of(db, "DELETE FROM t WHERE a = 1"), 1);
  CHECK_EQ_INT(frames_of(db, "BEGIN; INSERT INTO t(b) VALUES (1); INSERT INTO t(b) VALUES (2); COMMIT"), 1);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t"), "6\n");
  lode_close(db);
}

TEST(a_commit_that_grows_the_file_writes_page_1_with_the_new_size) {
  lode *db = fresh_table(db_path("grow.db"));
  CHECK(db != NULL);
  if (!db) return;
  int64_t before = query_int(db, "PRAGMA page_count");
  /* Two overflow pages: the leaf, the overflow chain and page 1. */
  CHECK_EQ_INT(frames_of(db, "INSERT INTO t VALUES (1, zeroblob(10000))"), 4);
  int64_t after = query_int(db, "PRAGMA page_count");
  CHECK_EQ_INT(after, before + 2);
  unsigned f = newest_page1(db);
  CHECK_EQ_INT(f, frames(db) - 3); /* frames go out in page order */
  CHECK_EQ_INT(frame_pgno(db, f), 1);
  const uint8_t *h = frame + 24;
  CHECK_EQ_INT(util_get4(h + 28), after);
  CHECK_EQ_INT(util_get4(h + 24), util_get4(h + 92));
  CHECK_EQ_INT(h[18], 2);
  CHECK_EQ_INT(h[19], 2);
  lode_close(db);
}

TEST(a_schema_change_bumps_the_change_counter_and_small_commits_keep_it) {
  lode *db = fresh_table(db_path("counter.db"));
  CHECK(db != NULL);
  if (!db) return;
  lode_wal_get_frame(db, newest_page1(db), frame, sizeof frame);
  uint32_t counter = util_get4(frame + 24 + 24);
  CHECK_EQ_INT(frames_of(db, "INSERT INTO t VALUES (1, 'x')"), 1);
  CHECK_EQ_INT(frames_of(db, "CREATE TABLE u(x)"), 2); /* page 1 (schema) and u's root */
  unsigned f = newest_page1(db);
  CHECK_EQ_INT(f, frames(db) - 1);
  lode_wal_get_frame(db, f, frame, sizeof frame);
  CHECK_EQ_INT(util_get4(frame + 24 + 24), counter + 1);
  CHECK_EQ_INT(util_get4(frame + 24 + 92), counter + 1);
  lode_close(db);
}

TEST(a_commit_whose_only_changes_lie_past_the_end_still_has_a_commit_frame) {
  const char *path = db_path("past_end.db");
  Pager *p = NULL;
  CHECK_EQ_INT(pager_open(path, PAGER_OPEN_CREATE, &p), LODE_OK);
  if (!p) return;
  DbPage *pg;
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  for (uint32_t n = 1; n <= 3; n++) {
    CHECK_EQ_INT(pager_get(p, n, &pg), LODE_OK);
    CHECK_EQ_INT(pager_write(pg), LODE_OK);
    pager_unref(pg);
  }
  CHECK_EQ_INT(pager_commit(p), LODE_OK);
  uint32_t before = 0, after = 0;
  CHECK_EQ_INT(pager_wal_frame_count(p, &before), LODE_OK);
  /* A page taken and given back: the size is as before and no page that
  ** survives changed, yet the commit must write a commit frame. */
  CHECK_EQ_INT(pager_begin_write(p), LODE_OK);
  CHECK_EQ_INT(pager_get(p, 4, &pg), LODE_OK);
  CHECK_EQ_INT(pager_write(pg), LODE_OK);
  CHECK_EQ_INT(pager_truncate(p, 3), LODE_OK); /* still held: it stays dirty */
  CHECK_EQ_INT(pager_commit(p), LODE_OK);
  pager_unref(pg);
  CHECK_EQ_INT(pager_wal_frame_count(p, &after), LODE_OK);
  CHECK_EQ_INT(after, before + 1);
  char why[100];
  CHECK_EQ_INT(pager_wal_get_frame(p, after, frame, sizeof frame, why, sizeof why), LODE_OK);
  CHECK_EQ_INT(util_get4(frame), 1); /* page 1 carries it */
  CHECK_EQ_INT(util_get4(frame + 4), 3); /* commit frame: the size */
  CHECK_EQ_INT(pager_page_count(p), 3);
  pager_close(p);
}

/* The WAL file's frame count as the sqlite3 CLI's `.shell` sees it. */
static const char *CLI_COUNT = ".shell echo $(( ($(wc -c < '%s-wal') - 32) / 4120 ))\n";

TEST(frames_per_statement_match_sqlite3_on_the_same_file) {
  if (!have_sqlite3()) {
    printf("  (sqlite3 CLI not found: skipped)\n");
    return;
  }
  static const char *steps[] = {
      "INSERT INTO t VALUES (1, 'x');",
      "UPDATE t SET b = 'y' WHERE a = 1;",
      "DELETE FROM t WHERE a = 1;",
      "INSERT INTO t VALUES (2, zeroblob(10000));",
      "INSERT INTO t VALUES (3, zeroblob(5000));",
      "UPDATE t SET b = 'small' WHERE a = 100;",
      "CREATE TABLE u(x);",
      "BEGIN; INSERT INTO t VALUES (4, 'a'); INSERT INTO t VALUES (5, 'b'); COMMIT;",
      "INSERT INTO u VALUES (1);",
  };
  enum { NSTEPS = sizeof steps / sizeof steps[0] };
  const char *seed = db_path("seed.db");
  lode *db = open_db(seed);
  CHECK(db != NULL);
  if (!db) return;
  lode_exec(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b); INSERT INTO t VALUES (100, 'seed')", NULL);
  lode_close(db); /* checkpointed: the WAL is gone */

  /* sqlite3 on one copy. */
  const char *s_path = db_path("s.db"), *l_path = db_path("l.db");
  char cmd[1400];
  snprintf(cmd, sizeof cmd, "cp '%s' '%s' && cp '%s' '%s'", seed, s_path, seed, l_path);
  CHECK_EQ_INT(system(cmd), 0);
  char script[8192], line[700];
  snprintf(script, sizeof script, ".output /dev/null\nPRAGMA wal_autocheckpoint=0;\n.output\n");
  for (int i = 0; i < NSTEPS; i++) {
    snprintf(line, sizeof line, "%s\n", steps[i]);
    strcat(script, line);
    snprintf(line, sizeof line, CLI_COUNT, s_path);
    strcat(script, line);
  }
  char out[4096], script_path[600];
  snprintf(script_path, sizeof script_path, "%s/s.sql", tmpdir);
  CHECK_EQ_INT(sqlite3_cli(script_path, s_path, script, out, sizeof out), 0);
  /* sqlite3 printed the WAL's frame count after each step. */
  int total[NSTEPS];
  char *p = out;
  for (int i = 0; i < NSTEPS; i++) total[i] = (int)strtol(p, &p, 10);

  /* Lode on the other copy. */
  db = open_db(l_path);
  CHECK(db != NULL);
  if (!db) return;
  lode_exec(db, "PRAGMA wal_autocheckpoint=0", NULL);
  for (int i = 0; i < NSTEPS; i++) {
    int n = frames_of(db, steps[i]), want = total[i] - (i > 0 ? total[i - 1] : 0);
    if (n != want) TEST_FAIL_("%s: %d frames, sqlite3 %d", steps[i], n, want);
  }
  CHECK_EQ_STR(query(db, "SELECT a, length(b) FROM t ORDER BY a"), "2|10000\n3|5000\n4|1\n5|1\n100|5\n");
  int64_t pages = query_int(db, "PRAGMA page_count");
  /* sqlite3 reads a copy of the file and WAL as they are, no checkpoint
  ** run: it recovers the WAL and trusts page 1 of the last commit. */
  const char *copy = db_path("copy.db");
  snprintf(cmd, sizeof cmd, "cp '%s' '%s' && cp '%s-wal' '%s-wal'", l_path, copy, l_path, copy);
  CHECK_EQ_INT(system(cmd), 0);
  char want[200];
  snprintf(want, sizeof want, "ok\n5\n%lld\n", (long long)pages);
  CHECK_EQ_INT(sqlite3_cli(script_path, copy, "PRAGMA integrity_check; SELECT count(*) FROM t; PRAGMA page_count;",
                           out, sizeof out), 0);
  CHECK_EQ_STR(out, want);
  lode_close(db);
  /* And the checkpointed file alone. */
  CHECK_EQ_INT(sqlite3_cli(script_path, l_path, "PRAGMA integrity_check; SELECT count(*) FROM t; PRAGMA page_count;",
                           out, sizeof out), 0);
  CHECK_EQ_STR(out, want);
}

int main(void) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode_commitframes_XXXXXX");
  if (!mkdtemp(tmpdir)) return 1;
  RUN(a_one_row_commit_of_a_small_table_is_one_frame_without_page_1);
  RUN(a_commit_that_grows_the_file_writes_page_1_with_the_new_size);
  RUN(a_schema_change_bumps_the_change_counter_and_small_commits_keep_it);
  RUN(a_commit_whose_only_changes_lie_past_the_end_still_has_a_commit_frame);
  RUN(frames_per_statement_match_sqlite3_on_the_same_file);
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) printf("could not remove %s\n", tmpdir);
  return test_summary();
}
