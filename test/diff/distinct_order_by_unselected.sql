-- SELECT DISTINCT with an ORDER BY term outside the result: a repeated row is dropped before the sort, so each
-- distinct row sorts by the term's value in the first of its equal rows that the scan meets.
CREATE TABLE d(a INTEGER, b INTEGER, c TEXT);
INSERT INTO d VALUES (1, 5, 'x'), (2, 1, 'X'), (1, 0, 'y'), (3, 3, 'x'), (2, 9, 'Y'), (4, 5, NULL), (NULL, 2, 'x');
SELECT DISTINCT a FROM d ORDER BY b;
SELECT DISTINCT a FROM d ORDER BY b DESC;
SELECT DISTINCT a FROM d ORDER BY -b, 1;
SELECT DISTINCT a / 2 FROM d ORDER BY b;
SELECT DISTINCT c FROM d ORDER BY b DESC LIMIT 2 OFFSET 1;
SELECT DISTINCT c COLLATE nocase FROM d ORDER BY b;
SELECT DISTINCT a % 2, c FROM d ORDER BY b, a;
SELECT DISTINCT count(*) FROM d GROUP BY a ORDER BY max(b);
SELECT DISTINCT count(*) FROM d GROUP BY a ORDER BY min(b) DESC;
SELECT * FROM (SELECT DISTINCT a FROM d WHERE b > 0 ORDER BY b DESC LIMIT 3);
-- Through an index, the scan's order decides which row comes first.
CREATE INDEX d_c ON d(c);
SELECT DISTINCT a FROM d WHERE c > 'A' ORDER BY b;
