-- PRAGMA integrity_check inside a write transaction of an auto-vacuum database sees the pointer map as it
-- stands for the trees the transaction changed (splits move children under new parents).
PRAGMA auto_vacuum = incremental;
CREATE TABLE t(x, y);
CREATE UNIQUE INDEX tx ON t(x);
CREATE INDEX ty ON t(y);
INSERT INTO t VALUES (1, printf('%.400c', 'a')), (2, printf('%.400c', 'b')), (3, printf('%.400c', 'c'));
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 4 UNION ALL SELECT i + 1 FROM n WHERE i < 40) INSERT INTO t SELECT i, printf('%.400c', char(65 + i % 26)) FROM n;
PRAGMA integrity_check;
PRAGMA quick_check;
SAVEPOINT s;
DELETE FROM t WHERE x % 3 = 0;
PRAGMA incremental_vacuum;
PRAGMA integrity_check;
ROLLBACK TO s;
PRAGMA integrity_check;
COMMIT;
PRAGMA integrity_check;
SELECT count(*) FROM t;
