/*
** test_analyze.c — ANALYZE and the statistics of sqlite_stat1: the rows Lode
** writes are the rows sqlite3 writes for the same data (unique, all-equal,
** NULL-holding, multi-column, collated, partial and expression indexes,
** empty tables, random data); a file Lode analyzed is intact for sqlite3,
** which plans with its statistics; a file sqlite3 analyzed loads into
** Lode's Table and Index objects; ANALYZE inside a transaction and on an
** empty database.  Tests that need the sqlite3 CLI are skipped when it is
** not installed.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lode.h"
#include "sql/schema.h"
#include "testdb.h"
#include "testlib.h"

static char tmpdir[256], script_path[600];


/* Runs sql through the sqlite3 CLI on db (list mode); output and errors go
** to out.  The SQL goes through a file, so it needs no shell quoting. */
static int run_sqlite3(const char *db, const char *sql, char *out, size_t outn) {
  return sqlite3_cli(script_path, db, sql, out, outn);
}

static const char *db_path(const char *name) {
  static char path[600];
  snprintf(path, sizeof path, "%s/%s", tmpdir, name);
  remove_db(path);
  return path;
}

#define STAT1_ROWS "SELECT * FROM sqlite_stat1 ORDER BY tbl, idx;"

/* Runs setup, ANALYZE and STAT1_ROWS through Lode and through sqlite3, each
** on a fresh file, and fails when the rows differ. */
static void check_same_stats(const char *label, const char *setup) {
  static char want[65536];
  size_t n = strlen(setup) + 64;
  char *sql = malloc(n);
  if (!sql) {
    TEST_FAIL_("%s: out of memory", label);
    return;
  }
  snprintf(sql, n, "%s\nANALYZE;\n%s\n", setup, STAT1_ROWS);
  if (run_sqlite3(db_path("want.db"), sql, want, sizeof want) != 0) TEST_FAIL_("%s: sqlite3 failed: %s", label, want);
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(db_path("got.db"), &db), LODE_OK);
  const char *got = query(db, sql);
  if (strcmp(got, want) != 0) TEST_FAIL_("%s: lode\n%s\nsqlite3\n%s", label, got, want);
  lode_close(db);
  free(sql);
}

TEST(stat1_rows_match_sqlite3_for_each_kind_of_index) {
  if (!have_sqlite3()) return;
  check_same_stats("no index", "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 2), (3, 4), (5, 6);");
  check_same_stats("empty table", "CREATE TABLE t(a, b); CREATE INDEX ta ON t(a); CREATE TABLE e(x);");
  check_same_stats("unique", "CREATE TABLE t(a UNIQUE, b); INSERT INTO t VALUES (1, 1), (2, 1), (3, 1), (4, 2);");
  check_same_stats("all equal", "CREATE TABLE t(a, b); CREATE INDEX tab ON t(a, b);"
                                "INSERT INTO t VALUES (7, 7), (7, 7), (7, 7), (7, 7), (7, 7);");
  check_same_stats("NULLs", "CREATE TABLE t(a, b); CREATE INDEX ta ON t(a); CREATE UNIQUE INDEX tb ON t(b);"
                            "INSERT INTO t VALUES (NULL, NULL), (NULL, NULL), (NULL, 1), (1, 2), (2, NULL);");
  check_same_stats("collations and directions",
                   "CREATE TABLE t(a, b COLLATE NOCASE); CREATE INDEX t1 ON t(a COLLATE NOCASE, b DESC);"
                   "CREATE INDEX t2 ON t(b); CREATE INDEX t3 ON t(a COLLATE RTRIM);"
                   "INSERT INTO t VALUES ('x', 'Y'), ('X', 'y'), ('x ', 'y'), ('z', 'Z'), (1, 1.0), (1.0, 1);");
  check_same_stats("partial", "CREATE TABLE t(a, b); CREATE INDEX tp ON t(a) WHERE a > 2;"
                              "INSERT INTO t VALUES (1, 1), (2, 2), (3, 3), (3, 4), (5, 5);");
  check_same_stats("expressions", "CREATE TABLE t(a, b); CREATE INDEX te ON t(a % 3, b + 0);"
                                  "INSERT INTO t VALUES (1, 1), (4, 1), (7, 2), (2, 2), (5, 2);");
  check_same_stats("primary keys", "CREATE TABLE t(a, b, c, PRIMARY KEY (a, b), UNIQUE (c, a));"
                                   "INSERT INTO t VALUES (1, 1, 1), (1, 2, 2), (2, 1, 1), (2, 2, 3);");
  check_same_stats("near unique", "CREATE TABLE t(a); CREATE INDEX ta ON t(a);"
                                  "INSERT INTO t VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (1);"
                                  "CREATE TABLE s(a); CREATE INDEX sa ON s(a);"
                                  "INSERT INTO s VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (1);");
}

