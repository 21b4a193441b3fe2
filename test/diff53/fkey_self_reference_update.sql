-- A row that references its own table is its own parent only by exact comparison (no affinity): an UPDATE that points it at its own key through the key's affinity (2 for the TEXT '2') finds no parent, as in SQLite, which looks the key up with the row's own entries out of the index; other rows are found through the affinity; INTEGER PRIMARY KEY and WITHOUT ROWID parents, two-column keys
-- plans: not compared (the statements write)
PRAGMA foreign_keys = ON
CREATE TABLE s(k TEXT UNIQUE, f REFERENCES s(k))
INSERT INTO s VALUES (2, NULL)
UPDATE s SET f = 2
UPDATE s SET f = '2'
INSERT INTO s VALUES (3, 2)
INSERT INTO s VALUES (4, 4)
INSERT INTO s VALUES ('5', '5')
INSERT INTO s VALUES (6, '6')
UPDATE s SET k = 7, f = 2 WHERE k = '2'
UPDATE s SET k = 8, f = '8' WHERE k = '3'
UPDATE s SET f = 3 WHERE k = '8'
SELECT * FROM s ORDER BY k
CREATE TABLE r(k INTEGER PRIMARY KEY, f REFERENCES r(k))
INSERT INTO r VALUES (1, 1)
INSERT INTO r VALUES (2, '2')
UPDATE r SET f = '1' WHERE k = 1
CREATE TABLE w(k TEXT PRIMARY KEY, f REFERENCES w(k)) WITHOUT ROWID
INSERT INTO w VALUES (1, 1)
INSERT INTO w VALUES ('2', NULL)
UPDATE w SET f = 2 WHERE k = '2'
CREATE TABLE m(a TEXT, b INT, fa, fb, UNIQUE(a, b), FOREIGN KEY (fa, fb) REFERENCES m(a, b))
INSERT INTO m VALUES (1, 1, NULL, NULL)
UPDATE m SET fa = 1, fb = 1
UPDATE m SET fa = '1', fb = 1
SELECT * FROM m
