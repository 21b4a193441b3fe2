-- A comparison of row values that nest row values is usable as a term of a WHERE or ON clause, where it
-- splits into one comparison per pair (and again for the nested pairs); anywhere else it is "row value misused".
CREATE TABLE t(a, b, c);
INSERT INTO t VALUES (1, 2, 3), (1, 2, 4), (NULL, 2, 3);
SELECT 1 WHERE (2, (2, 0)) IS (2, (2, 0));
SELECT 2 WHERE (2, (2, 0)) = (2, (2, 1));
SELECT 3 WHERE (1, (2, (3, 4))) = (1, (2, (3, 4))) AND 1;
SELECT 4, * FROM t WHERE (a, (b, c)) = (1, (2, 3));
SELECT 5, * FROM t WHERE (a, (b, c)) IS (NULL, (2, 3));
SELECT 6, * FROM t AS x LEFT JOIN t AS y ON (x.a, (x.b, x.c)) = (y.a, (y.b, y.c)) ORDER BY x.rowid;
SELECT 7, * FROM t WHERE (a, (SELECT 2, 3)) = (1, (b, c));
UPDATE t SET c = 5 WHERE (a, (b, c)) = (1, (2, 4));
DELETE FROM t WHERE (a, (b, c)) IS (NULL, (2, 3));
SELECT 8, * FROM t;
SELECT 9 WHERE (2, (2, 0)) IS (2, (2, 0)) OR 0;
SELECT 10 WHERE NOT ((2, (2, 0)) IS (2, (2, 0)));
SELECT (2, (2, 0)) IS (2, (2, 0));
SELECT (1, (2, 3)) < (1, (2, 4));
SELECT 11 WHERE (1, (2, 3)) = (1, 2);
