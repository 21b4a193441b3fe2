-- After ANALYZE, an ordered DISTINCT over an index with many entries per value seeks past each value's entries instead of stepping over them
CREATE TABLE t(id INTEGER PRIMARY KEY, d, e TEXT COLLATE NOCASE, f);
CREATE INDEX tde ON t(d, e);
CREATE INDEX te ON t(e);
CREATE INDEX tf ON t(f DESC);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 600) INSERT INTO t SELECT i, CASE WHEN i % 13 = 0 THEN NULL WHEN i % 7 = 0 THEN (i % 20) * 1.0 ELSE i % 20 END, CASE i % 4 WHEN 0 THEN 'a' WHEN 1 THEN 'A' WHEN 2 THEN 'b' ELSE NULL END, i % 3 FROM r;
ANALYZE;
SELECT DISTINCT d FROM t;
SELECT DISTINCT d, typeof(d) FROM t;
SELECT DISTINCT d, e FROM t;
SELECT DISTINCT e FROM t;
SELECT DISTINCT f FROM t;
SELECT DISTINCT d FROM t WHERE id % 5 = 0;
SELECT DISTINCT d FROM t WHERE id > 590;
SELECT DISTINCT d FROM t WHERE d > 15;
SELECT DISTINCT d FROM t WHERE d BETWEEN 3 AND 6;
SELECT DISTINCT e FROM t WHERE e >= 'a';
SELECT DISTINCT d FROM t LIMIT 3 OFFSET 2;
SELECT count(*) FROM (SELECT DISTINCT d FROM t);
SELECT count(*) FROM (SELECT DISTINCT d, e FROM t WHERE id % 2 = 0);
-- The order of these rows is not compared: SQLite 3.53 seeks te and keeps a temporary b-tree, Lode scans tde in order
SELECT count(*), sum(d) FROM (SELECT DISTINCT d FROM t WHERE e = 'b');
PRAGMA reverse_unordered_selects = 1;
SELECT DISTINCT d FROM t;
SELECT DISTINCT f FROM t;
PRAGMA reverse_unordered_selects = 0;
EXPLAIN QUERY PLAN SELECT DISTINCT d FROM t;
EXPLAIN QUERY PLAN SELECT DISTINCT e FROM t;
