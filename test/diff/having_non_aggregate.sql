-- Without GROUP BY, HAVING needs a query that aggregates in its result columns.
CREATE TABLE h(a, b);
INSERT INTO h VALUES (1, 'x'), (2, 'y'), (3, 'y');
SELECT a FROM h HAVING a > 1;
SELECT 1 FROM h HAVING count(*) > 1;
SELECT b FROM h HAVING max(a) > 0;
SELECT count(*) FROM h HAVING a > 0;
SELECT count(*), max(a) FROM h HAVING count(*) > 5;
SELECT sum(a) AS s FROM h HAVING s > 5;
SELECT b, count(*) FROM h GROUP BY b HAVING count(*) > 1;
SELECT (SELECT count(*) FROM h AS i HAVING max(o.a) > 0) FROM h AS o;
