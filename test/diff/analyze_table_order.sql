-- ANALYZE of a database writes sqlite_stat1 newest table first, as SQLite's
-- walk of its tables does while a schema has few of them; a dropped and
-- re-created table counts as new.
CREATE TABLE b(a); CREATE TABLE a(x, y); CREATE TABLE c(z PRIMARY KEY);
CREATE INDEX ax ON a(x); CREATE INDEX ay ON a(y, x);
INSERT INTO a VALUES (1, 2), (1, 3), (2, 3); INSERT INTO b VALUES (1); INSERT INTO c VALUES (1), (2);
DROP TABLE b; CREATE TABLE b(q UNIQUE); INSERT INTO b VALUES (5);
ANALYZE;
SELECT tbl, idx, stat FROM sqlite_stat1;
DELETE FROM sqlite_stat1;
ANALYZE main;
SELECT tbl, idx, stat FROM sqlite_stat1;
