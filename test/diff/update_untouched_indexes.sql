-- UPDATEs that leave some indexes alone (those are not opened for writing)
-- next to ones that may delete other rows through REPLACE, which must clean
-- every index of the row it deletes.
CREATE TABLE t(a INTEGER UNIQUE, b INT UNIQUE, c TEXT, d);
CREATE INDEX tc ON t(c DESC);
CREATE INDEX te ON t(lower(c));
CREATE INDEX tp ON t(d) WHERE d > 10;
INSERT INTO t VALUES (1, 10, 'x', 0), (2, 20, 'Y', 0), (3, 30, 'z', 0), (4, 40, 'W', 0);
UPDATE t SET d = b * 3 WHERE a = 2;
UPDATE t SET d = d + 1 WHERE b BETWEEN 10 AND 30;
UPDATE t SET c = 'q' WHERE a = 3;
UPDATE OR REPLACE t SET b = 10 WHERE a = 4;
SELECT * FROM t ORDER BY a;
SELECT a FROM t WHERE b = 10;
SELECT a FROM t WHERE c = 'q';
SELECT a FROM t WHERE lower(c) = 'y';
SELECT a, d FROM t WHERE d > 10;
PRAGMA integrity_check;
CREATE TABLE r(a INTEGER UNIQUE ON CONFLICT REPLACE, b UNIQUE, n);
CREATE INDEX rn ON r(n);
INSERT INTO r VALUES (1, 'a', 0), (2, 'b', 0), (3, 'c', 0);
UPDATE r SET n = n + 5 WHERE b = 'b';
UPDATE r SET a = 1 WHERE b = 'c';
SELECT * FROM r ORDER BY a;
SELECT count(*) FROM r INDEXED BY rn WHERE n >= 0;
PRAGMA integrity_check;
CREATE TABLE w(k TEXT PRIMARY KEY, v INT UNIQUE, z) WITHOUT ROWID;
CREATE INDEX wz ON w(z);
INSERT INTO w VALUES ('a', 1, 0), ('b', 2, 0);
UPDATE w SET z = 7 WHERE k = 'b';
SELECT * FROM w WHERE z = 7;
PRAGMA integrity_check;
