-- A range on a covering index's column beside a range on the rowid: both keep as many rows, and the index's
-- rows are narrower, so the index range is walked (rows in its order); an ORDER BY of the rowid takes the
-- rowid range instead (no sort), one of the indexed column the index range; a wide index loses the tie
CREATE TABLE u(id INTEGER PRIMARY KEY, first TEXT, last TEXT, email TEXT, city TEXT, state TEXT, zip TEXT, age INTEGER);
CREATE INDEX u_age ON u(age);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000) INSERT INTO u SELECT i, 'f' || (i % 13), 'l' || (i % 11), 'e' || i, 'c' || (i % 200), 's' || (i % 10), printf('%05d', i * 7919 % 100000), 1 + (i * 31) % 100 FROM c;
SELECT id, age FROM u WHERE age > 95 AND id > 2900;
SELECT count(*) FROM u WHERE age > 95 AND id > 2900;
SELECT age FROM u WHERE age < 3 AND rowid < 200;
SELECT id, age FROM u WHERE age BETWEEN 10 AND 12 AND id BETWEEN 100 AND 400;
SELECT id, age FROM u WHERE age > 95 AND id > 2900 ORDER BY id;
SELECT id, age FROM u WHERE age > 95 AND id > 2900 ORDER BY id DESC;
SELECT id, age FROM u WHERE age > 95 AND id > 2900 ORDER BY age, id;
SELECT age, count(*) FROM u WHERE age > 95 AND id > 2900 GROUP BY age;
SELECT * FROM u WHERE age > 98 AND id > 2950;
SELECT u.id, p.id FROM u JOIN u AS p ON p.id = u.id + 1 WHERE u.age > 97 AND u.id > 2950;
CREATE TABLE w(id INTEGER PRIMARY KEY, a TEXT, b TEXT);
CREATE INDEX w_ab ON w(a, b);
INSERT INTO w SELECT id, 'a' || (id % 7), 'b' || (id % 5) FROM u WHERE id <= 500;
SELECT id, a, b FROM w WHERE a > 'a4' AND id > 480;
