-- last_insert_rowid() after INSERT into an fts4 table is the new row's docid, also
-- when the index's pending terms are written out at COMMIT (its own rows must not count).
CREATE VIRTUAL TABLE t1 USING fts4(str);
INSERT INTO t1 VALUES('one string');
INSERT INTO t1 VALUES('two string');
SELECT last_insert_rowid();
INSERT INTO t1(rowid, str) VALUES(-22, 'some more text');
SELECT last_insert_rowid();
BEGIN;
INSERT INTO t1(rowid, str) VALUES(45, 'x y');
INSERT INTO t1(rowid, str) VALUES(222, 'y z');
SELECT last_insert_rowid();
COMMIT;
SELECT last_insert_rowid();
CREATE TABLE x1(x);
INSERT INTO x1 VALUES('john'), ('paul'), ('george'), ('ringo');
INSERT INTO t1 SELECT x FROM x1;
SELECT last_insert_rowid();
INSERT INTO t1(rowid, str) SELECT rowid+10, x FROM x1;
SELECT last_insert_rowid();
INSERT INTO t1(docid, str) VALUES(500, 'docid given');
SELECT last_insert_rowid();
SELECT count(*) FROM t1 WHERE t1 MATCH 'string';
