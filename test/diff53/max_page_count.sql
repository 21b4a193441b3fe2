-- PRAGMA max_page_count: 4294967294 by default; setting it answers the new
-- limit, never below the current page count; 0 only reads it; a write that
-- needs a page past the limit fails with SQLITE_FULL.
PRAGMA max_page_count;
PRAGMA max_page_count = 0;
PRAGMA max_page_count = 99999999999;
PRAGMA max_page_count = -5;
PRAGMA max_page_count = '12';
PRAGMA max_page_count;
CREATE TABLE t(x);
PRAGMA page_count;
PRAGMA max_page_count = 1;
PRAGMA max_page_count = 3;
INSERT INTO t VALUES (randomblob(3000));
INSERT INTO t VALUES (randomblob(3000));
INSERT INTO t VALUES (randomblob(3000));
SELECT count(*) FROM t;
CREATE TABLE u(y);
PRAGMA max_page_count = 100;
CREATE TABLE u(y);
SELECT count(*) FROM sqlite_schema;
