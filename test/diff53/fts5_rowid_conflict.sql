-- An INSERT with a rowid already in an fts5 table: refused before anything of it is indexed (the content
-- table's own insert finds the row), OR IGNORE skips the row, and a replacement still replaces; the shadow
-- tables stay SQLite's.
CREATE VIRTUAL TABLE t USING fts5(a, b);
INSERT INTO t(rowid, a, b) VALUES(1, 'x y', 'z');
INSERT INTO t(rowid, a, b) VALUES(1, 'y', 'q');
SELECT rowid, a, b FROM t;
SELECT rowid FROM t('y');
SELECT rowid FROM t('q');
INSERT INTO t(rowid, a, b) VALUES(2, 'w', 'v');
INSERT INTO t(rowid, a) VALUES(2, 'q');
SELECT rowid, a, b FROM t ORDER BY rowid;
SELECT rowid FROM t('q OR w OR v');
INSERT OR IGNORE INTO t(rowid, a, b) VALUES(2, 'ignored', 'i'), (3, 'kept', 'k'), (1, 'ignored', 'j');
SELECT rowid, a, b FROM t ORDER BY rowid;
SELECT rowid FROM t('ignored OR kept OR i OR j');
INSERT OR REPLACE INTO t(rowid, a, b) VALUES(1, 'q', 'r');
SELECT rowid, a, b FROM t ORDER BY rowid;
SELECT rowid FROM t('q');
SELECT rowid FROM t('x');
INSERT INTO t(t) VALUES('integrity-check');
SELECT id, hex(block) FROM t_data ORDER BY id;
SELECT segid, hex(term), pgno FROM t_idx ORDER BY segid, term;
SELECT id, hex(sz) FROM t_docsize ORDER BY id;
