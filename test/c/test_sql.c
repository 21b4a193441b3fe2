/*
** test_sql.c — end-to-end tests of the public C API (lode.h): SQL text in,
** rows and error codes out, on in-memory and file databases.
*/
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

TEST(select_literals) {
  lode *db = open_memory();
  CHECK(db != NULL);
  CHECK_EQ_STR(query(db, "SELECT 1, 'a', NULL, 2.5, x'41'"), "1|a||2.5|A\n");
  CHECK_EQ_STR(query(db, "SELECT 1 + 2 * 3, 7 / 2, 7 % 3, 'a' || 'b', -(-5)"), "7|3|1|ab|5\n");
  CHECK_EQ_STR(query(db, "SELECT 1e20, 0.1, 1.0, -9223372036854775808"), "1.0e+20|0.1|1.0|-9223372036854775808\n");
  CHECK_EQ_STR(query(db, "SELECT NULL IS NULL, 1 IS NOT NULL, NULL = 1, 1 < 2 AND 2 < 3"), "1|1||1\n");
  CHECK_EQ_STR(query(db, "SELECT typeof(1), typeof(1.5), typeof('x'), typeof(x''), typeof(NULL)"),
               "integer|real|text|blob|null\n");
  CHECK_EQ_STR(query(db, "SELECT length('héllo'), abs(-3), lower('AbC'), upper('aBc'), coalesce(NULL, 2)"),
               "5|3|abc|ABC|2\n");
  lode_close(db);
}

TEST(table_round_trip) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL)"), "");
  CHECK_EQ_STR(query(db, "INSERT INTO t(name, score) VALUES ('a', 1), ('b', 2.5), ('c', NULL)"), "");
  CHECK_EQ_INT(lode_changes(db), 3);
  CHECK_EQ_INT(lode_last_insert_rowid(db), 3);
  CHECK_EQ_STR(query(db, "SELECT * FROM t"), "1|a|1.0\n2|b|2.5\n3|c|\n");
  CHECK_EQ_STR(query(db, "SELECT name FROM t WHERE score > 1 ORDER BY name DESC"), "b\n");
  CHECK_EQ_STR(query(db, "SELECT name FROM t ORDER BY score DESC, name LIMIT 2"), "b\na\n");
  CHECK_EQ_STR(query(db, "SELECT name FROM t LIMIT 1 OFFSET 1"), "b\n");
  CHECK_EQ_STR(query(db, "UPDATE t SET score = score * 2 WHERE id < 3"), "");
  CHECK_EQ_INT(lode_changes(db), 2);
  CHECK_EQ_STR(query(db, "SELECT count(*), count(score), sum(score), min(name), max(score), avg(score) FROM t"),
               "3|2|7.0|a|5.0|3.5\n");
  CHECK_EQ_STR(query(db, "DELETE FROM t WHERE name = 'b'"), "");
  CHECK_EQ_INT(lode_changes(db), 1);
  CHECK_EQ_STR(query(db, "SELECT id FROM t"), "1\n3\n");
  CHECK_EQ_STR(query(db, "DROP TABLE t"), "");
  CHECK_EQ_STR(query(db, "SELECT * FROM t"), "ERROR 1: no such table: t");
  lode_close(db);
}

/* A '_' that does not stand between two digits makes the number an unrecognized token; as in SQLite the message
** shows the text as the separators' removal has left it at the last bad '_', and names no place in the SQL. */
TEST(bad_digit_separator_is_an_unplaced_error) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "SELECT 1__0"), "ERROR 1: unrecognized token: \"1__0\"");
  CHECK_EQ_INT(lode_error_offset(db), -1);
  CHECK_EQ_STR(query(db, "SELECT 1__0_"), "ERROR 1: unrecognized token: \"10_0_\"");
  CHECK_EQ_STR(query(db, "SELECT 1_000, 0xA_B"), "1000|171\n");
  lode_close(db);
}

