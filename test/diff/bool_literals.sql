-- TRUE and FALSE are 1 and 0, unless a column has that name; also as a column DEFAULT.
CREATE TABLE t(true, x);
INSERT INTO t VALUES (5, 1), (0, 2);
SELECT true, false FROM t;
SELECT x FROM t WHERE true;
SELECT x FROM t WHERE x = true;
SELECT count(*) FROM t WHERE false;
CREATE TABLE u(a DEFAULT true);
INSERT INTO u DEFAULT VALUES;
SELECT a, typeof(a) FROM u;
SELECT true, false, typeof(true), true + 1, TRUE AND FALSE, NOT false;
