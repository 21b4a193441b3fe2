-- An aggregate call whose arguments name only the columns of an enclosing query belongs to that query (SQLite's
-- rule).  In the result of an EXISTS subquery of a WHERE or ON clause, where the enclosing query may have no
-- aggregate, SQLite 3.53 lets it be: an EXISTS reads no result column, so the call is computed nowhere, and the
-- subquery is no aggregate query because of it (it finds no row where its WHERE finds none).
CREATE TABLE a(x INT, y INT);
CREATE TABLE b(x INT, y INT);
INSERT INTO a VALUES (1, 1), (2, 2), (NULL, 3);
INSERT INTO b VALUES (1, 5), (2, 6);
SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM b);
EXPLAIN QUERY PLAN SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM b);
SELECT count(*) FROM a WHERE EXISTS (SELECT max(a.x) FROM b);
SELECT * FROM a WHERE NOT EXISTS (SELECT max(a.x) FROM b);
SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM b WHERE b.x = a.x);
EXPLAIN QUERY PLAN SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM b WHERE b.x = a.x);
SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM b WHERE b.x > 100);
EXPLAIN QUERY PLAN SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM b WHERE b.x > 100);
SELECT * FROM a WHERE EXISTS (SELECT sum(a.x) + max(b.x) FROM b);
SELECT * FROM a WHERE EXISTS (SELECT max(a.x), min(b.y) FROM b WHERE b.x > 100);
SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM b GROUP BY b.y);
SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM b GROUP BY b.y HAVING count(*) > 5);
SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM b LIMIT 1);
EXPLAIN QUERY PLAN SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM b LIMIT 1);
SELECT * FROM a WHERE EXISTS (SELECT DISTINCT max(a.x) FROM b);
SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM b ORDER BY 1);
SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM (SELECT * FROM b) AS s);
SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM b JOIN b AS c ON c.x = b.x);
SELECT * FROM a WHERE EXISTS (SELECT max(a.x));
SELECT * FROM a WHERE a.y > 0 AND EXISTS (SELECT max(a.x) FROM b);
SELECT * FROM a WHERE a.y > 2 OR EXISTS (SELECT max(a.x) FROM b WHERE b.x = a.x);
SELECT * FROM a JOIN b ON EXISTS (SELECT max(a.x) FROM b AS c WHERE c.y = b.y - 4);
SELECT * FROM a LEFT JOIN b ON EXISTS (SELECT max(a.x) FROM b AS c WHERE c.x = a.x) ORDER BY 1, 2, 3, 4;
-- Its own aggregates keep the subquery an aggregate query, which always has a row.
SELECT * FROM a WHERE EXISTS (SELECT count(*) FROM b WHERE b.x > 100);
SELECT * FROM a WHERE EXISTS (SELECT max(b.x) FROM b WHERE b.x = a.x);
-- Elsewhere the call is the enclosing query's: an aggregate query where aggregates may stand, a misuse where not.
SELECT EXISTS (SELECT max(a.x) FROM b) FROM a;
SELECT x FROM a GROUP BY x HAVING EXISTS (SELECT max(a.y) FROM b);
SELECT * FROM a WHERE (SELECT max(a.x) FROM b) IS NOT NULL;
SELECT * FROM a WHERE a.x IN (SELECT max(a.x) FROM b);
SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM b UNION SELECT 1);
SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM b WHERE max(a.x) > 0);
SELECT * FROM a WHERE EXISTS (SELECT max(nosuch) FROM b);
SELECT * FROM a WHERE EXISTS (SELECT max(a.nosuch) FROM b);
