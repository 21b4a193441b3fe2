-- UPDATE ... FROM a VALUES list that matches a row more than once: the list
-- is planned as the rows it has (not a table of unknown size given an
-- automatic index), so its rows join in their written order and the last
-- one matching a row is the one the row takes; triggers fire once per row
-- updated, and once per joined row for a view's INSTEAD OF trigger.
-- plans: not compared (SQLite loops over the list outermost; Lode over the table, the list scanned inside)
CREATE TABLE log(t TEXT);
CREATE TABLE t1(x PRIMARY KEY, y, z UNIQUE);
INSERT INTO t1 VALUES (1, 'i', 'one'), (2, 'ii', 'two'), (3, 'iii', 'three'), (4, 'iv', 'four');
CREATE TRIGGER tr1 BEFORE UPDATE ON t1 BEGIN INSERT INTO log VALUES (old.z || '->' || new.z); END;
CREATE TRIGGER tr2 AFTER UPDATE ON t1 BEGIN INSERT INTO log VALUES (old.y || '->' || new.y); END;
WITH data(k, v) AS (VALUES (1, 'seven'), (1, 'eight'), (2, 'eleven'), (2, 'twelve')) UPDATE t1 SET z = v FROM data WHERE x = k;
SELECT * FROM t1;
SELECT rowid, t FROM log;
CREATE VIEW v1 AS SELECT * FROM t1;
CREATE TRIGGER v1tr INSTEAD OF UPDATE ON v1 BEGIN UPDATE t1 SET y = new.y, z = new.z WHERE x = new.x; END;
DELETE FROM log;
WITH data(k, v) AS (VALUES (3, 'thirteen'), (3, 'fourteen'), (4, 'fifteen'), (4, 'sixteen')) UPDATE v1 SET z = v FROM data WHERE x = k;
SELECT * FROM v1;
SELECT rowid, t FROM log;
CREATE TABLE o1(w, x, y, z UNIQUE, PRIMARY KEY(w, x)) WITHOUT ROWID;
INSERT INTO o1 VALUES (0, 0, 'i', 'one'), (0, 1, 'ii', 'two'), (1, 0, 'iii', 'three'), (1, 1, 'iv', 'four');
CREATE TRIGGER tro1 BEFORE UPDATE ON o1 BEGIN INSERT INTO log VALUES (old.z || '->' || new.z); END;
DELETE FROM log;
WITH data(k, v) AS (VALUES (1, 'seven'), (1, 'eight'), (2, 'eleven'), (2, 'twelve')) UPDATE o1 SET z = v FROM data WHERE (1 + w * 2 + x) = k;
SELECT * FROM o1;
SELECT rowid, t FROM log;
SELECT * FROM o1, (VALUES (1, 'a'), (1, 'b'), (2, 'c')) AS d WHERE (1 + w * 2 + x) = d.column1 ORDER BY w, x, d.column2;
WITH d(k, v) AS (VALUES (5, 'z'), (1, 'y'), (1, 'x')) SELECT o1.z, group_concat(v, ',') FROM o1, d WHERE (1 + w * 2 + x) = k GROUP BY o1.z ORDER BY 1;
