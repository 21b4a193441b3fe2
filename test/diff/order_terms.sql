-- ORDER BY / GROUP BY terms that are signed integer constants name result columns (and must be in range).
SELECT DISTINCT 1 ORDER BY -17;
SELECT 1 GROUP BY -7;
SELECT 1 AS a, 2 AS b ORDER BY +2, -0 + 1;
SELECT 1 ORDER BY +1;
CREATE TABLE t(a, b);
INSERT INTO t VALUES (1, 2), (3, 1);
SELECT a, b FROM t ORDER BY +2;
SELECT a, count(*) FROM t GROUP BY +1;
SELECT a FROM t ORDER BY -1;
