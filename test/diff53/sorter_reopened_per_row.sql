-- A sorter opened again for each outer row (a correlated subquery's ORDER BY, bounded by its LIMIT or not) is emptied and reused: each run sorts only its own rows
CREATE TABLE p(a INTEGER PRIMARY KEY, k);
CREATE TABLE q(b, c);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i<60) INSERT INTO p SELECT i, i % 7 FROM r;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i<300) INSERT INTO q SELECT (i * 37) % 101, i % 7 FROM r;
SELECT a, (SELECT b FROM q WHERE c = p.k ORDER BY b DESC LIMIT 1 OFFSET p.a % 3) AS x FROM p ORDER BY a;
SELECT a, (SELECT group_concat(b, ',') FROM (SELECT b FROM q WHERE c = p.k AND b > p.a ORDER BY b LIMIT 4)) AS x FROM p ORDER BY a;
SELECT a, (SELECT sum(b) FROM (SELECT b FROM q WHERE c = p.k ORDER BY b, rowid)) AS x FROM p WHERE a % 5 = 0 ORDER BY a;
SELECT a, (SELECT b FROM q WHERE c = p.k AND b < p.a ORDER BY b DESC LIMIT 1) AS x, (SELECT count(*) FROM (SELECT DISTINCT b FROM q WHERE c = p.k ORDER BY b LIMIT 3)) AS y FROM p ORDER BY a;
