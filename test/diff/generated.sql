-- Generated columns: VIRTUAL (computed when read) and STORED (computed when written).
CREATE TABLE t1(a, b AS (a + 1), c AS (b * 2) STORED);
INSERT INTO t1 VALUES (1);
INSERT INTO t1(a) VALUES (10), (NULL), ('7'), (2.5);
SELECT * FROM t1 ORDER BY rowid;
SELECT a, b, c, typeof(b), typeof(c) FROM t1 ORDER BY rowid;
SELECT b FROM t1 WHERE c > 10 ORDER BY b;
SELECT c, count(*) FROM t1 GROUP BY c ORDER BY c;
SELECT max(b), min(c), sum(b) FROM t1;
SELECT t1.b, x.b FROM t1 JOIN t1 AS x ON x.a = t1.b ORDER BY 1;
PRAGMA table_info(t1);
PRAGMA table_xinfo(t1);
UPDATE t1 SET a = a * 3 WHERE a = 10;
SELECT * FROM t1 ORDER BY rowid;
INSERT INTO t1 DEFAULT VALUES;
SELECT * FROM t1 ORDER BY rowid;
DELETE FROM t1 WHERE b IS NULL;
SELECT * FROM t1 ORDER BY rowid;
-- errors of INSERT and UPDATE
INSERT INTO t1 VALUES (1, 2);
INSERT INTO t1 VALUES (1, 2, 3);
INSERT INTO t1(a, b) VALUES (1, 2);
INSERT INTO t1(c) VALUES (1);
UPDATE t1 SET b = 1;
UPDATE t1 SET c = 1, a = 2;
UPDATE t1 SET a = 2, c = 1;
INSERT INTO t1(a) VALUES (1) ON CONFLICT DO UPDATE SET b = 1;
-- affinity of the declared type
CREATE TABLE t2(a TEXT, b INTEGER AS (a || '5'), c REAL AS (length(a)) STORED, d TEXT AS (a + 0) VIRTUAL, e AS (a));
INSERT INTO t2 VALUES ('12'), ('x'), (NULL), ('3.0');
SELECT a, b, typeof(b), c, typeof(c), d, typeof(d), e, typeof(e) FROM t2 ORDER BY rowid;
SELECT * FROM t2 WHERE b = '125';
SELECT * FROM t2 WHERE d = 12;
-- the rowid and INTEGER PRIMARY KEY
CREATE TABLE t3(id INTEGER PRIMARY KEY, v, w AS (id * 100 + v), s AS (id || ':' || v) STORED);
INSERT INTO t3(v) VALUES (1), (2);
INSERT INTO t3 VALUES (10, 5);
INSERT INTO t3(id, v) VALUES (20, 6);
SELECT * FROM t3 ORDER BY id;
UPDATE t3 SET id = id + 1 WHERE id >= 10;
SELECT * FROM t3 ORDER BY id;
UPDATE t3 SET v = v + 1;
SELECT id, w, s FROM t3 ORDER BY id;
-- generated columns read generated columns declared after them
CREATE TABLE t4(a, b AS (c + 1), c AS (a * 2) STORED, d AS (b + c) STORED, e AS (d - a));
INSERT INTO t4 VALUES (1), (5), (NULL);
SELECT * FROM t4;
SELECT e, d, c, b, a FROM t4 WHERE e > 3;
-- indexes on generated columns
CREATE TABLE t5(a, b, s AS (a + b), v AS (a * b) STORED);
CREATE INDEX t5s ON t5(s);
CREATE INDEX t5v ON t5(v, s);
INSERT INTO t5 VALUES (1, 2), (3, 4), (5, 6), (1, 1), (2, 0);
SELECT a, b FROM t5 WHERE s = 3 ORDER BY a;
SELECT s FROM t5 WHERE s > 2 ORDER BY s;
SELECT v, s FROM t5 WHERE v > 1 ORDER BY v;
UPDATE t5 SET a = a + 10 WHERE b = 2;
SELECT a, s FROM t5 WHERE s = 13;
SELECT a, s FROM t5 WHERE s = 3;
DELETE FROM t5 WHERE s = 11;
SELECT * FROM t5 ORDER BY s;
PRAGMA integrity_check;
CREATE UNIQUE INDEX t5u ON t5(s);
INSERT INTO t5 VALUES (0, 2);
INSERT INTO t5 VALUES (100, 2);
INSERT OR REPLACE INTO t5 VALUES (7, 6);
SELECT * FROM t5 ORDER BY s;
INSERT OR IGNORE INTO t5 VALUES (6, 7);
SELECT * FROM t5 ORDER BY s;
PRAGMA integrity_check;
-- UNIQUE, NOT NULL and CHECK on generated columns
CREATE TABLE t6(a, b AS (a * 2) UNIQUE, c AS (a - 1) NOT NULL, d AS (a + 1) STORED CHECK (d < 10));
INSERT INTO t6 VALUES (1);
INSERT INTO t6 VALUES (1);
INSERT INTO t6 VALUES (NULL);
INSERT INTO t6 VALUES (9);
INSERT INTO t6 VALUES (3);
SELECT * FROM t6 ORDER BY a;
UPDATE t6 SET a = 1 WHERE a = 3;
UPDATE t6 SET a = 20;
INSERT OR IGNORE INTO t6 VALUES (1), (4), (50), (NULL);
SELECT * FROM t6 ORDER BY a;
PRAGMA integrity_check;
CREATE TABLE t7(a, b AS (a) NOT NULL ON CONFLICT IGNORE);
INSERT INTO t7 VALUES (1), (NULL), (2);
SELECT * FROM t7;
-- WITHOUT ROWID
CREATE TABLE t8(k TEXT PRIMARY KEY, a, v AS (upper(k) || a), s AS (a * 10) STORED) WITHOUT ROWID;
INSERT INTO t8 VALUES ('b', 1), ('a', 2), ('c', 3);
SELECT * FROM t8;
SELECT k, v FROM t8 WHERE s >= 20;
UPDATE t8 SET a = a + 1 WHERE k = 'a';
UPDATE t8 SET k = 'z' WHERE k = 'b';
SELECT * FROM t8;
CREATE INDEX t8v ON t8(v);
SELECT k FROM t8 WHERE v = 'A3';
PRAGMA integrity_check;
PRAGMA table_xinfo(t8);
-- collation of a generated column
CREATE TABLE t9(a, b AS (a) COLLATE NOCASE, c AS (a || '') STORED COLLATE NOCASE);
INSERT INTO t9 VALUES ('x'), ('X'), ('y');
SELECT a FROM t9 WHERE b = 'x' ORDER BY a;
SELECT a FROM t9 WHERE c = 'Y';
SELECT DISTINCT b FROM t9 ORDER BY 1;
-- RETURNING
CREATE TABLE t10(a, b AS (a * 2), c AS (a * 3) STORED);
INSERT INTO t10 VALUES (1), (2) RETURNING *;
UPDATE t10 SET a = a + 1 RETURNING a, b, c;
DELETE FROM t10 WHERE b = 4 RETURNING b, c;
-- INSERT ... SELECT
CREATE TABLE t11(x, y AS (x || x));
INSERT INTO t11 SELECT a FROM t1;
INSERT INTO t11 SELECT * FROM t1;
SELECT * FROM t11 ORDER BY rowid;
-- upsert with a generated column target
CREATE TABLE t12(a, b, k AS (a + b) UNIQUE, n DEFAULT 0);
INSERT INTO t12(a, b) VALUES (1, 2);
INSERT INTO t12(a, b) VALUES (2, 1) ON CONFLICT(k) DO UPDATE SET n = n + 1;
INSERT INTO t12(a, b) VALUES (0, 3) ON CONFLICT(k) DO UPDATE SET a = excluded.a, b = excluded.b;
SELECT * FROM t12;
-- subquery and correlated reads
SELECT a, (SELECT count(*) FROM t5 WHERE t5.s < t1.b) FROM t1 ORDER BY rowid;
SELECT * FROM t4 WHERE b IN (SELECT s FROM t5);
-- views over generated columns
CREATE VIEW vg AS SELECT b, c FROM t1;
SELECT * FROM vg ORDER BY b;
