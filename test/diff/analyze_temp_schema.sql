-- ANALYZE temp names the temp database (before any table called temp) and
-- makes its sqlite_stat1 even when temp has no tables yet; an unqualified
-- sqlite_stat1 then finds temp's first.  (sqlite_stat4, which 3.53 built
-- with STAT4 makes beside it and 3.40 does not, is left out here:
-- test/diff53/stat4_tables.sql compares it.)
CREATE TABLE temp(a);
INSERT INTO temp VALUES (1), (2);
ANALYZE temp;
SELECT name FROM temp.sqlite_master WHERE name <> 'sqlite_stat4';
SELECT count(*) FROM sqlite_stat1;
ANALYZE;
SELECT * FROM sqlite_stat1;
SELECT * FROM main.sqlite_stat1;
ANALYZE main.temp;
SELECT * FROM main.sqlite_stat1;
CREATE TEMP TABLE tt(b);
CREATE INDEX temp.ttb ON tt(b);
INSERT INTO tt VALUES (1), (1), (2);
ANALYZE temp;
SELECT * FROM sqlite_stat1 ORDER BY idx;
ANALYZE TEMP;
SELECT * FROM temp.sqlite_stat1 ORDER BY idx;
