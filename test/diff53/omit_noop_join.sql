-- A LEFT JOIN whose table only its own ON clause reads, found by a lookup of
-- one row at most, adds nothing to a plain SELECT's rows: it has no loop, as
-- in SQLite; any other read of it (results, rowid, ORDER BY, WHERE, a later
-- ON, a subquery) keeps it, as do aggregates and lookups of many rows.
CREATE TABLE a(id INTEGER PRIMARY KEY, x, y);
CREATE TABLE b(id INTEGER PRIMARY KEY, aid, v);
CREATE TABLE c(k PRIMARY KEY, w) WITHOUT ROWID;
CREATE TABLE d(k UNIQUE, w);
CREATE TABLE e(k, w);
CREATE INDEX ek ON e(k);
INSERT INTO a VALUES (1, 1, 'one'), (2, 2, 'two'), (3, NULL, 'three'), (4, 4, 'four');
INSERT INTO b VALUES (1, 1, 'b1'), (2, 1, 'b2'), (4, 4, 'b4');
INSERT INTO c VALUES (1, 'c1'), (4, 'c4');
INSERT INTO d VALUES (1, 'd1'), (2, 'd2'), (NULL, 'dn'), (NULL, 'dn2');
INSERT INTO e VALUES (1, 'e1'), (1, 'e1b'), (2, 'e2');
EXPLAIN QUERY PLAN SELECT a.y FROM a LEFT JOIN b ON b.id = a.x;
SELECT a.y FROM a LEFT JOIN b ON b.id = a.x;
EXPLAIN QUERY PLAN SELECT a.y FROM a LEFT JOIN c ON c.k = a.x LEFT JOIN d ON d.k = a.x ORDER BY a.id;
SELECT a.y FROM a LEFT JOIN c ON c.k = a.x LEFT JOIN d ON d.k = a.x ORDER BY a.id;
EXPLAIN QUERY PLAN SELECT a.y FROM a LEFT JOIN e ON e.k = a.x;
SELECT a.y FROM a LEFT JOIN e ON e.k = a.x ORDER BY 1;
EXPLAIN QUERY PLAN SELECT a.y, b.rowid FROM a LEFT JOIN b ON b.id = a.x;
SELECT a.y, b.rowid FROM a LEFT JOIN b ON b.id = a.x;
EXPLAIN QUERY PLAN SELECT a.y FROM a LEFT JOIN b ON b.id = a.x ORDER BY b.v;
SELECT a.y FROM a LEFT JOIN b ON b.id = a.x ORDER BY b.v, a.y;
EXPLAIN QUERY PLAN SELECT a.y FROM a LEFT JOIN b ON b.id = a.x WHERE b.id IS NULL;
SELECT a.y FROM a LEFT JOIN b ON b.id = a.x WHERE b.id IS NULL;
EXPLAIN QUERY PLAN SELECT a.y FROM a LEFT JOIN b ON b.id = a.x LEFT JOIN c ON c.k = b.aid;
SELECT a.y FROM a LEFT JOIN b ON b.id = a.x LEFT JOIN c ON c.k = b.aid;
EXPLAIN QUERY PLAN SELECT a.y, (SELECT count(*) FROM e WHERE e.k = b.aid) FROM a LEFT JOIN b ON b.id = a.x;
SELECT a.y, (SELECT count(*) FROM e WHERE e.k = b.aid) FROM a LEFT JOIN b ON b.id = a.x;
EXPLAIN QUERY PLAN SELECT count(*) FROM a LEFT JOIN b ON b.id = a.x;
SELECT count(*) FROM a LEFT JOIN b ON b.id = a.x;
EXPLAIN QUERY PLAN SELECT a.x, count(*) FROM a LEFT JOIN b ON b.id = a.x GROUP BY a.x;
EXPLAIN QUERY PLAN SELECT a.y FROM a LEFT JOIN b ON b.id = a.x AND b.v > 'b';
SELECT a.y FROM a LEFT JOIN b ON b.id = a.x AND b.v > 'b';
EXPLAIN QUERY PLAN SELECT a.y FROM a LEFT JOIN d ON d.k IS a.x;
SELECT a.y FROM a LEFT JOIN d ON d.k IS a.x ORDER BY 1;
EXPLAIN QUERY PLAN SELECT a.y FROM a JOIN b ON b.id = a.x;
SELECT a.y FROM a JOIN b ON b.id = a.x;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN b ON b.id = a.x;
EXPLAIN QUERY PLAN SELECT a.* FROM a LEFT JOIN b USING (id);
SELECT a.* FROM a LEFT JOIN b USING (id);
EXPLAIN QUERY PLAN SELECT DISTINCT a.y FROM a LEFT JOIN b ON b.id = a.x;
