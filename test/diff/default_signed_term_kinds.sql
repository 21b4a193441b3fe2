-- DEFAULT + or - takes any literal term, as SQLite's grammar has it: a
-- string, a blob, NULL or CURRENT_TIME and the like, not only a number.
CREATE TABLE t(id, a DEFAULT -'5', b DEFAULT +'5', c DEFAULT -x'41', d DEFAULT -NULL, e DEFAULT +NULL, f DEFAULT -'-1.5e2', g DEFAULT +x'41', h DEFAULT -'abc', i DEFAULT - 7, j DEFAULT -CURRENT_DATE, k DEFAULT +CURRENT_TIME);
INSERT INTO t(id) VALUES (1);
SELECT a, typeof(a), b, typeof(b), c, typeof(c), d, e, f, typeof(f), g, typeof(g), h, typeof(h), i, j < 0, typeof(k) FROM t;
PRAGMA table_info(t);
ALTER TABLE t ADD COLUMN l DEFAULT -'12';
SELECT l, typeof(l) FROM t;
CREATE TABLE u(a DEFAULT -abc);
CREATE TABLE u(a DEFAULT -(1));
CREATE TABLE u(a DEFAULT --1);
CREATE TABLE u(a DEFAULT +-1);
