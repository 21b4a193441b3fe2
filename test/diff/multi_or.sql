-- OR across columns: one lookup per disjunct (rowid or index), the union of their rows by rowid
-- (MULTI-INDEX OR), the OR still tested on each row.
CREATE TABLE t(a, b, c, d);
CREATE INDEX ta ON t(a);
CREATE INDEX tbc ON t(b, c);
INSERT INTO t VALUES (1,2,3,4),(2,2,1,5),(1,3,3,6),(NULL,2,NULL,7),(5,5,5,8),('1','2',3,9),(1.0,NULL,2,10);
SELECT * FROM t WHERE a = 1 OR b = 2 ORDER BY d;
SELECT d FROM t WHERE a = 1 OR c = 5 ORDER BY d;
SELECT d FROM t WHERE a = 1 OR (b = 2 AND c > 1) ORDER BY d;
SELECT d FROM t WHERE a IN (5, 2) OR b = 3 ORDER BY d;
SELECT d FROM t WHERE rowid = 3 OR a = 5 ORDER BY d;
SELECT d FROM t WHERE (a = 1 OR b = 2) AND d > 5 ORDER BY d;
SELECT count(*) FROM t WHERE a = 1 OR b = 2;
SELECT a FROM t WHERE a > 1 OR b < 3 ORDER BY 1;
CREATE TABLE u(x, y);
INSERT INTO u VALUES (1, 2), (5, 3), (7, 7);
SELECT u.x, t.d FROM u, t WHERE t.a = u.x OR t.b = u.y ORDER BY 1, 2;
SELECT u.x, t.d FROM u LEFT JOIN t ON t.a = u.x OR t.b = u.y ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT * FROM t WHERE a = 1 OR b = 2;
EXPLAIN QUERY PLAN SELECT d FROM t WHERE a = 1 OR c = 5;
EXPLAIN QUERY PLAN SELECT d FROM t WHERE rowid = 3 OR a = 5;
EXPLAIN QUERY PLAN SELECT d FROM t WHERE a = 1 OR (b = 2 AND c > 1);
EXPLAIN QUERY PLAN SELECT u.x, t.d FROM u, t WHERE t.a = u.x OR t.b = u.y;
