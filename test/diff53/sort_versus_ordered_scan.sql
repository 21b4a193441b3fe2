-- After ANALYZE, a seek that leaves a quarter of the rows to sort beats a full scan of an index in the wanted
-- order whose rows must be looked up; a seek that leaves few rows keeps its sort too
CREATE TABLE t1(id INTEGER PRIMARY KEY, a INT, b INT, d INT, e INT);
CREATE INDEX t1b ON t1(b);
CREATE INDEX t1de ON t1(d, e);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 8000) INSERT INTO t1 SELECT i, i % 97, (i * 31) % 1000, i % 4, (i * 13) % 5000 FROM r;
ANALYZE;
EXPLAIN QUERY PLAN SELECT b, sum(e) FROM t1 WHERE d = 2 GROUP BY b;
SELECT count(*), sum(s) FROM (SELECT b, sum(e) AS s FROM t1 WHERE d = 2 GROUP BY b) WHERE s > 1000;
EXPLAIN QUERY PLAN SELECT * FROM t1 WHERE d = 1 ORDER BY b LIMIT 5;
SELECT * FROM t1 WHERE d = 1 ORDER BY b, id LIMIT 5;
EXPLAIN QUERY PLAN SELECT b FROM t1 WHERE d = 3 AND e < 100 ORDER BY b;
EXPLAIN QUERY PLAN SELECT b, count(*) FROM t1 GROUP BY b;
