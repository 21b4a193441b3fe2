-- ORDER BY of a compound: a term naming the rowid matches a result column naming the INTEGER PRIMARY KEY, and back.
create table t1(a integer primary key, b); insert into t1 values(1,2),(2,3);
create table t2(c, d); insert into t2 values(5,6);
create table t3(k primary key, v) without rowid; insert into t3 values(4,4);
SELECT count(*) FROM t1 UNION ALL SELECT a FROM t1 ORDER BY rowid;
SELECT b FROM t1 UNION ALL SELECT a FROM t1 ORDER BY rowid DESC;
SELECT rowid FROM t1 UNION ALL SELECT 9 ORDER BY a;
SELECT a FROM t1 UNION ALL SELECT 9 ORDER BY t1.rowid;
SELECT a FROM t1 UNION ALL SELECT 9 ORDER BY oid;
SELECT a FROM t1 AS x UNION ALL SELECT 9 ORDER BY x._rowid_;
SELECT c FROM t2 UNION ALL SELECT 9 ORDER BY rowid;
SELECT rowid FROM t2 UNION ALL SELECT 9 ORDER BY rowid;
SELECT rowid FROM t2 UNION ALL SELECT 9 ORDER BY oid;
SELECT a FROM t1 UNION ALL SELECT c FROM t2 ORDER BY t2.rowid;
SELECT t1.a FROM t1, t2 UNION ALL SELECT 9 ORDER BY rowid;
SELECT k FROM t3 UNION ALL SELECT 9 ORDER BY rowid;
SELECT a FROM (SELECT a FROM t1) UNION ALL SELECT 9 ORDER BY rowid;
