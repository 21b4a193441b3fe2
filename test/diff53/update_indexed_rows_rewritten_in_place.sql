-- UPDATEs whose loop finds each row through an index and writes it back where the seek left the cursor (the
-- table's NotExists on the row just sought does not move it, so the row read for the new record is the row
-- the seek found): rows made before ADD COLUMN that grow by a field, rows that grow until their leaves split,
-- rows that overflow, and triggers that move the table's cursor, delete the row or change other rows in
-- between.  Sums and counts show a row written from the wrong row's fields, skipped or changed twice.
CREATE TABLE t2(a INTEGER, b INTEGER, c TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO t2 SELECT i, (i * 7919) % 100003, 'number ' || ((i * 104729) % 1000003) || ' name' FROM n;
CREATE UNIQUE INDEX t2b ON t2(b);
CREATE INDEX t2c ON t2(c DESC);
ALTER TABLE t2 ADD COLUMN d DEFAULT 123;
UPDATE t2 SET d = b * 2 WHERE b BETWEEN 1000 AND 9000;
SELECT changes(), count(*), sum(d), sum(a), sum(length(c)) FROM t2;
UPDATE t2 SET d = b * 3 WHERE b BETWEEN 5000 AND 40000;
SELECT changes(), sum(d), sum(a) FROM t2;
UPDATE t2 SET d = a WHERE b BETWEEN 39000 AND 39999;
SELECT changes(), sum(d), total(b) FROM t2 WHERE d = a;
UPDATE t2 SET d = NULL WHERE b BETWEEN 0 AND 100003;
SELECT changes(), count(d), sum(a) FROM t2;
PRAGMA integrity_check;
-- Rows that grow (text appended) until the leaves split, and shrink back.
UPDATE t2 SET c = c || printf('%.60c', 'x') WHERE b BETWEEN 20000 AND 60000;
SELECT changes(), sum(length(c)), sum(a), count(*) FROM t2;
UPDATE t2 SET c = substr(c, 1, 12) WHERE b BETWEEN 10000 AND 70000;
SELECT changes(), sum(length(c)), sum(a) FROM t2;
PRAGMA integrity_check;
-- Rows that overflow their page, rewritten with the same and with another length.
UPDATE t2 SET d = zeroblob(5000) WHERE b BETWEEN 30000 AND 31000;
SELECT changes(), sum(length(d)), sum(a) FROM t2;
UPDATE t2 SET d = zeroblob(5000), a = a + 1 WHERE b BETWEEN 30000 AND 31000;
SELECT changes(), sum(length(d)), sum(a) FROM t2;
UPDATE t2 SET d = 7 WHERE b BETWEEN 30000 AND 30500;
SELECT changes(), sum(length(d)), sum(d), sum(a) FROM t2;
PRAGMA integrity_check;
-- Through the index on c: an expression of several columns of the row found.
UPDATE t2 SET d = a * 1000 + b % 1000 WHERE c BETWEEN 'number 2' AND 'number 4';
SELECT changes(), sum(d), sum(a) FROM t2;
-- A trigger that changes other rows of the table (the table's cursor moves in between).
CREATE TABLE log(n INTEGER);
CREATE TRIGGER tg BEFORE UPDATE OF d ON t2 WHEN new.d > 0 BEGIN UPDATE t2 SET a = a + 1 WHERE b = old.b + 1 OR rowid = old.rowid % 97 + 1; INSERT INTO log VALUES (old.rowid); END;
UPDATE t2 SET d = b - 1 WHERE b BETWEEN 50000 AND 56000;
SELECT changes(), sum(d), sum(a), (SELECT count(*) FROM log) FROM t2;
DROP TRIGGER tg;
-- A trigger that deletes the row being updated, or its neighbour, before the write.
CREATE TRIGGER tg2 BEFORE UPDATE ON t2 WHEN old.a % 5 = 0 BEGIN DELETE FROM t2 WHERE rowid = old.rowid; END;
CREATE TRIGGER tg3 BEFORE UPDATE ON t2 WHEN old.a % 7 = 0 BEGIN DELETE FROM t2 WHERE rowid = old.rowid + 1; END;
UPDATE t2 SET d = -b WHERE b BETWEEN 60000 AND 70000;
SELECT changes(), count(*), sum(d), sum(a) FROM t2;
DROP TRIGGER tg2;
DROP TRIGGER tg3;
-- An AFTER trigger that rewrites the row just written (the cursor moves off and back).
CREATE TRIGGER tg4 AFTER UPDATE OF d ON t2 BEGIN UPDATE t2 SET c = c || '!' WHERE rowid = new.rowid; UPDATE t2 SET a = a - 1 WHERE rowid = new.rowid + 3; END;
UPDATE t2 SET d = b + 1 WHERE b BETWEEN 70000 AND 76000;
SELECT changes(), sum(d), sum(a), sum(length(c)) FROM t2;
DROP TRIGGER tg4;
-- One statement run many times with bound ranges, as a benchmark loop would.
UPDATE t2 SET d = b * 2 WHERE b BETWEEN ?1 AND ?2; -- params: [100, 2100]
UPDATE t2 SET d = b * 2 WHERE b BETWEEN ?1 AND ?2; -- params: [2000, 2400]
UPDATE t2 SET d = b * 2 WHERE b BETWEEN ?1 AND ?2; -- params: [99000, 100003]
SELECT sum(d), sum(a), count(*) FROM t2;
-- The whole table, in rowid order.
UPDATE t2 SET d = b * 4;
SELECT changes(), sum(d), sum(a) FROM t2;
PRAGMA integrity_check;
-- The conversions the updated columns still get (only the kept ones skip it), in the row and in the index entries.
CREATE TABLE ty(a INTEGER, b REAL, c TEXT, n NUMERIC, x);
CREATE UNIQUE INDEX tya ON ty(a);
CREATE INDEX tyc ON ty(c);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO ty SELECT i, i, 'v' || i, i, i FROM n;
ALTER TABLE ty ADD COLUMN e REAL;
ALTER TABLE ty ADD COLUMN f TEXT;
UPDATE ty SET e = a, f = a * 2 WHERE a BETWEEN 10 AND 60;
SELECT changes(), typeof(e), typeof(f), count(*), sum(e), sum(length(f)) FROM ty WHERE a BETWEEN 10 AND 60 GROUP BY 2, 3;
UPDATE ty SET b = '7.5', n = '12', x = '13' WHERE a BETWEEN 50 AND 80;
SELECT typeof(b), typeof(n), typeof(x), count(*), sum(b), sum(n) FROM ty WHERE a BETWEEN 50 AND 80 GROUP BY 1, 2, 3;
UPDATE ty SET c = a * 10 WHERE a BETWEEN 100 AND 120;
SELECT count(*), sum(a) FROM ty WHERE c = '1100';
SELECT typeof(c), count(*) FROM ty INDEXED BY tyc WHERE c BETWEEN '1000' AND '1200' GROUP BY 1;
UPDATE ty SET a = a + 1000, e = '2.5' WHERE a BETWEEN 200 AND 210;
SELECT count(*), sum(a), typeof(e), sum(e) FROM ty WHERE a > 1000 GROUP BY 3;
PRAGMA integrity_check;
