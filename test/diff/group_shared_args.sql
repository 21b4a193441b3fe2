-- GROUP BY calls with one equal column argument (sum(x), avg(x)) read it from one
-- column of the grouping record; FILTER, DISTINCT and subtype-keeping calls
-- keep their own.
CREATE TABLE g(k, x INTEGER, y REAL, z TEXT);
INSERT INTO g VALUES (1, 1, 1.5, 'a'), (1, 2, NULL, 'b'), (2, NULL, 2.5, 'c'), (2, 4, 3.5, 'a'), (3, 5, 0, NULL);
SELECT k, sum(x), avg(x), count(x), max(x), min(x), total(x), group_concat(z), group_concat(z, '-'), count(DISTINCT z), sum(DISTINCT x) FROM g GROUP BY k ORDER BY k;
SELECT k, sum(y), avg(y), max(y) FILTER (WHERE x > 1), min(y), count(*) FROM g GROUP BY k ORDER BY k;
SELECT k, max(x), x, min(y), y FROM g GROUP BY k ORDER BY k;
SELECT a.k, sum(a.x), avg(b.x), sum(b.x), count(a.x) FROM g a JOIN g b ON a.k = b.k GROUP BY a.k ORDER BY 1;
SELECT k, (SELECT sum(g.x) FROM g AS h WHERE h.k = g.k), sum(x) FROM g GROUP BY k ORDER BY k;
