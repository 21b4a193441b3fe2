-- A recursive CTE's UNION finds repeated rows in each column's collation (the first of its selects' that has one), as
-- any compound does: 'a' and 'A' under NOCASE are one row.
WITH RECURSIVE r(x) AS (SELECT 'a' COLLATE NOCASE UNION SELECT upper(x) FROM r) SELECT * FROM r;
WITH RECURSIVE r(x) AS (SELECT 'a' UNION SELECT upper(x) COLLATE NOCASE FROM r) SELECT * FROM r;
WITH RECURSIVE r(x) AS (SELECT 'a' UNION SELECT upper(x) FROM r) SELECT * FROM r;
WITH RECURSIVE r(x, n) AS (SELECT 'a' COLLATE NOCASE, 0 UNION SELECT upper(x), n FROM r) SELECT * FROM r;
WITH RECURSIVE r(x, n) AS (SELECT 'a' COLLATE NOCASE, 0 UNION SELECT upper(x), n + 1 FROM r WHERE n < 3) SELECT * FROM r;
CREATE TABLE seed(v TEXT COLLATE NOCASE);
INSERT INTO seed VALUES ('p');
WITH RECURSIVE r(x) AS (SELECT v FROM seed UNION SELECT upper(x) FROM r) SELECT * FROM r;
WITH RECURSIVE r(x) AS (SELECT v FROM seed UNION ALL SELECT upper(x) FROM r LIMIT 3) SELECT * FROM r;
WITH RECURSIVE r(x) AS (SELECT 1 UNION SELECT 1.0 FROM r) SELECT x, typeof(x) FROM r;
