-- Constraints that need an index: a non-INTEGER PRIMARY KEY, UNIQUE, and CREATE INDEX.
CREATE TABLE ip(id INT PRIMARY KEY, v);
INSERT INTO ip VALUES (1, 'a');
INSERT INTO ip VALUES (1, 'b');
INSERT INTO ip VALUES ('1', 'c');
SELECT id, v FROM ip;
CREATE TABLE tp(name TEXT PRIMARY KEY, n);
INSERT INTO tp VALUES ('x', 1), ('y', 2);
INSERT INTO tp VALUES ('x', 3);
SELECT name, n FROM tp ORDER BY name;
CREATE TABLE un(a UNIQUE, b);
INSERT INTO un VALUES (1, 1), (2, 2), (NULL, 3), (NULL, 4);
INSERT INTO un VALUES (2, 5);
SELECT a, b FROM un ORDER BY b;
UPDATE un SET a = 1 WHERE b = 2;
SELECT a, b FROM un ORDER BY b;
CREATE TABLE ix(a, b);
CREATE INDEX ix_a ON ix(a);
INSERT INTO ix VALUES (3, 'c'), (1, 'a'), (2, 'b'), (1, 'a2');
SELECT a, b FROM ix WHERE a = 1 ORDER BY b;
SELECT a, b FROM ix ORDER BY a, b;
DELETE FROM ix WHERE a = 1;
SELECT a, b FROM ix ORDER BY a;
CREATE INDEX ix_a ON ix(b);
CREATE INDEX IF NOT EXISTS ix_a ON ix(b);
DROP INDEX ix_a;
SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name;
DROP TABLE ix;
SELECT name FROM sqlite_schema ORDER BY name;
-- integrity_check verifies every index against its table: all kinds of index stay exact through row changes.
CREATE TABLE ic(id INTEGER PRIMARY KEY, a NOT NULL, b TEXT UNIQUE, c REAL, d);
CREATE INDEX ic_part ON ic(c) WHERE c > 1;
CREATE INDEX ic_expr ON ic(lower(b), a + c);
CREATE INDEX ic_desc ON ic(c DESC, a);
CREATE INDEX ic_nocase ON ic(b COLLATE NOCASE, d);
CREATE UNIQUE INDEX ic_uniq ON ic(d, a);
INSERT INTO ic(a, b, c, d) VALUES (1, 'x', 1.5, NULL), ('1', 'X', 2, NULL), (1.0, NULL, NULL, 1), (x'01', 'abc', 3, 'd');
INSERT OR REPLACE INTO ic(id, a, b, c) VALUES (1, 9, 'X', 0.5);
UPDATE OR IGNORE ic SET b = 'abc' WHERE id = 3;
UPDATE ic SET c = c + 1, b = upper(b) WHERE id > 2;
DELETE FROM ic WHERE id = 4;
PRAGMA integrity_check;
PRAGMA quick_check;
PRAGMA integrity_check(ic);
SELECT id, a, b, c, d FROM ic ORDER BY id;
-- An explicit OR ABORT overrides a constraint's own ON CONFLICT IGNORE; without an OR clause the constraint's applies.
CREATE TABLE oa(c UNIQUE ON CONFLICT IGNORE);
INSERT INTO oa VALUES (1);
INSERT OR ABORT INTO oa VALUES (1);
UPDATE OR ABORT oa SET c = 1;
INSERT INTO oa VALUES (1), (2);
SELECT c FROM oa ORDER BY c;
-- A main. qualifier is left out of the stored text, as sqlite3 does.
CREATE TABLE main.mq(a);
CREATE UNIQUE INDEX "main".mqi ON mq(a);
SELECT sql FROM sqlite_schema WHERE name IN ('mq', 'mqi') ORDER BY name;
-- An integer key seeks a REAL column's index as an integer: 9223372036854775807 is not the stored
-- 9223372036854775808.0 (a comparison applies NUMERIC affinity, which keeps the integer).
CREATE TABLE rb(b REAL UNIQUE);
INSERT INTO rb VALUES (9223372036854775807);
CREATE TABLE ia(a INTEGER);
INSERT INTO ia VALUES (9223372036854775807);
SELECT count(*) FROM rb WHERE b = 9223372036854775807;
SELECT count(*) FROM rb NOT INDEXED WHERE b = 9223372036854775807;
SELECT count(*) FROM ia, rb WHERE ia.a = rb.b;
SELECT count(*) FROM rb WHERE b >= 9223372036854775807;
SELECT count(*) FROM rb WHERE b = '9.223372036854775808e18';
