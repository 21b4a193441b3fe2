-- Foreign keys with no parent key ("foreign key mismatch"): a change of the
-- parent table fails when any of them exists, and the message names the
-- first one (newest first, as SQLite keeps them) whose parent columns the
-- change writes, else the last one: SQLite's check of the change stops at
-- the first, after a pass over them all that keeps its last error.
PRAGMA foreign_keys = ON;
CREATE TABLE p(a, b, c);
CREATE TABLE c2(y REFERENCES p(b));
CREATE TABLE c1(x REFERENCES p(a));
INSERT INTO p VALUES (1, 2, 3);
UPDATE p SET a = 5;
UPDATE p SET b = 5;
UPDATE p SET c = 5;
UPDATE p SET a = 5, b = 6;
DELETE FROM p;
CREATE TABLE q(a UNIQUE, b, c);
CREATE TABLE d1(x REFERENCES q(a));
CREATE TABLE d2(y REFERENCES q(b));
CREATE TABLE d3(z REFERENCES q(c));
INSERT INTO q VALUES (1, 2, 3);
UPDATE q SET a = 5;
UPDATE q SET b = 5;
UPDATE q SET c = 5;
UPDATE q SET a = 7, c = 5;
DELETE FROM q;
SELECT * FROM p;
SELECT * FROM q;
