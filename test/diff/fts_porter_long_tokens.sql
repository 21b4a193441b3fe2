-- The porter tokenizer keeps a token it does not stem (not 3 to 20 letters) as SQLite's
-- does, which is what an index SQLite wrote holds: short ones whole, long ones as their
-- first and last 10 bytes, or 3 when the token has a digit.
CREATE VIRTUAL TABLE t1 USING fts3(content, tokenize porter);
INSERT INTO t1(rowid, content) VALUES(1, 'running and jumping');
INSERT INTO t1(rowid, content) VALUES(2, 'abcdefghijklmnopqrstuvwyxz');
INSERT INTO t1(rowid, content) VALUES(3, 'The value is 123456789');
INSERT INTO t1(rowid, content) VALUES(4, 'id A1B2C3D4E5 and x9 and 12345 and 1234567');
INSERT INTO t1(rowid, content) VALUES(5, 'supercalifragilisticexpialidocious words');
SELECT rowid FROM t1 WHERE t1 MATCH 'run jump';
SELECT rowid FROM t1 WHERE t1 MATCH 'abcdefghijqrstuvwyxz';
SELECT rowid FROM t1 WHERE t1 MATCH 'abcdefghijXXXXqrstuvwyxz';
SELECT rowid, snippet(t1) FROM t1 WHERE t1 MATCH '123789';
SELECT rowid FROM t1 WHERE t1 MATCH '123000000789';
SELECT rowid FROM t1 WHERE t1 MATCH 'a1bd4e5';
SELECT rowid FROM t1 WHERE t1 MATCH '12345';
SELECT rowid FROM t1 WHERE t1 MATCH '123567';
SELECT rowid FROM t1 WHERE t1 MATCH 'x9';
SELECT rowid FROM t1 WHERE t1 MATCH 'supercalifragilisticexpialidocious';
SELECT rowid FROM t1 WHERE t1 MATCH 'supercaliflidocious';
