-- A virtual table column declared "name HIDDEN" keeps the affinity of that whole type
-- (NUMERIC), as in SQLite: fts4's docid compares with a text operand as a number.
CREATE VIRTUAL TABLE t1 USING fts4(x);
INSERT INTO t1(docid, x) VALUES (0, 'a'), (1, 'a'), (5, 'b'), (7, 'c'), (30, 'd');
SELECT docid FROM t1 WHERE docid < '5';
SELECT docid FROM t1 WHERE docid >= '7' ORDER BY docid;
SELECT docid, docid < '5', docid = '30', x < 5 FROM t1 ORDER BY docid;
SELECT rowid FROM t1 WHERE rowid < '5';
SELECT count(*) FROM t1 WHERE docid IN ('1', '5', 'x');
SELECT key, json < 5 FROM json_each('[1,2]');
