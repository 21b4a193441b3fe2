-- Automatic indexes: a join on columns no index serves builds a transient covering index
-- of the inner table once, then looks each outer row's value up in it.
CREATE TABLE t(a, b, c, d);
CREATE TABLE u(x, y TEXT COLLATE NOCASE, z);
INSERT INTO t VALUES (1,'a',1,1),(2,'B',2,2),(3,'c',NULL,3),(NULL,'A',4,1.0),('1','b',5,'1');
INSERT INTO u VALUES (1,'A',10),(1,'a',11),(2,'b',12),(NULL,NULL,13),(1.0,'C',14),('1','x',15);
SELECT t.a, u.z FROM t JOIN u ON u.x = t.d ORDER BY 1, 2;
SELECT t.a, u.z FROM t, u WHERE u.y = t.b ORDER BY 1, 2;
SELECT t.a, u.z FROM t LEFT JOIN u ON u.x = t.a ORDER BY 1, 2;
SELECT t.a, u.rowid, u.* FROM t JOIN u ON u.x = t.a AND u.y = t.b ORDER BY 1, 2;
SELECT count(*) FROM t, u WHERE u.x = t.c + 0;
SELECT t.a, (SELECT count(*) FROM u WHERE u.x = t.a) FROM t ORDER BY 1;
EXPLAIN QUERY PLAN SELECT t.a, u.z FROM t JOIN u ON u.x = t.d;
EXPLAIN QUERY PLAN SELECT t.a, u.z FROM t LEFT JOIN u ON u.x = t.a;
EXPLAIN QUERY PLAN SELECT t.a, u.rowid, u.* FROM t JOIN u ON u.x = t.a AND u.y = t.b;
CREATE TABLE v(p, q REAL, r);
INSERT INTO v VALUES (1, 1, 'one'), (2, 2.0, 'two'), ('a', NULL, 'a'), (1, 3, 'uno');
SELECT t.a, u.z, v.r FROM t JOIN u ON u.x = t.a JOIN v ON v.p = u.x ORDER BY 1, 2, 3;
SELECT t.a, v.r FROM t JOIN v ON v.q = t.a ORDER BY 1, 2;
SELECT a.r, b.r FROM v AS a JOIN v AS b ON b.p = a.p AND b.rowid <> a.rowid ORDER BY 1, 2;
SELECT t.a, u.z FROM t JOIN u ON u.x IS t.a ORDER BY 1, 2;
SELECT t.b, u.z FROM t JOIN u ON u.y = t.b COLLATE BINARY ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT t.a, u.z, v.r FROM t JOIN u ON u.x = t.a JOIN v ON v.p = u.x;
EXPLAIN QUERY PLAN SELECT * FROM t JOIN u NOT INDEXED ON u.x = t.a;
