-- An ORDER BY term that is a result column sorts by that column's own value: random() is called once per row for both.
CREATE TABLE t1(a);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<50) INSERT INTO t1 SELECT x FROM c;
CREATE TABLE r1 AS SELECT random() AS y FROM t1 ORDER BY 1;
SELECT count(*) FROM r1 AS a JOIN r1 AS b ON b.rowid = a.rowid + 1 WHERE b.y < a.y;
CREATE TABLE r2 AS SELECT random() AS y FROM t1 ORDER BY random();
SELECT count(*) FROM r2 AS a JOIN r2 AS b ON b.rowid = a.rowid + 1 WHERE b.y < a.y;
CREATE TABLE r3 AS SELECT random() AS y FROM t1 ORDER BY y DESC;
SELECT count(*) FROM r3 AS a JOIN r3 AS b ON b.rowid = a.rowid + 1 WHERE b.y > a.y;
CREATE TABLE r4 AS SELECT a, abs(random()) % 1000 AS y FROM t1 ORDER BY 2 COLLATE nocase, 1;
SELECT count(*) FROM r4 AS a JOIN r4 AS b ON b.rowid = a.rowid + 1 WHERE b.y < a.y;
SELECT a % 7 AS m, a FROM t1 ORDER BY m, a DESC LIMIT 5;
SELECT a FROM t1 ORDER BY a % 3 COLLATE nocase, 1 LIMIT 4;
SELECT a % 5, count(*) FROM t1 GROUP BY a % 5 ORDER BY count(*) DESC, a % 5;
