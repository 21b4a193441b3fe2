-- A FROM subquery, view or CTE joined on an equality its rows have no index for gets an automatic index on
-- its kept rows (rebuilt each time the subquery is made again); equal rows stay apart, a comparison's
-- affinity decides whether the index may serve it, and an outer join's missing row reads NULLs
CREATE TABLE t2(id INTEGER PRIMARY KEY, u INT, v TEXT);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 2000) INSERT INTO t2 SELECT i, i % 50, 'v' || (i % 7) FROM r;
CREATE TABLE t1(a INTEGER PRIMARY KEY, b, c TEXT);
INSERT INTO t1 VALUES(1, 4, '4'), (2, 5, 'x'), (3, NULL, '3'), (4, 2, '2');
WITH q AS (SELECT u, count(*) AS c FROM t2 GROUP BY u) SELECT count(*), sum(b.c) FROM q a JOIN q b ON b.u = a.u + 1 WHERE a.c > 10;
SELECT count(*), sum(x.n) FROM (SELECT v, count(*) AS n FROM t2 GROUP BY v) x JOIN (SELECT v, u FROM t2 WHERE u < 5) y ON y.v = x.v;
SELECT x.v, y.k FROM (SELECT DISTINCT v FROM t2) x LEFT JOIN (SELECT 'v3' AS k UNION ALL SELECT 'v3' UNION ALL SELECT 'v5') y ON y.k = x.v ORDER BY 1, 2;
SELECT count(*) FROM (SELECT u FROM t2) a JOIN (SELECT u FROM t2 WHERE id < 100) b ON a.u = b.u;
SELECT x.u, y.v FROM (SELECT c AS u FROM t1) x JOIN (SELECT a + 1 AS v FROM t1) y ON x.u = y.v ORDER BY 1;
SELECT x.u, y.v FROM (SELECT b AS u FROM t1) x JOIN (SELECT c AS v FROM t1) y ON x.u = y.v ORDER BY 1;
SELECT t1.a, y.v FROM t1 JOIN (SELECT a * 2 AS v FROM t1) y ON t1.c = y.v ORDER BY 1;
SELECT o.a, (SELECT count(*) FROM (SELECT u FROM t2 WHERE u < o.a) p JOIN (SELECT u FROM t2 WHERE id <= 50) q ON q.u = p.u) FROM t1 o ORDER BY 1;
SELECT count(*) FROM (SELECT u, v FROM t2 WHERE id < 300) a LEFT JOIN (SELECT u, v FROM t2 WHERE id > 1900) b ON b.u = a.u AND b.v = a.v WHERE b.u IS NULL;
PRAGMA automatic_index = OFF;
WITH q AS (SELECT u, count(*) AS c FROM t2 GROUP BY u) SELECT count(*), sum(b.c) FROM q a JOIN q b ON b.u = a.u + 1 WHERE a.c > 10;
