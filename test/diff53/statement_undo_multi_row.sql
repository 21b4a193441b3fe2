-- Multi-row UPDATE and DELETE that fail half-way undo their own earlier rows and keep the transaction's
-- earlier statements; those that cannot fail half-way run without a statement savepoint (same results).
-- plans: not compared (only the rows after each statement matter here)
PRAGMA foreign_keys = ON
CREATE TABLE t(a INTEGER PRIMARY KEY, b INTEGER UNIQUE, c TEXT NOT NULL, d INTEGER CHECK (d < 100), e)
WITH RECURSIVE g(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM g WHERE value < 20) INSERT INTO t SELECT value, value, 'c' || value, value, value FROM g
CREATE INDEX te ON t(e)
BEGIN
INSERT INTO t VALUES (21, 21, 'c21', 21, 21)
UPDATE t SET b = CASE WHEN a = 10 THEN 15 ELSE b + 100 END WHERE a <= 12
SELECT count(*), sum(b), sum(a) FROM t
UPDATE t SET c = CASE WHEN a = 7 THEN NULL ELSE c || 'x' END
SELECT count(*), group_concat(c) FROM t
UPDATE t SET d = d * 10 WHERE a BETWEEN 5 AND 15
SELECT sum(d) FROM t
UPDATE t SET e = e + 1000 WHERE a BETWEEN 3 AND 9
SELECT sum(e), (SELECT count(*) FROM t INDEXED BY te WHERE e > 1000) FROM t
DELETE FROM t WHERE e BETWEEN 1004 AND 1006
SELECT count(*), sum(a) FROM t
UPDATE t SET a = a + 1 WHERE a >= 18
SELECT count(*), sum(a) FROM t
UPDATE OR FAIL t SET b = CASE WHEN a = 11 THEN 1 ELSE b + 1000 END WHERE a > 9
SELECT count(*), sum(b) FROM t
COMMIT
SELECT count(*), sum(a), sum(b), sum(e) FROM t
PRAGMA integrity_check
CREATE TABLE log(x)
CREATE TRIGGER tr AFTER DELETE ON t BEGIN INSERT INTO log VALUES (old.a); SELECT RAISE(ABORT, 'stop at 15') WHERE old.a = 15; END
BEGIN
DELETE FROM log
DELETE FROM t WHERE a BETWEEN 12 AND 18
SELECT count(*), (SELECT count(*) FROM log) FROM t
DELETE FROM t WHERE a BETWEEN 1 AND 2
SELECT count(*), (SELECT group_concat(x) FROM log) FROM t
COMMIT
CREATE TABLE parent(id INTEGER PRIMARY KEY)
CREATE TABLE child(id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent(id))
WITH RECURSIVE g(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM g WHERE value < 10) INSERT INTO parent SELECT value FROM g
WITH RECURSIVE g(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM g WHERE value < 10) INSERT INTO child SELECT value, value FROM g WHERE value <> 6
BEGIN
DELETE FROM parent WHERE id = 10
DELETE FROM parent WHERE id BETWEEN 3 AND 8
SELECT count(*), sum(id) FROM parent
UPDATE child SET p = CASE WHEN id = 5 THEN 99 ELSE p END WHERE id < 8
SELECT sum(p) FROM child
DELETE FROM child WHERE id < 4
SELECT count(*) FROM child
COMMIT
SELECT (SELECT count(*) FROM parent), (SELECT count(*) FROM child)
