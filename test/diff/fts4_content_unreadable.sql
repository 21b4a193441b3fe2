-- An fts4 table whose content table cannot be read (itself, a missing table) fails its
-- reads with SQLite's plain 'SQL logic error'.
CREATE VIRTUAL TABLE t1 USING fts4(a, content=t1 );INSERT INTO t1(rowid, a) VALUES(1, 'abc');
SELECT * FROM t1;
SELECT count(*) FROM t1;
create virtual table t5 using fts4(a, content=nosuch);
select * from t5;
