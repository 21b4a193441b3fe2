-- COLLATE or ASC/DESC after a name of a view's or a CTE's column list: SQLite's "syntax error after column name".
CREATE TABLE t1(a, b, c);
CREATE VIEW v1err(x, y DESC, z) AS SELECT a, b + c, c - b FROM t1;
CREATE VIEW v2err(x, y COLLATE nocase, z) AS SELECT a, b + c, c - b FROM t1;
CREATE VIEW v3err(x ASC) AS SELECT a FROM t1;
WITH c(x DESC) AS (SELECT 1) SELECT * FROM c;
WITH c(x COLLATE binary, y) AS (SELECT 1, 2) SELECT * FROM c;
CREATE VIEW v4(x, "y z") AS SELECT a, b FROM t1;
SELECT * FROM v4;
