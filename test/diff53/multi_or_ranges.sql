-- A multi-index OR whose disjuncts are ranges, rowid ranges, LIKE/GLOB
-- prefixes or many equalities, costed as SQLite costs it against a scan;
-- a closed range is guessed at a 64th of the rows, a one-sided one at a
-- quarter; the rows found once each, and DELETE/UPDATE through such an OR.
CREATE TABLE t1(a INTEGER PRIMARY KEY, b, c, d, f TEXT);
WITH RECURSIVE n(i) AS (VALUES(1) UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO t1 SELECT i, i % 17, i * 3, i / 7.0, printf('%c%c%c', 97 + i % 26, 97 + i % 7, 97 + i % 5) FROM n;
CREATE INDEX t1b ON t1(b);
CREATE INDEX t1c ON t1(c);
CREATE INDEX t1d ON t1(d);
CREATE INDEX t1f ON t1(f);
EXPLAIN QUERY PLAN SELECT a FROM t1 WHERE b = 3 OR c > 550 ORDER BY a;
SELECT a FROM t1 WHERE b = 3 OR c > 550 ORDER BY a;
EXPLAIN QUERY PLAN SELECT a FROM t1 WHERE b = 3 OR c >= 550 OR c = 12 ORDER BY a;
SELECT a FROM t1 WHERE b = 3 OR c >= 550 OR c = 12 ORDER BY a;
EXPLAIN QUERY PLAN SELECT a FROM t1 WHERE (b = 3 OR c >= 550 OR c = 12 OR b > 15) ORDER BY a;
SELECT a FROM t1 WHERE (b = 3 OR c >= 550 OR c = 12 OR b > 15) ORDER BY a;
EXPLAIN QUERY PLAN SELECT a FROM t1 WHERE b BETWEEN 2 AND 4 OR c = 300 ORDER BY a;
SELECT a FROM t1 WHERE b BETWEEN 2 AND 4 OR c = 300 ORDER BY a;
EXPLAIN QUERY PLAN SELECT a FROM t1 WHERE (b BETWEEN 0 AND 1) OR (c BETWEEN 90 AND 99) ORDER BY a DESC;
SELECT a FROM t1 WHERE (b BETWEEN 0 AND 1) OR (c BETWEEN 90 AND 99) ORDER BY a DESC;
EXPLAIN QUERY PLAN SELECT a FROM t1 WHERE b = 5 OR (a BETWEEN 18 AND 25 AND a != 19) ORDER BY a;
SELECT a FROM t1 WHERE b = 5 OR (a BETWEEN 18 AND 25 AND a != 19) ORDER BY a;
EXPLAIN QUERY PLAN SELECT a FROM t1 WHERE a > 190 OR a < 4 OR b = 16 ORDER BY a;
SELECT a FROM t1 WHERE a > 190 OR a < 4 OR b = 16 ORDER BY a;
EXPLAIN QUERY PLAN SELECT a FROM t1 WHERE (d >= 3.0 AND d < 3.5) OR f GLOB 'ab*' OR f LIKE 'zc%' ORDER BY a;
SELECT a FROM t1 WHERE (d >= 3.0 AND d < 3.5) OR f GLOB 'ab*' OR f LIKE 'zc%' ORDER BY a;
EXPLAIN QUERY PLAN SELECT a FROM t1 WHERE (f GLOB '?bc*' AND f GLOB 'cb*') OR b = 1 ORDER BY a;
SELECT a FROM t1 WHERE (f GLOB '?bc*' AND f GLOB 'cb*') OR b = 1 ORDER BY a;
EXPLAIN QUERY PLAN SELECT a, b FROM t1 WHERE (b = 3 OR c > 580) AND d < 20 ORDER BY a;
SELECT a, b FROM t1 WHERE (b = 3 OR c > 580) AND d < 20 ORDER BY a;
EXPLAIN QUERY PLAN SELECT count(*) FROM t1 WHERE b = 1 OR b = 2 OR c < 30;
SELECT count(*) FROM t1 WHERE b = 1 OR b = 2 OR c < 30;
EXPLAIN QUERY PLAN SELECT a FROM t1 WHERE b = 2 OR c = 6 OR c = 6 OR b = 2 ORDER BY a;
SELECT a FROM t1 WHERE b = 2 OR c = 6 OR c = 6 OR b = 2 ORDER BY a;
EXPLAIN QUERY PLAN SELECT a FROM t1 WHERE a = 11 OR b = 11 OR a = 12 OR b = 12 OR a = 13 OR b = 13 OR a = 14 OR b = 14 OR a = 15 OR b = 15 OR a = 16 OR b = 16 OR a = 17 OR b = 17 OR a = 18 OR b = 18 OR a = 19 OR b = 19 OR a = 20 OR b = 20 OR a = 21 OR b = 21 OR a = 22 OR b = 22 OR a = 23 OR b = 23 OR a = 24 OR b = 24 OR a = 25 OR b = 25 OR a = 26 OR b = 26 OR a = 27 OR b = 27 ORDER BY a;
SELECT a FROM t1 WHERE a = 11 OR b = 11 OR a = 12 OR b = 12 OR a = 13 OR b = 13 OR a = 14 OR b = 14 OR a = 15 OR b = 15 OR a = 16 OR b = 16 OR a = 17 OR b = 17 OR a = 18 OR b = 18 OR a = 19 OR b = 19 OR a = 20 OR b = 20 OR a = 21 OR b = 21 OR a = 22 OR b = 22 OR a = 23 OR b = 23 OR a = 24 OR b = 24 OR a = 25 OR b = 25 OR a = 26 OR b = 26 OR a = 27 OR b = 27 ORDER BY a;
EXPLAIN QUERY PLAN SELECT a FROM t1 WHERE c = 3 OR b BETWEEN 3 AND 4 OR d BETWEEN 10 AND 11 OR a BETWEEN 100 AND 104 OR f GLOB 'q*' ORDER BY a;
SELECT a FROM t1 WHERE c = 3 OR b BETWEEN 3 AND 4 OR d BETWEEN 10 AND 11 OR a BETWEEN 100 AND 104 OR f GLOB 'q*' ORDER BY a;
EXPLAIN QUERY PLAN SELECT x.a, y.a FROM t1 AS x, t1 AS y WHERE x.a = 5 AND (y.b = x.b OR y.c > 590) ORDER BY 1, 2;
SELECT x.a, y.a FROM t1 AS x, t1 AS y WHERE x.a = 5 AND (y.b = x.b OR y.c > 590) ORDER BY 1, 2;
UPDATE t1 SET f = 'upd' WHERE b = 4 OR a > 195 OR a < 3;
EXPLAIN QUERY PLAN SELECT a, f FROM t1 WHERE f = 'upd' ORDER BY a;
SELECT a, f FROM t1 WHERE f = 'upd' ORDER BY a;
DELETE FROM t1 WHERE b = 6 OR c > 570 OR a BETWEEN 20 AND 23;
EXPLAIN QUERY PLAN SELECT count(*), sum(a) FROM t1;
SELECT count(*), sum(a) FROM t1;
EXPLAIN QUERY PLAN SELECT a FROM t1 WHERE b = 6 OR c > 570 OR a BETWEEN 20 AND 23;
SELECT a FROM t1 WHERE b = 6 OR c > 570 OR a BETWEEN 20 AND 23;
-- A comparison of two columns is sought by the other table through its
-- copy turned round, which SQLite appends after the parts of the OR: its
-- number ("INDEX n") and the order its rows come in follow.
CREATE TABLE t2(g, h, k);
CREATE INDEX t2g ON t2(g);
CREATE INDEX t2h ON t2(h);
INSERT INTO t2 SELECT a % 9, b % 5, a FROM t1 WHERE a < 60;
EXPLAIN QUERY PLAN SELECT a, g, k FROM t1, t2 WHERE (a = g OR b = h) AND a < 5;
SELECT a, g, k FROM t1, t2 WHERE (a = g OR b = h) AND a < 5;
EXPLAIN QUERY PLAN SELECT a, g, k FROM t1, t2 WHERE (g = a OR b = h OR t2.k = 7) AND a < 4;
SELECT a, g, k FROM t1, t2 WHERE (g = a OR b = h OR t2.k = 7) AND a < 4;
EXPLAIN QUERY PLAN SELECT a, g, k FROM t1, t2 WHERE (a = g OR h = b OR k > 50) AND a < 3;
SELECT a, g, k FROM t1, t2 WHERE (a = g OR h = b OR k > 50) AND a < 3;
