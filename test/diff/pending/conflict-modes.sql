-- Conflict resolution that Lode does not match yet (found by test/js/diff-indexes.test.mjs).
-- OR FAIL keeps the rows the statement changed before the failing one; OR ROLLBACK ends the transaction.
CREATE TABLE fl(a UNIQUE);
INSERT OR FAIL INTO fl VALUES (1), (2), (1), (3);
SELECT a FROM fl ORDER BY a;
BEGIN;
INSERT INTO fl VALUES (10);
INSERT OR ROLLBACK INTO fl VALUES (11), (1);
SELECT a FROM fl ORDER BY a;
COMMIT;
-- A failed statement leaves changes() at 0.
INSERT INTO fl VALUES (20);
INSERT INTO fl VALUES (21), (1);
SELECT changes();
-- A STRICT table's PRIMARY KEY column is NOT NULL.
CREATE TABLE sp(k TEXT PRIMARY KEY, v INT) STRICT;
INSERT INTO sp VALUES (NULL, 1);
PRAGMA table_info(sp);