/* Random rows over small domains (integers, reals, mixed-case text, NULLs)
** in tables with one- to four-column indexes. */
TEST(stat1_rows_match_sqlite3_on_random_data) {
  if (!have_sqlite3()) return;
  static const char *const text[] = {"'a'", "'A'", "'b'", "'B '", "'b'", "NULL", "1", "1.0", "2.5", "x'00'"};
  for (int seed = 1; seed <= 4; seed++) {
    Rng r;
    rng_seed(&r, (uint64_t)seed);
    StrBuf b;
    strbuf_init(&b);
    strbuf_appendz(&b, "CREATE TABLE r(a, b, c COLLATE NOCASE, d);"
                       "CREATE INDEX r_a ON r(a); CREATE INDEX r_ab ON r(a, b);"
                       "CREATE INDEX r_cd ON r(c, d DESC); CREATE INDEX r_abcd ON r(a, b, c, d);"
                       "CREATE INDEX r_part ON r(b, a) WHERE d IS NOT NULL;"
                       "CREATE UNIQUE INDEX r_id ON r(d, a, b, c);\nBEGIN;\n");
    int nrows = 50 + rng_int(&r, 400 * seed);
    int dom = 2 + rng_int(&r, 30);
    for (int i = 0; i < nrows; i++)
      strbuf_printf(&b, "INSERT INTO r VALUES (%d, %s, %s, %d);\n", rng_int(&r, dom),
                    rng_int(&r, 5) ? text[rng_int(&r, 10)] : "NULL", text[rng_int(&r, 10)], i);
    strbuf_appendz(&b, "COMMIT;");
    char *setup = strbuf_finish(&b);
    char label[32];
    snprintf(label, sizeof label, "seed %d", seed);
    if (setup) check_same_stats(label, setup);
    util_free(setup);
  }
}

TEST(errors_and_targets_as_sqlite3_gives_them) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  CHECK_EQ_STR(query(db, "ANALYZE x"), "ERROR 1: no such table: x");
  CHECK_EQ_STR(query(db, "ANALYZE main.x"), "ERROR 1: no such table: main.x");
  CHECK_EQ_STR(query(db, "ANALYZE aux.x"), "ERROR 1: unknown database aux");
  /* ANALYZE temp makes temp's sqlite_stat1 and sqlite_stat4 (which an
  ** unqualified name would find first), not main's. */
  CHECK_EQ_STR(query(db, "ANALYZE temp; SELECT count(*) FROM sqlite_schema; SELECT name FROM temp.sqlite_schema;"
                         "DROP TABLE temp.sqlite_stat1; DROP TABLE temp.sqlite_stat4"),
               "0\nsqlite_stat1\nsqlite_stat4\n");
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); CREATE INDEX ta ON t(a); INSERT INTO t VALUES (1), (1), (2);"
                         "CREATE TABLE u(b); INSERT INTO u VALUES (1);"
                         "ANALYZE ta; " STAT1_ROWS),
               "t|ta|3 2\n");
  CHECK_EQ_STR(query(db, "ANALYZE u; " STAT1_ROWS), "t|ta|3 2\nu||1\n");
  CHECK_EQ_STR(query(db, "DELETE FROM sqlite_stat1; ANALYZE main; " STAT1_ROWS), "t|ta|3 2\nu||1\n");
  /* Tables of SQLite's own are not analyzed. */
  CHECK_EQ_STR(query(db, "ANALYZE sqlite_stat1; ANALYZE sqlite_master; " STAT1_ROWS), "t|ta|3 2\nu||1\n");
  lode_close(db);
}

