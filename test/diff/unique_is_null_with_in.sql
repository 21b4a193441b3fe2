-- A UNIQUE index every key column of which an IS NULL fixes is estimated as
-- SQLite does (one row, doubled for IS NULL): it is sought rather than an
-- IN list on another unique column, and the rows come out in its order.
CREATE TABLE t0(c0 INTEGER PRIMARY KEY DESC, c1 UNIQUE DEFAULT NULL);
INSERT INTO t0(c0) VALUES (1), (2), (3), (4), (5);
SELECT c0 FROM t0 WHERE c1 IS NULL AND c0 IN (1, 2, 3, 4, 5);
SELECT c0 FROM t0 WHERE c1 IS NULL AND c0 IN (5, 3, 1);
CREATE TABLE t1(c0 INTEGER PRIMARY KEY DESC, c1 UNIQUE DEFAULT NULL) WITHOUT ROWID;
INSERT INTO t1(c0) VALUES (1), (2), (3), (4), (5);
SELECT c0 FROM t1 WHERE c1 IS NULL AND c0 IN (1, 2, 3, 4, 5);
REINDEX;
SELECT c0 FROM t1 WHERE c1 IS NULL AND c0 IN (1, 2, 3, 4, 5);
CREATE TABLE t2(a, b, c, UNIQUE(a, b));
INSERT INTO t2 VALUES (NULL, 1, 'x'), (NULL, 1, 'y'), (2, NULL, 'z'), (NULL, NULL, 'w');
CREATE INDEX t2c ON t2(c);
SELECT c FROM t2 WHERE a IS NULL AND b = 1 AND c IN ('y', 'x');
SELECT c FROM t2 WHERE a IS NULL AND b IS NULL;
