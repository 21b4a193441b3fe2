-- A lone min() or max() (one argument, DISTINCT or not, no FILTER, no GROUP BY or HAVING) has every level of its loops worded SEARCH in EXPLAIN QUERY PLAN, as SQLite's WHERE_ORDERBY_MIN/MAX makes it, with or without an index to read in order; two aggregates, FILTER, HAVING or GROUP BY keep SCAN
CREATE TABLE t(a INTEGER PRIMARY KEY, b, c)
CREATE INDEX tc ON t(c)
CREATE INDEX te ON t(lower(b))
CREATE TABLE u(x,y)
INSERT INTO t VALUES(1,'a',1),(2,'B',2),(3,NULL,3)
INSERT INTO u VALUES(1,2),(3,4)
SELECT max(b) FROM t
SELECT min(a) FROM t
SELECT max(c) FROM t
SELECT max(c) FROM t WHERE c < 5
SELECT min(b) FROM t WHERE c=1
SELECT max(a), 1 FROM t
SELECT max(b)+1 FROM t
SELECT max(t.b) FROM t, u
SELECT max(b), c FROM t
SELECT max(DISTINCT b) FROM t
SELECT max(b) FILTER (WHERE c>1) FROM t
SELECT max(b), min(b) FROM t
SELECT max(b, c) FROM t
SELECT max(b) FROM (SELECT b FROM t LIMIT 5)
SELECT (SELECT max(x) FROM u) FROM t
SELECT max(b) FROM t ORDER BY 1
SELECT max(b) FROM t HAVING max(b) > 1
SELECT max(b) FROM t LEFT JOIN u ON x=b
SELECT max(b) FROM t GROUP BY c
SELECT min(c) FROM t WHERE b > 'a'
SELECT count(*) FROM t
SELECT max(x) FROM u WHERE y IN (SELECT c FROM t)
