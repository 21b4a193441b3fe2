-- A bare column that is also a GROUP BY key is read from the key's record column
-- (COLLATE on the key keeps each row's own value; other keys and expressions do not share).
CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER, y REAL, s TEXT, g);
INSERT INTO t VALUES (1, 1, 1.5, 'a', 'A'), (2, 2, 2.5, 'b', 'a'), (3, 3, 3, 'A', 'b'), (4, 4, 4, 'c', 'B'), (5, 5, NULL, NULL, NULL), (6, 6, 6, 'a', 1), (7, 7, 7, 'a', '1');
SELECT g, count(*), sum(x) FROM t GROUP BY g;
SELECT g, s, count(*) FROM t GROUP BY g COLLATE NOCASE;
SELECT g, max(x), s FROM t GROUP BY g COLLATE NOCASE;
SELECT s, g, min(x) FROM t GROUP BY s COLLATE NOCASE, g;
SELECT id, count(*) FROM t GROUP BY id;
SELECT rowid, id, g, count(*) FROM t GROUP BY rowid;
SELECT upper(g), g, count(*) FROM t GROUP BY upper(g);
SELECT a.g, b.g, count(*) FROM t a, t b WHERE a.id = b.id + 1 GROUP BY a.g ORDER BY 1, 2;
SELECT g, typeof(g), count(*) FROM t GROUP BY +g;
SELECT y, count(*) FROM t GROUP BY y;
