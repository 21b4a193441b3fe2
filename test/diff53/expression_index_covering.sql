-- plans: compared
-- An index on an expression covers a query whose only reads of the
-- expression's columns are the terms its seek decides: the table row is
-- never needed, as SQLite counts an indexed expression as held by the index.
CREATE TABLE t1(id INTEGER PRIMARY KEY, a INT, b INT, c INT, d INT);
CREATE INDEX t1bc ON t1(b + c);
CREATE INDEX t1ab ON t1(a, b);
CREATE INDEX t1x ON t1(c * 2, d);
INSERT INTO t1 VALUES(1, 5, 6, 7, 1), (2, 3, 4, 5, 2), (3, 9, 9, 9, 3), (4, 1, NULL, 2, 4), (5, 2, 11, 2, 5);
EXPLAIN QUERY PLAN SELECT count(*) FROM t1 WHERE b + c = 13;
SELECT count(*) FROM t1 WHERE b + c = 13;
EXPLAIN QUERY PLAN SELECT count(*) FROM t1 WHERE b + c > 10;
SELECT count(*) FROM t1 WHERE b + c > 10;
EXPLAIN QUERY PLAN SELECT id FROM t1 WHERE b + c = 13 ORDER BY id;
SELECT id FROM t1 WHERE b + c = 13 ORDER BY id;
EXPLAIN QUERY PLAN SELECT d FROM t1 WHERE c * 2 = 14;
SELECT d FROM t1 WHERE c * 2 = 14;
EXPLAIN QUERY PLAN SELECT count(*) FROM t1 WHERE c * 2 = 14 AND d > 0;
SELECT count(*) FROM t1 WHERE c * 2 = 14 AND d > 0;
EXPLAIN QUERY PLAN SELECT count(*) FROM t1 WHERE c * 2 = 4 AND d IN (1, 5);
SELECT count(*) FROM t1 WHERE c * 2 = 4 AND d IN (1, 5);
-- A column read elsewhere still needs the table row.
EXPLAIN QUERY PLAN SELECT b FROM t1 WHERE b + c = 13;
SELECT b FROM t1 WHERE b + c = 13;
EXPLAIN QUERY PLAN SELECT count(*) FROM t1 WHERE b + c = 13 AND b > 1;
SELECT count(*) FROM t1 WHERE b + c = 13 AND b > 1;
EXPLAIN QUERY PLAN SELECT a FROM t1 WHERE c * 2 = 14 AND d > 0;
SELECT a FROM t1 WHERE c * 2 = 14 AND d > 0;
EXPLAIN QUERY PLAN SELECT count(*) FROM t1 WHERE b + c = 13 OR a = 3;
SELECT count(*) FROM t1 WHERE b + c = 13 OR a = 3;