TEST(errors) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "SELEC 1"), "ERROR 1: near \"SELEC\": syntax error");
  CHECK_EQ_STR(query(db, "SELECT * FROM nope"), "ERROR 1: no such table: nope");
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b NOT NULL)"), "");
  CHECK_EQ_STR(query(db, "SELECT c FROM t"), "ERROR 1: no such column: c");
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (1, 'x')"), "");
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (2, 'y'), (1, 'z')"), "ERROR 1555: UNIQUE constraint failed: t.a");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t"), "1\n"); /* the failed statement left nothing behind */
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (3, NULL)"), "ERROR 1299: NOT NULL constraint failed: t.b");
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (4)"), "ERROR 1: table t has 2 columns but 1 values were supplied");
  lode_close(db);
}

/* A view's rows have no rowid: its INSTEAD OF triggers cannot name old.rowid
** or new.rowid, nor RETURNING the rowid (SQLite 3.53's messages); a view
** column of that name is a column. */
TEST(view_rows_have_no_rowid) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE b(x, y); CREATE VIEW v AS SELECT x, y FROM b; CREATE TABLE log(w, x)"), "");
  CHECK_EQ_STR(query(db, "CREATE TRIGGER ti INSTEAD OF INSERT ON v BEGIN INSERT INTO log VALUES (new.rowid, new.x); "
                         "END"),
               "");
  CHECK_EQ_STR(query(db, "INSERT INTO v VALUES (1, 2)"), "ERROR 1: no such column: new.rowid");
  CHECK_EQ_STR(query(db, "ALTER TABLE log RENAME TO log2"), "ERROR 1: error in trigger ti: no such column: new.rowid");
  CHECK_EQ_STR(query(db, "DROP TRIGGER ti; CREATE TRIGGER ti INSTEAD OF INSERT ON v BEGIN INSERT INTO log VALUES "
                         "(0, new.x); END"),
               "");
  CHECK_EQ_STR(query(db, "INSERT INTO v VALUES (1, 2) RETURNING rowid"), "ERROR 1: no such column: rowid");
  CHECK_EQ_STR(query(db, "INSERT INTO v VALUES (1, 2) RETURNING x"), "1\n");
  CHECK_EQ_STR(query(db, "CREATE TRIGGER tu INSTEAD OF UPDATE ON v BEGIN SELECT old._rowid_; END"), "");
  CHECK_EQ_STR(query(db, "UPDATE v SET x = 3"), "ERROR 1: no such column: old._rowid_");
  CHECK_EQ_STR(query(db, "CREATE VIEW w(rowid, q) AS SELECT 5, 6; CREATE TRIGGER td INSTEAD OF DELETE ON w BEGIN "
                         "INSERT INTO log VALUES (old.rowid, old.q); END"),
               "");
  CHECK_EQ_STR(query(db, "DELETE FROM w RETURNING rowid, q"), "5|6\n");
  CHECK_EQ_STR(query(db, "SELECT * FROM log ORDER BY w"), "0|1\n5|6\n");
  lode_close(db);
}

TEST(transactions) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a)"), "");
  CHECK_EQ_STR(query(db, "BEGIN"), "");
  CHECK_EQ_INT(lode_get_autocommit(db), 0);
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (1), (2)"), "");
  CHECK_EQ_STR(query(db, "ROLLBACK"), "");
  CHECK_EQ_INT(lode_get_autocommit(db), 1);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t"), "0\n");
  CHECK_EQ_STR(query(db, "BEGIN; INSERT INTO t VALUES (1); COMMIT"), "");
  CHECK_EQ_STR(query(db, "SELECT a FROM t"), "1\n");
  CHECK_EQ_STR(query(db, "COMMIT"), "ERROR 1: cannot commit - no transaction is active");
  lode_close(db);
}

