-- UPDATE and DELETE whose WHERE loop walks an index the statement changes (the Halloween problem): a row
-- whose entry moves forward in the walked index must not be met again, a row moved backward must not be
-- missed by a later step, and a walk of an index the change leaves alone may change rows as it goes.
-- Each case counts changes() and sums the rows, so a row changed twice or skipped shows; every WHERE has an
-- upper bound, so that an engine meeting moved rows again gives wrong sums rather than never ending.
CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER, y INTEGER, s TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) INSERT INTO t SELECT i, i % 50, i % 7, 'r' || i FROM n;
CREATE INDEX tx ON t(x);
EXPLAIN QUERY PLAN UPDATE t SET x = x + 1 WHERE x > 5 AND x < 60;
UPDATE t SET x = x + 1 WHERE x > 5 AND x < 60;
SELECT changes(), count(*), sum(x), min(x), max(x) FROM t;
UPDATE t SET x = x + 100 WHERE x > 40 AND x < 1000;
SELECT changes(), sum(x), max(x) FROM t;
UPDATE t SET x = x - 3 WHERE x BETWEEN 10 AND 30;
SELECT changes(), sum(x), min(x) FROM t WHERE x < 40;
UPDATE t SET x = x + 5 WHERE x BETWEEN 10 AND 30;
SELECT changes(), sum(x), min(x) FROM t WHERE x < 40;
UPDATE t SET x = 1000 - x WHERE x >= 0 AND x < 500;
SELECT changes(), sum(x), min(x), max(x) FROM t;
PRAGMA integrity_check;
-- Through an index on another column: the walked entries stay where they are.
CREATE INDEX ty ON t(y);
EXPLAIN QUERY PLAN UPDATE t SET x = x + 1 WHERE y = 3;
UPDATE t SET x = x + 1 WHERE y = 3;
SELECT changes(), sum(x) FROM t WHERE y = 3;
UPDATE t SET x = x * 2, s = s || '+' WHERE y BETWEEN 2 AND 4;
SELECT changes(), sum(x), sum(length(s)) FROM t;
UPDATE t SET y = y + 1 WHERE y >= 2 AND y < 50;
SELECT changes(), sum(y), max(y) FROM t;
UPDATE t SET y = y - 1 WHERE y > 0 AND y < 100;
SELECT changes(), sum(y), min(y) FROM t;
PRAGMA integrity_check;
-- A two-column index whose second column is set: the entries move within the walked range.
CREATE TABLE m(id INTEGER PRIMARY KEY, g INTEGER, v INTEGER);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO m SELECT i, i % 3, i FROM n;
CREATE INDEX mgv ON m(g, v);
UPDATE m SET v = v + 1000 WHERE g = 1 AND v < 5000;
SELECT changes(), sum(v), max(v) FROM m;
UPDATE m SET v = v + 1 WHERE g = 2 AND v > 100 AND v < 1000;
SELECT changes(), sum(v) FROM m WHERE g = 2;
UPDATE m SET g = g + 1 WHERE g >= 1 AND g < 10;
SELECT changes(), g, count(*), sum(v) FROM m GROUP BY g ORDER BY g;
PRAGMA integrity_check;
-- UNIQUE index walked while set: the order the rows are met decides whether a row collides.
CREATE TABLE u(id INTEGER PRIMARY KEY, k INTEGER UNIQUE, w TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO u SELECT i, i * 2, 'w' || i FROM n;
UPDATE u SET k = k + 1 WHERE k > 10 AND k < 500;
SELECT changes(), sum(k), count(*) FROM u;
UPDATE u SET k = k + 1 WHERE k > 10 AND k < 500;
SELECT sum(k), count(*) FROM u;
UPDATE u SET k = k - 1 WHERE k > 20;
SELECT sum(k) FROM u;
UPDATE OR IGNORE u SET k = k + 2 WHERE k > 5 AND k < 500;
SELECT changes(), sum(k) FROM u;
UPDATE OR REPLACE u SET k = k + 3 WHERE k > 50 AND k < 500;
SELECT changes(), count(*), sum(k) FROM u;
PRAGMA integrity_check;
-- Partial and expression indexes, generated columns.
CREATE TABLE p(id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, e INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL, f INTEGER GENERATED ALWAYS AS (b + 1) STORED);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO p(id, a, b) SELECT i, i % 20, i % 9 FROM n;
CREATE INDEX pa ON p(a) WHERE b > 3;
UPDATE p SET b = b - 3 WHERE a > 5 AND b > 3;
SELECT changes(), sum(a), sum(b), sum(f) FROM p;
UPDATE p SET a = a + 1 WHERE a > 10 AND a < 100 AND b > 3;
SELECT changes(), sum(a), sum(e) FROM p;
CREATE INDEX pab ON p(a + b);
UPDATE p SET b = b + 1 WHERE a + b > 15 AND a + b < 100;
SELECT changes(), sum(b), sum(f) FROM p;
CREATE INDEX pe ON p(e);
UPDATE p SET a = a + 1 WHERE e > 20 AND e < 200;
SELECT changes(), sum(a), sum(e) FROM p;
CREATE INDEX pf ON p(f);
UPDATE p SET b = b + 2 WHERE f > 5 AND f < 200;
SELECT changes(), sum(b), sum(f) FROM p;
PRAGMA integrity_check;
-- WITHOUT ROWID: a walk of the primary key while it changes, and through a secondary index.
CREATE TABLE w(k INTEGER PRIMARY KEY, v INTEGER, z TEXT) WITHOUT ROWID;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO w SELECT i, i % 10, 'z' || i FROM n;
CREATE INDEX wv ON w(v);
UPDATE w SET k = k + 1000 WHERE k > 100 AND k < 10000;
SELECT changes(), sum(k), max(k), count(*) FROM w;
UPDATE w SET v = v + 1 WHERE v > 4 AND v < 100;
SELECT changes(), sum(v) FROM w;
UPDATE w SET z = z || '!' WHERE v = 7;
SELECT changes(), sum(length(z)) FROM w;
UPDATE w SET v = v + 10 WHERE k BETWEEN 50 AND 150;
SELECT changes(), sum(v) FROM w;
DELETE FROM w WHERE v > 10;
SELECT changes(), count(*), sum(k) FROM w;
PRAGMA integrity_check;
-- The rowid set, forward, through a rowid range.
UPDATE t SET id = id + 1000 WHERE id > 200 AND id < 100000;
SELECT changes(), count(*), sum(id), max(id) FROM t;
UPDATE t SET id = id - 500 WHERE id > 1000;
SELECT changes(), sum(id), min(id), max(id) FROM t;
PRAGMA integrity_check;
-- RETURNING, LIMIT and ORDER BY, UPSERT.
UPDATE m SET v = v + 1 WHERE g = 3 AND v < 20 RETURNING id, v;
UPDATE m SET v = v + 1 WHERE id < 5 RETURNING id, v;
UPDATE m SET v = v * 10 WHERE g = 3 ORDER BY v LIMIT 4;
SELECT changes(), sum(v) FROM m WHERE g = 3;
UPDATE t SET x = x + 1 WHERE x > 900 ORDER BY x DESC LIMIT 10;
SELECT changes(), sum(x) FROM t;
DELETE FROM t WHERE x > 900 ORDER BY x LIMIT 5;
SELECT changes(), count(*), sum(x) FROM t;
INSERT INTO u(id, k, w) SELECT id, k, 'up' FROM u WHERE id <= 10 ON CONFLICT(id) DO UPDATE SET k = excluded.k + 1000;
SELECT changes(), sum(k), count(*) FROM u;
INSERT INTO u(id, k, w) VALUES (5, 0, 'x') ON CONFLICT(id) DO UPDATE SET w = w || '?' WHERE k > 1000;
SELECT id, k, w FROM u WHERE id = 5;
-- DELETE through the index it shrinks, a partial index and a rowid range.
DELETE FROM t WHERE x > 950;
SELECT changes(), count(*), sum(x) FROM t;
DELETE FROM t WHERE y = 3;
SELECT changes(), count(*) FROM t;
DELETE FROM p WHERE a > 15 AND b > 3;
SELECT changes(), count(*), sum(a) FROM p;
DELETE FROM t WHERE id BETWEEN 100 AND 300;
SELECT changes(), count(*), sum(id) FROM t;
PRAGMA integrity_check;
