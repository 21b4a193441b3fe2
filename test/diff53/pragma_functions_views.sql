-- pragma_table_info / pragma_table_xinfo of a view list its columns, as the PRAGMA does
-- (names, declared types of the columns they come from), directly or per row of a join;
-- a schema argument that names no database is an error, as in SQLite.
CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT, price REAL NOT NULL DEFAULT 0);
CREATE VIEW vv(x, y) AS SELECT id, name FROM p;
CREATE VIEW v3 AS SELECT p.*, length(name) AS len FROM p;
CREATE TEMP VIEW tv AS SELECT name FROM p;
SELECT m.name, c.* FROM sqlite_schema AS m, pragma_table_info(m.name) AS c ORDER BY m.name, c.cid;
SELECT m.name, c.name, c.type FROM sqlite_schema AS m JOIN pragma_table_xinfo(m.name) AS c WHERE m.type = 'view' ORDER BY 1, c.cid;
SELECT * FROM pragma_table_info('tv');
SELECT * FROM pragma_table_info('tv', 'temp');
SELECT * FROM pragma_table_info('vv', 'temp');
SELECT * FROM pragma_table_info('vv', 'main');
SELECT * FROM pragma_table_info('vv', 'nosuch');
SELECT * FROM main.pragma_table_info('vv');
CREATE TABLE q(a);
CREATE VIEW bad AS SELECT a FROM q;
DROP TABLE q;
SELECT * FROM pragma_table_info('bad');
SELECT name FROM sqlite_schema WHERE name NOT IN (SELECT 'x' FROM pragma_table_info('vv') WHERE name = 'zz');
SELECT count(*) FROM pragma_table_info('v3') WHERE pk = 0;
SELECT * FROM pragma_index_list('p', 'nosuch');
SELECT * FROM pragma_foreign_key_list('p', 'nosuch');
SELECT * FROM pragma_table_info('p', 'main');
