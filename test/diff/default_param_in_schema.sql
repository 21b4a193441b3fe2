-- A DEFAULT holding a parameter is refused by CREATE TABLE and ALTER TABLE, but one planted in the schema by
-- other means loads, and the parameter reads as NULL when the default is taken.
CREATE TABLE t1(a TEXT, b TEXT DEFAULT(99));
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = 'CREATE TABLE t1(a TEXT, b TEXT DEFAULT(:xyz))' WHERE name = 't1';
PRAGMA writable_schema = RESET;
INSERT INTO t1(a) VALUES ('xyzzy');
SELECT a, quote(b) FROM t1;
SELECT name, dflt_value FROM pragma_table_info('t1');
CREATE TABLE t2(a TEXT, b TEXT DEFAULT(:xyz));
CREATE TABLE t3(a TEXT, b TEXT DEFAULT(abs(?1)));
ALTER TABLE t1 ADD COLUMN c DEFAULT(?1);
