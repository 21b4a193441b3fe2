-- A table's CHECK constraints are resolved when it is created: unknown
-- columns and functions, wrong argument counts, aggregate and window calls,
-- parameters and subqueries fail CREATE TABLE; a database name on a column
-- is ignored; qualified names, rowid, TRUE/FALSE and "strings" are fine.
CREATE TABLE c1(a CHECK(b > 0));
CREATE TABLE c2(a CHECK(x.a > 0));
CREATE TABLE c3(a CHECK(row_number() OVER () > 0));
CREATE TABLE c4(a CHECK(a IN (SELECT 1)));
CREATE TABLE c5(a CHECK(EXISTS (SELECT 1)));
CREATE TABLE c6(a CHECK(a > (SELECT 1)));
CREATE TABLE c7(a CHECK(a > :p));
CREATE TABLE c8(a CHECK(a > ?));
CREATE TABLE c9(a CHECK(count(*) > 0));
CREATE TABLE c10(a CHECK(max(a) > 1));
CREATE TABLE c11(a CHECK(nosuch(a) > 0));
CREATE TABLE c12(a CHECK(abs(a, 1) > 0));
CREATE TABLE c13(a, CONSTRAINT named CHECK(zz > 0));
SELECT count(*) FROM sqlite_schema;
CREATE TABLE t810(a, CHECK(main.t810.a > 0));
CREATE TABLE t811(b, CHECK(xyzzy.t811.b BETWEEN 5 AND 10));
INSERT INTO t810 VALUES (1);
INSERT INTO t811 VALUES (7);
INSERT INTO t811 VALUES (11);
CREATE TABLE ok(a INTEGER PRIMARY KEY, b CHECK(ok.b > a AND rowid > 0 AND typeof(b) == "integer"), c CHECK(c IS NOT false), CHECK(max(b, c) < 100 AND coalesce(c, 0) IN (0, 1, 2)));
INSERT INTO ok VALUES (1, 2, 1);
INSERT INTO ok VALUES (2, 1, 1);
INSERT INTO ok VALUES (3, 200, 1);
INSERT INTO ok VALUES (4, 5, 7);
INSERT INTO ok(b) VALUES (9);
SELECT * FROM ok ORDER BY a;
CREATE TABLE t1(x INTEGER PRIMARY KEY AUTOINCREMENT, y);
INSERT INTO t1(y) VALUES (1);
CREATE INDEX seqidx ON sqlite_sequence(name);
ANALYZE;
CREATE INDEX statidx ON sqlite_stat1(tbl);
CREATE INDEX schemaidx ON sqlite_schema(name);
SELECT name FROM sqlite_schema WHERE type = 'index';
