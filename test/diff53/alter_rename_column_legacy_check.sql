-- Under legacy_alter_table, SQLite's check of the texts after RENAME COLUMN
-- skips views and triggers: one that no longer compiles (its ORDER BY name
-- matched a column of "*", which the rename does not touch) stays as it is
-- and the rename goes through; with the pragma off the rename is refused.
CREATE TABLE t0(h, k);
CREATE VIEW v0 AS SELECT * FROM t0 ORDER BY h;
CREATE TABLE log(x);
CREATE TRIGGER tr AFTER INSERT ON t0 BEGIN INSERT INTO log SELECT k FROM (SELECT * FROM t0 ORDER BY h); END;
ALTER TABLE t0 RENAME COLUMN h TO n1;
PRAGMA legacy_alter_table = 1;
ALTER TABLE t0 RENAME COLUMN h TO n1;
SELECT name, sql FROM sqlite_schema ORDER BY name;
CREATE TABLE t1(h, k);
CREATE VIEW v1 AS SELECT k FROM t1 ORDER BY nosuch;
ALTER TABLE t1 RENAME COLUMN h TO n1;
PRAGMA legacy_alter_table = 0;
ALTER TABLE t1 RENAME COLUMN h TO n1;
SELECT name, sql FROM sqlite_schema ORDER BY name;
