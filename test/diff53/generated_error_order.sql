-- plans: not compared (DDL errors only)
-- CREATE TABLE and ALTER TABLE … DROP COLUMN report a table of generated columns only first, then unknown names in CHECK constraints, then in generated columns, as SQLite orders its messages
CREATE TABLE t(c1 AS (c0 + 1), c3 AS (c1 + 1), CHECK (c0 IS NOT 'x'))
CREATE TABLE t2(c1 AS (1), CHECK (zz > 0))
CREATE TABLE t3(c1 AS (zz), CHECK (c1 > 0))
CREATE TABLE t4(a, c1 AS (zz), CHECK (yy > 0))
CREATE TABLE t5(c0 TEXT, c1 AS (c0 + 1), c3 AS (c1 + 1), CHECK (c0 IS NOT 'x'))
ALTER TABLE t5 DROP COLUMN c0
CREATE TABLE t6(c0 TEXT, c1 AS (c0 + 1), c2, CHECK (c0 IS NOT 'x'))
ALTER TABLE t6 DROP COLUMN c0
CREATE TABLE t7(c0 TEXT, c1 AS (7), CHECK (c1 > 0))
ALTER TABLE t7 DROP COLUMN c0
