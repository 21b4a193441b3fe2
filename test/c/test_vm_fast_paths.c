/*
** test_vm_fast_paths.c — the shortcuts the code generator and the VM take
** for speed give the results of the long way:
**  - BETWEEN in a WHERE is coded as two jumps on one value, and bound
**    parameters compared in a loop are read once per run (after the
**    Transaction op), yet a re-bound statement sees its new values;
**  - DELETE without WHERE empties the table and its indexes a b-tree at a
**    time (OP_Clear) and still counts its rows, but not when something must
**    see each row (a trigger, RETURNING);
**  - a row's header is parsed only as far as the columns read, and the
**    columns past a short record (ALTER TABLE ADD COLUMN) read their default;
**    the short parse of the common header shape gives what the general one
**    gives for every other shape, and a row whose header reads as the last
**    one's takes that parse;
**  - a DELETE of the one row a rowid or a whole UNIQUE key names deletes it
**    where the lookup finds it (no sorter of keys, no statement savepoint);
**  - an INSERT run again keeps the table's largest rowid from its last run
**    while no page changed, and gives SQLite's next rowid after any change:
**    another statement's, a rollback of any kind, another connection's commit;
**  - a REPLACE of a WITHOUT ROWID row by its PRIMARY KEY overwrites the entry
**    where the probe found it, with what a delete and an insert would leave;
**  - the IdxGT that ends an equality lookup right after its SeekGE takes the
**    seek's word for how the entry it landed on compares with the key;
**  - an INSERT's REPLACE on a UNIQUE index of a rowid table overwrites the
**    found entry with the new row's instead of deleting it and inserting;
**  - a row deleted below the largest rowid leaves that rowid known to the
**    next NewRowid, which still gives SQLite's next rowid;
**  - the index keys of a row that goes take its rowid from the register it
**    was sought by, not from the table cursor again.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lode.h"
#include "testlib.h"

static lode *open_mem(void) {
  lode *db = NULL;
  if (lode_open(":memory:", &db) != LODE_OK) return NULL;
  return db;
}

static int64_t scalar(lode *db, const char *sql) {
  lode_stmt *st = NULL;
  int64_t v = -1;
  if (lode_prepare(db, sql, -1, &st, NULL) != LODE_OK) return -2;
  if (lode_step(st) == LODE_ROW) v = lode_column_int64(st, 0);
  lode_finalize(st);
  return v;
}

/* How many ops of the program of sql are opcode; the address of the first in *first. */
static int count_ops(lode *db, const char *sql, const char *opcode, int *first) {
  char explain[512];
  snprintf(explain, sizeof explain, "EXPLAIN %s", sql);
  lode_stmt *st = NULL;
  if (lode_prepare(db, explain, -1, &st, NULL) != LODE_OK || !st) return -1;
  int n = 0;
  while (lode_step(st) == LODE_ROW) {
    const char *op = (const char *)lode_column_text(st, 1);
    if (op && strcmp(op, opcode) == 0) {
      if (n++ == 0 && first) *first = lode_column_int(st, 0);
    }
  }
  lode_finalize(st);
  return n;
}

/* Binds one parameter from a small spec: "i:5", "r:2.5", "t:abc", "n". */
static void bind_spec(lode_stmt *st, int i, const char *spec) {
  if (spec[0] == 'i') lode_bind_int64(st, i, atoll(spec + 2));
  else if (spec[0] == 'r') lode_bind_double(st, i, atof(spec + 2));
  else if (spec[0] == 't') lode_bind_text(st, i, spec + 2, -1, LODE_TRANSIENT);
  else lode_bind_null(st, i);
}

/* Sum of the rowids the query returns with ?1, ?2 bound (a fingerprint of the row set). */
static int64_t rowid_sum(lode_stmt *st, const char *a, const char *b) {
  int64_t sum = 0;
  lode_reset(st);
  bind_spec(st, 1, a);
  bind_spec(st, 2, b);
  while (lode_step(st) == LODE_ROW) sum = sum * 31 + lode_column_int64(st, 0);
  return sum;
}

TEST(between_with_parameters_matches_its_definition) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE t(x, y TEXT, z INTEGER);"
                         "INSERT INTO t VALUES (1,'1',1),(2,'10',2),(3,NULL,'3'),(NULL,'2',NULL),('5','5',5),"
                         "(2.5,'abc',7),(X'01','b',-4),('abc','3',10),(-7,'-7',-7),(9,'9',9)",
                         NULL),
               LODE_OK);
  static const char *cols[] = {"x", "y", "z"};
  static const char *bounds[][2] = {{"i:1", "i:3"}, {"t:1", "t:5"},   {"r:1.5", "r:9.5"}, {"n", "i:5"},
                                    {"i:2", "n"},   {"t:a", "t:zz"},  {"i:-10", "i:100"}, {"i:5", "i:1"},
                                    {"t:2", "i:9"}, {"r:2.5", "r:2.5"}};
  for (int c = 0; c < 3; c++) {
    char q[8][256];
    snprintf(q[0], sizeof q[0], "SELECT rowid FROM t WHERE %s BETWEEN ?1 AND ?2 ORDER BY rowid", cols[c]);
    snprintf(q[1], sizeof q[1], "SELECT rowid FROM t WHERE %s >= ?1 AND %s <= ?2 ORDER BY rowid", cols[c], cols[c]);
    snprintf(q[2], sizeof q[2], "SELECT rowid FROM t WHERE %s NOT BETWEEN ?1 AND ?2 ORDER BY rowid", cols[c]);
    snprintf(q[3], sizeof q[3], "SELECT rowid FROM t WHERE NOT (%s >= ?1 AND %s <= ?2) ORDER BY rowid", cols[c],
             cols[c]);
    /* jump-if-true context: an OR */
    snprintf(q[4], sizeof q[4], "SELECT rowid FROM t WHERE %s BETWEEN ?1 AND ?2 OR rowid = 4 ORDER BY rowid", cols[c]);
    snprintf(q[5], sizeof q[5], "SELECT rowid FROM t WHERE (%s >= ?1 AND %s <= ?2) OR rowid = 4 ORDER BY rowid",
             cols[c], cols[c]);
    /* ?1 on the left of a comparison, read from its run-long register */
    snprintf(q[6], sizeof q[6], "SELECT rowid FROM t WHERE ?1 < %s AND ?2 >= %s ORDER BY rowid", cols[c], cols[c]);
    snprintf(q[7], sizeof q[7], "SELECT rowid FROM t WHERE %s > ?1 AND %s <= ?2 ORDER BY rowid", cols[c], cols[c]);
    lode_stmt *st[8] = {0};
    int ok = 1;
    for (int i = 0; i < 8; i++) ok &= lode_prepare(db, q[i], -1, &st[i], NULL) == LODE_OK;
    CHECK(ok);
    /* The same prepared statements re-bound for every pair: a parameter read
    ** once per run must be read again in the next run. */
    for (size_t b = 0; ok && b < sizeof bounds / sizeof *bounds; b++) {
      for (int i = 0; i < 8; i += 2) {
        int64_t fast = rowid_sum(st[i], bounds[b][0], bounds[b][1]);
        int64_t slow = rowid_sum(st[i + 1], bounds[b][0], bounds[b][1]);
        if (fast != slow) TEST_FAIL_("%s with (%s, %s): %lld, expected %lld", q[i], bounds[b][0], bounds[b][1],
                                     (long long)fast, (long long)slow);
      }
    }
    for (int i = 0; i < 8; i++) lode_finalize(st[i]);
  }
  lode_close(db);
}

TEST(between_reads_its_parameters_once_per_run) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  lode_exec(db, "CREATE TABLE t(a, b)", NULL);
  const char *sql = "SELECT count(*) FROM t WHERE b BETWEEN ?1 AND ?2";
  int variable = -1, halt = -1, transaction = -1;
  CHECK_EQ_INT(count_ops(db, sql, "Variable", &variable), 2);
  CHECK_EQ_INT(count_ops(db, sql, "Halt", &halt), 1);
  CHECK_EQ_INT(count_ops(db, sql, "Transaction", &transaction), 1);
  CHECK(variable > transaction && transaction > halt); /* in the epilogue, not in the loop */
  CHECK_EQ_INT(count_ops(db, sql, "And", NULL), 0);   /* jumps, no boolean values */
  lode_close(db);
}

