-- An UPDATE that changes the index its WHERE walks collects the row keys first and then changes the rows in
-- rowid order, whatever order the walk found them in: which row first meets a UNIQUE conflict follows from it.
CREATE TABLE u(id INTEGER PRIMARY KEY, k INTEGER, v TEXT);
CREATE UNIQUE INDEX u_k ON u(k DESC);
INSERT INTO u VALUES (1, 10, 'a'), (2, 50, 'b'), (3, 30, 'c'), (4, 34, 'd'), (5, 60, 'e');
-- The descending walk (60, 50, 34, 30) would never collide; rowid order moves 30 onto 34 while 34 is still there.
UPDATE u SET k = k + 4 WHERE k >= 30;
SELECT id, k FROM u ORDER BY id;
-- OR IGNORE skips the rows that collide in rowid order.
UPDATE OR IGNORE u SET k = k + 4 WHERE k >= 30;
SELECT id, k FROM u ORDER BY id;
-- OR REPLACE deletes the rows that the earlier rowids land on.
DELETE FROM u;
INSERT INTO u VALUES (1, 10, 'a'), (2, 50, 'b'), (3, 30, 'c'), (4, 34, 'd'), (5, 60, 'e'), (6, 38, 'f');
UPDATE OR REPLACE u SET k = k + 4 WHERE k BETWEEN 30 AND 55;
SELECT id, k, v FROM u ORDER BY id;
-- The same through a WITHOUT ROWID table: PRIMARY KEY order.
CREATE TABLE w(p TEXT PRIMARY KEY, k INTEGER UNIQUE) WITHOUT ROWID;
CREATE INDEX w_k ON w(k DESC);
INSERT INTO w VALUES ('a', 30), ('b', 34), ('c', 60), ('d', 50);
UPDATE OR IGNORE w SET k = k + 4 WHERE k > 20;
SELECT p, k FROM w ORDER BY p;
