-- CREATE INDEX appends the sorted entries without comparing each with the last:
-- the sorter's order must be the index's, past the key columns too (a WITHOUT
-- ROWID table's PRIMARY KEY columns keep their collation and direction).
CREATE TABLE w(k TEXT COLLATE NOCASE, j INT, v, PRIMARY KEY (k, j DESC)) WITHOUT ROWID;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600) INSERT INTO w SELECT CASE i % 3 WHEN 0 THEN 'K' || (i % 40) WHEN 1 THEN 'k' || (i % 41) || 'x' ELSE 'm' || i END, i % 7, i % 5 FROM n WHERE true ON CONFLICT DO NOTHING;
CREATE INDEX wv ON w(v);
CREATE INDEX wvd ON w(v DESC, k);
PRAGMA integrity_check;
SELECT k, j FROM w INDEXED BY wv WHERE v = 3 ORDER BY v LIMIT 12;
SELECT count(*) FROM w INDEXED BY wvd WHERE v = 2;
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT COLLATE RTRIM, c REAL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO t SELECT i, CASE WHEN i % 4 = 0 THEN 'x' || (i % 9) || '   ' ELSE 'x' || (i % 9) END, CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 13) / 2.0 END FROM n;
CREATE INDEX tb ON t(b);
CREATE INDEX tcb ON t(c DESC, b);
CREATE INDEX tlong ON t(b || hex(zeroblob(700)));
CREATE UNIQUE INDEX tu ON t(a, b);
CREATE UNIQUE INDEX tbad ON t(b);
PRAGMA integrity_check;
SELECT count(*) FROM t INDEXED BY tb WHERE b = 'x3';
SELECT a FROM t INDEXED BY tcb WHERE c IS NULL ORDER BY c DESC, b LIMIT 5;
SELECT count(*) FROM t WHERE b || hex(zeroblob(700)) > 'x5';
REINDEX;
PRAGMA integrity_check;
