-- Index inserts placed where the uniqueness probe ended: keys past the tree's
-- last entry (ascending inserts), before its first (descending), and at the
-- ends of inner leaves (the second pass fills the gaps the first one left),
-- with NOT NULL and NULL keys, a DESC index and text keys.
CREATE TABLE t(a INTEGER UNIQUE, b TEXT UNIQUE, c UNIQUE, d);
CREATE UNIQUE INDEX td ON t(d DESC);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) INSERT INTO t SELECT i * 2, printf('k%06d', i * 2), -i * 2, CASE WHEN i % 5 = 0 THEN NULL ELSE i * 2 END FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) INSERT INTO t SELECT i * 2 - 1, printf('k%06d', i * 2 - 1), -i * 2 + 1, i * 2 - 1 FROM n;
INSERT INTO t VALUES (5000, 'k005000', -5000, 5000);
INSERT INTO t VALUES (5000, 'x', 0, 0);
INSERT INTO t VALUES (0, 'k000000', 1, NULL);
INSERT OR IGNORE INTO t VALUES (7, 'new', 99, 99);
PRAGMA integrity_check;
SELECT count(*), sum(a), min(b), max(b), sum(c), count(d) FROM t;
SELECT a FROM t WHERE b BETWEEN 'k000998' AND 'k001003' ORDER BY b;
SELECT a FROM t WHERE c BETWEEN -1003 AND -998 ORDER BY c;
SELECT a FROM t WHERE d BETWEEN 998 AND 1003 ORDER BY d DESC;
