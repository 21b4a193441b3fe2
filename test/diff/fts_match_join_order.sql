-- A MATCH whose query is another table's column (ft MATCH t.q) searches the fts table
-- once per row of that table, whatever the FROM order: a scan of the fts table cannot
-- answer MATCH, so the table goes after the ones its query reads.
CREATE VIRTUAL TABLE ft1 USING fts4(x);
INSERT INTO ft1 VALUES('aaa aaa');
INSERT INTO ft1 VALUES('aaa bbb');
INSERT INTO ft1 VALUES('bbb aaa');
INSERT INTO ft1 VALUES('bbb bbb');
CREATE TABLE t1(id, y);
INSERT INTO t1 VALUES(1, 'aaa');
INSERT INTO t1 VALUES(2, 'bbb');
SELECT docid FROM ft1, t1 WHERE ft1 MATCH y AND id=1 ORDER BY docid;
SELECT docid, id FROM ft1 JOIN t1 ON ft1 MATCH t1.y ORDER BY id, docid;
SELECT id, docid FROM ft1, t1 WHERE x MATCH y AND id=2 ORDER BY docid;
SELECT count(*) FROM t1, ft1 WHERE ft1 MATCH y;
CREATE VIRTUAL TABLE ft2 USING fts4(x);
CREATE VIRTUAL TABLE ft3 USING fts4(y);
INSERT INTO ft2 VALUES('abc');
INSERT INTO ft2 VALUES('def');
INSERT INTO ft3 VALUES('ghi');
INSERT INTO ft3 VALUES('abc');
SELECT * FROM ft2, ft3 WHERE x MATCH y;
SELECT * FROM ft2, ft3 WHERE y MATCH x;
SELECT * FROM ft3, ft2 WHERE x MATCH y;
