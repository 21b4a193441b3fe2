-- (x, y) IN (SELECT a, b ...) compares each pair in the collation "x = a"
-- would use: a COLLATE in x, else in a (anywhere in it), else x's column's,
-- else a's; correlated or not.
CREATE TABLE t(b TEXT, c TEXT COLLATE NOCASE);
INSERT INTO t VALUES ('hat', 'hat'), ('hAt', 'hAt'), ('HAT', 'HAT'), ('x', 'X');
CREATE TABLE s(v);
INSERT INTO s VALUES ('HAT'), ('x');
SELECT count(*) FROM t WHERE (b, 1) IN (SELECT v COLLATE NOCASE, 1 FROM s);
SELECT count(*) FROM t WHERE (b, 1) IN (SELECT +(v COLLATE NOCASE), 1 FROM s);
SELECT count(*) FROM t WHERE (c, 1) IN (SELECT v COLLATE BINARY, 1 FROM s);
SELECT count(*) FROM t WHERE (c, 1) IN (SELECT v || ('' COLLATE BINARY), 1 FROM s);
SELECT count(*) FROM t WHERE (c, 1) IN (SELECT v, 1 FROM s);
SELECT count(*) FROM t WHERE (b COLLATE NOCASE, 1) IN (SELECT v COLLATE BINARY, 1 FROM s);
SELECT count(*) FROM t WHERE (b, 1) IN (SELECT +(v COLLATE NOCASE), 1 FROM s WHERE length(t.b) > 0);
SELECT count(*) FROM t WHERE (c, 1) IN (SELECT v || ('' COLLATE BINARY), 1 FROM s WHERE length(t.b) > 0);
SELECT count(*) FROM t WHERE (c, 1) IN (SELECT v, 1 FROM s WHERE length(t.b) > 0);
SELECT b, (b, c) IN (SELECT v COLLATE NOCASE, v FROM s) FROM t ORDER BY rowid;
SELECT count(*) FROM t WHERE (b, 1) = (SELECT +('HAT' COLLATE NOCASE), 1);
SELECT count(*) FROM t WHERE (c, 1) = (SELECT 'hat' COLLATE BINARY, 1);
