/*
** test_attach.c — attached database files and the temp database, end to end:
** files Lode writes through ATTACH are read by the sqlite3 CLI (and the
** other way round), a transaction over several databases commits or rolls
** back in each, another connection's schema change to an attached file is
** seen, and the temp database stays private to its connection.
*/
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"

static void temp_path(char *buf, size_t n, const char *tag) {
  snprintf(buf, n, "/tmp/lode_test_attach_%s_%d.db", tag, (int)getpid());
}

static lode *open_db(const char *path) {
  lode *db = NULL;
  if (lode_open(path, &db) != LODE_OK) {
    lode_close(db);
    return NULL;
  }
  return db;
}

static const char *attach_sql(char *buf, size_t n, const char *path, const char *name) {
  snprintf(buf, n, "ATTACH '%s' AS %s", path, name);
  return buf;
}

TEST(attached_file_read_by_sqlite3) {
  char path[256], script[300], sql[600], out[4096];
  temp_path(path, sizeof path, "aux");
  snprintf(script, sizeof script, "%s.sql", path);
  remove_db(path);
  lode *db = open_db(":memory:");
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_STR(query(db, attach_sql(sql, sizeof sql, path, "aux")), "");
  CHECK_EQ_STR(query(db, "CREATE TABLE aux.t(id INTEGER PRIMARY KEY, name TEXT UNIQUE, n);"
                         "CREATE INDEX aux.t_n ON t(n);"
                         "CREATE VIEW aux.v AS SELECT name FROM t WHERE n > 1;"
                         "CREATE TRIGGER aux.tr AFTER DELETE ON t BEGIN INSERT INTO t(name, n) VALUES ('gone ' || old.name, -1); END;"
                         "BEGIN;"
                         "INSERT INTO aux.t(name, n) VALUES ('a', 1), ('b', 2), ('c', 3);"
                         "CREATE TABLE main.m(x);"
                         "INSERT INTO m VALUES (1);"
                         "DELETE FROM aux.t WHERE name = 'a';"
                         "COMMIT;"),
               "");
  CHECK_EQ_STR(query(db, "SELECT name FROM aux.v ORDER BY name"), "b\nc\n");
  char list[600];
  snprintf(list, sizeof list, "0|main|\n2|aux|%s\n", path);
  CHECK_EQ_STR(query(db, "PRAGMA database_list"), list);
  CHECK_EQ_STR(query(db, "DETACH aux"), "");
  lode_close(db);
  if (!have_sqlite3()) return;
  CHECK_EQ_INT(sqlite3_cli(script, path,
                           "PRAGMA integrity_check;\n"
                           "SELECT id, name, n FROM t ORDER BY id;\n"
                           "SELECT name FROM v ORDER BY name;\n"
                           "SELECT type, name FROM sqlite_schema ORDER BY name;\n",
                           out, sizeof out),
               0);
  CHECK_EQ_STR(out, "ok\n2|b|2\n3|c|3\n4|gone a|-1\nb\nc\n"
                    "index|sqlite_autoindex_t_1\ntable|t\nindex|t_n\ntrigger|tr\nview|v\n");
  remove_db(path);
  unlink(script);
}

TEST(sqlite3_file_attached_by_lode) {
  char path[256], script[300], sql[600], out[4096];
  temp_path(path, sizeof path, "cli");
  snprintf(script, sizeof script, "%s.sql", path);
  remove_db(path);
  if (!have_sqlite3()) return;
  CHECK_EQ_INT(sqlite3_cli(script, path,
                           "CREATE TABLE s(a, b);\n"
                           "INSERT INTO s VALUES (1, 'one'), (2, 'two');\n"
                           "CREATE INDEX s_b ON s(b);\n"
                           "PRAGMA user_version = 9;\n",
                           out, sizeof out),
               0);
  lode *db = open_db(":memory:");
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_STR(query(db, attach_sql(sql, sizeof sql, path, "cli")), "");
  CHECK_EQ_STR(query(db, "SELECT a FROM cli.s WHERE b = 'two'"), "2\n");
  CHECK_EQ_STR(query(db, "PRAGMA cli.user_version"), "9\n");
  CHECK_EQ_STR(query(db, "PRAGMA user_version"), "0\n");
  CHECK_EQ_STR(query(db, "INSERT INTO s VALUES (3, 'three'); PRAGMA cli.integrity_check"), "ok\n");
  lode_close(db);
  CHECK_EQ_INT(sqlite3_cli(script, path, "SELECT count(*) FROM s;\nPRAGMA integrity_check;\n", out, sizeof out), 0);
  CHECK_EQ_STR(out, "3\nok\n");
  remove_db(path);
  unlink(script);
}

