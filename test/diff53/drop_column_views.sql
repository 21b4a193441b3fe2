-- DROP COLUMN and views: a view that would break, or is already broken, stops the ALTER.
CREATE TABLE t5(a INT, b, c);
CREATE VIEW v5 AS SELECT * FROM t5;
CREATE VIEW v7 AS SELECT a + c AS s FROM t5 WHERE c > 0;
ALTER TABLE t5 DROP COLUMN c;
ALTER TABLE t5 DROP COLUMN b;
SELECT * FROM v5;
SELECT sql FROM sqlite_schema WHERE name = 't5';
CREATE VIEW v6 AS SELECT a, x.b FROM t5 JOIN t5 AS x;
CREATE TABLE other(p, q);
ALTER TABLE other DROP COLUMN q;
DROP VIEW v6;
ALTER TABLE other DROP COLUMN q;
CREATE VIEW v8 AS SELECT q FROM other;
ALTER TABLE other DROP COLUMN p;
SELECT * FROM v8;
CREATE VIEW v9 AS SELECT (SELECT max(p) FROM other) AS m;
ALTER TABLE other DROP COLUMN p;
SELECT sql FROM sqlite_schema WHERE name = 'other';
