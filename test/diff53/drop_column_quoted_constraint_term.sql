-- DROP COLUMN of a column a UNIQUE or PRIMARY KEY constraint names "double-quoted": the text left
-- names no such column, and SQLite reads the term as a string there, an expression the constraint refuses.
CREATE TABLE x3(a, b, c, UNIQUE(a, b));
ALTER TABLE x3 DROP COLUMN b;
CREATE TABLE x5(a, b, c, UNIQUE(a, "b"));
ALTER TABLE x5 DROP COLUMN b;
CREATE TABLE x6(a, b, c, PRIMARY KEY("b"));
ALTER TABLE x6 DROP COLUMN b;
SELECT name FROM sqlite_schema ORDER BY name;
