-- Which of several equal rows a UNION, INTERSECT or EXCEPT keeps, when equal rows differ in case (under NOCASE or
-- RTRIM) or in storage class (2 and 2.0). SQLite 3.53 merges the sides: each side keeps its first such row, and on a
-- tie between the sides UNION takes the right side's. SQLite 3.40 kept the last row instead, so these live here.
CREATE TABLE words(w TEXT COLLATE NOCASE, seq INTEGER);
INSERT INTO words VALUES ('Pear', 1), ('pear', 2), ('PLUM', 3), ('plum', 4), ('fig', 5), ('FIG', 6);
SELECT w FROM words UNION SELECT 'kiwi';
SELECT 'kiwi' UNION SELECT w FROM words;
SELECT w FROM words UNION SELECT 'Fig';
SELECT w FROM words WHERE seq > 4 UNION SELECT w FROM words;
SELECT w FROM words UNION SELECT w FROM words WHERE seq > 4;
SELECT w FROM words UNION ALL SELECT 'kiwi' UNION SELECT 'PEAR';
SELECT w FROM words INTERSECT SELECT 'Plum';
SELECT 'Plum' INTERSECT SELECT w FROM words;
SELECT w FROM words EXCEPT SELECT 'fig';
SELECT w FROM words UNION SELECT 'kiwi' ORDER BY 1 DESC;
SELECT count(*), group_concat(w, ',') FROM (SELECT w FROM words UNION SELECT 'kiwi');
SELECT w FROM words UNION SELECT w FROM words UNION SELECT 'pLUM';
CREATE TABLE nums(x);
INSERT INTO nums VALUES (1), (1.0), (2.0), (2), (3);
SELECT x, typeof(x) FROM nums UNION SELECT 3.0, 'real';
SELECT x FROM nums UNION SELECT 9;
SELECT x FROM nums INTERSECT SELECT x FROM nums;
SELECT x FROM nums EXCEPT SELECT 3;
SELECT 2 UNION SELECT x FROM nums;
SELECT 1.0 UNION SELECT 1;
SELECT 1 INTERSECT SELECT 1.0;
CREATE TABLE pads(n TEXT COLLATE NOCASE, b TEXT, r TEXT COLLATE RTRIM);
INSERT INTO pads VALUES ('abc', 'ABC', 'x '), ('ABC', 'abc', 'x'), ('Def', 'def', 'y  ');
SELECT n FROM pads UNION SELECT b FROM pads;
SELECT n FROM pads INTERSECT SELECT b FROM pads;
SELECT r FROM pads INTERSECT SELECT 'x';
SELECT quote(r) FROM (SELECT r FROM pads UNION SELECT 'y');