TEST(parameters) {
  lode *db = open_memory();
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_prepare(db, "SELECT ?, ?5, :a, @b, $c, :a", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_bind_parameter_count(st), 8);
  CHECK_EQ_INT(lode_bind_parameter_index(st, ":a"), 6);
  CHECK_EQ_STR(lode_bind_parameter_name(st, 7), "@b");
  CHECK_EQ_INT(lode_bind_int64(st, 1, 42), LODE_OK);
  CHECK_EQ_INT(lode_bind_text(st, 6, "six", -1, LODE_TRANSIENT), LODE_OK);
  CHECK_EQ_INT(lode_bind_double(st, 8, 0.5), LODE_OK);
  CHECK_EQ_INT(lode_bind_int(st, 9, 1), LODE_RANGE);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_column_int64(st, 0), 42);
  CHECK_EQ_INT(lode_column_type(st, 1), LODE_NULL);
  CHECK_EQ_STR((const char *)lode_column_text(st, 2), "six");
  CHECK_EQ_STR((const char *)lode_column_text(st, 5), "six");
  CHECK(lode_column_double(st, 4) == 0.5);
  CHECK_EQ_INT(lode_step(st), LODE_DONE);
  lode_finalize(st);
  lode_close(db);
}

TEST(file_persistence_many_rows) {
  char path[] = "/tmp/lode_test_sql_XXXXXX";
  int fd = mkstemp(path);
  lode *db = NULL;
  char wal[64];
  close(fd);
  unlink(path);
  snprintf(wal, sizeof wal, "%s-wal", path);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"), "");
  CHECK_EQ_STR(query(db, "BEGIN"), "");
  {
    lode_stmt *st = NULL;
    int i;
    CHECK_EQ_INT(lode_prepare(db, "INSERT INTO t(v) VALUES (?)", -1, &st, NULL), LODE_OK);
    for (i = 0; i < 100000; i++) {
      char buf[32];
      snprintf(buf, sizeof buf, "row %d", i);
      lode_bind_text(st, 1, buf, -1, LODE_TRANSIENT);
      if (lode_step(st) != LODE_DONE) break;
      lode_reset(st);
    }
    CHECK_EQ_INT(i, 100000);
    lode_finalize(st);
  }
  CHECK_EQ_STR(query(db, "COMMIT"), "");
  CHECK_EQ_INT(lode_close(db), LODE_OK);
  CHECK(access(wal, F_OK) != 0); /* checkpointed and removed on close */
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT count(*), max(id), min(v) FROM t"), "100000|100000|row 0\n");
  CHECK_EQ_STR(query(db, "SELECT v FROM t WHERE id = 77777"), "row 77776\n");
  lode_close(db);
  unlink(path);
}

TEST(explain_lists_program) {
  lode *db = open_memory();
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_prepare(db, "EXPLAIN SELECT 1", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_column_count(st), 8);
  CHECK_EQ_STR(lode_column_name(st, 1), "opcode");
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_STR((const char *)lode_column_text(st, 1), "Init");
  lode_finalize(st);
  lode_close(db);
}

/* The EXPLAIN listing of sql as "addr opcode comment" lines (comment "-"
** when NULL). */
static const char *explain_lines(lode *db, const char *sql) {
  static char out[8192];
  lode_stmt *st = NULL;
  size_t n = 0;
  out[0] = 0;
  if (lode_prepare(db, sql, -1, &st, NULL) != LODE_OK || !st) return lode_errmsg(db);
  while (lode_step(st) == LODE_ROW && n < sizeof out) {
    const char *comment = (const char *)lode_column_text(st, 7);
    n += (size_t)snprintf(out + n, sizeof out - n, "%d %s %s\n", lode_column_int(st, 0),
                          (const char *)lode_column_text(st, 1), comment ? comment : "-");
  }
  lode_finalize(st);
  return out;
}

TEST(explain_comments_match_sqlite_for_hello_world) {
  lode *db = open_memory();
  CHECK_EQ_STR(explain_lines(db, "EXPLAIN SELECT 'hello, world'"),
               "0 Init Start at 4\n"
               "1 String8 r[1]='hello, world'\n"
               "2 ResultRow output=r[1]\n"
               "3 Halt -\n"
               "4 Transaction -\n"
               "5 Goto -\n");
  lode_close(db);
}

