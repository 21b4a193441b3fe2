-- A disjunct that is an IN list on the rowid is one lookup of a multi-index OR (a seek per distinct value,
-- in ascending order), so the rows come from the list first, then from the other disjuncts' lookups, each
-- row once; NULLs and repeats in the list find nothing more
CREATE TABLE u(id INTEGER PRIMARY KEY, name TEXT, age INTEGER, city TEXT);
CREATE INDEX u_age ON u(age);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000) INSERT INTO u SELECT i, 'n' || (i % 13), 1 + (i * 31) % 100, 'c' || (i % 7) FROM c;
SELECT id, age FROM u WHERE id IN (5, 6, 7) OR age = 3 LIMIT 5;
SELECT count(*) FROM u WHERE id IN (5, 6, 7, 42) OR age = 3;
SELECT id, age FROM u WHERE age = 3 OR id IN (7, 5, 6, 5.0, '6', NULL, 142) LIMIT 6;
SELECT id, age, name FROM u WHERE (id IN (5, 6) OR age = 3) AND name LIKE 'n1%' LIMIT 5;
SELECT id FROM u WHERE id IN (1999, 2000, 2001) OR age = 100 AND id > 1990;
SELECT id, age FROM u WHERE id IN (5, 6, 7) OR id IN (8, 1) OR age = 4 LIMIT 7;
SELECT id FROM u WHERE id IN () OR age = 2 LIMIT 3;
SELECT a.id, b.id FROM u a JOIN u b ON b.id IN (a.id, a.id + 100) OR b.age = a.id WHERE a.id < 3 ORDER BY 1, 2;
SELECT id, city FROM u WHERE id IN (10, 20) OR age = 5 ORDER BY city, id LIMIT 6;
