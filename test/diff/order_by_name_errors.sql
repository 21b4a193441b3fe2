-- Which unknown name is reported when several clauses have one: SQLite
-- resolves the results, WHERE, LIMIT and HAVING before ORDER BY; and a
-- sorted result column is stored once whatever names the term.
CREATE TABLE t(id INTEGER PRIMARY KEY, x, g, s);
INSERT INTO t VALUES (1, 5, 1, 'b'), (2, 6, 2, 'a'), (3, 7, 1, 'c');
SELECT g FROM t GROUP BY g HAVING nosuch1 > 0 ORDER BY nosuch2;
SELECT g FROM t WHERE g > 0 ORDER BY nosuch2 LIMIT nosuch3;
SELECT g FROM t WHERE nosuch1 > 0 ORDER BY nosuch2;
SELECT nosuch0, g FROM t ORDER BY nosuch2;
SELECT x FROM t ORDER BY nosuch2, (SELECT nosuch4);
SELECT x FROM t ORDER BY nosuch2 COLLATE nocase;
SELECT DISTINCT x FROM t ORDER BY nosuch2;
SELECT id, s FROM t ORDER BY s;
SELECT id, s AS k FROM t ORDER BY k DESC;
SELECT g, s FROM t ORDER BY g, s COLLATE nocase DESC;
SELECT g, count(*) FROM t GROUP BY g HAVING count(*) > 0 ORDER BY g DESC;