TEST(explain_comments_of_insert_name_the_table) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a, b)"), "");
  CHECK_EQ_STR(explain_lines(db, "EXPLAIN INSERT INTO t VALUES (1, 2)"),
               "0 Init Start at 8\n"
               "1 OpenWrite root=2 iDb=0; t\n"
               "2 Integer r[1]=1\n"
               "3 Integer r[2]=2\n"
               "4 NewRowid r[3]=rowid\n"
               "5 MakeRecord r[4]=mkrec(r[1..2])\n"
               "6 Insert intkey=r[3] data=r[4]\n"
               "7 Halt -\n"
               "8 Transaction -\n"
               "9 Goto -\n");
  lode_close(db);
}

static int counted_calls;

static void counted(lode_context *ctx, int argc, lode_value **argv) {
  (void)argc;
  counted_calls++;
  lode_result_int64(ctx, lode_value_int64(argv[0]));
}

/* x BETWEEN lo AND hi evaluates x once, a row value too (as SQLite). */
TEST(between_evaluates_its_operand_once) {
  lode *db = open_memory();
  CHECK_EQ_INT(lode_create_function(db, "counted", 1, 0, NULL, counted, NULL, NULL, NULL, NULL, NULL), LODE_OK);
  counted_calls = 0;
  CHECK_EQ_STR(query(db, "SELECT counted(10) BETWEEN 5 AND 15"), "1\n");
  CHECK_EQ_INT(counted_calls, 1);
  counted_calls = 0;
  CHECK_EQ_STR(query(db, "SELECT (counted(9), 8) BETWEEN (9, 7) AND (9, 10)"), "1\n");
  CHECK_EQ_INT(counted_calls, 1);
  counted_calls = 0;
  CHECK_EQ_STR(query(db, "SELECT (counted(9), 8) NOT BETWEEN (9, 9) AND (9, 10)"), "1\n");
  CHECK_EQ_INT(counted_calls, 1);
  lode_close(db);
}

static void match_all(lode_context *ctx, int argc, lode_value **argv) {
  (void)argc;
  (void)argv;
  lode_result_int64(ctx, 1);
}

/* An application's like() or glob() decides alone: no index range from the
** pattern's prefix leaves rows out. */
TEST(replaced_like_and_glob_read_every_row) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE t(x TEXT COLLATE NOCASE); CREATE INDEX tx ON t(x);"
                         "CREATE TABLE g(x TEXT); CREATE INDEX gx ON g(x);"
                         "INSERT INTO t VALUES ('abc'), ('zzz'), ('b'); INSERT INTO g SELECT x FROM t"),
               "");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t WHERE x LIKE 'a%'"), "1\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM g WHERE x GLOB 'a*'"), "1\n");
  CHECK_EQ_INT(lode_create_function(db, "like", 2, 0, NULL, match_all, NULL, NULL, NULL, NULL, NULL), LODE_OK);
  CHECK_EQ_INT(lode_create_function(db, "glob", 2, 0, NULL, match_all, NULL, NULL, NULL, NULL, NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t WHERE x LIKE 'a%'"), "3\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM g WHERE x GLOB 'a*'"), "3\n");
  lode_close(db);
}

/* EXPLAIN lists the trigger programs a statement runs after its own ops,
** each from address 0, and only those the statement fires. */
TEST(explain_lists_the_trigger_programs_a_statement_runs) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE t(x, y)"), "");
  CHECK_EQ_STR(query(db, "CREATE TRIGGER rx AFTER UPDATE OF x ON t BEGIN SELECT 'fired-by-x'; END"), "");
  CHECK_EQ_STR(query(db, "CREATE TRIGGER ry AFTER UPDATE OF y ON t BEGIN SELECT 'fired-by-y'; END"), "");
  const char *x = explain_lines(db, "EXPLAIN UPDATE t SET x = 5");
  CHECK(strstr(x, "'fired-by-x'") != NULL);
  CHECK(strstr(x, "'fired-by-y'") == NULL);
  const char *halt = strstr(x, " Halt ");
  CHECK(halt != NULL && strstr(halt, "\n0 ") != NULL); /* a second program starts at 0 */
  const char *y = explain_lines(db, "EXPLAIN UPDATE t SET y = 5");
  CHECK(strstr(y, "'fired-by-y'") != NULL);
  CHECK(strstr(y, "'fired-by-x'") == NULL);
  lode_close(db);
}

