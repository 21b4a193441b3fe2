-- PRAGMA locking_mode on the (memory) main database: a query reports the
-- mode last asked for, a change reports the database's mode (always
-- exclusive for a memory database), an unknown mode is a query.
PRAGMA locking_mode;
PRAGMA locking_mode = EXCLUSIVE;
PRAGMA locking_mode;
CREATE TABLE t(x);
INSERT INTO t VALUES(1);
PRAGMA locking_mode = normal;
PRAGMA locking_mode;
PRAGMA locking_mode = bogus;
PRAGMA locking_mode = 'Exclusive';
PRAGMA locking_mode;
SELECT x FROM t;
