-- A clause naming an index an earlier clause names is passed over when the
-- rowid check finds its turn (SQLite 3.40 replaced the row here; 3.53 does not).
CREATE TABLE t2(e UNIQUE, d UNIQUE, c UNIQUE, a INTEGER PRIMARY KEY, b);
INSERT INTO t2(a,b,c,d,e) VALUES(1,2,3,4,5);
INSERT INTO t2(a,b,c,d,e) VALUES(1,NULL,93,94,95) ON CONFLICT(c) DO UPDATE SET b='c' ON CONFLICT(c) DO UPDATE SET b='c2' ON CONFLICT(a) DO UPDATE SET b='a';
SELECT a,b,c,d,e FROM t2;