/* SQLite 3.53 built with SQLITE_ENABLE_STAT4 (better-sqlite3, the oracle
** for these two tables; Debian's 3.40 CLI makes sqlite_stat1 alone) makes
** sqlite_stat1, then sqlite_stat4. */
/* SQLite 3.53 (unlike the 3.40 CLI the other tests compare with) gives an
** empty partial index the row "0 0 …", an empty full index none, and a
** table whose indexes are all partial its row count even then. */
TEST(an_empty_partial_index_gets_zero_counts_as_sqlite_3_53_writes) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(db_path("partial.db"), &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a, b); CREATE INDEX tn ON t(b, a) WHERE b > 100;"
                         "CREATE INDEX tp ON t(a) WHERE a > 2; CREATE TABLE e(x); CREATE INDEX ep ON e(x) WHERE x > 0;"
                         "CREATE INDEX ex ON e(x); INSERT INTO t VALUES (1, 1), (3, 3), (4, 4);"
                         "ANALYZE; SELECT * FROM sqlite_stat1 ORDER BY tbl, idx; SELECT count(*) FROM sqlite_stat4;"),
               "e|ep|0 0\nt||3\nt|tn|0 0 0\nt|tp|2 1\n2\n");
  lode_close(db);
}

TEST(analyze_on_an_empty_database_creates_sqlite_stat1_and_sqlite_stat4) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(db_path("empty.db"), &db), LODE_OK);
  CHECK_EQ_STR(query(db, "ANALYZE; SELECT type, name, tbl_name, sql FROM sqlite_schema;"),
               "table|sqlite_stat1|sqlite_stat1|CREATE TABLE sqlite_stat1(tbl,idx,stat)\n"
               "table|sqlite_stat4|sqlite_stat4|CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM sqlite_stat1; SELECT count(*) FROM sqlite_stat4; ANALYZE;"
                         "SELECT count(*) FROM sqlite_schema"),
               "0\n0\n2\n");
  /* A file analyzed before sqlite_stat4 existed gets it at the next ANALYZE. */
  CHECK_EQ_STR(query(db, "DROP TABLE sqlite_stat4; CREATE TABLE t(a); CREATE INDEX ta ON t(a);"
                         "INSERT INTO t VALUES (1), (2); ANALYZE; SELECT tbl, idx, neq, nlt, ndlt, hex(sample) "
                         "FROM sqlite_stat4;"),
               "t|ta|1 1|0 0|0 0|030909\nt|ta|1 1|1 1|1 1|0301010202\n");
  lode_close(db);
}

TEST(analyze_inside_a_transaction_commits_and_rolls_back_with_it) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(db_path("txn.db"), &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a); CREATE INDEX ta ON t(a); INSERT INTO t VALUES (1), (1), (1), (2);"
                         "BEGIN; ANALYZE; " STAT1_ROWS),
               "t|ta|4 2\n");
  CHECK(schema_find_index(db->schema, "ta")->nstat == 2);
  CHECK_EQ_STR(query(db, "ROLLBACK; SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1';"), "0\n");
  CHECK_EQ_STR(query(db, "SELECT * FROM sqlite_stat1"), "ERROR 1: no such table: sqlite_stat1");
  CHECK(schema_find_index(db->schema, "ta")->nstat == 0);
  CHECK_EQ_STR(query(db, "BEGIN; INSERT INTO t VALUES (3); ANALYZE t; COMMIT; " STAT1_ROWS), "t|ta|5 2\n");
  CHECK_EQ_STR(query(db, "BEGIN; INSERT INTO t VALUES (4); ANALYZE t; " STAT1_ROWS "ROLLBACK; " STAT1_ROWS),
               "t|ta|6 2\nt|ta|5 2\n");
  Index *ix = schema_find_index(db->schema, "ta");
  CHECK(ix->nstat == 2 && ix->stat_rows[0] == 5 && ix->stat_rows[1] == 2);
  lode_close(db);
}

/* A second connection sees new statistics: ANALYZE changes the schema cookie. */
TEST(other_connections_load_the_new_statistics) {
  const char *path = db_path("two.db");
  lode *a = NULL, *b = NULL;
  CHECK_EQ_INT(lode_open(path, &a), LODE_OK);
  CHECK_EQ_INT(lode_open(path, &b), LODE_OK);
  CHECK_EQ_STR(query(a, "CREATE TABLE t(a); CREATE INDEX ta ON t(a); INSERT INTO t VALUES (1), (2);"), "");
  CHECK_EQ_STR(query(b, "SELECT count(*) FROM t"), "2\n");
  CHECK(schema_find_index(b->schema, "ta")->nstat == 0);
  CHECK_EQ_STR(query(a, "ANALYZE"), "");
  CHECK_EQ_STR(query(b, "SELECT count(*) FROM t"), "2\n");
  Index *ix = schema_find_index(b->schema, "ta");
  CHECK(ix->nstat == 2 && ix->stat_rows[0] == 2 && ix->stat_rows[1] == 1);
  lode_close(a);
  lode_close(b);
}

