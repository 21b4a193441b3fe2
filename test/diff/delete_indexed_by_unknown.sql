-- DELETE ... INDEXED BY an index the table does not have fails also without a WHERE
-- clause (when the table would be emptied at once), and deletes nothing.
CREATE TABLE t(a INTEGER PRIMARY KEY, b);
INSERT INTO t VALUES(1,1);
DELETE FROM t INDEXED BY nosuch;
UPDATE t INDEXED BY nosuch SET b = 2;
SELECT * FROM t INDEXED BY nosuch;
DELETE FROM t INDEXED BY nosuch WHERE b=1;
SELECT count(*) FROM t INDEXED BY nosuch;
SELECT count(*) FROM t;
CREATE INDEX tb ON t(b);
DELETE FROM t INDEXED BY tb;
SELECT count(*) FROM t;
CREATE TABLE u(x);
INSERT INTO u VALUES(1);
DELETE FROM u INDEXED BY tb;
SELECT count(*) FROM u;
