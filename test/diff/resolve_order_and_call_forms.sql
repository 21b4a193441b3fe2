-- Names of the result columns are resolved (and reported) before those of
-- WHERE, ON and ORDER BY; an UPDATE's SET values before its WHERE.
CREATE TABLE t(a, b);
CREATE TABLE w(f1 int, f2 int);
SELECT x1 FROM t WHERE x2;
SELECT x1 FROM t ORDER BY x2;
SELECT x1 FROM t GROUP BY x2;
SELECT a FROM t GROUP BY x3 HAVING x2;
SELECT a FROM t WHERE x2 ORDER BY x3;
SELECT a FROM t AS u JOIN t AS v ON x1 WHERE x2;
SELECT x1, count(*) FROM t WHERE x2 GROUP BY x3;
SELECT A.f1, f1 FROM w AS A, w AS B ORDER BY f2;
SELECT A.f1, B.f1 FROM w AS A, w AS B ORDER BY f2;
SELECT (SELECT x1), x2 FROM t;
UPDATE t SET nosuch = 1 WHERE x2;
UPDATE t SET a = x1 WHERE x2;
UPDATE t SET a = 1 WHERE x2 RETURNING x3;
INSERT INTO t VALUES(x1, x2);
-- f(*) calls f with no arguments; DISTINCT on a scalar function is ignored.
SELECT random(*) IS NOT NULL, changes(*), typeof(sqlite_version(*)), total_changes(*);
SELECT abs(DISTINCT -3), coalesce(DISTINCT NULL, 2), upper(ALL 'x');
SELECT abs(*);
SELECT count(*), max(*) FROM t;
-- INSERT … VALUES may be the first operand of a compound, ordered or limited.
INSERT INTO t VALUES(1, 2) UNION SELECT 3, 4;
INSERT INTO t VALUES(1, 2), (5, 6) UNION ALL SELECT 3, 4 ORDER BY 1 LIMIT 2;
INSERT INTO t VALUES(9, 9), (8, 8) ORDER BY 1 DESC LIMIT 1;
SELECT * FROM t ORDER BY rowid;
INSERT INTO t(rowid) VALUES(2) UNION SELECT 3, 4;
INSERT INTO t VALUES(1) EXCEPT SELECT 3, 4;
SELECT count(*) FROM t;
-- A DEFAULT naming an unknown function, one with the wrong argument count or
-- an aggregate fails when a row needs it, with SQLite's code-time message.
CREATE TABLE td1(x, y DEFAULT(nosuchfunc(1)));
INSERT INTO td1(x) VALUES(1);
INSERT INTO td1(x, y) VALUES(1, 2);
CREATE TABLE td2(x, y DEFAULT(abs(1, 2)));
INSERT INTO td2(x) VALUES(1);
CREATE TABLE td3(x, y DEFAULT(max(1)));
INSERT INTO td3(x) VALUES(1);
SELECT count(*) FROM td1;
-- The built-in MATCH takes two arguments.
SELECT match(1);
SELECT match(1, 2);
-- a REGEXP/MATCH b [ESCAPE c] calls the function (b, a[, c]), named as written.
CREATE TABLE tr(c);
SELECT c MATCH 34 + 22 ESCAPE c FROM tr;
SELECT c NOT MATCH 34 + 22 ESCAPE c FROM tr;
SELECT 1 match 2 escape 3;
SELECT 1 MATCH 2;
-- Parameter names: "::" inside and a "(...)" suffix without spaces, as Tcl writes them.
SELECT $tcl(array), :a::b, @x(1,2), $a::b::c FROM tr;
SELECT $a::b(x y) FROM tr;
SELECT $ab( FROM tr;
SELECT $a:b FROM tr;
-- Which of several bad names is reported follows SQLite's resolver walk:
-- a failing name inside a function's arguments ends only that list, and
-- once a name failed any operator met stops the walk; the last one wins.
CREATE TABLE ra(c0, c1, c2, c3);
CREATE TABLE rb(c0, c1, c2, c3);
SELECT coalesce(nullif(c0, c1), c2) FROM ra, rb;
SELECT abs(c0) + abs(c1) FROM ra, rb;
SELECT abs(c0) + abs(c1) + c2 FROM ra, rb;
SELECT nullif(abs(c0), c2) FROM ra, rb;
SELECT nullif(abs(c0), -c2) FROM ra, rb;
SELECT max(abs(c0), c1 + 1) FROM ra, rb;
SELECT max(c1 + abs(c0), c2) FROM ra, rb;
SELECT -abs(c0) + c2 FROM ra, rb;
SELECT min(CASE 1 WHEN c0 THEN 2 ELSE c1 END) FROM ra, rb;
SELECT 1 FROM ra, rb WHERE abs(c0) = c1;
SELECT 1 FROM ra, rb WHERE c1 BETWEEN c0 AND c2;
SELECT c3 LIKE c2 FROM ra, rb;
-- With one min()/max() whose values are all NULL so far, bare columns come
-- from the latest such row.
CREATE TABLE rg(g, x, y);
INSERT INTO rg VALUES(1, NULL, 'a'), (1, 5, 'b'), (1, NULL, 'c'), (2, NULL, 'd'), (2, NULL, 'e'), (3, 2, 'f'), (3, NULL, 'g'), (3, 1, 'h');
SELECT g, min(x), y FROM rg GROUP BY g;
SELECT g, max(x), y FROM rg GROUP BY g;
SELECT max(x), y FROM rg WHERE g = 2;
SELECT min(x + NULL), y FROM rg;
-- An aggregate of an enclosing query may not stand inside the arguments or
-- FILTER of a subquery's own aggregate.
CREATE TABLE ag1(id1, value1); INSERT INTO ag1 VALUES(1, 11), (1, 12), (2, 33), (2, 34);
CREATE TABLE ag2(value2); INSERT INTO ag2 VALUES(12), (12), (34), (34), (34), (34);
SELECT max(value1), (SELECT sum(value2 = max(value1)) FROM ag2) FROM ag1 GROUP BY id1;
SELECT max(value1), (SELECT sum(value2) + max(value1) FROM ag2) FROM ag1 GROUP BY id1;
SELECT (SELECT count(max(value1)) FROM ag2) FROM ag1;
SELECT (SELECT sum(value2) FILTER (WHERE value2 > max(value1)) FROM ag2) FROM ag1;
SELECT (SELECT (SELECT max(value1)) + sum(value2) FROM ag2) FROM ag1;
