-- min()/max() with FILTER: never answered from an index's first entry (which
-- may not pass the filter); bare columns follow the last min()/max() that looks
-- at the row (a filtered-out one does not, unless every one has a FILTER).
CREATE TABLE t1(a);
CREATE INDEX i1 ON t1(a);
INSERT INTO t1 VALUES(1), (2), (3), (4), (5), (6), (7), (8), (9);
SELECT max(a) FILTER (WHERE (a % 2)==0) FROM t1;
SELECT min(a) FILTER (WHERE a>4) FROM t1;
SELECT max(a) FILTER (WHERE a<0) FROM t1;
CREATE TABLE t2(a INTEGER PRIMARY KEY, b);
INSERT INTO t2 VALUES(321, 100000), (111, 110000), (444, 120000), (222, 130000);
SELECT max(a), max(a) FILTER (WHERE b<12345), b FROM t2;
SELECT max(a) FILTER (WHERE b<12345), max(a), b FROM t2;
SELECT max(b) FILTER (WHERE a < 300), b, a FROM t2;
SELECT min(a) FILTER (WHERE b > 100000), a, b FROM t2;
SELECT max(a) FILTER (WHERE b<0), b FROM t2;
SELECT max(a) FILTER (WHERE b<0), min(a) FILTER (WHERE b < 0), b FROM t2;
SELECT max(a) FILTER (WHERE b>115000), b FROM t2;
SELECT min(a) FILTER (WHERE b>105000), max(a) FILTER (WHERE b < 105000), b FROM t2;
SELECT max(a) FILTER (WHERE b>0), min(b) FILTER (WHERE a<300), a FROM t2;
SELECT max(a) FILTER (WHERE b>0), min(b) FILTER (WHERE a<300), a FROM t2;
SELECT max(a), min(b) FILTER (WHERE a<300), a FROM t2;
SELECT min(b) FILTER (WHERE a<300), max(a), a FROM t2;
SELECT max(a), min(b), a FROM t2;
SELECT min(b), max(a), a FROM t2;
SELECT min(b) FILTER (WHERE a<300), a FROM t2;
SELECT max(a) FILTER (WHERE a<300), min(b), a FROM t2;
SELECT max(a) FILTER (WHERE a<300), a FROM t2;
SELECT max(a) FILTER (WHERE a>300), min(b) FILTER (WHERE a<300), a FROM t2;
CREATE TABLE g(k, a, b);
INSERT INTO g VALUES (1, 5, 'x'), (1, 9, 'y'), (1, 7, 'z'), (2, 3, 'p'), (2, 8, 'q'), (2, 1, 'r');
SELECT k, max(a) FILTER (WHERE a < 8), b FROM g GROUP BY k ORDER BY k;
SELECT k, max(a), min(a) FILTER (WHERE b > 'p'), b FROM g GROUP BY k ORDER BY k;
SELECT k, min(a) FILTER (WHERE a > 100), b FROM g GROUP BY k ORDER BY k;
