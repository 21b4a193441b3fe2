-- SELECT DISTINCT keeps the first of each set of rows whose columns compare equal in their collations:
-- 2 and 2.0 are one row, NULLs are equal, NOCASE text is one row whatever its case
CREATE TABLE d(a, b TEXT COLLATE NOCASE, c BLOB);
INSERT INTO d VALUES(2, 'x', x'01'), (2.0, 'X', x'01'), (NULL, NULL, NULL), (NULL, NULL, NULL), (3, 'y', x'0102'), ('3', 'Y', x'0102'), (0.0, 'z', ''), (-0.0, 'Z', x'');
SELECT DISTINCT a, typeof(a) FROM d ORDER BY 1, 2;
SELECT DISTINCT b FROM d ORDER BY 1;
SELECT DISTINCT a, b FROM d ORDER BY 1, 2;
SELECT DISTINCT c FROM d ORDER BY 1;
SELECT DISTINCT b COLLATE BINARY FROM d ORDER BY 1;
SELECT count(*) FROM (SELECT DISTINCT a, b, c FROM d);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 5000) SELECT count(*), sum(x) FROM (SELECT DISTINCT i % 777 AS x, (i % 777) * 1.0 AS y FROM r);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 3000) SELECT count(*) FROM (SELECT DISTINCT 'k' || (i % 500), i % 3 FROM r);
SELECT DISTINCT a FROM d LIMIT 2 OFFSET 1;
