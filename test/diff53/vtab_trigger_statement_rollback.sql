-- A trigger of a multi-row statement inside a transaction changes a virtual table, and a later row of
-- the statement fails: the statement's rollback undoes those changes, and the modules hear of it (the
-- statement's level of savepoints, as SQLite tells them), so that an FTS4 index's pending terms and an
-- R-Tree's nodes after the transaction are what SQLite 3.53 has.
CREATE TABLE a(x UNIQUE);
CREATE VIRTUAL TABLE f USING fts4(c);
CREATE TRIGGER ta AFTER INSERT ON a BEGIN INSERT INTO f VALUES(new.x); END;
BEGIN;
INSERT INTO f VALUES('zero');
INSERT INTO a VALUES('one'), ('two'), ('one');
INSERT INTO a VALUES('three');
COMMIT;
SELECT rowid, c FROM f;
SELECT rowid, c FROM f WHERE f MATCH 'one OR two OR three OR zero';
INSERT INTO f(f) VALUES('integrity-check');
SELECT * FROM a;
CREATE VIRTUAL TABLE r USING rtree(id, x0, x1);
WITH RECURSIVE c(i) AS (VALUES(1) UNION ALL SELECT i + 1 FROM c WHERE i < 300) INSERT INTO r SELECT 1000 + i, i, i + 1 FROM c;
CREATE TABLE b(x UNIQUE);
CREATE TABLE other(v);
CREATE TRIGGER tb AFTER INSERT ON b BEGIN INSERT INTO r VALUES(new.x, new.x, new.x + 1); END;
BEGIN;
INSERT INTO r VALUES(1, 5, 6);
INSERT INTO b VALUES(2), (3), (2);
INSERT INTO other VALUES(1);
INSERT INTO r VALUES(4, 7, 8);
DELETE FROM r WHERE id BETWEEN 1100 AND 1150;
COMMIT;
SELECT count(*), sum(id) FROM r;
SELECT id FROM r WHERE x0 < 10 ORDER BY id;
SELECT nodeno, hex(data) FROM r_node ORDER BY nodeno;
SELECT * FROM r_parent ORDER BY nodeno;
SELECT rtreecheck('r');
