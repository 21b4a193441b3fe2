-- A table-valued function on the right of an outer join may take arguments from the tables before it,
-- not from those after it ("table-function argument references tables to its right", as an ON clause).
CREATE TABLE a(x)
INSERT INTO a VALUES ('[1,2]'), ('[3]'), (NULL)
CREATE TABLE b(y)
INSERT INTO b VALUES ('[7]'), ('x')
CREATE TABLE c(z)
INSERT INTO c VALUES ('[1]')
SELECT * FROM a RIGHT JOIN json_each(a.x)
SELECT * FROM a RIGHT JOIN json_each(a.x) ON 1
SELECT * FROM a RIGHT JOIN json_each(a.x) AS j ON j.value > 1
SELECT * FROM a FULL JOIN json_each(a.x)
SELECT * FROM a LEFT JOIN json_each(a.x)
SELECT * FROM a, b RIGHT JOIN json_each(a.x)
SELECT * FROM a RIGHT JOIN b ON 1 JOIN json_each(a.x)
SELECT * FROM a RIGHT JOIN b ON 1 RIGHT JOIN json_each(a.x)
SELECT * FROM a LEFT JOIN b ON 1 RIGHT JOIN json_each(b.y)
SELECT * FROM a RIGHT JOIN json_each(a.x) WHERE a.x IS NULL
SELECT count(*) FROM a RIGHT JOIN json_each(a.x)
SELECT * FROM a RIGHT JOIN json_each(b.y) JOIN b
SELECT * FROM c LEFT JOIN json_each(b.y) JOIN b
SELECT * FROM c LEFT JOIN json_each(b.y) ON 1 JOIN b
SELECT * FROM c RIGHT JOIN json_each(b.y) ON 1 RIGHT JOIN b
SELECT * FROM c FULL JOIN json_each(c.z || b.y) JOIN b
SELECT * FROM c LEFT JOIN pragma_table_info(b.y) JOIN b
SELECT * FROM c JOIN json_each(c.z) RIGHT JOIN b
SELECT * FROM c JOIN json_each(c.z) RIGHT JOIN b ON 0
SELECT * FROM json_each(b.y) LEFT JOIN b ON 0
-- An argument the function's scan cannot take (it reads a table the join order puts after the function)
-- is a term "hidden column = +argument" tested once that table is there, and on a RIGHT or FULL join's
-- unmatched rows, where the function's columns are NULL: those rows go.
SELECT * FROM json_each(b.y) RIGHT JOIN b
SELECT * FROM json_each(b.y) FULL JOIN b
SELECT * FROM json_each(b.y) RIGHT JOIN b ON 1
SELECT * FROM json_each(b.y) RIGHT JOIN b ON json_each.value = 7
SELECT * FROM json_each(a.x) RIGHT JOIN a ON 1 JOIN b
SELECT * FROM pragma_table_info(b.y) RIGHT JOIN b
SELECT * FROM c JOIN json_each(b.y) RIGHT JOIN b ON 0
SELECT * FROM c JOIN json_each(c.z || b.y) RIGHT JOIN b ON 0
SELECT * FROM json_each(b.y) RIGHT JOIN b ON 1 JOIN c
SELECT * FROM json_each(c.z) RIGHT JOIN b ON 0 JOIN c
SELECT * FROM json_each(c.z) RIGHT JOIN b ON 0 RIGHT JOIN c ON 1
SELECT * FROM json_each(b.y, '$') RIGHT JOIN b
SELECT * FROM json_each('[1]', b.y) RIGHT JOIN b
SELECT * FROM json_each('[1]', b.y) CROSS JOIN b
SELECT * FROM json_each('[1]', b.y) LEFT JOIN b
SELECT * FROM json_each('[1]', b.y) LEFT JOIN b ON 0
SELECT * FROM json_each('[1]', '$') RIGHT JOIN b
SELECT * FROM json_each(b.y) CROSS JOIN b
SELECT * FROM json_each(b.y) JOIN b
SELECT * FROM json_each(b.y), b
-- A function placed after the table its arguments read: the terms on that table alone (and constant
-- ones) are tested before the function is scanned, so it never sees the rows they reject.
SELECT * FROM json_each(b.y) JOIN b ON 0
SELECT * FROM json_each(b.y), b WHERE 0
SELECT * FROM json_each(b.y) JOIN b ON b.y = '[7]'
SELECT * FROM json_each(b.y), b WHERE b.y = '[7]'
SELECT * FROM b JOIN json_each(b.y) ON b.y = '[7]'