TEST(a_file_lode_analyzed_is_intact_and_planned_by_sqlite3) {
  if (!have_sqlite3()) return;
  const char *path = db_path("lode_analyzed.db");
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  /* c is the same in every row: with statistics sqlite3 prefers (a, b). */
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a, b, c); CREATE INDEX i_ab ON t(a, b); CREATE INDEX i_c ON t(c);"), "");
  CHECK_EQ_STR(query(db, "BEGIN"), "");
  for (int i = 0; i < 200; i++) {
    char sql[100];
    snprintf(sql, sizeof sql, "INSERT INTO t VALUES (%d, %d, 0)", i % 20, i);
    CHECK_EQ_STR(query(db, sql), "");
  }
  CHECK_EQ_STR(query(db, "COMMIT; ANALYZE; " STAT1_ROWS), "t|i_ab|200 10 1\nt|i_c|200 200\n");
  lode_close(db);
  char out[4096];
  CHECK_EQ_INT(run_sqlite3(path,
                           "PRAGMA integrity_check;" STAT1_ROWS
                           "EXPLAIN QUERY PLAN SELECT * FROM t WHERE a = 1 AND b = 1 AND c = 1;",
                           out, sizeof out),
               0);
  CHECK_EQ_STR(out, "ok\nt|i_ab|200 10 1\nt|i_c|200 200\nQUERY PLAN\n`--SEARCH t USING INDEX i_ab (a=? AND b=?)\n");
  /* Without the statistics sqlite3 would take i_c: the plan above is theirs. */
  CHECK_EQ_INT(run_sqlite3(path, "DELETE FROM sqlite_stat1;", out, sizeof out), 0);
  CHECK_EQ_INT(
      run_sqlite3(path, "EXPLAIN QUERY PLAN SELECT * FROM t WHERE a = 1 AND b = 1 AND c = 1;", out, sizeof out), 0);
  CHECK(strstr(out, "USING INDEX i_c") != NULL);
}

/* The samples ANALYZE writes load into the index they name, and the plan
** follows them: a range that holds most rows scans, a small one seeks. */
TEST(sqlite_stat4_samples_load_and_steer_the_plan) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(db_path("stat4.db"), &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a INT, b); CREATE INDEX ta ON t(a);"
                         "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 3000)"
                         "  INSERT INTO t SELECT CASE WHEN i % 10 < 8 THEN 5 ELSE i END, i FROM r; ANALYZE;"
                         "SELECT count(*) FROM sqlite_stat4 WHERE idx = 'ta'"),
               "24\n");
  Index *ix = schema_find_index(db->schema, "ta");
  CHECK(ix->nsample == 24 && ix->sample_ncol == 2 && ix->samples[0].nvals == 2);
  CHECK(strstr(query(db, "EXPLAIN QUERY PLAN SELECT sum(b) FROM t WHERE a > 1"), "|SCAN t\n"));
  CHECK(strstr(query(db, "EXPLAIN QUERY PLAN SELECT sum(b) FROM t WHERE a > 2990"), "|SEARCH t USING INDEX ta (a>?)\n"));
  CHECK(strstr(query(db, "EXPLAIN QUERY PLAN SELECT sum(b) FROM t WHERE a = 5"), "|SCAN t\n"));
  CHECK(strstr(query(db, "EXPLAIN QUERY PLAN SELECT sum(b) FROM t WHERE a = 6"), "|SEARCH t USING INDEX ta (a=?)\n"));
  lode_close(db);
}

