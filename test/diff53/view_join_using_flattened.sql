-- A view (or FROM subquery) whose tables are joined USING columns is merged
-- into the query that reads it, its USING read as the equality of the left
-- table's column and the right table's: no copy of its rows is made, and an
-- automatic index for a join is opened as SQLite lists it (OpenAutoindex).
CREATE TABLE t1(x, a, b, c);
CREATE TABLE t2(y, a);
INSERT INTO t1 VALUES (1, 2, 3, 4), (4, 5, 6, 7), (7, 8, 9, 10);
INSERT INTO t2 VALUES (22, 2), (33, 3), (44, 4), (55, 5);
CREATE VIEW v5 AS SELECT t1.x AS v, t2.y AS w FROM t1 JOIN t2 USING(a);
SELECT * FROM v5;
EXPLAIN QUERY PLAN SELECT * FROM v5;
SELECT * FROM v5 AS a, t2 AS b WHERE a.w = b.y;
EXPLAIN QUERY PLAN SELECT * FROM v5 AS a, t2 AS b WHERE a.w = b.y;
SELECT * FROM t2 AS b, v5 AS a WHERE a.w = b.y;
SELECT * FROM t1 AS a, v5 AS b, t2 AS c WHERE a.x = b.v AND b.w = c.y;
EXPLAIN QUERY PLAN SELECT * FROM t1 AS a, v5 AS b, t2 AS c WHERE a.x = b.v AND b.w = c.y;
SELECT v, w FROM (SELECT t1.x AS v, t2.y AS w FROM t1 JOIN t2 USING (a) WHERE t1.b > 3) ORDER BY v;
EXPLAIN QUERY PLAN SELECT v, w FROM (SELECT t1.x AS v, t2.y AS w FROM t1 JOIN t2 USING (a) WHERE t1.b > 3) ORDER BY v;
CREATE TABLE t3(a, z);
INSERT INTO t3 VALUES (2, 'two'), (5, 'five');
CREATE VIEW v6 AS SELECT t1.x, t3.z FROM t1 JOIN t2 USING (a) JOIN t3 USING (a);
SELECT * FROM v6 ORDER BY x;
CREATE VIEW v7 AS SELECT * FROM t1 JOIN t2 USING (a);
SELECT * FROM v7 ORDER BY x;
SELECT count(*) FROM bytecode('SELECT * FROM v5') WHERE opcode = 'OpenAutoindex';
SELECT count(*) FROM bytecode('SELECT * FROM v5') WHERE opcode = 'OpenEphemeral';
