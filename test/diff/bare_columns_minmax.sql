-- Bare columns with several min()/max(): the last of them to look at a row decides.
CREATE TABLE t2(a,b,c);
INSERT INTO t2 VALUES (1,null,2),(1,2,3),(1,1,4),(2,3,5);
SELECT a, min(b), max(b), c FROM t2 GROUP BY a ORDER BY a;
SELECT a, max(b), min(b), c FROM t2 GROUP BY a ORDER BY a;
SELECT a, max(b), c, min(b) FROM t2 GROUP BY a ORDER BY a;
SELECT a, c, max(b) FROM t2 GROUP BY a HAVING min(b) > 0 ORDER BY a;
SELECT a, c, min(b) FROM t2 GROUP BY a ORDER BY max(b), a;
SELECT min(b), max(c), c FROM t2;
SELECT max(c), min(b), c FROM t2;
SELECT min(b), c, max(b) FILTER (WHERE b < 2) FROM t2;
CREATE TABLE t3(g, x, y, z);
INSERT INTO t3 VALUES (1, NULL, NULL, 'a'), (1, 5, NULL, 'b'), (1, NULL, 7, 'c'), (1, 5, 7, 'd'), (1, 9, 1, 'e'),
  (2, NULL, NULL, 'f'), (2, NULL, NULL, 'g'), (3, 2, 2, 'h'), (3, 2, 3, 'i'), (3, 1, 3, 'j');
SELECT g, min(x), max(y), z FROM t3 GROUP BY g;
SELECT g, max(y), min(x), z FROM t3 GROUP BY g;
SELECT g, max(x) FILTER (WHERE y > 1), z FROM t3 GROUP BY g;
SELECT g, min(y), max(x) FILTER (WHERE y > 1), z FROM t3 GROUP BY g;
SELECT g, max(x) FILTER (WHERE y > 1), min(y), z FROM t3 GROUP BY g;
SELECT g, count(*), sum(x), z FROM t3 GROUP BY g;
SELECT min(x), max(x), min(y), z FROM t3;
SELECT g, z, max(x COLLATE NOCASE) FROM t3 GROUP BY g;
