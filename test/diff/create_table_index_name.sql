-- A table may not take the name of an index, IF NOT EXISTS or not.
CREATE TABLE t(a); CREATE INDEX i1 ON t(a);
CREATE TABLE i1(a, b);
CREATE TABLE IF NOT EXISTS i1(a, b);
CREATE TABLE I1(x);
CREATE VIEW i1 AS SELECT 1;
CREATE TABLE i1 AS SELECT 1;
SELECT name FROM sqlite_schema;
