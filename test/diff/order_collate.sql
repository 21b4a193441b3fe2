-- ORDER BY a result column by number or by alias, under a COLLATE of its own.
CREATE TABLE w(name TEXT, n INTEGER);
INSERT INTO w VALUES ('beta', 1), ('Alpha', 2), ('gamma', 3), ('Delta', 4), ('alpha', 5);
SELECT name FROM w ORDER BY 1 COLLATE NOCASE, n;
SELECT name AS nm FROM w ORDER BY nm COLLATE NOCASE DESC, n;
SELECT name AS nm, n FROM w ORDER BY nm COLLATE RTRIM, n;
SELECT upper(name) AS u FROM w ORDER BY 1 COLLATE BINARY;
SELECT name FROM w UNION SELECT 'ALPHA' ORDER BY 1 COLLATE NOCASE, 1;
SELECT name AS x FROM w UNION ALL SELECT 'Beta' ORDER BY x COLLATE NOCASE DESC, x;
SELECT name, count(*) FROM w GROUP BY lower(name) ORDER BY 1 COLLATE NOCASE;
SELECT 'b' AS v UNION SELECT 'A' ORDER BY v COLLATE NOCASE;
-- An unknown collation is an error even where no sort runs.
SELECT 'a' AS x ORDER BY x COLLATE nosuch;
SELECT name FROM w ORDER BY 1 COLLATE nosuch;
SELECT 1 UNION SELECT 2 ORDER BY 1 COLLATE nosuch;
SELECT name FROM w WHERE name = 'x' COLLATE nosuch;