TEST(explain_comments_of_a_filtered_scan) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a, b)"), "");
  CHECK_EQ_STR(explain_lines(db, "EXPLAIN SELECT a + b, abs(a) FROM t WHERE a > 1 LIMIT 3"),
               "0 Init Start at 17\n"
               "1 OpenRead root=2 iDb=0; t\n"
               "2 Integer r[1]=3\n"
               "3 MustBeInt -\n"
               "4 IfNot if !r[1] goto 16\n"
               "5 Rewind -\n"
               "6 Column r[2]=cursor 0 column 0\n"
               "7 Le if r[2]<=r[3] goto 15\n"
               "8 Column r[6]=cursor 0 column 0\n"
               "9 Column r[7]=cursor 0 column 1\n"
               "10 Add r[4]=r[7]+r[6]\n"
               "11 Column r[8]=cursor 0 column 0\n"
               "12 Function r[5]=func(r[8])\n"
               "13 ResultRow output=r[4..5]\n"
               "14 DecrJumpZero if (--r[1])==0 goto 16\n"
               "15 Next -\n"
               "16 Halt -\n"
               "17 Transaction -\n"
               "18 Integer r[3]=1\n"
               "19 Goto -\n");
  lode_close(db);
}

TEST(explain_programs_have_no_plan_steps) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a, b)"), "");
  CHECK(strstr(explain_lines(db, "EXPLAIN SELECT * FROM t ORDER BY a"), "Explain") == NULL);
  lode_close(db);
}

/* The EXPLAIN QUERY PLAN rows of sql as a tree: one line per row, indented
** two spaces per level below the top, checking that each parent is an
** earlier row's id. */
static const char *plan_tree(lode *db, const char *sql) {
  static char out[4096];
  int64_t ids[64];
  int depth[64], nrow = 0;
  size_t n = 0;
  lode_stmt *st = NULL;
  out[0] = 0;
  if (lode_prepare(db, sql, -1, &st, NULL) != LODE_OK || !st) return lode_errmsg(db);
  while (lode_step(st) == LODE_ROW && nrow < 64) {
    int64_t parent = lode_column_int64(st, 1);
    int d = 0, found = parent == 0;
    for (int i = 0; i < nrow && !found; i++) {
      if (ids[i] == parent) {
        d = depth[i] + 1;
        found = 1;
      }
    }
    if (!found) n += (size_t)snprintf(out + n, sizeof out - n, "(orphan) ");
    ids[nrow] = lode_column_int64(st, 0);
    depth[nrow++] = d;
    n += (size_t)snprintf(out + n, sizeof out - n, "%*s%s\n", 2 * d, "", (const char *)lode_column_text(st, 3));
  }
  lode_finalize(st);
  return out;
}

