/*
** test_plan.c — the planner's choices, seen in the programs it produces:
** the join order and access path of each loop (the Explain op of each
** level) and the loop at which each WHERE term is tested.
*/
#include <stdio.h>
#include <string.h>

#include "lode.h"
#include "sqlite3.h"
#include "testdb.h"
#include "testlib.h"

/* The EXPLAIN rows of sql as "opcode" lines. */
static const char *program(lode *db, const char *sql) {
  static char out[32768];
  char q[2048];
  snprintf(q, sizeof q, "EXPLAIN %s", sql);
  lode_stmt *st = NULL;
  size_t n = 0;
  out[0] = 0;
  if (lode_prepare(db, q, -1, &st, NULL) != LODE_OK) {
    snprintf(out, sizeof out, "ERROR %s", lode_errmsg(db));
    return out;
  }
  while (lode_step(st) == LODE_ROW && n < sizeof out - 200)
    n += (size_t)snprintf(out + n, sizeof out - n, "%s\n", (const char *)lode_column_text(st, 1));
  lode_finalize(st);
  return out;
}

/* The EXPLAIN QUERY PLAN details, joined by "; "; with bind, ?1 bound to the
** integer v before the first step (which compiles the statement again with
** the value, as SQLite does). */
static const char *plan_with(lode *db, const char *sql, int bind, int64_t v) {
  static char out[4096];
  char q[2048];
  snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
  lode_stmt *st = NULL;
  size_t n = 0;
  out[0] = 0;
  if (lode_prepare(db, q, -1, &st, NULL) != LODE_OK) {
    snprintf(out, sizeof out, "ERROR %s", lode_errmsg(db));
    return out;
  }
  if (bind) lode_bind_int64(st, 1, v);
  while (lode_step(st) == LODE_ROW && n < sizeof out - 200)
    n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", n ? "; " : "", (const char *)lode_column_text(st, 3));
  lode_finalize(st);
  return out;
}

static const char *plan_of(lode *db, const char *sql) { return plan_with(db, sql, 0, 0); }

static const char *plan_bound(lode *db, const char *sql, int64_t v) { return plan_with(db, sql, 1, v); }

static lode *setup(void) {
  lode *db = NULL;
  if (lode_open(":memory:", &db) != LODE_OK) return NULL;
  lode_exec(db,
            "CREATE TABLE t(a INTEGER PRIMARY KEY, b, c); CREATE TABLE u(x, y); CREATE TABLE w(k INTEGER PRIMARY KEY, v);"
            "INSERT INTO t VALUES(1, 10, 'one'), (2, 20, 'two'), (3, 30, 'three');"
            "INSERT INTO u VALUES(1, 'u1'), (3, 'u3'), (5, 'u5');"
            "INSERT INTO w VALUES(10, 'w10'), (30, 'w30');",
            NULL);
  return db;
}

TEST(rowid_equality_is_a_search) {
  lode *db = setup();
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM t WHERE a = 2"), "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)");
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM t WHERE 2 = rowid AND b > 0"),
               "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)");
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM t WHERE b = 2"), "SCAN t");
  CHECK_EQ_STR(plan_of(db, "UPDATE t SET b = 0 WHERE a = 2"), "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)");
  CHECK_EQ_STR(plan_of(db, "DELETE FROM t WHERE rowid = 2 OR b = 1"), "SCAN t");
  CHECK_EQ_STR(query(db, "SELECT c FROM t WHERE a = '2'"), "two\n");
  lode_close(db);
}

