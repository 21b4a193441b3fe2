-- An OR of equalities of one column is an IN list also when a part compares two columns ("x.a = y.a" is
-- y.a's equality too) and values of the column's own affinity, as SQLite reads it; the OR stays a
-- multi-index OR for the other table.
CREATE TABLE t2249a(a TEXT UNIQUE, x CHAR(100));
CREATE TABLE n(i INTEGER PRIMARY KEY, v INTEGER, w TEXT);
CREATE INDEX nv ON n(v);
INSERT INTO t2249a(a) VALUES ('0123'), ('hello'), ('9');
INSERT INTO n VALUES (1, 9, '9'), (2, 3, 'x'), (3, NULL, 'hello');
EXPLAIN QUERY PLAN SELECT x.a, y.a FROM t2249a x CROSS JOIN t2249a y WHERE x.a=y.a OR y.a='hello';
SELECT x.a, y.a FROM t2249a x CROSS JOIN t2249a y WHERE x.a=y.a OR y.a='hello' ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT x.a, y.a FROM t2249a x CROSS JOIN t2249a y WHERE y.a=x.a OR y.a='hello';
EXPLAIN QUERY PLAN SELECT x.a, y.a FROM t2249a x CROSS JOIN t2249a y WHERE y.a='hello' OR x.a=y.a;
EXPLAIN QUERY PLAN SELECT * FROM t2249a x CROSS JOIN n WHERE n.v = x.a OR n.v = 3;
SELECT * FROM t2249a x CROSS JOIN n WHERE n.v = x.a OR n.v = 3 ORDER BY 1, 3;
EXPLAIN QUERY PLAN SELECT * FROM n x CROSS JOIN n WHERE n.v = x.v OR n.v = 3;
SELECT * FROM n x CROSS JOIN n WHERE n.v = x.v OR n.v = 3 ORDER BY 1, 4;
EXPLAIN QUERY PLAN SELECT * FROM n x CROSS JOIN n WHERE n.v = x.w OR n.v = 3;
SELECT * FROM n x CROSS JOIN n WHERE n.v = x.w OR n.v = 3 ORDER BY 1, 4;
CREATE TABLE t191(a INT UNIQUE NOT NULL, b INT UNIQUE NOT NULL, c, d);
CREATE TABLE t192(x INTEGER PRIMARY KEY, y INT, z INT);
INSERT INTO t191 VALUES (1, 2, 3, 4), (5, 6, 7, 8), (9, 1, 0, 0);
INSERT INTO t192 VALUES (1, 1, 0), (2, 6, 0);
EXPLAIN QUERY PLAN SELECT t191.rowid FROM t192, t191 WHERE (a = y OR b = y) AND x = ?1; -- params: [1]
SELECT t191.rowid FROM t192, t191 WHERE (a = y OR b = y) AND x = 1 ORDER BY 1;
SELECT t191.rowid FROM t192, t191 WHERE (a = y OR b = y) AND x = 2 ORDER BY 1;
