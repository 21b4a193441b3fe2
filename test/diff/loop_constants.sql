-- Literals read in loops (coded once per run into registers of their own):
-- one literal compared under several affinities, in arithmetic, as function
-- arguments, negative, in subqueries and joins; and UNIQUE indexes built
-- over rows that do or do not repeat a key.
CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n);
INSERT INTO t VALUES (24, 24.0, '24', x'3234', '24'), (5, -5.5, 'abc', x'00', 5), (NULL, NULL, NULL, NULL, NULL);
INSERT INTO t VALUES (-3, 0.07, '-3', x'', '0.05'), (100, 1e3, '100', x'31', 'x7az');
SELECT i, r, s FROM t WHERE i < '30' AND s < '30' ORDER BY i;
SELECT i, s FROM t WHERE s = 24 OR i = '24' ORDER BY i;
SELECT i FROM t WHERE i > -4 AND r < -1 ORDER BY i;
SELECT i FROM t WHERE r BETWEEN 0.05 AND 0.07 OR n BETWEEN '0.05' AND '0.07' ORDER BY i;
SELECT i + 5, 5 + i, i * 2.5, i - -3, i / 2, i % 7, s || 'x', 'x' || s, i & 6, i | 1, i << 2, 1 >> i FROM t ORDER BY i;
SELECT i, 24 = i, '24' = i, 24 = s, '24' = s, 24.0 = n FROM t ORDER BY i;
SELECT s LIKE '%b%', s GLOB '*4', n LIKE '%7a%', substr(s, 2, 1), instr(s, '4'), replace(s, '4', 'four') FROM t ORDER BY i;
SELECT i, json_extract('{"a":1,"b":[2,3]}', '$.b[1]') + i FROM t ORDER BY i;
SELECT a.i, b.i FROM t a, t b WHERE a.i + 5 = b.i + 5 AND a.s <> 'abc' ORDER BY 1, 2;
SELECT i, (SELECT count(*) FROM t u WHERE u.i < t.i + 10 AND u.s <> 'zz') FROM t ORDER BY i;
SELECT count(*), sum(i * 2), total(r + 0.5), max(s || '!') FROM t WHERE i <> 7;
SELECT i, CASE WHEN i > 10 THEN 'big' WHEN i > 0 THEN 'small' ELSE 'neg' END FROM t ORDER BY i;
SELECT i, coalesce(i, -1) + 1, ifnull(s, 'none') FROM t ORDER BY i;
SELECT i FROM t WHERE i IN (5, 24, -3) AND s NOT IN ('abc', 'q') ORDER BY i;
CREATE VIEW v AS SELECT i * 10 AS x, s || '-' AS y FROM t WHERE i > -100;
SELECT x, y FROM v WHERE x > 40 AND y <> 'abc-' ORDER BY x;
SELECT x + 1 FROM v, (SELECT 2 AS k) WHERE x > k ORDER BY 1;
CREATE TABLE u(a, b COLLATE NOCASE, c, d TEXT);
INSERT INTO u VALUES (1, 'x', 1, 'p'), (2, 'X', 2, 'p'), (NULL, 'y', 3, 'q'), (NULL, 'y', 4, 'q');
INSERT INTO u VALUES (1.0, 'z', 5, 'r'), (3, NULL, 6, NULL), (3, NULL, 7, NULL);
CREATE UNIQUE INDEX ua ON u(a);
CREATE UNIQUE INDEX ub ON u(b);
CREATE UNIQUE INDEX ub_binary ON u(b COLLATE BINARY);
CREATE UNIQUE INDEX uab ON u(a, b);
CREATE UNIQUE INDEX ubd ON u(b, d);
CREATE UNIQUE INDEX uc ON u(c DESC);
CREATE UNIQUE INDEX ud ON u(d);
CREATE UNIQUE INDEX uexpr ON u(c % 3);
CREATE UNIQUE INDEX upart ON u(d) WHERE c > 4;
DELETE FROM u WHERE c = 5;
CREATE UNIQUE INDEX ua2 ON u(a);
SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name;
PRAGMA integrity_check;
INSERT INTO u VALUES (1, 'w', 8, 's');
INSERT INTO u VALUES (9, 'W', 9, 't');
