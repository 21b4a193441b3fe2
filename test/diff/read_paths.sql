-- The VM's read-side fast paths against their general forms: Column over
-- rows whose headers are parsed only as far as the columns read (wide rows,
-- rows shorter than the table after ADD COLUMN, columns read out of order),
-- sort keys of short texts and blobs decided by their 8-byte prefixes and
-- lengths (equal prefixes, embedded zero bytes, a second key, DESC),
-- REAL arithmetic on column values (inf, NaN, division by zero, mixed
-- INTEGER/REAL) and LIKE '%literal%' with and without letters.

CREATE TABLE w(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p);
INSERT INTO w VALUES (1, 'x', 2.5, NULL, x'00ff', 'long text that needs a two byte serial type .......................', 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
INSERT INTO w VALUES (-1, '', 0.0, 1, x'', 'y', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'last');
INSERT INTO w(a, p) VALUES (100000000000, 'only p');
SELECT a, b FROM w ORDER BY rowid;
SELECT p, a, o, c FROM w ORDER BY rowid;
SELECT f, e, length(f), hex(e) FROM w ORDER BY rowid;
SELECT count(*), sum(j), max(p) FROM w WHERE c IS NOT NULL;
ALTER TABLE w ADD COLUMN q DEFAULT 'dflt';
ALTER TABLE w ADD COLUMN r INTEGER DEFAULT 42;
SELECT a, q, r, p FROM w ORDER BY rowid;
SELECT r, q FROM w WHERE a > 0 ORDER BY rowid;
INSERT INTO w(a, q) VALUES (5, 'given');
SELECT a, q, r FROM w ORDER BY rowid;

CREATE TABLE s(k, v);
INSERT INTO s VALUES ('ab', 2), ('ab', 1), ('abc', 0), ('a', 5), ('', 9), ('abcdefgh', 1), ('abcdefgh', 0),
  ('abcdefghi', 3), ('abcdefgh' || char(0), 4), ('ab' || char(0), 6), ('ab' || char(0) || char(0), 7),
  (x'6162', 8), (x'616200', 9), (x'61', 10), (x'', 11), ('B', 12), ('b', 13), (NULL, 14), (3, 15), (2.5, 16);
SELECT hex(k), typeof(k), v FROM s ORDER BY k, v;
SELECT hex(k), typeof(k), v FROM s ORDER BY k DESC, v;
SELECT hex(k), typeof(k), v FROM s ORDER BY k, v DESC;
SELECT hex(k), count(*), sum(v) FROM s GROUP BY k ORDER BY k;
SELECT hex(k), v FROM s ORDER BY k COLLATE NOCASE, v;
SELECT hex(k), v FROM s ORDER BY k, v LIMIT 5;

CREATE TABLE n(x REAL, y INTEGER, z);
INSERT INTO n VALUES (1.5, 2, 'a'), (1e308, 10, NULL), (-1e308, 3, 1), (0.0, 0, 2.0), (2.0, -4, 'x'), (NULL, 1, 1.5),
  (1e308, 0, 1e308);
SELECT x + y, x - y, x * y, x / y, y / x, x * 1e308, (x * 1e308) - (x * 1e308), typeof(x * y) FROM n ORDER BY rowid;
SELECT x + z, x * z, z / x, y - z, y * 2.5, y / 0.0, x / 0 FROM n ORDER BY rowid;
SELECT sum(x * y), total(x / (y + 0.5)), avg(y * 1.5) FROM n WHERE x IS NOT NULL AND abs(x) < 1e300;

CREATE TABLE l(s TEXT);
INSERT INTO l VALUES ('row-1-7a'), ('row-2-7A'), ('ROW-3-X7AB'), ('7a'), ('7'), ('a7'), ('row-7-7'), (''), (NULL),
  ('xx7ay'), ('7b7a'), ('Abc'), ('zABCz'), ('ab' || char(0) || '7a'), (x'37612e');
SELECT s, s LIKE '%7a%', s LIKE '%7A%', s LIKE '%a7%', s LIKE '%abc%', s LIKE '%-7%', s GLOB '*7a*' FROM l ORDER BY rowid;
SELECT count(*) FROM l WHERE s LIKE '%7a%';
SELECT count(*) FROM l WHERE s LIKE '%b7a%';
SELECT count(*) FROM l WHERE s NOT LIKE '%7%';
