-- PRAGMA table_info on a view types each column as SQLite 3.53 does: the declared type of the column it shows when
-- that type gives its affinity, else the name of its affinity (a column declared without a type is BLOB), and nothing
-- for an expression without affinity. SQLite 3.40 left the untyped columns blank.
CREATE TABLE items(id INTEGER PRIMARY KEY, label TEXT, extra, code VARCHAR(5), weird FOO, qty INT, price DOUBLE, raw BLOB);
CREATE VIEW shown AS SELECT extra, extra + 1, label || '', CAST(extra AS FOO), CAST(extra AS TEXT), CAST(id AS INTEGER), CAST(id AS REAL), CAST(label AS BLOB), extra AS again, code, weird, id, qty, price, raw, 1, 'x', NULL, max(id), count(*), -id, +label, label COLLATE NOCASE FROM items;
PRAGMA table_info(shown);
PRAGMA table_xinfo(shown);
SELECT name, type FROM pragma_table_info('shown');
CREATE VIEW mixed AS SELECT id, extra FROM items UNION SELECT label, code FROM items;
PRAGMA table_info(mixed);
CREATE VIEW renamed(x, y) AS SELECT a.id, b.extra FROM items AS a, items AS b;
PRAGMA table_info(renamed);
CREATE VIEW nested AS SELECT * FROM (SELECT extra, weird, extra + 1 FROM items);
PRAGMA table_info(nested);
CREATE VIEW viaw AS WITH w AS (SELECT extra, code FROM items) SELECT * FROM w;
PRAGMA table_info(viaw);
CREATE VIEW onview AS SELECT * FROM shown;
PRAGMA table_info(onview);
CREATE TEMP VIEW tv AS SELECT extra, raw FROM items;
PRAGMA temp.table_info(tv);
PRAGMA table_info(items);
