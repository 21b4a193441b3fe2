-- An index entry goes where its table's uniqueness probe of the same columns ended, when nothing moved that
-- index's cursor in between (OPFLAG_PROBED): rows skipped, replaced, updated or put back by triggers between the
-- probe and the insert must still leave every index exact.  Each block ends with integrity_check and reads through
-- the indexes.
PRAGMA recursive_triggers = 1;
CREATE TABLE u(id INTEGER PRIMARY KEY, a TEXT UNIQUE, b INTEGER UNIQUE, c TEXT);
INSERT INTO u(a, b, c) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 3000) SELECT printf('%08x', (i * 2654435761) % 4294967291), (i * 7919) % 3001, 'r' || i FROM s;
SELECT count(*), count(DISTINCT a), count(DISTINCT b) FROM u;
PRAGMA integrity_check;
-- a fits the first index, b conflicts in the second: the row is skipped after the first probe found its place.
INSERT OR IGNORE INTO u(a, b, c) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 500) SELECT 'x' || printf('%05d', (i * 37) % 500), (i * 13) % 6000, 'ign' FROM s;
SELECT count(*) FROM u;
PRAGMA integrity_check;
SELECT a, b FROM u INDEXED BY sqlite_autoindex_u_1 WHERE a >= 'x' ORDER BY a LIMIT 12;
-- REPLACE: the second index's conflict deletes another row, whose first-index entry may sit next to the probe's place.
INSERT OR REPLACE INTO u(a, b, c) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 800) SELECT printf('%08x', (i * 40503) % 65521) || 'r', (i * 11) % 3001, 'rep' FROM s;
SELECT count(*), sum(c = 'rep') FROM u;
PRAGMA integrity_check;
SELECT a, b, c FROM u WHERE b BETWEEN 100 AND 110 ORDER BY b;
-- REPLACE whose DELETE trigger puts a row back into the same indexes between the probe and the insert.
CREATE TABLE log(x);
CREATE TRIGGER u_del AFTER DELETE ON u WHEN old.c <> 'back' BEGIN INSERT INTO log VALUES (old.id); INSERT OR IGNORE INTO u(a, b, c) VALUES (old.a || '~', old.b + 100000, 'back'); END;
INSERT OR REPLACE INTO u(a, b, c) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 300) SELECT printf('%08x', (i * 977) % 65521) || 't', (i * 17) % 3001, 'trg' FROM s;
SELECT count(*), (SELECT count(*) FROM log), sum(c = 'back'), sum(c = 'trg') FROM u;
PRAGMA integrity_check;
SELECT a, b FROM u WHERE a LIKE '%~' ORDER BY a LIMIT 8;
DROP TRIGGER u_del;
-- UPSERT: a conflict updates the row in the way; rows with no conflict insert.
INSERT INTO u(a, b, c) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 600) SELECT printf('%08x', (i * 2654435761) % 4294967291), 200000 + i, 'ups' FROM s WHERE true ON CONFLICT(a) DO UPDATE SET b = excluded.b + 500000, c = 'upd';
SELECT count(*), sum(c = 'ups'), sum(c = 'upd') FROM u;
PRAGMA integrity_check;
-- UPDATE that moves keys within both indexes.
UPDATE OR IGNORE u SET a = substr(a, 2) || 'u', b = b + 1 WHERE id % 7 = 0;
PRAGMA integrity_check;
SELECT count(*), count(DISTINCT a), count(DISTINCT b) FROM u;
-- NULLs never conflict, so no probe runs for them; a partial UNIQUE index probes only the rows it holds.
CREATE TABLE p(id INTEGER PRIMARY KEY, k INT, g INT, v TEXT);
CREATE UNIQUE INDEX pk_even ON p(k) WHERE g % 2 = 0;
CREATE UNIQUE INDEX pv ON p(v COLLATE NOCASE);
INSERT OR IGNORE INTO p(k, g, v) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2000) SELECT CASE WHEN i % 5 = 0 THEN NULL ELSE (i * 31) % 700 END, i % 4, CASE WHEN i % 3 = 0 THEN NULL WHEN i % 2 = 0 THEN upper(printf('%x', i * 7)) ELSE printf('%x', i * 7) END FROM s;
SELECT count(*), count(k), count(v), sum(g % 2 = 0) FROM p;
PRAGMA integrity_check;
SELECT k, g FROM p WHERE g % 2 = 0 AND k BETWEEN 10 AND 20 ORDER BY k;
SELECT v FROM p WHERE v >= 'A' COLLATE NOCASE ORDER BY v COLLATE NOCASE LIMIT 10;
-- A WITHOUT ROWID table's UNIQUE index.
CREATE TABLE w(k TEXT PRIMARY KEY, u INT UNIQUE, v) WITHOUT ROWID;
INSERT OR REPLACE INTO w WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2500) SELECT printf('k%06d', (i * 7907) % 3000), (i * 13) % 2200, i FROM s;
SELECT count(*), count(DISTINCT u) FROM w;
PRAGMA integrity_check;
SELECT k, u, v FROM w WHERE u BETWEEN 500 AND 505 ORDER BY u;
