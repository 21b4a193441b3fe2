-- PRAGMA schema_version can be set; with writable_schema it makes an edited
-- sqlite_schema row take effect.
CREATE TABLE t(a);
PRAGMA schema_version;
PRAGMA schema_version = 10;
PRAGMA schema_version;
INSERT INTO t VALUES (1);
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = 'CREATE TABLE t(a, b DEFAULT 7)' WHERE name = 't';
PRAGMA writable_schema = OFF;
PRAGMA schema_version = 11;
SELECT * FROM t;
INSERT INTO t(a) VALUES (2);
SELECT * FROM t;
PRAGMA integrity_check;
