-- An alias of an aggregate inside another aggregate's arguments is "misuse of aliased aggregate"; elsewhere it reads the aggregate.
CREATE TABLE ag(a, b); INSERT INTO ag VALUES (1,1),(2,2),(2,3),(3,3),(3,3),(3,4);
SELECT a, count(*) AS c FROM ag GROUP BY a HAVING sum(c) > 1;
SELECT a, count(*) AS c FROM ag GROUP BY a HAVING max(c + 1) > 1;
SELECT a, count(*) + 1 AS c FROM ag GROUP BY a HAVING count(c);
SELECT a, count(*) AS c FROM ag GROUP BY a ORDER BY max(c);
SELECT a, count(*) AS c FROM ag GROUP BY a HAVING max(a) FILTER (WHERE c > 0) > 1;
SELECT a, count(*) AS c FROM ag GROUP BY a HAVING c > 1 ORDER BY c + 1;
SELECT a, (SELECT count(*) FROM ag) AS c FROM ag GROUP BY a HAVING sum(c) > 1;
SELECT a AS c FROM ag GROUP BY a HAVING sum(c) > 3;
SELECT total(b) AS s FROM ag HAVING s > 10;