/* A statement that fails undoes its changes in every database; ROLLBACK
** undoes the transaction in every database. */
TEST(transaction_over_databases) {
  char path[256], sql[600];
  temp_path(path, sizeof path, "txn");
  remove_db(path);
  lode *db = open_db(":memory:");
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_STR(query(db, attach_sql(sql, sizeof sql, path, "f")), "");
  CHECK_EQ_STR(query(db, "CREATE TABLE f.t(x UNIQUE); CREATE TABLE m(x); CREATE TEMP TABLE tt(x);"
                         "CREATE TEMP TRIGGER tr AFTER INSERT ON f.t BEGIN INSERT INTO main.m VALUES (new.x);"
                         " INSERT INTO tt VALUES (new.x); END;"),
               "");
  CHECK_EQ_STR(query(db, "INSERT INTO f.t VALUES (1), (2)"), "");
  CHECK(strstr(query(db, "INSERT INTO f.t VALUES (3), (1)"), "UNIQUE constraint failed: t.x") != NULL);
  CHECK_EQ_STR(query(db, "SELECT (SELECT count(*) FROM f.t), (SELECT count(*) FROM m), (SELECT count(*) FROM tt)"),
               "2|2|2\n");
  CHECK_EQ_STR(query(db, "BEGIN; INSERT INTO f.t VALUES (5); SAVEPOINT s; INSERT INTO f.t VALUES (6);"
                         " ROLLBACK TO s; RELEASE s;"
                         " SELECT (SELECT count(*) FROM f.t), (SELECT count(*) FROM m), (SELECT count(*) FROM tt)"),
               "3|3|3\n");
  CHECK_EQ_STR(query(db, "DETACH f"), "ERROR 1: database f is locked");
  CHECK_EQ_STR(query(db, "ROLLBACK; SELECT (SELECT count(*) FROM f.t), (SELECT count(*) FROM m)"), "2|2\n");
  CHECK_EQ_INT(lode_get_autocommit(db), 1);
  CHECK_EQ_STR(query(db, "DETACH f; SELECT count(*) FROM tt"), "2\n");
  lode_close(db);
  remove_db(path);
}

/* Another connection changes the attached file's schema: statements of
** the first one see the new schema (re-prepared). */
TEST(schema_change_by_another_connection) {
  char path[256], sql[600];
  temp_path(path, sizeof path, "shared");
  remove_db(path);
  lode *one = open_db(":memory:"), *two = open_db(":memory:");
  CHECK(one && two);
  if (!one || !two) return;
  CHECK_EQ_STR(query(one, attach_sql(sql, sizeof sql, path, "s")), "");
  CHECK_EQ_STR(query(two, attach_sql(sql, sizeof sql, path, "s")), "");
  CHECK_EQ_STR(query(one, "CREATE TABLE s.t(a); INSERT INTO s.t VALUES (1)"), "");
  CHECK_EQ_STR(query(two, "SELECT * FROM s.t"), "1\n");
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_prepare(two, "SELECT * FROM s.t", -1, &st, NULL), LODE_OK);
  CHECK_EQ_STR(query(one, "ALTER TABLE s.t ADD COLUMN b DEFAULT 7"), "");
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_column_count(st), 2);
  CHECK_EQ_INT(lode_column_int64(st, 1), 7);
  lode_finalize(st);
  lode_close(one);
  lode_close(two);
  remove_db(path);
}

