-- ALTER TABLE resolves every CTE a view's text defines, used or not, as
-- SQLite walks them: each body once, not as an expansion of the CTE (a CTE
-- nested in another's body that names the outer one is no circular
-- reference), renaming what it resolved and ignoring the body's errors.
CREATE TABLE t1(q);
CREATE VIEW vvv AS WITH x AS (WITH y AS (SELECT * FROM x) SELECT 1) SELECT 1;
SELECT * FROM vvv;
ALTER TABLE t1 RENAME TO t1x;
ALTER TABLE t1x RENAME q TO x;
SELECT name, sql FROM sqlite_schema ORDER BY name;
CREATE VIEW www AS WITH a AS (WITH b AS (SELECT * FROM a), c AS (SELECT x FROM t1x) SELECT 2) SELECT * FROM a;
SELECT * FROM www;
ALTER TABLE t1x RENAME x TO z;
SELECT name, sql FROM sqlite_schema WHERE name = 'www';
CREATE TABLE t2(k);
CREATE VIEW bad AS WITH s AS (SELECT * FROM s) SELECT 1;
ALTER TABLE t2 RENAME TO t3;
CREATE VIEW bad2 AS WITH s AS (SELECT * FROM s) SELECT k FROM t3;
ALTER TABLE t3 RENAME k TO kk;
SELECT sql FROM sqlite_schema WHERE name = 'bad2';
CREATE VIEW v1 AS WITH s AS (SELECT nosuch FROM t3) SELECT 1;
CREATE VIEW v2 AS WITH s AS (SELECT * FROM nosuchtab) SELECT 1;
ALTER TABLE t3 RENAME kk TO k3;
ALTER TABLE t3 RENAME TO t4;
SELECT name, sql FROM sqlite_schema WHERE name IN ('t4', 'v1', 'v2') ORDER BY name;
