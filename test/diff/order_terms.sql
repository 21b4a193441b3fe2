-- ORDER BY / GROUP BY terms that are signed integer constants name result columns (and must be in range).
SELECT DISTINCT 1 ORDER BY -17;
SELECT 1 GROUP BY -7;
SELECT 1 AS a, 2 AS b ORDER BY +2, -0 + 1;
SELECT 1 ORDER BY +1;
CREATE TABLE t(a, b);
INSERT INTO t VALUES (1, 2), (3, 1);
SELECT a, b FROM t ORDER BY +2;
SELECT a, count(*) FROM t GROUP BY +1;
SELECT a FROM t ORDER BY -1;

-- ORDER BY terms after the rowid, which no two rows share, are never evaluated: they cannot change the
-- order (an error in one must not surface).
CREATE TABLE ob(c);
INSERT INTO ob VALUES (-9223372036854775808), (5);
SELECT rowid FROM ob ORDER BY rowid, abs(c);
SELECT rowid FROM ob ORDER BY rowid DESC, abs(c);
SELECT rowid, c FROM ob ORDER BY _rowid_, c + 1, abs(c);
