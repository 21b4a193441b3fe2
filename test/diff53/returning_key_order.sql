-- UPDATE and DELETE with RETURNING go through the matching rows in key order (rowid, or PRIMARY KEY for WITHOUT
-- ROWID), as SQLite's two passes do, whatever order the WHERE's index walk finds them in.
CREATE TABLE u(a UNIQUE, b);
INSERT INTO u VALUES (3, 'p'), (1, 'q'), (2, 'r'), (5, 's');
UPDATE u SET b = b || '!' WHERE a > 1 RETURNING a, b;
UPDATE u SET b = b || '!' WHERE a IN (1, 2, 3) RETURNING a;
UPDATE u SET b = b || '?' WHERE a IN (SELECT a FROM u WHERE a < 4) RETURNING a;
EXPLAIN QUERY PLAN UPDATE u SET b = 1 WHERE a > 1 RETURNING a;
DELETE FROM u WHERE a > 1 RETURNING a;
INSERT INTO u VALUES (3, 'p'), (2, 'r'), (5, 's');
EXPLAIN QUERY PLAN DELETE FROM u WHERE a > 1 RETURNING a;
DELETE FROM u WHERE a IN (5, 2, 3) RETURNING a, b;
CREATE TABLE w(a PRIMARY KEY, b UNIQUE) WITHOUT ROWID;
INSERT INTO w VALUES (1, 30), (2, 10), (3, 20);
UPDATE w SET a = a WHERE b > 5 RETURNING a;
DELETE FROM w WHERE b > 5 RETURNING a;
