-- "table X has N columns but M values were supplied" names the target as
-- the INSERT wrote it: its alias if it has one, else its name in the
-- statement's spelling, with the schema when one was given.
CREATE TABLE t(a, b, c);
INSERT INTO T VALUES (1);
INSERT INTO main.T VALUES (1);
INSERT INTO "T" VALUES (1, 2);
INSERT INTO T AS x VALUES (1);
INSERT INTO MAIN.t SELECT 1;
INSERT INTO t VALUES (1, 2, 3), (4, 5);
CREATE VIEW V AS SELECT 1 AS a;
CREATE TRIGGER tr INSTEAD OF INSERT ON v BEGIN SELECT 1; END;
INSERT INTO v VALUES (1, 2);
INSERT INTO main.V SELECT 1, 2;
INSERT INTO main.V AS q SELECT 1, 2;
CREATE TABLE log(x);
CREATE TRIGGER tr2 AFTER INSERT ON log BEGIN INSERT INTO Main.T VALUES (new.x); END;
INSERT INTO log VALUES (1);
SELECT count(*) FROM t;
