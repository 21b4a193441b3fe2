-- A column's declared type of 16 bytes or more loses a trailing ALWAYS (and
-- then GENERATED), as SQLite's column definitions do; GENERATED ALWAYS not
-- followed by AS is part of the type name; GENERATED ALWAYS without AS before
-- an expression is a syntax error.
CREATE TABLE t1(a integer primary key, b int generated always as (a+5), d Generated Always AS ('xyzzy'), e int                         Always default(5), f int Always, g text      generated always, h blob  GENERATED   ALWAYS);
SELECT name, type FROM pragma_table_xinfo('t1');
INSERT INTO t1(a, f, g, h) VALUES(5, '7', 8, '9');
SELECT a, b, d, e, typeof(e), f, typeof(f), g, typeof(g), h, typeof(h) FROM t1;
CREATE TABLE t2(a, x INT GENERATED ALWAYS (a+1));
CREATE TABLE t3(a, x GENERATED ALWAYS (a+1));
CREATE TABLE t4(a, x INT GENERATED ALWAYS AS (a+1) STORED, y int generated always);
SELECT name, type FROM pragma_table_xinfo('t4');
