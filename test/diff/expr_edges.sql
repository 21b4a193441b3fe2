-- Edge cases SQLite defines: x IN () is false and x NOT IN () true even for NULL; CAST(x AS ) has NUMERIC
-- affinity; negating the hex literal 0x8000000000000000 is an error.
SELECT NULL NOT IN (), NULL IN (), typeof(NULL IN ());
CREATE TABLE t(v); INSERT INTO t VALUES(1),(NULL);
SELECT count(*) FROM t WHERE v NOT IN ();
SELECT count(*) FROM t WHERE v IN ();
SELECT -(0x7fffffffffffffff), -(0xffffffffffffffff), -0x8000000000000000 + 1;
SELECT CAST(5 AS ), typeof(CAST(5 AS )), CAST('5x' AS ), CAST(x'41' AS );
SELECT -(0x8000000000000000);
