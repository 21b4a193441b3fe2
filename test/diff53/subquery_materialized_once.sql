-- A FROM subquery or CTE that reads no enclosing query is materialized once per run, as SQLite does, also inside a
-- correlated subquery or a loop: an UPDATE reading its own table through one sees the rows as of that first use.
CREATE TABLE t(id INTEGER PRIMARY KEY, a);
INSERT INTO t VALUES (1, 1), (2, 2), (3, 3), (4, 4);
UPDATE t SET a = a + (SELECT sum(a) FROM (SELECT a FROM t ORDER BY a DESC LIMIT 3));
SELECT * FROM t ORDER BY id;
UPDATE t SET a = a + (SELECT sum(x) FROM (SELECT a AS x FROM t ORDER BY a DESC LIMIT 3) WHERE x > t.id);
SELECT * FROM t ORDER BY id;
UPDATE t SET a = (WITH c(x) AS MATERIALIZED (SELECT a FROM t) SELECT max(x) + 1 FROM c) WHERE id IN (2, 3);
SELECT * FROM t ORDER BY id;
UPDATE t SET a = (WITH c(x) AS MATERIALIZED (SELECT a FROM t) SELECT max(x) + t.id FROM c);
SELECT * FROM t ORDER BY id;
CREATE TABLE u(b);
INSERT INTO u VALUES (1), (1), (3), (14);
WITH c(x) AS MATERIALIZED (SELECT b FROM u) SELECT id, (SELECT count(*) FROM c WHERE x = t.id) FROM t ORDER BY id;
SELECT id, (SELECT group_concat(b) FROM (SELECT DISTINCT b FROM u ORDER BY b DESC) WHERE b >= t.id) FROM t ORDER BY id;
SELECT id FROM t WHERE EXISTS (SELECT 1 FROM (SELECT b, count(*) n FROM u GROUP BY b) WHERE b = t.id AND n > 1);
-- One that reads the enclosing row is made again for each.
SELECT id, (SELECT sum(y) FROM (SELECT b + t.id AS y FROM u LIMIT 2)) FROM t ORDER BY id;
INSERT INTO u SELECT (SELECT count(*) FROM (SELECT b FROM u ORDER BY b LIMIT 10) WHERE b <= t.a) FROM t;
INSERT INTO u SELECT (WITH c(x) AS MATERIALIZED (SELECT b FROM u) SELECT count(*) + t.id FROM c) FROM t;
SELECT b FROM u ORDER BY rowid;
-- A recursive CTE inside a correlated subquery is made once, unless it reads the enclosing row.
SELECT id, (WITH RECURSIVE d(z) AS (SELECT 1 UNION ALL SELECT z + 1 FROM d WHERE z < 9)
            SELECT count(*) FROM d WHERE z % 3 = t.id % 3) FROM t ORDER BY id;
SELECT id, (WITH RECURSIVE d(z) AS (SELECT t.id UNION ALL SELECT z + 1 FROM d WHERE z < 9)
            SELECT sum(z) FROM d) FROM t ORDER BY id;
UPDATE t SET a = (WITH RECURSIVE d(z) AS (SELECT max(a) FROM t UNION ALL SELECT z + 1 FROM d WHERE z < 1000)
                  SELECT min(z) + t.id FROM d);
SELECT * FROM t ORDER BY id;