/* sqlite_stat4 is data a file may hold anything in: rows that name no
** index, samples that are no record or of another type, counts that are
** text, huge or missing, samples out of order, too many of them.  Loading
** skips what it cannot use and never fails; queries plan and answer. */
TEST(hostile_sqlite_stat4_rows_load_without_harm) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(db_path("hostile4.db"), &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a INT, b TEXT); CREATE INDEX ta ON t(a); CREATE INDEX tab ON t(a, b);"
                         "CREATE INDEX tb ON t(b); CREATE INDEX tc ON t(b COLLATE NOCASE DESC);"
                         "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 500)"
                         "  INSERT INTO t SELECT i % 17, 'v' || (i % 5) FROM r; ANALYZE;"
                         "DELETE FROM sqlite_stat4;"
                         /* ta: no record, a blob too short for its header, a text, an integer, NULL */
                         "INSERT INTO sqlite_stat4 VALUES ('t', 'ta', '1 1', '0 0', '0 0', x'');"
                         "INSERT INTO sqlite_stat4 VALUES ('t', 'ta', '1 1', '0 0', '0 0', x'05');"
                         "INSERT INTO sqlite_stat4 VALUES ('t', 'ta', '1 1', '0 0', '0 0', x'ff01020304');"
                         "INSERT INTO sqlite_stat4 VALUES ('t', 'ta', '1 1', '0 0', '0 0', 7);"
                         "INSERT INTO sqlite_stat4 VALUES ('t', 'ta', NULL, NULL, NULL, NULL);"
                         /* ta: usable records with garbage counts, out of order, short and long */
                         "INSERT INTO sqlite_stat4 VALUES ('t', 'ta', 'x y', '99999999999999999999999 1', 'abc',"
                         "  x'03090101');"
                         "INSERT INTO sqlite_stat4 VALUES ('t', 'ta', '', '5', '18446744073709551615 3', x'0209');"
                         "INSERT INTO sqlite_stat4 VALUES ('t', 'ta', 3, 4, 5, x'0301010305');"
                         "INSERT INTO sqlite_stat4 VALUES ('t', 'ta', '1 1', '2 2', '2 2', x'03130161627a01');"
                         /* an unknown index, a table without a WITHOUT ROWID key, NULL names */
                         "INSERT INTO sqlite_stat4 VALUES ('t', 'nosuch', '1 1', '0 0', '0 0', x'030101');"
                         "INSERT INTO sqlite_stat4 VALUES ('t', 't', '1 1', '0 0', '0 0', x'030101');"
                         "INSERT INTO sqlite_stat4 VALUES (NULL, NULL, '1 1', '0 0', '0 0', x'030101');"
                         /* tb named in another case, a text sample (its bytes are the record) */
                         "INSERT INTO sqlite_stat4 VALUES ('t', 'TB', '100 1', '0 0', '0 0', CAST(x'031101763105' AS TEXT));"
                         /* tab: 300 samples, more than a file of SQLite's holds; tc: one sample past the size bound */
                         "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 300)"
                         "  INSERT INTO sqlite_stat4 SELECT 't', 'tab', '1 1 1', i || ' ' || i || ' ' || i,"
                         "  i || ' ' || i || ' ' || i, x'04090909' FROM r;"
                         "INSERT INTO sqlite_stat4 VALUES ('t', 'tc', '1 1', '0 0', '0 0',"
                         "  x'068480080101' || zeroblob(70000));"
                         "ANALYZE sqlite_schema;"),
               "");
  Schema *s = db->schema;
  Index *ix = schema_find_index(s, "ta");
  CHECK(ix->nsample == 4);
  CHECK(ix->samples[0].nvals == 2 && ix->samples[0].vals[0].type == MEM_INT && ix->samples[0].vals[0].u.i == 1);
  CHECK(ix->samples[0].lt[0] == (int64_t)1 << 48 && ix->samples[0].eq[0] == 0 && ix->samples[0].dlt[0] == 0);
  CHECK(ix->samples[1].nvals == 1 && ix->samples[1].lt[0] == 5 && ix->samples[1].dlt[0] == (int64_t)1 << 48);
  CHECK(ix->samples[2].nvals == 2 && ix->samples[2].eq[0] == 3 && ix->samples[2].eq[1] == 0);
  CHECK(ix->samples[3].nvals == 2 && ix->samples[3].vals[0].type == MEM_TEXT);
  ix = schema_find_index(s, "tb");
  CHECK(ix->nsample == 1 && ix->samples[0].nvals == 2 && ix->samples[0].eq[0] == 100);
  CHECK(schema_find_index(s, "tab")->nsample == 256);
  CHECK(schema_find_index(s, "tc")->nsample == 0);
  /* Planned (with literals and bound values), run, answered right. */
  const char *queries[] = {
      "SELECT count(*) FROM t WHERE a > 3",         "SELECT count(*) FROM t WHERE a BETWEEN 2 AND 9",
      "SELECT count(*) FROM t WHERE a = 1",         "SELECT count(*) FROM t WHERE a = 'abz' OR a < -1",
      "SELECT count(*) FROM t WHERE a = 4 AND b > 'v2'", "SELECT count(*) FROM t WHERE b = 'v1'",
      "SELECT count(*) FROM t WHERE b < 'V3' COLLATE NOCASE", "SELECT count(*) FROM t WHERE a IS NULL",
  };
  const char *want[] = {"381\n", "238\n", "30\n", "0\n", "12\n", "100\n", "300\n", "0\n"};
  for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
    char sql[200];
    CHECK_EQ_STR(query(db, queries[i]), want[i]);
    snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", queries[i]);
    CHECK(strncmp(query(db, sql), "ERROR", 5) != 0);
  }
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_prepare(db, "SELECT count(*) FROM t WHERE a > ? AND a < ?", -1, &st, NULL), LODE_OK);
  for (int i = 0; i < 20; i++) {
    CHECK_EQ_INT(lode_bind_int(st, 1, i - 3), LODE_OK);
    CHECK_EQ_INT(lode_bind_text(st, 2, i % 2 ? "9" : "zz", -1, NULL), LODE_OK);
    CHECK_EQ_INT(lode_step(st), LODE_ROW);
    CHECK_EQ_INT(lode_reset(st), LODE_OK);
  }
  lode_finalize(st);
  lode_close(db);
}