/* The table whose rowid the other's column gives is looked up, whatever
** the FROM order, as SQLite orders it. */
TEST(join_order_puts_the_lookup_inside) {
  lode *db = setup();
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM t AS z, u WHERE z.a = u.x"),
               "SCAN u; SEARCH z USING INTEGER PRIMARY KEY (rowid=?)");
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM u, t WHERE t.a = u.x"), "SCAN u; SEARCH t USING INTEGER PRIMARY KEY (rowid=?)");
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM w, t, u WHERE t.a = u.x AND w.k = t.b"),
               "SCAN u; SEARCH t USING INTEGER PRIMARY KEY (rowid=?); SEARCH w USING INTEGER PRIMARY KEY (rowid=?)");
  CHECK_EQ_STR(query(db, "SELECT u.y, t.c, w.v FROM w, t, u WHERE t.a = u.x AND w.k = t.b ORDER BY 1"),
               "u1|one|w10\nu3|three|w30\n");
  /* Without a better order, FROM order stays. */
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM u, w"), "SCAN u; SCAN w");
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM w, u"), "SCAN w; SCAN u");
  /* A LEFT JOIN keeps FROM order; its right table is looked up by its ON clause. */
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM u LEFT JOIN t ON t.a = u.x"),
               "SCAN u; SEARCH t USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN");
  /* t.a = 1 rejects the row of NULLs: the LEFT JOIN is an inner one (as in
  ** SQLite), and t is looked up by rowid first. */
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM u LEFT JOIN t ON t.b = u.x WHERE t.a = 1"),
               "SEARCH t USING INTEGER PRIMARY KEY (rowid=?); SCAN u");
  CHECK_EQ_STR(query(db, "SELECT u.y, t.c FROM u LEFT JOIN t ON t.b = u.x * 10 WHERE t.a = 1"), "u1|one\n");
  /* t.a IS NULL does not: the join stays outer, its rows of NULLs kept. */
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM u LEFT JOIN t ON t.a = u.x WHERE t.a IS NULL"),
               "SCAN u; SEARCH t USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN");
  CHECK_EQ_STR(query(db, "SELECT u.y, t.c FROM u LEFT JOIN t ON t.a = u.x WHERE t.a IS NULL"), "u5|\n");
  CHECK_EQ_STR(query(db, "SELECT u.y, t.c FROM u LEFT JOIN t ON t.a = u.x ORDER BY 1"), "u1|one\nu3|three\nu5|\n");
  lode_close(db);
}

/* A term is tested in the outermost loop that has all it reads: between
** the two loops' Rewind ops, not after the inner one. */
TEST(terms_are_tested_at_the_outermost_possible_loop) {
  lode *db = setup();
  /* Constant propagation makes "w.v = u.y" read "w.v = 'u3'", a term of w
  ** alone: the automatic index is a partial one, for v = 'u3' only (as
  ** SQLite's). */
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM u, w WHERE u.y = 'u3' AND w.v = u.y"),
               "SCAN u; BLOOM FILTER ON w (v=?); SEARCH w USING AUTOMATIC PARTIAL COVERING INDEX (v=?)");
  /* Two scans (NOT INDEXED: no automatic index either). */
  const char *prog = program(db, "SELECT * FROM u NOT INDEXED, w NOT INDEXED WHERE u.y = 'u3' AND w.v = u.y");
  const char *outer = strstr(prog, "Rewind\n");
  const char *inner = outer ? strstr(outer + 1, "Rewind\n") : NULL;
  CHECK(outer && inner);
  if (outer && inner) {
    const char *cmp = strstr(outer, "Ne\n");
    CHECK(cmp && cmp < inner); /* u.y = 'u3' before the inner loop opens */
  }
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM u, w WHERE u.y = 'u3' AND w.k > u.x"), "2\n");
  /* The same once the join is reordered: u's term before t's lookup, though t is FROM item 0. */
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM t, u WHERE t.a = u.x AND u.y = 'u3'"),
               "SCAN u; SEARCH t USING INTEGER PRIMARY KEY (rowid=?)");
  prog = program(db, "SELECT * FROM t, u WHERE t.a = u.x AND u.y = 'u3'");
  const char *seek = strstr(prog, "SeekRowid\n"), *ne = strstr(prog, "Ne\n");
  CHECK(seek && ne && ne < seek);
  CHECK_EQ_STR(query(db, "SELECT t.c FROM t, u WHERE t.a = u.x AND u.y = 'u3'"), "three\n");
  /* A LEFT JOIN's WHERE term on its right table also sees the row of NULLs. */
  CHECK_EQ_STR(query(db, "SELECT u.x FROM u LEFT JOIN t ON t.a = u.x WHERE t.c IS NULL"), "5\n");
  /* ON terms of a LEFT JOIN that read only the left table stay in the join. */
  CHECK_EQ_STR(query(db, "SELECT u.x, t.a FROM u LEFT JOIN t ON u.x = 3 AND t.a = 3 ORDER BY 1"), "1|\n3|3\n5|\n");
  /* A term without tables, and one with a subquery. */
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM u, w WHERE 1 = 0"), "0\n");
  CHECK_EQ_STR(query(db, "SELECT u.x FROM u, w WHERE w.k = (SELECT max(b) FROM t WHERE t.a = u.x) ORDER BY 1"),
               "1\n3\n");
  lode_close(db);
}

