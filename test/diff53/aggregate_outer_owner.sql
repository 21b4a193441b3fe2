-- An enclosing query's aggregate in a subquery: inside one of that query's own aggregates it is a
-- misuse; in a FROM subquery of the subquery it is still the enclosing query's.
CREATE TABLE t35a(x);
INSERT INTO t35a VALUES(1),(2),(3);
CREATE TABLE t35b(y);
INSERT INTO t35b VALUES(98), (99);
SELECT max((SELECT count(x) FROM t35b)) FROM t35a;
SELECT max((SELECT a FROM (SELECT count(x) AS a FROM t35b))) FROM t35a;
SELECT max((SELECT count(y) FROM t35b)) FROM t35a;
SELECT (SELECT count(x) FROM t35b) FROM t35a;
SELECT count(x), (SELECT sum(x) + count(*) FROM t35b) FROM t35a;
SELECT sum((SELECT max(y) FROM t35b WHERE y > x)) FROM t35a;
SELECT (SELECT a FROM (SELECT count(x) AS a FROM t35b)) FROM t35a;
SELECT (SELECT a FROM (SELECT count(y) AS a FROM t35b)) FROM t35a;
SELECT (SELECT a FROM (SELECT x AS a FROM t35b)) FROM t35a;
SELECT x, (SELECT a + x FROM (SELECT sum(x) AS a FROM t35b)) FROM t35a GROUP BY x;
SELECT (SELECT b FROM (SELECT (SELECT count(x)) AS b FROM t35b)) FROM t35a;