TEST(a_file_sqlite3_analyzed_loads_into_the_schema) {
  if (!have_sqlite3()) return;
  const char *path = db_path("sqlite3_analyzed.db");
  char out[4096];
  CHECK_EQ_INT(run_sqlite3(path,
                           "CREATE TABLE t(a, b, c); CREATE INDEX t_ab ON t(a, b);"
                           "CREATE INDEX t_part ON t(c) WHERE c > 0;"
                           "INSERT INTO t VALUES (1, 1, 1), (1, 1, 2), (1, 2, 0), (2, 3, 0), (2, 4, 5), (3, 5, 0);"
                           "CREATE TABLE plain(x); INSERT INTO plain VALUES (1), (2), (3);"
                           "CREATE TABLE w(k PRIMARY KEY, v) WITHOUT ROWID; INSERT INTO w VALUES (1, 1), (2, 1);"
                           "CREATE TABLE hand(x, y); CREATE INDEX h1 ON hand(x); CREATE INDEX h2 ON hand(x, y);"
                           "CREATE INDEX h3 ON hand(y); CREATE TABLE none(z); CREATE INDEX none_z ON none(z);"
                           "ANALYZE;"
                           "INSERT INTO sqlite_stat1 VALUES ('hand', 'h1', '1000 10 unordered noskipscan'),"
                           "  ('hand', 'h2', 'abc'), ('hand', 'h3', '50 5 7 9'), ('gone', 'gone_i', '5 1'),"
                           "  ('HAND', NULL, '77');"
                           "PRAGMA integrity_check;",
                           out, sizeof out),
               0);
  CHECK_EQ_STR(out, "ok\n");
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM sqlite_stat1"), "9\n");
  Schema *s = db->schema;
  Index *ix = schema_find_index(s, "t_ab");
  CHECK(ix->nstat == 3 && ix->stat_rows[0] == 6 && ix->stat_rows[1] == 2 && ix->stat_rows[2] == 2);
  CHECK(!ix->stat_unordered && !ix->stat_noskipscan);
  ix = schema_find_index(s, "t_part");
  CHECK(ix->nstat == 2 && ix->stat_rows[0] == 3 && ix->stat_rows[1] == 1);
  Table *t = schema_find_table(s, "t");
  CHECK(t->stat_loaded && t->stat_nrows == 6); /* from the full index, not the partial one */
  t = schema_find_table(s, "plain");
  CHECK(t->stat_loaded && t->stat_nrows == 3);
  t = schema_find_table(s, "w");
  CHECK(t->pk && t->pk->nstat == 2 && t->pk->stat_rows[0] == 2 && t->pk->stat_rows[1] == 1);
  CHECK(t->stat_loaded && t->stat_nrows == 2);
  /* Hand-written rows: words after the numbers, a malformed stat, extra numbers. */
  ix = schema_find_index(s, "h1");
  CHECK(ix->nstat == 2 && ix->stat_rows[0] == 1000 && ix->stat_rows[1] == 10);
  CHECK(ix->stat_unordered && ix->stat_noskipscan);
  CHECK(schema_find_index(s, "h2")->nstat == 0);
  ix = schema_find_index(s, "h3");
  CHECK(ix->nstat == 2 && ix->stat_rows[0] == 50 && ix->stat_rows[1] == 5);
  t = schema_find_table(s, "hand");
  CHECK(t->stat_loaded && t->stat_nrows == 77); /* the last row for the table wins */
  /* An empty table has no row: the defaults stay. */
  CHECK(schema_find_index(s, "none_z")->nstat == 0 && !schema_find_table(s, "none")->stat_loaded);
  lode_close(db);
}

