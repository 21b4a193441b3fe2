/*
** test_savepoint.c — SAVEPOINT / RELEASE / ROLLBACK TO end to end through
** the C API: the autocommit flag, commits seen by another connection,
** rollbacks of many pages under a small page cache, nested levels each
** restoring their own state, the statement savepoint above the named ones,
** schema changes undone (and the statements compiled against them), readers
** open across a rollback, and allocation failures anywhere in a workload.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"

static lode *open_memory(void) {
  lode *db = NULL;
  if (lode_open(":memory:", &db) != LODE_OK) return NULL;
  return db;
}

static void temp_path(char *path, size_t n, const char *name) {
  snprintf(path, n, "/tmp/lode_test_savepoint_%d_%s.db", (int)getpid(), name);
  remove_db(path);
}

/* The table's content as one number, so that states can be compared. */
static int64_t digest(lode *db) {
  return query_int(db, "SELECT count(*) * 1000003 + coalesce(sum(length(v) * id), 0) + coalesce(sum(id), 0) FROM t");
}

TEST(autocommit_flag_follows_savepoints) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT UNIQUE)"), "");
  CHECK_EQ_INT(lode_get_autocommit(db), 1);
  CHECK_EQ_STR(query(db, "SAVEPOINT a"), "");
  CHECK_EQ_INT(lode_get_autocommit(db), 0);
  CHECK_EQ_STR(query(db, "SAVEPOINT b; INSERT INTO t(v) VALUES ('x')"), "");
  CHECK_EQ_STR(query(db, "RELEASE b"), "");
  CHECK_EQ_INT(lode_get_autocommit(db), 0);
  CHECK_EQ_STR(query(db, "ROLLBACK TO a"), "");
  CHECK_EQ_INT(lode_get_autocommit(db), 0); /* the transaction stays open */
  CHECK_EQ_STR(query(db, "RELEASE a"), "");
  CHECK_EQ_INT(lode_get_autocommit(db), 1);
  CHECK_EQ_STR(query(db, "BEGIN; SAVEPOINT c; RELEASE c"), "");
  CHECK_EQ_INT(lode_get_autocommit(db), 0); /* BEGIN's transaction: RELEASE does not end it */
  CHECK_EQ_STR(query(db, "SAVEPOINT d; COMMIT"), "");
  CHECK_EQ_INT(lode_get_autocommit(db), 1);
  CHECK_EQ_STR(query(db, "SAVEPOINT e; INSERT INTO t(v) VALUES ('y'), ('z')"), "");
  CHECK_EQ_STR(query(db, "INSERT OR ROLLBACK INTO t(v) VALUES ('w'), ('y')"),
               "ERROR 2067: UNIQUE constraint failed: t.v");
  CHECK_EQ_INT(lode_get_autocommit(db), 1);
  CHECK_EQ_STR(query(db, "RELEASE e"), "ERROR 1: no such savepoint: e");
  CHECK_EQ_STR(query(db, "SAVEPOINT f; INSERT INTO t(v) VALUES ('y')"), "");
  CHECK_EQ_STR(query(db, "INSERT OR FAIL INTO t(v) VALUES ('v'), ('y')"), "ERROR 2067: UNIQUE constraint failed: t.v");
  CHECK_EQ_INT(lode_get_autocommit(db), 0);
  CHECK_EQ_INT(lode_changes(db), 1);
  CHECK_EQ_STR(query(db, "ROLLBACK"), "");
  CHECK_EQ_INT(lode_get_autocommit(db), 1);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t"), "0\n");
  lode_close(db);
}

