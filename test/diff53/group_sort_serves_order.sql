-- GROUP BY through its sorter: when the ORDER BY is a prefix of the GROUP BY terms in one direction (with NULLs
-- where that direction puts them), the grouping sorter sorts in its direction and no second sort runs
CREATE TABLE t1(a, b, c);
INSERT INTO t1 VALUES('one',1,11),('three',7,11),('one',2,11),('one',3,11),('two',4,11),('two',6,11),('three',8,11),('two',5,11),('three',9,11),(NULL,1,1);
EXPLAIN QUERY PLAN SELECT a, sum(b) FROM t1 GROUP BY a ORDER BY a;
EXPLAIN QUERY PLAN SELECT a, sum(b) FROM t1 GROUP BY a ORDER BY a DESC;
EXPLAIN QUERY PLAN SELECT a, sum(b) FROM t1 GROUP BY a ORDER BY a||'';
EXPLAIN QUERY PLAN SELECT a, sum(b) FROM t1 GROUP BY a ORDER BY a NULLS LAST;
SELECT a, sum(b) FROM t1 GROUP BY a ORDER BY a;
SELECT a, sum(b) FROM t1 GROUP BY a ORDER BY a DESC;
SELECT a, sum(b) FROM t1 GROUP BY a ORDER BY a NULLS LAST;
SELECT a, b, sum(c) FROM t1 GROUP BY a, b ORDER BY a DESC, b DESC LIMIT 4;
SELECT a, b, sum(c) FROM t1 GROUP BY a, b ORDER BY a DESC LIMIT 4;
SELECT a, sum(b) FROM t1 GROUP BY a HAVING sum(b) > 5 ORDER BY a DESC;
SELECT a COLLATE NOCASE, count(*) FROM t1 GROUP BY 1 ORDER BY 1 DESC;
