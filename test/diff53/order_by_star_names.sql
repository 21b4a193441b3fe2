-- A bare ORDER BY name matches the first result column of that name, an AS
-- alias or a column of "*" / "t.*", before it is resolved as an expression;
-- ALTER TABLE RENAME COLUMN does not see such a term as naming the table's
-- column, so a view that sorts that way cannot be renamed under.
CREATE TABLE t(h, k);
INSERT INTO t VALUES (1, 2), (2, 1), (3, 0);
SELECT *, k AS h FROM t ORDER BY h;
SELECT k AS h, * FROM t ORDER BY h;
SELECT t.*, k AS h FROM t ORDER BY h;
SELECT x.*, k AS h FROM t AS x ORDER BY h;
SELECT *, -k AS h FROM (SELECT h, k FROM t) ORDER BY h;
SELECT * FROM t AS a JOIN t AS b USING (h) ORDER BY k;
SELECT *, -k AS h FROM t ORDER BY h COLLATE NOCASE DESC;
SELECT count(*), * FROM t ORDER BY h;
CREATE TABLE t0(h, k);
CREATE VIEW v0 AS SELECT * FROM t0 ORDER BY h;
ALTER TABLE t0 RENAME COLUMN h TO n1;
CREATE TABLE t2(h, k);
CREATE VIEW v2 AS SELECT t2.* FROM t2 ORDER BY h;
ALTER TABLE t2 RENAME COLUMN h TO n1;
CREATE TABLE t4(h, k);
CREATE VIEW v4 AS SELECT *, k FROM t4 ORDER BY k;
ALTER TABLE t4 RENAME COLUMN k TO n1;
CREATE TABLE t1(h, k);
CREATE VIEW v1 AS SELECT h FROM t1 ORDER BY h;
ALTER TABLE t1 RENAME COLUMN h TO n1;
CREATE TABLE t3(h, k);
CREATE VIEW v3 AS SELECT k FROM t3 ORDER BY h;
ALTER TABLE t3 RENAME COLUMN h TO n1;
SELECT name, sql FROM sqlite_schema ORDER BY name;