/* OFFSET's rows are skipped in the loop before an index entry's row is
** looked up, when every entry the loop stands on is a result row. */
TEST(offset_rows_are_skipped_before_the_row_is_read) {
  lode *db = setup();
  lode_exec(db, "CREATE INDEX tb ON t(b)", NULL);
  const char *prog = program(db, "SELECT * FROM t ORDER BY b LIMIT 1 OFFSET 1");
  const char *skip = strstr(prog, "IfPos\n"), *seek = strstr(prog, "SeekRowid\n");
  CHECK(skip && seek && skip < seek);
  CHECK_EQ_STR(query(db, "SELECT c FROM t ORDER BY b LIMIT 1 OFFSET 1"), "two\n");
  /* A term the index does not decide: the row is read first, OFFSET counts result rows. */
  prog = program(db, "SELECT * FROM t WHERE c <> 'one' ORDER BY b LIMIT 1 OFFSET 1");
  skip = strstr(prog, "IfPos\n");
  seek = strstr(prog, "SeekRowid\n");
  CHECK(skip && seek && seek < skip);
  CHECK_EQ_STR(query(db, "SELECT c FROM t WHERE c <> 'one' ORDER BY b LIMIT 1 OFFSET 1"), "three\n");
  lode_close(db);
}

static int lines_of(const char *prog, const char *line) {
  int n = 0;
  for (const char *at = prog; (at = strstr(at, line)) != NULL; at += strlen(line))
    n += at == prog || at[-1] == '\n';
  return n;
}

/* An ORDER BY term that is a result column (by name, alias or number) is
** read once and stored once in the sorter's records: the loop reads s once
** (and the rowid), the output loop reads the two record columns. */
TEST(sorted_result_columns_are_stored_once) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  lode_exec(db, "CREATE TABLE w(id INTEGER PRIMARY KEY, x, s); INSERT INTO w VALUES (1, 5, 'b'), (2, 6, 'a')", NULL);
  CHECK_EQ_INT(lines_of(program(db, "SELECT id, s FROM w ORDER BY s"), "Column\n"), 3);
  CHECK_EQ_INT(lines_of(program(db, "SELECT id, s AS k FROM w ORDER BY k"), "Column\n"), 3);
  CHECK_EQ_INT(lines_of(program(db, "SELECT id, s FROM w ORDER BY 2"), "Column\n"), 3);
  CHECK_EQ_STR(query(db, "SELECT id, s FROM w ORDER BY s"), "2|a\n1|b\n");
  lode_close(db);
}

