-- CREATE VIRTUAL TABLE without an application module: SQLite's errors, the statement's
-- syntax (module arguments are any tokens, nested parentheses included) and DML refused on
-- the built-in eponymous tables.
CREATE VIRTUAL TABLE t USING nosuch(a);
CREATE VIRTUAL TABLE t USING nosuch;
CREATE VIRTUAL TABLE t USING generate_series;
CREATE VIRTUAL TABLE t USING json_each(a, (b, c), 'x,y');
CREATE VIRTUAL TABLE IF NOT EXISTS t USING nosuch(a);
CREATE VIRTUAL TABLE sqlite_x USING nosuch(a);
CREATE VIRTUAL TABLE main.t USING nosuch(a);
CREATE VIRTUAL TABLE aux.t USING nosuch(a);
CREATE VIRTUAL TABLE t USING nosuch(a;
CREATE VIRTUAL TABLE t USING;
CREATE TABLE u(x);
CREATE VIRTUAL TABLE u USING nosuch(a);
INSERT INTO generate_series VALUES (1);
UPDATE json_each SET key = 1;
DELETE FROM pragma_table_info;
SELECT name FROM sqlite_schema;
