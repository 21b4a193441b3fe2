-- A row inserted into a view through its INSTEAD OF trigger has rowid -1, for new.rowid and for RETURNING.
CREATE TABLE rv_a(a, b);
CREATE VIEW rv AS SELECT a, b FROM rv_a;
INSERT INTO rv_a VALUES('x', 'y');
INSERT INTO rv_a VALUES('x', 'y');
CREATE TABLE rvlog(op, r, a, b);
CREATE TRIGGER rvt1 INSTEAD OF INSERT ON rv BEGIN INSERT INTO rvlog VALUES('insert', new.rowid, new.a, new.b); END;
CREATE TRIGGER rvt3 INSTEAD OF DELETE ON rv BEGIN INSERT INTO rvlog VALUES('delete', old.rowid, old.a, old.b); END;
INSERT INTO rv(a, b) VALUES(1234, 5678) RETURNING rowid, a;
INSERT INTO rv(a, b) SELECT 1, 2 RETURNING rowid, a;
DELETE FROM rv WHERE a = 'q' RETURNING rowid;
SELECT * FROM rvlog;