TEST(explain_query_plan_columns_and_kind) {
  lode *db = open_memory();
  lode_stmt *st = NULL;
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a, b)"), "");
  CHECK_EQ_INT(lode_prepare(db, "EXPLAIN QUERY PLAN SELECT * FROM t", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_stmt_isexplain(st), 2);
  CHECK_EQ_INT(lode_column_count(st), 4);
  CHECK_EQ_STR(lode_column_name(st, 0), "id");
  CHECK_EQ_STR(lode_column_name(st, 1), "parent");
  CHECK_EQ_STR(lode_column_name(st, 2), "notused");
  CHECK_EQ_STR(lode_column_name(st, 3), "detail");
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK(lode_column_int(st, 0) > 0);
  CHECK_EQ_INT(lode_column_int(st, 1), 0);
  CHECK_EQ_INT(lode_column_int(st, 2), 0);
  CHECK_EQ_STR((const char *)lode_column_text(st, 3), "SCAN t");
  CHECK_EQ_INT(lode_step(st), LODE_DONE);
  lode_finalize(st);
  CHECK_EQ_INT(lode_prepare(db, "EXPLAIN SELECT * FROM t", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_stmt_isexplain(st), 1);
  lode_finalize(st);
  CHECK_EQ_INT(lode_prepare(db, "SELECT * FROM t", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_stmt_isexplain(st), 0);
  lode_finalize(st);
  lode_close(db);
}

TEST(explain_query_plan_describes_loops_sorts_and_subqueries) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a, b); CREATE TABLE u(c, d)"), "");
  CHECK_EQ_STR(plan_tree(db, "EXPLAIN QUERY PLAN SELECT * FROM t ORDER BY a"),
               "SCAN t\nUSE TEMP B-TREE FOR ORDER BY\n");
  CHECK_EQ_STR(plan_tree(db, "EXPLAIN QUERY PLAN SELECT * FROM t AS x WHERE rowid = 3"),
               "SEARCH x USING INTEGER PRIMARY KEY (rowid=?)\n");
  CHECK_EQ_STR(plan_tree(db, "EXPLAIN QUERY PLAN SELECT 1"), "SCAN CONSTANT ROW\n");
  CHECK_EQ_STR(plan_tree(db, "EXPLAIN QUERY PLAN SELECT * FROM t LEFT JOIN u ON a = c"),
               "SCAN t\nBLOOM FILTER ON u (c=?)\nSEARCH u USING AUTOMATIC COVERING INDEX (c=?) LEFT-JOIN\n");
  CHECK_EQ_STR(plan_tree(db, "EXPLAIN QUERY PLAN SELECT a, count(*) FROM t GROUP BY a ORDER BY 2"),
               "SCAN t\nUSE TEMP B-TREE FOR GROUP BY\nUSE TEMP B-TREE FOR ORDER BY\n");
  CHECK_EQ_STR(plan_tree(db, "EXPLAIN QUERY PLAN SELECT DISTINCT a FROM t, u"),
               "SCAN t\nSCAN u\nUSE TEMP B-TREE FOR DISTINCT\n");
  CHECK_EQ_STR(plan_tree(db, "EXPLAIN QUERY PLAN SELECT * FROM (SELECT a FROM t ORDER BY a) AS s, u"),
               "MATERIALIZE s\n  SCAN t\n  USE TEMP B-TREE FOR ORDER BY\nSCAN s\nSCAN u\n");
  /* Subqueries are shown in the order they are coded (WHERE first), numbered
  ** as SQLite numbers selects (in the order they were written); one that
  ** reads nothing of the outer query runs once (no CORRELATED); a lone
  ** max()'s scan is worded a search. */
  CHECK_EQ_STR(plan_tree(db, "EXPLAIN QUERY PLAN SELECT (SELECT max(c) FROM u WHERE c = a) FROM t "
                             "WHERE a IN (SELECT d FROM u)"),
               "SCAN t\nLIST SUBQUERY 2\n  SCAN u\n  CREATE BLOOM FILTER\nCORRELATED SCALAR SUBQUERY 1\n  SEARCH u\n");
  CHECK_EQ_STR(plan_tree(db, "EXPLAIN QUERY PLAN INSERT INTO t VALUES (1, 2)"), "");
  lode_close(db);
}

TEST(explain_query_plan_does_not_run_the_statement) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1), (2)"), "");
  CHECK_EQ_STR(plan_tree(db, "EXPLAIN QUERY PLAN DELETE FROM t WHERE a IN (SELECT a FROM t)"),
               "SCAN t\nLIST SUBQUERY 1\n  SCAN t\n  CREATE BLOOM FILTER\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t"), "2\n");
  lode_close(db);
}

TEST(failed_statement_inside_transaction_undoes_only_itself) {
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY)"), "");
  CHECK_EQ_STR(query(db, "BEGIN; INSERT INTO t VALUES (1)"), "");
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (2), (3), (1)"), "ERROR 1555: UNIQUE constraint failed: t.id");
  CHECK_EQ_INT(lode_get_autocommit(db), 0);
  CHECK_EQ_STR(query(db, "COMMIT; SELECT id FROM t"), "1\n");
  lode_close(db);
}

