-- With foreign keys on, an UPDATE or DELETE of a table that has foreign key work
-- to do fails when any foreign key naming the table as parent has no parent key,
-- even one whose columns the change does not touch (t0.y changes; t names t0(x)).
PRAGMA foreign_keys=1;
CREATE TABLE t1(x PRIMARY KEY);
CREATE TABLE t(y REFERENCES t0(x)ON DELETE SET DEFAULT);
CREATE TABLE t0(y REFERENCES t1 ON DELETE SET NULL);
INSERT INTO t1 VALUES(0);
INSERT INTO t0 VALUES(0);
SELECT 'a';
DELETE FROM t1;
SELECT 'b';
UPDATE t0 SET y=NULL;
SELECT 'c';
REPLACE INTO t1 SELECT(0);
CREATE TABLE p(a);
CREATE TABLE c(y REFERENCES p(x));
INSERT INTO c VALUES(NULL);
INSERT INTO c VALUES(1);
UPDATE p SET a=1;
DELETE FROM p;
CREATE TABLE q(a, y REFERENCES p(x) ON DELETE SET NULL);
CREATE TABLE p2(a PRIMARY KEY);
CREATE TABLE q2(z REFERENCES q(nope));
CREATE TABLE r(b REFERENCES p2 ON DELETE SET NULL);
UPDATE r SET b=NULL;
-- DROP TABLE's own deletion reports no mismatch.
CREATE TABLE b1(a, b);
CREATE TABLE b2(a, b REFERENCES b1);
DROP TABLE b1;
CREATE TABLE b3(a, b REFERENCES b2 DEFERRABLE INITIALLY DEFERRED);
DROP TABLE b2;
SELECT name FROM sqlite_schema ORDER BY name;
-- A table that is both a child whose parent table is missing and a parent
-- without the key a child names: SQLite reports the child side's error,
-- the last one it meets; with the parent table there, the mismatch.
PRAGMA foreign_keys = OFF;
CREATE TABLE mp(a PRIMARY KEY, b REFERENCES mp_missing);
CREATE TABLE mc1(c, d, FOREIGN KEY(c, d) REFERENCES a);
CREATE TABLE mc2(c REFERENCES mp(b), d);
CREATE TABLE mc3(c REFERENCES mp ON DELETE SET NULL, d);
INSERT INTO mp VALUES(1, 2);
INSERT INTO mc2 VALUES(1, 2);
INSERT INTO mc3 VALUES(1, 2);
PRAGMA foreign_keys = ON;
DELETE FROM mp;
UPDATE mp SET b = 3;
UPDATE mp SET a = 3;
CREATE TABLE mp_missing(x PRIMARY KEY);
DELETE FROM mp;
UPDATE mp SET b = 3;
DROP TABLE mc2;
DELETE FROM mp;
SELECT * FROM mc3;
