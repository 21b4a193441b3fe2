-- plans: compared
-- A FROM subquery or view of plain tables without aggregates, DISTINCT,
-- LIMIT or compounds is merged into the query that reads it: its tables
-- join the outer query's, and its columns are read where they were named.
CREATE TABLE t1(id INTEGER PRIMARY KEY, a INT, b INT, c INT);
CREATE INDEX t1a ON t1(a);
CREATE TABLE t2(id INTEGER PRIMARY KEY, x INT, y INT, z TEXT);
CREATE INDEX t2x ON t2(x);
INSERT INTO t1 VALUES(1, 5, 6, 7), (2, 3, 4, 5), (3, 9, 9, 9), (4, 1, NULL, 2);
INSERT INTO t2 VALUES(1, 1, 2, 'a'), (2, 2, 3, 'b'), (3, 3, 4, 'c'), (4, 9, 1, 'd');
CREATE VIEW v12 AS SELECT t1.id, t1.b, t2.z, t2.y AS u FROM t1 JOIN t2 ON t2.x = t1.id;
CREATE VIEW vc(p, q2) AS SELECT a, b * 2 FROM t1 WHERE c > 5;
CREATE VIEW vs AS SELECT * FROM t2;
EXPLAIN QUERY PLAN SELECT count(*) FROM t2 JOIN (SELECT id, b FROM t1 WHERE a < 4) q ON q.id = t2.x;
SELECT count(*) FROM t2 JOIN (SELECT id, b FROM t1 WHERE a < 4) q ON q.id = t2.x;
EXPLAIN QUERY PLAN SELECT count(*), sum(b) FROM v12 WHERE u = 3;
SELECT count(*), sum(b) FROM v12 WHERE u = 3;
EXPLAIN QUERY PLAN SELECT * FROM t2, (SELECT id AS k, b + 1 AS bb FROM t1) q WHERE k = x ORDER BY bb;
SELECT * FROM t2, (SELECT id AS k, b + 1 AS bb FROM t1) q WHERE k = x ORDER BY bb;
EXPLAIN QUERY PLAN SELECT q.*, z FROM (SELECT * FROM t1 WHERE a > 1) AS q JOIN t2 ON t2.x = q.id GROUP BY b ORDER BY 1;
SELECT q.*, z FROM (SELECT * FROM t1 WHERE a > 1) AS q JOIN t2 ON t2.x = q.id GROUP BY b ORDER BY 1;
EXPLAIN QUERY PLAN SELECT bb, (SELECT count(*) FROM t2 WHERE t2.x < q.bb) FROM (SELECT b AS bb FROM t1) q;
SELECT bb, (SELECT count(*) FROM t2 WHERE t2.x < q.bb) FROM (SELECT b AS bb FROM t1) q;
EXPLAIN QUERY PLAN SELECT p, q2 FROM vc ORDER BY p;
SELECT p, q2 FROM vc ORDER BY p;
EXPLAIN QUERY PLAN SELECT * FROM vc, t2 WHERE t2.x = vc.p - 4;
SELECT * FROM vc, t2 WHERE t2.x = vc.p - 4;
EXPLAIN QUERY PLAN SELECT v.z FROM vs v WHERE v.x > 1;
SELECT v.z FROM vs v WHERE v.x > 1;
EXPLAIN QUERY PLAN SELECT * FROM (SELECT * FROM t1);
SELECT * FROM (SELECT * FROM t1);
SELECT k, count(*) FROM (SELECT a % 2 AS k FROM t1) GROUP BY k HAVING count(*) > 1;
SELECT x, (SELECT sum(bb) FROM t2 WHERE t2.y > q.bb) FROM (SELECT b AS bb, a AS x FROM t1) q ORDER BY x;
-- Not merged: an aggregate, a LIMIT, the right side of a LEFT JOIN.  Merged: random() read twice is two calls.
SELECT * FROM t2 JOIN (SELECT a, count(*) AS n FROM t1 GROUP BY a) q ON q.a = t2.x;
SELECT * FROM t2 JOIN (SELECT id FROM t1 ORDER BY id LIMIT 2) q ON q.id = t2.x;
SELECT t2.id, q.b FROM t2 LEFT JOIN (SELECT id, b FROM t1) q ON q.id = t2.x ORDER BY 1;
SELECT r = r FROM (SELECT random() AS r FROM t1);
-- Names that would reach the subquery's tables keep it a subquery, with the old errors.
SELECT a FROM t2, (SELECT id AS k FROM t1) q;
SELECT id FROM t2, (SELECT id FROM t1) q;
SELECT t1.a FROM t2, (SELECT id AS k FROM t1) q;
