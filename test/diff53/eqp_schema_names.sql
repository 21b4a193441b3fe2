-- EXPLAIN QUERY PLAN names a table "schema.table" when the query writes its schema and gives it no alias, as
-- SQLite does (scans, searches, automatic indexes, Bloom filters, virtual tables, EXISTS joins); an alias, or
-- no schema written, shows the name alone.
ATTACH ':memory:' AS aux;
CREATE TABLE aux.z(q, r);
CREATE INDEX aux.zq ON z(q);
CREATE TABLE m(x, y);
CREATE VIRTUAL TABLE aux.f USING fts5(a);
INSERT INTO aux.z VALUES (1, 2), (2, 3), (3, 4);
INSERT INTO m VALUES (1, 2), (2, 5), (3, 4);
EXPLAIN QUERY PLAN SELECT * FROM m, aux.z WHERE m.y = aux.z.r;
SELECT * FROM m, aux.z WHERE m.y = aux.z.r ORDER BY 1;
EXPLAIN QUERY PLAN SELECT q FROM aux.z WHERE q > 1;
EXPLAIN QUERY PLAN SELECT * FROM aux.f WHERE f MATCH 'x';
EXPLAIN QUERY PLAN SELECT * FROM aux.z WHERE rowid = 3;
EXPLAIN QUERY PLAN SELECT count(*) FROM aux.z;
EXPLAIN QUERY PLAN SELECT * FROM main.m ORDER BY y;
EXPLAIN QUERY PLAN SELECT * FROM m WHERE EXISTS (SELECT 1 FROM aux.z WHERE q = m.x);
SELECT * FROM m WHERE EXISTS (SELECT 1 FROM aux.z WHERE q = m.x) ORDER BY 1;
EXPLAIN QUERY PLAN SELECT * FROM m WHERE x IN (SELECT q FROM aux.z);
EXPLAIN QUERY PLAN SELECT DISTINCT q FROM aux.z;
EXPLAIN QUERY PLAN SELECT * FROM main.sqlite_master;
EXPLAIN QUERY PLAN SELECT * FROM temp.sqlite_master;
EXPLAIN QUERY PLAN SELECT * FROM z;
EXPLAIN QUERY PLAN SELECT * FROM aux.z AS zz WHERE zz.q = 1;
EXPLAIN QUERY PLAN SELECT * FROM aux.z, aux.z AS z2 WHERE z.q = z2.r;
EXPLAIN QUERY PLAN SELECT (SELECT r FROM aux.z WHERE q = m.x) FROM main.m;
EXPLAIN QUERY PLAN UPDATE aux.z SET q = 1 WHERE r = 2;
EXPLAIN QUERY PLAN DELETE FROM aux.z WHERE q = 5;
EXPLAIN QUERY PLAN SELECT * FROM main.m LEFT JOIN aux.z ON z.q = m.x;
-- The name as written: its case, and the schema table's other names.
CREATE TABLE Mixed(a);
EXPLAIN QUERY PLAN SELECT * FROM MIXED;
EXPLAIN QUERY PLAN SELECT * FROM MAIN.mixed;
EXPLAIN QUERY PLAN SELECT * FROM AUX.Z;
EXPLAIN QUERY PLAN SELECT * FROM sqlite_schema;
EXPLAIN QUERY PLAN SELECT * FROM temp.sqlite_schema;
EXPLAIN QUERY PLAN SELECT * FROM SQLITE_MASTER;
EXPLAIN QUERY PLAN SELECT * FROM main.sqlite_schema WHERE name = 'm';
EXPLAIN QUERY PLAN SELECT * FROM json_each('[1,2]') WHERE key = 0;
EXPLAIN QUERY PLAN SELECT * FROM main.json_each('[1,2]');
EXPLAIN QUERY PLAN UPDATE MIXED SET a = 1;
EXPLAIN QUERY PLAN UPDATE main.m SET x = z.q FROM aux.z WHERE z.r = m.y;
EXPLAIN QUERY PLAN SELECT * FROM m WHERE EXISTS (SELECT 1 FROM json_each('[1,2,3]') AS g WHERE g.value = m.y);
SELECT * FROM m WHERE EXISTS (SELECT 1 FROM json_each('[1,2,3]') AS g WHERE g.value = m.y) ORDER BY 1;
