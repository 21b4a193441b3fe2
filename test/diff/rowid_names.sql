-- An unqualified rowid names the rowid of a query's sole FROM item (with
-- several items SQLite 3.40 and 3.53 differ: test/diff53/rowid_names.sql).
CREATE TABLE t3(v); INSERT INTO t3 VALUES(7);
SELECT t3.rowid FROM (SELECT 1 AS a) AS s0 JOIN t3;
SELECT b.rowid, oid FROM t3 AS b;
SELECT (SELECT count(*) FROM t3 AS c WHERE c.rowid = rowid) FROM t3;
SELECT (SELECT rowid FROM t3 AS c) FROM t3, t3 AS d;
