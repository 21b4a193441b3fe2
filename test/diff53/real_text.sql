-- REAL values as text: SQLite 3.53 writes up to 17 significant digits with
-- its own arithmetic, fewer when they read back as the same double
-- (the sqlite3 3.40 CLI, the oracle of test/diff, writes 15).
SELECT cast(0.1 + 0.2 AS text), 0.1 + 0.2 || '', quote(0.1 + 0.2), json_array(0.1 + 0.2);
SELECT cast(1.0 / 3 AS text), cast(2.0 / 3 AS text), cast(33.3 * 3 AS text);
SELECT cast(0.1 AS text), cast(0.570741546951536 AS text), cast(49.47 AS text), cast(100.0 AS text);
SELECT cast(1e15 AS text), cast(1e16 AS text), cast(1e17 AS text), cast(123456789012345678.0 AS text);
SELECT cast(1e-4 AS text), cast(1e-5 AS text), cast(0.000123456789012345 AS text), cast(-2.5e-7 AS text);
SELECT cast(4.9406564584124654e-324 AS text), cast(2.2250738585072014e-308 AS text), cast(1.7976931348623157e308 AS text);
SELECT cast(9223372036854775808.0 AS text), quote(-9223372036854775808.0), cast(18446744073709551616.0 AS text);
SELECT quote(9e999), quote(-9e999), cast(9e999 AS text), json_array(9e999, -9e999), cast(-0.0 AS text);
SELECT printf('%!.17g', 0.1), printf('%!.17g', 1.0 / 3), printf('%!.17G', 1e-30), printf('%!25.17g|', 2.0 / 3), printf('%+!.17g', 0.5);
CREATE TABLE t(r REAL, x);
INSERT INTO t VALUES (0.1 + 0.2, 1.0 / 7), (1e300 / 3, 2.5), (-1e-300 / 7, 'a');
SELECT group_concat(r, ';'), group_concat(x, ';') FROM t;
SELECT r || '', x || '', typeof(r || '') FROM t ORDER BY rowid;
SELECT json_group_array(r), json_object('r', max(r)) FROM t;
SELECT cast(r AS text) = cast(cast(cast(r AS text) AS real) AS text) FROM t;
SELECT length(cast(r AS text)), substr(r, 1, 5), upper(r), instr(r, 'e') FROM t ORDER BY rowid;
UPDATE t SET x = r WHERE typeof(x) = 'text';
CREATE TABLE u(s TEXT);
INSERT INTO u SELECT r FROM t;
SELECT s, typeof(s) FROM u ORDER BY rowid;
