-- A scan that finds its table empty ends every loop of its inner join, up to
-- the nearest LEFT JOIN (whose NULL row still comes): the results stay
-- SQLite's (test_plan.c checks that the exit is taken).
CREATE TABLE t1(a);
WITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c WHERE x < 100) INSERT INTO t1(a) SELECT x FROM c;
CREATE TABLE empty(x);
CREATE TABLE one(y);
INSERT INTO one VALUES (7);
SELECT count(*) FROM t1 AS a CROSS JOIN t1 AS b CROSS JOIN t1 AS c CROSS JOIN empty;
SELECT count(*) FROM t1, t1 AS b, t1 AS c, empty;
SELECT count(*) FROM t1 AS a CROSS JOIN t1 AS b LEFT JOIN empty;
SELECT count(*) FROM t1 AS a CROSS JOIN t1 AS b LEFT JOIN t1 AS c ON c.a = b.a CROSS JOIN empty;
SELECT count(*), sum(a.a) FROM t1 AS a LEFT JOIN one ON one.y = a.a CROSS JOIN empty;
SELECT a.a, one.y FROM t1 AS a LEFT JOIN empty ON 1 LEFT JOIN one ON 1 WHERE a.a < 3 ORDER BY 1;
SELECT a, (SELECT count(*) FROM t1 AS b CROSS JOIN empty WHERE b.a = t1.a) FROM t1 WHERE a <= 2;
SELECT count(*) FROM t1 AS a CROSS JOIN t1 AS b WHERE EXISTS (SELECT 1 FROM empty WHERE x = a.a);
SELECT a, count(*) FROM t1 CROSS JOIN one CROSS JOIN empty GROUP BY a;
SELECT max(a) FROM t1 CROSS JOIN empty;
INSERT INTO empty VALUES (1);
SELECT count(*) FROM t1 AS a CROSS JOIN t1 AS b CROSS JOIN empty;
DELETE FROM empty;
SELECT count(*) FROM t1 AS a CROSS JOIN t1 AS b CROSS JOIN empty;
-- WHERE terms that read no table are tested once, before any loop.
SELECT count(*) FROM t1 WHERE 0;
SELECT count(*), max(a) FROM t1 WHERE 1 = 2;
SELECT a FROM t1 WHERE a IN () OR a = 2;
SELECT a FROM t1 WHERE a IN ();
SELECT a FROM t1 WHERE NULL IN () IS 0 AND a < 3;
SELECT count(*) FROM t1 AS a LEFT JOIN one ON 0 WHERE 1;
SELECT count(*) FROM t1 AS a JOIN one ON 0;
SELECT a, (SELECT count(*) FROM one WHERE t1.a = 2) FROM t1 WHERE a <= 3;
SELECT count(*) FROM t1 WHERE abs(random()) % 1 = 0;
SELECT a FROM t1 GROUP BY a HAVING 0;
SELECT strftime(), quote(strftime());
