-- An ORDER BY of an indexed column whose range WHERE bounds, beside a rowid range: the index range walked in
-- the wanted order (backwards for DESC, equal values then in descending rowid order) costs less than the
-- rowid range and a sort, as SQLite weighs them
CREATE TABLE u(id INTEGER PRIMARY KEY, first TEXT, last TEXT, email TEXT, city TEXT, state TEXT, zip TEXT, age INTEGER);
CREATE INDEX u_age ON u(age);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000) INSERT INTO u SELECT i, 'f' || (i % 13), 'l' || (i % 11), 'e' || i, 'c' || (i % 200), 's' || (i % 10), printf('%05d', i * 7919 % 100000), 1 + (i * 31) % 100 FROM c;
SELECT first, age, id FROM u WHERE age <= 50 AND id < 2000 ORDER BY age DESC LIMIT 5;
SELECT first, age, id FROM u WHERE age <= 50 AND id < 2000 ORDER BY age LIMIT 5;
SELECT first, age, id FROM u WHERE age BETWEEN 40 AND 41 AND id BETWEEN 100 AND 900 ORDER BY age;
SELECT first, age, id FROM u WHERE age > 98 AND id > 2000 ORDER BY age DESC, id DESC LIMIT 5;
SELECT first, age, id FROM u WHERE age < 3 AND id > 2000 ORDER BY id LIMIT 3;
SELECT age, count(*) FROM u WHERE age < 30 AND id < 100 GROUP BY age ORDER BY age LIMIT 3;
SELECT first, age FROM u WHERE age >= 97 AND id < 2500 ORDER BY age LIMIT 4 OFFSET 2;
