-- A table-valued function's arguments may read only items positioned before
-- it: virtual tables whose arguments read one another in a cycle have no
-- query solution, and where LEFT or CROSS JOIN fixes the order (or the
-- argument reads the item itself) the argument is unusable, the module's
-- own error then.
CREATE TABLE t(x);
INSERT INTO t VALUES (1);
SELECT * FROM generate_series(a.value, 3) b, generate_series(b.value, 3) a;
SELECT * FROM generate_series(c.value, 2) a, generate_series(a.value, 2) c, t;
SELECT * FROM json_each(b.value) a, json_each(a.value) b;
SELECT * FROM generate_series(b.value, 2) b;
SELECT * FROM generate_series(b.x, 3) a LEFT JOIN t b;
SELECT * FROM generate_series(b.x, 2) a CROSS JOIN t b;
SELECT * FROM t b LEFT JOIN generate_series(b.x, 3) a;
SELECT * FROM t b, generate_series(b.x, 2) a, generate_series(a.value, 2) c;
SELECT * FROM generate_series(a.value, 2) c, generate_series(b.x, 2) a, t b;
SELECT a.value, b.value FROM generate_series(b.value, b.value + 1) a JOIN generate_series(1, 2) b ORDER BY 2, 1;
