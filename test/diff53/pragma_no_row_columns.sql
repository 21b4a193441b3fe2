-- PRAGMA optimize, and PRAGMA mmap_size on a memory database, answer with a result column and no row, as in SQLite.
CREATE TABLE t(a);
CREATE INDEX ta ON t(a);
PRAGMA optimize;
PRAGMA main.optimize;
PRAGMA optimize(0x10002);
PRAGMA mmap_size;
PRAGMA mmap_size = 4096;
PRAGMA mmap_size;
SELECT count(*) FROM t;
