/*
** test_insert_copy.c — INSERT INTO t SELECT * FROM s between alike tables
** copies s's b-trees into an empty t (OP_CopyTree), as SQLite's transfer
** optimization copies records:
**  - the copy is what the program runs for the plain case (rowid tables
**    with and without indexes, an INTEGER PRIMARY KEY, WITHOUT ROWID, an
**    attached source), and not when something must see each row or the
**    tables differ;
**  - into a t that has rows, records are copied one by one (OP_RowData)
**    where SQLite copies whatever t holds (an INTEGER PRIMARY KEY or no
**    index, no unique one, ABORT or ROLLBACK), each rowid checked; other
**    such statements take the ordinary insert, at run time;
**  - the copied rows, index entries and page structure are those an
**    ordinary insert makes, in a file database too (rows with overflow
**    pages, a rollback of the copy);
**  - changes(), last_insert_rowid() and sqlite_sequence come out as they do
**    for the rows inserted one by one.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testdb.h"
#include "testlib.h"

static lode *open_mem(void) {
  lode *db = NULL;
  if (lode_open(":memory:", &db) != LODE_OK) return NULL;
  return db;
}

/* How many ops of the program of sql are opcode. */
static int count_ops(lode *db, const char *sql, const char *opcode) {
  char explain[512];
  snprintf(explain, sizeof explain, "EXPLAIN %s", sql);
  lode_stmt *st = NULL;
  if (lode_prepare(db, explain, -1, &st, NULL) != LODE_OK || !st) return -1;
  int n = 0;
  while (lode_step(st) == LODE_ROW) {
    const char *op = (const char *)lode_column_text(st, 1);
    if (op && strcmp(op, opcode) == 0) n++;
  }
  lode_finalize(st);
  return n;
}

static const char *const alike_tables =
    "CREATE TABLE s(a INTEGER, b TEXT, c);"
    "CREATE INDEX sb ON s(b);"
    "CREATE UNIQUE INDEX sac ON s(a DESC, c COLLATE nocase);"
    "CREATE TABLE t(a INTEGER, b TEXT, c);"
    "CREATE UNIQUE INDEX tac ON t(a DESC, c COLLATE nocase);"
    "CREATE INDEX tb ON t(b);";

TEST(the_plain_case_copies_the_table_and_each_index) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db, alike_tables, NULL), LODE_OK);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO t SELECT * FROM s", "CopyTree"), 3);
  CHECK_EQ_INT(count_ops(db, "INSERT OR IGNORE INTO t SELECT * FROM s", "CopyTree"), 3);
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE si(id INTEGER PRIMARY KEY AUTOINCREMENT, v);"
                         "CREATE TABLE ti(id INTEGER PRIMARY KEY AUTOINCREMENT, v);"
                         "CREATE TABLE sw(k, v, PRIMARY KEY (k DESC)) WITHOUT ROWID; CREATE INDEX swv ON sw(v);"
                         "CREATE TABLE tw(k, v, PRIMARY KEY (k DESC)) WITHOUT ROWID; CREATE INDEX twv ON tw(v);"
                         "ATTACH ':memory:' AS aux; CREATE TABLE aux.s(a INTEGER, b TEXT, c);"
                         "CREATE TEMP TABLE tt(id INTEGER PRIMARY KEY AUTOINCREMENT, v);",
                         NULL),
               LODE_OK);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO ti SELECT * FROM si", "CopyTree"), 1);
  /* Into a t with rows, records are copied one by one where SQLite copies whatever t holds. */
  CHECK_EQ_INT(count_ops(db, "INSERT INTO ti SELECT * FROM si", "RowData"), 1);
  CHECK_EQ_INT(count_ops(db, "INSERT OR IGNORE INTO ti SELECT * FROM si", "RowData"), 0);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO t SELECT * FROM s", "RowData"), 0);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO tw SELECT * FROM sw", "RowData"), 0);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO tw SELECT * FROM sw", "CopyTree"), 2);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO tt SELECT * FROM main.si", "CopyTree"), 1);
  /* aux.s lacks t's indexes. */
  CHECK_EQ_INT(count_ops(db, "INSERT INTO main.t SELECT * FROM aux.s", "CopyTree"), 0);
  CHECK_EQ_INT(lode_exec(db, "CREATE INDEX aux.sb ON s(b); CREATE UNIQUE INDEX aux.sac ON s(a DESC, c COLLATE nocase)",
                         NULL),
               LODE_OK);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO main.t SELECT * FROM aux.s", "CopyTree"), 3);
  lode_close(db);
}

