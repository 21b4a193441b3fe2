-- A LIKE prefix narrows an index range on a column of TEXT affinity, and on one of another affinity (which may
-- hold numbers, kept before all text in the index) only when the prefix does not read as a number, nor does
-- with its last character raised
CREATE TABLE r(x REAL UNIQUE COLLATE NOCASE);
INSERT INTO r VALUES(1e999), (12), ('abc'), ('ABD'), ('12x'), (-3);
CREATE TABLE b(x BLOB UNIQUE COLLATE NOCASE);
INSERT INTO b VALUES(1e999), (12), ('abc'), (-5), ('1abc'), ('/x'), ('.5a'), (' 1z'), (x'616263'), ('ABZ');
CREATE TABLE n(x NUMERIC UNIQUE COLLATE NOCASE);
INSERT INTO n VALUES('abc'), ('12'), ('12a'), ('-'), ('-x');
EXPLAIN QUERY PLAN SELECT x FROM r WHERE x LIKE 'inf%';
EXPLAIN QUERY PLAN SELECT x FROM r WHERE x LIKE 'ab%';
EXPLAIN QUERY PLAN SELECT x FROM r WHERE x LIKE '12%';
EXPLAIN QUERY PLAN SELECT x FROM b WHERE x LIKE '1a%';
EXPLAIN QUERY PLAN SELECT x FROM b WHERE x LIKE '-%';
EXPLAIN QUERY PLAN SELECT x FROM b WHERE x LIKE '1%';
EXPLAIN QUERY PLAN SELECT x FROM b WHERE x LIKE '/%';
EXPLAIN QUERY PLAN SELECT x FROM b WHERE x LIKE '.5%';
EXPLAIN QUERY PLAN SELECT x FROM b WHERE x LIKE ' 1%';
EXPLAIN QUERY PLAN SELECT x FROM b WHERE x LIKE 'ab%';
EXPLAIN QUERY PLAN SELECT x FROM n WHERE x LIKE '-x%';
EXPLAIN QUERY PLAN SELECT x FROM n WHERE x LIKE '12a%';
SELECT quote(x) FROM r WHERE x LIKE 'ab%' ORDER BY 1;
SELECT quote(x) FROM r WHERE x LIKE '12%' ORDER BY 1;
SELECT quote(x) FROM b WHERE x LIKE '1a%' ORDER BY 1;
SELECT quote(x) FROM b WHERE x LIKE '-%' ORDER BY 1;
SELECT quote(x) FROM b WHERE x LIKE '/%' ORDER BY 1;
SELECT quote(x) FROM b WHERE x LIKE 'ab%' ORDER BY 1;
SELECT quote(x) FROM n WHERE x LIKE '-x%' ORDER BY 1;
SELECT quote(x) FROM n WHERE x LIKE '12a%' ORDER BY 1;
