-- Result-column aliases named in WHERE, GROUP BY, HAVING and inside ORDER BY
-- terms: a FROM column of the same name wins, except for a bare ORDER BY term.
CREATE TABLE sales(region TEXT, item TEXT, qty INTEGER, price REAL);
INSERT INTO sales VALUES ('north', 'pen', 3, 1.5), ('north', 'ink', 1, 4.0), ('south', 'pen', 7, 1.5),
  ('south', 'pad', 2, 3.25), ('east', 'ink', 5, 4.0), ('east', 'pen', NULL, 1.5);
SELECT qty * price AS total FROM sales WHERE total > 5 ORDER BY total;
SELECT region AS r, sum(qty) AS n FROM sales GROUP BY r HAVING n > 4 ORDER BY r;
SELECT region, count(*) AS c FROM sales GROUP BY region HAVING c >= 2 ORDER BY c DESC, region;
SELECT upper(item) AS u, sum(qty) AS s FROM sales GROUP BY u ORDER BY s + 0 DESC;
SELECT qty AS item FROM sales WHERE item = 'pen' ORDER BY 1;
SELECT item AS qty, count(*) FROM sales GROUP BY qty ORDER BY 1;
SELECT item AS qty FROM sales ORDER BY qty LIMIT 3;
SELECT price AS p FROM sales WHERE p BETWEEN 1 AND 2 AND qty IS NOT NULL ORDER BY qty;
SELECT item AS i FROM sales WHERE i LIKE 'p%' AND i <> 'pad' ORDER BY i, qty;
SELECT 10 AS ten WHERE ten = 10;
SELECT 3 AS three GROUP BY three;
SELECT 'x' AS a, 'y' AS b WHERE a < b;
SELECT max(qty) AS m FROM sales HAVING m > 5;
SELECT region AS r FROM sales GROUP BY 1 HAVING r <> 'east' ORDER BY r;
SELECT DISTINCT region AS r FROM sales WHERE r > 'm' ORDER BY r;
SELECT region AS r, qty AS q FROM sales WHERE q IN (SELECT qty FROM sales WHERE qty > 2) ORDER BY q;
-- From inside a subquery of WHERE, an outer alias is reachable.
SELECT item AS it, qty FROM sales WHERE EXISTS (SELECT 1 FROM sales AS s2 WHERE s2.item = it AND s2.qty > 4) ORDER BY qty;
SELECT region AS r FROM sales AS a WHERE 2 = (SELECT count(*) FROM sales AS b WHERE b.region = r) ORDER BY r, item;
-- Window queries too.
SELECT item AS it, row_number() OVER (ORDER BY qty) AS rn FROM sales WHERE it = 'pen' AND qty IS NOT NULL;
SELECT region AS r, sum(qty) OVER (PARTITION BY region) AS s FROM sales WHERE r <> 'south' ORDER BY r, s;
-- Errors.
SELECT count(*) AS c FROM sales WHERE c > 1;
SELECT region, sum(qty) AS s FROM sales GROUP BY s;
SELECT row_number() OVER () AS rn FROM sales WHERE rn = 1;
SELECT qty AS q, (SELECT q) FROM sales;
SELECT qty AS q FROM sales AS t WHERE t.q = 1;
SELECT qty + zz AS zz FROM sales WHERE zz > 1;
-- Renames reach a column behind an alias once, wherever the alias is used.
CREATE TABLE rn(a, b2);
CREATE VIEW rv AS SELECT a AS x, a + 1 AS y FROM rn WHERE x > 1 AND y < 10 GROUP BY y HAVING x > 0 ORDER BY y + 1;
CREATE VIEW rw AS SELECT a AS x FROM rn WHERE EXISTS (SELECT 1 FROM rn AS u WHERE u.a = x);
ALTER TABLE rn RENAME COLUMN a TO b;
ALTER TABLE rn RENAME TO rn2;
SELECT name, sql FROM sqlite_schema WHERE name LIKE 'r%' ORDER BY name;
INSERT INTO rn2 VALUES (5, 1);
SELECT * FROM rv;
SELECT * FROM rw;