TEST(delete_without_where_clears_table_and_indexes) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE t(a INTEGER UNIQUE, b, c TEXT);"
                         "CREATE INDEX tb ON t(b); CREATE INDEX tc ON t(c) WHERE a > 10;"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                         "  INSERT INTO t SELECT i, i % 17, printf('%0200d', i) FROM n;",
                         NULL),
               LODE_OK);
  CHECK_EQ_INT(count_ops(db, "DELETE FROM t", "Clear", NULL), 4);
  CHECK_EQ_INT(count_ops(db, "DELETE FROM t", "Delete", NULL), 0);
  int64_t total = lode_total_changes(db);
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM t", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 3000);
  CHECK_EQ_INT(lode_total_changes(db) - total, 3000);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t"), 0);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t INDEXED BY tb WHERE b >= 0"), 0);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t INDEXED BY tc WHERE a > 10 AND c > ''"), 0);
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t VALUES (1, 2, 'x'), (20, 3, 'y')", NULL), LODE_OK);
  CHECK_EQ_INT(scalar(db, "SELECT rowid FROM t WHERE a = 20"), 2); /* rowids start again */
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t INDEXED BY tb WHERE b >= 0"), 2);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t INDEXED BY tc WHERE a > 10 AND c > ''"), 1);
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t VALUES (1, 0, 'dup')", NULL) & 0xff, LODE_CONSTRAINT);
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_prepare(db, "PRAGMA integrity_check", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_STR((const char *)lode_column_text(st, 0), "ok");
  lode_finalize(st);
  lode_close(db);
}

/* A file database has the MVCC interface whether or not it is in mvcc
** mode: only the mode keeps writes row by row (INSERT ... SELECT's b-tree
** copy; a DELETE's truncation removes entries one by one then). */
TEST(file_database_fast_paths_outside_mvcc_mode) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/vm_fast_paths_%d.db", (int)getpid());
  for (int mvcc = 0; mvcc < 2; mvcc++) {
    lode *db = NULL;
    char side[80];
    remove(path);
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    CHECK_EQ_INT(lode_open(path, &db), LODE_OK);
    if (mvcc) CHECK_EQ_INT(lode_exec(db, "PRAGMA journal_mode = mvcc", NULL), LODE_OK);
    CHECK_EQ_INT(lode_exec(db,
                           "CREATE TABLE s(a INTEGER PRIMARY KEY, b TEXT UNIQUE);"
                           "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT UNIQUE);"
                           "INSERT INTO s VALUES (1, 'x'), (2, 'y'), (3, 'z');",
                           NULL),
                 LODE_OK);
    CHECK_EQ_INT(count_ops(db, "INSERT INTO t SELECT * FROM s", "CopyTree", NULL), mvcc ? 0 : 2);
    CHECK_EQ_INT(count_ops(db, "DELETE FROM s", "Clear", NULL), 2);
    CHECK_EQ_INT(count_ops(db, "DELETE FROM s WHERE a % 2 = 0", "SorterInsert", NULL), 0); /* one pass */
    CHECK_EQ_INT(lode_exec(db, "INSERT INTO t SELECT * FROM s; DELETE FROM s WHERE a % 2 = 0", NULL), LODE_OK);
    CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t INDEXED BY sqlite_autoindex_t_1 WHERE b > ''"), 3);
    CHECK_EQ_INT(scalar(db, "SELECT sum(a) FROM s"), 4);
    CHECK_EQ_INT(lode_exec(db, "DELETE FROM s", NULL), LODE_OK);
    CHECK_EQ_INT(lode_changes(db), 2);
    CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM s"), 0);
    lode_close(db);
  }
  remove(path);
}

TEST(delete_without_where_visits_rows_when_something_must_see_them) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  lode_exec(db,
            "CREATE TABLE t(a, b); CREATE TABLE log(x);"
            "INSERT INTO t VALUES (1, 2), (3, 4), (5, 6);"
            "CREATE TABLE u(a); INSERT INTO u VALUES (7), (8);"
            "CREATE TRIGGER tr AFTER DELETE ON u BEGIN INSERT INTO log VALUES (old.a); END;",
            NULL);
  CHECK_EQ_INT(count_ops(db, "DELETE FROM u", "Clear", NULL), 0);
  CHECK_EQ_INT(count_ops(db, "DELETE FROM t RETURNING a", "Clear", NULL), 0);
  CHECK_EQ_INT(count_ops(db, "DELETE FROM t WHERE a > 1", "Clear", NULL), 0);
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM u", NULL), LODE_OK);
  CHECK_EQ_INT(scalar(db, "SELECT sum(x) FROM log"), 15);
  lode_stmt *st = NULL;
  int64_t sum = 0;
  CHECK_EQ_INT(lode_prepare(db, "DELETE FROM t RETURNING a", -1, &st, NULL), LODE_OK);
  while (lode_step(st) == LODE_ROW) sum += lode_column_int64(st, 0);
  lode_finalize(st);
  CHECK_EQ_INT(sum, 9);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t"), 0);
  lode_close(db);
}

TEST(columns_read_in_any_order_from_a_partly_parsed_header) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  lode_exec(db,
            "CREATE TABLE t(a, b, c, d, e);"
            "INSERT INTO t VALUES (1, 'two', 3.5, NULL, x'0405'), (-300000, 'x', 70000, 'long text', 9);"
            "ALTER TABLE t ADD COLUMN f DEFAULT 42;",
            NULL);
  CHECK_EQ_INT(scalar(db, "SELECT a FROM t WHERE rowid = 1"), 1);
  CHECK_EQ_INT(scalar(db, "SELECT length(e) + a FROM t WHERE rowid = 1"), 3);
  CHECK_EQ_INT(scalar(db, "SELECT f + a FROM t WHERE rowid = 2"), 42 - 300000);
  CHECK_EQ_INT(scalar(db, "SELECT c + a + f FROM t WHERE rowid = 2"), 70000 - 300000 + 42);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t WHERE e = 9 AND b = 'x' AND d IS NOT NULL AND c > a"), 1);
  lode_close(db);
}

/* Rows of every header shape in one scan: one-byte serial types, a long
** text whose serial type takes two header bytes (the short parse stops
** there and the general one goes on), NULLs; then the same rows through a
** sorter, and a row whose header size itself takes two bytes. */
TEST(a_scan_reads_rows_of_every_header_shape) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE t(a, b, c, d);"
                         "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 300) "
                         "INSERT INTO t SELECT i, CASE WHEN i % 3 = 0 THEN printf('%.*c', 100 + i, 'x') "
                         "ELSE 'short' END, 2 * i, CASE WHEN i % 5 = 0 THEN NULL ELSE i END FROM r",
                         NULL),
               LODE_OK);
  int64_t sum_c = 0, sum_len = 0, sum_d = 0, long_cd = 0;
  uint64_t in_order = 0, got = 0; /* fingerprints of the row order, wrapping */
  for (int i = 1; i <= 300; i++) {
    sum_c += 2 * i;
    sum_len += i % 3 == 0 ? 100 + i : 5;
    if (i % 5) sum_d += i;
    if (i % 3 == 0) long_cd += 2 * i + (i % 5 ? i : 0);
  }
  /* ORDER BY b, c: the 'short' rows by c, then the long ones (each a prefix of the next). */
  for (int pass = 0; pass < 2; pass++)
    for (int i = 1; i <= 300; i++)
      if ((i % 3 == 0) == pass) in_order = in_order * 31 + 2 * (uint64_t)i;
  CHECK_EQ_INT(scalar(db, "SELECT sum(c) FROM t"), sum_c);
  CHECK_EQ_INT(scalar(db, "SELECT sum(length(b)) FROM t"), sum_len);
  CHECK_EQ_INT(scalar(db, "SELECT sum(d) FROM t"), sum_d);
  CHECK_EQ_INT(scalar(db, "SELECT sum(c) + total(d) FROM t WHERE length(b) > 5"), long_cd);
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_prepare(db, "SELECT c, b FROM t ORDER BY b, c", -1, &st, NULL), LODE_OK);
  while (st && lode_step(st) == LODE_ROW) got = got * 31 + (uint64_t)lode_column_int64(st, 0);
  lode_finalize(st);
  CHECK(got == in_order);
  /* 150 columns: the header size takes two bytes. */
  char sql[2048];
  int n = snprintf(sql, sizeof sql, "CREATE TABLE w(c0");
  for (int k = 1; k < 150; k++) n += snprintf(sql + n, sizeof sql - (size_t)n, ", c%d", k);
  snprintf(sql + n, sizeof sql - (size_t)n, ")");
  CHECK_EQ_INT(lode_exec(db, sql, NULL), LODE_OK);
  n = snprintf(sql, sizeof sql, "INSERT INTO w VALUES (0");
  for (int k = 1; k < 150; k++) n += snprintf(sql + n, sizeof sql - (size_t)n, ", %d", k);
  snprintf(sql + n, sizeof sql - (size_t)n, ")");
  CHECK_EQ_INT(lode_exec(db, sql, NULL), LODE_OK);
  CHECK_EQ_INT(scalar(db, "SELECT c149 + c1 + c75 FROM w"), 225);
  lode_close(db);
}

