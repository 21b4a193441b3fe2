-- Automatic PARTIAL indexes (plan/README.md: the rule): the terms that read only the indexed item, or nothing at
-- all, keep the rows that fail them out of the automatic index; none with a subquery, a non-deterministic function,
-- a column of another item or of an enclosing query; on a LEFT JOIN's item only its ON terms; none before a RIGHT
-- JOIN.  The key columns: those an = or IS fixes to a value known at the level, constants too, in SQLite's order.
CREATE TABLE a(x INT, p INT, q TEXT, r);
CREATE TABLE b(y INT, z INT, w TEXT, v, n TEXT COLLATE NOCASE);
CREATE TABLE c(u INT, s INT);
INSERT INTO a VALUES (1, 1, 'a', 1), (2, 2, 'b', 2.5), (3, 3, 'c', 'x'), (NULL, 4, 'd', NULL), (2, 5, 'B', 2), ('2', 6, 'e', x'01'), (5, NULL, NULL, 5);
INSERT INTO b VALUES (1, 10, 'a', 1, 'A'), (2, 20, 'B', 2, 'b'), (2, 30, 'b', NULL, 'B'), (3, NULL, 'c', 'x', NULL), (NULL, 5, 'd', 5, 'a'), (4, 1, 'A', 1.0, 'x'), (2.0, 6, 'é', '6', 'É'), ('3', 7, NULL, x'01', 'c');
INSERT INTO c VALUES (1, 1), (2, 2), (3, 3), (NULL, 4), (2, NULL);
-- A plain join (no statistics: both tables guessed alike, the one with terms goes outer) and its rows.
EXPLAIN QUERY PLAN SELECT a.x, b.z FROM a JOIN b ON b.y = a.x AND b.z > 5 WHERE a.p = 2;
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x AND b.z > 5 WHERE a.p = 2 ORDER BY 1, 2;
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x AND b.z > 5 ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z > 5 AND b.w < 'c' AND a.p = 2;
SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z > 5 AND b.w < 'c';
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE (b.z = 1 OR b.z = 20) AND b.w LIKE 'b%' AND a.p = 2;
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x WHERE (b.z = 1 OR b.z = 20) AND b.w LIKE 'b%' ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z BETWEEN 1 AND 25 AND b.z IN (1, 20, 30) AND a.p = 2;
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x WHERE b.z BETWEEN 1 AND 25 AND b.z IN (1, 20, 30) ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE abs(b.z) > 2 AND b.z + b.y > 3 AND b.rowid > 1 AND a.p = 2;
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x WHERE abs(b.z) > 2 AND b.z + b.y > 3 AND b.rowid > 1 ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z = b.y * 10 AND a.p = 2;
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x WHERE b.z = b.y * 10 ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z > abs(-3) AND b.w > date('2000-01-01') AND a.p = 2;
-- Terms that do not make it partial: a subquery, random(), a column of another item, of an enclosing query.
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z > (SELECT 5) AND a.p = 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z IN (SELECT s FROM c) AND a.p = 2;
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x WHERE b.z IN (SELECT s * 10 FROM c) ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z > random() AND a.p = 2;
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x WHERE b.z > (random() & 0) ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z > a.p AND a.q = 'b';
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x WHERE b.z > a.p ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT c.u, (SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.w > c.u AND a.p = 2) FROM c;
SELECT c.u, (SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z > c.s * 5 AND b.w > 'a') FROM c ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT c.u, (SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z = c.u AND a.p = 2) FROM c;
SELECT c.u, (SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z = c.s * 10) FROM c ORDER BY 1, 2;
-- Bound parameters and constant terms are allowed (a constant term filters every automatic index of its clause).
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z > ? AND a.p = 2; -- params: ["5n"]
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x WHERE b.z > ? ORDER BY 1, 2; -- params: ["5n"]
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x WHERE b.z > ? ORDER BY 1, 2; -- params: [5.5]
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x WHERE b.w > ? ORDER BY 1, 2; -- params: ["a"]
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE ? > 0; -- params: ["1n"]
SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE ? > 0; -- params: ["1n"]
SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE ? > 0; -- params: ["0n"]
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z = ? AND a.p = 2; -- params: ["20n"]
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x WHERE b.z = ? ORDER BY 1, 2; -- params: ["20n"]
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x WHERE b.z = ? ORDER BY 1, 2; -- params: [null]
-- Constant equalities key the index too (and filter it), with the join's key after them in SQLite's order.
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z = 20 AND a.p = 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b WHERE b.z = 20 AND a.p = 2;
SELECT a.x, b.y FROM a JOIN b WHERE b.z = 20 AND a.p > 2 ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.z = 1 AND b.w = 'A' AND a.p = 3 AND a.x = b.y;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON a.x = b.y AND a.p = b.z AND a.q = b.w;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON a.x = b.y AND b.z = a.p AND a.q = b.w;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x AND a.p = b.z AND b.w = a.q;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON a.p + 1 = b.z AND b.y = a.x + 1;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON (b.z, b.w) = (5, 'x') AND a.p = 3 AND a.x = b.y;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON (b.y, b.z) = (a.x, 5) AND a.p = 3;
SELECT a.x, b.z FROM a JOIN b ON (b.y, b.z) = (a.x, 20) ORDER BY 1, 2;
-- IS, IS NULL and NULL keys: IS keys the index (a NULL value finds the NULL entries); = NULL finds nothing.
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y IS a.x;
SELECT a.p, b.z FROM a JOIN b ON b.y IS a.x ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.z IS 5 AND a.p = 3;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.z IS NULL AND a.p = 3;
SELECT a.p, b.y FROM a JOIN b ON b.z IS NULL AND a.p = 3 ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.z = NULL AND a.p = 3;
SELECT count(*) FROM a JOIN b ON b.z = NULL AND a.p = 3;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.z IS NOT NULL AND a.p = 2;
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x WHERE b.z IS NOT NULL ORDER BY 1, 2;
-- Collations and affinities: a key sorts in its comparison's collation; a filter compares as written.
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.y = a.x WHERE b.w = 'b' COLLATE NOCASE AND a.p = 2;
SELECT a.x, b.z FROM a JOIN b ON b.y = a.x WHERE b.w = 'b' COLLATE NOCASE ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.n = a.q;
SELECT a.q, b.z FROM a JOIN b ON b.n = a.q ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.w = a.q COLLATE NOCASE;
SELECT a.q, b.z FROM a JOIN b ON b.w = a.q COLLATE NOCASE ORDER BY 1, 2;
SELECT a.q, b.z FROM a JOIN b ON b.y = a.x AND b.n = 'a' ORDER BY 1, 2;
SELECT a.q, b.z FROM a JOIN b ON b.y = a.x AND b.n > 'a' COLLATE BINARY ORDER BY 1, 2;
SELECT a.q, b.z FROM a JOIN b ON b.y = a.x AND b.v = '1' ORDER BY 1, 2;
SELECT a.q, b.z FROM a JOIN b ON b.y = a.x AND b.w < 5 ORDER BY 1, 2;
SELECT a.r, b.z FROM a JOIN b ON b.v = a.r AND b.z > 0 ORDER BY 1, 2;
SELECT a.r, b.z FROM a JOIN b ON b.y = a.r AND b.w IS NOT NULL ORDER BY 1, 2;
-- LEFT JOIN: only the item's own ON terms filter its index (a WHERE term must see its row of NULLs).
EXPLAIN QUERY PLAN SELECT count(*) FROM a LEFT JOIN b ON b.y = a.x AND b.z > 5;
SELECT a.p, b.z FROM a LEFT JOIN b ON b.y = a.x AND b.z > 5 ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a LEFT JOIN b ON b.y = a.x AND b.z = 20;
SELECT a.p, b.z FROM a LEFT JOIN b ON b.y = a.x AND b.z = 20 ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a LEFT JOIN b ON b.y = a.x AND ? > 0; -- params: ["0n"]
SELECT a.p, b.z FROM a LEFT JOIN b ON b.y = a.x AND ? > 0 ORDER BY 1, 2; -- params: ["0n"]
EXPLAIN QUERY PLAN SELECT count(*) FROM a LEFT JOIN b ON b.y = a.x WHERE ? > 0; -- params: ["1n"]
EXPLAIN QUERY PLAN SELECT count(*) FROM a LEFT JOIN b ON b.y = a.x WHERE b.z IS NULL;
SELECT a.p, b.z FROM a LEFT JOIN b ON b.y = a.x WHERE b.z IS NULL ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a LEFT JOIN b ON b.y = a.x AND a.p > 2;
SELECT a.p, b.z FROM a LEFT JOIN b ON b.y = a.x AND a.p > 2 ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM a LEFT JOIN b ON b.y = a.x LEFT JOIN c ON c.u = b.z AND c.s > 2;
SELECT a.p, b.z, c.s FROM a LEFT JOIN b ON b.y = a.x LEFT JOIN c ON c.u = b.y AND c.s > 1 ORDER BY 1, 2, 3;
EXPLAIN QUERY PLAN SELECT count(*) FROM a LEFT JOIN b ON b.y = a.x AND b.z IN (SELECT s FROM c) AND b.w > 'a';
SELECT a.p, b.z FROM a LEFT JOIN b ON b.y = a.x AND b.z IN (SELECT s * 10 FROM c) AND b.w > 'a' ORDER BY 1, 2;
-- A FROM subquery's kept rows: its automatic index is partial alike.
EXPLAIN QUERY PLAN SELECT count(*) FROM a LEFT JOIN (SELECT y, z, count(*) n FROM b GROUP BY y, z) q ON q.y = a.x AND q.z > 5;
SELECT a.p, q.z FROM a LEFT JOIN (SELECT y, z, count(*) n FROM b GROUP BY y, z) q ON q.y = a.x AND q.z > 5 ORDER BY 1, 2;
-- The column an index starts with, or one ANALYZE finds an index narrows to more than 4 rows, keys no automatic index.
CREATE TABLE d(k INT, m INT, t INT, u);
CREATE INDEX dk ON d(k COLLATE NOCASE);
CREATE INDEX dmt ON d(m, t);
EXPLAIN QUERY PLAN SELECT count(*) FROM a LEFT JOIN d ON d.k = a.p;
EXPLAIN QUERY PLAN SELECT count(d.u) FROM a LEFT JOIN d ON d.t = a.p AND d.u = a.r;
-- A RIGHT JOIN: the items before it get no partial index.
EXPLAIN QUERY PLAN SELECT count(*) FROM a JOIN b ON b.w = a.q AND b.z > 2 RIGHT JOIN c ON c.u = b.z;
SELECT a.p, b.z, c.u FROM a JOIN b ON b.w = a.q AND b.z > 2 RIGHT JOIN c ON c.u = b.y ORDER BY 1, 2, 3;
-- Writes: the index is built at each start of the loops.
CREATE TABLE e(k INT, v INT);
INSERT INTO e SELECT a.x, b.z FROM a JOIN b ON b.y = a.x AND b.z > 5;
SELECT * FROM e ORDER BY 1, 2;
UPDATE c SET s = s + 100 FROM (SELECT 1) WHERE EXISTS (SELECT 1 FROM a JOIN b ON b.y = a.x AND b.z > 5 WHERE a.p = c.u);
SELECT * FROM c ORDER BY 1, 2;
UPDATE a SET p = p * 10 FROM b WHERE b.y = a.x AND b.z > 5;
SELECT * FROM a ORDER BY 1, 2;
DELETE FROM b WHERE y IN (SELECT a.x FROM a JOIN c ON c.u = a.x AND c.s > 100);
SELECT * FROM b ORDER BY 1, 2;
-- The join of bench/cliffs.mjs: the larger table scanned, the partial index on the smaller one, as SQLite plans it
-- once ANALYZE knows their sizes; before, both tables are guessed alike and the rowid range goes outer.
CREATE TABLE t3(id INTEGER PRIMARY KEY, t2id INT, w INT, s TEXT);
INSERT INTO t3 SELECT value, (value * 3) % 20000 + 1, value % 50, 's' || (value % 300) FROM (WITH RECURSIVE g(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM g WHERE value < 20000) SELECT value FROM g);
CREATE TABLE t4(id INTEGER PRIMARY KEY, k INT, v TEXT);
INSERT INTO t4 SELECT value, value % 100, 'v' || value FROM (WITH RECURSIVE g(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM g WHERE value < 1000) SELECT value FROM g);
EXPLAIN QUERY PLAN SELECT count(*) FROM t4 JOIN t3 ON t3.w = t4.k WHERE t4.id < ?; -- params: ["22n"]
SELECT count(*) FROM t4 JOIN t3 ON t3.w = t4.k WHERE t4.id < ?; -- params: ["22n"]
EXPLAIN QUERY PLAN SELECT count(*) FROM t4 JOIN t3 ON t3.w = t4.k WHERE t3.s > 's5';
EXPLAIN QUERY PLAN SELECT count(*) FROM t4 JOIN t3 ON t3.w = t4.k;
ANALYZE;
EXPLAIN QUERY PLAN SELECT count(*) FROM t4 JOIN t3 ON t3.w = t4.k WHERE t4.id < ?; -- params: ["22n"]
SELECT count(*) FROM t4 JOIN t3 ON t3.w = t4.k WHERE t4.id < ?; -- params: ["22n"]
SELECT count(*) FROM t4 JOIN t3 ON t3.w = t4.k WHERE t4.id < ?; -- params: [2.5]
EXPLAIN QUERY PLAN SELECT count(*) FROM t4 JOIN t3 ON t3.w = t4.k;
EXPLAIN QUERY PLAN SELECT count(*) FROM t4 JOIN t3 ON t3.w = t4.k WHERE t4.v > 'v5';
SELECT count(*) FROM t4 JOIN t3 ON t3.w = t4.k WHERE t4.v > 'v5';
EXPLAIN QUERY PLAN SELECT count(*) FROM t4 JOIN t3 ON t3.w = t4.k WHERE t3.s LIKE 's1%';
SELECT count(*) FROM t4 JOIN t3 ON t3.w = t4.k WHERE t3.s LIKE 's1%';
-- An order the loops give is weighed against a sort, as SQLite weighs it; an automatic index gives none.
EXPLAIN QUERY PLAN SELECT t4.id, t3.id FROM t4 JOIN t3 ON t3.w = t4.k ORDER BY t4.id LIMIT 5;
SELECT t4.id, t3.id FROM t4 JOIN t3 ON t3.w = t4.k ORDER BY t4.id, t3.id LIMIT 5;
EXPLAIN QUERY PLAN SELECT t4.id, t3.id FROM t4 JOIN t3 ON t3.w = t4.k ORDER BY t3.id LIMIT 5;
SELECT t4.id, t3.id FROM t4 JOIN t3 ON t3.w = t4.k ORDER BY t3.id, t4.id LIMIT 5;
EXPLAIN QUERY PLAN SELECT t4.id, t3.id FROM t4 JOIN t3 ON t3.w = t4.k WHERE t4.id < 50 ORDER BY t4.id LIMIT 5;
EXPLAIN QUERY PLAN SELECT t4.k, count(*) FROM t4 JOIN t3 ON t3.w = t4.k GROUP BY t4.id;
EXPLAIN QUERY PLAN SELECT t4.id, t3.id FROM t4 JOIN t3 ON t3.w = t4.k ORDER BY t4.v LIMIT 5;
EXPLAIN QUERY PLAN SELECT t4.id, t3.id FROM t4 JOIN t3 ON t3.w = t4.k ORDER BY t4.id, t3.id LIMIT 5;
