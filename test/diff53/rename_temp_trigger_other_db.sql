-- ALTER TABLE RENAME: a TEMP trigger on another database's table of the same name keeps
-- its ON target and tbl_name; the one on the renamed table follows it.
ATTACH ':memory:' AS aux;
CREATE TABLE aux.t1(a, b, c);
CREATE TABLE main.t1(a, b, c);
CREATE TABLE log(x);
CREATE TEMP TRIGGER tr AFTER INSERT ON aux.t1 BEGIN INSERT INTO log VALUES (new.a); END;
CREATE TEMP TRIGGER tr2 AFTER INSERT ON t1 BEGIN INSERT INTO log VALUES (-new.a); END;
INSERT INTO main.t1 VALUES(1, 2, 3);
INSERT INTO aux.t1 VALUES(4, 5, 6);
SELECT name, tbl_name, sql FROM sqlite_temp_master ORDER BY name;
ALTER TABLE main.t1 RENAME TO t2;
SELECT name, tbl_name, sql FROM sqlite_temp_master ORDER BY name;
ALTER TABLE aux.t1 RENAME TO t2;
SELECT name, tbl_name, sql FROM sqlite_temp_master ORDER BY name;
INSERT INTO aux.t2 VALUES(7, 8, 9);
INSERT INTO main.t2 VALUES(10, 8, 9);
SELECT * FROM log;
CREATE TABLE m3(a);
CREATE TEMP TRIGGER tr3 AFTER INSERT ON m3 BEGIN INSERT INTO log VALUES (100); END;
ALTER TABLE m3 RENAME TO m4;
SELECT name, tbl_name, sql FROM sqlite_temp_master WHERE name = 'tr3';
INSERT INTO m4 VALUES (1);
SELECT * FROM log;
