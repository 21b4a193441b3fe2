-- A multi-index OR gives its rows in the order its disjuncts find them (each row once), as SQLite's loop does.
CREATE TABLE t(i, j, k, m, n);
CREATE INDEX ijk ON t(i, j, k);
CREATE INDEX jmn ON t(j, m, n);
INSERT INTO t VALUES (3, 3, 'three', 3, 'tres'), (2, 2, 'two', 2, 'dos'), (1, 1, 'one', 1, 'uno'), (4, 4, 'four', 4, 'cuatro');
SELECT k FROM t WHERE (i = 1 AND j = 1) OR (i = 2 AND j = 2);
SELECT k, n FROM t WHERE (i = 1 AND j = 1) OR (i = 2 AND j = 2);
SELECT k FROM t WHERE (i = 1 AND j = 1) OR (i = 2 AND j = 2) OR (i = 3 AND j = 3);
SELECT k FROM t WHERE (i = 1 AND j = 1) OR (j = 2 AND m = 2) OR (i = 3 AND j = 3);
SELECT k FROM t WHERE i = 3 OR j = 2 OR i = 1 OR rowid = 4;
SELECT k FROM t WHERE i = 1 OR j = 1 OR i = 2;
SELECT rowid, k FROM t WHERE i = 1 OR j = 2 OR i = 3 ORDER BY rowid;
SELECT rowid, k FROM t WHERE i = 1 OR j = 2 OR i = 3 ORDER BY rowid DESC;
SELECT a.k, b.k FROM t AS a, t AS b WHERE a.i = b.j + 1 AND (b.i = 2 OR b.j = 1);
SELECT k FROM t WHERE (i = 4 OR j = 1) AND k > 'a';
SELECT count(*) FROM t WHERE i = 1 OR j = 1 OR i = 1;
