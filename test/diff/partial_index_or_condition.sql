-- A partial index whose condition is an OR serves a query one of whose
-- WHERE terms is a side of that OR: the term implies the condition.
CREATE TABLE t2(a, b);
INSERT INTO t2 SELECT value, value + 10000 FROM generate_series(1, 1000);
CREATE INDEX t2a2 ON t2(a) WHERE a < 100 OR a > 200;
SELECT b FROM t2 WHERE a = 15 AND a < 100;
EXPLAIN QUERY PLAN SELECT b FROM t2 WHERE a = 15 AND a < 100;
SELECT b FROM t2 WHERE a = 515 AND a > 200;
EXPLAIN QUERY PLAN SELECT b FROM t2 WHERE a = 515 AND a > 200;
SELECT b FROM t2 WHERE a = 150 AND a > 100;
EXPLAIN QUERY PLAN SELECT b FROM t2 WHERE a = 150 AND a > 100;
CREATE INDEX t2b ON t2(b) WHERE (a < 5 AND b > 0) OR a IS NULL;
SELECT a FROM t2 WHERE b = 10003 AND a < 5 AND b > 0;
EXPLAIN QUERY PLAN SELECT a FROM t2 WHERE b = 10003 AND a < 5 AND b > 0;
EXPLAIN QUERY PLAN SELECT a FROM t2 WHERE b = 10003 AND a IS NULL;
INSERT INTO t2 VALUES (NULL, 5);
SELECT b FROM t2 WHERE b = 5 AND a IS NULL;
-- A term that another term's constant rewrote ("a = 15 AND a < 100") still
-- implies the condition it was written as.
CREATE TABLE t3(a, b);
INSERT INTO t3 SELECT value, value * 2 FROM generate_series(1, 500);
CREATE INDEX t3b ON t3(b) WHERE a < 100;
SELECT a FROM t3 WHERE a = 15 AND a < 100 AND b = 30;
EXPLAIN QUERY PLAN SELECT a FROM t3 WHERE a = 15 AND a < 100 AND b = 30;
EXPLAIN QUERY PLAN SELECT a FROM t3 WHERE a < 100 AND a = 15 AND b = 30;