/* An IF [NOT] EXISTS that finds nothing to do checks the schema of the
** database it looked in (every database when unqualified) as it runs: an
** object another connection made or dropped meanwhile is seen, also by a
** statement prepared before (run again, as a statement cache does). */
TEST(if_exists_sees_another_connections_schema) {
  char path[256], main_path[256], sql[600];
  temp_path(path, sizeof path, "exists");
  temp_path(main_path, sizeof main_path, "exists_main");
  remove_db(path);
  remove_db(main_path);
  lode *one = open_db(main_path), *two = open_db(main_path);
  CHECK(one && two);
  if (!one || !two) return;
  CHECK_EQ_STR(query(one, attach_sql(sql, sizeof sql, path, "aux")), "");
  CHECK_EQ_STR(query(two, attach_sql(sql, sizeof sql, path, "aux")), "");
  static const char *const kinds[][3] = {
    {"CREATE TABLE aux.%s(x)", "DROP TABLE IF EXISTS %s%s", "table"},
    {"CREATE INDEX aux.%s ON t2(x)", "DROP INDEX IF EXISTS %s%s", "index"},
    {"CREATE VIEW aux.%s AS SELECT * FROM t2", "DROP VIEW IF EXISTS %s%s", "view"},
    {"CREATE TRIGGER aux.%s AFTER INSERT ON t2 BEGIN SELECT 1; END", "DROP TRIGGER IF EXISTS %s%s", "trigger"},
  };
  static const char *const names[][2] = {{"t1", "t1b"}, {"i2", "i2b"}, {"v1", "v1b"}, {"tr1", "tr1b"}};
  CHECK_EQ_STR(query(one, "CREATE TABLE aux.t2(x)"), "");
  for (int k = 0; k < 4; k++) {
    for (int q = 0; q < 2; q++) { /* qualified, then not */
      char create[200], drop[200], list[200];
      lode_stmt *st = NULL;
      snprintf(create, sizeof create, kinds[k][0], names[k][q]);
      snprintf(drop, sizeof drop, kinds[k][1], q ? "" : "aux.", names[k][q]);
      snprintf(list, sizeof list, "SELECT name FROM aux.sqlite_master WHERE type = '%s' AND name <> 't2'",
               kinds[k][2]);
      CHECK_EQ_INT(lode_prepare(one, drop, -1, &st, NULL), LODE_OK);
      CHECK_EQ_INT(lode_step(st), LODE_DONE);
      lode_reset(st);
      CHECK_EQ_STR(query(two, create), "");
      CHECK_EQ_INT(lode_step(st), LODE_DONE);
      lode_finalize(st);
      CHECK_EQ_STR(query(two, list), "");
    }
  }
  /* CREATE ... IF NOT EXISTS over an object the other connection dropped makes it again. */
  lode_stmt *st = NULL;
  CHECK_EQ_STR(query(one, "CREATE TABLE aux.t3(x)"), "");
  CHECK_EQ_INT(lode_prepare(one, "CREATE TABLE IF NOT EXISTS aux.t3(x)", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_DONE);
  lode_reset(st);
  CHECK_EQ_STR(query(two, "DROP TABLE aux.t3"), "");
  CHECK_EQ_INT(lode_step(st), LODE_DONE);
  lode_finalize(st);
  CHECK_EQ_STR(query(two, "SELECT name FROM aux.sqlite_master WHERE name = 't3'"), "t3\n");
  lode_close(one);
  lode_close(two);
  remove_db(path);
  remove_db(main_path);
}

/* The temp database belongs to its connection; its objects shadow main's. */
/* A statement keeps its cursors between runs; the database they read may be
** detached in between and another file attached under its name: the next
** run reads the new file (a fresh compile), not the freed one. */
TEST(statement_run_again_after_its_database_is_replaced) {
  char p1[256], p2[256], sql[600];
  temp_path(p1, sizeof p1, "swap1");
  temp_path(p2, sizeof p2, "swap2");
  remove_db(p1);
  remove_db(p2);
  lode *db = open_db(":memory:");
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_STR(query(db, attach_sql(sql, sizeof sql, p2, "aux")), "");
  CHECK_EQ_STR(query(db, "CREATE TABLE aux.t(id INTEGER PRIMARY KEY, v); INSERT INTO aux.t VALUES (1, 'second');"
                         "DETACH aux"), "");
  CHECK_EQ_STR(query(db, attach_sql(sql, sizeof sql, p1, "aux")), "");
  CHECK_EQ_STR(query(db, "CREATE TABLE aux.t(id INTEGER PRIMARY KEY, v); INSERT INTO aux.t VALUES (1, 'first')"), "");
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_prepare(db, "SELECT v FROM aux.t WHERE id = 1", -1, &st, NULL), LODE_OK);
  for (int round = 0; round < 2; round++) {
    CHECK_EQ_INT(lode_step(st), LODE_ROW);
    CHECK_EQ_STR((const char *)lode_column_text(st, 0), "first");
    CHECK_EQ_INT(lode_reset(st), LODE_OK);
  }
  CHECK_EQ_STR(query(db, "DETACH aux"), "");
  CHECK_EQ_STR(query(db, attach_sql(sql, sizeof sql, p2, "aux")), "");
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_STR((const char *)lode_column_text(st, 0), "second");
  CHECK_EQ_INT(lode_finalize(st), LODE_OK);
  lode_close(db);
  remove_db(p1);
  remove_db(p2);
}

