-- The %_segdir rows an fts4 table's changes leave are sqlite3's: pending terms are kept over the
-- statements of a transaction and written at COMMIT, at each SAVEPOINT (what a ROLLBACK TO undoes
-- is only what came after) and before an UPDATE or DELETE of several rows;
-- a level holding 16 segments merges into the next only when a 17th comes; a large new segment
-- brings smaller ones of higher levels down to its level; deleting the last row empties the index.
CREATE VIRTUAL TABLE t USING fts4(a);
BEGIN;
INSERT INTO t VALUES('one two');
INSERT INTO t VALUES('two three');
SELECT count(*) FROM t WHERE t MATCH 'two';
SELECT level, idx, end_block FROM t_segdir;
COMMIT;
SELECT level, idx, end_block, hex(root) FROM t_segdir;
BEGIN;
INSERT INTO t VALUES('four');
SAVEPOINT s;
INSERT INTO t VALUES('five');
ROLLBACK TO s;
INSERT INTO t VALUES('six');
RELEASE s;
COMMIT;
SELECT level, idx, end_block, hex(root) FROM t_segdir;
SELECT docid FROM t WHERE t MATCH 'four OR five OR six';
BEGIN;
INSERT INTO t VALUES('seven');
INSERT INTO t VALUES('eight');
UPDATE t SET a = 'nine' WHERE docid > 5;
INSERT INTO t VALUES('ten');
COMMIT;
SELECT level, idx, end_block, hex(root) FROM t_segdir;
INSERT INTO t VALUES('a1'); INSERT INTO t VALUES('a2'); INSERT INTO t VALUES('a3'); INSERT INTO t VALUES('a4');
INSERT INTO t VALUES('a5'); INSERT INTO t VALUES('a6'); INSERT INTO t VALUES('a7'); INSERT INTO t VALUES('a8');
INSERT INTO t VALUES('a9'); INSERT INTO t VALUES('a10');
SELECT level, count(*) FROM t_segdir GROUP BY level;
INSERT INTO t VALUES('a11');
SELECT level, count(*) FROM t_segdir GROUP BY level;
INSERT INTO t SELECT 'w' || value || ' filler text ' || (value % 13) FROM generate_series(1, 60);
SELECT level, idx, end_block FROM t_segdir;
SELECT count(*) FROM t WHERE t MATCH 'filler';
INSERT INTO t(t) VALUES('integrity-check');
DELETE FROM t;
SELECT count(*) FROM t_segdir;
SELECT count(*) FROM t_docsize;
SELECT hex(value) FROM t_stat;
INSERT INTO t VALUES('again');
SELECT level, idx, end_block, hex(root) FROM t_segdir;
