-- Rows that come in the order of the first ORDER BY terms (an index on them) are sorted run by run: each
-- run of rows equal on those terms is sorted and sent on when the next starts, and a LIMIT ends the scan
-- once a run has filled it; EXPLAIN QUERY PLAN says USE TEMP B-TREE FOR LAST TERM(S) OF ORDER BY
CREATE TABLE t(a,b,c);
CREATE INDEX ta ON t(a);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 200) INSERT INTO t SELECT i % 7, (i * 37) % 11, i FROM r;
INSERT INTO t VALUES(NULL, 3, 1000), (NULL, 1, 1001), (2, NULL, 1002);
EXPLAIN QUERY PLAN SELECT * FROM t ORDER BY a, b;
EXPLAIN QUERY PLAN SELECT * FROM t WHERE a > 5 ORDER BY a, b LIMIT 10;
EXPLAIN QUERY PLAN SELECT * FROM t ORDER BY a DESC, b;
EXPLAIN QUERY PLAN SELECT * FROM t ORDER BY a, b DESC, c;
SELECT * FROM t ORDER BY a, b, c LIMIT 12;
SELECT * FROM t ORDER BY a, b DESC, c LIMIT 5 OFFSET 20;
SELECT * FROM t WHERE a > 5 ORDER BY a, b, c LIMIT 10;
SELECT * FROM t ORDER BY a DESC, b, c LIMIT 8;
SELECT a, b, c FROM t WHERE a IN (1, 3) ORDER BY a, c DESC LIMIT 6;
SELECT count(*), sum(c) FROM (SELECT * FROM t ORDER BY a, b, c LIMIT 50);
SELECT (SELECT c FROM t AS i WHERE i.b = o.b ORDER BY a, c DESC LIMIT 1) FROM t AS o WHERE o.c < 12 ORDER BY o.c;
