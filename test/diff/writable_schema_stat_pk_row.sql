-- A sqlite_stat1 made WITHOUT ROWID under writable_schema, whose UNIQUE
-- constraint's autoindex row is then renamed to the name of its primary key
-- (which has no row of its own): the schema still loads, DROP TABLE leaves
-- that stat table alone, the other tables keep working, and only REINDEX of
-- it reports the file malformed.
CREATE TABLE keep(v TEXT PRIMARY KEY);
INSERT INTO keep VALUES ('one'), ('two');
CREATE TABLE gone(w PRIMARY KEY);
PRAGMA writable_schema = ON;
CREATE TABLE sqlite_stat1(tbl INTEGER PRIMARY KEY DESC, idx UNIQUE) WITHOUT ROWID;
PRAGMA writable_schema = OFF;
DROP TABLE gone;
SELECT type, name, tbl_name FROM sqlite_schema ORDER BY name;
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET name = 'sqlite_autoindex_sqlite_stat1_1' WHERE name = 'sqlite_autoindex_sqlite_stat1_2';
PRAGMA writable_schema = RESET;
SELECT type, name, tbl_name FROM sqlite_schema ORDER BY name;
SELECT v FROM keep ORDER BY v;
INSERT INTO keep VALUES ('three');
SELECT count(*) FROM keep;
REINDEX keep;
REINDEX sqlite_stat1;
REINDEX;
SELECT v FROM keep WHERE v = 'two';
