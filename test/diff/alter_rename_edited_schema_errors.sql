-- ALTER TABLE checks the texts sqlite_schema holds, also those rewritten
-- under PRAGMA writable_schema: an index naming a column its table lacks, or
-- a text that is no CREATE statement, fails the ALTER naming that object
-- ("error in index x1i: ..."), and the schema the connection had stays in
-- use, so the statements that follow still run.
CREATE TABLE x1(i INTEGER, t TEXT UNIQUE);
CREATE INDEX x1i ON x1(i);
INSERT INTO x1 VALUES (1, 'a'), (2, 'b');
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = 'CREATE INDEX x1i ON x1(j)' WHERE name = 'x1i';
PRAGMA writable_schema = OFF;
ALTER TABLE x1 RENAME COLUMN t TO ttt;
ALTER TABLE x1 RENAME TO x2;
SELECT name, sql FROM sqlite_master ORDER BY name;
SELECT * FROM x1 ORDER BY i;
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = '' WHERE name = 'x1i';
PRAGMA writable_schema = OFF;
ALTER TABLE x1 RENAME COLUMN t TO ttt;
PRAGMA writable_schema = ON;
DELETE FROM sqlite_master WHERE name = 'x1i';
PRAGMA writable_schema = OFF;
ALTER TABLE x1 RENAME COLUMN t TO ttt;
SELECT name, sql FROM sqlite_master ORDER BY name;
-- An ON CONFLICT target naming no column of the table, in a trigger.
CREATE TRIGGER tr1 AFTER INSERT ON x1 BEGIN INSERT INTO x1(i, ttt) VALUES (new.i + 1, new.ttt || '1') ON CONFLICT (tttttt) DO UPDATE SET ttt = i + 1; END;
ALTER TABLE x1 RENAME COLUMN ttt TO t;
DROP TRIGGER tr1;
CREATE TRIGGER tr1 AFTER INSERT ON x1 BEGIN INSERT INTO x1(i, ttt) VALUES (new.i + 1, new.ttt || '1') ON CONFLICT (ttt) DO UPDATE SET ttt = i + 1; END;
ALTER TABLE x1 RENAME COLUMN ttt TO t;
SELECT name, sql FROM sqlite_master WHERE name = 'tr1';
-- Under writable_schema ALTER leaves a view or trigger it cannot compile as it is.
CREATE TABLE t1(a INT, b REAL, e ANY);
CREATE VIEW t2 AS SELECT a + 10, xyz FROM t1;
ALTER TABLE t1 RENAME COLUMN e TO eeee;
BEGIN;
PRAGMA writable_schema = ON;
ALTER TABLE t1 RENAME COLUMN e TO eeee;
PRAGMA writable_schema = OFF;
SELECT name, sql FROM sqlite_master WHERE name IN ('t1', 't2') ORDER BY name;
ROLLBACK;
DROP VIEW t2;
CREATE TRIGGER r3 AFTER INSERT ON t1 BEGIN INSERT INTO t3(x, y) VALUES (new.a, new.b); END;
ALTER TABLE t1 RENAME COLUMN e TO eeee;
BEGIN;
PRAGMA writable_schema = ON;
ALTER TABLE t1 RENAME TO t1new;
SELECT name, tbl_name FROM sqlite_master WHERE name IN ('t1new', 'r3') ORDER BY name;
ROLLBACK;
