-- A "double-quoted" term of PRIMARY KEY (...) or UNIQUE (...) that names no
-- column is a string (double-quoted strings are allowed in a schema), so an
-- expression, which such a constraint refuses; other unknown terms are
-- "no such column".  The same check runs on the text DROP COLUMN leaves.
CREATE TABLE y1(a, UNIQUE(a, "nosuch"));
CREATE TABLE y2(a, PRIMARY KEY("nosuch"));
CREATE TABLE y3(a, b, PRIMARY KEY(a, "nosuch")) WITHOUT ROWID;
CREATE TABLE y4(a, UNIQUE("nosuch" COLLATE NOCASE DESC));
CREATE TABLE y5(a, UNIQUE('nosuch'));
CREATE TABLE y6(a, UNIQUE([nosuch]));
CREATE TABLE y7("a", UNIQUE("a"), PRIMARY KEY("A"));
CREATE TABLE x3(a, b, c, UNIQUE(a, b));
ALTER TABLE x3 DROP COLUMN b;
CREATE TABLE x5(a, b, c, UNIQUE(a, "b"));
ALTER TABLE x5 DROP COLUMN b;
CREATE TABLE x6(a, b, c, PRIMARY KEY("b"));
ALTER TABLE x6 DROP COLUMN b;
SELECT name FROM sqlite_schema ORDER BY name;
