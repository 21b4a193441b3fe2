-- UPDATEs that leave an overflowing row as long as it was are written over
-- the old cell and its overflow chain, only where bytes change: changes on
-- the page, in the middle of the chain, on its last page, none at all; then
-- undone by ROLLBACK TO and ROLLBACK, beside rows whose length changes.
CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT, b BLOB);
CREATE TABLE ref(id INTEGER PRIMARY KEY, x TEXT, b BLOB);
INSERT INTO t VALUES (1, printf('%.*c', 30000, 'a'), zeroblob(9000)), (2, printf('%.*c', 5000, 'k') || printf('%.*c', 5000, 'l'), cast(printf('%.*c', 20000, 'm') AS BLOB)), (3, 'short', x'00');
INSERT INTO ref SELECT * FROM t;
UPDATE t SET x = 'b' || substr(x, 2) WHERE id = 1;
UPDATE t SET x = substr(x, 1, 15000) || 'c' || substr(x, 15002) WHERE id = 1;
UPDATE t SET x = substr(x, 1, 29999) || 'd' WHERE id = 1;
UPDATE t SET x = x, b = b WHERE id = 2;
UPDATE t SET b = cast(replace(cast(b AS TEXT), 'm', 'n') AS BLOB) WHERE id = 2;
SELECT id, length(x), substr(x, 1, 2), substr(x, 14999, 4), substr(x, -2), length(b), typeof(b), hex(substr(b, 1, 2)), hex(substr(b, -2)) FROM t ORDER BY id;
SELECT id, x = (SELECT x FROM ref WHERE ref.id = t.id), b = (SELECT b FROM ref WHERE ref.id = t.id) FROM t ORDER BY id;
SAVEPOINT s1;
UPDATE t SET x = upper(x), b = zeroblob(length(b)) WHERE id IN (1, 2);
SELECT id, substr(x, 1, 3), substr(x, -3), hex(substr(b, -2)) FROM t ORDER BY id;
ROLLBACK TO s1;
SELECT id, substr(x, 1, 3), substr(x, -3), hex(substr(b, -2)), length(x), length(b) FROM t ORDER BY id;
RELEASE s1;
BEGIN;
UPDATE t SET x = replace(x, 'a', 'z') WHERE id = 1;
UPDATE t SET x = x || 'longer' WHERE id = 2;
SELECT id, substr(x, 1, 3), length(x), substr(x, -7) FROM t ORDER BY id;
ROLLBACK;
SELECT id, substr(x, 1, 3), length(x), substr(x, -7), substr(x, 15000, 2) FROM t ORDER BY id;
UPDATE t SET x = printf('%.*c', 30000, 'q') WHERE id = 1;
UPDATE t SET b = zeroblob(20000) WHERE id = 2;
SELECT id, substr(x, 1, 3), length(x), hex(substr(b, 1, 2)), length(b) FROM t ORDER BY id;
PRAGMA integrity_check;
