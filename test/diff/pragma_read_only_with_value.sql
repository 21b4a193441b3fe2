-- PRAGMA freelist_count / data_version given a value: the value is ignored and the current one reported.
CREATE TABLE t(a); INSERT INTO t VALUES(randomblob(5000)); DELETE FROM t;
PRAGMA freelist_count = 500;
PRAGMA freelist_count;
PRAGMA main.freelist_count = 3;
PRAGMA data_version = 1234;
PRAGMA main.data_version = 7;
PRAGMA data_version;
PRAGMA schema_version = 10;
PRAGMA schema_version;
