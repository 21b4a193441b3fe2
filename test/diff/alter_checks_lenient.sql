-- ALTER TABLE checks that the schema's views and triggers still compile the way its renames resolve them:
-- a call of an unknown function passes (it fails when the view runs), for RENAME and DROP COLUMN alike.
CREATE TABLE t(a, b, c);
CREATE TABLE log(x);
CREATE VIEW v AS SELECT nosuch_fn(a) AS f, c FROM t;
CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (other_missing(new.a)); END;
ALTER TABLE t DROP COLUMN b;
ALTER TABLE t RENAME COLUMN a TO aa;
ALTER TABLE t RENAME TO u;
SELECT name, sql FROM sqlite_schema ORDER BY name;
SELECT * FROM v;
INSERT INTO u VALUES (1, 2);
-- A column the view still needs cannot go.
ALTER TABLE u DROP COLUMN c;
CREATE VIEW w AS SELECT c FROM u WHERE missing_too(aa);
ALTER TABLE u DROP COLUMN c;
DROP VIEW v;
DROP VIEW w;
ALTER TABLE u DROP COLUMN c;
SELECT sql FROM sqlite_schema WHERE name = 'u';