/* A scan takes the previous row's parsed header when the row's header bytes
** and size read the same (headers with a long blob's serial type): rows of
** one shape with other values, rows whose
** headers differ in one late byte, overflowing rows (the general parse) in
** between, headers longer than the eight bytes compared (rows of one size
** whose last serial types differ), and an index's entries all read what they
** hold. */
TEST(rows_of_one_header_shape_share_a_parse_only_when_their_headers_match) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE t(a, b, c);"
                         "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 400) "
                         "INSERT INTO t SELECT i, CASE i % 4 WHEN 0 THEN zeroblob(5000) WHEN 2 THEN zeroblob(101) "
                         "ELSE zeroblob(100) END, CASE WHEN i % 8 = 7 THEN i * 1000 ELSE i END FROM r;"
                         "CREATE INDEX tc ON t(c, a);"
                         "CREATE TABLE w(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9);"
                         "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 300) "
                         "INSERT INTO w SELECT zeroblob(100), 7, 7, 7, 7, 7, 7, 7, 7, "
                         "CASE i % 3 WHEN 0 THEN 0 WHEN 1 THEN 1 END FROM r",
                         NULL),
               LODE_OK);
  int64_t sum_a = 0, sum_len = 0, sum_c = 0, sum_c9 = 0;
  for (int64_t i = 1; i <= 400; i++) {
    sum_a += i;
    sum_len += i % 4 == 0 ? 5000 : i % 4 == 2 ? 101 : 100;
    sum_c += i % 8 == 7 ? i * 1000 : i;
  }
  for (int64_t i = 1; i <= 300; i++) sum_c9 += i % 3 == 1;
  CHECK_EQ_INT(scalar(db, "SELECT sum(a) FROM t"), sum_a);
  CHECK_EQ_INT(scalar(db, "SELECT sum(c) FROM t"), sum_c);
  CHECK_EQ_INT(scalar(db, "SELECT sum(length(b)) FROM t"), sum_len);
  CHECK_EQ_INT(scalar(db, "SELECT sum(c) - sum(a) + sum(length(b)) FROM t"), sum_c - sum_a + sum_len);
  CHECK_EQ_INT(scalar(db, "SELECT sum(c * 2 + a) FROM t INDEXED BY tc WHERE c > 0"), 2 * sum_c + sum_a);
  CHECK_EQ_INT(scalar(db, "SELECT sum(c9) FROM w"), sum_c9);
  CHECK_EQ_INT(scalar(db, "SELECT sum(c9 + c8 + length(c0)) FROM w"), sum_c9 + 200 * 107);
  CHECK_EQ_INT(scalar(db, "SELECT count(c9) FROM w"), 200);
  lode_close(db);
}

/* The p2 of the program's Transaction op: 2 when it takes no statement savepoint. */
static int transaction_p2(lode *db, const char *sql) {
  char explain[512];
  snprintf(explain, sizeof explain, "EXPLAIN %s", sql);
  lode_stmt *st = NULL;
  int p2 = -1;
  if (lode_prepare(db, explain, -1, &st, NULL) != LODE_OK || !st) return -1;
  while (lode_step(st) == LODE_ROW)
    if (strcmp((const char *)lode_column_text(st, 1), "Transaction") == 0) p2 = lode_column_int(st, 3);
  lode_finalize(st);
  return p2;
}

TEST(a_delete_of_one_row_by_rowid_or_unique_key_takes_one_pass) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE t(a INTEGER UNIQUE, b, c TEXT, UNIQUE(b, c));"
                         "CREATE INDEX tc ON t(c);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)"
                         "  INSERT INTO t SELECT i, i % 7, 'c' || i FROM n;",
                         NULL),
               LODE_OK);
  const char *one_row[] = {"DELETE FROM t WHERE a = 5", "DELETE FROM t WHERE rowid = 6",
                           "DELETE FROM t WHERE b = 3 AND c = 'c10'"};
  for (size_t i = 0; i < sizeof one_row / sizeof *one_row; i++) {
    CHECK_EQ_INT(count_ops(db, one_row[i], "SorterInsert", NULL), 0);
    CHECK_EQ_INT(transaction_p2(db, one_row[i]), 2);
    CHECK_EQ_INT(lode_exec(db, one_row[i], NULL), LODE_OK);
    CHECK_EQ_INT(lode_changes(db), 1);
  }
  /* Several rows through an index: one pass over its walk, without a
  ** statement savepoint since nothing can fail half-way (with one when a
  ** function could); rows something must see: the keys are collected first. */
  CHECK_EQ_INT(count_ops(db, "DELETE FROM t WHERE b = 3", "SorterInsert", NULL), 0);
  CHECK_EQ_INT(transaction_p2(db, "DELETE FROM t WHERE b = 3"), 2);
  CHECK_EQ_INT(transaction_p2(db, "DELETE FROM t WHERE b = 3 AND length(c) > 2"), 1);
  CHECK_EQ_INT(count_ops(db, "DELETE FROM t WHERE c = 'c9'", "SorterInsert", NULL), 0);
  CHECK(count_ops(db, "DELETE FROM t WHERE a = 9 RETURNING b", "SorterInsert", NULL) >= 1);
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM t WHERE a = 5", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 0);
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM t WHERE a = NULL", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 0);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) * 1000 + sum(a) % 1000 FROM t"), 397 * 1000 + (80200 - 5 - 6 - 10) % 1000);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t INDEXED BY tc WHERE c > ''"), 397);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t WHERE a IN (5, 6, 10) OR c IN ('c5', 'c6', 'c10')"), 0);
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_prepare(db, "PRAGMA integrity_check", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_STR((const char *)lode_column_text(st, 0), "ok");
  lode_finalize(st);
  lode_close(db);
}

/* One run of the kept INSERT: the rowid it gave (or -1 when it failed). */
static int64_t insert_run(lode *db, lode_stmt *ins, const char *x) {
  lode_bind_text(ins, 1, x, -1, LODE_STATIC);
  int rc = lode_step(ins);
  lode_reset(ins);
  return rc == LODE_DONE ? lode_last_insert_rowid(db) : -1;
}

TEST(new_rowid_kept_between_runs_follows_every_change) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/vm_fast_paths_rowid_%d.db", (int)getpid());
  for (int file = 0; file < 2; file++) {
    lode *db = NULL, *other = NULL;
    lode_stmt *ins = NULL;
    char side[80];
    remove(path);
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    CHECK_EQ_INT(lode_open(file ? path : ":memory:", &db), LODE_OK);
    CHECK_EQ_INT(lode_exec(db,
                           "CREATE TABLE t(x TEXT);"
                           "CREATE TRIGGER boom AFTER INSERT ON t WHEN new.x = 'boom' "
                           "BEGIN SELECT RAISE(ABORT, 'boom'); END;",
                           NULL),
                 LODE_OK);
    CHECK_EQ_INT(lode_prepare(db, "INSERT INTO t(x) VALUES (?1)", -1, &ins, NULL), LODE_OK);
    CHECK_EQ_INT(insert_run(db, ins, "a"), 1);
    CHECK_EQ_INT(insert_run(db, ins, "b"), 2);
    CHECK_EQ_INT(insert_run(db, ins, "c"), 3);
    /* Another statement's rows, larger and then gone again. */
    CHECK_EQ_INT(lode_exec(db, "INSERT INTO t(rowid, x) VALUES (10, 'ten')", NULL), LODE_OK);
    CHECK_EQ_INT(insert_run(db, ins, "d"), 11);
    CHECK_EQ_INT(lode_exec(db, "DELETE FROM t WHERE rowid >= 10", NULL), LODE_OK);
    CHECK_EQ_INT(insert_run(db, ins, "e"), 4);
    /* A rolled back transaction, a savepoint rolled back to, a statement undone by its trigger. */
    CHECK_EQ_INT(lode_exec(db, "BEGIN", NULL), LODE_OK);
    CHECK_EQ_INT(insert_run(db, ins, "f"), 5);
    CHECK_EQ_INT(insert_run(db, ins, "g"), 6);
    CHECK_EQ_INT(lode_exec(db, "ROLLBACK", NULL), LODE_OK);
    CHECK_EQ_INT(insert_run(db, ins, "h"), 5);
    CHECK_EQ_INT(lode_exec(db, "SAVEPOINT s", NULL), LODE_OK);
    CHECK_EQ_INT(insert_run(db, ins, "i"), 6);
    CHECK_EQ_INT(lode_exec(db, "ROLLBACK TO s; RELEASE s", NULL), LODE_OK);
    CHECK_EQ_INT(insert_run(db, ins, "j"), 6);
    CHECK_EQ_INT(insert_run(db, ins, "boom"), -1);
    CHECK_EQ_INT(insert_run(db, ins, "k"), 7);
    CHECK_EQ_INT(lode_exec(db, "BEGIN", NULL), LODE_OK);
    CHECK_EQ_INT(insert_run(db, ins, "l"), 8);
    CHECK_EQ_INT(insert_run(db, ins, "boom"), -1);
    CHECK_EQ_INT(insert_run(db, ins, "m"), 9);
    CHECK_EQ_INT(lode_exec(db, "COMMIT", NULL), LODE_OK);
    if (file) {
      /* Another connection's commit: its rows are seen by the next run. */
      CHECK_EQ_INT(lode_open(path, &other), LODE_OK);
      CHECK_EQ_INT(lode_exec(other, "INSERT INTO t(rowid, x) VALUES (100, 'hundred')", NULL), LODE_OK);
      CHECK_EQ_INT(insert_run(db, ins, "n"), 101);
      CHECK_EQ_INT(lode_exec(other, "DELETE FROM t WHERE rowid > 9", NULL), LODE_OK);
      CHECK_EQ_INT(insert_run(db, ins, "o"), 10);
      lode_close(other);
    }
    CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t"), file ? 10 : 9);
    CHECK_EQ_INT(scalar(db, "SELECT max(rowid) FROM t"), file ? 10 : 9);
    lode_finalize(ins);
    lode_close(db);
  }
  remove(path);
}

