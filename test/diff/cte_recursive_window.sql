-- A window function in the recursive part of a recursive CTE is refused
-- (the initial part may use one); aggregates there have their own error.
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT row_number() OVER () FROM c LIMIT 5) SELECT * FROM c;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT sum(x) OVER (ORDER BY x) FROM c WHERE x < 3) SELECT * FROM c;
WITH RECURSIVE c(x) AS (SELECT 1 UNION SELECT x + 1 FROM c WHERE x < 3 UNION ALL SELECT lag(x) OVER () FROM c) SELECT * FROM c;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT max(x) FROM c LIMIT 5) SELECT * FROM c;
WITH RECURSIVE c(x) AS (SELECT row_number() OVER () UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT * FROM c;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 4) SELECT x, sum(x) OVER (ORDER BY x) FROM c;
