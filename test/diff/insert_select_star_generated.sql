-- INSERT INTO t SELECT * FROM s between tables alike (same generated columns, affinities, collations, defaults)
-- copies the rows, generated columns and all, where t's rows need no check; otherwise "*" is matched against
-- t's ordinary columns and is one value too many.
CREATE TABLE s(g AS (typeof(b)), b);
INSERT INTO s(b) VALUES (0), ('x');
CREATE TABLE t(h AS (TYPEOF(c)), c);
INSERT INTO t SELECT * FROM s;
SELECT rowid, * FROM t;
INSERT INTO t SELECT * FROM s AS q;
SELECT count(*) FROM t;
INSERT INTO t SELECT * FROM t;
INSERT OR REPLACE INTO t SELECT * FROM s;
INSERT INTO t SELECT * FROM s WHERE 1;
CREATE TABLE d1(h AS (typeof(c) || ''), c);
INSERT INTO d1 SELECT * FROM s;
CREATE TABLE d2(h AS (typeof(b)) STORED, b);
INSERT INTO d2 SELECT * FROM s;
CREATE TABLE d3(h AS (typeof(c)), c);
CREATE INDEX d3c ON d3(c);
INSERT INTO d3 SELECT * FROM s;
CREATE TABLE d4(h AS (typeof(c)), c COLLATE nocase);
INSERT INTO d4 SELECT * FROM s;
CREATE TABLE d5(h AS (typeof(c)), c);
CREATE TRIGGER d5t AFTER INSERT ON d5 BEGIN SELECT 1; END;
INSERT INTO d5 SELECT * FROM s;
CREATE TABLE p(id INTEGER PRIMARY KEY, v, w AS (v * 2) STORED);
INSERT INTO p(id, v) VALUES (5, 1), (9, 2);
CREATE TABLE p2(id INTEGER PRIMARY KEY, v, w AS (v * 2) STORED);
INSERT INTO p2 SELECT * FROM p;
SELECT * FROM p2;
INSERT INTO p2 SELECT * FROM p;
SELECT count(*) FROM p2;
