-- DELETEs whose WHERE is a unique lookup or a range of one index: the entry
-- goes through the loop's own cursor, the other indexes by their keys.
CREATE TABLE t(a INTEGER UNIQUE, b INT, c TEXT, d BLOB);
CREATE INDEX tbc ON t(b, c);
CREATE INDEX tl ON t(lower(c)) WHERE b > 2;
CREATE UNIQUE INDEX td ON t(d);
INSERT INTO t VALUES (1, 1, 'A', x'01'), (2, 2, 'b', x'02'), (3, 3, 'C', x'03'), (4, 4, 'd', x'04'), (5, 5, 'E', NULL), (6, 6, 'f', NULL);
DELETE FROM t WHERE a = 3;
DELETE FROM t WHERE a = 99;
DELETE FROM t WHERE d = x'02';
DELETE FROM t WHERE a IS NULL;
SELECT changes();
DELETE FROM t WHERE b BETWEEN 4 AND 5;
SELECT * FROM t ORDER BY a;
SELECT a FROM t WHERE b = 6 AND c = 'f';
SELECT a FROM t WHERE lower(c) = 'f' AND b > 2;
PRAGMA integrity_check;
CREATE TABLE u(x UNIQUE, y UNIQUE, z);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) INSERT INTO u SELECT i, -i, printf('%0100d', i) FROM n;
DELETE FROM u WHERE x = 17;
DELETE FROM u WHERE y = -200;
DELETE FROM u WHERE x > 350;
DELETE FROM u WHERE y BETWEEN -100 AND -50;
SELECT count(*), sum(x), sum(y) FROM u;
SELECT count(*) FROM u INDEXED BY sqlite_autoindex_u_2 WHERE y < 0;
PRAGMA integrity_check;
