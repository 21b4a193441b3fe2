-- A subquery of HAVING or ORDER BY reads an alias of an aggregate as that aggregate of the outer query.
CREATE TABLE ha(x, y);
CREATE TABLE hb(c, d);
INSERT INTO ha VALUES(1, 2), (1, 3), (2, 5), (3, 1), (3, 1), (3, 4);
INSERT INTO hb VALUES(1, 1), (2, 2);
SELECT x, count(*) AS c FROM ha GROUP BY x HAVING (SELECT c) > 1;
SELECT x, count(*) AS n FROM ha GROUP BY x HAVING (SELECT n FROM hb) > 2;
SELECT x, count(*) AS c FROM ha GROUP BY x HAVING (SELECT c FROM hb WHERE d = 2) > 1;
SELECT x, sum(y) + x AS s FROM ha GROUP BY x HAVING (SELECT (SELECT s)) > 5;
SELECT x, count(*) AS c FROM ha GROUP BY x ORDER BY (SELECT c) DESC, x;
SELECT x, count(*) AS c FROM ha GROUP BY x ORDER BY (SELECT -c), x;
SELECT x, count(*) AS c FROM ha HAVING (SELECT c) > 1;
SELECT sum(y) AS s FROM ha HAVING (SELECT s) > 1;
SELECT max(y) AS m, x FROM ha GROUP BY x HAVING EXISTS (SELECT 1 FROM hb WHERE d + 3 <= m);
SELECT x, count(*) AS c FROM ha GROUP BY x HAVING x IN (SELECT c FROM hb);
SELECT x, count(*) AS k FROM ha GROUP BY x HAVING 3 IN (SELECT k);
-- Misused: in WHERE and GROUP BY, and from a result column.
SELECT x, count(*) AS c FROM ha WHERE (SELECT c) > 1 GROUP BY x;
SELECT x, count(*) AS c FROM ha GROUP BY (SELECT c);
SELECT x, count(*) AS c, (SELECT c) FROM ha GROUP BY x;
