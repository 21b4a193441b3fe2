-- The R-Tree's shadow tables after inserts that split nodes at every level, UPDATEs and DELETEs of
-- single rows and of ranges (rows handed to the module in SQLite's order: an UPDATE's in scan order, a
-- DELETE's by ascending id), REPLACE, INSERT OR IGNORE, new ids, auxiliary columns and a rollback to a
-- savepoint: the node blobs byte for byte, the map rows and the change counts are SQLite 3.53's.  Small
-- pages make small nodes (29 cells of three dimensions), for a tree of three levels.
PRAGMA page_size = 1024;
CREATE VIRTUAL TABLE t USING rtree(id, x0, x1, y0, y1, z0, z1);
WITH RECURSIVE c(i) AS (VALUES(1) UNION ALL SELECT i + 1 FROM c WHERE i < 1500) INSERT INTO t SELECT i, (i * 7919) % 15000, (i * 7919) % 15000 + (i * 31) % 200 + 1, (i * 104729) % 15000, (i * 104729) % 15000 + (i * 17) % 300 + 1, (i * 1299709) % 15000 + 0.25, (i * 1299709) % 15000 + (i * 13) % 150 + 1.5 FROM c;
SELECT total_changes();
SELECT nodeno, hex(data) FROM t_node ORDER BY nodeno;
SELECT * FROM t_parent ORDER BY nodeno;
SELECT count(*), sum(nodeno), sum(rowid * nodeno) FROM t_rowid;
UPDATE t SET x0 = x0 + 7, x1 = x1 + 7 WHERE y1 >= 5000 AND y0 <= 5600;
SELECT changes(), total_changes();
DELETE FROM t WHERE z1 >= 3000 AND z0 <= 4200;
SELECT changes(), total_changes();
DELETE FROM t WHERE id % 7 = 0;
SELECT changes(), total_changes();
UPDATE t SET y0 = y0 - 3 WHERE id = 500;
REPLACE INTO t VALUES(501, 1, 2, 3, 4, 5, 6);
INSERT OR IGNORE INTO t VALUES(502, 1, 2, 3, 4, 5, 6);
INSERT INTO t(x0, x1, y0, y1, z0, z1) VALUES(10, 20, 30, 40, 50, 60);
SELECT last_insert_rowid(), changes(), total_changes();
BEGIN;
SAVEPOINT a;
DELETE FROM t WHERE id < 400;
SELECT count(*) FROM t WHERE x0 >= 0;
ROLLBACK TO a;
SELECT count(*) FROM t WHERE x0 >= 0;
DELETE FROM t WHERE id BETWEEN 600 AND 700;
COMMIT;
SELECT total_changes();
SELECT nodeno, hex(data) FROM t_node ORDER BY nodeno;
SELECT * FROM t_parent ORDER BY nodeno;
SELECT count(*), sum(nodeno), sum(rowid * nodeno) FROM t_rowid;
SELECT id, x0, y1, z0 FROM t WHERE x1 >= 7000 AND x0 <= 7300 AND z0 > 100;
SELECT rtreecheck('t');
CREATE VIRTUAL TABLE a USING rtree_i32(id, x0, x1, +label, +weight);
WITH RECURSIVE c(i) AS (VALUES(1) UNION ALL SELECT i + 1 FROM c WHERE i < 400) INSERT INTO a(x0, x1, label, weight) SELECT (i * 37) % 1000, (i * 37) % 1000 + i % 10, 'n' || i, i * 0.5 FROM c;
SELECT total_changes();
DELETE FROM a WHERE x0 < 300;
UPDATE a SET label = upper(label), x1 = x1 + 1 WHERE x1 > 900;
SELECT changes(), total_changes();
SELECT nodeno, hex(data) FROM a_node ORDER BY nodeno;
SELECT * FROM a_rowid ORDER BY rowid;
SELECT rtreecheck('a');
