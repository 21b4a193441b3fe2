-- ALTER's check of a changed table: a "double-quoted" name that named no column before the ALTER is a
-- string, while the quoted name of the dropped column fails (in a CHECK, a generated column, an index).
CREATE TABLE t1(a, g, p AS (a || 'x'));
ALTER TABLE t1 DROP COLUMN g;
SELECT sql FROM sqlite_schema WHERE name = 't1';
CREATE TABLE t6(a, g, c CHECK (g IS NOT 1));
ALTER TABLE t6 DROP COLUMN g;
CREATE TABLE t7(a, b);
CREATE INDEX t7b ON t7("b");
ALTER TABLE t7 DROP COLUMN b;
CREATE INDEX t7a ON t7(a) WHERE "b" > 0;
ALTER TABLE t7 DROP COLUMN b;
SELECT name FROM sqlite_schema WHERE tbl_name = 't7' ORDER BY name;
CREATE TABLE t2(a, g, c CHECK ("g" IS NOT 1));
ALTER TABLE t2 DROP COLUMN g;
CREATE TABLE t3(a, g, p AS ("g" || 'x'));
ALTER TABLE t3 DROP COLUMN g;
CREATE TABLE t4(a);
INSERT INTO t4 VALUES (1);
ALTER TABLE t4 ADD COLUMN b CHECK ("zz" <> 'q');
ALTER TABLE t4 ADD COLUMN c AS ("zz");
SELECT * FROM t4;
