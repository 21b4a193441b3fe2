-- x IN () is a truth value, not a number as written: ORDER BY (x IN ()) names no result column.
CREATE TABLE t0(c0);
SELECT COUNT(*) FROM t0 ORDER BY (t0.c0 IN ());
INSERT INTO t0 VALUES(1),(2);
SELECT c0 FROM t0 ORDER BY c0 NOT IN (), c0 DESC;
SELECT c0 FROM t0 GROUP BY (c0 IN ()) ORDER BY 1;
SELECT c0 IN () FROM t0 ORDER BY 1;
SELECT c0 FROM t0 UNION SELECT 5 ORDER BY (1 IN ());
