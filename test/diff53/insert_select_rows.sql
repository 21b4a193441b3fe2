-- INSERT ... SELECT hands each row to the insert in shallow copies of the SELECT's registers (the new row
-- itself when the values come in column order): the insert's affinities must not reach the source rows,
-- and rows from several places of a compound, a sorter, a join or a CTE must all arrive whole.
-- plans: not compared (the rows inserted are what matters)
CREATE TABLE src(a, b, c)
INSERT INTO src VALUES ('12', 3, 'x'), (4.0, '5', 6), (NULL, x'00ff', '7.5'), ('abc', 8, 9.25)
CREATE TABLE dst(a INTEGER, b TEXT, c REAL)
CREATE INDEX dst_b ON dst(b)
INSERT INTO dst SELECT * FROM src
SELECT a, typeof(a), b, typeof(b), c, typeof(c) FROM dst ORDER BY rowid
SELECT a, typeof(a), b, typeof(b), c, typeof(c) FROM src ORDER BY rowid
INSERT INTO dst SELECT a, b, c FROM src WHERE a IS NOT NULL UNION ALL SELECT c, a, b FROM src WHERE c > 6
SELECT a, typeof(a), b, typeof(b), c, typeof(c) FROM dst ORDER BY rowid
INSERT INTO dst SELECT c, c, c FROM src ORDER BY b DESC
SELECT a, typeof(a), b, typeof(b), c, typeof(c) FROM dst ORDER BY rowid
INSERT INTO dst SELECT s1.a, s2.b, s1.c || s2.c FROM src s1 JOIN src s2 ON s1.rowid + 1 = s2.rowid
SELECT a, typeof(a), b, typeof(b), c, typeof(c) FROM dst ORDER BY rowid
INSERT INTO dst SELECT count(*), group_concat(b), sum(c) FROM src GROUP BY typeof(a)
SELECT a, typeof(a), b, typeof(b), c, typeof(c) FROM dst ORDER BY rowid
WITH RECURSIVE r(i, s) AS (SELECT 1, 'a' UNION ALL SELECT i + 1, s || i FROM r WHERE i < 5) INSERT INTO dst SELECT i, s, i * 1.5 FROM r
SELECT a, typeof(a), b, typeof(b), c, typeof(c) FROM dst ORDER BY rowid
INSERT INTO dst SELECT a + 1, b, c FROM dst WHERE b > '3'
SELECT count(*), sum(a), group_concat(b, '|') FROM dst
SELECT count(*) FROM dst INDEXED BY dst_b WHERE b >= ''
CREATE TABLE ipk(id INTEGER PRIMARY KEY, v TEXT)
INSERT INTO ipk SELECT a, b FROM src WHERE typeof(a) <> 'null'
SELECT id, typeof(id), v FROM ipk ORDER BY id
INSERT INTO ipk SELECT NULL, c FROM src
SELECT id, v, typeof(v) FROM ipk ORDER BY id
PRAGMA integrity_check
