-- A window query's result "x COLLATE y" is named by its text, and by x when the query is a FROM subquery.
CREATE TABLE tags(label, n);
INSERT INTO tags VALUES ('x', 1), ('X', 2), ('y', 3);
SELECT label COLLATE NOCASE, count(*) OVER () FROM tags;
SELECT * FROM (SELECT label COLLATE NOCASE, count(*) OVER () FROM tags);
SELECT (label || '') COLLATE NOCASE, count(*) OVER () FROM tags;
SELECT * FROM (SELECT (label || '') COLLATE NOCASE, count(*) OVER () FROM tags);
SELECT label COLLATE NOCASE, rank() OVER (ORDER BY label COLLATE NOCASE) FROM tags;
SELECT label COLLATE NOCASE = 'X', label COLLATE NOCASE, max(n) OVER (PARTITION BY label COLLATE NOCASE) FROM tags ORDER BY 2, 3;
SELECT label FROM (SELECT label COLLATE NOCASE, count(*) OVER () AS c FROM tags) WHERE label = 'X';
