-- (x, y) NOT IN (SELECT ...) with a COLLATE on a subquery column: false or
-- true per row as each pair compares in "x = a"'s collation (3.40 answered
-- NULL for a row matching no subquery row).
CREATE TABLE t(b TEXT, c TEXT COLLATE NOCASE)
INSERT INTO t VALUES ('hat', 'hat'), ('hAt', 'hAt'), ('HAT', 'HAT'), ('x', 'X')
CREATE TABLE s(v)
INSERT INTO s VALUES ('HAT'), ('x')
SELECT b, (b, c) NOT IN (SELECT v, v COLLATE BINARY FROM s), (b, c) NOT IN (SELECT v COLLATE NOCASE, v FROM s) FROM t ORDER BY rowid
SELECT b, (b, c) NOT IN (SELECT v, v COLLATE BINARY FROM s WHERE length(t.b) > 0) FROM t ORDER BY rowid
