-- TRUE, FALSE and a double-quoted string that names no column are literals in an aggregate or grouped query too.
CREATE TABLE dual(dummy);
INSERT INTO dual VALUES ('X'), ('Y');
SELECT TRUE, count(*) FROM dual;
SELECT "abc", count(*) FROM dual;
SELECT "abc" FROM dual GROUP BY 1;
SELECT TRUE FROM dual GROUP BY 1;
SELECT false, max(dummy) FROM dual GROUP BY 1 HAVING NOT false ORDER BY true;
SELECT "dummy", count(*) FROM dual GROUP BY "dummy" ORDER BY 1;
WITH cte1 AS (SELECT TRUE, (WITH cte2 AS (SELECT avg(DISTINCT TRUE) FROM dual) SELECT 2571 FROM cte2) AS s FROM dual GROUP BY 1) SELECT (SELECT 1324 FROM cte1) FROM cte1;
SELECT * FROM (SELECT TRUE, 5 FROM dual GROUP BY 1);
CREATE TABLE t2(true, x);
INSERT INTO t2 VALUES (7, 1), (7, 2), (8, 3);
SELECT true, sum(x) FROM t2 GROUP BY 1 ORDER BY 1;
