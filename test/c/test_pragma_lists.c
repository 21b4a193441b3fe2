/*
** test_pragma_lists.c — the PRAGMAs that answer with lists or with a
** connection's own state (database_list, collation_list, compile_options,
** pragma_list, wal_autocheckpoint's effect on the WAL), which the SQL
** differential scripts cannot compare with the sqlite3 CLI: its file names,
** its extra collations and its build options differ from Lode's by design.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lode.h"
#include "sqlite3.h"
#include "testdb.h"
#include "testlib.h"

static char path[256];

TEST(database_list_names_main_and_its_absolute_file) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA database_list"), "0|main|\n");
  lode_close(db);
  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  char want[400];
  snprintf(want, sizeof want, "0|main|%s\n", path);
  CHECK_EQ_STR(query(db, "PRAGMA database_list"), want);
  lode_close(db);
  /* A relative name is reported from the working directory. */
  char cwd[300], rel[300];
  CHECK(getcwd(cwd, sizeof cwd) != NULL);
  if (chdir("/tmp") == 0) {
    snprintf(rel, sizeof rel, "%s", strrchr(path, '/') + 1);
    CHECK_EQ_INT(lode_open(rel, &db), LODE_OK);
    CHECK_EQ_STR(query(db, "PRAGMA database_list"), want);
    lode_close(db);
    CHECK_EQ_INT(chdir(cwd), 0);
  }
  remove_db(path);
}

TEST(collations_options_and_pragmas_are_listed) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA collation_list"), "0|RTRIM\n1|NOCASE\n2|BINARY\n");
  const char *opts = query(db, "PRAGMA compile_options");
  CHECK(strstr(opts, "MAX_COLUMN=2000\n") != NULL);
  CHECK(strstr(opts, "MAX_LENGTH=1000000000\n") != NULL);
  CHECK_EQ_STR(query(db, "SELECT sqlite_compileoption_used('SQLITE_ENABLE_MATH_FUNCTIONS'),"
                         " sqlite_compileoption_used('ENABLE_FTS5'), sqlite_compileoption_used('ENABLE_GEOPOLY'),"
                         " sqlite_compileoption_get(-1) IS NULL"),
               "1|1|0|1\n");
  const char *list = query(db, "PRAGMA pragma_list");
  CHECK(strstr(list, "\nwal_autocheckpoint\n") != NULL);
  CHECK(strstr(list, "\ntable_info\n") != NULL);
  lode_close(db);
}

/* The C API's list of options is the SQL one, and names what the library
** has: a program that probes for FTS5 or R-Tree before using them finds them. */
TEST(compile_options_agree_with_the_c_api) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  char from_c[4096] = "";
  for (int i = 0; sqlite3_compileoption_get(i); i++) {
    strcat(from_c, sqlite3_compileoption_get(i));
    strcat(from_c, "\n");
  }
  CHECK_EQ_STR(query(db, "PRAGMA compile_options"), from_c);
  CHECK(sqlite3_compileoption_used("SQLITE_ENABLE_RTREE") && sqlite3_compileoption_used("ENABLE_FTS4"));
  CHECK(sqlite3_compileoption_used("THREADSAFE") && !sqlite3_compileoption_used("ENABLE_GEOPOLY"));
  char ts[32];
  snprintf(ts, sizeof ts, "THREADSAFE=%d\n", sqlite3_threadsafe());
  CHECK(strstr(from_c, ts) != NULL);
  CHECK_EQ_STR(query(db, "CREATE VIRTUAL TABLE r USING rtree(id, x0, x1); CREATE VIRTUAL TABLE f USING fts5(t);"
                         " SELECT count(*) FROM r, f"),
               "0\n");
  lode_close(db);
}

/* With wal_autocheckpoint = N a commit that leaves N frames or more in the
** WAL checkpoints it (the WAL restarts small); 0 turns that off. */
TEST(wal_autocheckpoint_decides_when_commits_checkpoint) {
  lode *db = NULL;
  char wal[300];
  struct stat st;
  snprintf(wal, sizeof wal, "%s-wal", path);
  remove_db(path);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA wal_autocheckpoint = 0; CREATE TABLE t(x)"), "0\n");
  for (int i = 0; i < 40; i++) CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (zeroblob(3000))"), "");
  CHECK_EQ_INT(stat(wal, &st), 0);
  off_t grown = st.st_size;
  CHECK(grown > 40 * 4096);
  CHECK_EQ_STR(query(db, "PRAGMA wal_autocheckpoint = 5"), "5\n");
  CHECK_EQ_STR(query(db, "PRAGMA wal_checkpoint(TRUNCATE)"), "0|0|0\n");
  for (int i = 0; i < 40; i++) CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (zeroblob(3000))"), "");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t"), "80\n");
  /* Checkpoints keep the WAL's frames to about one round of 5 frames; its file
  ** is reused from the start, so it never grows near the unbounded size. */
  CHECK_EQ_INT(stat(wal, &st), 0);
  CHECK(st.st_size < grown / 2);
  lode_close(db);
  remove_db(path);
}

int main(void) {
  snprintf(path, sizeof path, "/tmp/lode_test_pragma_lists_%d.db", (int)getpid());
  RUN(database_list_names_main_and_its_absolute_file);
  RUN(collations_options_and_pragmas_are_listed);
  RUN(compile_options_agree_with_the_c_api);
  RUN(wal_autocheckpoint_decides_when_commits_checkpoint);
  return test_summary();
}
