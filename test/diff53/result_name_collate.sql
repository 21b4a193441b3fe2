-- A result column written "x COLLATE y" without AS is named by its text, not by the column x it wraps; in a FROM
-- subquery, view, CTE or CREATE TABLE AS the column is still named x.
CREATE TABLE people(nick TEXT, age INTEGER);
INSERT INTO people VALUES ('Ann', 30), ('bob', 41);
SELECT nick COLLATE NOCASE, people.nick COLLATE binary, nick COLLATE nocase COLLATE rtrim, age COLLATE nocase AS years FROM people;
SELECT max(nick COLLATE nocase), rowid COLLATE nocase, 7 COLLATE nocase FROM people;
SELECT nick COLLATE NOCASE FROM people UNION SELECT 'cy';
SELECT nick COLLATE NOCASE FROM people UNION ALL SELECT 'cy' ORDER BY 1;
SELECT nick COLLATE NOCASE, age FROM people EXCEPT SELECT 'x', 1 LIMIT 5;
SELECT * FROM (SELECT nick COLLATE NOCASE FROM people);
SELECT * FROM (SELECT nick COLLATE NOCASE FROM people UNION SELECT 'cy');
WITH w AS (SELECT nick COLLATE nocase FROM people) SELECT * FROM w;
CREATE VIEW nicks AS SELECT nick COLLATE NOCASE FROM people;
SELECT * FROM nicks;
CREATE TABLE copy AS SELECT nick COLLATE NOCASE FROM people;
SELECT * FROM copy;
UPDATE people SET age = age + 1 RETURNING nick COLLATE NOCASE, age;
