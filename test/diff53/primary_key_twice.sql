-- A column that says PRIMARY KEY twice gives the table more than one primary key, an error as in SQLite.
CREATE TABLE twice(a PRIMARY KEY PRIMARY KEY);
CREATE TABLE twice2(a INTEGER PRIMARY KEY ASC PRIMARY KEY DESC, b);
CREATE TABLE twice3(a PRIMARY KEY CONSTRAINT again PRIMARY KEY, b);
CREATE TABLE mixed(a PRIMARY KEY, b, PRIMARY KEY(b));
CREATE TABLE fine(a INTEGER CONSTRAINT k PRIMARY KEY NOT NULL UNIQUE, b);
SELECT name FROM sqlite_schema ORDER BY name;
PRAGMA table_info(fine);
