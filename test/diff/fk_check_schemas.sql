-- PRAGMA foreign_key_check looks a child's parent up in the child's own
-- database, and names a missing table with the schema it was given.
ATTACH ':memory:' as fkc_aux;
CREATE TABLE fkc_aux.fkc_t1(a INTEGER PRIMARY KEY, b TEXT REFERENCES fkc_t2);
CREATE TABLE main.fkc_t2(x TEXT PRIMARY KEY, y INT);
INSERT INTO main.fkc_t2 VALUES('abc',11),('def',22),('xyz',99);
INSERT INTO fkc_aux.fkc_t1 VALUES(5,'abc'),(7,'xyz'),(9,'oops');
PRAGMA foreign_key_check=fkc_t1;
CREATE TABLE fkc_aux.fkc_t2(x TEXT PRIMARY KEY, y INT);
INSERT INTO fkc_aux.fkc_t2 VALUES('abc',11),('def',22),('xyz',99);
PRAGMA foreign_key_check=fkc_t1;
SELECT *, 'x' FROM pragma_foreign_key_check('fkc_t1','main');
PRAGMA temp.foreign_key_check(fkc_c2);
PRAGMA main.foreign_key_check(fkc_nosuch);
PRAGMA foreign_key_check(fkc_nosuch);
