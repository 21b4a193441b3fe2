-- x IN (SELECT y ...) compares in the collation "x = y" would use: a
-- COLLATE anywhere in x, else anywhere in y (not only at its top), else x's
-- column's, else y's; correlated or not.
CREATE TABLE t(b TEXT, c TEXT COLLATE NOCASE, n);
INSERT INTO t VALUES ('hat', 'hat', 'hat '), ('hAt', 'hAt', 'x'), ('HAT', 'HAT', NULL), ('x', 'X', 'HAT');
CREATE TABLE s(v);
INSERT INTO s VALUES ('HAT'), ('x');
SELECT count(*) FROM t WHERE b IN (SELECT v COLLATE NOCASE FROM s);
SELECT count(*) FROM t WHERE b IN (SELECT +(v COLLATE NOCASE) FROM s);
SELECT count(*) FROM t WHERE c IN (SELECT v COLLATE BINARY FROM s);
SELECT count(*) FROM t WHERE c IN (SELECT v || ('' COLLATE BINARY) FROM s);
SELECT count(*) FROM t WHERE c IN (SELECT v FROM s);
SELECT count(*) FROM t WHERE (b || '') IN (SELECT coalesce(v, 'q' COLLATE NOCASE) FROM s);
SELECT b, b IN (SELECT coalesce(v, 'q' COLLATE NOCASE) FROM s), c NOT IN (SELECT +(v COLLATE BINARY) FROM s) FROM t ORDER BY rowid;
SELECT count(*) FROM t WHERE c IN (SELECT +(v COLLATE BINARY) FROM s WHERE length(t.b) > 0);
SELECT count(*) FROM t WHERE b IN (SELECT v || (t.n COLLATE RTRIM) FROM s);
SELECT n, n IN (SELECT coalesce(t.b, +('hat' COLLATE RTRIM)) FROM s) FROM t ORDER BY rowid;
SELECT n, n IN (SELECT b COLLATE RTRIM FROM s) FROM t ORDER BY rowid;
SELECT n, +(n COLLATE NOCASE) IN (SELECT v COLLATE BINARY FROM s) FROM t ORDER BY rowid;
