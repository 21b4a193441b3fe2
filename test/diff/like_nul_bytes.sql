-- LIKE and GLOB where a NUL byte ends the pattern or the subject, the same
-- pattern on many rows (one plan per statement), and a pattern that changes.
SELECT 'abc' LIKE 'a%', 'abc' LIKE '%b%', 'ab' || char(0) || 'cd' LIKE '%cd%', 'ab' || char(0) || 'cd' LIKE '%ab%', 'xab' LIKE '%A%' ESCAPE '\';
SELECT 'a%c' LIKE 'a\%c' ESCAPE '\', 'abc' LIKE 'ab' || char(0) || 'zz', 'abc' GLOB '*b*', 'a' || char(0) LIKE 'a';
CREATE TABLE t(s); INSERT INTO t VALUES ('x7ay'), ('7A'), ('q'), ('7' || char(0) || 'a'), ('ab7a' || char(0)), (NULL);
SELECT count(*) FROM t WHERE s LIKE '%7a%';
SELECT count(*) FROM t WHERE s LIKE '%7A%' AND s LIKE '%a%';
SELECT s LIKE '%7a%', s LIKE 'ab7a', s LIKE '%a' FROM t ORDER BY rowid;
SELECT s LIKE p FROM t, (SELECT '%a%' AS p UNION ALL SELECT '%a' || char(0) || 'zz%' UNION ALL SELECT '7%') ORDER BY t.rowid, p;
