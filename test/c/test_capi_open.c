/*
** test_capi_open.c — the connection entry points the shell relies on:
** `file:` URI names (LODE_OPEN_URI), lode_db_filename / lode_db_readonly,
** and lode_interrupt.
*/
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"

#define RW (LODE_OPEN_READWRITE | LODE_OPEN_CREATE | LODE_OPEN_URI)

static char *temp_path(const char *name) {
  static char buf[256];
  snprintf(buf, sizeof buf, "/tmp/lode-capi-open-%d-%s", (int)getpid(), name);
  unlink(buf);
  return buf;
}

TEST(uri_names_a_file_with_percent_escapes) {
  char *path = temp_path("a b.db");
  char uri[300];
  lode *db = NULL;
  snprintf(uri, sizeof uri, "file:%s", path);
  for (char *p = strchr(uri, ' '); p; p = strchr(p, ' ')) {
    memmove(p + 3, p + 1, strlen(p + 1) + 1);
    memcpy(p, "%20", 3);
  }
  CHECK_EQ_INT(lode_open_v2(uri, &db, RW, NULL), LODE_OK);
  CHECK_EQ_STR(lode_db_filename(db, "main"), path);
  CHECK_EQ_INT(lode_db_readonly(db, "main"), 0);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); INSERT INTO t VALUES (7)"), "");
  lode_close(db);
  CHECK(access(path, F_OK) == 0);
  unlink(path);
}

TEST(uri_mode_ro_opens_read_only) {
  char *path = temp_path("ro.db");
  char uri[300];
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1)"), "");
  lode_close(db);
  snprintf(uri, sizeof uri, "file://localhost%s?mode=ro&cache=shared#frag", path);
  CHECK_EQ_INT(lode_open_v2(uri, &db, RW, NULL), LODE_OK);
  CHECK_EQ_INT(lode_db_readonly(db, "main"), 1);
  CHECK_EQ_STR(query(db, "SELECT a FROM t"), "1\n");
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (2)"), "ERROR 8: attempt to write a readonly database");
  lode_close(db);
  remove_db(path);
}

TEST(uri_errors_are_reported_on_the_handle) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open_v2("file:x.db?mode=bogus", &db, RW, NULL), LODE_ERROR);
  CHECK_EQ_STR(lode_errmsg(db), "no such access mode: bogus");
  lode_close(db);
  CHECK_EQ_INT(lode_open_v2("file://elsewhere/x.db", &db, RW, NULL), LODE_ERROR);
  CHECK_EQ_STR(lode_errmsg(db), "invalid uri authority: elsewhere");
  lode_close(db);
  CHECK_EQ_INT(lode_open_v2("file:x.db?mode=rwc", &db, LODE_OPEN_READONLY | LODE_OPEN_URI, NULL), LODE_PERM);
  CHECK_EQ_STR(lode_errmsg(db), "access mode not allowed: rwc");
  lode_close(db);
}

TEST(uri_memory_and_plain_names) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open_v2("file::memory:", &db, RW, NULL), LODE_OK);
  CHECK_EQ_STR(lode_db_filename(db, "main"), "");
  CHECK_EQ_INT(lode_db_readonly(db, NULL), 0);
  CHECK(lode_db_filename(db, "aux") == NULL);
  CHECK_EQ_INT(lode_db_readonly(db, "aux"), -1);
  lode_close(db);
  /* Without LODE_OPEN_URI a file: name is a plain (relative) file name. */
  char *dir = temp_path("dir");
  char cwd[512];
  CHECK(getcwd(cwd, sizeof cwd) != NULL);
  CHECK_EQ_INT(mkdir(dir, 0700), 0);
  CHECK_EQ_INT(chdir(dir), 0);
  CHECK_EQ_INT(lode_open_v2("file:plain.db", &db, LODE_OPEN_READWRITE | LODE_OPEN_CREATE, NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a)"), "");
  lode_close(db);
  CHECK(access("file:plain.db", F_OK) == 0);
  unlink("file:plain.db");
  CHECK_EQ_INT(chdir(cwd), 0);
  rmdir(dir);
}

TEST(interrupt_stops_a_running_statement_and_is_then_forgotten) {
  lode *db = NULL;
  lode_stmt *stmt = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1),(2),(3),(4)"), "");
  CHECK_EQ_INT(lode_prepare(db, "SELECT x.a FROM t x, t y", -1, &stmt, NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(stmt), LODE_ROW);
  lode_interrupt(db);
  CHECK_EQ_INT(lode_is_interrupted(db), 1);
  int rc;
  while ((rc = lode_step(stmt)) == LODE_ROW) {
  }
  CHECK_EQ_INT(rc, LODE_INTERRUPT);
  CHECK_EQ_STR(lode_errmsg(db), "interrupted");
  lode_finalize(stmt);
  /* The next statement starts afresh. */
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t"), "4\n");
  CHECK_EQ_INT(lode_is_interrupted(db), 0);
  lode_close(db);
}

TEST(interrupt_before_a_statement_starts_is_forgotten) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  lode_interrupt(db);
  CHECK_EQ_STR(query(db, "SELECT 1 UNION ALL SELECT 2"), "1\n2\n");
  lode_close(db);
}

static void *interrupt_soon(void *arg) {
  usleep(50 * 1000);
  lode_interrupt((lode *)arg);
  return NULL;
}

TEST(interrupt_from_another_thread_rolls_the_write_back) {
  lode *db = NULL;
  lode_stmt *stmt = NULL;
  pthread_t thread;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); CREATE TABLE big(a)"), "");
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (0)"), "");
  for (int i = 0; i < 7; i++) CHECK_EQ_STR(query(db, "INSERT INTO t SELECT a + 1 FROM t"), "");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t"), "128\n");
  /* 128^3 rows: far longer than the 50 ms before the interrupt. */
  CHECK_EQ_INT(lode_prepare(db, "INSERT INTO big SELECT x.a FROM t x, t y, t z", -1, &stmt, NULL), LODE_OK);
  CHECK_EQ_INT(pthread_create(&thread, NULL, interrupt_soon, db), 0);
  CHECK_EQ_INT(lode_step(stmt), LODE_INTERRUPT);
  pthread_join(thread, NULL);
  lode_finalize(stmt);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM big"), "0\n");
  lode_close(db);
}

int main(void) {
  RUN(uri_names_a_file_with_percent_escapes);
  RUN(uri_mode_ro_opens_read_only);
  RUN(uri_errors_are_reported_on_the_handle);
  RUN(uri_memory_and_plain_names);
  RUN(interrupt_stops_a_running_statement_and_is_then_forgotten);
  RUN(interrupt_before_a_statement_starts_is_forgotten);
  RUN(interrupt_from_another_thread_rolls_the_write_back);
  return test_summary();
}
