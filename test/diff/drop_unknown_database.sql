-- DROP of an object in a database that is not attached: no such table, view, index or
-- trigger (schema-qualified), and nothing at all with IF EXISTS; CREATE reports the database.
DROP TABLE nosuchdb.t;
DROP TABLE IF EXISTS nosuchdb.t;
DROP VIEW nosuchdb.t;
DROP VIEW IF EXISTS nosuchdb.t;
DROP INDEX nosuchdb.t;
DROP INDEX IF EXISTS nosuchdb.t;
DROP TRIGGER nosuchdb.t;
DROP TRIGGER IF EXISTS nosuchdb.t;
CREATE TABLE nosuchdb.t(a);
CREATE INDEX nosuchdb.i ON t(a);
CREATE VIEW nosuchdb.v AS SELECT 1;
CREATE TRIGGER nosuchdb.tr AFTER INSERT ON t BEGIN SELECT 1; END;
