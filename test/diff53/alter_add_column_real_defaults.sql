-- A real DEFAULT with a sign or in parentheses stays real in rows written
-- before ALTER TABLE ADD COLUMN (SQLite 3.40 read some of them as integers).
CREATE TABLE t(a);
INSERT INTO t VALUES (1);
ALTER TABLE t ADD COLUMN b DEFAULT -123.0;
ALTER TABLE t ADD COLUMN c DEFAULT +3.0;
ALTER TABLE t ADD COLUMN d DEFAULT (-4.0);
ALTER TABLE t ADD COLUMN e DEFAULT -0.0;
ALTER TABLE t ADD COLUMN f DEFAULT 1.5;
SELECT typeof(b), b, typeof(c), c, typeof(d), d, typeof(e), typeof(f), f FROM t;