TEST(statement_reprepares_after_schema_change) {
  lode *db = open_memory();
  lode_stmt *st = NULL;
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1)"), "");
  CHECK_EQ_INT(lode_prepare(db, "SELECT * FROM t", -1, &st, NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "DROP TABLE t; CREATE TABLE t(a, b); INSERT INTO t VALUES (2, 3)"), "");
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_INT(lode_column_count(st), 2);
  CHECK_EQ_INT(lode_column_int(st, 1), 3);
  lode_finalize(st);
  CHECK_EQ_INT(lode_prepare(db, "SELECT * FROM t", -1, &st, NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "DROP TABLE t"), "");
  CHECK_EQ_INT(lode_step(st), LODE_ERROR);
  CHECK_EQ_STR(lode_errmsg(db), "no such table: t");
  lode_finalize(st);
  lode_close(db);
}

TEST(close_refuses_while_statements_live) {
  lode *db = open_memory();
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_prepare(db, "SELECT 1", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_close(db), LODE_BUSY);
  CHECK_EQ_INT(lode_finalize(st), LODE_OK);
  CHECK_EQ_INT(lode_close(db), LODE_OK);
}

TEST(prepare_reports_tail_and_empty_input) {
  lode *db = open_memory();
  lode_stmt *st = (lode_stmt *)1;
  const char *sql = "SELECT 1; SELECT 2", *tail = NULL;
  CHECK_EQ_INT(lode_prepare(db, "  -- nothing\n ;", -1, &st, &tail), LODE_OK);
  CHECK(st == NULL);
  CHECK_EQ_INT(lode_prepare(db, sql, -1, &st, &tail), LODE_OK);
  CHECK(tail == sql + 9);
  lode_finalize(st);
  lode_close(db);
}

/* Lines [from, from+n) of text (each ends in '\n'), copied into out. */
static const char *lines_of(const char *text, int from, int n, char *out, size_t cap) {
  const char *p = text, *end;
  for (int i = 0; i < from && (p = strchr(p, '\n')); i++) p++;
  if (!p) p = text + strlen(text);
  end = p;
  for (int i = 0; i < n && (end = strchr(end, '\n')); i++) end++;
  if (!end) end = p + strlen(p);
  snprintf(out, cap, "%.*s", (int)(end - p), p);
  return out;
}

/* ORDER BY … LIMIT keeps only LIMIT+OFFSET rows while scanning; the result
** must be exactly the prefix a full (stable) sort gives, even when the
** sorter prunes many times and compacts its memory (records ~500 bytes). */
TEST(order_by_limit_bounded_sorter_matches_full_sort) {
  static char full[65536], want[65536];
  static const char *const orders[] = {"a, rowid % 3", "a DESC", "b COLLATE NOCASE DESC, a", "c"};
  lode *db = open_memory();
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a, b, c)"), "");
  lode_stmt *ins = NULL;
  CHECK_EQ_INT(lode_prepare(db, "INSERT INTO t VALUES (?, ?, ?)", -1, &ins, NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "BEGIN"), "");
  for (int x = 1; x <= 3000; x++) {
    char b[600];
    snprintf(b, sizeof b, "%500d", x % 11);
    lode_bind_int(ins, 1, x % 7);
    lode_bind_text(ins, 2, b, -1, LODE_TRANSIENT);
    if (x % 5) lode_bind_int(ins, 3, x % 13);
    else lode_bind_null(ins, 3);
    CHECK_EQ_INT(lode_step(ins), LODE_DONE);
    lode_reset(ins);
  }
  lode_finalize(ins);
  CHECK_EQ_STR(query(db, "COMMIT"), "");
  CHECK_EQ_STR(query(db, "SELECT rowid FROM t ORDER BY a LIMIT 3"), "7\n14\n21\n"); /* ties in insertion order */
  CHECK_EQ_STR(query(db, "SELECT rowid FROM t ORDER BY a DESC LIMIT 2 OFFSET 1"), "13\n20\n");
  CHECK_EQ_STR(query(db, "SELECT rowid FROM t ORDER BY a LIMIT 0"), "");
  for (int i = 0; i < 4; i++) {
    char sql[128], lim[192];
    snprintf(sql, sizeof sql, "SELECT rowid, a, c FROM t ORDER BY %s", orders[i]);
    snprintf(full, sizeof full, "%s", query(db, sql));
    snprintf(lim, sizeof lim, "%s LIMIT 40 OFFSET 25", sql);
    CHECK_EQ_STR(query(db, lim), lines_of(full, 25, 40, want, sizeof want));
    snprintf(lim, sizeof lim, "%s LIMIT 1", sql);
    CHECK_EQ_STR(query(db, lim), lines_of(full, 0, 1, want, sizeof want));
    snprintf(lim, sizeof lim, "%s LIMIT 100 OFFSET -5", sql);
    CHECK_EQ_STR(query(db, lim), lines_of(full, 0, 100, want, sizeof want));
  }
  lode_close(db);
}

