-- HAVING (and the output of an aggregate subquery) reading a column of the query around it: that query's current row.
CREATE TABLE abc(a, b, c);
INSERT INTO abc VALUES (1, 2, 3), (4, 5, 6), (7, 0, 9), (8, NULL, 1);
CREATE TABLE t(x, y);
INSERT INTO t VALUES ('sw', 1), ('hw', 2), ('sw', 3);
SELECT a, (SELECT count(*) FROM t HAVING b > 0) FROM abc;
SELECT a, (SELECT count(*) FROM t HAVING abc.b > 0) FROM abc;
SELECT a, (SELECT group_concat(x) FROM t GROUP BY x HAVING b > 2 ORDER BY 1) FROM abc;
SELECT a, (SELECT sum(y) FROM t GROUP BY x HAVING sum(y) > b ORDER BY 1) FROM abc;
SELECT a, (SELECT 'hw' FROM (SELECT 'sw' ORDER BY 'fw' ASC, 'sp' DESC) GROUP BY 1 HAVING length(b)) FROM abc;
SELECT a, (SELECT x || b FROM t GROUP BY x HAVING count(*) > 1) FROM abc;
SELECT a, (SELECT max(y) + a FROM t HAVING a < 5) FROM abc;
SELECT a FROM abc WHERE EXISTS (SELECT 1 FROM t GROUP BY x HAVING b > 2);
SELECT a FROM abc WHERE a IN (SELECT count(*) + c - 2 FROM t GROUP BY x HAVING c IS NOT NULL);
