/*
** test_update_one_pass.c — which UPDATEs change each row where their loop
** finds it (one pass, no list of row keys first) and which still collect
** the keys first, read from the programs' EXPLAIN listings; that a one-pass
** UPDATE visits every row exactly once while its rows grow and shrink across
** page splits; and that a one-row UPDATE by rowid takes no statement
** savepoint (OP_Transaction p2 = 2) while a multi-row one does; and that
** a lookup of a UNIQUE index on all its columns is one row too.  The same
** for DELETE: which go in one pass, and that a one-pass DELETE removes each
** matching row once while the leaves under its scan empty and merge, and
** that a one-row DELETE opens the indexes it does not look up through only
** once its row is found.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lode.h"
#include "testdb.h"
#include "testlib.h"

static lode *open_mem(void) {
  lode *db = NULL;
  if (lode_open(":memory:", &db) != LODE_OK) return NULL;
  lode_exec(db,
            "CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER, s TEXT);"
            "CREATE TABLE u(id INTEGER PRIMARY KEY, k INTEGER UNIQUE ON CONFLICT REPLACE, v);"
            "CREATE INDEX tx ON t(x);"
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)"
            "  INSERT INTO t SELECT i, i, 'r' || i FROM n;",
            NULL);
  return db;
}

/* How many ops of the program of sql are opcode; p2 of the last one in *p2. */
static int count_ops(lode *db, const char *sql, const char *opcode, int *p2) {
  char explain[512];
  snprintf(explain, sizeof explain, "EXPLAIN %s", sql);
  lode_stmt *st = NULL;
  if (lode_prepare(db, explain, -1, &st, NULL) != LODE_OK || !st) return -1;
  int n = 0;
  while (lode_step(st) == LODE_ROW) {
    const char *op = (const char *)lode_column_text(st, 1);
    if (op && strcmp(op, opcode) == 0) {
      n++;
      if (p2) *p2 = lode_column_int(st, 3);
    }
  }
  lode_finalize(st);
  return n;
}

TEST(updates_over_the_table_itself_take_one_pass) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  const char *one_pass[] = {
      "UPDATE t SET s = 'a'",
      "UPDATE t SET x = x + 1 WHERE s > 'r5'",
      "UPDATE t SET s = 'b' WHERE id = 7",
      "UPDATE t SET s = 'c' WHERE id BETWEEN 5 AND 9",
      "UPDATE t SET s = (SELECT max(s) FROM t) WHERE id > 90",
  };
  for (size_t i = 0; i < sizeof one_pass / sizeof *one_pass; i++) {
    int n = count_ops(db, one_pass[i], "SorterInsert", NULL);
    if (n != 0) TEST_FAIL_("%s: %d SorterInsert, expected one pass", one_pass[i], n);
  }
  lode_close(db);
}

TEST(updates_that_could_disturb_their_loop_collect_the_keys_first) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  lode_exec(db, "CREATE TABLE log(m); CREATE TRIGGER tr AFTER UPDATE OF s ON t BEGIN INSERT INTO log VALUES (1); END",
            NULL);
  const char *two_pass[] = {
      "UPDATE t SET x = x + 1 WHERE x > 50",            /* the loop walks tx, whose entries move */
      "UPDATE t SET s = 'q'",                           /* the trigger */
      "UPDATE t SET x = 0 WHERE x IN (SELECT id FROM t)", /* a subquery in WHERE */
      "UPDATE t SET id = id + 1000",                    /* rowids change */
      "UPDATE t SET x = 1 RETURNING id",
      "UPDATE u SET k = k + 1",                         /* REPLACE may delete rows */
  };
  for (size_t i = 0; i < sizeof two_pass / sizeof *two_pass; i++) {
    int n = count_ops(db, two_pass[i], "SorterInsert", NULL);
    if (n < 1) TEST_FAIL_("%s: %d SorterInsert, expected two passes", two_pass[i], n);
  }
  lode_close(db);
}

