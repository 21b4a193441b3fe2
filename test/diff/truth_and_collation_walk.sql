-- "x IS TRUE" / "x IS FALSE" test the truth value of x (NULL is neither),
-- they do not compare x with 1 or 0.
SELECT 2 IS TRUE, 2 IS NOT TRUE, 0 IS FALSE, 0 IS NOT FALSE, NULL IS TRUE, NULL IS NOT TRUE, NULL IS FALSE, NULL IS NOT FALSE;
SELECT (1 IN (2 IS TRUE)), 1 = (5 IS TRUE), 'abc' IS FALSE, '1x' IS TRUE, 0.5 IS TRUE, x'31' IS TRUE;
CREATE TABLE tv(x); INSERT INTO tv VALUES(NULL),(0),(1),(2),('abc'),('1x'),(0.5),(-0.0);
SELECT x, x IS TRUE, x IS NOT TRUE, x IS FALSE, x IS NOT FALSE FROM tv;
SELECT count(*) FROM tv WHERE x IS TRUE;
SELECT count(*) FROM tv WHERE x IS NOT TRUE;
SELECT count(*) FROM tv WHERE NOT (x IS FALSE);
SELECT x FROM tv WHERE x IS TRUE ORDER BY x;
SELECT CASE WHEN x IS FALSE THEN 'f' WHEN x IS TRUE THEN 't' ELSE 'n' END FROM tv;
-- A column named "true" is a column, not the literal.
CREATE TABLE tn("true", y); INSERT INTO tn VALUES(5, 5), (1, 2);
SELECT y IS true, y IS NOT "true" FROM tn;
-- Leading zeros do not change the one negative literal whose digits overflow.
SELECT typeof(-00000009223372036854775808), -00000009223372036854775808, typeof(-0009223372036854775809);
-- A column's collation reaches through unary + and CAST.
CREATE TABLE tc(b COLLATE nocase); INSERT INTO tc VALUES('ab'),('AB'),('aB'),('Ab'),('b'),('B'),('a');
SELECT b FROM tc WHERE +b = 'ab';
SELECT b FROM tc WHERE CAST(b AS TEXT) = 'ab';
SELECT b FROM tc ORDER BY +b;
SELECT min(+b), max(CAST(b AS TEXT)) FROM tc;
SELECT DISTINCT +b FROM tc;
SELECT count(*) FROM tc GROUP BY CAST(b AS TEXT);
-- A COLLATE inside an operand gives the whole expression its collation.
SELECT ('A' COLLATE nocase || '') = 'a', 'a' = ('A' COLLATE nocase || ''), ('x' || b) = 'xab' FROM tc LIMIT 1;
SELECT lower('X') = upper('x' COLLATE nocase), 'B' BETWEEN 'a' COLLATE nocase AND 'c';
SELECT CASE WHEN 1 THEN 'A' COLLATE nocase END = 'a', coalesce(NULL, 'A' COLLATE nocase) = 'a';
-- In a compound's ORDER BY the outermost of several COLLATE clauses counts.
SELECT 'abc' UNION ALL SELECT 'DEF' ORDER BY 1 COLLATE nocase COLLATE nocase COLLATE nocase;
SELECT 'abc' UNION ALL SELECT 'DEF' ORDER BY 1 COLLATE nocase COLLATE binary;
SELECT 'abc' AS x UNION ALL SELECT 'DEF' ORDER BY x COLLATE binary COLLATE nocase;
SELECT 'abc' AS x UNION ALL SELECT 'DEF' ORDER BY 3 COLLATE nocase COLLATE binary;
