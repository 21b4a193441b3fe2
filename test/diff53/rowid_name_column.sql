-- An unqualified rowid name is a column of that name when a FROM item has one,
-- else the rowid of the one item that has a rowid (two: ambiguous, as 3.53).
CREATE TABLE t1(x);
CREATE TABLE t2(y PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE t3(z);
CREATE TABLE t4(rowid, w);
SELECT rowid FROM t1, t3;
SELECT _rowid_ FROM t1, t3;
SELECT oid FROM t1, t3;
SELECT rowid FROM t1, t4;
SELECT rowid FROM t4, t1;
SELECT rowid FROM t2, t1;
SELECT t1.rowid FROM t1, t3;
SELECT x FROM t1, t3 WHERE rowid = 1;
SELECT x FROM t1 JOIN t3 USING (rowid);
SELECT x FROM t1 JOIN t3 USING (rowid);
INSERT INTO t4 VALUES (7, 'w');
INSERT INTO t1 VALUES ('x');
SELECT rowid, w FROM t1, t4;
SELECT t1.rowid, t4.rowid FROM t1, t4;
SELECT (SELECT rowid FROM t3) FROM t4;
SELECT (SELECT rowid FROM t1) FROM t4;