/* The first column of sql's first row as a malloc'd string ("" for none). */
static char *text_of(lode *db, const char *sql) {
  lode_stmt *st = NULL;
  char *out = NULL;
  if (lode_prepare(db, sql, -1, &st, NULL) == LODE_OK && lode_step(st) == LODE_ROW) {
    const char *z = (const char *)lode_column_text(st, 0);
    out = strdup(z ? z : "");
  }
  lode_finalize(st);
  return out ? out : strdup("");
}

TEST(replace_by_primary_key_overwrites_in_place) {
  lode *db = open_mem();
  CHECK(db != NULL);
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE w(a TEXT COLLATE NOCASE, n, b, c, u UNIQUE, PRIMARY KEY(a, n DESC)) WITHOUT ROWID;"
                         "CREATE INDEX wb ON w(b);"
                         "CREATE TABLE v(a TEXT PRIMARY KEY, b) WITHOUT ROWID;"
                         "CREATE TABLE r(a TEXT COLLATE NOCASE, n, b, c, u UNIQUE, PRIMARY KEY(a, n DESC));"
                         "CREATE TABLE r2(a TEXT PRIMARY KEY, b);",
                         NULL),
               LODE_OK);
  lode_stmt *w = NULL, *v = NULL, *r = NULL, *r2 = NULL;
  CHECK_EQ_INT(lode_prepare(db, "REPLACE INTO w VALUES (?1, ?5, ?2, ?3, ?4)", -1, &w, NULL), LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, "REPLACE INTO v VALUES (?1, ?2)", -1, &v, NULL), LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, "REPLACE INTO r VALUES (?1, ?5, ?2, ?3, ?4)", -1, &r, NULL), LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, "REPLACE INTO r2 VALUES (?1, ?2)", -1, &r2, NULL), LODE_OK);
  CHECK_EQ_INT(count_ops(db, "REPLACE INTO v VALUES (?1, ?2)", "IdxDelete", NULL), 0);
  lode_exec(db, "BEGIN", NULL);
  unsigned seed = 7;
  static char blob[3000];
  for (int i = 0; i < 6000; i++) {
    seed = seed * 1103515245u + 12345u;
    char key[32];
    /* Keys long enough that some sit on interior pages; values of every size, some on overflow pages. */
    snprintf(key, sizeof key, "%s-%05u-%s", (seed >> 5) % 3 ? "key" : "KEY", (seed >> 8) % 1500,
             (seed & 1) ? "long-long-long" : "s");
    int len = (int)((seed >> 4) % 7 == 0 ? (seed >> 12) % 3000 : (seed >> 12) % 40);
    memset(blob, 'a' + (int)(seed % 26), (size_t)len);
    lode_stmt *sts[4] = {w, v, r, r2};
    for (int k = 0; k < 4; k++) {
      lode_bind_text(sts[k], 1, key, -1, LODE_TRANSIENT);
      lode_bind_int64(sts[k], 2, (int64_t)(seed % 97));
      if (k == 0 || k == 2) {
        lode_bind_blob(sts[k], 3, blob, len, LODE_TRANSIENT);
        /* A second UNIQUE key makes some REPLACEs remove another row as well. */
        lode_bind_int64(sts[k], 4, (int64_t)((seed >> 3) % 4000));
        lode_bind_int64(sts[k], 5, (int64_t)((seed >> 20) % 3));
      } else {
        lode_bind_blob(sts[k], 2, blob, len, LODE_TRANSIENT);
      }
      CHECK_EQ_INT(lode_step(sts[k]), LODE_DONE);
      lode_reset(sts[k]);
    }
  }
  lode_exec(db, "COMMIT", NULL);
  char *a = text_of(db, "SELECT count(*) || ':' || sum(length(c)) || ':' || group_concat(a || n || b || hex(c) || u) FROM "
                        "(SELECT * FROM w ORDER BY a, n)");
  char *b = text_of(db, "SELECT count(*) || ':' || sum(length(c)) || ':' || group_concat(a || n || b || hex(c) || u) FROM "
                        "(SELECT * FROM r ORDER BY a, n)");
  char *c = text_of(db, "SELECT count(*) || ':' || sum(length(b)) || ':' || group_concat(a || hex(b)) FROM "
                        "(SELECT * FROM v ORDER BY a)");
  char *d = text_of(db, "SELECT count(*) || ':' || sum(length(b)) || ':' || group_concat(a || hex(b)) FROM "
                        "(SELECT * FROM r2 ORDER BY a)");
  CHECK(strlen(a) > 1000);
  CHECK(strlen(c) > 1000);
  CHECK(strcmp(a, b) == 0); /* not CHECK_EQ_STR: the texts are long */
  CHECK(strcmp(c, d) == 0);
  free(a), free(b), free(c), free(d);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM w INDEXED BY wb WHERE b >= 0"), scalar(db, "SELECT count(*) FROM r"));
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM w WHERE u >= 0"), scalar(db, "SELECT count(*) FROM r"));
  CHECK_EQ_INT(lode_exec(db, "REPLACE INTO v VALUES ('key-00001-s', 5)", NULL), LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 1);
  char *ic = text_of(db, "PRAGMA integrity_check");
  CHECK_EQ_STR(ic, "ok");
  free(ic);
  lode_finalize(w), lode_finalize(v), lode_finalize(r), lode_finalize(r2);
  lode_close(db);
}

/* Equality lookups through indexes of every key shape (integers of each
** width, texts sharing long prefixes, DESC and NOCASE columns, two-column
** keys, NULLs, duplicates) give what a scan gives, for keys present, absent,
** below and above every entry. */
TEST(equality_lookups_through_an_index_match_a_scan) {
  lode *db = open_mem();
  CHECK(db != NULL);
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE t(a INTEGER, b TEXT, c);"
                         "CREATE INDEX ta ON t(a); CREATE INDEX tb ON t(b); CREATE INDEX tab ON t(a DESC, b);"
                         "CREATE INDEX tn ON t(b COLLATE NOCASE, a);",
                         NULL),
               LODE_OK);
  lode_stmt *ins = NULL;
  CHECK_EQ_INT(lode_prepare(db, "INSERT INTO t VALUES (?1, ?2, ?3)", -1, &ins, NULL), LODE_OK);
  lode_exec(db, "BEGIN", NULL);
  unsigned seed = 11;
  for (int i = 0; i < 4000; i++) {
    seed = seed * 1103515245u + 12345u;
    int64_t a = (int64_t)((seed >> 6) % 700) * ((seed & 3) == 0 ? 1000003 : 3);
    char b[64];
    snprintf(b, sizeof b, "%s prefix shared by many %u", (seed >> 3) % 2 ? "A long" : "a long", (seed >> 9) % 500);
    if ((seed >> 20) % 50 == 0) lode_bind_null(ins, 1);
    else lode_bind_int64(ins, 1, (seed >> 24) % 9 == 0 ? -a : a);
    if ((seed >> 21) % 60 == 0) lode_bind_null(ins, 2);
    else lode_bind_text(ins, 2, b, -1, LODE_TRANSIENT);
    lode_bind_int(ins, 3, i);
    CHECK_EQ_INT(lode_step(ins), LODE_DONE);
    lode_reset(ins);
  }
  lode_exec(db, "COMMIT", NULL);
  lode_finalize(ins);
  static const char *const pairs[][2] = {
      {"SELECT count(*), total(c) FROM t INDEXED BY ta WHERE a = ?1",
       "SELECT count(*), total(c) FROM t NOT INDEXED WHERE a = ?1"},
      {"SELECT count(*), total(c) FROM t INDEXED BY tb WHERE b = ?2",
       "SELECT count(*), total(c) FROM t NOT INDEXED WHERE b = ?2"},
      {"SELECT count(*), total(c) FROM t INDEXED BY tab WHERE a = ?1 AND b = ?2",
       "SELECT count(*), total(c) FROM t NOT INDEXED WHERE a = ?1 AND b = ?2"},
      {"SELECT count(*), total(c) FROM t INDEXED BY tn WHERE b = ?2 COLLATE NOCASE AND a = ?1",
       "SELECT count(*), total(c) FROM t NOT INDEXED WHERE b = ?2 COLLATE NOCASE AND a = ?1"},
      {"SELECT count(*), total(c) FROM t INDEXED BY tn WHERE b = ?2 COLLATE NOCASE",
       "SELECT count(*), total(c) FROM t NOT INDEXED WHERE b = ?2 COLLATE NOCASE"},
  };
  for (size_t q = 0; q < sizeof pairs / sizeof pairs[0]; q++)
    CHECK(count_ops(db, pairs[q][0], "IdxGT", NULL) >= 1);
  int hits = 0;
  for (int k = 0; k < 3000; k++) {
    seed = seed * 1103515245u + 12345u;
    int64_t a = k < 10 ? (int64_t[]){INT64_MIN, -1, 0, 1, 2, 3, 699 * 1000003, INT64_MAX, 2100, 2101}[k]
                       : (int64_t)((seed >> 6) % 720) * ((seed & 3) == 0 ? 1000003 : 3) + ((seed >> 30) == 0);
    char b[64];
    snprintf(b, sizeof b, "%s prefix shared by many %u", (seed >> 3) % 3 == 0 ? "A long" : "a long",
             (seed >> 9) % 520);
    for (size_t q = 0; q < sizeof pairs / sizeof pairs[0]; q++) {
      int64_t n[2];
      double sum[2];
      for (int side = 0; side < 2; side++) {
        lode_stmt *st = NULL;
        CHECK_EQ_INT(lode_prepare(db, pairs[q][side], -1, &st, NULL), LODE_OK);
        lode_bind_int64(st, 1, a);
        lode_bind_text(st, 2, k % 97 == 0 ? "" : b, -1, LODE_TRANSIENT);
        CHECK_EQ_INT(lode_step(st), LODE_ROW);
        n[side] = lode_column_int64(st, 0);
        sum[side] = lode_column_double(st, 1);
        lode_finalize(st);
      }
      CHECK_EQ_INT(n[0], n[1]);
      CHECK(sum[0] == sum[1]);
      hits += n[0] > 0;
    }
  }
  CHECK(hits > 1000); /* most keys exist, enough do not */
  CHECK(hits < 3000 * 5 - 1000);
  lode_close(db);
}