TEST(a_one_pass_update_changes_every_row_once_while_rows_move_between_pages) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE g(id INTEGER PRIMARY KEY, n INTEGER, pad BLOB);"
                         "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20000)"
                         "  INSERT INTO g SELECT i, 0, zeroblob(i % 7) FROM c;",
                         NULL),
               LODE_OK);
  CHECK_EQ_INT(count_ops(db, "UPDATE g SET n = n + 1, pad = zeroblob(60)", "SorterInsert", NULL), 0);
  /* Every row grows: the leaves split under the scan. */
  CHECK_EQ_INT(lode_exec(db, "UPDATE g SET n = n + 1, pad = zeroblob(60 + id % 50)", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 20000);
  CHECK_EQ_STR(query(db, "SELECT count(*), min(n), max(n), sum(length(pad)) FROM g"), "20000|1|1|1690000\n");
  /* And shrink again: pages merge. */
  CHECK_EQ_INT(lode_exec(db, "UPDATE g SET n = n + 1, pad = NULL WHERE id % 3 <> 0", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 13334);
  CHECK_EQ_STR(query(db, "SELECT count(*), sum(n) FROM g"), "20000|33334\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

TEST(a_one_row_update_by_rowid_takes_no_statement_savepoint) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  int p2 = -1;
  CHECK_EQ_INT(count_ops(db, "UPDATE t SET s = 'x' WHERE id = 3", "Transaction", &p2), 1);
  CHECK_EQ_INT(p2, 2);
  /* Many rows: one that can fail after the first must undo the others (a
  ** function may fail; s has no constraint, so the plain one cannot). */
  CHECK_EQ_INT(count_ops(db, "UPDATE t SET s = upper(s) WHERE id > 3", "Transaction", &p2), 1);
  CHECK_EQ_INT(p2, 1);
  CHECK_EQ_INT(count_ops(db, "UPDATE t SET s = 'x' WHERE id > 3", "Transaction", &p2), 1);
  CHECK_EQ_INT(p2, 2);
  /* Its checks still stop it before any write, inside a transaction. */
  CHECK_EQ_INT(lode_exec(db, "CREATE TABLE w(id INTEGER PRIMARY KEY, a NOT NULL, b UNIQUE);"
                             "INSERT INTO w VALUES (1, 1, 1), (2, 2, 2)",
                         NULL),
               LODE_OK);
  CHECK_EQ_INT(count_ops(db, "UPDATE w SET b = 1 WHERE id = 2", "Transaction", &p2), 1);
  CHECK_EQ_INT(p2, 2);
  CHECK_EQ_INT(lode_exec(db, "BEGIN; UPDATE w SET a = 10 WHERE id = 1", NULL), LODE_OK);
  CHECK(lode_exec(db, "UPDATE w SET b = 1 WHERE id = 2", NULL) != LODE_OK);
  CHECK(lode_exec(db, "UPDATE w SET a = NULL WHERE id = 2", NULL) != LODE_OK);
  CHECK_EQ_INT(lode_exec(db, "COMMIT", NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT * FROM w"), "1|10|1\n2|2|2\n");
  lode_close(db);
}

TEST(an_update_through_a_unique_lookup_takes_one_pass_and_changes_one_row) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE q(a INTEGER UNIQUE, b INTEGER, c TEXT, UNIQUE(b, c));"
                         "CREATE INDEX qc ON q(c);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)"
                         "  INSERT INTO q SELECT i, i % 10, 'c' || i FROM n;",
                         NULL),
               LODE_OK);
  int p2 = -1;
  const char *one_pass[] = {
      "UPDATE q SET c = 'x' WHERE a = 7",
      "UPDATE q SET a = a + 1000 WHERE a = 8",          /* the lookup's own key moves */
      "UPDATE q SET c = c || '!' WHERE b = 3 AND c = 'c13'", /* every column of UNIQUE(b, c) */
  };
  for (size_t i = 0; i < sizeof one_pass / sizeof *one_pass; i++) {
    int n = count_ops(db, one_pass[i], "SorterInsert", NULL);
    if (n != 0) TEST_FAIL_("%s: %d SorterInsert, expected one pass", one_pass[i], n);
    CHECK_EQ_INT(count_ops(db, one_pass[i], "Transaction", &p2), 1);
    CHECK_EQ_INT(p2, 2);
  }
  /* Not one row, and the walk is over an index whose key the change sets. */
  CHECK(count_ops(db, "UPDATE q SET c = 'y' WHERE b = 3", "SorterInsert", NULL) >= 1);
  CHECK(count_ops(db, "UPDATE q SET c = c || 'z' WHERE c = 'c5'", "SorterInsert", NULL) >= 1);
  CHECK_EQ_INT(lode_exec(db, "UPDATE q SET a = a + 1000 WHERE a = 8", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 1);
  CHECK_EQ_INT(lode_exec(db, "UPDATE q SET c = c || '!' WHERE b = 3 AND c = 'c13'", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 1);
  CHECK_EQ_INT(lode_exec(db, "UPDATE q SET a = 1 WHERE a = 999", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 0);
  /* A conflict stops the one-row update before it writes anything. */
  CHECK(lode_exec(db, "UPDATE q SET a = 2 WHERE a = 3", NULL) != LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT a, b, c FROM q WHERE a IN (3, 1008, 13) OR c = 'c13!' ORDER BY a"),
               "3|3|c3\n13|3|c13!\n1008|8|c8\n");
  CHECK_EQ_STR(query(db, "SELECT count(*), sum(a) FROM q"), "300|46150\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

TEST(deletes_over_the_table_itself_take_one_pass_and_a_savepoint_only_if_they_can_fail) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  /* Many rows: one that can fail after the first (like() is a function)
  ** must undo the others; the rest cannot fail half-way and, as in SQLite,
  ** take no statement savepoint (p2 = 2). */
  const struct {
    const char *sql;
    int p2;
  } one_pass[] = {
      {"DELETE FROM t WHERE s > 'r5'", 2},
      {"DELETE FROM t WHERE id BETWEEN 5 AND 9", 2},
      {"DELETE FROM t WHERE id > 90 AND s LIKE 'r9%'", 1},
      {"DELETE FROM t WHERE 1", 2},
  };
  int p2 = -1;
  for (size_t i = 0; i < sizeof one_pass / sizeof *one_pass; i++) {
    int n = count_ops(db, one_pass[i].sql, "SorterInsert", NULL);
    if (n != 0) TEST_FAIL_("%s: %d SorterInsert, expected one pass", one_pass[i].sql, n);
    CHECK_EQ_INT(count_ops(db, one_pass[i].sql, "Transaction", &p2), 1);
    CHECK_EQ_INT(p2, one_pass[i].p2);
  }
  CHECK_EQ_INT(count_ops(db, "DELETE FROM t WHERE id = 3", "Transaction", &p2), 1);
  CHECK_EQ_INT(p2, 2);
  lode_close(db);
}

TEST(deletes_that_could_disturb_their_loop_collect_the_keys_first) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE log(m); CREATE TABLE d(id INTEGER PRIMARY KEY, v);"
                         "CREATE TRIGGER tr AFTER DELETE ON d BEGIN INSERT INTO log VALUES (old.id); END;"
                         "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE ch(pid REFERENCES p(id));"
                         "PRAGMA foreign_keys = ON",
                         NULL),
               LODE_OK);
  const char *two_pass[] = {
      "DELETE FROM t WHERE x IN (SELECT id FROM t)",   /* a subquery in WHERE */
      "DELETE FROM t WHERE id > 5 RETURNING id",
      "DELETE FROM d WHERE v > 0",                     /* the trigger */
      "DELETE FROM p WHERE id > 0",                    /* the foreign key */
  };
  for (size_t i = 0; i < sizeof two_pass / sizeof *two_pass; i++) {
    int n = count_ops(db, two_pass[i], "SorterInsert", NULL);
    if (n < 1) TEST_FAIL_("%s: %d SorterInsert, expected two passes", two_pass[i], n);
  }
  lode_close(db);
}

TEST(a_one_pass_delete_removes_each_matching_row_once_while_pages_empty_and_merge) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE g(id INTEGER PRIMARY KEY, n INTEGER, pad BLOB);"
                         "CREATE INDEX gn ON g(n, pad);"
                         "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20000)"
                         "  INSERT INTO g SELECT i, i % 10, zeroblob(i % 70) FROM c;",
                         NULL),
               LODE_OK);
  CHECK_EQ_INT(count_ops(db, "DELETE FROM g WHERE n <> 0", "SorterInsert", NULL), 0);
  /* Nine rows of ten go: most leaves empty or merge under the scan. */
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM g WHERE n <> 0", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 18000);
  CHECK_EQ_STR(query(db, "SELECT count(*), min(id), max(id), sum(n) FROM g"), "2000|10|20000|0\n");
  /* A rowid range that starts and ends mid-page, then everything. */
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM g WHERE id > 5005 AND id <= 15015", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 1001);
  CHECK_EQ_STR(query(db, "SELECT count(*), sum(id) FROM g WHERE id > 5000 AND id < 15020"), "0|\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM g WHERE id > 0", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 999);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM g INDEXED BY gn WHERE n >= 0"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

