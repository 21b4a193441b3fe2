-- A column named twice in an INSERT takes its first value, the rowid its last.
CREATE TABLE t12a(a,b,c,d,e,f,g);
INSERT INTO t12a VALUES(101,102,103,104,105,106,107);
CREATE TABLE t12b(x);
INSERT INTO t12b(x,rowid,x,x,x,x,x) SELECT * FROM t12a;
SELECT rowid, x FROM t12b;
CREATE TABLE t12c(x, y DEFAULT 'xyzzy', z);
INSERT INTO t12c(x,z,x,z) VALUES(1,2,3,4);
SELECT * FROM t12c;
CREATE TABLE t12d(x INTEGER PRIMARY KEY, y);
INSERT INTO t12d(y, x, y, x) VALUES(1,2,3,4);
SELECT * FROM t12d;
UPDATE t12c SET x = 10, x = 11;
SELECT * FROM t12c;
