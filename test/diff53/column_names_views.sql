-- A result that references a view's or a subquery's column by a differently
-- cased name is named as the view or subquery declares the column, flattened
-- or not, parenthesized or qualified.
CREATE TABLE t1(a, b);
INSERT INTO t1 VALUES (1, 2);
CREATE VIEW v1(x, y) AS SELECT a, b FROM t1;
CREATE VIEW v2(x, y) AS SELECT a, b FROM t1 LIMIT 10;
CREATE TABLE t9(aaa INT);
INSERT INTO t9 VALUES (123);
SELECT v1.x, (Y) FROM v1;
SELECT Y, X FROM v1;
SELECT v1.Y, * FROM v1;
SELECT "Y" FROM v1 WHERE X = 1;
SELECT V2.X, [v2].[Y] FROM v2 WHERE 1;
SELECT BBb FROM (SELECT aaa AS Bbb FROM t9);
SELECT q.BBB FROM (SELECT aaa AS Bbb FROM t9) AS q;
SELECT Y FROM (SELECT a AS y FROM t1 LIMIT 5);
SELECT Y FROM (SELECT a AS y FROM t1 UNION SELECT 2);
SELECT count(*), Y FROM v1 GROUP BY Y;
WITH c(Xx) AS (SELECT 1) SELECT xX FROM c;
SELECT +Y, Y + 0 FROM v1;
