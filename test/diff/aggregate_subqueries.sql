-- A correlated subquery in an aggregate query's output sees the group's row (the row its bare
-- columns show), or NULLs when there was none.
CREATE TABLE t(a, d);
INSERT INTO t VALUES (1, 1), (1.0, 2), ('1', 3), (NULL, 4), (2, 5);
SELECT a, (SELECT count(*) FROM t AS u WHERE u.a = t.a) FROM t GROUP BY a;
SELECT sum(d), (SELECT count(*) FROM t AS u WHERE u.d > t.d) FROM t;
SELECT a FROM t GROUP BY a HAVING EXISTS (SELECT 1 FROM t AS u WHERE u.d = t.d + 1);
CREATE TABLE e(x);
SELECT count(*), (SELECT count(*) FROM t WHERE t.a = e.x) FROM e;
CREATE TABLE g(k, v);
INSERT INTO g VALUES (1, 'x'), (1, 'y'), (2, 'z');
SELECT g.k, count(*), (SELECT group_concat(t.d) FROM t WHERE t.a = g.k) FROM g JOIN t ON t.a = g.k GROUP BY g.k ORDER BY g.k;
SELECT g.k, (SELECT max(v) FROM g AS h WHERE h.k = g.k) FROM g GROUP BY g.k HAVING count(*) > 1;
SELECT a, (SELECT count(*) FROM t AS u WHERE u.a = t.a) AS n FROM t GROUP BY a ORDER BY n, a;