TEST(releasing_the_outermost_savepoint_commits) {
  char path[256];
  lode *a = NULL, *b = NULL;
  temp_path(path, sizeof path, "commit");
  CHECK_EQ_INT(lode_open(path, &a), LODE_OK);
  CHECK_EQ_INT(lode_open(path, &b), LODE_OK);
  CHECK_EQ_STR(query(a, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"), "");
  CHECK_EQ_STR(query(a, "SAVEPOINT one; INSERT INTO t(v) VALUES ('a'); SAVEPOINT two; INSERT INTO t(v) VALUES ('b')"),
               "");
  CHECK_EQ_STR(query(b, "SELECT count(*) FROM t"), "0\n");
  CHECK_EQ_STR(query(a, "RELEASE two"), "");
  CHECK_EQ_STR(query(b, "SELECT count(*) FROM t"), "0\n"); /* still inside one */
  CHECK_EQ_STR(query(a, "RELEASE one"), "");
  CHECK_EQ_STR(query(b, "SELECT v FROM t ORDER BY id"), "a\nb\n");
  /* While a holds the write lock, b's write waits, then fails busy. */
  CHECK_EQ_STR(query(a, "SAVEPOINT w; INSERT INTO t(v) VALUES ('c')"), "");
  CHECK_EQ_STR(query(b, "INSERT INTO t(v) VALUES ('d')"), "ERROR 5: database is locked");
  CHECK_EQ_STR(query(a, "ROLLBACK TO w; RELEASE w"), "");
  CHECK_EQ_STR(query(b, "INSERT INTO t(v) VALUES ('d')"), "");
  CHECK_EQ_STR(query(a, "SELECT v FROM t ORDER BY id"), "a\nb\nd\n");
  lode_close(a);
  lode_close(b);
  remove_db(path);
}

/* Thousands of pages changed, added and freed under a 10-page cache: the
** rollback puts back every one of them, and the file stays sound. */
TEST(rollback_to_restores_many_pages) {
  char path[256], msg[256];
  lode *db = NULL;
  temp_path(path, sizeof path, "pages");
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA cache_size = 10"), "");
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX tv ON t(v)"), "");
  CHECK_EQ_STR(query(db, "BEGIN"), "");
  for (int i = 0; i < 2000; i++) {
    char sql[200];
    snprintf(sql, sizeof sql, "INSERT INTO t(v) VALUES (hex(zeroblob(%d)) || %d)", 25 + i % 75, i);
    CHECK_EQ_STR(query(db, sql), "");
  }
  CHECK_EQ_STR(query(db, "COMMIT"), "");
  int64_t before = digest(db), pages = query_int(db, "PRAGMA page_count");
  CHECK(pages > 100);
  CHECK_EQ_STR(query(db, "SAVEPOINT a"), "");
  CHECK_EQ_STR(query(db, "UPDATE t SET v = v || hex(zeroblob(150))"), "");
  CHECK_EQ_STR(query(db, "INSERT INTO t(v) SELECT v || 'c' FROM t"), "");
  CHECK_EQ_STR(query(db, "DELETE FROM t WHERE id % 3 = 0"), "");
  CHECK(query_int(db, "PRAGMA page_count") > 2 * pages);
  CHECK(digest(db) != before);
  CHECK_EQ_STR(query(db, "ROLLBACK TO a"), "");
  CHECK_EQ_INT(digest(db), before);
  CHECK_EQ_INT(query_int(db, "PRAGMA page_count"), pages);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  /* The savepoint is still there, empty: change a little, keep it. */
  CHECK_EQ_STR(query(db, "DELETE FROM t WHERE id > 1990"), "");
  CHECK_EQ_STR(query(db, "RELEASE a"), "");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT count(*), max(id) FROM t"), "1990|1990\n");
  CHECK_EQ_INT(check_btrees(db, msg, sizeof msg), 0);
  lode_close(db);
  remove_db(path);
}

/* Five levels, each changing the table: rolling back to level k gives the
** state at level k, innermost first and then skipping levels. */
TEST(nested_levels_restore_their_own_state) {
  lode *db = open_memory();
  int64_t state[6];
  CHECK_EQ_STR(query(db, "PRAGMA cache_size = 10"), "");
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"), "");
  CHECK_EQ_STR(query(db, "INSERT INTO t(v) VALUES (hex(zeroblob(250))), (hex(zeroblob(450)))"), "");
  for (int level = 0; level < 5; level++) {
    char sql[300];
    state[level] = digest(db);
    snprintf(sql, sizeof sql,
             "SAVEPOINT s%d; INSERT INTO t(v) SELECT v || '%d' FROM t;"
             "UPDATE t SET v = substr(v, 2) WHERE id %% 2 = %d",
             level, level, level % 2);
    CHECK_EQ_STR(query(db, sql), "");
  }
  state[5] = digest(db);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 64);
  CHECK_EQ_STR(query(db, "ROLLBACK TO s4"), "");
  CHECK_EQ_INT(digest(db), state[4]);
  CHECK_EQ_STR(query(db, "ROLLBACK TO s2"), "");
  CHECK_EQ_INT(digest(db), state[2]);
  CHECK_EQ_STR(query(db, "ROLLBACK TO s3"), "ERROR 1: no such savepoint: s3");
  CHECK_EQ_STR(query(db, "INSERT INTO t(v) VALUES ('new'); RELEASE s2"), "");
  CHECK_EQ_INT(digest(db) != state[2], 1);
  CHECK_EQ_STR(query(db, "ROLLBACK TO s1"), "");
  CHECK_EQ_INT(digest(db), state[1]);
  CHECK_EQ_STR(query(db, "ROLLBACK TO s0"), "");
  CHECK_EQ_INT(digest(db), state[0]);
  CHECK_EQ_STR(query(db, "RELEASE s0"), "");
  CHECK_EQ_INT(lode_get_autocommit(db), 1);
  CHECK_EQ_INT(digest(db), state[0]);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

/* A failing statement inside savepoints undoes only itself: its savepoint
** sits above the named ones and is gone when it ends. */
TEST(failed_statement_inside_savepoints_undoes_only_itself) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT UNIQUE)"), "");
  CHECK_EQ_STR(query(db, "SAVEPOINT a; INSERT INTO t(v) VALUES ('1'), ('2'); SAVEPOINT b"), "");
  CHECK_EQ_STR(query(db, "INSERT INTO t(v) VALUES ('3'), ('4'), ('1')"), "ERROR 2067: UNIQUE constraint failed: t.v");
  CHECK_EQ_INT(db->nwriting, 0);
  CHECK_EQ_STR(query(db, "INSERT INTO t(v) VALUES ('5')"), "");
  CHECK_EQ_STR(query(db, "SELECT v FROM t ORDER BY id"), "1\n2\n5\n");
  CHECK_EQ_STR(query(db, "ROLLBACK TO b"), "");
  CHECK_EQ_STR(query(db, "SELECT v FROM t ORDER BY id"), "1\n2\n");
  CHECK_EQ_STR(query(db, "UPDATE t SET v = '2' WHERE v = '1'"), "ERROR 2067: UNIQUE constraint failed: t.v");
  CHECK_EQ_STR(query(db, "ROLLBACK TO a"), "");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t"), "0\n");
  CHECK_EQ_STR(query(db, "RELEASE a"), "");
  lode_close(db);
}