/* The address of the first op of the program of sql that is opcode on
** cursor p1 (-1: any cursor), or -1. */
static int op_addr(lode *db, const char *sql, const char *opcode, int p1) {
  char explain[512];
  snprintf(explain, sizeof explain, "EXPLAIN %s", sql);
  lode_stmt *st = NULL;
  if (lode_prepare(db, explain, -1, &st, NULL) != LODE_OK || !st) return -1;
  int at = -1;
  while (at < 0 && lode_step(st) == LODE_ROW) {
    const char *op = (const char *)lode_column_text(st, 1);
    if (op && strcmp(op, opcode) == 0 && (p1 < 0 || lode_column_int(st, 2) == p1)) at = lode_column_int(st, 0);
  }
  lode_finalize(st);
  return at;
}

/* The address of the OpenWrite of index name in the program of sql, or -1. */
static int open_addr(lode *db, const char *sql, const char *name) {
  char explain[512], note[128];
  snprintf(explain, sizeof explain, "EXPLAIN %s", sql);
  snprintf(note, sizeof note, "; %s", name);
  lode_stmt *st = NULL;
  if (lode_prepare(db, explain, -1, &st, NULL) != LODE_OK || !st) return -1;
  int at = -1;
  while (lode_step(st) == LODE_ROW) {
    const char *op = (const char *)lode_column_text(st, 1), *comment = (const char *)lode_column_text(st, 7);
    size_t n = comment ? strlen(comment) : 0, k = strlen(note);
    if (op && strcmp(op, "OpenWrite") == 0 && n >= k && strcmp(comment + n - k, note) == 0) at = lode_column_int(st, 0);
  }
  lode_finalize(st);
  return at;
}

