-- A query with window functions and an aggregate of its own written in a
-- subquery: in its results or ORDER BY the aggregate is misused (the query
-- has no place to compute it); in HAVING, in a window's PARTITION BY or
-- ORDER BY, or owned by another query, it is computed as usual.
CREATE TABLE t1(x, y);
INSERT INTO t1 VALUES (1, 1), (2, 1), (5, 2);
SELECT min(x) OVER (), (SELECT sum(x)) FROM t1;
SELECT min(x) OVER () FROM t1 ORDER BY (SELECT sum(x));
SELECT sum(x), min(x) OVER (), (SELECT sum(x)) FROM t1;
SELECT (SELECT sum(x)), min(x) OVER () FROM t1 GROUP BY y;
SELECT min(x) OVER (), (SELECT (SELECT max(y))) FROM t1;
SELECT min(x) OVER (), (SELECT sum(t1.x) FROM t1 AS u) FROM t1;
SELECT min(x) OVER w, (SELECT count(y)) FROM t1 WINDOW w AS (PARTITION BY y);
SELECT sum(x), min(x) OVER () FROM t1;
SELECT y, min(y) OVER () FROM t1 GROUP BY y HAVING (SELECT sum(x)) > 2 ORDER BY y;
SELECT min(x) OVER (PARTITION BY (SELECT sum(x))) FROM t1;
SELECT min(x) OVER (ORDER BY (SELECT sum(x))) FROM t1;
SELECT min(x) OVER (), (SELECT sum(x) FROM t1 AS u) FROM t1 ORDER BY 1;
SELECT (SELECT min(y) OVER () + (SELECT sum(t1.x)) FROM t1 AS t2 LIMIT 1) FROM t1;
SELECT x, (SELECT sum(x)) FROM t1;