/* A multi-index OR runs the query's body for each new rowid as its lookups
** find it; when the lookups decide the OR term and nothing else of the row
** is read, the row itself is not read either. */
TEST(multi_index_or_reads_rows_only_when_needed) {
  lode *db = setup();
  lode_exec(db, "CREATE INDEX tb ON t(b); CREATE INDEX tc ON t(c)", NULL);
  const char *sql = "SELECT count(*) FROM t WHERE b = 20 OR c = 'three' OR b = 30";
  CHECK_EQ_STR(plan_of(db, sql), "MULTI-INDEX OR; INDEX 1; SEARCH t USING INDEX tb (b=?); INDEX 2; "
                                 "SEARCH t USING INDEX tc (c=?); INDEX 3; SEARCH t USING INDEX tb (b=?)");
  const char *prog = program(db, sql);
  CHECK(strstr(prog, "Gosub\n") != NULL);
  CHECK(strstr(prog, "SeekRowid\n") == NULL);
  CHECK(strstr(prog, "OpenEphemeral\n") && !strstr(strstr(prog, "OpenEphemeral\n") + 1, "OpenEphemeral\n"));
  CHECK_EQ_STR(query(db, sql), "2\n");
  CHECK_EQ_STR(query(db, "SELECT rowid FROM t WHERE b = 20 OR c = 'three' OR b = 30"), "2\n3\n");
  /* A column read: the row is read, and the OR term, decided by the lookups, is not tested again. */
  prog = program(db, "SELECT c FROM t WHERE b = 20 OR c = 'one'");
  CHECK(strstr(prog, "SeekRowid\n") != NULL);
  CHECK(strstr(prog, "Eq\n") == NULL && strstr(prog, "Ne\n") == NULL);
  CHECK_EQ_STR(query(db, "SELECT c FROM t WHERE b = 20 OR c = 'one'"), "two\none\n");
  /* A disjunct with a term its lookup leaves untested: the OR term is tested on the row. */
  prog = program(db, "SELECT count(*) FROM t WHERE b = 20 OR (c = 'one' AND b > 15)");
  CHECK(strstr(prog, "SeekRowid\n") != NULL);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t WHERE b = 20 OR (c = 'one' AND b > 15)"), "1\n");
  lode_close(db);
}

/* Each access path, worded as sqlite3 words it for the same schema and query. */
/* A UNIQUE index whose key an equality fixes finds one entry: no step to a
** next one (no Next), as SQLite codes it; IS counts too when the column
** holds no NULL (NOT NULL, or a WITHOUT ROWID table's PRIMARY KEY). */
TEST(unique_lookups_take_no_step) {
  lode *db = NULL;
  CHECK(lode_open(":memory:", &db) == LODE_OK);
  CHECK(lode_exec(db,
                  "CREATE TABLE t1(a UNIQUE); CREATE TABLE t2(a NOT NULL UNIQUE); CREATE TABLE t4(a NOT NULL);"
                  "CREATE UNIQUE INDEX t4a ON t4(a); CREATE TABLE t5(a PRIMARY KEY);"
                  "CREATE TABLE t8(a PRIMARY KEY) WITHOUT ROWID; CREATE TABLE u(a, b, UNIQUE(a, b));"
                  "INSERT INTO t1 VALUES(NULL), (NULL), (1); INSERT INTO t2 VALUES(1), (2);",
                  NULL) == LODE_OK);
  CHECK(strstr(program(db, "SELECT * FROM t2 WHERE a = ?"), "\nNext\n") == NULL);
  CHECK(strstr(program(db, "SELECT * FROM t2 WHERE a IS ?"), "\nNext\n") == NULL);
  CHECK(strstr(program(db, "SELECT * FROM t4 WHERE a IS ?"), "\nNext\n") == NULL);
  CHECK(strstr(program(db, "SELECT * FROM t8 WHERE a IS ?"), "\nNext\n") == NULL);
  CHECK(strstr(program(db, "SELECT * FROM t1 WHERE a = ?"), "\nNext\n") == NULL);
  CHECK(strstr(program(db, "SELECT * FROM u WHERE a = ? AND b = ?"), "\nNext\n") == NULL);
  /* many NULL entries may match IS; a PRIMARY KEY of a rowid table may be NULL */
  CHECK(strstr(program(db, "SELECT * FROM t1 WHERE a IS ?"), "\nNext\n") != NULL);
  CHECK(strstr(program(db, "SELECT * FROM t5 WHERE a IS ?"), "\nNext\n") != NULL);
  CHECK(strstr(program(db, "SELECT * FROM u WHERE a = ?"), "\nNext\n") != NULL);
  /* and the rows are right: both NULLs for IS NULL, one row for each lookup */
  lode_stmt *st = NULL;
  CHECK(lode_prepare(db, "SELECT count(*) FROM t1 WHERE a IS NULL", -1, &st, NULL) == LODE_OK);
  CHECK(lode_step(st) == LODE_ROW);
  CHECK_EQ_INT(lode_column_int64(st, 0), 2);
  lode_finalize(st);
  CHECK(lode_prepare(db, "SELECT count(*) FROM t2 AS x JOIN t2 AS y ON y.a IS x.a", -1, &st, NULL) == LODE_OK);
  CHECK(lode_step(st) == LODE_ROW);
  CHECK_EQ_INT(lode_column_int64(st, 0), 2);
  lode_finalize(st);
  lode_close(db);
}

