-- A multi-index OR costs its disjuncts' lookups once: with statistics saying each disjunct finds few rows, the OR is
-- read through the two indexes (rows in index order, each once), not by a scan, as in SQLite.
CREATE TABLE t(a INTEGER PRIMARY KEY, b, c, d);
CREATE INDEX tb ON t(b);
CREATE INDEX tc ON t(c);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 200) INSERT INTO t SELECT i, i % 7, (i * 37) % 101, i % 3 FROM r;
EXPLAIN QUERY PLAN SELECT a FROM t WHERE b = 3 OR c = 5;
SELECT a FROM t WHERE b = 3 OR c = 5;
ANALYZE;
EXPLAIN QUERY PLAN SELECT a FROM t WHERE b = 3 OR c = 5;
SELECT a FROM t WHERE b = 3 OR c = 5;
EXPLAIN QUERY PLAN SELECT a, d FROM t WHERE c = 5 OR b = 6;
SELECT a, d FROM t WHERE c = 5 OR b = 6;
SELECT count(*) FROM t WHERE b = 1 OR c IN (7, 8);
