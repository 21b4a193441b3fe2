-- A correlated subquery in an aggregate query's output must see the group's row
-- (Lode reads the outer cursor, which is past the last row by then).
CREATE TABLE t(a, d);
INSERT INTO t VALUES (1, 1), (1.0, 2), ('1', 3), (NULL, 4), (2, 5);
SELECT a, (SELECT count(*) FROM t AS u WHERE u.a = t.a) FROM t GROUP BY a;
SELECT sum(d), (SELECT count(*) FROM t AS u WHERE u.d > t.d) FROM t;
SELECT a FROM t GROUP BY a HAVING EXISTS (SELECT 1 FROM t AS u WHERE u.d = t.d + 1);
