-- ALTER TABLE rewrites the texts sqlite_schema holds, also those rewritten
-- under PRAGMA writable_schema and not yet reloaded: the table renamed keeps
-- the NOT NULL and the index the UNIQUE written there, and integrity_check
-- then reports the rows that break them (NOT NULL before the index's entry,
-- a NULL key duplicated in a NOT NULL column counted as non-unique).
CREATE TABLE t1(a,b);
CREATE INDEX t1a ON t1(a);
INSERT INTO t1 VALUES(1,1),(2,2),(3,3),(2,4),(NULL,5),(NULL,6);
PRAGMA writable_schema=ON;
UPDATE sqlite_master SET sql='CREATE UNIQUE INDEX t1a ON t1(a)' WHERE name='t1a';
UPDATE sqlite_master SET sql='CREATE TABLE t1(a NOT NULL,b)' WHERE name='t1';
PRAGMA writable_schema=OFF;
PRAGMA integrity_check;
ALTER TABLE t1 RENAME TO t1x;
SELECT type, name, sql FROM sqlite_master ORDER BY name;
PRAGMA integrity_check;
PRAGMA integrity_check(3);
PRAGMA integrity_check(1);
PRAGMA quick_check(t1x);