/* REPLACE into rowid tables whose UNIQUE indexes (DESC, partial, on an
** expression, two of them meeting different rows) keep the entry they find
** for the insert to overwrite, against the same statements on a twin table
** whose DELETE trigger (with recursive triggers on) makes every REPLACE
** delete and insert: the same rows, and a sound file. */
TEST(replace_on_a_unique_index_overwrites_its_entry) {
  lode *db = open_mem();
  CHECK(db != NULL);
  const char *schema = "CREATE TABLE %s(a INTEGER, b TEXT, c, d);"
                       "CREATE UNIQUE INDEX %s_a ON %s(a DESC);"
                       "CREATE UNIQUE INDEX %s_b ON %s(b) WHERE b > 'k';"
                       "CREATE UNIQUE INDEX %s_e ON %s(lower(b), c);"
                       "CREATE INDEX %s_d ON %s(d);";
  char sql[600];
  const char *names[2] = {"f", "s"};
  for (int k = 0; k < 2; k++) {
    const char *n = names[k];
    snprintf(sql, sizeof sql, schema, n, n, n, n, n, n, n, n, n);
    CHECK_EQ_INT(lode_exec(db, sql, NULL), LODE_OK);
  }
  CHECK_EQ_INT(lode_exec(db, "PRAGMA recursive_triggers = 1; CREATE TABLE log(n);"
                             "CREATE TRIGGER s_gone AFTER DELETE ON s BEGIN SELECT 1; END;",
                         NULL),
               LODE_OK);
  CHECK_EQ_INT(count_ops(db, "REPLACE INTO f VALUES (1, 'x', 2, 3)", "Delete", NULL) >= 3, 1);
  lode_stmt *st[2] = {NULL, NULL};
  CHECK_EQ_INT(lode_prepare(db, "REPLACE INTO f VALUES (?1, ?2, ?3, ?4)", -1, &st[0], NULL), LODE_OK);
  CHECK_EQ_INT(lode_prepare(db, "REPLACE INTO s VALUES (?1, ?2, ?3, ?4)", -1, &st[1], NULL), LODE_OK);
  unsigned seed = 5;
  lode_exec(db, "BEGIN", NULL);
  for (int i = 0; i < 8000; i++) {
    seed = seed * 1103515245u + 12345u;
    char b[48];
    snprintf(b, sizeof b, "%c%s%u", "aKkz"[(seed >> 3) % 4], (seed >> 5) % 2 ? "-some-longer-text-" : "",
             (seed >> 7) % 300);
    for (int k = 0; k < 2; k++) {
      if ((seed >> 17) % 13 == 0) lode_bind_null(st[k], 1);
      else lode_bind_int64(st[k], 1, (int64_t)((seed >> 11) % 900) * ((seed >> 21) % 5 == 0 ? 100003 : 1));
      lode_bind_text(st[k], 2, b, -1, LODE_TRANSIENT);
      lode_bind_int64(st[k], 3, (int64_t)((seed >> 23) % 4));
      lode_bind_int(st[k], 4, i);
      CHECK_EQ_INT(lode_step(st[k]), LODE_DONE);
      lode_reset(st[k]);
    }
  }
  lode_exec(db, "COMMIT", NULL);
  lode_finalize(st[0]), lode_finalize(st[1]);
  const char *sum = "SELECT count(*) || ':' || group_concat(rowid || a || b || c || d) FROM (SELECT rowid, * FROM %s "
                    "ORDER BY rowid)";
  char q[300];
  snprintf(q, sizeof q, sum, "f");
  char *a = text_of(db, q);
  snprintf(q, sizeof q, sum, "s");
  char *b = text_of(db, q);
  CHECK(strlen(a) > 2000);
  CHECK(strcmp(a, b) == 0);
  free(a), free(b);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM f INDEXED BY f_d WHERE d >= 0"), scalar(db, "SELECT count(*) FROM s"));
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM f INDEXED BY f_e WHERE lower(b) > ''"), scalar(db, "SELECT count(*) FROM s"));
  char *ic = text_of(db, "PRAGMA integrity_check");
  CHECK_EQ_STR(ic, "ok");
  free(ic);
  lode_close(db);
}

/* A REPLACE that deletes rows below the table's largest rowid keeps that
** rowid known for the next row's NewRowid, but not one already stale (a
** trigger's insert before the delete).  Rowids, rows and index entries are
** sqlite3's for the same statements (its output below). */
TEST(replace_deleting_rows_below_the_largest_rowid_takes_sqlites_next_rowids) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE r(a INTEGER UNIQUE, b TEXT, c INTEGER);"
                         "CREATE INDEX rb ON r(b);"
                         "CREATE UNIQUE INDEX rc ON r(c) WHERE c > 0;"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)"
                         "  INSERT INTO r SELECT i, 'b' || (i % 17), i FROM n;"
                         "CREATE TABLE s(a, b, c);"
                         "INSERT INTO s VALUES (200, 'x', -1), (5, 'y', 7), (201, 'z', 200), (7, 'w', 0),"
                         "  (150, 'v', 3), (202, 'u', 202);"
                         "REPLACE INTO r(a, b, c) SELECT a, b, c FROM s;",
                         NULL),
               LODE_OK);
  CHECK_EQ_INT(lode_changes(db), 6);
  CHECK_EQ_INT(lode_last_insert_rowid(db), 206);
  char *t = text_of(db, "SELECT group_concat(rowid || ':' || a || ':' || b || ':' || c, ' ') FROM"
                        " (SELECT rowid, * FROM r WHERE rowid > 195 OR a IN (3, 5, 7, 150) ORDER BY rowid)");
  CHECK_EQ_STR(t, "196:196:b9:196 197:197:b10:197 198:198:b11:198 199:199:b12:199 201:200:x:-1 202:5:y:7"
                  " 203:201:z:200 204:7:w:0 205:150:v:3 206:202:u:202");
  free(t);
  CHECK_EQ_INT(lode_exec(db, "DELETE FROM r WHERE rowid > 205; REPLACE INTO r(a, b, c) SELECT a + 1, b, c FROM s",
                         NULL),
               LODE_OK);
  t = text_of(db, "SELECT group_concat(rowid || ':' || a || ':' || c, ' ') FROM"
                  " (SELECT rowid, * FROM r WHERE rowid > 195 ORDER BY rowid)");
  CHECK_EQ_STR(t, "196:196:196 197:197:197 198:198:198 199:199:199 201:200:-1 204:7:0 206:201:-1 207:6:7"
                  " 208:202:200 209:8:0 210:151:3 211:203:202");
  free(t);
  t = text_of(db, "SELECT count(*) || '|' || sum(rowid) || '|' || sum(a) || '|' || sum(c) FROM r");
  CHECK_EQ_STR(t, "200|21226|20548|19980");
  free(t);
  /* A trigger's insert before the delete (another cursor's write): the
  ** rowid the REPLACE's cursor knew is stale, and its delete keeps it so. */
  CHECK_EQ_INT(lode_exec(db,
                         "PRAGMA recursive_triggers = 1;"
                         "CREATE TABLE q(a INTEGER UNIQUE, b TEXT);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)"
                         "  INSERT INTO q SELECT i, 'b' || i FROM n;"
                         "CREATE TRIGGER qd BEFORE DELETE ON q WHEN old.a % 10 = 0 BEGIN"
                         "  INSERT INTO q(rowid, a, b) VALUES (old.rowid + 1000, -old.a, 'added');"
                         "END;"
                         "REPLACE INTO q(a, b) VALUES (10, 'x'), (11, 'y'), (12, 'z');"
                         "REPLACE INTO q(a, b) SELECT a, 'r' || a FROM q WHERE a BETWEEN 18 AND 22 ORDER BY a;",
                         NULL),
               LODE_OK);
  t = text_of(db, "SELECT group_concat(rowid || ':' || a || ':' || b, ' ') FROM"
                  " (SELECT rowid, * FROM q WHERE rowid > 50 OR a < 0 ORDER BY rowid)");
  CHECK_EQ_STR(t, "51:10:x 1010:-10:added 1011:11:y 1012:12:z 1013:18:r18 1014:19:r19 1015:20:r20 1020:-20:added"
                  " 1021:21:r21 1022:22:r22");
  free(t);
  t = text_of(db, "PRAGMA integrity_check");
  CHECK_EQ_STR(t, "ok");
  free(t);
  lode_close(db);
}

