-- ALTER TABLE RENAME: more shapes (aliases named like the table, keywords, case, view column lists, UPDATE OF on other tables).
CREATE TABLE t(a, b, "Mixed Case");
CREATE TABLE q(a, b);
CREATE VIEW v1(x, y) AS SELECT t.a, A FROM t AS t WHERE t.b = 'a' AND a() IS NULL;
CREATE VIEW v2 AS SELECT "Mixed Case", [mixed case] FROM t;
CREATE VIEW v3 AS SELECT a AS b, b AS a FROM t ORDER BY a;
CREATE VIEW v4 AS SELECT (SELECT count(*) FROM q WHERE q.a = t.a) AS n, CAST(a AS TEXT) AS c FROM t;
CREATE TABLE log(x);
CREATE TRIGGER tq AFTER UPDATE OF a ON q BEGIN INSERT INTO log SELECT a FROM t WHERE b = new.b; END;
CREATE TRIGGER tt BEFORE DELETE ON t WHEN (SELECT count(*) FROM q WHERE q.a = old.a) > 0 BEGIN INSERT INTO q(a, b) VALUES(old.a, old.b); END;
CREATE TEMP TRIGGER tmp AFTER INSERT ON main.t BEGIN UPDATE q SET b = new."Mixed Case" WHERE a = new.a; END;
ALTER TABLE t RENAME COLUMN a TO "order";
SELECT name, sql FROM sqlite_schema ORDER BY name;
SELECT name, sql FROM sqlite_temp_schema;
ALTER TABLE t RENAME COLUMN "MIXED CASE" TO mc;
SELECT name, sql FROM sqlite_schema ORDER BY name;
SELECT name, sql FROM sqlite_temp_schema;
ALTER TABLE t RENAME TO T2;
SELECT name, tbl_name, sql FROM sqlite_schema ORDER BY name;
SELECT name, tbl_name, sql FROM sqlite_temp_schema;
ALTER TABLE q RENAME COLUMN a TO qa;
SELECT name, sql FROM sqlite_schema ORDER BY name;
INSERT INTO t2 VALUES(1, 2, 3);
INSERT INTO q VALUES(1, 9);
DELETE FROM t2;
SELECT * FROM q;
SELECT * FROM v1;
-- A trigger (on another table) that writes a table that does not exist
-- refuses any ALTER TABLE RENAME of the schema, as SQLite checks every
-- trigger; nothing is renamed.
CREATE TABLE rt_u1(a, b);
CREATE TABLE rt_u3(e, f);
CREATE TRIGGER rt_tr1 AFTER INSERT ON rt_u1 BEGIN INSERT INTO rt_missing VALUES(new.a, new.b); END;
ALTER TABLE rt_u3 RENAME TO rt_u4;
ALTER TABLE rt_u3 RENAME e TO eee;
SELECT name FROM sqlite_master WHERE name LIKE 'rt_%' ORDER BY name;
DROP TRIGGER rt_tr1;
CREATE TRIGGER rt_tr2 AFTER INSERT ON rt_u1 BEGIN DELETE FROM rt_missing; END;
ALTER TABLE rt_u3 RENAME TO rt_u4;
DROP TRIGGER rt_tr2;
ALTER TABLE rt_u3 RENAME TO rt_u4;
SELECT name FROM sqlite_master WHERE name LIKE 'rt_%' ORDER BY name;
