-- An aggregate of the outer query written inside a subquery of its ORDER BY (max(a.x) in a subquery over b)
-- belongs to the outer query, as in the result columns and HAVING; but ORDER BY alone does not make a query
-- aggregate: a query that aggregates anyway computes it, any other fails as with an aggregate of its own there.
CREATE TABLE a(x, g);
CREATE TABLE b(y);
INSERT INTO a VALUES (1, 'p'), (2, 'q'), (3, 'p');
INSERT INTO b VALUES (5), (6);
SELECT x FROM a ORDER BY (SELECT max(a.x) FROM b);
SELECT x FROM a ORDER BY max(x);
SELECT x FROM a ORDER BY (SELECT count(a.x) FROM b WHERE y > 0);
SELECT x FROM a ORDER BY (SELECT y + max(a.x) FROM b);
SELECT DISTINCT x FROM a ORDER BY (SELECT max(a.x) FROM b);
SELECT x FROM a ORDER BY (SELECT max(y) FROM b), x;
SELECT x FROM a ORDER BY (SELECT max(b.y) FROM b WHERE b.y > a.x), x;
SELECT g FROM a GROUP BY g ORDER BY (SELECT max(a.x) FROM b), g;
SELECT g, count(*) FROM a GROUP BY g ORDER BY (SELECT sum(a.x) + y FROM b ORDER BY y LIMIT 1);
SELECT count(*) FROM a ORDER BY (SELECT max(a.x) FROM b);
SELECT max(x) FROM a ORDER BY (SELECT min(a.x) FROM b);
SELECT (SELECT max(a.x) FROM b) FROM a ORDER BY (SELECT min(a.x) FROM b);
SELECT x FROM a GROUP BY g HAVING (SELECT max(a.x) FROM b) > 0 ORDER BY 1;
SELECT x FROM a UNION SELECT y FROM b ORDER BY 1;
SELECT x FROM a ORDER BY (SELECT max(a.x) FROM b) LIMIT 1;