/* A DELETE of at most one row (a UNIQUE or PRIMARY KEY lookup, a rowid)
** opens the indexes it only deletes entries from once the row is found, so
** that a lookup finding nothing opens none; run again and again (a prepared
** statement, rows there and gone), it deletes exactly what SQLite does from
** plain, partial and expression indexes and WITHOUT ROWID tables.  The
** counts and sums below are sqlite3's for the same statements. */
TEST(a_one_row_delete_opens_the_other_indexes_once_the_row_is_found) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE t(a INTEGER UNIQUE, b INTEGER, c TEXT);"
                         "CREATE INDEX tbc ON t(b, c);"
                         "CREATE INDEX tp ON t(c) WHERE b > 20;"
                         "CREATE INDEX te ON t(b + 1, substr(c, 2));"
                         "CREATE TABLE w(k TEXT PRIMARY KEY, v INTEGER, u INTEGER UNIQUE) WITHOUT ROWID;"
                         "CREATE INDEX wv ON w(v);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)"
                         "  INSERT INTO t SELECT i * 3, i % 37, 'c' || i FROM n;"
                         "INSERT INTO w SELECT 'k' || a, b, a FROM t;",
                         NULL),
               LODE_OK);
  /* The lookup comes first, the open of an index it does not walk after it. */
  const char *by_a = "DELETE FROM t WHERE a = ?1", *by_rowid = "DELETE FROM t WHERE rowid = ?1";
  CHECK(op_addr(db, by_a, "SeekRowid", -1) > 0);
  CHECK(open_addr(db, by_a, "tbc") > op_addr(db, by_a, "SeekRowid", -1));
  CHECK(op_addr(db, by_rowid, "SeekRowid", -1) > 0);
  CHECK(open_addr(db, by_rowid, "tbc") > op_addr(db, by_rowid, "SeekRowid", -1));
  CHECK(open_addr(db, by_rowid, "te") > op_addr(db, by_rowid, "SeekRowid", -1));
  lode_stmt *del = NULL;
  CHECK_EQ_INT(lode_prepare(db, by_a, -1, &del, NULL), LODE_OK);
  const int keys[] = {30, 31, 30, 297};
  const int changed[] = {1, 0, 0, 1};
  for (int i = 0; i < 4 && del; i++) {
    lode_bind_int(del, 1, keys[i]);
    CHECK_EQ_INT(lode_step(del), LODE_DONE);
    CHECK_EQ_INT(lode_changes(db), changed[i]);
    lode_reset(del);
  }
  lode_finalize(del);
  const char *more[] = {"DELETE FROM t WHERE rowid = 50", "DELETE FROM w WHERE k = 'k60'",
                        "DELETE FROM w WHERE k = 'k61'", "DELETE FROM w WHERE u = 90", "DELETE FROM w WHERE u = 91"};
  const int more_changed[] = {1, 1, 0, 1, 0};
  for (int i = 0; i < 5; i++) {
    CHECK_EQ_INT(lode_exec(db, more[i], NULL), LODE_OK);
    CHECK_EQ_INT(lode_changes(db), more_changed[i]);
  }
  CHECK_EQ_STR(query(db, "SELECT count(*), sum(a), sum(b), sum(length(c)) FROM t"), "97|14673|1635|283\n");
  CHECK_EQ_STR(query(db, "SELECT count(*), sum(c > 'c5') FROM t WHERE b > 20"), "37|20\n");
  CHECK_EQ_STR(query(db, "SELECT count(*), sum(b) FROM t INDEXED BY te WHERE b + 1 > 10"), "68|1500\n");
  CHECK_EQ_STR(query(db, "SELECT count(*), sum(v), sum(u) FROM w"), "98|1633|15000\n");
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM w INDEXED BY wv WHERE v >= 0"), "98\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

