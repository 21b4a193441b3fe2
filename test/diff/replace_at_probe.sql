-- REPLACE deletes the conflicting entry of the index whose probe found it where
-- the probe left its cursor: conflicts on one and on several unique indexes,
-- partial, expression, NOCASE/DESC ones, UPDATE OR REPLACE, and the rows and
-- entries left afterwards.
CREATE TABLE t(a INTEGER PRIMARY KEY, b, c TEXT, d, e);
CREATE UNIQUE INDEX tb ON t(b);
CREATE UNIQUE INDEX tc ON t(c COLLATE NOCASE DESC);
CREATE UNIQUE INDEX td ON t(d) WHERE d > 10;
CREATE UNIQUE INDEX te ON t(e * 2);
CREATE INDEX tx ON t(c, b);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO t SELECT i, i * 10, 'c' || i, i, 1000 + i FROM n;
REPLACE INTO t VALUES (1000, 50, 'x', 1, 1);
REPLACE INTO t VALUES (1001, 60, 'C7', 2, 2);
REPLACE INTO t VALUES (1002, 70, 'C8', 3, 1090);
REPLACE INTO t VALUES (1003, 80, 'z', 30, 4);
REPLACE INTO t VALUES (1004, 5, 'y', 5, 1045);
INSERT OR REPLACE INTO t SELECT a + 5000, b + 5, upper(c), d, e + 100000 FROM t WHERE a % 9 = 0;
UPDATE OR REPLACE t SET b = b + 10 WHERE a BETWEEN 20 AND 40;
UPDATE OR REPLACE t SET c = 'c' || (a + 1) WHERE a BETWEEN 100 AND 110;
PRAGMA integrity_check;
SELECT count(*), sum(a), sum(b), group_concat(c, ''), sum(d), sum(e) FROM t;
SELECT * FROM t WHERE a >= 1000 ORDER BY a LIMIT 20;
SELECT a FROM t INDEXED BY tx WHERE c > 'c1' ORDER BY c, b LIMIT 10;
-- a table whose probe cursor is all it has, and a WITHOUT ROWID table
CREATE TABLE u(k UNIQUE, v);
INSERT INTO u VALUES (1, 'a'), (2, 'b'), (3, 'c');
REPLACE INTO u VALUES (2, 'B'), (3, 'C'), (4, 'D');
SELECT * FROM u ORDER BY k;
CREATE TABLE w(k PRIMARY KEY, u UNIQUE, v) WITHOUT ROWID;
INSERT INTO w VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, 'c');
REPLACE INTO w VALUES (4, 20, 'x'), (1, 30, 'y');
SELECT * FROM w ORDER BY k;
PRAGMA integrity_check;
