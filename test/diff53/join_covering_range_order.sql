-- A join term that bounds a covering index's column weighs, in SQLite's search of join orders, that index's
-- range beside a rowid range on the same table: the small table scanned outside and the covering range
-- inside is cheaper, so the rows come in the outer table's order
CREATE TABLE u(id INTEGER PRIMARY KEY, first TEXT, last TEXT, email TEXT, city TEXT, state TEXT, zip TEXT, age INTEGER);
CREATE INDEX u_age ON u(age);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000) INSERT INTO u SELECT i, 'f' || (i % 13), 'l' || (i % 11), 'e' || i, 'c' || (i % 200), 's' || (i % 10), printf('%05d', i * 7919 % 100000), 1 + (i * 31) % 100 FROM c;
CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT, price REAL);
INSERT INTO p(name, price) VALUES ('hat', 79.0), ('cap', 82.0), ('shirt', 18.0), ('sweater', 25.0), ('coat', 33.0), ('boots', 1.0);
SELECT u.id, p.id FROM u JOIN p ON p.price < u.age WHERE u.id < 4;
SELECT u.id, p.id FROM u, p WHERE u.age > p.price AND u.id < 3;
SELECT u.id, p.id FROM u JOIN p ON p.price > u.age WHERE u.id < 3;
SELECT u.id, p.id FROM u JOIN p ON u.age BETWEEN p.price AND p.price + 2 WHERE u.id < 300;
SELECT u.id, p.id FROM u, p WHERE u.age > p.id * 9 AND u.id < 3 LIMIT 4;
SELECT DISTINCT p.id FROM u JOIN p ON p.price < u.age WHERE u.id < 4;
SELECT count(*) FROM u JOIN u AS v ON v.age < u.age AND v.id < 10 WHERE u.id < 10;
SELECT u.id, p.id FROM u JOIN p ON p.price < u.age WHERE u.id < 4 ORDER BY u.id, p.id;
SELECT u.id, p.id FROM u LEFT JOIN p ON p.price < u.age WHERE u.id < 3;