/* The walk's own cursor deletes the entry it is on and steps on to the next:
** every matching row goes once, with leaves emptying and merging under it. */
TEST(a_delete_walking_an_index_takes_one_pass_and_removes_each_row_once) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE g(id INTEGER PRIMARY KEY, n INTEGER, s TEXT);"
                         "CREATE INDEX gn ON g(n); CREATE INDEX gs ON g(s DESC, n);"
                         "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20000)"
                         "  INSERT INTO g SELECT i, i % 1000, printf('s%05d', i % 3000) FROM c;",
                         NULL),
               LODE_OK);
  const char *sql = "DELETE FROM g WHERE n BETWEEN 100 AND 899";
  CHECK_EQ_INT(count_ops(db, sql, "SorterInsert", NULL), 0);
  CHECK_EQ_INT(lode_exec(db, sql, NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 16000);
  CHECK_EQ_STR(query(db, "SELECT count(*), min(n), max(n) FROM g WHERE n BETWEEN 50 AND 950"), "2020|50|950\n");
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM g WHERE n = 7", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 20);
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM g WHERE s > 's01000' AND s < 's02000'", NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM g WHERE s > 's01000' AND s < 's02000'"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM g WHERE n >= 0", NULL), LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT count(*) FROM g"), "0\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

TEST(an_update_walking_an_index_it_leaves_alone_takes_one_pass) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE w(id INTEGER PRIMARY KEY, g INTEGER, v INTEGER, s TEXT,"
                         "  e INTEGER GENERATED ALWAYS AS (v * 2));"
                         "CREATE INDEX wg ON w(g); CREATE INDEX wv ON w(v); CREATE INDEX we ON w(e);"
                         "CREATE INDEX wp ON w(s) WHERE v > 0; CREATE INDEX wx ON w(g + 0);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                         "  INSERT INTO w(id, g, v, s) SELECT i, i % 7, i, 's' || i FROM n;",
                         NULL),
               LODE_OK);
  int p2 = -1;
  /* wg's entries stay: the walk over it changes rows (and wv's entries) as it goes. */
  const char *sql = "UPDATE w SET v = v + 10000, s = s || '!' WHERE g = 3";
  CHECK_EQ_INT(count_ops(db, sql, "SorterInsert", NULL), 0);
  CHECK_EQ_INT(count_ops(db, sql, "Transaction", &p2), 1);
  CHECK_EQ_INT(p2, 1);
  CHECK_EQ_INT(lode_exec(db, sql, NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 429);
  CHECK_EQ_STR(query(db, "SELECT count(*), sum(v), min(v) FROM w WHERE v > 10000"), "429|4933929|10003\n");
  /* The walked index's key is set, a generated key column reads a set column,
  ** a partial index, an expression index: the rows are collected first. */
  const char *two_pass[] = {
      "UPDATE w SET v = v + 1 WHERE v > 2990",
      "UPDATE w SET v = 0 WHERE e > 5990",
      "UPDATE w SET id = id WHERE s = 's5' AND v > 0",
      "UPDATE w SET g = 1 WHERE g + 0 = 4",
  };
  for (size_t i = 0; i < sizeof two_pass / sizeof *two_pass; i++) {
    int n = count_ops(db, two_pass[i], "SorterInsert", NULL);
    if (n < 1) TEST_FAIL_("%s: %d SorterInsert, expected two passes", two_pass[i], n);
  }
  /* The walked column itself changes: every matching row once, in two passes. */
  CHECK_EQ_INT(lode_exec(db, "UPDATE w SET v = v + 1 WHERE v > 2990", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 437);
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  lode_close(db);
}

/* A row whose new cell has the old one's size is written over it in place:
** overflow chains are swapped, WITHOUT ROWID entries on interior pages keep
** their child pointers, and a savepoint rollback brings the old bytes back. */
TEST(an_update_to_a_cell_of_the_same_size_rewrites_it_in_place) {
  lode *db = NULL;
  CHECK_EQ_INT(lode_open(":memory:", &db), LODE_OK);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "PRAGMA auto_vacuum = FULL;"
                         "CREATE TABLE big(id INTEGER PRIMARY KEY, n INTEGER, s TEXT);"
                         "CREATE TABLE wr(k TEXT PRIMARY KEY, n INTEGER, pad TEXT) WITHOUT ROWID;"
                         "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 300)"
                         "  INSERT INTO big SELECT i, i % 100, printf('%.*c', 5000, 'a') FROM c;"
                         "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 5000)"
                         "  INSERT INTO wr SELECT printf('key-%06d', i), i % 100, printf('%.*c', 20, 'p') FROM c;",
                         NULL),
               LODE_OK);
  /* Same sizes: n stays within one byte, s keeps its length (the overflow chain is replaced). */
  CHECK_EQ_INT(lode_exec(db, "UPDATE big SET n = 99 - n, s = printf('%.*c', 5000, 'b')", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 300);
  CHECK_EQ_STR(query(db, "SELECT sum(n), count(*) FROM big WHERE s = printf('%.*c', 5000, 'b')"), "14850|300\n");
  CHECK_EQ_INT(lode_exec(db, "UPDATE wr SET n = 99 - n, pad = printf('%.*c', 20, 'q')", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 5000);
  CHECK_EQ_STR(query(db, "SELECT sum(n), count(*), min(pad) = max(pad) FROM wr"), "247500|5000|1\n");
  CHECK_EQ_STR(query(db, "SELECT n, pad FROM wr WHERE k = 'key-002500'"), "99|qqqqqqqqqqqqqqqqqqqq\n");
  /* A rollback to a savepoint undoes the in-place writes. */
  CHECK_EQ_INT(lode_exec(db, "BEGIN; SAVEPOINT a;"
                             "UPDATE big SET n = 7, s = printf('%.*c', 5000, 'c');"
                             "UPDATE wr SET n = 7 WHERE k < 'key-001000';"
                             "ROLLBACK TO a; COMMIT",
                         NULL),
               LODE_OK);
  CHECK_EQ_STR(query(db, "SELECT sum(n), count(*) FROM big WHERE s = printf('%.*c', 5000, 'b')"), "14850|300\n");
  CHECK_EQ_STR(query(db, "SELECT sum(n) FROM wr"), "247500\n");
  CHECK_EQ_STR(query(db, "PRAGMA integrity_check"), "ok\n");
  CHECK_EQ_STR(query(db, "PRAGMA freelist_count"), "0\n");
  lode_close(db);
}

int main(void) {
  RUN(updates_over_the_table_itself_take_one_pass);
  RUN(updates_that_could_disturb_their_loop_collect_the_keys_first);
  RUN(a_one_pass_update_changes_every_row_once_while_rows_move_between_pages);
  RUN(a_one_row_update_by_rowid_takes_no_statement_savepoint);
  RUN(an_update_through_a_unique_lookup_takes_one_pass_and_changes_one_row);
  RUN(an_update_walking_an_index_it_leaves_alone_takes_one_pass);
  RUN(an_update_to_a_cell_of_the_same_size_rewrites_it_in_place);
  RUN(deletes_over_the_table_itself_take_one_pass_and_a_savepoint_only_if_they_can_fail);
  RUN(deletes_that_could_disturb_their_loop_collect_the_keys_first);
  RUN(a_one_pass_delete_removes_each_matching_row_once_while_pages_empty_and_merge);
  RUN(a_one_row_delete_opens_the_other_indexes_once_the_row_is_found);
  RUN(a_delete_walking_an_index_takes_one_pass_and_removes_each_row_once);
  return test_summary();
}
