-- Sorting by runs inside FROM subqueries and CTEs run as co-routines, under an outer LIMIT and OFFSET
CREATE TABLE tr(a,b,c);
CREATE INDEX tra ON tr(a);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 300) INSERT INTO tr SELECT i % 9, (i * 37) % 13, i FROM r;
SELECT * FROM (SELECT * FROM tr ORDER BY a, b, c) LIMIT 7;
SELECT * FROM (SELECT * FROM tr ORDER BY a, b, c) LIMIT 5 OFFSET 40;
SELECT count(*), sum(c) FROM (SELECT * FROM tr ORDER BY a, b DESC, c LIMIT 100);
SELECT x.a, x.c, u.c FROM (SELECT * FROM tr WHERE a < 3 ORDER BY a, c DESC LIMIT 4) x LEFT JOIN tr u ON u.c = x.c + 1 ORDER BY 1, 2;
WITH w AS (SELECT a, b, c FROM tr ORDER BY a DESC, b, c) SELECT * FROM w LIMIT 3;
