-- An ORDER BY or GROUP BY term that is an integer under any number of signs names a result column by number.
CREATE TABLE n(a INTEGER, b INTEGER);
INSERT INTO n VALUES (1, 5), (2, 1), (1, 0), (3, 3), (2, 9);
SELECT a, b FROM n ORDER BY - - 2;
SELECT a, b FROM n ORDER BY + + 1 DESC, - - + 2;
SELECT a, b FROM n ORDER BY -(-(2));
SELECT a FROM n ORDER BY - - 2;
SELECT a FROM n ORDER BY + - 1;
SELECT a, b FROM n UNION SELECT b, a FROM n ORDER BY - - 2;
SELECT a, b FROM n UNION SELECT b, a FROM n ORDER BY - 2;
SELECT a, count(*) FROM n GROUP BY - - 1 ORDER BY 2, 1;
SELECT a, count(*) FROM n GROUP BY + - 1;
SELECT a, sum(b) OVER () FROM n GROUP BY - - 1 ORDER BY 1;
WITH RECURSIVE c(x, y) AS (SELECT 1, 9 UNION ALL SELECT x + 1, y - 2 FROM c WHERE x < 5 ORDER BY - - 2 LIMIT 10) SELECT x FROM c;
WITH RECURSIVE c(x, y) AS (SELECT 1, 9 UNION ALL SELECT x + 1, y - 2 FROM c WHERE x < 5 ORDER BY + - 2 LIMIT 10) SELECT x FROM c;
