/*
** mvcc_lode.c — journal_mode=mvcc and BEGIN CONCURRENT on several connections
** of one process: the mode switch, snapshot reads, write-write conflicts at
** the write and at COMMIT (against an exclusive writer), commits that are
** made again on a newer snapshot (disjoint rows, indexes, WITHOUT ROWID,
** savepoints, a failed statement, a checkpoint in between), UNIQUE keys
** taken meanwhile, clears, DDL refused, COMMIT while an exclusive
** transaction runs.  Output compared with mvcc_lode.expected; every
** scenario ends with the table's rows and integrity_check.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

static void run(sqlite3 *db, const char *who, const char *sql) {
  int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  printf("%s: %s -> %d%s%s\n", who, sql, sqlite3_extended_errcode(db), rc ? " " : "", rc ? sqlite3_errmsg(db) : "");
}

static int row(void *u, int n, char **v, char **c) {
  (void)u;
  (void)c;
  printf("  ");
  for (int i = 0; i < n; i++) printf("%s%s", i ? "|" : "", v[i] ? v[i] : "NULL");
  printf("\n");
  return 0;
}

static void query(sqlite3 *db, const char *who, const char *sql) {
  printf("%s: %s\n", who, sql);
  if (sqlite3_exec(db, sql, row, NULL, NULL) != SQLITE_OK) printf("  error %s\n", sqlite3_errmsg(db));
}

static void autocommit(sqlite3 *db, const char *who) { printf("%s: autocommit %d\n", who, sqlite3_get_autocommit(db)); }

int main(void) {
  const char *path = "mvcc_lode.db";
  sqlite3 *a, *b, *c;
  unlink(path);
  unlink("mvcc_lode.db-wal");
  unlink("mvcc_lode.db-shm");
  if (sqlite3_open(path, &a) || sqlite3_open(path, &b) || sqlite3_open(path, &c)) return 1;
  sqlite3_extended_result_codes(a, 1);
  sqlite3_extended_result_codes(b, 1);

  printf("-- mode\n");
  run(a, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, n INT)");
  run(a, "a", "CREATE INDEX t_v ON t(v)");
  run(a, "a", "BEGIN CONCURRENT");
  query(a, "a", "PRAGMA journal_mode");
  query(a, "a", "PRAGMA journal_mode = experimental_mvcc");
  query(b, "b", "PRAGMA journal_mode");
  run(a, "a", "INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3)");

  printf("-- disjoint rows: the second commit is made again on the first's snapshot\n");
  run(a, "a", "BEGIN CONCURRENT TRANSACTION");
  run(b, "b", "BEGIN CONCURRENT");
  run(a, "a", "UPDATE t SET v = 'uno', n = n + 10 WHERE id = 1");
  run(b, "b", "UPDATE t SET v = 'dos' WHERE id = 2");
  run(b, "b", "INSERT INTO t(v, n) VALUES ('b-new', 5)");
  run(a, "a", "INSERT INTO t(v, n) VALUES ('a-new', 4)");
  query(b, "b", "SELECT id, v FROM t ORDER BY id");
  run(a, "a", "COMMIT");
  query(b, "b", "SELECT id, v FROM t WHERE id = 1");
  run(b, "b", "COMMIT");
  query(c, "c", "SELECT * FROM t ORDER BY id");
  query(c, "c", "SELECT id FROM t WHERE v = 'dos'");
  query(c, "c", "PRAGMA integrity_check");

  printf("-- write-write conflict at the write: the first writer wins\n");
  run(a, "a", "BEGIN CONCURRENT");
  run(b, "b", "BEGIN CONCURRENT");
  run(a, "a", "UPDATE t SET n = 100 WHERE id = 3");
  run(b, "b", "UPDATE t SET n = 200 WHERE id = 3");
  autocommit(b, "b");
  run(b, "b", "ROLLBACK");
  run(a, "a", "COMMIT");
  query(c, "c", "SELECT n FROM t WHERE id = 3");

  printf("-- conflict with an exclusive writer, found at COMMIT\n");
  run(a, "a", "BEGIN CONCURRENT");
  run(a, "a", "UPDATE t SET n = n + 1 WHERE id = 1");
  run(b, "b", "UPDATE t SET n = -1 WHERE id = 1");
  run(a, "a", "COMMIT");
  autocommit(a, "a");
  query(c, "c", "SELECT n FROM t WHERE id = 1");

  printf("-- COMMIT while an exclusive transaction runs, then again\n");
  run(a, "a", "BEGIN CONCURRENT");
  run(a, "a", "UPDATE t SET n = 7 WHERE id = 2");
  run(b, "b", "BEGIN IMMEDIATE");
  run(b, "b", "UPDATE t SET n = 8 WHERE id = 4");
  run(a, "a", "COMMIT");
  autocommit(a, "a");
  run(b, "b", "COMMIT");
  run(a, "a", "COMMIT");
  query(c, "c", "SELECT id, n FROM t WHERE id IN (2, 4) ORDER BY id");

  printf("-- a UNIQUE key taken meanwhile (equal under NOCASE, other bytes)\n");
  run(a, "a", "CREATE TABLE u(k TEXT UNIQUE COLLATE NOCASE, w)");
  run(a, "a", "BEGIN CONCURRENT");
  run(b, "b", "BEGIN CONCURRENT");
  run(a, "a", "INSERT INTO u VALUES ('abc', 'a')");
  run(b, "b", "INSERT INTO u VALUES ('ABC', 'b')");
  run(a, "a", "COMMIT");
  run(b, "b", "COMMIT");
  autocommit(b, "b");
  query(c, "c", "SELECT * FROM u");
  printf("-- the same key bytes: a conflict at the write\n");
  run(a, "a", "BEGIN CONCURRENT");
  run(b, "b", "BEGIN CONCURRENT");
  run(a, "a", "INSERT INTO u VALUES ('xyz', 'a')");
  run(b, "b", "INSERT INTO u VALUES ('xyz', 'b')");
  run(a, "a", "COMMIT");

  printf("-- WITHOUT ROWID: other keys commit, the same key conflicts\n");
  run(a, "a", "CREATE TABLE w(k TEXT PRIMARY KEY, x) WITHOUT ROWID");
  run(a, "a", "INSERT INTO w VALUES ('k1', 1), ('k2', 2)");
  run(a, "a", "BEGIN CONCURRENT");
  run(b, "b", "BEGIN CONCURRENT");
  run(a, "a", "UPDATE w SET x = 10 WHERE k = 'k1'");
  run(b, "b", "UPDATE w SET x = 20 WHERE k = 'k2'");
  run(b, "b", "INSERT INTO w VALUES ('k3', 3)");
  run(a, "a", "COMMIT");
  run(b, "b", "COMMIT");
  run(a, "a", "BEGIN CONCURRENT");
  run(b, "b", "BEGIN CONCURRENT");
  run(a, "a", "INSERT INTO w VALUES ('k4', 'a')");
  run(b, "b", "INSERT INTO w VALUES ('k4', 'b')");
  run(a, "a", "COMMIT");
  query(c, "c", "SELECT * FROM w");

  printf("-- savepoints and a failed statement inside, made again after another commit\n");
  run(a, "a", "CREATE TABLE s(id INTEGER PRIMARY KEY, v NOT NULL)");
  run(a, "a", "BEGIN CONCURRENT");
  run(a, "a", "INSERT INTO s VALUES (1, 'kept')");
  run(a, "a", "SAVEPOINT sp");
  run(a, "a", "INSERT INTO s VALUES (2, 'undone')");
  run(a, "a", "ROLLBACK TO sp");
  run(a, "a", "RELEASE sp");
  run(a, "a", "INSERT INTO s VALUES (3, 'x'), (4, NULL)");
  run(a, "a", "INSERT INTO s VALUES (5, 'after')");
  run(b, "b", "INSERT INTO t(v, n) VALUES ('autocommit', 0)");
  run(a, "a", "COMMIT");
  query(c, "c", "SELECT * FROM s");

  printf("-- a checkpoint that restarts the WAL between begin and commit\n");
  run(a, "a", "BEGIN CONCURRENT");
  run(a, "a", "UPDATE s SET v = 'ckpt' WHERE id = 1");
  run(c, "c", "PRAGMA wal_checkpoint(TRUNCATE)");
  run(b, "b", "INSERT INTO t(v, n) VALUES ('after-ckpt', 0)");
  run(a, "a", "COMMIT");
  query(c, "c", "SELECT v FROM s WHERE id = 1");

  printf("-- DELETE of every row a snapshot holds, beside another's insert (snapshot isolation keeps it)\n");
  run(a, "a", "BEGIN CONCURRENT");
  run(b, "b", "BEGIN CONCURRENT");
  run(b, "b", "INSERT INTO s VALUES (9, 'nine')");
  run(a, "a", "DELETE FROM s");
  autocommit(a, "a");
  run(b, "b", "COMMIT");
  run(a, "a", "COMMIT");
  query(c, "c", "SELECT * FROM s");
  printf("-- a row deleted by one and updated by the other\n");
  run(a, "a", "BEGIN CONCURRENT");
  run(b, "b", "BEGIN CONCURRENT");
  run(b, "b", "UPDATE s SET v = 'NINE' WHERE id = 9");
  run(a, "a", "DELETE FROM s WHERE id = 9");
  run(b, "b", "COMMIT");
  query(c, "c", "SELECT * FROM s");

  printf("-- DDL needs an exclusive transaction; read-only concurrent transactions\n");
  run(a, "a", "BEGIN CONCURRENT");
  run(a, "a", "CREATE TABLE z(x)");
  autocommit(a, "a");
  run(a, "a", "ROLLBACK");
  run(a, "a", "BEGIN CONCURRENT");
  query(a, "a", "SELECT count(*) FROM t");
  run(a, "a", "COMMIT");
  run(a, "a", "BEGIN CONCURRENT");
  run(b, "b", "CREATE TABLE z(x)");
  run(a, "a", "INSERT INTO t(v, n) VALUES ('old schema', 0)");
  run(a, "a", "COMMIT");
  autocommit(a, "a");

  printf("-- back to wal\n");
  query(a, "a", "PRAGMA journal_mode = wal");
  run(a, "a", "BEGIN CONCURRENT");
  query(c, "c", "SELECT * FROM t ORDER BY id");
  query(c, "c", "PRAGMA integrity_check");
  sqlite3_close(a);
  sqlite3_close(b);
  sqlite3_close(c);
  unlink(path);
  return 0;
}
