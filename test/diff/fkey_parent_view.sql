-- A foreign key whose parent is a view: every check of it is a foreign key mismatch, not a missing table.
PRAGMA foreign_keys=on;
CREATE TABLE c(x REFERENCES v(y));
CREATE VIEW v AS SELECT x AS y FROM c;
INSERT INTO c DEFAULT VALUES;
INSERT INTO c VALUES(1);
PRAGMA foreign_keys=off;
INSERT INTO c VALUES(1);
PRAGMA foreign_keys=on;
UPDATE c SET x=2;
DELETE FROM c;
SELECT count(*) FROM c;
DROP VIEW v;
INSERT INTO c VALUES(1);
SELECT count(*) FROM c;
