-- A full scan reads a covering index instead of the table only when the
-- index's rows are estimated narrower (SQLite's column size estimates), so
-- an unordered SELECT lists rows in the same order as SQLite.
CREATE TABLE t1(a INTEGER PRIMARY KEY, b UNIQUE);
INSERT INTO t1 VALUES (1, 2), (5, 6), (1002, 3);
SELECT * FROM t1;
SELECT b FROM t1;
EXPLAIN QUERY PLAN SELECT * FROM t1;
CREATE TABLE t2(a, b UNIQUE, c UNIQUE);
INSERT INTO t2 VALUES (1, 5, 9), (2, 4, 8), (3, 6, 7);
SELECT b, c FROM t2;
SELECT c FROM t2;
SELECT rowid, c FROM t2;
EXPLAIN QUERY PLAN SELECT c FROM t2;
CREATE TABLE t3(a TEXT, b INTEGER, c TEXT);
CREATE INDEX t3a ON t3(a);
CREATE INDEX t3ab ON t3(a, b);
INSERT INTO t3 VALUES ('c', 1, 'q'), ('a', 2, 'q'), ('b', 3, 'q');
SELECT a FROM t3;
SELECT a, b FROM t3;
EXPLAIN QUERY PLAN SELECT a, b FROM t3;
CREATE TABLE t4(a CHAR(40), b BLOB(8), c);
CREATE INDEX t4b ON t4(b);
CREATE INDEX t4a ON t4(a);
INSERT INTO t4 VALUES ('q', x'02', 1), ('p', x'01', 2);
SELECT hex(b) FROM t4;
SELECT a FROM t4;
CREATE TABLE t5(x INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, v);
INSERT INTO t5(name, v) VALUES ('b', 1), ('a', 2);
SELECT x, name FROM t5;
SELECT name FROM t5;
CREATE TABLE t6(a PRIMARY KEY, b, c) WITHOUT ROWID;
CREATE INDEX t6b ON t6(b);
INSERT INTO t6 VALUES (1, 9, 0), (2, 8, 0);
SELECT a, b FROM t6;
