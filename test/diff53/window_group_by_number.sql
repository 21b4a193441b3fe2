-- GROUP BY n in a query with window functions groups by the n-th result column, as in any other query; a number that
-- names a window call is a misuse, one past the results out of range.
CREATE TABLE visits(who, n);
INSERT INTO visits VALUES ('ann', 1), ('Ann', 2), ('bob', 3), ('bob', 4);
SELECT who, sum(n) OVER () FROM visits GROUP BY 1 ORDER BY 1;
SELECT n % 2, sum(n) OVER (), sum(n) FROM visits GROUP BY 1 ORDER BY 1;
SELECT upper(who), count(*), sum(count(*)) OVER (ORDER BY upper(who)) FROM visits GROUP BY 1;
SELECT who COLLATE NOCASE, count(*), rank() OVER (ORDER BY count(*)) FROM visits GROUP BY 1 ORDER BY 1;
SELECT who, count(*), row_number() OVER (ORDER BY who) FROM visits GROUP BY 1 COLLATE NOCASE ORDER BY 2, 1;
SELECT who, n, max(n) OVER (PARTITION BY who) FROM visits GROUP BY 1, 2 HAVING n > 1 ORDER BY 2;
SELECT n % 2 AS k, sum(n) OVER (ORDER BY 1) FROM visits GROUP BY k;
SELECT who, sum(n) OVER () FROM visits GROUP BY 2;
SELECT who, sum(n) OVER () FROM visits GROUP BY 3;
SELECT who, sum(n) OVER () FROM visits GROUP BY 0;
SELECT who, sum(n) OVER () FROM visits GROUP BY -1;
SELECT * FROM (SELECT who, count(*) OVER () AS c FROM visits GROUP BY 1) ORDER BY who;
SELECT who, *, sum(n) OVER () FROM visits GROUP BY 1 ORDER BY 1;
SELECT n % 2, *, count(*) OVER () FROM visits GROUP BY 1 ORDER BY 1;
