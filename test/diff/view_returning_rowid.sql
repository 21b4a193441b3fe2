-- RETURNING on a view through its INSTEAD OF triggers reads the row's registers.  (A view's row has no rowid:
-- SQLite 3.53 refuses new.rowid, old.rowid and RETURNING rowid there, where the 3.40 CLI gave -1; test_sql.c
-- checks those.)
CREATE TABLE rv_a(a, b);
CREATE VIEW rv AS SELECT a, b FROM rv_a;
INSERT INTO rv_a VALUES('x', 'y');
INSERT INTO rv_a VALUES('x', 'y');
CREATE TABLE rvlog(op, a, b);
CREATE TRIGGER rvt1 INSTEAD OF INSERT ON rv BEGIN INSERT INTO rvlog VALUES('insert', new.a, new.b); END;
CREATE TRIGGER rvt3 INSTEAD OF DELETE ON rv BEGIN INSERT INTO rvlog VALUES('delete', old.a, old.b); END;
INSERT INTO rv(a, b) VALUES(1234, 5678) RETURNING b, a;
INSERT INTO rv(a, b) SELECT 1, 2 RETURNING a + b;
DELETE FROM rv WHERE a = 'q' RETURNING a;
DELETE FROM rv WHERE a = 'x' RETURNING b, a;
SELECT * FROM rvlog;
