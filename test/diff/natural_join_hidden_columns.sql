-- A NATURAL join leaves hidden columns out (a table-valued function's
-- argument columns such as generate_series's start and stop, json_each's
-- json and root), on either side; USING still names them.
SELECT * FROM generate_series(1, 3) s NATURAL JOIN (SELECT 5 AS start, 2 AS value);
SELECT * FROM (SELECT 5 AS start, 2 AS value) NATURAL JOIN generate_series(1, 3) s;
SELECT * FROM generate_series(a.start, a.stop) series NATURAL JOIN (SELECT 1 AS start, 3 AS stop, 2 AS value) a;
SELECT * FROM generate_series(1, 3) s JOIN (SELECT 5 AS start, 2 AS value) USING (start);
SELECT * FROM generate_series(1, 3) s JOIN (SELECT 5 AS start, 2 AS value) USING (value);
SELECT value, start FROM generate_series(1, 3) NATURAL JOIN (SELECT 3 AS value, 9 AS start);
SELECT * FROM generate_series(1, 2) a NATURAL JOIN generate_series(2, 3) b;
SELECT * FROM generate_series(1, 3) a NATURAL LEFT JOIN (SELECT 2 AS value, 7 AS stop) b ORDER BY 1;
SELECT key, value, type FROM json_each('[10, 20]') NATURAL JOIN (SELECT 1 AS key, 'x' AS json);
SELECT key, value FROM (SELECT 0 AS key, '[5]' AS root) NATURAL JOIN json_each('[5, 6]');
CREATE TABLE t(value, start, other);
INSERT INTO t VALUES (2, 100, 'a'), (3, 1, 'b');
SELECT * FROM t NATURAL JOIN generate_series(1, 3);
SELECT * FROM generate_series(1, 3) NATURAL JOIN t;
SELECT * FROM t NATURAL JOIN generate_series(1, 3) NATURAL JOIN (SELECT 3 AS value, 'b' AS other);
