-- An object named IF is stored without the IF NOT EXISTS that let its
-- statement parse, and its stored text does not parse back: the CREATE fails
-- as a malformed schema, and nothing of it is kept.
CREATE TABLE IF NOT EXISTS IF(x);
SELECT count(*) FROM sqlite_schema;
CREATE TABLE t(a);
CREATE INDEX IF NOT EXISTS IF ON t(a);
CREATE TRIGGER IF NOT EXISTS IF AFTER INSERT ON t BEGIN SELECT 1; END;
CREATE TABLE IF NOT EXISTS "IF"(x);
CREATE TABLE x1 AS SELECT 1 AS "IF";
CREATE VIRTUAL TABLE IF NOT EXISTS IF USING fts4(a);
SELECT name FROM sqlite_schema;
BEGIN;
CREATE TABLE ok1(a);
CREATE VIEW IF NOT EXISTS IF AS SELECT 1;
COMMIT;
SELECT name FROM sqlite_schema;
