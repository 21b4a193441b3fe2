-- ADD COLUMN on a TEMP table checks its rows (CHECK, generated NOT NULL) in the temp database.
CREATE TABLE temp.t1(a, b);
INSERT INTO t1 VALUES(1, 2), (3, 4);
ALTER TABLE t1 ADD c;
ALTER TABLE t1 ADD d CHECK (a>d);
ALTER TABLE t1 ADD e DEFAULT 5 CHECK (a>e);
ALTER TABLE t1 ADD f DEFAULT 0 CHECK (a>f);
ALTER TABLE t1 ADD g AS (a + 1) NOT NULL;
ALTER TABLE t1 ADD h AS (NULLIF(a, 3)) NOT NULL;
SELECT sql FROM sqlite_temp_master WHERE tbl_name = 't1';
SELECT * FROM t1;
CREATE TABLE main.t1(x);
INSERT INTO main.t1 VALUES(9);
ALTER TABLE temp.t1 ADD i DEFAULT 2 CHECK (i < a);
SELECT * FROM temp.t1;
PRAGMA temp.integrity_check;
