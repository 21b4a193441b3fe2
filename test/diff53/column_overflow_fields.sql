-- Text and blob fields of rows that overflow their page, read by several
-- columns of one row: fields past the on-page part are read from the
-- overflow chain into their register, small ones after a full load of the
-- row; fields around the size where that changes, several large fields in
-- one row read in any order, the same field twice, small fields after large
-- ones, and rows of WITHOUT ROWID tables.
CREATE TABLE t(id INTEGER PRIMARY KEY, a BLOB, b TEXT, c INT, d TEXT, e BLOB);
INSERT INTO t VALUES(1, cast(printf('%.*c', 9000, 'q') AS BLOB), printf('%.*c', 7000, 'x') || 'end', 42, 'small', CAST(zeroblob(5000) || x'ff' AS BLOB));
INSERT INTO t VALUES(2, x'01', 'b', 7, printf('%.*c', 20000, 'y'), cast(printf('%.*c', 1023, 'q') AS BLOB));
INSERT INTO t VALUES(3, cast(printf('%.*c', 1024, 'r') AS BLOB), printf('%.*c', 1025, 'z'), -1, printf('%.*c', 4090, 'w'), cast(printf('%.*c', 3000, 'q') AS BLOB));
INSERT INTO t VALUES(4, NULL, NULL, NULL, NULL, NULL);
INSERT INTO t VALUES(5, cast(printf('%.*c', 100, 'q') AS BLOB), 'tiny', 3.5, 'also tiny', x'');
CREATE TABLE keep AS SELECT * FROM t;
SELECT id, length(a), length(b), c, length(d), length(e), typeof(a), typeof(b), typeof(e) FROM t ORDER BY id;
SELECT id, e = k.e, d = k.d, c, b = k.b, a = k.a FROM t JOIN keep k USING (id) ORDER BY id;
SELECT id, substr(b, -3), substr(d, 1, 5), hex(substr(e, -1)), c, hex(substr(a, 1, 0)) FROM t ORDER BY id DESC;
SELECT id, c, length(d), d = b, a = a, length(a || e), length(b) + length(d) FROM t ORDER BY id;
SELECT id, md5 FROM (SELECT id, hex(a) || b || c || d || hex(e) AS md5 FROM t) WHERE length(md5) > 10000 ORDER BY id;
SELECT id, length(e), c, length(a) FROM t WHERE c IS NOT NULL ORDER BY c;
SELECT t.id, length(t.a), length(k.a), t.a = k.a FROM t, keep k WHERE t.id = k.id AND t.b = k.b ORDER BY 1;
SELECT count(*), sum(length(a)), sum(length(b)), sum(length(d)), sum(length(e)) FROM t, (SELECT 1 UNION ALL SELECT 2);
UPDATE t SET d = b, b = d, c = length(a) WHERE id IN (1, 3);
SELECT id, length(b), length(d), c, substr(b, 1, 3), substr(d, -3) FROM t ORDER BY id;
UPDATE t SET a = a || a, e = NULL WHERE id = 1;
SELECT id, length(a), length(e), substr(hex(a), 1, 8) = substr(hex(a), 18001, 8) FROM t WHERE id = 1;
CREATE INDEX t_c ON t(c);
SELECT id, length(b) FROM t WHERE c > 0 ORDER BY c;
CREATE TABLE w(k TEXT PRIMARY KEY, v BLOB, n INT) WITHOUT ROWID;
INSERT INTO w SELECT printf('%.*c', 3000, char(64 + id)), a, id FROM keep WHERE a IS NOT NULL;
SELECT length(k), length(v), n, substr(k, 1, 2), v = (SELECT a FROM keep WHERE id = n) FROM w ORDER BY n;
SELECT n, length(v), length(k) FROM w WHERE k > 'B' ORDER BY k DESC;
