-- A WITHOUT ROWID table is scanned through its PRIMARY KEY b-tree, which
-- SQLite costs as a covering index scan, a little cheaper than a rowid
-- table's scan: with no other difference it becomes the inner loop.
CREATE TABLE t1(a INTEGER PRIMARY KEY, b INTEGER) WITHOUT ROWID;
CREATE TABLE t2(c INTEGER PRIMARY KEY, d INTEGER, x BLOB);
CREATE TABLE t3(k TEXT PRIMARY KEY, v TEXT, w TEXT) WITHOUT ROWID;
INSERT INTO t1 VALUES (0, 0), (10, 10);
INSERT INTO t2 VALUES (1, 1, zeroblob(20)), (2, 2, x'01');
INSERT INTO t3 VALUES ('a', 'x', 'y'), ('b', 'z', NULL);
SELECT a, c FROM t1, t2;
SELECT a, c FROM t2, t1;
SELECT a, k FROM t1, t3;
SELECT c, k, a FROM t3, t2, t1;
SELECT count(*) FROM t1 JOIN t2 ON d = b;
