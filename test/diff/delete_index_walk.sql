-- DELETE in one pass over an index walk: the walk's cursor deletes the entry
-- it is on and steps on to the next one; ranges across many leaves, runs of
-- equal keys, DESC and multi-column indexes, a partial index, a covering walk.
CREATE TABLE t(a INTEGER PRIMARY KEY, b INT, c TEXT, d);
CREATE INDEX tb ON t(b);
CREATE INDEX tcd ON t(c DESC, d);
CREATE INDEX td ON t(d) WHERE d > 100;
CREATE UNIQUE INDEX tu ON t(d, a);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) INSERT INTO t SELECT i, i % 700, printf('c%04d', i % 300), i % 250 FROM n;
DELETE FROM t WHERE b BETWEEN 100 AND 350;
SELECT count(*), sum(a), sum(b), sum(d) FROM t;
DELETE FROM t WHERE b = 7;
DELETE FROM t WHERE c = 'c0042' AND d > 10;
DELETE FROM t WHERE c > 'c0250';
DELETE FROM t WHERE d > 200 AND d < 230;
DELETE FROM t WHERE b >= 690;
DELETE FROM t WHERE b < 3;
PRAGMA integrity_check;
SELECT count(*), sum(a), sum(b), sum(d), min(c), max(c) FROM t;
SELECT b, count(*) FROM t INDEXED BY tb GROUP BY b ORDER BY b LIMIT 5;
DELETE FROM t WHERE b BETWEEN 0 AND 1000;
SELECT count(*) FROM t;
PRAGMA integrity_check;