/* Increasing rowids take btree_seek_rowid's append shortcut; smaller ones,
** lookups and replaces in between must still find their places. */
TEST(appends_mixed_with_inserts_in_the_middle_and_lookups) {
  lode *db = open_memory();
  lode_stmt *ins = NULL;
  CHECK_EQ_STR(query(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)"), "");
  CHECK_EQ_INT(lode_prepare(db, "INSERT OR REPLACE INTO t VALUES (?, ?)", -1, &ins, NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "BEGIN"), "");
  for (int i = 1; i <= 6000; i++) {
    int id = i <= 4000 ? 2 * i : 2 * (i - 4000) - 1; /* evens ascending, then odds */
    lode_bind_int(ins, 1, i % 1000 == 0 ? 2 * i - 10 : id); /* a replace now and then */
    lode_bind_int(ins, 2, i);
    CHECK_EQ_INT(lode_step(ins), LODE_DONE);
    lode_reset(ins);
  }
  lode_finalize(ins);
  CHECK_EQ_STR(query(db, "COMMIT"), "");
  CHECK_EQ_STR(query(db, "SELECT count(*), sum(id), min(id), max(id) FROM t"), "5996|19999982|1|11990\n");
  CHECK_EQ_STR(query(db, "SELECT sum(v), count(*) FROM t WHERE id IN (1990, 7999, 8000, 4001, 9990, 3)"), "10002|3\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t WHERE id > 7990"), "6\n");
  lode_close(db);
}

TEST(readonly_connection_refuses_writes) {
  char path[] = "/tmp/lode_test_ro_XXXXXX";
  int fd = mkstemp(path);
  lode *db = NULL;
  close(fd);
  unlink(path);
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1)"), "");
  lode_close(db);
  CHECK_EQ_INT(lode_open_v2(path, &db, LODE_OPEN_READONLY, NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT a FROM t"), "1\n");
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (2)"), "ERROR 8: attempt to write a readonly database");
  lode_close(db);
  remove_db(path);
}

int main(void) {
  RUN(select_literals);
  RUN(table_round_trip);
  RUN(errors);
  RUN(view_rows_have_no_rowid);
  RUN(bad_digit_separator_is_an_unplaced_error);
  RUN(transactions);
  RUN(parameters);
  RUN(file_persistence_many_rows);
  RUN(explain_lists_program);
  RUN(explain_comments_match_sqlite_for_hello_world);
  RUN(explain_comments_of_insert_name_the_table);
  RUN(explain_comments_of_a_filtered_scan);
  RUN(explain_lists_the_trigger_programs_a_statement_runs);
  RUN(between_evaluates_its_operand_once);
  RUN(replaced_like_and_glob_read_every_row);
  RUN(explain_programs_have_no_plan_steps);
  RUN(explain_query_plan_columns_and_kind);
  RUN(explain_query_plan_describes_loops_sorts_and_subqueries);
  RUN(explain_query_plan_does_not_run_the_statement);
  RUN(failed_statement_inside_transaction_undoes_only_itself);
  RUN(statement_reprepares_after_schema_change);
  RUN(close_refuses_while_statements_live);
  RUN(prepare_reports_tail_and_empty_input);
  RUN(readonly_connection_refuses_writes);
  RUN(order_by_limit_bounded_sorter_matches_full_sort);
  RUN(appends_mixed_with_inserts_in_the_middle_and_lookups);
  return test_summary();
}
