-- An unknown collation named by a column, a PRIMARY KEY/UNIQUE term, an index term or an added column fails the statement.
CREATE TABLE uc1(a COLLATE nosuch);
CREATE TABLE uc2(a, UNIQUE(a COLLATE nosuch));
CREATE TABLE uc3(a, PRIMARY KEY(a COLLATE nosuch));
CREATE TABLE uc4(a COLLATE NoCase, b COLLATE "rtrim", c COLLATE binary);
CREATE INDEX uc4a ON uc4(a COLLATE nosuch);
CREATE INDEX uc4b ON uc4((b COLLATE nosuch));
CREATE INDEX uc4c ON uc4(a COLLATE nosuch) WHERE a > 1;
CREATE INDEX uc4d ON uc4(zz, a COLLATE nosuch);
CREATE INDEX uc4e ON uc4(a COLLATE nosuch, zz);
CREATE INDEX uc4f ON uc4(a COLLATE nocase, b COLLATE RTRIM);
ALTER TABLE uc4 ADD COLUMN d COLLATE nosuch;
ALTER TABLE uc4 ADD COLUMN a COLLATE nosuch;
ALTER TABLE uc4 ADD COLUMN e COLLATE nocase;
CREATE TABLE IF NOT EXISTS uc4(x COLLATE nosuch);
SELECT name FROM sqlite_schema ORDER BY name;
