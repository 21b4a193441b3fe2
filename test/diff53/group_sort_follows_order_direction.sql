-- When the ORDER BY has as many terms as the GROUP BY, the grouping sorter takes each ORDER BY term's direction at
-- its position, whatever the term is: the groups, and so the rows an ORDER BY leaves tied, come out in that order.
CREATE TABLE hits(page, day, n);
INSERT INTO hits VALUES ('a', 1, 1), ('b', 2, 2), ('c', 1, 1), ('d', 2, 2), ('e', 1, 1), (NULL, 1, 2), ('a', 2, 5);
SELECT page, sum(n) FROM hits GROUP BY page ORDER BY sum(n) DESC;
SELECT page, sum(n) FROM hits GROUP BY page ORDER BY sum(n) DESC LIMIT 3;
SELECT page, avg(n) FROM hits GROUP BY page HAVING avg(n) > 0 ORDER BY avg(n) DESC;
SELECT page FROM hits GROUP BY page ORDER BY count(*) DESC;
SELECT page, day, sum(n) FROM hits GROUP BY page, day ORDER BY sum(n) DESC, page;
SELECT page, day, sum(n) FROM hits GROUP BY page, day ORDER BY sum(n), count(*) DESC;
SELECT page, day, sum(n) FROM hits GROUP BY day, page ORDER BY 3 DESC LIMIT 4;
SELECT page, day, sum(n) FROM hits GROUP BY page, day ORDER BY sum(n) DESC;
SELECT day, group_concat(page) FROM hits GROUP BY day ORDER BY count(*) DESC;
SELECT upper(page), count(*) FROM hits GROUP BY upper(page) ORDER BY 2 DESC;
SELECT page, sum(n) FROM hits GROUP BY page ORDER BY sum(n) DESC NULLS FIRST;
CREATE INDEX hits_page ON hits(page);
SELECT page, sum(n) FROM hits GROUP BY page ORDER BY sum(n) DESC;
SELECT page, sum(n) FROM hits WHERE page > 'a' GROUP BY page ORDER BY sum(n) DESC;
