-- A FROM subquery's or CTE's column that is a plain column reference is named
-- as the reference is written (case, rowid aliases, qualifiers dropped); a
-- view's and a new table's after the column read.  So "o.rowid" finds a
-- subquery's "rowid" column on a table whose rowid has an INTEGER PRIMARY
-- KEY alias (sqlite-utils' full-text search query).
.headers on
CREATE TABLE dogs(name TEXT NOT NULL, id INTEGER PRIMARY KEY, years INTEGER);
INSERT INTO dogs VALUES ('Cleo', 1, 4), ('Pancakes', 2, 2);
SELECT * FROM (SELECT NAME, ID, _rowid_, oid, dogs.rowid, main.dogs.name FROM dogs);
WITH original AS (SELECT rowid, * FROM dogs) SELECT original.rowid, original.* FROM original;
WITH original AS (SELECT rowid, * FROM dogs) SELECT original.* FROM original JOIN dogs ON original.rowid = dogs.rowid WHERE dogs.name = 'Cleo';
SELECT o.rowid FROM (SELECT rowid, name FROM dogs) AS o ORDER BY 1;
SELECT o.rowid FROM (SELECT name, rowid FROM dogs UNION ALL SELECT 'x', 9) AS o ORDER BY 1;
SELECT * FROM (SELECT Name COLLATE nocase, (years), +years FROM dogs);
WITH c AS (SELECT dogs.Name, YEARS FROM dogs UNION SELECT 'x', 1) SELECT * FROM c ORDER BY 1;
CREATE VIEW v AS SELECT NAME, rowid FROM dogs;
SELECT * FROM v;
SELECT * FROM (SELECT * FROM v);
CREATE TABLE c AS SELECT NAME, rowid FROM (SELECT NAME, rowid FROM dogs);
SELECT * FROM c;
CREATE TABLE c2 AS SELECT NAME, rowid FROM dogs;
SELECT * FROM c2;