/* The index entries of a row that goes (DELETE one row, a range, a walk
** with a trigger, an UPDATE moving it, a REPLACE of it by its rowid or a
** UNIQUE key, a foreign key's cascade) are found with its rowid copied from
** the register the row was sought by, among them indexes holding the
** rowid's column mid-key and a partial expression index.  Counts, sums and
** the index walks are sqlite3's for the same statements. */
TEST(entries_of_rows_that_go_are_found_by_the_rowid_they_were_sought_by) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "PRAGMA foreign_keys = 1;"
                         "PRAGMA recursive_triggers = 1;"
                         "CREATE TABLE p(id INTEGER PRIMARY KEY, u INTEGER UNIQUE, b TEXT);"
                         "CREATE INDEX pbid ON p(b, id);"
                         "CREATE INDEX pe ON p(u % 7, id) WHERE b > 'b3';"
                         "CREATE TABLE c(id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p(u) ON DELETE CASCADE, v);"
                         "CREATE INDEX cp ON c(pid, id);"
                         "CREATE INDEX cv ON c(v);"
                         "CREATE TABLE log(x);"
                         "CREATE TRIGGER pdel AFTER DELETE ON p WHEN old.u % 50 = 0 BEGIN"
                         "  INSERT INTO log VALUES (old.id);"
                         "END;"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)"
                         "  INSERT INTO p SELECT i, i * 2, 'b' || (i % 9) FROM n;"
                         "INSERT INTO c SELECT id + 1000, u, b FROM p WHERE id % 3 = 0;"
                         "DELETE FROM p WHERE id BETWEEN 10 AND 40;"
                         "DELETE FROM p WHERE u = 100;"
                         "DELETE FROM p WHERE b = 'b4' AND id > 200;"
                         "UPDATE p SET id = id + 1000, b = b || 'x' WHERE id % 11 = 0;"
                         "UPDATE p SET u = u + 1 WHERE id BETWEEN 100 AND 120 AND id % 3 <> 0;"
                         "REPLACE INTO p(id, u, b) VALUES (5, 1000, 'r1'), (7, 900, 'r2'), (2000, 502, 'r3');"
                         "REPLACE INTO p(u, b) SELECT u, 'r' || id FROM p WHERE id BETWEEN 150 AND 170;",
                         NULL),
               LODE_OK);
  const char *q[] = {"SELECT count(*) || '|' || sum(id) || '|' || sum(u) || '|' || count(DISTINCT b) || '|' ||"
                     " sum(length(b)) FROM p",
                     "SELECT count(*) || '|' || sum(id) || '|' || sum(pid) FROM c",
                     "SELECT count(*) || '|' || sum(x) FROM log",
                     "SELECT count(*) FROM p INDEXED BY pbid WHERE b > ''",
                     "SELECT count(*) FROM p INDEXED BY pe WHERE u % 7 >= 0 AND b > 'b3'",
                     "SELECT count(*) FROM c INDEXED BY cp WHERE pid > 0",
                     "PRAGMA integrity_check"};
  const char *want[] = {"257|101506|85105|40|575", "84|97947|27894", "3|225", "257", "146", "84", "ok"};
  for (int i = 0; i < 7; i++) {
    char *t = text_of(db, q[i]);
    CHECK_EQ_STR(t, want[i]);
    free(t);
  }
  lode_close(db);
}

/* A key for the sort model: bytes, their count, the row's id. */
typedef struct SortKey {
  unsigned char b[40];
  int n, id;
} SortKey;
static int sort_fold, sort_desc, sort_tie_desc;

static int sort_key_cmp(const void *pa, const void *pb) {
  const SortKey *a = pa, *b = pb;
  int m = a->n < b->n ? a->n : b->n, c = 0;
  for (int i = 0; i < m && !c; i++) {
    int x = a->b[i], y = b->b[i];
    if (sort_fold && x >= 'A' && x <= 'Z') x += 'a' - 'A';
    if (sort_fold && y >= 'A' && y <= 'Z') y += 'a' - 'A';
    c = x - y;
  }
  if (!c) c = a->n - b->n;
  if (sort_desc) c = -c;
  if (c) return c;
  return sort_tie_desc ? b->id - a->id : a->id - b->id; /* stable: ties keep scan (rowid) order */
}

/* The ids of sql's rows, comma-separated. */
static char *ids_of(lode *db, const char *sql) {
  lode_stmt *st = NULL;
  size_t cap = 1 << 16, len = 0;
  char *out = calloc(cap, 1);
  if (lode_prepare(db, sql, -1, &st, NULL) != LODE_OK) return out;
  while (lode_step(st) == LODE_ROW && len + 16 < cap) len += (size_t)sprintf(out + len, "%d,", lode_column_int(st, 0));
  lode_finalize(st);
  return out;
}

