-- GROUP BY, HAVING, DISTINCT and aggregates per group.
CREATE TABLE s(dept TEXT, name TEXT, pay INTEGER);
INSERT INTO s VALUES ('a', 'ann', 10), ('b', 'bob', 20), ('a', 'cy', 30), (NULL, 'dee', 5), ('b', 'eve', NULL), ('c', 'fay', 7);
SELECT dept, count(*), sum(pay), min(pay), max(pay) FROM s GROUP BY dept ORDER BY dept;
SELECT dept, count(pay) FROM s GROUP BY dept HAVING count(pay) > 1 ORDER BY dept;
SELECT dept, avg(pay) FROM s GROUP BY 1 ORDER BY 2 DESC;
SELECT DISTINCT dept FROM s ORDER BY dept;
SELECT count(DISTINCT dept), count(dept), count(*) FROM s;
SELECT dept, group_concat(name) FROM s GROUP BY dept ORDER BY dept;
SELECT dept, group_concat(name, ';') FROM s WHERE pay > 6 GROUP BY dept ORDER BY dept;
SELECT pay % 2, count(*) FROM s GROUP BY pay % 2 ORDER BY 1;
SELECT dept, total(pay), sum(pay) FROM s GROUP BY dept ORDER BY dept;
SELECT max(pay), name FROM s;
SELECT dept FROM s GROUP BY dept HAVING sum(pay) IS NULL;
SELECT count(*) FROM s GROUP BY dept HAVING 0;
SELECT sum(pay) FROM s WHERE 0 GROUP BY dept;
