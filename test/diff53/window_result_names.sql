-- A result column that is also a window's key (or another result written alike) keeps the name its own text gives it.
CREATE TABLE sales(region, amount);
INSERT INTO sales VALUES ('n', 2), ('n', 3), ('s', 5), ('s', 1);
SELECT region, sum(amount), rank() OVER (ORDER BY sum(amount) DESC) FROM sales GROUP BY region;
SELECT sum(amount) + 1, count(*) OVER (ORDER BY sum(amount) + 1) FROM sales GROUP BY region;
SELECT amount * 2, amount*2, row_number() OVER (ORDER BY amount*2) FROM sales;
SELECT amount * 2 AS twice, amount*2, row_number() OVER () FROM sales;
SELECT upper(region), max(amount) OVER (PARTITION BY upper(region)) FROM sales;
SELECT sum(amount), sum( amount ), sum(sum(amount)) OVER (ORDER BY region) FROM sales GROUP BY region;
SELECT * FROM (SELECT amount % 3, lag(amount) OVER (ORDER BY amount % 3, amount) FROM sales);
SELECT sales.region, region, row_number() OVER (PARTITION BY region ORDER BY amount) FROM sales;
