-- Rows and index entries placed without a seek or a cell buffer: a new rowid after the table's last row goes
-- straight into the rightmost leaf (or splits it off to the right), CREATE INDEX's sorted entries and VACUUM's
-- copies are appended to the rightmost leaf, and a new entry after a uniqueness probe is written where the probe
-- ended.  Mixed with rows below the last rowid, tiny and overflowing rows and keys, deletes of the last row (the
-- next rowid then reuses it, as SQLite's does), REPLACE and UNIQUE failures; each step checked whole.
CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b INT, c BLOB);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 3000) INSERT INTO t(a, b, c) SELECT printf('%08x', (i * 2654435761) % 4294967296), i % 97, CASE WHEN i % 211 = 0 THEN zeroblob(3000 + i) WHEN i % 7 = 0 THEN x'' ELSE substr(hex(i * i), 1, i % 40) END FROM r;
SELECT count(*), sum(length(c)), max(id), min(id) FROM t;
PRAGMA integrity_check;
DELETE FROM t WHERE id > 2990;
INSERT INTO t(a, b, c) VALUES ('after-delete', 1, x'00');
SELECT id, a FROM t WHERE id >= 2989 ORDER BY id;
INSERT INTO t(id, a, b, c) VALUES (10000, 'far', 2, x'01');
INSERT INTO t(id, a, b, c) VALUES (5000, 'below the last', 3, x'02');
INSERT INTO t(a, b, c) VALUES ('next', 4, zeroblob(5000));
INSERT INTO t(a) VALUES ('');
INSERT INTO t(a) VALUES (NULL);
SELECT id, a, b, length(c) FROM t WHERE id >= 4999 ORDER BY id;
PRAGMA integrity_check;
CREATE INDEX ta ON t(a);
CREATE INDEX tb ON t(b, a);
CREATE INDEX tc ON t(c);
CREATE INDEX tn ON t(b IS NULL);
PRAGMA integrity_check;
SELECT count(*), min(a), max(a) FROM t INDEXED BY ta WHERE a > '0';
SELECT b, count(*), min(a), max(a) FROM t INDEXED BY tb WHERE b < 5 GROUP BY b ORDER BY b;
SELECT count(*), sum(length(c)) FROM t INDEXED BY tc WHERE c IS NOT NULL;
CREATE TABLE u(id INTEGER PRIMARY KEY, e TEXT UNIQUE, k INT UNIQUE, v REAL);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 4000) INSERT INTO u(e, k, v) SELECT printf('%x.%d@example.com', (i * 2654435761) % 4294967296, i), (i * 2246822519) % 4294967296, i / 8.0 FROM r;
INSERT INTO u(e, k, v) VALUES ('dup', 2246822519, 0);
INSERT OR REPLACE INTO u(e, k, v) VALUES ('replaced', 2246822519, 1);
INSERT OR IGNORE INTO u(e, k, v) VALUES ('replaced', 7, 2);
SELECT id, e, k, v FROM u WHERE k = 2246822519 OR e = 'replaced' OR k = 7;
SELECT count(*), count(DISTINCT e), count(DISTINCT k), sum(v) FROM u;
SELECT e FROM u ORDER BY e LIMIT 3;
SELECT k FROM u ORDER BY k DESC LIMIT 3;
PRAGMA integrity_check;
VACUUM;
PRAGMA integrity_check;
SELECT count(*), sum(length(c)), max(id) FROM t;
SELECT count(*), sum(v) FROM u;
CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 2000) INSERT INTO w SELECT printf('%06d', i), CASE WHEN i % 300 = 0 THEN zeroblob(4000) ELSE i END FROM r;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 500) INSERT INTO w SELECT printf('%06d.5', i * 3), -i FROM r;
SELECT count(*), min(k), max(k), sum(typeof(v) = 'blob') FROM w;
PRAGMA integrity_check;
