-- In an expression of an INSERT, UPDATE or DELETE itself (not inside a SELECT) a subquery's "*" counts as one
-- column when the widths of a comparison are checked; the subquery's real width is met when it runs.
CREATE TABLE t(a, b);
INSERT INTO t VALUES (1, 2);
DELETE FROM t WHERE a < (SELECT * FROM (SELECT b, 2));
DELETE FROM t WHERE a < (SELECT * FROM t);
UPDATE t SET a = 1 WHERE a < (SELECT * FROM t);
UPDATE t SET a = (SELECT * FROM t) < 1;
DELETE FROM t WHERE (a, b) = (SELECT * FROM t);
DELETE FROM t WHERE a < (SELECT *, 1 FROM t);
DELETE FROM t WHERE a BETWEEN (SELECT * FROM t) AND 3;
INSERT INTO t VALUES ((SELECT * FROM t) < 1, 1);
INSERT INTO t VALUES (1 < (SELECT * FROM t), 1);
DELETE FROM t WHERE a IN (SELECT * FROM t);
SELECT 1 < (SELECT * FROM (SELECT 1, 2));
SELECT (1, 2) = (SELECT * FROM t);
DELETE FROM t WHERE a IN (SELECT 1 WHERE 1 < (SELECT * FROM t));
SELECT * FROM t;