/* The counts of sqlite_stat4 agree with the rows when the index spans many
** leaf pages and some keys spill to overflow pages (a scan that reads each
** entry where it lies on the page must keep the entry before it when it
** steps to the next leaf or reads a spilled key): each sample's first
** neq, nlt and ndlt are those of one value of c, counted by SQL, and
** sqlite_stat1's D1 is N over the number of distinct values, rounded up. */
TEST(sqlite_stat4_counts_agree_with_the_rows_across_leaves_and_spilled_keys) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(db_path("counts.db"), &db), LODE_OK);
  CHECK_EQ_STR(query(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, c TEXT);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                         "  INSERT INTO t SELECT i, CASE WHEN i % 7 < 2 THEN printf('%.*c%d', 1500, 'x', i / 40)"
                         "    ELSE printf('k%05d', i / 3) END FROM n;"
                         "CREATE INDEX tc ON t(c);"
                         "ANALYZE;"),
               "");
  CHECK_EQ_STR(query(db, "SELECT stat = (SELECT count(*) || ' ' || ((count(*) + count(DISTINCT c) - 1) / "
                         "count(DISTINCT c)) FROM t) FROM sqlite_stat1 WHERE idx = 'tc'"),
               "1\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) > 5 FROM sqlite_stat4 WHERE idx = 'tc'"), "1\n");
  CHECK_EQ_STR(query(db, "WITH g(n, lt, dlt) AS (SELECT count(*), (SELECT count(*) FROM t t2 WHERE t2.c < t1.c),"
                         "    (SELECT count(DISTINCT c) FROM t t3 WHERE t3.c < t1.c) FROM t t1 GROUP BY c),"
                         "  s(neq, nlt, ndlt) AS (SELECT CAST(neq AS INT), CAST(nlt AS INT), CAST(ndlt AS INT)"
                         "    FROM sqlite_stat4 WHERE idx = 'tc')"
                         "SELECT count(*) FROM s WHERE NOT EXISTS"
                         "  (SELECT 1 FROM g WHERE g.n = s.neq AND g.lt = s.nlt AND g.dlt = s.ndlt)"),
               "0\n");
  lode_close(db);
}

int main(void) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lode_test_analyze_%d", (int)getpid());
  snprintf(script_path, sizeof script_path, "%s/script.sql", tmpdir);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "mkdir -p %s", tmpdir);
  if (system(cmd) != 0) return 1;
  RUN(stat1_rows_match_sqlite3_for_each_kind_of_index);
  RUN(stat1_rows_match_sqlite3_on_random_data);
  RUN(errors_and_targets_as_sqlite3_gives_them);
  RUN(an_empty_partial_index_gets_zero_counts_as_sqlite_3_53_writes);
  RUN(analyze_on_an_empty_database_creates_sqlite_stat1_and_sqlite_stat4);
  RUN(analyze_inside_a_transaction_commits_and_rolls_back_with_it);
  RUN(other_connections_load_the_new_statistics);
  RUN(a_file_lode_analyzed_is_intact_and_planned_by_sqlite3);
  RUN(a_file_sqlite3_analyzed_loads_into_the_schema);
  RUN(sqlite_stat4_samples_load_and_steer_the_plan);
  RUN(hostile_sqlite_stat4_rows_load_without_harm);
  RUN(sqlite_stat4_counts_agree_with_the_rows_across_leaves_and_spilled_keys);
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  if (system(cmd) != 0) return 1;
  return test_summary();
}
