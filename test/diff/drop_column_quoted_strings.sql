-- DROP COLUMN and "double-quoted" strings in index expressions: one that named no column before the ALTER is a
-- string and stays one; a key term that is a quoted name alone is a column name, checked as such.
CREATE TABLE t1(a, b, c);
CREATE INDEX x1 ON t1("a" || "x");
INSERT INTO t1 VALUES (1, 2, 3), (4, 5, 6);
ALTER TABLE t1 DROP COLUMN b;
SELECT name FROM sqlite_schema ORDER BY name;
SELECT * FROM t1 ORDER BY a;
SELECT a FROM t1 WHERE a || 'x' = '4x';
PRAGMA integrity_check;
CREATE INDEX x2 ON t1("zz", "c");
ALTER TABLE t1 DROP COLUMN c;
DROP INDEX x2;
CREATE INDEX x3 ON t1(a) WHERE "w" <> c;
ALTER TABLE t1 ADD COLUMN d;
ALTER TABLE t1 DROP COLUMN d;
SELECT * FROM t1 ORDER BY a;
PRAGMA integrity_check;
