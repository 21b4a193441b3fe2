-- "*" with no FROM: every "*" of the list fails and the last one's error is
-- reported; a CTE's column list counted against the other columns then wins
-- when they differ; a compound's ORDER BY is not judged before its "*" fails.
SELECT 1, *;
SELECT *, nope.*;
SELECT nope.*, *;
WITH w(p, q) AS (SELECT 7, *) SELECT * FROM w;
WITH w(p) AS (SELECT 7, *) SELECT * FROM w;
WITH w(p, q) AS (SELECT *) SELECT * FROM w;
WITH w(p, q, r) AS (SELECT 1, *, 2) SELECT * FROM w;
WITH w(p, q) AS (SELECT 1, nope.*) SELECT * FROM w;
WITH w(p, q) AS (SELECT 3, * UNION ALL SELECT 4, 5) SELECT * FROM w;
WITH RECURSIVE w(p, q) AS (SELECT 3, * UNION ALL SELECT p + 1, 0 FROM w WHERE p < 5) SELECT p FROM w;
WITH RECURSIVE w(p) AS (SELECT * UNION ALL SELECT p + 1 FROM w WHERE p < 5) SELECT p FROM w;
VALUES(1) UNION SELECT * ORDER BY zz;
SELECT * EXCEPT SELECT 1 ORDER BY 1;
SELECT 1 INTERSECT SELECT 2, * ORDER BY zz COLLATE nocase;
SELECT 1 UNION SELECT 2 ORDER BY zz;
