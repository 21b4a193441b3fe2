-- Index seeks and uniqueness probes pick a comparator from the key's first field (an integer; a BINARY text,
-- decided on its first eight bytes when they differ; anything else through the general record comparison):
-- integers of every width near their limits, REAL, text and blob probes of an INTEGER column, texts that share
-- their first eight bytes, embedded NULs, texts too long for a one-byte serial type, DESC and multi-column keys.
CREATE TABLE ti(id INTEGER PRIMARY KEY, k INTEGER);
CREATE INDEX ti_k ON ti(k);
INSERT INTO ti(k) VALUES (0), (1), (-1), (127), (128), (-128), (-129), (32767), (32768), (-32768), (-32769), (8388607), (8388608), (-8388608), (-8388609), (2147483647), (2147483648), (-2147483648), (-2147483649), (140737488355327), (140737488355328), (-140737488355328), (-140737488355329), (9223372036854775807), (-9223372036854775808), (9223372036854775806), (-9223372036854775807), (2.5), (-2.5), (NULL), ('10'), (x'00'), ('zz');
INSERT INTO ti(k) SELECT k FROM ti WHERE k IS NOT NULL AND typeof(k) = 'integer' AND k % 3 = 0;
-- the same keys again under rowids of three bytes: entries long enough for the comparator's one-load read
INSERT INTO ti(id, k) SELECT id + 1000000, k FROM ti;
WITH v(x) AS (VALUES (0), (1), (-1), (127), (128), (-129), (32768), (-32769), (8388608), (-8388609), (2147483648), (-2147483649), (140737488355328), (-140737488355329), (9223372036854775807), (-9223372036854775808), (9223372036854775806), (2.0), (2.5), (-2.5), (127.0), (1e19), (-1e19), (9.223372036854775807e18), ('10'), ('127'), (x'00'), ('zz'), (NULL)) SELECT quote(v.x), (SELECT count(*) FROM ti INDEXED BY ti_k WHERE k = v.x), (SELECT count(*) FROM ti INDEXED BY ti_k WHERE k > v.x), (SELECT count(*) FROM ti INDEXED BY ti_k WHERE k <= v.x) FROM v;
SELECT quote(k) FROM ti INDEXED BY ti_k WHERE k > 2147483647 ORDER BY k LIMIT 5;
SELECT quote(k) FROM ti INDEXED BY ti_k WHERE k < -8388608 ORDER BY k DESC LIMIT 5;
CREATE TABLE tu(id INTEGER PRIMARY KEY, k INTEGER UNIQUE);
INSERT INTO tu(k) SELECT DISTINCT k FROM ti WHERE typeof(k) = 'integer';
INSERT OR IGNORE INTO tu(k) VALUES (9223372036854775807), (-9223372036854775808), (140737488355328), (2.0), (128.0), (3), (-3), (9223372036854775805);
SELECT count(*), quote(min(k)), quote(max(k)) FROM tu;
INSERT INTO tu(k) VALUES (-9223372036854775808);
INSERT INTO tu(k) VALUES (8388608.0);
PRAGMA integrity_check;
CREATE TABLE tt(id INTEGER PRIMARY KEY, s TEXT UNIQUE);
INSERT INTO tt(s) VALUES ('abcdefgh'), ('abcdefghi'), ('abcdefgg'), ('abcdefg'), ('abcdefgh' || char(0) || 'x'), ('abcdefgh' || char(0)), ('abc' || char(0) || 'defgh'), (char(0)), (''), ('a'), ('abcdefgz'), ('abcdefgh' || replace(hex(zeroblob(35)), '0', 'q')), ('abcdefgh' || replace(hex(zeroblob(35)), '0', 'r')), (replace(hex(zeroblob(40)), '0', 'q')), ('Abcdefgh'), ('abcdefgh ');
WITH v(x) AS (VALUES ('abcdefgh'), ('abcdefgh' || char(0)), ('abcdefgh' || char(0) || 'x'), ('abcdefgh' || char(0) || 'y'), ('abc' || char(0) || 'defgh'), ('abc' || char(0) || 'defgi'), ('abcdefg'), ('abcdefgi'), ('abcdefgha'), ('abcdefgh' || replace(hex(zeroblob(35)), '0', 'q')), ('abcdefgh' || replace(hex(zeroblob(34)), '0', 'q')), ('abcdefgh' || replace(hex(zeroblob(36)), '0', 'q')), (''), (char(0)), ('zzzzzzzzzz'), (x'6162636465666768'), (12345678), (NULL)) SELECT hex(v.x), (SELECT count(*) FROM tt WHERE s = v.x), (SELECT count(*) FROM tt WHERE s > v.x), (SELECT count(*) FROM tt WHERE s < v.x) FROM v;
INSERT OR IGNORE INTO tt(s) VALUES ('abcdefgh'), ('abcdefgh' || char(0)), ('abcdefgh' || char(0) || 'y'), ('abcdefghi'), ('abcdefgh' || replace(hex(zeroblob(35)), '0', 'q')), ('abcdefgh' || replace(hex(zeroblob(35)), '0', 's'));
SELECT count(*) FROM tt;
INSERT INTO tt(s) VALUES ('abc' || char(0) || 'defgh');
SELECT hex(s) FROM tt WHERE s >= 'abcdefgh' ORDER BY s LIMIT 8;
PRAGMA integrity_check;
CREATE TABLE td(a INTEGER, b TEXT, c REAL);
CREATE INDEX td_i ON td(a DESC, b, c DESC);
INSERT INTO td WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 400) SELECT (i % 7) - 3 + CASE WHEN i % 50 = 0 THEN 9223372036854775000 ELSE 0 END, printf('key%08d-%d', i % 13, i % 3), i / 4.0 FROM s;
SELECT a, b, c FROM td INDEXED BY td_i WHERE a = 2 AND b >= 'key00000005' ORDER BY a DESC, b, c DESC LIMIT 10;
SELECT count(*), min(c), max(c) FROM td INDEXED BY td_i WHERE a = -3 AND b = 'key00000004-1' AND c > 10;
SELECT quote(a), count(*) FROM td INDEXED BY td_i WHERE a > 0 GROUP BY a ORDER BY a;
SELECT quote(a), b, c FROM td INDEXED BY td_i WHERE a = 9223372036854775003 ORDER BY b, c DESC LIMIT 4;
SELECT count(*) FROM td INDEXED BY td_i WHERE a = 1 AND b > 'key00000003' AND b < 'key00000009';
CREATE TABLE tn(id INTEGER PRIMARY KEY, s TEXT COLLATE NOCASE UNIQUE, m);
CREATE INDEX tn_m ON tn(m, s);
INSERT OR IGNORE INTO tn(s, m) VALUES ('Abcdefghij', 1), ('abcdefghij', 2), ('ABCDEFGHIJ', 3), ('abcdefghik', 1.0), ('x', '1'), ('y', x'01'), ('z', NULL), ('w', 1.5), ('v', 'abcdefghij'), ('u', 'abcdefghiJ');
SELECT s, quote(m) FROM tn ORDER BY s;
WITH v(x) AS (VALUES (1), (1.0), (1.5), ('1'), (x'01'), ('abcdefghij'), ('abcdefghiJ'), (NULL)) SELECT quote(v.x), (SELECT count(*) FROM tn INDEXED BY tn_m WHERE m = v.x), (SELECT count(*) FROM tn INDEXED BY tn_m WHERE m > v.x) FROM v;
SELECT s FROM tn WHERE s = 'ABCDEFGHIK';
PRAGMA integrity_check;
