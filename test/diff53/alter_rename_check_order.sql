-- ALTER TABLE checks the views and triggers in sqlite_schema's order, and a
-- trigger step writing a view reads the view (its errors reported as the
-- trigger's): the first that fails is the one named.
CREATE TABLE t1(a, b);
CREATE TRIGGER AFTER INSERT ON t1 BEGIN INSERT INTO v1 VALUES (new.a) ON CONFLICT(a) DO NOTHING; END;
CREATE VIEW v1 AS SELECT * FROM nosuchtable;
ALTER TABLE t1 RENAME TO t2;
ALTER TABLE t1 RENAME a TO aa;
DROP TRIGGER "AFTER";
CREATE VIEW v2 AS SELECT * FROM nosuchtable2;
CREATE TRIGGER tr AFTER INSERT ON t1 BEGIN DELETE FROM v2; END;
ALTER TABLE t1 RENAME TO t3;
DROP VIEW v1;
ALTER TABLE t1 RENAME TO t3;
DROP VIEW v2;
CREATE VIEW v2 AS SELECT a, b FROM t1;
CREATE TRIGGER tr2 INSTEAD OF DELETE ON v2 BEGIN SELECT 1; END;
ALTER TABLE t1 RENAME TO t3;
SELECT name, tbl_name, sql FROM sqlite_schema ORDER BY name;
