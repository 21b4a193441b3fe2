-- A sqlite_sequence made WITHOUT ROWID under writable_schema: ALTER TABLE
-- RENAME renames the row of the table's name as an UPDATE of its name column
-- would (whatever the table's shape), a name already taken fails the
-- statement on the PRIMARY KEY and leaves the rename undone.
PRAGMA writable_schema=ON;
CREATE TABLE sqlite_sequence (seq, name PRIMARY KEY) WITHOUT ROWID;
PRAGMA writable_schema=OFF;
CREATE TABLE c1(x);
INSERT INTO sqlite_sequence(name, seq) VALUES ('c0', 1), ('c1', 2), ('c2', 3);
ALTER TABLE c1 RENAME TO zz;
SELECT name, seq FROM sqlite_sequence ORDER BY +name;
ALTER TABLE zz RENAME TO c2;
SELECT name, seq FROM sqlite_sequence ORDER BY +name;
SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name;
ALTER TABLE zz RENAME TO a;
SELECT name, seq FROM sqlite_sequence ORDER BY name;
PRAGMA integrity_check;
