-- ANALYZE writes sqlite_stat1 as sqlite3 does: one row per index "N D1 … Dk", a row (tbl, NULL, N) for a table without a full index.
ANALYZE;
SELECT name, sql FROM sqlite_schema WHERE name = 'sqlite_stat1';
SELECT count(*) FROM sqlite_stat1;
ANALYZE nosuch;
ANALYZE main.nosuch;
ANALYZE aux.t;
ANALYZE aux;
ANALYZE main;
ANALYZE sqlite_stat1;
ANALYZE sqlite_master;
CREATE TABLE t(a, b, c);
ANALYZE t;
SELECT * FROM sqlite_stat1 ORDER BY tbl, idx;
INSERT INTO t VALUES (1, 2, 3), (1, 2, 4), (1, 3, NULL), (NULL, NULL, NULL), (NULL, NULL, 1), ('A', 'x', 7), ('a', 'x', 8);
ANALYZE;
SELECT tbl, idx, stat, typeof(stat) FROM sqlite_stat1 ORDER BY tbl, idx;
-- Unique, duplicated, NULL-holding, multi-column, collated, descending and partial indexes.
CREATE INDEX t_a ON t(a);
CREATE INDEX t_ab ON t(a, b);
CREATE UNIQUE INDEX t_c ON t(c);
CREATE INDEX t_b_part ON t(b) WHERE b IS NOT NULL;
CREATE INDEX t_a_nocase ON t(a COLLATE NOCASE, b DESC);
CREATE INDEX t_expr ON t(a + 1, c);
CREATE TABLE empty(x, y);
CREATE INDEX empty_x ON empty(x);
CREATE TABLE part(x, y);
CREATE INDEX part_x ON part(x) WHERE x > 0;
INSERT INTO part VALUES (1, 1), (0, 0), (-1, 2), (5, 5), (5, 6);
CREATE TABLE u(x PRIMARY KEY, y UNIQUE NOT NULL, z);
INSERT INTO u VALUES (1, 1, 0), (2, 2, 0), (3, 3, 0);
CREATE TABLE same(v);
CREATE INDEX same_v ON same(v);
INSERT INTO same VALUES (7), (7), (7), (7), (7), (7);
CREATE TABLE near(v);
CREATE INDEX near_v ON near(v);
INSERT INTO near VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (1);
CREATE TABLE half(v, w);
CREATE INDEX half_vw ON half(v, w);
INSERT INTO half VALUES (1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 1), (4, NULL), (4, NULL), (5, 1.0), (5, 1);
ANALYZE;
SELECT * FROM sqlite_stat1 ORDER BY tbl, idx;
-- One index, one table: only their rows are replaced.
DELETE FROM same WHERE rowid > 2;
INSERT INTO t VALUES (9, 9, 9);
ANALYZE t_a;
SELECT * FROM sqlite_stat1 ORDER BY tbl, idx;
ANALYZE main.same;
SELECT * FROM sqlite_stat1 ORDER BY tbl, idx;
ANALYZE "T";
SELECT * FROM sqlite_stat1 ORDER BY tbl, idx;
-- DROP INDEX and DROP TABLE take their rows with them.
DROP INDEX t_ab;
DROP TABLE part;
SELECT * FROM sqlite_stat1 ORDER BY tbl, idx;
-- Inside a transaction, and rolled back.
BEGIN;
INSERT INTO same VALUES (8), (8);
ANALYZE same;
SELECT * FROM sqlite_stat1 WHERE tbl = 'same';
ROLLBACK;
SELECT * FROM sqlite_stat1 WHERE tbl = 'same';
-- Queries still work with statistics present.
SELECT a, b FROM t WHERE a = 1 ORDER BY b;
PRAGMA integrity_check;
