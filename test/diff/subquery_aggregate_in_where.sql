-- An aggregate call in a subquery of a subquery that stands in WHERE or ON
-- belongs to the middle query whose FROM its argument names: the middle
-- query aggregates, whether the subquery is correlated or not.
CREATE TABLE a(c UNIQUE);
CREATE TABLE b(x);
INSERT INTO a VALUES (4), (0), (9), (-9);
INSERT INTO b VALUES (1), (2);
SELECT 1 WHERE 4 = (SELECT (SELECT sum(d.c)) FROM a AS d);
SELECT x FROM b WHERE 4 = (SELECT (SELECT sum(d.c)) FROM a AS d) ORDER BY x;
SELECT a.c FROM a WHERE a.c = (SELECT (SELECT 0 + sum(d.c)) FROM a AS d WHERE a.c) ORDER BY 1;
SELECT x FROM b JOIN a ON a.c = (SELECT (SELECT min(d.c) + 8 + x) FROM a AS d) ORDER BY 1;
SELECT a.c FROM a JOIN a AS e ON a.c = e.c
 WHERE a.c = (SELECT (SELECT coalesce(lead(2) OVER (), 0) + sum(d.c)) FROM a AS d WHERE a.c) ORDER BY 1;
SELECT x FROM b WHERE (SELECT (SELECT count(d.c) + x) FROM a AS d) > 5 ORDER BY x;
