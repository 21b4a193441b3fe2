-- "foreign key mismatch" names the parent table as the REFERENCES clause wrote it
-- (its case), not as the parent's CREATE TABLE spells it.
PRAGMA foreign_keys=ON;
CREATE TABLE P2(a, b, UNIQUE(a,b));
CREATE TABLE c7(x REFERENCES p2);
INSERT INTO c7 VALUES(1);
CREATE TABLE c8(x REFERENCES "p2"(b));
INSERT INTO c8 VALUES(1);
DELETE FROM P2;
UPDATE P2 SET a = 1;
DROP TABLE c7;
PRAGMA foreign_key_check(c8);
CREATE TABLE par(id PRIMARY KEY);
CREATE TABLE c9(x REFERENCES PAR(id) ON DELETE CASCADE);
INSERT INTO par VALUES(1);
INSERT INTO c9 VALUES(1);
DELETE FROM par;
SELECT count(*) FROM c9;
