-- ORDER BY terms of two tables of a join, delivered by the loops: the outer
-- table's rows in the order of its terms (a scan turned into a walk of an
-- index that gives it), each distinct on them (the rowid, or a UNIQUE index
-- of NOT NULL columns, in its collation), the inner level giving the rest,
-- backwards too.  A SELECT without FROM needs no sort.
CREATE TABLE album(aid INTEGER PRIMARY KEY, title TEXT UNIQUE NOT NULL, loose TEXT UNIQUE, genre);
CREATE TABLE track(tid INTEGER PRIMARY KEY, aid INTEGER NOT NULL REFERENCES album, tn INTEGER NOT NULL, name TEXT, UNIQUE(aid, tn));
INSERT INTO album VALUES (1, '1-one', 'x', 'rock'), (2, '2-two', NULL, 'jazz'), (3, '3-three', NULL, 'rock'), (4, '0-zero', 'A', 'pop');
INSERT INTO track VALUES (NULL, 1, 1, 'one-a'), (NULL, 2, 2, 'two-b'), (NULL, 3, 3, 'three-c'), (NULL, 1, 3, 'one-c'), (NULL, 2, 1, 'two-a'), (NULL, 3, 1, 'three-a'), (NULL, 4, 2, 'zero-b'), (NULL, 4, 1, 'zero-a');
EXPLAIN QUERY PLAN SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY title, tn;
SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY title, tn;
EXPLAIN QUERY PLAN SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY title DESC, tn DESC;
SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY title DESC, tn DESC;
EXPLAIN QUERY PLAN SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY title DESC, tn;
SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY title DESC, tn;
EXPLAIN QUERY PLAN SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY album.aid DESC, tn;
SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY album.aid DESC, tn;
EXPLAIN QUERY PLAN SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY album.aid, tn DESC;
SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY album.aid, tn DESC;
EXPLAIN QUERY PLAN SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY loose, tn;
SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY loose, tn, name;
EXPLAIN QUERY PLAN SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY title COLLATE NOCASE, tn;
SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY title COLLATE NOCASE, tn;
EXPLAIN QUERY PLAN SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY genre, tn;
SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY genre, tn, name;
EXPLAIN QUERY PLAN SELECT name FROM album CROSS JOIN track USING (aid) WHERE title > '1' ORDER BY title, tn;
SELECT name FROM album CROSS JOIN track USING (aid) WHERE title > '1' ORDER BY title, tn;
EXPLAIN QUERY PLAN SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY title, tn LIMIT 3;
SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY title, tn LIMIT 3;
EXPLAIN QUERY PLAN SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY title, name;
SELECT name FROM album CROSS JOIN track USING (aid) ORDER BY title, name;
EXPLAIN QUERY PLAN SELECT 5 ORDER BY 1;
SELECT 5 ORDER BY 1;
SELECT 5 AS x UNION ALL SELECT 3 ORDER BY x;
SELECT 2 WHERE 0 ORDER BY 1;
-- the outer table read through a narrow covering index turns to its rowid order
CREATE TABLE t8(a INTEGER PRIMARY KEY, b TEXT UNIQUE, c CHAR(100));
INSERT INTO t8(a, b) VALUES (1, 'one'), (4, 'four'), (2, 'two');
EXPLAIN QUERY PLAN SELECT x.a || '/' || y.a FROM t8 x, t8 y ORDER BY x.a, x.b;
SELECT x.a || '/' || y.a FROM t8 x, t8 y ORDER BY x.a, x.b, y.a;
EXPLAIN QUERY PLAN SELECT x.a || '/' || y.a FROM t8 x, t8 y ORDER BY x.a DESC;
EXPLAIN QUERY PLAN SELECT x.a || '/' || y.a FROM t8 x, t8 y ORDER BY x.a, y.b DESC;
SELECT x.a || '/' || y.a FROM t8 x, t8 y ORDER BY x.a, y.b DESC;
-- a merge's RIGHT step comes after the plan of the arms on its left, as SQLite writes it
EXPLAIN QUERY PLAN SELECT 5 AS x UNION ALL SELECT 3 ORDER BY x;
CREATE TABLE m1(a, b);
CREATE TABLE m2(a, b);
CREATE INDEX m2a ON m2(a);
EXPLAIN QUERY PLAN SELECT a FROM m1 UNION ALL SELECT a FROM m2 ORDER BY 1;
EXPLAIN QUERY PLAN SELECT a FROM m1 UNION SELECT a FROM m2 UNION SELECT b FROM m1 ORDER BY 1;
EXPLAIN QUERY PLAN SELECT a FROM m1 EXCEPT SELECT a FROM m2 INTERSECT SELECT b FROM m1 ORDER BY 1 DESC;
