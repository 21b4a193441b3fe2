-- A correlated subquery seeks an index with the enclosing row's value: the outer column's affinity and
-- collation come with its binding.
CREATE TABLE t3(id INTEGER PRIMARY KEY, a INTEGER UNIQUE, b INTEGER, c TEXT COLLATE NOCASE);
CREATE INDEX t3c ON t3(c);
CREATE TABLE t4(id INTEGER PRIMARY KEY, a, b BLOB, c TEXT);
INSERT INTO t3 VALUES (1, 1, 1, 'a'), (2, 2, 2, 'B'), (3, '3', 3, 'c');
INSERT INTO t4 VALUES (1, 1, 1, 'A'), (2, 5, '2', 'b'), (3, 3, 3.0, 'x'), (4, NULL, NULL, NULL);
SELECT id FROM t4 AS x WHERE EXISTS (SELECT 1 FROM t3 AS s WHERE s.a = x.b) ORDER BY id;
SELECT id FROM t4 AS x WHERE NOT EXISTS (SELECT 1 FROM t3 AS s WHERE s.a = x.b) ORDER BY id;
SELECT id, (SELECT count(*) FROM t3 AS s WHERE s.c = x.c) FROM t4 AS x ORDER BY id;
SELECT id, (SELECT count(*) FROM t3 AS s WHERE x.c = s.c) FROM t4 AS x ORDER BY id;
SELECT id, (SELECT max(s.id) FROM t3 AS s WHERE s.a < x.a) FROM t4 AS x ORDER BY id;
-- (SQLite 3.53 joins such an EXISTS to the query instead: test/diff53/exists_join.sql)
EXPLAIN QUERY PLAN SELECT id FROM t4 AS x WHERE NOT EXISTS (SELECT 1 FROM t3 AS s WHERE s.a = x.b);
EXPLAIN QUERY PLAN SELECT id, (SELECT count(*) FROM t3 AS s WHERE s.c = x.c) FROM t4 AS x;
