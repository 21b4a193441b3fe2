-- A window call of a function known only with other argument counts: if
-- the function is never a window function (a scalar one, as min/max of
-- several arguments come first), that is the error, not the count.
CREATE TABLE t(a);
INSERT INTO t VALUES (1), (2);
SELECT max(*) OVER () FROM t;
SELECT min() OVER () FROM t;
SELECT lower(*) OVER (PARTITION BY a) FROM t;
SELECT lower() OVER () FROM t;
SELECT substr(a) OVER () FROM t;
SELECT abs(a, 2) OVER () FROM t;
SELECT group_concat() OVER () FROM t;
SELECT json_group_array(a, 2) OVER () FROM t;
SELECT count(a, 2) OVER () FROM t;
SELECT sum(*) OVER () FROM t;
SELECT row_number(a) OVER () FROM t;
SELECT ntile() OVER () FROM t;
SELECT nofunc(*) OVER () FROM t;
SELECT lower(a) OVER () FROM t;
SELECT max(a) OVER (), min(a, 3) FROM t;