TEST(access_paths_as_sqlite3_plans_them) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  if (!db) return;
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b, c, d TEXT COLLATE NOCASE);"
                         "CREATE INDEX tb ON t(b); CREATE INDEX tcd ON t(c, d); CREATE INDEX tlow ON t(lower(d));"
                         "CREATE INDEX tpart ON t(b, c) WHERE c > 10"),
               "");
  static const char *const cases[][2] = {
      {"SELECT * FROM t WHERE b = 5", "SEARCH t USING INDEX tb (b=?)"},
      {"SELECT * FROM t WHERE c = 5 AND d > 'x'", "SEARCH t USING INDEX tcd (c=? AND d>?)"},
      {"SELECT * FROM t WHERE b > 1 AND b < 9", "SEARCH t USING INDEX tb (b>? AND b<?)"},
      {"SELECT c, d FROM t WHERE c = 1", "SEARCH t USING COVERING INDEX tcd (c=?)"},
      {"SELECT * FROM t ORDER BY b", "SCAN t USING INDEX tb"},
      {"SELECT * FROM t ORDER BY b DESC LIMIT 3", "SCAN t USING INDEX tb"},
      {"SELECT * FROM t WHERE a > 5 AND a <= 10", "SEARCH t USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"},
      {"SELECT * FROM t WHERE b IN (1, 2, 3)", "SEARCH t USING INDEX tb (b=?)"},
      {"SELECT * FROM t WHERE a IN (1, 2, 3)", "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"},
      {"SELECT * FROM t WHERE lower(d) = 'x'", "SEARCH t USING INDEX tlow (<expr>=?)"},
      {"SELECT * FROM t NOT INDEXED WHERE b = 5", "SCAN t"},
      {"SELECT * FROM t INDEXED BY tcd WHERE b = 5", "SCAN t USING INDEX tcd"},
      {"SELECT b FROM t WHERE b IS NULL", "SEARCH t USING COVERING INDEX tb (b=?)"},
      {"SELECT * FROM t WHERE c = 1 ORDER BY d", "SEARCH t USING INDEX tcd (c=?)"},
      {"SELECT * FROM t WHERE b = 2 AND c > 10", "SEARCH t USING INDEX tpart (b=? AND c>?)"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *got = plan_of(db, cases[i][0]);
    if (strcmp(got, cases[i][1]) != 0) TEST_FAIL_("%s: \"%s\", expected \"%s\"", cases[i][0], got, cases[i][1]);
  }
  /* Index order instead of a sort: no temporary b-tree, and the rows in order. */
  CHECK_EQ_STR(query(db, "INSERT INTO t VALUES (1, 30, 1, 'x'), (2, 10, 1, 'Y'), (3, 20, 2, 'z'), (4, NULL, 1, 'w')"), "");
  CHECK_EQ_STR(query(db, "SELECT a FROM t ORDER BY b DESC LIMIT 2"), "1\n3\n");
  CHECK_EQ_STR(query(db, "SELECT d FROM t WHERE c = 1 ORDER BY d"), "w\nx\nY\n");
  CHECK_EQ_STR(query(db, "SELECT max(b), min(b) FROM t"), "30|10\n");
  lode_close(db);
}

