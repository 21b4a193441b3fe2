-- count, sum, min, max, avg over tables with NULLs, empty tables, mixed types.
CREATE TABLE g(a INTEGER, b REAL, c TEXT);
SELECT count(*), count(a), sum(a), min(a), max(a), avg(a) FROM g;
SELECT typeof(sum(a)), typeof(avg(a)), typeof(count(*)) FROM g;
INSERT INTO g VALUES (1, 1.5, 'x'), (2, NULL, 'y'), (NULL, 2.5, NULL), (4, -1.0, 'a'), (NULL, NULL, NULL);
SELECT count(*), count(a), count(b), count(c) FROM g;
SELECT sum(a), sum(b), min(a), max(a), min(b), max(b), min(c), max(c) FROM g;
SELECT avg(a), avg(b), typeof(sum(a)), typeof(sum(b)), typeof(avg(a)) FROM g;
SELECT count(*) FROM g WHERE a IS NULL;
SELECT sum(a) FROM g WHERE a > 100;
SELECT total(a) FROM g WHERE a > 100;
SELECT sum(a) + 1, max(a) * 2, count(*) - count(a) FROM g;
CREATE TABLE m(v);
INSERT INTO m VALUES (1), (2.5), ('3'), ('abc'), (x'01'), (NULL);
SELECT count(v), min(v), max(v), typeof(min(v)), typeof(max(v)) FROM m;
SELECT sum(v), avg(v) FROM m WHERE typeof(v) IN ('integer', 'real');
CREATE TABLE big(v INTEGER);
INSERT INTO big VALUES (9223372036854775807), (1);
SELECT sum(v) FROM big;
SELECT avg(v) FROM big;
SELECT count(*) FROM big WHERE v > 0;
-- min() and max() compare in their argument's collation (the first argument that has one).
CREATE TABLE mm(g, c COLLATE NOCASE, d);
INSERT INTO mm VALUES (1, 'a', 'x'), (1, 'B', 'Y');
SELECT max(c), min(c) FROM mm;
SELECT max(c) FROM mm GROUP BY g;
SELECT max(d), max(d COLLATE NOCASE), min(c, d), max('a' COLLATE NOCASE, 'B'), max(c COLLATE BINARY) FROM mm;
SELECT max(c, d) FROM mm;
