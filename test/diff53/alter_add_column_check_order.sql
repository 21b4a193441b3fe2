-- ADD COLUMN: SQLite checks the new table text (its CHECK constraints and
-- generated columns resolve their names) when it reads it back, after the
-- program looked for a row that refuses the column: an unknown name in a
-- CHECK is "error in table t after add column: ...", and on a table with
-- rows the refusal of a STORED, NOT NULL or non-constant column comes first.
CREATE TABLE t(a);
ALTER TABLE t ADD zz CHECK (nosuch);
ALTER TABLE t ADD zz NOT NULL CHECK (nosuch);
ALTER TABLE t ADD zz AS (nosuch) STORED;
ALTER TABLE t ADD zz AS (a) NOT NULL CHECK (nosuch);
ALTER TABLE t ADD zz DEFAULT (abs(1)) CHECK (nosuch);
SELECT sql FROM sqlite_schema;
INSERT INTO t VALUES (1);
ALTER TABLE t ADD zz CHECK (nosuch);
ALTER TABLE t ADD zz AS (nosuch) STORED;
ALTER TABLE t ADD zz NOT NULL CHECK (nosuch);
ALTER TABLE t ADD zz NOT NULL AS (nosuch) STORED;
ALTER TABLE t ADD zz DEFAULT (abs(1)) CHECK (nosuch);
ALTER TABLE t ADD zz DEFAULT (abs(1)) AS (nosuch);
ALTER TABLE t ADD zz AS (nosuch) NOT NULL;
ALTER TABLE t ADD zz CHECK (zz > 0) DEFAULT 0;
ALTER TABLE t ADD zz CHECK (zz > 0) DEFAULT 2;
SELECT sql FROM sqlite_schema;
SELECT * FROM t;
DELETE FROM t;
ALTER TABLE t ADD ww AS (a) STORED;
INSERT INTO t(a) VALUES (5);
SELECT * FROM t;
