-- REPLACE of rows in the way of an INSERT whose rowid NewRowid picks: the rows and rowids that result, when the
-- row in the way is the last one, the only one, one in the middle, several at once, and when the rowids are past
-- 2^63-1 so that NewRowid draws them at random (the insert cannot append there).
CREATE TABLE t(a INTEGER, b INTEGER UNIQUE, c TEXT);
CREATE INDEX tc ON t(c DESC);
INSERT INTO t VALUES (1, 10, 'x');
REPLACE INTO t(a, b, c) VALUES (2, 10, 'y');
SELECT rowid, * FROM t;
REPLACE INTO t(a, b, c) VALUES (3, 10, 'z'), (4, 11, 'w'), (5, 11, 'v');
SELECT rowid, * FROM t;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO t(a, b, c) SELECT i, i * 3, 'r' || (i % 17) FROM n WHERE i > 4;
REPLACE INTO t(a, b, c) SELECT a + 1000, b, c || '!' FROM t WHERE b % 2 = 0;
SELECT count(*), sum(a), sum(b), max(rowid), sum(rowid), count(DISTINCT c) FROM t;
REPLACE INTO t(a, b, c) SELECT a, b, c FROM t;
SELECT count(*), sum(a), max(rowid), sum(rowid) FROM t;
PRAGMA integrity_check;
CREATE TABLE u(a INTEGER, b INTEGER UNIQUE, c INTEGER UNIQUE);
INSERT INTO u VALUES (1, 1, 2), (2, 2, 1), (3, 3, 3);
REPLACE INTO u(a, b, c) VALUES (9, 1, 1);
SELECT rowid, * FROM u ORDER BY rowid;
REPLACE INTO u(a, b, c) VALUES (8, 3, 9);
SELECT rowid, * FROM u ORDER BY rowid;
DELETE FROM u;
INSERT INTO u(rowid, a, b, c) VALUES (9223372036854775807, 1, 1, 1), (5, 2, 2, 2);
REPLACE INTO u(a, b, c) VALUES (3, 2, 3);
REPLACE INTO u(a, b, c) VALUES (4, 1, 4);
SELECT count(*), sum(a), sum(b), sum(c), max(rowid) = 9223372036854775807 FROM u;
SELECT a, b, c FROM u ORDER BY a;
PRAGMA integrity_check;
