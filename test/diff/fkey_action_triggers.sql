-- A foreign key action's change fires the child table's own triggers (SQLite
-- codes the action as a trigger whose statement is a DELETE or UPDATE).
PRAGMA foreign_keys = 1;
CREATE TABLE p(id INTEGER PRIMARY KEY, k UNIQUE);
CREATE TABLE c(x, k REFERENCES p(k) ON DELETE CASCADE ON UPDATE CASCADE);
CREATE TABLE n(x, k REFERENCES p(k) ON DELETE SET NULL);
CREATE TABLE log(what, a, b);
CREATE TRIGGER c_bd BEFORE DELETE ON c BEGIN INSERT INTO log VALUES('c before delete', old.x, old.k); END;
CREATE TRIGGER c_ad AFTER DELETE ON c BEGIN INSERT INTO log VALUES('c after delete', old.x, old.k); END;
CREATE TRIGGER c_bu BEFORE UPDATE OF k ON c BEGIN INSERT INTO log VALUES('c before update', old.k, new.k); END;
CREATE TRIGGER c_au AFTER UPDATE ON c BEGIN INSERT INTO log VALUES('c after update', old.k, new.k); END;
CREATE TRIGGER c_ux AFTER UPDATE OF x ON c BEGIN INSERT INTO log VALUES('never: x is not set', old.x, new.x); END;
CREATE TRIGGER n_au AFTER UPDATE OF k ON n BEGIN INSERT INTO log VALUES('n set null', old.k, new.k); END;
INSERT INTO p VALUES (1, 'a'), (2, 'b'), (3, 'c');
INSERT INTO c VALUES (10, 'a'), (11, 'a'), (12, 'b');
INSERT INTO n VALUES (20, 'b'), (21, 'c');
UPDATE p SET k = 'A' WHERE id = 1;
DELETE FROM p WHERE id = 2;
SELECT * FROM log ORDER BY rowid;
SELECT * FROM c ORDER BY x;
SELECT * FROM n ORDER BY x;
DELETE FROM log;
-- A BEFORE trigger that removes the child row first: the action finds it gone.
CREATE TRIGGER c_gone BEFORE DELETE ON c WHEN old.x = 10 BEGIN DELETE FROM c WHERE x = 11; END;
DELETE FROM p WHERE id = 1;
SELECT * FROM log ORDER BY rowid;
SELECT count(*) FROM c;
-- A trigger the cascade fires puts a conflicting parent row back: the REPLACE
-- fails, and the statement changes nothing.
CREATE TABLE p1(a, b UNIQUE);
CREATE TABLE c1(c, d REFERENCES p1(b) ON DELETE CASCADE);
CREATE TRIGGER tr6 AFTER DELETE ON c1 BEGIN INSERT INTO p1 VALUES (4, 1); END;
INSERT INTO p1 VALUES (1, 1);
INSERT INTO c1 VALUES (2, 1);
REPLACE INTO p1 VALUES (3, 1);
SELECT * FROM p1;
SELECT * FROM c1;
PRAGMA integrity_check;
-- An UPDATE whose REPLACE fires DELETE triggers that write its table: refused
-- ("constraint failed"), the index left whole.
PRAGMA recursive_triggers = true;
CREATE TABLE t1(a UNIQUE ON CONFLICT REPLACE, b);
INSERT INTO t1 VALUES (4, 12), (9, 13);
CREATE INDEX t1b ON t1(b);
CREATE TRIGGER t1d DELETE ON t1 BEGIN UPDATE t1 SET b = a; END;
UPDATE t1 SET a = 0;
PRAGMA integrity_check;
SELECT * FROM t1 ORDER BY a;
CREATE TABLE t2(a PRIMARY KEY, b UNIQUE, c UNIQUE) WITHOUT ROWID;
CREATE TRIGGER t2d AFTER DELETE ON t2 BEGIN DELETE FROM t2; END;
INSERT INTO t2 VALUES (1, 1, 1), (2, 2, 2);
UPDATE OR REPLACE t2 SET c = 0;
PRAGMA integrity_check;
SELECT * FROM t2;
-- A statement that fails as FAIL keeps its changes: its immediate foreign
-- keys are checked then, and a violation undoes it.
CREATE TABLE fparent(p PRIMARY KEY);
CREATE TABLE fchild(c UNIQUE REFERENCES fparent(p));
INSERT OR FAIL INTO fchild VALUES (123), (123);
SELECT * FROM fchild;
INSERT INTO fparent VALUES (123);
INSERT OR FAIL INTO fchild VALUES (123), (123);
SELECT * FROM fchild;
BEGIN;
INSERT OR FAIL INTO fchild VALUES (5), (123);
SELECT * FROM fchild;
COMMIT;
