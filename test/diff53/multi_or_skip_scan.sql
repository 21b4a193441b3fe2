-- An OR whose disjunct could only use a skip-scan: a multi-index OR does not take it (its loop left a label unresolved: "bad program")
CREATE TABLE t5(a, b, c, d, x, y);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 300) INSERT INTO t5 SELECT i, i * 11, i * 1001, i % 7, CASE WHEN (i & 1) != 0 THEN 'y' ELSE 'n' END, CASE WHEN (i & 2) != 0 THEN 'y' ELSE 'n' END FROM r;
CREATE INDEX t5xb ON t5(x, b);
CREATE INDEX t5xc ON t5(x, c);
CREATE INDEX t5yb ON t5(y, b);
CREATE INDEX t5yc ON t5(y, c);
ANALYZE t5;
SELECT a FROM t5 WHERE x = 'y' AND (b = 913 OR c = 27027) ORDER BY a;
SELECT a FROM t5 WHERE (x = 'y' OR y = 'y') AND b = 913 ORDER BY a;
SELECT a FROM t5 WHERE (x = 'y' OR y = 'y') AND c = 27027 ORDER BY a;
SELECT a FROM t5 WHERE b = 913 OR c = 27027 ORDER BY a;
SELECT a FROM t5 WHERE (b = 913 OR c = 27027) AND d = 3 ORDER BY a;
SELECT count(*) FROM t5 WHERE b = 2200 OR c = 100100 OR b = 11;
EXPLAIN QUERY PLAN SELECT a FROM t5 WHERE x = 'y' AND (b = 913 OR c = 27027) ORDER BY a;
-- plan differs (SQLite 3.53 prefers the multi-index OR to the skip-scan Lode's costs choose): EXPLAIN QUERY PLAN SELECT a FROM t5 WHERE (x = 'y' OR y = 'y') AND b = 913 ORDER BY a;