/* ORDER BY and CREATE INDEX over texts and blobs of every length around the
** bytes a sort element carries of a key (8 and 16), sharing long prefixes,
** with zero bytes and case differences, ascending, descending and under
** NOCASE, give the order of a bytewise comparison (stable on ties). */
TEST(sorting_texts_and_blobs_around_the_sort_prefix_lengths) {
  lode *db = open_mem();
  CHECK(db != NULL);
  CHECK_EQ_INT(lode_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT, y BLOB)", NULL), LODE_OK);
  enum { N = 3000 };
  static SortKey keys[N];
  static const char *const stems[] = {"", "abcdefgh", "abcdefghABCDEFGH", "abcdefghabcdefgh", "abcdefg"};
  lode_stmt *ins = NULL;
  CHECK_EQ_INT(lode_prepare(db, "INSERT INTO t VALUES (?1, ?2, ?3)", -1, &ins, NULL), LODE_OK);
  lode_exec(db, "BEGIN", NULL);
  unsigned seed = 7;
  for (int i = 0; i < N; i++) {
    SortKey *k = &keys[i];
    seed = seed * 1103515245u + 12345u;
    const char *stem = stems[(seed >> 4) % 5];
    int tail = (int)((seed >> 8) % 12);
    k->id = i + 1;
    k->n = (int)strlen(stem);
    memcpy(k->b, stem, (size_t)k->n);
    for (int j = 0; j < tail; j++) {
      seed = seed * 1103515245u + 12345u;
      k->b[k->n++] = (unsigned char)"aAbB\0z"[(seed >> 16) % 6];
    }
    lode_bind_int(ins, 1, k->id);
    lode_bind_text(ins, 2, (const char *)k->b, k->n, LODE_TRANSIENT);
    lode_bind_blob(ins, 3, k->b, k->n, LODE_TRANSIENT);
    CHECK_EQ_INT(lode_step(ins), LODE_DONE);
    lode_reset(ins);
  }
  lode_exec(db, "COMMIT", NULL);
  lode_finalize(ins);
  CHECK_EQ_INT(lode_exec(db, "CREATE INDEX tx ON t(x); CREATE INDEX txd ON t(x DESC); "
                             "CREATE INDEX txn ON t(x COLLATE NOCASE); CREATE INDEX ty ON t(y)",
                         NULL),
               LODE_OK);
  static const struct {
    const char *sql;
    int fold, desc, tie_desc;
  } cases[] = {
      {"SELECT id FROM t NOT INDEXED ORDER BY x, id DESC", 0, 0, 1},
      {"SELECT id FROM t NOT INDEXED ORDER BY y DESC, id DESC", 0, 1, 1},
      {"SELECT id FROM t NOT INDEXED WHERE instr(x, char(0)) = 0 ORDER BY x COLLATE NOCASE DESC, id DESC", 1, 1, 1},
      {"SELECT id FROM t NOT INDEXED ORDER BY x", 0, 0, 0},
      {"SELECT id FROM t NOT INDEXED ORDER BY x DESC", 0, 1, 0},
      {"SELECT id FROM t NOT INDEXED WHERE instr(x, char(0)) = 0 ORDER BY x COLLATE NOCASE", 1, 0, 0},
      {"SELECT id FROM t NOT INDEXED ORDER BY y", 0, 0, 0},
      {"SELECT id FROM t INDEXED BY tx ORDER BY x", 0, 0, 0},
      {"SELECT id FROM t INDEXED BY txd ORDER BY x DESC", 0, 1, 0},
      {"SELECT id FROM t INDEXED BY txn WHERE instr(x, char(0)) = 0 ORDER BY x COLLATE NOCASE", 1, 0, 0},
      {"SELECT id FROM t INDEXED BY ty ORDER BY y", 0, 0, 0},
  };
  for (size_t q = 0; q < sizeof cases / sizeof cases[0]; q++) {
    static SortKey sorted[N];
    int m = 0;
    /* NOCASE orders texts only up to a zero byte in SQLite: those are left out of its cases. */
    for (int i = 0; i < N; i++)
      if (!cases[q].fold || !memchr(keys[i].b, 0, (size_t)keys[i].n)) sorted[m++] = keys[i];
    sort_fold = cases[q].fold;
    sort_desc = cases[q].desc;
    sort_tie_desc = cases[q].tie_desc;
    qsort(sorted, (size_t)m, sizeof sorted[0], sort_key_cmp);
    char *want = calloc(1 << 16, 1), *got = ids_of(db, cases[q].sql);
    size_t len = 0;
    for (int i = 0; i < m; i++) len += (size_t)sprintf(want + len, "%d,", sorted[i].id);
    CHECK(strlen(got) > 5000);
    if (strcmp(want, got) != 0) fprintf(stderr, "  order differs: %s\n", cases[q].sql);
    CHECK(strcmp(want, got) == 0);
    free(want), free(got);
  }
  char *ic = text_of(db, "PRAGMA integrity_check");
  CHECK_EQ_STR(ic, "ok");
  free(ic);
  lode_close(db);
}

/* Records of every field kind and size around where MakeRecord changes its
** way (a serial type of one byte or more: texts and blobs of 57 and 58
** bytes; 31 and 32 fields; records near 512 bytes) read back as written,
** from tables of 1 to 33 columns and from an index on each. */
TEST(records_around_the_short_record_limits_read_back_as_written) {
  lode *db = open_mem();
  CHECK(db != NULL);
  static const int sizes[] = {0, 1, 56, 57, 58, 59, 200, 480, 490, 500, 505, 510, 511, 512, 600};
  static const int64_t ints[] = {0, 1, 2, -1, 127, -128, 128, 32767, -32769, 8388607, -8388609, 2147483647,
                                 -2147483649LL, 140737488355327LL, -140737488355329LL, INT64_MAX, INT64_MIN};
  char text[700], sql[2048];
  for (int i = 0; i < (int)sizeof text; i++) text[i] = (char)('a' + i % 26);
  unsigned seed = 3;
  int checked = 0;
  for (int nf = 1; nf <= 33; nf++) {
    size_t len = (size_t)sprintf(sql, "CREATE TABLE r%d(id INTEGER PRIMARY KEY", nf);
    for (int c = 0; c < nf; c++) len += (size_t)sprintf(sql + len, ", c%d", c);
    len += (size_t)sprintf(sql + len, "); CREATE INDEX r%d_i ON r%d(", nf, nf);
    for (int c = 0; c < nf; c++) len += (size_t)sprintf(sql + len, "%sc%d", c ? ", " : "", c);
    sprintf(sql + len, ")");
    CHECK_EQ_INT(lode_exec(db, sql, NULL), LODE_OK);
    lode_stmt *st[2] = {NULL, NULL};
    len = (size_t)sprintf(sql, "INSERT INTO r%d VALUES (?1", nf);
    for (int c = 0; c < nf; c++) len += (size_t)sprintf(sql + len, ", ?%d", c + 2);
    sprintf(sql + len, ")");
    CHECK_EQ_INT(lode_prepare(db, sql, -1, &st[0], NULL), LODE_OK);
    /* The row read back, from the table and from the index, against the
    ** values bound to the insert, bound again. */
    len = (size_t)sprintf(sql, "SELECT (SELECT 1");
    for (int c = 0; c < nf; c++) len += (size_t)sprintf(sql + len, " AND c%d IS ?%d", c, c + 2);
    len += (size_t)sprintf(sql + len, " FROM r%d NOT INDEXED WHERE id = ?1), (SELECT count(*) FROM r%d", nf, nf);
    len += (size_t)sprintf(sql + len, " INDEXED BY r%d_i WHERE id = ?1", nf);
    for (int c = 0; c < nf; c++) len += (size_t)sprintf(sql + len, " AND c%d IS ?%d", c, c + 2);
    sprintf(sql + len, ")");
    CHECK_EQ_INT(lode_prepare(db, sql, -1, &st[1], NULL), LODE_OK);
    for (int row = 0; row < 40; row++) {
      for (int k = 0; k < 2; k++) lode_bind_int(st[k], 1, row);
      for (int c = 0; c < nf; c++) {
        seed = seed * 1103515245u + 12345u;
        int kind = (int)((seed >> 8) % 5), sz = sizes[(seed >> 12) % (sizeof sizes / sizeof sizes[0])];
        if (nf > 3 && sz > 60) sz = sz / nf; /* many fields: records of a few hundred bytes */
        for (int k = 0; k < 2; k++) {
          if (kind == 0) lode_bind_int64(st[k], c + 2, ints[(seed >> 16) % (sizeof ints / sizeof ints[0])]);
          else if (kind == 1) lode_bind_double(st[k], c + 2, (double)(int)(seed >> 10) / 7.0);
          else if (kind == 2) lode_bind_text(st[k], c + 2, text + (seed >> 20) % 26, sz, LODE_TRANSIENT);
          else if (kind == 3) lode_bind_blob(st[k], c + 2, text, sz, LODE_TRANSIENT);
          else lode_bind_null(st[k], c + 2);
        }
      }
      CHECK_EQ_INT(lode_step(st[0]), LODE_DONE);
      CHECK_EQ_INT(lode_step(st[1]), LODE_ROW);
      CHECK_EQ_INT(lode_column_int(st[1], 0), 1);
      CHECK_EQ_INT(lode_column_int(st[1], 1), 1);
      checked++;
      for (int k = 0; k < 2; k++) lode_reset(st[k]);
    }
    lode_finalize(st[0]);
    lode_finalize(st[1]);
  }
  CHECK_EQ_INT(checked, 33 * 40);
  char *ic = text_of(db, "PRAGMA integrity_check");
  CHECK_EQ_STR(ic, "ok");
  free(ic);
  lode_close(db);
}

/* Sorts of more records than the sorter sorts at once are sorted in runs
** that are then merged: ties keep insertion order across the runs (ASC and
** DESC keys, integers and texts, two keys), GROUP BY and DISTINCT see every
** group once, and CREATE INDEX builds an index in key order. */
TEST(sorts_merged_from_runs_keep_insertion_order_on_ties) {
  lode *db = open_mem();
  CHECK(db != NULL);
  CHECK_EQ_INT(lode_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, k, s);"
                             "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 30000)"
                             " INSERT INTO t SELECT i, (i * 7919) % 7, printf('k%03d', (i * 31) % 211) FROM r",
                         NULL),
               LODE_OK);
  static const struct {
    const char *sql;
    int desc; /* the key descends */
  } cases[] = {
      {"SELECT k, id FROM t ORDER BY k", 0},
      {"SELECT k, id FROM t ORDER BY k DESC", 1},
      {"SELECT s, id FROM t ORDER BY s", 0},
      {"SELECT s, id FROM t ORDER BY s DESC", 1},
      {"SELECT k || s, id FROM t ORDER BY k, s", 0},
  };
  for (size_t q = 0; q < sizeof cases / sizeof cases[0]; q++) {
    lode_stmt *st = NULL;
    CHECK_EQ_INT(lode_prepare(db, cases[q].sql, -1, &st, NULL), LODE_OK);
    char prev[64] = "";
    int64_t prev_id = 0, rows = 0, bad = 0;
    while (lode_step(st) == LODE_ROW) {
      char key[64];
      snprintf(key, sizeof key, "%s", (const char *)lode_column_text(st, 0));
      int64_t id = lode_column_int64(st, 1);
      if (rows > 0) {
        int c = lode_column_type(st, 0) == LODE_INTEGER ? (int)(atoll(key) - atoll(prev)) : strcmp(key, prev);
        if (cases[q].desc) c = -c;
        if (c < 0 || (c == 0 && id < prev_id)) bad++;
      }
      memcpy(prev, key, sizeof prev);
      prev_id = id;
      rows++;
    }
    lode_finalize(st);
    CHECK_EQ_INT(rows, 30000);
    CHECK_EQ_INT(bad, 0);
  }
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM (SELECT s FROM t GROUP BY s)"), 211);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM (SELECT DISTINCT k, s FROM t)"), scalar(db,
               "SELECT count(*) FROM (SELECT k * 1000 + CAST(substr(s, 2) AS INT) AS u FROM t GROUP BY u)"));
  CHECK_EQ_INT(scalar(db, "SELECT sum(n) FROM (SELECT count(*) AS n FROM t GROUP BY k, s)"), 30000);
  CHECK_EQ_INT(lode_exec(db, "CREATE INDEX ts ON t(s, k)", NULL), LODE_OK);
  char *ic = text_of(db, "PRAGMA integrity_check");
  CHECK_EQ_STR(ic, "ok");
  free(ic);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t INDEXED BY ts WHERE s = 'k100'"),
               scalar(db, "SELECT count(*) FROM t NOT INDEXED WHERE s = 'k100'"));
  lode_close(db);
}

