-- An INSERT's column list is checked before its values: an unknown column is the
-- error even when the number of values is wrong too, or the SELECT names a missing
-- table; DEFAULT VALUES with a column list supplies 0 values for its columns.
CREATE TABLE s(a, b, c AS (a + 1));
INSERT INTO s(nosuch) VALUES (1, 2);
INSERT INTO s(a, nosuch) SELECT 1;
INSERT INTO s(nosuch) SELECT * FROM nosuchtab;
INSERT INTO s(c) VALUES (1, 2);
INSERT INTO s(a) DEFAULT VALUES;
INSERT INTO s(a, b) DEFAULT VALUES;
INSERT INTO s(rowid) DEFAULT VALUES;
INSERT INTO s(nosuch) DEFAULT VALUES;
INSERT INTO s(b) DEFAULT VALUES RETURNING *;
INSERT INTO s DEFAULT VALUES;
SELECT rowid, * FROM s;
CREATE VIRTUAL TABLE v USING fts5(a, b);
INSERT INTO v(a) DEFAULT VALUES;
INSERT INTO v(zz) VALUES (1, 2);
INSERT INTO v(zz) SELECT * FROM nosuchtab;
SELECT count(*) FROM v;
