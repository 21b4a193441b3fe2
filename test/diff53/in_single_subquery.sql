-- x IN ((SELECT ...)): a list of one parenthesized subquery is an IN
-- subquery in SQLite 3.53 (3.40 read it as a scalar subquery's first row).
CREATE TABLE t(a)
INSERT INTO t VALUES (1), (2), (3)
SELECT a FROM t WHERE a IN ((SELECT a FROM t WHERE a > 1)) ORDER BY a
SELECT a FROM t WHERE a NOT IN ((SELECT 2 UNION SELECT 3)) ORDER BY a
SELECT a, a IN ((SELECT a FROM t WHERE a < 3)) FROM t ORDER BY a
SELECT a FROM t WHERE a IN ((SELECT 1, 2))
