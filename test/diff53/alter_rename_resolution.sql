-- ALTER TABLE RENAME checks the views and triggers it rewrites by name
-- resolution only: window calls anywhere, unknown functions with FILTER or
-- OVER, unknown collations and subqueries of the wrong width pass; unused
-- windows and CTEs are resolved (and renamed); a compound's ORDER BY and an
-- upsert target's WHERE are renamed; "x IN ()" drops x, which stays as
-- written; LIMIT's names are resolved before the results'.
CREATE TABLE t1(a, b, c);
CREATE TRIGGER r1 AFTER INSERT ON t1 BEGIN SELECT a, rank() OVER w1 FROM t1 WINDOW w1 AS (PARTITION BY b, percent_rank() OVER w1); SELECT a () FILTER (WHERE a > 0), x(*) OVER (ORDER BY b) FROM t1; SELECT a, b, c FROM t1 EXCEPT SELECT a, b, c FROM t1 ORDER BY a; INSERT INTO t1 VALUES (new.a, 0, 0) ON CONFLICT (a) WHERE a > 10 DO NOTHING; END;
CREATE VIEW v1 AS WITH w AS (SELECT a FROM t1) SELECT 1;
CREATE VIEW v2 AS SELECT a FROM t1 WHERE a = 'x' COLLATE nosuchcoll;
CREATE VIEW v3 AS SELECT 1 WHERE 2 IN (SELECT a, b FROM t1);
CREATE VIEW v5 AS SELECT * FROM t1 WHERE a = 1 OR (b IN ());
ALTER TABLE t1 RENAME a TO z;
ALTER TABLE t1 RENAME b TO y;
SELECT name, sql FROM sqlite_schema WHERE type <> 'table' ORDER BY name;
CREATE TRIGGER r2 AFTER INSERT ON t1 BEGIN SELECT z, sum(1) FROM t1 WINDOW u AS (ORDER BY NOT EXISTS (SELECT 1 FROM missing)); END;
ALTER TABLE t1 RENAME TO t9;
DROP TRIGGER r2;
CREATE VIEW v4 AS SELECT z FROM t1 LIMIT nosuch1 OFFSET nosuch2;
ALTER TABLE t1 RENAME TO t9;
DROP VIEW v4;
SELECT nosuch0 FROM t1 LIMIT nosuch3;
SELECT nosuch IN (), nosuch NOT IN ();
CREATE VIEW v6 AS SELECT z, y FROM t1 UNION SELECT y, z FROM t1 ORDER BY z;
ALTER TABLE t1 RENAME z TO zz;
SELECT sql FROM sqlite_schema WHERE name = 'v6';
