-- With ignore_check_constraints on, integrity_check does not check CHECK constraints either.
CREATE TABLE t4(x, y, CHECK(x+y==11 OR x*y==12));
INSERT INTO t4 VALUES(1,10);
UPDATE t4 SET x=0, y=1;
PRAGMA ignore_check_constraints=ON;
UPDATE t4 SET x=0, y=1;
SELECT * FROM t4;
PRAGMA integrity_check;
PRAGMA quick_check;
PRAGMA ignore_check_constraints=OFF;
PRAGMA integrity_check;
PRAGMA quick_check;
UPDATE t4 SET x=0, y=2;