/* "y = 7" fixes y: "x = y" then seeks an index on x by 7 (SQLite's constant
** propagation), where the comparison keeps its affinity — not a TEXT x
** against an INTEGER y, which compares numerically ('7.0' = 7). */
TEST(constant_propagation_seeks_the_other_column) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  if (!db) return;
  CHECK_EQ_STR(query(db, "CREATE TABLE t(x, y, z); CREATE INDEX tx ON t(x);"
                         "CREATE TABLE u(i INTEGER, s TEXT); CREATE INDEX ui ON u(i); CREATE INDEX us ON u(s);"
                         "INSERT INTO t VALUES (7, 7, 'a'), (7, 8, 'b'), (8, 7, 'c'), ('7', 7, 'd');"
                         "INSERT INTO u VALUES (7, '7.0'), (7, '7'), (8, '7')"),
               "");
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM t WHERE y = x AND y = 7"), "SEARCH t USING INDEX tx (x=?)");
  CHECK_EQ_STR(query(db, "SELECT z FROM t WHERE y = x AND y = 7"), "a\n");
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM u, t WHERE t.x = u.s AND u.s = '7'"),
               "SEARCH u USING INDEX us (s=?); SEARCH t USING INDEX tx (x=?)");
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM u WHERE s = i AND i = 7"), "SEARCH u USING INDEX ui (i=?)");
  CHECK_EQ_STR(query(db, "SELECT s FROM u WHERE s = i AND i = 7 ORDER BY s"), "7\n7.0\n");
  lode_close(db);
}

/* "x IS NOT NULL" is the range "x > NULL" of an index on x: covering, it
** replaces a scan; not covering, a scan still wins (SQLite's choices). */
TEST(is_not_null_ranges_past_the_nulls) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  if (!db) return;
  CHECK_EQ_STR(query(db, "CREATE TABLE t(x, y, z); CREATE INDEX tx ON t(x); CREATE INDEX tyz ON t(y, z DESC);"
                         "INSERT INTO t VALUES (NULL, 1, NULL), (2, 1, 'b'), (NULL, 1, 'a'), ('', 2, NULL),"
                         " (1, 1, 'c')"),
               "");
  CHECK_EQ_STR(plan_of(db, "SELECT x FROM t WHERE x IS NOT NULL"), "SEARCH t USING COVERING INDEX tx (x>?)");
  CHECK_EQ_STR(query(db, "SELECT quote(x) FROM t WHERE x IS NOT NULL"), "1\n2\n''\n");
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM t WHERE x IS NOT NULL"), "SCAN t");
  CHECK_EQ_STR(plan_of(db, "SELECT z FROM t WHERE y = 1 AND z NOTNULL"),
               "SEARCH t USING COVERING INDEX tyz (y=? AND z>?)");
  CHECK_EQ_STR(query(db, "SELECT z FROM t WHERE y = 1 AND z NOTNULL"), "c\nb\na\n");
  CHECK_EQ_STR(query(db, "SELECT z FROM t WHERE y = 1 AND z NOTNULL ORDER BY z"), "a\nb\nc\n");
  lode_close(db);
}

/* Interrupts a statement that runs past a million VM steps. */
static int interrupt_long_run(void *arg) {
  lode_interrupt((lode *)arg);
  return 0;
}

