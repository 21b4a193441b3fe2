-- PRAGMA integrity_check(T) / quick_check(T) check T's b-trees alone: pages
-- other trees use (or share) are not problems then; STRICT types and NOT NULL
-- of T's rows are. PRAGMA writable_schema = RESET reloads the schema.
CREATE TABLE t1(a INT, b INTEGER, c TEXT, d REAL, e BLOB) STRICT;
CREATE TABLE t1nn(a INT NOT NULL, b INTEGER NOT NULL, c TEXT NOT NULL, d REAL NOT NULL, e BLOB NOT NULL) STRICT;
CREATE TABLE t2(a, b, c, d, e);
INSERT INTO t1(a,b,c,d,e) VALUES (1,1,'one',1.0,x'b1'), (2,2,'two',2.25,x'b2b2b2');
PRAGMA integrity_check(t1);
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET rootpage = (SELECT rootpage FROM sqlite_schema WHERE name = 't1') WHERE name IN ('t2', 't1nn');
PRAGMA writable_schema = RESET;
PRAGMA quick_check('t1');
PRAGMA integrity_check(t1);
UPDATE t2 SET a = 2.5 WHERE b = 2;
PRAGMA quick_check('t1');
UPDATE t2 SET a = 'xyz' WHERE b = 2;
PRAGMA integrity_check(t1);
UPDATE t2 SET a = 2, b = NULL WHERE b = 2;
PRAGMA quick_check(t1nn);
PRAGMA integrity_check(nosuch);
CREATE TABLE t3(id ANY PRIMARY KEY, x TEXT);
INSERT INTO t3 VALUES (1, 2), ('three', 'four'), (NULL, 'eight');
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = (sql || 'STRICT') WHERE name = 't3';
PRAGMA writable_schema = RESET;
PRAGMA integrity_check(t3);
PRAGMA writable_schema;