/* Index seeks that start from the leaf the cursor is on (the next key of an
** ascending run right after the cursor's entry, past the tree's last entry,
** between the leaf's ends) decide found / not found as a descent would: a
** REPLACE through existing keys in order replaces each row, keys between
** them are new, existing ones conflict. */
TEST(seeks_from_the_cursors_leaf_find_what_a_descent_finds) {
  lode *db = open_mem();
  CHECK(db != NULL);
  if (!db) return;
  CHECK_EQ_INT(lode_exec(db,
                         "CREATE TABLE t(a INTEGER UNIQUE, b INTEGER UNIQUE, c TEXT);"
                         "CREATE INDEX tc ON t(c DESC);"
                         "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 3000)"
                         " INSERT INTO t SELECT i * 7919 % 10007, 2 * i, printf('k%06d', i * 31 % 3001) FROM s;"
                         "REPLACE INTO t SELECT a, b, c || 'x' FROM t ORDER BY b;",
                         NULL),
               LODE_OK);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t"), 3000);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t WHERE c LIKE '%x'"), 3000);
  /* Odd keys between the even ones: none exists, each goes in. */
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t SELECT a + 20000, b + 1, c FROM t ORDER BY b", NULL), LODE_OK);
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t"), 6000);
  /* Every other existing key, in order: the first one conflicts. */
  CHECK_EQ_INT(lode_exec(db, "INSERT INTO t SELECT a + 50000, b, c FROM t WHERE b % 4 = 0 ORDER BY b", NULL) & 0xff,
               LODE_CONSTRAINT);
  CHECK_EQ_INT(lode_exec(db, "INSERT OR IGNORE INTO t SELECT a + 50000, b / 2 * 3, c FROM t ORDER BY b", NULL),
               LODE_OK);
  /* b / 2 * 3 for b in 2..6001: 3..9000 by threes, new where above 6001 or odd. */
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t"),
               6000 + scalar(db, "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 3000)"
                                    " SELECT count(*) FROM s WHERE i * 3 > 6001"));
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM t INDEXED BY sqlite_autoindex_t_2 WHERE b > 0"),
               scalar(db, "SELECT count(*) FROM t NOT INDEXED WHERE b > 0"));
  CHECK_EQ_INT(scalar(db, "SELECT count(*) FROM (SELECT b FROM t GROUP BY b HAVING count(*) > 1)"), 0);
  lode_stmt *st = NULL;
  CHECK_EQ_INT(lode_prepare(db, "PRAGMA integrity_check", -1, &st, NULL), LODE_OK);
  CHECK_EQ_INT(lode_step(st), LODE_ROW);
  CHECK_EQ_STR((const char *)lode_column_text(st, 0), "ok");
  lode_finalize(st);
  lode_close(db);
}

/* A scan reads each row's payload in place from the rowid's varint on: rows
** whose rowids take every varint length (one to nine bytes, negative ones
** nine) and whose payload sizes take one, two or three bytes (the last
** spilling to overflow pages) read back as written, their columns too. */
TEST(a_scan_reads_rows_whose_rowids_and_sizes_take_every_varint_length) {
  static const int64_t rowids[] = {INT64_MIN, -1, 0,         1,           127,         128,
                                   16383,     16384, 2097151, 2097152, 268435455, 268435456,
                                   34359738367LL, 34359738368LL, 4398046511103LL, 4398046511104LL,
                                   562949953421311LL, 562949953421312LL, 72057594037927935LL,
                                   72057594037927936LL, INT64_MAX};
  static const int lens[] = {0, 1, 100, 110, 111, 112, 113, 114, 120, 127, 128, 200, 3000, 16500};
  const int nr = (int)(sizeof rowids / sizeof rowids[0]), nl = (int)(sizeof lens / sizeof lens[0]);
  lode *db = open_mem();
  CHECK(db != NULL);
  CHECK_EQ_INT(lode_exec(db, "CREATE TABLE t(a, b, c)", NULL), LODE_OK);
  char *text = malloc(16500 + 32);
  CHECK(text != NULL);
  for (int i = 0; i < 16500 + 32; i++) text[i] = (char)('a' + i % 23);
  lode_stmt *ins = NULL, *sel = NULL;
  CHECK_EQ_INT(lode_prepare(db, "INSERT INTO t(rowid, a, b, c) VALUES (?1, ?2, ?3, ?4)", -1, &ins, NULL), LODE_OK);
  /* One table per payload length, so that each leaf holds rows of one size. */
  for (int l = 0; l < nl; l++) {
    CHECK_EQ_INT(lode_exec(db, "DELETE FROM t", NULL), LODE_OK);
    for (int r = 0; r < nr; r++) {
      lode_bind_int64(ins, 1, rowids[r]);
      lode_bind_int(ins, 2, r);
      lode_bind_text(ins, 3, text + r, lens[l], LODE_STATIC);
      lode_bind_int64(ins, 4, rowids[r] / 3);
      CHECK_EQ_INT(lode_step(ins), LODE_DONE);
      lode_reset(ins);
    }
    CHECK_EQ_INT(lode_prepare(db, "SELECT rowid, a, length(b), substr(b, -1), c FROM t", -1, &sel, NULL), LODE_OK);
    int r = 0;
    while (lode_step(sel) == LODE_ROW) {
      CHECK(r < nr);
      CHECK(lode_column_int64(sel, 0) == rowids[r]);
      CHECK_EQ_INT(lode_column_int(sel, 1), r);
      CHECK_EQ_INT(lode_column_int(sel, 2), lens[l]);
      const char *last = (const char *)lode_column_text(sel, 3);
      if (lens[l] > 0) CHECK(last && last[0] == text[r + lens[l] - 1]);
      CHECK(lode_column_int64(sel, 4) == rowids[r] / 3);
      r++;
    }
    CHECK_EQ_INT(r, nr);
    lode_finalize(sel);
    sel = NULL;
  }
  lode_finalize(ins);
  free(text);
  lode_close(db);
}

int main(void) {
  RUN(between_with_parameters_matches_its_definition);
  RUN(between_reads_its_parameters_once_per_run);
  RUN(delete_without_where_clears_table_and_indexes);
  RUN(delete_without_where_visits_rows_when_something_must_see_them);
  RUN(file_database_fast_paths_outside_mvcc_mode);
  RUN(columns_read_in_any_order_from_a_partly_parsed_header);
  RUN(a_scan_reads_rows_of_every_header_shape);
  RUN(rows_of_one_header_shape_share_a_parse_only_when_their_headers_match);
  RUN(a_delete_of_one_row_by_rowid_or_unique_key_takes_one_pass);
  RUN(new_rowid_kept_between_runs_follows_every_change);
  RUN(replace_by_primary_key_overwrites_in_place);
  RUN(equality_lookups_through_an_index_match_a_scan);
  RUN(replace_on_a_unique_index_overwrites_its_entry);
  RUN(replace_deleting_rows_below_the_largest_rowid_takes_sqlites_next_rowids);
  RUN(entries_of_rows_that_go_are_found_by_the_rowid_they_were_sought_by);
  RUN(sorting_texts_and_blobs_around_the_sort_prefix_lengths);
  RUN(records_around_the_short_record_limits_read_back_as_written);
  RUN(sorts_merged_from_runs_keep_insertion_order_on_ties);
  RUN(seeks_from_the_cursors_leaf_find_what_a_descent_finds);
  RUN(a_scan_reads_rows_whose_rowids_and_sizes_take_every_varint_length);
  return test_summary();
}
