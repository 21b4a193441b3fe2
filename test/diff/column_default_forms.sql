-- DEFAULT forms: a bare name (plain, "double-quoted", [bracketed] or
-- `backquoted`) is that name as a string; TRUE and FALSE are 1 and 0; a
-- parenthesized DEFAULT must be constant: no column, parameter, subquery or
-- window function, while other functions are allowed.
CREATE TABLE t1(a INTEGER PRIMARY KEY, b DEFAULT asdf, c DEFAULT "dq", d DEFAULT [br], e DEFAULT `bt`, f DEFAULT true, g DEFAULT (false), h DEFAULT c);
INSERT INTO t1(a) VALUES (1);
SELECT * FROM t1;
SELECT typeof(f), typeof(g), typeof(h) FROM t1;
PRAGMA table_info(t1);
CREATE TABLE t2(a, b INTEGER DEFAULT abc, c NOT NULL DEFAULT zz ON CONFLICT REPLACE);
INSERT INTO t2(a) VALUES (1);
INSERT INTO t2 VALUES (2, NULL, NULL);
SELECT a, b, typeof(b), c FROM t2 ORDER BY a;
ALTER TABLE t2 ADD COLUMN d DEFAULT later;
ALTER TABLE t2 ADD COLUMN e DEFAULT TRUE;
ALTER TABLE t2 ADD COLUMN f DEFAULT "quoted name";
SELECT a, d, e, typeof(e), f FROM t2 ORDER BY a;
CREATE TABLE bad1(a, b DEFAULT (a * 2));
CREATE TABLE bad2(a, b DEFAULT (CASE WHEN a > 0 THEN 1 ELSE 0 END));
CREATE TABLE bad3(a DEFAULT (abs(a)));
CREATE TABLE bad4(a DEFAULT (row_number() OVER ()));
CREATE TABLE bad5(a DEFAULT (?1));
CREATE TABLE bad6(a DEFAULT ((SELECT 1)));
CREATE TABLE bad7(a DEFAULT (1 IN (SELECT 1)));
CREATE TABLE bad8(a DEFAULT (EXISTS (SELECT 1)));
CREATE TABLE bad9(a DEFAULT (bad9.a));
CREATE TABLE bad10(a DEFAULT ("abc"));
CREATE TABLE bad11(a DEFAULT (max(1, 2) FILTER (WHERE 1)));
CREATE TABLE bad12(a DEFAULT (rowid));
CREATE TABLE t3(a);
ALTER TABLE t3 ADD COLUMN b DEFAULT (a + 1);
CREATE TABLE ok(a DEFAULT (1 IN (1, 2)), b DEFAULT (CASE 1 WHEN 1 THEN 'x' END), c DEFAULT (upper('a') || length('bc')), d DEFAULT (CAST(7 AS TEXT) COLLATE nocase), e DEFAULT (true AND NOT false), f DEFAULT (coalesce(NULL, 4)));
INSERT INTO ok DEFAULT VALUES;
SELECT a, b, c, d, typeof(d), e, f FROM ok;
SELECT name FROM sqlite_schema WHERE name LIKE 'bad%';
