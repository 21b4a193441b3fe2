-- An aggregate of the enclosing query inside a subquery's HAVING: when that subquery does not aggregate by itself
-- (no GROUP BY, no aggregate in its results), SQLite reports its HAVING before the misplaced call.
CREATE TABLE a(x);
CREATE TABLE b(x);
INSERT INTO a VALUES (1), (2);
INSERT INTO b VALUES (3);
SELECT * FROM a WHERE EXISTS (SELECT 1 FROM b HAVING max(a.x) > 0);
SELECT * FROM a WHERE EXISTS (SELECT 1 FROM b HAVING max(a.x) > 0 AND count(*));
SELECT * FROM a WHERE (SELECT 1 FROM b HAVING max(a.x) > 0);
SELECT * FROM a WHERE x IN (SELECT 1 FROM b HAVING max(a.x) > 0);
SELECT * FROM a JOIN b ON EXISTS (SELECT 1 FROM b HAVING max(a.x) > 0);
SELECT * FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.x IN (SELECT 1 FROM a c HAVING max(a.x)));
SELECT * FROM a WHERE EXISTS (SELECT max(a.x) FROM b HAVING 1);
-- The subquery aggregates: the call is misplaced in the enclosing WHERE.
SELECT * FROM a WHERE EXISTS (SELECT 1 FROM b GROUP BY b.x HAVING max(a.x) > 0);
SELECT * FROM a WHERE EXISTS (SELECT count(*) FROM b HAVING max(a.x) > 0);
SELECT * FROM a WHERE EXISTS (SELECT 1 FROM b WHERE max(a.x) > 0);
-- In the results or HAVING of the enclosing query the call is its own aggregate.
SELECT (SELECT 1 FROM b HAVING max(a.x)) FROM a;
SELECT count(*) FROM a HAVING EXISTS (SELECT 1 FROM b GROUP BY b.x HAVING max(a.x) > 0);
