-- Under PRAGMA writable_schema=ON a schema row that does not parse is left out
-- and the rest of the schema loads, so statements still run (misc1-23.x).
CREATE TABLE t1(x);
PRAGMA writable_schema=ON;
UPDATE sqlite_master SET sql='CREATE table t(d CHECK(T(#0)';
BEGIN;
CREATE TABLE t2(y);
ROLLBACK;
DROP TABLE IF EXISTS t3;
SELECT 1 FROM F;
SELECT name FROM sqlite_master;
PRAGMA writable_schema=OFF;
SELECT 1 FROM t1;
