-- DROP COLUMN of a column an index names "double-quoted" (in a term or its WHERE):
-- the schema check after the change takes the name for a column, not a string.
CREATE TABLE t1(a,b);
CREATE INDEX x1 on t1("b");
ALTER TABLE t1 DROP COLUMN b;
SELECT sql FROM sqlite_schema;
CREATE TABLE t2(a,b);
CREATE INDEX x2 on t2(b);
ALTER TABLE t2 DROP COLUMN b;
CREATE TABLE t3(a,b);
CREATE INDEX x3 on t3(a) WHERE "b" > 0;
ALTER TABLE t3 DROP COLUMN b
;
SELECT name FROM sqlite_schema ORDER BY name;
CREATE TABLE t4(a, b, c);
CREATE INDEX x4 ON t4(a, "b");
ALTER TABLE t4 DROP COLUMN c;
SELECT sql FROM sqlite_schema WHERE tbl_name = 't4' ORDER BY name;
