-- A subquery inside an aggregate's argument runs with the scan, on the scan's row;
-- one outside the aggregates runs at the output, on the group's row.
CREATE TABLE t1(a INTEGER PRIMARY KEY, b INTEGER, c TEXT);
CREATE TABLE t2(a INTEGER PRIMARY KEY, b INTEGER, c TEXT);
CREATE INDEX t1b ON t1(b);
INSERT INTO t1 VALUES (1, 10, 'x'), (2, 20, 'y'), (3, 10, 'z'), (4, 30, 'x'), (5, 20, NULL), (6, 15, 'w');
INSERT INTO t2 VALUES (1, 5, 'p'), (2, 15, 'q'), (3, 25, 'r'), (4, 10, 's');
SELECT sum(a), max(c), avg((SELECT a FROM t2 WHERE 5 + t2.b = t1.b) AND rowid < 5), max(c) FROM t1 WHERE rowid < 5;
SELECT count(*), sum((SELECT count(*) FROM t2 WHERE t2.b < t1.b)) FROM t1;
SELECT b, sum((SELECT max(a) FROM t2 WHERE t2.b <= t1.b)) FROM t1 GROUP BY b;
SELECT b, count(*), (SELECT c FROM t2 WHERE t2.a = t1.a) FROM t1 GROUP BY b ORDER BY b;
SELECT b, max(a), (SELECT c FROM t2 WHERE t2.a = t1.a), c FROM t1 GROUP BY b;
SELECT max(a), c, total((SELECT b FROM t2 WHERE t2.a = t1.a)) FROM t1;
SELECT min(a), c, (SELECT b FROM t2 WHERE t2.a = t1.a) FROM t1;
SELECT b, group_concat((SELECT c FROM t2 WHERE t2.a = t1.a)) FROM t1 GROUP BY b HAVING sum((SELECT 1 FROM t2 WHERE t2.a = t1.a)) > 0;
SELECT b, count(*) FROM t1 GROUP BY b HAVING (SELECT count(*) FROM t2 WHERE t2.b = t1.b) > 0;
SELECT (SELECT sum((SELECT count(*) FROM t2 WHERE t2.b > t1.b + x.b)) FROM t1) FROM t2 AS x ORDER BY x.a;
SELECT b, sum(a) FILTER (WHERE (SELECT count(*) FROM t2 WHERE t2.b < t1.b) > 1) FROM t1 GROUP BY b;
