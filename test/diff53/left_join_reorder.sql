-- A LEFT or CROSS join keeps its right table after the tables before it in FROM, and no more: an inner join
-- written after it may still go first when that is cheaper (here the table a WHERE equality finds in an index).
CREATE TABLE orders(id INTEGER PRIMARY KEY, cid INT, total REAL);
CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE notes(id INTEGER PRIMARY KEY, oid INT, body TEXT);
CREATE INDEX orders_cid ON orders(cid);
CREATE INDEX customers_name ON customers(name);
CREATE INDEX notes_oid ON notes(oid);
INSERT INTO customers(name) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 50) SELECT 'c' || i FROM s;
INSERT INTO orders(cid, total) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 400) SELECT 1 + (i * 7) % 50, i / 4.0 FROM s;
INSERT INTO notes(oid, body) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100) SELECT (i * 13) % 400, 'n' || i FROM s;
EXPLAIN QUERY PLAN SELECT * FROM orders o LEFT JOIN notes n ON n.oid = o.id JOIN customers c ON c.id = o.cid WHERE c.name = 'c7';
SELECT o.id, n.body, c.name FROM orders o LEFT JOIN notes n ON n.oid = o.id JOIN customers c ON c.id = o.cid WHERE c.name = 'c7' ORDER BY o.id, n.id;
EXPLAIN QUERY PLAN SELECT * FROM orders o JOIN customers c ON c.id = o.cid LEFT JOIN notes n ON n.oid = o.id WHERE c.name = 'c7';
SELECT o.id, n.body FROM orders o JOIN customers c ON c.id = o.cid LEFT JOIN notes n ON n.oid = o.id WHERE c.name = 'c7' ORDER BY o.id, n.id;
-- The anti-join: a WHERE term on the LEFT join's table sees its rows of NULLs.
EXPLAIN QUERY PLAN SELECT o.id FROM orders o LEFT JOIN notes n ON n.oid = o.id JOIN customers c ON c.id = o.cid WHERE c.name = 'c9' AND n.id IS NULL;
SELECT o.id FROM orders o LEFT JOIN notes n ON n.oid = o.id JOIN customers c ON c.id = o.cid WHERE c.name = 'c9' AND n.id IS NULL ORDER BY o.id;
-- CROSS JOIN: its right table stays after the tables before it.
EXPLAIN QUERY PLAN SELECT * FROM orders o CROSS JOIN customers c LEFT JOIN notes n ON n.oid = o.id WHERE c.name = 'c7' AND c.id = o.cid;
SELECT count(*), sum(n.id IS NULL) FROM orders o CROSS JOIN customers c LEFT JOIN notes n ON n.oid = o.id WHERE c.name = 'c7' AND c.id = o.cid;
-- Two LEFT joins, the inner join between them first.
EXPLAIN QUERY PLAN SELECT * FROM notes n LEFT JOIN orders o ON o.id = n.oid JOIN customers c ON c.name = 'c3' LEFT JOIN orders o2 ON o2.cid = c.id;
SELECT count(*), count(o.id), count(o2.id) FROM notes n LEFT JOIN orders o ON o.id = n.oid JOIN customers c ON c.name = 'c3' LEFT JOIN orders o2 ON o2.cid = c.id;
