-- x IN (c) with one constant element is x = +c, as SQLite's parser makes
-- it: an explicit COLLATE on the element counts (it would not in a longer
-- list), while the element's own affinity still does not.
CREATE TABLE t(b TEXT COLLATE BINARY, c TEXT COLLATE NOCASE);
INSERT INTO t VALUES ('hat', 'hat'), ('hAt', 'hAt'), ('HAT', 'HAT'), ('x', 'x');
SELECT count(*) FROM t WHERE b IN ('HAT' COLLATE NOCASE);
SELECT count(*) FROM t WHERE b NOT IN ('HAT' COLLATE NOCASE);
SELECT count(*) FROM t WHERE b IN ('HAT' COLLATE NOCASE, 'y');
SELECT count(*) FROM t WHERE c IN ('hat' COLLATE BINARY);
SELECT b IN ('hat'), b NOT IN ('hat' COLLATE NOCASE), c IN ('HAT' COLLATE BINARY) FROM t ORDER BY rowid;
CREATE INDEX tb ON t(b);
CREATE INDEX tc ON t(c);
SELECT count(*) FROM t WHERE b IN ('HAT' COLLATE NOCASE);
SELECT count(*) FROM t WHERE c IN ('hat' COLLATE BINARY);
SELECT count(*) FROM t WHERE c IN ('hat');
SELECT b FROM t WHERE b IN (NULL);
SELECT count(*) FROM t WHERE b NOT IN (NULL);
CREATE TABLE n(x INTEGER);
INSERT INTO n VALUES (1), ('1'), (2);
SELECT x FROM n WHERE x IN ('1');
SELECT x FROM n WHERE x IN (CAST(1 AS TEXT));
SELECT '1' IN (1), 1 IN ('1'), '1' IN (CAST(1 AS TEXT)), 1 IN (CAST('1' AS INTEGER));
SELECT 1 IN ((1, 2));
