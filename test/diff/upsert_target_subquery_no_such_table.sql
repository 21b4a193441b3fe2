-- A conflict target's subquery is resolved before the target is matched: a
-- table it names that does not exist is "no such table", in any clause.
CREATE TABLE t2(a, b, c REAL, d, e, PRIMARY KEY(a,b)) WITHOUT ROWID;
CREATE UNIQUE INDEX t2c ON t2(c);
INSERT INTO t2(a,b,c,e,d) VALUES(1,2,3,4,5) ON CONFLICT(c) DO UPDATE SET b='' ON CONFLICT((SELECT t2 FROM nosuchtable)) DO NOTHING;
INSERT INTO t2(a,b,c,e,d) VALUES(1,2,3,4,5) ON CONFLICT((SELECT 1 FROM main.nosuch)) DO NOTHING;
INSERT INTO t2(a,b,c,e,d) VALUES(1,2,3,4,5) ON CONFLICT((SELECT 1 FROM t2)) DO NOTHING;
INSERT INTO t2(a,b,c,e,d) VALUES(1,2,3,4,5) ON CONFLICT(c) DO NOTHING ON CONFLICT(a, (SELECT x FROM (SELECT 1 AS x) WHERE x IN (SELECT 1 FROM gone))) DO NOTHING;
INSERT INTO t2(a,b,c,e,d) VALUES(1,2,3,4,5) ON CONFLICT(c) DO NOTHING;
SELECT * FROM t2;
