-- LIKE on a NOCASE index: the prefix range holds every case of the letters.
CREATE TABLE t2(x TEXT COLLATE NOCASE);
CREATE INDEX i2 ON t2(x COLLATE NOCASE);
INSERT INTO t2 VALUES('ZZ-upper-upper'),('zZ-lower-upper'),('Zz-upper-lower'),('zz-lower-lower'),('abc'),('zzz'),('z');
SELECT x FROM t2 WHERE x LIKE 'zz%';
SELECT '--';
INSERT INTO t2 VALUES ('aZ'), ('az'), ('AZB'), ('a['), ('a_'), ('A@x'), ('a@'), ('B'), ('y'), ('Z'), ('{');
SELECT x FROM t2 WHERE x LIKE 'zZ%' ORDER BY x, rowid;
SELECT x FROM t2 WHERE x LIKE 'ZZ%' ORDER BY x, rowid;
SELECT x FROM t2 WHERE x LIKE 'Zz%' ORDER BY x, rowid;
SELECT x FROM t2 WHERE x LIKE 'aZ%' ORDER BY x, rowid;
SELECT x FROM t2 WHERE x LIKE 'A@%' ORDER BY x, rowid;
SELECT x FROM t2 WHERE x LIKE 'Y%' ORDER BY x, rowid;
SELECT x FROM t2 WHERE x LIKE 'z%' ORDER BY x, rowid;
SELECT x FROM t2 WHERE x GLOB 'Z*' ORDER BY x, rowid;