TEST(statements_that_must_see_each_row_insert_them_one_by_one) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db, alike_tables, NULL), LODE_OK);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO t SELECT * FROM s RETURNING a", "CopyTree"), 0);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO t SELECT * FROM s WHERE 1 ON CONFLICT DO NOTHING", "CopyTree"), 0);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO t SELECT * FROM s WHERE a > 0", "CopyTree"), 0);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO t(a, b, c) SELECT * FROM s", "CopyTree"), 0);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO t SELECT * FROM t", "CopyTree"), 0);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO s SELECT * FROM t", "CopyTree"), 3);
  CHECK_EQ_INT(lode_exec(db, "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END", NULL), LODE_OK);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO t SELECT * FROM s", "CopyTree"), 0);
  CHECK_EQ_INT(lode_exec(db, "DROP TRIGGER tr; DROP INDEX tb; CREATE INDEX tb ON t(b DESC)", NULL),
               LODE_OK);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO t SELECT * FROM s", "CopyTree"), 0);
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE sc(x INT);"
                         "CREATE TABLE tc(x INT REFERENCES p(id));",
                         NULL),
               LODE_OK);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO tc SELECT * FROM sc", "CopyTree"), 1);
  CHECK_EQ_INT(lode_exec(db, "PRAGMA foreign_keys = ON", NULL), LODE_OK);
  CHECK_EQ_INT(count_ops(db, "INSERT INTO tc SELECT * FROM sc", "CopyTree"), 0);
  lode_close(db);
}

/* The same rows into t by the copy and into u by the ordinary insert (u's
** columns are in another order, so nothing copies into it). */
static void fill_and_compare(lode *db, const char *label) {
  char msg[256];
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t SELECT * FROM s", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), query_int(db, "SELECT count(*) FROM s"));
  CHECK_EQ_INT(lode_last_insert_rowid(db), query_int(db, "SELECT max(rowid) FROM s"));
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO u SELECT rowid, c, b, a FROM s", NULL), LODE_OK);
  CHECK_EQ_INT(query_int(db,
                         "SELECT count(*) FROM (SELECT rowid, a, b, c FROM t EXCEPT SELECT r, a, b, c FROM u)"),
               0);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t INDEXED BY tb WHERE b > ''"),
               query_int(db, "SELECT count(*) FROM u WHERE b > ''"));
  CHECK_EQ_INT(query_int(db, "SELECT sum(a) FROM t INDEXED BY tac WHERE a > 100"),
               query_int(db, "SELECT sum(a) FROM u WHERE a > 100"));
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  int nerr = check_btrees(db, msg, sizeof msg);
  if (nerr != 0) printf("     %s: %s\n", label, msg);
  CHECK_EQ_INT(nerr, 0);
}

