-- A recursive CTE's ORDER BY: AS names of any arm, a COLLATE on the term, or the collation an arm gives the column.
WITH t(a) AS (SELECT 1 AS b UNION ALL SELECT a+1 AS c FROM t WHERE a<5 ORDER BY c) SELECT * FROM t;
SELECT 1 AS b UNION ALL SELECT 2 AS c ORDER BY c COLLATE nocase;
CREATE TABLE tree(id INTEGER PRIMARY KEY, parentid, payload);
INSERT INTO tree VALUES (1, NULL, 'a'), (2, NULL, 'B'), (3, NULL, 'c'), (4, 1, 'b'), (5, 1, 'C'), (6, 1, 'd'), (7, 2, 'e'), (8, 2, 'F'), (9, 2, 'g'), (10, 3, 'h'), (11, 3, 'I'), (12, 3, 'j');
WITH flat(fid, depth, p) AS (SELECT id, 1, '/' || payload FROM tree WHERE parentid IS NULL UNION ALL SELECT id, depth+1, p||'/'||payload FROM flat, tree WHERE parentid=fid ORDER BY 2, 3 COLLATE nocase) SELECT p FROM flat;
WITH flat(fid, depth, p) AS (SELECT id, 1, ('/' || payload) COLLATE nocase FROM tree WHERE parentid IS NULL UNION ALL SELECT id, depth+1, (p||'/'||payload) FROM flat, tree WHERE parentid=fid ORDER BY 2, 3) SELECT p FROM flat;
WITH flat(fid, depth, p) AS (SELECT id, 1, ('/' || payload) FROM tree WHERE parentid IS NULL UNION ALL SELECT id, depth+1, (p||'/'||payload) COLLATE nocase FROM flat, tree WHERE parentid=fid ORDER BY 2, 3) SELECT p FROM flat;
WITH flat(fid, depth, p) AS (SELECT id, 1, '/' || payload FROM tree WHERE parentid IS NULL UNION ALL SELECT id, depth+1 AS dd, p||'/'||payload AS pp FROM flat, tree WHERE parentid=fid ORDER BY dd, pp COLLATE nocase DESC) SELECT p FROM flat;
WITH t(a) AS (SELECT 1 AS b UNION ALL SELECT a+1 AS c FROM t WHERE a<5 ORDER BY a) SELECT * FROM t;
