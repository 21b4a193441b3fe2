-- fts4(content=xxx) that names no column takes the columns of table xxx (notindexed=
-- may name them); a missing content table is refused at CREATE.
CREATE TABLE cc(a, b, c);
CREATE VIRTUAL TABLE t9 USING fts4(notindexed=a, content=cc);
CREATE VIRTUAL TABLE t8 USING fts4(notindexed=d, content=cc);
CREATE TABLE c1(a, b, c);
INSERT INTO c1 VALUES('one two', 'three four', 'five six');
INSERT INTO c1 VALUES('three four', 'five six', 'one two');
CREATE VIRTUAL TABLE t1 USING fts4(content=c1, notindexed=b);
INSERT INTO t1(docid, a, b, c) VALUES(1, 'one two', 'three four', 'five six');
INSERT INTO t1(docid, a, b, c) VALUES(2, 'three four', 'five six', 'one two');
SELECT docid FROM t1 WHERE t1 MATCH 'one';
SELECT docid FROM t1 WHERE t1 MATCH 'three';
SELECT docid FROM t1 WHERE t1 MATCH 'five';
SELECT * FROM t1 WHERE t1 MATCH 'two' ORDER BY docid;
SELECT name FROM pragma_table_info('t1');
CREATE VIRTUAL TABLE t2 USING fts4(content=nosuch);
