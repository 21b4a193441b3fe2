-- A result alias that holds a window call, named inside a subquery of the
-- query's ORDER BY, WHERE or GROUP BY: SQLite finds the alias and refuses it
-- ("misuse of aliased window function m"); a plain alias there is read.
CREATE TABLE t1(a INTEGER PRIMARY KEY, b INTEGER);
INSERT INTO t1 VALUES (1, 10), (2, 15), (3, -5);
SELECT a * 2 AS m FROM t1 ORDER BY (SELECT m);
SELECT count() OVER () AS m FROM t1 ORDER BY (SELECT m);
SELECT a, sum(b) OVER (ORDER BY a) AS abc FROM t1 ORDER BY (SELECT abc);
SELECT a, 1 + sum(b) OVER (ORDER BY a) AS abc FROM t1 ORDER BY (SELECT abc);
SELECT a, sum(b) OVER () AS s FROM t1 ORDER BY (SELECT 1 FROM t1 AS x WHERE x.a = s);
SELECT sum(b) OVER () AS s FROM t1 WHERE (SELECT s) > 0;
SELECT sum(b) OVER () AS s FROM t1 GROUP BY (SELECT s);
SELECT a, sum(b) OVER (ORDER BY a) AS abc FROM t1 ORDER BY abc;
SELECT a, sum(b) OVER (ORDER BY a) AS b FROM t1 ORDER BY (SELECT b);
SELECT sum(b) AS s FROM t1 ORDER BY (SELECT s);
-- A plain alias inside a subquery of a window query's ORDER BY is read per row.
SELECT a * 2 AS m, count() OVER () FROM t1 ORDER BY (SELECT -m);
SELECT a * 2 AS m, count() OVER () FROM t1 ORDER BY (SELECT -m FROM t1 AS z WHERE z.a = 1);
SELECT b AS m, sum(a) OVER () FROM t1 ORDER BY (SELECT m + 0);
SELECT a * 2 AS m, count() OVER () FROM t1 AS q ORDER BY (SELECT -m), a;
