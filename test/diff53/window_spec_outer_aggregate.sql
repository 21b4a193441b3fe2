-- An aggregate call in a window's PARTITION BY or ORDER BY, inside a
-- subquery, whose arguments name only the enclosing query's FROM belongs to
-- the enclosing query (as anywhere else in a subquery): that query then
-- aggregates, giving its one row even over an empty table.
CREATE TABLE t1(a);
CREATE TABLE t2(y);
SELECT (SELECT count(a) OVER (ORDER BY sum(a)) + total(a) OVER ()) FROM t1;
SELECT (SELECT count(a) OVER (ORDER BY sum(a))) FROM t1;
SELECT (SELECT count(*) OVER (PARTITION BY max(a))) FROM t1;
SELECT sum(a) OVER (ORDER BY (SELECT min(a))) FROM t1;
SELECT (SELECT count(a) OVER w WINDOW w AS (ORDER BY sum(a))) FROM t1;
INSERT INTO t1 VALUES (1), (3), (3);
SELECT (SELECT count(a) OVER (ORDER BY sum(a)) + total(a) OVER ()) FROM t1;
SELECT (SELECT count(*) OVER (PARTITION BY max(a))) FROM t1;
SELECT sum(a) OVER (ORDER BY (SELECT min(a))) FROM t1;
SELECT (SELECT count(a) OVER w WINDOW w AS (ORDER BY sum(a))) FROM t1;
SELECT a, (SELECT count(y) OVER (ORDER BY sum(y)) FROM t2) FROM t1 ORDER BY a;
