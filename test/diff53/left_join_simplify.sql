-- A WHERE term that cannot be true on a LEFT JOIN's row of NULLs makes the join inner, as in SQLite 3.53
-- (codegen/outer_join.c): the planner may then reorder it.  Which terms count, and the rows (NULL rows kept where
-- the join stays outer).
CREATE TABLE a(x INT, y INT, z TEXT);
CREATE TABLE b(x INT, y INT, z TEXT);
CREATE INDEX by ON b(y);
CREATE TABLE c(x INT, y INT, z TEXT);
CREATE INDEX cy ON c(y);
CREATE VIEW vb AS SELECT x, y, z FROM b;
CREATE VIRTUAL TABLE temp.s USING json_each('[1, 5, null]');
INSERT INTO a VALUES (1, 1, 'a'), (2, 2, 'b'), (3, NULL, 'c'), (NULL, 4, NULL), (5, 5, 'e');
INSERT INTO b VALUES (1, 5, 'a'), (2, 6, 'B'), (5, 5, NULL), (NULL, NULL, 'x'), (1, 7, 'A');
INSERT INTO c VALUES (1, 5, 'a'), (2, 6, 'B'), (5, 5, NULL), (NULL, NULL, 'x');
-- Terms that need b's row: comparisons, IN lists, BETWEEN on b, NOT, CAST, COLLATE, arithmetic, the OR of two such.
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y = 5;
SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y = 5 ORDER BY a.x, b.z;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IN (5, 6);
SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IN (5, 6) ORDER BY a.x, b.y;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IN (a.y);
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.rowid = 3;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IS NOT NULL;
SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IS NOT NULL ORDER BY a.x, b.y;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y + 0 = 5;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE NOT (b.y = 5);
SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE NOT (b.y = 5) ORDER BY a.x, b.y;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE CAST(b.y AS TEXT) = '5';
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.z COLLATE NOCASE = 'a';
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y = 5 OR b.z = 'a';
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y BETWEEN 5 AND 6;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE 5 NOT BETWEEN b.y AND b.x;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y NOT IN (5, 6);
SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y NOT IN (5, 6) ORDER BY a.x, b.y;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y = (SELECT 5);
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y = 5 AND a.y = 1;
-- Terms that a row of NULLs may pass, or that SQLite does not look into: the join stays outer.
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IS NULL;
SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IS NULL ORDER BY a.x, b.z;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IS 5;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IS NOT 5;
SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IS NOT 5 ORDER BY a.x, b.y;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE coalesce(b.y, 5) = 5;
SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE coalesce(b.y, 5) = 5 ORDER BY a.x, b.y;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE ifnull(b.y, 0) = 5;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE CASE WHEN b.y = 5 THEN 1 END;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.z LIKE 'a%';
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.z GLOB 'a*';
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE abs(b.y) = 5;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IN (SELECT y FROM c);
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE a.y IN (b.y, 5);
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE 5 BETWEEN b.y AND 6;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y = 5 OR a.z = 'a';
SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y = 5 OR a.z = 'a' ORDER BY a.x, b.y;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE NOT (b.y IS NULL);
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y NOTNULL OR b.z NOTNULL;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE (b.y, b.z) = (5, 'a');
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y = 5 IS NOT FALSE;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IS TRUE;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE EXISTS (SELECT 1 FROM c WHERE c.y = b.y);
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE (SELECT b.y) = 5;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.z -> '$' = 'a';
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y = 5 AND 0;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.y WHERE s.value = b.y;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON b.y = 5;
-- Only the first term of the WHERE (and the left side of an AND on the right of another) is looked at whole:
-- IS NOT NULL there, likely() and unlikely() looked through.
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IS NOT NULL AND a.y = 1;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE a.y = 1 AND b.y IS NOT NULL;
SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE a.y = 1 AND b.y IS NOT NULL;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE a.y = 1 AND (b.y IS NOT NULL AND a.z = 'a');
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE a.y = 1 AND (a.z = 'a' AND b.y IS NOT NULL);
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE a.y = 1 AND likely(b.y = 5);
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE 1 AND b.y IS NOT NULL;
-- Inner joins' ON clauses count, after WHERE and in FROM order; an outer join's own ON clause does not.
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x JOIN c ON b.y = 5;
SELECT * FROM a LEFT JOIN b ON a.x = b.x JOIN c ON b.y IS NOT NULL ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x JOIN c ON b.y IS NOT NULL AND c.x IS NOT NULL;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x JOIN c ON c.z = 'a' WHERE b.y IS NOT NULL;
SELECT * FROM a LEFT JOIN b ON a.x = b.x JOIN c ON c.y = b.y ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
-- Chains: a later join made inner does not make an earlier one inner.
SELECT * FROM a LEFT JOIN b ON a.x = b.x LEFT JOIN c ON c.x = b.x WHERE c.y = 5 ORDER BY a.x, b.y;
SELECT * FROM a LEFT JOIN b ON a.x = b.x LEFT JOIN c ON c.x = a.x WHERE c.y = 5 AND b.y = 5;
SELECT * FROM a LEFT JOIN b ON a.x = b.x LEFT JOIN c ON c.x = a.x WHERE c.y = 5 OR b.y = 5 ORDER BY a.x, b.y, c.y;
-- Names: USING, NATURAL, a result column's alias, views and subqueries on the right.
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b USING (x) WHERE b.y = 5;
SELECT * FROM a LEFT JOIN b USING (x) WHERE b.y = 5 ORDER BY 1, 2;
SELECT * FROM a LEFT JOIN b USING (x) WHERE x = 5;
SELECT * FROM a NATURAL LEFT JOIN b WHERE b.y = 5;
EXPLAIN QUERY PLAN SELECT b.y AS k FROM a LEFT JOIN b ON a.x = b.x WHERE k = 5;
SELECT b.y AS k FROM a LEFT JOIN b ON a.x = b.x WHERE k = 5 ORDER BY 1;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN vb ON a.x = vb.x WHERE vb.y = 5;
SELECT * FROM a LEFT JOIN vb ON a.x = vb.x WHERE vb.y = 5 ORDER BY a.x, vb.z;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN (SELECT * FROM b) AS v ON a.x = v.x WHERE v.y = 5;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN (SELECT x, y + 1 AS y FROM b) AS v ON a.x = v.x WHERE v.y = 6;
SELECT * FROM a LEFT JOIN (SELECT x, y + 1 AS y FROM b) AS v ON a.x = v.x WHERE v.y = 6 ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN (SELECT x, 5 AS k FROM b) AS v ON a.x = v.x WHERE v.k = 5;
SELECT * FROM a LEFT JOIN (SELECT x, 5 AS k FROM b) AS v ON a.x = v.x WHERE v.k = 5 ORDER BY 1, 2, 3, 4;
EXPLAIN QUERY PLAN SELECT * FROM (SELECT * FROM a) AS v LEFT JOIN b ON v.x = b.x WHERE b.y = 5;
-- RIGHT and FULL joins: a term needing a row of an item left of a RIGHT join makes it inner; a FULL join loses
-- the side whose rows a term needs.
EXPLAIN QUERY PLAN SELECT * FROM a RIGHT JOIN b ON a.x = b.x WHERE a.y = 5;
SELECT * FROM a RIGHT JOIN b ON a.x = b.x WHERE a.y = 5;
SELECT * FROM a RIGHT JOIN b ON a.x = b.x WHERE b.y = 5 ORDER BY a.x, b.z;
EXPLAIN QUERY PLAN SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE a.y = 5;
SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE a.y = 5 ORDER BY a.x, b.z;
SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE b.y = 5 ORDER BY a.x, b.z;
EXPLAIN QUERY PLAN SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE a.y = 5 AND b.y = 5;
EXPLAIN QUERY PLAN SELECT * FROM a JOIN c ON c.x = a.x RIGHT JOIN b ON a.x = b.x WHERE a.y = 5;
EXPLAIN QUERY PLAN SELECT * FROM a RIGHT JOIN b ON a.x = b.x JOIN c ON c.y = a.y;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN c ON c.x = a.x RIGHT JOIN b ON a.x = b.x WHERE a.y = 5;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN c ON c.x = a.x RIGHT JOIN b ON a.x = b.x WHERE c.y = 5;
EXPLAIN QUERY PLAN SELECT * FROM a RIGHT JOIN b ON a.x = b.x RIGHT JOIN c ON c.x = b.x WHERE a.y = 5;
EXPLAIN QUERY PLAN SELECT * FROM a FULL JOIN b ON a.x = b.x FULL JOIN c ON c.x = b.x WHERE a.y = 5;
SELECT * FROM a FULL JOIN b ON a.x = b.x FULL JOIN c ON c.x = b.x WHERE b.y = 5 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
-- A RIGHT join made inner: its ON clause then counts for the LEFT joins before it, BETWEEN's bounds aside.
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x RIGHT JOIN c ON c.x = a.x AND c.y = b.y WHERE a.y = 5;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x RIGHT JOIN c ON c.x = a.x AND 5 NOT BETWEEN b.y AND b.z WHERE a.y = 5;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON a.x = b.x RIGHT JOIN c ON b.y BETWEEN b.x AND 7 WHERE a.y = 5;
-- A view merged into the query: SQLite looks at every join again, the clauses of joins made inner then counting.
-- (Lode keeps the view whole under the remaining LEFT JOIN: its plan differs, its rows do not.)
SELECT * FROM a LEFT JOIN b ON b.z = a.z LEFT JOIN vb ON vb.y = b.y WHERE vb.x IN (1, 2) ORDER BY 1, 2, 3, 4, 5, 6;
-- The ON clause of an outer join made inner still reads only the items before it.
SELECT * FROM a LEFT JOIN b ON b.x = c.x JOIN c ON 1 WHERE b.y = 5;