TEST(an_empty_table_ends_the_join) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  if (!db) return;
  CHECK_EQ_STR(query(db, "CREATE TABLE t1(a); CREATE TABLE empty(x);"
                         "WITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c WHERE x < 100)"
                         " INSERT INTO t1(a) SELECT x FROM c"),
               "");
  /* The CROSS JOINs fix the order: empty is the innermost loop, reached for
  ** each of 10^10 outer rows unless its first empty scan ends them all. */
  lode_progress_handler(db, 1000000, interrupt_long_run, db);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t1 AS a CROSS JOIN t1 AS b CROSS JOIN t1 AS c CROSS JOIN t1 AS d"
                         " CROSS JOIN t1 AS e CROSS JOIN empty"),
               "0\n");
  /* After a LEFT JOIN the scan ends the loops up to it: 100 x 100 rows. */
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t1 AS a CROSS JOIN t1 AS b LEFT JOIN t1 AS c ON c.a = b.a"
                         " CROSS JOIN empty"),
               "0\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t1 AS a CROSS JOIN t1 AS b LEFT JOIN empty"), "10000\n");
  /* A WHERE term that reads no table ends the query before the loops. */
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t1 AS a CROSS JOIN t1 AS b CROSS JOIN t1 AS c CROSS JOIN t1 AS d"
                         " CROSS JOIN t1 AS e WHERE a.a IN () AND 1"),
               "0\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM t1 AS a CROSS JOIN t1 AS b CROSS JOIN t1 AS c CROSS JOIN t1 AS d"
                         " CROSS JOIN t1 AS e WHERE 5 = 6"),
               "0\n");
  lode_close(db);
}

/* A partial index whose condition the WHERE implies holds every row the
** query wants: its walk may give the ORDER BY.  A bound parameter equal to
** the condition's constant implies it too (the statement compiles again
** when the parameter is bound to another value), unless the query planner
** stability guarantee is on. */
TEST(partial_indexes_give_order_and_match_bound_values) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "CREATE TABLE t1(x, y); CREATE INDEX t1x ON t1(x) WHERE y=45;"
                             "CREATE INDEX t1n ON t1(x) WHERE y=-9223372036854775808", NULL), LODE_OK);
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM t1 WHERE y=45 ORDER BY x"), "SCAN t1 USING INDEX t1x");
  CHECK_EQ_STR(plan_of(db, "SELECT * FROM t1 WHERE y=46 ORDER BY x"), "SCAN t1; USE TEMP B-TREE FOR ORDER BY");
  CHECK_EQ_STR(plan_bound(db, "SELECT * FROM t1 WHERE y=?1 ORDER BY x", 45), "SCAN t1 USING INDEX t1x");
  CHECK_EQ_STR(plan_bound(db, "SELECT * FROM t1 WHERE ?1=y ORDER BY x", INT64_MIN), "SCAN t1 USING INDEX t1n");
  CHECK_EQ_STR(plan_bound(db, "SELECT * FROM t1 WHERE y=?1 ORDER BY x", 44), "SCAN t1; USE TEMP B-TREE FOR ORDER BY");
  int on = -1;
  CHECK_EQ_INT(sqlite3_db_config((sqlite3 *)db, SQLITE_DBCONFIG_ENABLE_QPSG, 1, &on), SQLITE_OK);
  CHECK_EQ_INT(on, 1);
  CHECK_EQ_STR(plan_bound(db, "SELECT * FROM t1 WHERE y=?1 ORDER BY x", 45), "SCAN t1; USE TEMP B-TREE FOR ORDER BY");
  lode_close(db);
}

int main(void) {
  RUN(rowid_equality_is_a_search);
  RUN(join_order_puts_the_lookup_inside);
  RUN(terms_are_tested_at_the_outermost_possible_loop);
  RUN(access_paths_as_sqlite3_plans_them);
  RUN(unique_lookups_take_no_step);
  RUN(offset_rows_are_skipped_before_the_row_is_read);
  RUN(sorted_result_columns_are_stored_once);
  RUN(multi_index_or_reads_rows_only_when_needed);
  RUN(constant_propagation_seeks_the_other_column);
  RUN(is_not_null_ranges_past_the_nulls);
  RUN(an_empty_table_ends_the_join);
  RUN(partial_indexes_give_order_and_match_bound_values);
  return test_summary();
}
