-- A query with window functions whose results and GROUP BY make it no
-- aggregate query: an aggregate in its ORDER BY (in a window call's arguments
-- or inline window too) is misused, as in a query without windows.
CREATE TABLE w(a, b);
INSERT INTO w VALUES (1, 10), (2, 20), (3, 30), (4, 40);
SELECT a FROM w ORDER BY count(b);
SELECT sum(a) OVER () FROM w ORDER BY count(b);
SELECT a, max(b) OVER () FROM w ORDER BY 1 + total(b);
SELECT a FROM w ORDER BY first_value(a) OVER () + min(b);
SELECT a FROM w ORDER BY lag(a) OVER (ORDER BY avg(b));
SELECT a FROM w ORDER BY lag(a) OVER (PARTITION BY max(b));
SELECT a FROM w ORDER BY lag(sum(a)) OVER ();
SELECT count(b), sum(a) OVER () FROM w ORDER BY count(b);
SELECT a, sum(a) OVER () FROM w GROUP BY a ORDER BY count(b) DESC;
SELECT sum(a) OVER () FROM w ORDER BY count(b) OVER ();
SELECT sum(a) FROM w ORDER BY row_number() OVER ();
SELECT a, lag(a) OVER (ORDER BY a) FROM w ORDER BY a DESC;