/* A statement compiled against a table that a ROLLBACK TO removed is
** re-prepared, even once a table of that name exists again under the same
** schema cookie value with other columns. */
TEST(schema_changes_undone_expire_statements) {
  lode *db = open_memory();
  lode_stmt *st = NULL;
  CHECK_EQ_STR(query(db, "CREATE TABLE keep(x); INSERT INTO keep VALUES (1)"), "");
  CHECK_EQ_STR(query(db, "SAVEPOINT a; CREATE TABLE n(a, b); INSERT INTO n VALUES (1, 2)"), "");
  CHECK_EQ_INT(lode_prepare(db, "SELECT * FROM n", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_column_count(st), 2);
  lode_reset(st);
  CHECK_EQ_STR(query(db, "ROLLBACK TO a"), "");
  CHECK_EQ_INT(lode_step(st), LODE_ERROR);
  CHECK_EQ_STR(lode_errmsg(db), "no such table: n");
  lode_reset(st);
  CHECK_EQ_STR(query(db, "CREATE TABLE n(c); INSERT INTO n VALUES (5), (6)"), "");
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_column_count(st), 1);
  CHECK_EQ_INT(lode_column_int64(st, 0), 5);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_step(st), LODE_DONE);
  lode_finalize(st);
  /* DROP and ALTER undone: the in-memory schema is the file's again. */
  CHECK_EQ_STR(query(db, "SAVEPOINT b; DROP TABLE keep; ALTER TABLE n ADD COLUMN d DEFAULT 7"), "");
  CHECK_EQ_STR(query(db, "SELECT * FROM n"), "5|7\n6|7\n");
  CHECK_EQ_STR(query(db, "ROLLBACK TO b"), "");
  CHECK_EQ_STR(query(db, "SELECT * FROM n"), "5\n6\n");
  CHECK_EQ_STR(query(db, "SELECT x FROM keep"), "1\n");
  CHECK_EQ_STR(query(db, "RELEASE a"), "");
  CHECK_EQ_STR(query(db, "SELECT name FROM sqlite_schema ORDER BY name"), "keep\nn\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

/* A reader open across changes and their rollback keeps its place and
** reads the restored rows. */
TEST(reader_open_across_a_rollback_to) {
  lode *db = open_memory();
  lode_stmt *st = NULL;
  int rows = 0;
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"), "");
  CHECK_EQ_STR(query(db, "INSERT INTO t(v) SELECT hex(zeroblob(150)) FROM (SELECT 1 UNION SELECT 2 UNION "
                         "SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6 UNION SELECT 7 UNION SELECT 8)"),
               "");
  CHECK_EQ_STR(query(db, "INSERT INTO t(v) SELECT v FROM t; INSERT INTO t(v) SELECT v FROM t"), "");
  CHECK_EQ_STR(query(db, "SAVEPOINT a"), "");
  CHECK_EQ_INT(lode_prepare(db, "SELECT id FROM t ORDER BY id", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  rows++;
  CHECK_EQ_STR(query(db, "DELETE FROM t WHERE id > 2; UPDATE t SET v = 'short'"), "");
  CHECK_EQ_STR(query(db, "ROLLBACK TO a"), "");
  while (lode_step(st) == LODE_ROW) rows++;
  CHECK_EQ_INT(rows, 32);
  lode_finalize(st);
  CHECK_EQ_STR(query(db, "RELEASE a"), "");
  CHECK_EQ_STR(query(db, "SELECT count(*), min(length(v)) FROM t"), "32|300\n");
  lode_close(db);
}

/* Once the transaction has changed the schema, any rollback in it, to a
** savepoint taken after the change too, stops a reader open across it with
** "abort due to ROLLBACK", as SQLite trips every cursor then; without a
** schema change the reader goes on.  A later transaction starts clean. */
TEST(rollback_after_schema_change_stops_readers) {
  lode *db = open_memory();
  lode_stmt *st = NULL;
  CHECK_EQ_STR(query(db, "CREATE TABLE t1(a); INSERT INTO t1 VALUES (1), (2), (3); CREATE TABLE t2(a)"), "");
  CHECK_EQ_STR(query(db, "SAVEPOINT x1; CREATE TABLE t4(abc)"), "");
  CHECK_EQ_INT(lode_prepare(db, "SELECT a FROM t1", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_STR(query(db, "SAVEPOINT x2; INSERT INTO t2 VALUES (1); ROLLBACK TO x2"), "");
  CHECK_EQ_INT(lode_step(st), LODE_ABORT_ROLLBACK);
  CHECK_EQ_STR(lode_errmsg(db), "abort due to ROLLBACK");
  lode_finalize(st);
  CHECK_EQ_STR(query(db, "RELEASE x1"), "");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t2; SELECT name FROM sqlite_schema WHERE name = 't4'"), "0\nt4\n");
  /* No schema change in this transaction: the reader sees its rows out. */
  CHECK_EQ_STR(query(db, "BEGIN"), "");
  CHECK_EQ_INT(lode_prepare(db, "SELECT a FROM t1", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_STR(query(db, "SAVEPOINT x2; INSERT INTO t2 VALUES (1); ROLLBACK TO x2"), "");
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_step(st), LODE_DONE);
  lode_finalize(st);
  CHECK_EQ_STR(query(db, "COMMIT"), "");
  lode_close(db);
}

/* Allocation failures at every point of a savepoint workload: each step
** either works or reports LODE_NOMEM, and the database stays sound and
** usable whatever happened. */
TEST(allocation_failures_in_savepoints) {
  static const char *const steps[] = {
      "SAVEPOINT a",
      "INSERT INTO t(v) VALUES (hex(zeroblob(1500))), ('b')",
      "SAVEPOINT b",
      "UPDATE t SET v = v || 'x'",
      "CREATE TABLE u(k UNIQUE)",
      "INSERT INTO u VALUES (1), (2)",
      "INSERT INTO u VALUES (3), (1)",
      "ROLLBACK TO b",
      "INSERT OR FAIL INTO t(id, v) VALUES (100, 'c'), (1, 'd')",
      "RELEASE b",
      "SAVEPOINT c",
      "DELETE FROM t WHERE id = 1",
      "ROLLBACK TO a",
      "RELEASE a",
  };
  int bad = 0, n;
  for (n = 1; n < 5000 && bad < 3; n++) {
    lode *db = open_memory();
    char msg[256];
    int saw_nomem = 0;
    if (!db) break;
    if (lode_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('seed')", NULL) !=
        LODE_OK)
      bad++;
    util_fail_alloc_after(n, 0);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
      int rc = lode_exec(db, steps[i], NULL) & 0xff;
      if (rc == LODE_NOMEM) saw_nomem = 1;
      else if (rc != LODE_OK && rc != LODE_CONSTRAINT && rc != LODE_ERROR) {
        printf("  allocation %d: %s gave %d: %s\n", n, steps[i], rc, lode_errmsg(db));
        bad++;
      }
    }
    util_fail_alloc_after(0, 0);
    if (!lode_get_autocommit(db)) lode_exec(db, "ROLLBACK", NULL);
    if (lode_exec(db, "INSERT INTO t(v) VALUES ('after')", NULL) != LODE_OK || check_btrees(db, msg, sizeof msg)) {
      printf("  allocation %d: database unusable afterwards: %s %s\n", n, lode_errmsg(db), msg);
      bad++;
    }
    if (query_int(db, "SELECT count(*) FROM t WHERE v = 'seed'") != 1) {
      printf("  allocation %d: the committed row is gone\n", n);
      bad++;
    }
    lode_close(db);
    if (!saw_nomem) break;
  }
  CHECK_EQ_INT(bad, 0);
  CHECK(n > 50); /* the loop reached the end of the workload, not the cap */
  CHECK(n < 5000);
}

/* sqlite3's answer to one query on a file, or "" when the CLI is missing. */
static void sqlite3_answer(const char *path, const char *sql, char *out, size_t n) {
  char cmd[1024];
  out[0] = 0;
  if (access("/usr/bin/sqlite3", X_OK) != 0) return;
  snprintf(cmd, sizeof cmd, "/usr/bin/sqlite3 '%s' \"%s\" 2>&1", path, sql);
  FILE *f = popen(cmd, "r");
  if (!f) return;
  size_t got = fread(out, 1, n - 1, f);
  out[got] = 0;
  while (got > 0 && (out[got - 1] == '\n' || out[got - 1] == '\r')) out[--got] = 0;
  pclose(f);
}

/* Cells of many sizes dropped and added in one transaction leave freeblocks
** and fragments on most pages; rollbacks put pages back under the b-tree's
** feet.  The free space the b-tree counts on each page must stay exact: a
** wrong count either overwrites cells or fails to fit them. */
TEST(fragmented_pages_survive_churn_and_rollbacks) {
  char path[256], want[64], got[256];
  lode *db = NULL;
  Rng rng;
  lode_stmt *ins = NULL, *del = NULL;
  temp_path(path, sizeof path, "frag");
  rng_seed(&rng, 77);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "PRAGMA page_size = 1024"), "");
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX tv ON t(v, id)"), "");
  CHECK_EQ_INT(lode_prepare(db, "INSERT OR REPLACE INTO t(id, v) VALUES (?1, substr(hex(zeroblob(200)) || ?1, 1, ?2))",
                            -1, &ins, NULL), LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, "DELETE FROM t WHERE id = ?", -1, &del, NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "BEGIN"), "");
  for (int round = 0; round < 40 && !test_current_failed; round++) {
    int64_t before = digest(db);
    CHECK_EQ_STR(query(db, "SAVEPOINT r"), "");
    for (int op = 0; op < 300; op++) {
      lode_stmt *st = rng_int(&rng, 3) == 0 ? del : ins;
      lode_bind_int64(st, 1, 1 + rng_int(&rng, 2000));
      if (st == ins) lode_bind_int64(ins, 2, 1 + rng_int(&rng, 300));
      CHECK_EQ_INT(lode_step(st), LODE_DONE);
      lode_reset(st);
    }
    if (round % 3 == 2) {
      CHECK_EQ_STR(query(db, "ROLLBACK TO r"), "");
      CHECK_EQ_INT(digest(db), before);
    }
    CHECK_EQ_STR(query(db, "RELEASE r"), "");
  }
  CHECK_EQ_STR(query(db, "COMMIT"), "");
  lode_finalize(ins);
  lode_finalize(del);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  snprintf(want, sizeof want, "%lld", (long long)digest(db));
  CHECK(query_int(db, "SELECT count(*) FROM t") > 500);
  lode_close(db);
  sqlite3_answer(path, "PRAGMA integrity_check", got, sizeof got);
  if (got[0]) {
    CHECK_EQ_STR(got, "ok");
    sqlite3_answer(path,
                   "SELECT count(*) * 1000003 + coalesce(sum(length(v) * id), 0) + coalesce(sum(id), 0) FROM t",
                   got, sizeof got);
    CHECK_EQ_STR(got, want);
  }
  remove_db(path);
}

int main(void) {
  RUN(autocommit_flag_follows_savepoints);
  RUN(releasing_the_outermost_savepoint_commits);
  RUN(rollback_to_restores_many_pages);
  RUN(nested_levels_restore_their_own_state);
  RUN(failed_statement_inside_savepoints_undoes_only_itself);
  RUN(schema_changes_undone_expire_statements);
  RUN(reader_open_across_a_rollback_to);
  RUN(rollback_after_schema_change_stops_readers);
  RUN(allocation_failures_in_savepoints);
  RUN(fragmented_pages_survive_churn_and_rollbacks);
  return test_summary();
}
