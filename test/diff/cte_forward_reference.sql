-- A CTE's body sees every CTE of its WITH clause, later ones too; a cycle among them is a circular reference.
CREATE TABLE b(z); INSERT INTO b VALUES ('table b');
CREATE TABLE t1(x); INSERT INTO t1 VALUES (1), (2);
WITH a AS (SELECT * FROM b), b AS (SELECT 'cte b') SELECT * FROM a;
WITH tmp2(x) AS (SELECT * FROM tmp1), tmp1(a) AS (SELECT * FROM t1) SELECT * FROM tmp2;
WITH tmp2(x) AS (SELECT * FROM tmp1), tmp1(a) AS (SELECT * FROM tmp2) SELECT * FROM tmp1;
WITH tmp2(x) AS (SELECT * FROM tmp1), tmp1(a) AS (SELECT * FROM tmp2) SELECT * FROM tmp2;
WITH t1 AS (SELECT * FROM t1) SELECT * FROM t1;
WITH a AS (SELECT * FROM c), c AS (SELECT x * 10 AS y FROM t1), d AS (SELECT y + 1 FROM a) SELECT * FROM d;
WITH RECURSIVE a(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM a WHERE n < (SELECT max(x) FROM lim)), lim(x) AS (SELECT 3) SELECT * FROM a;
WITH a AS (SELECT 1 AS v), b AS (SELECT v FROM a) SELECT * FROM b;
