-- A subquery that reads nothing of the enclosing query runs once (SCALAR / LIST SUBQUERY): IN probes a
-- set built in the comparison's collation and affinity; a correlated one runs for every row.
CREATE TABLE t(a, b TEXT COLLATE NOCASE);
CREATE TABLE u(x, y);
INSERT INTO t VALUES (1,'a'),(2,'B'),(NULL,'c'),('3','d'),(4.0,NULL);
INSERT INTO u VALUES (1,'A'),(3,'b'),(4,NULL),(NULL,'z');
SELECT a, a IN (SELECT x FROM u), a NOT IN (SELECT x FROM u), b IN (SELECT y FROM u) FROM t;
SELECT a, a IN (SELECT x FROM u WHERE x IS NOT NULL), (SELECT max(x) FROM u), EXISTS (SELECT 1 FROM u WHERE x > 3) FROM t;
SELECT a, (SELECT count(*) FROM u WHERE u.x = t.a) FROM t;
SELECT a FROM t WHERE a IN (SELECT x FROM u) ORDER BY a;
SELECT a FROM t WHERE a IN (SELECT x FROM u WHERE x > t.a - 5) ORDER BY a;
SELECT 1 IN (SELECT x FROM u WHERE 0), NULL IN (SELECT x FROM u WHERE 0), NULL IN (SELECT x FROM u);
SELECT a FROM t WHERE b IN (SELECT y FROM u);
SELECT a FROM t WHERE a IN (SELECT '1' UNION SELECT 4);
SELECT x FROM u WHERE x IN (SELECT a FROM t WHERE a IN (SELECT x FROM u));
EXPLAIN QUERY PLAN SELECT a FROM t WHERE a IN (SELECT x FROM u);
SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.x IN (SELECT t.a + 0 FROM u AS w));
SELECT a, (SELECT count(*) FROM u WHERE t.a IN (SELECT x FROM u AS w WHERE w.y IS NOT NULL)) FROM t;
SELECT a FROM t WHERE (SELECT count(*) FROM u WHERE x = 1) = 2 AND a IN (SELECT x FROM u) ORDER BY 1;