TEST(temp_is_private) {
  char path[256];
  temp_path(path, sizeof path, "main");
  remove_db(path);
  lode *one = open_db(path), *two = open_db(path);
  CHECK(one && two);
  if (!one || !two) return;
  CHECK_EQ_STR(query(one, "CREATE TABLE t(a); INSERT INTO t VALUES ('main'); CREATE TEMP TABLE t(a);"
                          " INSERT INTO t VALUES ('temp'); SELECT a FROM t; SELECT a FROM main.t"),
               "temp\nmain\n");
  CHECK_EQ_STR(query(two, "SELECT a FROM t"), "main\n");
  CHECK_EQ_STR(query(two, "SELECT count(*) FROM sqlite_temp_master"), "0\n");
  /* Qualified targets of trigger steps: in TEMP triggers only. */
  CHECK_EQ_STR(query(one, "CREATE TRIGGER x AFTER INSERT ON main.t BEGIN INSERT INTO main.t VALUES (1); END"),
               "ERROR 1: qualified table names are not allowed on INSERT, UPDATE, and DELETE statements within triggers");
  CHECK_EQ_STR(query(one, "CREATE TABLE log(a); CREATE TEMP TRIGGER x AFTER INSERT ON main.t BEGIN"
                          " INSERT INTO main.log VALUES (new.a); END; INSERT INTO main.t VALUES (5); SELECT * FROM log"),
               "5\n");
  CHECK_EQ_STR(lode_db_filename(one, "temp"), "");
  CHECK(lode_db_filename(one, "nosuch") == NULL);
  CHECK_EQ_INT(lode_db_readonly(one, "temp"), 0);
  lode_close(one);
  lode_close(two);
  remove_db(path);
}

/* Runs each statement of script (';'-separated, one per item); returns
** whether one failed with LODE_NOMEM. */
static int run_all(lode *db, const char *const *script) {
  int nomem = 0;
  for (int i = 0; script[i]; i++) {
    lode_stmt *st = NULL;
    int rc = lode_prepare(db, script[i], -1, &st, NULL);
    while (rc == LODE_OK && st && (rc = lode_step(st)) == LODE_ROW) {}
    if (rc == LODE_NOMEM || lode_errcode(db) == LODE_NOMEM) nomem = 1;
    lode_finalize(st);
  }
  return nomem;
}

static const char *const oom_script[] = {
    "ATTACH ':memory:' AS aux",
    "CREATE TABLE aux.t(a INTEGER PRIMARY KEY, b UNIQUE)",
    "CREATE TEMP TABLE tt(x)",
    "CREATE TEMP TRIGGER tr AFTER INSERT ON aux.t BEGIN INSERT INTO tt VALUES (new.b); END",
    "BEGIN",
    "INSERT INTO aux.t(b) VALUES ('one'), ('two')",
    "SAVEPOINT s",
    "INSERT INTO aux.t(b) VALUES ('three')",
    "ROLLBACK TO s",
    "COMMIT",
    "SELECT aux.t.b, tt.x FROM aux.t JOIN tt ON tt.x = t.b",
    "CREATE TEMP VIEW v AS SELECT count(*) FROM aux.t",
    "SELECT * FROM v",
    "PRAGMA database_list",
    "PRAGMA aux.integrity_check",
    "DETACH aux",
    NULL};

/* Fails allocation n (and, with repeat, every one after it) for each n in
** turn until the script runs through; returns how many were tried. */
static int oom_pass(int repeat) {
  int n;
  for (n = 1; n < 20000; n++) {
    lode *db = open_db(":memory:");
    if (!db) break;
    util_fail_alloc_after(n, repeat);
    int nomem = run_all(db, oom_script);
    util_fail_alloc_after(0, 0);
    if (!lode_get_autocommit(db)) query(db, "ROLLBACK");
    const char *check = query(db, "ATTACH ':memory:' AS again; CREATE TABLE again.x(a); INSERT INTO again.x VALUES (1);"
                                  "SELECT count(*) FROM again.x");
    if (strcmp(check, "1\n") != 0) {
      TEST_FAIL_("after a failure at allocation %d (repeat %d): %s", n, repeat, check);
      lode_close(db);
      break;
    }
    CHECK_EQ_INT(lode_close(db), LODE_OK);
    if (!nomem) break; /* every allocation was tried */
  }
  return n;
}

/* Every allocation of a workload over temp and attached databases fails
** in turn: no crash, no leak (under the sanitizers), and the connection
** works afterwards. */
TEST(allocation_failures_with_attached_databases) {
  CHECK(oom_pass(0) > 100);
  CHECK(oom_pass(1) > 100);
}

int main(void) {
  RUN(attached_file_read_by_sqlite3);
  RUN(sqlite3_file_attached_by_lode);
  RUN(transaction_over_databases);
  RUN(schema_change_by_another_connection);
  RUN(if_exists_sees_another_connections_schema);
  RUN(statement_run_again_after_its_database_is_replaced);
  RUN(temp_is_private);
  RUN(allocation_failures_with_attached_databases);
  return test_summary();
}
