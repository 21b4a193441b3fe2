-- GROUP BY or DISTINCT alone takes its columns in any order: in the order of an index the loop seeks
-- or walks, whose next columns they are, as SQLite matches them.
CREATE TABLE t1(a, b, c);
CREATE INDEX t1bc ON t1(b, c);
INSERT INTO t1 VALUES (0, 2, 1), (0, 1, 2), (1, 2, 1), (0, 2, 1), (0, 1, 1), (NULL, 1, 1);
EXPLAIN QUERY PLAN SELECT DISTINCT a, c, b FROM t1 WHERE a = 0;
SELECT DISTINCT a, c, b FROM t1 WHERE a = 0;
EXPLAIN QUERY PLAN SELECT DISTINCT c, b FROM t1;
SELECT DISTINCT c, b FROM t1;
EXPLAIN QUERY PLAN SELECT c, b, count(*) FROM t1 GROUP BY c, b;
SELECT c, b, count(*) FROM t1 GROUP BY c, b;
EXPLAIN QUERY PLAN SELECT c, count(*) FROM t1 WHERE b = 2 GROUP BY c, b;
SELECT c, count(*) FROM t1 WHERE b = 2 GROUP BY c, b;
EXPLAIN QUERY PLAN SELECT a, c, count(*) FROM t1 GROUP BY c, a;
SELECT a, c, count(*) FROM t1 GROUP BY c, a ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT DISTINCT c COLLATE NOCASE, b FROM t1;
EXPLAIN QUERY PLAN SELECT DISTINCT c, b, rowid FROM t1;