TEST(copied_rows_and_entries_are_those_an_insert_makes) {
  char path[128];
  tmp_db_path(path, sizeof path, "insert_copy");
  remove_db(path);
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db, alike_tables, NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE u(r INTEGER PRIMARY KEY, c, b TEXT, a INTEGER);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
                         " INSERT INTO s(rowid, a, b, c) SELECT i * 3, (i * 7919) % 20011,"
                         " printf('%08x', i * 2654435761),"
                         " CASE WHEN i % 500 = 0 THEN randomblob(3000 + i % 7000) ELSE 'c' || i END FROM n",
                         NULL),
               LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "BEGIN; INSERT INTO t SELECT * FROM s", NULL), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 20000);
  CHECK_EQ_INT(lode_exec(db, "ROLLBACK", NULL), LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 0);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  fill_and_compare(db, "first copy");
  /* A t with rows: the ordinary insert, here failing on the unique index. */
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t SELECT * FROM s", NULL) & 0xff, LODE_CONSTRAINT);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 20000);
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM t; DELETE FROM u", NULL), LODE_OK);
  fill_and_compare(db, "copy after DELETE");
  lode_close(db);
  remove_db(path);
}

TEST(autoincrement_and_changes_follow_the_rows_copied) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE s(id INTEGER PRIMARY KEY AUTOINCREMENT, v);"
                         "CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, v);"
                         "INSERT INTO s VALUES (4, 'a'), (90, 'b'), (7, 'c');"
                         "INSERT INTO t VALUES (1000, 'gone'); DELETE FROM t;",
                         NULL),
               LODE_OK);
  int64_t before = lode_total_changes(db);
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t SELECT * FROM s", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 3);
  CHECK_EQ_INT(lode_total_changes(db) - before, 3);
  CHECK_EQ_INT(lode_last_insert_rowid(db), 90);
  /* The sequence stays at the larger value it had. */
  CHECK_EQ_INT(query_int(db, "SELECT seq FROM sqlite_sequence WHERE name = 't'"), 1000);
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM t; UPDATE sqlite_sequence SET seq = 5 WHERE name = 't';"
                             "INSERT INTO t SELECT * FROM s",
                         NULL),
               LODE_OK);
  CHECK_EQ_INT(query_int(db, "SELECT seq FROM sqlite_sequence WHERE name = 't'"), 90);
  CHECK_EQ_STR(query(db, "INSERT INTO t(v) VALUES ('next'); SELECT id FROM t WHERE v = 'next'"), "91\n");
  lode_close(db);
}

TEST(records_copied_into_a_table_with_rows_keep_their_rowids_unless_taken) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE s(id INTEGER PRIMARY KEY, v TEXT, w); CREATE INDEX sv ON s(v);"
                         "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, w); CREATE INDEX tv ON t(v);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                         " INSERT INTO s SELECT i * 2, printf('v%05d', i % 997), zeroblob(i % 3 * 2000) FROM n;"
                         "INSERT INTO t VALUES (1, 'one', NULL), (7001, 'last', 'x');",
                         NULL),
               LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t SELECT * FROM s", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 3000);
  CHECK_EQ_INT(lode_last_insert_rowid(db), 6000);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t"), 3002);
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM t INDEXED BY tv WHERE v >= 'v00500' AND v < 'v00600'"),
               query_int(db, "SELECT count(*) FROM s WHERE v >= 'v00500' AND v < 'v00600'"));
  CHECK_EQ_INT(query_int(db, "SELECT count(*) FROM s JOIN t USING (id) WHERE s.v = t.v AND s.w IS t.w"), 3000);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  /* Rowid 6000 is taken now: the statement fails and adds nothing. */
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM t WHERE id > 1 AND id < 6000", NULL), LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t SELECT * FROM s", NULL) & 0xff, LODE_CONSTRAINT);
  CHECK_EQ_STR(query(db, "SELECT count(*), min(id), max(id) FROM t"), "3|1|7001\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

int main(void) {
  RUN(the_plain_case_copies_the_table_and_each_index);
  RUN(statements_that_must_see_each_row_insert_them_one_by_one);
  RUN(copied_rows_and_entries_are_those_an_insert_makes);
  RUN(autoincrement_and_changes_follow_the_rows_copied);
  RUN(records_copied_into_a_table_with_rows_keep_their_rowids_unless_taken);
  return test_summary();
}
