-- A subquery's, view's or new table's column 'a COLLATE x' is named a (so USING (a) finds it).
CREATE TABLE t6(a, b);INSERT INTO t6 VALUES(1,2);
.headers on
SELECT * FROM (SELECT a COLLATE nocase FROM t6);
SELECT a COLLATE nocase FROM t6;
SELECT * FROM (SELECT t6.a COLLATE nocase, (b) FROM t6);
CREATE VIEW v AS SELECT a COLLATE nocase, +b FROM t6; SELECT * FROM v;
CREATE TABLE c AS SELECT a COLLATE nocase FROM t6; SELECT sql FROM sqlite_schema WHERE name='c';
CREATE TABLE t5(a COLLATE nocase, b); INSERT INTO t5 VALUES('AA', 'cc'), ('BB', 'dd');
SELECT * FROM (SELECT a COLLATE nocase, b FROM t6) JOIN t5 USING (a);
INSERT INTO t6 VALUES ('aa', 'x'); SELECT * FROM (SELECT a COLLATE nocase, b FROM t6) JOIN t5 USING (a);
