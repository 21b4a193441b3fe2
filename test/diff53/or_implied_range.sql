-- An OR of two parts, one "x > A" and the other "x = A AND …", implies
-- "x >= A", which seeks an index on x, the OR tested on each row (keyset
-- paging); "x < A OR (x = A AND …)" implies "x <= A".  An index that names
-- the INTEGER PRIMARY KEY holds the rowid there: it seeks and orders by it.
CREATE TABLE p(id INTEGER PRIMARY KEY, created, title);
CREATE INDEX pc ON p(created, id);
WITH RECURSIVE n(i) AS (VALUES(1) UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO p SELECT i, i / 4, 'p' || i FROM n;
EXPLAIN QUERY PLAN SELECT id FROM p WHERE created > ?1 OR (created = ?1 AND id > ?2) ORDER BY created, id LIMIT 5; -- params: [20, 81]
SELECT id FROM p WHERE created > ?1 OR (created = ?1 AND id > ?2) ORDER BY created, id LIMIT 5; -- params: [20, 81]
SELECT id, title FROM p WHERE created < ?1 OR (created = ?1 AND id < ?2) ORDER BY created DESC, id DESC LIMIT 6; -- params: [20, 82]
EXPLAIN QUERY PLAN SELECT id FROM p WHERE created < ?1 OR (created = ?1 AND id < ?2) ORDER BY created DESC, id DESC LIMIT 6; -- params: [20, 82]
SELECT id FROM p WHERE (created = 3 AND id > 13) OR 3 < created ORDER BY id LIMIT 4;
EXPLAIN QUERY PLAN SELECT id FROM p WHERE (created = 3 AND id > 13) OR 3 < created ORDER BY id LIMIT 4;
SELECT id FROM p WHERE created >= 74 OR (created = 74 AND title > 'p') ORDER BY 1;
EXPLAIN QUERY PLAN SELECT id FROM p WHERE created >= 74 OR (created = 74 AND title > 'p');
SELECT count(*) FROM p WHERE created > ?1 OR (created = ?2 AND id > ?3); -- params: [20, 20, 81]
EXPLAIN QUERY PLAN SELECT count(*) FROM p WHERE created > ?1 OR (created = ?2 AND id > ?3); -- params: [20, 20, 81]
SELECT count(*) FROM p WHERE created > 70 OR created < 2;
EXPLAIN QUERY PLAN SELECT count(*) FROM p WHERE created > 70 OR created < 2;
SELECT count(*) FROM p WHERE created = 7 OR created = 7;
EXPLAIN QUERY PLAN SELECT count(*) FROM p WHERE (created = 7 AND title > 'p3') OR (created = 7 AND id < 30);
SELECT id FROM p WHERE (created = 7 AND title > 'p3') OR (created = 7 AND id < 30);
EXPLAIN QUERY PLAN SELECT id FROM p WHERE created > 60 ORDER BY created, id;
EXPLAIN QUERY PLAN SELECT id FROM p WHERE created = 5 AND id > 21;
SELECT id FROM p WHERE created = 5 AND id > 21;
EXPLAIN QUERY PLAN SELECT id FROM p WHERE created = 5 ORDER BY id DESC;
SELECT id FROM p WHERE created = 5 ORDER BY id DESC;
EXPLAIN QUERY PLAN SELECT id FROM p WHERE created IN (5, 9) AND id BETWEEN 20 AND 37 ORDER BY id;
SELECT id FROM p WHERE created IN (5, 9) AND id BETWEEN 20 AND 37 ORDER BY id;
-- a LEFT JOIN's right table: the implied term comes from its ON clause
CREATE TABLE q(k, v);
INSERT INTO q VALUES (1, 20), (2, 75), (3, NULL);
SELECT k, count(id) FROM q LEFT JOIN p ON p.created > q.v OR (p.created = q.v AND p.id > 81) GROUP BY k;
EXPLAIN QUERY PLAN SELECT k, count(id) FROM q LEFT JOIN p ON p.created > q.v OR (p.created = q.v AND p.id > 81) GROUP BY k;
