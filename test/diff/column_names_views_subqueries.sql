-- Under short_column_names / full_column_names, a column of a view, CTE or aliased subquery is named as a table's column, by that name.
.headers on
CREATE TABLE tabc(a,b,c); INSERT INTO tabc VALUES(1,2,3);
CREATE VIEW v1 AS SELECT * FROM tabc;
CREATE VIEW v2 AS SELECT a+1 AS q FROM tabc;
PRAGMA short_column_names=OFF;
SELECT v1.a FROM v1;
SELECT a FROM v1;
SELECT v1.a, * FROM v1 ORDER BY 2;
SELECT x.a FROM (SELECT * FROM tabc) x;
SELECT q FROM v2;
WITH w AS (SELECT a FROM tabc) SELECT w.a FROM w;
PRAGMA full_column_names=ON;
SELECT v1.a FROM v1;
SELECT a, b FROM v1;
SELECT * FROM v1;
SELECT q FROM v2;
WITH w AS (SELECT a FROM tabc) SELECT a FROM w;
PRAGMA short_column_names=ON;
SELECT a FROM v1;
SELECT x.a FROM (SELECT * FROM tabc) x;
SELECT q, v2.q FROM v2;
WITH w AS (SELECT a FROM tabc) SELECT a FROM w;
PRAGMA full_column_names=OFF;
SELECT v1.a, a FROM v1;
