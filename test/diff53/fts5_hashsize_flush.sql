-- A transaction whose pending terms pass 'hashsize' (1 MB) is written in segments cut where SQLite cuts them:
-- the pending-byte count that decides each flush is SQLite's (a new term's entry header and key, its
-- poslists), so the segments, their pages and the structure record are SQLite's.
CREATE VIRTUAL TABLE t USING fts5(body, prefix='2');
BEGIN;
WITH RECURSIVE d(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM d WHERE i < 4000), w(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM w WHERE j < 60) INSERT INTO t(body) SELECT (SELECT group_concat('v' || (((d.i * 7919 + w.j * 104729) % 151) * ((d.i * 31 + w.j * 17) % 137)), ' ') FROM w) FROM d;
COMMIT;
SELECT count(*), sum(length(block)) FROM t_data;
SELECT id, length(block), hex(substr(block, 1, 24)) FROM t_data ORDER BY id;
SELECT hex(block) FROM t_data WHERE id = 10;
CREATE VIRTUAL TABLE tn USING fts5(body, detail=none);
BEGIN;
WITH RECURSIVE d(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM d WHERE i < 6000), w(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM w WHERE j < 40) INSERT INTO tn(body) SELECT (SELECT group_concat('n' || (((d.i * 7919 + w.j * 104729) % 151) * ((d.i * 31 + w.j * 17) % 137)) || '_' || (d.i % 7), ' ') FROM w) FROM d;
COMMIT;
SELECT count(*), sum(length(block)) FROM tn_data;
SELECT hex(block) FROM tn_data WHERE id = 10;
