-- GROUP BY and DISTINCT without an ORDER BY they serve walk an index forward, whatever direction its columns have, as SQLite does; identical aggregate calls share one accumulator
CREATE TABLE t(f, g, h);
CREATE INDEX tf ON t(f DESC);
INSERT INTO t VALUES(1, 1, 'a'), (2, 2, 'b'), (0, 0, 'c'), (NULL, 5, 'd'), (2, 3, 'e'), (1.0, 7, 'f'), ('x', 1, 'g');
SELECT f, count(*) FROM t GROUP BY f;
SELECT DISTINCT f FROM t;
SELECT f, count(*) FROM t GROUP BY f ORDER BY f;
SELECT f, count(*) FROM t GROUP BY f ORDER BY f DESC;
SELECT DISTINCT f FROM t ORDER BY f;
EXPLAIN QUERY PLAN SELECT f, count(*) FROM t GROUP BY f;
EXPLAIN QUERY PLAN SELECT DISTINCT f FROM t;
CREATE INDEX tfg ON t(f, g DESC);
SELECT f, g FROM t GROUP BY f, g;
SELECT DISTINCT f, g FROM t;
SELECT f, g, count(*) FROM t GROUP BY f, g ORDER BY f, g;
SELECT max(f), typeof(max(f)) FROM t WHERE f <= 1;
SELECT max(g), max(g) + 1, max(t.g), count(*), count(*) * 2 FROM t;
SELECT f, sum(g), sum(g) * 2, sum(g + 1) FROM t GROUP BY f HAVING sum(g) > 1 ORDER BY sum(g);
SELECT max(random() % 1) = max(random() % 1) FROM t;
